// Wiping personal data from memory (docs/privacy.md).
//
// wipe() overwrites every byte a buffer owns with OPENSSL_cleanse (which the compiler may
// not optimise away) and empties it. For a string that is its whole capacity, not only its
// size: after a backspace or a shorter assignment the old characters still sit behind the
// end. The buffer itself is kept (capacity unchanged), so it can be reused or freed.
//
// What this cannot reach: copies a string made while it grew (the old buffer is freed by
// the allocator; the kiosk binary zeroes freed C++ heap blocks, kiosk/main/zero_on_free.cpp),
// copies on the stack, and copies inside C libraries (eSpeak NG, libcurl, OpenSSL).
//
// Pure C++ in the header; OpenSSL only in wipe.cpp.
#pragma once

#include <cstddef>
#include <type_traits>
#include <string>
#include <variant>
#include <vector>

namespace kiosk {

// Overwrites `size` bytes at `data` (OPENSSL_cleanse).
void wipeBytes(void* data, std::size_t size) noexcept;
// Overwrites the whole capacity of `text` and empties it.
void wipe(std::string& text) noexcept;
// Wipes each string, then empties the list.
void wipe(std::vector<std::string>& texts) noexcept;

// Wipes whatever text a variant of answers holds (forms::RawInput, forms::Value) and
// overwrites numbers; the variant keeps its alternative, emptied.
template <typename... Ts>
void wipe(std::variant<Ts...>& value) noexcept {
    std::visit(
        [](auto& held) {
            using T = std::remove_cvref_t<decltype(held)>;
            if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::vector<std::string>>) {
                wipe(held);
            } else if constexpr (std::is_trivially_copyable_v<T>) {
                wipeBytes(&held, sizeof held);
            }
        },
        value);
}

}  // namespace kiosk
