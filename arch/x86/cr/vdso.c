// SPDX-License-Identifier: GPL-2.0
/*
 * x86 vdso of a restored process: the running kernel's vdso, mapped where
 * the checkpointed process had its own, so that return addresses and
 * function pointers into it stay valid. Its data pages ([vvar]) precede
 * it, as map_vdso() lays them out.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <asm/vdso.h>

/**
 * cr_arch_restore_vdso_prepare - can the vdso go back where it was?
 * @r: restore plan with the mappings parsed
 *
 * The vdso of this kernel must have the same size as the image's, and
 * its data pages must precede it as they did.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_arch_restore_vdso_prepare(struct cr_restore *r)
{
	const struct vdso_image *image = &vdso_image_64;
	const struct cr_vma *vdso, *vvar;
	int ret;

	ret = cr_rule_vdso(r->img->name, &r->mm, r->vma, r->nr_vmas, &vdso, &vvar);
	if (ret || !vdso)
		return ret;	/* or the process had unmapped it */
	if (vdso->end - vdso->start != image->size ||
	    vvar->end - vvar->start != -image->sym_vvar_start) {
		cr_refuse(r->img->name, "the image's vdso layout differs from this kernel's");
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * cr_arch_restore_vdso - map the vdso at its old address
 * @r: a prepared plan; the other mappings are in place
 *
 * Return: 0 or a negative errno.
 */
int cr_arch_restore_vdso(struct cr_restore *r)
{
	const struct vdso_image *image = &vdso_image_64;
	int ret;

	if (!r->mm.vdso)
		return 0;
	ret = map_vdso_once(image, r->mm.vdso + image->sym_vvar_start);
	if (!ret && (unsigned long)current->mm->context.vdso != r->mm.vdso)
		ret = -EBUSY;
	if (ret)
		cr_refuse(r->img->name, "cannot map the vdso at %#llx (%d)",
			  r->mm.vdso, ret);
	return ret;
}
