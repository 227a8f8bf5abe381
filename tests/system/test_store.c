/* test_store.c - the store against a real PostgreSQL: migrations, the diff rules of DESIGN.md
 * ("What counts as a change"), suspect drops, unchanged polls, failures, hostile text through
 * COPY, a big board and a lost connection. Checks read the tables and views as a psql user
 * would. Starts a throwaway cluster (tests/lib/pgcluster.sh) unless JOBWATCH_TEST_PGHOST names
 * one; each test gets a fresh public schema. Run from the top of the tree. */
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "harness.h"

#include "log.h"
#include "source.h"
#include "store.h"
#include "store_batch.h"
#include "util.h"

#define TEST_APP "jobwatch-test-store"

static PGconn *db; /* the test's own connection, as a psql user */
static int log_errors;

/* The store reports failures through log_err; the lead's src/log.c is not linked by this test, so
 * the test provides it and counts the reports (an error must be reported once). */
void log_err(const char *fmt, ...)
{
	va_list ap;

	log_errors++;
	printf("# log_err: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* And through log_warn, of a database migrated past this build's files: counted, the last
 * kept. */
static int log_warnings;
static char last_warning[1024];

void log_warn(const char *fmt, ...)
{
	va_list ap;

	log_warnings++;
	va_start(ap, fmt);
	vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	va_end(ap);
	printf("# log_warn: %s\n", last_warning);
}

/* The first column of the first row of sql, as text ("" for NULL; "ERROR" on error). */
static const char *q(const char *fmt, ...)
{
	static char out[8192];
	char sql[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	PGresult *res = PQexec(db, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		printf("# query failed: %s: %s", sql, PQerrorMessage(db));
		snprintf(out, sizeof(out), "ERROR");
	} else if (PQntuples(res) == 0) {
		snprintf(out, sizeof(out), "(no rows)");
	} else {
		snprintf(out, sizeof(out), "%s", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return out;
}

static long long qn(const char *sql)
{
	return atoll(q("%s", sql));
}

static void exec_ok(const char *sql)
{
	PGresult *res = PQexec(db, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		printf("# exec failed: %s: %s", sql, PQerrorMessage(db));
		exit(1);
	}
	PQclear(res);
}

/* Drop and make the schema again once the sessions of the stores before have ended. A store's
 * temp table (jobwatch_first) takes its ids from postings_id_seq, so dropping the sequence
 * reaches into every session that still has one: a session still ending after PQfinish,
 * dropping its temp tables, deadlocked with the drop (40P01) in one CI run. */
static void reset_schema(void)
{
	for (int i = 0; i < 100 && qn("SELECT count(*) FROM pg_stat_activity WHERE datname ="
				      " current_database() AND pid <> pg_backend_pid()"
				      " AND backend_type = 'client backend'") > 0;
	     i++)
		usleep(50 * 1000);
	for (int attempt = 0;; attempt++) {
		PGresult *res = PQexec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		bool deadlock = state && strcmp(state, "40P01") == 0;
		PQclear(res);
		if (ok)
			return;
		if (!deadlock || attempt == 3) {
			printf("# schema reset failed: %s", PQerrorMessage(db));
			exit(1);
		}
		usleep(100 * 1000);
	}
}

/* A fresh schema and a migrated, connected store. */
static struct store *fresh_store(void)
{
	reset_schema();
	struct store *s = store_new("", TEST_APP);
	if (store_connect(s) < 0 || store_migrate(s, "sql") < 0) {
		printf("# store set-up failed\n");
		exit(1);
	}
	return s;
}

static int64_t source(struct store *s, const char *name)
{
	struct store_source_state st;
	CHECK(store_sync_source(s, name, "greenhouse", "https://example.com/jobs", &st) == 0);
	int64_t id = st.id;
	store_source_state_clear(&st);
	return id;
}

static struct posting *add(struct posting_list *l, const char *id, const char *title,
			   const char *location)
{
	struct posting *p = posting_list_add(l);
	p->external_id = strdup(id);
	p->title = strdup(title);
	p->location = location ? strdup(location) : NULL;
	p->department = strdup("Engineering");
	p->url = strdup("https://example.com/jobs/1");
	return p;
}

static void set_pay(struct posting *p, double min, double max, const char *cur, enum pay_period per)
{
	p->pay.min = min;
	p->pay.max = max;
	snprintf(p->pay.currency, sizeof(p->pay.currency), "%s", cur);
	p->pay.period = per;
	snprintf(p->pay.source, sizeof(p->pay.source), "test");
}

static struct posting_list board3(void)
{
	struct posting_list l = {0};
	add(&l, "a", "Engineer", "Berlin");
	set_pay(add(&l, "b", "Designer", "Paris"), 100000, 120000, "USD", PAY_PERIOD_YEAR);
	add(&l, "c", "Writer", NULL);
	return l;
}

static int apply(struct store *s, int64_t src, enum store_outcome outcome, struct posting_list *l,
		 int close_after, struct events *ev)
{
	struct store_poll poll = {.source_id = src,
				  .outcome = outcome,
				  .stop = "complete",
				  .http_status = outcome == STORE_OUTCOME_UNCHANGED ? 304 : 200,
				  .pages = 1,
				  .etag = "\"v1\"",
				  .body_sha256 = "abc"};
	struct store_opts opts = {.close_after = close_after, .max_drop = 0.5};
	return store_apply_snapshot(s, &poll, l, &opts, ev);
}

static const struct event *find_event(const struct events *ev, enum event_kind k, const char *id)
{
	for (size_t i = 0; i < ev->len; i++)
		if (ev->items[i].kind == k && strcmp(ev->items[i].external_id, id) == 0)
			return &ev->items[i];
	return NULL;
}

/* What migrating may change: every column of every relation (tables, views, indexes, sequences)
 * with its type, the functions, triggers and comments, and schema_migrations with the times. */
static char *schema_fingerprint(void)
{
	return strdup(q(
	    "SELECT md5(concat_ws('|',"
	    " (SELECT string_agg(format('%%s.%%s %%s %%s', c.relname, a.attname,"
	    "   format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum)), ','"
	    "   ORDER BY c.relname, a.attnum) FROM pg_class c JOIN pg_attribute a ON a.attrelid = "
	    "c.oid"
	    "  WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0),"
	    " (SELECT string_agg(pg_get_functiondef(oid), ',' ORDER BY proname) FROM pg_proc"
	    "  WHERE pronamespace = 'public'::regnamespace),"
	    " (SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE NOT "
	    "tgisinternal),"
	    " (SELECT string_agg(description, ',' ORDER BY objoid, objsubid) FROM pg_description),"
	    " (SELECT string_agg(version || ' ' || applied_at, ',' ORDER BY version)"
	    "  FROM schema_migrations)))"));
}

/* The versions of the migration files in sql/ ("20 21"), in order: what a database migrated
 * from it records. */
static char *sql_versions(size_t *n)
{
	struct dirent **names;
	int nn = scandir("sql", &names, NULL, alphasort);
	char *out = xstrdup("");

	*n = 0;
	for (int i = 0; i < nn; i++) {
		const char *f = names[i]->d_name;
		size_t len = strlen(f);
		if (len > 4 && strcmp(f + len - 4, ".sql") == 0 && f[0] >= '0' && f[0] <= '9') {
			char *next = xasprintf("%s%s%ld", out, *n ? " " : "", strtol(f, NULL, 10));
			free(out);
			out = next;
			(*n)++;
		}
		free(names[i]);
	}
	if (nn >= 0)
		free(names);
	return out;
}

/* An empty database gets the whole schema from sql/020_schema.sql, recorded as version 20,
 * and every migration after it; migrating again, or from a second daemon, changes nothing. */
static void test_migrate_idempotent(void)
{
	struct store *s = fresh_store();
	char *before = schema_fingerprint(), *after;
	size_t nfiles;
	char *files = sql_versions(&nfiles);

	CHECK(strncmp(files, "20", 2) == 0 && nfiles >= 1);
	CHECK_STR(
	    q("SELECT string_agg(version::text, ' ' ORDER BY version) FROM schema_migrations"),
	    files);
	free(files);
	CHECK_STR(
	    q("SELECT string_agg(viewname, ' ' ORDER BY viewname) FROM pg_views"
	      " WHERE schemaname = 'public' AND obj_description(('public.' || viewname)::regclass)"
	      " IS NOT NULL"),
	    "instance_status new_postings open_pay_ranges open_postings open_roles_by_source"
	    " pay_changes pay_history posting_details reopened_postings source_health"
	    " source_leases time_to_close");
	CHECK_STR(q("SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class"
		    " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"),
		  "events instances pay_ranges polls posting_versions postings schema_migrations"
		  " sources");
	CHECK_STR(q("SELECT pay_yearly(50, 'hour')::int::text"), "104000");
	CHECK_STR(q("SELECT pay_yearly(5000, 'month')::int::text"), "60000");
	CHECK(store_migrate(s, "sql") == 0);
	after = schema_fingerprint();
	CHECK_STR(after, before);
	free(after);
	/* a second daemon migrating the same database finds nothing to do */
	struct store *s2 = store_new("", TEST_APP);
	CHECK(store_connect(s2) == 0 && store_migrate(s2, "sql") == 0);
	store_free(s2);
	after = schema_fingerprint();
	CHECK_STR(after, before);
	free(after);
	CHECK(store_migrate(s, "no-such-dir") == -1);
	free(before);
	store_free(s);
}

/* A directory with the schema and a later change, 900_later.sql, which needs the schema (a
 * number no real migration will reach soon). */
static char *later_sql_dir(void)
{
	char *dir = strdup("/tmp/jobwatch-test-migrate-XXXXXX");
	char path[PATH_MAX], schema[PATH_MAX];
	FILE *f;

	CHECK(mkdtemp(dir) != NULL && realpath("sql/020_schema.sql", schema) != NULL);
	snprintf(path, sizeof(path), "%s/020_schema.sql", dir);
	CHECK(symlink(schema, path) == 0);
	snprintf(path, sizeof(path), "%s/900_later.sql", dir);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f) {
		fputs("ALTER TABLE sources ADD COLUMN later int;\n", f);
		fclose(f);
	}
	return dir;
}

static void later_sql_dir_free(char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/020_schema.sql", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/900_later.sql", dir);
	unlink(path);
	rmdir(dir);
	free(dir);
}

/* The migrations after the schema are numbered from 021 and applied after it, once, in
 * order, whatever else the database recorded: on an empty database, on one migrated from
 * sql/ (the schema and the migrations after it), and on one the folded files 001 to 020 built
 * (its schema_migrations says 1 to 20). */
static void test_migrate_later_file(void)
{
	char *dir = later_sql_dir();
	const char *col = "SELECT count(*) FROM information_schema.columns"
			  " WHERE table_name = 'sources' AND column_name = 'later'";
	const char *versions =
	    "SELECT string_agg(version::text, ' ' ORDER BY version) FROM schema_migrations";
	size_t nfiles;
	char *files = sql_versions(&nfiles);
	char *want = xasprintf("%s 900", files);

	struct store *s = fresh_store(); /* from sql/ */
	CHECK(store_migrate(s, dir) == 0);
	CHECK_STR(q("%s", versions), want);
	CHECK_NUM(qn(col), 1);
	CHECK(store_migrate(s, dir) == 0);
	CHECK_STR(q("%s", versions), want);
	store_free(s);

	reset_schema();
	s = store_new("", TEST_APP);
	CHECK(store_connect(s) == 0 && store_migrate(s, dir) == 0);
	CHECK_STR(q("%s", versions), "20 900");
	CHECK_NUM(qn(col), 1);
	store_free(s);

	s = fresh_store();
	exec_ok("INSERT INTO schema_migrations (version) SELECT generate_series(1, 19)");
	CHECK(store_migrate(s, dir) == 0);
	CHECK_NUM(qn("SELECT count(*) FROM schema_migrations"), (long long)(19 + nfiles + 1));
	CHECK_NUM(qn(col), 1);
	store_free(s);
	free(want);
	free(files);
	later_sql_dir_free(dir);
}

/* A database a newer jobwatchd migrated (a version above every file of sql/) is used as it is,
 * with one warning a connection that names both versions; versions below the files (the folded
 * 1 to 19) are no reason for one. */
static void test_migrate_newer(void)
{
	struct store *s = fresh_store();
	int before = log_warnings;

	exec_ok("INSERT INTO schema_migrations (version) SELECT generate_series(1, 19)");
	CHECK(store_migrate(s, "sql") == 0);
	CHECK_NUM(log_warnings - before, 0);
	exec_ok("INSERT INTO schema_migrations (version) VALUES (998), (999)");
	CHECK(store_migrate(s, "sql") == 0);
	CHECK_NUM(log_warnings - before, 1);
	CHECK(strstr(last_warning, "2 migrations newer than this jobwatchd's: newest=999 ours=") !=
	      NULL);
	CHECK(strstr(last_warning, "sql_dir=sql ") != NULL);
	/* and it goes on: a poll is applied */
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.postings, 3);
	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* Events written by SQL and alert lines written by C must show a range the same way. */
static void test_pay_format_parity(void)
{
	static const struct {
		double min, max;
		const char *cur;
		enum pay_period per;
	} cases[] = {
	    {100000, 120000, "USD", PAY_PERIOD_YEAR}, {NAN, 60000, "EUR", PAY_PERIOD_YEAR},
	    {40000, NAN, "GBP", PAY_PERIOD_YEAR},     {25.5, 30, "", PAY_PERIOD_HOUR},
	    {5000, 5000, "CHF", PAY_PERIOD_MONTH},    {12.345, 20, "USD", PAY_PERIOD_NONE},
	    {NAN, NAN, "", PAY_PERIOD_NONE},
	};
	struct store *s = fresh_store();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pay p;
		char c[128], lo[32], hi[32];
		const char *per = pay_period_name(cases[i].per);

		pay_clear(&p);
		p.min = cases[i].min;
		p.max = cases[i].max;
		snprintf(p.currency, sizeof(p.currency), "%s", cases[i].cur);
		p.period = cases[i].per;
		pay_format(&p, c, sizeof(c));
		snprintf(lo, sizeof(lo), isnan(p.min) ? "NULL" : "%.15g", p.min);
		snprintf(hi, sizeof(hi), isnan(p.max) ? "NULL" : "%.15g", p.max);
		CHECK_STR(q("SELECT pay_format(%s, %s, nullif('%s', ''), %s%s%s)", lo, hi,
			    p.currency, per ? "'" : "", per ? per : "NULL", per ? "'" : ""),
			  c);
	}
	store_free(s);
}

/* Two daemons starting at once on an empty database: one migrates, the other waits for the
 * advisory lock and finds nothing to do. The test holds the lock until both are waiting. */
static void test_migrate_concurrent(void)
{
	pid_t pids[2];

	reset_schema();
	exec_ok("SELECT pg_advisory_lock(7651255011474449256)");
	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct store *c = store_new("", TEST_APP "-child");
			int rc = store_connect(c) == 0 && store_migrate(c, "sql") == 0 ? 0 : 1;
			store_free(c);
			_exit(rc);
		}
	}
	for (int i = 0; i < 500 && qn("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
				      " AND NOT granted") < 2;
	     i++)
		usleep(10000);
	CHECK_STR(q("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"),
		  "2");
	exec_ok("SELECT pg_advisory_unlock(7651255011474449256)");
	for (int i = 0; i < 2; i++) {
		int status = -1;
		CHECK(pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	/* each file once: applied by one daemon, skipped by the other */
	glob_t g;
	CHECK(glob("sql/[0-9]*_*.sql", 0, NULL, &g) == 0);
	CHECK_NUM(qn("SELECT count(*) FROM schema_migrations"), (long long)g.gl_pathc);
	globfree(&g);
	struct store *s = store_new("", TEST_APP);
	CHECK(store_connect(s) == 0 && store_migrate(s, "sql") == 0);
	CHECK(source(s, "acme") > 0);
	store_free(s);
}

static void test_baseline_and_changes(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(ev.baseline);
	CHECK(!ev.suspect);
	CHECK_NUM(ev.postings, 3);
	/* stored and counted, not read back: nothing alerts on a baseline */
	CHECK_NUM(ev.len, 0);
	CHECK_NUM(ev.new_postings, 3);
	CHECK_NUM(ev.closed + ev.reopened + ev.changed, 0);
	CHECK_STR(q("SELECT string_agg(kind || ':' || baseline, ',' ORDER BY id) FROM events"),
		  "new:true,new:true,new:true");
	CHECK_STR(q("SELECT count(*) FROM posting_versions"), "3");
	CHECK_STR(q("SELECT outcome || ' ' || postings || ' ' || new FROM polls"), "complete 3 3");
	CHECK_STR(q("SELECT pay || ' ' || pay_min_yearly::int FROM open_postings"
		    " WHERE external_id = 'b'"),
		  "USD 100000-120000/year 100000");
	CHECK_STR(q("SELECT source FROM open_postings LIMIT 1"), "acme");

	/* After a baseline (here an empty board), new postings are read back with what the
	 * alert rules and lines need. */
	int64_t other = source(s, "other");
	struct posting_list none = {0};
	CHECK(apply(s, other, STORE_OUTCOME_COMPLETE, &none, 2, &ev) == 0);
	CHECK(ev.baseline && ev.len == 0 && ev.new_postings == 0);
	CHECK(apply(s, other, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(!ev.baseline);
	CHECK_NUM(ev.new_postings, 3);
	CHECK(ev.len == 3 && ev.items[0].kind == EVENT_NEW);
	const struct event *e = find_event(&ev, EVENT_NEW, "b");
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->title, "Designer");
		CHECK_NUM(e->pay.min, 100000);
		CHECK_NUM(e->pay.max, 120000);
		CHECK_STR(e->pay.currency, "USD");
		CHECK(e->pay.period == PAY_PERIOD_YEAR);
	}
	e = find_event(&ev, EVENT_NEW, "a");
	CHECK(e != NULL && isnan(e->pay.min) && e->pay.period == PAY_PERIOD_NONE);
	exec_ok("DELETE FROM sources WHERE name = 'other'");

	struct store_source_state st;
	CHECK(store_sync_source(s, "acme", "greenhouse", "https://example.com/jobs", &st) == 0);
	CHECK(st.has_baseline);
	CHECK_STR(st.etag, "\"v1\"");
	CHECK_STR(st.body_sha256, "abc");
	store_source_state_clear(&st);

	/* a title change */
	free(l.items[0].title);
	l.items[0].title = strdup("Senior Engineer");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(!ev.baseline);
	CHECK_NUM(ev.len, 1);
	e = find_event(&ev, EVENT_TITLE_CHANGED, "a");
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->old_value, "Engineer");
		CHECK_STR(e->new_value, "Senior Engineer");
		CHECK_STR(e->title, "Senior Engineer");
	}
	CHECK_STR(q("SELECT old_value || '>' || new_value || ' ' || baseline FROM events"
		    " WHERE kind = 'title_changed'"),
		  "Engineer>Senior Engineer false");
	CHECK_STR(q("SELECT changed FROM polls ORDER BY id DESC LIMIT 1"), "1");

	/* a pay change, and a location change on the same posting */
	set_pay(&l.items[1], 110000, 130000, "USD", PAY_PERIOD_YEAR);
	free(l.items[1].location);
	l.items[1].location = strdup("Lyon");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 2);
	e = find_event(&ev, EVENT_PAY_CHANGED, "b");
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->old_value, "USD 100000-120000/year");
		CHECK_STR(e->new_value, "USD 110000-130000/year");
		CHECK_NUM(e->pay.min, 110000);
	}
	e = find_event(&ev, EVENT_LOCATION_CHANGED, "b");
	CHECK(e != NULL && strcmp(e->old_value, "Paris") == 0);
	CHECK_STR(q("SELECT changed FROM polls ORDER BY id DESC LIMIT 1"), "1");
	CHECK_STR(q("SELECT string_agg(pay || ' ' || (valid_to IS NULL), ',' ORDER BY valid_from)"
		    " FROM pay_history WHERE external_id = 'b'"),
		  "USD 100000-120000/year false,USD 110000-130000/year true");

	/* pay gone: pay_changed to "", the last range ends */
	set_pay(&l.items[1], NAN, NAN, "", PAY_PERIOD_NONE);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	e = find_event(&ev, EVENT_PAY_CHANGED, "b");
	CHECK(e != NULL && strcmp(e->new_value, "") == 0);
	CHECK_STR(
	    q("SELECT count(*) FROM pay_history WHERE external_id = 'b' AND valid_to IS NULL"),
	    "0");

	/* a description change alone: a new version, no event */
	snprintf(l.items[2].digest, sizeof(l.items[2].digest), "%064d", 7);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT count(*) FROM posting_versions v JOIN postings p ON p.id = v.posting_id"
		    " WHERE p.external_id = 'c'"),
		  "2");
	/* the same board again: nothing at all */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT count(*) FROM posting_versions"), "7");

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* Give p the ranges (label, min, max) in USD a year, replacing any it had. */
static void set_ranges(struct posting *p, size_t n, const char *const *labels, const double *mins,
		       const double *maxs)
{
	for (size_t i = 0; i < p->nranges; i++)
		free(p->ranges[i].label);
	free(p->ranges);
	p->ranges = NULL;
	p->nranges = 0;
	pay_clear(&p->pay);
	for (size_t i = 0; i < n; i++) {
		struct pay pay;
		pay_clear(&pay);
		pay.min = mins[i];
		pay.max = maxs[i];
		snprintf(pay.currency, sizeof(pay.currency), "USD");
		pay.period = PAY_PERIOD_YEAR;
		pay.period_inferred = i == 1;
		snprintf(pay.source, sizeof(pay.source), "greenhouse:pay_input_ranges");
		posting_add_range(p, labels[i], &pay);
	}
}

