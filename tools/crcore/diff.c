// SPDX-License-Identifier: GPL-2.0
/*
 * crcore diff A B: what changed between two images of the same program:
 * threads and their registers, mappings and the pages that differ,
 * descriptors, signal handlers and pending signals, process attributes
 * and credentials;
 * for images of process trees, the processes (matched by pid) and their
 * entries in the tree, and the same comparisons for each process both
 * images hold, on lines that start with "process PID: ". One line per
 * difference; exit status 0 when none, 1 otherwise, as diff(1).
 */
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crcore.h"

#define PAGE	CR_PAGE_SIZE

struct diff {
	unsigned int count;
	const char *prefix;	/* "process PID: ", for a process other than the root */
};

__printf(2, 3)
static void differ(struct diff *d, const char *fmt, ...)
{
	va_list ap;

	if (d->prefix)
		fputs(d->prefix, stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	d->count++;
}

/* The notes of one kind, in order: the @i-th or NULL. */
static const struct cr_note *nth_note(const struct image *img, bool ours,
				      uint32_t type, unsigned int i)
{
	for (unsigned int n = 0; n < img->nr_notes; n++)
		if (img->note[n].ours == ours && img->note[n].type == type && !i--)
			return &img->note[n];
	return NULL;
}

static bool copy_note(const struct image *img, bool ours, uint32_t type,
		      unsigned int i, void *out, size_t size)
{
	const struct cr_note *n = nth_note(img, ours, type, i);

	if (!n || n->size < size)
		return false;
	memcpy(out, n->desc, size);
	return true;
}

static const char *const reg_names[] = {
	"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
	"rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags",
	"rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
};

/* A thread's scheduling and no_new_privs. */
static void diff_sched(struct diff *d, const struct cr_hdr_thread *ta,
		       const struct cr_hdr_thread *tb)
{
	const struct cr_sched *x = &ta->sched, *y = &tb->sched;
	char ca[CPUS_STRING_SIZE], cb[CPUS_STRING_SIZE];

	if (x->policy != y->policy || x->priority != y->priority || x->nice != y->nice)
		differ(d, "thread %u: %s priority %u nice %d -> %s priority %u nice %d",
		       ta->tid, sched_policy_name(x->policy), x->priority, x->nice,
		       sched_policy_name(y->policy), y->priority, y->nice);
	if (x->flags != y->flags)
		differ(d, "thread %u: reset on fork %s -> %s (flags %#x -> %#x)", ta->tid,
		       x->flags & CR_SCHED_RESET_ON_FORK ? "set" : "unset",
		       y->flags & CR_SCHED_RESET_ON_FORK ? "set" : "unset", x->flags, y->flags);
	if (x->runtime != y->runtime || x->deadline != y->deadline || x->period != y->period)
		differ(d, "thread %u: runtime/deadline/period %llu/%llu/%llu -> %llu/%llu/%llu ns",
		       ta->tid, (unsigned long long)x->runtime, (unsigned long long)x->deadline,
		       (unsigned long long)x->period, (unsigned long long)y->runtime,
		       (unsigned long long)y->deadline, (unsigned long long)y->period);
	cpus_string(x, ca, sizeof(ca));
	cpus_string(y, cb, sizeof(cb));
	if (strcmp(ca, cb))
		differ(d, "thread %u: affinity %s -> %s", ta->tid, ca, cb);
	if (x->timer_slack_ns != y->timer_slack_ns || x->default_slack_ns != y->default_slack_ns)
		differ(d, "thread %u: timer slack %llu (default %llu) -> %llu (default %llu) ns",
		       ta->tid, (unsigned long long)x->timer_slack_ns,
		       (unsigned long long)x->default_slack_ns,
		       (unsigned long long)y->timer_slack_ns,
		       (unsigned long long)y->default_slack_ns);
	if ((ta->flags ^ tb->flags) & CR_THREAD_NO_NEW_PRIVS)
		differ(d, "thread %u: no_new_privs %s -> %s", ta->tid,
		       ta->flags & CR_THREAD_NO_NEW_PRIVS ? "set" : "unset",
		       tb->flags & CR_THREAD_NO_NEW_PRIVS ? "set" : "unset");
	if (((ta->flags ^ tb->flags) & ~(CR_THREAD_NO_NEW_PRIVS | CR_THREAD_LEADER)) ||
	    ta->spec != tb->spec) {
		char fa[256], fb[256];

		thread_prctl_string(ta->flags, ta->spec, fa, sizeof(fa));
		thread_prctl_string(tb->flags, tb->spec, fb, sizeof(fb));
		differ(d, "thread %u: prctl %s -> %s", ta->tid, fa, fb);
	}
}

/* A note of the @i-th thread (from its NT_PRSTATUS to the next), or NULL. */
static const struct cr_note *thread_note(const struct image *img, unsigned int i, uint32_t type)
{
	int t = -1;

	for (unsigned int n = 0; n < img->nr_notes; n++) {
		const struct cr_note *note = &img->note[n];

		if (!note->ours && note->type == CR_NT_PRSTATUS)
			t++;
		else if (t == (int)i && note->ours && note->type == type)
			return note;
		else if (t > (int)i)
			break;
	}
	return NULL;
}

/* Seccomp: the mode, and the filters compared by flags and program. */
static void diff_seccomp(struct diff *d, unsigned int tid, const struct cr_note *a,
			 const struct cr_note *b)
{
	struct cr_hdr_seccomp ha = {}, hb = {};
	uint64_t oa = sizeof(ha), ob = sizeof(hb);

	if (a && a->size >= sizeof(ha))
		memcpy(&ha, a->desc, sizeof(ha));
	if (b && b->size >= sizeof(hb))
		memcpy(&hb, b->desc, sizeof(hb));
	if (ha.mode != hb.mode || ha.nr_filters != hb.nr_filters) {
		differ(d, "thread %u: seccomp mode %u with %u filters -> mode %u with %u filters",
		       tid, ha.mode, ha.nr_filters, hb.mode, hb.nr_filters);
		return;
	}
	for (uint32_t i = 0; a && b && i < ha.nr_filters; i++) {
		struct cr_seccomp_filter fa, fb;
		uint64_t la, lb;

		if (a->size - oa < sizeof(fa) || b->size - ob < sizeof(fb))
			return;
		memcpy(&fa, (const unsigned char *)a->desc + oa, sizeof(fa));
		memcpy(&fb, (const unsigned char *)b->desc + ob, sizeof(fb));
		oa += sizeof(fa);
		ob += sizeof(fb);
		la = (uint64_t)fa.len * CR_SECCOMP_INSN_SIZE;
		lb = (uint64_t)fb.len * CR_SECCOMP_INSN_SIZE;
		if (a->size - oa < la || b->size - ob < lb)
			return;
		if (fa.flags != fb.flags || la != lb ||
		    memcmp((const unsigned char *)a->desc + oa, (const unsigned char *)b->desc + ob, la))
			differ(d, "thread %u: seccomp filter %u: flags %#x, %u instructions -> flags %#x, %u instructions%s",
			       tid, i, fa.flags, fa.len, fb.flags, fb.len,
			       la == lb && fa.flags == fb.flags ? " (program differs)" : "");
		oa += la;
		ob += lb;
	}
}

/* Threads are matched by id. */
static void diff_threads(struct diff *d, const struct image *a, const struct image *b)
{
	struct cr_hdr_thread ta, tb;

	for (unsigned int i = 0; copy_note(a, true, NT_CR_THREAD, i, &ta, sizeof(ta)); i++) {
		unsigned char ra[CR_PRSTATUS_SIZE], rb[CR_PRSTATUS_SIZE];
		unsigned int j;
		bool found = false;

		for (j = 0; copy_note(b, true, NT_CR_THREAD, j, &tb, sizeof(tb)); j++) {
			if (tb.tid == ta.tid) {
				found = true;
				break;
			}
		}
		if (!found) {
			differ(d, "thread %u: only in A", ta.tid);
			continue;
		}
		if (ta.blocked != tb.blocked)
			differ(d, "thread %u: blocked mask %#llx -> %#llx", ta.tid,
			       (unsigned long long)ta.blocked, (unsigned long long)tb.blocked);
		if (strncmp(ta.comm, tb.comm, sizeof(ta.comm)))
			differ(d, "thread %u: name %.16s -> %.16s", ta.tid, ta.comm, tb.comm);
		diff_sched(d, &ta, &tb);
		diff_seccomp(d, ta.tid, thread_note(a, i, NT_CR_SECCOMP),
			     thread_note(b, j, NT_CR_SECCOMP));
		if (!copy_note(a, false, CR_NT_PRSTATUS, i, ra, sizeof(ra)) ||
		    !copy_note(b, false, CR_NT_PRSTATUS, j, rb, sizeof(rb)))
			continue;
		for (unsigned int r = 0; r < ARRAY_SIZE(reg_names); r++) {
			uint64_t va = get_u64(ra + CR_PRSTATUS_REGS + 8 * r);
			uint64_t vb = get_u64(rb + CR_PRSTATUS_REGS + 8 * r);

			if (va != vb)
				differ(d, "thread %u: %s %#llx -> %#llx", ta.tid, reg_names[r],
				       (unsigned long long)va, (unsigned long long)vb);
		}
	}
	for (unsigned int j = 0; copy_note(b, true, NT_CR_THREAD, j, &tb, sizeof(tb)); j++) {
		bool found = false;

		for (unsigned int i = 0; copy_note(a, true, NT_CR_THREAD, i, &ta, sizeof(ta)); i++)
			found |= ta.tid == tb.tid;
		if (!found)
			differ(d, "thread %u: only in B", tb.tid);
	}
}

/* The entries of an array note, or NULL and 0. */
static const unsigned char *array_note(const struct image *img, uint32_t type,
				       size_t entry, size_t *nr)
{
	const struct cr_note *n = image_find_note(img, true, type);

	*nr = n ? n->size / entry : 0;
	return n ? n->desc : NULL;
}

/* Is page @addr stored, and where in the file? */
static const unsigned char *stored_page(const struct image *img, uint64_t addr)
{
	size_t nr;
	const unsigned char *runs = array_note(img, NT_CR_PAGES, sizeof(struct cr_page_run), &nr);

	for (size_t i = 0; i < nr; i++) {
		struct cr_page_run r;

		memcpy(&r, runs + i * sizeof(r), sizeof(r));
		if (addr < r.start || addr >= r.start + r.nr_pages * PAGE)
			continue;
		/* Stored: where, whichever run says so (once, whatever the runs). */
		for (unsigned int p = 1; p <= img->nr_loads; p++) {
			const GElf_Phdr *ph = &img->phdrs[p];

			if (addr >= ph->p_vaddr && addr + PAGE <= ph->p_vaddr + ph->p_filesz &&
			    image_in_file(img, ph->p_offset + (addr - ph->p_vaddr), PAGE))
				return img->map + ph->p_offset + (addr - ph->p_vaddr);
		}
		break;
	}
	return NULL;
}

static const unsigned char zero_page[PAGE];

/* Bytes of data the segment of @img at @start has in the file, or 0. */
static uint64_t data_len(const struct image *img, uint64_t start)
{
	for (unsigned int p = 1; p <= img->nr_loads; p++)
		if (img->phdrs[p].p_vaddr == start)
			return img->phdrs[p].p_filesz;
	return 0;
}

/*
 * Compare the stored pages of a mapping that both images have. Only the
 * file part of its segments can hold data, which bounds the walk by the
 * sizes of the files, whatever the notes claim.
 */
static void diff_pages(struct diff *d, const struct image *a, const struct image *b,
		       const struct cr_vma *v)
{
	uint64_t differ_pages = 0, first = 0, len;

	len = data_len(a, v->start);
	if (data_len(b, v->start) > len)
		len = data_len(b, v->start);
	if (len > v->end - v->start)
		len = v->end - v->start;
	for (uint64_t addr = v->start; addr < v->start + len; addr += PAGE) {
		const unsigned char *pa = stored_page(a, addr), *pb = stored_page(b, addr);

		if (!pa && !pb)
			continue;
		/* Unstored: zero in anonymous memory, the file's in a file mapping. */
		if (v->kind == CR_VMA_FILE && (!pa || !pb)) {
			if (!differ_pages++)
				first = addr;
			continue;
		}
		if (memcmp(pa ?: zero_page, pb ?: zero_page, PAGE) && !differ_pages++)
			first = addr;
	}
	if (differ_pages)
		differ(d, "mapping %#llx-%#llx: %llu pages differ, the first at %#llx",
		       (unsigned long long)v->start, (unsigned long long)v->end,
		       (unsigned long long)differ_pages, (unsigned long long)first);
}

static void diff_mappings(struct diff *d, const struct image *a, const struct image *b)
{
	size_t na, nb, i, j;
	const unsigned char *va = array_note(a, NT_CR_VMAS, sizeof(struct cr_vma), &na);
	const unsigned char *vb = array_note(b, NT_CR_VMAS, sizeof(struct cr_vma), &nb);

	for (i = 0; i < na; i++) {
		struct cr_vma x, y;
		bool found = false;

		memcpy(&x, va + i * sizeof(x), sizeof(x));
		for (j = 0; j < nb && !found; j++) {
			memcpy(&y, vb + j * sizeof(y), sizeof(y));
			found = y.start == x.start && y.end == x.end;
		}
		if (!found) {
			differ(d, "mapping %#llx-%#llx: only in A", (unsigned long long)x.start,
			       (unsigned long long)x.end);
			continue;
		}
		if (x.prot != y.prot || x.kind != y.kind || x.flags != y.flags || x.pgoff != y.pgoff)
			differ(d, "mapping %#llx-%#llx: prot %#x kind %u flags %#x -> prot %#x kind %u flags %#x",
			       (unsigned long long)x.start, (unsigned long long)x.end,
			       x.prot, x.kind, x.flags, y.prot, y.kind, y.flags);
		else if (x.kind != CR_VMA_VDSO && x.kind != CR_VMA_VVAR)
			diff_pages(d, a, b, &x);
	}
	for (j = 0; j < nb; j++) {
		struct cr_vma x, y;
		bool found = false;

		memcpy(&y, vb + j * sizeof(y), sizeof(y));
		for (i = 0; i < na && !found; i++) {
			memcpy(&x, va + i * sizeof(x), sizeof(x));
			found = y.start == x.start && y.end == x.end;
		}
		if (!found)
			differ(d, "mapping %#llx-%#llx: only in B", (unsigned long long)y.start,
			       (unsigned long long)y.end);
	}
}

/* The descriptors of an image: header, entries, data area. */
static const struct cr_fd *fds(const struct image *img, size_t *nr, const char **data,
			       size_t *len)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_FILES);
	struct cr_hdr_files h;

	*nr = 0;
	if (!n || n->size < sizeof(h))
		return NULL;
	memcpy(&h, n->desc, sizeof(h));
	if (h.nr_fds > (n->size - sizeof(h)) / sizeof(struct cr_fd))
		return NULL;
	*nr = h.nr_fds;
	*data = (const char *)n->desc + sizeof(h) + h.nr_fds * sizeof(struct cr_fd);
	*len = n->size - sizeof(h) - h.nr_fds * sizeof(struct cr_fd);
	return (const struct cr_fd *)(n->desc + sizeof(h));
}

