#!/usr/bin/env bash
# The real-kiosk deployment, checked (issue 6, items 7 and 8):
#   tests/ci/deploy.sh BUILD_DIR
# 1. builds the .deb with CPack from BUILD_DIR (configured by CMake; the kiosk target is
#    built if needed) and checks `dpkg-deb --contents` and `--info`;
# 2. unpacks it and runs the installed kiosk: `--version`, `lint` of the demo forms, and a
#    session under cage through the installed kiosk-session (tests/e2e/cage_check.sh) that
#    must speak a text found only in the installed assets;
# 3. `systemd-analyze verify` of the unit as installed (in a root made of the unpacked
#    package and this machine's systemd units, so that no systemd needs to run) and
#    `systemd-analyze security --offline` (exposure at most 3.0);
# 4. applies the package's sysusers.d and tmpfiles.d files to a scratch root;
# 5. `promtool check config/rules` and `promtool test rules` (skipped without promtool);
# 6. `ansible-playbook --syntax-check`, and a `--check` run against localhost.
# Needs (deploy/install-deps.sh): dpkg-dev, systemd, cage, xwayland, ansible-core,
# promtool (taken out of Debian's prometheus package, downloaded, not installed). Run as root (cage's check drops to the user nobody).
# Prints "N passed, N failed" at the end; exits non-zero on any failure.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(readlink -f "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
out="$build/deploy-check"
start=$(date +%s)

passes=0; failures=0; skips=0
ok()   { echo "ok: $1"; passes=$((passes + 1)); }
fail() { echo "FAILED: $1"; failures=$((failures + 1)); }
skip() { echo "skipped: $1"; skips=$((skips + 1)); }
step() { echo; echo "== $1 ($(( $(date +%s) - start )) s)"; }

rm -rf "$out"
mkdir -p "$out"

# ---------------------------------------------------------------------------------------
step "1. the package"
cmake --build "$build" --target kiosk > "$out/build.log" 2>&1 \
  || { tail -n 30 "$out/build.log"; echo "deploy: building the kiosk failed"; exit 1; }
