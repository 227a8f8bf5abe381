/* fetch.c - the one place that drives libcurl transfers.
 *
 * It owns a CURLM handle, a FIFO per host of transfers waiting for their turn, the list of
 * transfers handed to curl and a queue of finished results. A transfer reaches curl only when
 * it fits under both the total and the per-host limit, so its timeout does not run while it
 * waits. Hosts with a transfer that may start take turns (the ready queue), so starting one
 * costs the same with ten thousand boards waiting on one busy host as with none.
 * Redirects are followed here rather than by curl, so every hop is checked: http and https
 * only, never from https down to http, at most max_redirects hops, all within one deadline.
 * Bodies are counted after decompression and cut at max_body while they stream, because
 * libcurl 7.88 only refuses a body whose announced length is too big. Modelled on curl's
 * docs/examples/10-at-a-time.c and docs/libcurl/libcurl-security.md. Never logs: errors go
 * into the result. */
#include "fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <search.h>
#include <strings.h>
#include <time.h>

#include "util.h"

#ifndef JOBWATCH_VERSION
#define JOBWATCH_VERSION "dev"
#endif

#define FETCH_DEFAULT_CONCURRENCY     8
#define FETCH_DEFAULT_PER_HOST	      2
#define FETCH_DEFAULT_TIMEOUT	      30
#define FETCH_DEFAULT_CONNECT_TIMEOUT 10
#define FETCH_DEFAULT_MAX_BODY	      (10L * 1024 * 1024)
#define FETCH_DEFAULT_MAX_REDIRECTS   5
/* A transfer that moves less than a byte a second for this long (or for the whole timeout,
 * when shorter) is dead: that is what catches a server that hangs after its headers. */
#define FETCH_LOW_SPEED_TIME 30L
#define FETCH_BODY_CHUNK     16384
/* libcurl's receive buffer, per running transfer (its default is 16 KB): a board of a few
 * hundred KB arrives in a few reads and write callbacks instead of twenty. */
#define FETCH_READ_BUFFER (128L * 1024)

/* What the per-host limit counts, one per host name ever asked for (until fetch_free). */
struct fetch_host {
	char *name; /* lower case */
	size_t running;
	struct fetch_xfer *wait_head, *wait_tail;
	struct fetch_host *ready_next;
	struct fetch_host *all_next; /* every host, for fetch_free */
	bool ready;		     /* in the ready queue: it waits, and is under its limit */
};

struct fetch_xfer {
	struct fetch_xfer *next; /* in its host's wait queue or the running list */
	struct fetch *f;
	CURL *easy; /* NULL while waiting */
	struct curl_slist *headers;
	char *url;
	char *host;		 /* lower case */
	struct fetch_host *slot; /* host's, while waiting or running */
	char *body;		 /* POST body, NULL for GET (dropped by a 303) */
	char *content_type;
	char *accept; /* Accept header, or NULL for curl's */
	char *etag;
	char *last_modified;
	void *ud;
	int hops;
	int64_t started_ms;   /* first hand-off to curl; 0 until then */
	bool https_seen;      /* a hop was https: no later hop may be http */
	bool proxied;	      /* this hop goes through a proxy (fetch_proxied) */
	bool origin_private;  /* the first hop reached a private or loopback address */
	bool private_refused; /* a redirect hop led to one, and the first did not */
	/* A proxied redirect hop to a name is resolved here first (fetch_probe_build): the
	 * proxy would resolve it where we cannot see the address. */
	bool probing;	    /* the easy handle is that probe, not the hop */
	bool probed;	    /* this hop's probe is done */
	bool probe_private; /* the name resolved to a private or loopback address */

	/* the response being read; reset by every new status line */
	char *data;
	size_t len, cap;
	bool truncated;
	char *r_etag;
	char *r_last_modified;
	char *r_content_type;
	long retry_after;
	char *errbuf; /* CURL_ERROR_SIZE, made with the first hop: none for a transfer that waits */
};

struct fetch_done {
	struct fetch_done *next;
	struct fetch_result *r;
};

struct fetch {
	CURLM *multi;
	struct fetch_opts o; /* with defaults filled in; o.user_agent points at user_agent */
	char *user_agent;
	void *hosts; /* tsearch tree of struct fetch_host, by name */
	struct fetch_host *all_hosts;
	struct fetch_host *ready_head, *ready_tail;
	struct fetch_xfer *running;
	size_t nwaiting, nrunning;
	struct fetch_done *done_head, *done_tail;
};

