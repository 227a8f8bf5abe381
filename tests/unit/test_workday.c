/* test_workday.c - the Workday CXS adapter on real search pages (tests/fixtures/workday, see its
 * PROVENANCE.md), and its walk over pages on small inline pages: the POST of each page, the
 * first page's total, short pages, tenants that repeat a page. */
#include "harness.h"

#include "buf.h"
#include "source.h"

static const struct config_source salesforce = {
    .name = "salesforce",
    .type = "workday",
    .url = "https://salesforce.wd12.myworkdayjobs.com/en-US/External_Career_Site",
};
static const struct config_source acme = {
    .name = "acme",
    .type = "workday",
    .url = "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/Careers/jobs",
};

static char err[512];

/* One page as the loop hands it over: parse, then count the page. */
static int parse_page(const struct config_source *src, struct source_walk *w, const char *body,
		      struct posting_list *out, struct source_request *next)
{
	const struct source_adapter *a = source_adapter_find("workday");

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

/* A page of n rows whose ids are R<first> … R<first+n-1>, claiming total. */
static char *page(int first, int n, int total)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "{\"total\":%d,\"jobPostings\":[", total);
	for (int i = 0; i < n; i++)
		buf_printf(&b,
			   "%s{\"title\":\"Role %d\",\"externalPath\":\"/job/Boston/Role-%d_R%d\","
			   "\"locationsText\":\"Boston\",\"postedOn\":\"Posted Today\","
			   "\"bulletFields\":[\"R%d\"]}",
			   i ? "," : "", first + i, first + i, first + i, first + i);
	buf_puts(&b, "],\"facets\":[],\"userAuthenticated\":false}");
	return buf_steal(&b);
}

static void test_workday_first(void)
{
	const struct source_adapter *a = source_adapter_find("workday");
	struct source_walk w;
	struct source_request req = {0};
	struct {
		const char *url, *cxs;
	} forms[] = {
	    {"https://salesforce.wd12.myworkdayjobs.com/en-US/External_Career_Site",
	     "https://salesforce.wd12.myworkdayjobs.com/wday/cxs/salesforce/External_Career_Site/"
	     "jobs"},
	    {"https://NVIDIA.wd5.MyWorkdayJobs.com/NVIDIAExternalCareerSite?q=gpu",
	     "https://NVIDIA.wd5.MyWorkdayJobs.com/wday/cxs/NVIDIA/NVIDIAExternalCareerSite/jobs"},
	    {"https://acme.wd5.myworkdayjobs.com/fr-FR/Careers/details/x_R1",
	     "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/Careers/jobs"},
	    {acme.url, acme.url},
	    {"https://wd3.myworkdaysite.com/en-US/recruiting/synchrony/careers",
	     "https://wd3.myworkdaysite.com/wday/cxs/synchrony/careers/jobs"},
	    {"http://127.0.0.1:8080/wday/cxs/t/Site", "http://127.0.0.1:8080/wday/cxs/t/Site/jobs"},
	};

	CHECK(a != NULL);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct config_source src = {
		    .name = "s", .type = "workday", .url = (char *)forms[i].url};
		source_walk_init(&w, 0);
		CHECK(a->first(&src, &w, &req, err, sizeof(err)) == 0);
		CHECK_STR(req.url, forms[i].cxs);
		CHECK_STR(req.body,
			  "{\"appliedFacets\":{},\"limit\":20,\"offset\":0,\"searchText\":\"\"}");
		CHECK_STR(req.content_type, "application/json");
		source_request_clear(&req);
	}
	/* no Workday form but http(s): with the type given, the URL is the search itself */
	const char *plain[][3] = {
	    {"http://127.0.0.1:8080/workday/jobs.json", "http://127.0.0.1:8080/workday/jobs.json"},
	    {"https://mirror.example/x", "https://mirror.example/x"}};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		struct config_source src = {
		    .name = "s", .type = "workday", .url = (char *)plain[i][0]};
		CHECK(a->first(&src, &w, &req, err, sizeof(err)) == 0);
		CHECK_STR(req.url, plain[i][1]);
		source_request_clear(&req);
	}
	const char *bad[] = {"ftp://acme.wd5.myworkdayjobs.com/Careers",
			     "acme.wd5.myworkdayjobs.com/Careers", NULL};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct config_source src = {.name = "s", .type = "workday", .url = (char *)bad[i]};
		err[0] = '\0';
		CHECK(a->first(&src, &w, &req, err, sizeof(err)) == -1);
		CHECK(req.url == NULL);
		CHECK(strstr(err,
			     "not a Workday URL (expected https://TENANT.wdN.myworkdayjobs.com") !=
		      NULL);
	}
}

