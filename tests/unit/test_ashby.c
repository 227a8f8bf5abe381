/* test_ashby.c - the Ashby adapter on real job-board payloads (tests/fixtures/ashby, see its
 * PROVENANCE.md) and on small inline boards for the edges. */
#include "adapter_harness.h"

#include "source.h"

static const struct config_source ashby_src = {
    .name = "t",
    .type = "ashby",
    .url = "https://api.ashbyhq.com/posting-api/job-board/x?includeCompensation=true",
};

/* Every posting has what a reader needs to find it again. */
static void check_complete(const struct posting_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		CHECK(l->items[i].title && *l->items[i].title);
		CHECK(l->items[i].url &&
		      strncmp(l->items[i].url, "https://jobs.ashbyhq.com/", 25) == 0);
	}
}

static void test_ashby_first(void)
{
	const struct source_adapter *a = source_adapter_find("ashby");
	struct source_walk w;
	struct source_request req = {0};
	struct config_source none = {.name = "n", .type = "ashby"};

	CHECK(a != NULL);
	source_walk_init(&w, 0);
	CHECK(a->first(&ashby_src, &w, &req, err, sizeof(err)) == 0);
	CHECK_STR(req.url, ashby_src.url);
	source_request_clear(&req);
	CHECK(a->first(&none, &w, &req, err, sizeof(err)) == -1);
	CHECK(req.url == NULL);

	char *url = source_board_url("ashby", "Etched");
	CHECK_STR(url,
		  "https://api.ashbyhq.com/posting-api/job-board/Etched?includeCompensation=true");
	free(url);
	/* board names are case- and space-sensitive: kept, and encoded */
	url = source_board_url("ashby", "Acme Labs/x");
	CHECK_STR(url, "https://api.ashbyhq.com/posting-api/job-board/"
		       "Acme%20Labs%2Fx?includeCompensation=true");
	free(url);
}

static void test_ashby_highlightta(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&ashby_src, "ashby/highlightta_careerkit_trimmed.json", &l) ==
	      0);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(l.dropped, 0);
	check_complete(&l);
	struct posting *p = posting_list_find(&l, "fc2f1f85-46a0-4a31-b165-683e39c07c04");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Senior Site Reliability Engineer"); /* trailing blank gone */
		CHECK_STR(p->department, "HighlightTA Confidential");
		CHECK_STR(p->location, "Toronto, Ontario");
		CHECK_STR(
		    p->url,
		    "https://jobs.ashbyhq.com/HighlightTA/fc2f1f85-46a0-4a31-b165-683e39c07c04");
		CHECK_NUM(p->pay.min, 102800);
		CHECK_NUM(p->pay.max, 137000);
		CHECK_STR(p->pay.currency, "CAD");
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK(!p->pay.period_inferred);
		CHECK_STR(p->pay.source, "ashby:compensation");
		CHECK_STR(p->pay_text, "CA$102.8K – CA$137K");
		CHECK_NUM(p->nranges, 1);
		if (p->nranges == 1) {
			/* an untitled tier is named by its summary */
			CHECK_STR(p->ranges[0].label, "CA$102.8K – CA$137K");
			CHECK(pay_equal(&p->ranges[0].pay, &p->pay));
		}
		CHECK(strlen(p->digest) == 64);
	}
	/* compensation present but empty, and no pay in the text */
	p = posting_list_find(&l, "90fb3621-899e-4b59-925d-25080ec91e18");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Senior Technical Recruiter");
		CHECK_STR(p->department, "HighlightTA");
		CHECK_STR(p->location, "Canada");
		CHECK(!pay_is_set(&p->pay));
		CHECK_NUM(p->nranges, 0);
		CHECK_STR(p->pay_text, NULL);
	}
	posting_list_clear(&l);
}

