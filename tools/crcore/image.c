// SPDX-License-Identifier: GPL-2.0
/*
 * crcore: the ELF container of a checkpoint image.
 *
 * The checks and their order are those of kernel/cr/image.c: recognize
 * the image (ELF core file, program header 0 PT_NOTE, first note
 * LINUXCR/NT_CR_HEADER), then the program headers, the segments, the
 * notes and the image header. Unlike the kernel, crcore goes on after a
 * problem where the rest can still be read, so that one run lists them
 * all; a problem that leaves nothing sound to read stops it.
 *
 * An image of a process tree is the root's image, whose last program
 * headers are PT_CR_PROCESS segments: each holds the complete image of
 * one more process, with offsets relative to the segment's start.
 * image_open_at() opens one of them as an image of its own, as the
 * kernel's cr_image_open_at() does; such an image may not hold
 * PT_CR_PROCESS segments itself, so nothing recurses.
 *
 * The file is mapped privately and read through libelf. The kernel reads
 * the ELF header as x86-64 does, natively, and never looks at section
 * headers; libelf would byte-swap a file that claims to be big-endian and
 * refuse section headers that lie outside the file. So that libelf sees
 * what the kernel sees, those fields are normalized in the private copy
 * (see image_normalize()) once the file is known to be an image. Each
 * image of a tree has a mapping of its own, so that normalizing one
 * cannot change what another one read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crcore.h"
#include <linux/cr_rules.h>

/* Is [off, off + len) inside the file? */
bool image_in_file(const struct image *img, uint64_t off, uint64_t len)
{
	return len <= img->size && off <= img->size - len;
}

/*
 * The cheap test of the kernel: ELF core, phdr 0 is PT_NOTE, whose first
 * note is our header. Returns NULL, or why the file is not an image.
 */
static const char *image_recognize(struct image *img)
{
	static const char name[] = CR_NOTE_NAME;
	unsigned char first[sizeof(Elf64_Nhdr) + sizeof(name)];
	Elf64_Ehdr eh = {};
	Elf64_Phdr ph0;
	Elf64_Nhdr nh;

	/* As bprm->buf: the first bytes of the file, zero-padded. */
	memcpy(&eh, img->map, img->size < sizeof(eh) ? img->size : sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return "no ELF magic";
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return "not a 64-bit ELF file";
	if (eh.e_type != ET_CORE)
		return "not an ELF core file";
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return "program header entries are not 56 bytes";
	if (!eh.e_phnum)
		return "no program headers";
	if (!image_in_file(img, eh.e_phoff, sizeof(ph0)))
		return "program header 0 lies outside the file";
	memcpy(&ph0, img->map + eh.e_phoff, sizeof(ph0));
	if (ph0.p_type != PT_NOTE)
		return "program header 0 is not PT_NOTE";
	if (ph0.p_filesz < sizeof(first) ||
	    !image_in_file(img, ph0.p_offset, sizeof(first)))
		return "the note segment is too short or outside the file";
	memcpy(first, img->map + ph0.p_offset, sizeof(first));
	memcpy(&nh, first, sizeof(nh));
	if (nh.n_namesz != sizeof(name) || nh.n_type != NT_CR_HEADER ||
	    memcmp(first + sizeof(nh), name, sizeof(name)))
		return "the first note is not LINUXCR/NT_CR_HEADER";
	return NULL;
}

/*
 * Make libelf read the header as the kernel does (see the top of the
 * file): fields the kernel ignores are set to values libelf accepts. The
 * mapping is private: the file is not changed.
 */
static void image_normalize(struct image *img)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img->map;

	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_shoff = 0;
	eh->e_shnum = 0;
	eh->e_shstrndx = 0;
	eh->e_shentsize = 0;
}

