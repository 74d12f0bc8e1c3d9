// SPDX-License-Identifier: GPL-2.0
/*
 * Security of checkpoint and restore: regression tests for the problems a
 * review found (issue 12). Each test names the finding it covers and
 * fails on a kernel without the fix:
 *
 *   5  a tree's root may checkpoint (and stop or kill) only descendants
 *      it could read with ptrace;
 *   6  /proc/PID/exe of a restored process is set only as
 *      PR_SET_MM_EXE_FILE would set it;
 *   1  an unlinked file's contents are saved only from a descriptor
 *      open for reading;
 *   3  a restored tree's descendants inherit no close-on-exec descriptor
 *      of the exec caller;
 *   4  a tree image's notes are bounded in all, charged to the memory
 *      cgroup, and read only once the caller may restore the tree;
 *   8  no stale kernel memory in the padding of NT_CR_FILES;
 *   9  freezing many threads costs no more than a few walks of the tree;
 *   10 SIGCKPT reaches a container's init only from outside it;
 *   12 RLIMIT_STACK comes back; RLIMIT_FSIZE bounds a continue-mode
 *      image; a secure exec clears personality flags and the parent-death
 *      signal; a chrooted process's mapped files keep their own paths.
 *
 * Finding 11 (a child's pid reused before cr_tree_fail() kills it) is a
 * race that no test can force; tree_test's failing-descendant cases run
 * the path it changed.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/cr.h>

#include "../kselftest_harness.h"
#include "cr_test.h"

#define NAME		"crsec"
#define USER		1000	/* an unprivileged user */
#define OTHER		2000	/* another one */
#define COUNTER		"/opt/cr/bin/cr-counter"

FIXTURE(sec) {
	char dir[64];
	char image[128];
	pid_t pids[4];
	int ready[2];
	int report[2];
};

FIXTURE_SETUP(sec)
{
	strcpy(self->dir, "/tmp/cr-sec-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0777));
	snprintf(self->image, sizeof(self->image), "%s/" NAME ".ckpt", self->dir);
	ASSERT_EQ(0, pipe(self->ready));
	ASSERT_EQ(0, pipe(self->report));
	memset(self->pids, 0, sizeof(self->pids));
}

FIXTURE_TEARDOWN(sec)
{
	unsigned int i;

	set_new_tids(0);
	for (i = 1; i < ARRAY_SIZE(self->pids); i++)
		if (self->pids[i] > 0)
			kill(self->pids[i], SIGKILL);
	cr_test_cleanup(self->pids[0], self->dir);
}

static void become(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		_exit(40);
	prctl(PR_SET_DUMPABLE, 1);
}

/* A process that has not been restored yet has the pid it started with. */
static pid_t orig_pid;

static bool restored(void)
{
	return syscall(SYS_getpid) != orig_pid;
}

static void wait_restored(void)
{
	while (!restored())
		usleep(10000);
}

/* Start @fn in a child named NAME working in the test directory. */
static pid_t start(struct __test_metadata *_metadata, FIXTURE_DATA(sec) *self,
		   void (*fn)(FIXTURE_DATA(sec) *self))
{
	char c;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		prctl(PR_SET_NAME, NAME);
		if (chdir(self->dir) || dup2(self->report[1], REPORT_FD) < 0)
			_exit(41);
		orig_pid = syscall(SYS_getpid);
		fn(self);
		_exit(42);
	}
	EXPECT_EQ(1, read(self->ready[0], &c, 1));
	self->pids[0] = pid;
	return pid;
}

static void ready(FIXTURE_DATA(sec) *self)
{
	if (write(self->ready[1], "r", 1) != 1)
		_exit(43);
}

/* Checkpoint @pid in exit mode: it dies of SIGCKPT, the image is there. */
static void checkpoint_exit(struct __test_metadata *_metadata, pid_t pid,
			    const char *image)
{
	union sigval v = { .sival_int = CR_MODE_EXIT };
	struct stat st;
	int status;

	ASSERT_EQ(0, sigqueue(pid, SIGCKPT, v));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGCKPT)
		TH_LOG("status %#x", status);
	ASSERT_EQ(0, stat(image, &st));
}

/* Wait up to @secs for @path to exist. */
static bool wait_file(const char *path, double secs)
{
	double end = now() + secs;
	struct stat st;

	while (now() < end) {
		if (!stat(path, &st))
			return true;
		usleep(20000);
	}
	return false;
}

