/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crcore: read, check and convert checkpoint images from userspace.
 *
 * The image format is include/uapi/linux/cr.h; the rules an image must
 * follow are those of the kernel's restore side: those of
 * <linux/cr_rules.h> are compiled in from kernel/cr/rules.c and
 * arch/x86/cr/rules.c, the others check.c writes after the kernel's
 * cr_restore_*_prepare() functions.
 */
#ifndef CRCORE_H
#define CRCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <gelf.h>
#include <netinet/in.h>
#include <linux/cr.h>

/* As the kernel (and tools/include) spells them. */
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT_ULL(n)		(1ULL << (n))

/*
 * Constants of the restoring kernel (x86-64, 4-level page tables) that
 * the rules use: its PAGE_SHIFT, TASK_SIZE_MAX and PID_MAX_LIMIT.
 */
#define CR_PAGE_SHIFT		12
#define CR_PAGE_SIZE		BIT_ULL(CR_PAGE_SHIFT)
#define CR_TASK_SIZE_MAX	(BIT_ULL(47) - CR_PAGE_SIZE)
#define CR_PID_MAX_LIMIT	(4U * 1024 * 1024)
#define CR_NOTE_ALIGN		4

/* Note types of the standard core notes that images carry. */
#define CR_NT_PRSTATUS		1
#define CR_NT_PRFPREG		2
#define CR_NT_PRPSINFO		3
#define CR_NT_AUXV		6
#define CR_NT_SIGINFO		0x53494749
#define CR_NT_FILE		0x46494c45
#define CR_NT_X86_XSTATE	0x202

/* Sizes of the standard notes, as x86-64 binfmt_elf writes them. */
#define CR_PRSTATUS_SIZE	336
#define CR_PRSTATUS_REGS	112	/* offset of pr_reg */
#define CR_PRPSINFO_SIZE	136
#define CR_SIGINFO_SIZE		128

/* Problems reported per part of an image before "... more" (check). */
#define CR_MAX_REPORT		10

/*
 * One note of the note segment, as the kernel's (<linux/cr.h>): the rules
 * (<linux/cr_rules.h>) fill and read the fields the two share.
 */
struct cr_note {
	uint32_t type;
	uint32_t size;
	bool ours;			/* owner is CR_NOTE_NAME */
	const char *owner;		/* NUL-terminated, or "" */
	const unsigned char *desc;	/* unaligned: copy before use */
	uint64_t offset;		/* of its header, in the image (from its base) */
};

/*
 * Where problems go: printed as "crcore: PATH: problem [ERRNO]" to @out,
 * or, with @out NULL, kept in @lines (for "show").
 */
struct report {
	const char *path;
	FILE *out;
	const char *prefix;		/* before each problem: "process 101: " */
	unsigned int count;
	char **lines;
	unsigned int nr_lines;
};

/*
 * An open image: the file mapped privately, read through libelf. The
 * image of a process of a tree other than the root (a PT_CR_PROCESS
 * segment of the root's image) is opened with image_open_at(): it has a
 * private mapping of its own, from @base in the file, and @size is the
 * segment's; every offset in it is relative to @base, as in the kernel.
 */
struct image {
	const char *path;
	struct report *rep;
	int fd;				/* -1 for a nested image: the root's */
	unsigned char *map;		/* the image: the file at @base */
	void *mapping;			/* what to unmap */
	size_t mapping_len;
	uint64_t base;			/* 0 for the root, else its segment's p_offset */
	bool nested;			/* opened with image_open_at() */
	uint64_t size;
	struct stat st;			/* of the file */
	Elf *elf;
	GElf_Ehdr ehdr;
	unsigned int phnum;
	GElf_Phdr *phdrs;
	unsigned int nr_loads;		/* the headers before the first PT_CR_PROCESS */
	const unsigned char *notes;
	uint64_t notes_len;
	struct cr_note *note;
	unsigned int nr_notes;
	struct cr_hdr_image hdr;
	/* How far the image got through the container checks: */
	bool recognized;	/* ELF core, first note LINUXCR/NT_CR_HEADER */
	bool segments_ok;	/* program headers and segments valid */
	bool notes_ok;		/* the notes parse: @note is filled in */
	bool hdr_read;		/* NT_CR_HEADER has its size, magic, version */
	bool hdr_ok;		/* and all of it is valid, machine included */
};

