/* store_int.h - what the store's files share and nothing else sees: the connection's state,
 * the prepared statements (each defined beside the code that reads its rows), the bounds on
 * what a page may put in a row, and the helpers every part uses. Only src/store*.c include it. */
#ifndef JOBWATCH_STORE_INT_H
#define JOBWATCH_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "buf.h"
#include "store.h"

/* Bounds on what one posting may put in the database: a hostile or broken page must not be
 * able to make rows of megabytes. Counted in bytes of valid UTF-8, cut on a character. */
#define STORE_MAX_TEXT	   4096 /* title, department, location */
#define STORE_MAX_URL	   2048 /* url, external_id */
#define STORE_MAX_PAY_TEXT 1024
#define STORE_MAX_SHORT	   256 /* digest, pay_source, validators, stop */
#define STORE_MAX_ERROR	   2048
#define STORE_MAX_RANGES   64
#define STORE_MAX_PARAMS   16 /* of the statements store_values fills */

#define STORE_SQL_BEGIN	     "BEGIN"
#define STORE_SQL_COMMIT     "COMMIT"
#define STORE_SQL_ROLLBACK   "ROLLBACK"
#define STORE_SQL_DEALLOCATE "DEALLOCATE ALL"

/* A due time in wall-clock milliseconds as timestamptz; 0 means none (NULL). */
#define STORE_DUE(n) "to_timestamp(nullif($" #n "::bigint, 0) / 1000.0)"

/* A poll's wall-clock milliseconds as timestamptz; 0 means "now". */
#define STORE_TS(n) "coalesce(to_timestamp(nullif($" #n "::bigint, 0) / 1000.0), now())"

/* A timestamptz as the alert lines write it: ISO 8601 in UTC. */
#define STORE_ISO(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The columns of new pay_ranges rows, in one order for every statement that writes them, and
 * the values that follow the posting's id, read from a stage row r. */
#define STORE_RANGES_INSERT                                                                        \
	" INSERT INTO pay_ranges (posting_id, ord, label, pay_min, pay_max, pay_currency,"         \
	"  pay_period, pay_period_inferred, pay_source, pay_min_yearly, pay_max_yearly)"
#define STORE_RANGES_OF_R                                                                          \
	" r.ord, r.label, r.pay_min, r.pay_max, r.pay_currency, r.pay_period,"                    \
	"  r.pay_period_inferred, r.pay_source, pay_yearly(r.pay_min, r.pay_period),"             \
	"  pay_yearly(r.pay_max, r.pay_period)"

/* The columns of a new posting_versions row, in one order for every statement that writes
 * one: the posting, when, the poll, then the posting's fields as postings names them. */
#define STORE_VERSION_INSERT                                                                       \
	" INSERT INTO posting_versions (posting_id, valid_from, poll_id, title, department,"      \
	"  location, url, pay_min, pay_max, pay_currency, pay_period, pay_text, pay_ranges_text," \
	"  digest)"

enum store_stmt {
	STORE_STMT_SYNC_SOURCE,
	STORE_STMT_SYNC_READ,
	STORE_STMT_MARK_REMOVED,
	STORE_STMT_RECORD_FAILURE,
	STORE_STMT_RECORD_DETECTION,
	STORE_STMT_LOCK_SOURCE,
	STORE_STMT_INSERT_POLL,
	STORE_STMT_FINGERPRINTS,
	STORE_STMT_KEEP_DETAIL,
	STORE_STMT_KEEP_DETAIL_MANY,
	STORE_STMT_UPDATE_PRESENT,
	STORE_STMT_UPDATE_PRESENT_MANY,
	STORE_STMT_INSERT_NEW,
	STORE_STMT_INSERT_NEW_MANY,
	STORE_STMT_GENERIC,
	STORE_STMT_NESTLOOP,
	STORE_STMT_INSERT_FIRST,
	STORE_STMT_MISS_COMPLETE,
	STORE_STMT_MISS_COMPLETE_MANY,
	STORE_STMT_MISS_UNCHANGED,
	STORE_STMT_POLL_EVENTS,
	STORE_STMT_POLL_EVENTS_MANY,
	STORE_STMT_FINISH_POLL,
	STORE_STMT_CLAIM,
	STORE_STMT_RENEW,
	STORE_STMT_HEARTBEAT,
	STORE_STMT_RELEASE,
	STORE_STMT_SOURCE_STALE,
	STORE_STMT_RECOVER,
	STORE_STMT_PRUNE_POLLS,
	STORE_STMT_UNCHANGED_BATCH,
	STORE_STMT_STAGE_CLEAR,
	STORE_STMT_DETAIL_PICK,
	STORE_STMT_DETAIL_APPLY,
	STORE_STMT_DETAIL_FAIL,
	STORE_STMT_ALERTS_DUE,
	STORE_STMT_COUNT,
};

