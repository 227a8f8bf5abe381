/* eightfold.c - Eightfold's careers API (Netflix's careers site runs on it): GET
 * https://HOST/api/apply/v2/jobs?domain=D&start=N&num=M, {"count": n, "positions": […]}. Owns
 * the walk over those pages and the mapping of a position to a posting. Some tenants cap num
 * below what was asked, so start moves by the positions actually returned, and the walk ends
 * at the first page's count or at an empty page. The description (job_description, HTML, often
 * empty in the list) gives the digest and any pay stated in its text; there is no structured
 * pay field. A page that brings no position not seen before means the tenant ignores start:
 * the walk ends incomplete, what it read stored, nothing it never reached closed. Pure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "source_common.h"
#include "util.h"

#define EIGHTFOLD_ENVELOPE "a JSON object with \"positions\""
#define EIGHTFOLD_API_PATH "/api/apply/v2/jobs"
/* What the careers pages ask for; some tenants answer no more than 10 whatever is asked. */
#define EIGHTFOLD_NUM 10
#define EIGHTFOLD_URL_FORMS                                                                        \
	"https://jobs.netflix.com, https://explore.jobs.netflix.net/careers, "                     \
	"https://TENANT.eightfold.ai/careers[?domain=D], any HOST/careers?domain=D, or the API "   \
	"URL HOST" EIGHTFOLD_API_PATH "?domain=D"

/* The value of name= in the query of url, as a new string, or NULL. */
static char *query_param(const char *url, const char *name)
{
	const char *q = strchr(url, '?');
	size_t n = strlen(name);

	for (; q && *q && *q != '#'; q += strcspn(q, "&#")) {
		q++;
		if (strncmp(q, name, n) == 0 && q[n] == '=') {
			size_t l = strcspn(q + n + 1, "&#");
			return l ? xstrndup(q + n + 1, l) : NULL;
		}
	}
	return NULL;
}

/* url up to its query, with every query parameter but start and num. */
static char *api_base(const char *url)
{
	struct buf b = BUF_INIT;
	size_t end = strcspn(url, "?#");
	const char *q = url + end;

	buf_append(&b, url, end);
	while (*q == '?' || *q == '&') {
		size_t l = strcspn(q + 1, "&#");
		if (l && strncmp(q + 1, "start=", 6) != 0 && strncmp(q + 1, "num=", 4) != 0) {
			buf_putc(&b, strchr(b.data, '?') ? '&' : '?');
			buf_append(&b, q + 1, l);
		}
		q += 1 + l;
	}
	return buf_steal(&b);
}

/* The API URL (without start and num) that a careers URL or an API URL stands for. */
static char *eightfold_api_url(const char *url, char *err, size_t errlen)
{
	const char *p = url ? strstr(url, "://") : NULL;
	char host[256];

	if (p == NULL || strcspn(p + 3, "/?#") == 0 || strcspn(p + 3, "/?#") >= sizeof(host))
		goto bad;
	size_t hostlen = strcspn(p + 3, "/?#");
	for (size_t i = 0; i < hostlen; i++)
		host[i] = (char)(p[3 + i] >= 'A' && p[3 + i] <= 'Z' ? p[3 + i] + 32 : p[3 + i]);
	host[hostlen] = '\0';
	const char *path = p + 3 + hostlen;
	int origin = (int)(path - url);
	char *domain = query_param(url, "domain");
	char *api = NULL;

	if (strncmp(path, EIGHTFOLD_API_PATH, strlen(EIGHTFOLD_API_PATH)) == 0 && domain) {
		api = api_base(url);
	} else if (strcmp(host, "jobs.netflix.com") == 0 ||
		   strcmp(host, "explore.jobs.netflix.net") == 0) {
		/* the careers site at jobs.netflix.com is served from explore.jobs.netflix.net */
		api = xasprintf("https://explore.jobs.netflix.net" EIGHTFOLD_API_PATH "?domain=%s",
				domain ? domain : "netflix.com");
	} else if (str_endswith_ci(host, ".eightfold.ai") && strchr(host, '.') > host) {
		/* TENANT.eightfold.ai serves TENANT.com unless its URL says otherwise */
		if (domain)
			api =
			    xasprintf("%.*s" EIGHTFOLD_API_PATH "?domain=%s", origin, url, domain);
		else
			api = xasprintf("%.*s" EIGHTFOLD_API_PATH "?domain=%.*s.com", origin, url,
					(int)strcspn(host, "."), host);
	} else if (domain) {
		api = xasprintf("%.*s" EIGHTFOLD_API_PATH "?domain=%s", origin, url, domain);
	} else if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) {
		/* no Eightfold form: with type = "eightfold" said outright, the URL is the API
		 * (a mirror, a proxy, a test server), paged with start and num as given */
		api = api_base(url);
	}
	free(domain);
	if (api)
		return api;