/* Every stated range is a row of pay_ranges; a change of any of them, the first or not, is
 * one pay_changed event carrying all of them before and after. */
static void test_pay_ranges(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};
	const char *const labels[] = {"San Francisco", "Remote (US)", NULL};
	double mins[] = {180000, 150000, 120000}, maxs[] = {220000, 190000, 160000};

	set_ranges(&l.items[0], 3, labels, mins, maxs);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_STR(q("SELECT string_agg(ord || ' ' || coalesce(label, '-') || ' ' || pay || ' '"
		    " || pay_period_inferred, ',' ORDER BY ord) FROM open_pay_ranges"
		    " WHERE external_id = 'a'"),
		  "1 San Francisco USD 180000-220000/year false,"
		  "2 Remote (US) USD 150000-190000/year true,3 - USD 120000-160000/year false");
	CHECK_STR(q("SELECT pay_min || '-' || pay_max || ' ' || pay_ranges_text FROM postings"
		    " WHERE external_id = 'a'"),
		  "120000-220000 San Francisco: USD 180000-220000/year; Remote (US): USD "
		  "150000-190000/year; USD 120000-160000/year");
	CHECK_STR(q("SELECT pay_max_yearly FROM pay_ranges WHERE ord = 2"), "190000");

	/* the same ranges again: nothing */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);

	/* the second range is raised, the first stays: still a pay change */
	maxs[1] = 200000;
	set_ranges(&l.items[0], 3, labels, mins, maxs);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 1);
	const struct event *e = find_event(&ev, EVENT_PAY_CHANGED, "a");
	CHECK(e != NULL);
	if (e) {
		CHECK(strstr(e->old_value, "Remote (US): USD 150000-190000/year") != NULL);
		CHECK(strstr(e->new_value, "Remote (US): USD 150000-200000/year") != NULL);
	}
	CHECK_STR(
	    q("SELECT count(*) || ' ' || max(r.pay_max) FILTER (WHERE ord = 2) FROM pay_ranges"
	      " r JOIN postings p ON p.id = r.posting_id WHERE p.external_id = 'a'"),
	    "3 200000");
	/* the ranges written again carry their yearly figures (written by the diff, 016) */
	CHECK_STR(
	    q("SELECT string_agg(r.pay_min_yearly || '-' || r.pay_max_yearly, ',' ORDER BY ord)"
	      " FROM pay_ranges r JOIN postings p ON p.id = r.posting_id"
	      " WHERE p.external_id = 'a'"),
	    "180000-220000,150000-200000,120000-160000");

	/* down to one range: the event reads like any single range */
	set_ranges(&l.items[0], 1, labels, mins, maxs);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	e = find_event(&ev, EVENT_PAY_CHANGED, "a");
	CHECK(e != NULL && strcmp(e->new_value, "USD 180000-220000/year") == 0);
	CHECK_STR(q("SELECT count(*) FROM pay_ranges r JOIN postings p ON p.id = r.posting_id"
		    " WHERE p.external_id = 'a'"),
		  "1");

	/* a posting listed twice keeps the ranges of its first copy only */
	struct posting *dup = posting_list_add(&l);
	dup->external_id = strdup("a");
	dup->title = strdup("Engineer");
	set_ranges(dup, 3, labels, mins, maxs);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* A snapshot for a source the database does not have (deleted by hand under a running daemon)
 * is refused whole, and the connection serves the next one. */
