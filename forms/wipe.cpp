#include "forms/wipe.hpp"

#include <openssl/crypto.h>

namespace kiosk {

void wipeBytes(void* data, std::size_t size) noexcept {
    if (data != nullptr && size != 0) OPENSSL_cleanse(data, size);
}

void wipe(std::string& text) noexcept {
    // resize() to the capacity never reallocates; it makes the bytes behind the old end part
    // of the string, so that they may be overwritten without reaching past its end.
    text.resize(text.capacity());
    wipeBytes(text.data(), text.size());
    text.clear();
}

void wipe(std::vector<std::string>& texts) noexcept {
    for (auto& text : texts) wipe(text);
    texts.clear();
}

}  // namespace kiosk