/*
 * NT_CR_TREE as the image has it, when the note's size is that of its
 * nr_procs entries (at most CR_MAX_PROCESSES); the entries are not checked.
 */
struct tree {
	unsigned int nr;
	uint32_t pad;
	struct cr_proc *proc;
};

/* Pages of a descendant found where its parent's image has them. */
struct page_src {
	uint64_t start;
	uint64_t nr_pages;
	uint64_t pos;			/* in the file */
};

/* Where the pages of one process are (image.c, pagemap_*()). */
struct pagemap {
	uint64_t base;			/* its image's, in the file */
	unsigned int nr_segs;		/* PT_LOAD segments... */
	GElf_Phdr *seg;			/* ...copied */
	struct cr_vma *vma;		/* NT_CR_VMAS, or NULL */
	struct cr_page_run *run;	/* NT_CR_PAGES, when sound */
	uint64_t nr_runs;
	struct cr_page_run *prun;	/* NT_CR_PARENT_PAGES, when sound */
	uint64_t nr_pruns;
	struct page_src *src;		/* where @prun's data is */
	uint64_t nr_src;
	bool resolved;			/* @src found for every @prun */
};

/* crcore.c */
__printf(3, 4)
void problem(struct report *rep, const char *err, const char *fmt, ...);
void report_free(struct report *rep);
int rule(struct report *rep, int ret);

/* image.c */
int image_open(struct image *img, const char *path, struct report *rep);
int image_open_at(struct image *img, const struct image *root, unsigned int seg,
		  struct report *rep);
void image_close(struct image *img);
const struct cr_note *image_find_note(const struct image *img, bool ours,
				      uint32_t type);
bool image_in_file(const struct image *img, uint64_t off, uint64_t len);
int tree_read(const struct image *img, struct tree *t);
void tree_free(struct tree *t);
bool creds_read(const struct image *img, struct cr_hdr_creds *h, const unsigned char **groups,
		uint32_t *nr);
bool creds_read_note(const struct cr_note *note, size_t skip, struct cr_hdr_creds *h,
		     const unsigned char **groups, uint32_t *nr);
int tree_find(const struct tree *t, int32_t pid);
bool tree_segment(const struct image *root, const struct tree *t, unsigned int i);
int pagemap_read(struct pagemap *m, const struct image *img);
int64_t pagemap_stored(const struct pagemap *m, uint64_t addr, uint64_t end,
		       uint64_t *avail);
int pagemap_resolve(struct pagemap *m, const struct pagemap *parent, uint64_t *missing);
int64_t pagemap_find(const struct pagemap *m, uint64_t addr, uint64_t *avail);
void pagemap_free(struct pagemap *m);

/* check.c */
int check_image(struct image *img, struct report *rep);
void check_list_skipped(FILE *f);
bool tree_leaderless(const struct cr_proc *procs, unsigned int nr, int32_t id);

/* show.c */
int show_image(struct image *img, const struct report *rep, bool json);

/* diff.c */
unsigned int diff_images(const struct image *a, const struct image *b);

/* run.c: checkpoint and restore */
int run_checkpoint(int argc, char **argv);
int run_restore(int argc, char **argv);
int run_helper(int argc, char **argv);
bool is_image(const char *path);

/* extract.c */
int extract_image(struct image *img, const char *out);
int extract_process(struct image *root, int32_t pid, const char *out);

