/* test_adapter_generated.c - adapters on pages generated here rather than read from a file:
 * what no payload file holds at a sensible size (the bounds on huge pages). Each adapter's
 * parse of real and hand-written pages is in rows (tests/adapters/, test_adapters.c). */
#include "adapter_harness.h"

#include "buf.h"
#include "source.h"

/* Issue 21.3 and 21.4: rows of one shortcode merge their places into one location, which
 * grew without end and was scanned whole for each row; and a field is kept only as long as
 * the store keeps it (4096 bytes, whole UTF-8 characters), however long the page wrote it. */
static void test_workable_bounds(void)
{
	struct buf b = BUF_INIT;
	struct posting_list l = {0};
	size_t n = 10000;

	buf_puts(&b, "{\"jobs\": [");
	for (size_t i = 0; i < n; i++)
		buf_printf(
		    &b, "%s{\"shortcode\": \"ABC\", \"title\": \"Role\", \"city\": \"City %zu\"}",
		    i ? "," : "", i);
	buf_puts(&b, ", {\"shortcode\": \"LONG\", \"title\": \"");
	for (size_t i = 0; i < 300000; i++)
		buf_puts(&b, "\u00e9"); /* 600 KB of two-byte characters */
	buf_puts(&b, "\"}]}");
	double t0 = harness_cpu();
	CHECK(adapter_parse(&(struct config_source){.name = "t", .type = "workable", .url = "x"},
			    b.data, b.len, &l) == 0);
	CHECK(harness_cpu() - t0 < 0.5);
	struct posting *p = posting_list_find(&l, "ABC");
	CHECK(p != NULL && p->location != NULL);
	if (p && p->location) {
		CHECK(strlen(p->location) <= 4096);
		CHECK(strncmp(p->location, "City 0; City 1; City 2", 22) == 0);
	}
	p = posting_list_find(&l, "LONG");
	CHECK(p != NULL && p->title != NULL);
	if (p && p->title) {
		size_t len = strlen(p->title);
		CHECK(len <= 4096 && len >= 4094 && len % 2 == 0);
		CHECK(strspn(p->title, "\xc3\xa9") == len);
	}
	posting_list_clear(&l);
	buf_free(&b);
}

int main(void)
{
	RUN(test_workable_bounds);
	return harness_end();
}
