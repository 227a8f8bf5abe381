/* config.c - libconfig checks the syntax; this file turns the result into a plain struct config
 * that owns copies of every string. Every key is a row of a table (name, type, default, bounds,
 * help); unknown keys are errors, and every error reads "FILE:LINE: message". All errors of a
 * file are reported in one run. Nothing else in jobwatch includes libconfig.h. */
#include "config.h"

#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <syslog.h>

#include "alert.h"
#include "buf.h"
#include "detect.h"
#include "event.h"
#include "log.h"
#include "source.h"
#include "util.h"

#define CONFIG_USER_AGENT_DEFAULT                                                                  \
	"jobwatch/" JOBWATCH_VERSION " (job-posting tracker; set poll.user_agent to add a "        \
	"contact)"

enum key_type {
	KEY_INT,
	KEY_FLOAT,
	KEY_STRING,
	KEY_FACILITY,
	KEY_PRIORITY,
	KEY_DURATION,
	KEY_JOURNAL
};

#define CONFIG_DAY 86400

struct key {
	const char *section;
	const char *name;
	enum key_type type;
	size_t offset; /* into struct config */
	const char *def;
	double min, max;
	const char *help;
};

#define OFF(f) offsetof(struct config, f)

/* Keys of the scalar sections. The example config documents every one of them. */
static const struct key keys[] = {
    {"database", "conninfo", KEY_STRING, OFF(conninfo), NULL, 0, 0, "libpq connection string"},
    {"poll", "interval", KEY_INT, OFF(interval), "3600", 1, 604800, "seconds between polls"},
    {"poll", "jitter", KEY_FLOAT, OFF(jitter), "0.1", 0, 0.5, "fraction of interval"},
    {"poll", "concurrency", KEY_INT, OFF(concurrency), "16", 1, 1024, "transfers at once"},
    {"poll", "per_host", KEY_INT, OFF(per_host), "2", 1, 64, "transfers at once per host"},
    {"poll", "timeout", KEY_INT, OFF(timeout), "30", 1, 3600, "seconds per transfer"},
    {"poll", "max_body", KEY_INT, OFF(max_body), "67108864", 1024, 1073741824, "bytes"},
    {"poll", "close_after", KEY_INT, OFF(close_after), "2", 1, 1000, "missed polls"},
    {"poll", "max_drop", KEY_FLOAT, OFF(max_drop), "0.5", 0, 1, "fraction of open postings"},
    {"poll", "max_pages", KEY_INT, OFF(max_pages), "200", 1, 100000, "pages per poll"},
    {"poll", "page_gap", KEY_INT, OFF(page_gap), "250", 0, 60000, "milliseconds between pages"},
    {"poll", "max_details", KEY_INT, OFF(max_details), "100", 0, 100000,
     "detail reads per source per poll"},
    {"poll", "detail_refresh", KEY_DURATION, OFF(detail_refresh), "7d", 3600, 365 * CONFIG_DAY,
     "seconds or \"7d\": a detail read is read again after about this long"},
    {"poll", "alert_wait", KEY_DURATION, OFF(alert_wait), "0", 0, 30 * CONFIG_DAY,
     "seconds or \"1h\" a new posting's alert waits for its detail; 0: one interval"},
    {"poll", "lease", KEY_INT, OFF(lease), "120", 3, 86400, "seconds a daemon's claim lasts"},
    {"poll", "user_agent", KEY_STRING, OFF(user_agent), CONFIG_USER_AGENT_DEFAULT, 0, 0, "text"},
    {"poll", "fail_after", KEY_INT, OFF(fail_after), "3", 1, 1000, "failed polls in a row"},
    {"poll", "stale_after", KEY_DURATION, OFF(stale_after), "0", 0, 365 * CONFIG_DAY,
     "seconds or \"36h\", \"7d\"; 0: three intervals of the source"},
    {"poll", "polls_retention", KEY_DURATION, OFF(polls_retention), "90d", 0, 3650 * CONFIG_DAY,
     "seconds or \"90d\"; 0: keep for ever"},
    {"log", "facility", KEY_FACILITY, OFF(facility), "daemon", 0, 0, "daemon, user, local0-7"},
    {"log", "alert_priority", KEY_PRIORITY, OFF(alert_priority), "notice", 0, 0, "emerg … debug"},
    {"log", "socket", KEY_STRING, OFF(log_socket), NULL, 0, 0, "unix datagram socket path"},
    {"log", "journal", KEY_JOURNAL, OFF(journal), "auto", 0, 0, "auto, yes, no"},
};

