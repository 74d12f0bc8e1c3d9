// SPDX-License-Identifier: GPL-2.0
/*
 * crcore extract: a plain core file of an image, for debuggers.
 *
 * The core has the image's standard notes (NT_PRSTATUS, NT_PRPSINFO,
 * NT_FILE, ...) in their order, without the LINUXCR ones, and its memory.
 * A debugger that does not read NT_CR_PAGES takes a page that is not
 * stored for zeros; that is right in anonymous memory but not in a file
 * mapping, whose clean pages are in the file. So each file mapping with
 * some pages stored is split at the page runs: stored runs become
 * segments with data, the rest segments without (p_filesz 0), which gdb
 * reads from the mapped file when it has it. Other segments are copied as
 * they are. Pages of zeros stay holes in the core.
 *
 * The ELF header and program headers are written through libelf
 * (ELF_F_LAYOUT: crcore places everything), then the notes and data.
 *
 * In an image of a process tree, the root's image is the file's, and its
 * PT_CR_PROCESS segments are left out of its core; the image of another
 * process is one of those segments, a complete image of its own, whose
 * core is extracted the same way (--pid).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <unistd.h>

#include "crcore.h"

/* One segment of the core: @len bytes of image data at @src, or none. */
struct out_seg {
	uint64_t vaddr, memsz, filesz;
	uint64_t src;		/* offset in the image */
	uint64_t dst;		/* offset in the core */
	uint32_t flags;
};

struct extract {
	struct image *img;
	struct out_seg *seg;
	size_t nr, cap;
	struct cr_page_run *run;
	uint64_t nr_runs;
	struct cr_vma *vma;	/* NULL unless NT_CR_VMAS matches the segments */
};

static int add_seg(struct extract *x, uint64_t vaddr, uint64_t memsz, uint64_t filesz,
		   uint64_t src, uint32_t flags)
{
	if (x->nr == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		struct out_seg *n = realloc(x->seg, cap * sizeof(*n));

		if (!n)
			return -1;
		x->seg = n;
		x->cap = cap;
	}
	x->seg[x->nr++] = (struct out_seg){
		.vaddr = vaddr, .memsz = memsz, .filesz = filesz, .src = src, .flags = flags,
	};
	return 0;
}

/* The page runs, if the note is there and they are sorted; else none. */
static void read_runs(struct extract *x)
{
	const struct cr_note *note = image_find_note(x->img, true, NT_CR_PAGES);
	const struct cr_note *vn = image_find_note(x->img, true, NT_CR_VMAS);
	uint64_t i, prev_end = 0;

	if (vn && vn->size == (uint64_t)x->img->nr_loads * sizeof(struct cr_vma)) {
		x->vma = malloc(vn->size ? vn->size : 1);
		if (x->vma)
			memcpy(x->vma, vn->desc, vn->size);
	}
	if (!note || note->size % sizeof(struct cr_page_run) || !note->size)
		return;
	x->run = malloc(note->size);
	if (!x->run)
		return;
	memcpy(x->run, note->desc, note->size);
	x->nr_runs = note->size / sizeof(struct cr_page_run);
	for (i = 0; i < x->nr_runs; i++) {
		const struct cr_page_run *r = &x->run[i];

		if (!r->nr_pages || r->nr_pages > CR_TASK_SIZE_MAX >> CR_PAGE_SHIFT ||
		    r->start < prev_end || r->start >= CR_TASK_SIZE_MAX) {
			free(x->run);
			x->run = NULL;
			x->nr_runs = 0;
			return;
		}
		prev_end = r->start + (r->nr_pages << CR_PAGE_SHIFT);
	}
}

/* Split one file mapping at its page runs; *@r is the next run to look at. */
static int split_seg(struct extract *x, const GElf_Phdr *ph, uint64_t *r)
{
	uint64_t pos = ph->p_vaddr, end = ph->p_vaddr + ph->p_memsz;
	uint64_t data_end = ph->p_vaddr + ph->p_filesz;

	while (*r < x->nr_runs && x->run[*r].start +
	       (x->run[*r].nr_pages << CR_PAGE_SHIFT) <= pos)
		(*r)++;
	for (; *r < x->nr_runs && x->run[*r].start < data_end; (*r)++) {
		uint64_t rs = x->run[*r].start, re = rs + (x->run[*r].nr_pages << CR_PAGE_SHIFT);

		if (rs < pos)
			rs = pos;
		if (re > data_end)
			re = data_end;
		if (rs > pos && add_seg(x, pos, rs - pos, 0, 0, ph->p_flags))
			return -1;
		if (re > rs && add_seg(x, rs, re - rs, re - rs,
				       ph->p_offset + (rs - ph->p_vaddr), ph->p_flags))
			return -1;
		pos = re > pos ? re : pos;
		if (re == data_end)
			break;
	}
	if (pos < end && add_seg(x, pos, end - pos, 0, 0, ph->p_flags))
		return -1;
	return 0;
}

