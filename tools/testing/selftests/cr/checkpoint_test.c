// SPDX-License-Identifier: GPL-2.0
/*
 * SIGCKPT: a process left at the default disposition writes an image and
 * then continues, stops or exits as the sender asked; a handler keeps its
 * meaning; non-dumpable processes are refused; a failed checkpoint leaves
 * an earlier image alone; in continue mode the image is the memory as of
 * the checkpoint, whatever the process does while it is written. The images are read back and checked: ELF
 * layout, our header, the thread's registers and the process's memory.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/cr.h>

#include "../kselftest_harness.h"
#include "cr_test.h"

#define CHILD_NAME	"crchild"
#define MARKER_LEN	8192

/* Memory the child fills; the image must hold the same bytes. */
static unsigned char marker[MARKER_LEN];

/* An image read back into memory. */
struct image {
	unsigned char *buf;
	size_t len;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
};

static int image_load(struct image *img, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	img->len = st.st_size;
	img->buf = malloc(img->len);
	if (!img->buf || read(fd, img->buf, img->len) != (ssize_t)img->len) {
		close(fd);
		return -1;
	}
	close(fd);
	img->eh = (Elf64_Ehdr *)img->buf;
	img->ph = (Elf64_Phdr *)(img->buf + img->eh->e_phoff);
	return 0;
}

/* The @nth note of @type from @owner, copied to @out (at most @size). */
static bool image_note(struct image *img, const char *owner, unsigned int type,
		       void *out, size_t size)
{
	size_t off = img->ph[0].p_offset, end = off + img->ph[0].p_filesz;

	while (off + sizeof(Elf64_Nhdr) <= end) {
		Elf64_Nhdr *nh = (Elf64_Nhdr *)(img->buf + off);
		const char *name = (char *)(nh + 1);
		size_t desc = off + sizeof(*nh) + ((nh->n_namesz + 3) & ~3UL);

		if (nh->n_type == type && !strcmp(name, owner)) {
			memcpy(out, img->buf + desc,
			       size < nh->n_descsz ? size : nh->n_descsz);
			return true;
		}
		off = desc + ((nh->n_descsz + 3) & ~3UL);
	}
	return false;
}

/*
 * The image's bytes for [@addr, @addr + @len), page by page from the
 * segments holding them, in a buffer to free; NULL when a page is in no
 * segment's file part.
 */
static unsigned char *image_mem(struct image *img, unsigned long addr, size_t len)
{
	unsigned char *out = malloc(len);
	size_t done = 0;

	while (out && done < len) {
		unsigned long a = addr + done;
		size_t n = 4096 - (a & 4095);
		bool found = false;

		if (n > len - done)
			n = len - done;
		for (int i = 1; i < img->eh->e_phnum && !found; i++) {
			Elf64_Phdr *ph = &img->ph[i];

			if (a >= ph->p_vaddr && a + n <= ph->p_vaddr + ph->p_filesz) {
				memcpy(out + done, img->buf + ph->p_offset + (a - ph->p_vaddr), n);
				found = true;
			}
		}
		if (!found) {
			free(out);
			return NULL;
		}
		done += n;
	}
	return out;
}

enum child_kind { SPIN, NANOSLEEP, READ_PIPE, HANDLER, NOT_DUMPABLE, OTHER_CPU_TIMER,
		  THREADS, SCRIBBLE, BLOCK_ALL, SETUID_USER, LOCK_FLOCK,
		  LOCK_POSIX, LOCK_OFD, LEASE, DETACHED, CHROOTED };

/* SCRIBBLE: private memory the child fills, then overwrites when told. */
#define BIG_LEN		(32UL << 20)
#define SHARED_WORDS	256
static unsigned char *big;

static uint64_t big_word(size_t i)
{
	return (i * 0x9e3779b97f4a7c15ULL) | 1;
}

static volatile uint64_t *shared_counter;

static void *count_thread(void *arg)
{
	for (;;)
		__atomic_fetch_add(shared_counter, 1, __ATOMIC_RELAXED);
	return arg;
}

