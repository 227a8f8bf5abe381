/* workday.c - Workday's careers search (CXS), POST https://T.wdN.myworkdayjobs.com/wday/cxs/T/
 * SITE/jobs with {"appliedFacets":{},"limit":20,"offset":N,"searchText":""}: pages of at most
 * 20 (Workday answers 400 to more), {"total": n, "jobPostings": […], "facets": […]}. Owns the
 * walk over those pages and the mapping of a list row to a posting. The list has no
 * description, no department and no pay: each row asks for its posting's detail, GET
 * …/wday/cxs/T/SITE{externalPath} with Accept: application/json, whose
 * jobPostingInfo.jobDescription (HTML) gives the digest and the pay stated in it, and whose
 * location and additionalLocations replace a list's count ("3 Locations"). total is only reliable
 * on the first page, so it is read there only. Some tenants ignore offset and send the same page
 * again; such a walk ends incomplete: what it read is stored, but it closes nothing it did not
 * reach. A URL of no Workday form (a mirror, a proxy, a test server) is POSTed to as the CXS URL
 * itself, links built on its origin. Pure: no I/O. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "digest.h"
#include "source_common.h"
#include "url.h"
#include "util.h"

#define WORKDAY_ENVELOPE "a JSON object with \"jobPostings\""
#define WORKDAY_LIMIT	 20
#define WORKDAY_URL_FORMS                                                                          \
	"https://TENANT.wdN.myworkdayjobs.com/[en-US/]SITE or its CXS URL "                        \
	"…/wday/cxs/TENANT/SITE/jobs"

/* Where a source's pages are and where its postings' public pages live. */
struct workday_site {
	char *cxs;	 /* https://host/wday/cxs/T/SITE/jobs */
	char *link_base; /* https://host/SITE, to which an externalPath is appended */
};

static void workday_site_free(struct workday_site *s)
{
	free(s->cxs);
	free(s->link_base);
}

/* "en-US", "fr-CA": a locale segment of a public careers URL. */
static bool is_locale(const char *seg, size_t n)
{
	return n == 5 && seg[2] == '-' && seg[0] >= 'a' && seg[0] <= 'z' && seg[1] >= 'a' &&
	       seg[1] <= 'z' && seg[3] >= 'A' && seg[3] <= 'Z' && seg[4] >= 'A' && seg[4] <= 'Z';
}

/* Split the path of url into at most max segments (pointers into url with their lengths). */
static size_t path_segments(const char *path, const char **seg, size_t *len, size_t max)
{
	size_t n = 0;

	while (*path && *path != '?' && *path != '#' && n < max) {
		path += strspn(path, "/");
		size_t l = strcspn(path, "/?#");
		if (l == 0)
			break;
		seg[n] = path;
		len[n++] = l;
		path += l;
	}
	return n;
}

