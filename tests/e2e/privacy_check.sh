#!/usr/bin/env bash
# Privacy after a session (docs/privacy.md): every demo form is filled with made-up but
# valid personal data (a name, two BSNs, an IBAN, a phone number, an e-mail address), and
# the session ends in each of the three ways: stop, idle timeout, submit. In the same
# kiosk process a second session then walks the same form. Checked:
#   - no screen of the next session shows a value, no field holds one (test script);
#   - nothing the next session says contains one (script + the speech log after the marker;
#     numbers also when spelled digit by digit);
#   - the kiosk's stderr contains none;
#   - no file written while the kiosk ran (the run's folder, HOME, TMPDIR, the XDG folders,
#     the outbox, /tmp, /var/tmp, /dev/shm) contains one: plain, UTF-16 or base64; the
#     outbox holds the three submissions, sealed (and the sealed ones do open to the values);
#   - the running kiosk's core file size limit is 0, and a kiosk killed with SIGSEGV or
#     SIGABRT mid-session leaves no core file, where a control process in the same folder
#     does leave one; where the test may (CAP_SYS_RESOURCE) it first raises the kiosk's
#     limit from outside, so that only "not dumpable" stands in the way;
#   - KIOSK_PRIVACY_MEMORY=1 (root, gdb): a memory image of the kiosk after a session ended
#     is searched for the values and the figures printed (not a pass/fail check).
# The speech log is the test's own file: it holds the first session's answers by design.
#   privacy_check.sh KIOSK SOURCE_DIR OUTDIR
set -euo pipefail
kiosk=$(readlink -f "$1"); src=$(readlink -f "$2"); out=$3
rm -rf "$out"; mkdir -p "$out"; out=$(readlink -f "$out")
cd "$out"
problems=()
# Reported at the end, after every search: a report names what it found, and a file that
# holds this test's output (in /tmp, say) would otherwise be found by the file search.
problem() { problems+=("$*"); }
note() { echo "privacy_check: $*"; }

# -- the values (made up; the BSNs pass the 11-test, the IBAN its mod-97 check) ----------
NAME="Quirijntje Zwanenburg"
BSN=273846152
BSN2=318504923
IBAN=NL70TRIO0391827465
PHONE=0687254913
EMAIL=tjitske.wolkenveld@voorbeeld.nl
# What is searched for: each value, and the distinctive parts of the name and address.
TOKENS=("Quirijntje" "Zwanenburg" "$BSN" "$BSN2" "$IBAN" "$PHONE" "wolkenveld")

# -- a config of our own: sealed outbox, an endpoint nobody answers (submissions wait) ----
mkdir -p home tmp xdg/config xdg/cache xdg/data xdg/state xdg/runtime run
chmod 700 xdg/runtime
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out sealing.key 2>/dev/null
openssl pkey -in sealing.key -pubout -out sealing.pub.pem
cat > kiosk.yaml <<EOF
kiosk_id: privacy-check
forms: $src/assets/forms
languages: [nl, en]
submit:
  default_endpoint: https://localhost:9/api/submissions
  allowed_hosts: [localhost]
outbox:
  dir: $out/outbox
  mode: sealed
  recipient_key: $out/sealing.pub.pem
EOF
export HOME=$out/home TMPDIR=$out/tmp XDG_CONFIG_HOME=$out/xdg/config XDG_CACHE_HOME=$out/xdg/cache \
       XDG_DATA_HOME=$out/xdg/data XDG_STATE_HOME=$out/xdg/state XDG_RUNTIME_DIR=$out/xdg/runtime
export SDL_AUDIODRIVER=${SDL_AUDIODRIVER:-dummy}

# -- the scripts -------------------------------------------------------------------------
# Filling: every value goes in; the review screen proves it did.
fill() {
  case $1 in
  verhuizing) cat <<EOF
