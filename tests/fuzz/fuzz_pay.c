/* fuzz_pay.c - libFuzzer target for the text pay parser: any bytes, with and without a
 * location, must parse without a crash or an out-of-bounds read, and a found range must
 * come back with a span inside the input. The input is copied into a buffer of exactly its
 * size, so ASan sees any read past the end. */
#include "pay.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct pay p;
	size_t off = 0, n = 0;

	if (text == NULL)
		return 0;
	if (size)
		memcpy(text, data, size);
	if (pay_parse_text(text, size, NULL, &p, &off, &n)) {
		if (off > size || n > size - off || !pay_is_set(&p))
			abort();
		if (!isnan(p.min) && !isnan(p.max) && p.min > p.max)
			abort();
	} else if (pay_is_set(&p)) {
		abort();
	}
	pay_parse_text(text, size, "Toronto, ON", &p, NULL, NULL);
	/* every range, as prose and as a pay field: spans inside the input, labels terminated */
	for (int field = 0; field < 2; field++) {
		struct pay_text_range r[PAY_TEXT_MAX_RANGES];
		size_t nr = pay_parse_text_all(text, size, NULL, field, r, PAY_TEXT_MAX_RANGES);
		if (nr > PAY_TEXT_MAX_RANGES)
			abort();
		for (size_t i = 0; i < nr; i++)
			if (r[i].off > size || r[i].len > size - r[i].off || !pay_is_set(&r[i].pay) ||
			    memchr(r[i].label, '\0', sizeof(r[i].label)) == NULL)
				abort();
	}
	free(text);
	return 0;
}
