// SPDX-License-Identifier: GPL-2.0
/*
 * cr-bench: the checkpoint/restart benchmark, run inside the VM by
 * tools/cr-bench/bench.sh (see Documentation/cr/benchmark.rst).
 *
 *   cr-bench app WORKLOAD...       the measured application
 *   cr-bench run DIR REPS WORKLOAD...
 *                                  the driver: one line of CSV per
 *                                  measurement on stdout
 *
 * Workloads: mem:MIB:random, mem:MIB:halfzero (odd pages zero), threads:N
 * (N threads), tree:N (N processes passing tokens through a chain of
 * pipes), dyn (cr-bench-dyn, the same program dynamically linked).
 *
 * The application measures itself. Its main loop reads CLOCK_REALTIME
 * without pause and keeps the longest gap between two readings: that is
 * how long it was frozen by a checkpoint (SIGUSR1 makes it report the
 * gap and start again). After a gap, it looks for DIR/t_exec, which the
 * driver writes just before it starts a restore (exec of our image, or
 * criu restore): if present, the application has been restored. It then
 * reports how long after that instant it ran again, reads one word of
 * each page of its memory (time until all memory was touched), checks
 * the memory's checksum and, for threads and trees, that every thread
 * and process goes on, and exits.
 *
 * The driver, per repetition: start the application; our checkpoint
 * (SIGCKPT in continue mode, complete when the image is renamed into
 * place); criu dump --leave-running; a kernel core dump (SIGQUIT, which
 * ends the application); the one-copy limit for as many bytes (one write()
 * of resident memory, one read() back into fresh memory); our restore
 * (exec of the image); criu restore. Sizes are allocated blocks
 * (st_blocks).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIGCKPT		63
#define PAGE		4096UL
#define GAP_CHECK_NS	2000000		/* a gap this long: restored? */
#define TOKENS_AFTER	200		/* tokens through the ring after restore */

static const char *dir;			/* the benchmark's tmpfs directory */

static char *path(const char *name)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void __attribute__((noreturn)) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "cr-bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* Write @text to @name in dir, atomically (a reader sees all or nothing). */
static void put_file(const char *name, const char *text)
{
	char tmp[PATH_MAX];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path(name));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die("cannot write %s: %m", tmp);
	close(fd);
	if (rename(tmp, path(name)))
		die("cannot rename %s: %m", tmp);
}

static int get_file(const char *name, char *buf, size_t len)
{
	int fd = open(path(name), O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The workload */

struct workload {
	const char *name;
	size_t mem;		/* bytes of anonymous memory */
	int halfzero;		/* odd pages are zero (written, so present) */
	int threads;		/* extra threads */
	int procs;		/* processes in the tree, the root included */
	int dyn;		/* cr-bench-dyn, not the static cr-bench */
};

static void parse_workload(const char *s, struct workload *w)
{
	char kind[16] = "", pat[16] = "random";
	unsigned long n = 0;

	memset(w, 0, sizeof(*w));
	w->name = s;
	if (sscanf(s, "%15[a-z]:%lu:%15s", kind, &n, pat) < 1)
		die("bad workload %s", s);
	if (!strcmp(kind, "mem")) {
		w->mem = n << 20;
		w->halfzero = !strcmp(pat, "halfzero");
	} else if (!strcmp(kind, "threads")) {
		w->threads = n - 1;
	} else if (!strcmp(kind, "tree")) {
		w->procs = n;
	} else if (!strcmp(kind, "dyn")) {
		w->dyn = 1;
	} else {
		die("bad workload %s", s);
	}
}

/* The application */

static volatile sig_atomic_t report_gap;
static uint64_t *mem;
static size_t mem_words;
static uint64_t mem_sum;
static volatile uint64_t thread_count[1024];
static int ring_out = -1, ring_in = -1;	/* the root's ends of the ring */

static void on_usr1(int sig)
{
	(void)sig;
	report_gap = 1;
}

static uint64_t checksum(void)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < mem_words; i++)
		h = (h ^ mem[i]) * 1099511628211ULL;
	return h;
}

