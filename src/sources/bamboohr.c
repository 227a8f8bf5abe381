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
static char *location_of(const struct json_object *job)
{
	const struct json_object *loc = source_json_obj(job, "location");
	const struct json_object *ats = source_json_obj(job, "atsLocation");
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

static void parse_job(const struct json_object *job, const char *origin, struct posting_list *out)
{
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

static void envelope_error(const struct json_object *root, char *err, size_t errlen)
{
	const struct json_object *result = jv_get(root, "result");

	if (!jv_is_object(root))
		snprintf(err, errlen, "expected " BAMBOOHR_ENVELOPE ", found %s",
			 source_json_kind(root));
	else if (jv_has(root, "result"))
		snprintf(err, errlen, "expected " BAMBOOHR_ENVELOPE ", found \"result\" holding %s",
			 source_json_kind(result));
	else
		snprintf(err, errlen, "expected " BAMBOOHR_ENVELOPE ", found an object without it");
}

static int bamboohr_parse(const struct source_target *src, struct source_walk *w, const char *body,
			  size_t len, struct posting_list *out, struct source_request *next,
			  char *err, size_t errlen)
{
	struct json_object *root = source_json_load(body, len, BAMBOOHR_ENVELOPE, err, errlen);
	const struct json_object *job;
	size_t i;

	if (root == NULL)
		return -1;
	if (!jv_is_object(root) || !jv_is_array(jv_get(root, "result"))) {
		envelope_error(root, err, errlen);
		jv_free(root);
		return -1;
	}
	char *origin = source_url_origin(w->page_url ? w->page_url : src->url);
	jv_array_foreach(jv_get(root, "result"), i, job)
	{
		parse_job(job, origin, out);
	}
	free(origin);
	jv_free(root);
	return 0;
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
