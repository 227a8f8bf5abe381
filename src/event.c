/* event.c - names of the event kinds, as stored in events.kind and written in alert lines, and
 * the events a poll gives the alert rules. */
#include "event.h"

#include <stdlib.h>
#include <string.h>

static const char *const event_names[EVENT_KIND_COUNT] = {
    [EVENT_NEW] = "new",
    [EVENT_CLOSED] = "closed",
    [EVENT_REOPENED] = "reopened",
    [EVENT_TITLE_CHANGED] = "title_changed",
    [EVENT_LOCATION_CHANGED] = "location_changed",
    [EVENT_DEPARTMENT_CHANGED] = "department_changed",
    [EVENT_PAY_CHANGED] = "pay_changed",
    [EVENT_SOURCE_FAILING] = "source_failing",
    [EVENT_SOURCE_RECOVERED] = "source_recovered",
    [EVENT_SOURCE_STALE] = "source_stale",
};

static const char *const event_msgids[EVENT_KIND_COUNT] = {
    [EVENT_NEW] = EVENT_MSGID_NEW,
    [EVENT_CLOSED] = EVENT_MSGID_CLOSED,
    [EVENT_REOPENED] = EVENT_MSGID_REOPENED,
    [EVENT_TITLE_CHANGED] = EVENT_MSGID_TITLE_CHANGED,
    [EVENT_LOCATION_CHANGED] = EVENT_MSGID_LOCATION_CHANGED,
    [EVENT_DEPARTMENT_CHANGED] = EVENT_MSGID_DEPARTMENT_CHANGED,
    [EVENT_PAY_CHANGED] = EVENT_MSGID_PAY_CHANGED,
    [EVENT_SOURCE_FAILING] = EVENT_MSGID_SOURCE_FAILING,
    [EVENT_SOURCE_RECOVERED] = EVENT_MSGID_SOURCE_RECOVERED,
    [EVENT_SOURCE_STALE] = EVENT_MSGID_SOURCE_STALE,
};

const char *event_kind_name(enum event_kind k)
{
	return (unsigned)k < EVENT_KIND_COUNT ? event_names[k] : NULL;
}

int event_kind_parse(const char *name)
{
	for (int k = 0; k < EVENT_KIND_COUNT; k++)
		if (strcmp(event_names[k], name) == 0)
			return k;
	return -1;
}

bool event_kind_is_source(enum event_kind k)
{
	return k >= EVENT_SOURCE_FAILING && k < EVENT_KIND_COUNT;
}

const char *event_kind_message_id(enum event_kind k)
{
	return (unsigned)k < EVENT_KIND_COUNT ? event_msgids[k] : NULL;
}

void source_event_clear(struct source_event *ev)
{
	free(ev->reason);
	free(ev->since);
	memset(ev, 0, sizeof(*ev));
}

void events_clear(struct events *ev)
{
	for (size_t i = 0; i < ev->len; i++) {
		struct event *e = &ev->items[i];
		free(e->external_id);
		free(e->title);
		free(e->department);
		free(e->location);
		free(e->url);
		free(e->old_value);
		free(e->new_value);
	}
	free(ev->items);
	source_event_clear(&ev->recovery);
	memset(ev, 0, sizeof(*ev));
}
