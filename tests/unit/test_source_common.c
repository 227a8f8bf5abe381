/* test_source_common.c - the helpers adapters share: source_url_origin, the host that the
 * BambooHR adapter makes its links on. The adapters themselves are tested by rows
 * (tests/adapters/, tests/unit/test_adapters.c). */
#include "harness.h"

#include "source_common.h"

/* Links are made on the list's own host, whatever the path or query. */
static void test_source_url_origin(void)
{
	const char *cases[][2] = {
	    {"https://acme.bamboohr.com/careers/list", "https://acme.bamboohr.com"},
	    {"http://127.0.0.1:8080/careers/list?x=1", "http://127.0.0.1:8080"},
	    {"https://acme.bamboohr.com", "https://acme.bamboohr.com"},
	    {"https://acme.bamboohr.com?q", "https://acme.bamboohr.com"},
	    {"acme.bamboohr.com/careers/list", NULL},
	    {"https:///careers/list", NULL},
	    {"://x", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *o = source_url_origin(cases[i][0]);
		CHECK_STR(o, cases[i][1]);
		free(o);
	}
	CHECK(source_url_origin(NULL) == NULL);
}

int main(void)
{
	RUN(test_source_url_origin);
	return harness_end();
}
