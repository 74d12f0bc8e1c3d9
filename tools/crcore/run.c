// SPDX-License-Identifier: GPL-2.0
/*
 * crcore checkpoint and crcore restore: the kernel does the work (SIGCKPT,
 * exec of the image); these commands add what a shell cannot do easily.
 *
 * checkpoint: ask the kernel for a checkpoint of the process through
 * /proc/sys/kernel/cr/checkpoint ("PID MODE": it works whatever the
 * process's signal mask, for a caller that may ptrace the process; a
 * kernel without it gets SIGCKPT with the mode as its sigqueue() value),
 * find the image where kernel.cr.pattern puts it, wait until it is
 * complete (the kernel renames it into place), report its path, size and
 * time.
 *
 * restore: execute the image, in a fresh pid namespace when asked or when
 * the image has several processes or threads, as the pid of its root
 * there (clone3 with set_tid), so that every thread gets its original id
 * (the kernel creates the other processes of a tree with theirs); with
 * the descriptors that led outside the process replaced as asked, and in
 * another working directory (a rewritten copy of the image, in a memfd).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/sched.h>
#include <sys/prctl.h>

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

/* Copy file @in to @out: in the kernel when it can, else through a buffer. */
static int copy_all(int in, int out)
{
	static char buf[1 << 16];
	ssize_t c, w;

	do {
		c = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
	} while (c > 0);
	if (!c)
		return 0;
	if (lseek(in, 0, SEEK_SET) || lseek(out, 0, SEEK_SET) || ftruncate(out, 0))
		return -1;
	while ((c = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t done = 0; done < c; done += w) {
			w = write(out, buf + done, c - done);
			if (w <= 0)
				return -1;
		}
	}
	return c < 0 ? -1 : 0;
}

/* Move the image to @to: renamed, or copied to another filesystem. */
static int move_image(const char *from, const char *to)
{
	int in, out, ret = -1;

	if (!rename(from, to))
		return 0;
	if (errno != EXDEV)
		return -1;
	in = open(from, O_RDONLY | O_CLOEXEC);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (in >= 0 && out >= 0 && !copy_all(in, out) && !fsync(out))
		ret = unlink(from);
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out))
		ret = -1;
	return ret;
}

static int usage_checkpoint(void)
{
	fprintf(stderr, "usage: crcore checkpoint PID [-o FILE] [--continue|--stop|--exit] [--timeout SECONDS]\n");
	return 2;
}

/*
 * Ask for a checkpoint of @pid in @mode through the kernel's request
 * file. Return: 0, 1 when the kernel has no such file (then SIGCKPT), or
 * -1 with errno set.
 */
