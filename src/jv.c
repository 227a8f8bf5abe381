/* jv.c - JSON over json-c: the one file that knows the library. json-c parses about three
 * times as fast as jansson did on job boards (make bench-adapters), which made JSON the
 * smaller part of a cold ingest instead of the biggest. */
#include "jv.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json_object.h>
#include <json-c/json_tokener.h>
#include <json-c/linkhash.h>

#include "util.h"

/* jansson's limit, which the adapters were written against: deeper is refused. */
#define JV_MAX_DEPTH 2048
/* What json-c 0.16 allocates, measured: an object (its 16-slot hash table) about 800
 * bytes, an array 160, a scalar value about 100 besides its text. */
#define JV_COST_OBJECT 800
#define JV_COST_ARRAY  160
#define JV_COST_VALUE  100

/* Whether every byte of s passes json-c's own UTF-8 check (JSON_TOKENER_VALIDATE_UTF8): a
 * lead byte 110xxxxx, 1110xxxx or 11110xxx followed by as many 10xxxxxx. json-c runs that
 * check a byte at a time inside its tokenizer, which cost a seventh of an adapter's time;
 * here ASCII goes eight bytes at a step. */
static bool jv_utf8_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		uint64_t w;

		while (end - p >= 8 && (memcpy(&w, p, 8), (w & 0x8080808080808080ull) == 0))
			p += 8;
		if (p == end)
			break;
		unsigned char c = *p++;
		int more = c < 0x80		? 0
			   : (c & 0xe0) == 0xc0 ? 1
			   : (c & 0xf0) == 0xe0 ? 2
			   : (c & 0xf8) == 0xf0 ? 3
						: -1;
		if (more < 0 || end - p < more)
			return false;
		for (; more > 0; more--)
			if ((*p++ & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/* The bytes jv_fits counts, sixteen at a time: GCC's and clang's vector extension compiles
 * to SSE2 on x86-64 and to a plain loop elsewhere. A lane counts to 255, so a block is at
 * most 255 steps; the budget is checked after each block. */
typedef unsigned char jv_lanes __attribute__((vector_size(16)));
#define JV_FITS_BLOCK (255 * sizeof(jv_lanes))

static size_t jv_lanes_sum(jv_lanes v)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(v); i++)
		n += v[i];
	return n;
}

bool jv_fits(const char *s, size_t len)
{
	/* an upper bound: braces and commas inside strings count too */
	size_t budget = UTIL_TREE_BUDGET(len), objects = 0, arrays = 0, values = 0, i = 0;

	while (i < len) {
		size_t end = len - i < JV_FITS_BLOCK ? len : i + JV_FITS_BLOCK;
		jv_lanes o = {0}, a = {0}, c = {0}, v;

		for (; end - i >= sizeof(v); i += sizeof(v)) {
			memcpy(&v, s + i, sizeof(v));
			o -= (jv_lanes)(v == '{');
			a -= (jv_lanes)(v == '[');
			c -= (jv_lanes)(v == ',');
		}
		for (; i < end; i++) {
			objects += s[i] == '{';
			arrays += s[i] == '[';
			values += s[i] == ',';
		}
		objects += jv_lanes_sum(o);
		arrays += jv_lanes_sum(a);
		values += jv_lanes_sum(c);
		/* the cost only grows: once over, the whole body is */
		if (JV_COST_OBJECT * objects + JV_COST_ARRAY * arrays + JV_COST_VALUE * values >
		    budget)
			return false;
	}
	return true;
}

struct json_object *jv_parse(const char *s, size_t len, int *line, char *msg, size_t msglen)
{
	struct json_tokener *tok;
	struct json_object *v = NULL;
	enum json_tokener_error e = json_tokener_error_parse_eof;
	size_t end = 0;

