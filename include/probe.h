/* probe.h - jobwatchd --probe URL: say which system a careers URL is, poll it once with the
 * fetch engine and the adapter (every page), print the postings and a config entry to paste.
 * No database and no config file. */
#ifndef JOBWATCH_PROBE_H
#define JOBWATCH_PROBE_H

/* Postings whose detail (their own page, with the pay the list lacks) a probe reads. */
#define PROBE_DETAILS_DEFAULT 20

/* Probe url (as type, or recognised when type is NULL or "auto"), reading at most details
 * postings' details: the report to stdout, errors to stderr. 0 when postings were read, 1
 * otherwise. */
int probe_run(const char *url, const char *type, int details);

#endif
