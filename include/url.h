/* url.h - the strict URL splitter that board recognisers and detection read URLs with: scheme,
 * host, path segments and query parameters, nothing fetched and no library. */
#ifndef JOBWATCH_URL_H
#define JOBWATCH_URL_H

#include <stdbool.h>
#include <stddef.h>

#define URL_MAX_HOST 256
#define URL_MAX_PATH 2048
#define URL_MAX_NAME 200 /* a board, tenant or site name */

struct url_parts {
	char host[URL_MAX_HOST]; /* lower case, without userinfo, port and trailing dot */
	char path[URL_MAX_PATH]; /* from the first '/', without query and fragment; may be "" */
	const char *query;	 /* into the URL, after '?'; NULL when none */
	size_t query_len;	 /* up to '#' or the end */
};

/* Split an http or https URL into u; false when it is none or its host is not plain
 * [a-z0-9.-] (no IP-literal, no percent-escape), or a part is too long. */
bool url_split(const char *url, struct url_parts *u);
/* True for a character of a board name: [A-Za-z0-9._~%-]. */
bool url_name_char(char c);
/* A board name safe to put into an API URL: not empty, not "." or "..", URL-safe. */
bool url_name_ok(const char *s, size_t n);
/* Path segment i (0 is the first) into out; false when absent, empty or not a safe name. */
bool url_seg(const struct url_parts *u, int i, char *out, size_t outlen);
/* True when path segment i is want, case aside. */
bool url_seg_is(const struct url_parts *u, int i, const char *want);
/* The value of query parameter name into out (as written, no decoding); false when absent or
 * not a safe name. */
bool url_param(const struct url_parts *u, const char *name, char *out, size_t outlen);
/* True when the host is name, whole. */
bool url_host_is(const struct url_parts *u, const char *name);
/* True when the host is exactly "<labels>.<parent>" with 1 to max_labels labels before parent;
 * the first label goes into first. Hosts that are the parent itself or a service name of the
 * vendor (www, api, app) are not a company's board. */
bool url_host_under(const struct url_parts *u, const char *parent, int max_labels, char *first,
		    size_t firstlen);
/* True when the path starts with prefix, case aside. */
bool url_path_starts(const struct url_parts *u, const char *prefix);

#endif
