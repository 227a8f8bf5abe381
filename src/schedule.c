/* schedule.c - due times. Jitter spreads sources apart so that many boards on one host are not
 * polled in the same second; backoff doubles from SCHEDULE_BACKOFF_BASE_MS up to the source's
 * own interval, so a broken board costs little and a recovered one is seen soon. */
#include "schedule.h"

#include <stdlib.h>

/* A factor in [1 - j, 1 + j]. */
static double jitter_factor(double j)
{
	return 1.0 + j * (2.0 * ((double)random() / (double)RAND_MAX) - 1.0);
}

int64_t schedule_next(int64_t now_ms, int interval_s, double jitter)
{
	return now_ms + (int64_t)((double)interval_s * 1000.0 * jitter_factor(jitter));
}

int64_t schedule_backoff(int64_t now_ms, int interval_s, double jitter, int failures,
			 long retry_after_s)
{
	int64_t cap = (int64_t)interval_s * 1000;
	int64_t delay = SCHEDULE_BACKOFF_BASE_MS;

	for (int i = 1; i < failures && delay < cap; i++)
		delay *= 2;
	if (delay > cap)
		delay = cap;
	delay = (int64_t)((double)delay * jitter_factor(jitter));
	/* compared in seconds: a server's Retry-After of 9300000000000000 overflowed as ms */
	if (retry_after_s > 0 && retry_after_s > delay / 1000)
		delay = retry_after_s >= 4 * cap / 1000 ? 4 * cap : (int64_t)retry_after_s * 1000;
	return now_ms + delay;
}

int64_t schedule_retry(int64_t now_ms, int failures, int64_t base_ms, int64_t max_ms)
{
	int64_t delay = base_ms;

	for (int i = 1; i < failures && delay < max_ms; i++)
		delay *= 2;
	return now_ms + (delay > max_ms ? max_ms : delay);
}

int64_t schedule_initial(int64_t now_ms, int index)
{
	return now_ms + (index % 50) * 20;
}
