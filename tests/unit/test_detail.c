/* test_detail.c - the detail reads of the adapters whose lists lack the description
 * (Eightfold classic and PCSX, Workday, SmartRecruiters): the request each builds for one
 * posting, and what each reads from the real detail payloads in tests/fixtures/detail. The
 * expected values were written from reading the payloads, not from running the code. */
#include "harness.h"

#include "source.h"

static char err[512];

static struct source_target src_of(const char *type, const char *url)
{
	struct source_target s = {0};
	s.type = type;
	s.url = url;
	return s;
}

/* The detail fixture read into a fresh posting; -1 when the adapter refuses it. */
static int detail(const struct source_target *src, const char *name, struct posting *p)
{
	const struct source_adapter *a = source_adapter_find(src->type);
	size_t len;
	char *body = harness_read(name, &len);

	memset(p, 0, sizeof(*p));
	pay_clear(&p->pay);
	err[0] = '\0';
	int rc = a->detail_parse(src, body, len, p, err, sizeof(err));
	free(body);
	return rc;
}

static int detail_str(const struct source_target *src, const char *body, struct posting *p)
{
	const struct source_adapter *a = source_adapter_find(src->type);

	memset(p, 0, sizeof(*p));
	pay_clear(&p->pay);
	err[0] = '\0';
	return a->detail_parse(src, body, strlen(body), p, err, sizeof(err));
}

/* The first stated range of p: min, max, currency, period. */
static void check_range(const struct posting *p, double min, double max, const char *cur,
			enum pay_period period)
{
	CHECK(p->nranges >= 1);
	if (p->nranges < 1)
		return;
	CHECK_NUM(p->ranges[0].pay.min, min);
	CHECK_NUM(p->ranges[0].pay.max, max);
	CHECK_STR(p->ranges[0].pay.currency, cur);
	CHECK(p->ranges[0].pay.period == period);
}

static char *request_url(const struct source_target *src, const char *id, const char *ref,
			 char **accept)
{
	const struct source_adapter *a = source_adapter_find(src->type);
	struct source_request req = {0};

	err[0] = '\0';
	if (a->detail_request(src, id, ref, &req, err, sizeof(err)) < 0)
		return NULL;
	char *url = req.url;
	*accept = req.accept;
	req.url = req.accept = NULL;
	source_request_clear(&req);
	return url;
}

static void eightfold_netflix(void)
{
	struct source_target s = src_of("eightfold", "https://explore.jobs.netflix.net/careers");
	struct posting p;

	/* "Our compensation structure consists solely of an annual salary … The range for this
	 * role is $600,000.00 - $1,066,000.00." */
	CHECK(detail(&s, "detail/eightfold/netflix_apply_v2_detail_790298014263.json", &p) == 0);
	check_range(&p, 600000, 1066000, "USD", PAY_PERIOD_YEAR);
	CHECK_STR(p.department, "Data & Insights");
	CHECK_STR(p.location, "USA - Remote");
	CHECK(strlen(p.digest) == 64);
	posting_free_fields(&p);

	/* the Mumbai role states no pay */
	CHECK(detail(&s, "detail/eightfold/netflix_apply_v2_detail_790317336766_trimmed.json",
		     &p) == 0);
	CHECK(!pay_is_set(&p.pay));
	CHECK(p.nranges == 0);
	CHECK_STR(p.location, "Mumbai,India");
	CHECK(strlen(p.digest) == 64);
	posting_free_fields(&p);
}

static void eightfold_microsoft(void)
{
	struct source_target s = src_of(
	    "eightfold", "https://apply.careers.microsoft.com/api/apply/v2/jobs?domain=m.com");
	struct posting p;

	/* IC5: "USD $142,800 - $274,800 per year" across the U.S.; SF Bay and NYC
	 * "USD $188,000 - $304,200 per year" */
	CHECK(detail(&s, "detail/eightfold/microsoft_apply_v2_detail_1970393556868060.json", &p) ==
	      0);
	check_range(&p, 142800, 274800, "USD", PAY_PERIOD_YEAR);
	CHECK(p.nranges == 2);
	if (p.nranges == 2) {
		CHECK_NUM(p.ranges[1].pay.min, 188000);
		CHECK_NUM(p.ranges[1].pay.max, 304200);
		CHECK_STR(p.ranges[1].pay.currency, "USD");
	}
	/* the summary is their envelope */
	CHECK_NUM(p.pay.min, 142800);
	CHECK_NUM(p.pay.max, 304200);
	posting_free_fields(&p);
}

