/* test_recruitee.c - the Recruitee adapter on real offers payloads (tests/fixtures/recruitee,
 * see its PROVENANCE.md) and on small inline boards for the edges. */
#include "adapter_harness.h"

#include "source.h"

static const struct config_source rc_src = {
    .name = "t",
    .type = "recruitee",
    .url = "https://channable.recruitee.com/api/offers/",
};

static void check_complete(const struct posting_list *l, const char *host)
{
	for (size_t i = 0; i < l->len; i++) {
		CHECK(l->items[i].title && *l->items[i].title);
		CHECK(l->items[i].url && strncmp(l->items[i].url, host, strlen(host)) == 0);
	}
}

static void test_recruitee_first(void)
{
	const struct source_adapter *a = source_adapter_find("recruitee");
	struct source_walk w;
	struct source_request req = {0};
	struct config_source none = {.name = "n", .type = "recruitee"};

	CHECK(a != NULL);
	source_walk_init(&w, 0);
	CHECK(a->first(&rc_src, &w, &req, err, sizeof(err)) == 0);
	CHECK_STR(req.url, rc_src.url);
	source_request_clear(&req);
	CHECK(a->first(&none, &w, &req, err, sizeof(err)) == -1);
	CHECK(req.url == NULL);

	char *url = source_board_url("recruitee", "channable");
	CHECK_STR(url, "https://channable.recruitee.com/api/offers/");
	free(url);
}

static void test_recruitee_channable(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&rc_src, "recruitee/channable_offers.json", &l) == 0);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(l.dropped, 0);
	check_complete(&l, "https://jobs.channable.com/o/");
	struct posting *p = posting_list_find(&l, "2631774");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Account Executive France");
		CHECK_STR(p->department, "Sales");
		CHECK_STR(p->location, "Utrecht, Utrecht, Netherlands");
		CHECK_STR(p->url, "https://jobs.channable.com/o/account-executive-france-2028");
		/* salary {"max":"6152","min":"5253","period":"month","currency":"EUR"} */
		CHECK_NUM(p->pay.min, 5253);
		CHECK_NUM(p->pay.max, 6152);
		CHECK_STR(p->pay.currency, "EUR");
		CHECK(p->pay.period == PAY_PERIOD_MONTH);
		CHECK(!p->pay.period_inferred);
		CHECK_STR(p->pay.source, "recruitee:salary");
		CHECK_NUM(p->nranges, 1);
		CHECK(p->nranges == 1 && p->ranges[0].label == NULL &&
		      pay_equal(&p->ranges[0].pay, &p->pay));
		CHECK(strlen(p->digest) == 64);
	}
	p = posting_list_find(&l, "2622523");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "AI Engineer");
		CHECK_STR(p->department, "Engineering");
		CHECK_STR(p->url, "https://jobs.channable.com/o/ai-engineer");
		CHECK_NUM(p->pay.min, 5000);
		CHECK_NUM(p->pay.max, 7000);
		CHECK(p->pay.period == PAY_PERIOD_MONTH);
	}
	posting_list_clear(&l);
}

static void test_recruitee_careerkit(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&rc_src, "recruitee/offers_careerkit_sanitized.json", &l) == 0);
	CHECK_NUM(l.len, 2);
	check_complete(&l, "https://jobs.acme.com/o/");
	struct posting *p = posting_list_find(&l, "2700825");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(
		    p->title,
		    "(Senior) Financial Accountant (f/m/d) - Berlin/Brandenburg Region, Germany");
		CHECK_STR(p->department, "Finance");
		CHECK_STR(p->location, "Berlin, Berlin, Germany");
		CHECK_STR(p->url,
			  "https://jobs.acme.com/o/"
			  "senior-financial-accountant-fmd-berlinbrandenburg-region-germany");
		CHECK_NUM(p->pay.min, 60000);
		CHECK_NUM(p->pay.max, 75000);
		CHECK_STR(p->pay.currency, "EUR");
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK_NUM(p->nranges, 1);
	}
	p = posting_list_find(&l, "2697184");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Partner Development Representative (f/m/d) - Berlin, Germany");
		CHECK_STR(p->department, "Sales");
		CHECK_NUM(p->pay.min, 75000);
		CHECK_NUM(p->pay.max, 90000);
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
	}
	posting_list_clear(&l);
}