static void fill_memory(const struct workload *w)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t words_per_page = PAGE / 8, i;

	if (!w->mem)
		return;
	mem = mmap(NULL, w->mem, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap %zu: %m", w->mem);
	mem_words = w->mem / 8;
	for (i = 0; i < mem_words; i++) {
		if (w->halfzero && (i / words_per_page) % 2) {
			if (i % words_per_page == 0)
				mem[i] = 0;	/* present, and zero */
			continue;
		}
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		mem[i] = x * 0x2545f4914f6cdd1dULL;
	}
	mem_sum = checksum();
}

static void *worker(void *arg)
{
	volatile uint64_t *count = arg;
	struct timespec ts = { 0, 20000000 };

	for (;;) {
		(*count)++;
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* Tree: the root and a chain of children, each passing tokens on. */
static void relay(int in, int out)
{
	uint64_t v;

	while (read(in, &v, sizeof(v)) == sizeof(v))
		if (write(out, &v, sizeof(v)) != sizeof(v))
			break;
	_exit(0);
}

static void start_tree(int procs)
{
	int first[2], p[2], in, i;

	if (pipe(first))
		die("pipe: %m");
	in = first[0];
	for (i = 1; i < procs; i++) {
		if (pipe(p))
			die("pipe: %m");
		switch (fork()) {
		case -1:
			die("fork: %m");
		case 0:
			close(p[0]);
			close(first[1]);
			relay(in, p[1]);
		}
		close(in);
		close(p[1]);
		in = p[0];
	}
	ring_out = first[1];
	ring_in = in;
	fcntl(ring_in, F_SETFL, O_NONBLOCK);
	fcntl(ring_out, F_SETFL, O_NONBLOCK);
}

static uint64_t token_sent, token_seen;
static int ring_bad;

/* Keep a few tokens in the ring; check they come back in order. */
static void ring_step(void)
{
	uint64_t v;

	while (read(ring_in, &v, sizeof(v)) == sizeof(v)) {
		if (v != token_seen + 1)
			ring_bad = 1;
		token_seen = v;
	}
	if (token_sent - token_seen < 4) {
		v = token_sent + 1;
		if (write(ring_out, &v, sizeof(v)) == sizeof(v))
			token_sent = v;
	}
}

static void __attribute__((noreturn)) restored(const struct workload *w, int64_t t_exec)
{
	int64_t t_run = now_ns(), t_touch;
	volatile uint64_t sink = 0;
	uint64_t before[1024];
	int ok = 1, i, spins;
	char buf[256];
	size_t k;

	for (k = 0; k < mem_words; k += PAGE / 8)
		sink += mem[k];
	t_touch = now_ns();
	(void)sink;
	if (mem_words && checksum() != mem_sum)
		ok = 0;
	for (i = 0; i < w->threads; i++)
		before[i] = thread_count[i];
	if (w->threads) {
		/* Every thread goes on. */
		for (spins = 0; spins < 400; spins++) {
			usleep(10000);
			for (i = 0; i < w->threads; i++)
				if (thread_count[i] == before[i])
					break;
			if (i == w->threads)
				break;
		}
		if (spins == 400)
			ok = 0;
	}
	if (w->procs) {
		uint64_t goal = token_seen + TOKENS_AFTER;
		int64_t deadline = now_ns() + 30000000000LL;

		while (token_seen < goal && !ring_bad && now_ns() < deadline)
			ring_step();
		if (ring_bad || token_seen < goal)
			ok = 0;
	}
	snprintf(buf, sizeof(buf), "%lld %lld %d\n", (long long)(t_run - t_exec),
		 (long long)(t_touch - t_exec), ok);
	put_file("result", buf);
	if (w->procs) {
		close(ring_out);
		close(ring_in);
		while (wait(NULL) > 0)
			;
	}
	exit(0);
}

static int __attribute__((noreturn)) app(const char *spec)
{
	struct workload w;
	int64_t last, t, gap = 0;
	pthread_t th;
	char buf[64];
	int i, fd;

	parse_workload(spec, &w);
	fd = open("/dev/null", O_RDWR);
	dup2(fd, 0);
	dup2(fd, 1);
	close(fd);
	fd = open(path("app.log"), O_WRONLY | O_CREAT | O_APPEND, 0644);
	dup2(fd, 2);
	close(fd);
	signal(SIGUSR1, on_usr1);
	fill_memory(&w);
	for (i = 0; i < w.threads; i++)
		if (pthread_create(&th, NULL, worker, (void *)&thread_count[i]))
			die("pthread_create: %m");
	if (w.procs)
		start_tree(w.procs);
	put_file("ready", "1\n");
	last = now_ns();
	for (;;) {
		t = now_ns();
		if (t - last > gap)
			gap = t - last;
		if (t - last > GAP_CHECK_NS && !get_file("t_exec", buf, sizeof(buf)))
			restored(&w, strtoll(buf, NULL, 10));
		last = t;
		if (report_gap) {
			report_gap = 0;
			snprintf(buf, sizeof(buf), "%lld\n", (long long)gap);
			put_file("gap", buf);
			gap = 0;
			last = now_ns();
		}
		if (w.procs)
			ring_step();
	}
}

/* The driver */

static const char *self;
static int reps;

static void out(const char *wl, const char *tool, int rep, const char *metric,
		double value)
{
	printf("%s,%s,%d,%s,%.3f\n", wl, tool, rep, metric, value);
	fflush(stdout);
}

static void note(const char *wl, const char *tool, int rep, const char *what)
{
	printf("%s,%s,%d,note,\"%s\"\n", wl, tool, rep, what);
	fflush(stdout);
}

static void wait_file(const char *name, int timeout_s)
{
	int64_t end = now_ns() + timeout_s * 1000000000LL;
	struct timespec ts = { 0, 200000 };

	while (access(path(name), F_OK)) {
		if (now_ns() > end)
			die("no %s after %d s", name, timeout_s);
		nanosleep(&ts, NULL);
	}
}

/* SIGUSR1 to the application: its longest gap since the last report. */
static double take_gap(pid_t pid)
{
	char buf[64];

	unlink(path("gap"));
	kill(pid, SIGUSR1);
	wait_file("gap", 60);
	if (get_file("gap", buf, sizeof(buf)))
		die("cannot read gap");
	unlink(path("gap"));
	return strtoll(buf, NULL, 10) / 1e6;
}

static pid_t spawn(char *const argv[], int quiet)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %m");
	if (!pid) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(argv[0], argv);
		fprintf(stderr, "cr-bench: exec %s: %m\n", argv[0]);
		_exit(127);
	}
	return pid;
}

