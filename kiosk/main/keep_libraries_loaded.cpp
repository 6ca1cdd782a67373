// Sanitizer builds only (tests/ci/sanitize.sh): no library is ever unloaded.
//
// Closing the X display makes Mesa dlclose its driver (swrast_dri.so), and with it goes the
// driver's global that holds its executable-memory heap (rtasm's exec_heap, kept for the life
// of the process by design). LeakSanitizer's check at exit then finds that heap unreachable
// and reports it as a leak from an "<unknown module>" (two 56-byte blocks), which no
// suppression can name. The same holds for any library dlopened and closed again. With
// dlclose() a no-op, the libraries' globals stay roots and their frames keep their names.
// The kiosk binary defines it, so it comes first for every library, as zero_on_free.cpp's
// operator delete does; libraries are then unloaded only at exit, after the check.
//
// Only in the kiosk binary, and only under AddressSanitizer: production builds keep glibc's.
#if defined(__SANITIZE_ADDRESS__)

extern "C" int dlclose(void*) { return 0; }

#endif
