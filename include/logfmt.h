/* logfmt.h - the logfmt writer of every log and alert line. Pure. */
#ifndef JOBWATCH_LOGFMT_H
#define JOBWATCH_LOGFMT_H

struct buf;

/* Append " key=value" (no blank before the first pair) in logfmt: value bare when it is
 * plain, else quoted with '"', '\\', controls, invalid UTF-8, C1 controls and U+2028/9
 * escaped, so that no value (a page's, a server's, the database's) can forge a line. */
void logfmt_pair(struct buf *out, const char *key, const char *value);

#endif