static void fetch_xfer_free(struct fetch_xfer *x)
{
	if (x == NULL)
		return;
	curl_slist_free_all(x->headers);
	free(x->errbuf);
	free(x->url);
	free(x->host);
	free(x->body);
	free(x->content_type);
	free(x->accept);
	free(x->etag);
	free(x->last_modified);
	free(x->data);
	free(x->r_etag);
	free(x->r_last_modified);
	free(x->r_content_type);
	free(x);
}

/* Lower-case host and scheme of url into *host and *scheme (either may be NULL). 0 or -1. */
static int fetch_url_parts(const char *url, char **scheme, char **host)
{
	CURLU *u = curl_url();
	char *s = NULL, *h = NULL;
	int ret = -1;

	if (u == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK)
		goto out;
	if (scheme) {
		*scheme = xstrdup(s);
		for (char *p = *scheme; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	}
	if (host) {
		*host = xstrdup(h);
		for (char *p = *host; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	}
	ret = 0;
out:
	curl_free(s);
	curl_free(h);
	curl_url_cleanup(u);
	return ret;
}

static bool fetch_scheme_ok(const char *scheme)
{
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
}

/* A header value must not smuggle in another header line. */
static bool fetch_header_value_ok(const char *s)
{
	return s == NULL || strpbrk(s, "\r\n") == NULL;
}

/* An ETag or Last-Modified to keep and send back: not empty, no control character (RFC 9110
 * field-value: visible ASCII, blanks and bytes over 127), not over FETCH_MAX_VALIDATOR. One
 * with a CR in it was stored once and made every later request of its source fail. */
static bool fetch_validator_ok(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return false;
	for (; s[n]; n++)
		if (((unsigned char)s[n] < 0x20 && s[n] != '\t') || s[n] == 0x7f)
			return false;
	return n > 0 && n <= FETCH_MAX_VALIDATOR;
}

/* Seconds from a Retry-After value: delta-seconds or an HTTP-date; -1 when unreadable. */
static long fetch_parse_retry_after(const char *v)
{
	if (*v >= '0' && *v <= '9') {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || *end != '\0')
			return -1;
		return n;
	}
	time_t t = curl_getdate(v, NULL);
	if (t == -1)
		return -1;
	time_t now = time(NULL);
	return t > now ? (long)(t - now) : 0;
}

static void fetch_response_reset(struct fetch_xfer *x)
{
	free(x->r_etag);
	free(x->r_last_modified);
	free(x->r_content_type);
	x->r_etag = x->r_last_modified = x->r_content_type = NULL;
	x->retry_after = -1;
	x->len = 0;
	x->truncated = false;
}

/* Collects the validators and hints of the response; a status line starts a new response (a
 * 1xx, or a redirect curl would otherwise have mixed in). Values are copied: curl reuses its
 * buffer. */
static size_t fetch_on_header(char *p, size_t size, size_t n, void *ud)
{
	struct fetch_xfer *x = ud;
	size_t len = size * n;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		fetch_response_reset(x);
		return len;
	}
	char *colon = memchr(p, ':', len);
	if (colon == NULL)
		return len;
	size_t nlen = (size_t)(colon - p);
	const char *v = colon + 1, *end = p + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	char *value = xstrndup(v, (size_t)(end - v));

	if (nlen == 4 && strncasecmp(p, "ETag", 4) == 0) {
		free(x->r_etag);
		x->r_etag = fetch_validator_ok(value) ? value : (free(value), NULL);
	} else if (nlen == 13 && strncasecmp(p, "Last-Modified", 13) == 0) {
		free(x->r_last_modified);
		x->r_last_modified = fetch_validator_ok(value) ? value : (free(value), NULL);
	} else if (nlen == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
		free(x->r_content_type);
		x->r_content_type = value;
	} else {
		if (nlen == 11 && strncasecmp(p, "Retry-After", 11) == 0)
			x->retry_after = fetch_parse_retry_after(value);
		free(value);
	}
	return len;
}

/* Keeps at most max_body bytes of the decoded body; returning short makes curl stop with
 * CURLE_WRITE_ERROR, which is how a body (or a gzip bomb) over the cap ends early. */
static size_t fetch_on_body(char *p, size_t size, size_t n, void *ud)
{
	struct fetch_xfer *x = ud;
	size_t len = size * n;
	size_t max = (size_t)x->f->o.max_body;
	size_t take = len <= max - x->len ? len : max - x->len;

	if (x->len + take + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : FETCH_BODY_CHUNK;
		while (cap < x->len + take + 1)
			cap *= 2;
		if (cap > max + 1)
			cap = max + 1;
		x->data = xrealloc(x->data, cap);
		x->cap = cap;
	}
	memcpy(x->data + x->len, p, take);
	x->len += take;
	if (take < len) {
		x->truncated = true;
		return 0;
	}
	return len;
}

