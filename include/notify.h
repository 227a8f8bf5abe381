/* notify.h - talking to systemd (READY, RELOADING, STOPPING, STATUS, WATCHDOG); silent no-ops
 * when NOTIFY_SOCKET is not set. */
#ifndef JOBWATCH_NOTIFY_H
#define JOBWATCH_NOTIFY_H

#include <stdint.h>

/* Read the watchdog interval; returns the period to ping at in ms, 0 when off. */
int64_t notify_watchdog_period_ms(void);
void notify_ready(void);
void notify_reloading(void);
void notify_stopping(void);
void notify_watchdog(void);
/* STATUS= line shown by systemctl status. */
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
