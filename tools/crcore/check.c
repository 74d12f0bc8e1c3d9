// SPDX-License-Identifier: GPL-2.0
/*
 * crcore: the contents of an image, checked with the rules of the
 * kernel's restore side, in its order. The rules of the container, the
 * threads, the registers and the signal dispositions are the kernel's
 * own (kernel/cr/rules.c and arch/x86/cr/rules.c, <linux/cr_rules.h>),
 * compiled into crcore; this file applies them with rule(), one at a
 * time so that every rule an image breaks is listed. The others are
 * still written here a second time, after the kernel functions named
 * below, until they move into the shared rules:
 *
 *   tree		kernel/cr/tree.c	cr_tree_read_note(), cr_tree_check()
 *   pipes, FIFOs	kernel/cr/files.c	cr_restore_pipes_prepare(),
 *						cr_restore_pipe()
 *   socket pairs	kernel/cr/socket.c	cr_restore_sockets_prepare()
 *   pty pairs		kernel/cr/tty.c		cr_restore_ttys_prepare(),
 *						cr_restore_tty()
 *
 * then, for the root and, in the order of the tree, for each other live
 * process (kernel/cr/tree.c cr_restore_tree_prepare()), whose segment is
 * first opened as an image of its own (kernel/cr/image.c
 * cr_image_open_at(), in image.c), cr_restore_one_prepare():
 *
 *   threads		kernel/cr/task.c	cr_restore_task_prepare()
 *			(shared: cr_arch_rule_prstatus(), cr_arch_rule_xstate(),
 *			cr_rule_thread(), cr_rule_sigpending())
 *   memory		(shared: cr_rule_mm(), cr_rule_nt_file(), cr_rule_vmas(),
 *			cr_rule_pages(), cr_rule_pruns(), cr_rule_mm_fields(),
 *			cr_rule_vdso())
 *   signals		(shared: cr_rule_sighand())
 *   process		(shared: cr_rule_process())
 *   descriptors	kernel/cr/files.c	cr_restore_files_prepare(),
 *						cr_restore_open_fd()
 *
 * and last the pages descendants share with their parent
 * (cr_restore_parent_pages_prepare(), in the order of the tree). The
 * open files of the tree (struct cr_fd.file_id) are followed as the
 * kernel registers them: the ends of the pipes, then of the socket
 * pairs, then of the pty pairs, then each descriptor that opens a file,
 * in the order above.
 *
 * Rules that depend on the restoring system or the caller (files to
 * open, the CPU's XSAVE layout, sysctls, the running kernel's vdso, the
 * ids of cr_tree_ids_prepare()) are left out; see check_list_skipped().
 * Where the kernel stops at the first problem, crcore goes on, so that
 * the first line it prints is the kernel's refusal and the others are
 * what would come next. The problems of a process other than the root
 * start with "process PID: " (or "process segment N: " for a segment no
 * entry of the tree names).
 */
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crcore.h"
#include <linux/cr_rules.h>

/* Status flags a descriptor may keep (CR_FD_OPEN_FLAGS, kernel values). */
#define CR_FD_OPEN_FLAGS	(03 | 02000 | 04000 | 010000 | 04000000 | 040000 |	\
				 0100000 | 01000000 | 010000000 | 0200000)

#define CR_MAX_LFS_FILESIZE	((uint64_t)LLONG_MAX)


/* What an open file of the tree is, as cr_restore_open_fd() tells them apart. */
enum file_class {
	FC_NONE,
	FC_REG,		/* CR_FD_FILE, CR_FD_UNLINKED */
	FC_DIR,
	FC_CHR,
	FC_PIPE_R,	/* an end of a pipe or FIFO of NT_CR_PIPES: O_RDONLY, */
	FC_PIPE_W,	/* O_WRONLY, */
	FC_PIPE_RW,	/* O_RDWR */
	FC_SOCK,	/* an end of a pair of NT_CR_SOCKETS */
	FC_TTY_R,	/* an end of a pty pair of NT_CR_TTYS: O_RDONLY, */
	FC_TTY_W,	/* O_WRONLY, */
	FC_TTY_RW,	/* O_RDWR */
};

/* The tree's open files by id (the kernel's cr_tree.files): open addressing. */
struct file_ids {
	uint32_t *id;
	unsigned char *class;
	size_t cap, nr;
};

/* What the checks of the processes of a tree share. */
struct tree_state {
	struct file_ids files;
	unsigned int nr;		/* entries of the tree, or 1 without one */
	struct pagemap *mem;		/* per entry: its pages, when sound */
	bool *mem_ok;
};

struct checker {
	struct image *img;
	struct tree_state *ts;
	unsigned int idx;		/* its entry in the tree */
	struct report *rep;
	const struct cr_proc *proc;	/* the process's entry in the tree, or NULL */
	unsigned int part_count;	/* problems in the current part */
	unsigned int nr_vmas;		/* PT_LOAD segments */
	struct cr_vma *vma;		/* NT_CR_VMAS, if it has the right size */
	struct cr_hdr_mm mm;
	bool mm_ok;			/* @mm read */
	u64 nr_files;			/* entries of NT_FILE, when valid */
	unsigned int total;		/* problems found */
};

__printf(3, 4)
static void bad(struct checker *c, const char *err, const char *fmt, ...);

/* One problem, unless the current part has reported CR_MAX_REPORT. */
static void bad(struct checker *c, const char *err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	c->total++;
	if (++c->part_count > CR_MAX_REPORT)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	problem(c->rep, err, "%s", msg);
}

static void part_begin(struct checker *c)
{
	c->part_count = 0;
}

static void part_end(struct checker *c, const char *what)
{
	if (c->part_count > CR_MAX_REPORT)
		problem(c->rep, NULL, "%s: %u more problems", what,
			c->part_count - CR_MAX_REPORT);
	c->part_count = 0;
}

static uint64_t id_hash(uint32_t id, size_t cap)
{
	return ((uint64_t)id * 0x9e3779b97f4a7c15ULL >> 17) & (cap - 1);
}

/* The class of open file @id of the tree, or FC_NONE. */
static enum file_class file_get(const struct file_ids *f, uint32_t id)
{
	size_t i;

	if (!f->cap || !id)
		return FC_NONE;
	for (i = id_hash(id, f->cap); f->id[i]; i = (i + 1) & (f->cap - 1))
		if (f->id[i] == id)
			return f->class[i];
	return FC_NONE;
}

