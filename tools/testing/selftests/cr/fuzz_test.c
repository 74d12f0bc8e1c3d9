// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer for the kernel's image loader (issue 12): real images (a
 * single process, a threaded one, a tree with a pipe, a socket pair and
 * shared memory) are checkpointed, then mutated, structure-aware where it
 * helps (program header fields, note headers, fields of our notes) and
 * blindly (bit flips, interesting bytes, truncation), and each mutant is
 * executed as pid 1 of a new pid namespace, whose restored processes are
 * all killed at once. The kernel log is watched after every exec: a BUG,
 * WARNING, Oops, KASAN or lockdep report stops the run and keeps the
 * image that caused it (fuzz-crash-SEED-N.ckpt in the working directory).
 *
 * CR_FUZZ_ITERS (default 150) and CR_FUZZ_SEED (default: the time) set
 * the run; the test prints the images executed, the errnos they got and
 * the time. scripts/cr/fuzz runs it long.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/cr.h>

#include "../kselftest_harness.h"
#include "cr_test.h"

#define NR_SEEDS	3
#define MAX_ERRNO	140

static const char *const seed_names[NR_SEEDS] = { "single", "threads", "tree" };

struct seed {
	unsigned char *buf;
	size_t len;
};

/* xorshift64*: reproducible from CR_FUZZ_SEED. */
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* Workloads, checkpointed in exit mode once ready. */
static void *spin(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static void workload(int kind, int ready)
{
	int i, sv[2], p[2];
	pthread_t t;
	char *shm;

	switch (kind) {
	case 1:
		for (i = 0; i < 3; i++)
			pthread_create(&t, NULL, spin, NULL);
		break;
	case 2:
		shm = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shm == MAP_FAILED || pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			_exit(2);
		memset(shm, 0x5a, 65536);
		if (write(p[1], "pipe data", 9) != 9 || write(sv[0], "sock data", 9) != 9)
			_exit(3);
		for (i = 0; i < 2; i++)
			if (fork() == 0)
				for (;;)
					pause();
		break;
	}
	if (write(ready, "r", 1) != 1)
		_exit(4);
	for (;;)
		pause();
}

static int make_seed(const char *dir, int kind, struct seed *s)
{
	union sigval v = { .sival_int = CR_MODE_EXIT };
	char path[256];
	int ready[2], status, fd;
	struct stat st;
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, seed_names[kind]);
		if (chdir(dir))
			_exit(1);
		workload(kind, ready[1]);
	}
	if (read(ready[0], &c, 1) != 1 || sigqueue(pid, SIGCKPT, v) ||
	    waitpid(pid, &status, 0) != pid)
		return -1;
	close(ready[0]);
	close(ready[1]);
	snprintf(path, sizeof(path), "%s/%s.ckpt", dir, seed_names[kind]);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return -1;
	s->len = st.st_size;
	s->buf = malloc(s->len);
	if (!s->buf || read(fd, s->buf, s->len) != (ssize_t)s->len)
		return -1;
	close(fd);
	return 0;
}

static const uint64_t interesting[] = {
	0, 1, 2, 3, 4, 7, 8, 0x10, 0x20, 0x40, 0x7f, 0x80, 0xff, 0x100, 0x1000,
	0xfff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000ULL, 0x7ffffffff000ULL, 0x800000000000ULL,
	0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~0ULL - 1,
	CR_MAX_NOTES_SIZE, CR_MAX_PROCESSES, CR_MAX_SIGPENDING,
};

static uint64_t pick_value(uint64_t old)
{
	switch (below(4)) {
	case 0:
		return interesting[below(ARRAY_SIZE(interesting))];
	case 1:
		return old + 1 + below(16);
	case 2:
		return old - 1 - below(16);
	default:
		return rnd();
	}
}

static void put(unsigned char *buf, size_t len, size_t off, unsigned int width,
		uint64_t val)
{
	if (off + width <= len)
		memcpy(buf + off, &val, width);
}

static uint64_t get(const unsigned char *buf, size_t len, size_t off, unsigned int width)
{
	uint64_t v = 0;

	if (off + width <= len)
		memcpy(&v, buf + off, width);
	return v;
}

/*
 * A random note of the image's note segment (or of a process segment's,
 * for a tree): where its header and descriptor are.
 */
