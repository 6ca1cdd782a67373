// Every block the kiosk's C++ code frees is overwritten with zeros first (docs/privacy.md).
//
// Answers pass through many short-lived strings: a string that grows while the citizen
// types leaves its old buffer behind, the screen model and utterances are rebuilt after
// every touch, the JSON library copies values while it builds the payload. Wiping each of
// those by hand cannot be complete, so the kiosk binary replaces the global operator
// delete: the freed block (its whole usable size, as malloc reports it) is zeroed before it
// goes back to the allocator. It reaches every C++ container and string in the process,
// including those of the libraries we link that allocate with new (libstdc++ users);
// blocks that C libraries free() themselves (eSpeak NG, libcurl, OpenSSL, SDL, ImGui) are
// not reached. The cost is one memset per freed block.
//
// Only in the kiosk binary (tests and benchmarks keep the default), and not under
// AddressSanitizer or ThreadSanitizer, which bring their own operator new and delete.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)

#include <malloc.h>
#include <string.h>  // explicit_bzero (glibc): a memset the compiler may not drop

#include <cstdlib>
#include <new>

namespace {

void release(void* block) noexcept {
    if (block == nullptr) return;
    // libstdc++'s operator new takes its blocks from malloc (aligned ones from
    // aligned_alloc), so malloc_usable_size and free apply to all of them.
    explicit_bzero(block, malloc_usable_size(block));
    std::free(block);
}

}  // namespace

void operator delete(void* block) noexcept { release(block); }
void operator delete[](void* block) noexcept { release(block); }
void operator delete(void* block, std::size_t) noexcept { release(block); }
void operator delete[](void* block, std::size_t) noexcept { release(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { release(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { release(block); }
void operator delete(void* block, std::align_val_t) noexcept { release(block); }
void operator delete[](void* block, std::align_val_t) noexcept { release(block); }
void operator delete(void* block, std::size_t, std::align_val_t) noexcept { release(block); }
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept { release(block); }
void operator delete(void* block, std::align_val_t, const std::nothrow_t&) noexcept { release(block); }
void operator delete[](void* block, std::align_val_t, const std::nothrow_t&) noexcept { release(block); }

#endif
