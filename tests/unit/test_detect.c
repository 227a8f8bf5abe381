/* test_detect.c - recognition from a URL alone (every host pattern, with the exact API URL,
 * and look-alikes that must not match), from a page (the real iCIMS JSON-LD page, each kind
 * of embed), board URLs, and the names --probe suggests. */
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "harness.h"
#include "source.h"

struct url_case {
	const char *url, *type, *api;
};

static const struct url_case positives[] = {
    /* Greenhouse: hosted boards, EU, embeds, the API itself */
    {"https://boards.greenhouse.io/databricks", "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/databricks/"
     "jobs?content=true&pay_transparency=true"},
    {"https://job-boards.greenhouse.io/anthropic/jobs/4012345008?gh_src=abc", "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/anthropic/"
     "jobs?content=true&pay_transparency=true"},
    {"HTTPS://Job-Boards.EU.Greenhouse.IO/luno#top", "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/luno/jobs?content=true&pay_transparency=true"},
    {"https://boards.eu.greenhouse.io/luno", "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/luno/jobs?content=true&pay_transparency=true"},
    {"https://boards.greenhouse.io/embed/job_board?for=stripe&b=https%3A%2F%2Fstripe.com",
     "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/stripe/jobs?content=true&pay_transparency=true"},
    {"https://job-boards.greenhouse.io/embed/job_app?token=123&for=gitlab", "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true&pay_transparency=true"},
    {"https://user:pw@boards.greenhouse.io:443/airbnb", "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/airbnb/jobs?content=true&pay_transparency=true"},
    {"https://boards.greenhouse.io./airbnb", "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/airbnb/jobs?content=true&pay_transparency=true"},
    {"https://boards-api.greenhouse.io/v1/boards/x/jobs", "greenhouse",
     "https://boards-api.greenhouse.io/v1/boards/x/jobs"},
    /* Lever */
    {"https://jobs.lever.co/spotify/", "lever",
     "https://api.lever.co/v0/postings/spotify?mode=json"},
    {"https://jobs.lever.co/palantir/3f1c-uuid/apply", "lever",
     "https://api.lever.co/v0/postings/palantir?mode=json"},
    {"https://jobs.eu.lever.co/mamamoney", "lever",
     "https://api.eu.lever.co/v0/postings/mamamoney?mode=json"},
    {"https://api.lever.co/v0/postings/x?mode=json", "lever",
     "https://api.lever.co/v0/postings/x?mode=json"},
    /* Ashby: the board name keeps its case and its escapes */
    {"https://jobs.ashbyhq.com/Linear", "ashby",
     "https://api.ashbyhq.com/posting-api/job-board/Linear?includeCompensation=true"},
    {"https://jobs.ashbyhq.com/open%20ai/5a1b?utm_source=x", "ashby",
     "https://api.ashbyhq.com/posting-api/job-board/open%20ai?includeCompensation=true"},
    {"https://api.ashbyhq.com/posting-api/job-board/notion", "ashby",
     "https://api.ashbyhq.com/posting-api/job-board/notion"},
    /* Workday: locale or not, job links, myworkdaysite */
    {"https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite", "workday",
     "https://nvidia.wd5.myworkdayjobs.com/wday/cxs/nvidia/NVIDIAExternalCareerSite/jobs"},
    {"https://salesforce.wd12.myworkdayjobs.com/External_Career_Site/job/CA/x_JR1", "workday",
     "https://salesforce.wd12.myworkdayjobs.com/wday/cxs/salesforce/External_Career_Site/jobs"},
    {"https://Synchrony.WD1.myworkdayjobs.com/fr-CA/Careers?q=x", "workday",
     "https://synchrony.wd1.myworkdayjobs.com/wday/cxs/synchrony/Careers/jobs"},
    {"https://wd3.myworkdaysite.com/en-US/recruiting/acme/External", "workday",
     "https://wd3.myworkdaysite.com/wday/cxs/acme/External/jobs"},
    {"https://nvidia.wd5.myworkdayjobs.com/wday/cxs/nvidia/Site/jobs", "workday",
     "https://nvidia.wd5.myworkdayjobs.com/wday/cxs/nvidia/Site/jobs"},
    /* SmartRecruiters */
    {"https://careers.smartrecruiters.com/WesternDigital", "smartrecruiters",
     "https://api.smartrecruiters.com/v1/companies/WesternDigital/postings"},
    {"https://jobs.smartrecruiters.com/Visa/744000012345-engineer", "smartrecruiters",
     "https://api.smartrecruiters.com/v1/companies/Visa/postings"},
    {"https://api.smartrecruiters.com/v1/companies/Visa/postings?limit=100", "smartrecruiters",
     "https://api.smartrecruiters.com/v1/companies/Visa/postings?limit=100"},
    /* Eightfold: Netflix, tenants with and without ?domain= */
    {"https://jobs.netflix.com/search?q=ml", "eightfold",
     "https://explore.jobs.netflix.net/api/apply/v2/jobs?domain=netflix.com"},
    {"https://explore.jobs.netflix.net/careers?domain=netflix.com", "eightfold",
     "https://explore.jobs.netflix.net/api/apply/v2/jobs?domain=netflix.com"},
    {"https://albemarle.eightfold.ai/careers?domain=albemarle.com&start=0", "eightfold",
     "https://albemarle.eightfold.ai/api/apply/v2/jobs?domain=albemarle.com"},
    {"https://fcx.eightfold.ai/careers", "eightfold",
     "https://fcx.eightfold.ai/api/apply/v2/jobs?domain=fcx.com"},
    /* the subdomain boards */
    {"https://channable.recruitee.com/o/data-engineer", "recruitee",
     "https://channable.recruitee.com/api/offers/"},
    {"https://apply.workable.com/zaelab/", "workable",
     "https://apply.workable.com/api/v1/widget/accounts/zaelab?details=true"},
    {"https://apply.workable.com/zego/j/ABC123/", "workable",
     "https://apply.workable.com/api/v1/widget/accounts/zego?details=true"},
    {"https://career.teamtailor.com/jobs", "teamtailor", "https://career.teamtailor.com/jobs.json"},
    {"https://acme.na.teamtailor.com/", "teamtailor", "https://acme.na.teamtailor.com/jobs.json"},
    {"https://1komma5.jobs.personio.de/?language=en", "personio",
     "https://1komma5.jobs.personio.de/xml"},
    {"https://acme.jobs.personio.com/job/123", "personio", "https://acme.jobs.personio.com/xml"},
    {"https://acme.bamboohr.com/careers", "bamboohr", "https://acme.bamboohr.com/careers/list"},
    {"http://acme.bamboohr.com/jobs/", "bamboohr", "https://acme.bamboohr.com/careers/list"},
};

