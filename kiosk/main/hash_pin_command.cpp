#include "kiosk/core/pin.hpp"
#include "kiosk/main/commands.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <iostream>
#include <string>

namespace kiosk::app {

int hashPinCommand() {
    std::string pin;
    std::getline(std::cin, pin);
    const bool digits = pin.size() >= 4 && pin.size() <= 12 &&
                        std::ranges::all_of(pin, [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
        std::cerr << "kiosk hash-pin: the PIN must be 4 to 12 digits (the kiosk's keypad has digits only)\n";
        OPENSSL_cleanse(pin.data(), pin.size());
        return 2;
    }
    auto hash = core::hashPin(pin);
    OPENSSL_cleanse(pin.data(), pin.size());
    if (!hash) {
        std::cerr << "kiosk hash-pin: " << hash.error() << '\n';
        return 2;
    }
    std::cout << *hash << '\n';
    return 0;
}

}  // namespace kiosk::app