#define FETCH_SETOPT(opt, val)                                                                     \
	do {                                                                                       \
		CURLcode rc_ = curl_easy_setopt(e, opt, val);                                      \
		if (rc_ != CURLE_OK) {                                                             \
			snprintf(err, errlen, "%s: %s", #opt, curl_easy_strerror(rc_));            \
			goto fail;                                                                 \
		}                                                                                  \
	} while (0)

static void fetch_header_add(struct fetch_xfer *x, const char *name, const char *value)
{
	char *line = xasprintf("%s: %s", name, value);
	struct curl_slist *l = curl_slist_append(x->headers, line);

	free(line);
	if (l == NULL)
		fatal("out of memory");
	x->headers = l;
}

static int fetch_on_prereq(void *ud, char *ip, char *local_ip, int port, int local_port);
static bool fetch_proxied(const char *scheme, const char *host);

/* Builds the easy handle for the next hop of x: every transfer is made here, with every
 * limit, and every setopt checked. NULL with err filled in on failure. */
static CURL *fetch_easy_build(struct fetch *f, struct fetch_xfer *x, char *err, size_t errlen)
{
	const struct fetch_opts *o = &f->o;
	long remaining_ms = o->timeout * 1000 - (long)(util_now_ms() - x->started_ms);
	CURL *e = curl_easy_init();

	if (e == NULL) {
		snprintf(err, errlen, "curl_easy_init failed");
		return NULL;
	}
	if (remaining_ms <= 0) {
		snprintf(err, errlen, "timeout after %ld seconds, following redirects", o->timeout);
		goto fail;
	}
	curl_slist_free_all(x->headers);
	x->headers = NULL;
	if (x->errbuf == NULL)
		x->errbuf = xmalloc(CURL_ERROR_SIZE);
	x->errbuf[0] = '\0';

	FETCH_SETOPT(CURLOPT_URL, x->url);
	FETCH_SETOPT(CURLOPT_PRIVATE, x);
	FETCH_SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
	FETCH_SETOPT(CURLOPT_NOSIGNAL, 1L);
	FETCH_SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	FETCH_SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	/* we follow redirects ourselves, to vet each hop */
	FETCH_SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
	FETCH_SETOPT(CURLOPT_MAXREDIRS, (long)o->max_redirects);
	FETCH_SETOPT(CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	FETCH_SETOPT(CURLOPT_TIMEOUT_MS, remaining_ms);
	FETCH_SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
	FETCH_SETOPT(CURLOPT_LOW_SPEED_TIME,
		     o->timeout < FETCH_LOW_SPEED_TIME ? o->timeout : FETCH_LOW_SPEED_TIME);
	FETCH_SETOPT(CURLOPT_ACCEPT_ENCODING, "");
	FETCH_SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	FETCH_SETOPT(CURLOPT_BUFFERSIZE, FETCH_READ_BUFFER);
	FETCH_SETOPT(CURLOPT_WRITEFUNCTION, fetch_on_body);
	FETCH_SETOPT(CURLOPT_WRITEDATA, x);
	FETCH_SETOPT(CURLOPT_HEADERFUNCTION, fetch_on_header);
	FETCH_SETOPT(CURLOPT_HEADERDATA, x);
	FETCH_SETOPT(CURLOPT_USERAGENT, o->user_agent);
	FETCH_SETOPT(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	/* Over https, ALPN tells at the handshake whether a connection multiplexes (HTTP/2), so
	 * a transfer may wait that long for one to share. Over plain http that answer only comes
	 * with a response's headers: a server trickling them would hold every other board on
	 * its host until their timeouts (make check-faults found it). */
	FETCH_SETOPT(CURLOPT_PIPEWAIT, strncasecmp(x->url, "https:", 6) == 0 ? 1L : 0L);
	FETCH_SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	FETCH_SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	FETCH_SETOPT(CURLOPT_PREREQFUNCTION, fetch_on_prereq);
	FETCH_SETOPT(CURLOPT_PREREQDATA, x);

	if (x->body) {
		FETCH_SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(x->body));
		FETCH_SETOPT(CURLOPT_POSTFIELDS, x->body); /* x outlives e */
		if (x->content_type)
			fetch_header_add(x, "Content-Type", x->content_type);
		/* no 100-continue round trip: the bodies are small queries */
		fetch_header_add(x, "Expect", "");
	}
	if (x->accept)
		fetch_header_add(x, "Accept", x->accept);
	if (x->etag)
		fetch_header_add(x, "If-None-Match", x->etag);
	if (x->last_modified)
		fetch_header_add(x, "If-Modified-Since", x->last_modified);
	if (x->headers)
		FETCH_SETOPT(CURLOPT_HTTPHEADER, x->headers);
	return e;
fail:
	curl_easy_cleanup(e);
	return NULL;
}

/* Called with each address curl would connect a probe to: noted, and refused, so that the
 * probe connects nowhere. */
static curl_socket_t fetch_on_probe_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct fetch_xfer *x = ud;
	char ip[INET6_ADDRSTRLEN];
	const void *in = NULL;

	(void)purpose;
	if (a->family == AF_INET)
		in = &((const struct sockaddr_in *)(const void *)&a->addr)->sin_addr;
	else if (a->family == AF_INET6)
		in = &((const struct sockaddr_in6 *)(const void *)&a->addr)->sin6_addr;
	if (in == NULL || inet_ntop(a->family, in, ip, sizeof(ip)) == NULL ||
	    fetch_ip_is_private(ip))
		x->probe_private = true;
	return CURL_SOCKET_BAD;
}

/* The probe of a proxied redirect hop to a name: curl resolves the name as it would without
 * the proxy and shows each address to fetch_on_probe_socket, which connects to none. A name
 * that does not resolve here is the proxy's to resolve (and to refuse when private). */
static CURL *fetch_probe_build(struct fetch *f, struct fetch_xfer *x, char *err, size_t errlen)
{
	CURL *e = curl_easy_init();

	if (e == NULL) {
		snprintf(err, errlen, "curl_easy_init failed");
		return NULL;
	}
	x->probing = true;
	x->probe_private = false;
	FETCH_SETOPT(CURLOPT_URL, x->url);
	FETCH_SETOPT(CURLOPT_PRIVATE, x);
	FETCH_SETOPT(CURLOPT_NOPROXY, "*");
	FETCH_SETOPT(CURLOPT_NOSIGNAL, 1L);
	FETCH_SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	FETCH_SETOPT(CURLOPT_CONNECTTIMEOUT_MS, f->o.connect_timeout * 1000L);
	FETCH_SETOPT(CURLOPT_OPENSOCKETFUNCTION, fetch_on_probe_socket);
	FETCH_SETOPT(CURLOPT_OPENSOCKETDATA, x);
	return e;
fail:
	curl_easy_cleanup(e);
	return NULL;
}

static void fetch_done_push(struct fetch *f, struct fetch_result *r)
{
	struct fetch_done *d = xcalloc(1, sizeof(*d));

	d->r = r;
	if (f->done_tail)
		f->done_tail->next = d;
	else
		f->done_head = d;
	f->done_tail = d;
}

/* Turns x into a result (taking its response) and frees it. error may be NULL. */
static void fetch_finish(struct fetch *f, struct fetch_xfer *x, long status, char *error)
{
	struct fetch_result *r = xcalloc(1, sizeof(*r));

	r->ud = x->ud;
	r->status = status;
	if (x->data) {
		x->data[x->len] = '\0';
		r->body = x->data;
		x->data = NULL;
	} else {
		r->body = xstrdup("");
	}
	r->len = x->len;
	r->truncated = x->truncated;
	r->conditional = x->etag || x->last_modified;
	r->error = error;
	r->etag = x->r_etag;
	r->last_modified = x->r_last_modified;
	r->content_type = x->r_content_type;
	x->r_etag = x->r_last_modified = x->r_content_type = NULL;
	r->retry_after = x->retry_after;
	r->ms = x->started_ms ? util_now_ms() - x->started_ms : 0;
	fetch_done_push(f, r);
	fetch_xfer_free(x);
}

static int fetch_host_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fetch_host *)a)->name, ((const struct fetch_host *)b)->name);
}

