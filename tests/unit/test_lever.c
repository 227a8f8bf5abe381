/* test_lever.c - the Lever adapter on real postings payloads (tests/fixtures/lever, see its
 * PROVENANCE.md) and on small inline arrays for the edges. */
#include "adapter_harness.h"

#include "source.h"

static const struct config_source lever_src = {
    .name = "t",
    .type = "lever",
    .url = "https://api.lever.co/v0/postings/x?mode=json",
};

static void test_lever_first(void)
{
	const struct source_adapter *a = source_adapter_find("lever");
	struct source_walk w;
	struct source_request req = {0};
	struct config_source none = {.name = "n", .type = "lever"};

	CHECK(a != NULL);
	source_walk_init(&w, 0);
	CHECK(a->first(&lever_src, &w, &req, err, sizeof(err)) == 0);
	CHECK_STR(req.url, lever_src.url);
	source_request_clear(&req);
	CHECK(a->first(&none, &w, &req, err, sizeof(err)) == -1);
	CHECK(req.url == NULL);
}

static void test_lever_matchgroup(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&lever_src, "lever/matchgroup_sample_2postings.json", &l) == 0);
	CHECK_NUM(l.len, 2);
	struct posting *p = posting_list_find(&l, "3414ba28-35f7-45d3-8e13-35c883959635");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Android Engineer III");
		CHECK_STR(p->department, "Hinge");
		CHECK_STR(p->location, "New York, New York");
		CHECK_STR(p->url,
			  "https://jobs.lever.co/matchgroup/3414ba28-35f7-45d3-8e13-35c883959635");
		CHECK_NUM(p->pay.min, 150000);
		CHECK_NUM(p->pay.max, 180000);
		CHECK_STR(p->pay.currency, "USD");
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK(!p->pay.period_inferred);
		CHECK_STR(p->pay.source, "lever:salaryRange");
		/* salaryDescriptionPlain: the human text that goes with the range */
		CHECK(p->pay_text && strncmp(p->pay_text, "Factors such as scope", 21) == 0);
		CHECK(strlen(p->digest) == 64);
	}
	p = posting_list_find(&l, "4004a95b-ed89-4193-ad1a-a2ed5d4703d5");
	CHECK(p && strcmp(p->location, "Seoul, South Korea") == 0);
	CHECK(p && strcmp(p->department, "Hyperconnect") == 0);
	CHECK(p && strcmp(p->pay.source, "lever:salaryRange") != 0);
	posting_list_clear(&l);
}

static void test_lever_theodo(void)
{
	struct posting_list l = {0};
	size_t ranges = 0;

	CHECK(adapter_parse_fixture(&lever_src, "lever/theodo_20260817T130625393955Z.json", &l) ==
	      0);
	CHECK_NUM(l.len, 135);
	CHECK_NUM(l.dropped, 0);
	for (size_t i = 0; i < l.len; i++)
		ranges += strcmp(l.items[i].pay.source, "lever:salaryRange") == 0;
	CHECK_NUM(ranges, 6);
	struct posting *p = posting_list_find(&l, "1dc8628a-9670-4ee0-bf47-b345a43fdb17");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title,
			  "Consultant SDLC & IA Agentique - CDI Paris - Theodo Data & AI");
		CHECK_STR(p->location, "Paris");
		CHECK_NUM(p->pay.min, 44000);
		CHECK_NUM(p->pay.max, 80000);
		CHECK_STR(p->pay.currency, "EUR");
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK_STR(p->pay_text, NULL);
	}
	p = posting_list_find(&l, "ee8db412-29ea-4913-93d6-e3b99fa55453");
	CHECK(p && p->pay.min == 1500 && p->pay.max == 1500 && p->pay.period == PAY_PERIOD_MONTH);
	/* "SRE / DevOps - Stage de fin d'études - Paris -  Theodo Cloud": blanks folded */
	p = posting_list_find(&l, "140f48e4-ba37-4afb-8bed-0294292ed538");
	CHECK(p &&
	      strcmp(p->title, "SRE / DevOps - Stage de fin d'études - Paris - Theodo Cloud") == 0);
	posting_list_clear(&l);
}

