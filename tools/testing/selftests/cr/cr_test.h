/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the checkpoint/restart selftests.
 */
#ifndef CR_TEST_H
#define CR_TEST_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

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
