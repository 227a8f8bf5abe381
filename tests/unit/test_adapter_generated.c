/* test_adapter_generated.c - adapters on pages generated here rather than read from a file:
 * what no payload file holds at a sensible size (the bounds on huge pages, deep nesting), walks
 * over many generated pages, and pages built from the JobPosting objects of Teamtailor's feeds.
 * Each adapter's parse of real and hand-written pages is in rows (tests/adapters/,
 * test_adapters.c). */
#include "adapter_harness.h"

#include <inttypes.h>

#include "buf.h"
#include "jv.h"
#include "source.h"

static const struct source_target gh_src = {
    .type = "greenhouse",
    .url = "https://boards-api.greenhouse.io/v1/boards/x/jobs?content=true",
};

#define SR_BASE "https://api.smartrecruiters.com/v1/companies/WesternDigital/postings"

static const struct source_target sr_src = {
    .type = "smartrecruiters",
    .url = SR_BASE,
};

static const struct source_target netflix = {
    .type = "eightfold",
    .url = "https://explore.jobs.netflix.net/careers",
};

#define NETFLIX_API "https://explore.jobs.netflix.net/api/apply/v2/jobs?domain=netflix.com"

static const struct source_target wd_acme = {
    .type = "workday",
    .url = "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/Careers/jobs",
};

static const struct source_target ld_src = {
    .type = "jsonld",
    .url = "https://example.com/careers/job?id=7&utm_source=feed&gh_jid=42&fbclid=x",
};

static const struct source_target personio_src = {
    .type = "personio",
    .url = "https://personio.jobs.personio.de/xml?language=en",
};

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
	CHECK(adapter_parse(&(struct source_target){.type = "workable", .url = "x"}, b.data, b.len,
			    &l) == 0);
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

/* Deep nesting is refused, not followed. */
static void test_personio_deep(void)
{
	struct posting_list l = {0};
	size_t depth = 5000;
	char *deep = malloc(depth * 7 + 64);
	size_t n = (size_t)sprintf(deep, "<workzag-jobs>");
	for (size_t i = 0; i < depth; i++)
		n += (size_t)sprintf(deep + n, "<a>");
	CHECK(adapter_parse(&personio_src, deep, n, &l) == -1);
	CHECK(strstr(err, "invalid XML") != NULL);
	CHECK_NUM(l.len, 0);
	free(deep);
}

/* Issue 21.3: 100,000 positions (each looked up among those before it) and one position of
 * 50,000 offices (each compared with the list of those before it) cost 43 s and 11.5 s;
 * 20,000 of each, what a feed of this size may make a tree of, now cost well under 1 s. */
static void test_personio_many(void)
{
	struct buf b = BUF_INIT;
	struct posting_list l = {0};

	buf_puts(&b, "<workzag-jobs>");
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "<position><id>%d</id><name>Role %d</name></position>", i, i);
	buf_puts(&b, "<position><id>x</id><name>Everywhere</name>");
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "<office>City %d</office>", i);
	buf_puts(&b, "</position></workzag-jobs>");
	double t0 = harness_cpu();
	CHECK(adapter_parse(&personio_src, b.data, b.len, &l) == 0);
	CHECK(harness_cpu() - t0 < 1.0);
	CHECK_NUM(l.len, 20001);
	struct posting *p = posting_list_find(&l, "x");
	CHECK(p && p->location && strlen(p->location) <= 4096);
	CHECK(posting_list_find(&l, "19999") != NULL);
	posting_list_clear(&l);
	buf_free(&b);
}

/* Hostile JSON: a million postings or a million levels deep is refused before a tree of it is
 * built (the tree would take gigabytes), with an error that says so. */
