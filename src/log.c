/* log.c - the one place that talks to syslog and the journal. Operational lines and alert
 * lines go to syslog(3) (which writes to /dev/log), or, when a socket path is configured, as
 * RFC 3164 datagrams to that unix socket (containers, tests), or, under journald (log.journal),
 * through sd_journal_send with structured fields (MESSAGE_ID per event kind, JOBWATCH_*), so
 * that `journalctl MESSAGE_ID=…` selects alert lines; with --log-stderr they are copied to
 * stderr (not when stderr is the journal already). glibc's syslog drops lines silently when nothing
 * listens; so does the socket path. A listener that reads slower than lines come (a burst of
 * alert lines; the kernel queues as few as net.unix.max_dgram_qlen = 10 datagrams) is waited
 * for, a while, rather than losing a line; one that stops reading costs one such wait, not one
 * per line, and the lines it missed are counted to it when it reads again. Logging never stops
 * the daemon for long. */
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <systemd/sd-journal.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "logfmt.h"
#include "util.h"

static struct {
	char *ident;
	int facility;
	char *socket_path;
	int fd;		/* datagram socket when socket_path is set, else -1 */
	bool stalled;	/* the listener let a wait for room run out: no more waits until it reads */
	size_t dropped; /* lines lost since then */
	bool to_stderr;
	enum log_level verbosity;
	enum log_journal journal_mode;
	bool journal;		/* lines go through sd_journal_send */
	bool stderr_is_journal; /* $JOURNAL_STREAM names fd 2 */
	bool open;
	/* the last error or warning written, and how often it came again since (log_vemit) */
	char *last;
	int last_prio;
	size_t repeats;
	int64_t last_ms;
} lg = {.fd = -1, .verbosity = LOG_LEVEL_INFO};

static void log_repeats_flush(void);