static int image_read_phdrs(struct image *img)
{
	unsigned int i;

	img->phnum = img->ehdr.e_phnum;
	if (rule(img->rep, cr_rule_phdrs(img->path, img->size, img->ehdr.e_phoff, img->phnum)))
		return -1;
	img->phdrs = calloc(img->phnum, sizeof(*img->phdrs));
	if (!img->phdrs) {
		problem(img->rep, "ENOMEM", "out of memory");
		return -1;
	}
	for (i = 0; i < img->phnum; i++) {
		if (!gelf_getphdr(img->elf, i, &img->phdrs[i])) {
			problem(img->rep, "EIO", "libelf cannot read program header %u: %s",
				i, elf_errmsg(-1));
			return -1;
		}
	}
	/* The mappings: in a valid image, every header up to the processes. */
	for (i = 1; i < img->phnum && img->phdrs[i].p_type != PT_CR_PROCESS; i++)
		;
	img->nr_loads = i - 1;
	return 0;
}

/*
 * The segments, by the kernel's rule (cr_rule_segments()). Returns -1
 * when the note segment itself is unusable, 1 when only other segments
 * are bad: the notes can still be read.
 */
static int image_check_segments(struct image *img)
{
	const GElf_Phdr *ph0 = &img->phdrs[0];

	if (!rule(img->rep, cr_rule_segments(img->path, (const struct elf64_phdr *)img->phdrs,
					     img->phnum, img->size, img->nested)))
		return 0;
	return image_in_file(img, ph0->p_offset, ph0->p_filesz) ? 1 : -1;
}

/* Where each note's header is, in the image: for show. */
static void image_note_offsets(struct image *img)
{
	uint64_t off = 0;
	unsigned int i;

	for (i = 0; i < img->nr_notes; i++) {
		Elf64_Nhdr nh;

		memcpy(&nh, img->notes + off, sizeof(nh));
		img->note[i].offset = img->phdrs[0].p_offset + off;
		off += sizeof(nh) + ((nh.n_namesz + CR_NOTE_ALIGN - 1) & ~(CR_NOTE_ALIGN - 1)) +
		       ((nh.n_descsz + CR_NOTE_ALIGN - 1) & ~(CR_NOTE_ALIGN - 1));
	}
}

static int image_read_notes(struct image *img)
{
	const GElf_Phdr *ph = &img->phdrs[0];
	unsigned int count;
	Elf_Data *data;

	if (ph->p_filesz > CR_MAX_NOTES_SIZE) {
		problem(img->rep, "EINVAL", "note segment of %llu bytes, more than %u",
			(unsigned long long)ph->p_filesz, CR_MAX_NOTES_SIZE);
		return -1;
	}
	data = elf_getdata_rawchunk(img->elf, ph->p_offset, ph->p_filesz, ELF_T_BYTE);
	if (!data || data->d_size != ph->p_filesz) {
		problem(img->rep, "EIO", "libelf cannot read the note segment: %s",
			elf_errmsg(-1));
		return -1;
	}
	img->notes = data->d_buf;
	img->notes_len = data->d_size;
	if (rule(img->rep, cr_rule_notes(img->path, img->notes, img->notes_len, NULL, &count)))
		return -1;
	img->note = calloc(count ? count : 1, sizeof(*img->note));
	if (!img->note) {
		problem(img->rep, "ENOMEM", "out of memory");
		return -1;
	}
	img->nr_notes = count;
	if (rule(img->rep, cr_rule_notes(img->path, img->notes, img->notes_len, img->note, &count)))
		return -1;
	image_note_offsets(img);
	return 0;
}

/* NT_CR_HEADER, then the architecture, by the kernel's rules. */
static int image_check_header(struct image *img)
{
	const struct cr_hdr_image *h = &img->hdr;
	int ret;

	ret = cr_rule_header(img->path, img->note, img->nr_notes, &img->hdr);
	/* What show can still use: the header has its size, magic, version. */
	img->hdr_read = img->nr_notes && img->note[0].ours &&
			img->note[0].type == NT_CR_HEADER && img->note[0].size == sizeof(*h) &&
			h->hdr_size == sizeof(*h) && h->magic == CR_IMAGE_MAGIC &&
			h->version == CR_IMAGE_VERSION;
	if (!ret)
		ret = cr_arch_rule_machine(img->path, img->ehdr.e_machine, h);
	return rule(img->rep, ret) ? -1 : 0;
}

