/* digest.h - SHA-256 as lower-case hex, for body and description digests. */
#ifndef JOBWATCH_DIGEST_H
#define JOBWATCH_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN 64

/* Write the SHA-256 of data as 64 hex digits and a NUL into out. */
void digest_sha256_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1]);

/* Release what the first digest set up; the next digest sets it up again. */
void digest_free(void);

#endif