static int request_checkpoint(pid_t pid, int mode)
{
	int fd = open("/proc/sys/kernel/cr/checkpoint", O_WRONLY | O_CLOEXEC);
	char buf[32];
	int n, saved;
	ssize_t w;

	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	n = snprintf(buf, sizeof(buf), "%d %d\n", pid, mode);
	w = write(fd, buf, n);
	saved = errno;
	close(fd);
	errno = saved;
	return w == n ? 0 : -1;
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
	int ret;

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
	ret = request_checkpoint(pid, mode);
	if (ret < 0) {
		fprintf(stderr, "crcore: checkpoint: cannot checkpoint %d: %s%s\n", pid,
			strerror(errno), errno == EPERM ?
			" (the caller must be allowed to ptrace it; CAP_SYS_PTRACE for a process that is not dumpable)" : "");
		return 1;
	}
	if (ret > 0 && sigqueue(pid, SIGCKPT, v)) {
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
		if (move_image(path, output)) {
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

/*
 * --as-owner: become the user the image's root process was (its real
 * uid and gid, its supplementary groups), as root may, before the image
 * is executed; the kernel then restores it as that user would.
 */
static int become_owner(const char *path)
{
	struct report rep = { .path = path, .out = stderr };
	const struct cr_note *n, *c;
	struct cr_hdr_process p;
	struct cr_hdr_creds h;
	gid_t *groups = NULL;
	size_t nr = 0;
	struct image img;
	int ret = -1;

	if (geteuid()) {
		fprintf(stderr, "crcore: restore: --as-owner is for root\n");
		return -1;
	}
	if (image_open(&img, path, &rep) || !img.notes_ok)
		goto out;
	n = image_find_note(&img, true, NT_CR_PROCESS);
	if (!n || n->size < sizeof(p)) {
		fprintf(stderr, "crcore: restore: %s: no process ids (NT_CR_PROCESS)\n", path);
		goto out;
	}
	memcpy(&p, n->desc, sizeof(p));
	c = image_find_note(&img, true, NT_CR_CREDS);
	if (c && c->size >= sizeof(h)) {
		memcpy(&h, c->desc, sizeof(h));
		if (h.nr_groups <= (c->size - sizeof(h)) / sizeof(uint32_t) &&
		    h.nr_groups <= 65536) {
			groups = calloc(h.nr_groups + 1, sizeof(*groups));
			if (!groups)
				goto out;
			for (nr = 0; nr < h.nr_groups; nr++) {
				uint32_t g;

				memcpy(&g, (const char *)c->desc + sizeof(h) + nr * sizeof(g), sizeof(g));
				groups[nr] = g;
			}
		}
	}
	if (setgroups(nr, groups) || setresgid(p.gid, p.gid, p.gid) ||
	    setresuid(p.uid, p.uid, p.uid)) {
		fprintf(stderr, "crcore: restore: cannot become uid %u, gid %u: %s\n", p.uid, p.gid,
			strerror(errno));
		goto out;
	}
	/* The user's own process: its /proc files (uid_map) are the user's. */
	prctl(PR_SET_DUMPABLE, 1);
	ret = 0;
out:
	free(groups);
	image_close(&img);
	return ret;
}

/* Execute the image: the file @fd when it is one, else @path. */
static void exec_image(const char *path, int fd, char **argv)
{
	extern char **environ;

	if (fd >= 0)
		syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	else
		execv(path, argv);
	fprintf(stderr, "crcore: restore: %s: %s\n", path, strerror(errno));
}

/*
 * A restore in new namespaces (crcore restore in a pid namespace, and the
 * restore helper, kernel.cr.restore_helper) runs three processes:
 *
 * - the supervisor, this process, which the caller (a shell) waits for:
 *   it passes the signals it is sent on to the restored root's process
 *   group, stops when the root stops (so that the shell sees its job
 *   stopped), gives the terminal back to the root's group when continued
 *   in the foreground (fg), and ends as the root ends, by the same exit
 *   status or signal;
 * - the reaper, pid 1 of the new pid namespace, with a /proc of that
 *   namespace in a new mount namespace: it makes the root with its pid
 *   (clone3 with set_tid), reaps the orphans, and tells the supervisor
 *   when the root stops and how it ended;
 * - the root, which leads a new process group (the terminal's foreground
 *   one when the supervisor's was), then executes the image.
 *
 * A caller without the privilege for a pid namespace (an ordinary user)
 * gets a user namespace too, in which it is itself (its uid and gid
 * mapped to themselves) with the capabilities that restoring the ids
 * needs; the restored processes have the user's ids and no capability.
 */
struct ns_opts {
	bool mount_proc;	/* a /proc of the new pid namespace */
};

/*
 * --ready-fd N, --pidfile FILE (or CR_READY_FD, CR_PIDFILE in the
 * environment, for the restore helper): the root's pid, written there when
 * the restore is complete. The kernel closes the exec caller's descriptors
 * that the image does not have only then: the write end of a pipe, given
 * to the process that executes the image alone, tells that moment.
 */
struct ready {
	int fd;			/* N, or -1 */
	const char *pidfile;	/* or NULL */
	int rd, wr;		/* the pipe, or -1 */
};

static struct ready ready = { .fd = -1, .rd = -1, .wr = -1 };

static int image_inherits(const char *path, int fd);

/* The pipe, its write end at a number the image does not use. */
static int ready_pipe(const char *path)
{
	int p[2], fd = 1000;

	if (ready.fd < 0 && !ready.pidfile)
		return 0;
	if (pipe2(p, O_CLOEXEC))
		return -1;
	while (image_inherits(path, fd) >= 0)
		fd++;
	ready.wr = fcntl(p[1], F_DUPFD, fd);	/* not close-on-exec */
	close(p[1]);
	ready.rd = p[0];
	if (ready.fd >= 0)
		fcntl(ready.fd, F_SETFD, FD_CLOEXEC);	/* the image's fd N is not it */
	return ready.wr < 0 ? -1 : 0;
}

/* Is @pid a live process (not a zombie)? */
static bool alive(pid_t pid)
{
	char path[64], line[512], *p;
	bool ret = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	p = f && fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
	if (p)
		ret = p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
	if (f)
		fclose(f);
	return ret;
}

/* The restore of @root is complete (its pipe at its end): say so. */
static void ready_say(pid_t root)
{
	char line[32], tmp[PATH_MAX];
	int len, fd;

	if (!root || !alive(root))
		return;		/* the restore failed: nothing is said */
	len = snprintf(line, sizeof(line), "%d\n", root);
	if (ready.fd >= 0) {
		if (write(ready.fd, line, len) != len)
			fprintf(stderr, "crcore: restore: --ready-fd %d: %s\n", ready.fd, strerror(errno));
		close(ready.fd);
		ready.fd = -1;
	}
	if (ready.pidfile) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", ready.pidfile);
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, line, len) != len || close(fd) || rename(tmp, ready.pidfile))
			fprintf(stderr, "crcore: restore: --pidfile %s: %s\n", ready.pidfile,
				strerror(errno));
	}
}