/* Recognize the image mapped at @img->map, then read and check its container. */
static int image_load(struct image *img)
{
	const char *why;
	int ret;

	why = image_recognize(img);
	if (why) {
		/* The kernel says EINVAL for a process segment that is no image. */
		if (img->nested)
			problem(img->rep, "EINVAL",
				"process segment at offset %#llx is not a checkpoint image: %s",
				(unsigned long long)img->base, why);
		else
			problem(img->rep, "ENOEXEC", "not a checkpoint image: %s", why);
		return -1;
	}
	img->recognized = true;

	image_normalize(img);
	img->elf = elf_memory((char *)img->map, img->size);
	if (!img->elf || elf_kind(img->elf) != ELF_K_ELF ||
	    !gelf_getehdr(img->elf, &img->ehdr)) {
		problem(img->rep, "EIO", "libelf cannot read the ELF header: %s", elf_errmsg(-1));
		return -1;
	}
	if (image_read_phdrs(img))
		return -1;
	ret = image_check_segments(img);
	if (ret < 0)
		return -1;
	img->segments_ok = !ret;
	if (image_read_notes(img))
		return -1;
	img->notes_ok = true;
	if (image_check_header(img))
		return -1;
	img->hdr_ok = true;
	return img->segments_ok ? 0 : -1;
}

/**
 * image_open - map an image and check its container
 * @img: filled in; release with image_close() whatever the result
 * @path: the file
 * @rep: where problems go
 *
 * Return: 0 when the container and the header are valid, -1 otherwise;
 * the flags of @img say how far the image got.
 */
