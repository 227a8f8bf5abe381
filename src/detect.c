/* detect.c - which job-board system is behind a careers URL or page, and the API URL to poll.
 * source_detect reads the URL alone; source_detect_page reads a page already fetched (JSON-LD
 * JobPosting, an embedded board, a link to a known board). Both are pure: nothing is fetched.
 *
 * URLs are split by a small parser here rather than curl_url(): libcurl stays in fetch and the
 * loop, and detection needs only scheme, host, path segments and one query parameter. It is
 * strict where it matters: the host ends at the first of / ? # \ (so "evil.com\@x" and
 * "evil.com#@x" are evil.com), userinfo and port are dropped, a host must be plain
 * [a-z0-9.-] (no IP-literal, no percent-escape), and hosts are compared whole, label by label,
 * so evil-greenhouse.io and greenhouse.io.evil.com are nobody's board. A board name that goes
 * into an API URL must be made of URL-safe characters ([A-Za-z0-9._~%-]). */
#include "source.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "posting.h"
#include "util.h"

#define DETECT_MAX_HOST	    256
#define DETECT_MAX_PATH	    2048
#define DETECT_MAX_NAME	    200	 /* a board, tenant or site name */
#define DETECT_MAX_URL	    4096 /* a link found in a page */
#define DETECT_LINKS_INSIDE 8	 /* links tried inside one link */

struct url_parts {
	char host[DETECT_MAX_HOST]; /* lower case, without userinfo, port and trailing dot */
	char path[DETECT_MAX_PATH]; /* from the first '/', without query and fragment; may be "" */
	const char *query;	    /* into the URL, after '?'; NULL when none */
	size_t query_len;	    /* up to '#' or the end */
};

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '~' ||
	       c == '%';
}

/* A board name safe to put into an API URL: not empty, not "." or "..", URL-safe. */
static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= DETECT_MAX_NAME || (n == 1 && s[0] == '.') ||
	    (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]))
			return false;
	return true;
}

static bool url_split(const char *url, struct url_parts *u)
{
	const char *p, *auth, *end, *at, *colon;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (strncasecmp(url, "https://", 8) == 0)
		auth = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		auth = url + 7;
	else
		return false;
	end = auth + strcspn(auth, "/?#\\");
	at = NULL;
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at)
		auth = at + 1;
	colon = memchr(auth, ':', (size_t)(end - auth));
	n = (size_t)((colon ? colon : end) - auth);
	if (n > 0 && auth[n - 1] == '.') /* "greenhouse.io." is the same name */
		n--;
	if (n == 0 || n >= sizeof(u->host))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)auth[i]);
		if (!host_char(c))
			return false;
		u->host[i] = c;
	}
	p = end;
	if (*p == '\\')
		return false; /* browsers read it as '/', curl does not: trust neither */
	n = strcspn(p, "?#");
	if (n >= sizeof(u->path))
		return false;
	memcpy(u->path, p, n);
	p += n;
	if (*p == '?') {
		u->query = p + 1;
		u->query_len = strcspn(u->query, "#");
	}
	return true;
}

/* Path segment i (0 is the first) into out; false when absent, empty or not a safe name. */
static bool url_seg(const struct url_parts *u, int i, char *out, size_t outlen)
{
	const char *p = u->path;

	for (;;) {
		if (*p != '/')
			return false;
		p++;
		size_t n = strcspn(p, "/");
		if (i-- == 0) {
			if (!name_ok(p, n) || n >= outlen)
				return false;
			memcpy(out, p, n);
			out[n] = '\0';
			return true;
		}
		p += n;
	}
}

static bool url_seg_is(const struct url_parts *u, int i, const char *want)
{
	char seg[DETECT_MAX_NAME];

	return url_seg(u, i, seg, sizeof(seg)) && strcasecmp(seg, want) == 0;
}

/* The value of query parameter name into out (as written, no decoding); false when absent or
 * not a safe name. */
static bool url_param(const struct url_parts *u, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = u->query, *end = u->query ? u->query + u->query_len : NULL;

	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		if ((size_t)(stop - p) > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			const char *v = p + nlen + 1;
			size_t n = (size_t)(stop - v);
			if (!name_ok(v, n) || n >= outlen)
				return false;
			memcpy(out, v, n);
			out[n] = '\0';
			return true;
		}
		p = amp ? amp + 1 : NULL;
	}
	return false;
}

static bool host_is(const struct url_parts *u, const char *name)
{
	return strcmp(u->host, name) == 0;
}

