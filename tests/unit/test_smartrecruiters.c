/* test_smartrecruiters.c - the SmartRecruiters adapter on real postings pages
 * (tests/fixtures/smartrecruiters, see its PROVENANCE.md), its offset/limit walk driven page by
 * page as the loop drives it, and small inline pages for the edges. */
#include "harness.h"

#include "source.h"

#define SR_BASE "https://api.smartrecruiters.com/v1/companies/WesternDigital/postings"

static const struct config_source sr_src = {
    .name = "t",
    .type = "smartrecruiters",
    .url = SR_BASE,
};

static char err[512];

/* One poll's walk, page by page, as src/loop.c runs it. */
struct walk {
	struct source_walk w;
	struct source_request req;
	struct posting_list out;
};

static void walk_start(struct walk *k, const struct config_source *src)
{
	const struct source_adapter *a = source_adapter_find("smartrecruiters");

	memset(k, 0, sizeof(*k));
	source_walk_init(&k->w, 0);
	CHECK(a->first(src, &k->w, &k->req, err, sizeof(err)) == 0);
}

/* Parse body as the answer to k->req; k->req becomes the next request (url NULL at the end). */
static int walk_page_src(struct walk *k, const struct config_source *src, const char *body,
			 size_t len)
{
	const struct source_adapter *a = source_adapter_find("smartrecruiters");
	struct source_request next = {0};

	k->w.page_url = k->req.url;
	err[0] = '\0';
	int rc = a->parse(src, &k->w, body, len, &k->out, &next, err, sizeof(err));
	if (rc == 0)
		k->w.pages++;
	source_request_clear(&k->req);
	k->req = next;
	return rc;
}

static void walk_end(struct walk *k)
{
	source_request_clear(&k->req);
	posting_list_clear(&k->out);
}

/* A whole single page parsed from the start of a walk. */
static int parse_one(const char *body, size_t len, struct walk *k)
{
	walk_start(k, &sr_src);
	return walk_page_src(k, &sr_src, body, len);
}

static int parse_str(const char *body, struct walk *k)
{
	return parse_one(body, strlen(body), k);
}

static int parse_fixture(const char *name, struct walk *k)
{
	size_t len;
	char *body = harness_read(name, &len);
	int rc = parse_one(body, len, k);
	free(body);
	return rc;
}

static void check_complete(const struct posting_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		CHECK(l->items[i].title && *l->items[i].title);
		CHECK(l->items[i].url &&
		      strncmp(l->items[i].url, "https://jobs.smartrecruiters.com/", 33) == 0);
	}
}

/* A synthetic page: n postings with ids first, first+1, …; total < 0 leaves totalFound out. */
static char *page(long offset, long limit, long total, int first, int n)
{
	size_t cap = 256 + (size_t)n * 160;
	char *s = malloc(cap);
	size_t len = 0;

	len +=
	    (size_t)snprintf(s + len, cap - len, "{\"offset\":%ld,\"limit\":%ld,", offset, limit);
	if (total >= 0)
		len += (size_t)snprintf(s + len, cap - len, "\"totalFound\":%ld,", total);
	len += (size_t)snprintf(s + len, cap - len, "\"content\":[");
	for (int i = 0; i < n; i++)
		len +=
		    (size_t)snprintf(s + len, cap - len,
				     "%s{\"id\":\"%d\",\"name\":\"Job %d\",\"company\":"
				     "{\"identifier\":\"Acme\"},\"location\":{\"city\":\"Paris\"}}",
				     i ? "," : "", first + i, first + i);
	snprintf(s + len, cap - len, "]}");
	return s;
}

static int walk_synthetic(struct walk *k, long offset, long limit, long total, int first, int n)
{
	char *body = page(offset, limit, total, first, n);
	int rc = walk_page_src(k, &sr_src, body, strlen(body));
	free(body);
	return rc;
}

