/* fuzz_config.c - the config loader on arbitrary bytes: any file either loads (and its alert
 * rules compile or are refused with a message) or is reported as errors, never a crash or a
 * leak. The bytes reach libconfig through a memfd, as a file would. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alert.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512];
	int fd = memfd_create("fuzz.conf", MFD_CLOEXEC);
	FILE *errs = fopen("/dev/null", "w");

	if (fd < 0 || errs == NULL)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct config *c = config_load(path, errs);
	if (c != NULL) {
		struct alert_rules *r = alert_rules_new(c, err, sizeof(err));
		alert_rules_free(r);
		config_free(c);
	}
	fclose(errs);
	close(fd);
	return 0;
}