static const char *fd_path(const struct cr_fd *e, const char *data, size_t len)
{
	if (!e->path_len || e->path_off > len || e->path_len > len - e->path_off ||
	    data[e->path_off + e->path_len - 1])
		return "";
	return data + e->path_off;
}

/* A descriptor's path, or its kind when it has none: "eventfd". */
static const char *fd_label(const struct cr_fd *e, const char *data, size_t len)
{
	const char *path = fd_path(e, data, len);

	return *path ? path : fd_kind_name(e->kind);
}

/* A descriptor's kind and path, as "file /etc/hostname" or "eventfd". */
static void fd_what(const struct cr_fd *e, const char *data, size_t len, char *buf, size_t size)
{
	const char *path = fd_path(e, data, len);

	snprintf(buf, size, "%s%s%s", fd_kind_name(e->kind), *path ? " " : "", path);
}

static int cmp_target(const void *a, const void *b)
{
	const struct cr_epoll_target *x = a, *y = b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* The targets of an epoll, sorted by descriptor (they should be already). */
static struct cr_epoll_target *epoll_targets(const unsigned char *p, uint64_t nr)
{
	struct cr_epoll_target *t = calloc(nr ?: 1, sizeof(*t));

	if (!t)
		return NULL;
	memcpy(t, p, nr * sizeof(*t));
	qsort(t, nr, sizeof(*t), cmp_target);
	return t;
}

/* The targets of two epolls, matched by descriptor number. */
static void diff_epoll(struct diff *d, int fd, const unsigned char *pa, uint64_t na,
		       const unsigned char *pb, uint64_t nb)
{
	struct cr_epoll_target *ta, *tb;
	char ea[256], eb[256];
	uint64_t i = 0, j = 0;

	if (na == nb && !memcmp(pa, pb, na * sizeof(*ta)))
		return;
	/* Another descriptor of the epoll may list them. */
	if (!na || !nb) {
		differ(d, "fd %d: epoll lists %llu targets -> %llu", fd, (unsigned long long)na,
		       (unsigned long long)nb);
		return;
	}
	ta = epoll_targets(pa, na);
	tb = epoll_targets(pb, nb);
	if (!ta || !tb) {
		fprintf(stderr, "crcore: out of memory comparing the epoll at fd %d\n", fd);
		free(ta);
		free(tb);
		return;
	}
	while (i < na || j < nb) {
		const struct cr_epoll_target *x = &ta[i < na ? i : 0], *y = &tb[j < nb ? j : 0];

		if (j == nb || (i < na && x->fd < y->fd)) {
			differ(d, "fd %d: epoll target fd %d: only in A", fd, x->fd);
			i++;
			continue;
		}
		if (i == na || y->fd < x->fd) {
			differ(d, "fd %d: epoll target fd %d: only in B", fd, y->fd);
			j++;
			continue;
		}
		if (x->file_id != y->file_id)
			differ(d, "fd %d: epoll target fd %d: open file %u -> %u", fd, x->fd,
			       x->file_id, y->file_id);
		if (x->events != y->events) {
			epoll_events_string(x->events, true, ea, sizeof(ea));
			epoll_events_string(y->events, true, eb, sizeof(eb));
			differ(d, "fd %d: epoll target fd %d: events %s -> %s", fd, x->fd, ea, eb);
		}
		if (x->data != y->data)
			differ(d, "fd %d: epoll target fd %d: data %#llx -> %#llx", fd, x->fd,
			       (unsigned long long)x->data, (unsigned long long)y->data);
		i++;
		j++;
	}
	free(ta);
	free(tb);
}

/* One value of two sockets at the same descriptor: "fd 5: inet backlog 128 -> 64". */
static void diff_inet_value(struct diff *d, int fd, const char *what, int64_t a, int64_t b)
{
	if (a != b)
		differ(d, "fd %d: inet %s %lld -> %lld", fd, what, (long long)a, (long long)b);
}

/*
 * The datagrams queued on two UDP sockets at the same descriptor: how
 * many and their bytes (those of the records that lie in the data);
 * when those are the same, the size of their records, then the first
 * datagram that differs (its sender, destination, interface, TTL, TOS
 * or bytes).
 */
static void diff_udp(struct diff *d, const struct cr_fd *x, const unsigned char *pa,
		     const struct cr_inet *a, const struct cr_fd *y, const unsigned char *pb,
		     const struct cr_inet *b)
{
	uint64_t ba, bb, oa = 0, ob = 0;
	struct cr_udp_dgram ga, gb;
	uint32_t na, nb, i;
	int fd = x->fd;
	bool ra, rb;

	if (a->udp.send_cscov != b->udp.send_cscov || a->udp.recv_cscov != b->udp.recv_cscov)
		differ(d, "fd %d: udplite checksum coverage send %u recv %u -> send %u recv %u", fd,
		       a->udp.send_cscov, a->udp.recv_cscov, b->udp.send_cscov, b->udp.recv_cscov);
	na = inet_dgrams(x, pa, a, 0, NULL, NULL, &ba);
	nb = inet_dgrams(y, pb, b, 0, NULL, NULL, &bb);
	if (a->udp.nr_dgrams != b->udp.nr_dgrams || ba != bb) {
		differ(d, "fd %d: udp %u datagrams queued (%llu bytes) -> %u (%llu bytes)", fd,
		       a->udp.nr_dgrams, (unsigned long long)ba, b->udp.nr_dgrams,
		       (unsigned long long)bb);
		return;
	}
	if (a->udp.data_len != b->udp.data_len) {
		differ(d, "fd %d: udp datagram records %u -> %u bytes", fd, a->udp.data_len,
		       b->udp.data_len);
		return;
	}
	ra = na == a->udp.nr_dgrams;
	rb = nb == b->udp.nr_dgrams;
	if (!ra || !rb) {
		if (ra != rb)
			differ(d, "fd %d: udp datagrams %s -> %s", fd, ra ? "readable" : "unreadable",
			       rb ? "readable" : "unreadable");
		return;
	}
	/* Both walked whole: every record lies inside its data. */
	pa += sizeof(*a);
	pb += sizeof(*b);
	for (i = 0; i < na; i++) {
		memcpy(&ga, pa + oa, sizeof(ga));
		memcpy(&gb, pb + ob, sizeof(gb));
		if (memcmp(&ga, &gb, sizeof(ga)) ||
		    memcmp(pa + oa + sizeof(ga), pb + ob + sizeof(gb), ga.len)) {
			differ(d, "fd %d: udp datagram %u (of %u) differs", fd, i, na);
			return;
		}
		oa += (sizeof(ga) + (uint64_t)ga.len + 3) & ~3ULL;
		ob += (sizeof(gb) + (uint64_t)gb.len + 3) & ~3ULL;
	}
}

/*
 * Two TCP or UDP sockets at the same descriptor: kind, state, addresses,
 * flags and options; for a TCP connection, what it negotiated, its
 * queues' lengths and bytes (not its sequence numbers, windows and
 * timestamp clock, which move on from one checkpoint to the next); for a
 * UDP socket, its queued datagrams.
 */
static void diff_inet(struct diff *d, const struct cr_fd *x, const unsigned char *pa,
		      const struct cr_fd *y, const unsigned char *pb)
{
	const unsigned char *qa, *qb;
	struct cr_inet a, b;
	const char *na, *nb;
	char sa[256], sb[256];
	int fd = x->fd;

	memcpy(&a, pa, sizeof(a));
	memcpy(&b, pb, sizeof(b));
	if (a.family != b.family || a.protocol != b.protocol) {
		na = inet_proto_name(a.family, a.protocol);
		nb = inet_proto_name(b.family, b.protocol);
		differ(d, "fd %d: inet %s (family %u protocol %u) -> %s (family %u protocol %u)",
		       fd, na ?: "?", a.family, a.protocol, nb ?: "?", b.family, b.protocol);
	}
	if (a.state != b.state)
		differ(d, "fd %d: inet state %s -> %s", fd, inet_state_name(a.state),
		       inet_state_name(b.state));
	inet_endpoint_string(&a, a.src, a.src_port, sa, sizeof(sa));
	inet_endpoint_string(&b, b.src, b.src_port, sb, sizeof(sb));
	if (strcmp(sa, sb))
		differ(d, "fd %d: inet local address %s -> %s", fd, sa, sb);
	inet_endpoint_string(&a, a.dst, a.dst_port, sa, sizeof(sa));
	inet_endpoint_string(&b, b.dst, b.dst_port, sb, sizeof(sb));
	if (strcmp(sa, sb))
		differ(d, "fd %d: inet peer address %s -> %s", fd, sa, sb);
	if (a.flags != b.flags) {
		inet_flags_string(a.flags, sa, sizeof(sa));
		inet_flags_string(b.flags, sb, sizeof(sb));
		differ(d, "fd %d: inet flags %s -> %s", fd, sa, sb);
	}
	diff_inet_value(d, fd, "backlog", a.backlog, b.backlog);
	diff_inet_value(d, fd, "rcvbuf", a.rcvbuf, b.rcvbuf);
	diff_inet_value(d, fd, "sndbuf", a.sndbuf, b.sndbuf);
	diff_inet_value(d, fd, "linger", a.linger, b.linger);
	diff_inet_value(d, fd, "priority", a.priority, b.priority);
	diff_inet_value(d, fd, "rcvtimeo_us", a.rcvtimeo_us, b.rcvtimeo_us);
	diff_inet_value(d, fd, "sndtimeo_us", a.sndtimeo_us, b.sndtimeo_us);
	diff_inet_value(d, fd, "tos", a.tos, b.tos);
	diff_inet_value(d, fd, "ttl", a.ttl, b.ttl);
	diff_inet_value(d, fd, "keepidle", a.keepidle, b.keepidle);
	diff_inet_value(d, fd, "keepintvl", a.keepintvl, b.keepintvl);
	diff_inet_value(d, fd, "keepcnt", a.keepcnt, b.keepcnt);
	diff_inet_value(d, fd, "mark", a.mark, b.mark);
	diff_inet_value(d, fd, "rcvlowat", a.rcvlowat, b.rcvlowat);
	diff_inet_value(d, fd, "user_timeout", a.user_timeout, b.user_timeout);
	diff_inet_value(d, fd, "notsent_lowat", a.notsent_lowat, b.notsent_lowat);
	diff_inet_value(d, fd, "user_mss", a.user_mss, b.user_mss);
	diff_inet_value(d, fd, "fastopen", a.fastopen, b.fastopen);
	if (a.pmtudisc != b.pmtudisc)
		differ(d, "fd %d: inet pmtudisc %s (%u) -> %s (%u)", fd,
		       inet_pmtudisc_name(a.pmtudisc) ?: "?", a.pmtudisc,
		       inet_pmtudisc_name(b.pmtudisc) ?: "?", b.pmtudisc);
	/* A UDP socket's union is struct cr_udp: no struct cr_tcp to compare. */
	if (inet_udp(&a) || inet_udp(&b)) {
		if (a.protocol == b.protocol)
			diff_udp(d, x, pa, &a, y, pb, &b);
		return;
	}
	/* A listener's union is struct cr_tcp_listen. */
	if (a.state == CR_INET_LISTEN || b.state == CR_INET_LISTEN) {
		if (a.state == b.state && a.listen.nr_pending != b.listen.nr_pending)
			differ(d, "fd %d: tcp %u connections not accepted yet -> %u", fd,
			       a.listen.nr_pending, b.listen.nr_pending);
		return;
	}
	if (a.tcp.options != b.tcp.options) {
		tcp_options_string(a.tcp.options, sa, sizeof(sa));
		tcp_options_string(b.tcp.options, sb, sizeof(sb));
		differ(d, "fd %d: tcp options %s -> %s", fd, sa, sb);
	}
	if (a.tcp.snd_wscale != b.tcp.snd_wscale || a.tcp.rcv_wscale != b.tcp.rcv_wscale)
		differ(d, "fd %d: tcp wscale %u/%u -> %u/%u", fd, a.tcp.snd_wscale,
		       a.tcp.rcv_wscale, b.tcp.snd_wscale, b.tcp.rcv_wscale);
	if (a.tcp.mss != b.tcp.mss)
		differ(d, "fd %d: tcp mss %u -> %u", fd, a.tcp.mss, b.tcp.mss);
	if (a.tcp.recv_len != b.tcp.recv_len || a.tcp.send_len != b.tcp.send_len ||
	    a.tcp.unsent_len != b.tcp.unsent_len) {
		differ(d, "fd %d: tcp %u to read, %u to send (%u unsent) -> %u, %u (%u unsent)",
		       fd, a.tcp.recv_len, a.tcp.send_len, a.tcp.unsent_len, b.tcp.recv_len,
		       b.tcp.send_len, b.tcp.unsent_len);
		return;
	}
	qa = inet_queues(x, pa, &a);
	qb = inet_queues(y, pb, &b);
	if (!qa || !qb) {
		if (qa || qb)
			differ(d, "fd %d: tcp queues %s -> %s", fd, qa ? "readable" : "unreadable",
			       qb ? "readable" : "unreadable");
		return;
	}
	if (memcmp(qa, qb, a.tcp.recv_len))
		differ(d, "fd %d: tcp bytes to read differ", fd);
	if (memcmp(qa + a.tcp.recv_len, qb + b.tcp.recv_len, a.tcp.send_len))
		differ(d, "fd %d: tcp bytes to send differ", fd);
}

/* One value of two unix sockets at the same descriptor: "fd 5: unix backlog 5 -> 16". */
static void diff_unix_value(struct diff *d, int fd, const char *what, int64_t a, int64_t b)
{
	if (a != b)
		differ(d, "fd %d: unix %s %lld -> %lld", fd, what, (long long)a, (long long)b);
}

/* Room for a unix address as unix_addrs_differ() writes it */
#define UNIX_ADDR_SIZE	(4 * CR_UNIX_PATH_MAX + 1)

/*
 * Do two unix addresses (struct cr_unix.name or .peer, struct
 * cr_socket.name, with their lengths) differ? If so, @sa and @sb (of
 * UNIX_ADDR_SIZE bytes) say them: "/tmp/a", "@b", "none" when not bound.
 */
static bool unix_addrs_differ(const char *a, uint16_t la, const char *b, uint16_t lb,
			      char *sa, char *sb)
{
	char ba[CR_UNIX_PATH_MAX + 1], bb[CR_UNIX_PATH_MAX + 1];
	size_t na, nb;

	na = unix_addr_bytes(a, la, ba, sizeof(ba));
	nb = unix_addr_bytes(b, lb, bb, sizeof(bb));
	if (la == lb && na == nb && !memcmp(ba, bb, na))
		return false;
	unix_addr_string(a, la, sa, UNIX_ADDR_SIZE);
	unix_addr_string(b, lb, sb, UNIX_ADDR_SIZE);
	if (!la)
		snprintf(sa, UNIX_ADDR_SIZE, "none");
	if (!lb)
		snprintf(sb, UNIX_ADDR_SIZE, "none");
	return true;
}

/* One address of two unix sockets: "fd 5: unix name /tmp/a -> @b" ("none": not bound). */
static void diff_unix_addr(struct diff *d, int fd, const char *what, const char *a,
			   uint16_t la, const char *b, uint16_t lb)
{
	char sa[UNIX_ADDR_SIZE], sb[UNIX_ADDR_SIZE];

	if (unix_addrs_differ(a, la, b, lb, sa, sb))
		differ(d, "fd %d: unix %s %s -> %s", fd, what, sa, sb);
}

/*
 * Two unix sockets known by their name at the same descriptor: type,
 * state, name and peer, flags, mode and options.
 */
static void diff_unix(struct diff *d, int fd, const unsigned char *pa, const unsigned char *pb)
{
	char sa[256], sb[256];
	struct cr_unix a, b;

	memcpy(&a, pa, sizeof(a));
	memcpy(&b, pb, sizeof(b));
	if (a.type != b.type)
		differ(d, "fd %d: unix type %s (%u) -> %s (%u)", fd, sock_type_name(a.type),
		       a.type, sock_type_name(b.type), b.type);
	if (a.state != b.state)
		differ(d, "fd %d: unix state %s -> %s", fd, unix_state_name(a.state),
		       unix_state_name(b.state));
	diff_unix_addr(d, fd, "name", a.name, a.name_len, b.name, b.name_len);
	diff_unix_addr(d, fd, "peer", a.peer, a.peer_len, b.peer, b.peer_len);
	if (a.flags != b.flags) {
		unix_flags_string(a.flags, sa, sizeof(sa));
		unix_flags_string(b.flags, sb, sizeof(sb));
		differ(d, "fd %d: unix flags %s -> %s", fd, sa, sb);
	}
	if (a.mode != b.mode)
		differ(d, "fd %d: unix mode %04o -> %04o", fd, a.mode, b.mode);
	diff_unix_value(d, fd, "backlog", a.backlog, b.backlog);
	diff_unix_value(d, fd, "rcvbuf", a.rcvbuf, b.rcvbuf);
	diff_unix_value(d, fd, "sndbuf", a.sndbuf, b.sndbuf);
	diff_unix_value(d, fd, "rcvtimeo_us", a.rcvtimeo_us, b.rcvtimeo_us);
	diff_unix_value(d, fd, "sndtimeo_us", a.sndtimeo_us, b.sndtimeo_us);
	diff_unix_value(d, fd, "queued messages", a.nr_msgs, b.nr_msgs);
}

/*
 * The states of two eventfds, signalfds, timerfds, epolls, memfds or
 * sockets at the same descriptor: not a timerfd's time left, which
 * differs from one checkpoint to the next, only whether it is armed.
 */
static void diff_fd_state(struct diff *d, const struct cr_fd *x, const char *da, size_t la,
			  const struct cr_fd *y, const char *db, size_t lb)
{
	const unsigned char *pa, *pb;
	struct cr_timerfd ta, tb;
	char sa[1024], sb[1024];
	uint64_t na, nb;

	pa = fd_state(x, da, la, &na);
	pb = fd_state(y, db, lb, &nb);
	if (!pa || !pb) {
		if (pa || pb)
			differ(d, "fd %d: %s state %s -> %s", x->fd, fd_kind_name(x->kind),
			       pa ? "readable" : "unreadable", pb ? "readable" : "unreadable");
		return;
	}
	switch (x->kind) {
	case CR_FD_INET:
		diff_inet(d, x, pa, y, pb);
		break;
	case CR_FD_UNIX:
		diff_unix(d, x->fd, pa, pb);
		break;
	case CR_FD_PIDFD:
		if (memcmp(pa, pb, sizeof(struct cr_pidfd)))
			differ(d, "fd %d: pidfd of pid %d flags %#x -> pid %d flags %#x", x->fd,
			       (int)get_u32(pa), get_u32(pa + 4), (int)get_u32(pb), get_u32(pb + 4));
		break;
	case CR_FD_NETLINK:
		if (x->data_len != y->data_len || memcmp(pa, pb, x->data_len))
			differ(d, "fd %d: netlink port id %u, %u messages -> port id %u, %u messages%s",
			       x->fd, get_u32(pa + 12), get_u32(pa + 64), get_u32(pb + 12),
			       get_u32(pb + 64),
			       get_u32(pa + 64) == get_u32(pb + 64) ? ", or its groups, options or messages, differ" : "");
		break;
	case CR_FD_PACKET:
		if (x->data_len != y->data_len || memcmp(pa, pb, x->data_len)) {
			struct cr_packet a, b;

			memcpy(&a, pa, sizeof(a));
			memcpy(&b, pb, sizeof(b));
			differ(d, "fd %d: packet socket protocol %#x device %d, %u packets queued -> protocol %#x device %d, %u packets%s",
			       x->fd, a.protocol, a.ifindex, a.nr_skbs, b.protocol, b.ifindex,
			       b.nr_skbs,
			       a.nr_skbs == b.nr_skbs ? ", or its options, memberships or packets, differ" : "");
		}
		break;
	case CR_FD_MQUEUE:
		if (x->data_len != y->data_len || memcmp(pa, pb, x->data_len))
			differ(d, "fd %d: message queue %u messages -> %u messages%s", x->fd,
			       get_u32(pa + 32), get_u32(pb + 32),
			       get_u32(pa + 32) == get_u32(pb + 32) ? ", or its state, differ" : "");
		break;
	case CR_FD_MEMFD:
		if (get_u64(pa) != get_u64(pb) || get_u32(pa + 16) != get_u32(pb + 16))
			differ(d, "fd %d: memfd %llu bytes seals %#x -> %llu bytes seals %#x",
			       x->fd, (unsigned long long)get_u64(pa), get_u32(pa + 16),
			       (unsigned long long)get_u64(pb), get_u32(pb + 16));
		else if (x->data_len != y->data_len ||
			 memcmp(pa + sizeof(struct cr_memfd), pb + sizeof(struct cr_memfd),
				x->data_len - sizeof(struct cr_memfd)))
			differ(d, "fd %d: memfd contents differ", x->fd);
		break;
	case CR_FD_EVENTFD:
		if (get_u64(pa) != get_u64(pb))
			differ(d, "fd %d: eventfd count %llu -> %llu", x->fd,
			       (unsigned long long)get_u64(pa), (unsigned long long)get_u64(pb));
		if (get_u32(pa + 8) != get_u32(pb + 8))
			differ(d, "fd %d: eventfd flags %#x -> %#x", x->fd, get_u32(pa + 8),
			       get_u32(pb + 8));
		break;
	case CR_FD_SIGNALFD:
		if (get_u64(pa) != get_u64(pb)) {
			sigset_string(get_u64(pa), sa, sizeof(sa));
			sigset_string(get_u64(pb), sb, sizeof(sb));
			differ(d, "fd %d: signalfd %s -> %s", x->fd, sa, sb);
		}
		break;
	case CR_FD_TIMERFD:
		memcpy(&ta, pa, sizeof(ta));
		memcpy(&tb, pb, sizeof(tb));
		if (ta.clockid != tb.clockid)
			differ(d, "fd %d: timerfd clock %s (%d) -> %s (%d)", x->fd,
			       clock_name(ta.clockid), ta.clockid, clock_name(tb.clockid),
			       tb.clockid);
		if (ta.flags != tb.flags)
			differ(d, "fd %d: timerfd flags %#x -> %#x", x->fd, ta.flags, tb.flags);
		if (!ta.value_ns != !tb.value_ns)
			differ(d, "fd %d: timerfd %s -> %s", x->fd,
			       ta.value_ns ? "armed" : "disarmed",
			       tb.value_ns ? "armed" : "disarmed");
		if (ta.interval_ns != tb.interval_ns)
			differ(d, "fd %d: timerfd interval %lld -> %lld ns", x->fd,
			       (long long)ta.interval_ns, (long long)tb.interval_ns);
		if (ta.ticks != tb.ticks)
			differ(d, "fd %d: timerfd unread expirations %llu -> %llu", x->fd,
			       (unsigned long long)ta.ticks, (unsigned long long)tb.ticks);
		break;
	case CR_FD_EPOLL:
		diff_epoll(d, x->fd, pa, na, pb, nb);
		break;
	case CR_FD_INOTIFY:
		if (x->data_len != y->data_len || memcmp(pa, pb, x->data_len))
			differ(d, "fd %d: inotify watches differ", x->fd);
		break;
	case CR_FD_FANOTIFY:
		if (x->data_len != y->data_len || memcmp(pa, pb, x->data_len))
			differ(d, "fd %d: fanotify marks or events differ", x->fd);
		break;
	}
}

/*
 * The NT_CR_FOWNERS entry of descriptor @fd in @tab (@n entries), into
 * @out, walking it by increasing fd from entry *@k: NULL when none.
 */
static const struct cr_fown *fown_find(const unsigned char *tab, size_t n, int32_t fd,
				       size_t *k, struct cr_fown *out)
{
	for (; *k < n; ++*k) {
		memcpy(out, tab + *k * sizeof(*out), sizeof(*out));
		if (out->fd >= fd)
			break;
	}
	return *k < n && out->fd == fd ? out : NULL;
}

/* The signal-driven I/O of two descriptors: "fd 5: owner none -> process itself, O_ASYNC". */
static void diff_fown(struct diff *d, int32_t fd, const struct cr_fown *x,
		      const struct cr_fown *y)
{
	char sa[FOWN_STRING_SIZE], sb[FOWN_STRING_SIZE];

	fown_string(x, sa, sizeof(sa));
	fown_string(y, sb, sizeof(sb));
	if (strcmp(sa, sb))
		differ(d, "fd %d: owner %s -> %s", fd, sa, sb);
}

static void diff_files(struct diff *d, const struct image *a, const struct image *b)
{
	const char *da = NULL, *db = NULL;
	size_t na, nb, la = 0, lb = 0, noa, nob, ka = 0, kb = 0;
	const struct cr_fd *fa = fds(a, &na, &da, &la), *fb = fds(b, &nb, &db, &lb);
	const unsigned char *oa = array_note(a, NT_CR_FOWNERS, sizeof(struct cr_fown), &noa);
	const unsigned char *ob = array_note(b, NT_CR_FOWNERS, sizeof(struct cr_fown), &nob);
	size_t i = 0, j = 0;

	while (i < na || j < nb) {
		char wa[PATH_MAX + 16], wb[PATH_MAX + 16];
		struct cr_fd x = {}, y = {};
		struct cr_fown ox, oy;

		if (i < na)
			memcpy(&x, &fa[i], sizeof(x));
		if (j < nb)
			memcpy(&y, &fb[j], sizeof(y));
		if (j == nb || (i < na && x.fd < y.fd)) {
			differ(d, "fd %d: only in A (%s)", x.fd, fd_label(&x, da, la));
			i++;
		} else if (i == na || y.fd < x.fd) {
			differ(d, "fd %d: only in B (%s)", y.fd, fd_label(&y, db, lb));
			j++;
		} else {
			if (x.kind != y.kind) {
				fd_what(&x, da, la, wa, sizeof(wa));
				fd_what(&y, db, lb, wb, sizeof(wb));
				differ(d, "fd %d: %s -> %s", x.fd, wa, wb);
			} else if (strcmp(fd_path(&x, da, la), fd_path(&y, db, lb))) {
				differ(d, "fd %d: %s -> %s", x.fd, fd_path(&x, da, la),
				       fd_path(&y, db, lb));
			} else if (x.pos != y.pos || x.flags != y.flags ||
				   x.fd_flags != y.fd_flags) {
				differ(d, "fd %d: offset %llu flags %#x -> offset %llu flags %#x",
				       x.fd, (unsigned long long)x.pos, x.flags,
				       (unsigned long long)y.pos, y.flags);
			}
			if (x.kind == y.kind && fd_has_state(x.kind))
				diff_fd_state(d, &x, da, la, &y, db, lb);
			diff_fown(d, x.fd, fown_find(oa, noa, x.fd, &ka, &ox),
				  fown_find(ob, nob, y.fd, &kb, &oy));
			i++;
			j++;
		}
	}
}

static void diff_signals(struct diff *d, const struct image *a, const struct image *b)
{
	struct cr_sigaction sa[CR_NSIG], sb[CR_NSIG];
	char name[32];

	if (!copy_note(a, true, NT_CR_SIGHAND, 0, sa, sizeof(sa)) ||
	    !copy_note(b, true, NT_CR_SIGHAND, 0, sb, sizeof(sb)))
		return;
	for (unsigned int i = 0; i < CR_NSIG; i++)
		if (memcmp(&sa[i], &sb[i], sizeof(sa[i])))
			differ(d, "%s: handler %#llx flags %#llx -> handler %#llx flags %#llx",
			       signal_name(i + 1, name, sizeof(name)),
			       (unsigned long long)sa[i].handler, (unsigned long long)sa[i].flags,
			       (unsigned long long)sb[i].handler, (unsigned long long)sb[i].flags);
	for (unsigned int t = 0; ; t++) {
		const struct cr_note *pa = nth_note(a, true, NT_CR_SIGPENDING, t);
		const struct cr_note *pb = nth_note(b, true, NT_CR_SIGPENDING, t);

		if (!pa || !pb)
			break;
		if (pa->size != pb->size || memcmp(pa->desc, pb->desc, pa->size))
			differ(d, "pending signals of thread %u: %u -> %u", t,
			       (unsigned int)(pa->size / sizeof(struct cr_sigpending)),
			       (unsigned int)(pb->size / sizeof(struct cr_sigpending)));
	}
}

/*
 * The interval timers: armed or not, and their intervals (the time left
 * differs from one checkpoint to the next).
 */
static void diff_itimers(struct diff *d, const struct image *a, const struct image *b)
{
	struct cr_itimer ia[CR_NR_ITIMERS] = {}, ib[CR_NR_ITIMERS] = {};

	copy_note(a, true, NT_CR_ITIMERS, 0, ia, sizeof(ia));
	copy_note(b, true, NT_CR_ITIMERS, 0, ib, sizeof(ib));
	for (unsigned int i = 0; i < CR_NR_ITIMERS; i++) {
		if (!ia[i].value_ns != !ib[i].value_ns)
			differ(d, "ITIMER_%s: %s -> %s", itimer_name(i),
			       ia[i].value_ns ? "armed" : "disarmed",
			       ib[i].value_ns ? "armed" : "disarmed");
		else if (ia[i].interval_ns != ib[i].interval_ns)
			differ(d, "ITIMER_%s: interval %lld -> %lld ns", itimer_name(i),
			       (long long)ia[i].interval_ns, (long long)ib[i].interval_ns);
	}
}

/* Notes that are lists: how many entries, and whether they are the same. */
static void diff_counted(struct diff *d, const struct image *a, const struct image *b,
			 uint32_t type, size_t size, const char *what)
{
	const struct cr_note *na = image_find_note(a, true, type);
	const struct cr_note *nb = image_find_note(b, true, type);
	uint64_t ca = na ? na->size / size : 0, cb = nb ? nb->size / size : 0;

	if (ca != cb)
		differ(d, "%s: %llu -> %llu", what, (unsigned long long)ca, (unsigned long long)cb);
	else if (ca && memcmp(na->desc, nb->desc, ca * size))
		differ(d, "%s: changed", what);
}

/* The ids of NT_CR_PROCESS, as show says them: "uid 0/0/0/0, gid 0/0/0/0". */
static void ids_string(const struct cr_hdr_process *p, char *buf, size_t len)
{
	snprintf(buf, len, "uid %u/%u/%u/%u, gid %u/%u/%u/%u", p->uid, p->euid, p->suid,
		 p->fsuid, p->gid, p->egid, p->sgid, p->fsgid);
}

static void diff_process(struct diff *d, const struct image *a, const struct image *b)
{
	struct cr_hdr_process pa, pb;
	char fa[128], fb[128];

	if (!copy_note(a, true, NT_CR_PROCESS, 0, &pa, sizeof(pa)) ||
	    !copy_note(b, true, NT_CR_PROCESS, 0, &pb, sizeof(pb)))
		return;
	ids_string(&pa, fa, sizeof(fa));
	ids_string(&pb, fb, sizeof(fb));
	if (strcmp(fa, fb))
		differ(d, "ids %s -> %s", fa, fb);
	if (pa.umask != pb.umask)
		differ(d, "umask %04o -> %04o", pa.umask, pb.umask);
	if (pa.personality != pb.personality)
		differ(d, "personality %#x -> %#x", pa.personality, pb.personality);
	if (pa.oom_score_adj != pb.oom_score_adj || pa.oom_score_adj_min != pb.oom_score_adj_min)
		differ(d, "oom_score_adj %d (lowest %d) -> %d (lowest %d)", pa.oom_score_adj,
		       pa.oom_score_adj_min, pb.oom_score_adj, pb.oom_score_adj_min);
	if (pa.dumpable != pb.dumpable)
		differ(d, "dumpable %u -> %u", pa.dumpable, pb.dumpable);
	if (pa.coredump_filter != pb.coredump_filter)
		differ(d, "coredump_filter %#x -> %#x", pa.coredump_filter, pb.coredump_filter);
	if (pa.mm_flags != pb.mm_flags) {
		mm_flags_string(pa.mm_flags, fa, sizeof(fa));
		mm_flags_string(pb.mm_flags, fb, sizeof(fb));
		differ(d, "mm flags %s -> %s", fa, fb);
	}
	diff_itimers(d, a, b);
	diff_counted(d, a, b, NT_CR_POSIX_TIMERS, sizeof(struct cr_posix_timer), "POSIX timers");
	diff_counted(d, a, b, NT_CR_LOCKS, sizeof(struct cr_lock), "file locks");
	for (unsigned int i = 0; i < CR_NLIMITS; i++)
		if (pa.rlim[i].cur != pb.rlim[i].cur || pa.rlim[i].max != pb.rlim[i].max)
			differ(d, "%s: %llu/%llu -> %llu/%llu", rlimit_name(i),
			       (unsigned long long)pa.rlim[i].cur, (unsigned long long)pa.rlim[i].max,
			       (unsigned long long)pb.rlim[i].cur, (unsigned long long)pb.rlim[i].max);
}

/*
 * The credentials (NT_CR_CREDS): the groups, each capability set, the
 * securebits, as show says them.
 */
static void diff_creds(struct diff *d, const struct image *a, const struct image *b)
{
	static const char *const set_name[] = {
		"inheritable", "permitted", "effective", "bounding", "ambient",
	};
	char sa[GROUPS_STRING_SIZE], sb[GROUPS_STRING_SIZE];
	const unsigned char *ga, *gb;
	struct cr_hdr_creds ca, cb;
	uint32_t na, nb;
	bool ha = creds_read(a, &ca, &ga, &na), hb = creds_read(b, &cb, &gb, &nb);
	const uint64_t xa[] = {
		ca.cap_inheritable, ca.cap_permitted, ca.cap_effective, ca.cap_bset, ca.cap_ambient,
	};
	const uint64_t xb[] = {
		cb.cap_inheritable, cb.cap_permitted, cb.cap_effective, cb.cap_bset, cb.cap_ambient,
	};

	if (ha != hb)
		differ(d, "credentials (NT_CR_CREDS): %s -> %s", ha ? "present" : "absent",
		       hb ? "present" : "absent");
	if (!ha || !hb)
		return;
	if (na != nb || memcmp(ga, gb, (size_t)na * sizeof(uint32_t))) {
		groups_string(ga, na, sa, sizeof(sa));
		groups_string(gb, nb, sb, sizeof(sb));
		if (strcmp(sa, sb))
			differ(d, "groups %s -> %s", sa, sb);
		else
			differ(d, "groups: %u, some after the first %u changed", na, GROUPS_SHOWN);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(set_name); i++) {
		if (xa[i] == xb[i])
			continue;
		caps_string(xa[i], sa, sizeof(sa));
		caps_string(xb[i], sb, sizeof(sb));
		differ(d, "%s capabilities %s -> %s", set_name[i], sa, sb);
	}
	if (ca.securebits != cb.securebits) {
		securebits_string(ca.securebits, sa, sizeof(sa));
		securebits_string(cb.securebits, sb, sizeof(sb));
		differ(d, "securebits %s -> %s", sa, sb);
	}
}

/* What is compared for one process, the root or another one. */
/* SysV segments, matched by id. */
static void diff_sysv_shm(struct diff *d, const struct image *a, const struct image *b)
{
	size_t na, nb, i, j;
	const unsigned char *pa = array_note(a, NT_CR_SYSV_SHM, sizeof(struct cr_sysv_shm), &na);
	const unsigned char *pb = array_note(b, NT_CR_SYSV_SHM, sizeof(struct cr_sysv_shm), &nb);

	for (i = 0; i < na; i++) {
		struct cr_sysv_shm x, y;
		bool found = false;

		memcpy(&x, pa + i * sizeof(x), sizeof(x));
		for (j = 0; j < nb && !found; j++) {
			memcpy(&y, pb + j * sizeof(y), sizeof(y));
			found = x.shmid == y.shmid;
		}
		if (!found)
			differ(d, "sysv shm %d: only in A", x.shmid);
		else if (x.key != y.key || x.size != y.size || x.mode != y.mode ||
			 x.uid != y.uid || x.gid != y.gid || x.flags != y.flags ||
			 x.ctime != y.ctime)
			differ(d, "sysv shm %d: key %#x, %llu bytes, mode %04o, owner %u:%u, flags %#x -> key %#x, %llu bytes, mode %04o, owner %u:%u, flags %#x",
			       x.shmid, (unsigned int)x.key, (unsigned long long)x.size, x.mode,
			       x.uid, x.gid, x.flags, (unsigned int)y.key,
			       (unsigned long long)y.size, y.mode, y.uid, y.gid, y.flags);
	}
	for (j = 0; j < nb; j++) {
		struct cr_sysv_shm x, y;
		bool found = false;

		memcpy(&y, pb + j * sizeof(y), sizeof(y));
		for (i = 0; i < na && !found; i++) {
			memcpy(&x, pa + i * sizeof(x), sizeof(x));
			found = x.shmid == y.shmid;
		}
		if (!found)
			differ(d, "sysv shm %d: only in B", y.shmid);
	}
}

/* The sets or queues of an image, for diff_sysv_ipc(). */
struct sysv_list {
	unsigned int nr;
	int32_t id[CR_MAX_SYSV_SETS];
	const void *entry[CR_MAX_SYSV_SETS];
	const unsigned char *data[CR_MAX_SYSV_SETS];
	uint64_t len[CR_MAX_SYSV_SETS];
};

static void sysv_sem_list(void *arg, const struct cr_sysv_sem *e, const unsigned char *vals)
{
	struct sysv_list *l = arg;

	if (l->nr == CR_MAX_SYSV_SETS)
		return;
	l->id[l->nr] = e->semid;
	l->entry[l->nr] = vals - sizeof(*e);
	l->data[l->nr] = vals;
	l->len[l->nr++] = e->nsems * 2ULL;
}

static void sysv_msq_list(void *arg, const struct cr_sysv_msq *q, const unsigned char *msgs,
			  uint64_t len)
{
	struct sysv_list *l = arg;

	if (l->nr == CR_MAX_SYSV_SETS)
		return;
	l->id[l->nr] = q->msqid;
	l->entry[l->nr] = msgs - sizeof(*q);
	l->data[l->nr] = msgs;
	l->len[l->nr++] = len;
}

/* Set or queue @id in @l, or -1. */
static int sysv_find(const struct sysv_list *l, int32_t id)
{
	for (unsigned int i = 0; i < l->nr; i++)
		if (l->id[i] == id)
			return i;
	return -1;
}

/* NT_CR_NS: the namespaces made again. */
/* Does root note @type differ between @a and @b, byte for byte? Then say @what. */
static void diff_same_note(struct diff *d, const struct image *a, const struct image *b,
			   uint32_t type, const char *what)
{
	const struct cr_note *na = image_find_note(a, true, type);
	const struct cr_note *nb = image_find_note(b, true, type);

	if (!na != !nb || (na && (na->size != nb->size || memcmp(na->desc, nb->desc, na->size))))
		differ(d, "%s", what);
}

static void diff_ns(struct diff *d, const struct image *a, const struct image *b)
{
	const struct cr_note *na = image_find_note(a, true, NT_CR_NS);
	const struct cr_note *nb = image_find_note(b, true, NT_CR_NS);

	const struct cr_note *ua = image_find_note(a, true, NT_CR_USERNS);
	const struct cr_note *ub = image_find_note(b, true, NT_CR_USERNS);

	if (!na != !nb || (na && (na->size != nb->size || memcmp(na->desc, nb->desc, na->size))))
		differ(d, "namespaces (NT_CR_NS) differ");
	const struct cr_note *ma = image_find_note(a, true, NT_CR_MOUNTS);
	const struct cr_note *mb = image_find_note(b, true, NT_CR_MOUNTS);

	if (!ua != !ub || (ua && (ua->size != ub->size || memcmp(ua->desc, ub->desc, ua->size))))
		differ(d, "user namespace maps (NT_CR_USERNS) differ");
	const struct cr_note *ta = image_find_note(a, true, NT_CR_TMPFS);
	const struct cr_note *tb = image_find_note(b, true, NT_CR_TMPFS);

	if (!ma != !mb || (ma && (ma->size != mb->size || memcmp(ma->desc, mb->desc, ma->size))))
		differ(d, "mounts (NT_CR_MOUNTS) differ");
	if (!ta != !tb || (ta && (ta->size != tb->size || memcmp(ta->desc, tb->desc, ta->size))))
		differ(d, "files of its tmpfs mounts (NT_CR_TMPFS) differ");
	const struct cr_note *sa = image_find_note(a, true, NT_CR_NET_SYSCTL);
	const struct cr_note *sb = image_find_note(b, true, NT_CR_NET_SYSCTL);

	if (!sa != !sb || (sa && (sa->size != sb->size || memcmp(sa->desc, sb->desc, sa->size))))
		differ(d, "sysctls of its network namespace (NT_CR_NET_SYSCTL) differ");
	diff_same_note(d, a, b, NT_CR_TTY_DATA, "bytes its pty pairs held (NT_CR_TTY_DATA) differ");
	diff_same_note(d, a, b, NT_CR_NET_LINKS, "veth devices of its network namespace (NT_CR_NET_LINKS) differ");
	diff_same_note(d, a, b, NT_CR_NET_RTNL,
		       "addresses, rules, routes or neighbours of its network namespace (NT_CR_NET_RTNL) differ");
}

/* SysV semaphore sets and message queues the tree used, matched by id. */
static void diff_sysv_ipc(struct diff *d, const struct image *a, const struct image *b)
{
	static struct sysv_list la, lb;
	unsigned int k;

	for (k = 0; k < 2; k++) {
		const char *what = k ? "sysv msg" : "sysv sem";
		size_t hdr = k ? sizeof(struct cr_sysv_msq) : sizeof(struct cr_sysv_sem);
		unsigned int i;

		la.nr = 0;
		lb.nr = 0;
		if (k) {
			sysv_msq_each(a, sysv_msq_list, &la);
			sysv_msq_each(b, sysv_msq_list, &lb);
		} else {
			sysv_sem_each(a, sysv_sem_list, &la);
			sysv_sem_each(b, sysv_sem_list, &lb);
		}
		for (i = 0; i < la.nr; i++) {
			int j = sysv_find(&lb, la.id[i]);

			if (j < 0)
				differ(d, "%s %d: only in A", what, la.id[i]);
			else if (memcmp(la.entry[i], lb.entry[j], hdr))
				differ(d, "%s %d: key, mode, owner, change time or size differ", what,
				       la.id[i]);
			else if (la.len[i] != lb.len[j] || memcmp(la.data[i], lb.data[j], la.len[i]))
				differ(d, "%s %d: %s differ", what, la.id[i],
				       k ? "messages" : "values");
		}
		for (i = 0; i < lb.nr; i++)
			if (sysv_find(&la, lb.id[i]) < 0)
				differ(d, "%s %d: only in B", what, lb.id[i]);
	}
}

/* The AIO contexts of @img, by id, in @out (at most @max); their number. */
static size_t aio_list(const struct image *img, struct cr_aio *out, size_t max)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_AIO);
	uint64_t off = 0, size = n ? n->size : 0;
	size_t nr = 0;

	/* Unchecked: a context's events may claim more than the note holds. */
	while (off <= size && size - off >= sizeof(struct cr_aio) && nr < max) {
		memcpy(&out[nr], (const unsigned char *)n->desc + off, sizeof(out[nr]));
		off += sizeof(struct cr_aio) +
		       out[nr].nr_unread * (uint64_t)sizeof(struct cr_aio_event);
		nr++;
	}
	return nr;
}