static void test_recruitee_fields(void)
{
	struct posting_list l = {0};
	const char *body =
	    "{\"offers\":[{\"id\":1,\"title\":\"No salary\",\"city\":\"Amsterdam\","
	    "\"country\":\"Netherlands\",\"careers_apply_url\":\"https://x.recruitee.com/o/a/c/"
	    "new\","
	    "\"description\":\"<p>Salary: \\u20ac50,000 - \\u20ac60,000 per year</p>\","
	    "\"requirements\":\"<ul><li>Dutch</li></ul>\"},"
	    "{\"id\":2,\"title\":\"Empty salary\",\"salary\":{\"min\":null,\"max\":null,\"period\":"
	    "null,\"currency\":null},\"locations\":[{\"name\":\"Berlin\"},{\"name\":\"Remote\"}],"
	    "\"description\":\"<p>We pay well.</p>\"},"
	    "{\"id\":3,\"title\":\"Numbers\",\"location\":\"  \",\"salary\":{\"min\":3000,"
	    "\"max\":\"4,500\",\"period\":\"month\",\"currency\":\"eur\"}},"
	    "{\"id\":4,\"title\":\"Same text\",\"description\":\"<p>Hello</p>\",\"requirements\":"
	    "\"<p>world</p>\"},"
	    "{\"id\":5,\"title\":\"Same text too\",\"description\":\"<p>Hello</p><p>world</p>\"}]}";

	CHECK(adapter_parse_str(&rc_src, body, &l) == 0);
	CHECK_NUM(l.len, 5);
	struct posting *p = posting_list_find(&l, "1");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->location, "Amsterdam, Netherlands");
		CHECK_STR(p->url, "https://x.recruitee.com/o/a/c/new");
		CHECK_STR(p->department, NULL);
		/* no salary object: the description's text */
		CHECK_NUM(p->pay.min, 50000);
		CHECK_NUM(p->pay.max, 60000);
		CHECK_STR(p->pay.currency, "EUR");
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK_STR(p->pay.source, "text");
		CHECK_NUM(p->nranges, 1);
	}
	p = posting_list_find(&l, "2");
	CHECK(p && strcmp(p->location, "Berlin; Remote") == 0);
	CHECK(p && !pay_is_set(&p->pay) && p->nranges == 0);
	p = posting_list_find(&l, "3");
	CHECK(p && p->location == NULL && p->url == NULL && p->digest[0] == '\0');
	CHECK(p && p->pay.min == 3000 && p->pay.max == 4500 && strcmp(p->pay.currency, "EUR") == 0);
	/* description and requirements read as one text */
	p = posting_list_find(&l, "4");
	struct posting *q = posting_list_find(&l, "5");
	CHECK(p && q && strcmp(p->digest, q->digest) == 0 && strlen(p->digest) == 64);
	posting_list_clear(&l);
}

static void test_recruitee_envelopes(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_str(&rc_src, "{\"offers\":[]}", &l) == 0);
	CHECK_NUM(l.len, 0);
	CHECK(adapter_parse_str(
		  &rc_src, "<!doctype html><html><body><h1>Careers</h1></body></html>", &l) == -1);
	CHECK(strstr(err, "expected a JSON object with \"offers\", found HTML (<!doctype html>") !=
	      NULL);
	CHECK(adapter_parse_str(&rc_src, "[]", &l) == -1);
	CHECK(strstr(err, "found an array") != NULL);
	CHECK(adapter_parse_str(&rc_src, "{\"error\":\"Not found\"}", &l) == -1);
	CHECK(strstr(err, "found an object without it (keys: error)") != NULL);
	CHECK(adapter_parse_str(&rc_src, "{\"offers\":\"none\"}", &l) == -1);
	CHECK(strstr(err, "found \"offers\" holding a string") != NULL);
	CHECK(adapter_parse_str(&rc_src, "\"offers\"", &l) == -1);
	CHECK(strstr(err, "found a string") != NULL);
	CHECK_NUM(l.len, 0);

	CHECK(adapter_parse_str(
		  &rc_src,
		  "{\"offers\":[{\"id\":1},{\"title\":\"no id\"},null,{\"id\":2,\"title\":"
		  "\"Two\"},{\"id\":\"\",\"title\":\"empty id\"},{\"id\":3,\"title\":[]}]}",
		  &l) == 0);
	CHECK_NUM(l.len, 1);
	CHECK_NUM(l.dropped, 5);
	CHECK(posting_list_find(&l, "2") != NULL);
	posting_list_clear(&l);
}

int main(void)
{
	RUN(test_recruitee_first);
	RUN(test_recruitee_channable);
	RUN(test_recruitee_careerkit);
	RUN(test_recruitee_fields);
	RUN(test_recruitee_envelopes);
	return harness_end();
}
