/* bamboohr.c - BambooHR's public careers list (X.bamboohr.com/careers/list): one page,
 * {"meta": {"totalCount": …}, "result": […]}. Owns the mapping of a BambooHR opening to a
 * posting. The list holds no description and no pay, so postings from it have neither; the
 * link is built on the list's own host as /careers/<id>, the page BambooHR shows for it.
 * Pure: no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define BAMBOOHR_ENVELOPE "a JSON object with \"result\""

/* location {city, state}, else atsLocation {city, state|province, country}; "Remote" when
 * neither names a place and isRemote says so. */
static char *location_of(const struct jv *job)
{
	const struct jv *loc = source_json_obj(job, "location");
	const struct jv *ats = source_json_obj(job, "atsLocation");
	struct buf b = BUF_INIT;

	source_join(&b, source_json_str(loc, "city"), ", ");
	source_join(&b, source_json_str(loc, "state"), ", ");
	if (b.len == 0) {
		source_join(&b, source_json_str(ats, "city"), ", ");
		source_join(&b, source_json_str(ats, "state"), ", ");
		if (source_json_str(ats, "state") == NULL)
			source_join(&b, source_json_str(ats, "province"), ", ");
		source_join(&b, source_json_str(ats, "country"), ", ");
	}
	if (b.len == 0 && jv_is_true(jv_get(job, "isRemote")))
		buf_puts(&b, "Remote");
	return b.len ? buf_steal(&b) : NULL;
}

/* One job of the list; ctx is the list's origin, on which the job's link is built. */
static void parse_job(const struct jv *job, void *ctx, struct posting_list *out)
{
	const char *origin = ctx;
	char *id = source_json_id(jv_get(job, "id"));
	char *title = source_clean(source_json_str(job, "jobOpeningName"));
	struct posting *p = source_posting_add(out, id, title);

	if (p == NULL)
		return;
	p->department = source_clean(source_json_str(job, "departmentLabel"));
	p->location = location_of(job);
	if (origin)
		p->url = xasprintf("%s/careers/%s", origin, id);
	source_set_digest(p, NULL);
}

static int bamboohr_parse(const struct source_target *src, struct source_walk *w, const char *body,
			  size_t len, struct posting_list *out, struct source_request *next,
			  char *err, size_t errlen)
{
	static const struct source_json_list list = {
	    .key = "result", .expected = BAMBOOHR_ENVELOPE, .each = parse_job};
	char *origin = source_url_origin(w->page_url ? w->page_url : src->url);
	int rc = source_json_each(&list, body, len, origin, out, err, errlen);

	free(origin);
	return rc;
}

/* COMPANY.bamboohr.com, its list at /careers/list. */
static bool bamboohr_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char c[URL_MAX_NAME];

	if (!url_host_under(u, "bamboohr.com", 1, c, sizeof(c)))
		return false;
	*api_url =
	    url_path_starts(u, "/careers/list") ? xstrdup(url) : source_board_url("bamboohr", c);
	return true;
}

const struct source_adapter source_bamboohr = {
    .type = "bamboohr",
    .first = source_first_url,
    .parse = bamboohr_parse,
    .board = {"https://", ".bamboohr.com/careers/list"},
    .recognise = bamboohr_recognise,
};
