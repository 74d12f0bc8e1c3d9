// SPDX-License-Identifier: GPL-2.0
/*
 * cr-tree: a small process tree with known backtraces, for images of a
 * tree: the root waits for its children; child "alpha" spins and has a
 * grandchild "gamma" that spins too; child "beta" sleeps in nanosleep;
 * one more child exits with status 7 and stays a zombie (nobody reaps
 * it). Prints "ready" once all are running.
 *
 *   cr-tree [N]	also start N more spinning children (default 0)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long spins;

static void __attribute__((noinline)) child_gamma(void)
{
	prctl(PR_SET_NAME, "gamma");
	for (;;)
		spins++;
}

static void __attribute__((noinline)) child_alpha(int ready)
{
	prctl(PR_SET_NAME, "alpha");
	if (fork() == 0) {
		close(ready);
		child_gamma();
	}
	if (write(ready, "g", 1) != 1)
		_exit(1);
	for (;;)
		spins++;
}

static void __attribute__((noinline)) child_beta(void)
{
	struct timespec ts = { .tv_sec = 1000 };

	prctl(PR_SET_NAME, "beta");
	for (;;)
		nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	int extra = argc > 1 ? atoi(argv[1]) : 0, p[2], i;
	pid_t zombie;
	char c;

	if (pipe(p))
		return 1;
	if (fork() == 0) {
		close(p[0]);
		child_alpha(p[1]);
	}
	if (fork() == 0) {
		close(p[0]);
		close(p[1]);
		child_beta();
	}
	for (i = 0; i < extra; i++) {
		if (fork() == 0) {
			close(p[0]);
			close(p[1]);
			for (;;)
				spins++;
		}
	}
	zombie = fork();
	if (zombie == 0)
		_exit(7);
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		return 1;
	close(p[0]);
	waitid(P_PID, zombie, &(siginfo_t){ 0 }, WEXITED | WNOWAIT);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