/* Wait until the restore of @root is complete, then say so. */
static void ready_wait(pid_t root)
{
	char c;

	if (ready.rd < 0)
		return;
	while (read(ready.rd, &c, 1) < 0 && errno == EINTR)
		;
	close(ready.rd);
	ready.rd = -1;
	ready_say(root);
}

static volatile pid_t fwd_pgrp;	/* the root's process group, from here */
static bool own_userns;			/* in a user namespace of ours */
static int fwd_tty = -1;		/* the terminal, when one was ours */

/* A signal sent to the supervisor: for the root's group. */
static void on_forward(int sig)
{
	pid_t g = fwd_pgrp;

	if (g <= 0)
		return;
	/* Continued in the foreground (fg): the root's group takes the terminal. */
	if (sig == SIGCONT && fwd_tty >= 0 && tcgetpgrp(fwd_tty) == getpgrp())
		tcsetpgrp(fwd_tty, g);
	kill(-g, sig);
}

static bool forwarded(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGSTOP: case SIGCHLD: case SIGTTIN: case SIGTTOU:
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP: case SIGSYS:
		return false;
	}
	return true;
}

/* Become the user's own uid and gid in a new user namespace. */
static int map_self(uid_t uid, gid_t gid)
{
	char line[64];
	int fd, len, ret = 0;

	fd = open("/proc/self/setgroups", O_WRONLY);
	if (fd >= 0) {
		ret |= write(fd, "deny", 4) != 4;
		close(fd);
	}
	len = snprintf(line, sizeof(line), "%u %u 1\n", uid, uid);
	fd = open("/proc/self/uid_map", O_WRONLY);
	ret |= fd < 0 || write(fd, line, len) != len;
	if (fd >= 0)
		close(fd);
	len = snprintf(line, sizeof(line), "%u %u 1\n", gid, gid);
	fd = open("/proc/self/gid_map", O_WRONLY);
	ret |= fd < 0 || write(fd, line, len) != len;
	if (fd >= 0)
		close(fd);
	return ret ? -1 : 0;
}

/* A new pid namespace for the children, with a user namespace if need be. */
static int new_pid_namespace(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (!unshare(CLONE_NEWPID))
		return 0;
	if (errno != EPERM) {
		fprintf(stderr, "crcore: restore: cannot make a pid namespace: %s\n", strerror(errno));
		return -1;
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID)) {
		fprintf(stderr, "crcore: restore: the image needs its ids, which a new pid namespace gives; making one needs privilege (CAP_SYS_ADMIN) or a user namespace, which this system does not let an ordinary user make (%s: see user.max_user_namespaces, kernel.unprivileged_userns_clone, or an LSM policy)\n",
			strerror(errno));
		return -1;
	}
	if (map_self(uid, gid)) {
		fprintf(stderr, "crcore: restore: cannot map uid %u and gid %u in the new user namespace: %s\n",
			uid, gid, strerror(errno));
		return -1;
	}
	own_userns = true;
	return 0;
}

/*
 * In our user namespace, the root is not root: its capabilities would go
 * at the exec of the image, yet the kernel makes its threads and
 * processes with their ids after that. CAP_CHECKPOINT_RESTORE, over the
 * user's own namespace only, is kept through the exec (ambient).
 */