static void test_workday_salesforce(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};

	CHECK(parse_fixture(&salesforce, "workday/salesforce_cxs_jobs_trimmed.json", &w, &l,
			    &next) == 0);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(l.dropped, 0);
	CHECK_NUM(w.total, 2);
	CHECK(next.url == NULL); /* two of total 2 */
	struct posting *p = posting_list_find(&l, "JR354232");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title,
			  "Solution Architect / Senior Solution Architect - PubSec - SLED/NGO");
		/* "3 Locations" is a count: the detail names them */
		CHECK_STR(p->location, NULL);
		CHECK_STR(p->department, NULL);
		CHECK_STR(p->detail_ref,
			  "/job/Virginia---Washington-DC-Metro---Remote/"
			  "Solution-Architect---Senior-Solution-Architect---PubSec---"
			  "SLED-NGO_JR354232");
		CHECK_STR(p->url,
			  "https://salesforce.wd12.myworkdayjobs.com/External_Career_Site/job/"
			  "Virginia---Washington-DC-Metro---Remote/"
			  "Solution-Architect---Senior-Solution-Architect---PubSec---SLED-NGO_"
			  "JR354232");
		CHECK_STR(p->digest, ""); /* the list carries no description */
		CHECK(!pay_is_set(&p->pay));
		CHECK_NUM(p->nranges, 0);
	}
	p = posting_list_find(&l, "JR332446");
	CHECK(p && strcmp(p->title, "Customer Success Manager - Global Public Sector (State, Local "
				    "Government and Education)") == 0);
	CHECK(p && p->location == NULL); /* "5 Locations" */
	posting_list_clear(&l);
}

static void test_workday_four_postings(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};

	CHECK(parse_fixture(&acme, "workday/cxs_jobs_4postings.json", &w, &l, &next) == 0);
	CHECK_NUM(l.len, 4);
	CHECK(next.url == NULL);
	const char *ids[] = {"R1505", "R1506", "R1066-5", "R1433"};
	for (size_t i = 0; i < 4; i++)
		CHECK_STR(l.items[i].external_id, ids[i]);
	/* the path's tail, not bulletFields[0] ("R1066"): a requisition may be posted twice */
	struct posting *p = posting_list_find(&l, "R1066-5");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Quantitative Researcher");
		CHECK_STR(p->location, "Boston");
		CHECK_STR(p->url, "https://acme.wd5.myworkdayjobs.com/Careers/job/Boston/"
				  "Quantitative-Researcher_R1066-5");
	}
	CHECK_STR(l.items[0].title, "Quantitative Researcher Intern, Summer 2027");
	posting_list_clear(&l);
}

static void test_workday_nvidia(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	const struct config_source nvidia = {
	    .name = "nvidia",
	    .type = "workday",
	    .url = "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite",
	};

	CHECK(parse_fixture(&nvidia, "workday/nvidia_cxs_jobs_page1_with_facets.json", &w, &l,
			    &next) == 0);
	CHECK_NUM(l.len, 10);
	CHECK_NUM(w.total, 2000);
	CHECK(next.url == NULL); /* 10 rows where 20 were asked for: a short page ends the walk */
	struct posting *p = posting_list_find(&l, "JR2023203-1");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Senior Site Reliability Engineer in Test, SDET");
		CHECK_STR(p->location, "China, Shanghai");
		CHECK_STR(
		    p->url,
		    "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite/job/"
		    "China-Shanghai/Senior-Site-Reliability-Engineer-in-Test--SDET_JR2023203-1");
	}
	p = posting_list_find(&l, "JR2018518");
	CHECK(p && strcmp(p->title, "Senior Reliability Engineer") == 0 &&
	      strcmp(p->location, "US, CA, Santa Clara") == 0);
	posting_list_clear(&l);
}

