// libcurl, opened when a request is first made (dlopen of libcurl.so.4, the OpenSSL flavour
// Debian's libcurl4 ships): it and the 26 libraries only it needs (GnuTLS for RTMP, Kerberos,
// LDAP, SSH, ...) are then not mapped, relocated and initialised at every start of the
// kiosk, on the way to its first frame (docs/performance.md). The delivery worker or the
// staff self-test pays that once, off the UI thread.
//
// Calls go through the table below, not through curl.h's functions, so the type checks of
// curl's `curl_easy_setopt` macro do not apply: pass the types the option wants (long, not
// int; a pointer of the right type), as curl's documentation says.
//
// Private to kiosk/net (curl_submitter.cpp); no public header includes it.
#pragma once

#include <curl/curl.h>

#include <expected>
#include <string>

namespace kiosk::net {

struct CurlLibrary {
    decltype(&curl_global_init) globalInit = nullptr;
    decltype(&curl_easy_init) easyInit = nullptr;
    decltype(&curl_easy_cleanup) easyCleanup = nullptr;
    decltype(&curl_easy_setopt) easySetopt = nullptr;
    decltype(&curl_easy_getinfo) easyGetinfo = nullptr;
    decltype(&curl_easy_perform) easyPerform = nullptr;
    decltype(&curl_easy_strerror) easyStrerror = nullptr;
    decltype(&curl_getdate) getdate = nullptr;
    decltype(&curl_multi_init) multiInit = nullptr;
    decltype(&curl_multi_cleanup) multiCleanup = nullptr;
    decltype(&curl_multi_add_handle) multiAddHandle = nullptr;
    decltype(&curl_multi_remove_handle) multiRemoveHandle = nullptr;
    decltype(&curl_multi_perform) multiPerform = nullptr;
    decltype(&curl_multi_info_read) multiInfoRead = nullptr;
    decltype(&curl_multi_poll) multiPoll = nullptr;
    decltype(&curl_multi_wakeup) multiWakeup = nullptr;
    decltype(&curl_slist_append) slistAppend = nullptr;
    decltype(&curl_slist_free_all) slistFreeAll = nullptr;
};

// The library, opened and initialised (curl_global_init) once per process, or why it cannot
// be used ("libcurl.so.4: cannot open shared object file ..."). Thread: any; the first call
// opens it, the others wait for that and get the same answer. Never closed.
[[nodiscard]] std::expected<const CurlLibrary*, std::string> curlLibrary();

// Whether curlLibrary() has opened it in this process (tests: not at start).
[[nodiscard]] bool curlLibraryOpened();

}  // namespace kiosk::net