static int plan_segments(struct extract *x, bool split)
{
	uint64_t r = 0;
	unsigned int i;

	x->nr = 0;
	for (i = 1; i <= x->img->nr_loads; i++) {
		const GElf_Phdr *ph = &x->img->phdrs[i];
		const struct cr_vma *v = x->vma ? &x->vma[i - 1] : NULL;

		if (split && x->run && v && v->kind == CR_VMA_FILE && ph->p_filesz) {
			if (split_seg(x, ph, &r))
				return -1;
		} else if (add_seg(x, ph->p_vaddr, ph->p_memsz, ph->p_filesz, ph->p_offset,
				   ph->p_flags)) {
			return -1;
		}
	}
	return 0;
}

/* The standard notes, as they are in the image (padding rewritten). */
static unsigned char *standard_notes(struct extract *x, uint64_t *len)
{
	const struct image *img = x->img;
	unsigned char *buf = malloc(img->notes_len ? img->notes_len : 1), *p = buf;
	unsigned int i;

	if (!buf)
		return NULL;
	for (i = 0; i < img->nr_notes; i++) {
		const struct cr_note *n = &img->note[i];
		const unsigned char *src = img->map + n->offset;
		uint64_t namesz, head;
		Elf64_Nhdr nh;

		if (n->ours)
			continue;
		memcpy(&nh, src, sizeof(nh));
		namesz = (nh.n_namesz + 3ULL) & ~3ULL;
		head = sizeof(nh) + namesz;
		memcpy(p, src, head + n->size);
		memset(p + head + n->size, 0, ((n->size + 3ULL) & ~3ULL) - n->size);
		p += head + ((n->size + 3ULL) & ~3ULL);
	}
	*len = p - buf;
	return buf;
}

/* Copy @len bytes of image data to the core, leaving pages of zeros as holes. */
static int copy_data(int fd, const unsigned char *src, uint64_t len, uint64_t dst)
{
	static const unsigned char zero[4096];
	uint64_t off = 0;

	while (off < len) {
		uint64_t n = len - off < sizeof(zero) ? len - off : sizeof(zero);

		if (memcmp(src + off, zero, n)) {
			ssize_t w = pwrite(fd, src + off, n, dst + off);

			if (w < 0)
				return -1;
			if ((uint64_t)w != n) {
				errno = EIO;
				return -1;
			}
		}
		off += n;
	}
	return 0;
}

static int write_headers(struct extract *x, int fd, uint64_t notes_off, uint64_t notes_len)
{
	GElf_Ehdr eh;
	GElf_Phdr ph;
	Elf *e;
	size_t i;

	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e || !gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
		goto bad;
	memcpy(eh.e_ident, x->img->ehdr.e_ident, EI_NIDENT);
	eh.e_type = ET_CORE;
	eh.e_machine = x->img->ehdr.e_machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = 0;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	eh.e_shoff = 0;
	eh.e_flags = x->img->ehdr.e_flags;
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_shentsize = 0;
	eh.e_shnum = 0;
	eh.e_shstrndx = 0;
	if (!gelf_update_ehdr(e, &eh) || !gelf_newphdr(e, x->nr + 1))
		goto bad;
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_NOTE;
	ph.p_offset = notes_off;
	ph.p_filesz = notes_len;
	ph.p_align = CR_NOTE_ALIGN;
	if (!gelf_update_phdr(e, 0, &ph))
		goto bad;
	for (i = 0; i < x->nr; i++) {
		const struct out_seg *s = &x->seg[i];

		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_offset = s->dst;
		ph.p_vaddr = s->vaddr;
		ph.p_filesz = s->filesz;
		ph.p_memsz = s->memsz;
		ph.p_flags = s->flags;
		ph.p_align = CR_PAGE_SIZE;
		if (!gelf_update_phdr(e, i + 1, &ph))
			goto bad;
	}
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	if (elf_update(e, ELF_C_WRITE) < 0)
		goto bad;
	elf_end(e);
	return 0;
bad:
	fprintf(stderr, "crcore: libelf: %s\n", elf_errmsg(-1));
	if (e)
		elf_end(e);
	return -1;
}