static bool pick_note(unsigned char *buf, size_t len, size_t *hdr, size_t *desc,
		      size_t *size)
{
	size_t base = 0, phoff, off, end, n = 0, want;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i;

	if (len < sizeof(eh))
		return false;
	memcpy(&eh, buf, sizeof(eh));
	/* Sometimes a process segment's image. */
	for (i = 1; i < eh.e_phnum && below(3) == 0; i++) {
		phoff = eh.e_phoff + i * sizeof(ph);
		if (eh.e_phoff > len || phoff > len - sizeof(ph))
			break;
		memcpy(&ph, buf + phoff, sizeof(ph));
		if (ph.p_type == PT_CR_PROCESS && ph.p_offset < len - sizeof(eh)) {
			base = ph.p_offset;
			break;
		}
	}
	memcpy(&eh, buf + base, sizeof(eh));
	if (eh.e_phoff > len || sizeof(ph) > len - eh.e_phoff ||
	    base > len - eh.e_phoff - sizeof(ph))
		return false;
	memcpy(&ph, buf + base + eh.e_phoff, sizeof(ph));
	if (ph.p_offset > len - base || ph.p_filesz > len - base - ph.p_offset)
		return false;
	off = base + ph.p_offset;
	end = off + ph.p_filesz;
	want = below(40);
	while (off + sizeof(Elf64_Nhdr) <= end) {
		Elf64_Nhdr nh;
		size_t d;

		memcpy(&nh, buf + off, sizeof(nh));
		d = off + sizeof(nh) + ((nh.n_namesz + 3) & ~3UL);
		if (d > end || nh.n_descsz > end - d)
			return false;
		*hdr = off;
		*desc = d;
		*size = nh.n_descsz;
		if (n++ == want)
			break;
		off = d + ((nh.n_descsz + 3) & ~3UL);
	}
	return n > 0;
}

/* One mutation of @buf (@len may shrink). */
static void mutate(unsigned char *buf, size_t *len)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	size_t hdr, desc, size, off;
	unsigned int width;

	switch (below(10)) {
	case 0:		/* bit flip, mostly in the first 64 KiB */
		off = below(below(4) ? (*len < 65536 ? *len : 65536) : *len);
		buf[off] ^= 1 << below(8);
		break;
	case 1:		/* an interesting byte */
		off = below(*len);
		buf[off] = interesting[below(ARRAY_SIZE(interesting))];
		break;
	case 2:		/* truncation */
		*len = below(*len);
		break;
	case 3:		/* a program header field */
		if (*len >= sizeof(*eh) && eh->e_phnum && eh->e_phoff < *len) {
			static const unsigned int fields[][2] = {
				{ 0, 4 }, { 4, 4 }, { 8, 8 }, { 16, 8 }, { 32, 8 }, { 40, 8 },
			};
			unsigned int f = below(ARRAY_SIZE(fields));

			off = eh->e_phoff + below(eh->e_phnum) * sizeof(Elf64_Phdr) + fields[f][0];
			put(buf, *len, off, fields[f][1],
			    pick_value(get(buf, *len, off, fields[f][1])));
		}
		break;
	case 4:		/* the ELF header's counts and offsets */
		if (below(2))
			eh->e_phnum = pick_value(eh->e_phnum);
		else
			eh->e_phoff = pick_value(eh->e_phoff);
		break;
	case 5:		/* a note header */
		if (pick_note(buf, *len, &hdr, &desc, &size)) {
			off = hdr + 4 * below(3);
			put(buf, *len, off, 4, pick_value(get(buf, *len, off, 4)));
		}
		break;
	default:	/* a field of a note's descriptor */
		if (pick_note(buf, *len, &hdr, &desc, &size) && size) {
			width = below(2) ? 8 : 4;
			off = desc + (below(size) & ~(size_t)(width - 1));
			put(buf, *len, off, width, pick_value(get(buf, *len, off, width)));
		}
		break;
	}
}

/* A report of the kernel in its log since the last look, or NULL. */
static const char *const reports[] = {
	"BUG:", "WARNING:", "Oops", "KASAN", "lockdep", "possible circular",
	"possible recursive", "general protection fault, ", "Call Trace",
	"kernel BUG", "UBSAN", "stack-protector", "hung_task",
};

