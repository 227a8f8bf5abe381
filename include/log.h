/* log.h - operational log lines and alert lines, to syslog and optionally stderr.
 * The only module that talks to syslog. Lines are logfmt (see alert.h). */
#ifndef JOBWATCH_LOG_H
#define JOBWATCH_LOG_H

#include <stdbool.h>

enum log_level { LOG_LEVEL_ERR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Start logging: ident for syslog, facility (LOG_DAEMON …), whether to copy lines to stderr,
 * verbosity (LOG_LEVEL_INFO by default). socket_path NULL means syslog(3) and /dev/log;
 * a path sends RFC 3164 datagrams to that unix socket instead. */
void log_open(const char *ident, int facility, const char *socket_path, bool to_stderr,
	      enum log_level verbosity);
/* Switch facility or socket after a reload. */
void log_reconfigure(int facility, const char *socket_path);
/* Stop logging and free what log_open made. */
void log_close(void);
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write one finished alert line at syslog priority prio (LOG_NOTICE …). */
void log_alert_line(int prio, const char *line);
/* Parse "daemon", "local0" … into a LOG_* facility; -1 when unknown. */
int log_facility_parse(const char *name);
/* Parse "notice", "info" … into a LOG_* priority; -1 when unknown. */
int log_priority_parse(const char *name);

#endif
