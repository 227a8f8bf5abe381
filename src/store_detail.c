/* store_detail.c - detail reads: which postings' details are due (picked so that no two
 * daemons read one), what was read or failed applied in one transaction, and the new
 * postings' alerts that waited for their pay. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "logfmt.h"
#include "util.h"

/* The open postings of source $1 whose detail is due, $2 at most: new postings whose alert
 * waits first, then rows that changed since their detail was read, then those never read (a
 * first poll's backlog), then those read longer ago than $3 seconds (each posting a little
 * earlier or later, so that a board read in one go is not read again in one go). Postings
 * another daemon is reading are skipped, and those taken are held for $4 seconds
 * (detail_retry_at), so that no two daemons read one detail. */
const char STORE_SQL_DETAIL_PICK[] =
    "WITH c AS ("
    " SELECT p.id FROM postings p"
    " WHERE p.source_id = $1::bigint AND p.closed_at IS NULL AND p.detail_ref IS NOT NULL"
    "  AND (p.detail_retry_at IS NULL OR p.detail_retry_at <= now())"
    "  AND (p.detail_read_at IS NULL OR p.detail_wanted"
    "   OR p.detail_read_at < now() - make_interval(secs => $3::int * (0.75 + (p.id % 64) / "
    "128.0)))"
    " ORDER BY CASE WHEN p.detail_read_at IS NULL AND EXISTS (SELECT 1 FROM events e"
    "    WHERE e.posting_id = p.id AND e.alert_pending) THEN 0"
    "   WHEN p.detail_wanted THEN 1 WHEN p.detail_read_at IS NULL THEN 2 ELSE 3 END,"
    "  p.detail_failures, p.id"
    " LIMIT $2::int FOR UPDATE OF p SKIP LOCKED"
    ")"
    " UPDATE postings p SET detail_retry_at = now() + make_interval(secs => $4::int)"
    " FROM c WHERE p.id = c.id"
    " RETURNING p.external_id, p.detail_ref";

/* The events of a detail read with each posting as it now is: the columns
 * store_event_read takes. */
#define STORE_DETAIL_EVENT_COLS                                                                    \
	"x.kind, x.old_value, x.new_value, d.external_id, d.title, d.department, d.location,"      \
	" d.url, d.pay_min::float8, d.pay_max::float8, d.pay_currency, d.pay_period,"              \
	" d.pay_source"

/* The details read, staged like a snapshot ($1 source): each posting takes the detail's
 * description digest and pay, and the department and location where it has none. Its pay is
 * known from now on: a change between two read values is a pay_changed event, unknown to
 * known is none. Every change is a version; a "new" event waiting for this detail is let go.
 * Returns those events. */
