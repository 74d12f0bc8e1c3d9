// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (issue 12): every allocation that a checkpoint or a
 * restore makes in its own task fails in turn, through the kernel's
 * fail-nth (Documentation/fault-injection/fault-injection.rst) with
 * failslab and fail_page_alloc both armed, sleeping allocations and
 * order 0 included. For N = 1, 2, ... the N-th allocation of the
 * checkpointing thread, or of the exec caller, fails, and the test checks
 * what must stay true:
 *
 *   checkpoint: the image is whole (crcore check passes) or the earlier
 *   image of that name is intact, no .part file is left, and the process
 *   runs (the checkpoint failed) or is in the state its mode asks for
 *   (it succeeded: running, stopped, or dead of SIGCKPT); its threads
 *   and its child are never left stopped;
 *
 *   restore: execve() fails with an errno, or the caller dies (a failure
 *   after the point of no return), or the restored process runs with its
 *   memory, threads and child as they were; never a process that runs
 *   half restored, and nothing of a failed restore is left running.
 *
 * A checkpoint that succeeded although its fault was reached is
 * restored, and must come back whole: a fault is never a reason to leave
 * some state out. A sweep ends at the first N the operation no longer
 * reaches (the task's fail-nth is still armed afterwards). It tries every
 * CR_FAULT_STRIDE-th N (8 by default; 1 for the long run, see
 * Documentation/cr/testing.rst). Errors of the filesystem the image is
 * written to are tested as well: a full tmpfs and a read-only one, in
 * each mode. The VM runner fails on any kernel report; the test job
 * scans kmemleak once the selftests are done.
 *
 * Not covered: the writes of a continue-mode image run in a kworker,
 * outside the task's fail-nth (the full tmpfs covers their failure
 * path); the checkpointing thread does not use rseq, whose update on
 * the way back to user space turns a failed page allocation into
 * SIGSEGV (kernel/rseq.c), after the checkpoint, in any program.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/cr.h>

#include "../kselftest_harness.h"
#include "cr_test.h"

#define NAME		"crfault"
#define CHILD_NAME	"crfault-child"
#define DBG		"/sys/kernel/debug"
#define CRCORE		"/opt/cr/bin/crcore"
#define OLD_IMAGE	"an earlier image\n"
#define BUF_SIZE	(256 << 10)
#define MAX_NTH		4000	/* a sweep longer than this is a test failure */
#define WAIT_MS		20000

/* What one checkpointed process is made of. */
struct job {
	int threads;		/* besides the main one */
	bool tree;		/* with a child process */
	int mode;		/* CR_MODE_* */
	unsigned int nth;	/* fail-nth armed for the checkpoint, or 0 */
};

static unsigned char *buf;
static uint64_t buf_sum;
static pid_t orig_pid;
static int to_child[2], from_child[2];	/* the tree's own pipes */
static pid_t child_pid;
static char ran_path[128];	/* where the process says it runs */

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int read_file(const char *path, char *out, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, out, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	out[n] = '\0';
	return 0;
}

/*
 * Arm failslab and fail_page_alloc for fail-nth: sleeping allocations,
 * highmem and order 0 included, without a stack dump per fault (the VM
 * runner takes a "Call Trace" for a kernel report).
 */
static const char *const fault_knobs[][3] = {
	/* file, value for the test, default */
	{ DBG "/failslab/ignore-gfp-wait", "N", "Y" },
	{ DBG "/failslab/verbose", "0", "2" },
	{ DBG "/fail_page_alloc/ignore-gfp-wait", "N", "Y" },
	{ DBG "/fail_page_alloc/ignore-gfp-highmem", "N", "Y" },
	{ DBG "/fail_page_alloc/min-order", "0", "1" },
	{ DBG "/fail_page_alloc/verbose", "0", "2" },
};

static bool arm_faults(bool on)
{
	struct stat st;
	unsigned int i;

	if (stat(DBG "/failslab", &st))
		mount("debugfs", DBG, "debugfs", 0, NULL);
	if (stat(DBG "/failslab", &st) || stat(DBG "/fail_page_alloc", &st) ||
	    access("/proc/self/fail-nth", W_OK))
		return false;
	for (i = 0; i < sizeof(fault_knobs) / sizeof(fault_knobs[0]); i++)
		if (write_str(fault_knobs[i][0], fault_knobs[i][on ? 1 : 2]))
			return false;
	return true;
}