/* As cr_tree_add_file(): -EBUSY (1) when @id is there, -1 when memory is short. */
static int file_add(struct file_ids *f, uint32_t id, enum file_class class)
{
	size_t i;

	if (file_get(f, id) != FC_NONE)
		return 1;
	if (2 * (f->nr + 1) > f->cap) {
		struct file_ids n = { .cap = f->cap ? 2 * f->cap : 64 };

		n.id = calloc(n.cap, sizeof(*n.id));
		n.class = calloc(n.cap, sizeof(*n.class));
		if (!n.id || !n.class) {
			free(n.id);
			free(n.class);
			return -1;
		}
		for (i = 0; i < f->cap; i++)
			if (f->id[i])
				file_add(&n, f->id[i], f->class[i]);
		free(f->id);
		free(f->class);
		*f = n;
	}
	for (i = id_hash(id, f->cap); f->id[i]; i = (i + 1) & (f->cap - 1))
		;
	f->id[i] = id;
	f->class[i] = class;
	f->nr++;
	return 0;
}

static const struct cr_note *find(struct checker *c, bool ours, uint32_t type)
{
	return image_find_note(c->img, ours, type);
}

/* Thread */

/* One thread: the notes from its NT_PRSTATUS up to the next one. */
static void check_thread(struct checker *c, unsigned int n, unsigned int first,
			 unsigned int end, bool main)
{
	const struct cr_note *st = &c->img->note[first], *xstate = NULL;
	const struct cr_note *thn = NULL, *pn = NULL;
	struct user_regs_struct regs;
	struct cr_hdr_thread th;
	unsigned int i;

	for (i = first + 1; i < end; i++) {
		const struct cr_note *note = &c->img->note[i];

		if (!note->ours && note->type == CR_NT_X86_XSTATE)
			xstate = xstate ? xstate : note;
		else if (note->ours && note->type == NT_CR_THREAD)
			thn = thn ? thn : note;
		else if (note->ours && note->type == NT_CR_SIGPENDING)
			pn = pn ? pn : note;
	}
	/* Each rule of the kernel's on its own, so that all are reported. */
	rule(c->rep, cr_arch_rule_prstatus(c->img->path, n, st, &regs));
	rule(c->rep, cr_arch_rule_xstate(c->img->path, n, xstate));
	rule(c->rep, cr_rule_thread(c->img->path, n, thn, &th));
	rule(c->rep, cr_rule_sigpending(c->img->path, n, pn, main));
}

static void check_task(struct checker *c)
{
	const struct cr_hdr_image *h = &c->img->hdr;
	unsigned int i, n = 0, first = 0;
	const struct cr_note *ps;

	part_begin(c);
	for (i = 0; i < c->img->nr_notes; i++)
		if (!c->img->note[i].ours && c->img->note[i].type == CR_NT_PRSTATUS)
			n++;
	/*
	 * The count is the tree entry's; for a process other than the root,
	 * also its own header's. Without a tree (which the tree check
	 * reports), the header's, when it has one process.
	 */
	if (!n)
		bad(c, "EINVAL", "image holds no thread state (NT_PRSTATUS)");
	else if (c->proc && n != c->proc->nr_threads)
		bad(c, "EINVAL", "image holds %u threads, its entry in the tree says %u",
		    n, c->proc->nr_threads);
	else if (n != h->nr_threads && (c->img->nested || (!c->proc && h->nr_processes == 1)))
		bad(c, "EINVAL", "image holds %u threads, its header says %u", n, h->nr_threads);
	/* Exec turns into the first thread, the thread group leader. */
	for (i = 0, n = 0; i <= c->img->nr_notes; i++) {
		if (i < c->img->nr_notes &&
		    (c->img->note[i].ours || c->img->note[i].type != CR_NT_PRSTATUS))
			continue;
		if (n)
			check_thread(c, n, first, i, n == 1);
		first = i;
		n++;
	}
	ps = find(c, false, CR_NT_PRPSINFO);
	if (!ps || ps->size != CR_PRPSINFO_SIZE)
		bad(c, "EINVAL", "NT_PRPSINFO is missing or has the wrong size");
	part_end(c, "threads");
}

/* Memory */

/*
 * The memory, by the kernel's rules, each on its own where what it needs
 * is sound: NT_CR_MM, NT_FILE, NT_CR_VMAS, NT_CR_PAGES,
 * NT_CR_PARENT_PAGES, the layout and the vdso.
 */
static void check_mm(struct checker *c)
{
	const char *path = c->img->path;
	const struct cr_vma *vdso, *vvar;
	unsigned int before = c->total, problems = c->rep->count;
	bool pages_ok;

	c->nr_vmas = c->img->nr_loads;
	if (!rule(c->rep, cr_rule_mm(path, find(c, true, NT_CR_MM),
				     (const struct elf64_phdr *)c->img->phdrs, c->img->phnum,
				     &c->mm))) {
		c->mm_ok = true;
		c->nr_vmas = c->mm.nr_vmas;
	} else {
		c->mm_ok = find(c, true, NT_CR_MM) &&
			   find(c, true, NT_CR_MM)->size == sizeof(c->mm);
	}
	if (rule(c->rep, cr_rule_nt_file(path, find(c, false, CR_NT_FILE), c->nr_vmas,
					 &c->nr_files, NULL)))
		c->nr_files = 0;
	c->vma = calloc(c->nr_vmas ? c->nr_vmas : 1, sizeof(*c->vma));
	if (!c->vma) {
		problem(c->rep, "ENOMEM", "out of memory");
		return;
	}
	if (rule(c->rep, cr_rule_vmas(path, find(c, true, NT_CR_VMAS),
				      (const struct elf64_phdr *)c->img->phdrs, c->nr_vmas,
				      c->nr_files, c->vma))) {
		/* The rest needs the mappings. */
		free(c->vma);
		c->vma = NULL;
		return;
	}
	pages_ok = !rule(c->rep, cr_rule_pages(path, find(c, true, NT_CR_PAGES),
					       (const struct elf64_phdr *)c->img->phdrs,
					       c->vma, c->nr_vmas));
	if (pages_ok)
		rule(c->rep, cr_rule_pruns(path, find(c, true, NT_CR_PARENT_PAGES),
					   c->img->nested, find(c, true, NT_CR_PAGES),
					   c->vma, c->nr_vmas));
	if (c->mm_ok) {
		rule(c->rep, cr_rule_mm_fields(path, &c->mm, c->vma, c->nr_vmas));
		rule(c->rep, cr_rule_vdso(path, &c->mm, c->vma, c->nr_vmas, &vdso, &vvar));
	}
	c->total += c->rep->count - problems;
	/* Sound memory: where its pages are, for its descendants. */
	if (c->total == before && c->ts && c->idx < c->ts->nr) {
		pagemap_free(&c->ts->mem[c->idx]);
		c->ts->mem_ok[c->idx] = !pagemap_read(&c->ts->mem[c->idx], c->img);
	}
}