int image_open(struct image *img, const char *path, struct report *rep)
{
	memset(img, 0, sizeof(*img));
	img->path = path;
	img->rep = rep;
	img->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (img->fd < 0) {
		problem(rep, NULL, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(img->fd, &img->st)) {
		problem(rep, NULL, "cannot stat: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(img->st.st_mode)) {
		problem(rep, "EACCES", "not a regular file");
		return -1;
	}
	img->size = img->st.st_size;
	if (img->size < sizeof(Elf64_Ehdr)) {
		problem(rep, "ENOEXEC", "not a checkpoint image: shorter than an ELF header");
		return -1;
	}
	img->map = mmap(NULL, img->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, img->fd, 0);
	if (img->map == MAP_FAILED) {
		img->map = NULL;
		problem(rep, NULL, "cannot map: %s", strerror(errno));
		return -1;
	}
	img->mapping = img->map;
	img->mapping_len = img->size;
	return image_load(img);
}

/**
 * image_open_at - open the image of one more process of a tree
 * @img: filled in; release with image_close() whatever the result
 * @root: the root's image, open, whose program header @seg is the
 *	PT_CR_PROCESS segment of the process
 * @seg: that program header
 * @rep: where problems go
 *
 * As the kernel's cr_image_open_at(): the segment must be an image (else
 * EINVAL, not ENOEXEC), with the container rules of any image, and hold
 * one process.
 *
 * Return: 0 when the container and the header are valid, -1 otherwise;
 * the flags of @img say how far the image got.
 */
int image_open_at(struct image *img, const struct image *root, unsigned int seg,
		  struct report *rep)
{
	const GElf_Phdr *ph;
	uint64_t start;
	long page;

	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->nested = true;
	img->path = root->path;
	img->rep = rep;
	img->st = root->st;
	if (seg >= root->phnum || root->phdrs[seg].p_type != PT_CR_PROCESS || root->nested) {
		problem(rep, "EINVAL", "program header %u is not a process segment", seg);
		return -1;
	}
	ph = &root->phdrs[seg];
	if (!ph->p_offset) {
		problem(rep, "EINVAL", "process segment %u starts at offset 0: it is the root's image",
			seg);
		return -1;
	}
	/* As the root's container check: aligned, so is the image's mapping. */
	if ((ph->p_offset & (CR_PAGE_SIZE - 1)) ||
	    !image_in_file(root, ph->p_offset, ph->p_filesz)) {
		problem(rep, "EINVAL", "process segment %u [%#llx+%#llx] is unaligned or outside the file",
			seg, (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz);
		return -1;
	}
	img->base = ph->p_offset;
	img->size = ph->p_filesz;
	if (img->size < sizeof(Elf64_Ehdr)) {
		problem(rep, "EINVAL",
			"process segment at offset %#llx is not a checkpoint image: shorter than an ELF header",
			(unsigned long long)img->base);
		return -1;
	}
	/* Its own private mapping, from the host page its data starts in. */
	page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		page = CR_PAGE_SIZE;
	start = img->base - img->base % page;
	img->mapping_len = img->base - start + img->size;
	img->mapping = mmap(NULL, img->mapping_len, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			    root->fd, start);
	if (img->mapping == MAP_FAILED) {
		img->mapping = NULL;
		problem(rep, NULL, "cannot map process segment %u: %s", seg, strerror(errno));
		return -1;
	}
	img->map = (unsigned char *)img->mapping + (img->base - start);
	if (image_load(img))
		return -1;
	if (img->hdr.nr_processes != 1) {
		problem(rep, "EINVAL", "process segment at offset %#llx holds %u processes, not 1",
			(unsigned long long)img->base, img->hdr.nr_processes);
		return -1;
	}
	return 0;
}

void image_close(struct image *img)
{
	if (img->elf)
		elf_end(img->elf);
	if (img->mapping)
		munmap(img->mapping, img->mapping_len);
	if (img->fd >= 0)
		close(img->fd);
	free(img->phdrs);
	free(img->note);
	memset(img, 0, sizeof(*img));
	img->fd = -1;
}

/**
 * image_find_note - the first note of a type, as the kernel looks it up
 * @img: an image whose container is valid
 * @ours: among LINUXCR notes (true) or the others (false)
 * @type: note type
 *
 * Return: the note, or NULL.
 */
const struct cr_note *image_find_note(const struct image *img, bool ours,
				      uint32_t type)
{
	unsigned int i;

	for (i = 0; i < img->nr_notes; i++)
		if (img->note[i].ours == ours && img->note[i].type == type)
			return &img->note[i];
	return NULL;
}

/**
 * tree_read - NT_CR_TREE as the image has it
 * @img: an image whose notes parse
 * @t: filled in; release with tree_free() whatever the result
 *
 * The entries are those of the note when its size is that of a header
 * and its nr_procs entries, at most CR_MAX_PROCESSES; they are not
 * checked (check.c does that).
 *
 * Return: 0, or -1 when the note is missing, malformed or memory is short.
 */
int tree_read(const struct image *img, struct tree *t)
{
	const struct cr_note *note = img->notes_ok ? image_find_note(img, true, NT_CR_TREE) : NULL;
	struct cr_hdr_tree h;

	memset(t, 0, sizeof(*t));
	if (!note || note->size < sizeof(h))
		return -1;
	memcpy(&h, note->desc, sizeof(h));
	if (h.nr_procs > CR_MAX_PROCESSES ||
	    note->size != sizeof(h) + (uint64_t)h.nr_procs * sizeof(struct cr_proc))
		return -1;
	t->proc = calloc(h.nr_procs ? h.nr_procs : 1, sizeof(*t->proc));
	if (!t->proc)
		return -1;
	memcpy(t->proc, note->desc + sizeof(h), (size_t)h.nr_procs * sizeof(*t->proc));
	t->nr = h.nr_procs;
	t->pad = h.__pad;
	return 0;
}

void tree_free(struct tree *t)
{
	free(t->proc);
	memset(t, 0, sizeof(*t));
}

/**
 * creds_read - NT_CR_CREDS as far as the image has it
 * @img: an image whose notes parse
 * @h: filled with the note's header
 * @groups: set to its groups (unaligned __u32 ids)...
 * @nr: ...as many as lie in the note, at most the header's nr_groups
 *
 * The note is not checked (check.c does that).
 *
 * Return: false when the note is missing or shorter than its header.
 */
bool creds_read(const struct image *img, struct cr_hdr_creds *h, const unsigned char **groups,
		uint32_t *nr)
{
	return creds_read_note(image_find_note(img, true, NT_CR_CREDS), 0, h, groups, nr);
}

/**
 * creds_read_note - NT_CR_CREDS's layout in @note from byte @skip on
 * @note: NT_CR_CREDS, or a thread's NT_CR_THREAD_CREDS (@skip: its ids), or NULL
 * @skip: where the layout starts
 * @h: filled with its header (zero if there is none)
 * @groups: set to its groups (unaligned)
 * @nr: set to how many of them the note holds
 *
 * Return: false without the note, or when it is shorter than the header.
 */
bool creds_read_note(const struct cr_note *note, size_t skip, struct cr_hdr_creds *h,
		     const unsigned char **groups, uint32_t *nr)
{
	uint64_t fit;

	memset(h, 0, sizeof(*h));
	*groups = NULL;
	*nr = 0;
	if (!note || note->size < skip + sizeof(*h))
		return false;
	memcpy(h, note->desc + skip, sizeof(*h));
	*groups = note->desc + skip + sizeof(*h);
	fit = (note->size - skip - sizeof(*h)) / sizeof(uint32_t);
	*nr = h->nr_groups < fit ? h->nr_groups : fit;
	return true;
}

/* The first entry of process @pid, or -1. */
int tree_find(const struct tree *t, int32_t pid)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (t->proc[i].pid == pid)
			return i;
	return -1;
}

/*
 * Does entry @i name a process segment of @root: a live process other
 * than the root, whose segment is a PT_CR_PROCESS program header?
 */
bool tree_segment(const struct image *root, const struct tree *t, unsigned int i)
{
	const struct cr_proc *e;

	if (!i || i >= t->nr)
		return false;
	e = &t->proc[i];
	return !(e->flags & CR_PROC_ZOMBIE) && e->segment && e->segment < root->phnum &&
	       root->phdrs[e->segment].p_type == PT_CR_PROCESS;
}

/*
 * Where the pages of a process are. A sound image's NT_CR_PAGES says
 * which pages its segments store; a descendant's NT_CR_PARENT_PAGES, which
 * pages are its parent's, found where the parent has them (stored, or
 * its own parent's) as the kernel's cr_restore_parent_pages_prepare()
 * and cr_page_pos() find them.
 */

static bool runs_sorted(const struct cr_page_run *run, uint64_t nr)
{
	uint64_t i, prev_end = 0;

	for (i = 0; i < nr; i++) {
		if (!run[i].nr_pages || run[i].nr_pages > CR_TASK_SIZE_MAX >> CR_PAGE_SHIFT ||
		    (run[i].start & (CR_PAGE_SIZE - 1)) || run[i].start < prev_end ||
		    run[i].start >= CR_TASK_SIZE_MAX)
			return false;
		prev_end = run[i].start + (run[i].nr_pages << CR_PAGE_SHIFT);
	}
	return true;
}

/* The segment holding [@start, @end), within its first @file bytes if @data. */
static int pagemap_seg(const struct pagemap *m, uint64_t start, uint64_t end, bool data)
{
	unsigned int lo = 0, hi = m->nr_segs;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const GElf_Phdr *ph = &m->seg[mid];

		if (start < ph->p_vaddr) {
			hi = mid;
		} else if (start >= ph->p_vaddr + ph->p_memsz) {
			lo = mid + 1;
		} else {
			if (end > ph->p_vaddr + (data ? ph->p_filesz : ph->p_memsz))
				return -1;
			return mid;
		}
	}
	return -1;
}

static struct cr_page_run *runs_copy(const struct cr_note *note, uint64_t *nr)
{
	struct cr_page_run *run;

	*nr = 0;
	if (!note || note->size % sizeof(*run) || !note->size)
		return NULL;
	run = malloc(note->size);
	if (!run)
		return NULL;
	memcpy(run, note->desc, note->size);
	*nr = note->size / sizeof(*run);
	if (!runs_sorted(run, *nr)) {
		free(run);
		*nr = 0;
		return NULL;
	}
	return run;
}

/**
 * pagemap_read - the page runs of an image, when they are sound
 * @m: filled in; release with pagemap_free() whatever the result
 * @img: an image whose segments are valid
 *
 * Runs that are not sorted, or lie outside the stored part of a segment,
 * are dropped (NT_CR_PAGES), or outside a private anonymous mapping or
 * over a stored page (NT_CR_PARENT_PAGES).
 *
 * Return: 0, or -1 when a note had to be dropped or memory is short.
 */
int pagemap_read(struct pagemap *m, const struct image *img)
{
	const struct cr_note *vn = image_find_note(img, true, NT_CR_VMAS);
	uint64_t i;
	int ret = 0;

	memset(m, 0, sizeof(*m));
	m->base = img->base;
	m->nr_segs = img->nr_loads;
	m->seg = malloc((m->nr_segs ? m->nr_segs : 1) * sizeof(*m->seg));
	if (!m->seg)
		return -1;
	memcpy(m->seg, img->phdrs + 1, m->nr_segs * sizeof(*m->seg));
	if (vn && vn->size == (uint64_t)m->nr_segs * sizeof(struct cr_vma)) {
		m->vma = malloc(vn->size ? vn->size : 1);
		if (!m->vma)
			return -1;
		memcpy(m->vma, vn->desc, vn->size);
	}
	m->run = runs_copy(image_find_note(img, true, NT_CR_PAGES), &m->nr_runs);
	for (i = 0; i < m->nr_runs; i++) {
		uint64_t end = m->run[i].start + (m->run[i].nr_pages << CR_PAGE_SHIFT);

		if (pagemap_seg(m, m->run[i].start, end, true) < 0) {
			free(m->run);
			m->run = NULL;
			m->nr_runs = 0;
			ret = -1;
			break;
		}
	}
	m->prun = runs_copy(image_find_note(img, true, NT_CR_PARENT_PAGES), &m->nr_pruns);
	for (i = 0; i < m->nr_pruns; i++) {
		uint64_t start = m->prun[i].start, end = start + (m->prun[i].nr_pages << CR_PAGE_SHIFT);
		int s = pagemap_seg(m, start, end, false);
		uint64_t avail;

		if (s < 0 || !m->vma || m->vma[s].kind != CR_VMA_ANON ||
		    (m->vma[s].flags & CR_VMA_SHARED) ||
		    pagemap_stored(m, start, end, &avail) >= 0 ||
		    (avail && avail < (end - start) >> CR_PAGE_SHIFT)) {
			free(m->prun);
			m->prun = NULL;
			m->nr_pruns = 0;
			ret = -1;
			break;
		}
	}
	return ret;
}

/**
 * pagemap_stored - where the image stores a page
 * @m: the process's pages
 * @addr: a page address...
 * @end: ...and the end of the range looked at
 * @avail: the pages stored from there in one piece; or, when @addr is not
 *	stored, those before the next stored page of [@addr, @end) (0: none)
 *
 * Return: the page's offset in the file, or -1 when the image does not
 * store it.
 */
int64_t pagemap_stored(const struct pagemap *m, uint64_t addr, uint64_t end,
		       uint64_t *avail)
{
	uint64_t lo = 0, hi = m->nr_runs;

	*avail = 0;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		const struct cr_page_run *run = &m->run[mid];
		uint64_t rend = run->start + (run->nr_pages << CR_PAGE_SHIFT);

		if (addr < run->start) {
			hi = mid;
		} else if (addr >= rend) {
			lo = mid + 1;
		} else {
			const GElf_Phdr *ph = &m->seg[pagemap_seg(m, run->start, rend, true)];

			*avail = (rend - addr) >> CR_PAGE_SHIFT;
			return m->base + ph->p_offset + (addr - ph->p_vaddr);
		}
	}
	/* lo: the first run after @addr. */
	if (lo < m->nr_runs && m->run[lo].start < end)
		*avail = (m->run[lo].start - addr) >> CR_PAGE_SHIFT;
	return -1;
}

