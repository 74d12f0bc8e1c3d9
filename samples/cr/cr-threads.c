// SPDX-License-Identifier: GPL-2.0
/*
 * cr-threads: four threads, each spinning in a function of its own, and
 * the main thread waiting for them, so that a debugger shows a known
 * backtrace for every thread of an image. Prints "ready" once all run.
 */
#include <pthread.h>
#include <stdio.h>

static unsigned long spins[4];

static void *worker_alpha(void *arg)
{
	for (;;)
		__atomic_fetch_add(&spins[0], 1, __ATOMIC_RELAXED);
	return arg;
}

static void *worker_beta(void *arg)
{
	for (;;)
		__atomic_fetch_add(&spins[1], 1, __ATOMIC_RELAXED);
	return arg;
}

static void *worker_gamma(void *arg)
{
	for (;;)
		__atomic_fetch_add(&spins[2], 1, __ATOMIC_RELAXED);
	return arg;
}

static void *worker_delta(void *arg)
{
	for (;;)
		__atomic_fetch_add(&spins[3], 1, __ATOMIC_RELAXED);
	return arg;
}

int main(void)
{
	void *(*fn[4])(void *) = { worker_alpha, worker_beta, worker_gamma, worker_delta };
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, fn[i], NULL))
			return 1;
	for (i = 0; i < 4; i++)
		while (!__atomic_load_n(&spins[i], __ATOMIC_RELAXED))
			;
	printf("ready\n");
	fflush(stdout);
	pthread_join(t[0], NULL);
	return 0;
}
