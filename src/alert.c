/* alert.c - alert rules select events; each (event, rule) pair becomes one logfmt line handed
 * to the log module. Rules are PCRE2 patterns on the title and the department, a set of event
 * kinds, an optional list of sources and a minimum yearly pay. The line grammar is in alert.h;
 * its golden tests are in tests/unit/test_alert.c. This module never touches the database. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "alert.h"

#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "logfmt.h"
#include "pay.h"
#include "util.h"

struct alert_rule {
	const struct config_alert *cfg;
	pcre2_code *match;
	pcre2_code *department;
};

struct alert_rules {
	struct alert_rule *items;
	size_t len;
	pcre2_match_data *md;
};

/* pattern compiled as every rule is; NULL and why ("… at offset N") in err otherwise. */
static pcre2_code *pattern_compile(const char *pattern, char *err, size_t errlen)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re =
	    pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			  PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errlen, "%s at offset %zu", (char *)msg, (size_t)off);
	}
	return re;
}

bool alert_pattern_check(const char *pattern, char *err, size_t errlen)
{
	pcre2_code *re = pattern_compile(pattern, err, errlen);

	pcre2_code_free(re);
	return re != NULL;
}

static pcre2_code *rule_compile(const char *pattern, const char *rule, const char *what, char *err,
				size_t errlen)
{
	char why[320];
	pcre2_code *re = pattern_compile(pattern, why, sizeof(why));

	if (re == NULL) {
		snprintf(err, errlen, "alert '%s': %s pattern: %s", rule, what, why);
		return NULL;
	}
	/* JIT needs writable+executable memory; under MemoryDenyWriteExecute= it fails, and
	 * the interpreter is fast enough for titles. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

struct alert_rules *alert_rules_new(const struct config *c, char *err, size_t errlen)
{
	struct alert_rules *r = xcalloc(1, sizeof(*r));

	r->items = xcalloc(c->nalerts, sizeof(*r->items));
	for (size_t i = 0; i < c->nalerts; i++) {
		const struct config_alert *a = &c->alerts[i];
		struct alert_rule *rule = &r->items[r->len++];
		rule->cfg = a;
		if (a->match &&
		    (rule->match = rule_compile(a->match, a->name, "match", err, errlen)) == NULL)
			goto fail;
		if (a->department &&
		    (rule->department =
			 rule_compile(a->department, a->name, "department", err, errlen)) == NULL)
			goto fail;
	}
	r->md = pcre2_match_data_create(4, NULL);
	if (r->md == NULL)
		fatal("out of memory");
	return r;
fail:
	alert_rules_free(r);
	return NULL;
}

void alert_rules_free(struct alert_rules *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->len; i++) {
		pcre2_code_free(r->items[i].match);
		pcre2_code_free(r->items[i].department);
	}
	pcre2_match_data_free(r->md);
	free(r->items);
	free(r);
}

static bool re_matches(const struct alert_rules *r, const pcre2_code *re, const char *s)
{
	if (s == NULL)
		return false;
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, r->md, NULL) >= 0;
}

/* The yearly top of a posting's stated pay, NAN when it states none we can annualise. */
static double yearly_top(const struct pay *p)
{
	double v = isnan(p->max) ? p->min : p->max;

	return isnan(v) ? NAN : pay_yearly(v, p->period);
}

static bool rule_selects(const struct alert_rules *r, const struct alert_rule *rule,
			 const char *source, const struct event *e)
{
	const struct config_alert *a = rule->cfg;

	if (!(a->events & (1u << e->kind)))
		return false;
	if (a->nsources) {
		bool found = false;
		for (size_t i = 0; i < a->nsources && !found; i++)
			found = strcmp(a->sources[i], source) == 0;
		if (!found)
			return false;
	}
	if (event_kind_is_source(e->kind))
		return true; /* title, department and pay are a posting's: not asked */
	if (rule->match && !re_matches(r, rule->match, e->title))
		return false;
	if (rule->department && !re_matches(r, rule->department, e->department))
		return false;
	if (a->min_pay > 0) {
		double top = yearly_top(&e->pay);
		if (isnan(top) || top < a->min_pay)
			return false;
	}
	return true;
}

void alert_logfmt_pair(struct buf *out, const char *key, const char *value)
{
	logfmt_pair(out, key, value);
}

static void pair_if(struct buf *out, const char *key, const char *value)
{
	if (!str_empty(value))
		alert_logfmt_pair(out, key, value);
}

void alert_format(struct buf *out, const char *rule, const char *source, const struct event *e)
{
	char pay[96];

	buf_puts(out, "alert");
	alert_logfmt_pair(out, "rule", rule);
	alert_logfmt_pair(out, "event", event_kind_name(e->kind));
	alert_logfmt_pair(out, "source", source);
	alert_logfmt_pair(out, "id", e->external_id ? e->external_id : "");
	alert_logfmt_pair(out, "title", e->title ? e->title : "");
	pair_if(out, "location", e->location);
	pay_format(&e->pay, pay, sizeof(pay));
	pair_if(out, "pay", pay);
	pair_if(out, "url", e->url);
	if (e->kind >= EVENT_TITLE_CHANGED && e->kind <= EVENT_PAY_CHANGED)
		alert_logfmt_pair(out, "old", e->old_value ? e->old_value : "");
}

size_t alert_emit(const struct alert_rules *r, const char *source, const struct events *ev,
		  int prio)
{
	struct buf line = BUF_INIT;
	size_t n = 0;

	if (r == NULL || ev->baseline)
		return 0;
	for (size_t i = 0; i < ev->len; i++) {
		for (size_t k = 0; k < r->len; k++) {
			if (!rule_selects(r, &r->items[k], source, &ev->items[i]))
				continue;
			const struct event *e = &ev->items[i];
			struct log_alert_fields f = {event_kind_message_id(e->kind),
						     event_kind_name(e->kind), source,
						     e->external_id};
			buf_reset(&line);
			alert_format(&line, r->items[k].cfg->name, source, e);
			log_alert(prio, line.data, &f);
			n++;
		}
	}
	buf_free(&line);
	return n;
}

void alert_format_source(struct buf *out, const char *rule, const char *source,
			 const struct source_event *e)
{
	char n[16];

	buf_puts(out, "alert");
	alert_logfmt_pair(out, "rule", rule);
	alert_logfmt_pair(out, "event", event_kind_name(e->kind));
	alert_logfmt_pair(out, "source", source);
	alert_logfmt_pair(out, "reason", e->reason ? e->reason : "");
	if (e->failures > 0) {
		snprintf(n, sizeof(n), "%d", e->failures);
		alert_logfmt_pair(out, "failures", n);
	}
	pair_if(out, "since", e->since);
}

size_t alert_emit_source(const struct alert_rules *r, const char *source,
			 const struct source_event *e, int prio)
{
	struct buf line = BUF_INIT;
	struct event sel = {.kind = e->kind};
	struct log_alert_fields f = {event_kind_message_id(e->kind), event_kind_name(e->kind),
				     source, NULL};
	size_t n = 0;

	if (r == NULL || !event_kind_is_source(e->kind))
		return 0;
	for (size_t k = 0; k < r->len; k++) {
		if (!rule_selects(r, &r->items[k], source, &sel))
			continue;
		buf_reset(&line);
		alert_format_source(&line, r->items[k].cfg->name, source, e);
		log_alert(prio, line.data, &f);
		n++;
	}
	buf_free(&line);
	return n;
}