/* True when the host is exactly "<labels>.<parent>" with 1 to max_labels labels before parent;
 * the first label goes into first. Hosts that are the parent itself or a service name of the
 * vendor (www, api, app) are not a company's board. */
static bool host_under(const struct url_parts *u, const char *parent, int max_labels, char *first,
		       size_t firstlen)
{
	static const char *const reserved[] = {"www", "api", "app"};
	size_t hl = strlen(u->host), pl = strlen(parent), n;
	int labels = 1;

	if (hl <= pl + 1 || strcmp(u->host + hl - pl, parent) != 0 || u->host[hl - pl - 1] != '.')
		return false;
	for (size_t i = 0; i < hl - pl - 1; i++) {
		if (u->host[i] == '.' && (i == 0 || u->host[i - 1] == '.'))
			return false;
		labels += u->host[i] == '.';
	}
	if (labels > max_labels)
		return false;
	n = strcspn(u->host, ".");
	if (n == 0 || n >= firstlen || n >= DETECT_MAX_NAME)
		return false;
	memcpy(first, u->host, n);
	first[n] = '\0';
	for (size_t i = 0; i < UTIL_ARRAY_LEN(reserved); i++)
		if (strcmp(first, reserved[i]) == 0)
			return false;
	return true;
}

static bool path_starts(const struct url_parts *u, const char *prefix)
{
	return strncasecmp(u->path, prefix, strlen(prefix)) == 0;
}

/* A Workday locale segment: "en-US", "fr-CA" (a bare "de" could be a site's name). */
static bool is_locale(const char *s)
{
	return strlen(s) == 5 && s[2] == '-' && isalpha((unsigned char)s[0]) &&
	       isalpha((unsigned char)s[1]) && isalpha((unsigned char)s[3]) &&
	       isalpha((unsigned char)s[4]);
}

static const char *detect_greenhouse(const char *url, const struct url_parts *u, char **api)
{
	char board[DETECT_MAX_NAME];

	if (host_is(u, "boards-api.greenhouse.io")) {
		*api = xstrdup(url);
		return "greenhouse";
	}
	if (!host_is(u, "boards.greenhouse.io") && !host_is(u, "job-boards.greenhouse.io") &&
	    !host_is(u, "boards.eu.greenhouse.io") && !host_is(u, "job-boards.eu.greenhouse.io"))
		return NULL;
	/* the embed forms (job_board, job_board/js, job_app) name the board in "for" */
	if (url_seg_is(u, 0, "embed") ? url_param(u, "for", board, sizeof(board))
				      : url_seg(u, 0, board, sizeof(board))) {
		*api = source_board_url("greenhouse", board);
		return "greenhouse";
	}
	return NULL;
}

static const char *detect_lever(const char *url, const struct url_parts *u, char **api)
{
	char site[DETECT_MAX_NAME];

	if (host_is(u, "api.lever.co") || host_is(u, "api.eu.lever.co")) {
		*api = xstrdup(url);
		return "lever";
	}
	if (host_is(u, "jobs.lever.co") && url_seg(u, 0, site, sizeof(site))) {
		*api = source_board_url("lever", site);
		return "lever";
	}
	if (host_is(u, "jobs.eu.lever.co") && url_seg(u, 0, site, sizeof(site))) {
		*api = xasprintf("https://api.eu.lever.co/v0/postings/%s?mode=json", site);
		return "lever";
	}
	return NULL;
}

static const char *detect_ashby(const char *url, const struct url_parts *u, char **api)
{
	char board[DETECT_MAX_NAME];

	if (host_is(u, "api.ashbyhq.com") && path_starts(u, "/posting-api/")) {
		*api = xstrdup(url);
		return "ashby";
	}
	if (host_is(u, "jobs.ashbyhq.com") && url_seg(u, 0, board, sizeof(board))) {
		*api = source_board_url("ashby", board);
		return "ashby";
	}
	return NULL;
}

/* tenant.wdN.myworkdayjobs.com/[locale/]site/… and wdN.myworkdaysite.com/[locale/]recruiting/
 * tenant/site/… both poll https://host/wday/cxs/tenant/site/jobs. */
