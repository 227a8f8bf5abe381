/* log.h - operational log lines and alert lines, to syslog and optionally stderr.
 * The only module that talks to syslog. Lines are logfmt (see alert.h). */
#ifndef JOBWATCH_LOG_H
#define JOBWATCH_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_LEVEL_ERR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* log.journal: native journald protocol always, never, or when stdout/stderr is the journal. */
enum log_journal { LOG_JOURNAL_AUTO, LOG_JOURNAL_YES, LOG_JOURNAL_NO };

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
/* Whether log_debug lines go anywhere: a caller may skip building one. */
bool log_debug_enabled(void);
/* Use the journal's native protocol (sd_journal_send) per log.journal; with "auto" when
 * $JOURNAL_STREAM names our stderr or stdout and no log.socket is set. */
void log_set_journal(enum log_journal mode);
/* True when lines go to the journal. */
bool log_journal_active(void);

/* What an alert line carries as journal fields besides MESSAGE. */
struct log_alert_fields {
	const char *message_id; /* 32 hex digits (EVENT_MSGID_*) */
	const char *event;	/* "new", "source_failing" … */
	const char *source;
	const char *posting_id; /* the posting's id at its source; NULL for source events */
};

#define LOG_JOURNAL_MAX_FIELDS 8

/* The journal fields ("KEY=value", each to free) of a line at priority prio, with f for an
 * alert line or NULL; returns how many (at most LOG_JOURNAL_MAX_FIELDS). Pure, for tests. */
size_t log_journal_fields(char **out, int prio, int facility, const char *ident, const char *line,
			  const struct log_alert_fields *f);
/* Write one finished alert line at syslog priority prio (LOG_NOTICE …); f may be NULL. */
void log_alert(int prio, const char *line, const struct log_alert_fields *f);
/* Parse "daemon", "local0" … into a LOG_* facility; -1 when unknown. */
int log_facility_parse(const char *name);
/* Parse "notice", "info" … into a LOG_* priority; -1 when unknown. */
int log_priority_parse(const char *name);
/* Parse "auto", "yes", "no" into an enum log_journal; -1 when unknown. */
int log_journal_parse(const char *name);

#endif