static void test_unknown_source(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = {0};
	struct events ev = {0};

	add(&l, "a", "Engineer", NULL);
	CHECK(apply(s, src + 1000, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == -1);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT count(*) FROM polls"), "0");
	/* nor a failed poll of it: polls has no foreign key to refuse one */
	struct store_poll failed = {.source_id = src + 1000, .error = "HTTP 500"};
	int failures = -1;
	CHECK(store_record_failure(s, &failed, 3, &failures, NULL) == 0);
	CHECK_NUM(failures, -1);
	CHECK_STR(q("SELECT count(*) FROM polls"), "0");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.new_postings, 1);
	CHECK_STR(q("SELECT count(*) FROM polls"), "1");
	posting_list_clear(&l);
	events_clear(&ev);
	store_free(s);
}

/* Two daemons: a claims, b cannot while a's lease runs; a then stalls past its lease, b claims
 * and stores, and a's late snapshot is refused whole. */
static void test_leases(void)
{
	struct store *a = fresh_store();
	struct store *b = store_new("", TEST_APP "-b");
	int64_t src = source(a, "acme"), wait = -1;
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(store_connect(b) == 0);
	store_set_owner(a, "host:1:aaaa", 60000, 3000);
	store_set_owner(b, "host:2:bbbb", 60000, 3000);
	CHECK(store_claim(a, src, false, &wait) == 1);
	CHECK(store_claim(b, src, false, &wait) == 0);
	CHECK(wait >= 1000 && wait < 1100);	      /* when a's poll may be over, not its lease */
	CHECK(store_claim(b, src, true, &wait) == 0); /* --once waits for a lease too */
	CHECK_STR(q("SELECT lease_owner FROM sources"), "host:1:aaaa");

	/* a stalls: its lease expires, b takes the source and stores a poll */
	exec_ok("UPDATE sources SET lease_expires = now() - interval '1 second'");
	CHECK(store_claim(b, src, false, &wait) == 1);
	CHECK(apply(b, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.new_postings, 3);
	/* a's snapshot, with a posting b has not seen, is refused: nothing of it is written */
	add(&l, "d", "Late", NULL);
	CHECK(apply(a, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == STORE_LEASE_LOST);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT count(*) FROM postings"), "3");
	CHECK_STR(q("SELECT count(*) FROM polls"), "1");
	/* b's stored poll gave the lease back and set when the source is next due */
	CHECK_STR(q("SELECT lease_owner IS NULL FROM sources"), "t");

	/* next_due in the future: not due for anyone, except --once */
	exec_ok("UPDATE sources SET next_due = now() + interval '1 hour'");
	CHECK(store_claim(a, src, false, &wait) == 0);
	CHECK(wait > 3500000);
	CHECK(store_claim(a, src, true, &wait) == 1);

	/* heartbeat and a clean stop */
	CHECK(store_heartbeat(a, "host", 1, "test", "polling 1/1 sources") == 0);
	CHECK(store_release(a) == 0);
	CHECK_STR(q("SELECT lease_owner IS NULL FROM sources"), "t");
	CHECK_STR(q("SELECT status || ' ' || (stopped_at IS NOT NULL) FROM instances"),
		  "stopped true");

	/* instances rows a week without a heartbeat go, but the pruning daemon's own; a row
	 * another session has locked (a daemon deleting or refreshing it) is skipped at once,
	 * not waited for, and goes at the next prune */
	exec_ok("UPDATE instances SET heartbeat_at = now() - interval '8 days'");
	exec_ok("INSERT INTO instances (id, host, pid, heartbeat_at) VALUES"
		" ('old:1', 'old', 1, now() - interval '8 days'),"
		" ('old:2', 'old', 2, now() - interval '8 days'),"
		" ('old:3', 'old', 3, now() - interval '6 days')");
	exec_ok("BEGIN");
	exec_ok("SELECT 1 FROM instances WHERE id = 'old:2' FOR UPDATE");
	CHECK_NUM(store_prune_instances(a, 7 * 86400, 100), 1);
	exec_ok("COMMIT");
	CHECK_STR(q("SELECT string_agg(id, ' ' ORDER BY id) FROM instances"),
		  "host:1:aaaa old:2 old:3");
	CHECK_NUM(store_prune_instances(a, 7 * 86400, 100), 1);
	CHECK_STR(q("SELECT string_agg(id, ' ' ORDER BY id) FROM instances"), "host:1:aaaa old:3");

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(b);
	store_free(a);
}

/* Daemons that heartbeat share the due sources without racing: each takes those whose turn
 * is its own (id modulo their number), leaves the rest to the others for a moment, then takes
 * what they left; a source a live peer is polling is asked for again when that poll may be
 * over, one whose holder went silent when its lease runs out. */
static void test_lease_shares(void)
{
	struct store *a = fresh_store();
	struct store *b = store_new("", TEST_APP "-b");
	int64_t ids[6], wait[6];
	bool ok[6];
	int na = 0, nb = 0;

	CHECK(store_connect(b) == 0);
	for (int i = 0; i < 6; i++) {
		char name[16];
		snprintf(name, sizeof(name), "s%d", i);
		ids[i] = source(a, name);
	}
	store_set_owner(a, "host:1:aaaa", 60000, 3000);
	store_set_owner(b, "host:2:bbbb", 60000, 3000);
	CHECK(store_heartbeat(a, "host", 1, "test", "") == 0);
	CHECK(store_heartbeat(b, "host", 2, "test", "") == 0);

	/* all six due: a takes its three and leaves b's for the grace */
	CHECK(store_claim_many(a, ids, 6, false, ok, wait) == 0);
	for (int i = 0; i < 6; i++) {
		na += ok[i];
		CHECK(ok[i] == (ids[i] % 2 == 0)); /* a is first of the two by id */
		CHECK(ok[i] || (wait[i] > 0 && wait[i] <= 500));
	}
	CHECK_NUM(na, 3);
	/* b takes its three; a's are its live peer's, tried again in a second, not in 60 */
	CHECK(store_claim_many(b, ids, 6, false, ok, wait) == 0);
	for (int i = 0; i < 6; i++) {
		nb += ok[i];
		CHECK(ok[i] || (wait[i] > 900 && wait[i] <= 1000));
	}
	CHECK_NUM(nb, 3);
	/* a poll that has run 10 s may run 10 s more, but not past its lease (a dead holder's) */
	int k = ids[0] % 2 == 0 ? 0 : 1; /* one of a's */
	exec_ok("UPDATE sources SET lease_at = now() - interval '10 seconds'");
	CHECK(store_claim(b, ids[k], false, &wait[k]) == 0);
	CHECK(wait[k] >= 10000 && wait[k] < 11000);
	exec_ok("UPDATE sources SET lease_at = now() - interval '1 minute',"
		" lease_expires = now() + interval '5 seconds'");
	CHECK(store_claim(b, ids[k], false, &wait[k]) == 0);
	CHECK(wait[k] > 4900 && wait[k] <= 5000);

	/* polls over, due again: what a left for longer than the grace is anyone's */
	exec_ok("UPDATE sources SET lease_owner = NULL, lease_expires = NULL,"
		" next_due = now() - interval '1 second'");
	CHECK(store_claim_many(a, ids, 6, false, ok, wait) == 0);
	na = 0;
	for (int i = 0; i < 6; i++)
		na += ok[i];
	CHECK_NUM(na, 6);
	/* not due: the wait is until it is */
	exec_ok("UPDATE sources SET lease_owner = NULL, lease_expires = NULL,"
		" next_due = now() + interval '2 seconds'");
	CHECK(store_claim(b, ids[1], false, &wait[1]) == 0);
	CHECK(wait[1] > 1900 && wait[1] <= 2000);

	/* a third daemon: a holding all six in flight takes none of its own turn (twice its
	 * share of nine is six) but does take what the others left over */
	exec_ok("INSERT INTO instances (id, host, pid, alive_until)"
		" VALUES ('host:3:cccc', 'host', 3, now() + interval '1 minute')");
	exec_ok("UPDATE sources SET lease_owner = 'host:1:aaaa', lease_expires = now() +"
		" interval '1 minute', next_due = NULL");
	int64_t more[3] = {source(a, "t0"), source(a, "t1"), source(a, "t2")};
	CHECK(store_claim_many(a, more, 3, false, ok, wait) == 0);
	CHECK(!ok[0] && !ok[1] && !ok[2]);
	exec_ok("UPDATE sources SET created_at = now() - interval '1 second' WHERE name LIKE 't%'");
	CHECK(store_claim_many(a, more, 3, false, ok, wait) == 0);
	CHECK(ok[0] && ok[1] && ok[2]);
	/* --once takes whatever is free, turn or not */
	exec_ok("UPDATE sources SET lease_owner = NULL, lease_expires = NULL, next_due = NULL");
	CHECK(store_claim_many(b, ids, 6, true, ok, wait) == 0);
	nb = 0;
	for (int i = 0; i < 6; i++)
		nb += ok[i];
	CHECK_NUM(nb, 6);

	store_free(b);
	store_free(a);
}

/* A daemon stalled past its lease, whose source another daemon holds now, writes nothing of
 * its failed poll: no polls row, no failure counted, no next_due of its own. */
static void test_failure_lease_lost(void)
{
	struct store *a = fresh_store();
	struct store *b = store_new("", TEST_APP "-b");
	int64_t src = source(a, "acme"), wait;
	int failures = -1;
	struct source_event e = {0};
	struct store_poll poll = {.source_id = src,
				  .outcome = STORE_OUTCOME_FAILED,
				  .http_status = 0,
				  .error = "timed out",
				  .stop = "error",
				  .next_due_ms = 4102444800000}; /* 2100 */

	CHECK(store_connect(b) == 0);
	store_set_owner(a, "host:1:aaaa", 60000, 3000);
	store_set_owner(b, "host:2:bbbb", 60000, 3000);
	CHECK(store_claim(a, src, true, &wait) == 1);
	exec_ok("UPDATE sources SET lease_expires = now() - interval '1 second'");
	CHECK(store_claim(b, src, true, &wait) == 1);
	CHECK(store_record_failure(a, &poll, 1, &failures, &e) == STORE_LEASE_LOST);
	CHECK_NUM(failures, -1);
	CHECK_STR(q("SELECT count(*) FROM polls"), "0");
	CHECK_STR(q("SELECT count(*) FROM events"), "0");
	CHECK_STR(q("SELECT failures_in_row || ' ' || (next_due IS NULL) || ' ' || lease_owner"
		    " FROM sources"),
		  "0 true host:2:bbbb");
	/* the holder's own failure is written, and gives the lease back */
	CHECK(store_record_failure(b, &poll, 1, &failures, &e) == 1);
	CHECK_NUM(failures, 1);
	CHECK_STR(q("SELECT count(*) FROM polls"), "1");
	CHECK_STR(q("SELECT lease_owner IS NULL FROM sources"), "t");
	/* a lease that ran out but nobody took is still the writer's */
	CHECK(store_claim(a, src, true, &wait) == 1);
	exec_ok("UPDATE sources SET lease_expires = now() - interval '1 second'");
	CHECK(store_record_failure(a, &poll, 0, &failures, NULL) == 0);
	CHECK_NUM(failures, 2);
	source_event_clear(&e);
	store_free(b);
	store_free(a);
}

/* Unchanged polls of many sources in one statement; a source with a posting counting misses
 * is left to the one-source path, which closes it. */
static void test_unchanged_batch(void)
{
	struct store *s = fresh_store();
	int64_t a = source(s, "a"), b = source(s, "b"), wait;
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(apply(s, a, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(apply(s, b, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	/* b's board loses c: c counts one miss */
	posting_list_pop(&l);
	CHECK(apply(s, b, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	store_set_owner(s, "host:1:aaaa", 60000, 3000);
	CHECK(store_claim(s, a, true, &wait) == 1);
	CHECK(store_claim(s, b, true, &wait) == 1);
	exec_ok("UPDATE sources SET last_complete_at = now() - interval '1 hour'");

	struct store_unchanged u[] = {
	    {.source_id = a,
	     .started_ms = 1700000000000,
	     .finished_ms = 1700000000100,
	     .next_due_ms = 1700003600000,
	     .http_status = 304,
	     .pages = 1,
	     .etag = "\"v\\2\""},
	    {.source_id = b,
	     .started_ms = 1700000000000,
	     .finished_ms = 1700000000100,
	     .http_status = 200,
	     .pages = 1},
	};
	CHECK(store_apply_unchanged_batch(s, u, 2) == 0);
	CHECK(u[0].applied);
	CHECK(!u[1].applied); /* c counts misses: the one-source path closes it */
	CHECK_STR(q("SELECT outcome || ' ' || http_status || ' ' || postings FROM polls"
		    " WHERE source_id = %lld ORDER BY id DESC LIMIT 1",
		    (long long)a),
		  "unchanged 304 3");
	CHECK_STR(q("SELECT etag || ' ' || (lease_owner IS NULL) || ' ' ||"
		    " (last_complete_at > now() - interval '1 minute') || ' ' ||"
		    " extract(epoch FROM next_due)::bigint FROM sources WHERE id = %lld",
		    (long long)a),
		  "\"v\\2\" true true 1700003600");
	CHECK_STR(q("SELECT lease_owner FROM sources WHERE id = %lld", (long long)b),
		  "host:1:aaaa");
	/* nothing about the postings changed */
	CHECK_STR(q("SELECT count(*) FROM events WHERE kind = 'closed'"), "0");
	/* a lease lost meanwhile: not applied */
	exec_ok("UPDATE sources SET lease_owner = 'other' WHERE name = 'a'");
	CHECK(store_apply_unchanged_batch(s, u, 1) == 0);
	CHECK(!u[0].applied);

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* A partial poll: what it read is applied with its events, nothing it lacks is missed or
 * closed, and it is no complete poll (last_complete_at stays). */
static void test_partial(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3(), part = {0};
	struct events ev = {0};

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 1, &ev) == 0);
	exec_ok("UPDATE sources SET last_complete_at = '2026-01-01'");
	add(&part, "a", "Lead Engineer", "Berlin"); /* a changed title */
	add(&part, "d", "Analyst", "Oslo");	    /* a new posting */
	struct store_poll poll = {.source_id = src,
				  .outcome = STORE_OUTCOME_PARTIAL,
				  .stop = "repeated",
				  .error = "the tenant repeats pages: offset 20",
				  .http_status = 200,
				  .pages = 2};
	struct store_opts opts = {.close_after = 1, .max_drop = 0.5};
	CHECK(store_apply_snapshot(s, &poll, &part, &opts, &ev) == 0);
	CHECK(find_event(&ev, EVENT_TITLE_CHANGED, "a") != NULL);
	CHECK(find_event(&ev, EVENT_NEW, "d") != NULL);
	CHECK_NUM(ev.len, 2); /* b and c, not read, are neither missed nor closed */
	CHECK_STR(q("SELECT string_agg(external_id || misses || (closed_at IS NULL), ','"
		    " ORDER BY external_id) FROM postings"),
		  "a0true,b0true,c0true,d0true");
	CHECK_STR(q("SELECT outcome || ' ' || stop || ' ' || error FROM polls ORDER BY id DESC"
		    " LIMIT 1"),
		  "partial repeated the tenant repeats pages: offset 20");
	CHECK_STR(q("SELECT last_complete_at = '2026-01-01' FROM sources"), "t");
	events_clear(&ev);
	posting_list_clear(&l);
	posting_list_clear(&part);
	store_free(s);
}

static void test_close_and_reopen(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	struct posting c = l.items[2];
	l.len = 2; /* "c" is gone from the board */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT misses || ' ' || (closed_at IS NULL) FROM postings"
		    " WHERE external_id = 'c'"),
		  "1 true");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 1);
	CHECK(find_event(&ev, EVENT_CLOSED, "c") != NULL);
	CHECK_STR(q("SELECT count(*) FROM open_postings"), "2");
	CHECK_STR(q("SELECT closed FROM polls ORDER BY id DESC LIMIT 1"), "1");

	/* back, with a new title */
	l.items[2] = c;
	l.len = 3;
	free(l.items[2].title);
	l.items[2].title = strdup("Staff Writer");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 2);
	CHECK(ev.len == 2 && ev.items[0].kind == EVENT_REOPENED);
	CHECK(find_event(&ev, EVENT_TITLE_CHANGED, "c") != NULL);
	CHECK_STR(q("SELECT misses || ' ' || (closed_at IS NULL) FROM postings"
		    " WHERE external_id = 'c'"),
		  "0 true");
	CHECK_STR(q("SELECT reopened || ' ' || changed FROM polls ORDER BY id DESC LIMIT 1"),
		  "1 1");

	/* a duplicate id in one snapshot counts once */
	add(&l, "a", "Engineer (copy)", "Berlin");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.postings, 3);
	CHECK_NUM(ev.len, 0);

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

static void test_suspect_drop(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct posting_list empty = {0};
	struct events ev = {0};

	add(&l, "d", "Analyst", "Rome");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	/* emptied: held */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &empty, 1, &ev) == 0);
	CHECK(ev.suspect);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT suspect FROM sources"), "t");
	CHECK_STR(q("SELECT suspect FROM polls ORDER BY id DESC LIMIT 1"), "t");
	CHECK_STR(q("SELECT count(*) FROM open_postings WHERE misses = 1"), "4");
	/* emptied again: confirmed, closes at close_after */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &empty, 2, &ev) == 0);
	CHECK(!ev.suspect);
	CHECK_NUM(ev.len, 4);
	CHECK_STR(q("SELECT count(*) FROM events WHERE kind = 'closed'"), "4");
	CHECK_STR(q("SELECT count(*) FROM open_postings"), "0");

	/* back, then a drop of one of four is not suspect and resets the flag */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 4);
	CHECK(ev.len == 4 && ev.items[0].kind == EVENT_REOPENED);
	l.len = 3;
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(!ev.suspect);
	CHECK_STR(q("SELECT suspect FROM sources"), "f");
	l.len = 4;

	/* a held drop, then an unchanged body: the same drop again, so it confirms */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &empty, 2, &ev) == 0);
	CHECK(ev.suspect);
	CHECK(apply(s, src, STORE_OUTCOME_UNCHANGED, NULL, 2, &ev) == 0);
	CHECK_NUM(ev.len, 4);
	CHECK_STR(q("SELECT count(*) FROM open_postings"), "0");

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* The row version (xmin) of posting id: it moves when the row is written. */
static double ms_since(const struct timespec *t0);