static void test_sr_first(void)
{
	const struct source_adapter *a = source_adapter_find("smartrecruiters");
	struct source_walk w;
	struct source_request req = {0};
	struct config_source none = {.name = "n", .type = "smartrecruiters"};
	struct config_source query = {
	    .name = "q",
	    .type = "smartrecruiters",
	    .url = SR_BASE "?q=engineer&limit=10&offset=30&country=us#top",
	};

	CHECK(a != NULL);
	source_walk_init(&w, 0);
	CHECK(a->first(&sr_src, &w, &req, err, sizeof(err)) == 0);
	CHECK_STR(req.url, SR_BASE "?offset=0&limit=100");
	CHECK_NUM(w.offset, 0);
	CHECK_NUM(w.total, -1);
	source_request_clear(&req);
	/* the operator's filters stay; paging is the adapter's */
	CHECK(a->first(&query, &w, &req, err, sizeof(err)) == 0);
	CHECK_STR(req.url, SR_BASE "?q=engineer&country=us&offset=0&limit=100");
	source_request_clear(&req);
	CHECK(a->first(&none, &w, &req, err, sizeof(err)) == -1);
	CHECK(req.url == NULL);

	char *url = source_board_url("smartrecruiters", "WesternDigital");
	CHECK_STR(url, SR_BASE);
	free(url);
}

static void test_sr_careerkit(void)
{
	struct walk k;

	CHECK(parse_fixture("smartrecruiters/postings_list_careerkit.json", &k) == 0);
	CHECK_NUM(k.out.len, 1);
	CHECK(k.req.url == NULL); /* totalFound 1 reached */
	check_complete(&k.out);
	struct posting *p = posting_list_find(&k.out, "743999671674844");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "CNA / LPN - Consistent Hours. Start Next Week.");
		/* department is {}: the function stands in */
		CHECK_STR(p->department, "Health Care Provider");
		CHECK_STR(p->location, "St. Louis, MO, United States");
		/* the posting's company, not the configured one; ref is an API URL */
		CHECK_STR(p->url, "https://jobs.smartrecruiters.com/Knight/743999671674844");
		CHECK(!pay_is_set(&p->pay));
		CHECK_NUM(p->nranges, 0);
		CHECK(strlen(p->digest) == 64);
	}
	walk_end(&k);
}

static void test_sr_westerndigital(void)
{
	struct walk k;

	CHECK(parse_fixture("smartrecruiters/westerndigital_postings_list.json", &k) == 0);
	CHECK_NUM(k.out.len, 3);
	CHECK_NUM(k.w.total, 3);
	CHECK(k.req.url == NULL);
	check_complete(&k.out);
	struct posting *p = posting_list_find(&k.out, "744000141229015");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Intern - Data Science");
		CHECK_STR(p->department, "Engineering");
		CHECK_STR(p->location, "Bayan Lepas, Penang, Malaysia");
		CHECK_STR(p->url,
			  "https://jobs.smartrecruiters.com/WesternDigital/744000141229015");
	}
	p = posting_list_find(&k.out, "744000141247940");
	CHECK(p && strcmp(p->title, "環境・安全衛生マネージャー (Environmental Health & Safety "
				    "Manager)") == 0);
	CHECK(p && strcmp(p->location, "Fujisawa, Kanagawa, Japan") == 0);
	walk_end(&k);

	CHECK(parse_fixture("smartrecruiters/visa_postings_limit2.json", &k) == 0);
	CHECK_NUM(k.out.len, 2);
	check_complete(&k.out);
	p = posting_list_find(&k.out, "744000122509268");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Sr. SW Engineer");
		CHECK_STR(p->department, "Technology and Operations");
		CHECK_STR(p->location, "Austin, TX, United States");
		CHECK_STR(p->url, "https://jobs.smartrecruiters.com/Visa/744000122509268");
	}
	/* 2 of totalFound 10: the next page starts where this one ended */
	CHECK_NUM(k.w.total, 10);
	CHECK_STR(k.req.url, SR_BASE "?offset=2&limit=100");
	walk_end(&k);
}