static void test_ashby_linear(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&ashby_src, "ashby/linear_sample_2jobs.json", &l) == 0);
	CHECK_NUM(l.len, 2);
	check_complete(&l);
	struct posting *p = posting_list_find(&l, "d3bc1ced-3ce4-4086-a050-555055dbb1ff");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Senior / Staff Fullstack Engineer");
		CHECK_STR(p->department, "Product"); /* department wins over team "Engineering" */
		CHECK_STR(p->location, "Europe");
		CHECK_STR(p->url,
			  "https://jobs.ashbyhq.com/linear/d3bc1ced-3ce4-4086-a050-555055dbb1ff");
		/* all-null compensation and "Competitive salary and equity": no pay */
		CHECK(!pay_is_set(&p->pay));
		CHECK_NUM(p->nranges, 0);
	}
	p = posting_list_find(&l, "cd5ae036-0223-427a-b038-ba16ef9dcb32");
	CHECK(p && strcmp(p->location, "North America") == 0);
	/* same title, different text: different digests */
	CHECK(strcmp(l.items[0].digest, l.items[1].digest) != 0);
	posting_list_clear(&l);
}

/* Fetched without includeCompensation: no compensation key, so the text decides. */
static void test_ashby_etched_text_pay(void)
{
	struct posting_list l = {0};
	size_t with_pay = 0;

	CHECK(adapter_parse_fixture(&ashby_src, "ashby/etched_no_includeCompensation.json", &l) ==
	      0);
	CHECK_NUM(l.len, 10);
	CHECK_NUM(l.dropped, 0);
	check_complete(&l);
	for (size_t i = 0; i < l.len; i++)
		with_pay += pay_is_set(&l.items[i].pay);
	/* "Housing subsidy of $2k per month", in every posting, is a benefit, not pay */
	CHECK_NUM(with_pay, 1);
	struct posting *p = posting_list_find(&l, "61860739-5aa9-4f64-920d-f4c1cca71af8");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Electrical Engineer, Hardware Systems");
		CHECK_STR(p->department, "Platform");
		CHECK_STR(p->location, "San Jose");
		CHECK_STR(p->url,
			  "https://jobs.ashbyhq.com/Etched/61860739-5aa9-4f64-920d-f4c1cca71af8");
		/* "Compensation Range\n - $150,000 - $275,000" */
		CHECK_NUM(p->pay.min, 150000);
		CHECK_NUM(p->pay.max, 275000);
		CHECK_STR(p->pay.currency, "USD");
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK_STR(p->pay.source, "text");
		CHECK(p->pay_text && strstr(p->pay_text, "$150,000 - $275,000"));
		CHECK_NUM(p->nranges, 1);
		CHECK(p->nranges == 1 && p->ranges[0].label == NULL &&
		      pay_equal(&p->ranges[0].pay, &p->pay));
	}
	p = posting_list_find(&l, "610c3836-9798-46ea-931a-02bb95b29467");
	CHECK(p && strcmp(p->title, "Software Engineer – Performance Profiling") == 0);
	CHECK(p && strcmp(p->department, "Software") == 0 && !pay_is_set(&p->pay));
	posting_list_clear(&l);
}

