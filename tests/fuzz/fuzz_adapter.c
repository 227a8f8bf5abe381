/* fuzz_adapter.c - one adapter on arbitrary bytes; the Makefile and tools/fuzz.sh build it once
 * per adapter type with -DFUZZ_TYPE='"ashby"' into fuzz_<type>, whose corpus is
 * tests/fuzz/corpus/fuzz_<type>/. First builds the request; parse must either fill postings or
 * name an error, never crash, leak or read past the input; an adapter with detail reads gets
 * the same bytes as one posting's detail too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

#ifndef FUZZ_TYPE
#error "build with -DFUZZ_TYPE='\"<adapter type>\"'"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Paging adapters take only their own URLs: the URL of a type is one its first accepts. */
static const struct {
	const char *type, *url;
} fuzz_urls[] = {
    {"eightfold", "https://explore.jobs.netflix.net/careers"},
    {"workday", "https://acme.wd5.myworkdayjobs.com/en-US/Careers"},
};

static int fuzz_adapter_run(const char *type, const char *url, const uint8_t *data, size_t size)
{
	const struct source_target src = {
	    .type = type,
	    .url = url,
	};
	const struct source_adapter *a = source_adapter_find(src.type);
	struct source_walk w;
	struct source_request req = {0}, next = {0};
	struct posting_list out = {0};
	char err[256];

	if (a == NULL)
		abort();
	source_walk_init(&w, 0);
	if (a->first(&src, &w, &req, err, sizeof(err)) != 0)
		abort();
	w.page_url = req.url;
	/* A page may ask for a next one (paging adapters); whatever it asks must be whole. */
	if (a->parse(&src, &w, (const char *)data, size, &out, &next, err, sizeof(err)) == 0 &&
	    next.url != NULL) {
		if (next.url[0] == '\0')
			abort();
		/* the same bytes again as the page asked for: a repeat, or more postings */
		w.pages++;
		source_request_clear(&req);
		req = next;
		w.page_url = req.url;
		memset(&next, 0, sizeof(next));
		a->parse(&src, &w, (const char *)data, size, &out, &next, err, sizeof(err));
	}
	for (size_t i = 0; i < out.len; i++)
		if (out.items[i].external_id == NULL || out.items[i].title == NULL)
			abort(); /* a posting without id or title must have been dropped */
	for (size_t i = 0; i < out.len; i++)
		for (size_t j = 0; j < out.items[i].nranges; j++)
			if (!pay_is_set(&out.items[i].ranges[j].pay))
				abort(); /* a stated range holds an amount */
	posting_list_clear(&out);
	source_request_clear(&next);
	source_request_clear(&req);
	if (a->detail_parse) {
		struct posting d = {0};
		pay_clear(&d.pay);
		if (a->detail_parse(&src, (const char *)data, size, &d, err, sizeof(err)) < 0 &&
		    err[0] == '\0')
			abort(); /* a refused detail says why */
		for (size_t j = 0; j < d.nranges; j++)
			if (!pay_is_set(&d.ranges[j].pay))
				abort();
		posting_free_fields(&d);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *url = "https://example.com/jobs?utm_source=fuzz&gh_jid=1";

	for (size_t i = 0; i < sizeof(fuzz_urls) / sizeof(fuzz_urls[0]); i++)
		if (strcmp(fuzz_urls[i].type, FUZZ_TYPE) == 0)
			url = fuzz_urls[i].url;
	return fuzz_adapter_run(FUZZ_TYPE, url, data, size);
}
