// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart controls under /proc/sys/kernel/cr/.
 */
#include <linux/cr.h>
#include <linux/init.h>
#include <linux/sysctl.h>

/* Read-only: the image format version this kernel writes and restores. */
static int cr_image_version = CR_IMAGE_VERSION;

static struct ctl_table cr_sysctls[] = {
	{
		.procname	= "image_version",
		.data		= &cr_image_version,
		.maxlen		= sizeof(int),
		.mode		= 0444,
		.proc_handler	= proc_dointvec,
	},
};

static int __init cr_sysctl_init(void)
{
	register_sysctl_init("kernel/cr", cr_sysctls);
	return 0;
}
fs_initcall(cr_sysctl_init);