static volatile sig_atomic_t handled;

static void on_ckpt(int sig)
{
	handled = 1;
}

FIXTURE(ckpt) {
	char dir[64];
	char image[128];
	pid_t child;
	int pipe[2];
	volatile uint64_t *counter;	/* shared with the child */
};

FIXTURE_SETUP(ckpt)
{
	strcpy(self->dir, "/tmp/cr-ckpt-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->image, sizeof(self->image), "%s/" CHILD_NAME ".ckpt",
		 self->dir);
	self->counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->counter);
	ASSERT_EQ(0, pipe(self->pipe));
	self->child = 0;
}

FIXTURE_TEARDOWN(ckpt)
{
	cr_test_cleanup(self->child, self->dir);
}

/* Start the child, in the test directory, and wait until it runs. */
static pid_t start_child(struct __test_metadata *_metadata,
			 FIXTURE_DATA(ckpt) *self, enum child_kind kind)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { .tv_sec = 1000 };
		char c;

		prctl(PR_SET_NAME, CHILD_NAME);
		if (chdir(self->dir))
			_exit(1);
		for (int i = 0; i < MARKER_LEN; i++)
			marker[i] = (unsigned char)(i * 7 + 3);
		if (kind == HANDLER)
			signal(SIGCKPT, on_ckpt);
		if (kind == NOT_DUMPABLE)
			prctl(PR_SET_DUMPABLE, 0);
		if (kind == OTHER_CPU_TIMER) {
			/* A timer on another process's CPU clock: not saved yet. */
			clockid_t clock;
			timer_t id;

			if (clock_getcpuclockid(getppid(), &clock) ||
			    timer_create(clock, NULL, &id))
				_exit(8);
		}
		if (kind == LEASE) {
			int fd = open("leased", O_RDONLY | O_CREAT, 0600);

			if (fd < 0 || fcntl(fd, F_SETLEASE, F_RDLCK))
				_exit(11);
		}
		if (kind == LOCK_FLOCK || kind == LOCK_POSIX || kind == LOCK_OFD) {
			struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
					    .l_len = 10 };
			int fd = open("locked", O_RDWR | O_CREAT, 0600);

			if (fd < 0 || (kind == LOCK_FLOCK ? flock(fd, LOCK_EX) :
				       fcntl(fd, kind == LOCK_POSIX ? F_SETLK : F_OFD_SETLK, &fl)))
				_exit(11);
		}
		if (kind == DETACHED) {
			/* A file of a tmpfs unmounted since (umount -l). */
			if (mkdir("mnt", 0700) || mount("none", "mnt", "tmpfs", 0, NULL) ||
			    open("mnt/file", O_RDWR | O_CREAT, 0600) < 0 ||
			    umount2("mnt", MNT_DETACH))
				_exit(12);
		}
		if (kind == CHROOTED) {
			/* A file opened before a chroot, outside of it. */
			if (open("outside", O_RDWR | O_CREAT, 0600) < 0 || mkdir("jail", 0700) ||
			    chroot("jail") || chdir("/"))
				_exit(12);
		}
		if (kind == BLOCK_ALL) {
			sigset_t all;

			sigfillset(&all);
			sigprocmask(SIG_BLOCK, &all, NULL);
		}
		/* From root to a user: not dumpable any more, as daemons do. */
		if (kind == SETUID_USER && (setresgid(65534, 65534, 65534) ||
					    setresuid(65534, 65534, 65534)))
			_exit(10);
		if (kind == SCRIBBLE) {
			for (size_t i = 0; i < BIG_LEN / 8; i++)
				((uint64_t *)big)[i] = big_word(i);
			/* and shared memory, from counter[8] on */
			for (size_t i = 0; i < SHARED_WORDS; i++)
				self->counter[8 + i] = big_word(i);
		}
		*self->counter = 1;
		switch (kind) {
		case NANOSLEEP:
			syscall(SYS_nanosleep, &ts, NULL);
			_exit(2);
		case THREADS:
			shared_counter = self->counter;
			for (int i = 0; i < 3; i++) {
				pthread_t t;

				if (pthread_create(&t, NULL, count_thread, NULL))
					_exit(6);
			}
			count_thread(NULL);
			_exit(7);
		case READ_PIPE:
			close(self->pipe[1]);
			if (read(self->pipe[0], &c, 1) != 1)
				_exit(3);
			_exit(c == 'x' ? 0 : 4);
		case SCRIBBLE:
			/* counter[1]: overwrite all of it; counter[2]: done. */
			while (!self->counter[1])
				(*self->counter)++;
			for (size_t i = 0; i < SHARED_WORDS; i++)
				self->counter[8 + i] = 0;
			memset(big, 0xb5, BIG_LEN);
			self->counter[2] = 1;
			for (;;)
				(*self->counter)++;
		default:
			for (;;)
				(*self->counter)++;
		}
	}
	ASSERT_LT(0, pid);
	while (*self->counter == 0)
		usleep(1000);
	usleep(20000);	/* in its loop or syscall by now */
	return pid;
}

