// SPDX-License-Identifier: GPL-2.0
/*
 * crcore show: what an image holds, as text or as JSON (the schema is in
 * crcore.rst): the root process, the tree of processes (NT_CR_TREE), and
 * each other live process of the tree from its own image (a
 * PT_CR_PROCESS segment), described as the root is.
 *
 * The image may be invalid: every note is read only as far as it goes,
 * and a note that is missing or has the wrong size is shown as absent
 * (null in JSON). The problems "check" finds are listed at the end.
 */
#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <sys/user.h>
#include <time.h>

#include "crcore.h"
#include "json.h"

/* The C library's structures are the x86-64 kernel's. */
_Static_assert(sizeof(struct elf_prstatus) == CR_PRSTATUS_SIZE, "NT_PRSTATUS layout");
_Static_assert(offsetof(struct elf_prstatus, pr_reg) == CR_PRSTATUS_REGS, "NT_PRSTATUS layout");
_Static_assert(sizeof(struct elf_prpsinfo) == CR_PRPSINFO_SIZE, "NT_PRPSINFO layout");
_Static_assert(sizeof(siginfo_t) == CR_SIGINFO_SIZE, "siginfo_t layout");

/* The notes of one thread: from its NT_PRSTATUS to the next one. */
struct thread_view {
	const struct cr_note *prstatus, *fpreg, *xstate, *thread, *sigpending, *seccomp;
	const struct cr_note *dispatch, *creds;
};

/*
 * The pipes, socket pairs and pty pairs of a tree (NT_CR_PIPES,
 * NT_CR_SOCKETS, NT_CR_TTYS of the root): the entries that fit in their
 * note, and their ends by open file.
 */
struct objs_view {
	uint32_t nr_pipes, nr_ends, nr_socks, nr_ttys, nr_tty_ends;
	const unsigned char *pipe, *end, *sock, *tty, *tty_end;	/* the tables (unaligned) */
	const unsigned char *pipe_data, *sock_data;
	uint64_t pipe_data_len, sock_data_len;
	bool have_pipes, have_socks, have_ttys;
	uint64_t *end_by_id;		/* file_id << 32 | index, sorted */
	uint64_t *end_by_pipe;		/* pipe << 32 | index, sorted */
	uint64_t *sock_by_id;
	uint64_t *tty_end_by_id;
	uint64_t *tty_end_by_tty;	/* tty << 32 | index, sorted */
	const struct image *root;	/* the image they are of */
};

struct view {
	struct image *img;
	const struct objs_view *objs;	/* the tree's, or NULL */
	const struct report *rep;
	const struct cr_note *psinfo, *siginfo, *sighand, *files, *nt_file, *vmas,
			     *pages, *mm, *process, *itimers, *ptimers, *locks, *fowns;
	struct thread_view *threads;
	unsigned int nr_threads;
	/* NT_FILE: paths by index, NULL where missing */
	uint64_t nr_files;
	const char **file_name;
	/* The mappings: one per PT_LOAD, with their NT_CR_VMAS entry. */
	unsigned int nr_maps;
	uint64_t nr_vma_entries;
	uint64_t *stored;		/* bytes of NT_CR_PAGES per mapping */
	uint64_t stored_total;
	uint64_t nr_runs;
	uint64_t *inherited;		/* bytes of NT_CR_PARENT_PAGES per mapping */
	uint64_t inherited_total;
	uint64_t nr_pruns;
	bool have_pruns;
};

/* Reading the notes */

static void view_threads(struct view *v)
{
	struct image *img = v->img;
	struct thread_view *t = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < img->nr_notes; i++)
		if (!img->note[i].ours && img->note[i].type == CR_NT_PRSTATUS)
			n++;
	v->threads = calloc(n ? n : 1, sizeof(*v->threads));
	if (!v->threads)
		return;
	for (i = 0; i < img->nr_notes; i++) {
		const struct cr_note *note = &img->note[i];

		if (!note->ours && note->type == CR_NT_PRSTATUS) {
			t = &v->threads[v->nr_threads++];
			t->prstatus = note;
		} else if (!t) {
			continue;
		} else if (!note->ours && note->type == CR_NT_PRFPREG && !t->fpreg) {
			t->fpreg = note;
		} else if (!note->ours && note->type == CR_NT_X86_XSTATE && !t->xstate) {
			t->xstate = note;
		} else if (note->ours && note->type == NT_CR_THREAD && !t->thread) {
			t->thread = note;
		} else if (note->ours && note->type == NT_CR_SIGPENDING && !t->sigpending) {
			t->sigpending = note;
		} else if (note->ours && note->type == NT_CR_SECCOMP && !t->seccomp) {
			t->seccomp = note;
		} else if (note->ours && note->type == NT_CR_THREAD_DISPATCH && !t->dispatch) {
			t->dispatch = note;
		} else if (note->ours && note->type == NT_CR_THREAD_CREDS && !t->creds) {
			t->creds = note;
		}
	}
}

/* NT_FILE, leniently: the paths that are there. */
static void view_nt_file(struct view *v)
{
	const struct cr_note *note = v->nt_file;
	const char *name, *end;
	uint64_t count, i;

	if (!note || note->size < 16)
		return;
	count = get_u64(note->desc);
	if (count > (note->size - 16) / 24)
		return;
	v->file_name = calloc(count ? count : 1, sizeof(*v->file_name));
	if (!v->file_name)
		return;
	v->nr_files = count;
	name = (const char *)note->desc + 16 + 24 * count;
	end = (const char *)note->desc + note->size;
	for (i = 0; i < count && name < end; i++) {
		const char *nul = memchr(name, '\0', end - name);

		if (!nul)
			break;
		v->file_name[i] = name;
		name = nul + 1;
	}
}

/* Which mapping holds @addr: the segments are sorted when valid. */
static int view_find_map(const struct view *v, uint64_t addr)
{
	const GElf_Phdr *ph = v->img->phdrs + 1;
	unsigned int lo = 0, hi = v->nr_maps, i;

	if (v->img->segments_ok) {
		while (lo < hi) {
			unsigned int mid = lo + (hi - lo) / 2;

			if (addr < ph[mid].p_vaddr)
				hi = mid;
			else if (addr - ph[mid].p_vaddr >= ph[mid].p_memsz)
				lo = mid + 1;
			else
				return mid;
		}
		return -1;
	}
	for (i = 0; i < v->nr_maps; i++)
		if (addr >= ph[i].p_vaddr && addr - ph[i].p_vaddr < ph[i].p_memsz)
			return i;
	return -1;
}

/* Bytes stored per mapping, from NT_CR_PAGES (the part of each run inside). */
static void view_runs(struct view *v, const struct cr_note *note, uint64_t *per_map,
		      uint64_t *total, uint64_t *nr_runs)
{
	uint64_t i;

	if (!per_map || !note)
		return;
	*nr_runs = note->size / sizeof(struct cr_page_run);
	for (i = 0; i < *nr_runs; i++) {
		struct cr_page_run run;
		const GElf_Phdr *ph;
		uint64_t end, len;
		int m;

		memcpy(&run, note->desc + i * sizeof(run), sizeof(run));
		m = view_find_map(v, run.start);
		if (m < 0 || run.nr_pages > CR_TASK_SIZE_MAX >> CR_PAGE_SHIFT)
			continue;
		ph = &v->img->phdrs[m + 1];
		end = ph->p_vaddr + ph->p_memsz;
		len = run.nr_pages << CR_PAGE_SHIFT;
		if (len > end - run.start)
			len = end - run.start;
		per_map[m] += len;
		*total += len;
	}
}

static void view_stored(struct view *v)
{
	const struct cr_note *pn = image_find_note(v->img, true, NT_CR_PARENT_PAGES);

	v->stored = calloc(v->nr_maps ? v->nr_maps : 1, sizeof(*v->stored));
	v->inherited = calloc(v->nr_maps ? v->nr_maps : 1, sizeof(*v->inherited));
	view_runs(v, v->pages, v->stored, &v->stored_total, &v->nr_runs);
	v->have_pruns = pn;
	view_runs(v, pn, v->inherited, &v->inherited_total, &v->nr_pruns);
}

static bool view_init(struct view *v, struct image *img, const struct report *rep)
{
	memset(v, 0, sizeof(*v));
	v->img = img;
	v->rep = rep;
	v->psinfo = image_find_note(img, false, CR_NT_PRPSINFO);
	v->siginfo = image_find_note(img, false, CR_NT_SIGINFO);
	v->nt_file = image_find_note(img, false, CR_NT_FILE);
	v->sighand = image_find_note(img, true, NT_CR_SIGHAND);
	v->files = image_find_note(img, true, NT_CR_FILES);
	v->vmas = image_find_note(img, true, NT_CR_VMAS);
	v->pages = image_find_note(img, true, NT_CR_PAGES);
	v->mm = image_find_note(img, true, NT_CR_MM);
	v->process = image_find_note(img, true, NT_CR_PROCESS);
	v->itimers = image_find_note(img, true, NT_CR_ITIMERS);
	if (v->itimers && v->itimers->size != CR_NR_ITIMERS * sizeof(struct cr_itimer))
		v->itimers = NULL;
	v->ptimers = image_find_note(img, true, NT_CR_POSIX_TIMERS);
	if (v->ptimers && v->ptimers->size % sizeof(struct cr_posix_timer))
		v->ptimers = NULL;
	v->locks = image_find_note(img, true, NT_CR_LOCKS);
	if (v->locks && v->locks->size % sizeof(struct cr_lock))
		v->locks = NULL;
	v->fowns = image_find_note(img, true, NT_CR_FOWNERS);
	if (v->fowns && v->fowns->size % sizeof(struct cr_fown))
		v->fowns = NULL;
	if (v->psinfo && v->psinfo->size != CR_PRPSINFO_SIZE)
		v->psinfo = NULL;
	if (v->siginfo && v->siginfo->size != CR_SIGINFO_SIZE)
		v->siginfo = NULL;
	if (v->sighand && v->sighand->size != CR_NSIG * sizeof(struct cr_sigaction))
		v->sighand = NULL;
	if (v->mm && v->mm->size != sizeof(struct cr_hdr_mm))
		v->mm = NULL;
	if (v->process && v->process->size < sizeof(struct cr_hdr_process))
		v->process = NULL;
	if (v->files && v->files->size < sizeof(struct cr_hdr_files))
		v->files = NULL;
	v->nr_maps = img->nr_loads;
	if (v->vmas)
		v->nr_vma_entries = v->vmas->size / sizeof(struct cr_vma);
	view_threads(v);
	view_nt_file(v);
	view_stored(v);
	return v->threads && v->stored && v->inherited;
}

