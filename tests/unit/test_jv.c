/* test_jv.c - the JSON layer over yajl: what parses (strictly, as RFC 8259 says, with the
 * exceptions json-c made, which jv.h lists), what an error says, the tree it gives, and getters
 * that never trust a type. */
#include "harness.h"

#include <inttypes.h>
#include <math.h>

#include "buf.h"
#include "jv.h"

static struct jv *parse(const char *s, int *line, char *msg)
{
	return jv_parse(s, strlen(s), line, msg, 128);
}

static void test_jv_parse(void)
{
	/* json-c read NaN and Infinity and raw control characters in strings even when strict,
	 * and so does jv_parse; jansson refused them. Amounts are checked with isfinite(), and
	 * control characters could always arrive escaped (\u0001), so nothing downstream trusts
	 * their absence. */
	static const char *const good[] = {
	    "{}",     "[1, 2]",	    "123",
	    " 42 \n", "\"x\"",	    "null",
	    "true",   "-1.5e3",	    "{\"a\": [null, {\"b\": 1}]}\r\n",
	    "NaN",    "[Infinity]", "\"a\x01b\\u0001\""};
	static const char *const bad[] = {"",	  "  ",	      "{",	  "[1,]", "{\"a\":1,}",
					  "[1]x", "{}{}",     "'a'",	  "01",	  "[1] // c",
					  "tru",  "\"\xff\"", "{\"a\" 1}"};
	int line;
	char msg[128];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct jv *v = parse(good[i], &line, msg);
		if (v == NULL && strcmp(good[i], "null") != 0)
			printf("# %s: %s\n", good[i], msg);
		CHECK(v != NULL || strcmp(good[i], "null") == 0);
		jv_free(v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		struct jv *v = parse(bad[i], &line, msg);
		if (v != NULL)
			printf("# accepted: %s\n", bad[i]);
		CHECK(v == NULL);
		CHECK(msg[0] != '\0');
		jv_free(v);
	}
	CHECK(parse("{\n\"a\": 1,\n\"b\": ]}", &line, msg) == NULL);
	CHECK_NUM(line, 3);
	/* one line that fits after "found invalid JSON at line N: " */
	CHECK(parse("[1, +2]", &line, msg) == NULL);
	CHECK(msg[0] != '\0' && strchr(msg, '\n') == NULL && msg[strlen(msg) - 1] != '.');
}

/* Text is checked for UTF-8 before yajl sees it; what is accepted and refused, and how, is
 * what json-c's check did. */
static void test_jv_utf8(void)
{
	static const char *const good[] = {
	    "[\"caf\xc3\xa9\"]", "[\"\xe2\x82\xac 5\"]", "[\"\xf0\x9f\x98\x80\"]",
	    "[\"eight bytes and more \xc3\xa9 then ascii again, long enough\"]"};
	static const char *const bad[] = {
	    "[\"\xff\"]",		  /* no such lead byte */
	    "[\"\xc3\"]",		  /* cut short by the quote */
	    "[\"0123456789abcdef\x80\"]", /* a lone continuation after whole 8-byte steps */
	    "[\"\xe2\x82\"]",		  /* three bytes announced, two given */
	    "{\n\"a\":\n\"\xf8\"}"};	  /* on line 3 */
	int line;
	char msg[128];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct jv *v = parse(good[i], &line, msg);
		CHECK(v != NULL);
		jv_free(v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		CHECK(parse(bad[i], &line, msg) == NULL);
		CHECK_STR(msg, "invalid utf-8 string");
	}
	CHECK_NUM(line, 3);
	/* a syntax error before the bad byte is the one reported, as before */
	CHECK(parse("[1 2, \"\xff\"]", &line, msg) == NULL);
	CHECK(strcmp(msg, "invalid utf-8 string") != 0);
}

