// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 checks of a checkpoint image.
 */
#include <linux/cr.h>
#include <linux/elf.h>

/**
 * cr_arch_check_image - may this machine restore the image's tasks?
 * @img: image whose ELF and CR headers have been read
 *
 * Only native 64-bit tasks are handled; 32-bit (compat) tasks are refused.
 *
 * Return: 0, or -ENOEXEC after saying why.
 */
int cr_arch_check_image(const struct cr_image *img)
{
	if (img->ehdr.e_machine != EM_X86_64 ||
	    img->hdr.e_machine != EM_X86_64) {
		cr_refuse(img->name,
			  "image is for ELF machine %u/%u, this kernel restores x86-64 (%u) only",
			  img->ehdr.e_machine, img->hdr.e_machine, EM_X86_64);
		return -ENOEXEC;
	}
	return 0;
}