static struct fetch_host *fetch_host_of(struct fetch *f, const char *name)
{
	struct fetch_host key = {.name = (char *)name};
	struct fetch_host **found = tfind(&key, &f->hosts, fetch_host_cmp);

	if (found)
		return *found;
	struct fetch_host *h = xcalloc(1, sizeof(*h));
	h->name = xstrdup(name);
	if (tsearch(h, &f->hosts, fetch_host_cmp) == NULL)
		fatal("fetch: out of memory");
	h->all_next = f->all_hosts;
	f->all_hosts = h;
	return h;
}

static void fetch_host_free(struct fetch_host *h)
{
	while (h->wait_head) {
		struct fetch_xfer *x = h->wait_head;
		h->wait_head = x->next;
		fetch_xfer_free(x);
	}
	free(h->name);
	free(h);
}

/* Put h in the ready queue (first: before every other host) when a transfer of it may start. */
static void fetch_host_wake(struct fetch *f, struct fetch_host *h, bool first)
{
	if (h->ready || h->wait_head == NULL || h->running >= (size_t)f->o.per_host)
		return;
	h->ready = true;
	h->ready_next = NULL;
	if (f->ready_head == NULL) {
		f->ready_head = f->ready_tail = h;
	} else if (first) {
		h->ready_next = f->ready_head;
		f->ready_head = h;
	} else {
		f->ready_tail->ready_next = h;
		f->ready_tail = h;
	}
}