static void test_detect_hosts(void)
{
	for (size_t i = 0; i < sizeof(positives) / sizeof(positives[0]); i++) {
		char *api = NULL;
		const char *type = detect_url(positives[i].url, &api);
		if (type == NULL || strcmp(type, positives[i].type) != 0 || api == NULL ||
		    strcmp(api, positives[i].api) != 0) {
			printf("# %s: got %s %s, expected %s %s\n", positives[i].url,
			       type ? type : "(none)", api ? api : "(none)", positives[i].type,
			       positives[i].api);
			harness_cur_failed++;
		}
		free(api);
	}
}

static const char *const negatives[] = {
    "https://evil-greenhouse.io/acme",
    "https://boards.greenhouse.io.evil.com/acme",
    "https://evilboards.greenhouse.io/acme",
    "https://greenhouse.io/acme",
    "https://boards.greenhouse.io/",
    "https://boards.greenhouse.io",
    "https://boards.greenhouse.io/embed/job_board",		   /* no "for" */
    "https://boards.greenhouse.io/embed/job_board?for=a%2Fb/../x", /* not a safe name */
    "https://boards.greenhouse.io/..",
    "https://evil.com/?u=https://boards.greenhouse.io/acme",
    "https://evil.com#@boards.greenhouse.io/acme",
    "https://evil.com\\@boards.greenhouse.io/acme",
    "https://boards.greenhouse.io\\@evil.com/acme",
    "https://boards%2egreenhouse.io/acme",
    "ftp://boards.greenhouse.io/acme",
    "boards.greenhouse.io/acme",
    "https://jobs.lever.co.evil.com/acme",
    "https://notjobs.lever.co/acme",
    "https://lever.co/acme",
    "https://jobs.ashbyhq.com.evil.net/x",
    "https://ashbyhq.com/x",
    "https://myworkdayjobs.com/en-US/Site",
    "https://evilmyworkdayjobs.com/Site",
    "https://a.b.c.myworkdayjobs.com/Site",
    "https://nvidia.wd5.myworkdayjobs.com/",
    "https://nvidia.wd5.myworkdayjobs.com/en-US",
    "https://smartrecruiters.com/Visa",
    "https://careers.smartrecruiters.com/",
    "https://netflix.com/jobs",
    "https://jobs.netflix.com.evil.com/",
    "https://eightfold.ai/careers",
    "https://app.eightfold.ai/careers",
    "https://recruitee.com/",
    "https://www.recruitee.com/en/pricing",
    "https://acme.recruitee.com.evil.com/",
    "https://a.b.recruitee.com/",
    "https://workable.com/acme",
    "https://apply.workable.com/",
    "https://apply.workable.com/j/ABC123",
    "https://teamtailor.com/",
    "https://www.teamtailor.com/en/",
    "https://jobs.personio.de/",
    "https://personio.de/acme",
    "https://acme.personio.de/",
    "https://bamboohr.com/careers",
    "https://www.bamboohr.com/careers",
    "https://acme.bamboohr.co/careers",
    "https://[::1]/acme",
    "https://example.com/careers",
    "",
};

