/* digest.h - SHA-256 as lower-case hex, for body and description digests, and as a 64-bit
 * fingerprint of a posting's stored row; the fingerprint of this build. */
#ifndef JOBWATCH_DIGEST_H
#define JOBWATCH_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIGEST_HEX_LEN 64

/* Write the SHA-256 of data as 64 hex digits and a NUL into out. */
void digest_sha256_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1]);

/* The first 64 bits of the SHA-256 of data, big-endian, as a signed number (a bigint column):
 * a fingerprint, where 2^-64 is chance enough of two texts sharing one. */
int64_t digest_sha256_i64(const void *data, size_t len);

/* What identifies this build, for the fingerprints of what it reads (jv_fingerprint's seed):
 * XXH3 of its executable's bytes, read once, so that whatever another build's parser made of
 * an input is never taken for what this one would. False when the executable cannot be read. */
bool digest_build_seed(uint64_t *seed);

/* Release what the first digest set up; the next digest sets it up again. */
void digest_free(void);

#endif
