/* fuzz_html.c - libFuzzer target for html_to_text's two readers: whatever the bytes, the text
 * html_to_text gives (libxml2's XML parser where the markup allows, its HTML parser
 * otherwise) is the HTML parser's to the byte, or a posting's digest would depend on which
 * parser read its description. Aborts on the first difference. */
#include "html.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *markup = malloc(size ? size : 1);

	if (markup == NULL)
		return 0;
	if (size)
		memcpy(markup, data, size);
	char *both = html_to_text(markup, size);
	char *html_only = html_to_text_html(markup, size);
	if (strcmp(both, html_only) != 0) {
		fprintf(stderr, "readers differ:\n%s\n---\n%s\n", both, html_only);
		abort();
	}
	free(both);
	free(html_only);
	free(markup);
	return 0;
}