/* The socket filters of @img, one string per descriptor, into @out. */
static size_t sock_filter_list(const struct image *img, int32_t *fds, char (*desc)[64],
			       uint64_t *sum, size_t max)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_SOCK_FILTERS);
	uint64_t off = 0, size = n ? n->size : 0;
	const unsigned char *p = n ? n->desc : NULL;
	struct cr_sock_filter f;
	size_t nr = 0;

	while (size - off >= sizeof(f) && nr < max) {
		uint64_t len, h = 1469598103934665603ULL;

		memcpy(&f, p + off, sizeof(f));
		off += sizeof(f);
		len = f.len * (uint64_t)sizeof(struct cr_bpf_insn);
		if (size - off < len)
			break;
		for (uint64_t i = 0; i < len; i++)
			h = (h ^ p[off + i]) * 1099511628211ULL;
		fds[nr] = f.fd;
		sum[nr] = h;
		snprintf(desc[nr], sizeof(desc[nr]), "%u instructions%s", f.len,
			 f.flags & CR_SOCK_FILTER_LOCKED ? ", locked" : "");
		nr++;
		off += len;
	}
	return nr;
}

/* Socket filters, matched by descriptor. */
static void diff_sock_filters(struct diff *d, const struct image *a, const struct image *b)
{
	static int32_t fa[4096], fb[4096];
	static char da[4096][64], db[4096][64];
	static uint64_t sa[4096], sb[4096];
	size_t na = sock_filter_list(a, fa, da, sa, 4096), nb = sock_filter_list(b, fb, db, sb, 4096);
	size_t i, j;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && fb[j] != fa[i]; j++)
			;
		if (j == nb)
			differ(d, "fd %d: socket filter only in A (%s)", fa[i], da[i]);
		else if (sa[i] != sb[j] || strcmp(da[i], db[j]))
			differ(d, "fd %d: socket filter %s -> %s%s", fa[i], da[i], db[j],
			       sa[i] != sb[j] ? ", other instructions" : "");
	}
	for (j = 0; j < nb; j++) {
		for (i = 0; i < na && fa[i] != fb[j]; i++)
			;
		if (i == na)
			differ(d, "fd %d: socket filter only in B (%s)", fb[j], db[j]);
	}
}

