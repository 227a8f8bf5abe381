/* probe.c - jobwatchd --probe: what an operator runs before adding a source. The URL is
 * recognised (by its host, else by reading the page), its board polled once the way the
 * daemon would (every page, POST bodies included, up to the page ceiling), and the postings
 * printed as a table with their pay, the totals, and a sources entry to paste into the
 * config. Where the list lacks the description (Eightfold, Workday, SmartRecruiters), the
 * first --details postings' own pages are read for their pay, as the daemon would; the rest
 * show "unknown". It waits on the fetch engine one transfer at a time: a probe is one
 * board. */
#include "probe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "detect.h"
#include "fetch.h"
#include "pay.h"
#include "posting.h"
#include "source.h"
#include "util.h"

#define PROBE_ID_WIDTH	     36 /* a Lever uuid */
#define PROBE_TITLE_WIDTH    60
#define PROBE_LOCATION_WIDTH 36

/* Length of the valid UTF-8 sequence at p that is no C1 control (U+0080 to U+009F), or 0:
 * those and stray bytes reach a terminal as escape sequences. */
static size_t term_char_len(const unsigned char *p)
{
	size_t n = p[0] < 0xc2 ? 0 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : p[0] < 0xf5 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n == 2 && p[0] == 0xc2 && p[1] < 0xa0 ? 0 : n;
}

/* What fprintf would write, with every control character but newline and tab, and every byte
 * that is no UTF-8 character, as \xNN: a server's Location, a next page's URL or a page's
 * link must not drive the terminal (issue 21.12). */
static void say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(FILE *f, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	for (const unsigned char *p = (const unsigned char *)(b.len ? b.data : ""); *p;) {
		size_t len = *p >= 0x80 ? term_char_len(p) : 1;
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f || len == 0) {
			fprintf(f, "\\x%02x", *p++);
			continue;
		}
		fwrite(p, 1, len, f);
		p += len;
	}
	buf_free(&b);
}

struct probe {
	struct fetch *fetch;
	const char *type;
	char *api_url;
	const char *how; /* how the type was found */
	struct posting_list postings;
	struct source_walk walk;
	int max_details;
	size_t details_read, details_failed;
};

/* Fetch one request and wait for it. NULL and a message on stderr when it failed (transport,
 * truncation, a status other than 2xx). */
static struct fetch_result *probe_fetch(struct probe *pr, const struct source_request *req)
{
	struct fetch_request fr = {.url = req->url,
				   .body = req->body,
				   .content_type = req->content_type,
				   .accept = req->accept};
	struct fetch_result *res;

	if (fetch_add(pr->fetch, &fr) < 0) {
		say(stderr, "jobwatchd: %s: not an http(s) URL\n", req->url);
		return NULL;
	}
	while ((res = fetch_next_done(pr->fetch)) == NULL)
		if (fetch_wait(pr->fetch, 1000, NULL, 0) < 0) {
			say(stderr, "jobwatchd: %s: the transfer could not run\n", req->url);
			return NULL;
		}
	if (res->error || res->truncated || res->status < 200 || res->status > 299) {
		if (res->error)
			say(stderr, "jobwatchd: %s: %s\n", req->url, res->error);
		else if (res->truncated)
			say(stderr, "jobwatchd: %s: the body exceeds the size limit\n", req->url);
		else
			say(stderr, "jobwatchd: %s: HTTP %ld\n", req->url, res->status);
		fetch_result_free(res);
		return NULL;
	}
	return res;
}

/* Decide the type and the URL to poll; -1 after saying why on stderr. */
static int probe_resolve(struct probe *pr, const char *url, const char *type)
{
	if (type && strcmp(type, SOURCE_TYPE_AUTO) != 0) {
		pr->type = type;
		pr->api_url = xstrdup(url);
		pr->how = "given with --type";
		return 0;
	}
	if ((pr->type = detect_url(url, &pr->api_url)) != NULL) {
		pr->how = "recognised from the URL";
		return 0;
	}
	struct source_request req = {.url = (char *)url};
	struct fetch_result *res = probe_fetch(pr, &req);
	if (res == NULL)
		return -1;
	bool found = detect_page(res->body, res->len, url, &pr->type, &pr->api_url);
	fetch_result_free(res);
	if (!found) {
		say(stderr, "jobwatchd: %s: %s\n", url, DETECT_NONE);
		return -1;
	}
	pr->how = "found in the page";
	return 0;
}

