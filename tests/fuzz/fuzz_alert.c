/* fuzz_alert.c - the alert line on hostile values: the input, cut at NUL bytes, gives the
 * rule, source, title, location, url, old and new values of an event; whatever they hold
 * (newlines, ANSI escapes, invalid UTF-8, quotes, "key=value" forgeries), the line must stay
 * one line of printable text that no value can add a key to. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "buf.h"
#include "pay.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated field of the input, as a new string. */
static char *field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *q = *p;

	while (q < end && *q)
		q++;
	size_t n = (size_t)(q - *p);
	char *s = malloc(n + 1);
	if (s == NULL)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p = q < end ? q + 1 : q;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *rule = field(&p, end), *source = field(&p, end);
	struct event e = {.kind = size ? (enum event_kind)(data[0] % EVENT_KIND_COUNT) : 0};
	struct buf b = BUF_INIT;

	e.external_id = field(&p, end);
	e.title = field(&p, end);
	e.location = field(&p, end);
	e.url = field(&p, end);
	e.old_value = field(&p, end);
	e.new_value = field(&p, end);
	pay_clear(&e.pay);
	if (size > 8) {
		e.pay.min = data[1] * 1000.0;
		e.pay.max = data[2] * 1000.0;
		memcpy(e.pay.currency, "USD", 4);
		e.pay.period = PAY_PERIOD_YEAR;
	}
	alert_format(&b, rule, source, &e);
	/* one line, printable ASCII or UTF-8 continuation bytes; values quoted, so the count of
	 * unquoted '=' is the count of keys the grammar wrote */
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];
		if (c < 0x20 || c == 0x7f)
			abort();
	}
	free(rule);
	free(source);
	free(e.external_id);
	free(e.title);
	free(e.location);
	free(e.url);
	free(e.old_value);
	free(e.new_value);
	buf_free(&b);
	return 0;
}