/* Geo tiers as Ashby writes them: each tier's Salary is a range, equity and bonus are not. */
static void test_ashby_tiers(void)
{
	struct posting_list l = {0};
	const char *body =
	    "{\"apiVersion\":\"1\",\"jobs\":[{\"id\":\"t1\",\"title\":\"Engineer\","
	    "\"location\":\"New York\",\"secondaryLocations\":[{\"location\":\"Remote - US\"},"
	    "{\"location\":\"New York\"},{\"location\":null}],"
	    "\"jobUrl\":\"https://jobs.ashbyhq.com/acme/t1\",\"descriptionPlain\":\"Build.\","
	    "\"compensation\":{\"compensationTierSummary\":\"$150K – $200K • Offers Equity\","
	    "\"compensationTiers\":["
	    "{\"title\":\"Zone A\",\"tierSummary\":\"$180K – $200K\",\"components\":["
	    "{\"compensationType\":\"EquityPercentage\",\"interval\":\"NONE\",\"currencyCode\":"
	    "null,"
	    "\"minValue\":0.5,\"maxValue\":1.75},"
	    "{\"compensationType\":\"Salary\",\"interval\":\"1 YEAR\",\"currencyCode\":\"USD\","
	    "\"minValue\":180000,\"maxValue\":200000},"
	    "{\"compensationType\":\"EquityCashValue\",\"interval\":\"1 "
	    "YEAR\",\"currencyCode\":\"USD\","
	    "\"minValue\":null,\"maxValue\":null}]},"
	    "{\"title\":null,\"tierSummary\":\"$150K – $170K\",\"components\":["
	    "{\"compensationType\":\"Salary\",\"interval\":\"1 YEAR\",\"currencyCode\":\"USD\","
	    "\"minValue\":150000,\"maxValue\":170000},"
	    "{\"compensationType\":\"Bonus\",\"interval\":\"1 YEAR\",\"currencyCode\":\"USD\","
	    "\"minValue\":10000,\"maxValue\":20000}]},"
	    "{\"title\":\"Contractors\",\"components\":[{\"compensationType\":\"Salary\","
	    "\"interval\":\"1 HOUR\",\"currencyCode\":\"usd\",\"minValue\":90,\"maxValue\":null}]},"
	    "{\"title\":\"Equity only\",\"components\":[{\"compensationType\":\"Salary\","
	    "\"minValue\":null,\"maxValue\":null}]}],"
	    "\"summaryComponents\":[{\"compensationType\":\"Salary\",\"interval\":\"1 YEAR\","
	    "\"currencyCode\":\"USD\",\"minValue\":150000,\"maxValue\":200000}]}},"
	    /* no tier has a salary: summaryComponents stands in, before the text */
	    "{\"id\":\"t2\",\"title\":\"Writer\",\"descriptionPlain\":\"Salary: $10 - $20 per "
	    "hour\","
	    "\"compensation\":{\"compensationTiers\":[{\"title\":\"Zone\",\"components\":[]}],"
	    "\"summaryComponents\":[{\"compensationType\":\"Salary\",\"interval\":\"1 MONTH\","
	    "\"currencyCode\":\"EUR\",\"minValue\":3000,\"maxValue\":4000}]}},"
	    /* compensation with nothing in it: the text */
	    "{\"id\":\"t3\",\"title\":\"Barista\",\"team\":\"Cafe\","
	    "\"descriptionHtml\":\"<p>Pay: $20 - $25 per hour</p>\",\"compensation\":"
	    "{\"compensationTiers\":[],\"summaryComponents\":[]}}]}";

	CHECK(adapter_parse_str(&ashby_src, body, &l) == 0);
	CHECK_NUM(l.len, 3);
	struct posting *p = posting_list_find(&l, "t1");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->location, "New York; Remote - US");
		CHECK_NUM(p->nranges, 3); /* the equity-only tier states no amount */
		if (p->nranges == 3) {
			CHECK_STR(p->ranges[0].label, "Zone A");
			CHECK_NUM(p->ranges[0].pay.min, 180000);
			CHECK_NUM(p->ranges[0].pay.max, 200000);
			CHECK_STR(p->ranges[1].label, "$150K – $170K");
			CHECK_NUM(p->ranges[1].pay.min, 150000);
			CHECK_NUM(p->ranges[1].pay.max, 170000);
			CHECK(p->ranges[1].pay.period == PAY_PERIOD_YEAR);
			CHECK_STR(p->ranges[2].label, "Contractors");
			CHECK_NUM(p->ranges[2].pay.min, 90);
			CHECK(isnan(p->ranges[2].pay.max));
			CHECK_STR(p->ranges[2].pay.currency, "USD");
			CHECK(p->ranges[2].pay.period == PAY_PERIOD_HOUR);
		}
		/* the posting's pay is the envelope of the yearly USD tiers (Zone A and the
		 * $150K – $170K one); the hourly contractor tier stays a row of its own */
		CHECK_NUM(p->pay.min, 150000);
		CHECK_NUM(p->pay.max, 200000);
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK_STR(p->pay_text, "$150K – $200K • Offers Equity");
	}
	p = posting_list_find(&l, "t2");
	CHECK(p && p->nranges == 1 && p->ranges[0].label == NULL);
	CHECK(p && p->pay.min == 3000 && p->pay.max == 4000 && p->pay.period == PAY_PERIOD_MONTH &&
	      strcmp(p->pay.currency, "EUR") == 0 &&
	      strcmp(p->pay.source, "ashby:compensation") == 0);
	p = posting_list_find(&l, "t3");
	CHECK(p && strcmp(p->department, "Cafe") == 0);
	CHECK(p && p->pay.min == 20 && p->pay.max == 25 && p->pay.period == PAY_PERIOD_HOUR &&
	      strcmp(p->pay.source, "text") == 0 && p->nranges == 1);
	CHECK(p && p->url == NULL && strlen(p->digest) == 64);
	posting_list_clear(&l);
}

