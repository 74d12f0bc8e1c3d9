// SPDX-License-Identifier: GPL-2.0
/*
 * cr-counter: the demo workload. Counts once per interval and, at every
 * tick, checks that the memory it filled at start still has its checksum,
 * so a restored copy shows at once whether its state came back whole.
 *
 * Usage: cr-counter [TICKS [INTERVAL_MS]]   (TICKS 0: count forever)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE	(4 << 20)

static uint32_t checksum(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (len--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

int main(int argc, char **argv)
{
	long ticks = argc > 1 ? atol(argv[1]) : 0;
	long interval_ms = argc > 2 ? atol(argv[2]) : 1000;
	struct timespec ts = {
		.tv_sec = interval_ms / 1000,
		.tv_nsec = interval_ms % 1000 * 1000000,
	};
	uint8_t *mem = malloc(MEM_SIZE);
	uint32_t sum, seed = getpid();
	long i;

	if (!mem)
		return 1;
	for (i = 0; i < MEM_SIZE; i++) {
		seed = seed * 1103515245 + 12345;
		mem[i] = seed >> 16;
	}
	sum = checksum(mem, MEM_SIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; ticks == 0 || i <= ticks; i++) {
		uint32_t now = checksum(mem, MEM_SIZE);

		printf("cr-counter pid %d tick %ld memory %08x %s\n", getpid(), i,
		       now, now == sum ? "ok" : "CORRUPT");
		if (now != sum)
			return 2;
		nanosleep(&ts, NULL);
	}
	return 0;
}
