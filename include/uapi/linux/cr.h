/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart image format.
 *
 * A checkpoint image is an ELF core file (ET_CORE) that the kernel can also
 * execute: binfmt_cr recognizes it and restores the processes it holds.
 * Standard core notes (NT_PRSTATUS, NT_PRFPREG, ...) are written as
 * binfmt_elf writes them; what they lack is carried in notes whose owner
 * name is CR_NOTE_NAME, with the types and layouts defined here. This
 * header is the only definition of the format: the kernel and the
 * userspace tools (tools/crcore) both compile against it.
 *
 * Layout rules (see Documentation/cr/image-format.rst):
 *  - program header 0 is the PT_NOTE segment;
 *  - the first note of that segment is NT_CR_HEADER (struct cr_hdr_image);
 *  - every structure is made of fixed-width fields, is a multiple of 8
 *    bytes long and carries explicit padding, which must be zero;
 *  - every note starts with the structure of its type; a reader accepts a
 *    longer descriptor than it knows (newer minor additions at the end)
 *    only where the type's documentation says so.
 */
#ifndef _UAPI_LINUX_CR_H
#define _UAPI_LINUX_CR_H

#include <linux/types.h>

/* Owner name of every note this format adds (Elf64_Nhdr.n_name). */
#define CR_NOTE_NAME		"LINUXCR"

/* struct cr_hdr_image.magic: "CKPT" read as a little-endian __u32. */
#define CR_IMAGE_MAGIC		0x54504b43
/* Bumped on any incompatible change; restore requires an exact match. */
#define CR_IMAGE_VERSION	1

/* Note types under CR_NOTE_NAME. */
#define NT_CR_BASE		0x43520000
#define NT_CR_HEADER		(NT_CR_BASE + 0x01)	/* struct cr_hdr_image */

/* Sanity bounds a reader applies before trusting an image. */
#define CR_MAX_PHDRS		65534	/* below PN_XNUM: no extended numbering */
#define CR_MAX_NOTES_SIZE	(64 << 20)
#define CR_MAX_NOTES		65536

/**
 * struct cr_hdr_image - NT_CR_HEADER: what the image is and where it came from
 * @magic:		CR_IMAGE_MAGIC
 * @version:		CR_IMAGE_VERSION of the writer
 * @hdr_size:		sizeof(struct cr_hdr_image) of the writer
 * @e_machine:		ELF machine of the checkpointed tasks (EM_X86_64)
 * @page_shift:		log2 of the page size of the checkpointing kernel
 * @flags:		CR_IMAGE_* flags, none defined yet (must be 0)
 * @nr_processes:	processes (thread groups) in the image, >= 1
 * @nr_threads:		threads in the image, >= @nr_processes
 * @__pad0:		zero
 * @time_ns:		CLOCK_REALTIME of the checkpoint, in nanoseconds
 * @kernel_release:	utsname()->release of the checkpointing kernel
 * @__pad1:		zero
 */
struct cr_hdr_image {
	__u32 magic;
	__u32 version;
	__u32 hdr_size;
	__u16 e_machine;
	__u16 page_shift;
	__u32 flags;
	__u32 nr_processes;
	__u32 nr_threads;
	__u32 __pad0;
	__u64 time_ns;
	char kernel_release[65];
	__u8 __pad1[7];
};

#endif /* _UAPI_LINUX_CR_H */