static void view_free(struct view *v)
{
	free(v->threads);
	free(v->file_name);
	free(v->stored);
	free(v->inherited);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* @n entries of @size bytes at @tab, with their file id at @id_off, by id. */
static uint64_t *objs_index(const unsigned char *tab, uint32_t n, size_t size, size_t id_off)
{
	uint64_t *idx = malloc((n ? n : 1) * sizeof(*idx));
	uint32_t i;

	if (!idx)
		return NULL;
	for (i = 0; i < n; i++)
		idx[i] = (uint64_t)get_u32(tab + (uint64_t)i * size + id_off) << 32 | i;
	qsort(idx, n, sizeof(*idx), cmp_u64);
	return idx;
}

/* The first position of key @id in an index (n if none). */
static uint32_t objs_first(const uint64_t *idx, uint32_t n, uint32_t id)
{
	uint32_t lo = 0, hi = n;

	while (idx && lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (idx[mid] >> 32 < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return idx && lo < n && idx[lo] >> 32 == id ? lo : n;
}

/* The entry of open file @id in an index, or -1. */
static int64_t objs_find(const uint64_t *idx, uint32_t n, uint32_t id)
{
	uint32_t k = objs_first(idx, n, id);

	return k < n ? (int64_t)(idx[k] & 0xffffffff) : -1;
}

static bool objs_init(struct objs_view *o, const struct image *root)
{
	const struct cr_note *pn = NULL, *sn = NULL, *tn = NULL;
	uint64_t room;

	memset(o, 0, sizeof(*o));
	o->root = root;
	if (root->notes_ok) {
		pn = image_find_note(root, true, NT_CR_PIPES);
		sn = image_find_note(root, true, NT_CR_SOCKETS);
		tn = image_find_note(root, true, NT_CR_TTYS);
	}
	if (pn && pn->size >= sizeof(struct cr_hdr_pipes)) {
		struct cr_hdr_pipes h;

		memcpy(&h, pn->desc, sizeof(h));
		room = (pn->size - sizeof(h)) / sizeof(struct cr_pipe);
		o->nr_pipes = h.nr_pipes < room ? h.nr_pipes : room;
		o->pipe = pn->desc + sizeof(h);
		o->end = o->pipe + (uint64_t)o->nr_pipes * sizeof(struct cr_pipe);
		room = (pn->size - sizeof(h) - (uint64_t)o->nr_pipes * sizeof(struct cr_pipe)) /
		       sizeof(struct cr_pipe_file);
		o->nr_ends = h.nr_files < room ? h.nr_files : room;
		o->pipe_data = o->end + (uint64_t)o->nr_ends * sizeof(struct cr_pipe_file);
		o->pipe_data_len = pn->desc + pn->size - o->pipe_data;
		o->have_pipes = true;
		o->end_by_id = objs_index(o->end, o->nr_ends, sizeof(struct cr_pipe_file),
					  offsetof(struct cr_pipe_file, file_id));
		o->end_by_pipe = objs_index(o->end, o->nr_ends, sizeof(struct cr_pipe_file),
					    offsetof(struct cr_pipe_file, pipe));
		if (!o->end_by_id || !o->end_by_pipe)
			return false;
	}
	if (sn && sn->size >= sizeof(struct cr_hdr_sockets)) {
		struct cr_hdr_sockets h;

		memcpy(&h, sn->desc, sizeof(h));
		room = (sn->size - sizeof(h)) / sizeof(struct cr_socket);
		o->nr_socks = h.nr_sockets < room ? h.nr_sockets : room;
		o->sock = sn->desc + sizeof(h);
		o->sock_data = o->sock + (uint64_t)o->nr_socks * sizeof(struct cr_socket);
		o->sock_data_len = sn->desc + sn->size - o->sock_data;
		o->have_socks = true;
		o->sock_by_id = objs_index(o->sock, o->nr_socks, sizeof(struct cr_socket),
					   offsetof(struct cr_socket, file_id));
		if (!o->sock_by_id)
			return false;
	}
	if (tn && tn->size >= sizeof(struct cr_hdr_ttys)) {
		struct cr_hdr_ttys h;

		memcpy(&h, tn->desc, sizeof(h));
		room = (tn->size - sizeof(h)) / sizeof(struct cr_tty);
		o->nr_ttys = h.nr_ttys < room ? h.nr_ttys : room;
		o->tty = tn->desc + sizeof(h);
		o->tty_end = o->tty + (uint64_t)o->nr_ttys * sizeof(struct cr_tty);
		room = (tn->size - sizeof(h) - (uint64_t)o->nr_ttys * sizeof(struct cr_tty)) /
		       sizeof(struct cr_tty_file);
		o->nr_tty_ends = h.nr_files < room ? h.nr_files : room;
		o->have_ttys = true;
		o->tty_end_by_id = objs_index(o->tty_end, o->nr_tty_ends,
					      sizeof(struct cr_tty_file),
					      offsetof(struct cr_tty_file, file_id));
		o->tty_end_by_tty = objs_index(o->tty_end, o->nr_tty_ends,
					       sizeof(struct cr_tty_file),
					       offsetof(struct cr_tty_file, tty));
		if (!o->tty_end_by_id || !o->tty_end_by_tty)
			return false;
	}
	return true;
}

static void objs_free(struct objs_view *o)
{
	free(o->end_by_id);
	free(o->end_by_pipe);
	free(o->sock_by_id);
	free(o->tty_end_by_id);
	free(o->tty_end_by_tty);
	memset(o, 0, sizeof(*o));
}

static void objs_end(const struct objs_view *o, uint32_t i, struct cr_pipe_file *out)
{
	memcpy(out, o->end + (uint64_t)i * sizeof(*out), sizeof(*out));
}

static void objs_pipe(const struct objs_view *o, uint32_t i, struct cr_pipe *out)
{
	memcpy(out, o->pipe + (uint64_t)i * sizeof(*out), sizeof(*out));
}

static void objs_sock(const struct objs_view *o, uint32_t i, struct cr_socket *out)
{
	memcpy(out, o->sock + (uint64_t)i * sizeof(*out), sizeof(*out));
}

static void objs_tty(const struct objs_view *o, uint32_t i, struct cr_tty *out)
{
	memcpy(out, o->tty + (uint64_t)i * sizeof(*out), sizeof(*out));
}

static void objs_tty_end(const struct objs_view *o, uint32_t i, struct cr_tty_file *out)
{
	memcpy(out, o->tty_end + (uint64_t)i * sizeof(*out), sizeof(*out));
}

static const char *tty_end_name(uint32_t end)
{
	return end == CR_TTY_MASTER ? "master" : end == CR_TTY_SLAVE ? "slave" : "?";
}

static const char *shutdown_name(uint32_t how)
{
	static const char *const names[] = { "none", "read", "write", "read|write" };

	return how < ARRAY_SIZE(names) ? names[how] : "unknown";
}

/* What one message walked by msgs_walk() gives: its ids, sender and data. */
typedef void (*msg_fn)(void *arg, const struct cr_unix_msg *m, const unsigned char *ids,
		       const char *name, const unsigned char *data);

/*
 * Messages as an image holds them (struct cr_unix_msg, the ids of the
 * files they carry, the sender's address, the data), @len bytes at @p:
 * calls @fn for each of the first @max of @nr that lie inside them.
 * Returns the number walked.
 */
static uint32_t msgs_walk(const unsigned char *p, uint64_t len, uint32_t nr, uint32_t max,
			  msg_fn fn, void *arg)
{
	struct cr_unix_msg m;
	uint64_t off = 0, ids;
	uint32_t i;

	for (i = 0; i < nr && i < max; i++) {
		if (len - off < sizeof(m))
			break;
		memcpy(&m, p + off, sizeof(m));
		ids = (uint64_t)m.nr_files * 4;
		if (ids + m.len + m.name_len > len - off - sizeof(m))
			break;
		fn(arg, &m, p + off + sizeof(m), (const char *)p + off + sizeof(m) + ids,
		   p + off + sizeof(m) + ids + m.name_len);
		off += (sizeof(m) + ids + m.name_len + (uint64_t)m.len + 3) & ~3ULL;
		if (off > len)
			break;
	}
	return i;
}

/*
 * The messages of a socket pair's end: calls @fn for each that lies
 * inside the data area, at most @max of them. Returns the number walked.
 */
static uint32_t sock_msgs(const struct objs_view *o, const struct cr_socket *cs, uint32_t max,
			  msg_fn fn, void *arg)
{
	if (cs->data_off > o->sock_data_len || cs->data_len > o->sock_data_len - cs->data_off)
		return 0;
	return msgs_walk(o->sock_data + cs->data_off, cs->data_len, cs->nr_msgs, max, fn, arg);
}

/* " carrying open files 3, 7" for a message that carries files, else "". */
static void msg_files_string(const struct cr_unix_msg *m, const unsigned char *ids, char *buf,
			     size_t size)
{
	size_t n = 0;
	uint32_t k;

	buf[0] = 0;
	for (k = 0; k < m->nr_files && n < size; k++)
		n += snprintf(buf + n, size - n, "%s%u",
			      k ? ", " : m->nr_files == 1 ? " carrying open file " :
			      " carrying open files ", get_u32(ids + 4 * k));
}

/* A pipe's unread bytes, if they lie inside the data area. */
static const unsigned char *pipe_bytes(const struct objs_view *o, const struct cr_pipe *p)
{
	if (p->data_off > o->pipe_data_len || p->data_len > o->pipe_data_len - p->data_off)
		return NULL;
	return o->pipe_data + p->data_off;
}

/* A FIFO's path, if it lies inside the data area, terminated; else NULL. */
static const char *fifo_path(const struct objs_view *o, const struct cr_pipe *p)
{
	const char *path;

	if (!(p->flags & CR_PIPE_FIFO) || !p->path_len || p->path_off > o->pipe_data_len ||
	    p->path_len > o->pipe_data_len - p->path_off)
		return NULL;
	path = (const char *)o->pipe_data + p->path_off;
	return memchr(path, '\0', p->path_len) == path + p->path_len - 1 ? path : NULL;
}

/* What an end of a pipe is, by its access mode. */
static const char *pipe_end_name(uint32_t flags)
{
	static const char *const name[4] = { "read", "write", "read-write", "?" };

	return name[flags & 03];
}

/* What descriptor @e is an end of, in words. */
static void fd_object(const struct view *v, const struct cr_fd *e, char *buf, size_t len)
{
	const struct objs_view *o = v->objs;
	int64_t k;

	buf[0] = '\0';
	if (!o || (e->kind != CR_FD_PIPE && e->kind != CR_FD_SOCKET && e->kind != CR_FD_TTY))
		return;
	if (e->kind == CR_FD_TTY) {
		struct cr_tty_file tf;

		k = objs_find(o->tty_end_by_id, o->nr_tty_ends, e->file_id);
		if (k < 0) {
			snprintf(buf, len, "no pty end");
			return;
		}
		objs_tty_end(o, k, &tf);
		snprintf(buf, len, "pty %u, %s", tf.tty, tty_end_name(tf.end));
		return;
	}
	if (e->kind == CR_FD_PIPE) {
		struct cr_pipe_file pf;

		k = objs_find(o->end_by_id, o->nr_ends, e->file_id);
		if (k < 0) {
			snprintf(buf, len, "no pipe end");
			return;
		}
		objs_end(o, k, &pf);
		snprintf(buf, len, "pipe %u, %s end", pf.pipe, pipe_end_name(pf.flags));
		return;
	}
	k = objs_find(o->sock_by_id, o->nr_socks, e->file_id);
	if (k < 0) {
		snprintf(buf, len, "no socket");
	} else {
		struct cr_socket cs;

		objs_sock(o, k, &cs);
		snprintf(buf, len, "socket %lld of pair %lld-%u, %s", (long long)k,
			 (long long)(k < cs.peer ? k : cs.peer), k < cs.peer ? cs.peer : (uint32_t)k,
			 sock_type_name(cs.type));
	}
}

/* The NT_CR_VMAS entry of mapping @i, if there is one. */
static bool view_vma(const struct view *v, unsigned int i, struct cr_vma *out)
{
	if (i >= v->nr_vma_entries)
		return false;
	memcpy(out, v->vmas->desc + (uint64_t)i * sizeof(*out), sizeof(*out));
	return true;
}

static const char *view_file_name(const struct view *v, int64_t i)
{
	return i >= 0 && (uint64_t)i < v->nr_files ? v->file_name[i] : NULL;
}

/* The descriptor table: entries that fit, and the data area. */
struct fd_table {
	uint32_t nr;
	const unsigned char *entries;
	const char *data;
	uint64_t data_len;
};

static bool view_fds(const struct view *v, struct fd_table *t)
{
	struct cr_hdr_files h;
	uint64_t room;

	if (!v->files)
		return false;
	memcpy(&h, v->files->desc, sizeof(h));
	room = (v->files->size - sizeof(h)) / sizeof(struct cr_fd);
	t->nr = h.nr_fds < room ? h.nr_fds : room;
	t->entries = v->files->desc + sizeof(h);
	t->data = (const char *)t->entries + (uint64_t)t->nr * sizeof(struct cr_fd);
	t->data_len = v->files->size - sizeof(h) - (uint64_t)t->nr * sizeof(struct cr_fd);
	return true;
}

/* A path of the descriptor data area, if it is a terminated string there. */
static const char *fd_path(const struct fd_table *t, const struct cr_fd *e, size_t *len)
{
	const char *p;

	if (!e->path_len || e->path_off > t->data_len || e->path_len > t->data_len - e->path_off)
		return NULL;
	p = t->data + e->path_off;
	*len = strnlen(p, e->path_len);
	return p;
}

/*
 * The NT_CR_SOCK_FILTERS entry of descriptor @fd, into @out, with where
 * its instructions are (unaligned: copy each before use), as far as the
 * note holds them.
 */
static bool view_sock_filter(const struct view *v, int32_t fd, struct cr_sock_filter *out,
			     const unsigned char **insns)
{
	const struct cr_note *n = image_find_note(v->img, true, NT_CR_SOCK_FILTERS);
	uint64_t off = 0, size = n ? n->size : 0;

	while (size - off >= sizeof(*out)) {
		memcpy(out, (const unsigned char *)n->desc + off, sizeof(*out));
		off += sizeof(*out);
		if ((size - off) / sizeof(struct cr_bpf_insn) < out->len)
			return false;
		if (out->fd == fd) {
			*insns = (const unsigned char *)n->desc + off;
			return true;
		}
		off += out->len * (uint64_t)sizeof(struct cr_bpf_insn);
	}
	return false;
}

/*
 * The entry of descriptor @fd in note @type, whose entries are @size
 * bytes each, the descriptor first (NT_CR_SOCK_OPTS, NT_CR_SOCK_DEVS),
 * into @out; false for none.
 */
static bool view_fd_entry(const struct view *v, uint32_t type, int32_t fd, void *out,
			  size_t size)
{
	const struct cr_note *n = image_find_note(v->img, true, type);
	uint64_t off;
	int32_t e;

	for (off = 0; n && n->size - off >= size; off += size) {
		memcpy(&e, (const unsigned char *)n->desc + off, sizeof(e));
		if (e == fd) {
			memcpy(out, (const unsigned char *)n->desc + off, size);
			return true;
		}
	}
	return false;
}

static bool view_sock_opts(const struct view *v, int32_t fd, struct cr_sock_opts *out)
{
	return view_fd_entry(v, NT_CR_SOCK_OPTS, fd, out, sizeof(*out));
}

static bool view_sock_dev(const struct view *v, int32_t fd, struct cr_sock_dev *out)
{
	return view_fd_entry(v, NT_CR_SOCK_DEVS, fd, out, sizeof(*out));
}

/*
 * The NT_CR_FOWNERS entry of descriptor @fd, into @out: the walk goes
 * along the note as the caller goes along the descriptors, by increasing
 * fd, from entry *@k (0 at first). False when @fd has none.
 */
static bool view_fown(const struct view *v, int32_t fd, uint32_t *k, struct cr_fown *out)
{
	uint32_t n = v->fowns ? v->fowns->size / sizeof(*out) : 0;

	for (; *k < n; ++*k) {
		memcpy(out, v->fowns->desc + (uint64_t)*k * sizeof(*out), sizeof(*out));
		if (out->fd >= fd)
			break;
	}
	return *k < n && out->fd == fd;
}

static const char *note_type_name(const struct cr_note *n)
{
	if (n->ours) {
		switch (n->type) {
		case NT_CR_HEADER: return "NT_CR_HEADER";
		case NT_CR_MM: return "NT_CR_MM";
		case NT_CR_VMAS: return "NT_CR_VMAS";
		case NT_CR_PAGES: return "NT_CR_PAGES";
		case NT_CR_PARENT_PAGES: return "NT_CR_PARENT_PAGES";
		case NT_CR_THREAD: return "NT_CR_THREAD";
		case NT_CR_SECCOMP: return "NT_CR_SECCOMP";
		case NT_CR_THREAD_CREDS: return "NT_CR_THREAD_CREDS";
		case NT_CR_THREAD_DISPATCH: return "NT_CR_THREAD_DISPATCH";
		case NT_CR_SIGHAND: return "NT_CR_SIGHAND";
		case NT_CR_SIGPENDING: return "NT_CR_SIGPENDING";
		case NT_CR_FILES: return "NT_CR_FILES";
		case NT_CR_PIPES: return "NT_CR_PIPES";
		case NT_CR_SOCKETS: return "NT_CR_SOCKETS";
		case NT_CR_TTYS: return "NT_CR_TTYS";
		case NT_CR_LOCKS: return "NT_CR_LOCKS";
		case NT_CR_FOWNERS: return "NT_CR_FOWNERS";
		case NT_CR_SOCK_FILTERS: return "NT_CR_SOCK_FILTERS";
		case NT_CR_SOCK_OPTS: return "NT_CR_SOCK_OPTS";
		case NT_CR_SOCK_DEVS: return "NT_CR_SOCK_DEVS";
		case NT_CR_PROCESS: return "NT_CR_PROCESS";
		case NT_CR_ITIMERS: return "NT_CR_ITIMERS";
		case NT_CR_POSIX_TIMERS: return "NT_CR_POSIX_TIMERS";
		case NT_CR_CREDS: return "NT_CR_CREDS";
		case NT_CR_SYSV_SHM: return "NT_CR_SYSV_SHM";
		case NT_CR_SEM_UNDO: return "NT_CR_SEM_UNDO";
		case NT_CR_SYSV_SEM: return "NT_CR_SYSV_SEM";
		case NT_CR_SYSV_MSG: return "NT_CR_SYSV_MSG";
		case NT_CR_AIO: return "NT_CR_AIO";
		case NT_CR_TREE: return "NT_CR_TREE";
		case NT_CR_NS: return "NT_CR_NS";
		case NT_CR_USERNS: return "NT_CR_USERNS";
		case NT_CR_MOUNTS: return "NT_CR_MOUNTS";
		case NT_CR_TMPFS: return "NT_CR_TMPFS";
		case NT_CR_NET_SYSCTL: return "NT_CR_NET_SYSCTL";
		case NT_CR_NET_LINKS: return "NT_CR_NET_LINKS";
		case NT_CR_NET_RTNL: return "NT_CR_NET_RTNL";
		case NT_CR_TTY_DATA: return "NT_CR_TTY_DATA";
		}
		return NULL;
	}
	switch (n->type) {
	case CR_NT_PRSTATUS: return "NT_PRSTATUS";
	case CR_NT_PRFPREG: return "NT_PRFPREG";
	case CR_NT_PRPSINFO: return "NT_PRPSINFO";
	case CR_NT_AUXV: return "NT_AUXV";
	case CR_NT_SIGINFO: return "NT_SIGINFO";
	case CR_NT_FILE: return "NT_FILE";
	case CR_NT_X86_XSTATE: return "NT_X86_XSTATE";
	}
	return NULL;
}

static const char *si_code_name(int code)
{
	switch (code) {
	case 0: return "SI_USER";
	case 0x80: return "SI_KERNEL";
	case -1: return "SI_QUEUE";
	case -2: return "SI_TIMER";
	case -3: return "SI_MESGQ";
	case -4: return "SI_ASYNCIO";
	case -5: return "SI_SIGIO";
	case -6: return "SI_TKILL";
	}
	return NULL;
}

/* Does the siginfo carry a sender (pid, uid)? */
static bool si_has_sender(int code)
{
	return code == 0 || code == -1 || code == -6;
}

/* "r-xp" as in /proc/PID/maps */
static void prot_string(uint32_t prot, bool shared, char out[5])
{
	out[0] = prot & 1 ? 'r' : '-';
	out[1] = prot & 2 ? 'w' : '-';
	out[2] = prot & 4 ? 'x' : '-';
	out[3] = shared ? 's' : 'p';
	out[4] = '\0';
}

static void prot_from_phdr(const GElf_Phdr *ph, char out[5])
{
	prot_string((ph->p_flags & PF_R ? 1 : 0) | (ph->p_flags & PF_W ? 2 : 0) |
		    (ph->p_flags & PF_X ? 4 : 0), false, out);
}

/* "2026-11-25T13:48:12.123456789Z", or the number when out of range. */
static void time_string(uint64_t ns, char *buf, size_t len)
{
	time_t t = ns / 1000000000;
	struct tm tm;

	if ((uint64_t)t != ns / 1000000000 || !gmtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
		return;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), ".%09lluZ",
		 (unsigned long long)(ns % 1000000000));
}

/* A duration in seconds: "2.000s", "0.000250s", "1.000000001s". */
static void duration_string(int64_t ns, char *buf, size_t len)
{
	uint64_t u = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	unsigned long long sec = u / 1000000000, frac = u % 1000000000;
	const char *sign = ns < 0 ? "-" : "";

	if (!(frac % 1000000))
		snprintf(buf, len, "%s%llu.%03llus", sign, sec, frac / 1000000);
	else if (!(frac % 1000))
		snprintf(buf, len, "%s%llu.%06llus", sign, sec, frac / 1000);
	else
		snprintf(buf, len, "%s%llu.%09llus", sign, sec, frac);
}

/* Bytes as "4K", "1.5M" for the text tables. */
static const char *size_string(uint64_t n, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double d = n;
	unsigned int u = 0;

	if (n < 1024) {
		snprintf(buf, len, "%llu", (unsigned long long)n);
		return buf;
	}
	d /= 1024;
	while (d >= 1024 && u < sizeof(units) - 2) {
		d /= 1024;
		u++;
	}
	if (d == (uint64_t)d)
		snprintf(buf, len, "%llu%c", (unsigned long long)d, units[u]);
	else
		snprintf(buf, len, "%.1f%c", d, units[u]);
	return buf;
}

/* A fixed-size, maybe unterminated string of a note, for printing. */
static void fixed_string(const char *s, size_t max, char *out)
{
	size_t len = strnlen(s, max);

	memcpy(out, s, len);
	out[len] = '\0';
}

/* The tree */

/* The processes of NT_CR_TREE, with what show prints of them. */
struct tree_view {
	struct tree t;
	bool have;		/* NT_CR_TREE could be read */
	char (*comm)[17];	/* each process's name, from its NT_PRPSINFO */
	unsigned int *order;	/* depth first, for the text table */
	unsigned int *depth;
};

/* The name in an image's NT_PRPSINFO, or "". */
static void image_comm(const struct image *img, char out[17])
{
	const struct cr_note *n = NULL;
	struct elf_prpsinfo ps;

	out[0] = '\0';
	if (img->notes_ok)
		n = image_find_note(img, false, CR_NT_PRPSINFO);
	if (!n || n->size != sizeof(ps))
		return;
	memcpy(&ps, n->desc, sizeof(ps));
	fixed_string(ps.pr_fname, sizeof(ps.pr_fname), out);
}

/* Is entry @i's parent an earlier entry, as in a valid tree? */
static bool tree_parent_ok(const struct tree *t, unsigned int i)
{
	return i && t->proc[i].parent >= 0 && (unsigned int)t->proc[i].parent < i;
}

/*
 * Depth first: each process after its parent, its children in the
 * order of the tree. Entries whose parent is no earlier entry (an
 * invalid tree) come last, at depth 0.
 */
static bool tree_view_order(struct tree_view *tv)
{
	const struct tree *t = &tv->t;
	unsigned int n = t->nr, i, top = 0, k = 0;
	unsigned int *first, *next, *last, *stack;
	bool *seen, ok = false;

	if (!n)
		return true;
	first = malloc(n * sizeof(*first));
	next = malloc(n * sizeof(*next));
	last = malloc(n * sizeof(*last));
	stack = malloc(n * sizeof(*stack));
	seen = calloc(n, sizeof(*seen));
	if (!first || !next || !last || !stack || !seen)
		goto out;
	for (i = 0; i < n; i++) {
		first[i] = n;
		next[i] = n;
		last[i] = n;
	}
	for (i = 1; i < n; i++) {
		unsigned int p;

		if (!tree_parent_ok(t, i))
			continue;
		p = t->proc[i].parent;
		if (first[p] == n)
			first[p] = i;
		else
			next[last[p]] = i;
		last[p] = i;
	}
	for (i = 0; i < n; i++) {
		if (seen[i] || (i && tree_parent_ok(t, i)))
			continue;
		stack[top++] = i;
		tv->depth[i] = 0;
		while (top) {
			unsigned int x = stack[--top], c, m = 0, pos;

			seen[x] = true;
			tv->order[k++] = x;
			/* Its children, the first on top: each has one parent, pushed once. */
			for (c = first[x]; c < n; c = next[c])
				m++;
			pos = top + m;
			for (c = first[x]; c < n; c = next[c]) {
				stack[--pos] = c;
				tv->depth[c] = tv->depth[x] + 1;
			}
			top += m;
		}
	}
	ok = k == n;
out:
	free(first);
	free(next);
	free(last);
	free(stack);
	free(seen);
	return ok;
}

static void tree_view_free(struct tree_view *tv)
{
	tree_free(&tv->t);
	free(tv->comm);
	free(tv->order);
	free(tv->depth);
	memset(tv, 0, sizeof(*tv));
}

/* The tree of @root, if it has one, and the names of its processes. */
static bool tree_view_init(struct tree_view *tv, const struct image *root)
{
	unsigned int i, n;

	memset(tv, 0, sizeof(*tv));
	if (tree_read(root, &tv->t))
		return true;
	n = tv->t.nr ? tv->t.nr : 1;
	tv->comm = calloc(n, sizeof(*tv->comm));
	tv->order = calloc(n, sizeof(*tv->order));
	tv->depth = calloc(n, sizeof(*tv->depth));
	if (!tv->comm || !tv->order || !tv->depth || !tree_view_order(tv))
		return false;
	tv->have = true;
	for (i = 0; i < tv->t.nr; i++) {
		struct report scratch = { .path = root->path };
		struct image img;

		if (!i) {
			image_comm(root, tv->comm[0]);
			continue;
		}
		if (!tree_segment(root, &tv->t, i))
			continue;
		image_open_at(&img, root, tv->t.proc[i].segment, &scratch);
		image_comm(&img, tv->comm[i]);
		image_close(&img);
		report_free(&scratch);
	}
	return true;
}

/* Text */

static void text_header(const struct view *v)
{
	const struct image *img = v->img;
	const struct cr_hdr_image *h = &img->hdr;
	char buf[64];
	uint64_t alloc = (uint64_t)img->st.st_blocks * 512;

	if (img->nested)
		printf("image        %s, process segment at offset %#llx, %llu bytes\n", img->path,
		       (unsigned long long)img->base, (unsigned long long)img->size);
	else
		printf("image        %s\n", img->path);
	if (img->hdr_read) {
		char rel[sizeof(h->kernel_release) + 1];

		fixed_string(h->kernel_release, sizeof(h->kernel_release), rel);
		time_string(h->time_ns, buf, sizeof(buf));
		printf("format       version %u, machine %u%s, page size 2^%u, flags %#x\n",
		       h->version, h->e_machine, h->e_machine == EM_X86_64 ? " (x86-64)" : "",
		       h->page_shift, h->flags);
		printf("checkpoint   %s, kernel %s\n", buf, rel);
		printf("contents     %u process%s, %u thread%s\n", h->nr_processes,
		       h->nr_processes == 1 ? "" : "es", h->nr_threads,
		       h->nr_threads == 1 ? "" : "s");
	} else {
		printf("format       the image header is unreadable\n");
	}
	if (img->nested)
		printf("sizes        notes %llu, stored pages %llu (%llu runs)\n",
		       (unsigned long long)img->notes_len, (unsigned long long)v->stored_total,
		       (unsigned long long)v->nr_runs);
	else
		printf("sizes        file %llu bytes, allocated %llu, notes %llu, stored pages %llu (%llu runs)\n",
		       (unsigned long long)img->size, (unsigned long long)alloc,
		       (unsigned long long)img->notes_len, (unsigned long long)v->stored_total,
		       (unsigned long long)v->nr_runs);
}

static void text_process(const struct view *v)
{
	struct elf_prpsinfo ps;
	siginfo_t si;
	char fname[sizeof(ps.pr_fname) + 1], args[sizeof(ps.pr_psargs) + 1], tmp[16];

	printf("\n");
	if (v->psinfo) {
		memcpy(&ps, v->psinfo->desc, sizeof(ps));
		fixed_string(ps.pr_fname, sizeof(ps.pr_fname), fname);
		fixed_string(ps.pr_psargs, sizeof(ps.pr_psargs), args);
		printf("process      pid %d, ppid %d, pgrp %d, sid %d, uid %u, gid %u\n",
		       ps.pr_pid, ps.pr_ppid, ps.pr_pgrp, ps.pr_sid, ps.pr_uid, ps.pr_gid);
		printf("command      %s\n", fname);
		printf("arguments    %s\n", args);
	} else {
		printf("process      (no NT_PRPSINFO)\n");
	}
	if (v->siginfo) {
		memcpy(&si, v->siginfo->desc, sizeof(si));
		printf("signal       %d (%s%s)", si.si_signo,
		       signal_name(si.si_signo, tmp, sizeof(tmp)),
		       si.si_signo == SIGCKPT ? ", SIGCKPT" : "");
		if (si_has_sender(si.si_code))
			printf(" from pid %d, uid %u", si.si_pid, si.si_uid);
		if (si.si_code == -1)
			printf(", value %d", si.si_value.sival_int);
		printf("\n");
	}
}

static void text_pending(const struct cr_note *note)
{
	uint64_t i, nr = note->size / sizeof(struct cr_sigpending);
	char tmp[16];

	if (!nr) {
		printf("  pending      none\n");
		return;
	}
	for (i = 0; i < nr; i++) {
		struct cr_sigpending p;
		const char *code;
		siginfo_t si;

		memcpy(&p, note->desc + i * sizeof(p), sizeof(p));
		memcpy(&si, p.info, sizeof(si));
		code = si_code_name(si.si_code);
		printf("  %s %d (%s), %s queue, code %s", i ? "            " : "pending     ",
		       si.si_signo, signal_name(si.si_signo, tmp, sizeof(tmp)),
		       p.shared ? "process" : "thread", code ? code : "");
		if (!code)
			printf("%d", si.si_code);
		if (si_has_sender(si.si_code))
			printf(", from pid %d uid %u", si.si_pid, si.si_uid);
		printf("\n");
	}
}

static void text_sched(const struct cr_hdr_thread *th)
{
	const struct cr_sched *s = &th->sched;
	char cpus[CPUS_STRING_SIZE];

	printf("  sched        %s, nice %d", sched_policy_name(s->policy), s->nice);
	if (s->policy == 1 || s->policy == 2)
		printf(", priority %u", s->priority);
	if (s->policy == 6)
		printf(", runtime %llu ns, deadline %llu ns, period %llu ns",
		       (unsigned long long)s->runtime, (unsigned long long)s->deadline,
		       (unsigned long long)s->period);
	else if (s->runtime)
		printf(", slice %llu ns", (unsigned long long)s->runtime);
	if (s->flags & CR_SCHED_RESET_ON_FORK)
		printf(", reset on fork");
	if (s->ioprio)
		printf(", I/O class %u level %u", s->ioprio >> 13, s->ioprio & 7);
	printf("\n");
	cpus_string(s, cpus, sizeof(cpus));
	printf("  affinity     %s\n", cpus);
	printf("  timer slack  %llu ns (default %llu ns)\n",
	       (unsigned long long)s->timer_slack_ns, (unsigned long long)s->default_slack_ns);
	if (th->flags & CR_THREAD_NO_NEW_PRIVS)
		printf("  no_new_privs set\n");
	if ((th->flags & (CR_THREAD_NOTSC | CR_THREAD_MCE_KILL | CR_THREAD_IO_FLUSHER)) ||
	    th->spec) {
		char prctl[256];

		thread_prctl_string(th->flags, th->spec, prctl, sizeof(prctl));
		printf("  prctl        %s\n", prctl);
	}
}

/*
 * Each filter of an NT_CR_SECCOMP, as far as the note holds it: @fn is
 * called with its header; false when the note is cut short.
 */
static bool seccomp_filters(const struct cr_note *n, struct cr_hdr_seccomp *h,
			    void (*fn)(const struct cr_seccomp_filter *f, void *arg), void *arg)
{
	uint64_t off = sizeof(*h);

	if (n->size < sizeof(*h))
		return false;
	memcpy(h, n->desc, sizeof(*h));
	for (uint32_t i = 0; i < h->nr_filters; i++) {
		struct cr_seccomp_filter f;

		if (n->size - off < sizeof(f))
			return false;
		memcpy(&f, (const unsigned char *)n->desc + off, sizeof(f));
		off += sizeof(f);
		if (n->size - off < (uint64_t)f.len * CR_SECCOMP_INSN_SIZE)
			return false;
		off += (uint64_t)f.len * CR_SECCOMP_INSN_SIZE;
		fn(&f, arg);
	}
	return true;
}

static void text_seccomp_filter(const struct cr_seccomp_filter *f, void *arg)
{
	(void)arg;
	printf("    filter %u: %u instructions%s\n", f->id, f->len,
	       f->flags & CR_SECCOMP_LOG ? ", SECCOMP_FILTER_FLAG_LOG" : "");
}

static void text_seccomp(const struct cr_note *n)
{
	struct cr_hdr_seccomp h = {};

	if (n->size >= sizeof(h))
		memcpy(&h, n->desc, sizeof(h));
	printf("  seccomp      %s, %u filters, oldest first\n",
	       h.mode == 1 ? "strict" : h.mode == 2 ? "filter" : "unknown mode", h.nr_filters);
	if (!seccomp_filters(n, &h, text_seccomp_filter, NULL))
		printf("    (note cut short)\n");
}

/* A thread's own credentials (NT_CR_THREAD_CREDS), if it has any. */
static void text_thread_creds(const struct cr_note *note)
{
	char groups[GROUPS_STRING_SIZE], eff[CAPS_STRING_SIZE], perm[CAPS_STRING_SIZE];
	const unsigned char *g;
	struct cr_thread_ids id;
	struct cr_hdr_creds h;
	uint32_t nr;

	if (!note)
		return;
	if (!creds_read_note(note, sizeof(id), &h, &g, &nr)) {
		printf("  credentials  its own, NT_CR_THREAD_CREDS cut short (%u bytes)\n", note->size);
		return;
	}
	memcpy(&id, note->desc, sizeof(id));
	groups_string(g, nr, groups, sizeof(groups));
	caps_string(h.cap_permitted, perm, sizeof(perm));
	caps_string(h.cap_effective, eff, sizeof(eff));
	printf("  credentials  its own: uid %u/%u/%u/%u, gid %u/%u/%u/%u, groups %s, capabilities permitted %s, effective %s\n",
	       id.uid, id.euid, id.suid, id.fsuid, id.gid, id.egid, id.sgid, id.fsgid, groups,
	       perm, eff);
}

static void text_thread(const struct view *v, unsigned int n)
{
	const struct thread_view *t = &v->threads[n];
	char buf[512];

	printf("\n");
	if (t->prstatus->size == CR_PRSTATUS_SIZE) {
		struct user_regs_struct r;
		struct elf_prstatus st;

		memcpy(&st, t->prstatus->desc, sizeof(st));
		memcpy(&r, t->prstatus->desc + CR_PRSTATUS_REGS, sizeof(r));
		printf("thread %-5u pid %d (NT_PRSTATUS), signal %d\n", n + 1, st.pr_pid,
		       st.pr_cursig);
		printf("  rip %#llx  rsp %#llx  rbp %#llx\n", r.rip, r.rsp, r.rbp);
		printf("  fs_base %#llx  gs_base %#llx\n", r.fs_base, r.gs_base);
		printf("  rax %#llx  orig_rax %lld  eflags %#llx  cs %#llx  ss %#llx\n",
		       r.rax, (long long)r.orig_rax, r.eflags, r.cs, r.ss);
	} else {
		printf("thread %-5u NT_PRSTATUS of %u bytes\n", n + 1, t->prstatus->size);
	}
	if (t->xstate && t->xstate->size >= 576) {
		xfeatures_string(get_u64(t->xstate->desc + 512), buf, sizeof(buf));
		printf("  fpu          XSAVE, %u bytes, %s\n", t->xstate->size, buf);
	} else {
		printf("  fpu          no XSAVE state\n");
	}
	if (t->thread && t->thread->size == sizeof(struct cr_hdr_thread)) {
		struct cr_hdr_thread th;

		memcpy(&th, t->thread->desc, sizeof(th));
		printf("  tid          %u%s\n", th.tid,
		       th.flags & CR_THREAD_LEADER ? " (thread group leader)" : "");
		printf("  name         %.*s\n", (int)strnlen(th.comm, sizeof(th.comm)), th.comm);
		sigset_string(th.blocked, buf, sizeof(buf));
		printf("  blocked      %s\n", buf);
		if (th.sas_ss_flags & 2)
			printf("  sigaltstack  none\n");
		else
			printf("  sigaltstack  %#llx, %llu bytes%s\n",
			       (unsigned long long)th.sas_ss_sp,
			       (unsigned long long)th.sas_ss_size,
			       th.sas_ss_flags & (1U << 31) ? ", SS_AUTODISARM" : "");
		if (th.restart == CR_RESTART_NANOSLEEP)
			printf("  restart      nanosleep on %s, %lld.%09lld s left, rmtp %#llx\n",
			       clock_name(th.restart_clockid),
			       (long long)(th.restart_remaining_ns / 1000000000),
			       (long long)(th.restart_remaining_ns % 1000000000),
			       (unsigned long long)th.restart_rmtp);
		else if (th.restart != CR_RESTART_NONE)
			printf("  restart      unknown (%u)\n", th.restart);
		text_sched(&th);
		printf("  registered   clear_child_tid %#llx, robust_list %#llx (%llu bytes), rseq %#llx (%u bytes, signature %#x)\n",
		       (unsigned long long)th.clear_child_tid,
		       (unsigned long long)th.robust_list,
		       (unsigned long long)th.robust_list_len, (unsigned long long)th.rseq,
		       th.rseq_len, th.rseq_sig);
	} else {
		printf("  state        no NT_CR_THREAD\n");
	}
	if (t->sigpending && !(t->sigpending->size % sizeof(struct cr_sigpending)))
		text_pending(t->sigpending);
	if (t->seccomp)
		text_seccomp(t->seccomp);
	if (t->dispatch && t->dispatch->size == sizeof(struct cr_dispatch)) {
		struct cr_dispatch sd;

		memcpy(&sd, t->dispatch->desc, sizeof(sd));
		printf("  dispatch     syscall user dispatch on, selector %#llx, not from %#llx+%#llx\n",
		       (unsigned long long)sd.selector, (unsigned long long)sd.offset,
		       (unsigned long long)sd.len);
	}
	text_thread_creds(t->creds);
}

/* NT_CR_SYSV_SHM: the SysV segments the mappings of kind "sysv" attach. */
static void text_sysv_shm(const struct view *v)
{
	const struct cr_note *n = image_find_note(v->img, true, NT_CR_SYSV_SHM);
	size_t i, nr = n ? n->size / sizeof(struct cr_sysv_shm) : 0;

	if (!nr)
		return;
	printf("sysv shm     %zu segments\n", nr);
	for (i = 0; i < nr; i++) {
		struct cr_sysv_shm e;

		memcpy(&e, (const unsigned char *)n->desc + i * sizeof(e), sizeof(e));
		printf("  id %d key %#x %llu bytes mode %04o owner %u:%u shm %u%s\n",
		       e.shmid, (unsigned int)e.key, (unsigned long long)e.size, e.mode,
		       e.uid, e.gid, e.obj, e.flags & CR_SYSV_REMOVED ? " removed" : "");
	}
}

/*
 * Each set of NT_CR_SEM_UNDO as far as the note holds it: @fn with the
 * set and its adjustments (unaligned: copy each before use).
 */
static void sem_undo_each(const struct view *v,
			  void (*fn)(void *arg, const struct cr_sem_undo *u,
				     const unsigned char *adj),
			  void *arg)
{
	const struct cr_note *n = image_find_note(v->img, true, NT_CR_SEM_UNDO);
	const unsigned char *p = n ? n->desc : NULL;
	uint64_t off = 0, size = n ? n->size : 0;

	while (size - off >= sizeof(struct cr_sem_undo)) {
		struct cr_sem_undo u;
		uint64_t len;

		memcpy(&u, p + off, sizeof(u));
		len = sizeof(u) + ((u.nsems * 2ULL + 7) & ~7ULL);
		if (size - off < len)
			break;
		fn(arg, &u, p + off + sizeof(u));
		off += len;
	}
}

static void text_sem_undo_one(void *arg, const struct cr_sem_undo *u, const unsigned char *adj)
{
	unsigned int i;
	int16_t a;

	(void)arg;
	printf("  set %d, %u semaphores, changed %lld:", u->semid, u->nsems, (long long)u->ctime);
	for (i = 0; i < u->nsems; i++) {
		memcpy(&a, adj + 2 * i, sizeof(a));
		if (a)
			printf(" #%u %+d", i, a);
	}
	printf("\n");
}

static void text_sysv_sem_one(void *arg, const struct cr_sysv_sem *e, const unsigned char *vals)
{
	unsigned int i;
	uint16_t v;

	(void)arg;
	printf("  set %d, key %#x, mode %04o, owner %u:%u, creator %u:%u, changed %lld, %u semaphores:",
	       e->semid, (unsigned int)e->key, e->mode, e->uid, e->gid, e->cuid, e->cgid,
	       (long long)e->ctime, e->nsems);
	for (i = 0; i < e->nsems && i < 16; i++) {
		memcpy(&v, vals + 2 * i, sizeof(v));
		printf(" %u", v);
	}
	printf("%s\n", e->nsems > 16 ? " ..." : "");
}

static void text_sysv_msq_one(void *arg, const struct cr_sysv_msq *q, const unsigned char *msgs,
			      uint64_t len)
{
	uint64_t off = 0;
	uint32_t i;

	(void)arg;
	printf("  queue %d, key %#x, mode %04o, owner %u:%u, creator %u:%u, changed %lld, limit %llu, %u messages, %llu bytes\n",
	       q->msqid, (unsigned int)q->key, q->mode, q->uid, q->gid, q->cuid, q->cgid,
	       (long long)q->ctime, (unsigned long long)q->qbytes, q->nr_msgs,
	       (unsigned long long)q->bytes);
	for (i = 0; i < q->nr_msgs && off < len; i++) {
		struct cr_sysv_msg m;

		memcpy(&m, msgs + off, sizeof(m));
		if (i < 8)
			printf("    message %u: type %lld, %llu bytes\n", i, (long long)m.mtype,
			       (unsigned long long)m.size);
		off += sizeof(m) + ((m.size + 7) & ~7ULL);
	}
	if (q->nr_msgs > 8)
		printf("    ...\n");
}

/* NT_CR_NS: the namespaces the tree is in, as far as the note is whole. */
static bool ns_note(const struct image *img, struct cr_hdr_ns *h)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_NS);

	memset(h, 0, sizeof(*h));
	if (!n || (n->size != sizeof(*h) && n->size != CR_HDR_NS_SIZE_NO_TIME))
		return false;
	memcpy(h, n->desc, n->size);
	h->hostname[sizeof(h->hostname) - 1] = '\0';
	h->domainname[sizeof(h->domainname) - 1] = '\0';
	return true;
}

