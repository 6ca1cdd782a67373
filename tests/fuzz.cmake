# The fuzz targets' seeds and every saved crash, replayed through the same functions the
# libFuzzer targets call (fuzz/targets.hpp), in the normal g++ build: the corpora and the
# regressions cannot rot, and a fixed crash that comes back fails ctest. docs/fuzzing.md.
add_executable(test_fuzz_corpus
  unit/fuzz/corpus_test.cpp
  ${PROJECT_SOURCE_DIR}/fuzz/invariant.cpp
  ${PROJECT_SOURCE_DIR}/fuzz/form_loader_fuzz.cpp
  ${PROJECT_SOURCE_DIR}/fuzz/show_if_fuzz.cpp
  ${PROJECT_SOURCE_DIR}/fuzz/config_fuzz.cpp
  ${PROJECT_SOURCE_DIR}/fuzz/backend_answer_fuzz.cpp
)
target_link_libraries(test_fuzz_corpus PRIVATE kiosk_core kiosk_net kiosk_test_main)
target_compile_definitions(test_fuzz_corpus PRIVATE ${KIOSK_TEST_DEFINES})
kiosk_target_defaults(test_fuzz_corpus)
doctest_discover_tests(test_fuzz_corpus)