static void eightfold_pcsx(void)
{
	struct source_target s =
	    src_of("eightfold",
		   "https://apply.careers.microsoft.com/api/pcsx/search?domain=microsoft.com");
	struct posting p;

	/* "IC4 - The typical base pay range for this role across United Kingdom is £ 74,700.00
	 * - £ 122,600.00 per year"; the blogs' "$60 million investment" is not read */
	CHECK(detail(&s, "detail/eightfold/microsoft_pcsx_position_details_1970393557002726.json",
		     &p) == 0);
	check_range(&p, 74700, 122600, "GBP", PAY_PERIOD_YEAR);
	CHECK_STR(p.department, "Electrical Engineering");
	CHECK_STR(p.location, "United Kingdom, London, London");
	posting_free_fields(&p);

	/* a tenant that refuses PCSX says why */
	CHECK(detail_str(&s, "{\"message\": \"Not authorized for PCSX\"}", &p) < 0);
	CHECK(strstr(err, "domain") != NULL);
	posting_free_fields(&p);
	CHECK(detail_str(&s, "{\"message\": \"PCSX is not enabled for this user.\"}", &p) < 0);
	CHECK(strstr(err, "classic") != NULL);
	posting_free_fields(&p);
}

static void eightfold_requests(void)
{
	struct source_target classic =
	    src_of("eightfold", "http://127.0.0.1:8080/api/apply/v2/jobs?domain=netflix.com");
	struct source_target pcsx =
	    src_of("eightfold", "http://127.0.0.1:8080/api/pcsx/search?domain=microsoft.com");
	struct source_target careers = src_of("eightfold", "https://jobs.netflix.com/");
	char *accept = NULL, *url;

	url = request_url(&classic, "790298014263", "790298014263", &accept);
	CHECK_STR(url, "http://127.0.0.1:8080/api/apply/v2/jobs/790298014263?domain=netflix.com");
	CHECK_STR(accept, "application/json");
	free(url);
	free(accept);
	url = request_url(&pcsx, "1970393557002726", "1970393557002726", &accept);
	CHECK_STR(url, "http://127.0.0.1:8080/api/pcsx/position_details?position_id="
		       "1970393557002726&domain=microsoft.com");
	free(url);
	free(accept);
	url = request_url(&careers, "790298014263", "790298014263", &accept);
	CHECK_STR(
	    url,
	    "https://explore.jobs.netflix.net/api/apply/v2/jobs/790298014263?domain=netflix.com");
	free(url);
	free(accept);
}

/* A Netflix list row has an empty description: it asks for its detail, t_update its mark. */
static void eightfold_list_rows(void)
{
	struct source_target s =
	    src_of("eightfold", "http://127.0.0.1:8080/api/apply/v2/jobs?domain=netflix.com");
	const struct source_adapter *a = source_adapter_find("eightfold");
	struct posting_list out = {0};
	struct source_walk w;
	struct source_request next = {0};
	size_t len;
	char *body =
	    harness_read("detail/eightfold/netflix_apply_v2_list_mumbai_trimmed.json", &len);

	source_walk_init(&w, 0);
	CHECK(a->parse(&s, &w, body, len, &out, &next, err, sizeof(err)) == 0);
	CHECK(out.len == 2);
	if (out.len >= 1) {
		CHECK_STR(out.items[0].external_id, "790317336766");
		CHECK_STR(out.items[0].detail_ref, "790317336766");
		CHECK_STR(out.items[0].detail_key, "1784851200");
		CHECK(!pay_is_set(&out.items[0].pay));
	}
	source_request_clear(&next);
	posting_list_clear(&out);
	free(body);
}

