/* store_migrate.c - the numbered files of sql/, applied in order under an advisory lock, each
 * in its own transaction, recorded in schema_migrations by its number. The first,
 * 020_schema.sql, is the whole schema as migrations 001 to 020 built it (a database they built
 * has recorded 20 and skips it); each later file is one change, applied once. */
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "logfmt.h"
#include "util.h"

/* pg_advisory_lock key that serializes migrations between daemons: "jobwatch" in ASCII. */
#define STORE_MIGRATE_LOCK "7651255011474449256"

static const char STORE_SQL_MIGRATE_LOCK[] = "SELECT pg_advisory_lock(" STORE_MIGRATE_LOCK ")";
static const char STORE_SQL_MIGRATE_UNLOCK[] = "SELECT pg_advisory_unlock(" STORE_MIGRATE_LOCK ")";
/* The one table that must exist before the first migration can be recorded. */
static const char STORE_SQL_MIGRATIONS_TABLE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";
static const char STORE_SQL_MIGRATIONS_DONE[] = "SELECT version FROM schema_migrations";
static const char STORE_SQL_MIGRATION_RECORD[] =
    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1::int, now())";

/* sql/NNN_name.sql: digits, an underscore, ".sql". The number is the version. */
static int store_migration_version(const char *name)
{
	size_t digits = strspn(name, "0123456789");
	size_t len = strlen(name);

	if (digits == 0 || digits > 6 || name[digits] != '_' || len < 5 ||
	    strcmp(name + len - 4, ".sql") != 0)
		return -1;
	return atoi(name);
}

static int store_migration_filter(const struct dirent *d)
{
	return store_migration_version(d->d_name) >= 0;
}

static char *store_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_reserve(&b, 1);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	return buf_steal(&b);
}

/* Apply one migration file in its own transaction and record it. */
static int store_migrate_one(struct store *s, const char *dir, const char *name, int version)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *sql = store_read_file(path);
	char vbuf[16];
	const char *vals[] = {vbuf};
	PGresult *res;
	int rc = -1;

	if (sql == NULL) {
		store_log("reading migration", path, NULL, strerror(errno), NULL, NULL);
		free(path);
		return -1;
	}
	snprintf(vbuf, sizeof(vbuf), "%d", version);
	if (store_simple(s, STORE_SQL_BEGIN, PGRES_COMMAND_OK, "migration begin") < 0)
		goto out;
	res = PQexec(s->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_report_file(s, "migration", path, res);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	res = PQexecParams(s->conn, STORE_SQL_MIGRATION_RECORD, 1, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		store_report(s, "migration record", res);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	rc = store_simple(s, STORE_SQL_COMMIT, PGRES_COMMAND_OK, "migration commit");
out:
	if (rc < 0)
		store_rollback(s);
	free(sql);
	free(path);
	return rc;
}

/* The versions already applied, as a sorted-or-not array the caller frees. */
static int store_migrations_done(struct store *s, int **done, int *ndone)
{
	PGresult *res = PQexec(s->conn, STORE_SQL_MIGRATIONS_DONE);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_report(s, "reading schema_migrations", res);
		PQclear(res);
		return -1;
	}
	*ndone = PQntuples(res);
	*done = xcalloc((size_t)*ndone + 1, sizeof(**done));
	for (int i = 0; i < *ndone; i++)
		(*done)[i] = atoi(PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

static bool store_version_in(const int *done, int ndone, int v)
{
	for (int i = 0; i < ndone; i++)
		if (done[i] == v)
			return true;
	return false;
}

/* Versions in schema_migrations above every file of sql_dir (newest_file, the highest): a
 * newer jobwatchd migrated this database. This one still runs (a fleet upgraded a daemon at a
 * time shares the database for a while, and what a migration adds keeps older writers
 * right: 023's trigger, for one) and says so each time it connects. */
static void store_migrate_newer(const int *done, int ndone, int newest_file, const char *sql_dir)
{
	int newer = 0, newest = newest_file;
	struct buf line = BUF_INIT;

	for (int i = 0; i < ndone; i++)
		if (done[i] > newest_file) {
			newer++;
			newest = done[i] > newest ? done[i] : newest;
		}
	if (newer == 0)
		return;
	buf_printf(&line,
		   "store: the database has %d migration%s newer than this jobwatchd's:"
		   " newest=%d ours=%d",
		   newer, newer == 1 ? "" : "s", newest, newest_file);
	logfmt_pair(&line, "sql_dir", sql_dir);
	logfmt_pair(&line, "hint", "a newer jobwatchd migrated it; upgrade this one");
	log_warn("%s", line.data);
	buf_free(&line);
}

/* Under the advisory lock: the files of dir not yet in schema_migrations, in order. */
static int store_migrate_locked(struct store *s, const char *sql_dir, int *applied)
{
	struct dirent **names = NULL;
	int *done = NULL, ndone = 0, prev = -1, newest = -1, rc = 0;
	int n = scandir(sql_dir, &names, store_migration_filter, alphasort);

	if (n < 0) {
		store_log("reading migrations", sql_dir, NULL, strerror(errno), NULL, NULL);
		return -1;
	}
	if (store_simple(s, STORE_SQL_MIGRATIONS_TABLE, PGRES_COMMAND_OK, "schema_migrations") <
		0 ||
	    store_migrations_done(s, &done, &ndone) < 0)
		rc = -1;
	for (int i = 0; i < n && rc == 0; i++) {
		int v = store_migration_version(names[i]->d_name);

		if (v == prev) {
			store_log("migration", names[i]->d_name, NULL,
				  "another migration has its version", NULL, NULL);
			rc = -1;
		} else if (!store_version_in(done, ndone, v)) {
			rc = store_migrate_one(s, sql_dir, names[i]->d_name, v);
			if (rc == 0)
				(*applied)++;
		}
		prev = v;
		newest = v > newest ? v : newest;
	}
	if (rc == 0 && newest >= 0)
		store_migrate_newer(done, ndone, newest, sql_dir);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(done);
	return rc;
}

enum store_rc store_migrate(struct store *s, const char *sql_dir)
{
	int applied = 0, rc;

	if (!store_connected(s)) {
		store_report(s, "migrate", NULL);
		return -1;
	}
	/* Several daemons may start at once: one migrates, the others wait and find nothing
	 * left to do. The lock is the session's, so it also holds across the per-file
	 * transactions. */
	if (store_simple(s, STORE_SQL_MIGRATE_LOCK, PGRES_TUPLES_OK, "migration lock") < 0)
		return -1;
	rc = store_migrate_locked(s, sql_dir, &applied);
	if (store_connected(s) &&
	    store_simple(s, STORE_SQL_MIGRATE_UNLOCK, PGRES_TUPLES_OK, "migration unlock") < 0)
		rc = -1;
	if (applied > 0 && store_connected(s)) {
		/* the statements are prepared again against the new schema on their next use */
		PQclear(PQexec(s->conn, STORE_SQL_DEALLOCATE));
		memset(s->prepared, 0, sizeof(s->prepared));
	}
	return rc;
}