/* The cgroup an exec'd image is restored in, if any (cgroup.procs). */
static const char *exec_cgroup;
/* A file the exec'ing process has as fd 9, if any, close-on-exec or not. */
static const char *exec_fd9;
static bool exec_fd9_cloexec;

/*
 * Execute @image in a new process, as @uid (0: as we are), in a session
 * of its own (what it restores can be killed as a group), in the test
 * directory, with the report pipe; returns the pid. The errno of a
 * failed exec comes back on @err[1], if given.
 */
static pid_t exec_image(FIXTURE_DATA(sec) *self, const char *image, uid_t uid, int *err)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)image, NULL };
		int fd = open("/dev/null", O_WRONLY);
		char me[16];

		if (err)
			close(err[0]);
		if (setsid() < 0 || dup2(self->report[1], REPORT_FD) < 0 ||
		    chdir(self->dir) || fd < 0 || dup2(fd, 1) < 0)
			_exit(44);
		if (exec_cgroup) {
			fd = open(exec_cgroup, O_WRONLY);
			snprintf(me, sizeof(me), "%d", getpid());
			if (fd < 0 || write(fd, me, strlen(me)) < 0)
				_exit(45);
			close(fd);
		}
		if (exec_fd9) {
			fd = open(exec_fd9, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || (fd != 9 && dup2(fd, 9) < 0) ||
			    fcntl(9, F_SETFD, exec_fd9_cloexec ? FD_CLOEXEC : 0))
				_exit(48);
		}
		if (uid)
			become(uid);
		execv(image, argv);
		if (err && write(err[1], &errno, sizeof(errno)) != sizeof(errno))
			_exit(46);
		_exit(47);
	}
	return pid;
}

