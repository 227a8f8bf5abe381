/* store.c - the PostgreSQL history's connection: session set-up, prepared statements
 * (prepared on first use after a connect), errors reported once through store_report(), a
 * lost connection marked down so that store_connect makes a new one, and the text a page
 * sends made safe for the database. The other parts: store_migrate.c, store_sources.c,
 * store_snapshot.c, store_detail.c; what they share is store_int.h. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "logfmt.h"
#include "util.h"

/* Session set-up, run after every (re)connect. Times are UTC so that psql users and the
 * daemon agree; the timeouts keep a hung statement or a forgotten transaction from holding
 * a source's row lock for ever. */
static const char STORE_SQL_SESSION[] = "SET TimeZone = 'UTC';"
					"SET statement_timeout = '60s';"
					"SET idle_in_transaction_session_timeout = '120s';";

const struct store_stmt_def store_stmts[STORE_STMT_COUNT] = {
    [STORE_STMT_SYNC_SOURCE] = {"jw_sync_source", STORE_SQL_SYNC_SOURCE},
    [STORE_STMT_SYNC_READ] = {"jw_sync_read", STORE_SQL_SYNC_READ},
    [STORE_STMT_MARK_REMOVED] = {"jw_mark_removed", STORE_SQL_MARK_REMOVED},
    [STORE_STMT_RECORD_FAILURE] = {"jw_record_failure", STORE_SQL_RECORD_FAILURE},
    [STORE_STMT_RECORD_DETECTION] = {"jw_record_detection", STORE_SQL_RECORD_DETECTION},
    [STORE_STMT_LOCK_SOURCE] = {"jw_lock_source", STORE_SQL_LOCK_SOURCE},
    [STORE_STMT_INSERT_POLL] = {"jw_insert_poll", STORE_SQL_INSERT_POLL},
    [STORE_STMT_FINGERPRINTS] = {"jw_fingerprints", STORE_SQL_FINGERPRINTS},
    [STORE_STMT_KEEP_DETAIL] = {"jw_keep_detail", STORE_SQL_KEEP_DETAIL},
    [STORE_STMT_KEEP_DETAIL_MANY] = {"jw_keep_detail_many", STORE_SQL_KEEP_DETAIL_MANY},
    [STORE_STMT_UPDATE_PRESENT] = {"jw_update_present", STORE_SQL_UPDATE_PRESENT},
    [STORE_STMT_UPDATE_PRESENT_MANY] = {"jw_update_present_many", STORE_SQL_UPDATE_PRESENT_MANY},
    [STORE_STMT_INSERT_NEW] = {"jw_insert_new", STORE_SQL_INSERT_NEW},
    [STORE_STMT_INSERT_NEW_MANY] = {"jw_insert_new_many", STORE_SQL_INSERT_NEW_MANY},
    [STORE_STMT_GENERIC] = {"jw_generic", STORE_SQL_GENERIC},
    [STORE_STMT_NESTLOOP] = {"jw_nestloop", STORE_SQL_NESTLOOP},
    [STORE_STMT_INSERT_FIRST] = {"jw_insert_first", STORE_SQL_INSERT_FIRST},
    [STORE_STMT_MISS_COMPLETE] = {"jw_miss_complete", STORE_SQL_MISS_COMPLETE},
    [STORE_STMT_MISS_COMPLETE_MANY] = {"jw_miss_complete_many", STORE_SQL_MISS_COMPLETE_MANY},
    [STORE_STMT_MISS_UNCHANGED] = {"jw_miss_unchanged", STORE_SQL_MISS_UNCHANGED},
    [STORE_STMT_POLL_EVENTS] = {"jw_poll_events", STORE_SQL_POLL_EVENTS},
    [STORE_STMT_POLL_EVENTS_MANY] = {"jw_poll_events_many", STORE_SQL_POLL_EVENTS_MANY},
    [STORE_STMT_FINISH_POLL] = {"jw_finish_poll", STORE_SQL_FINISH_POLL},
    [STORE_STMT_CLAIM] = {"jw_claim", STORE_SQL_CLAIM},
    [STORE_STMT_RENEW] = {"jw_renew", STORE_SQL_RENEW},
    [STORE_STMT_HEARTBEAT] = {"jw_heartbeat", STORE_SQL_HEARTBEAT},
    [STORE_STMT_RELEASE] = {"jw_release", STORE_SQL_RELEASE},
    [STORE_STMT_UNCHANGED_BATCH] = {"jw_unchanged_batch", STORE_SQL_UNCHANGED_BATCH},
    [STORE_STMT_SOURCE_STALE] = {"jw_source_stale", STORE_SQL_SOURCE_STALE},
    [STORE_STMT_RECOVER] = {"jw_recover", STORE_SQL_RECOVER},
    [STORE_STMT_PRUNE_POLLS] = {"jw_prune_polls", STORE_SQL_PRUNE_POLLS},
    [STORE_STMT_STAGE_CLEAR] = {"jw_stage_clear", STORE_SQL_STAGE_CLEAR},
    [STORE_STMT_DETAIL_PICK] = {"jw_detail_pick", STORE_SQL_DETAIL_PICK},
    [STORE_STMT_DETAIL_APPLY] = {"jw_detail_apply", STORE_SQL_DETAIL_APPLY},
    [STORE_STMT_DETAIL_FAIL] = {"jw_detail_fail", STORE_SQL_DETAIL_FAIL},
    [STORE_STMT_ALERTS_DUE] = {"jw_alerts_due", STORE_SQL_ALERTS_DUE},
};

