/* teamtailor.c - Teamtailor's public job feed (X.teamtailor.com/jobs.json): one page, a JSON
 * Feed 1.1 {"version", "title", "items": […]} whose items carry a schema.org JobPosting in
 * _jobposting. Owns the mapping of an item to a posting: the item's id, title, url and
 * content_html first, the JobPosting's fields where the item has none. Locations are
 * "Locality, Country" per Place: Teamtailor's addressRegion is a company's own grouping
 * ("Europe", "Sweden") rather than a region, so it is left out. Pay is the JobPosting's
 * baseSalary when stated, else whatever the description says. The keyed JSON:API
 * (api.teamtailor.com, {"data": […]}) is a different source and is named as such when it
 * arrives here. Pure: no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "html.h"
#include "pay.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define TEAMTAILOR_ENVELOPE "a JSON Feed with \"items\""

static void add_place(struct buf *b, const struct jv *place)
{
	const struct jv *addr = jv_is_object(place) ? jv_get(place, "address") : place;
	const char *parts[2] = {NULL, NULL};
	struct buf one = BUF_INIT;

	if (jv_is_string(addr)) {
		parts[0] = jv_str(addr);
	} else {
		parts[0] = source_json_name(jv_get(addr, "addressLocality"));
		parts[1] = source_json_name(jv_get(addr, "addressCountry"));
	}
	for (size_t i = 0; i < UTIL_ARRAY_LEN(parts); i++) {
		char *c = source_clean_unescaped(parts[i]);
		if (c)
			source_add_unique(&one, c, ", ");
		free(c);
	}
	if (one.len)
		source_add_unique(b, one.data, "; ");
	buf_free(&one);
}

static char *location_of(const struct jv *job)
{
	const struct jv *loc = jv_get(job, "jobLocation");
	const struct jv *place;
	struct buf b = BUF_INIT;
	size_t i;

	if (jv_is_array(loc)) {
		jv_array_foreach(loc, i, place)
		{
			add_place(&b, place);
		}
	} else if (loc) {
		add_place(&b, loc);
	}
	const char *type = source_json_str(job, "jobLocationType");
	if (b.len == 0 && type && strcasecmp(type, "TELECOMMUTE") == 0)
		buf_puts(&b, "Remote");
	return b.len ? buf_steal(&b) : NULL;
}

/* baseSalary: MonetaryAmount {currency, value: QuantitativeValue {minValue, maxValue | value,
 * unitText}} or a bare amount; one range, unnamed. False when it states no amount. */
static bool pay_from_salary(struct posting *p, const struct jv *job)
{
	const struct jv *sal = jv_get(job, "baseSalary");
	const struct jv *qv = jv_is_object(sal) ? jv_get(sal, "value") : sal;
	const char *unit = source_json_str(sal, "unitText");
	const char *currency = source_json_str(sal, "currency");
	struct pay pay;
	double v;

	pay_clear(&pay);
	if (jv_is_object(qv)) {
		source_json_amount(jv_get(qv, "minValue"), &pay.min);
		source_json_amount(jv_get(qv, "maxValue"), &pay.max);
		if (!pay_is_set(&pay) && source_json_amount(jv_get(qv, "value"), &v))
			pay.min = pay.max = v;
		if (source_json_str(qv, "unitText"))
			unit = source_json_str(qv, "unitText");
	} else if (source_json_amount(qv, &v)) {
		pay.min = pay.max = v;
	}
	if (!pay_is_set(&pay))
		return false;
	source_set_currency(pay.currency,
			    currency ? currency : source_json_str(job, "salaryCurrency"));
	pay.period = pay_period_parse(unit);
	snprintf(pay.source, sizeof(pay.source), "teamtailor:baseSalary");
	posting_add_range(p, NULL, &pay);
	return true;
}

static char *description_text(const struct jv *item, const struct jv *job)
{
	const char *html = source_json_str(item, "content_html");

	if (html == NULL)
		html = source_json_str(job, "description");
	if (html == NULL) {
		const char *text = source_json_str(item, "content_text");
		return source_fold_text(text, text ? strlen(text) : 0);
	}
	char *raw = html_to_text(html, strlen(html));
	char *text = source_fold_text(raw, strlen(raw));
	free(raw);
	return text;
}

static char *id_of(const struct jv *item, const struct jv *job)
{
	char *id = source_json_id(jv_get(item, "id"));
	const struct jv *ident = jv_get(job, "identifier");

	if (id == NULL)
		id = jv_is_object(ident) ? source_json_id(jv_get(ident, "value"))
					 : source_json_id(ident);
	return id;
}

static void parse_item(const struct jv *item, void *ctx, struct posting_list *out)
{
	const struct jv *job = source_json_obj(item, "_jobposting");
	char *id = id_of(item, job);
	char *title = source_clean_unescaped(source_json_str(item, "title"));

	if (title == NULL)
		title = source_clean_unescaped(source_json_str(job, "title"));
	struct posting *p = source_posting_add(out, id, title);

	if (p == NULL)
		return;
	p->department = source_clean_unescaped(source_json_name(jv_get(job, "department")));
	p->location = location_of(job);
	char *url = source_clean(source_json_str(item, "url"));
	if (url == NULL)
		url = source_clean(source_json_str(job, "url"));
	p->url = source_url_strip_tracking(url);
	free(url);

	char *text = description_text(item, job);
	source_set_digest(p, text);
	if (!pay_from_salary(p, job))
		source_pay_from_text(p, text, "text");
	free(text);
}

/* The private API's JSON:API document is not the public feed. */
static bool says_jsonapi(const struct jv *root, char *what, size_t len)
{
	if (!jv_has(root, "data"))
		return false;
	snprintf(what, len, "a JSON:API document (\"data\"): poll the public /jobs.json feed");
	return true;
}

/* True when body is XML rather than HTML: Teamtailor's other feed, /jobs.rss. */
static bool is_xml(const char *body, size_t len)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", body[i]))
		i++;
	return len - i >= 5 &&
	       (strncmp(body + i, "<?xml", 5) == 0 || strncmp(body + i, "<rss", 4) == 0);
}

static int teamtailor_parse(const struct source_target *src, struct source_walk *w,
			    const char *body, size_t len, struct posting_list *out,
			    struct source_request *next, char *err, size_t errlen)
{
	static const struct source_json_list list = {.key = "items",
						     .expected = TEAMTAILOR_ENVELOPE,
						     .says = says_jsonapi,
						     .each = parse_item,
						     .alone = true};

	if (body && is_xml(body, len)) {
		snprintf(err, errlen,
			 "expected " TEAMTAILOR_ENVELOPE
			 ", found XML (the RSS feed?): poll /jobs.json");
		return -1;
	}
	return source_json_each(&list, body, len, NULL, out, err, errlen);
}

/* COMPANY.teamtailor.com or COMPANY.na.teamtailor.com, its feed at /jobs.json. */
static bool teamtailor_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char c[URL_MAX_NAME];

	if (!url_host_under(u, "teamtailor.com", 1, c, sizeof(c)) &&
	    !url_host_under(u, "na.teamtailor.com", 1, c, sizeof(c)))
		return false;
	*api_url = url_path_starts(u, "/jobs.json") ? xstrdup(url)
						    : xasprintf("https://%s/jobs.json", u->host);
	return true;
}

const struct source_adapter source_teamtailor = {
    .type = "teamtailor",
    .first = source_first_url,
    .parse = teamtailor_parse,
    .board = {"https://", ".teamtailor.com/jobs.json"},
    .recognise = teamtailor_recognise,
};
