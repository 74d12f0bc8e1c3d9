// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint image I/O: the ELF container of an image.
 *
 * Restore side: open an image handed to exec, read its ELF container and
 * check every count, size and offset before anything else looks at it.
 * The image is untrusted input.
 *
 * An exec'd file is "ours" when it is a 64-bit ELF core file whose program
 * header 0 is PT_NOTE and whose first note is LINUXCR/NT_CR_HEADER. Until
 * that is known, every mismatch returns -ENOEXEC silently so that the other
 * binary formats (and the "Exec format error" users expect) are unchanged.
 * From then on, every problem is refused with one rate-limited message:
 * -ENOEXEC when the image is for another format version or machine,
 * -EINVAL when it is malformed, -EIO when it cannot be read.
 */
#include <linux/binfmts.h>
#include <linux/coredump.h>
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

/*
 * What an image's size decides is charged to the exec caller's memory
 * cgroup, and fails the exec with ENOMEM there rather than wake the OOM
 * killer.
 */
#define CR_GFP_IMAGE	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* Read exactly @len bytes at @pos, or fail; @pos + @len was bounds-checked. */
static int cr_read_at(struct cr_image *img, void *buf, size_t len, loff_t pos)
{
	ssize_t n;

	pos += img->base;
	n = kernel_read(img->file, buf, len, &pos);

	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

/* Is [off, off + len) inside the file? */
static bool cr_in_file(const struct cr_image *img, u64 off, u64 len)
{
	return len <= img->size && off <= img->size - len;
}

static bool cr_is_header_note(const void *buf, size_t len)
{
	const struct elf64_note *nh = buf;

	if (len < sizeof(*nh) + sizeof(CR_NOTE_NAME))
		return false;
	return nh->n_namesz == sizeof(CR_NOTE_NAME) &&
	       nh->n_type == NT_CR_HEADER &&
	       !memcmp(nh + 1, CR_NOTE_NAME, sizeof(CR_NOTE_NAME));
}

/*
 * The cheap test: ELF core, phdr 0 is PT_NOTE, whose first note is our
 * header. Costs two small reads, and only for ET_CORE files.
 */
static int cr_image_recognize(struct cr_image *img)
{
	u8 first[sizeof(struct elf64_note) + sizeof(CR_NOTE_NAME)];
	struct elf_phdr ph0;

	if (memcmp(img->ehdr.e_ident, ELFMAG, SELFMAG) ||
	    img->ehdr.e_ident[EI_CLASS] != ELFCLASS64 ||
	    img->ehdr.e_type != ET_CORE ||
	    img->ehdr.e_phentsize != sizeof(struct elf_phdr) ||
	    img->ehdr.e_phnum == 0 ||
	    !cr_in_file(img, img->ehdr.e_phoff, sizeof(ph0)))
		return -ENOEXEC;
	if (cr_read_at(img, &ph0, sizeof(ph0), img->ehdr.e_phoff))
		return -ENOEXEC;
	if (ph0.p_type != PT_NOTE || ph0.p_filesz < sizeof(first) ||
	    !cr_in_file(img, ph0.p_offset, sizeof(first)))
		return -ENOEXEC;
	if (cr_read_at(img, first, sizeof(first), ph0.p_offset))
		return -ENOEXEC;
	return cr_is_header_note(first, sizeof(first)) ? 0 : -ENOEXEC;
}

/*
 * What reading the headers and notes of one more process costs, taken
 * from the budget of the whole image (@img->budget, a tree's): checked
 * before anything is allocated, so that an image of many processes with
 * large sparse note segments cannot make one exec allocate more than
 * CR_MAX_IMAGE_NOTES bytes in all.
 */
static int cr_image_charge(struct cr_image *img, u64 len)
{
	if (!img->budget)
		return 0;
	if (len > *img->budget) {
		cr_refuse(img->name, "the notes of all processes exceed %u bytes",
			  CR_MAX_IMAGE_NOTES);
		return -E2BIG;
	}
	*img->budget -= len;
	return 0;
}

static int cr_image_read_phdrs(struct cr_image *img)
{
	size_t len;
	int ret;

	img->phnum = img->ehdr.e_phnum;
	ret = cr_rule_phdrs(img->name, img->size, img->ehdr.e_phoff, img->phnum);
	if (ret)
		return ret;
	len = img->phnum * sizeof(struct elf_phdr);
	ret = cr_image_charge(img, len);
	if (ret)
		return ret;
	img->phdrs = kvmalloc(len, CR_GFP_IMAGE);
	if (!img->phdrs)
		return -ENOMEM;
	ret = cr_read_at(img, img->phdrs, len, img->ehdr.e_phoff);
	if (ret)
		cr_refuse(img->name, "cannot read program headers (%d)", ret);
	return ret;
}

static int cr_image_read_notes(struct cr_image *img)
{
	const struct elf_phdr *ph = &img->phdrs[0];
	unsigned int count;
	int ret;

	if (ph->p_filesz > CR_MAX_NOTES_SIZE) {
		cr_refuse(img->name, "note segment of %llu bytes, more than %u",
			  ph->p_filesz, CR_MAX_NOTES_SIZE);
		return -EINVAL;
	}
	ret = cr_image_charge(img, ph->p_filesz);
	if (ret)
		return ret;
	img->notes = kvmalloc(ph->p_filesz, CR_GFP_IMAGE);
	if (!img->notes)
		return -ENOMEM;
	ret = cr_read_at(img, img->notes, ph->p_filesz, ph->p_offset);
	if (ret) {
		cr_refuse(img->name, "cannot read the note segment (%d)", ret);
		return ret;
	}
	ret = cr_rule_notes(img->name, img->notes, ph->p_filesz, NULL, &count);
	if (ret)
		return ret;
	BUILD_BUG_ON(sizeof(*img->note) > CR_NOTE_COST);
	ret = cr_image_charge(img, (u64)count * CR_NOTE_COST);
	if (ret)
		return ret;
	img->note = kvcalloc(count, sizeof(*img->note), CR_GFP_IMAGE);
	if (!img->note)
		return -ENOMEM;
	img->nr_notes = count;
	return cr_rule_notes(img->name, img->notes, ph->p_filesz, img->note, &count);
}

static int cr_image_check_header(struct cr_image *img)
{
	int ret;

	/* cr_image_recognize() saw it; the parse must agree. */
	ret = cr_rule_header(img->name, img->note, img->nr_notes, &img->hdr);
	if (!ret)
		ret = cr_arch_rule_machine(img->name, img->ehdr.e_machine, &img->hdr);
	return ret;
}

/* The rest of an image, once recognized. */
static int cr_image_read(struct cr_image *img)
{
	int ret;

	ret = cr_image_read_phdrs(img);
	if (!ret)
		ret = cr_rule_segments(img->name, img->phdrs, img->phnum, img->size,
				       img->base != 0);
	if (!ret)
		ret = cr_image_read_notes(img);
	if (!ret)
		ret = cr_image_check_header(img);
	return ret;
}

/**
 * cr_image_open - recognize and validate the container of an exec'd image
 * @img: filled in; release with cr_image_close() whatever the result
 * @bprm: the exec in progress
 *
 * Return: 0 when @bprm is a valid image, -ENOEXEC when it is not an image
 * (silently) or one for another version or machine (with a message),
 * another negative errno when it is a bad image.
 */
int cr_image_open(struct cr_image *img, struct linux_binprm *bprm)
{
	int ret;

	memset(img, 0, sizeof(*img));
	img->name = bprm->filename;
	img->file = bprm->file;
	img->size = i_size_read(file_inode(bprm->file));

	memcpy(&img->ehdr, bprm->buf, sizeof(img->ehdr));
	ret = cr_image_recognize(img);
	if (ret)
		return ret;
	return cr_image_read(img);
}

/**
 * cr_image_open_at - open the image of one more process of a tree
 * @img: filled in; release with cr_image_close() whatever the result
 * @file: the image file
 * @name: for messages
 * @base: where the process's image starts in @file (its PT_CR_PROCESS)
 * @size: and its size, inside the file
 * @budget: bytes of headers and notes the image may still take, lowered
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_image_open_at(struct cr_image *img, struct file *file, const char *name,
		     loff_t base, loff_t size, u64 *budget)
{
	int ret;

	memset(img, 0, sizeof(*img));
	img->budget = budget;
	img->name = name;
	img->file = file;
	img->base = base;
	img->size = size;
	ret = cr_read_at(img, &img->ehdr, sizeof(img->ehdr), 0);
	if (!ret)
		ret = cr_image_recognize(img);
	if (ret) {
		cr_refuse(name, "process segment at %lld is not an image", base);
		return -EINVAL;
	}
	ret = cr_image_read(img);
	if (!ret && img->hdr.nr_processes != 1) {
		cr_refuse(name, "process segment at %lld holds %u processes",
			  base, img->hdr.nr_processes);
		ret = -EINVAL;
	}
	return ret;
}

void cr_image_close(struct cr_image *img)
{
	kvfree(img->note);
	kvfree(img->notes);
	kvfree(img->phdrs);
	img->note = NULL;
	img->notes = NULL;
	img->phdrs = NULL;
}

/**
 * cr_image_find_note - first note of a type
 * @img: an opened image
 * @ours: look among LINUXCR notes (true) or the others (false)
 * @type: the note type
 *
 * Return: the note, or NULL if there is none.
 */
const struct cr_note *cr_image_find_note(const struct cr_image *img,
					 bool ours, u32 type)
{
	unsigned int i;

	for (i = 0; i < img->nr_notes; i++)
		if (img->note[i].ours == ours && img->note[i].type == type)
			return &img->note[i];
	return NULL;
}

/*
 * Checkpoint side: notes are collected in memory, then the file is written
 * in one pass: ELF header, program headers (PT_NOTE, then one PT_LOAD per
 * mapping), the notes, and from the next page boundary the memory.
 */

/**
 * cr_dump_note - append one note to an image being written
 * @d: the image
 * @owner: note owner name ("CORE", "LINUX" or CR_NOTE_NAME)
 * @type: note type
 * @desc: descriptor
 * @size: descriptor size
 *
 * Return: 0, -EFBIG when the notes would exceed CR_MAX_NOTES_SIZE (after
 * saying so), or -ENOMEM.
 */
int cr_dump_note(struct cr_dump *d, const char *owner, u32 type,
		 const void *desc, size_t size)
{
	size_t namesz = strlen(owner) + 1;
	size_t len = sizeof(struct elf64_note) + ALIGN(namesz, CR_NOTE_ALIGN) +
		     ALIGN(size, CR_NOTE_ALIGN);
	struct elf64_note *nh;
	u8 *p;

	/* What a restore reads of one process (cr_image_read_notes()). */
	if (size > CR_MAX_NOTES_SIZE || d->notes_len + len > CR_MAX_NOTES_SIZE) {
		cr_refuse(current->comm, "checkpoint refused: the notes of a process exceed %u bytes",
			  CR_MAX_NOTES_SIZE);
		return -EFBIG;
	}
	if (d->notes_len + len > d->notes_cap) {
		size_t cap = min_t(size_t, CR_MAX_NOTES_SIZE,
				   max(2 * d->notes_cap, d->notes_len + len + PAGE_SIZE));
		void *n = kvzalloc(cap, GFP_KERNEL_ACCOUNT);

		if (!n)
			return -ENOMEM;
		if (d->notes)
			memcpy(n, d->notes, d->notes_len);
		kvfree(d->notes);
		d->notes = n;
		d->notes_cap = cap;
	}
	p = d->notes + d->notes_len;
	nh = (struct elf64_note *)p;
	nh->n_namesz = namesz;
	nh->n_descsz = size;
	nh->n_type = type;
	p += sizeof(*nh);
	memcpy(p, owner, namesz);
	p += ALIGN(namesz, CR_NOTE_ALIGN);
	memcpy(p, desc, size);
	d->notes_len += len;
	d->nr_notes++;
	return 0;
}

/* The descriptor of the note that starts at @off in @d's notes. */
void *cr_dump_note_desc(struct cr_dump *d, size_t off)
{
	struct elf64_note *nh = d->notes + off;

	return (void *)(nh + 1) + ALIGN(nh->n_namesz, CR_NOTE_ALIGN);
}

static u32 cr_vm_flags_to_pf(unsigned long flags)
{
	return (flags & VM_READ ? PF_R : 0) | (flags & VM_WRITE ? PF_W : 0) |
	       (flags & VM_EXEC ? PF_X : 0);
}

/**
 * cr_dump_seek - move the image to the dump position
 * @d: image being written
 *
 * dump_skip() only counts what to skip (a hole in the file); the writes
 * of a checkpoint move the file there before they write.
 *
 * Return: 0 or -EIO.
 */
int cr_dump_seek(struct cr_dump *d)
{
	struct coredump_params *cprm = &d->cprm;

	if (!cprm->to_skip)
		return 0;
	if (vfs_llseek(cprm->file, cprm->to_skip, SEEK_CUR) < 0)
		return -EIO;
	cprm->pos += cprm->to_skip;
	cprm->to_skip = 0;
	return 0;
}

/*
 * Write @len bytes at the dump position (cr_dump_seek()). Not with dump_emit(): it fails as soon as
 * any signal is pending (a core dump has killed every other thread; a
 * checkpoint has not, and a SIGCHLD may come), where only a fatal signal
 * must stop a checkpoint. A short write (a network filesystem such as 9p
 * under memory pressure) is followed by the rest, as write(2) callers do.
 */
static int cr_emit(struct cr_dump *d, const void *buf, size_t len)
{
	struct coredump_params *cprm = &d->cprm;
	struct file *file = cprm->file;
	unsigned int tries = 0;
	loff_t pos;
	ssize_t n;

	if (cr_dump_seek(d))
		return -EIO;
	if (cprm->written + len > cprm->limit)
		return -EFBIG;
	while (len) {
		if (cr_dump_interrupted(d)) {
			cr_refuse(current->comm, "checkpoint interrupted by a fatal signal while writing");
			return -EIO;
		}
		pos = file->f_pos;
		/* The caller holds file_start_write(). */
		n = __kernel_write(file, buf, min_t(size_t, len, SZ_1M), &pos);
		if (n <= 0) {
			if ((n && n != -EINTR && n != -ERESTARTSYS && n != -EAGAIN) ||
			    ++tries > 3) {
				cr_refuse(current->comm, "writing the image failed at offset %lld (%zd)",
					  file->f_pos, n);
				return n && tries <= 3 ? n : -EIO;
			}
			continue;
		}
		file->f_pos = pos;
		cprm->written += n;
		cprm->pos += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/**
 * cr_dump_size - size of the image of one process, once written
 * @d: the image, with its notes and mappings collected
 *
 * Return: bytes from its ELF header to the end of its memory.
 */
loff_t cr_dump_size(const struct cr_dump *d)
{
	size_t phnum = 1 + d->nr_vmas + d->nr_segs;
	loff_t off = sizeof(struct elfhdr) + phnum * sizeof(struct elf_phdr);
	unsigned int i;

	off = ALIGN(off + d->notes_len, PAGE_SIZE);
	for (i = 0; i < d->nr_vmas; i++)
		off += d->vma[i].dump_size;
	return off;
}

/**
 * cr_dump_notes_cost - what a restore reads of the notes of one process
 * @d: the image, with its notes and mappings collected
 *
 * Return: its program headers and notes, as CR_MAX_IMAGE_NOTES counts them.
 */
u64 cr_dump_notes_cost(const struct cr_dump *d)
{
	return (u64)(1 + d->nr_vmas + d->nr_segs) * sizeof(struct elf_phdr) +
	       d->notes_len + (u64)d->nr_notes * CR_NOTE_COST;
}

/**
 * cr_dump_write - write the image of one process
 * @d: the image, with its notes and mappings collected
 *
 * Writes at the file position, which is @d->base. The root of a tree
 * also writes the program headers of the other processes' images
 * (@d->seg), which they write themselves.
 *
 * Return: 0, or a negative errno (-EIO when a write failed or was
 * interrupted by a fatal signal).
 */
int cr_dump_write(struct cr_dump *d)
{
	size_t phnum = 1 + d->nr_vmas + d->nr_segs;
	loff_t notes_off = sizeof(struct elfhdr) + phnum * sizeof(struct elf_phdr);
	loff_t data_off = ALIGN(notes_off + d->notes_len, PAGE_SIZE);
	struct elf_phdr ph = {};
	struct elfhdr eh = {};
	unsigned int i;
	int ret;

	if (phnum > CR_MAX_PHDRS)
		return -E2BIG;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELF_DATA;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELF_OSABI;
	eh.e_type = ET_CORE;
	eh.e_machine = ELF_ARCH;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = phnum;
	ret = cr_emit(d, &eh, sizeof(eh));
	if (ret)
		return ret;

	ph.p_type = PT_NOTE;
	ph.p_offset = notes_off;
	ph.p_filesz = d->notes_len;
	ph.p_align = CR_NOTE_ALIGN;
	ret = cr_emit(d, &ph, sizeof(ph));
	for (i = 0; !ret && i < d->nr_vmas; i++) {
		const struct cr_dump_vma *v = &d->vma[i];

		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_offset = data_off;
		ph.p_vaddr = v->start;
		ph.p_filesz = v->dump_size;
		ph.p_memsz = v->end - v->start;
		ph.p_flags = cr_vm_flags_to_pf(v->flags);
		ph.p_align = PAGE_SIZE;
		data_off += v->dump_size;
		ret = cr_emit(d, &ph, sizeof(ph));
	}
	for (i = 0; !ret && i < d->nr_segs; i++) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_CR_PROCESS;
		ph.p_offset = d->seg[i].offset;
		ph.p_filesz = d->seg[i].size;
		ph.p_align = PAGE_SIZE;
		ret = cr_emit(d, &ph, sizeof(ph));
	}
	if (!ret)
		ret = cr_emit(d, d->notes, d->notes_len);
	if (ret)
		return ret;
	dump_skip_to(&d->cprm, ALIGN(notes_off + d->notes_len, PAGE_SIZE));
	ret = cr_dump_mm_pages(d);
	/* A trailing hole still counts in the file size. */
	if (!ret && d->cprm.to_skip) {
		d->cprm.to_skip--;
		ret = cr_emit(d, "", 1);
	}
	return ret;
}

void cr_dump_free(struct cr_dump *d)
{
	if (d->root.mnt)
		path_put(&d->root);
	d->root.mnt = NULL;
	if (d->own_root.mnt)
		path_put(&d->own_root);
	d->own_root.mnt = NULL;
	kvfree(d->notes);
	d->notes = NULL;
	kfree(d->seg);
	d->seg = NULL;
	kvfree(d->mlocked);
	d->mlocked = NULL;
	cr_dump_mm_free(d);
}

/**
 * cr_buf_room - room for @len more bytes, zeroed, at the end of @b
 * @b: the buffer, kvfree() its @buf when done
 * @len: bytes
 *
 * Return: where they go, or NULL (no memory).
 */
u8 *cr_buf_room(struct cr_buf *b, size_t len)
{
	size_t size = max(b->size * 2, b->len + len + 4096);
	u8 *p;

	if (b->len + len > b->size) {
		p = kvrealloc(b->buf, size, GFP_KERNEL);
		if (!p)
			return NULL;
		b->buf = p;
		b->size = size;
	}
	p = b->buf + b->len;
	memset(p, 0, len);
	b->len += len;
	return p;
}

static bool cr_dir_actor(struct dir_context *ctx, const char *name, int len, loff_t off,
			 u64 ino, unsigned int type)
{
	struct cr_dir_names *n = container_of(ctx, struct cr_dir_names, ctx);
	char **p;

	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	if (n->nr == n->max) {
		p = krealloc_array(n->name, max(n->max * 2, 16U), sizeof(*p), GFP_KERNEL);
		if (!p) {
			n->err = -ENOMEM;
			return false;
		}
		n->name = p;
		n->max = max(n->max * 2, 16U);
	}
	n->name[n->nr] = kstrndup(name, len, GFP_KERNEL);
	if (!n->name[n->nr]) {
		n->err = -ENOMEM;
		return false;
	}
	n->nr++;
	return true;
}

/**
 * cr_read_dir - the names in directory @dir, in the order it lists them
 * @dir: opened for reading
 * @n: zeroed; set to its names (cr_dir_names_free() even on failure)
 *
 * Return: 0 or a negative errno.
 */
int cr_read_dir(struct file *dir, struct cr_dir_names *n)
{
	n->ctx.actor = cr_dir_actor;
	return iterate_dir(dir, &n->ctx) ?: n->err;
}

void cr_dir_names_free(struct cr_dir_names *n)
{
	unsigned int i;

	for (i = 0; i < n->nr; i++)
		kfree(n->name[i]);
	kfree(n->name);
	n->name = NULL;
	n->nr = 0;
	n->max = 0;
}