static const char *const top_keys[] = {"database", "poll", "log", "sources", "alerts"};
/* The keys every source may have; the adapters declare those only their type reads. */
static const char *const source_keys[] = {"name",	"type",	       "url",
					  "board",	"enabled",     "interval",
					  "fail_after", "stale_after", "max_details"};
static const char *const alert_keys[] = {"name",       "events",  "match",
					 "department", "min_pay", "sources"};

struct loader {
	const char *path;
	FILE *errs;
	int nerr;
	char **lines; /* the file's text by line, to catch libconfig's silent int wrap */
	size_t nlines;
};

static void cfg_error(struct loader *ld, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void cfg_error(struct loader *ld, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	fprintf(ld->errs, "%s:%d: ", ld->path, s ? (int)config_setting_source_line(s) : 0);
	va_start(ap, fmt);
	vfprintf(ld->errs, fmt, ap);
	va_end(ap);
	fputc('\n', ld->errs);
	ld->nerr++;
}

/* A string with a control character is refused where it is read: a CR LF in user_agent went
 * out on the wire as a header of its own, and one in a url failed every poll. */
static bool string_clean(struct loader *ld, const config_setting_t *s, const char *label,
			 const char *v)
{
	for (size_t i = 0; v[i]; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			cfg_error(ld, s,
				  "%s holds a control character (0x%02x at byte %zu): not allowed",
				  label, (unsigned char)v[i], i + 1);
			return false;
		}
	return true;
}

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* Every member of group s must be one of allowed. */
static void check_members(struct loader *ld, const config_setting_t *s, const char *what,
			  const char *const *allowed, size_t n)
{
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
		const char *name = config_setting_name(m);
		if (name && !in_list(name, allowed, n)) {
			struct buf b = BUF_INIT;
			for (size_t k = 0; k < n; k++)
				buf_printf(&b, "%s%s", k ? ", " : "", allowed[k]);
			cfg_error(ld, m, "unknown key '%s' in %s (allowed: %s)", name, what,
				  b.data);
			buf_free(&b);
		}
	}
}

static void load_lines(struct loader *ld)
{
	FILE *f = fopen(ld->path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (f == NULL)
		return;
	while (getline(&line, &cap, f) >= 0) {
		ld->lines = xreallocarray(ld->lines, ld->nlines + 1, sizeof(*ld->lines));
		ld->lines[ld->nlines++] = xstrdup(line);
	}
	free(line);
	fclose(f);
}

/* libconfig 1.5 wraps an integer above 2^31 written without "L" silently; read the digits of
 * the setting's own line back and refuse a value that does not match them. */
static bool int_text_matches(struct loader *ld, const config_setting_t *s, long long v)
{
	unsigned line = config_setting_source_line(s);
	const char *name = config_setting_name(s);

	if (name == NULL || line == 0 || line > ld->nlines)
		return true;
	const char *p = strstr(ld->lines[line - 1], name);
	if (p == NULL || (p = strpbrk(p + strlen(name), "=:")) == NULL)
		return true;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return true;
	char *end;
	long long written = strtoll(p, &end, 10);
	return end == p || written == v;
}

static bool get_number(struct loader *ld, const config_setting_t *s, const char *name, bool integer,
		       double *out)
{
	int t = config_setting_type(s);

	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
		long long v = config_setting_get_int64(s);
		if (!int_text_matches(ld, s, v)) {
			cfg_error(ld, s, "%s: number too large", name);
			return false;
		}
		*out = (double)v;
		return true;
	}
	if (t == CONFIG_TYPE_FLOAT && !integer) {
		*out = config_setting_get_float(s);
		return true;
	}
	cfg_error(ld, s, "%s must be %s", name, integer ? "an integer" : "a number");
	return false;
}