tap start
tap lang:nl
tap form:verhuizing
tap next
expect screen page:postcode
type 3511AB
tap next
type 12
tap next
tap next
expect screen page:straat
type Oudegracht
tap next
tap date:day-up
tap next
expect screen page:wie
tap option:anders
tap next
expect screen page:meeverhuizers
type $NAME
tap next
expect screen page:kinderen
tap no
tap next
expect screen page:bsn
type $BSN
expect field bsn $BSN
tap next
expect screen page:telefoon
type $PHONE
expect field telefoon $PHONE
tap next
expect screen page:email
type $EMAIL
expect field email $EMAIL
tap next
tap field:akkoord
tap next
expect screen review
expect on-screen $NAME
EOF
  ;;
  kwijtschelding) cat <<EOF
tap start
tap lang:nl
tap form:kwijtschelding
tap next
expect screen page:belastingen
tap option:afval
tap next
tap option:alleen
tap next
expect screen page:geboortedatum
tap date:day-up
tap next
expect screen page:inkomen
type 0
tap next
expect screen page:geen_inkomen
type $NAME
tap next
expect screen page:spaargeld
tap no
tap next
expect screen page:iban
type $IBAN
expect field iban $IBAN
tap next
expect screen page:bsn
type $BSN
expect field bsn $BSN
tap next
expect screen page:email
tap next
tap next
tap field:akkoord
tap next
expect screen review
expect on-screen $NAME
EOF
  ;;
  bijzondere-bijstand) cat <<EOF
tap start
tap lang:nl
tap form:bijzondere-bijstand
tap next
expect screen page:waarvoor
tap option:anders
tap next
expect screen page:omschrijving
type $NAME
tap next
expect screen page:bedrag
type 450
tap next
tap no
tap next
tap next
expect screen page:bsn
type $BSN
expect field bsn $BSN
tap next
expect screen page:partner
tap yes
tap next
expect screen page:partner_bsn
type $BSN2
expect field partner_bsn $BSN2
tap next
expect screen page:iban
type $IBAN
expect field iban $IBAN
tap next
expect screen page:email
tap next
tap field:akkoord
tap next
expect screen review
expect on-screen $NAME
EOF
  ;;
  esac
}

ending() {
  case $1 in
  stop) printf 'tap stop\ntap stop-yes\n' ;;
  idle) printf 'advance 121\nsettle\nexpect screen idle-warning\nadvance 46\nsettle\n' ;;
  submit) printf 'tap submit\nexpect screen confirmation\ntap done\n' ;;
  esac
  printf 'expect screen welcome\n'
}

# On the current screen: no value shown.
clean() { for token in "${TOKENS[@]}"; do echo "expect not-on-screen $token"; done; }

# The next session: the same pages, ordinary answers; each screen checked before typing.
walk() {
  case $1 in
  verhuizing) cat <<EOF
tap start
$(clean)
tap lang:nl
tap form:verhuizing
$(clean)
tap next
expect field postcode ""
$(clean)
type 1234AB
tap next
type 5
tap next
tap next
expect field straat ""
type Dorpsstraat
tap next
tap date:day-up
tap next
tap option:anders
tap next
expect screen page:meeverhuizers
expect field meeverhuizers ""
$(clean)
type Jan
tap next
tap no
tap next
expect screen page:bsn
expect field bsn ""
$(clean)
type 111222333
tap next
expect screen page:telefoon
expect field telefoon ""
$(clean)
tap next
expect screen page:email
expect field email ""
$(clean)
tap next
tap field:akkoord
tap next
expect screen review
$(clean)
tap show:bsn
$(clean)
EOF
  ;;
  kwijtschelding) cat <<EOF
tap start
$(clean)
tap lang:nl
tap form:kwijtschelding
$(clean)
tap next
$(clean)
tap option:afval
tap next
tap option:alleen
tap next
tap date:day-up
tap next
expect screen page:inkomen
expect field inkomen ""
type 0
tap next
expect screen page:geen_inkomen
expect field leeft_van ""
$(clean)
type Jan
tap next
tap no
tap next
expect screen page:iban
expect field iban ""
$(clean)
type NL91ABNA0417164300
tap next
expect screen page:bsn
expect field bsn ""
$(clean)
type 111222333
tap next
expect screen page:email
expect field email ""
$(clean)
tap next
tap next
tap field:akkoord
tap next
expect screen review
$(clean)
EOF
  ;;
  bijzondere-bijstand) cat <<EOF