static void keep_restore_cap(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (!own_userns || syscall(SYS_capget, &h, d))
		return;
	d[CAP_CHECKPOINT_RESTORE / 32].inheritable |= 1U << (CAP_CHECKPOINT_RESTORE % 32);
	if (syscall(SYS_capset, &h, d) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHECKPOINT_RESTORE, 0, 0))
		fprintf(stderr, "crcore: restore: cannot keep CAP_CHECKPOINT_RESTORE through the exec: %s\n",
			strerror(errno));
}

/* The child of @parent, from /proc: the root the reaper made. */
static pid_t child_of(pid_t parent)
{
	char path[64], line[512], *p;
	struct dirent *de;
	pid_t found = 0;
	DIR *d = opendir("/proc");
	FILE *f;

	while (d && !found && (de = readdir(d))) {
		pid_t pid = atoi(de->d_name);
		int ppid;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* pid (comm) state ppid: the comm may hold spaces and parentheses. */
		p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
		if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == parent)
			found = pid;
		fclose(f);
	}
	if (d)
		closedir(d);
	return found;
}

/* The reaper's namespaces: a mount namespace with a /proc of its pid namespace. */
static void ns_setup(const struct ns_opts *o)
{
	if (o->mount_proc &&
	    (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	     mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)))
		fprintf(stderr, "crcore: restore: no /proc of the new pid namespace (%s): the restored processes see the caller's\n",
			strerror(errno));
}

/* The root, before it executes the image: its own group, maybe in front. */
static void root_group(bool fg)
{
	keep_restore_cap();
	setpgid(0, 0);
	if (fg) {
		signal(SIGTTOU, SIG_IGN);
		tcsetpgrp(fwd_tty, getpgrp());
		signal(SIGTTOU, SIG_DFL);
	}
}

/*
 * The reaper: pid 1 of the namespace. Tells @report 'R' once the root is
 * made, 'S' when it stops, then 'X' and its wait status.
 */
static void reaper(const char *path, int fd, char **argv, pid_t leader,
		   const struct ns_opts *o, bool fg, int report)
{
	struct clone_args ca = { .exit_signal = SIGCHLD };
	pid_t root;
	int status;

	ns_setup(o);
	ca.set_tid = (uintptr_t)&leader;
	ca.set_tid_size = 1;
	root = syscall(SYS_clone3, &ca, sizeof(ca));
	if (root < 0) {
		fprintf(stderr, "crcore: restore: cannot become pid %d: %s\n", leader,
			strerror(errno));
		_exit(1);
	}
	if (root == 0) {
		close(report);
		root_group(fg);
		exec_image(path, fd, argv);
		_exit(1);
	}
	if (ready.wr >= 0)
		close(ready.wr);	/* the root's alone */
	if (write(report, "R", 1) != 1)
		_exit(1);
	for (;;) {
		pid_t pid = waitpid(-1, &status, WUNTRACED);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			_exit(1);
		if (pid != root)
			continue;	/* an orphan of the tree, reaped */
		if (WIFSTOPPED(status)) {
			if (write(report, "S", 1) != 1)
				_exit(1);
			continue;
		}
		if (write(report, "X", 1) != 1 || write(report, &status, sizeof(status)) != sizeof(status))
			_exit(1);
		_exit(0);
	}
}

/* End as the root did: with its exit status, or killed by its signal. */
static int end_as(int status)
{
	struct rlimit none = { 0, 0 };
	sigset_t set;
	int sig;

	if (!WIFSIGNALED(status))
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	sig = WTERMSIG(status);
	setrlimit(RLIMIT_CORE, &none);	/* the root dumped its core already, if any */
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	return 128 + sig;
}

/*
 * In new namespaces: become pid @leader there, then exec the image; the
 * supervisor (see above) returns the exit status.
 */