/* The report of the restored process @pid, which then exits. */
static void read_report(struct __test_metadata *_metadata, FIXTURE_DATA(sec) *self,
			pid_t pid, char *buf)
{
	ssize_t n, len = 0;
	int status;

	close(self->report[1]);
	while ((n = read(self->report[0], buf + len, REPORT_MAX - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("restored process status %#x, report '%s'", status, buf);
}

/*
 * The errno an exec of @image fails with, or 0 when it did not fail; then
 * what it restored is killed, and @status is how the exec'ing process
 * ended: KILLED_BY_US, or (killed by SIGKILL before that) by the
 * cgroup's OOM killer.
 */
#define KILLED_BY_US	0x10000
static int exec_errno(FIXTURE_DATA(sec) *self, const char *image, uid_t uid,
		      int *status)
{
	int err[2], e = 0;
	pid_t pid;

	*status = 0;
	if (pipe2(err, O_CLOEXEC))
		return -1;
	pid = exec_image(self, image, uid, err);
	close(err[1]);
	if (read(err[0], &e, sizeof(e)) != sizeof(e))
		e = 0;
	close(err[0]);
	if (!e) {
		usleep(300000);
		if (waitpid(pid, status, WNOHANG) == pid)
			return 0;
		kill(-pid, SIGKILL);
		waitpid(pid, status, 0);
		*status = KILLED_BY_US;
		return 0;
	}
	waitpid(pid, status, 0);
	return e;
}

/* Finding 10: SIGCKPT from inside a pid namespace to its init. */
TEST_F(sec, ckpt_to_container_init_from_inside_ignored)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		pid_t init;

		if (unshare(CLONE_NEWPID))
			_exit(30);
		init = fork();
		if (init < 0)
			_exit(31);
		if (init == 0) {
			union sigval v = { .sival_int = CR_MODE_EXIT };
			struct stat st;
			pid_t g;

			prctl(PR_SET_NAME, "crinit");
			if (chdir(self->dir))
				_exit(32);
			g = fork();
			if (g == 0) {
				/* A process of the container; it stays. */
				if (sigqueue(1, SIGCKPT, v))
					_exit(33);
				for (;;)
					pause();
			}
			if (g < 0)
				_exit(34);
			sleep(2);
			kill(g, SIGKILL);
			/* Still here, and no image: the signal was dropped. */
			_exit(stat("crinit.ckpt", &st) ? 0 : 35);
		}
		if (waitpid(init, &status, 0) != init)
			_exit(36);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("container init: exit status %d (163: killed by SIGCKPT)",
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Finding 5: a descendant the root may not read. */
static void root_of_other_creds(FIXTURE_DATA(sec) *self)
{
	pid_t c = fork();

	if (c < 0)
		_exit(50);
	if (c == 0) {
		prctl(PR_SET_NAME, "crsecroot");
		for (;;)
			pause();
	}
	/* The child stays root; its parent becomes an ordinary user. */
	become(USER);
	if (write(self->report[1], &c, sizeof(c)) != sizeof(c))
		_exit(51);
	ready(self);
	for (;;)
		pause();
}

TEST_F(sec, descendant_the_root_may_not_read_refused)
{
	union sigval v = { .sival_int = CR_MODE_EXIT };
	struct stat st;
	pid_t root, child;

	root = start(_metadata, self, root_of_other_creds);
	ASSERT_EQ(sizeof(child), read(self->report[0], &child, sizeof(child)));
	self->pids[1] = child;
	ASSERT_EQ(0, sigqueue(root, SIGCKPT, v));
	sleep(2);
	/* Refused: no image, and both go on (exit mode would have killed them). */
	EXPECT_NE(0, stat(self->image, &st));
	EXPECT_EQ(0, kill(root, 0));
	EXPECT_EQ(0, kill(child, 0));
}

/* Finding 6: /proc/PID/exe of a restored process. */
static void copy_file(struct __test_metadata *_metadata, const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	ASSERT_LE(0, in);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, out);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(out, buf, n));
	close(in);
	close(out);
}

static bool exe_is(pid_t pid, const char *path)
{
	char link[64], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, path);
}

TEST_F(sec, exe_file_set_only_as_pr_set_mm_would)
{
	char prog[128], image[160];
	int status, fd;
	pid_t pid;

	if (access(COUNTER, X_OK))
		SKIP(return, "no " COUNTER);
	snprintf(prog, sizeof(prog), "%s/cr-counter", self->dir);
	snprintf(image, sizeof(image), "%s/cr-counter.ckpt", self->dir);
	copy_file(_metadata, COUNTER, prog);
	/* An ordinary user runs its program and checkpoints it. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (chdir(self->dir) || null < 0 || dup2(null, 1) < 0)
			_exit(60);
		become(USER);
		execl(prog, "cr-counter", "0", "100", NULL);
		fprintf(stderr, "exec %s: %s\n", prog, strerror(errno));
		_exit(61);
	}
	self->pids[0] = pid;
	usleep(500000);
	checkpoint_exit(_metadata, pid, image);
	self->pids[0] = 0;

	/* Restored by the user: no CAP_CHECKPOINT_RESTORE, exe stays the image. */
	pid = exec_image(self, image, USER, NULL);
	self->pids[1] = pid;
	usleep(800000);
	EXPECT_TRUE(exe_is(pid, image)) TH_LOG("exe is not the image");
	/* And the program file is not made unwritable. */
	fd = open(prog, O_WRONLY);
	EXPECT_LE(0, fd) TH_LOG("open for writing: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);

	/* Restored by root (CAP_CHECKPOINT_RESTORE): the program, as it was. */
	pid = exec_image(self, image, 0, NULL);
	self->pids[1] = pid;
	usleep(800000);
	EXPECT_TRUE(exe_is(pid, prog)) TH_LOG("exe is not the program");
	EXPECT_EQ(-1, open(prog, O_WRONLY));
	EXPECT_EQ(ETXTBSY, errno);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	self->pids[1] = 0;
}

/* Finding 9: many threads frozen in a few walks of the tree. */
#define MANY_THREADS	4000
#define FREEZE_MAX	10	/* seconds */

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static void many_threads(FIXTURE_DATA(sec) *self)
{
	pthread_attr_t attr;
	pthread_t t;
	int i;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (i = 0; i < MANY_THREADS; i++)
		if (pthread_create(&t, &attr, sleeper, NULL))
			_exit(70);
	ready(self);
	for (;;)
		pause();
}

/* The NT_CR_HEADER note of @image, the first note. */
static int read_header(const char *image, struct cr_hdr_image *h)
{
	int fd = open(image, O_RDONLY), ret = -1;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf64_Nhdr nh;

	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) &&
	    pread(fd, &ph, sizeof(ph), eh.e_phoff) == sizeof(ph) &&
	    pread(fd, &nh, sizeof(nh), ph.p_offset) == sizeof(nh) &&
	    pread(fd, h, sizeof(*h), ph.p_offset + sizeof(nh) +
		  ((nh.n_namesz + 3) & ~3)) == sizeof(*h))
		ret = 0;
	close(fd);
	return ret;
}