/* names.c: names of values, for show */
const char *signal_name(unsigned int sig, char *buf, size_t len);
void wait_status_string(int32_t code, char *buf, size_t len);
const char *rlimit_name(unsigned int i);
const char *fd_kind_name(uint32_t kind);
const char *itimer_name(unsigned int i);
const char *sched_policy_name(uint32_t policy);
/* Room for any list of CPUs cpus_string() writes ("0,2,...", "0-1,3-4,...") */
#define CPUS_STRING_SIZE	4096
void cpus_string(const struct cr_sched *s, char *buf, size_t size);
void mm_flags_string(uint32_t flags, char *buf, size_t size);
const char *lock_kind_name(uint32_t kind);
const char *lease_break_name(uint32_t flags);
void thread_prctl_string(uint32_t flags, uint32_t spec, char *buf, size_t len);
const char *sigev_notify_name(int32_t notify);
const char *vma_advice_name(uint32_t flag);
const char *vma_kind_name(uint32_t kind);
const char *clock_name(int32_t id);
void open_flags_string(uint32_t flags, char *buf, size_t len);
void sa_flags_string(uint64_t flags, char *buf, size_t len);
void sigset_string(uint64_t set, char *buf, size_t len);
void xfeatures_string(uint64_t features, char *buf, size_t len);
void epoll_events_string(uint32_t events, bool brief, char *buf, size_t len);
void inet_flags_string(uint32_t flags, char *buf, size_t len);
void sock_opts_string(const struct cr_sock_opts *o, char *buf, size_t len);
void tcp_options_string(uint32_t options, char *buf, size_t len);
const char *inet_state_name(uint32_t state);
const char *inet_pmtudisc_name(uint32_t pmtudisc);
const char *inet_proto_name(uint32_t family, uint32_t protocol);
void inet_addr_string(const struct cr_inet *in, const uint8_t *addr, char *buf, size_t len);
void inet_endpoint_string(const struct cr_inet *in, const uint8_t *addr, uint16_t port,
			  char *buf, size_t len);
const char *sock_type_name(uint32_t type);
void unix_flags_string(uint32_t flags, char *buf, size_t len);
const char *unix_state_name(uint32_t state);
size_t unix_addr_bytes(const char *addr, uint16_t addr_len, char *buf, size_t len);
void unix_addr_string(const char *addr, uint16_t addr_len, char *buf, size_t len);
const char *fown_type_name(uint32_t type);
/* Room for any text fown_string() writes */
#define FOWN_STRING_SIZE	96
void fown_string(const struct cr_fown *o, char *buf, size_t len);
const char *cap_name(unsigned int cap, char *buf, size_t len);
/* Capabilities caps_string() names, of a set or missing from the full set */
#define CAPS_NAMED		6
/* Room for any text caps_string() writes */
#define CAPS_STRING_SIZE	256
void caps_string(uint64_t set, char *buf, size_t len);
void securebits_string(uint32_t bits, char *buf, size_t len);
/* Groups groups_string() lists before " ... N more" */
#define GROUPS_SHOWN		32
/* Room for any text groups_string() writes */
#define GROUPS_STRING_SIZE	(GROUPS_SHOWN * 11 + 32)
void groups_string(const unsigned char *groups, uint32_t nr, char *buf, size_t len);

