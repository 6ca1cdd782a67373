// Real key pairs for tests, made with OpenSSL at run time and written as PEM files (the
// same form `openssl genpkey` / `openssl pkey -pubout` write). Tests that use this link
// OpenSSL::Crypto.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace kiosk::test {

struct KeyFiles {
    std::filesystem::path privatePem;  // mode 0600
    std::filesystem::path publicPem;
};

// "ED25519", or "EC" (a P-256 key: a key of the wrong kind).
inline KeyFiles makeKeyPair(const std::filesystem::path& dir, const std::string& name,
                            const char* type = "ED25519") {
    EVP_PKEY* key = std::string(type) == "EC" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                              : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    if (key == nullptr) throw std::runtime_error("key generation failed");
    auto write = [&](const std::filesystem::path& file, bool isPrivate) {
        BIO* bio = BIO_new(BIO_s_mem());
        if (isPrivate) {
            PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
        } else {
            PEM_write_bio_PUBKEY(bio, key);
        }
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        std::ofstream(file, std::ios::binary).write(data, size);
        BIO_free(bio);
        ::chmod(file.c_str(), isPrivate ? 0600 : 0644);
    };
    KeyFiles files{dir / (name + "-private.pem"), dir / (name + "-public.pem")};
    write(files.privatePem, true);
    write(files.publicPem, false);
    EVP_PKEY_free(key);
    return files;
}

}  // namespace kiosk::test