static bool counter_advances(volatile uint64_t *counter)
{
	uint64_t before = *counter;

	usleep(50000);
	return *counter != before;
}

static void check_image(struct __test_metadata *_metadata, const char *path,
			pid_t pid, struct user_regs_struct *regs)
{
	struct cr_hdr_image hdr;
	struct cr_hdr_mm mm;
	struct image img;
	struct stat st;
	struct {
		unsigned char common[112];	/* struct elf_prstatus_common */
		struct user_regs_struct regs;
	} prstatus;
	int pr_pid;

	ASSERT_EQ(0, lstat(path, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0700, st.st_mode & 07777);
	EXPECT_EQ(geteuid(), st.st_uid);

	ASSERT_EQ(0, image_load(&img, path));
	ASSERT_EQ(0, memcmp(img.eh->e_ident, ELFMAG, SELFMAG));
	EXPECT_EQ(ET_CORE, img.eh->e_type);
	EXPECT_EQ(EM_X86_64, img.eh->e_machine);
	ASSERT_EQ(PT_NOTE, img.ph[0].p_type);

	ASSERT_TRUE(image_note(&img, CR_NOTE_NAME, NT_CR_HEADER, &hdr, sizeof(hdr)));
	EXPECT_EQ(CR_IMAGE_MAGIC, hdr.magic);
	EXPECT_EQ(CR_IMAGE_VERSION, hdr.version);
	EXPECT_EQ(1, hdr.nr_processes);
	EXPECT_EQ(1, hdr.nr_threads);

	ASSERT_TRUE(image_note(&img, CR_NOTE_NAME, NT_CR_MM, &mm, sizeof(mm)));
	EXPECT_EQ(img.eh->e_phnum - 1, mm.nr_vmas);
	EXPECT_NE(0, mm.vdso);

	ASSERT_TRUE(image_note(&img, "CORE", NT_PRSTATUS, &prstatus, sizeof(prstatus)));
	memcpy(&pr_pid, prstatus.common + 32, sizeof(pr_pid));	/* pr_pid */
	EXPECT_EQ(pid, pr_pid);
	if (regs)
		*regs = prstatus.regs;

	/* The child's memory, as it filled it. */
	unsigned char *mem = image_mem(&img, (unsigned long)marker, MARKER_LEN);

	ASSERT_NE(NULL, mem);
	for (int i = 0; i < MARKER_LEN; i++)
		if (mem[i] != (unsigned char)(i * 7 + 3)) {
			EXPECT_EQ((unsigned char)(i * 7 + 3), mem[i])
				TH_LOG("marker byte %d differs in the image", i);
			break;
		}
	free(mem);
	free(img.buf);
}

TEST_F(ckpt, continue_mode)
{
	char part[160];

	self->child = start_child(_metadata, self, SPIN);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	ASSERT_TRUE(wait_for_file(self->image, 20)) TH_LOG("no %s", self->image);
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
	EXPECT_TRUE(counter_advances(self->counter));
	check_image(_metadata, self->image, self->child, NULL);
	snprintf(part, sizeof(part), "%s.part", self->image);
	EXPECT_NE(0, access(part, F_OK));
}

/*
 * In continue mode the process runs again while its image is written
 * (from a snapshot of its memory): what it writes then, to private or to
 * shared memory, is not in the image, which holds its memory as of the
 * checkpoint.
 */
TEST_F(ckpt, continue_mode_snapshot)
{
	char part[160];
	struct image img;
	unsigned char *mem;
	bool complete;

	big = mmap(NULL, BIG_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, big);
	self->child = start_child(_metadata, self, SCRIBBLE);
	snprintf(part, sizeof(part), "%s.part", self->image);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	/* The .part file is created once the snapshot is taken. */
	for (int i = 0; i < 2000 && access(part, F_OK) && access(self->image, F_OK); i++)
		usleep(1000);
	complete = !access(self->image, F_OK);
	self->counter[1] = 1;
	ASSERT_TRUE(wait_for_file(self->image, 60)) TH_LOG("no %s", self->image);
	if (complete)
		TH_LOG("the image was complete before the child wrote");
	for (int i = 0; i < 6000 && !self->counter[2]; i++)
		usleep(10000);
	ASSERT_EQ(1, self->counter[2]) TH_LOG("the child did not overwrite its memory");
	ASSERT_EQ(0, image_load(&img, self->image));
	mem = image_mem(&img, (unsigned long)big, BIG_LEN);
	ASSERT_NE(NULL, mem);
	for (size_t i = 0; i < BIG_LEN / 8; i++)
		if (((uint64_t *)mem)[i] != big_word(i)) {
			EXPECT_EQ(big_word(i), ((uint64_t *)mem)[i])
				TH_LOG("word %zu is not as of the checkpoint", i);
			break;
		}
	free(mem);
	mem = image_mem(&img, (unsigned long)&self->counter[8], SHARED_WORDS * 8);
	ASSERT_NE(NULL, mem);
	for (size_t i = 0; i < SHARED_WORDS; i++)
		if (((uint64_t *)mem)[i] != big_word(i)) {
			EXPECT_EQ(big_word(i), ((uint64_t *)mem)[i])
				TH_LOG("shared word %zu is not as of the checkpoint", i);
			break;
		}
	free(mem);
	free(img.buf);
	munmap(big, BIG_LEN);
}

/* A process killed while its image is written: the image is completed. */
TEST_F(ckpt, continue_mode_outlived)
{
	char part[160];
	pid_t pid;

	big = mmap(NULL, BIG_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, big);
	pid = self->child = start_child(_metadata, self, SCRIBBLE);
	snprintf(part, sizeof(part), "%s.part", self->image);
	ASSERT_EQ(0, kill(pid, SIGCKPT));
	for (int i = 0; i < 2000 && access(part, F_OK) && access(self->image, F_OK); i++)
		usleep(1000);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	self->child = 0;
	ASSERT_TRUE(wait_for_file(self->image, 60)) TH_LOG("no %s", self->image);
	check_image(_metadata, self->image, pid, NULL);
	munmap(big, BIG_LEN);
}

TEST_F(ckpt, exit_mode)
{
	union sigval v = { .sival_int = CR_MODE_EXIT };
	pid_t pid;
	int status;

	pid = self->child = start_child(_metadata, self, SPIN);
	ASSERT_EQ(0, sigqueue(pid, SIGCKPT, v));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	self->child = 0;
	ASSERT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGCKPT, WTERMSIG(status));
	check_image(_metadata, self->image, pid, NULL);
}

