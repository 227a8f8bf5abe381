/* test_html_source.c - type "html": a static careers page read with configured XPath, the
 * defaults for title and link, relative links, tracking parameters, pay from a pay line or
 * from the item's text, items without title or link dropped, broken markup recovered, and a
 * page where item matches nothing failing the poll unless allow_empty says otherwise. */
#include "harness.h"

#include "buf.h"
#include "source.h"
#include "source_common.h"

/* A careers page as a small company's site serves it: a header, a list of openings with a
 * relative link, a location span, a team and sometimes a pay line, a footer, a script. */
static const char careers_page[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "  <meta charset=\"utf-8\">\n"
    "  <title>Careers at Northwind</title>\n"
    "  <link rel=\"stylesheet\" href=\"/assets/site.css\">\n"
    "</head>\n"
    "<body>\n"
    "  <header><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav></header>\n"
    "  <main>\n"
    "    <h1>Open positions</h1>\n"
    "    <ul class=\"openings\">\n"
    "      <li class=\"job\" data-id=\"eng-101\">\n"
    "        <h3><a href=\"/careers/senior-backend-engineer?utm_source=linkedin&amp;team=core\">\n"
    "          Senior Backend Engineer</a></h3>\n"
    "        <span class=\"location\">Berlin, Germany</span>\n"
    "        <span class=\"team\">Engineering</span>\n"
    "        <p class=\"pay\">Salary: &euro;75,000 &ndash; &euro;90,000 per year</p>\n"
    "      </li>\n"
    "      <li class=\"job\" data-id=\"des-7\">\n"
    "        <h3><a href=\"product-designer.html?ref=homepage\">Product&nbsp;Designer</a></h3>\n"
    "        <span class=\"location\">Remote (EU)</span>\n"
    "        <span class=\"team\">Design</span>\n"
    "      </li>\n"
    "      <li class=\"job\" data-id=\"ops-3\">\n"
    "        <h3><a href=\"https://jobs.example.net/northwind/ops-3?gclid=abc&amp;lang=en\">"
    "Site Reliability Engineer</a></h3>\n"
    "        <span class=\"location\">London, UK</span>\n"
    "        <span class=\"team\">Operations</span>\n"
    "        <p>We pay &pound;60,000 - &pound;70,000 a year plus on-call.</p>\n"
    "      </li>\n"
    "    </ul>\n"
    "  </main>\n"
    "  <footer><a href=\"/privacy\">Privacy</a></footer>\n"
    "  <script>window.dataLayer = [];</script>\n"
    "</body>\n"
    "</html>\n";

static const char page_url[] = "https://www.northwind.example/careers/?utm_campaign=x";

static struct config_source html_src(void)
{
	struct config_source s = {
	    .name = "northwind",
	    .type = "html",
	    .url = (char *)page_url,
	    .xpath_item = "//ul[@class='openings']/li[@class='job']",
	    .xpath_title = ".//h3",
	    .xpath_link = ".//h3/a/@href",
	    .xpath_location = ".//span[@class='location']",
	    .xpath_department = "string(.//span[@class='team'])",
	    .xpath_pay = ".//p[@class='pay']",
	};
	return s;
}

static char err[512];

static int parse(const struct config_source *src, const char *body, struct posting_list *out)
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

static void test_html_first(void)
{
	const struct source_adapter *a = source_adapter_find("html");
	struct config_source src = html_src();
	struct source_walk w;
	struct source_request req = {0};

	CHECK(a != NULL);
	if (a == NULL)
		return;
	source_walk_init(&w, 0);
	CHECK(a->first(&src, &w, &req, err, sizeof(err)) == 0);
	CHECK_STR(req.url, page_url);
	source_request_clear(&req);
}

static void test_html_careers_page(void)
{
	struct config_source src = html_src();
	struct posting_list l = {0};

	CHECK(parse(&src, careers_page, &l) == 0);
	CHECK_STR(err, "");
	CHECK_NUM(l.len, 3);
	CHECK_NUM(l.dropped, 0);
	if (l.len != 3) {
		posting_list_clear(&l);
		return;
	}
	struct posting *p = &l.items[0];
	CHECK_STR(p->title, "Senior Backend Engineer");
	/* relative to the page, utm_source gone, the page's own tracking parameter irrelevant */
	CHECK_STR(p->url,
		  "https://www.northwind.example/careers/senior-backend-engineer?team=core");
	CHECK_STR(p->external_id, p->url);
	CHECK_STR(p->location, "Berlin, Germany");
	CHECK_STR(p->department, "Engineering");
	CHECK_NUM(p->pay.min, 75000);
	CHECK_NUM(p->pay.max, 90000);
	CHECK_STR(p->pay.currency, "EUR");
	CHECK(p->pay.period == PAY_PERIOD_YEAR);
	CHECK_STR(p->pay.source, "html:pay");
	CHECK_NUM(p->nranges, 1);
	CHECK(strlen(p->digest) == 64);

	p = &l.items[1];
	CHECK_STR(p->title, "Product Designer"); /* the NBSP folded */
	CHECK_STR(p->url, "https://www.northwind.example/careers/product-designer.html");
	CHECK_STR(p->location, "Remote (EU)");
	CHECK_STR(p->department, "Design");
	CHECK(!pay_is_set(&p->pay));
	CHECK_NUM(p->nranges, 0);
	CHECK_STR(p->pay_text, NULL);

	p = &l.items[2];
	CHECK_STR(p->title, "Site Reliability Engineer");
	CHECK_STR(p->url, "https://jobs.example.net/northwind/ops-3?lang=en");
	CHECK_STR(p->location, "London, UK");
	/* no pay line: the pay parser reads the item's text */
	CHECK_NUM(p->pay.min, 60000);
	CHECK_NUM(p->pay.max, 70000);
	CHECK_STR(p->pay.currency, "GBP");
	CHECK(p->pay.period == PAY_PERIOD_YEAR);
	CHECK_STR(p->pay.source, "text");
	CHECK_NUM(p->nranges, 1);
	/* the digest is the item's text: another item, another digest */
	CHECK(strcmp(l.items[0].digest, l.items[2].digest) != 0);
	posting_list_clear(&l);
}

/* Only item configured: the title and link of the first link of each item. */
static void test_html_defaults(void)
{
	struct config_source src = {.name = "n",
				    .type = "html",
				    .url = (char *)page_url,
				    .xpath_item = "//li[@class='job']"};
	struct posting_list l = {0};

	CHECK(parse(&src, careers_page, &l) == 0);
	CHECK_NUM(l.len, 3);
	if (l.len == 3) {
		CHECK_STR(l.items[0].title, "Senior Backend Engineer");
		CHECK_STR(
		    l.items[0].url,
		    "https://www.northwind.example/careers/senior-backend-engineer?team=core");
		CHECK_STR(l.items[1].title, "Product Designer");
		CHECK(l.items[0].location == NULL);
		CHECK(l.items[0].department == NULL);
		/* no pay expression: the item's text still gives the pay line */
		CHECK_NUM(l.items[0].pay.min, 75000);
		CHECK_STR(l.items[0].pay.source, "text");
	}
	posting_list_clear(&l);

	/* item selects the links themselves: the link is its own title and href */
	src.xpath_item = "//li[@class='job']//a";
	CHECK(parse(&src, careers_page, &l) == 0);
	CHECK_NUM(l.len, 3);
	if (l.len == 3) {
		CHECK_STR(l.items[2].title, "Site Reliability Engineer");
		CHECK_STR(l.items[2].url, "https://jobs.example.net/northwind/ops-3?lang=en");
	}
	posting_list_clear(&l);
}

/* An id expression replaces the link as the id; an item without one is dropped. */
static void test_html_id(void)
{
	struct config_source src = html_src();
	struct posting_list l = {0};
	const char *page = "<ul class='openings'>"
			   "<li class='job' data-id='eng-101'><h3><a href='/a'>A</a></h3></li>"
			   "<li class='job'><h3><a href='/b'>B</a></h3></li>"
			   "<li class='job' data-id=' 42 '><h3><a href='/c'>C</a></h3></li></ul>";

	src.xpath_id = "@data-id";
	CHECK(parse(&src, page, &l) == 0);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(l.dropped, 1);
	CHECK(posting_list_find(&l, "eng-101") != NULL);
	struct posting *p = posting_list_find(&l, "42");
	CHECK(p && strcmp(p->url, "https://www.northwind.example/c") == 0);
	posting_list_clear(&l);
}

/* Items without a title, without a link, or whose link is no web address are dropped and
 * counted; the rest are kept. */
static void test_html_malformed_items(void)
{
	struct config_source src = html_src();
	struct posting_list l = {0};
	const char *page =
	    "<html><body><ul class='openings'>"
	    "<li class='job'><h3><a href='/jobs/1'>Data Engineer</a></h3></li>"
	    "<li class='job'><h3><a href='/jobs/2'>  </a></h3></li>"
	    "<li class='job'><h3>Office Manager (no link)</h3></li>"
	    "<li class='job'><h3><a href='javascript:apply(4)'>Nurse</a></h3></li>"
	    "<li class='job'><h3><a href='mailto:jobs@example.com'>Chef</a></h3></li>"
	    "<li class='job'><h3><a href='/jobs/6 senior'>Senior Chef</a></h3></li>"
	    "<li class='job'><h3><a href='#'>Porter</a></h3></li>"
	    "<li class='job'><h3><a href=''>Cleaner</a></h3></li>"
	    "<li class='job'><h3><a href='#driver-9'>Driver</a></h3></li>"
	    "<li class='job'><h3><a href='HTTPS://Jobs.Example.NET/X'>Guard</a></h3></li>"
	    "</ul></body></html>";

	CHECK(parse(&src, page, &l) == 0);
	CHECK_NUM(l.len, 4);
	CHECK_NUM(l.dropped, 6);
	if (l.len == 4) {
		CHECK_STR(l.items[0].title, "Data Engineer");
		CHECK_STR(l.items[0].url, "https://www.northwind.example/jobs/1");
		/* a blank in an href is escaped the way a browser does */
		CHECK_STR(l.items[1].url, "https://www.northwind.example/jobs/6%20senior");
		/* an anchor on a one-page list names a posting; "#" and "" name none */
		CHECK_STR(l.items[2].url, "https://www.northwind.example/careers/#driver-9");
		/* scheme and host in one spelling, the path as written */
		CHECK_STR(l.items[3].url, "https://jobs.example.net/X");
	}
	posting_list_clear(&l);
}

/* Unclosed elements, a stray </div>, bad entities, a table without rows: recovered. */
static void test_html_broken_markup(void)
{
	struct config_source src = {
	    .name = "b",
	    .type = "html",
	    .url = "http://jobs.example.org/list.php?page=1",
	    .xpath_item = "//div[@class='posting']",
	    .xpath_title = "b",
	    .xpath_location = "i",
	};
	struct posting_list l = {0};
	const char *page = "<html><body></div><table><div class=posting><b>Welder & Fitter</b>"
			   "<i>Leeds<a href=../apply.php?id=9&utm_medium=email>Apply"
			   "<div class=posting><b>Crane Operator &bogus; &amp; Rigger</b>"
			   "<a href='apply.php?id=10'>Apply</a><i>Hull</i>"
			   "<p>Pay: £14.50 per hour</p>";

	CHECK(parse(&src, page, &l) == 0);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(l.dropped, 0);
	if (l.len == 2) {
		CHECK_STR(l.items[0].title, "Welder & Fitter");
		CHECK_STR(l.items[0].url, "http://jobs.example.org/apply.php?id=9");
		CHECK_STR(l.items[1].title, "Crane Operator &bogus; & Rigger");
		CHECK_STR(l.items[1].location, "Hull");
		CHECK_STR(l.items[1].url, "http://jobs.example.org/apply.php?id=10");
		CHECK_NUM(l.items[1].pay.min, 14.5);
		CHECK_STR(l.items[1].pay.currency, "GBP");
		CHECK(l.items[1].pay.period == PAY_PERIOD_HOUR);
	}
	posting_list_clear(&l);
}

/* <base href> decides where relative links point. */
static void test_html_base_href(void)
{
	struct config_source src = {.name = "b",
				    .type = "html",
				    .url = "https://example.com/careers",
				    .xpath_item = "//li"};
	struct posting_list l = {0};

	CHECK(parse(&src,
		    "<html><head><base href='https://cdn.example.com/jobs/'></head>"
		    "<body><ul><li><a href='nurse-7'>Nurse</a></li></ul></body></html>",
		    &l) == 0);
	CHECK_NUM(l.len, 1);
	if (l.len == 1)
		CHECK_STR(l.items[0].url, "https://cdn.example.com/jobs/nurse-7");
	posting_list_clear(&l);

	/* an anchor keeps the page's query (libxml2 2.9 alone would drop it) */
	src.url = "https://example.com/careers?page=2";
	CHECK(parse(&src, "<ul><li><a href='#nurse-7'>Nurse</a></li></ul>", &l) == 0);
	CHECK_NUM(l.len, 1);
	if (l.len == 1)
		CHECK_STR(l.items[0].url, "https://example.com/careers?page=2#nurse-7");
	posting_list_clear(&l);
}

/* A page where item matches nothing is a failed poll (a new layout, a captcha, a page built
 * by JavaScript), with the page's title to tell which; allow_empty makes it an empty board. */
static void test_html_no_match(void)
{
	struct config_source src = html_src();
	struct posting_list l = {0};
	const char *captcha =
	    "<html><head><title>Just a moment...</title></head><body><div id=\"challenge\">"
	    "<noscript>Enable JavaScript and cookies to continue</noscript></div></body></html>";
	const char *spa = "<html><head><title>Careers | \"Northwind\"\n</title></head><body>"
			  "<div id=\"root\"></div><script src=\"/app.js\"></script></body></html>";

	CHECK(parse(&src, captcha, &l) == -1);
	CHECK_STR(err, "item XPath matched nothing (page title \"Just a moment...\")");
	CHECK_NUM(l.len, 0);
	CHECK(parse(&src, spa, &l) == -1);
	CHECK_STR(err, "item XPath matched nothing (page title \"Careers |  Northwind \")");
	CHECK(parse(&src, "<p>moved</p>", &l) == -1);
	CHECK_STR(err, "item XPath matched nothing");
	CHECK(parse(&src, "", &l) == -1);
	CHECK_STR(err, "empty page");

	src.allow_empty = true;
	CHECK(parse(&src, spa, &l) == 0);
	CHECK_NUM(l.len, 0);
	CHECK_NUM(l.dropped, 0);
	posting_list_clear(&l);
}

/* Items that all lose their title or link mean the layout moved: the poll fails, even with
 * allow_empty, and leaves nothing behind in the list. */
static void test_html_all_dropped(void)
{
	struct config_source src = html_src();
	struct posting_list l = {0};
	const char *page = "<ul class='openings'><li class='job'><h4><a href='/a'>A</a></h4></li>"
			   "<li class='job'><h4><a href='/b'>B</a></h4></li></ul>";

	src.allow_empty = true;
	CHECK(parse(&src, page, &l) == -1);
	CHECK_STR(err, "item XPath matched 2 elements but none had a title and a link");
	CHECK_NUM(l.len, 0);
	CHECK_NUM(l.dropped, 0);
	posting_list_clear(&l);
}

/* An item expression that gives a value, or an expression that fails while running. */
static void test_html_bad_expressions(void)
{
	struct config_source src = html_src();
	struct posting_list l = {0};

	src.xpath_item = "count(//li)";
	CHECK(parse(&src, careers_page, &l) == -1);
	CHECK_STR(err, "item XPath must select elements");
	src = html_src();
	src.xpath_title = "h3[";
	CHECK(parse(&src, careers_page, &l) == -1);
	CHECK_STR(err, "title XPath does not compile: the expression is malformed");
	src = html_src();
	src.xpath_location = "nosuch(.)";
	CHECK(parse(&src, careers_page, &l) == -1);
	CHECK_STR(err, "location XPath failed: a function is unknown (XPath 1.0 functions only)");
	CHECK_NUM(l.len, 0);
	src = html_src();
	src.xpath_item = NULL;
	CHECK(parse(&src, careers_page, &l) == -1);
	CHECK_STR(err, "no item XPath configured");
	posting_list_clear(&l);
}

/* An expression that searches the whole page from every item costs items x page: the work
 * limit stops it with an error that says what to change. */
static void test_html_work_limit(void)
{
	struct config_source src = {.name = "w",
				    .type = "html",
				    .url = "https://example.com/jobs",
				    .xpath_item = "//div[@class='job']",
				    .xpath_title = "//b"};
	struct posting_list l = {0};
	struct buf page = BUF_INIT;

	for (int i = 0; i < 2500; i++)
		buf_printf(&page, "<div class='job'><b>Job %d</b><a href='/j/%d'>x</a></div>", i,
			   i);
	CHECK(parse(&src, page.data, &l) == -1);
	CHECK_STR(err, "title XPath failed: it needed too much work on this page (it starts with "
		       "/, so it searches the whole page from every item: start it with .// "
		       "instead)");
	CHECK_NUM(l.len, 0);
	src.xpath_title = ".//b";
	CHECK(parse(&src, page.data, &l) == 0);
	CHECK_NUM(l.len, 2500);
	posting_list_clear(&l);
	buf_free(&page);
}

/* Titles, numbers and booleans: an expression may give a value instead of nodes. */
static void test_html_value_expressions(void)
{
	struct config_source src = html_src();
	struct posting_list l = {0};

	src.xpath_title = "concat(normalize-space(.//h3), ' (', .//span[@class='team'], ')')";
	src.xpath_department = "count(.//span)";
	CHECK(parse(&src, careers_page, &l) == 0);
	CHECK_NUM(l.len, 3);
	if (l.len == 3) {
		CHECK_STR(l.items[0].title, "Senior Backend Engineer (Engineering)");
		CHECK_STR(l.items[0].department, "2");
	}
	posting_list_clear(&l);
}

/* A Latin-1 page that says so: its text comes out as UTF-8. */
static void test_html_latin1(void)
{
	struct config_source src = {
	    .name = "l", .type = "html", .url = "https://example.ch/jobs", .xpath_item = "//li"};
	struct posting_list l = {0};

	CHECK(parse(&src,
		    "<html><head><meta charset=\"iso-8859-1\"></head><body><ul>"
		    "<li><a href=\"/z\">Ing\xe9nieur \xe0 Z\xfcrich</a></li></ul></body></html>",
		    &l) == 0);
	CHECK_NUM(l.len, 1);
	if (l.len == 1)
		CHECK_STR(l.items[0].title, "Ingénieur à Zürich");
	posting_list_clear(&l);
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

/* Issue 21.7: each item's text was read outside the XPath work limit, so items nested in
 * each other (each holding most of the page) cost the page's size once per item. */
static void test_nested_items(void)
{
	struct config_source src = {.name = "n",
				    .type = "html",
				    .url = "https://n.example/",
				    .xpath_item = "//div[@class='i']"};
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
	CHECK(parse(&src, b.data, &l) == -1);
	CHECK(strstr(err, "too much work") != NULL);
	CHECK_NUM(l.len, 0);
	CHECK(harness_cpu() - t0 < 4.0);
	posting_list_clear(&l);
	buf_free(&b);
}

int main(void)
{
	RUN(test_tracking_table);
	RUN(test_nested_items);
	RUN(test_html_first);
	RUN(test_html_careers_page);
	RUN(test_html_defaults);
	RUN(test_html_id);
	RUN(test_html_malformed_items);
	RUN(test_html_broken_markup);
	RUN(test_html_base_href);
	RUN(test_html_no_match);
	RUN(test_html_all_dropped);
	RUN(test_html_bad_expressions);
	RUN(test_html_work_limit);
	RUN(test_html_value_expressions);
	RUN(test_html_latin1);
	RUN(test_html_xpath_check);
	return harness_end();
}