tap start
$(clean)
tap lang:nl
tap form:bijzondere-bijstand
$(clean)
tap next
tap option:anders
tap next
expect screen page:omschrijving
expect field omschrijving ""
$(clean)
type Jan
tap next
type 450
tap next
tap no
tap next
tap next
expect screen page:bsn
expect field bsn ""
$(clean)
type 111222333
tap next
tap yes
tap next
expect screen page:partner_bsn
expect field partner_bsn ""
$(clean)
type 123456782
tap next
expect screen page:iban
expect field iban ""
$(clean)
type NL91ABNA0417164300
tap next
expect screen page:email
expect field email ""
$(clean)
tap next
tap field:akkoord
tap next
expect screen review
$(clean)
EOF
  ;;
  esac
}

# The marker between the sessions in the speech log: help on the welcome screen, which the
# filling never asks for. `expect spoken` also empties the script's own list of what was
# said, so that `expect not-spoken` below looks at the next session only.
MARKER="Dit is hulp"
marker() { printf 'tap help\nexpect spoken %s\ntap help-close\n' "$MARKER"; }

# The search: every value, case-insensitive, its characters possibly separated by spaces,
# dots, dashes (a grouped IBAN, a BSN spelled digit by digit); also as UTF-16 and base64.
cat > scan.py <<'PY'
import base64, os, re, sys
tokens = sys.argv[1].split("\n")
sep = rb"[\s.,\-]{0,3}"
patterns = []
for t in tokens:
    raw = t.encode()
    patterns.append((t, re.compile(sep.join(re.escape(bytes([c])) for c in raw), re.I)))
    patterns.append((t + " (UTF-16)", re.compile(re.escape(t.encode("utf-16-le")), re.I)))
    for shift in range(3):  # base64 of the value at each alignment, without the edges
        enc = base64.b64encode(b"xyz"[:shift] + raw)[4 if shift else 0:-4]
        if len(enc) >= 8: patterns.append((t + " (base64)", re.compile(re.escape(enc))))
def search(data):
    return sorted({name for name, p in patterns if p.search(data)})
mode = sys.argv[2]
if mode == "files":   # paths on stdin; prints "path: values" for each hit
    for path in sys.stdin.read().split("\0"):
        if not path: continue
        try:
            with open(path, "rb") as f: data = f.read(64 << 20)
        except OSError: continue
        hits = search(data)
        if hits: print(f"{path}: {', '.join(hits)}")
elif mode == "count":  # one file: how often each value occurs
    data = open(sys.argv[3], "rb").read()
    for name, p in patterns:
        n = len(p.findall(data))
        if n: print(f"{name}: {n}")
else:                 # text on stdin: prints the values found
    hits = search(sys.stdin.buffer.read())
    if hits: print(", ".join(hits))
PY
tokens=$(printf '%s\n' "${TOKENS[@]}"); tokens=${tokens%$'\n'}

# The scanner finds what it should (else every "nothing found" below means nothing).
[ -n "$(printf 'x Q U I R I J N T J E x 2 7 3 8 4 6 1 5 2' | python3 scan.py "$tokens" text)" ] \
  || problem "the scanner does not find spelled values"

touch "$out/.started"
sleep 1
started=$(date +%s)

