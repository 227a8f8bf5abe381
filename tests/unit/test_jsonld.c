/* test_jsonld.c - the schema.org JobPosting JSON-LD adapter on a real iCIMS page and real
 * Teamtailor JobPosting objects (tests/fixtures/{schemaorg,teamtailor}, see PROVENANCE.md),
 * and on small inline pages for the shapes the wild gives these properties. */
#include "harness.h"

#include <json-c/json_object.h>

#include "jv.h"

#include "buf.h"
#include "source.h"

static const struct config_source ld_src = {
    .name = "t",
    .type = "jsonld",
    .url = "https://example.com/careers/job?id=7&utm_source=feed&gh_jid=42&fbclid=x",
};

static char err[512];

static int parse(const char *body, size_t len, struct posting_list *out)
{
	const struct source_adapter *a = source_adapter_find("jsonld");
	struct source_walk w;
	struct source_request next = {0};

	source_walk_init(&w, 0);
	w.page_url = ld_src.url;
	err[0] = '\0';
	int rc = a->parse(&ld_src, &w, body, len, out, &next, err, sizeof(err));
	CHECK(next.url == NULL);
	source_request_clear(&next);
	return rc;
}

/* A page with one ld+json script holding json. */
static int parse_script(const char *json, struct posting_list *out)
{
	struct buf b = BUF_INIT;

	buf_printf(&b,
		   "<!DOCTYPE html><html><head><script type=\"application/ld+json\">%s</script>"
		   "</head><body><p>page</p></body></html>",
		   json);
	int rc = parse(b.data, b.len, out);
	buf_free(&b);
	return rc;
}

static void test_jsonld_icims(void)
{
	struct posting_list l = {0};
	size_t len;
	char *body = harness_read("schemaorg/icims_sig_job_jsonld.html", &len);
	const char *url = "https://careers-sig.icims.com/jobs/11169/"
			  "trading-system-engineering-internship%3a-summer-2027/job";

	CHECK(parse(body, len, &l) == 0);
	CHECK_NUM(l.len, 1);
	struct posting *p = l.len ? &l.items[0] : NULL;
	if (p) {
		CHECK_STR(p->external_id, url); /* no identifier: the posting's url */
		CHECK_STR(p->url, url);
		CHECK_STR(p->title, "Trading System Engineering Internship: Summer 2027");
		CHECK_STR(p->location, "Hong Kong, HK"); /* "UNAVAILABLE" placeholders skipped */
		CHECK_STR(p->department, NULL);		 /* occupationalCategory is no department */
		CHECK(strlen(p->digest) == 64);
		CHECK(strcmp(p->pay.source, "jsonld:baseSalary") != 0);
	}
	posting_list_clear(&l);
	free(body);
}

/* Teamtailor's JSON Feed carries real JobPosting objects; put each on a page as its script. */
static void test_jsonld_teamtailor(void)
{
	static const char *const feeds[] = {"teamtailor/1komma5_jobs_json_feed.json",
					    "teamtailor/career_teamtailor_jobs_json_feed.json"};
	struct posting_list l = {0};

	for (size_t f = 0; f < 2; f++) {
		size_t len;
		char *body = harness_read(feeds[f], &len);
		char msg[128];
		int line;
		struct json_object *feed = jv_parse(body, len, &line, msg, sizeof(msg));
		struct json_object *item;
		size_t i;

		CHECK(feed != NULL);
		jv_array_foreach(jv_get(feed, "items"), i, item)
		{
			char *js = strdup(json_object_to_json_string_ext(
			    jv_get(item, "_jobposting"), JSON_C_TO_STRING_PLAIN));
			CHECK(parse_script(js, &l) == 0);
			free(js);
		}
		jv_free(feed);
		free(body);
	}
	CHECK_NUM(l.len, 4);
	struct posting *p = posting_list_find(&l, "7793185"); /* identifier.value is a number */
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Utesäljare energilösningar till 1KOMMA5° i Stockholm");
		CHECK_STR(p->location, "Stockholm, Mälardalen, SE");
		/* no url in the object: the page's, without its tracking parameters */
		CHECK_STR(p->url, "https://example.com/careers/job?id=7&gh_jid=42");
		CHECK(strlen(p->digest) == 64);
	}
	p = posting_list_find(&l, "7675543");
	CHECK(p && strcmp(p->title,
			  "Innesäljare till marknadsledande 1KOMMA5° - Mållön 80–100k 🚀") == 0);
	p = posting_list_find(&l, "7069633"); /* jobLocation array */
	CHECK(p && strcmp(p->location, "Stockholm, Sweden, SE; København, Europe, DK") == 0);
	p = posting_list_find(&l, "7167985");
	CHECK(p && strcmp(p->location, "Madrid, Europe, ES") == 0);
	CHECK(p && strcmp(p->digest, "") == 0); /* no description */
	posting_list_clear(&l);
}