/*
 * As the kernel's cr_page_pos(): stored, or found in the parent's; a
 * stored page counts only in private anonymous memory.
 */
static int64_t pagemap_pos(const struct pagemap *m, uint64_t addr, uint64_t *avail)
{
	uint64_t lo = 0, hi = m->nr_src;
	int64_t pos = pagemap_stored(m, addr, addr + CR_PAGE_SIZE, avail);

	if (pos >= 0) {
		int s = pagemap_seg(m, addr, addr + CR_PAGE_SIZE, false);

		if (s < 0 || !m->vma || m->vma[s].kind != CR_VMA_ANON ||
		    (m->vma[s].flags & CR_VMA_SHARED))
			return -1;
		return pos;
	}
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		const struct page_src *src = &m->src[mid];
		uint64_t end = src->start + (src->nr_pages << CR_PAGE_SHIFT);

		if (addr < src->start) {
			hi = mid;
		} else if (addr >= end) {
			lo = mid + 1;
		} else {
			*avail = (end - addr) >> CR_PAGE_SHIFT;
			return src->pos + (addr - src->start);
		}
	}
	return -1;
}

/**
 * pagemap_resolve - find the parent's copy of a descendant's inherited pages
 * @m: the descendant's pages
 * @parent: its parent's, resolved already
 * @missing: the first page the parent has not, on failure
 *
 * Return: 0, -1 when the parent has not a page (@missing), -2 when memory
 * is short.
 */
