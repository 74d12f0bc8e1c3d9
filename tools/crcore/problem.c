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

/* The last line a rule of kernel/cr/rules.c said (its cr_refuse()). */
static char cr_rule_why[400];

void cr_rules_refuse(const char *name, const char *fmt, ...)
{
	va_list ap;

	(void)name;	/* the image: problem() names it */
	va_start(ap, fmt);
	vsnprintf(cr_rule_why, sizeof(cr_rule_why), fmt, ap);
	va_end(ap);
}

/**
 * rule - report what a rule of the kernel's (<linux/cr_rules.h>) said
 * @rep: where it goes
 * @ret: what the rule returned: 0 or a negative errno
 *
 * Return: @ret.
 */
int rule(struct report *rep, int ret)
{
	if (ret) {
		const char *err = strerrorname_np(-ret);

		problem(rep, err ? err : "EINVAL", "%s", cr_rule_why);
		cr_rule_why[0] = '\0';
	}
	return ret;
}