static void test_jsonld_wrappers(void)
{
	struct posting_list l = {0};

	/* @graph next to other nodes */
	CHECK(
	    parse_script("{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebSite\","
			 "\"name\":\"x\"},{\"@type\":\"JobPosting\",\"title\":\"Graph\","
			 "\"identifier\":\"g-1\"}]}",
			 &l) == 0);
	/* top-level array, @type as an array */
	CHECK(
	    parse_script("[{\"@type\":\"Organization\",\"name\":\"Acme\"},{\"@type\":[\"WebPage\","
			 "\"JobPosting\"],\"title\":\"Typed\",\"identifier\":{\"@type\":"
			 "\"PropertyValue\",\"value\":\"t-1\"}}]",
			 &l) == 0);
	/* schema: prefixed type, charset in the script type */
	const char *page =
	    "<html><head><script type=\"application/ld+json\">{ broken,</script>"
	    "<script type=\"text/javascript\">{\"@type\":\"JobPosting\",\"title\":"
	    "\"not ld\"}</script><script type=\" Application/LD+JSON; charset=utf-8\">"
	    "{\"@type\":\"http://schema.org/JobPosting\",\"title\":\"Second "
	    "script\",\"identifier\":{\"value\":5}}</script></head></html>";
	CHECK(parse(page, strlen(page), &l) == 0);
	CHECK_NUM(l.len, 3);
	CHECK(posting_list_find(&l, "g-1") != NULL);
	CHECK(posting_list_find(&l, "t-1") != NULL);
	CHECK(posting_list_find(&l, "5") != NULL);
	CHECK_NUM(l.dropped, 0);
	posting_list_clear(&l);

	/* raw newlines inside a string: invalid JSON, common on pages, still read */
	CHECK(parse_script("{\"@type\":\"JobPosting\",\"title\":\"Raw\nnewline\"}", &l) == 0);
	CHECK(l.len == 1 && strcmp(l.items[0].title, "Raw newline") == 0);
	posting_list_clear(&l);
}

static void test_jsonld_locations(void)
{
	struct posting_list l = {0};

	CHECK(
	    parse_script("[{\"@type\":\"JobPosting\",\"title\":\"A\",\"identifier\":\"a\","
			 "\"jobLocation\":{\"@type\":\"Place\",\"address\":\"Berlin, Germany\"}},"
			 "{\"@type\":\"JobPosting\",\"title\":\"B\",\"identifier\":\"b\","
			 "\"jobLocation\":[{\"address\":{\"addressLocality\":\"Austin\","
			 "\"addressRegion\":\"TX\",\"addressCountry\":{\"@type\":\"Country\","
			 "\"name\":\"US\"}}},{\"address\":{\"addressLocality\":\"Austin\","
			 "\"addressRegion\":\"TX\",\"addressCountry\":{\"name\":\"US\"}}},"
			 "{\"name\":\"HQ\"}]},"
			 "{\"@type\":\"JobPosting\",\"title\":\"C\",\"identifier\":\"c\","
			 "\"jobLocationType\":\"TELECOMMUTE\"},"
			 "{\"@type\":\"JobPosting\",\"title\":\"D &amp; E\",\"identifier\":\"d\","
			 "\"department\":\"Eng\",\"jobLocation\":{\"address\":{\"addressLocality\":"
			 "\"Lyon\",\"addressRegion\":\"Lyon\"}}},"
			 "{\"@type\":\"JobPosting\",\"title\":\"F\",\"identifier\":\"f\","
			 "\"hiringOrganization\":{\"name\":\"Acme\",\"department\":{\"name\":"
			 "\"Sales\"}}}]",
			 &l) == 0);
	CHECK_NUM(l.len, 5);
	struct posting *p = posting_list_find(&l, "a");
	CHECK(p && strcmp(p->location, "Berlin, Germany") == 0);
	p = posting_list_find(&l, "b");
	CHECK(p && strcmp(p->location, "Austin, TX, US; HQ") == 0);
	p = posting_list_find(&l, "c");
	CHECK(p && strcmp(p->location, "Remote") == 0);
	p = posting_list_find(&l, "d");
	CHECK(p && strcmp(p->title, "D & E") == 0 && strcmp(p->location, "Lyon") == 0);
	CHECK(p && strcmp(p->department, "Eng") == 0);
	p = posting_list_find(&l, "f");
	CHECK(p && strcmp(p->department, "Sales") == 0 && p->location == NULL);
	posting_list_clear(&l);
}

