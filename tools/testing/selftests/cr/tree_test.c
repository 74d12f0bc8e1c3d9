// SPDX-License-Identifier: GPL-2.0
/*
 * Process trees: a root process builds a tree of descendants, one SIGCKPT
 * in exit mode checkpoints and kills the whole tree, and exec of the image
 * rebuilds it. Every process checks its own state after the restore
 * (memory checksum, parent, process group, session) and exits with a
 * status that says so; parents collect their children's statuses with
 * wait(), across the restore, and the root reports on REPORT_FD.
 *
 * Most tests run the tree in a new pid namespace (root = pid 2) and
 * restore it in another, so that every process gets its original pid;
 * one restores with new ids (kernel.cr.new_tids).
 *
 * A process knows it was restored when the file "restored.flag" exists
 * in its working directory: the restoring process creates it just before
 * the exec.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <mqueue.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fib_rules.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/veth.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/fanotify.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <linux/cr.h>

#include "../kselftest_harness.h"
#include "cr_test.h"

#define ROOT_NAME	"crtree"
#define READY_FD	103	/* descendants say they are set up (READY_FD - 1 reads them) */
#define FLAG		"restored.flag"

static bool restored(void)
{
	return access(FLAG, F_OK) == 0;
}

static void wait_restored(void)
{
	while (!restored())
		usleep(10000);
}




/* Private memory of a process of the tree, different for each. */
struct mem {
	unsigned char *p;
	size_t len;
	uint64_t sum;
};

static void mem_fill(struct mem *m, size_t len, unsigned int seed)
{
	m->len = len;
	m->p = malloc(len);
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		m->p[i] = seed >> 16;
	}
	m->sum = fnv(m->p, len);
}

static bool mem_ok(const struct mem *m)
{
	return fnv(m->p, m->len) == m->sum;
}

static int test_ready_fd = -1;	/* the root tells the test */
static size_t member_mem = 256 << 10;

/* A descendant is set up. */
static void ready(void)
{
	if (write(READY_FD, "r", 1) != 1)
		_exit(2);
}

/* The root and its descendants are set up. */
static void root_ready(void)
{
	if (write(test_ready_fd, "r", 1) != 1)
		_exit(2);
}

/* Wait for @n descendants to be set up. */
static void wait_ready(int fd, int n)
{
	char c;

	while (n-- > 0)
		if (read(fd, &c, 1) != 1)
			_exit(3);
}

/*
 * A process of the tree: its memory and its parent, checked after the
 * restore; with @orig_ids, its parent must be the very same pid.
 * Exits with 10 + @idx when all is well.
 */
static void __attribute__((noreturn)) member(int idx, bool orig_ids, int kids)
{
	pid_t parent = getppid(), kid[16];
	int i, status, bad = 0;
	struct mem m;

	mem_fill(&m, member_mem * (idx % 4 + 1), idx);
	for (i = 0; i < kids; i++) {
		kid[i] = fork();
		if (kid[i] < 0)
			_exit(4);
		if (kid[i] == 0)
			member(idx * 10 + i + 1, orig_ids, 0);
	}
	ready();
	wait_restored();
	if (!mem_ok(&m))
		bad = 5;
	if (orig_ids ? getppid() != parent : getppid() <= 1)
		bad = 6;
	for (i = 0; i < kids; i++) {
		if (waitpid(orig_ids ? kid[i] : -1, &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status) < 10)
			bad = 7;
	}
	_exit(bad ?: 10 + idx % 200);
}

/* Scenarios: run as the root of the tree. */

static bool check_init;		/* the root must be pid 1 */

/* Parent, 3 children, a grandchild under the first: all check their memory. */
static void tree_basic(bool orig_ids)
{
	int i, status, got = 0, ok = 0;
	struct mem m;

	mem_fill(&m, 1 << 20, 99);
	for (i = 0; i < 3; i++) {
		pid_t pid = fork();

		if (pid < 0)
			_exit(4);
		if (pid == 0)
			member(i + 1, orig_ids, i == 0);
	}
	wait_ready(READY_FD - 1, 4);
	root_ready();
	wait_restored();
	while (wait(&status) > 0) {
		got++;
		ok += WIFEXITED(status) && WEXITSTATUS(status) >= 11 &&
		      WEXITSTATUS(status) <= 13;
	}
	report("tree %s: %d of %d children ok, memory %s%s", got == 3 && ok == 3 ? "ok" : "bad",
	       ok, got, mem_ok(&m) ? "ok" : "bad",
	       !check_init ? "" : getpid() == 1 ? ", pid 1" : ", not pid 1");
}

static void tree_orig(void)
{
	tree_basic(true);
}

static void tree_init(void)
{
	check_init = true;
	tree_basic(true);
}

static void tree_new_ids(void)
{
	tree_basic(false);
}

/*
 * A child killed just before the checkpoint, still freeing its 128 MiB
 * when the tree is frozen: the checkpoint waits for it and saves the
 * zombie it becomes (it used to be refused with EBUSY). The root holds
 * SIGCKPT blocked until it is pending, kills the child and unblocks it:
 * the checkpoint starts on the way back from sigprocmask().
 */
static void tree_exiting_child(void)
{
	sigset_t ckpt, pending;
	size_t len = 128 << 20;
	int status;
	pid_t kid;

	sigemptyset(&ckpt);
	sigaddset(&ckpt, SIGCKPT);
	if (sigprocmask(SIG_BLOCK, &ckpt, NULL))
		_exit(5);
	kid = fork();
	if (kid == 0) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(6);
		memset(p, 1, len);
		ready();
		pause();
		_exit(7);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	do {
		usleep(1000);
		sigpending(&pending);
	} while (!sigismember(&pending, SIGCKPT));
	kill(kid, SIGKILL);
	sigprocmask(SIG_UNBLOCK, &ckpt, NULL);
	wait_restored();
	if (waitpid(kid, &status, 0) != kid)
		report("exiting child lost (%d)", errno);
	else if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		report("exiting child status %#x", status);
	else
		report("exiting child ok: killed by SIGKILL");
}

/* An exited child nobody reaped: its status survives the restore. */
static void tree_zombie(void)
{
	siginfo_t si;
	pid_t z, live;
	int status;

	z = fork();
	if (z == 0)
		_exit(42);
	live = fork();
	if (live == 0)
		member(1, true, 0);
	wait_ready(READY_FD - 1, 1);
	/* Until it is a zombie. */
	while (waitid(P_PID, z, &si, WEXITED | WNOWAIT) != 0)
		usleep(1000);
	root_ready();
	wait_restored();
	if (waitpid(z, &status, 0) != z)
		report("zombie lost (%d)", errno);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 42)
		report("zombie status %#x", status);
	if (waitpid(live, &status, 0) != live || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 11)
		report("live child status %#x", status);
	report("zombie ok");
}

/*
 * Sessions and process groups: A leads a new session with a child in it,
 * B leads a group that C joined. Each checks its ids after the restore.
 */
static void __attribute__((noreturn)) ids_member(pid_t pgid, pid_t sid, int kids)
{
	pid_t kid = 0;
	int status, bad = 0;

	if (kids) {
		kid = fork();
		if (kid == 0)
			ids_member(pgid, sid, 0);
	}
	if (getpgid(0) != pgid || getsid(0) != sid)
		_exit(8);
	ready();
	wait_restored();
	if (getpgid(0) != pgid || getsid(0) != sid)
		bad = 9;
	if (kid && (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 10))
		bad = 7;
	_exit(bad ?: 10);
}

static void tree_sessions(void)
{
	pid_t a, b, c, sid = getsid(0), pgid = getpgid(0);
	int status, i, bad = 0;
	int pfd[2];

	if (pipe(pfd))
		_exit(4);
	a = fork();
	if (a == 0) {
		setsid();
		ids_member(getpid(), getpid(), 1);
	}
	b = fork();
	if (b == 0) {
		setpgid(0, 0);
		close(pfd[0]);
		if (write(pfd[1], "b", 1) != 1)
			_exit(4);
		ids_member(getpid(), sid, 0);
	}
	c = fork();
	if (c == 0) {
		char x;

		if (read(pfd[0], &x, 1) != 1 || setpgid(0, b))
			_exit(4);
		ids_member(b, sid, 0);
	}
	close(pfd[0]);
	close(pfd[1]);
	wait_ready(READY_FD - 1, 4);
	root_ready();
	wait_restored();
	for (i = 0; i < 3; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
			bad = WIFEXITED(status) ? WEXITSTATUS(status) : 100;
	/* The root's own group and session are the restoring caller's. */
	(void)pgid;
	if (bad)
		report("sessions bad (%d)", bad);
	report("sessions ok");
}

/* A tree of 100 processes: 9 children with 10 grandchildren each. */
static void tree_hundred(void)
{
	int i, status, got = 0, ok = 0;

	member_mem = 16 << 10;
	for (i = 0; i < 9; i++) {
		pid_t pid = fork();

		if (pid < 0)
			_exit(4);
		if (pid == 0)
			member(i + 1, true, 10);
	}
	wait_ready(READY_FD - 1, 99);
	root_ready();
	wait_restored();
	while (wait(&status) > 0) {
		got++;
		ok += WIFEXITED(status) && WEXITSTATUS(status) >= 11;
	}
	report("hundred %s: %d of %d", ok == 9 && got == 9 ? "ok" : "bad", ok, got);
}

/*
 * producer | filter | consumer, with both pipes full at the checkpoint:
 * the consumer checks every byte that arrives, end to end, after the
 * restore. The pipes are each process's standard input and output.
 */
#define PIPE_TOTAL	(1 << 20)

static unsigned char stream_byte(unsigned long i)
{
	return (i * 2654435761u) >> 13;
}

static bool write_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf = (const char *)buf + n;
		len -= n;
	}
	return true;
}

static void tree_pipeline(void)
{
	int p1[2], p2[2], i, status, ok = 0;
	unsigned long got = 0, bad = 0;
	unsigned char buf[4096];

	if (pipe(p1) || pipe(p2))
		_exit(4);
	if (fork() == 0) {		/* producer */
		unsigned long n = 0;

		dup2(p1[1], 1);
		close(p1[0]); close(p1[1]); close(p2[0]); close(p2[1]);
		ready();
		while (n < PIPE_TOTAL) {
			for (i = 0; i < (int)sizeof(buf); i++)
				buf[i] = stream_byte(n + i);
			if (!write_all(1, buf, sizeof(buf)))
				_exit(5);
			n += sizeof(buf);
		}
		_exit(10);
	}
	if (fork() == 0) {		/* filter: inverts every byte */
		ssize_t n;

		dup2(p1[0], 0);
		dup2(p2[1], 1);
		close(p1[0]); close(p1[1]); close(p2[0]); close(p2[1]);
		ready();
		while ((n = read(0, buf, sizeof(buf))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				_exit(5);
			for (i = 0; i < n; i++)
				buf[i] ^= 0xff;
			if (!write_all(1, buf, n))
				_exit(6);
		}
		_exit(10);
	}
	if (fork() == 0) {		/* consumer: reads some, then waits */
		ssize_t n;

		dup2(p2[0], 0);
		close(p1[0]); close(p1[1]); close(p2[0]); close(p2[1]);
		while (got < 100000) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0)
				_exit(5);
			for (i = 0; i < n; i++)
				bad += (buf[i] ^ 0xff) != stream_byte(got + i);
			got += n;
		}
		ready();
		wait_restored();
		while ((n = read(0, buf, sizeof(buf))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				_exit(6);
			for (i = 0; i < n; i++)
				bad += (buf[i] ^ 0xff) != stream_byte(got + i);
			got += n;
		}
		_exit(got == PIPE_TOTAL && !bad ? 10 : 7);
	}
	close(p1[0]); close(p1[1]); close(p2[0]); close(p2[1]);
	wait_ready(READY_FD - 1, 3);
	root_ready();
	wait_restored();
	for (i = 0; i < 3; i++)
		if (wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 10)
			ok++;
	report("pipeline %s: %d of 3", ok == 3 ? "ok" : "bad", ok);
}

/*
 * What a parent and its child share: one open file (one offset), shared
 * anonymous memory and a memfd, mapped and by its descriptor, each written
 * by the child after the restore and seen by the parent.
 */
#define SHARED_LEN	(1 << 20)