static int exec_as_pid(const char *path, int fd, char **argv, pid_t leader,
		       const struct ns_opts *o)
{
	struct sigaction sa = { .sa_handler = on_forward, .sa_flags = SA_RESTART };
	int pipefd[2], status = 0, got = 0, sig;
	bool fg = false, ended = false;
	pid_t reaper_pid, root = 0;
	char c;

	fwd_tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fwd_tty >= 0)
		fg = tcgetpgrp(fwd_tty) == getpgrp();
	if (new_pid_namespace() || pipe2(pipefd, O_CLOEXEC))
		return 1;
	/* Ours till the root's group is known; then passed on. */
	sigfillset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (forwarded(sig))
			sigaction(sig, &sa, NULL);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	reaper_pid = fork();
	if (reaper_pid < 0)
		return 1;
	if (reaper_pid == 0) {
		close(pipefd[0]);
		if (ready.rd >= 0)
			close(ready.rd);
		if (ready.fd >= 0)
			close(ready.fd);
		for (sig = 1; sig < NSIG; sig++)
			if (forwarded(sig) || sig == SIGTTOU || sig == SIGTTIN)
				signal(sig, SIG_DFL);
		if (leader == 1) {
			/* The image's root is the namespace's init. */
			close(pipefd[1]);
			ns_setup(o);
			root_group(fg);
			exec_image(path, fd, argv);
			_exit(1);
		}
		reaper(path, fd, argv, leader, o, fg, pipefd[1]);
		_exit(1);
	}
	close(pipefd[1]);
	if (ready.wr >= 0)
		close(ready.wr);
	if (leader == 1) {
		root = reaper_pid;
		fwd_pgrp = root;
		ready_wait(root);
		for (;;) {
			pid_t pid = waitpid(reaper_pid, &status, WUNTRACED);

			if (pid < 0 && errno == EINTR)
				continue;
			if (pid < 0)
				return 1;
			if (WIFSTOPPED(status)) {
				kill(getpid(), SIGSTOP);	/* the shell sees its job stopped */
				continue;
			}
			return end_as(status);
		}
	}
	while (!ended) {
		struct pollfd pfd[2] = {
			{ .fd = pipefd[0], .events = POLLIN },
			{ .fd = ready.rd, .events = POLLIN },
		};
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents && root) {
			ready_wait(root);	/* at its end: no wait */
			continue;
		}
		if (!pfd[0].revents)
			continue;
		n = read(pipefd[0], &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (c == 'R') {
			root = child_of(reaper_pid);
			fwd_pgrp = root;
		} else if (c == 'S') {
			kill(getpid(), SIGSTOP);
		} else if (c == 'X') {
			while ((n = read(pipefd[0], &status, sizeof(status))) < 0 && errno == EINTR)
				;
			got = n == sizeof(status);
			ended = true;
		}
	}
	while (waitpid(reaper_pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (!got) {
		fprintf(stderr, "crcore: restore: the restored root's status is unknown\n");
		return 1;
	}
	return end_as(status);
}

/*
 * The working directory of one process's image, in the copy @out, made
 * @dir when it was @old: NT_CR_PROCESS changes size within the slack its
 * note segment has before the page where the memory starts, so that
 * nothing else of the image moves.
 */
static int patch_cwd(int out, const struct image *img, const char *dir, const char *old)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_PROCESS);
	uint64_t notes_off = img->phdrs[0].p_offset, desc_off, old_len, new_len, len;
	struct cr_hdr_process h;
	unsigned char *notes;
	uint32_t descsz;
	int ret = -1;

	if (!n || n->size < sizeof(h) || !img->notes_ok)
		return -1;
	memcpy(&h, n->desc, sizeof(h));
	if (n->size != sizeof(h) + h.cwd_len || !h.cwd_len ||
	    n->desc[n->size - 1] || strcmp((const char *)n->desc + sizeof(h), old))
		return 0;	/* another directory: left as it is */
	desc_off = n->desc - img->notes;
	old_len = (n->size + 3) & ~3ull;
	descsz = sizeof(h) + strlen(dir) + 1;
	new_len = (descsz + 3) & ~3u;
	len = img->notes_len - old_len + new_len;
	if (notes_off + len > ((notes_off + img->notes_len + 4095) & ~4095ull)) {
		fprintf(stderr, "crcore: restore: --cwd %s: too long for the image (at most %llu more bytes)\n",
			dir, (unsigned long long)(((notes_off + img->notes_len + 4095) & ~4095ull) -
						  notes_off - img->notes_len));
		return -1;
	}
	notes = calloc(1, len);
	if (!notes)
		return -1;
	h.cwd_len = strlen(dir) + 1;
	memcpy(notes, img->notes, desc_off);
	/* Its header's n_descsz, after n_namesz. */
	memcpy(notes + (n->offset - notes_off) + 4, &descsz, sizeof(descsz));
	memcpy(notes + desc_off, &h, sizeof(h));
	memcpy(notes + desc_off + sizeof(h), dir, h.cwd_len);
	memcpy(notes + desc_off + new_len, img->notes + desc_off + old_len,
	       img->notes_len - desc_off - old_len);
	if (pwrite(out, notes, len, img->base + notes_off) == (ssize_t)len &&
	    pwrite(out, &len, sizeof(len), img->base + img->ehdr.e_phoff +
		   offsetof(Elf64_Phdr, p_filesz)) == sizeof(len))
		ret = 0;
	free(notes);
	return ret;
}

