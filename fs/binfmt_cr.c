// SPDX-License-Identifier: GPL-2.0
/*
 * binfmt_cr: restore a checkpoint image when it is executed.
 *
 * A checkpoint image is an ELF core file; this handler recognizes one,
 * asks kernel/cr to validate all of it into a restore plan while exec can
 * still fail cleanly, and then applies the plan after the point of no
 * return. See Documentation/cr/.
 */
#include <linux/binfmts.h>
#include <linux/cr.h>
#include <linux/elf.h>
#include <linux/init.h>
#include <linux/module.h>

static int load_cr_binary(struct linux_binprm *bprm)
{
	struct cr_image img;
	int ret;

	ret = cr_image_open(&img, bprm);
	if (ret)
		goto out;

	if (!cr_image_find_note(&img, false, NT_PRSTATUS)) {
		cr_refuse(img.name, "image holds no thread state (NT_PRSTATUS)");
		ret = -EINVAL;
		goto out;
	}
	/* Restoring the tasks is not implemented yet. */
	cr_refuse(img.name, "restoring tasks is not supported by this kernel");
	ret = -EOPNOTSUPP;
out:
	cr_image_close(&img);
	return ret;
}

static struct linux_binfmt cr_format = {
	.module		= THIS_MODULE,
	.load_binary	= load_cr_binary,
};

static int __init init_cr_binfmt(void)
{
	register_binfmt(&cr_format);
	pr_info("cr: binfmt_cr registered, image format version %u\n",
		CR_IMAGE_VERSION);
	return 0;
}
core_initcall(init_cr_binfmt);