/* What a URL's host is: localhost (or a name under it), an address literal (copied into addr
 * without its brackets), a name someone has to resolve, or neither (empty, or brackets around
 * no address). */
enum fetch_host_kind {
	FETCH_HOST_LOCALHOST,
	FETCH_HOST_ADDRESS,
	FETCH_HOST_NAME,
	FETCH_HOST_OTHER
};

static enum fetch_host_kind fetch_host_kind(const char *host, char addr[INET6_ADDRSTRLEN + 2])
{
	unsigned char a[16];
	size_t n = strlen(host);
	bool bracketed = n >= 2 && host[0] == '[' && host[n - 1] == ']';

	if (strcmp(host, "localhost") == 0 || (n > 10 && strcmp(host + n - 10, ".localhost") == 0))
		return FETCH_HOST_LOCALHOST;
	if (n == 0 || host[0] == '[') {
		if (!bracketed || n - 2 >= INET6_ADDRSTRLEN + 2)
			return FETCH_HOST_OTHER;
		memcpy(addr, host + 1, n - 2);
		addr[n - 2] = '\0';
		return inet_pton(AF_INET6, addr, a) == 1 || inet_pton(AF_INET, addr, a) == 1
			   ? FETCH_HOST_ADDRESS
			   : FETCH_HOST_OTHER;
	}
	if (inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1) {
		snprintf(addr, INET6_ADDRSTRLEN + 2, "%s", host);
		return FETCH_HOST_ADDRESS;
	}
	return FETCH_HOST_NAME;
}

/* Hands x to curl, or finishes it with the reason it could not start. */
static void fetch_xfer_start(struct fetch *f, struct fetch_xfer *x)
{
	char err[CURL_ERROR_SIZE + 64], addr[INET6_ADDRSTRLEN + 2];

	if (x->started_ms == 0)
		x->started_ms = util_now_ms();
	fetch_response_reset(x);
	x->proxied =
	    fetch_proxied(strncasecmp(x->url, "https:", 6) == 0 ? "https" : "http", x->host);
	x->probing = false;
	if (x->hops > 0 && x->proxied && !x->origin_private && !x->probed &&
	    fetch_host_kind(x->host, addr) == FETCH_HOST_NAME)
		x->easy = fetch_probe_build(f, x, err, sizeof(err));
	else
		x->easy = fetch_easy_build(f, x, err, sizeof(err));
	if (x->easy == NULL) {
		fetch_finish(f, x, 0, xstrdup(err));
		return;
	}
	CURLMcode mc = curl_multi_add_handle(f->multi, x->easy);
	if (mc != CURLM_OK) {
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
		fetch_finish(f, x, 0,
			     xasprintf("curl_multi_add_handle: %s", curl_multi_strerror(mc)));
		return;
	}
	x->next = f->running;
	f->running = x;
	f->nrunning++;
	x->slot->running++;
}

/* Starts waiting transfers that fit under both limits now: hosts take turns, and each host's
 * oldest goes first. */
static void fetch_start_waiting(struct fetch *f)
{
	while (f->ready_head && f->nrunning < (size_t)f->o.concurrency) {
		struct fetch_host *h = f->ready_head;
		struct fetch_xfer *x = h->wait_head;

		f->ready_head = h->ready_next;
		h->ready = false;
		h->wait_head = x->next;
		if (h->wait_head == NULL)
			h->wait_tail = NULL;
		x->next = NULL;
		f->nwaiting--;
		fetch_xfer_start(f, x);
		fetch_host_wake(f, h, false);
	}
}

/* x waits for its turn on its host; front: before the others of that host, and its host
 * before every other unless it is in the ready queue already. */
static void fetch_wait_push(struct fetch *f, struct fetch_xfer *x, bool front)
{
	struct fetch_host *h = fetch_host_of(f, x->host);

	x->slot = h;
	x->next = NULL;
	if (h->wait_head == NULL) {
		h->wait_head = h->wait_tail = x;
	} else if (front) {
		x->next = h->wait_head;
		h->wait_head = x;
	} else {
		h->wait_tail->next = x;
		h->wait_tail = x;
	}
	f->nwaiting++;
	fetch_host_wake(f, h, front);
}