static void check_pay(const struct posting_list *l, const char *id, double min, double max,
		      const char *currency, enum pay_period period)
{
	struct posting *p = posting_list_find(l, id);

	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_NUM(p->pay.min, min);
	CHECK_NUM(p->pay.max, max);
	CHECK_STR(p->pay.currency, currency);
	CHECK_NUM(p->pay.period, period);
	CHECK_STR(p->pay.source, "jsonld:baseSalary");
	CHECK_STR(p->pay_text, NULL);
}

static void test_jsonld_base_salary(void)
{
	struct posting_list l = {0};

	CHECK(
	    parse_script(
		"[{\"@type\":\"JobPosting\",\"title\":\"A\",\"identifier\":\"range\","
		"\"baseSalary\":"
		"{\"@type\":\"MonetaryAmount\",\"currency\":\"USD\",\"value\":{\"@type\":"
		"\"QuantitativeValue\",\"minValue\":120000,\"maxValue\":150000,\"unitText\":"
		"\"YEAR\"}}},"
		"{\"@type\":\"JobPosting\",\"title\":\"B\",\"identifier\":\"hourly\","
		"\"baseSalary\":"
		"{\"currency\":\"gbp\",\"value\":{\"value\":\"25.50\",\"unitText\":\"hour\"}}},"
		"{\"@type\":\"JobPosting\",\"title\":\"C\",\"identifier\":\"bare\",\"baseSalary\":"
		"95000,\"salaryCurrency\":\"EUR\"},"
		"{\"@type\":\"JobPosting\",\"title\":\"D\",\"identifier\":\"string\","
		"\"baseSalary\":"
		"\"$120,000\"},"
		"{\"@type\":\"JobPosting\",\"title\":\"E\",\"identifier\":\"strings\","
		"\"baseSalary\":"
		"{\"currency\":\"CAD\",\"unitText\":\"MONTH\",\"value\":{\"minValue\":\"$5,000\","
		"\"maxValue\":\"6k\"}}},"
		"{\"@type\":\"JobPosting\",\"title\":\"F\",\"identifier\":\"flat\",\"baseSalary\":"
		"{\"currency\":\"USD\",\"value\":70000}},"
		"{\"@type\":\"JobPosting\",\"title\":\"G\",\"identifier\":\"junk\",\"baseSalary\":"
		"{\"currency\":\"USD\",\"value\":{\"minValue\":null,\"unitText\":\"YEAR\"}}}]",
		&l) == 0);
	CHECK_NUM(l.len, 7);
	check_pay(&l, "range", 120000, 150000, "USD", PAY_PERIOD_YEAR);
	check_pay(&l, "hourly", 25.5, 25.5, "GBP", PAY_PERIOD_HOUR);
	check_pay(&l, "bare", 95000, 95000, "EUR", PAY_PERIOD_NONE);
	check_pay(&l, "string", 120000, 120000, "", PAY_PERIOD_NONE);
	check_pay(&l, "strings", 5000, 6000, "CAD", PAY_PERIOD_MONTH);
	check_pay(&l, "flat", 70000, 70000, "USD", PAY_PERIOD_NONE);
	struct posting *p = posting_list_find(&l, "junk");
	CHECK(p && strcmp(p->pay.source, "jsonld:baseSalary") != 0);
	posting_list_clear(&l);
}

static void test_jsonld_ids_and_urls(void)
{
	struct posting_list l = {0};

	CHECK(parse_script(
		  "[{\"@type\":\"JobPosting\",\"title\":\"A\",\"url\":"
		  "\"https://x.test/j/1?utm_medium=a&ref=b&lang=en#top\"},"
		  "{\"@type\":\"JobPosting\",\"title\":\"B\",\"identifier\":12.0,"
		  "\"url\":\"https://x.test/j/2\"},"
		  "{\"@type\":\"JobPosting\",\"title\":\"C\",\"identifier\":{\"value\":null}}]",
		  &l) == 0);
	CHECK_NUM(l.len, 3);
	struct posting *p = posting_list_find(&l, "https://x.test/j/1?lang=en#top");
	CHECK(p && strcmp(p->url, "https://x.test/j/1?lang=en#top") == 0);
	p = posting_list_find(&l, "12");
	CHECK(p && strcmp(p->url, "https://x.test/j/2") == 0);
	p = posting_list_find(&l, "https://example.com/careers/job?id=7&gh_jid=42");
	CHECK(p && strcmp(p->title, "C") == 0);
	posting_list_clear(&l);
}