/* NT_CR_USERNS, if whole: its header, its extents (uid map's, then gid map's). */
static const unsigned char *userns_note(const struct image *img, struct cr_hdr_userns *h)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_USERNS);

	memset(h, 0, sizeof(*h));
	if (!n || n->size < sizeof(*h))
		return NULL;
	memcpy(h, n->desc, sizeof(*h));
	if (h->nr_uid > CR_USERNS_MAX_EXTENTS || h->nr_gid > CR_USERNS_MAX_EXTENTS ||
	    n->size != sizeof(*h) + (h->nr_uid + h->nr_gid) * sizeof(struct cr_userns_extent))
		return NULL;
	return (const unsigned char *)n->desc + sizeof(*h);
}

static void text_userns_map(const char *what, const unsigned char *p, uint32_t nr)
{
	struct cr_userns_extent e;
	uint32_t i;

	printf("namespaces   user: %s map", what);
	for (i = 0; i < nr; i++) {
		memcpy(&e, p + i * sizeof(e), sizeof(e));
		printf("%s %u %u %u", i ? "," : "", e.first, e.lower_first, e.count);
	}
	printf("%s\n", nr ? "" : " unset");
}

static void text_userns(const struct view *v)
{
	struct cr_hdr_userns h;
	const unsigned char *p = userns_note(v->img, &h);

	if (!p) {
		printf("namespaces   user: NT_CR_USERNS missing or malformed\n");
		return;
	}
	printf("namespaces   user: setgroups %s%s (made again, owned by the caller; lower ids are the caller's)\n",
	       h.flags & CR_USERNS_SETGROUPS ? "allow" : "deny",
	       h.flags & CR_USERNS_PIDNS ? ", owns the pid namespace of its init" : "");
	text_userns_map("uid", p, h.nr_uid);
	text_userns_map("gid", p + h.nr_uid * sizeof(struct cr_userns_extent), h.nr_gid);
}

static const char *const mount_kinds[] = {
	[CR_MNT_HOST] = "the caller's", [CR_MNT_PROC] = "proc of the tree's pid namespace",
	[CR_MNT_TMPFS] = "tmpfs of its own", [CR_MNT_SYSFS] = "sysfs of its network namespace",
	[CR_MNT_MQUEUE] = "mqueue of its IPC namespace", [CR_MNT_BIND] = "bound from its mount",
	[CR_MNT_DEVPTS] = "devpts of its own", [CR_MNT_CGROUP2] = "cgroup2 of its cgroup namespace",
};

static const char *const mount_kind_names[] = {
	[CR_MNT_HOST] = "host", [CR_MNT_PROC] = "proc", [CR_MNT_TMPFS] = "tmpfs",
	[CR_MNT_SYSFS] = "sysfs", [CR_MNT_MQUEUE] = "mqueue", [CR_MNT_BIND] = "bind",
	[CR_MNT_DEVPTS] = "devpts", [CR_MNT_CGROUP2] = "cgroup2",
};

/* From kernel/cr/rules.c (<linux/cr_rules.h>, which this file cannot include). */
int cr_rule_mounts(const char *name, const struct cr_note *note, unsigned int *nr);
void cr_mount_at(const void *p, uint64_t *off, struct cr_mount *e, const char **path,
		 const char **root);
int cr_rule_tmpfs(const char *name, const struct cr_note *note, unsigned int nr_mounts);
void cr_tmpfs_at(const void *p, uint64_t *off, struct cr_tmpfs_file *e, const char **path,
		 const char **data);
int cr_rule_net_sysctl(const char *name, const struct cr_note *note, unsigned int *nr);
void cr_net_sysctl_at(const void *p, uint64_t *off, const char **name, const char **value);

/* NT_CR_NET_SYSCTL, if whole, and its number of entries. */
static const struct cr_note *net_sysctl_note(const struct image *img, unsigned int *nr)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_NET_SYSCTL);

	return n && !cr_rule_net_sysctl(img->path, n, nr) ? n : NULL;
}

/* A sysctl's value on one line: its last newline dropped, the others as spaces. */
static const char *net_sysctl_line(const char *value, char *buf, size_t size)
{
	size_t i;

	snprintf(buf, size, "%s", value);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '\n' || buf[i] == '\t')
			buf[i] = buf[i + 1] ? ' ' : '\0';
	return buf;
}

/*
 * A sysctl's name as sysctl(8) shows it: "net." and its path with dots
 * for slashes (and slashes for its dots: a device named "eth0.1").
 */
static const char *net_sysctl_key(const char *name, char *buf, size_t size)
{
	size_t i;

	snprintf(buf, size, "net.%s", name);
	for (i = 4; buf[i]; i++)
		buf[i] = buf[i] == '/' ? '.' : buf[i] == '.' ? '/' : buf[i];
	return buf;
}

/* NT_CR_NET_SYSCTL: one line each, as sysctl(8) shows them. */
static void text_net_sysctls(const struct view *v)
{
	const struct cr_note *n = image_find_note(v->img, true, NT_CR_NET_SYSCTL);
	const char *name, *value;
	char line[CR_NET_SYSCTL_VALUE_MAX], key[CR_NET_SYSCTL_NAME_MAX + 4];
	unsigned int nr;
	uint64_t off = 0;

	if (!n)
		return;
	if (!net_sysctl_note(v->img, &nr)) {
		printf("net sysctls  NT_CR_NET_SYSCTL malformed\n");
		return;
	}
	printf("net sysctls  %u, set again where they differ\n", nr);
	while (off < n->size) {
		cr_net_sysctl_at(n->desc, &off, &name, &value);
		printf("sysctl       %s = %s\n", net_sysctl_key(name, key, sizeof(key)),
		       net_sysctl_line(value, line, sizeof(line)));
	}
}

int cr_rule_net_links(const char *name, const struct cr_note *note, unsigned int *nr);
int cr_rule_net_rtnl(const char *name, const struct cr_note *note, unsigned int *nr);

/* NT_CR_NET_LINKS, if whole, and its number of entries. */
static const struct cr_net_link *net_links_note(const struct image *img, unsigned int *nr)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_NET_LINKS);

	return n && !cr_rule_net_links(img->path, n, nr) ? (const void *)n->desc : NULL;
}

/* A link-layer address as text. */
static const char *net_mac(const uint8_t *a, unsigned int len, char *buf)
{
	unsigned int i;
	char *p = buf;

	*p = '\0';
	for (i = 0; i < len; i++)
		p += sprintf(p, "%s%02x", i ? ":" : "", a[i]);
	return buf;
}

/* NT_CR_NET_LINKS: one line each pair. */
static void text_net_links(const struct view *v)
{
	const struct cr_net_link *l;
	char mac[3 * CR_NET_ADDR_MAX + 1], pmac[3 * CR_NET_ADDR_MAX + 1];
	unsigned int nr, i;

	if (!image_find_note(v->img, true, NT_CR_NET_LINKS))
		return;
	l = net_links_note(v->img, &nr);
	if (!l) {
		printf("net devices  NT_CR_NET_LINKS malformed\n");
		return;
	}
	for (i = 0; i < nr; i++) {
		printf("net device   %s (index %d): veth, MAC %s, MTU %u, %s; other end %s",
		       l[i].name, l[i].ifindex, net_mac(l[i].addr, l[i].addr_len, mac), l[i].mtu,
		       l[i].flags & 1 ? "up" : "down", l[i].peer_name);
		if (l[i].where & CR_NET_LINK_PEER_IN)
			printf(" (index %d) inside", l[i].peer_ifindex);
		else
			printf(" outside, made again in the caller's namespace");
		printf(" (MAC %s, MTU %u, %s%s%s)\n", net_mac(l[i].peer_addr, l[i].peer_addr_len, pmac),
		       l[i].peer_mtu, l[i].peer_flags & 1 ? "up" : "down",
		       l[i].peer_master[0] ? ", a port of " : "", l[i].peer_master);
	}
}

/* The first attribute @type of message @h, whose family header is @hdr bytes, or NULL. */
static const struct rtattr *net_rta(const struct nlmsghdr *h, size_t hdr, int type)
{
	int len = h->nlmsg_len - NLMSG_SPACE(hdr);
	const struct rtattr *a = (const void *)((const char *)NLMSG_DATA(h) + NLMSG_ALIGN(hdr));

	for (; len > 0 && RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == type)
			return a;
	return NULL;
}

/* The address attribute @type of @h as text ("any" if none). */
static const char *net_rta_addr(const struct nlmsghdr *h, size_t hdr, int type, int family,
				char *buf, size_t size)
{
	const struct rtattr *a = net_rta(h, hdr, type);

	if (!a || RTA_PAYLOAD(a) < (family == AF_INET ? 4u : 16u) ||
	    !inet_ntop(family, RTA_DATA(a), buf, size))
		snprintf(buf, size, "%s", a ? "?" : "any");
	return buf;
}

static uint32_t net_rta_u32(const struct nlmsghdr *h, size_t hdr, int type, uint32_t none)
{
	const struct rtattr *a = net_rta(h, hdr, type);
	uint32_t v;

	if (!a || RTA_PAYLOAD(a) < 4)
		return none;
	memcpy(&v, RTA_DATA(a), 4);
	return v;
}

/* One message of NT_CR_NET_RTNL, as "ip" would show it, in @buf. */
static const char *net_rtnl_text(const struct nlmsghdr *h, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	switch (h->nlmsg_type) {
	case RTM_NEWADDR: {
		const struct ifaddrmsg *m = NLMSG_DATA(h);

		int type = net_rta(h, sizeof(*m), IFA_LOCAL) ? IFA_LOCAL : IFA_ADDRESS;

		snprintf(buf, size, "address   %s/%u on index %u",
			 net_rta_addr(h, sizeof(*m), type, m->ifa_family, a, sizeof(a)),
			 m->ifa_prefixlen, m->ifa_index);
		break;
	}
	case RTM_NEWRULE: {
		const struct fib_rule_hdr *m = NLMSG_DATA(h);

		snprintf(buf, size, "rule      %s from %s/%u to %s/%u table %u priority %u",
			 m->family == AF_INET ? "IPv4" : "IPv6",
			 net_rta_addr(h, sizeof(*m), FRA_SRC, m->family, a, sizeof(a)), m->src_len,
			 net_rta_addr(h, sizeof(*m), FRA_DST, m->family, b, sizeof(b)), m->dst_len,
			 net_rta_u32(h, sizeof(*m), FRA_TABLE, m->table),
			 net_rta_u32(h, sizeof(*m), FRA_PRIORITY, 0));
		break;
	}
	case RTM_NEWROUTE: {
		const struct rtmsg *m = NLMSG_DATA(h);

		snprintf(buf, size, "route     %s/%u via %s dev index %u table %u protocol %u",
			 net_rta_addr(h, sizeof(*m), RTA_DST, m->rtm_family, a, sizeof(a)),
			 m->rtm_dst_len,
			 net_rta_addr(h, sizeof(*m), RTA_GATEWAY, m->rtm_family, b, sizeof(b)),
			 net_rta_u32(h, sizeof(*m), RTA_OIF, 0),
			 net_rta_u32(h, sizeof(*m), RTA_TABLE, m->rtm_table), m->rtm_protocol);
		break;
	}
	default: {
		const struct ndmsg *m = NLMSG_DATA(h);
		const struct rtattr *ll = net_rta(h, sizeof(*m), NDA_LLADDR);
		char mac[3 * CR_NET_ADDR_MAX + 1] = "";

		if (ll && RTA_PAYLOAD(ll) <= CR_NET_ADDR_MAX)
			net_mac(RTA_DATA(ll), RTA_PAYLOAD(ll), mac);
		snprintf(buf, size, "neighbour %s lladdr %s on index %d, permanent",
			 net_rta_addr(h, sizeof(*m), NDA_DST, m->ndm_family, a, sizeof(a)), mac,
			 m->ndm_ifindex);
	}
	}
	return buf;
}

/* NT_CR_NET_RTNL, if whole, and its number of messages. */
static const struct cr_note *net_rtnl_note(const struct image *img, unsigned int *nr)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_NET_RTNL);

	return n && !cr_rule_net_rtnl(img->path, n, nr) ? n : NULL;
}

/* NT_CR_NET_RTNL: one line each message. */
static void text_net_rtnl(const struct view *v)
{
	const struct nlmsghdr *h;
	unsigned int nr, i;
	const struct cr_note *n;
	uint64_t off = 0;
	char line[256];

	if (!image_find_note(v->img, true, NT_CR_NET_RTNL))
		return;
	n = net_rtnl_note(v->img, &nr);
	if (!n) {
		printf("net config   NT_CR_NET_RTNL malformed\n");
		return;
	}
	printf("net config   %u addresses, rules, routes and neighbours, sent again\n", nr);
	for (i = 0; i < nr; i++, off += NLMSG_ALIGN(h->nlmsg_len)) {
		h = (const void *)(n->desc + off);
		printf("net          %s\n", net_rtnl_text(h, line, sizeof(line)));
	}
}

/* NT_CR_MOUNTS, if whole, and its number of entries. */
static const struct cr_note *mounts_note(const struct image *img, unsigned int *nr)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_MOUNTS);

	return n && !cr_rule_mounts(img->path, n, nr) ? n : NULL;
}

/* NT_CR_TMPFS: the files of the tree's tmpfs mounts, one line each. */
static void text_tmpfs(const struct cr_note *n)
{
	const char *path, *data;
	struct cr_tmpfs_file e;
	uint64_t off = 0;

	while (off < n->size) {
		cr_tmpfs_at(n->desc, &off, &e, &path, &data);
		printf("tmpfs file   mount %u: %s %s %04o %u:%u", e.mount, path,
		       S_ISDIR(e.mode) ? "dir" : S_ISLNK(e.mode) ? "link" : S_ISCHR(e.mode) ? "char" :
		       S_ISBLK(e.mode) ? "block" : S_ISFIFO(e.mode) ? "fifo" : "file", e.mode & 07777,
		       e.uid, e.gid);
		if (S_ISCHR(e.mode) || S_ISBLK(e.mode))
			printf(", device %u:%u", (e.rdev & 0xfff00) >> 8,
			       (e.rdev & 0xff) | ((e.rdev >> 12) & 0xfff00));
		if (S_ISREG(e.mode))
			printf(", %llu bytes", (unsigned long long)e.size);
		else if (S_ISLNK(e.mode))
			printf(" -> %.*s", (int)e.size, data);
		printf("\n");
	}
}

static void text_mounts(const struct view *v)
{
	const char *path, *root;
	const struct cr_note *n;
	struct cr_mount e;
	unsigned int nr;
	uint64_t off = 0;

	n = mounts_note(v->img, &nr);
	if (!n) {
		printf("namespaces   mnt: NT_CR_MOUNTS missing or malformed\n");
		return;
	}
	printf("namespaces   mnt: %u mounts (made again from the caller's)\n", nr);
	while (off < n->size) {
		cr_mount_at(n->desc, &off, &e, &path, &root);
		printf("mount        %s %s%s%s, %s", path, e.fstype,
		       !e.root_len ? "" : e.kind == CR_MNT_DEVPTS ? " options " : " root ", root,
		       mount_kinds[e.kind]);
		if (e.kind == CR_MNT_BIND)
			printf(" %u", e.source);
		printf(", flags %#x", e.flags);
		if (e.kind == CR_MNT_TMPFS)
			printf(", size %llu, %llu inodes, mode %04o, owner %u:%u",
			       (unsigned long long)e.size, (unsigned long long)e.nr_inodes, e.mode,
			       e.uid, e.gid);
		printf("\n");
	}
	n = image_find_note(v->img, true, NT_CR_TMPFS);
	if (n && cr_rule_tmpfs(v->img->path, n, nr))
		printf("tmpfs files  NT_CR_TMPFS malformed\n");
	else if (n)
		text_tmpfs(n);
}

static void text_ns(const struct view *v)
{
	struct cr_hdr_ns h;

	if (!ns_note(v->img, &h))
		return;
	if (h.flags & CR_NS_UTS)
		printf("namespaces   uts: host name \"%s\", domain name \"%s\" (made again)\n",
		       h.hostname, h.domainname);
	if (h.flags & CR_NS_IPC)
		printf("namespaces   ipc: the tree's own, all its objects saved (made again)\n");
	if (h.flags & CR_NS_TIME)
		printf("namespaces   time: monotonic %lld.%09lld s, boottime %lld.%09lld s (go on from there)\n",
		       (long long)(h.monotonic_ns / 1000000000), (long long)(h.monotonic_ns % 1000000000),
		       (long long)(h.boottime_ns / 1000000000), (long long)(h.boottime_ns % 1000000000));
	if (h.flags & CR_NS_NET) {
		printf("namespaces   net: lo %s, MTU %u (made again)\n",
		       h.lo_flags & CR_NS_LO_UP ? "up" : "down", h.lo_mtu);
		text_net_links(v);
		text_net_rtnl(v);
		text_net_sysctls(v);
	}
	if (h.flags & CR_NS_CGROUP)
		printf("namespaces   cgroup: the tree's own, rooted at its cgroup (made again at the caller's)\n");
	if (h.flags & CR_NS_USER)
		text_userns(v);
	if (h.flags & CR_NS_MNT)
		text_mounts(v);
	if (!(h.flags & CR_NS_FLAGS))
		printf("namespaces   the caller's\n");
}

/* One map: an array of [first, lower_first, count]. */
static void json_userns_map(struct json *j, const char *key, const unsigned char *p, uint32_t nr)
{
	struct cr_userns_extent e;
	uint32_t i;

	json_open(j, key, '[');
	for (i = 0; i < nr; i++) {
		memcpy(&e, p + i * sizeof(e), sizeof(e));
		json_open(j, NULL, '[');
		json_uint(j, NULL, e.first);
		json_uint(j, NULL, e.lower_first);
		json_uint(j, NULL, e.count);
		json_close(j, ']');
	}
	json_close(j, ']');
}

/* "user": NT_CR_USERNS, or null (the caller's, or the note is malformed). */
static void json_userns(struct json *j, const struct view *v, bool have)
{
	struct cr_hdr_userns h;
	const unsigned char *p = have ? userns_note(v->img, &h) : NULL;

	if (!p) {
		json_null(j, "user");
		return;
	}
	json_open(j, "user", '{');
	json_bool(j, "setgroups", h.flags & CR_USERNS_SETGROUPS);
	json_bool(j, "owns_pid_namespace", h.flags & CR_USERNS_PIDNS);
	json_userns_map(j, "uid_map", p, h.nr_uid);
	json_userns_map(j, "gid_map", p + h.nr_uid * sizeof(struct cr_userns_extent), h.nr_gid);
	json_close(j, '}');
}

