/* workable.c - Workable's public widget API (apply.workable.com/api/v1/widget/accounts/X, with
 * ?details=true for descriptions): one page, {"name": …, "jobs": […]}. Owns the mapping of a
 * Workable job to a posting. The widget lists a job once per location under the same
 * shortcode, so a repeated shortcode adds its location to the posting already made instead of
 * making a second one. The widget states no structured pay; pay is whatever the description
 * (description, requirements, benefits) says. Pure: no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define WORKABLE_ENVELOPE "a JSON object with \"jobs\""

/* "City, Region, Country" with the empty parts left out; NULL when all are empty. */
static char *place(const char *city, const char *region, const char *country)
{
	const char *parts[] = {city, region, country};
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(parts); i++) {
		char *c = source_clean(parts[i]);
		if (c == NULL)
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, c);
		free(c);
	}
	return b.len ? buf_steal(&b) : NULL;
}

/* Every visible entry of locations[], else the job's own city, state and country; "Remote"
 * for a telecommuting job with no place at all. */
static void add_locations(struct buf *b, const struct jv *job)
{
	const struct jv *loc;
	size_t i, before = b->len;

	jv_array_foreach(jv_get(job, "locations"), i, loc)
	{
		if (jv_is_true(jv_get(loc, "hidden")))
			continue;
		char *one = place(source_json_str(loc, "city"), source_json_str(loc, "region"),
				  source_json_str(loc, "country"));
		if (one)
			source_add_unique(b, one, "; ");
		free(one);
	}
	if (b->len == before) {
		char *one = place(source_json_str(job, "city"), source_json_str(job, "state"),
				  source_json_str(job, "country"));
		if (one)
			source_add_unique(b, one, "; ");
		free(one);
	}
	if (b->len == 0 && jv_is_true(jv_get(job, "telecommuting")))
		source_add_unique(b, "Remote", "; ");
}

/* A repeated shortcode: the posting made already gains this entry's locations. */
static void merge_locations(struct posting *p, const struct jv *job)
{
	struct buf b = BUF_INIT;

	if (p->location)
		buf_puts(&b, p->location);
	add_locations(&b, job);
	free(p->location);
	p->location = b.len ? buf_steal(&b) : NULL;
	buf_free(&b);
}

static char *description_text(const struct jv *job)
{
	static const char *const fields[] = {"description", "requirements", "benefits"};
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(fields); i++) {
		const char *html = source_json_str(job, fields[i]);
		if (str_empty(html))
			continue;
		char *text = html_to_text(html, strlen(html));
		if (b.len && text[0])
			buf_putc(&b, '\n');
		buf_puts(&b, text);
		free(text);
	}
	char *text = source_fold_text(b.data, b.len);
	buf_free(&b);
	return text;
}

static void parse_job(const struct jv *job, void *ctx, struct posting_list *out)
{
	char *id = source_json_id(jv_get(job, "shortcode"));
	char *title = source_clean(source_json_str(job, "title"));
	struct posting *seen, *p = source_posting_add_once(out, id, title, &seen);

	if (seen) /* one row per place of one shortcode */
		merge_locations(seen, job);
	if (p == NULL)
		return;
	p->department = source_clean(source_json_str(job, "department"));
	merge_locations(p, job);
	p->url = source_clean(source_json_str(job, "url"));
	if (p->url == NULL)
		p->url = source_clean(source_json_str(job, "shortlink"));
	if (p->url == NULL)
		p->url = source_clean(source_json_str(job, "application_url"));

	char *text = description_text(job);
	source_set_digest(p, text);
	source_pay_from_text(p, text, "text");
	free(text);
}

/* An unknown account answers {"error": …} or {"message": …}. */
static bool says_error(const struct jv *root, char *what, size_t len)
{
	const char *msg = source_json_str(root, "error");

	if (msg == NULL)
		msg = source_json_str(root, "message");
	if (msg)
		snprintf(what, len, "an error: %.120s", msg);
	return msg != NULL;
}

static int workable_parse(const struct source_target *src, struct source_walk *w, const char *body,
			  size_t len, struct posting_list *out, struct source_request *next,
			  char *err, size_t errlen)
{
	static const struct source_json_list list = {
	    .key = "jobs", .expected = WORKABLE_ENVELOPE, .says = says_error, .each = parse_job};

	return source_json_each(&list, body, len, NULL, out, err, errlen);
}

/* apply.workable.com/api/… is the API; apply.workable.com/ACCOUNT the board, but /j/SHORTCODE
 * is one job's short link, which does not name the account. */
static bool workable_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char account[URL_MAX_NAME];

	if (!url_host_is(u, "apply.workable.com"))
		return false;
	if (url_seg_is(u, 0, "api")) {
		*api_url = xstrdup(url);
		return true;
	}
	if (url_seg_is(u, 0, "j") || !url_seg(u, 0, account, sizeof(account)))
		return false;
	*api_url = source_board_url("workable", account);
	return true;
}

const struct source_adapter source_workable = {
    .type = "workable",
    .first = source_first_url,
    .parse = workable_parse,
    .board = {"https://apply.workable.com/api/v1/widget/accounts/", "?details=true"},
    .recognise = workable_recognise,
    .name = {.seg = 5},
};
