/* loop.h - the daemon's one loop: due sources → fetch → adapter → store → alerts, with signals
 * (SIGHUP reload, SIGTERM/SIGINT stop) read from a signalfd inside curl_multi_poll. */
#ifndef JOBWATCH_LOOP_H
#define JOBWATCH_LOOP_H

#include <stdbool.h>

struct config;

struct loop_opts {
	bool once;		 /* poll every enabled source once, then return */
	const char *config_path; /* re-read on SIGHUP */
	const char *sql_dir;	 /* migrations */
};

#define LOOP_EXIT_OK		0
#define LOOP_EXIT_SOURCE_FAILED 1 /* --once: some source failed */
#define LOOP_EXIT_SETUP		2 /* configuration or database */

/* Run until stopped (or, with once, until every source polled); takes ownership of cfg.
 * Returns a LOOP_EXIT_* code. */
int loop_run(struct config *cfg, const struct loop_opts *o);

#endif