static int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %m");
	return status;
}

/* Allocated bytes of a file, or of every file under a directory. */
static double alloc_mib(const char *p)
{
	struct stat st;
	double sum = 0;
	struct dirent *e;
	DIR *d;

	if (lstat(p, &st))
		return -1;
	if (!S_ISDIR(st.st_mode))
		return st.st_blocks * 512.0 / (1 << 20);
	d = opendir(p);
	while (d && (e = readdir(d))) {
		char sub[PATH_MAX];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", p, e->d_name);
		sum += alloc_mib(sub);
	}
	if (d)
		closedir(d);
	return sum;
}

/* Processes of a tree whose root died come to us (a subreaper). */
static void reap(void)
{
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

static pid_t start_app(const char *wl, const struct workload *w)
{
	char *argv[] = { (char *)self, "app", (char *)dir, (char *)wl, NULL };
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	char dyn[PATH_MAX];
	pid_t pid;

	if (w->dyn) {
		snprintf(dyn, sizeof(dyn), "%s-dyn", self);
		argv[0] = dyn;
	}
	unlink(path("ready"));
	unlink(path("t_exec"));
	setrlimit(RLIMIT_CORE, &rl);
	pid = spawn(argv, 0);
	wait_file("ready", 600);
	return pid;
}

/* Our checkpoint: SIGCKPT, then wait for the image's rename into place. */
static void ours_checkpoint(const char *wl, int rep, pid_t pid)
{
	int in = inotify_init1(IN_CLOEXEC);
	char ev[4096];
	int64_t t0, t1;

	if (in < 0 || inotify_add_watch(in, dir, IN_MOVED_TO) < 0)
		die("inotify: %m");
	take_gap(pid);
	t0 = now_ns();
	if (kill(pid, SIGCKPT))
		die("kill: %m");
	for (;;) {
		ssize_t n = read(in, ev, sizeof(ev)), off;

		if (n <= 0)
			die("inotify read: %m");
		for (off = 0; off < n; ) {
			struct inotify_event *e = (void *)(ev + off);

			if (e->len && !strcmp(e->name, "ours.ckpt"))
				goto done;
			off += sizeof(*e) + e->len;
		}
	}
done:
	t1 = now_ns();
	close(in);
	out(wl, "ours", rep, "ckpt_ms", (t1 - t0) / 1e6);
	out(wl, "ours", rep, "frozen_ms", take_gap(pid));
	out(wl, "ours", rep, "size_mib", alloc_mib(path("ours.ckpt")));
}

static int criu_dump(const char *wl, int rep, pid_t pid)
{
	char spid[16], dump_dir[PATH_MAX];
	char *argv[] = { "/usr/sbin/criu", "dump", "-t", spid, "-D", dump_dir, "-j",
			 "--leave-running", "-o", "dump.log", "-v2", NULL };
	int64_t t0, t1;
	int status;

	snprintf(spid, sizeof(spid), "%d", pid);
	snprintf(dump_dir, sizeof(dump_dir), "%s", path("criu-img"));
	mkdir(dump_dir, 0700);
	take_gap(pid);
	t0 = now_ns();
	status = wait_status(spawn(argv, 1));
	t1 = now_ns();
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		note(wl, "criu", rep, "dump failed");
		system("tail -n 5 /bench/criu-img/dump.log >&2");
		take_gap(pid);
		return -1;
	}
	out(wl, "criu", rep, "ckpt_ms", (t1 - t0) / 1e6);
	out(wl, "criu", rep, "frozen_ms", take_gap(pid));
	unlink(path("criu-img/dump.log"));
	unlink(path("criu-img/stats-dump"));
	out(wl, "criu", rep, "size_mib", alloc_mib(path("criu-img")));
	return 0;
}

