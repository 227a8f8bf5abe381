/* jv.h - the JSON the adapters read: a body is parsed once (yajl, in jv.c only) into a tree
 * that lives until jv_free of its root, then its values are looked up without trusting their
 * types, since a source that changes a field's type must lose that field, not crash. A JSON
 * null is NULL here, as a missing key is, and every function takes NULL. */
#ifndef JOBWATCH_JV_H
#define JOBWATCH_JV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jv;

enum jv_type { JV_NULL, JV_BOOLEAN, JV_INTEGER, JV_REAL, JV_STRING, JV_ARRAY, JV_OBJECT };

/* Parse the JSON text s[0..len) (any value at the top, nothing but blanks after it) as json-c's
 * strict mode did: RFC 8259 but for NaN, Infinity, -Infinity, raw control characters in strings
 * and numbers with extra leading zeros or a point without digits after it (00, -01, 1., 2.e3),
 * which it reads; UTF-8 checked (as json-c did: lead and continuation bytes, no more); nesting
 * to 2048 levels; a tree within UTIL_TREE_BUDGET, see jv_fits. A repeated key keeps its first
 * place and its last value. An integer below int64's range is INT64_MIN; one above it reads as
 * INT64_MAX from jv_int and as its value (up to 2^64) from jv_number. \u0000 ends a string;
 * a \u escape of half a surrogate pair is U+FFFD. NULL on failure, with the line it failed on
 * (from 1) and what was wrong in msg. Free the result with jv_free(). */
struct jv *jv_parse(const char *s, size_t len, int *line, char *msg, size_t msglen);
void jv_free(struct jv *v);
/* Whether the tree of s[0..len) would fit UTIL_TREE_BUDGET(len), counted from its braces,
 * brackets and commas without parsing: each may start a value, which costs up to 96 bytes
 * while the tree is built, so `[{},{},…]` may cost 32 times its size. */
bool jv_fits(const char *s, size_t len);

enum jv_type jv_type(const struct jv *v);
bool jv_is_object(const struct jv *v);
bool jv_is_array(const struct jv *v);
bool jv_is_string(const struct jv *v);
bool jv_is_integer(const struct jv *v);
bool jv_is_real(const struct jv *v);
bool jv_is_number(const struct jv *v); /* integer or real */
bool jv_is_true(const struct jv *v);
bool jv_is_false(const struct jv *v);

/* The value at key of obj; NULL when obj is no object, key is absent or holds null. */
struct jv *jv_get(const struct jv *obj, const char *key);
/* Whether obj is an object with key, even one holding null. */
bool jv_has(const struct jv *obj, const char *key);
/* Up to max of obj's keys in document order into keys; how many were put there. */
size_t jv_keys(const struct jv *obj, const char **keys, size_t max);

const char *jv_str(const struct jv *v); /* NULL unless a string */
int64_t jv_int(const struct jv *v);	/* 0 unless an integer */
double jv_number(const struct jv *v);	/* an integer or a real; 0 otherwise */

size_t jv_array_size(const struct jv *v); /* 0 unless an array */
/* The fingerprint of v's tree (XXH3, 64 bits, from seed): every value, key and their order,
 * and nothing of the text beyond them (blanks, escapes, a repeated key's lost value). Two
 * texts with the same fingerprint read as the same tree, so whatever is made of one alone is
 * what would be made of the other. */
uint64_t jv_fingerprint(const struct jv *v, uint64_t seed);
/* Element i of array a; NULL past the end, for a null element, or unless a is an array. */
struct jv *jv_array_get(const struct jv *a, size_t i);

/* Every element of array a (none unless a is an array); v is NULL for a null element. */
#define jv_array_foreach(a, i, v)                                                                  \
	for ((i) = 0; (i) < jv_array_size(a) && ((v) = jv_array_get((a), (i)), true); (i)++)

#endif
