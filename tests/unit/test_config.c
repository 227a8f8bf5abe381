/* test_config.c - the config loader: defaults, every error as FILE:LINE, all errors in one
 * run, libconfig's silent integer wrap caught, and the example config documenting every key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "util.h"
#include "event.h"
#include "harness.h"
#include "log.h"
#include "source.h"

static char tmpdir[] = "/tmp/jobwatch-config-XXXXXX";

/* Write text to a file and load it; *errs gets what the loader printed. */
static struct config *load_text(const char *text, char **errs)
{
	char path[256];
	size_t len = 0;
	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	FILE *e = open_memstream(errs, &len);
	struct config *c = config_load(path, e);
	fclose(e);
	return c;
}

static void test_defaults(void)
{
	char *errs;
	struct config *c = load_text("sources = ( { name = \"a\"; type = \"greenhouse\"; "
				     "board = \"acme\"; } );\n",
				     &errs);
	CHECK(c != NULL);
	CHECK_STR(errs, "");
	if (c) {
		CHECK_NUM(c->interval, 3600);
		CHECK_NUM(c->jitter, 0.1);
		CHECK_NUM(c->concurrency, 16);
		CHECK_NUM(c->per_host, 2);
		CHECK_NUM(c->timeout, 30);
		CHECK_NUM(c->max_body, 67108864);
		CHECK_NUM(c->close_after, 2);
		CHECK_NUM(c->max_drop, 0.5);
		CHECK_NUM(c->facility, LOG_DAEMON);
		CHECK_NUM(c->alert_priority, LOG_NOTICE);
		CHECK(c->conninfo == NULL);
		CHECK_NUM(c->nsources, 1);
		CHECK_STR(c->sources[0].url, "https://boards-api.greenhouse.io/v1/boards/acme/"
					     "jobs?content=true&pay_transparency=true");
		CHECK(c->sources[0].enabled);
		CHECK_NUM(c->sources[0].interval, 3600);
	}
	config_free(c);
	free(errs);
}

static void test_full(void)
{
	char *errs;
	struct config *c = load_text(
	    "database: { conninfo = \"dbname=x\"; };\n"
	    "poll: { interval = 60; jitter = 0.2; max_body = 1048576; close_after = 3; };\n"
	    "log: { facility = \"local3\"; alert_priority = \"warning\"; };\n"
	    "sources = ( { name = \"acme\"; type = \"greenhouse\"; url = \"http://127.0.0.1:1/x\"; "
	    "},\n"
	    "  { name = \"beta\"; type = \"lever\"; board = \"beta\"; interval = 1800; },\n"
	    "  { name = \"gamma\"; type = \"jsonld\"; url = \"https://g.example/c\"; enabled = "
	    "false; } );\n"
	    "alerts = ( { name = \"ml\"; events = [ \"new\", \"pay_changed\" ]; match = "
	    "\"(?i)ml\";\n"
	    "  department = \"Eng\"; min_pay = 150000; sources = [ \"acme\" ]; },\n"
	    "  { name = \"all\"; } );\n",
	    &errs);
	CHECK(c != NULL);
	CHECK_STR(errs, "");
	if (c) {
		CHECK_STR(c->conninfo, "dbname=x");
		CHECK_NUM(c->interval, 60);
		CHECK_NUM(c->max_body, 1048576);
		CHECK_NUM(c->facility, LOG_LOCAL3);
		CHECK_NUM(c->alert_priority, LOG_WARNING);
		CHECK_STR(c->sources[0].url, "http://127.0.0.1:1/x");
		CHECK_STR(c->sources[1].url, "https://api.lever.co/v0/postings/beta?mode=json");
		CHECK_NUM(c->sources[1].interval, 1800);
		CHECK(!c->sources[2].enabled);
		CHECK_NUM(c->nalerts, 2);
		CHECK_NUM(c->alerts[0].events, (1u << EVENT_NEW) | (1u << EVENT_PAY_CHANGED));
		CHECK_NUM(c->alerts[0].min_pay, 150000);
		CHECK_STR(c->alerts[0].sources[0], "acme");
		/* no events list: the posting kinds, not the source kinds */
		CHECK_NUM(c->alerts[1].events, EVENT_POSTING_KINDS);
		CHECK(!(c->alerts[1].events & (1u << EVENT_SOURCE_FAILING)));
		CHECK_NUM(c->fail_after, 3);
		CHECK_NUM(c->polls_retention, 90 * 86400);
		CHECK_NUM(c->journal, LOG_JOURNAL_AUTO);
		CHECK_NUM(c->sources[0].fail_after, 3);
		CHECK_NUM(c->sources[0].stale_after, 3 * 60); /* three intervals */
		CHECK_NUM(c->sources[1].stale_after, 3 * 1800);
	}
	config_free(c);
	free(errs);
}