void store_disconnect(struct store *s)
{
	if (s->job) /* its transaction goes with the connection */
		store_job_end(s, -1);
	if (s->conn != NULL)
		PQfinish(s->conn);
	s->conn = NULL;
	memset(s->prepared, 0, sizeof(s->prepared));
	s->stage_made = false; /* the temp tables went with the session */
	s->first_made = false;
	s->since_first = 0;
	s->stage_dead = 0;
	s->stage_stats = 0;
}

/* The one place the store logs: what failed (a fixed phrase), the file it was about (a
 * migration's, or the directory of them; NULL for none), SQLSTATE, message, detail and hint. */
void store_log(const char *what, const char *file, const char *state, const char *msg,
	       const char *detail, const char *hint)
{
	struct buf line = BUF_INIT;
	const char *name[] = {"message", "detail", "hint"}, *value[] = {msg, detail, hint};

	/* Escaped (logfmt_pair): a message quotes values, and a value may come from a page; a
	 * file name is the operator's, and may hold a blank or a newline. The newline libpq
	 * ends its own messages with is no part of them. */
	buf_printf(&line, "store: %s failed:", what);
	if (file != NULL)
		logfmt_pair(&line, "file", file);
	logfmt_pair(&line, "sqlstate", state ? state : "none");
	for (size_t i = 0; i < 3; i++) {
		if (value[i] == NULL)
			continue;
		char *v = xstrndup(value[i], strcspn(value[i], "\n"));
		logfmt_pair(&line, name[i], v);
		free(v);
	}
	log_err("%s", line.data);
	buf_free(&line);
}

/* Report a failed database call once, from res when there is one, else from the connection.
 * A lost connection is marked down here, so the next store_connect makes a new one. */
void store_report(struct store *s, const char *what, const PGresult *res)
{
	store_report_file(s, what, NULL, res);
}

/* store_report about a file (store_log). */
void store_report_file(struct store *s, const char *what, const char *file, const PGresult *res)
{
	const char *state = NULL, *msg = NULL, *detail = NULL, *hint = NULL;

	if (res != NULL) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
		if (msg == NULL && *PQresultErrorMessage(res))
			msg = PQresultErrorMessage(res);
	}
	if (msg == NULL)
		msg = s->conn ? PQerrorMessage(s->conn) : "not connected";
	store_log(what, file, state, msg, detail, hint);
	if (s->conn != NULL && PQstatus(s->conn) != CONNECTION_OK)
		store_disconnect(s);
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when it is not one:
 * overlong forms, surrogates and code points past U+10FFFF are invalid, as PostgreSQL says. */
static size_t store_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Append s as valid UTF-8 of at most max bytes (invalid bytes become U+FFFD; a cut falls
 * between characters). With copy, escape it for COPY's text format, and write NULL (for NULL
 * or "") as \N. A C string cannot carry NUL, the one byte text columns refuse. */
void store_put_text(struct buf *b, const char *s, size_t max, bool copy)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)s;
	size_t left, used = 0;

	if (str_empty(s)) {
		if (copy)
			buf_puts(b, "\\N");
		return;
	}
	left = strlen(s);
	while (left > 0) {
		/* a run of ASCII that needs no escape, at once: most of what is written */
		size_t run = 0;
		while (run < left && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '\\' &&
		       used + run < max)
			run++;
		if (run > 0) {
			buf_append(b, p, run);
			used += run;
			p += run;
			left -= run;
			continue;
		}
		size_t n = store_utf8_len(p, left);
		size_t out = n ? n : sizeof(replacement) - 1;

		if (used + out > max)
			break;
		used += out;
		if (n == 0) {
			buf_append(b, replacement, sizeof(replacement) - 1);
			n = 1;
		} else if (copy && (*p == '\\' || *p == '\t' || *p == '\n' || *p == '\r')) {
			buf_putc(b, '\\');
			buf_putc(b, *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : 'r');
		} else {
			buf_append(b, p, n);
		}
		p += n;
		left -= n;
	}
}