static const char *detect_workday(const char *url, const struct url_parts *u, char **api)
{
	char tenant[DETECT_MAX_NAME], site[DETECT_MAX_NAME], first[DETECT_MAX_NAME];
	int i = 0;

	if (host_under(u, "myworkdayjobs.com", 2, tenant, sizeof(tenant))) {
		if (path_starts(u, "/wday/cxs/")) {
			*api = xstrdup(url);
			return "workday";
		}
		if (url_seg(u, 0, first, sizeof(first)) && is_locale(first))
			i = 1;
		if (!url_seg(u, i, site, sizeof(site)))
			return NULL;
	} else if (host_under(u, "myworkdaysite.com", 1, first, sizeof(first))) {
		if (path_starts(u, "/wday/cxs/")) {
			*api = xstrdup(url);
			return "workday";
		}
		if (url_seg(u, 0, first, sizeof(first)) && is_locale(first))
			i = 1;
		if (!url_seg_is(u, i, "recruiting") || !url_seg(u, i + 1, tenant, sizeof(tenant)) ||
		    !url_seg(u, i + 2, site, sizeof(site)))
			return NULL;
	} else {
		return NULL;
	}
	*api = xasprintf("https://%s/wday/cxs/%s/%s/jobs", u->host, tenant, site);
	return "workday";
}

static const char *detect_smartrecruiters(const char *url, const struct url_parts *u, char **api)
{
	char company[DETECT_MAX_NAME];

	if (host_is(u, "api.smartrecruiters.com") && path_starts(u, "/v1/companies/")) {
		*api = xstrdup(url);
		return "smartrecruiters";
	}
	if ((host_is(u, "careers.smartrecruiters.com") || host_is(u, "jobs.smartrecruiters.com")) &&
	    url_seg(u, 0, company, sizeof(company))) {
		*api = source_board_url("smartrecruiters", company);
		return "smartrecruiters";
	}
	return NULL;
}

/* Netflix's careers run on Eightfold; other tenants are tenant.eightfold.ai and need the
 * company's domain, which their careers URLs carry as ?domain=; without it the tenant's .com
 * is a guess (right for the two tenants in our fixtures, albemarle and fcx). */
static const char *detect_eightfold(const char *url, const struct url_parts *u, char **api)
{
	char tenant[DETECT_MAX_NAME], domain[DETECT_MAX_NAME];

	if (host_is(u, "jobs.netflix.com") || host_is(u, "explore.jobs.netflix.net")) {
		if (host_is(u, "explore.jobs.netflix.net") && path_starts(u, "/api/apply/"))
			*api = xstrdup(url);
		else
			*api = xstrdup("https://explore.jobs.netflix.net/api/apply/v2/"
				       "jobs?domain=netflix.com");
		return "eightfold";
	}
	if (!host_under(u, "eightfold.ai", 1, tenant, sizeof(tenant)))
		return NULL;
	if (path_starts(u, "/api/apply/")) {
		*api = xstrdup(url);
		return "eightfold";
	}
	if (url_param(u, "domain", domain, sizeof(domain)))
		*api = xasprintf("https://%s/api/apply/v2/jobs?domain=%s", u->host, domain);
	else
		*api = xasprintf("https://%s/api/apply/v2/jobs?domain=%s.com", u->host, tenant);
	return "eightfold";
}

static const char *detect_workable(const char *url, const struct url_parts *u, char **api)
{
	char account[DETECT_MAX_NAME];

	if (!host_is(u, "apply.workable.com"))
		return NULL;
	if (url_seg_is(u, 0, "api")) {
		*api = xstrdup(url);
		return "workable";
	}
	/* /j/SHORTCODE is one job's short link: it does not name the account */
	if (url_seg_is(u, 0, "j") || !url_seg(u, 0, account, sizeof(account)))
		return NULL;
	*api = source_board_url("workable", account);
	return "workable";
}

/* The boards that live on the company's own subdomain of the vendor. */
static const char *detect_subdomain(const char *url, const struct url_parts *u, char **api)
{
	char c[DETECT_MAX_NAME];

	if (host_under(u, "recruitee.com", 1, c, sizeof(c))) {
		*api = path_starts(u, "/api/") ? xstrdup(url) : source_board_url("recruitee", c);
		return "recruitee";
	}
	if (host_under(u, "teamtailor.com", 1, c, sizeof(c)) ||
	    host_under(u, "na.teamtailor.com", 1, c, sizeof(c))) {
		*api = path_starts(u, "/jobs.json") ? xstrdup(url)
						    : xasprintf("https://%s/jobs.json", u->host);
		return "teamtailor";
	}
	if (host_under(u, "jobs.personio.de", 1, c, sizeof(c)) ||
	    host_under(u, "jobs.personio.com", 1, c, sizeof(c))) {
		*api =
		    url_seg_is(u, 0, "xml") ? xstrdup(url) : xasprintf("https://%s/xml", u->host);
		return "personio";
	}
	if (host_under(u, "bamboohr.com", 1, c, sizeof(c))) {
		*api = path_starts(u, "/careers/list") ? xstrdup(url)
						       : source_board_url("bamboohr", c);
		return "bamboohr";
	}
	return NULL;
}

