/* detect.h - which job-board system is behind a careers URL or a fetched page, and the URL to
 * poll. Pure: nothing is fetched. */
#ifndef JOBWATCH_DETECT_H
#define JOBWATCH_DETECT_H

#include <stdbool.h>
#include <stddef.h>

/* Why a page of type auto could not be polled. */
#define DETECT_NONE                                                                                \
	"no job board recognised on page: no JSON-LD JobPosting, no embedded "                     \
	"Greenhouse/Lever/Ashby board"

/* The system behind a careers URL, as the adapters' recognisers read its host and path:
 * returns the type and sets *api_url to the URL to poll (a copy, possibly the URL itself);
 * NULL when no adapter recognises it. */
const char *detect_url(const char *url, char **api_url);
/* The board a fetched page carries: an embedded Greenhouse, Lever or Ashby board (or a link to
 * one), a schema.org JobPosting in JSON-LD (type jsonld on page_url itself), a link to another
 * known board. Sets *type and *api_url (a copy); false when none. */
bool detect_page(const char *body, size_t len, const char *page_url, const char **type,
		 char **api_url);
/* A short source name for a board ("acme" of .../boards/acme/jobs); never NULL. */
char *detect_name(const char *type, const char *api_url);

#endif