static bool fetch_is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool fetch_ip_is_private(const char *ip)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, ip, a) == 1) {
		/* RFC 6890's special purposes: this network, private, shared (CGN), loopback,
		 * link-local, IETF protocol assignments (192.0.0.0/24), the TEST-NETs, benchmarking
		 * (198.18.0.0/15), multicast and reserved */
		return a[0] == 0 || a[0] == 10 || a[0] == 127 ||
		       (a[0] == 100 && (a[1] & 0xc0) == 64) || (a[0] == 169 && a[1] == 254) ||
		       (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
		       (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2)) ||
		       (a[0] == 198 && (a[1] & 0xfe) == 18) ||
		       (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
		       (a[0] == 203 && a[1] == 0 && a[2] == 113) || a[0] >= 224;
	}
	if (inet_pton(AF_INET6, ip, a) != 1)
		return true; /* not an address we can judge: treat it as private */
	static const unsigned char zero[10] = {0};
	static const unsigned char nat64[12] = {0x00, 0x64, 0xff, 0x9b};
	/* ::ffff:a.b.c.d, and NAT64's 64:ff9b::a.b.c.d (RFC 6052), which reaches a.b.c.d
	 * through the translator: judged by the IPv4 address they carry */
	if ((memcmp(a, zero, 10) == 0 && a[10] == 0xff && a[11] == 0xff) ||
	    memcmp(a, nat64, 12) == 0) {
		char v4[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, a + 12, v4, sizeof(v4));
		return fetch_ip_is_private(v4);
	}
	/* 64:ff9b:1::/48, NAT64 for local use (RFC 8215), and 2001:db8::/32, documentation */
	if ((a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b && a[4] == 0 &&
	     a[5] == 1) ||
	    (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8))
		return true;
	static const unsigned char loop[16] = {[15] = 1}, any[16] = {0};
	return memcmp(a, loop, 16) == 0 || memcmp(a, any, 16) == 0 || (a[0] & 0xfe) == 0xfc ||
	       (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff;
}

/* Whether libcurl sends a request for host over scheme through a proxy, read from the
 * environment as libcurl reads it: http_proxy (lower case only) or https_proxy/HTTPS_PROXY,
 * else all_proxy/ALL_PROXY, unless no_proxy/NO_PROXY is "*" or names the host or a domain
 * of it. (An address range in no_proxy is taken as naming nothing: then a hop is judged as
 * proxied, by its name, which is the stricter of the two.) */
static bool fetch_proxied(const char *scheme, const char *host)
{
	const char *p = NULL, *np = getenv("no_proxy");

	if (strcmp(scheme, "http") == 0)
		p = getenv("http_proxy");
	else if ((p = getenv("https_proxy")) == NULL)
		p = getenv("HTTPS_PROXY");
	if (str_empty(p) && str_empty(p = getenv("all_proxy")))
		p = getenv("ALL_PROXY");
	if (str_empty(p))
		return false;
	if (np == NULL)
		np = getenv("NO_PROXY");
	for (size_t hl = strlen(host); np && *np;) {
		np += strspn(np, ", \t");
		size_t n = strcspn(np, ", \t");
		const char *e = np;
		if (n > 0 && *e == '.')
			e++, n--;
		if ((n == 1 && *e == '*') ||
		    (n > 0 && n <= hl && strncasecmp(host + hl - n, e, n) == 0 &&
		     (n == hl || host[hl - n - 1] == '.')))
			return false;
		np = e + n;
	}
	return true;
}

/* Behind a proxy the address a hop connects to is the proxy's: a hop is then judged by its
 * host, private when it is a private address or localhost, public when it is a name (the
 * proxy resolves it; see README, "Behind a proxy"). */
static bool fetch_host_is_private(const char *host)
{
	char addr[INET6_ADDRSTRLEN + 2];

	switch (fetch_host_kind(host, addr)) {
	case FETCH_HOST_LOCALHOST:
		return true;
	case FETCH_HOST_ADDRESS:
		return fetch_ip_is_private(addr);
	case FETCH_HOST_NAME:
	case FETCH_HOST_OTHER:
		break;
	}
	return false;
}

/* Called once a hop is connected, before its request goes out (a reused connection too): a
 * redirect may not lead a public source to a private or loopback address, where it would
 * reach services the page's author could not. */
static int fetch_on_prereq(void *ud, char *ip, char *local_ip, int port, int local_port)
{
	struct fetch_xfer *x = ud;
	bool private = x->proxied ? fetch_host_is_private(x->host) : fetch_ip_is_private(ip);

	(void)local_ip;
	(void)port;
	(void)local_port;
	if (x->hops == 0) {
		x->origin_private = private;
		return CURL_PREREQFUNC_OK;
	}
	if (private && !x->origin_private) {
		x->private_refused = true;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

/* Points x at the redirect target, after vetting it. NULL, or why the hop is refused. */
static char *fetch_redirect(struct fetch *f, struct fetch_xfer *x, long status, const char *to)
{
	char *scheme = NULL, *host = NULL;

	if (to == NULL)
		return xasprintf("HTTP %ld redirect without a usable Location", status);
	if (x->hops >= f->o.max_redirects)
		return xasprintf("too many redirects (more than %d)", f->o.max_redirects);
	if (fetch_url_parts(to, &scheme, &host) < 0 || !fetch_scheme_ok(scheme)) {
		free(scheme);
		free(host);
		return xasprintf("redirect to %s refused: only http and https are fetched", to);
	}
	if (x->https_seen && strcmp(scheme, "http") == 0) {
		free(scheme);
		free(host);
		return xasprintf("redirect to %s refused: it downgrades https to http", to);
	}
	if (strcmp(scheme, "https") == 0)
		x->https_seen = true;
	free(scheme);
	free(x->host);
	x->host = host;
	free(x->url);
	x->url = xstrdup(to);
	x->hops++;
	x->probed = false;
	/* as browsers do: 303 always, and 301/302 after a POST, turn into a GET */
	if (status == 303 || status == 301 || status == 302) {
		free(x->body);
		x->body = NULL;
	}
	return NULL;
}

/* The error text of a finished hop, or NULL when the transport succeeded. */
static char *fetch_error(struct fetch *f, struct fetch_xfer *x, CURLcode rc)
{
	if (rc == CURLE_OK)
		return NULL;
	if (x->private_refused)
		return xasprintf("redirect to %s refused: a private or loopback address", x->url);
	if ((rc == CURLE_WRITE_ERROR && x->truncated) || rc == CURLE_FILESIZE_EXCEEDED) {
		x->truncated = true;
		return xasprintf("body exceeds max_body %ld bytes", f->o.max_body);
	}
	if (x->errbuf && x->errbuf[0])
		return xasprintf("%s: %s", curl_easy_strerror(rc), x->errbuf);
	return xstrdup(curl_easy_strerror(rc));
}

/* One transfer curl has finished with (already removed from the multi handle). */
static void fetch_on_done(struct fetch *f, struct fetch_xfer *x, CURLcode rc)
{
	long status = 0;
	char *redirect = NULL, *error;

	if (x->probing) { /* the hop's name is resolved: the hop itself, or its refusal */
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
		x->probing = false;
		x->probed = true;
		if (x->probe_private) {
			fetch_finish(
			    f, x, 0,
			    xasprintf("redirect to %s refused: its name resolves to a private "
				      "or loopback address",
				      x->url));
			return;
		}
		fetch_wait_push(f, x, true);
		return;
	}

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_OK && fetch_is_redirect(status)) {
		char *to = NULL;
		curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &to);
		redirect = xstrdup(to); /* dies with the easy handle */
	}
	error = fetch_error(f, x, rc);
	curl_easy_cleanup(x->easy);
	x->easy = NULL;

	if (rc == CURLE_OK && fetch_is_redirect(status)) {
		error = fetch_redirect(f, x, status, redirect);
		free(redirect);
		if (error == NULL) {
			/* it already waited its turn: it goes first, the limits still apply */
			fetch_wait_push(f, x, true);
			return;
		}
	}
	fetch_finish(f, x, status, error);
}

static void fetch_running_unlink(struct fetch *f, struct fetch_xfer *x)
{
	for (struct fetch_xfer **pp = &f->running; *pp; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			x->next = NULL;
			f->nrunning--;
			x->slot->running--;
			fetch_host_wake(f, x->slot, false);
			return;
		}
	}
	fatal("fetch: finished transfer is not running");
}