static void workday_details(void)
{
	struct source_target s =
	    src_of("workday", "https://bah.wd1.myworkdayjobs.com/wday/cxs/bah/BAH_Jobs/jobs");
	struct posting p;

	/* "The projected compensation range for this position is $52,900.00 to $108,000.00
	 * (annualized USD)." */
	CHECK(detail(&s, "detail/workday/boozallen_cxs_detail_R0249565.json", &p) == 0);
	check_range(&p, 52900, 108000, "USD", PAY_PERIOD_YEAR);
	CHECK_STR(p.location, "Annapolis Junction, MD");
	CHECK(p.department == NULL);
	posting_free_fields(&p);
	/* "… base salary range for this position is $134,750 - $180,250 annually" */
	CHECK(detail(&s, "detail/workday/salesforce_cxs_detail_JR361902_trimmed.json", &p) == 0);
	check_range(&p, 134750, 180250, "USD", PAY_PERIOD_YEAR);
	CHECK_STR(p.location, "California - Remote; Washington - Bellevue");
	posting_free_fields(&p);
	/* Fidelity and Kainos state none */
	CHECK(detail(&s, "detail/workday/fidelity_myworkdaysite_cxs_detail_2135674.json", &p) == 0);
	CHECK(!pay_is_set(&p.pay));
	CHECK_STR(p.location, "Westlake, TX");
	posting_free_fields(&p);
	CHECK(detail(&s, "detail/workday/kainos_cxs_detail_JR_18460.json", &p) == 0);
	CHECK(!pay_is_set(&p.pay));
	CHECK_STR(p.location, "Belfast; London; Homeworker - UK; Birmingham");
	posting_free_fields(&p);
	/* an HTML answer (Workday's edge without Accept) is no detail */
	CHECK(detail_str(&s, "<html><body>Workday</body></html>", &p) < 0);
	CHECK(strstr(err, "JSON") != NULL || strstr(err, "json") != NULL);
	posting_free_fields(&p);
	CHECK(detail_str(&s, "{\"errorCode\": \"S22\"}", &p) < 0);
	posting_free_fields(&p);
}

static void workday_requests(void)
{
	struct source_target s =
	    src_of("workday", "https://bah.wd1.myworkdayjobs.com/en-US/BAH_Jobs");
	struct source_target local =
	    src_of("workday", "http://127.0.0.1:9/wday/cxs/acme/Careers/jobs");
	char *accept = NULL;
	char *url = request_url(&s, "R0249565",
				"/job/Annapolis-Junction-MD/Systems-Administrator-Intern_R0249565",
				&accept);

	CHECK_STR(url, "https://bah.wd1.myworkdayjobs.com/wday/cxs/bah/BAH_Jobs/job/"
		       "Annapolis-Junction-MD/Systems-Administrator-Intern_R0249565");
	CHECK_STR(accept, "application/json");
	free(url);
	free(accept);
	url = request_url(&local, "R1", "/job/Boston/Role_R1", &accept);
	CHECK_STR(url, "http://127.0.0.1:9/wday/cxs/acme/Careers/job/Boston/Role_R1");
	free(url);
	free(accept);
	/* a path that tries to add a query or another host goes no further than the path */
	url = request_url(&local, "R1", "/job/x?y=1", &accept);
	CHECK_STR(url, "http://127.0.0.1:9/wday/cxs/acme/Careers/job/x");
	free(url);
	free(accept);
}

