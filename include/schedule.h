/* schedule.h - when a source is due: its interval with jitter, and capped exponential backoff
 * with jitter for a failing one (Retry-After honoured); when the database is tried again. Pure
 * arithmetic on milliseconds. */
#ifndef JOBWATCH_SCHEDULE_H
#define JOBWATCH_SCHEDULE_H

#include <stdint.h>

#define SCHEDULE_BACKOFF_BASE_MS 30000 /* first retry of a failing source */

/* When a source that just finished a good poll is next due. */
int64_t schedule_next(int64_t now_ms, int interval_s, double jitter);
/* When a source with failures polls in a row (>= 1) is next due; retry_after_s < 0 if none. */
int64_t schedule_backoff(int64_t now_ms, int interval_s, double jitter, int failures,
			 long retry_after_s);
/* When to try the database again after failures (>= 1) tries in a row: from base_ms, doubled
 * each time, max_ms at most. */
int64_t schedule_retry(int64_t now_ms, int failures, int64_t base_ms, int64_t max_ms);
/* Spread the first polls of n sources over a few seconds so they do not start in one burst. */
int64_t schedule_initial(int64_t now_ms, int index);

#endif
