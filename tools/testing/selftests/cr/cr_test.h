/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the checkpoint/restart selftests.
 */
#ifndef CR_TEST_H
#define CR_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/cr.h>
#include <linux/sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

/*
 * In a process to checkpoint: close every descriptor from 3 up but those
 * of @keep (ended by -1). A descriptor of the test's left open in it
 * would lead outside and be one the restore must supply
 * (CR_FD_EXTERNAL).
 */
static inline void keep_only_fds(const int *keep)
{
	for (int fd = 3; fd < 1024; fd++) {
		bool k = false;

		for (const int *p = keep; *p >= 0; p++)
			k |= *p == fd;
		if (!k)
			close(fd);
	}
}

/*
 * The pid pidfd @fd refers to, in the caller's pid namespace (the last of
 * its fdinfo's NSpid line); -2 for none.
 */
static inline int pidfd_pid(int fd)
{
	char path[64], line[128], *last;
	int pid = -2;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -2;
	while (fgets(line, sizeof(line), f)) {
		last = strrchr(line, '\t');
		if (!strncmp(line, "NSpid:", 6) && last) {
			pid = atoi(last + 1);
			break;
		}
	}
	fclose(f);
	return pid;
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

/* Kernel log lines that appear after kmsg_open(). */
static inline int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static inline bool kmsg_has(int fd, const char *needle)
{
	char rec[2048];
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten records */
			continue;
		if (n <= 0)
			return false;
		rec[n] = '\0';
		if (strstr(rec, needle))
			return true;
	}
}

/* Wait up to @seconds for @path to exist. */
static inline bool wait_for_file(const char *path, int seconds)
{
	for (int i = 0; i < seconds * 100; i++) {
		if (!access(path, F_OK))
			return true;
		usleep(10000);
	}
	return false;
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

/*
 * Run @fn(@arg) as pid 2 of a new pid namespace, whose pid 1 waits for
 * it; when @ctl >= 0, pid 1 checkpoints pid 2 in exit mode once a byte
 * arrives on @ctl. Returns (as an exit status) 0 when pid 2 died of
 * SIGCKPT, else its exit status, or 30-37 when something failed.
 */
static inline int cr_run_as_pid2(void (*fn)(void *), void *arg, int ctl)
{
	struct clone_args ca = { .exit_signal = SIGCHLD };
	pid_t two = 2, pid;
	int status;

	if (unshare(CLONE_NEWPID))
		return 30;
	pid = fork();
	if (pid < 0)
		return 31;
	if (pid) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return WIFEXITED(status) ? WEXITSTATUS(status) : 32;
	}
	/* pid 1 */
	ca.set_tid = (uintptr_t)&two;
	ca.set_tid_size = 1;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0)
		_exit(33);
	if (pid == 0) {
		fn(arg);
		_exit(34);
	}
	if (ctl >= 0) {
		union sigval v = { .sival_int = CR_MODE_EXIT };
		char c;

		if (read(ctl, &c, 1) != 1 || sigqueue(2, SIGCKPT, v))
			_exit(35);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		_exit(WTERMSIG(status) == SIGCKPT ? 0 : 36);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 37);
}

/* The state letter of /proc/PID/stat ('T': stopped), or 0. */
static inline char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' ? p[2] : 0;
}

/* kernel.cr.restore_helper: read into @buf (empty if none), or set. */
static inline void get_restore_helper(char *buf, size_t len)
{
	int fd = open("/proc/sys/kernel/cr/restore_helper", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

static inline void set_restore_helper(const char *path)
{
	int fd = open("/proc/sys/kernel/cr/restore_helper", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, path[0] ? path : "\n", path[0] ? strlen(path) : 1) < 0)
			perror("restore_helper");
		close(fd);
	}
}

/* A child that executes @image (its exit status: errno if it could not). */
static inline pid_t exec_image_child(const char *image)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)image, NULL };

		execv(image, argv);
		_exit(errno);
	}
	return pid;
}

/* Write @text to @path in one write(): 0, or -1. */
static inline int cr_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ret;

	ret = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	if (fd >= 0)
		close(fd);
	return ret;
}

/* The start of @path, terminated, in @buf ("" if it cannot be read). */
static inline void cr_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

/* The inode of namespace file @path (which namespace it is), or -1. */
static inline int ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (int)st.st_ino;
}

#define CR_NS_GET_USERNS	_IO(0xb7, 0x1)	/* <linux/nsfs.h> */
#define CR_NS_GET_PARENT	_IO(0xb7, 0x2)

/* The inode of the namespace ioctl @req gives from namespace file @path. */
static inline int ns_ioctl_ino(const char *path, unsigned long req)
{
	int fd = open(path, O_RDONLY), ns;
	struct stat st;

	ns = fd >= 0 ? ioctl(fd, req) : -1;
	if (fd >= 0)
		close(fd);
	if (ns < 0 || fstat(ns, &st))
		return -1;
	close(ns);
	return (int)st.st_ino;
}

/* A process's user namespace as it sees it, to compare across a restore. */
struct userns_seen {
	char uid_map[256], gid_map[256], setgroups[16], capeff[64];
};

static inline void userns_look(struct userns_seen *u)
{
	char status[4096], *p;

	cr_read_file("/proc/self/uid_map", u->uid_map, sizeof(u->uid_map));
	cr_read_file("/proc/self/gid_map", u->gid_map, sizeof(u->gid_map));
	cr_read_file("/proc/self/setgroups", u->setgroups, sizeof(u->setgroups));
	cr_read_file("/proc/self/status", status, sizeof(status));
	p = strstr(status, "CapEff:");
	snprintf(u->capeff, sizeof(u->capeff), "%.*s", p ? (int)strcspn(p, "\n") : 0, p ? p : "");
}

/*
 * After a restore by a caller in pid 1's user namespace: what differs from
 * @before, or NULL. The maps, setgroups policy and capabilities are the
 * same, the ids are 0, in a new user namespace, a child of the caller's,
 * that owns the UTS namespace.
 */
static inline const char *userns_changed(const struct userns_seen *before)
{
	int me = ns_ino("/proc/self/ns/user");
	struct userns_seen now;
	uid_t r, e, su;
	gid_t rg, eg, sg;

	userns_look(&now);
	if (getresuid(&r, &e, &su) || getresgid(&rg, &eg, &sg) || r || e || su || rg || eg || sg)
		return "ids";
	if (strcmp(now.uid_map, before->uid_map) || strcmp(now.gid_map, before->gid_map))
		return "maps";
	if (strcmp(now.setgroups, before->setgroups))
		return "setgroups";
	if (strncmp(now.capeff, "CapEff:", 7) || strcmp(now.capeff, before->capeff))
		return "capabilities";
	if (me == ns_ino("/proc/1/ns/user") ||
	    ns_ioctl_ino("/proc/self/ns/user", CR_NS_GET_PARENT) != ns_ino("/proc/1/ns/user"))
		return "not in a child of the caller's user namespace";
	if (ns_ioctl_ino("/proc/self/ns/uts", CR_NS_GET_USERNS) != me)
		return "UTS namespace of another owner";
	return NULL;
}

#endif /* CR_TEST_H */