static void core_dump(const char *wl, int rep, pid_t pid)
{
	int64_t t0, t1;
	int status;

	unlink(path("core"));
	t0 = now_ns();
	kill(pid, SIGQUIT);
	status = wait_status(pid);
	t1 = now_ns();
	reap();
	if (!WIFSIGNALED(status) || !WCOREDUMP(status)) {
		note(wl, "core", rep, "no core dump");
		return;
	}
	out(wl, "core", rep, "ckpt_ms", (t1 - t0) / 1e6);
	out(wl, "core", rep, "size_mib", alloc_mib(path("core")));
	unlink(path("core"));
}

/* @len bytes at @buf written to (@out) or read from @fd, in one call if it can. */
static void whole_io(int fd, char *buf, size_t len, int out)
{
	ssize_t n;

	while (len) {
		n = out ? write(fd, buf, len) : read(fd, buf, len);
		if (n <= 0)
			die("cannot %s the one-copy file: %m", out ? "write" : "read");
		buf += n;
		len -= n;
	}
}

/*
 * The same bytes copied once by the kernel, from the file's pages to a new
 * file's (copy_file_range(), which tmpfs does page by page through a pipe
 * of its pages): a copy between kernel pages, as a checkpoint from its
 * snapshot is, where the one-copy limit copies from user memory.
 */