/* The shared counter as the image holds it. */
static uint64_t image_counter(struct __test_metadata *_metadata,
			      FIXTURE_DATA(ckpt) *self)
{
	uint64_t in_image = 0;
	struct image img;
	unsigned char *mem;

	if (image_load(&img, self->image))
		return 0;
	mem = image_mem(&img, (unsigned long)self->counter, sizeof(in_image));
	EXPECT_NE(NULL, mem);
	if (mem)
		memcpy(&in_image, mem, sizeof(in_image));
	free(mem);
	free(img.buf);
	return in_image;
}

/*
 * Four threads count in shared memory. Exit mode: none of them runs
 * after the checkpoint instant, so the count the image holds is the
 * final one.
 */
TEST_F(ckpt, exit_mode_threads_frozen)
{
	union sigval v = { .sival_int = CR_MODE_EXIT };
	uint64_t in_image;
	pid_t pid;
	int status;

	pid = self->child = start_child(_metadata, self, THREADS);
	ASSERT_EQ(0, sigqueue(pid, SIGCKPT, v));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	self->child = 0;
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGCKPT);
	in_image = image_counter(_metadata, self);
	EXPECT_EQ(*self->counter, in_image)
		TH_LOG("threads counted %llu after the image",
		       (unsigned long long)(*self->counter - in_image));
}