/* The fail-nth counter of the calling thread, read and disarmed. */
static unsigned int own_nth_disarm(int fd)
{
	char b[16] = "";

	/* Neither read nor write of fail-nth allocates. */
	if (pread(fd, b, sizeof(b) - 1, 0) <= 0)
		b[0] = '\0';
	if (pwrite(fd, "0", 1, 0) != 1)
		_exit(40);
	return strtoul(b, NULL, 10);
}

/*
 * Unregister the calling thread's rseq area (glibc registers one): its
 * update on the way back to user space sends SIGSEGV when a page
 * allocation fails, after the checkpoint and outside it.
 */
static void rseq_off(void)
{
	void *area = (char *)__builtin_thread_pointer() + __rseq_offset;

	if (__rseq_size &&
	    syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) &&
	    syscall(SYS_rseq, area, __rseq_size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG))
		_exit(39);
}

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static unsigned int nr_tasks(void)
{
	struct dirent *e;
	unsigned int n = 0;
	DIR *d = opendir("/proc/self/task");

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The child of a tree: checks its memory whenever its parent asks. */
static void __attribute__((noreturn)) tree_child(void)
{
	char c;

	prctl(PR_SET_NAME, CHILD_NAME);
	close(to_child[1]);
	close(from_child[0]);
	for (;;) {
		if (read(to_child[0], &c, 1) != 1)
			_exit(0);
		c = fnv(buf, BUF_SIZE) == buf_sum ? 'o' : 'm';
		if (write(from_child[1], &c, 1) != 1)
			_exit(0);
	}
}

/* After a restore: is everything as it was? Written to "report". */
static void __attribute__((noreturn)) restored_main(const struct job *j)
{
	char why[128] = "ok", line[160];
	unsigned int rem = 0;
	int fd, n;

	/*
	 * The exec caller armed fail-nth: if the restore did not reach it,
	 * it is still armed here. Opening the file allocates, so an open
	 * may fail on the fault itself: then the count was reached.
	 */
	for (n = 0; (fd = open("/proc/thread-self/fail-nth", O_RDWR)) < 0; n++)
		if (n > 100)
			_exit(41);
	rem = own_nth_disarm(fd);
	if (n)
		rem = 0;
	close(fd);
	if (fnv(buf, BUF_SIZE) != buf_sum)
		snprintf(why, sizeof(why), "memory differs");
	else if (nr_tasks() != 1 + (unsigned int)j->threads)
		snprintf(why, sizeof(why), "%u threads, not %d", nr_tasks(), 1 + j->threads);
	if (j->tree) {
		struct pollfd p = { .fd = from_child[0], .events = POLLIN };
		char c = 'x';

		if (write(to_child[1], &c, 1) != 1 || poll(&p, 1, 5000) != 1 ||
		    read(from_child[0], &c, 1) != 1)
			snprintf(why, sizeof(why), "the child does not answer");
		else if (c != 'o')
			snprintf(why, sizeof(why), "the child's memory differs");
	}
	n = snprintf(line, sizeof(line), "%s %u\n", why, rem);
	fd = open("report", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, line, n) != n)
		_exit(42);
	close(fd);
	if (j->tree) {
		close(to_child[1]);	/* the child exits */
		wait(NULL);
	}
	_exit(0);
}

/*
 * The checkpointed process, in the test's directory: memory with a known
 * checksum, threads in pause(), a child in read(); it arms fail-nth and
 * sends itself SIGCKPT with the job's mode. When it runs again, it stops
 * itself (for the test to read and disarm fail-nth), then writes
 * "R <errno of the send> <child's pid>" to the file "ran" and waits; a
 * restored one checks its state instead (restored_main()). It holds no
 * descriptor that leads outside it.
 */