/* AIO contexts, matched by id (their rings' address). */
static void diff_aio(struct diff *d, const struct image *a, const struct image *b)
{
	static struct cr_aio xa[CR_MAX_AIO], xb[CR_MAX_AIO];
	size_t na = aio_list(a, xa, CR_MAX_AIO), nb = aio_list(b, xb, CR_MAX_AIO), i, j;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && xb[j].addr != xa[i].addr; j++)
			;
		if (j == nb)
			differ(d, "aio %#llx: only in A", (unsigned long long)xa[i].addr);
		else if (xa[i].max_reqs != xb[j].max_reqs || xa[i].nr_events != xb[j].nr_events ||
			 xa[i].head != xb[j].head || xa[i].tail != xb[j].tail)
			differ(d, "aio %#llx: %u requests, %u events, head %u tail %u -> %u requests, %u events, head %u tail %u",
			       (unsigned long long)xa[i].addr, xa[i].max_reqs, xa[i].nr_events,
			       xa[i].head, xa[i].tail, xb[j].max_reqs, xb[j].nr_events,
			       xb[j].head, xb[j].tail);
	}
	for (j = 0; j < nb; j++) {
		for (i = 0; i < na && xa[i].addr != xb[j].addr; i++)
			;
		if (i == na)
			differ(d, "aio %#llx: only in B", (unsigned long long)xb[j].addr);
	}
}