/* "mounts": NT_CR_MOUNTS, or null (the caller's, or the note is malformed). */
static void json_mounts(struct json *j, const struct view *v, bool have)
{
	const char *path, *root;
	const struct cr_note *n;
	struct cr_mount e;
	unsigned int nr;
	uint64_t off = 0;

	n = have ? mounts_note(v->img, &nr) : NULL;
	if (!n) {
		json_null(j, "mounts");
		return;
	}
	json_open(j, "mounts", '[');
	while (off < n->size) {
		cr_mount_at(n->desc, &off, &e, &path, &root);
		json_open(j, NULL, '{');
		json_string(j, "path", path);
		json_string(j, "fstype", e.fstype);
		json_string(j, "kind", mount_kind_names[e.kind]);
		json_hex(j, "flags", e.flags);
		if (e.kind == CR_MNT_HOST) {
			json_string(j, "root", root);
			json_uint(j, "dev", e.dev);
		}
		if (e.kind == CR_MNT_BIND) {
			json_uint(j, "source", e.source);
			json_string(j, "root", root);
		}
		if (e.kind == CR_MNT_DEVPTS)
			json_string(j, "options", root);
		if (e.kind == CR_MNT_TMPFS) {
			json_uint(j, "size", e.size);
			json_uint(j, "nr_inodes", e.nr_inodes);
			json_uint(j, "mode", e.mode);
			json_uint(j, "uid", e.uid);
			json_uint(j, "gid", e.gid);
		}
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* "devices": [{...} each veth pair], or null (malformed). */
static void json_net_links(struct json *j, const struct view *v)
{
	char mac[3 * CR_NET_ADDR_MAX + 1];
	const struct cr_net_link *l;
	unsigned int nr = 0, i;

	l = net_links_note(v->img, &nr);
	if (!l && image_find_note(v->img, true, NT_CR_NET_LINKS)) {
		json_null(j, "devices");
		return;
	}
	json_open(j, "devices", '[');
	for (i = 0; i < nr; i++) {
		json_open(j, NULL, '{');
		json_string(j, "name", l[i].name);
		json_int(j, "ifindex", l[i].ifindex);
		json_string(j, "kind", "veth");
		json_string(j, "mac", net_mac(l[i].addr, l[i].addr_len, mac));
		json_uint(j, "mtu", l[i].mtu);
		json_hex(j, "flags", l[i].flags);
		json_uint(j, "txqlen", l[i].txqlen);
		json_open(j, "peer", '{');
		json_string(j, "name", l[i].peer_name);
		json_bool(j, "inside", l[i].where & CR_NET_LINK_PEER_IN);
		if (l[i].where & CR_NET_LINK_PEER_IN)
			json_int(j, "ifindex", l[i].peer_ifindex);
		else
			json_null(j, "ifindex");
		json_string(j, "mac", net_mac(l[i].peer_addr, l[i].peer_addr_len, mac));
		json_uint(j, "mtu", l[i].peer_mtu);
		json_uint(j, "txqlen", l[i].peer_txqlen);
		json_hex(j, "flags", l[i].peer_flags);
		json_string(j, "master", l[i].peer_master);
		json_close(j, '}');
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* "config": ["text" of each message of NT_CR_NET_RTNL], or null (malformed). */
static void json_net_rtnl(struct json *j, const struct view *v)
{
	const struct cr_note *n = net_rtnl_note(v->img, &(unsigned int){ 0 });
	const struct nlmsghdr *h;
	uint64_t off = 0;
	char line[256];

	if (!n && image_find_note(v->img, true, NT_CR_NET_RTNL)) {
		json_null(j, "config");
		return;
	}
	json_open(j, "config", '[');
	for (; n && off < n->size; off += NLMSG_ALIGN(h->nlmsg_len)) {
		h = (const void *)(n->desc + off);
		json_string(j, NULL, net_rtnl_text(h, line, sizeof(line)));
	}
	json_close(j, ']');
}

/* "namespaces": NT_CR_NS, or null (the caller's). */
/* "sysctls": {"net.NAME": "value as read"}, or null (none saved, or malformed). */
static void json_net_sysctls(struct json *j, const struct view *v)
{
	const char *name, *value;
	const struct cr_note *n;
	char key[CR_NET_SYSCTL_NAME_MAX + 4];
	unsigned int nr;
	uint64_t off = 0;

	n = net_sysctl_note(v->img, &nr);
	if (!n) {
		json_null(j, "sysctls");
		return;
	}
	json_open(j, "sysctls", '{');
	while (off < n->size) {
		cr_net_sysctl_at(n->desc, &off, &name, &value);
		json_string(j, net_sysctl_key(name, key, sizeof(key)), value);
	}
	json_close(j, '}');
}

static void json_ns(struct json *j, const struct view *v)
{
	struct cr_hdr_ns h;

	if (!ns_note(v->img, &h)) {
		json_null(j, "namespaces");
		return;
	}
	json_open(j, "namespaces", '{');
	json_hex(j, "flags", h.flags);
	if (h.flags & CR_NS_UTS) {
		json_open(j, "uts", '{');
		json_string(j, "hostname", h.hostname);
		json_string(j, "domainname", h.domainname);
		json_close(j, '}');
	} else {
		json_null(j, "uts");
	}
	json_bool(j, "ipc", h.flags & CR_NS_IPC);
	if (h.flags & CR_NS_TIME) {
		json_open(j, "time", '{');
		json_int(j, "monotonic_ns", h.monotonic_ns);
		json_int(j, "boottime_ns", h.boottime_ns);
		json_close(j, '}');
	} else {
		json_null(j, "time");
	}
	if (h.flags & CR_NS_NET) {
		json_open(j, "net", '{');
		json_bool(j, "lo_up", h.lo_flags & CR_NS_LO_UP);
		json_uint(j, "lo_mtu", h.lo_mtu);
		json_net_links(j, v);
		json_net_rtnl(j, v);
		json_net_sysctls(j, v);
		json_close(j, '}');
	} else {
		json_null(j, "net");
	}
	json_bool(j, "cgroup", h.flags & CR_NS_CGROUP);
	json_mounts(j, v, h.flags & CR_NS_MNT);
	json_userns(j, v, h.flags & CR_NS_USER);
	json_close(j, '}');
}

/* NT_CR_SYSV_SEM, NT_CR_SYSV_MSG: the sets and queues the tree used. */
static void text_sysv_ipc(const struct view *v)
{
	if (image_find_note(v->img, true, NT_CR_SYSV_SEM)) {
		printf("sysv sem     SysV semaphore sets the tree used, found or made again\n");
		sysv_sem_each(v->img, text_sysv_sem_one, NULL);
	}
	if (image_find_note(v->img, true, NT_CR_SYSV_MSG)) {
		printf("sysv msg     SysV message queues the tree used, found or made again\n");
		sysv_msq_each(v->img, text_sysv_msq_one, NULL);
	}
}

/* NT_CR_SEM_UNDO: the adjustments its exit would apply, taken again at restore. */
static void text_sem_undo(const struct view *v)
{
	if (!image_find_note(v->img, true, NT_CR_SEM_UNDO))
		return;
	printf("sem undo     SysV semaphore adjustments (SEM_UNDO) to take again\n");
	sem_undo_each(v, text_sem_undo_one, NULL);
}

static void text_memory(const struct view *v)
{
	char prot[5], sz[16], st[16];
	unsigned int i;

	printf("\n");
	if (v->mm) {
		struct cr_hdr_mm m;
		const char *exe;

		memcpy(&m, v->mm->desc, sizeof(m));
		printf("memory       code %#llx-%#llx, data %#llx-%#llx, brk %#llx-%#llx\n",
		       (unsigned long long)m.start_code, (unsigned long long)m.end_code,
		       (unsigned long long)m.start_data, (unsigned long long)m.end_data,
		       (unsigned long long)m.start_brk, (unsigned long long)m.brk);
		printf("             stack %#llx, arguments %#llx-%#llx, environment %#llx-%#llx\n",
		       (unsigned long long)m.start_stack, (unsigned long long)m.arg_start,
		       (unsigned long long)m.arg_end, (unsigned long long)m.env_start,
		       (unsigned long long)m.env_end);
		printf("             vdso %#llx, %u mappings\n", (unsigned long long)m.vdso,
		       m.nr_vmas);
		exe = view_file_name(v, m.exe_file);
		if (m.exe_file >= 0)
			printf("executable   %s\n", exe ? exe : "(not in NT_FILE)");
	} else {
		printf("memory       (no NT_CR_MM)\n");
	}
	if (v->have_pruns)
		printf("inherited    %llu pages from the parent's image (%llu runs)\n",
		       (unsigned long long)(v->inherited_total >> CR_PAGE_SHIFT),
		       (unsigned long long)v->nr_pruns);
	printf("mappings     %u\n", v->nr_maps);
	printf("  %-29s %6s %-4s %6s  %s\n", "ADDRESS", "SIZE", "PROT", "STORED", "KIND");
	for (i = 0; i < v->nr_maps; i++) {
		const GElf_Phdr *ph = &v->img->phdrs[i + 1];
		struct cr_vma vma;
		const char *name;

		printf("  %012llx-%012llx %10s", (unsigned long long)ph->p_vaddr,
		       (unsigned long long)(ph->p_vaddr + ph->p_memsz),
		       size_string(ph->p_memsz, sz, sizeof(sz)));
		if (!view_vma(v, i, &vma)) {
			prot_from_phdr(ph, prot);
			printf(" %-4s %6s  ?\n", prot, size_string(v->stored[i], st, sizeof(st)));
			continue;
		}
		prot_string(vma.prot, vma.flags & CR_VMA_SHARED, prot);
		printf(" %-4s %6s  %s", prot, size_string(v->stored[i], st, sizeof(st)),
		       vma_kind_name(vma.kind));
		if (vma.kind == CR_VMA_FILE) {
			name = view_file_name(v, vma.file);
			printf(" %s +%#llx", name ? name : "?",
			       (unsigned long long)(vma.pgoff << CR_PAGE_SHIFT));
		}
		if (vma.shm)
			printf(" shm %u", vma.shm);
		if (vma.flags & CR_VMA_GROWSDOWN)
			printf(" growsdown");
		if (vma.flags & CR_VMA_MAYWRITE)
			printf(" maywrite");
		if (vma.flags & CR_VMA_LOCKED)
			printf(vma.flags & CR_VMA_LOCKONFAULT ? " locked-onfault" : " locked");
		for (unsigned int k = 0; k < 32; k++)
			if ((vma.flags & (1U << k)) && vma_advice_name(1U << k))
				printf(" %s", vma_advice_name(1U << k));
		if (v->inherited[i])
			printf(" (%s the parent's)",
			       size_string(v->inherited[i], st, sizeof(st)));
		printf("\n");
	}
}

/* Epoll targets the text shows of one epoll, before "and N more". */
#define TEXT_EPOLL_TARGETS	8

/* Microseconds as seconds, as duration_string() writes them: "1.500s", "0.000250s". */
static void usec_string(uint64_t us, char *buf, size_t len)
{
	unsigned long long sec = us / 1000000, frac = us % 1000000;

	if (!(frac % 1000))
		snprintf(buf, len, "%llu.%03llus", sec, frac / 1000);
	else
		snprintf(buf, len, "%llu.%06llus", sec, frac);
}

/* Append a word to the words in @buf, after a space. */
__printf(3, 4)
static void add_word(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used && used + 1 < len)
		buf[used++] = ' ';
	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* Some bytes, printable, quoted; at most @max. */
static void text_bytes(const unsigned char *p, uint64_t len, uint64_t max)
{
	uint64_t i;

	putchar('"');
	for (i = 0; i < len && i < max; i++)
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
			putchar(p[i]);
		else
			printf("\\x%02x", p[i]);
	printf("\"%s", len > max ? "..." : "");
}

/*
 * The options of a TCP or UDP socket that are set, for its line: the
 * CR_INET_* flags in lower case ("reuseaddr nodelay"), with their values
 * ("linger 5s", "rcvbuf 65536"), then the values that are not the
 * default ("priority 3", "ttl 64", "keepidle 60s", "mark 7", "rcvlowat
 * 16", "user_timeout 30000ms", "pmtudisc do"...).
 */
static void text_inet_options(const struct cr_inet *in, char *buf, size_t len)
{
	bool v6 = in->family == AF_INET6;
	char f[256], t[32];
	/* Those with a value say it; BOUND goes without saying; unknown bits go last. */
	uint32_t plain = CR_INET_FLAGS & ~(CR_INET_BOUND | CR_INET_LINGER | CR_INET_RCVBUF |
					   CR_INET_SNDBUF | CR_INET_MC_TTL | CR_INET_MC_IF |
					   CR_UDP_SEND_CSCOV | CR_UDP_RECV_CSCOV);
	unsigned int i;

	buf[0] = '\0';
	inet_flags_string(in->flags & plain, f, sizeof(f));
	if (strcmp(f, "none")) {
		for (i = 0; f[i]; i++)
			f[i] = f[i] == '|' ? ' ' : tolower((unsigned char)f[i]);
		add_word(buf, len, "%s", f);
	}
	if (in->flags & CR_INET_LINGER)
		add_word(buf, len, "linger %us", in->linger);
	if (in->flags & CR_INET_RCVBUF)
		add_word(buf, len, "rcvbuf %d", in->rcvbuf);
	if (in->flags & CR_INET_SNDBUF)
		add_word(buf, len, "sndbuf %d", in->sndbuf);
	if (in->rcvtimeo_us) {
		usec_string(in->rcvtimeo_us, t, sizeof(t));
		add_word(buf, len, "rcvtimeo %s", t);
	}
	if (in->sndtimeo_us) {
		usec_string(in->sndtimeo_us, t, sizeof(t));
		add_word(buf, len, "sndtimeo %s", t);
	}
	if (in->flags & CR_UDP_SEND_CSCOV)
		add_word(buf, len, "send_cscov %u", in->udp.send_cscov);
	if (in->flags & CR_UDP_RECV_CSCOV)
		add_word(buf, len, "recv_cscov %u", in->udp.recv_cscov);
	if (in->flags & CR_INET_MC_TTL)
		add_word(buf, len, "mc_ttl %u", in->udp.mc_ttl);
	if (in->flags & CR_INET_MC_IF) {
		char a[INET_ADDRSTRLEN] = "";

		if (!v6)
			inet_ntop(AF_INET, in->udp.mc_addr, a, sizeof(a));
		add_word(buf, len, "mc_if %d%s%s", in->udp.mc_ifindex, v6 ? "" : " ", a);
	}
	if (in->priority)
		add_word(buf, len, "priority %u", in->priority);
	if (in->tos)
		add_word(buf, len, "%s %#x", v6 ? "tclass" : "tos", in->tos);
	if (in->ttl != -1)
		add_word(buf, len, "%s %d", v6 ? "hops" : "ttl", in->ttl);
	if (in->keepidle)
		add_word(buf, len, "keepidle %us", in->keepidle);
	if (in->keepintvl)
		add_word(buf, len, "keepintvl %us", in->keepintvl);
	if (in->keepcnt)
		add_word(buf, len, "keepcnt %u", in->keepcnt);
	if (in->mark)
		add_word(buf, len, "mark %u", in->mark);
	if (in->rcvlowat != 1)
		add_word(buf, len, "rcvlowat %d", in->rcvlowat);
	if (in->user_timeout)
		add_word(buf, len, "user_timeout %ums", in->user_timeout);
	if (in->notsent_lowat)
		add_word(buf, len, "notsent_lowat %u", in->notsent_lowat);
	if (in->user_mss)
		add_word(buf, len, "user_mss %u", in->user_mss);
	if (in->fastopen)
		add_word(buf, len, "fastopen %u", in->fastopen);
	if (in->pmtudisc != IP_PMTUDISC_WANT) {
		if (inet_pmtudisc_name(in->pmtudisc))
			add_word(buf, len, "pmtudisc %s", inet_pmtudisc_name(in->pmtudisc));
		else
			add_word(buf, len, "pmtudisc %u", in->pmtudisc);
	}
	if (in->flags & ~CR_INET_FLAGS)
		add_word(buf, len, "flags %#x", in->flags & ~CR_INET_FLAGS);
}

/*
 * A TCP or UDP socket of descriptor @e, its state at @p, for its line:
 * "(tcp4 listening on 0.0.0.0:8080 backlog 128, reuseaddr)", "(tcp6
 * [::1]:4000 -> [::1]:39012, 12 bytes to read, 3 to send (1 unsent), seq
 * snd 0x1 rcv 0x2, mss 1460, wscale 7/7 sack ts)", "(udp4 bound
 * 127.0.0.1:5353, connected to 10.0.0.1:53, 2 datagrams queued (8
 * bytes))".
 */
/* "raw", "dgram" or "packet": a packet socket's type. */
static const char *packet_type_name(uint32_t type)
{
	return type == SOCK_RAW ? "raw" : type == SOCK_DGRAM ? "dgram" :
	       type == SOCK_PACKET ? "packet" : "?";
}

/*
 * A packet socket: "(packet raw, protocol 0x3 on device 2, TPACKET_V2,
 * auxdata origdev, fanout 0x10007, rx ring 4x4096, 1 membership, 3
 * packets queued (180 bytes))".
 */
static void text_packet(const unsigned char *p)
{
	struct cr_packet k;

	memcpy(&k, p, sizeof(k));
	printf("(packet %s, protocol %#x", packet_type_name(k.type), k.protocol);
	if (k.device[0])
		printf(" on %.16s", k.device);
	else if (k.ifindex)
		printf(" on device %d", k.ifindex);
	if (k.version)
		printf(", TPACKET_V%u", k.version + 1);
	if (k.flags & CR_PACKET_AUXDATA)
		printf(", auxdata");
	if (k.flags & CR_PACKET_ORIGDEV)
		printf(", origdev");
	if (k.reserve)
		printf(", reserve %u", k.reserve);
	if (k.fanout)
		printf(", fanout %#x (at most %u)", k.fanout, k.fanout_max);
	if (k.rx_ring.block_nr)
		printf(", rx ring %ux%u", k.rx_ring.block_nr, k.rx_ring.block_size);
	if (k.tx_ring.block_nr)
		printf(", tx ring %ux%u", k.tx_ring.block_nr, k.tx_ring.block_size);
	if (k.nr_mc)
		printf(", %u membership%s", k.nr_mc, k.nr_mc == 1 ? "" : "s");
	printf(", %u packet%s queued (%u bytes of records), %u received %u dropped)", k.nr_skbs,
	       k.nr_skbs == 1 ? "" : "s", k.skbs_len, k.packets, k.drops);
}

/* @len bytes at @b (at most 64) as a string of hex digits. */
static void json_hex_bytes(struct json *j, const char *key, const unsigned char *b, size_t len)
{
	char buf[2 * 64 + 1] = "";

	for (size_t i = 0; i < len && i < 64; i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	json_string(j, key, buf);
}

static void json_packet_ring(struct json *j, const char *name, const struct cr_packet_ring *r)
{
	if (!r->block_nr) {
		json_null(j, name);
		return;
	}
	json_open(j, name, '{');
	json_uint(j, "block_size", r->block_size);
	json_uint(j, "block_nr", r->block_nr);
	json_uint(j, "frame_size", r->frame_size);
	json_uint(j, "frame_nr", r->frame_nr);
	json_uint(j, "retire_blk_tov", r->retire_blk_tov);
	json_uint(j, "sizeof_priv", r->sizeof_priv);
	json_uint(j, "feature_req_word", r->feature_req_word);
	json_close(j, '}');
}

/* A packet socket's state: its options, memberships and queued packets (at most 1024). */
static void json_packet(struct json *j, const struct cr_fd *e, const unsigned char *p)
{
	uint64_t off = sizeof(struct cr_packet);
	struct cr_packet k;
	uint32_t i;

	memcpy(&k, p, sizeof(k));
	json_open(j, "state", '{');
	json_string(j, "type", packet_type_name(k.type));
	json_hex(j, "protocol", k.protocol);
	json_int(j, "ifindex", k.ifindex);
	if (k.type == SOCK_PACKET)
		json_stringn(j, "device", k.device, strnlen(k.device, sizeof(k.device)));
	json_hex(j, "flags", k.flags);
	json_uint(j, "version", k.version);
	json_uint(j, "reserve", k.reserve);
	json_uint(j, "tstamp", k.tstamp);
	json_int(j, "copy_thresh", k.copy_thresh);
	json_uint(j, "vnet_hdr_sz", k.vnet_hdr_sz);
	json_hex(j, "fanout", k.fanout);
	json_uint(j, "fanout_max", k.fanout_max);
	json_int(j, "rcvbuf", k.rcvbuf);
	json_int(j, "sndbuf", k.sndbuf);
	json_uint(j, "priority", k.priority);
	json_uint(j, "mark", k.mark);
	json_uint(j, "rcvtimeo_us", k.rcvtimeo_us);
	json_uint(j, "sndtimeo_us", k.sndtimeo_us);
	json_uint(j, "packets", k.packets);
	json_uint(j, "drops", k.drops);
	json_uint(j, "freeze_q_cnt", k.freeze_q_cnt);
	json_packet_ring(j, "rx_ring", &k.rx_ring);
	json_packet_ring(j, "tx_ring", &k.tx_ring);
	json_open(j, "memberships", '[');
	for (i = 0; i < k.nr_mc && e->data_len - off >= sizeof(struct cr_packet_mc); i++) {
		struct cr_packet_mc m;

		memcpy(&m, p + off, sizeof(m));
		json_open(j, NULL, '{');
		json_int(j, "ifindex", m.ifindex);
		json_uint(j, "type", m.type);
		json_hex_bytes(j, "addr", m.addr, m.alen <= sizeof(m.addr) ? m.alen : 0);
		json_stringn(j, "device", m.device, strnlen(m.device, sizeof(m.device)));
		json_uint(j, "count", m.count);
		json_close(j, '}');
		off += sizeof(m);
	}
	json_close(j, ']');
	json_uint(j, "nr_packets", k.nr_skbs);
	json_open(j, "queued", '[');
	for (i = 0; i < k.nr_skbs && i < 1024 && e->data_len - off >= sizeof(struct cr_packet_skb);
	     i++) {
		struct cr_packet_skb r;

		memcpy(&r, p + off, sizeof(r));
		if (r.len > 65536 || e->data_len - off - sizeof(r) < ((uint64_t)r.len + 7) / 8 * 8)
			break;
		json_open(j, NULL, '{');
		json_uint(j, "len", r.len);
		json_uint(j, "origlen", r.origlen);
		json_int(j, "ifindex", r.ifindex);
		json_hex(j, "protocol", r.protocol);
		json_uint(j, "pkttype", r.pkttype);
		json_hex(j, "flags", r.flags);
		json_hex_bytes(j, "bytes", p + off + sizeof(r), r.len < 64 ? r.len : 64);
		json_close(j, '}');
		off += sizeof(r) + (r.len + 7) / 8 * 8;
	}
	json_close(j, ']');
	json_close(j, '}');
}

static void text_inet(const struct cr_fd *e, const unsigned char *p)
{
	char src[INET6_ADDRSTRLEN + 8], dst[INET6_ADDRSTRLEN + 8], opts[512];
	const struct cr_tcp *t;
	const char *proto;
	struct cr_inet in;
	uint64_t bytes;
	bool tcp;

	memcpy(&in, p, sizeof(in));
	t = &in.tcp;
	proto = inet_proto_name(in.family, in.protocol);
	tcp = in.protocol == IPPROTO_TCP;
	inet_endpoint_string(&in, in.src, in.src_port, src, sizeof(src));
	inet_endpoint_string(&in, in.dst, in.dst_port, dst, sizeof(dst));
	if (proto)
		printf("(%s", proto);
	else
		printf("(inet family %u protocol %u", in.family, in.protocol);
	if (in.state == CR_INET_LISTEN) {
		printf(" listening on %s backlog %u", src, in.backlog);
		if (tcp && in.listen.nr_pending)
			printf(", %u connection%s not accepted yet", in.listen.nr_pending,
			       in.listen.nr_pending == 1 ? "" : "s");
	} else if (in.state == CR_INET_CONNECTED && tcp) {
		printf(" %s -> %s, %u bytes to read, %u to send", src, dst, t->recv_len,
		       t->send_len);
		if (t->unsent_len)
			printf(" (%u unsent)", t->unsent_len);
		if (t->options & CR_TCP_FIN_IN)
			printf(", closed by the peer (its FIN %s)",
			       t->options & CR_TCP_FIN_READ ? "read" : "not read yet");
		if (t->options & CR_TCP_FIN_OUT)
			printf(", shut down for writing (our FIN acknowledged)");
		if (t->options & CR_TCP_FIN_QUEUED)
			printf(", shut down for writing (our FIN %s, not acknowledged)",
			       t->options & CR_TCP_CLOSING ? "first" : "queued");
		printf(", seq snd %#x rcv %#x, mss %u", t->snd_seq, t->rcv_seq, t->mss);
		if (t->options & CR_TCP_WSCALE)
			printf(", wscale %u/%u", t->snd_wscale, t->rcv_wscale);
		if (t->options & CR_TCP_SACK)
			printf("%s sack", t->options & CR_TCP_WSCALE ? "" : ",");
		/* The FIN flags are said above. */
		if (t->options & CR_TCP_TIMESTAMPS)
			printf("%s ts", t->options & (CR_TCP_WSCALE | CR_TCP_SACK) ? "" : ",");
		if (t->options & ~CR_TCP_OPTIONS)
			printf("%s options %#x", t->options & CR_TCP_OPTIONS ? "" : ",",
			       t->options & ~CR_TCP_OPTIONS);
	} else if (in.state == CR_INET_CONNECTING && tcp) {
		printf(" %s -> %s, connecting (SYN seq %#x)", src, dst, t->snd_seq);
	} else {
		if (in.state > CR_INET_CONNECTED)
			printf(" state %u,", in.state);
		else if (in.state == CR_INET_CLOSED && tcp)
			printf(" closed,");
		if (in.flags & CR_INET_BOUND)
			printf(" bound %s", src);
		else if (in.src_port)
			printf(" local %s", src);
		else
			printf(" unbound");
		if (in.state == CR_INET_CONNECTED)
			printf(", connected to %s", dst);
	}
	if (inet_udp(&in) && in.udp.nr_groups) {
		const unsigned char *g = inet_groups(e, p, &in);

		const unsigned char *sl = g ? g + in.udp.nr_groups * sizeof(struct cr_udp_group) :
					      NULL;
		uint64_t left = in.udp.sources_len;

		printf(", member of");
		for (uint32_t i = 0; g && i < in.udp.nr_groups && i < 8; i++) {
			struct cr_udp_sources h;
			struct cr_udp_group gr;
			char a[INET6_ADDRSTRLEN] = "?";

			memcpy(&gr, g + i * sizeof(gr), sizeof(gr));
			inet_ntop(gr.family == AF_INET6 ? AF_INET6 : AF_INET, gr.addr, a, sizeof(a));
			printf("%s %s on %d", i ? "," : "", a, gr.ifindex);
			if (inet_group_sources(&gr, &sl, &left, &h))
				printf(" (%s %u source%s)",
				       h.mode == 1 ? "only from" : "not from", h.nr,
				       h.nr == 1 ? "" : "s");
		}
		if (!g)
			printf(" %u groups (outside the data)", in.udp.nr_groups);
		else if (in.udp.nr_groups > 8)
			printf(", %u more", in.udp.nr_groups - 8);
	}
	if (inet_udp(&in) && (in.udp.nr_dgrams || in.udp.data_len)) {
		printf(", %u datagram%s queued", in.udp.nr_dgrams, in.udp.nr_dgrams == 1 ? "" : "s");
		if (inet_dgrams(e, p, &in, 0, NULL, NULL, &bytes) == in.udp.nr_dgrams)
			printf(" (%llu bytes)", (unsigned long long)bytes);
		else
			printf(" (%u bytes of records, unreadable)", in.udp.data_len);
	}
	text_inet_options(&in, opts, sizeof(opts));
	printf("%s%s)", opts[0] ? ", " : "", opts);
}

/*
 * The options of a unix socket (struct cr_unix, struct cr_socket), as
 * words: "passcred, rcvbuf 4096, rcvtimeo 1.5s"; empty without any.
 */
static void unix_opts_string(uint32_t flags, int32_t rcvbuf, int32_t sndbuf, uint64_t rcvtimeo_us,
			     uint64_t sndtimeo_us, char *opts, size_t len)
{
	char t[32];

	opts[0] = '\0';
	if (flags & CR_UNIX_PASSCRED)
		add_word(opts, len, "passcred");
	if ((flags & CR_UNIX_RCVBUF) || rcvbuf)
		add_word(opts, len, "rcvbuf %d", rcvbuf);
	if ((flags & CR_UNIX_SNDBUF) || sndbuf)
		add_word(opts, len, "sndbuf %d", sndbuf);
	if (rcvtimeo_us) {
		usec_string(rcvtimeo_us, t, sizeof(t));
		add_word(opts, len, "rcvtimeo %s", t);
	}
	if (sndtimeo_us) {
		usec_string(sndtimeo_us, t, sizeof(t));
		add_word(opts, len, "sndtimeo %s", t);
	}
	if (flags & ~CR_UNIX_FLAGS)
		add_word(opts, len, "flags %#x", flags & ~CR_UNIX_FLAGS);
}

/*
 * A unix socket known by its name, for its line: "(unix stream listening
 * on /tmp/x.sock mode 0640 backlog 5, passcred)", "(unix dgram bound
 * @name, connected to /dev/log)", "(unix seqpacket unbound)"; an abstract
 * name starts with "@", bytes that are not printable are escaped.
 */
static void text_unix(const unsigned char *p)
{
	char name[4 * CR_UNIX_PATH_MAX + 1], peer[4 * CR_UNIX_PATH_MAX + 1];
	char opts[256];
	const char *type;
	struct cr_unix u;
	bool path;

	memcpy(&u, p, sizeof(u));
	unix_addr_string(u.name, u.name_len, name, sizeof(name));
	unix_addr_string(u.peer, u.peer_len, peer, sizeof(peer));
	path = u.name_len && u.name[0];
	type = sock_type_name(u.type);
	if (strcmp(type, "unknown"))
		printf("(unix %s", type);
	else
		printf("(unix type %u", u.type);
	if (u.state == CR_UNIX_LISTEN) {
		printf(" listening on %s", u.name_len ? name : "?");
	} else {
		if (u.state > CR_UNIX_PENDING)
			printf(" state %u,", u.state);
		if (u.name_len)
			printf(" bound %s", name);
		else
			printf(" unbound");
	}
	if (path || u.mode)
		printf(" mode %04o", u.mode);
	if (u.state == CR_UNIX_LISTEN || (u.backlog && u.state != CR_UNIX_PENDING))
		printf(" backlog %u", u.backlog);
	if (u.state == CR_UNIX_PENDING)
		printf(", connected to %s, not accepted yet (place %u in its queue)",
		       u.peer_len ? peer : "?", u.backlog);
	else if (u.state == CR_UNIX_CONNECTED || u.peer_len)
		printf(", connected to %s", u.peer_len ? peer : "?");
	unix_opts_string(u.flags, u.rcvbuf, u.sndbuf, u.rcvtimeo_us, u.sndtimeo_us, opts,
			 sizeof(opts));
	printf("%s%s", opts[0] ? ", " : "", opts);
	if (u.nr_msgs)
		printf(", %u message%s %s", u.nr_msgs, u.nr_msgs == 1 ? "" : "s",
		       u.state == CR_UNIX_PENDING ? "sent" : "queued");
	printf(")");
}

/*
 * The messages queued on a unix datagram socket (struct cr_unix_msg after
 * its struct cr_unix), as far as its state holds them: @fn for each of
 * the first @max. Return: how many there are.
 */
static uint32_t unix_msgs(const struct cr_fd *e, const unsigned char *p, uint32_t max,
			  msg_fn fn, void *arg)
{
	struct cr_unix u;

	memcpy(&u, p, sizeof(u));
	msgs_walk(p + sizeof(u), e->data_len - sizeof(u), u.nr_msgs, max, fn, arg);
	return u.nr_msgs;
}

/* One message of a unix datagram socket: "message of 5 bytes from @x: "hello"". */
static void text_unix_msg(void *arg, const struct cr_unix_msg *m, const unsigned char *ids,
			  const char *name, const unsigned char *data)
{
	char from[4 * CR_UNIX_PATH_MAX + 1], files[2048];

	unix_addr_string(name, m->name_len, from, sizeof(from));
	msg_files_string(m, ids, files, sizeof(files));
	if (*(const uint16_t *)arg == CR_UNIX_PENDING)
		printf("%17smessage of %u bytes sent%s: ", "", m->len, files);
	else
		printf("%17smessage of %u bytes from %s%s: ", "", m->len,
		       m->name_len ? from : "an unnamed socket", files);
	text_bytes(data, m->len, 64);
	printf("\n");
}

/*
 * The state of an eventfd, signalfd, timerfd, epoll, memfd, inet or unix
 * descriptor, for its line: "(eventfd count 3 semaphore)", "(epoll: fd 4
 * IN|ET data 0x7)".
 */
static void text_fd_state(const struct fd_table *t, const struct cr_fd *e)
{
	char buf[1024], left[48], every[48];
	const unsigned char *p;
	struct cr_epoll_target et;
	struct cr_signalfd sfd;
	struct cr_eventfd efd;
	struct cr_timerfd tfd;
	struct cr_memfd mfd;
	const char *clock;
	uint64_t nr, i;

	p = fd_state(e, t->data, t->data_len, &nr);
	if (!p) {
		printf("(state unreadable)");
		return;
	}
	switch (e->kind) {
	case CR_FD_PIDFD: {
		struct cr_pidfd pfd;

		memcpy(&pfd, p, sizeof(pfd));
		if (pfd.flags & CR_PIDFD_REAPED)
			printf("(pidfd of a %s reaped since)",
			       pfd.flags & CR_PIDFD_THREAD ? "thread" : "process");
		else if (pfd.flags & CR_PIDFD_OWN_THREAD)
			printf("(pidfd of thread %d of this process)", pfd.pid);
		else if (pfd.pid)
			printf("(pidfd of pid %d%s)", pfd.pid,
			       pfd.flags & CR_PIDFD_THREAD ? ", thread" : "");
		else
			printf("(pidfd of this process%s)",
			       pfd.flags & CR_PIDFD_THREAD ? ", thread" : "");
		return;
	}
	case CR_FD_NETLINK: {
		struct cr_netlink nl;

		memcpy(&nl, p, sizeof(nl));
		printf("(netlink route, %s, port id %u, groups %#llx %#llx, flags %#x",
		       nl.type == SOCK_DGRAM ? "dgram" : "raw", nl.portid,
		       (unsigned long long)nl.groups[0], (unsigned long long)nl.groups[1],
		       nl.flags);
		if (nl.dst_portid || nl.dst_group)
			printf(", sends to port id %u group %u", nl.dst_portid, nl.dst_group);
		printf(", %u messages queued)", nl.nr_msgs);
		return;
	}
	case CR_FD_PACKET:
		text_packet(p);
		return;
	case CR_FD_INET:
		text_inet(e, p);
		return;
	case CR_FD_UNIX:
		text_unix(p);
		return;
	case CR_FD_MEMFD:
		memcpy(&mfd, p, sizeof(mfd));
		printf("(memfd %llu bytes, %llu of data saved, seals %#x, object %u)",
		       (unsigned long long)mfd.size, (unsigned long long)mfd.data_len, mfd.seals,
		       mfd.shm);
		return;
	case CR_FD_MQUEUE: {
		struct cr_mqueue q;
		struct cr_mq_msg m;
		uint64_t off = sizeof(q);
		unsigned int k;

		memcpy(&q, p, sizeof(q));
		printf("(mqueue%s mode %04o owner %u:%u, %u of %lld messages of up to %lld bytes",
		       q.flags & CR_MQUEUE_UNLINKED ? " unlinked," : "", q.mode, q.uid, q.gid,
		       q.nr_msgs, (long long)q.maxmsg, (long long)q.msgsize);
		if (q.notify == CR_MQUEUE_NOTIFY_SIGNAL)
			printf(", notify %s value %#llx", signal_name(q.signo, buf, sizeof(buf)),
			       (unsigned long long)q.value);
		else if (q.notify == CR_MQUEUE_NOTIFY_QUIET)
			printf(", notify none (SIGEV_NONE)");
		for (k = 0; k < q.nr_msgs && mq_msg(p, e->data_len, &off, &m); k++)
			printf("; prio %u %u bytes", m.prio, m.len);
		printf(")");
		return;
	}
	case CR_FD_INOTIFY: {
		struct cr_inotify h;
		struct cr_inotify_watch w;
		struct cr_inotify_event ev;
		uint64_t off = sizeof(h);
		const char *path;

		memcpy(&h, p, sizeof(h));
		printf("(inotify %u watches, next wd %d, %u events waiting", h.nr_watches, h.next_wd,
		       h.nr_events);
		for (i = 0; i < h.nr_watches && (path = inotify_watch(p, e->data_len, &off, &w)); i++)
			printf("; wd %d mask %#x %s", w.wd, w.mask, path);
		for (i = 0; i < h.nr_events && (path = inotify_event(p, e->data_len, &off, &ev)); i++)
			printf("; event wd %d mask %#x cookie %u%s%s", ev.wd, ev.mask, ev.cookie,
			       *path ? " " : "", path);
		printf(")");
		return;
	}
	case CR_FD_FANOTIFY: {
		struct cr_fanotify h;
		struct cr_fanotify_mark m;
		struct cr_fanotify_event ev;
		uint64_t off = sizeof(h);
		const char *path;

		memcpy(&h, p, sizeof(h));
		printf("(fanotify flags %#x event flags %#o%s, %u marks, %u events waiting", h.flags,
		       h.event_f_flags, h.group_flags & CR_FANOTIFY_UNPRIV ? " unprivileged" : "",
		       h.nr_marks, h.nr_events);
		for (i = 0; i < h.nr_marks && (path = fanotify_mark(p, e->data_len, &off, &m)); i++)
			printf("; %s mark flags %#x mask %#x ignore %#x %s",
			       m.type == CR_FANOTIFY_MARK_INODE ? "inode" :
			       m.type == CR_FANOTIFY_MARK_MOUNT ? "mount" : "filesystem",
			       m.flags, m.mask, m.ignore_mask, path);
		for (i = 0; i < h.nr_events && (path = fanotify_event(p, e->data_len, &off, &ev)); i++) {
			if (ev.mask == CR_FANOTIFY_Q_OVERFLOW)
				printf("; overflow");
			else
				printf("; event mask %#x pid %d %s", ev.mask, ev.pid, path);
		}
		printf(")");
		return;
	}
	case CR_FD_EVENTFD:
		memcpy(&efd, p, sizeof(efd));
		printf("(eventfd count %llu%s", (unsigned long long)efd.count,
		       efd.flags & CR_EVENTFD_SEMAPHORE ? " semaphore" : "");
		if (efd.flags & ~CR_EVENTFD_SEMAPHORE)
			printf(" flags %#x", efd.flags);
		printf(")");
		return;
	case CR_FD_SIGNALFD:
		memcpy(&sfd, p, sizeof(sfd));
		sigset_string(sfd.mask, buf, sizeof(buf));
		printf("(signalfd %s)", buf);
		return;
	case CR_FD_TIMERFD:
		memcpy(&tfd, p, sizeof(tfd));
		clock = clock_name(tfd.clockid);
		if (strcmp(clock, "unknown"))
			printf("(timerfd %s", clock);
		else
			printf("(timerfd clock %d", tfd.clockid);
		if (tfd.flags & CR_TIMERFD_ABSTIME)
			printf(" absolute");
		if (tfd.expires_ns) {
			time_string(tfd.expires_ns, buf, sizeof(buf));
			printf(" at %s", buf);
		} else if (tfd.value_ns) {
			duration_string(tfd.value_ns, left, sizeof(left));
			printf("%s left %s", tfd.flags & CR_TIMERFD_ABSTIME ? "," : "", left);
		} else {
			printf(" disarmed");
		}
		if (tfd.interval_ns) {
			duration_string(tfd.interval_ns, every, sizeof(every));
			printf(" every %s", every);
		}
		if (tfd.flags & CR_TIMERFD_CANCEL_ON_SET)
			printf(" cancel-on-set");
		if (tfd.flags & ~CR_TIMERFD_FLAGS)
			printf(" flags %#x", tfd.flags);
		if (tfd.ticks)
			printf(", %llu unread", (unsigned long long)tfd.ticks);
		printf(")");
		return;
	}
	if (!nr) {
		printf("(epoll: no targets listed)");
		return;
	}
	printf("(epoll:");
	for (i = 0; i < nr && i < TEXT_EPOLL_TARGETS; i++) {
		memcpy(&et, p + i * sizeof(et), sizeof(et));
		epoll_events_string(et.events, true, buf, sizeof(buf));
		printf("%s fd %d %s data %#llx", i ? "," : "", et.fd, buf,
		       (unsigned long long)et.data);
	}
	if (nr > TEXT_EPOLL_TARGETS)
		printf(", and %llu more", (unsigned long long)(nr - TEXT_EPOLL_TARGETS));
	printf(")");
}

/* At most this many datagrams of a UDP socket are listed under its line. */
#define TEXT_DGRAMS		16

/*
 * One datagram queued on a UDP socket: "datagram of 5 bytes from
 * 127.0.0.1:53 to 127.0.0.1, ifindex 1, ttl 64, tos 0x10: "hello"".
 */
static void text_dgram(void *arg, const struct cr_inet *in, const struct cr_udp_dgram *g,
		       const unsigned char *data)
{
	char from[INET6_ADDRSTRLEN + 8], to[INET6_ADDRSTRLEN];

	(void)arg;
	inet_endpoint_string(in, g->addr, g->port, from, sizeof(from));
	inet_addr_string(in, g->dst, to, sizeof(to));
	printf("%17sdatagram of %u bytes from %s to %s, ifindex %d, ttl %u, tos %#x: ", "",
	       g->len, from, to[0] ? to : "?", g->ifindex, g->ttl, g->tos);
	text_bytes(data, g->len, 64);
	printf("\n");
}

/* The datagrams queued on a UDP socket, under its descriptor's line. */
/* A TCP listener's connections not accepted yet, a line each. */
static void text_inet_pending(const struct cr_fd *e, const unsigned char *p,
			      const struct cr_inet *in)
{
	char src[64], dst[64];
	uint64_t off = 0;
	struct cr_inet c;
	uint32_t n = 0;

	while (n < in->listen.nr_pending && inet_pending(e, p, in, &off, &c)) {
		if (n++ == TEXT_DGRAMS)
			continue;
		inet_endpoint_string(&c, c.src, c.src_port, src, sizeof(src));
		inet_endpoint_string(&c, c.dst, c.dst_port, dst, sizeof(dst));
		printf("%17sconnection not accepted yet: %s -> %s, %u bytes to read, %u to send%s\n",
		       "", src, dst, c.tcp.recv_len, c.tcp.send_len,
		       c.tcp.options & CR_TCP_FIN_IN ? ", closed by the peer" : "");
	}
	if (n > TEXT_DGRAMS)
		printf("%17s... %u more\n", "", n - TEXT_DGRAMS);
	if (n < in->listen.nr_pending)
		printf("%17s%u more, outside the data\n", "", in->listen.nr_pending - n);
}

static void text_inet_dgrams(const struct fd_table *t, const struct cr_fd *e)
{
	const unsigned char *p;
	struct cr_inet in;
	uint64_t nr, bytes;
	uint32_t n;

	p = fd_state(e, t->data, t->data_len, &nr);
	if (!p)
		return;
	memcpy(&in, p, sizeof(in));
	if (in.protocol == IPPROTO_TCP && in.state == CR_INET_LISTEN) {
		text_inet_pending(e, p, &in);
		return;
	}
	if (!inet_udp(&in))
		return;
	n = inet_dgrams(e, p, &in, TEXT_DGRAMS, text_dgram, NULL, &bytes);
	if (n > TEXT_DGRAMS)
		printf("%17s... %u more\n", "", n - TEXT_DGRAMS);
}

/* The messages queued on a unix datagram socket, under its descriptor's line. */
static void text_unix_msgs(const struct fd_table *t, const struct cr_fd *e)
{
	const unsigned char *p;
	struct cr_unix u;
	uint64_t nr;
	uint32_t n;

	p = fd_state(e, t->data, t->data_len, &nr);
	if (!p)
		return;
	memcpy(&u, p, sizeof(u));
	n = unix_msgs(e, p, TEXT_DGRAMS, text_unix_msg, &u.state);
	if (n > TEXT_DGRAMS)
		printf("%17s... %u more\n", "", n - TEXT_DGRAMS);
}

static void text_locks(const struct view *v)
{
	unsigned int i, n;

	if (!v->locks)
		return;
	n = v->locks->size / sizeof(struct cr_lock);
	for (i = 0; i < n; i++) {
		struct cr_lock l;

		memcpy(&l, v->locks->desc + i * sizeof(l), sizeof(l));
		printf("%s fd %d %s %s lock, bytes %lld-", i ? "            " : "locks       ",
		       l.fd, lock_kind_name(l.kind), l.type == 1 ? "write" : "read",
		       (long long)l.start);
		if (l.end == INT64_MAX)
			printf("end");
		else
			printf("%lld", (long long)l.end);
		printf("%s\n", lease_break_name(l.flags));
	}
}

static void text_files(const struct view *v)
{
	char flags[256], owner[FOWN_STRING_SIZE];
	struct fd_table t;
	uint32_t i, k = 0;

	printf("\n");
	if (!view_fds(v, &t)) {
		printf("descriptors  (no NT_CR_FILES)\n");
		return;
	}
	printf("descriptors  %u\n", t.nr);
	if (!t.nr)
		return;
	printf("  %4s %-9s %-36s %-8s %10s %5s  %s\n", "FD", "KIND", "FLAGS", "FD_FLAGS",
	       "OFFSET", "FILE", "PATH");
	for (i = 0; i < t.nr; i++) {
		const unsigned char *insns;
		struct cr_sock_filter sf;
		struct cr_sock_opts so;
		struct cr_sock_dev sd;
		struct cr_fown fown;
		const char *path;
		struct cr_fd e;
		char obj[96];
		size_t len;

		memcpy(&e, t.entries + (uint64_t)i * sizeof(e), sizeof(e));
		open_flags_string(e.flags, flags, sizeof(flags));
		printf("  %4d %-9s %-36s %-8s %10llu %5u  ", e.fd, fd_kind_name(e.kind), flags,
		       e.fd_flags & CR_FD_IN_FLIGHT ? "inflight" :
		       e.fd_flags & CR_FD_CLOEXEC ? "cloexec" : "-", (unsigned long long)e.pos,
		       e.file_id);
		path = fd_path(&t, &e, &len);
		if (path)
			printf("%.*s", (int)len, path);
		fd_object(v, &e, obj, sizeof(obj));
		if (obj[0])
			printf("%s(%s)", path ? " " : "", obj);
		if (e.kind == CR_FD_UNLINKED)
			printf(" (%llu bytes saved)", (unsigned long long)e.data_len);
		if (fd_has_state(e.kind)) {
			if (path || obj[0])
				printf(" ");
			text_fd_state(&t, &e);
		}
		if (view_fown(v, e.fd, &k, &fown)) {
			fown_string(&fown, owner, sizeof(owner));
			printf("%s(owner: %s)", path || obj[0] || fd_has_state(e.kind) ? " " : "",
			       owner);
		}
		if (view_sock_filter(v, e.fd, &sf, &insns))
			printf(" (socket filter: %u instructions%s)", sf.len,
			       sf.flags & CR_SOCK_FILTER_LOCKED ? ", locked" : "");
		if (view_sock_opts(v, e.fd, &so)) {
			char opts[512];

			sock_opts_string(&so, opts, sizeof(opts));
			printf(" (options: %s)", opts);
		}
		if (view_sock_dev(v, e.fd, &sd))
			printf(" (bound to device %d %.*s)", sd.ifindex, (int)sizeof(sd.name),
			       sd.name);
		printf("\n");
		if (e.kind == CR_FD_INET)
			text_inet_dgrams(&t, &e);
		if (e.kind == CR_FD_UNIX)
			text_unix_msgs(&t, &e);
	}
	text_locks(v);
}

static void text_signals(const struct view *v)
{
	char mask[512], flags[256], tmp[16];
	unsigned int i, n = 0;

	printf("\n");
	if (!v->sighand) {
		printf("handlers     (no NT_CR_SIGHAND)\n");
		return;
	}
	for (i = 0; i < CR_NSIG; i++) {
		struct cr_sigaction sa;

		memcpy(&sa, v->sighand->desc + i * sizeof(sa), sizeof(sa));
		if (!sa.handler)
			continue;
		printf("%s %s: ", n++ ? "            " : "handlers    ",
		       signal_name(i + 1, tmp, sizeof(tmp)));
		if (sa.handler == 1) {
			printf("ignored\n");
			continue;
		}
		sa_flags_string(sa.flags, flags, sizeof(flags));
		sigset_string(sa.mask, mask, sizeof(mask));
		printf("%#llx, flags %s, restorer %#llx, mask %s\n",
		       (unsigned long long)sa.handler, flags, (unsigned long long)sa.restorer,
		       mask);
	}
	if (!n)
		printf("handlers     all default\n");
}

static void text_posix_timers(const struct view *v)
{
	unsigned int i, n = v->ptimers ? v->ptimers->size / sizeof(struct cr_posix_timer) : 0;

	for (i = 0; i < n; i++) {
		struct cr_posix_timer t;

		memcpy(&t, v->ptimers->desc + i * sizeof(t), sizeof(t));
		printf("%s timer %d on %s, %s", i ? "            " : "posix timers",
		       t.id, clock_name(t.clock), sigev_notify_name(t.notify));
		if (t.notify != 1)
			printf(" signal %d value %#llx", t.signo, (unsigned long long)t.value);
		if (t.tid)
			printf(" to thread %d", t.tid);
		if (t.cpu_tid)
			printf(", of thread %d", t.cpu_tid);
		if (!t.value_ns)
			printf(", disarmed");
		else if (t.flags & CR_POSIX_TIMER_ABSTIME)
			printf(", at %.6f s (CLOCK_REALTIME)", t.value_ns / 1e9);
		else
			printf(", %.6f s left", t.value_ns / 1e9);
		if (t.interval_ns)
			printf(", then every %.6f s", t.interval_ns / 1e9);
		if (t.overrun)
			printf(", overrun %d", t.overrun);
		printf("\n");
	}
}

/*
 * The credentials of NT_CR_CREDS, after the ids: the groups, the
 * capability sets in the order of /proc/PID/status, the securebits.
 */
static void text_creds(const struct view *v)
{
	char groups[GROUPS_STRING_SIZE], sets[5][CAPS_STRING_SIZE], bits[256];
	const unsigned char *g;
	struct cr_hdr_creds h;
	uint32_t nr;

	if (!creds_read(v->img, &h, &g, &nr)) {
		printf("credentials  (no NT_CR_CREDS: the caller's at restore)\n");
		return;
	}
	groups_string(g, nr, groups, sizeof(groups));
	if (nr < h.nr_groups)
		printf("groups       %s (%u of %u in the note)\n", groups, nr, h.nr_groups);
	else
		printf("groups       %s\n", groups);
	caps_string(h.cap_inheritable, sets[0], sizeof(sets[0]));
	caps_string(h.cap_permitted, sets[1], sizeof(sets[1]));
	caps_string(h.cap_effective, sets[2], sizeof(sets[2]));
	caps_string(h.cap_bset, sets[3], sizeof(sets[3]));
	caps_string(h.cap_ambient, sets[4], sizeof(sets[4]));
	printf("capabilities inheritable %s, permitted %s, effective %s, bounding %s, ambient %s\n",
	       sets[0], sets[1], sets[2], sets[3], sets[4]);
	securebits_string(h.securebits, bits, sizeof(bits));
	printf("securebits   %s\n", bits);
}

static void text_process_attrs(const struct view *v)
{
	struct cr_hdr_process h;
	char flags[128];
	const char *cwd;
	uint64_t cwd_room;
	unsigned int i, n = 0;

	printf("\n");
	if (!v->process) {
		printf("attributes   (no NT_CR_PROCESS)\n");
		text_creds(v);
		return;
	}
	memcpy(&h, v->process->desc, sizeof(h));
	cwd = (const char *)v->process->desc + sizeof(h);
	cwd_room = v->process->size - sizeof(h);
	printf("ids          uid %u/%u/%u/%u, gid %u/%u/%u/%u (real/effective/saved/fs)\n",
	       h.uid, h.euid, h.suid, h.fsuid, h.gid, h.egid, h.sgid, h.fsgid);
	text_creds(v);
	printf("umask        %04o\n", h.umask);
	printf("cwd          %.*s\n", (int)strnlen(cwd, cwd_room), cwd);
	if (h.root_len && h.cwd_len < cwd_room)
		printf("root         %.*s (chroot)\n",
		       (int)strnlen(cwd + h.cwd_len, cwd_room - h.cwd_len), cwd + h.cwd_len);
	printf("personality  %#x%s\n", h.personality,
	       (h.personality & 0xff) == 0 ? " (PER_LINUX)" : "");
	printf("oom          oom_score_adj %d (lowest %d)\n", h.oom_score_adj, h.oom_score_adj_min);
	mm_flags_string(h.mm_flags, flags, sizeof(flags));
	printf("mm           dumpable %u, coredump_filter %#x, flags %s\n", h.dumpable,
	       h.coredump_filter, flags);
	if (v->itimers) {
		struct cr_itimer it[CR_NR_ITIMERS];

		memcpy(it, v->itimers->desc, sizeof(it));
		for (i = 0; i < CR_NR_ITIMERS; i++) {
			if (!it[i].value_ns)
				continue;
			printf("%s ITIMER_%s %.6f s left", n++ ? "            " : "itimers     ",
			       itimer_name(i), it[i].value_ns / 1e9);
			if (it[i].interval_ns)
				printf(", then every %.6f s", it[i].interval_ns / 1e9);
			printf("\n");
		}
		n = 0;
	}
	text_posix_timers(v);
	for (i = 0; i < CR_NLIMITS; i++) {
		char cur[24], max[24];

		if (h.rlim[i].cur == ~0ULL && h.rlim[i].max == ~0ULL)
			continue;
		if (h.rlim[i].cur == ~0ULL)
			snprintf(cur, sizeof(cur), "unlimited");
		else
			snprintf(cur, sizeof(cur), "%llu", (unsigned long long)h.rlim[i].cur);
		if (h.rlim[i].max == ~0ULL)
			snprintf(max, sizeof(max), "unlimited");
		else
			snprintf(max, sizeof(max), "%llu", (unsigned long long)h.rlim[i].max);
		printf("%s RLIMIT_%s %s/%s\n", n++ ? "            " : "rlimits     ",
		       rlimit_name(i), cur, max);
	}
}

static void text_check(const struct view *v)
{
	unsigned int i;

	printf("\n");
	if (!v->rep->count) {
		printf("check        valid\n");
		return;
	}
	printf("check        %u problem%s\n", v->rep->count, v->rep->count == 1 ? "" : "s");
	for (i = 0; i < v->rep->nr_lines; i++)
		printf("  %s\n", v->rep->lines[i]);
}

static void text_tree(const struct tree_view *tv)
{
	const struct tree *t = &tv->t;
	unsigned int i, k, live = 0;
	uint64_t threads = 0;

	printf("\n");
	if (!tv->have) {
		printf("tree         (no NT_CR_TREE)\n");
		return;
	}
	for (i = 0; i < t->nr; i++) {
		live += !(t->proc[i].flags & CR_PROC_ZOMBIE);
		threads += t->proc[i].nr_threads;
	}
	printf("tree         %u process%s: %u live, %u zombie%s; %llu thread%s\n", t->nr,
	       t->nr == 1 ? "" : "es", live, t->nr - live, t->nr - live == 1 ? "" : "s",
	       (unsigned long long)threads, threads == 1 ? "" : "s");
	printf("  %-7s %-7s %-7s %-7s %7s  %-11s %-11s %s\n", "PID", "PPID", "PGID", "SID",
	       "THREADS", "EXIT_SIGNAL", "PDEATH_SIG", "COMMAND");
	for (k = 0; k < t->nr; k++) {
		const struct cr_proc *e = &t->proc[tv->order[k]];
		char ppid[16], xs[16], pd[16], buf[64];
		unsigned int depth = tv->depth[tv->order[k]];

		i = tv->order[k];
		if (e->parent >= 0 && (unsigned int)e->parent < t->nr)
			snprintf(ppid, sizeof(ppid), "%d", t->proc[e->parent].pid);
		else
			snprintf(ppid, sizeof(ppid), "%s", e->parent == -1 ? "-" : "?");
		printf("  %-7d %-7s %-7d %-7d %7u  %-11s %-11s %*s%s", e->pid, ppid, e->pgid,
		       e->sid, e->nr_threads,
		       e->exit_signal ? signal_name(e->exit_signal, xs, sizeof(xs)) : "-",
		       e->pdeath_signal ? signal_name(e->pdeath_signal, pd, sizeof(pd)) : "-",
		       2 * (depth < 20 ? depth : 20), "", tv->comm[i][0] ? tv->comm[i] :
		       e->flags & CR_PROC_ZOMBIE ? "" : "?");
		if (e->flags & CR_PROC_ZOMBIE) {
			wait_status_string(e->exit_code, buf, sizeof(buf));
			printf("%s(zombie, %s)", tv->comm[i][0] ? " " : "", buf);
		}
		if (e->flags & CR_PROC_SUBREAPER)
			printf(" (subreaper)");
		if (e->flags & CR_PROC_STOPPED)
			printf(" (stopped%s%s)", e->exit_code ? " by " : ", stop reported",
			       e->exit_code ? signal_name(e->exit_code, buf, sizeof(buf)) : "");
		if (e->flags & ~CR_PROC_FLAGS)
			printf(" (flags %#x)", e->flags);
		if (i && (tree_leaderless(t->proc, t->nr, e->pgid) ||
			  tree_leaderless(t->proc, t->nr, e->sid)))
			printf(" (%s%s%s without a leader in the tree)",
			       tree_leaderless(t->proc, t->nr, e->pgid) ? "group" : "",
			       tree_leaderless(t->proc, t->nr, e->pgid) &&
			       tree_leaderless(t->proc, t->nr, e->sid) ? " and " : "",
			       tree_leaderless(t->proc, t->nr, e->sid) ? "session" : "");
		printf("\n");
	}
}

static void text_msg(void *arg, const struct cr_unix_msg *m, const unsigned char *ids,
		     const char *name, const unsigned char *data)
{
	char files[2048];

	(void)arg;
	(void)name;
	msg_files_string(m, ids, files, sizeof(files));
	printf("               message of %u bytes%s: ", m->len, files);
	text_bytes(data, m->len, 64);
	printf("\n");
}

int cr_rule_tty_data(const char *name, const struct cr_note *note, uint32_t nr_ttys,
		     unsigned int *nr);
uint64_t cr_tty_data_size(const struct cr_tty_data *e);

/*
 * The bytes pair @tty held for the reader of @side (NT_CR_TTY_DATA, if
 * whole for @nr_ttys pairs): their number, *@bytes set, and @l the
 * editing state (all zero without one); 0 for none.
 */
static uint32_t tty_data(const struct image *img, uint32_t nr_ttys, uint32_t tty, uint32_t side,
			 const unsigned char **bytes, struct cr_tty_lines *l)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_TTY_DATA);
	struct cr_tty_data e;
	unsigned int nr;
	uint64_t off;

	memset(l, 0, sizeof(*l));
	if (!n || cr_rule_tty_data(img->path, n, nr_ttys, &nr))
		return 0;
	for (off = 0; off < n->size; off += cr_tty_data_size(&e)) {
		memcpy(&e, n->desc + off, sizeof(e));
		if (e.tty == tty && e.side == side) {
			*bytes = n->desc + off + sizeof(e);
			if (e.flags & CR_TTY_DATA_LINES)
				memcpy(l, n->desc + off + sizeof(e) + ((e.len + 7ULL) & ~7ULL),
				       sizeof(*l));
			return e.len;
		}
	}
	return 0;
}

/* The pipes and socket pairs of the tree (the root's notes). */
static void text_objs(const struct objs_view *o)
{
	const unsigned char *bytes;
	struct cr_tty_lines tl;
	uint32_t i, k, k2, shown;
	char flags[256];

	printf("\n");
	if (!o->have_pipes) {
		printf("pipes        (no NT_CR_PIPES)\n");
	} else {
		printf("pipes        %u\n", o->nr_pipes);
		for (i = 0; i < o->nr_pipes && i < 256; i++) {
			const unsigned char *data;
			struct cr_pipe p;

			objs_pipe(o, i, &p);
			data = pipe_bytes(o, &p);
			printf("  pipe %u     ", i);
			if (p.flags & CR_PIPE_FIFO)
				printf("FIFO %s, ", fifo_path(o, &p) ?: "(invalid path)");
			else if (p.flags)
				printf("flags %#x, ", p.flags);
			printf("capacity %u, %llu bytes queued", p.size,
			       (unsigned long long)p.data_len);
			if (data && p.data_len) {
				printf(": ");
				text_bytes(data, p.data_len, 64);
			}
			printf("\n");
			k = objs_first(o->end_by_pipe, o->nr_ends, i);
			for (shown = 0; k < o->nr_ends && o->end_by_pipe[k] >> 32 == i &&
			     shown < 64; k++, shown++) {
				struct cr_pipe_file pf;

				objs_end(o, o->end_by_pipe[k] & 0xffffffff, &pf);
				open_flags_string(pf.flags, flags, sizeof(flags));
				printf("             %s end: open file %u, %s\n",
				       pipe_end_name(pf.flags), pf.file_id, flags);
			}
		}
		if (o->nr_pipes > 256)
			printf("  ... %u more\n", o->nr_pipes - 256);
	}
	if (!o->have_ttys) {
		printf("pty pairs    none\n");
	} else {
		printf("pty pairs    %u\n", o->nr_ttys);
		for (i = 0; i < o->nr_ttys && i < 256; i++) {
			struct cr_tty ct;

			objs_tty(o, i, &ct);
			printf("  pty %u      was /dev/pts/%u, %ux%u, iflag %#x oflag %#x cflag %#x lflag %#x, line %u%s%s",
			       i, ct.index, ct.ws_col, ct.ws_row, ct.iflag, ct.oflag, ct.cflag,
			       ct.lflag, ct.line, ct.flags & CR_TTY_LOCKED ? ", locked" : "",
			       ct.flags & CR_TTY_SLAVE_CLOSED ? ", slave closed" : "");
			if (ct.sid)
				printf(", controlling terminal of session %d, foreground group %d",
				       ct.sid, ct.pgrp);
			printf("\n");
			k = tty_data(o->root, o->nr_ttys, i, CR_TTY_TO_MASTER, &bytes, &tl);
			k2 = tty_data(o->root, o->nr_ttys, i, CR_TTY_TO_SLAVE, &bytes, &tl);
			if (k || k2)
				printf("             pty %u holds %u bytes for its master's reader, %u for its slave's\n",
				       i, k, k2);
			if (tl.flags || tl.column || tl.canon_column)
				printf("             pty %u slave: %s, %u bytes in complete lines, column %u (line from %u)%s%s\n",
				       i, tl.flags & CR_TTY_LINES_CANON ? "canonical" : "not canonical",
				       tl.canon, tl.column, tl.canon_column,
				       tl.flags & CR_TTY_LINES_LNEXT ? ", next byte literal" : "",
				       tl.flags & CR_TTY_LINES_ERASING ? ", erasing" : "");
		}
		for (i = 0; i < o->nr_tty_ends && i < 1024; i++) {
			struct cr_tty_file tf;

			objs_tty_end(o, i, &tf);
			open_flags_string(tf.flags, flags, sizeof(flags));
			printf("             pty %u %s end: open file %u, %s\n", tf.tty,
			       tty_end_name(tf.end), tf.file_id, flags);
		}
	}
	if (!o->have_socks) {
		printf("socket pairs none\n");
		return;
	}
	printf("socket pairs %u sockets\n", o->nr_socks);
	for (i = 0; i < o->nr_socks && i < 256; i++) {
		char name[4 * CR_UNIX_PATH_MAX + 1], opts[256];
		struct cr_socket cs;

		objs_sock(o, i, &cs);
		unix_addr_string(cs.name, cs.name_len, name, sizeof(name));
		if (cs.file_id)
			printf("  socket %u   %s, peer %u, open file %u%s", i, sock_type_name(cs.type),
			       cs.peer, cs.file_id, cs.flags & 04000 ? ", O_NONBLOCK" : "");
		else
			printf("  socket %u   %s, peer %u, closed (no file)", i,
			       sock_type_name(cs.type), cs.peer);
		if (cs.error)
			printf(", error %d pending", cs.error);
		if (cs.name_len)
			printf(", name %s", name);
		unix_opts_string(cs.opts, cs.rcvbuf, cs.sndbuf, cs.rcvtimeo_us, cs.sndtimeo_us,
				 opts, sizeof(opts));
		if (opts[0])
			printf(", %s", opts);
		printf(", shutdown %s, %u messages queued (%llu bytes)\n",
		       shutdown_name(cs.shutdown), cs.nr_msgs, (unsigned long long)cs.data_len);
		sock_msgs(o, &cs, 16, text_msg, NULL);
	}
	if (o->nr_socks > 256)
		printf("  ... %u more\n", o->nr_socks - 256);
}

/* What show prints of one process, after its header. */
/*
 * Each context of NT_CR_AIO as far as the note holds it: @fn with the
 * context and its events not read yet (unaligned: copy each before use).
 */
static void aio_each(const struct view *v,
		     void (*fn)(void *arg, const struct cr_aio *a, const unsigned char *ev),
		     void *arg)
{
	const struct cr_note *n = image_find_note(v->img, true, NT_CR_AIO);
	const unsigned char *p = n ? n->desc : NULL;
	uint64_t off = 0, size = n ? n->size : 0;

	while (size - off >= sizeof(struct cr_aio)) {
		struct cr_aio a;
		uint64_t len;

		memcpy(&a, p + off, sizeof(a));
		len = sizeof(a) + a.nr_unread * (uint64_t)sizeof(struct cr_aio_event);
		if (size - off < len)
			break;
		fn(arg, &a, p + off + sizeof(a));
		off += len;
	}
}

static void text_aio_one(void *arg, const struct cr_aio *a, const unsigned char *ev)
{
	struct cr_aio_event e;
	unsigned int i;

	(void)arg;
	printf("  context %#llx: %u requests, ring of %u events, head %u tail %u, %u not read\n",
	       (unsigned long long)a->addr, a->max_reqs, a->nr_events, a->head, a->tail,
	       a->nr_unread);
	for (i = 0; i < a->nr_unread; i++) {
		memcpy(&e, ev + i * sizeof(e), sizeof(e));
		printf("    event data %#llx iocb %#llx res %lld res2 %lld\n",
		       (unsigned long long)e.data, (unsigned long long)e.obj,
		       (long long)e.res, (long long)e.res2);
	}
}

/* NT_CR_AIO: the AIO contexts, made again at their rings' addresses. */
static void text_aio(const struct view *v)
{
	if (!image_find_note(v->img, true, NT_CR_AIO))
		return;
	printf("aio          AIO contexts (io_setup), no request in flight\n");
	aio_each(v, text_aio_one, NULL);
}

static void text_image(const struct view *v)
{
	unsigned int i;

	text_process(v);
	for (i = 0; i < v->nr_threads; i++)
		text_thread(v, i);
	text_memory(v);
	text_sysv_shm(v);
	text_sem_undo(v);
	text_sysv_ipc(v);
	text_ns(v);
	text_aio(v);
	text_files(v);
	text_signals(v);
	text_process_attrs(v);
}

/* A process of the tree other than the root: from its own image. */
static void text_nested(const struct image *root, const struct tree_view *tv, unsigned int i,
			const struct objs_view *objs)
{
	const struct cr_proc *e = &tv->t.proc[i];
	struct report scratch = { .path = root->path };
	struct image img;
	struct view v;

	printf("\n=== process %d (%s) ===\n", e->pid, tv->comm[i][0] ? tv->comm[i] : "?");
	if (!tree_segment(root, &tv->t, i)) {
		printf("(its segment %u is not a process segment)\n", e->segment);
		return;
	}
	memset(&v, 0, sizeof(v));
	image_open_at(&img, root, e->segment, &scratch);
	if (!img.notes_ok) {
		printf("(its image cannot be read: %s)\n",
		       scratch.nr_lines ? scratch.lines[0] : "unknown problem");
	} else if (!view_init(&v, &img, &scratch)) {
		printf("(out of memory)\n");
	} else {
		v.objs = objs;
		text_header(&v);
		text_image(&v);
	}
	view_free(&v);
	image_close(&img);
	report_free(&scratch);
}

static void show_text(const struct view *v, const struct tree_view *tv)
{
	unsigned int k;

	text_header(v);
	text_tree(tv);
	text_objs(v->objs);
	text_image(v);
	for (k = 0; tv->have && k < tv->t.nr; k++) {
		unsigned int i = tv->order[k];

		if (i && !(tv->t.proc[i].flags & CR_PROC_ZOMBIE))
			text_nested(v->img, tv, i, v->objs);
	}
	text_check(v);
}

/* JSON */

static void json_sigset(struct json *j, const char *key, uint64_t set)
{
	unsigned int sig;
	char tmp[16];

	json_open(j, key, '{');
	json_hex(j, "mask", set);
	json_open(j, "signals", '[');
	for (sig = 1; sig <= 64; sig++)
		if (set & (1ULL << (sig - 1)))
			json_string(j, NULL, signal_name(sig, tmp, sizeof(tmp)));
	json_close(j, ']');
	json_close(j, '}');
}

static void json_siginfo(struct json *j, const char *key, const unsigned char *info)
{
	const char *code;
	siginfo_t si;
	char tmp[16];

	memcpy(&si, info, sizeof(si));
	json_open(j, key, '{');
	json_int(j, "signal", si.si_signo);
	json_string(j, "name", signal_name(si.si_signo, tmp, sizeof(tmp)));
	json_int(j, "code", si.si_code);
	code = si_code_name(si.si_code);
	json_string(j, "code_name", code);
	if (si_has_sender(si.si_code)) {
		json_int(j, "pid", si.si_pid);
		json_uint(j, "uid", si.si_uid);
	} else {
		json_null(j, "pid");
		json_null(j, "uid");
	}
	if (si.si_code == -1)
		json_int(j, "value", si.si_value.sival_int);
	else
		json_null(j, "value");
	json_close(j, '}');
}

static void json_file(struct json *j, const struct view *v)
{
	const struct image *img = v->img;

	json_open(j, "file", '{');
	json_string(j, "path", img->path);
	json_uint(j, "size", img->size);
	json_uint(j, "allocated", (uint64_t)img->st.st_blocks * 512);
	json_uint(j, "notes_size", img->notes_len);
	json_uint(j, "stored", v->stored_total);
	json_uint(j, "page_runs", v->nr_runs);
	json_close(j, '}');
}

static void json_header(struct json *j, const struct view *v)
{
	const struct image *img = v->img;
	const struct cr_hdr_image *h = &img->hdr;
	char buf[64];

	if (!img->hdr_read) {
		json_null(j, "header");
		return;
	}
	json_open(j, "header", '{');
	json_uint(j, "version", h->version);
	json_uint(j, "hdr_size", h->hdr_size);
	json_uint(j, "e_machine", h->e_machine);
	json_uint(j, "page_shift", h->page_shift);
	json_uint(j, "flags", h->flags);
	json_uint(j, "nr_processes", h->nr_processes);
	json_uint(j, "nr_threads", h->nr_threads);
	json_uint(j, "time_ns", h->time_ns);
	time_string(h->time_ns, buf, sizeof(buf));
	json_string(j, "time", buf);
	json_stringn(j, "kernel_release", h->kernel_release,
		     strnlen(h->kernel_release, sizeof(h->kernel_release)));
	json_close(j, '}');
}

static void json_notes(struct json *j, const struct view *v)
{
	unsigned int i;

	json_open(j, "notes", '[');
	for (i = 0; i < v->img->nr_notes; i++) {
		const struct cr_note *n = &v->img->note[i];

		json_open(j, NULL, '{');
		json_string(j, "owner", n->owner);
		json_hex(j, "type", n->type);
		json_string(j, "name", note_type_name(n));
		json_uint(j, "size", n->size);
		json_uint(j, "offset", n->offset);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void json_process(struct json *j, const struct view *v)
{
	struct elf_prpsinfo ps;

	if (!v->psinfo) {
		json_null(j, "process");
	} else {
		memcpy(&ps, v->psinfo->desc, sizeof(ps));
		json_open(j, "process", '{');
		json_int(j, "pid", ps.pr_pid);
		json_int(j, "ppid", ps.pr_ppid);
		json_int(j, "pgrp", ps.pr_pgrp);
		json_int(j, "sid", ps.pr_sid);
		json_uint(j, "uid", ps.pr_uid);
		json_uint(j, "gid", ps.pr_gid);
		json_stringn(j, "comm", ps.pr_fname, strnlen(ps.pr_fname, sizeof(ps.pr_fname)));
		json_stringn(j, "args", ps.pr_psargs,
			     strnlen(ps.pr_psargs, sizeof(ps.pr_psargs)));
		json_close(j, '}');
	}
	if (v->siginfo)
		json_siginfo(j, "checkpoint_signal", v->siginfo->desc);
	else
		json_null(j, "checkpoint_signal");
}

static void json_regs(struct json *j, const struct cr_note *st)
{
	static const char *const names[] = {
		"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
		"rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags",
		"rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
	};
	unsigned int i;

	json_open(j, "registers", '{');
	for (i = 0; i < ARRAY_SIZE(names); i++)
		json_hex(j, names[i], get_u64(st->desc + CR_PRSTATUS_REGS + 8 * i));
	json_close(j, '}');
}

static void json_sched(struct json *j, const struct cr_sched *s)
{
	char cpus[CPUS_STRING_SIZE];

	json_open(j, "sched", '{');
	json_string(j, "policy", sched_policy_name(s->policy));
	json_int(j, "nice", s->nice);
	json_uint(j, "priority", s->priority);
	json_bool(j, "reset_on_fork", s->flags & CR_SCHED_RESET_ON_FORK);
	json_uint(j, "runtime_ns", s->runtime);
	json_uint(j, "deadline_ns", s->deadline);
	json_uint(j, "period_ns", s->period);
	cpus_string(s, cpus, sizeof(cpus));
	json_string(j, "cpus", cpus);
	json_uint(j, "timer_slack_ns", s->timer_slack_ns);
	json_uint(j, "default_slack_ns", s->default_slack_ns);
	json_uint(j, "ioprio", s->ioprio);
	json_close(j, '}');
}

static void json_seccomp_filter(const struct cr_seccomp_filter *f, void *arg)
{
	struct json *j = arg;

	json_open(j, NULL, '{');
	json_uint(j, "id", f->id);
	json_uint(j, "len", f->len);
	json_bool(j, "log", f->flags & CR_SECCOMP_LOG);
	json_hex(j, "flags", f->flags);
	json_close(j, '}');
}

/* A thread's seccomp mode and filters; null when it runs without. */
static void json_seccomp(struct json *j, const struct cr_note *n)
{
	struct cr_hdr_seccomp h = {};

	if (!n) {
		json_null(j, "seccomp");
		return;
	}
	if (n->size >= sizeof(h))
		memcpy(&h, n->desc, sizeof(h));
	json_open(j, "seccomp", '{');
	json_string(j, "mode", h.mode == 1 ? "strict" : h.mode == 2 ? "filter" : "unknown");
	json_open(j, "filters", '[');
	seccomp_filters(n, &h, json_seccomp_filter, j);
	json_close(j, ']');
	json_close(j, '}');
}

static void json_caps(struct json *j, const char *key, const char *names_key, uint64_t set);

/* The capabilities, securebits and groups of NT_CR_CREDS's layout. */
static void json_creds_fields(struct json *j, const struct cr_hdr_creds *h,
			      const unsigned char *g, uint32_t nr)
{
	char bits[256];
	uint32_t i;

	json_caps(j, "cap_inheritable", "cap_inheritable_names", h->cap_inheritable);
	json_caps(j, "cap_permitted", "cap_permitted_names", h->cap_permitted);
	json_caps(j, "cap_effective", "cap_effective_names", h->cap_effective);
	json_caps(j, "cap_bset", "cap_bset_names", h->cap_bset);
	json_caps(j, "cap_ambient", "cap_ambient_names", h->cap_ambient);
	json_hex(j, "securebits", h->securebits);
	securebits_string(h->securebits, bits, sizeof(bits));
	json_string(j, "securebits_names", bits);
	json_uint(j, "nr_groups", h->nr_groups);
	json_open(j, "groups", '[');
	for (i = 0; i < nr; i++)
		json_uint(j, NULL, get_u32(g + (uint64_t)i * sizeof(uint32_t)));
	json_close(j, ']');
}

/* "creds": a thread's own credentials (NT_CR_THREAD_CREDS), or null. */
static void json_thread_creds(struct json *j, const struct cr_note *note)
{
	const unsigned char *g;
	struct cr_thread_ids id;
	struct cr_hdr_creds h;
	uint32_t nr;

	if (!creds_read_note(note, sizeof(id), &h, &g, &nr)) {
		json_null(j, "creds");
		return;
	}
	memcpy(&id, note->desc, sizeof(id));
	json_open(j, "creds", '{');
	json_uint(j, "uid", id.uid);
	json_uint(j, "euid", id.euid);
	json_uint(j, "suid", id.suid);
	json_uint(j, "fsuid", id.fsuid);
	json_uint(j, "gid", id.gid);
	json_uint(j, "egid", id.egid);
	json_uint(j, "sgid", id.sgid);
	json_uint(j, "fsgid", id.fsgid);
	json_creds_fields(j, &h, g, nr);
	json_close(j, '}');
}

static void json_thread(struct json *j, const struct view *v, unsigned int n)
{
	const struct thread_view *t = &v->threads[n];
	char buf[512];

	json_open(j, NULL, '{');
	if (t->prstatus->size == CR_PRSTATUS_SIZE) {
		struct elf_prstatus st;

		memcpy(&st, t->prstatus->desc, sizeof(st));
		json_int(j, "pid", st.pr_pid);
		json_int(j, "cursig", st.pr_cursig);
		json_hex(j, "sigpend", st.pr_sigpend);
		json_hex(j, "sighold", st.pr_sighold);
		json_regs(j, t->prstatus);
	} else {
		json_null(j, "pid");
		json_null(j, "cursig");
		json_null(j, "sigpend");
		json_null(j, "sighold");
		json_null(j, "registers");
	}
	if (t->xstate && t->xstate->size >= 576) {
		uint64_t features = get_u64(t->xstate->desc + 512);

		json_open(j, "fpu", '{');
		json_uint(j, "xstate_size", t->xstate->size);
		json_hex(j, "xfeatures", features);
		xfeatures_string(features, buf, sizeof(buf));
		json_string(j, "features", buf);
		json_close(j, '}');
	} else {
		json_null(j, "fpu");
	}
	if (t->thread && t->thread->size == sizeof(struct cr_hdr_thread)) {
		struct cr_hdr_thread th;

		memcpy(&th, t->thread->desc, sizeof(th));
		json_uint(j, "tid", th.tid);
		json_stringn(j, "comm", th.comm, strnlen(th.comm, sizeof(th.comm)));
		json_bool(j, "leader", th.flags & CR_THREAD_LEADER);
		json_hex(j, "flags", th.flags);
		json_sigset(j, "blocked", th.blocked);
		json_open(j, "sigaltstack", '{');
		json_bool(j, "disabled", th.sas_ss_flags & 2);
		json_hex(j, "sp", th.sas_ss_sp);
		json_uint(j, "size", th.sas_ss_size);
		json_hex(j, "flags", th.sas_ss_flags);
		json_close(j, '}');
		json_open(j, "restart", '{');
		json_string(j, "kind", th.restart == CR_RESTART_NONE ? "none" :
			    th.restart == CR_RESTART_NANOSLEEP ? "nanosleep" : "unknown");
		if (th.restart == CR_RESTART_NANOSLEEP) {
			json_string(j, "clock", clock_name(th.restart_clockid));
			json_int(j, "remaining_ns", th.restart_remaining_ns);
			json_hex(j, "rmtp", th.restart_rmtp);
		}
		json_close(j, '}');
		json_hex(j, "clear_child_tid", th.clear_child_tid);
		json_open(j, "robust_list", '{');
		json_hex(j, "head", th.robust_list);
		json_uint(j, "len", th.robust_list_len);
		json_close(j, '}');
		json_open(j, "rseq", '{');
		json_hex(j, "area", th.rseq);
		json_uint(j, "len", th.rseq_len);
		json_hex(j, "sig", th.rseq_sig);
		json_close(j, '}');
		json_bool(j, "no_new_privs", th.flags & CR_THREAD_NO_NEW_PRIVS);
		json_bool(j, "tsc_sigsegv", th.flags & CR_THREAD_NOTSC);
		if (th.flags & CR_THREAD_MCE_KILL)
			json_string(j, "mce_kill", th.flags & CR_THREAD_MCE_EARLY ? "early" : "late");
		else
			json_null(j, "mce_kill");
		json_bool(j, "io_flusher", th.flags & CR_THREAD_IO_FLUSHER);
		json_hex(j, "spec", th.spec);
		thread_prctl_string(0, th.spec, buf, sizeof(buf));
		json_string(j, "spec_names", th.spec ? buf : "");
		json_sched(j, &th.sched);
	} else {
		json_null(j, "tid");
		json_null(j, "comm");
		json_null(j, "leader");
		json_null(j, "flags");
		json_null(j, "blocked");
		json_null(j, "sigaltstack");
		json_null(j, "restart");
		json_null(j, "clear_child_tid");
		json_null(j, "robust_list");
		json_null(j, "rseq");
		json_null(j, "no_new_privs");
		json_null(j, "tsc_sigsegv");
		json_null(j, "mce_kill");
		json_null(j, "io_flusher");
		json_null(j, "sched");
	}
	if (t->sigpending && !(t->sigpending->size % sizeof(struct cr_sigpending))) {
		uint64_t i, nr = t->sigpending->size / sizeof(struct cr_sigpending);

		json_open(j, "pending", '[');
		for (i = 0; i < nr; i++) {
			struct cr_sigpending p;

			memcpy(&p, t->sigpending->desc + i * sizeof(p), sizeof(p));
			json_open(j, NULL, '{');
			json_string(j, "queue", p.shared ? "process" : "thread");
			json_siginfo(j, "info", p.info);
			json_close(j, '}');
		}
		json_close(j, ']');
	} else {
		json_null(j, "pending");
	}
	json_seccomp(j, t->seccomp);
	if (t->dispatch && t->dispatch->size == sizeof(struct cr_dispatch)) {
		struct cr_dispatch sd;

		memcpy(&sd, t->dispatch->desc, sizeof(sd));
		json_open(j, "dispatch", '{');
		json_hex(j, "selector", sd.selector);
		json_hex(j, "offset", sd.offset);
		json_hex(j, "len", sd.len);
		json_close(j, '}');
	} else {
		json_null(j, "dispatch");
	}
	json_thread_creds(j, t->creds);
	json_close(j, '}');
}

/* "sysv_shm": the segments of NT_CR_SYSV_SHM (empty without it). */
static void json_sysv_shm(struct json *j, const struct view *v)
{
	const struct cr_note *n = image_find_note(v->img, true, NT_CR_SYSV_SHM);
	size_t i, nr = n ? n->size / sizeof(struct cr_sysv_shm) : 0;

	json_open(j, "sysv_shm", '[');
	for (i = 0; i < nr; i++) {
		struct cr_sysv_shm e;

		memcpy(&e, (const unsigned char *)n->desc + i * sizeof(e), sizeof(e));
		json_open(j, NULL, '{');
		json_uint(j, "shm", e.obj);
		json_int(j, "id", e.shmid);
		json_hex(j, "key", (uint32_t)e.key);
		json_uint(j, "size", e.size);
		json_uint(j, "mode", e.mode);
		json_uint(j, "uid", e.uid);
		json_uint(j, "gid", e.gid);
		json_bool(j, "removed", e.flags & CR_SYSV_REMOVED);
		json_int(j, "ctime", e.ctime);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void json_sem_undo_one(void *arg, const struct cr_sem_undo *u, const unsigned char *adj)
{
	struct json *j = arg;
	unsigned int i;
	int16_t a;

	json_open(j, NULL, '{');
	json_int(j, "semid", u->semid);
	json_uint(j, "nsems", u->nsems);
	json_int(j, "ctime", u->ctime);
	json_open(j, "adjustments", '[');
	for (i = 0; i < u->nsems; i++) {
		memcpy(&a, adj + 2 * i, sizeof(a));
		json_int(j, NULL, a);
	}
	json_close(j, ']');
	json_close(j, '}');
}

static void json_aio_one(void *arg, const struct cr_aio *a, const unsigned char *ev)
{
	struct json *j = arg;
	struct cr_aio_event e;
	unsigned int i;

	json_open(j, NULL, '{');
	json_hex(j, "id", a->addr);
	json_uint(j, "max_reqs", a->max_reqs);
	json_uint(j, "nr_events", a->nr_events);
	json_uint(j, "head", a->head);
	json_uint(j, "tail", a->tail);
	json_open(j, "unread", '[');
	for (i = 0; i < a->nr_unread; i++) {
		memcpy(&e, ev + i * sizeof(e), sizeof(e));
		json_open(j, NULL, '{');
		json_hex(j, "data", e.data);
		json_hex(j, "iocb", e.obj);
		json_int(j, "res", e.res);
		json_int(j, "res2", e.res2);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
}

/* "aio": the contexts of NT_CR_AIO (empty without it). */
static void json_aio(struct json *j, const struct view *v)
{
	json_open(j, "aio", '[');
	aio_each(v, json_aio_one, j);
	json_close(j, ']');
}

static void json_sysv_sem_one(void *arg, const struct cr_sysv_sem *e, const unsigned char *vals)
{
	struct json *j = arg;
	unsigned int i;
	uint16_t v;

	json_open(j, NULL, '{');
	json_int(j, "semid", e->semid);
	json_hex(j, "key", (uint32_t)e->key);
	json_uint(j, "mode", e->mode);
	json_uint(j, "uid", e->uid);
	json_uint(j, "gid", e->gid);
	json_uint(j, "cuid", e->cuid);
	json_uint(j, "cgid", e->cgid);
	json_int(j, "ctime", e->ctime);
	json_open(j, "values", '[');
	for (i = 0; i < e->nsems; i++) {
		memcpy(&v, vals + 2 * i, sizeof(v));
		json_uint(j, NULL, v);
	}
	json_close(j, ']');
	json_close(j, '}');
}

static void json_sysv_msq_one(void *arg, const struct cr_sysv_msq *q, const unsigned char *msgs,
			      uint64_t len)
{
	struct json *j = arg;
	uint64_t off = 0;
	uint32_t i;

	json_open(j, NULL, '{');
	json_int(j, "msqid", q->msqid);
	json_hex(j, "key", (uint32_t)q->key);
	json_uint(j, "mode", q->mode);
	json_uint(j, "uid", q->uid);
	json_uint(j, "gid", q->gid);
	json_uint(j, "cuid", q->cuid);
	json_uint(j, "cgid", q->cgid);
	json_int(j, "ctime", q->ctime);
	json_uint(j, "qbytes", q->qbytes);
	json_uint(j, "bytes", q->bytes);
	json_open(j, "messages", '[');
	for (i = 0; i < q->nr_msgs && off < len; i++) {
		struct cr_sysv_msg m;

		memcpy(&m, msgs + off, sizeof(m));
		json_open(j, NULL, '{');
		json_int(j, "type", m.mtype);
		json_uint(j, "size", m.size);
		json_close(j, '}');
		off += sizeof(m) + ((m.size + 7) & ~7ULL);
	}
	json_close(j, ']');
	json_close(j, '}');
}

/* "sysv_sem", "sysv_msg": the sets and queues the tree used (empty without). */
static void json_sysv_ipc(struct json *j, const struct view *v)
{
	json_open(j, "sysv_sem", '[');
	sysv_sem_each(v->img, json_sysv_sem_one, j);
	json_close(j, ']');
	json_open(j, "sysv_msg", '[');
	sysv_msq_each(v->img, json_sysv_msq_one, j);
	json_close(j, ']');
}

/* "sem_undo": the sets of NT_CR_SEM_UNDO (empty without it). */
static void json_sem_undo(struct json *j, const struct view *v)
{
	json_open(j, "sem_undo", '[');
	sem_undo_each(v, json_sem_undo_one, j);
	json_close(j, ']');
}

static void json_mm(struct json *j, const struct view *v)
{
	struct cr_hdr_mm m;

	if (!v->mm) {
		json_null(j, "mm");
		return;
	}
	memcpy(&m, v->mm->desc, sizeof(m));
	json_open(j, "mm", '{');
	json_hex(j, "start_code", m.start_code);
	json_hex(j, "end_code", m.end_code);
	json_hex(j, "start_data", m.start_data);
	json_hex(j, "end_data", m.end_data);
	json_hex(j, "start_brk", m.start_brk);
	json_hex(j, "brk", m.brk);
	json_hex(j, "start_stack", m.start_stack);
	json_hex(j, "arg_start", m.arg_start);
	json_hex(j, "arg_end", m.arg_end);
	json_hex(j, "env_start", m.env_start);
	json_hex(j, "env_end", m.env_end);
	json_hex(j, "vdso", m.vdso);
	json_uint(j, "nr_vmas", m.nr_vmas);
	json_int(j, "exe_file", m.exe_file);
	json_string(j, "exe_path", view_file_name(v, m.exe_file));
	json_close(j, '}');
}

static void json_mappings(struct json *j, const struct view *v)
{
	unsigned int i;
	char prot[5];

	json_open(j, "mappings", '[');
	for (i = 0; i < v->nr_maps; i++) {
		const GElf_Phdr *ph = &v->img->phdrs[i + 1];
		struct cr_vma vma;
		bool have = view_vma(v, i, &vma);

		json_open(j, NULL, '{');
		json_hex(j, "start", ph->p_vaddr);
		json_hex(j, "end", ph->p_vaddr + ph->p_memsz);
		json_uint(j, "size", ph->p_memsz);
		if (have)
			prot_string(vma.prot, vma.flags & CR_VMA_SHARED, prot);
		else
			prot_from_phdr(ph, prot);
		json_string(j, "prot", prot);
		json_string(j, "kind", have ? vma_kind_name(vma.kind) : NULL);
		if (have && vma.kind == CR_VMA_FILE) {
			json_string(j, "path", view_file_name(v, vma.file));
			json_int(j, "file_index", vma.file);
			json_uint(j, "pgoff", vma.pgoff);
		} else {
			json_null(j, "path");
			json_null(j, "file_index");
			json_null(j, "pgoff");
		}
		json_bool(j, "shared", have && (vma.flags & CR_VMA_SHARED));
		json_bool(j, "growsdown", have && (vma.flags & CR_VMA_GROWSDOWN));
		json_bool(j, "maywrite", have && (vma.flags & CR_VMA_MAYWRITE));
		json_bool(j, "locked", have && (vma.flags & CR_VMA_LOCKED));
		json_bool(j, "lock_onfault", have && (vma.flags & CR_VMA_LOCKONFAULT));
		json_open(j, "advice", '[');
		for (unsigned int k = 0; have && k < 32; k++)
			if ((vma.flags & (1U << k)) && vma_advice_name(1U << k))
				json_string(j, NULL, vma_advice_name(1U << k));
		json_close(j, ']');
		json_uint(j, "stored", v->stored[i]);
		if (have && vma.shm)
			json_uint(j, "shm", vma.shm);
		else
			json_null(j, "shm");
		json_uint(j, "inherited", v->inherited[i]);
		json_uint(j, "file_offset", ph->p_offset);
		json_uint(j, "file_size", ph->p_filesz);
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* "pipe", "socket", "tty": what a CR_FD_PIPE, CR_FD_SOCKET or CR_FD_TTY descriptor is an end of. */
static void json_fd_object(struct json *j, const struct view *v, const struct cr_fd *e)
{
	const struct objs_view *o = v->objs;
	int64_t k = -1;

	if (o && e->kind == CR_FD_PIPE)
		k = objs_find(o->end_by_id, o->nr_ends, e->file_id);
	if (k >= 0) {
		struct cr_pipe_file pf;

		objs_end(o, k, &pf);
		json_open(j, "pipe", '{');
		json_uint(j, "index", pf.pipe);
		json_string(j, "end", pipe_end_name(pf.flags));
		json_close(j, '}');
	} else {
		json_null(j, "pipe");
	}
	k = -1;
	if (o && e->kind == CR_FD_SOCKET)
		k = objs_find(o->sock_by_id, o->nr_socks, e->file_id);
	if (k >= 0) {
		struct cr_socket cs;

		objs_sock(o, k, &cs);
		json_open(j, "socket", '{');
		json_uint(j, "index", k);
		json_uint(j, "peer", cs.peer);
		json_string(j, "type", sock_type_name(cs.type));
		json_close(j, '}');
	} else {
		json_null(j, "socket");
	}
	k = -1;
	if (o && e->kind == CR_FD_TTY)
		k = objs_find(o->tty_end_by_id, o->nr_tty_ends, e->file_id);
	if (k >= 0) {
		struct cr_tty_file tf;

		objs_tty_end(o, k, &tf);
		json_open(j, "tty", '{');
		json_uint(j, "index", tf.tty);
		json_string(j, "end", tty_end_name(tf.end));
		json_close(j, '}');
	} else {
		json_null(j, "tty");
	}
}

/* An address of a TCP or UDP socket: a string, null for an unknown family. */
static void json_inet_addr(struct json *j, const char *key, const struct cr_inet *in,
			   const uint8_t *addr)
{
	char a[INET6_ADDRSTRLEN];

	inet_addr_string(in, addr, a, sizeof(a));
	json_string(j, key, a[0] ? a : NULL);
}

/* A queue's bytes, at most 4096, as a string; null when they are not in the note. */
static void json_queue(struct json *j, const char *key, const unsigned char *p, uint32_t len)
{
	if (p)
		json_stringn(j, key, (const char *)p, len < 4096 ? len : 4096);
	else
		json_null(j, key);
}

/* One datagram queued on a UDP socket, in "datagrams". */
static void json_dgram(void *arg, const struct cr_inet *in, const struct cr_udp_dgram *g,
		       const unsigned char *data)
{
	char a[INET_ADDRSTRLEN];
	struct json *j = arg;

	json_open(j, NULL, '{');
	json_inet_addr(j, "from", in, g->addr);
	json_uint(j, "port", g->port);
	json_inet_addr(j, "dst", in, g->dst);
	json_string(j, "spec_dst", inet_ntop(AF_INET, &g->spec_dst, a, sizeof(a)));
	json_int(j, "ifindex", g->ifindex);
	json_uint(j, "ttl", g->ttl);
	json_uint(j, "tos", g->tos);
	json_uint(j, "len", g->len);
	json_stringn(j, "data", (const char *)data, g->len < 4096 ? g->len : 4096);
	json_close(j, '}');
}

/*
 * The "state" of a TCP or UDP socket: struct cr_inet, then a TCP
 * socket's struct cr_tcp and queues, or a UDP socket's datagrams.
 */
/* The multicast groups of a UDP socket: "groups", or null when outside the data. */
static void json_inet_groups(struct json *j, const struct cr_fd *e, const unsigned char *p,
			     const struct cr_inet *in)
{
	const unsigned char *g = inet_groups(e, p, in), *src;
	uint64_t left = in->udp.sources_len;
	struct cr_udp_group gr;
	char a[INET6_ADDRSTRLEN];

	if (!g) {
		json_null(j, "groups");
		return;
	}
	src = g + in->udp.nr_groups * sizeof(gr);
	json_open(j, "groups", '[');
	for (uint32_t i = 0; i < in->udp.nr_groups; i++) {
		const unsigned char *sa;
		struct cr_udp_sources h;

		memcpy(&gr, g + i * sizeof(gr), sizeof(gr));
		if (!inet_ntop(gr.family == AF_INET6 ? AF_INET6 : AF_INET, gr.addr, a, sizeof(a)))
			a[0] = '\0';
		json_open(j, NULL, '{');
		json_uint(j, "family", gr.family);
		json_string(j, "addr", a[0] ? a : NULL);
		json_int(j, "ifindex", gr.ifindex);
		sa = inet_group_sources(&gr, &src, &left, &h);
		json_string(j, "filter", !sa ? NULL : h.mode == 1 ? "include" :
			    h.mode == 0 ? "exclude" : "?");
		json_open(j, "sources", '[');
		for (uint32_t k = 0; sa && k < h.nr; k++) {
			if (!inet_ntop(gr.family == AF_INET6 ? AF_INET6 : AF_INET,
				       sa + k * 16, a, sizeof(a)))
				a[0] = '\0';
			json_string(j, NULL, a[0] ? a : NULL);
		}
		json_close(j, ']');
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* A TCP listener's connections not accepted yet, and the end of its state. */
static void json_inet_pending(struct json *j, const struct cr_fd *e, const unsigned char *p,
			      const struct cr_inet *in)
{
	const unsigned char *q;
	uint64_t off = 0;
	struct cr_inet c;
	uint32_t n = 0;
	char buf[256];

	json_null(j, "tcp");
	json_uint(j, "nr_pending", in->listen.nr_pending);
	json_uint(j, "pending_len", in->listen.pending_len);
	json_open(j, "pending", '[');
	while (n++ < in->listen.nr_pending && (q = inet_pending(e, p, in, &off, &c))) {
		json_open(j, NULL, '{');
		json_inet_addr(j, "src", &c, c.src);
		json_uint(j, "src_port", c.src_port);
		json_inet_addr(j, "dst", &c, c.dst);
		json_uint(j, "dst_port", c.dst_port);
		json_uint(j, "recv_len", c.tcp.recv_len);
		json_uint(j, "send_len", c.tcp.send_len);
		tcp_options_string(c.tcp.options, buf, sizeof(buf));
		json_string(j, "options_names", buf);
		json_queue(j, "recv_data", q, c.tcp.recv_len);
		json_queue(j, "send_data", q + c.tcp.recv_len, c.tcp.send_len);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_null(j, "nr_dgrams");
	json_null(j, "dgrams_len");
	json_null(j, "datagrams");
	json_close(j, '}');
}

static void json_inet(struct json *j, const struct cr_fd *e, const unsigned char *p)
{
	const unsigned char *q;
	const struct cr_tcp *t;
	struct cr_inet in;
	uint64_t bytes;
	char buf[256];

	memcpy(&in, p, sizeof(in));
	t = &in.tcp;
	json_open(j, "state", '{');
	json_uint(j, "family", in.family);
	json_string(j, "family_name", in.family == AF_INET ? "AF_INET" :
		    in.family == AF_INET6 ? "AF_INET6" : NULL);
	json_uint(j, "protocol", in.protocol);
	json_string(j, "protocol_name", in.protocol == IPPROTO_TCP ? "tcp" :
		    in.protocol == IPPROTO_UDP ? "udp" :
		    in.protocol == IPPROTO_UDPLITE ? "udplite" : NULL);
	json_uint(j, "state", in.state);
	json_string(j, "state_name", inet_state_name(in.state));
	json_uint(j, "flags", in.flags);
	inet_flags_string(in.flags, buf, sizeof(buf));
	json_string(j, "flags_names", buf);
	json_inet_addr(j, "src", &in, in.src);
	json_uint(j, "src_port", in.src_port);
	json_inet_addr(j, "dst", &in, in.dst);
	json_uint(j, "dst_port", in.dst_port);
	json_uint(j, "backlog", in.backlog);
	json_int(j, "rcvbuf", in.rcvbuf);
	json_int(j, "sndbuf", in.sndbuf);
	json_uint(j, "linger", in.linger);
	json_uint(j, "priority", in.priority);
	json_uint(j, "rcvtimeo_us", in.rcvtimeo_us);
	json_uint(j, "sndtimeo_us", in.sndtimeo_us);
	json_int(j, "tos", in.tos);
	json_int(j, "ttl", in.ttl);
	json_uint(j, "keepidle", in.keepidle);
	json_uint(j, "keepintvl", in.keepintvl);
	json_uint(j, "keepcnt", in.keepcnt);
	json_uint(j, "mark", in.mark);
	json_int(j, "rcvlowat", in.rcvlowat);
	json_uint(j, "user_timeout", in.user_timeout);
	json_uint(j, "notsent_lowat", in.notsent_lowat);
	json_uint(j, "user_mss", in.user_mss);
	json_uint(j, "pmtudisc", in.pmtudisc);
	json_string(j, "pmtudisc_name", inet_pmtudisc_name(in.pmtudisc));
	json_uint(j, "fastopen", in.fastopen);
	if (inet_udp(&in)) {
		json_uint(j, "send_cscov", in.udp.send_cscov);
		json_uint(j, "recv_cscov", in.udp.recv_cscov);
		json_uint(j, "mc_ttl", in.udp.mc_ttl);
		json_int(j, "mc_ifindex", in.udp.mc_ifindex);
		if (in.family == AF_INET)
			json_inet_addr(j, "mc_addr", &in, in.udp.mc_addr);
		json_inet_groups(j, e, p, &in);
		json_null(j, "tcp");
		json_uint(j, "nr_dgrams", in.udp.nr_dgrams);
		json_uint(j, "dgrams_len", in.udp.data_len);
		json_open(j, "datagrams", '[');
		inet_dgrams(e, p, &in, 1024, json_dgram, j, &bytes);
		json_close(j, ']');
		json_close(j, '}');
		return;
	}
	if (in.state == CR_INET_LISTEN) {
		json_inet_pending(j, e, p, &in);
		return;
	}
	q = inet_queues(e, p, &in);
	json_open(j, "tcp", '{');
	json_uint(j, "snd_seq", t->snd_seq);
	json_uint(j, "rcv_seq", t->rcv_seq);
	json_uint(j, "send_len", t->send_len);
	json_uint(j, "unsent_len", t->unsent_len);
	json_uint(j, "recv_len", t->recv_len);
	json_uint(j, "mss", t->mss);
	json_uint(j, "options", t->options);
	tcp_options_string(t->options, buf, sizeof(buf));
	json_string(j, "options_names", buf);
	json_uint(j, "snd_wscale", t->snd_wscale);
	json_uint(j, "rcv_wscale", t->rcv_wscale);
	json_uint(j, "timestamp", t->timestamp);
	json_uint(j, "snd_wl1", t->snd_wl1);
	json_uint(j, "snd_wnd", t->snd_wnd);
	json_uint(j, "max_window", t->max_window);
	json_uint(j, "rcv_wnd", t->rcv_wnd);
	json_uint(j, "rcv_wup", t->rcv_wup);
	json_queue(j, "recv_data", q, t->recv_len);
	json_queue(j, "send_data", q ? q + t->recv_len : NULL, t->send_len);
	json_close(j, '}');
	json_null(j, "nr_dgrams");
	json_null(j, "dgrams_len");
	json_null(j, "datagrams");
	json_close(j, '}');
}

/*
 * An address of a unix socket: a string, the path without its NUL, or
 * "@" and the bytes of an abstract name after its NUL; null when not bound.
 */
static void json_unix_addr(struct json *j, const char *key, const char *addr, uint16_t len)
{
	char buf[CR_UNIX_PATH_MAX + 1];
	size_t n;

	n = unix_addr_bytes(addr, len, buf, sizeof(buf));
	if (len)
		json_stringn(j, key, buf, n);
	else
		json_null(j, key);
}

/* One message of a unix datagram socket, in "messages". */
/* "files": the open files a message carries. */
static void json_msg_files(struct json *j, const struct cr_unix_msg *m, const unsigned char *ids)
{
	uint32_t k;

	json_open(j, "files", '[');
	for (k = 0; k < m->nr_files; k++)
		json_uint(j, NULL, get_u32(ids + 4 * k));
	json_close(j, ']');
}

static void json_unix_msg(void *arg, const struct cr_unix_msg *m, const unsigned char *ids,
			  const char *name, const unsigned char *data)
{
	struct json *j = arg;

	json_open(j, NULL, '{');
	json_uint(j, "from_len", m->name_len);
	json_unix_addr(j, "from", name, m->name_len);
	json_msg_files(j, m, ids);
	json_uint(j, "len", m->len);
	json_stringn(j, "data", (const char *)data, m->len < 4096 ? m->len : 4096);
	json_close(j, '}');
}

/* The "state" of a unix socket known by its name: struct cr_unix, its messages. */
static void json_unix(struct json *j, const struct cr_fd *e, const unsigned char *p)
{
	struct cr_unix u;
	char buf[256];

	memcpy(&u, p, sizeof(u));
	json_open(j, "state", '{');
	json_uint(j, "type", u.type);
	json_string(j, "type_name", sock_type_name(u.type));
	json_uint(j, "state", u.state);
	json_string(j, "state_name", unix_state_name(u.state));
	json_uint(j, "flags", u.flags);
	unix_flags_string(u.flags, buf, sizeof(buf));
	json_string(j, "flags_names", buf);
	json_uint(j, "backlog", u.backlog);
	json_uint(j, "mode", u.mode);
	json_int(j, "rcvbuf", u.rcvbuf);
	json_int(j, "sndbuf", u.sndbuf);
	json_uint(j, "rcvtimeo_us", u.rcvtimeo_us);
	json_uint(j, "sndtimeo_us", u.sndtimeo_us);
	json_uint(j, "name_len", u.name_len);
	json_unix_addr(j, "name", u.name, u.name_len);
	json_uint(j, "peer_len", u.peer_len);
	json_unix_addr(j, "peer", u.peer, u.peer_len);
	json_uint(j, "nr_msgs", u.nr_msgs);
	json_open(j, "messages", '[');
	unix_msgs(e, p, 1024, json_unix_msg, j);
	json_close(j, ']');
	json_close(j, '}');
}

/*
 * "state": that of an eventfd, signalfd, timerfd, epoll, memfd, inet or
 * unix descriptor; null for another kind, or when it is not in the data
 * area as it should be.
 */
static void json_fd_state(struct json *j, const struct fd_table *t, const struct cr_fd *e)
{
	struct cr_epoll_target et;
	const unsigned char *p;
	struct cr_eventfd efd;
	struct cr_timerfd tfd;
	const char *clock;
	char buf[256];
	uint64_t nr, i;

	p = fd_state(e, t->data, t->data_len, &nr);
	if (!p) {
		json_null(j, "state");
		return;
	}
	switch (e->kind) {
	case CR_FD_PIDFD: {
		struct cr_pidfd pfd;

		memcpy(&pfd, p, sizeof(pfd));
		json_open(j, "state", '{');
		json_int(j, "pid", pfd.pid);
		json_bool(j, "thread", pfd.flags & CR_PIDFD_THREAD);
		json_bool(j, "reaped", pfd.flags & CR_PIDFD_REAPED);
		json_bool(j, "own_thread", pfd.flags & CR_PIDFD_OWN_THREAD);
		json_close(j, '}');
		return;
	}
	case CR_FD_NETLINK: {
		struct cr_netlink nl;

		memcpy(&nl, p, sizeof(nl));
		json_open(j, "state", '{');
		json_uint(j, "protocol", nl.protocol);
		json_string(j, "type", nl.type == SOCK_DGRAM ? "dgram" : "raw");
		json_hex(j, "flags", nl.flags);
		if (nl.flags & CR_NETLINK_BOUND)
			json_uint(j, "portid", nl.portid);
		else
			json_null(j, "portid");
		json_uint(j, "dst_portid", nl.dst_portid);
		json_uint(j, "dst_group", nl.dst_group);
		json_open(j, "groups", '[');
		for (i = 0; i < CR_NETLINK_GROUPS; i++)
			if (nl.groups[i / 64] & (1ULL << (i % 64)))
				json_uint(j, NULL, i + 1);
		json_close(j, ']');
		json_uint(j, "messages", nl.nr_msgs);
		json_close(j, '}');
		return;
	}
	case CR_FD_PACKET:
		json_packet(j, e, p);
		return;
	case CR_FD_INET:
		json_inet(j, e, p);
		return;
	case CR_FD_UNIX:
		json_unix(j, e, p);
		return;
	case CR_FD_MEMFD: {
		struct cr_memfd m;

		memcpy(&m, p, sizeof(m));
		json_open(j, "state", '{');
		json_uint(j, "size", m.size);
		json_uint(j, "data_len", m.data_len);
		json_hex(j, "seals", m.seals);
		json_uint(j, "object", m.shm);
		json_close(j, '}');
		return;
	}
	case CR_FD_MQUEUE: {
		struct cr_mqueue q;
		struct cr_mq_msg m;
		uint64_t off = sizeof(q);
		unsigned int k;

		memcpy(&q, p, sizeof(q));
		json_open(j, "state", '{');
		json_bool(j, "unlinked", q.flags & CR_MQUEUE_UNLINKED);
		json_hex(j, "flags", q.flags);
		json_uint(j, "mode", q.mode);
		json_uint(j, "uid", q.uid);
		json_uint(j, "gid", q.gid);
		json_int(j, "maxmsg", q.maxmsg);
		json_int(j, "msgsize", q.msgsize);
		json_string(j, "notify", q.notify == CR_MQUEUE_NOTIFY_SIGNAL ? "signal" :
			    q.notify == CR_MQUEUE_NOTIFY_QUIET ? "none" : q.notify ? "unknown" : NULL);
		json_int(j, "signo", q.signo);
		json_uint(j, "value", q.value);
		json_open(j, "messages", '[');
		for (k = 0; k < q.nr_msgs && mq_msg(p, e->data_len, &off, &m); k++) {
			json_open(j, NULL, '{');
			json_uint(j, "prio", m.prio);
			json_uint(j, "len", m.len);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_close(j, '}');
		return;
	}
	case CR_FD_INOTIFY: {
		struct cr_inotify h;
		struct cr_inotify_watch w;
		struct cr_inotify_event ev;
		uint64_t off = sizeof(h);
		const char *path;

		memcpy(&h, p, sizeof(h));
		json_open(j, "state", '{');
		json_int(j, "next_wd", h.next_wd);
		json_open(j, "watches", '[');
		for (i = 0; i < h.nr_watches && (path = inotify_watch(p, e->data_len, &off, &w)); i++) {
			json_open(j, NULL, '{');
			json_int(j, "wd", w.wd);
			json_hex(j, "mask", w.mask);
			json_string(j, "path", path);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_open(j, "events", '[');
		for (i = 0; i < h.nr_events && (path = inotify_event(p, e->data_len, &off, &ev)); i++) {
			json_open(j, NULL, '{');
			json_int(j, "wd", ev.wd);
			json_hex(j, "mask", ev.mask);
			json_uint(j, "cookie", ev.cookie);
			json_string(j, "name", *path ? path : NULL);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_close(j, '}');
		return;
	}
	case CR_FD_FANOTIFY: {
		struct cr_fanotify h;
		struct cr_fanotify_mark m;
		struct cr_fanotify_event ev;
		uint64_t off = sizeof(h);
		const char *path;

		memcpy(&h, p, sizeof(h));
		json_open(j, "state", '{');
		json_hex(j, "flags", h.flags);
		json_hex(j, "event_f_flags", h.event_f_flags);
		json_bool(j, "unprivileged", h.group_flags & CR_FANOTIFY_UNPRIV);
		json_open(j, "marks", '[');
		for (i = 0; i < h.nr_marks && (path = fanotify_mark(p, e->data_len, &off, &m)); i++) {
			json_open(j, NULL, '{');
			json_string(j, "type", m.type == CR_FANOTIFY_MARK_INODE ? "inode" :
				    m.type == CR_FANOTIFY_MARK_MOUNT ? "mount" : "filesystem");
			json_hex(j, "flags", m.flags);
			json_hex(j, "mask", m.mask);
			json_hex(j, "ignore_mask", m.ignore_mask);
			json_string(j, "path", path);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_open(j, "events", '[');
		for (i = 0; i < h.nr_events && (path = fanotify_event(p, e->data_len, &off, &ev)); i++) {
			json_open(j, NULL, '{');
			json_hex(j, "mask", ev.mask);
			json_int(j, "pid", ev.pid);
			json_bool(j, "of_the_tree", ev.flags & CR_FANOTIFY_EVENT_TREE);
			json_string(j, "path", *path ? path : NULL);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_close(j, '}');
		return;
	}
	case CR_FD_EVENTFD:
		memcpy(&efd, p, sizeof(efd));
		json_open(j, "state", '{');
		json_uint(j, "count", efd.count);
		json_bool(j, "semaphore", efd.flags & CR_EVENTFD_SEMAPHORE);
		json_close(j, '}');
		return;
	case CR_FD_SIGNALFD:
		json_sigset(j, "state", get_u64(p));
		return;
	case CR_FD_TIMERFD:
		memcpy(&tfd, p, sizeof(tfd));
		clock = clock_name(tfd.clockid);
		json_open(j, "state", '{');
		json_int(j, "clockid", tfd.clockid);
		json_string(j, "clock", strcmp(clock, "unknown") ? clock : NULL);
		json_bool(j, "abstime", tfd.flags & CR_TIMERFD_ABSTIME);
		json_bool(j, "cancel_on_set", tfd.flags & CR_TIMERFD_CANCEL_ON_SET);
		json_int(j, "value_ns", tfd.value_ns);
		json_int(j, "interval_ns", tfd.interval_ns);
		json_int(j, "expires_ns", tfd.expires_ns);
		json_uint(j, "ticks", tfd.ticks);
		json_close(j, '}');
		return;
	}
	json_open(j, "state", '{');
	json_open(j, "targets", '[');
	for (i = 0; i < nr; i++) {
		memcpy(&et, p + i * sizeof(et), sizeof(et));
		json_open(j, NULL, '{');
		json_int(j, "fd", et.fd);
		json_uint(j, "file_id", et.file_id);
		json_uint(j, "events", et.events);
		epoll_events_string(et.events, false, buf, sizeof(buf));
		json_string(j, "events_names", buf);
		json_hex(j, "data", et.data);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
}

/* "fown": the signal-driven I/O of descriptor @fd (NT_CR_FOWNERS), or null. */
static void json_fown(struct json *j, const struct view *v, int32_t fd, uint32_t *k)
{
	struct cr_fown o;
	char sig[16];

	if (!view_fown(v, fd, k, &o)) {
		json_null(j, "fown");
		return;
	}
	json_open(j, "fown", '{');
	json_uint(j, "type", o.type);
	json_string(j, "type_name", fown_type_name(o.type));
	json_int(j, "id", o.id);
	json_uint(j, "flags", o.flags);
	json_bool(j, "async", o.flags & CR_FOWN_ASYNC);
	json_int(j, "signal", o.signum);
	json_string(j, "signal_name", !o.signum ? "SIGIO" : o.signum > 0 ?
		    signal_name(o.signum, sig, sizeof(sig)) : NULL);
	json_close(j, '}');
}

/* "filter": the socket filter of descriptor @fd (NT_CR_SOCK_FILTERS), or null. */
static void json_sock_filter(struct json *j, const struct view *v, int32_t fd)
{
	const unsigned char *insns;
	struct cr_sock_filter f;
	struct cr_bpf_insn in;
	unsigned int i;

	if (!view_sock_filter(v, fd, &f, &insns)) {
		json_null(j, "filter");
		return;
	}
	json_open(j, "filter", '{');
	json_uint(j, "len", f.len);
	json_bool(j, "locked", f.flags & CR_SOCK_FILTER_LOCKED);
	json_open(j, "insns", '[');
	for (i = 0; i < f.len; i++) {
		memcpy(&in, insns + i * sizeof(in), sizeof(in));
		json_open(j, NULL, '[');
		json_uint(j, NULL, in.code);
		json_uint(j, NULL, in.jt);
		json_uint(j, NULL, in.jf);
		json_uint(j, NULL, in.k);
		json_close(j, ']');
	}
	json_close(j, ']');
	json_close(j, '}');
}

/* "options": the options of descriptor @fd in NT_CR_SOCK_OPTS, or null. */
static void json_sock_opts(struct json *j, const struct view *v, int32_t fd)
{
	struct cr_sock_opts o;
	char names[512];

	if (!view_sock_opts(v, fd, &o)) {
		json_null(j, "options");
		return;
	}
	json_open(j, "options", '{');
	json_hex(j, "flags", o.flags);
	sock_opts_string(&o, names, sizeof(names));
	json_string(j, "names", names);
	json_uint(j, "defer_accept", o.defer_accept);
	json_hex(j, "tsflags", o.tsflags);
	json_int(j, "peek_off", o.peek_off);
	json_uint(j, "drops", o.drops);
	json_stringn(j, "congestion", o.congestion, strnlen(o.congestion, sizeof(o.congestion)));
	json_uint(j, "tx_delay", o.tx_delay);
	json_int(j, "txtime_clockid", o.txtime_clockid);
	json_hex(j, "txtime_flags", o.txtime_flags);
	json_uint(j, "save_syn", o.save_syn);
	json_close(j, '}');
}

/* "device": the device descriptor @fd is bound to, NT_CR_SOCK_DEVS, or null. */
static void json_sock_dev(struct json *j, const struct view *v, int32_t fd)
{
	struct cr_sock_dev d;

	if (!view_sock_dev(v, fd, &d)) {
		json_null(j, "device");
		return;
	}
	json_open(j, "device", '{');
	json_int(j, "ifindex", d.ifindex);
	json_stringn(j, "name", d.name, strnlen(d.name, sizeof(d.name)));
	json_close(j, '}');
}

static void json_files(struct json *j, const struct view *v)
{
	struct fd_table t;
	char flags[256];
	uint32_t i, k = 0;

	if (!view_fds(v, &t)) {
		json_null(j, "files");
		return;
	}
	json_open(j, "files", '[');
	for (i = 0; i < t.nr; i++) {
		const char *path;
		struct cr_fd e;
		size_t len;

		memcpy(&e, t.entries + (uint64_t)i * sizeof(e), sizeof(e));
		json_open(j, NULL, '{');
		json_int(j, "fd", e.fd);
		json_string(j, "kind", fd_kind_name(e.kind));
		json_uint(j, "flags", e.flags);
		open_flags_string(e.flags, flags, sizeof(flags));
		json_string(j, "flags_names", flags);
		json_bool(j, "cloexec", e.fd_flags & CR_FD_CLOEXEC);
		json_bool(j, "in_flight", e.fd_flags & CR_FD_IN_FLIGHT);
		json_uint(j, "pos", e.pos);
		path = fd_path(&t, &e, &len);
		if (path)
			json_stringn(j, "path", path, len);
		else
			json_null(j, "path");
		json_uint(j, "mode", e.mode);
		json_uint(j, "data_len", e.data_len);
		json_uint(j, "file_id", e.file_id);
		json_fd_object(j, v, &e);
		json_fd_state(j, &t, &e);
		json_fown(j, v, e.fd, &k);
		json_sock_filter(j, v, e.fd);
		json_sock_opts(j, v, e.fd);
		json_sock_dev(j, v, e.fd);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void json_handlers(struct json *j, const struct view *v)
{
	char flags[256];
	unsigned int i;

	if (!v->sighand) {
		json_null(j, "handlers");
		return;
	}
	json_open(j, "handlers", '[');
	for (i = 0; i < CR_NSIG; i++) {
		struct cr_sigaction sa;
		char tmp[16];

		memcpy(&sa, v->sighand->desc + i * sizeof(sa), sizeof(sa));
		if (!sa.handler)
			continue;
		json_open(j, NULL, '{');
		json_uint(j, "signal", i + 1);
		json_string(j, "name", signal_name(i + 1, tmp, sizeof(tmp)));
		json_string(j, "action", sa.handler == 1 ? "ignore" : "catch");
		json_hex(j, "handler", sa.handler);
		json_hex(j, "flags", sa.flags);
		sa_flags_string(sa.flags, flags, sizeof(flags));
		json_string(j, "flags_names", flags);
		json_hex(j, "restorer", sa.restorer);
		json_sigset(j, "mask", sa.mask);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void json_posix_timers(struct json *j, const struct view *v)
{
	unsigned int i, n = v->ptimers ? v->ptimers->size / sizeof(struct cr_posix_timer) : 0;

	json_open(j, "posix_timers", '[');
	for (i = 0; i < n; i++) {
		struct cr_posix_timer t;

		memcpy(&t, v->ptimers->desc + i * sizeof(t), sizeof(t));
		json_open(j, NULL, '{');
		json_int(j, "id", t.id);
		json_string(j, "clock", clock_name(t.clock));
		json_int(j, "clockid", t.clock);
		json_string(j, "notify", sigev_notify_name(t.notify));
		json_int(j, "signal", t.signo);
		json_hex(j, "value", t.value);
		json_int(j, "tid", t.tid);
		json_int(j, "cpu_tid", t.cpu_tid);
		json_int(j, "overrun", t.overrun);
		json_bool(j, "abstime", t.flags & CR_POSIX_TIMER_ABSTIME);
		json_int(j, "value_ns", t.value_ns);
		json_int(j, "interval_ns", t.interval_ns);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void json_locks(struct json *j, const struct view *v)
{
	unsigned int i, n = v->locks ? v->locks->size / sizeof(struct cr_lock) : 0;

	json_open(j, "locks", '[');
	for (i = 0; i < n; i++) {
		struct cr_lock l;

		memcpy(&l, v->locks->desc + i * sizeof(l), sizeof(l));
		json_open(j, NULL, '{');
		json_int(j, "fd", l.fd);
		json_string(j, "kind", lock_kind_name(l.kind));
		json_string(j, "type", l.type == 1 ? "write" : "read");
		json_int(j, "start", l.start);
		if (l.end == INT64_MAX)
			json_null(j, "end");
		else
			json_int(j, "end", l.end);
		if (l.kind == CR_LOCK_LEASE)
			json_string(j, "breaking", l.flags == CR_LEASE_BREAK_UNLCK ? "unlock" :
				    l.flags == CR_LEASE_BREAK_RDLCK ? "downgrade" : "no");
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void json_attributes(struct json *j, const struct view *v)
{
	struct cr_hdr_process h;
	char flags[128];
	const char *cwd;
	unsigned int i;

	if (!v->process) {
		json_null(j, "attributes");
		return;
	}
	memcpy(&h, v->process->desc, sizeof(h));
	cwd = (const char *)v->process->desc + sizeof(h);
	json_open(j, "attributes", '{');
	json_uint(j, "personality", h.personality);
	json_uint(j, "umask", h.umask);
	json_uint(j, "uid", h.uid);
	json_uint(j, "euid", h.euid);
	json_uint(j, "suid", h.suid);
	json_uint(j, "fsuid", h.fsuid);
	json_uint(j, "gid", h.gid);
	json_uint(j, "egid", h.egid);
	json_uint(j, "sgid", h.sgid);
	json_uint(j, "fsgid", h.fsgid);
	json_stringn(j, "cwd", cwd, strnlen(cwd, v->process->size - sizeof(h)));
	if (h.root_len && h.cwd_len < v->process->size - sizeof(h))
		json_stringn(j, "root", cwd + h.cwd_len,
			     strnlen(cwd + h.cwd_len, v->process->size - sizeof(h) - h.cwd_len));
	else
		json_null(j, "root");
	if (v->itimers) {
		struct cr_itimer it[CR_NR_ITIMERS];

		memcpy(it, v->itimers->desc, sizeof(it));
		json_open(j, "itimers", '[');
		for (i = 0; i < CR_NR_ITIMERS; i++) {
			json_open(j, NULL, '{');
			json_string(j, "which", itimer_name(i));
			json_int(j, "value_ns", it[i].value_ns);
			json_int(j, "interval_ns", it[i].interval_ns);
			json_close(j, '}');
		}
		json_close(j, ']');
	} else {
		json_null(j, "itimers");
	}
	json_posix_timers(j, v);
	json_int(j, "oom_score_adj", h.oom_score_adj);
	json_int(j, "oom_score_adj_min", h.oom_score_adj_min);
	json_uint(j, "dumpable", h.dumpable);
	json_hex(j, "coredump_filter", h.coredump_filter);
	mm_flags_string(h.mm_flags, flags, sizeof(flags));
	json_string(j, "mm_flags", flags);
	json_open(j, "rlimits", '[');
	for (i = 0; i < CR_NLIMITS; i++) {
		json_open(j, NULL, '{');
		json_string(j, "resource", rlimit_name(i));
		if (h.rlim[i].cur == ~0ULL)
			json_null(j, "cur");
		else
			json_uint(j, "cur", h.rlim[i].cur);
		if (h.rlim[i].max == ~0ULL)
			json_null(j, "max");
		else
			json_uint(j, "max", h.rlim[i].max);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
}

/* A capability set: its mask (hex) and the names of its capabilities. */
static void json_caps(struct json *j, const char *key, const char *names_key, uint64_t set)
{
	unsigned int cap;
	char tmp[16];

	json_hex(j, key, set);
	json_open(j, names_key, '[');
	for (cap = 0; cap < 64; cap++)
		if (set & (1ULL << cap))
			json_string(j, NULL, cap_name(cap, tmp, sizeof(tmp)));
	json_close(j, ']');
}

/* "creds": NT_CR_CREDS, or null without it (or shorter than its header). */
static void json_creds(struct json *j, const struct view *v)
{
	const unsigned char *g;
	struct cr_hdr_creds h;
	uint32_t nr;

	if (!creds_read(v->img, &h, &g, &nr)) {
		json_null(j, "creds");
		return;
	}
	json_open(j, "creds", '{');
	json_creds_fields(j, &h, g, nr);
	json_close(j, '}');
}

/* What show says of one process: the keys of the top level after "file". */
static void json_image(struct json *j, const struct view *v)
{
	unsigned int i;

	json_header(j, v);
	json_notes(j, v);
	json_process(j, v);
	json_open(j, "threads", '[');
	for (i = 0; i < v->nr_threads; i++)
		json_thread(j, v, i);
	json_close(j, ']');
	json_mm(j, v);
	if (v->have_pruns) {
		json_uint(j, "parent_pages", v->inherited_total >> CR_PAGE_SHIFT);
		json_uint(j, "parent_page_runs", v->nr_pruns);
	} else {
		json_null(j, "parent_pages");
		json_null(j, "parent_page_runs");
	}
	json_mappings(j, v);
	json_sysv_shm(j, v);
	json_sem_undo(j, v);
	json_sysv_ipc(j, v);
	json_ns(j, v);
	json_aio(j, v);
	json_files(j, v);
	json_locks(j, v);
	json_open(j, "signals", '{');
	json_handlers(j, v);
	json_close(j, '}');
	json_attributes(j, v);
	json_creds(j, v);
}

static void json_signal(struct json *j, const char *key, int32_t sig)
{
	char buf[16];

	if (sig)
		json_string(j, key, signal_name(sig, buf, sizeof(buf)));
	else
		json_null(j, key);
}

/* The image of process @i of the tree, other than the root's: its segment. */
static void json_nested(struct json *j, const struct image *root, const struct tree_view *tv,
			unsigned int i, const struct objs_view *objs)
{
	struct report scratch = { .path = root->path };
	const GElf_Phdr *ph;
	struct image img;
	struct view v;

	if (!tree_segment(root, &tv->t, i)) {
		json_null(j, "offset");
		json_null(j, "size");
		json_null(j, "image");
		return;
	}
	ph = &root->phdrs[tv->t.proc[i].segment];
	json_uint(j, "offset", ph->p_offset);
	json_uint(j, "size", ph->p_filesz);
	memset(&v, 0, sizeof(v));
	image_open_at(&img, root, tv->t.proc[i].segment, &scratch);
	if (img.notes_ok && view_init(&v, &img, &scratch)) {
		v.objs = objs;
		json_open(j, "image", '{');
		json_uint(j, "notes_size", img.notes_len);
		json_uint(j, "stored", v.stored_total);
		json_uint(j, "page_runs", v.nr_runs);
		json_image(j, &v);
		json_close(j, '}');
	} else {
		json_null(j, "image");
	}
	view_free(&v);
	image_close(&img);
	report_free(&scratch);
}

static void json_processes(struct json *j, const struct view *v, const struct tree_view *tv)
{
	const struct tree *t = &tv->t;
	unsigned int i;
	char buf[64];

	if (!tv->have) {
		json_null(j, "processes");
		return;
	}
	json_open(j, "processes", '[');
	for (i = 0; i < t->nr; i++) {
		const struct cr_proc *e = &t->proc[i];
		bool zombie = e->flags & CR_PROC_ZOMBIE;

		json_open(j, NULL, '{');
		json_int(j, "pid", e->pid);
		json_int(j, "parent", e->parent);
		if (e->parent >= 0 && (unsigned int)e->parent < t->nr)
			json_int(j, "ppid", t->proc[e->parent].pid);
		else
			json_null(j, "ppid");
		json_int(j, "pgid", e->pgid);
		json_int(j, "sid", e->sid);
		json_bool(j, "pgid_leaderless", i && tree_leaderless(t->proc, t->nr, e->pgid));
		json_bool(j, "sid_leaderless", i && tree_leaderless(t->proc, t->nr, e->sid));
		json_int(j, "exit_signal", e->exit_signal);
		json_signal(j, "exit_signal_name", e->exit_signal);
		json_int(j, "pdeath_signal", e->pdeath_signal);
		json_signal(j, "pdeath_signal_name", e->pdeath_signal);
		json_bool(j, "zombie", zombie);
		if (zombie) {
			json_int(j, "exit_code", e->exit_code);
			wait_status_string(e->exit_code, buf, sizeof(buf));
			json_string(j, "exit", buf);
		} else {
			json_null(j, "exit_code");
			json_null(j, "exit");
		}
		json_bool(j, "subreaper", e->flags & CR_PROC_SUBREAPER);
		json_bool(j, "stopped", e->flags & CR_PROC_STOPPED);
		if (e->flags & CR_PROC_STOPPED)
			json_signal(j, "stop_signal", e->exit_code);
		else
			json_null(j, "stop_signal");
		json_hex(j, "flags", e->flags);
		json_uint(j, "nr_threads", e->nr_threads);
		json_uint(j, "segment", e->segment);
		if (tv->comm[i][0])
			json_string(j, "comm", tv->comm[i]);
		else
			json_null(j, "comm");
		if (!i) {
			/* The root: its image is the file's, the top level. */
			json_uint(j, "offset", 0);
			json_uint(j, "size", v->img->size);
			json_null(j, "image");
		} else if (zombie) {
			json_null(j, "offset");
			json_null(j, "size");
			json_null(j, "image");
		} else {
			json_nested(j, v->img, tv, i, v->objs);
		}
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void json_msg(void *arg, const struct cr_unix_msg *m, const unsigned char *ids,
		     const char *name, const unsigned char *data)
{
	struct json *j = arg;

	(void)name;
	json_open(j, NULL, '{');
	json_uint(j, "len", m->len);
	json_msg_files(j, m, ids);
	json_stringn(j, "data", (const char *)data, m->len < 4096 ? m->len : 4096);
	json_close(j, '}');
}

/* "ttys": the tree's pty pairs (null without the note). */
static void json_ttys(struct json *j, const struct objs_view *o)
{
	uint32_t i, k;
	char flags[256];

	if (!o->have_ttys) {
		json_null(j, "ttys");
		return;
	}
	json_open(j, "ttys", '[');
	for (i = 0; i < o->nr_ttys; i++) {
		struct cr_tty ct;

		objs_tty(o, i, &ct);
		json_open(j, NULL, '{');
		json_uint(j, "index", i);
		json_uint(j, "pts", ct.index);
		json_uint(j, "flags", ct.flags);
		json_bool(j, "locked", ct.flags & CR_TTY_LOCKED);
		json_bool(j, "slave_closed", ct.flags & CR_TTY_SLAVE_CLOSED);
		if (ct.sid) {
			json_int(j, "session", ct.sid);
			json_int(j, "foreground", ct.pgrp);
		} else {
			json_null(j, "session");
			json_null(j, "foreground");
		}
		json_hex(j, "iflag", ct.iflag);
		json_hex(j, "oflag", ct.oflag);
		json_hex(j, "cflag", ct.cflag);
		json_hex(j, "lflag", ct.lflag);
		json_uint(j, "ispeed", ct.ispeed);
		json_uint(j, "ospeed", ct.ospeed);
		json_uint(j, "line", ct.line);
		json_open(j, "cc", '[');
		for (k = 0; k < CR_TTY_NCCS; k++)
			json_uint(j, NULL, ct.cc[k]);
		json_close(j, ']');
		json_open(j, "winsize", '{');
		json_uint(j, "row", ct.ws_row);
		json_uint(j, "col", ct.ws_col);
		json_uint(j, "xpixel", ct.ws_xpixel);
		json_uint(j, "ypixel", ct.ws_ypixel);
		json_close(j, '}');
		for (k = CR_TTY_TO_MASTER; k <= CR_TTY_TO_SLAVE; k++) {
			const unsigned char *bytes = NULL;
			struct cr_tty_lines tl;
			uint32_t len = tty_data(o->root, o->nr_ttys, i, k, &bytes, &tl);
			const char *key = k == CR_TTY_TO_MASTER ? "to_master" : "to_slave";

			if (len)
				json_stringn(j, key, (const char *)bytes, len);
			else
				json_null(j, key);
			if (k != CR_TTY_TO_SLAVE)
				continue;
			json_open(j, "slave_lines", '{');
			json_bool(j, "canonical", tl.flags & CR_TTY_LINES_CANON);
			json_uint(j, "complete", tl.canon);
			json_uint(j, "column", tl.column);
			json_uint(j, "canon_column", tl.canon_column);
			json_bool(j, "lnext", tl.flags & CR_TTY_LINES_LNEXT);
			json_bool(j, "erasing", tl.flags & CR_TTY_LINES_ERASING);
			json_close(j, '}');
		}
		json_open(j, "ends", '[');
		k = objs_first(o->tty_end_by_tty, o->nr_tty_ends, i);
		for (; k < o->nr_tty_ends && o->tty_end_by_tty[k] >> 32 == i; k++) {
			struct cr_tty_file tf;

			objs_tty_end(o, o->tty_end_by_tty[k] & 0xffffffff, &tf);
			json_open(j, NULL, '{');
			json_uint(j, "file_id", tf.file_id);
			json_string(j, "end", tty_end_name(tf.end));
			json_uint(j, "flags", tf.flags);
			open_flags_string(tf.flags, flags, sizeof(flags));
			json_string(j, "flags_names", flags);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* "pipes" and "sockets": the tree's (null without the note). */
static void json_objs(struct json *j, const struct objs_view *o)
{
	uint32_t i, k;
	char flags[256];

	if (!o->have_pipes) {
		json_null(j, "pipes");
	} else {
		json_open(j, "pipes", '[');
		for (i = 0; i < o->nr_pipes; i++) {
			const unsigned char *data;
			struct cr_pipe p;

			objs_pipe(o, i, &p);
			data = pipe_bytes(o, &p);
			json_open(j, NULL, '{');
			json_uint(j, "index", i);
			json_uint(j, "flags", p.flags);
			if (p.flags & CR_PIPE_FIFO && fifo_path(o, &p))
				json_string(j, "fifo", fifo_path(o, &p));
			else
				json_null(j, "fifo");
			json_uint(j, "size", p.size);
			json_uint(j, "data_len", p.data_len);
			if (data)
				json_stringn(j, "data", (const char *)data,
					     p.data_len < 4096 ? p.data_len : 4096);
			else
				json_null(j, "data");
			json_open(j, "ends", '[');
			k = objs_first(o->end_by_pipe, o->nr_ends, i);
			for (; k < o->nr_ends && o->end_by_pipe[k] >> 32 == i; k++) {
				struct cr_pipe_file pf;

				objs_end(o, o->end_by_pipe[k] & 0xffffffff, &pf);
				json_open(j, NULL, '{');
				json_uint(j, "file_id", pf.file_id);
				json_string(j, "end", pipe_end_name(pf.flags));
				json_uint(j, "flags", pf.flags);
				open_flags_string(pf.flags, flags, sizeof(flags));
				json_string(j, "flags_names", flags);
				json_close(j, '}');
			}
			json_close(j, ']');
			json_close(j, '}');
		}
		json_close(j, ']');
	}
	json_ttys(j, o);
	if (!o->have_socks) {
		json_null(j, "sockets");
		return;
	}
	json_open(j, "sockets", '[');
	for (i = 0; i < o->nr_socks; i++) {
		struct cr_socket cs;
		char buf[256];

		objs_sock(o, i, &cs);
		json_open(j, NULL, '{');
		json_uint(j, "index", i);
		json_uint(j, "file_id", cs.file_id);
		json_uint(j, "peer", cs.peer);
		json_uint(j, "type", cs.type);
		json_string(j, "type_name", sock_type_name(cs.type));
		json_bool(j, "nonblock", cs.flags & 04000);
		json_uint(j, "shutdown", cs.shutdown);
		json_string(j, "shutdown_names", shutdown_name(cs.shutdown));
		json_uint(j, "name_len", cs.name_len);
		json_unix_addr(j, "name", cs.name, cs.name_len);
		json_uint(j, "opts", cs.opts);
		unix_flags_string(cs.opts, buf, sizeof(buf));
		json_string(j, "opts_names", buf);
		json_int(j, "rcvbuf", cs.rcvbuf);
		json_int(j, "sndbuf", cs.sndbuf);
		json_uint(j, "rcvtimeo_us", cs.rcvtimeo_us);
		json_uint(j, "sndtimeo_us", cs.sndtimeo_us);
		json_int(j, "error", cs.error);
		json_uint(j, "nr_msgs", cs.nr_msgs);
		json_uint(j, "data_len", cs.data_len);
		json_open(j, "messages", '[');
		if (i < 1024)
			sock_msgs(o, &cs, 1024, json_msg, j);
		json_close(j, ']');
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void show_json(const struct view *v, const struct tree_view *tv)
{
	struct json j;
	unsigned int i;

	json_init(&j, stdout);
	json_open(&j, NULL, '{');
	json_uint(&j, "crcore", 1);
	json_file(&j, v);
	json_image(&j, v);
	json_processes(&j, v, tv);
	json_objs(&j, v->objs);
	json_open(&j, "check", '{');
	json_bool(&j, "valid", !v->rep->count);
	json_open(&j, "problems", '[');
	for (i = 0; i < v->rep->nr_lines; i++)
		json_string(&j, NULL, v->rep->lines[i]);
	json_close(&j, ']');
	json_close(&j, '}');
	json_close(&j, '}');
	json_finish(&j);
}

/**
 * show_image - print what an image holds
 * @img: an image whose notes parse: the root's, for a tree
 * @rep: the problems found in it
 * @json: as JSON rather than text
 *
 * Return: 0, or -1 when out of memory or stdout failed.
 */
int show_image(struct image *img, const struct report *rep, bool json)
{
	struct tree_view tv = {};
	struct objs_view objs = {};
	struct view v;
	int ret = 0;

	if (!view_init(&v, img, rep) || !tree_view_init(&tv, img) || !objs_init(&objs, img)) {
		fprintf(stderr, "crcore: out of memory\n");
		ret = -1;
		goto out;
	}
	v.objs = &objs;
	if (json)
		show_json(&v, &tv);
	else
		show_text(&v, &tv);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "crcore: cannot write the output\n");
		ret = -1;
	}
out:
	objs_free(&objs);
	tree_view_free(&tv);
	view_free(&v);
	return ret;
}
