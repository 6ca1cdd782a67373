# speech/ and kiosk/core/spoken: test_speech. The EspeakSpeaker tests synthesise with the real
# eSpeak NG and play into SDL's dummy audio driver (set inside the tests), so they need no
# sound card; the whole executable runs in well under a minute.
add_executable(test_speech
  unit/speech/word_timeline_test.cpp
  unit/speech/espeak_speaker_test.cpp
  unit/speech/speakers_test.cpp
  unit/speech/spoken_test.cpp
)
target_link_libraries(test_speech PRIVATE kiosk_speech kiosk_core kiosk_test_main)
target_compile_definitions(test_speech PRIVATE ${KIOSK_TEST_DEFINES})
kiosk_target_defaults(test_speech)
doctest_discover_tests(test_speech)
