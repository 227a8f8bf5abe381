/* event.h - the kinds of change jobwatch records and alerts on. */
#ifndef JOBWATCH_EVENT_H
#define JOBWATCH_EVENT_H

enum event_kind {
	EVENT_NEW = 0,
	EVENT_CLOSED,
	EVENT_REOPENED,
	EVENT_TITLE_CHANGED,
	EVENT_LOCATION_CHANGED,
	EVENT_DEPARTMENT_CHANGED,
	EVENT_PAY_CHANGED,
	EVENT_KIND_COUNT,
};

/* "new", "closed" … as stored in events.kind; NULL when out of range. */
const char *event_kind_name(enum event_kind k);
/* Inverse of event_kind_name; -1 when unknown. */
int event_kind_parse(const char *name);

#endif