static void test_jv_getters(void)
{
	int line;
	char msg[128];
	struct jv *v =
	    parse("{\"s\": \"text\", \"i\": 7, \"r\": 2.5, \"n\": null, \"t\": true, \"f\": false,"
		  " \"a\": [1, null, \"x\"], \"o\": {\"k\": 1}, \"big\": 9007199254740993}",
		  &line, msg);
	struct jv *e;
	size_t i, n = 0;
	const char *keys[4];

	CHECK(v != NULL);
	CHECK_STR(jv_str(jv_get(v, "s")), "text");
	CHECK(jv_str(jv_get(v, "i")) == NULL); /* json-c would print it; we do not */
	CHECK(jv_int(jv_get(v, "i")) == 7 && jv_int(jv_get(v, "r")) == 0);
	CHECK(jv_number(jv_get(v, "r")) == 2.5 && jv_number(jv_get(v, "i")) == 7);
	CHECK(jv_int(jv_get(v, "big")) == 9007199254740993LL);
	CHECK(jv_get(v, "n") == NULL && jv_has(v, "n") && !jv_has(v, "missing"));
	CHECK(jv_type(jv_get(v, "n")) == JV_NULL && jv_type(jv_get(v, "o")) == JV_OBJECT);
	CHECK(jv_is_true(jv_get(v, "t")) && !jv_is_true(jv_get(v, "f")));
	CHECK(jv_is_false(jv_get(v, "f")) && !jv_is_false(jv_get(v, "n")));
	CHECK_NUM(jv_array_size(jv_get(v, "a")), 3);
	CHECK(jv_array_size(jv_get(v, "o")) == 0 && jv_array_get(jv_get(v, "o"), 0) == NULL);
	jv_array_foreach(jv_get(v, "a"), i, e) n += e == NULL; /* a null element is NULL */
	CHECK_NUM(n, 1);
	CHECK(jv_array_get(jv_get(v, "a"), 3) == NULL);
	CHECK(jv_get(jv_get(v, "s"), "k") == NULL && jv_get(NULL, "k") == NULL);
	CHECK_NUM(jv_keys(v, keys, 4), 4);
	CHECK_STR(keys[0], "s");
	CHECK_STR(keys[3], "n"); /* document order */
	jv_free(v);
}

/* Issue 21.1: a body is refused before parsing when its tree could cost more than
 * UTIL_TREE_BUDGET (up to 96 bytes a brace, bracket or comma), and real boards, dense ones
 * too, are not. */
static void test_jv_budget(void)
{
	size_t len, n = 4 * 1024 * 1024 / 3;
	char msg[128];
	int line;
	char *s = harness_repeat("[", "{},", n, "{}]", &len);

	CHECK(!jv_fits(s, len));
	CHECK(jv_parse(s, len, &line, msg, sizeof(msg)) == NULL);
	CHECK(strstr(msg, "too many") != NULL);
	free(s);
	s = harness_repeat("[", "1,", 4 * 1024 * 1024 / 2, "1]", &len);
	CHECK(!jv_fits(s, len)); /* 2 bytes a value */
	free(s);
	s = harness_repeat("[\"", "x", 8 * 1024 * 1024, "\"]", &len);
	CHECK(jv_fits(s, len)); /* text costs its size */
	free(s);
	/* a small body always fits: 32 MiB are allowed whatever its size */
	s = harness_repeat("[", "{},", 30000, "{}]", &len);
	CHECK(jv_fits(s, len));
	free(s);
	s = harness_read("workday/nvidia_cxs_jobs_page1_with_facets.json", &len);
	CHECK(jv_fits(s, len));
	free(s);
}

/* v as one line: null, true, i<jv_int>/<jv_number>, r<real>, "string", [..], {"key":..}. */
static void show(struct buf *b, const struct jv *v)
{
	const char *keys[16];
	const struct jv *e;
	size_t i, n;

	switch (jv_type(v)) {
	case JV_NULL:
		buf_puts(b, "null");
		break;
	case JV_BOOLEAN:
		buf_puts(b, jv_is_true(v) ? "true" : "false");
		break;
	case JV_INTEGER:
		buf_printf(b, "i%" PRId64 "/%.17g", jv_int(v), jv_number(v));
		break;
	case JV_REAL:
		buf_printf(b, "r%g", isnan(jv_number(v)) ? NAN : jv_number(v));
		break;
	case JV_STRING:
		buf_puts(b, "\"");
		for (const unsigned char *c = (const unsigned char *)jv_str(v); *c; c++)
			buf_printf(b, *c < 0x20 || *c >= 0x7f ? "\\x%02x" : "%c", *c);
		buf_puts(b, "\"");
		break;
	case JV_ARRAY:
		buf_puts(b, "[");
		jv_array_foreach(v, i, e)
		{
			buf_puts(b, i ? "," : "");
			show(b, e);
		}
		buf_puts(b, "]");
		break;
	case JV_OBJECT:
		n = jv_keys(v, keys, 16);
		buf_puts(b, "{");
		for (i = 0; i < n; i++) {
			buf_printf(b, "%s\"%s\":", i ? "," : "", keys[i]);
			show(b, jv_get(v, keys[i]));
		}
		buf_puts(b, "}");
		break;
	}
}