struct store_job;

/* An apply that has ended, waiting for store_apply_next_done. */
struct store_done {
	struct store_done *next;
	void *ud;
	int rc;
	struct events ev;
};

struct store {
	char *conninfo;
	char *application_name;
	PGconn *conn;
	/* Each statement is prepared on its first use after a connect or a migration: a fresh
	 * database has no tables to prepare them against until store_migrate has run, and a run
	 * that only sees unchanged boards never needs the diff's statements. */
	bool prepared[STORE_STMT_COUNT];
	struct buf copy;       /* the COPY text of a snapshot, kept between polls */
	bool stage_made;       /* this session has the stage (STORE_SQL_STAGE) */
	bool first_made;       /* and the first polls' (STORE_SQL_STAGE_FIRST) */
	size_t since_first;    /* transactions on the stage since the last first polls' */
	size_t stage_dead;     /* snapshot rows deleted or rolled back since the stage's VACUUM */
	size_t stage_stats;    /* rows of the snapshot the stage's statistics come from; 0: none */
	struct store_job *job; /* the apply whose pipeline is in flight, or NULL */
	struct store_done *done_head, *done_tail; /* applies over, for store_apply_next_done */
	char *owner; /* this daemon's instance id when it takes leases, or NULL */
	int lease_ms;
	int live_ms; /* a heartbeat keeps this daemon alive (a peer) this long */
};

/* A prepared statement: its name and SQL. */
struct store_stmt_def {
	const char *name;
	const char *sql;
};
/* Every statement, by enum store_stmt (store.c); each SQL text lives in the file that reads its
 * rows. */
extern const struct store_stmt_def store_stmts[STORE_STMT_COUNT];
extern const char STORE_SQL_ALERTS_DUE[];
extern const char STORE_SQL_CLAIM[];
extern const char STORE_SQL_DETAIL_APPLY[];
extern const char STORE_SQL_DETAIL_FAIL[];
extern const char STORE_SQL_DETAIL_PICK[];
extern const char STORE_SQL_FINGERPRINTS[];
extern const char STORE_SQL_FINISH_POLL[];
extern const char STORE_SQL_GENERIC[];
extern const char STORE_SQL_NESTLOOP[];
extern const char STORE_SQL_HEARTBEAT[];
extern const char STORE_SQL_INSERT_FIRST[];
extern const char STORE_SQL_INSERT_NEW[];
extern const char STORE_SQL_INSERT_NEW_MANY[];
extern const char STORE_SQL_INSERT_POLL[];
extern const char STORE_SQL_KEEP_DETAIL[];
extern const char STORE_SQL_KEEP_DETAIL_MANY[];
extern const char STORE_SQL_LOCK_SOURCE[];
extern const char STORE_SQL_MARK_REMOVED[];
extern const char STORE_SQL_MISS_COMPLETE[];
extern const char STORE_SQL_MISS_COMPLETE_MANY[];
extern const char STORE_SQL_MISS_UNCHANGED[];
extern const char STORE_SQL_POLL_EVENTS[];
extern const char STORE_SQL_POLL_EVENTS_MANY[];
extern const char STORE_SQL_PRUNE_POLLS[];
extern const char STORE_SQL_RECORD_DETECTION[];
extern const char STORE_SQL_RECORD_FAILURE[];
extern const char STORE_SQL_RECOVER[];
extern const char STORE_SQL_RELEASE[];
extern const char STORE_SQL_RENEW[];
extern const char STORE_SQL_SOURCE_STALE[];
extern const char STORE_SQL_STAGE_CLEAR[];
extern const char STORE_SQL_SYNC_READ[];
extern const char STORE_SQL_SYNC_SOURCE[];
extern const char STORE_SQL_UNCHANGED_BATCH[];
extern const char STORE_SQL_UPDATE_PRESENT[];
extern const char STORE_SQL_UPDATE_PRESENT_MANY[];

