/* adapter_harness.h - what the unit tests of a one-page adapter share: parse a body as the loop
 * hands it over (the page is the source's URL, and no next page may follow), from memory, a
 * string or a fixture file; the adapter's error is left in err. */
#ifndef JOBWATCH_TEST_ADAPTER_HARNESS_H
#define JOBWATCH_TEST_ADAPTER_HARNESS_H

#include "harness.h"

#include "source.h"

static char err[512];

static int adapter_parse(const struct source_target *src, const char *body, size_t len,
			 struct posting_list *out)
{
	const struct source_adapter *a = source_adapter_find(src->type);
	struct source_walk w;
	struct source_request next = {0};

	source_walk_init(&w, 0);
	w.page_url = src->url;
	err[0] = '\0';
	int rc = a->parse(src, &w, body, len, out, &next, err, sizeof(err));
	CHECK(next.url == NULL);
	source_request_clear(&next);
	return rc;
}

static inline int adapter_parse_str(const struct source_target *src, const char *body,
				    struct posting_list *out)
{
	return adapter_parse(src, body, strlen(body), out);
}

static inline int adapter_parse_fixture(const struct source_target *src, const char *name,
					struct posting_list *out)
{
	size_t len;
	char *body = harness_read(name, &len);
	int rc = adapter_parse(src, body, len, out);
	free(body);
	return rc;
}

#endif
