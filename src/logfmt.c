/* logfmt.c - the one logfmt writer every line uses, alert lines and operational lines alike:
 * key=value, a value bare when it is plain and quoted and escaped otherwise, so that nothing a
 * page, a server or the database says can end a line or forge a key. Pure: apart from log.c,
 * so that what writes lines (the store, tests) need not bring syslog in. */
#include "logfmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

static bool logfmt_bare(const char *v)
{
	if (*v == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '=' || *p == '\\')
			return false;
	return true;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned cp;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	cp = p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static void logfmt_quoted(struct buf *out, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t n = strlen(v);

	buf_putc(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
			i++;
		} else if (c == '\n') {
			buf_puts(out, "\\n");
			i++;
		} else if (c == '\r') {
			buf_puts(out, "\\r");
			i++;
		} else if (c == '\t') {
			buf_puts(out, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(out, "\\x%02x", c);
			i++;
		} else if (c < 0x80) {
			buf_putc(out, (char)c);
			i++;
		} else {
			size_t len = utf8_len(p + i, n - i);
			/* C1 controls and the Unicode line and paragraph separators end lines
			 * in some readers: escape them too */
			if (len == 0) {
				buf_printf(out, "\\x%02x", c);
				i++;
			} else if ((len == 2 && c == 0xc2 && p[i + 1] < 0xa0) ||
				   (len == 3 && c == 0xe2 && p[i + 1] == 0x80 &&
				    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))) {
				for (size_t k = 0; k < len; k++)
					buf_printf(out, "\\x%02x", p[i + k]);
				i += len;
			} else {
				buf_append(out, p + i, len);
				i += len;
			}
		}
	}
	buf_putc(out, '"');
}

void logfmt_pair(struct buf *out, const char *key, const char *value)
{
	if (out->len)
		buf_putc(out, ' ');
	buf_puts(out, key);
	buf_putc(out, '=');
	if (logfmt_bare(value))
		buf_puts(out, value);
	else
		logfmt_quoted(out, value);
}