static char *row_version(const char *id)
{
	return strdup(q("SELECT xmin FROM postings WHERE external_id = '%s'", id));
}

static void test_unchanged(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 3, &ev) == 0);
	l.len = 2;
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 3, &ev) == 0);
	l.len = 3;
	exec_ok("UPDATE postings SET last_seen = last_seen - interval '1 hour'");
	char *va = row_version("a"), *vc = row_version("c");
	CHECK(apply(s, src, STORE_OUTCOME_UNCHANGED, NULL, 3, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_NUM(ev.postings, 2);
	CHECK_STR(q("SELECT string_agg(external_id || misses || (last_seen > now() -"
		    " interval '1 minute'), ',' ORDER BY external_id) FROM open_postings"),
		  "a0true,b0true,c2false");
	/* only the row counting a miss is written */
	char *wa = row_version("a"), *wc = row_version("c");
	CHECK_STR(wa, va);
	CHECK(strcmp(wc, vc) != 0);
	free(va);
	free(vc);
	free(wa);
	free(wc);
	CHECK(apply(s, src, STORE_OUTCOME_UNCHANGED, NULL, 3, &ev) == 0);
	CHECK_NUM(ev.len, 1);
	CHECK(find_event(&ev, EVENT_CLOSED, "c") != NULL);
	CHECK_STR(q("SELECT string_agg(outcome || ':' || http_status, ',' ORDER BY id) FROM polls"),
		  "complete:200,complete:200,unchanged:304,unchanged:304");
	/* an unchanged poll without validators keeps the ones it had */
	struct store_poll poll = {.source_id = src, .outcome = STORE_OUTCOME_UNCHANGED};
	struct store_opts opts = {.close_after = 3, .max_drop = 0.5};
	CHECK(store_apply_snapshot(s, &poll, NULL, &opts, &ev) == 0);
	CHECK_STR(q("SELECT etag FROM sources"), "\"v1\"");

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* A complete poll of a changed body rewrites the rows it changes and leaves the others, whose
 * sighting open_postings reads from the source's last complete poll; a posting that was
 * counting misses is rewritten (misses back to 0); a partial poll still writes every row it
 * read, since it is no complete poll. */
static void test_changed_rewrites_changes(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 3, &ev) == 0);
	l.len = 2; /* "c" missed once */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 3, &ev) == 0);
	l.len = 3;
	exec_ok("UPDATE postings SET last_seen = last_seen - interval '1 hour'");
	char *xa = row_version("a"), *xb = row_version("b"), *xc = row_version("c");
	free(l.items[0].title);
	l.items[0].title = strdup("Lead Engineer");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 3, &ev) == 0);
	CHECK_NUM(ev.len, 1);
	CHECK(find_event(&ev, EVENT_TITLE_CHANGED, "a") != NULL);
	/* a changed and c ended its misses: rewritten; b, the same as before, is not */
	char *ya = row_version("a"), *yb = row_version("b"), *yc = row_version("c");
	CHECK(strcmp(xa, ya) != 0);
	CHECK_STR(yb, xb);
	CHECK(strcmp(xc, yc) != 0);
	CHECK_STR(q("SELECT string_agg(external_id || misses || (last_seen > now() -"
		    " interval '1 minute'), ',' ORDER BY external_id) FROM postings"),
		  "a0true,b0false,c0true");
	CHECK_STR(q("SELECT string_agg(external_id || (last_seen > now() - interval '1 minute'),"
		    " ',' ORDER BY external_id) FROM open_postings"),
		  "atrue,btrue,ctrue");
	CHECK_NUM(atoll(q("SELECT count(*) FROM posting_versions")), 4);

	/* a partial poll reads b again: its row says so */
	exec_ok("UPDATE postings SET last_seen = last_seen - interval '1 hour'");
	struct posting_list part = {0};
	set_pay(add(&part, "b", "Designer", "Paris"), 100000, 120000, "USD", PAY_PERIOD_YEAR);
	struct store_poll poll = {.source_id = src,
				  .outcome = STORE_OUTCOME_PARTIAL,
				  .stop = "ceiling",
				  .error = "the walk reached poll.max_pages",
				  .http_status = 200,
				  .pages = 1};
	struct store_opts opts = {.close_after = 3, .max_drop = 0.5};
	CHECK(store_apply_snapshot(s, &poll, &part, &opts, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT string_agg(external_id || (last_seen > now() - interval '1 minute'),"
		    " ',' ORDER BY external_id) FROM postings"),
		  "afalse,btrue,cfalse");

	free(xa);
	free(xb);
	free(xc);
	free(ya);
	free(yb);
	free(yc);
	events_clear(&ev);
	posting_list_clear(&l);
	posting_list_clear(&part);
	store_free(s);
}

/* A changed poll sends a posting whose row is the one its stored posting was last written from
 * as its id alone (postings.row_fingerprint), and the diff leaves that posting as it is; what
 * the events and the rows say is what comparing every field says. */
