# bench_outbox (included from bench/CMakeLists.txt): durable enqueue time per submission and
# the time to drain 1000 submissions to the demo backend. `bench_outbox --short` in CI.
add_executable(bench_outbox ${CMAKE_CURRENT_LIST_DIR}/bench_outbox.cpp)
target_link_libraries(bench_outbox PRIVATE kiosk_net)
target_compile_definitions(bench_outbox PRIVATE KIOSK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                                KIOSK_PYTHON="/usr/bin/python3")
set_target_properties(bench_outbox PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
kiosk_target_defaults(bench_outbox)
