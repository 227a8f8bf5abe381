/* eightfold.c - Eightfold's careers APIs (Netflix's careers site runs on it), both of them.
 * Classic: GET https://HOST/api/apply/v2/jobs?domain=D&start=N&num=M, {"count": n,
 * "positions": […]}, and one position at GET HOST/api/apply/v2/jobs/ID?domain=D. PCSX (the
 * newer one, Microsoft, PayPal, Starbucks): GET HOST/api/pcsx/search?domain=D&start=N,
 * {"status", "data": {"positions": […], "count": n}} with camelCase keys, and one position at
 * GET HOST/api/pcsx/position_details?position_id=ID&domain=D. A configured
 * …/api/pcsx/search URL is read as PCSX, until the tenant answers that PCSX is not enabled: it
 * serves classic then (eightfold_refused), and the loop remembers it; every other form is
 * classic. Owns the walks over those
 * pages and the mapping of a position to a posting. Tenants cap the page (PCSX at 10 whatever
 * is asked), so start moves by the positions actually returned, and the walk ends at the first
 * page's count, at an empty page, or at offset 2000, past which Eightfold answers nothing (a
 * partial walk then). A list row whose description is empty (Netflix's always is) asks for
 * its position's detail, which gives the description, its pay and its digest; t_update
 * (postedTs) marks a changed row. A page that brings no position not seen before means the
 * tenant ignores start: the walk ends incomplete, what it read stored, nothing it never
 * reached closed. Pure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define EIGHTFOLD_ENVELOPE "a JSON object with \"positions\""
#define EIGHTFOLD_PCSX_ENVELOPE                                                                    \
	"a JSON object with \"data\": {\"positions\": [...]} (Eightfold PCSX)"
#define EIGHTFOLD_API_PATH  "/api/apply/v2/jobs"
#define EIGHTFOLD_PCSX_PATH "/api/pcsx/search"
/* Eightfold answers no position past this offset, whatever the count says. */
#define EIGHTFOLD_MAX_OFFSET 2000
/* What the careers pages ask for; some tenants answer no more than 10 whatever is asked. */
#define EIGHTFOLD_NUM 10
#define EIGHTFOLD_URL_FORMS                                                                        \
	"https://jobs.netflix.com, https://explore.jobs.netflix.net/careers, "                     \
	"https://TENANT.eightfold.ai/careers[?domain=D], any HOST/careers?domain=D, or the API "   \
	"URL HOST" EIGHTFOLD_API_PATH "?domain=D or HOST" EIGHTFOLD_PCSX_PATH "?domain=D"

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

	if ((strncmp(path, EIGHTFOLD_API_PATH, strlen(EIGHTFOLD_API_PATH)) == 0 ||
	     strncmp(path, EIGHTFOLD_PCSX_PATH, strlen(EIGHTFOLD_PCSX_PATH)) == 0) &&
	    domain) {
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

/* True when the list URL api is PCSX's search. */
static bool is_pcsx(const char *api)
{
	const char *p = strstr(api, "://");

	p = p ? p + 3 + strcspn(p + 3, "/?#") : api;
	return strncmp(p, EIGHTFOLD_PCSX_PATH, strlen(EIGHTFOLD_PCSX_PATH)) == 0 &&
	       strchr("?#", p[strlen(EIGHTFOLD_PCSX_PATH)]);
}

static void request_at(const char *api, long start, struct source_request *req)
{
	memset(req, 0, sizeof(*req));
	if (is_pcsx(api)) /* 10 a page, whatever num says */
		req->url = xasprintf("%s%cstart=%ld", api, strchr(api, '?') ? '&' : '?', start);
	else
		req->url = xasprintf("%s%cstart=%ld&num=%d", api, strchr(api, '?') ? '&' : '?',
				     start, EIGHTFOLD_NUM);
	req->accept = xstrdup("application/json");
}

static int eightfold_first(const struct source_target *src, struct source_walk *w,
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

/* The first string of key1 or key2 of obj. */
static const char *str2(const struct jv *obj, const char *key1, const char *key2)
{
	const char *v = source_json_str(obj, key1);

	return v ? v : source_json_str(obj, key2);
}

/* locations[] joined with "; ", else location. */
static char *location_of(const struct jv *pos)
{
	struct buf b = BUF_INIT;

	source_join_each(&b, jv_get(pos, "locations"), NULL, "; ");
	return b.len ? buf_steal(&b) : source_clean(source_json_str(pos, "location"));
}

/* canonicalPositionUrl or publicUrl, else positionUrl (PCSX: relative to the tenant). */
static char *link_of(const struct jv *pos, const char *api)
{
	const char *url = str2(pos, "canonicalPositionUrl", "publicUrl");
	const char *rel = source_json_str(pos, "positionUrl");

	if (url || rel == NULL)
		return source_clean(url);
	if (strncmp(rel, "http://", 7) == 0 || strncmp(rel, "https://", 8) == 0)
		return source_clean(rel);
	char *origin = source_url_origin(api);
	char *abs = origin && rel[0] == '/' ? xasprintf("%s%s", origin, rel) : NULL;
	free(origin);
	char *clean = source_clean(abs);
	free(abs);
	return clean;
}

/* The list row's mark of a change: t_update (classic) or postedTs (PCSX). */
static char *change_key(const struct jv *pos)
{
	const struct jv *t = jv_get(pos, "t_update");

	if (t == NULL)
		t = jv_get(pos, "postedTs");
	return source_json_id(t);
}

/* Append one position; false when it was a duplicate of one already walked. */
static bool parse_position(const struct jv *pos, const char *api, struct posting_list *out)
{
	char *id = source_json_id(jv_get(pos, "id"));
	char *title = source_clean(source_json_str(pos, "name"));

	if (title == NULL)
		title = source_clean(str2(pos, "posting_name", "postingName"));
	struct posting *seen, *p = source_posting_add_once(out, id, title, &seen);
	if (p == NULL)
		return seen == NULL;
	p->department = source_clean(source_json_str(pos, "department"));
	p->location = location_of(pos);
	p->url = link_of(pos, api);
	const char *html = str2(pos, "job_description", "jobDescription");
	if (html && html[strspn(html, " \t\r\n")] != '\0') {
		source_set_description(p, html);
	} else { /* Netflix's list never has it: the position's own page does */
		p->detail_ref = xstrdup(p->external_id);
		p->detail_key = change_key(pos);
	}
	return true;
}

/* What a tenant that refuses the interface means by it, for the error. */
static const char *refusal_hint(const char *message)
{
	if (message == NULL)
		return NULL;
	if (strstr(message, "PCSX is not enabled"))
		return "this tenant serves the classic interface: configure its careers URL or "
		       "HOST" EIGHTFOLD_API_PATH "?domain=D instead";
	if (strstr(message, "Not authorized for PCSX"))
		return "the domain= parameter is wrong or missing: give the tenant's own domain "
		       "(as its careers page's URL does)";
	return NULL;
}

/* The positions array of a list page of either interface, and the count beside it. */
static struct jv *page_positions(const struct jv *root, bool pcsx, const struct jv **count,
				 char *err, size_t errlen)
{
	const char *hint = refusal_hint(source_json_str(root, "message"));

	if (hint) {
		snprintf(err, errlen, "Eightfold says \"%.80s\": %s",
			 source_json_str(root, "message"), hint);
		return NULL;
	}
	if (!pcsx) {
		*count = jv_get(root, "count");
		return source_json_envelope(root, "positions", EIGHTFOLD_ENVELOPE, err, errlen);
	}
	const struct jv *data = source_json_obj(root, "data");
	if (data == NULL) {
		snprintf(err, errlen,
			 "expected " EIGHTFOLD_PCSX_ENVELOPE ", got no \"data\" object");
		return NULL;
	}
	*count = jv_get(data, "count");
	return source_json_envelope(data, "positions", EIGHTFOLD_PCSX_ENVELOPE, err, errlen);
}

static int eightfold_parse(const struct source_target *src, struct source_walk *w, const char *body,
			   size_t len, struct posting_list *out, struct source_request *next,
			   char *err, size_t errlen)
{
	struct jv *root = source_json_load(body, len, EIGHTFOLD_ENVELOPE, err, errlen);
	const struct jv *count = NULL;
	size_t i, fresh = 0;
	struct jv *pos;

	if (root == NULL)
		return -1;
	char *api = eightfold_api_url(src ? src->url : NULL, err, errlen);
	if (api == NULL) {
		jv_free(root);
		return -1;
	}
	struct jv *positions = page_positions(root, is_pcsx(api), &count, err, errlen);
	if (positions == NULL) {
		free(api);
		jv_free(root);
		return -1;
	}
	size_t n = jv_array_size(positions);
	if (w->pages == 0) {
		/* the first page's count is the walk's end; a count of 0 beside positions is none
		 */
		int64_t c = jv_int(count);
		w->total = jv_is_integer(count) && (c > 0 || n == 0) ? (long)c : -1;
	}
	jv_array_foreach(positions, i, pos)
	{
		if (parse_position(pos, api, out))
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
	if (n > 0 && (w->total < 0 || w->offset < w->total)) {
		if (w->offset >= EIGHTFOLD_MAX_OFFSET)
			snprintf(w->incomplete, sizeof(w->incomplete),
				 "Eightfold answers no position past offset %d (the board says "
				 "%ld): not the whole board",
				 EIGHTFOLD_MAX_OFFSET, w->total);
		else
			request_at(api, w->offset, next);
	}
	free(api);
	jv_free(root);
	return 0;
}

static int eightfold_detail_request(const struct source_target *src, const char *external_id,
				    const char *detail_ref, struct source_request *req, char *err,
				    size_t errlen)
{
	char *api = eightfold_api_url(src ? src->url : NULL, err, errlen);

	if (api == NULL)
		return -1;
	char *origin = source_url_origin(api);
	char *domain = query_param(api, "domain");
	char *id = source_url_escape(detail_ref ? detail_ref : external_id);
	char *dom = domain ? source_url_escape(domain) : NULL;

	memset(req, 0, sizeof(*req));
	if (is_pcsx(api))
		req->url = xasprintf("%s/api/pcsx/position_details?position_id=%s%s%s", origin, id,
				     dom ? "&domain=" : "", dom ? dom : "");
	else
		req->url = xasprintf("%s" EIGHTFOLD_API_PATH "/%s%s%s", origin, id,
				     dom ? "?domain=" : "", dom ? dom : "");
	req->accept = xstrdup("application/json");
	free(dom);
	free(id);
	free(domain);
	free(origin);
	free(api);
	return 0;
}

/* One position: classic's bare object (or one wrapped in "positions"), or PCSX's
 * {"data": {…}}. A position without a description field states no pay. */
static int eightfold_detail_parse(const struct source_target *src, const char *body, size_t len,
				  struct posting *out, char *err, size_t errlen)
{
	struct jv *root = source_json_load(body, len, "a JSON Eightfold position", err, errlen);

	if (root == NULL)
		return -1;
	const struct jv *pos = source_json_obj(root, "data");
	if (pos == NULL && jv_array_size(jv_get(root, "positions")) == 1)
		pos = jv_array_get(jv_get(root, "positions"), 0);
	if (pos == NULL)
		pos = root;
	const char *html = str2(pos, "job_description", "jobDescription");
	const char *hint = refusal_hint(source_json_str(root, "message"));
	if (hint || !jv_is_object(pos) || (html == NULL && !jv_has(pos, "id"))) {
		if (hint)
			snprintf(err, errlen, "Eightfold says \"%.80s\": %s",
				 source_json_str(root, "message"), hint);
		else
			snprintf(err, errlen,
				 "expected an Eightfold position (id, job_description or "
				 "jobDescription), got %s without them",
				 source_json_kind(pos));
		jv_free(root);
		return -1;
	}
	out->department = source_clean(source_json_str(pos, "department"));
	out->location = location_of(pos);
	source_set_description(out, html);
	jv_free(root);
	return 0;
}

/* A PCSX search answered "PCSX is not enabled": the tenant serves the classic interface, on
 * the same host for the same domain. */
static char *eightfold_refused(const struct source_target *src, const char *body, size_t len)
{
	char err[8];
	char *api = eightfold_api_url(src ? src->url : NULL, err, sizeof(err));
	char *classic = NULL;

	if (api && is_pcsx(api) && body && len > 0 && strstr(body, "PCSX is not enabled")) {
		char *origin = source_url_origin(api);
		char *domain = query_param(api, "domain");
		char *dom = domain ? source_url_escape(domain) : NULL;
		if (origin && dom)
			classic = xasprintf("%s" EIGHTFOLD_API_PATH "?domain=%s", origin, dom);
		free(dom);
		free(domain);
		free(origin);
	}
	free(api);
	return classic;
}

/* Netflix's careers run on Eightfold; other tenants are tenant.eightfold.ai and need the
 * company's domain, which their careers URLs carry as ?domain=; without it the tenant's .com
 * is a guess (right for the two tenants in our fixtures, albemarle and fcx). */
static bool eightfold_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char tenant[URL_MAX_NAME], domain[URL_MAX_NAME];

	if (url_host_is(u, "jobs.netflix.com") || url_host_is(u, "explore.jobs.netflix.net")) {
		if (url_host_is(u, "explore.jobs.netflix.net") && url_path_starts(u, "/api/apply/"))
			*api_url = xstrdup(url);
		else
			*api_url = xstrdup("https://explore.jobs.netflix.net/api/apply/v2/"
					   "jobs?domain=netflix.com");
		return true;
	}
	if (!url_host_under(u, "eightfold.ai", 1, tenant, sizeof(tenant)))
		return false;
	if (url_path_starts(u, "/api/apply/"))
		*api_url = xstrdup(url);
	else if (url_param(u, "domain", domain, sizeof(domain)))
		*api_url = xasprintf("https://%s/api/apply/v2/jobs?domain=%s", u->host, domain);
	else
		*api_url = xasprintf("https://%s/api/apply/v2/jobs?domain=%s.com", u->host, tenant);
	return true;
}

const struct source_adapter source_eightfold = {
    .type = "eightfold",
    .first = eightfold_first,
    .parse = eightfold_parse,
    .detail_request = eightfold_detail_request,
    .detail_parse = eightfold_detail_parse,
    .refused = eightfold_refused,
    .recognise = eightfold_recognise,
    .name = {.param = "domain"},
};
