/* fuzz_detect.c - libFuzzer target for recognition: any bytes as a page must give a board
 * (a type and an http(s) URL) or nothing, never a crash or a read past the input; the same
 * bytes as a URL likewise; a name for what was found is never empty. The page is copied into
 * a buffer of exactly its size, so ASan sees any read past the end. */
#include "detect.h"
#include "source.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_found(const char *type, char *api)
{
	if (type == NULL || api == NULL || strncmp(api, "http", 4) != 0)
		abort();
	char *name = detect_name(type, api);
	if (name == NULL || name[0] == '\0')
		abort();
	free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *page = malloc(size ? size : 1), *url = malloc(size + 1), *api = NULL;
	const char *type = NULL;

	if (page == NULL || url == NULL)
		abort();
	memcpy(page, data, size);
	if (detect_page(page, size, "https://example.com/careers", &type, &api))
		check_found(type, api);
	else if (type != NULL || api != NULL)
		abort();
	free(api);
	memcpy(url, data, size);
	url[size] = '\0';
	if ((type = detect_url(url, &api)) != NULL)
		check_found(type, api);
	else if (api != NULL)
		abort();
	free(api);
	free(url);
	free(page);
	return 0;
}
