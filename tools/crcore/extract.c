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
 *
 * Memory a process of a tree has but its image does not store is filled
 * in from where the kernel's restore would take it, so that the debugger
 * sees it: pages of NT_CR_PARENT_PAGES from the parent's image (or its
 * parent's, found as cr_restore_parent_pages_prepare() finds them), and
 * pages of shared anonymous memory from the image of any process of the
 * tree that stores them (the same object, struct cr_vma.shm, at the same
 * offset). The core has no LINUXCR notes: NT_CR_PARENT_PAGES is not in it,
 * those pages are its data like any other; it is a plain core, not an
 * image.
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
	uint64_t src_len;	/* of the image's data, at the start */
	uint64_t src;		/* offset in the image */
	uint64_t dst;		/* offset in the core */
	uint32_t flags;
};

/* Data from elsewhere in the file for [@vaddr, @vaddr + @len). */
struct fill {
	uint64_t vaddr, len;
	uint64_t src;		/* offset in the file */
};

/*
 * Fills: bounded, and the work of finding them, so that no image makes
 * the core much larger than it or extract slow.
 */
#define CR_MAX_FILLS		65536
#define CR_FILL_WORK		(1ULL << 24)

struct extract {
	struct image *img;
	const unsigned char *file;	/* the whole file (the root's mapping) */
	uint64_t file_size;
	struct fill *fill;
	size_t nr_fills, fills_cap;
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
		.vaddr = vaddr, .memsz = memsz, .filesz = filesz, .src_len = filesz, .src = src,
		.flags = flags,
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

/* The segment of the core holding @vaddr (the plan is sorted), or NULL. */
static const struct out_seg *find_seg(const struct extract *x, uint64_t vaddr)
{
	size_t lo = 0, hi = x->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct out_seg *s = &x->seg[mid];

		if (vaddr < s->vaddr)
			hi = mid;
		else if (vaddr - s->vaddr >= s->memsz)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

/* Does a fill land in @s? Then all of it is data in the core. */
static bool seg_filled(const struct extract *x, const struct out_seg *s)
{
	size_t lo = 0, hi = x->nr_fills;

	/* The fills are sorted and do not overlap. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fill *f = &x->fill[mid];

		if (f->vaddr + f->len <= s->vaddr)
			lo = mid + 1;
		else if (f->vaddr >= s->vaddr + s->memsz)
			hi = mid;
		else
			return true;
	}
	return false;
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
		if (seg_filled(x, &x->seg[i]))
			x->seg[i].filesz = x->seg[i].memsz;
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

		if (s->filesz && s->src_len &&
		    copy_data(fd, x->img->map + s->src, s->src_len, s->dst))
			goto io;
	}
	for (i = 0; i < x->nr_fills; i++) {
		uint64_t vaddr = x->fill[i].vaddr, len = x->fill[i].len, src = x->fill[i].src;

		/* A fill may run over adjacent mappings: segment by segment. */
		while (len) {
			const struct out_seg *s = find_seg(x, vaddr);
			uint64_t n;

			if (!s || src > x->file_size || len > x->file_size - src)
				break;
			n = s->vaddr + s->memsz - vaddr;
			if (n > len)
				n = len;
			if (copy_data(fd, x->file + src, n, s->dst + (vaddr - s->vaddr)))
				goto io;
			vaddr += n;
			src += n;
			len -= n;
		}
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

/* The core of @img, with @nr_fills more pieces of data from @root's file. */
static int extract_with(struct image *img, const char *out, const struct image *root,
			struct fill *fill, size_t nr_fills)
{
	struct extract x = { .img = img, .file = root->map, .file_size = root->size,
			     .fill = fill, .nr_fills = nr_fills };
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

static int add_fill(struct fill **fill, size_t *nr, size_t *cap, uint64_t vaddr, uint64_t len,
		    uint64_t src)
{
	if (*nr && (*fill)[*nr - 1].vaddr + (*fill)[*nr - 1].len == vaddr &&
	    (*fill)[*nr - 1].src + (*fill)[*nr - 1].len == src) {
		(*fill)[*nr - 1].len += len;
		return 0;
	}
	if (*nr == CR_MAX_FILLS)
		return -1;
	if (*nr == *cap) {
		size_t ncap = *cap ? 2 * *cap : 64;
		struct fill *n = realloc(*fill, ncap * sizeof(*n));

		if (!n)
			return -1;
		*fill = n;
		*cap = ncap;
	}
	(*fill)[(*nr)++] = (struct fill){ .vaddr = vaddr, .len = len, .src = src };
	return 0;
}

static int cmp_fill(const void *a, const void *b)
{
	const struct fill *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/*
 * The pages of shared memory object @shm, at object offsets [@obj,
 * @obj + @len) (bytes), which process @m stores: fills at @vaddr on.
 */
static void shm_fills(const struct pagemap *m, uint32_t shm, uint64_t obj, uint64_t len,
		      uint64_t vaddr, struct fill **fill, size_t *nr, size_t *cap,
		      uint64_t *budget)
{
	unsigned int i;

	for (i = 0; m->vma && i < m->nr_segs && *budget; i++, --*budget) {
		const struct cr_vma *v = &m->vma[i];
		uint64_t vs, ve, s, e, a;

		if (v->shm != shm || v->kind != CR_VMA_ANON || v->end <= v->start ||
		    v->pgoff > (UINT64_MAX >> CR_PAGE_SHIFT) / 2)
			continue;
		/* The object's bytes this mapping maps, within the range. */
		vs = v->pgoff << CR_PAGE_SHIFT;
		ve = vs + (v->end - v->start);
		s = vs > obj ? vs : obj;
		e = ve < obj + len ? ve : obj + len;
		for (a = s; a < e && *budget; --*budget) {
			uint64_t addr = v->start + (a - vs), avail;
			int64_t pos = pagemap_stored(m, addr, v->start + (e - vs), &avail);

			if (pos >= 0) {
				uint64_t n = avail << CR_PAGE_SHIFT;

				if (n > e - a)
					n = e - a;
				if (add_fill(fill, nr, cap, vaddr + (a - obj), n, pos))
					return;
				a += n;
			} else if (avail) {
				a += avail << CR_PAGE_SHIFT;
			} else {
				break;
			}
		}
	}
}

/*
 * What process @idx has but does not store: its parent's pages and shared
 * memory other processes store. @mem: the pages of every entry of the
 * tree, resolved where they could be.
 */
static size_t tree_fills(const struct tree *t, const struct pagemap *mem, const bool *ok,
			 unsigned int idx, struct fill **fill)
{
	const struct pagemap *m = &mem[idx];
	uint64_t s, budget = CR_FILL_WORK;
	size_t nr = 0, cap = 0;
	unsigned int i, k;

	*fill = NULL;
	for (s = 0; m->resolved && s < m->nr_src; s++)
		if (add_fill(fill, &nr, &cap, m->src[s].start, m->src[s].nr_pages << CR_PAGE_SHIFT,
			     m->src[s].pos))
			break;
	for (i = 0; m->vma && i < m->nr_segs && nr < CR_MAX_FILLS; i++) {
		const struct cr_vma *v = &m->vma[i];

		if (!v->shm || v->kind != CR_VMA_ANON || v->start != m->seg[i].p_vaddr ||
		    v->end != m->seg[i].p_vaddr + m->seg[i].p_memsz ||
		    v->pgoff > (UINT64_MAX >> CR_PAGE_SHIFT) / 2)
			continue;
		/* The process's own pages of it are in its segment already. */
		for (k = 0; k < t->nr && nr < CR_MAX_FILLS; k++)
			if (k != idx && ok[k])
				shm_fills(&mem[k], v->shm, v->pgoff << CR_PAGE_SHIFT,
					  v->end - v->start, v->start, fill, &nr, &cap, &budget);
	}
	if (!nr)
		return 0;
	qsort(*fill, nr, sizeof(**fill), cmp_fill);
	/* Overlaps (several processes store a page): the first one's. */
	for (i = 1, k = 0; i < nr; i++) {
		if ((*fill)[i].vaddr < (*fill)[k].vaddr + (*fill)[k].len) {
			uint64_t end = (*fill)[k].vaddr + (*fill)[k].len;

			if ((*fill)[i].vaddr + (*fill)[i].len <= end)
				continue;
			(*fill)[i].src += end - (*fill)[i].vaddr;
			(*fill)[i].len -= end - (*fill)[i].vaddr;
			(*fill)[i].vaddr = end;
		}
		(*fill)[++k] = (*fill)[i];
	}
	return k + 1;
}

/* Where every live process of the tree has its pages; resolved in its order. */
static void tree_pages(struct image *root, const struct tree *t, struct pagemap *mem, bool *ok)
{
	unsigned int i;

	ok[0] = root->segments_ok && !pagemap_read(&mem[0], root);
	for (i = 1; i < t->nr; i++) {
		struct report scratch = { .path = root->path };
		struct image img;

		if (!tree_segment(root, t, i))
			continue;
		image_open_at(&img, root, t->proc[i].segment, &scratch);
		ok[i] = img.notes_ok && img.segments_ok && !pagemap_read(&mem[i], &img);
		image_close(&img);
		report_free(&scratch);
	}
	for (i = 1; i < t->nr; i++) {
		int32_t p = t->proc[i].parent;
		uint64_t missing;

		if (!ok[i] || p < 0 || (uint32_t)p >= i || !ok[p] ||
		    (mem[p].nr_pruns && !mem[p].resolved))
			continue;
		pagemap_resolve(&mem[i], &mem[p], &missing);
	}
}

/* The core of entry @idx of the tree, with what it shares with the others. */
static int extract_tree_proc(struct image *root, struct image *img, const struct tree *t,
			     unsigned int idx, const char *out)
{
	struct pagemap *mem = calloc(t->nr, sizeof(*mem));
	bool *ok = calloc(t->nr, sizeof(*ok));
	struct fill *fill = NULL;
	size_t nr = 0;
	unsigned int i;
	int ret;

	if (mem && ok && root->map && img->segments_ok) {
		tree_pages(root, t, mem, ok);
		if (ok[idx])
			nr = tree_fills(t, mem, ok, idx, &fill);
	}
	ret = extract_with(img, out, root, fill, nr);
	for (i = 0; mem && i < t->nr; i++)
		pagemap_free(&mem[i]);
	free(mem);
	free(ok);
	free(fill);
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
	struct tree t;
	int ret;

	if (img->nested || tree_read(img, &t))
		return extract_with(img, out, img, NULL, 0);
	ret = extract_tree_proc(img, img, &t, 0, out);
	tree_free(&t);
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
		ret = extract_tree_proc(root, root, &t, 0, out);
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
		ret = extract_tree_proc(root, &img, &t, idx, out);
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