const char *source_detect(const char *url, char **api_url)
{
	static const char *(*const detectors[])(const char *, const struct url_parts *, char **) = {
	    detect_greenhouse,	    detect_lever,     detect_ashby,    detect_workday,
	    detect_smartrecruiters, detect_eightfold, detect_workable, detect_subdomain,
	};
	struct url_parts u;

	*api_url = NULL;
	if (url == NULL || !url_split(url, &u))
		return NULL;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(detectors); i++) {
		const char *type = detectors[i](url, &u, api_url);
		if (type)
			return type;
	}
	return NULL;
}

/* ---- pages ---- */

static bool url_end_char(char c)
{
	return c == '\0' || isspace((unsigned char)c) || c == '"' || c == '\'' || c == '<' ||
	       c == '>' || c == '`' || c == ')' || c == '(' || c == '{' || c == '}' || c == '|' ||
	       c == '^' || c == '[' || c == ']';
}

/* Copy the link that starts at p ("//host…", after an optional "http:" or "https:") into out
 * as "https://host…": "&amp;" becomes "&" and a JSON-escaped "\/" becomes "/". Returns where
 * the copy stopped. */
static const char *link_copy(const char *p, const char *end, char *out, size_t outlen)
{
	size_t n = (size_t)snprintf(out, outlen, "https:");

	while (p < end && !url_end_char(*p) && n + 1 < outlen) {
		if (*p == '\\' && p + 1 < end && p[1] == '/') {
			out[n++] = '/';
			p += 2;
		} else if ((size_t)(end - p) >= 5 && strncmp(p, "&amp;", 5) == 0) {
			out[n++] = '&';
			p += 5;
		} else if (*p == '\\') {
			break;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return p;
}

/* Embedded Greenhouse, Lever and Ashby boards are what a careers page most often carries and
 * say the most (the whole board); a JobPosting in JSON-LD comes next; links to other boards
 * last, since a page may link to one for a single job. */
static int link_rank(const char *type)
{
	return strcmp(type, "greenhouse") == 0 || strcmp(type, "lever") == 0 ||
		       strcmp(type, "ashby") == 0
		   ? 0
		   : 2;
}

/* The best-ranked known board that a link in the page points to; NULL when none. */
static const char *page_links(const char *body, size_t len, int *rank, char **api_url)
{
	const char *end = body + len, *best = NULL, *copied = body;
	char link[DETECT_MAX_URL];
	int inside = 0;

	*api_url = NULL;
	for (const char *p = body; (p = memchr(p, '/', (size_t)(end - p))) != NULL;) {
		/* "//" or "\/\/" begins a link ("https://", "//boards…", "https:\/\/…") */
		const char *host;
		if (p + 1 < end && p[1] == '/')
			host = p + 2;
		else if (p + 2 < end && p[1] == '\\' && p[2] == '/')
			host = p + 3;
		else {
			p++;
			continue;
		}
		/* A link may carry another ("…?to=https://boards…"), so each "//" is tried; but
		 * only DETECT_LINKS_INSIDE of them within what the last copy read, or a page of
		 * "//////" copies 4 KB for every 2 bytes. */
		if (p < copied && ++inside > DETECT_LINKS_INSIDE) {
			p = host;
			continue;
		}
		if (p >= copied)
			inside = 0;
		copied = link_copy(p, end, link, sizeof(link));
		p = host;
		char *api = NULL;
		const char *type = source_detect(link, &api);
		if (type && (best == NULL || link_rank(type) < link_rank(best))) {
			free(*api_url);
			*api_url = api;
			best = type;
			if (link_rank(type) == 0)
				break;
		} else {
			free(api);
		}
	}
	*rank = best ? link_rank(best) : 99;
	return best;
}

/* memmem for a body that need not end in NUL. */
static const char *find(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	for (; p && (size_t)(end - p) >= n; p++) {
		if ((p = memchr(p, s[0], (size_t)(end - p))) == NULL || (size_t)(end - p) < n)
			return NULL;
		if (memcmp(p, s, n) == 0)
			return p;
	}
	return NULL;
}

/* Lever's embed script (lever-jobs-embed) names the site in JavaScript, not in a link:
 * window.leverJobsOptions = { accountName: 'acme', … }. */
static char *page_lever_embed(const char *body, size_t len)
{
	const char *end = body + len, *p = find(body, end, "leverJobsOptions");
	char site[DETECT_MAX_NAME];
	size_t n;

	if (p == NULL || (p = find(p, end, "accountName")) == NULL)
		return NULL;
	p += strlen("accountName");
	while (p < end && (*p == '"' || *p == '\'' || *p == ':' || isspace((unsigned char)*p)))
		p++;
	for (n = 0; p + n < end && name_char(p[n]) && n < sizeof(site) - 1; n++)
		site[n] = p[n];
	site[n] = '\0';
	if (!name_ok(site, n))
		return NULL;
	return source_board_url("lever", site);
}

/* True when the page carries at least one schema.org JobPosting, read by the jsonld adapter
 * itself so that what is detected is what will be polled. */
static bool page_has_jobposting(const char *body, size_t len, const char *page_url)
{
	const struct source_adapter *a = source_adapter_find("jsonld");
	struct config_source src = {.name = "detect", .type = "jsonld", .url = (char *)page_url};
	struct posting_list out = {0};
	struct source_request next = {0};
	struct source_walk w;
	char err[256];
	int rc;

	if (a == NULL)
		return false;
	source_walk_init(&w, 1);
	w.page_url = page_url;
	rc = a->parse(&src, &w, body, len, &out, &next, err, sizeof(err));
	posting_list_clear(&out);
	source_request_clear(&next);
	return rc == 0;
}

bool source_detect_page(const char *body, size_t len, const char *page_url, const char **type,
			char **api_url)
{
	int rank;

	*type = NULL;
	*api_url = NULL;
	if (body == NULL || len == 0)
		return false;
	*type = page_links(body, len, &rank, api_url);
	if (*type && rank == 0)
		return true;
	char *lever = page_lever_embed(body, len);
	if (lever) {
		free(*api_url);
		*api_url = lever;
		*type = "lever";
		return true;
	}
	if (page_has_jobposting(body, len, page_url)) {
		free(*api_url);
		*api_url = xstrdup(page_url);
		*type = "jsonld";
	}
	return *type != NULL;
}

/* ---- names ---- */

static bool is_number(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* Lower-case [a-z0-9_-] copy of s; "source" when nothing is left. */
static char *name_clean(const char *s)
{
	char *out = xmalloc(strlen(s) + 1);
	size_t n = 0;

	for (; *s; s++) {
		char c = (char)tolower((unsigned char)*s);
		if (isalnum((unsigned char)c) || c == '-' || c == '_')
			out[n++] = c;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (n == 0 || is_number(out)) {
		free(out);
		return xstrdup("source");
	}
	return out;
}

/* The first label of the host that names the company: not www, careers, jobs … */
static char *name_from_host(const struct url_parts *u)
{
	static const char *const skip[] = {"www.", "careers.", "career.", "jobs.",
					   "job.", "boards.",  "apply.",  "explore."};
	const char *h = u->host;
	bool again = true;

	while (again) {
		again = false;
		for (size_t i = 0; i < UTIL_ARRAY_LEN(skip); i++)
			if (strncmp(h, skip[i], strlen(skip[i])) == 0 &&
			    strchr(h + strlen(skip[i]), '.')) {
				h += strlen(skip[i]);
				again = true;
			}
	}
	char *label = xstrndup(h, strcspn(h, "."));
	char *name = name_clean(label);
	free(label);
	return name;
}

char *source_detect_name(const char *type, const char *api_url)
{
	/* the path segment that holds the board in each API URL */
	static const struct {
		const char *type;
		int seg;
	} at[] = {{"greenhouse", 2},	  {"lever", 2},	  {"ashby", 2},
		  {"smartrecruiters", 2}, {"workday", 2}, {"workable", 4}};
	struct url_parts u;
	char seg[DETECT_MAX_NAME];

	if (api_url == NULL || !url_split(api_url, &u))
		return xstrdup("source");
	for (size_t i = 0; i < UTIL_ARRAY_LEN(at); i++)
		if (strcmp(type, at[i].type) == 0 && url_seg(&u, at[i].seg, seg, sizeof(seg)))
			return name_clean(seg);
	if (strcmp(type, "eightfold") == 0 && url_param(&u, "domain", seg, sizeof(seg))) {
		seg[strcspn(seg, ".")] = '\0';
		return name_clean(seg);
	}
	return name_from_host(&u);
}
