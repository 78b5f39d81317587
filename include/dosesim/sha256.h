/**
 * @file sha256.h
 * @brief SHA-256 (NIST FIPS 180-4, "Secure Hash Standard", 2015, section 6.2),
 *        written from the standard and checked against its example vectors
 *        (tests/test_shard.c). Shard files carry one of their records, so that
 *        merge finds a shard that was edited or damaged after it was written.
 */
#ifndef DOSESIM_SHA256_H
#define DOSESIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

/** Bytes of a digest, and characters of its hexadecimal form (without the NUL). */
#define DS_SHA256_BYTES 32
#define DS_SHA256_HEX_CHARS 64

/** A hash being computed: init, update with the bytes in any pieces, final. */
typedef struct {
    uint32_t state[8];
    uint64_t length; /**< bytes hashed so far */
    uint8_t block[64];
    size_t used; /**< bytes of block filled */
} ds_sha256_t;

/** Begin a digest: FIPS 180-4's initial hash value. */
void ds_sha256_init(ds_sha256_t *self);
/** Add len bytes of data to the message. */
void ds_sha256_update(ds_sha256_t *self, const void *data, size_t len);
/** Pad the message and write its digest. */
void ds_sha256_final(ds_sha256_t *self, uint8_t digest[DS_SHA256_BYTES]);

/** The digest of len bytes as 64 lower-case hexadecimal digits and a NUL. */
void ds_sha256_hex(const void *data, size_t len, char hex[DS_SHA256_HEX_CHARS + 1]);

#endif
