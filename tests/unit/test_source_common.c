/* test_source_common.c - the helpers adapters and the config loader share: source_url_origin
 * (the host the BambooHR adapter makes its links on), the tracking parameters every board's
 * links shed, the check of a type html source's XPath expressions, the list row's prologue
 * (a row without id or title dropped, a repeated one kept once), a range from pay fields and
 * the join of a JSON array, and what source_json_load says of a body it refuses. The
 * adapters themselves are tested by rows (tests/adapters/, tests/unit/test_adapters.c). */
#include "harness.h"

#include <math.h>

#include "jv.h"
#include "pay.h"
#include "source.h"
#include "source_common.h"
#include "util.h"

/* Links are made on the list's own host, whatever the path or query. */
static void test_source_url_origin(void)
{
	const char *cases[][2] = {
	    {"https://acme.bamboohr.com/careers/list", "https://acme.bamboohr.com"},
	    {"http://127.0.0.1:8080/careers/list?x=1", "http://127.0.0.1:8080"},
	    {"https://acme.bamboohr.com", "https://acme.bamboohr.com"},
	    {"https://acme.bamboohr.com?q", "https://acme.bamboohr.com"},
	    {"acme.bamboohr.com/careers/list", NULL},
	    {"https:///careers/list", NULL},
	    {"://x", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *o = source_url_origin(cases[i][0]);
		CHECK_STR(o, cases[i][1]);
		free(o);
	}
	CHECK(source_url_origin(NULL) == NULL);
}

/* The check the config loader runs on every expression. */
static void test_html_xpath_check(void)
{
	char e[256];

	CHECK(source_html_xpath_check("//ul[@class='jobs']/li", true, e, sizeof(e)));
	CHECK(source_html_xpath_check("normalize-space(.//h3)", false, e, sizeof(e)));
	CHECK(source_html_xpath_check(SOURCE_HTML_TITLE_DEFAULT, false, e, sizeof(e)));
	CHECK(source_html_xpath_check(SOURCE_HTML_LINK_DEFAULT, false, e, sizeof(e)));
	CHECK(!source_html_xpath_check("//li[@class='job'", true, e, sizeof(e)));
	CHECK_STR(e, "does not compile: a predicate [ ] is malformed");
	CHECK(!source_html_xpath_check("string(//li)", true, e, sizeof(e)));
	CHECK_STR(e, "must select elements (it gives a string)");
	CHECK(!source_html_xpath_check("$jobs", false, e, sizeof(e)));
	CHECK_STR(e, "does not run: variables are not available");
	CHECK(!source_html_xpath_check("lower-case(.)", false, e, sizeof(e)));
	CHECK_STR(e, "does not run: a function is unknown (XPath 1.0 functions only)");
	CHECK(!source_html_xpath_check("", false, e, sizeof(e)));
	CHECK_STR(e, "does not compile: the expression is malformed");
}

/* Issue 21.15: a posting whose id is its link became new, and the old one closed, when the
 * board changed only its own tracking parameter. Each board's are shed; ids stay. */
static void test_tracking_table(void)
{
	static const char *const cases[][2] = {
	    {"https://a.example/j/1?gh_src=abc123&gh_jid=42", "https://a.example/j/1?gh_jid=42"},
	    {"https://jobs.lever.co/acme/9f?lever-source=LinkedIn&lever-origin=applied",
	     "https://jobs.lever.co/acme/9f"},
	    {"https://a.example/j?id=7&trk=public_jobs&trackingId=x%3D&refId=y&lipi=z",
	     "https://a.example/j?id=7"},
	    {"https://a.example/j?_hsenc=p2&_hsmi=1&hsCtaTracking=c&jobId=5#apply",
	     "https://a.example/j?jobId=5#apply"},
	    {"https://a.example/j?MC_CID=1&mc_eid=2", "https://a.example/j"},
	    {"https://a.example/j?utm_source=x&UTM_Medium=y&msclkid=1&token=t",
	     "https://a.example/j?token=t"},
	    {"https://a.example/j?hsa_cam=1&mtm_campaign=2&pk_kwd=3&_ga=4", "https://a.example/j"},
	    {"https://a.example/j?trkx=1&gh_source=2", "https://a.example/j?trkx=1&gh_source=2"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = source_url_strip_tracking(cases[i][0]);
		CHECK_STR(got, cases[i][1]);
		free(got);
	}
}

/* A row without id or title is a drop; a repeated id is no drop and keeps the first row. */
static void test_posting_add_once(void)
{
	struct posting_list out = {0};
	struct posting *seen = NULL, *p;

	p = source_posting_add_once(&out, xstrdup("1"), xstrdup("First"), &seen);
	CHECK(p != NULL && seen == NULL);
	CHECK(source_posting_add_once(&out, NULL, xstrdup("No id"), &seen) == NULL && !seen);
	CHECK(source_posting_add_once(&out, xstrdup("2"), NULL, &seen) == NULL && !seen);
	CHECK_NUM(out.dropped, 2);
	p = source_posting_add_once(&out, xstrdup("1"), xstrdup("Again"), &seen);
	CHECK(p == NULL && seen != NULL);
	CHECK_STR(seen ? seen->title : NULL, "First");
	CHECK_NUM(out.dropped, 2);
	CHECK_NUM(out.len, 1);
	posting_list_clear(&out);
}

/* Amounts as numbers or strings, either one alone; no amount is no range. */
static void test_pay_fields(void)
{
	static const struct source_pay_keys keys = {"lo", "hi", "cur", "per"};
	static const char body[] = "[{\"lo\": 90000, \"hi\": \"$120,000\", \"cur\": \"usd\", "
				   "\"per\": \"YEARLY\"}, {\"hi\": 40}, {\"cur\": \"EUR\"}, 7]";
	char msg[128];
	int line;
	struct jv *a = jv_parse(body, strlen(body), &line, msg, sizeof(msg));
	struct pay pay;

	CHECK(a != NULL);
	CHECK(source_pay_fields(jv_array_get(a, 0), &keys, "t:salary", &pay));
	CHECK(pay.min == 90000 && pay.max == 120000 && pay.period == PAY_PERIOD_YEAR);
	CHECK_STR(pay.currency, "USD");
	CHECK_STR(pay.source, "t:salary");
	CHECK(source_pay_fields(jv_array_get(a, 1), &keys, "t", &pay));
	CHECK(isnan(pay.min) && pay.max == 40 && pay.currency[0] == '\0');
	CHECK(!source_pay_fields(jv_array_get(a, 2), &keys, "t", &pay));
	CHECK(!source_pay_fields(jv_array_get(a, 3), &keys, "t", &pay));
	CHECK(!source_pay_fields(NULL, &keys, "t", &pay));
	jv_free(a);
}

/* Strings, or an object's string at key, cleaned and joined; what is neither is passed over. */
static void test_join_each(void)
{
	static const char body[] = "[[\" Munich \", 7, \"\", \"Berlin\"], "
				   "[{\"name\": \"Sales\"}, \"x\", {\"name\": \"R&D\"}]]";
	char msg[128];
	int line;
	struct jv *a = jv_parse(body, strlen(body), &line, msg, sizeof(msg));
	struct buf b = BUF_INIT;

	CHECK(a != NULL);
	source_join_each(&b, jv_array_get(a, 0), NULL, "; ");
	CHECK_STR(b.data, "Munich; Berlin");
	buf_reset(&b);
	source_join_each(&b, jv_array_get(a, 1), "name", ", ");
	CHECK_STR(b.data, "Sales, R&D");
	buf_reset(&b);
	source_join_each(&b, NULL, NULL, "; ");
	CHECK_NUM(b.len, 0);
	buf_free(&b);
	jv_free(a);
}

/* Each refusal says what was found; a body too dense for its size is named as such even
 * though jv_parse, not a check before it, is what refuses it. */
static bool keep_these(void *ctx, uint64_t fp, size_t i)
{
	const uint64_t *want = ctx;

	return fp == want[0] || fp == want[1];
}

/* A list whose items are read alone, left for the store (later_ok), gives the postings an
 * eager parse gives, in order and with the same fingerprints, once settled; keep leaves out
 * the items it names. */
static void test_json_each_later(void)
{
	const struct source_adapter *gh = source_adapter_find("greenhouse");
	const char *body =
	    "{\"jobs\": [{\"id\": 1, \"title\": \"A\", \"content\": \"x\"},"
	    " {\"id\": 2, \"title\": \"B\"}, {\"title\": \"no id\"},"
	    " {\"id\": 3, \"title\": \"C\", \"content\": \"&lt;p&gt;$10 an hour&lt;/p&gt;\"}]}";
	struct source_target t = {.type = "greenhouse"};
	struct posting_list eager = {0}, later = {.later_ok = true};
	struct source_walk w = {0};
	struct source_request next = {0};
	char err[128];

	CHECK(gh->parse(&t, &w, body, strlen(body), &eager, &next, err, sizeof(err)) == 0);
	CHECK(gh->parse(&t, &w, body, strlen(body), &later, &next, err, sizeof(err)) == 0);
	CHECK_NUM(eager.len, 3);
	CHECK_NUM(eager.dropped, 1);
	CHECK(later.len == 0 && later.later != NULL && later.later->n == 4);
	CHECK_NUM(later.dropped, 0);
	CHECK_NUM(posting_list_settle(&later, NULL, NULL), 0);
	CHECK(later.later == NULL);
	CHECK_NUM(later.len, 3);
	CHECK_NUM(later.dropped, 1);
	for (size_t i = 0; i < 3; i++) {
		CHECK_STR(later.items[i].external_id, eager.items[i].external_id);
		CHECK(posting_list_input_fp(&eager, i) != 0);
		CHECK(posting_list_input_fp(&later, i) == posting_list_input_fp(&eager, i));
		CHECK(later.items[i].pay.min == eager.items[i].pay.min ||
		      (isnan(later.items[i].pay.min) && isnan(eager.items[i].pay.min)));
	}
	CHECK(posting_list_input_fp(&eager, 0) != posting_list_input_fp(&eager, 1));
	CHECK_NUM(posting_list_later_item(&later, 2), 4);
	CHECK_NUM(posting_list_later_item(&eager, 2), 0);
	posting_list_clear(&later);

	/* keep names item 0 and 3: only 2 and the malformed one are parsed */
	later.later_ok = true;
	CHECK(gh->parse(&t, &w, body, strlen(body), &later, &next, err, sizeof(err)) == 0);
	uint64_t want[2] = {posting_list_input_fp(&eager, 0), posting_list_input_fp(&eager, 2)};
	CHECK_NUM(posting_list_settle(&later, keep_these, want), 2);
	CHECK_NUM(later.len, 1);
	CHECK_STR(later.items[0].external_id, "2");
	CHECK_NUM(later.dropped, 1);
	posting_list_clear(&later);
	posting_list_clear(&eager);
}

static void test_json_load_errors(void)
{
	static const char *const cases[][2] = {
	    {" \n", "expected a list, found an empty body"},
	    {"<html>", "expected a list, found HTML (<html>"},
	    {"{\n\"a\": ]", "expected a list, found invalid JSON at line 2: "},
	};
	char err[256];
	size_t len;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		CHECK(source_json_load(cases[i][0], strlen(cases[i][0]), "a list", err,
				       sizeof(err)) == NULL);
		CHECK(strncmp(err, cases[i][1], strlen(cases[i][1])) == 0);
	}
	char *s = harness_repeat("[", "{},", 4 * 1024 * 1024 / 3, "{}]", &len);
	CHECK(source_json_load(s, len, "a list", err, sizeof(err)) == NULL);
	CHECK_STR(err, "expected a list, found JSON of more objects and arrays than its size can "
		       "hold: refused");
	free(s);
	struct jv *v = source_json_load("\xef\xbb\xbf[]", 5, "a list", err, sizeof(err));
	CHECK(jv_is_array(v));
	jv_free(v);
}

int main(void)
{
	RUN(test_source_url_origin);
	RUN(test_tracking_table);
	RUN(test_html_xpath_check);
	RUN(test_posting_add_once);
	RUN(test_pay_fields);
	RUN(test_join_each);
	RUN(test_json_load_errors);
	RUN(test_json_each_later);
	return harness_end();
}
