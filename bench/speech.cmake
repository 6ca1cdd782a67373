# bench_speech: how quickly the voice reacts (say -> first audio, stop -> silence) and how
# fast eSpeak NG synthesises per language. Runs into SDL's dummy audio driver by default.
add_executable(bench_speech ${CMAKE_CURRENT_LIST_DIR}/bench_speech.cpp)
target_link_libraries(bench_speech PRIVATE kiosk_speech)
kiosk_target_defaults(bench_speech)