static void fetch_drain(struct fetch *f)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		CURL *e = m->easy_handle;
		CURLcode rc = m->data.result; /* m dies with remove_handle */
		char *priv = NULL;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
		struct fetch_xfer *x = (struct fetch_xfer *)priv;
		curl_multi_remove_handle(f->multi, e);
		fetch_running_unlink(f, x);
		fetch_on_done(f, x, rc);
	}
	fetch_start_waiting(f);
}

struct fetch *fetch_new(const struct fetch_opts *o)
{
	struct fetch *f = xcalloc(1, sizeof(*f));

	/* libcurl counts these calls itself; fetch_free makes the matching cleanup */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("curl_global_init failed");
	f->o = *o;
	if (f->o.concurrency <= 0)
		f->o.concurrency = FETCH_DEFAULT_CONCURRENCY;
	if (f->o.per_host <= 0)
		f->o.per_host = FETCH_DEFAULT_PER_HOST;
	if (f->o.timeout <= 0)
		f->o.timeout = FETCH_DEFAULT_TIMEOUT;
	if (f->o.connect_timeout <= 0)
		f->o.connect_timeout = FETCH_DEFAULT_CONNECT_TIMEOUT;
	if (f->o.max_body <= 0)
		f->o.max_body = FETCH_DEFAULT_MAX_BODY;
	if (f->o.max_redirects <= 0)
		f->o.max_redirects = FETCH_DEFAULT_MAX_REDIRECTS;
	f->user_agent =
	    xstrdup(str_empty(o->user_agent) ? "jobwatch/" JOBWATCH_VERSION : o->user_agent);
	f->o.user_agent = f->user_agent;

