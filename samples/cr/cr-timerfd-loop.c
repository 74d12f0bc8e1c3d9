// SPDX-License-Identifier: GPL-2.0
/*
 * cr-timerfd-loop: an event loop as daemons write them. A thread blocks
 * in epoll_wait() on a timerfd firing every 10 ms and a signalfd for
 * SIGTERM; it adds up the expirations each read() returns and compares
 * them with the CLOCK_MONOTONIC time elapsed since the start. The main
 * thread prints one line a second:
 *
 *   timerfd-loop tick pid P elapsed E ms count C gap G ms diff D
 *
 * G adds up, over the waits of more than 0.5 s, the time the expirations
 * read after them do not cover: the gaps between a checkpoint and a
 * restore, which the timer does not count (it goes on with the time it
 * had left). D = C - (E - G) / 10 ms is the expirations missed (< 0) or
 * doubled (> 0) beyond what the gaps explain: 0, or 1 or -1 at the edge
 * of a period. Each such wait is reported by a line
 *
 *   timerfd-loop gap pid P waited W ms read N lost L ms
 *
 * SIGTERM prints a last line, "timerfd-loop done ...", and exits.
 *
 * Usage: cr-timerfd-loop [SECONDS]   (0 or none: until SIGTERM)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_NS	10000000LL
#define GAP_NS		500000000LL	/* a wakeup this late is a gap */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long long start_ns;
/* Under lock: the state as of the last read() of the timerfd. */
static long long last_ns, gap_ns, elapsed_ns;
static unsigned long long count;
static int done;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void report(const char *what)
{
	long long e, g, diff;
	unsigned long long c;

	pthread_mutex_lock(&lock);
	e = elapsed_ns;
	g = gap_ns;
	c = count;
	pthread_mutex_unlock(&lock);
	diff = (long long)c - (e - g) / PERIOD_NS;
	printf("timerfd-loop %s pid %d elapsed %lld ms count %llu gap %lld ms diff %lld\n",
	       what, getpid(), e / 1000000, c, g / 1000000, diff);
}

static void *event_loop(void *arg)
{
	struct itimerspec its = {
		.it_interval.tv_nsec = PERIOD_NS,
		.it_value.tv_nsec = PERIOD_NS,
	};
	struct epoll_event ev = { .events = EPOLLIN };
	struct signalfd_siginfo si;
	sigset_t *mask = arg;
	int ep, tfd, sfd;

	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	sfd = signalfd(-1, mask, SFD_CLOEXEC);
	if (ep < 0 || tfd < 0 || sfd < 0)
		exit(1);
	ev.data.fd = tfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev))
		exit(1);
	ev.data.fd = sfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev))
		exit(1);
	pthread_mutex_lock(&lock);
	start_ns = now_ns();
	last_ns = start_ns;
	if (timerfd_settime(tfd, 0, &its, NULL))
		exit(1);
	pthread_mutex_unlock(&lock);

	for (;;) {
		unsigned long long n;
		long long t, w, lost;

		if (epoll_wait(ep, &ev, 1, -1) != 1)
			continue;
		if (ev.data.fd == sfd) {
			if (read(sfd, &si, sizeof(si)) == sizeof(si))
				break;
			continue;
		}
		if (read(tfd, &n, sizeof(n)) != sizeof(n))
			continue;
		t = now_ns();
		pthread_mutex_lock(&lock);
		count += n;
		elapsed_ns = t - start_ns;
		/*
		 * A wait of more than GAP_NS that the expirations read do not
		 * cover: the process was not there (checkpointed, then
		 * restored), or its timer stopped.
		 */
		w = t - last_ns;
		lost = w - (long long)n * PERIOD_NS;
		if (w <= GAP_NS || lost < PERIOD_NS)
			lost = 0;
		gap_ns += lost;
		last_ns = t;
		pthread_mutex_unlock(&lock);
		if (w > GAP_NS)
			printf("timerfd-loop gap pid %d waited %lld ms read %llu lost %lld ms\n",
			       getpid(), w / 1000000, n, lost / 1000000);
	}
	pthread_mutex_lock(&lock);
	done = 1;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	long seconds = argc > 1 ? atol(argv[1]) : 0;
	struct timespec second = { .tv_sec = 1 };
	static sigset_t mask;
	pthread_t t;
	long i;

	/* SIGTERM goes to the signalfd, in every thread. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pthread_create(&t, NULL, event_loop, &mask))
		return 1;
	printf("timerfd-loop ready pid %d\n", getpid());
	for (i = 1; seconds == 0 || i <= seconds; i++) {
		int d;

		nanosleep(&second, NULL);
		pthread_mutex_lock(&lock);
		d = done;
		pthread_mutex_unlock(&lock);
		if (d)
			break;
		report("tick");
	}
	if (seconds && i > seconds)
		kill(getpid(), SIGTERM);	/* to the signalfd */
	pthread_join(t, NULL);
	report("done");
	return 0;
}
