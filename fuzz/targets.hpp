// The fuzz targets' bodies: one function per kind of outside input. Each feeds the bytes to
// the real parser and checks invariants that must hold for any input (not only "no crash").
//
// The same functions run twice: inside libFuzzer (fuzz/libfuzzer_entry.cpp, built with
// clang-16 by fuzz/CMakeLists.txt) and in the normal g++ test build, where test_fuzz_corpus
// (tests/fuzz.cmake) replays every seed and every saved crash through them, so the corpora
// and the regression files cannot rot. docs/fuzzing.md says how to run them.
//
// A broken invariant prints what broke and aborts (libFuzzer then saves the input; doctest
// reports the crashed test case with the file it was replaying).
#pragma once

#include <string_view>

namespace kiosk::fuzz {

// A form file's bytes -> forms::loadFormText.
void formLoader(std::string_view bytes);
// A show_if condition -> condition::parse, check against a fixed small form, evaluate.
void showIf(std::string_view bytes);
// A config file's bytes -> core::parseConfig.
void config(std::string_view bytes);
// A raw HTTP answer ("HTTP/1.1 503 ...\r\nRetry-After: 5\r\n\r\nbody") -> the readers of
// kiosk/net/answer.hpp, as CurlSubmitter and Delivery use them.
void backendAnswer(std::string_view bytes);

// Prints "fuzz invariant broken: what (file:line)" to stderr and aborts.
[[noreturn]] void invariantBroken(const char* what, const char* file, int line);

}  // namespace kiosk::fuzz

// Checked in every build type (not assert(): fuzz builds may define NDEBUG).
#define KIOSK_FUZZ_CHECK(condition)                                                   \
    do {                                                                              \
        if (!(condition)) ::kiosk::fuzz::invariantBroken(#condition, __FILE__, __LINE__); \
    } while (false)