/* Stop mode: the same, until SIGCONT. */
TEST_F(ckpt, stop_mode_threads_frozen)
{
	union sigval v = { .sival_int = CR_MODE_STOP };
	uint64_t in_image;
	int status;

	self->child = start_child(_metadata, self, THREADS);
	ASSERT_EQ(0, sigqueue(self->child, SIGCKPT, v));
	ASSERT_EQ(self->child, waitpid(self->child, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_TRUE(wait_for_file(self->image, 20));
	in_image = image_counter(_metadata, self);
	usleep(100000);
	EXPECT_EQ(*self->counter, in_image);
	ASSERT_EQ(0, kill(self->child, SIGCONT));
	EXPECT_TRUE(counter_advances(self->counter));
}

TEST_F(ckpt, stop_mode)
{
	union sigval v = { .sival_int = CR_MODE_STOP };
	int status;

	self->child = start_child(_metadata, self, SPIN);
	ASSERT_EQ(0, sigqueue(self->child, SIGCKPT, v));
	ASSERT_EQ(self->child, waitpid(self->child, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(SIGSTOP, WSTOPSIG(status));
	EXPECT_FALSE(counter_advances(self->counter));
	check_image(_metadata, self->image, self->child, NULL);
	ASSERT_EQ(0, kill(self->child, SIGCONT));
	EXPECT_TRUE(counter_advances(self->counter));
}

TEST_F(ckpt, unknown_mode_refused)
{
	union sigval v = { .sival_int = 77 };

	self->child = start_child(_metadata, self, SPIN);
	ASSERT_EQ(0, sigqueue(self->child, SIGCKPT, v));
	EXPECT_FALSE(wait_for_file(self->image, 1));
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
	EXPECT_TRUE(counter_advances(self->counter));
}

TEST_F(ckpt, handler_keeps_its_meaning)
{
	self->child = start_child(_metadata, self, HANDLER);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	EXPECT_FALSE(wait_for_file(self->image, 1));
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
	EXPECT_TRUE(counter_advances(self->counter));
}

TEST_F(ckpt, not_dumpable_refused_earlier_image_kept)
{
	char buf[16] = {};
	int fd;

	fd = open(self->image, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "old", 3));
	close(fd);
	self->child = start_child(_metadata, self, NOT_DUMPABLE);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	usleep(500000);
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
	EXPECT_TRUE(counter_advances(self->counter));
	fd = open(self->image, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_STREQ("old", buf);
}

/*
 * A checkpoint asked through /proc/sys/kernel/cr/checkpoint ("PID MODE"),
 * as user @uid (0: the test's): the errno of the write, or 0.
 */
static int request_as(pid_t pid, int mode, uid_t uid)
{
	pid_t p = fork();
	int status;

	if (p == 0) {
		char buf[32];
		int fd, n;

		if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
			_exit(99);
		fd = open("/proc/sys/kernel/cr/checkpoint", O_WRONLY);
		if (fd < 0)
			_exit(98);
		n = snprintf(buf, sizeof(buf), "%d %d", pid, mode);
		_exit(write(fd, buf, n) == n ? 0 : errno);
	}
	if (p < 0 || waitpid(p, &status, 0) != p || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * A process that blocks every signal (a daemon reading a signalfd) never
 * takes SIGCKPT; a request checkpoints it all the same, and it goes on.
 */
TEST_F(ckpt, request_whatever_the_signal_mask)
{
	struct stat st;

	self->child = start_child(_metadata, self, BLOCK_ALL);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	EXPECT_FALSE(wait_for_file(self->image, 1));
	EXPECT_EQ(0, request_as(self->child, CR_MODE_CONTINUE, 0));
	ASSERT_TRUE(wait_for_file(self->image, 10));
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
	EXPECT_TRUE(counter_advances(self->counter));
	ASSERT_EQ(0, stat(self->image, &st));
	EXPECT_EQ(0700, st.st_mode & 0777);
	/* Another user may not ask, and a bad request is refused. */
	EXPECT_EQ(EPERM, request_as(self->child, CR_MODE_CONTINUE, 65534));
	EXPECT_EQ(EINVAL, request_as(self->child, 7, 0));
	EXPECT_EQ(ESRCH, request_as(999999, CR_MODE_CONTINUE, 0));
}

/*
 * A process stopped by job control takes SIGCKPT only when continued; a
 * request checkpoints it at once, and it stays stopped until SIGCONT.
 * Its image restores it stopped, and tells the new parent.
 */
TEST_F(ckpt, request_checkpoints_a_stopped_process)
{
	int status = 0, i;
	pid_t pid;

	self->child = start_child(_metadata, self, SPIN);
	ASSERT_EQ(0, kill(self->child, SIGSTOP));
	for (i = 0; i < 200 && proc_state(self->child) != 'T'; i++)
		usleep(10000);
	ASSERT_EQ('T', proc_state(self->child));
	EXPECT_EQ(0, request_as(self->child, CR_MODE_CONTINUE, 0));
	ASSERT_TRUE(wait_for_file(self->image, 10));
	usleep(100000);
	EXPECT_EQ('T', proc_state(self->child));
	EXPECT_FALSE(counter_advances(self->counter));
	ASSERT_EQ(0, kill(self->child, SIGCONT));
	EXPECT_TRUE(counter_advances(self->counter));

	pid = exec_image_child(self->image);
	ASSERT_LE(0, pid);
	for (i = 0; i < 500; i++) {
		if (waitpid(pid, &status, WUNTRACED | WNOHANG) == pid)
			break;
		usleep(10000);
	}
	EXPECT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP)
		TH_LOG("the restored process: status %#x", status);
	EXPECT_EQ('T', proc_state(pid));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Set kernel.cr.pattern to @pattern, the old one saved in @old. */
static void set_pattern(const char *pattern, char *old, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/cr/pattern", "r+");

	if (!f)
		return;
	if (old && !fgets(old, len, f))
		old[0] = '\0';
	rewind(f);
	fprintf(f, "%s\n", pattern);
	fclose(f);
}

/*
 * A process that went from root to a user is not dumpable: its own user
 * may not ask for its checkpoint, nor send SIGCKPT for one; a requester
 * with CAP_SYS_PTRACE may, with an absolute kernel.cr.pattern (not in a
 * directory the process chose), and the image is the requester's (root's,
 * mode 0700), in a directory the process itself could not write.
 */
TEST_F(ckpt, request_not_dumpable_needs_cap_sys_ptrace)
{
	char old[128] = "", pattern[160];
	struct stat st;

	self->child = start_child(_metadata, self, SETUID_USER);
	EXPECT_EQ(EPERM, request_as(self->child, CR_MODE_CONTINUE, 65534));
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	EXPECT_FALSE(wait_for_file(self->image, 1));
	/* The default pattern is relative: refused. */
	EXPECT_EQ(0, request_as(self->child, CR_MODE_CONTINUE, 0));
	EXPECT_FALSE(wait_for_file(self->image, 1));
	snprintf(pattern, sizeof(pattern), "%s/%%e.ckpt", self->dir);
	set_pattern(pattern, old, sizeof(old));
	EXPECT_EQ(0, request_as(self->child, CR_MODE_CONTINUE, 0));
	old[strcspn(old, "\n")] = '\0';
	ASSERT_TRUE(wait_for_file(self->image, 10)) {
		set_pattern(old, NULL, 0);
	}
	set_pattern(old, NULL, 0);
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
	EXPECT_TRUE(counter_advances(self->counter));
	ASSERT_EQ(0, stat(self->image, &st));
	EXPECT_EQ(0u, st.st_uid);
	EXPECT_EQ(0700, st.st_mode & 0777);
}

/* State the image cannot hold yet is refused, not silently dropped. */
/*
 * A descriptor no path from the process's root reopens: a file of a
 * detached mount, or outside a chroot. Refused with the reason in the
 * kernel log, rather than saved with a name that leads elsewhere.
 */
TEST_F(ckpt, descriptor_no_path_reopens_refused)
{
	static const struct {
		enum child_kind kind;
		const char *why;
	} cases[] = {
		{ DETACHED, "is on a mount outside the process's root" },
		{ CHROOTED, "is on a mount outside the process's root" },
	};
	int kmsg;

	for (unsigned int i = 0; i < 2; i++) {
		self->child = start_child(_metadata, self, cases[i].kind);
		/* Opened now: the child must not hold it (it would refuse for it). */
		kmsg = kmsg_open();
		ASSERT_LE(0, kmsg);
		ASSERT_EQ(0, kill(self->child, SIGCKPT));
		EXPECT_FALSE(wait_for_file(self->image, 1)) TH_LOG("case %u", i);
		EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG)) TH_LOG("case %u", i);
		EXPECT_TRUE(counter_advances(self->counter)) TH_LOG("case %u", i);
		EXPECT_TRUE(kmsg_has(kmsg, cases[i].why)) TH_LOG("case %u: no '%s'", i, cases[i].why);
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
		self->child = 0;
		*self->counter = 0;
		close(kmsg);
	}
}

/* Does /proc/locks list a read lease on "leased" of @dir? */
static bool lease_held(const char *dir)
{
	char path[128], line[256], kind[16], state[16], type[16];
	unsigned long ino;
	struct stat st;
	bool held = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/leased", dir);
	f = fopen("/proc/locks", "r");
	if (stat(path, &st) || !f) {
		if (f)
			fclose(f);
		return false;
	}
	while (!held && fgets(line, sizeof(line), f))
		held = sscanf(line, "%*d: %15s %15s %15s %*d %*x:%*x:%lu", kind, state, type,
			      &ino) == 4 && !strcmp(kind, "LEASE") && !strcmp(state, "ACTIVE") &&
		       !strcmp(type, "READ") && ino == st.st_ino;
	fclose(f);
	return held;
}

/* Is the child's write lock on bytes 0-9 of "locked" held, seen from here? */
static bool lock_held(const char *dir, enum child_kind kind)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 10 };
	char path[128];
	bool held;
	int fd;

	if (kind == LEASE)
		return lease_held(dir);
	snprintf(path, sizeof(path), "%s/locked", dir);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return false;
	if (kind == LOCK_FLOCK)
		held = flock(fd, LOCK_EX | LOCK_NB) && errno == EWOULDBLOCK;
	else
		held = !fcntl(fd, kind == LOCK_OFD ? F_OFD_GETLK : F_GETLK, &fl) &&
		       fl.l_type == F_WRLCK;
	close(fd);
	return held;
}

/*
 * A flock(), POSIX or OFD lock or a lease the process holds is saved, and
 * held all along in continue mode (see restore_test for the restore).
 */
TEST_F(ckpt, file_locks_saved_and_kept)
{
	static const enum child_kind kinds[] = { LOCK_FLOCK, LOCK_POSIX, LOCK_OFD, LEASE };

	for (unsigned int i = 0; i < 4; i++) {
		self->child = start_child(_metadata, self, kinds[i]);
		EXPECT_TRUE(lock_held(self->dir, kinds[i])) TH_LOG("lock kind %u", i);
		ASSERT_EQ(0, kill(self->child, SIGCKPT));
		EXPECT_TRUE(wait_for_file(self->image, 10)) TH_LOG("lock kind %u", i);
		EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
		EXPECT_TRUE(counter_advances(self->counter));
		EXPECT_TRUE(lock_held(self->dir, kinds[i])) TH_LOG("lock kind %u", i);
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
		self->child = 0;
		*self->counter = 0;
		unlink(self->image);
	}
}

TEST_F(ckpt, other_process_cpu_clock_timer_refused)
{
	self->child = start_child(_metadata, self, OTHER_CPU_TIMER);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	EXPECT_FALSE(wait_for_file(self->image, 1));
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
	EXPECT_TRUE(counter_advances(self->counter));
}

TEST_F(ckpt, symlink_not_followed)
{
	char part[160], target[160];

	snprintf(part, sizeof(part), "%s.part", self->image);
	snprintf(target, sizeof(target), "%s/target", self->dir);
	ASSERT_EQ(0, symlink(target, part));
	self->child = start_child(_metadata, self, SPIN);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	usleep(500000);
	EXPECT_NE(0, access(target, F_OK));
	EXPECT_NE(0, access(self->image, F_OK));
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG));
}

