/* test_eightfold.c - the Eightfold adapter on real apply/v2 lists (tests/fixtures/eightfold, see
 * its PROVENANCE.md), and its walk over pages on small inline pages: start moves by what came
 * back, the first page's count ends the walk, a repeated page fails it. */
#include "harness.h"

#include "buf.h"
#include "source.h"

static const struct config_source netflix = {
    .name = "netflix",
    .type = "eightfold",
    .url = "https://explore.jobs.netflix.net/careers",
};
static const struct config_source fcx = {
    .name = "fcx",
    .type = "eightfold",
    .url = "https://talent.fmjobs.com/careers?domain=fcx.com",
};

#define NETFLIX_API "https://explore.jobs.netflix.net/api/apply/v2/jobs?domain=netflix.com"

static char err[512];

/* One page as the loop hands it over: parse, then count the page. */
static int parse_page(const struct config_source *src, struct source_walk *w, const char *body,
		      struct posting_list *out, struct source_request *next)
{
	const struct source_adapter *a = source_adapter_find("eightfold");

	source_request_clear(next);
	err[0] = '\0';
	int rc = a->parse(src, w, body, strlen(body), out, next, err, sizeof(err));
	w->pages++;
	return rc;
}

static int parse_fixture(const struct config_source *src, const char *name, struct source_walk *w,
			 struct posting_list *out, struct source_request *next)
{
	char *body = harness_read(name, NULL);
	source_walk_init(w, 0);
	int rc = parse_page(src, w, body, out, next);
	free(body);
	return rc;
}

/* A page of n positions with ids first … first+n-1, claiming count. */
static char *page(long first, int n, int count)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"count\":%d,\"positions\":[", count);
	for (int i = 0; i < n; i++)
		buf_printf(&b,
			   "%s{\"id\":%ld,\"name\":\"Role %ld\",\"locations\":[\"Los Gatos,"
			   "California\"],\"department\":\"Studio\",\"canonicalPositionUrl\":"
			   "\"https://explore.jobs.netflix.net/careers/job/%ld\"}",
			   i ? "," : "", first + i, first + i, first + i);
	buf_puts(&b, "]}");
	return buf_steal(&b);
}

static void test_eightfold_first(void)
{
	const struct source_adapter *a = source_adapter_find("eightfold");
	struct source_walk w;
	struct source_request req = {0};
	struct {
		const char *url, *api;
	} forms[] = {
	    {netflix.url, NETFLIX_API "&start=0&num=10"},
	    {"https://jobs.netflix.com/search?q=ml", NETFLIX_API "&start=0&num=10"},
	    {"https://explore.jobs.netflix.net/careers?domain=netflix.com&pid=790301",
	     NETFLIX_API "&start=0&num=10"},
	    {"https://albemarle.eightfold.ai/careers",
	     "https://albemarle.eightfold.ai/api/apply/v2/"
	     "jobs?domain=albemarle.com&start=0&num=10"},
	    {"https://hsbc.eightfold.ai/careers?domain=hsbc.co.uk",
	     "https://hsbc.eightfold.ai/api/apply/v2/jobs?domain=hsbc.co.uk&start=0&num=10"},
	    {fcx.url, "https://talent.fmjobs.com/api/apply/v2/jobs?domain=fcx.com&start=0&num=10"},
	    {"http://127.0.0.1:9/api/apply/v2/jobs?start=40&domain=netflix.com&num=5&query=ml",
	     "http://127.0.0.1:9/api/apply/v2/jobs?domain=netflix.com&query=ml&start=0&num=10"},
	};

	CHECK(a != NULL);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct config_source src = {
		    .name = "s", .type = "eightfold", .url = (char *)forms[i].url};
		source_walk_init(&w, 0);
		CHECK(a->first(&src, &w, &req, err, sizeof(err)) == 0);
		CHECK_STR(req.url, forms[i].api);
		CHECK(req.body == NULL && req.content_type == NULL); /* a GET */
		source_request_clear(&req);
	}
	/* no Eightfold form, but http(s): with the type given, the URL is the API itself */
	const char *plain[][2] = {{"http://127.0.0.1:8080/eightfold/fcx.json",
				   "http://127.0.0.1:8080/eightfold/fcx.json?start=0&num=10"},
				  {"https://talent.fmjobs.com/api/apply/v2/jobs?start=40",
				   "https://talent.fmjobs.com/api/apply/v2/jobs?start=0&num=10"}};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		struct config_source src = {
		    .name = "s", .type = "eightfold", .url = (char *)plain[i][0]};
		source_walk_init(&w, 0);
		CHECK(a->first(&src, &w, &req, err, sizeof(err)) == 0);
		CHECK_STR(req.url, plain[i][1]);
		source_request_clear(&req);
	}
	const char *bad[] = {"ftp://example.com/careers", "explore.jobs.netflix.net", NULL};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct config_source src = {
		    .name = "s", .type = "eightfold", .url = (char *)bad[i]};
		err[0] = '\0';
		CHECK(a->first(&src, &w, &req, err, sizeof(err)) == -1);
		CHECK(req.url == NULL);
		CHECK(strstr(err, "not an Eightfold URL (expected https://jobs.netflix.com") !=
		      NULL);
	}
}