static void test_ashby_fields(void)
{
	struct posting_list l = {0};
	const char *body =
	    "{\"jobs\":[{\"id\":\"a\",\"title\":\"A\",\"descriptionPlain\":\"Hello\\n\\nworld\","
	    "\"applyUrl\":\"https://jobs.ashbyhq.com/x/a/application\"},"
	    "{\"id\":\"b\",\"title\":\"B\",\"descriptionHtml\":\"<p>Hello</p><p>world</p>\"},"
	    "{\"id\":\"c\",\"title\":\"Hidden\",\"isListed\":false},"
	    "{\"id\":\"d\",\"title\":\"D\",\"isListed\":true,\"compensation\":null}]}";

	CHECK(adapter_parse_str(&ashby_src, body, &l) == 0);
	CHECK_NUM(l.len, 3);
	CHECK_NUM(l.dropped, 0); /* unlisted is not public, not malformed */
	CHECK(posting_list_find(&l, "c") == NULL);
	struct posting *p = posting_list_find(&l, "a");
	CHECK(p && strcmp(p->url, "https://jobs.ashbyhq.com/x/a/application") == 0);
	/* plain or HTML: the same text, the same digest */
	CHECK_STR(l.items[0].digest, l.items[1].digest);
	p = posting_list_find(&l, "d");
	CHECK(p && p->digest[0] == '\0' && p->location == NULL && p->department == NULL);
	posting_list_clear(&l);
}

static void test_ashby_envelopes(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_str(&ashby_src, "{\"apiVersion\":\"1\",\"jobs\":[]}", &l) == 0);
	CHECK_NUM(l.len, 0);
	CHECK(adapter_parse_str(&ashby_src, "<!DOCTYPE html><html><body>Not found</body></html>",
				&l) == -1);
	CHECK(strstr(err, "expected a JSON object with \"jobs\", found HTML (<!DOCTYPE html>") !=
	      NULL);
	CHECK(adapter_parse_str(&ashby_src, "[{\"id\":\"a\",\"title\":\"A\"}]", &l) == -1);
	CHECK(strstr(err, "found an array") != NULL);
	CHECK(adapter_parse_str(&ashby_src, "{\"success\":false,\"errors\":[\"not_found\"]}", &l) ==
	      -1);
	CHECK(strstr(err, "found an object without it (keys: success, errors)") != NULL);
	CHECK(adapter_parse_str(&ashby_src, "{\"jobs\":{\"id\":\"a\"}}", &l) == -1);
	CHECK(strstr(err, "found \"jobs\" holding an object") != NULL);
	CHECK(adapter_parse_str(&ashby_src, "{\"jobs\":null}", &l) == -1);
	CHECK(strstr(err, "found \"jobs\" holding null") != NULL);
	CHECK(adapter_parse_str(&ashby_src, "", &l) == -1);
	CHECK(strstr(err, "empty body") != NULL);
	CHECK(adapter_parse_str(&ashby_src, "{\"jobs\":[{\"id\":", &l) == -1);
	CHECK(strstr(err, "invalid JSON") != NULL);
	CHECK_NUM(l.len, 0);

	/* one malformed job is dropped and counted; the rest stand */
	CHECK(adapter_parse_str(
		  &ashby_src,
		  "{\"jobs\":[{\"id\":\"a\"},{\"title\":\"no id\"},{\"id\":\"b\",\"title\":"
		  "\"  \"},\"x\",7,{\"id\":42,\"title\":\"Numeric id\"},{\"id\":\"ok\","
		  "\"title\":\"OK\",\"compensation\":{\"compensationTiers\":\"x\"}}]}",
		  &l) == 0);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(l.dropped, 5);
	CHECK(posting_list_find(&l, "42") != NULL);
	CHECK(posting_list_find(&l, "ok") != NULL);
	posting_list_clear(&l);
}

int main(void)
{
	RUN(test_ashby_first);
	RUN(test_ashby_highlightta);
	RUN(test_ashby_linear);
	RUN(test_ashby_etched_text_pay);
	RUN(test_ashby_tiers);
	RUN(test_ashby_fields);
	RUN(test_ashby_envelopes);
	return harness_end();
}