version=$(sed -n 's/^project(toegang VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
( cd "$out" && cpack --config "$build/CPackConfig.cmake" -B "$out/cpack" ) > "$out/cpack.log" 2>&1 \
  || { cat "$out/cpack.log"; echo "deploy: cpack failed"; exit 1; }
deb=$(ls "$out"/cpack/toegang-kiosk_*.deb)
echo "package: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --contents "$deb" > "$out/contents.txt"
dpkg-deb --info "$deb" > "$out/info.txt"

# Every path a kiosk needs, with its owner and mode where that matters.
expect_file() {  # expect_file PATH [MODE]
  local line
  line=$(awk -v p="./${1#/}" '$6 == p' "$out/contents.txt")
  if [ -z "$line" ]; then fail "the package has $1"; return; fi
  if [ -n "${2:-}" ] && [[ "$line" != "$2 root/root "* ]]; then
    fail "$1 is $2 root/root (got: ${line%% *} $(awk '{print $2}' <<<"$line"))"; return
  fi
  ok "the package has $1${2:+ ($2 root/root)}"
}
expect_file /usr/bin/kiosk -rwxr-xr-x
for lang in $(cd "$repo/assets/strings" && ls *.yaml); do
  expect_file "/usr/share/toegang/assets/strings/$lang"
done
for form in $(cd "$repo/assets/forms" && ls *.yaml); do
  expect_file "/usr/share/toegang/assets/forms/$form"
done
expect_file /usr/share/toegang/assets/icons/material-icons.tsv
expect_file /usr/lib/toegang-kiosk/kiosk-session -rwxr-xr-x
expect_file /lib/systemd/system/toegang-kiosk.service -rw-r--r--
expect_file /usr/lib/sysusers.d/toegang-kiosk.conf -rw-r--r--
expect_file /usr/lib/tmpfiles.d/toegang-kiosk.conf -rw-r--r--
expect_file /etc/pam.d/toegang-kiosk -rw-r--r--
expect_file /usr/share/toegang/examples/config.yaml
expect_file /usr/share/doc/toegang-kiosk/operator-guide.md
if grep -qE '^l.* \./var/lib/prometheus/node-exporter/toegang\.prom -> /var/lib/toegang-metrics/toegang\.prom$' "$out/contents.txt"; then
  ok "the package links node_exporter's toegang.prom to /var/lib/toegang-metrics/toegang.prom"
else
  fail "the package links node_exporter's toegang.prom to /var/lib/toegang-metrics/toegang.prom"
fi
# Nothing of the build or the tests: no headers, libraries, test scripts, build paths.
if grep -E '\./usr/(include|lib/[^/]*\.(a|so))|/tests?/|build-|\.speech\.jsonl' "$out/contents.txt"; then
  fail "the package holds nothing from the build or the tests"
else
  ok "the package holds nothing from the build or the tests"
fi
# No file outside the expected places (a new install() rule must be added here knowingly).
if awk '{print $6}' "$out/contents.txt" | grep -vE '^\./(usr/bin/kiosk|usr/share/toegang/|usr/lib/toegang-kiosk/|lib/systemd/system/toegang-kiosk\.service|usr/lib/(sysusers|tmpfiles)\.d/toegang-kiosk\.conf|etc/pam\.d/toegang-kiosk|usr/share/doc/toegang-kiosk/|var/lib/prometheus/node-exporter/toegang\.prom)' \
   | grep -v '/$'; then
  fail "every file of the package is in an expected place"
else
  ok "every file of the package is in an expected place"
fi

field() { sed -n "s/^ $1: //p" "$out/info.txt"; }
[ "$(field Package)" = toegang-kiosk ] && ok "Package: toegang-kiosk" || fail "Package: toegang-kiosk (got $(field Package))"
[ "$(field Version)" = "$version" ] && ok "Version: $version (from CMakeLists.txt)" || fail "Version $version (got $(field Version))"
depends=$(field Depends)
for dep in libc6 libsdl2-2.0-0 libespeak-ng1 libcurl4 libssl3 libyaml-0-2 \
           cage xwayland libegl-mesa0 libgl1-mesa-dri espeak-ng-data fonts-dejavu-core \
           fonts-material-design-icons-iconfont libpam-systemd librsvg2-2; do
  if grep -qE "(^|, )$dep( |,|$)" <<<"$depends"; then ok "Depends: $dep"; else fail "Depends: $dep (Depends: $depends)"; fi
done
dpkg-deb --ctrl-tarfile "$deb" | tar -t > "$out/control-files.txt"
for f in postinst prerm postrm conffiles; do
  grep -qx "./$f" "$out/control-files.txt" && ok "control: $f" || fail "control: $f"
done
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/pam.d/toegang-kiosk ] \
  && ok "conffiles: /etc/pam.d/toegang-kiosk" || fail "conffiles: /etc/pam.d/toegang-kiosk"
if dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -v '^ *#' | grep -qE 'systemctl (--system )?(start|restart|enable --now) '; then
  fail "postinst never starts the kiosk on a first install"
else
  ok "postinst never starts the kiosk on a first install"
fi

# ---------------------------------------------------------------------------------------
step "2. the installed kiosk"
root="$out/root"
dpkg-deb -x "$deb" "$root"
chmod 0755 "$out" "$root"
installed=$root/usr/bin/kiosk
if [ "$("$installed" --version)" = "kiosk $version" ]; then ok "kiosk --version: kiosk $version"; else fail "kiosk --version"; fi
if "$installed" lint "$root/usr/share/toegang/assets/forms" > "$out/lint.log" 2>&1; then
  ok "kiosk lint of the installed demo forms"
else
  cat "$out/lint.log"; fail "kiosk lint of the installed demo forms"
fi
if "$installed" lint "$root/usr/share/toegang/assets/forms" --config "$root/usr/share/toegang/examples/config.yaml" > "$out/lint-config.log" 2>&1 \
   || [ $? -eq 1 ]; then
  ok "the example config is accepted (lint --config: not exit 2)"
else
  cat "$out/lint-config.log"; fail "the example config is accepted"
