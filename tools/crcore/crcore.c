// SPDX-License-Identifier: GPL-2.0
/*
 * crcore: inspect, check and extract checkpoint images from userspace.
 *
 *   crcore show IMAGE [--json]
 *   crcore check [-v] IMAGE
 *   crcore extract IMAGE [--pid PID] -o CORE
 *   crcore checkpoint PID [-o FILE] [--continue|--stop|--exit]
 *   crcore restore IMAGE [--pid-namespace|--no-pid-namespace]
 *   crcore diff A B
 *
 * See tools/crcore/crcore.rst.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crcore.h"

#define EXIT_USAGE	2

/* crcore diff A B: both must have a sound container. */
static int run_diff(int argc, char **argv)
{
	struct report ra = {}, rb = {};
	struct image a, b;
	int ret = 2;

	if (argc != 2) {
		fprintf(stderr, "usage: crcore diff A B\n");
		return EXIT_USAGE;
	}
	if (elf_version(EV_CURRENT) == EV_NONE)
		return 2;
	ra.path = argv[0];
	ra.out = stderr;
	rb.path = argv[1];
	rb.out = stderr;
	image_open(&a, argv[0], &ra);
	image_open(&b, argv[1], &rb);
	if (a.notes_ok && a.segments_ok && a.hdr_read &&
	    b.notes_ok && b.segments_ok && b.hdr_read)
		ret = diff_images(&a, &b) ? 1 : 0;
	image_close(&a);
	image_close(&b);
	return ret;
}

static void print_usage(FILE *f)
{
	fputs("usage: crcore show IMAGE [--json]\n"
	      "       crcore check [-v] IMAGE\n"
	      "       crcore extract IMAGE [--pid PID] -o CORE\n"
	      "       crcore checkpoint PID [-o FILE] [--continue|--stop|--exit] [--timeout S]\n"
	      "       crcore restore IMAGE [--pid-namespace|--no-pid-namespace]\n"
	      "                      [--no-mount-proc] [--as-owner] [--ready-fd N]\n"
	      "                      [--pidfile FILE] [--inherit-fd N=SPEC]... [--cwd DIR]\n"
	      "       crcore IMAGE   (the restore helper: restore --pid-namespace)\n"
	      "       crcore diff A B\n"
	      "\n"
	      "  show     describe a checkpoint image, each process of its tree\n"
	      "           (--json: as JSON)\n"
	      "  check    validate it with the rules of the kernel's restore;\n"
	      "           prints one line per problem, exits 1 if there is one\n"
	      "           (-v: say so when it is valid, and list the rules only\n"
	      "           the restoring system can check)\n"
	      "  extract  write a plain core file of it for debuggers: of its\n"
	      "           root process, or of process PID of its tree\n"
	      "  checkpoint  send SIGCKPT, wait for the complete image, print\n"
	      "           its path, size and how long it took\n"
	      "  restore  execute an image; in a new pid namespace, as its root's\n"
	      "           pid, when asked or when it has several processes or\n"
	      "           threads (so that each gets its original id), passing\n"
	      "           signals and the terminal on, ending with its status\n"
	      "  diff     what changed from image A to image B: processes,\n"
	      "           threads and registers, mappings and pages, descriptors,\n"
	      "           signals; exits 0 when nothing did, 1 otherwise\n", f);
}

/* Parse "IMAGE [options]" with the options of one command. */
struct args {
	const char *image;
	const char *output;
	bool json;
	bool verbose;
	bool have_pid;
	int32_t pid;
};