int pagemap_resolve(struct pagemap *m, const struct pagemap *parent, uint64_t *missing)
{
	uint64_t i, cap = 0;

	for (i = 0; i < m->nr_pruns; i++) {
		uint64_t addr = m->prun[i].start;
		uint64_t end = addr + (m->prun[i].nr_pages << CR_PAGE_SHIFT);

		while (addr < end) {
			uint64_t avail, pages;
			int64_t pos = pagemap_pos(parent, addr, &avail);
			struct page_src *src;

			if (pos < 0) {
				*missing = addr;
				return -1;
			}
			pages = avail < (end - addr) >> CR_PAGE_SHIFT ?
				avail : (end - addr) >> CR_PAGE_SHIFT;
			src = m->nr_src ? &m->src[m->nr_src - 1] : NULL;
			if (src && src->start + (src->nr_pages << CR_PAGE_SHIFT) == addr &&
			    src->pos + (src->nr_pages << CR_PAGE_SHIFT) == (uint64_t)pos) {
				src->nr_pages += pages;
			} else {
				if (m->nr_src == cap) {
					struct page_src *a;

					cap = cap ? 2 * cap : 16;
					a = realloc(m->src, cap * sizeof(*a));
					if (!a)
						return -2;
					m->src = a;
				}
				src = &m->src[m->nr_src++];
				src->start = addr;
				src->nr_pages = pages;
				src->pos = pos;
			}
			addr += pages << CR_PAGE_SHIFT;
		}
	}
	m->resolved = true;
	return 0;
}

/**
 * pagemap_find - where the data of a page is, in the file
 * @m: the process's pages, resolved
 * @addr: a page address
 * @avail: set to the pages that follow in one piece
 *
 * Return: the offset in the file, or -1 (not stored: zero, or a file's).
 */
int64_t pagemap_find(const struct pagemap *m, uint64_t addr, uint64_t *avail)
{
	return pagemap_pos(m, addr, avail);
}

void pagemap_free(struct pagemap *m)
{
	free(m->seg);
	free(m->vma);
	free(m->run);
	free(m->prun);
	free(m->src);
	memset(m, 0, sizeof(*m));
}
