#include "kiosk/net/curl_library.hpp"

#include <dlfcn.h>

#include <atomic>

namespace kiosk::net {

namespace {

// libcurl's ABI has had this soname since 7.16 (2006); curl 7.85 or newer is what the
// kiosk is built and tested with (find_package(CURL 7.85)).
constexpr const char* kSoname = "libcurl.so.4";

std::atomic<bool> g_opened{false};

std::expected<CurlLibrary, std::string> open() {
    void* library = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);  // never closed
    if (library == nullptr) {
        const char* why = dlerror();
        return std::unexpected(std::string("libcurl cannot be loaded: ") + (why != nullptr ? why : kSoname));
    }
    g_opened = true;
    CurlLibrary curl;
    std::string missing;
    auto find = [&](auto& function, const char* name) {
        function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(library, name));
        if (function == nullptr) missing += missing.empty() ? name : std::string(", ") + name;
    };
    find(curl.globalInit, "curl_global_init");
    find(curl.easyInit, "curl_easy_init");
    find(curl.easyCleanup, "curl_easy_cleanup");
    find(curl.easySetopt, "curl_easy_setopt");
    find(curl.easyGetinfo, "curl_easy_getinfo");
    find(curl.easyPerform, "curl_easy_perform");
    find(curl.easyStrerror, "curl_easy_strerror");
    find(curl.getdate, "curl_getdate");
    find(curl.multiInit, "curl_multi_init");
    find(curl.multiCleanup, "curl_multi_cleanup");
    find(curl.multiAddHandle, "curl_multi_add_handle");
    find(curl.multiRemoveHandle, "curl_multi_remove_handle");
    find(curl.multiPerform, "curl_multi_perform");
    find(curl.multiInfoRead, "curl_multi_info_read");
    find(curl.multiPoll, "curl_multi_poll");
    find(curl.multiWakeup, "curl_multi_wakeup");
    find(curl.slistAppend, "curl_slist_append");
    find(curl.slistFreeAll, "curl_slist_free_all");
    decltype(&curl_version_info) versionInfo = nullptr;
    find(versionInfo, "curl_version_info");
    if (!missing.empty()) {
        return std::unexpected("libcurl is too old (7.85 or newer is needed): it lacks " + missing);
    }
    // CURLOPT_PROTOCOLS_STR, which the TLS set-up needs, came with 7.85.
    const curl_version_info_data* version = versionInfo(CURLVERSION_NOW);
    if (version == nullptr || version->version_num < 0x075500) {
        return std::unexpected(std::string("libcurl is too old (7.85 or newer is needed): this is ") +
                               (version != nullptr && version->version != nullptr ? version->version : "unknown"));
    }
    if (const CURLcode started = curl.globalInit(CURL_GLOBAL_DEFAULT); started != CURLE_OK) {
        return std::unexpected("libcurl could not start: " + std::string(curl.easyStrerror(started)));
    }
    return curl;
}

}  // namespace

std::expected<const CurlLibrary*, std::string> curlLibrary() {
    // A function-local static: opened once, thread-safe (curl_global_init itself is not).
    static const std::expected<CurlLibrary, std::string> loaded = open();
    if (!loaded) return std::unexpected(loaded.error());
    return &*loaded;
}

bool curlLibraryOpened() { return g_opened; }

}  // namespace kiosk::net