static void tree_shared(void)
{
	unsigned char *anon, *mfd;
	int fd, go[2], status, m;
	char buf[64];
	pid_t kid;
	off_t pos;

	anon = mmap(NULL, SHARED_LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	m = memfd_create("crtree", 0);
	if (anon == MAP_FAILED || m < 0 || ftruncate(m, SHARED_LEN))
		_exit(4);
	mfd = mmap(NULL, SHARED_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	fd = open("shared.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (mfd == MAP_FAILED || fd < 0 || pipe(go) || write(fd, "start:", 6) != 6)
		_exit(4);
	memset(anon, 0x11, SHARED_LEN);
	memset(mfd, 0x22, SHARED_LEN);
	kid = fork();
	if (kid == 0) {
		char c;

		close(go[1]);
		ready();
		wait_restored();
		/* After the parent's write: the offset is one. */
		if (read(go[0], &c, 1) != 1 || write(fd, "child;", 6) != 6)
			_exit(5);
		memset(anon + SHARED_LEN / 2, 0x33, SHARED_LEN / 2);
		memset(mfd, 0x44, SHARED_LEN / 2);
		/* Its descriptor and both mappings are one memfd again. */
		if (pwrite(m, "\x55", 1, SHARED_LEN - 1) != 1)
			_exit(6);
		_exit(10);
	}
	close(go[0]);
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (write(fd, "parent;", 7) != 7 || write(go[1], "g", 1) != 1)
		report("shared: write failed");
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("shared: child status %#x", status);
	pos = lseek(fd, 0, SEEK_CUR);
	memset(buf, 0, sizeof(buf));
	if (pread(fd, buf, sizeof(buf) - 1, 0) < 0)
		report("shared: read failed");
	if (pos != 19 || strcmp(buf, "start:parent;child;"))
		report("shared offset bad: at %ld, '%s'", (long)pos, buf);
	for (int i = 0; i < SHARED_LEN; i++) {
		if (anon[i] != (i < SHARED_LEN / 2 ? 0x11 : 0x33))
			report("shared anonymous memory bad at %d: %#x", i, anon[i]);
		if (mfd[i] != (i < SHARED_LEN / 2 ? 0x44 : i == SHARED_LEN - 1 ? 0x55 : 0x22))
			report("shared memfd memory bad at %d: %#x", i, mfd[i]);
	}
	report("shared ok");
}

/*
 * A pre-forked server: the parent and 4 workers, each on a socket pair of
 * its own (stream, datagram, seqpacket, stream). Requests the workers have
 * not read and answers the parent has not read are queued at the
 * checkpoint; after the restore every answer must come back, in order.
 */
#define NR_WORKERS	4
#define NR_REQUESTS	50

static uint32_t answer(uint32_t x)
{
	return x * x + 1;
}

static bool recv_u32(int fd, uint32_t *x)
{
	size_t got = 0;

	while (got < sizeof(*x)) {
		ssize_t n = read(fd, (char *)x + got, sizeof(*x) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += n;
	}
	return true;
}

static void __attribute__((noreturn)) worker(int fd)
{
	uint32_t x, y;
	int i;

	for (i = 0; i < NR_REQUESTS; i++) {
		if (i == 10) {
			ready();
			wait_restored();
		}
		if (!recv_u32(fd, &x))
			_exit(5);
		y = answer(x);
		if (write(fd, &y, sizeof(y)) != sizeof(y))
			_exit(6);
	}
	_exit(10);
}

static void tree_server(void)
{
	static const int types[NR_WORKERS] = {
		SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM
	};
	int sv[NR_WORKERS][2], i, j, status, ok = 0;
	uint32_t x, y;

	for (i = 0; i < NR_WORKERS; i++) {
		if (socketpair(AF_UNIX, types[i], 0, sv[i]))
			_exit(4);
		if (fork() == 0) {
			for (j = 0; j <= i; j++)
				close(sv[j][0]);
			worker(sv[i][1]);
		}
		close(sv[i][1]);
		for (j = 0; j < NR_REQUESTS; j++) {
			x = i * 1000 + j;
			if (write(sv[i][0], &x, sizeof(x)) != sizeof(x))
				_exit(4);
		}
	}
	wait_ready(READY_FD - 1, NR_WORKERS);
	root_ready();
	wait_restored();
	for (i = 0; i < NR_WORKERS; i++) {
		for (j = 0; j < NR_REQUESTS; j++)
			if (!recv_u32(sv[i][0], &y) || y != answer(i * 1000 + j))
				report("server: worker %d answer %d wrong", i, j);
	}
	for (i = 0; i < NR_WORKERS; i++)
		if (wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 10)
			ok++;
	report("server %s: %d of %d workers", ok == NR_WORKERS ? "ok" : "bad", ok,
	       NR_WORKERS);
}

/*
 * An epoll and a semaphore eventfd shared by a parent and its workers,
 * as a preforked server shares its listening sockets: the workers wait
 * in epoll_wait() on the epoll they inherited. After the restore the
 * parent posts 6 units on the eventfd; each worker takes 3, one at a
 * time, woken by the same restored epoll. The epoll and the eventfd are
 * one file each in the tree again (the parent's table names the
 * epoll's target; the workers' descriptors carry none).
 */
#define EV_WORKERS	2

static void __attribute__((noreturn)) ev_worker(int ep, int efd)
{
	struct epoll_event ev;
	int got = 0, spins = 0;
	uint64_t n;

	ready();
	while (got < 3 && spins < 1000) {
		if (epoll_wait(ep, &ev, 1, 100) == 1 && ev.data.u64 != 0xfeed)
			_exit(5);
		if (read(efd, &n, sizeof(n)) == sizeof(n)) {
			if (n != 1)
				_exit(6);
			got++;
			/* Let the other worker have its share. */
			usleep(50000);
		}
		spins += restored();
	}
	_exit(got == 3 ? 10 : 7);
}

static void tree_events(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0xfeed };
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int efd = eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK);
	int i, status, ok = 0;
	uint64_t six = 6, n;

	if (ep < 0 || efd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev))
		_exit(4);
	for (i = 0; i < EV_WORKERS; i++)
		if (fork() == 0)
			ev_worker(ep, efd);
	wait_ready(READY_FD - 1, EV_WORKERS);
	root_ready();
	wait_restored();
	if (write(efd, &six, sizeof(six)) != sizeof(six))
		report("events: cannot post");
	for (i = 0; i < EV_WORKERS; i++)
		if (wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 10)
			ok++;
	if (read(efd, &n, sizeof(n)) != -1 || errno != EAGAIN)
		report("events: units left on the eventfd");
	report("events %s: %d of %d workers", ok == EV_WORKERS ? "ok" : "bad", ok,
	       EV_WORKERS);
}

/*
 * SysV IPC used across the tree: the root makes a set (value 2) and a
 * queue; a child takes 1 of the set with SEM_UNDO and sends two
 * messages. The test removes both before the restore (as in another
 * boot): made again from the root's image, the child holds its 1 again
 * (value 1) and its exit releases it (2); the root receives the child's
 * messages in order.
 */
#define TREE_SEM_KEY	0x43527611
#define TREE_MSG_KEY	0x43527612

struct tree_msg {
	long mtype;
	char mtext[16];
};

static void tree_ipc_forget(void)
{
	int id = semget(TREE_SEM_KEY, 0, 0);

	if (id >= 0)
		semctl(id, 0, IPC_RMID);
	id = msgget(TREE_MSG_KEY, 0);
	if (id >= 0)
		msgctl(id, IPC_RMID, NULL);
}

static void tree_ipc(void)
{
	int s = semget(TREE_SEM_KEY, 1, IPC_CREAT | IPC_EXCL | 0600);
	int q = msgget(TREE_MSG_KEY, IPC_CREAT | IPC_EXCL | 0600);
	struct tree_msg m;
	int status;

	if (s < 0 || q < 0 || semctl(s, 0, SETVAL, 2))
		_exit(4);
	if (fork() == 0) {
		struct sembuf take = { .sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO };
		struct tree_msg a = { 3, "first" }, b = { 4, "second" };

		if (semop(s, &take, 1) || msgsnd(q, &a, 5, 0) || msgsnd(q, &b, 6, 0))
			_exit(4);
		ready();
		wait_restored();
		_exit(semget(TREE_SEM_KEY, 0, 0) == s && semctl(s, 0, GETVAL) == 1 ? 10 : 5);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("ipc: the child's set is wrong (status %#x)", status);
	if (semctl(s, 0, GETVAL) != 2)
		report("ipc: the set is %d after the child's exit", semctl(s, 0, GETVAL));
	if (msgget(TREE_MSG_KEY, 0) != q ||
	    msgrcv(q, &m, sizeof(m.mtext), 0, IPC_NOWAIT) != 5 || m.mtype != 3 ||
	    memcmp(m.mtext, "first", 5) ||
	    msgrcv(q, &m, sizeof(m.mtext), 0, IPC_NOWAIT) != 6 || m.mtype != 4 ||
	    memcmp(m.mtext, "second", 6))
		report("ipc: the queue's messages are wrong");
	semctl(s, 0, IPC_RMID);
	msgctl(q, IPC_RMID, NULL);
	report("ipc ok");
}

/*
 * Connections listeners of the tree have not accepted yet, across
 * processes: two children connect, one after the other, to the root's
 * listener and send their names; the root connects to a child's listener
 * (one prepared after the root at restore) and sends "r". After the
 * restore the root accepts its two in the order they came, each with its
 * child's bytes, and answers each; the child accepts the root's.
 */
static void __attribute__((noreturn)) pend_child(int n, struct sockaddr_un *l)
{
	char name[8], buf[8];
	int c = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(name, sizeof(name), "child%d", n);
	if (c < 0 || connect(c, (void *)l, sizeof(*l)) || write(c, name, 6) != 6)
		_exit(4);
	ready();
	wait_restored();
	_exit(read(c, buf, sizeof(buf)) == 6 && !memcmp(buf, name, 6) ? 10 : 5);
}

static void tree_pending(void)
{
	struct sockaddr_un l = { .sun_family = AF_UNIX }, t = { .sun_family = AF_UNIX };
	int ls, c, i, s, status, ok = 0;
	char buf[8];

	strcpy(l.sun_path, "tree-l");
	strcpy(t.sun_path, "tree-t");
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (void *)&l, sizeof(l)) || listen(ls, 4))
		_exit(4);
	for (i = 0; i < 2; i++) {
		if (fork() == 0)
			pend_child(i, &l);
		wait_ready(READY_FD - 1, 1);
	}
	if (fork() == 0) {
		int ts = socket(AF_UNIX, SOCK_STREAM, 0);

		if (ts < 0 || bind(ts, (void *)&t, sizeof(t)) || listen(ts, 1))
			_exit(4);
		ready();
		wait_restored();
		s = accept(ts, NULL, NULL);
		_exit(s >= 0 && read(s, buf, sizeof(buf)) == 1 && buf[0] == 'r' ? 10 : 5);
	}
	wait_ready(READY_FD - 1, 1);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (void *)&t, sizeof(t)) || write(c, "r", 1) != 1)
		_exit(4);
	root_ready();
	wait_restored();
	for (i = 0; i < 2; i++) {
		s = accept(ls, NULL, NULL);
		memset(buf, 0, sizeof(buf));
		if (s < 0 || read(s, buf, sizeof(buf)) != 6 || buf[5] != '0' + i ||
		    write(s, buf, 6) != 6)
			report("pending: connection %d is '%s'", i, buf);
	}
	for (i = 0; i < 3; i++)
		if (wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 10)
			ok++;
	report("pending %s: %d of 3", ok == 3 ? "ok" : "bad", ok);
}

/*
 * Descriptors in flight between processes (SCM_RIGHTS), sent and closed,
 * not received yet: the root sends its child a file at an offset and a
 * pipe's read end (the root keeps the write end) on a seqpacket pair;
 * the child sends the root an end of a socket pair of its own, with
 * bytes queued on it. After the restore each receives its own, in the
 * state it had, and the files still lead where they did.
 */
static void scm_send_fds(int s, const char *data, const int *fds, int nr)
{
	char cm[CMSG_SPACE(2 * sizeof(int))] = {};
	struct iovec iov = { .iov_base = (void *)data, .iov_len = strlen(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm,
			     .msg_controllen = CMSG_SPACE(nr * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(nr * sizeof(int));
	memcpy(CMSG_DATA(c), fds, nr * sizeof(int));
	if (sendmsg(s, &mh, 0) != (ssize_t)strlen(data))
		_exit(4);
}

/* A message of @data with @nr descriptors, into @fds; else -1. */
static int scm_recv_fds(int s, const char *data, int *fds, int nr)
{
	char cm[CMSG_SPACE(4 * sizeof(int))] = {}, buf[16] = "";
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm,
			     .msg_controllen = sizeof(cm) };
	struct cmsghdr *c;

	if (recvmsg(s, &mh, MSG_DONTWAIT) != (ssize_t)strlen(data) ||
	    memcmp(buf, data, strlen(data)))
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(nr * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(c), nr * sizeof(int));
	return 0;
}

static void tree_scm(void)
{
	int sp[2], p[2], f, fds[2], status;
	char buf[8] = "";
	pid_t pid;

	unlink("tree-scm");
	f = open("tree-scm", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (f < 0 || write(f, "abcdef", 6) != 6 || lseek(f, 2, SEEK_SET) != 2 || pipe(p) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp))
		_exit(4);
	pid = fork();
	if (pid == 0) {
		int cp[2];

		close(sp[0]);
		close(p[1]);
		close(p[0]);
		close(f);
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, cp) || write(cp[1], "hello", 5) != 5)
			_exit(4);
		scm_send_fds(sp[1], "c", cp, 1);
		close(cp[0]);
		ready();
		wait_restored();
		if (scm_recv_fds(sp[1], "f", fds, 2) || read(fds[0], buf, 4) != 4 ||
		    memcmp(buf, "cdef", 4) || read(fds[1], buf, 1) != 1 || buf[0] != 'x' ||
		    read(cp[1], buf, 4) != 4 || memcmp(buf, "back", 4))
			_exit(5);
		_exit(10);
	}
	close(sp[1]);
	fds[0] = f;
	fds[1] = p[0];
	scm_send_fds(sp[0], "f", fds, 2);
	close(f);
	close(p[0]);
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (scm_recv_fds(sp[0], "c", fds, 1) || read(fds[0], buf, 5) != 5 ||
	    memcmp(buf, "hello", 5))
		report("scm: the child's socket (%d)", errno);
	if (write(p[1], "x", 1) != 1 || write(fds[0], "back", 4) != 4)
		report("scm: writing (%d)", errno);
	report("scm %s", waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 10 ? "ok" : "bad");
}

/*
 * Memory a parent and its children still share copy-on-write since fork:
 * 8 MiB the parent filled, which two children never write and a third
 * rewrites in part. The image stores it once (the test checks the size);
 * after the restore every process sees its own view, and what the
 * children did not write is still shared with the parent in RAM.
 */
#define COW_LEN		(8 << 20)

/* Memory this process shares with others, from /proc/self/smaps_rollup. */
static long shared_kb(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long kb, total = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Shared_Clean: %ld", &kb) == 1 ||
		    sscanf(line, "Shared_Dirty: %ld", &kb) == 1)
			total += kb;
	fclose(f);
	return total;
}

static void tree_cow(void)
{
	int i, status, ok = 0;
	struct mem m;

	mem_fill(&m, COW_LEN, 7);
	for (i = 0; i < 3; i++) {
		if (fork() == 0) {
			uint64_t sum;

			if (i == 2) {
				memset(m.p, 0x5a, 1 << 20);
				sum = fnv(m.p, COW_LEN);
			} else {
				sum = m.sum;
			}
			ready();
			wait_restored();
			if (fnv(m.p, COW_LEN) != sum)
				_exit(5);
			/* Still shared with the parent in RAM, but what it wrote. */
			_exit(shared_kb() >= (i == 2 ? 5 : 7) * 1024 ? 10 : 6);
		}
	}
	wait_ready(READY_FD - 1, 3);
	root_ready();
	wait_restored();
	for (i = 0; i < 3; i++)
		if (wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 10)
			ok++;
	report("cow %s: %d of 3, parent %s", ok == 3 ? "ok" : "bad", ok,
	       mem_ok(&m) ? "ok" : "bad");
}

/*
 * Relations: the root is a subreaper with an orphaned grandchild it
 * adopted; a child was made with clone3() and SIGUSR2 as its exit signal
 * and has a parent-death signal. All of it must hold after the restore.
 */
static volatile sig_atomic_t usr2;

static void on_usr2(int sig)
{
	usr2++;
}

static void tree_relations(void)
{
	struct clone_args ca = { .exit_signal = SIGUSR2 };
	int status, sub = 0, pdeath = 0;
	pid_t a, g = 0, b, me = getpid();
	int p[2];

	signal(SIGUSR2, on_usr2);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(p))
		_exit(4);
	a = fork();
	if (a == 0) {
		g = fork();
		if (g == 0) {
			while (getppid() != me)		/* adopted by the root */
				usleep(1000);
			ready();
			wait_restored();
			_exit(getppid() == me ? 10 : 5);
		}
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(4);
		_exit(0);
	}
	if (read(p[0], &g, sizeof(g)) != sizeof(g) || waitpid(a, &status, 0) != a)
		_exit(4);
	b = syscall(SYS_clone3, &ca, sizeof(ca));
	if (b == 0) {
		prctl(PR_SET_PDEATHSIG, SIGUSR1);
		ready();
		wait_restored();
		prctl(PR_GET_PDEATHSIG, &pdeath);
		_exit(pdeath == SIGUSR1 && getppid() == me ? 10 : 5);
	}
	wait_ready(READY_FD - 1, 2);
	root_ready();
	wait_restored();
	prctl(PR_GET_CHILD_SUBREAPER, &sub);
	if (waitpid(g, &status, 0) != g || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("relations: adopted grandchild status %#x", status);
	if (waitpid(b, &status, __WALL) != b || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("relations: clone3 child status %#x", status);
	report("relations %s: subreaper %d, exit signal %s", sub == 1 && usr2 ? "ok" : "bad",
	       sub, usr2 ? "received" : "missing");
}

/* Does the caller have this policy, nice value and oom_score_adj? */
static bool sched_is(int policy, int nice, int oom)
{
	char buf[16] = "";
	int fd = open("/proc/self/oom_score_adj", O_RDONLY);
	bool ok = fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && atoi(buf) == oom;

	if (fd >= 0)
		close(fd);
	errno = 0;
	return ok && sched_getscheduler(0) == policy && getpriority(PRIO_PROCESS, 0) == nice &&
	       !errno;
}

static bool sched_set(int policy, int nice, const char *oom)
{
	struct sched_param sp = { 0 };
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	bool ok = fd >= 0 && write(fd, oom, strlen(oom)) == (ssize_t)strlen(oom);

	if (fd >= 0)
		close(fd);
	return ok && !sched_setscheduler(0, policy, &sp) && !setpriority(PRIO_PROCESS, 0, nice);
}

/*
 * Each process of a tree gets its own scheduling, oom_score_adj and THP
 * setting back, not its parent's: the root SCHED_BATCH nice 3, oom 100;
 * its child SCHED_IDLE nice 5, oom 200, THP disabled.
 */
static void tree_sched(void)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		if (!sched_set(SCHED_IDLE, 5, "200") || prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
			_exit(4);
		ready();
		wait_restored();
		_exit(sched_is(SCHED_IDLE, 5, 200) && prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1 ?
		      10 : 5);
	}
	if (pid < 0 || !sched_set(SCHED_BATCH, 3, "100"))
		_exit(4);
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("sched: child status %#x", status);
	if (!sched_is(SCHED_BATCH, 3, 100) || prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 0)
		report("sched: the root has policy %d, nice %d, THP disabled %d",
		       sched_getscheduler(0), getpriority(PRIO_PROCESS, 0),
		       prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	report("sched ok");
}

/*
 * A child made with clone(CLONE_FILES | CLONE_FS) shares its parent's
 * descriptor table and working directory: a file it opens and a chdir()
 * it makes after the restore are the parent's too.
 */
static void tree_shared_tables(void)
{
	struct clone_args ca = { .flags = CLONE_FILES | CLONE_FS, .exit_signal = SIGCHLD };
	char cwd[PATH_MAX], c;
	int status, fd = -1, p[2], go[2];
	pid_t kid;

	if (mkdir("sub", 0700) || pipe(p) || pipe(go))
		_exit(4);
	kid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (kid == 0) {
		ready();
		/* Once the parent saw the flag: the chdir() moves it too. */
		if (read(go[0], &c, 1) != 1)
			_exit(5);
		fd = open("child.txt", O_CREAT | O_WRONLY, 0600);
		if (fd < 0 || chdir("sub") || write(p[1], &fd, sizeof(fd)) != sizeof(fd))
			_exit(5);
		_exit(10);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (write(go[1], "g", 1) != 1)
		report("tables: cannot wake the child");
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status) != 10 ||
	    read(p[0], &fd, sizeof(fd)) != sizeof(fd))
		report("tables: child status %#x", status);
	if (fcntl(fd, F_GETFD) < 0)
		report("tables: the child's fd %d is not the parent's", fd);
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(strrchr(cwd, '/'), "/sub"))
		report("tables: the parent works in %s", cwd);
	report("tables ok");
}

