#!/usr/bin/env bash
# Signed forms folders end to end (docs/signing.md), with the real binary and real keys made
# by the openssl command as staff make them: `kiosk sign`, then `kiosk lint --signature-key`
# and `kiosk lint --config` accept the folder; `kiosk run --config` with forms_signature_key
# offers its forms and draws its own icons (an icon changed while the kiosk runs is not
# drawn); after a file is added the lint names it (exit 1) and the kiosk offers no form and
# logs why; a bad forms_signature_key is a config error (exit 2, line:column).
#   signature_check.sh KIOSK SOURCE_DIR OUTDIR
set -euo pipefail
kiosk=$(readlink -f "$1"); src=$(readlink -f "$2"); out=$3
rm -rf "$out"; mkdir -p "$out"; out=$(readlink -f "$out")
fail() { echo "signature_check: $*" >&2; exit 1; }
scripts="$src/tests/e2e/signature"
forms="$out/forms"
mkdir -p "$forms"
cp "$src"/assets/forms/*.yaml "$forms/"
cp -r "$src/tests/data/custom-icons/." "$forms/"

# --- keys, as docs/signing.md tells staff to make them -------------------------------------
(umask 077; openssl genpkey -algorithm ed25519 -out "$out/forms-private.pem")
openssl pkey -in "$out/forms-private.pem" -pubout -out "$out/forms-public.pem"
fingerprint="SHA256:$(openssl pkey -pubin -in "$out/forms-public.pem" -outform DER |
  openssl dgst -sha256 -binary | base64 | tr -d '=')"

# --- sign, then lint with the key and with a config ------------------------------------------
"$kiosk" sign "$forms" --key "$out/forms-private.pem" > "$out/sign.log" 2>&1 ||
  { cat "$out/sign.log"; fail "kiosk sign failed"; }
grep -qF "Signed 6 files in $forms with the key $fingerprint." "$out/sign.log" ||
  { cat "$out/sign.log"; fail "kiosk sign does not report 6 files and the key $fingerprint"; }
grep -qF "key: $fingerprint" "$forms/SIGNATURE" || fail "SIGNATURE does not name the key"
"$kiosk" lint "$forms" --signature-key "$out/forms-public.pem" > "$out/lint-good.log" 2>&1 ||
  { cat "$out/lint-good.log"; fail "kiosk lint --signature-key refused the signed folder"; }
cat > "$out/kiosk.yaml" <<YAML
kiosk_id: e2e-signature
forms: forms
forms_signature_key: forms-public.pem
languages: [nl, en]
YAML
"$kiosk" lint "$forms" --config "$out/kiosk.yaml" > "$out/lint-config.log" 2>&1 ||
  { cat "$out/lint-config.log"; fail "kiosk lint --config refused the signed folder"; }

# --- a private key others can read is refused ------------------------------------------------
cp "$out/forms-private.pem" "$out/open-private.pem"; chmod 644 "$out/open-private.pem"
if "$kiosk" sign "$forms" --key "$out/open-private.pem" > "$out/sign-open.log" 2>&1; then
  fail "kiosk sign accepted a private key that others can read"
fi
grep -qF "chmod 600" "$out/sign-open.log" || { cat "$out/sign-open.log"; fail "no chmod advice"; }

# --- the kiosk runs the signed folder; an icon changed while it runs is not drawn -------------
cd "$out"
SDL_AUDIODRIVER=dummy timeout 120 xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" run --window --config "$out/kiosk.yaml" --script "$scripts/good-folder.script" \
  > "$out/run-good.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q "form(s) ready" "$out/run-good.log" 2>/dev/null && break
  sleep 0.1
done
# The script waits 4 s on the welcome screen; the icon is read when page:soort shows it.
cp "$src/tests/data/bad-icons/icons/goed.png" "$forms/icons/fiets.png"
set +e; wait $pid; status=$?; set -e
[ "$status" -eq 0 ] || { cat "$out/run-good.log"; fail "kiosk run with the signed folder exited $status"; }
grep -qF "kiosk: 4 form(s) ready from $forms" "$out/run-good.log" ||
  { cat "$out/run-good.log"; fail "the signed folder did not give its 4 forms"; }
grep -qF "the icon fiets.png is not drawn: this file was changed after the folder was signed" "$out/run-good.log" ||
  { cat "$out/run-good.log"; fail "the icon changed after loading was drawn anyway"; }
if grep -qF "e-fiets.svg is not drawn" "$out/run-good.log"; then
  cat "$out/run-good.log"; fail "the signed icon e-fiets.svg was not drawn"
fi

# --- a file added: lint names it, the kiosk offers no form and says why in its log -------------
cp "$src/tests/data/custom-icons/icons/fiets.png" "$forms/icons/fiets.png"  # back as signed
"$kiosk" lint "$forms" --config "$out/kiosk.yaml" > /dev/null 2>&1 || fail "the restored folder is refused"
cp "$src/tests/data/bad-icons/icons/goed.png" "$forms/icons/extra.png"
set +e
"$kiosk" lint "$forms" --signature-key "$out/forms-public.pem" > "$out/lint-bad.log" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { cat "$out/lint-bad.log"; fail "kiosk lint exited $status for an added file, not 1"; }
added="$forms/icons/extra.png:1:1: error: the forms folder was changed after it was signed: this file is new"
grep -qF "$added" "$out/lint-bad.log" || { cat "$out/lint-bad.log"; fail "the lint does not name the added file"; }
set +e
SDL_AUDIODRIVER=dummy timeout 120 xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" run --window --config "$out/kiosk.yaml" --script "$scripts/refused-folder.script" \
  > "$out/run-refused.log" 2>&1
status=$?
set -e
[ "$status" -eq 0 ] || { cat "$out/run-refused.log"; fail "kiosk run with the altered folder exited $status"; }
grep -qF "$added" "$out/run-refused.log" || { cat "$out/run-refused.log"; fail "the refusal is not in the log"; }
grep -qF "the whole forms folder is refused, so no form is offered" "$out/run-refused.log" ||
  { cat "$out/run-refused.log"; fail "the log does not say the folder is refused"; }
grep -qF "kiosk: 0 form(s) ready" "$out/run-refused.log" || { cat "$out/run-refused.log"; fail "forms were offered"; }

# --- a bad forms_signature_key: exit 2 with line and column, for run and lint ----------------
printf 'forms: forms\nforms_signature_key: forms-private.pem\n' > "$out/bad-key.yaml"
for command in run lint; do
  args=(run --config "$out/bad-key.yaml"); [ "$command" = run ] || args=(lint "$forms" --config "$out/bad-key.yaml")
  set +e; timeout 20 "$kiosk" "${args[@]}" > "$out/bad-key.log" 2>&1; status=$?; set -e
  [ "$status" -eq 2 ] || { cat "$out/bad-key.log"; fail "kiosk $command with a private key as forms_signature_key exited $status"; }
  grep -qF "$out/bad-key.yaml:2:22: forms_signature_key: cannot use $out/forms-private.pem: this is a private key" "$out/bad-key.log" ||
    { cat "$out/bad-key.log"; fail "kiosk $command does not say where the bad key is"; }
done
echo "signature_check: signed folder served, changes refused, bad keys named"