TEST_F_TIMEOUT(sec, many_threads_frozen_in_bounded_time, 400)
{
	union sigval v = { .sival_int = CR_MODE_CONTINUE };
	struct cr_hdr_image h;
	struct timespec ts;
	double t0, dt, frozen;

	start(_metadata, self, many_threads);
	clock_gettime(CLOCK_REALTIME, &ts);
	t0 = now();
	ASSERT_EQ(0, sigqueue(self->pids[0], SIGCKPT, v));
	ASSERT_TRUE(wait_file(self->image, 300));
	dt = now() - t0;
	/* Every thread is in the image. */
	ASSERT_EQ(0, read_header(self->image, &h));
	/* The header is written once every thread is parked: the freeze. */
	frozen = (h.time_ns - (ts.tv_sec * 1000000000ULL + ts.tv_nsec)) / 1e9;
	TH_LOG("%d threads frozen in %.1f s, checkpointed in %.1f s",
	       MANY_THREADS + 1, frozen, dt);
	/* Without the hash and the large batches: tens of seconds under TCG. */
	EXPECT_GT(FREEZE_MAX, frozen);
	EXPECT_EQ(MANY_THREADS + 1, h.nr_threads);
}

/*
 * Finding 4. A tree image made larger: each descendant's image is copied
 * to the end of the file with its notes moved after it and one more note
 * of @junk bytes (a hole of the file); with @corrupt, the first copy is
 * no image at all.
 */
