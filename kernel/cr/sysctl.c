// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart controls under /proc/sys/kernel/cr/.
 *
 *   image_version	read-only: the image format version of this kernel
 *   pattern		where SIGCKPT writes the image, like core_pattern:
 *			%e comm, %p pid (tgid), %t time (s), %% a '%';
 *			relative to the process's working directory
 *   default_mode	what a process does after a checkpoint when the
 *			sender did not say (CR_MODE_*)
 *   new_tids		1: a multi-threaded image may be restored with new
 *			thread ids when the original ones cannot be had
 *			(0, the default: such a restore fails with EPERM)
 *   tcp_hold_seconds	how long the TCP sockets of an image checkpointed in
 *			exit mode are held, silent, for a restore (0-3600,
 *			default 60; 0: closed silently at exit)
 *   restore_helper	the program an image that cannot be restored in
 *			place is handed to, as "HELPER IMAGE ARGS...": one
 *			whose threads or processes need their ids, which
 *			only a new pid namespace can give (fs/binfmt_cr.c);
 *			empty: none, such a restore fails with EPERM
 *   checkpoint		write-only, by anyone: "PID [MODE]" checkpoints
 *			that process as SIGCKPT would, whatever its signal
 *			mask, if the writer may ptrace it
 *			(cr_request_checkpoint())
 */
#include <linux/cr.h>
#include <linux/init.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <linux/timekeeping.h>

#define CR_PATTERN_MAX	128
#define CR_HELPER_MAX	256

static int cr_image_version = CR_IMAGE_VERSION;
static char cr_pattern[CR_PATTERN_MAX] = "%e.ckpt";
static DEFINE_MUTEX(cr_pattern_lock);
static char cr_helper[CR_HELPER_MAX] = CONFIG_CR_RESTORE_HELPER;
int cr_default_mode = CR_MODE_CONTINUE;
int cr_new_tids;
static int cr_mode_max = CR_MODE_EXIT;
#if IS_ENABLED(CONFIG_INET)
static int cr_tcp_hold_max = 3600;
#endif

static int cr_pattern_handler(const struct ctl_table *table, int write,
			      void *buffer, size_t *lenp, loff_t *ppos)
{
	int ret;

	mutex_lock(&cr_pattern_lock);
	ret = proc_dostring(table, write, buffer, lenp, ppos);
	mutex_unlock(&cr_pattern_lock);
	return ret;
}

/* "PID [MODE]": a checkpoint asked of process PID (cr_request_checkpoint()). */
static int cr_checkpoint_handler(const struct ctl_table *table, int write,
				 void *buffer, size_t *lenp, loff_t *ppos)
{
	int pid, mode = READ_ONCE(cr_default_mode), ret;
	char buf[32];

	if (!write) {
		*lenp = 0;
		return 0;
	}
	if (*ppos || !*lenp || *lenp >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, buffer, *lenp);
	buf[*lenp] = '\0';
	if (sscanf(buf, "%d %d", &pid, &mode) < 1 || pid <= 0)
		return -EINVAL;
	ret = cr_request_checkpoint(pid, mode);
	if (ret)
		return ret;
	*ppos += *lenp;
	return 0;
}

static struct ctl_table cr_sysctls[] = {
	{
		.procname	= "image_version",
		.data		= &cr_image_version,
		.maxlen		= sizeof(int),
		.mode		= 0444,
		.proc_handler	= proc_dointvec,
	},
	{
		.procname	= "pattern",
		.data		= cr_pattern,
		.maxlen		= CR_PATTERN_MAX,
		.mode		= 0644,
		.proc_handler	= cr_pattern_handler,
	},
	{
		.procname	= "default_mode",
		.data		= &cr_default_mode,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &cr_mode_max,
	},
	{
		.procname	= "new_tids",
		.data		= &cr_new_tids,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
#if IS_ENABLED(CONFIG_INET)
	{
		.procname	= "tcp_hold_seconds",
		.data		= &cr_tcp_hold_seconds,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &cr_tcp_hold_max,
	},
#endif
	{
		.procname	= "restore_helper",
		.data		= cr_helper,
		.maxlen		= CR_HELPER_MAX,
		.mode		= 0644,
		.proc_handler	= cr_pattern_handler,	/* a string, under the same lock */
	},
	{
		.procname	= "checkpoint",
		.mode		= 0222,
		.proc_handler	= cr_checkpoint_handler,
	},
};

/**
 * cr_restore_helper - the restore helper's path (kernel.cr.restore_helper)
 * @buf: where to put it; empty for none
 * @size: size of @buf, CR_HELPER_MAX or more
 */
void cr_restore_helper(char *buf, size_t size)
{
	mutex_lock(&cr_pattern_lock);
	strscpy(buf, cr_helper, size);
	mutex_unlock(&cr_pattern_lock);
}

/**
 * cr_image_name - the image path of the current process, from the pattern
 * @buf: where to put it
 * @size: size of @buf
 *
 * Return: 0, -ENAMETOOLONG, or -EINVAL for an empty name.
 */
int cr_image_name(char *buf, size_t size)
{
	char pattern[CR_PATTERN_MAX], comm[TASK_COMM_LEN];
	size_t len = 0;
	const char *p;
	char *c;

	mutex_lock(&cr_pattern_lock);
	strscpy(pattern, cr_pattern, sizeof(pattern));
	mutex_unlock(&cr_pattern_lock);
	get_task_comm(comm, current);
	for (c = comm; *c; c++)	/* as in core names: no '/' from comm */
		if (*c == '/')
			*c = '!';

	for (p = pattern; *p; p++) {
		int n;

		if (*p != '%') {
			n = scnprintf(buf + len, size - len, "%c", *p);
		} else {
			switch (*++p) {
			case 'e':
				n = scnprintf(buf + len, size - len, "%s", comm);
				break;
			case 'p':
				n = scnprintf(buf + len, size - len, "%d",
					      task_tgid_vnr(current));
				break;
			case 't':
				n = scnprintf(buf + len, size - len, "%lld",
					      ktime_get_real_seconds());
				break;
			case '%':
				n = scnprintf(buf + len, size - len, "%%");
				break;
			case '\0':
				p--;
				fallthrough;
			default:
				n = 0;
				break;
			}
		}
		len += n;
		if (len >= size - 1)
			return -ENAMETOOLONG;
	}
	buf[len] = '\0';
	return len && buf[len - 1] != '/' ? 0 : -EINVAL;
}

static int __init cr_sysctl_init(void)
{
	register_sysctl_init("kernel/cr", cr_sysctls);
	return 0;
}
fs_initcall(cr_sysctl_init);