/* A real first page of 10 out of 359: the walk asks for offset 10 next. */
static void test_sr_first_page(void)
{
	struct walk k;

	CHECK(parse_fixture("smartrecruiters/westerndigital_postings_page1_limit10.json", &k) == 0);
	CHECK_NUM(k.out.len, 10);
	CHECK_NUM(k.out.dropped, 0);
	CHECK_NUM(k.w.total, 359);
	CHECK_NUM(k.w.seen, 10);
	CHECK_NUM(k.w.offset, 10);
	CHECK_STR(k.req.url, SR_BASE "?offset=10&limit=100");
	check_complete(&k.out);
	struct posting *p = posting_list_find(&k.out, "744000143755890");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Engineer, Software Development Engineering (Apps)");
		CHECK_STR(p->department, "Engineering");
		CHECK_STR(p->location, "BangPa-in, PHRA NAKHON SI AYUTTHAYA, Thailand");
		CHECK_STR(p->url,
			  "https://jobs.smartrecruiters.com/WesternDigital/744000143755890");
	}
	p = posting_list_find(&k.out, "744000143761249");
	CHECK(p && strcmp(p->title, "Technician 2, Failure Analysis Engineering") == 0);
	walk_end(&k);
}

/* The real posting-detail capture, the only one with compensation, served as a list page. */
static void test_sr_compensation(void)
{
	struct walk k;
	size_t len;
	char *detail = harness_read("smartrecruiters/westerndigital_posting_detail.json", &len);
	size_t cap = len + 128;
	char *body = malloc(cap);

	snprintf(body, cap, "{\"offset\":0,\"limit\":100,\"totalFound\":1,\"content\":[%s]}",
		 detail);
	CHECK(parse_str(body, &k) == 0);
	CHECK_NUM(k.out.len, 1);
	CHECK(k.req.url == NULL);
	struct posting *p = posting_list_find(&k.out, "744000140949875");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Summer 2027 Intern - Hardware Engineering");
		CHECK_STR(p->department, "Engineering");
		CHECK_STR(p->location, "San Jose, CA, United States");
		/* postingUrl, when given, is the public page */
		CHECK_STR(p->url, "https://jobs.smartrecruiters.com/WesternDigital/"
				  "744000140949875-summer-2027-intern-hardware-engineering");
		CHECK_NUM(p->pay.min, 34);
		CHECK_NUM(p->pay.max, 47);
		CHECK_STR(p->pay.currency, "USD");
		CHECK(p->pay.period == PAY_PERIOD_HOUR);
		CHECK(!p->pay.period_inferred);
		CHECK_STR(p->pay.source, "smartrecruiters:compensation");
		CHECK_NUM(p->nranges, 1);
		CHECK(p->nranges == 1 && p->ranges[0].label == NULL &&
		      pay_equal(&p->ranges[0].pay, &p->pay));
	}
	walk_end(&k);
	free(body);
	free(detail);
}

/* The walk: offset moves by what came, and it ends at the total, on a short page or on an
 * empty one. */
