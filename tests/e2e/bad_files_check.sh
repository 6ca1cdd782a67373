#!/usr/bin/env bash
# Bad files everywhere (issue 7, point 6), end to end with the real binary: a forms folder
# with the three demo forms and every kind of bad file a penetration tester would try
# (truncated, binary, huge and sparse, deeply nested, billion laughs, links out of the
# folder, dangling and circular links, a named pipe, a folder, a socket, an unreadable
# file, hostile icons). `kiosk lint` must name each bad file with its reason (exit 1), and
# `kiosk run` must still offer the good forms (a script taps through to a good form's first
# page). A bad config file (truncated, binary, huge, a folder, a pipe) makes both commands
# exit 2. Nothing may hang on the pipe: every command runs under `timeout`.
#   bad_files_check.sh KIOSK SOURCE_DIR OUTDIR
set -euo pipefail
kiosk=$(readlink -f "$1"); src=$(readlink -f "$2"); out=$3
rm -rf "$out"; mkdir -p "$out"; out=$(readlink -f "$out")
fail() { echo "bad_files_check: $*" >&2; exit 1; }
forms="$out/forms"; outside="$out/outside"
mkdir -p "$forms/icons" "$outside"

# --- the folder -------------------------------------------------------------------------------
cp "$src"/assets/forms/*.yaml "$forms/"
good_form() {  # good_form ID [ICON]
  printf 'form: %s\nversion: 1\ntitle: { nl: Goed, en: Good }\n' "$1"
  [ -z "${2:-}" ] || printf 'icon: %s\n' "$2"
  printf 'languages: [nl, en]\nsubmit:\n  endpoint: https://localhost/api\npages:\n  - id: p1\n'
  printf '    fields:\n      - id: naam\n        type: text\n        label: { nl: Naam, en: Name }\n'
}
good_form elders > "$outside/elders.yaml"
printf 'form: kapot\nversion: 1\ntitle: { nl: Verhuizing, en: Mo' > "$forms/afgekapt-map.yaml"
printf 'form: kapot\nversion: 1\ntitle: "Verhuizing doorge' > "$forms/afgekapt-tekst.yaml"
printf 'form: kapot\nversion: 1\ntitle: Caf\xc3' > "$forms/afgekapt-letter.yaml"
printf 'form: kapot\nversion: 1\0\0\0\0' > "$forms/nulbytes.yaml"
cp "$src/tests/data/bad-icons/icons/goed.png" "$forms/plaatje.yaml"
head -c 4096 /dev/urandom > "$forms/willekeurig.yaml"
{ good_form groot; head -c 1048576 /dev/zero | tr '\0' '#'; } > "$forms/net-te-groot.yaml"
truncate -s 10G "$forms/tien-gb.yaml"
python3 -c 'print("form: " + "[" * 100000 + "]" * 100000)' > "$forms/diep.yaml"
{ echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  echo 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]'
  echo 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]'; } > "$forms/lachen.yaml"
ln -s /etc/passwd "$forms/buiten.yaml"
ln -s "../outside/elders.yaml" "$forms/buiten-relatief.yaml"
ln -s "$outside" "$forms/gedeeld"
ln -s gedeeld/elders.yaml "$forms/via-map.yaml"
ln -s nergens.yaml "$forms/dood.yaml"
ln -s rond.yaml "$forms/rond.yaml"
mkfifo "$forms/pijp.yaml"
mkdir "$forms/map.yaml"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$forms/socket.yaml"
good_form onleesbaar > "$forms/onleesbaar.yaml"; chmod 000 "$forms/onleesbaar.yaml"
for icon in bom.png reus.png afgekapt.png entiteiten.svg extern-bestand.svg; do
  cp "$src/tests/data/bad-icons/icons/$icon" "$forms/icons/"
done
cp "$src/tests/data/bad-icons/icons/goed.png" "$outside/weg.png"
ln -s "$outside/weg.png" "$forms/icons/weg.png"
good_form icoon-bom bom > "$forms/icoon-bom.yaml"
good_form icoon-reus reus > "$forms/icoon-reus.yaml"
good_form icoon-afgekapt afgekapt > "$forms/icoon-afgekapt.yaml"
good_form icoon-entiteiten entiteiten > "$forms/icoon-entiteiten.yaml"
good_form icoon-extern extern-bestand > "$forms/icoon-extern.yaml"
good_form icoon-weg weg > "$forms/icoon-weg.yaml"

# --- the lint, as the unprivileged kiosk user (root reads anything, even mode 000) -------------
as_kiosk_user=()
if [ "$(id -u)" = 0 ]; then
  as_kiosk_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod -R a+rX "$out"; chmod 000 "$forms/onleesbaar.yaml"
fi
set +e
timeout 20 "${as_kiosk_user[@]}" "$kiosk" lint "$forms" > "$out/lint.out" 2> "$out/lint.err"
status=$?
set -e
cat "$out/lint.out" "$out/lint.err" > "$out/lint.log"
[ "$status" -ne 124 ] || fail "kiosk lint hung (killed after 20 s)"
[ "$status" -eq 1 ] || { cat "$out/lint.log"; fail "kiosk lint exited $status, not 1"; }
expect_finding() {  # expect_finding FILE TEXT: FILE has an error finding containing TEXT
  grep -F -- "$forms/$1:" "$out/lint.err" | grep -F -- ": error: " | grep -qF -- "$2" ||
    { cat "$out/lint.log"; fail "the lint does not say for $1: $2"; }
}
expect_finding afgekapt-map.yaml "it was probably cut off"
expect_finding afgekapt-tekst.yaml "it was probably cut off"
expect_finding afgekapt-letter.yaml "the file ends in the middle of a letter"
expect_finding nulbytes.yaml "the file holds a zero byte, so it is not a text file"
expect_finding plaatje.yaml "the file is a PNG image, not a form file"
expect_finding willekeurig.yaml "1:"
expect_finding net-te-groot.yaml "form files may be at most 1024 KiB (1 MiB)"
expect_finding tien-gb.yaml "the file is 10485760 KiB"
expect_finding diep.yaml "nested too deeply (more than 64 levels)"
expect_finding lachen.yaml "anchors (&name) are not allowed"
expect_finding buiten.yaml "refused: this link points outside the forms folder (to /etc/passwd)"
expect_finding buiten-relatief.yaml "refused: this link points outside the forms folder"
expect_finding via-map.yaml "refused: this link points outside the forms folder"
expect_finding dood.yaml "refused: this link points to nergens.yaml, which does not exist"
expect_finding rond.yaml "refused: this link leads round in a circle"
expect_finding pijp.yaml "refused: this is a named pipe (FIFO), not a form file"
expect_finding map.yaml "refused: this is a folder, not a form file"
expect_finding socket.yaml "refused: this is a socket, not a form file"
if [ ${#as_kiosk_user[@]} -gt 0 ] || [ "$(id -u)" != 0 ]; then
  expect_finding onleesbaar.yaml "cannot read this file (permission denied); let the kiosk user read it, for example with: chmod a+r onleesbaar.yaml"
fi
expect_finding icoon-bom.yaml "icons/bom.png cannot be used: the PNG's image data unpacks to more than"
expect_finding icoon-reus.yaml "icons/reus.png cannot be used: the PNG image is 100000 x 100000 pixels"
expect_finding icoon-afgekapt.yaml "icons/afgekapt.png cannot be used: the PNG file ends too early"
expect_finding icoon-entiteiten.yaml "icons/entiteiten.svg cannot be used: the SVG has a <!DOCTYPE> or <!ENTITY> part"
expect_finding icoon-extern.yaml "icons/extern-bestand.svg cannot be used: the SVG refers to something outside itself"
expect_finding icoon-weg.yaml "icons/weg.png cannot be used: refused: this link points outside the forms folder"
grep -q "^$forms: 3 of " "$out/lint.out" || { cat "$out/lint.log"; fail "the lint does not count 3 good forms"; }
for good in verhuizing bijzondere-bijstand kwijtschelding; do
  if grep -F -- "$forms/$good.yaml:" "$out/lint.err" | grep -qF ": error: "; then
    cat "$out/lint.log"; fail "the good demo form $good.yaml has an error"
  fi
done

# --- the kiosk still serves the good forms --------------------------------------------------
cat > "$out/bad-files.script" <<'EOF'
expect screen welcome
tap start
expect screen language
tap lang:nl
expect screen forms
tap form:verhuizing
expect screen intro
tap next
expect screen page:postcode
EOF
cd "$out"
set +e
SDL_AUDIODRIVER=dummy timeout 120 xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" run --window --forms "$forms" --script "$out/bad-files.script" > "$out/run.log" 2>&1
status=$?
set -e
[ "$status" -ne 124 ] || { cat "$out/run.log"; fail "kiosk run hung (killed after 120 s)"; }
[ "$status" -eq 0 ] || { cat "$out/run.log"; fail "kiosk run exited $status: the good forms were not offered"; }
# Root reads the mode-000 file, so the kiosk run as root has that good form too.
ready=3; [ "$(id -u)" != 0 ] || ready=4
grep -q "kiosk: $ready form(s) ready from $forms" "$out/run.log" ||
  { cat "$out/run.log"; fail "the kiosk did not load exactly the $ready good forms"; }

# --- a bad config file: exit 2 with a clear message, for run and for lint -----------------------
configs="$out/configs"; mkdir -p "$configs"
printf 'kiosk_id: bieb\nlanguages: [nl, en' > "$configs/afgekapt.yaml"
cp "$src/tests/data/bad-icons/icons/goed.png" "$configs/binair.yaml"
truncate -s 10G "$configs/groot.yaml"
mkdir "$configs/map.yaml"
mkfifo "$configs/pijp.yaml"
check_config() {  # check_config FILE TEXT
  for command in run lint; do
    local args=(run --config "$configs/$1")
    [ "$command" = run ] || args=(lint "$forms" --config "$configs/$1")
    set +e
    timeout 20 "$kiosk" "${args[@]}" > "$out/config.log" 2>&1
    local code=$?
    set -e
    [ "$code" -eq 2 ] || { cat "$out/config.log"; fail "kiosk $command --config $1 exited $code, not 2"; }
    grep -qF -- "$configs/$1" "$out/config.log" && grep -qF -- "$2" "$out/config.log" ||
      { cat "$out/config.log"; fail "kiosk $command --config $1 does not say: $2"; }
  done
}
check_config afgekapt.yaml "it was probably cut off"
check_config binair.yaml "the config is a PNG image, not text"
check_config groot.yaml "the file is 10485760 KiB; a config file may be at most 1024 KiB (1 MiB)"
# The command line refuses a folder before the config is read (CLI11's ExistingFile).
check_config map.yaml "File is actually a directory"
check_config pijp.yaml "refused: this is a named pipe (FIFO), not a config file"
echo "bad_files_check: every bad file named, the good forms served"