/* A parameter made safe to send: valid UTF-8, bounded; NULL stays NULL. Caller frees. */
char *store_clean(const char *s, size_t max)
{
	struct buf b = BUF_INIT;

	if (s == NULL)
		return NULL;
	buf_reserve(&b, 1);
	store_put_text(&b, s, max, false);
	return buf_steal(&b);
}

static void store_notice_ignore(void *arg, const char *message)
{
	/* NOTICEs ("relation already exists, skipping") are chatter, not errors. */
	(void)arg;
	(void)message;
}

struct store *store_new(const char *conninfo, const char *application_name)
{
	struct store *s = xcalloc(1, sizeof(*s));

	s->conninfo = xstrdup(conninfo ? conninfo : "");
	s->application_name = xstrdup(application_name ? application_name : "jobwatchd");
	return s;
}

void store_free(struct store *s)
{
	if (s == NULL)
		return;
	if (s->job)
		store_job_pump(s, true);
	while (s->done_head) {
		struct store_done *d = s->done_head;
		s->done_head = d->next;
		events_clear(&d->ev);
		free(d);
	}
	store_disconnect(s);
	buf_free(&s->copy);
	free(s->conninfo);
	free(s->application_name);
	free(s->owner);
	free(s);
}

char *store_psql_command(const struct store *s)
{
	struct buf b = BUF_INIT;

	if (!store_connected(s))
		return NULL;
	/* what the session reached, never a password */
	buf_printf(&b, "psql -h %s -p %s -U %s %s", PQhost(s->conn), PQport(s->conn),
		   PQuser(s->conn), PQdb(s->conn));
	return buf_steal(&b);
}

bool store_connected(const struct store *s)
{
	return s->conn != NULL && PQstatus(s->conn) == CONNECTION_OK;
}

/* Run one fixed statement with no parameters, expecting want. 0 or -1 (reported). */
int store_simple(struct store *s, const char *sql, ExecStatusType want, const char *what)
{
	PGresult *res = PQexec(s->conn, sql);
	int rc = 0;

	if (PQresultStatus(res) != want) {
		store_report(s, what, res);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

enum store_rc store_connect(struct store *s)
{
	/* conninfo may be a "key=value" string or a URI; ours come after it and win. */
	const char *const keys[] = {"dbname", "application_name", "client_encoding", NULL};
	const char *const vals[] = {s->conninfo, s->application_name, "UTF8", NULL};

	if (store_connected(s))
		return 0;
	store_disconnect(s);
	s->conn = PQconnectdbParams(keys, vals, 1);
	if (s->conn == NULL)
		fatal("store: out of memory connecting");
	if (PQstatus(s->conn) != CONNECTION_OK) {
		store_report(s, "connect", NULL);
		store_disconnect(s);
		return -1;
	}
	PQsetNoticeProcessor(s->conn, store_notice_ignore, NULL);
	if (store_simple(s, STORE_SQL_SESSION, PGRES_COMMAND_OK, "session set-up") < 0) {
		store_disconnect(s);
		return -1;
	}
	return 0;
}

/* The connection is up; statements are prepared by store_run on their first use. */
int store_prepare(struct store *s)
{
	if (s->job) /* the connection is ours again once its pipeline is read */
		store_job_pump(s, true);
	if (!store_connected(s)) {
		store_report(s, "use of the database", NULL);
		return -1;
	}
	return 0;
}

/* Run prepared statement st with text parameters (NULL is SQL NULL), expecting want; NULL
 * after reporting. */
int store_ensure_prepared(struct store *s, enum store_stmt st)
{
	PGresult *res;

	if (s->prepared[st])
		return 0;
	res = PQprepare(s->conn, store_stmts[st].name, store_stmts[st].sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		char what[80];
		snprintf(what, sizeof(what), "prepare %s", store_stmts[st].name);
		store_report(s, what, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	s->prepared[st] = true;
	return 0;
}

PGresult *store_run(struct store *s, enum store_stmt st, int n, const char *const *vals,
		    ExecStatusType want)
{
	PGresult *res;

	if (store_ensure_prepared(s, st) < 0)
		return NULL;
	res = PQexecPrepared(s->conn, store_stmts[st].name, n, vals, NULL, NULL, 0);

	if (PQresultStatus(res) != want) {
		store_report(s, store_stmts[st].name, res);
		PQclear(res);
		return NULL;
	}
	return res;
}

/* Undo a failed transaction; a dead connection is marked down instead. */
void store_rollback(struct store *s)
{
	if (s->conn == NULL)
		return;
	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE && store_connected(s))
		PQclear(PQexec(s->conn, STORE_SQL_ROLLBACK));
	s->stage_stats = 0; /* an ANALYZE in the transaction went with it */
	if (PQstatus(s->conn) != CONNECTION_OK)
		store_disconnect(s);
}

/* A copy of a value of res, NULL for SQL NULL: results die with PQclear. */
char *store_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}
