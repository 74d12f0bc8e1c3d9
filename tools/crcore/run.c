// SPDX-License-Identifier: GPL-2.0
/*
 * crcore checkpoint and crcore restore: the kernel does the work (SIGCKPT,
 * exec of the image); these commands add what a shell cannot do easily.
 *
 * checkpoint: send SIGCKPT with the mode as its sigqueue() value, find
 * the image where kernel.cr.pattern puts it, wait until it is complete
 * (the kernel renames it into place), report its path, size and time.
 *
 * restore: execute the image, in a fresh pid namespace when asked or when
 * the image has several processes or threads, as the pid of its root
 * there (clone3 with set_tid), so that every thread gets its original id
 * (the kernel creates the other processes of a tree with theirs); with
 * the descriptors that led outside the process replaced as asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

#include "crcore.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

/* The image path of process @pid, as the kernel will expand the pattern. */
static int image_path(pid_t pid, char *out, size_t len)
{
	char pattern[256], comm[64], cwd[PATH_MAX], proc[64], name[PATH_MAX];
	size_t n = 0;
	ssize_t c;

	if (read_line("/proc/sys/kernel/cr/pattern", pattern, sizeof(pattern)))
		return -1;
	snprintf(proc, sizeof(proc), "/proc/%d/comm", pid);
	if (read_line(proc, comm, sizeof(comm)))
		return -1;
	for (char *p = comm; *p; p++)
		if (*p == '/')
			*p = '!';
	snprintf(proc, sizeof(proc), "/proc/%d/cwd", pid);
	c = readlink(proc, cwd, sizeof(cwd) - 1);
	if (c < 0)
		return -1;
	cwd[c] = '\0';
	for (const char *p = pattern; *p && n < sizeof(name) - 32; p++) {
		if (*p != '%') {
			name[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'e':
			n += snprintf(name + n, sizeof(name) - n, "%s", comm);
			break;
		case 'p':
			n += snprintf(name + n, sizeof(name) - n, "%d", pid);
			break;
		case '%':
			name[n++] = '%';
			break;
		case 't':
			errno = ENOTSUP;	/* the time is the kernel's to choose */
			return -1;
		case '\0':
			p--;
			break;
		}
	}
	name[n] = '\0';
	if (n >= sizeof(name) - 32)
		return -1;
	if (name[0] == '/')
		c = snprintf(out, len, "%s", name);
	else
		c = snprintf(out, len, "%s/%s", strcmp(cwd, "/") ? cwd : "", name);
	if (c < 0 || (size_t)c >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int usage_checkpoint(void)
{
	fprintf(stderr, "usage: crcore checkpoint PID [-o FILE] [--continue|--stop|--exit] [--timeout SECONDS]\n");
	return 2;
}

/**
 * run_checkpoint - crcore checkpoint PID [options]
 * @argc: arguments after the command name
 * @argv: them
 *
 * Return: the exit status.
 */
int run_checkpoint(int argc, char **argv)
{
	int mode = CR_MODE_CONTINUE, timeout = 60;
	const char *output = NULL;
	char path[PATH_MAX];
	struct stat before, st;
	bool had_image;
	union sigval v;
	double t0, t;
	pid_t pid = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--continue")) {
			mode = CR_MODE_CONTINUE;
		} else if (!strcmp(argv[i], "--stop")) {
			mode = CR_MODE_STOP;
		} else if (!strcmp(argv[i], "--exit")) {
			mode = CR_MODE_EXIT;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			output = argv[++i];
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout = atoi(argv[++i]);
		} else if (!pid && argv[i][0] != '-') {
			pid = atoi(argv[i]);
		} else {
			return usage_checkpoint();
		}
	}
	if (pid <= 0)
		return usage_checkpoint();
	if (image_path(pid, path, sizeof(path))) {
		fprintf(stderr, "crcore: checkpoint: cannot tell where process %d's image goes: %s\n",
			pid, strerror(errno));
		return 1;
	}
	had_image = !stat(path, &before);
	v.sival_int = mode;
	t0 = now();
	if (sigqueue(pid, SIGCKPT, v)) {
		fprintf(stderr, "crcore: checkpoint: cannot signal %d: %s\n", pid, strerror(errno));
		return 1;
	}
	/* Complete when a new file has been renamed to the image's name. */
	for (;;) {
		if (!stat(path, &st) &&
		    (!had_image || st.st_ino != before.st_ino || st.st_dev != before.st_dev))
			break;
		t = now() - t0;
		if (t > timeout || (kill(pid, 0) && errno == ESRCH && t > 1)) {
			fprintf(stderr, "crcore: checkpoint: no image %s after %.1f s (see the kernel log: dmesg | grep 'cr: ')\n",
				path, t);
			return 1;
		}
		usleep(2000);
	}
	t = now() - t0;
	if (output && strcmp(output, path)) {
		if (rename(path, output)) {
			fprintf(stderr, "crcore: checkpoint: cannot move %s to %s: %s\n",
				path, output, strerror(errno));
			return 1;
		}
		snprintf(path, sizeof(path), "%s", output);
	}
	printf("%s %lld bytes (%lld KiB allocated), written in %.3f s\n", path,
	       (long long)st.st_size, (long long)st.st_blocks / 2, t);
	return 0;
}

/*
 * The pid the image must be executed as, and whether it needs its
 * original ids: the root's pid (NT_CR_TREE's first entry; without a tree,
 * the first thread's id), and, as the kernel's cr_tree_ids_prepare(),
 * whether the image holds several processes (zombies too) or threads.
 */
static int image_ids(const char *path, pid_t *leader, bool *several)
{
	struct report rep = { .path = path, .out = stderr };
	const struct cr_note *n;
	struct cr_hdr_thread th;
	struct image img;
	struct tree t = {};
	uint64_t threads = 0;
	unsigned int i;
	int ret = -1;

	if (image_open(&img, path, &rep) || !img.notes_ok || !img.hdr_read)
		goto out;
	*several = img.hdr.nr_processes > 1 || img.hdr.nr_threads > 1;
	if (!tree_read(&img, &t) && t.nr) {
		for (i = 0; i < t.nr; i++)
			threads += t.proc[i].nr_threads;
		*leader = t.proc[0].pid;
		*several |= t.nr > 1 || threads > 1;
		ret = 0;
		goto out;
	}
	n = image_find_note(&img, true, NT_CR_THREAD);
	if (!n || n->size != sizeof(th))
		goto out;
	memcpy(&th, n->desc, sizeof(th));
	*leader = th.tid;
	ret = 0;
out:
	tree_free(&t);
	image_close(&img);
	return ret;
}

static int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* In a new pid namespace: become pid @leader there, then exec @path. */
static int exec_as_pid(const char *path, char **argv, pid_t leader)
{
	struct clone_args ca = { .exit_signal = SIGCHLD };
	pid_t pid;

	if (unshare(CLONE_NEWPID)) {
		fprintf(stderr, "crcore: restore: cannot make a pid namespace: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid)
		return wait_status(pid);
	/* Pid 1 of the namespace: the image's root, or its reaper. */
	if (leader != 1) {
		ca.set_tid = (uintptr_t)&leader;
		ca.set_tid_size = 1;
		pid = syscall(SYS_clone3, &ca, sizeof(ca));
		if (pid < 0) {
			fprintf(stderr, "crcore: restore: cannot become pid %d: %s\n", leader,
				strerror(errno));
			_exit(1);
		}
		if (pid)
			_exit(wait_status(pid));
	}
	execv(path, argv);
	fprintf(stderr, "crcore: restore: %s: %s\n", path, strerror(errno));
	_exit(1);
}

/* Descriptor @fd of the root image, if the image says it led outside. */
static int image_inherits(const char *path, int fd)
{
	struct report rep = { .path = path, .out = stderr };
	const struct cr_note *n;
	struct cr_hdr_files h;
	struct cr_fd e;
	struct image img;
	int ret = -1;

	if (image_open(&img, path, &rep) || !img.notes_ok)
		goto out;
	n = image_find_note(&img, true, NT_CR_FILES);
	if (!n || n->size < sizeof(h))
		goto out;
	memcpy(&h, n->desc, sizeof(h));
	if (h.nr_fds > (n->size - sizeof(h)) / sizeof(e))
		goto out;
	for (uint32_t i = 0; i < h.nr_fds; i++) {
		memcpy(&e, (const char *)n->desc + sizeof(h) + i * sizeof(e), sizeof(e));
		if (e.fd == fd) {
			ret = e.kind == CR_FD_INHERIT ? 0 : 1;
			break;
		}
	}
out:
	image_close(&img);
	return ret;
}

/*
 * --inherit-fd N=M (the descriptor M of crcore) or N=PATH (PATH opened for
 * reading and writing, created if need be): what descriptor N of the
 * image, one that led outside the process, becomes.
 */
static int inherit_fd(const char *path, const char *spec)
{
	char *end;
	long n = strtol(spec, &end, 10);
	int fd, ret;

	if (end == spec || *end != '=' || n < 0 || n > INT_MAX || !end[1]) {
		fprintf(stderr, "crcore: restore: --inherit-fd %s: expected N=FD or N=PATH\n", spec);
		return -1;
	}
	ret = image_inherits(path, n);
	if (ret) {
		fprintf(stderr, "crcore: restore: --inherit-fd %s: fd %ld of the image %s\n",
			spec, n, ret < 0 ? "is not there" : "did not lead outside the process");
		return -1;
	}
	spec = end + 1;
	fd = strtol(spec, &end, 10);
	if (end != spec && !*end) {
		if (fd != n && dup2(fd, n) < 0)
			goto fail;
		return 0;
	}
	fd = open(spec, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		goto fail;
	if (fd != n && (dup2(fd, n) < 0 || close(fd)))
		goto fail;
	if (fd == n && fcntl(fd, F_SETFD, 0))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "crcore: restore: --inherit-fd %s: %s\n", spec, strerror(errno));
	return -1;
}

/**
 * run_restore - crcore restore IMAGE [--pid-namespace | --no-pid-namespace]
 *		 [--inherit-fd N=FD|N=PATH]...
 * @argc: arguments after the command name
 * @argv: them
 *
 * Return: the exit status: the restored process's, or 1.
 */
int run_restore(int argc, char **argv)
{
	int pidns = -1;	/* -1: when the image has several processes or threads */
	const char *path = NULL;
	bool several = false;
	char *args[2];
	pid_t leader;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--pid-namespace"))
			pidns = 1;
		else if (!strcmp(argv[i], "--no-pid-namespace"))
			pidns = 0;
		else if (!strcmp(argv[i], "--inherit-fd") && i + 1 < argc)
			i++;
		else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			goto usage;
	}
	if (!path)
		goto usage;
	/* After the image is known: each replacement is checked against it. */
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--inherit-fd") && inherit_fd(path, argv[++i]))
			return 1;
	if (image_ids(path, &leader, &several)) {
		fprintf(stderr, "crcore: restore: %s is not a readable image\n", path);
		return 1;
	}
	args[0] = (char *)path;
	args[1] = NULL;
	if (pidns == 1 || (pidns == -1 && several))
		return exec_as_pid(path, args, leader);
	execv(path, args);
	fprintf(stderr, "crcore: restore: %s: %s\n", path, strerror(errno));
	return 1;
usage:
	fprintf(stderr, "usage: crcore restore IMAGE [--pid-namespace|--no-pid-namespace] [--inherit-fd N=FD|N=PATH]...\n");
	return 2;
}