/* Every problem of a file is reported in one run, each as FILE:LINE: message. */
static void test_errors(void)
{
	char *errs, want[4096];
	struct config *c = load_text(
	    "poll: { interval = 0; colour = 3; };\n"
	    "log: { facility = \"kernel9\"; };\n"
	    "sources = (\n"
	    "  { name = \"a\"; type = \"nosuch\"; url = \"https://x\"; },\n"
	    "  { name = \"b\"; type = \"greenhouse\"; },\n"
	    "  { name = \"a\"; type = \"lever\"; url = \"ftp://x\"; }\n"
	    ");\n"
	    "alerts = ( { name = \"r\"; events = [ \"born\" ]; sources = [ \"zz\" ]; } );\n"
	    "extra = 1;\n",
	    &errs);
	CHECK(c == NULL);
	snprintf(
	    want, sizeof(want),
	    "%1$s/t.conf:9: unknown key 'extra' in the top level (allowed: database, poll, log, "
	    "sources, alerts)\n"
	    "%1$s/t.conf:1: unknown key 'colour' in poll (allowed: interval, jitter, concurrency, "
	    "per_host, timeout, max_body, close_after, max_drop, max_pages, page_gap, "
	    "max_details, detail_refresh, alert_wait, lease, user_agent, fail_after, stale_after, "
	    "polls_retention)\n"
	    "%1$s/t.conf:1: poll.interval = 0 is out of range (1 to 604800, seconds between "
	    "polls)\n"
	    "%1$s/t.conf:2: log.facility 'kernel9' is unknown (daemon, user, local0-7)\n"
	    "%1$s/t.conf:4: source 'a': unknown type 'nosuch' (types: auto, %2$s)\n"
	    "%1$s/t.conf:5: source 'b': url (or board) is missing\n"
	    "%1$s/t.conf:6: source 'a': url must start with http:// or https://\n"
	    "%1$s/t.conf:6: source name 'a' is used twice (first on line 4)\n"
	    "%1$s/t.conf:8: alert 'r': unknown event kind 'born' (new, closed, reopened, "
	    "title_changed, location_changed, department_changed, pay_changed, source_failing, "
	    "source_recovered, source_stale)\n"
	    "%1$s/t.conf:8: alert 'r': no source is named 'zz'\n",
	    tmpdir, source_type_list());
	CHECK_STR(errs, want);
	free(errs);
}

/* fail_after, stale_after (a duration, per source too), polls_retention, log.journal, and
 * source kinds in an alert's events. */
/* A name used three times: each repeat names the line of the first use. Thousands of sources
 * are checked in one pass (the last of 20,000 repeats the first). */
static void test_repeated_names(void)
{
	char *errs, want[512];
	struct config *c =
	    load_text("sources = (\n"
		      "  { name = \"a\"; type = \"lever\"; url = \"https://x/1\"; },\n"
		      "  { name = \"b\"; type = \"lever\"; url = \"https://x/2\"; },\n"
		      "  { name = \"a\"; type = \"lever\"; url = \"https://x/3\"; },\n"
		      "  { name = \"a\"; type = \"lever\"; url = \"https://x/4\"; }\n"
		      ");\n",
		      &errs);

	CHECK(c == NULL);
	snprintf(want, sizeof(want),
		 "%1$s/t.conf:4: source name 'a' is used twice (first on line 2)\n"
		 "%1$s/t.conf:5: source name 'a' is used twice (first on line 2)\n",
		 tmpdir);
	CHECK_STR(errs, want);
	free(errs);

	struct buf b = BUF_INIT;
	buf_puts(&b, "sources = (\n");
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "  { name = \"s%d\"; type = \"lever\"; url = \"https://x/%d\"; },\n",
			   i < 19999 ? i : 0, i);
	b.data[b.len - 2] = ' '; /* no comma after the last */
	buf_puts(&b, ");\n");
	c = load_text(b.data, &errs);
	CHECK(c == NULL);
	snprintf(want, sizeof(want),
		 "%s/t.conf:20001: source name 's0' is used twice (first on line 2)\n", tmpdir);
	CHECK_STR(errs, want);
	free(errs);
	buf_free(&b);
}