	*line = 1;
	if (len > INT_MAX) {
		snprintf(msg, msglen, "too long");
		return NULL;
	}
	if (!jv_fits(s, len)) {
		snprintf(msg, msglen, "too many objects, arrays and values for its size");
		return NULL;
	}
	tok = json_tokener_new_ex(JV_MAX_DEPTH);
	if (tok == NULL) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	/* Text that passes the check needs json-c's no more; other text is parsed with it, so
	 * that it fails where and as it always did. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					(jv_utf8_ok(s, len) ? 0 : JSON_TOKENER_VALIDATE_UTF8));
	if (len > 0) {
		v = json_tokener_parse_ex(tok, s, (int)len);
		e = json_tokener_get_error(tok);
		end = json_tokener_get_parse_end(tok);
	}
	/* a number at the very end waits for more input: tell it there is none */
	if (v == NULL && e == json_tokener_continue) {
		v = json_tokener_parse_ex(tok, "", 1);
		e = json_tokener_get_error(tok);
		end = len;
	}
	json_tokener_free(tok);
	if (v != NULL || e == json_tokener_success) {
		while (end < len &&
		       (s[end] == ' ' || s[end] == '\t' || s[end] == '\r' || s[end] == '\n'))
			end++;
		if (end == len)
			return v;
		json_object_put(v);
		snprintf(msg, msglen, "end of file expected");
	} else {
		snprintf(msg, msglen, "%s", json_tokener_error_desc(e));
	}
	for (size_t i = 0; i < end && i < len; i++)
		*line += s[i] == '\n';
	return NULL;
}

void jv_free(struct json_object *v)
{
	json_object_put(v);
}

enum jv_type jv_type(const struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		return JV_BOOLEAN;
	case json_type_int:
		return JV_INTEGER;
	case json_type_double:
		return JV_REAL;
	case json_type_string:
		return JV_STRING;
	case json_type_array:
		return JV_ARRAY;
	case json_type_object:
		return JV_OBJECT;
	case json_type_null:
		break;
	}
	return JV_NULL;
}

bool jv_is_object(const struct json_object *v)
{
	return json_object_is_type(v, json_type_object);
}

bool jv_is_array(const struct json_object *v)
{
	return json_object_is_type(v, json_type_array);
}

bool jv_is_string(const struct json_object *v)
{
	return json_object_is_type(v, json_type_string);
}

bool jv_is_integer(const struct json_object *v)
{
	return json_object_is_type(v, json_type_int);
}

bool jv_is_real(const struct json_object *v)
{
	return json_object_is_type(v, json_type_double);
}

bool jv_is_number(const struct json_object *v)
{
	return jv_is_integer(v) || jv_is_real(v);
}

bool jv_is_true(const struct json_object *v)
{
	return json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

bool jv_is_false(const struct json_object *v)
{
	return json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v);
}

struct json_object *jv_get(const struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (!jv_is_object(obj) || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

bool jv_has(const struct json_object *obj, const char *key)
{
	return jv_is_object(obj) && json_object_object_get_ex(obj, key, NULL);
}

size_t jv_keys(const struct json_object *obj, const char **keys, size_t max)
{
	size_t n = 0;

	if (!jv_is_object(obj))
		return 0;
	json_object_object_foreach((struct json_object *)obj, k, v)
	{
		(void)v;
		if (n == max)
			break;
		keys[n++] = k;
	}
	return n;
}

const char *jv_str(const struct json_object *v)
{
	/* json-c would print any other type as text */
	return jv_is_string(v) ? json_object_get_string((struct json_object *)v) : NULL;
}

int64_t jv_int(const struct json_object *v)
{
	return jv_is_integer(v) ? json_object_get_int64(v) : 0;
}

double jv_number(const struct json_object *v)
{
	return jv_is_number(v) ? json_object_get_double(v) : 0;
}

size_t jv_array_size(const struct json_object *v)
{
	return jv_is_array(v) ? json_object_array_length(v) : 0;
}

struct json_object *jv_array_get(const struct json_object *a, size_t i)
{
	return i < jv_array_size(a) ? json_object_array_get_idx(a, i) : NULL;
}
