// SPDX-License-Identifier: GPL-2.0
/*
 * Problems found in an image: printed, or kept for show.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crcore.h"

/**
 * problem - report one problem of an image
 * @rep: where it goes; @rep->prefix, if set, comes first (the process)
 * @err: the errno name the kernel's restore would fail with, or NULL
 * @fmt: what is wrong, printf-style, without a final period
 */
void problem(struct report *rep, const char *err, const char *fmt, ...)
{
	char msg[512];
	size_t len;
	va_list ap;

	snprintf(msg, sizeof(msg), "%s", rep->prefix ? rep->prefix : "");
	len = strlen(msg);
	va_start(ap, fmt);
	vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
	va_end(ap);
	len = strlen(msg);
	if (err)
		snprintf(msg + len, sizeof(msg) - len, " [%s]", err);
	rep->count++;
	if (rep->out) {
		fprintf(rep->out, "crcore: %s: %s\n", rep->path, msg);
		return;
	}
	if (rep->nr_lines < 1000) {
		char **lines = realloc(rep->lines, (rep->nr_lines + 1) * sizeof(*lines));
		char *line = strdup(msg);

		if (lines)
			rep->lines = lines;
		if (lines && line)
			rep->lines[rep->nr_lines++] = line;
		else
			free(line);
	}
}

void report_free(struct report *rep)
{
	unsigned int i;

	for (i = 0; i < rep->nr_lines; i++)
		free(rep->lines[i]);
	free(rep->lines);
	rep->lines = NULL;
	rep->nr_lines = 0;
}
