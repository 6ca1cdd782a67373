# The Debian package of the kiosk, made with CPack: toegang-kiosk_<version>_<arch>.deb.
#   cpack --config <build>/CPackConfig.cmake -B <out>     (tests/ci/deploy.sh does it and checks it)
# Layout (prefix /usr; the kiosk finds its assets relative to its own path, core/assets.cpp):
#   /usr/bin/kiosk, /usr/share/toegang/assets (strings, icons, the demo forms as examples),
#   /usr/lib/toegang-kiosk/kiosk-session, /lib/systemd/system/toegang-kiosk.service,
#   /usr/lib/sysusers.d + tmpfiles.d/toegang-kiosk.conf, /etc/pam.d/toegang-kiosk (conffile),
#   /usr/share/toegang/examples/config.yaml, /usr/share/doc/toegang-kiosk/*.md,
#   /var/lib/prometheus/node-exporter/toegang.prom -> /var/lib/toegang-metrics/toegang.prom.
# Included from the top CMakeLists.txt; the binary and assets' own install() rules are in
# kiosk/CMakeLists.txt.

set(KIOSK_DEPLOY_DIR ${PROJECT_SOURCE_DIR}/deploy)

install(PROGRAMS ${KIOSK_DEPLOY_DIR}/systemd/kiosk-session DESTINATION lib/toegang-kiosk)
# Debian 12 packages put units in /lib/systemd/system (merged /usr makes it /usr/lib too).
install(FILES ${KIOSK_DEPLOY_DIR}/systemd/toegang-kiosk.service DESTINATION /lib/systemd/system)
install(FILES ${KIOSK_DEPLOY_DIR}/systemd/toegang-kiosk.sysusers
        DESTINATION lib/sysusers.d RENAME toegang-kiosk.conf)
install(FILES ${KIOSK_DEPLOY_DIR}/systemd/toegang-kiosk.tmpfiles
        DESTINATION lib/tmpfiles.d RENAME toegang-kiosk.conf)
install(FILES ${KIOSK_DEPLOY_DIR}/systemd/toegang-kiosk.pam DESTINATION /etc/pam.d RENAME toegang-kiosk)
# The example config is not a conffile: the real one (/etc/kiosk/config.yaml) is the
# operator's, and the package never writes it. Not under /usr/share/doc, which minimal
# images leave out.
install(FILES ${KIOSK_DEPLOY_DIR}/config.yaml.example DESTINATION share/toegang/examples RENAME config.yaml)
# node_exporter's textfile collector (Debian's default folder) reads the kiosk's metrics
# through this link; the kiosk writes the file in its own folder (tmpfiles.d), since
# systemd-tmpfiles refuses to touch Debian's root-owned folder under prometheus's.
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/deploy)
file(CREATE_LINK /var/lib/toegang-metrics/toegang.prom ${CMAKE_BINARY_DIR}/deploy/toegang.prom SYMBOLIC)
install(FILES ${CMAKE_BINARY_DIR}/deploy/toegang.prom DESTINATION /var/lib/prometheus/node-exporter)
install(FILES ${PROJECT_SOURCE_DIR}/docs/operator-guide.md ${PROJECT_SOURCE_DIR}/docs/outbox.md
              ${PROJECT_SOURCE_DIR}/docs/privacy.md ${PROJECT_SOURCE_DIR}/docs/forms.md
        DESTINATION share/doc/toegang-kiosk)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME toegang-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Toegang")
set(CPACK_PACKAGE_CONTACT "Toegang maintainers <toegang@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "accessible e-service kiosk (fullscreen, spoken, touch and keypad)")
set(CPACK_PACKAGE_DESCRIPTION
    "Citizens fill in simplified municipal forms, one question per screen, read aloud by
eSpeak NG, with touch, keyboard, keypad or switch. Submissions go to the e-service over TLS
and wait in a durable, encrypted outbox while it is down. Runs under the cage Wayland
kiosk compositor as a sandboxed systemd service (toegang-kiosk.service).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Without debug info: 50 MB of a RelWithDebInfo binary become a few MB on the kiosk.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries: computed by dpkg-shlibdeps (dpkg-dev) from the binary.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What the binary does not link but needs at run time: the compositor (Debian's cage will
# not start without Xwayland), EGL for SDL's Wayland window, Mesa's drivers, the voices'
# data, the fonts, and logind's PAM module for the kiosk's seat session. librsvg2-2 and
# libcurl4 are loaded (dlopen) when the first SVG icon is drawn and the first submission is
# sent, so dpkg-shlibdeps does not see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "cage, xwayland, libegl1, libegl-mesa0, libgl1-mesa-dri, espeak-ng-data, fonts-dejavu-core, fonts-material-design-icons-iconfont, systemd, libpam-systemd, librsvg2-2, libcurl4 (>= 7.85.0)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "prometheus-node-exporter")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${KIOSK_DEPLOY_DIR}/debian/postinst ${KIOSK_DEPLOY_DIR}/debian/prerm
    ${KIOSK_DEPLOY_DIR}/debian/postrm ${KIOSK_DEPLOY_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