TEST_F(ckpt, pattern)
{
	char old[128] = {}, path[160];
	FILE *f = fopen("/proc/sys/kernel/cr/pattern", "r+");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(old, sizeof(old), f));
	rewind(f);
	fputs("%e-%p.%%.img\n", f);
	fclose(f);
	self->child = start_child(_metadata, self, SPIN);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	snprintf(path, sizeof(path), "%s/" CHILD_NAME "-%d.%%.img", self->dir,
		 self->child);
	EXPECT_TRUE(wait_for_file(path, 20)) TH_LOG("no %s", path);
	f = fopen("/proc/sys/kernel/cr/pattern", "w");
	ASSERT_NE(NULL, f);
	fputs(old, f);
	fclose(f);
}

/* Interrupted syscalls are saved as they will resume: restarted. */
TEST_F(ckpt, nanosleep_saved_as_restart)
{
	struct user_regs_struct regs;
	const unsigned char *insn;

	self->child = start_child(_metadata, self, NANOSLEEP);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	ASSERT_TRUE(wait_for_file(self->image, 20));
	check_image(_metadata, self->image, self->child, &regs);
	EXPECT_EQ(SYS_restart_syscall, regs.rax);
	EXPECT_EQ(-1, (long)regs.orig_rax);
	/* Clean text is not copied: the child runs our own code. */
	insn = (const unsigned char *)regs.rip;
	EXPECT_TRUE(insn[0] == 0x0f && insn[1] == 0x05) TH_LOG("no syscall at rip");
	EXPECT_EQ(0, waitpid(self->child, NULL, WNOHANG)) TH_LOG("sleep ended early");
}

TEST_F(ckpt, read_saved_as_restart_and_completes)
{
	struct user_regs_struct regs;
	int status;

	self->child = start_child(_metadata, self, READ_PIPE);
	close(self->pipe[0]);
	ASSERT_EQ(0, kill(self->child, SIGCKPT));
	ASSERT_TRUE(wait_for_file(self->image, 20));
	check_image(_metadata, self->image, self->child, &regs);
	EXPECT_EQ(SYS_read, regs.rax);
	EXPECT_EQ(-1, (long)regs.orig_rax);
	ASSERT_EQ(1, write(self->pipe[1], "x", 1));
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = 0;
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_HARNESS_MAIN