fi
# Mark the installed Dutch welcome text: if the kiosk says the mark, it reads the installed
# assets and not the source tree it was built from.
mark="Deze tekst komt uit het pakket."
sed -i "s/^welcome.body: .*/welcome.body: \"$mark\"/" "$root/usr/share/toegang/assets/strings/nl.yaml"
grep -q "$mark" "$root/usr/share/toegang/assets/strings/nl.yaml" || fail "marking the installed welcome text"
if bash "$repo/tests/e2e/cage_check.sh" "$installed" "$root/usr/lib/toegang-kiosk/kiosk-session" "$out/cage" "$mark" > "$out/cage.log" 2>&1; then
  ok "the installed kiosk runs under cage through kiosk-session and reads the installed assets"
else
  status=$?
  if [ "$status" -eq 77 ]; then skip "$(tail -n 1 "$out/cage.log")"
  else sed 's/^/  cage: /' "$out/cage.log"; fail "the installed kiosk runs under cage (tests/e2e/cage_check.sh)"; fi
fi

# ---------------------------------------------------------------------------------------
step "3. the unit"
verify_root="$out/verify-root"
mkdir -p "$verify_root"
cp -a "$root/." "$verify_root/"
# The units the kiosk's refers to (sysinit.target, getty@.service, ...) from this machine.
mkdir -p "$verify_root/lib/systemd/system"
cp -an /lib/systemd/system/. "$verify_root/lib/systemd/system/"
unit="$verify_root/lib/systemd/system/toegang-kiosk.service"
if systemd-analyze verify --root="$verify_root" "$unit" > "$out/verify.log" 2>&1 && [ ! -s "$out/verify.log" ]; then
  ok "systemd-analyze verify toegang-kiosk.service (no warnings)"
else
  cat "$out/verify.log"; fail "systemd-analyze verify toegang-kiosk.service"
fi
# The check must be able to fail: the same unit with a missing ExecStart binary.
sed 's#^ExecStart=/usr/lib/toegang-kiosk/kiosk-session#ExecStart=/usr/lib/toegang-kiosk/not-there#' "$unit" \
  > "$verify_root/lib/systemd/system/toegang-kiosk-broken.service"
if systemd-analyze verify --root="$verify_root" "$verify_root/lib/systemd/system/toegang-kiosk-broken.service" > /dev/null 2>&1; then
  fail "systemd-analyze verify refuses a unit whose ExecStart is missing (control)"
else
  ok "systemd-analyze verify refuses a unit whose ExecStart is missing (control)"
fi
rm "$verify_root/lib/systemd/system/toegang-kiosk-broken.service"
systemd-analyze security --offline=true --root="$verify_root" toegang-kiosk.service > "$out/security.log" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for toegang-kiosk.service: \([0-9.]*\).*/\1/p' "$out/security.log")
echo "sandbox exposure (systemd-analyze security): ${exposure:-?}"
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 3.0) }'; then
  ok "sandbox exposure $exposure <= 3.0"
else
  cat "$out/security.log"; fail "sandbox exposure at most 3.0 (got ${exposure:-none})"
fi
for setting in 'ProtectSystem=strict' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'ProtectHome=yes' \
               'Restart=on-failure' 'User=toegang' 'CapabilityBoundingSet=$' 'UMask=0077' \
               'StateDirectoryMode=0700' 'PAMName=toegang-kiosk' 'SyslogIdentifier=toegang-kiosk'; do
  grep -q "^$setting" "$unit" && ok "unit: $setting" || fail "unit: $setting"
done
if grep -qE '^[^#]*(--speech-log|MemoryDenyWriteExecute=yes)' "$unit"; then
  fail "the unit has no speech log and no MemoryDenyWriteExecute"
else
  ok "the unit has no speech log and no MemoryDenyWriteExecute"
fi

# ---------------------------------------------------------------------------------------
step "4. sysusers.d and tmpfiles.d"
sysroot="$out/sysroot"
mkdir -p "$sysroot/etc"
for f in passwd group shadow gshadow; do [ -f /etc/$f ] && cp /etc/$f "$sysroot/etc/"; done
systemd-sysusers --root="$sysroot" "$root/usr/lib/sysusers.d/toegang-kiosk.conf" > "$out/sysusers.log" 2>&1 \
  || { cat "$out/sysusers.log"; fail "systemd-sysusers"; }