/* "90d", "36h", "15m", "30s", "2w" or bare digits (seconds) into *secs; false when not one. */
static bool duration_parse(const char *s, double *secs)
{
	static const struct {
		char unit;
		double secs;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', CONFIG_DAY}, {'w', 7 * CONFIG_DAY}};
	char *end;
	double v;

	if (*s < '0' || *s > '9')
		return false;
	v = strtod(s, &end);
	if (!isfinite(v))
		return false;
	if (*end == '\0') {
		*secs = v;
		return true;
	}
	for (size_t i = 0; i < UTIL_ARRAY_LEN(units); i++)
		if (end[0] == units[i].unit && end[1] == '\0') {
			*secs = v * units[i].secs;
			return true;
		}
	return false;
}

/* A duration: an integer of seconds or a string such as "90d". */
static bool get_duration(struct loader *ld, const config_setting_t *s, const char *label,
			 const char *help, double *out)
{
	const char *str;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return get_number(ld, s, label, true, out);
	str = config_setting_get_string(s);
	if (!duration_parse(str, out)) {
		cfg_error(ld, s, "%s '%s' is not a duration (%s)", label, str, help);
		return false;
	}
	return true;
}

static void set_scalar(struct config *c, const struct key *k, const char *sval, double nval)
{
	char *base = (char *)c + k->offset;

	switch (k->type) {
	case KEY_INT:
		if (k->offset == OFF(max_body))
			*(long *)base = (long)nval;
		else
			*(int *)base = (int)nval;
		break;
	case KEY_FLOAT:
		*(double *)base = nval;
		break;
	case KEY_STRING:
		free(*(char **)base);
		*(char **)base = xstrdup(sval);
		break;
	case KEY_FACILITY:
		*(int *)base = log_facility_parse(sval);
		break;
	case KEY_PRIORITY:
		*(int *)base = log_priority_parse(sval);
		break;
	case KEY_DURATION:
		if (sval != NULL)
			(void)duration_parse(sval, &nval);
		*(int *)base = (int)nval;
		break;
	case KEY_JOURNAL:
		*(int *)base = log_journal_parse(sval);
		break;
	}
}

static void load_key(struct loader *ld, struct config *c, const struct key *k,
		     const config_setting_t *s)
{
	const char *str;
	double v;

	if (k->type == KEY_DURATION) {
		char label[64];
		snprintf(label, sizeof(label), "%s.%s", k->section, k->name);
		if (!get_duration(ld, s, label, k->help, &v))
			return;
		if (v < k->min || v > k->max) {
			cfg_error(ld, s, "%s.%s = %.0f s is out of range (%.0f to %.0f days)",
				  k->section, k->name, v, k->min, k->max / CONFIG_DAY);
			return;
		}
		set_scalar(c, k, NULL, v);
		return;
	}
	if (k->type == KEY_INT || k->type == KEY_FLOAT) {
		if (!get_number(ld, s, k->name, k->type == KEY_INT, &v))
			return;
		if (v < k->min || v > k->max) {
			cfg_error(ld, s, "%s.%s = %g is out of range (%g to %g, %s)", k->section,
				  k->name, v, k->min, k->max, k->help);
			return;
		}
		set_scalar(c, k, NULL, v);
		return;
	}
	if ((str = config_setting_get_string(s)) == NULL) {
		cfg_error(ld, s, "%s.%s must be a string (%s)", k->section, k->name, k->help);
		return;
	}
	char label[64];
	snprintf(label, sizeof(label), "%s.%s", k->section, k->name);
	if (!string_clean(ld, s, label, str))
		return;
	if (k->offset == OFF(log_socket) &&
	    strlen(str) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		/* too long for connect(2): every line would have been dropped, silently */
		cfg_error(ld, s,
			  "log.socket is %zu bytes long: a unix socket path holds at most %zu",
			  strlen(str), sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
		return;
	}
	if (k->type == KEY_FACILITY && log_facility_parse(str) < 0) {
		cfg_error(ld, s, "log.facility '%s' is unknown (%s)", str, k->help);
		return;
	}
	if (k->type == KEY_JOURNAL && log_journal_parse(str) < 0) {
		cfg_error(ld, s, "log.journal '%s' is unknown (%s)", str, k->help);
		return;
	}
	if (k->type == KEY_PRIORITY && log_priority_parse(str) < 0) {
		cfg_error(ld, s,
			  "log.alert_priority '%s' is unknown (emerg, alert, crit, err, "
			  "warning, notice, info, debug)",
			  str);
		return;
	}
	set_scalar(c, k, str, 0);
}

static void load_defaults(struct config *c)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++)
		if (keys[i].def)
			set_scalar(c, &keys[i], keys[i].def, atof(keys[i].def));
}

