/* detect.c - from a careers URL alone, the system behind it and the API URL to poll. Only the
 * host and path are read; nothing is fetched. */
#include "source.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* Split url into host (lower-case) and the first path segment. */
static bool url_parts(const char *url, char *host, size_t hostlen, char *seg, size_t seglen)
{
	const char *p = strstr(url, "://");
	size_t n;

	if (p == NULL)
		return false;
	p += 3;
	n = strcspn(p, ":/?#");
	if (n == 0 || n >= hostlen)
		return false;
	for (size_t i = 0; i < n; i++)
		host[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
	host[n] = '\0';
	p += n;
	p += strcspn(p, "/?#");
	seg[0] = '\0';
	if (*p == '/') {
		p++;
		n = strcspn(p, "/?#");
		if (n >= seglen)
			return false;
		memcpy(seg, p, n);
		seg[n] = '\0';
	}
	return true;
}

static bool host_is(const char *host, const char *name)
{
	return strcmp(host, name) == 0;
}

const char *source_detect(const char *url, char **api_url)
{
	char host[256], seg[256];

	*api_url = NULL;
	if (url == NULL || !url_parts(url, host, sizeof(host), seg, sizeof(seg)))
		return NULL;
	if (host_is(host, "boards-api.greenhouse.io")) {
		*api_url = xstrdup(url);
		return "greenhouse";
	}
	if ((host_is(host, "boards.greenhouse.io") || host_is(host, "job-boards.greenhouse.io") ||
	     host_is(host, "job-boards.eu.greenhouse.io")) &&
	    *seg) {
		*api_url = source_board_url("greenhouse", seg);
		return "greenhouse";
	}
	if (host_is(host, "api.lever.co") || host_is(host, "api.eu.lever.co")) {
		*api_url = xstrdup(url);
		return "lever";
	}
	if (host_is(host, "jobs.lever.co") && *seg) {
		*api_url = source_board_url("lever", seg);
		return "lever";
	}
	if (host_is(host, "jobs.eu.lever.co") && *seg) {
		*api_url = xasprintf("https://api.eu.lever.co/v0/postings/%s?mode=json", seg);
		return "lever";
	}
	return NULL;
}
