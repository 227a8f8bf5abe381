/* test_alert.c - golden alert lines: key order, quoting, escaping of hostile values, and rule
 * selection (kinds, sources, title and department patterns, minimum yearly pay). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "config.h"
#include "harness.h"
#include "log.h"
#include <syslog.h>

static struct event event(enum event_kind k, const char *id, const char *title, const char *loc,
			  const char *url)
{
	struct event e = {.kind = k};
	e.external_id = (char *)id;
	e.title = (char *)title;
	e.location = (char *)loc;
	e.url = (char *)url;
	pay_clear(&e.pay);
	return e;
}

static void check_line(const char *rule, const char *source, const struct event *e,
		       const char *want)
{
	struct buf b = BUF_INIT;
	alert_format(&b, rule, source, e);
	CHECK_STR(b.data, want);
	buf_free(&b);
}

static void test_line_new(void)
{
	struct event e =
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
	struct event e = event(EVENT_TITLE_CHANGED, "8102507", "PM - Retail", NULL, NULL);
	e.old_value = "PM - \"Institutional\"";
	check_line("r", "luno", &e,
		   "alert rule=r event=title_changed source=luno id=8102507 title=\"PM - Retail\" "
		   "old=\"PM - \\\"Institutional\\\"\"");
	struct event p = event(EVENT_PAY_CHANGED, "x", "Eng", "Remote", NULL);
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
	struct event e =
	    event(EVENT_NEW, "1 2", "Eng\nalert rule=fake event=new\r\t\x1b[31mred\x7f",
		  "Z\xc3\xbcrich \xff\xfe", "https://x/?a=b");
	check_line("r", "s", &e,
		   "alert rule=r event=new source=s id=\"1 2\" "
		   "title=\"Eng\\nalert rule=fake event=new\\r\\t\\x1b[31mred\\x7f\" "
		   "location=\"Z\xc3\xbcrich \\xff\\xfe\" url=\"https://x/?a=b\"");
	struct event u = event(EVENT_NEW, "",
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
	struct event ev[4];
	ev[0] = event(EVENT_NEW, "1", "Senior ML Engineer", NULL, NULL); /* ml */
	ev[1] = event(EVENT_NEW, "2", "HTML developer", NULL, NULL);	 /* nothing */
	ev[2] = event(EVENT_NEW, "3", "Staff engineer", NULL, NULL);	 /* rich: 80/h */
	ev[2].pay.min = 75;
	ev[2].pay.max = 80;
	ev[2].pay.period = PAY_PERIOD_HOUR;
	ev[3] = event(EVENT_CLOSED, "4", "Eng", NULL, NULL); /* eng-acme */
	ev[3].department = "Engineering";
	struct events evs = {.items = ev, .len = 4};
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

static void check_source_line(const char *rule, const char *source, const struct source_event *e,
			      const char *want)
{
	struct buf b = BUF_INIT;
	alert_format_source(&b, rule, source, e);
	CHECK_STR(b.data, want);
	buf_free(&b);
}

/* The source kinds' lines: rule event source reason [failures] [since], reason escaped. */
static void test_line_source(void)
{
	struct source_event f = {EVENT_SOURCE_FAILING, "HTTP 500", 3, "2026-11-28T09:00:00Z"};
	check_source_line("health", "acme", &f,
			  "alert rule=health event=source_failing source=acme reason=\"HTTP 500\" "
			  "failures=3 since=2026-11-28T09:00:00Z");
	struct source_event r = {EVENT_SOURCE_RECOVERED, "complete poll after 3 failed", 3,
				 "2026-11-28T09:00:00Z"};
	check_source_line("h", "acme", &r,
			  "alert rule=h event=source_recovered source=acme "
			  "reason=\"complete poll after 3 failed\" failures=3 "
			  "since=2026-11-28T09:00:00Z");
	struct source_event st = {EVENT_SOURCE_STALE, "no complete poll yet", 0, NULL};
	check_source_line("h", "acme", &st,
			  "alert rule=h event=source_stale source=acme "
			  "reason=\"no complete poll yet\"");
	/* a server's error text cannot add a line or a key */
	struct source_event x = {EVENT_SOURCE_FAILING, "bad \"json\"\nalert rule=fake event=new", 1,
				 NULL};
	check_source_line("h", "a b", &x,
			  "alert rule=h event=source_failing source=\"a b\" "
			  "reason=\"bad \\\"json\\\"\\nalert rule=fake event=new\" failures=1");
}