static void __attribute__((noreturn)) job_main(const struct job *j)
{
	siginfo_t si = {};
	pthread_t t;
	char nth[16], tmp[160];
	int fd, err, i;
	long r;

	prctl(PR_SET_NAME, NAME);
	orig_pid = syscall(SYS_getpid);
	buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		_exit(43);
	for (i = 0; i < BUF_SIZE; i++)
		buf[i] = (i * 7 + 13) ^ (i >> 9);
	buf_sum = fnv(buf, BUF_SIZE);
	if (j->tree) {
		if (pipe(to_child) || pipe(from_child))
			_exit(44);
		r = fork();
		if (r < 0)
			_exit(45);
		if (r == 0)
			tree_child();
		child_pid = r;
		close(to_child[0]);
		close(from_child[1]);
	}
	for (i = 0; i < j->threads; i++)
		if (pthread_create(&t, NULL, sleeper, NULL))
			_exit(46);
	rseq_off();
	/* Armed, and closed: the image holds no descriptor of it. */
	fd = open("/proc/thread-self/fail-nth", O_WRONLY | O_CLOEXEC);
	snprintf(nth, sizeof(nth), "%u", j->nth);
	if (fd < 0 || write(fd, nth, strlen(nth)) != (ssize_t)strlen(nth))
		_exit(47);
	close(fd);
	si.si_signo = SIGCKPT;
	si.si_code = SI_QUEUE;
	si.si_pid = orig_pid;
	si.si_uid = getuid();
	si.si_value.sival_int = j->mode;
	r = syscall(SYS_rt_tgsigqueueinfo, orig_pid, syscall(SYS_gettid), SIGCKPT, &si);
	err = r ? errno : 0;
	/* The checkpoint ran on the way out of that call. */
	if (syscall(SYS_getpid) != orig_pid)
		restored_main(j);
	/*
	 * The test reads what is left of fail-nth and disarms it while the
	 * process is stopped, before it allocates anything more.
	 */
	if (j->nth)
		syscall(SYS_tgkill, orig_pid, syscall(SYS_gettid), SIGSTOP);
	snprintf(tmp, sizeof(tmp), "%s.tmp", ran_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || dprintf(fd, "R %d %d\n", err, child_pid) <= 0 ||
	    rename(tmp, ran_path))
		_exit(49);
	close(fd);
	for (;;)
		pause();
}

/* The state of a process, from /proc/PID/stat ('R', 'S', 'T', 'Z'...), '?' if none. */
static char stat_letter(pid_t pid)
{
	char path[64], s[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, s, sizeof(s)))
		return '?';
	p = strrchr(s, ')');
	return p && p[1] && p[2] ? p[2] : '?';
}

/* Processes whose name is one of ours, other than @except. */
static int leftovers(pid_t except, char *names, size_t size)
{
	struct dirent *e;
	int n = 0;
	DIR *d = opendir("/proc");
	char path[64], comm[32];

	names[0] = '\0';
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid = atoi(e->d_name);

		if (pid <= 0 || pid == except)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (read_file(path, comm, sizeof(comm)))
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, NAME) && strcmp(comm, CHILD_NAME))
			continue;
		if (stat_letter(pid) == 'Z' || stat_letter(pid) == 'X')
			continue;
		n++;
		snprintf(names + strlen(names), size - strlen(names), " %d(%s)", pid, comm);
	}
	closedir(d);
	return n;
}

static void kill_ours(void)
{
	char names[256];
	struct dirent *e;
	DIR *d;

	if (!leftovers(0, names, sizeof(names)))
		return;
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		char path[64], comm[32];
		pid_t pid = atoi(e->d_name);

		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (pid > 0 && !read_file(path, comm, sizeof(comm)) &&
		    (!strcmp(comm, NAME "\n") || !strcmp(comm, CHILD_NAME "\n")))
			kill(pid, SIGKILL);
	}
	if (d)
		closedir(d);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* No thread of @pid stopped (nor traced). */
static bool threads_running(pid_t pid)
{
	char path[300], s[512], *p;
	struct dirent *e;
	bool ok = true;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return false;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, e->d_name);
		if (read_file(path, s, sizeof(s)))
			continue;
		p = strrchr(s, ')');
		if (p && (p[2] == 'T' || p[2] == 't'))
			ok = false;
	}
	closedir(d);
	return ok;
}

FIXTURE(fault) {
	char dir[64];
	char work[96];		/* the process's directory, where its image goes */
	char image[128];
	char saved_new_tids[8];
	bool armed;
	unsigned int stride;
	unsigned int clean, tolerated, killed;
	char errnos[160];
};