static void test_row_fingerprints(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};
	const char *fps = "SELECT string_agg(external_id || '=' || row_fingerprint, ','"
			  " ORDER BY external_id) FROM postings";

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_STR(q("SELECT count(DISTINCT row_fingerprint) FROM postings"), "3");
	char *before = strdup(q("%s", fps));

	/* A changed body whose every posting is as stored: nothing staged, no row written. */
	const char *xmins = "SELECT string_agg(xmin::text, ',' ORDER BY external_id) FROM postings";
	char *written = strdup(q("%s", xmins));
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("%s", xmins), written);
	CHECK_STR(q("SELECT string_agg(external_id || '=' || misses, ',' ORDER BY external_id)"
		    " FROM postings WHERE closed_at IS NULL"),
		  "a=0,b=0,c=0");
	free(written);
	exec_ok("CREATE TEMP TABLE fp_before AS SELECT external_id, row_fingerprint FROM postings");

	/* Stored before the fingerprints (migration 023): the next changed poll writes them, with
	 * no version and no event for a posting that did not change. */
	exec_ok("UPDATE postings SET row_fingerprint = NULL");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("%s", fps), before);
	CHECK_STR(q("SELECT count(*) FROM posting_versions"), "3");

	/* A posting's fingerprint is trusted: kept past an edit (the trigger that clears it
	 * switched off), the edited row is not compared (a). An edit of a field that leaves the
	 * fingerprint alone, as a daemon older than the fingerprints writes, clears it (b), and
	 * the poll compares and writes back the row it shows; an update of what no row says
	 * keeps it (c). */
	exec_ok("ALTER TABLE postings DISABLE TRIGGER postings_row_fingerprint");
	exec_ok("UPDATE postings SET title = 'Edited' WHERE external_id = 'a'");
	exec_ok("ALTER TABLE postings ENABLE TRIGGER postings_row_fingerprint");
	exec_ok("UPDATE postings SET title = 'Edited' WHERE external_id = 'b'");
	CHECK_STR(q("SELECT string_agg(external_id, ',' ORDER BY external_id) FROM postings"
		    " WHERE row_fingerprint IS NULL"),
		  "b");
	exec_ok("UPDATE postings SET row_fingerprint = 7 WHERE external_id = 'c'");
	exec_ok("UPDATE postings SET misses = 0, closed_at = NULL, last_seen = now(),"
		" detail_retry_at = now() WHERE external_id = 'c'");
	CHECK_STR(q("SELECT row_fingerprint FROM postings WHERE external_id = 'c'"), "7");
	free(l.items[2].title);
	l.items[2].title = strdup("Staff Writer");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 2);
	const struct event *eb = find_event(&ev, EVENT_TITLE_CHANGED, "b");
	CHECK(eb != NULL && strcmp(eb->old_value, "Edited") == 0 &&
	      strcmp(eb->new_value, "Designer") == 0);
	CHECK(find_event(&ev, EVENT_TITLE_CHANGED, "c") != NULL);
	CHECK_STR(q("SELECT string_agg(external_id || '=' || title, ',' ORDER BY external_id)"
		    " FROM postings"),
		  "a=Edited,b=Designer,c=Staff Writer");
	/* b's row is the one it had; c's is new (its fingerprint set by hand is replaced) */
	CHECK_STR(q("SELECT string_agg(external_id, ',' ORDER BY external_id) FROM postings"
		    " JOIN fp_before USING (external_id, row_fingerprint)"),
		  "a,b");
	exec_ok("DROP TABLE fp_before");

	/* A posting missed once and shown again unchanged ends its misses: its row is written,
	 * whatever its fingerprint. */
	l.len = 2;
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_STR(q("SELECT misses FROM postings WHERE external_id = 'c'"), "1");
	l.len = 3;
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT misses || ' ' || (closed_at IS NULL) FROM postings"
		    " WHERE external_id = 'c'"),
		  "0 true");

	/* What the snapshot lacks counts, known by its fingerprint (c) or not (b): a miss each,
	 * and a drop of two of three, which holds the poll as suspect. */
	exec_ok("UPDATE postings SET row_fingerprint = NULL WHERE external_id = 'b'");
	l.len = 1;
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	l.len = 3;
	CHECK_STR(q("SELECT string_agg(external_id || '=' || misses, ',' ORDER BY external_id)"
		    " FROM postings WHERE closed_at IS NULL"),
		  "a=0,b=1,c=1");
	CHECK_STR(q("SELECT suspect FROM polls ORDER BY id DESC LIMIT 1"), "t");

	free(before);
	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* body parsed as the Greenhouse list API it is; later_ok as the loop sets it for a source
 * polled completely before. */
static void gh_parse(const char *body, bool later_ok, struct posting_list *l)
{
	const struct source_adapter *a = source_adapter_find("greenhouse");
	struct source_target t = {.type = "greenhouse", .url = "http://127.0.0.1/jobs"};
	struct source_walk w = {.total = -1};
	struct source_request next = {0};
	char err[256] = "";

	l->later_ok = later_ok;
	CHECK(a != NULL && a->parse(&t, &w, body, strlen(body), l, &next, err, sizeof(err)) == 0);
	CHECK(next.url == NULL);
	source_request_clear(&next);
}

/* One Greenhouse job: its id, title, pay sentence and any other members (ending in ","). */
#define GH_JOB(id, title, pay, more)                                                               \
	"{\"id\": " id ", \"title\": \"" title "\", \"absolute_url\": \"https://x.test/" id "\","  \
	" " more " \"content\": \"&lt;p&gt;The base pay is " pay " a year.&lt;/p&gt;\"}"
#define GH_1  GH_JOB("1", "Engineer", "$100,000 - $120,000", "")
#define GH_2  GH_JOB("2", "Designer", "$90,000 - $100,000", "")
#define GH_3  GH_JOB("3", "Writer", "$50,000 - $60,000", "")
#define GH_2B GH_JOB("2", "Product Designer", "$90,000 - $100,000", "")
#define GH_3B GH_JOB("3", "Writer", "$55,000 - $65,000", "")
#define GH_4  GH_JOB("4", "Analyst", "$70,000 - $80,000", "")
#define GH_1U GH_JOB("1", "Engineer", "$100,000 - $120,000", "\"updated_at\": \"2026-12-01\",")
#define GH_1C GH_JOB("1", "Chief Engineer", "$100,000 - $120,000", "")

/* A changed poll of a source whose list items are read alone parses only the items no open
 * posting was stored from (postings.input_fingerprint); the rows, versions and events are
 * what parsing every item gives. */
static void test_input_fingerprints(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "gh");
	struct posting_list l = {0};
	struct events ev = {0};
	const char *rows = "SELECT string_agg(concat_ws('|', external_id, title, pay_min, pay_max,"
			   " digest, row_fingerprint, input_fingerprint), ',' ORDER BY external_id)"
			   " FROM postings";
	const char *last_poll =
	    "SELECT postings || ' ' || dropped FROM polls ORDER BY id DESC LIMIT 1";

	/* a first poll parses every item, and stores each one's fingerprint */
	gh_parse("{\"jobs\": [" GH_1 ", " GH_2 ", " GH_3 "]}", false, &l);
	CHECK_NUM(l.len, 3);
	CHECK(l.later == NULL);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_STR(q("SELECT count(DISTINCT input_fingerprint) FROM postings"), "3");
	posting_list_clear(&l);

	/* 2 retitled, 3's pay raised, 4 new: those three are parsed, 1 is not and its row is not
	 * written */
	char *x1 = strdup(q("SELECT xmin FROM postings WHERE external_id = '1'"));
	const char *b2 = "{\"jobs\": [" GH_1 ", " GH_2B ", " GH_3B ", " GH_4 "]}";
	gh_parse(b2, true, &l);
	CHECK(l.len == 0 && l.later != NULL && l.later->n == 4);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(l.len, 3);
	CHECK_NUM(ev.len, 3);
	CHECK(find_event(&ev, EVENT_TITLE_CHANGED, "2") != NULL);
	CHECK(find_event(&ev, EVENT_PAY_CHANGED, "3") != NULL);
	CHECK(find_event(&ev, EVENT_NEW, "4") != NULL);
	CHECK_STR(q("SELECT xmin FROM postings WHERE external_id = '1'"), x1);
	CHECK_STR(q("%s", last_poll), "4 0");
	CHECK_STR(q("SELECT pay_min || '-' || pay_max FROM postings WHERE external_id = '3'"),
		  "55000-65000");
	posting_list_clear(&l);
	free(x1);

	/* the same body parsed whole gives the same rows, to the byte */
	char *kept = strdup(q("%s", rows));
	exec_ok("UPDATE postings SET input_fingerprint = NULL");
	gh_parse(b2, true, &l);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(l.len, 4);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("%s", rows), kept);
	CHECK_STR(q("SELECT count(*) FROM posting_versions"), "6");
	posting_list_clear(&l);
	free(kept);

	/* an item that moved only where the row does not look: parsed, its new fingerprint
	 * written with no version and no event; the next poll leaves it unparsed */
	char *fp1 = strdup(q("SELECT input_fingerprint FROM postings WHERE external_id = '1'"));
	const char *b3 = "{\"jobs\": [" GH_1U ", " GH_2B ", " GH_3B ", " GH_4 "]}";
	gh_parse(b3, true, &l);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(l.len, 1);
	CHECK_NUM(ev.len, 0);
	CHECK(strcmp(q("SELECT input_fingerprint FROM postings WHERE external_id = '1'"), fp1) !=
	      0);
	CHECK_STR(q("SELECT count(*) FROM posting_versions"), "6");
	posting_list_clear(&l);
	gh_parse(b3, true, &l);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(l.len, 0);
	CHECK_NUM(ev.len, 0);
	posting_list_clear(&l);
	free(fp1);

	/* one id twice: the first copy counts, whether it is the one left unparsed or not */
	gh_parse("{\"jobs\": [" GH_1U ", " GH_1C ", " GH_2B ", " GH_3B ", " GH_4 "]}", true, &l);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);
	CHECK_STR(q("SELECT title FROM postings WHERE external_id = '1'"), "Engineer");
	CHECK_STR(q("%s", last_poll), "4 0");
	posting_list_clear(&l);
	gh_parse("{\"jobs\": [" GH_1C ", " GH_1U ", " GH_2B ", " GH_3B ", " GH_4 "]}", true, &l);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 1);
	CHECK(find_event(&ev, EVENT_TITLE_CHANGED, "1") != NULL);
	CHECK_STR(q("SELECT title FROM postings WHERE external_id = '1'"), "Chief Engineer");
	posting_list_clear(&l);

	/* a malformed item is counted when it is parsed; one the snapshot lacks is missed */
	gh_parse("{\"jobs\": [" GH_1C ", " GH_2B ", " GH_3B ", {\"title\": \"No id\"}]}", true, &l);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(l.len, 0);
	CHECK_STR(q("%s", last_poll), "3 1");
	CHECK_STR(q("SELECT misses FROM postings WHERE external_id = '4'"), "1");
	posting_list_clear(&l);

	/* A daemon older than 024 sharing the database writes another row (and its row
	 * fingerprint) but not the item's fingerprint: that is cleared, and the next poll
	 * showing the item parses it and writes its row back. */
	exec_ok("UPDATE postings SET title = 'Old daemon', row_fingerprint = 42"
		" WHERE external_id = '2'");
	CHECK_STR(q("SELECT input_fingerprint IS NULL FROM postings WHERE external_id = '2'"), "t");
	CHECK_STR(q("SELECT count(*) FROM postings WHERE input_fingerprint IS NULL"), "1");
	gh_parse("{\"jobs\": [" GH_1C ", " GH_2B ", " GH_3B ", " GH_4 "]}", true, &l);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(l.len, 2); /* 2, and 4 with its miss */
	CHECK_STR(q("SELECT title FROM postings WHERE external_id = '2'"), "Product Designer");
	CHECK(find_event(&ev, EVENT_TITLE_CHANGED, "2") != NULL);
	posting_list_clear(&l);

	/* a partial poll reads no fingerprints: every item is parsed */
	gh_parse("{\"jobs\": [" GH_1C ", " GH_2B "]}", true, &l);
	CHECK(apply(s, src, STORE_OUTCOME_PARTIAL, &l, 2, &ev) == 0);
	CHECK_NUM(l.len, 2);
	CHECK_NUM(ev.len, 0);
	posting_list_clear(&l);

	events_clear(&ev);
	store_free(s);
}

