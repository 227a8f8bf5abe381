/* lever.c - the Lever postings API (api.lever.co/v0/postings/X?mode=json): one page, a bare
 * JSON array of postings. Owns the mapping of a Lever posting to a posting: the description
 * text is descriptionPlain, the lists and additionalPlain together (Lever has no "updated"
 * field, so this text's digest is the only sign of an edit), and pay is salaryRange, where
 * {0, 0} means none was stated, else whatever the text says. Pure: no I/O. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "pay.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define LEVER_ENVELOPE "a JSON array of postings"

/* The parts are folded one by one (html_to_text folds what it returns) and joined by line
 * breaks: folding trims and squeezes each line on its own, so the joined text is the fold of
 * the whole, without a second pass over it. */
static void append_folded(struct buf *b, char *text)
{
	if (*text) {
		if (b->len)
			buf_putc(b, '\n');
		buf_puts(b, text);
	}
	free(text);
}

static void append_plain(struct buf *b, const char *s)
{
	if (!str_empty(s))
		append_folded(b, source_fold_text(s, strlen(s)));
}

static void append_html(struct buf *b, const char *html)
{
	if (!str_empty(html))
		append_folded(b, html_to_text(html, strlen(html)));
}

/* The description as plain text, in the order a reader sees it. */
static char *description_text(const struct jv *post)
{
	struct buf b = BUF_INIT;
	const struct jv *lists = jv_get(post, "lists");
	const struct jv *l;
	size_t i;

	if (source_json_str(post, "descriptionPlain"))
		append_plain(&b, source_json_str(post, "descriptionPlain"));
	else
		append_html(&b, source_json_str(post, "description"));
	jv_array_foreach(lists, i, l)
	{
		append_plain(&b, source_json_str(l, "text"));
		append_html(&b, source_json_str(l, "content"));
	}
	if (source_json_str(post, "additionalPlain"))
		append_plain(&b, source_json_str(post, "additionalPlain"));
	else
		append_html(&b, source_json_str(post, "additional"));
	return buf_steal(&b);
}

/* An amount that says something: Lever writes {0, 0} for "not stated". */
static bool stated(double v)
{
	return !isnan(v) && v != 0;
}

/* salaryRange; false when absent or {0, 0}. */
static bool pay_from_range(struct posting *p, const struct jv *post)
{
	static const struct source_pay_keys keys = {"min", "max", "currency", "interval"};
	struct pay pay;

	if (!source_pay_fields(source_json_obj(post, "salaryRange"), &keys, "lever:salaryRange",
			       &pay) ||
	    (!stated(pay.min) && !stated(pay.max)))
		return false;
	posting_add_range(p, NULL, &pay);
	p->pay_text = source_clean(source_json_str(post, "salaryDescriptionPlain"));
	return true;
}

/* categories.location, else every one of allLocations. */
static char *location_of(const struct jv *cat)
{
	char *loc = source_clean(source_json_str(cat, "location"));
	struct buf b = BUF_INIT;

	if (loc)
		return loc;
	source_join_each(&b, jv_get(cat, "allLocations"), NULL, "; ");
	return b.len ? buf_steal(&b) : NULL;
}

static void parse_posting(const struct jv *post, void *ctx, struct posting_list *out)
{
	char *id = source_json_id(jv_get(post, "id"));
	char *title = source_clean(source_json_str(post, "text"));
	const struct jv *cat = source_json_obj(post, "categories");

	struct posting *p = source_posting_add(out, id, title);

	if (p == NULL)
		return;
	p->department = source_clean(source_json_str(cat, "department"));
	if (p->department == NULL)
		p->department = source_clean(source_json_str(cat, "team"));
	p->location = location_of(cat);
	p->url = source_clean(source_json_str(post, "hostedUrl"));

	char *text = description_text(post);
	source_set_digest(p, text);
	if (!pay_from_range(p, post))
		source_pay_from_text(p, text, "text");
	free(text);
}

/* An unknown site answers {"ok":false,"error":"Document not found"}. */
static bool says_error(const struct jv *root, char *what, size_t len)
{
	const char *msg = source_json_str(root, "error");

	if (msg)
		snprintf(what, len, "an error: %.120s", msg);
	return msg != NULL;
}

static int lever_parse(const struct source_target *src, struct source_walk *w, const char *body,
		       size_t len, struct posting_list *out, struct source_request *next, char *err,
		       size_t errlen)
{
	static const struct source_json_list list = {
	    .expected = LEVER_ENVELOPE, .says = says_error, .each = parse_posting, .alone = true};

	return source_json_each(&list, body, len, NULL, out, err, errlen);
}

/* api.lever.co and api.eu.lever.co are the API; jobs.lever.co/SITE and jobs.eu.lever.co/SITE
 * its boards. */
static bool lever_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char site[URL_MAX_NAME];

	if (url_host_is(u, "api.lever.co") || url_host_is(u, "api.eu.lever.co")) {
		*api_url = xstrdup(url);
		return true;
	}
	if (url_host_is(u, "jobs.lever.co") && url_seg(u, 0, site, sizeof(site))) {
		*api_url = source_board_url("lever", site);
		return true;
	}
	if (url_host_is(u, "jobs.eu.lever.co") && url_seg(u, 0, site, sizeof(site))) {
		*api_url = xasprintf("https://api.eu.lever.co/v0/postings/%s?mode=json", site);
		return true;
	}
	return false;
}

const struct source_adapter source_lever = {
    .type = "lever",
    .first = source_first_url,
    .parse = lever_parse,
    .board = {"https://api.lever.co/v0/postings/", "?mode=json"},
    .recognise = lever_recognise,
    .name = {.seg = 3},
};