static void test_workday_paging(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	char *p1 = page(1, 20, 45), *p2 = page(21, 20, 0), *p3 = page(41, 5, 999);

	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w, p1, &l, &next) == 0);
	CHECK_NUM(w.total, 45);
	CHECK_NUM(w.offset, 20);
	CHECK_NUM(w.seen, 20);
	CHECK_STR(next.url, acme.url);
	CHECK_STR(next.body,
		  "{\"appliedFacets\":{},\"limit\":20,\"offset\":20,\"searchText\":\"\"}");
	CHECK_STR(next.content_type, "application/json");
	/* the second page says total 0, as some tenants do: the first page's total stands */
	CHECK(parse_page(&acme, &w, p2, &l, &next) == 0);
	CHECK_NUM(w.total, 45);
	CHECK_STR(next.body,
		  "{\"appliedFacets\":{},\"limit\":20,\"offset\":40,\"searchText\":\"\"}");
	/* a short last page (claiming 999) ends the walk */
	CHECK(parse_page(&acme, &w, p3, &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK_NUM(w.total, 45);
	CHECK_NUM(w.seen, 45);
	CHECK_NUM(l.len, 45);
	CHECK(posting_list_find(&l, "R45") != NULL);
	posting_list_clear(&l);
	free(p1);
	free(p2);
	free(p3);
}

static void test_workday_total_ends_walk(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	char *p1 = page(1, 20, 40), *p2 = page(21, 20, 100), *only = page(1, 20, 20);

	/* full pages up to the first total: the second page's 100 is not believed */
	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w, p1, &l, &next) == 0);
	CHECK(next.url != NULL);
	CHECK(parse_page(&acme, &w, p2, &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK_NUM(w.total, 40);
	CHECK_NUM(l.len, 40);
	posting_list_clear(&l);

	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w, only, &l, &next) == 0);
	CHECK(next.url == NULL); /* 20 of 20 */
	posting_list_clear(&l);

	/* a first page without a usable total: pages go on until a short one */
	char *nototal = page(1, 20, 0);
	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w, nototal, &l, &next) == 0);
	CHECK_NUM(w.total, -1);
	CHECK(next.url != NULL);
	posting_list_clear(&l);
	source_request_clear(&next);
	free(nototal);
	free(p1);
	free(p2);
	free(only);
}

static void test_workday_repeated_page(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	char *p1 = page(1, 20, 60), *p2 = page(21, 20, 60);

	/* the tenant ignores offset: page 2 is page 1 again. The walk ends there, incomplete:
	 * the 20 postings read stand, and the loop closes nothing it did not reach. */
	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w, p1, &l, &next) == 0);
	CHECK(parse_page(&acme, &w, p1, &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK(strstr(w.incomplete,
		     "the tenant repeats pages: offset 20 brought no posting not seen before") !=
	      NULL);
	CHECK_NUM(l.len, 20);
	posting_list_clear(&l);

	/* page 3 is page 1 again after a good page 2 */
	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w, p1, &l, &next) == 0);
	CHECK(parse_page(&acme, &w, p2, &l, &next) == 0);
	CHECK(w.incomplete[0] == '\0');
	source_request_clear(&next);
	CHECK(parse_page(&acme, &w, p1, &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK(strstr(w.incomplete, "repeats pages: offset 40") != NULL);
	CHECK_NUM(l.len, 40);
	posting_list_clear(&l);
	source_request_clear(&next);
	free(p1);
	free(p2);
}

static void test_workday_envelopes(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};

	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w, "{\"total\":0,\"jobPostings\":[],\"facets\":[]}", &l, &next) ==
	      0);
	CHECK_NUM(l.len, 0);
	CHECK(next.url == NULL);
	CHECK_NUM(w.total, 0);

	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w,
			 "{\"errorCode\":\"HTTP_400\",\"httpStatus\":400,\"message\":\"limit\"}",
			 &l, &next) == -1);
	CHECK_STR(err, "expected a JSON object with \"jobPostings\", found an object without it "
		       "(keys: errorCode, httpStatus, message)");
	CHECK(parse_page(&acme, &w, "{\"total\":3,\"jobPostings\":{}}", &l, &next) == -1);
	CHECK(strstr(err, "found \"jobPostings\" holding an object") != NULL);
	CHECK(parse_page(&acme, &w, "[]", &l, &next) == -1);
	CHECK(strstr(err, "found an array") != NULL);
	CHECK(parse_page(&acme, &w, "<!DOCTYPE html><html><body>Just a moment...</body></html>", &l,
			 &next) == -1);
	CHECK(strstr(err, "found HTML") != NULL);
	CHECK(parse_page(&acme, &w, "", &l, &next) == -1);
	CHECK(strstr(err, "empty body") != NULL);
	CHECK_NUM(l.len, 0);

	/* no title; no path and no bulletFields; not an object: dropped and counted */
	source_walk_init(&w, 0);
	CHECK(parse_page(&acme, &w,
			 "{\"total\":5,\"jobPostings\":[{\"externalPath\":\"/job/x/A_R1\"},"
			 "{\"title\":\"No id\"},\"row\",[],"
			 "{\"title\":\"B\",\"bulletFields\":[\"R2\"]}]}",
			 &l, &next) == 0);
	CHECK_NUM(l.len, 1);
	CHECK_NUM(l.dropped, 4);
	struct posting *p = posting_list_find(&l, "R2");
	CHECK(p && p->url == NULL && strcmp(p->title, "B") == 0);
	posting_list_clear(&l);
	source_request_clear(&next);
}

int main(void)
{
	RUN(test_workday_first);
	RUN(test_workday_salesforce);
	RUN(test_workday_four_postings);
	RUN(test_workday_nvidia);
	RUN(test_workday_paging);
	RUN(test_workday_total_ends_walk);
	RUN(test_workday_repeated_page);
	RUN(test_workday_envelopes);
	return harness_end();
}