static void diff_one(struct diff *d, const struct image *a, const struct image *b)
{
	diff_threads(d, a, b);
	diff_mappings(d, a, b);
	diff_sysv_shm(d, a, b);
	diff_sysv_ipc(d, a, b);
	diff_ns(d, a, b);
	diff_aio(d, a, b);
	diff_files(d, a, b);
	diff_sock_filters(d, a, b);
	diff_same_note(d, a, b, NT_CR_SOCK_OPTS,
		       "options of TCP and UDP sockets (NT_CR_SOCK_OPTS) differ");
	diff_same_note(d, a, b, NT_CR_SOCK_DEVS,
		       "devices TCP and UDP sockets are bound to (NT_CR_SOCK_DEVS) differ");
	diff_signals(d, a, b);
	diff_process(d, a, b);
	diff_creds(d, a, b);
}

/* The parent's pid of entry @i, or -1. */
static int32_t ppid(const struct tree *t, unsigned int i)
{
	int32_t p = t->proc[i].parent;

	return p >= 0 && (unsigned int)p < t->nr ? t->proc[p].pid : -1;
}

/* A process both images hold, other than their roots: its own images. */
static void diff_nested(struct diff *d, const struct image *a, const struct tree *ta,
			unsigned int i, const struct image *b, const struct tree *tb,
			unsigned int j)
{
	struct report ra = { .path = a->path }, rb = { .path = b->path };
	struct image na, nb;
	char prefix[48];

	if (!tree_segment(a, ta, i) || !tree_segment(b, tb, j))
		return;
	snprintf(prefix, sizeof(prefix), "process %d: ", ta->proc[i].pid);
	/* Only a broken container stops the comparison, as for the roots. */
	image_open_at(&na, a, ta->proc[i].segment, &ra);
	image_open_at(&nb, b, tb->proc[j].segment, &rb);
	if (na.notes_ok && na.segments_ok && na.hdr_read &&
	    nb.notes_ok && nb.segments_ok && nb.hdr_read) {
		d->prefix = prefix;
		diff_one(d, &na, &nb);
		d->prefix = NULL;
	} else {
		fprintf(stderr, "crcore: process %d: its image cannot be read in %s\n",
			ta->proc[i].pid, na.notes_ok && na.segments_ok && na.hdr_read ?
			b->path : a->path);
	}
	image_close(&na);
	image_close(&nb);
	report_free(&ra);
	report_free(&rb);
}