const char STORE_SQL_DETAIL_APPLY[] =
    "WITH pl AS (SELECT max(id) AS id FROM polls WHERE source_id = $1::bigint"
    "), upd AS ("
    " UPDATE postings p SET department = coalesce(p.department, s.department),"
    "  location = coalesce(p.location, s.location), pay_min = s.pay_min,"
    "  pay_max = s.pay_max, pay_currency = s.pay_currency, pay_period = s.pay_period,"
    "  pay_period_inferred = s.pay_period_inferred, pay_text = s.pay_text,"
    "  pay_source = s.pay_source, pay_ranges_text = s.pay_ranges_text,"
    "  pay_min_yearly = pay_yearly(s.pay_min, s.pay_period),"
    "  pay_max_yearly = pay_yearly(s.pay_max, s.pay_period), digest = s.digest,"
    "  pay_known = true, detail_read_at = now(), detail_wanted = false, detail_error = NULL,"
    "  detail_failures = 0, detail_retry_at = NULL"
    " FROM jobwatch_stage s, postings o"
    " WHERE p.source_id = $1::bigint AND p.external_id = s.external_id AND o.id = p.id"
    " RETURNING p.id, p.external_id, p.title, p.department, p.location, p.url, p.pay_min,"
    "  p.pay_max, p.pay_currency, p.pay_period, p.pay_text, p.pay_source, p.pay_ranges_text,"
    "  p.digest, o.pay_known AS old_pay_known, o.department AS old_department,"
    "  o.location AS old_location, o.pay_min AS old_pay_min, o.pay_max AS old_pay_max,"
    "  o.pay_currency AS old_pay_currency, o.pay_period AS old_pay_period,"
    "  o.pay_text AS old_pay_text, o.pay_ranges_text AS old_pay_ranges_text,"
    "  o.digest AS old_digest"
    "), d AS ("
    " SELECT u.*, (u.old_pay_min, u.old_pay_max, u.old_pay_currency, u.old_pay_period,"
    "   u.old_pay_ranges_text) IS DISTINCT FROM"
    "   (u.pay_min, u.pay_max, u.pay_currency, u.pay_period, u.pay_ranges_text) AS pay_diff,"
    "  (u.old_department, u.old_location, u.old_pay_min, u.old_pay_max, u.old_pay_currency,"
    "   u.old_pay_period, u.old_pay_text, u.old_pay_ranges_text, u.old_digest)"
    "   IS DISTINCT FROM (u.department, u.location, u.pay_min, u.pay_max, u.pay_currency,"
    "   u.pay_period, u.pay_text, u.pay_ranges_text, u.digest) AS changed"
    " FROM upd u"
    "), ver AS (" STORE_VERSION_INSERT
    " SELECT d.id, now(), pl.id, d.title, d.department, d.location, d.url, d.pay_min,"
    "  d.pay_max, d.pay_currency, d.pay_period, d.pay_text, d.pay_ranges_text, d.digest"
    " FROM d, pl WHERE d.changed"
    "), rdel AS ("
    " DELETE FROM pay_ranges r USING d WHERE d.pay_diff AND r.posting_id = d.id"
    "), rins AS (" STORE_RANGES_INSERT " SELECT d.id," STORE_RANGES_OF_R
    " FROM d JOIN jobwatch_stage_ranges r ON r.external_id = d.external_id WHERE d.pay_diff"
    "), ev AS ("
    " INSERT INTO events (at, source_id, posting_id, poll_id, kind, old_value, new_value,"
    "  baseline)"
    " SELECT now(), $1::bigint, d.id, pl.id, 'pay_changed',"
    "  coalesce(d.old_pay_ranges_text, ''), coalesce(d.pay_ranges_text, ''), false"
    " FROM d, pl WHERE d.pay_diff AND d.old_pay_known ORDER BY d.id"
    " RETURNING id, posting_id, kind, old_value, new_value"
    "), rel AS ("
    " UPDATE events e SET alert_pending = false FROM d"
    " WHERE e.posting_id = d.id AND e.alert_pending"
    " RETURNING e.id, e.posting_id, e.kind, e.old_value, e.new_value"
    ")"
    " SELECT " STORE_DETAIL_EVENT_COLS
    " FROM (SELECT * FROM rel UNION ALL SELECT * FROM ev) x JOIN d ON d.id = x.posting_id"
    " ORDER BY x.id";

/* Details not read ($1 source; $2 external ids, $3 errors (NULL: not tried), $4 seconds
 * until the next try, $5 whether the posting's waiting "new" alert goes now without its pay).
 * Returns the events let go. */
const char STORE_SQL_DETAIL_FAIL[] =
    "WITH f AS ("
    " SELECT * FROM unnest($2::text[], $3::text[], $4::int[], $5::boolean[])"
    "  AS f(xid, err, retry, release)"
    "), d AS ("
    " UPDATE postings p SET detail_error = coalesce(f.err, p.detail_error),"
    "  detail_failures = p.detail_failures + (f.err IS NOT NULL)::int,"
    "  detail_retry_at = now() + make_interval(secs => f.retry)"
    " FROM f WHERE p.source_id = $1::bigint AND p.external_id = f.xid"
    " RETURNING p.id, f.release, p.external_id, p.title, p.department, p.location, p.url,"
    "  p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_source"
    "), x AS ("
    " UPDATE events e SET alert_pending = false FROM d"
    " WHERE d.release AND e.posting_id = d.id AND e.alert_pending"
    " RETURNING e.id, e.posting_id, e.kind, e.old_value, e.new_value"
    ")"
    " SELECT " STORE_DETAIL_EVENT_COLS " FROM x JOIN d ON d.id = x.posting_id ORDER BY x.id";

/* The "new" events of source $1 that waited alert_wait for a detail: let go as they are. */
const char STORE_SQL_ALERTS_DUE[] =
    "WITH x AS ("
    " UPDATE events e SET alert_pending = false"
    " WHERE e.source_id = $1::bigint AND e.alert_pending AND e.alert_due <= now()"
    " RETURNING e.id, e.posting_id, e.kind, e.old_value, e.new_value"
    ")"
    " SELECT " STORE_DETAIL_EVENT_COLS " FROM x JOIN postings d ON d.id = x.posting_id"
    " ORDER BY x.id";

