// SPDX-License-Identifier: GPL-2.0
/*
 * crcore: the contents of an image, checked with the rules of the
 * kernel's restore side, in its order. The rules are the kernel's own
 * (kernel/cr/rules.c, kernel/cr/rules_files.c and arch/x86/cr/rules.c,
 * <linux/cr_rules.h>), compiled into crcore; this file applies them with
 * rule(), one at a time, so that every rule an image breaks is listed,
 * in the order of kernel/cr/tree.c cr_restore_tree_prepare():
 *
 *   the tree		cr_rule_tree_note(), cr_rule_tree()
 *   pipes, FIFOs	cr_rule_pipes()
 *   socket pairs	cr_rule_sockets()
 *   pty pairs		cr_rule_ttys(), cr_rule_tty_data()
 *
 * then, for the root and, in the order of the tree, for each other live
 * process, whose segment is first opened as an image of its own
 * (kernel/cr/image.c cr_image_open_at(), in image.c),
 * cr_restore_one_prepare():
 *
 *   threads		cr_rule_threads(), cr_arch_rule_prstatus(),
 *			cr_arch_rule_xstate(), cr_rule_thread(),
 *			cr_rule_sigpending(), cr_rule_seccomp(),
 *			cr_rule_prpsinfo()
 *   memory		cr_rule_mm(), cr_rule_nt_file(), cr_rule_vmas(),
 *			cr_rule_sysv_shm(), cr_rule_sem_undo(), cr_rule_aio(),
 *			cr_rule_sysv_sem(), cr_rule_sysv_msg(),
 *			cr_rule_pages(), cr_rule_pruns(), cr_rule_mm_fields(),
 *			cr_rule_vdso()
 *   signals		cr_rule_sighand()
 *   process		cr_rule_process() (cr_rule_thread() checks each thread's
 *			scheduling), cr_rule_creds(), cr_rule_itimers(),
 *			cr_rule_posix_timers()
 *   descriptors	cr_rule_files(), cr_rule_fd(), cr_rule_fd_file(),
 *			cr_rule_event(), cr_rule_memfd(), cr_rule_inet(),
 *			cr_rule_unix(), cr_rule_epoll_targets(),
 *			cr_rule_fowns() and the owners' ids
 *			(cr_restore_fowns_prepare()), cr_rule_locks()
 *
 * and last the pages descendants share with their parent
 * (cr_restore_parent_pages_prepare(), in the order of the tree). The
 * open files of the tree (struct cr_fd.file_id) are kept by class as the
 * kernel keeps them (cr_tree_add_file()): the ends of the pipes, then of
 * the socket pairs, then of the pty pairs, then each file a descriptor
 * opens by path, in the order above; an id made twice is EBUSY.
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

/* A process group or session no process of the tree leads (cr_rule_tree_ghost()). */
bool tree_leaderless(const struct cr_proc *procs, unsigned int nr, int32_t id)
{
	return cr_rule_tree_ghost(procs, nr, id);
}

/* The tree's open files by id (the kernel's cr_tree.files): open addressing. */
struct file_ids {
	uint32_t *id;
	unsigned char *class;
	size_t cap, nr;
};

/* What the checks of the processes of a tree share. */
struct tree_state {
	struct file_ids files;
	const struct tree *tree;	/* its entries, or NULL when unreadable */
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
	unsigned int nr_vmas;		/* PT_LOAD segments */
	struct cr_vma *vma;		/* NT_CR_VMAS, if it has the right size */
	struct cr_hdr_mm mm;
	bool mm_ok;			/* @mm read */
	u64 nr_files;			/* entries of NT_FILE, when valid */
	int32_t *tid;			/* the ids of its threads whose NT_CR_THREAD is valid */
	unsigned int nr_tids;
};

static uint64_t id_hash(uint32_t id, size_t cap)
{
	return ((uint64_t)id * 0x9e3779b97f4a7c15ULL >> 17) & (cap - 1);
}

/* The class of open file @id of the tree (cr_tree_file()), or CR_FILE_NONE. */
static enum cr_file_class file_get(const struct file_ids *f, uint32_t id)
{
	size_t i;