/* The processes: matched by pid; their entries, then their images. */
static void diff_trees(struct diff *d, const struct image *a, const struct image *b)
{
	struct tree ta, tb;
	bool ha = !tree_read(a, &ta), hb = !tree_read(b, &tb);
	unsigned int i;
	int j;

	if (ha != hb)
		differ(d, "process tree (NT_CR_TREE): %s -> %s", ha ? "present" : "absent",
		       hb ? "present" : "absent");
	for (i = 0; i < ta.nr; i++) {
		const struct cr_proc *x = &ta.proc[i], *y;
		char sa[64], sb[64];

		j = tree_find(&tb, x->pid);
		if (j < 0) {
			differ(d, "process %d: only in A", x->pid);
			continue;
		}
		y = &tb.proc[j];
		if (ppid(&ta, i) != ppid(&tb, j))
			differ(d, "process %d: parent %d -> %d", x->pid, ppid(&ta, i),
			       ppid(&tb, j));
		if (x->pgid != y->pgid || x->sid != y->sid)
			differ(d, "process %d: process group %d, session %d -> %d, %d", x->pid,
			       x->pgid, x->sid, y->pgid, y->sid);
		if (x->exit_signal != y->exit_signal || x->pdeath_signal != y->pdeath_signal)
			differ(d, "process %d: exit signal %d, parent death signal %d -> %d, %d",
			       x->pid, x->exit_signal, x->pdeath_signal, y->exit_signal,
			       y->pdeath_signal);
		if ((x->flags & CR_PROC_ZOMBIE) != (y->flags & CR_PROC_ZOMBIE) ||
		    ((x->flags & CR_PROC_ZOMBIE) && x->exit_code != y->exit_code)) {
			if (x->flags & CR_PROC_ZOMBIE)
				wait_status_string(x->exit_code, sa, sizeof(sa));
			if (y->flags & CR_PROC_ZOMBIE)
				wait_status_string(y->exit_code, sb, sizeof(sb));
			differ(d, "process %d: %s%s -> %s%s", x->pid,
			       x->flags & CR_PROC_ZOMBIE ? "zombie, " : "live",
			       x->flags & CR_PROC_ZOMBIE ? sa : "",
			       y->flags & CR_PROC_ZOMBIE ? "zombie, " : "live",
			       y->flags & CR_PROC_ZOMBIE ? sb : "");
		}
		if ((x->flags & ~CR_PROC_ZOMBIE) != (y->flags & ~CR_PROC_ZOMBIE))
			differ(d, "process %d: flags %#x -> %#x", x->pid, x->flags, y->flags);
		if (x->nr_threads != y->nr_threads)
			differ(d, "process %d: threads %u -> %u", x->pid, x->nr_threads,
			       y->nr_threads);
		if (i && j)
			diff_nested(d, a, &ta, i, b, &tb, j);
	}
	for (j = 0; (unsigned int)j < tb.nr; j++)
		if (tree_find(&ta, tb.proc[j].pid) < 0)
			differ(d, "process %d: only in B", tb.proc[j].pid);
	tree_free(&ta);
	tree_free(&tb);
}