/* The CXS URL and the link base of a public careers URL or of a CXS URL. */
static int workday_site_of(const char *url, struct workday_site *out, char *err, size_t errlen)
{
	const char *p = url ? strstr(url, "://") : NULL;
	const char *seg[8];
	size_t len[8], i = 0;

	memset(out, 0, sizeof(*out));
	if (p == NULL || str_empty(p + 3) ||
	    (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		goto bad;
	const char *host = p + 3;
	size_t hostlen = strcspn(host, "/?#");
	char hostname[256];
	if (hostlen == 0 || hostlen >= sizeof(hostname))
		goto bad;
	for (size_t k = 0; k < hostlen; k++) /* lower-cased for the tests of its domain */
		hostname[k] = (char)(host[k] >= 'A' && host[k] <= 'Z' ? host[k] + 32 : host[k]);
	hostname[hostlen] = '\0';
	size_t n = path_segments(host + hostlen, seg, len, UTIL_ARRAY_LEN(seg));
	int origin = (int)(host + hostlen - url);
	bool site_host = strstr(hostname, ".myworkdaysite.com") != NULL;

	while (i + 1 < n && !(len[i] == 4 && memcmp(seg[i], "wday", 4) == 0 && len[i + 1] == 3 &&
			      memcmp(seg[i + 1], "cxs", 3) == 0))
		i++;
	const char *tenant = NULL, *site = NULL;
	int tlen = 0, slen = 0;
	if (i + 3 < n) { /* …/wday/cxs/T/SITE[/jobs] */
		tenant = seg[i + 2], tlen = (int)len[i + 2];
		site = seg[i + 3], slen = (int)len[i + 3];
	} else {
		i = n > 0 && is_locale(seg[0], len[0]);
		if (site_host && i + 2 < n && len[i] == 10 &&
		    memcmp(seg[i], "recruiting", 10) == 0) {
			tenant = seg[i + 1], tlen = (int)len[i + 1];
			site = seg[i + 2], slen = (int)len[i + 2];
		} else if (strstr(hostname, ".myworkdayjobs.com") != NULL && i < n) {
			tenant = host, tlen = (int)strcspn(host, ".");
			site = seg[i], slen = (int)len[i];
		}
	}
	if (tenant == NULL) {
		/* no Workday form: with type = "workday" said outright, the URL is the search */
		out->cxs = xstrdup(url);
		out->link_base = xasprintf("%.*s", origin, url);
		return 0;
	}
	out->cxs = xasprintf("%.*s/wday/cxs/%.*s/%.*s/jobs", origin, url, tlen, tenant, slen, site);
	if (site_host)
		out->link_base =
		    xasprintf("%.*s/recruiting/%.*s/%.*s", origin, url, tlen, tenant, slen, site);
	else
		out->link_base = xasprintf("%.*s/%.*s", origin, url, slen, site);
	return 0;
bad:
	snprintf(err, errlen, "not a Workday URL (expected " WORKDAY_URL_FORMS "): %.200s",
		 url ? url : "(none)");
	return -1;
}

static void request_at(const struct workday_site *s, long offset, struct source_request *req)
{
	memset(req, 0, sizeof(*req));
	req->url = xstrdup(s->cxs);
	req->body =
	    xasprintf("{\"appliedFacets\":{},\"limit\":%d,\"offset\":%ld,\"searchText\":\"\"}",
		      WORKDAY_LIMIT, offset);
	req->content_type = xstrdup("application/json");
}

static int workday_first(const struct source_target *src, struct source_walk *w,
			 struct source_request *req, char *err, size_t errlen)
{
	struct workday_site s;

	if (workday_site_of(src ? src->url : NULL, &s, err, errlen) < 0)
		return -1;
	w->offset = 0;
	request_at(&s, 0, req);
	workday_site_free(&s);
	return 0;
}

/* The requisition id at the end of an externalPath ("…/Quantitative-Researcher_R1066-5" →
 * "R1066-5"): unlike bulletFields[0] ("R1066") it tells apart two postings of one
 * requisition, and unlike the slug before it, it survives a retitling. */
static char *id_of(const struct jv *job, const char *path)
{
	const char *tail = path ? strrchr(path, '/') : NULL;
	const char *us = tail ? strrchr(tail, '_') : NULL;

	if (us && us[1] && us[1] != '?' && us[1] != '#')
		return source_clean(us + 1);
	char *id = source_json_id(jv_array_get(jv_get(job, "bulletFields"), 0));
	return id ? id : source_clean(path);
}

/* "7 Locations", "2 locations": a count where the list row has several sites. */
static bool is_location_count(const char *s)
{
	size_t d = strspn(s, "0123456789");

	return d > 0 && s[d] == ' ' && strncasecmp(s + d + 1, "location", 8) == 0 &&
	       (s[d + 9] == '\0' || (s[d + 9] == 's' && s[d + 10] == '\0'));
}

/* Append one list row; false when it was a duplicate of one already walked. */
static bool parse_job(const struct workday_site *s, const struct jv *job, struct posting_list *out)
{
	const char *path = source_json_str(job, "externalPath");
	char *id = id_of(job, path);
	char *title = source_clean(source_json_str(job, "title"));
	struct posting *seen, *p = source_posting_add_once(out, id, title, &seen);

	if (p == NULL)
		return seen == NULL;
	p->location = source_clean(source_json_str(job, "locationsText"));
	if (p->location && is_location_count(p->location)) {
		free(p->location); /* "7 Locations": the detail names them */
		p->location = NULL;
	}
	if (!str_empty(path)) {
		p->url = xasprintf("%s%s%s", s->link_base, path[0] == '/' ? "" : "/", path);
		p->detail_ref = xstrdup(path);
	}
	source_set_digest(p, NULL); /* postedOn ("Posted 3 Days Ago") is no content */
	return true;
}

/* The mark of a page: the SHA-256 of its externalPaths; "" for a page without any. */
static void page_key(const struct jv *jobs, char key[DIGEST_HEX_LEN + 1])
{
	struct buf b = BUF_INIT;
	const struct jv *job;
	size_t i;

	jv_array_foreach(jobs, i, job)
	{
		const char *path = source_json_str(job, "externalPath");
		buf_puts(&b, path ? path : "");
		buf_putc(&b, '\n');
	}
	key[0] = '\0';
	if (b.len > jv_array_size(jobs))
		digest_sha256_hex(b.data, b.len, key);
	buf_free(&b);
}

static int workday_parse(const struct source_target *src, struct source_walk *w, const char *body,
			 size_t len, struct posting_list *out, struct source_request *next,
			 char *err, size_t errlen)
{
	struct jv *root = source_json_load(body, len, WORKDAY_ENVELOPE, err, errlen);
	struct workday_site s;
	char key[DIGEST_HEX_LEN + 1];
	size_t i, fresh = 0;
	struct jv *job;

	if (root == NULL)
		return -1;
	struct jv *jobs = source_json_envelope(root, "jobPostings", WORKDAY_ENVELOPE, err, errlen);
	if (jobs == NULL) {
		jv_free(root);
		return -1;
	}
	if (workday_site_of(src ? src->url : NULL, &s, err, errlen) < 0) {
		jv_free(root);
		return -1;
	}
	size_t n = jv_array_size(jobs);
	if (w->pages == 0) {
		/* Later pages may say total 0; a first page whose total is missing or 0 while it
		 * holds postings says nothing, and the walk goes on to a short page. */
		int64_t total = jv_int(jv_get(root, "total"));
		w->total = jv_is_integer(jv_get(root, "total")) && (total > 0 || n == 0)
			       ? (long)total
			       : -1;
	}
	page_key(jobs, key);
	bool repeated = w->pages > 0 && key[0] && strcmp(key, w->last_key) == 0;
	snprintf(w->last_key, sizeof(w->last_key), "%s", key);
	jv_array_foreach(jobs, i, job)
	{
		if (!repeated && parse_job(&s, job, out))
			fresh++;
	}
	if (w->pages > 0 && n > 0 && fresh == 0) {
		/* the walk cannot go on: what it read stands, but it is not the whole board */
		snprintf(w->incomplete, sizeof(w->incomplete),
			 "the tenant repeats pages: offset %ld brought no posting not seen before "
			 "(it ignores offset)",
			 w->offset);
		workday_site_free(&s);
		jv_free(root);
		return 0;
	}
	w->seen += (long)n;
	w->offset += WORKDAY_LIMIT;
	if (n >= WORKDAY_LIMIT && (w->total < 0 || w->offset < w->total))
		request_at(&s, w->offset, next);
	workday_site_free(&s);
	jv_free(root);
	return 0;
}

/* GET …/wday/cxs/T/SITE{externalPath}: the CXS URL without its /jobs, then the path. */
static int workday_detail_request(const struct source_target *src, const char *external_id,
				  const char *detail_ref, struct source_request *req, char *err,
				  size_t errlen)
{
	struct workday_site s;

	if (str_empty(detail_ref)) {
		snprintf(err, errlen, "posting %.100s has no externalPath", external_id);
		return -1;
	}
	if (workday_site_of(src ? src->url : NULL, &s, err, errlen) < 0)
		return -1;
	size_t n = strcspn(s.cxs, "?#");
	if (n >= 5 && strncmp(s.cxs + n - 5, "/jobs", 5) == 0)
		n -= 5;
	memset(req, 0, sizeof(*req));
	/* externalPath is a path the tenant gave: it is sent as given, but no further than
	 * the path (it may not name another host or carry a query) */
	req->url = xasprintf("%.*s%s%.*s", (int)n, s.cxs, detail_ref[0] == '/' ? "" : "/",
			     (int)strcspn(detail_ref, "?# \t\r\n"), detail_ref);
	/* without it, Workday's edge has been seen to answer HTML */
	req->accept = xstrdup("application/json");
	workday_site_free(&s);
	return 0;
}

static int workday_detail_parse(const struct source_target *src, const char *body, size_t len,
				struct posting *out, char *err, size_t errlen)
{
	struct jv *root =
	    source_json_load(body, len, "a JSON object with \"jobPostingInfo\"", err, errlen);

	if (root == NULL)
		return -1;
	const struct jv *info = source_json_obj(root, "jobPostingInfo");
	/* a posting without a description states no pay; no jobPostingInfo is no posting */
	const char *html = source_json_str(info, "jobDescription");
	if (info == NULL) {
		snprintf(err, errlen, "expected a Workday posting (jobPostingInfo), got %s without",
			 source_json_kind(root));
		jv_free(root);
		return -1;
	}
	struct buf b = BUF_INIT;
	source_join(&b, source_json_str(info, "location"), "; ");
	source_join_each(&b, jv_get(info, "additionalLocations"), NULL, "; ");
	out->location = b.len ? buf_steal(&b) : NULL;
	buf_free(&b);
	source_set_description(out, html);
	jv_free(root);
	return 0;
}

/* A locale segment of a typed careers URL, in any case: "en-US", "fr-ca" (a bare "de" could be
 * a site's name). */
static bool is_locale_typed(const char *s)
{
	return strlen(s) == 5 && s[2] == '-' && isalpha((unsigned char)s[0]) &&
	       isalpha((unsigned char)s[1]) && isalpha((unsigned char)s[3]) &&
	       isalpha((unsigned char)s[4]);
}

/* tenant.wdN.myworkdayjobs.com/[locale/]site/… and wdN.myworkdaysite.com/[locale/]recruiting/
 * tenant/site/… both poll https://host/wday/cxs/tenant/site/jobs. */
static bool workday_recognise(const char *url, const struct url_parts *u, char **api_url)
{
	char tenant[URL_MAX_NAME], site[URL_MAX_NAME], first[URL_MAX_NAME];
	int i = 0;

	if (url_host_under(u, "myworkdayjobs.com", 2, tenant, sizeof(tenant))) {
		if (url_path_starts(u, "/wday/cxs/")) {
			*api_url = xstrdup(url);
			return true;
		}
		if (url_seg(u, 0, first, sizeof(first)) && is_locale_typed(first))
			i = 1;
		if (!url_seg(u, i, site, sizeof(site)))
			return false;
	} else if (url_host_under(u, "myworkdaysite.com", 1, first, sizeof(first))) {
		if (url_path_starts(u, "/wday/cxs/")) {
			*api_url = xstrdup(url);
			return true;
		}
		if (url_seg(u, 0, first, sizeof(first)) && is_locale_typed(first))
			i = 1;
		if (!url_seg_is(u, i, "recruiting") || !url_seg(u, i + 1, tenant, sizeof(tenant)) ||
		    !url_seg(u, i + 2, site, sizeof(site)))
			return false;
	} else {
		return false;
	}
	*api_url = xasprintf("https://%s/wday/cxs/%s/%s/jobs", u->host, tenant, site);
	return true;
}

const struct source_adapter source_workday = {
    .type = "workday",
    .first = workday_first,
    .parse = workday_parse,
    .detail_request = workday_detail_request,
    .detail_parse = workday_detail_parse,
    .recognise = workday_recognise,
    .name = {.seg = 3},
};