static int write_core(struct extract *x, int fd, const char *out)
{
	uint64_t notes_off, notes_len, off, size;
	unsigned char *notes;
	size_t i;
	int ret = -1;

	notes = standard_notes(x, &notes_len);
	if (!notes) {
		fprintf(stderr, "crcore: out of memory\n");
		return -1;
	}
	notes_off = sizeof(Elf64_Ehdr) + (x->nr + 1) * sizeof(Elf64_Phdr);
	size = notes_off + notes_len;
	off = (size + CR_PAGE_SIZE - 1) & ~(CR_PAGE_SIZE - 1);
	for (i = 0; i < x->nr; i++) {
		x->seg[i].dst = off;
		if (!x->seg[i].filesz)
			continue;
		size = off + x->seg[i].filesz;
		off += (x->seg[i].filesz + CR_PAGE_SIZE - 1) & ~(CR_PAGE_SIZE - 1);
	}
	/* libelf writes the headers and truncates the file after them. */
	if (write_headers(x, fd, notes_off, notes_len))
		goto out;
	if (pwrite(fd, notes, notes_len, notes_off) != (ssize_t)notes_len)
		goto io;
	for (i = 0; i < x->nr; i++) {
		const struct out_seg *s = &x->seg[i];

		if (s->filesz && copy_data(fd, x->img->map + s->src, s->filesz, s->dst))
			goto io;
	}
	/* Trailing zeros of the last data are part of the file too. */
	if (ftruncate(fd, size))
		goto io;
	ret = 0;
	goto out;
io:
	fprintf(stderr, "crcore: %s: %s\n", out, strerror(errno ? errno : EIO));
out:
	free(notes);
	return ret;
}

/**
 * extract_image - write a plain core file of an image
 * @img: an image whose container is valid
 * @out: the core file to write (created, or replaced)
 *
 * Return: 0 or -1, after saying why.
 */
int extract_image(struct image *img, const char *out)
{
	struct extract x = { .img = img };
	struct stat st;
	int fd, ret = -1;

	fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "crcore: %s: %s\n", out, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || (st.st_dev == img->st.st_dev && st.st_ino == img->st.st_ino)) {
		fprintf(stderr, "crcore: %s: cannot write the core over its image\n", out);
		close(fd);
		return -1;
	}
	read_runs(&x);
	if (plan_segments(&x, true) || x.nr + 1 > CR_MAX_PHDRS) {
		/* Too many pieces (or no memory for them): the segments as they are. */
		if (plan_segments(&x, false)) {
			fprintf(stderr, "crcore: out of memory\n");
			goto out;
		}
	}
	if (ftruncate(fd, 0)) {
		fprintf(stderr, "crcore: %s: %s\n", out, strerror(errno));
		goto out;
	}
	ret = write_core(&x, fd, out);
out:
	if (close(fd) && !ret) {
		fprintf(stderr, "crcore: %s: %s\n", out, strerror(errno));
		ret = -1;
	}
	free(x.seg);
	free(x.run);
	free(x.vma);
	return ret;
}

/**
 * extract_process - write a plain core file of one process of an image
 * @root: an image whose container is valid
 * @pid: the process: the root's, or another live process of the tree
 * @out: the core file to write (created, or replaced)
 *
 * Return: 0 or -1, after saying why.
 */
int extract_process(struct image *root, int32_t pid, const char *out)
{
	struct report rep = { .path = root->path };
	char prefix[48], buf[64];
	struct image img;
	struct tree t;
	unsigned int i;
	int idx, ret = -1;

	if (tree_read(root, &t)) {
		/* An image without a tree: its one process, by its NT_PRPSINFO. */
		const struct cr_note *ps = image_find_note(root, false, CR_NT_PRPSINFO);

		if (ps && ps->size == sizeof(struct elf_prpsinfo) &&
		    (int32_t)get_u32(ps->desc + offsetof(struct elf_prpsinfo, pr_pid)) == pid) {
			ret = extract_image(root, out);
			goto out;
		}
		fprintf(stderr, "crcore: %s: no process tree (NT_CR_TREE is missing or malformed): cannot find process %d\n",
			root->path, pid);
		goto out;
	}
	idx = tree_find(&t, pid);
	if (idx < 0) {
		fprintf(stderr, "crcore: %s: no process %d in the image; its processes are", root->path,
			pid);
		for (i = 0; i < t.nr && i < 32; i++)
			fprintf(stderr, " %d", t.proc[i].pid);
		fprintf(stderr, "%s\n", t.nr > 32 ? " ..." : "");
		goto out;
	}
	if (!idx) {
		ret = extract_image(root, out);
		goto out;
	}
	if (t.proc[idx].flags & CR_PROC_ZOMBIE) {
		wait_status_string(t.proc[idx].exit_code, buf, sizeof(buf));
		fprintf(stderr, "crcore: %s: process %d is a zombie (%s): it has no memory or threads to extract\n",
			root->path, pid, buf);
		goto out;
	}
	if (!tree_segment(root, &t, idx)) {
		fprintf(stderr, "crcore: %s: process %d: its segment %u is not a process segment\n",
			root->path, pid, t.proc[idx].segment);
		goto out;
	}
	/* As for the root: only a broken container stops extract. */
	snprintf(prefix, sizeof(prefix), "process %d: ", pid);
	rep.prefix = prefix;
	image_open_at(&img, root, t.proc[idx].segment, &rep);
	if (img.notes_ok && img.segments_ok) {
		ret = extract_image(&img, out);
	} else {
		for (i = 0; i < rep.nr_lines; i++)
			fprintf(stderr, "crcore: %s: %s\n", root->path, rep.lines[i]);
	}
	image_close(&img);
out:
	report_free(&rep);
	tree_free(&t);
	return ret;
}