/* The pipes of a root's NT_CR_PIPES that fit in it, and its data area. */
static const unsigned char *pipes(const struct image *img, uint32_t *nr,
				  const unsigned char **data, uint64_t *len)
{
	const struct cr_note *n = nth_note(img, true, NT_CR_PIPES, 0);
	struct cr_hdr_pipes h;
	uint64_t size;

	*nr = 0;
	if (!n || n->size < sizeof(h))
		return NULL;
	memcpy(&h, n->desc, sizeof(h));
	size = sizeof(h) + (uint64_t)h.nr_pipes * sizeof(struct cr_pipe) +
	       (uint64_t)h.nr_files * sizeof(struct cr_pipe_file);
	if (size > n->size)
		return NULL;
	*nr = h.nr_pipes;
	*data = n->desc + size;
	*len = n->size - size;
	return n->desc + sizeof(h);
}

static const unsigned char *sockets(const struct image *img, uint32_t *nr)
{
	const struct cr_note *n = nth_note(img, true, NT_CR_SOCKETS, 0);
	struct cr_hdr_sockets h;

	*nr = 0;
	if (!n || n->size < sizeof(h))
		return NULL;
	memcpy(&h, n->desc, sizeof(h));
	if (sizeof(h) + (uint64_t)h.nr_sockets * sizeof(struct cr_socket) > n->size)
		return NULL;
	*nr = h.nr_sockets;
	return n->desc + sizeof(h);
}

