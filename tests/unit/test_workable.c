/* test_workable.c - the Workable widget adapter on real widget payloads
 * (tests/fixtures/workable, see its PROVENANCE.md) and on small inline objects for the edges. */
#include "adapter_harness.h"

#include "buf.h"
#include "source.h"

static const struct config_source workable_src = {
    .name = "t",
    .type = "workable",
    .url = "https://apply.workable.com/api/v1/widget/accounts/zego?details=true",
};

static void test_workable_registry(void)
{
	const struct source_adapter *a = source_adapter_find("workable");
	struct source_walk w;
	struct source_request req = {0};

	CHECK(a != NULL);
	source_walk_init(&w, 0);
	CHECK(a && a->first(&workable_src, &w, &req, err, sizeof(err)) == 0);
	CHECK_STR(req.url, workable_src.url);
	source_request_clear(&req);
	char *url = source_board_url("workable", "zego");
	CHECK_STR(url, "https://apply.workable.com/api/v1/widget/accounts/zego?details=true");
	free(url);
}

static void test_workable_zego(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&workable_src, "workable/zego_widget.json", &l) == 0);
	CHECK_NUM(l.len, 3);
	CHECK_NUM(l.dropped, 0);
	struct posting *p = posting_list_find(&l, "0897A038EC");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Claims Fraud Triage Handler");
		CHECK_STR(p->department, "Claims and Fraud");
		CHECK_STR(p->location, "Halifax, England, United Kingdom");
		CHECK_STR(p->url, "https://apply.workable.com/j/0897A038EC");
		/* the widget's only description is the company's, not the job's */
		CHECK_STR(p->digest, "");
		CHECK(!pay_is_set(&p->pay));
		CHECK_NUM(p->nranges, 0);
	}
	p = posting_list_find(&l, "450EC5C378");
	CHECK(p && strcmp(p->title, "Claims Handler - Third Party") == 0);
	p = posting_list_find(&l, "655F2A00AE");
	CHECK(p && strcmp(p->title, "Customer Claims Fraud Handler") == 0);
	for (size_t i = 0; i < l.len; i++)
		CHECK(l.items[i].title && l.items[i].url);
	posting_list_clear(&l);
}

/* Zaelab lists one job twice, once per country, under one shortcode: one posting. */
static void test_workable_zaelab(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&workable_src, "workable/zaelab_widget_trimmed.json", &l) == 0);
	CHECK_NUM(l.len, 1);
	CHECK_NUM(l.dropped, 0);
	struct posting *p = posting_list_find(&l, "DD136DD7E7");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Business Analyst - Spanish Speaking");
		CHECK_STR(p->department, "Business Consulting");
		CHECK_STR(p->location, "Spain; Portugal");
		CHECK_STR(p->url, "https://apply.workable.com/j/DD136DD7E7");
	}
	posting_list_clear(&l);
}

static void test_workable_fields(void)
{
	struct posting_list l = {0};
	const char *body =
	    "{\"name\":\"X\",\"jobs\":["
	    "{\"shortcode\":\"A1\",\"title\":\" Data \\n Engineer \",\"department\":\"\","
	    "\"shortlink\":\"https://apply.workable.com/j/A1\",\"city\":\"Berlin\",\"state\":\"\","
	    "\"country\":\"Germany\",\"locations\":[{\"city\":\"Hidden\",\"hidden\":true}],"
	    "\"description\":\"<p>Build pipelines.</p>\","
	    "\"benefits\":\"<p>Salary: 45.000 \\u2013 55.000 \\u20ac brutto/Jahr</p>\"},"
	    "{\"shortcode\":\"B2\",\"title\":\"Remote role\",\"telecommuting\":true,"
	    "\"application_url\":\"https://apply.workable.com/j/B2/apply\","
	    "\"description\":\"<p>Build pipelines.</p>\"},"
	    "{\"shortcode\":\"C3\",\"title\":\"Three\",\"url\":\"https://apply.workable.com/j/C3\","
	    "\"locations\":[{\"city\":\"Lyon\",\"region\":null,\"country\":\"France\"},"
	    "{\"city\":\"Lyon\",\"country\":\"France\"},{\"city\":\"Paris\",\"country\":\"France\"}"
	    "]}"
	    "]}";

	CHECK(adapter_parse_str(&workable_src, body, &l) == 0);
	CHECK_NUM(l.len, 3);
	struct posting *p = posting_list_find(&l, "A1");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Data Engineer");
		CHECK_STR(p->department, NULL);
		CHECK_STR(p->location, "Berlin, Germany");
		CHECK_STR(p->url, "https://apply.workable.com/j/A1");
		CHECK(strlen(p->digest) == 64);
		CHECK_NUM(p->pay.min, 45000);
		CHECK_NUM(p->pay.max, 55000);
		CHECK_STR(p->pay.currency, "EUR");
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK_STR(p->pay.source, "text");
	}
	p = posting_list_find(&l, "B2");
	CHECK(p && strcmp(p->location, "Remote") == 0);
	CHECK(p && strcmp(p->url, "https://apply.workable.com/j/B2/apply") == 0);
	CHECK(p && !pay_is_set(&p->pay));
	/* B2's description lacks A1's benefits: another text, another digest */
	CHECK(p && strlen(p->digest) == 64 && strcmp(p->digest, l.items[0].digest) != 0);
	p = posting_list_find(&l, "C3");
	CHECK(p && strcmp(p->location, "Lyon, France; Paris, France") == 0);
	posting_list_clear(&l);
}

