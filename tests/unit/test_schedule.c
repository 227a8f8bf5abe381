/* test_schedule.c - backoff: doubling up to the interval, and a server's Retry-After honoured
 * up to four intervals, whatever number it sends (issue 21.8: 9300000000000000 seconds
 * overflowed when made milliseconds; UBSan stopped the daemon, the release build wrapped). */
#include "harness.h"

#include <limits.h>

#include "schedule.h"

static void test_backoff(void)
{
	int64_t now = 1000000;

	CHECK_NUM(schedule_backoff(now, 600, 0, 1, -1) - now, SCHEDULE_BACKOFF_BASE_MS);
	CHECK_NUM(schedule_backoff(now, 600, 0, 2, -1) - now, 2 * SCHEDULE_BACKOFF_BASE_MS);
	CHECK_NUM(schedule_backoff(now, 60, 0, 30, -1) - now, 60000);
}

static void test_retry_after(void)
{
	int64_t now = 1000000;

	CHECK_NUM(schedule_backoff(now, 600, 0, 1, 120) - now, 120000);
	CHECK_NUM(schedule_backoff(now, 600, 0, 1, 1) - now, SCHEDULE_BACKOFF_BASE_MS);
	CHECK_NUM(schedule_backoff(now, 600, 0, 1, 100000) - now, 4 * 600000);
	CHECK_NUM(schedule_backoff(now, 600, 0, 1, 9300000000000000L) - now, 4 * 600000);
	CHECK_NUM(schedule_backoff(now, 600, 0, 1, LONG_MAX) - now, 4 * 600000);
	CHECK_NUM(schedule_backoff(now, 604800, 0.5, 1, LONG_MAX) - now, 4 * 604800000LL);
}

/* The database is tried again 1, 2, 4 … s after failures, 30 s at most. */
static void test_db_retry(void)
{
	int64_t now = 1000000;

	CHECK_NUM(schedule_retry(now, 1, 1000, 30000) - now, 1000);
	CHECK_NUM(schedule_retry(now, 2, 1000, 30000) - now, 2000);
	CHECK_NUM(schedule_retry(now, 5, 1000, 30000) - now, 16000);
	CHECK_NUM(schedule_retry(now, 6, 1000, 30000) - now, 30000);
	CHECK_NUM(schedule_retry(now, 1000000, 1000, 30000) - now, 30000);
}

int main(void)
{
	RUN(test_backoff);
	RUN(test_retry_after);
	RUN(test_db_retry);
	return harness_end();
}