static void test_sr_paging(void)
{
	struct walk k;

	/* 5 in pages of 2: 2, 2, then a short page of 1 ends it */
	walk_start(&k, &sr_src);
	CHECK(walk_synthetic(&k, 0, 2, 5, 1, 2) == 0);
	CHECK_STR(k.req.url, SR_BASE "?offset=2&limit=100");
	CHECK(walk_synthetic(&k, 2, 2, 5, 3, 2) == 0);
	CHECK_STR(k.req.url, SR_BASE "?offset=4&limit=100");
	CHECK(walk_synthetic(&k, 4, 2, 5, 5, 1) == 0);
	CHECK(k.req.url == NULL);
	CHECK_NUM(k.out.len, 5);
	CHECK_NUM(k.w.seen, 5);
	CHECK(posting_list_find(&k.out, "5") != NULL);
	walk_end(&k);

	/* the total reached by a full page: no request for an empty one */
	walk_start(&k, &sr_src);
	CHECK(walk_synthetic(&k, 0, 2, 4, 1, 2) == 0);
	CHECK(walk_synthetic(&k, 2, 2, 4, 3, 2) == 0);
	CHECK(k.req.url == NULL);
	CHECK_NUM(k.out.len, 4);
	walk_end(&k);

	/* the first page claims 100 and later ones 0: the first claim holds, and an empty page
	 * ends the walk (rc 0: an empty page is a page, not an error) */
	walk_start(&k, &sr_src);
	CHECK(walk_synthetic(&k, 0, 2, 100, 1, 2) == 0);
	CHECK(walk_synthetic(&k, 2, 2, 0, 3, 2) == 0);
	CHECK_NUM(k.w.total, 100);
	CHECK_STR(k.req.url, SR_BASE "?offset=4&limit=100");
	CHECK(walk_synthetic(&k, 4, 2, 100, 5, 0) == 0);
	CHECK(k.req.url == NULL);
	CHECK_NUM(k.out.len, 4);
	walk_end(&k);

	/* no totalFound: full pages go on, a short one stops */
	walk_start(&k, &sr_src);
	CHECK(walk_synthetic(&k, 0, 3, -1, 1, 3) == 0);
	CHECK_NUM(k.w.total, -1);
	CHECK_STR(k.req.url, SR_BASE "?offset=3&limit=100");
	CHECK(walk_synthetic(&k, 3, 3, -1, 4, 2) == 0);
	CHECK(k.req.url == NULL);
	CHECK_NUM(k.out.len, 5);
	walk_end(&k);

	/* a server that ignores offset serves page 1 again: the walk ends there, incomplete
	 * (what it read stands; the loop closes nothing), it is no end of the board */
	walk_start(&k, &sr_src);
	CHECK(walk_synthetic(&k, 0, 2, 10, 1, 2) == 0);
	CHECK(walk_synthetic(&k, 0, 2, 10, 1, 2) == 0);
	CHECK(strstr(k.w.incomplete, "the page at offset 2 repeats the previous page") != NULL);
	CHECK(k.req.url == NULL);
	walk_end(&k);

	/* an endless board: the adapter keeps asking; the page ceiling is the loop's */
	walk_start(&k, &sr_src);
	for (int i = 0; i < 50; i++)
		CHECK(walk_synthetic(&k, i * 2L, 2, 1000000, 1 + 2 * i, 2) == 0);
	CHECK_STR(k.req.url, SR_BASE "?offset=100&limit=100");
	CHECK_NUM(k.out.len, 100);
	walk_end(&k);

	/* an empty board */
	CHECK(parse_str("{\"offset\":0,\"limit\":100,\"totalFound\":0,\"content\":[]}", &k) == 0);
	CHECK_NUM(k.out.len, 0);
	CHECK_NUM(k.w.total, 0);
	CHECK(k.req.url == NULL);
	walk_end(&k);
}