static void test_workable_envelopes(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_str(&workable_src, "{\"name\":\"Empty\",\"jobs\":[]}", &l) == 0);
	CHECK_NUM(l.len, 0);
	CHECK(adapter_parse_str(&workable_src, "[]", &l) == -1);
	CHECK(strstr(err, "expected a JSON object with \"jobs\", found an array") != NULL);
	CHECK(adapter_parse_str(&workable_src, "{\"error\":\"Not found\"}", &l) == -1);
	CHECK(strstr(err, "found an error: Not found") != NULL);
	CHECK(adapter_parse_str(&workable_src, "{\"total\":0,\"results\":[]}", &l) == -1);
	CHECK(strstr(err, "found an object without it") != NULL);
	CHECK(adapter_parse_str(&workable_src, "{\"jobs\":{}}", &l) == -1);
	CHECK(strstr(err, "found \"jobs\" holding an object") != NULL);
	CHECK(adapter_parse_str(&workable_src, "<!DOCTYPE html><html>", &l) == -1);
	CHECK(strstr(err, "found HTML") != NULL);
	CHECK(adapter_parse_str(&workable_src, "", &l) == -1);
	CHECK(strstr(err, "empty body") != NULL);
	CHECK_NUM(l.len, 0);

	CHECK(adapter_parse_str(&workable_src,
				"{\"jobs\":[{\"title\":\"no code\"},{\"shortcode\":\"X\"},"
				"{\"shortcode\":\"Y\",\"title\":\"\"},7,"
				"{\"shortcode\":\"Z\",\"title\":\"kept\"}]}",
				&l) == 0);
	CHECK_NUM(l.len, 1);
	CHECK_NUM(l.dropped, 4);
	CHECK(posting_list_find(&l, "Z") != NULL);
	posting_list_clear(&l);
}

/* Issue 21.3 and 21.4: rows of one shortcode merge their places into one location, which
 * grew without end and was scanned whole for each row; and a field is kept only as long as
 * the store keeps it (4096 bytes, whole UTF-8 characters), however long the page wrote it. */
static void test_workable_bounds(void)
{
	struct buf b = BUF_INIT;
	struct posting_list l = {0};
	size_t n = 10000;

	buf_puts(&b, "{\"jobs\": [");
	for (size_t i = 0; i < n; i++)
		buf_printf(
		    &b, "%s{\"shortcode\": \"ABC\", \"title\": \"Role\", \"city\": \"City %zu\"}",
		    i ? "," : "", i);
	buf_puts(&b, ", {\"shortcode\": \"LONG\", \"title\": \"");
	for (size_t i = 0; i < 300000; i++)
		buf_puts(&b, "\u00e9"); /* 600 KB of two-byte characters */
	buf_puts(&b, "\"}]}");
	double t0 = harness_cpu();
	CHECK(adapter_parse(&(struct config_source){.name = "t", .type = "workable", .url = "x"},
			    b.data, b.len, &l) == 0);
	CHECK(harness_cpu() - t0 < 0.5);
	struct posting *p = posting_list_find(&l, "ABC");
	CHECK(p != NULL && p->location != NULL);
	if (p && p->location) {
		CHECK(strlen(p->location) <= 4096);
		CHECK(strncmp(p->location, "City 0; City 1; City 2", 22) == 0);
	}
	p = posting_list_find(&l, "LONG");
	CHECK(p != NULL && p->title != NULL);
	if (p && p->title) {
		size_t len = strlen(p->title);
		CHECK(len <= 4096 && len >= 4094 && len % 2 == 0);
		CHECK(strspn(p->title, "\xc3\xa9") == len);
	}
	posting_list_clear(&l);
	buf_free(&b);
}

int main(void)
{
	RUN(test_workable_registry);
	RUN(test_workable_zego);
	RUN(test_workable_zaelab);
	RUN(test_workable_fields);
	RUN(test_workable_envelopes);
	RUN(test_workable_bounds);
	return harness_end();
}
