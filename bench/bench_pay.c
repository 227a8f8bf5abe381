/* bench_pay.c - throughput of pay_parse_text on real description text: every text of the four
 * labelled corpora (tests/fixtures/pay), repeated until at least 50 MB have been parsed, one
 * core (CPU time, so that other work on the machine does not count), one call per text as the
 * daemon makes them. Prints "pay_parse_text: X MB/s" (the first range only) and
 * "pay_parse_text_all: X MB/s" (every range: what the daemon calls). */
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
		struct jv *j = jv_parse(line, strlen(line), &jline, msg, sizeof(msg));
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

/* Parse every text until BENCH_MIN_BYTES have gone by: the first range only (all false), or
 * every range as the daemon reads a description (all true). */
static void bench_run(const char *name, size_t n, bool all)
{
	static struct pay_text_range r[PAY_TEXT_MAX_RANGES];
	size_t bytes = 0, found = 0;
	struct timespec t0, t1;
	struct pay p;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	while (bytes < BENCH_MIN_BYTES)
		for (size_t i = 0; i < n; i++) {
			if (all)
				found += pay_parse_text_all(texts[i], lens[i], NULL, false, r,
							    PAY_TEXT_MAX_RANGES);
			else
				found += pay_parse_text(texts[i], lens[i], NULL, &p, NULL, NULL);
			bytes += lens[i];
		}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# %zu texts, %.1f MB parsed in %.3f s, %zu ranges found\n", n, bytes / 1e6, secs,
	       found);
	printf("%s: %.1f MB/s\n", name, bytes / 1e6 / secs);
}

int main(void)
{
	static const char *const langs[] = {"en", "de", "fr", "es"};
	size_t n = 0;

	for (size_t l = 0; l < 4; l++) {
		char path[128];
		snprintf(path, sizeof(path), "tests/fixtures/pay/salary_corpus_%s.jsonl", langs[l]);
		n = bench_load(path, n);
	}
	if (n == 0)
		return 1;
	bench_run("pay_parse_text", n, false);
	bench_run("pay_parse_text_all", n, true);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	return 0;
}