static void load_sections(struct loader *ld, struct config *c, const config_setting_t *root)
{
	static const char *const sections[] = {"database", "poll", "log"};

	for (size_t si = 0; si < UTIL_ARRAY_LEN(sections); si++) {
		const config_setting_t *sec = config_setting_get_member(root, sections[si]);
		const char *allowed[UTIL_ARRAY_LEN(keys)];
		size_t n = 0;

		if (sec == NULL)
			continue;
		if (!config_setting_is_group(sec)) {
			cfg_error(ld, sec, "%s must be a group: %s = { … };", sections[si],
				  sections[si]);
			continue;
		}
		for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++)
			if (strcmp(keys[i].section, sections[si]) == 0)
				allowed[n++] = keys[i].name;
		check_members(ld, sec, sections[si], allowed, n);
		for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++) {
			const config_setting_t *s;
			if (strcmp(keys[i].section, sections[si]) != 0)
				continue;
			if ((s = config_setting_get_member(sec, keys[i].name)) != NULL)
				load_key(ld, c, &keys[i], s);
		}
	}
}

/* A string member of group g, copied; NULL when absent; an error when of another type. */
static char *member_string(struct loader *ld, const config_setting_t *g, const char *name,
			   const char *what)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	const char *v;

	if (s == NULL)
		return NULL;
	if ((v = config_setting_get_string(s)) == NULL) {
		cfg_error(ld, s, "%s: %s must be a string", what, name);
		return NULL;
	}
	char label[256];
	snprintf(label, sizeof(label), "%s: %s", what, name);
	if (!string_clean(ld, s, label, v))
		return NULL;
	return xstrdup(v);
}

/* The keys of a source: those of every type, then those some adapters declare. */
static const char *const *source_keys_all(size_t *n)
{
	static const char *all[UTIL_ARRAY_LEN(source_keys) + 64];
	static size_t count;

	if (count == 0) {
		const char *const *names = source_key_names();
		for (size_t i = 0; i < UTIL_ARRAY_LEN(source_keys); i++)
			all[count++] = source_keys[i];
		for (size_t i = 0; names[i] && count < UTIL_ARRAY_LEN(all); i++)
			all[count++] = names[i];
	}
	*n = count;
	return all;
}

/* Where key k of a source's type keeps its value. */
static void *type_key_field(struct config_source *src, const struct source_key *k)
{
	return (char *)&src->type_keys + k->offset;
}

/* "type t" or "types t, u": the types whose adapters declare key name, for messages. */
static void key_readers(struct buf *b, const char *name)
{
	const char *const *types = source_types();
	size_t n = 0;

	for (size_t i = 0; types[i]; i++)
		n += source_adapter_key(source_adapter_find(types[i]), name) != NULL;
	buf_printf(b, "type%s", n > 1 ? "s" : "");
	n = 0;
	for (size_t i = 0; types[i]; i++)
		if (source_adapter_key(source_adapter_find(types[i]), name))
			buf_printf(b, "%s%s", n++ ? ", " : " ", types[i]);
}

