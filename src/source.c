/* source.c - the registry of adapters and what all of them share: paging state, requests,
 * and the public URL a board name stands for (each adapter's own form). */
#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source_common.h"
#include "util.h"

/* One entry a line, in alphabetical order, so that branches adding adapters merge cleanly. */
/* clang-format off */
static const struct source_adapter *const adapters[] = {
    &source_ashby,
    &source_bamboohr,
    &source_eightfold,
    &source_greenhouse,
    &source_html,
    &source_jsonld,
    &source_lever,
    &source_personio,
    &source_recruitee,
    &source_smartrecruiters,
    &source_teamtailor,
    &source_workable,
    &source_workday,
    NULL,
};
/* clang-format on */

const struct source_adapter *source_adapter_find(const char *type)
{
	for (size_t i = 0; adapters[i]; i++)
		if (strcmp(adapters[i]->type, type) == 0)
			return adapters[i];
	return NULL;
}

const char *const *source_types(void)
{
	static const char *names[UTIL_ARRAY_LEN(adapters)];

	if (names[0] == NULL)
		for (size_t i = 0; adapters[i]; i++)
			names[i] = adapters[i]->type;
	return names;
}

const char *source_type_list(void)
{
	const char *const *types = source_types();
	static char list[512];

	if (list[0] == '\0')
		for (size_t i = 0; types[i]; i++) {
			size_t n = strlen(list);
			snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", types[i]);
		}
	return list;
}

const char *const *source_key_names(void)
{
	static const char *names[64];

	if (names[0] == NULL) {
		size_t n = 0;
		for (size_t i = 0; adapters[i]; i++)
			for (const struct source_key *k = adapters[i]->keys; k && k->name; k++) {
				size_t j = 0;
				while (j < n && strcmp(names[j], k->name) != 0)
					j++;
				if (j == n && n + 1 < UTIL_ARRAY_LEN(names))
					names[n++] = k->name;
			}
	}
	return names;
}

const struct source_key *source_adapter_key(const struct source_adapter *a, const char *name)
{
	for (const struct source_key *k = a ? a->keys : NULL; k && k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

void source_walk_init(struct source_walk *w, int max_pages)
{
	memset(w, 0, sizeof(*w));
	w->total = -1;
	w->max_pages = max_pages > 0 ? max_pages : SOURCE_MAX_PAGES_DEFAULT;
}

enum source_step source_walk_step(const struct source_adapter *a, const struct source_target *src,
				  struct source_walk *w, const char *body, size_t len,
				  struct posting_list *out, struct source_request *next, char *err,
				  size_t errlen)
{
	err[0] = '\0';
	if (a->parse(src, w, body, len, out, next, err, errlen) < 0) {
		source_request_clear(next);
		if (err[0] == '\0')
			snprintf(err, errlen, "the page could not be read");
		return SOURCE_STEP_ERROR;
	}
	w->pages++;
	if (next->url == NULL)
		return SOURCE_STEP_END;
	if (w->pages >= w->max_pages) {
		/* the board goes on past the ceiling: what was read counts, as a partial walk */
		source_request_clear(next);
		w->ceiling = true;
		snprintf(w->incomplete, sizeof(w->incomplete),
			 "page ceiling reached (poll.max_pages = %d): not the whole board",
			 w->max_pages);
		return SOURCE_STEP_END;
	}
	return SOURCE_STEP_NEXT;
}

char *source_board_url(const char *type, const char *board)
{
	const struct source_adapter *a = source_adapter_find(type);

	if (a == NULL || a->board.before == NULL)
		return NULL;
	/* Ashby board names are case- and space-sensitive: every name is percent-encoded
	 * rather than trusted to be URL-safe. */
	char *name = source_url_escape(board);
	char *url = xasprintf("%s%s%s", a->board.before, name, a->board.after);
	free(name);
	return url;
}

void source_request_clear(struct source_request *r)
{
	free(r->url);
	free(r->body);
	free(r->content_type);
	free(r->accept);
	memset(r, 0, sizeof(*r));
}