/*
 * A child and its parent talk through a FIFO in the test's directory: the
 * child writes a 1 MiB stream into it after making it 256 KiB large (and
 * holds one more end, O_RDWR | O_NONBLOCK), the parent reads 100000 bytes
 * and waits; at the checkpoint the FIFO is full and the child blocked in
 * write(). After the restore, the parent checks its end (the FIFO at the
 * path, O_RDONLY, blocking, 256 KiB), reads the rest of the stream and
 * checks every byte and the checksum of all of it, then writes through a
 * new open of the path and reads that back from its end. The child checks
 * its ends' flags and exits 10 once it wrote everything.
 */
#define FIFO_NAME	"fifo"
#define FIFO_SIZE	(256 << 10)

static uint64_t fnv_step(uint64_t h, const unsigned char *p, size_t len)
{
	while (len--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static bool fifo_flags_are(int fd, int flags)
{
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && (fl & (O_ACCMODE | O_NONBLOCK)) == flags;
}

static void tree_fifo(void)
{
	uint64_t want = 0xcbf29ce484222325ull, sum = 0xcbf29ce484222325ull;
	unsigned long got = 0, bad = 0, n0;
	unsigned char buf[4096];
	int fd, w, i, status;
	struct stat st, sp;
	ssize_t n;
	pid_t kid;

	if (mkfifo(FIFO_NAME, 0600))
		_exit(4);
	for (unsigned long k = 0; k < PIPE_TOTAL; k++) {
		unsigned char c = stream_byte(k);

		want = fnv_step(want, &c, 1);
	}
	kid = fork();
	if (kid == 0) {
		int rw;

		w = open(FIFO_NAME, O_WRONLY);
		rw = open(FIFO_NAME, O_RDWR | O_NONBLOCK);
		if (w < 0 || rw < 0 || fcntl(w, F_SETPIPE_SZ, FIFO_SIZE) != FIFO_SIZE)
			_exit(4);
		ready();
		for (n0 = 0; n0 < PIPE_TOTAL; n0 += sizeof(buf)) {
			for (i = 0; i < (int)sizeof(buf); i++)
				buf[i] = stream_byte(n0 + i);
			if (!write_all(w, buf, sizeof(buf)))
				_exit(5);
		}
		if (!restored())
			_exit(6);	/* the checkpoint came too late */
		_exit(fifo_flags_are(w, O_WRONLY) && fifo_flags_are(rw, O_RDWR | O_NONBLOCK) ?
		      10 : 7);
	}
	fd = open(FIFO_NAME, O_RDONLY);
	if (fd < 0)
		_exit(4);
	while (got < 100000) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			_exit(5);
		for (i = 0; i < n; i++)
			bad += buf[i] != stream_byte(got + i);
		sum = fnv_step(sum, buf, n);
		got += n;
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (fstat(fd, &st) || stat(FIFO_NAME, &sp) || !S_ISFIFO(st.st_mode) ||
	    st.st_ino != sp.st_ino || st.st_dev != sp.st_dev)
		report("fifo: the parent's end is not the FIFO at its path");
	if (!fifo_flags_are(fd, O_RDONLY) || fcntl(fd, F_GETPIPE_SZ) != FIFO_SIZE)
		report("fifo: the parent's end has flags %#x, size %d", fcntl(fd, F_GETFL),
		       fcntl(fd, F_GETPIPE_SZ));
	while (got < PIPE_TOTAL) {
		n = read(fd, buf, sizeof(buf) < PIPE_TOTAL - got ? sizeof(buf) : PIPE_TOTAL - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			report("fifo: read failed after %lu bytes (%d)", got, errno);
		for (i = 0; i < n; i++)
			bad += buf[i] != stream_byte(got + i);
		sum = fnv_step(sum, buf, n);
		got += n;
	}
	/* The pipe the tree talks through is the FIFO's: an open of the path reaches it. */
	w = open(FIFO_NAME, O_WRONLY | O_NONBLOCK);
	if (w < 0 || write(w, "path", 4) != 4 || read(fd, buf, 4) != 4 || memcmp(buf, "path", 4))
		report("fifo: a writer through the path does not reach the restored FIFO");
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("fifo: child status %#x", status);
	report("fifo %s: %lu bytes, %lu wrong, checksum %s", !bad && sum == want ? "ok" : "bad",
	       got, bad, sum == want ? "ok" : "bad");
}

/*
 * A terminal: the root opens a pty pair, a child makes a new session with
 * the slave as its controlling terminal, turns echo off, sets a window
 * size and forks a member of its session in a group of its own, which it
 * puts in the foreground; the root locks the slave again. After the
 * restore the pair is a new one: the session leader checks that its
 * controlling terminal (tty_nr of /proc/self/stat, the member's too) is
 * the slave it holds, that the member's group is the foreground one (and
 * takes the foreground back), that termios and window size survived; it
 * reads a line the root writes on the master, once the root checked that
 * the slave is locked and unlocked it, and answers through /dev/tty; the
 * root checks the answer (ONLCR makes its newline \r\n, no echo before
 * it).
 */
#define PTY_ROWS	33
#define PTY_COLS	111

/* The tty_nr of /proc/self/stat, as the kernel encodes the device. */
static long stat_tty_nr(void)
{
	char buf[512], *p;
	long nr = -1;
	FILE *f = fopen("/proc/self/stat", "r");

	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* ") S ppid pgrp session tty_nr" */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %ld", &nr) != 1)
		return -1;
	return nr;
}

static long encode_tty_nr(dev_t dev)
{
	return (minor(dev) & 0xff) | (major(dev) << 8) | ((minor(dev) & ~0xffL) << 12);
}

/* A member of the session, in a group of its own: the session's terminal is its. */
static void __attribute__((noreturn)) pty_member(int s)
{
	struct stat st;

	setpgid(0, 0);
	if (fstat(s, &st) || stat_tty_nr() != encode_tty_nr(st.st_rdev))
		_exit(4);
	ready();
	wait_restored();
	_exit(!fstat(s, &st) && stat_tty_nr() == encode_tty_nr(st.st_rdev) &&
	      getpgrp() == getpid() ? 10 : 5);
}

static void __attribute__((noreturn)) pty_leader(const char *name)
{
	struct winsize ws = { .ws_row = PTY_ROWS, .ws_col = PTY_COLS };
	struct termios t;
	char buf[64], path[64], link[64];
	struct stat st;
	int s, tty, status;
	pid_t member;
	ssize_t n;

	/* It moves its group in and out of the foreground. */
	signal(SIGTTOU, SIG_IGN);
	if (setsid() < 0)
		_exit(4);
	s = open(name, O_RDWR);		/* the first terminal a leader opens is its own */
	if (s < 0 || ioctl(s, TIOCSCTTY, 0) || tcgetattr(s, &t))
		_exit(4);
	t.c_lflag &= ~ECHO;
	if (tcsetattr(s, TCSANOW, &t) || ioctl(s, TIOCSWINSZ, &ws))
		_exit(4);
	member = fork();
	if (member == 0)
		pty_member(s);
	/* The member's group is the foreground one at the checkpoint. */
	if (setpgid(member, member) && errno != EACCES)
		_exit(4);
	if (tcsetpgrp(s, member))
		_exit(4);
	ready();
	wait_restored();
	memset(&ws, 0, sizeof(ws));
	if (fstat(s, &st) || !S_ISCHR(st.st_mode) || stat_tty_nr() != encode_tty_nr(st.st_rdev))
		_exit(5);
	if (tcgetpgrp(s) != member || getsid(0) != getpid() || tcsetpgrp(s, getpgrp()) ||
	    tcgetpgrp(s) != getpgrp())
		_exit(6);
	if (tcgetattr(s, &t) || (t.c_lflag & ECHO) || !(t.c_lflag & ICANON) ||
	    ioctl(s, TIOCGWINSZ, &ws) || ws.ws_row != PTY_ROWS || ws.ws_col != PTY_COLS)
		_exit(7);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", s);
	memset(link, 0, sizeof(link));
	if (readlink(path, link, sizeof(link) - 1) <= 0 || strncmp(link, "/dev/pts/", 9))
		_exit(8);
	/*
	 * The root unlocks the slave, then writes a line on the master: a
	 * canonical read gets it; the answer goes through /dev/tty, the
	 * controlling terminal (which a locked slave would refuse).
	 */
	n = read(s, buf, sizeof(buf) - 1);
	if (n != 6 || memcmp(buf, "hello\n", 6))
		_exit(9);
	tty = open("/dev/tty", O_RDWR);
	if (tty < 0 || fstat(tty, &st) || st.st_rdev != makedev(5, 0))
		_exit(13);
	if (write(tty, "got it\n", 7) != 7)
		_exit(11);
	if (waitpid(member, &status, 0) != member || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 10)
		_exit(12);
	_exit(10);
}

static void tree_pty(void)
{
	char name[64], buf[64];
	int m, status, lock = 0;
	size_t got = 0;
	ssize_t n;
	pid_t kid;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m) || ptsname_r(m, name, sizeof(name)))
		_exit(4);
	kid = fork();
	if (kid == 0)
		pty_leader(name);
	wait_ready(READY_FD - 1, 2);
	lock = 1;
	if (ioctl(m, TIOCSPTLCK, &lock))	/* open slave ends stay open */
		_exit(4);
	root_ready();
	wait_restored();
	/* (An open of the locked slave would fail, and make its readers fail.) */
	lock = 0;
	if (ioctl(m, TIOCGPTLCK, &lock) || !lock)
		report("pty: the slave is not locked");
	lock = 0;
	if (ioctl(m, TIOCSPTLCK, &lock) || write(m, "hello\n", 6) != 6)
		report("pty: cannot unlock the slave or write on the master");
	while (got < 8) {
		n = read(m, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			report("pty: read on the master failed after %zu bytes (%d)", got, errno);
		got += n;
	}
	buf[got] = '\0';
	if (strcmp(buf, "got it\r\n"))
		report("pty: the master read '%s'", buf);
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("pty: session leader status %#x", status);
	/* Every end of the slave is closed now, none kept by the restore. */
	if (fcntl(m, F_SETFL, O_NONBLOCK) || read(m, buf, 1) >= 0 || errno != EIO)
		report("pty: the master does not see the slave closed (%d)", errno);
	report("pty ok");
}

/*
 * A child's standard streams of its own, not the root's: its stdin one
 * end of a socket pair whose other end the root holds (as an inetd
 * child's), its stdout a file it opened (as "cmd > out" makes it). After
 * the restore they are the child's again, not the caller's: what the
 * root sends comes in on its stdin, what it writes goes on in its file.
 */
static void tree_child_std(void)
{
	int sv[2], status, fd;
	char buf[32] = "";
	pid_t kid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		_exit(4);
	kid = fork();
	if (kid == 0) {
		close(sv[0]);
		fd = open("child.out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(sv[1], 0) != 0 || dup2(fd, 1) != 1 ||
		    write(1, "before\n", 7) != 7)
			_exit(4);
		close(fd);
		close(sv[1]);
		ready();
		wait_restored();
		if (read(0, buf, 4) != 4 || memcmp(buf, "ping", 4) || write(1, "after\n", 6) != 6)
			_exit(5);
		_exit(10);
	}
	close(sv[1]);
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (write(sv[0], "ping", 4) != 4)
		report("child std: cannot write to the child's stdin");
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("child std: the child's stdin is not its socket (status %#x)", status);
	fd = open("child.out", O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) != 13 || strcmp(buf, "before\nafter\n"))
		report("child std: its file holds '%s'", buf);
	report("child std ok");
}

/*
 * Bytes a pty holds for its readers, in raw mode: the child made the
 * slave raw but for output processing (OPOST, ONLCR) and wrote "out\n",
 * which the master holds as "out\r\n"; the root wrote "in\r\003x" on the
 * master, which the slave holds as it is (no ICRNL, no ISIG). After the
 * restore each reader finds its bytes, once, as they were, and
 * FIONREAD counts them at once.
 */
#define PTY_TO_SLAVE	"in\r\003x"
#define PTY_TO_MASTER	"out\r\n"

static void tree_pty_raw_bytes(void)
{
	char name[64], buf[32] = "";
	int m, status, avail = -1;
	pid_t kid;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m) || ptsname_r(m, name, sizeof(name)))
		_exit(4);
	kid = fork();
	if (kid == 0) {
		int s = open(name, O_RDWR | O_NOCTTY);
		struct termios t;

		if (s < 0 || tcgetattr(s, &t))
			_exit(4);
		cfmakeraw(&t);
		t.c_oflag |= OPOST | ONLCR;
		if (tcsetattr(s, TCSANOW, &t) || write(s, "out\n", 4) != 4)
			_exit(4);
		ready();
		wait_restored();
		if (ioctl(s, FIONREAD, &avail) || avail != (int)strlen(PTY_TO_SLAVE))
			_exit(5);
		if (read(s, buf, sizeof(buf)) != (ssize_t)strlen(PTY_TO_SLAVE) ||
		    memcmp(buf, PTY_TO_SLAVE, strlen(PTY_TO_SLAVE)))
			_exit(6);
		_exit(10);
	}
	wait_ready(READY_FD - 1, 1);
	if (write(m, PTY_TO_SLAVE, strlen(PTY_TO_SLAVE)) != (ssize_t)strlen(PTY_TO_SLAVE))
		_exit(4);
	usleep(100000);			/* through the slave's line discipline */
	root_ready();
	wait_restored();
	if (ioctl(m, FIONREAD, &avail) || avail != (int)strlen(PTY_TO_MASTER))
		report("pty bytes: the master has %d bytes to read, not %zu", avail,
		       strlen(PTY_TO_MASTER));
	if (read(m, buf, sizeof(buf)) != (ssize_t)strlen(PTY_TO_MASTER) ||
	    memcmp(buf, PTY_TO_MASTER, strlen(PTY_TO_MASTER)))
		report("pty bytes: the master read '%s'", buf);
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("pty bytes: the slave's reader: status %#x", status);
	report("pty bytes ok");
}

/* Read from @fd, within @ms milliseconds, exactly @len bytes into @buf; 0 when it did. */
static int read_exactly(int fd, char *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len && poll(&p, 1, ms) == 1) {
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			return -1;
		got += n;
	}
	return got == len ? 0 : -1;
}

/*
 * Input a pty holds in canonical mode, with echo: the child turned ONLCR
 * off and wrote "ab\n" (so a newline keeps the column: the lines typed
 * start at column 2, then 7); the root typed "first\r" (a line: ICRNL
 * made \r a newline) then "second paRT" and two erases, and read the
 * echoes; the child has read nothing. After the restore the root types
 * a tab and erases it: eight backspaces are echoed, as the line started
 * at column 7 and "second pa" took 9 (seven if the columns were lost);
 * it erases the "a" and types "rt\n"; the child reads "first\n" then
 * "second prt\n": the lines as they were edited, once, and the line
 * being typed goes on where it was.
 */
#define PTY_CANON_ECHO	"\t\b\b\b\b\b\b\b\b\b \brt\n"

static void tree_pty_canon_bytes(void)
{
	char name[64], buf[64] = "";
	int m, status;
	pid_t kid;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m) || ptsname_r(m, name, sizeof(name)))
		_exit(4);
	kid = fork();
	if (kid == 0) {
		int s = open(name, O_RDWR | O_NOCTTY);
		struct termios t;

		if (s < 0 || tcgetattr(s, &t))
			_exit(4);
		t.c_oflag &= ~ONLCR;
		if (tcsetattr(s, TCSANOW, &t) || write(s, "ab\n", 3) != 3)
			_exit(4);
		ready();
		wait_restored();
		if (read(s, buf, sizeof(buf)) != 6 || memcmp(buf, "first\n", 6))
			_exit(5);
		memset(buf, 0, sizeof(buf));
		if (read(s, buf, sizeof(buf)) != 11 || memcmp(buf, "second prt\n", 11))
			_exit(6);
		_exit(10);
	}
	wait_ready(READY_FD - 1, 1);
	if (write(m, "first\rsecond paRT\x7f\x7f", 19) != 19 ||
	    read_exactly(m, buf, strlen("ab\nfirst\nsecond paRT\b \b\b \b"), 2000))
		_exit(4);
	root_ready();
	wait_restored();
	memset(buf, 0, sizeof(buf));
	if (write(m, "\t\x7f\x7frt\n", 6) != 6 ||
	    read_exactly(m, buf, strlen(PTY_CANON_ECHO), 5000) ||
	    memcmp(buf, PTY_CANON_ECHO, strlen(PTY_CANON_ECHO)))
		report("pty canon: the master read the echoes '%s'", buf);
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("pty canon: the slave's reader: status %#x", status);
	report("pty canon ok");
}

/*
 * Echoes a pty could not write yet: its output stopped (IXON, ^S), the
 * root typed "abc", whose echoes wait for ^Q. The checkpoint is refused
 * (they could not be put back as they were), the tree carries on.
 */
