#!/usr/bin/env bash
# `kiosk preview` end to end (ctest e2e_preview): a temporary copy of the demo form
# verhuizing, the preview on it under Xvfb, driven by tests/e2e/preview/preview.script, which edits
# the copy while the preview runs (as an editor saves: temporary file, rename) and checks
# the screen. Screenshots land in OUTDIR.
#   preview_check.sh KIOSK SOURCE_DIR OUTDIR
set -euo pipefail
kiosk=$(readlink -f "$1"); source=$(readlink -f "$2"); out=$3
mkdir -p "$out"
cd "$out"
rm -rf preview-forms
mkdir preview-forms
cp "$source/assets/forms/verhuizing.yaml" preview-forms/
# A staff icon for the script to use and then replace (a red square on white).
mkdir preview-forms/icons
cat > preview-forms/icons/eigen.svg <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">
  <rect x="0" y="0" width="48" height="48" fill="#FFFFFF"/>
  <rect x="8" y="8" width="32" height="32" fill="#CC0000"/>
</svg>
SVG
export SDL_AUDIODRIVER=${SDL_AUDIODRIVER:-dummy}
status=0
xvfb-run -a -s "-screen 0 1920x1080x24" \
  "$kiosk" preview preview-forms --script "$source/tests/e2e/preview/preview.script" \
  --speech-log preview.speech.jsonl 2> preview.log || status=$?
cat preview.log >&2
# Nothing is ever stored or sent: no outbox, and the log says the forms were read again.
grep -q "forms read again" preview.log || { echo "preview_check: the preview never read the folder again" >&2; status=1; }
exit $status