static void smartrecruiters_details(void)
{
	struct source_target s =
	    src_of("smartrecruiters", "https://api.smartrecruiters.com/v1/companies/acme/postings");
	struct posting p;

	/* additionalInformation: "The base pay range for this role is between $20 - $22 per
	 * hour paid bi-weekly" */
	CHECK(detail(
		  &s,
		  "detail/smartrecruiters/guidehealth_posting_detail_3743990015568355_trimmed.json",
		  &p) == 0);
	check_range(&p, 20, 22, "USD", PAY_PERIOD_HOUR);
	CHECK_STR(p.department, "Health Care Provider");
	CHECK_STR(p.location, "Dallas, TX, United States (remote)");
	CHECK(strlen(p.digest) == 64);
	posting_free_fields(&p);
	/* structured compensation {min 34, max 47, USD, HOURLY} */
	CHECK(detail(&s, "smartrecruiters/westerndigital_posting_detail.json", &p) == 0);
	check_range(&p, 34, 47, "USD", PAY_PERIOD_HOUR);
	CHECK_STR(p.ranges[0].pay.source, "smartrecruiters:compensation");
	posting_free_fields(&p);
	/* ServiceNow Frankfurt states none; Visa's sections are all empty */
	CHECK(detail(&s, "detail/smartrecruiters/servicenow_posting_detail_744000153504297.json",
		     &p) == 0);
	CHECK(!pay_is_set(&p.pay));
	CHECK_STR(p.department, "Sales");
	posting_free_fields(&p);
	CHECK(
	    detail(&s,
		   "detail/smartrecruiters/visa_posting_detail_744000133907678_empty_sections.json",
		   &p) == 0);
	CHECK(!pay_is_set(&p.pay));
	posting_free_fields(&p);
	/* the nested form {"salary": {…}} some clients read */
	CHECK(detail_str(&s,
			 "{\"jobAd\": {\"sections\": {}}, \"compensation\": {\"salary\": {\"min\": "
			 "90000, \"max\": 120000, \"currency\": \"EUR\", \"period\": \"YEARLY\"}}}",
			 &p) == 0);
	check_range(&p, 90000, 120000, "EUR", PAY_PERIOD_YEAR);
	posting_free_fields(&p);
	/* a list page is no detail */
	CHECK(detail(&s, "detail/smartrecruiters/servicenow_postings_list_limit3.json", &p) < 0);
	CHECK(strstr(err, "jobAd") != NULL);
	posting_free_fields(&p);
}

static void smartrecruiters_requests(void)
{
	struct source_target s = src_of(
	    "smartrecruiters", "http://127.0.0.1:9/v1/companies/acme/postings?offset=0&limit=100");
	char *accept = NULL;
	char *url = request_url(&s, "3743990015568355", "3743990015568355", &accept);

	CHECK_STR(url, "http://127.0.0.1:9/v1/companies/acme/postings/3743990015568355");
	free(url);
	free(accept);
}

/* SmartRecruiters' list rows carry no ad: each asks for its detail. */
static void smartrecruiters_list_rows(void)
{
	struct source_target s =
	    src_of("smartrecruiters", "https://api.smartrecruiters.com/v1/companies/x/postings");
	const struct source_adapter *a = source_adapter_find("smartrecruiters");
	struct posting_list out = {0};
	struct source_walk w;
	struct source_request next = {0};
	size_t len;
	char *body =
	    harness_read("detail/smartrecruiters/servicenow_postings_list_limit3.json", &len);

	source_walk_init(&w, 0);
	CHECK(a->parse(&s, &w, body, len, &out, &next, err, sizeof(err)) == 0);
	CHECK(out.len == 3);
	for (size_t i = 0; i < out.len; i++)
		CHECK_STR(out.items[i].detail_ref, out.items[i].external_id);
	if (out.len >= 1)
		CHECK(out.items[0].detail_key && strstr(out.items[0].detail_key, "2026-10-05"));
	source_request_clear(&next);
	posting_list_clear(&out);
	free(body);
}

int main(void)
{
	RUN(eightfold_netflix);
	RUN(eightfold_microsoft);
	RUN(eightfold_pcsx);
	RUN(eightfold_requests);
	RUN(eightfold_list_rows);
	RUN(workday_details);
	RUN(workday_requests);
	RUN(smartrecruiters_details);
	RUN(smartrecruiters_requests);
	RUN(smartrecruiters_list_rows);
	return harness_end();
}