grep -q '^toegang:x:[0-9]*:[0-9]*:Toegang kiosk:/var/lib/kiosk:/usr/sbin/nologin$' "$sysroot/etc/passwd" \
  && ok "sysusers: the user toegang, no shell" || fail "sysusers: the user toegang"
for g in video render input audio; do
  grep -qE "^$g:[^:]*:[0-9]+:(.*,)?toegang(,|$)" "$sysroot/etc/group" && ok "sysusers: toegang in $g" || fail "sysusers: toegang in $g"
done
uid=$(awk -F: '$1 == "toegang" {print $3}' "$sysroot/etc/passwd")
systemd-tmpfiles --root="$sysroot" --create "$root/usr/lib/tmpfiles.d/toegang-kiosk.conf" > "$out/tmpfiles.log" 2>&1 \
  || { cat "$out/tmpfiles.log"; fail "systemd-tmpfiles --create"; }
[ "$(stat -c '%a %u' "$sysroot/var/lib/kiosk/outbox")" = "700 $uid" ] && ok "tmpfiles: /var/lib/kiosk/outbox 0700 toegang" \
  || fail "tmpfiles: /var/lib/kiosk/outbox 0700 toegang (got $(stat -c '%a %u' "$sysroot/var/lib/kiosk/outbox" 2>&1))"
gid=$(awk -F: '$1 == "toegang" {print $3}' "$sysroot/etc/group")
[ "$(stat -c '%a %U %g' "$sysroot/etc/kiosk")" = "750 root $gid" ] && ok "tmpfiles: /etc/kiosk 0750 root:toegang" \
  || fail "tmpfiles: /etc/kiosk 0750 root:toegang"
[ "$(stat -c '%a %u' "$sysroot/var/lib/toegang-metrics")" = "755 $uid" ] && ok "tmpfiles: /var/lib/toegang-metrics 0755 toegang" \
  || fail "tmpfiles: /var/lib/toegang-metrics 0755 toegang"
[ "$(stat -c '%a %u %s' "$sysroot/var/lib/toegang-metrics/toegang.prom")" = "644 $uid 0" ] \
  && ok "tmpfiles: an empty toegang.prom 0644 (the link never dangles)" || fail "tmpfiles: an empty toegang.prom 0644"
if [ -s "$out/tmpfiles.log" ]; then cat "$out/tmpfiles.log"; fail "systemd-tmpfiles said nothing"; else ok "systemd-tmpfiles said nothing"; fi

# ---------------------------------------------------------------------------------------
step "5. Prometheus"
# promtool comes in Debian's `prometheus` package, whose installation also starts a
# Prometheus server listening on every interface (on a machine run by systemd). Tests start
# no such server: the package is only downloaded from Debian's archive and promtool taken
# out of it, into the output folder; nothing is installed.
promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
  fetch=$(mktemp -d /tmp/kiosk-promtool.XXXXXX); chmod 755 "$fetch"
  if ( cd "$fetch" && apt-get download -q prometheus ) > "$out/promtool-download.log" 2>&1 \
     && dpkg-deb -x "$fetch"/prometheus_*.deb "$fetch/root" && [ -x "$fetch/root/usr/bin/promtool" ]; then
    cp "$fetch/root/usr/bin/promtool" "$out/promtool"; promtool=$out/promtool
  fi
  rm -rf "$fetch"
fi
if [ -n "$promtool" ]; then
  promtool() { "$promtool" "$@"; }
  ( cd "$repo/deploy/prometheus" &&
    promtool check config prometheus.yml && promtool check rules toegang-alerts.yml &&
    promtool test rules toegang-alerts.test.yml ) > "$out/promtool.log" 2>&1 \
    && ok "promtool: the scrape config, the alert rules and their unit tests" \
    || { cat "$out/promtool.log"; fail "promtool (deploy/prometheus)"; }
else
  skip "no promtool: not installed, and Debian's prometheus package could not be downloaded (see $out/promtool-download.log)"
fi

