/* jv.h - the JSON the adapters read: a body is parsed once (json-c, in jv.c only), then its
 * values are looked up without trusting their types, since a source that changes a field's
 * type must lose that field, not crash. A JSON null is NULL here, as a missing key is, and
 * every function takes NULL. */
#ifndef JOBWATCH_JV_H
#define JOBWATCH_JV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

enum jv_type { JV_NULL, JV_BOOLEAN, JV_INTEGER, JV_REAL, JV_STRING, JV_ARRAY, JV_OBJECT };

/* Parse the JSON text s[0..len) (any value at the top, nothing but blanks after it, json-c's
 * strict mode: RFC 8259 but for NaN, Infinity and raw control characters in strings, which it
 * reads; UTF-8 checked; nesting to 2048 levels; a tree within UTIL_TREE_BUDGET, see
 * jv_fits). NULL on failure, with the line it failed on (from 1) and what was wrong in msg.
 * Free the result with jv_free(). */
struct json_object *jv_parse(const char *s, size_t len, int *line, char *msg, size_t msglen);
void jv_free(struct json_object *v);
/* Whether the tree of s[0..len) would fit UTIL_TREE_BUDGET(len), counted from its braces,
 * brackets and commas without parsing: `[{},{},…]` costs json-c 270 times its size. */
bool jv_fits(const char *s, size_t len);

enum jv_type jv_type(const struct json_object *v);
bool jv_is_object(const struct json_object *v);
bool jv_is_array(const struct json_object *v);
bool jv_is_string(const struct json_object *v);
bool jv_is_integer(const struct json_object *v);
bool jv_is_real(const struct json_object *v);
bool jv_is_number(const struct json_object *v); /* integer or real */
bool jv_is_true(const struct json_object *v);
bool jv_is_false(const struct json_object *v);

/* The value at key of obj; NULL when obj is no object, key is absent or holds null. */
struct json_object *jv_get(const struct json_object *obj, const char *key);
/* Whether obj is an object with key, even one holding null. */
bool jv_has(const struct json_object *obj, const char *key);
/* Up to max of obj's keys in document order into keys; how many were put there. */
size_t jv_keys(const struct json_object *obj, const char **keys, size_t max);

const char *jv_str(const struct json_object *v); /* NULL unless a string */
int64_t jv_int(const struct json_object *v);	 /* 0 unless an integer */
double jv_number(const struct json_object *v);	 /* an integer or a real; 0 otherwise */

size_t jv_array_size(const struct json_object *v); /* 0 unless an array */
/* Element i of array a; NULL past the end, for a null element, or unless a is an array. */
struct json_object *jv_array_get(const struct json_object *a, size_t i);

/* Every element of array a (none unless a is an array); v is NULL for a null element. */
#define jv_array_foreach(a, i, v)                                                                  \
	for ((i) = 0; (i) < jv_array_size(a) && ((v) = jv_array_get((a), (i)), true); (i)++)

#endif