/* Signals: the dispositions of the process (cr_restore_signal_prepare()). */

static void check_signal(struct checker *c)
{
	struct cr_sigaction sa[CR_NSIG];

	rule(c->rep, cr_rule_sighand(c->img->path, find(c, true, NT_CR_SIGHAND), sa));
}

/* Process attributes */

static void check_process(struct checker *c)
{
	struct cr_hdr_process h;
	const char *cwd;

	rule(c->rep, cr_rule_process(c->img->path, find(c, true, NT_CR_PROCESS), &h, &cwd));
}

/* Descriptors */

/* A NUL-terminated string of the data area, or NULL (cr_fd_string()). */
static const char *fd_string(const char *data, uint64_t data_len, uint32_t off,
			     uint32_t len)
{
	if (!len || off > data_len || len > data_len - off)
		return NULL;
	if (data[off + len - 1] || memchr(data + off, '\0', len - 1))
		return NULL;
	return data + off;
}

static const char *fd_entry_problem(const struct cr_fd *e, const struct cr_fd *prev,
				    const char *data, uint64_t data_len)
{
	if (e->fd < 0)
		return "negative descriptor";
	if (prev && e->fd <= prev->fd)
		return "not after the previous one";
	if (e->kind > CR_FD_TTY)
		return "unknown kind";
	if (e->flags & ~(uint32_t)CR_FD_OPEN_FLAGS)
		return "unknown open flags";
	if (e->fd_flags & ~CR_FD_CLOEXEC)
		return "unknown descriptor flags";
	if (!e->file_id)
		return "no open file id";
	if (e->kind != CR_FD_UNLINKED && (e->data_off || e->data_len))
		return "contents for a file that is not unlinked";
	if (e->path_len && !fd_string(data, data_len, e->path_off, e->path_len))
		return "path outside the data area or not terminated";
	if (e->pos > CR_MAX_LFS_FILESIZE)
		return "offset too large";
	return NULL;
}

static enum file_class fd_class(uint32_t kind)
{
	switch (kind) {
	case CR_FD_FILE:
	case CR_FD_UNLINKED:
		return FC_REG;
	case CR_FD_DIR:
		return FC_DIR;
	case CR_FD_DEV:
		return FC_CHR;
	default:
		return FC_NONE;
	}
}

/* The class of a pipe end of access mode @flags & O_ACCMODE (3: none). */
static enum file_class pipe_class(uint32_t flags)
{
	static const enum file_class class[4] = { FC_PIPE_R, FC_PIPE_W, FC_PIPE_RW, FC_NONE };

	return class[flags & 03];
}

/* The same for an end of a pty pair. */
static enum file_class tty_class(uint32_t flags)
{
	static const enum file_class class[4] = { FC_TTY_R, FC_TTY_W, FC_TTY_RW, FC_NONE };

	return class[flags & 03];
}

/*
 * cr_restore_open_fd(): a descriptor of a pipe or a socket pair names an
 * end the notes made, with its access mode; one of another kind that
 * names an open file already made shares it, if of the same kind (and
 * is then not reopened: no path needed); else its file is opened by path.
 * Returns false when the kernel refuses it.
 */
static bool check_open_fd(struct checker *c, const struct cr_fd *e, const char *data,
			  uint64_t data_len)
{
	enum file_class have, want;
	const char *path;

	if (e->kind == CR_FD_INHERIT)
		return true;
	have = c->ts ? file_get(&c->ts->files, e->file_id) : FC_NONE;
	if (e->kind == CR_FD_SOCKET) {
		if (have != FC_SOCK) {
			bad(c, "EINVAL", "fd %d names no socket of the tree (open file %u)",
			    e->fd, e->file_id);
			return false;
		}
		return true;
	}
	if (e->kind == CR_FD_PIPE) {
		want = pipe_class(e->flags);
		if (want == FC_NONE || have != want) {
			bad(c, "EINVAL", "fd %d names no pipe end of the tree (open file %u, %s)",
			    e->fd, e->file_id,
			    have == FC_PIPE_R || have == FC_PIPE_W || have == FC_PIPE_RW ?
			    "another access mode" : "not a pipe end");
			return false;
		}
		return true;
	}
	if (e->kind == CR_FD_TTY) {
		want = tty_class(e->flags);
		if (want == FC_NONE || have != want) {
			bad(c, "EINVAL", "fd %d names no pty end of the tree (open file %u, %s)",
			    e->fd, e->file_id,
			    have == FC_TTY_R || have == FC_TTY_W || have == FC_TTY_RW ?
			    "another access mode" : "not a pty end");
			return false;
		}
		return true;
	}
	if (have != FC_NONE) {
		if (have != fd_class(e->kind)) {
			bad(c, "EINVAL", "fd %d shares an open file of another kind (open file %u)",
			    e->fd, e->file_id);
			return false;
		}
		return true;
	}
	path = fd_string(data, data_len, e->path_off, e->path_len);
	if (!path || path[0] != '/') {
		bad(c, "EINVAL", "fd %d has no absolute path", e->fd);
		return false;
	}
	if (e->kind == CR_FD_UNLINKED &&
	    (e->data_len > CR_MAX_UNLINKED || e->data_off > data_len ||
	     e->data_len > data_len - e->data_off)) {
		bad(c, "EINVAL", "fd %d: the contents of its unlinked file lie outside the note or exceed %u bytes",
		    e->fd, CR_MAX_UNLINKED);
		return false;
	}
	/* Opened (which only the restoring system can tell): the tree's now. */
	if (c->ts && file_add(&c->ts->files, e->file_id, fd_class(e->kind)) < 0)
		bad(c, "ENOMEM", "out of memory");
	return true;
}

static void check_files(struct checker *c)
{
	const struct cr_note *note = find(c, true, NT_CR_FILES);
	struct cr_hdr_files h;
	struct cr_fd e, prev;
	const char *data;
	uint64_t data_len;
	unsigned int i;

	part_begin(c);
	if (!note || note->size < sizeof(h)) {
		bad(c, "EINVAL", "NT_CR_FILES note is missing or malformed");
		return;
	}
	memcpy(&h, note->desc, sizeof(h));
	if (h.__pad || h.nr_fds > (note->size - sizeof(h)) / sizeof(struct cr_fd)) {
		bad(c, "EINVAL", "NT_CR_FILES note is missing or malformed: %u descriptors in %u bytes",
		    h.nr_fds, note->size);
		return;
	}
	data = (const char *)note->desc + sizeof(h) + h.nr_fds * sizeof(e);
	data_len = note->size - sizeof(h) - h.nr_fds * sizeof(e);
	for (i = 0; i < h.nr_fds; i++) {
		const char *why;

		memcpy(&e, note->desc + sizeof(h) + i * sizeof(e), sizeof(e));
		why = fd_entry_problem(&e, i ? &prev : NULL, data, data_len);
		prev = e;
		if (why) {
			bad(c, "EINVAL", "fd entry %u (fd %d) is invalid: %s", i, e.fd, why);
			continue;
		}
		check_open_fd(c, &e, data, data_len);
	}
	part_end(c, "descriptors");
}