static int inflate(const char *from, const char *to, uint64_t junk, bool corrupt)
{
	int in = open(from, O_RDONLY), out = -1, ret = -1;
	unsigned char *buf = NULL;
	uint64_t len, end;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	struct stat st;
	int i, segs = 0;

	if (in < 0 || fstat(in, &st))
		goto out;
	len = st.st_size;
	buf = malloc(len);
	if (!buf || pread(in, buf, len, 0) != (ssize_t)len)
		goto out;
	out = open(to, O_RDWR | O_CREAT | O_TRUNC, 0755);
	if (out < 0)
		goto out;
	eh = (Elf64_Ehdr *)buf;
	ph = (Elf64_Phdr *)(buf + eh->e_phoff);
	end = len;
	for (i = 1; i < eh->e_phnum; i++) {
		Elf64_Nhdr nh = { .n_namesz = 5, .n_descsz = junk, .n_type = 0x4a554e4b };
		uint64_t base = (end + 4095) & ~4095ULL, notes;
		unsigned char *seg;
		Elf64_Phdr *sp, nsp;
		Elf64_Ehdr *se;

		if (ph[i].p_type != PT_CR_PROCESS)
			continue;
		seg = buf + ph[i].p_offset;
		se = (Elf64_Ehdr *)seg;
		sp = (Elf64_Phdr *)(seg + se->e_phoff);
		nsp = sp[0];
		/* The segment, then its notes and the junk note after it. */
		notes = (base + ph[i].p_filesz + 4095) & ~4095ULL;
		if (pwrite(out, seg, ph[i].p_filesz, base) != (ssize_t)ph[i].p_filesz ||
		    pwrite(out, seg + sp[0].p_offset, sp[0].p_filesz, notes) !=
		    (ssize_t)sp[0].p_filesz ||
		    pwrite(out, &nh, sizeof(nh), notes + sp[0].p_filesz) != sizeof(nh) ||
		    pwrite(out, "JUNK\0\0\0", 8, notes + sp[0].p_filesz + sizeof(nh)) != 8)
			goto out;
		nsp.p_offset = notes - base;
		nsp.p_filesz = sp[0].p_filesz + sizeof(nh) + 8 + junk;
		if (pwrite(out, &nsp, sizeof(nsp), base + se->e_phoff) != sizeof(nsp))
			goto out;
		if (corrupt && !segs++ && pwrite(out, "XXXX", 4, base) != 4)
			goto out;
		end = notes + nsp.p_filesz;
		ph[i].p_offset = base;
		ph[i].p_filesz = end - base;
	}
	if (pwrite(out, buf, len, 0) != (ssize_t)len || ftruncate(out, end))
		goto out;
	ret = 0;
out:
	free(buf);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

#define TREE_CHILDREN	5

static void small_tree(FIXTURE_DATA(sec) *self)
{
	int i;

	for (i = 0; i < TREE_CHILDREN; i++) {
		pid_t c = fork();

		if (c < 0)
			_exit(80);
		if (c == 0) {
			for (;;)
				pause();
		}
	}
	ready(self);
	for (;;)
		pause();
}

static void tree_image(struct __test_metadata *_metadata, FIXTURE_DATA(sec) *self)
{
	start(_metadata, self, small_tree);
	checkpoint_exit(_metadata, self->pids[0], self->image);
	self->pids[0] = 0;
}

TEST_F_TIMEOUT(sec, tree_notes_bounded_in_all, 120)
{
	char big[160];
	int status;

	tree_image(_metadata, self);
	snprintf(big, sizeof(big), "%s/big.ckpt", self->dir);
	/* 5 x 60 MiB of notes: more than CR_MAX_IMAGE_NOTES in all. */
	ASSERT_EQ(0, inflate(self->image, big, 60 << 20, false));
	set_new_tids(1);
	EXPECT_EQ(E2BIG, exec_errno(self, big, 0, &status));
	/* The same tree, not inflated, restores (the check is not the refusal). */
	EXPECT_EQ(0, exec_errno(self, self->image, 0, &status));
}

TEST_F_TIMEOUT(sec, tree_notes_charged_to_the_memory_cgroup, 120)
{
	const char *cg = "/sys/fs/cgroup", *sub = "/sys/fs/cgroup/crsec";
	char big[160], path[128];
	struct stat st;
	int status, e, fd;

	if (stat("/sys/fs/cgroup/cgroup.controllers", &st)) {
		mkdir(cg, 0755);
		if (mount("cgroup2", cg, "cgroup2", 0, NULL))
			SKIP(return, "no cgroup2 (%s)", strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", cg);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "+memory", 7) != 7)
		SKIP(return, "no memory controller");
	close(fd);
	mkdir(sub, 0755);
	snprintf(path, sizeof(path), "%s/memory.max", sub);
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "48M", 3));
	close(fd);

	tree_image(_metadata, self);
	snprintf(big, sizeof(big), "%s/big.ckpt", self->dir);
	/* 5 x 40 MiB of notes: within the bound, not within the cgroup's 48 MiB. */
	ASSERT_EQ(0, inflate(self->image, big, 40 << 20, false));
	set_new_tids(1);
	snprintf(path, sizeof(path), "%s/cgroup.procs", sub);
	exec_cgroup = path;
	e = exec_errno(self, big, 0, &status);
	exec_cgroup = NULL;
	rmdir(sub);
	/* Charged: the exec fails for memory (and wakes no OOM killer). */
	EXPECT_EQ(ENOMEM, e) TH_LOG("exec errno %d, status %#x", e, status);
}

TEST_F_TIMEOUT(sec, tree_refused_before_its_processes_are_read, 120)
{
	char bad[160], helper[256];
	int status;

	tree_image(_metadata, self);
	snprintf(bad, sizeof(bad), "%s/bad.ckpt", self->dir);
	/* A descendant that is no image: EINVAL, once descendants are read. */
	ASSERT_EQ(0, inflate(self->image, bad, 0, true));
	set_new_tids(1);
	EXPECT_EQ(EINVAL, exec_errno(self, bad, 0, &status));
	/*
	 * An ordinary user may not restore a tree here: that is said first
	 * (without a restore helper, which would take the image over).
	 */
	set_new_tids(0);
	get_restore_helper(helper, sizeof(helper));
	set_restore_helper("");
	EXPECT_EQ(EPERM, exec_errno(self, bad, USER, &status));
	set_restore_helper(helper);
}

/* Finding 12: RLIMIT_STACK is the image's, not exec's. */
static void stack_limit(FIXTURE_DATA(sec) *self)
{
	struct rlimit rl = { .rlim_cur = 24 << 20, .rlim_max = RLIM_INFINITY };

	if (setrlimit(RLIMIT_STACK, &rl))
		_exit(100);
	ready(self);
	wait_restored();
	getrlimit(RLIMIT_STACK, &rl);
	report("stack %llu", (unsigned long long)rl.rlim_cur);
}

TEST_F(sec, rlimit_stack_restored)
{
	char buf[REPORT_MAX];
	pid_t pid;

	start(_metadata, self, stack_limit);
	checkpoint_exit(_metadata, self->pids[0], self->image);
	self->pids[0] = 0;
	pid = exec_image(self, self->image, 0, NULL);
	read_report(_metadata, self, pid, buf);
	EXPECT_STREQ("stack 25165824", buf);
}

/* Finding 12: RLIMIT_FSIZE bounds the image written after the thaw. */
static void small_fsize(FIXTURE_DATA(sec) *self)
{
	struct rlimit rl = { .rlim_cur = 64 << 10, .rlim_max = 64 << 10 };

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl))
		_exit(110);
	ready(self);
	for (;;)
		pause();
}