static void test_greenhouse_hostile_sizes(void)
{
	struct posting_list l = {0};
	size_t n = 1000000, len = 0;
	char *body = malloc(n * 32 + 64);

	CHECK(body != NULL);
	if (body == NULL)
		return;
	len += (size_t)sprintf(body, "{\"jobs\":[");
	for (size_t i = 0; i < n; i++)
		len +=
		    (size_t)sprintf(body + len, "%s{\"id\":%zu,\"title\":\"x\"}", i ? "," : "", i);
	len += (size_t)sprintf(body + len, "]}");
	CHECK(adapter_parse(&gh_src, body, len, &l) == -1);
	CHECK(strstr(err, "refused") != NULL);
	CHECK_NUM(l.len, 0);

	len = (size_t)sprintf(body, "{\"jobs\":");
	memset(body + len, '[', n);
	memset(body + len + n, ']', n);
	len += 2 * n;
	body[len++] = '}';
	CHECK(adapter_parse(&gh_src, body, len, &l) == -1);
	CHECK(strstr(err, "refused") != NULL);
	/* deep, but under the container cap: the parser's depth limit answers */
	len = (size_t)sprintf(body, "{\"jobs\":");
	memset(body + len, '[', 100000);
	memset(body + len + 100000, ']', 100000);
	len += 200000;
	body[len++] = '}';
	CHECK(adapter_parse(&gh_src, body, len, &l) == -1);
	CHECK(strstr(err, "nesting too deep") != NULL);
	free(body);
	posting_list_clear(&l);
}

/* One poll's walk, page by page, as src/loop.c runs it. */
struct sr_walk {
	struct source_walk w;
	struct source_request req;
	struct posting_list out;
};

static void sr_walk_start(struct sr_walk *k, const struct source_target *src)
{
	const struct source_adapter *a = source_adapter_find("smartrecruiters");

	memset(k, 0, sizeof(*k));
	source_walk_init(&k->w, 0);
	CHECK(a->first(src, &k->w, &k->req, err, sizeof(err)) == 0);
}

