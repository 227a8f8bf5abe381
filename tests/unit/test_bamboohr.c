/* test_bamboohr.c - the BambooHR adapter on a real careers list (tests/fixtures/bamboohr, see
 * its PROVENANCE.md) and on small inline lists for the edges. */
#include "adapter_harness.h"

#include "source.h"
#include "source_common.h"

static const struct config_source bamboohr_src = {
    .name = "t",
    .type = "bamboohr",
    .url = "https://acme.bamboohr.com/careers/list",
};

static void test_bamboohr_registry(void)
{
	const struct source_adapter *a = source_adapter_find("bamboohr");
	struct source_walk w;
	struct source_request req = {0};

	CHECK(a != NULL);
	source_walk_init(&w, 0);
	CHECK(a && a->first(&bamboohr_src, &w, &req, err, sizeof(err)) == 0);
	CHECK_STR(req.url, bamboohr_src.url);
	source_request_clear(&req);
	char *url = source_board_url("bamboohr", "acme");
	CHECK_STR(url, "https://acme.bamboohr.com/careers/list");
	free(url);
}

/* meta.totalCount says 3; upstream kept 2 results, and the results are what counts. */
static void test_bamboohr_careerkit(void)
{
	struct posting_list l = {0};
	size_t len;
	char *body = harness_read("bamboohr/careers_list_careerkit_trimmed.json", &len);

	CHECK(adapter_parse(&bamboohr_src, body, len, &l) == 0);
	free(body);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(l.dropped, 0);
	struct posting *p = posting_list_find(&l, "86");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Nurse Paralegal");
		CHECK_STR(p->department, "Legal");
		CHECK_STR(p->location, "Fort Lauderdale, Florida");
		CHECK_STR(p->url, "https://acme.bamboohr.com/careers/86");
		CHECK_STR(p->digest, "");
		CHECK(!pay_is_set(&p->pay));
	}
	p = posting_list_find(&l, "87");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Marketing & Social Media Intern");
		CHECK_STR(p->department, "Marketing"); /* "Marketing " trimmed */
		CHECK_STR(p->url, "https://acme.bamboohr.com/careers/87");
	}
	posting_list_clear(&l);
}

static void test_bamboohr_locations(void)
{
	struct posting_list l = {0};
	const char *body =
	    "{\"meta\":{\"totalCount\":4},\"result\":["
	    "{\"id\":\"1\",\"jobOpeningName\":\"ATS\",\"location\":{\"city\":null,\"state\":null},"
	    "\"atsLocation\":{\"country\":\"Canada\",\"state\":null,\"province\":\"Ontario\","
	    "\"city\":\"Toronto\"}},"
	    "{\"id\":2,\"jobOpeningName\":\"Remote\",\"location\":{},\"atsLocation\":{},"
	    "\"isRemote\":true,\"departmentLabel\":\"\"},"
	    "{\"id\":\"3\",\"jobOpeningName\":\"Nowhere\"},"
	    "{\"id\":\"4\",\"jobOpeningName\":\"State only\",\"location\":{\"state\":\"Utah\"},"
	    "\"atsLocation\":{\"city\":\"Ignored\"}}]}";

	CHECK(adapter_parse_str(&bamboohr_src, body, &l) == 0);
	CHECK_NUM(l.len, 4);
	struct posting *p = posting_list_find(&l, "1");
	CHECK(p && strcmp(p->location, "Toronto, Ontario, Canada") == 0);
	p = posting_list_find(&l, "2"); /* a numeric id */
	CHECK(p && strcmp(p->location, "Remote") == 0 && p->department == NULL);
	CHECK(p && strcmp(p->url, "https://acme.bamboohr.com/careers/2") == 0);
	p = posting_list_find(&l, "3");
	CHECK(p && p->location == NULL);
	p = posting_list_find(&l, "4");
	CHECK(p && strcmp(p->location, "Utah") == 0);
	posting_list_clear(&l);
}

/* Links are made on the list's own host, whatever the path or query. */
static void test_bamboohr_origin(void)
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

static void test_bamboohr_envelopes(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_str(&bamboohr_src, "{\"meta\":{\"totalCount\":0},\"result\":[]}", &l) ==
	      0);
	CHECK_NUM(l.len, 0);
	CHECK(adapter_parse_str(&bamboohr_src, "[]", &l) == -1);
	CHECK_STR(err, "expected a JSON object with \"result\", found an array");
	CHECK(adapter_parse_str(&bamboohr_src, "{\"meta\":{},\"result\":null}", &l) == -1);
	CHECK_STR(err, "expected a JSON object with \"result\", found \"result\" holding null");
	CHECK(adapter_parse_str(&bamboohr_src, "{\"jobs\":[]}", &l) == -1);
	CHECK(strstr(err, "found an object without it") != NULL);
	CHECK(adapter_parse_str(&bamboohr_src, "<!DOCTYPE html><html><title>BambooHR</title>",
				&l) == -1);
	CHECK(strstr(err, "found HTML") != NULL);
	CHECK_NUM(l.len, 0);

	CHECK(adapter_parse_str(&bamboohr_src,
				"{\"result\":[{\"id\":\"1\"},{\"jobOpeningName\":\"no id\"},"
				"{\"id\":{},\"jobOpeningName\":\"bad id\"},\"x\","
				"{\"id\":\"5\",\"jobOpeningName\":\"Five\"}]}",
				&l) == 0);
	CHECK_NUM(l.len, 1);
	CHECK_NUM(l.dropped, 4);
	CHECK(posting_list_find(&l, "5") != NULL);
	posting_list_clear(&l);
}

int main(void)
{
	RUN(test_bamboohr_registry);
	RUN(test_bamboohr_careerkit);
	RUN(test_bamboohr_locations);
	RUN(test_bamboohr_origin);
	RUN(test_bamboohr_envelopes);
	return harness_end();
}