TEST_F(sec, rlimit_fsize_bounds_a_continue_mode_image)
{
	union sigval v = { .sival_int = CR_MODE_CONTINUE };
	char part[160];
	struct stat st;

	start(_metadata, self, small_fsize);
	ASSERT_EQ(0, sigqueue(self->pids[0], SIGCKPT, v));
	EXPECT_FALSE(wait_file(self->image, 3));
	snprintf(part, sizeof(part), "%s.part", self->image);
	EXPECT_NE(0, stat(part, &st));
	EXPECT_EQ(0, kill(self->pids[0], 0));
}

/* Finding 12: a secure exec keeps personality flags and pdeath signal cleared. */
static void personality_pdeath(FIXTURE_DATA(sec) *self)
{
	if (personality(ADDR_NO_RANDOMIZE) < 0 || prctl(PR_SET_PDEATHSIG, SIGUSR2))
		_exit(120);
	ready(self);
	wait_restored();
	{
		int pdeath = -1, pers = personality(0xffffffff);

		prctl(PR_GET_PDEATHSIG, &pdeath);
		report("personality %#x pdeath %d", pers, pdeath);
	}
}

TEST_F(sec, secure_exec_clears_personality_and_pdeath_signal)
{
	char buf[REPORT_MAX];
	pid_t pid;

	start(_metadata, self, personality_pdeath);
	checkpoint_exit(_metadata, self->pids[0], self->image);
	self->pids[0] = 0;
	/* A set-user-id image run by another user: a secure exec. */
	ASSERT_EQ(0, chown(self->image, USER, USER));
	ASSERT_EQ(0, chmod(self->image, 04755));
	pid = exec_image(self, self->image, OTHER, NULL);
	read_report(_metadata, self, pid, buf);
	EXPECT_STREQ("personality 0 pdeath 0", buf);
}

/* Finding 12: the paths of a chrooted process's mapped files are its own. */
static void chrooted(FIXTURE_DATA(sec) *self)
{
	char root[96];
	void *p;
	int fd;

	snprintf(root, sizeof(root), "%s/root", self->dir);
	if (chroot(root) || chdir("/"))
		_exit(130);
	fd = open("/data", O_RDONLY);
	p = fd < 0 ? MAP_FAILED : mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		_exit(131);
	ready(self);
	for (;;)
		pause();
}

/* The whole file at @path, to free, and its size; NULL if it cannot be read. */
static unsigned char *load_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	unsigned char *buf = NULL;
	struct stat st;

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st))
		buf = malloc(st.st_size + 1);
	if (buf && read(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = buf ? st.st_size : 0;
	return buf;
}

/* A copy of the first note of @owner and @type in @image, to free, and its size. */
static unsigned char *read_note(const char *image, const char *owner, unsigned int type,
				size_t *size)
{
	unsigned char *buf, *out = NULL;
	size_t len, off, end, desc;
	Elf64_Phdr *ph;

	buf = load_file(image, &len);
	if (!buf)
		return NULL;
	ph = (Elf64_Phdr *)(buf + ((Elf64_Ehdr *)buf)->e_phoff);
	off = ph[0].p_offset;
	end = off + ph[0].p_filesz;
	while (!out && off + sizeof(Elf64_Nhdr) <= end && end <= len) {
		Elf64_Nhdr *nh = (Elf64_Nhdr *)(buf + off);

		desc = off + sizeof(*nh) + ((nh->n_namesz + 3) & ~3UL);
		if (nh->n_type == type && !strcmp((char *)(nh + 1), owner)) {
			out = malloc(nh->n_descsz);
			if (out)
				memcpy(out, buf + desc, nh->n_descsz);
			*size = nh->n_descsz;
		}
		off = desc + ((nh->n_descsz + 3) & ~3UL);
	}
	free(buf);
	return out;
}

/* Does the NT_FILE note of @image name @path? */
static bool nt_file_has(const char *image, const char *path)
{
	uint64_t *d, i;
	bool found = false;
	size_t size;
	char *name;

	d = (uint64_t *)read_note(image, "CORE", NT_FILE, &size);
	if (!d)
		return false;
	name = (char *)(d + 2 + 3 * d[0]);
	for (i = 0; i < d[0] && !found; i++, name += strlen(name) + 1)
		found = !strcmp(name, path);
	free(d);
	return found;
}

TEST_F(sec, chrooted_process_keeps_its_paths)
{
	union sigval v = { .sival_int = CR_MODE_CONTINUE };
	char root[96], data[128], image[128];
	int fd;

	snprintf(root, sizeof(root), "%s/root", self->dir);
	snprintf(data, sizeof(data), "%s/data", root);
	snprintf(image, sizeof(image), "%s/" NAME ".ckpt", root);
	ASSERT_EQ(0, mkdir(root, 0755));
	fd = open(data, O_WRONLY | O_CREAT, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 8192));
	close(fd);
	start(_metadata, self, chrooted);
	/* Continue mode: written by a kworker, after the thaw. */
	ASSERT_EQ(0, sigqueue(self->pids[0], SIGCKPT, v));
	ASSERT_TRUE(wait_file(image, 20));
	usleep(200000);
	EXPECT_TRUE(nt_file_has(image, "/data"));
	EXPECT_FALSE(nt_file_has(image, data));
}