static void test_health_keys(void)
{
	char *errs, want[2048];
	struct config *c = load_text(
	    "poll: { interval = 600; fail_after = 5; stale_after = \"36h\"; polls_retention = "
	    "\"2w\"; };\n"
	    "log: { journal = \"no\"; };\n"
	    "sources = ( { name = \"a\"; type = \"greenhouse\"; board = \"a\"; },\n"
	    "  { name = \"b\"; type = \"greenhouse\"; board = \"b\"; fail_after = 1; "
	    "stale_after = 7200; } );\n"
	    "alerts = ( { name = \"h\"; events = [ \"source_failing\", \"source_stale\" ]; } );\n",
	    &errs);
	CHECK_STR(errs, "");
	if (c) {
		CHECK_NUM(c->fail_after, 5);
		CHECK_NUM(c->stale_after, 36 * 3600);
		CHECK_NUM(c->polls_retention, 14 * 86400);
		CHECK_NUM(c->journal, LOG_JOURNAL_NO);
		CHECK_NUM(c->sources[0].fail_after, 5);
		CHECK_NUM(c->sources[0].stale_after, 36 * 3600);
		CHECK_NUM(c->sources[1].fail_after, 1);
		CHECK_NUM(c->sources[1].stale_after, 7200);
		CHECK_NUM(c->alerts[0].events,
			  (1u << EVENT_SOURCE_FAILING) | (1u << EVENT_SOURCE_STALE));
	}
	config_free(c);
	free(errs);

	c = load_text("poll: { polls_retention = 0; stale_after = \"45m\"; };\n"
		      "sources = ( { name = \"a\"; type = \"greenhouse\"; board = \"a\"; } );\n",
		      &errs);
	CHECK_STR(errs, "");
	if (c) {
		CHECK_NUM(c->polls_retention, 0);
		CHECK_NUM(c->sources[0].stale_after, 45 * 60);
	}
	config_free(c);
	free(errs);

	c = load_text("poll: { fail_after = 0; stale_after = \"3 days\"; polls_retention = "
		      "\"9999d\"; };\n"
		      "log: { journal = \"maybe\"; };\n"
		      "sources = ( { name = \"a\"; type = \"greenhouse\"; board = \"a\"; "
		      "stale_after = \"1y\"; } );\n",
		      &errs);
	CHECK(c == NULL);
	snprintf(want, sizeof(want),
		 "%1$s/t.conf:1: poll.fail_after = 0 is out of range (1 to 1000, failed polls in a "
		 "row)\n"
		 "%1$s/t.conf:1: poll.stale_after '3 days' is not a duration (seconds or \"36h\", "
		 "\"7d\"; 0: three intervals of the source)\n"
		 "%1$s/t.conf:1: poll.polls_retention = 863913600 s is out of range (0 to "
		 "3650 days)\n"
		 "%1$s/t.conf:2: log.journal 'maybe' is unknown (auto, yes, no)\n"
		 "%1$s/t.conf:3: source 'a': stale_after '1y' is not a duration (seconds or "
		 "\"7d\")\n",
		 tmpdir);
	CHECK_STR(errs, want);
	free(errs);
}

static void test_syntax_error(void)
{
	char *errs, want[512];
	struct config *c = load_text("poll: {\n interval = ;\n};\n", &errs);
	CHECK(c == NULL);
	snprintf(want, sizeof(want), "%s/t.conf:2: syntax error\n", tmpdir);
	CHECK_STR(errs, want);
	free(errs);
}

/* libconfig 1.5 reads 5000000000 (no L) back as 705032704; we refuse it. */
static void test_int_wrap(void)
{
	char *errs, want[512];
	struct config *c = load_text("poll: { max_body = 5000000000; };\n", &errs);
	CHECK(c == NULL);
	snprintf(want, sizeof(want), "%s/t.conf:1: max_body: number too large\n", tmpdir);
	CHECK_STR(errs, want);
	free(errs);
}