static void test_eightfold_fcx(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};

	CHECK(parse_fixture(&fcx, "eightfold/fcx_apply_v2_jobs.json", &w, &l, &next) == 0);
	CHECK_NUM(l.len, 3);
	CHECK_NUM(l.dropped, 0);
	CHECK_NUM(w.total, 256);
	/* 3 came back: the next page starts at 3, not at 0 + num */
	CHECK_STR(next.url,
		  "https://talent.fmjobs.com/api/apply/v2/jobs?domain=fcx.com&start=3&num=10");
	struct posting *p = posting_list_find(&l, "42478672");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Manager Engineering - Electrical");
		CHECK_STR(p->department, "Engineering Services");
		CHECK_STR(p->location, "New Orleans, LA USA 70112");
		CHECK_STR(p->url, "https://talent.fmjobs.com/careers/job/42478672");
		CHECK_STR(p->digest, ""); /* job_description is "" in the list */
		CHECK(!pay_is_set(&p->pay));
	}
	p = posting_list_find(&l, "42475929");
	CHECK(p && strcmp(p->title, "CLP Operator Trainee - Hydromet") == 0);
	CHECK(p && strcmp(p->department, "Operations") == 0);
	CHECK(p && strcmp(p->location, "Bagdad, AZ USA 86321") == 0);
	posting_list_clear(&l);
	source_request_clear(&next);
}

