/* replay.c - a standalone driver for the fuzz targets, so CI replays each corpus without
 * libFuzzer: run LLVMFuzzerTestOneInput on every file of tests/fuzz/corpus/<program name>/
 * (or of the directories given as arguments) and print one "ok - …" line. A crash or a
 * sanitizer report fails the run. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	uint8_t *data;

	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	/* an exact-size copy, so a read past the input is a sanitizer report */
	data = malloc(n ? (size_t)n : 1);
	if (data == NULL || fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	return 0;
}

static int replay_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (d == NULL) {
		printf("not ok - cannot open corpus %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (replay_file(path) != 0) {
			printf("not ok - cannot read %s\n", path);
			closedir(d);
			return -1;
		}
		(*count)++;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	const char *name = slash ? slash + 1 : argv[0];
	char dir[4096];
	int count = 0;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (replay_dir(argv[i], &count) != 0)
				return 1;
	} else {
		snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
		if (replay_dir(dir, &count) != 0)
			return 1;
	}
	printf("ok - %s replay %d inputs\n", name, count);
	return 0;
}