static void test_failure(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 1, &ev) == 0);
	const char *before = q("SELECT string_agg(external_id || misses || last_seen || "
			       "coalesce(closed_at::text, ''), ',' ORDER BY id) FROM postings");
	char *saved = strdup(before);
	struct store_poll poll = {.source_id = src,
				  .outcome = STORE_OUTCOME_FAILED,
				  .http_status = 503,
				  .error = "HTTP 503",
				  .stop = "error"};
	CHECK(store_record_failure(s, &poll, 0, NULL, NULL) == 0);
	CHECK(apply(s, src, STORE_OUTCOME_FAILED, NULL, 1, &ev) == 0);
	CHECK_STR(q("SELECT string_agg(external_id || misses || last_seen || "
		    "coalesce(closed_at::text, ''), ',' ORDER BY id) FROM postings"),
		  saved);
	free(saved);
	CHECK_STR(q("SELECT outcome || ' ' || http_status || ' ' || error FROM polls"
		    " ORDER BY id LIMIT 1 OFFSET 1"),
		  "failed 503 HTTP 503");
	CHECK_STR(q("SELECT count(*) FROM events"), "3");
	CHECK_STR(q("SELECT last_poll_at >= last_complete_at FROM sources"), "t");

	/* an error rolls everything back and is reported once */
	int before_errors = log_errors;
	struct store_poll bad = {.source_id = 999999, .outcome = STORE_OUTCOME_COMPLETE};
	struct store_opts opts = {.close_after = 2, .max_drop = 0.5};
	CHECK(store_apply_snapshot(s, &bad, &l, &opts, &ev) == -1);
	CHECK_NUM(log_errors - before_errors, 1);
	CHECK_STR(q("SELECT count(*) FROM polls"), "3");
	CHECK(store_connected(s));
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 1, &ev) == 0);

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* The run of failures: counted in the sources row, one source_failing event at fail_after,
 * one source_stale, one source_recovered; a new store (a restart) keeps the count. */
static void test_health(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};
	struct source_event e = {0};
	struct store_poll poll = {.source_id = src,
				  .outcome = STORE_OUTCOME_FAILED,
				  .http_status = 500,
				  .error = "HTTP 500",
				  .stop = "error"};
	int failures = 0;

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(!ev.recovered);
	CHECK(store_record_failure(s, &poll, 3, &failures, &e) == 0);
	CHECK_NUM(failures, 1);
	store_free(s); /* a restart between failures */
	s = store_new("", TEST_APP);
	CHECK(store_connect(s) == 0);
	struct store_source_state st;
	CHECK(store_sync_source(s, "acme", "greenhouse", "https://example.com/jobs", &st) == 0);
	CHECK_NUM(st.failures_in_row, 1);
	CHECK(!st.failing_reported && !st.stale_reported && st.complete_ms > 0);
	store_source_state_clear(&st);
	CHECK(store_record_failure(s, &poll, 3, &failures, &e) == 0);
	CHECK(store_record_failure(s, &poll, 3, &failures, &e) == 1);
	CHECK_NUM(e.kind, EVENT_SOURCE_FAILING);
	CHECK_STR(e.reason, "HTTP 500");
	CHECK_NUM(e.failures, 3);
	CHECK(e.since != NULL && strlen(e.since) == 20 && e.since[19] == 'Z');
	source_event_clear(&e);
	CHECK(store_record_failure(s, &poll, 3, &failures, &e) == 0);
	CHECK_NUM(failures, 4);
	CHECK_STR(q("SELECT string_agg(kind || ':' || new_value || ':' || (posting_id IS NULL) ||"
		    " ':' || (poll_id IS NOT NULL), ',') FROM events WHERE kind LIKE 'source%%'"),
		  "source_failing:HTTP 500:true:true");

	CHECK(store_source_stale(s, src, 3600, &e) == 0);
	exec_ok("UPDATE sources SET last_complete_at = now() - interval '2 hours'");
	/* a row another session holds (a daemon stopped in a poll's transaction) is skipped at
	 * once rather than waited for, and reported at a later check */
	exec_ok("BEGIN");
	exec_ok("SELECT 1 FROM sources FOR UPDATE");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(store_source_stale(s, src, 3600, &e) == 0);
	CHECK(ms_since(&t0) < 5000);
	exec_ok("COMMIT");
	CHECK(store_source_stale(s, src, 3600, &e) == 1);
	CHECK_NUM(e.kind, EVENT_SOURCE_STALE);
	CHECK(e.reason && strncmp(e.reason, "no complete poll since 20", 25) == 0);
	source_event_clear(&e);
	CHECK(store_source_stale(s, src, 3600, &e) == 0);

	CHECK(apply(s, src, STORE_OUTCOME_UNCHANGED, NULL, 2, &ev) == 0);
	CHECK(ev.recovered);
	CHECK_NUM(ev.recovery.kind, EVENT_SOURCE_RECOVERED);
	CHECK_STR(ev.recovery.reason, "complete poll after 4 failed");
	CHECK_NUM(ev.recovery.failures, 4);
	CHECK_NUM(ev.len, 0); /* the poll's posting events leave the source's out */
	CHECK_STR(
	    q("SELECT failures_in_row::text || failing::text || stale::text FROM source_health"),
	    "0falsefalse");
	CHECK(apply(s, src, STORE_OUTCOME_UNCHANGED, NULL, 2, &ev) == 0);
	CHECK(!ev.recovered);
	CHECK_STR(q("SELECT string_agg(kind, ',' ORDER BY id) FROM events WHERE kind LIKE "
		    "'source%%'"),
		  "source_failing,source_stale,source_recovered");

	/* fail_after 0 (the store's own failed-outcome path) never writes an event */
	for (int i = 0; i < 5; i++)
		CHECK(store_record_failure(s, &poll, 0, &failures, NULL) == 0);
	CHECK_STR(q("SELECT count(*) FROM events WHERE kind = 'source_failing'"), "1");

	/* retention: old polls go, events stay with poll_id NULL */
	exec_ok("UPDATE polls SET started_at = now() - interval '100 days'");
	CHECK_NUM(store_prune_polls(s, 90 * 86400, 3), 3);
	CHECK_NUM(store_prune_polls(s, 90 * 86400, 100), 9); /* 1 + 4 + 2 + 5 polls */
	CHECK_NUM(store_prune_polls(s, 90 * 86400, 100), 0);
	CHECK_STR(q("SELECT count(*) FROM events WHERE poll_id IS NOT NULL"), "0");
	CHECK_STR(q("SELECT count(*) FROM posting_versions"), "3");

	/* failures never reported (fail_after 0 above) still end with a complete poll, quietly */
	CHECK_STR(q("SELECT failures_in_row || ' ' || (failing_since IS NOT NULL) FROM sources"),
		  "5 true");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(!ev.recovered);
	CHECK_STR(q("SELECT failures_in_row || ' ' || (failing_since IS NOT NULL) FROM sources"),
		  "0 false");

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

static void test_hostile_text(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = {0};
	struct events ev = {0};
	char big[10001];

	add(&l, "tabs", "a\tb\nc\\d\re\\N", "x");
	add(&l, "utf8", "caf\xc3\xa9 \xff\xfe ok \xed\xa0\x80 \xc3", "\xf0\x9f\x98\x80");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[4095] = '\xc3'; /* a two-byte character across the bound is left out whole */
	big[4096] = '\xa9';
	add(&l, "big", big, "");
	add(&l, "\\.", "end marker", NULL);
	/* after an empty baseline, so that the events are read back too */
	struct posting_list none = {0};
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &none, 2, &ev) == 0);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 4);
	const struct event *e = find_event(&ev, EVENT_NEW, "tabs");
	CHECK(e != NULL && strcmp(e->title, "a\tb\nc\\d\re\\N") == 0);
	e = find_event(&ev, EVENT_NEW, "\\.");
	CHECK(e != NULL && strcmp(e->title, "end marker") == 0);
	CHECK_STR(q("SELECT title FROM postings WHERE external_id = 'tabs'"), "a\tb\nc\\d\re\\N");
	CHECK_STR(q("SELECT title FROM postings WHERE external_id = 'utf8'"),
		  "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd ok \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
		  "\xef\xbf\xbd");
	CHECK_STR(q("SELECT location FROM postings WHERE external_id = 'utf8'"),
		  "\xf0\x9f\x98\x80");
	CHECK_STR(q("SELECT octet_length(title) || ' ' || (location IS NULL) FROM postings"
		    " WHERE external_id = 'big'"),
		  "4095 true");
	CHECK_STR(q("SELECT title FROM postings WHERE external_id = '\\.'"), "end marker");
	/* the same hostile board again is no change: what was stored is what is compared */
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 0);

	struct store_poll poll = {
	    .source_id = src, .outcome = STORE_OUTCOME_FAILED, .error = "bad \xff byte"};
	CHECK(store_record_failure(s, &poll, 0, NULL, NULL) == 0);
	CHECK_STR(q("SELECT error FROM polls WHERE outcome = 'failed'"), "bad \xef\xbf\xbd byte");

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_big_board(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "big");
	struct posting_list l = {0};
	struct events ev = {0};
	struct timespec t0;
	char id[32], title[64];

	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "job-%d", i);
		snprintf(title, sizeof(title), "Engineer %d", i);
		struct posting *p = add(&l, id, title, "Remote");
		set_pay(p, 1000 + i, 2000 + i, "EUR", PAY_PERIOD_MONTH);
		snprintf(p->digest, sizeof(p->digest), "%064d", i);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	printf("# 1000 postings applied in %.1f ms (baseline: 1000 new)\n", ms_since(&t0));
	CHECK_NUM(ev.new_postings, 1000);
	CHECK_STR(q("SELECT pay_max_yearly::int FROM postings WHERE external_id = 'job-999'"),
		  "35988");

	for (int i = 0; i < 1000; i += 100) {
		free(l.items[i].title);
		l.items[i].title = strdup("Renamed");
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	printf("# 1000 postings applied in %.1f ms (10 changed)\n", ms_since(&t0));
	CHECK_NUM(ev.len, 10);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(apply(s, src, STORE_OUTCOME_UNCHANGED, NULL, 2, &ev) == 0);
	printf("# unchanged poll of 1000 postings in %.1f ms\n", ms_since(&t0));
	CHECK_NUM(ev.postings, 1000);

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* The stage is emptied before each snapshot and vacuumed now and then: a window of 100
 * postings that moves by 10 every poll, over more rows than one vacuum's worth, leaves
 * exactly the window open and closes what fell out of it. */
static void test_stage_reuse(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "window");
	struct events ev = {0};
	char id[32];

	for (int poll = 0; poll < 30; poll++) {
		struct posting_list l = {0};
		for (int i = 10 * poll; i < 10 * poll + 100; i++) {
			snprintf(id, sizeof(id), "w-%d", i);
			add(&l, id, "Engineer", "Remote");
		}
		CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 1, &ev) == 0);
		if (poll > 0)
			CHECK_NUM(ev.len, 20); /* 10 new, 10 closed */
		posting_list_clear(&l);
	}
	CHECK_STR(q("SELECT count(*) || ' ' || min(external_id) || ' ' || max(external_id)"
		    " FROM postings WHERE closed_at IS NULL"),
		  "100 w-290 w-389");
	CHECK_STR(q("SELECT count(*) FROM postings WHERE closed_at IS NOT NULL"), "290");
	events_clear(&ev);
	store_free(s);
}

/* src's first poll, applied as the loop applies a batch of first polls (store_apply_first),
 * and its answer checked. */
static void first_poll(struct store *s, int64_t src, const struct posting_list *l)
{
	struct store_poll poll = {.source_id = src,
				  .outcome = STORE_OUTCOME_COMPLETE,
				  .stop = "complete",
				  .http_status = 200,
				  .pages = 1};
	struct store_opts opts = {.close_after = 2, .max_drop = 0.5};
	const struct posting_list *postings[] = {l};
	void *ud[] = {&poll}, *got = NULL;
	struct events ev = {0};
	enum store_rc rc = STORE_ERROR;

	CHECK(store_apply_first(s, &poll, postings, 1, &opts, ud) == STORE_OK);
	store_apply_wait(s);
	CHECK(store_apply_next_done(s, &got, &rc, &ev));
	CHECK(got == &poll && rc == STORE_OK && ev.baseline && ev.postings == l->len);
	events_clear(&ev);
}