	if (!f->cap || !id)
		return CR_FILE_NONE;
	for (i = id_hash(id, f->cap); f->id[i]; i = (i + 1) & (f->cap - 1))
		if (f->id[i] == id)
			return f->class[i];
	return CR_FILE_NONE;
}

/* As cr_tree_add_file(): -EBUSY (1) when @id is there, -1 when memory is short. */
static int file_add(struct file_ids *f, uint32_t id, enum cr_file_class class)
{
	size_t i;

	if (file_get(f, id) != CR_FILE_NONE)
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

/* A new open file of the tree, made by a note (@what, @n: for messages). */
static void file_made(struct checker *c, uint32_t id, enum cr_file_class class,
		      const char *what, uint32_t n)
{
	int ret = file_add(&c->ts->files, id, class);

	if (ret > 0)
		problem(c->rep, "EBUSY", "%s %u: open file %u repeats", what, n, id);
	else if (ret < 0)
		problem(c->rep, "ENOMEM", "out of memory");
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
	const struct cr_note *thn = NULL, *pn = NULL, *sn = NULL, *cn = NULL, *dn = NULL;
	struct user_regs_struct regs;
	struct cr_dispatch sd;
	struct cr_hdr_thread th;
	struct cr_thread_ids id;
	struct cr_hdr_creds h;
	const uint32_t *groups;
	unsigned int i;

	for (i = first + 1; i < end; i++) {
		const struct cr_note *note = &c->img->note[i];

		if (!note->ours && note->type == CR_NT_X86_XSTATE)
			xstate = xstate ? xstate : note;
		else if (note->ours && note->type == NT_CR_THREAD)
			thn = thn ? thn : note;
		else if (note->ours && note->type == NT_CR_SIGPENDING)
			pn = pn ? pn : note;
		else if (note->ours && note->type == NT_CR_SECCOMP)
			sn = sn ? sn : note;
		else if (note->ours && note->type == NT_CR_THREAD_CREDS)
			cn = cn ? cn : note;
		else if (note->ours && note->type == NT_CR_THREAD_DISPATCH)
			dn = dn ? dn : note;
	}
	/* Each rule of the kernel's on its own, so that all are reported. */
	rule(c->rep, cr_arch_rule_prstatus(c->img->path, n, st, &regs));
	rule(c->rep, cr_arch_rule_xstate(c->img->path, n, xstate));
	if (!rule(c->rep, cr_rule_thread(c->img->path, n, thn, &th)) && c->tid)
		c->tid[c->nr_tids++] = th.tid;
	rule(c->rep, cr_rule_sigpending(c->img->path, n, pn, main));
	rule(c->rep, cr_rule_seccomp(c->img->path, n, sn));
	rule(c->rep, cr_rule_thread_creds(c->img->path, n, cn, &id, &h, &groups));
	rule(c->rep, cr_rule_thread_dispatch(c->img->path, n, dn, &sd));
}

static void check_task(struct checker *c)
{
	const char *path = c->img->path;
	unsigned int i, n = 0, first = 0;

	rule(c->rep, cr_rule_threads(path, c->img->note, c->img->nr_notes, c->proc,
				     &c->img->hdr, c->img->nested, &n));
	/* At most one thread per note: their ids, for the descriptors' owners. */
	c->tid = calloc(c->img->nr_notes + 1, sizeof(*c->tid));
	if (!c->tid)
		problem(c->rep, "ENOMEM", "out of memory");
	/* Each thread, as far as there are threads. */
	for (i = 0, n = 0; i <= c->img->nr_notes; i++) {
		if (i < c->img->nr_notes && !cr_note_prstatus(&c->img->note[i]))
			continue;
		if (n)
			check_thread(c, n, first, i, n == 1);
		first = i;
		n++;
	}
	rule(c->rep, cr_rule_prpsinfo(path, find(c, false, CR_NT_PRPSINFO)));
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
	unsigned int problems = c->rep->count;
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
	{
		unsigned int nr_sysv;

		rule(c->rep, cr_rule_sysv_shm(path, find(c, true, NT_CR_SYSV_SHM), c->vma,
					      c->nr_vmas, &nr_sysv));
		rule(c->rep, cr_rule_sem_undo(path, find(c, true, NT_CR_SEM_UNDO), &nr_sysv));
		rule(c->rep, cr_rule_sysv_sem(path, find(c, true, NT_CR_SYSV_SEM), &nr_sysv));
		rule(c->rep, cr_rule_sysv_msg(path, find(c, true, NT_CR_SYSV_MSG), &nr_sysv));
		rule(c->rep, cr_rule_aio(path, find(c, true, NT_CR_AIO), c->vma, c->nr_vmas,
					 &nr_sysv));
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
	/* Sound memory: where its pages are, for its descendants. */
	if (c->rep->count == problems && c->ts && c->idx < c->ts->nr) {
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
	struct cr_itimer it[CR_NR_ITIMERS];
	struct cr_hdr_process h;
	struct cr_hdr_creds creds;
	const uint32_t *groups;
	const char *cwd;
	uint32_t nr;

	rule(c->rep, cr_rule_process(c->img->path, find(c, true, NT_CR_PROCESS), &h, &cwd));
	rule(c->rep, cr_rule_creds(c->img->path, find(c, true, NT_CR_CREDS), &creds, &groups));
	rule(c->rep, cr_rule_itimers(c->img->path, find(c, true, NT_CR_ITIMERS), it));
	rule(c->rep, cr_rule_posix_timers(c->img->path, find(c, true, NT_CR_POSIX_TIMERS), &nr));
}

/* Descriptors */

/*
 * Is the owner @o of a descriptor one of the image's, as
 * cr_restore_fowns_prepare() checks: a thread of the process, or a live
 * process of the tree, or for a group also the root's group; id 0 is
 * the process itself or its own group. True when the tree is unreadable
 * (reported already).
 */
static bool fown_in_image(const struct checker *c, const struct cr_fown *o)
{
	const struct tree *t = c->ts->tree;
	unsigned int j;

	if (o->type == CR_FOWN_THREAD) {
		for (j = 0; j < c->nr_tids; j++)
			if (c->tid[j] == o->id)
				return true;
		return !c->tid;
	}
	if (!o->id || !t)
		return true;
	for (j = 0; j < t->nr; j++)
		if ((t->proc[j].pid == o->id && !(t->proc[j].flags & CR_PROC_ZOMBIE)) ||
		    (o->type == CR_FOWN_PGRP && !j && t->proc[j].pgid == o->id))
			return true;
	return false;
}

/*
 * Who gets the descriptors' signals (NT_CR_FOWNERS): cr_rule_fowns(),
 * then each owner one of the image's; the kernel stops at the first that
 * is not.
 */
static void check_fowns(struct checker *c, const void *fds, uint32_t nr_fds)
{
	const struct cr_note *note = find(c, true, NT_CR_FOWNERS);
	struct cr_fown o;
	uint32_t nr, i;

	if (rule(c->rep, cr_rule_fowns(c->img->path, note, fds, nr_fds, &nr)))
		return;
	for (i = 0; i < nr; i++) {
		memcpy(&o, note->desc + (uint64_t)i * sizeof(o), sizeof(o));
		if (!fown_in_image(c, &o)) {
			problem(c->rep, "EINVAL",
				"fd %d: its owner (type %u, id %d) is not in the image",
				o.fd, o.type, o.id);
			return;
		}
	}
}

static void check_files(struct checker *c)
{
	const struct cr_note *note = find(c, true, NT_CR_FILES);
	const char *path = c->img->path, *data;
	struct cr_fd e, prev;
	uint64_t data_len;
	uint32_t nr, i;

	if (rule(c->rep, cr_rule_files(path, note, &nr)))
		return;
	data = (const char *)note->desc + sizeof(struct cr_hdr_files) + (uint64_t)nr * sizeof(e);
	data_len = note->size - sizeof(struct cr_hdr_files) - (uint64_t)nr * sizeof(e);
	for (i = 0; i < nr; i++) {
		enum cr_file_class made;
		int ret;

		memcpy(&e, note->desc + sizeof(struct cr_hdr_files) + (uint64_t)i * sizeof(e),
		       sizeof(e));
		ret = rule(c->rep, cr_rule_fd(path, i, &e, i ? &prev : NULL, data, data_len));
		prev = e;
		if (ret)
			continue;
		if (rule(c->rep, cr_rule_fd_file(path, &e, file_get(&c->ts->files, e.file_id),
						 data, data_len, &made)))
			continue;
		if (e.kind == CR_FD_EPOLL && e.data_len &&
		    rule(c->rep, cr_rule_epoll_targets(path, &e, note->desc + sizeof(struct cr_hdr_files),
						       nr, data)))
			continue;
		if (made == CR_FILE_NONE)
			continue;
		/* Opened (which only the restoring system can tell): the tree's now. */
		if (file_add(&c->ts->files, e.file_id, made) < 0)
			problem(c->rep, "ENOMEM", "out of memory");
	}
	/* The end of cr_restore_files_prepare(), then cr_restore_locks_prepare(). */
	check_fowns(c, note->desc + sizeof(struct cr_hdr_files), nr);
	rule(c->rep, cr_rule_sock_filters(path, find(c, true, NT_CR_SOCK_FILTERS),
					  note->desc + sizeof(struct cr_hdr_files), nr, &i));
	rule(c->rep, cr_rule_sock_opts(path, find(c, true, NT_CR_SOCK_OPTS),
				       note->desc + sizeof(struct cr_hdr_files), nr));
	rule(c->rep, cr_rule_sock_devs(path, find(c, true, NT_CR_SOCK_DEVS),
				       note->desc + sizeof(struct cr_hdr_files), nr));
	rule(c->rep, cr_rule_locks(path, find(c, true, NT_CR_LOCKS),
				   note->desc + sizeof(struct cr_hdr_files), nr, &i));
}

/* The pipes and FIFOs, in the root's image: each end a new open file. */
static void check_pipes(struct checker *c)
{
	const struct cr_note *note = find(c, true, NT_CR_PIPES);
	const unsigned char *tab;
	struct cr_hdr_pipes h;
	uint32_t i;

	if (rule(c->rep, cr_rule_pipes(c->img->path, note, &h)))
		return;
	tab = note->desc + sizeof(h) + (uint64_t)h.nr_pipes * sizeof(struct cr_pipe);
	for (i = 0; i < h.nr_files; i++) {
		struct cr_pipe_file pf;

		memcpy(&pf, tab + (uint64_t)i * sizeof(pf), sizeof(pf));
		file_made(c, pf.file_id, CR_FILE_PIPE + (pf.flags & O_ACCMODE), "pipe", pf.pipe);
	}
}

/* The unix socket pairs: each pair once, its two ends new open files. */
static void check_sockets(struct checker *c)
{
	const struct cr_note *note = find(c, true, NT_CR_SOCKETS);
	struct cr_hdr_sockets h;
	struct cr_socket s, p;
	uint32_t i;

	if (rule(c->rep, cr_rule_sockets(c->img->path, note, &h)))
		return;
	for (i = 0; i < h.nr_sockets; i++) {
		memcpy(&s, note->desc + sizeof(h) + (uint64_t)i * sizeof(s), sizeof(s));
		if (i > s.peer)
			continue;
		memcpy(&p, note->desc + sizeof(h) + (uint64_t)s.peer * sizeof(p), sizeof(p));
		file_made(c, s.file_id, CR_FILE_SOCK, "socket pair", i);
		file_made(c, p.file_id, CR_FILE_SOCK, "socket pair", i);
	}
}

/*
 * The pty pairs, with the tree's entries (@t, NULL without a readable
 * tree): pty by pty, its master and slave ends, each a new open file.
 */
static void check_ttys(struct checker *c, const struct tree *t)
{
	const struct cr_note *note = find(c, true, NT_CR_TTYS);
	const unsigned char *ends;
	struct cr_hdr_ttys h;
	unsigned int nr_data;
	uint32_t i;

	if (rule(c->rep, cr_rule_ttys(c->img->path, note, t ? t->proc : NULL, t ? t->nr : 0,
				      &h)) ||
	    rule(c->rep, cr_rule_tty_data(c->img->path, find(c, true, NT_CR_TTY_DATA), h.nr_ttys,
					  &nr_data)))
		return;
	ends = note ? note->desc + sizeof(h) + (uint64_t)h.nr_ttys * sizeof(struct cr_tty) : NULL;
	for (i = 0; i < h.nr_files; i++) {
		struct cr_tty_file tf;

		memcpy(&tf, ends + (uint64_t)i * sizeof(tf), sizeof(tf));
		file_made(c, tf.file_id, CR_FILE_TTY + (tf.flags & O_ACCMODE), "pty", tf.tty);
	}
}

/* The tree, in the root's image: its note, then its entries (@t, if read). */
static void check_tree(struct checker *c, const struct tree *t, bool have)
{
	const char *path = c->img->path;
	struct cr_hdr_ns ns;
	uint32_t nr;

	rule(c->rep, cr_rule_ns(path, find(c, true, NT_CR_NS), &ns));
	if (ns.flags & CR_NS_USER) {
		struct cr_hdr_userns u;
		const void *ext;

		rule(c->rep, cr_rule_userns(path, find(c, true, NT_CR_USERNS), &u, &ext));
	}
	if (ns.flags & CR_NS_NET) {
		const struct cr_note *sysctls = find(c, true, NT_CR_NET_SYSCTL);
		unsigned int nr_sysctls, nr_links, nr_msgs;

		rule(c->rep, cr_rule_net_links(path, find(c, true, NT_CR_NET_LINKS), &nr_links));
		rule(c->rep, cr_rule_net_sysctl(path, sysctls, &nr_sysctls));
		rule(c->rep, cr_rule_net_rtnl(path, find(c, true, NT_CR_NET_RTNL), &nr_msgs));
	}
	if (ns.flags & CR_NS_MNT) {
		unsigned int nr_mounts;

		if (!rule(c->rep, cr_rule_mounts(path, find(c, true, NT_CR_MOUNTS), &nr_mounts)))
			rule(c->rep, cr_rule_tmpfs(path, find(c, true, NT_CR_TMPFS), nr_mounts));
	}
	if (rule(c->rep, cr_rule_tree_note(path, find(c, true, NT_CR_TREE), &nr)) || !have)
		return;
	rule(c->rep, cr_rule_tree(path, t->proc, t->nr, (const struct elf64_phdr *)c->img->phdrs,
				  c->img->phnum, &c->img->hdr));
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
	free(c.tid);
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
	ts.tree = have ? &t : NULL;
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
	      "  - TCP and UDP sockets: their local address is the restoring system's\n"
	      "    (else EADDRNOTAVAIL) and free (else EADDRINUSE), the caller may bind\n"
	      "    it and set their options; an established TCP connection needs\n"
	      "    CAP_NET_ADMIN in the restoring network namespace (else EPERM)\n"
	      "  - unix sockets by name: their name is free (a socket file nobody\n"
	      "    listens on is replaced; else EADDRINUSE), the caller may make the\n"
	      "    socket file there (else EACCES, ENOENT) and set their options; the\n"
	      "    peer of a connected datagram socket is there (else ECONNREFUSED,\n"
	      "    ENOENT)\n"
	      "  - credentials (NT_CR_PROCESS ids, NT_CR_CREDS): given back as far as\n"
	      "    the caller may set them (ids and groups with CAP_SETUID and\n"
	      "    CAP_SETGID, capabilities within its own, the bounding set and\n"
	      "    securebits with CAP_SETPCAP); else the caller's stay, no error\n"
	      "  - several processes or threads: the caller has the root's pid and\n"
	      "    CAP_CHECKPOINT_RESTORE (original ids: none in use, else EBUSY; each\n"
	      "    process's first thread has its pid, else EINVAL), or\n"
	      "    kernel.cr.new_tids is 1 (else EPERM)\n"
	      "these apply to every process of a tree\n", f);
}
