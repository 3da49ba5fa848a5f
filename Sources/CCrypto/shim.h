// HMAC-SHA256 for signing Jupyter messages, and OpenSSL's constant-time comparison and random bytes.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
