/* harness.h - a tiny test harness. Each check failure prints "not ok"; each test prints one
 * "ok - name" or "not ok - name" line; tests/run.sh counts them. */
#ifndef JOBWATCH_TEST_HARNESS_H
#define JOBWATCH_TEST_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int harness_passed, harness_failed, harness_cur_failed;
static const char *harness_dir = "tests/fixtures";

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stdout, "# %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			harness_cur_failed++;                                                      \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *ha_ = (a), *hb_ = (b);                                                 \
		if ((ha_ == NULL) != (hb_ == NULL) || (ha_ && strcmp(ha_, hb_) != 0)) {            \
			fprintf(stdout, "# %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__,      \
				__LINE__, #a, ha_ ? ha_ : "(null)", hb_ ? hb_ : "(null)");         \
			harness_cur_failed++;                                                      \
		}                                                                                  \
	} while (0)

#define CHECK_NUM(a, b)                                                                            \
	do {                                                                                       \
		double ha_ = (double)(a), hb_ = (double)(b);                                       \
		if (!((isnan(ha_) && isnan(hb_)) || fabs(ha_ - hb_) < 1e-6)) {                     \
			fprintf(stdout, "# %s:%d: %s is %g, expected %g\n", __FILE__, __LINE__,    \
				#a, ha_, hb_);                                                     \
			harness_cur_failed++;                                                      \
		}                                                                                  \
	} while (0)

#define RUN(fn)                                                                                    \
	do {                                                                                       \
		harness_cur_failed = 0;                                                            \
		fn();                                                                              \
		if (harness_cur_failed) {                                                          \
			harness_failed++;                                                          \
			printf("not ok - %s\n", #fn);                                              \
		} else {                                                                           \
			harness_passed++;                                                          \
			printf("ok - %s\n", #fn);                                                  \
		}                                                                                  \
		fflush(stdout);                                                                    \
	} while (0)

/* Read a fixture file under tests/fixtures (or $JOBWATCH_FIXTURES); exits when missing. */
static inline char *harness_read(const char *rel, size_t *len)
{
	char path[1024];
	const char *dir = getenv("JOBWATCH_FIXTURES");
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : harness_dir, rel);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		printf("not ok - fixture %s missing\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (s == NULL || fread(s, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	s[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return s;
}

/* CPU seconds this process has used: what a hostile page may cost is bounded per MB. */
static inline double harness_cpu(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

/* head, then unit n times, then tail, as one NUL-terminated page; *len its length. */
static inline char *harness_repeat(const char *head, const char *unit, size_t n, const char *tail,
				   size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1);

	if (s == NULL)
		exit(1);
	memcpy(s, head, hl);
	for (size_t i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + ul * n, tail, tl + 1);
	*len = hl + ul * n + tl;
	return s;
}

static inline int harness_end(void)
{
	printf("# %d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

#endif
