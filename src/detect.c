/* detect.c - which job-board system is behind a careers URL or page, and the API URL to poll.
 * detect_url asks each adapter's recogniser, which knows its own system's URL forms;
 * detect_page reads a page already fetched (JSON-LD JobPosting, an embedded board, a link to a
 * known board). Both are pure: nothing is fetched. URLs are read with url.h's strict
 * splitter. */
#include "detect.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "posting.h"
#include "source.h"
#include "url.h"
#include "util.h"

#define DETECT_MAX_URL	    4096 /* a link found in a page */
#define DETECT_LINKS_INSIDE 8	 /* links tried inside one link */

const char *detect_url(const char *url, char **api_url)
{
	const char *const *types = source_types();
	struct url_parts u;

	*api_url = NULL;
	if (url == NULL || !url_split(url, &u))
		return NULL;
	for (size_t i = 0; types[i]; i++) {
		const struct source_adapter *a = source_adapter_find(types[i]);
		if (a->recognise && a->recognise(url, &u, api_url))
			return a->type;
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
		const char *type = detect_url(link, &api);
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
	char site[URL_MAX_NAME];
	size_t n;

	if (p == NULL || (p = find(p, end, "accountName")) == NULL)
		return NULL;
	p += strlen("accountName");
	while (p < end && (*p == '"' || *p == '\'' || *p == ':' || isspace((unsigned char)*p)))
		p++;
	for (n = 0; p + n < end && url_name_char(p[n]) && n < sizeof(site) - 1; n++)
		site[n] = p[n];
	site[n] = '\0';
	if (!url_name_ok(site, n))
		return NULL;
	return source_board_url("lever", site);
}

/* True when the page carries at least one schema.org JobPosting, read by the jsonld adapter
 * itself so that what is detected is what will be polled. */
static bool page_has_jobposting(const char *body, size_t len, const char *page_url)
{
	const struct source_adapter *a = source_adapter_find("jsonld");
	struct source_target src = {.type = "jsonld", .url = page_url};
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

bool detect_page(const char *body, size_t len, const char *page_url, const char **type,
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

char *detect_name(const char *type, const char *api_url)
{
	const struct source_adapter *a = source_adapter_find(type);
	struct url_parts u;
	char seg[URL_MAX_NAME];

	if (api_url == NULL || !url_split(api_url, &u))
		return xstrdup("source");
	if (a && a->name.seg > 0 && url_seg(&u, a->name.seg - 1, seg, sizeof(seg)))
		return name_clean(seg);
	if (a && a->name.param && url_param(&u, a->name.param, seg, sizeof(seg))) {
		seg[strcspn(seg, ".")] = '\0';
		return name_clean(seg);
	}
	return name_from_host(&u);
}