/* A rule selects a source event only by naming its kind; match, department and min_pay do
 * not apply, sources does. */
static void test_rules_source(void)
{
	char err[256];
	struct config *c = calloc(1, sizeof(*c));
	c->nalerts = 3;
	c->alerts = calloc(3, sizeof(*c->alerts));
	c->alerts[0].name = strdup("health");
	c->alerts[0].events = (1u << EVENT_SOURCE_FAILING) | (1u << EVENT_SOURCE_RECOVERED);
	c->alerts[0].match = strdup("(?i)engineer");
	c->alerts[0].department = strdup("^Eng");
	c->alerts[0].min_pay = 1e6;
	c->alerts[1].name = strdup("postings"); /* what a rule without events gets */
	c->alerts[1].events = EVENT_POSTING_KINDS;
	c->alerts[2].name = strdup("acme-stale");
	c->alerts[2].events = 1u << EVENT_SOURCE_STALE;
	c->alerts[2].nsources = 1;
	c->alerts[2].sources = calloc(1, sizeof(char *));
	c->alerts[2].sources[0] = strdup("acme");
	struct alert_rules *r = alert_rules_new(c, err, sizeof(err));
	CHECK(r != NULL);
	struct source_event f = {EVENT_SOURCE_FAILING, "HTTP 500", 3, NULL};
	struct source_event st = {EVENT_SOURCE_STALE, "no complete poll yet", 0, NULL};
	CHECK_NUM(alert_emit_source(r, "acme", &f, 5), 1);
	CHECK_NUM(alert_emit_source(r, "other", &f, 5), 1);
	CHECK_NUM(alert_emit_source(r, "acme", &st, 5), 1);
	CHECK_NUM(alert_emit_source(r, "other", &st, 5), 0);
	struct source_event bogus = {EVENT_NEW, "x", 0, NULL};
	CHECK_NUM(alert_emit_source(r, "acme", &bogus, 5), 0);
	alert_rules_free(r);
	config_free(c);
}

/* The journal fields of an alert line: MESSAGE_ID per kind and the JOBWATCH_* fields. */
static void test_journal_fields(void)
{
	char *f[LOG_JOURNAL_MAX_FIELDS];
	struct log_alert_fields a = {event_kind_message_id(EVENT_NEW), "new", "acme", "4012346"};
	size_t n = log_journal_fields(f, LOG_NOTICE, LOG_LOCAL3, "jobwatchd",
				      "alert rule=r event=new source=acme id=4012346", &a);
	const char *want[] = {"MESSAGE=alert rule=r event=new source=acme id=4012346",
			      "PRIORITY=5",
			      "SYSLOG_FACILITY=19",
			      "SYSLOG_IDENTIFIER=jobwatchd",
			      "MESSAGE_ID=8cc035b4c72041649243cfdd2f161f4b",
			      "JOBWATCH_EVENT=new",
			      "JOBWATCH_SOURCE=acme",
			      "JOBWATCH_POSTING_ID=4012346"};
	CHECK_NUM(n, 8);
	for (size_t i = 0; i < n && i < 8; i++)
		CHECK_STR(f[i], want[i]);
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	struct log_alert_fields s = {event_kind_message_id(EVENT_SOURCE_FAILING), "source_failing",
				     "acme", NULL};
	n = log_journal_fields(f, LOG_NOTICE, LOG_DAEMON, "jobwatchd", "alert …", &s);
	CHECK_NUM(n, 7);
	CHECK_STR(f[4], "MESSAGE_ID=e73c74b4b5a54f6196b1c6644ec19de1");
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	n = log_journal_fields(f, LOG_WARNING, LOG_DAEMON, "jobwatchd", "source status=failing",
			       NULL);
	CHECK_NUM(n, 4);
	CHECK_STR(f[1], "PRIORITY=4");
	CHECK_STR(f[2], "SYSLOG_FACILITY=3");
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	/* every kind has its own id, 32 lower-case hex digits */
	for (int k = 0; k < EVENT_KIND_COUNT; k++) {
		const char *id = event_kind_message_id((enum event_kind)k);
		CHECK(id != NULL && strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32);
		for (int j = 0; j < k; j++)
			CHECK(strcmp(id, event_kind_message_id((enum event_kind)j)) != 0);
	}
}

int main(void)
{
	RUN(test_line_new);
	RUN(test_line_changed);
	RUN(test_line_hostile);
	RUN(test_rules);
	RUN(test_line_source);
	RUN(test_rules_source);
	RUN(test_journal_fields);
	return harness_end();
}