static void test_detect_url(void)
{
	char *errs;
	struct config *c = load_text(
	    "sources = ( { name = \"d\"; url = \"https://boards.greenhouse.io/databricks\"; },\n"
	    " { name = \"s\"; url = \"https://jobs.lever.co/spotify/\"; },\n"
	    " { name = \"p\"; url = \"https://www.acme.com/careers\"; },\n"
	    " { name = \"g\"; type = \"auto\"; url = \"https://boards.greenhouse.io/x\"; } );\n",
	    &errs);
	CHECK(c != NULL && c->nsources == 4);
	if (c && c->nsources == 4) {
		CHECK_STR(c->sources[0].type, "greenhouse");
		CHECK_STR(c->sources[0].url,
			  "https://boards-api.greenhouse.io/v1/boards/databricks/"
			  "jobs?content=true&pay_transparency=true");
		CHECK_STR(c->sources[1].type, "lever");
		CHECK_STR(c->sources[1].url, "https://api.lever.co/v0/postings/spotify?mode=json");
		/* not known by its host: type auto, the page is read at the first poll */
		CHECK_STR(c->sources[2].type, "auto");
		CHECK_STR(c->sources[2].url, "https://www.acme.com/careers");
		CHECK_STR(c->sources[3].type, "greenhouse");
	}
	config_free(c);
	free(errs);
	char want[512];
	c = load_text("sources = ( { name = \"q\"; type = \"auto\"; board = \"acme\"; } );\n",
		      &errs);
	CHECK(c == NULL);
	snprintf(want, sizeof(want),
		 "%s/t.conf:1: source 'q': type auto takes a url, not a board\n", tmpdir);
	CHECK_STR(errs, want);
	free(errs);
}

/* Type html: every XPath key and allow_empty are loaded; title and link may be left out. */
static void test_html_source(void)
{
	char *errs;
	struct config *c = load_text(
	    "sources = ( { name = \"nw\"; type = \"html\"; url = \"https://nw.example/careers\";\n"
	    "  item = \"//ul[@class='openings']/li\"; title = \"normalize-space(.//h3)\";\n"
	    "  link = \".//a/@href\"; location = \".//span[@class='location']\";\n"
	    "  department = \".//span[@class='team']\"; pay = \".//p[@class='pay']\";\n"
	    "  id = \"@data-id\"; allow_empty = true; },\n"
	    "  { name = \"min\"; type = \"html\"; url = \"https://min.example/jobs\"; item = "
	    "\"//li\"; } );\n",
	    &errs);
	CHECK(c != NULL);
	CHECK_STR(errs, "");
	if (c) {
		/* what the html adapter reads of each source */
		struct source_target t;
		config_source_target(&c->sources[0], &t);
		CHECK_STR(t.type, "html");
		CHECK_STR(t.url, "https://nw.example/careers");
		CHECK_STR(t.xpath_item, "//ul[@class='openings']/li");
		CHECK_STR(t.xpath_title, "normalize-space(.//h3)");
		CHECK_STR(t.xpath_link, ".//a/@href");
		CHECK_STR(t.xpath_location, ".//span[@class='location']");
		CHECK_STR(t.xpath_department, ".//span[@class='team']");
		CHECK_STR(t.xpath_pay, ".//p[@class='pay']");
		CHECK_STR(t.xpath_id, "@data-id");
		CHECK(t.allow_empty);
		config_source_target(&c->sources[1], &t);
		CHECK_STR(t.xpath_item, "//li");
		CHECK(t.xpath_title == NULL && t.xpath_link == NULL && t.xpath_id == NULL);
		CHECK(!t.allow_empty);
	}
	config_free(c);
	free(errs);
}

/* Type html without item, with expressions that do not compile, do not run or do not select
 * elements; the html keys on another type. Each error names the key and the expression. */
static void test_html_errors(void)
{
	char *errs, want[4096];
	struct config *c =
	    load_text("sources = (\n"
		      "  { name = \"a\"; type = \"html\"; url = \"https://a.example/jobs\"; title "
		      "= \".//h3\"; },\n"
		      "  { name = \"b\"; type = \"html\"; url = \"https://b.example/jobs\";\n"
		      "    item = \"//li[@class='job'\";\n"
		      "    link = \"lower-case(.//a/@href)\"; },\n"
		      "  { name = \"c\"; type = \"html\"; url = \"https://c.example/jobs\"; item = "
		      "\"count(//li)\";\n"
		      "    allow_empty = \"yes\"; pay = 3; },\n"
		      "  { name = \"d\"; type = \"greenhouse\"; board = \"d\"; item = \"//li\"; "
		      "allow_empty = true; }\n"
		      ");\n",
		      &errs);
	CHECK(c == NULL);
	snprintf(want, sizeof(want),
		 "%1$s/t.conf:2: source 'a': type html needs item, an XPath expression that "
		 "selects each posting's element (e.g. item = \"//ul[@class='jobs']/li\";)\n"
		 "%1$s/t.conf:4: source 'b': item XPath '//li[@class='job'' does not compile: a "
		 "predicate [ ] is malformed\n"
		 "%1$s/t.conf:5: source 'b': link XPath 'lower-case(.//a/@href)' does not run: a "
		 "function is unknown (XPath 1.0 functions only)\n"
		 "%1$s/t.conf:6: source 'c': item XPath 'count(//li)' must select elements (it "
		 "gives a number)\n"
		 "%1$s/t.conf:7: source 'c': pay must be a string\n"
		 "%1$s/t.conf:7: source 'c': allow_empty must be true or false\n"
		 "%1$s/t.conf:8: source 'd': item is read only by type html\n"
		 "%1$s/t.conf:8: source 'd': allow_empty is read only by type html\n",
		 tmpdir);
	CHECK_STR(errs, want);
	free(errs);
}

