/* test_jv.c - the JSON layer over json-c: what parses (strictly, as RFC 8259 says), what an
 * error says, and getters that never trust a type. */
#include "harness.h"

#include "jv.h"

static struct json_object *parse(const char *s, int *line, char *msg)
{
	return jv_parse(s, strlen(s), line, msg, 128);
}

static void test_jv_parse(void)
{
	/* json-c reads NaN and Infinity and raw control characters in strings even when strict;
	 * jansson refused them. Amounts are checked with isfinite(), and control characters
	 * could always arrive escaped (\u0001), so nothing downstream trusts their absence. */
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
		struct json_object *v = parse(good[i], &line, msg);
		if (v == NULL && strcmp(good[i], "null") != 0)
			printf("# %s: %s\n", good[i], msg);
		CHECK(v != NULL || strcmp(good[i], "null") == 0);
		jv_free(v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg[0] = '\0';
		struct json_object *v = parse(bad[i], &line, msg);
		if (v != NULL)
			printf("# accepted: %s\n", bad[i]);
		CHECK(v == NULL);
		CHECK(msg[0] != '\0');
		jv_free(v);
	}
	CHECK(parse("{\n\"a\": 1,\n\"b\": ]}", &line, msg) == NULL);
	CHECK_NUM(line, 3);
}

/* Text is checked for UTF-8 before json-c sees it (json-c's own check is slow); what is
 * accepted and refused, and how, stays json-c's. */
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
		struct json_object *v = parse(good[i], &line, msg);
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
	struct json_object *v =
	    parse("{\"s\": \"text\", \"i\": 7, \"r\": 2.5, \"n\": null, \"t\": true, \"f\": false,"
		  " \"a\": [1, null, \"x\"], \"o\": {\"k\": 1}, \"big\": 9007199254740993}",
		  &line, msg);
	struct json_object *e;
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

/* Issue 21.1: json-c spends 800 bytes on "{}": a body is refused before parsing when its
 * tree would cost more than UTIL_TREE_BUDGET, and real boards, dense ones too, are not. */
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
	CHECK(!jv_fits(s, len)); /* 72 bytes a value */
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

int main(void)
{
	RUN(test_jv_parse);
	RUN(test_jv_utf8);
	RUN(test_jv_getters);
	RUN(test_jv_budget);
	return harness_end();
}