# -- the nine sessions (three forms x three endings), one kiosk process each ------------
for form in verhuizing kwijtschelding bijzondere-bijstand; do
  for end in stop idle submit; do
    name=$form-$end
    {
      echo "# $name: filled with distinctive values, ended by $end, then the same form again"
      fill "$form"
      ending "$end"
      marker
      walk "$form"
      for token in "${TOKENS[@]}"; do echo "expect not-spoken $token"; done
      echo "tap stop"
      echo "tap stop-yes"
    } > "$name.script"
    if ! (cd run && xvfb-run -a -s "-screen 0 1920x1080x24" \
            "$kiosk" run --config "$out/kiosk.yaml" --script "$out/$name.script" \
            --speech-log "$out/$name.speech.jsonl" > "$out/$name.stdout" 2> "$out/$name.stderr"); then
      problem "$name: the script failed (see $out/$name.stderr)"
    fi
    # The speech log after the marker: the next session.
    after=$(awk -v m="$MARKER" 'found; index($0, m) { found = 1 }' "$name.speech.jsonl")
    [ -n "$after" ] || problem "$name: the marker is not in the speech log"
    said=$(printf '%s' "$after" | python3 scan.py "$tokens" text)
    [ -z "$said" ] || problem "$name: the next session said: $said"
    # ... while the first session's part does hold the values (the check can see them).
    before=$(awk -v m="$MARKER" 'index($0, m) { exit } { print }' "$name.speech.jsonl" | python3 scan.py "$tokens" text)
    case $before in *Quirijntje*) ;; *) problem "$name: the first session's speech does not hold the name (the check is blind)" ;; esac
    # The kiosk's own messages; the script runner's reports of failed expectations quote
    # the values and are not the kiosk's.
    logged=$(grep -v ': expect failed: ' "$name.stderr" | python3 scan.py "$tokens" text || true)
    [ -z "$logged" ] || problem "$name: stderr holds: $logged"
  done
done
note "nine sessions: $(( $(date +%s) - started )) s"

