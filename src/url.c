/* url.c - the strict URL splitter of url.h. Not curl_url(): libcurl stays in fetch and the
 * loop, and recognising a board needs only scheme, host, path segments and one query
 * parameter. It is strict where it matters: the host ends at the first of / ? # \ (so
 * "evil.com\@x" and "evil.com#@x" are evil.com), userinfo and port are dropped, a host must be
 * plain [a-z0-9.-], and hosts are compared whole, label by label, so evil-greenhouse.io and
 * greenhouse.io.evil.com are nobody's board. A board name that goes into an API URL must be
 * made of URL-safe characters ([A-Za-z0-9._~%-]). */
#include "url.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool url_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '~' ||
	       c == '%';
}

bool url_name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= URL_MAX_NAME || (n == 1 && s[0] == '.') ||
	    (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!url_name_char(s[i]))
			return false;
	return true;
}

bool url_split(const char *url, struct url_parts *u)
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

bool url_seg(const struct url_parts *u, int i, char *out, size_t outlen)
{
	const char *p = u->path;

	for (;;) {
		if (*p != '/')
			return false;
		p++;
		size_t n = strcspn(p, "/");
		if (i-- == 0) {
			if (!url_name_ok(p, n) || n >= outlen)
				return false;
			memcpy(out, p, n);
			out[n] = '\0';
			return true;
		}
		p += n;
	}
}

bool url_seg_is(const struct url_parts *u, int i, const char *want)
{
	char seg[URL_MAX_NAME];

	return url_seg(u, i, seg, sizeof(seg)) && strcasecmp(seg, want) == 0;
}

bool url_param(const struct url_parts *u, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = u->query, *end = u->query ? u->query + u->query_len : NULL;

	while (p && p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		if ((size_t)(stop - p) > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			const char *v = p + nlen + 1;
			size_t n = (size_t)(stop - v);
			if (!url_name_ok(v, n) || n >= outlen)
				return false;
			memcpy(out, v, n);
			out[n] = '\0';
			return true;
		}
		p = amp ? amp + 1 : NULL;
	}
	return false;
}

bool url_host_is(const struct url_parts *u, const char *name)
{
	return strcmp(u->host, name) == 0;
}

bool url_host_under(const struct url_parts *u, const char *parent, int max_labels, char *first,
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
	if (n == 0 || n >= firstlen || n >= URL_MAX_NAME)
		return false;
	memcpy(first, u->host, n);
	first[n] = '\0';
	for (size_t i = 0; i < UTIL_ARRAY_LEN(reserved); i++)
		if (strcmp(first, reserved[i]) == 0)
			return false;
	return true;
}

bool url_path_starts(const struct url_parts *u, const char *prefix)
{
	return strncasecmp(u->path, prefix, strlen(prefix)) == 0;
}