/* Issue 21.9 and 21.10: --check-config passed what the daemon could not run with: a match
 * pattern that does not compile (the daemon then exited 2 without file:line, every 10 s),
 * control characters (a CR LF user agent went out as a header of its own; a url with one
 * failed every poll) and a log.socket too long for a unix socket (every line dropped). */
static void test_errors_found_in_the_check(void)
{
	char *errs, want[4096];
	char sock[160];

	memset(sock, 'x', sizeof(sock) - 1);
	sock[0] = '/';
	sock[sizeof(sock) - 1] = '\0';
	char *text = xasprintf(
	    "poll: { user_agent = \"ua\\r\\nX-Injected: 1\"; };\n"
	    "log: { socket = \"%s\"; };\n"
	    "sources = (\n"
	    "  { name = \"a\"; type = \"greenhouse\"; url = \"https://a.example/x\\r\\n\"; },\n"
	    "  { name = \"b\"; type = \"greenhouse\"; url = 5; },\n"
	    "  { name = \"c\"; type = \"greenhouse\"; }\n"
	    ");\n"
	    "alerts = (\n"
	    "  { name = \"bad\"; match = \"((((\"; },\n"
	    "  { name = \"worse\";\n"
	    "    department = \"[z-a]\"; }\n"
	    ");\n",
	    sock);
	struct config *c = load_text(text, &errs);
	CHECK(c == NULL);
	snprintf(want, sizeof(want),
		 "%1$s/t.conf:1: poll.user_agent holds a control character (0x0d at byte 3): not "
		 "allowed\n"
		 "%1$s/t.conf:2: log.socket is 159 bytes long: a unix socket path holds at most "
		 "107\n"
		 "%1$s/t.conf:4: source 'a': url holds a control character (0x0d at byte 20): not "
		 "allowed\n"
		 /* each once: a url refused is not also missing */
		 "%1$s/t.conf:5: source 'b': url must be a string\n"
		 "%1$s/t.conf:6: source 'c': url (or board) is missing\n"
		 "%1$s/t.conf:9: alert 'bad': match pattern does not compile: missing closing "
		 "parenthesis at offset 4\n"
		 "%1$s/t.conf:11: alert 'worse': department pattern does not compile: range out of "
		 "order in character class at offset 3\n",
		 tmpdir);
	CHECK_STR(errs, want);
	free(errs);
	free(text);
}

struct doc_check {
	char *text;
	int missing;
};

static void key_documented(const char *section, const char *key, void *ud)
{
	struct doc_check *d = ud;
	char pat[128];
	snprintf(pat, sizeof(pat), "%s =", key);
	if (strstr(d->text, pat) == NULL) {
		printf("# example config does not document %s.%s\n", section, key);
		d->missing++;
	}
}

/* The example config loads cleanly and shows every key the loader knows. */
static void test_example_config(void)
{
	FILE *e = fopen("/dev/null", "w");
	struct config *c = config_load("config/jobwatch.conf", e);
	fclose(e);
	CHECK(c != NULL);
	config_free(c);
	FILE *f = fopen("config/jobwatch.conf", "r");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	struct doc_check d = {calloc(1, 1 << 16), 0};
	size_t n = fread(d.text, 1, (1 << 16) - 1, f);
	d.text[n] = '\0';
	fclose(f);
	config_each_key(key_documented, &d);
	CHECK(d.missing == 0);
	free(d.text);
}

int main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(test_defaults);
	RUN(test_full);
	RUN(test_errors);
	RUN(test_repeated_names);
	RUN(test_health_keys);
	RUN(test_syntax_error);
	RUN(test_int_wrap);
	RUN(test_detect_url);
	RUN(test_html_source);
	RUN(test_html_errors);
	RUN(test_errors_found_in_the_check);
	RUN(test_example_config);
	char path[300];
	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return harness_end();
}