/* Pipes (cr_restore_pipes_prepare(), cr_restore_pipe()) */

#define CR_O_NONBLOCK		04000

/* cr_pipe_path_ok(): a FIFO's path lies in the data area, terminated, absolute. */
static const char *pipe_path_problem(const struct cr_pipe *p, const unsigned char *data,
				     uint64_t data_len)
{
	const char *path;

	if (!(p->flags & CR_PIPE_FIFO))
		return p->path_off || p->path_len ? "a path for an anonymous pipe" : NULL;
	path = fd_string((const char *)data, data_len, p->path_off, p->path_len);
	if (!path)
		return "its FIFO path lies outside the data area or is not terminated";
	if (path[0] != '/')
		return "its FIFO path is not absolute";
	return NULL;
}

static const char *pipe_problem(const struct cr_pipe *p, const unsigned char *data,
				uint64_t data_len)
{
	if (p->flags & ~CR_PIPE_FLAGS)
		return "unknown flags";
	if (p->size < CR_PAGE_SIZE || p->size > CR_MAX_PIPE_SIZE)
		return "capacity out of range";
	/* F_SETPIPE_SZ's sizes: a power of two pages. */
	if (p->size & (p->size - 1))
		return "capacity not a power of two pages";
	if (p->data_len > p->size)
		return "more bytes than its capacity";
	if (p->data_off > data_len || p->data_len > data_len - p->data_off)
		return "its bytes lie outside the data area";
	return pipe_path_problem(p, data, data_len);
}

