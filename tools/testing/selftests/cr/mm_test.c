// SPDX-License-Identifier: GPL-2.0
/*
 * Memory a process never touched is never allocated, by the checkpoint or
 * by the restore: a sparse shared anonymous mapping larger than the VM's
 * memory, a large memfd and a private mapping of a large sparse tmpfs
 * file, each with a few pages written, are checkpointed in each mode and
 * restored. The original stays small, the image is small, the restored
 * process is small and finds the pages it wrote, and zeroes elsewhere.
 *
 * Bounded work: a tree whose child shares a huge sparse private mapping
 * with its parent (its pages taken from the parent's image) is
 * checkpointed and restored in bounded time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/cr.h>

#include "../kselftest_harness.h"
#include "cr_test.h"

#define CHILD_NAME	"crmm"
#define PG		4096UL
#define SHM_LEN		(4UL << 30)	/* twice the VM's memory */
#define MEMFD_LEN	(1UL << 30)
#define FILE_LEN	(1UL << 30)
#define SMALL_KB	(64UL << 10)	/* what "small" means, in KiB */

static pid_t orig_pid;

static bool restored(void)
{
	return syscall(SYS_getpid) != orig_pid;
}

/* The pattern of the page at @off of mapping @m. */
static unsigned char pat(int m, unsigned long off)
{
	return (unsigned char)(m * 64 + (off / PG) * 13 + 1) | 1;
}

static void fill(unsigned char *p, int m, unsigned long off)
{
	memset(p + off, pat(m, off), PG);
}

/* Is the page at @off all @c? */
static bool page_is(const unsigned char *p, unsigned long off, unsigned char c)
{
	for (unsigned long i = 0; i < PG; i++)
		if (p[off + i] != c)
			return false;
	return true;
}

/* A field of /proc/@pid/smaps_rollup (0: our own), in KiB, or -1. */
static long rollup_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	long kb = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	else
		strcpy(path, "/proc/self/smaps_rollup");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':')
			kb = strtol(line + len + 1, NULL, 10);
	fclose(f);
	return kb;
}

/* The written pages of each mapping, and pages never touched. */
static const unsigned long shm_written[] = { 0, (1UL << 30) + 3 * PG, SHM_LEN - PG };
static const unsigned long shm_untouched[] = { PG, 2UL << 30, SHM_LEN - 2 * PG };
static const unsigned long memfd_written[] = { 5 * PG, 512UL << 20 };
static const unsigned long memfd_untouched[] = { 0, 6 * PG, MEMFD_LEN - PG };
static const unsigned long file_written[] = { 7 * PG, 700UL << 20 };
static const unsigned long file_untouched[] = { 9 * PG, 900UL << 20, FILE_LEN - PG };
#define FILE_DATA_OFF	(2 * PG)	/* in the file itself, read through the mapping */
#define FILE_DATA	0x5a
#define N(a)		(sizeof(a) / sizeof((a)[0]))

/* The pages at @offs of @p: as mapping @m wrote them, or zero (@m 0). */
static void check_pages(const char *what, const unsigned char *p,
			const unsigned long *offs, size_t n, int m)
{
	for (size_t i = 0; i < n; i++)
		if (!page_is(p, offs[i], m ? pat(m, offs[i]) : 0))
			report("%s page %#lx wrong", what, offs[i]);
}

/*
 * The child: maps and writes, tells it is ready, waits to be restored;
 * restored, it checks its size (before touching anything) and its pages.
 */