static void tree_pty_bytes(void)
{
	char name[64], c;
	int m;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m) || ptsname_r(m, name, sizeof(name)))
		_exit(4);
	if (fork() == 0) {
		int s = open(name, O_RDWR | O_NOCTTY);

		if (s < 0)
			_exit(4);
		ready();
		for (;;)
			pause();
	}
	wait_ready(READY_FD - 1, 1);
	if (write(m, "\x13" "abc", 4) != 4)
		_exit(4);
	root_ready();
	/*
	 * The checkpoint comes 200 ms after this, and is refused: say so on
	 * the test's ready pipe (REPORT_FD is the report pipe only after a
	 * restore).
	 */
	usleep(1500000);
	c = access(ROOT_NAME ".ckpt", F_OK) ? 'n' : 'i';
	_exit(write(test_ready_fd, &c, 1) == 1 ? 0 : 5);
}

/* A child sharing its parent's address space cannot be restored: refused. */
static int vm_child(void *arg)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);	/* not to outlive the test */
	for (;;)
		pause();
	return 0;
}

/* A child works in a directory the test removes before the restore. */
static void tree_child_cwd(void)
{
	pid_t pid;

	if (mkdir("sub", 0700))
		_exit(4);
	pid = fork();
	if (pid == 0) {
		if (chdir("sub"))
			_exit(4);
		member(1, true, 0);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	report("should not run");
}

/* The test side. */

FIXTURE(tree) {
	char dir[64];
	char image[128];
	int ready[2];
	int report[2];
};

FIXTURE_SETUP(tree)
{
	strcpy(self->dir, "/tmp/cr-tree-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->image, sizeof(self->image), "%s/" ROOT_NAME ".ckpt", self->dir);
	ASSERT_EQ(0, pipe(self->ready));
	ASSERT_EQ(0, pipe(self->report));
}

FIXTURE_TEARDOWN(tree)
{
	cr_test_cleanup(0, self->dir);
}


struct run {
	FIXTURE_DATA(tree) *self;
	void (*fn)(void);
	int desc_ready[2];	/* descendants -> root */
	bool init;		/* the root is the init of its pid namespace */
	pid_t busy;		/* at restore, a process holds this id */
	const char *cgroup;	/* at restore, the caller moves into this cgroup */
};

/*
 * An orphan the root (a subreaper) adopted, still in the session and group
 * of its dead (unreaped) parent: the restore creates it in the root's
 * session, and it enters its old one, as no system call could.
 */
static void tree_orphan_session(void)
{
	int status, bad = 0;
	siginfo_t si;
	pid_t a, o;
	int p[2];

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(p))
		_exit(4);
	a = fork();
	if (a == 0) {
		pid_t me = getpid();

		if (setsid() < 0)
			_exit(4);
		o = fork();
		if (o == 0) {
			ready();
			wait_restored();
			_exit(getsid(0) == me && getpgid(0) == me && stat_tty_nr() == 0 ? 10 : 5);
		}
		if (write(p[1], &o, sizeof(o)) != sizeof(o))
			_exit(4);
		_exit(0);
	}
	if (read(p[0], &o, sizeof(o)) != sizeof(o))
		_exit(4);
	wait_ready(READY_FD - 1, 1);
	/* A dead, not reaped (/proc is the outer namespace's: no proc_state()). */
	if (waitid(P_PID, a, &si, WEXITED | WNOWAIT))
		_exit(4);
	root_ready();
	wait_restored();
	if (waitpid(a, &status, 0) != a || !WIFEXITED(status) || WEXITSTATUS(status))
		bad = 1;
	if (waitpid(o, &status, 0) != o || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		bad = WIFEXITED(status) ? WEXITSTATUS(status) : 100;
	if (bad)
		report("orphan bad (%d)", bad);
	report("orphan ok");
}

/*
 * Groups and sessions whose leader is gone, as daemons and shells leave
 * them. In a session of its own, A made B (in A's group), C (a group of
 * its own) and E, which led a group with its child F and exited; then A
 * exited. The root, a subreaper, reaped A and adopted B, C and F: a
 * session and two groups without a leader. In the root's session, P2
 * joined the group of P1, which exited: a pipeline whose first command
 * is done. After the restore each has its ids, no controlling terminal
 * in the session without a leader (and the root's in the root's), and
 * a signal sent to a group reaches its members.
 */
static volatile sig_atomic_t ghost_usr1;

static void on_ghost_usr1(int sig)
{
	ghost_usr1 = 1;
}

static void __attribute__((noreturn)) ghost_member(pid_t pgid, pid_t sid, long tty)
{
	int i;

	signal(SIGUSR1, on_ghost_usr1);
	/* Set up once adopted, or at once for P2, the root's child. */
	while (getpgid(0) != pgid)
		usleep(1000);
	ready();
	wait_restored();
	for (i = 0; i < 500 && !ghost_usr1; i++)
		usleep(10000);
	if (getpgid(0) != pgid || getsid(0) != sid)
		_exit(5);
	if (stat_tty_nr() != tty)
		_exit(6);
	if (!ghost_usr1)
		_exit(7);
	_exit(10);
}

struct ghost_ids {
	pid_t a, b, c, e, f;
};

static void tree_ghosts(void)
{
	pid_t p1, p2, kids[4];
	long tty = stat_tty_nr();
	struct ghost_ids ids;
	int status, i, bad = 0;
	int p[2];

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(p))
		_exit(4);
	ids.a = fork();
	if (ids.a == 0) {
		int q[2];

		if (setsid() < 0 || pipe(q))
			_exit(4);
		ids.a = getpid();
		ids.b = fork();
		if (ids.b == 0)
			ghost_member(ids.a, ids.a, 0);
		ids.c = fork();
		if (ids.c == 0) {
			setpgid(0, 0);
			ghost_member(getpid(), ids.a, 0);
		}
		ids.e = fork();
		if (ids.e == 0) {
			pid_t e = getpid(), f;

			setpgid(0, 0);
			f = fork();
			if (f == 0)
				ghost_member(e, ids.a, 0);
			if (write(q[1], &f, sizeof(f)) != sizeof(f))
				_exit(4);
			_exit(0);
		}
		if (read(q[0], &ids.f, sizeof(ids.f)) != sizeof(ids.f) ||
		    waitpid(ids.e, &status, 0) != ids.e)
			_exit(4);
		if (write(p[1], &ids, sizeof(ids)) != sizeof(ids))
			_exit(4);
		_exit(0);
	}
	if (read(p[0], &ids, sizeof(ids)) != sizeof(ids) || waitpid(ids.a, &status, 0) != ids.a)
		_exit(4);
	p1 = fork();
	if (p1 == 0) {
		pause();
		_exit(0);
	}
	if (setpgid(p1, p1))
		_exit(4);
	p2 = fork();
	if (p2 == 0)
		ghost_member(p1, getsid(0), tty);
	if (setpgid(p2, p1))
		_exit(4);
	kill(p1, SIGKILL);
	if (waitpid(p1, &status, 0) != p1)
		_exit(4);
	/* B, C and F once adopted (after A's exit), and P2. */
	wait_ready(READY_FD - 1, 4);
	root_ready();
	wait_restored();
	if (kill(-ids.a, SIGUSR1) || kill(-ids.c, SIGUSR1) || kill(-ids.e, SIGUSR1) ||
	    kill(-p1, SIGUSR1))
		report("ghosts: a group is gone (%d)", errno);
	kids[0] = ids.b;
	kids[1] = ids.c;
	kids[2] = ids.f;
	kids[3] = p2;
	for (i = 0; i < 4; i++) {
		if (waitpid(kids[i], &status, 0) != kids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 10)
			bad = bad ?: (i + 1) * 100 + (WIFEXITED(status) ? WEXITSTATUS(status) : 99);
	}
	/* Each id goes with its last member, as for any group. */
	if (!bad && (kill(-ids.a, 0) == 0 || kill(-p1, 0) == 0))
		bad = 1;
	if (bad)
		report("ghosts bad (%d)", bad);
	report("ghosts ok");
}

/*
 * The root of the tree. Descendants report set-up on READY_FD (the write
 * end of desc_ready), the root reads them on READY_FD - 1 and then tells
 * the test on the fixture's ready pipe.
 */
static void root_main(void *arg)
{
	struct run *run = arg;
	FIXTURE_DATA(tree) *self = run->self;

	prctl(PR_SET_NAME, ROOT_NAME);
	/* The root's own pipe: nobody outside the tree holds it. */
	if (pipe(run->desc_ready) || chdir(self->dir) ||
	    dup2(self->report[1], REPORT_FD) < 0 ||
	    dup2(run->desc_ready[1], READY_FD) < 0 ||
	    dup2(run->desc_ready[0], READY_FD - 1) < 0)
		_exit(1);
	test_ready_fd = self->ready[1];
	keep_only_fds((int []){ REPORT_FD, READY_FD, READY_FD - 1, test_ready_fd, -1 });
	run->fn();
	_exit(1);
}

/*
 * Run @fn as pid 1, the init, of a new pid namespace: a whole namespace
 * is checkpointed from its init (SIGCKPT from outside, when @ctl says)
 * and restored as one. Returns pid 1's fate as an exit status.
 */
static int run_as_init(void (*fn)(void *), struct run *run, int ctl)
{
	int status;
	pid_t pid;

	if (unshare(CLONE_NEWPID))
		return 30;
	pid = fork();
	if (pid < 0)
		return 31;
	if (pid == 0) {
		fn(run);
		_exit(34);
	}
	if (ctl >= 0) {
		union sigval v = { .sival_int = CR_MODE_EXIT };
		char c;

		if (read(ctl, &c, 1) != 1 || sigqueue(pid, SIGCKPT, v))
			return 35;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGCKPT ? 0 : 36;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 37;
}

/*
 * Cgroup v2 directory @name, made (with the hierarchy mounted on
 * /sys/fs/cgroup if it is not yet): its path, or NULL.
 */
#define CGROUP_ROOT	"/sys/fs/cgroup"

static const char *cgroup_make(const char *name)
{
	static char path[2][64];
	static int n;
	char *p = path[n++ % 2];

	if (access(CGROUP_ROOT "/cgroup.procs", F_OK) &&
	    mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
		return NULL;
	snprintf(p, sizeof(path[0]), CGROUP_ROOT "/%s", name);
	return mkdir(p, 0755) && errno != EEXIST ? NULL : p;
}

/* The calling process moves into cgroup directory @path: 0, or -1. */
static int cgroup_enter(const char *path)
{
	char procs[96];

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	return cr_write_file(procs, "0");
}

static void restore_main(void *arg)
{
	struct run *run = arg;
	FIXTURE_DATA(tree) *self = run->self;
	char *argv[] = { self->image, NULL };

	if (dup2(self->report[1], REPORT_FD) < 0 || chdir(self->dir) ||
	    close(open(FLAG, O_CREAT | O_WRONLY, 0600)))
		_exit(20);
	if (run->cgroup && cgroup_enter(run->cgroup))
		_exit(22);
	if (run->busy) {
		struct clone_args ca = { .exit_signal = SIGCHLD,
					 .set_tid = (uintptr_t)&run->busy, .set_tid_size = 1 };
		pid_t pid = syscall(SYS_clone3, &ca, sizeof(ca));

		if (pid < 0)
			_exit(21);
		if (pid == 0) {
			/* Holding no pipe of the test: it dies with the namespace. */
			syscall(SYS_close_range, 3, ~0U, 0);
			pause();
			_exit(0);
		}
	}
	execv(self->image, argv);
	_exit(errno);
}

/* Checkpoint the tree @fn builds, in a pid namespace, in exit mode. */
static void checkpoint_tree(struct __test_metadata *_metadata, struct run *run)
{
	FIXTURE_DATA(tree) *self = run->self;
	int ctl[2], status;
	struct stat st;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ctl));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ctl[1]);
		_exit(run->init ? run_as_init(root_main, run, ctl[0]) :
		       cr_run_as_pid2(root_main, run, ctl[0]));
	}
	close(ctl[0]);
	/* The descendants report to the root; the root's own ready() goes here. */
	ASSERT_EQ(1, read(self->ready[0], &c, 1));
	usleep(200000);
	ASSERT_EQ(1, write(ctl[1], "c", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(ctl[1]);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("checkpoint of the tree: status %#x", status);
	ASSERT_EQ(0, stat(self->image, &st));
}

/* Restore: in a new pid namespace (original ids) or here (new ids). */
static void restore_tree(struct __test_metadata *_metadata, struct run *run,
			 bool pidns, const char *expect, double *secs)
{
	FIXTURE_DATA(tree) *self = run->self;
	char buf[REPORT_MAX];
	ssize_t n, len = 0;
	double t0 = now();
	int status;
	pid_t pid;

	close(self->report[0]);
	close(self->report[1]);
	ASSERT_EQ(0, pipe(self->report));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(run->init ? run_as_init(restore_main, run, -1) :
		      pidns ? cr_run_as_pid2(restore_main, run, -1) : (restore_main(run), 0));
	close(self->report[1]);
	while ((n = read(self->report[0], buf + len, REPORT_MAX - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	if (secs)
		*secs = now() - t0;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("restored root status %#x, report '%s'", status, buf);
	EXPECT_STREQ(expect, buf);
}

static void round_trip(struct __test_metadata *_metadata, FIXTURE_DATA(tree) *self,
		       void (*fn)(void), bool pidns, const char *expect, double *secs)
{
	struct run run = { .self = self, .fn = fn };

	checkpoint_tree(_metadata, &run);
	restore_tree(_metadata, &run, pidns, expect, secs);
}

TEST_F(tree, parent_children_grandchild_original_pids)
{
	set_new_tids(0);
	round_trip(_metadata, self, tree_orig, true,
		   "tree ok: 3 of 3 children ok, memory ok", NULL);
}

TEST_F(tree, pid_namespace_from_its_init)
{
	struct run run = { .self = self, .fn = tree_init, .init = true };

	set_new_tids(0);
	checkpoint_tree(_metadata, &run);
	restore_tree(_metadata, &run, true, "tree ok: 3 of 3 children ok, memory ok, pid 1", NULL);
}

TEST_F(tree, new_pids_when_allowed)
{
	set_new_tids(1);
	round_trip(_metadata, self, tree_new_ids, false,
		   "tree ok: 3 of 3 children ok, memory ok", NULL);
	set_new_tids(0);
}

/* Without a restore helper (kernel.cr.restore_helper empty): EPERM. */
TEST_F(tree, needs_original_pids)
{
	struct run run = { .self = self, .fn = tree_orig };
	char helper[256];
	int status;
	pid_t pid;

	set_new_tids(0);
	checkpoint_tree(_metadata, &run);
	get_restore_helper(helper, sizeof(helper));
	set_restore_helper("");
	pid = exec_image_child(self->image);
	ASSERT_LE(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	set_restore_helper(helper);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EPERM)
		TH_LOG("status %#x, expected exit %d (EPERM)", status, EPERM);
}

TEST_F(tree, descendant_failure_fails_exec_cleanly)
{
	struct run run = { .self = self, .fn = tree_child_cwd };
	char sub[160];
	int status;
	pid_t pid;

	checkpoint_tree(_metadata, &run);
	snprintf(sub, sizeof(sub), "%s/sub", self->dir);
	ASSERT_EQ(0, rmdir(sub));
	/* Checked before the point of no return: execve() fails, nothing runs. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(cr_run_as_pid2(restore_main, &run, -1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == ENOENT)
		TH_LOG("status %#x, expected exit %d (ENOENT)", status, ENOENT);
}

TEST_F(tree, pipeline_with_data_in_the_pipes)
{
	round_trip(_metadata, self, tree_pipeline, true, "pipeline ok: 3 of 3", NULL);
}

/* A restore that fails before the point of no return: no process of the tree runs. */
static void restore_fails(struct __test_metadata *_metadata, struct run *run, int err)
{
	FIXTURE_DATA(tree) *self = run->self;
	char buf[REPORT_MAX];
	int status;
	pid_t pid;

	close(self->report[0]);
	close(self->report[1]);
	ASSERT_EQ(0, pipe(self->report));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(cr_run_as_pid2(restore_main, run, -1));
	close(self->report[1]);
	self->report[1] = -1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == err)
		TH_LOG("status %#x, expected exit %d (%s)", status, err, strerror(err));
	/* Nothing reported, and no process holds the pipe: none of the tree ran. */
	EXPECT_EQ(0, read(self->report[0], buf, sizeof(buf)));
}

TEST_F(tree, fifo_with_data_in_it)
{
	round_trip(_metadata, self, tree_fifo, true,
		   "fifo ok: 1048576 bytes, 0 wrong, checksum ok", NULL);
}

/*
 * The FIFO must be there at restore, a FIFO, and nobody else's: else the
 * exec fails before the point of no return and no process runs. Once it
 * is back (a new FIFO at the same path), the image restores.
 */
TEST_F(tree, fifo_gone_or_busy_fails_exec)
{
	struct run run = { .self = self, .fn = tree_fifo };
	char path[160];
	int fd;

	checkpoint_tree(_metadata, &run);
	snprintf(path, sizeof(path), "%s/" FIFO_NAME, self->dir);
	ASSERT_EQ(0, unlink(path));
	restore_fails(_metadata, &run, ENOENT);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	restore_fails(_metadata, &run, ENOENT);
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, mkfifo(path, 0600));
	fd = open(path, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd);
	restore_fails(_metadata, &run, EBUSY);
	close(fd);
	restore_tree(_metadata, &run, true, "fifo ok: 1048576 bytes, 0 wrong, checksum ok", NULL);
}

TEST_F(tree, pty_controlling_terminal_of_a_session)
{
	round_trip(_metadata, self, tree_pty, true, "pty ok", NULL);
}

/* A tree whose checkpoint @fn makes refused: no image, and the root lives on. */
static void refused(struct __test_metadata *_metadata, FIXTURE_DATA(tree) *self,
		    void (*fn)(void))
{
	struct run run = { .self = self, .fn = fn };
	int status, ctl[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ctl));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ctl[1]);
		_exit(cr_run_as_pid2(root_main, &run, ctl[0]));
	}
	close(ctl[0]);
	ASSERT_EQ(1, read(self->ready[0], &c, 1));
	usleep(200000);
	/* pid 1 sends SIGCKPT in exit mode: refused, the root lives on and says so. */
	ASSERT_EQ(1, write(ctl[1], "c", 1));
	ASSERT_EQ(1, read(self->ready[0], &c, 1));
	EXPECT_EQ('n', c) TH_LOG("the root found an image");
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(ctl[1]);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("root status %#x", status);
	EXPECT_NE(0, access(self->image, F_OK));
}

