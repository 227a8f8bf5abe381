/* main.c - arguments, modes, signals; wires the modules together. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	puts("jobwatchd " JOBWATCH_VERSION);
	return 0;
}