/* Little helpers for unaligned reads out of an image. */
static inline uint64_t get_u64(const void *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t get_u32(const void *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* Does a descriptor of @kind keep its state in the data area? */
static inline bool fd_has_state(uint32_t kind)
{
	return kind == CR_FD_EVENTFD || kind == CR_FD_SIGNALFD || kind == CR_FD_TIMERFD ||
	       kind == CR_FD_EPOLL || kind == CR_FD_MEMFD || kind == CR_FD_INET ||
	       kind == CR_FD_UNIX || kind == CR_FD_INOTIFY || kind == CR_FD_MQUEUE ||
	       kind == CR_FD_NETLINK || kind == CR_FD_PIDFD || kind == CR_FD_PACKET ||
	       kind == CR_FD_FANOTIFY;
}

/**
 * fd_state - the state of an event file, memfd or socket descriptor
 * @e: the descriptor, of NT_CR_FILES
 * @data: the note's data area, after the descriptors
 * @len: its size
 * @nr: set to how many targets an epoll lists, else 1
 *
 * Only the bounds are checked here, not the rules ("check" has those):
 * the state must lie in the data area, its size that of its kind (for an
 * epoll, whole struct cr_epoll_target; a memfd's contents follow it, a
 * TCP connection's queues or a UDP socket's datagrams follow its struct
 * cr_inet, a unix datagram socket's messages its struct cr_unix).
 *
 * Return: the state (unaligned: copy it before use), or NULL when @e is
 * of another kind or its state is not in the data area as it should be.
 */
static inline const unsigned char *fd_state(const struct cr_fd *e, const void *data,
					    uint64_t len, uint64_t *nr)
{
	uint64_t size;

	*nr = 0;
	switch (e->kind) {
	case CR_FD_EVENTFD:
		size = sizeof(struct cr_eventfd);
		break;
	case CR_FD_SIGNALFD:
		size = sizeof(struct cr_signalfd);
		break;
	case CR_FD_TIMERFD:
		size = sizeof(struct cr_timerfd);
		break;
	case CR_FD_PIDFD:
		size = sizeof(struct cr_pidfd);
		break;
	case CR_FD_EPOLL:
		size = sizeof(struct cr_epoll_target);
		break;
	case CR_FD_MEMFD:	/* and its contents after it */
		size = sizeof(struct cr_memfd);
		break;
	case CR_FD_INET:	/* and a connection's queues or datagrams after it */
		size = sizeof(struct cr_inet);
		break;
	case CR_FD_UNIX:	/* and a datagram socket's messages after it */
		size = sizeof(struct cr_unix);
		break;
	case CR_FD_INOTIFY:	/* and its watches after it */
		size = sizeof(struct cr_inotify);
		break;
	case CR_FD_MQUEUE:	/* and its messages after it */
		size = sizeof(struct cr_mqueue);
		break;
	case CR_FD_NETLINK:	/* and its messages after it */
		size = sizeof(struct cr_netlink);
		break;
	case CR_FD_PACKET:	/* and its memberships and packets after it */
		size = sizeof(struct cr_packet);
		break;
	case CR_FD_FANOTIFY:	/* and its marks and events after it */
		size = sizeof(struct cr_fanotify);
		break;
	default:
		return NULL;
	}
	if (e->data_off > len || e->data_len > len - e->data_off)
		return NULL;
	if (e->kind == CR_FD_EPOLL ? e->data_len % size :
	    e->kind == CR_FD_MEMFD || e->kind == CR_FD_INET || e->kind == CR_FD_INOTIFY ||
	    e->kind == CR_FD_MQUEUE || e->kind == CR_FD_UNIX || e->kind == CR_FD_NETLINK ||
	    e->kind == CR_FD_PACKET || e->kind == CR_FD_FANOTIFY ?
	    e->data_len < size :
	    e->data_len != size)
		return NULL;
	*nr = e->kind == CR_FD_EPOLL ? e->data_len / size : 1;
	return (const unsigned char *)data + e->data_off;
}

/**
 * inotify_watch - the next watch of an inotify state, as far as it holds it
 * @p: the state, as fd_state() found it
 * @len: its size
 * @off: where the watch starts, after the struct cr_inotify first; moved on
 * @w: filled with the watch
 *
 * Return: its path (terminated within the state), or NULL when the state
 * ends before.
 */
static inline const char *inotify_watch(const unsigned char *p, uint64_t len, uint64_t *off,
					struct cr_inotify_watch *w)
{
	const char *path;

	if (*off > len || len - *off < sizeof(*w))
		return NULL;
	memcpy(w, p + *off, sizeof(*w));
	path = (const char *)p + *off + sizeof(*w);
	if (!w->path_len || len - *off - sizeof(*w) < w->path_len || path[w->path_len - 1])
		return NULL;
	*off += sizeof(*w) + ((w->path_len + 7) & ~7ULL);
	return path;
}

/*
 * The next event of an inotify state, after its watches, as far as it
 * holds it: like inotify_watch(); its name, "" for none.
 */
static inline const char *inotify_event(const unsigned char *p, uint64_t len, uint64_t *off,
					struct cr_inotify_event *ev)
{
	const char *name;

	if (*off > len || len - *off < sizeof(*ev))
		return NULL;
	memcpy(ev, p + *off, sizeof(*ev));
	name = (const char *)p + *off + sizeof(*ev);
	if (len - *off - sizeof(*ev) < ev->name_len || (ev->name_len && name[ev->name_len - 1]))
		return NULL;
	*off += sizeof(*ev) + ((ev->name_len + 7) & ~7ULL);
	return ev->name_len ? name : "";
}

/*
 * The next mark of a fanotify state, after its struct cr_fanotify, as far
 * as it holds it: like inotify_watch(); its path.
 */
static inline const char *fanotify_mark(const unsigned char *p, uint64_t len, uint64_t *off,
					struct cr_fanotify_mark *m)
{
	const char *path;

	if (*off > len || len - *off < sizeof(*m))
		return NULL;
	memcpy(m, p + *off, sizeof(*m));
	path = (const char *)p + *off + sizeof(*m);
	if (!m->path_len || len - *off - sizeof(*m) < m->path_len || path[m->path_len - 1])
		return NULL;
	*off += sizeof(*m) + ((m->path_len + 7) & ~7ULL);
	return path;
}

/*
 * The next event of a fanotify state, after its marks, as far as it
 * holds it: like inotify_watch(); its path, "" for the overflow event.
 */
static inline const char *fanotify_event(const unsigned char *p, uint64_t len, uint64_t *off,
					 struct cr_fanotify_event *ev)
{
	const char *path;

	if (*off > len || len - *off < sizeof(*ev))
		return NULL;
	memcpy(ev, p + *off, sizeof(*ev));
	path = (const char *)p + *off + sizeof(*ev);
	if (len - *off - sizeof(*ev) < ev->path_len || (ev->path_len && path[ev->path_len - 1]))
		return NULL;
	*off += sizeof(*ev) + ((ev->path_len + 7) & ~7ULL);
	return ev->path_len ? path : "";
}

/*
 * The next message of a message queue's state, after its struct
 * cr_mqueue, as far as it holds it: like inotify_watch(); its text.
 */
static inline const unsigned char *mq_msg(const unsigned char *p, uint64_t len, uint64_t *off,
					  struct cr_mq_msg *m)
{
	if (*off > len || len - *off < sizeof(*m))
		return NULL;
	memcpy(m, p + *off, sizeof(*m));
	if (len - *off - sizeof(*m) < m->len)
		return NULL;
	*off += sizeof(*m) + ((m->len + 7ULL) & ~7ULL);
	return p + *off - ((m->len + 7ULL) & ~7ULL);
}

/* A UDP or UDP-Lite socket: @in->udp is its union member. */
static inline bool inet_udp(const struct cr_inet *in)
{
	return in->protocol == IPPROTO_UDP || in->protocol == IPPROTO_UDPLITE;
}

/*
 * The queues after the struct cr_inet @in of a TCP socket's descriptor
 * @e, whose state fd_state() found at @p: @in->tcp.recv_len bytes
 * received, then @in->tcp.send_len to send. NULL when they do not fit in
 * its data. (A UDP socket's @in->udp is not a struct cr_tcp: see
 * inet_dgrams().)
 */
static inline const unsigned char *inet_queues(const struct cr_fd *e, const unsigned char *p,
					       const struct cr_inet *in)
{
	if (e->data_len - sizeof(*in) < (uint64_t)in->tcp.recv_len + in->tcp.send_len)
		return NULL;
	return p + sizeof(*in);
}

/*
 * The multicast groups of a UDP socket (@in->udp.nr_groups struct
 * cr_udp_group after its datagrams, then their source filters), or NULL
 * when they do not fit in the descriptor's data.
 */
static inline const unsigned char *inet_groups(const struct cr_fd *e, const unsigned char *p,
					       const struct cr_inet *in)
{
	uint64_t need = (uint64_t)in->udp.data_len +
			(uint64_t)in->udp.nr_groups * sizeof(struct cr_udp_group) +
			in->udp.sources_len;

	if (e->data_len < sizeof(*in) || e->data_len - sizeof(*in) < need)
		return NULL;
	return p + sizeof(*in) + in->udp.data_len;
}

/*
 * The source filter of the group @gr of a UDP socket, at *@src (moved
 * past it) with *@left bytes of filters left: its struct cr_udp_sources
 * into @h and its addresses returned, or NULL (h->nr 0) for a group
 * without one or a filter that does not fit.
 */
static inline const unsigned char *inet_group_sources(const struct cr_udp_group *gr,
						      const unsigned char **src, uint64_t *left,
						      struct cr_udp_sources *h)
{
	const unsigned char *a;

	memset(h, 0, sizeof(*h));
	if (!(gr->flags & CR_UDP_GROUP_SOURCES) || *left < sizeof(*h))
		return NULL;
	memcpy(h, *src, sizeof(*h));
	if (*left - sizeof(*h) < (uint64_t)h->nr * 16) {
		*left = 0;
		h->nr = 0;
		return NULL;
	}
	a = *src + sizeof(*h);
	*src = a + (uint64_t)h->nr * 16;
	*left -= sizeof(*h) + (uint64_t)h->nr * 16;
	return a;
}

/**
 * inet_pending - the next connection a TCP listener has not accepted yet
 * @e: the listener's descriptor
 * @p: its state, as fd_state() found it
 * @in: its struct cr_inet, copied from @p (CR_INET_LISTEN over TCP)
 * @off: the offset of the next record after the structure, 0 at first;
 *	moved past it
 * @c: set to that connection's struct cr_inet
 *
 * Only the bounds are checked (against @in->listen.pending_len and the
 * descriptor's data), not the rules ("check" has those).
 *
 * Return: the connection's queues (@c->tcp.recv_len bytes to read, then
 * @c->tcp.send_len to send), or NULL past the last one that fits.
 */
static inline const unsigned char *inet_pending(const struct cr_fd *e, const unsigned char *p,
						const struct cr_inet *in, uint64_t *off,
						struct cr_inet *c)
{
	uint64_t len = in->listen.pending_len, n;

	if (e->data_len - sizeof(*in) < len)
		len = e->data_len - sizeof(*in);
	if (len < sizeof(*c) || *off > len - sizeof(*c))
		return NULL;
	memcpy(c, p + sizeof(*in) + *off, sizeof(*c));
	n = sizeof(*c) + (uint64_t)c->tcp.recv_len + c->tcp.send_len;
	if (n > len - *off)
		return NULL;
	*off += (n + 7) & ~7ULL;
	return p + sizeof(*in) + *off - ((n + 7) & ~7ULL) + sizeof(*c);
}

/* What inet_dgrams() calls for each datagram: its record, copied, and its bytes. */
typedef void (*inet_dgram_fn)(void *arg, const struct cr_inet *in, const struct cr_udp_dgram *g,
			      const unsigned char *data);

/**
 * inet_dgrams - the datagrams queued on a UDP socket
 * @e: its descriptor
 * @p: its state, as fd_state() found it
 * @in: its struct cr_inet, copied from @p (of a UDP socket: the caller
 *	checks its protocol)
 * @max: @fn is called for the first @max datagrams at most
 * @fn: called for each of those; may be NULL
 * @arg: for @fn
 * @bytes: set to the bytes of the datagrams walked (their lengths, not
 *	their records' size)
 *
 * Walks the records after the structure, @in->udp.nr_dgrams at most,
 * while each (a struct cr_udp_dgram, its bytes, padding to 4 bytes) lies
 * inside both @in->udp.data_len and the descriptor's data; only the
 * bounds are checked, not the rules ("check" has those).
 *
 * Return: the number of datagrams walked (@in->udp.nr_dgrams when every
 * record lies inside the data).
 */
static inline uint32_t inet_dgrams(const struct cr_fd *e, const unsigned char *p,
				   const struct cr_inet *in, uint32_t max, inet_dgram_fn fn,
				   void *arg, uint64_t *bytes)
{
	uint64_t end = e->data_len - sizeof(*in), off = 0;
	struct cr_udp_dgram g;
	uint32_t i;

	*bytes = 0;
	if (end > in->udp.data_len)
		end = in->udp.data_len;
	p += sizeof(*in);
	for (i = 0; i < in->udp.nr_dgrams; i++) {
		if (end - off < sizeof(g))
			break;
		memcpy(&g, p + off, sizeof(g));
		if (g.len > end - off - sizeof(g))
			break;
		if (fn && i < max)
			fn(arg, in, &g, p + off + sizeof(g));
		*bytes += g.len;
		off += (sizeof(g) + (uint64_t)g.len + 3) & ~3ULL;
		if (off > end) {	/* its padding is missing */
			i++;
			break;
		}
	}
	return i;
}

/*
 * The sets of NT_CR_SYSV_SEM (@fn with each set and its values,
 * unaligned) and the queues of NT_CR_SYSV_MSG (@fn with each queue, its
 * messages and their size in bytes), as far as the notes hold them whole.
 * Return: how many.
 */
typedef void (*sysv_sem_fn)(void *arg, const struct cr_sysv_sem *e, const unsigned char *vals);
typedef void (*sysv_msq_fn)(void *arg, const struct cr_sysv_msq *q, const unsigned char *msgs,
			    uint64_t len);

static inline unsigned int sysv_sem_each(const struct image *img, sysv_sem_fn fn, void *arg)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_SYSV_SEM);
	const unsigned char *p = n ? n->desc : NULL;
	uint64_t off = 0, size = n ? n->size : 0;
	unsigned int nr = 0;

	while (size - off >= sizeof(struct cr_sysv_sem)) {
		struct cr_sysv_sem e;
		uint64_t len;

		memcpy(&e, p + off, sizeof(e));
		len = sizeof(e) + ((e.nsems * 2ULL + 7) & ~7ULL);
		if (size - off < len)
			break;
		if (fn)
			fn(arg, &e, p + off + sizeof(e));
		off += len;
		nr++;
	}
	return nr;
}

static inline unsigned int sysv_msq_each(const struct image *img, sysv_msq_fn fn, void *arg)
{
	const struct cr_note *n = image_find_note(img, true, NT_CR_SYSV_MSG);
	const unsigned char *p = n ? n->desc : NULL;
	uint64_t off = 0, size = n ? n->size : 0;
	unsigned int nr = 0;

	while (size - off >= sizeof(struct cr_sysv_msq)) {
		struct cr_sysv_msq q;
		uint64_t len = sizeof(q);
		uint32_t i;

		memcpy(&q, p + off, sizeof(q));
		for (i = 0; i < q.nr_msgs; i++) {
			struct cr_sysv_msg m;

			if (size - off - len < sizeof(m))
				return nr;
			memcpy(&m, p + off + len, sizeof(m));
			if (m.size > size - off - len - sizeof(m))
				return nr;
			len += sizeof(m) + ((m.size + 7) & ~7ULL);
			if (len > size - off)
				return nr;
		}
		if (fn)
			fn(arg, &q, p + off + sizeof(q), len - sizeof(q));
		off += len;
		nr++;
	}
	return nr;
}

#endif /* CRCORE_H */
