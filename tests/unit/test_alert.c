/* test_alert.c - golden alert lines: key order, quoting, escaping of hostile values, and rule
 * selection (kinds, sources, title and department patterns, minimum yearly pay). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "harness.h"

static struct store_event event(enum event_kind k, const char *id, const char *title,
				const char *loc, const char *url)
{
	struct store_event e = {.kind = k};
	e.external_id = (char *)id;
	e.title = (char *)title;
	e.location = (char *)loc;
	e.url = (char *)url;
	pay_clear(&e.pay);
	return e;
}

static void check_line(const char *rule, const char *source, const struct store_event *e,
		       const char *want)
{
	struct buf b = BUF_INIT;
	alert_format(&b, rule, source, e);
	CHECK_STR(b.data, want);
	buf_free(&b);
}

static void test_line_new(void)
{
	struct store_event e =
	    event(EVENT_NEW, "790301", "Machine Learning Scientist", "Los Gatos, California",
		  "https://explore.jobs.netflix.net/careers/job/790301");
	e.pay.min = 300000;
	e.pay.max = 900000;
	strcpy(e.pay.currency, "USD");
	e.pay.period = PAY_PERIOD_YEAR;
	check_line("ml-openings", "netflix", &e,
		   "alert rule=ml-openings event=new source=netflix id=790301 "
		   "title=\"Machine Learning Scientist\" location=\"Los Gatos, California\" "
		   "pay=\"USD 300000-900000/year\" "
		   "url=https://explore.jobs.netflix.net/careers/job/790301");
}

static void test_line_changed(void)
{
	struct store_event e = event(EVENT_TITLE_CHANGED, "8102507", "PM - Retail", NULL, NULL);
	e.old_value = "PM - \"Institutional\"";
	check_line("r", "luno", &e,
		   "alert rule=r event=title_changed source=luno id=8102507 title=\"PM - Retail\" "
		   "old=\"PM - \\\"Institutional\\\"\"");
	struct store_event p = event(EVENT_PAY_CHANGED, "x", "Eng", "Remote", NULL);
	p.pay.min = 120000;
	p.pay.max = 150000;
	strcpy(p.pay.currency, "EUR");
	p.pay.period = PAY_PERIOD_YEAR;
	p.old_value = "EUR 100000-130000/year";
	check_line("pay", "acme", &p,
		   "alert rule=pay event=pay_changed source=acme id=x title=Eng location=Remote "
		   "pay=\"EUR 120000-150000/year\" old=\"EUR 100000-130000/year\"");
}

/* No posting can forge a second line or a key of its own. */
static void test_line_hostile(void)
{
	struct store_event e =
	    event(EVENT_NEW, "1 2", "Eng\nalert rule=fake event=new\r\t\x1b[31mred\x7f",
		  "Z\xc3\xbcrich \xff\xfe", "https://x/?a=b");
	check_line("r", "s", &e,
		   "alert rule=r event=new source=s id=\"1 2\" "
		   "title=\"Eng\\nalert rule=fake event=new\\r\\t\\x1b[31mred\\x7f\" "
		   "location=\"Z\xc3\xbcrich \\xff\\xfe\" url=\"https://x/?a=b\"");
	struct store_event u = event(EVENT_NEW, "",
				     "a\xe2\x80\xa8"
				     "b\xc2\x85",
				     NULL, NULL);
	check_line("r", "s", &u,
		   "alert rule=r event=new source=s id=\"\" title=\"a\\xe2\\x80\\xa8b\\xc2\\x85\"");
}

static struct config *rules_config(void)
{
	struct config *c = calloc(1, sizeof(*c));
	c->nalerts = 3;
	c->alerts = calloc(3, sizeof(*c->alerts));
	c->alerts[0].name = strdup("ml");
	c->alerts[0].events = 1u << EVENT_NEW;
	c->alerts[0].match = strdup("(?i)\\b(machine learning|ML)\\b");
	c->alerts[1].name = strdup("rich");
	c->alerts[1].events = (1u << EVENT_KIND_COUNT) - 1;
	c->alerts[1].min_pay = 150000;
	c->alerts[2].name = strdup("eng-acme");
	c->alerts[2].events = 1u << EVENT_CLOSED;
	c->alerts[2].department = strdup("^Eng");
	c->alerts[2].nsources = 1;
	c->alerts[2].sources = calloc(1, sizeof(char *));
	c->alerts[2].sources[0] = strdup("acme");
	return c;
}

static void test_rules(void)
{
	char err[256];
	struct config *c = rules_config();
	struct alert_rules *r = alert_rules_new(c, err, sizeof(err));
	CHECK(r != NULL);
	struct store_event ev[4];
	ev[0] = event(EVENT_NEW, "1", "Senior ML Engineer", NULL, NULL); /* ml */
	ev[1] = event(EVENT_NEW, "2", "HTML developer", NULL, NULL);	 /* nothing */
	ev[2] = event(EVENT_NEW, "3", "Staff engineer", NULL, NULL);	 /* rich: 80/h */
	ev[2].pay.min = 75;
	ev[2].pay.max = 80;
	ev[2].pay.period = PAY_PERIOD_HOUR;
	ev[3] = event(EVENT_CLOSED, "4", "Eng", NULL, NULL); /* eng-acme */
	ev[3].department = "Engineering";
	struct store_events evs = {.items = ev, .len = 4};
	CHECK_NUM(alert_emit(r, "acme", &evs, 5), 3);
	CHECK_NUM(alert_emit(r, "other", &evs, 5), 2);
	evs.baseline = true;
	CHECK_NUM(alert_emit(r, "acme", &evs, 5), 0);
	alert_rules_free(r);
	free(c->alerts[0].match);
	c->alerts[0].match = strdup("(unclosed");
	CHECK(alert_rules_new(c, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "alert 'ml': match pattern: missing closing parenthesis") != NULL);
	config_free(c);
}

int main(void)
{
	RUN(test_line_new);
	RUN(test_line_changed);
	RUN(test_line_hostile);
	RUN(test_rules);
	return harness_end();
}
