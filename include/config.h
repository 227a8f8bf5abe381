/* config.h - the libconfig file turned into a plain, immutable struct config that owns copies
 * of every string. The rest of jobwatch never sees libconfig. A reload builds a new one. */
#ifndef JOBWATCH_CONFIG_H
#define JOBWATCH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "source.h"

#define CONFIG_DEFAULT_PATH "/etc/jobwatch/jobwatch.conf"

struct config_source {
	char *name;
	char *type;  /* "greenhouse", "lever", "jsonld", … */
	char *url;   /* as given, or built from board */
	char *board; /* NULL when url was given */
	bool enabled;
	int interval;	 /* seconds */
	int fail_after;	 /* failed polls in a row that make it failing */
	int stale_after; /* seconds without a complete poll that make it stale */
	int max_details; /* detail reads per poll (types whose list lacks the description) */
	/* The values of the keys only its type reads (its adapter's keys), where the adapter
	 * reads them; the strings owned. type and url are unset: config_source_target fills
	 * them. */
	struct source_target type_keys;
	int line; /* where the source starts in the file */
};

struct config_alert {
	char *name;
	unsigned events;  /* bit (1u << enum event_kind) for each selected kind */
	char *match;	  /* PCRE2 on the title, or NULL */
	char *department; /* PCRE2 on the department, or NULL */
	double min_pay;	  /* yearly; 0 when not set */
	char **sources;	  /* source names, or NULL for all */
	size_t nsources;
	int line;
};

struct config {
	char *path;
	char *conninfo; /* NULL: the embedded default cluster of `make run` */
	int interval;	/* seconds */
	double jitter;	/* fraction of interval */
	int concurrency;
	int per_host;
	int timeout;   /* seconds per transfer */
	long max_body; /* bytes */
	int close_after;
	double max_drop;
	int max_pages;
	int page_gap;	    /* ms between the pages of one board */
	int max_details;    /* detail reads per source per poll; a source may set its own */
	int detail_refresh; /* seconds after which a detail is read again */
	int alert_wait;	    /* seconds a new posting's alert waits for its detail; 0: interval */
	int lease;	    /* seconds a claim on a source lasts unless renewed */
	char *user_agent;
	int facility;	     /* LOG_DAEMON … */
	int alert_priority;  /* LOG_NOTICE … */
	char *log_socket;    /* NULL: syslog(3) */
	int journal;	     /* enum log_journal */
	int fail_after;	     /* failed polls in a row; a source may set its own */
	int stale_after;     /* seconds; 0: three intervals of each source */
	int polls_retention; /* seconds polls rows are kept; 0: for ever */
	struct config_source *sources;
	size_t nsources;
	struct config_alert *alerts;
	size_t nalerts;
};

/* Load and validate path. On error print every problem as "FILE:LINE: message" to errs and
 * return NULL. */
struct config *config_load(const char *path, FILE *errs);
/* Free a config; NULL is a no-op. */
void config_free(struct config *c);
/* Call fn for every key the loader knows ("poll", "interval"; "sources", "url" …), so that a
 * test can check that the example config documents each one. */
void config_each_key(void (*fn)(const char *section, const char *key, void *ud), void *ud);
/* The source called name, or NULL. */
const struct config_source *config_find_source(const struct config *c, const char *name);
/* What s's adapter reads of it, into t (its strings borrowed from s). */
void config_source_target(const struct config_source *s, struct source_target *t);

#endif
