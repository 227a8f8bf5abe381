/* util.h - allocation that cannot fail, fatal errors, small string helpers. */
#ifndef JOBWATCH_UTIL_H
#define JOBWATCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTIL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The memory a parsed tree of one page (jv's, libxml2's) may cost: twice the page and
 * 32 MiB. With the page itself and the daemon's own 16 MiB, a page of len bytes then stays
 * within 4 x len + 64 MiB whatever it holds; a page whose tree would cost more is refused
 * before the tree is built (jv_parse, html_read_tree). Real boards cost 1 to 9 x their size. */
#define UTIL_TREE_BUDGET(len) (2 * (size_t)(len) + (size_t)32 * 1024 * 1024)

/* Print "jobwatchd: message" to stderr and exit(2). For start-up and broken invariants. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* malloc that exits on failure: our own bookkeeping running out of memory is fatal. */
void *xmalloc(size_t n);
/* calloc that exits on failure. */
void *xcalloc(size_t nmemb, size_t size);
/* realloc that exits on failure. */
void *xrealloc(void *p, size_t n);
/* reallocarray that exits on failure or overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
/* strdup that exits on failure; xstrdup(NULL) is NULL. */
char *xstrdup(const char *s);
/* strndup that exits on failure. */
char *xstrndup(const char *s, size_t n);
/* asprintf that exits on failure. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True when s is NULL or "". */
bool str_empty(const char *s);
/* strcmp that treats NULL as "" . */
int str_cmp_null(const char *a, const char *b);
/* Case-insensitive suffix test. */
bool str_endswith_ci(const char *s, const char *suffix);
/* Room for any str_from_u64 result and its NUL. */
#define STR_U64_LEN 21
/* Write v in decimal and a NUL into out; returns the number of digits. No printf: COPY rows
 * and pay texts number every posting. */
size_t str_from_u64(char out[STR_U64_LEN], uint64_t v);
/* Write v as str_from_u64 does when it is a whole number from 0 up to 1e15 (the digits %.15g
 * and %.0f write for it), returning their number; 0, writing nothing, for any other v. */
size_t str_from_whole(char out[STR_U64_LEN], double v);
/* Write the code point cp (below 0x110000) in UTF-8 into out, no NUL; returns its bytes (1-4).
 * The callers decide what stands for a code point that is not a character. */
size_t str_utf8_put(char out[4], uint32_t cp);
/* Monotonic clock in milliseconds. */
int64_t util_now_ms(void);

#endif
