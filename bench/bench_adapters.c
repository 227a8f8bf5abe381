/* bench_adapters.c - throughput of each registered adapter's parse on its real fixtures: every
 * type of source_types() is run on the files of its fixture directory (tests/fixtures/<type>
 * unless the table below says otherwise), all its files in turn, repeated until at least
 * BENCH_MIN_SECS have passed, one core. Prints "TYPE: X MB/s, Y postings/s" per type; a type
 * without fixtures is named as such. A new adapter is picked up with no change here when its
 * fixtures are in tests/fixtures/<type>/; otherwise add one row to fixture_dirs. Files the
 * adapter rejects (another shape of payload kept for other tests) are listed and left out.
 *
 *   bench_adapters [TYPE[=DIR]]...
 *
 * BENCH_SECS in the environment sets the time (BENCH_MIN_SECS by default); BENCH_SECS=0 parses
 * every file exactly once more after loading it, for a run under callgrind whose instruction
 * count does not depend on the machine's speed.
 *
 * runs only the types named, each on the files of DIR when given (the boards bench/gen.py
 * writes, say: even ones are greenhouse, odd ones lever). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "posting.h"
#include "source.h"

#define BENCH_MIN_SECS	1.0
#define BENCH_MAX_FILES 64

/* Types whose fixtures are not in tests/fixtures/<type>/, and the file suffix to take there. */
static const struct {
	const char *type;
	const char *dir;
	const char *suffix;
} fixture_dirs[] = {
    {"jsonld", "tests/fixtures/schemaorg", ".html"},
};

struct page {
	char *name;
	char *body;
	size_t len;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		s = malloc((size_t)n + 1);
		if (s && fread(s, 1, (size_t)n, f) == (size_t)n) {
			s[n] = '\0';
			*len = (size_t)n;
		} else {
			free(s);
			s = NULL;
		}
	}
	fclose(f);
	return s;
}

/* Parse one page as a poll would: a fresh walk, the configured URL as the page's URL. */
static int parse_page(const struct source_adapter *a, const struct page *pg,
		      struct posting_list *out, char *err, size_t errlen)
{
	struct source_target src = {.type = a->type, .url = "https://example.test/careers/board"};
	struct source_walk w;
	struct source_request next = {0};

	source_walk_init(&w, 0);
	w.page_url = src.url;
	int rc = a->parse(&src, &w, pg->body, pg->len, out, &next, err, errlen);
	source_request_clear(&next);
	return rc;
}

/* The fixture files of type the adapter accepts, sorted by name; returns how many. */
static size_t load_pages(const struct source_adapter *a, const char *dir, struct page *pages,
			 const char **dirp)
{
	const char *suffix = dir ? ".json" : NULL;
	static char buf[256];
	struct dirent **names;
	size_t n = 0;
	char err[256];

	for (size_t i = 0; !suffix && i < sizeof(fixture_dirs) / sizeof(fixture_dirs[0]); i++)
		if (strcmp(fixture_dirs[i].type, a->type) == 0) {
			dir = fixture_dirs[i].dir;
			suffix = fixture_dirs[i].suffix;
		}
	if (dir == NULL) {
		snprintf(buf, sizeof(buf), "tests/fixtures/%s", a->type);
		dir = buf;
		suffix = ".json";
	}
	*dirp = dir;
	int nn = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < nn; i++) {
		const char *f = names[i]->d_name;
		char path[512];
		struct page pg;

		if (n < BENCH_MAX_FILES && ends_with(f, suffix) &&
		    !ends_with(f, ".metadata.json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, f);
			pg.name = strdup(f);
			pg.body = slurp(path, &pg.len);
			struct posting_list l = {0};
			int rc = pg.body ? parse_page(a, &pg, &l, err, sizeof(err)) : -1;
			if (rc == 0 && l.len > 0) {
				pages[n++] = pg;
			} else {
				printf("#   %s: %s left out (%s)\n", a->type, f,
				       pg.body == NULL ? "unreadable"
				       : rc	       ? err
						       : "no postings");
				free(pg.name);
				free(pg.body);
			}
			posting_list_clear(&l);
		}
		free(names[i]);
	}
	if (nn >= 0)
		free(names);
	return n;
}

static void bench_type(const char *type, const char *from)
{
	const struct source_adapter *a = source_adapter_find(type);
	struct page pages[BENCH_MAX_FILES];
	const char *dir;

	if (a == NULL) {
		printf("%s: no such source type\n", type);
		return;
	}
	size_t n = load_pages(a, from, pages, &dir), bytes = 0, postings = 0, one = 0;
	char err[256];

	if (n == 0) {
		printf("%s: no fixtures in %s\n", type, dir);
		return;
	}
	for (size_t i = 0; i < n; i++)
		one += pages[i].len;
	const char *env = getenv("BENCH_SECS");
	double min_secs = env ? strtod(env, NULL) : BENCH_MIN_SECS;
	double t0 = now(), secs;
	do {
		for (size_t i = 0; i < n; i++) {
			struct posting_list l = {0};
			parse_page(a, &pages[i], &l, err, sizeof(err));
			postings += l.len;
			bytes += pages[i].len;
			posting_list_clear(&l);
		}
		secs = now() - t0;
	} while (secs < min_secs);
	printf("# %s: %zu files of %s, %.2f MB a round, %.1f MB parsed in %.2f s\n", type, n, dir,
	       one / 1e6, bytes / 1e6, secs);
	printf("%s: %.1f MB/s, %.0f postings/s\n", type, bytes / 1e6 / secs, postings / secs);
	for (size_t i = 0; i < n; i++) {
		free(pages[i].name);
		free(pages[i].body);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		for (const char *const *t = source_types(); *t; t++)
			bench_type(*t, NULL);
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq)
			*eq = '\0';
		bench_type(argv[i], eq ? eq + 1 : NULL);
	}
	return 0;
}
