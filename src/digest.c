/* digest.c - SHA-256 through OpenSSL's EVP interface; XXH3 (libxxhash) for bodies and the build.
 *
 * The algorithm is fetched once and one context is reused: EVP_Digest with EVP_sha256() looks
 * the implementation up in OpenSSL 3's provider tables on every call, which for a
 * description of a few kilobytes cost a fifth as much as the hashing itself (callgrind,
 * bench_adapters). One thread uses it, as one thread runs jobwatchd. */
#include "digest.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <xxhash.h>

#include "util.h"

static EVP_MD *digest_md;
static EVP_MD_CTX *digest_ctx;

/* The SHA-256 of data into md (32 bytes). */
static void digest_sha256(const void *data, size_t len, unsigned char md[32])
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (digest_ctx == NULL) {
		digest_md = EVP_MD_fetch(NULL, "SHA256", NULL);
		digest_ctx = EVP_MD_CTX_new();
		if (digest_md == NULL || digest_ctx == NULL)
			fatal("SHA-256 is not available from OpenSSL");
	}
	if (EVP_DigestInit_ex(digest_ctx, digest_md, NULL) != 1 ||
	    EVP_DigestUpdate(digest_ctx, data, len) != 1 ||
	    EVP_DigestFinal_ex(digest_ctx, out, &mdlen) != 1 || mdlen != 32)
		fatal("SHA-256 failed");
	memcpy(md, out, 32);
}

/* The n bytes of md as 2n lower-case hex digits and a NUL. */
static void digest_hex(const unsigned char *md, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

void digest_sha256_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1])
{
	unsigned char md[32];

	digest_sha256(data, len, md);
	digest_hex(md, sizeof(md), out);
}

void digest_body_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1])
{
	XXH128_canonical_t c;

	XXH128_canonicalFromHash(&c, XXH3_128bits(data, len));
	digest_hex(c.digest, sizeof(c.digest), out);
}

int64_t digest_sha256_i64(const void *data, size_t len)
{
	unsigned char md[32];
	uint64_t v = 0;

	digest_sha256(data, len, md);
	for (int i = 0; i < 8; i++)
		v = v << 8 | md[i];
	return (int64_t)v; /* two's complement, as PostgreSQL's bigint reads it */
}

bool digest_build_seed(uint64_t *seed)
{
	static int known; /* 0 not read yet, 1 read, -1 unreadable */
	static uint64_t build;

	if (known == 0) {
		FILE *f = fopen("/proc/self/exe", "rb");
		XXH3_state_t *st = XXH3_createState();
		char chunk[65536];
		size_t n;

		known = -1;
		if (f && st && XXH3_64bits_reset(st) == XXH_OK) {
			while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				XXH3_64bits_update(st, chunk, n);
			if (!ferror(f)) {
				build = XXH3_64bits_digest(st);
				known = 1;
			}
		}
		XXH3_freeState(st);
		if (f)
			fclose(f);
	}
	*seed = build;
	return known > 0;
}

void digest_free(void)
{
	EVP_MD_CTX_free(digest_ctx);
	EVP_MD_free(digest_md);
	digest_ctx = NULL;
	digest_md = NULL;
}