	f->multi = curl_multi_init();
	if (f->multi == NULL)
		fatal("curl_multi_init failed");
	/* a backstop: the wait queue already keeps within these */
	CURLMcode mc =
	    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->o.per_host);
	if (mc == CURLM_OK)
		mc = curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
				       (long)f->o.concurrency);
	if (mc != CURLM_OK)
		fatal("curl_multi_setopt: %s", curl_multi_strerror(mc));
	return f;
}

void fetch_free(struct fetch *f)
{
	if (f == NULL)
		return;
	while (f->running) {
		struct fetch_xfer *x = f->running;
		f->running = x->next;
		curl_multi_remove_handle(f->multi, x->easy);
		curl_easy_cleanup(x->easy);
		fetch_xfer_free(x);
	}
	while (f->all_hosts) {
		struct fetch_host *h = f->all_hosts;
		f->all_hosts = h->all_next;
		tdelete(h, &f->hosts, fetch_host_cmp);
		fetch_host_free(h);
	}
	while (f->done_head) {
		struct fetch_done *d = f->done_head;
		f->done_head = d->next;
		fetch_result_free(d->r);
		free(d);
	}
	curl_multi_cleanup(f->multi);
	free(f->user_agent);
	free(f);
	curl_global_cleanup();
}

int fetch_add(struct fetch *f, const struct fetch_request *r)
{
	char *scheme = NULL, *host = NULL;

	if (r->url == NULL || fetch_url_parts(r->url, &scheme, &host) < 0)
		return -1;
	bool ok = fetch_scheme_ok(scheme) && fetch_header_value_ok(r->content_type) &&
		  fetch_header_value_ok(r->accept);
	if (!ok) {
		free(scheme);
		free(host);
		return -1;
	}
	struct fetch_xfer *x = xcalloc(1, sizeof(*x));
	x->f = f;
	x->url = xstrdup(r->url);
	x->host = host;
	x->https_seen = strcmp(scheme, "https") == 0;
	free(scheme);
	x->body = xstrdup(r->body);
	x->content_type = xstrdup(r->content_type);
	x->accept = str_empty(r->accept) ? NULL : xstrdup(r->accept);
	x->etag = fetch_validator_ok(r->etag) ? xstrdup(r->etag) : NULL;
	x->last_modified = fetch_validator_ok(r->last_modified) ? xstrdup(r->last_modified) : NULL;
	x->ud = r->ud;
	x->retry_after = -1;
	fetch_wait_push(f, x, false);
	fetch_start_waiting(f);
	return 0;
}

int fetch_wait(struct fetch *f, int timeout_ms, const int *extra_fds, size_t nfds)
{
	struct curl_waitfd *w = nfds ? xcalloc(nfds, sizeof(*w)) : NULL;
	int running, ret = -1;

	for (size_t i = 0; i < nfds; i++) {
		w[i].fd = extra_fds[i];
		w[i].events = CURL_WAIT_POLLIN;
	}
	if (curl_multi_perform(f->multi, &running) != CURLM_OK)
		goto out;
	fetch_drain(f);
	/* results already waiting: only look for more, do not sleep */
	if (f->done_head)
		timeout_ms = 0;
	if (curl_multi_poll(f->multi, w, (unsigned int)nfds, timeout_ms, NULL) != CURLM_OK)
		goto out;
	if (curl_multi_perform(f->multi, &running) != CURLM_OK)
		goto out;
	fetch_drain(f);
	ret = 0;
out:
	free(w);
	return ret;
}

struct fetch_result *fetch_next_done(struct fetch *f)
{
	struct fetch_done *d = f->done_head;

	if (d == NULL)
		return NULL;
	f->done_head = d->next;
	if (f->done_head == NULL)
		f->done_tail = NULL;
	struct fetch_result *r = d->r;
	free(d);
	return r;
}

size_t fetch_pending(const struct fetch *f)
{
	return f->nwaiting + f->nrunning;
}

void fetch_result_free(struct fetch_result *r)
{
	if (r == NULL)
		return;
	free(r->body);
	free(r->error);
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	free(r);
}
