/* main.c - jobwatchd's start-up script: parse arguments, load the config, open the log, run
 * the chosen mode, and stop in reverse order. */
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <curl/curl.h>

#include "buf.h"
#include "config.h"
#include "digest.h"
#include "log.h"
#include "logfmt.h"
#include "loop.h"
#include "probe.h"
#include "store.h"
#include "util.h"

static void usage(FILE *f)
{
	fputs("usage: jobwatchd [-c FILE] [--once | --migrate | --check-config | --status]\n"
	      "                 [--log-stderr] [-v]\n"
	      "       jobwatchd --probe URL [--type TYPE] [--details N]\n"
	      "  -c, --config FILE   configuration (default " CONFIG_DEFAULT_PATH ")\n"
	      "      --check-config  print the configuration's errors, or \"configuration OK\"\n"
	      "      --once          poll every enabled source once, apply, alert, exit\n"
	      "      --migrate       apply pending SQL migrations and exit\n"
	      "      --status        print the daemons sharing the database and their leases\n"
	      "      --probe URL     say which board URL is, read it once, print its postings\n"
	      "                      and a sources entry (no database, no config file)\n"
	      "      --type TYPE     with --probe: poll URL as TYPE instead of recognising it\n"
	      "      --details N     with --probe: read at most N postings' own pages for the\n"
	      "                      pay the list lacks (default 20; 0: none)\n"
	      "      --sql-dir DIR   where the migrations are (default: next to the binary, or\n"
	      "                      " JOBWATCH_SQLDIR ")\n"
	      "      --log-stderr    copy log and alert lines to stderr\n"
	      "  -v, --verbose       debug lines too (every poll)\n"
	      "      --version       print the version\n"
	      "  -h, --help          this text\n"
	      "Exit status: 0 ok; 1 --once: some source failed, --probe: no postings read;\n"
	      "2 configuration or database error.\n",
	      f);
}

/* The schema and its migrations: --sql-dir, $JOBWATCH_SQLDIR, ../sql beside a build-tree
 * binary (found by its schema file), the installed directory. */
static char *sql_dir_find(const char *given)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;

	if (given)
		return xstrdup(given);
	if (getenv("JOBWATCH_SQLDIR"))
		return xstrdup(getenv("JOBWATCH_SQLDIR"));
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			char *cand = xasprintf("%s/../sql/020_schema.sql", exe);
			if (access(cand, R_OK) == 0) {
				free(cand);
				return xasprintf("%s/../sql", exe);
			}
			free(cand);
		}
	}
	return xstrdup(JOBWATCH_SQLDIR);
}

static int run_migrate(const struct config *cfg, const char *sql_dir)
{
	struct store *s = store_new(cfg->conninfo ? cfg->conninfo : "", "jobwatchd --migrate");
	int rc = store_connect(s) == 0 && store_migrate(s, sql_dir) == 0 ? 0 : 2;

	if (rc == 0) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "migrate status=ok");
		logfmt_pair(&b, "dir", sql_dir);
		log_info("%s", b.data);
		buf_free(&b);
	}
	store_free(s);
	return rc;
}

static int run_status(const struct config *cfg)
{
	struct store *s = store_new(cfg->conninfo ? cfg->conninfo : "", "jobwatchd --status");
	int rc = store_connect(s) == 0 && store_print_status(s, stdout) == 0 ? 0 : 2;

	store_free(s);
	return rc;
}

/* Bodies and what is parsed from them (100 KB to a few MB) are allocated and freed on every
 * poll. glibc's defaults hand a freed heap top back to the kernel and map big blocks afresh,
 * so each poll faulted its pages in again: 15,000 page faults in a cold run of 200 boards
 * (make bench), 1,800 with these settings, and a tenth less CPU. What is kept is what a poll
 * has just used, so memory stays bounded by concurrency times the body cap. */
static void malloc_tune(void)
{
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
}

int main(int argc, char **argv)
{
	enum {
		OPT_CHECK = 256,
		OPT_ONCE,
		OPT_MIGRATE,
		OPT_STDERR,
		OPT_VERSION,
		OPT_SQLDIR,
		OPT_PROBE,
		OPT_TYPE,
		OPT_DETAILS,
		OPT_STATUS
	};
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"check-config", no_argument, NULL, OPT_CHECK},
	    {"once", no_argument, NULL, OPT_ONCE},
	    {"migrate", no_argument, NULL, OPT_MIGRATE},
	    {"status", no_argument, NULL, OPT_STATUS},
	    {"sql-dir", required_argument, NULL, OPT_SQLDIR},
	    {"probe", required_argument, NULL, OPT_PROBE},
	    {"type", required_argument, NULL, OPT_TYPE},
	    {"details", required_argument, NULL, OPT_DETAILS},
	    {"log-stderr", no_argument, NULL, OPT_STDERR},
	    {"verbose", no_argument, NULL, 'v'},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = CONFIG_DEFAULT_PATH, *sql_given = NULL, *probe = NULL, *type = NULL;
	bool check = false, once = false, migrate = false, status = false, to_stderr = false;
	bool probe_details = false;
	int verbose = 0, details = PROBE_DETAILS_DEFAULT, c, rc;
	char *end;

	malloc_tune();

	while ((c = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_ONCE:
			once = true;
			break;
		case OPT_MIGRATE:
			migrate = true;
			break;
		case OPT_STATUS:
			status = true;
			break;
		case OPT_SQLDIR:
			sql_given = optarg;
			break;
		case OPT_PROBE:
			probe = optarg;
			break;
		case OPT_TYPE:
			type = optarg;
			break;
		case OPT_DETAILS:
			details = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || details < 0 || details > 100000) {
				fprintf(stderr,
					"jobwatchd: --details takes a number from 0 to 100000\n");
				return 2;
			}
			probe_details = true;
			break;
		case OPT_STDERR:
			to_stderr = true;
			break;
		case 'v':
			verbose++;
			break;
		case OPT_VERSION:
			printf("jobwatchd %s\n", JOBWATCH_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || check + once + migrate + status + (probe != NULL) > 1 ||
	    ((type || probe_details) && !probe)) {
		usage(stderr);
		return 2;
	}
	if (probe) /* before the config: a probe needs none */
		return probe_run(probe, type, details);

	struct config *cfg = config_load(path, check ? stdout : stderr);
	if (check) {
		if (cfg)
			puts("configuration OK");
		config_free(cfg);
		return cfg ? 0 : 1;
	}
	if (cfg == NULL)
		return 2;

	log_open("jobwatchd", cfg->facility, cfg->log_socket, to_stderr,
		 verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	log_set_journal((enum log_journal)cfg->journal);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("libcurl initialisation failed");
	char *sql_dir = sql_dir_find(sql_given);
	if (migrate || status) {
		rc = migrate ? run_migrate(cfg, sql_dir) : run_status(cfg);
		config_free(cfg);
	} else {
		struct loop_opts o = {.once = once, .config_path = path, .sql_dir = sql_dir};
		rc = loop_run(cfg, &o);
	}
	free(sql_dir);
	digest_free();
	curl_global_cleanup();
	log_close();
	return rc;
}