static void test_detect_lookalikes(void)
{
	for (size_t i = 0; i < sizeof(negatives) / sizeof(negatives[0]); i++) {
		char *api = (char *)"unset";
		const char *type = detect_url(negatives[i], &api);
		if (type != NULL || api != NULL) {
			printf("# %s: recognised as %s %s\n", negatives[i], type ? type : "(none)",
			       api ? api : "(none)");
			harness_cur_failed++;
		}
		free(api);
	}
	char *api = (char *)"unset";
	CHECK(detect_url(NULL, &api) == NULL && api == NULL);
}

static void test_board_urls(void)
{
	static const char *const want[][3] = {
	    {"greenhouse", "acme",
	     "https://boards-api.greenhouse.io/v1/boards/acme/"
	     "jobs?content=true&pay_transparency=true"},
	    {"lever", "acme", "https://api.lever.co/v0/postings/acme?mode=json"},
	    {"ashby", "acme",
	     "https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true"},
	    {"smartrecruiters", "acme",
	     "https://api.smartrecruiters.com/v1/companies/acme/postings"},
	    {"recruitee", "acme", "https://acme.recruitee.com/api/offers/"},
	    {"workable", "acme",
	     "https://apply.workable.com/api/v1/widget/accounts/acme?details=true"},
	    {"teamtailor", "acme", "https://acme.teamtailor.com/jobs.json"},
	    {"personio", "acme", "https://acme.jobs.personio.de/xml"},
	    {"bamboohr", "acme", "https://acme.bamboohr.com/careers/list"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char *url = source_board_url(want[i][0], want[i][1]);
		CHECK_STR(url, want[i][2]);
		free(url);
	}
	CHECK(source_board_url("jsonld", "acme") == NULL);
	CHECK(source_board_url("workday", "acme") == NULL);
	CHECK(source_board_url("auto", "acme") == NULL);
}

/* Every board URL an adapter builds is recognised as that adapter's, to be polled as it is:
 * the board form and the recogniser of a registry entry agree. */
static void test_board_urls_recognised(void)
{
	const char *const *types = source_types();

	for (size_t i = 0; types[i]; i++) {
		char *url = source_board_url(types[i], "acme"), *api = NULL;
		if (url == NULL)
			continue;
		const char *type = detect_url(url, &api);
		CHECK_STR(type, types[i]);
		CHECK_STR(api, url);
		free(api);
		free(url);
	}
}

static int str_cmp(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* Run detect_page on body; expect type and api (NULL: nothing recognised). */
static void page_is(const char *body, const char *type, const char *api, int line)
{
	const char *got = NULL;
	char *got_api = NULL;
	bool found =
	    detect_page(body, strlen(body), "https://www.acme.com/careers", &got, &got_api);
	if (found != (type != NULL) || str_cmp(got, type) || str_cmp(got_api, api)) {
		printf("# line %d: got %s %s, expected %s %s\n", line, got ? got : "(none)",
		       got_api ? got_api : "(none)", type ? type : "(none)", api ? api : "(none)");
		harness_cur_failed++;
	}
	free(got_api);
}

#define GH_API(b)                                                                                  \
	"https://boards-api.greenhouse.io/v1/boards/" b "/jobs?content=true&pay_transparency=true"

static void test_page_embeds(void)
{
	/* Greenhouse: the iframe, the grnhse script, the new host, an &amp; in an attribute */
	page_is("<html><body><iframe src=\"https://boards.greenhouse.io/embed/job_board?for=acme\">"
		"</iframe></body></html>",
		"greenhouse", GH_API("acme"), __LINE__);
	page_is("<div id=\"grnhse_app\"></div><script src=\"https://boards.greenhouse.io/embed/"
		"job_board/js?for=Acme_Inc\"></script>",
		"greenhouse", GH_API("Acme_Inc"), __LINE__);
	page_is("<iframe src='//job-boards.greenhouse.io/embed/job_board?b=x&amp;for=acme2'>",
		"greenhouse", GH_API("acme2"), __LINE__);
	page_is("<a href=\"https://job-boards.greenhouse.io/acme3/jobs/123\">Apply</a>",
		"greenhouse", GH_API("acme3"), __LINE__);
	/* JSON inside a script escapes its slashes */
	page_is("<script>window.cfg={\"board\":\"https:\\/\\/boards.greenhouse.io\\/embed\\/"
		"job_board?for=esc\"}</script>",
		"greenhouse", GH_API("esc"), __LINE__);
	/* Lever links, Ashby iframe and script */
	page_is("<ul><li><a href=\"https://jobs.lever.co/acme/0a1b-uuid\">Engineer</a></li></ul>",
		"lever", "https://api.lever.co/v0/postings/acme?mode=json", __LINE__);
	page_is("<iframe src=\"https://jobs.ashbyhq.com/Acme/embed?version=2\"></iframe>", "ashby",
		"https://api.ashbyhq.com/posting-api/job-board/Acme?includeCompensation=true",
		__LINE__);
	page_is("<script src=\"https://jobs.ashbyhq.com/acme/embed.js\"></script>", "ashby",
		"https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true",
		__LINE__);
	/* lever-jobs-embed names the site in a script */
	page_is("<div id=\"lever-jobs-container\"></div><script>window.leverJobsOptions = "
		"{accountName: 'leverdemo', includeCss: true};</script>",
		"lever", "https://api.lever.co/v0/postings/leverdemo?mode=json", __LINE__);
	page_is("<script>leverJobsOptions={\"accountName\":\"acme-co\"}</script>", "lever",
		"https://api.lever.co/v0/postings/acme-co?mode=json", __LINE__);
	page_is("<script>leverJobsOptions={accountName: ''}</script>", NULL, NULL, __LINE__);
	page_is("leverJobsOptions accountName", NULL, NULL, __LINE__);
	/* the other boards, by link */
	page_is(
	    "<a href=\"https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite\">",
	    "workday",
	    "https://nvidia.wd5.myworkdayjobs.com/wday/cxs/nvidia/NVIDIAExternalCareerSite/jobs",
	    __LINE__);
	page_is("<a href=\"https://careers.smartrecruiters.com/Visa\">", "smartrecruiters",
		"https://api.smartrecruiters.com/v1/companies/Visa/postings", __LINE__);
	page_is("<a href=\"https://acme.recruitee.com/\">", "recruitee",
		"https://acme.recruitee.com/api/offers/", __LINE__);
	page_is("<a href=\"https://apply.workable.com/acme/\">", "workable",
		"https://apply.workable.com/api/v1/widget/accounts/acme?details=true", __LINE__);
	page_is("<a href=\"https://acme.jobs.personio.de/\">", "personio",
		"https://acme.jobs.personio.de/xml", __LINE__);
	page_is("<a href=\"https://acme.bamboohr.com/careers\">", "bamboohr",
		"https://acme.bamboohr.com/careers/list", __LINE__);
	page_is("<a href=\"https://acme.teamtailor.com/jobs\">", "teamtailor",
		"https://acme.teamtailor.com/jobs.json", __LINE__);
	/* an embedded board outranks a link to another board, wherever it is */
	page_is("<a href=\"https://acme.bamboohr.com/careers\"></a><a "
		"href=\"https://jobs.lever.co/acme\"></a>",
		"lever", "https://api.lever.co/v0/postings/acme?mode=json", __LINE__);
	/* look-alikes and nothing */
	page_is("<a href=\"https://evil-greenhouse.io/embed/job_board?for=x\">"
		"<a href=\"https://jobs.lever.co.evil.com/x\">// a comment // http:// "
		"<a href=\"/careers/1\">",
		NULL, NULL, __LINE__);
	page_is("<html><body><p>We are hiring!</p></body></html>", NULL, NULL, __LINE__);
	page_is("/", NULL, NULL, __LINE__);
	page_is("//", NULL, NULL, __LINE__);
	page_is("\\/", NULL, NULL, __LINE__);
	const char *type = "x";
	char *api = (char *)"x";
	CHECK(!detect_page(NULL, 0, "https://a.b/", &type, &api) && type == NULL && api == NULL);
}

static void test_page_jsonld(void)
{
	size_t len;
	char *body = harness_read("schemaorg/icims_sig_job_jsonld.html", &len);
	const char *url = "https://careers-sig.icims.com/jobs/11169/"
			  "trading-system-engineering-internship%3a-summer-2027/job";
	const char *type = NULL;
	char *api = NULL;

	CHECK(detect_page(body, len, url, &type, &api));
	CHECK_STR(type, "jsonld");
	CHECK_STR(api, url);
	free(api);
	free(body);
	/* a JSON-LD posting outranks a link to another board (an "apply" link, say) */
	page_is("<a href=\"https://apply.workable.com/acme/j/123\">apply</a><script "
		"type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":"
		"\"JobPosting\",\"title\":\"Baker\"}</script>",
		"jsonld", "https://www.acme.com/careers", __LINE__);
	/* JSON-LD that is no JobPosting is not a board */
	page_is("<script type=\"application/ld+json\">{\"@type\":\"Organization\",\"name\":\"A\"}"
		"</script>",
		NULL, NULL, __LINE__);
}

/* Issue 21.2: every "//" of a page was a link copied up to 4 KB: a page of '/' cost 6 s a MB,
 * with the one loop stalled. And issue 21.1: an untyped page of JSON-LD objects reached
 * jv_parse without a bound (2 MB made 561 MB). Each costs well under 1 s a MB now. */
static void test_page_hostile(void)
{
	static const char *const units[] = {"/", "//a", "\\/", "https://x.example/?u=/"};
	const char *type;
	char *api;
	size_t len;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char *s =
		    harness_repeat("", units[i], 2 * 1024 * 1024 / strlen(units[i]), "", &len);
		double t0 = harness_cpu();
		CHECK(!detect_page(s, len, "https://acme.example/careers", &type, &api));
		double cpu = harness_cpu() - t0;
		if (cpu > 1.0)
			printf("# %s: %.2f s for 2 MB\n", units[i], cpu);
		CHECK(cpu < 1.0);
		free(s);
	}
	char *s = harness_repeat("<html><script type=\"application/ld+json\">[", "{},",
				 2 * 1024 * 1024 / 3, "{}]</script></html>", &len);
	double t0 = harness_cpu();
	CHECK(!detect_page(s, len, "https://acme.example/careers", &type, &api));
	CHECK(harness_cpu() - t0 < 1.0);
	free(s);
	/* a link inside a link is still found, after a run of slashes too */
	page_is("<a href=\"https://t.example/r?to=https://boards.greenhouse.io/acme\">x</a>",
		"greenhouse",
		"https://boards-api.greenhouse.io/v1/boards/acme/"
		"jobs?content=true&pay_transparency=true",
		__LINE__);
	page_is("////////////////////////////// <a href=\"https://jobs.lever.co/acme\">x</a>",
		"lever", "https://api.lever.co/v0/postings/acme?mode=json", __LINE__);
}

static void test_names(void)
{
	static const char *const want[][3] = {
	    {"greenhouse", GH_API("Acme_Inc"), "acme_inc"},
	    {"lever", "https://api.eu.lever.co/v0/postings/mamamoney?mode=json", "mamamoney"},
	    {"ashby",
	     "https://api.ashbyhq.com/posting-api/job-board/open%20ai?includeCompensation=true",
	     "open-20ai"},
	    {"workday", "https://nvidia.wd5.myworkdayjobs.com/wday/cxs/nvidia/Site/jobs", "nvidia"},
	    {"smartrecruiters", "https://api.smartrecruiters.com/v1/companies/Visa/postings",
	     "visa"},
	    {"workable", "https://apply.workable.com/api/v1/widget/accounts/zego?details=true",
	     "zego"},
	    {"eightfold", "https://explore.jobs.netflix.net/api/apply/v2/jobs?domain=netflix.com",
	     "netflix"},
	    {"recruitee", "https://channable.recruitee.com/api/offers/", "channable"},
	    {"jsonld", "https://careers.acme.com/jobs/1", "acme"},
	    {"jsonld", "https://www.example.co.uk/job", "example"},
	    {"jsonld", "http://127.0.0.1:8080/job", "source"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char *name = detect_name(want[i][0], want[i][1]);
		CHECK_STR(name, want[i][2]);
		free(name);
	}
}

int main(void)
{
	RUN(test_detect_hosts);
	RUN(test_detect_lookalikes);
	RUN(test_board_urls);
	RUN(test_board_urls_recognised);
	RUN(test_page_embeds);
	RUN(test_page_jsonld);
	RUN(test_page_hostile);
	RUN(test_names);
	return harness_end();
}