FIXTURE_SETUP(fault)
{
	const char *stride = getenv("CR_FAULT_STRIDE");

	strcpy(self->dir, "/tmp/cr-fault-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	strcpy(self->work, self->dir);
	snprintf(self->image, sizeof(self->image), "%s/" NAME ".ckpt", self->work);
	snprintf(ran_path, sizeof(ran_path), "%s/ran", self->dir);
	self->armed = arm_faults(true);
	self->stride = stride && atoi(stride) > 0 ? atoi(stride) : 8;
	if (read_file("/proc/sys/kernel/cr/new_tids", self->saved_new_tids,
		      sizeof(self->saved_new_tids)))
		strcpy(self->saved_new_tids, "0");
	/* Threads and children are restored with new ids. */
	ASSERT_EQ(0, write_str("/proc/sys/kernel/cr/new_tids", "1"));
	self->clean = self->tolerated = self->killed = 0;
	self->errnos[0] = '\0';
}

FIXTURE_TEARDOWN(fault)
{
	char cmd[128];

	kill_ours();
	if (self->armed)
		arm_faults(false);
	write_str("/proc/sys/kernel/cr/new_tids", self->saved_new_tids);
	if (strcmp(self->work, self->dir))
		umount2(self->work, MNT_DETACH);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", self->dir);
}

/* Run @argv, with no output; its exit status, or -1. */
static int run_quiet(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Is the file at @path the earlier image, a valid image, or neither? */
enum image_state { IMG_OLD, IMG_NEW, IMG_BAD, IMG_NONE };

static enum image_state image_state(const char *path)
{
	char *argv[] = { CRCORE, "check", (char *)path, NULL };
	char b[64];

	if (read_file(path, b, sizeof(b)))
		return IMG_NONE;
	if (!strcmp(b, OLD_IMAGE))
		return IMG_OLD;
	return run_quiet(argv) == 0 ? IMG_NEW : IMG_BAD;
}

static void put_old_image(struct __test_metadata *_metadata, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0700);

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(OLD_IMAGE), write(fd, OLD_IMAGE, strlen(OLD_IMAGE)));
	close(fd);
}

/* A .part next to @image, waited for while a continue-mode write ends. */
static bool part_gone(const char *image)
{
	char part[160];
	int i;

	snprintf(part, sizeof(part), "%s.part", image);
	for (i = 0; i < WAIT_MS / 10; i++) {
		if (access(part, F_OK))
			return true;
		usleep(10000);
	}
	return false;
}

static unsigned int proc_nth(pid_t pid)
{
	char path[64], b[16];

	snprintf(path, sizeof(path), "/proc/%d/fail-nth", pid);
	return read_file(path, b, sizeof(b)) ? 0 : strtoul(b, NULL, 10);
}

/* How a job went. */
struct outcome {
	pid_t pid;
	char line[64];		/* its "ran" file: it ran after the checkpoint */
	int status;		/* how it died, or -1 */
	unsigned int stops;	/* times it stopped */
	unsigned int rem;	/* what was left of its fail-nth */
};

/*
 * Start @j in a child (cwd: the test's work directory) and wait until it
 * runs again after the checkpoint (its "ran" file) or dies. Each time it
 * stops, the first time to have its fail-nth read and disarmed, it is
 * continued.
 */
static void run_job(struct __test_metadata *_metadata, FIXTURE_DATA(fault) *self,
		    const struct job *j, struct outcome *o)
{
	siginfo_t si;
	int i;

	memset(o, 0, sizeof(*o));
	o->status = -1;
	unlink(ran_path);
	o->pid = fork();
	ASSERT_LE(0, o->pid);
	if (o->pid == 0) {
		if (chdir(self->work))
			_exit(38);
		job_main(j);
	}
	for (i = 0; i < WAIT_MS; i++) {
		if (!read_file(ran_path, o->line, sizeof(o->line)))
			break;
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, o->pid, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT) ||
		    si.si_pid != o->pid) {
			usleep(i < 100 ? 200 : 1000);
			continue;
		}
		if (si.si_code == CLD_STOPPED) {
			char path[64];

			if (!o->stops++) {
				o->rem = proc_nth(o->pid);
				snprintf(path, sizeof(path), "/proc/%d/fail-nth", o->pid);
				write_str(path, "0");
			}
			waitid(P_PID, o->pid, &si, WSTOPPED | WNOHANG);
			kill(o->pid, SIGCONT);
			continue;
		}
		/* Dead, not reaped yet: its count is still there. */
		if (!o->stops)
			o->rem = proc_nth(o->pid);
		o->status = si.si_code == CLD_EXITED ? si.si_status << 8 : si.si_status;
		break;
	}
	EXPECT_TRUE(o->line[0] || o->status != -1) TH_LOG("nth %u: the process hangs", j->nth);
}