/* The keys only some types read, each declared by its adapter: checked and kept for a type
 * that reads them, refused for the others (a key that nothing reads would hide a typo in the
 * type). */
static void load_type_keys(struct loader *ld, const config_setting_t *g, struct config_source *src,
			   const char *what)
{
	const struct source_adapter *a = source_adapter_find(src->type);
	const char *const *names = source_key_names();
	const config_setting_t *s;
	char err[256];

	for (size_t i = 0; names[i]; i++) {
		if ((s = config_setting_get_member(g, names[i])) == NULL)
			continue;
		const struct source_key *k = source_adapter_key(a, names[i]);
		if (k == NULL) {
			struct buf b = BUF_INIT;
			key_readers(&b, names[i]);
			cfg_error(ld, s, "%s: %s is read only by %s", what, names[i], b.data);
			buf_free(&b);
			continue;
		}
		if (k->kind == SOURCE_KEY_BOOL) {
			if (config_setting_type(s) != CONFIG_TYPE_BOOL)
				cfg_error(ld, s, "%s: %s must be true or false", what, k->name);
			else
				*(bool *)type_key_field(src, k) = config_setting_get_bool(s);
			continue;
		}
		char *v = member_string(ld, g, k->name, what);
		if (v && k->check && !k->check(v, err, sizeof(err))) {
			cfg_error(ld, s, "%s: %s %s '%s' %s", what, k->name, k->what, v, err);
			free(v);
			v = NULL;
		}
		*(const char **)type_key_field(src, k) = v;
	}
	for (const struct source_key *k = a ? a->keys : NULL; k && k->name; k++)
		if (k->needs && config_setting_get_member(g, k->name) == NULL)
			cfg_error(ld, g, "%s: type %s needs %s, %s", what, src->type, k->name,
				  k->needs);
}

static void load_source(struct loader *ld, struct config *c, const config_setting_t *g,
			struct config_source *src)
{
	const config_setting_t *s;
	char what[160];