static int parse_args(int argc, char **argv, const char *cmd, struct args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(cmd, "show") && !strcmp(arg, "--json")) {
			a->json = true;
		} else if (!strcmp(cmd, "check") &&
			   (!strcmp(arg, "-v") || !strcmp(arg, "--verbose"))) {
			a->verbose = true;
		} else if (!strcmp(cmd, "extract") &&
			   (!strcmp(arg, "-o") || !strcmp(arg, "--output"))) {
			if (++i == argc) {
				fprintf(stderr, "crcore: %s needs a file name\n", arg);
				return -1;
			}
			a->output = argv[i];
		} else if (!strcmp(cmd, "extract") && !strcmp(arg, "--pid")) {
			char *end;
			long pid;

			if (++i == argc) {
				fprintf(stderr, "crcore: --pid needs a process id\n");
				return -1;
			}
			errno = 0;
			pid = strtol(argv[i], &end, 10);
			if (errno || end == argv[i] || *end || pid <= 0 || pid > INT32_MAX) {
				fprintf(stderr, "crcore: --pid %s: not a process id\n", argv[i]);
				return -1;
			}
			a->have_pid = true;
			a->pid = pid;
		} else if (!strcmp(arg, "--")) {
			if (i + 2 != argc || a->image)
				goto bad;
			a->image = argv[i + 1];
			break;
		} else if (arg[0] == '-' && arg[1]) {
			fprintf(stderr, "crcore: %s: unknown option %s\n", cmd, arg);
			return -1;
		} else if (!a->image) {
			a->image = arg;
		} else {
			goto bad;
		}
	}
	if (!a->image) {
		fprintf(stderr, "crcore: %s: no image given\n", cmd);
		return -1;
	}
	if (!strcmp(cmd, "extract") && !a->output) {
		fprintf(stderr, "crcore: extract: no output file given (-o CORE)\n");
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "crcore: %s: one image at a time\n", cmd);
	return -1;
}

int main(int argc, char **argv)
{
	struct report rep = {};
	struct image img;
	struct args a;
	const char *cmd;
	int ret;

	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		print_usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "checkpoint"))
		return run_checkpoint(argc - 2, argv + 2);
	if (!strcmp(cmd, "restore"))
		return run_restore(argc - 2, argv + 2);
	if (!strcmp(cmd, "diff"))
		return run_diff(argc - 2, argv + 2);
	if (strcmp(cmd, "show") && strcmp(cmd, "check") && strcmp(cmd, "extract") &&
	    is_image(cmd))
		return run_helper(argc - 1, argv + 1);
	if (strcmp(cmd, "show") && strcmp(cmd, "check") && strcmp(cmd, "extract")) {
		fprintf(stderr, "crcore: unknown command %s\n", cmd);
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (parse_args(argc - 2, argv + 2, cmd, &a))
		return EXIT_USAGE;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "crcore: libelf is too old: %s\n", elf_errmsg(-1));
		return 1;
	}

	rep.path = a.image;
	rep.out = stderr;
	if (!strcmp(cmd, "check")) {
		ret = image_open(&img, a.image, &rep);
		if (img.notes_ok && img.segments_ok && img.hdr_read)
			ret |= check_image(&img, &rep);
		if (!ret && a.verbose) {
			printf("crcore: %s: valid image (offline rules)\n", a.image);
			check_list_skipped(stdout);
		}
		image_close(&img);
		return ret || rep.count ? 1 : 0;
	}

	/*
	 * show and extract work on images with bad contents: show lists the
	 * problems, extract ignores them. Only a broken container stops them.
	 */
	rep.out = NULL;
	image_open(&img, a.image, &rep);
	if (!strcmp(cmd, "extract") && img.notes_ok && img.segments_ok) {
		if (a.have_pid)
			ret = extract_process(&img, a.pid, a.output);
		else
			ret = extract_image(&img, a.output);
	} else if (!strcmp(cmd, "show") && img.notes_ok) {
		if (img.segments_ok && img.hdr_read)
			check_image(&img, &rep);
		ret = show_image(&img, &rep, a.json);
	} else {
		unsigned int i;

		for (i = 0; i < rep.nr_lines; i++)
			fprintf(stderr, "crcore: %s: %s\n", a.image, rep.lines[i]);
		ret = -1;
	}
	report_free(&rep);
	image_close(&img);
	return ret ? 1 : 0;
}
