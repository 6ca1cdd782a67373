# kiosk/net's tests (included from tests/CMakeLists.txt): test_net (doctest, discovered by
# ctest), the outbox driver that the crash test kills, and the certificates every TLS test
# uses, made once per build tree by the fixture test net_certificates.
find_package(CURL 7.85 REQUIRED)

set(KIOSK_NET_CERTS_DIR "${CMAKE_CURRENT_BINARY_DIR}/net-certs")

# Enqueues submissions and prints "confirmed <ref>" after each durable enqueue, delivering in
# the background; the crash test SIGKILLs and restarts it.
add_executable(outbox_driver peers/outbox_driver.cpp)
target_link_libraries(outbox_driver PRIVATE kiosk_net)
kiosk_target_defaults(outbox_driver)

add_executable(test_net
  unit/net/net_support.cpp
  unit/net/envelope_test.cpp
  unit/net/outbox_test.cpp
  unit/net/delivery_test.cpp
  unit/net/status_test.cpp
  unit/net/tls_test.cpp
  unit/net/faults_test.cpp
  unit/net/crash_test.cpp
  unit/net/storage_test.cpp
  unit/net/nginx_test.cpp
  unit/net/service_test.cpp
  unit/net/self_test_test.cpp
)
target_link_libraries(test_net PRIVATE kiosk_net kiosk_test_main CURL::libcurl OpenSSL::Crypto
                                       nlohmann_json::nlohmann_json)
target_compile_definitions(test_net PRIVATE ${KIOSK_TEST_DEFINES}
  KIOSK_NET_CERTS_DIR="${KIOSK_NET_CERTS_DIR}"
  KIOSK_OUTBOX_DRIVER="$<TARGET_FILE:outbox_driver>"
  # Debian's python3 with python3-cryptography, not whatever python3 is first on PATH.
  KIOSK_PYTHON="/usr/bin/python3")
add_dependencies(test_net outbox_driver)
kiosk_target_defaults(test_net)

add_test(NAME net_certificates
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/peers/make_certs.sh ${KIOSK_NET_CERTS_DIR})
set_tests_properties(net_certificates PROPERTIES FIXTURES_SETUP net_certs)
doctest_discover_tests(test_net PROPERTIES FIXTURES_REQUIRED net_certs)

# The README's demo: deploy/demo-backend.sh with certificates made on first run, and the
# kiosk config it prints, used by a real SubmissionService.
add_test(NAME net_demo_backend_script
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/peers/demo_backend_test.sh
                 $<TARGET_FILE:outbox_driver> ${PROJECT_SOURCE_DIR})