/*
 * A copy of the image, in a memfd, in which every process that worked in
 * the root's working directory works in @dir: the file descriptor to
 * execute, or -1.
 */
static int image_with_cwd(const char *path, const char *dir)
{
	struct report rep = { .path = path, .out = stderr };
	const struct cr_note *n;
	struct cr_hdr_process h;
	struct image img, sub;
	struct tree t = {};
	int in, out = -1, ret = -1;
	char old[PATH_MAX];
	ssize_t c;

	if (dir[0] != '/' || strlen(dir) >= PATH_MAX) {
		fprintf(stderr, "crcore: restore: --cwd %s: not an absolute path\n", dir);
		return -1;
	}
	if (image_open(&img, path, &rep) || !img.notes_ok)
		return -1;
	n = image_find_note(&img, true, NT_CR_PROCESS);
	if (!n || n->size <= sizeof(h) || n->size - sizeof(h) > sizeof(old) ||
	    n->desc[n->size - 1])
		goto out;
	memcpy(old, n->desc + sizeof(h), n->size - sizeof(h));
	in = open(path, O_RDONLY | O_CLOEXEC);
	out = memfd_create("crcore-restore", MFD_CLOEXEC);
	if (in < 0 || out < 0)
		goto out_in;
	if (copy_all(in, out) || patch_cwd(out, &img, dir, old))
		goto out_in;
	if (!tree_read(&img, &t)) {
		for (unsigned int i = 1; i < t.nr; i++) {
			if (!tree_segment(&img, &t, i) ||
			    image_open_at(&sub, &img, t.proc[i].segment, &rep))
				continue;
			c = patch_cwd(out, &sub, dir, old);
			image_close(&sub);
			if (c)
				goto out_in;
		}
	}
	ret = 0;
out_in:
	if (in >= 0)
		close(in);
out:
	tree_free(&t);
	image_close(&img);
	if (ret && out >= 0) {
		close(out);
		out = -1;
	}
	if (ret)
		fprintf(stderr, "crcore: restore: --cwd %s: cannot rewrite %s\n", dir, path);
	return out;
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
			ret = e.kind == CR_FD_INHERIT || e.kind == CR_FD_EXTERNAL ? 0 : 1;
			break;
		}
	}
out:
	image_close(&img);
	return ret;
}

/*
 * --inherit-fd N=M (the descriptor M of crcore) or N=PATH (PATH opened for
 * reading and writing, created if need be), N=<PATH (for reading), N=>PATH
 * (for writing, created or truncated), N=>>PATH (for appending, created if
 * need be), as a shell's redirections: what descriptor N of the image,
 * one that led outside the process, becomes.
 */