TEST_F(tree, pty_with_echoes_not_written_refused)
{
	refused(_metadata, self, tree_pty_bytes);
}

TEST_F(tree, pty_with_lines_and_a_line_being_typed_in_canonical_mode)
{
	round_trip(_metadata, self, tree_pty_canon_bytes, true, "pty canon ok", NULL);
}

TEST_F(tree, child_standard_streams_of_its_own)
{
	round_trip(_metadata, self, tree_child_std, true, "child std ok", NULL);
}

TEST_F(tree, pty_with_bytes_in_raw_mode_for_both_readers)
{
	round_trip(_metadata, self, tree_pty_raw_bytes, true, "pty bytes ok", NULL);
}

TEST_F(tree, orphan_in_the_session_of_its_dead_parent)
{
	round_trip(_metadata, self, tree_orphan_session, true, "orphan ok", NULL);
}

TEST_F(tree, groups_and_sessions_whose_leader_is_gone)
{
	round_trip(_metadata, self, tree_ghosts, true, "ghosts ok", NULL);
}

/*
 * The id of a session without a leader (A's: 3, the root's first child in
 * its new pid namespace) held by another process at restore: the exec
 * fails before the point of no return, nothing of the tree runs.
 */
TEST_F(tree, leaderless_session_id_in_use_fails_exec)
{
	struct run run = { .self = self, .fn = tree_ghosts };

	checkpoint_tree(_metadata, &run);
	run.busy = 3;
	restore_fails(_metadata, &run, EBUSY);
	run.busy = 0;
	restore_tree(_metadata, &run, true, "ghosts ok", NULL);
}

TEST_F(tree, shared_offset_anonymous_memory_and_memfd)
{
	round_trip(_metadata, self, tree_shared, true, "shared ok", NULL);
}

TEST_F(tree, preforked_server_on_socket_pairs)
{
	round_trip(_metadata, self, tree_server, true, "server ok: 4 of 4 workers", NULL);
}

TEST_F(tree, unix_connections_not_accepted_across_processes)
{
	round_trip(_metadata, self, tree_pending, true, "pending ok: 3 of 3", NULL);
}

TEST_F(tree, descriptors_in_flight_between_processes)
{
	round_trip(_metadata, self, tree_scm, true, "scm ok", NULL);
}

TEST_F(tree, epoll_and_eventfd_shared_with_workers)
{
	round_trip(_metadata, self, tree_events, true, "events ok: 2 of 2 workers", NULL);
}

TEST_F(tree, sysv_set_and_queue_used_by_a_child_made_again)
{
	struct run run = { .self = self, .fn = tree_ipc };

	tree_ipc_forget();
	checkpoint_tree(_metadata, &run);
	ASSERT_LE(0, semget(TREE_SEM_KEY, 0, 0));
	ASSERT_LE(0, msgget(TREE_MSG_KEY, 0));
	tree_ipc_forget();
	restore_tree(_metadata, &run, true, "ipc ok", NULL);
	tree_ipc_forget();
}

/*
 * A UTS namespace of the tree's own (a container's host name): the root
 * made it (unshare(CLONE_NEWUTS)) and named it; its child shares it.
 * After the restore both are in a new one of those names, and the caller
 * is not: its own names did not change.
 */
static bool uts_is(const char *host, const char *domain)
{
	struct utsname u;

	return !uname(&u) && !strcmp(u.nodename, host) && !strcmp(u.domainname, domain);
}

/*
 * An IPC namespace of the tree's own, as unshare --ipc makes one: the
 * root makes a semaphore set it never operates on and one it sets to 7,
 * a message queue holding a message, a segment its child attaches and
 * writes, and a POSIX message queue it holds with a message. The tree
 * dies with its namespace (exit mode): after the restore, everything is
 * there again, in a new namespace, not the test's.
 */
#define NS_SEM_KEY	0x43527621
#define NS_MSG_KEY	0x43527622
#define NS_SHM_KEY	0x43527623

static void tree_ipcns(void)
{
	struct tree_msg m = { 3, "in ns" };
	int s0, s7, q, shm, mq, status;
	static char buf[8192];	/* the queue's default message size */
	unsigned int prio = 0;
	char *p;

	if (unshare(CLONE_NEWIPC))
		_exit(4);
	s0 = semget(NS_SEM_KEY, 3, IPC_CREAT | 0600);
	s7 = semget(NS_SEM_KEY + 16, 1, IPC_CREAT | 0640);
	q = msgget(NS_MSG_KEY, IPC_CREAT | 0600);
	shm = shmget(NS_SHM_KEY, 8192, IPC_CREAT | 0600);
	mq = mq_open("/crns", O_CREAT | O_RDWR, 0600, NULL);
	if (s0 < 0 || s7 < 0 || q < 0 || shm < 0 || mq < 0 || semctl(s7, 0, SETVAL, 7) ||
	    msgsnd(q, &m, 5, 0) || mq_send(mq, "queued", 6, 2))
		_exit(4);
	if (fork() == 0) {
		p = shmat(shm, NULL, 0);
		if (p == (void *)-1)
			_exit(4);
		strcpy(p + 4096, "child");
		ready();
		wait_restored();
		_exit(shmget(NS_SHM_KEY, 0, 0) == shm && !strcmp(p + 4096, "child") ? 10 : 5);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	/* (The old namespace is gone: the new one may have its number.) */
	if (ns_ino("/proc/self/ns/ipc") == ns_ino("/proc/1/ns/ipc"))
		report("ipcns: not in a namespace of its own");
	if (semget(NS_SEM_KEY, 0, 0) != s0 || semctl(s0, 2, GETVAL) != 0 ||
	    semget(NS_SEM_KEY + 16, 0, 0) != s7 || semctl(s7, 0, GETVAL) != 7)
		report("ipcns: the sets are wrong (%d %d)", semget(NS_SEM_KEY, 0, 0),
		       semctl(s7, 0, GETVAL));
	if (msgget(NS_MSG_KEY, 0) != q ||
	    msgrcv(q, &m, sizeof(m.mtext), 0, IPC_NOWAIT) != 5 || m.mtype != 3 ||
	    memcmp(m.mtext, "in ns", 5))
		report("ipcns: the queue's message is wrong");
	if (mq_receive(mq, buf, sizeof(buf), &prio) != 6 || prio != 2 || memcmp(buf, "queued", 6))
		report("ipcns: the POSIX queue's message is wrong");
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("ipcns: the child's segment is wrong (status %#x)", status);
	report("ipcns ok");
}

/*
 * pidfds of the tree, as an event loop holds them: the root has one of a
 * zombie child and one of a live child, both watched by an epoll, and
 * one of itself; the live child has one of the root. After the restore,
 * the zombie's is ready and waitid(P_PIDFD) reaps it with its status;
 * the live child's is not ready until the root kills the child through
 * it; the child signals the root through its own.
 */
static volatile sig_atomic_t tree_usr1;

static void tree_on_usr1(int sig)
{
	tree_usr1 = 1;
}

static void tree_pidfds(void)
{
	struct sigaction sa = { .sa_handler = tree_on_usr1 };
	struct epoll_event ev, evs[4];
	siginfo_t si;
	pid_t z, live;
	int i, n;

	sigaction(SIGUSR1, &sa, NULL);
	z = fork();
	if (z == 0)
		_exit(42);
	live = fork();
	if (live == 0) {
		int fd = syscall(SYS_pidfd_open, getppid(), 0);

		if (fd < 0 || dup2(fd, 30) != 30)
			_exit(4);
		ready();
		wait_restored();
		if (pidfd_pid(30) != getppid() ||
		    syscall(SYS_pidfd_send_signal, 30, SIGUSR1, NULL, 0))
			_exit(5);
		pause();
		_exit(6);
	}
	if (dup2(syscall(SYS_pidfd_open, z, 0), 31) != 31 ||
	    dup2(syscall(SYS_pidfd_open, live, 0), 32) != 32 ||
	    dup2(syscall(SYS_pidfd_open, getpid(), 0), 33) != 33 ||
	    dup2(epoll_create1(0), 34) != 34)
		_exit(4);
	for (i = 31; i <= 33; i++) {
		ev.events = EPOLLIN;
		ev.data.u64 = i;
		if (epoll_ctl(34, EPOLL_CTL_ADD, i, &ev))
			_exit(4);
	}
	wait_ready(READY_FD - 1, 1);
	/* Until it is a zombie. */
	while (waitid(P_PID, z, &si, WEXITED | WNOWAIT) != 0)
		usleep(1000);
	root_ready();
	wait_restored();
	if (pidfd_pid(31) != z || pidfd_pid(32) != live ||
	    pidfd_pid(33) != getpid())
		report("pidfds: they refer to %d %d %d, not %d %d %d", pidfd_pid(31),
		       pidfd_pid(32), pidfd_pid(33), z, live, getpid());
	n = epoll_wait(34, evs, 4, 0);
	if (n != 1 || evs[0].data.u64 != 31)
		report("pidfds: %d ready, the first %llu", n,
		       n > 0 ? (unsigned long long)evs[0].data.u64 : 0ULL);
	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, 31, &si, WEXITED) || si.si_pid != z || si.si_code != CLD_EXITED ||
	    si.si_status != 42)
		report("pidfds: the zombie reaped through its pidfd: pid %d status %d",
		       si.si_pid, si.si_status);
	/* Reaped, it stays ready: done with it, as an event loop is. */
	epoll_ctl(34, EPOLL_CTL_DEL, 31, NULL);
	close(31);
	for (i = 0; i < 500 && !tree_usr1; i++)
		usleep(10000);
	if (!tree_usr1)
		report("pidfds: no SIGUSR1 from the child");
	if (syscall(SYS_pidfd_send_signal, 32, SIGTERM, NULL, 0))
		report("pidfds: pidfd_send_signal to the child (%d)", errno);
	n = epoll_wait(34, evs, 4, 5000);
	if (n != 1 || evs[0].data.u64 != 32)
		report("pidfds: after the kill, %d ready", n);
	memset(&si, 0, sizeof(si));
	if (waitid(P_PIDFD, 32, &si, WEXITED) || si.si_pid != live ||
	    si.si_code != CLD_KILLED || si.si_status != SIGTERM)
		report("pidfds: the child: pid %d code %d status %d", si.si_pid, si.si_code,
		       si.si_status);
	report("pidfds ok");
}

/*
 * A fanotify group of the root, with events its child and itself caused
 * waiting at the checkpoint: after the restore, each reports the pid of
 * its process in the restored tree, the child's set once it exists.
 */
static void tree_fanotify(void)
{
	char buf[4096] __attribute__((aligned(8)));
	struct fanotify_event_metadata *ev = (void *)buf;
	pid_t child;
	ssize_t n;
	int fa;

	close(open("tf", O_RDWR | O_CREAT, 0600));
	fa = fanotify_init(FAN_CLASS_NOTIF | FAN_NONBLOCK, O_RDONLY);
	if (fa < 0 || dup2(fa, 30) != 30 ||
	    fanotify_mark(30, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "tf"))
		_exit(4);
	close(fa);
	child = fork();
	if (child == 0) {
		close(30);
		close(open("tf", O_RDONLY));
		ready();
		wait_restored();
		_exit(10);
	}
	wait_ready(READY_FD - 1, 1);
	close(open("tf", O_RDONLY));
	root_ready();
	wait_restored();
	n = read(30, buf, sizeof(buf));
	if (n != 2 * sizeof(*ev) || ev[0].mask != FAN_OPEN || ev[1].mask != FAN_OPEN)
		report("fanotify: %zd bytes of events", n);
	if (ev[0].pid != child || ev[1].pid != getpid())
		report("fanotify: events of pids %d %d, not %d %d", ev[0].pid, ev[1].pid, child,
		       getpid());
	close(ev[0].fd);
	close(ev[1].fd);
	report("fanotify ok");
}

static void tree_uts(void)
{
	int status;

	if (unshare(CLONE_NEWUTS) || sethostname("cr-box", 6) || setdomainname("cr-dom", 6))
		_exit(4);
	if (fork() == 0) {
		ready();
		wait_restored();
		_exit(uts_is("cr-box", "cr-dom") ? 10 : 5);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("uts: the child's names are wrong (status %#x)", status);
	if (!uts_is("cr-box", "cr-dom"))
		report("uts: the root's names are wrong");
	report("uts ok");
}

/*
 * A child in a chroot of its own, as a daemon's privilege-separated child
 * makes one: a directory "jail" under the root's working directory, with
 * a file "marker". The child holds "/marker" open and its working
 * directory is "/". After the restore, told by the root through a pipe
 * (it cannot see the restore flag from there): "/marker" is the jail's
 * (so its root is the jail again), its descriptor reads the jail's file,
 * its working directory is "/"; the root's own root is not the jail.
 */
static void tree_chroot(void)
{
	int go[2], status, m;
	char c;

	if (pipe(go) || (mkdir("jail", 0755) && errno != EEXIST) || access("marker", F_OK) == 0)
		_exit(4);
	m = open("jail/marker", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (m < 0 || write(m, "inside", 6) != 6 || close(m))
		_exit(4);
	if (fork() == 0) {
		char buf[16] = "", cwd[64] = "";
		int fd;

		close(go[1]);
		if (chroot("jail") || chdir("/"))
			_exit(4);
		fd = open("/marker", O_RDONLY);
		if (fd < 0)
			_exit(4);
		ready();
		if (read(go[0], &c, 1) != 1)
			_exit(5);
		if (access("/marker", F_OK))
			_exit(6);		/* not in its jail */
		if (pread(fd, buf, sizeof(buf) - 1, 0) != 6 || strcmp(buf, "inside"))
			_exit(7);
		if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/"))
			_exit(8);
		_exit(10);
	}
	close(go[0]);
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (access("jail/marker", F_OK) || access("/marker", F_OK) == 0)
		report("chroot: the root's root directory is not its own");
	if (write(go[1], "g", 1) != 1)
		report("chroot: cannot tell the child");
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("chroot: the child's root directory, file or cwd is wrong (status %#x)", status);
	report("chroot ok");
}

/*
 * A time namespace of the tree's own, with CLOCK_MONOTONIC 100000 s and
 * CLOCK_BOOTTIME 200000 s ahead of the host's; the root enters it (setns())
 * before its child is born. The test waits 4 s between checkpoint and
 * restore: after the restore, both clocks went on from where they were,
 * in both processes, less than 3 s later, the 4 s not counted.
 */
static double clock_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool timens_ok(double mono0, double boot0)
{
	double mono = clock_s(CLOCK_MONOTONIC), boot = clock_s(CLOCK_BOOTTIME);

	return mono > mono0 && mono - mono0 < 3.0 && boot > boot0 && boot - boot0 < 3.0;
}

static void tree_timens(void)
{
	const char *offsets = "monotonic 100000 0\nboottime 200000 0\n";
	double mono0, boot0;
	int fd, status;

	fd = open("/proc/self/timens_offsets", O_WRONLY);
	if (unshare(CLONE_NEWTIME) || fd < 0 ||
	    write(fd, offsets, strlen(offsets)) != (ssize_t)strlen(offsets))
		_exit(4);
	close(fd);
	fd = open("/proc/self/ns/time_for_children", O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWTIME))
		_exit(4);
	close(fd);
	if (clock_s(CLOCK_MONOTONIC) < 100000 || clock_s(CLOCK_BOOTTIME) < 200000)
		_exit(4);
	if (fork() == 0) {
		ready();
		mono0 = clock_s(CLOCK_MONOTONIC);
		boot0 = clock_s(CLOCK_BOOTTIME);
		wait_restored();
		_exit(timens_ok(mono0, boot0) ? 10 : 5);
	}
	wait_ready(READY_FD - 1, 1);
	mono0 = clock_s(CLOCK_MONOTONIC);
	boot0 = clock_s(CLOCK_BOOTTIME);
	root_ready();
	wait_restored();
	if (!timens_ok(mono0, boot0))
		report("timens: monotonic %.3f -> %.3f, boottime %.3f -> %.3f", mono0,
		       clock_s(CLOCK_MONOTONIC), boot0, clock_s(CLOCK_BOOTTIME));
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("timens: the child's clocks are wrong (status %#x)", status);
	if (ns_ino("/proc/self/ns/time") == ns_ino("/proc/1/ns/time"))
		report("timens: not in a time namespace of its own");
	report("timens ok");
}

TEST_F(tree, time_namespace_of_the_tree_goes_on_without_the_gap)
{
	struct run run = { .self = self, .fn = tree_timens };
	double host0 = clock_s(CLOCK_MONOTONIC);

	checkpoint_tree(_metadata, &run);
	usleep(4000000);
	restore_tree(_metadata, &run, true, "timens ok", NULL);
	EXPECT_LE(4.0, clock_s(CLOCK_MONOTONIC) - host0);
}

/*
 * A root that @setup(@arg) readies (0 when all is well), whose checkpoint
 * must be refused: no image is written, and the root goes on.
 */
static void expect_tree_refused(struct __test_metadata *_metadata, FIXTURE_DATA(tree) *self,
				int (*setup)(int arg), int arg)
{
	int status = 0, p[2];
	pid_t root;
	char c;

	ASSERT_EQ(0, pipe(p));
	root = fork();
	ASSERT_LE(0, root);
	if (root == 0) {
		close(p[0]);
		/* Its image would be self->image (kernel.cr.pattern "%e.ckpt"). */
		prctl(PR_SET_NAME, ROOT_NAME);
		if (setpgid(0, 0) || chdir(self->dir) || setup(arg))
			_exit(1);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1)) TH_LOG("case %d: the set-up failed", arg);
	close(p[0]);
	usleep(300000);		/* the children it forked are set up too */
	ASSERT_EQ(0, kill(root, SIGCKPT));
	usleep(1000000);
	EXPECT_NE(0, access(self->image, F_OK)) TH_LOG("case %d: an image was written", arg);
	/* Still running: neither its set-up nor the checkpoint ended it. */
	EXPECT_EQ(0, waitpid(root, &status, WNOHANG)) TH_LOG("case %d: status %#x", arg, status);
	kill(-root, SIGKILL);
	kill(root, SIGKILL);
	waitpid(root, &status, 0);
}