static void test_lever_yassir(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&lever_src, "lever/Yassir_20260820T204643941771Z.json", &l) ==
	      0);
	CHECK_NUM(l.len, 142);
	/* salaryRange {0, 0} DZD is Lever's "not stated" */
	struct posting *p = posting_list_find(&l, "1eddf301-02e0-4057-a69e-579c6f7e15b1");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "Sales Representative (Tizi Ouzou)");
		CHECK_STR(p->location, "Algeria (East)");
		CHECK_STR(p->department, "Operations");
		CHECK(strcmp(p->pay.source, "lever:salaryRange") != 0);
		CHECK(!(p->pay.min == 0 && p->pay.max == 0));
	}
	/* no department and no team */
	p = posting_list_find(&l, "f80503be-b23a-41b5-88e4-d7b342ef5b76");
	CHECK(p && p->department == NULL);
	CHECK(p && strcmp(p->location, "Johannesburg, South Africa") == 0);
	p = posting_list_find(&l, "e0bb8fb6-9bcf-40d8-a1bf-6c517ad2e4e4");
	CHECK(p && strcmp(p->title, "Agent de sécurité") == 0);
	CHECK(p && strcmp(p->department, "Finance and Legal") == 0);
	posting_list_clear(&l);
}

static void test_lever_other_boards(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&lever_src, "lever/mamamoney_20260808T195722760851Z.json",
				    &l) == 0);
	CHECK_NUM(l.len, 13);
	struct posting *p = posting_list_find(&l, "d2c9259c-f3b6-43ec-af30-f394ff72458f");
	CHECK(p && strcmp(p->department, "Growth") == 0 &&
	      strcmp(p->location, "Cape Town, ZA") == 0);
	posting_list_clear(&l);

	/* department absent: team stands in */
	CHECK(adapter_parse_fixture(&lever_src, "lever/idealist_careerkit_trimmed.json", &l) == 0);
	CHECK_NUM(l.len, 2);
	p = posting_list_find(&l, "a24ec4e5-5caa-473d-abd4-b71f09a8167b");
	CHECK(p && strcmp(p->department, "Services Team") == 0);
	CHECK(p && strcmp(p->location, "Chicago, IL") == 0);
	posting_list_clear(&l);

	CHECK(adapter_parse_fixture(&lever_src, "lever/palantir_hunter.json", &l) == 0);
	CHECK_NUM(l.len, 2);
	/* same title, two locations, two ids, two postings */
	CHECK(strcmp(l.items[0].external_id, l.items[1].external_id) != 0);
	posting_list_clear(&l);
}

static void test_lever_inline_pay(void)
{
	struct posting_list l = {0};
	const char *body =
	    "[{\"id\":\"a\",\"text\":\"A\",\"salaryRange\":{\"currency\":\"usd\","
	    "\"interval\":\"per-hour-wage\",\"max\":30.5,\"min\":25}},"
	    "{\"id\":\"b\",\"text\":\"B\",\"salaryRange\":{\"min\":90000,\"currency\":\"GBP\","
	    "\"interval\":\"per-year-salary\"}},"
	    "{\"id\":\"c\",\"text\":\"C\",\"salaryRange\":{\"min\":0,\"max\":0,\"currency\":"
	    "\"EUR\"}},"
	    "{\"id\":\"d\",\"text\":\"D\",\"salaryRange\":\"lots\"},"
	    "{\"id\":\"e\",\"text\":\"E\",\"salaryRange\":{\"min\":1,\"max\":2,\"currency\":"
	    "\"dollars\","
	    "\"interval\":\"one-time\"}}]";

	CHECK(adapter_parse_str(&lever_src, body, &l) == 0);
	CHECK_NUM(l.len, 5);
	struct posting *p = posting_list_find(&l, "a");
	CHECK(p && p->pay.min == 25 && p->pay.max == 30.5 && p->pay.period == PAY_PERIOD_HOUR);
	CHECK(p && strcmp(p->pay.currency, "USD") == 0);
	p = posting_list_find(&l, "b");
	CHECK(p && p->pay.min == 90000 && isnan(p->pay.max) && p->pay.period == PAY_PERIOD_YEAR);
	p = posting_list_find(&l, "c");
	CHECK(p && !pay_is_set(&p->pay));
	p = posting_list_find(&l, "d");
	CHECK(p && !pay_is_set(&p->pay));
	p = posting_list_find(&l, "e"); /* an amount with no usable currency or period stays */
	CHECK(p && p->pay.min == 1 && p->pay.currency[0] == '\0' &&
	      p->pay.period == PAY_PERIOD_NONE);
	posting_list_clear(&l);
}

