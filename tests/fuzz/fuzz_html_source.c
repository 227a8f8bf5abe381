/* fuzz_html_source.c - the html adapter on arbitrary bytes, with fixed XPath expressions: one
 * source with every key set (the seeds' job lists match it), one with only item and
 * allow_empty (the defaults for title and link). fuzz_adapter.c's source has no expressions,
 * so this target has its own small body with the same checks: parse fills postings or names
 * an error, never crashes, leaks or reads past the input, and a kept posting is whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct source_target full = {
    .type = "html",
    .url = "https://example.com/careers/?utm_source=fuzz",
    .xpath_item = "//*[contains(concat(' ', normalize-space(@class), ' '), ' job ')]",
    .xpath_title = ".//h3 | .//b",
    .xpath_link = ".//a/@href",
    .xpath_location = ".//*[@class='location']",
    .xpath_department = "string(.//*[@class='team'])",
    .xpath_pay = ".//*[@class='pay']",
    .xpath_id = "@data-id",
};

static const struct source_target minimal = {
    .type = "html",
    .url = "http://127.0.0.1/jobs/list",
    .xpath_item = "//li",
    .allow_empty = true,
};

static void run(const struct source_target *src, const uint8_t *data, size_t size)
{
	const struct source_adapter *a = source_adapter_find("html");
	struct source_walk w;
	struct source_request req = {0}, next = {0};
	struct posting_list out = {0};
	char err[256] = "";

	if (a == NULL)
		abort();
	source_walk_init(&w, 0);
	if (a->first(src, &w, &req, err, sizeof(err)) != 0)
		abort();
	w.page_url = req.url;
	int rc = a->parse(src, &w, (const char *)data, size, &out, &next, err, sizeof(err));
	if (next.url != NULL)
		abort(); /* a careers page is one page */
	if (rc != 0 && (err[0] == '\0' || out.len != 0))
		abort(); /* a failed page names why and leaves no postings behind */
	for (size_t i = 0; i < out.len; i++) {
		const struct posting *p = &out.items[i];
		if (p->external_id == NULL || p->title == NULL || p->url == NULL)
			abort();
		if (strncmp(p->url, "http://", 7) != 0 && strncmp(p->url, "https://", 8) != 0)
			abort(); /* links are absolute web addresses */
		for (size_t j = 0; j < p->nranges; j++)
			if (!pay_is_set(&p->ranges[j].pay))
				abort();
	}
	posting_list_clear(&out);
	source_request_clear(&next);
	source_request_clear(&req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(&full, data, size);
	run(&minimal, data, size);
	return 0;
}
