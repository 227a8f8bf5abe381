/* event.h - the kinds of change jobwatch records and alerts on: changes of a posting, and
 * changes of a source's health (events rows with no posting). Each kind has a fixed journald
 * MESSAGE_ID, so `journalctl MESSAGE_ID=…` selects its alert lines; the ids are an interface
 * (README, jobwatch.conf(5)) and never change. */
#ifndef JOBWATCH_EVENT_H
#define JOBWATCH_EVENT_H

#include <stdbool.h>
#include <stddef.h>

#include "pay.h"

enum event_kind {
	EVENT_NEW = 0,
	EVENT_CLOSED,
	EVENT_REOPENED,
	EVENT_TITLE_CHANGED,
	EVENT_LOCATION_CHANGED,
	EVENT_DEPARTMENT_CHANGED,
	EVENT_PAY_CHANGED,
	/* source kinds: no posting; rules select them only by naming them in events */
	EVENT_SOURCE_FAILING,
	EVENT_SOURCE_RECOVERED,
	EVENT_SOURCE_STALE,
	EVENT_KIND_COUNT,
};

/* The posting kinds, the events a rule without an events list selects. */
#define EVENT_POSTING_KINDS ((1u << EVENT_SOURCE_FAILING) - 1)

/* journald MESSAGE_IDs, 128 bits as 32 lower-case hex digits (random, made once). */
#define EVENT_MSGID_NEW		       "8cc035b4c72041649243cfdd2f161f4b"
#define EVENT_MSGID_CLOSED	       "caeeba1256374ed2beb939d29767e81f"
#define EVENT_MSGID_REOPENED	       "442f1d1c334b4d28996c08e6380db0d8"
#define EVENT_MSGID_TITLE_CHANGED      "054eed5fcfd048f1b3b4f0369cb3e77a"
#define EVENT_MSGID_LOCATION_CHANGED   "34ed3d8422934a8abfb64538f1a2353f"
#define EVENT_MSGID_DEPARTMENT_CHANGED "177b9eaefd1249f79e98b88e52684cc4"
#define EVENT_MSGID_PAY_CHANGED	       "aeb14ce31def431c97d8959130527533"
#define EVENT_MSGID_SOURCE_FAILING     "e73c74b4b5a54f6196b1c6644ec19de1"
#define EVENT_MSGID_SOURCE_RECOVERED   "e8606e7b023649218b5e449d44518de2"
#define EVENT_MSGID_SOURCE_STALE       "2a9a4c8405cf4e5cb55b775593b26504"

/* "new", "closed" … as stored in events.kind; NULL when out of range. */
const char *event_kind_name(enum event_kind k);
/* Inverse of event_kind_name; -1 when unknown. */
int event_kind_parse(const char *name);
/* True for the source kinds (no posting). */
bool event_kind_is_source(enum event_kind k);
/* The kind's journald MESSAGE_ID (EVENT_MSGID_*); NULL when out of range. */
const char *event_kind_message_id(enum event_kind k);

/* A change of a source's health (EVENT_SOURCE_*): an events row without a posting, and the
 * alert line's values. */
struct source_event {
	enum event_kind kind;
	char *reason; /* the poll's error; "no complete poll since …"; "complete poll after …" */
	int failures; /* failed polls in a row (failing; recovered: before this poll) */
	char *since;  /* ISO 8601 UTC: first failure of the run, or (stale) last complete poll */
};

/* One event as the alert module needs it: the posting as it now is, and the change. */
struct event {
	enum event_kind kind;
	char *external_id;
	char *title;
	char *department;
	char *location;
	char *url;
	struct pay pay;
	char *old_value; /* for *_changed, else NULL */
	char *new_value;
};

struct events {
	/* The poll's events with their postings, for the alert rules; a baseline poll's are
	 * stored but not read back, since nothing alerts on them. */
	struct event *items;
	size_t len;
	/* What the poll's polls row counts: new, closed and reopened postings, and postings
	 * with a change (of title, location, department or pay). */
	size_t new_postings, closed, reopened, changed;
	bool baseline; /* the source's first complete poll: stored, not alerted */
	bool suspect;  /* the board shrank past max_drop: nothing closed */
	size_t postings;
	bool recovered;		      /* this poll ended a reported failing or stale state: */
	struct source_event recovery; /* its source_recovered event */
};

/* Free the strings of a source event and zero it. */
void source_event_clear(struct source_event *ev);
/* Free the events' strings and empty ev. */
void events_clear(struct events *ev);

#endif
