/* bench_pay.c - throughput of pay_parse_text on real description text: every text of the four
 * labelled corpora (tests/fixtures/pay), repeated until at least 50 MB have been parsed, one
 * core, one call per text as the daemon makes them. Prints "pay_parse_text: X MB/s". */
#include "pay.h"

#include "jv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_MIN_BYTES (50u * 1024 * 1024)
#define BENCH_MAX_TEXTS 1024

static char *texts[BENCH_MAX_TEXTS];
static size_t lens[BENCH_MAX_TEXTS];

static size_t bench_load(const char *path, size_t n)
{
	char line[1 << 16];
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "bench_pay: cannot open %s (run from the source tree)\n", path);
		exit(1);
	}
	while (n < BENCH_MAX_TEXTS && fgets(line, sizeof(line), f)) {
		char msg[128];
		int jline;
		struct json_object *j = jv_parse(line, strlen(line), &jline, msg, sizeof(msg));
		const char *t = jv_str(jv_get(j, "text"));
		if (t != NULL) {
			texts[n] = strdup(t);
			lens[n] = strlen(t);
			n++;
		}
		jv_free(j);
	}
	fclose(f);
	return n;
}

int main(void)
{
	static const char *const langs[] = {"en", "de", "fr", "es"};
	size_t n = 0, bytes = 0, found = 0;
	struct timespec t0, t1;
	struct pay p;

	for (size_t l = 0; l < 4; l++) {
		char path[128];
		snprintf(path, sizeof(path), "tests/fixtures/pay/salary_corpus_%s.jsonl", langs[l]);
		n = bench_load(path, n);
	}
	if (n == 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (bytes < BENCH_MIN_BYTES)
		for (size_t i = 0; i < n; i++) {
			found += pay_parse_text(texts[i], lens[i], NULL, &p, NULL, NULL);
			bytes += lens[i];
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# %zu texts, %.1f MB parsed in %.3f s, %zu ranges found\n", n, bytes / 1e6, secs,
	       found);
	printf("pay_parse_text: %.1f MB/s\n", bytes / 1e6 / secs);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	return 0;
}
