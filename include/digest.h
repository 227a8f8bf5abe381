/* digest.h - SHA-256 as lower-case hex, for description digests, and as a 64-bit fingerprint
 * of a posting's stored row; XXH3-128 as hex, for whole bodies; the fingerprint of this
 * build. */
#ifndef JOBWATCH_DIGEST_H
#define JOBWATCH_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIGEST_HEX_LEN 64

/* Write the SHA-256 of data as 64 hex digits and a NUL into out. */
void digest_sha256_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1]);

/* Write the XXH3-128 of data as 32 hex digits and a NUL into out: what tells a body from the
 * last one seen (sources.body_sha256, whose name is older), at a tenth of SHA-256's cost on
 * the whole of every board that answers 200. Nothing keeps it but to compare it again: a
 * source that wanted to hide a change could as well not make it. */
#define DIGEST_BODY_HEX_LEN 32
void digest_body_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1]);

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