/* A child in a UTS namespace of its own (nested). */
static int uts_child(int arg)
{
	if (fork() == 0) {
		if (unshare(CLONE_NEWUTS))
			_exit(1);
		for (;;)
			pause();
	}
	return 0;
}

/*
 * A network namespace of the tree's own, as unshare --net makes one, lo
 * brought up: the root listens on 127.0.0.1:7777, its child connects and
 * each sends a message. After the restore the connection goes on in a
 * new namespace whose lo is up, and the listener is not in the test's.
 */
#define NS_PORT	7777

static int lo_up(int set)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s = socket(AF_INET, SOCK_DGRAM, 0), ret;

	ret = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (!ret && set) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return ret ? -1 : !!(ifr.ifr_flags & IFF_UP);
}

static struct sockaddr_in ns_addr(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(NS_PORT) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/*
 * Sysctls of the namespace the tree sets, in this order, and how a read
 * shows them: the port range lies below the unprivileged port start of a
 * new namespace (1024), so the restore can set it only after the start;
 * lo's forwarding differs from conf/all's, which spreads to lo when set.
 */
static const struct {
	const char *name, *set, *read;
} ns_sysctls[] = {
	{ "core/somaxconn", "77", "77\n" },
	{ "ipv4/ip_unprivileged_port_start", "0", "0\n" },
	{ "ipv4/ip_local_port_range", "500 600", "500\t600\n" },
	{ "ipv4/conf/all/forwarding", "1", "1\n" },
	{ "ipv4/conf/lo/forwarding", "0", "0\n" },
	{ "ipv4/ping_group_range", "0 0", "0\t0\n" },
	{ "ipv6/conf/lo/hop_limit", "33", "33\n" },
	{ "unix/max_dgram_qlen", "33", "33\n" },
};

/* Set them (@set), or the first that does not read as set, or NULL. */
static const char *ns_sysctls_do(bool set)
{
	char path[128], buf[64];
	unsigned int i;

	for (i = 0; i < sizeof(ns_sysctls) / sizeof(ns_sysctls[0]); i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/%s", ns_sysctls[i].name);
		if (set && cr_write_file(path, ns_sysctls[i].set))
			return ns_sysctls[i].name;
		cr_read_file(path, buf, sizeof(buf));
		if (strcmp(buf, ns_sysctls[i].read))
			return ns_sysctls[i].name;
	}
	return NULL;
}

static void tree_netns(void)
{
	struct sockaddr_in a = ns_addr();
	int l, c, one = 1, status;
	const char *wrong;
	char buf[16] = "";

	if (unshare(CLONE_NEWNET) || lo_up(1) != 1 || ns_sysctls_do(true))
		_exit(4);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4))
		_exit(4);
	if (fork() == 0) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) ||
		    write(s, "hello", 5) != 5 || read(s, buf, 5) != 5)
			_exit(4);
		ready();
		wait_restored();
		if (write(s, "after", 5) != 5 || read(s, buf, 2) != 2 || memcmp(buf, "ok", 2))
			_exit(5);
		_exit(10);
	}
	c = accept(l, NULL, NULL);
	if (c < 0 || read(c, buf, 5) != 5 || write(c, "world", 5) != 5)
		_exit(4);
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (ns_ino("/proc/self/ns/net") == ns_ino("/proc/1/ns/net"))
		report("netns: not in a network namespace of its own");
	if (lo_up(0) != 1)
		report("netns: lo is not up");
	wrong = ns_sysctls_do(false);
	if (wrong)
		report("netns: sysctl net.%s is not as it was", wrong);
	if (read(c, buf, 5) != 5 || memcmp(buf, "after", 5) || write(c, "ok", 2) != 2)
		report("netns: the connection is lost");
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("netns: the child's connection is wrong (status %#x)", status);
	report("netns ok");
}

TEST_F(tree, network_namespace_with_a_connection_over_lo)
{
	struct sockaddr_in a = ns_addr();
	int s;

	round_trip(_metadata, self, tree_netns, true, "netns ok", NULL);
	/* The listener was made in the tree's namespace, not in the caller's. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT_NE(0, connect(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
}

/* rtnetlink requests, as "ip" makes them. */
struct nlreq {
	struct nlmsghdr h;
	char buf[1024];
};

static void nlreq_init(struct nlreq *r, int type, int flags, const void *hdr, int len)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->h.nlmsg_len = NLMSG_LENGTH(len);
	memcpy(NLMSG_DATA(&r->h), hdr, len);
}

static struct rtattr *nl_put(struct nlreq *r, int type, const void *data, int len)
{
	struct rtattr *a = (void *)((char *)&r->h + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void nl_str(struct nlreq *r, int type, const char *s)
{
	nl_put(r, type, s, strlen(s) + 1);
}

/* Close a nest begun by nl_put(r, type, NULL, 0) (or with a header). */
static void nl_end(struct nlreq *r, struct rtattr *a)
{
	a->rta_len = (char *)&r->h + r->h.nlmsg_len - (char *)a;
}

/* Send @r on route socket @fd: 0, or the kernel's error (negative). */
static int nl_talk(int fd, struct nlreq *r)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	char buf[4096];
	struct nlmsghdr *h = (void *)buf;
	int n;

	if (sendto(fd, &r->h, r->h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof(k)) < 0)
		return -errno;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (int)NLMSG_LENGTH(sizeof(struct nlmsgerr)) || h->nlmsg_type != NLMSG_ERROR)
		return -EIO;
	errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
	return -errno;
}

static int nl_open(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

/* A veth pair @a - @b in the socket's namespace. */
static int nl_veth(int fd, const char *a, const char *b)
{
	struct ifinfomsg ifm = {};
	struct rtattr *info, *data, *peer;
	struct nlreq r;

	nlreq_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm, sizeof(ifm));
	nl_str(&r, IFLA_IFNAME, a);
	info = nl_put(&r, IFLA_LINKINFO, NULL, 0);
	nl_str(&r, IFLA_INFO_KIND, "veth");
	data = nl_put(&r, IFLA_INFO_DATA, NULL, 0);
	peer = nl_put(&r, VETH_INFO_PEER, &ifm, sizeof(ifm));
	nl_str(&r, IFLA_IFNAME, b);
	nl_end(&r, peer);
	nl_end(&r, data);
	nl_end(&r, info);
	return nl_talk(fd, &r);
}

/* Device @index: a port of @master (an index, or 0), and/or to the namespace of @pid (or 0). */
static int nl_link_set(int fd, int index, int master, int up, pid_t pid)
{
	struct ifinfomsg ifm = { .ifi_index = index };
	struct nlreq r;

	if (up) {
		ifm.ifi_flags = IFF_UP;
		ifm.ifi_change = IFF_UP;
	}
	nlreq_init(&r, RTM_NEWLINK, 0, &ifm, sizeof(ifm));
	if (master)
		nl_put(&r, IFLA_MASTER, &master, 4);
	if (pid)
		nl_put(&r, IFLA_NET_NS_PID, &pid, 4);
	return nl_talk(fd, &r);
}

/* Route @dst/@len via gateway @gw (family @af, table @table) through device @oif. */
static int nl_route(int fd, int af, const char *dst, int len, const char *gw, int table, int oif)
{
	struct rtmsg rtm = { .rtm_family = af, .rtm_dst_len = len, .rtm_table = RT_TABLE_UNSPEC,
			     .rtm_protocol = RTPROT_BOOT, .rtm_scope = RT_SCOPE_UNIVERSE,
			     .rtm_type = RTN_UNICAST };
	unsigned char a[16];
	struct nlreq r;

	nlreq_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rtm, sizeof(rtm));
	inet_pton(af, dst, a);
	nl_put(&r, RTA_DST, a, af == AF_INET ? 4 : 16);
	inet_pton(af, gw, a);
	nl_put(&r, RTA_GATEWAY, a, af == AF_INET ? 4 : 16);
	nl_put(&r, RTA_TABLE, &table, 4);
	nl_put(&r, RTA_OIF, &oif, 4);
	return nl_talk(fd, &r);
}

/* Rule: from @src lookup @table. */
static int nl_rule(int fd, const char *src, int table)
{
	struct fib_rule_hdr frh = { .family = AF_INET, .src_len = 32, .action = FR_ACT_TO_TBL };
	uint32_t prio = 1000;
	struct in_addr a;
	struct nlreq r;

	nlreq_init(&r, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, &frh, sizeof(frh));
	inet_pton(AF_INET, src, &a);
	nl_put(&r, FRA_SRC, &a, 4);
	nl_put(&r, FRA_TABLE, &table, 4);
	nl_put(&r, FRA_PRIORITY, &prio, 4);
	return nl_talk(fd, &r);
}

/* Address @addr/@len on device @ifindex (lo, 1: of host scope, labelled lo:1). */
static int nl_addr(int fd, int af, int ifindex, const char *addr, int len)
{
	struct ifaddrmsg ifa = { .ifa_family = af, .ifa_prefixlen = len, .ifa_index = ifindex,
				 .ifa_scope = ifindex == 1 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE };
	unsigned char a[16];
	struct nlreq r;

	nlreq_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
	inet_pton(af, addr, a);
	nl_put(&r, IFA_LOCAL, a, af == AF_INET ? 4 : 16);
	nl_put(&r, IFA_ADDRESS, a, af == AF_INET ? 4 : 16);
	if (ifindex == 1)
		nl_str(&r, IFA_LABEL, "lo:1");
	return nl_talk(fd, &r);
}

/* Device @name: its flags, MTU and MAC address (6 bytes at @mac), or -1. */
static int dev_get(const char *name, int *mtu, unsigned char *mac)
{
	struct ifreq ifr = {};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), flags = -1;

	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (!ioctl(s, SIOCGIFFLAGS, &ifr)) {
		flags = ifr.ifr_flags;
		if (ioctl(s, SIOCGIFMTU, &ifr))
			flags = -1;
		*mtu = ifr.ifr_mtu;
		if (ioctl(s, SIOCGIFHWADDR, &ifr))
			flags = -1;
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	}
	close(s);
	return flags;
}

/* Device @name: its IPv4 address (network order), or 0. */
static uint32_t dev_addr4(const char *name)
{
	struct ifreq ifr = {};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint32_t a = 0;

	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (!ioctl(s, SIOCGIFADDR, &ifr))
		a = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr;
	close(s);
	return a;
}

/* Does file @path have a line holding @text? */
static bool file_has(const char *path, const char *text)
{
	char line[512];
	bool found = false;
	FILE *f = fopen(path, "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, text) != NULL;
	if (f)
		fclose(f);
	return found;
}

/* Does a UDP socket (bound to @src, or not) find a route to @dst? */
static bool udp_route(const char *src, const char *dst)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ok;

	if (src) {
		inet_pton(AF_INET, src, &a.sin_addr);
		a.sin_port = 0;
		if (bind(s, (struct sockaddr *)&a, sizeof(a)))
			return false;
		a.sin_port = htons(9);
	}
	inet_pton(AF_INET, dst, &a.sin_addr);
	ok = !connect(s, (struct sockaddr *)&a, sizeof(a));
	close(s);
	return ok;
}

/*
 * A container's network, as LXC makes one: the host has bridge crbr0
 * (10.77.0.1/24, made by the test); the root makes the veth pair
 * crvh0 (the host's end, a port of crbr0) - crvc0, takes crvc0 into a
 * network namespace of its own, names it eth0 and gives it a MAC address,
 * an MTU, 10.77.0.2/24 and fd77::2/64, routes (IPv4 and IPv6, one in
 * table 100 with a rule), a permanent neighbour entry; and a veth pair
 * crin0 - crin1 with both ends inside, and a second address on lo. A
 * client outside the tree (the test's) is connected to its server on
 * 10.77.0.2 across the bridge. After the restore all of it is there, with
 * the same device indexes, and the connection goes on.
 */
#define VETH_PORT	7779
#define VETH_MAC	"\x02\x77\x00\x00\x00\x02"
#define VETH_NEIGH_MAC	"\x02\x00\x00\x00\x00\x09"

/* A step of the set-up failed: say which, and why. */
static void veth_fail(int step)
{
	fprintf(stderr, "veth set-up: step %d: %s\n", step, strerror(errno));
	_exit(step);
}

