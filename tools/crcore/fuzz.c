// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: every input is an image file, put through what
 * crcore does to an untrusted image: open, check (the tree, its pipes and
 * socket pairs, the image of each process in it and the pages each
 * inherits from its parent), show (JSON and text, every process, the
 * pipes and socket pairs), a diff
 * against itself (process by process) and extract (the root, and each
 * live process of the tree with the pages other images hold for it,
 * into a second memfd). Built and run by
 * "make -C tools/crcore fuzz" (clang, -fsanitize=fuzzer,address,undefined),
 * for a bounded time, with a corpus of real images.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crcore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64], out[64];
	struct report rep = { .path = "fuzz" };
	struct image img;
	struct tree t;
	unsigned int i;

	if (fd < 0) {
		/* show's output goes nowhere; the input lives in a memfd. */
		int null = open("/dev/null", O_WRONLY), core;

		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		fd = memfd_create("crcore-fuzz", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		/* extract's cores: each replaces the previous one. */
		core = memfd_create("crcore-fuzz-core", 0);
		if (core < 0)
			abort();
		snprintf(out, sizeof(out), "/proc/self/fd/%d", core);
		elf_version(EV_CURRENT);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	image_open(&img, path, &rep);
	if (img.notes_ok) {
		if (img.segments_ok && img.hdr_read) {
			check_image(&img, &rep);
			diff_images(&img, &img);
		}
		show_image(&img, &rep, true);
		show_image(&img, &rep, false);
		if (img.segments_ok) {
			extract_image(&img, out);
			if (!tree_read(&img, &t))
				for (i = 1; i < t.nr && i < 16; i++)
					if (tree_segment(&img, &t, i))
						extract_process(&img, t.proc[i].pid, out);
			tree_free(&t);
		}
	}
	report_free(&rep);
	image_close(&img);
	return 0;
}