static int inherit_fd(const char *path, const char *spec)
{
	int fd, ret, flags = O_RDWR | O_CREAT;
	char *end;
	long n = strtol(spec, &end, 10);

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
	if (!strncmp(spec, ">>", 2)) {
		flags = O_WRONLY | O_APPEND | O_CREAT;
		spec += 2;
	} else if (spec[0] == '>') {
		flags = O_WRONLY | O_TRUNC | O_CREAT;
		spec++;
	} else if (spec[0] == '<') {
		flags = O_RDONLY;
		spec++;
	}
	if (!*spec) {
		fprintf(stderr, "crcore: restore: --inherit-fd %ld=: no path\n", n);
		return -1;
	}
	fd = open(spec, flags | O_CLOEXEC, 0666);
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
 *		 [--inherit-fd N=FD|N=[<|>|>>]PATH]... [--cwd DIR]
 * @argc: arguments after the command name
 * @argv: them
 *
 * Return: the exit status: the restored process's, or 1.
 */
int run_restore(int argc, char **argv)
{
	struct ns_opts o = { .mount_proc = true };
	int pidns = -1;	/* -1: when the image has several processes or threads */
	bool as_owner = false;
	const char *path = NULL, *cwd = NULL;
	int fd = -1;
	bool several = false;
	char *args[2];
	pid_t leader;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--pid-namespace"))
			pidns = 1;
		else if (!strcmp(argv[i], "--no-pid-namespace"))
			pidns = 0;
		else if (!strcmp(argv[i], "--no-mount-proc"))
			o.mount_proc = false;
		else if (!strcmp(argv[i], "--as-owner"))
			as_owner = true;
		else if (!strcmp(argv[i], "--ready-fd") && i + 1 < argc)
			ready.fd = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pidfile") && i + 1 < argc)
			ready.pidfile = argv[++i];
		else if (!strcmp(argv[i], "--inherit-fd") && i + 1 < argc)
			i++;
		else if (!strcmp(argv[i], "--cwd") && i + 1 < argc)
			cwd = argv[++i];
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
	if (cwd) {
		fd = image_with_cwd(path, cwd);
		if (fd < 0)
			return 1;
	}
	args[0] = (char *)path;
	args[1] = NULL;
	/* Last: the files above are opened as the caller. */
	if (as_owner && become_owner(path))
		return 1;
	if (ready_pipe(path)) {
		fprintf(stderr, "crcore: restore: cannot make the ready pipe: %s\n", strerror(errno));
		return 1;
	}
	/* A tree, or the init of a pid namespace: pid 1 of a new one again. */
	if (pidns == 1 || (pidns == -1 && (several || leader == 1)))
		return exec_as_pid(path, fd, args, leader, &o);
	if (ready.rd >= 0) {
		/* In place: a waiter of its own, not a child of the restored. */
		pid_t self = getpid(), pid = fork();

		if (pid == 0) {
			if (fork() == 0) {
				close(ready.wr);
				ready_wait(self);
				_exit(0);
			}
			_exit(0);
		}
		if (pid < 0)
			return 1;
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(ready.rd);
		if (ready.fd >= 0)
			close(ready.fd);
	}
	exec_image(path, fd, args);
	return 1;
usage:
	fprintf(stderr, "usage: crcore restore IMAGE [--pid-namespace|--no-pid-namespace] [--no-mount-proc] [--as-owner] [--ready-fd N] [--pidfile FILE] [--inherit-fd N=FD|N=[<|>|>>]PATH]... [--cwd DIR]\n");
	return 2;
}

/**
 * is_image - does @path name a checkpoint image (an ELF core file)?
 * @path: crcore's first argument
 *
 * The kernel hands an image it cannot restore in place to the restore
 * helper as "crcore IMAGE ARGS..." (kernel.cr.restore_helper).
 */
bool is_image(const char *path)
{
	unsigned char e[18];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ret;

	if (fd < 0)
		return false;
	ret = read(fd, e, sizeof(e)) == sizeof(e) && !memcmp(e, "\177ELF", 4) &&
	      e[4] == 2 && e[16] == 4 && e[17] == 0;	/* ELFCLASS64, ET_CORE */
	close(fd);
	return ret;
}

/**
 * run_helper - the restore helper: crcore IMAGE [ARGS...]
 * @argc: the image and the arguments it was executed with
 * @argv: them
 *
 * As "crcore restore IMAGE --pid-namespace": the kernel hands over an
 * image only when its ids need a new pid namespace. The arguments after
 * the image are not the restored program's (it has its own).
 *
 * Return: the exit status: the restored root's, or 1.
 */
int run_helper(int argc, char **argv)
{
	char *args[7] = { argv[0], "--pid-namespace" };
	const char *fd = getenv("CR_READY_FD"), *pidfile = getenv("CR_PIDFILE");
	int n = 2;

	(void)argc;
	if (fd && *fd) {
		args[n++] = "--ready-fd";
		args[n++] = (char *)fd;
	}
	if (pidfile && *pidfile) {
		args[n++] = "--pidfile";
		args[n++] = (char *)pidfile;
	}
	args[n] = NULL;
	return run_restore(n, args);
}