/* The pty pairs of a root's NT_CR_TTYS that fit in it. */
static const unsigned char *ttys(const struct image *img, uint32_t *nr)
{
	const struct cr_note *n = nth_note(img, true, NT_CR_TTYS, 0);
	struct cr_hdr_ttys h;

	*nr = 0;
	if (!n || n->size < sizeof(h))
		return NULL;
	memcpy(&h, n->desc, sizeof(h));
	if (sizeof(h) + (uint64_t)h.nr_ttys * sizeof(struct cr_tty) > n->size)
		return NULL;
	*nr = h.nr_ttys;
	return n->desc + sizeof(h);
}

/* What a pipe is: "pipe", or "FIFO PATH" (its path when it lies in the data area). */
static void pipe_what(const struct cr_pipe *p, const unsigned char *data, uint64_t len,
		      char *buf, size_t size)
{
	const char *path = NULL;

	if (p->path_len && p->path_off <= len && p->path_len <= len - p->path_off) {
		path = (const char *)data + p->path_off;
		if (memchr(path, '\0', p->path_len) != path + p->path_len - 1)
			path = NULL;
	}
	if (!(p->flags & CR_PIPE_FIFO))
		snprintf(buf, size, "pipe");
	else
		snprintf(buf, size, "FIFO %s", path ?: "(invalid path)");
}

/* The pipes and socket pairs of two trees: counts, queued bytes and messages. */
static void diff_objs(struct diff *d, const struct image *a, const struct image *b)
{
	const unsigned char *pa, *pb, *sa, *sb, *da = NULL, *db = NULL;
	char wx[PATH_MAX + 16], wy[PATH_MAX + 16];
	uint64_t la = 0, lb = 0;
	uint32_t na, nb, i;

	pa = pipes(a, &na, &da, &la);
	pb = pipes(b, &nb, &db, &lb);
	if (na != nb)
		differ(d, "pipes: %u -> %u", na, nb);
	for (i = 0; pa && pb && i < na && i < nb; i++) {
		struct cr_pipe x, y;
		bool same;

		memcpy(&x, pa + (uint64_t)i * sizeof(x), sizeof(x));
		memcpy(&y, pb + (uint64_t)i * sizeof(y), sizeof(y));
		same = x.data_len == y.data_len && x.data_off <= la && x.data_len <= la - x.data_off &&
		       y.data_off <= lb && y.data_len <= lb - y.data_off &&
		       !memcmp(da + x.data_off, db + y.data_off, x.data_len);
		if (x.size != y.size || !same)
			differ(d, "pipe %u: capacity %u, %llu bytes queued -> capacity %u, %llu bytes queued%s",
			       i, x.size, (unsigned long long)x.data_len, y.size,
			       (unsigned long long)y.data_len,
			       x.data_len == y.data_len && x.size == y.size ? " (other bytes)" : "");
		pipe_what(&x, da, la, wx, sizeof(wx));
		pipe_what(&y, db, lb, wy, sizeof(wy));
		if (strcmp(wx, wy))
			differ(d, "pipe %u: %s -> %s", i, wx, wy);
	}
	sa = sockets(a, &na);
	sb = sockets(b, &nb);
	if (na != nb)
		differ(d, "sockets: %u -> %u", na, nb);
	for (i = 0; sa && sb && i < na && i < nb; i++) {
		struct cr_socket x, y;

		memcpy(&x, sa + (uint64_t)i * sizeof(x), sizeof(x));
		memcpy(&y, sb + (uint64_t)i * sizeof(y), sizeof(y));
		if (x.type != y.type || x.nr_msgs != y.nr_msgs || x.data_len != y.data_len ||
		    x.shutdown != y.shutdown)
			differ(d, "socket %u: %u messages (%llu bytes), shutdown %u -> %u messages (%llu bytes), shutdown %u",
			       i, x.nr_msgs, (unsigned long long)x.data_len, x.shutdown,
			       y.nr_msgs, (unsigned long long)y.data_len, y.shutdown);
		if (unix_addrs_differ(x.name, x.name_len, y.name, y.name_len, wx, wy))
			differ(d, "socket %u: name %s -> %s", i, wx, wy);
		if (x.opts != y.opts || x.rcvbuf != y.rcvbuf || x.sndbuf != y.sndbuf ||
		    x.rcvtimeo_us != y.rcvtimeo_us || x.sndtimeo_us != y.sndtimeo_us) {
			unix_flags_string(x.opts, wx, sizeof(wx));
			unix_flags_string(y.opts, wy, sizeof(wy));
			differ(d, "socket %u: options %s rcvbuf %d sndbuf %d timeouts %llu/%llu us -> %s rcvbuf %d sndbuf %d timeouts %llu/%llu us",
			       i, wx, x.rcvbuf, x.sndbuf, (unsigned long long)x.rcvtimeo_us,
			       (unsigned long long)x.sndtimeo_us, wy, y.rcvbuf, y.sndbuf,
			       (unsigned long long)y.rcvtimeo_us, (unsigned long long)y.sndtimeo_us);
		}
	}
	sa = ttys(a, &na);
	sb = ttys(b, &nb);
	if (na != nb)
		differ(d, "ptys: %u -> %u", na, nb);
	for (i = 0; sa && sb && i < na && i < nb; i++) {
		struct cr_tty x, y;

		memcpy(&x, sa + (uint64_t)i * sizeof(x), sizeof(x));
		memcpy(&y, sb + (uint64_t)i * sizeof(y), sizeof(y));
		if (x.sid != y.sid || x.pgrp != y.pgrp)
			differ(d, "pty %u: session %d, foreground group %d -> session %d, foreground group %d",
			       i, x.sid, x.pgrp, y.sid, y.pgrp);
		if (x.ws_row != y.ws_row || x.ws_col != y.ws_col)
			differ(d, "pty %u: %ux%u -> %ux%u", i, x.ws_col, x.ws_row, y.ws_col, y.ws_row);
		if (x.iflag != y.iflag || x.oflag != y.oflag || x.cflag != y.cflag ||
		    x.lflag != y.lflag || memcmp(x.cc, y.cc, sizeof(x.cc)) || x.flags != y.flags)
			differ(d, "pty %u: termios or lock changed", i);
	}
}

/**
 * diff_images - print what changed from image @a to image @b
 * @a: the older image, container valid
 * @b: the newer one
 *
 * Return: the number of differences.
 */
unsigned int diff_images(const struct image *a, const struct image *b)
{
	struct diff d = {};

	if (a->hdr.nr_threads != b->hdr.nr_threads)
		differ(&d, "threads: %u -> %u", a->hdr.nr_threads, b->hdr.nr_threads);
	diff_one(&d, a, b);
	diff_objs(&d, a, b);
	diff_trees(&d, a, b);
	return d.count;
}
