#include "speech/speech_log.hpp"

#include "forms/wipe.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

namespace kiosk::speech {

std::expected<std::unique_ptr<SpeechLog>, SpeechFailure> SpeechLog::open(const std::filesystem::path& file,
                                                                          Speaker& inner,
                                                                          std::chrono::steady_clock::time_point start) {
    std::FILE* handle = std::fopen(file.c_str(), "ab");
    if (handle == nullptr) {
        return std::unexpected(SpeechFailure{SpeechError::LogWriteFailed, file.string() + ": " + std::strerror(errno)});
    }
    return std::unique_ptr<SpeechLog>(new SpeechLog(handle, inner, start));
}

SpeechLog::SpeechLog(std::FILE* file, Speaker& inner, std::chrono::steady_clock::time_point start)
    : m_file(file), m_inner(inner), m_start(start) {}

SpeechLog::~SpeechLog() { std::fclose(m_file); }

std::string SpeechLog::line(std::chrono::milliseconds t, std::string_view language, std::string_view text) {
    // Key order as in the contract; ordered_json keeps insertion order. error_handler
    // `replace` turns invalid UTF-8 into U+FFFD instead of throwing through the UI.
    nlohmann::ordered_json object;
    object["t_ms"] = t.count();
    object["lang"] = std::string(language);
    object["text"] = std::string(text);
    return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void SpeechLog::write(std::string_view text, std::string_view language) {
    const auto t = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_start);
    std::string out = line(t, language, text) + "\n";
    if (std::fwrite(out.data(), 1, out.size(), m_file) != out.size() || std::fflush(m_file) != 0) {
        m_writeError = SpeechFailure{SpeechError::LogWriteFailed, std::strerror(errno)};
    }
    kiosk::wipe(out);
}

UtteranceId SpeechLog::say(std::string_view text, std::string_view language) {
    write(text, language);
    return m_inner.say(text, language);
}

UtteranceId SpeechLog::queue(std::string_view text, std::string_view language) {
    write(text, language);
    return m_inner.queue(text, language);
}

std::optional<SpeechFailure> SpeechLog::lastError() const {
    if (m_writeError) return m_writeError;
    return m_inner.lastError();
}

}  // namespace kiosk::speech