static void tree_netns_veth(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(VETH_PORT) };
	struct ifreq ifr = { .ifr_name = "lo:1" };
	struct arpreq arp = { .arp_flags = ATF_PERM | ATF_COM, .arp_dev = "eth0" };
	int fd, s, l, c, one = 1, mtu, idx[3], br;
	unsigned char mac[6];
	char buf[16];

	fd = nl_open();
	br = if_nametoindex("crbr0");
	if (fd < 0 || !br || nl_veth(fd, "crvh0", "crvc0") ||
	    nl_link_set(fd, if_nametoindex("crvh0"), br, 1, 0))
		veth_fail(4);
	idx[0] = if_nametoindex("crvc0");
	if (unshare(CLONE_NEWNET) || lo_up(1) != 1 ||
	    nl_link_set(fd, idx[0], 0, 0, getpid()))	/* fd is the host's */
		veth_fail(5);
	close(fd);
	fd = nl_open();
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	strcpy(ifr.ifr_name, "crvc0");
	strcpy(ifr.ifr_newname, "eth0");
	if (ioctl(s, SIOCSIFNAME, &ifr))
		veth_fail(6);
	strcpy(ifr.ifr_name, "eth0");
	ifr.ifr_mtu = 1400;
	if (ioctl(s, SIOCSIFMTU, &ifr))
		veth_fail(6);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, VETH_MAC, 6);
	if (ioctl(s, SIOCSIFHWADDR, &ifr) || nl_link_set(fd, idx[0], 0, 1, 0))
		veth_fail(6);
	if (nl_addr(fd, AF_INET, idx[0], "10.77.0.2", 24) ||
	    nl_addr(fd, AF_INET6, idx[0], "fd77::2", 64) ||
	    nl_addr(fd, AF_INET, 1, "127.0.0.2", 8))
		veth_fail(7);
	if (nl_route(fd, AF_INET, "10.88.0.0", 16, "10.77.0.1", RT_TABLE_MAIN, idx[0]) ||
	    nl_route(fd, AF_INET, "10.66.0.0", 16, "10.77.0.1", 100, idx[0]))
		veth_fail(8);
	if (nl_rule(fd, "10.77.0.2", 100))
		veth_fail(9);
	if (nl_route(fd, AF_INET6, "fd88::", 64, "fd77::1", RT_TABLE_MAIN, idx[0]))
		veth_fail(10);
	((struct sockaddr_in *)&arp.arp_pa)->sin_family = AF_INET;
	inet_pton(AF_INET, "10.77.0.9", &((struct sockaddr_in *)&arp.arp_pa)->sin_addr);
	arp.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(arp.arp_ha.sa_data, VETH_NEIGH_MAC, 6);
	if (ioctl(s, SIOCSARP, &arp))
		veth_fail(11);
	if (nl_veth(fd, "crin0", "crin1"))
		veth_fail(12);
	idx[1] = if_nametoindex("crin0");
	idx[2] = if_nametoindex("crin1");
	strcpy(ifr.ifr_name, "crin1");		/* the other end's own queue length */
	ifr.ifr_qlen = 777;
	if (nl_link_set(fd, idx[1], 0, 1, 0) || nl_link_set(fd, idx[2], 0, 1, 0) ||
	    nl_addr(fd, AF_INET, idx[1], "10.99.0.1", 24) || ioctl(s, SIOCSIFTXQLEN, &ifr))
		veth_fail(12);
	close(fd);
	close(s);
	inet_pton(AF_INET, "10.77.0.2", &a.sin_addr);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4))
		veth_fail(13);
	c = accept(l, NULL, NULL);
	if (c < 0 || read(c, buf, 5) != 5 || write(c, "world", 5) != 5)
		veth_fail(14);
	root_ready();
	wait_restored();
	if (if_nametoindex("eth0") != idx[0] || if_nametoindex("crin0") != idx[1] ||
	    if_nametoindex("crin1") != idx[2])
		report("veth: device indexes %d %d %d, not %d %d %d", if_nametoindex("eth0"),
		       if_nametoindex("crin0"), if_nametoindex("crin1"), idx[0], idx[1], idx[2]);
	if (dev_get("eth0", &mtu, mac) < 0 || !(dev_get("eth0", &mtu, mac) & IFF_UP) ||
	    mtu != 1400 || memcmp(mac, VETH_MAC, 6))
		report("veth: eth0 is not up with its MTU and MAC address (MTU %d)", mtu);
	if (!(dev_get("crin0", &mtu, mac) & IFF_UP) || !(dev_get("crin1", &mtu, mac) & IFF_UP))
		report("veth: crin0 or crin1 is not up");
	/* (Not through /sys, which shows the test's namespace.) */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	strcpy(ifr.ifr_name, "crin1");
	if (ioctl(s, SIOCGIFTXQLEN, &ifr) || ifr.ifr_qlen != 777)
		report("veth: crin1's queue length is %d", ifr.ifr_qlen);
	close(s);
	if (dev_addr4("eth0") != htonl(0x0a4d0002) || dev_addr4("crin0") != htonl(0x0a630001) ||
	    dev_addr4("lo:1") != htonl(0x7f000002))
		report("veth: an IPv4 address is lost");
	if (!file_has("/proc/net/if_inet6", "fd770000000000000000000000000002"))
		report("veth: the IPv6 address is lost");
	if (!file_has("/proc/net/ipv6_route", "fd880000000000000000000000000000 40"))
		report("veth: the IPv6 route is lost");
	if (!file_has("/proc/net/route", "eth0\t0000580A\t01004D0A"))
		report("veth: the IPv4 route is lost");
	if (!file_has("/proc/net/arp", "10.77.0.9        0x1         0x6         02:00:00:00:00:09"))
		report("veth: the permanent neighbour entry is lost");
	if (!udp_route("10.77.0.2", "10.66.0.5") || udp_route(NULL, "10.66.0.5") ||
	    !udp_route(NULL, "10.88.1.1"))
		report("veth: the routing rule or its table is lost");
	if (write(c, "again", 5) != 5 || read(c, buf, 2) != 2 || memcmp(buf, "ok", 2))
		report("veth: the connection from outside is lost");
	report("veth ok");
}

/* The client outside the tree: exits 10 when the connection went on. */
static void veth_client(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(VETH_PORT) };
	char buf[8];
	int s, i;

	inet_pton(AF_INET, "10.77.0.2", &a.sin_addr);
	for (i = 0; i < 200; i++) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (!connect(s, (struct sockaddr *)&a, sizeof(a)))
			break;
		close(s);
		usleep(100000);
	}
	if (i == 200 || write(s, "hello", 5) != 5 || read(s, buf, 5) != 5 ||
	    memcmp(buf, "world", 5))
		_exit(1);
	if (read(s, buf, 5) != 5 || memcmp(buf, "again", 5) || write(s, "ok", 2) != 2)
		_exit(2);
	_exit(10);
}

TEST_F(tree, network_namespace_with_veth_addresses_routes_and_a_connection_from_outside)
{
	struct ifinfomsg ifm = {};
	struct rtattr *info;
	char master[PATH_MAX];
	struct nlreq r;
	int fd, status, br;
	pid_t client;
	ssize_t n;

	fd = nl_open();
	ASSERT_LE(0, fd);
	nlreq_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm, sizeof(ifm));
	nl_str(&r, IFLA_IFNAME, "crbr0");
	info = nl_put(&r, IFLA_LINKINFO, NULL, 0);
	nl_str(&r, IFLA_INFO_KIND, "bridge");
	nl_end(&r, info);
	ASSERT_EQ(0, nl_talk(fd, &r));
	br = if_nametoindex("crbr0");
	ASSERT_EQ(0, nl_link_set(fd, br, 0, 1, 0));
	ASSERT_EQ(0, nl_addr(fd, AF_INET, br, "10.77.0.1", 24));
	client = fork();
	ASSERT_LE(0, client);
	if (client == 0)
		veth_client();
	round_trip(_metadata, self, tree_netns_veth, true, "veth ok", NULL);
	/* The host's end is back, a port of the bridge, up. */
	n = readlink("/sys/class/net/crvh0/master", master, sizeof(master) - 1);
	master[n > 0 ? n : 0] = '\0';
	EXPECT_NE(NULL, strstr(master, "/crbr0"));
	EXPECT_EQ(0, waitpid(client, &status, 0) == client && WIFEXITED(status) ?
		  WEXITSTATUS(status) - 10 : -1) TH_LOG("client status %#x", status);
	ifm.ifi_index = br;
	nlreq_init(&r, RTM_DELLINK, 0, &ifm, sizeof(ifm));
	EXPECT_EQ(0, nl_talk(fd, &r));
	close(fd);
}

/*
 * A network namespace with what the image does not hold: a bridge
 * (@what 0), a nexthop object (1).
 */
static int netns_unsaved(int what)
{
	struct ifinfomsg ifm = {};
	struct nhmsg nhm = { .nh_family = AF_INET };
	struct rtattr *info;
	uint32_t id = 1;
	struct nlreq r;
	int fd;

	if (unshare(CLONE_NEWNET) || lo_up(1) != 1)
		return 1;
	fd = nl_open();
	if (what == 0) {
		nlreq_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm, sizeof(ifm));
		nl_str(&r, IFLA_IFNAME, "crbr1");
		info = nl_put(&r, IFLA_LINKINFO, NULL, 0);
		nl_str(&r, IFLA_INFO_KIND, "bridge");
		nl_end(&r, info);
	} else {
		nlreq_init(&r, RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_EXCL, &nhm, sizeof(nhm));
		nl_put(&r, NHA_ID, &id, 4);
		nl_put(&r, NHA_BLACKHOLE, NULL, 0);
	}
	if (nl_talk(fd, &r)) {
		fprintf(stderr, "set-up %d: %s\n", what, strerror(errno));
		return 1;
	}
	return 0;
}

TEST_F(tree, network_namespace_with_a_bridge_or_a_nexthop_refused)
{
	expect_tree_refused(_metadata, self, netns_unsaved, 0);
	expect_tree_refused(_metadata, self, netns_unsaved, 1);
}

TEST_F(tree, ipc_namespace_of_the_tree_with_all_its_objects)
{
	round_trip(_metadata, self, tree_ipcns, true, "ipcns ok", NULL);
	/* Made in the tree's namespace, not in the caller's. */
	EXPECT_EQ(-1, semget(NS_SEM_KEY, 0, 0));
	EXPECT_EQ(-1, msgget(NS_MSG_KEY, 0));
	EXPECT_EQ(-1, shmget(NS_SHM_KEY, 0, 0));
	EXPECT_EQ(-1, mq_open("/crns", O_RDONLY));
}

/*
 * In the tree's own IPC namespace, a segment no process attached (@what
 * 0) or a POSIX message queue none has open (1) would be lost.
 */
static int ipcns_unsaved(int what)
{
	if (unshare(CLONE_NEWIPC))
		return 1;
	if (what == 0)
		return shmget(NS_SHM_KEY, 4096, IPC_CREAT | 0600) < 0;
	return mq_close(mq_open("/crgone", O_CREAT | O_RDWR, 0600, NULL)) != 0;
}

TEST_F(tree, ipc_namespace_with_an_unattached_segment_or_unopened_queue_refused)
{
	expect_tree_refused(_metadata, self, ipcns_unsaved, 0);
	expect_tree_refused(_metadata, self, ipcns_unsaved, 1);
}

TEST_F(tree, pidfds_of_a_zombie_a_child_and_the_parent_in_epoll)
{
	round_trip(_metadata, self, tree_pidfds, true, "pidfds ok", NULL);
}

TEST_F(tree, fanotify_events_of_processes_of_the_tree)
{
	round_trip(_metadata, self, tree_fanotify, true, "fanotify ok", NULL);
}

TEST_F(tree, uts_namespace_of_the_tree)
{
	struct utsname before, after;

	ASSERT_EQ(0, uname(&before));
	round_trip(_metadata, self, tree_uts, true, "uts ok", NULL);
	ASSERT_EQ(0, uname(&after));
	EXPECT_STREQ(before.nodename, after.nodename);
	EXPECT_STREQ(before.domainname, after.domainname);
}

/*
 * A child in a chroot of its own with a unix socket bound to a path there,
 * whose name the image would hold from the tree root's root: refused.
 */
static int chroot_named_socket(int arg)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "/sock" };

	if (mkdir("jail2", 0755) && errno != EEXIST)
		return 1;
	if (fork() == 0) {
		int s;

		if (chroot("jail2") || chdir("/"))
			_exit(1);
		unlink("/sock");
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1))
			_exit(1);
		for (;;)
			pause();
	}
	return 0;
}

TEST_F(tree, child_in_a_chroot_of_its_own)
{
	round_trip(_metadata, self, tree_chroot, true, "chroot ok", NULL);
}

TEST_F(tree, child_in_a_chroot_of_its_own_with_a_named_socket_refused)
{
	expect_tree_refused(_metadata, self, chroot_named_socket, 0);
}

/* A child in a UTS namespace of its own (nested): refused, the tree goes on. */
TEST_F(tree, uts_namespace_of_a_child_refused)
{
	expect_tree_refused(_metadata, self, uts_child, 0);
}

/*
 * A user namespace of the tree's own, as a container runtime makes one:
 * uids and gids 0-999 are 100000-100999 outside, 1000 is 1000 (written by
 * a helper process of the parent namespace, as newuidmap does), and the
 * root is uid 0 inside with every capability there. Its UTS and IPC
 * namespaces are owned by it; a semaphore set is uid 0's. After the
 * restore by root, in both processes: the same maps and setgroups policy,
 * uid 0 with the same capabilities, in a new user namespace whose parent
 * is the caller's, which owns the UTS and IPC namespaces; the set is uid
 * 0's inside; a file of uid 0 outside is nobody's inside.
 */
#define USERNS_MAP	"0 100000 1000\n1000 1000 1\n"
/* The parent's pid in /proc's pid namespace (the test's, not the tree's). */
static pid_t proc_ppid(void)
{
	char status[4096], *p;

	cr_read_file("/proc/self/status", status, sizeof(status));
	p = strstr(status, "\nPPid:");
	return p ? atoi(p + 6) : -1;
}

/* What is wrong after the restore, or NULL. */
static const char *userns_wrong(const struct userns_seen *before, int sem)
{
	const char *changed = userns_changed(before);
	struct semid_ds ds;
	struct utsname u;
	struct stat st;

	if (changed)
		return changed;
	if (ns_ioctl_ino("/proc/self/ns/ipc", CR_NS_GET_USERNS) != ns_ino("/proc/self/ns/user"))
		return "IPC namespace of another owner";
	if (uname(&u) || strcmp(u.nodename, "cr-userns"))
		return "host name";
	if (semctl(sem, 0, IPC_STAT, &ds) || ds.sem_perm.uid || ds.sem_perm.gid)
		return "semaphore set owner";
	if (stat("/", &st) || st.st_uid != 65534)
		return "uid 0 outside is not nobody inside";
	return NULL;
}