static void child(const char *dir, int ready)
{
	unsigned char *shm, *memfd, *file;
	long rss, shmem;
	int fd, mfd;
	char path[128];

	prctl(PR_SET_NAME, CHILD_NAME);
	if (chdir(dir))
		_exit(1);
	/* If memory were populated, the OOM killer takes this one first. */
	fd = open("/proc/self/oom_score_adj", O_WRONLY);
	if (fd < 0 || write(fd, "1000", 4) != 4)
		_exit(2);
	close(fd);

	shm = mmap(NULL, SHM_LEN, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	mfd = memfd_create("crmm", 0);
	if (shm == MAP_FAILED || mfd < 0 || ftruncate(mfd, MEMFD_LEN))
		_exit(3);
	memfd = mmap(NULL, MEMFD_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	close(mfd);
	snprintf(path, sizeof(path), "%s/sparse", dir);
	fd = open(path, O_RDWR);
	if (memfd == MAP_FAILED || fd < 0)
		_exit(4);
	file = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (file == MAP_FAILED)
		_exit(5);
	for (unsigned long i = 0; i < N(shm_written); i++)
		fill(shm, 1, shm_written[i]);
	for (unsigned long i = 0; i < N(memfd_written); i++)
		fill(memfd, 2, memfd_written[i]);
	for (unsigned long i = 0; i < N(file_written); i++)
		fill(file, 3, file_written[i]);
	if (file[FILE_DATA_OFF] != FILE_DATA)
		_exit(6);

	orig_pid = syscall(SYS_getpid);
	if (write(ready, "r", 1) != 1)
		_exit(7);
	while (!restored())
		usleep(10000);

	rss = rollup_kb(0, "Rss");
	shmem = rollup_kb(0, "Pss_Shmem");
	if (rss < 0 || rss > SMALL_KB || shmem > SMALL_KB)
		report("restored: rss %ld kB, shmem %ld kB", rss, shmem);
	check_pages("shm", shm, shm_written, N(shm_written), 1);
	check_pages("shm", shm, shm_untouched, N(shm_untouched), 0);
	check_pages("memfd", memfd, memfd_written, N(memfd_written), 2);
	check_pages("memfd", memfd, memfd_untouched, N(memfd_untouched), 0);
	check_pages("file", file, file_written, N(file_written), 3);
	check_pages("file", file, file_untouched, N(file_untouched), 0);
	if (!page_is(file, FILE_DATA_OFF, FILE_DATA))
		report("file data page wrong");
	report("mm ok");
}

/* KiB of memory (tmpfs blocks) a file holds. */
static long file_kb(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_blocks / 2;
}

FIXTURE(mm) {
	pid_t child;
	char image[128];
	char file[128];
	char dir[64];
};

FIXTURE_SETUP(mm)
{
	unsigned char page[PG];
	int fd;

	strcpy(self->dir, "/tmp/cr-mm-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->image, sizeof(self->image), "%s/" CHILD_NAME ".ckpt", self->dir);
	snprintf(self->file, sizeof(self->file), "%s/sparse", self->dir);
	/* A sparse tmpfs file with one page of data. */
	fd = open(self->file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, FILE_LEN));
	memset(page, FILE_DATA, sizeof(page));
	ASSERT_EQ(PG, pwrite(fd, page, PG, FILE_DATA_OFF));
	close(fd);
	self->child = 0;
}

FIXTURE_TEARDOWN(mm)
{
	cr_test_cleanup(self->child, self->dir);
}

static void sparse_round_trip(struct __test_metadata *_metadata,
			      FIXTURE_DATA(mm) *self, int mode)
{
	union sigval v = { .sival_int = mode };
	char buf[REPORT_MAX];
	int ready[2], rep[2], status;
	ssize_t n, len = 0;
	long kb;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(rep));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0) {
		if (dup2(rep[1], REPORT_FD) < 0)
			_exit(1);
		child(self->dir, ready[1]);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, sigqueue(self->child, SIGCKPT, v));
	if (mode == CR_MODE_EXIT) {
		ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
		self->child = 0;
		/* Not killed by the OOM killer. */
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGCKPT)
			TH_LOG("child status %#x", status);
	} else {
		if (mode == CR_MODE_STOP) {
			ASSERT_EQ(self->child, waitpid(self->child, &status, WUNTRACED));
			ASSERT_TRUE(WIFSTOPPED(status)) TH_LOG("child status %#x", status);
		}
		ASSERT_TRUE(wait_for_file(self->image, 60)) TH_LOG("no image");
		ASSERT_EQ(0, waitpid(self->child, &status, WNOHANG))
			TH_LOG("child status %#x", status);
		/* The checkpoint faulted nothing in. */
		kb = rollup_kb(self->child, "Rss");
		EXPECT_TRUE(kb >= 0 && kb < SMALL_KB) TH_LOG("original's rss %ld kB", kb);
		kb = rollup_kb(self->child, "Pss_Shmem");
		EXPECT_TRUE(kb >= 0 && kb < SMALL_KB) TH_LOG("original's shmem %ld kB", kb);
		kill(self->child, SIGKILL);
		ASSERT_EQ(self->child, waitpid(self->child, NULL, 0));
		self->child = 0;
	}
	ASSERT_TRUE(wait_for_file(self->image, 60));
	kb = file_kb(self->image);
	EXPECT_TRUE(kb >= 0 && kb < SMALL_KB) TH_LOG("image holds %ld kB", kb);
	/* The private mapping read no hole of its file into the page cache. */
	kb = file_kb(self->file);
	EXPECT_TRUE(kb >= 0 && kb <= 64) TH_LOG("the sparse file holds %ld kB", kb);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *argv[] = { self->image, NULL };

		if (dup2(rep[1], REPORT_FD) < 0 || chdir(self->dir))
			_exit(20);
		execv(self->image, argv);
		_exit(21);
	}
	close(rep[1]);
	while ((n = read(rep[0], buf + len, REPORT_MAX - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(rep[0]);
	close(ready[0]);
	close(ready[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("restored process status %#x", status);
	EXPECT_STREQ("mm ok", buf);
	kb = file_kb(self->file);
	EXPECT_TRUE(kb >= 0 && kb <= 64) TH_LOG("after the restore, the sparse file holds %ld kB",
						kb);
}

TEST_F_TIMEOUT(mm, sparse_exit_mode, 120)
{
	sparse_round_trip(_metadata, self, CR_MODE_EXIT);
}

TEST_F_TIMEOUT(mm, sparse_stop_mode, 120)
{
	sparse_round_trip(_metadata, self, CR_MODE_STOP);
}

/* Continue mode takes a snapshot: shared memory is copied, only what it has. */
TEST_F_TIMEOUT(mm, sparse_continue_mode, 120)
{
	sparse_round_trip(_metadata, self, CR_MODE_CONTINUE);
}

/*
 * A tree: its root maps a huge sparse private region and writes three
 * pages; its child, which never writes, shares them with it (the child's
 * image takes them from the root's, and the restore keeps the child's
 * copy of the mapping, dropping what is neither's). Read-only after the
 * writes, so that the restore does not need to account for all of it.
 */
#define HUGE_LEN	(64UL << 40)
#define TREE_NAME	"crmmtree"
#define FLAG		"restored.flag"

static const unsigned long huge_written[] = { 0, HUGE_LEN / 2 + 5 * PG, HUGE_LEN - PG };
static const unsigned long huge_untouched[] = { PG, HUGE_LEN / 4, HUGE_LEN - 2 * PG };

struct tree_arg {
	const char *dir;
	int ready;
};

static bool huge_ok(const unsigned char *p)
{
	for (unsigned long i = 0; i < N(huge_written); i++)
		if (!page_is(p, huge_written[i], pat(4, huge_written[i])) ||
		    !page_is(p, huge_untouched[i], 0))
			return false;
	return true;
}

static void tree_root(void *arg)
{
	const struct tree_arg *a = arg;
	int kid_ready[2], status;
	unsigned char *p;
	pid_t kid;
	char c;

	prctl(PR_SET_NAME, TREE_NAME);
	if (chdir(a->dir) || pipe(kid_ready))
		_exit(1);
	/* The test's other pipes would lead outside (CR_FD_EXTERNAL). */
	keep_only_fds((int []){ REPORT_FD, a->ready, kid_ready[0], kid_ready[1], -1 });
	p = mmap(NULL, HUGE_LEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		_exit(2);
	for (unsigned long i = 0; i < N(huge_written); i++)
		fill(p, 4, huge_written[i]);
	if (mprotect(p, HUGE_LEN, PROT_READ))
		_exit(3);
	kid = fork();
	if (kid < 0)
		_exit(4);
	if (kid == 0) {
		if (write(kid_ready[1], "r", 1) != 1)
			_exit(1);
		while (access(FLAG, F_OK))
			usleep(10000);
		_exit(huge_ok(p) ? 10 : 5);
	}
	if (read(kid_ready[0], &c, 1) != 1 || write(a->ready, "r", 1) != 1)
		_exit(5);
	while (access(FLAG, F_OK))
		usleep(10000);
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("huge: child status %#x", status);
	report(huge_ok(p) ? "huge ok" : "huge: root's pages wrong");
}

static void tree_restore(void *arg)
{
	const struct tree_arg *a = arg;
	char image[128];
	char *argv[] = { image, NULL };

	snprintf(image, sizeof(image), "%s/" TREE_NAME ".ckpt", a->dir);
	if (chdir(a->dir) || close(open(FLAG, O_CREAT | O_WRONLY, 0600)))
		_exit(20);
	execv(image, argv);
	_exit(21);
}

/* Both in bounded time, not page by page over 64 TiB. */
TEST_F_TIMEOUT(mm, tree_huge_sparse_shared_with_child, 120)
{
	struct tree_arg a = { .dir = self->dir };
	int ready[2], ctl[2], rep[2], status;
	char buf[REPORT_MAX], image[128];
	ssize_t n, len = 0;
	double t0, secs;
	pid_t pid;
	long kb;
	char c;

	set_new_tids(0);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(ctl));
	ASSERT_EQ(0, pipe(rep));
	a.ready = ready[1];
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ctl[1]);
		if (dup2(rep[1], REPORT_FD) < 0)
			_exit(1);
		_exit(cr_run_as_pid2(tree_root, &a, ctl[0]));
	}
	close(ctl[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	t0 = now();
	ASSERT_EQ(1, write(ctl[1], "c", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	secs = now() - t0;
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("checkpoint of the tree: status %#x", status);
	EXPECT_GT(10, secs) TH_LOG("checkpoint took %.1f s", secs);
	snprintf(image, sizeof(image), "%s/" TREE_NAME ".ckpt", self->dir);
	kb = file_kb(image);
	EXPECT_TRUE(kb >= 0 && kb < SMALL_KB) TH_LOG("image holds %ld kB", kb);

	t0 = now();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (dup2(rep[1], REPORT_FD) < 0)
			_exit(1);
		_exit(cr_run_as_pid2(tree_restore, &a, -1));
	}
	close(rep[1]);
	while ((n = read(rep[0], buf + len, REPORT_MAX - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	secs = now() - t0;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("restored root status %#x", status);
	EXPECT_STREQ("huge ok", buf);
	EXPECT_GT(10, secs) TH_LOG("restore took %.1f s", secs);
}

TEST_HARNESS_MAIN