static void note_errno(FIXTURE_DATA(fault) *self, int e)
{
	char s[16];

	snprintf(s, sizeof(s), " %s", strerrorname_np(e) ? strerrorname_np(e) : "?");
	if (!strstr(self->errnos, s) &&
	    strlen(self->errnos) + strlen(s) < sizeof(self->errnos))
		strcat(self->errnos, s);
}

/*
 * Execute the image with the exec caller's @nth allocation failing (0:
 * none). Returns how many were left to go (0: the fault was reached).
 */
static unsigned int restore_once(struct __test_metadata *_metadata,
				 FIXTURE_DATA(fault) *self, unsigned int nth)
{
	char report[160], why[128], names[256], path[160];
	unsigned int rem = 0;
	int status, i;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/report", self->work);
	unlink(path);
	pid = fork();
	ASSERT_LE(0, pid) { return 0; }
	if (pid == 0) {
		char *argv[] = { self->image, NULL };
		char s[16];
		int fd;

		if (chdir(self->work))
			_exit(50);
		fd = open("/proc/thread-self/fail-nth", O_WRONLY | O_CLOEXEC);
		snprintf(s, sizeof(s), "%u", nth);
		if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
			_exit(51);
		execv(self->image, argv);
		_exit(100 + errno);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0)) { return 0; }
	if (WIFEXITED(status) && WEXITSTATUS(status) >= 100) {
		/*
		 * execve() failed, before the point of no return: for want of
		 * memory, said as the kernel says it where the allocation
		 * failed (E2BIG: exec's copy of the arguments; ENOSPC: a
		 * shmem file; ENFILE: a pipe).
		 */
		int e = WEXITSTATUS(status) - 100;

		EXPECT_TRUE(nth && (e == ENOMEM || e == E2BIG || e == ENOSPC || e == ENFILE ||
				    e == EAGAIN || e == EINTR))
			TH_LOG("nth %u: execve() failed with %s", nth, strerror(e));
		note_errno(self, e);
		self->clean++;
	} else if (WIFSIGNALED(status)) {
		/* Killed after the point of no return. */
		EXPECT_TRUE(nth && access(path, F_OK))
			TH_LOG("nth %u: killed by signal %d", nth, WTERMSIG(status));
		self->killed++;
	} else {
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("nth %u: restored process exited with %#x", nth, status);
		EXPECT_EQ(0, read_file(path, report, sizeof(report)));
		EXPECT_EQ(2, sscanf(report, "%127s %u", why, &rem)) TH_LOG("'%s'", report);
		EXPECT_STREQ("ok", why) TH_LOG("nth %u: restored wrong: %s", nth, report);
		if (nth && rem == 0)
			self->tolerated++;
	}
	/* A failed tree's processes are killed: give them time to die. */
	for (i = 0; i < 100 && leftovers(0, names, sizeof(names)); i++)
		usleep(10000);
	EXPECT_EQ(0, leftovers(0, names, sizeof(names)))
		TH_LOG("nth %u: left running:%s", nth, names);
	kill_ours();
	return nth ? rem : 1;
}

/*
 * One checkpoint with the @nth allocation failing. Returns how many
 * allocations were left to go (0: the fault was reached).
 */
