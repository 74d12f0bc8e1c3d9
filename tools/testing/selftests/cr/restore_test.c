// SPDX-License-Identifier: GPL-2.0
/*
 * Round trips: a child sets up some state, is checkpointed with
 * SIGCKPT in exit mode (so the original is gone), and its image is
 * executed by a new process, which must carry on with the same state.
 * Each scenario checks that state itself after the restore and reports on
 * a pipe that the restoring process passes down at REPORT_FD: descriptors
 * are the exec caller's, as for any exec.
 *
 * The restored process knows it was restored because its pid changed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <mqueue.h>
#include <sys/mount.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/sockios.h>
#include <linux/cr.h>
#include <linux/securebits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "../kselftest_harness.h"
#include "cr_test.h"

#define CHILD_NAME	"crrestore"
#define INPUT_FD	101	/* what a restored child reads */
#define EXT_FD		102	/* leads outside: the restore supplies it */
#define SETTLED_FD	103	/* written by settled(), then closed */

static pid_t orig_pid;

static bool restored(void)
{
	return syscall(SYS_getpid) != orig_pid;
}

/*
 * The scenario has its state for the checkpoint (checkpoint_child() with
 * a negative settle time waits for this, not for a fixed time: on a busy
 * machine a connection may take longer than any fixed time to settle).
 */
static void settled(void)
{
	if (write(SETTLED_FD, "s", 1) != 1)
		report("settled: write (%d)", errno);
	close(SETTLED_FD);
}




/* Scenarios: run in the child; the part after the checkpoint reports. */

static void scenario_counter(void)
{
	volatile uint64_t count = 0;

	while (!restored())
		for (int i = 0; i < 100000; i++)
			count++;
	uint64_t at_restore = count;

	for (int i = 0; i < 1000000; i++)
		count++;
	report("counter %s", count == at_restore + 1000000 ? "ok" : "bad");
}

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	usr1 = 1;
}

/*
 * Registers: general purpose and AVX registers hold known values in a
 * loop that touches none of them and waits for SIGUSR1 (sent after the
 * restore, to the handler installed before the checkpoint).
 */
struct regs_out {
	uint64_t gpr[6];	/* rbx rbp r12 r13 r14 r15 */
	uint8_t ymm[4][32];	/* ymm0..3 */
};

static void scenario_registers(void)
{
	static struct regs_out out;
	static const uint64_t gpr[6] = {
		0x1111111111111111, 0x2222222222222222, 0x1122334455667788,
		0x0badc0ffee0ddf00, 0x4444444444444444, 0x5555555555555555,
	};
	static uint8_t ymm[4][32] __attribute__((aligned(32)));
	char bad[REPORT_MAX] = "";

	for (int r = 0; r < 4; r++)
		for (int i = 0; i < 32; i++)
			ymm[r][i] = r * 32 + i + 1;
	signal(SIGUSR1, on_usr1);
	asm volatile(
		"push %%rbp\n\t"
		"vmovdqu 0(%[ymm]), %%ymm0\n\t"
		"vmovdqu 32(%[ymm]), %%ymm1\n\t"
		"vmovdqu 64(%[ymm]), %%ymm2\n\t"
		"vmovdqu 96(%[ymm]), %%ymm3\n\t"
		"mov 0(%[gpr]), %%rbx\n\t"
		"mov 8(%[gpr]), %%rbp\n\t"
		"mov 16(%[gpr]), %%r12\n\t"
		"mov 24(%[gpr]), %%r13\n\t"
		"mov 32(%[gpr]), %%r14\n\t"
		"mov 40(%[gpr]), %%r15\n\t"
		"1: pause\n\t"
		"cmpl $0, %[flag]\n\t"
		"je 1b\n\t"
		"mov %%rbx, 0(%[out])\n\t"
		"mov %%rbp, 8(%[out])\n\t"
		"mov %%r12, 16(%[out])\n\t"
		"mov %%r13, 24(%[out])\n\t"
		"mov %%r14, 32(%[out])\n\t"
		"mov %%r15, 40(%[out])\n\t"
		"vmovdqu %%ymm0, 48(%[out])\n\t"
		"vmovdqu %%ymm1, 80(%[out])\n\t"
		"vmovdqu %%ymm2, 112(%[out])\n\t"
		"vmovdqu %%ymm3, 144(%[out])\n\t"
		"pop %%rbp\n\t"
		:
		: [gpr] "S" (gpr), [ymm] "D" (ymm), [out] "c" (&out),
		  [flag] "m" (usr1)
		: "rbx", "r12", "r13", "r14", "r15", "xmm0", "xmm1", "xmm2",
		  "xmm3", "memory", "cc");
	for (int i = 0; i < 6; i++)
		if (out.gpr[i] != gpr[i])
			snprintf(bad, sizeof(bad), "gpr %d is %#lx", i, out.gpr[i]);
	for (int r = 0; r < 4; r++)
		if (memcmp(out.ymm[r], ymm[r], 32))
			snprintf(bad, sizeof(bad), "ymm%d differs", r);
	report("registers %s%s restored %d", bad[0] ? "bad: " : "ok", bad,
	       restored());
}

/* A 4 s nanosleep, checkpointed after about 1 s: about 3 s are left. */
static void scenario_nanosleep(void)
{
	struct timespec ts = { .tv_sec = 4 };
	long ret = syscall(SYS_nanosleep, &ts, NULL);

	report("nanosleep %ld errno %d restored %d", ret, ret ? errno : 0,
	       restored());
}

/* pause(): restarted after restore, ended by a signal sent to the restored process. */
static void scenario_pause(void)
{
	stack_t ss = {
		.ss_sp = malloc(65536),
		.ss_size = 65536,
	}, old;
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_ONSTACK };
	int ret;

	sigaltstack(&ss, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	ret = pause();
	if (sigaltstack(NULL, &old) || old.ss_sp != ss.ss_sp || old.ss_size != ss.ss_size)
		report("pause sigaltstack lost");
	report("pause %d errno %d usr1 %d restored %d", ret, errno, usr1, restored());
}

static void scenario_read(void)
{
	char buf[32] = "";
	ssize_t n = read(INPUT_FD, buf, sizeof(buf) - 1);

	report("read %zd '%s' restored %d", n, n > 0 ? buf : "", restored());
}

#define BIG	(64 << 20)

static void scenario_memory(void)
{
	unsigned char *big = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *ro;
	char *heap = sbrk(0), *brk_end;
	uint64_t x = 88172645463325252ull, sum, heap_sum;

	if (big == MAP_FAILED)
		report("memory mmap failed");
	/* Random bytes, with every eighth page left untouched (zero). */
	for (size_t i = 0; i < BIG; i += 8) {
		if ((i >> 12) % 8 == 7)
			continue;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(big + i, &x, 8);
	}
	sum = fnv(big, BIG);
	/* The brk heap, grown by hand. */
	if (sbrk(3 * 4096 + 100) == (void *)-1)
		report("memory sbrk failed");
	for (int i = 0; i < 3 * 4096 + 100; i++)
		heap[i] = i * 13;
	heap_sum = fnv(heap, 3 * 4096 + 100);
	brk_end = sbrk(0);
	/* A read-only private page with contents. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy((char *)ro, "read-only page");
	mprotect(ro, 4096, PROT_READ);

	while (!restored())
		usleep(10000);
	if (fnv(big, BIG) != sum)
		report("memory anonymous checksum differs");
	if (fnv(heap, 3 * 4096 + 100) != heap_sum)
		report("memory heap checksum differs");
	if (sbrk(0) != brk_end)
		report("memory brk moved");
	if (sbrk(4096) == (void *)-1)
		report("memory brk cannot grow");
	brk_end[100] = 1;
	if (strcmp((char *)ro, "read-only page"))
		report("memory read-only page differs");
	report("memory ok");
}

/* A MAP_SHARED file mapping: written after restore, the file sees it. */
static void scenario_shared_file(void)
{
	int fd = open("shared.dat", O_RDWR | O_CREAT, 0600);
	char *p;

	if (fd < 0 || ftruncate(fd, 8192))
		report("shared setup failed");
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		report("shared mmap failed");
	close(fd);
	strcpy(p, "before");
	while (!restored())
		usleep(10000);
	if (strcmp(p, "before"))
		report("shared content lost: '%.10s'", p);
	strcpy(p + 4096, "after restore");
	msync(p, 8192, MS_SYNC);
	report("shared ok");
}

/* stdout is the exec caller's: "./prog.ckpt > file" redirects it. */
static void scenario_stdout(void)
{
	while (!restored())
		usleep(10000);
	printf("hello from the restored process\n");
	fflush(stdout);
	report("stdout ok");
}

/* Handlers and the blocked mask survive. */
static volatile sig_atomic_t usr2;

static void on_usr2(int sig)
{
	usr2++;
}

static volatile int rt_values[4], nr_rt, winch;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	if (nr_rt < 4 && si->si_code == SI_QUEUE)
		rt_values[nr_rt] = si->si_value.sival_int;
	nr_rt++;
}

static void on_winch(int sig)
{
	winch++;
}

static void scenario_signals(void)
{
	struct sigaction sa = { .sa_handler = on_usr2, .sa_flags = SA_RESTART };
	struct sigaction rt = { .sa_sigaction = on_rt, .sa_flags = SA_SIGINFO };
	int rtsig = SIGRTMIN + 1;
	sigset_t set, cur, pending;

	sigaction(SIGUSR2, &sa, NULL);
	sigaction(rtsig, &rt, NULL);
	signal(SIGWINCH, on_winch);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, rtsig);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* Pending at the checkpoint: two queued values and a plain signal. */
	sigqueue(getpid(), rtsig, (union sigval){ .sival_int = 42 });
	sigqueue(getpid(), rtsig, (union sigval){ .sival_int = 43 });
	raise(SIGWINCH);
	while (!restored())
		usleep(10000);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	if (!sigismember(&cur, SIGTERM) || sigismember(&cur, SIGUSR2))
		report("signals mask lost");
	sigaction(SIGHUP, NULL, &sa);
	if (sa.sa_handler != SIG_IGN)
		report("signals SIGHUP no longer ignored");
	raise(SIGUSR2);
	if (usr2 != 1)
		report("signals handler did not run");
	if (sigpending(&pending) || !sigismember(&pending, rtsig) ||
	    !sigismember(&pending, SIGWINCH))
		report("signals pending signals lost");
	if (nr_rt || winch)
		report("signals blocked signals were delivered");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if (nr_rt != 2 || rt_values[0] != 42 || rt_values[1] != 43 || winch != 1)
		report("signals pending delivered %d rt (%d, %d), %d winch", nr_rt,
		       rt_values[0], rt_values[1], winch);
	report("signals ok");
}

/* Descriptors: reopened by path with their flags and offsets. */
#define FD_RO		50
#define FD_APPEND	51
#define FD_UNLINKED	52
#define FD_NULL		53
#define FD_DIR		54
#define FD_EXTRA	150	/* the restoring caller's, not the process's */
#define UNLINKED_LEN	10000

static unsigned char unlinked_byte(int i)
{
	return i * 31 + 7;
}

static void scenario_files(void)
{
	unsigned char buf[UNLINKED_LEN];
	char three[4] = "";
	struct stat st;
	int fd, fl;

	fd = open("data.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "abcdefghij", 10) != 10)
		report("files setup data.txt");
	close(fd);
	if (dup2(open("data.txt", O_RDONLY | O_CLOEXEC), FD_RO) != FD_RO ||
	    fcntl(FD_RO, F_SETFD, FD_CLOEXEC) || read(FD_RO, three, 3) != 3)
		report("files setup ro");
	if (dup2(open("log.txt", O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK, 0600),
		 FD_APPEND) != FD_APPEND || write(FD_APPEND, "before;", 7) != 7)
		report("files setup append");
	fd = open("gone.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
	for (int i = 0; i < UNLINKED_LEN; i++)
		buf[i] = unlinked_byte(i);
	if (fd < 0 || write(fd, buf, UNLINKED_LEN) != UNLINKED_LEN ||
	    unlink("gone.bin") || dup2(fd, FD_UNLINKED) != FD_UNLINKED ||
	    lseek(FD_UNLINKED, 1234, SEEK_SET) != 1234)
		report("files setup unlinked");
	if (dup2(open("/dev/null", O_WRONLY), FD_NULL) != FD_NULL ||
	    dup2(open(".", O_RDONLY | O_DIRECTORY), FD_DIR) != FD_DIR)
		report("files setup null/dir");

	while (!restored())
		usleep(10000);
	memset(three, 0, sizeof(three));
	if (read(FD_RO, three, 3) != 3 || strcmp(three, "def"))
		report("files ro offset: read '%s'", three);
	if (fcntl(FD_RO, F_GETFD) != FD_CLOEXEC)
		report("files ro lost FD_CLOEXEC");
	fl = fcntl(FD_APPEND, F_GETFL);
	if ((fl & O_ACCMODE) != O_WRONLY || !(fl & O_APPEND) || !(fl & O_NONBLOCK))
		report("files append flags %#x", fl);
	if (write(FD_APPEND, "after", 5) != 5)
		report("files append write");
	if (fstat(FD_UNLINKED, &st) || st.st_nlink != 0 || st.st_size != UNLINKED_LEN)
		report("files unlinked: nlink %ld size %ld", (long)st.st_nlink,
		       (long)st.st_size);
	if (lseek(FD_UNLINKED, 0, SEEK_CUR) != 1234)
		report("files unlinked offset");
	if (read(FD_UNLINKED, buf, UNLINKED_LEN) != UNLINKED_LEN - 1234)
		report("files unlinked read");
	for (int i = 1234; i < UNLINKED_LEN; i++)
		if (buf[i - 1234] != unlinked_byte(i))
			report("files unlinked byte %d differs", i);
	if (fstat(FD_NULL, &st) || !S_ISCHR(st.st_mode) || write(FD_NULL, "x", 1) != 1)
		report("files /dev/null");
	fd = openat(FD_DIR, "data.txt", O_RDONLY);
	if (fd < 0)
		report("files dir fd");
	close(fd);
	if (fcntl(FD_EXTRA, F_GETFD) != -1 || errno != EBADF)
		report("files: the caller's fd %d leaked in", FD_EXTRA);
	report("files ok");
}

/* umask, working directory, resource limits, personality. */
static void scenario_process(void)
{
	struct rlimit nofile, core;
	char cwd[256];

	umask(027);
	if (mkdir("sub", 0700) || chdir("sub"))
		report("process setup cwd");
	getrlimit(RLIMIT_NOFILE, &nofile);
	nofile.rlim_cur = 200;
	core.rlim_cur = 4096;
	core.rlim_max = 8192;
	if (setrlimit(RLIMIT_NOFILE, &nofile) || setrlimit(RLIMIT_CORE, &core))
		report("process setup rlimits");
	if (personality(PER_LINUX | ADDR_NO_RANDOMIZE) < 0)
		report("process setup personality");
	while (!restored())
		usleep(10000);
	if (umask(0) != 027)
		report("process umask lost");
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(strrchr(cwd, '/'), "/sub"))
		report("process cwd is %s", cwd);
	getrlimit(RLIMIT_NOFILE, &nofile);
	getrlimit(RLIMIT_CORE, &core);
	if (nofile.rlim_cur != 200 || core.rlim_cur != 4096 || core.rlim_max != 8192)
		report("process rlimits %lu %lu %lu", (unsigned long)nofile.rlim_cur,
		       (unsigned long)core.rlim_cur, (unsigned long)core.rlim_max);
	if (personality(0xffffffff) != (PER_LINUX | ADDR_NO_RANDOMIZE))
		report("process personality %#x", personality(0xffffffff));
	prctl(PR_GET_NAME, cwd);
	if (strcmp(cwd, CHILD_NAME))
		report("process name is %s", cwd);
	report("process ok");
}

/*
 * Threads. Each counter thread counts in a loop; after the restore the
 * main thread checks that every counter advances, then has each thread
 * check its own state: thread-local value, blocked mask, thread id.
 */
#define NT		8

static struct thread_state {
	volatile uint64_t count;
	pid_t tid;
	volatile int check;	/* set by main after the restore */
	volatile int checked;
	int tls_ok, mask_ok, tid_same, name_ok;
	volatile pid_t got_usr1;	/* gettid() in the SIGUSR1 handler */
} ts[NT];
static __thread int tls_id;
static __thread int my_index = -1;

static void on_usr1_thread(int sig)
{
	if (my_index >= 0)
		ts[my_index].got_usr1 = syscall(SYS_gettid);
}

static void *counter_thread(void *arg)
{
	int i = (long)arg;
	char name[16], now_name[16] = "";
	sigset_t set;

	snprintf(name, sizeof(name), "cnt-%d", i);
	prctl(PR_SET_NAME, name);
	my_index = i;
	tls_id = i * 7 + 1;
	ts[i].tid = syscall(SYS_gettid);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2 + i);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		ts[i].count++;
		if (ts[i].check && !ts[i].checked) {
			pthread_sigmask(SIG_BLOCK, NULL, &set);
			ts[i].mask_ok = sigismember(&set, SIGRTMIN + 2 + i) &&
					!sigismember(&set, SIGRTMIN + 2 + (i + 1) % NT);
			ts[i].tls_ok = tls_id == i * 7 + 1;
			ts[i].tid_same = syscall(SYS_gettid) == ts[i].tid;
			prctl(PR_GET_NAME, now_name);
			ts[i].name_ok = !strcmp(now_name, name);
			ts[i].checked = 1;
		}
	}
	return NULL;
}

static pthread_t counters[NT];

static void start_counters(void)
{
	signal(SIGUSR1, on_usr1_thread);
	for (long i = 0; i < NT; i++)
		if (pthread_create(&counters[i], NULL, counter_thread, (void *)i))
			report("threads create failed");
	for (int i = 0; i < NT; i++)
		while (!ts[i].count)
			usleep(1000);
}

/* Every counter advances; every thread kept its TLS and mask. */
static const char *check_counters(char *why, size_t len)
{
	uint64_t before[NT];

	for (int i = 0; i < NT; i++)
		before[i] = ts[i].count;
	usleep(200000);
	for (int i = 0; i < NT; i++) {
		if (ts[i].count == before[i]) {
			snprintf(why, len, "thread %d stands still", i);
			return why;
		}
		ts[i].check = 1;
	}
	for (int i = 0; i < NT; i++) {
		while (!ts[i].checked)
			usleep(1000);
		if (!ts[i].tls_ok || !ts[i].mask_ok || !ts[i].name_ok) {
			snprintf(why, len, "thread %d lost its tls (%d), mask (%d) or name (%d)",
				 i, ts[i].tls_ok, ts[i].mask_ok, ts[i].name_ok);
			return why;
		}
	}
	return NULL;
}

static void scenario_threads(void)
{
	char why[REPORT_MAX];
	int same = 0;

	start_counters();
	while (!restored())
		usleep(10000);
	if (check_counters(why, sizeof(why)))
		report("threads %s", why);
	for (int i = 0; i < NT; i++)
		same += ts[i].tid_same;
	report("threads ok, %d of %d with their ids", same, NT);
}

/*
 * With the original thread ids: pthread_kill() finds each thread, which
 * sees its own id unchanged.
 */
static void scenario_threads_orig_ids(void)
{
	char why[REPORT_MAX];

	start_counters();
	/* Pid 2 of a pid namespace before and after: the restorer leaves a flag. */
	while (access("restored.flag", F_OK))
		usleep(10000);
	if (check_counters(why, sizeof(why)))
		report("threads %s", why);
	for (int i = 0; i < NT; i++) {
		if (!ts[i].tid_same)
			report("threads: thread %d has a new id", i);
		if (pthread_kill(counters[i], SIGUSR1))
			report("threads: pthread_kill %d failed", i);
	}
	for (int i = 0; i < NT; i++) {
		for (int t = 0; t < 1000 && !ts[i].got_usr1; t++)
			usleep(1000);
		if (ts[i].got_usr1 != ts[i].tid)
			report("threads: SIGUSR1 for %d reached %d", ts[i].tid, ts[i].got_usr1);
	}
	report("threads ok with original ids");
}

/* A condition variable handshake and joins that complete after restore. */
static pthread_mutex_t hs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hs_cond = PTHREAD_COND_INITIALIZER;
static int hs_stage;

static void *waiter_thread(void *arg)
{
	pthread_mutex_lock(&hs_lock);
	while (hs_stage == 0)
		pthread_cond_wait(&hs_cond, &hs_lock);
	hs_stage = 2;
	pthread_mutex_unlock(&hs_lock);
	return (void *)42;
}

static void *sleeper_thread(void *arg)
{
	struct timespec ts = { .tv_sec = 3 };

	return (void *)(long)(syscall(SYS_nanosleep, &ts, NULL) == 0 ? 7 : -1);
}

static void scenario_condvar_join(void)
{
	pthread_t w, z;
	void *rw, *rz;
	double t0;

	if (pthread_create(&w, NULL, waiter_thread, NULL) ||
	    pthread_create(&z, NULL, sleeper_thread, NULL))
		report("condvar create failed");
	while (!restored())
		usleep(10000);
	t0 = now();
	pthread_mutex_lock(&hs_lock);
	hs_stage = 1;
	pthread_cond_signal(&hs_cond);
	pthread_mutex_unlock(&hs_lock);
	if (pthread_join(w, &rw) || rw != (void *)42 || hs_stage != 2)
		report("condvar waiter: %p stage %d", rw, hs_stage);
	if (pthread_join(z, &rz) || rz != (void *)7)
		report("condvar sleeper returned %p", rz);
	/* Checkpointed about 0.3 s into its 3 s sleep. */
	if (now() - t0 < 1.0)
		report("condvar sleeper woke %.2f s after restore", now() - t0);
	report("condvar ok");
}

/* Distinct AVX values per thread, across the restore. */
static volatile int avx_go;
static uint8_t avx_out[4][32];

static void *avx_thread(void *arg)
{
	long i = (long)arg;
	uint8_t in[32];

	for (int b = 0; b < 32; b++)
		in[b] = i * 64 + b;
	asm volatile("vmovdqu (%[in]), %%ymm5\n\t"
		     "1: pause\n\t"
		     "cmpl $0, %[go]\n\t"
		     "je 1b\n\t"
		     "vmovdqu %%ymm5, (%[out])\n\t"
		     : : [in] "r" (in), [out] "r" (avx_out[i]), [go] "m" (avx_go)
		     : "xmm5", "memory", "cc");
	return NULL;
}

static void scenario_avx_threads(void)
{
	pthread_t t[4];

	for (long i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, avx_thread, (void *)i))
			report("avx create failed");
	usleep(100000);
	while (!restored())
		usleep(10000);
	avx_go = 1;
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		for (int b = 0; b < 32; b++)
			if (avx_out[i][b] != (uint8_t)(i * 64 + b))
				report("avx thread %d byte %d is %d", i, b, avx_out[i][b]);
	}
	report("avx ok");
}

/* A pool of threads doing a reduction, checkpointed half way. */
#define RED_N		(1 << 18)
#define RED_CHUNK	256
#define RED_WORKERS	4

static uint32_t red_data[RED_N];
static long red_next;
static uint64_t red_partial[RED_WORKERS];

static uint64_t red_term(long j)
{
	uint64_t x = red_data[j];

	for (int k = 0; k < 64; k++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x >> 40;
}

static void *red_worker(void *arg)
{
	long id = (long)arg, c;

	while ((c = __atomic_fetch_add(&red_next, RED_CHUNK, __ATOMIC_RELAXED)) < RED_N) {
		for (long j = c; j < c + RED_CHUNK; j++)
			red_partial[id] += red_term(j);
		usleep(1000);	/* about a second in all: the checkpoint comes half way */
	}
	return NULL;
}

static void scenario_reduction(void)
{
	pthread_t t[RED_WORKERS];
	uint64_t sum = 0, ref = 0;
	long done_at_restore;

	for (long j = 0; j < RED_N; j++)
		red_data[j] = j * 2654435761u;
	for (long i = 0; i < RED_WORKERS; i++)
		if (pthread_create(&t[i], NULL, red_worker, (void *)i))
			report("reduction create failed");
	while (!restored())
		usleep(10000);
	done_at_restore = __atomic_load_n(&red_next, __ATOMIC_RELAXED);
	for (int i = 0; i < RED_WORKERS; i++) {
		pthread_join(t[i], NULL);
		sum += red_partial[i];
	}
	for (long j = 0; j < RED_N; j++)
		ref += red_term(j);
	if (sum != ref)
		report("reduction %#llx, expected %#llx", (unsigned long long)sum,
		       (unsigned long long)ref);
	report("reduction ok%s", done_at_restore < RED_N ? "" : " (finished before)");
}

/*
 * Scheduling and prctl() state, per thread and per process: each set to
 * what the exec caller does not have, checked by each thread after the
 * restore. Thread 0 (main): SCHED_BATCH, nice 7, a 3 ms time slice, timer
 * slack 777777 ns; thread 1: SCHED_FIFO 10 with SCHED_RESET_ON_FORK, nice
 * -3, pinned to the last CPU; thread 2: SCHED_IDLE, nice 2, timer slack
 * 123456 ns, no_new_privs (thread 2 only). The process: oom_score_adj
 * 345, coredump_filter 0x7f, THP disabled, MDWE.
 */
#define SA_SLICE	3000000ULL

struct sa_want {
	int policy;
	unsigned int flags;
	int prio;
	int nice;
	unsigned long long runtime;
	long slack;
	int nnp;
	int cpu;	/* the one CPU it may use, or -1 for all */
};

static const struct sa_want sa_want[3] = {
	{ SCHED_BATCH, 0, 0, 7, SA_SLICE, 777777, 0, -1 },
	{ SCHED_FIFO, SCHED_FLAG_RESET_ON_FORK, 10, -3, 0, 0, 0, 0 },
	{ SCHED_IDLE, 0, 0, 2, 0, 123456, 1, -1 },
};
static char sa_result[3][96];
static volatile int sa_set[3], sa_check;
static int sa_last_cpu;

static int sa_apply(const struct sa_want *w)
{
	struct sched_attr a = {
		.size = sizeof(a), .sched_policy = w->policy, .sched_flags = w->flags,
		.sched_nice = w->nice, .sched_priority = w->prio,
		.sched_runtime = w->runtime,
	};
	cpu_set_t set;

	if (w->cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(sa_last_cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return -1;
	}
	if (syscall(SYS_sched_setattr, 0, &a, 0) ||
	    (w->policy != SCHED_BATCH && setpriority(PRIO_PROCESS, 0, w->nice)))
		return -1;
	if (w->slack && prctl(PR_SET_TIMERSLACK, w->slack, 0, 0, 0))
		return -1;
	if (w->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return 0;
}

/* What differs from @w in the calling thread, into @out ("" if nothing). */
static void sa_compare(const struct sa_want *w, char *out, size_t len)
{
	struct sched_attr a = { 0 };
	int nice, ncpu = get_nprocs_conf();
	cpu_set_t set;
	long slack;

	out[0] = '\0';
	errno = 0;
	nice = getpriority(PRIO_PROCESS, 0);
	slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	if (syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0) ||
	    sched_getaffinity(0, sizeof(set), &set)) {
		snprintf(out, len, "cannot read its state");
		return;
	}
	if ((int)a.sched_policy != w->policy ||
	    (a.sched_flags & SCHED_FLAG_RESET_ON_FORK) != w->flags ||
	    (int)a.sched_priority != w->prio || nice != w->nice ||
	    (w->runtime && a.sched_runtime != w->runtime))
		snprintf(out, len, "policy %u flags %#llx prio %u nice %d slice %llu",
			 a.sched_policy, (unsigned long long)a.sched_flags,
			 a.sched_priority, nice, (unsigned long long)a.sched_runtime);
	else if (slack != w->slack)
		snprintf(out, len, "timer slack %ld", slack);
	else if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != w->nnp)
		snprintf(out, len, "no_new_privs %d", !w->nnp);
	else if (w->cpu >= 0 ? CPU_COUNT(&set) != 1 || !CPU_ISSET(sa_last_cpu, &set) :
		 CPU_COUNT(&set) != ncpu)
		snprintf(out, len, "affinity of %d CPUs", CPU_COUNT(&set));
}

static void *sa_thread(void *arg)
{
	long i = (long)arg;

	if (sa_apply(&sa_want[i]))
		snprintf(sa_result[i], sizeof(sa_result[i]), "set-up failed (%d)", errno);
	else
		sa_compare(&sa_want[i], sa_result[i], sizeof(sa_result[i]));
	sa_set[i] = 1;
	while (!sa_check)
		usleep(10000);
	if (!sa_result[i][0])
		sa_compare(&sa_want[i], sa_result[i], sizeof(sa_result[i]));
	sa_set[i] = 2;
	for (;;)
		pause();
	return NULL;
}

static void read_proc_self(const char *name, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/%s", name);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	if (fd >= 0)
		close(fd);
}

static void write_proc_self(const char *name, const char *val)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		report("sched: cannot write %s", path);
	close(fd);
}

static void scenario_sched_attrs(void)
{
	pthread_t th[3];
	char buf[64];

	sa_last_cpu = get_nprocs_conf() - 1;
	write_proc_self("oom_score_adj", "345");
	write_proc_self("coredump_filter", "0x7f");
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) ||
	    prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0))
		report("sched: prctl set-up failed (%d)", errno);
	for (long i = 1; i < 3; i++)
		if (pthread_create(&th[i], NULL, sa_thread, (void *)i))
			report("sched: pthread_create");
	if (sa_apply(&sa_want[0]))
		report("sched: set-up of the main thread failed (%d)", errno);
	for (int i = 1; i < 3; i++)
		while (!sa_set[i])
			usleep(1000);
	for (int i = 1; i < 3; i++)
		if (sa_result[i][0])
			report("sched: thread %d before: %s", i, sa_result[i]);
	/* Set up, and checked so: a test that cannot fail is no test. */
	sa_compare(&sa_want[0], sa_result[0], sizeof(sa_result[0]));
	if (sa_result[0][0])
		report("sched: main thread before: %s", sa_result[0]);
	while (!restored())
		usleep(10000);
	sa_check = 1;
	sa_compare(&sa_want[0], sa_result[0], sizeof(sa_result[0]));
	for (int i = 1; i < 3; i++)
		while (sa_set[i] != 2)
			usleep(1000);
	for (int i = 0; i < 3; i++)
		if (sa_result[i][0])
			report("sched: thread %d: %s", i, sa_result[i]);
	read_proc_self("oom_score_adj", buf, sizeof(buf));
	if (strcmp(buf, "345"))
		report("sched: oom_score_adj %s", buf);
	read_proc_self("coredump_filter", buf, sizeof(buf));
	if (strtoul(buf, NULL, 16) != 0x7f)
		report("sched: coredump_filter %s", buf);
	if (prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 1 ||
	    prctl(PR_GET_MDWE, 0, 0, 0, 0) != PR_MDWE_REFUSE_EXEC_GAIN)
		report("sched: THP disable %d, MDWE %d",
		       prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0), prctl(PR_GET_MDWE, 0, 0, 0, 0));
	report("sched ok");
}

/*
 * memfds: descriptors with their names, sizes (a sparse one stays
 * sparse), offsets, seals and contents, and one file again with their
 * shared mappings: a write through either is seen through the other.
 */
#define MFD_A_LEN	(1 << 20)
#define MFD_A_DATA	(3 * 4096)

static unsigned char mfd_byte(size_t i)
{
	return (unsigned char)(i * 13 + 7);
}

static bool maps_has(const void *p, const char *name)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long start, end;
	char line[512];
	bool found = false;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    (unsigned long)p >= start && (unsigned long)p < end)
			found = strstr(line, name);
	if (f)
		fclose(f);
	return found;
}

static void scenario_memfd(void)
{
	unsigned char buf[MFD_A_DATA], *ma, *mb;
	char link[128], want[64];
	int a, b, seals;
	struct stat st;

	a = memfd_create("cr-test-a", MFD_ALLOW_SEALING);
	b = memfd_create("cr-test-b", MFD_ALLOW_SEALING);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = mfd_byte(i);
	if (a < 0 || b < 0 || write(a, buf, sizeof(buf)) != sizeof(buf) ||
	    ftruncate(a, MFD_A_LEN) || write(b, "sealed", 6) != 6)
		report("memfd: set-up");
	/* Write-sealed first: its shared mapping may then never be written. */
	if (fcntl(b, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SEAL))
		report("memfd: seals of b (%d)", errno);
	ma = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, a, 0);
	mb = mmap(NULL, 4096, PROT_READ, MAP_SHARED, b, 0);
	if (ma == MAP_FAILED || mb == MAP_FAILED ||
	    fcntl(a, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) || lseek(a, 1234, SEEK_SET) != 1234)
		report("memfd: mmap or seals of a (%d)", errno);
	ma[100] = 0xee;
	while (!restored())
		usleep(10000);
	snprintf(want, sizeof(want), "/proc/self/fd/%d", a);
	memset(link, 0, sizeof(link));
	if (readlink(want, link, sizeof(link) - 1) < 0 || strcmp(link, "/memfd:cr-test-a (deleted)"))
		report("memfd: fd %d is '%s'", a, link);
	if (fstat(a, &st) || st.st_size != MFD_A_LEN || st.st_blocks * 512 > 64 * 1024)
		report("memfd: size %lld, %lld bytes allocated", (long long)st.st_size,
		       (long long)st.st_blocks * 512);
	if (lseek(a, 0, SEEK_CUR) != 1234)
		report("memfd: offset %lld", (long long)lseek(a, 0, SEEK_CUR));
	seals = fcntl(a, F_GET_SEALS);
	if (seals != (F_SEAL_SHRINK | F_SEAL_GROW) ||
	    fcntl(b, F_GET_SEALS) != (F_SEAL_WRITE | F_SEAL_SEAL))
		report("memfd: seals %#x and %#x", seals, fcntl(b, F_GET_SEALS));
	if (pread(a, buf, sizeof(buf), 0) != sizeof(buf))
		report("memfd: pread");
	for (size_t i = 0; i < sizeof(buf); i++)
		if (buf[i] != (i == 100 ? 0xee : mfd_byte(i)))
			report("memfd: byte %zu is %#x", i, buf[i]);
	/* One file again: through the mapping, then through the descriptor. */
	ma[200] = 0x5a;
	if (pread(a, buf, 1, 200) != 1 || buf[0] != 0x5a)
		report("memfd: a write to the mapping is not in the file");
	if (pwrite(a, "Z", 1, 300) != 1 || ma[300] != 'Z')
		report("memfd: a write to the file is not in the mapping");
	if (!maps_has(ma, "/memfd:cr-test-a (deleted)"))
		report("memfd: the mapping is not the memfd's");
	if (memcmp(mb, "sealed", 6) || pwrite(b, "x", 1, 0) != -1 || errno != EPERM ||
	    !mprotect(mb, 4096, PROT_READ | PROT_WRITE))
		report("memfd: the write-sealed one is writable");
	report("memfd ok");
}

/*
 * POSIX timers keep their ids, clocks, sigevents and time left: a
 * one-shot CLOCK_MONOTONIC timer with a value, an absolute CLOCK_REALTIME
 * one, a periodic CLOCK_BOOTTIME one signalling a worker thread (whose id
 * changes: restored with new thread ids), a SIGEV_NONE one on the process
 * CPU clock; the id of one deleted before stays free.
 */
#define PT_SIG1		(SIGRTMIN + 5)
#define PT_SIG3		(SIGRTMIN + 6)

static timer_t pt_id[5];
static volatile sig_atomic_t pt_fired1, pt_fired3, pt_wrong_thread;
static volatile int pt_value1;
static volatile pid_t pt_worker;

static void on_pt1(int sig, siginfo_t *si, void *uc)
{
	pt_value1 = si->si_value.sival_int;
	pt_fired1++;
}

static pthread_t pt_th;

/* The worker by its pthread (its thread id changes at the restore). */
static void on_pt3(int sig, siginfo_t *si, void *uc)
{
	if (!pthread_equal(pthread_self(), pt_th))
		pt_wrong_thread++;
	pt_fired3++;
}

static void *pt_thread(void *arg)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, PT_SIG3);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	pt_worker = syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

static double pt_left(timer_t id, double *interval)
{
	struct itimerspec its;

	if (timer_gettime(id, &its))
		report("posix timers: timer_gettime(%ld): %d", (long)id, errno);
	*interval = its.it_interval.tv_sec + its.it_interval.tv_nsec / 1e9;
	return its.it_value.tv_sec + its.it_value.tv_nsec / 1e9;
}

static void scenario_posix_timers(void)
{
	struct sigaction sa = { .sa_flags = SA_SIGINFO };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL };
	struct itimerspec its = { 0 };
	struct itimerspec ts[5] = { 0 };
	double left, interval, t;
	struct timespec rt;
	sigset_t set;

	sa.sa_sigaction = on_pt1;
	sigaction(PT_SIG1, &sa, NULL);
	sa.sa_sigaction = on_pt3;
	sigaction(PT_SIG3, &sa, NULL);
	/* Only the worker takes PT_SIG3. */
	sigemptyset(&set);
	sigaddset(&set, PT_SIG3);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&pt_th, NULL, pt_thread, NULL))
		report("posix timers: pthread_create");
	while (!pt_worker)
		usleep(1000);

	if (timer_create(CLOCK_MONOTONIC, NULL, &pt_id[0]))
		report("posix timers: create 0");
	ev.sigev_signo = PT_SIG1;
	ev.sigev_value.sival_int = 0x1234;
	if (timer_create(CLOCK_MONOTONIC, &ev, &pt_id[1]))
		report("posix timers: create 1");
	if (timer_create(CLOCK_REALTIME, NULL, &pt_id[2]))
		report("posix timers: create 2");
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = PT_SIG3;
	ev._sigev_un._tid = pt_worker;
	if (timer_create(CLOCK_BOOTTIME, &ev, &pt_id[3]))
		report("posix timers: create 3");
	ev.sigev_notify = SIGEV_NONE;
	if (timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &pt_id[4]))
		report("posix timers: create 4");
	if (timer_delete(pt_id[0]))
		report("posix timers: delete 0");
	ts[1].it_value.tv_sec = 3;
	clock_gettime(CLOCK_REALTIME, &rt);
	ts[2].it_value.tv_sec = rt.tv_sec + 1000;
	ts[3].it_value.tv_sec = 100;
	ts[3].it_interval.tv_nsec = 100000000;
	ts[4].it_value.tv_sec = 100;
	for (int i = 1; i < 5; i++)
		if (timer_settime(pt_id[i], i == 2 ? TIMER_ABSTIME : 0, &ts[i], NULL))
			report("posix timers: settime %d", i);

	while (!restored())
		usleep(10000);
	if (!timer_gettime(pt_id[0], &its) || errno != EINVAL)
		report("posix timers: the deleted id %ld is back", (long)pt_id[0]);
	left = pt_left(pt_id[1], &interval);
	if (pt_fired1 || left <= 1.5 || left > 3 || interval)
		report("posix timers: 1 has %.3f s left, fired %d", left, (int)pt_fired1);
	left = pt_left(pt_id[2], &interval);
	if (left < 900 || left > 1000)
		report("posix timers: the absolute one has %.3f s left", left);
	left = pt_left(pt_id[4], &interval);
	if (left < 99 || left > 100)
		report("posix timers: the CPU-time one has %.3f s left", left);
	left = pt_left(pt_id[3], &interval);
	if (left < 98 || left > 100 || interval != 0.1)
		report("posix timers: the periodic one has %.3f s left, interval %.3f",
		       left, interval);
	/* The periodic one, now every 100 ms, to the worker. */
	its.it_value.tv_nsec = 100000000;
	its.it_interval.tv_nsec = 100000000;
	if (timer_settime(pt_id[3], 0, &its, NULL))
		report("posix timers: settime 3 after");
	t = now();
	while ((pt_fired3 < 3 || !pt_fired1) && now() - t < 10)
		usleep(10000);
	if (pt_fired3 < 3 || pt_wrong_thread)
		report("posix timers: worker got %d, %d to another thread",
		       (int)pt_fired3, (int)pt_wrong_thread);
	if (pt_fired1 != 1 || pt_value1 != 0x1234)
		report("posix timers: 1 fired %d times, value %#x", (int)pt_fired1, pt_value1);
	report("posix timers ok");
}

/*
 * POSIX timers on threads' CPU clocks: one on a worker's
 * (pthread_getcpuclockid(): its clock by its thread id), 300 ms of its
 * CPU time, signalling the process; one on the main thread's own
 * (CLOCK_THREAD_CPUTIME_ID), 100 s, SIGEV_NONE. Restored with new thread
 * ids. After the restore the main thread sleeps while the worker spins:
 * the first fires, from the worker's CPU time alone; the second still
 * has about 100 s left.
 */
#define TCT_SIG		(SIGRTMIN + 7)
static volatile sig_atomic_t tct_fired, tct_go;
static volatile int tct_value;

static void on_tct(int sig, siginfo_t *si, void *uc)
{
	tct_value = si->si_value.sival_int;
	tct_fired++;
}

static void *tct_worker(void *arg)
{
	while (!tct_go)
		usleep(1000);
	while (!tct_fired && tct_go == 1)
		;
	return NULL;
}

static void scenario_thread_cpu_timers(void)
{
	struct sigaction sa = { .sa_sigaction = on_tct, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = TCT_SIG,
			       .sigev_value.sival_int = 0x77 };
	struct itimerspec its = { .it_value.tv_nsec = 300000000 }, mine = { .it_value.tv_sec = 100 };
	timer_t worker_timer, own_timer;
	clockid_t clock;
	pthread_t th;
	double t;

	sigaction(TCT_SIG, &sa, NULL);
	if (pthread_create(&th, NULL, tct_worker, NULL) || pthread_getcpuclockid(th, &clock) ||
	    timer_create(clock, &ev, &worker_timer) || timer_settime(worker_timer, 0, &its, NULL))
		report("thread cpu timers: the worker's (%d)", errno);
	ev.sigev_notify = SIGEV_NONE;
	if (timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &own_timer) ||
	    timer_settime(own_timer, 0, &mine, NULL))
		report("thread cpu timers: the main thread's (%d)", errno);

	while (!restored())
		usleep(10000);
	tct_go = 1;
	t = now();
	while (!tct_fired && now() - t < 20)
		usleep(10000);
	tct_go = 2;
	pthread_join(th, NULL);
	if (tct_fired != 1 || tct_value != 0x77)
		report("thread cpu timers: the worker's fired %d times, value %#x", (int)tct_fired,
		       tct_value);
	if (timer_gettime(own_timer, &mine) || mine.it_value.tv_sec < 99 ||
	    mine.it_value.tv_sec > 100)
		report("thread cpu timers: the main thread's has %ld s left", (long)mine.it_value.tv_sec);
	report("thread cpu timers ok");
}

/*
 * File locks come back held: a flock() on one file, POSIX write and read
 * locks on ranges of another, an OFD lock on a third; another process
 * sees each held, by the restored process.
 */
static int lk_fd[3];

static bool lk_held(const char *path, int cmd, short type, off_t start, off_t len,
		    short expect)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start,
			    .l_len = len };
	int fd = open(path, O_RDWR);
	bool ok = fd >= 0 && !fcntl(fd, cmd, &fl) && fl.l_type == expect;

	if (fd >= 0)
		close(fd);
	return ok;
}

static void scenario_locks(void)
{
	struct flock w = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 10 };
	struct flock r = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 100 };
	struct flock o = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 100 };
	int status;
	pid_t pid;

	lk_fd[0] = open("locked-flock", O_RDWR | O_CREAT, 0600);
	lk_fd[1] = open("locked-posix", O_RDWR | O_CREAT, 0600);
	lk_fd[2] = open("locked-ofd", O_RDWR | O_CREAT, 0600);
	if (lk_fd[0] < 0 || lk_fd[1] < 0 || lk_fd[2] < 0 || flock(lk_fd[0], LOCK_EX) ||
	    fcntl(lk_fd[1], F_SETLK, &w) || fcntl(lk_fd[1], F_SETLK, &r) ||
	    fcntl(lk_fd[2], F_OFD_SETLK, &o))
		report("locks: set-up (%d)", errno);
	while (!restored())
		usleep(10000);
	pid = fork();
	if (pid == 0) {
		int fd = open("locked-flock", O_RDWR);

		/* Another process: each lock is held by someone else. */
		if (fd < 0 || !flock(fd, LOCK_EX | LOCK_NB) || errno != EWOULDBLOCK)
			_exit(1);
		if (!lk_held("locked-posix", F_GETLK, F_RDLCK, 12, 1, F_WRLCK) ||
		    !lk_held("locked-posix", F_GETLK, F_WRLCK, 5000, 1, F_RDLCK) ||
		    !lk_held("locked-posix", F_GETLK, F_WRLCK, 50, 10, F_UNLCK))
			_exit(2);
		if (!lk_held("locked-ofd", F_OFD_GETLK, F_RDLCK, 99, 1, F_WRLCK) ||
		    !lk_held("locked-ofd", F_OFD_GETLK, F_RDLCK, 100, 1, F_UNLCK))
			_exit(3);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		report("locks: not held after the restore (check %#x)", status);
	report("locks ok");
}

/*
 * Leases come back: a read lease and a write lease, each with F_SETSIG,
 * and a write lease a reader's open (O_NONBLOCK) was downgrading at the
 * checkpoint, whose signal was handled before it. After the restore,
 * F_GETLEASE says each, nothing signals the downgrade again, a reader's
 * open still finds it under way; another process's open breaks the read
 * lease and the write lease, which signals each descriptor.
 */
static volatile sig_atomic_t ls_fds;	/* bit N: a lease break signaled fd N */

static void ls_handler(int sig, siginfo_t *si, void *uc)
{
	if (si->si_fd >= 0 && si->si_fd < 30)
		ls_fds |= 1 << si->si_fd;
}

/* The errno of another process's open of @path with @flags | O_NONBLOCK. */
static int ls_open(const char *path, int flags)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd = open(path, flags | O_NONBLOCK);

		_exit(fd < 0 ? errno : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static bool ls_signaled(int fd)
{
	for (int i = 0; i < 500 && !(ls_fds & (1 << fd)); i++)
		usleep(10000);
	return ls_fds & (1 << fd);
}

static void scenario_leases(void)
{
	struct sigaction sa = { .sa_sigaction = ls_handler,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	int rd, wr, dg, e;

	rd = open("leased-read", O_RDONLY | O_CREAT, 0600);
	wr = open("leased-write", O_RDWR | O_CREAT, 0600);
	dg = open("leased-downgrade", O_RDONLY | O_CREAT, 0600);
	if (rd < 0 || wr < 0 || dg < 0 || dg >= 30 || sigaction(SIGRTMIN + 3, &sa, NULL) ||
	    fcntl(rd, F_SETSIG, SIGRTMIN + 3) || fcntl(wr, F_SETSIG, SIGRTMIN + 3) ||
	    fcntl(dg, F_SETSIG, SIGRTMIN + 3) || fcntl(rd, F_SETLEASE, F_RDLCK) ||
	    fcntl(wr, F_SETLEASE, F_WRLCK) || fcntl(dg, F_SETLEASE, F_WRLCK))
		report("leases: set-up (%d)", errno);
	e = ls_open("leased-downgrade", O_RDONLY);
	if (e != EWOULDBLOCK || !ls_signaled(dg) || fcntl(dg, F_GETLEASE) != F_RDLCK)
		report("leases: no downgrade under way before (%d)", e);
	ls_fds = 0;
	while (!restored())
		usleep(10000);
	if (fcntl(rd, F_GETLEASE) != F_RDLCK || fcntl(wr, F_GETLEASE) != F_WRLCK ||
	    fcntl(dg, F_GETLEASE) != F_RDLCK)
		report("leases: F_GETLEASE %d %d %d after the restore", fcntl(rd, F_GETLEASE),
		       fcntl(wr, F_GETLEASE), fcntl(dg, F_GETLEASE));
	e = ls_open("leased-downgrade", O_RDONLY);
	if (e != EWOULDBLOCK || ls_fds)
		report("leases: downgrade not under way after (%d), signals %#x", e, ls_fds);
	e = ls_open("leased-read", O_WRONLY);
	if (e != EWOULDBLOCK || !ls_signaled(rd) || fcntl(rd, F_GETLEASE) != F_UNLCK)
		report("leases: read lease not broken by a writer (%d)", e);
	e = ls_open("leased-write", O_RDONLY);
	if (e != EWOULDBLOCK || !ls_signaled(wr) || fcntl(wr, F_GETLEASE) != F_RDLCK)
		report("leases: write lease not broken by a reader (%d)", e);
	if (fcntl(rd, F_SETLEASE, F_UNLCK) || fcntl(wr, F_SETLEASE, F_UNLCK) ||
	    fcntl(dg, F_SETLEASE, F_UNLCK) || ls_open("leased-write", O_WRONLY))
		report("leases: release (%d)", errno);
	report("leases ok");
}

/*
 * TCP over loopback, both ends in the process: a listener (non-blocking,
 * SO_REUSEADDR), a client (TCP_NODELAY, SO_KEEPALIVE, TCP_KEEPIDLE,
 * SO_RCVBUF) and the connection the listener accepted. At the checkpoint
 * the server has bytes from the client it has not read, and has written
 * more than the client's window: the client has read part of it, the
 * rest is in its receive queue and in the server's send queue. After the
 * restore every byte arrives once and in order, both ways, the options
 * and addresses are the same, and the listener accepts a new connection.
 */
static int tcp_family = AF_INET;
#define TCP_BIG		(300 * 1024)
#define TCP_READ_FIRST	1000

static unsigned char tcp_byte(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 9));
}

static socklen_t loopback(int family, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		a->sin6_port = htons(port);
		return sizeof(*a);
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;

	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = htons(port);
	return sizeof(*a);
}

static int sock_port(int s, bool peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if ((peer ? getpeername(s, (void *)&ss, &len) : getsockname(s, (void *)&ss, &len)))
		return -1;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
						((struct sockaddr_in *)&ss)->sin_port);
}

static int int_opt(int s, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(s, level, name, &v, &len) ? -1 : v;
}

/* Read exactly @len bytes from @s within @secs seconds; the count read. */
static ssize_t read_full(int s, void *buf, size_t len, int secs)
{
	struct pollfd p = { .fd = s, .events = POLLIN };
	size_t done = 0;
	double t = now();

	while (done < len && now() - t < secs) {
		ssize_t n;

		if (poll(&p, 1, 100) < 0)
			return -1;
		n = recv(s, (char *)buf + done, len - done, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			return n < 0 ? -errno : (ssize_t)done;
		if (n > 0)
			done += n;
	}
	return done;
}

static void scenario_tcp(void)
{
	static unsigned char big[TCP_BIG], got[TCP_BIG];
	int family = tcp_family, l, c, s, c2, s2, one = 1, idle = 77, rcv = 32768;
	int utimeo = 12345, lowat = 65536, qlen = 5, mss = 1000;
	int port, cport, rcvbuf_before;
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, 0, &ss);
	ssize_t sent = 0, n;
	char buf[16];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = tcp_byte(i);
	l = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	c = socket(family, SOCK_STREAM, 0);
	if (l < 0 || c < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(l, IPPROTO_TCP, TCP_FASTOPEN, &qlen, sizeof(qlen)) ||
	    setsockopt(l, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof(mss)) ||
	    bind(l, (void *)&ss, len) || listen(l, 7))
		report("tcp: listener (%d)", errno);
	port = sock_port(l, false);
	len = loopback(family, port, &ss);
	if (setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) ||
	    setsockopt(c, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)) ||
	    setsockopt(c, IPPROTO_TCP, TCP_USER_TIMEOUT, &utimeo, sizeof(utimeo)) ||
	    setsockopt(c, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &lowat, sizeof(lowat)) ||
	    connect(c, (void *)&ss, len))
		report("tcp: client (%d)", errno);
	usleep(10000);
	s = accept(l, NULL, NULL);
	if (s < 0 || write(c, "from-client", 11) != 11)
		report("tcp: accept (%d)", errno);
	while (sent < TCP_BIG) {
		n = send(s, big + sent, TCP_BIG - sent, MSG_DONTWAIT);
		if (n <= 0)
			break;
		sent += n;
	}
	if (sent < TCP_READ_FIRST || read_full(c, got, TCP_READ_FIRST, 5) != TCP_READ_FIRST)
		report("tcp: first bytes (%zd sent)", sent);
	rcvbuf_before = int_opt(c, SOL_SOCKET, SO_RCVBUF);
	cport = sock_port(c, false);

	while (!restored())
		usleep(10000);
	if (sock_port(l, false) != port || sock_port(s, false) != port ||
	    sock_port(c, true) != port || sock_port(c, false) != cport ||
	    sock_port(s, true) != cport)
		report("tcp: ports %d %d %d %d %d, not %d and %d", sock_port(l, false),
		       sock_port(s, false), sock_port(c, true), sock_port(c, false),
		       sock_port(s, true), port, cport);
	if (!(fcntl(l, F_GETFL) & O_NONBLOCK) || int_opt(l, SOL_SOCKET, SO_REUSEADDR) != 1 ||
	    int_opt(l, SOL_SOCKET, SO_ACCEPTCONN) != 1 ||
	    int_opt(l, IPPROTO_TCP, TCP_FASTOPEN) != qlen || int_opt(l, IPPROTO_TCP, TCP_MAXSEG) != mss)
		report("tcp: listener flags or options: fastopen %d maxseg %d",
		       int_opt(l, IPPROTO_TCP, TCP_FASTOPEN), int_opt(l, IPPROTO_TCP, TCP_MAXSEG));
	if (int_opt(c, IPPROTO_TCP, TCP_USER_TIMEOUT) != utimeo ||
	    int_opt(c, IPPROTO_TCP, TCP_NOTSENT_LOWAT) != lowat)
		report("tcp: user timeout %d, notsent lowat %d",
		       int_opt(c, IPPROTO_TCP, TCP_USER_TIMEOUT),
		       int_opt(c, IPPROTO_TCP, TCP_NOTSENT_LOWAT));
	if (int_opt(c, IPPROTO_TCP, TCP_NODELAY) != 1 ||
	    int_opt(c, SOL_SOCKET, SO_KEEPALIVE) != 1 ||
	    int_opt(c, IPPROTO_TCP, TCP_KEEPIDLE) != idle ||
	    int_opt(c, SOL_SOCKET, SO_RCVBUF) != rcvbuf_before)
		report("tcp: client options: nodelay %d keepalive %d idle %d rcvbuf %d (was %d)",
		       int_opt(c, IPPROTO_TCP, TCP_NODELAY), int_opt(c, SOL_SOCKET, SO_KEEPALIVE),
		       int_opt(c, IPPROTO_TCP, TCP_KEEPIDLE), int_opt(c, SOL_SOCKET, SO_RCVBUF),
		       rcvbuf_before);
	memset(buf, 0, sizeof(buf));
	n = read_full(s, buf, 11, 10);
	if (n != 11 || memcmp(buf, "from-client", 11))
		report("tcp: server read %zd bytes '%.11s'", n, buf);
	n = read_full(c, got + TCP_READ_FIRST, sent - TCP_READ_FIRST, 20);
	if (n != sent - TCP_READ_FIRST)
		report("tcp: client read %zd of %zd bytes", n, sent - TCP_READ_FIRST);
	for (ssize_t i = 0; i < sent; i++)
		if (got[i] != big[i])
			report("tcp: byte %zd of %zd differs", i, sent);
	if (write(c, "again", 5) != 5 || read_full(s, buf, 5, 5) != 5 || memcmp(buf, "again", 5) ||
	    write(s, "back", 4) != 4 || read_full(c, buf, 4, 5) != 4 || memcmp(buf, "back", 4))
		report("tcp: no exchange after the restore (%d)", errno);
	n = read_full(c, buf, 1, 0);
	if (n != 0)
		report("tcp: %zd more bytes than were sent", n);
	c2 = socket(family, SOCK_STREAM, 0);
	if (c2 < 0 || connect(c2, (void *)&ss, len))
		report("tcp: cannot connect to the listener again (%d)", errno);
	usleep(10000);
	s2 = accept(l, NULL, NULL);
	if (s2 < 0 || write(c2, "x", 1) != 1 || read_full(s2, buf, 1, 5) != 1 || buf[0] != 'x')
		report("tcp: new connection (%d)", errno);
	report("tcp ok");
}

/*
 * UDP: a socket bound to a loopback port (SO_BROADCAST, SO_RCVBUF), one
 * bound and connected to it (IP_TOS/IPV6_TCLASS, IP_TTL/IPV6_UNICAST_HOPS,
 * SO_RCVTIMEO), one neither. After the restore: the same ports and peer,
 * the options, datagrams both ways with the right source.
 */
static void scenario_udp(void)
{
	int family = tcp_family, v6 = family == AF_INET6, a, b, u, one = 1, tos = 0x28;
	int ttl = 33, rcv = 20000, pa, pb, rcv_before, mark = 7, pmtu = IP_PMTUDISC_DO;
	struct timeval tv = { .tv_sec = 7, .tv_usec = 250000 }, tv2;
	socklen_t len, tl = sizeof(tv2);
	struct sockaddr_storage ss, from;
	char buf[16];
	ssize_t n;

	a = socket(family, SOCK_DGRAM, 0);
	b = socket(family, SOCK_DGRAM, 0);
	u = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	len = loopback(family, 0, &ss);
	if (a < 0 || b < 0 || u < 0 || bind(a, (void *)&ss, len) || bind(b, (void *)&ss, len) ||
	    setsockopt(a, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) ||
	    setsockopt(a, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)) ||
	    setsockopt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_TCLASS : IP_TOS, &tos,
		       sizeof(tos)) ||
	    setsockopt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL, &ttl,
		       sizeof(ttl)) ||
	    setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(b, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) ||
	    setsockopt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER,
		       &pmtu, sizeof(pmtu)) ||
	    setsockopt(a, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) ||
	    setsockopt(a, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)))
		report("udp: set-up (%d)", errno);
	pa = sock_port(a, false);
	pb = sock_port(b, false);
	loopback(family, pa, &ss);
	if (connect(b, (void *)&ss, len))
		report("udp: connect (%d)", errno);
	rcv_before = int_opt(a, SOL_SOCKET, SO_RCVBUF);
	/* As the kernel keeps it: in jiffies. */
	if (getsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, &tl))
		report("udp: SO_RCVTIMEO (%d)", errno);
	/* Two datagrams queued on a, not read before the checkpoint. */
	if (send(b, "q1", 2, 0) != 2 || send(b, "q22", 3, 0) != 3)
		report("udp: queue (%d)", errno);

	while (!restored())
		usleep(10000);
	for (int i = 0; i < 2; i++) {
		char cbuf[256], data[8] = "";
		struct iovec iov = { data, sizeof(data) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		int got_ttl = -1, ifindex = -1;
		struct cmsghdr *c;

		n = recvmsg(a, &mh, MSG_DONTWAIT);
		if (n != 2 + i || memcmp(data, i ? "q22" : "q1", n) ||
		    ntohs(((struct sockaddr_in *)&from)->sin_port) != pb)
			report("udp: queued datagram %d: %zd '%s' (%d)", i, n, data, errno);
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
				got_ttl = *(int *)CMSG_DATA(c);
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo *pi = (void *)CMSG_DATA(c);

				if (pi->ipi_addr.s_addr == htonl(INADDR_LOOPBACK))
					ifindex = pi->ipi_ifindex;
			}
		}
		/* The sender's TTL, and lo (1) as the interface it came in on. */
		if (!v6 && (got_ttl != ttl || ifindex != 1))
			report("udp: queued datagram %d: ttl %d, interface %d", i, got_ttl, ifindex);
	}
	if (sock_port(a, false) != pa || sock_port(b, false) != pb || sock_port(b, true) != pa ||
	    sock_port(a, true) != -1 || sock_port(u, false) != 0)
		report("udp: ports %d %d %d, not %d %d %d", sock_port(a, false),
		       sock_port(b, false), sock_port(b, true), pa, pb, pa);
	if (getsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv2, &tl))
		report("udp: SO_RCVTIMEO (%d)", errno);
	if (int_opt(a, SOL_SOCKET, SO_BROADCAST) != 1 ||
	    int_opt(a, SOL_SOCKET, SO_RCVBUF) != rcv_before ||
	    int_opt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_TCLASS : IP_TOS) != tos ||
	    int_opt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL) != ttl ||
	    tv2.tv_sec != tv.tv_sec || tv2.tv_usec != tv.tv_usec ||
	    !(fcntl(u, F_GETFD) & FD_CLOEXEC))
		report("udp: options: broadcast %d rcvbuf %d/%d tos %d ttl %d timeout %ld.%06ld/%ld.%06ld cloexec %d",
		       int_opt(a, SOL_SOCKET, SO_BROADCAST), int_opt(a, SOL_SOCKET, SO_RCVBUF),
		       rcv_before,
		       int_opt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_TCLASS : IP_TOS),
		       int_opt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL),
		       (long)tv2.tv_sec, (long)tv2.tv_usec, (long)tv.tv_sec, (long)tv.tv_usec,
		       fcntl(u, F_GETFD));
	if (int_opt(b, SOL_SOCKET, SO_MARK) != mark ||
	    int_opt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER) != pmtu ||
	    int_opt(a, IPPROTO_IP, IP_PKTINFO) != 1 || int_opt(a, IPPROTO_IP, IP_RECVTTL) != 1)
		report("udp: mark %d, mtu discover %d, pktinfo %d, recvttl %d",
		       int_opt(b, SOL_SOCKET, SO_MARK),
		       int_opt(b, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
			       v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER),
		       int_opt(a, IPPROTO_IP, IP_PKTINFO), int_opt(a, IPPROTO_IP, IP_RECVTTL));
	if (send(b, "ping", 4, 0) != 4)
		report("udp: send (%d)", errno);
	len = sizeof(from);
	memset(buf, 0, sizeof(buf));
	n = recvfrom(a, buf, sizeof(buf), 0, (void *)&from, &len);
	if (n != 4 || memcmp(buf, "ping", 4) ||
	    ntohs(((struct sockaddr_in *)&from)->sin_port) != pb)
		report("udp: received %zd '%s'", n, buf);
	if (sendto(a, "pong", 4, 0, (void *)&from, len) != 4 || recv(b, buf, sizeof(buf), 0) != 4 ||
	    memcmp(buf, "pong", 4))
		report("udp: reply (%d)", errno);
	report("udp ok");
}

#ifndef SOL_UDPLITE
#define SOL_UDPLITE		136
#endif
#ifndef UDPLITE_SEND_CSCOV
#define UDPLITE_SEND_CSCOV	10
#define UDPLITE_RECV_CSCOV	11
#endif

/* What poll() says of @s at once: POLLHUP, POLLRDHUP... */
static int poll_now(int s)
{
	struct pollfd p = { .fd = s, .events = POLLIN | POLLOUT | POLLRDHUP };

	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

/*
 * UDP shut down, and UDP-Lite: two UDP sockets connected to each other,
 * one shut down for writing, the other for reading; a UDP-Lite one
 * bound with a receive coverage, another connected to it with a send
 * coverage and a datagram queued, a third unconnected and shut down
 * both ways (shutdown() says ENOTCONN, and still shuts it). After the
 * restore: the coverages; the queued datagram, then a new one, with
 * their sender; sending on the first UDP socket fails (EPIPE), the other
 * reads an end of file at once and sends to it; poll() says the same of
 * each as before.
 */
static void scenario_udp_shutdown_and_udplite(void)
{
	int u1, u2, l1, l2, l3, cov, rcov = 10, scov = 12, ev1, ev2, ev3;
	struct timeval tv = { .tv_sec = 3 };
	struct sockaddr_storage ss, from;
	socklen_t len, flen;
	char buf[16] = "";
	ssize_t n;

	u1 = socket(AF_INET, SOCK_DGRAM, 0);
	u2 = socket(AF_INET, SOCK_DGRAM, 0);
	l1 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	l2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	l3 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	len = loopback(AF_INET, 0, &ss);
	if (u1 < 0 || u2 < 0 || l1 < 0 || l2 < 0 || l3 < 0 ||
	    bind(u1, (void *)&ss, len) || bind(u2, (void *)&ss, len) ||
	    bind(l1, (void *)&ss, len) || bind(l2, (void *)&ss, len) ||
	    setsockopt(l1, SOL_UDPLITE, UDPLITE_RECV_CSCOV, &rcov, sizeof(rcov)) ||
	    setsockopt(l2, SOL_UDPLITE, UDPLITE_SEND_CSCOV, &scov, sizeof(scov)) ||
	    setsockopt(u2, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		report("udp shutdown: set-up (%d)", errno);
	loopback(AF_INET, sock_port(u2, false), &ss);
	if (connect(u1, (void *)&ss, len))
		report("udp shutdown: connect (%d)", errno);
	loopback(AF_INET, sock_port(u1, false), &ss);
	if (connect(u2, (void *)&ss, len))
		report("udp shutdown: connect (%d)", errno);
	loopback(AF_INET, sock_port(l1, false), &ss);
	if (connect(l2, (void *)&ss, len) || shutdown(u1, SHUT_WR) || shutdown(u2, SHUT_RD) ||
	    !shutdown(l3, SHUT_RDWR) || errno != ENOTCONN)
		report("udp shutdown: connect, shutdown (%d)", errno);
	if (send(l2, "lite1", 5, 0) != 5)
		report("udp shutdown: udplite send (%d)", errno);
	ev1 = poll_now(u1);
	ev2 = poll_now(u2);
	ev3 = poll_now(l3);

	while (!restored())
		usleep(10000);
	len = sizeof(cov);
	if (getsockopt(l1, SOL_UDPLITE, UDPLITE_RECV_CSCOV, &cov, &len) || cov != rcov ||
	    getsockopt(l2, SOL_UDPLITE, UDPLITE_SEND_CSCOV, &cov, &len) || cov != scov ||
	    getsockopt(l1, SOL_UDPLITE, UDPLITE_SEND_CSCOV, &cov, &len) || cov != 0)
		report("udp shutdown: udplite coverage %d (%d)", cov, errno);
	for (int i = 0; i < 2; i++) {
		flen = sizeof(from);
		memset(buf, 0, sizeof(buf));
		n = recvfrom(l1, buf, sizeof(buf), MSG_DONTWAIT, (void *)&from, &flen);
		if (n != 5 || memcmp(buf, i ? "lite2" : "lite1", 5) ||
		    ntohs(((struct sockaddr_in *)&from)->sin_port) != sock_port(l2, false))
			report("udp shutdown: udplite datagram %d: %zd '%s' (%d)", i, n, buf, errno);
		if (!i && send(l2, "lite2", 5, 0) != 5)
			report("udp shutdown: udplite send after (%d)", errno);
		usleep(10000);
	}
	if (poll_now(u1) != ev1 || poll_now(u2) != ev2 || poll_now(l3) != ev3 ||
	    !(ev3 & POLLHUP) || !(ev2 & POLLRDHUP) || (ev1 & POLLRDHUP))
		report("udp shutdown: poll %#x %#x %#x, before %#x %#x %#x", poll_now(u1),
		       poll_now(u2), poll_now(l3), ev1, ev2, ev3);
	signal(SIGPIPE, SIG_IGN);
	if (send(u1, "x", 1, 0) != -1 || errno != EPIPE)
		report("udp shutdown: sending on a socket shut down for writing (%d)", errno);
	/* Shut down for reading: an end of file at once, not the 3 s timeout. */
	if (recv(u2, buf, sizeof(buf), 0) != 0)
		report("udp shutdown: reading a socket shut down for reading (%d)", errno);
	if (send(u2, "y", 1, 0) != 1 || recv(u1, buf, 1, 0) != 1 || buf[0] != 'y')
		report("udp shutdown: u2 to u1 (%d)", errno);
	report("udp shutdown ok");
}

/* The next packet on @s carrying @payload, or -1; its address and PACKET_AUXDATA. */
static ssize_t packet_find(int s, const char *payload, void *addr, socklen_t *alen,
			   struct tpacket_auxdata *aux)
{
	char buf[2048], cbuf[256];

	for (int i = 0; i < 256; i++) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = {
			.msg_name = addr, .msg_namelen = *alen, .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		ssize_t n = recvmsg(s, &mh, MSG_DONTWAIT);

		if (n < 0)
			return -1;
		if (!memmem(buf, n, payload, strlen(payload)))
			continue;
		*alen = mh.msg_namelen;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); aux && c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA)
				memcpy(aux, CMSG_DATA(c), sizeof(*aux));
		return n;
	}
	return -1;
}

/* The flags of lo (IFF_*) as the kernel keeps them: IFF_PROMISC while a membership asks. */
static int lo_flags(void)
{
	FILE *f = fopen("/sys/class/net/lo/flags", "r");
	int flags = -1;

	if (f && fscanf(f, "%i", &flags) != 1)
		flags = -1;
	if (f)
		fclose(f);
	return flags;
}

/*
 * Packet sockets: a raw one with TPACKET_V2, PACKET_AUXDATA, a receive
 * ring (not mapped) and lo in promiscuous mode; one of IPv4 datagrams
 * bound to lo with PACKET_RESERVE, PACKET_ORIGDEV, a unicast membership,
 * a send ring, a fanout group, SO_RCVBUF, PACKET_AUXDATA, and a UDP
 * datagram over lo queued on it; the old SOCK_PACKET kind, one bound to
 * lo (with the datagram queued too), one not. After the restore: their
 * names, options, memberships (lo promiscuous until both are dropped),
 * rings (a second one: EBUSY; mmap() of their size), fanout group, the
 * queued packet with its address and auxiliary data, the statistics
 * that counted it, and a new packet.
 */
static void scenario_packet(void)
{
	struct packet_mreq mp = { .mr_ifindex = 1, .mr_type = PACKET_MR_PROMISC };
	struct packet_mreq mu = { .mr_ifindex = 1, .mr_type = PACKET_MR_UNICAST, .mr_alen = 6 };
	struct tpacket_req ring = { 4096, 1, 1024, 4 };
	int raw, dg, spkt, spkt2, u, v2 = TPACKET_V2, one = 1, rsv = 8, fan = 13, rcv = 30000;
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = 1 };
	struct sockaddr sa = { .sa_family = AF_PACKET };
	struct tpacket_auxdata aux = {};
	struct sockaddr_storage ss;
	struct tpacket_stats st;
	socklen_t len;
	int rcv_before, promisc;
	ssize_t n;
	void *m;

	raw = socket(AF_PACKET, SOCK_RAW, 0);
	dg = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	spkt = socket(AF_PACKET, SOCK_PACKET, htons(ETH_P_ALL));
	spkt2 = socket(AF_PACKET, SOCK_PACKET, htons(ETH_P_ALL));
	u = socket(AF_INET, SOCK_DGRAM, 0);
	strcpy(sa.sa_data, "lo");
	if (raw < 0 || dg < 0 || spkt < 0 || spkt2 < 0 || u < 0 ||
	    setsockopt(raw, SOL_PACKET, PACKET_VERSION, &v2, sizeof(v2)) ||
	    setsockopt(raw, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) ||
	    setsockopt(raw, SOL_PACKET, PACKET_RX_RING, &ring, sizeof(ring)) ||
	    setsockopt(raw, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mp, sizeof(mp)) ||
	    bind(dg, (void *)&ll, sizeof(ll)) ||
	    setsockopt(dg, SOL_PACKET, PACKET_RESERVE, &rsv, sizeof(rsv)) ||
	    setsockopt(dg, SOL_PACKET, PACKET_ORIGDEV, &one, sizeof(one)) ||
	    setsockopt(dg, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) ||
	    setsockopt(dg, SOL_PACKET, PACKET_FANOUT, &fan, sizeof(fan)) ||
	    setsockopt(dg, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mu, sizeof(mu)) ||
	    setsockopt(dg, SOL_PACKET, PACKET_TX_RING, &ring, sizeof(ring)) ||
	    setsockopt(dg, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)) ||
	    bind(spkt, &sa, sizeof(sa)))
		report("packet: set-up (%d)", errno);
	rcv_before = int_opt(dg, SOL_SOCKET, SO_RCVBUF);
	/* A datagram over lo: on dg and spkt (twice: out and in), not read. */
	len = loopback(AF_INET, 9, &ss);
	if (sendto(u, "cr-packet-before", 16, 0, (void *)&ss, len) != 16)
		report("packet: send (%d)", errno);
	usleep(20000);

	while (!restored())
		usleep(10000);
	len = sizeof(ll);
	if (getsockname(raw, (void *)&ll, &len) || ll.sll_ifindex || ll.sll_protocol ||
	    int_opt(raw, SOL_PACKET, PACKET_VERSION) != TPACKET_V2 ||
	    int_opt(raw, SOL_PACKET, PACKET_AUXDATA) != 1)
		report("packet: raw socket: index %d protocol %#x version %d auxdata %d",
		       ll.sll_ifindex, ntohs(ll.sll_protocol),
		       int_opt(raw, SOL_PACKET, PACKET_VERSION),
		       int_opt(raw, SOL_PACKET, PACKET_AUXDATA));
	len = sizeof(ll);
	if (getsockname(dg, (void *)&ll, &len) || ll.sll_ifindex != 1 ||
	    ll.sll_protocol != htons(ETH_P_IP) || int_opt(dg, SOL_PACKET, PACKET_RESERVE) != rsv ||
	    int_opt(dg, SOL_PACKET, PACKET_ORIGDEV) != 1 ||
	    int_opt(dg, SOL_PACKET, PACKET_FANOUT) != fan ||
	    int_opt(dg, SOL_SOCKET, SO_RCVBUF) != rcv_before)
		report("packet: dgram socket: index %d protocol %#x reserve %d origdev %d fanout %#x rcvbuf %d/%d",
		       ll.sll_ifindex, ntohs(ll.sll_protocol), int_opt(dg, SOL_PACKET, PACKET_RESERVE),
		       int_opt(dg, SOL_PACKET, PACKET_ORIGDEV), int_opt(dg, SOL_PACKET, PACKET_FANOUT),
		       int_opt(dg, SOL_SOCKET, SO_RCVBUF), rcv_before);
	/*
	 * lo is promiscuous while a membership asks (a unicast address too,
	 * lo filtering none): still so without the unicast one, not any
	 * more without the promiscuous one. (A drop always succeeds.)
	 */
	if (setsockopt(dg, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mu, sizeof(mu)))
		report("packet: unicast membership (%d)", errno);
	promisc = lo_flags() & IFF_PROMISC;
	if (!promisc || setsockopt(raw, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mp, sizeof(mp)) ||
	    (lo_flags() & IFF_PROMISC))
		report("packet: memberships: lo promiscuous %#x, then %#x (%d)", promisc,
		       lo_flags() & IFF_PROMISC, errno);
	if (!setsockopt(raw, SOL_PACKET, PACKET_RX_RING, &ring, sizeof(ring)) || errno != EBUSY ||
	    !setsockopt(dg, SOL_PACKET, PACKET_TX_RING, &ring, sizeof(ring)) || errno != EBUSY)
		report("packet: rings not made again (%d)", errno);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, raw, 0);
	if (m == MAP_FAILED)
		report("packet: the receive ring cannot be mapped (%d)", errno);
	munmap(m, 4096);
	/* The datagram queued before, as it came in on lo. */
	len = sizeof(ll);
	n = packet_find(dg, "cr-packet-before", &ll, &len, &aux);
	if (n != 20 + 8 + 16 || ((unsigned char *)&ll)[0] != AF_PACKET || ll.sll_ifindex != 1 ||
	    ll.sll_pkttype != PACKET_HOST || ll.sll_protocol != htons(ETH_P_IP) ||
	    aux.tp_len != n || aux.tp_snaplen != n || aux.tp_net != 0 ||
	    !(aux.tp_status & TP_STATUS_USER))
		report("packet: queued datagram: %zd bytes, index %d type %d protocol %#x, aux len %u snap %u net %u status %#x",
		       n, ll.sll_ifindex, ll.sll_pkttype, ntohs(ll.sll_protocol), aux.tp_len,
		       aux.tp_snaplen, aux.tp_net, aux.tp_status);
	len = sizeof(ss);
	n = packet_find(spkt, "cr-packet-before", &ss, &len, NULL);
	if (n != 14 + 20 + 8 + 16 || len != sizeof(struct sockaddr_pkt) ||
	    strcmp((char *)((struct sockaddr_pkt *)&ss)->spkt_device, "lo"))
		report("packet: SOCK_PACKET queued frame: %zd bytes, name %u '%s'", n, len,
		       (char *)((struct sockaddr_pkt *)&ss)->spkt_device);
	len = sizeof(st);
	if (getsockopt(dg, SOL_PACKET, PACKET_STATISTICS, &st, &len) || st.tp_packets < 1)
		report("packet: statistics %u packets (%d)", st.tp_packets, errno);
	len = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	if (getsockname(spkt, &sa, &len) || strcmp(sa.sa_data, "lo"))
		report("packet: SOCK_PACKET bound to '%s'", sa.sa_data);
	len = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	if (getsockname(spkt2, &sa, &len) || sa.sa_data[0])
		report("packet: SOCK_PACKET not bound, yet '%s'", sa.sa_data);
	/* New traffic. */
	len = loopback(AF_INET, 9, &ss);
	if (sendto(u, "cr-packet-after", 15, 0, (void *)&ss, len) != 15)
		report("packet: send after (%d)", errno);
	usleep(20000);
	len = sizeof(ll);
	if (packet_find(dg, "cr-packet-after", &ll, &len, NULL) != 20 + 8 + 15)
		report("packet: new datagram not received (%d)", errno);
	report("packet ok");
}

#ifndef IP_RECVERR_RFC4884
#define IP_RECVERR_RFC4884	26
#endif
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO		11
#endif

/*
 * Options of TCP and UDP sockets beyond struct cr_inet's (NT_CR_SOCK_OPTS):
 * a TCP listener with TCP_DEFER_ACCEPT, the reno congestion control (not
 * the default), TCP_INQ and TCP_THIN_LINEAR_TIMEOUTS; an unbound TCP
 * socket with IP_BIND_ADDRESS_NO_PORT; a UDP socket with SO_TIMESTAMPNS,
 * SO_PASSCRED, IP_RECVOPTS and SO_PEEK_OFF, nothing queued; one with
 * SO_TIMESTAMPING (software receive stamps); one with SO_RXQ_OVFL whose
 * tiny buffer dropped datagrams; TCP_SAVE_SYN, TCP_TX_DELAY, SO_ZEROCOPY,
 * IP_TRANSPARENT, IP_RECVERR_RFC4884, SO_TXTIME, and three IPv6 receive
 * options on an IPv6 socket. After the restore each reads back, a
 * new datagram comes with its software timestamp, and the next one on
 * the third socket reports the drops counted before the checkpoint.
 */
static void scenario_sock_opts(void)
{
	int l, t, u, u2, u3, v6, one = 1, defer = 5, tsf = SOF_TIMESTAMPING_RX_SOFTWARE |
		SOF_TIMESTAMPING_SOFTWARE, small = 1, zero = 0, drops = -1, sent = 0;
	struct sock_txtime txt = { .clockid = CLOCK_MONOTONIC,
				   .flags = SOF_TXTIME_REPORT_ERRORS };
	int delay = 100;
	char ca[16] = "", buf[64], cbuf[256];
	struct sockaddr_storage ss;
	socklen_t len, cl = sizeof(ca);

	l = socket(AF_INET, SOCK_STREAM, 0);
	t = socket(AF_INET, SOCK_STREAM, 0);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	u2 = socket(AF_INET, SOCK_DGRAM, 0);
	u3 = socket(AF_INET, SOCK_DGRAM, 0);
	v6 = socket(AF_INET6, SOCK_DGRAM, 0);
	len = loopback(AF_INET, 0, &ss);
	if (l < 0 || t < 0 || u < 0 || u2 < 0 || u3 < 0 ||
	    bind(l, (void *)&ss, len) || listen(l, 4) ||
	    setsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer)) ||
	    setsockopt(l, IPPROTO_TCP, TCP_CONGESTION, "reno", 4) ||
	    setsockopt(l, IPPROTO_TCP, TCP_INQ, &one, sizeof(one)) ||
	    setsockopt(l, IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS, &one, sizeof(one)) ||
	    setsockopt(t, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)) ||
	    bind(u, (void *)&ss, len) ||
	    setsockopt(u, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) ||
	    setsockopt(u, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    setsockopt(u, IPPROTO_IP, IP_RECVOPTS, &one, sizeof(one)) ||
	    setsockopt(u, SOL_SOCKET, SO_PEEK_OFF, &zero, sizeof(zero)) ||
	    bind(u2, (void *)&ss, len) ||
	    setsockopt(u2, SOL_SOCKET, SO_TIMESTAMPING, &tsf, sizeof(tsf)) ||
	    bind(u3, (void *)&ss, len) ||
	    setsockopt(u3, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)) ||
	    setsockopt(u3, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) ||
	    setsockopt(l, IPPROTO_TCP, TCP_SAVE_SYN, &one, sizeof(one)) ||
	    setsockopt(l, IPPROTO_TCP, TCP_TX_DELAY, &delay, sizeof(delay)) ||
	    setsockopt(l, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)) ||
	    setsockopt(t, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one)) ||
	    setsockopt(u, IPPROTO_IP, IP_RECVERR_RFC4884, &one, sizeof(one)) ||
	    setsockopt(u, SOL_SOCKET, SO_TXTIME, &txt, sizeof(txt)))
		report("sock opts: set-up (%d)", errno);
	/* An IPv6 socket's receive options, when the kernel has IPv6. */
	if (v6 >= 0 &&
	    (setsockopt(v6, IPPROTO_IPV6, IPV6_RECVHOPOPTS, &one, sizeof(one)) ||
	     setsockopt(v6, IPPROTO_IPV6, IPV6_RECVPATHMTU, &one, sizeof(one)) ||
	     setsockopt(v6, IPPROTO_IPV6, IPV6_FLOWINFO, &one, sizeof(one))))
		report("sock opts: ipv6 set-up (%d)", errno);
	/* Datagrams past u3's buffer: dropped, and counted. */
	loopback(AF_INET, sock_port(u3, false), &ss);
	for (int i = 0; i < 32; i++)
		sent += sendto(u2, "drop me, please", 15, 0, (void *)&ss, len) == 15;
	usleep(20000);
	while (recv(u3, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	if (sent < 32)
		report("sock opts: sent %d of 32", sent);

	while (!restored())
		usleep(10000);
	if (getsockopt(l, IPPROTO_TCP, TCP_CONGESTION, ca, &cl) || strcmp(ca, "reno") ||
	    int_opt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT) < defer ||
	    int_opt(l, IPPROTO_TCP, TCP_INQ) != 1 ||
	    int_opt(l, IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS) != 1 ||
	    int_opt(t, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT) != 1)
		report("sock opts: tcp: congestion '%s' defer %d inq %d thin %d no-port %d", ca,
		       int_opt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT), int_opt(l, IPPROTO_TCP, TCP_INQ),
		       int_opt(l, IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS),
		       int_opt(t, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT));
	if (int_opt(l, IPPROTO_TCP, TCP_SAVE_SYN) != 1 || int_opt(l, IPPROTO_TCP, TCP_TX_DELAY) != delay ||
	    int_opt(l, SOL_SOCKET, SO_ZEROCOPY) != 1 || int_opt(t, IPPROTO_IP, IP_TRANSPARENT) != 1 ||
	    int_opt(u, IPPROTO_IP, IP_RECVERR_RFC4884) != 1)
		report("sock opts: save_syn %d tx_delay %d zerocopy %d transparent %d rfc4884 %d",
		       int_opt(l, IPPROTO_TCP, TCP_SAVE_SYN), int_opt(l, IPPROTO_TCP, TCP_TX_DELAY),
		       int_opt(l, SOL_SOCKET, SO_ZEROCOPY), int_opt(t, IPPROTO_IP, IP_TRANSPARENT),
		       int_opt(u, IPPROTO_IP, IP_RECVERR_RFC4884));
	{
		struct sock_txtime got = {};
		socklen_t gl = sizeof(got);

		if (getsockopt(u, SOL_SOCKET, SO_TXTIME, &got, &gl) ||
		    got.clockid != CLOCK_MONOTONIC || got.flags != SOF_TXTIME_REPORT_ERRORS)
			report("sock opts: SO_TXTIME clock %d flags %#x", got.clockid, got.flags);
	}
	if (v6 >= 0 && (int_opt(v6, IPPROTO_IPV6, IPV6_RECVHOPOPTS) != 1 ||
			int_opt(v6, IPPROTO_IPV6, IPV6_RECVPATHMTU) != 1 ||
			int_opt(v6, IPPROTO_IPV6, IPV6_FLOWINFO) != 1))
		report("sock opts: ipv6 hopopts %d pathmtu %d flowinfo %d",
		       int_opt(v6, IPPROTO_IPV6, IPV6_RECVHOPOPTS),
		       int_opt(v6, IPPROTO_IPV6, IPV6_RECVPATHMTU),
		       int_opt(v6, IPPROTO_IPV6, IPV6_FLOWINFO));
	if (int_opt(u, SOL_SOCKET, SO_TIMESTAMPNS) != 1 || int_opt(u, SOL_SOCKET, SO_PASSCRED) != 1 ||
	    int_opt(u, IPPROTO_IP, IP_RECVOPTS) != 1 || int_opt(u, SOL_SOCKET, SO_PEEK_OFF) != 0 ||
	    int_opt(u2, SOL_SOCKET, SO_TIMESTAMPING) != tsf ||
	    int_opt(u3, SOL_SOCKET, SO_RXQ_OVFL) != 1)
		report("sock opts: udp: timestampns %d passcred %d recvopts %d peek_off %d timestamping %#x rxq_ovfl %d",
		       int_opt(u, SOL_SOCKET, SO_TIMESTAMPNS), int_opt(u, SOL_SOCKET, SO_PASSCRED),
		       int_opt(u, IPPROTO_IP, IP_RECVOPTS), int_opt(u, SOL_SOCKET, SO_PEEK_OFF),
		       int_opt(u2, SOL_SOCKET, SO_TIMESTAMPING), int_opt(u3, SOL_SOCKET, SO_RXQ_OVFL));
	/* A new datagram on u: its SO_TIMESTAMPNS message. */
	loopback(AF_INET, sock_port(u, false), &ss);
	if (sendto(u2, "ts", 2, 0, (void *)&ss, len) != 2)
		report("sock opts: send (%d)", errno);
	for (int k = 0; k < 2; k++) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		bool stamped = false;

		if (k)
			loopback(AF_INET, sock_port(u3, false), &ss);
		if (k && sendto(u2, "ovfl", 4, 0, (void *)&ss, len) != 4)
			report("sock opts: send (%d)", errno);
		usleep(10000);
		if (recvmsg(k ? u3 : u, &mh, MSG_DONTWAIT) < 0)
			report("sock opts: no datagram on %s (%d)", k ? "u3" : "u", errno);
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS)
				stamped = true;
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
				memcpy(&drops, CMSG_DATA(c), sizeof(drops));
		}
		if (!k && !stamped)
			report("sock opts: no SO_TIMESTAMPNS message");
	}
	/* 32 sent to a 1-byte buffer: all but the first few dropped. */
	if (drops < 16)
		report("sock opts: SO_RXQ_OVFL says %d dropped", drops);
	report("sock opts ok");
}

/*
 * Multicast sending options of UDP sockets (TTL or hops, no loop, the
 * interface: lo), their memberships (239.1.2.3 and ff02::1:3 on lo) and
 * the IPv6 receive options, when IPv6 has a loopback address. After the
 * restore each reads back, each group is left once (a second time:
 * EADDRNOTAVAIL, not a member); a datagram to the IPv6 socket comes with
 * its IPV6_PKTINFO (lo), IPV6_HOPLIMIT and IPV6_TCLASS.
 */
static void scenario_udp_mcast(void)
{
	struct ip_mreqn mr = { .imr_ifindex = 1 };
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET6, 0, &ss);
	int m4 = socket(AF_INET, SOCK_DGRAM, 0), m6 = socket(AF_INET6, SOCK_DGRAM, 0);
	int ttl = 5, hops = 7, zero = 0, one = 1, lo = 1, i, got[4] = { 0 };
	static const int rx6[] = { IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS,
				   IPV6_RECVORIGDSTADDR, IPV6_RECVERR };
	struct in_addr ifaddr = { 0 };
	socklen_t alen = sizeof(ifaddr);
	struct ip_mreqn grp = { .imr_ifindex = 1 };
	struct ipv6_mreq grp6 = { .ipv6mr_interface = 1 };
	bool v6;

	grp.imr_multiaddr.s_addr = htonl(0xef010203);
	inet_pton(AF_INET6, "ff02::1:3", &grp6.ipv6mr_multiaddr);
	mr.imr_address.s_addr = htonl(INADDR_LOOPBACK);
	if (m4 < 0 || setsockopt(m4, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(m4, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) ||
	    setsockopt(m4, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) ||
	    setsockopt(m4, IPPROTO_IP, IP_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		report("udp mcast: IPv4 set-up (%d)", errno);
	v6 = m6 >= 0 && !bind(m6, (void *)&ss, len);
	if (v6 && (setsockopt(m6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) ||
		   setsockopt(m6, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) ||
		   setsockopt(m6, IPPROTO_IPV6, IPV6_MULTICAST_IF, &lo, sizeof(lo)) ||
		   setsockopt(m6, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &grp6, sizeof(grp6))))
		report("udp mcast: IPv6 set-up (%d)", errno);
	for (i = 0; v6 && i < 5; i++)
		if (setsockopt(m6, IPPROTO_IPV6, rx6[i], &one, sizeof(one)))
			report("udp mcast: IPv6 receive option %d (%d)", rx6[i], errno);

	while (!restored())
		usleep(10000);
	if (int_opt(m4, IPPROTO_IP, IP_MULTICAST_TTL) != ttl ||
	    int_opt(m4, IPPROTO_IP, IP_MULTICAST_LOOP) != 0 ||
	    getsockopt(m4, IPPROTO_IP, IP_MULTICAST_IF, &ifaddr, &alen) ||
	    ifaddr.s_addr != htonl(INADDR_LOOPBACK))
		report("udp mcast: IPv4 ttl %d loop %d if %#x", int_opt(m4, IPPROTO_IP, IP_MULTICAST_TTL),
		       int_opt(m4, IPPROTO_IP, IP_MULTICAST_LOOP), ntohl(ifaddr.s_addr));
	if (setsockopt(m4, IPPROTO_IP, IP_DROP_MEMBERSHIP, &grp, sizeof(grp)) ||
	    !setsockopt(m4, IPPROTO_IP, IP_DROP_MEMBERSHIP, &grp, sizeof(grp)) ||
	    errno != EADDRNOTAVAIL)
		report("udp mcast: IPv4 membership (%d)", errno);
	if (!v6)
		report("udp mcast ok");
	if (int_opt(m6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS) != hops ||
	    int_opt(m6, IPPROTO_IPV6, IPV6_MULTICAST_LOOP) != 0 ||
	    int_opt(m6, IPPROTO_IPV6, IPV6_MULTICAST_IF) != lo)
		report("udp mcast: IPv6 hops %d loop %d if %d",
		       int_opt(m6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS),
		       int_opt(m6, IPPROTO_IPV6, IPV6_MULTICAST_LOOP),
		       int_opt(m6, IPPROTO_IPV6, IPV6_MULTICAST_IF));
	if (setsockopt(m6, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, &grp6, sizeof(grp6)) ||
	    !setsockopt(m6, IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, &grp6, sizeof(grp6)) ||
	    errno != EADDRNOTAVAIL)
		report("udp mcast: IPv6 membership (%d)", errno);
	for (i = 0; i < 5; i++)
		if (int_opt(m6, IPPROTO_IPV6, rx6[i]) != 1)
			report("udp mcast: IPv6 receive option %d is %d", rx6[i],
			       int_opt(m6, IPPROTO_IPV6, rx6[i]));
	{
		int s = socket(AF_INET6, SOCK_DGRAM, 0), tc = 0x20;
		char cbuf[256], data[8] = "";
		struct iovec iov = { data, sizeof(data) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c;

		len = sizeof(ss);
		if (s < 0 || getsockname(m6, (void *)&ss, &len) ||
		    setsockopt(s, IPPROTO_IPV6, IPV6_TCLASS, &tc, sizeof(tc)) ||
		    sendto(s, "v6", 2, 0, (void *)&ss, len) != 2 || recvmsg(m6, &mh, 0) != 2)
			report("udp mcast: a datagram after the restore (%d)", errno);
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level != IPPROTO_IPV6)
				continue;
			if (c->cmsg_type == IPV6_PKTINFO)
				got[0] = ((struct in6_pktinfo *)CMSG_DATA(c))->ipi6_ifindex;
			if (c->cmsg_type == IPV6_HOPLIMIT)
				got[1] = 1;
			if (c->cmsg_type == IPV6_TCLASS)
				got[2] = *(int *)CMSG_DATA(c);
		}
		if (got[0] != 1 || !got[1] || got[2] != tc)
			report("udp mcast: IPv6 ancillary data: interface %d, hop limit %d, class %#x",
			       got[0], got[1], got[2]);
	}
	report("udp mcast ok");
}

/*
 * The source filter of group @grp (@family) on lo, by MCAST_MSFILTER, as
 * "include 127.0.0.1 127.0.0.2" or "exclude 127.0.0.3", into @buf.
 */
static void mc_filter(int s, int family, const char *grp, char *buf, size_t len)
{
	union {
		struct group_filter gf;
		char raw[GROUP_FILTER_SIZE(8)];
	} u = {};
	socklen_t olen = sizeof(u);
	char a[INET6_ADDRSTRLEN];
	uint32_t i;

	u.gf.gf_interface = 1;
	u.gf.gf_numsrc = 8;
	u.gf.gf_group.ss_family = family;
	if (family == AF_INET)
		inet_pton(AF_INET, grp, &((struct sockaddr_in *)&u.gf.gf_group)->sin_addr);
	else
		inet_pton(AF_INET6, grp, &((struct sockaddr_in6 *)&u.gf.gf_group)->sin6_addr);
	if (getsockopt(s, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6, MCAST_MSFILTER, &u, &olen)) {
		snprintf(buf, len, "error %d", errno);
		return;
	}
	snprintf(buf, len, "%s", u.gf.gf_fmode == MCAST_INCLUDE ? "include" :
		 u.gf.gf_fmode == MCAST_EXCLUDE ? "exclude" : "?");
	for (i = 0; i < u.gf.gf_numsrc && i < 8; i++) {
		const struct sockaddr_storage *ss = &u.gf.gf_slist[i];

		inet_ntop(family, family == AF_INET ?
			  (const void *)&((const struct sockaddr_in *)ss)->sin_addr :
			  (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr, a, sizeof(a));
		snprintf(buf + strlen(buf), len - strlen(buf), " %s", a);
	}
}

/* A datagram to group 239.1.2.@g port @port from 127.0.0.@from: did @s get it? */
static int mc_got(int s, int g, int port, int from)
{
	struct sockaddr_in src = { .sin_family = AF_INET }, dst = { .sin_family = AF_INET };
	int t = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
	struct ip_mreqn mr = { .imr_ifindex = 1 };
	char b[8];
	int got;

	src.sin_addr.s_addr = htonl(0x7f000000 | from);
	dst.sin_addr.s_addr = htonl(0xef010200 | g);
	dst.sin_port = htons(port);
	if (t < 0 || bind(t, (void *)&src, sizeof(src)) ||
	    setsockopt(t, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) ||
	    setsockopt(t, IPPROTO_IP, IP_MULTICAST_LOOP, &one, sizeof(one)) ||
	    sendto(t, "m", 1, 0, (void *)&dst, sizeof(dst)) != 1) {
		close(t);
		return -errno;
	}
	close(t);
	usleep(20000);
	got = recv(s, b, sizeof(b), MSG_DONTWAIT) == 1;
	while (recv(s, b, sizeof(b), MSG_DONTWAIT) > 0)
		;
	return got;
}

/*
 * Multicast source filters of UDP sockets on lo: 239.1.2.4 only from
 * 127.0.0.1 and 127.0.0.2 (IP_ADD_SOURCE_MEMBERSHIP), 239.1.2.5 from all
 * but 127.0.0.3 (IP_BLOCK_SOURCE), 239.1.2.6 from any; with IPv6, ff02::1:4
 * only from ::1 (MCAST_JOIN_SOURCE_GROUP). After the restore MCAST_MSFILTER
 * reads each filter back, and datagrams from each source to each group
 * arrive, or not, as before the checkpoint.
 */
static void scenario_udp_msfilter(void)
{
	static const char *const want[] = { "include 127.0.0.1 127.0.0.2", "exclude 127.0.0.3",
					    "exclude" };
	/* group 4, 5, 6 from 127.0.0.1, .2, .3 */
	static const int pass[3][3] = { { 1, 1, 0 }, { 1, 1, 0 }, { 1, 1, 1 } };
	struct sockaddr_in any = { .sin_family = AF_INET };
	int m = socket(AF_INET, SOCK_DGRAM, 0), m6 = socket(AF_INET6, SOCK_DGRAM, 0);
	struct ip_mreqn grp = { .imr_ifindex = 1 };
	struct ip_mreq_source ms = {};
	struct group_source_req gs6 = { .gsr_interface = 1 };
	char buf[128];
	int port, g, k, round;
	bool v6;

	ms.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
	ms.imr_multiaddr.s_addr = htonl(0xef010204);
	if (m < 0 || bind(m, (void *)&any, sizeof(any)))
		report("msfilter: socket (%d)", errno);
	port = sock_port(m, false);
	for (k = 1; k <= 2; k++) {
		ms.imr_sourceaddr.s_addr = htonl(0x7f000000 | k);
		if (setsockopt(m, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, &ms, sizeof(ms)))
			report("msfilter: IP_ADD_SOURCE_MEMBERSHIP (%d)", errno);
	}
	grp.imr_multiaddr.s_addr = htonl(0xef010205);
	ms.imr_multiaddr.s_addr = htonl(0xef010205);
	ms.imr_sourceaddr.s_addr = htonl(0x7f000003);
	if (setsockopt(m, IPPROTO_IP, IP_ADD_MEMBERSHIP, &grp, sizeof(grp)) ||
	    setsockopt(m, IPPROTO_IP, IP_BLOCK_SOURCE, &ms, sizeof(ms)))
		report("msfilter: IP_BLOCK_SOURCE (%d)", errno);
	grp.imr_multiaddr.s_addr = htonl(0xef010206);
	if (setsockopt(m, IPPROTO_IP, IP_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		report("msfilter: IP_ADD_MEMBERSHIP (%d)", errno);
	gs6.gsr_group.ss_family = AF_INET6;
	gs6.gsr_source.ss_family = AF_INET6;
	inet_pton(AF_INET6, "ff02::1:4", &((struct sockaddr_in6 *)&gs6.gsr_group)->sin6_addr);
	((struct sockaddr_in6 *)&gs6.gsr_source)->sin6_addr = in6addr_loopback;
	/* Without IPv6 in the kernel, the IPv4 part alone. */
	v6 = m6 >= 0;
	if (v6 && setsockopt(m6, IPPROTO_IPV6, MCAST_JOIN_SOURCE_GROUP, &gs6, sizeof(gs6)))
		report("msfilter: IPv6 MCAST_JOIN_SOURCE_GROUP (%d)", errno);

	for (round = 0; round < 2; round++) {
		if (round)
			while (!restored())
				usleep(10000);
		for (g = 0; g < 3; g++) {
			mc_filter(m, AF_INET, g == 0 ? "239.1.2.4" : g == 1 ? "239.1.2.5" :
				  "239.1.2.6", buf, sizeof(buf));
			if (strcmp(buf, want[g]))
				report("msfilter: %s: group 239.1.2.%d: %s, not %s",
				       round ? "after" : "before", g + 4, buf, want[g]);
			for (k = 0; k < 3; k++)
				if (mc_got(m, g + 4, port, k + 1) != pass[g][k])
					report("msfilter: %s: 239.1.2.%d from 127.0.0.%d: %d, not %d",
					       round ? "after" : "before", g + 4, k + 1,
					       mc_got(m, g + 4, port, k + 1), pass[g][k]);
		}
		if (v6) {
			mc_filter(m6, AF_INET6, "ff02::1:4", buf, sizeof(buf));
			if (strcmp(buf, "include ::1"))
				report("msfilter: %s: group ff02::1:4: %s", round ? "after" : "before",
				       buf);
		}
	}
	report("msfilter ok");
}

/*
 * A connection to a peer outside the tree (tcp_peer(), a process of the
 * test): it sent "before" and reads "hi" before the checkpoint, sends
 * "during" while the process is gone, and must see no reset: the held
 * socket drops "during" without a word, and its retransmission reaches
 * the restored process, which answers with what it got.
 */
static int peer_port;

static void scenario_tcp_peer(void)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, peer_port, &ss);
	char buf[32] = "";
	int c = socket(AF_INET, SOCK_STREAM, 0);
	ssize_t n;

	if (c < 0 || connect(c, (void *)&ss, len) || write(c, "hi", 2) != 2)
		report("tcp peer: connect (%d)", errno);
	while (!restored())
		usleep(10000);
	n = read_full(c, buf, 12, 20);
	if (n != 12 || memcmp(buf, "beforeduring", 12))
		report("tcp peer: read %zd bytes '%s'", n, buf);
	if (write(c, "ack", 3) != 3)
		report("tcp peer: write (%d)", errno);
	report("tcp peer ok");
}

/*
 * Connections a peer outside the tree closed (shutdown(SHUT_WR): its FIN)
 * after sending a few bytes, the process in CLOSE_WAIT: it read the bytes
 * and the end of file of the first, nothing of the second. After the
 * restore both are still in CLOSE_WAIT; the first reads the end of file
 * again, the second its bytes then the end of file; each answers and
 * closes, which the peer sees (tcp_fin_peer()). A third the process shut
 * down for writing after a request, the peer's ACK of its FIN in: after
 * the restore it is in FIN_WAIT2, may not send, and reads the answer the
 * peer sends then the end of file.
 */
static int tcp_state(int s)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	return getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len) ? -1 : ti.tcpi_state;
}

static void scenario_tcp_fin(void)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, peer_port, &ss);
	int c1 = socket(AF_INET, SOCK_STREAM, 0), c2 = socket(AF_INET, SOCK_STREAM, 0), i;
	int c3 = socket(AF_INET, SOCK_STREAM, 0);
	char buf[8] = "";

	if (c1 < 0 || c2 < 0 || c3 < 0 || connect(c1, (void *)&ss, len) ||
	    connect(c2, (void *)&ss, len) || connect(c3, (void *)&ss, len) ||
	    write(c3, "q", 1) != 1 || shutdown(c3, SHUT_WR))
		report("tcp fin: connect (%d)", errno);
	if (read_full(c1, buf, 3, 10) != 3 || memcmp(buf, "one", 3) || read(c1, buf, 1) != 0)
		report("tcp fin: the first connection before");
	for (i = 0; i < 500 && (tcp_state(c2) != TCP_CLOSE_WAIT || tcp_state(c3) != TCP_FIN_WAIT2);
	     i++)
		usleep(10000);
	if (tcp_state(c1) != TCP_CLOSE_WAIT || tcp_state(c2) != TCP_CLOSE_WAIT ||
	    tcp_state(c3) != TCP_FIN_WAIT2)
		report("tcp fin: states %d %d %d before", tcp_state(c1), tcp_state(c2),
		       tcp_state(c3));
	settled();
	while (!restored())
		usleep(10000);
	if (tcp_state(c1) != TCP_CLOSE_WAIT || tcp_state(c2) != TCP_CLOSE_WAIT ||
	    tcp_state(c3) != TCP_FIN_WAIT2)
		report("tcp fin: states %d %d %d after", tcp_state(c1), tcp_state(c2),
		       tcp_state(c3));
	if (send(c3, "x", 1, MSG_NOSIGNAL) != -1 || errno != EPIPE)
		report("tcp fin: a send after shutdown(SHUT_WR) (%d)", errno);
	memset(buf, 0, sizeof(buf));
	if (read(c1, buf, 1) != 0 || read_full(c2, buf, 3, 10) != 3 || memcmp(buf, "two", 3) ||
	    read(c2, buf, 1) != 0)
		report("tcp fin: reads after the restore '%s'", buf);
	if (write(c1, "r1", 2) != 2 || write(c2, "r2", 2) != 2 || close(c1) || close(c2))
		report("tcp fin: answers (%d)", errno);
	memset(buf, 0, sizeof(buf));
	if (read_full(c3, buf, 3, 20) != 3 || memcmp(buf, "ans", 3) || read(c3, buf, 1) != 0)
		report("tcp fin: the answer to the shut down one '%s'", buf);
	report("tcp fin ok");
}

/*
 * Our FIN queued behind data the peer has no room for (a zero window):
 * FIN_WAIT1 on c1; LAST_ACK on c2, which the peer shut down first;
 * CLOSING on c3, where the peer's FIN came after ours (c0 tells it
 * when). After the restore the states are the same, a send fails with
 * EPIPE; the peer reads every byte then the end of file on each, and
 * says so on c0 (tcp_fin_queued_peer()). The report gives the counts.
 */
static int peer_rcvbuf, peer_out = -1;

static unsigned char fin_byte(size_t i, int conn)
{
	return (unsigned char)(i * 31 + conn * 7 + (i >> 11));
}

/* Send until the peer's window is shut: bytes stay unsent; the count. */
static size_t fill_window(int s, int conn, size_t sent)
{
	unsigned char buf[1024];
	int unsent = 0, i, tries;

	for (tries = 0; tries < 200 && unsent <= 0; tries++) {
		for (;;) {
			for (i = 0; i < (int)sizeof(buf); i++)
				buf[i] = fin_byte(sent + i, conn);
			ssize_t n = send(s, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);

			if (n <= 0)
				break;
			sent += n;
		}
		usleep(50000);
		if (ioctl(s, SIOCOUTQNSD, &unsent))
			unsent = -1;
	}
	if (unsent <= 0)
		report("tcp fin queued: the window of connection %d stayed open (%zu sent)",
		       conn, sent);
	return sent;
}

static void scenario_tcp_fin_queued(void)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, peer_port, &ss);
	int c[4], i, sndbuf = 4096;
	size_t sent[4] = { 0 };
	char buf[8] = "";

	for (i = 0; i < 4; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (c[i] < 0 ||
		    setsockopt(c[i], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) ||
		    connect(c[i], (void *)&ss, len))
			report("tcp fin queued: connect (%d)", errno);
	}
	/* CLOSING: ours first, then the peer's, which c0 asks for. */
	sent[3] = fill_window(c[3], 3, 0);
	if (shutdown(c[3], SHUT_WR) || write(c[0], "3", 1) != 1)
		report("tcp fin queued: shutdown (%d)", errno);
	for (i = 0; i < 500 && (tcp_state(c[3]) != TCP_CLOSING || tcp_state(c[2]) != TCP_CLOSE_WAIT);
	     i++)
		usleep(10000);
	/* FIN_WAIT1, and LAST_ACK after the peer's FIN (read: end of file). */
	sent[1] = fill_window(c[1], 1, 0);
	if (read(c[2], buf, 1) != 0)
		report("tcp fin queued: no end of file before");
	sent[2] = fill_window(c[2], 2, 0);
	if (shutdown(c[1], SHUT_WR) || shutdown(c[2], SHUT_WR))
		report("tcp fin queued: shutdown (%d)", errno);
	if (tcp_state(c[1]) != TCP_FIN_WAIT1 || tcp_state(c[2]) != TCP_LAST_ACK ||
	    tcp_state(c[3]) != TCP_CLOSING)
		report("tcp fin queued: states %d %d %d before", tcp_state(c[1]), tcp_state(c[2]),
		       tcp_state(c[3]));
	settled();
	while (!restored())
		usleep(10000);
	if (tcp_state(c[1]) != TCP_FIN_WAIT1 || tcp_state(c[2]) != TCP_LAST_ACK ||
	    tcp_state(c[3]) != TCP_CLOSING)
		report("tcp fin queued: states %d %d %d after", tcp_state(c[1]), tcp_state(c[2]),
		       tcp_state(c[3]));
	for (i = 1; i < 4; i++)
		if (send(c[i], "x", 1, MSG_NOSIGNAL) != -1 || errno != EPIPE)
			report("tcp fin queued: a send on connection %d after its FIN (%d)", i,
			       errno);
	if (read(c[2], buf, 1) != 0 || read(c[3], buf, 1) != 0)
		report("tcp fin queued: no end of file after");
	/* The peer reads it all, and says so. */
	if (write(c[0], "r", 1) != 1 || read_full(c[0], buf, 1, 60) != 1 || buf[0] != 'd')
		report("tcp fin queued: the peer's verdict '%c'", buf[0]);
	report("tcp fin queued ok %zu %zu %zu", sent[1], sent[2], sent[3]);
}

/*
 * Connections in progress (SYN_SENT): the peer's accept queue is full
 * (backlog 0, c0 in it), so their SYNs go unanswered. c1 connects
 * without blocking; the process blocks in connect() for c2 (a SIGALRM
 * handler checks the states and lets the test checkpoint). After the
 * restore the peer accepts c0, then the SYNs sent again reach it: c1
 * becomes writable without an error, the blocked connect() returns 0,
 * each on its old local port; the peer reads "c1", "c2" and answers.
 */
static int syn_c[3], syn_port[3];

static void on_syn_alarm(int sig)
{
	syn_port[1] = sock_port(syn_c[1], false);
	syn_port[2] = sock_port(syn_c[2], false);
	if (tcp_state(syn_c[1]) != TCP_SYN_SENT || tcp_state(syn_c[2]) != TCP_SYN_SENT)
		report("tcp syn sent: states %d %d before", tcp_state(syn_c[1]),
		       tcp_state(syn_c[2]));
	settled();
}

static void scenario_tcp_syn_sent(void)
{
	struct sigaction sa = { .sa_handler = on_syn_alarm, .sa_flags = SA_RESTART };
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, peer_port, &ss), elen = sizeof(int);
	struct pollfd p = { .events = POLLOUT };
	char buf[4] = "";
	int i, err = -1;

	for (i = 0; i < 3; i++)
		syn_c[i] = socket(AF_INET, SOCK_STREAM | (i == 1 ? SOCK_NONBLOCK : 0), 0);
	if (syn_c[0] < 0 || syn_c[1] < 0 || syn_c[2] < 0 || connect(syn_c[0], (void *)&ss, len) ||
	    connect(syn_c[1], (void *)&ss, len) != -1 || errno != EINPROGRESS ||
	    sigaction(SIGALRM, &sa, NULL))
		report("tcp syn sent: set-up (%d)", errno);
	alarm(1);
	if (connect(syn_c[2], (void *)&ss, len))
		report("tcp syn sent: the blocking connect (%d)", errno);
	if (!restored())
		report("tcp syn sent: connected before the checkpoint");
	p.fd = syn_c[1];
	if (poll(&p, 1, 30000) != 1 ||
	    getsockopt(syn_c[1], SOL_SOCKET, SO_ERROR, &err, &elen) || err)
		report("tcp syn sent: the connection in progress (%d)", err);
	for (i = 1; i < 3; i++)
		if (sock_port(syn_c[i], false) != syn_port[i])
			report("tcp syn sent: local port %d, was %d", sock_port(syn_c[i], false),
			       syn_port[i]);
	fcntl(syn_c[1], F_SETFL, 0);
	if (write(syn_c[1], "c1", 2) != 2 || write(syn_c[2], "c2", 2) != 2 ||
	    read_full(syn_c[1], buf, 2, 30) != 2 || memcmp(buf, "o1", 2) ||
	    read_full(syn_c[2], buf, 2, 30) != 2 || memcmp(buf, "o2", 2))
		report("tcp syn sent: exchange (%d) '%s'", errno, buf);
	report("tcp syn sent ok");
}

/*
 * Connections a listener has not accepted yet, from a client outside the
 * tree (tcp_pending_client()): the first sent "a1", the second "b2" then
 * its FIN, the third nothing. The client sends "gap" on the first while
 * the process is gone, "more" after the restore. The restored process
 * accepts them in their order and finds each one's bytes (the FIN of the
 * second), then answers on each.
 */
static void scenario_tcp_pending(void)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, peer_port, &ss);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1, i, s[3];
	struct tcp_info ti = { 0 };
	socklen_t tlen = sizeof(ti);
	char buf[16] = "";

	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (void *)&ss, len) || listen(l, 8))
		report("tcp pending: listen (%d)", errno);
	for (i = 0; i < 1000; i++) {
		tlen = sizeof(ti);
		if (getsockopt(l, IPPROTO_TCP, TCP_INFO, &ti, &tlen) || ti.tcpi_unacked == 3)
			break;
		usleep(10000);
	}
	if (ti.tcpi_unacked != 3)
		report("tcp pending: %u connections wait", ti.tcpi_unacked);
	usleep(200000);	/* their bytes in */
	settled();
	while (!restored())
		usleep(10000);
	for (i = 0; i < 3; i++) {
		struct pollfd p = { .fd = l, .events = POLLIN };

		s[i] = poll(&p, 1, 10000) == 1 ? accept(l, NULL, NULL) : -1;
		if (s[i] < 0)
			report("tcp pending: accept %d (%d)", i, errno);
	}
	if (read_full(s[0], buf, 9, 20) != 9 || memcmp(buf, "a1gapmore", 9))
		report("tcp pending: the first connection read '%s'", buf);
	memset(buf, 0, sizeof(buf));
	if (read_full(s[1], buf, 2, 20) != 2 || memcmp(buf, "b2", 2) || read(s[1], buf, 1) != 0)
		report("tcp pending: the second connection read '%s'", buf);
	memset(buf, 0, sizeof(buf));
	if (read_full(s[2], buf, 2, 20) != 2 || memcmp(buf, "c3", 2))
		report("tcp pending: the third connection read '%s'", buf);
	if (write(s[0], "ok1", 3) != 3 || write(s[1], "ok2", 3) != 3 || write(s[2], "ok3", 3) != 3)
		report("tcp pending: answers (%d)", errno);
	report("tcp pending ok");
}

/*
 * Unix sockets known by their name: a stream listener bound to a path
 * (mode 0640, SO_PASSCRED, O_NONBLOCK), a seqpacket listener on an
 * abstract name, a datagram socket bound to a path and another connected
 * to it, an unbound one. After the restore each has its name and state
 * again: the listeners accept new connections, the connected one sends
 * to its peer by name.
 */
static void scenario_unix(void)
{
	struct sockaddr_un l = { .sun_family = AF_UNIX }, a = { .sun_family = AF_UNIX };
	struct sockaddr_un d = { .sun_family = AF_UNIX }, got;
	int ls, as, ds, cs, us, c, s, c0, s0, one = 1, sp[2], sndbuf = 65536, sndbuf_set;
	struct timeval tv = { .tv_sec = 1, .tv_usec = 500000 }, tv_got;
	socklen_t alen, len;
	char buf[32] = "", cwd[64];
	struct stat st;

	if (!getcwd(cwd, sizeof(cwd)))
		report("unix: getcwd");
	strcpy(l.sun_path, "sock-l");
	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "cr-test-%d", getpid());
	alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1);
	strcpy(d.sun_path, "sock-d");
	ls = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	as = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ds = socket(AF_UNIX, SOCK_DGRAM, 0);
	cs = socket(AF_UNIX, SOCK_DGRAM, 0);
	us = socket(AF_UNIX, SOCK_STREAM, 0);
	if (ls < 0 || as < 0 || ds < 0 || cs < 0 || us < 0 ||
	    bind(ls, (void *)&l, sizeof(l)) || listen(ls, 5) || chmod("sock-l", 0640) ||
	    setsockopt(ls, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) ||
	    bind(as, (void *)&a, alen) || listen(as, 3) ||
	    bind(ds, (void *)&d, sizeof(d)) || connect(cs, (void *)&d, sizeof(d)))
		report("unix: set-up (%d)", errno);
	/* A connection to the listener, both ends here, "q1" in flight. */
	c0 = socket(AF_UNIX, SOCK_STREAM, 0);
	if (c0 < 0 || connect(c0, (void *)&l, sizeof(l)))
		report("unix: connect (%d)", errno);
	s0 = accept(ls, NULL, NULL);
	if (s0 < 0 || write(c0, "q1", 2) != 2)
		report("unix: connection (%d)", errno);
	/* A pair with options: the accepted end above inherits SO_PASSCRED. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) ||
	    setsockopt(sp[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(sp[1], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)))
		report("unix: socket pair options (%d)", errno);
	sndbuf_set = int_opt(sp[1], SOL_SOCKET, SO_SNDBUF);

	while (!restored())
		usleep(10000);
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	if (getsockname(ls, (void *)&got, &len) || strcmp(got.sun_path, "") == 0 ||
	    strcmp(strrchr(got.sun_path, '/') ? strrchr(got.sun_path, '/') + 1 : "", "sock-l") ||
	    strncmp(got.sun_path, cwd, strlen(cwd)))
		report("unix: listener is '%s'", got.sun_path);
	if (stat("sock-l", &st) || !S_ISSOCK(st.st_mode) || (st.st_mode & 07777) != 0640)
		report("unix: socket file mode %o", st.st_mode);
	if (int_opt(ls, SOL_SOCKET, SO_PASSCRED) != 1 || int_opt(ls, SOL_SOCKET, SO_ACCEPTCONN) != 1 ||
	    !(fcntl(ls, F_GETFL) & O_NONBLOCK) || int_opt(as, SOL_SOCKET, SO_ACCEPTCONN) != 1)
		report("unix: listener options");
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (void *)&l, sizeof(l)))
		report("unix: connect to the stream listener (%d)", errno);
	s = accept(ls, NULL, NULL);
	if (s < 0 || write(c, "st", 2) != 2 || read(s, buf, 2) != 2 || memcmp(buf, "st", 2))
		report("unix: stream listener (%d)", errno);
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (c < 0 || connect(c, (void *)&a, alen))
		report("unix: connect to the abstract listener (%d)", errno);
	s = accept(as, NULL, NULL);
	if (s < 0 || write(c, "sq", 2) != 2 || read(s, buf, 2) != 2 || memcmp(buf, "sq", 2))
		report("unix: abstract listener (%d)", errno);
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	if (getpeername(cs, (void *)&got, &len) || !strstr(got.sun_path, "sock-d"))
		report("unix: datagram peer '%s' (%d)", got.sun_path, errno);
	memset(buf, 0, sizeof(buf));
	if (send(cs, "dgram", 5, 0) != 5 || recv(ds, buf, sizeof(buf), MSG_DONTWAIT) != 5 ||
	    strcmp(buf, "dgram"))
		report("unix: datagram '%s' (%d)", buf, errno);
	len = sizeof(got);
	if (getsockname(us, (void *)&got, &len) || len != sizeof(sa_family_t))
		report("unix: the unbound socket is bound (%u)", len);
	memset(buf, 0, sizeof(buf));
	if (read(s0, buf, 2) != 2 || strcmp(buf, "q1") || write(s0, "a1", 2) != 2 ||
	    read(c0, buf, 2) != 2 || memcmp(buf, "a1", 2))
		report("unix: connection data '%s' (%d)", buf, errno);
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	if (getpeername(c0, (void *)&got, &len) || strcmp(got.sun_path, "sock-l"))
		report("unix: the client's peer is '%s'", got.sun_path);
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	if (getsockname(s0, (void *)&got, &len) || strcmp(got.sun_path, "sock-l"))
		report("unix: the accepted end is '%s'", got.sun_path);
	if (int_opt(s0, SOL_SOCKET, SO_PASSCRED) != 1 || int_opt(c0, SOL_SOCKET, SO_PASSCRED) != 0)
		report("unix: SO_PASSCRED of the connection's ends");
	len = sizeof(tv_got);
	if (getsockopt(sp[0], SOL_SOCKET, SO_RCVTIMEO, &tv_got, &len) ||
	    tv_got.tv_sec != 1 || tv_got.tv_usec != 500000 ||
	    int_opt(sp[1], SOL_SOCKET, SO_SNDBUF) != sndbuf_set)
		report("unix: socket pair options: rcvtimeo %ld.%06ld, sndbuf %d, not 1.5 s and %d",
		       (long)tv_got.tv_sec, (long)tv_got.tv_usec,
		       int_opt(sp[1], SOL_SOCKET, SO_SNDBUF), sndbuf_set);
	report("unix ok");
}

/*
 * Messages queued on datagram sockets known by their name: on one bound
 * to a path, from a socket bound to a path, an unbound one and one bound
 * to an abstract name (both closed since), then as many as the queue
 * takes (net.unix.max_dgram_qlen); on one bound to an abstract name and
 * connected, from its peer. After the restore each is received once, in
 * order, with its sender's address, and the sockets work on (a socket
 * bound again shows the absolute path of its name).
 */
#define ANY_LEN	((socklen_t)-1)

static bool dq_recv(int s, const char *expect, size_t n, const char *from, socklen_t from_len)
{
	struct sockaddr_un got;
	socklen_t len = sizeof(got);
	char buf[64];
	ssize_t r;

	memset(&got, 0, sizeof(got));
	r = recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT, (void *)&got, &len);
	if (from_len == ANY_LEN)	/* a path that ends in @from */
		return r == (ssize_t)n && !memcmp(buf, expect, n) &&
		       strlen(got.sun_path) >= strlen(from) &&
		       !strcmp(got.sun_path + strlen(got.sun_path) - strlen(from), from);
	if (r != (ssize_t)n || memcmp(buf, expect, n) || len != from_len)
		return false;
	if (!from_len)
		return true;
	return !memcmp(got.sun_path, from, from_len - offsetof(struct sockaddr_un, sun_path));
}

static void scenario_unix_dgram_queue(void)
{
	struct sockaddr_un d = { .sun_family = AF_UNIX }, c = { .sun_family = AF_UNIX };
	struct sockaddr_un a = { .sun_family = AF_UNIX }, r = { .sun_family = AF_UNIX };
	socklen_t dlen, clen, alen, rlen, len;
	int ds, c1, un, ab, rc, i, filled = 0;
	char buf[16];

	strcpy(d.sun_path, "dq-srv");
	strcpy(c.sun_path, "dq-c1");
	dlen = offsetof(struct sockaddr_un, sun_path) + strlen(d.sun_path) + 1;
	clen = offsetof(struct sockaddr_un, sun_path) + strlen(c.sun_path) + 1;
	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "cr-dq-a-%d", getpid());
	alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1);
	snprintf(r.sun_path + 1, sizeof(r.sun_path) - 1, "cr-dq-r-%d", getpid());
	rlen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(r.sun_path + 1);
	ds = socket(AF_UNIX, SOCK_DGRAM, 0);
	c1 = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	un = socket(AF_UNIX, SOCK_DGRAM, 0);
	ab = socket(AF_UNIX, SOCK_DGRAM, 0);
	rc = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (ds < 0 || c1 < 0 || un < 0 || ab < 0 || rc < 0 || bind(ds, (void *)&d, dlen) ||
	    bind(c1, (void *)&c, clen) || bind(ab, (void *)&a, alen) ||
	    bind(rc, (void *)&r, rlen) || connect(rc, (void *)&c, clen))
		report("unix dgram: set-up (%d)", errno);
	if (sendto(c1, "one", 3, 0, (void *)&d, dlen) != 3 ||
	    sendto(un, "", 0, 0, (void *)&d, dlen) != 0 ||
	    sendto(ab, "three-3", 7, 0, (void *)&d, dlen) != 7 ||
	    sendto(c1, "rc-msg", 6, 0, (void *)&r, rlen) != 6)
		report("unix dgram: send (%d)", errno);
	close(un);
	close(ab);
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "fill-%d", i);
		if (sendto(c1, buf, strlen(buf), 0, (void *)&d, dlen) != (ssize_t)strlen(buf))
			break;
		filled++;
	}
	if (errno != EAGAIN || filled < 1)
		report("unix dgram: filling the queue (%d, %d sent)", errno, filled);

	while (!restored())
		usleep(10000);
	if (!dq_recv(ds, "one", 3, c.sun_path, clen) ||
	    !dq_recv(ds, "", 0, NULL, 0) ||
	    !dq_recv(ds, "three-3", 7, a.sun_path, alen))
		report("unix dgram: the first messages");
	for (i = 0; i < filled; i++) {
		snprintf(buf, sizeof(buf), "fill-%d", i);
		if (!dq_recv(ds, buf, strlen(buf), c.sun_path, clen))
			report("unix dgram: message %d of %d", i, filled);
	}
	if (recv(ds, buf, sizeof(buf), MSG_DONTWAIT) != -1 || errno != EAGAIN)
		report("unix dgram: more messages than queued");
	if (!dq_recv(rc, "rc-msg", 6, c.sun_path, clen))
		report("unix dgram: the connected socket's message");
	len = sizeof(a);
	memset(&a, 0, sizeof(a));
	if (getpeername(rc, (void *)&a, &len) || !strstr(a.sun_path, "dq-c1"))
		report("unix dgram: the connected socket's peer '%s' (%d)", a.sun_path, errno);
	if (sendto(c1, "after", 5, 0, (void *)&d, dlen) != 5 ||
	    !dq_recv(ds, "after", 5, "/dq-c1", ANY_LEN))
		report("unix dgram: a message after the restore (%d)", errno);
	if (send(rc, "back", 4, 0) != 4 || !dq_recv(c1, "back", 4, r.sun_path, rlen))
		report("unix dgram: a message to the peer after the restore (%d)", errno);
	report("unix dgram ok");
}

/*
 * Descriptors in flight (SCM_RIGHTS), sent and closed, not received yet:
 * on a datagram pair, a regular file at an offset, a message with none,
 * then the same open file again (a dup: one offset); on a stream pair, a
 * pipe's read end with bytes in the pipe and an eventfd in one message,
 * then a socket pair's end whose own queue carries a memfd, then the
 * server end of a TCP connection with bytes to read; on a datagram
 * socket known by its name, a file of its own. After the
 * restore none of them is a descriptor until it is received; then each
 * is the same file, in the same state, shared as before.
 */
static ssize_t scm_recv(int s, char *buf, size_t n, int *fds, int *nr)
{
	char cm[CMSG_SPACE(4 * sizeof(int))] = {};
	struct iovec iov = { .iov_base = buf, .iov_len = n };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm,
			     .msg_controllen = sizeof(cm) };
	struct cmsghdr *c;
	ssize_t r;

	*nr = 0;
	r = recvmsg(s, &mh, MSG_DONTWAIT);
	for (c = r < 0 ? NULL : CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			*nr = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(fds, CMSG_DATA(c), *nr * sizeof(int));
		}
	return r;
}

static int scm_send(int s, const char *data, const int *fds, int nr,
		    const struct sockaddr_un *to, socklen_t to_len)
{
	char cm[CMSG_SPACE(4 * sizeof(int))] = {};
	struct iovec iov = { .iov_base = (void *)data, .iov_len = strlen(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm,
			     .msg_controllen = CMSG_SPACE(nr * sizeof(int)),
			     .msg_name = (void *)to, .msg_namelen = to_len };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(nr * sizeof(int));
	memcpy(CMSG_DATA(c), fds, nr * sizeof(int));
	return sendmsg(s, &mh, 0) == (ssize_t)strlen(data) ? 0 : -1;
}

/*
 * Connections whose other end was closed before the checkpoint, with
 * what it had sent still queued: a stream pair (its reader gets the
 * bytes, then the end of the file; a write fails with EPIPE), a
 * seqpacket pair whose closed end had not read what it was sent (the
 * survivor's pending ECONNRESET, then its two messages), the end a
 * listener accepted from a client gone since (its address, the bytes),
 * a stream pair whose closed end had sent a descriptor, and a datagram
 * pair (the messages, then ECONNREFUSED for a send).
 */
static void scenario_closed_peers(void)
{
	struct sockaddr_un l = { .sun_family = AF_UNIX }, got;
	int sp[2], q[2], e[2], d[2], ls, c, a, ev, fd, nr, err = 0;
	socklen_t len = sizeof(err);
	char buf[32] = "";
	uint64_t val;

	strcpy(l.sun_path, "cp-srv");
	unlink(l.sun_path);
	ev = eventfd(5, 0);
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (ev < 0 || ls < 0 || c < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sp) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q) || socketpair(AF_UNIX, SOCK_STREAM, 0, e) ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, d) || send(d[1], "dg1", 3, 0) != 3 ||
	    send(d[1], "dg2", 3, 0) != 3 ||
	    bind(ls, (void *)&l, sizeof(l)) || listen(ls, 1) || connect(c, (void *)&l, sizeof(l)))
		report("closed peers: set-up (%d)", errno);
	a = accept(ls, NULL, NULL);
	if (a < 0 || write(sp[1], "last words", 10) != 10 || send(q[1], "m1", 2, 0) != 2 ||
	    send(q[1], "m2", 2, 0) != 2 || send(q[0], "unread", 6, 0) != 6 ||
	    write(c, "bye", 3) != 3 || scm_send(e[1], "fd", &ev, 1, NULL, 0))
		report("closed peers: sending (%d)", errno);
	close(sp[1]);
	close(q[1]);
	close(c);
	close(e[1]);
	close(ev);
	close(d[1]);

	while (!restored())
		usleep(10000);
	if (read(sp[0], buf, sizeof(buf)) != 10 || memcmp(buf, "last words", 10) ||
	    read(sp[0], buf, sizeof(buf)) != 0 ||
	    send(sp[0], "x", 1, MSG_NOSIGNAL) != -1 || errno != EPIPE)
		report("closed peers: the stream pair (%d)", errno);
	if (getsockopt(q[0], SOL_SOCKET, SO_ERROR, &err, &len) || err != ECONNRESET)
		report("closed peers: the seqpacket end's error %d", err);
	if (recv(q[0], buf, sizeof(buf), 0) != 2 || memcmp(buf, "m1", 2) ||
	    recv(q[0], buf, sizeof(buf), 0) != 2 || memcmp(buf, "m2", 2) ||
	    recv(q[0], buf, sizeof(buf), 0) != 0)
		report("closed peers: the seqpacket messages (%d)", errno);
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	if (getsockname(a, (void *)&got, &len) || !strstr(got.sun_path, "cp-srv") ||
	    read(a, buf, sizeof(buf)) != 3 || memcmp(buf, "bye", 3) || read(a, buf, 1) != 0)
		report("closed peers: the accepted end ('%s', %d)", got.sun_path, errno);
	if (scm_recv(e[0], buf, sizeof(buf), &fd, &nr) != 2 || nr != 1 ||
	    read(fd, &val, 8) != 8 || val != 5 || read(e[0], buf, 1) != 0)
		report("closed peers: the descriptor its closed end sent (%d, %d fds)", errno, nr);
	if (recv(d[0], buf, sizeof(buf), MSG_DONTWAIT) != 3 || memcmp(buf, "dg1", 3) ||
	    recv(d[0], buf, sizeof(buf), MSG_DONTWAIT) != 3 || memcmp(buf, "dg2", 3) ||
	    send(d[0], "x", 1, MSG_DONTWAIT) != -1 || errno != ECONNREFUSED)
		report("closed peers: the datagram pair (%d)", errno);
	report("closed peers ok");
}

/* The descriptors open, as a bit mask of the first 64. */
static uint64_t open_fds(void)
{
	uint64_t mask = 0;

	for (int fd = 0; fd < 64; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			mask |= 1ULL << fd;
	return mask;
}

static void scenario_scm_rights(void)
{
	struct sockaddr_un d = { .sun_family = AF_UNIX };
	int sp[2], st[2], q[2], p[2], f, f2, ev, mfd, ds, tx, fds[4], nr, tl, tc, ts;
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, 0, &ss);
	char buf[32] = "";
	uint64_t before, val;
	socklen_t dlen;

	strcpy(d.sun_path, "scm-dgram");
	dlen = offsetof(struct sockaddr_un, sun_path) + strlen(d.sun_path) + 1;
	unlink("scm-file");
	unlink("scm-file2");
	f = open("scm-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	f2 = open("scm-file2", O_RDWR | O_CREAT | O_TRUNC, 0600);
	ev = eventfd(7, 0);
	mfd = memfd_create("scm-memfd", 0);
	ds = socket(AF_UNIX, SOCK_DGRAM, 0);
	tx = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (f < 0 || f2 < 0 || ev < 0 || mfd < 0 || ds < 0 || tx < 0 || pipe(p) ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) || socketpair(AF_UNIX, SOCK_STREAM, 0, st) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, q) || bind(ds, (void *)&d, dlen) ||
	    write(f, "hello world", 11) != 11 || lseek(f, 6, SEEK_SET) != 6 ||
	    write(f2, "second", 6) != 6 || lseek(f2, 0, SEEK_SET) ||
	    write(p[1], "pipe-data", 9) != 9 || write(mfd, "memfd-data", 10) != 10)
		report("scm: set-up (%d)", errno);
	fds[0] = dup(f);
	if (scm_send(sp[0], "m1", &f, 1, NULL, 0) || scm_send(sp[0], "plain", NULL, 0, NULL, 0) ||
	    scm_send(sp[0], "", fds, 1, NULL, 0))
		report("scm: the datagram pair (%d)", errno);
	close(fds[0]);
	fds[0] = p[0];
	fds[1] = ev;
	if (scm_send(st[0], "m2", fds, 2, NULL, 0) || scm_send(q[1], "inner", &mfd, 1, NULL, 0) ||
	    scm_send(st[0], "m3", &q[0], 1, NULL, 0) || scm_send(tx, "m4", &f2, 1, &d, dlen))
		report("scm: the stream pair and the named socket (%d)", errno);
	/* A TCP connection handed over: its server end, with bytes to read. */
	tl = socket(AF_INET, SOCK_STREAM, 0);
	tc = socket(AF_INET, SOCK_STREAM, 0);
	if (tl < 0 || tc < 0 || bind(tl, (void *)&ss, len) || listen(tl, 1))
		report("scm: tcp listener (%d)", errno);
	len = loopback(AF_INET, sock_port(tl, false), &ss);
	if (connect(tc, (void *)&ss, len))
		report("scm: tcp connect (%d)", errno);
	ts = accept(tl, NULL, NULL);
	if (ts < 0 || write(tc, "tcp-in", 6) != 6 || scm_send(st[0], "m5", &ts, 1, NULL, 0))
		report("scm: tcp connection (%d)", errno);
	usleep(10000);
	close(ts);
	close(tl);
	close(f);
	close(f2);
	close(p[0]);
	close(ev);
	close(mfd);
	close(q[0]);
	close(tx);
	before = open_fds();

	while (!restored())
		usleep(10000);
	if (open_fds() != before)
		report("scm: descriptors %#llx, not %#llx as before", (unsigned long long)open_fds(),
		       (unsigned long long)before);
	if (scm_recv(sp[1], buf, sizeof(buf), fds, &nr) != 2 || memcmp(buf, "m1", 2) || nr != 1)
		report("scm: m1 (%d, %d fds)", errno, nr);
	f = fds[0];
	if (read(f, buf, 5) != 5 || memcmp(buf, "world", 5))
		report("scm: the file at its offset (%d)", errno);
	if (scm_recv(sp[1], buf, sizeof(buf), fds, &nr) != 5 || memcmp(buf, "plain", 5) || nr)
		report("scm: plain (%d, %d fds)", errno, nr);
	if (scm_recv(sp[1], buf, sizeof(buf), fds, &nr) != 0 || nr != 1 ||
	    lseek(fds[0], 0, SEEK_CUR) != 11)
		report("scm: the dup, one offset with the first (%d, %d fds)", errno, nr);
	if (scm_recv(st[1], buf, sizeof(buf), fds, &nr) != 2 || memcmp(buf, "m2", 2) || nr != 2)
		report("scm: m2 (%d, %d fds)", errno, nr);
	if (read(fds[0], buf, 9) != 9 || memcmp(buf, "pipe-data", 9) ||
	    write(p[1], "more", 4) != 4 || read(fds[0], buf, 4) != 4 || memcmp(buf, "more", 4))
		report("scm: the pipe (%d)", errno);
	if (read(fds[1], &val, 8) != 8 || val != 7)
		report("scm: the eventfd (%d, %llu)", errno, (unsigned long long)val);
	if (scm_recv(st[1], buf, sizeof(buf), fds, &nr) != 2 || memcmp(buf, "m3", 2) || nr != 1)
		report("scm: m3 (%d, %d fds)", errno, nr);
	q[0] = fds[0];
	if (scm_recv(q[0], buf, sizeof(buf), fds, &nr) != 5 || memcmp(buf, "inner", 5) || nr != 1)
		report("scm: the message in flight on a socket in flight (%d, %d fds)", errno, nr);
	if (pread(fds[0], buf, 10, 0) != 10 || memcmp(buf, "memfd-data", 10) ||
	    send(q[1], "x", 1, 0) != 1 || recv(q[0], buf, 1, MSG_DONTWAIT) != 1)
		report("scm: the memfd, the pair's end (%d)", errno);
	if (scm_recv(ds, buf, sizeof(buf), fds, &nr) != 2 || memcmp(buf, "m4", 2) || nr != 1 ||
	    read(fds[0], buf, 6) != 6 || memcmp(buf, "second", 6))
		report("scm: the named socket's (%d, %d fds)", errno, nr);
	if (scm_recv(st[1], buf, sizeof(buf), fds, &nr) != 2 || memcmp(buf, "m5", 2) || nr != 1 ||
	    read(fds[0], buf, 6) != 6 || memcmp(buf, "tcp-in", 6) ||
	    write(fds[0], "back", 4) != 4 || read(tc, buf, 4) != 4 || memcmp(buf, "back", 4))
		report("scm: the TCP connection in flight (%d, %d fds)", errno, nr);
	if (scm_recv(sp[1], buf, sizeof(buf), fds, &nr) != -1 || errno != EAGAIN ||
	    scm_recv(st[1], buf, sizeof(buf), fds, &nr) != -1 || errno != EAGAIN)
		report("scm: more messages than sent");
	report("scm ok");
}

/*
 * Connections a listener has not accepted yet, their clients in the
 * process: three to a stream listener bound to a path (the first and the
 * third sent data, the third in two writes, the second nothing), one to
 * a seqpacket listener on an abstract name that sent two messages. After
 * the restore the listeners accept them in the order they came, each
 * with the data its client sent (the messages apart), and each accepted
 * socket talks to its own client both ways.
 */
static void pend_connect(int *c, int type, struct sockaddr_un *a, socklen_t len)
{
	*c = socket(AF_UNIX, type, 0);
	if (*c < 0 || connect(*c, (void *)a, len))
		report("unix pending: connect (%d)", errno);
}

/* Accepted @s reads @expect (seqpacket: one message), then pings its client @c. */
static bool pend_check(int s, int c, const char *expect)
{
	char buf[32] = "";
	ssize_t n = 0;

	if (s < 0)
		return false;
	if (*expect)
		n = recv(s, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n != (ssize_t)strlen(expect) || strcmp(buf, expect) ||
	    recv(s, buf, sizeof(buf), MSG_DONTWAIT) != -1 || errno != EAGAIN)
		return false;
	return write(s, "ping", 4) == 4 && recv(c, buf, sizeof(buf), MSG_DONTWAIT) == 4 &&
	       !memcmp(buf, "ping", 4) && write(c, "pong", 4) == 4 &&
	       recv(s, buf, sizeof(buf), MSG_DONTWAIT) == 4 && !memcmp(buf, "pong", 4);
}

static void scenario_unix_pending(void)
{
	struct sockaddr_un l = { .sun_family = AF_UNIX }, a = { .sun_family = AF_UNIX };
	int ls, as, c[3], sq, s;
	socklen_t alen;
	char buf[8];

	strcpy(l.sun_path, "pend-l");
	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "cr-pend-%d", getpid());
	alen = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1);
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	as = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (ls < 0 || as < 0 || bind(ls, (void *)&l, sizeof(l)) || listen(ls, 4) ||
	    bind(as, (void *)&a, alen) || listen(as, 2))
		report("unix pending: set-up (%d)", errno);
	pend_connect(&c[0], SOCK_STREAM, &l, sizeof(l));
	pend_connect(&c[1], SOCK_STREAM, &l, sizeof(l));
	pend_connect(&c[2], SOCK_STREAM, &l, sizeof(l));
	pend_connect(&sq, SOCK_SEQPACKET, &a, alen);
	if (write(c[0], "first", 5) != 5 || write(c[2], "third", 5) != 5 ||
	    write(c[2], "3b", 2) != 2 || write(sq, "m1", 2) != 2 || write(sq, "m22", 3) != 3)
		report("unix pending: send (%d)", errno);

	while (!restored())
		usleep(10000);
	if (!pend_check(accept(ls, NULL, NULL), c[0], "first"))
		report("unix pending: the first connection");
	if (!pend_check(accept(ls, NULL, NULL), c[1], ""))
		report("unix pending: the second connection");
	if (!pend_check(accept(ls, NULL, NULL), c[2], "third3b"))
		report("unix pending: the third connection");
	s = accept(as, NULL, NULL);
	if (s < 0 || recv(s, buf, sizeof(buf), 0) != 2 || memcmp(buf, "m1", 2) ||
	    !pend_check(s, sq, "m22"))
		report("unix pending: the seqpacket connection");
	if (fcntl(ls, F_SETFL, O_NONBLOCK) || accept(ls, NULL, NULL) != -1 || errno != EAGAIN)
		report("unix pending: more connections than there were");
	report("unix pending ok");
}

/*
 * Signal-driven I/O: a pipe owned by the process (F_SETOWN), with
 * F_SETSIG and O_ASYNC; another owned by its process group. After the
 * restore the owners are the restored process and its group, and a
 * write to the first pipe sends its signal, with the descriptor in
 * si_fd.
 */
#define FOWN_SIG	(SIGRTMIN + 5)
static volatile int fown_fd = -1;

static void on_fown(int sig, siginfo_t *si, void *uc)
{
	fown_fd = si->si_fd;
}

static void scenario_fown(void)
{
	struct sigaction sa = { .sa_sigaction = on_fown, .sa_flags = SA_SIGINFO };
	int p[2], q[2];
	double t;

	sigaction(FOWN_SIG, &sa, NULL);
	if (pipe(p) || pipe(q) || fcntl(p[0], F_SETOWN, getpid()) ||
	    fcntl(p[0], F_SETSIG, FOWN_SIG) ||
	    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC | O_NONBLOCK) ||
	    fcntl(q[0], F_SETOWN, -getpgrp()))
		report("fown: set-up (%d)", errno);

	while (!restored())
		usleep(10000);
	if (fcntl(p[0], F_GETOWN) != getpid() || fcntl(p[0], F_GETSIG) != FOWN_SIG ||
	    !(fcntl(p[0], F_GETFL) & O_ASYNC) || fcntl(q[0], F_GETOWN) != -getpgrp() ||
	    fcntl(q[0], F_GETSIG) != 0 || (fcntl(q[0], F_GETFL) & O_ASYNC))
		report("fown: owner %d (pid %d), signal %d, flags %#x; group owner %d (pgrp %d)",
		       fcntl(p[0], F_GETOWN), getpid(), fcntl(p[0], F_GETSIG),
		       fcntl(p[0], F_GETFL), fcntl(q[0], F_GETOWN), getpgrp());
	if (write(p[1], "x", 1) != 1)
		report("fown: write");
	t = now();
	while (fown_fd < 0 && now() - t < 5)
		usleep(1000);
	if (fown_fd != p[0])
		report("fown: signal for fd %d, not %d", fown_fd, p[0]);
	report("fown ok");
}

/*
 * Files of the process's own /proc directory (/proc/self/stat, the
 * directory itself) and of another process's (/proc/1/comm): after the
 * restore the first are the restored process's, under its new pid, the
 * other still init's.
 */
static void scenario_proc_self(void)
{
	int st = open("/proc/self/stat", O_RDONLY), dir = open("/proc/self", O_RDONLY | O_DIRECTORY);
	int one = open("/proc/1/comm", O_RDONLY), st2;
	char buf[64] = "", want[16];

	if (st < 0 || dir < 0 || one < 0)
		report("proc: open (%d)", errno);
	while (!restored())
		usleep(10000);
	snprintf(want, sizeof(want), "%d ", getpid());
	if (pread(st, buf, sizeof(buf) - 1, 0) <= 0 || strncmp(buf, want, strlen(want)))
		report("proc: stat says '%.20s', not pid %d", buf, getpid());
	st2 = openat(dir, "stat", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	if (st2 < 0 || read(st2, buf, sizeof(buf) - 1) <= 0 || strncmp(buf, want, strlen(want)))
		report("proc: the directory's stat says '%.20s'", buf);
	memset(buf, 0, sizeof(buf));
	if (pread(one, buf, sizeof(buf) - 1, 0) <= 0 || !buf[0])
		report("proc: /proc/1/comm (%d)", errno);
	report("proc ok");
}

/*
 * A process in a chroot (a bind mount of / with a tmpfs of its own on
 * /mnt, holding a marker): after the restore it is in the same root, its
 * files looked up from there: the marker it had open, and the one it
 * opens by path, are the jail's.
 */
static char jail_cwd[128];

static void scenario_chroot(void)
{
	struct stat before, after;
	char buf[8] = "";
	int m, r;

	if (chroot("jail") || chdir(jail_cwd))
		report("chroot: chroot (%d)", errno);
	m = open("/mnt/marker", O_RDONLY);
	r = open("/", O_RDONLY | O_DIRECTORY);
	if (m < 0 || r < 0 || fstat(r, &before))
		report("chroot: open (%d)", errno);
	while (!restored())
		usleep(10000);
	if (stat("/", &after) || after.st_dev != before.st_dev || after.st_ino != before.st_ino)
		report("chroot: the root is not the jail's");
	if (pread(m, buf, 4, 0) != 4 || strcmp(buf, "jail") || access("/mnt/marker", R_OK))
		report("chroot: marker '%s' (%d)", buf, errno);
	if (!getcwd(buf, 2) && errno == ERANGE && access(jail_cwd, X_OK))
		report("chroot: working directory");
	report("chroot ok");
}

/* An I/O priority set with ioprio_set(2) (ionice -c 2 -n 5) comes back. */
#define CR_IOPRIO_BE5	((2 << 13) | 5)

static void scenario_ioprio(void)
{
	if (syscall(SYS_ioprio_set, 1, 0, CR_IOPRIO_BE5))	/* IOPRIO_WHO_PROCESS */
		report("ioprio: set (%d)", errno);
	while (!restored())
		usleep(10000);
	if (syscall(SYS_ioprio_get, 1, 0) != CR_IOPRIO_BE5)
		report("ioprio: %ld, not %d", syscall(SYS_ioprio_get, 1, 0), CR_IOPRIO_BE5);
	report("ioprio ok");
}

/*
 * A child stopped by SIGSTOP, its stop not collected yet by its parent:
 * after the restore it is stopped, its parent's waitpid(WUNTRACED)
 * reports the stop once, and SIGCONT lets it go on.
 */
static void scenario_stopped_child(void)
{
	siginfo_t si = {};
	int p[2], status;
	pid_t c, pid;
	char b = 0;

	if (pipe(p))
		report("stopped: pipe (%d)", errno);
	c = fork();
	if (c == 0) {
		close(p[0]);
		raise(SIGSTOP);
		_exit(write(p[1], "c", 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	/* Stopped, and the stop left for waitpid() to report. */
	if (c < 0 || waitid(P_PID, c, &si, WSTOPPED | WNOWAIT) || si.si_status != SIGSTOP)
		report("stopped: set-up (%d)", errno);
	while (!restored())
		usleep(10000);
	pid = waitpid(-1, &status, WUNTRACED);
	if (pid <= 0 || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP)
		report("stopped: waitpid %d status %#x (%d)", pid, status, errno);
	if (proc_state(pid) != 'T')
		report("stopped: state '%c'", proc_state(pid));
	if (waitpid(-1, &status, WUNTRACED | WNOHANG) != 0)
		report("stopped: reported twice");
	if (kill(pid, SIGCONT) || read(p[0], &b, 1) != 1 || b != 'c' ||
	    waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		report("stopped: after SIGCONT '%c' status %#x", b, status);
	report("stopped ok");
}

/* The capability sets, low word only (capabilities 0-31). */
static int caps_get(uint32_t *eff, uint32_t *perm, uint32_t *inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	*eff = d[0].effective;
	*perm = d[0].permitted;
	*inh = d[0].inheritable;
	return 0;
}

static int caps_set(uint32_t eff, uint32_t perm, uint32_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective = eff;
	d[0].permitted = perm;
	d[0].inheritable = inh;
	return syscall(SYS_capset, &h, d);
}

#define CAP_BIT(c)	(1U << (c))

/*
 * A root process that dropped capabilities (CAP_NET_RAW, CAP_SYS_TIME),
 * made CAP_CHOWN inheritable and ambient, dropped CAP_SYS_BOOT from its
 * bounding set, set SECBIT_KEEP_CAPS and supplementary groups: all of it
 * is back after a restore by root.
 */
static void scenario_creds(void)
{
	const uint32_t drop = CAP_BIT(CAP_NET_RAW) | CAP_BIT(CAP_SYS_TIME);
	gid_t groups[3] = { 5, 6, 7 }, got[8];
	uint32_t eff, perm, inh, eff0, perm0;
	int n;

	if (setgroups(3, groups) || caps_get(&eff0, &perm0, &inh))
		report("creds: set-up (%d)", errno);
	if (caps_set(eff0 & ~drop, perm0 & ~drop, CAP_BIT(CAP_CHOWN)) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0) ||
	    prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0) ||
	    prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0))
		report("creds: capabilities (%d)", errno);
	while (!restored())
		usleep(10000);
	n = getgroups(8, got);
	if (n != 3 || got[0] != 5 || got[1] != 6 || got[2] != 7)
		report("creds: %d groups, not 5 6 7", n);
	if (caps_get(&eff, &perm, &inh) || eff != (eff0 & ~drop) || perm != (perm0 & ~drop) ||
	    inh != CAP_BIT(CAP_CHOWN))
		report("creds: capabilities %#x %#x %#x, not %#x %#x %#x", eff, perm, inh,
		       eff0 & ~drop, perm0 & ~drop, CAP_BIT(CAP_CHOWN));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0) != 1 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0) != 0)
		report("creds: ambient set");
	if (prctl(PR_CAPBSET_READ, CAP_SYS_BOOT, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_KILL, 0, 0, 0) != 1)
		report("creds: bounding set");
	if (prctl(PR_GET_SECUREBITS, 0, 0, 0, 0) != SECBIT_KEEP_CAPS)
		report("creds: securebits %#x", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
	if (getuid() || geteuid())
		report("creds: uid %d euid %d", getuid(), geteuid());
	report("creds ok");
}

/*
 * A root process that became another user (a daemon dropping its
 * privileges), then made itself dumpable again to write its own image:
 * restored by root, it is that user again, with its groups, no
 * capabilities, and dumpable (which a change of ids would reset).
 */
static void scenario_setuid_user(void)
{
	uid_t r, e, su;
	gid_t rg, eg, sg, groups[1] = { 100 }, got[4];
	uint32_t eff, perm, inh;

	if (setgroups(1, groups) || setresgid(1001, 1002, 1003) || setresuid(1000, 1000, 1000) ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		report("setuid: set-up (%d)", errno);
	while (!restored())
		usleep(10000);
	if (getresuid(&r, &e, &su) || getresgid(&rg, &eg, &sg) || r != 1000 || e != 1000 ||
	    su != 1000 || rg != 1001 || eg != 1002 || sg != 1003)
		report("setuid: ids %d %d %d, %d %d %d", r, e, su, rg, eg, sg);
	if (getgroups(4, got) != 1 || got[0] != 100)
		report("setuid: groups");
	if (caps_get(&eff, &perm, &inh) || eff || perm || inh)
		report("setuid: capabilities %#x %#x %#x", eff, perm, inh);
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1)
		report("setuid: dumpable %d", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	report("setuid ok");
}

/* The test side. */

FIXTURE(rt) {
	char dir[64];
	char image[128];
	pid_t child;
	int ready[2];
	int report[2];
	int input[2];
};

FIXTURE_SETUP(rt)
{
	strcpy(self->dir, "/tmp/cr-restore-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->image, sizeof(self->image), "%s/" CHILD_NAME ".ckpt",
		 self->dir);
	ASSERT_EQ(0, pipe(self->ready));
	ASSERT_EQ(0, pipe(self->report));
	ASSERT_EQ(0, pipe(self->input));
	self->child = 0;
}

FIXTURE_TEARDOWN(rt)
{
	cr_test_cleanup(self->child, self->dir);
}

/*
 * Run @fn in a child until @settle_ms after it is ready, then
 * checkpoint it in exit mode. A negative @settle_ms: until -@settle_ms
 * after @fn calls settled() (at most 60 s).
 */
static void checkpoint_child(struct __test_metadata *_metadata,
			     FIXTURE_DATA(rt) *self, void (*fn)(void),
			     int settle_ms)
{
	union sigval v = { .sival_int = CR_MODE_EXIT };
	struct stat st;
	int status;
	char c;

	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0) {
		prctl(PR_SET_NAME, CHILD_NAME);
		if (chdir(self->dir) || dup2(self->report[1], REPORT_FD) < 0 ||
		    dup2(self->input[0], INPUT_FD) < 0)
			_exit(1);
		orig_pid = syscall(SYS_getpid);
		if (settle_ms < 0 && dup2(self->ready[1], SETTLED_FD) < 0)
			_exit(1);
		if (write(self->ready[1], "r", 1) != 1)
			_exit(1);
		keep_only_fds((int []){ REPORT_FD, INPUT_FD, EXT_FD,
					settle_ms < 0 ? SETTLED_FD : -1, -1 });
		fn();
		_exit(1);
	}
	ASSERT_EQ(1, read(self->ready[0], &c, 1));
	if (settle_ms < 0) {
		struct pollfd pfd[2] = {
			{ .fd = self->ready[0], .events = POLLIN },
			{ .fd = self->report[0], .events = POLLIN },
		};
		char early[REPORT_MAX] = "";

		/* A report first: the child failed before its state was there. */
		ASSERT_LT(0, poll(pfd, 2, 60000));
		if (pfd[1].revents && !pfd[0].revents) {
			ASSERT_LE(0, read(self->report[0], early, sizeof(early) - 1));
			ASSERT_STREQ("(settled)", early);
		}
		ASSERT_EQ(1, read(self->ready[0], &c, 1));
		settle_ms = -settle_ms;
	}
	usleep(settle_ms * 1000);
	ASSERT_EQ(0, sigqueue(self->child, SIGCKPT, v));
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = 0;
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGCKPT)
		TH_LOG("child status %#x", status);
	if (fn == scenario_process) {
		char moved[160];

		/* Written in the child's working directory, then moved. */
		snprintf(moved, sizeof(moved), "%s/sub/" CHILD_NAME ".ckpt", self->dir);
		ASSERT_EQ(0, rename(moved, self->image));
	}
	ASSERT_EQ(0, stat(self->image, &st));
}

/* An alarm(2) the restoring process has armed, if not 0. */
static unsigned int caller_alarm;
/* The user the restoring process is, if not root. */
static uid_t restore_uid;
/* If not NULL: the image is restored by "crcore restore IMAGE --as-owner". */
static const char *restore_crcore;
/* If not -1: the restore helper writes the root's pid there when done. */
static int restore_ready_fd = -1;
/* A failed execve() of the image exits with its errno. */
static bool exec_errno_exit;

/* Execute the image in a new process, with fresh report and input pipes. */
static pid_t restore_image(struct __test_metadata *_metadata,
			   FIXTURE_DATA(rt) *self, const char *stdout_path)
{
	pid_t pid;

	close(self->report[0]);
	close(self->report[1]);
	close(self->input[0]);
	close(self->input[1]);
	ASSERT_EQ(0, pipe(self->report));
	ASSERT_EQ(0, pipe(self->input));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *argv[] = { self->image, NULL };

		if (dup2(self->report[1], REPORT_FD) < 0 ||
		    dup2(self->input[0], INPUT_FD) < 0 || chdir(self->dir) ||
		    dup2(0, FD_EXTRA) < 0)
			_exit(20);
		if (stdout_path) {
			int fd = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

			if (fd < 0 || dup2(fd, 1) < 0)
				_exit(21);
		}
		if (restore_ready_fd >= 0 &&
		    (dup2(restore_ready_fd, 7) < 0 || setenv("CR_READY_FD", "7", 1)))
			_exit(25);
		if (restore_uid && (setgroups(0, NULL) || setresgid(restore_uid, restore_uid, restore_uid) ||
				    setresuid(restore_uid, restore_uid, restore_uid)))
			_exit(24);
		if (caller_alarm) {
			struct itimerval cpu = { .it_value = { caller_alarm, 0 } };

			alarm(caller_alarm);
			if (setitimer(ITIMER_VIRTUAL, &cpu, NULL) ||
			    setitimer(ITIMER_PROF, &cpu, NULL))
				_exit(23);
		}
		if (restore_crcore) {
			char *cr[] = { (char *)restore_crcore, "restore", self->image, "--as-owner",
				       NULL };

			execv(restore_crcore, cr);
		} else {
			execv(self->image, argv);
		}
		_exit(exec_errno_exit ? errno : 22);
	}
	close(self->report[1]);
	self->report[1] = -1;
	return pid;
}

/* The restored process's report, after it exited with status 0. */
static void restored_report(struct __test_metadata *_metadata,
			    FIXTURE_DATA(rt) *self, pid_t pid, char *buf)
{
	ssize_t n, len = 0;
	int status;

	while ((n = read(self->report[0], buf + len, REPORT_MAX - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("restored process status %#x, report '%s'", status, buf);
}

static void round_trip_image(struct __test_metadata *_metadata,
			     FIXTURE_DATA(rt) *self, const char *expect)
{
	char buf[REPORT_MAX];
	pid_t pid;

	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ(expect, buf);
}

static void round_trip(struct __test_metadata *_metadata, FIXTURE_DATA(rt) *self,
		       void (*fn)(void), const char *expect)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, fn, 300);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ(expect, buf);
}

TEST_F(rt, counter_loop)
{
	round_trip(_metadata, self, scenario_counter, "counter ok");
}

/*
 * Wait up to 20 s until process @pid catches @sig: its restore has
 * installed its handlers. A signal sent sooner could reach the exec
 * caller, which ignores or dies of it.
 */
static bool wait_catches(pid_t pid, int sig)
{
	unsigned long long caught;
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	for (int i = 0; i < 2000; i++) {
		caught = 0;
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "SigCgt: %llx", &caught) == 1)
				break;
		if (f)
			fclose(f);
		if (caught & (1ULL << (sig - 1)))
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * Wait up to 20 s until process @pid sleeps in pause() again (its
 * /proc/PID/syscall names it). A signal sent sooner reaches it while its
 * restore ends, before the interrupted call starts again: its handler
 * runs, and the call is then restarted, not interrupted (a limit the user
 * guide states), however slow the machine is.
 */
static bool wait_in_pause(pid_t pid)
{
	char path[64], line[256];
	bool in = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	for (int i = 0; i < 2000 && !in; i++) {
		f = fopen(path, "r");
		in = f && fgets(line, sizeof(line), f) && !strncmp(line, "34 ", 3);
		if (f)
			fclose(f);
		if (!in)
			usleep(10000);
	}
	return in;
}

/*
 * A round trip in which the restored process waits for SIGUSR1: in a
 * loop that checks a flag its handler sets, or in pause() (@in_pause).
 */
static void round_trip_usr1(struct __test_metadata *_metadata,
			    FIXTURE_DATA(rt) *self, void (*fn)(void),
			    const char *expect, bool in_pause)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, fn, 300);
	pid = restore_image(_metadata, self, NULL);
	EXPECT_TRUE(wait_catches(pid, SIGUSR1)) TH_LOG("the restored process has no SIGUSR1 handler");
	if (in_pause)
		EXPECT_TRUE(wait_in_pause(pid)) TH_LOG("the restored process is not in pause()");
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ(expect, buf);
}

TEST_F(rt, registers_gpr_and_avx)
{
	round_trip_usr1(_metadata, self, scenario_registers, "registers ok restored 1", false);
}

TEST_F(rt, nanosleep_keeps_remaining_time)
{
	char buf[REPORT_MAX];
	double t0, t;
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_nanosleep, 1000);
	t0 = now();
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	t = now() - t0;
	EXPECT_STREQ("nanosleep 0 errno 0 restored 1", buf);
	/* About 3 s were left: not 0, not the whole 4 s. */
	EXPECT_TRUE(t > 1.5 && t < 3.9) TH_LOG("restored sleep took %.2f s", t);
}

TEST_F(rt, pause_and_sigaltstack)
{
	round_trip_usr1(_metadata, self, scenario_pause, "pause -1 errno 4 usr1 1 restored 1", true);
}

TEST_F(rt, read_on_pipe_fed_after_restore)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_read, 300);
	pid = restore_image(_metadata, self, NULL);
	usleep(300000);
	ASSERT_EQ(5, write(self->input[1], "hello", 5));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("read 5 'hello' restored 1", buf);
}

TEST_F(rt, memory_64mib_heap_readonly)
{
	round_trip(_metadata, self, scenario_memory, "memory ok");
}

/* Bytes of a file the test left in its directory, or -1. */
static ssize_t read_test_file(FIXTURE_DATA(rt) *self, const char *name,
			      off_t off, char *buf, size_t len)
{
	char path[160];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", self->dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, off);
	close(fd);
	return n;
}

TEST_F(rt, shared_file_mapping_written_after_restore)
{
	char buf[32] = "";

	round_trip(_metadata, self, scenario_shared_file, "shared ok");
	ASSERT_EQ(sizeof(buf), read_test_file(self, "shared.dat", 4096, buf, sizeof(buf)));
	EXPECT_STREQ("after restore", buf);
}

TEST_F(rt, signal_handlers_and_mask)
{
	round_trip(_metadata, self, scenario_signals, "signals ok");
}

TEST_F(rt, stdout_redirected_to_a_file)
{
	char buf[REPORT_MAX], path[160], out[64] = "";
	pid_t pid;

	snprintf(path, sizeof(path), "%s/out.txt", self->dir);
	checkpoint_child(_metadata, self, scenario_stdout, 300);
	pid = restore_image(_metadata, self, path);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("stdout ok", buf);
	EXPECT_LT(0, read_test_file(self, "out.txt", 0, out, sizeof(out) - 1));
	EXPECT_STREQ("hello from the restored process\n", out);
}

TEST_F(rt, same_image_restored_twice)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_counter, 300);
	for (int i = 0; i < 2; i++) {
		pid = restore_image(_metadata, self, NULL);
		restored_report(_metadata, self, pid, buf);
		EXPECT_STREQ("counter ok", buf);
	}
}

TEST_F(rt, file_descriptors)
{
	char buf[32] = "";

	round_trip(_metadata, self, scenario_files, "files ok");
	EXPECT_EQ(12, read_test_file(self, "log.txt", 0, buf, sizeof(buf)));
	EXPECT_STREQ("before;after", buf);
}

TEST_F(rt, umask_cwd_rlimits_personality)
{
	round_trip(_metadata, self, scenario_process, "process ok");
}

/* Corrupted images: the exec fails with the errno, the caller lives on. */
struct image {
	unsigned char *buf;
	size_t len;
};

/*
 * madvise(2) state: DONTFORK, WIPEONFORK and DONTDUMP come back with the
 * memory they cover (DONTDUMP memory's contents included) and behave so
 * at the next fork(); the hints come back where this kernel takes them.
 */
static const struct {
	int advice;
	const char *flag;	/* in /proc/PID/smaps VmFlags */
} madv[] = {
	{ MADV_DONTFORK, "dc" }, { MADV_WIPEONFORK, "wf" }, { MADV_DONTDUMP, "dd" },
	{ MADV_HUGEPAGE, "hg" }, { MADV_NOHUGEPAGE, "nh" }, { MADV_SEQUENTIAL, "sr" },
	{ MADV_RANDOM, "rr" },
};

#define MADV_LEN	(4 * 4096)

/* Has the mapping at @p the VmFlags @flag? */
static bool has_vmflag(const void *p, const char *flag)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long start, end;
	char line[512], want[8];
	bool in = false, found = false;

	snprintf(want, sizeof(want), " %s ", flag);
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = (unsigned long)p >= start && (unsigned long)p < end;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8))
			found = strstr(line + 8, want);
	}
	if (f)
		fclose(f);
	return found;
}

static void scenario_madvise(void)
{
	unsigned char *area[ARRAY_SIZE(madv)];
	char done[64] = "";
	int status;
	pid_t pid;

	for (unsigned int i = 0; i < ARRAY_SIZE(madv); i++) {
		area[i] = mmap(NULL, MADV_LEN, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (area[i] == MAP_FAILED)
			report("madvise: mmap");
		memset(area[i], 0x40 + i, MADV_LEN);
		/* A hint this kernel does not take (no THP) is left out. */
		if (madvise(area[i], MADV_LEN, madv[i].advice))
			area[i] = NULL;
	}
	while (!restored())
		usleep(10000);
	for (unsigned int i = 0; i < ARRAY_SIZE(madv); i++) {
		if (!area[i])
			continue;
		for (unsigned int k = 0; k < MADV_LEN; k++)
			if (area[i][k] != 0x40 + i)
				report("madvise %s: byte %u is %#x", madv[i].flag, k, area[i][k]);
		if (!has_vmflag(area[i], madv[i].flag))
			report("madvise %s: not in VmFlags", madv[i].flag);
		strcat(done, " ");
		strcat(done, madv[i].flag);
	}
	/* At the next fork: zeroes under WIPEONFORK, nothing under DONTFORK. */
	pid = fork();
	if (pid == 0)
		_exit(area[1] && area[1][0] == 0 && area[2][0] == 0x42 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		report("madvise: a child's WIPEONFORK memory: status %#x", status);
	pid = fork();
	if (pid == 0)
		_exit(*(volatile unsigned char *)area[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGSEGV)
		report("madvise: a child's DONTFORK memory: status %#x", status);
	report("madvise ok%s", done);
}

/* The next inotify event of @in into @ev, waiting up to 2 s; false if none. */
static bool inotify_next(int in, struct inotify_event *ev, char *name, size_t size)
{
	static char buf[4096] __attribute__((aligned(8)));
	static ssize_t len, off;
	struct pollfd pfd = { .fd = in, .events = POLLIN };

	if (off >= len) {
		off = 0;
		len = poll(&pfd, 1, 2000) == 1 ? read(in, buf, sizeof(buf)) : -1;
		if (len <= 0)
			return false;
	}
	memcpy(ev, buf + off, sizeof(*ev));
	snprintf(name, size, "%s", ev->len ? buf + off + sizeof(*ev) : "");
	off += sizeof(*ev) + ev->len;
	return true;
}

/*
 * inotify: the watches come back with their descriptors and masks (a
 * directory's, an IN_ONESHOT file's; a removed one makes them 2 and 3),
 * events after the restore are reported with them, a one-shot watch goes
 * after its event, and a new watch gets descriptor 4, not a reused one.
 * A second instance has events not read at the checkpoint: a creation
 * and a rename (two events with one cookie), read after the restore; a
 * third, limited to 4 events, overflowed: its 4 events, then
 * IN_Q_OVERFLOW.
 */
static int inotify_limited(void)
{
	FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "r+");
	int in, old = 0;

	if (!f || fscanf(f, "%d", &old) != 1)
		return -1;
	rewind(f);
	fprintf(f, "4\n");
	fflush(f);
	in = inotify_init1(IN_NONBLOCK);
	rewind(f);
	fprintf(f, "%d\n", old);
	fclose(f);
	return in;
}

static void inotify_queued_check(int in2, int in3)
{
	struct inotify_event ev;
	char name[64];
	uint32_t cookie;
	int i;

	if (!inotify_next(in2, &ev, name, sizeof(name)) || ev.wd != 1 ||
	    ev.mask != IN_CREATE || strcmp(name, "a"))
		report("inotify: queued IN_CREATE a (wd %d, mask %#x, %s)", ev.wd, ev.mask, name);
	if (!inotify_next(in2, &ev, name, sizeof(name)) || ev.wd != 1 ||
	    ev.mask != IN_MOVED_FROM || strcmp(name, "a") || !ev.cookie)
		report("inotify: queued IN_MOVED_FROM a (wd %d, mask %#x, %s)", ev.wd, ev.mask, name);
	cookie = ev.cookie;
	if (!inotify_next(in2, &ev, name, sizeof(name)) || ev.wd != 1 ||
	    ev.mask != IN_MOVED_TO || strcmp(name, "b") || ev.cookie != cookie)
		report("inotify: queued IN_MOVED_TO b (wd %d, mask %#x, %s, cookie %u/%u)", ev.wd,
		       ev.mask, name, ev.cookie, cookie);
	if (inotify_next(in2, &ev, name, sizeof(name)))
		report("inotify: a fourth queued event (mask %#x)", ev.mask);
	for (i = 0; i < 4; i++)
		if (!inotify_next(in3, &ev, name, sizeof(name)) || ev.wd != 1 ||
		    ev.mask != IN_CREATE)
			report("inotify: overflowed instance, event %d (mask %#x)", i, ev.mask);
	if (!inotify_next(in3, &ev, name, sizeof(name)) || ev.wd != -1 || ev.mask != IN_Q_OVERFLOW)
		report("inotify: no IN_Q_OVERFLOW (wd %d, mask %#x)", ev.wd, ev.mask);
}

static void scenario_inotify(void)
{
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC), in2, in3;
	struct inotify_event ev;
	char name[64];
	int w1, w2, w3, w4, fd, i;

	mkdir("watched", 0700);
	close(open("watched/file", O_RDWR | O_CREAT, 0600));
	close(open("other", O_RDWR | O_CREAT, 0600));
	w1 = inotify_add_watch(in, "other", IN_MODIFY);
	w2 = inotify_add_watch(in, "watched", IN_CREATE | IN_DELETE);
	w3 = inotify_add_watch(in, "watched/file", IN_MODIFY | IN_ONESHOT);
	if (in < 0 || w1 != 1 || w2 != 2 || w3 != 3 || inotify_rm_watch(in, w1))
		report("inotify: set-up failed (%d)", errno);
	while (inotify_next(in, &ev, name, sizeof(name)))
		;	/* the IN_IGNORED of the removed watch */
	mkdir("queued", 0700);
	mkdir("flood", 0700);
	in2 = inotify_init1(IN_NONBLOCK);
	in3 = inotify_limited();
	if (in2 < 0 || in3 < 0 || inotify_add_watch(in2, "queued", IN_CREATE | IN_MOVE) != 1 ||
	    inotify_add_watch(in3, "flood", IN_CREATE) != 1)
		report("inotify: second and third instances (%d)", errno);
	close(open("queued/a", O_RDWR | O_CREAT, 0600));
	if (rename("queued/a", "queued/b"))
		report("inotify: rename (%d)", errno);
	for (i = 0; i < 6; i++) {
		char path[32];

		snprintf(path, sizeof(path), "flood/%d", i);
		close(open(path, O_RDWR | O_CREAT, 0600));
	}
	while (!restored())
		usleep(10000);
	inotify_queued_check(in2, in3);
	if (!(fcntl(in, F_GETFL) & O_NONBLOCK) || !(fcntl(in, F_GETFD) & FD_CLOEXEC))
		report("inotify: flags %#x, descriptor flags %#x", fcntl(in, F_GETFL),
		       fcntl(in, F_GETFD));
	close(open("watched/new", O_RDWR | O_CREAT, 0600));
	if (!inotify_next(in, &ev, name, sizeof(name)) || ev.wd != 2 ||
	    !(ev.mask & IN_CREATE) || strcmp(name, "new"))
		report("inotify: no IN_CREATE of new on wd 2 (wd %d, mask %#x, %s)",
		       ev.wd, ev.mask, name);
	fd = open("watched/file", O_WRONLY);
	if (fd < 0 || write(fd, "x", 1) != 1)
		report("inotify: cannot write the file");
	close(fd);
	if (!inotify_next(in, &ev, name, sizeof(name)) || ev.wd != 3 || !(ev.mask & IN_MODIFY))
		report("inotify: no IN_MODIFY on wd 3 (wd %d, mask %#x)", ev.wd, ev.mask);
	if (!inotify_next(in, &ev, name, sizeof(name)) || ev.wd != 3 || !(ev.mask & IN_IGNORED))
		report("inotify: the one-shot watch stays (wd %d, mask %#x)", ev.wd, ev.mask);
	w4 = inotify_add_watch(in, "other", IN_MODIFY);
	report("inotify ok %d", w4);
}

TEST_F(rt, inotify_watches_descriptors_and_events)
{
	round_trip(_metadata, self, scenario_inotify, "inotify ok 4");
}

/* The next event of fanotify group @fa, waiting up to 2 s; false if none. */
static bool fanotify_next(int fa, struct fanotify_event_metadata *ev, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = fa, .events = POLLIN };
	static char q[8192] __attribute__((aligned(8)));
	static ssize_t len, off;
	static int from = -1;

	if (from != fa || off >= len) {
		from = fa;
		off = 0;
		len = poll(&pfd, 1, 2000) == 1 ? read(fa, q, sizeof(q)) : -1;
		if (len <= 0)
			return false;
	}
	memcpy(ev, q + off, sizeof(*ev));
	if (ev->event_len < sizeof(*ev) || ev->event_len > len - off)
		return false;
	memset(buf, 0, size);
	memcpy(buf, q + off + sizeof(*ev), ev->event_len - sizeof(*ev) < size - 1 ?
	       ev->event_len - sizeof(*ev) : size - 1);
	off += ev->event_len;
	return true;
}

/* Whether event descriptor @fd is the file at @path (and closes it). */
static bool fanotify_is(int fd, const char *path)
{
	struct stat a, b;
	bool same = fd >= 0 && !fstat(fd, &a) && !stat(path, &b) && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY;

	if (fd >= 0)
		close(fd);
	return same;
}

/* The "fanotify ..." lines of the fdinfo of @fd, in @buf. */
static void fanotify_fdinfo(int fd, char *buf, size_t size)
{
	char path[64], line[512];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	buf[0] = '\0';
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "fanotify ", 9) && n + strlen(line) < size)
			n += snprintf(buf + n, size - n, "%s", line);
	if (f)
		fclose(f);
}

/* A group of fanotify_init(@flags), its queue limited to @max events if not 0. */
static int fanotify_group(unsigned int flags, int max)
{
	const char *sysctl = "/proc/sys/fs/fanotify/max_queued_events";
	char old[32];
	int fa;

	cr_read_file(sysctl, old, sizeof(old));
	if (max) {
		snprintf(old + 16, 16, "%d\n", max);
		cr_write_file(sysctl, old + 16);
	}
	fa = fanotify_init(flags, O_RDONLY | O_LARGEFILE);
	if (max)
		cr_write_file(sysctl, old);
	return fa;
}

/* After the restore: the events each group had queued, in their order. */
static void fanotify_queued_check(int fa, int fa3)
{
	struct fanotify_event_metadata ev;
	char info[256];
	int i;

	if (!fanotify_next(fa, &ev, info, sizeof(info)) ||
	    ev.mask != (FAN_MODIFY | FAN_CLOSE_WRITE) || ev.pid != getpid() ||
	    !fanotify_is(ev.fd, "fa-file"))
		report("fanotify: queued modify of fa-file (mask %#llx, pid %d/%d)",
		       (unsigned long long)ev.mask, ev.pid, getpid());
	if (!fanotify_next(fa, &ev, info, sizeof(info)) || ev.mask != FAN_OPEN ||
	    ev.pid != getpid() || !fanotify_is(ev.fd, "fa-dir/child"))
		report("fanotify: queued open of fa-dir/child (mask %#llx, pid %d)",
		       (unsigned long long)ev.mask, ev.pid);
	if (!fanotify_next(fa, &ev, info, sizeof(info)) || ev.mask != FAN_CLOSE_NOWRITE ||
	    ev.pid != 0 || !fanotify_is(ev.fd, "mnt/x"))
		report("fanotify: queued close of mnt/x by another process (mask %#llx, pid %d)",
		       (unsigned long long)ev.mask, ev.pid);
	if (fanotify_next(fa, &ev, info, sizeof(info)))
		report("fanotify: a fourth queued event (mask %#llx)", (unsigned long long)ev.mask);
	for (i = 1; i <= 2; i++) {
		char path[16];

		snprintf(path, sizeof(path), "ovf/%d", i);
		if (!fanotify_next(fa3, &ev, info, sizeof(info)) || ev.mask != FAN_OPEN ||
		    !fanotify_is(ev.fd, path))
			report("fanotify: overflowed group, event %d (mask %#llx)", i,
			       (unsigned long long)ev.mask);
	}
	if (!fanotify_next(fa3, &ev, info, sizeof(info)) || ev.mask != FAN_Q_OVERFLOW ||
	    ev.fd != FAN_NOFD)
		report("fanotify: no FAN_Q_OVERFLOW (mask %#llx)", (unsigned long long)ev.mask);
}

/*
 * fanotify: a group with inode marks (one with an ignore mask that
 * survives modification, one on a directory for its children), a mount
 * mark and a filesystem mark on a tmpfs of its own, and events not read
 * at the checkpoint: two of its own and one of a child that exited since
 * (read with pid 0 after the restore). Its fdinfo lines come back the
 * same; the events after the restore come from the marks, the ignore
 * mask still ignores. A group that reports file handles gets its mark
 * back; a third, limited to 2 events, overflowed: its 2 events, then
 * FAN_Q_OVERFLOW.
 */
static void scenario_fanotify(void)
{
	struct fanotify_event_metadata ev;
	char before[2048], after[2048], info[256];
	int fa, fa2, fa3, fd, i;
	pid_t pid;

	mkdir("fa-dir", 0700);
	mkdir("fid-dir", 0700);
	mkdir("ovf", 0700);
	mkdir("mnt", 0700);
	close(open("fa-file", O_RDWR | O_CREAT, 0600));
	close(open("fa-dir/child", O_RDWR | O_CREAT, 0600));
	for (i = 1; i <= 3; i++) {
		char path[16];

		snprintf(path, sizeof(path), "ovf/%d", i);
		close(open(path, O_RDWR | O_CREAT, 0600));
	}
	if (mount("tmpfs", "mnt", "tmpfs", 0, NULL))
		report("fanotify: cannot mount a tmpfs (%d)", errno);
	close(open("mnt/x", O_RDWR | O_CREAT, 0600));
	fa = fanotify_group(FAN_CLASS_NOTIF | FAN_NONBLOCK | FAN_CLOEXEC | FAN_UNLIMITED_QUEUE, 0);
	fa2 = fanotify_group(FAN_CLASS_NOTIF | FAN_NONBLOCK | FAN_REPORT_DFID_NAME, 0);
	fa3 = fanotify_group(FAN_CLASS_NOTIF | FAN_NONBLOCK, 2);
	if (fa < 0 || fa2 < 0 || fa3 < 0 ||
	    fanotify_mark(fa, FAN_MARK_ADD, FAN_ACCESS | FAN_MODIFY | FAN_CLOSE_WRITE,
			  AT_FDCWD, "fa-file") ||
	    fanotify_mark(fa, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK |
			  FAN_MARK_IGNORED_SURV_MODIFY, FAN_ACCESS, AT_FDCWD, "fa-file") ||
	    fanotify_mark(fa, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD, AT_FDCWD, "fa-dir") ||
	    fanotify_mark(fa, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CLOSE_NOWRITE, AT_FDCWD, "mnt") ||
	    fanotify_mark(fa, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_MODIFY, AT_FDCWD, "mnt") ||
	    fanotify_mark(fa2, FAN_MARK_ADD, FAN_CREATE | FAN_ONDIR, AT_FDCWD, "fid-dir") ||
	    fanotify_mark(fa3, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD, AT_FDCWD, "ovf"))
		report("fanotify: set-up failed (%d)", errno);
	fanotify_fdinfo(fa, before, sizeof(before));
	/* Events of its own, merged as they come, and one of a child. */
	fd = open("fa-file", O_WRONLY);
	if (fd < 0 || write(fd, "x", 1) != 1)
		report("fanotify: cannot write fa-file");
	close(fd);
	close(open("fa-dir/child", O_RDONLY));
	pid = fork();
	if (pid == 0) {
		close(open("mnt/x", O_RDONLY));
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	for (i = 1; i <= 3; i++) {
		char path[16];

		snprintf(path, sizeof(path), "ovf/%d", i);
		close(open(path, O_RDONLY));
	}
	while (!restored())
		usleep(10000);
	fanotify_fdinfo(fa, after, sizeof(after));
	if (strcmp(before, after) || !strstr(before, "mnt_id:") || !strstr(before, "sdev:"))
		report("fanotify: fdinfo\n%s-> %s", before, after);
	if (!(fcntl(fa, F_GETFL) & O_NONBLOCK) || !(fcntl(fa, F_GETFD) & FD_CLOEXEC) ||
	    (fcntl(fa2, F_GETFD) & FD_CLOEXEC))
		report("fanotify: flags %#x, descriptor flags %#x", fcntl(fa, F_GETFL),
		       fcntl(fa, F_GETFD));
	fanotify_queued_check(fa, fa3);
	/* New events, from the marks restored; reading fa-file is ignored. */
	fd = open("fa-file", O_RDWR);
	if (fd < 0 || read(fd, info, 1) != 1 || write(fd, "y", 1) != 1)
		report("fanotify: cannot read and write fa-file");
	close(fd);
	if (!fanotify_next(fa, &ev, info, sizeof(info)) ||
	    ev.mask != (FAN_MODIFY | FAN_CLOSE_WRITE) || !fanotify_is(ev.fd, "fa-file"))
		report("fanotify: modify of fa-file after (mask %#llx)", (unsigned long long)ev.mask);
	fd = open("mnt/y", O_WRONLY | O_CREAT, 0600);
	if (fd < 0 || write(fd, "z", 1) != 1)
		report("fanotify: cannot write mnt/y");
	close(fd);
	if (!fanotify_next(fa, &ev, info, sizeof(info)) || ev.mask != FAN_MODIFY ||
	    !fanotify_is(ev.fd, "mnt/y"))
		report("fanotify: filesystem mark after (mask %#llx)", (unsigned long long)ev.mask);
	close(open("fid-dir/z", O_WRONLY | O_CREAT, 0600));
	if (!fanotify_next(fa2, &ev, info, sizeof(info)) || ev.mask != FAN_CREATE ||
	    ev.fd != FAN_NOFD || !memmem(info, sizeof(info), "z", 2))
		report("fanotify: FID group after (mask %#llx, fd %d)", (unsigned long long)ev.mask,
		       ev.fd);
	if (fanotify_next(fa, &ev, info, sizeof(info)))
		report("fanotify: an event more (mask %#llx)", (unsigned long long)ev.mask);
	umount2("mnt", MNT_DETACH);
	report("fanotify ok");
}

TEST_F(rt, fanotify_groups_marks_and_events)
{
	round_trip(_metadata, self, scenario_fanotify, "fanotify ok");
}

TEST_F(rt, madvise_state_and_dontdump_memory)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_madvise, 100);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_EQ(0, strncmp(buf, "madvise ok dc wf dd", 19)) TH_LOG("report '%s'", buf);
}

/* VmLck of /proc/self/status, in kB, read without allocating. */
static long vm_locked_kb(void)
{
	char buf[4096], *p;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

/*
 * Memory locked with mlock(), mlock2(MLOCK_ONFAULT) and mlockall(MCL_FUTURE)
 * is locked again: the same VmLck, the "lo" flag, the pages an ONFAULT lock
 * never touched still not resident, and a mapping made after the restore
 * locked as MCL_FUTURE says.
 */
static void scenario_mlock(void)
{
	long page = sysconf(_SC_PAGESIZE), before, after;
	unsigned char *a, *b, *c, vec[4];

	a = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED || b == MAP_FAILED)
		report("mlock: mmap");
	memset(a, 0x5a, 4 * page);
	b[0] = 0x6b;
	if (mlock(a, 4 * page) || syscall(SYS_mlock2, b, 4 * page, MLOCK_ONFAULT) ||
	    mlockall(MCL_FUTURE | MCL_ONFAULT))
		report("mlock: mlock: %s", strerror(errno));
	before = vm_locked_kb();
	while (!restored())
		usleep(10000);
	after = vm_locked_kb();
	if (after != before || before < 32)
		report("mlock: VmLck %ld kB, %ld kB before", after, before);
	for (long k = 0; k < 4 * page; k++)
		if (a[k] != 0x5a)
			report("mlock: byte %ld is %#x", k, a[k]);
	if (b[0] != 0x6b)
		report("mlock: onfault byte is %#x", b[0]);
	if (!has_vmflag(a, "lo") || !has_vmflag(b, "lo"))
		report("mlock: not locked: %d %d", has_vmflag(a, "lo"), has_vmflag(b, "lo"));
	if (mincore(b, 4 * page, vec) || !(vec[0] & 1) || (vec[1] & 1) || (vec[3] & 1))
		report("mlock: MLOCK_ONFAULT pages resident: %d %d %d %d",
		       vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
	c = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED || !has_vmflag(c, "lo"))
		report("mlock: MCL_FUTURE: a new mapping is not locked");
	if (mincore(c, page, vec) || (vec[0] & 1))
		report("mlock: MCL_ONFAULT: a new mapping is resident");
	report("mlock ok");
}

TEST_F(rt, mlock_state)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_mlock, 100);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("mlock ok", buf);
}

/*
 * ITIMER_REAL (setitimer, alarm): armed again with the time it had left,
 * counted from the restore, with its interval; a caller's alarm, which
 * exec keeps, does not reach the restored process.
 */
static volatile sig_atomic_t alarms;

static void on_alrm(int sig)
{
	alarms++;
}

static void scenario_itimer(void)
{
	struct itimerval it = { .it_interval = { 0, 250000 }, .it_value = { 2, 0 } };
	double t, left;

	signal(SIGALRM, on_alrm);
	if (setitimer(ITIMER_REAL, &it, NULL))
		report("itimer: setitimer");
	while (!restored())
		usleep(10000);
	if (getitimer(ITIMER_REAL, &it))
		report("itimer: getitimer");
	left = it.it_value.tv_sec + it.it_value.tv_usec / 1e6;
	if (alarms)
		report("itimer: fired before its time");
	/* 2 s less the 0.3 s before the checkpoint, the restore not counted. */
	if (left < 1.0 || left > 1.8)
		report("itimer: %.3f s left", left);
	if (it.it_interval.tv_sec || it.it_interval.tv_usec != 250000)
		report("itimer: interval %ld.%06ld", (long)it.it_interval.tv_sec,
		       (long)it.it_interval.tv_usec);
	t = now();
	while (alarms < 3 && now() - t < 10)
		usleep(10000);
	if (alarms < 3)
		report("itimer: %d alarms in %.1f s", (int)alarms, now() - t);
	report("itimer ok");
}

static void scenario_no_itimer(void)
{
	struct itimerval it[3];

	while (!restored())
		usleep(10000);
	if (getitimer(ITIMER_REAL, &it[0]) || getitimer(ITIMER_VIRTUAL, &it[1]) ||
	    getitimer(ITIMER_PROF, &it[2]))
		report("no itimer: getitimer");
	for (int i = 0; i < 3; i++)
		if (it[i].it_value.tv_sec || it[i].it_value.tv_usec)
			report("no itimer: timer %d armed", i);
	report("no itimer ok");
}

/*
 * The CPU-time timers: each keeps the CPU time it had left, counted in
 * the CPU time the restored process uses; VIRTUAL then fires as it
 * spins.
 */
static volatile sig_atomic_t vtalrms;

static void on_vtalrm(int sig)
{
	vtalrms++;
}

static double itimer_left(int which, double *interval)
{
	struct itimerval it;

	if (getitimer(which, &it))
		report("cpu itimers: getitimer %d", which);
	*interval = it.it_interval.tv_sec + it.it_interval.tv_usec / 1e6;
	return it.it_value.tv_sec + it.it_value.tv_usec / 1e6;
}

static void scenario_cpu_itimers(void)
{
	struct itimerval v = { .it_interval = { 0, 100000 }, .it_value = { 0, 200000 } };
	struct itimerval p = { .it_interval = { 3, 0 }, .it_value = { 1000, 0 } };
	double left, interval, t;
	volatile unsigned long spin = 0;

	signal(SIGVTALRM, on_vtalrm);
	if (setitimer(ITIMER_VIRTUAL, &v, NULL) || setitimer(ITIMER_PROF, &p, NULL))
		report("cpu itimers: setitimer");
	/* Asleep until restored: hardly any CPU time used. */
	while (!restored())
		usleep(10000);
	left = itimer_left(ITIMER_PROF, &interval);
	if (left < 990 || left > 1000 || interval != 3)
		report("cpu itimers: PROF %.3f s left, interval %.3f", left, interval);
	left = itimer_left(ITIMER_VIRTUAL, &interval);
	/* 0.2 s and the tick setitimer() adds, less what it used. */
	if (left <= 0 || left > 0.2 + 0.011 || interval != 0.1)
		report("cpu itimers: VIRTUAL %.3f s left, interval %.3f", left, interval);
	if (vtalrms)
		report("cpu itimers: VIRTUAL fired before its time");
	t = now();
	while (vtalrms < 3 && now() - t < 30)
		spin++;
	if (vtalrms < 3)
		report("cpu itimers: %d SIGVTALRM in %.1f s", (int)vtalrms, now() - t);
	report("cpu itimers ok");
}

TEST_F(rt, itimer_virtual_and_prof_cpu_time_left)
{
	round_trip(_metadata, self, scenario_cpu_itimers, "cpu itimers ok");
}

TEST_F(rt, itimer_real_time_left_and_interval)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_itimer, 300);
	/* Two seconds on disk, which must not count. */
	usleep(2000000);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("itimer ok", buf);
}

TEST_F(rt, itimer_of_the_caller_does_not_reach_the_restored)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_no_itimer, 100);
	caller_alarm = 1000;
	pid = restore_image(_metadata, self, NULL);
	caller_alarm = 0;
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("no itimer ok", buf);
}

/*
 * Descriptors 3 and up that lead outside the tree (CR_FD_EXTERNAL): the
 * caller of the restore must supply them, or execve() fails with EBADF;
 * a socket of the process's own refuses the checkpoint.
 */
static int ext_kind;		/* 0: a pipe to the test, 1: a socket pair end */

static void scenario_external(void)
{
	struct stat st;

	while (!restored())
		usleep(10000);
	if (fstat(EXT_FD, &st))
		report("external: fd %d is closed", EXT_FD);
	if (ext_kind == 0 ? !S_ISFIFO(st.st_mode) : !S_ISSOCK(st.st_mode))
		report("external: fd %d has mode %#o", EXT_FD, st.st_mode);
	if (write(EXT_FD, "ext", 3) != 3)
		report("external: write: %s", strerror(errno));
	report("external ok");
}

/* Execute the image with @ext at EXT_FD (-1: none); its errno, or 0. */
static pid_t exec_with_ext(struct __test_metadata *_metadata, FIXTURE_DATA(rt) *self,
			   int ext, bool cloexec, int *err)
{
	int e[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe2(e, O_CLOEXEC));
	close(self->report[0]);
	if (self->report[1] >= 0)
		close(self->report[1]);
	ASSERT_EQ(0, pipe(self->report));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *argv[] = { self->image, NULL };

		if (dup2(self->report[1], REPORT_FD) < 0 ||
		    dup2(self->input[0], INPUT_FD) < 0 || chdir(self->dir))
			_exit(20);
		close(EXT_FD);
		if (ext >= 0 && (dup2(ext, EXT_FD) < 0 ||
				 fcntl(EXT_FD, F_SETFD, cloexec ? FD_CLOEXEC : 0)))
			_exit(21);
		execv(self->image, argv);
		status = errno;
		if (write(e[1], &status, sizeof(status)) != sizeof(status))
			_exit(22);
		_exit(23);
	}
	close(e[1]);
	close(self->report[1]);
	self->report[1] = -1;
	*err = 0;
	if (read(e[0], err, sizeof(*err)) == sizeof(*err)) {
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		pid = 0;
	}
	close(e[0]);
	return pid;
}

static void external_round_trip(struct __test_metadata *_metadata, FIXTURE_DATA(rt) *self,
				int kind)
{
	char buf[REPORT_MAX], got[8] = "";
	int out[2], sup[2], err;
	pid_t pid;

	ext_kind = kind;
	/* At the checkpoint, EXT_FD of the child leads to the test. */
	ASSERT_EQ(0, kind ? socketpair(AF_UNIX, SOCK_STREAM, 0, out) : pipe(out));
	ASSERT_EQ(EXT_FD, dup2(out[1], EXT_FD));
	checkpoint_child(_metadata, self, scenario_external, 100);
	close(EXT_FD);
	close(out[0]);
	close(out[1]);

	/* Not supplied, or close-on-exec: refused, the caller still running. */
	pid = exec_with_ext(_metadata, self, -1, false, &err);
	EXPECT_EQ(0, pid);
	EXPECT_EQ(EBADF, err);
	ASSERT_EQ(0, kind ? socketpair(AF_UNIX, SOCK_STREAM, 0, sup) : pipe(sup));
	pid = exec_with_ext(_metadata, self, sup[1], true, &err);
	EXPECT_EQ(0, pid);
	EXPECT_EQ(EBADF, err);

	/* Supplied: the restored process writes to the caller's. */
	pid = exec_with_ext(_metadata, self, sup[1], false, &err);
	ASSERT_NE(0, pid) TH_LOG("exec failed: %s", strerror(err));
	close(sup[1]);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("external ok", buf);
	EXPECT_EQ(3, read(sup[0], got, sizeof(got) - 1));
	EXPECT_STREQ("ext", got);
	close(sup[0]);
}

TEST_F(rt, external_pipe_supplied_or_ebadf)
{
	external_round_trip(_metadata, self, 0);
}

TEST_F(rt, external_unix_socket_supplied_or_ebadf)
{
	external_round_trip(_metadata, self, 1);
}

static volatile sig_atomic_t ckpt_passed;

static void on_rtmax(int sig)
{
	ckpt_passed = 1;
}

/*
 * State that refuses the checkpoint: a child sets it up with @setup (0 on
 * success, else its exit status), is sent SIGCKPT in exit mode, and must
 * go on (SIGRTMAX, sent after SIGCKPT, is taken after it: lower numbers
 * first) with no image written. @what names the case in messages.
 */
static void expect_refused(struct __test_metadata *_metadata, FIXTURE_DATA(rt) *self,
			   int (*setup)(FIXTURE_DATA(rt) *self, int arg), int arg,
			   const char *what)
{
	union sigval v = { .sival_int = CR_MODE_EXIT };
	int ready[2], status;
	struct stat st;
	char c = 0;

	ASSERT_EQ(0, pipe(ready));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0) {
		int ret;

		prctl(PR_SET_NAME, CHILD_NAME);
		signal(SIGRTMAX, on_rtmax);
		if (chdir(self->dir))
			_exit(1);
		ret = setup(self, arg);
		if (ret)
			_exit(ret);
		if (write(ready[1], "r", 1) != 1)
			_exit(5);
		while (!ckpt_passed)
			usleep(1000);
		if (write(ready[1], "a", 1) != 1)
			_exit(6);
		pause();
		_exit(7);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		waitpid(self->child, &status, 0);
		self->child = 0;
		ASSERT_TRUE(0) TH_LOG("%s: set-up failed: status %#x", what, status);
	}
	ASSERT_EQ(0, sigqueue(self->child, SIGCKPT, v));
	ASSERT_EQ(0, kill(self->child, SIGRTMAX));
	c = 0;
	if (read(ready[0], &c, 1) != 1)
		c = 0;
	kill(self->child, SIGKILL);
	ASSERT_EQ(self->child, waitpid(self->child, &status, 0));
	self->child = 0;
	EXPECT_EQ('a', c) TH_LOG("%s: the checkpoint did not refuse: status %#x", what, status);
	EXPECT_NE(0, stat(self->image, &st));
	close(ready[0]);
}

/*
 * A socket of the process's own that cannot be saved, at EXT_FD: @arg is
 * which. A connection waiting in a unix listener's accept queue from a
 * client gone would be lost (the checkpoint may be retried); a
 * descriptor in flight on a unix datagram socket, raw sockets, a
 * packet socket with its ring mapped, and options not saved (on a TCP
 * listener, on a UDP socket), refuse. (A UDP socket's queued datagrams and multicast options are
 * saved: udp_bound_connected_and_options,
 * udp_multicast_memberships_and_ipv6_receive_options; a TCP listener's
 * connections not accepted yet: tcp_connections_not_accepted_yet; a unix
 * datagram socket's messages, and connections from clients of the tree:
 * unix_datagram_messages_queued_with_their_senders,
 * unix_connections_not_accepted_yet.)
 */
static const struct {
	int domain, type;
	bool bind_it, listen_it;
	int extra;	/* 1: a descriptor in flight; 2: a connection to accept
			 * (its client closed); 3: raw; 4, 6: an option not
			 * saved (IP_OPTIONS, SO_WIFI_STATUS); 5:
			 * SO_TIMESTAMP with a datagram queued (its arrival time
			 * is not saved); 7: a packet socket's ring mapped
			 */
} own_sockets[] = {
	{ AF_INET, SOCK_STREAM, true, true, 6 },
	{ AF_INET, SOCK_RAW, false, false, 3 },
	{ AF_UNIX, SOCK_STREAM, true, true, 2 },
	{ AF_UNIX, SOCK_DGRAM, true, false, 1 },
	{ AF_PACKET, SOCK_RAW, false, false, 7 },
	{ AF_INET, SOCK_DGRAM, true, false, 4 },
	{ AF_INET, SOCK_DGRAM, true, false, 5 },
};

static int own_socket(FIXTURE_DATA(rt) *self, int arg)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int domain = own_sockets[arg].domain, s, t;
	socklen_t len = sizeof(in);

	snprintf(un.sun_path, sizeof(un.sun_path), "%s/sock", self->dir);
	unlink(un.sun_path);
	s = socket(domain, own_sockets[arg].type,
		   own_sockets[arg].extra == 3 ? IPPROTO_ICMP : 0);
	if (s < 0 || dup2(s, EXT_FD) < 0)
		return 2;
	if (own_sockets[arg].bind_it &&
	    (domain == AF_INET ? bind(s, (void *)&in, sizeof(in)) :
				 bind(s, (void *)&un, sizeof(un))))
		return 3;
	if (own_sockets[arg].listen_it && listen(s, 4))
		return 4;
	/* Three NOPs and the end of the list. */
	if (own_sockets[arg].extra == 4 &&
	    setsockopt(s, IPPROTO_IP, IP_OPTIONS, "\x01\x01\x01\x00", 4))
		return 7;
	if (own_sockets[arg].extra == 6 &&
	    setsockopt(s, SOL_SOCKET, SO_WIFI_STATUS, &(int){ 1 }, sizeof(int)))
		return 9;
	if (own_sockets[arg].extra == 5 &&
	    (setsockopt(s, SOL_SOCKET, SO_TIMESTAMP, &(int){ 1 }, sizeof(int)) ||
	     getsockname(s, (void *)&in, &len) ||
	     sendto(s, "t", 1, 0, (void *)&in, len) != 1))
		return 8;
	if (own_sockets[arg].extra == 7) {
		struct tpacket_req ring = { 4096, 1, 1024, 4 };

		if (setsockopt(s, SOL_PACKET, PACKET_RX_RING, &ring, sizeof(ring)) ||
		    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0) == MAP_FAILED)
			return 10;
	}
	if (own_sockets[arg].extra == 1 || own_sockets[arg].extra == 2) {
		if (domain == AF_INET && getsockname(s, (void *)&in, &len))
			return 5;
		char cm[CMSG_SPACE(sizeof(int))] = {};
		struct iovec iov = { .iov_base = "queued", .iov_len = 6 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm,
				     .msg_controllen = sizeof(cm) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &s, sizeof(int));
		t = socket(domain, own_sockets[arg].type, 0);
		if (t < 0 || (domain == AF_INET ? connect(t, (void *)&in, len) :
						  connect(t, (void *)&un, sizeof(un))) ||
		    (own_sockets[arg].extra == 1 && sendmsg(t, &mh, 0) != 6))
			return 6;
		if (domain == AF_UNIX && own_sockets[arg].extra == 2)
			close(t);
		usleep(20000);
	}
	return 0;
}

TEST_F(rt, own_sockets_refuse_checkpoint)
{
	char what[64];

	for (int i = 0; i < (int)(sizeof(own_sockets) / sizeof(own_sockets[0])); i++) {
		snprintf(what, sizeof(what), "domain %d type %d", own_sockets[i].domain,
			 own_sockets[i].type);
		expect_refused(_metadata, self, own_socket, i, what);
	}
}

/*
 * fanotify state the checkpoint refuses, @arg is which: a mark on a file
 * removed since (still open), an event of a group that reports file handles waiting
 * to be read, a permission event waiting for its answer (from a process
 * outside the tree, blocked in open()), a mark on a mount covered by
 * another since.
 */
static const char *const fanotify_refusals[] = {
	"a fanotify mark is on a file removed since",
	"fanotify events that report file handles or a filesystem error wait",
	"a fanotify permission event waits to be read or answered",
	"a fanotify mark is on a mount that no path of the process leads to",
};

static int fanotify_kmsg = -1;	/* the test's, which the child does not keep */

static int fanotify_unsaved(FIXTURE_DATA(rt) *self, int arg)
{
	int fa;

	close(fanotify_kmsg);
	close(open("fan", O_RDWR | O_CREAT, 0600));
	mkdir("fan-dir", 0700);
	if (arg == 0) {
		/* Still open, so still marked: a removed file's last name drops its marks. */
		fa = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
		if (fa < 0 || open("fan", O_RDONLY) < 0 ||
		    fanotify_mark(fa, FAN_MARK_ADD, FAN_MODIFY, AT_FDCWD, "fan") || unlink("fan"))
			return 2;
	} else if (arg == 1) {
		fa = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY);
		if (fa < 0 || fanotify_mark(fa, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD, "fan-dir"))
			return 2;
		close(open("fan-dir/new", O_RDWR | O_CREAT, 0600));
	} else if (arg == 3) {
		mkdir("cov", 0700);
		fa = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
		if (fa < 0 || mount("tmpfs", "cov", "tmpfs", 0, NULL) ||
		    fanotify_mark(fa, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD, "cov") ||
		    mount("tmpfs", "cov", "tmpfs", 0, NULL))
			return 2;
	} else {
		pid_t pid;

		fa = fanotify_init(FAN_CLASS_CONTENT, O_RDONLY);
		if (fa < 0 || fanotify_mark(fa, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, "fan"))
			return 2;
		/* A grandchild, outside the tree once its parent is gone. */
		pid = fork();
		if (pid == 0) {
			if (fork() == 0) {
				close(fa);
				close(open("fan", O_RDONLY));
				_exit(0);
			}
			_exit(0);
		}
		waitpid(pid, NULL, 0);
		usleep(200000);
	}
	return 0;
}

TEST_F(rt, fanotify_unsaved_state_refuses_checkpoint)
{
	char cov[128];

	snprintf(cov, sizeof(cov), "%s/cov", self->dir);
	for (int i = 0; i < 4; i++) {
		fanotify_kmsg = kmsg_open();
		ASSERT_LE(0, fanotify_kmsg);
		expect_refused(_metadata, self, fanotify_unsaved, i, fanotify_refusals[i]);
		EXPECT_TRUE(kmsg_has(fanotify_kmsg, fanotify_refusals[i]))
			TH_LOG("no '%s'", fanotify_refusals[i]);
		close(fanotify_kmsg);
	}
	umount2(cov, MNT_DETACH);
	umount2(cov, MNT_DETACH);
}

/*
 * A netlink route socket: bound with RTMGRP_LINK, a member of
 * RTNLGRP_STATS (group 36, past bind()'s 32) too, NETLINK_EXT_ACK and
 * SO_RCVBUF set, and two answers queued at the checkpoint (lo's link, and
 * the acknowledgement asked for). After the restore: the same port id,
 * groups and options, the two answers, a new request answered, and a
 * change of lo's MTU (made by the process itself) notified to the group.
 */
static int nl_get_link(int s, unsigned int seq, int ifindex, int flags)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
		       .nlmsg_flags = NLM_F_REQUEST | flags, .nlmsg_seq = seq },
		.i = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex },
	};

	return send(s, &req, sizeof(req), 0) == sizeof(req) ? 0 : -1;
}

/* The next message: its type, sequence, port id, and lo's MTU if a link's. */
static int nl_next(int s, unsigned int *seq, unsigned int *pid, int *err, unsigned int *mtu)
{
	static char buf[16384];
	static ssize_t len, off;
	struct nlmsghdr *h;

	if (off >= len) {
		len = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
		off = 0;
		if (len <= 0)
			return -1;
	}
	h = (struct nlmsghdr *)(buf + off);
	if (!NLMSG_OK(h, len - off))
		return -1;
	off += NLMSG_ALIGN(h->nlmsg_len);
	*seq = h->nlmsg_seq;
	*pid = h->nlmsg_pid;
	if (h->nlmsg_type == NLMSG_ERROR)
		*err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	if (h->nlmsg_type == RTM_NEWLINK && mtu) {
		struct ifinfomsg *i = NLMSG_DATA(h);
		struct rtattr *a = IFLA_RTA(i);
		int alen = IFLA_PAYLOAD(h);

		for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen))
			if (a->rta_type == IFLA_MTU && i->ifi_index == 1)
				memcpy(mtu, RTA_DATA(a), sizeof(*mtu));
	}
	return h->nlmsg_type;
}

/* Set lo's MTU, through a socket of its own. */
static int nl_set_mtu(unsigned int mtu)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr a;
		unsigned int mtu;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_NEWLINK,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = 1 },
		.i = { .ifi_family = AF_UNSPEC, .ifi_index = 1 },
		.a = { .rta_len = RTA_LENGTH(sizeof(unsigned int)), .rta_type = IFLA_MTU },
		.mtu = mtu,
	};
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} ack;
	int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	ssize_t n;

	if (s < 0 || send(s, &req, sizeof(req), 0) != sizeof(req))
		return -1;
	n = recv(s, &ack, sizeof(ack), 0);
	close(s);
	return n >= (ssize_t)sizeof(ack.h) && ack.h.nlmsg_type == NLMSG_ERROR ? ack.e.error : -1;
}

static void scenario_netlink(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	unsigned int seq, pid, portid, mtu = 0, groups[4] = {}, rcv = 0;
	socklen_t len = sizeof(a), glen = sizeof(groups), ilen = sizeof(int);
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int one = 1, g = RTNLGRP_STATS, size = 65536, err = 1, ext = 0, type, n;

	if (s < 0 || bind(s, (void *)&a, sizeof(a)) ||
	    setsockopt(s, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) ||
	    setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) ||
	    getsockname(s, (void *)&a, &len) || nl_get_link(s, 41, 1, NLM_F_ACK))
		report("netlink: set-up failed (%d)", errno);
	portid = a.nl_pid;
	while (!restored())
		usleep(10000);
	len = sizeof(a);
	if (getsockname(s, (void *)&a, &len) || a.nl_pid != portid)
		report("netlink: port id %u, not %u", a.nl_pid, portid);
	if (getsockopt(s, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups, &glen) ||
	    groups[0] != 1 << (RTNLGRP_LINK - 1) || groups[1] != 1U << (RTNLGRP_STATS - 33))
		report("netlink: groups %#x %#x", groups[0], groups[1]);
	if (getsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &ext, &ilen) || ext != 1 ||
	    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcv, &ilen) || rcv != 2 * 65536)
		report("netlink: NETLINK_EXT_ACK %d, SO_RCVBUF %u", ext, rcv);
	type = nl_next(s, &seq, &pid, &err, &mtu);
	if (type != RTM_NEWLINK || seq != 41 || pid != portid || !mtu)
		report("netlink: first queued message type %d seq %u pid %u", type, seq, pid);
	type = nl_next(s, &seq, &pid, &err, NULL);
	if (type != NLMSG_ERROR || seq != 41 || err)
		report("netlink: second queued message type %d seq %u error %d", type, seq, err);
	if (nl_next(s, &seq, &pid, &err, NULL) != -1)
		report("netlink: more queued than the two answers");
	if (nl_get_link(s, 42, 1, 0))
		report("netlink: cannot send (%d)", errno);
	usleep(10000);
	type = nl_next(s, &seq, &pid, &err, NULL);
	if (type != RTM_NEWLINK || seq != 42 || pid != portid)
		report("netlink: the new request's answer is type %d seq %u", type, seq);
	if (nl_set_mtu(mtu - 1) || nl_set_mtu(mtu))
		report("netlink: cannot change lo's MTU");
	usleep(10000);
	for (n = 0; (type = nl_next(s, &seq, &pid, &err, NULL)) != -1;)
		n += type == RTM_NEWLINK && seq == 0;
	if (n < 2)
		report("netlink: %d link notifications, not 2", n);
	report("netlink ok");
}

TEST_F(rt, netlink_route_socket_port_groups_options_and_queue)
{
	round_trip(_metadata, self, scenario_netlink, "netlink ok");
}

/*
 * A netlink socket of another protocol than NETLINK_ROUTE is refused, and
 * a route one with an option the image does not hold (SO_PASSCRED: arg 0).
 */
static int netlink_other(FIXTURE_DATA(rt) *self, int arg)
{
	int s = socket(AF_NETLINK, SOCK_RAW, arg), one = 1;

	if (s < 0)
		return 2;
	if (!arg && setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)))
		return 3;
	return 0;
}

TEST_F(rt, netlink_other_protocols_refused)
{
	expect_refused(_metadata, self, netlink_other, NETLINK_GENERIC, "NETLINK_GENERIC socket");
	expect_refused(_metadata, self, netlink_other, NETLINK_KOBJECT_UEVENT,
		       "NETLINK_KOBJECT_UEVENT socket");
	expect_refused(_metadata, self, netlink_other, NETLINK_ROUTE,
		       "NETLINK_ROUTE socket with SO_PASSCRED");
}

/*
 * Signals sent while the restore loads 64 MiB of memory: held until the
 * restored handler is back, then delivered to it; none kills the process
 * with the default action it has meanwhile. A real-time signal, queued
 * each time (a second SIGUSR1 would be dropped while one is pending, and
 * one sent before the exec stays pending through it).
 */
#define HELD_LEN	(64UL << 20)
#define HELD_SIG	(SIGRTMIN + 3)
static volatile sig_atomic_t held_sigs;

static void on_held_sig(int sig)
{
	held_sigs++;
}

static void scenario_held_signals(void)
{
	uint64_t *m = malloc(HELD_LEN);
	uint64_t sum;
	double t;

	signal(HELD_SIG, on_held_sig);
	if (!m)
		report("held: malloc");
	for (size_t i = 0; i < HELD_LEN / 8; i++)
		m[i] = i * 0x9e3779b97f4a7c15ULL;
	sum = fnv(m, HELD_LEN);
	while (!restored())
		usleep(10000);
	t = now();
	while (!held_sigs && now() - t < 10)
		usleep(1000);
	if (!held_sigs)
		report("held: no signal reached the handler");
	if (fnv(m, HELD_LEN) != sum)
		report("held: memory differs");
	report("held ok");
}

static void on_held_caller(int sig)
{
}

TEST_F(rt, signals_during_the_restore_held_for_the_handlers)
{
	char buf[REPORT_MAX];
	pid_t pid;
	double t;

	/* Time to fill the memory before the checkpoint. */
	checkpoint_child(_metadata, self, scenario_held_signals, 2000);
	/* The caller has a handler, which exec resets to the default. */
	signal(HELD_SIG, on_held_caller);
	pid = restore_image(_metadata, self, NULL);
	t = now();
	while (now() - t < 3 && (kill(pid, HELD_SIG) == 0 || errno == EAGAIN))
		usleep(1000);
	restored_report(_metadata, self, pid, buf);
	signal(HELD_SIG, SIG_DFL);
	EXPECT_STREQ("held ok", buf);
}

/*
 * A umask without the owner's execute bit: the image is still its
 * owner's to execute (mode 0700), and the restored process has that umask.
 */
static void scenario_umask(void)
{
	umask(0177);
	while (!restored())
		usleep(10000);
	report("umask %04o", umask(0));
}

TEST_F(rt, image_executable_whatever_the_umask)
{
	struct stat st;
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_umask, 100);
	ASSERT_EQ(0, stat(self->image, &st));
	EXPECT_EQ(0700, st.st_mode & 0777);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("umask 0177", buf);
}

/*
 * An event loop's descriptors (CR_FD_EVENTFD, CR_FD_SIGNALFD,
 * CR_FD_TIMERFD, CR_FD_EPOLL): what /proc/self/fdinfo shows of each is
 * the same after the restore (but the time left, the expirations and the
 * inode numbers), and each works: the counters read back, the pending
 * signal comes out of the signalfd, the timers keep their time left and
 * period, the epoll reports what is ready with its data.
 */
enum { EV_EFD = 30, EV_SEM, EV_SFD, EV_TPER, EV_TONE, EV_TABS, EV_EP, EV_END };

static char ev_before[EV_END - EV_EFD][640];

static int ev_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * What fdinfo shows of @fd, less what changes across any restore, its
 * lines sorted (an epoll lists its targets by the address of their files).
 */
static void ev_fdinfo(int fd, char *out, size_t len)
{
	static const char *const skip[] = { "pos:", "mnt_id:", "ino:", "eventfd-id:",
					    "ticks:", "it_value:" };
	static char lines[16][96];
	unsigned int i, nr = 0;
	char path[64];
	size_t n = 0;
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return;
	while (nr < 16 && fgets(lines[nr], sizeof(lines[0]), f)) {
		char *p = strstr(lines[nr], " pos:");
		bool keep = true;

		for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
			keep &= strncmp(lines[nr], skip[i], strlen(skip[i])) != 0;
		if (!keep)
			continue;
		if (p)
			strcpy(p, "\n");
		nr++;
	}
	fclose(f);
	qsort(lines, nr, sizeof(lines[0]), ev_cmp);
	for (i = 0; i < nr && n < len - 1; i++)
		n += snprintf(out + n, len - n, "%s", lines[i]);
}

/* The first line of @a that @b has not, for a report. */
static const char *ev_first_diff(const char *a, const char *b, char *buf, size_t len)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	while (i && a[i - 1] != '\n')
		i--;
	snprintf(buf, len, "%.*s", (int)strcspn(a + i, "\n"), a + i);
	return buf;
}

static void ev_setup(void)
{
	struct itimerspec per = { { 0, 50000000 }, { 0, 50000000 } };
	struct itimerspec one = { { 0, 0 }, { 2, 0 } };
	struct itimerspec abs = {};
	struct epoll_event ev;
	sigset_t set;
	struct {
		int fd;
		uint32_t events;
		uint64_t data;
	} watch[] = {
		{ EV_EFD, EPOLLIN, 0x1111 }, { EV_SFD, EPOLLIN | EPOLLET, 0x2222 },
		{ EV_TPER, EPOLLIN, 0x3333 }, { INPUT_FD, EPOLLIN | EPOLLRDHUP, 0x4444 },
		{ EV_TABS, EPOLLIN | EPOLLONESHOT, 0x5555 },
	};
	unsigned int i;
	uint64_t five = 5;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &set, NULL);
	clock_gettime(CLOCK_REALTIME, &abs.it_value);
	abs.it_value.tv_nsec += 500000000;
	abs.it_value.tv_sec += 1 + abs.it_value.tv_nsec / 1000000000;
	abs.it_value.tv_nsec %= 1000000000;
	if (dup2(eventfd(0, EFD_NONBLOCK), EV_EFD) != EV_EFD ||
	    write(EV_EFD, &five, sizeof(five)) != sizeof(five) ||
	    dup3(eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK), EV_SEM, O_CLOEXEC) != EV_SEM ||
	    dup2(signalfd(-1, &set, SFD_NONBLOCK), EV_SFD) != EV_SFD ||
	    dup2(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK), EV_TPER) != EV_TPER ||
	    timerfd_settime(EV_TPER, 0, &per, NULL) ||
	    dup2(timerfd_create(CLOCK_BOOTTIME, 0), EV_TONE) != EV_TONE ||
	    timerfd_settime(EV_TONE, 0, &one, NULL) ||
	    dup2(timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK), EV_TABS) != EV_TABS ||
	    timerfd_settime(EV_TABS, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &abs, NULL) ||
	    dup3(epoll_create1(0), EV_EP, O_CLOEXEC) != EV_EP)
		_exit(30);
	for (i = 0; i < sizeof(watch) / sizeof(watch[0]); i++) {
		ev.events = watch[i].events;
		ev.data.u64 = watch[i].data;
		if (epoll_ctl(EV_EP, EPOLL_CTL_ADD, watch[i].fd, &ev))
			_exit(31);
	}
	raise(SIGUSR2);
	for (i = EV_EFD; i < EV_END; i++)
		ev_fdinfo(i, ev_before[i - EV_EFD], sizeof(ev_before[0]));
}

static void scenario_events(void)
{
	char after[sizeof(ev_before[0])], diff[2][64];
	struct signalfd_siginfo si;
	struct epoll_event evs[8];
	struct itimerspec left;
	uint64_t n, seen = 0;
	int i, nr;
	double t;

	keep_only_fds((int []){ REPORT_FD, INPUT_FD, -1 });
	ev_setup();
	while (!restored())
		usleep(10000);
	/* Some time for the 50 ms timer to fire again, the wall-clock one to pass. */
	usleep(100000);
	for (i = EV_EFD; i < EV_END; i++) {
		ev_fdinfo(i, after, sizeof(after));
		if (strcmp(ev_before[i - EV_EFD], after))
			report("events: fd %d fdinfo: '%s' became '%s'", i,
			       ev_first_diff(ev_before[i - EV_EFD], after, diff[0], sizeof(diff[0])),
			       ev_first_diff(after, ev_before[i - EV_EFD], diff[1], sizeof(diff[1])));
	}
	nr = epoll_wait(EV_EP, evs, 8, 0);
	for (i = 0; i < nr; i++)
		seen |= 1ULL << (evs[i].data.u64 >> 12);
	/* 0x1111: eventfd; 0x2222: signal; 0x3333, 0x5555: timers; not the input pipe. */
	if (nr < 0 || seen != 0x2e)
		report("events: epoll_wait %d, ready data %#llx", nr, (unsigned long long)seen);
	if (read(EV_EFD, &n, sizeof(n)) != sizeof(n) || n != 5)
		report("events: eventfd read %llu", (unsigned long long)n);
	if (read(EV_SEM, &n, sizeof(n)) != sizeof(n) || n != 1)
		report("events: semaphore eventfd read %llu", (unsigned long long)n);
	ev_fdinfo(EV_SEM, after, sizeof(after));
	if (!strstr(after, "eventfd-count:                2\n"))
		report("events: semaphore eventfd after a read: %s", after);
	if (read(EV_SFD, &si, sizeof(si)) != sizeof(si) || si.ssi_signo != SIGUSR2)
		report("events: signalfd read no SIGUSR2");
	/* 300 ms before the checkpoint, 100 ms after the restore. */
	if (read(EV_TPER, &n, sizeof(n)) != sizeof(n) || n < 5 || n > 30)
		report("events: periodic timerfd: %llu expirations", (unsigned long long)n);
	if (read(EV_TABS, &n, sizeof(n)) != sizeof(n) || n != 1)
		report("events: wall-clock timerfd: %llu expirations", (unsigned long long)n);
	if (timerfd_gettime(EV_TONE, &left))
		report("events: timerfd_gettime");
	t = left.it_value.tv_sec + left.it_value.tv_nsec / 1e9;
	/* 2 s less the 0.3 s before the checkpoint and 0.1 s after, not the gap. */
	if (t < 1.0 || t > 1.7)
		report("events: one-shot timerfd: %.3f s left", t);
	if (read(EV_TONE, &n, sizeof(n)) != sizeof(n) || n != 1)
		report("events: one-shot timerfd did not fire");
	report("events ok");
}

TEST_F(rt, eventfd_signalfd_timerfd_epoll)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_events, 300);
	/* Two seconds on disk: the wall-clock timer passes, the others wait. */
	usleep(2000000);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("events ok", buf);
}

/*
 * Event files the checkpoint must refuse: one held outside the tree too
 * (@arg 0: here by the test, which made it before the fork), and an epoll
 * whose target's number was closed and reused since it was added (@arg 1).
 */
static int shared_efd = -1;

static int event_refused(FIXTURE_DATA(rt) *self, int arg)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int p[2];

	if (arg == 0)
		return dup2(shared_efd, 20) == 20 ? 0 : 2;
	if (pipe(p) || epoll_ctl(epoll_create1(0), EPOLL_CTL_ADD, p[0], &ev) ||
	    dup2(p[0], 20) < 0 || dup2(p[1], p[0]) < 0)
		return 2;
	return 0;
}

TEST_F(rt, event_files_held_outside_or_stale_epoll_refused)
{
	shared_efd = eventfd(0, 0);
	ASSERT_LE(0, shared_efd);
	expect_refused(_metadata, self, event_refused, 0, "eventfd held outside");
	close(shared_efd);
	expect_refused(_metadata, self, event_refused, 1, "stale epoll target");
}


static volatile sig_atomic_t pidfd_usr1;

static void pidfd_on_usr1(int sig)
{
	pidfd_usr1++;
}

/*
 * pidfds of a lone process, of itself: one PIDFD_NONBLOCK, dup()ed
 * close-on-exec; one PIDFD_THREAD; an epoll watching the first (never
 * ready while the process lives). After the restore each refers to the
 * process's new pid, pidfd_send_signal() through them reaches it, and
 * the flags and the sharing are as they were.
 */
#define PFD_SELF	40
#define PFD_DUP		41
#define PFD_THREAD	42
#define PFD_EP		43

static void scenario_pidfds(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x40 };
	struct sigaction sa = { .sa_handler = pidfd_on_usr1 };
	int fd;

	keep_only_fds((int []){ REPORT_FD, INPUT_FD, -1 });
	sigaction(SIGUSR1, &sa, NULL);
	fd = syscall(SYS_pidfd_open, getpid(), O_NONBLOCK /* PIDFD_NONBLOCK */);
	if (fd < 0 || dup2(fd, PFD_SELF) != PFD_SELF || dup3(fd, PFD_DUP, O_CLOEXEC) != PFD_DUP)
		_exit(30);
	close(fd);
	fd = syscall(SYS_pidfd_open, getpid(), O_EXCL /* PIDFD_THREAD */);
	if (fd < 0 || dup2(fd, PFD_THREAD) != PFD_THREAD)
		_exit(31);
	close(fd);
	if (dup2(epoll_create1(0), PFD_EP) != PFD_EP ||
	    epoll_ctl(PFD_EP, EPOLL_CTL_ADD, PFD_SELF, &ev))
		_exit(32);
	while (!restored())
		usleep(10000);
	if (pidfd_pid(PFD_SELF) != getpid() || pidfd_pid(PFD_DUP) != getpid() ||
	    pidfd_pid(PFD_THREAD) != getpid())
		report("pidfds: they refer to %d, %d, %d, not to %d", pidfd_pid(PFD_SELF),
		       pidfd_pid(PFD_DUP), pidfd_pid(PFD_THREAD), getpid());
	if (!(fcntl(PFD_SELF, F_GETFL) & O_NONBLOCK) || !(fcntl(PFD_THREAD, F_GETFL) & O_EXCL) ||
	    (fcntl(PFD_SELF, F_GETFL) & O_EXCL) || fcntl(PFD_SELF, F_GETFD) != 0 ||
	    fcntl(PFD_DUP, F_GETFD) != FD_CLOEXEC)
		report("pidfds: flags %#x %#x, fd flags %#x %#x", fcntl(PFD_SELF, F_GETFL),
		       fcntl(PFD_THREAD, F_GETFL), fcntl(PFD_SELF, F_GETFD), fcntl(PFD_DUP, F_GETFD));
	/* One open file: its O_NONBLOCK is shared. */
	if (fcntl(PFD_DUP, F_SETFL, 0) || (fcntl(PFD_SELF, F_GETFL) & O_NONBLOCK))
		report("pidfds: the dup() is another open file");
	if (epoll_wait(PFD_EP, &ev, 1, 0) != 0)
		report("pidfds: a live process's pidfd is ready");
	if (syscall(SYS_pidfd_send_signal, PFD_SELF, SIGUSR1, NULL, 0) ||
	    syscall(SYS_pidfd_send_signal, PFD_THREAD, SIGUSR1, NULL, 0) || pidfd_usr1 != 2)
		report("pidfds: SIGUSR1 through them: %d of 2", (int)pidfd_usr1);
	report("pidfds ok");
}

TEST_F(rt, pidfds_of_itself)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_pidfds, 300);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("pidfds ok", buf);
}

/*
 * pidfds of a child that exited and was reaped (PIDFD_NONBLOCK) and of a
 * thread that ended (PIDFD_THREAD): after the restore they refer to no
 * process, as before: Pid -1, ready for reading with a hang-up, ESRCH to
 * pidfd_send_signal(), ECHILD to waitid(P_PIDFD), their flags kept.
 */
#define PFD_REAPED	44
#define PFD_ENDED	45

static pid_t pidfd_tid;
static sem_t pidfd_thread_go;

static void *pidfd_thread(void *arg)
{
	pidfd_tid = syscall(SYS_gettid);
	sem_wait(&pidfd_thread_go);
	return NULL;
}

/* What a pidfd of no process does not do as it should, or NULL. */
static const char *pidfd_dead_wrong(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	siginfo_t si;

	if (pidfd_pid(fd) != -1)
		return "refers to a process";
	if (poll(&p, 1, 0) != 1 || p.revents != (POLLIN | POLLHUP))
		return "not ready with a hang-up";
	if (syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) != -1 || errno != ESRCH)
		return "a signal does not fail with ESRCH";
	if (waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG) != -1 || errno != ECHILD)
		return "waitid() does not fail with ECHILD";
	return NULL;
}

static void scenario_pidfds_reaped(void)
{
	const char *wrong;
	pthread_t th;
	pid_t child;
	int fd;

	keep_only_fds((int []){ REPORT_FD, INPUT_FD, -1 });
	child = fork();
	if (child == 0)
		_exit(3);
	fd = syscall(SYS_pidfd_open, child, O_NONBLOCK /* PIDFD_NONBLOCK */);
	if (child < 0 || fd < 0 || dup2(fd, PFD_REAPED) != PFD_REAPED ||
	    waitpid(child, NULL, 0) != child)
		_exit(30);
	close(fd);
	if (sem_init(&pidfd_thread_go, 0, 0) || pthread_create(&th, NULL, pidfd_thread, NULL))
		_exit(31);
	while (!__atomic_load_n(&pidfd_tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	fd = syscall(SYS_pidfd_open, pidfd_tid, O_EXCL /* PIDFD_THREAD */);
	if (fd < 0 || dup2(fd, PFD_ENDED) != PFD_ENDED || sem_post(&pidfd_thread_go) ||
	    pthread_join(th, NULL))
		_exit(32);
	close(fd);
	/* Gone from the process: its pidfd is ready once it is reaped. */
	while (pidfd_pid(PFD_ENDED) != -1)
		usleep(1000);
	while (!restored())
		usleep(10000);
	wrong = pidfd_dead_wrong(PFD_REAPED);
	if (wrong)
		report("pidfds: the reaped child's %s", wrong);
	wrong = pidfd_dead_wrong(PFD_ENDED);
	if (wrong)
		report("pidfds: the ended thread's %s", wrong);
	if (!(fcntl(PFD_REAPED, F_GETFL) & O_NONBLOCK) || !(fcntl(PFD_ENDED, F_GETFL) & O_EXCL))
		report("pidfds: flags %#x %#x", fcntl(PFD_REAPED, F_GETFL), fcntl(PFD_ENDED, F_GETFL));
	report("pidfds ok");
}

TEST_F(rt, pidfds_of_a_reaped_child_and_an_ended_thread)
{
	round_trip(_metadata, self, scenario_pidfds_reaped, "pidfds ok");
}

/*
 * A pidfd of another thread of the process (PIDFD_THREAD), as a thread
 * pool's manager holds one: after the restore it refers to that thread
 * as restored (its tid now), pidfd_send_signal() with PIDFD_SIGNAL_THREAD
 * reaches that thread, and it is ready once the thread ends.
 */
#define PFD_WORKER	46

static volatile pid_t pidfd_worker_now, pidfd_usr2_tid;
static sem_t pidfd_worker_go;

static void pidfd_on_usr2(int sig)
{
	pidfd_usr2_tid = syscall(SYS_gettid);
}

static void *pidfd_worker(void *arg)
{
	pidfd_tid = syscall(SYS_gettid);
	while (!restored())
		usleep(10000);
	pidfd_worker_now = syscall(SYS_gettid);
	while (sem_wait(&pidfd_worker_go) && errno == EINTR)
		;
	return NULL;
}

static void scenario_pidfd_thread(void)
{
	struct sigaction sa = { .sa_handler = pidfd_on_usr2 };
	struct pollfd p = { .fd = PFD_WORKER, .events = POLLIN };
	pthread_t th;
	int fd, i;

	keep_only_fds((int []){ REPORT_FD, INPUT_FD, -1 });
	sigaction(SIGUSR2, &sa, NULL);
	if (sem_init(&pidfd_worker_go, 0, 0) || pthread_create(&th, NULL, pidfd_worker, NULL))
		_exit(30);
	while (!__atomic_load_n(&pidfd_tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	fd = syscall(SYS_pidfd_open, pidfd_tid, O_EXCL /* PIDFD_THREAD */);
	if (fd < 0 || dup2(fd, PFD_WORKER) != PFD_WORKER)
		_exit(31);
	close(fd);
	while (!restored())
		usleep(10000);
	for (i = 0; i < 500 && !pidfd_worker_now; i++)
		usleep(10000);
	if (!pidfd_worker_now || pidfd_pid(PFD_WORKER) != pidfd_worker_now ||
	    !(fcntl(PFD_WORKER, F_GETFL) & O_EXCL))
		report("pidfd thread: refers to %d, the thread is %d (flags %#x)",
		       pidfd_pid(PFD_WORKER), pidfd_worker_now, fcntl(PFD_WORKER, F_GETFL));
	if (poll(&p, 1, 0) != 0)
		report("pidfd thread: ready while the thread lives");
	if (syscall(SYS_pidfd_send_signal, PFD_WORKER, SIGUSR2, NULL, 1 /* PIDFD_SIGNAL_THREAD */))
		report("pidfd thread: pidfd_send_signal (%d)", errno);
	for (i = 0; i < 500 && !pidfd_usr2_tid; i++)
		usleep(10000);
	if (pidfd_usr2_tid != pidfd_worker_now)
		report("pidfd thread: SIGUSR2 caught by %d, not %d", pidfd_usr2_tid,
		       pidfd_worker_now);
	if (sem_post(&pidfd_worker_go) || pthread_join(th, NULL))
		report("pidfd thread: join");
	if (poll(&p, 1, 2000) != 1 || !(p.revents & POLLIN))
		report("pidfd thread: not ready once the thread ended (%#x)", p.revents);
	report("pidfd thread ok");
}

/* A pidfd of a process outside the tree: here, of the test. */
static int pidfd_refused(FIXTURE_DATA(rt) *self, int arg)
{
	int fd = syscall(SYS_pidfd_open, getppid(), 0);

	return fd >= 0 && dup2(fd, 20) == 20 ? 0 : 2;
}

TEST_F(rt, pidfd_of_a_process_outside_refused)
{
	expect_refused(_metadata, self, pidfd_refused, 0, "pidfd of the test");
}


static void *note_desc(struct image *img, const char *owner, unsigned int type,
		       size_t *size)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img->buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img->buf + eh->e_phoff);
	size_t off = ph[0].p_offset, end = off + ph[0].p_filesz;

	while (off + sizeof(Elf64_Nhdr) <= end) {
		Elf64_Nhdr *nh = (Elf64_Nhdr *)(img->buf + off);
		size_t desc = off + sizeof(*nh) + ((nh->n_namesz + 3) & ~3UL);

		if (nh->n_type == type && !strcmp((char *)(nh + 1), owner)) {
			if (size)
				*size = nh->n_descsz;
			return img->buf + desc;
		}
		off = desc + ((nh->n_descsz + 3) & ~3UL);
	}
	return NULL;
}

#define PR_REG(r)	(112 + offsetof(struct user_regs_struct, r))

static bool corrupt(struct image *img, int which)
{
	unsigned char *d;
	size_t size;
	uint64_t v;

	switch (which) {
	case 0:		/* a mapping that does not match its segment */
		d = note_desc(img, CR_NOTE_NAME, NT_CR_VMAS, NULL);
		if (d)
			((struct cr_vma *)d)->start += 4096;
		return d;
	case 1:		/* a page run outside every segment */
		d = note_desc(img, CR_NOTE_NAME, NT_CR_PAGES, &size);
		if (d && size)
			((struct cr_page_run *)d)->start = 0x1000;
		return d && size;
	case 2:		/* a 32-bit code segment */
		d = note_desc(img, "CORE", NT_PRSTATUS, NULL);
		v = 0x23;
		if (d)
			memcpy(d + PR_REG(cs), &v, 8);
		return d;
	case 3:		/* a kernel fs base */
		d = note_desc(img, "CORE", NT_PRSTATUS, NULL);
		v = 0xffff888000000000ull;
		if (d)
			memcpy(d + PR_REG(fs_base), &v, 8);
		return d;
	case 4:		/* a handler for SIGKILL */
		d = note_desc(img, CR_NOTE_NAME, NT_CR_SIGHAND, NULL);
		if (d)
			((struct cr_sigaction *)d)[SIGKILL - 1].handler = 0x400000;
		return d;
	case 5:		/* reserved MXCSR bits */
		d = note_desc(img, "LINUX", NT_X86_XSTATE, NULL);
		if (d)
			memset(d + 24, 0xff, 4);
		return d;
	case 6:		/* a mapped file that is gone */
		d = note_desc(img, "CORE", NT_FILE, &size);
		if (d)
			d[size - 2] ^= 0x20;	/* last letter of the last name */
		return d;
	case 7:		/* an unknown descriptor kind */
		d = note_desc(img, CR_NOTE_NAME, NT_CR_FILES, NULL);
		if (d && ((struct cr_hdr_files *)d)->nr_fds)
			((struct cr_fd *)(d + sizeof(struct cr_hdr_files)))->kind = 9;
		return d;
	case 8:		/* a working directory that is gone */
		d = note_desc(img, CR_NOTE_NAME, NT_CR_PROCESS, &size);
		if (d)
			d[size - 2] ^= 0x20;
		return d;
	case 9:		/* another personality */
		d = note_desc(img, CR_NOTE_NAME, NT_CR_PROCESS, NULL);
		if (d)
			((struct cr_hdr_process *)d)->personality = 0x0004;
		return d;
	case 10:	/* a mapping count that disagrees */
		d = note_desc(img, CR_NOTE_NAME, NT_CR_MM, NULL);
		if (d)
			((struct cr_hdr_mm *)d)->nr_vmas++;
		return d;
	}
	return false;
}

static const struct {
	const char *what;
	int err;
} corruptions[] = {
	{ "mapping moved", EINVAL },
	{ "page run outside", EINVAL },
	{ "32-bit cs", EOPNOTSUPP },
	{ "kernel fs base", EINVAL },
	{ "SIGKILL handler", EINVAL },
	{ "MXCSR reserved bits", EINVAL },
	{ "mapped file gone", ENOENT },
	{ "descriptor kind", EINVAL },
	{ "cwd gone", ENOENT },
	{ "personality", EOPNOTSUPP },
	{ "mapping count", EINVAL },
};

TEST_F(rt, corrupted_images_refused)
{
	char bad[160];
	struct image img;
	struct stat st;
	int fd;

	checkpoint_child(_metadata, self, scenario_counter, 300);
	snprintf(bad, sizeof(bad), "%s/bad.ckpt", self->dir);
	for (unsigned int i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		int status;
		pid_t pid;

		fd = open(self->image, O_RDONLY);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, fstat(fd, &st));
		img.len = st.st_size;
		img.buf = malloc(img.len);
		ASSERT_NE(NULL, img.buf);
		ASSERT_EQ((ssize_t)img.len, read(fd, img.buf, img.len));
		close(fd);
		ASSERT_TRUE(corrupt(&img, i)) TH_LOG("cannot make: %s", corruptions[i].what);
		unlink(bad);
		fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0700);
		ASSERT_LE(0, fd);
		ASSERT_EQ((ssize_t)img.len, write(fd, img.buf, img.len));
		close(fd);
		free(img.buf);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			char *argv[] = { bad, NULL };

			execv(bad, argv);
			_exit(errno);	/* the caller survived the failed exec */
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == corruptions[i].err)
			TH_LOG("%s: status %#x, expected exit %d", corruptions[i].what,
			       status, corruptions[i].err);
	}
	/* The original image still restores. */
	round_trip_image(_metadata, self, "counter ok");
}


/* Threads restored with new ids, as kernel.cr.new_tids allows. */
static void round_trip_new_tids(struct __test_metadata *_metadata,
				FIXTURE_DATA(rt) *self, void (*fn)(void),
				const char *expect)
{
	set_new_tids(1);
	round_trip(_metadata, self, fn, expect);
	set_new_tids(0);
}

TEST_F(rt, pidfd_of_another_thread_of_the_process)
{
	round_trip_new_tids(_metadata, self, scenario_pidfd_thread, "pidfd thread ok");
}

/* SCHED_FIFO 5, which only a privileged caller may give the restored. */
static void scenario_fifo(void)
{
	struct sched_param sp = { .sched_priority = 5 };

	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		report("fifo: set-up failed (%d)", errno);
	while (!restored())
		usleep(10000);
	report("fifo %d", sched_getscheduler(0));
}

/*
 * Restored by a user without CAP_SYS_NICE (whose RLIMIT_RTPRIO, as the
 * image restores it, is root's 0): EPERM from execve(), before the point
 * of no return, instead of a process at another priority.
 */
/*
 * The image, given to nobody (65534), executed by nobody: the wait status
 * (an exec that fails exits with its errno).
 */
static int exec_as_nobody(struct __test_metadata *_metadata, FIXTURE_DATA(rt) *self)
{
	int status;
	pid_t pid;

	if (chmod(self->dir, 0755) || chown(self->image, 65534, 65534))
		return -1;
	pid = fork();
	if (pid == 0) {
		char *argv[] = { self->image, NULL };

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		execv(self->image, argv);
		_exit(errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

TEST_F(rt, scheduling_the_caller_may_not_set_is_eperm)
{
	int status;

	checkpoint_child(_metadata, self, scenario_fifo, 300);
	status = exec_as_nobody(_metadata, self);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EPERM)
		TH_LOG("status %#x, expected exit %d (EPERM)", status, EPERM);
	/* By root, the same image comes back with its policy. */
	ASSERT_EQ(0, chown(self->image, 0, 0));
	round_trip_image(_metadata, self, "fifo 1");
}

TEST_F(rt, scheduling_and_prctl_state_of_threads_and_process)
{
	round_trip_new_tids(_metadata, self, scenario_sched_attrs, "sched ok");
}

/* A filter that fails system call @nr with @err and lets the others through. */
static int seccomp_errno(int nr, int err, unsigned int flags)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = insns };

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* The value of a "Key:" line of /proc/self/task/@tid/status, or -1. */
static long task_status(pid_t tid, const char *key)
{
	char path[64], line[256];
	size_t len = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			v = strtol(line + len + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static volatile int sc_go, sc_done;
static volatile pid_t sc_tid;

/* Fails with the errno of a filter, or 0 when the call went through. */
static int sc_errno(long ret)
{
	return ret < 0 ? errno : 0;
}

static void *seccomp_thread(void *arg)
{
	/* Its id, again after the restore (which may give it a new one). */
	while (!sc_go) {
		sc_tid = syscall(SYS_gettid);
		usleep(1000);
	}
	/* The filters shared with the main thread, and the one TSYNC gave. */
	sc_done = (sc_errno(syscall(SYS_getppid)) == 61) +
		  (sc_errno(syscall(SYS_getsid, 0)) == 63) * 2;
	return NULL;
}

/*
 * seccomp filters come back on each thread, shared as they were: the
 * calls they fail still fail with their errno, /proc shows them, a new
 * filter with SECCOMP_FILTER_FLAG_TSYNC (which needs the threads to share
 * their filters) reaches the other thread, and a child inherits them.
 */
static void scenario_seccomp(void)
{
	pthread_t t;
	int status;
	pid_t pid;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || seccomp_errno(SYS_getppid, 61, 0) ||
	    seccomp_errno(SYS_getpgrp, 62, SECCOMP_FILTER_FLAG_LOG) ||
	    pthread_create(&t, NULL, seccomp_thread, NULL))
		report("seccomp: set-up failed (%d)", errno);
	while (!sc_tid)
		usleep(1000);
	while (!restored())
		usleep(10000);
	usleep(100000);		/* the other thread tells its id again */
	if (task_status(syscall(SYS_gettid), "Seccomp") != 2 ||
	    task_status(syscall(SYS_gettid), "Seccomp_filters") != 2 ||
	    task_status(sc_tid, "Seccomp_filters") != 2)
		report("seccomp: mode %ld, filters %ld and %ld",
		       task_status(syscall(SYS_gettid), "Seccomp"),
		       task_status(syscall(SYS_gettid), "Seccomp_filters"),
		       task_status(sc_tid, "Seccomp_filters"));
	if (sc_errno(syscall(SYS_getppid)) != 61 || sc_errno(syscall(SYS_getpgrp)) != 62)
		report("seccomp: getppid %d, getpgrp %d", sc_errno(syscall(SYS_getppid)),
		       sc_errno(syscall(SYS_getpgrp)));
	status = seccomp_errno(SYS_getsid, 63, SECCOMP_FILTER_FLAG_TSYNC);
	if (status)
		report("seccomp: TSYNC failed: %d (errno %d)", status, errno);
	sc_go = 1;
	pthread_join(t, NULL);
	if (sc_done != 3)
		report("seccomp: the other thread's filters: %d", sc_done);
	pid = fork();
	if (pid == 0)
		_exit(sc_errno(syscall(SYS_getppid)) == 61 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		report("seccomp: a child's filters: status %#x", status);
	report("seccomp ok");
}

TEST_F(rt, seccomp_filters_shared_by_threads)
{
	round_trip_new_tids(_metadata, self, scenario_seccomp, "seccomp ok");
}

static int strict_in[2], strict_out[2];

/* The thread of the process in seccomp mode @mode, or 0. */
static pid_t task_in_mode(long mode)
{
	pid_t tid, found = 0;
	struct dirent *e;
	DIR *d = opendir("/proc/self/task");

	while (d && (e = readdir(d))) {
		tid = atoi(e->d_name);
		if (tid > 0 && task_status(tid, "Seccomp") == mode)
			found = tid;
	}
	if (d)
		closedir(d);
	return found;
}

/* In strict mode: echoes each byte, with read() and write() only. */
static void *strict_thread(void *arg)
{
	char c;

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT))
		return NULL;
	sc_done = 1;
	for (;;)
		if (read(strict_in[0], &c, 1) == 1 && write(strict_out[1], &c, 1) != 1)
			syscall(SYS_exit, 1);
}

/* A thread in strict mode, blocked in read(), is in strict mode again. */
static void scenario_seccomp_strict(void)
{
	char c = 'x';
	pthread_t t;

	if (pipe(strict_in) || pipe(strict_out) ||
	    pthread_create(&t, NULL, strict_thread, NULL))
		report("strict: set-up failed");
	while (!sc_done)
		usleep(1000);
	while (!restored())
		usleep(10000);
	/* The thread has a new id: it is found by its mode. */
	if (!task_in_mode(1) || task_status(syscall(SYS_gettid), "Seccomp") != 0)
		report("strict: no thread in strict mode (%d), main thread in mode %ld",
		       task_in_mode(1), task_status(syscall(SYS_gettid), "Seccomp"));
	if (write(strict_in[1], &c, 1) != 1 || read(strict_out[0], &c, 1) != 1 || c != 'x')
		report("strict: no echo");
	report("strict ok");
}

TEST_F(rt, seccomp_strict_thread)
{
	round_trip_new_tids(_metadata, self, scenario_seccomp_strict, "strict ok");
}

/* A private mapping of a memfd: refused. */
static int memfd_private_mapped(FIXTURE_DATA(rt) *self, int what)
{
	int fd = memfd_create("cr-private", 0);
	void *p;

	if (fd < 0 || ftruncate(fd, 4096))
		return 2;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	return p == MAP_FAILED ? 3 : 0;
}

TEST_F(rt, memfd_name_size_seals_contents_and_mapping)
{
	round_trip(_metadata, self, scenario_memfd, "memfd ok");
}

TEST_F(rt, private_memfd_mapping_refused)
{
	expect_refused(_metadata, self, memfd_private_mapped, 0, "private memfd mapping");
}

/*
 * A watch on a file removed since (still open, so still watched): no
 * path leads to it, so the checkpoint is refused rather than the watch
 * lost.
 */
static int inotify_on_removed(FIXTURE_DATA(rt) *self, int arg)
{
	int in = inotify_init1(IN_NONBLOCK);
	int fd = open("gone", O_RDWR | O_CREAT, 0600);
	char buf[4096];

	if (in < 0 || fd < 0 || inotify_add_watch(in, "gone", IN_MODIFY) != 1 || unlink("gone"))
		return 2;
	while (read(in, buf, sizeof(buf)) > 0)
		;	/* its IN_ATTRIB */
	return 0;
}

TEST_F(rt, inotify_watch_on_removed_file_refused)
{
	expect_refused(_metadata, self, inotify_on_removed, 0, "inotify watch on a removed file");
}

/*
 * A SysV attachment a restore could not attach again as it was: a part
 * of it unmapped (arg 0), or its protection changed (arg 1); or a segment
 * locked in memory (arg 2). Each is removed, to go when the child does.
 */
static int sysv_unsaved(FIXTURE_DATA(rt) *self, int what)
{
	int id = shmget(IPC_PRIVATE, 2 * 4096, IPC_CREAT | 0600);
	char *p = id < 0 ? (void *)-1 : shmat(id, NULL, 0);

	if (p == (void *)-1 || shmctl(id, IPC_RMID, NULL))
		return 2;
	if (what == 0 && munmap(p + 4096, 4096))
		return 3;
	if (what == 1 && mprotect(p, 2 * 4096, PROT_READ))
		return 3;
	if (what == 2 && shmctl(id, SHM_LOCK, NULL))
		return 3;
	return 0;
}

TEST_F(rt, sysv_shm_part_mprotect_or_locked_refused)
{
	expect_refused(_metadata, self, sysv_unsaved, 0, "SysV attachment partly unmapped");
	expect_refused(_metadata, self, sysv_unsaved, 1, "SysV attachment mprotected");
	expect_refused(_metadata, self, sysv_unsaved, 2, "SysV segment locked (SHM_LOCK)");
}

/*
 * SEM_UNDO adjustments: semaphore 0 of a set (value 1) taken with
 * SEM_UNDO, semaphore 1 (value 0) raised by 2 with SEM_UNDO. The exit of
 * an exit-mode checkpoint releases them (1, 0); the restored process
 * holds them again (0, 2), and its own exit releases them once more.
 */
#define SEM_KEY		0x43527602

static int sem_get(void)
{
	return semget(SEM_KEY, 2, 0);
}

static void sem_forget(void)
{
	int id = sem_get();

	if (id >= 0)
		semctl(id, 0, IPC_RMID);
}

static void scenario_sem_undo_held(void)
{
	struct sembuf ops[2] = {
		{ .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO },
		{ .sem_num = 1, .sem_op = 2, .sem_flg = SEM_UNDO },
	};
	int id = semget(SEM_KEY, 2, IPC_CREAT | IPC_EXCL | 0600);

	if (id < 0 || semctl(id, 0, SETVAL, 1) || semop(id, ops, 2))
		report("sem: set-up failed (%d)", errno);
	while (!restored())
		usleep(10000);
	report("sem held %d %d", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
}

/* The values of the set, "v0 v1". */
static void sem_values(char *buf, size_t len)
{
	int id = sem_get();

	snprintf(buf, len, "%d %d", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
}

TEST_F(rt, sem_undo_taken_again)
{
	char buf[REPORT_MAX], vals[32];
	pid_t pid;

	sem_forget();
	checkpoint_child(_metadata, self, scenario_sem_undo_held, 300);
	sem_values(vals, sizeof(vals));
	EXPECT_STREQ("1 0", vals) TH_LOG("the checkpoint's exit did not release them");
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("sem held 0 2", buf);
	sem_values(vals, sizeof(vals));
	EXPECT_STREQ("1 0", vals) TH_LOG("the restored process's exit did not release them");
	sem_forget();
}

/*
 * The semaphore taken by another process since: the exec fails before
 * the point of no return (EAGAIN), and the values stay as they were. The
 * set gone: made again from the image, with the values the exit left
 * (1 0), which the restored process takes again (0 2) and its exit
 * releases (1 0).
 */
TEST_F(rt, sem_undo_taken_by_another_fails_exec_or_gone_made_again)
{
	char buf[REPORT_MAX];
	struct sembuf down = { .sem_num = 0, .sem_op = -1 }, up = { .sem_num = 0, .sem_op = 1 };
	char vals[32];
	int status;
	pid_t pid;

	sem_forget();
	checkpoint_child(_metadata, self, scenario_sem_undo_held, 300);
	ASSERT_EQ(0, semop(sem_get(), &down, 1));
	exec_errno_exit = true;
	pid = restore_image(_metadata, self, NULL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EAGAIN)
		TH_LOG("status %#x, expected exit %d (EAGAIN)", status, EAGAIN);
	sem_values(vals, sizeof(vals));
	EXPECT_STREQ("0 0", vals);
	ASSERT_EQ(0, semop(sem_get(), &up, 1));
	sem_forget();
	ASSERT_GT(0, sem_get());
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("sem held 0 2", buf);
	sem_values(vals, sizeof(vals));
	EXPECT_STREQ("1 0", vals) TH_LOG("the restored process's exit did not release them");
	sem_forget();
}

/*
 * SysV semaphore sets and message queues: set S (key, mode 0640, three
 * semaphores 1 5 0, the first taken with SEM_UNDO: 0 5 0) and queue Q
 * (key, mode 0620, a limit of 9000 bytes, three messages: "one" of type
 * 1, 6000 bytes of type 7, an empty one of type 2). After the restore:
 * the same ids by key, their modes, S's values with the first still
 * held, Q's limit and messages in order. Reports how many messages Q
 * had then (the test may add one), after receiving the three.
 */
#define IPC_SEM_KEY	0x43527603
#define IPC_MSG_KEY	0x43527604
#define IPC_BIG		6000

struct ipc_msg {
	long mtype;
	char mtext[IPC_BIG + 8];
};

static void ipc_forget(void)
{
	int id = semget(IPC_SEM_KEY, 0, 0);

	if (id >= 0)
		semctl(id, 0, IPC_RMID);
	id = msgget(IPC_MSG_KEY, 0);
	if (id >= 0)
		msgctl(id, IPC_RMID, NULL);
}

/* Receive the next message: its type, and its size in *@len. */
static long ipc_receive(int q, struct ipc_msg *m, ssize_t *len)
{
	*len = msgrcv(q, m, sizeof(m->mtext), 0, IPC_NOWAIT);
	return *len < 0 ? -1 : m->mtype;
}

static void scenario_sysv_ipc(void)
{
	unsigned short vals[3] = { 1, 5, 0 };
	struct sembuf take = { .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO };
	int s = semget(IPC_SEM_KEY, 3, IPC_CREAT | IPC_EXCL | 0640);
	int q = msgget(IPC_MSG_KEY, IPC_CREAT | IPC_EXCL | 0620);
	static struct ipc_msg m;
	struct msqid_ds ds;
	struct semid_ds sds;
	ssize_t len;
	int i;

	if (s < 0 || q < 0 || semctl(s, 0, SETALL, vals) || semop(s, &take, 1) ||
	    msgctl(q, IPC_STAT, &ds))
		report("ipc: set-up failed (%d)", errno);
	ds.msg_qbytes = 9000;
	m.mtype = 1;
	strcpy(m.mtext, "one");
	if (msgctl(q, IPC_SET, &ds) || msgsnd(q, &m, 3, 0))
		report("ipc: set-up failed (%d)", errno);
	m.mtype = 7;
	for (i = 0; i < IPC_BIG; i++)
		m.mtext[i] = 'a' + i % 23;
	if (msgsnd(q, &m, IPC_BIG, 0))
		report("ipc: set-up failed (%d)", errno);
	m.mtype = 2;
	if (msgsnd(q, &m, 0, 0))
		report("ipc: set-up failed (%d)", errno);
	while (!restored())
		usleep(10000);
	if (semget(IPC_SEM_KEY, 0, 0) != s || msgget(IPC_MSG_KEY, 0) != q)
		report("ipc: keys lead to %d %d, not %d %d", semget(IPC_SEM_KEY, 0, 0),
		       msgget(IPC_MSG_KEY, 0), s, q);
	if (semctl(s, 0, IPC_STAT, &sds) || (sds.sem_perm.mode & 0777) != 0640 ||
	    sds.sem_nsems != 3)
		report("ipc: S is mode %#o, %lu semaphores", sds.sem_perm.mode,
		       (unsigned long)sds.sem_nsems);
	if (semctl(s, 0, GETALL, vals) || vals[0] != 0 || vals[1] != 5 || vals[2] != 0)
		report("ipc: S holds %u %u %u", vals[0], vals[1], vals[2]);
	if (msgctl(q, IPC_STAT, &ds) || (ds.msg_perm.mode & 0777) != 0620 ||
	    ds.msg_qbytes != 9000)
		report("ipc: Q is mode %#o, limit %lu", ds.msg_perm.mode,
		       (unsigned long)ds.msg_qbytes);
	i = ds.msg_qnum;
	if (ipc_receive(q, &m, &len) != 1 || len != 3 || memcmp(m.mtext, "one", 3))
		report("ipc: Q's first message is type %ld, %zd bytes", m.mtype, len);
	if (ipc_receive(q, &m, &len) != 7 || len != IPC_BIG)
		report("ipc: Q's second message is type %ld, %zd bytes", m.mtype, len);
	for (int j = 0; j < IPC_BIG; j++)
		if (m.mtext[j] != 'a' + j % 23)
			report("ipc: Q's second message differs at byte %d", j);
	if (ipc_receive(q, &m, &len) != 2 || len != 0)
		report("ipc: Q's third message is type %ld, %zd bytes", m.mtype, len);
	report("ipc ok %d", i);
}

/* In the same boot: both still there, as they are now (a message added). */
TEST_F(rt, sysv_sets_and_queues_still_there)
{
	struct ipc_msg m = { .mtype = 9 };
	char buf[REPORT_MAX];
	pid_t pid;
	int q;

	ipc_forget();
	checkpoint_child(_metadata, self, scenario_sysv_ipc, 300);
	q = msgget(IPC_MSG_KEY, 0);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, msgsnd(q, &m, 0, 0));
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("ipc ok 4", buf);
	ipc_forget();
}

/*
 * As in another boot: both gone, made again from the image with their
 * ids; S's first semaphore is released again by the restored process's
 * exit.
 */
TEST_F(rt, sysv_sets_and_queues_made_again)
{
	unsigned short vals[3];
	char buf[REPORT_MAX];
	int s, q, s2, q2;
	pid_t pid;

	ipc_forget();
	checkpoint_child(_metadata, self, scenario_sysv_ipc, 300);
	s = semget(IPC_SEM_KEY, 0, 0);
	q = msgget(IPC_MSG_KEY, 0);
	ASSERT_LE(0, s);
	ASSERT_LE(0, q);
	ipc_forget();
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("ipc ok 3", buf);
	s2 = semget(IPC_SEM_KEY, 0, 0);
	q2 = msgget(IPC_MSG_KEY, 0);
	EXPECT_EQ(s, s2);
	EXPECT_EQ(q, q2);
	ASSERT_EQ(0, semctl(s2, 0, GETALL, vals));
	EXPECT_EQ(1, vals[0]) TH_LOG("the restored process's exit did not release S");
	EXPECT_EQ(5, vals[1]);
	ipc_forget();
}

/*
 * Made again with their ids, which only CAP_CHECKPOINT_RESTORE may choose
 * (kernel.sem_next_id): a user's image whose set and queue are gone fails
 * the user's exec with EPERM, rather than give them other ids.
 */
static void scenario_sysv_ipc_user(void)
{
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		report("ipc: cannot become uid 1000 (%d)", errno);
	prctl(PR_SET_DUMPABLE, 1);
	scenario_sysv_ipc();
}

TEST_F(rt, sysv_sets_made_again_need_cap_checkpoint_restore)
{
	int status;
	pid_t pid;

	ipc_forget();
	ASSERT_EQ(0, chmod(self->dir, 0777));
	checkpoint_child(_metadata, self, scenario_sysv_ipc_user, 300);
	ASSERT_LE(0, semget(IPC_SEM_KEY, 0, 0));
	ipc_forget();
	restore_uid = 1000;
	exec_errno_exit = true;
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	restore_uid = 0;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EPERM)
		TH_LOG("status %#x, expected exit %d (EPERM)", status, EPERM);
	EXPECT_GT(0, semget(IPC_SEM_KEY, 0, 0)) TH_LOG("a set was made anyway");
	ipc_forget();
}

/*
 * Q's key taken by another queue: EEXIST before the point of no return,
 * and S, made again first, is removed again.
 */
TEST_F(rt, sysv_queue_key_taken_is_eexist)
{
	int q, other, status;
	pid_t pid;

	ipc_forget();
	checkpoint_child(_metadata, self, scenario_sysv_ipc, 300);
	q = msgget(IPC_MSG_KEY, 0);
	ASSERT_LE(0, q);
	ipc_forget();
	other = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, msgctl(other, IPC_RMID, NULL));
	other = msgget(IPC_MSG_KEY, IPC_CREAT | IPC_EXCL | 0600);
	ASSERT_LE(0, other);
	ASSERT_NE(q, other);
	exec_errno_exit = true;
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EEXIST)
		TH_LOG("status %#x, expected exit %d (EEXIST)", status, EEXIST);
	EXPECT_GT(0, semget(IPC_SEM_KEY, 0, 0)) TH_LOG("the set made for the failed restore stayed");
	ipc_forget();
}

static void scenario_sem_undo_zero(void)
{
	struct sembuf down = { .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO };
	struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO };
	int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	int val;

	if (id < 0 || semctl(id, 0, SETVAL, 1) || semop(id, &down, 1) || semop(id, &up, 1))
		report("sem: set-up failed (%d)", errno);
	while (!restored())
		usleep(10000);
	val = semctl(id, 0, GETVAL);
	semctl(id, 0, IPC_RMID);
	report("sem %d", val);
}

TEST_F(rt, sem_undo_back_to_zero_restored)
{
	round_trip(_metadata, self, scenario_sem_undo_zero, "sem 1");
}

/*
 * POSIX message queues: a named one (mode 0640, 8 messages of at most 64
 * bytes) holding four messages of three priorities, with the process's
 * registration (mq_notify(), SIGEV_SIGNAL), and one removed while open
 * (O_NONBLOCK) holding one. After the restore: their attributes, the
 * messages in priority order, the registration delivering its signal
 * and value, the removed one still without a name. Reports how many
 * messages the named queue had then (the test may add one).
 */
#define MQ_NAME		"/cr-test-q"
#define MQ_GONE		"/cr-test-u"

static volatile sig_atomic_t mq_signalled, mq_value, mq_code;

static void on_mq_signal(int sig, siginfo_t *si, void *uc)
{
	mq_signalled = sig;
	mq_value = si->si_value.sival_int;
	mq_code = si->si_code;
}

static void scenario_mqueue(void)
{
	struct mq_attr attr = { .mq_maxmsg = 8, .mq_msgsize = 64 }, got;
	static const struct { const char *text; unsigned int prio; } want[] = {
		{ "high", 5 }, { "forty bytes of text, at priority three..", 3 },
		{ "low one", 1 }, { "low two", 1 },
	};
	struct sigaction sa = { .sa_sigaction = on_mq_signal, .sa_flags = SA_SIGINFO };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2,
			       .sigev_value.sival_int = 77 };
	unsigned int prio, i;
	char buf[64];
	struct stat st;
	mqd_t q, u;
	long had;
	ssize_t n;

	sigaction(SIGUSR2, &sa, NULL);
	q = mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL, 0640, &attr);
	u = mq_open(MQ_GONE, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, &attr);
	if (q < 0 || u < 0 || fchmod(q, 0640))
		report("mq: set-up failed (%d)", errno);
	if (mq_send(q, "low one", 8, 1) || mq_send(q, want[1].text, strlen(want[1].text) + 1, 3) ||
	    mq_send(q, "high", 5, 5) || mq_send(q, "low two", 8, 1) || mq_notify(q, &ev) ||
	    mq_send(u, "secret", 7, 2) || mq_unlink(MQ_GONE))
		report("mq: sends failed (%d)", errno);
	while (!restored())
		usleep(10000);
	if (mq_getattr(q, &got) || got.mq_maxmsg != 8 || got.mq_msgsize != 64 ||
	    (got.mq_flags & O_NONBLOCK) || got.mq_curmsgs < 4)
		report("mq: attributes %ld %ld %ld %ld (%d)", got.mq_maxmsg, got.mq_msgsize,
		       got.mq_flags, got.mq_curmsgs, errno);
	had = got.mq_curmsgs;
	if (fstat(q, &st) || (st.st_mode & 0777) != 0640)
		report("mq: mode %#o", st.st_mode & 0777);
	/* The test's own message, at priority 9, comes first when there. */
	if (had == 5 && (mq_receive(q, buf, sizeof(buf), &prio) != 7 || prio != 9 ||
			 strcmp(buf, "parent")))
		report("mq: the test's message is not first");
	for (i = 0; i < 4; i++) {
		n = mq_receive(q, buf, sizeof(buf), &prio);
		if (n != (ssize_t)strlen(want[i].text) + 1 || prio != want[i].prio ||
		    strcmp(buf, want[i].text))
			report("mq: message %u is '%.*s' at %u", i, (int)(n > 0 ? n : 0), buf, prio);
	}
	if (mq_getattr(u, &got) || got.mq_curmsgs != 1 || !(got.mq_flags & O_NONBLOCK) ||
	    mq_receive(u, buf, sizeof(buf), &prio) != 7 || prio != 2 || strcmp(buf, "secret") ||
	    mq_receive(u, buf, sizeof(buf), &prio) != -1 || errno != EAGAIN)
		report("mq: the removed queue differs (%d)", errno);
	if (mq_open(MQ_GONE, O_RDONLY) != -1 || errno != ENOENT)
		report("mq: the removed queue has a name");
	/* The registration: a message into the empty queue signals it. */
	if (mq_send(q, "ping", 5, 0))
		report("mq: send after restore (%d)", errno);
	for (i = 0; i < 200 && !mq_signalled; i++)
		usleep(10000);
	if (mq_signalled != SIGUSR2 || mq_value != 77 || mq_code != SI_MESGQ)
		report("mq: notification signal %d value %d code %d", mq_signalled, mq_value,
		       mq_code);
	report("mq ok %ld", had);
}

/* As in another boot: the named queue is gone, and made again from the image. */
TEST_F(rt, mqueue_made_again)
{
	char buf[REPORT_MAX];
	pid_t pid;

	mq_unlink(MQ_NAME);
	checkpoint_child(_metadata, self, scenario_mqueue, 300);
	ASSERT_EQ(0, mq_unlink(MQ_NAME));
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("mq ok 4", buf);
	mq_unlink(MQ_NAME);
}

/* In the same boot: the queue is still there, with a message added since. */
TEST_F(rt, mqueue_found_again)
{
	char buf[REPORT_MAX];
	mqd_t q;
	pid_t pid;

	mq_unlink(MQ_NAME);
	checkpoint_child(_metadata, self, scenario_mqueue, 300);
	q = mq_open(MQ_NAME, O_WRONLY);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, mq_send(q, "parent", 7, 9));
	mq_close(q);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("mq ok 5", buf);
	mq_unlink(MQ_NAME);
}

/*
 * Another queue of the name, with another message size: not the image's.
 * The exec fails before the point of no return (EEXIST), and the queue
 * is left as it was.
 */
TEST_F(rt, mqueue_other_queue_of_the_name_fails_exec)
{
	struct mq_attr attr = { .mq_maxmsg = 8, .mq_msgsize = 128 }, got;
	int status;
	mqd_t q;
	pid_t pid;

	mq_unlink(MQ_NAME);
	checkpoint_child(_metadata, self, scenario_mqueue, 300);
	ASSERT_EQ(0, mq_unlink(MQ_NAME));
	q = mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	ASSERT_LE(0, q);
	exec_errno_exit = true;
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EEXIST)
		TH_LOG("status %#x, expected exit %d (EEXIST)", status, EEXIST);
	ASSERT_EQ(0, mq_getattr(q, &got));
	EXPECT_EQ(0, got.mq_curmsgs);
	mq_close(q);
	mq_unlink(MQ_NAME);
}

#define SYSV_KEY	0x43527601
#define SYSV_PAGE	4096

/* Remove segment @key, left by an earlier run. */
static void sysv_forget(key_t key)
{
	int id = shmget(key, 0, 0);

	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
}

/* Does [@p, @p + @len) hold @c only? */
static bool all_bytes(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return false;
	return true;
}

/*
 * SysV shared memory: segment A (a key, mode 0640, a page of zeroes in
 * the middle) attached read-write and again read-only, and segment B
 * removed (IPC_RMID) while attached. After the restore: the same ids at
 * the same addresses, the contents, A's key and mode, B still removed,
 * and both attachments of A one segment. Reports A's first byte, which
 * the test may change between the checkpoint and the restore.
 */
static void scenario_sysv(void)
{
	int a = shmget(SYSV_KEY, 3 * SYSV_PAGE, IPC_CREAT | IPC_EXCL | 0640);
	int b = shmget(IPC_PRIVATE, 2 * SYSV_PAGE + 100, IPC_CREAT | 0600);
	char *pa = a < 0 ? (void *)-1 : shmat(a, NULL, 0);
	char *pc = a < 0 ? (void *)-1 : shmat(a, NULL, SHM_RDONLY);
	char *pb = b < 0 ? (void *)-1 : shmat(b, NULL, 0);
	struct shmid_ds ds;

	if (pa == (void *)-1 || pb == (void *)-1 || pc == (void *)-1)
		report("sysv: set-up failed (%d)", errno);
	memset(pa, 'a', 3 * SYSV_PAGE);
	memset(pa + SYSV_PAGE, 0, SYSV_PAGE);
	memset(pb, 'b', 2 * SYSV_PAGE + 100);
	if (shmctl(b, IPC_RMID, NULL))
		report("sysv: IPC_RMID failed");
	while (!restored())
		usleep(10000);
	if (shmget(SYSV_KEY, 0, 0) != a)
		report("sysv: key %#x is segment %d, not %d", SYSV_KEY, shmget(SYSV_KEY, 0, 0), a);
	if (!all_bytes(pa + 1, SYSV_PAGE - 1, 'a') || !all_bytes(pa + SYSV_PAGE, SYSV_PAGE, 0) ||
	    !all_bytes(pa + 2 * SYSV_PAGE, SYSV_PAGE, 'a'))
		report("sysv: segment A's contents differ");
	pa[7] = 'z';
	if (pc[7] != 'z')
		report("sysv: the two attachments of A are not one segment");
	if (shmctl(a, IPC_STAT, &ds) || (ds.shm_perm.mode & 0777) != 0640 ||
	    ds.shm_segsz != 3 * SYSV_PAGE || ds.shm_nattch < 2)
		report("sysv: A is mode %#o, %zu bytes, %lu attached", ds.shm_perm.mode,
		       (size_t)ds.shm_segsz, (unsigned long)ds.shm_nattch);
	if (!all_bytes(pb, 2 * SYSV_PAGE + 100, 'b'))
		report("sysv: segment B's contents differ");
	if (shmctl(b, IPC_STAT, &ds) || !(ds.shm_perm.mode & SHM_DEST) ||
	    ds.shm_perm.__key != IPC_PRIVATE || ds.shm_segsz != 2 * SYSV_PAGE + 100)
		report("sysv: B is mode %#o, key %#x, %zu bytes", ds.shm_perm.mode,
		       ds.shm_perm.__key, (size_t)ds.shm_segsz);
	report("sysv ok %c", pa[0]);
}

/* In the same boot: A is still there, and what was written to it since shows. */
TEST_F(rt, sysv_shm_attached_again)
{
	char buf[REPORT_MAX], *p;
	pid_t pid;
	int a;

	sysv_forget(SYSV_KEY);
	checkpoint_child(_metadata, self, scenario_sysv, 300);
	a = shmget(SYSV_KEY, 0, 0);
	ASSERT_LE(0, a);
	p = shmat(a, NULL, 0);
	ASSERT_NE((void *)-1, p);
	p[0] = 'L';
	shmdt(p);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("sysv ok L", buf);
	sysv_forget(SYSV_KEY);
}

/*
 * As in another boot: A is gone, and made again from the image, with its
 * change time: a second restore of the image finds it as the image's.
 */
TEST_F(rt, sysv_shm_made_again)
{
	char buf[REPORT_MAX], *p;
	pid_t pid;
	int a;

	sysv_forget(SYSV_KEY);
	checkpoint_child(_metadata, self, scenario_sysv, 300);
	a = shmget(SYSV_KEY, 0, 0);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, shmctl(a, IPC_RMID, NULL));
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("sysv ok a", buf);
	/* The first restored process wrote 'z' at 7; the test puts 'a' back, and 'S' first. */
	ASSERT_EQ(a, shmget(SYSV_KEY, 0, 0));
	p = shmat(a, NULL, 0);
	ASSERT_NE((void *)-1, p);
	p[7] = 'a';
	p[0] = 'S';
	shmdt(p);
	round_trip_image(_metadata, self, "sysv ok S");
	sysv_forget(SYSV_KEY);
}

/*
 * A made again by someone else with the same id, key and size (as after
 * a reboot): not the segment of the checkpoint, whose contents it does
 * not hold. Its change time tells: EBUSY, not a silent attach.
 */
TEST_F(rt, sysv_shm_same_id_key_size_other_segment_is_ebusy)
{
	int a, x, status;
	FILE *f;
	pid_t pid;

	sysv_forget(SYSV_KEY);
	checkpoint_child(_metadata, self, scenario_sysv, 300);
	a = shmget(SYSV_KEY, 0, 0);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, shmctl(a, IPC_RMID, NULL));
	sleep(1);	/* another change time, in seconds */
	f = fopen("/proc/sys/kernel/shm_next_id", "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "%d\n", a);
	fclose(f);
	x = shmget(SYSV_KEY, 3 * SYSV_PAGE, IPC_CREAT | IPC_EXCL | 0640);
	ASSERT_EQ(a, x);
	exec_errno_exit = true;
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EBUSY)
		TH_LOG("status %#x, expected exit %d (EBUSY)", status, EBUSY);
	sysv_forget(SYSV_KEY);
}

/* A's id taken by another segment: EBUSY, before the point of no return. */
TEST_F(rt, sysv_shm_id_taken_is_ebusy)
{
	int a, x, status;
	FILE *f;
	pid_t pid;

	sysv_forget(SYSV_KEY);
	checkpoint_child(_metadata, self, scenario_sysv, 300);
	a = shmget(SYSV_KEY, 0, 0);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, shmctl(a, IPC_RMID, NULL));
	f = fopen("/proc/sys/kernel/shm_next_id", "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "%d\n", a);
	fclose(f);
	x = shmget(IPC_PRIVATE, SYSV_PAGE, IPC_CREAT | 0600);
	ASSERT_EQ(a, x);
	exec_errno_exit = true;
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EBUSY)
		TH_LOG("status %#x, expected exit %d (EBUSY)", status, EBUSY);
	shmctl(x, IPC_RMID, NULL);
	/* Nothing was made for the failed restore: the key is still free. */
	EXPECT_GT(0, shmget(SYSV_KEY, 0, 0));
	round_trip_image(_metadata, self, "sysv ok a");
	sysv_forget(SYSV_KEY);
}

/*
 * A's key taken by another segment (its id free): EEXIST before the point
 * of no return, not a second segment with the key.
 */
TEST_F(rt, sysv_shm_key_taken_is_eexist)
{
	int a, x, status;
	pid_t pid;

	sysv_forget(SYSV_KEY);
	checkpoint_child(_metadata, self, scenario_sysv, 300);
	a = shmget(SYSV_KEY, 0, 0);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, shmctl(a, IPC_RMID, NULL));
	x = shmget(SYSV_KEY, SYSV_PAGE, IPC_CREAT | IPC_EXCL | 0600);
	ASSERT_LE(0, x);
	ASSERT_NE(a, x);
	exec_errno_exit = true;
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EEXIST)
		TH_LOG("status %#x, expected exit %d (EEXIST)", status, EEXIST);
	EXPECT_EQ(x, shmget(SYSV_KEY, 0, 0));
	shmctl(x, IPC_RMID, NULL);
	sysv_forget(SYSV_KEY);
}

/*
 * AIO contexts (io_setup(2)): ctx A with three events completed and not
 * read yet (one read), ctx B with none left (one read). After the
 * restore, each has its id (its ring's address), A gives its three
 * events in order and nothing more, and both take new requests and are
 * destroyed by their ids.
 */
/* As <linux/aio_abi.h>, which clashes with <sys/mount.h>. */
typedef unsigned long aio_context_t;

struct io_event {
	uint64_t data, obj;
	int64_t res, res2;
};

struct iocb {
	uint64_t aio_data;
	uint32_t aio_key;
	int32_t aio_rw_flags;
	uint16_t aio_lio_opcode;
	int16_t aio_reqprio;
	uint32_t aio_fildes;
	uint64_t aio_buf, aio_nbytes;
	int64_t aio_offset;
	uint64_t aio_reserved2;
	uint32_t aio_flags, aio_resfd;
};

#define IOCB_CMD_PREAD	0
#define IOCB_CMD_POLL	5

struct aio_ring_hdr {
	unsigned int id, nr, head, tail, magic, compat, incompat, header_length;
	struct io_event events[];
};

#define AIO_LEN		64

static long aio_setup_(unsigned int nr, aio_context_t *ctx)
{
	return syscall(SYS_io_setup, nr, ctx);
}

static long aio_submit_(aio_context_t ctx, long nr, struct iocb **cbs)
{
	return syscall(SYS_io_submit, ctx, nr, cbs);
}

static long aio_getevents_(aio_context_t ctx, long min, long nr, struct io_event *ev,
			   struct timespec *ts)
{
	return syscall(SYS_io_getevents, ctx, min, nr, ev, ts);
}

static void aio_pread(struct iocb *cb, int fd, void *buf, long long off, uint64_t data)
{
	memset(cb, 0, sizeof(*cb));
	cb->aio_lio_opcode = IOCB_CMD_PREAD;
	cb->aio_fildes = fd;
	cb->aio_buf = (uintptr_t)buf;
	cb->aio_nbytes = AIO_LEN;
	cb->aio_offset = off;
	cb->aio_data = data;
}

static unsigned char aio_byte(long i)
{
	return (unsigned char)(i * 7 + 3);
}

/* The AIO_LEN bytes at @off of the file, in @buf. */
static bool aio_bytes_ok(const unsigned char *buf, long off)
{
	for (long i = 0; i < AIO_LEN; i++)
		if (buf[i] != aio_byte(off + i))
			return false;
	return true;
}

static void scenario_aio(void)
{
	static unsigned char data[4 * AIO_LEN], buf[6][AIO_LEN];
	struct timespec zero = { 0, 0 };
	aio_context_t a = 0, b = 0, a0, b0;
	struct iocb cb[6], *cbs[6];
	struct io_event ev[8];
	struct aio_ring_hdr *ring;
	uint64_t unread[3];
	unsigned int tail;
	long n;
	int fd, i;

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = aio_byte(i);
	fd = open("aio-data", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, sizeof(data)) != sizeof(data))
		report("aio: set-up (%d)", errno);
	if (aio_setup_(16, &a) || aio_setup_(300, &b))
		report("aio: io_setup (%d)", errno);
	for (i = 0; i < 4; i++) {
		aio_pread(&cb[i], fd, buf[i], i * AIO_LEN, 100 + i);
		cbs[i] = &cb[i];
	}
	if (aio_submit_(a, 4, cbs) != 4)
		report("aio: io_submit (%d)", errno);
	ring = (struct aio_ring_hdr *)a;
	/* All four complete; the first is read, three stay in the ring. */
	for (i = 0; i < 5000 && ring->tail - ring->head != 4; i++)
		usleep(1000);
	if (aio_getevents_(a, 1, 1, ev, NULL) != 1 || ev[0].res != AIO_LEN)
		report("aio: the first event (%d)", errno);
	tail = ring->tail;
	for (i = 0; i < 3; i++)
		unread[i] = ring->events[(ring->head + i) % ring->nr].data;
	aio_pread(&cb[4], fd, buf[4], 0, 300);
	cbs[4] = &cb[4];
	if (aio_submit_(b, 1, &cbs[4]) != 1 || aio_getevents_(b, 1, 1, ev, NULL) != 1)
		report("aio: ctx B (%d)", errno);
	a0 = a;
	b0 = b;
	settled();
	while (!restored())
		usleep(10000);
	if (a != a0 || b != b0 || ring->magic != 0xa10a10a1 || ring->tail != tail ||
	    !maps_has(ring, "[aio]"))
		report("aio: ctx A %#lx, ring magic %#x tail %u (was %u)", (unsigned long)a,
		       ring->magic, ring->tail, tail);
	n = aio_getevents_(a, 1, 8, ev, &zero);
	if (n != 3)
		report("aio: ctx A gives %ld events (%d), not 3", n, errno);
	for (i = 0; i < 3; i++) {
		int k = ev[i].data - 100;

		if (ev[i].data != unread[i] || k < 0 || k > 3 || ev[i].res != AIO_LEN ||
		    ev[i].obj != (uintptr_t)&cb[k] || !aio_bytes_ok(buf[k], k * AIO_LEN))
			report("aio: event %d is %llu (want %llu), res %lld", i,
			       (unsigned long long)ev[i].data, (unsigned long long)unread[i],
			       (long long)ev[i].res);
	}
	if (aio_getevents_(a, 0, 8, ev, &zero) != 0 || aio_getevents_(b, 0, 8, ev, &zero) != 0)
		report("aio: more events than there were");
	/* New requests, on both, by their ids. */
	aio_pread(&cb[4], fd, buf[4], 2 * AIO_LEN, 400);
	aio_pread(&cb[5], fd, buf[5], 3 * AIO_LEN, 500);
	cbs[4] = &cb[4];
	cbs[5] = &cb[5];
	if (aio_submit_(a, 1, &cbs[4]) != 1 || aio_submit_(b, 1, &cbs[5]) != 1)
		report("aio: io_submit after the restore (%d)", errno);
	if (aio_getevents_(a, 1, 1, ev, NULL) != 1 || ev[0].data != 400 || ev[0].res != AIO_LEN ||
	    !aio_bytes_ok(buf[4], 2 * AIO_LEN))
		report("aio: the new request on ctx A (%d)", errno);
	if (aio_getevents_(b, 1, 1, ev, NULL) != 1 || ev[0].data != 500 || ev[0].res != AIO_LEN ||
	    !aio_bytes_ok(buf[5], 3 * AIO_LEN))
		report("aio: the new request on ctx B (%d)", errno);
	if (syscall(SYS_io_destroy, a) || syscall(SYS_io_destroy, b) ||
	    !syscall(SYS_io_destroy, a) || errno != EINVAL)
		report("aio: io_destroy (%d)", errno);
	report("aio ok");
}

TEST_F(rt, aio_contexts_with_events_not_read)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_aio, -100);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("aio ok", buf);
}

/*
 * AIO that cannot be saved: a request in flight (arg 0: a poll of a pipe
 * nobody writes to), a ring inherited through fork() (arg 1: the child
 * has its parent's ring but no context).
 */
static int aio_unsaved(FIXTURE_DATA(rt) *self, int what)
{
	static struct iocb cb;
	struct iocb *cbs[1] = { &cb };
	aio_context_t ctx = 0;
	int p[2];

	if (pipe(p) || aio_setup_(8, &ctx))
		return 2;
	if (what == 0) {
		memset(&cb, 0, sizeof(cb));
		cb.aio_lio_opcode = IOCB_CMD_POLL;
		cb.aio_fildes = p[0];
		cb.aio_buf = POLLIN;
		return aio_submit_(ctx, 1, cbs) == 1 ? 0 : 3;
	}
	/* The child of a fork: its copy of the ring, no context of its own. */
	if (fork() == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pause();
		_exit(0);
	}
	return 0;
}

TEST_F(rt, aio_in_flight_or_inherited_ring_refused)
{
	expect_refused(_metadata, self, aio_unsaved, 0, "AIO request in flight");
	expect_refused(_metadata, self, aio_unsaved, 1, "AIO ring inherited through fork");
}

/*
 * Socket filters (SO_ATTACH_FILTER) come back with their programs, and a
 * lock (SO_LOCK_FILTER) with its socket: a UDP socket whose filter keeps
 * 4 bytes of each datagram (locked), the receiving end of a unix datagram
 * pair whose filter keeps 3, a TCP listener whose filter takes all.
 */
/* A UDP socket's filter sees the datagram from its 8-byte header on. */
static struct sock_filter sf_keep4[] = { BPF_STMT(BPF_RET | BPF_K, 8 + 4) };
static struct sock_filter sf_keep3[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
	BPF_STMT(BPF_RET | BPF_K, 3),
};
static struct sock_filter sf_all[] = { BPF_STMT(BPF_RET | BPF_K, 0xffffffff) };

/* Is the filter of @fd, as SO_GET_FILTER reads it, @want? */
static bool filter_is(int fd, const struct sock_filter *want, unsigned int n)
{
	struct sock_filter got[8];
	socklen_t len = 8;

	return !getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, got, &len) && len == n &&
	       !memcmp(got, want, n * sizeof(*got));
}

static int filter_locked(int fd)
{
	socklen_t len = sizeof(int);
	int v = -1;

	return getsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &v, &len) ? -1 : v;
}

static void scenario_sock_filters(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sock_fprog f4 = { 1, sf_keep4 }, f3 = { 2, sf_keep3 }, fall = { 1, sf_all };
	int u = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET, SOCK_STREAM, 0);
	socklen_t alen = sizeof(a);
	int p[2], one = 1, s;
	char buf[64];

	if (u < 0 || t < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, p) ||
	    bind(u, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(u, (struct sockaddr *)&a, &alen) ||
	    setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &f4, sizeof(f4)) ||
	    setsockopt(u, SOL_SOCKET, SO_LOCK_FILTER, &one, sizeof(one)) ||
	    setsockopt(p[1], SOL_SOCKET, SO_ATTACH_FILTER, &f3, sizeof(f3)) ||
	    setsockopt(t, SOL_SOCKET, SO_ATTACH_FILTER, &fall, sizeof(fall)) || listen(t, 4))
		report("filters: set-up (%d)", errno);
	while (!restored())
		usleep(10000);
	if (!filter_is(u, sf_keep4, 1) || !filter_is(p[1], sf_keep3, 2) || !filter_is(t, sf_all, 1))
		report("filters: not the programs attached");
	if (filter_locked(u) != 1 || filter_locked(p[1]) != 0 || filter_locked(p[0]) != 0)
		report("filters: locks %d %d %d", filter_locked(u), filter_locked(p[1]),
		       filter_locked(p[0]));
	if (!setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &f3, sizeof(f3)) || errno != EPERM)
		report("filters: the lock is gone (%d)", errno);
	/* They act: 10 bytes sent, 4 and 3 received. */
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || sendto(s, "0123456789", 10, 0, (struct sockaddr *)&a, sizeof(a)) != 10 ||
	    recv(u, buf, sizeof(buf), 0) != 4 || memcmp(buf, "0123", 4))
		report("filters: the UDP socket's does not act (%d)", errno);
	if (write(p[0], "abcdefghij", 10) != 10 || read(p[1], buf, sizeof(buf)) != 3 ||
	    memcmp(buf, "abc", 3))
		report("filters: the pair's does not act (%d)", errno);
	report("filters ok");
}

TEST_F(rt, socket_filters_and_locks)
{
	round_trip(_metadata, self, scenario_sock_filters, "filters ok");
}

TEST_F(rt, posix_timers_ids_clocks_sigevents_time_left)
{
	round_trip_new_tids(_metadata, self, scenario_posix_timers, "posix timers ok");
}

/* Execute the image, which must fail with @err before the point of no return. */
static void expect_exec_fails(struct __test_metadata *_metadata, FIXTURE_DATA(rt) *self, int err)
{
	int status;
	pid_t pid;

	exec_errno_exit = true;
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == err)
		TH_LOG("status %#x, expected exit %d", status, err);
}

TEST_F(rt, posix_timers_on_thread_cpu_clocks)
{
	round_trip_new_tids(_metadata, self, scenario_thread_cpu_timers, "thread cpu timers ok");
}

TEST_F(rt, file_locks_held_again)
{
	char path[160];
	int fd;

	checkpoint_child(_metadata, self, scenario_locks, 300);
	/* Held by someone else now: the exec fails, before anything changed. */
	snprintf(path, sizeof(path), "%s/locked-flock", self->dir);
	fd = open(path, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, flock(fd, LOCK_EX));
	expect_exec_fails(_metadata, self, EAGAIN);
	close(fd);
	round_trip_image(_metadata, self, "locks ok");
}

TEST_F(rt, file_leases_held_again)
{
	char path[160];
	int fd;

	checkpoint_child(_metadata, self, scenario_leases, 300);
	/* Open for writing elsewhere now: no read lease; the exec fails. */
	snprintf(path, sizeof(path), "%s/leased-read", self->dir);
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	expect_exec_fails(_metadata, self, EAGAIN);
	close(fd);
	round_trip_image(_metadata, self, "leases ok");
}

TEST_F(rt, tcp_listener_and_connection_with_queues)
{
	tcp_family = AF_INET;
	round_trip(_metadata, self, scenario_tcp, "tcp ok");
}

TEST_F(rt, tcp6_listener_and_connection_with_queues)
{
	int s = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = in6addr_loopback };

	if (s < 0 || bind(s, (void *)&a, sizeof(a)))
		SKIP(return, "no IPv6 loopback address (%s)", strerror(errno));
	close(s);
	tcp_family = AF_INET6;
	round_trip(_metadata, self, scenario_tcp, "tcp ok");
}

TEST_F(rt, udp_bound_connected_and_options)
{
	tcp_family = AF_INET;
	round_trip(_metadata, self, scenario_udp, "udp ok");
}

TEST_F(rt, udp6_bound_connected_and_options)
{
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = in6addr_loopback };

	if (s < 0 || bind(s, (void *)&a, sizeof(a)))
		SKIP(return, "no IPv6 loopback address (%s)", strerror(errno));
	close(s);
	tcp_family = AF_INET6;
	round_trip(_metadata, self, scenario_udp, "udp ok");
}

/* The peer outside the tree of scenario_tcp_peer(): exit status 0 if all went well. */
static void tcp_peer(int l, int go)
{
	char buf[8] = "", c;
	int s = accept(l, NULL, NULL);
	ssize_t n;

	if (s < 0 || write(s, "before", 6) != 6 || read_full(s, buf, 2, 10) != 2 ||
	    memcmp(buf, "hi", 2))
		_exit(1);
	if (read(go, &c, 1) != 1)
		_exit(2);
	/* The process is gone: the write goes to the held socket, unanswered. */
	if (write(s, "during", 6) != 6)
		_exit(3);
	usleep(300000);
	n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
	if (n >= 0 || errno != EAGAIN)
		_exit(4);	/* reset, or closed */
	if (read(go, &c, 1) != 1)
		_exit(5);
	memset(buf, 0, sizeof(buf));
	n = read_full(s, buf, 3, 20);
	if (n != 3 || memcmp(buf, "ack", 3))
		_exit(6);
	_exit(0);
}

/*
 * A process of the test, outside the tree, listening on loopback
 * (peer_port) and running @fn on its listener and the read end of *@go
 * (a pipe whose write end the test keeps: one byte per step).
 */
static pid_t start_tcp_peer(void (*fn)(int l, int go), int backlog, int *go)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, 0, &ss);
	int l = socket(AF_INET, SOCK_STREAM, 0), p[2];
	pid_t peer;

	if (l < 0 || bind(l, (void *)&ss, len) || listen(l, backlog) || pipe(p))
		return -1;
	if (peer_rcvbuf &&
	    setsockopt(l, SOL_SOCKET, SO_RCVBUF, &peer_rcvbuf, sizeof(peer_rcvbuf)))
		return -1;
	peer_port = sock_port(l, false);
	peer = fork();
	if (peer == 0)
		fn(l, p[0]);
	close(l);
	close(p[0]);
	*go = p[1];
	return peer;
}

TEST_F(rt, tcp_peer_outside_sees_no_reset_and_loses_nothing)
{
	int go, status;
	char buf[REPORT_MAX];
	pid_t peer, pid;

	peer = start_tcp_peer(tcp_peer, 1, &go);
	ASSERT_LT(0, peer);
	checkpoint_child(_metadata, self, scenario_tcp_peer, 300);
	ASSERT_EQ(1, write(go, "g", 1));
	usleep(500000);
	pid = restore_image(_metadata, self, NULL);
	ASSERT_EQ(1, write(go, "g", 1));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("tcp peer ok", buf);
	ASSERT_EQ(peer, waitpid(peer, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("peer status %#x (4: reset or closed while held)", status);
	close(go);
}

/*
 * The peer of scenario_tcp_fin(): sends "one" and "two" on the
 * connections it accepts, each then shut down for writing; after the
 * restore reads "r1", answers the third one and closes it, reads "r2";
 * "r1" and "r2" each followed by the end of file.
 */
static void tcp_fin_peer(int l, int go)
{
	char buf[8] = "", c;
	int s1 = accept(l, NULL, NULL), s2 = accept(l, NULL, NULL), s3 = accept(l, NULL, NULL);

	if (s1 < 0 || s2 < 0 || s3 < 0 || write(s1, "one", 3) != 3 || shutdown(s1, SHUT_WR) ||
	    write(s2, "two", 3) != 3 || shutdown(s2, SHUT_WR))
		_exit(1);
	if (read_full(s3, buf, 1, 10) != 1 || buf[0] != 'q' || read(s3, buf, 1) != 0)
		_exit(7);
	if (read(go, &c, 1) != 1)
		_exit(2);
	/*
	 * "r1" comes once the restored process checked its states: our FIN
	 * on the third connection moves it from FIN_WAIT2 on (to TIME_WAIT,
	 * leaving the socket in CLOSE).
	 */
	if (read_full(s1, buf, 2, 20) != 2 || memcmp(buf, "r1", 2) || read(s1, buf, 1) != 0)
		_exit(3);
	if (write(s3, "ans", 3) != 3 || close(s3))
		_exit(8);
	if (read_full(s2, buf, 2, 20) != 2 || memcmp(buf, "r2", 2) || read(s2, buf, 1) != 0)
		_exit(4);
	_exit(0);
}

TEST_F(rt, tcp_half_closed_close_wait_and_fin_wait2)
{
	int go, status;
	char buf[REPORT_MAX];
	pid_t peer, pid;

	peer = start_tcp_peer(tcp_fin_peer, 3, &go);
	ASSERT_LT(0, peer);
	checkpoint_child(_metadata, self, scenario_tcp_fin, -50);
	usleep(300000);
	pid = restore_image(_metadata, self, NULL);
	ASSERT_EQ(1, write(go, "g", 1));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("tcp fin ok", buf);
	ASSERT_EQ(peer, waitpid(peer, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("peer status %#x", status);
	close(go);
}

/*
 * The peer of scenario_tcp_fin_queued(): reads nothing until the restore
 * but c0's "3" (then shuts c3 down), shuts c2 down at once; after the
 * restore ("r" on c0) reads each of the others to its end of file,
 * checks every byte, writes the counts to peer_out and "d" on c0.
 */
static void tcp_fin_queued_peer(int l, int go)
{
	int s[4], i;
	char c = 0, out[64];
	size_t n[4] = { 0 };

	for (i = 0; i < 4; i++) {
		s[i] = accept(l, NULL, NULL);
		if (s[i] < 0)
			_exit(1);
	}
	if (shutdown(s[2], SHUT_WR) || read_full(s[0], &c, 1, 60) != 1 || c != '3' ||
	    shutdown(s[3], SHUT_WR))
		_exit(2);
	if (read_full(s[0], &c, 1, 120) != 1 || c != 'r')
		_exit(3);
	for (i = 1; i < 4; i++) {
		unsigned char buf[4096];
		ssize_t r;

		while ((r = read_full(s[i], buf, sizeof(buf), 30)) > 0) {
			for (ssize_t k = 0; k < r; k++)
				if (buf[k] != fin_byte(n[i] + k, i))
					_exit(4);
			n[i] += r;
			if (r < (ssize_t)sizeof(buf))
				break;
		}
		if (r < 0 || read(s[i], buf, 1) != 0)
			_exit(5);	/* a reset, or no end of file */
	}
	snprintf(out, sizeof(out), "%zu %zu %zu", n[1], n[2], n[3]);
	if (write(peer_out, out, strlen(out)) < 0 || write(s[0], "d", 1) != 1)
		_exit(6);
	_exit(0);
}

TEST_F(rt, tcp_fin_queued_fin_wait1_last_ack_closing)
{
	char buf[REPORT_MAX], counts[64] = "", expect[96];
	int go, status, out[2];
	pid_t peer, pid;
	ssize_t n;

	ASSERT_EQ(0, pipe(out));
	peer_out = out[1];
	peer_rcvbuf = 2048;
	peer = start_tcp_peer(tcp_fin_queued_peer, 4, &go);
	peer_rcvbuf = 0;
	close(out[1]);
	ASSERT_LT(0, peer);
	checkpoint_child(_metadata, self, scenario_tcp_fin_queued, -50);
	usleep(300000);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	n = read(out[0], counts, sizeof(counts) - 1);
	counts[n > 0 ? n : 0] = '\0';
	snprintf(expect, sizeof(expect), "tcp fin queued ok %s", counts);
	EXPECT_STREQ(expect, buf);
	ASSERT_EQ(peer, waitpid(peer, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("peer status %#x (5: a reset or no end of file)", status);
	close(out[0]);
	close(go);
}

/* The peer of scenario_tcp_syn_sent(): accepts c0 after the restore, then c1 and c2. */
static void tcp_syn_sent_peer(int l, int go)
{
	char c, buf[3] = "", got[2] = "";
	int s0, s, i;

	if (read(go, &c, 1) != 1)
		_exit(2);
	s0 = accept(l, NULL, NULL);
	if (s0 < 0)
		_exit(1);
	for (i = 0; i < 2; i++) {
		s = accept(l, NULL, NULL);
		if (s < 0 || read_full(s, buf, 2, 30) != 2 || buf[0] != 'c' ||
		    (buf[1] != '1' && buf[1] != '2') || got[buf[1] - '1'])
			_exit(3);
		got[buf[1] - '1'] = 1;
		buf[0] = 'o';
		if (write(s, buf, 2) != 2)
			_exit(4);
	}
	_exit(0);
}

TEST_F(rt, tcp_syn_sent_connects_after_restore)
{
	char buf[REPORT_MAX];
	int go, status;
	pid_t peer, pid;

	peer = start_tcp_peer(tcp_syn_sent_peer, 0, &go);
	ASSERT_LT(0, peer);
	checkpoint_child(_metadata, self, scenario_tcp_syn_sent, -50);
	usleep(300000);
	pid = restore_image(_metadata, self, NULL);
	ASSERT_EQ(1, write(go, "g", 1));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("tcp syn sent ok", buf);
	ASSERT_EQ(peer, waitpid(peer, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("peer status %#x", status);
	close(go);
}

/*
 * The client of scenario_tcp_pending(), outside the tree: connects when
 * the listener is there, sends; after the checkpoint ("g" on @go) "gap",
 * after the restore (another "g") "more" and "c3"; reads the answers.
 */
static void tcp_pending_client(int go)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, peer_port, &ss);
	char buf[4] = "", c;
	int s[3], i, t;

	for (i = 0; i < 3; i++) {
		s[i] = socket(AF_INET, SOCK_STREAM, 0);
		for (t = 0; t < 1000 && connect(s[i], (void *)&ss, len); t++)
			usleep(10000);
		if (t == 1000)
			_exit(1);
	}
	if (write(s[0], "a1", 2) != 2 || write(s[1], "b2", 2) != 2 || shutdown(s[1], SHUT_WR))
		_exit(2);
	if (read(go, &c, 1) != 1 || write(s[0], "gap", 3) != 3)
		_exit(3);
	if (read(go, &c, 1) != 1 || write(s[0], "more", 4) != 4 || write(s[2], "c3", 2) != 2)
		_exit(4);
	for (i = 0; i < 3; i++) {
		if (read_full(s[i], buf, 3, 30) != 3 || buf[0] != 'o' || buf[1] != 'k' ||
		    buf[2] != '1' + i)
			_exit(5 + i);
	}
	_exit(0);
}

TEST_F(rt, tcp_connections_not_accepted_yet)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET, 0, &ss);
	int l = socket(AF_INET, SOCK_STREAM, 0), go[2], status;
	char buf[REPORT_MAX];
	pid_t client, pid;

	/* A free port for the child's listener. */
	ASSERT_EQ(0, bind(l, (void *)&ss, len));
	peer_port = sock_port(l, false);
	close(l);
	ASSERT_EQ(0, pipe(go));
	client = fork();
	ASSERT_LE(0, client);
	if (client == 0) {
		close(go[1]);
		tcp_pending_client(go[0]);
	}
	close(go[0]);
	checkpoint_child(_metadata, self, scenario_tcp_pending, -50);
	ASSERT_EQ(1, write(go[1], "g", 1));
	usleep(300000);
	pid = restore_image(_metadata, self, NULL);
	ASSERT_EQ(1, write(go[1], "g", 1));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("tcp pending ok", buf);
	ASSERT_EQ(client, waitpid(client, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("client status %#x", status);
	close(go[1]);
}

TEST_F(rt, udp_shut_down_and_udplite_with_checksum_coverage)
{
	round_trip(_metadata, self, scenario_udp_shutdown_and_udplite, "udp shutdown ok");
}

TEST_F(rt, packet_sockets_with_options_rings_memberships_and_queued_packets)
{
	round_trip(_metadata, self, scenario_packet, "packet ok");
}

TEST_F(rt, tcp_and_udp_options_beyond_the_inet_state)
{
	round_trip(_metadata, self, scenario_sock_opts, "sock opts ok");
}

/*
 * Sockets bound to a device (SO_BINDTODEVICE, SO_BINDTOIFINDEX), as a
 * DHCP or VRF-aware server binds them: a TCP listener, a connection to
 * it (both ends in the process, the accepted one bound as its listener)
 * and a UDP socket with a datagram queued. After the restore each is
 * bound to lo still, the connection carries data both ways, the listener
 * accepts a new one and the UDP socket reads its datagram.
 */
static bool bound_to_lo(int fd)
{
	char dev[IFNAMSIZ] = "";
	socklen_t dl = sizeof(dev);

	return !getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &dl) && !strcmp(dev, "lo");
}

static void scenario_sock_devs(void)
{
	int l, c, a, u, s, lo = if_nametoindex("lo");
	struct sockaddr_storage ss, us;
	socklen_t len, ulen;
	char buf[8] = "";

	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	len = loopback(AF_INET, 0, &ss);
	ulen = loopback(AF_INET, 0, &us);
	if (l < 0 || c < 0 || u < 0 || s < 0 || lo <= 0 ||
	    setsockopt(l, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) ||
	    bind(l, (void *)&ss, len) || listen(l, 4) ||
	    setsockopt(u, SOL_SOCKET, SO_BINDTOIFINDEX, &lo, sizeof(lo)) ||
	    bind(u, (void *)&us, ulen))
		report("sock devs: set-up (%d)", errno);
	len = loopback(AF_INET, sock_port(l, false), &ss);
	ulen = loopback(AF_INET, sock_port(u, false), &us);
	if (setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) || connect(c, (void *)&ss, len))
		report("sock devs: connect (%d)", errno);
	a = accept(l, NULL, NULL);
	if (a < 0 || write(c, "c1", 2) != 2 || sendto(s, "d1", 2, 0, (void *)&us, ulen) != 2)
		report("sock devs: connection (%d)", errno);
	close(s);
	while (!restored())
		usleep(10000);
	if (!bound_to_lo(l) || !bound_to_lo(c) || !bound_to_lo(a) || !bound_to_lo(u))
		report("sock devs: not bound to lo: %d %d %d %d", bound_to_lo(l), bound_to_lo(c),
		       bound_to_lo(a), bound_to_lo(u));
	if (read_full(a, buf, 2, 10) != 2 || memcmp(buf, "c1", 2) || write(a, "a1", 2) != 2 ||
	    read_full(c, buf, 2, 10) != 2 || memcmp(buf, "a1", 2))
		report("sock devs: the connection (%d)", errno);
	if (recv(u, buf, sizeof(buf), MSG_DONTWAIT) != 2 || memcmp(buf, "d1", 2))
		report("sock devs: the datagram (%d)", errno);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (void *)&ss, len) || accept(l, NULL, NULL) < 0)
		report("sock devs: a new connection (%d)", errno);
	report("sock devs ok");
}

TEST_F(rt, tcp_and_udp_sockets_bound_to_a_device)
{
	round_trip(_metadata, self, scenario_sock_devs, "sock devs ok");
}

TEST_F(rt, udp_multicast_memberships_and_ipv6_receive_options)
{
	round_trip(_metadata, self, scenario_udp_mcast, "udp mcast ok");
}

TEST_F(rt, udp_multicast_source_filters)
{
	round_trip(_metadata, self, scenario_udp_msfilter, "msfilter ok");
}

TEST_F(rt, tcp_connection_needs_cap_net_admin_to_restore)
{
	int status;

	tcp_family = AF_INET;
	checkpoint_child(_metadata, self, scenario_tcp, 300);
	status = exec_as_nobody(_metadata, self);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EPERM)
		TH_LOG("status %#x, expected exit %d (EPERM)", status, EPERM);
	/* Refused before the point of no return: root restores it whole. */
	ASSERT_EQ(0, chown(self->image, 0, 0));
	round_trip_image(_metadata, self, "tcp ok");
}

TEST_F(rt, unix_datagram_messages_queued_with_their_senders)
{
	round_trip(_metadata, self, scenario_unix_dgram_queue, "unix dgram ok");
}

TEST_F(rt, unix_descriptors_in_flight)
{
	round_trip(_metadata, self, scenario_scm_rights, "scm ok");
}

TEST_F(rt, unix_connections_whose_peer_was_closed)
{
	round_trip(_metadata, self, scenario_closed_peers, "closed peers ok");
}

TEST_F(rt, unix_connections_not_accepted_yet)
{
	round_trip(_metadata, self, scenario_unix_pending, "unix pending ok");
}

TEST_F(rt, unix_sockets_by_name_bound_listening_connected)
{
	round_trip(_metadata, self, scenario_unix, "unix ok");
}

TEST_F(rt, fsetown_fsetsig_and_o_async)
{
	round_trip(_metadata, self, scenario_fown, "fown ok");
}

/* A descriptor owned by another process (the test): refused, not dropped. */
static int owned_elsewhere(FIXTURE_DATA(rt) *self, int arg)
{
	int p[2];

	return pipe(p) || fcntl(p[0], F_SETOWN, getppid()) ? 2 : 0;
}

TEST_F(rt, fsetown_to_another_process_refused)
{
	expect_refused(_metadata, self, owned_elsewhere, 0, "F_SETOWN to the parent");
}

TEST_F(rt, proc_self_files_follow_the_new_pid)
{
	round_trip(_metadata, self, scenario_proc_self, "proc ok");
}

TEST_F(rt, chroot_root_directory_kept)
{
	char jail[160], mnt[200];
	int fd;

	snprintf(jail, sizeof(jail), "%s/jail", self->dir);
	snprintf(mnt, sizeof(mnt), "%s/mnt", jail);
	ASSERT_EQ(0, mkdir(jail, 0755));
	ASSERT_EQ(0, mount("/", jail, NULL, MS_BIND | MS_REC, NULL));
	ASSERT_EQ(0, mount("tmpfs", mnt, "tmpfs", 0, NULL));
	strcat(mnt, "/marker");
	fd = open(mnt, O_WRONLY | O_CREAT, 0644);
	ASSERT_EQ(4, write(fd, "jail", 4));
	close(fd);
	strcpy(jail_cwd, self->dir);
	round_trip(_metadata, self, scenario_chroot, "chroot ok");
	umount2(jail, MNT_DETACH);
}

TEST_F(rt, io_priority_kept)
{
	round_trip(_metadata, self, scenario_ioprio, "ioprio ok");
}

/*
 * prctl() state of each thread: the main thread is an I/O flusher with
 * the early machine-check kill policy; a second thread has the late one
 * and its TSC off (PR_TSC_SIGSEGV); a third none of them. After the
 * restore each thread has its own again, read by PR_GET_*.
 */
#ifndef PR_SET_IO_FLUSHER
#define PR_SET_IO_FLUSHER	57
#define PR_GET_IO_FLUSHER	58
#endif
static volatile int pc_state[2];	/* 1: set, 2: checked ok, 3: checked bad */

/* The thread's prctl() state as "flusher/mce/tsc". */
static void pc_get(char *buf, size_t len)
{
	int tsc = -1;

	prctl(PR_GET_TSC, &tsc, 0, 0, 0);
	snprintf(buf, len, "%d/%d/%d", (int)prctl(PR_GET_IO_FLUSHER, 0, 0, 0, 0),
		 (int)prctl(PR_MCE_KILL_GET, 0, 0, 0, 0), tsc);
}

static void *pc_thread(void *arg)
{
	long i = (long)arg;
	char buf[32];

	if (i == 0 && (prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0) ||
		       prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0)))
		pc_state[i] = 3;
	else
		pc_state[i] = 1;
	while (!restored())
		usleep(10000);
	pc_get(buf, sizeof(buf));
	pc_state[i] = !strcmp(buf, i == 0 ? "0/0/2" : "0/2/1") ? 2 : 3;
	for (;;)
		pause();
	return NULL;
}

static void scenario_prctl(void)
{
	pthread_t t[2];
	char buf[32];

	for (long i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, pc_thread, (void *)i))
			report("prctl: thread");
	while (!pc_state[0] || !pc_state[1])
		usleep(1000);
	/* After the threads: they would inherit it. */
	if (prctl(PR_SET_IO_FLUSHER, 1, 0, 0, 0) ||
	    prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0))
		report("prctl: set-up (%d)", errno);
	while (!restored())
		usleep(10000);
	pc_get(buf, sizeof(buf));
	if (strcmp(buf, "1/1/1"))
		report("prctl: main thread %s", buf);
	for (int n = 0; n < 500 && (pc_state[0] < 2 || pc_state[1] < 2); n++)
		usleep(10000);
	if (pc_state[0] != 2 || pc_state[1] != 2)
		report("prctl: threads %d %d", pc_state[0], pc_state[1]);
	report("prctl ok");
}

TEST_F(rt, prctl_state_of_each_thread)
{
	round_trip_new_tids(_metadata, self, scenario_prctl, "prctl ok");
}

/*
 * Syscall user dispatch and speculation controls (prctl()). The main
 * thread dispatches its system calls by a selector byte, allowing them
 * until the restore; then, blocked, a getppid() raises SIGSYS with its
 * number, whose handler allows them again (rt_sigreturn is dispatched as
 * well). The speculation controls this system lets a program set are
 * set (store bypass disabled until exec, indirect branch speculation
 * force disabled) and read back the same after the restore; where none
 * can be set, the report says so.
 */
static volatile char sud_selector;	/* SYSCALL_DISPATCH_FILTER_ALLOW */
static volatile int sud_sigsys, sud_nr;

static void on_sud_sigsys(int sig, siginfo_t *si, void *uc)
{
	sud_sigsys++;
	sud_nr = si->si_code == 2 /* SYS_USER_DISPATCH */ ? si->si_syscall : -1;
	sud_selector = 0;
}

static void scenario_sud_spec(void)
{
	struct sigaction sa = { .sa_sigaction = on_sud_sigsys, .sa_flags = SA_SIGINFO };
	int ssb = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	int ib = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0);
	int ssb2, ib2, n = 0;

	if (ssb >= 0 && (ssb & PR_SPEC_PRCTL) &&
	    prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, PR_SPEC_DISABLE_NOEXEC, 0, 0))
		report("sud: PR_SPEC_DISABLE_NOEXEC (%d)", errno);
	if (ib >= 0 && (ib & PR_SPEC_PRCTL) &&
	    prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, PR_SPEC_FORCE_DISABLE, 0, 0))
		report("sud: PR_SPEC_FORCE_DISABLE (%d)", errno);
	ssb = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	ib = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0);
	n = (ssb >= 0 && (ssb & PR_SPEC_PRCTL)) + (ib >= 0 && (ib & PR_SPEC_PRCTL));
	if (sigaction(SIGSYS, &sa, NULL) ||
	    prctl(59 /* PR_SET_SYSCALL_USER_DISPATCH */, 1 /* ON */, 0, 0, &sud_selector))
		report("sud: set-up (%d)", errno);
	while (!restored())
		usleep(10000);
	sud_selector = 1;	/* SYSCALL_DISPATCH_FILTER_BLOCK */
	syscall(SYS_getppid);
	if (sud_sigsys != 1 || sud_nr != SYS_getppid || sud_selector)
		report("sud: dispatch after the restore: %d SIGSYS, syscall %d", sud_sigsys, sud_nr);
	ssb2 = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	ib2 = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0);
	if (ssb2 != ssb || ib2 != ib)
		report("sud: speculation controls %#x %#x, not %#x %#x", ssb2, ib2, ssb, ib);
	report("sud ok, %d speculation controls", n);
}

TEST_F(rt, syscall_user_dispatch_and_speculation_controls)
{
	char buf[REPORT_MAX];
	pid_t pid;

	checkpoint_child(_metadata, self, scenario_sud_spec, 300);
	pid = restore_image(_metadata, self, NULL);
	restored_report(_metadata, self, pid, buf);
	ASSERT_EQ(0, strncmp(buf, "sud ok, ", 8)) TH_LOG("%s", buf);
	/* Where this system lets no program set them, nothing was checked. */
	if (!strcmp(buf, "sud ok, 0 speculation controls"))
		TH_LOG("no speculation control can be set on this system: only dispatch checked");
}

TEST_F(rt, credentials_capabilities_groups_securebits)
{
	round_trip(_metadata, self, scenario_creds, "creds ok");
}

TEST_F(rt, credentials_user_after_setuid)
{
	/* The user writes its image in its working directory. */
	ASSERT_EQ(0, chmod(self->dir, 0777));
	round_trip(_metadata, self, scenario_setuid_user, "setuid ok");
}

/*
 * A user's process in a user namespace of its own, as "unshare --user
 * --map-root-user --uts --mount" makes one: uid and gid 0 inside are the
 * user's 1000 outside, setgroups denied, every capability inside, a host
 * name, an empty tmpfs of its own (mode 0700) in its mount namespace.
 * Restored by that user (no privilege: the user may map its own ids), it
 * is uid 0 again with the same maps and capabilities, in a new user
 * namespace owned by the user that owns its UTS namespace, with its
 * tmpfs in a mount namespace of its own.
 */
static void scenario_userns_user(void)
{
	struct userns_seen before;
	struct utsname u;
	const char *wrong;
	struct stat st, dir;

	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000) ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) ||
	    unshare(CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWNS) ||
	    cr_write_file("/proc/self/setgroups", "deny") ||
	    cr_write_file("/proc/self/uid_map", "0 1000 1") ||
	    cr_write_file("/proc/self/gid_map", "0 1000 1") || sethostname("cr-user", 7) ||
	    mkdir("own", 0755) || mount("tmpfs", "own", "tmpfs", 0, "mode=0700") ||
	    close(open("own/f", O_CREAT | O_WRONLY, 0644)) || symlink("f", "own/l"))
		report("userns: set-up (%d)", errno);
	userns_look(&before);
	while (!restored())
		usleep(10000);
	wrong = userns_changed(&before);
	if (wrong)
		report("userns: %s", wrong);
	if (strcmp(before.setgroups, "deny\n") || !strstr(before.uid_map, "1000"))
		report("userns: setgroups %s, uid map %s", before.setgroups, before.uid_map);
	if (uname(&u) || strcmp(u.nodename, "cr-user"))
		report("userns: host name");
	if (stat("own", &st) || stat(".", &dir) || st.st_dev == dir.st_dev ||
	    (st.st_mode & 07777) != 0700 || st.st_uid || st.st_gid ||
	    lstat("own/l", &st) || !S_ISLNK(st.st_mode) || st.st_uid ||
	    stat("own/f", &st) || !S_ISREG(st.st_mode) || st.st_uid)
		report("userns: its tmpfs is not there");
	if (ns_ino("/proc/self/ns/mnt") == ns_ino("/proc/1/ns/mnt"))
		report("userns: in the initial mount namespace");
	report("userns ok");
}

TEST_F(rt, user_namespace_of_a_user_restored_by_that_user)
{
	char buf[REPORT_MAX], own[PATH_MAX];
	struct stat st, dir;
	pid_t pid;

	ASSERT_EQ(0, chmod(self->dir, 0777));
	checkpoint_child(_metadata, self, scenario_userns_user, 300);
	restore_uid = 1000;
	pid = restore_image(_metadata, self, NULL);
	restore_uid = 0;
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("userns ok", buf);
	/* Not in the test's mount namespace. */
	EXPECT_EQ(0, stat(self->dir, &dir));
	ASSERT_EQ(0, snprintf(own, sizeof(own), "%s/own", self->dir) <= 0);
	EXPECT_EQ(0, stat(own, &st));
	EXPECT_EQ(dir.st_dev, st.st_dev);
}

/*
 * Threads with credentials of their own, set by raw system calls (glibc
 * would set every thread's): one with other groups and effective and
 * filesystem user ids (setgroups(2), setresuid(2)), one with fewer
 * effective capabilities (capset(2)). After the restore by root each
 * thread, and the main one, has the ids, groups and capabilities its
 * /proc/thread-self/status showed before.
 */
static char tc_before[3][512];
static volatile int tc_state[3];	/* 1: set up, 2: same after, 3: other */

/* The credential lines of the calling thread's status. */
static void tc_read(char *buf, size_t len)
{
	FILE *f = fopen("/proc/thread-self/status", "r");
	char line[256];
	size_t n = 0;

	buf[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if ((!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) ||
		     !strncmp(line, "Groups:", 7) || !strncmp(line, "Cap", 3)) &&
		    n + strlen(line) < len) {
			strcpy(buf + n, line);
			n += strlen(line);
		}
	if (f)
		fclose(f);
}

static void *tc_thread(void *arg)
{
	long i = (long)arg;
	uint32_t eff, perm, inh;
	char now[512];
	gid_t g = 9;
	int ok;

	/* A change of ids makes the process not dumpable: it may be again. */
	if (i == 1)
		ok = !syscall(SYS_setgroups, 1, &g) && !syscall(SYS_setresuid, 0, 1000, 0) &&
		     !prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	else
		ok = !caps_get(&eff, &perm, &inh) &&
		     !caps_set(eff & ~CAP_BIT(CAP_NET_RAW), perm, inh);
	tc_read(tc_before[i], sizeof(tc_before[i]));
	tc_state[i] = ok ? 1 : 3;
	while (!restored())
		usleep(10000);
	tc_read(now, sizeof(now));
	tc_state[i] = strcmp(now, tc_before[i]) ? 3 : 2;
	for (;;)
		pause();
	return NULL;
}

static void scenario_thread_creds(void)
{
	pthread_t t[2];
	char now[512];

	for (long i = 1; i <= 2; i++)
		if (pthread_create(&t[i - 1], NULL, tc_thread, (void *)i))
			report("thread creds: thread");
	while (!tc_state[1] || !tc_state[2])
		usleep(1000);
	if (tc_state[1] != 1 || tc_state[2] != 1 || !strcmp(tc_before[1], tc_before[2]))
		report("thread creds: set-up %d %d", tc_state[1], tc_state[2]);
	tc_read(tc_before[0], sizeof(tc_before[0]));
	while (!restored())
		usleep(10000);
	tc_read(now, sizeof(now));
	if (strcmp(now, tc_before[0]))
		report("thread creds: main thread now %s", now);
	for (int n = 0; n < 500 && (tc_state[1] == 1 || tc_state[2] == 1); n++)
		usleep(10000);
	if (tc_state[1] != 2 || tc_state[2] != 2)
		report("thread creds: threads %d %d", tc_state[1], tc_state[2]);
	report("thread creds ok");
}

TEST_F(rt, threads_with_credentials_of_their_own)
{
	round_trip_new_tids(_metadata, self, scenario_thread_creds, "thread creds ok");
}

TEST_F(rt, stopped_child_restored_stopped)
{
	round_trip_new_tids(_metadata, self, scenario_stopped_child, "stopped ok");
}

/* Without a restore helper (kernel.cr.restore_helper empty): EPERM. */
TEST_F(rt, threads_need_their_ids)
{
	char helper[256];
	int status;
	pid_t pid;

	set_new_tids(0);
	get_restore_helper(helper, sizeof(helper));
	checkpoint_child(_metadata, self, scenario_threads, 300);
	set_restore_helper("");
	pid = exec_image_child(self->image);
	ASSERT_LE(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	set_restore_helper(helper);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EPERM)
		TH_LOG("status %#x, expected exit %d (EPERM)", status, EPERM);
}

/*
 * Executed in place by a caller that cannot give the threads their ids,
 * the image goes to the restore helper, which restores it in a new pid
 * namespace: every thread has its id, the process its pid; a signal sent
 * to the helper reaches it; the helper ends with its status. As root and
 * as an ordinary user (in a user namespace, where the helper is itself).
 */
static volatile sig_atomic_t helper_usr2;

static void on_helper_usr2(int sig)
{
	helper_usr2++;
}

static void scenario_threads_helper(void)
{
	char why[REPORT_MAX];
	int fd;

	signal(SIGUSR2, on_helper_usr2);
	start_counters();
	while (access("restored.flag", F_OK))
		usleep(10000);
	if (check_counters(why, sizeof(why)))
		report("helper: threads %s", why);
	for (int i = 0; i < NT; i++)
		if (!ts[i].tid_same)
			report("helper: thread %d has a new id", i);
	if (syscall(SYS_getpid) != orig_pid || getuid() != restore_uid)
		report("helper: pid %ld (was %d), uid %u", syscall(SYS_getpid), orig_pid, getuid());
	/* A /proc of its pid namespace: /proc/self is itself. */
	memset(why, 0, sizeof(why));
	if (readlink("/proc/self", why, sizeof(why) - 1) < 0 || atoi(why) != orig_pid)
		report("helper: /proc/self is '%s', not %d", why, orig_pid);
	/* The test sends SIGUSR2 to the helper, which passes it on. */
	fd = open("signal.me", O_WRONLY | O_CREAT, 0666);
	if (fd < 0)
		report("helper: signal.me (%d)", errno);
	close(fd);
	for (int n = 0; n < 2000 && !helper_usr2; n++)
		usleep(10000);
	if (!helper_usr2)
		report("helper: no SIGUSR2 passed on");
	report("helper ok: threads with their ids, signal passed on");
}

static void scenario_threads_helper_user(void)
{
	if (setgroups(0, NULL) || setresgid(restore_uid, restore_uid, restore_uid) ||
	    setresuid(restore_uid, restore_uid, restore_uid))
		report("helper: cannot become uid %u (%d)", restore_uid, errno);
	prctl(PR_SET_DUMPABLE, 1);	/* the user's own process again */
	scenario_threads_helper();
}

static void helper_round_trip(struct __test_metadata *_metadata, FIXTURE_DATA(rt) *self,
			      uid_t uid, bool as_owner)
{
	char helper[256], path[200], buf[REPORT_MAX];
	pid_t pid;
	int fd;

	get_restore_helper(helper, sizeof(helper));
	if (!helper[0] || access(helper, X_OK))
		SKIP(return, "no restore helper at '%s' (kernel.cr.restore_helper)", helper);
	set_new_tids(0);
	restore_uid = uid;
	ASSERT_EQ(0, chmod(self->dir, 0777));
	checkpoint_child(_metadata, self, uid ? scenario_threads_helper_user : scenario_threads_helper,
			 300);
	exec_errno_exit = true;
	if (as_owner) {
		/* Root restores the user's image as the user. */
		restore_uid = 0;
		restore_crcore = helper;
	}
	pid = restore_image(_metadata, self, NULL);
	exec_errno_exit = false;
	restore_uid = 0;
	restore_crcore = NULL;
	snprintf(path, sizeof(path), "%s/restored.flag", self->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0666);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(path, sizeof(path), "%s/signal.me", self->dir);
	if (wait_for_file(path, 20))
		EXPECT_EQ(0, kill(pid, SIGUSR2));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("helper ok: threads with their ids, signal passed on", buf);
}

/*
 * Job control through the helper, as from an interactive shell: the
 * image runs in the foreground of a terminal; Ctrl-Z stops it and the
 * shell sees its job (the helper) stopped; SIGCONT (fg) continues it;
 * Ctrl-C reaches its handler.
 */
static volatile sig_atomic_t job_int;

static void on_job_int(int sig)
{
	job_int++;
}

static void scenario_threads_job(void)
{
	char why[REPORT_MAX];
	int fd;

	signal(SIGINT, on_job_int);
	start_counters();
	while (access("restored.flag", F_OK))
		usleep(10000);
	if (check_counters(why, sizeof(why)))
		report("job: threads %s", why);
	for (int i = 0; i < NT; i++)
		if (!ts[i].tid_same)
			report("job: thread %d has a new id", i);
	if (syscall(SYS_getpid) != orig_pid || getuid() != restore_uid)
		report("job: pid %ld (was %d), uid %u", syscall(SYS_getpid), orig_pid, getuid());
	fd = open("signal.me", O_WRONLY | O_CREAT, 0666);
	close(fd);
	for (int n = 0; n < 2000 && !job_int; n++)
		usleep(10000);
	if (!job_int)
		report("job: no SIGINT from the terminal");
	if (tcgetpgrp(0) != getpgrp())
		report("job: the terminal's foreground group is %d, not its %d", tcgetpgrp(0),
		       getpgrp());
	report("job control ok");
}

/* A pty master, and a fresh report pipe for the job to come. */
static int job_pty(FIXTURE_DATA(rt) *self)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	if (master < 0 || grantpt(master) || unlockpt(master))
		return -1;
	close(self->report[0]);
	close(self->report[1]);
	if (pipe(self->report)) {
		close(master);
		return -1;
	}
	return master;
}

/*
 * In the job's child: a session of its own whose controlling terminal is
 * the slave of @master, on 0 to 2, with the report and input pipes, in
 * the test's directory. Return: 0, or the status to exit with.
 */
static int job_session(FIXTURE_DATA(rt) *self, int master)
{
	int tty;

	if (setsid() < 0 || dup2(self->report[1], REPORT_FD) < 0 ||
	    dup2(self->input[0], INPUT_FD) < 0 || chdir(self->dir))
		return 20;
	tty = open(ptsname(master), O_RDWR);
	if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) || dup2(tty, 0) < 0 || dup2(tty, 1) < 0 ||
	    dup2(tty, 2) < 0)
		return 21;
	close(tty);
	close(master);
	return 0;
}

TEST_F(rt, threads_handed_to_the_restore_helper_job_control)
{
	char helper[256], path[200], buf[REPORT_MAX];
	int master, fd, status;
	pid_t pid;

	get_restore_helper(helper, sizeof(helper));
	if (!helper[0] || access(helper, X_OK))
		SKIP(return, "no restore helper at '%s' (kernel.cr.restore_helper)", helper);
	set_new_tids(0);
	checkpoint_child(_metadata, self, scenario_threads_job, 300);
	master = job_pty(self);
	ASSERT_LE(0, master);
	/* A shell's job: a session with the terminal, the image in front. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *argv[] = { self->image, NULL };
		int ret = job_session(self, master);

		if (ret)
			_exit(ret);
		if (tcsetpgrp(0, getpid()))
			_exit(21);
		execv(self->image, argv);
		_exit(22);
	}
	close(self->report[1]);
	self->report[1] = -1;
	snprintf(path, sizeof(path), "%s/restored.flag", self->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0666);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(path, sizeof(path), "%s/signal.me", self->dir);
	ASSERT_TRUE(wait_for_file(path, 20));
	/* Ctrl-Z: the job stops, as the shell sees it. */
	ASSERT_EQ(1, write(master, "\x1a", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
	EXPECT_TRUE(WIFSTOPPED(status)) TH_LOG("helper status %#x", status);
	/* fg, then Ctrl-C. */
	ASSERT_EQ(0, kill(pid, SIGCONT));
	usleep(200000);
	ASSERT_EQ(1, write(master, "\x03", 1));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("job control ok", buf);
	close(master);
}

/*
 * From a real interactive shell (/bin/sh -i on a pty: job control on), as
 * a user types it: "IMAGE" runs the image in the foreground, through the
 * helper; Ctrl-Z stops the job and the shell says so; "fg" continues it;
 * Ctrl-C reaches it; the shell gets its status ("echo $?" after fg). A
 * threaded image (each thread its id) and a tree (a child in the root's
 * group, killed by the Ctrl-C), as root and as uid 1000.
 */
static void scenario_shell_threads(void)
{
	if (restore_uid && (setgroups(0, NULL) ||
			    setresgid(restore_uid, restore_uid, restore_uid) ||
			    setresuid(restore_uid, restore_uid, restore_uid)))
		report("shell: cannot become uid %u (%d)", restore_uid, errno);
	prctl(PR_SET_DUMPABLE, 1);
	scenario_threads_job();
}

static void scenario_shell_tree(void)
{
	int status = 0, fd;
	pid_t child;

	if (restore_uid && (setgroups(0, NULL) ||
			    setresgid(restore_uid, restore_uid, restore_uid) ||
			    setresuid(restore_uid, restore_uid, restore_uid)))
		report("shell: cannot become uid %u (%d)", restore_uid, errno);
	prctl(PR_SET_DUMPABLE, 1);
	signal(SIGINT, on_job_int);
	child = fork();
	if (child < 0)
		report("shell: fork (%d)", errno);
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		for (;;)
			pause();
	}
	while (access("restored.flag", F_OK))
		usleep(10000);
	if (syscall(SYS_getpid) != orig_pid || getuid() != restore_uid)
		report("shell: pid %ld (was %d), uid %u", syscall(SYS_getpid), orig_pid, getuid());
	fd = open("signal.me", O_WRONLY | O_CREAT, 0666);
	close(fd);
	for (int n = 0; n < 2000 && !job_int; n++)
		usleep(10000);
	if (!job_int)
		report("shell: no SIGINT from the terminal");
	if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGINT)
		report("shell: the child %d ended with %#x, not by SIGINT", child, status);
	if (tcgetpgrp(0) != getpgrp())
		report("shell: the terminal's foreground group is %d, not its %d", tcgetpgrp(0),
		       getpgrp());
	report("tree job control ok");
}

/* Read @fd into @buf (of @len) until it holds @want, or @ms pass. */
static bool read_until(int fd, char *buf, size_t len, size_t *used, const char *want, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (; ms > 0; ms -= 50) {
		ssize_t n;

		buf[*used] = '\0';
		if (strstr(buf, want))
			return true;
		if (poll(&p, 1, 50) <= 0)
			continue;
		n = read(fd, buf + *used, len - 1 - *used);
		if (n <= 0)
			return false;
		*used += n;
	}
	buf[*used] = '\0';
	return strstr(buf, want);
}

static void shell_job(struct __test_metadata *_metadata, FIXTURE_DATA(rt) *self,
		      void (*fn)(void), uid_t uid, const char *expect)
{
	static char out[65536];
	char helper[256], path[200], cmd[400], buf[REPORT_MAX];
	size_t used = 0;
	int master, fd;
	pid_t pid;

	get_restore_helper(helper, sizeof(helper));
	if (!helper[0] || access(helper, X_OK))
		SKIP(return, "no restore helper at '%s' (kernel.cr.restore_helper)", helper);
	if (access("/bin/sh", X_OK))
		SKIP(return, "no /bin/sh");
	set_new_tids(0);
	restore_uid = uid;
	ASSERT_EQ(0, chmod(self->dir, 0777));
	checkpoint_child(_metadata, self, fn, 300);
	snprintf(path, sizeof(path), "%s/restored.flag", self->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0666);
	ASSERT_LE(0, fd);
	close(fd);
	master = job_pty(self);
	ASSERT_LE(0, master);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int ret = job_session(self, master);

		if (ret)
			_exit(ret);
		close(self->report[0]);
		close(self->report[1]);
		if (uid && (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid)))
			_exit(24);
		setenv("PS1", "cr$ ", 1);
		unsetenv("ENV");
		execl("/bin/sh", "sh", "-i", NULL);
		_exit(22);
	}
	close(self->report[1]);
	self->report[1] = -1;
	restore_uid = 0;
	ASSERT_TRUE(read_until(master, out, sizeof(out), &used, "cr$ ", 10000))
		TH_LOG("no prompt: '%s'", out);
	snprintf(cmd, sizeof(cmd), "%s\n", self->image);
	ASSERT_EQ((ssize_t)strlen(cmd), write(master, cmd, strlen(cmd)));
	snprintf(path, sizeof(path), "%s/signal.me", self->dir);
	ASSERT_TRUE(wait_for_file(path, 30)) TH_LOG("the image did not run: '%s'", out);
	/* Ctrl-Z: the shell says the job stopped, and prompts again. */
	ASSERT_EQ(1, write(master, "\x1a", 1));
	EXPECT_TRUE(read_until(master, out, sizeof(out), &used, "topped", 10000))
		TH_LOG("no job stopped: '%s'", out);
	used = 0;
	ASSERT_EQ(3, write(master, "fg\n", 3));
	usleep(500000);
	/* Ctrl-C; once the shell prompts again, the job's status as it got it. */
	ASSERT_EQ(1, write(master, "\x03", 1));
	EXPECT_TRUE(read_until(master, out, sizeof(out), &used, "cr$ ", 20000))
		TH_LOG("no prompt after the job: '%s'", out);
	used = 0;
	ASSERT_EQ(16, write(master, "echo status=$?.\n", 16));
	EXPECT_TRUE(read_until(master, out, sizeof(out), &used, "status=0.", 10000))
		TH_LOG("not status 0: '%s'", out);
	ASSERT_EQ(5, write(master, "exit\n", 5));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ(expect, buf);
	close(master);
}

TEST_F(rt, threads_from_an_interactive_shell_job_control)
{
	shell_job(_metadata, self, scenario_shell_threads, 0, "job control ok");
}

TEST_F(rt, threads_from_an_interactive_shell_job_control_as_a_user)
{
	shell_job(_metadata, self, scenario_shell_threads, 1000, "job control ok");
}

TEST_F(rt, tree_from_an_interactive_shell_job_control)
{
	shell_job(_metadata, self, scenario_shell_tree, 0, "tree job control ok");
}

TEST_F(rt, tree_from_an_interactive_shell_job_control_as_a_user)
{
	shell_job(_metadata, self, scenario_shell_tree, 1000, "tree job control ok");
}

TEST_F(rt, threads_handed_to_the_restore_helper)
{
	helper_round_trip(_metadata, self, 0, false);
}

TEST_F(rt, threads_handed_to_the_restore_helper_as_a_user)
{
	helper_round_trip(_metadata, self, 1000, false);
}

/*
 * CR_READY_FD for the helper (crcore restore --ready-fd): the root's pid,
 * written once the restore is complete: its threads are all there and its
 * handler of SIGUSR2 is back.
 */
TEST_F(rt, threads_handed_to_the_restore_helper_ready_fd)
{
	char helper[256], path[200], buf[REPORT_MAX], line[512];
	unsigned long long caught = 0;
	int rp[2], fd, threads = 0;
	pid_t pid, root;
	FILE *f;

	get_restore_helper(helper, sizeof(helper));
	if (!helper[0] || access(helper, X_OK))
		SKIP(return, "no restore helper at '%s' (kernel.cr.restore_helper)", helper);
	set_new_tids(0);
	checkpoint_child(_metadata, self, scenario_threads_helper, 300);
	ASSERT_EQ(0, pipe(rp));
	restore_ready_fd = rp[1];
	pid = restore_image(_metadata, self, NULL);
	restore_ready_fd = -1;
	close(rp[1]);
	memset(line, 0, sizeof(line));
	ASSERT_LT(0, read(rp[0], line, sizeof(line) - 1));
	close(rp[0]);
	root = atoi(line);
	ASSERT_LT(0, root);
	snprintf(path, sizeof(path), "/proc/%d/status", root);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "Threads: %d", &threads);
		sscanf(line, "SigCgt: %llx", &caught);
	}
	fclose(f);
	EXPECT_EQ(NT + 1, threads);
	EXPECT_TRUE(caught & (1ULL << (SIGUSR2 - 1))) TH_LOG("SigCgt %#llx", caught);
	snprintf(path, sizeof(path), "%s/restored.flag", self->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0666);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(path, sizeof(path), "%s/signal.me", self->dir);
	if (wait_for_file(path, 20))
		EXPECT_EQ(0, kill(pid, SIGUSR2));
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("helper ok: threads with their ids, signal passed on", buf);
}

TEST_F(rt, threads_of_a_user_restored_by_root_as_owner)
{
	helper_round_trip(_metadata, self, 1000, true);
}

TEST_F(rt, threads_with_new_ids)
{
	round_trip_new_tids(_metadata, self, scenario_threads, "threads ok, 0 of 8 with their ids");
}

TEST_F(rt, threads_condvar_join_nanosleep)
{
	round_trip_new_tids(_metadata, self, scenario_condvar_join, "condvar ok");
}

TEST_F(rt, threads_avx_per_thread)
{
	round_trip_new_tids(_metadata, self, scenario_avx_threads, "avx ok");
}

TEST_F(rt, threads_pool_reduction)
{
	round_trip_new_tids(_metadata, self, scenario_reduction, "reduction ok");
}

struct pid2_arg {
	FIXTURE_DATA(rt) *self;
};

static void pid2_scenario(void *arg)
{
	FIXTURE_DATA(rt) *self = ((struct pid2_arg *)arg)->self;

	prctl(PR_SET_NAME, CHILD_NAME);
	if (chdir(self->dir) || dup2(self->report[1], REPORT_FD) < 0)
		_exit(1);
	orig_pid = syscall(SYS_getpid);
	if (write(self->ready[1], "r", 1) != 1)
		_exit(1);
	scenario_threads_orig_ids();
}

static void pid2_restore(void *arg)
{
	FIXTURE_DATA(rt) *self = ((struct pid2_arg *)arg)->self;
	char *argv[] = { self->image, NULL };

	if (dup2(self->report[1], REPORT_FD) < 0 || chdir(self->dir) ||
	    close(open("restored.flag", O_CREAT | O_WRONLY, 0600)))
		_exit(20);
	execv(self->image, argv);
	_exit(errno);
}

TEST_F(rt, threads_original_ids_in_pid_namespace)
{
	struct pid2_arg arg = { self };
	char buf[REPORT_MAX], c;
	int ctl[2], status;
	pid_t pid;

	set_new_tids(0);
	ASSERT_EQ(0, pipe(ctl));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ctl[1]);
		_exit(cr_run_as_pid2(pid2_scenario, &arg, ctl[0]));
	}
	ASSERT_EQ(1, read(self->ready[0], &c, 1));
	usleep(300000);
	ASSERT_EQ(1, write(ctl[1], "c", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("checkpoint in the pid namespace: status %#x", status);

	close(self->report[0]);
	close(self->report[1]);
	ASSERT_EQ(0, pipe(self->report));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(cr_run_as_pid2(pid2_restore, &arg, -1));
	close(self->report[1]);
	restored_report(_metadata, self, pid, buf);
	EXPECT_STREQ("threads ok with original ids", buf);
}

TEST_HARNESS_MAIN