bad:
	snprintf(err, errlen, "not an Eightfold URL (expected " EIGHTFOLD_URL_FORMS "): %.200s",
		 url ? url : "(none)");
	return NULL;
}

static void request_at(const char *api, long start, struct source_request *req)
{
	memset(req, 0, sizeof(*req));
	req->url = xasprintf("%s%cstart=%ld&num=%d", api, strchr(api, '?') ? '&' : '?', start,
			     EIGHTFOLD_NUM);
}

static int eightfold_first(const struct config_source *src, struct source_walk *w,
			   struct source_request *req, char *err, size_t errlen)
{
	char *api = eightfold_api_url(src ? src->url : NULL, err, errlen);

	if (api == NULL)
		return -1;
	w->offset = 0;
	request_at(api, 0, req);
	free(api);
	return 0;
}

/* locations[] joined with "; ", else location. */
static char *location_of(const struct json_object *pos)
{
	struct buf b = BUF_INIT;
	const struct json_object *v;
	size_t i;

	jv_array_foreach(jv_get(pos, "locations"), i, v)
	{
		source_join(&b, jv_str(v), "; ");
	}
	return b.len ? buf_steal(&b) : source_clean(source_json_str(pos, "location"));
}

static void parse_description(struct posting *p, const struct json_object *pos)
{
	const char *html = source_json_str(pos, "job_description");
	char *plain = html_to_text(html ? html : "", html ? strlen(html) : 0);
	char *text = source_fold_text(plain, strlen(plain));

	source_set_digest(p, text);
	source_pay_from_text(p, text, "text"); /* adds the range it finds */
	free(text);
	free(plain);
}

/* Append one position; false when it was a duplicate of one already walked. */
static bool parse_position(const struct json_object *pos, struct posting_list *out)
{
	char *id = source_json_id(jv_get(pos, "id"));
	char *title = source_clean(source_json_str(pos, "name"));

	if (title == NULL)
		title = source_clean(source_json_str(pos, "posting_name"));
	if (id == NULL || title == NULL) {
		free(id);
		free(title);
		out->dropped++;
		return true;
	}
	if (posting_list_find(out, id)) {
		free(id);
		free(title);
		return false;
	}
	struct posting *p = posting_list_add(out);
	p->external_id = id;
	p->title = title;
	p->department = source_clean(source_json_str(pos, "department"));
	p->location = location_of(pos);
	p->url = source_clean(source_json_str(pos, "canonicalPositionUrl"));
	parse_description(p, pos);
	return true;
}

static int eightfold_parse(const struct config_source *src, struct source_walk *w, const char *body,
			   size_t len, struct posting_list *out, struct source_request *next,
			   char *err, size_t errlen)
{
	struct json_object *root = source_json_load(body, len, EIGHTFOLD_ENVELOPE, err, errlen);
	size_t i, fresh = 0;
	struct json_object *pos;

	if (root == NULL)
		return -1;
	struct json_object *positions =
	    source_json_envelope(root, "positions", EIGHTFOLD_ENVELOPE, err, errlen);
	if (positions == NULL) {
		jv_free(root);
		return -1;
	}
	char *api = eightfold_api_url(src ? src->url : NULL, err, errlen);
	if (api == NULL) {
		jv_free(root);
		return -1;
	}
	size_t n = jv_array_size(positions);
	if (w->pages == 0) {
		/* the first page's count is the walk's end; a count of 0 beside positions is none
		 */
		const struct json_object *count = jv_get(root, "count");
		int64_t c = jv_int(count);
		w->total = jv_is_integer(count) && (c > 0 || n == 0) ? (long)c : -1;
	}
	jv_array_foreach(positions, i, pos)
	{
		if (parse_position(pos, out))
			fresh++;
	}
	if (w->pages > 0 && n > 0 && fresh == 0) {
		/* the walk cannot go on: what it read stands, but it is not the whole board */
		snprintf(w->incomplete, sizeof(w->incomplete),
			 "the tenant repeats pages: start %ld brought no position not seen before "
			 "(it ignores start)",
			 w->offset);
		free(api);
		jv_free(root);
		return 0;
	}
	w->seen += (long)n;
	w->offset += (long)n;
	if (n > 0 && (w->total < 0 || w->offset < w->total))
		request_at(api, w->offset, next);
	free(api);
	jv_free(root);
	return 0;
}

const struct source_adapter source_eightfold = {
    .type = "eightfold",
    .first = eightfold_first,
    .parse = eightfold_parse,
};