# ---------------------------------------------------------------------------------------
step "6. Ansible"
ansible_dir="$repo/deploy/ansible"
export ANSIBLE_CONFIG="$ansible_dir/ansible.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_LOCAL_TEMP="$out/ansible-tmp" ANSIBLE_REMOTE_TEMP="$out/ansible-tmp"
if ansible-playbook -i "$ansible_dir/inventory/hosts.yml" "$ansible_dir/site.yml" --syntax-check > "$out/ansible-syntax.log" 2>&1; then
  ok "ansible-playbook --syntax-check"
else
  cat "$out/ansible-syntax.log"; fail "ansible-playbook --syntax-check"
fi
# Files the playbook copies, made for this run: a CA, a client certificate and key, the
# backend's public key, the forms signing key, and the demo forms as the forms folder.
pki="$out/pki"
mkdir -p "$pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=ci-kiosk -days 2 \
  -keyout "$pki/kiosk.key" -out "$pki/kiosk.crt" > /dev/null 2>&1
openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout > "$pki/forms-signing.pub.pem"
cat > "$out/ansible-ci.yml" <<VARS
kiosk_hosts: localhost
ansible_python_interpreter: /usr/bin/python3
kiosk_deb: $deb
kiosk_id: ci-kiosk
kiosk_ca_src: $pki/kiosk.crt
kiosk_client_cert_src: $pki/kiosk.crt
kiosk_client_key_src: $pki/kiosk.key
kiosk_backend_public_key_src: $pki/forms-signing.pub.pem
kiosk_forms_signature_key_src: $pki/forms-signing.pub.pem
kiosk_forms_src: $repo/assets/forms
VARS
if ansible-playbook -i localhost, -c local "$ansible_dir/site.yml" --check --diff \
     -e "@$ansible_dir/inventory/group_vars/kiosks.yml" -e "@$out/ansible-ci.yml" > "$out/ansible-check.log" 2>&1; then
  ok "ansible-playbook --check against localhost"
  grep -A3 '^PLAY RECAP' "$out/ansible-check.log"
else
  cat "$out/ansible-check.log"; fail "ansible-playbook --check against localhost"
fi
# A --check run changes nothing.
[ ! -e /etc/kiosk/config.yaml ] || [ -n "${DEPLOY_ALLOW_EXISTING_KIOSK:-}" ] \
  && ok "--check wrote no /etc/kiosk/config.yaml" || fail "--check wrote no /etc/kiosk/config.yaml"