/* Walk every page of the board into pr->postings; -1 after saying why on stderr. */
static int probe_walk(struct probe *pr, const struct source_adapter *a,
		      const struct source_target *src)
{
	struct source_request req = {0}, next = {0};
	char err[512] = "";
	int rc = -1;

	source_walk_init(&pr->walk, SOURCE_MAX_PAGES_DEFAULT);
	if (a->first(src, &pr->walk, &req, err, sizeof(err)) < 0) {
		say(stderr, "jobwatchd: %s: %s\n", src->url, *err ? err : "no first request");
		return -1;
	}
	for (;;) {
		struct fetch_result *res = probe_fetch(pr, &req);
		if (res == NULL)
			break;
		pr->walk.page_url = req.url;
		enum source_step step = source_walk_step(a, src, &pr->walk, res->body, res->len,
							 &pr->postings, &next, err, sizeof(err));
		fetch_result_free(res);
		if (step == SOURCE_STEP_ERROR) {
			say(stderr, "jobwatchd: %s: %s\n", req.url, err);
			break;
		}
		if (step == SOURCE_STEP_END) { /* whole, or partial as the daemon would store it */
			rc = 0;
			break;
		}
		source_request_clear(&req);
		req = next;
		memset(&next, 0, sizeof(next));
	}
	source_request_clear(&req);
	source_request_clear(&next);
	return rc;
}

/* Read the details of the first max_details postings whose list row lacks the description,
 * and take what they say; a detail that fails is said on stderr and leaves its pay unknown. */
static void probe_details(struct probe *pr, const struct source_adapter *a,
			  const struct source_target *src)
{
	char err[512];

	if (a->detail_request == NULL || a->detail_parse == NULL)
		return;
	for (size_t i = 0; i < pr->postings.len; i++) {
		struct posting *p = &pr->postings.items[i];
		struct source_request req = {0};
		struct posting d = {0};

		if (p->detail_ref == NULL ||
		    pr->details_read + pr->details_failed >= (size_t)pr->max_details)
			continue;
		err[0] = '\0';
		if (a->detail_request(src, p->external_id, p->detail_ref, &req, err, sizeof(err)) <
		    0) {
			say(stderr, "jobwatchd: detail of %s: %s\n", p->external_id, err);
			pr->details_failed++;
			continue;
		}
		struct fetch_result *res = probe_fetch(pr, &req);
		source_request_clear(&req);
		if (res == NULL) {
			pr->details_failed++;
			continue;
		}
		pay_clear(&d.pay);
		if (a->detail_parse(src, res->body, res->len, &d, err, sizeof(err)) < 0) {
			say(stderr, "jobwatchd: detail of %s: %s\n", p->external_id,
			    *err ? err : "not a detail");
			posting_free_fields(&d);
			pr->details_failed++;
		} else {
			posting_take_detail(p, &d);
			free(p->detail_ref); /* read: its pay is known now */
			p->detail_ref = NULL;
			pr->details_read++;
		}
		fetch_result_free(res);
	}
}

/* Print s in width columns (code points), cut with "…" and padded; control characters from
 * the page are shown as '?' so that no posting can write to the terminal. */
static void put_cell(const char *s, int width, bool pad)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int cols = 0, total = 0;

	for (const unsigned char *q = p; *q; q++)
		total += (*q & 0xC0) != 0x80;
	for (; *p; p++) {
		bool start = (*p & 0xC0) != 0x80;
		if (start && total > width && cols == width - 1) {
			fputs("…", stdout);
			cols++;
			break;
		}
		if (start && cols == width)
			break;
		cols += start;
		if (*p >= 0x80 && start && term_char_len(p) == 0) { /* C1, or no UTF-8 */
			putchar('?');
			while ((p[1] & 0xC0) == 0x80)
				p++;
			continue;
		}
		putchar(*p < 0x20 || *p == 0x7f ? '?' : *p);
	}
	while (pad && cols++ < width)
		putchar(' ');
}

static int col_width(const struct posting_list *l, size_t field, const char *head, int cap)
{
	int w = (int)strlen(head);

	for (size_t i = 0; i < l->len; i++) {
		const char *f[] = {l->items[i].external_id, l->items[i].title,
				   l->items[i].location};
		int n = 0;
		for (const unsigned char *q = (const unsigned char *)(f[field] ? f[field] : ""); *q;
		     q++)
			n += (*q & 0xC0) != 0x80;
		if (n > w)
			w = n;
	}
	return w < cap ? w : cap;
}

