/* alert.h - alert rules (PCRE2) select events; each selected event becomes one logfmt line.
 *
 * Line grammar (keys in this order, each present only when it has a value but the first five):
 *   alert rule=R event=E source=S id=I title=T [location=L] [pay=P] [url=U] [old=O]
 * and for the source kinds (source_failing, source_recovered, source_stale), the first four
 * always:
 *   alert rule=R event=E source=S reason=T [failures=N] [since=YYYY-MM-DDTHH:MM:SSZ]
 * reason: failing: the last poll's error; stale: "no complete poll since TS" (or "… yet");
 * recovered: "complete poll after N failed" or "complete poll". failures: failed polls in a
 * row (recovered: before the complete one). since: first failure of the run (failing,
 * recovered), the last complete poll (stale, and recovered from stale without failures).
 * A rule selects a source event only when its events list names the kind; its sources list
 * applies, its match, department and min_pay do not (a source event has no title or pay).
 * A value is written bare when it holds only printable ASCII other than space, '"', '=' and '\';
 * otherwise it is quoted with "..." and '"' '\' escaped with '\', and \n \r \t and other control
 * characters (and DEL) written as \n \r \t \xHH, so no posting can forge or split a line. */
#ifndef JOBWATCH_ALERT_H
#define JOBWATCH_ALERT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "event.h"

struct alert_rules;

/* Whether pattern compiles as a rule's match or department does; why not in err. For
 * --check-config, which must find what would stop the daemon. */
bool alert_pattern_check(const char *pattern, char *err, size_t errlen);
/* Compile the rules of c; NULL and err when a pattern does not compile. */
struct alert_rules *alert_rules_new(const struct config *c, char *err, size_t errlen);
/* Free rules; NULL is a no-op. */
void alert_rules_free(struct alert_rules *r);
/* Write a line for every (event, matching rule) of ev at syslog priority prio; returns the count.
 */
size_t alert_emit(const struct alert_rules *r, const char *source, const struct events *ev,
		  int prio);
/* Append one alert line (no newline) for rule, source and event to out. */
void alert_format(struct buf *out, const char *rule, const char *source, const struct event *e);
/* Write a line for every rule that selects source event e; returns the count. */
size_t alert_emit_source(const struct alert_rules *r, const char *source,
			 const struct source_event *e, int prio);
/* Append one alert line (no newline) for rule, source and source event e to out. */
void alert_format_source(struct buf *out, const char *rule, const char *source,
			 const struct source_event *e);
/* Append key=value in logfmt, quoting and escaping value as the grammar says. */
void alert_logfmt_pair(struct buf *out, const char *key, const char *value);

#endif