static void tree_userns(void)
{
	struct userns_seen before;
	const char *wrong;
	int p[2], sem, status;
	char path[64], c;
	pid_t helper;

	if (pipe(p))
		_exit(4);
	helper = fork();
	if (helper == 0) {
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		snprintf(path, sizeof(path), "/proc/%d/uid_map", proc_ppid());
		if (cr_write_file(path, USERNS_MAP))
			_exit(1);
		snprintf(path, sizeof(path), "/proc/%d/gid_map", proc_ppid());
		_exit(cr_write_file(path, USERNS_MAP) ? 1 : 0);
	}
	if (helper < 0 || unshare(CLONE_NEWUSER) || write(p[1], "m", 1) != 1 ||
	    waitpid(helper, &status, 0) != helper || status)
		_exit(4);
	if (setresgid(0, 0, 0) || setresuid(0, 0, 0) || setgroups(0, NULL) ||
	    prctl(PR_SET_DUMPABLE, 1) ||
	    unshare(CLONE_NEWUTS | CLONE_NEWIPC) || sethostname("cr-userns", 9))
		_exit(4);
	sem = semget(IPC_PRIVATE, 1, 0600);
	if (sem < 0)
		_exit(4);
	userns_look(&before);
	if (strncmp(before.capeff, "CapEff:", 7) || strstr(before.capeff, "0000000000000000"))
		_exit(4);
	if (fork() == 0) {
		ready();
		wait_restored();
		snprintf(path, sizeof(path), "/proc/%d/ns/user", proc_ppid());
		wrong = userns_wrong(&before, sem);
		_exit(wrong || ns_ino(path) != ns_ino("/proc/self/ns/user") ? 5 : 10);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	wrong = userns_wrong(&before, sem);
	if (wrong)
		report("userns: %s", wrong);
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("userns: the child's state is wrong (status %#x)", status);
	report("userns ok");
}

TEST_F(tree, user_namespace_with_uid_ranges_owning_the_uts_and_ipc_namespaces)
{
	/* The root, uid 100000 outside, writes its image here. */
	ASSERT_EQ(0, chmod(self->dir, 0777));
	round_trip(_metadata, self, tree_userns, true, "userns ok", NULL);
}

/* A child in a user namespace of its own (nested): refused. */
static int userns_child(int arg)
{
	if (fork() == 0) {
		if (unshare(CLONE_NEWUSER))
			_exit(1);
		for (;;)
			pause();
	}
	return 0;
}

TEST_F(tree, user_namespace_of_a_child_refused)
{
	expect_tree_refused(_metadata, self, userns_child, 0);
}

/*
 * A cgroup namespace of the tree's own, as a container runtime makes one:
 * the root moves into cgroup crt-a and unshares its cgroup namespace
 * before its child is born; both see their cgroup as "/". The restore is
 * run from cgroup crt-b: both see "/" again (not "/crt-b"), in a new
 * cgroup namespace.
 */
static bool cgroup_is_root(void)
{
	char buf[256];

	cr_read_file("/proc/self/cgroup", buf, sizeof(buf));
	return !strcmp(buf, "0::/\n") &&
	       ns_ino("/proc/self/ns/cgroup") != ns_ino("/proc/1/ns/cgroup");
}

static void tree_cgroupns(void)
{
	char buf[256];
	int status;

	if (cgroup_enter(CGROUP_ROOT "/crt-a") || unshare(CLONE_NEWCGROUP) || !cgroup_is_root())
		_exit(4);
	if (fork() == 0) {
		ready();
		wait_restored();
		_exit(cgroup_is_root() ? 10 : 5);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	if (!cgroup_is_root()) {
		cr_read_file("/proc/self/cgroup", buf, sizeof(buf));
		report("cgroupns: the root sees %s", buf);
	}
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("cgroupns: the child's view is wrong (status %#x)", status);
	report("cgroupns ok");
}

TEST_F(tree, cgroup_namespace_of_the_tree_rooted_at_the_callers_cgroup)
{
	struct run run = { .self = self, .fn = tree_cgroupns };

	ASSERT_NE(NULL, cgroup_make("crt-a"));
	run.cgroup = cgroup_make("crt-b");
	ASSERT_NE(NULL, run.cgroup);
	checkpoint_tree(_metadata, &run);
	restore_tree(_metadata, &run, true, "cgroupns ok", NULL);
	rmdir(CGROUP_ROOT "/crt-a");
	rmdir(CGROUP_ROOT "/crt-b");
}

/*
 * A mount namespace of the tree's own, as "unshare --mount --mount-proc"
 * and a container's set-up make one: made private, a tmpfs the test
 * mounted before (with a file) unmounted, a proc of the tree's pid
 * namespace over /proc, a tmpfs of its own (1 MiB, mode 0750) holding a
 * directory (0710), a file in it (0640, uid 7, 100000 bytes, an old
 * time) and a symbolic link to it, and the host's /dev/shm read-only.
 * After the restore, in the root and its child: /proc/self is the
 * process's pid in its pid namespace, the tmpfs is there with its size,
 * mode and files, the test's tmpfs is not, /dev/shm is read-only, in a
 * mount namespace that is not the test's, which has its own mounts as
 * they were.
 */
#define MNT_OWN		"own"
#define MNT_EXTRA	"extra"

static char mnt_dir[64];
static uint64_t mnt_file_sum;

/* The checksum of the contents of file @path, 0 if it cannot be read. */
static uint64_t mnt_sum(const char *path)
{
	static char buf[100000];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

	if (fd >= 0)
		close(fd);
	return n == sizeof(buf) ? fnv(buf, n) : 0;
}

/* Files in the tmpfs of its own at @own: a directory, a file, a link. */
static int mnt_fill(const char *own)
{
	struct timespec t[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	static char buf[100000];
	char path[160];
	int fd, i;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = i * 7 + 3;
	mnt_file_sum = fnv(buf, sizeof(buf));
	snprintf(path, sizeof(path), "%s/d", own);
	if (mkdir(path, 0710))
		return -1;
	snprintf(path, sizeof(path), "%s/d/f", own);
	fd = open(path, O_CREAT | O_WRONLY, 0640);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) || fchown(fd, 7, 7) ||
	    fchmod(fd, 0640) || futimens(fd, t))
		return -1;
	close(fd);
	snprintf(path, sizeof(path), "%s/link", own);
	if (symlink("d/f", path))
		return -1;
	snprintf(path, sizeof(path), "%s/d", own);
	t[1].tv_sec = 1000000001;
	return utimensat(AT_FDCWD, path, t, 0);
}

static const char *mnt_wrong(void)
{
	char path[128], self[32] = "";
	struct statvfs vfs;
	struct statfs fs;
	struct stat st;

	if (readlink("/proc/self", self, sizeof(self) - 1) < 0 || atoi(self) != getpid())
		return "/proc is not of its pid namespace";
	snprintf(path, sizeof(path), "%s/" MNT_OWN, mnt_dir);
	if (statfs(path, &fs) || fs.f_type != 0x01021994 /* TMPFS_MAGIC */ ||
	    fs.f_blocks * fs.f_bsize != 1 << 20 || stat(path, &st) || (st.st_mode & 07777) != 0750 ||
	    st.st_uid || st.st_gid)
		return "its tmpfs is not there as it was";
	snprintf(path, sizeof(path), "%s/" MNT_OWN "/d/f", mnt_dir);
	if (stat(path, &st) || (st.st_mode & 07777) != 0640 || st.st_uid != 7 ||
	    st.st_size != 100000 || st.st_mtime != 1000000000 || mnt_sum(path) != mnt_file_sum)
		return "its file is not there as it was";
	snprintf(path, sizeof(path), "%s/" MNT_OWN "/d", mnt_dir);
	if (stat(path, &st) || (st.st_mode & 07777) != 0710 || st.st_mtime != 1000000001)
		return "its directory is not there as it was";
	snprintf(path, sizeof(path), "%s/" MNT_OWN "/link", mnt_dir);
	if (readlink(path, self, sizeof(self) - 1) != 3 || memcmp(self, "d/f", 3))
		return "its link is not there as it was";
	snprintf(path, sizeof(path), "%s/" MNT_EXTRA "/marker", mnt_dir);
	if (!access(path, F_OK))
		return "the test's tmpfs is there";
	if (statvfs("/dev/shm", &vfs) || !(vfs.f_flag & ST_RDONLY))
		return "/dev/shm is not read-only";
	return NULL;
}

static void tree_mntns(void)
{
	char path[128];
	const char *wrong;
	int status;

	snprintf(path, sizeof(path), "%s/" MNT_EXTRA, mnt_dir);
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    umount2(path, MNT_DETACH) ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		_exit(4);
	snprintf(path, sizeof(path), "%s/" MNT_OWN, mnt_dir);
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID, "size=1m,mode=0750") || mnt_fill(path) ||
	    mount(NULL, "/dev/shm", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) || mnt_wrong())
		_exit(4);
	if (fork() == 0) {
		ready();
		wait_restored();
		_exit(mnt_wrong() ? 5 : 10);
	}
	wait_ready(READY_FD - 1, 1);
	root_ready();
	wait_restored();
	wrong = mnt_wrong();
	if (wrong)
		report("mntns: %s", wrong);
	if (ns_ino("/proc/self/ns/mnt") == ns_ino("/proc/1/ns/mnt"))
		report("mntns: in the test's mount namespace");
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 10)
		report("mntns: the child's mounts are wrong (status %#x)", status);
	report("mntns ok");
}

TEST_F(tree, mount_namespace_with_proc_a_tmpfs_and_a_read_only_mount)
{
	char extra[128], own[128], marker[160];
	struct statvfs vfs;
	struct stat a, b;

	snprintf(mnt_dir, sizeof(mnt_dir), "%s", self->dir);
	snprintf(extra, sizeof(extra), "%s/" MNT_EXTRA, self->dir);
	snprintf(own, sizeof(own), "%s/" MNT_OWN, self->dir);
	snprintf(marker, sizeof(marker), "%s/marker", extra);
	ASSERT_EQ(0, mkdir(extra, 0755));
	ASSERT_EQ(0, mkdir(own, 0755));
	ASSERT_EQ(0, mount("tmpfs", extra, "tmpfs", 0, "size=1m"));
	ASSERT_EQ(0, close(open(marker, O_CREAT | O_WRONLY, 0644)));
	round_trip(_metadata, self, tree_mntns, true, "mntns ok", NULL);
	/* The test's namespace is as it was. */
	EXPECT_EQ(0, access(marker, F_OK));
	EXPECT_EQ(0, stat(self->dir, &a));
	EXPECT_EQ(0, stat(own, &b));
	EXPECT_EQ(a.st_dev, b.st_dev) TH_LOG("the tree's tmpfs is in the test's namespace");
	EXPECT_EQ(0, statvfs("/dev/shm", &vfs));
	EXPECT_FALSE(vfs.f_flag & ST_RDONLY);
	umount2(extra, MNT_DETACH);
}

/*
 * A tmpfs of its own with a unix socket's name (0) or a hard link (1) in
 * it: not saved yet (device nodes and FIFOs are).
 */
static int mnt_tmpfs_with(int arg)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char path[128], other[140];
	int fd;

	snprintf(path, sizeof(path), "%s/" MNT_OWN, mnt_dir);
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", path, "tmpfs", 0, NULL))
		return 1;
	snprintf(other, sizeof(other), "%s/link", path);
	strcat(path, "/file");
	if (!arg) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
		return fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || close(fd) ? 1 : 0;
	}
	return close(open(path, O_CREAT | O_WRONLY, 0644)) || link(path, other) ? 1 : 0;
}

TEST_F(tree, mount_namespace_with_a_socket_or_a_hard_link_in_its_tmpfs_refused)
{
	char own[128];

	snprintf(mnt_dir, sizeof(mnt_dir), "%s", self->dir);
	snprintf(own, sizeof(own), "%s/" MNT_OWN, self->dir);
	ASSERT_EQ(0, mkdir(own, 0755));
	expect_tree_refused(_metadata, self, mnt_tmpfs_with, 0);
	expect_tree_refused(_metadata, self, mnt_tmpfs_with, 1);
}

/* A child in another cgroup than the root: refused, the tree goes on. */
static int cgroup_child(int arg)
{
	if (cgroup_enter(CGROUP_ROOT "/crt-a"))
		return 1;
	if (fork() == 0) {
		if (cgroup_enter(CGROUP_ROOT "/crt-b"))
			_exit(1);
		for (;;)
			pause();
	}
	return 0;
}

TEST_F(tree, process_in_another_cgroup_than_the_root_refused)
{
	ASSERT_NE(NULL, cgroup_make("crt-a"));
	ASSERT_NE(NULL, cgroup_make("crt-b"));
	expect_tree_refused(_metadata, self, cgroup_child, 0);
	usleep(200000);
	rmdir(CGROUP_ROOT "/crt-a");
	rmdir(CGROUP_ROOT "/crt-b");
}

TEST_F(tree, cow_memory_stored_once)
{
	struct run run = { .self = self, .fn = tree_cow };
	struct stat st;

	checkpoint_tree(_metadata, &run);
	ASSERT_EQ(0, stat(self->image, &st));
	/* Once: the parent's 8 MiB, the third child's 1 MiB, and the rest. */
	EXPECT_LT(st.st_blocks * 512, 8 * COW_LEN / 5)
		TH_LOG("image of %lld bytes allocated", (long long)st.st_blocks * 512);
	restore_tree(_metadata, &run, true, "cow ok: 3 of 3, parent ok", NULL);
}

TEST_F(tree, subreaper_orphan_exit_and_pdeath_signals)
{
	round_trip(_metadata, self, tree_relations, true,
		   "relations ok: subreaper 1, exit signal received", NULL);
}

TEST_F(tree, scheduling_and_oom_score_of_each_process)
{
	round_trip(_metadata, self, tree_sched, true, "sched ok", NULL);
}

TEST_F(tree, shared_descriptor_table_and_fs)
{
	round_trip(_metadata, self, tree_shared_tables, true, "tables ok", NULL);
}

/* A child sharing the root's address space (CLONE_VM without CLONE_THREAD). */
static int vm_sharing_child(int arg)
{
	static char stack[65536] __attribute__((aligned(16)));

	return clone(vm_child, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL) < 0;
}

TEST_F(tree, shared_address_space_refused)
{
	expect_tree_refused(_metadata, self, vm_sharing_child, 0);
}

TEST_F(tree, unreaped_zombie)
{
	round_trip(_metadata, self, tree_zombie, true, "zombie ok", NULL);
}

TEST_F(tree, child_exiting_at_the_checkpoint_saved_as_a_zombie)
{
	round_trip(_metadata, self, tree_exiting_child, true,
		   "exiting child ok: killed by SIGKILL", NULL);
}

TEST_F(tree, sessions_and_process_groups)
{
	round_trip(_metadata, self, tree_sessions, true, "sessions ok", NULL);
}

TEST_F_TIMEOUT(tree, hundred_processes, 180)
{
	double secs;

	round_trip(_metadata, self, tree_hundred, true, "hundred ok: 9 of 9", &secs);
	ksft_print_msg("tree of 100 processes restored and run to completion in %.3f s\n",
		       secs);
}

/*
 * The checkpoint side, without a restore: a root with two children, all
 * counting in memory the test shares with them; the test is their
 * subreaper, so it can wait for every one of them.
 */
struct counters {
	volatile uint64_t count[3];
	volatile pid_t pid[3];
	volatile int go;
};

static void __attribute__((noreturn)) count_forever(struct counters *c, int i)
{
	c->pid[i] = getpid();
	for (;;)
		c->count[i]++;
}

static pid_t start_counting_tree(struct __test_metadata *_metadata,
				 FIXTURE_DATA(tree) *self, struct counters *c,
				 bool stop_child)
{
	pid_t root;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	root = fork();
	ASSERT_LE(0, root);
	if (root == 0) {
		prctl(PR_SET_NAME, ROOT_NAME);
		if (chdir(self->dir))
			_exit(1);
		for (int i = 1; i < 3; i++) {
			if (fork() == 0) {
				if (stop_child && i == 2) {
					c->pid[i] = getpid();
					raise(SIGSTOP);
				}
				count_forever(c, i);
			}
		}
		count_forever(c, 0);
	}
	for (int i = 0; i < 3; i++)
		while (!c->pid[i])
			usleep(1000);
	for (int i = 0; i < 3 - stop_child; i++)
		while (!c->count[i])
			usleep(1000);
	return root;
}

/* Does every counter of the tree move (or none, with !@moving)? */
static bool tree_counting(struct counters *c, int n, bool moving)
{
	uint64_t before[3];
	int i;

	for (i = 0; i < n; i++)
		before[i] = c->count[i];
	usleep(200000);
	for (i = 0; i < n; i++)
		if ((c->count[i] != before[i]) != moving)
			return false;
	return true;
}

static struct counters *shared_counters(void)
{
	struct counters *c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return c == MAP_FAILED ? NULL : c;
}

static void kill_tree(struct counters *c)
{
	for (int i = 0; i < 3; i++)
		if (c->pid[i] > 0)
			kill(c->pid[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

TEST_F(tree, checkpoint_stop_mode_stops_every_process)
{
	union sigval v = { .sival_int = CR_MODE_STOP };
	struct counters *c = shared_counters();
	pid_t root;
	int status;

	ASSERT_NE(NULL, c);
	root = start_counting_tree(_metadata, self, c, false);
	ASSERT_EQ(0, sigqueue(root, SIGCKPT, v));
	ASSERT_EQ(root, waitpid(root, &status, WUNTRACED));
	EXPECT_TRUE(WIFSTOPPED(status)) TH_LOG("root: status %#x", status);
	/* The children are the root's: their state from /proc. */
	for (int i = 1; i < 3; i++) {
		char st = 0;

		for (int j = 0; j < 100 && (st = proc_state(c->pid[i])) != 'T'; j++)
			usleep(10000);
		EXPECT_EQ('T', st) TH_LOG("process %d: state %c", i, st);
	}
	EXPECT_EQ(0, access(self->image, F_OK));
	EXPECT_TRUE(tree_counting(c, 3, false));
	for (int i = 0; i < 3; i++)
		kill(c->pid[i], SIGCONT);
	EXPECT_TRUE(tree_counting(c, 3, true));
	kill_tree(c);
}

TEST_F(tree, checkpoint_exit_mode_kills_every_process)
{
	union sigval v = { .sival_int = CR_MODE_EXIT };
	struct counters *c = shared_counters();
	pid_t root;
	int status;

	ASSERT_NE(NULL, c);
	root = start_counting_tree(_metadata, self, c, false);
	ASSERT_EQ(0, sigqueue(root, SIGCKPT, v));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(c->pid[i], waitpid(c->pid[i], &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGCKPT)
			TH_LOG("process %d: status %#x", i, status);
	}
	EXPECT_EQ(0, access(self->image, F_OK));
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

TEST_F(tree, checkpoint_continue_mode_and_stopped_child)
{
	struct counters *c = shared_counters();
	pid_t root;

	ASSERT_NE(NULL, c);
	root = start_counting_tree(_metadata, self, c, false);
	ASSERT_EQ(0, kill(root, SIGCKPT));
	for (int i = 0; i < 50 && access(self->image, F_OK); i++)
		usleep(100000);
	EXPECT_EQ(0, access(self->image, F_OK));
	EXPECT_TRUE(tree_counting(c, 3, true));
	kill_tree(c);
	unlink(self->image);

	/*
	 * A stopped descendant is saved: the others carry on, it stays
	 * stopped (its stop not reported to its parent again), and goes on
	 * at SIGCONT.
	 */
	memset((void *)c, 0, sizeof(*c));
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	root = start_counting_tree(_metadata, self, c, true);
	for (int j = 0; j < 200 && proc_state(c->pid[2]) != 'T'; j++)
		usleep(10000);
	ASSERT_EQ('T', proc_state(c->pid[2]));
	ASSERT_EQ(0, kill(root, SIGCKPT));
	for (int i = 0; i < 50 && access(self->image, F_OK); i++)
		usleep(100000);
	EXPECT_EQ(0, access(self->image, F_OK));
	EXPECT_TRUE(tree_counting(c, 2, true));
	EXPECT_EQ(0, c->count[2]);
	EXPECT_EQ('T', proc_state(c->pid[2]));
	ASSERT_EQ(0, kill(c->pid[2], SIGCONT));
	for (int j = 0; j < 200 && !c->count[2]; j++)
		usleep(10000);
	EXPECT_NE(0, c->count[2]);
	kill_tree(c);
}

TEST_HARNESS_MAIN