static void probe_print_table(const struct posting_list *l)
{
	int wid = col_width(l, 0, "ID", PROBE_ID_WIDTH);
	int wtitle = col_width(l, 1, "TITLE", PROBE_TITLE_WIDTH);
	int wloc = col_width(l, 2, "LOCATION", PROBE_LOCATION_WIDTH);

	printf("%-*s  %-*s  %-*s  PAY\n", wid, "ID", wtitle, "TITLE", wloc, "LOCATION");
	for (size_t i = 0; i < l->len; i++) {
		const struct posting *p = &l->items[i];
		char pay[128];
		pay_format(&p->pay, pay, sizeof(pay));
		if (p->detail_ref) /* its detail was not read: unknown, not none */
			snprintf(pay, sizeof(pay), "unknown");
		put_cell(p->external_id, wid, true);
		fputs("  ", stdout);
		put_cell(p->title, wtitle, true);
		fputs("  ", stdout);
		put_cell(p->location, wloc, true);
		fputs("  ", stdout);
		put_cell(pay, (int)sizeof(pay), false);
		if (p->nranges > 1)
			printf(" (+%zu more)", p->nranges - 1);
		putchar('\n');
	}
}

/* A libconfig string: quotes and backslashes escaped. */
static void put_config_string(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s >= 0x20)
			buf_printf(b, "%c", *s);
	}
	buf_puts(b, "\"");
}

static void probe_print_snippet(const struct config_source *src)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "sources = (\n\t{ name = ");
	put_config_string(&b, src->name);
	buf_puts(&b, "; type = ");
	put_config_string(&b, src->type);
	buf_puts(&b, "; url = ");
	put_config_string(&b, src->url);
	buf_puts(&b, "; }\n);\n");
	say(stdout, "\nconfig:\n%s", b.data);
	buf_free(&b);
}

/* Poll the resolved board and print the report; 0 when postings were read. */
static int probe_report(struct probe *pr)
{
	const struct source_adapter *a = source_adapter_find(pr->type);

	say(stdout, "type:     %s (%s)\npolls:    %s\n", pr->type, pr->how, pr->api_url);
	fflush(stdout);
	if (a == NULL) {
		say(stderr, "jobwatchd: no adapter for type %s (types: %s)\n", pr->type,
		    source_type_list());
		return 1;
	}
	char *name = detect_name(pr->type, pr->api_url);
	struct config_source src = {.name = name,
				    .type = (char *)pr->type,
				    .url = pr->api_url,
				    .enabled = true,
				    .interval = 3600};
	struct source_target target = {.type = pr->type, .url = pr->api_url};
	int rc = probe_walk(pr, a, &target);
	if (rc == 0)
		probe_details(pr, a, &target);
	putchar('\n');
	probe_print_table(&pr->postings);
	printf("\npostings=%zu pages=%d dropped=%zu%s\n", pr->postings.len, pr->walk.pages,
	       pr->postings.dropped, rc < 0 || pr->walk.incomplete[0] ? " complete=false" : "");
	size_t unknown = 0;
	for (size_t i = 0; i < pr->postings.len; i++)
		unknown += pr->postings.items[i].detail_ref != NULL;
	if (pr->details_read + pr->details_failed + unknown > 0)
		printf("details: read=%zu failed=%zu pay_unknown=%zu (--details %d)\n",
		       pr->details_read, pr->details_failed, unknown, pr->max_details);
	if (rc == 0 && pr->walk.incomplete[0]) /* the daemon would store it as a partial poll */
		say(stdout, "partial: %s\n", pr->walk.incomplete);
	if (rc == 0)
		probe_print_snippet(&src);
	if (rc == 0 && pr->postings.len == 0) {
		say(stderr,
		    "jobwatchd: %s: no postings: the board is empty, or its name is "
		    "wrong (some systems answer an unknown board with an empty list)\n",
		    pr->api_url);
		rc = -1;
	}
	free(name);
	return rc == 0 ? 0 : 1;
}

int probe_run(const char *url, const char *type, int details)
{
	/* the daemon's defaults: poll.timeout 30 s, poll.max_body 64 MB */
	struct fetch_opts fo = {.timeout = 30, .max_body = 64L << 20};
	struct probe pr = {0};
	int rc = 1;

	pr.fetch = fetch_new(&fo);
	pr.max_details = details;
	if (probe_resolve(&pr, url, type) == 0)
		rc = probe_report(&pr);
	posting_list_clear(&pr.postings);
	free(pr.api_url);
	fetch_free(pr.fetch);
	return rc;
}