static const char *pipe_file_problem(const struct cr_pipe_file *pf, uint32_t nr_pipes,
				     const struct cr_pipe_file *prev)
{
	uint32_t acc = pf->flags & 03;

	if (pf->__pad)
		return "non-zero padding";
	if (!pf->file_id)
		return "no open file id";
	if (pf->pipe >= nr_pipes)
		return "no such pipe";
	if (prev && pf->pipe < prev->pipe)
		return "ends not in the order of their pipes";
	if (pf->flags & ~(03U | CR_O_NONBLOCK))
		return "unknown flags";
	if (acc == 03)
		return "no access mode";
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * NT_CR_PIPES, in the root's image: the tables inside the note, each pipe
 * and end valid; then, pipe by pipe, its capacity (F_SETPIPE_SZ makes
 * only powers of two pages) and its ends, each a new open file of the
 * tree. The kernel looks for the ends of each pipe among all of them;
 * here they are sorted by pipe, in their order.
 */
static void check_pipes(struct checker *c)
{
	const struct cr_note *note = find(c, true, NT_CR_PIPES);
	struct cr_hdr_pipes h;
	uint64_t size, data_len, i, *order = NULL;
	const unsigned char *tab;
	bool ok = true;

	part_begin(c);
	if (!note || note->size < sizeof(h)) {
		bad(c, "EINVAL", "NT_CR_PIPES note is missing or malformed");
		goto out;
	}
	memcpy(&h, note->desc, sizeof(h));
	size = sizeof(h) + (uint64_t)h.nr_pipes * sizeof(struct cr_pipe) +
	       (uint64_t)h.nr_files * sizeof(struct cr_pipe_file);
	if (size > note->size) {
		bad(c, "EINVAL", "NT_CR_PIPES note is missing or malformed: %u pipes and %u ends in %u bytes",
		    h.nr_pipes, h.nr_files, note->size);
		goto out;
	}
	data_len = note->size - size;
	tab = note->desc + sizeof(h);
	if (h.nr_pipes > CR_MAX_PIPES || h.nr_files > 2ull * CR_MAX_PIPES) {
		bad(c, "EINVAL", "%u pipes with %u ends, more than an image holds",
		    h.nr_pipes, h.nr_files);
		goto out;
	}
	for (i = 0; i < h.nr_pipes; i++) {
		struct cr_pipe p;
		const char *why;

		memcpy(&p, tab + i * sizeof(p), sizeof(p));
		why = pipe_problem(&p, note->desc + size, data_len);
		if (why) {
			bad(c, "EINVAL", "pipe %llu is invalid: %s (capacity %u, %llu bytes at %llu)",
			    (unsigned long long)i, why, p.size, (unsigned long long)p.data_len,
			    (unsigned long long)p.data_off);
			ok = false;
		}
	}
	tab += (uint64_t)h.nr_pipes * sizeof(struct cr_pipe);
	for (i = 0; i < h.nr_files; i++) {
		struct cr_pipe_file pf, prev;
		const char *why;

		memcpy(&pf, tab + i * sizeof(pf), sizeof(pf));
		if (i)
			memcpy(&prev, tab + (i - 1) * sizeof(prev), sizeof(prev));
		why = pipe_file_problem(&pf, h.nr_pipes, i ? &prev : NULL);
		if (why) {
			bad(c, "EINVAL", "pipe end %llu is invalid: %s (pipe %u, open file %u, flags %#x)",
			    (unsigned long long)i, why, pf.pipe, pf.file_id, pf.flags);
			ok = false;
		}
	}
	if (!ok)
		goto out;
	/* Every pipe has an end; the ends are in pipe order (checked above). */
	for (i = 0, size = 0; i < h.nr_pipes; i++) {
		uint64_t k = size;

		while (size < h.nr_files &&
		       get_u32(tab + size * sizeof(struct cr_pipe_file) +
			       offsetof(struct cr_pipe_file, pipe)) == i)
			size++;
		if (size == k) {
			bad(c, "EINVAL", "pipe %llu has no end", (unsigned long long)i);
			goto out;
		}
	}
	/* The ends by pipe, in their order: (pipe << 32 | index), sorted. */
	order = malloc((h.nr_files ? h.nr_files : 1) * sizeof(*order));
	if (!order) {
		bad(c, "ENOMEM", "out of memory");
		goto out;
	}
	for (i = 0; i < h.nr_files; i++)
		order[i] = (uint64_t)get_u32(tab + i * sizeof(struct cr_pipe_file) +
					     offsetof(struct cr_pipe_file, pipe)) << 32 | i;
	qsort(order, h.nr_files, sizeof(*order), cmp_u64);
	for (i = 0; i < h.nr_files; i++) {
		struct cr_pipe_file pf;
		struct cr_pipe p;
		int ret;

		memcpy(&pf, tab + (order[i] & 0xffffffff) * sizeof(pf), sizeof(pf));
		memcpy(&p, note->desc + sizeof(h) + (uint64_t)pf.pipe * sizeof(p), sizeof(p));
		/* F_SETPIPE_SZ rounds up to a power of two pages. */
		if (p.size & (p.size - 1)) {
			if (!i || (order[i - 1] >> 32) != pf.pipe)
				bad(c, "EINVAL", "pipe %u: cannot make it %u bytes: not a power of two pages",
				    pf.pipe, p.size);
			continue;
		}
		ret = file_add(&c->ts->files, pf.file_id, pipe_class(pf.flags));
		if (ret > 0)
			bad(c, "EBUSY", "pipe %u: open file %u repeats", pf.pipe, pf.file_id);
		else if (ret < 0)
			bad(c, "ENOMEM", "out of memory");
	}
out:
	free(order);
	part_end(c, "pipes");
}

/* Socket pairs (cr_restore_sockets_prepare()) */

#define CR_SOCK_STREAM		1
#define CR_SOCK_DGRAM		2
#define CR_SOCK_SEQPACKET	5
#define CR_SHUTDOWN_MASK	3

/*
 * Steps of cr_socket_msgs_ok() that crcore takes for one note: the
 * kernel's take as many, but areas may overlap, so that many sockets
 * walk the same messages; beyond this, crcore gives up.
 */
#define CR_MSG_STEPS_MAX	(1ULL << 26)

/* The messages of one end lie inside the data area and fill its part. */
static bool socket_msgs_ok(const struct cr_socket *cs, const unsigned char *data,
			   uint64_t data_len, uint64_t *steps)
{
	uint64_t off = cs->data_off, end;
	unsigned int i;
	uint32_t n;

	if (cs->data_off > data_len || cs->data_len > data_len - cs->data_off ||
	    cs->nr_msgs > CR_MAX_SOCKET_MSGS || (cs->data_off & 3))
		return false;
	end = cs->data_off + cs->data_len;
	for (i = 0; i < cs->nr_msgs; i++) {
		++*steps;
		if (end - off < sizeof(n))
			return false;
		memcpy(&n, data + off, sizeof(n));
		if (n > end - off - sizeof(n))
			return false;
		off += (sizeof(n) + (uint64_t)n + 3) & ~3ULL;
		if (off > end)
			return false;
	}
	return off == end;
}

static const char *socket_problem(const struct cr_socket *s, uint32_t i, uint32_t nr)
{
	if (s->peer >= nr || s->peer == i)
		return "its peer is not another socket of the note";
	if (!s->file_id)
		return "no open file id";
	if (s->type != CR_SOCK_STREAM && s->type != CR_SOCK_DGRAM &&
	    s->type != CR_SOCK_SEQPACKET)
		return "unknown type";
	if (s->flags & ~CR_O_NONBLOCK)
		return "unknown flags";
	if (s->shutdown & ~CR_SHUTDOWN_MASK)
		return "unknown shutdown";
	return NULL;
}

static void check_sockets(struct checker *c)
{
	const struct cr_note *note = find(c, true, NT_CR_SOCKETS);
	const unsigned char *data;
	struct cr_hdr_sockets h;
	uint64_t size, data_len, steps = 0;
	struct cr_socket *cs = NULL;
	bool ok = true;
	uint32_t i;

	if (!note)
		return;
	part_begin(c);
	if (note->size < sizeof(h)) {
		bad(c, "EINVAL", "NT_CR_SOCKETS note is malformed: %u bytes", note->size);
		goto out;
	}
	memcpy(&h, note->desc, sizeof(h));
	size = sizeof(h) + (uint64_t)h.nr_sockets * sizeof(*cs);
	if (h.__pad || h.nr_sockets > CR_MAX_SOCKETS || size > note->size) {
		bad(c, "EINVAL", "NT_CR_SOCKETS note is malformed: %u sockets in %u bytes, padding %#x",
		    h.nr_sockets, note->size, h.__pad);
		goto out;
	}
	cs = malloc(size - sizeof(h) ? size - sizeof(h) : 1);
	if (!cs) {
		bad(c, "ENOMEM", "out of memory");
		goto out;
	}
	memcpy(cs, note->desc + sizeof(h), size - sizeof(h));
	data = note->desc + size;
	data_len = note->size - size;
	for (i = 0; i < h.nr_sockets; i++) {
		const struct cr_socket *sk = &cs[i], *p;
		const char *why = socket_problem(sk, i, h.nr_sockets);

		/* Each end's messages follow the previous end's. */
		if (!why && sk->data_off != (i ? cs[i - 1].data_off + cs[i - 1].data_len : 0))
			why = "its messages do not follow the previous socket's";
		if (!why && steps > CR_MSG_STEPS_MAX) {
			problem(c->rep, NULL,
				"NT_CR_SOCKETS: the message areas overlap so much that the messages of sockets %u and on are not checked",
				i);
			ok = false;
			break;
		}
		if (!why && !socket_msgs_ok(sk, data, data_len, &steps))
			why = "its messages do not fill their part of the data area";
		if (why) {
			bad(c, "EINVAL", "socket %u is invalid: %s (%u messages, %llu bytes at %llu)",
			    i, why, sk->nr_msgs, (unsigned long long)sk->data_len,
			    (unsigned long long)sk->data_off);
			ok = false;
			continue;
		}
		p = &cs[sk->peer];
		if (p->peer != i || p->type != sk->type) {
			bad(c, "EINVAL", "socket %u and its peer %u do not pair", i, sk->peer);
			ok = false;
		}
	}
	/* cr_restore_pair(): each pair once, its two ends new open files. */
	for (i = 0; ok && i < h.nr_sockets; i++) {
		uint32_t end[2] = { i, cs[i].peer };
		unsigned int k;

		if (i > cs[i].peer)
			continue;
		for (k = 0; k < 2; k++) {
			int ret = file_add(&c->ts->files, cs[end[k]].file_id, FC_SOCK);

			if (ret > 0) {
				bad(c, "EBUSY", "socket pair %u-%u: cannot rebuild it: open file %u repeats",
				    end[0], end[1], cs[end[k]].file_id);
				break;
			} else if (ret < 0) {
				bad(c, "ENOMEM", "out of memory");
			}
		}
	}
out:
	free(cs);
	part_end(c, "socket pairs");
}

/* Pty pairs (cr_restore_ttys_prepare(), cr_restore_tty()) */

#define CR_N_TTY		0

/* cr_tty_valid() */
static const char *tty_problem(const struct cr_tty *ct)
{
	if (ct->flags & ~CR_TTY_FLAGS)
		return "unknown flags";
	if (ct->line != CR_N_TTY)
		return "a line discipline other than N_TTY";
	if (ct->__pad)
		return "non-zero padding";
	if (ct->sid < 0 || ct->pgrp < 0 || !ct->sid != !ct->pgrp)
		return "a session without a foreground group, or the reverse";
	return NULL;
}

/* cr_tree_session_ok(): a session a process of the tree but the root leads. */
static bool tty_session_ok(const struct tree *t, int32_t sid, int32_t pgrp)
{
	bool led = false, group = false;
	unsigned int i;

	if (!t->nr || sid == t->proc[0].sid || pgrp == t->proc[0].pgid)
		return false;
	for (i = 1; i < t->nr; i++) {
		const struct cr_proc *e = &t->proc[i];

		if ((e->flags & CR_PROC_ZOMBIE) || e->sid != sid)
			continue;
		led |= e->pid == sid;
		group |= e->pgid == pgrp;
	}
	return led && group;
}

static const char *tty_file_problem(const struct cr_tty_file *e, const struct cr_tty_file *prev,
				    const struct cr_tty *ct, uint32_t nr_ttys)
{
	bool first = !prev || prev->tty != e->tty;

	if (!e->file_id)
		return "no open file id";
	if (e->tty >= nr_ttys)
		return "no such pty";
	if (prev && e->tty < prev->tty)
		return "ends not in the order of their ptys";
	if (e->flags & ~(03U | CR_O_NONBLOCK))
		return "unknown flags";
	if ((e->flags & 03) == 03)
		return "no access mode";
	if (e->end != (first ? CR_TTY_MASTER : CR_TTY_SLAVE))
		return first ? "a pty's first end is not its master" : "a second master";
	if (!first && (ct[e->tty].flags & CR_TTY_SLAVE_CLOSED))
		return "a slave end of a pty whose slave is closed";
	return NULL;
}

/*
 * NT_CR_TTYS, in the root's image when the tree has pty pairs: the
 * tables exactly fill the note, each pty and end valid, each session at
 * most one terminal, a session the tree can give it (@t, NULL without a
 * readable tree); then pty by pty, its master and slave ends, each a new
 * open file of the tree.
 */
static void check_ttys(struct checker *c, const struct tree *t)
{
	const struct cr_note *note = find(c, true, NT_CR_TTYS);
	struct cr_tty_file *tf;
	struct cr_tty *ct = NULL;
	struct cr_hdr_ttys h;
	uint64_t size;
	bool ok = true;
	uint32_t i, j, k;

	if (!note)
		return;
	part_begin(c);
	if (note->size < sizeof(h)) {
		bad(c, "EINVAL", "NT_CR_TTYS note is malformed: %u bytes", note->size);
		goto out;
	}
	memcpy(&h, note->desc, sizeof(h));
	size = sizeof(h) + (uint64_t)h.nr_ttys * sizeof(*ct) +
	       (uint64_t)h.nr_files * sizeof(*tf);
	if (!h.nr_ttys || h.nr_ttys > CR_MAX_TTYS || size != note->size) {
		bad(c, "EINVAL", "NT_CR_TTYS note is malformed: %u ptys and %u ends in %u bytes",
		    h.nr_ttys, h.nr_files, note->size);
		goto out;
	}
	ct = malloc(size - sizeof(h));
	if (!ct) {
		bad(c, "ENOMEM", "out of memory");
		goto out;
	}
	memcpy(ct, note->desc + sizeof(h), size - sizeof(h));
	tf = (struct cr_tty_file *)(ct + h.nr_ttys);
	for (i = 0; i < h.nr_ttys; i++) {
		const char *why = tty_problem(&ct[i]);

		if (why) {
			bad(c, "EINVAL", "pty %u is invalid: %s", i, why);
			ok = false;
			continue;
		}
		if (ct[i].sid && t && !tty_session_ok(t, ct[i].sid, ct[i].pgrp)) {
			bad(c, "EINVAL", "pty %u: session %d or its group %d is none the tree can give it",
			    i, ct[i].sid, ct[i].pgrp);
			ok = false;
		}
		for (j = 0; ct[i].sid && j < i; j++) {
			if (ct[j].sid == ct[i].sid) {
				bad(c, "EINVAL", "pty %u: session %d has another controlling terminal",
				    i, ct[i].sid);
				ok = false;
				break;
			}
		}
	}
	for (i = 0; i < h.nr_files; i++) {
		const char *why = tty_file_problem(&tf[i], i ? &tf[i - 1] : NULL, ct, h.nr_ttys);

		if (why) {
			bad(c, "EINVAL", "pty end %u is invalid: %s (pty %u, open file %u, end %u, flags %#x)",
			    i, why, tf[i].tty, tf[i].file_id, tf[i].end, tf[i].flags);
			ok = false;
		}
	}
	for (i = 0, j = 0; ok && i < h.nr_ttys; i++) {
		k = j;
		while (j < h.nr_files && tf[j].tty == i)
			j++;
		if (j == k) {
			bad(c, "EINVAL", "pty %u has no master", i);
			break;
		}
		/* cr_restore_tty(): /dev/ptmx opened (left out), then its ends. */
		for (; k < j; k++) {
			int ret = file_add(&c->ts->files, tf[k].file_id, tty_class(tf[k].flags));

			if (ret > 0) {
				bad(c, "EBUSY", "pty %u: cannot rebuild it: open file %u repeats",
				    i, tf[k].file_id);
				ok = false;
				break;
			} else if (ret < 0) {
				bad(c, "ENOMEM", "out of memory");
			}
		}
	}
out:
	free(ct);
	part_end(c, "pty pairs");
}

/* The tree (cr_tree_read_note(), cr_tree_check()) */

/* A zombie's status, as wait() reports it: an exit code or a signal. */
static bool exit_code_ok(int32_t code)
{
	if (code & ~0xffff)
		return false;
	if (!(code & 0x7f))
		return true;
	return !(code >> 8) && (code & 0x7f) <= CR_NSIG;
}

static bool tree_signal_ok(int32_t sig)
{
	return sig >= 0 && sig <= CR_NSIG;
}

/*
 * cr_tree_ids_restorable(): a process is created in its parent's session,
 * where it stays unless it leads its own, and joins a group of its
 * session: its own, the root's, or one a process of the tree leads.
 */
static bool tree_ids_restorable(const struct tree *t, const struct cr_proc *e)
{
	const struct cr_proc *root = &t->proc[0], *leader = NULL;
	uint32_t j;

	if (e->sid != e->pid && e->sid != t->proc[e->parent].sid)
		return false;
	if (e->pgid == e->pid)
		return true;
	if (e->pgid == root->pgid)
		return e->sid == root->sid;
	for (j = 0; j < t->nr && !leader; j++)
		if (t->proc[j].pid == e->pgid)
			leader = &t->proc[j];
	return leader && leader->sid == e->sid;
}

/* A process group or session the restore can rebuild (cr_tree_map_ok()). */
static bool tree_id_ok(const struct tree *t, int32_t id, int32_t root_id)
{
	unsigned int i;

	if (id == root_id)
		return true;
	for (i = 0; i < t->nr; i++)
		if (t->proc[i].pid == id)
			return true;
	return false;
}

/* What is wrong with entry @i of the tree on its own, or NULL. */
static const char *tree_entry_problem(const struct tree *t, unsigned int i)
{
	const struct cr_proc *e = &t->proc[i];
	bool zombie = e->flags & CR_PROC_ZOMBIE;

	if (e->pid <= 0)
		return "pid not positive";
	if (e->flags & ~CR_PROC_FLAGS)
		return "unknown flags";
	if (!i && e->parent != -1)
		return "the first entry, the root, has a parent";
	if (i && e->parent == -1)
		return "no parent: only the first entry is the root";
	if (i && (e->parent < 0 || e->parent >= (int)i))
		return "its parent is not an earlier entry";
	if (i && (t->proc[e->parent].flags & CR_PROC_ZOMBIE))
		return "its parent is a zombie";
	if (!tree_signal_ok(e->exit_signal))
		return "exit signal out of range";
	if (!tree_signal_ok(e->pdeath_signal))
		return "parent death signal out of range";
	if (zombie && e->nr_threads)
		return "a zombie with threads";
	if (!zombie && !e->nr_threads)
		return "a live process without threads";
	if (zombie && !i)
		return "the root is a zombie";
	if (zombie && e->segment)
		return "a zombie with a segment";
#ifdef CR_PROC_FILES
	if ((zombie || !i) && (e->flags & (CR_PROC_FILES | CR_PROC_FS)))
		return "the root or a zombie shares its parent's descriptors or fs";
#endif
	if (zombie && !exit_code_ok(e->exit_code))
		return "impossible exit status";
	if (!zombie && e->exit_code)
		return "an exit status but not a zombie";
	if (!i && e->segment)
		return "the root has a segment";
	if (e->nr_threads > CR_PID_MAX_LIMIT)
		return "more threads than PID_MAX_LIMIT";
	return NULL;
}

static void check_tree(struct checker *c, const struct tree *t, bool have)
{
	const struct cr_hdr_image *h = &c->img->hdr;
	uint32_t live = 0, segs = 0;
	uint64_t threads = 0;
	unsigned int i, j;

	part_begin(c);
	if (!have || t->pad || !t->nr) {
		bad(c, "EINVAL", "NT_CR_TREE note is missing or malformed");
		part_end(c, "tree");
		return;
	}
	for (i = 0; i < t->nr; i++) {
		const struct cr_proc *e = &t->proc[i];
		const char *why = tree_entry_problem(t, i);
		bool zombie = e->flags & CR_PROC_ZOMBIE;

		/* As the kernel's, threads are summed in 64 bits. */
		live += !zombie;
		threads += e->nr_threads;
		if (why) {
			bad(c, "EINVAL", "process entry %u of the tree (pid %d) is invalid: %s",
			    i, e->pid, why);
			continue;
		}
		for (j = 0; j < i; j++) {
			if (t->proc[j].pid == e->pid ||
			    (e->segment && t->proc[j].segment == e->segment)) {
				bad(c, "EINVAL", "process entry %u of the tree (pid %d) repeats the %s of entry %u",
				    i, e->pid, t->proc[j].pid == e->pid ? "pid" : "segment", j);
				break;
			}
		}
		if (i && (!tree_id_ok(t, e->pgid, t->proc[0].pgid) ||
			  !tree_id_ok(t, e->sid, t->proc[0].sid)))
			bad(c, "EINVAL",
			    "process %d: its process group %d or session %d is led by no process of the tree",
			    e->pid, e->pgid, e->sid);
		else if (i && !tree_ids_restorable(t, e))
			bad(c, "EINVAL",
			    "process %d: a child of process %d cannot be in session %d, group %d",
			    e->pid, t->proc[e->parent].pid, e->sid, e->pgid);
		if (!zombie && i && (e->segment >= c->img->phnum ||
				     c->img->phdrs[e->segment].p_type != PT_CR_PROCESS))
			bad(c, "EINVAL", "process %d: segment %u is not a process image",
			    e->pid, e->segment);
	}
	if (live != h->nr_processes || threads != h->nr_threads)
		bad(c, "EINVAL", "the tree holds %u processes and %llu threads, the header says %u and %u",
		    live, (unsigned long long)threads, h->nr_processes, h->nr_threads);
	for (i = 1; i < c->img->phnum; i++)
		segs += c->img->phdrs[i].p_type == PT_CR_PROCESS;
	if (segs != live - 1)
		bad(c, "EINVAL", "%u process segments for %u live processes: one each but the root",
		    segs, live);
	part_end(c, "tree");
}

/* One process: cr_restore_one_prepare(). */
static void check_one(struct image *img, struct report *rep, const struct cr_proc *proc,
		      struct tree_state *ts, unsigned int idx)
{
	struct checker c = { .img = img, .rep = rep, .proc = proc, .ts = ts, .idx = idx };

	check_task(&c);
	check_mm(&c);
	check_signal(&c);
	check_process(&c);
	check_files(&c);
	free(c.vma);
}

/*
 * What the kernel reads of an image's headers and notes, as
 * CR_MAX_IMAGE_NOTES counts it (cr_image_charge()): the note segment as
 * its header says, whether or not it parses.
 */
static uint64_t notes_cost(const struct image *img)
{
	if (!img->phnum || !img->phdrs)
		return 0;
	return (uint64_t)img->phnum * sizeof(Elf64_Phdr) + img->phdrs[0].p_filesz +
	       (uint64_t)img->nr_notes * CR_NOTE_COST;
}

/*
 * The image of segment @seg of @root, entry @idx of the tree @proc (or
 * NULL), within what is left of the notes budget @budget.
 */
static void check_nested(struct image *root, struct report *rep, unsigned int seg,
			 const struct cr_proc *proc, struct tree_state *ts, unsigned int idx,
			 uint64_t *budget)
{
	struct image img;
	uint64_t cost;

	image_open_at(&img, root, seg, rep);
	cost = notes_cost(&img);
	if (cost > *budget)
		problem(rep, "E2BIG", "the notes of all processes exceed %u bytes",
			CR_MAX_IMAGE_NOTES);
	*budget -= cost < *budget ? cost : *budget;
	if (img.notes_ok && img.segments_ok && img.hdr_read)
		check_one(&img, rep, proc, ts, idx);
	image_close(&img);
}

/*
 * The other processes: those of the tree in its order, as the kernel;
 * then the process segments no entry names (which the tree check
 * reported), so that their problems are listed too.
 */
static void check_processes(struct image *root, struct report *rep, const struct tree *t,
			    struct tree_state *ts)
{
	uint64_t budget = CR_MAX_IMAGE_NOTES, cost = notes_cost(root);
	const char *saved = rep->prefix;
	unsigned int i, n = 0, seg;
	char prefix[48];
	bool *done;

	budget -= cost < budget ? cost : budget;

	done = calloc(root->phnum, sizeof(*done));
	if (!done) {
		problem(rep, "ENOMEM", "out of memory");
		return;
	}
	for (i = 1; i < t->nr && n < CR_MAX_PROCESSES; i++) {
		if (!tree_segment(root, t, i) || done[t->proc[i].segment])
			continue;
		seg = t->proc[i].segment;
		done[seg] = true;
		snprintf(prefix, sizeof(prefix), "process %d: ", t->proc[i].pid);
		rep->prefix = prefix;
		check_nested(root, rep, seg, &t->proc[i], ts, i, &budget);
		rep->prefix = saved;
		n++;
	}
	for (i = 1; i < root->phnum; i++) {
		if (root->phdrs[i].p_type != PT_CR_PROCESS || done[i])
			continue;
		if (n++ == CR_MAX_PROCESSES) {
			problem(rep, NULL, "more than %u process segments: the others are not checked",
				CR_MAX_PROCESSES);
			break;
		}
		snprintf(prefix, sizeof(prefix), "process segment %u: ", i);
		rep->prefix = prefix;
		check_nested(root, rep, i, NULL, ts, ts->nr, &budget);
		rep->prefix = saved;
	}
	free(done);
}

/*
 * The pages descendants share with their parent, in the order of the
 * tree (cr_restore_parent_pages_prepare(), cr_page_pos()): each is where
 * the parent's image has it, stored or shared with its own parent. Only
 * between processes whose memory is sound: the others were reported.
 */
static void check_parent_pages(struct report *rep, const struct tree *t,
			       struct tree_state *ts)
{
	const char *saved = rep->prefix;
	unsigned int i, count = 0;
	char prefix[48];

	for (i = 1; i < t->nr && i < ts->nr; i++) {
		int32_t parent = t->proc[i].parent;
		uint64_t missing = 0;
		int ret;

		if (!ts->mem_ok[i] || !ts->mem[i].nr_pruns)
			continue;
		if (parent < 0 || (uint32_t)parent >= i || !ts->mem_ok[parent] ||
		    (parent && ts->mem[parent].nr_pruns && !ts->mem[parent].resolved))
			continue;
		ret = pagemap_resolve(&ts->mem[i], &ts->mem[parent], &missing);
		if (!ret)
			continue;
		snprintf(prefix, sizeof(prefix), "process %d: ", t->proc[i].pid);
		rep->prefix = prefix;
		if (ret == -2)
			problem(rep, "ENOMEM", "out of memory");
		else if (++count <= CR_MAX_REPORT)
			problem(rep, "EINVAL",
				"page %#llx is its parent's (process %d), whose image has none",
				(unsigned long long)missing, t->proc[parent].pid);
		rep->prefix = saved;
	}
	if (count > CR_MAX_REPORT)
		problem(rep, NULL, "parent pages: %u more problems", count - CR_MAX_REPORT);
}

/**
 * check_image - check the contents of an image whose container is sound
 * @img: an image with its notes parsed and its segments valid: the root
 *	image, for a tree
 * @rep: where problems go
 *
 * The tree, its pipes and socket pairs, the root's process, then each
 * other process of the tree, then the pages they share with their parent.
 *
 * Return: 0 if no problem was found, -1 otherwise.
 */
int check_image(struct image *img, struct report *rep)
{
	struct tree_state ts = {};
	struct checker c = { .img = img, .rep = rep, .ts = &ts };
	unsigned int before = rep->count, i;
	struct tree t;
	bool have;

	have = !tree_read(img, &t);
	ts.nr = have && t.nr ? t.nr : 1;
	ts.mem = calloc(ts.nr, sizeof(*ts.mem));
	ts.mem_ok = calloc(ts.nr, sizeof(*ts.mem_ok));
	if (!ts.mem || !ts.mem_ok) {
		problem(rep, "ENOMEM", "out of memory");
		goto out;
	}
	check_tree(&c, &t, have);
	check_pipes(&c);
	check_sockets(&c);
	check_ttys(&c, have ? &t : NULL);
	check_one(img, rep, have && t.nr ? &t.proc[0] : NULL, &ts, 0);
	check_processes(img, rep, &t, &ts);
	check_parent_pages(rep, &t, &ts);
out:
	for (i = 0; ts.mem && i < ts.nr; i++)
		pagemap_free(&ts.mem[i]);
	free(ts.mem);
	free(ts.mem_ok);
	free(ts.files.id);
	free(ts.files.class);
	tree_free(&t);
	return rep->count == before ? 0 : -1;
}

/* What only the restoring system can check: for "check -v". */
void check_list_skipped(FILE *f)
{
	fputs("not checked (they depend on the restoring system or the caller):\n"
	      "  - the CPU has XSAVE; NT_X86_XSTATE has its XSAVE size and only its features;\n"
	      "    MXCSR is checked against the image's MXCSR mask, not the CPU's\n"
	      "  - mappings start at or above vm.mmap_min_addr\n"
	      "  - mapped files exist and the caller can open and map them\n"
	      "  - [vdso] and [vvar] have the sizes of the running kernel's vdso\n"
	      "  - the working directory exists and the caller can enter it\n"
	      "  - descriptors are below RLIMIT_NOFILE and fs.nr_open; their files\n"
	      "    reopen, are of the same kind and seek to their offset\n"
	      "  - pipes: their capacity is within fs.pipe-max-size and the caller's\n"
	      "    pipe buffer limits; FIFOs exist at their paths (else ENOENT), the\n"
	      "    caller may open them as their ends were, and nobody else has them\n"
	      "    open (else EBUSY); socket pairs: their queued messages fit the\n"
	      "    socket buffers; pty pairs: the caller's /dev/ptmx opens a pty\n"
	      "    master (else ENOENT, EOPNOTSUPP); shared memory objects fit in\n"
	      "    memory\n"
	      "  - several processes or threads: the caller has the root's pid and\n"
	      "    CAP_CHECKPOINT_RESTORE (original ids: none in use, else EBUSY; each\n"
	      "    process's first thread has its pid, else EINVAL), or\n"
	      "    kernel.cr.new_tids is 1 (else EPERM)\n"
	      "these apply to every process of a tree\n", f);
}