/* Parse body as the answer to k->req; k->req becomes the next request (url NULL at the end). */
static int sr_walk_page(struct sr_walk *k, const struct source_target *src, const char *body,
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

static void sr_walk_end(struct sr_walk *k)
{
	source_request_clear(&k->req);
	posting_list_clear(&k->out);
}

/* A synthetic page: n postings with ids first, first+1, …; total < 0 leaves totalFound out. */
static char *sr_page(long offset, long limit, long total, int first, int n)
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

static int sr_walk_synthetic(struct sr_walk *k, long offset, long limit, long total, int first,
			     int n)
{
	char *body = sr_page(offset, limit, total, first, n);
	int rc = sr_walk_page(k, &sr_src, body, strlen(body));
	free(body);
	return rc;
}

/* The walk: offset moves by what came, and it ends at the total, on a short page or on an
 * empty one. */
static void test_sr_paging(void)
{
	struct sr_walk k;

	/* 5 in pages of 2: 2, 2, then a short page of 1 ends it */
	sr_walk_start(&k, &sr_src);
	CHECK(sr_walk_synthetic(&k, 0, 2, 5, 1, 2) == 0);
	CHECK_STR(k.req.url, SR_BASE "?offset=2&limit=100");
	CHECK(sr_walk_synthetic(&k, 2, 2, 5, 3, 2) == 0);
	CHECK_STR(k.req.url, SR_BASE "?offset=4&limit=100");
	CHECK(sr_walk_synthetic(&k, 4, 2, 5, 5, 1) == 0);
	CHECK(k.req.url == NULL);
	CHECK_NUM(k.out.len, 5);
	CHECK_NUM(k.w.seen, 5);
	CHECK(posting_list_find(&k.out, "5") != NULL);
	sr_walk_end(&k);

	/* the total reached by a full page: no request for an empty one */
	sr_walk_start(&k, &sr_src);
	CHECK(sr_walk_synthetic(&k, 0, 2, 4, 1, 2) == 0);
	CHECK(sr_walk_synthetic(&k, 2, 2, 4, 3, 2) == 0);
	CHECK(k.req.url == NULL);
	CHECK_NUM(k.out.len, 4);
	sr_walk_end(&k);

	/* the first page claims 100 and later ones 0: the first claim holds, and an empty page
	 * ends the walk (rc 0: an empty page is a page, not an error) */
	sr_walk_start(&k, &sr_src);
	CHECK(sr_walk_synthetic(&k, 0, 2, 100, 1, 2) == 0);
	CHECK(sr_walk_synthetic(&k, 2, 2, 0, 3, 2) == 0);
	CHECK_NUM(k.w.total, 100);
	CHECK_STR(k.req.url, SR_BASE "?offset=4&limit=100");
	CHECK(sr_walk_synthetic(&k, 4, 2, 100, 5, 0) == 0);
	CHECK(k.req.url == NULL);
	CHECK_NUM(k.out.len, 4);
	sr_walk_end(&k);

	/* no totalFound: full pages go on, a short one stops */
	sr_walk_start(&k, &sr_src);
	CHECK(sr_walk_synthetic(&k, 0, 3, -1, 1, 3) == 0);
	CHECK_NUM(k.w.total, -1);
	CHECK_STR(k.req.url, SR_BASE "?offset=3&limit=100");
	CHECK(sr_walk_synthetic(&k, 3, 3, -1, 4, 2) == 0);
	CHECK(k.req.url == NULL);
	CHECK_NUM(k.out.len, 5);
	sr_walk_end(&k);

	/* a server that ignores offset serves page 1 again: the walk ends there, incomplete
	 * (what it read stands; the loop closes nothing), it is no end of the board */
	sr_walk_start(&k, &sr_src);
	CHECK(sr_walk_synthetic(&k, 0, 2, 10, 1, 2) == 0);
	CHECK(sr_walk_synthetic(&k, 0, 2, 10, 1, 2) == 0);
	CHECK(strstr(k.w.incomplete, "the page at offset 2 repeats the previous page") != NULL);
	CHECK(k.req.url == NULL);
	sr_walk_end(&k);

	/* an endless board: the adapter keeps asking; the page ceiling is the loop's */
	sr_walk_start(&k, &sr_src);
	for (int i = 0; i < 50; i++)
		CHECK(sr_walk_synthetic(&k, i * 2L, 2, 1000000, 1 + 2 * i, 2) == 0);
	CHECK_STR(k.req.url, SR_BASE "?offset=100&limit=100");
	CHECK_NUM(k.out.len, 100);
	sr_walk_end(&k);
}

/* One page as the loop hands it over: parse, then count the page. */
static int ef_parse_page(const struct source_target *src, struct source_walk *w, const char *body,
			 struct posting_list *out, struct source_request *next)
{
	const struct source_adapter *a = source_adapter_find("eightfold");

	source_request_clear(next);
	err[0] = '\0';
	int rc = a->parse(src, w, body, strlen(body), out, next, err, sizeof(err));
	w->pages++;
	return rc;
}

/* A page of n positions with ids first … first+n-1, claiming count. */
static char *ef_page(long first, int n, int count)
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

static void test_eightfold_paging(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	/* num=10 asked, 7 came back; count 20 on page 1 only */
	char *p1 = ef_page(790301000001, 7, 20), *p2 = ef_page(790301000008, 10, 12),
	     *p3 = ef_page(790301000018, 3, 0);

	source_walk_init(&w, 0);
	CHECK(ef_parse_page(&netflix, &w, p1, &l, &next) == 0);
	CHECK_NUM(w.total, 20);
	CHECK_NUM(w.offset, 7);
	CHECK_STR(next.url, NETFLIX_API "&start=7&num=10");
	CHECK(ef_parse_page(&netflix, &w, p2, &l, &next) == 0);
	CHECK_NUM(w.total, 20); /* page 2's count of 12 is not believed */
	CHECK_STR(next.url, NETFLIX_API "&start=17&num=10");
	CHECK(ef_parse_page(&netflix, &w, p3, &l, &next) == 0);
	CHECK(next.url == NULL); /* 20 of 20 */
	CHECK_NUM(l.len, 20);
	CHECK_NUM(w.seen, 20);
	struct posting *p = posting_list_find(&l, "790301000020");
	CHECK(p && strcmp(p->title, "Role 790301000020") == 0);
	CHECK(p && strcmp(p->location, "Los Gatos,California") == 0);
	posting_list_clear(&l);

	/* an empty page before count ends the walk */
	source_walk_init(&w, 0);
	CHECK(ef_parse_page(&netflix, &w, p1, &l, &next) == 0);
	CHECK(ef_parse_page(&netflix, &w, "{\"count\":20,\"positions\":[]}", &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK_NUM(l.len, 7);
	posting_list_clear(&l);

	/* a position seen on an earlier page (the list moved) is kept once */
	char *overlap = ef_page(790301000007, 5, 20);
	source_walk_init(&w, 0);
	CHECK(ef_parse_page(&netflix, &w, p1, &l, &next) == 0);
	CHECK(ef_parse_page(&netflix, &w, overlap, &l, &next) == 0);
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
	char *p1 = ef_page(1, 10, 500);

	source_walk_init(&w, 0);
	CHECK(ef_parse_page(&netflix, &w, p1, &l, &next) == 0);
	source_request_clear(&next);
	CHECK(ef_parse_page(&netflix, &w, p1, &l, &next) == 0); /* incomplete: the walk ends */
	CHECK(next.url == NULL);
	CHECK(strstr(w.incomplete,
		     "the tenant repeats pages: start 10 brought no position not seen before") !=
	      NULL);
	CHECK_NUM(l.len, 10);
	posting_list_clear(&l);
	source_request_clear(&next);
	free(p1);
}

/* One page as the loop hands it over: parse, then count the page. */
static int wd_parse_page(const struct source_target *src, struct source_walk *w, const char *body,
			 struct posting_list *out, struct source_request *next)
{
	const struct source_adapter *a = source_adapter_find("workday");

	source_request_clear(next);
	err[0] = '\0';
	int rc = a->parse(src, w, body, strlen(body), out, next, err, sizeof(err));
	w->pages++;
	return rc;
}

/* A page of n rows whose ids are R<first> … R<first+n-1>, claiming total. */
static char *wd_page(int first, int n, int total)
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

static void test_workday_paging(void)
{
	struct posting_list l = {0};
	struct source_walk w;
	struct source_request next = {0};
	char *p1 = wd_page(1, 20, 45), *p2 = wd_page(21, 20, 0), *p3 = wd_page(41, 5, 999);

	source_walk_init(&w, 0);
	CHECK(wd_parse_page(&wd_acme, &w, p1, &l, &next) == 0);
	CHECK_NUM(w.total, 45);
	CHECK_NUM(w.offset, 20);
	CHECK_NUM(w.seen, 20);
	CHECK_STR(next.url, wd_acme.url);
	CHECK_STR(next.body,
		  "{\"appliedFacets\":{},\"limit\":20,\"offset\":20,\"searchText\":\"\"}");
	CHECK_STR(next.content_type, "application/json");
	/* the second page says total 0, as some tenants do: the first page's total stands */
	CHECK(wd_parse_page(&wd_acme, &w, p2, &l, &next) == 0);
	CHECK_NUM(w.total, 45);
	CHECK_STR(next.body,
		  "{\"appliedFacets\":{},\"limit\":20,\"offset\":40,\"searchText\":\"\"}");
	/* a short last page (claiming 999) ends the walk */
	CHECK(wd_parse_page(&wd_acme, &w, p3, &l, &next) == 0);
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
	char *p1 = wd_page(1, 20, 40), *p2 = wd_page(21, 20, 100), *only = wd_page(1, 20, 20);

	/* full pages up to the first total: the second page's 100 is not believed */
	source_walk_init(&w, 0);
	CHECK(wd_parse_page(&wd_acme, &w, p1, &l, &next) == 0);
	CHECK(next.url != NULL);
	CHECK(wd_parse_page(&wd_acme, &w, p2, &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK_NUM(w.total, 40);
	CHECK_NUM(l.len, 40);
	posting_list_clear(&l);

	source_walk_init(&w, 0);
	CHECK(wd_parse_page(&wd_acme, &w, only, &l, &next) == 0);
	CHECK(next.url == NULL); /* 20 of 20 */
	posting_list_clear(&l);

	/* a first page without a usable total: pages go on until a short one */
	char *nototal = wd_page(1, 20, 0);
	source_walk_init(&w, 0);
	CHECK(wd_parse_page(&wd_acme, &w, nototal, &l, &next) == 0);
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
	char *p1 = wd_page(1, 20, 60), *p2 = wd_page(21, 20, 60);

	/* the tenant ignores offset: page 2 is page 1 again. The walk ends there, incomplete:
	 * the 20 postings read stand, and the loop closes nothing it did not reach. */
	source_walk_init(&w, 0);
	CHECK(wd_parse_page(&wd_acme, &w, p1, &l, &next) == 0);
	CHECK(wd_parse_page(&wd_acme, &w, p1, &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK(strstr(w.incomplete,
		     "the tenant repeats pages: offset 20 brought no posting not seen before") !=
	      NULL);
	CHECK_NUM(l.len, 20);
	posting_list_clear(&l);

	/* page 3 is page 1 again after a good page 2 */
	source_walk_init(&w, 0);
	CHECK(wd_parse_page(&wd_acme, &w, p1, &l, &next) == 0);
	CHECK(wd_parse_page(&wd_acme, &w, p2, &l, &next) == 0);
	CHECK(w.incomplete[0] == '\0');
	source_request_clear(&next);
	CHECK(wd_parse_page(&wd_acme, &w, p1, &l, &next) == 0);
	CHECK(next.url == NULL);
	CHECK(strstr(w.incomplete, "repeats pages: offset 40") != NULL);
	CHECK_NUM(l.len, 40);
	posting_list_clear(&l);
	source_request_clear(&next);
	free(p1);
	free(p2);
}

static int ld_parse(const char *body, size_t len, struct posting_list *out)
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
static int ld_parse_script(const char *json, struct posting_list *out)
{
	struct buf b = BUF_INIT;

	buf_printf(&b,
		   "<!DOCTYPE html><html><head><script type=\"application/ld+json\">%s</script>"
		   "</head><body><p>page</p></body></html>",
		   json);
	int rc = ld_parse(b.data, b.len, out);
	buf_free(&b);
	return rc;
}

/* Teamtailor's JSON Feed carries real JobPosting objects; put each on a page as its script. */

/* v as JSON text, as a page's script would hold it. */
static void put_json(struct buf *b, const struct jv *v)
{
	const char *keys[64];
	const struct jv *e;
	size_t i, n;

	switch (jv_type(v)) {
	case JV_NULL:
		buf_puts(b, "null");
		break;
	case JV_BOOLEAN:
		buf_puts(b, jv_is_true(v) ? "true" : "false");
		break;
	case JV_INTEGER:
		buf_printf(b, "%" PRId64, jv_int(v));
		break;
	case JV_REAL:
		buf_printf(b, "%.17g", jv_number(v));
		break;
	case JV_STRING:
		buf_puts(b, "\"");
		for (const char *s = jv_str(v); *s; s++)
			if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
				buf_printf(b, "\\u%04x", (unsigned char)*s);
			else
				buf_append(b, s, 1);
		buf_puts(b, "\"");
		break;
	case JV_ARRAY:
		buf_puts(b, "[");
		jv_array_foreach(v, i, e)
		{
			buf_puts(b, i ? "," : "");
			put_json(b, e);
		}
		buf_puts(b, "]");
		break;
	case JV_OBJECT:
		n = jv_keys(v, keys, 64);
		buf_puts(b, "{");
		for (i = 0; i < n; i++) {
			buf_printf(b, "%s\"%s\":", i ? "," : "", keys[i]);
			put_json(b, jv_get(v, keys[i]));
		}
		buf_puts(b, "}");
		break;
	}
}

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
		struct jv *feed = jv_parse(body, len, &line, msg, sizeof(msg));
		struct jv *item;
		size_t i;

		CHECK(feed != NULL);
		jv_array_foreach(jv_get(feed, "items"), i, item)
		{
			struct buf js = BUF_INIT;
			put_json(&js, jv_get(item, "_jobposting"));
			CHECK(ld_parse_script(js.data, &l) == 0);
			buf_free(&js);
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

static int html_parse(const struct source_target *src, const char *body, struct posting_list *out)
{
	const struct source_adapter *a = source_adapter_find("html");
	struct source_walk w;
	struct source_request next = {0};

	CHECK(a != NULL);
	if (a == NULL)
		return -2;
	source_walk_init(&w, 0);
	w.page_url = src->url;
	err[0] = '\0';
	int rc = a->parse(src, &w, body, strlen(body), out, &next, err, sizeof(err));
	CHECK(next.url == NULL);
	source_request_clear(&next);
	return rc;
}

/* An expression that searches the whole page from every item costs items x page: the work
 * limit stops it with an error that says what to change. */
static void test_html_work_limit(void)
{
	struct source_target src = {.type = "html",
				    .url = "https://example.com/jobs",
				    .xpath_item = "//div[@class='job']",
				    .xpath_title = "//b"};
	struct posting_list l = {0};
	struct buf page = BUF_INIT;

	for (int i = 0; i < 2500; i++)
		buf_printf(&page, "<div class='job'><b>Job %d</b><a href='/j/%d'>x</a></div>", i,
			   i);
	CHECK(html_parse(&src, page.data, &l) == -1);
	CHECK_STR(err, "title XPath failed: it needed too much work on this page (it starts with "
		       "/, so it searches the whole page from every item: start it with .// "
		       "instead)");
	CHECK_NUM(l.len, 0);
	src.xpath_title = ".//b";
	CHECK(html_parse(&src, page.data, &l) == 0);
	CHECK_NUM(l.len, 2500);
	posting_list_clear(&l);
	buf_free(&page);
}

/* Issue 21.7: each item's text was read outside the XPath work limit, so items nested in
 * each other (each holding most of the page) cost the page's size once per item. */
static void test_nested_items(void)
{
	struct source_target src = {
	    .type = "html", .url = "https://n.example/", .xpath_item = "//div[@class='i']"};
	struct posting_list l = {0};
	struct buf b = BUF_INIT;
	size_t depth = 200, fill = 4 * 1024 * 1024 / depth;

	buf_puts(&b, "<html><body>");
	for (size_t i = 0; i < depth; i++) {
		buf_printf(&b, "<div class=i><a href=/j%zu>t</a>", i);
		for (size_t k = 0; k < fill / 8; k++)
			buf_puts(&b, "xxxxxxx ");
	}
	for (size_t i = 0; i < depth; i++)
		buf_puts(&b, "</div>");
	buf_puts(&b, "</body></html>");
	double t0 = harness_cpu();
	CHECK(html_parse(&src, b.data, &l) == -1);
	CHECK(strstr(err, "too much work") != NULL);
	CHECK_NUM(l.len, 0);
	CHECK(harness_cpu() - t0 < 4.0);
	posting_list_clear(&l);
	buf_free(&b);
}

int main(void)
{
	RUN(test_greenhouse_hostile_sizes);
	RUN(test_workable_bounds);
	RUN(test_personio_deep);
	RUN(test_personio_many);
	RUN(test_sr_paging);
	RUN(test_eightfold_paging);
	RUN(test_eightfold_repeated_page);
	RUN(test_workday_paging);
	RUN(test_workday_total_ends_walk);
	RUN(test_workday_repeated_page);
	RUN(test_jsonld_teamtailor);
	RUN(test_html_work_limit);
	RUN(test_nested_items);
	return harness_end();
}