	src->line = (int)config_setting_source_line(g);
	src->enabled = true;
	src->interval = c->interval;
	src->fail_after = c->fail_after;
	src->stale_after = c->stale_after;
	src->max_details = c->max_details;
	size_t nkeys;
	const char *const *all = source_keys_all(&nkeys);
	check_members(ld, g, "a source", all, nkeys);
	src->name = member_string(ld, g, "name", "source");
	snprintf(what, sizeof(what), "source '%s'", src->name ? src->name : "?");
	if (src->name == NULL || *src->name == '\0')
		cfg_error(ld, g, "a source needs a name");
	src->type = member_string(ld, g, "type", what);
	src->url = member_string(ld, g, "url", what);
	src->board = member_string(ld, g, "board", what);
	if ((s = config_setting_get_member(g, "enabled")) != NULL) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			cfg_error(ld, s, "%s: enabled must be true or false", what);
		else
			src->enabled = config_setting_get_bool(s);
	}
	if ((s = config_setting_get_member(g, "interval")) != NULL) {
		double v;
		if (get_number(ld, s, "interval", true, &v)) {
			if (v < 1 || v > 604800)
				cfg_error(ld, s, "%s: interval %g is out of range (1 to 604800 s)",
					  what, v);
			else
				src->interval = (int)v;
		}
	}
	if ((s = config_setting_get_member(g, "fail_after")) != NULL) {
		double v;
		if (get_number(ld, s, "fail_after", true, &v)) {
			if (v < 1 || v > 1000)
				cfg_error(ld, s, "%s: fail_after %g is out of range (1 to 1000)",
					  what, v);
			else
				src->fail_after = (int)v;
		}
	}
	if ((s = config_setting_get_member(g, "stale_after")) != NULL) {
		double v;
		char label[192];
		snprintf(label, sizeof(label), "%s: stale_after", what);
		if (get_duration(ld, s, label, "seconds or \"7d\"", &v)) {
			if (v < 0 || v > 365 * CONFIG_DAY)
				cfg_error(ld, s, "%s: stale_after %g s is out of range (0 to 365d)",
					  what, v);
			else
				src->stale_after = (int)v;
		}
	}
	if ((s = config_setting_get_member(g, "max_details")) != NULL) {
		double v;
		if (get_number(ld, s, "max_details", true, &v)) {
			if (v < 0 || v > 100000)
				cfg_error(
				    ld, s,
				    "%s: max_details %g is out of range (0 to 100000; 0 reads "
				    "no detail)",
				    what, v);
			else
				src->max_details = (int)v;
		}
	}
	/* 0: three of the source's own intervals */
	if (src->stale_after == 0)
		src->stale_after = 3 * src->interval;
	if (src->type == NULL) /* auto: the url says it, or the page does at the first poll */
		src->type = xstrdup(SOURCE_TYPE_AUTO);
	if (strcmp(src->type, SOURCE_TYPE_AUTO) == 0 && src->url) {
		char *api_url = NULL;
		const char *t = detect_url(src->url, &api_url);
		if (t && source_adapter_find(t) == NULL) {
			cfg_error(ld, g,
				  "%s: the url is a %s board, but this build has no %s adapter",
				  what, t, t);
			free(api_url);
			return;
		}
		if (t) {
			free(src->type);
			src->type = xstrdup(t);
			free(src->url);
			src->url = api_url;
		}
	}
	if (strcmp(src->type, SOURCE_TYPE_AUTO) != 0 && source_adapter_find(src->type) == NULL) {
		cfg_error(ld, config_setting_get_member(g, "type"),
			  "%s: unknown type '%s' (types: " SOURCE_TYPE_AUTO ", %s)", what,
			  src->type, source_type_list());
		return;
	}
	load_type_keys(ld, g, src, what);
	if (src->url && src->board) {
		cfg_error(ld, g, "%s: give url or board, not both", what);
	} else if (src->board) {
		src->url = source_board_url(src->type, src->board);
		if (src->url == NULL)
			cfg_error(ld, config_setting_get_member(g, "board"),
				  "%s: type %s takes a url, not a board", what, src->type);
	} else if (src->url == NULL) {
		/* one given but refused (not a string, a control character) was told already */
		if (config_setting_get_member(g, "url") == NULL &&
		    config_setting_get_member(g, "board") == NULL)
			cfg_error(ld, g, "%s: url (or board) is missing", what);
	} else if (strncmp(src->url, "http://", 7) != 0 && strncmp(src->url, "https://", 8) != 0) {
		cfg_error(ld, config_setting_get_member(g, "url"),
			  "%s: url must start with http:// or https://", what);
	}
}

/* The source a name was first given to: an open-addressed table of indexes into sources,
 * slots twice as many as sources (a power of two), so that a list of thousands of sources is
 * checked for repeats in one pass instead of comparing every pair. */
struct name_index {
	size_t *slot; /* index + 1; 0 is empty */
	size_t mask;
};

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The index of the source named like sources[i] before it, or i after remembering it. */
static size_t name_index_put(struct name_index *ix, const struct config_source *sources, size_t i)
{
	size_t k = name_hash(sources[i].name) & ix->mask;

	for (; ix->slot[k]; k = (k + 1) & ix->mask)
		if (strcmp(sources[ix->slot[k] - 1].name, sources[i].name) == 0)
			return ix->slot[k] - 1;
	ix->slot[k] = i + 1;
	return i;
}

