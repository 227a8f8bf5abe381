/* buf.h - a growable byte buffer, always NUL-terminated. */
#ifndef JOBWATCH_BUF_H
#define JOBWATCH_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char *data; /* NUL-terminated when cap > 0 */
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                                                   \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Make room for n more bytes. */
void buf_reserve(struct buf *b, size_t n);
/* Append n bytes. */
void buf_append(struct buf *b, const void *p, size_t n);
/* Append a C string. */
void buf_puts(struct buf *b, const char *s);
/* Append one byte: inline, since text walks append byte by byte. */
static inline void buf_putc(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
/* Append v in decimal. */
void buf_put_u64(struct buf *b, uint64_t v);
/* Append v in decimal, with a minus sign when negative. */
void buf_put_i64(struct buf *b, int64_t v);
/* Append formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append formatted text from a va_list. */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Forget the contents but keep the memory. */
void buf_reset(struct buf *b);
/* Hand the contents to the caller (never NULL) and reset b. */
char *buf_steal(struct buf *b);
/* Free the memory. */
void buf_free(struct buf *b);

#endif
