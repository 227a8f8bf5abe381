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
#include "util.h"

#define TEAMTAILOR_ENVELOPE "a JSON Feed with \"items\""

/* JSON-LD text is often entity-escaped ("R&amp;D"). */
static char *clean_text(const char *s)
{
	if (s == NULL)
		return NULL;
	char *plain = html_unescape(s, strlen(s));
	char *clean = source_clean(plain);
	free(plain);
	return clean;
}

/* A string, or an object's name ({"@type": "Country", "name": "SE"}). */
static const char *name_of(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : source_json_str(v, "name");
}

static void add_unique(struct buf *b, const char *part, const char *sep)
{
	size_t n = strlen(part), seplen = strlen(sep);

	for (const char *s = b->len ? b->data : NULL; s;) {
		const char *end = strstr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len == n && strncmp(s, part, n) == 0)
			return;
		s = end ? end + seplen : NULL;
	}
	if (b->len)
		buf_puts(b, sep);
	buf_puts(b, part);
}

static void add_place(struct buf *b, const json_t *place)
{
	const json_t *addr = json_is_object(place) ? json_object_get(place, "address") : place;
	const char *parts[2] = {NULL, NULL};
	struct buf one = BUF_INIT;

	if (json_is_string(addr)) {
		parts[0] = json_string_value(addr);
	} else {
		parts[0] = name_of(json_object_get(addr, "addressLocality"));
		parts[1] = name_of(json_object_get(addr, "addressCountry"));
	}
	for (size_t i = 0; i < UTIL_ARRAY_LEN(parts); i++) {
		char *c = clean_text(parts[i]);
		if (c)
			add_unique(&one, c, ", ");
		free(c);
	}
	if (one.len)
		add_unique(b, one.data, "; ");
	buf_free(&one);
}

static char *location_of(const json_t *job)
{
	const json_t *loc = json_object_get(job, "jobLocation");
	const json_t *place;
	struct buf b = BUF_INIT;
	size_t i;

	if (json_is_array(loc)) {
		json_array_foreach(loc, i, place)
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
static bool pay_from_salary(struct posting *p, const json_t *job)
{
	const json_t *sal = json_object_get(job, "baseSalary");
	const json_t *qv = json_is_object(sal) ? json_object_get(sal, "value") : sal;
	const char *unit = source_json_str(sal, "unitText");
	const char *currency = source_json_str(sal, "currency");
	struct pay pay;
	double v;

	pay_clear(&pay);
	if (json_is_object(qv)) {
		source_json_amount(json_object_get(qv, "minValue"), &pay.min);
		source_json_amount(json_object_get(qv, "maxValue"), &pay.max);
		if (!pay_is_set(&pay) && source_json_amount(json_object_get(qv, "value"), &v))
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

static char *description_text(const json_t *item, const json_t *job)
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

static char *id_of(const json_t *item, const json_t *job)
{
	char *id = source_json_id(json_object_get(item, "id"));
	const json_t *ident = json_object_get(job, "identifier");

	if (id == NULL)
		id = json_is_object(ident) ? source_json_id(json_object_get(ident, "value"))
					   : source_json_id(ident);
	return id;
}

static void parse_item(const json_t *item, struct posting_list *out)
{
	const json_t *job = source_json_obj(item, "_jobposting");
	char *id = id_of(item, job);
	char *title = clean_text(source_json_str(item, "title"));

	if (title == NULL)
		title = clean_text(source_json_str(job, "title"));
	if (id == NULL || title == NULL) {
		free(id);
		free(title);
		out->dropped++;
		return;
	}
	struct posting *p = posting_list_add(out);
	p->external_id = id;
	p->title = title;
	p->department = clean_text(name_of(json_object_get(job, "department")));
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

static void envelope_error(const json_t *root, char *err, size_t errlen)
{
	const json_t *items = json_object_get(root, "items");

	if (!json_is_object(root))
		snprintf(err, errlen, "expected " TEAMTAILOR_ENVELOPE ", found %s",
			 source_json_kind(root));
	else if (items)
		snprintf(err, errlen,
			 "expected " TEAMTAILOR_ENVELOPE ", found \"items\" holding %s",
			 source_json_kind(items));
	else if (json_object_get(root, "data"))
		snprintf(err, errlen,
			 "expected " TEAMTAILOR_ENVELOPE
			 ", found a JSON:API document (\"data\"): poll the public /jobs.json feed");
	else
		snprintf(err, errlen,
			 "expected " TEAMTAILOR_ENVELOPE ", found an object without it");
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

static int teamtailor_parse(const struct config_source *src, struct source_walk *w,
			    const char *body, size_t len, struct posting_list *out,
			    struct source_request *next, char *err, size_t errlen)
{
	const json_t *item;
	size_t i;

	if (body && is_xml(body, len)) {
		snprintf(err, errlen,
			 "expected " TEAMTAILOR_ENVELOPE
			 ", found XML (the RSS feed?): poll /jobs.json");
		return -1;
	}
	json_t *root = source_json_load(body, len, TEAMTAILOR_ENVELOPE, err, errlen);
	if (root == NULL)
		return -1;
	if (!json_is_object(root) || !json_is_array(json_object_get(root, "items"))) {
		envelope_error(root, err, errlen);
		json_decref(root);
		return -1;
	}
	json_array_foreach(json_object_get(root, "items"), i, item)
	{
		parse_item(item, out);
	}
	json_decref(root);
	return 0;
}

const struct source_adapter source_teamtailor = {
    .type = "teamtailor",
    .first = source_first_url,
    .parse = teamtailor_parse,
};