static void load_sources(struct loader *ld, struct config *c, const config_setting_t *root)
{
	const config_setting_t *list = config_setting_get_member(root, "sources");

	if (list == NULL)
		return;
	if (!config_setting_is_list(list) && !config_setting_is_array(list)) {
		cfg_error(ld, list, "sources must be a list: sources = ( { … }, … );");
		return;
	}
	c->nsources = (size_t)config_setting_length(list);
	c->sources = xcalloc(c->nsources, sizeof(*c->sources));
	struct name_index ix = {.mask = 1};
	while (ix.mask + 1 < 2 * c->nsources)
		ix.mask = 2 * ix.mask + 1;
	ix.slot = xcalloc(ix.mask + 1, sizeof(*ix.slot));
	for (size_t i = 0; i < c->nsources; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		if (!config_setting_is_group(g)) {
			cfg_error(ld, g, "each source must be a group { name = …; … }");
			continue;
		}
		load_source(ld, c, g, &c->sources[i]);
		if (c->sources[i].name == NULL)
			continue;
		size_t first = name_index_put(&ix, c->sources, i);
		if (first != i)
			cfg_error(ld, g, "source name '%s' is used twice (first on line %d)",
				  c->sources[i].name, c->sources[first].line);
	}
	free(ix.slot);
}

static void load_alert_events(struct loader *ld, const config_setting_t *s, struct config_alert *a,
			      const char *what)
{
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		cfg_error(ld, s, "%s: events must be an array of event kinds", what);
		return;
	}
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *name = config_setting_get_string(e);
		int k = name ? event_kind_parse(name) : -1;
		if (k < 0) {
			cfg_error(
			    ld, e,
			    "%s: unknown event kind '%s' (new, closed, reopened, "
			    "title_changed, location_changed, department_changed, pay_changed, "
			    "source_failing, source_recovered, source_stale)",
			    what, name ? name : "?");
			continue;
		}
		a->events |= 1u << k;
	}
}

static void load_alert_sources(struct loader *ld, const struct config *c, const config_setting_t *s,
			       struct config_alert *a, const char *what)
{
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		cfg_error(ld, s, "%s: sources must be an array of source names", what);
		return;
	}
	a->nsources = (size_t)config_setting_length(s);
	a->sources = xcalloc(a->nsources, sizeof(*a->sources));
	for (size_t i = 0; i < a->nsources; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *name = config_setting_get_string(e);
		if (name == NULL) {
			cfg_error(ld, e, "%s: sources must hold strings", what);
			continue;
		}
		a->sources[i] = xstrdup(name);
		if (config_find_source(c, name) == NULL)
			cfg_error(ld, e, "%s: no source is named '%s'", what, name);
	}
}

static void load_alert_pattern(struct loader *ld, const config_setting_t *g, const char *name,
			       const char *pattern, const char *what)
{
	char err[320];

	if (pattern && !alert_pattern_check(pattern, err, sizeof(err)))
		cfg_error(ld, config_setting_get_member(g, name),
			  "%s: %s pattern does not compile: %s", what, name, err);
}

static void load_alert(struct loader *ld, const struct config *c, const config_setting_t *g,
		       struct config_alert *a)
{
	const config_setting_t *s;
	char what[160];

	a->line = (int)config_setting_source_line(g);
	check_members(ld, g, "an alert", alert_keys, UTIL_ARRAY_LEN(alert_keys));
	a->name = member_string(ld, g, "name", "alert");
	snprintf(what, sizeof(what), "alert '%s'", a->name ? a->name : "?");
	if (a->name == NULL || *a->name == '\0')
		cfg_error(ld, g, "an alert needs a name");
	a->match = member_string(ld, g, "match", what);
	a->department = member_string(ld, g, "department", what);
	/* compiled here too: a pattern the daemon cannot compile would stop it at start-up,
	 * and the unit would restart it every 10 s */
	load_alert_pattern(ld, g, "match", a->match, what);
	load_alert_pattern(ld, g, "department", a->department, what);
	if ((s = config_setting_get_member(g, "events")) != NULL)
		load_alert_events(ld, s, a, what);
	else
		a->events = EVENT_POSTING_KINDS; /* source kinds only when named */
	if ((s = config_setting_get_member(g, "min_pay")) != NULL) {
		double v;
		if (get_number(ld, s, "min_pay", false, &v)) {
			if (v < 0 || !isfinite(v))
				cfg_error(ld, s, "%s: min_pay must be 0 or more (yearly)", what);
			else
				a->min_pay = v;
		}
	}
	if ((s = config_setting_get_member(g, "sources")) != NULL)
		load_alert_sources(ld, c, s, a, what);
}

