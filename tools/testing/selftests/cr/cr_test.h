/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the checkpoint/restart selftests.
 */
#ifndef CR_TEST_H
#define CR_TEST_H

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPORT_FD	100	/* where a restored process reports */
#define REPORT_MAX	256

/* From a restored process: one report line on REPORT_FD, then exit. */
static inline void __attribute__((noreturn, format(printf, 1, 2)))
report(const char *fmt, ...)
{
	char buf[REPORT_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(REPORT_FD, buf, n) != n)
		_exit(10);
	_exit(0);
}

/* FNV-1a, the checksum of memory the tests compare across a restore. */
static inline uint64_t fnv(const void *p, size_t len)
{
	const unsigned char *c = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (len--)
		h = (h ^ *c++) * 0x100000001b3ull;
	return h;
}

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* kernel.cr.new_tids: may a restore give new ids? */
static inline void set_new_tids(int on)
{
	int fd = open("/proc/sys/kernel/cr/new_tids", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, on ? "1" : "0", 1) != 1)
			perror("new_tids");
		close(fd);
	}
}

/* Kill a test's child, if any, and remove its directory. */
static inline void cr_test_cleanup(pid_t child, const char *dir)
{
	char cmd[300];

	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", dir);
}

#endif /* CR_TEST_H */