/*
 * Finding 1: the contents of an unlinked file are saved only from a
 * descriptor open for reading. An ordinary user keeps an O_PATH (or a
 * write-only) descriptor of a root-only file that root then removes.
 */
#define SECRET	"TOPSECRET-4f1c2a-do-not-leak"

static const char *leak_path;
static int leak_flags;

static void keeps_descriptor(FIXTURE_DATA(sec) *self)
{
	become(USER);
	if (open(leak_path, leak_flags) < 0)
		_exit(140);
	ready(self);
	for (;;)
		pause();
}

/* Does the file at @path exist and hold @what? */
static bool file_holds(const char *path, const char *what)
{
	size_t len;
	unsigned char *buf = load_file(path, &len);
	bool found = buf && memmem(buf, len, what, strlen(what));

	free(buf);
	return found;
}

TEST_F(sec, unlinked_file_saved_only_from_a_readable_descriptor)
{
	union sigval v = { .sival_int = CR_MODE_CONTINUE };
	static const struct { const char *name; int flags; mode_t mode; } cases[] = {
		{ "secret-opath", O_PATH, 0600 },
		{ "secret-wronly", O_WRONLY, 0622 },
	};
	char path[128];
	unsigned int i;
	int fd, status;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(path, sizeof(path), "%s/%s", self->dir, cases[i].name);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, cases[i].mode);
		ASSERT_LE(0, fd);
		ASSERT_EQ(strlen(SECRET), write(fd, SECRET, strlen(SECRET)));
		ASSERT_EQ(0, fchmod(fd, cases[i].mode));
		close(fd);
		leak_path = path;
		leak_flags = cases[i].flags;
		start(_metadata, self, keeps_descriptor);
		/* Replaced, as passwd replaces /etc/shadow: the old one is unlinked. */
		ASSERT_EQ(0, unlink(path));
		ASSERT_EQ(0, sigqueue(self->pids[0], SIGCKPT, v));
		EXPECT_FALSE(wait_file(self->image, 3)) TH_LOG("%s: an image was written",
							     cases[i].name);
		usleep(200000);
		EXPECT_FALSE(file_holds(self->image, SECRET)) TH_LOG("%s: the secret leaked",
								    cases[i].name);
		EXPECT_EQ(0, kill(self->pids[0], 0));
		kill(self->pids[0], SIGKILL);
		waitpid(self->pids[0], &status, 0);
		self->pids[0] = 0;
		unlink(self->image);
	}
}

/*
 * Finding 3: a descendant of a restored tree inherits the exec caller's
 * descriptors as exec left them, without the close-on-exec ones. Its fd
 * 9 led outside (CR_FD_EXTERNAL): a close-on-exec fd 9 of the caller
 * does not supply it (EBADF); one that exec leaves does.
 */
static void inherits_fd9(FIXTURE_DATA(sec) *self)
{
	pid_t c;

	c = fork();
	if (c < 0)
		_exit(150);
	if (c == 0) {
		char link[PATH_MAX];
		ssize_t n;

		orig_pid = syscall(SYS_getpid);
		ready(self);
		wait_restored();
		n = readlink("/proc/self/fd/9", link, sizeof(link) - 1);
		if (n < 0)
			report("fd9 none");
		link[n] = '\0';
		report("fd9 %s", link);
	}
	for (;;)
		pause();
}