/* What jv.h promises, row by row: the text and the tree, or "line N" where it is refused. The
 * trees are json-c 0.16's, read with JSON_TOKENER_STRICT before jv.c moved to yajl (every
 * fixture and fuzz corpus file, and 9000 mutations of them, parsed the same by both). */
static void test_jv_documented(void)
{
	static const char *const rows[][2] = {
	    {"[NaN, Infinity, -Infinity]", "[rnan,rinf,r-inf]"},
	    {"NaN", "rnan"},
	    {"{\"a\":NaN}", "{\"a\":rnan}"},
	    {"[nan]", "line 1"},
	    {"[-NaN]", "line 1"},
	    {"[NaN1]", "line 1"},
	    {"[1NaN]", "line 1"},
	    {"[\"a\x01"
	     "b\", \"c\nd\"]",
	     "[\"a\\x01b\",\"c\\x0ad\"]"},
	    {"{\"k\x02\":\"\\u0041\x03\"}", "{\"k\x02\":\"A\\x03\"}"},
	    {"[1,\x01 2]", "line 1"},
	    {"[1,\v2]", "line 1"},
	    {"[1,\f2]", "line 1"},
	    {"[\"\v\f\"]", "[\"\\x0b\\x0c\"]"},
	    {"[00, -01, 1., 0., 2.e3, 00.5, -0123]", "[i0/0,i-1/-1,r1,r0,r2000,r0.5,i-123/-123]"},
	    {"[0123]", "line 1"},
	    {"[1.e]", "line 1"},
	    {"[.5]", "line 1"},
	    {"[+1]", "line 1"},
	    {"[9223372036854775807, 9223372036854775808, 18446744073709551616]",
	     "[i9223372036854775807/9.2233720368547758e+18,i9223372036854775807/"
	     "9.2233720368547758e+18,"
	     "i9223372036854775807/1.8446744073709552e+19]"},
	    {"[-9223372036854775809, -0, 1e400, 1E-400]",
	     "[i-9223372036854775808/-9.2233720368547758e+18,i0/0,rinf,r0]"},
	    {"{\"a\":1,\"b\":2,\"a\":3,\"b\":null,\"c\":4}", "{\"a\":i3/3,\"b\":null,\"c\":i4/4}"},
	    {"{\"a\":{\"b\":1},\"a\":{\"c\":2}}", "{\"a\":{\"c\":i2/2}}"},
	    {"[\"a\\u0000b\", \"\\ud83d\\ude00\", \"\\ud83dx\", \"\\ude00\", \"\\ud83d\\u0041\"]",
	     "[\"a\",\"\\xf0\\x9f\\x98\\x80\",\"\\xef\\xbf\\xbdx\",\"\\xef\\xbf\\xbd\","
	     "\"\\xef\\xbf\\xbdA\"]"},
	    {"[\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"]", "[\"/\\x08\\x0c\\x0a\\x0d\\x09\"\\\"]"},
	    {"[\"\\x\"]", "line 1"},
	    {"[\"\xed\xa0\x80\xc0\x80\"]", "[\"\\xed\\xa0\\x80\\xc0\\x80\"]"},
	    {"{\"a\":false}\"", "line 1"},
	    {"[] \n", "[]"},
	    {"{\n\"a\": \"x\ny\",\n\"b\": ]}", "line 4"},
	    {"{\"a\":1\n,\n\"b\"\n:\n}", "line 5"},
	    {"\n\n[", "line 3"},
	    {"[1,\n2\n", "line 3"},
	    {"{\"a\"\n\": 1,\n\"b\": 2}", "line 2"},
	    {"[\"a\"\n\n\"b\"]", "line 3"},
	    {"{\"a\": 0\"\n}", "line 1"},
	    {"{\"a\": 0\"\n}, \"b\": 1}", "line 1"},
	    {"{\"a\": \"b\"\n5}", "line 2"},
	    {"{\"a\":\n\"", "line 2"},
	};
	struct buf b = BUF_INIT;
	char msg[128];
	int line;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct jv *v = jv_parse(rows[i][0], strlen(rows[i][0]), &line, msg, sizeof(msg));
		buf_reset(&b);
		if (v)
			show(&b, v);
		else
			buf_printf(&b, "line %d", line);
		if (strcmp(b.data, rows[i][1]) != 0)
			printf("# %s: %s\n", rows[i][0], b.data);
		CHECK_STR(b.data, rows[i][1]);
		jv_free(v);
	}
	buf_free(&b);
}

