/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: interfaces between binfmt_cr, kernel/cr and the
 * architecture code in arch/<arch>/cr.
 */
#ifndef _LINUX_CR_H
#define _LINUX_CR_H

#include <linux/elf.h>
#include <linux/printk.h>
#include <linux/types.h>
#include <uapi/linux/cr.h>

struct file;
struct linux_binprm;

/*
 * One rate-limited line saying why an image (or, at checkpoint, a
 * process) was refused. Every refusal goes through here, so that a user
 * reading dmesg sees the reason for an errno.
 */
#define cr_refuse(name, fmt, ...)					\
	pr_warn_ratelimited("cr: %s: " fmt "\n", (name), ##__VA_ARGS__)

/* One note of an image, pointing into cr_image.notes. */
struct cr_note {
	u32 type;
	u32 size;
	bool ours;		/* owner is CR_NOTE_NAME */
	const void *desc;
};

/*
 * An image opened for restore: everything is read and bounds-checked
 * by cr_image_open(), before the point of no return of exec.
 */
struct cr_image {
	const char *name;	/* for messages: the exec'd path */
	struct file *file;
	loff_t size;
	struct elfhdr ehdr;
	struct elf_phdr *phdrs;
	unsigned int phnum;
	void *notes;		/* PT_NOTE segment, as read */
	struct cr_note *note;	/* parsed notes, in file order */
	unsigned int nr_notes;
	struct cr_hdr_image hdr;	/* copy of the NT_CR_HEADER note */
};

int cr_image_open(struct cr_image *img, struct linux_binprm *bprm);
void cr_image_close(struct cr_image *img);
const struct cr_note *cr_image_find_note(const struct cr_image *img,
					 bool ours, u32 type);

/* Architecture hooks (arch/<arch>/cr/). */
int cr_arch_check_image(const struct cr_image *img);

#endif /* _LINUX_CR_H */
