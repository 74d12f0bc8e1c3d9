// SPDX-License-Identifier: GPL-2.0
/*
 * cr-tree: a small process tree with known backtraces, for images of a
 * tree: the root waits for its children; child "alpha" spins and has a
 * grandchild "gamma" that spins too; child "beta" sleeps in nanosleep;
 * one more child exits with status 7 and stays a zombie (nobody reaps
 * it). They share what a tree shares: beta's stdin is a pipe from the
 * root holding unread bytes, alpha and the root hold a socket pair with a
 * message queued each way, all of them map one shared anonymous page and
 * 1 MiB of private memory the root filled before forking. The root holds
 * the master of a pty whose slave is the controlling terminal of alpha,
 * which leads a session of its own (with gamma in it), echo off, 100x30.
 * Prints "ready" once all are running.
 *
 *   cr-tree [N]	also start N more spinning children (default 0)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long spins;

static void __attribute__((noinline)) child_gamma(void)
{
	prctl(PR_SET_NAME, "gamma");
	for (;;)
		spins++;
}

/* A session of its own, whose controlling terminal is the slave @name. */
static int session_on(const char *name)
{
	struct winsize ws = { .ws_row = 30, .ws_col = 100 };
	struct termios t;
	int s;

	if (setsid() < 0)
		return -1;
	s = open(name, O_RDWR);
	if (s < 0 || ioctl(s, TIOCSCTTY, 0) || tcgetattr(s, &t))
		return -1;
	t.c_lflag &= ~ECHO;
	if (tcsetattr(s, TCSANOW, &t) || ioctl(s, TIOCSWINSZ, &ws))
		return -1;
	return s;
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
	int extra = argc > 1 ? atoi(argv[1]) : 0, p[2], in[2], sv[2], i, m;
	char *shared, *private, name[64];
	pid_t zombie;
	char c;

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	private = malloc(1 << 20);
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (shared == MAP_FAILED || !private || pipe(p) || pipe(in) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || m < 0 || grantpt(m) ||
	    unlockpt(m) || ptsname_r(m, name, sizeof(name)))
		return 1;
	strcpy(shared, "shared by the tree");
	memset(private, 0x42, 1 << 20);
	if (fork() == 0) {
		close(p[0]);
		close(in[0]);
		close(in[1]);
		close(sv[0]);
		close(m);
		if (write(sv[1], "to the root", 11) != 11 || session_on(name) < 0)
			return 1;
		child_alpha(p[1]);
	}
	if (fork() == 0) {
		close(p[0]);
		close(p[1]);
		close(in[1]);
		close(sv[0]);
		close(sv[1]);
		close(m);
		dup2(in[0], 0);
		close(in[0]);
		child_beta();
	}
	close(in[0]);
	close(sv[1]);
	if (write(in[1], "for beta", 8) != 8 || write(sv[0], "to alpha", 8) != 8)
		return 1;
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