static void load_alerts(struct loader *ld, struct config *c, const config_setting_t *root)
{
	const config_setting_t *list = config_setting_get_member(root, "alerts");

	if (list == NULL)
		return;
	if (!config_setting_is_list(list) && !config_setting_is_array(list)) {
		cfg_error(ld, list, "alerts must be a list: alerts = ( { … }, … );");
		return;
	}
	c->nalerts = (size_t)config_setting_length(list);
	c->alerts = xcalloc(c->nalerts, sizeof(*c->alerts));
	for (size_t i = 0; i < c->nalerts; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		if (!config_setting_is_group(g)) {
			cfg_error(ld, g, "each alert must be a group { name = …; … }");
			continue;
		}
		load_alert(ld, c, g, &c->alerts[i]);
	}
}

struct config *config_load(const char *path, FILE *errs)
{
	struct loader ld = {.path = path, .errs = errs};
	struct config *c = xcalloc(1, sizeof(*c));
	config_t cf;

	c->path = xstrdup(path);
	load_defaults(c);
	config_init(&cf);
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			fprintf(errs, "%s:0: cannot read the file\n", path);
		else
			fprintf(errs, "%s:%d: %s\n",
				config_error_file(&cf) ? config_error_file(&cf) : path,
				config_error_line(&cf), config_error_text(&cf));
		config_destroy(&cf);
		config_free(c);
		return NULL;
	}
	load_lines(&ld);
	const config_setting_t *root = config_root_setting(&cf);
	check_members(&ld, root, "the top level", top_keys, UTIL_ARRAY_LEN(top_keys));
	load_sections(&ld, c, root);
	load_sources(&ld, c, root);
	load_alerts(&ld, c, root);
	config_destroy(&cf);
	for (size_t i = 0; i < ld.nlines; i++)
		free(ld.lines[i]);
	free(ld.lines);
	if (ld.nerr) {
		config_free(c);
		return NULL;
	}
	return c;
}

void config_each_key(void (*fn)(const char *section, const char *key, void *ud), void *ud)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(keys); i++)
		fn(keys[i].section, keys[i].name, ud);
	size_t n;
	const char *const *all = source_keys_all(&n);
	for (size_t i = 0; i < n; i++)
		fn("sources", all[i], ud);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(alert_keys); i++)
		fn("alerts", alert_keys[i], ud);
}

const struct config_source *config_find_source(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nsources; i++)
		if (c->sources[i].name && strcmp(c->sources[i].name, name) == 0)
			return &c->sources[i];
	return NULL;
}

void config_source_target(const struct config_source *s, struct source_target *t)
{
	*t = s->type_keys;
	t->type = s->type;
	t->url = s->url;
}

void config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nsources; i++) {
		struct config_source *s = &c->sources[i];
		/* the type's string keys, stored only when the type is known */
		const struct source_adapter *a = s->type ? source_adapter_find(s->type) : NULL;
		for (const struct source_key *k = a ? a->keys : NULL; k && k->name; k++)
			if (k->kind == SOURCE_KEY_STRING)
				free((char *)*(const char **)type_key_field(s, k));
		free(s->name);
		free(s->type);
		free(s->url);
		free(s->board);
	}
	for (size_t i = 0; i < c->nalerts; i++) {
		struct config_alert *a = &c->alerts[i];
		free(a->name);
		free(a->match);
		free(a->department);
		for (size_t k = 0; k < a->nsources; k++)
			free(a->sources[k]);
		free(a->sources);
	}
	free(c->sources);
	free(c->alerts);
	free(c->path);
	free(c->conninfo);
	free(c->user_agent);
	free(c->log_socket);
	free(c);
}