/* systemd sets JOURNAL_STREAM="DEV:INODE" of the stream it connected stdout/stderr to. */
static bool journal_stream_is(int fd)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (e == NULL || sscanf(e, "%llu:%llu", &dev, &ino) != 2 || fstat(fd, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void log_journal_decide(void)
{
	lg.stderr_is_journal = journal_stream_is(STDERR_FILENO);
	lg.journal = lg.journal_mode == LOG_JOURNAL_YES ||
		     (lg.journal_mode == LOG_JOURNAL_AUTO && lg.socket_path == NULL &&
		      (lg.stderr_is_journal || journal_stream_is(STDOUT_FILENO)));
}

void log_set_journal(enum log_journal mode)
{
	lg.journal_mode = mode;
	log_journal_decide();
}

bool log_journal_active(void)
{
	return lg.journal;
}

static void log_socket_close(void)
{
	if (lg.fd >= 0)
		close(lg.fd);
	lg.fd = -1;
}

static void log_socket_open(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};

	if (lg.socket_path == NULL || strlen(lg.socket_path) >= sizeof(sun.sun_path))
		return;
	strcpy(sun.sun_path, lg.socket_path);
	lg.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (lg.fd < 0)
		return;
	lg.stalled = false; /* a listener met again is waited for again */
	if (connect(lg.fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		log_socket_close();
}

void log_open(const char *ident, int facility, const char *socket_path, bool to_stderr,
	      enum log_level verbosity)
{
	lg.ident = xstrdup(ident);
	lg.to_stderr = to_stderr;
	lg.verbosity = verbosity;
	lg.open = true;
	log_reconfigure(facility, socket_path);
}

void log_reconfigure(int facility, const char *socket_path)
{
	if (!lg.open)
		return;
	closelog();
	log_socket_close();
	free(lg.socket_path);
	lg.socket_path = xstrdup(socket_path);
	lg.facility = facility;
	log_journal_decide();
	if (lg.socket_path)
		log_socket_open();
	else
		openlog(lg.ident, LOG_PID | LOG_NDELAY, facility);
}

void log_close(void)
{
	log_repeats_flush();
	free(lg.last);
	lg.last = NULL;
	if (!lg.open)
		return;
	closelog();
	log_socket_close();
	free(lg.socket_path);
	free(lg.ident);
	lg.socket_path = NULL;
	lg.ident = NULL;
	lg.open = false;
}

/* How long one line may wait for room in the listener's queue. */
#define LOG_SOCKET_WAIT_MS 1000

/* Send one datagram: 0, or -1 with errno when the socket failed (not for a full queue, which
 * waits once and then drops, counting). */
static int log_socket_write(const char *data, size_t len)
{
	for (;;) {
		if (send(lg.fd, data, len, MSG_NOSIGNAL) >= 0) {
			lg.stalled = false;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		struct pollfd p = {.fd = lg.fd, .events = POLLOUT};
		int rc = lg.stalled ? 0 : poll(&p, 1, LOG_SOCKET_WAIT_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			lg.stalled = true;
			lg.dropped++;
			return 0;
		}
	}
}

/* RFC 3164: "<PRI>Mmm dd hh:mm:ss ident[pid]: message". */
static void log_socket_format(struct buf *b, int prio, const char *msg)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	buf_printf(b, "<%d>%s %s[%ld]: %s", lg.facility | prio, stamp, lg.ident, (long)getpid(),
		   msg);
}

static void log_socket_send(int prio, const char *msg)
{
	struct buf b = BUF_INIT;

	if (lg.fd < 0)
		log_socket_open();
	if (lg.fd < 0)
		return;
	log_socket_format(&b, prio, msg);
	if (log_socket_write(b.data, b.len) < 0) {
		/* the listener went away: reconnect once and try again */
		log_socket_close();
		log_socket_open();
		if (lg.fd >= 0)
			(void)log_socket_write(b.data, b.len);
	}
	if (lg.dropped > 0 && !lg.stalled && lg.fd >= 0) {
		/* it reads again: say what it missed */
		char note[96];
		size_t n = lg.dropped;

		lg.dropped = 0;
		snprintf(note, sizeof(note),
			 "log dropped=%zu reason=\"the log socket was not read\"", n);
		buf_reset(&b);
		log_socket_format(&b, LOG_WARNING, note);
		(void)log_socket_write(b.data, b.len);
	}
	buf_free(&b);
}

size_t log_journal_fields(char **out, int prio, int facility, const char *ident, const char *line,
			  const struct log_alert_fields *f)
{
	size_t n = 0;

	out[n++] = xasprintf("MESSAGE=%s", line);
	out[n++] = xasprintf("PRIORITY=%d", prio & LOG_PRIMASK);
	out[n++] = xasprintf("SYSLOG_FACILITY=%d", LOG_FAC(facility));
	out[n++] = xasprintf("SYSLOG_IDENTIFIER=%s", ident ? ident : "jobwatchd");
	if (f != NULL) {
		if (f->message_id)
			out[n++] = xasprintf("MESSAGE_ID=%s", f->message_id);
		if (f->event)
			out[n++] = xasprintf("JOBWATCH_EVENT=%s", f->event);
		if (f->source)
			out[n++] = xasprintf("JOBWATCH_SOURCE=%s", f->source);
		if (f->posting_id)
			out[n++] = xasprintf("JOBWATCH_POSTING_ID=%s", f->posting_id);
	}
	return n;
}

static void log_journal_send(int prio, const char *line, const struct log_alert_fields *f)
{
	char *fields[LOG_JOURNAL_MAX_FIELDS];
	struct iovec iov[LOG_JOURNAL_MAX_FIELDS];
	size_t n = log_journal_fields(fields, prio, lg.facility, lg.ident, line, f);

	for (size_t i = 0; i < n; i++)
		iov[i] = (struct iovec){.iov_base = fields[i], .iov_len = strlen(fields[i])};
	/* like syslog(3), a journal that is not there drops the line */
	(void)sd_journal_sendv(iov, (int)n);
	for (size_t i = 0; i < n; i++)
		free(fields[i]);
}

static void log_line_fields(int prio, const char *line, const struct log_alert_fields *f)
{
	if (lg.open) {
		if (lg.journal)
			log_journal_send(prio, line, f);
		else if (lg.socket_path)
			log_socket_send(prio, line);
		else
			syslog(prio, "%s", line);
	}
	if ((lg.to_stderr && !(lg.open && lg.journal && lg.stderr_is_journal)) || !lg.open) {
		fputs(line, stderr);
		fputc('\n', stderr);
		fflush(stderr);
	}
}

static void log_line(int prio, const char *line)
{
	log_line_fields(prio, line, NULL);
}

/* An error or warning the same as the last, within LOG_REPEAT_MS of when that was written, is
 * counted instead: a read-only database made one identical line a second. The count goes out
 * as its own line before the next different one, or with the line once the time is up. */
#define LOG_REPEAT_MS 60000

static void log_repeats_flush(void)
{
	struct buf b = BUF_INIT;

	if (lg.repeats == 0)
		return;
	buf_printf(&b, "log repeated=%zu", lg.repeats);
	logfmt_pair(&b, "line", lg.last);
	lg.repeats = 0;
	log_line(lg.last_prio, b.data);
	buf_free(&b);
}

/* True when line is counted as a repeat and is not to be written. */
static bool log_repeated(int prio, const char *line)
{
	int64_t now = util_now_ms();

	if (prio > LOG_WARNING)
		return false;
	if (lg.last && prio == lg.last_prio && strcmp(line, lg.last) == 0 &&
	    now - lg.last_ms < LOG_REPEAT_MS) {
		lg.repeats++;
		return true;
	}
	log_repeats_flush();
	free(lg.last);
	lg.last = xstrdup(line);
	lg.last_prio = prio;
	lg.last_ms = now;
	return false;
}

static void log_vemit(enum log_level level, int prio, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	if (level > lg.verbosity)
		return;
	buf_vprintf(&b, fmt, ap);
	/* one event, one line: a message must never split */
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\n' || b.data[i] == '\r')
			b.data[i] = ' ';
	if (!log_repeated(prio, b.data))
		log_line(prio, b.data);
	buf_free(&b);
}

#define LOG_DEFINE(fn, level, prio)                                                                \
	void fn(const char *fmt, ...)                                                              \
	{                                                                                          \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		log_vemit(level, prio, fmt, ap);                                                   \
		va_end(ap);                                                                        \
	}

LOG_DEFINE(log_err, LOG_LEVEL_ERR, LOG_ERR)
LOG_DEFINE(log_warn, LOG_LEVEL_WARN, LOG_WARNING)
LOG_DEFINE(log_info, LOG_LEVEL_INFO, LOG_INFO)
LOG_DEFINE(log_debug, LOG_LEVEL_DEBUG, LOG_DEBUG)

bool log_debug_enabled(void)
{
	return LOG_LEVEL_DEBUG <= lg.verbosity;
}

void log_alert(int prio, const char *line, const struct log_alert_fields *f)
{
	log_line_fields(prio, line, f);
}

static const struct {
	const char *name;
	int value;
} facilities[] =
    {
	{"daemon", LOG_DAEMON}, {"user", LOG_USER},	{"local0", LOG_LOCAL0},
	{"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
	{"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6},
	{"local7", LOG_LOCAL7},
},
  priorities[] = {
      {"emerg", LOG_EMERG},	{"alert", LOG_ALERT},	{"crit", LOG_CRIT}, {"err", LOG_ERR},
      {"warning", LOG_WARNING}, {"notice", LOG_NOTICE}, {"info", LOG_INFO}, {"debug", LOG_DEBUG},
};

int log_facility_parse(const char *name)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(facilities); i++)
		if (strcmp(facilities[i].name, name) == 0)
			return facilities[i].value;
	return -1;
}

int log_priority_parse(const char *name)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(priorities); i++)
		if (strcmp(priorities[i].name, name) == 0)
			return priorities[i].value;
	return -1;
}

int log_journal_parse(const char *name)
{
	static const char *const modes[] = {
	    [LOG_JOURNAL_AUTO] = "auto", [LOG_JOURNAL_YES] = "yes", [LOG_JOURNAL_NO] = "no"};

	for (size_t i = 0; i < UTIL_ARRAY_LEN(modes); i++)
		if (strcmp(modes[i], name) == 0)
			return (int)i;
	return -1;
}