static void test_eightfold_albemarle(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	const struct config_source alb = {.name = "albemarle",
					  .type = "eightfold",
					  .url = "https://albemarle.eightfold.ai/careers"};

	CHECK(parse_fixture(&alb, "eightfold/albemarle_apply_v2_jobs_trimmed.json", &w, &l,
			    &next) == 0);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(w.total, -1); /* no count: the walk goes on to an empty page */
	CHECK_STR(
	    next.url,
	    "https://albemarle.eightfold.ai/api/apply/v2/jobs?domain=albemarle.com&start=2&num=10");
	struct posting *p = posting_list_find(&l, "1099555326551");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Supply Planner, Bromine S&OP");
		CHECK_STR(p->department, "Supply Chain");
		CHECK_STR(p->location,
			  "Charlotte, North Carolina, United States of America; Magnolia, "
			  "Arkansas, United States of America");
		CHECK_STR(p->url, "https://albemarle.eightfold.ai/careers/job/1099555326551");
	}
	p = posting_list_find(&l, "1099555208188");
	CHECK(p && strcmp(p->title, "Director, Media Relations and U.S. Public Affairs") == 0);
	CHECK(p && strcmp(p->department, "Policy, Government, and Public Affairs") == 0);
	CHECK(parse_page(&alb, &w, "{\"positions\":[]}", &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK_NUM(l.len, 2);
	posting_list_clear(&l);
}

static void test_eightfold_paging(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	/* num=10 asked, 7 came back; count 20 on page 1 only */
	char *p1 = page(790301000001, 7, 20), *p2 = page(790301000008, 10, 12),
	     *p3 = page(790301000018, 3, 0);

	source_walk_init(&w, 0);
	CHECK(parse_page(&netflix, &w, p1, &l, &next) == 0);
	CHECK_NUM(w.total, 20);
	CHECK_NUM(w.offset, 7);
	CHECK_STR(next.url, NETFLIX_API "&start=7&num=10");
	CHECK(parse_page(&netflix, &w, p2, &l, &next) == 0);
	CHECK_NUM(w.total, 20); /* page 2's count of 12 is not believed */
	CHECK_STR(next.url, NETFLIX_API "&start=17&num=10");
	CHECK(parse_page(&netflix, &w, p3, &l, &next) == 0);
	CHECK(next.url == NULL); /* 20 of 20 */
	CHECK_NUM(l.len, 20);
	CHECK_NUM(w.seen, 20);
	struct posting *p = posting_list_find(&l, "790301000020");
	CHECK(p && strcmp(p->title, "Role 790301000020") == 0);
	CHECK(p && strcmp(p->location, "Los Gatos,California") == 0);
	posting_list_clear(&l);

	/* an empty page before count ends the walk */
	source_walk_init(&w, 0);
	CHECK(parse_page(&netflix, &w, p1, &l, &next) == 0);
	CHECK(parse_page(&netflix, &w, "{\"count\":20,\"positions\":[]}", &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK_NUM(l.len, 7);
	posting_list_clear(&l);

	/* a position seen on an earlier page (the list moved) is kept once */
	char *overlap = page(790301000007, 5, 20);
	source_walk_init(&w, 0);
	CHECK(parse_page(&netflix, &w, p1, &l, &next) == 0);
	CHECK(parse_page(&netflix, &w, overlap, &l, &next) == 0);
	CHECK_NUM(l.len, 11);
	CHECK_STR(next.url, NETFLIX_API "&start=12&num=10");
	posting_list_clear(&l);
	source_request_clear(&next);
	free(overlap);
	free(p1);
	free(p2);
	free(p3);
}

static void test_eightfold_repeated_page(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	char *p1 = page(1, 10, 500);

	source_walk_init(&w, 0);
	CHECK(parse_page(&netflix, &w, p1, &l, &next) == 0);
	source_request_clear(&next);
	CHECK(parse_page(&netflix, &w, p1, &l, &next) == 0); /* incomplete: the walk ends */
	CHECK(next.url == NULL);
	CHECK(strstr(w.incomplete,
		     "the tenant repeats pages: start 10 brought no position not seen before") !=
	      NULL);
	CHECK_NUM(l.len, 10);
	posting_list_clear(&l);
	source_request_clear(&next);
	free(p1);
}

static void test_eightfold_description_pay(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	const char *body =
	    "{\"count\":2,\"positions\":[{\"id\":790318358916,\"posting_name\":\"Machine Learning "
	    "Scientist\",\"name\":\"\",\"location\":\"Los Gatos,California\",\"department\":"
	    "\"Data Science and Engineering\",\"job_description\":\"<p>Build models.</p><p>The "
	    "overall market range for roles in this area of Netflix is typically $300,000 - "
	    "$900,000.</p>\",\"canonicalPositionUrl\":\"https://explore.jobs.netflix.net/careers/"
	    "job/790318358916\"},{\"id\":\"2\",\"name\":\"Plain\",\"job_description\":\"Build "
	    "models.\"}]}";

	source_walk_init(&w, 0);
	CHECK(parse_page(&netflix, &w, body, &l, &next) == 0);
	CHECK_NUM(l.len, 2);
	CHECK(next.url == NULL);
	struct posting *p = posting_list_find(&l, "790318358916");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Machine Learning Scientist"); /* name empty: posting_name */
		CHECK_STR(p->location, "Los Gatos,California");
		CHECK_NUM(p->pay.min, 300000);
		CHECK_NUM(p->pay.max, 900000);
		CHECK_STR(p->pay.currency, "USD");
		CHECK(p->pay.period == PAY_PERIOD_YEAR && p->pay.period_inferred);
		CHECK_STR(p->pay.source, "text");
		CHECK(p->pay_text && strstr(p->pay_text, "$300,000 - $900,000"));
		CHECK_NUM(p->nranges, 1);
		CHECK(strlen(p->digest) == 64);
	}
	/* a plain-text description without pay */
	p = posting_list_find(&l, "2");
	CHECK(p && strlen(p->digest) == 64 && !pay_is_set(&p->pay) && p->nranges == 0);
	posting_list_clear(&l);
}

static void test_eightfold_envelopes(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};

	source_walk_init(&w, 0);
	CHECK(parse_page(&netflix, &w, "{\"count\":0,\"positions\":[],\"facets\":{}}", &l, &next) ==
	      0);
	CHECK_NUM(l.len, 0);
	CHECK_NUM(w.total, 0);
	CHECK(next.url == NULL);

	source_walk_init(&w, 0);
	CHECK(parse_page(&netflix, &w, "{\"error\":\"domain not found\",\"status\":404}", &l,
			 &next) == -1);
	CHECK_STR(err, "expected a JSON object with \"positions\", found an object without it "
		       "(keys: error, status)");
	CHECK(parse_page(&netflix, &w, "{\"count\":3,\"positions\":null}", &l, &next) == -1);
	CHECK(strstr(err, "found \"positions\" holding null") != NULL);
	CHECK(parse_page(&netflix, &w, "[{\"id\":1}]", &l, &next) == -1);
	CHECK(strstr(err, "found an array") != NULL);
	CHECK(parse_page(&netflix, &w, "<html><head><title>Netflix Jobs</title></head></html>", &l,
			 &next) == -1);
	CHECK(strstr(err, "found HTML") != NULL);
	CHECK_NUM(l.len, 0);

	/* no id; no name of either kind; not an object: dropped and counted */
	source_walk_init(&w, 0);
	CHECK(parse_page(&netflix, &w,
			 "{\"count\":50,\"positions\":[{\"name\":\"No id\"},{\"id\":7},3,null,"
			 "{\"id\":8,\"name\":\"Kept\"}]}",
			 &l, &next) == 0);
	CHECK_NUM(l.len, 1);
	CHECK_NUM(l.dropped, 4);
	CHECK(posting_list_find(&l, "8") != NULL);
	/* dropped positions still took their places: start moves by 5 */
	CHECK_STR(next.url, NETFLIX_API "&start=5&num=10");
	posting_list_clear(&l);
	source_request_clear(&next);
}

int main(void)
{
	RUN(test_eightfold_first);
	RUN(test_eightfold_fcx);
	RUN(test_eightfold_albemarle);
	RUN(test_eightfold_paging);
	RUN(test_eightfold_repeated_page);
	RUN(test_eightfold_description_pay);
	RUN(test_eightfold_envelopes);
	return harness_end();
}
