/* test_adapters.c - one engine for every adapter's expected rows: it reads each
 * tests/adapters/<type>.eval (or the files given as arguments), runs the pages, detail payloads
 * and requests a case names through the adapter's hooks, and checks what the rows expect, as
 * pgbouncer's hba_test loops over hba_test.eval. Each case prints one "ok - <file>:<case>"
 * line; a failed row prints "# <file>:<line>: …". The format is in tests/adapters/README.md.
 * Run from the top of the tree. */
#include <glob.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "harness.h"

#include "buf.h"
#include "source.h"
#include "util.h"

#define EVAL_MAX_FIELDS 8

/* One case being run: the source, the walk so far, the last detail read and request, and the
 * posting the rows look at. */
struct eval {
	const char *file;
	int line;
	struct source_target src;
	char *type, *url;
	char *xpath[7]; /* owned copies of what the source's set rows name */
	const struct source_adapter *a;
	struct source_walk w;
	struct posting_list out;
	struct source_request req, next;
	struct source_request dreq; /* the last detail_request row's */
	struct posting detail;	    /* the last detail row's, when detail_set */
	bool detail_set;
	struct posting *p;
	int rc;
	bool rc_checked, next_checked;
	char err[512];
	char name[200];
	bool open;
	int failed;
};

static int eval_passed, eval_failed;