static void test_sr_fields(void)
{
	struct walk k;
	const struct config_source other = {
	    .name = "o",
	    .type = "smartrecruiters",
	    .url = "https://api.smartrecruiters.com/v1/companies/Some%20Co/postings?limit=5"};
	const char *body =
	    "{\"offset\":0,\"limit\":100,\"totalFound\":5,\"content\":["
	    "{\"id\":\"1\",\"name\":\"Remote one\",\"location\":{\"city\":\"Austin\",\"region\":"
	    "\"TX\",\"country\":\"us\",\"remote\":true},\"department\":{\"label\":\"R&D\"},"
	    "\"function\":{\"label\":\"Engineering\"}},"
	    "{\"id\":\"2\",\"name\":\"Anywhere\",\"location\":{\"remote\":true}},"
	    "{\"id\":\"3\",\"name\":\"Nowhere\",\"location\":{},\"compensation\":{\"min\":"
	    "\"50000\","
	    "\"max\":60000,\"currency\":\"eur\",\"period\":\"YEARLY\"}},"
	    "{\"id\":4,\"name\":\"Numeric\",\"compensation\":{\"min\":null,\"max\":null}},"
	    "{\"id\":\"5\",\"name\":\"Full\",\"location\":{\"fullLocation\":\"Paris, France\","
	    "\"city\":\"Paris\",\"remote\":false}}]}";

	walk_start(&k, &other);
	CHECK(walk_page_src(&k, &other, body, strlen(body)) == 0);
	CHECK_NUM(k.out.len, 5);
	struct posting *p = posting_list_find(&k.out, "1");
	CHECK(p && strcmp(p->location, "Austin, TX, US (remote)") == 0);
	CHECK(p && strcmp(p->department, "R&D") == 0);
	/* no company in the posting: the configured one, as it stands in the URL */
	CHECK(p && strcmp(p->url, "https://jobs.smartrecruiters.com/Some%20Co/1") == 0);
	p = posting_list_find(&k.out, "2");
	CHECK(p && strcmp(p->location, "Remote") == 0 && p->department == NULL);
	p = posting_list_find(&k.out, "3");
	CHECK(p && p->location == NULL);
	CHECK(p && p->pay.min == 50000 && p->pay.max == 60000 &&
	      strcmp(p->pay.currency, "EUR") == 0 && p->pay.period == PAY_PERIOD_YEAR);
	p = posting_list_find(&k.out, "4");
	CHECK(p && !pay_is_set(&p->pay) && p->nranges == 0);
	p = posting_list_find(&k.out, "5");
	CHECK(p && strcmp(p->location, "Paris, France") == 0);
	/* fields, not page text: the same posting gives the same digest */
	CHECK(strlen(k.out.items[0].digest) == 64);
	walk_end(&k);
}

static void test_sr_envelopes(void)
{
	struct walk k;

	CHECK(parse_str("<html><head><title>503 Service Unavailable</title></head></html>", &k) ==
	      -1);
	CHECK(strstr(err, "expected a JSON object with \"content\", found HTML (<html>") != NULL);
	walk_end(&k);
	CHECK(parse_str("[{\"id\":\"1\",\"name\":\"A\"}]", &k) == -1);
	CHECK(strstr(err, "found an array") != NULL);
	walk_end(&k);
	CHECK(parse_str("{\"message\":\"Company not found\",\"code\":\"NOT_FOUND\"}", &k) == -1);
	CHECK(strstr(err, "found an object without it (keys: message, code)") != NULL);
	walk_end(&k);
	CHECK(parse_str("{\"totalFound\":1,\"content\":{\"id\":\"1\"}}", &k) == -1);
	CHECK(strstr(err, "found \"content\" holding an object") != NULL);
	CHECK_NUM(k.out.len, 0);
	CHECK(k.req.url == NULL);
	walk_end(&k);

	/* malformed postings are dropped and counted, and still move the offset on */
	CHECK(parse_str("{\"offset\":0,\"limit\":5,\"totalFound\":9,\"content\":[{\"id\":\"1\"},"
			"{\"name\":\"no id\"},\"x\",{\"id\":\"4\",\"name\":\"Four\"},{\"id\":\"5\","
			"\"name\":\"Five\",\"location\":\"Paris\",\"department\":\"Sales\"}]}",
			&k) == 0);
	CHECK_NUM(k.out.len, 2);
	CHECK_NUM(k.out.dropped, 3);
	CHECK_STR(k.req.url, SR_BASE "?offset=5&limit=100");
	struct posting *p = posting_list_find(&k.out, "5");
	CHECK(p && p->location == NULL && p->department == NULL);
	walk_end(&k);
}

int main(void)
{
	RUN(test_sr_first);
	RUN(test_sr_careerkit);
	RUN(test_sr_westerndigital);
	RUN(test_sr_first_page);
	RUN(test_sr_compensation);
	RUN(test_sr_paging);
	RUN(test_sr_fields);
	RUN(test_sr_envelopes);
	return harness_end();
}
