/* replay.c - a standalone driver for libFuzzer targets: calls LLVMFuzzerTestOneInput on every
 * file in tests/fuzz/corpus/<target>/ (target = basename of argv[0]), or on the files named on
 * the command line, so CI replays the corpus without libFuzzer. Prints one TAP-like line. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			uint8_t *nb;
			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	/* an exact-size copy, so a read past the end is a heap overflow ASan reports */
	uint8_t *exact = malloc(len ? len : 1);
	if (exact == NULL) {
		free(buf);
		return -1;
	}
	if (len)
		memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	char dir[512], path[1024];
	int count = 0, failed = 0;

	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			failed += replay_file(argv[i]) != 0;
			count++;
		}
	} else {
		DIR *d;
		struct dirent *e;
		snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
		d = opendir(dir);
		if (d == NULL) {
			printf("not ok - %s replay: no corpus at %s\n", name, dir);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			failed += replay_file(path) != 0;
			count++;
		}
		closedir(d);
	}
	if (failed || count == 0) {
		printf("not ok - %s replay %d inputs, %d unreadable\n", name, count, failed);
		return 1;
	}
	printf("ok - %s replay %d inputs\n", name, count);
	return 0;
}