TEST_F_TIMEOUT(sec, descendant_gets_no_close_on_exec_descriptor, 60)
{
	char file[128], want[160], buf[REPORT_MAX];
	int out[2], n, status;
	pid_t pid;

	/* fd 9 of the tree leads outside it: a pipe whose reader is ours. */
	ASSERT_EQ(0, pipe(out));
	ASSERT_LE(0, dup2(out[1], 9));
	start(_metadata, self, inherits_fd9);
	close(9);
	checkpoint_exit(_metadata, self->pids[0], self->image);
	self->pids[0] = 0;

	snprintf(file, sizeof(file), "%s/cloexec-file", self->dir);
	close(open(file, O_WRONLY | O_CREAT, 0600));
	set_new_tids(1);
	exec_fd9 = file;
	exec_fd9_cloexec = true;
	EXPECT_EQ(EBADF, exec_errno(self, self->image, 0, &status));
	exec_fd9_cloexec = false;
	pid = exec_image(self, self->image, 0, NULL);
	exec_fd9 = NULL;
	close(self->report[1]);
	self->report[1] = -1;
	n = read(self->report[0], buf, sizeof(buf) - 1);
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	snprintf(want, sizeof(want), "fd9 %s", file);
	EXPECT_STREQ(want, buf);
	/* The pipe's ends, which the tree had too: the execs supplied them. */
	close(out[0]);
	close(out[1]);
}

/*
 * Finding 8: no stale kernel memory in the padding of NT_CR_FILES. Many
 * paths of every length modulo 8 make a data area of tens of KiB, taken
 * from pages the test filled with 0xaa and freed just before: without
 * the fix, its padding bytes are very likely not zero.
 */
#define MANY_FILES	800

static void file_name(char *name, int i)
{
	sprintf(name, "f%d-%.*s", i, i % 8, "xxxxxxxx");
}

static void opens_files(FIXTURE_DATA(sec) *self)
{
	char name[32];
	int i;

	for (i = 0; i < MANY_FILES; i++) {
		file_name(name, i);
		if (open(name, O_RDONLY) < 0)
			_exit(160);
	}
	ready(self);
	for (;;)
		pause();
}

/* Fill @mib MiB of pages with 0xaa, then free them. */
static void dirty_free_pages(const char *dir, int mib)
{
	char path[128], buf[65536];
	int fd, i;

	snprintf(path, sizeof(path), "%s/dirt", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	memset(buf, 0xaa, sizeof(buf));
	for (i = 0; fd >= 0 && i < mib * 16; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			break;
	if (fd >= 0)
		close(fd);
	unlink(path);
}

TEST_F(sec, files_note_padding_is_zero)
{
	union sigval v = { .sival_int = CR_MODE_CONTINUE };
	unsigned int i, bad = 0, paths = 0;
	char name[32], path[160];
	struct cr_hdr_files h;
	unsigned char *note;
	struct rlimit rl;
	size_t size;
	int fd;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < MANY_FILES + 16) {
		rl.rlim_cur = MANY_FILES + 16;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	}
	for (i = 0; i < MANY_FILES; i++) {
		file_name(name, i);
		snprintf(path, sizeof(path), "%s/%s", self->dir, name);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		ASSERT_LE(0, fd);
		close(fd);
	}
	start(_metadata, self, opens_files);
	dirty_free_pages(self->dir, 64);
	ASSERT_EQ(0, sigqueue(self->pids[0], SIGCKPT, v));
	ASSERT_TRUE(wait_file(self->image, 30));
	usleep(300000);
	note = read_note(self->image, CR_NOTE_NAME, NT_CR_FILES, &size);
	ASSERT_NE(NULL, note);
	memcpy(&h, note, sizeof(h));
	ASSERT_LE(sizeof(h) + h.nr_fds * sizeof(struct cr_fd), size);
	for (i = 0; i < h.nr_fds; i++) {
		struct cr_fd e;
		unsigned char *data = note + sizeof(h) + h.nr_fds * sizeof(e);
		size_t end, pad;

		memcpy(&e, note + sizeof(h) + i * sizeof(e), sizeof(e));
		if (!e.path_len)
			continue;
		paths++;
		end = e.path_off + e.path_len;
		pad = ((end + 7) & ~7UL) - end;
		ASSERT_GE(size - sizeof(h) - h.nr_fds * sizeof(e), end + pad);
		while (pad--)
			bad += data[end + pad] != 0;
	}
	free(note);
	EXPECT_LE(MANY_FILES, paths);
	EXPECT_EQ(0, bad) TH_LOG("%u non-zero padding bytes", bad);
}

TEST_HARNESS_MAIN
