/* event.c - names of the event kinds, as stored in events.kind and written in alert lines. */
#include "event.h"

#include <string.h>

static const char *const event_names[EVENT_KIND_COUNT] = {
    [EVENT_NEW] = "new",
    [EVENT_CLOSED] = "closed",
    [EVENT_REOPENED] = "reopened",
    [EVENT_TITLE_CHANGED] = "title_changed",
    [EVENT_LOCATION_CHANGED] = "location_changed",
    [EVENT_DEPARTMENT_CHANGED] = "department_changed",
    [EVENT_PAY_CHANGED] = "pay_changed",
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