static const char *kernel_report(int kmsg, char *line, size_t size)
{
	unsigned int i;
	ssize_t n;

	while ((n = read(kmsg, line, size - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		line[n] = '\0';
		for (i = 0; i < ARRAY_SIZE(reports); i++)
			if (strstr(line, reports[i]))
				return reports[i];
	}
	return NULL;
}

/*
 * Execute @path as pid 1 of a new pid namespace, in @dir; its errno, or
 * 0 when the exec succeeded (then everything it restored is killed).
 */
static int exec_mutant(const char *dir, const char *path)
{
	int err[2], e = 0, status;
	pid_t pid;

	if (pipe2(err, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };
		pid_t init;

		close(err[0]);
		if (unshare(CLONE_NEWPID))
			_exit(1);
		init = fork();
		if (init == 0) {
			char *argv[] = { (char *)path, NULL };
			int null = open("/dev/null", O_RDWR);

			setrlimit(RLIMIT_CORE, &rl);
			if (chdir(dir) || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
			    dup2(null, 2) < 0 || dup2(err[1], 1000) < 0)
				_exit(2);
			/* A mutant inherits nothing of the harness's (its result pipes). */
			err[1] = 1000;
			close_range(3, 999, 0);
			close_range(1001, ~0U, 0);
			fcntl(1000, F_SETFD, FD_CLOEXEC);
			execv(path, argv);
			e = errno;
			if (write(err[1], &e, sizeof(e)) != sizeof(e))
				_exit(3);
			_exit(4);
		}
		close(err[1]);
		/* The restored root is pid 1 here: killing it ends the namespace. */
		usleep(20000);
		kill(init, SIGKILL);
		waitpid(init, &status, 0);
		_exit(0);
	}
	close(err[1]);
	if (read(err[0], &e, sizeof(e)) != sizeof(e))
		e = 0;
	close(err[0]);
	waitpid(pid, &status, 0);
	return e;
}

static void write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	if (fd >= 0) {
		if (write(fd, buf, len) != (ssize_t)len)
			perror(path);
		close(fd);
	}
}

static void set_sysctl(const char *path, const char *val, char *old, size_t size)
{
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (fd < 0)
		return;
	if (old) {
		n = read(fd, old, size - 1);
		old[n > 0 ? n : 0] = '\0';
	}
	if (write(fd, val, strlen(val)) < 0)
		perror(path);
	close(fd);
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* As long as CR_FUZZ_ITERS asks: the kselftest runner's timeout is the bound. */
TEST_F_TIMEOUT(fuzz, loader_survives_mutated_images, 86400)
{
	const char *env_iters = getenv("CR_FUZZ_ITERS"), *env_seed = getenv("CR_FUZZ_SEED");
	unsigned long iters = env_iters ? strtoul(env_iters, NULL, 0) : 150, i, ok = 0;
	unsigned long by_errno[MAX_ERRNO + 1] = {};
	char dir[] = "/tmp/cr-fuzz-XXXXXX", path[64], line[1024];
	char core[256] = "", trace[16] = "";
	uint64_t seed = env_seed ? strtoull(env_seed, NULL, 0) : (uint64_t)time(NULL);
	struct seed seeds[NR_SEEDS];
	const char *found = NULL;
	double t0 = now();
	int kmsg, k;

	rng = seed ? seed : 1;
	ASSERT_NE(NULL, mkdtemp(dir));
	for (k = 0; k < NR_SEEDS; k++)
		ASSERT_EQ(0, make_seed(dir, k, &seeds[k])) TH_LOG("seed image %s", seed_names[k] ?: "?");
	/* Restored mutants crash: no core files, no "traps:" lines. */
	set_sysctl("/proc/sys/kernel/core_pattern", "|/bin/true", core, sizeof(core));
	set_sysctl("/proc/sys/debug/exception-trace", "0", trace, sizeof(trace));
	set_new_tids(1);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	snprintf(path, sizeof(path), "%s/mutant.ckpt", dir);
	for (i = 0; i < iters && !found; i++) {
		struct seed *s = &seeds[below(NR_SEEDS)];
		unsigned char *buf = malloc(s->len);
		size_t len = s->len;
		int n = 1 + below(4), e;

		ASSERT_NE(NULL, buf);
		memcpy(buf, s->buf, len);
		while (n--)
			mutate(buf, &len);
		write_file(path, buf, len);
		e = exec_mutant(dir, path);
		if (e > 0 && e <= MAX_ERRNO)
			by_errno[e]++;
		else if (!e)
			ok++;
		found = kernel_report(kmsg, line, sizeof(line));
		if (found) {
			char keep[96];

			snprintf(keep, sizeof(keep), "fuzz-crash-%llu-%lu.ckpt",
				 (unsigned long long)seed, i);
			write_file(keep, buf, len);
			TH_LOG("kernel report '%s' after image %lu, kept as %s: %s",
			       found, i, keep, line);
		}
		free(buf);
	}
	set_new_tids(0);
	if (core[0])
		set_sysctl("/proc/sys/kernel/core_pattern", core, NULL, 0);
	if (trace[0])
		set_sysctl("/proc/sys/debug/exception-trace", trace, NULL, 0);
	close(kmsg);
	TH_LOG("seed %llu: %lu images executed in %.0f s, %lu restored",
	       (unsigned long long)seed, i, now() - t0, ok);
	for (k = 1; k <= MAX_ERRNO; k++)
		if (by_errno[k])
			TH_LOG("  %s: %lu", strerrorname_np(k), by_errno[k]);
	for (k = 0; k < NR_SEEDS; k++)
		free(seeds[k].buf);
	cr_test_cleanup(0, dir);
	EXPECT_EQ(NULL, found);
	EXPECT_EQ(iters, i);
}

/*
 * The checkpoint side: random programs (threads, children, a pipe and a
 * socket pair with data, shared memory, pending signals), checkpointed
 * while they run, in a random mode. Each image written must pass
 * "crcore check"; a refusal is fine; the kernel log stays clean.
 * CR_FUZZ_CKPT_ITERS (default 10) programs.
 */
static void *busy(void *arg)
{
	volatile unsigned long n = 0;
	struct timespec ts = { 0, 1000000 };

	for (;;) {
		if ((uintptr_t)arg & 1)
			nanosleep(&ts, NULL);
		else
			n++;
	}
	return NULL;
}

static void random_program(int ready)
{
	unsigned int threads = below(5), children = below(3), i;
	int p[2], sv[2];
	pthread_t t;
	sigset_t set;

	if (below(2) && !pipe(p) && write(p[1], "data", 4) != 4)
		_exit(5);
	if (below(2) && !socketpair(AF_UNIX, below(2) ? SOCK_STREAM : SOCK_DGRAM, 0, sv) &&
	    write(sv[0], "message", 7) != 7)
		_exit(6);
	if (below(2)) {
		char *m = mmap(NULL, (1 + below(64)) << 12, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (m != MAP_FAILED)
			m[0] = 1;
	}
	if (below(2)) {
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		raise(SIGUSR1);
	}
	for (i = 0; i < children; i++)
		if (fork() == 0) {
			busy((void *)(uintptr_t)below(2));
			_exit(0);
		}
	for (i = 0; i < threads; i++)
		pthread_create(&t, NULL, busy, (void *)(uintptr_t)below(2));
	if (write(ready, "r", 1) != 1)
		_exit(7);
	busy((void *)(uintptr_t)below(2));
}

TEST_F_TIMEOUT(fuzz, checkpoint_of_random_programs, 86400)
{
	const char *env_iters = getenv("CR_FUZZ_CKPT_ITERS"), *env_seed = getenv("CR_FUZZ_SEED");
	unsigned long iters = env_iters ? strtoul(env_iters, NULL, 0) : 10, i;
	unsigned long images = 0, refused = 0, checked = 0;
	char dir[] = "/tmp/cr-fuzzck-XXXXXX", image[96], cmd[160], line[1024];
	uint64_t seed = env_seed ? strtoull(env_seed, NULL, 0) : (uint64_t)time(NULL);
	const char *found = NULL;
	int kmsg;

	rng = (seed ? seed : 1) ^ 0x9e3779b97f4a7c15ULL;
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(image, sizeof(image), "%s/crfuzz.ckpt", dir);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, kmsg);
	lseek(kmsg, 0, SEEK_END);
	for (i = 0; i < iters && !found; i++) {
		int mode = below(3), ready[2], status;
		union sigval v = { .sival_int = mode };
		struct stat st;
		double end;
		pid_t pid;
		char c;

		ASSERT_EQ(0, pipe(ready));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			prctl(PR_SET_NAME, "crfuzz");
			setpgid(0, 0);
			if (chdir(dir))
				_exit(1);
			random_program(ready[1]);
		}
		ASSERT_EQ(1, read(ready[0], &c, 1));
		close(ready[0]);
		close(ready[1]);
		usleep(below(50000));
		ASSERT_EQ(0, sigqueue(pid, SIGCKPT, v));
		/* The image is complete once renamed into place. */
		for (end = now() + 20; now() < end && stat(image, &st); )
			usleep(20000);
		usleep(100000);
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (!stat(image, &st)) {
			images++;
			snprintf(cmd, sizeof(cmd), "/opt/cr/bin/crcore check %s > /dev/null 2>&1",
				 image);
			if (access("/opt/cr/bin/crcore", X_OK) == 0) {
				checked++;
				EXPECT_EQ(0, system(cmd)) TH_LOG("program %lu (mode %d): crcore check",
								 i, mode);
			}
			unlink(image);
		} else {
			refused++;
		}
		found = kernel_report(kmsg, line, sizeof(line));
		if (found)
			TH_LOG("kernel report '%s' after program %lu (mode %d): %s", found, i,
			       mode, line);
	}
	close(kmsg);
	TH_LOG("seed %llu: %lu programs, %lu images (%lu checked by crcore), %lu refused",
	       (unsigned long long)seed, i, images, checked, refused);
	cr_test_cleanup(0, dir);
	EXPECT_EQ(NULL, found);
}

TEST_HARNESS_MAIN