static unsigned int checkpoint_once(struct __test_metadata *_metadata,
				    FIXTURE_DATA(fault) *self, const struct job *j)
{
	enum image_state img;
	struct outcome o;
	int err = 0, child = 0;
	bool stopped;

	put_old_image(_metadata, self->image);
	run_job(_metadata, self, j, &o);
	if (o.pid <= 0)
		return 0;
	/* Stopped by the checkpoint, besides its own stop to be read. */
	stopped = o.stops > 1;
	if (o.line[0]) {
		EXPECT_EQ(2, sscanf(o.line, "R %d %d", &err, &child));
		EXPECT_TRUE(threads_running(o.pid)) TH_LOG("nth %u: a thread is left stopped", j->nth);
		/* Its child goes on as well. */
		if (j->tree)
			EXPECT_TRUE(child > 0 && strchr("RSD", stat_letter(child)))
				TH_LOG("nth %u: child %d in state %c", j->nth, child,
				       stat_letter(child));
	}
	EXPECT_TRUE(part_gone(self->image)) TH_LOG("nth %u: %s.part is left", j->nth, self->image);
	img = image_state(self->image);
	EXPECT_TRUE(img == IMG_OLD || img == IMG_NEW)
		TH_LOG("nth %u: the image is %s", j->nth, img == IMG_BAD ? "not valid" : "gone");
	if (img == IMG_NEW) {
		/* A success: the process did as its mode says. */
		if (j->mode == CR_MODE_CONTINUE)
			EXPECT_TRUE(o.line[0] && !stopped)
				TH_LOG("nth %u: status %#x, %u stops", j->nth, o.status, o.stops);
		if (j->mode == CR_MODE_STOP)
			EXPECT_TRUE(stopped) TH_LOG("nth %u: not stopped (%s, %#x)", j->nth,
						    o.line, o.status);
		if (j->mode == CR_MODE_EXIT)
			EXPECT_TRUE(!o.line[0] && WIFSIGNALED(o.status) &&
				    WTERMSIG(o.status) == SIGCKPT)
				TH_LOG("nth %u: did not die of SIGCKPT (%s, %#x)", j->nth, o.line,
				       o.status);
	} else {
		/* A failure: whatever the mode, the process goes on. */
		EXPECT_TRUE(o.line[0] && !stopped)
			TH_LOG("nth %u: failed checkpoint, status %#x, %u stops", j->nth, o.status,
			       o.stops);
		EXPECT_EQ(0, o.rem) TH_LOG("nth %u: no image although no fault was reached", j->nth);
		self->clean++;
	}
	kill(o.pid, SIGKILL);
	waitpid(o.pid, NULL, 0);
	kill_ours();
	if (img == IMG_NEW && o.rem == 0) {
		/* The fault was reached and the image written: is it whole? */
		self->tolerated++;
		restore_once(_metadata, self, 0);
	}
	return o.rem;
}

static void checkpoint_sweep(struct __test_metadata *_metadata,
			     FIXTURE_DATA(fault) *self, int threads, bool tree, int mode)
{
	struct job j = { .threads = threads, .tree = tree, .mode = mode };
	double t0 = now();
	unsigned int tried = 0;

	if (!self->armed)
		SKIP(return, "no failslab/fail_page_alloc in debugfs (CONFIG_FAULT_INJECTION_DEBUG_FS)");
	for (j.nth = 1; j.nth < MAX_NTH; j.nth += self->stride, tried++)
		if (checkpoint_once(_metadata, self, &j) || _metadata->exit_code)
			break;
	EXPECT_LT(j.nth, MAX_NTH);
	TH_LOG("allocations 1..%u, every %u: %u tried, %u checkpoints failed cleanly, %u succeeded anyway and restored whole (%.0f s)",
	       j.nth, self->stride, tried + 1, self->clean, self->tolerated, now() - t0);
	/* With no fault, the image is written. */
	EXPECT_EQ(IMG_NEW, image_state(self->image));
}

/*
 * Every allocation (CR_FAULT_STRIDE=1) takes most of an hour under TCG;
 * in the test command, the kselftest runner's timeout bounds the program.
 */
TEST_F_TIMEOUT(fault, checkpoint_continue, 3600)
{
	checkpoint_sweep(_metadata, self, 0, false, CR_MODE_CONTINUE);
}

TEST_F_TIMEOUT(fault, checkpoint_stop_threads, 3600)
{
	checkpoint_sweep(_metadata, self, 3, false, CR_MODE_STOP);
}

TEST_F_TIMEOUT(fault, checkpoint_exit_tree, 3600)
{
	checkpoint_sweep(_metadata, self, 0, true, CR_MODE_EXIT);
}