/* json-c's depth: 2048 containers, the innermost empty; a value inside it is one too deep. */
static void test_jv_depth(void)
{
	size_t len;
	char msg[128];
	int line;
	char *s = harness_repeat("", "[", 2048, "", &len);
	struct buf b = BUF_INIT;

	buf_append(&b, s, len);
	buf_append(&b, "", 0);
	for (size_t i = 0; i < 2048; i++)
		buf_putc(&b, ']');
	struct jv *v = jv_parse(b.data, b.len, &line, msg, sizeof(msg));
	CHECK(v != NULL);
	jv_free(v);
	buf_reset(&b);
	buf_append(&b, s, len);
	buf_putc(&b, '1');
	for (size_t i = 0; i < 2048; i++)
		buf_putc(&b, ']');
	CHECK(jv_parse(b.data, b.len, &line, msg, sizeof(msg)) == NULL);
	CHECK_STR(msg, "nesting too deep");
	buf_free(&b);
	free(s);
}

static uint64_t fp_of(const char *text, uint64_t seed)
{
	char msg[128];
	int line = 0;
	struct jv *v = jv_parse(text, strlen(text), &line, msg, sizeof(msg));
	uint64_t fp;

	CHECK(v != NULL);
	fp = jv_fingerprint(v, seed);
	jv_free(v);
	return fp;
}

/* A fingerprint is the tree's: the same for texts that read alike, another for any value,
 * key, type or order that differs, and another under another seed. */
static void test_jv_fingerprint(void)
{
	const char *base = "{\"id\": 1, \"t\": \"a\\u00e9\", \"l\": [1, 2.5, null, true]}";
	uint64_t fp = fp_of(base, 7);

	CHECK(fp_of("{\"id\":1,\"t\":\"a\xc3\xa9\",\"l\":[1,2.5,null,true]}", 7) == fp);
	CHECK(fp_of("{\"id\": 1, \"t\": \"x\", \"t\": \"a\\u00e9\", \"l\": [1, 2.5, null, true]}",
		    7) == fp); /* a repeated key keeps its last value */
	CHECK(fp_of(base, 8) != fp);
	const char *other[] = {
	    "{\"id\": 2, \"t\": \"a\\u00e9\", \"l\": [1, 2.5, null, true]}",
	    "{\"id\": \"1\", \"t\": \"a\\u00e9\", \"l\": [1, 2.5, null, true]}",
	    "{\"id\": 1.0, \"t\": \"a\\u00e9\", \"l\": [1, 2.5, null, true]}",
	    "{\"t\": \"a\\u00e9\", \"id\": 1, \"l\": [1, 2.5, null, true]}",
	    "{\"id\": 1, \"t\": \"a\\u00e9\", \"l\": [1, 2.5, null, false]}",
	    "{\"id\": 1, \"t\": \"a\\u00e9\", \"l\": [1, 2.5, true, null]}",
	    "{\"id\": 1, \"t\": \"a\\u00e9\", \"l\": [1, 2.5, null, true], \"x\": null}",
	    "{\"id\": 1, \"t\": \"a\\u00e9\", \"l\": [[1, 2.5], [null, true]]}",
	    "{\"id\": 1, \"t\": \"a\\u00e9 \", \"l\": [1, 2.5, null, true]}",
	    "{\"id\": 1, \"ta\": \"\\u00e9\", \"l\": [1, 2.5, null, true]}",
	};
	for (size_t i = 0; i < sizeof(other) / sizeof(*other); i++)
		CHECK(fp_of(other[i], 7) != fp);
	CHECK(fp_of("[\"ab\", \"c\"]", 0) != fp_of("[\"a\", \"bc\"]", 0));
	CHECK(jv_fingerprint(NULL, 7) != fp_of("false", 7)); /* null, which parses to NULL */
}

int main(void)
{
	RUN(test_jv_parse);
	RUN(test_jv_utf8);
	RUN(test_jv_getters);
	RUN(test_jv_budget);
	RUN(test_jv_documented);
	RUN(test_jv_depth);
	RUN(test_jv_fingerprint);
	return harness_end();
}
