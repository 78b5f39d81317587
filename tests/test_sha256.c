/* SHA-256 against the examples of NIST FIPS 180-4 (the "SHA256.pdf" and
 * "SHA2_Additional.pdf" example values of NIST's Cryptographic Standards and
 * Guidelines), and the same digest whatever the pieces it is given in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/sha256.h"
#include "testlib.h"

static void test_sha256_vectors(void)
{
    static const struct {
        const char *message;
        const char *digest;
    } vectors[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
         "lmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    char hex[DS_SHA256_HEX_CHARS + 1];
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        ds_sha256_hex(vectors[i].message, strlen(vectors[i].message), hex);
        CHECK_STR_EQ(hex, vectors[i].digest);
    }
    /* One million times 'a'. */
    size_t n = 1000000;
    char *a = malloc(n);
    if (CHECK(a != NULL)) {
        memset(a, 'a', n);
        ds_sha256_hex(a, n, hex);
        CHECK_STR_EQ(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    free(a);
}

/* Given in pieces of every length from 1 to 130 bytes, a message hashes alike. */
static void test_sha256_pieces(void)
{
    char text[1000];
    for (size_t i = 0; i < sizeof(text); i++) {
        text[i] = (char)(i * 7 + 3);
    }
    char whole[DS_SHA256_HEX_CHARS + 1];
    ds_sha256_hex(text, sizeof(text), whole);
    for (size_t piece = 1; piece <= 130; piece++) {
        ds_sha256_t h;
        uint8_t digest[DS_SHA256_BYTES];
        ds_sha256_init(&h);
        for (size_t at = 0; at < sizeof(text); at += piece) {
            ds_sha256_update(&h, text + at, at + piece <= sizeof(text) ? piece : sizeof(text) - at);
        }
        ds_sha256_final(&h, digest);
        char hex[DS_SHA256_HEX_CHARS + 1];
        for (int i = 0; i < DS_SHA256_BYTES; i++) {
            snprintf(hex + 2 * i, 3, "%02x", digest[i]);
        }
        CHECK_MSG(strcmp(hex, whole) == 0, "pieces of %zu: %s, not %s", piece, hex, whole);
    }
    /* Lengths around the padding boundary (55, 56, 63, 64 bytes) all differ. */
    char seen[8][DS_SHA256_HEX_CHARS + 1];
    static const size_t lengths[] = {54, 55, 56, 57, 63, 64, 65, 119};
    for (int i = 0; i < 8; i++) {
        ds_sha256_hex(text, lengths[i], seen[i]);
        for (int j = 0; j < i; j++) {
            CHECK(strcmp(seen[i], seen[j]) != 0);
        }
    }
}

const test_case_t sha256_tests[] = {
    {"vectors", test_sha256_vectors},
    {"pieces", test_sha256_pieces},
    {NULL, NULL},
};