# -- the outbox: three submissions, sealed, nothing readable -----------------------------
subs=$(find outbox -maxdepth 1 -name '*.sub' | wc -l)
[ "$subs" -eq 3 ] || problem "the outbox holds $subs submissions, not 3"
# The sealed files do hold the values (opened with the backend's key), so "not found in
# the outbox" below means encrypted, not missing.
opened=$(python3 - "$out/sealing.key" outbox/*.sub <<'PY' | python3 scan.py "$tokens" text
import base64, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
b64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
for path in sys.argv[2:]:
    jwe = json.loads(open(path).read().split("\n", 1)[1])
    cek = key.decrypt(b64(jwe["encrypted_key"]), padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None))
    print(AESGCM(cek).decrypt(b64(jwe["iv"]), b64(jwe["ciphertext"]) + b64(jwe["tag"]), jwe["protected"].encode()).decode())
PY
) || true
case $opened in *Quirijntje*) ;; *) problem "the sealed submissions do not open to the values (check the test)" ;; esac

# -- files written while the kiosk ran ----------------------------------------------------
# Everything the kiosk could write to. Left out: the test's own inputs and outputs (the
# scripts quote the values; the speech logs hold the first sessions by design; the
# script runner's stderr is checked above; the key opens the sealed files).
places=("$out" /tmp /var/tmp /dev/shm)
[ -d "/run/user/$(id -u)" ] && places+=("/run/user/$(id -u)")
found=$(find "${places[@]}" -xdev -type f -newer "$out/.started" \
          ! -path "$out/*.script" ! -path "$out/*.speech.jsonl" ! -path "$out/*.stderr" \
          ! -path "$out/scan.py" ! -path "$out/sealing.key" -print0 2>/dev/null \
        | python3 scan.py "$tokens" files || true)
[ -z "$found" ] || problem "values in files: $found"
count=$(find "${places[@]}" -xdev -type f -newer "$out/.started" 2>/dev/null | wc -l)
note "files written during the run and searched: $count"

# -- core dumps ---------------------------------------------------------------------------
# Started in the background in a fresh folder, filled to the review screen, then waiting.
crash() {
  local signal=$1 dir=$out/crash-$1
  mkdir -p "$dir"
  { fill verhuizing; marker; echo "wait 60000"; } > "$dir/fill.script"
  ( cd "$dir" && ulimit -c unlimited && exec xvfb-run -a -s "-screen 0 1920x1080x24" bash -c \
      '"$1" run --config "$2" --script fill.script --speech-log speech.jsonl 2> kiosk.stderr & echo $! > kiosk.pid; wait' \
      _ "$kiosk" "$out/kiosk.yaml" ) > /dev/null 2>&1 &
  local runner=$!
  for _ in $(seq 1 300); do
    grep -q "$MARKER" "$dir/speech.jsonl" 2>/dev/null && break
    sleep 0.2
  done
  local pid; pid=$(cat "$dir/kiosk.pid" 2>/dev/null || true)
  if [ -z "$pid" ] || ! grep -q "$MARKER" "$dir/speech.jsonl" 2>/dev/null; then
    problem "crash-$signal: the kiosk did not reach the review screen"
    wait "$runner" || true
    return
  fi
  local limit; limit=$(awk '/Max core file size/ { print $5 " " $6 }' "/proc/$pid/limits")
  [ "$limit" = "0 0" ] || problem "crash-$signal: the running kiosk's core file size limit is '$limit', not 0"
  # Raised from outside (root can; a user cannot raise the hard limit the kiosk lowered):
  # then only "not dumpable" stands between the answers and a core file.
  if prlimit --pid "$pid" --core=unlimited:unlimited 2>/dev/null; then raised=" (limit raised to unlimited first)"; else raised=""; fi
  kill "-$signal" "$pid"
  wait "$runner" || true
  local cores; cores=$(find "$dir" -maxdepth 1 -name 'core*' | wc -l)
  [ "$cores" -eq 0 ] || problem "crash-$signal: $cores core file(s) in $dir"
  note "crash-$signal: killed at the review screen$raised; core files: $cores"
  rm -f "$dir"/core*
}

# The control: in the same kind of folder, a process that did not switch dumps off leaves
# a core. Without one (core_pattern pipes to a helper, or cores are off for the machine)
# the absence above proves less, and we say so.
pattern=$(cat /proc/sys/kernel/core_pattern)
mkdir -p "$out/control"
( cd "$out/control" && ulimit -c unlimited && exec sleep 30 ) &
control=$!
sleep 0.3
kill -SEGV "$control"; wait "$control" 2>/dev/null || true
if [ -n "$(find "$out/control" -maxdepth 1 -name 'core*')" ]; then
  note "control: a process killed the same way leaves a core file (core_pattern '$pattern')"
  rm -f "$out/control"/core*
else
  note "control: no core file even without our settings (core_pattern '$pattern'); the crash checks show only the limit"
  case $pattern in
    \|*) command -v coredumpctl > /dev/null && note "coredumpctl is there: see 'coredumpctl list kiosk'" ;;
  esac
fi
crash SEGV
crash ABRT
if command -v coredumpctl > /dev/null 2>&1; then
  if coredumpctl list --no-pager --since "@$started" 2>/dev/null | grep -q kiosk; then
    problem "systemd-coredump holds a dump of the kiosk"
  fi
fi

# -- optional: the kiosk's memory after a session ended ------------------------------------
if [ "${KIOSK_PRIVACY_MEMORY:-0}" = 1 ]; then
  dir=$out/memory
  mkdir -p "$dir"
  { fill verhuizing; ending stop; marker; echo "wait 60000"; } > "$dir/fill.script"
  ( cd "$dir" && exec xvfb-run -a -s "-screen 0 1920x1080x24" bash -c \
      '"$1" run --config "$2" --script fill.script --speech-log speech.jsonl 2> kiosk.stderr & echo $! > kiosk.pid; wait' \
      _ "$kiosk" "$out/kiosk.yaml" ) > /dev/null 2>&1 &
  runner=$!
  for _ in $(seq 1 300); do grep -q "$MARKER" "$dir/speech.jsonl" 2>/dev/null && break; sleep 0.2; done
  sleep 1
  pid=$(cat "$dir/kiosk.pid")
  if gcore -o "$dir/image" "$pid" > /dev/null 2>&1; then
    note "memory of the kiosk after 'stop' (welcome screen shown), occurrences:"
    python3 scan.py "$tokens" count "$dir/image.$pid" | sed 's/^/  /'
    note "  (done)"
  else
    note "memory: gcore could not attach (needs root or CAP_SYS_PTRACE)"
  fi
  rm -f "$dir/image.$pid"   # it holds whatever the kiosk still held
  kill -TERM "$pid" 2>/dev/null || true
  wait "$runner" || true
fi

if [ "${#problems[@]}" -ne 0 ]; then
  printf 'privacy_check: FAIL: %s\n' "${problems[@]}" >&2
  echo "privacy_check: failed; logs in $out" >&2
  exit 1
fi
note "no value on screen, in speech, in stderr, in files, or in a core dump after stop, idle timeout and submit"