# ---------------------------------------------------------------------------------------
# 7. (DEPLOY_REAL_RUN=1 only: it changes this machine) The playbook for real on localhost:
# installs the package and node_exporter, user toegang, /etc/kiosk; signed forms; a second
# run changes nothing; a tampered forms folder is refused and the kiosk keeps the old one.
# Afterwards the package is purged and /etc/kiosk, /var/lib/kiosk removed again.
if [ "${DEPLOY_REAL_RUN:-0}" = 1 ]; then
  step "7. Ansible for real on this machine (DEPLOY_REAL_RUN=1)"
  if [ -e /etc/kiosk ] || dpkg-query -W toegang-kiosk >/dev/null 2>&1; then
    fail "a real run needs a machine without toegang-kiosk and /etc/kiosk"
  else
    openssl genpkey -algorithm ed25519 -out "$pki/forms-signing.key" 2>/dev/null
    chmod 0600 "$pki/forms-signing.key"
    openssl pkey -in "$pki/forms-signing.key" -pubout > "$pki/forms-signing.pub.pem"
    signed="$out/forms-signed"
    cp -r "$repo/assets/forms" "$signed"
    "$installed" sign "$signed" --key "$pki/forms-signing.key" > "$out/sign.log" 2>&1 \
      || { cat "$out/sign.log"; fail "kiosk sign"; }
    echo "kiosk_forms_src: $signed" >> "$out/ansible-ci.yml"
    # The demo forms submit to https://localhost:8443.
    printf 'kiosk_allowed_hosts: [localhost]\nkiosk_backend_endpoint: https://localhost:8443/api/submissions\n' >> "$out/ansible-ci.yml"
    real() {  # real NAME: one playbook run, log in $out/ansible-NAME.log
      ansible-playbook -i localhost, -c local "$ansible_dir/site.yml" \
        -e "@$ansible_dir/inventory/group_vars/kiosks.yml" -e "@$out/ansible-ci.yml" > "$out/ansible-$1.log" 2>&1
    }
    if real first; then ok "the playbook installs a kiosk"; else tail -n 40 "$out/ansible-first.log"; fail "the playbook installs a kiosk"; fi
    id toegang > /dev/null 2>&1 && ok "user toegang (postinst: systemd-sysusers)" || fail "user toegang"
    live=$(readlink /etc/kiosk/forms || true)
    [[ "$live" == /etc/kiosk/forms-releases/* ]] && ok "/etc/kiosk/forms -> $live" || fail "/etc/kiosk/forms is a link to a version (got '$live')"
    [ -f "$live/SIGNATURE" ] && ok "the signed folder arrived with its SIGNATURE" || fail "the forms' SIGNATURE arrived"
    [ "$(stat -c '%a %U %G' /etc/kiosk/kiosk.key 2>&1)" = "640 root toegang" ] && ok "kiosk.key 0640 root:toegang" \
      || fail "kiosk.key 0640 root:toegang (got $(stat -c '%a %U %G' /etc/kiosk/kiosk.key 2>&1))"
    [ "$(stat -c '%a %U %G' /etc/kiosk/config.yaml 2>&1)" = "640 root toegang" ] && ok "config.yaml 0640 root:toegang" \
      || fail "config.yaml 0640 root:toegang"
    grep -q '^forms_signature_key: /etc/kiosk/forms-signing.pub.pem' /etc/kiosk/config.yaml \
      && ok "the config names the forms signing key" || fail "the config names the forms signing key"
    /usr/bin/kiosk lint /etc/kiosk/forms --config /etc/kiosk/config.yaml > "$out/lint-live.log" 2>&1 \
      && ok "kiosk lint of the live forms with the live config" || { cat "$out/lint-live.log"; fail "kiosk lint of the live forms"; }
    [ -f /var/lib/prometheus/node-exporter/toegang.prom ] && [ "$(stat -L -c %U /var/lib/prometheus/node-exporter/toegang.prom)" = toegang ] \
      && ok "node_exporter's toegang.prom leads to the kiosk's metrics file" || fail "node_exporter's toegang.prom leads to the kiosk's metrics file"
    if real second && grep -qE 'localhost +: ok=[0-9]+ +changed=0 ' "$out/ansible-second.log"; then
      ok "a second run changes nothing (no restart)"
    else
      grep -B2 -A1 '^changed' "$out/ansible-second.log" | head -n 30; fail "a second run changes nothing"
    fi
    # Staff changed a form after signing: the playbook must stop and keep the old version.
    sed -i 's/nl: Verhuizing doorgeven,/nl: Verhuizing nu doorgeven,/' "$signed/verhuizing.yaml"
    grep -q 'Verhuizing nu doorgeven' "$signed/verhuizing.yaml" || fail "changing a signed form (the test's own step)"
    if real tampered; then
      fail "a forms folder changed after signing is refused"
    else
      grep -q 'SIGNATURE\|signature\|signed' "$out/ansible-tampered.log" \
        && ok "a forms folder changed after signing is refused (the signature is named)" \
        || { tail -n 20 "$out/ansible-tampered.log"; fail "the refusal names the signature"; }
    fi
    [ "$(readlink /etc/kiosk/forms)" = "$live" ] && ok "the kiosk keeps the old forms" || fail "the kiosk keeps the old forms"
    # Clean up: as decommissioning (docs/operator-guide.md, section 12) does.
    apt-get purge -y -q toegang-kiosk > "$out/purge.log" 2>&1 || { cat "$out/purge.log"; fail "apt-get purge toegang-kiosk"; }
    rm -rf /etc/kiosk /var/lib/kiosk /var/lib/toegang-metrics /var/cache/toegang-kiosk
    [ -f /usr/bin/kiosk ] && fail "purge removes /usr/bin/kiosk" || ok "purge removes /usr/bin/kiosk"
  fi
fi

echo
echo "deploy: $(( $(date +%s) - start )) s; package $deb"
echo "deploy: $passes passed, $failures failed, $skips skipped"
[ "$failures" -eq 0 ]
