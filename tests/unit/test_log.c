/* test_log.c - lines to a log socket (log.socket): a listener slower than the lines loses
 * none of them; one that stops reading costs one wait, not one per line, and is told how many
 * lines it missed when it reads again. A real unix datagram socket, read by a child process. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "logfmt.h"

static int listener(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		printf("not ok - listener %s\n", path);
		exit(1);
	}
	return fd;
}

/* In a child: wait start_ms, then read datagrams until none came for 500 ms; write to out
 * how many were lines of the test ("line ") and the number a "log dropped=" line gave. */
static pid_t reader(int fd, int start_ms, int out)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	struct timeval tv = {.tv_usec = 500000};
	long got[2] = {0, 0};
	char d[512];
	ssize_t n;

	usleep((useconds_t)start_ms * 1000);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while ((n = recv(fd, d, sizeof(d) - 1, 0)) > 0) {
		d[n] = '\0';
		const char *msg = strstr(d, "]: ");
		if (msg && strncmp(msg + 3, "line ", 5) == 0)
			got[0]++;
		if (msg && strncmp(msg + 3, "log dropped=", 12) == 0)
			got[1] = atol(msg + 15);
	}
	_exit(write(out, got, sizeof(got)) == sizeof(got) ? 0 : 1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* More lines than the kernel queues for a listener (net.unix.max_dgram_qlen). */
static int burst(void)
{
	FILE *f = fopen("/proc/sys/net/unix/max_dgram_qlen", "r");
	int q = 10;

	if (f) {
		if (fscanf(f, "%d", &q) != 1)
			q = 10;
		fclose(f);
	}
	return q < 500 ? q + 20 : 600;
}

static void run(int start_ms, int lines, double *send_secs, long got[2])
{
	char dir[] = "/tmp/jobwatch-log-XXXXXX", path[64];
	int p[2], status;

	if (mkdtemp(dir) == NULL || pipe(p) < 0)
		exit(1);
	snprintf(path, sizeof(path), "%s/log.sock", dir);
	int fd = listener(path);
	pid_t pid = reader(fd, start_ms, p[1]);
	log_open("jobwatch-test", LOG_LOCAL3, path, false, LOG_LEVEL_INFO);
	double t0 = now();
	for (int i = 0; i < lines; i++)
		log_info("line %d", i);
	*send_secs = now() - t0;
	/* one more line once the reader reads (and before it has been idle 500 ms) */
	double wait = (double)(start_ms + 150) / 1000 - (now() - t0);
	if (wait > 0)
		usleep((useconds_t)(wait * 1e6));
	log_info("line after");
	log_close();
	CHECK(read(p[0], got, 2 * sizeof(long)) == 2 * sizeof(long));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	close(fd);
	close(p[0]);
	close(p[1]);
	unlink(path);
	rmdir(dir);
}

static void test_log_slow_listener(void)
{
	int lines = burst();
	double secs;
	long got[2];

	run(300, lines, &secs, got);
	CHECK_NUM(got[0], lines + 1);
	CHECK_NUM(got[1], 0);
}

static void test_log_stopped_listener(void)
{
	int lines = burst();
	double secs;
	long got[2];

	run(2500, lines, &secs, got);
	printf("# %d lines sent in %.2f s to a listener that read nothing for 2.5 s\n", lines,
	       secs);
	CHECK(secs < 2.0); /* one wait of a second, not one per line */
	CHECK(got[1] > 0); /* told it missed some */
	CHECK_NUM(got[0] + got[1], lines + 1);
}

/* Issue 21.11: every value of every line is escaped by the one writer, the database's
 * messages (which quote what a page sent) and source names included. */
static void test_logfmt_pair(void)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "store: apply failed:");
	logfmt_pair(&b, "sqlstate", "22P02");
	logfmt_pair(&b, "message", "invalid input \"x\"\r\nalert rule=forged");
	logfmt_pair(&b, "detail", "a\\b\tc\x01");
	logfmt_pair(&b, "source", "");
	CHECK_STR(b.data, "store: apply failed: sqlstate=22P02 message=\"invalid input \\\"x\\\"\\r"
			  "\\nalert rule=forged\" detail=\"a\\\\b\\tc\\x01\" source=\"\"");
	buf_free(&b);
	logfmt_pair(&b, "source", "plain");
	CHECK_STR(b.data, "source=plain");
	buf_free(&b);
}

/* Issue 21.14: with the database read-only, the same error came once a second for ever. An
 * error or warning repeated within a minute is counted, and the count written as one line
 * before the next different one (or at log_close). Not opened, lines go to stderr. */
static void test_log_repeats(void)
{
	char path[] = "/tmp/jobwatch-log-rep-XXXXXX", text[4096] = "";
	int fd = mkstemp(path), saved = dup(2);

	CHECK(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	for (int i = 0; i < 100; i++)
		log_err("store: apply failed: sqlstate=25006 message=\"read-only\"");
	log_warn("poll source=a outcome=retry");
	log_warn("poll source=a outcome=retry");
	log_info("same info");
	log_info("same info");
	log_close();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	CHECK(pread(fd, text, sizeof(text) - 1, 0) > 0);
	close(fd);
	unlink(path);
	CHECK_STR(text, "store: apply failed: sqlstate=25006 message=\"read-only\"\n"
			"log repeated=99 line=\"store: apply failed: sqlstate=25006 "
			"message=\\\"read-only\\\"\"\n"
			"poll source=a outcome=retry\n"
			"same info\n"
			"same info\n"
			"log repeated=1 line=\"poll source=a outcome=retry\"\n");
}

int main(void)
{
	RUN(test_log_slow_listener);
	RUN(test_log_stopped_listener);
	RUN(test_logfmt_pair);
	RUN(test_log_repeats);
	return harness_end();
}