static void test_jsonld_description(void)
{
	struct posting_list l = {0};

	/* the same text as markup and as entity-escaped markup: the same digest */
	CHECK(parse_script("[{\"@type\":\"JobPosting\",\"title\":\"A\",\"identifier\":\"a\","
			   "\"description\":\"<p>Build things.</p><ul><li>C</li></ul>\"},"
			   "{\"@type\":\"JobPosting\",\"title\":\"B\",\"identifier\":\"b\","
			   "\"description\":\"&lt;p&gt;Build things.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;C"
			   "&lt;/li&gt;&lt;/ul&gt;\"}]",
			   &l) == 0);
	CHECK_NUM(l.len, 2);
	CHECK(l.len == 2 && strlen(l.items[0].digest) == 64);
	CHECK(l.len == 2 && strcmp(l.items[0].digest, l.items[1].digest) == 0);
	posting_list_clear(&l);
}

static void test_jsonld_errors(void)
{
	struct posting_list l = {0};
	const char *page = "<html><head><script type=\"application/ld+json\">{\"@type\":"
			   "\"Organization\",\"name\":\"Acme\"}</script></head></html>";

	CHECK(parse(page, strlen(page), &l) == -1);
	CHECK_STR(err, "no JobPosting JSON-LD found");
	CHECK(parse("", 0, &l) == -1);
	CHECK(strstr(err, "no JobPosting JSON-LD found") != NULL);
	CHECK(parse("{\"jobs\":[]}", 11, &l) == -1);
	CHECK(parse("\x00\xff<script", 9, &l) == -1);
	CHECK_NUM(l.len, 0);

	/* a JobPosting without a title is dropped, and the page still parsed */
	CHECK(parse_script("[{\"@type\":\"JobPosting\",\"identifier\":\"x\"},{\"@type\":"
			   "\"JobPosting\",\"title\":\"  \"}]",
			   &l) == 0);
	CHECK_NUM(l.len, 0);
	CHECK_NUM(l.dropped, 2);
	posting_list_clear(&l);
}

/* LEAD: text pay, waiting on pay_parse_text. It runs by itself once the pay parser finds the
 * probe range below; until then it prints a "# skip" line that tests/run.sh counts. */
static void test_jsonld_text_pay(void)
{
	struct posting_list l = {0};

	CHECK(parse_script("[{\"@type\":\"JobPosting\",\"title\":\"A\",\"identifier\":\"a\","
			   "\"description\":\"<p>The salary range is $100,000 - $120,000 per "
			   "year.</p>\"},"
			   "{\"@type\":\"JobPosting\",\"title\":\"B\",\"identifier\":\"b\","
			   "\"baseSalary\":\"$90,000 - $110,000 a year\"}]",
			   &l) == 0);
	struct posting *p = posting_list_find(&l, "a");
	CHECK(p && p->pay.min == 100000 && p->pay.max == 120000 &&
	      p->pay.period == PAY_PERIOD_YEAR);
	CHECK(p && strcmp(p->pay.source, "text") == 0 && p->pay_text &&
	      strstr(p->pay_text, "$100,000"));
	p = posting_list_find(&l, "b");
	CHECK(p && p->pay.min == 90000 && p->pay.max == 110000);
	CHECK(p && strcmp(p->pay.source, "jsonld:baseSalary") == 0);
	posting_list_clear(&l);
}

static bool pay_parser_ready(void)
{
	const char *probe = "Salary Range: $100,000 - $120,000 USD per year";
	struct pay pay;

	return pay_parse_text(probe, strlen(probe), NULL, &pay, NULL, NULL);
}

int main(void)
{
	RUN(test_jsonld_icims);
	RUN(test_jsonld_teamtailor);
	RUN(test_jsonld_wrappers);
	RUN(test_jsonld_locations);
	RUN(test_jsonld_base_salary);
	RUN(test_jsonld_ids_and_urls);
	RUN(test_jsonld_description);
	RUN(test_jsonld_errors);
	if (pay_parser_ready())
		RUN(test_jsonld_text_pay);
	else
		printf("ok - test_jsonld_text_pay # skip pay_parse_text is still a stub\n");
	return harness_end();
}