TEST_F_TIMEOUT(fault, checkpoint_continue_threads_tree, 3600)
{
	checkpoint_sweep(_metadata, self, 2, true, CR_MODE_CONTINUE);
}

static void restore_sweep(struct __test_metadata *_metadata,
			  FIXTURE_DATA(fault) *self, int threads, bool tree)
{
	struct job j = { .threads = threads, .tree = tree, .mode = CR_MODE_EXIT };
	unsigned int nth, tried = 0;
	double t0 = now();
	struct outcome o;

	if (!self->armed)
		SKIP(return, "no failslab/fail_page_alloc in debugfs (CONFIG_FAULT_INJECTION_DEBUG_FS)");
	run_job(_metadata, self, &j, &o);
	ASSERT_LT(0, o.pid);
	ASSERT_TRUE(!o.line[0] && WIFSIGNALED(o.status) && WTERMSIG(o.status) == SIGCKPT)
		TH_LOG("checkpoint: '%s', status %#x", o.line, o.status);
	waitpid(o.pid, NULL, 0);
	kill_ours();
	ASSERT_EQ(IMG_NEW, image_state(self->image));
	for (nth = 1; nth < MAX_NTH; nth += self->stride, tried++)
		if (restore_once(_metadata, self, nth) || _metadata->exit_code)
			break;
	EXPECT_LT(nth, MAX_NTH);
	TH_LOG("allocations 1..%u, every %u: %u tried, execve() failed %u times (%s), %u callers killed, %u restores whole anyway (%.0f s)",
	       nth, self->stride, tried + 1, self->clean, self->errnos, self->killed,
	       self->tolerated, now() - t0);
}

TEST_F_TIMEOUT(fault, restore_single, 3600)
{
	restore_sweep(_metadata, self, 0, false);
}

TEST_F_TIMEOUT(fault, restore_threads, 3600)
{
	restore_sweep(_metadata, self, 3, false);
}

TEST_F_TIMEOUT(fault, restore_tree, 3600)
{
	restore_sweep(_metadata, self, 1, true);
}

/*
 * The image's filesystem fails the writes: a tmpfs too small for it, or
 * one remounted read-only. In every mode the checkpoint fails, the
 * earlier image stays, no .part is left and the process goes on.
 */
static void fs_error(struct __test_metadata *_metadata, FIXTURE_DATA(fault) *self,
		     bool read_only)
{
	static const int modes[] = { CR_MODE_CONTINUE, CR_MODE_STOP, CR_MODE_EXIT };
	struct job j = { .threads = 1 };
	struct outcome o;
	int m;

	/* 64 KiB: the image of BUF_SIZE of memory does not fit. */
	snprintf(self->work, sizeof(self->work), "%s/fs", self->dir);
	snprintf(self->image, sizeof(self->image), "%s/" NAME ".ckpt", self->work);
	ASSERT_EQ(0, mkdir(self->work, 0700));
	ASSERT_EQ(0, mount("tmpfs", self->work, "tmpfs", 0, "size=64k,mode=0700"));
	put_old_image(_metadata, self->image);
	if (read_only)
		ASSERT_EQ(0, mount(NULL, self->work, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	for (m = 0; m < 3; m++) {
		j.mode = modes[m];
		run_job(_metadata, self, &j, &o);
		ASSERT_LT(0, o.pid);
		EXPECT_TRUE(o.line[0] && !o.stops)
			TH_LOG("mode %d: status %#x, %u stops", j.mode, o.status, o.stops);
		EXPECT_TRUE(part_gone(self->image));
		EXPECT_EQ(IMG_OLD, image_state(self->image)) TH_LOG("mode %d", j.mode);
		EXPECT_TRUE(threads_running(o.pid)) TH_LOG("mode %d: a thread is stopped", j.mode);
		EXPECT_NE('T', stat_letter(o.pid));
		kill(o.pid, SIGKILL);
		waitpid(o.pid, NULL, 0);
	}
}

TEST_F(fault, full_tmpfs)
{
	fs_error(_metadata, self, false);
}

TEST_F(fault, read_only_remount)
{
	fs_error(_metadata, self, true);
}

TEST_HARNESS_MAIN