static void eval_fail(struct eval *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void eval_fail(struct eval *e, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", e->file, e->line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	e->failed++;
}

/* "(null)" names NULL; anything else is the string itself ("" included). */
static bool eval_str_eq(const char *got, const char *want)
{
	if (strcmp(want, "(null)") == 0)
		return got == NULL;
	return got != NULL && strcmp(got, want) == 0;
}

static void eval_check_str(struct eval *e, const char *what, const char *got, const char *want)
{
	if (!eval_str_eq(got, want))
		eval_fail(e, "%s is \"%s\", expected \"%s\"", what, got ? got : "(null)", want);
}

static void eval_check_sub(struct eval *e, const char *what, const char *got, const char *want)
{
	if (got == NULL || strstr(got, want) == NULL)
		eval_fail(e, "%s is \"%s\", expected it to hold \"%s\"", what, got ? got : "(null)",
			  want);
}

static bool eval_is_hex_digest(const char *d)
{
	if (strlen(d) != 64)
		return false;
	for (const char *s = d; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return false;
	return true;
}

/* An amount: "nan" for not stated, "*" for not checked. */
static void eval_check_amount(struct eval *e, const char *what, double got, const char *want)
{
	if (strcmp(want, "*") == 0)
		return;
	double w = strcmp(want, "nan") == 0 ? NAN : strtod(want, NULL);
	if (!((isnan(got) && isnan(w)) || fabs(got - w) < 1e-6))
		eval_fail(e, "%s is %g, expected %s", what, got, want);
}

static void eval_check_num(struct eval *e, const char *what, long got, const char *want)
{
	if (got != strtol(want, NULL, 10))
		eval_fail(e, "%s is %ld, expected %s", what, got, want);
}

/* min, max, currency, period ("-" for none) of one range, each "*" when not checked. */
static void eval_check_pay(struct eval *e, const char *what, const struct pay *pay, char **v)
{
	char name[64];
	const char *period = pay_period_name(pay->period);

	snprintf(name, sizeof(name), "%s min", what);
	eval_check_amount(e, name, pay->min, v[0]);
	snprintf(name, sizeof(name), "%s max", what);
	eval_check_amount(e, name, pay->max, v[1]);
	if (strcmp(v[2], "*") != 0 && strcmp(pay->currency, strcmp(v[2], "-") ? v[2] : "") != 0)
		eval_fail(e, "%s currency is \"%s\", expected %s", what, pay->currency, v[2]);
	if (strcmp(v[3], "*") != 0 && strcmp(period ? period : "-", v[3]) != 0)
		eval_fail(e, "%s period is %s, expected %s", what, period ? period : "-", v[3]);
}

/* What the parse before this row left unchecked: it returned 0 and asked for no next page,
 * unless an error or next row said otherwise. */
static void eval_settle(struct eval *e)
{
	if (!e->rc_checked && e->rc != 0)
		eval_fail(e, "the parse failed: %s", e->err);
	if (!e->next_checked && e->next.url != NULL)
		eval_fail(e, "the page asks for a next one: %s", e->next.url);
	e->rc_checked = e->next_checked = true;
}

static void eval_detail_clear(struct eval *e)
{
	if (e->detail_set)
		posting_free_fields(&e->detail);
	memset(&e->detail, 0, sizeof(e->detail));
	e->detail_set = false;
	if (e->p == &e->detail)
		e->p = NULL;
}

static void eval_end(struct eval *e)
{
	if (!e->open)
		return;
	eval_settle(e);
	posting_list_clear(&e->out);
	source_request_clear(&e->req);
	source_request_clear(&e->next);
	eval_detail_clear(e);
	source_request_clear(&e->dreq);
	e->p = NULL;
	if (e->failed) {
		eval_failed++;
		printf("not ok - %s:%s\n", e->file, e->name);
	} else {
		eval_passed++;
		printf("ok - %s:%s\n", e->file, e->name);
	}
	fflush(stdout);
	e->open = false;
	e->failed = 0;
}

static void eval_begin(struct eval *e, const char *name)
{
	eval_end(e);
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->open = true;
	e->failed = 0;
	e->rc = 0;
	e->rc_checked = e->next_checked = true;
	source_walk_init(&e->w, 0);
	e->a = source_adapter_find(e->src.type ? e->src.type : "");
	if (e->a == NULL)
		eval_fail(e, "no adapter for type \"%s\"", e->src.type ? e->src.type : "");
}

/* A page as the loop hands it over: the first answers the source's URL, a later one the next
 * request the page before asked for. */
static void eval_parse(struct eval *e, const char *body, size_t len)
{
	eval_settle(e);
	if (e->a == NULL)
		return;
	if (e->next.url) {
		source_request_clear(&e->req);
		e->req = e->next;
		memset(&e->next, 0, sizeof(e->next));
	}
	e->w.page_url = e->req.url ? e->req.url : e->src.url;
	e->err[0] = '\0';
	e->rc = e->a->parse(&e->src, &e->w, body, len, &e->out, &e->next, e->err, sizeof(e->err));
	e->rc_checked = e->next_checked = false;
	e->w.pages++;
}

/* A detail payload as the loop hands it over: read by detail_parse into a fresh posting (zeroed,
 * pay cleared), which the posting rows that follow are about. */
static void eval_detail(struct eval *e, const char *body, size_t len)
{
	eval_settle(e);
	if (e->a == NULL)
		return;
	eval_detail_clear(e);
	if (e->a->detail_parse == NULL) {
		eval_fail(e, "type %s has no detail_parse", e->a->type);
		return;
	}
	pay_clear(&e->detail.pay);
	e->detail_set = true;
	e->err[0] = '\0';
	e->rc = e->a->detail_parse(&e->src, body, len, &e->detail, e->err, sizeof(e->err));
	e->rc_checked = false;
	e->p = &e->detail;
}

/* detail_request ID REF URL: the request for the detail of the posting whose external_id is ID
 * and detail_ref REF ("(null)": NULL) is URL ("*": not checked; "-": refused, then v[3] the
 * error). */
static void eval_detail_request(struct eval *e, char **v, int n)
{
	char err[512] = "";

	eval_settle(e);
	if (e->a == NULL)
		return;
	source_request_clear(&e->dreq);
	if (e->a->detail_request == NULL) {
		eval_fail(e, "type %s has no detail_request", e->a->type);
		return;
	}
	const char *id = strcmp(v[0], "(null)") ? v[0] : NULL;
	const char *ref = strcmp(v[1], "(null)") ? v[1] : NULL;
	int rc = e->a->detail_request(&e->src, id, ref, &e->dreq, err, sizeof(err));
	if (strcmp(v[2], "-") == 0) {
		if (rc != -1 || e->dreq.url != NULL)
			eval_fail(e, "detail_request gave %s, expected a refusal", e->dreq.url);
		if (n > 3)
			eval_check_sub(e, "detail_request's error", err, v[3]);
		return;
	}
	if (rc != 0)
		eval_fail(e, "detail_request failed: %s", err);
	if (strcmp(v[2], "*") != 0)
		eval_check_str(e, "detail_request's url", e->dreq.url, v[2]);
}

/* refused BODY URL: what the refused hook makes of a first page refused with BODY: the URL to
 * poll instead, or "(null)" (also when the type has no such hook). */
static void eval_refused(struct eval *e, const char *body, const char *want)
{
	eval_settle(e);
	if (e->a == NULL)
		return;
	char *got = e->a->refused ? e->a->refused(&e->src, body, strlen(body)) : NULL;
	eval_check_str(e, "refused's url", got, want);
	free(got);
}

/* The set rows a type html source takes: its XPath expressions and allow_empty. */
static const struct {
	const char *key;
	size_t off;
} eval_xpaths[7] = {
    {"item", offsetof(struct source_target, xpath_item)},
    {"title", offsetof(struct source_target, xpath_title)},
    {"link", offsetof(struct source_target, xpath_link)},
    {"location", offsetof(struct source_target, xpath_location)},
    {"department", offsetof(struct source_target, xpath_department)},
    {"pay", offsetof(struct source_target, xpath_pay)},
    {"id", offsetof(struct source_target, xpath_id)},
};

static void eval_set(struct eval *e, const char *key, const char *value)
{
	if (strcmp(key, "allow_empty") == 0) {
		e->src.allow_empty = strcmp(value, "1") == 0;
		return;
	}
	for (size_t i = 0; i < 7; i++) {
		if (strcmp(key, eval_xpaths[i].key) != 0)
			continue;
		free(e->xpath[i]);
		e->xpath[i] = strcmp(value, "(null)") ? xstrdup(value) : NULL;
		*(const char **)((char *)&e->src + eval_xpaths[i].off) = e->xpath[i];
		return;
	}
	eval_fail(e, "set of an unknown key %s", key);
}

static void eval_free_source(struct eval *e)
{
	for (size_t i = 0; i < 7; i++) {
		free(e->xpath[i]);
		e->xpath[i] = NULL;
	}
	free(e->type);
	free(e->url);
}

static void eval_source(struct eval *e, char **v, int n)
{
	eval_free_source(e);
	e->type = xstrdup(v[0]);
	e->url = n > 1 && strcmp(v[1], "(null)") ? xstrdup(v[1]) : NULL;
	e->src = (struct source_target){.type = e->type, .url = e->url};
}

/* first: a new poll (a new walk and list) and its first request, URL ("*": not checked; "-":
 * refused, then v[1] the error). The pages that follow answer it. */
static void eval_first(struct eval *e, char **v, int n)
{
	char err[512] = "";

	eval_settle(e);
	if (e->a == NULL)
		return;
	posting_list_clear(&e->out);
	source_request_clear(&e->req);
	source_request_clear(&e->next);
	e->p = NULL;
	source_walk_init(&e->w, 0);
	int rc = e->a->first(&e->src, &e->w, &e->req, err, sizeof(err));
	if (strcmp(v[0], "-") == 0) {
		if (rc != -1 || e->req.url != NULL)
			eval_fail(e, "first gave %s, expected a refusal", e->req.url);
		if (n > 1)
			eval_check_sub(e, "first's error", err, v[1]);
		return;
	}
	if (rc != 0)
		eval_fail(e, "first failed: %s", err);
	if (strcmp(v[0], "*") != 0)
		eval_check_str(e, "first's url", e->req.url, v[0]);
}

static struct posting *eval_find(struct eval *e, const char *id)
{
	struct posting *p = posting_list_find(&e->out, id);

	if (p == NULL)
		eval_fail(e, "no posting %s", id);
	return p;
}

static struct posting *eval_item(struct eval *e, const char *index)
{
	size_t i = strtoul(index, NULL, 10);

	if (i < e->out.len)
		return &e->out.items[i];
	eval_fail(e, "no item %zu (%zu postings)", i, e->out.len);
	return NULL;
}

/* A row about the posting chosen by the last posting or item row. */
static bool eval_posting_row(struct eval *e, const char *k, char **v, int n)
{
	static const struct {
		const char *key;
		size_t off;
	} strs[] = {
	    {"id", offsetof(struct posting, external_id)},
	    {"title", offsetof(struct posting, title)},
	    {"department", offsetof(struct posting, department)},
	    {"location", offsetof(struct posting, location)},
	    {"url", offsetof(struct posting, url)},
	    {"pay_text", offsetof(struct posting, pay_text)},
	    {"detail_ref", offsetof(struct posting, detail_ref)},
	    {"detail_key", offsetof(struct posting, detail_key)},
	};
	struct posting *p = e->p;
	char key[64];
	size_t kl = strlen(k);
	bool prefix = kl > 1 && strcmp(k + kl - 2, "~^") == 0;
	bool sub = !prefix && kl > 0 && k[kl - 1] == '~';

	snprintf(key, sizeof(key), "%.*s", (int)(kl - (prefix ? 2 : sub ? 1 : 0)), k);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (strcmp(key, strs[i].key) != 0)
			continue;
		if (p == NULL) {
			eval_fail(e, "%s of no posting", key);
			return true;
		}
		const char *got = *(char **)((char *)p + strs[i].off);
		if (prefix) {
			if (got == NULL || strncmp(got, v[0], strlen(v[0])) != 0)
				eval_fail(e, "%s is \"%s\", expected it to start with \"%s\"", key,
					  got ? got : "(null)", v[0]);
		} else if (sub) {
			eval_check_sub(e, key, got, v[0]);
		} else {
			eval_check_str(e, key, got, v[0]);
		}
		return true;
	}
	static const char *const keys[] = {
	    "digest",	     "digest_hex", "ranges_text", "digest_len",	  "digest_as",
	    "digest_not_as", "pay",	   "pay_is_not",  "pay_source",	  "pay_source!",
	    "pay_inferred",  "ranges",	   "range",	  "range_is_pay", "range_source",
	};
	size_t ki = 0;
	while (ki < sizeof(keys) / sizeof(keys[0]) && strcmp(k, keys[ki]) != 0)
		ki++;
	if (ki == sizeof(keys) / sizeof(keys[0]))
		return false;
	if (p == NULL) {
		eval_fail(e, "%s of no posting", k);
		return true;
	}
	if (strcmp(k, "digest") == 0) {
		eval_check_str(e, "digest", p->digest, v[0]);
	} else if (strcmp(k, "digest_hex") == 0) {
		if (!eval_is_hex_digest(p->digest))
			eval_fail(e, "digest \"%s\" is not 64 hex digits", p->digest);
	} else if (strcmp(k, "ranges_text") == 0) {
		char *all = posting_pay_ranges_text(p);
		eval_check_str(e, "ranges as text", all, v[0]);
		free(all);
	} else if (strcmp(k, "digest_len") == 0) {
		eval_check_num(e, "digest length", (long)strlen(p->digest), v[0]);
	} else if (strcmp(k, "digest_as") == 0 || strcmp(k, "digest_not_as") == 0) {
		struct posting *o = v[0][0] == '#' ? eval_item(e, v[0] + 1) : eval_find(e, v[0]);
		bool same = o && strcmp(o->digest, p->digest) == 0;
		if (o && same != (strcmp(k, "digest_as") == 0))
			eval_fail(e, "digest %s that of %s", same ? "is" : "is not", v[0]);
	} else if (strcmp(k, "pay") == 0) {
		if (strcmp(v[0], "none") == 0) {
			if (pay_is_set(&p->pay))
				eval_fail(e, "pay is set (%g-%g), expected none", p->pay.min,
					  p->pay.max);
		} else if (n < 4) {
			eval_fail(e, "pay needs min, max, currency and period");
		} else {
			eval_check_pay(e, "pay", &p->pay, v);
		}
	} else if (strcmp(k, "pay_source") == 0) {
		eval_check_str(e, "pay source", p->pay.source, v[0]);
	} else if (strcmp(k, "pay_source!") == 0) {
		if (strcmp(p->pay.source, v[0]) == 0)
			eval_fail(e, "pay source is \"%s\", expected another", v[0]);
	} else if (strcmp(k, "pay_is_not") == 0) {
		if (n < 2 || (p->pay.min == strtod(v[0], NULL) && p->pay.max == strtod(v[1], NULL)))
			eval_fail(e, "pay is %g-%g, expected another", p->pay.min, p->pay.max);
	} else if (strcmp(k, "pay_inferred") == 0) {
		eval_check_num(e, "pay period_inferred", p->pay.period_inferred, v[0]);
	} else if (strcmp(k, "ranges") == 0) {
		eval_check_num(e, "ranges", (long)p->nranges, v[0]);
	} else {
		/* range I LABEL MIN MAX CURRENCY PERIOD; range_is_pay I; range_source I SOURCE */
		size_t i = strtoul(v[0], NULL, 10);
		char what[32];
		if (i >= p->nranges) {
			eval_fail(e, "no range %zu (%zu ranges)", i, p->nranges);
			return true;
		}
		snprintf(what, sizeof(what), "range %zu", i);
		if (strcmp(k, "range_is_pay") == 0) {
			if (!pay_equal(&p->ranges[i].pay, &p->pay))
				eval_fail(e, "%s is not the posting's pay", what);
		} else if (strcmp(k, "range_source") == 0) {
			if (n < 2)
				eval_fail(e, "range_source needs index and source");
			else
				eval_check_str(e, "range source", p->ranges[i].pay.source, v[1]);
		} else if (n < 6) {
			eval_fail(e, "range needs index, label, min, max, currency and period");
		} else {
			if (strcmp(v[1], "*") != 0)
				eval_check_str(e, "range label", p->ranges[i].label, v[1]);
			eval_check_pay(e, what, &p->ranges[i].pay, v + 2);
		}
	}
	return true;
}

/* A row about the walk: the list so far, the last parse's result and the next request. */
static bool eval_walk_row(struct eval *e, const char *k, char **v, int n)
{
	if (strcmp(k, "error") == 0 || strcmp(k, "error=") == 0) {
		if (e->rc != -1)
			eval_fail(e, "the parse returned %d, expected -1", e->rc);
		if (k[5] == '=')
			eval_check_str(e, "error", e->err, v[0]);
		else
			eval_check_sub(e, "error", e->err, v[0]);
		e->rc_checked = true;
	} else if (strcmp(k, "no_error") == 0) {
		if (e->rc != 0 || e->err[0] != '\0')
			eval_fail(e, "the parse returned %d with error \"%s\", expected none",
				  e->rc, e->err);
		e->rc_checked = true;
	} else if (strcmp(k, "error_trimmed") == 0) {
		size_t len = strlen(e->err);
		if (len > 0 && e->err[len - 1] == '\n')
			eval_fail(e, "the error ends with a newline");
	} else if (strcmp(k, "next") == 0) {
		if (strcmp(v[0], "*") == 0) {
			if (e->next.url == NULL)
				eval_fail(e, "no next page, expected one");
		} else {
			eval_check_str(e, "next url", e->next.url, v[0]);
		}
		e->next_checked = true;
	} else if (strcmp(k, "next_body") == 0) {
		eval_check_str(e, "next body", e->next.body, v[0]);
	} else if (strcmp(k, "len") == 0) {
		eval_check_num(e, "postings", (long)e->out.len, v[0]);
	} else if (strcmp(k, "dropped") == 0) {
		eval_check_num(e, "dropped", (long)e->out.dropped, v[0]);
	} else if (strcmp(k, "total") == 0) {
		eval_check_num(e, "walk total", e->w.total, v[0]);
	} else if (strcmp(k, "offset") == 0) {
		eval_check_num(e, "walk offset", e->w.offset, v[0]);
	} else if (strcmp(k, "seen") == 0) {
		eval_check_num(e, "walk seen", e->w.seen, v[0]);
	} else if (strcmp(k, "incomplete") == 0) {
		if (v[0][0] == '\0')
			eval_check_str(e, "incomplete", e->w.incomplete, "");
		else
			eval_check_sub(e, "incomplete", e->w.incomplete, v[0]);
	} else if (strcmp(k, "with_pay") == 0) {
		long with = 0;
		for (size_t i = 0; i < e->out.len; i++)
			with += pay_is_set(&e->out.items[i].pay);
		eval_check_num(e, "postings with pay", with, v[0]);
	} else if (strcmp(k, "with_pay_source") == 0 && n == 2) {
		long with = 0;
		for (size_t i = 0; i < e->out.len; i++)
			with += strcmp(e->out.items[i].pay.source, v[0]) == 0;
		eval_check_num(e, "postings with that pay source", with, v[1]);
	} else if (strcmp(k, "distinct_ids") == 0) {
		for (size_t i = 0; i < e->out.len; i++)
			for (size_t j = i + 1; j < e->out.len; j++)
				if (strcmp(e->out.items[i].external_id,
					   e->out.items[j].external_id) == 0)
					eval_fail(e, "postings %zu and %zu share id %s", i, j,
						  e->out.items[i].external_id);
	} else if (strcmp(k, "every_url~^") == 0) {
		for (size_t i = 0; i < e->out.len; i++) {
			const char *u = e->out.items[i].url;
			if (u == NULL || strncmp(u, v[0], strlen(v[0])) != 0)
				eval_fail(e, "posting %zu's url %s does not start with %s", i,
					  u ? u : "(null)", v[0]);
		}
	} else if (strcmp(k, "every_digest_hex") == 0) {
		for (size_t i = 0; i < e->out.len; i++)
			if (!eval_is_hex_digest(e->out.items[i].digest))
				eval_fail(e, "posting %zu's digest \"%s\" is not 64 hex digits", i,
					  e->out.items[i].digest);
	} else if (strcmp(k, "every_title") == 0) {
		for (size_t i = 0; i < e->out.len; i++) {
			const char *t = e->out.items[i].title;
			if (t == NULL || *t == '\0')
				eval_fail(e, "posting %zu has no title", i);
		}
	} else if (strcmp(k, "posting") == 0) {
		e->p = eval_find(e, v[0]);
	} else if (strcmp(k, "absent") == 0) {
		if (posting_list_find(&e->out, v[0]) != NULL)
			eval_fail(e, "posting %s is there, expected it absent", v[0]);
	} else if (strcmp(k, "item") == 0) {
		e->p = eval_item(e, v[0]);
	} else {
		return false;
	}
	(void)n;
	return true;
}

/* Split a line at tabs into key and up to EVAL_MAX_FIELDS values; returns the value count. */
static int eval_split(char *line, char **key, char **v)
{
	int n = 0;

	*key = line;
	char *t = strchr(line, '\t');
	while (t && n < EVAL_MAX_FIELDS) {
		*t = '\0';
		v[n++] = t + 1;
		t = strchr(t + 1, '\t');
	}
	return n;
}

static void eval_row(struct eval *e, char *line)
{
	char *k, *v[EVAL_MAX_FIELDS];
	int n = eval_split(line, &k, v);

	if (strcmp(k, "source") == 0 && n >= 1) {
		eval_end(e);
		eval_source(e, v, n);
	} else if (strcmp(k, "set") == 0 && n == 2) {
		eval_set(e, v[0], v[1]);
	} else if (strcmp(k, "case") == 0 && n == 1) {
		eval_begin(e, v[0]);
	} else if (!e->open) {
		eval_fail(e, "a %s row outside a case", k);
	} else if (strcmp(k, "page") == 0 && n == 1) {
		size_t len;
		char *body = harness_read(v[0], &len);
		eval_parse(e, body, len);
		free(body);
	} else if (strcmp(k, "file") == 0 && n == 1) {
		char path[512];
		size_t len;
		snprintf(path, sizeof(path), "../adapters/%s", v[0]);
		char *body = harness_read(path, &len); /* under tests/adapters */
		eval_parse(e, body, len);
		free(body);
	} else if (strcmp(k, "wrap") == 0 && n == 3) {
		struct buf b = BUF_INIT;
		size_t len;
		char *payload = harness_read(v[0], &len);
		buf_puts(&b, v[1]);
		buf_append(&b, payload, len);
		buf_puts(&b, v[2]);
		eval_parse(e, b.data, b.len);
		buf_free(&b);
		free(payload);
	} else if (strcmp(k, "script") == 0 && n == 1) {
		struct buf b = BUF_INIT;
		buf_printf(&b,
			   "<!DOCTYPE html><html><head><script type=\"application/ld+json\">%s"
			   "</script></head><body><p>page</p></body></html>",
			   v[0]);
		eval_parse(e, b.data, b.len);
		buf_free(&b);
	} else if (strcmp(k, "body") == 0) {
		const char *body = n ? v[0] : "";
		eval_parse(e, body, strlen(body));
	} else if (strcmp(k, "detail") == 0 && n == 1) {
		size_t len;
		char *body = harness_read(v[0], &len);
		eval_detail(e, body, len);
		free(body);
	} else if (strcmp(k, "detail_body") == 0) {
		const char *body = n ? v[0] : "";
		eval_detail(e, body, strlen(body));
	} else if (strcmp(k, "detail_request") == 0 && n >= 3) {
		eval_detail_request(e, v, n);
	} else if (strcmp(k, "detail_request_accept") == 0 && n == 1) {
		eval_check_str(e, "detail_request's accept", e->dreq.accept, v[0]);
	} else if (strcmp(k, "detail_request_body") == 0 && n == 1) {
		eval_check_str(e, "detail_request's body", e->dreq.body, v[0]);
	} else if (strcmp(k, "detail_request_type") == 0 && n == 1) {
		eval_check_str(e, "detail_request's content type", e->dreq.content_type, v[0]);
	} else if (strcmp(k, "refused") == 0 && n == 2) {
		eval_refused(e, v[0], v[1]);
	} else if (strcmp(k, "first") == 0 && n >= 1) {
		eval_first(e, v, n);
	} else if (strcmp(k, "first_for") == 0 && n >= 2) {
		free(e->url);
		e->url = strcmp(v[0], "(null)") ? xstrdup(v[0]) : NULL;
		e->src.url = e->url;
		eval_first(e, v + 1, n - 1);
	} else if (strcmp(k, "first_body") == 0 && n == 1) {
		eval_check_str(e, "first's body", e->req.body, v[0]);
	} else if (strcmp(k, "first_type") == 0 && n == 1) {
		eval_check_str(e, "first's content type", e->req.content_type, v[0]);
	} else if (strcmp(k, "no_adapter") == 0 && n == 1) {
		if (source_adapter_find(v[0]) != NULL)
			eval_fail(e, "type %s has an adapter", v[0]);
	} else if (strcmp(k, "board") == 0 && n == 2) {
		char *url = source_board_url(e->src.type, v[0]);
		eval_check_str(e, "board url", url, v[1]);
		free(url);
	} else if (n >= 1 && (eval_walk_row(e, k, v, n) || eval_posting_row(e, k, v, n))) {
		;
	} else {
		eval_fail(e, "unknown row \"%s\" with %d values", k, n);
	}
}

static void eval_file(const char *path)
{
	struct eval e = {.file = path};
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (f == NULL) {
		printf("not ok - cannot open %s\n", path);
		eval_failed++;
		return;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		e.line++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		eval_row(&e, line);
		/* a malformed row outside a case fails the file */
		if (!e.open && e.failed) {
			printf("not ok - %s:%d\n", path, e.line);
			eval_failed++;
			e.failed = 0;
		}
	}
	eval_end(&e);
	free(line);
	eval_free_source(&e);
	fclose(f);
}

int main(int argc, char **argv)
{
	glob_t g;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			eval_file(argv[i]);
	} else if (glob("tests/adapters/*.eval", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			eval_file(g.gl_pathv[i]);
		globfree(&g);
	} else {
		printf("not ok - no tests/adapters/*.eval (run from the top of the tree)\n");
		return 1;
	}
	printf("# %d passed, %d failed\n", eval_passed, eval_failed);
	(void)harness_passed;
	(void)harness_failed;
	(void)harness_cur_failed;
	return eval_failed ? 1 : 0;
}