enum store_rc store_detail_pick(struct store *s, int64_t source_id, int max, int refresh_s,
				int hold_s, struct store_detail_todo **out, size_t *n)
{
	char src[24], lim[16], ref[16], hold[16];
	const char *v[] = {src, lim, ref, hold};
	PGresult *res;

	*out = NULL;
	*n = 0;
	if (max <= 0)
		return 0;
	if (store_prepare(s) < 0)
		return -1;
	snprintf(src, sizeof(src), "%lld", (long long)source_id);
	snprintf(lim, sizeof(lim), "%d", max);
	snprintf(ref, sizeof(ref), "%d", refresh_s);
	snprintf(hold, sizeof(hold), "%d", hold_s);
	if ((res = store_run(s, STORE_STMT_DETAIL_PICK, 4, v, PGRES_TUPLES_OK)) == NULL)
		return -1;
	int rows = PQntuples(res);
	if (rows > 0) {
		*out = xcalloc((size_t)rows, sizeof(**out));
		for (int i = 0; i < rows; i++) {
			(*out)[i].external_id = store_value(res, i, 0);
			(*out)[i].detail_ref = store_value(res, i, 1);
		}
	}
	*n = (size_t)rows;
	PQclear(res);
	return 0;
}

void store_detail_todo_free(struct store_detail_todo *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].external_id);
		free(t[i].detail_ref);
	}
	free(t);
}

/* The events a detail statement returned, added to ev. */
static void store_events_append(struct events *ev, const PGresult *res)
{
	int n = PQntuples(res);

	if (n == 0)
		return;
	ev->items = xreallocarray(ev->items, ev->len + (size_t)n, sizeof(*ev->items));
	for (int i = 0; i < n; i++)
		store_event_read(&ev->items[ev->len++], res, i);
}

/* The failures as DETAIL_FAIL's array parameters, written into v[1..4]. */
static void store_fail_arrays(const struct store_detail_fail *f, size_t n, struct buf *b,
			      const char **v)
{
	for (int k = 0; k < 4; k++) {
		buf_reset(&b[k]);
		buf_putc(&b[k], '{');
	}
	for (size_t i = 0; i < n; i++) {
		const char *sep = i ? "," : "";
		char *id = store_clean(f[i].external_id, STORE_MAX_URL);
		char *err = store_clean(f[i].error, STORE_MAX_ERROR);
		buf_puts(&b[0], sep);
		store_put_array_text(&b[0], id);
		buf_puts(&b[1], sep);
		store_put_array_text(&b[1], err);
		buf_printf(&b[2], "%s%d", sep, f[i].retry_s > 0 ? f[i].retry_s : 0);
		buf_printf(&b[3], "%s%s", sep, f[i].release ? "t" : "f");
		free(id);
		free(err);
	}
	for (int k = 0; k < 4; k++) {
		buf_putc(&b[k], '}');
		v[k + 1] = b[k].data;
	}
}

enum store_rc store_detail_apply(struct store *s, int64_t source_id,
				 const struct posting_list *read,
				 const struct store_detail_fail *fails, size_t nfails,
				 struct events *ev)
{
	char src[24];
	const char *v[5] = {src};
	struct buf arr[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	PGresult *res;
	size_t sent = 0;
	int rc = -1;

	events_clear(ev);
	if (store_prepare(s) < 0 || store_stage_ready(s, false) < 0)
		return -1;
	snprintf(src, sizeof(src), "%lld", (long long)source_id);
	if (store_simple(s, STORE_SQL_BEGIN, PGRES_COMMAND_OK, "begin") < 0)
		return -1;
	if (read && read->len > 0) {
		s->stage_dead += read->len;
		if (store_copy(s, read, NULL, &sent, &sent) < 0)
			goto out;
		if ((res = store_run(s, STORE_STMT_DETAIL_APPLY, 1, v, PGRES_TUPLES_OK)) == NULL)
			goto out;
		store_events_append(ev, res);
		PQclear(res);
		if ((res = store_run(s, STORE_STMT_STAGE_CLEAR, 0, NULL, PGRES_COMMAND_OK)) == NULL)
			goto out;
		PQclear(res);
	}
	if (nfails > 0) {
		store_fail_arrays(fails, nfails, arr, v);
		if ((res = store_run(s, STORE_STMT_DETAIL_FAIL, 5, v, PGRES_TUPLES_OK)) == NULL)
			goto out;
		store_events_append(ev, res);
		PQclear(res);
	}
	rc = store_simple(s, STORE_SQL_COMMIT, PGRES_COMMAND_OK, "commit");
out:
	for (int k = 0; k < 4; k++)
		buf_free(&arr[k]);
	if (rc < 0) {
		store_rollback(s);
		events_clear(ev);
	}
	return rc;
}

enum store_rc store_alerts_due(struct store *s, int64_t source_id, struct events *ev)
{
	char src[24];
	const char *v[] = {src};
	PGresult *res;

	events_clear(ev);
	if (store_prepare(s) < 0)
		return -1;
	snprintf(src, sizeof(src), "%lld", (long long)source_id);
	if ((res = store_run(s, STORE_STMT_ALERTS_DUE, 1, v, PGRES_TUPLES_OK)) == NULL)
		return -1;
	store_events_append(ev, res);
	PQclear(res);
	return 0;
}
