/* fetch.h - the libcurl multi engine: bounded concurrency, a per-host limit, conditional GET,
 * size/time/protocol limits enforced while reading. Knows no source format. */
#ifndef JOBWATCH_FETCH_H
#define JOBWATCH_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fetch;

/* A zero field takes its default: 8 transfers, 2 per host, 30 s, 10 s to connect, 10 MB,
 * 5 redirects, "jobwatch/VERSION". */
struct fetch_opts {
	int concurrency;      /* transfers at once */
	int per_host;	      /* transfers at once to one host */
	long timeout;	      /* seconds, whole transfer */
	long connect_timeout; /* seconds */
	long max_body;	      /* bytes, counted after decompression */
	int max_redirects;
	const char *user_agent;
};

struct fetch_request {
	const char *url;
	const char *body;	   /* POST body, or NULL for GET */
	const char *content_type;  /* of body */
	const char *accept;	   /* Accept header, or NULL */
	const char *etag;	   /* replayed as If-None-Match, or NULL */
	const char *last_modified; /* replayed as If-Modified-Since, or NULL */
	void *ud;		   /* handed back in the result */
};

/* The longest ETag or Last-Modified kept from a response (and so stored and sent again). */
#define FETCH_MAX_VALIDATOR 256

struct fetch_result {
	void *ud;
	long status; /* HTTP status, 0 when no response */
	char *body;  /* NUL-terminated, len bytes */
	size_t len;
	bool truncated; /* hit max_body: the body is not whole (error says so too) */
	char *error;	/* transport or redirect error, or NULL; an HTTP 500 is not one */
	char *etag;	/* from the response, or NULL; never one fetch_add would not send */
	char *last_modified;
	bool conditional; /* If-None-Match or If-Modified-Since was sent: a 304 answers it */
	char *content_type;
	long retry_after; /* seconds from Retry-After, -1 when absent */
	int64_t ms;	  /* duration */
};

/* A new engine; fatal on libcurl set-up failure. Calls curl_global_init (libcurl counts). */
struct fetch *fetch_new(const struct fetch_opts *o);
/* Free the engine, abandoning transfers; NULL is a no-op. */
void fetch_free(struct fetch *f);
/* Queue a transfer (strings are copied). 0, or -1 for a URL that is not http(s) or a
 * content type with a line break. A validator that is no header value (a control character,
 * over FETCH_MAX_VALIDATOR bytes) is left out: the request goes unconditional. */
int fetch_add(struct fetch *f, const struct fetch_request *r);
/* Run transfers and wait up to timeout_ms for progress or for one of extra_fds to be readable.
 * 0 or -1. */
int fetch_wait(struct fetch *f, int timeout_ms, const int *extra_fds, size_t nfds);
/* A finished transfer, or NULL when none is ready; the caller frees it. */
struct fetch_result *fetch_next_done(struct fetch *f);
/* Transfers queued or running. */
size_t fetch_pending(const struct fetch *f);
/* True for loopback, private, link-local, shared, multicast and unspecified addresses (and
 * for text that is no address): where a redirect from a public source may not lead. */
bool fetch_ip_is_private(const char *ip);
/* Free a result; NULL is a no-op. */
void fetch_result_free(struct fetch_result *r);

#endif