/* The first polls' stage is made for them and dropped when other polls have gone on a while
 * without them: while it is there, every commit that touches the stage truncates it. Made
 * again, it takes the next first polls as before. */
static void test_first_stage(void)
{
	const char *made = "SELECT count(*) FROM pg_class WHERE relname = 'jobwatch_first'";
	struct store *s = fresh_store();
	int64_t a = source(s, "first-a"), b = source(s, "first-b");
	struct posting_list l = board3();
	struct events ev = {0};

	first_poll(s, a, &l);
	CHECK_NUM(qn(made), 1);
	for (int i = 1; i <= 16; i++) {
		free(l.items[0].title);
		l.items[0].title = strdup(i % 2 ? "Engineer II" : "Engineer");
		CHECK(apply(s, a, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
		CHECK_NUM(ev.len, 1); /* the title changed */
		CHECK_NUM(qn(made), i < 16 ? 1 : 0);
	}
	first_poll(s, b, &l);
	CHECK_NUM(qn(made), 1);
	CHECK_STR(q("SELECT string_agg(s.name || ':' || p.external_id || ':' || p.title, ','"
		    " ORDER BY s.name, p.external_id) FROM postings p JOIN sources s"
		    " ON s.id = p.source_id"),
		  "first-a:a:Engineer,first-a:b:Designer,first-a:c:Writer,"
		  "first-b:a:Engineer,first-b:b:Designer,first-b:c:Writer");
	CHECK_NUM(qn("SELECT count(*) FROM events WHERE kind = 'new' AND baseline"), 6);
	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* The changed polls of several sources, applied together (store_apply_changed) and each alone:
 * the same rows, versions, ranges, events (each poll's own, in its order) and polls rows. */
static const char *changed_state(const char *prefix)
{
	return q(
	    "SELECT string_agg(x, ' | ' ORDER BY x) FROM ("
	    " SELECT right(s.name, 1) || ':' || p.external_id || '=' || p.title || ','"
	    "  || coalesce(p.pay_min::text, '-') || ',' || p.misses || ','"
	    "  || (p.closed_at IS NULL) || ',' || (SELECT count(*) FROM posting_versions v"
	    "  WHERE v.posting_id = p.id) || ',' || (SELECT coalesce(string_agg(r.pay_min::text,"
	    "  '/' ORDER BY r.ord), '') FROM pay_ranges r WHERE r.posting_id = p.id) AS x"
	    " FROM postings p JOIN sources s ON s.id = p.source_id WHERE s.name LIKE '%s%%'"
	    " UNION ALL SELECT right(s.name, 1) || ' events ' || string_agg(e.kind || ':'"
	    "  || coalesce(p.external_id, '') || ':' || coalesce(e.old_value, '') || '>'"
	    "  || coalesce(e.new_value, ''), ';' ORDER BY e.id)"
	    " FROM events e JOIN sources s ON s.id = e.source_id"
	    " LEFT JOIN postings p ON p.id = e.posting_id WHERE s.name LIKE '%s%%'"
	    "  AND NOT e.baseline GROUP BY s.name"
	    " UNION ALL SELECT right(s.name, 1) || ' polls ' || string_agg(o.postings || '/'"
	    "  || o.new || '/' || o.closed || '/' || o.changed || '/' || o.suspect, ';'"
	    "  ORDER BY o.id) FROM polls o JOIN sources s ON s.id = o.source_id"
	    " WHERE s.name LIKE '%s%%' GROUP BY s.name) t",
	    prefix, prefix, prefix);
}

/* Three boards polled once, then changed: x retitles a, raises b's pay and adds d; y drops c,
 * which closes at its close_after of 1; z drops two of three, held as suspect. */
static void changed_boards(struct posting_list l[3], struct store_opts opts[3])
{
	for (int i = 0; i < 3; i++) {
		l[i] = board3();
		opts[i] = (struct store_opts){.close_after = i == 1 ? 1 : 2, .max_drop = 0.5};
	}
	free(l[0].items[0].title);
	l[0].items[0].title = strdup("Staff Engineer");
	set_pay(&l[0].items[1], 110000, 130000, "USD", PAY_PERIOD_YEAR);
	add(&l[0], "d", "Analyst", "Rome");
	posting_list_pop(&l[1]);
	posting_list_pop(&l[2]);
	posting_list_pop(&l[2]);
}

static void test_apply_changed(void)
{
	struct store *s = fresh_store();
	const char *names[2][3] = {{"together-x", "together-y", "together-z"},
				   {"alone-x", "alone-y", "alone-z"}};
	int64_t src[2][3];
	struct posting_list l[3];
	struct store_opts opts[3];
	struct store_poll polls[3];
	struct posting_list *postings[3];
	void *ud[3];
	struct events ev = {0};

	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 3; i++) {
			struct posting_list b = board3();
			src[k][i] = source(s, names[k][i]);
			CHECK(apply(s, src[k][i], STORE_OUTCOME_COMPLETE, &b, 2, &ev) == 0);
			posting_list_clear(&b);
		}

	/* together */
	changed_boards(l, opts);
	for (int i = 0; i < 3; i++) {
		polls[i] = (struct store_poll){.source_id = src[0][i],
					       .outcome = STORE_OUTCOME_COMPLETE,
					       .stop = "complete",
					       .http_status = 200,
					       .pages = 1};
		postings[i] = &l[i];
		ud[i] = &polls[i];
	}
	CHECK(store_apply_changed(s, polls, postings, 3, opts, ud) == STORE_OK);
	store_apply_wait(s);
	for (int i = 0; i < 3; i++) {
		void *got = NULL;
		enum store_rc rc = STORE_ERROR;
		CHECK(store_apply_next_done(s, &got, &rc, &ev));
		CHECK(got == ud[i] && rc == STORE_OK && !ev.baseline);
		/* each poll's own events, in its order, for its alerts */
		if (i == 0) {
			CHECK_NUM(ev.len, 3);
			CHECK(ev.len == 3 && ev.items[0].kind == EVENT_TITLE_CHANGED &&
			      strcmp(ev.items[0].external_id, "a") == 0 &&
			      ev.items[1].kind == EVENT_PAY_CHANGED &&
			      ev.items[2].kind == EVENT_NEW &&
			      strcmp(ev.items[2].external_id, "d") == 0);
			CHECK(ev.postings == 4 && !ev.suspect && ev.new_postings == 1 &&
			      ev.changed == 2);
		} else if (i == 1) {
			CHECK(ev.len == 1 && ev.items[0].kind == EVENT_CLOSED &&
			      strcmp(ev.items[0].external_id, "c") == 0 && ev.closed == 1);
		} else {
			CHECK(ev.len == 0 && ev.suspect && ev.postings == 1);
		}
	}
	CHECK(!store_apply_next_done(s, &(void *){NULL}, &(enum store_rc){0}, &ev));
	for (int i = 0; i < 3; i++)
		posting_list_clear(&l[i]);

	/* alone */
	changed_boards(l, opts);
	for (int i = 0; i < 3; i++)
		CHECK(apply(s, src[1][i], STORE_OUTCOME_COMPLETE, &l[i], opts[i].close_after,
			    &ev) == 0);
	char *together = strdup(changed_state("together-"));
	CHECK_STR(changed_state("alone-"), together);
	CHECK(strstr(together, "x:a=Staff Engineer,-,0,true,2,") != NULL);
	CHECK(strstr(together, "y:c=Writer,-,1,false,1,") != NULL);
	CHECK(strstr(together, "z polls 3/3/0/0/false;1/0/0/0/true") != NULL);
	free(together);
	for (int i = 0; i < 3; i++)
		posting_list_clear(&l[i]);

	/* A source not polled completely before: nothing is applied, and the polls go alone. */
	int64_t fresh = source(s, "together-fresh");
	long long npolls = qn("SELECT count(*) FROM polls");
	changed_boards(l, opts);
	polls[2].source_id = fresh;
	CHECK(store_apply_changed(s, polls, postings, 3, opts, ud) == STORE_ERROR);
	CHECK(store_connected(s));
	CHECK_NUM(qn("SELECT count(*) FROM polls"), npolls);
	CHECK(l[0].later == NULL && l[0].len == 4); /* as it was given */

	/* A statement that fails: each poll is answered that it failed with the others, to be
	 * polled again alone, and nothing stays. */
	exec_ok(
	    "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
	    " RAISE EXCEPTION 'boom'; END $$;"
	    " CREATE TRIGGER boom BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION boom()");
	free(l[1].items[0].title);
	l[1].items[0].title = strdup("Boom");
	polls[2].source_id = src[0][2];
	CHECK(store_apply_changed(s, polls, postings, 3, opts, ud) == STORE_OK);
	store_apply_wait(s);
	for (int i = 0; i < 3; i++) {
		void *got = NULL;
		enum store_rc rc = STORE_OK;
		CHECK(store_apply_next_done(s, &got, &rc, &ev));
		CHECK(got == ud[i] && rc == STORE_BATCH_FAILED && ev.len == 0);
	}
	CHECK(store_connected(s));
	CHECK_NUM(qn("SELECT count(*) FROM polls"), npolls);
	exec_ok("DROP TRIGGER boom ON events; DROP FUNCTION boom()");
	for (int i = 0; i < 3; i++)
		posting_list_clear(&l[i]);
	events_clear(&ev);
	store_free(s);
}

/* A body's tree that a queued changed poll holds until the store settles it, as
 * source_json_each leaves it: here its size alone. */
static void later_parse(struct posting_later *later, size_t i, struct posting_list *l)
{
	(void)later;
	(void)i;
	(void)l;
}

static void later_free(struct posting_later *later)
{
	free(later);
}

static void count_sent(void *ctx, void *ud)
{
	(void)ud;
	(*(int *)ctx)++;
}

static void count_failed(void *ctx, void *ud, enum store_rc rc, struct events *ev)
{
	(void)ctx;
	(void)ud;
	(void)rc;
	(void)ev;
	CHECK(0); /* every poll here is written */
}

/* Changed polls queued for the store hold their bodies' trees: the queue writes its front
 * chunk before one more would take it past STORE_BATCH_QUEUE_BYTES, and counts the chunk full
 * at half of that, however few polls it has. */
static void test_batch_bytes(void)
{
	struct store *s = fresh_store();
	int sent = 0;
	struct store_batch_hooks h = {.ctx = &sent, .sent = count_sent, .failed = count_failed};
	struct store_batch *b = store_batch_new(s, &h);
	struct store_opts o = {.close_after = 2, .max_drop = 0.5};
	struct posting_list l[4];
	struct store_poll p[4];
	struct events ev = {0};
	char name[32];

	for (int i = 0; i < 4; i++) {
		struct posting_list base = board3();
		struct posting_later *later = calloc(1, sizeof(*later));
		snprintf(name, sizeof(name), "bytes-%d", i);
		p[i] = (struct store_poll){.source_id = source(s, name),
					   .outcome = STORE_OUTCOME_COMPLETE,
					   .stop = "complete",
					   .http_status = 200,
					   .pages = 1};
		CHECK(apply(s, p[i].source_id, STORE_OUTCOME_COMPLETE, &base, 2, &ev) == 0);
		posting_list_clear(&base);
		*later = (struct posting_later){.bytes = STORE_BATCH_QUEUE_BYTES / 3 + 1,
						.parse = later_parse,
						.free = later_free};
		l[i] = (struct posting_list){.later_ok = true, .later = later};
	}
	CHECK(store_batch_changed(b, &p[0], &l[0], &o, &p[0]));
	CHECK(store_batch_changed(b, &p[1], &l[1], &o, &p[1]));
	CHECK_NUM(sent, 0);
	/* a third would pass the budget: the two go first */
	CHECK(store_batch_changed(b, &p[2], &l[2], &o, &p[2]));
	CHECK_NUM(sent, 2);
	store_apply_wait(s);
	/* a third of the budget waits for others; two thirds is a full chunk */
	store_batch_flush_polls(b, util_now_ms(), false, 100);
	CHECK_NUM(sent, 2);
	CHECK(store_batch_changed(b, &p[3], &l[3], &o, &p[3]));
	store_batch_flush_polls(b, util_now_ms(), false, 100);
	CHECK_NUM(sent, 4);
	store_apply_wait(s);
	for (int i = 0; i < 4; i++) {
		void *got = NULL;
		enum store_rc rc = STORE_ERROR;
		CHECK(store_apply_next_done(s, &got, &rc, &ev));
		CHECK(got == &p[i] && rc == STORE_OK);
		CHECK(l[i].later == NULL); /* settled, its tree freed */
		posting_list_clear(&l[i]);
	}
	CHECK_NUM(qn("SELECT count(*) FROM polls WHERE outcome = 'complete'"), 8);
	events_clear(&ev);
	store_batch_free(b);
	store_free(s);
}

/* Deleting a source or a posting takes what hangs off it (delete triggers in the schema,
 * foreign keys before), and nothing of another source. */
static void test_cascade(void)
{
	struct store *s = fresh_store();
	int64_t a = source(s, "a"), b = source(s, "b");
	struct posting_list l = board3();
	struct events ev = {0};
	const char *const labels[] = {"Berlin", "Remote", NULL};
	double mins[] = {1, 2}, maxs[] = {3, 4};
	const char *counts = "SELECT (SELECT count(*) FROM postings) || ' ' ||"
			     " (SELECT count(*) FROM posting_versions) || ' ' ||"
			     " (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM"
			     " pay_ranges) || ' ' || (SELECT count(*) FROM polls)";

	set_ranges(&l.items[0], 2, labels, mins, maxs);
	CHECK(apply(s, a, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(apply(s, b, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_STR(q("%s", counts), "6 6 6 6 2");
	exec_ok("DELETE FROM postings WHERE external_id = 'a' AND source_id ="
		" (SELECT id FROM sources WHERE name = 'a')");
	CHECK_STR(q("%s", counts), "5 5 5 4 2");
	/* a health event each: the source's own goes with it, the other's stays */
	exec_ok("INSERT INTO events (at, source_id, kind, new_value)"
		" SELECT now(), id, 'source_failing', 'HTTP 500' FROM sources");
	exec_ok("DELETE FROM sources WHERE name = 'a'");
	CHECK_STR(q("%s", counts), "3 3 4 3 1");
	CHECK_STR(q("SELECT count(*) FROM events WHERE source_id = %lld", (long long)b), "4");
	CHECK_STR(q("SELECT count(*) FROM events WHERE source_id = %lld", (long long)a), "0");
	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* store_apply_begin returns with the diff in flight; the next call waits for it, answers
 * come back in order with their ud, and a statement that fails inside the pipeline rolls the
 * whole poll back and leaves the connection fit for the next. */
static void test_apply_async(void)
{
	struct store *s = fresh_store();
	int64_t a = source(s, "a"), b = source(s, "b");
	struct posting_list l = board3();
	struct events ev = {0};
	struct store_poll pa = {.source_id = a,
				.outcome = STORE_OUTCOME_COMPLETE,
				.stop = "complete",
				.http_status = 200,
				.pages = 1},
			  pb = pa;
	struct store_opts opts = {.close_after = 2, .max_drop = 0.5};
	void *ud = NULL;
	int rc = -1;

	pb.source_id = b;
	CHECK(store_apply_begin(s, &pa, &l, &opts, &pa) == 0);
	CHECK(store_apply_fd(s) >= 0);
	CHECK(!store_apply_next_done(s, &ud, &rc, &ev));       /* not read yet */
	CHECK(store_apply_begin(s, &pb, &l, &opts, &pb) == 0); /* a's is read first */
	CHECK(store_apply_next_done(s, &ud, &rc, &ev));
	CHECK(ud == &pa && rc == 0 && ev.new_postings == 3 && ev.baseline && ev.postings == 3);
	store_apply_wait(s);
	CHECK(store_apply_fd(s) == -1);
	CHECK(store_apply_next_done(s, &ud, &rc, &ev));
	CHECK(ud == &pb && rc == 0 && ev.new_postings == 3);
	CHECK(!store_apply_next_done(s, &ud, &rc, &ev));
	CHECK_STR(q("SELECT string_agg(postings || '/' || new, ',' ORDER BY id) FROM polls"),
		  "3/3,3/3");

	/* the events insert fails for one title: nothing of that poll stays */
	exec_ok(
	    "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
	    " IF EXISTS (SELECT 1 FROM postings WHERE id = NEW.posting_id AND title = 'Boom')"
	    " THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;"
	    " CREATE TRIGGER boom BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION boom()");
	add(&l, "d", "Boom", NULL);
	CHECK(store_apply_begin(s, &pa, &l, &opts, &pa) == 0);
	store_apply_wait(s);
	CHECK(store_apply_next_done(s, &ud, &rc, &ev));
	CHECK(ud == &pa && rc == -1 && ev.len == 0);
	CHECK(store_connected(s));
	CHECK_STR(q("SELECT count(*) || ' ' || (SELECT count(*) FROM polls) FROM postings"), "6 2");
	free(l.items[3].title);
	l.items[3].title = strdup("Writer too");
	CHECK(apply(s, a, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 1);
	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

static void test_reconnect(void)
{
	struct store *s = fresh_store();
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_STR(q("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
		    " WHERE application_name = '" TEST_APP "'"),
		  "1");
	/* the backend is gone a moment after pg_terminate_backend returns */
	for (int i = 0; i < 100 && qn("SELECT count(*) FROM pg_stat_activity"
				      " WHERE application_name = '" TEST_APP "'") > 0;
	     i++)
		usleep(10000);
	add(&l, "d", "Analyst", "Rome");
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == -1);
	CHECK(!store_connected(s));
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == -1);
	CHECK(store_connect(s) == 0);
	CHECK(store_connected(s));
	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK_NUM(ev.len, 1);
	CHECK(find_event(&ev, EVENT_NEW, "d") != NULL);
	CHECK_STR(q("SELECT count(*) FROM polls"), "2");

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

static void test_sync_source(void)
{
	struct store *s = fresh_store();
	struct store_source_state st;
	int64_t src = source(s, "acme");
	struct posting_list l = board3();
	struct events ev = {0};

	CHECK(apply(s, src, STORE_OUTCOME_COMPLETE, &l, 2, &ev) == 0);
	CHECK(store_sync_source(s, "acme", "greenhouse", "https://example.com/jobs", &st) == 0);
	CHECK(st.id == src && st.etag != NULL);
	store_source_state_clear(&st);
	CHECK(store_sync_source(s, "acme", "greenhouse", "https://example.com/other", &st) == 0);
	CHECK(st.id == src && st.etag == NULL && st.body_sha256 == NULL && st.has_baseline);
	store_source_state_clear(&st);
	CHECK(store_sync_source(s, "beta", "lever", NULL, &st) == 0);
	CHECK(st.id != src && !st.has_baseline);
	store_source_state_clear(&st);
	CHECK_STR(q("SELECT string_agg(name || ' ' || type, ',' ORDER BY id) FROM sources"),
		  "acme greenhouse,beta lever");

	events_clear(&ev);
	posting_list_clear(&l);
	store_free(s);
}

/* A type auto source remembers what its page was; a new url in the config forgets it. */
static void test_detection(void)
{
	struct store *s = fresh_store();
	struct store_source_state st;
	const char *page = "https://www.acme.com/careers";

	CHECK(store_sync_source(s, "acme", "auto", page, &st) == 0);
	CHECK(st.detected_type == NULL && st.detected_url == NULL);
	CHECK(store_record_detection(s, st.id, "jsonld", page) == 0);
	store_source_state_clear(&st);
	CHECK(store_sync_source(s, "acme", "auto", page, &st) == 0);
	CHECK_STR(st.detected_type, "jsonld");
	CHECK_STR(st.detected_url, page);
	CHECK_STR(q("SELECT detected_at IS NOT NULL FROM sources WHERE name = 'acme'"), "t");
	store_source_state_clear(&st);
	CHECK(store_sync_source(s, "acme", "auto", "https://www.acme.com/jobs", &st) == 0);
	CHECK(st.detected_type == NULL && st.detected_url == NULL);
	CHECK_STR(q("SELECT count(*) FROM sources WHERE detected_at IS NULL"), "1");
	/* nor is a page written by a daemon another has taken the source from */
	store_set_owner(s, "host:1:aaaa", 60000, 3000);
	exec_ok("UPDATE sources SET lease_owner = 'host:2:bbbb'");
	CHECK(store_record_detection(s, st.id, "jsonld", page) == 0);
	CHECK_STR(q("SELECT count(*) FROM sources WHERE detected_at IS NULL"), "1");
	exec_ok("UPDATE sources SET lease_owner = 'host:1:aaaa'");
	CHECK(store_record_detection(s, st.id, "jsonld", page) == 0);
	CHECK_STR(q("SELECT count(*) FROM sources WHERE detected_at IS NULL"), "0");
	store_source_state_clear(&st);
	store_free(s);
}

/* Start a private cluster unless the environment names one; returns its directory or NULL. */
static char *cluster_start(void)
{
	static const char *const keys[] = {"PGHOST", "PGPORT", "PGDATABASE", "PGUSER"};
	char line[1024], cmd[1024];

	if (getenv("JOBWATCH_TEST_PGHOST") != NULL) {
		for (size_t i = 0; i < 4; i++) {
			char name[64];
			snprintf(name, sizeof(name), "JOBWATCH_TEST_%s", keys[i]);
			if (getenv(name))
				setenv(keys[i], getenv(name), 1);
		}
		return NULL;
	}
	char *dir = strdup("/tmp/jobwatch-test-store-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		printf("not ok - mkdtemp\n");
		exit(1);
	}
	snprintf(cmd, sizeof(cmd), "tests/lib/pgcluster.sh start %s", dir);
	FILE *f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *eq = strchr(line, '=');
		if (eq) {
			*eq = '\0';
			setenv(line, eq + 1, 1);
		}
	}
	if (f == NULL || pclose(f) != 0 || getenv("PGPORT") == NULL) {
		printf("not ok - tests/lib/pgcluster.sh start %s failed\n", dir);
		exit(1);
	}
	return dir;
}

static void cluster_stop(char *dir)
{
	char cmd[1024];

	if (dir == NULL)
		return;
	snprintf(cmd, sizeof(cmd), "tests/lib/pgcluster.sh stop %s && rm -rf %s", dir, dir);
	if (system(cmd) != 0)
		printf("# stopping the cluster in %s failed\n", dir);
	free(dir);
}

/* The cluster this run started; stopped at exit, also when a check exits early. */
static char *cluster_dir;

static void cluster_stop_at_exit(void)
{
	char *dir = cluster_dir;

	cluster_dir = NULL;
	cluster_stop(dir);
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int main(void)
{
	cluster_dir = cluster_start();
	atexit(cluster_stop_at_exit);
	db = PQconnectdb("");
	if (PQstatus(db) != CONNECTION_OK) {
		printf("not ok - connect: %s", PQerrorMessage(db));
		PQfinish(db);
		return 1;
	}
	PQsetNoticeProcessor(db, quiet, NULL); /* DROP SCHEMA … CASCADE lists what it drops */
	RUN(test_migrate_idempotent);
	RUN(test_migrate_later_file);
	RUN(test_migrate_concurrent);
	RUN(test_migrate_newer);
	RUN(test_pay_format_parity);
	RUN(test_baseline_and_changes);
	RUN(test_pay_ranges);
	RUN(test_unknown_source);
	RUN(test_leases);
	RUN(test_lease_shares);
	RUN(test_failure_lease_lost);
	RUN(test_unchanged_batch);
	RUN(test_partial);
	RUN(test_close_and_reopen);
	RUN(test_suspect_drop);
	RUN(test_unchanged);
	RUN(test_changed_rewrites_changes);
	RUN(test_row_fingerprints);
	RUN(test_input_fingerprints);
	RUN(test_failure);
	RUN(test_health);
	RUN(test_hostile_text);
	RUN(test_big_board);
	RUN(test_stage_reuse);
	RUN(test_first_stage);
	RUN(test_cascade);
	RUN(test_apply_async);
	RUN(test_apply_changed);
	RUN(test_batch_bytes);
	RUN(test_reconnect);
	RUN(test_sync_source);
	RUN(test_detection);
	PQfinish(db);
	return harness_end();
}