static void test_lever_fields(void)
{
	struct posting_list l = {0};
	const char *body =
	    "[{\"id\":\"a\",\"text\":\"  A\\n title \",\"categories\":{\"team\":\"T\","
	    "\"allLocations\":[\"Paris\",\" Lyon "
	    "\",3]},\"hostedUrl\":\"https://jobs.lever.co/x/a\","
	    "\"descriptionPlain\":\"Hello\\n\\n world \",\"lists\":[{\"text\":\"Do\","
	    "\"content\":\"<li>one</li><li>two</li>\"}],\"additionalPlain\":\"Bye\"},"
	    "{\"id\":\"b\",\"text\":\"B\",\"description\":\"<p>Hello</p><p>world</p>\","
	    "\"lists\":[{\"text\":\"Do\",\"content\":\"<li>one</li>\\n<li>two</li>\"}],"
	    "\"additional\":\"<b>Bye</b>\"},"
	    "{\"id\":\"c\",\"text\":\"C\",\"categories\":[]}]";

	CHECK(adapter_parse_str(&lever_src, body, &l) == 0);
	CHECK_NUM(l.len, 3);
	struct posting *p = posting_list_find(&l, "a");
	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->title, "A title");
		CHECK_STR(p->department, "T");
		CHECK_STR(p->location, "Paris; Lyon");
		CHECK_STR(p->url, "https://jobs.lever.co/x/a");
	}
	/* plain fields or HTML ones: the same text, the same digest */
	CHECK_STR(l.items[0].digest, l.items[1].digest);
	CHECK_STR(l.items[2].digest, "");
	CHECK_STR(l.items[2].department, NULL);
	posting_list_clear(&l);
}

static void test_lever_envelopes(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_str(&lever_src, "{\"ok\":false,\"error\":\"Document not found\"}",
				&l) == -1);
	CHECK(
	    strstr(err, "expected a JSON array of postings, found an error: Document not found") !=
	    NULL);
	CHECK(adapter_parse_str(&lever_src, "{\"jobs\":[]}", &l) == -1);
	CHECK(strstr(err, "found an object") != NULL);
	CHECK(adapter_parse_str(&lever_src, "<html><body>Lever is down</body></html>", &l) == -1);
	CHECK(strstr(err, "found HTML (<html>") != NULL);
	CHECK(adapter_parse_str(&lever_src, "", &l) == -1);
	CHECK(strstr(err, "empty body") != NULL);
	CHECK(adapter_parse_str(&lever_src, "[{\"id\":", &l) == -1);
	CHECK(strstr(err, "invalid JSON") != NULL);
	CHECK(adapter_parse_str(&lever_src, "42", &l) == -1);
	CHECK(strstr(err, "found a number") != NULL);
	CHECK_NUM(l.len, 0);

	CHECK(adapter_parse_str(&lever_src, "[]", &l) == 0);
	CHECK_NUM(l.len, 0);
	CHECK(adapter_parse_str(
		  &lever_src,
		  "[{\"id\":\"a\"},{\"text\":\"b\"},{\"id\":5,\"text\":\"num id\"},\"x\",[]]",
		  &l) == 0);
	CHECK_NUM(l.len, 1);
	CHECK_NUM(l.dropped, 4);
	CHECK(posting_list_find(&l, "5") != NULL);
	posting_list_clear(&l);
}

/* LEAD: text pay, waiting on pay_parse_text. It runs by itself once the pay parser finds the
 * probe range below; until then it prints a "# skip" line that tests/run.sh counts. */
static void test_lever_text_pay(void)
{
	struct posting_list l = {0};

	CHECK(adapter_parse_fixture(&lever_src, "lever/palantir_hunter.json", &l) == 0);
	struct posting *p = posting_list_find(&l, "0bbfd4f4-41ff-4ec6-b73f-5200efd5d4d3");
	CHECK(p != NULL);
	if (p) { /* additionalPlain: "… estimated to be $60,000 - $97,000/year." */
		CHECK_NUM(p->pay.min, 60000);
		CHECK_NUM(p->pay.max, 97000);
		CHECK_STR(p->pay.currency, "USD");
		CHECK(p->pay.period == PAY_PERIOD_YEAR);
		CHECK_STR(p->pay.source, "text");
		CHECK(p->pay_text && strstr(p->pay_text, "$60,000 - $97,000"));
	}
	posting_list_clear(&l);

	/* structured pay wins over the 401(k) dollars in matchgroup's text */
	CHECK(adapter_parse_fixture(&lever_src, "lever/matchgroup_sample_2postings.json", &l) == 0);
	p = posting_list_find(&l, "3414ba28-35f7-45d3-8e13-35c883959635");
	CHECK(p && strcmp(p->pay.source, "lever:salaryRange") == 0 && p->pay.min == 150000);
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
	RUN(test_lever_first);
	RUN(test_lever_matchgroup);
	RUN(test_lever_theodo);
	RUN(test_lever_yassir);
	RUN(test_lever_other_boards);
	RUN(test_lever_inline_pay);
	RUN(test_lever_fields);
	RUN(test_lever_envelopes);
	if (pay_parser_ready())
		RUN(test_lever_text_pay);
	else
		printf("ok - test_lever_text_pay # skip pay_parse_text is still a stub\n");
	return harness_end();
}