/* store.c: drop the connection (and an apply in flight); store_connect makes a new one. */
void store_disconnect(struct store *s);
void store_log(const char *what, const char *file, const char *state, const char *msg,
	       const char *detail, const char *hint);
/* Report a failure once: SQLSTATE, message, detail, hint; a lost connection is marked down. */
void store_report(struct store *s, const char *what, const PGresult *res);
void store_report_file(struct store *s, const char *what, const char *file, const PGresult *res);
/* s as valid UTF-8 of at most max bytes (COPY-escaped with copy); NULL or "" as \N in COPY. */
void store_put_text(struct buf *b, const char *s, size_t max, bool copy);
/* A parameter made safe to send (store_put_text); NULL stays NULL. Caller frees. */
char *store_clean(const char *s, size_t max);
/* One fixed statement without parameters, expecting want: 0 or -1 (reported). */
int store_simple(struct store *s, const char *sql, ExecStatusType want, const char *what);
/* The connection is up and no apply is in flight: 0 or -1. */
int store_prepare(struct store *s);
int store_ensure_prepared(struct store *s, enum store_stmt st);
/* Prepared statement st (prepared on first use) with text parameters; NULL after reporting. */
PGresult *store_run(struct store *s, enum store_stmt st, int n, const char *const *vals,
		    ExecStatusType want);
void store_rollback(struct store *s);
/* A copy of a field, NULL for SQL NULL. */
char *store_value(const PGresult *res, int row, int col);
/* store_sources.c: one element of an array literal: NULL or a quoted string. */
void store_put_array_text(struct buf *b, const char *v);
/* store_snapshot.c: read the answers of the apply in flight (block: all of them). */
void store_job_pump(struct store *s, bool block);
void store_job_end(struct store *s, int rc);
/* An open posting of the source, by its external_id as COPY text, with its row fingerprint
 * (postings.row_fingerprint) and its list item's (input_fingerprint); a set of them sorted by
 * id, and by the items' fingerprints in by_ifp (those that are trusted and have one). */
struct store_known {
	char *id;
	int64_t fp;
	int64_t posting; /* postings.id */
	int64_t ifp;
	bool has_ifp;
	/* shown by every complete poll since it was written, with a row fingerprint: a row or
	 * an item with its fingerprints is the one it was written from */
	bool trusted;
	bool seen;   /* the snapshot shows it (store_copy, store_settle_keep) */
	bool listed; /* a posting of the list has its id (store_copy) */
	bool kept;   /* an item of the list was its own, left unparsed (store_settle_keep) */
	size_t kept_item; /* the first such item's place */
};
struct store_known_set {
	struct store_known *v;
	size_t n;
	struct store_known **by_ifp;
	size_t nifp;
};
/* COPY postings (and their ranges) into the stage, but not those known holds unchanged, each
 * known one the snapshot shows marked seen (known may be NULL); how many postings the
 * snapshot has in *sent, how many went into the stage in *staged. */
int store_copy(struct store *s, const struct posting_list *postings, struct store_known_set *known,
	       size_t *sent, size_t *staged);
/* The session has the stage, vacuumed when enough dead rows call for it; and the first
 * polls' stage when first, kept a while after (STORE_SQL_STAGE_FIRST). */
int store_stage_ready(struct store *s, bool first);
/* One row of the event columns (kind, values, the posting as it is now) into e. */
void store_event_read(struct event *e, const PGresult *res, int row);

#endif