static void kernel_copy(const char *wl, int rep, size_t len)
{
	int64_t t0, t1;
	loff_t in_off = 0, out_off = 0;
	ssize_t n;
	int in, outfd;

	in = open(path("dst"), O_RDONLY);
	if (in < 0)
		die("cannot open dst: %m");
	t0 = now_ns();
	outfd = open(path("kcopy"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (outfd < 0)
		die("cannot create kcopy: %m");
	while (in_off < (loff_t)len) {
		n = copy_file_range(in, &in_off, outfd, &out_off, len - in_off, 0);
		if (n <= 0)
			die("copy_file_range: %m");
	}
	close(outfd);
	t1 = now_ns();
	close(in);
	unlink(path("kcopy"));
	out(wl, "kcopy", rep, "ckpt_ms", (t1 - t0) / 1e6);
}

/*
 * The one-copy limit: @mib MiB of the driver's own resident memory,
 * pseudo-random, written to a new file on the same filesystem in one
 * write(), then read back into fresh anonymous memory in one read().
 * Each byte is copied once, and the read faults every page in, as an
 * eager restore must: neither a checkpoint nor a restore can do less.
 */
static void limit_copy(const char *wl, int rep, double mib)
{
	size_t i, len = (size_t)(mib < 1 ? 1 : mib) << 20;
	uint64_t x = 88172645463325252ULL, *w;
	int64_t t0, t1, t2, t3;
	char *buf;
	int fd;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("cannot map %zu bytes: %m", len);
	for (w = (uint64_t *)buf, i = 0; i < len / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w[i] = x;
	}
	t0 = now_ns();
	fd = open(path("dst"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("cannot create dst: %m");
	whole_io(fd, buf, len, 1);
	close(fd);
	t1 = now_ns();
	munmap(buf, len);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("cannot map %zu bytes: %m", len);
	t2 = now_ns();
	fd = open(path("dst"), O_RDONLY);
	if (fd < 0)
		die("cannot open dst: %m");
	whole_io(fd, buf, len, 0);
	close(fd);
	t3 = now_ns();
	if (((uint64_t *)buf)[len / 8 - 1] != x)
		die("the one-copy file came back wrong");
	munmap(buf, len);
	out(wl, "limit", rep, "ckpt_ms", (t1 - t0) / 1e6);
	out(wl, "limit", rep, "restore_ms", (t3 - t2) / 1e6);
	out(wl, "limit", rep, "size_mib", len >> 20);
	kernel_copy(wl, rep, len);
	unlink(path("dst"));
}

/* Exec of the image, or criu restore: the application measures itself. */
static void restore(const char *wl, int rep, const char *tool, char *const argv[])
{
	char buf[256];
	long long run, touch;
	int ok, status;
	pid_t pid;

	unlink(path("result"));
	snprintf(buf, sizeof(buf), "%lld\n", (long long)now_ns());
	put_file("t_exec", buf);
	pid = spawn(argv, 1);
	status = wait_status(pid);
	reap();
	unlink(path("t_exec"));
	if (get_file("result", buf, sizeof(buf)) ||
	    sscanf(buf, "%lld %lld %d", &run, &touch, &ok) != 3) {
		snprintf(buf, sizeof(buf), "restore failed (status %#x)", status);
		note(wl, tool, rep, buf);
		return;
	}
	out(wl, tool, rep, "restore_ms", run / 1e6);
	out(wl, tool, rep, "touched_ms", touch / 1e6);
	out(wl, tool, rep, "verified", ok);
}

static int run(int argc, char **argv)
{
	char *ours_argv[] = { path("ours.ckpt"), NULL };
	char *criu_argv[] = { "/usr/sbin/criu", "restore", "-D", NULL, "-j",
			      "-o", "restore.log", "-v2", NULL };
	char criu_dir[PATH_MAX];
	int i, rep;

	/*
	 * A session of our own: criu refuses a session whose leader is
	 * outside its pid namespace (the VM's init has session 0).
	 */
	setsid();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	snprintf(criu_dir, sizeof(criu_dir), "%s", path("criu-img"));
	criu_argv[3] = criu_dir;
	ours_argv[0] = strdup(path("ours.ckpt"));
	for (i = 0; i < argc; i++) {
		const char *wl = argv[i];
		struct workload w;

		parse_workload(wl, &w);
		for (rep = 1; rep <= reps; rep++) {
			pid_t pid = start_app(wl, &w);
			int criu_ok;

			fprintf(stderr, "  %s, run %d\n", wl, rep);
			ours_checkpoint(wl, rep, pid);
			criu_ok = !criu_dump(wl, rep, pid);
			core_dump(wl, rep, pid);
			limit_copy(wl, rep, w.mem ? w.mem >> 20 :
				   alloc_mib(path("ours.ckpt")));
			restore(wl, rep, "ours", ours_argv);
			unlink(path("ours.ckpt"));
			if (criu_ok)
				restore(wl, rep, "criu", criu_argv);
			system("rm -rf /bench/criu-img");
			reap();
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "app")) {
		dir = argv[2];
		return app(argv[3]);
	}
	if (argc >= 5 && !strcmp(argv[1], "run")) {
		self = realpath("/proc/self/exe", NULL);
		dir = argv[2];
		reps = atoi(argv[3]);
		return run(argc - 4, argv + 4);
	}
	fprintf(stderr, "usage: cr-bench app DIR WORKLOAD | cr-bench run DIR REPS WORKLOAD...\n");
	return 2;
}
