// SPDX-License-Identifier: GPL-2.0
/*
 * The rules an image's open files must follow, written once for the
 * kernel and for crcore (<linux/cr_rules.h> says how): the descriptor
 * tables (NT_CR_FILES), the pipes and FIFOs (NT_CR_PIPES), the unix
 * socket pairs (NT_CR_SOCKETS) and the pty pairs (NT_CR_TTYS) of a tree.
 *
 * The pipes, socket pairs and pty pairs are made first, each end a new
 * open file of the tree; then each descriptor names one of them, or a
 * file another descriptor opened, or opens its file by path
 * (cr_rule_fd_file()). The tables of a note are read with memcpy(): a
 * note is only 4-byte aligned.
 */
#include <linux/cr_rules.h>

/**
 * cr_rule_string - a NUL-terminated string of a note's data area
 * @data: the data area
 * @data_len: its size
 * @off: where the string starts
 * @len: its length, with its terminating NUL
 *
 * Return: the string, or NULL when it lies outside the area, is empty or
 * holds a NUL before its end.
 */
const char *cr_rule_string(const char *data, u64 data_len, u32 off, u32 len)
{
	if (!len || off > data_len || len > data_len - off)
		return NULL;
	if (data[off + len - 1] || memchr(data + off, '\0', len - 1))
		return NULL;
	return data + off;
}

/* Descriptors */

/**
 * cr_rule_files - NT_CR_FILES: its header and table
 * @name: the image, for messages
 * @note: the note, or NULL
 * @nr_fds: set to the number of struct cr_fd entries after the header;
 *	the data area follows them
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_files(const char *name, const struct cr_note *note, u32 *nr_fds)
{
	struct cr_hdr_files h;

	if (!note || note->size < sizeof(h)) {
		cr_refuse(name, "NT_CR_FILES note is missing or malformed");
		return -EINVAL;
	}
	memcpy(&h, note->desc, sizeof(h));
	if (h.__pad || h.nr_fds > (note->size - sizeof(h)) / sizeof(struct cr_fd)) {
		cr_refuse(name, "NT_CR_FILES note is missing or malformed: %u descriptors in %u bytes",
			  h.nr_fds, note->size);
		return -EINVAL;
	}
	*nr_fds = h.nr_fds;
	return 0;
}

/* A kind whose file is made from a state in the data area (event files). */
static bool cr_rule_fd_has_state(u32 kind)
{
	return (kind >= CR_FD_EVENTFD && kind <= CR_FD_EPOLL) || kind == CR_FD_INOTIFY ||
	       kind == CR_FD_FANOTIFY;
}

static const char *cr_rule_fd_problem(const struct cr_fd *e, const struct cr_fd *prev,
				      const char *data, u64 data_len)
{
	if ((e->fd < 0) != !!(e->fd_flags & CR_FD_IN_FLIGHT))
		return "a negative number for a descriptor, or another for a file in flight";
	if (prev && e->fd <= prev->fd)
		return "not after the previous one";
	if (e->kind > CR_FD_FANOTIFY)
		return "unknown kind";
	if ((e->fd_flags & CR_FD_IN_FLIGHT) &&
	    ((e->fd_flags & CR_FD_CLOEXEC) || e->kind == CR_FD_INHERIT ||
	     e->kind == CR_FD_EXTERNAL || e->kind == CR_FD_EPOLL || e->kind == CR_FD_MQUEUE ||
	     e->kind == CR_FD_PIDFD))
		return "a file in flight of a kind that only a descriptor completes, or that leads outside";
	if (e->kind == CR_FD_EXTERNAL && !S_ISFIFO(e->mode) && !S_ISSOCK(e->mode) &&
	    !S_ISCHR(e->mode))
		return "an external descriptor of another type than a pipe, socket or device";
	if (e->flags & ~CR_FD_OPEN_FLAGS)
		return "unknown open flags";
	if (e->fd_flags & ~CR_FD_FLAGS)
		return "unknown descriptor flags";
	if (!e->file_id)
		return "no open file id";
	if (e->kind != CR_FD_UNLINKED && e->kind != CR_FD_MEMFD && e->kind != CR_FD_INET &&
	    e->kind != CR_FD_UNIX && e->kind != CR_FD_MQUEUE && e->kind != CR_FD_NETLINK &&
	    e->kind != CR_FD_PIDFD && e->kind != CR_FD_PACKET && !cr_rule_fd_has_state(e->kind) &&
	    (e->data_off || e->data_len))
		return "contents for a file that is not unlinked";
	if (e->path_len && !cr_rule_string(data, data_len, e->path_off, e->path_len))
		return "path outside the data area or not terminated";
	if (e->pos > MAX_LFS_FILESIZE)
		return "offset too large";
	return NULL;
}

/**
 * cr_rule_fd - entry @i of NT_CR_FILES on its own
 * @name: the image, for messages
 * @i: its index
 * @e: the entry
 * @prev: the entry before it, or NULL
 * @data: the note's data area
 * @data_len: its size
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_fd(const char *name, unsigned int i, const struct cr_fd *e,
	       const struct cr_fd *prev, const char *data, u64 data_len)
{
	const char *why = cr_rule_fd_problem(e, prev, data, data_len);

	if (why) {
		cr_refuse(name, "fd entry %u (fd %d) is invalid: %s", i, e->fd, why);
		return -EINVAL;
	}
	return 0;
}

/* The class of the file a descriptor of @kind opens by path. */
static enum cr_file_class cr_rule_fd_class(u32 kind)
{
	switch (kind) {
	case CR_FD_FILE:
	case CR_FD_UNLINKED:
		return CR_FILE_REG;
	case CR_FD_DIR:
		return CR_FILE_DIR;
	case CR_FD_DEV:
		return CR_FILE_CHR;
	case CR_FD_EVENTFD:
		return CR_FILE_EVENTFD;
	case CR_FD_SIGNALFD:
		return CR_FILE_SIGNALFD;
	case CR_FD_TIMERFD:
		return CR_FILE_TIMERFD;
	case CR_FD_EPOLL:
		return CR_FILE_EPOLL;
	case CR_FD_MEMFD:
		return CR_FILE_MEMFD;
	case CR_FD_INET:
		return CR_FILE_INET;
	case CR_FD_UNIX:
		return CR_FILE_UNIX;
	case CR_FD_INOTIFY:
		return CR_FILE_INOTIFY;
	case CR_FD_MQUEUE:
		return CR_FILE_MQUEUE;
	case CR_FD_NETLINK:
		return CR_FILE_NETLINK;
	case CR_FD_PACKET:
		return CR_FILE_PACKET;
	case CR_FD_PIDFD:
		return CR_FILE_PIDFD;
	case CR_FD_FANOTIFY:
		return CR_FILE_FANOTIFY;
	default:
		return CR_FILE_NONE;
	}
}

/* An end of a pipe or a pty pair, by the access mode of @flags. */
static enum cr_file_class cr_rule_end_class(enum cr_file_class base, u32 flags)
{
	return base + (flags & O_ACCMODE);
}

static bool cr_rule_is_end(enum cr_file_class c, enum cr_file_class base)
{
	return c >= base && c < base + 3;
}

/*
 * A descriptor that names an end the notes made: that end, of its access
 * mode.
 */
static int cr_rule_fd_end(const char *name, const struct cr_fd *e, enum cr_file_class have,
			  enum cr_file_class base, const char *what)
{
	if ((e->flags & O_ACCMODE) != O_ACCMODE && have == cr_rule_end_class(base, e->flags))
		return 0;
	if (cr_rule_is_end(have, base))
		cr_refuse(name, "fd %d names no %s end of the tree (open file %u, another access mode)",
			  e->fd, what, e->file_id);
	else
		cr_refuse(name, "fd %d names no %s end of the tree (open file %u, not a %s end)",
			  e->fd, what, e->file_id, what);
	return -EINVAL;
}

/**
 * cr_rule_fd_file - the open file of a descriptor, checked by cr_rule_fd()
 * @name: the image, for messages
 * @e: the entry
 * @have: the class of the tree's open file of id @e->file_id, as the
 *	rules gave it when it was made; CR_FILE_NONE if none was
 * @data: the note's data area
 * @data_len: its size
 * @made: set to the class of the file the descriptor opens by path, for
 *	the caller to open and keep under @e->file_id; CR_FILE_NONE when it
 *	opens none (the caller's, or a file of the tree)
 *
 * A descriptor of kind CR_FD_INHERIT or CR_FD_EXTERNAL is the caller's:
 * whether the caller supplies one only the restoring system can tell.
 * A descriptor of a pipe, a socket pair or a pty pair names an end the
 * notes made, with its access mode; one of another kind that names an
 * open file already made shares it, if of the same kind (and is then not
 * reopened); else it opens its file by its absolute path (an unlinked
 * file: from its contents in the data area). Whether the file is still
 * there and of that kind only the restoring system can tell.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_fd_file(const char *name, const struct cr_fd *e, enum cr_file_class have,
		    const char *data, u64 data_len, enum cr_file_class *made)
{
	*made = CR_FILE_NONE;
	switch (e->kind) {
	case CR_FD_INHERIT:
	case CR_FD_EXTERNAL:
		return 0;
	case CR_FD_SOCKET:
		if (have != CR_FILE_SOCK) {
			cr_refuse(name, "fd %d names no socket of the tree (open file %u)",
				  e->fd, e->file_id);
			return -EINVAL;
		}
		return 0;
	case CR_FD_PIPE:
		return cr_rule_fd_end(name, e, have, CR_FILE_PIPE, "pipe");
	case CR_FD_TTY:
		return cr_rule_fd_end(name, e, have, CR_FILE_TTY, "pty");
	}
	if (cr_rule_fd_has_state(e->kind) && cr_rule_event(name, e, data, data_len))
		return -EINVAL;
	if (e->kind == CR_FD_MEMFD && cr_rule_memfd(name, e, data, data_len))
		return -EINVAL;
	if (e->kind == CR_FD_INET && cr_rule_inet(name, e, data, data_len))
		return -EINVAL;
	if (e->kind == CR_FD_UNIX && cr_rule_unix(name, e, data, data_len))
		return -EINVAL;
	if (e->kind == CR_FD_MQUEUE && cr_rule_mqueue(name, e, data, data_len))
		return -EINVAL;
	if (e->kind == CR_FD_NETLINK && cr_rule_netlink(name, e, data, data_len))
		return -EINVAL;
	if (e->kind == CR_FD_PACKET && cr_rule_packet(name, e, data, data_len))
		return -EINVAL;
	if (e->kind == CR_FD_PIDFD && cr_rule_pidfd(name, e, data, data_len))
		return -EINVAL;
	if (have != CR_FILE_NONE) {
		if (have != cr_rule_fd_class(e->kind)) {
			cr_refuse(name, "fd %d shares an open file of another kind (open file %u)",
				  e->fd, e->file_id);
			return -EINVAL;
		}
		return 0;
	}
	if (cr_rule_fd_has_state(e->kind) || e->kind == CR_FD_MEMFD || e->kind == CR_FD_INET ||
	    e->kind == CR_FD_UNIX || e->kind == CR_FD_MQUEUE || e->kind == CR_FD_NETLINK ||
	    e->kind == CR_FD_PIDFD || e->kind == CR_FD_PACKET) {
		*made = cr_rule_fd_class(e->kind);
		return 0;
	}
	if (!e->path_len || data[e->path_off] != '/') {
		cr_refuse(name, "fd %d has no absolute path", e->fd);
		return -EINVAL;
	}
	if (e->kind == CR_FD_UNLINKED &&
	    (e->data_len > CR_MAX_UNLINKED || e->data_off > data_len ||
	     e->data_len > data_len - e->data_off)) {
		cr_refuse(name, "fd %d: the contents of its unlinked file lie outside the note or exceed %u bytes",
			  e->fd, CR_MAX_UNLINKED);
		return -EINVAL;
	}
	*made = cr_rule_fd_class(e->kind);
	return 0;
}

/* POSIX message queues */

static const char *cr_rule_mqueue_problem(const struct cr_fd *e, const char *data, u64 data_len)
{
	const char *qname = data + e->path_off;
	struct cr_mqueue q;
	struct cr_mq_msg m;
	u64 off;
	u32 i;

	/* "/" and a name of 1 to NAME_MAX bytes, the NUL counted. */
	if (e->path_len < 3 || e->path_len > 255 + 2 || qname[0] != '/' ||
	    memchr(qname + 1, '/', e->path_len - 2))
		return "its name is not \"/\" and 1 to 255 bytes without a slash";
	if ((e->flags & O_ACCMODE) == O_ACCMODE || !S_ISREG(e->mode) || e->pos)
		return "its access mode, type or offset";
	if (e->data_off % 8 || e->data_off > data_len || e->data_len > data_len - e->data_off ||
	    e->data_len < sizeof(q))
		return "its state lies outside the note";
	memcpy(&q, data + e->data_off, sizeof(q));
	if ((q.flags & ~CR_MQUEUE_FLAGS) || (q.mode & ~0777) || q.__pad ||
	    q.maxmsg < 1 || q.maxmsg > CR_MQUEUE_MAXMSG ||
	    q.msgsize < 1 || q.msgsize > CR_MQUEUE_MSGSIZE || q.nr_msgs > q.maxmsg)
		return "its flags, permission bits, sizes or number of messages";
	if (q.notify > CR_MQUEUE_NOTIFY_QUIET ||
	    (q.notify == CR_MQUEUE_NOTIFY_SIGNAL ? q.signo > 64 :
	     q.signo || q.value))
		return "its registration (mq_notify())";
	for (i = 0, off = sizeof(q); i < q.nr_msgs; i++) {
		if (e->data_len - off < sizeof(m))
			return "a message lies outside its state";
		memcpy(&m, data + e->data_off + off, sizeof(m));
		off += sizeof(m);
		if (m.prio >= CR_MQUEUE_PRIO_MAX || m.len > q.msgsize ||
		    e->data_len - off < ALIGN((u64)m.len, 8))
			return "a message has a priority or length out of range, or lies outside";
		off += ALIGN((u64)m.len, 8);
	}
	if (off != e->data_len)
		return "bytes after its last message";
	return NULL;
}

/**
 * cr_rule_mqueue - the state of a message queue descriptor (CR_FD_MQUEUE)
 * @name: the image, for messages
 * @e: the descriptor, checked by cr_rule_fd()
 * @data: the note's data area
 * @data_len: its size
 *
 * Its name, "/" and 1 to NAME_MAX bytes without a slash; its state,
 * 8-byte aligned in the data area, with its attributes within the
 * kernel's hard limits and its messages, each within the queue's
 * message size, no more than the queue holds, filling the rest.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_mqueue(const char *name, const struct cr_fd *e, const char *data, u64 data_len)
{
	const char *why = cr_rule_mqueue_problem(e, data, data_len);

	if (why) {
		cr_refuse(name, "fd %d (open file %u) is an invalid message queue: %s",
			  e->fd, e->file_id, why);
		return -EINVAL;
	}
	return 0;
}

/* memfds */

/**
 * cr_rule_memfd - the state of a memfd descriptor (CR_FD_MEMFD)
 * @name: the image, for messages
 * @e: the descriptor, checked by cr_rule_fd()
 * @data: the note's data area
 * @data_len: its size
 *
 * Its name, "memfd:" and at most 249 bytes; its state, 8-byte aligned in
 * the data area, its contents after it, no more than its size.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_memfd(const char *name, const struct cr_fd *e, const char *data, u64 data_len)
{
	struct cr_memfd m;

	if (!e->path_len || e->path_len > 6 + 249 + 1 ||
	    strncmp(data + e->path_off, "memfd:", 6) || !S_ISREG(e->mode)) {
		cr_refuse(name, "fd %d (open file %u) is an invalid memfd: no memfd name, or not a regular file",
			  e->fd, e->file_id);
		return -EINVAL;
	}
	if (!IS_ALIGNED(e->data_off, 8) || e->data_off > data_len ||
	    e->data_len > data_len - e->data_off || e->data_len < sizeof(m)) {
		cr_refuse(name, "fd %d (open file %u) is an invalid memfd: its state lies outside the note",
			  e->fd, e->file_id);
		return -EINVAL;
	}
	memcpy(&m, data + e->data_off, sizeof(m));
	if (m.data_len != e->data_len - sizeof(m) || m.data_len > m.size ||
	    m.data_len > CR_MAX_UNLINKED || m.size > MAX_LFS_FILESIZE ||
	    (m.seals & ~CR_MEMFD_SEALS) || !m.shm) {
		cr_refuse(name, "fd %d (open file %u) is an invalid memfd: size %llu, %llu bytes of data, seals %#x, object %u",
			  e->fd, e->file_id, (unsigned long long)m.size,
			  (unsigned long long)m.data_len, m.seals, m.shm);
		return -EINVAL;
	}
	return 0;
}

/* TCP and UDP sockets */

static bool cr_rule_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* A multicast group's or source's address of @family, at @a. */
static bool cr_rule_mc_addr(u16 family, const void *p, bool group)
{
	const u8 *a = p;

	if (family == AF_INET)
		return cr_rule_zero(a + 4, 12) && ((a[0] & 0xf0) == 0xe0) == group;
	return (a[0] == 0xff) == group;
}

/*
 * The multicast groups of a UDP socket, at @p after its datagrams, then
 * their source filters (in->udp.sources_len bytes, checked to be there).
 */
static const char *cr_rule_udp_groups_problem(const struct cr_inet *in, const char *p)
{
	const char *src = p + in->udp.nr_groups * sizeof(struct cr_udp_group);
	u64 left = in->udp.sources_len;
	struct cr_udp_sources h;
	struct cr_udp_group g;
	u32 i, k;

	for (i = 0; i < in->udp.nr_groups; i++) {
		memcpy(&g, p + i * sizeof(g), sizeof(g));
		if (g.ifindex < 0 || (g.flags & ~CR_UDP_GROUP_SOURCES) ||
		    (g.family != AF_INET && (g.family != AF_INET6 || in->family != AF_INET6)) ||
		    !cr_rule_mc_addr(g.family, g.addr, true))
			return "an invalid multicast group";
		if (!(g.flags & CR_UDP_GROUP_SOURCES))
			continue;
		if (left < sizeof(h))
			return "multicast source filters that do not match the data after it";
		memcpy(&h, src, sizeof(h));
		src += sizeof(h);
		left -= sizeof(h);
		if ((h.mode != MCAST_INCLUDE && h.mode != MCAST_EXCLUDE) || !h.nr ||
		    h.nr > CR_MAX_UDP_SOURCES)
			return "an invalid multicast source filter";
		if (left < (u64)h.nr * 16)
			return "multicast source filters that do not match the data after it";
		for (k = 0; k < h.nr; k++, src += 16)
			if (!cr_rule_mc_addr(g.family, src, false))
				return "an invalid multicast source";
		left -= (u64)h.nr * 16;
	}
	if (left)
		return "multicast source filters that do not match the data after it";
	return NULL;
}

/*
 * The datagrams of a UDP socket, then its multicast groups, @len bytes at
 * @p after its struct cr_inet.
 */
/* UDP-Lite is saved as UDP is. */
static bool cr_rule_inet_udp(const struct cr_inet *in)
{
	return in->protocol == IPPROTO_UDP || in->protocol == IPPROTO_UDPLITE;
}

static const char *cr_rule_udp_problem(const struct cr_inet *in, const char *p, u64 len)
{
	const struct cr_udp *u = &in->udp;
	size_t alen = in->family == AF_INET ? 4 : 16;
	struct cr_udp_dgram g;
	u64 off = 0, n;
	u32 i;

	if (u->data_len > len)
		return "queued datagrams that do not match the data after it";
	if (u->nr_groups > CR_MAX_UDP_GROUPS ||
	    len - u->data_len != (u64)u->nr_groups * sizeof(struct cr_udp_group) +
				 u->sources_len)
		return "multicast groups that do not match the data after it";
	if ((u->nr_groups || u->sources_len) && cr_rule_udp_groups_problem(in, p + u->data_len))
		return cr_rule_udp_groups_problem(in, p + u->data_len);
	len = u->data_len;

	if ((!(in->flags & CR_UDP_SEND_CSCOV) && u->send_cscov) ||
	    (!(in->flags & CR_UDP_RECV_CSCOV) && u->recv_cscov) ||
	    (u->send_cscov && u->send_cscov < 8) || (u->recv_cscov && u->recv_cscov < 8))
		return "a UDP-Lite checksum coverage under 8, or set without its flag";
	if (!cr_rule_zero(u->__pad, sizeof(u->__pad)) || u->mc_ttl > 255 || u->mc_ifindex < 0 ||
	    (!(in->flags & CR_INET_MC_TTL) && u->mc_ttl) ||
	    (!(in->flags & CR_INET_MC_IF) && (u->mc_ifindex || !cr_rule_zero(u->mc_addr, 4))) ||
	    (in->family == AF_INET6 && !cr_rule_zero(u->mc_addr, 4)))
		return "multicast options out of range, or set without their flag";
	if (u->nr_dgrams > CR_MAX_UDP_DGRAMS ||
	    u->data_len > CR_MAX_UNLINKED || len != u->data_len || !u->nr_dgrams != !len ||
	    (u->nr_dgrams && !(in->flags & CR_INET_BOUND)))
		return "queued datagrams that do not match the data after it";
	for (i = 0; i < u->nr_dgrams; i++) {
		if (len - off < sizeof(g))
			return "a queued datagram outside its data";
		memcpy(&g, p + off, sizeof(g));
		n = ALIGN(sizeof(g) + (u64)g.len, 4);
		if (g.len > 65535 || n > len - off || g.ifindex < 0 ||
		    !cr_rule_zero(g.addr + alen, sizeof(g.addr) - alen) ||
		    !cr_rule_zero(g.dst + alen, sizeof(g.dst) - alen))
			return "an invalid queued datagram";
		off += n;
	}
	return off == len ? NULL : "queued datagrams that do not fill their data";
}

static const char *cr_rule_inet_problem(const struct cr_inet *in, u64 state_len);

/*
 * A TCP listener's connections not accepted yet, @len bytes at @data after
 * its struct cr_inet: each its own struct cr_inet, established (or in
 * CLOSE_WAIT) on its port, and queues.
 */
static const char *cr_rule_tcp_listen_problem(const struct cr_inet *in, const char *data,
					      u64 len)
{
	const struct cr_tcp_listen *l = &in->listen;
	u64 off = 0;
	u32 i;

	if (!cr_rule_zero(l->__pad, sizeof(l->__pad)) || l->nr_pending > CR_MAX_TCP_PENDING ||
	    len != l->pending_len || l->pending_len > CR_MAX_UNLINKED)
		return "connections not accepted yet that do not match the data after it";
	for (i = 0; i < l->nr_pending; i++) {
		struct cr_inet c;
		u64 n;

		if (sizeof(c) > l->pending_len - off)
			return "a connection not accepted yet outside its data";
		memcpy(&c, data + off, sizeof(c));
		n = sizeof(c) + (u64)c.tcp.recv_len + c.tcp.send_len;
		if (c.protocol != IPPROTO_TCP || c.state != CR_INET_CONNECTED ||
		    c.family != in->family || c.src_port != in->src_port ||
		    (c.tcp.options & (CR_TCP_FIN_OUT | CR_TCP_FIN_QUEUED)) ||
		    n > l->pending_len - off || cr_rule_inet_problem(&c, n))
			return "an invalid connection not accepted yet";
		off += ALIGN(n, 8);
	}
	return off == l->pending_len ? NULL :
	       "connections not accepted yet that do not fill their data";
}

static const char *cr_rule_tcp_problem(const struct cr_inet *in, u64 state_len)
{
	const struct cr_tcp *t = &in->tcp;

	if (cr_rule_inet_udp(in))
		return NULL;	/* cr_rule_udp_problem() */
	if (in->protocol == IPPROTO_TCP && in->state == CR_INET_LISTEN)
		return NULL;	/* cr_rule_tcp_listen_problem() */
	if (in->state == CR_INET_CONNECTING)
		return cr_rule_zero(&t->rcv_seq, sizeof(*t) - sizeof(t->snd_seq)) &&
		       state_len == sizeof(*in) && in->src_port ? NULL :
		       "a connection in progress with more than its SYN, or no local port";
	if (in->protocol != IPPROTO_TCP || in->state != CR_INET_CONNECTED)
		return cr_rule_zero(t, sizeof(*t)) && state_len == sizeof(*in) ? NULL :
		       "a connection or queued data for a socket that is not an established TCP one";
	if (t->unsent_len > t->send_len || t->send_len > CR_MAX_UNLINKED ||
	    t->recv_len > CR_MAX_UNLINKED ||
	    state_len != sizeof(*in) + (u64)t->send_len + t->recv_len)
		return "queues that do not match the data after it";
	if ((t->options & ~CR_TCP_OPTIONS) || t->__pad ||
	    (t->options & (CR_TCP_FIN_IN | CR_TCP_FIN_READ)) == CR_TCP_FIN_READ ||
	    ((t->options & CR_TCP_FIN_READ) && t->recv_len) ||
	    ((t->options & CR_TCP_FIN_OUT) &&
	     (t->send_len || (t->options & (CR_TCP_FIN_IN | CR_TCP_FIN_QUEUED)))) ||
	    ((t->options & CR_TCP_CLOSING) &&
	     (t->options & (CR_TCP_FIN_IN | CR_TCP_FIN_QUEUED)) !=
	     (CR_TCP_FIN_IN | CR_TCP_FIN_QUEUED)))
		return "unknown TCP options, FINs that make no TCP state, or an end of file read before data";
	if ((t->options & CR_TCP_WSCALE) ? t->snd_wscale > 14 || t->rcv_wscale > 14 :
	    t->snd_wscale || t->rcv_wscale)
		return "a window scale over 14";
	if (!(t->options & CR_TCP_TIMESTAMPS) && t->timestamp)
		return "a timestamp without the timestamps option";
	/* TCP_MIN_MSS: 88 */
	if (t->mss < 88 || t->mss > 65535)
		return "a segment size out of 88-65535";
	if (t->max_window < t->snd_wnd)
		return "a send window over the largest one";
	if (!in->src_port)
		return "no local port";
	return NULL;
}

static const char *cr_rule_inet_problem(const struct cr_inet *in, u64 state_len)
{
	size_t alen = in->family == AF_INET ? 4 : 16;

	if (in->family != AF_INET && in->family != AF_INET6)
		return "an unknown address family";
	if (in->protocol != IPPROTO_TCP && !cr_rule_inet_udp(in))
		return "an unknown protocol";
	if (in->state > CR_INET_CONNECTING ||
	    ((in->state == CR_INET_LISTEN || in->state == CR_INET_CONNECTING) &&
	     in->protocol != IPPROTO_TCP))
		return "an unknown state";
	if ((in->flags & ~CR_INET_FLAGS) || in->__pad || in->__pad2 || in->__pad3 || in->__pad4 ||
	    ((in->flags & CR_INET_V6ONLY) && in->family != AF_INET6) ||
	    ((in->flags & (CR_INET_NODELAY | CR_INET_CORK)) && in->protocol != IPPROTO_TCP) ||
	    ((in->flags & (CR_INET_MC_TTL | CR_INET_MC_NOLOOP | CR_INET_MC_IF |
			   CR_INET_SHUT_RD | CR_INET_SHUT_WR)) && !cr_rule_inet_udp(in)) ||
	    ((in->flags & (CR_UDP_SEND_CSCOV | CR_UDP_RECV_CSCOV)) &&
	     in->protocol != IPPROTO_UDPLITE) ||
	    ((in->flags & (CR_INET6_RECVPKTINFO | CR_INET6_RECVHOPLIMIT | CR_INET6_RECVTCLASS |
			   CR_INET6_RECVORIGDSTADDR | CR_INET6_RECVERR)) && in->family != AF_INET6))
		return "unknown flags";
	if (in->rcvlowat < 0 || in->pmtudisc > 5 ||
	    (in->protocol != IPPROTO_TCP &&
	     (in->user_timeout || in->notsent_lowat || in->user_mss || in->fastopen)) ||
	    in->user_timeout > 0x7fffffff || in->notsent_lowat > 0x7fffffff ||
	    in->fastopen > 0x7fffffff)
		return "options out of range";
	if (!cr_rule_zero(in->src + alen, 16 - alen) || !cr_rule_zero(in->dst + alen, 16 - alen))
		return "an address longer than its family's";
	if (in->state == CR_INET_CONNECTED || in->state == CR_INET_CONNECTING ? !in->dst_port :
	    in->dst_port || !cr_rule_zero(in->dst, sizeof(in->dst)))
		return "a peer that does not match its state";
	if (((in->flags & CR_INET_BOUND) || in->state == CR_INET_LISTEN) && !in->src_port)
		return "bound without a port";
	if (in->state == CR_INET_LISTEN ? in->backlog > 0x7fffffff : in->backlog)
		return "a backlog over INT_MAX, or one without listening";
	if (in->rcvbuf < 0 || in->sndbuf < 0 ||
	    (!(in->flags & CR_INET_RCVBUF) && in->rcvbuf) ||
	    (!(in->flags & CR_INET_SNDBUF) && in->sndbuf) ||
	    (!(in->flags & CR_INET_LINGER) && in->linger) || in->linger > 0x7fffffff)
		return "invalid buffer sizes or linger time";
	if (in->rcvtimeo_us > (u64)LONG_MAX / 1000 || in->sndtimeo_us > (u64)LONG_MAX / 1000)
		return "a timeout too long";
	if (in->priority > 0x7fffffff || in->tos < 0 || in->tos > 255 ||
	    in->ttl < -1 || in->ttl > 255 || (!in->ttl && in->family == AF_INET))
		return "a priority, TOS or TTL out of range";
	if (in->protocol == IPPROTO_TCP ?
	    in->keepidle > 32767 || in->keepintvl > 32767 || in->keepcnt > 127 :
	    in->keepidle || in->keepintvl || in->keepcnt)
		return "invalid keepalive times";
	return cr_rule_tcp_problem(in, state_len);
}

/**
 * cr_rule_pidfd - the state of a pidfd (CR_FD_PIDFD)
 * @name: the image, for messages
 * @e: its entry
 * @data: the note's data area
 * @data_len: its size
 *
 * A struct cr_pidfd, 8-byte aligned in the data area, of a pid that is
 * not negative (0 when reaped) and known flags; the descriptor read and write, maybe
 * O_NONBLOCK, at no offset and with no path. Whether the pid names a
 * process of the image is the restore's check (cr_restore_pidfd_check()).
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_pidfd(const char *name, const struct cr_fd *e, const char *data, u64 data_len)
{
	struct cr_pidfd s;
	const char *why = NULL;

	if (e->data_off > data_len || e->data_len != sizeof(s) ||
	    e->data_len > data_len - e->data_off || !IS_ALIGNED(e->data_off, 8))
		why = "its state lies outside the note or has another size";
	else if (e->flags != (O_RDWR | (e->flags & O_NONBLOCK)) || e->pos || e->path_len)
		why = "open flags, an offset or a path that a pidfd has not";
	if (!why) {
		memcpy(&s, data + e->data_off, sizeof(s));
		if (s.pid < 0 || (s.flags & ~CR_PIDFD_FLAGS) ||
		    ((s.flags & CR_PIDFD_REAPED) && s.pid) ||
		    ((s.flags & CR_PIDFD_OWN_THREAD) &&
		     (!s.pid || (s.flags & (CR_PIDFD_THREAD | CR_PIDFD_REAPED)) != CR_PIDFD_THREAD)))
			why = "a negative pid or unknown flags";
	}
	if (why) {
		cr_refuse(name, "fd %d (open file %u) is invalid: %s", e->fd, e->file_id, why);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_netlink - the state of a netlink route socket (CR_FD_NETLINK)
 * @name: the image, for messages
 * @e: its entry
 * @data: the note's data area
 * @data_len: its size
 *
 * A struct cr_netlink of NETLINK_ROUTE, SOCK_RAW or SOCK_DGRAM, known
 * flags, a port id exactly when bound, a destination group of at most 32,
 * then its messages, each of 1 to CR_MAX_UNLINKED bytes padded with
 * zeroes, filling the state exactly; messages only on a bound socket.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_netlink(const char *name, const struct cr_fd *e, const char *data, u64 data_len)
{
	u64 off = sizeof(struct cr_netlink), bytes = 0;
	const char *why = NULL;
	struct cr_netlink nl;
	u32 i;

	if (e->data_len < sizeof(nl) || e->data_off > data_len ||
	    e->data_len > data_len - e->data_off) {
		why = "its state lies outside the note or is short";
		goto bad;
	}
	memcpy(&nl, data + e->data_off, sizeof(nl));
	if (nl.protocol != 0 || (nl.type != 2 && nl.type != 3) ||
	    (nl.flags & ~CR_NETLINK_FLAGS) || nl.__pad || nl.dst_group > 32 ||
	    !(nl.flags & CR_NETLINK_BOUND) != !nl.portid ||
	    (nl.nr_msgs && !(nl.flags & CR_NETLINK_BOUND))) {
		why = "its protocol, type, flags, port id or destination";
		goto bad;
	}
	for (i = 0; i < nl.nr_msgs; i++) {
		struct cr_netlink_msg m;
		u64 len;

		if (e->data_len - off < sizeof(m)) {
			why = "a message past its state";
			goto bad;
		}
		memcpy(&m, data + e->data_off + off, sizeof(m));
		len = ((u64)m.len + 7) & ~7ULL;
		if (!m.len || m.__pad || m.dst_group > 32 || m.len > CR_MAX_UNLINKED - bytes ||
		    e->data_len - off - sizeof(m) < len ||
		    !cr_rule_zero(data + e->data_off + off + sizeof(m) + m.len, len - m.len)) {
			why = "a message's size, sender or padding";
			goto bad;
		}
		bytes += m.len;
		off += sizeof(m) + len;
	}
	if (off != e->data_len) {
		why = "a state longer than its messages";
		goto bad;
	}
	return 0;
bad:
	cr_refuse(name, "fd %d (open file %u) is an invalid netlink socket: %s", e->fd,
		  e->file_id, why);
	return -EINVAL;
}

/**
 * cr_rule_inet - the state of a TCP or UDP socket (CR_FD_INET)
 * @name: the image, for messages
 * @e: the descriptor, checked by cr_rule_fd()
 * @data: the note's data area
 * @data_len: its size
 *
 * Its state, 8-byte aligned in the data area, of a known family,
 * protocol and state, with options in their ranges; for an established
 * TCP connection, its queues after it. Whether the address is free and
 * local, and whether the caller may bind it or repair a connection, only
 * the restoring system can tell.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_inet(const char *name, const struct cr_fd *e, const char *data, u64 data_len)
{
	struct cr_inet in;
	const char *why;

	if (!S_ISSOCK(e->mode) || e->path_len || e->pos ||
	    !IS_ALIGNED(e->data_off, 8) || e->data_off > data_len ||
	    e->data_len > data_len - e->data_off || e->data_len < sizeof(in)) {
		cr_refuse(name, "fd %d (open file %u) is an invalid TCP/UDP socket: not a socket, or its state lies outside the note",
			  e->fd, e->file_id);
		return -EINVAL;
	}
	memcpy(&in, data + e->data_off, sizeof(in));
	why = cr_rule_inet_problem(&in, e->data_len);
	if (!why && cr_rule_inet_udp(&in))
		why = cr_rule_udp_problem(&in, data + e->data_off + sizeof(in),
					  e->data_len - sizeof(in));
	if (!why && in.protocol == IPPROTO_TCP && in.state == CR_INET_LISTEN)
		why = cr_rule_tcp_listen_problem(&in, data + e->data_off + sizeof(in),
						 e->data_len - sizeof(in));
	if (why) {
		cr_refuse(name, "fd %d (open file %u) is an invalid TCP/UDP socket: %s",
			  e->fd, e->file_id, why);
		return -EINVAL;
	}
	return 0;
}

/* Packet sockets */

/* A ring of a packet socket: none, or one whose receive-only fields fit. */
static bool cr_rule_packet_ring(const struct cr_packet_ring *r, bool v3_rx)
{
	if (!r->block_nr)
		return cr_rule_zero(r, sizeof(*r));
	if (r->__pad || !r->block_size || !r->frame_size || !r->frame_nr)
		return false;
	return v3_rx || (!r->retire_blk_tov && !r->sizeof_priv && !r->feature_req_word);
}

static const char *cr_rule_packet_problem(const struct cr_packet *p)
{
	bool spkt = p->type == 10;	/* SOCK_PACKET */
	u32 fanout_type = (p->fanout >> 16) & 0xff, fanout_flags = p->fanout >> 24;
	size_t dlen = strnlen(p->device, sizeof(p->device));

	if (p->type != 2 && p->type != 3 && !spkt)
		return "its type";
	if ((p->flags & ~CR_PACKET_FLAGS) || p->ifindex < 0 || p->version > 2 ||
	    p->reserve > 0x7fffffff ||
	    (p->vnet_hdr_sz && p->vnet_hdr_sz != 10 && p->vnet_hdr_sz != 12) ||
	    !cr_rule_zero(p->__pad, sizeof(p->__pad)))
		return "its flags, device, version or options";
	if (p->rcvbuf < 0 || p->sndbuf < 0 ||
	    (!(p->flags & CR_PACKET_RCVBUF) && p->rcvbuf) ||
	    (!(p->flags & CR_PACKET_SNDBUF) && p->sndbuf) ||
	    p->rcvtimeo_us > (u64)LONG_MAX / 1000 || p->sndtimeo_us > (u64)LONG_MAX / 1000 ||
	    p->priority > 0x7fffffff)
		return "its buffer sizes, timeouts or priority";
	/* Types HASH to QM; flags ROLLOVER, IGNORE_OUTGOING, DEFRAG; a protocol to run. */
	if (p->fanout ? fanout_type > 5 || (fanout_flags & ~0xd0) || !p->protocol ||
			!p->fanout_max || p->fanout_max > 65536 :
			p->fanout_max)
		return "its fanout group";
	if (!cr_rule_packet_ring(&p->rx_ring, p->version == 2) ||
	    !cr_rule_packet_ring(&p->tx_ring, false))
		return "its rings";
	if (p->nr_mc > CR_MAX_PACKET_MC || p->nr_skbs > CR_MAX_PACKET_SKBS ||
	    p->skbs_len > CR_MAX_UNLINKED || !p->nr_skbs != !p->skbs_len)
		return "more memberships or packets than an image holds";
	/* The bound device's name: NUL-terminated, zeroes after; none when unbound. */
	if (dlen == sizeof(p->device) || !dlen != !p->ifindex ||
	    !cr_rule_zero(p->device + dlen, sizeof(p->device) - dlen))
		return "a device name that is not its device's";
	/* SOCK_PACKET: no PACKET_* option; bound by name (sa_data: 14 bytes). */
	if (spkt && ((p->flags & ~(CR_PACKET_RCVBUF | CR_PACKET_SNDBUF)) || p->version ||
		     p->reserve || p->tstamp || p->copy_thresh || p->vnet_hdr_sz || p->fanout ||
		     p->nr_mc || p->rx_ring.block_nr || p->tx_ring.block_nr ||
		     dlen > CR_PACKET_SPKT_NAME))
		return "PACKET_* options, or a device name too long, where they cannot be";
	return NULL;
}

static const char *cr_rule_packet_mc_problem(const struct cr_packet_mc *m)
{
	/* PACKET_MR_MULTICAST to PACKET_MR_UNICAST, added at most CR_MAX_PACKET_MC times */
	size_t dlen = strnlen(m->device, sizeof(m->device));

	if (m->ifindex <= 0 || m->type > 3 || m->alen > sizeof(m->addr) || !m->count ||
	    m->count > CR_MAX_PACKET_MC || m->__pad ||
	    !cr_rule_zero(m->addr + m->alen, sizeof(m->addr) - m->alen) ||
	    !dlen || dlen == sizeof(m->device) ||
	    !cr_rule_zero(m->device + dlen, sizeof(m->device) - dlen))
		return "a membership's device, type, address or count";
	return NULL;
}

static const char *cr_rule_packet_skb_problem(const struct cr_packet *p,
					      const struct cr_packet_skb *r, const char *bytes)
{
	u32 len = ALIGN(r->len, 8);

	if (!r->len || r->len > 65536 || r->net_off > r->len || r->pkttype > 7 ||
	    r->halen > sizeof(r->addr) || r->__pad1 || r->__pad2 ||
	    (r->flags & ~CR_PACKET_SKB_FLAGS) ||
	    !cr_rule_zero(bytes + r->len, len - r->len))
		return "a queued packet's size, type, address or padding";
	if (p->type == 10 ? r->ifindex || r->halen || r->pkttype || r->origlen ||
			    !cr_rule_zero(r->addr, sizeof(r->addr)) :
			    r->ifindex < 0 || !cr_rule_zero(r->device, sizeof(r->device)))
		return "a queued packet's address of another kind of socket";
	if ((r->flags & CR_PACKET_SKB_CSUM_PARTIAL) ?
	    (r->flags & CR_PACKET_SKB_CSUM_VALID) ||
	    (u32)r->csum_start + r->csum_offset + 2 > r->len :
	    r->csum_start || r->csum_offset)
		return "a queued packet's checksum outside it";
	if (!(r->flags & CR_PACKET_SKB_VLAN) && (r->vlan_tci || r->vlan_tpid))
		return "a queued packet's VLAN tag without its flag";
	if ((r->gso_type & ~CR_PACKET_SKB_GSO_TYPES) || !r->gso_size != !r->gso_type)
		return "a queued packet's segmentation offload";
	return NULL;
}

/**
 * cr_rule_packet - the state of a packet socket (CR_FD_PACKET)
 * @name: the image, for messages
 * @e: the descriptor, checked by cr_rule_fd()
 * @data: the note's data area
 * @data_len: its size
 *
 * A struct cr_packet of a known type with options in their ranges, its
 * memberships, then its queued packets, each with its bytes padded with
 * zeroes to 8, filling the state exactly. Whether the devices exist,
 * and whether the caller may make a packet socket, only the restoring
 * system can tell.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_packet(const char *name, const struct cr_fd *e, const char *data, u64 data_len)
{
	const char *why = NULL, *state = data + e->data_off;
	struct cr_packet_skb r;
	struct cr_packet_mc m;
	struct cr_packet p;
	u64 off;
	u32 i;

	if (!S_ISSOCK(e->mode) || e->path_len || e->pos || !IS_ALIGNED(e->data_off, 8) ||
	    e->data_off > data_len || e->data_len > data_len - e->data_off ||
	    e->data_len < sizeof(p)) {
		why = "not a socket, or its state lies outside the note";
		goto bad;
	}
	memcpy(&p, state, sizeof(p));
	why = cr_rule_packet_problem(&p);
	if (why)
		goto bad;
	off = sizeof(p);
	if ((e->data_len - off) / sizeof(m) < p.nr_mc ||
	    e->data_len - off - (u64)p.nr_mc * sizeof(m) != p.skbs_len) {
		why = "memberships and packets that do not fill its state";
		goto bad;
	}
	for (i = 0; i < p.nr_mc; i++, off += sizeof(m)) {
		memcpy(&m, state + off, sizeof(m));
		why = cr_rule_packet_mc_problem(&m);
		if (why)
			goto bad;
	}
	for (i = 0; i < p.nr_skbs; i++) {
		if (e->data_len - off < sizeof(r)) {
			why = "a queued packet past its state";
			goto bad;
		}
		memcpy(&r, state + off, sizeof(r));
		if (r.len > 65536 || e->data_len - off - sizeof(r) < ALIGN((u64)r.len, 8)) {
			why = "a queued packet past its state";
			goto bad;
		}
		why = cr_rule_packet_skb_problem(&p, &r, state + off + sizeof(r));
		if (why)
			goto bad;
		off += sizeof(r) + ALIGN(r.len, 8);
	}
	if (off != e->data_len) {
		why = "a state longer than its packets";
		goto bad;
	}
	return 0;
bad:
	cr_refuse(name, "fd %d (open file %u) is an invalid packet socket: %s", e->fd,
		  e->file_id, why);
	return -EINVAL;
}

/* Unix sockets by name */

/* An address of @len bytes: an absolute path, or an abstract name. */
static bool cr_rule_unix_name(const char *n, u16 len)
{
	if (!len)
		return true;
	if (len > CR_UNIX_PATH_MAX)
		return false;
	if (!n[0])
		return len > 1;		/* abstract: any bytes after the NUL */
	return n[0] == '/' && strnlen(n, len) == (size_t)len - 1;
}

/* The options of a unix socket (struct cr_unix, struct cr_socket). */
static const char *cr_rule_unix_opts(u32 flags, s32 rcvbuf, s32 sndbuf, u64 rcvtimeo_us,
				     u64 sndtimeo_us)
{
	if (flags & ~CR_UNIX_FLAGS)
		return "unknown options";
	if (rcvbuf < 0 || sndbuf < 0 || (!(flags & CR_UNIX_RCVBUF) && rcvbuf) ||
	    (!(flags & CR_UNIX_SNDBUF) && sndbuf))
		return "invalid buffer sizes";
	if (rcvtimeo_us > (u64)LONG_MAX / 1000 || sndtimeo_us > (u64)LONG_MAX / 1000)
		return "a timeout too long";
	return NULL;
}

static const char *cr_rule_unix_problem(const struct cr_unix *u)
{
	if (u->type != SOCK_STREAM && u->type != SOCK_DGRAM && u->type != SOCK_SEQPACKET)
		return "an unknown type";
	if (u->state > CR_UNIX_PENDING ||
	    (u->state == CR_UNIX_LISTEN && (u->type == SOCK_DGRAM || !u->name_len)) ||
	    (u->state == CR_UNIX_CONNECTED && u->type != SOCK_DGRAM) ||
	    (u->state == CR_UNIX_PENDING && u->type == SOCK_DGRAM))
		return "an unknown state";
	if (u->flags & ~CR_UNIX_FLAGS)
		return "unknown flags";
	if (u->nr_msgs && (u->type != SOCK_DGRAM || !u->name_len) &&
	    u->state != CR_UNIX_PENDING)
		return "messages queued on a socket that is not a datagram one, or has no name";
	if (!cr_rule_unix_name(u->name, u->name_len) || !cr_rule_unix_name(u->peer, u->peer_len) ||
	    (u->state == CR_UNIX_CONNECTED || u->state == CR_UNIX_PENDING) != !!u->peer_len ||
	    !cr_rule_zero(u->name + u->name_len, CR_UNIX_PATH_MAX - u->name_len) ||
	    !cr_rule_zero(u->peer + u->peer_len, CR_UNIX_PATH_MAX - u->peer_len))
		return "an invalid address";
	if (u->state == CR_UNIX_LISTEN || u->state == CR_UNIX_PENDING ? u->backlog > 65535 :
	    u->backlog)
		return "a backlog or place out of 0-65535, or one without listening or connecting";
	if ((u->mode & ~07777) || (u->mode && (!u->name_len || !u->name[0])))
		return "a mode for a socket not bound to a path";
	return cr_rule_unix_opts(u->flags, u->rcvbuf, u->sndbuf, u->rcvtimeo_us, u->sndtimeo_us);
}

/*
 * @nr struct cr_unix_msg filling @len bytes at @p exactly, with a
 * sender's address if @named, each file they carry an open file id.
 */
static bool cr_rule_unix_msgs(const char *p, u64 len, u32 nr, bool named)
{
	struct cr_unix_msg m;
	u64 off = 0, ids;
	u32 i, k, id;

	if (nr > CR_MAX_SOCKET_MSGS)
		return false;
	for (i = 0; i < nr; i++) {
		if (len - off < sizeof(m))
			return false;
		memcpy(&m, p + off, sizeof(m));
		ids = (u64)m.nr_files * sizeof(u32);
		if (m.name_len > (named ? CR_UNIX_PATH_MAX : 0) || m.nr_files > CR_UNIX_MSG_FILES ||
		    ids + m.len + m.name_len > len - off - sizeof(m))
			return false;
		for (k = 0; k < m.nr_files; k++) {
			memcpy(&id, p + off + sizeof(m) + k * sizeof(u32), sizeof(id));
			if (!id)
				return false;
		}
		off += ALIGN(sizeof(m) + ids + m.name_len + (u64)m.len, 4);
		if (off > len)
			return false;
	}
	return off == len;
}

/**
 * cr_rule_unix - the state of a unix socket known by its name (CR_FD_UNIX)
 * @name: the image, for messages
 * @e: the descriptor, checked by cr_rule_fd()
 * @data: the note's data area
 * @data_len: its size
 *
 * Its state, 8-byte aligned in the data area: a known type and state,
 * addresses that are absolute paths or abstract names, and the messages
 * of a datagram socket after it, filling the rest of its data exactly.
 * Whether the name is free, and the peer there, only the restoring
 * system can tell.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_unix(const char *name, const struct cr_fd *e, const char *data, u64 data_len)
{
	struct cr_unix u;
	const char *why;

	if (!S_ISSOCK(e->mode) || e->path_len || e->pos ||
	    !IS_ALIGNED(e->data_off, 8) || e->data_off > data_len ||
	    e->data_len < sizeof(u) || e->data_len > data_len - e->data_off) {
		cr_refuse(name, "fd %d (open file %u) is an invalid unix socket: not a socket, or its state lies outside the note",
			  e->fd, e->file_id);
		return -EINVAL;
	}
	memcpy(&u, data + e->data_off, sizeof(u));
	why = cr_rule_unix_problem(&u);
	if (!why && !cr_rule_unix_msgs(data + e->data_off + sizeof(u), e->data_len - sizeof(u),
				       u.nr_msgs, u.state != CR_UNIX_PENDING))
		why = "invalid messages, or messages that do not fill the rest of its state";
	if (why) {
		cr_refuse(name, "fd %d (open file %u) is an invalid unix socket: %s",
			  e->fd, e->file_id, why);
		return -EINVAL;
	}
	return 0;
}

/* File locks */

/* What lock @l of kind @kind may be, on a descriptor of @fd_kind and access @acc. */
static bool cr_rule_lock_kind(const struct cr_lock *l, u32 fd_kind, u32 acc)
{
	bool whole = !l->start && l->end == LLONG_MAX;

	switch (l->kind) {
	case CR_LOCK_FLOCK:
		return !whole || l->flags;
	case CR_LOCK_LEASE:
		return !whole || fd_kind == CR_FD_DIR ||
		       (l->type == F_RDLCK && acc != O_RDONLY) ||
		       (l->flags != 0 && l->flags != CR_LEASE_BREAK_UNLCK &&
			l->flags != CR_LEASE_BREAK_RDLCK) ||
		       (l->flags == CR_LEASE_BREAK_RDLCK && l->type != F_WRLCK);
	default:
		return l->flags || (l->type == F_RDLCK ? acc == O_WRONLY : acc == O_RDONLY);
	}
}

/**
 * cr_rule_locks - NT_CR_LOCKS: the file locks the process holds
 * @name: the image, for messages
 * @note: the note, or NULL (no locks)
 * @fds: the process's descriptors (struct cr_fd[], by increasing fd)
 * @nr_fds: how many
 * @nr: set to the number of struct cr_lock entries
 *
 * Each lock names a descriptor of a file, a directory or a memfd of the
 * table, open for reading for a POSIX or OFD read lock and for writing
 * for a write lock (as fcntl(2) requires); a range of bytes in the file.
 * A lease is on a regular file (not a directory), open for reading only
 * for a read lease, whole as a flock is; only a lease has flags: one way
 * it is being broken, a downgrade only of a write lease.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_locks(const char *name, const struct cr_note *note, const void *fds,
		  u32 nr_fds, u32 *nr)
{
	struct cr_lock l;
	u32 i;

	*nr = 0;
	if (!note)
		return 0;
	if (note->size % sizeof(l) || note->size / sizeof(l) > CR_MAX_LOCKS) {
		cr_refuse(name, "NT_CR_LOCKS note has %u bytes", note->size);
		return -EINVAL;
	}
	for (i = 0; i < note->size / sizeof(l); i++) {
		const struct cr_fd *e = NULL;
		struct cr_fd f;
		u32 lo = 0, hi = nr_fds, acc;

		memcpy(&l, (const u8 *)note->desc + i * sizeof(l), sizeof(l));
		while (lo < hi) {
			u32 mid = lo + (hi - lo) / 2;

			memcpy(&f, (const u8 *)fds + mid * sizeof(f), sizeof(f));
			if (f.fd == l.fd) {
				e = &f;
				break;
			}
			if (f.fd < l.fd)
				lo = mid + 1;
			else
				hi = mid;
		}
		acc = e ? e->flags & O_ACCMODE : 0;
		if (!e || e->fd < 0 || (e->kind != CR_FD_FILE && e->kind != CR_FD_DIR &&
			   e->kind != CR_FD_UNLINKED && e->kind != CR_FD_MEMFD) ||
		    (e->flags & O_PATH) || l.kind > CR_LOCK_LEASE ||
		    (l.type != F_RDLCK && l.type != F_WRLCK) ||
		    l.start < 0 || l.end < l.start ||
		    cr_rule_lock_kind(&l, e->kind, acc)) {
			cr_refuse(name, "lock %u (fd %d, kind %u, type %u, bytes %lld-%lld) is invalid",
				  i, l.fd, l.kind, l.type, (long long)l.start, (long long)l.end);
			return -EINVAL;
		}
	}
	*nr = i;
	return 0;
}

/* Descriptor owners */

/**
 * cr_rule_fowns - NT_CR_FOWNERS: who gets the signals of descriptors
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @fds: the process's descriptors (struct cr_fd[], by increasing fd)
 * @nr_fds: how many
 * @nr: set to the number of struct cr_fown entries
 *
 * Each entry names a descriptor of the table, after the previous one, a
 * known owner type and flags, a thread id for a thread, no id for no
 * owner, a signal of 0 to 64. Whether that thread, process or group is
 * one of the image's, the restore checks against its threads and tree.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_fowns(const char *name, const struct cr_note *note, const void *fds, u32 nr_fds,
		  u32 *nr)
{
	struct cr_fown o;
	s32 prev = -1;
	u32 i, j = 0;

	*nr = 0;
	if (!note)
		return 0;
	if (note->size % sizeof(o) || note->size / sizeof(o) > nr_fds) {
		cr_refuse(name, "NT_CR_FOWNERS note has %u bytes", note->size);
		return -EINVAL;
	}
	for (i = 0; i < note->size / sizeof(o); i++) {
		struct cr_fd f = { .fd = -1 };

		memcpy(&o, (const u8 *)note->desc + i * sizeof(o), sizeof(o));
		/* Both tables by increasing fd: walk them together. */
		for (; j < nr_fds; j++) {
			memcpy(&f, (const u8 *)fds + j * sizeof(f), sizeof(f));
			if (f.fd >= o.fd)
				break;
		}
		if (o.fd <= prev || j == nr_fds || f.fd != o.fd || o.type > CR_FOWN_PGRP ||
		    (o.flags & ~CR_FOWN_ASYNC) || (o.type == CR_FOWN_THREAD && o.id <= 0) ||
		    (o.type == CR_FOWN_NONE && o.id) || o.id < 0 || o.signum < 0 ||
		    o.signum > 64 || (f.flags & O_PATH)) {
			cr_refuse(name, "descriptor owner %u (fd %d, type %u, flags %#x, id %d, signal %d) is invalid",
				  i, o.fd, o.type, o.flags, o.id, o.signum);
			return -EINVAL;
		}
		prev = o.fd;
	}
	*nr = i;
	return 0;
}

/* The fields of an NT_CR_SOCK_OPTS entry agree with its flags. */
static bool cr_rule_sock_opts_entry(const struct cr_sock_opts *o)
{
	size_t clen = strnlen(o->congestion, sizeof(o->congestion));

	if (!o->flags || (o->flags & ~CR_SOCK_OPT_FLAGS))
		return false;
	if ((o->flags & CR_SOCK_OPT_TX_DELAY) ? !o->tx_delay : o->tx_delay)
		return false;
	/* struct sock_txtime: a clock of sk_clockid's u8, DEADLINE_MODE and REPORT_ERRORS. */
	if ((o->flags & CR_SOCK_OPT_TXTIME) ?
	    o->txtime_clockid < 0 || o->txtime_clockid > 255 || (o->txtime_flags & ~3) :
	    o->txtime_clockid || o->txtime_flags)
		return false;
	if ((o->flags & CR_SOCK_OPT_SAVE_SYN) ? o->save_syn != 1 && o->save_syn != 2 :
	    o->save_syn)
		return false;
	if ((o->flags & CR_SOCK_OPT_DEFER_ACCEPT) ? !o->defer_accept || o->defer_accept > 65535 :
	    o->defer_accept)
		return false;
	if ((o->flags & CR_SOCK_OPT_TIMESTAMPING) ?
	    !o->tsflags || (o->tsflags & ~CR_SOCK_OPT_TSFLAGS) : o->tsflags)
		return false;
	if ((o->flags & CR_SOCK_OPT_TSTAMP_NEW) &&
	    !(o->flags & (CR_SOCK_OPT_TIMESTAMP | CR_SOCK_OPT_TIMESTAMPNS |
			  CR_SOCK_OPT_TIMESTAMPING)))
		return false;
	if ((o->flags & CR_SOCK_OPT_TIMESTAMP) && (o->flags & CR_SOCK_OPT_TIMESTAMPNS))
		return false;
	if ((o->flags & CR_SOCK_OPT_PEEK_OFF) ? o->peek_off < 0 : o->peek_off)
		return false;
	if (!(o->flags & CR_SOCK_OPT_RXQ_OVFL) && o->drops)
		return false;
	if ((o->flags & CR_SOCK_OPT_CONGESTION) ? !clen || clen == sizeof(o->congestion) : clen)
		return false;
	return cr_rule_zero(o->congestion + clen, sizeof(o->congestion) - clen);
}

/**
 * cr_rule_sock_opts - NT_CR_SOCK_OPTS: options of TCP and UDP sockets
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @fds: the process's descriptors (struct cr_fd[], by increasing fd)
 * @nr_fds: how many
 *
 * Whole entries, each naming a TCP or UDP socket descriptor of the table
 * (CR_FD_INET), after the previous one, with known flags and the fields
 * they say set, the others zero. Whether the congestion control exists
 * and may be used, the restore's setsockopt() tells.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sock_opts(const char *name, const struct cr_note *note, const void *fds,
		      unsigned int nr_fds)
{
	u64 off = 0, size = note ? note->size : 0;
	struct cr_sock_opts o;
	unsigned int j = 0;
	s64 prev = -1;

	if (size % sizeof(o))
		goto bad;
	for (off = 0; off < size; off += sizeof(o)) {
		struct cr_fd e = { .fd = -1 };

		memcpy(&o, (const u8 *)note->desc + off, sizeof(o));
		for (; j < nr_fds; j++) {
			memcpy(&e, (const u8 *)fds + j * sizeof(e), sizeof(e));
			if (e.fd >= o.fd)
				break;
		}
		if (o.fd <= prev || j == nr_fds || e.fd != o.fd || e.kind != CR_FD_INET ||
		    !cr_rule_sock_opts_entry(&o))
			goto bad;
		prev = o.fd;
	}
	return 0;
bad:
	cr_refuse(name, "NT_CR_SOCK_OPTS note is malformed: entry %llu",
		  (unsigned long long)(off / sizeof(o)));
	return -EINVAL;
}

/**
 * cr_rule_sock_devs - NT_CR_SOCK_DEVS: the devices TCP and UDP sockets are bound to
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @fds: the process's descriptors (struct cr_fd[], by increasing fd)
 * @nr_fds: how many
 *
 * Whole entries, each naming a TCP or UDP socket descriptor of the table
 * (CR_FD_INET), after the previous one, with a device index and a name,
 * zeroes after it. Whether that device is there, the restore checks.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sock_devs(const char *name, const struct cr_note *note, const void *fds,
		      unsigned int nr_fds)
{
	u64 off = 0, size = note ? note->size : 0;
	struct cr_sock_dev d;
	unsigned int j = 0;
	s64 prev = -1;
	size_t len;

	if (size % sizeof(d))
		goto bad;
	for (off = 0; off < size; off += sizeof(d)) {
		struct cr_fd e = { .fd = -1 };

		memcpy(&d, (const u8 *)note->desc + off, sizeof(d));
		for (; j < nr_fds; j++) {
			memcpy(&e, (const u8 *)fds + j * sizeof(e), sizeof(e));
			if (e.fd >= d.fd)
				break;
		}
		len = strnlen(d.name, sizeof(d.name));
		if (d.fd <= prev || j == nr_fds || e.fd != d.fd || e.kind != CR_FD_INET ||
		    d.ifindex <= 0 || !len || len == sizeof(d.name) ||
		    !cr_rule_zero(d.name + len, sizeof(d.name) - len))
			goto bad;
		prev = d.fd;
	}
	return 0;
bad:
	cr_refuse(name, "NT_CR_SOCK_DEVS note is malformed: entry %llu",
		  (unsigned long long)(off / sizeof(d)));
	return -EINVAL;
}

/**
 * cr_rule_sock_filters - NT_CR_SOCK_FILTERS: the socket filters of descriptors
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @fds: the process's descriptors (struct cr_fd[], by increasing fd)
 * @nr_fds: how many
 * @nr: set to the number of entries
 *
 * Each entry names a socket descriptor of the table (a TCP or UDP socket,
 * a unix socket by name or of a pair), after the previous one, with 1 to
 * CR_SOCK_FILTER_MAX instructions (none: a lock alone) and known flags;
 * the entries fill the note. Whether the program is one SO_ATTACH_FILTER
 * takes, the restore checks by building it.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sock_filters(const char *name, const struct cr_note *note, const void *fds,
			 u32 nr_fds, u32 *nr)
{
	u64 off = 0, size = note ? note->size : 0;
	struct cr_sock_filter f = { .fd = -1 };
	s32 prev = -1;
	u32 i = 0, j = 0;

	*nr = 0;
	while (off < size) {
		struct cr_fd e = { .fd = -1 };

		if (size - off < sizeof(f) || i == nr_fds)
			goto bad;
		memcpy(&f, (const u8 *)note->desc + off, sizeof(f));
		for (; j < nr_fds; j++) {
			memcpy(&e, (const u8 *)fds + j * sizeof(e), sizeof(e));
			if (e.fd >= f.fd)
				break;
		}
		if (f.fd <= prev || j == nr_fds || e.fd != f.fd ||
		    (e.kind != CR_FD_INET && e.kind != CR_FD_UNIX && e.kind != CR_FD_SOCKET &&
		     e.kind != CR_FD_NETLINK && e.kind != CR_FD_PACKET) ||
		    (f.flags & ~CR_SOCK_FILTER_FLAGS) || f.len > CR_SOCK_FILTER_MAX ||
		    (!f.len && !(f.flags & CR_SOCK_FILTER_LOCKED)) ||
		    (size - off - sizeof(f)) / sizeof(struct cr_bpf_insn) < f.len)
			goto bad;
		prev = f.fd;
		off += sizeof(f) + f.len * (u64)sizeof(struct cr_bpf_insn);
		i++;
	}
	*nr = i;
	return 0;
bad:
	cr_refuse(name, "socket filter %u (fd %d, %u instructions, flags %#x) is invalid",
		  i, f.fd, f.len, f.flags);
	return -EINVAL;
}

/* Event files: eventfd, signalfd, timerfd, epoll */

/* The size of the state of an event file of @kind; 0 for a list. */
static u64 cr_rule_event_size(u32 kind)
{
	switch (kind) {
	case CR_FD_EVENTFD:
		return sizeof(struct cr_eventfd);
	case CR_FD_SIGNALFD:
		return sizeof(struct cr_signalfd);
	case CR_FD_TIMERFD:
		return sizeof(struct cr_timerfd);
	default:
		return 0;
	}
}

static bool cr_rule_timerfd_clock(s32 clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_MONOTONIC ||
	       clockid == CLOCK_BOOTTIME || clockid == CLOCK_REALTIME_ALARM ||
	       clockid == CLOCK_BOOTTIME_ALARM;
}

/*
 * An inotify instance: its watches, by increasing descriptor, each with
 * an absolute path, then its events, each with a name or none (the
 * overflow event, IN_Q_OVERFLOW, on descriptor -1 only), fill the state
 * exactly.
 */
static const char *cr_rule_inotify_problem(const char *state, u64 len)
{
	struct cr_inotify h;
	u64 i, off = sizeof(h);
	s32 prev = 0;

	if (len < sizeof(h))
		return "an inotify state shorter than its header";
	memcpy(&h, state, sizeof(h));
	if (h.nr_watches > CR_MAX_INOTIFY_WATCHES || h.next_wd < 0 ||
	    h.nr_events > CR_MAX_INOTIFY_EVENTS || h.__pad)
		return "an inotify instance with too many watches or events";
	for (i = 0; i < h.nr_watches; i++) {
		struct cr_inotify_watch w;

		if (len - off < sizeof(w))
			return "an inotify watch outside its state";
		memcpy(&w, state + off, sizeof(w));
		off += sizeof(w);
		if (w.wd <= prev)
			return "inotify watches not by increasing descriptor";
		if (!(w.mask & 0xfff) || (w.mask & ~CR_INOTIFY_MASK) || w.__pad ||
		    !w.path_len || w.path_len > 4096 || len - off < w.path_len ||
		    state[off] != '/' || state[off + w.path_len - 1] ||
		    strnlen(state + off, w.path_len) != w.path_len - 1)
			return "an invalid inotify watch";
		off += (w.path_len + 7) & ~7ULL;
		if (off > len)
			return "an inotify watch outside its state";
		prev = w.wd;
	}
	for (i = 0; i < h.nr_events; i++) {
		struct cr_inotify_event ev;

		if (len - off < sizeof(ev))
			return "an inotify event outside its state";
		memcpy(&ev, state + off, sizeof(ev));
		off += sizeof(ev);
		if (!ev.mask || (ev.mask & ~CR_INOTIFY_EVENT_MASK) ||
		    (ev.wd == -1) != !!(ev.mask & 0x4000) || ev.wd < -1 ||
		    ev.name_len > 256 || (ev.name_len && ((ev.mask & 0x4000) ||
		    len - off < ev.name_len || ev.name_len < 2 || state[off + ev.name_len - 1] ||
		    strnlen(state + off, ev.name_len) != ev.name_len - 1 ||
		    memchr(state + off, '/', ev.name_len))))
			return "an invalid inotify event";
		off += (ev.name_len + 7) & ~7ULL;
		if (off > len)
			return "an inotify event outside its state";
	}
	if (off != len)
		return "an inotify state longer than its watches and events";
	return NULL;
}

/* An absolute path of @path_len bytes at @off of @state, NUL-terminated, within @len. */
static bool cr_rule_abs_path(const char *state, u64 len, u64 off, u32 path_len)
{
	return path_len >= 2 && path_len <= 4096 && off <= len && len - off >= path_len &&
	       state[off] == '/' && !state[off + path_len - 1] &&
	       strnlen(state + off, path_len) == path_len - 1;
}

/*
 * A fanotify group: its flags, its marks, each with an absolute path,
 * then its events, each with an absolute path but the overflow event,
 * fill the state exactly. A group that reports file handles holds no
 * event but the overflow.
 */
static const char *cr_rule_fanotify_problem(const char *state, u64 len)
{
	struct cr_fanotify h;
	u64 i, off = sizeof(h);

	if (len < sizeof(h))
		return "a fanotify state shorter than its header";
	memcpy(&h, state, sizeof(h));
	if ((h.flags & ~CR_FANOTIFY_INIT_FLAGS) ||
	    (h.event_f_flags & ~CR_FANOTIFY_EVENT_F_FLAGS) ||
	    (h.group_flags & ~CR_FANOTIFY_UNPRIV) || h.__pad)
		return "unknown fanotify group flags";
	if (h.nr_marks > CR_MAX_FANOTIFY_MARKS || h.nr_events > CR_MAX_FANOTIFY_EVENTS)
		return "a fanotify group with too many marks or events";
	for (i = 0; i < h.nr_marks; i++) {
		struct cr_fanotify_mark m;

		if (len - off < sizeof(m))
			return "a fanotify mark outside its state";
		memcpy(&m, state + off, sizeof(m));
		off += sizeof(m);
		if ((m.type != CR_FANOTIFY_MARK_INODE && m.type != CR_FANOTIFY_MARK_MOUNT &&
		     m.type != CR_FANOTIFY_MARK_FILESYSTEM) ||
		    (m.flags & ~CR_FANOTIFY_MARK_FLAGS) || (m.mask & ~CR_FANOTIFY_MARK_MASK) ||
		    (m.ignore_mask & ~CR_FANOTIFY_MARK_MASK) || !(m.mask | m.ignore_mask) ||
		    m.__pad || !cr_rule_abs_path(state, len, off, m.path_len))
			return "an invalid fanotify mark";
		off += (m.path_len + 7) & ~7ULL;
		if (off > len)
			return "a fanotify mark outside its state";
	}
	for (i = 0; i < h.nr_events; i++) {
		struct cr_fanotify_event ev;
		bool overflow;

		if (len - off < sizeof(ev))
			return "a fanotify event outside its state";
		memcpy(&ev, state + off, sizeof(ev));
		off += sizeof(ev);
		overflow = ev.mask == CR_FANOTIFY_Q_OVERFLOW;
		if (overflow ? ev.path_len || ev.pid || ev.flags :
		    !(ev.mask & CR_FANOTIFY_EVENT_MASK & ~CR_FANOTIFY_ONDIR) ||
		    (ev.mask & ~CR_FANOTIFY_EVENT_MASK) || (h.flags & CR_FANOTIFY_FID_FLAGS) ||
		    (ev.flags & ~CR_FANOTIFY_EVENT_TREE) ||
		    ((ev.flags & CR_FANOTIFY_EVENT_TREE) ? ev.pid <= 0 : ev.pid) ||
		    !cr_rule_abs_path(state, len, off, ev.path_len))
			return "an invalid fanotify event";
		off += (ev.path_len + 7) & ~7ULL;
		if (off > len)
			return "a fanotify event outside its state";
	}
	if (off != len)
		return "a fanotify state longer than its marks and events";
	return NULL;
}

static const char *cr_rule_event_problem(const struct cr_fd *e, const char *state)
{
	struct cr_epoll_target t, prev = {};
	struct cr_signalfd sfd;
	struct cr_eventfd efd;
	struct cr_timerfd tfd;
	bool realtime;
	u64 i;

	switch (e->kind) {
	case CR_FD_EVENTFD:
		memcpy(&efd, state, sizeof(efd));
		if (efd.count == ~0ULL)
			return "an eventfd counter of 0xffffffffffffffff";
		if (efd.flags & ~CR_EVENTFD_SEMAPHORE || efd.__pad)
			return "unknown eventfd flags";
		return NULL;
	case CR_FD_SIGNALFD:
		memcpy(&sfd, state, sizeof(sfd));
		if (sfd.mask & ((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1))))
			return "a signalfd reading SIGKILL or SIGSTOP";
		return NULL;
	case CR_FD_TIMERFD:
		memcpy(&tfd, state, sizeof(tfd));
		realtime = tfd.clockid == CLOCK_REALTIME || tfd.clockid == CLOCK_REALTIME_ALARM;
		if (!cr_rule_timerfd_clock(tfd.clockid))
			return "a timerfd of an unknown clock";
		if (tfd.flags & ~CR_TIMERFD_FLAGS)
			return "unknown timerfd flags";
		if (tfd.value_ns < 0 || tfd.interval_ns < 0 || tfd.expires_ns < 0)
			return "a negative timerfd time";
		if (tfd.expires_ns && (!realtime || !(tfd.flags & CR_TIMERFD_ABSTIME) ||
				       !tfd.value_ns))
			return "a timerfd wall-clock expiry for a timer of no wall-clock time";
		if (!tfd.value_ns && tfd.interval_ns)
			return "a disarmed timerfd with a period";
		return NULL;
	}
	/* An epoll: its targets, by increasing descriptor. */
	for (i = 0; i < e->data_len / sizeof(t); i++) {
		memcpy(&t, state + i * sizeof(t), sizeof(t));
		if (t.fd < 0 || (i && t.fd <= prev.fd))
			return "epoll targets not by increasing descriptor";
		if (!t.file_id || t.__pad)
			return "an epoll target of no open file";
		if (t.file_id == e->file_id || t.fd == e->fd)
			return "an epoll watching itself";
		prev = t;
	}
	return NULL;
}

/**
 * cr_rule_event - the state of an eventfd, signalfd, timerfd or epoll
 * @name: the image, for messages
 * @e: its descriptor, checked by cr_rule_fd()
 * @data: the note's data area
 * @data_len: its size
 *
 * The state lies in the data area, 8-byte aligned; an epoll's list of
 * targets may be empty (another descriptor of the same epoll carries
 * them, or it watches nothing). cr_rule_epoll_targets() checks each
 * target against the table.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_event(const char *name, const struct cr_fd *e, const char *data, u64 data_len)
{
	u64 size = cr_rule_event_size(e->kind);
	const char *why;

	if (e->data_off > data_len || e->data_len > data_len - e->data_off ||
	    !IS_ALIGNED(e->data_off, 8) ||
	    (size && e->data_len != size) ||
	    (e->kind == CR_FD_EPOLL &&
	     (e->data_len % sizeof(struct cr_epoll_target) ||
	      e->data_len / sizeof(struct cr_epoll_target) > CR_MAX_EPOLL_TARGETS)))
		why = "its state lies outside the note or has another size";
	else if (e->kind == CR_FD_INOTIFY)
		why = cr_rule_inotify_problem(data + e->data_off, e->data_len);
	else if (e->kind == CR_FD_FANOTIFY)
		why = cr_rule_fanotify_problem(data + e->data_off, e->data_len);
	else
		why = cr_rule_event_problem(e, data + e->data_off);
	if (why) {
		cr_refuse(name, "fd %d (open file %u) is invalid: %s", e->fd, e->file_id, why);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_epoll_targets - the targets of an epoll, against its table
 * @name: the image, for messages
 * @e: the epoll's descriptor, checked by cr_rule_event()
 * @fds: the table of NT_CR_FILES (struct cr_fd entries, by increasing fd)
 * @nr_fds: its entries
 * @data: the note's data area
 *
 * Each target is a descriptor of the same table, at the number it was
 * added with, naming the same open file: the restore adds that file.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_epoll_targets(const char *name, const struct cr_fd *e, const void *fds,
			  u32 nr_fds, const char *data)
{
	struct cr_epoll_target t;
	struct cr_fd f;
	u32 lo, hi, mid;
	u64 i;

	for (i = 0; i < e->data_len / sizeof(t); i++) {
		memcpy(&t, data + e->data_off + i * sizeof(t), sizeof(t));
		lo = 0;
		hi = nr_fds;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			memcpy(&f, (const char *)fds + (u64)mid * sizeof(f), sizeof(f));
			if (f.fd == t.fd)
				break;
			if (f.fd < t.fd)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* A file in flight is a descriptor of nobody: no epoll watches it. */
		if (lo >= hi || f.file_id != t.file_id || f.fd < 0) {
			cr_refuse(name, "fd %d: epoll target fd %d is not open file %u of the process",
				  e->fd, t.fd, t.file_id);
			return -EINVAL;
		}
	}
	return 0;
}

/* Pipes and FIFOs */

static const char *cr_rule_pipe_problem(const struct cr_pipe *p, const char *data,
					u64 data_len)
{
	const char *path;

	if (p->flags & ~CR_PIPE_FLAGS)
		return "unknown flags";
	if (p->size < PAGE_SIZE || p->size > CR_MAX_PIPE_SIZE)
		return "capacity out of range";
	/* F_SETPIPE_SZ's sizes: a power of two pages. */
	if (p->size & (p->size - 1))
		return "capacity not a power of two pages";
	if (p->data_len > p->size)
		return "more bytes than its capacity";
	if (p->data_off > data_len || p->data_len > data_len - p->data_off)
		return "its bytes lie outside the data area";
	if (!(p->flags & CR_PIPE_FIFO))
		return p->path_off || p->path_len ? "a path for an anonymous pipe" : NULL;
	path = cr_rule_string(data, data_len, p->path_off, p->path_len);
	if (!path)
		return "its FIFO path lies outside the data area or is not terminated";
	if (path[0] != '/')
		return "its FIFO path is not absolute";
	return NULL;
}

static const char *cr_rule_pipe_end_problem(const struct cr_pipe_file *pf, u32 nr_pipes,
					    const struct cr_pipe_file *prev)
{
	if (pf->__pad)
		return "non-zero padding";
	if (!pf->file_id)
		return "no open file id";
	if (pf->pipe >= nr_pipes)
		return "no such pipe";
	if (prev && pf->pipe < prev->pipe)
		return "ends not in the order of their pipes";
	if (pf->flags & ~(O_ACCMODE | O_NONBLOCK))
		return "unknown flags";
	if ((pf->flags & O_ACCMODE) == O_ACCMODE)
		return "no access mode";
	return NULL;
}

/**
 * cr_rule_pipes - NT_CR_PIPES, in the root image
 * @name: the image, for messages
 * @note: the note, or NULL
 * @h: set to its header: struct cr_pipe entries follow it, then struct
 *	cr_pipe_file entries, then the data area
 *
 * Each pipe valid, each end valid and after the ends of the pipes
 * before its own, every pipe with at least one end. Each end is then an
 * open file of class CR_FILE_PIPE + (flags & O_ACCMODE).
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_pipes(const char *name, const struct cr_note *note, struct cr_hdr_pipes *h)
{
	const char *tab, *data;
	u64 size, data_len, i;
	u32 next;

	if (!note || note->size < sizeof(*h)) {
		cr_refuse(name, "NT_CR_PIPES note is missing or malformed");
		return -EINVAL;
	}
	memcpy(h, note->desc, sizeof(*h));
	size = sizeof(*h) + (u64)h->nr_pipes * sizeof(struct cr_pipe) +
	       (u64)h->nr_files * sizeof(struct cr_pipe_file);
	if (size > note->size) {
		cr_refuse(name, "NT_CR_PIPES note is missing or malformed: %u pipes and %u ends in %u bytes",
			  h->nr_pipes, h->nr_files, note->size);
		return -EINVAL;
	}
	if (h->nr_pipes > CR_MAX_PIPES || h->nr_files > 2 * CR_MAX_PIPES) {
		cr_refuse(name, "%u pipes with %u ends, more than an image holds",
			  h->nr_pipes, h->nr_files);
		return -EINVAL;
	}
	tab = (const char *)note->desc + sizeof(*h);
	data = (const char *)note->desc + size;
	data_len = note->size - size;
	for (i = 0; i < h->nr_pipes; i++) {
		struct cr_pipe p;
		const char *why;

		memcpy(&p, tab + i * sizeof(p), sizeof(p));
		why = cr_rule_pipe_problem(&p, data, data_len);
		if (why) {
			cr_refuse(name, "pipe %llu is invalid: %s (capacity %u, %llu bytes at %llu)",
				  (unsigned long long)i, why, p.size,
				  (unsigned long long)p.data_len, (unsigned long long)p.data_off);
			return -EINVAL;
		}
	}
	tab += (u64)h->nr_pipes * sizeof(struct cr_pipe);
	for (i = 0, next = 0; i < h->nr_files; i++) {
		struct cr_pipe_file pf, prev;
		const char *why;

		memcpy(&pf, tab + i * sizeof(pf), sizeof(pf));
		if (i)
			memcpy(&prev, tab + (i - 1) * sizeof(prev), sizeof(prev));
		why = cr_rule_pipe_end_problem(&pf, h->nr_pipes, i ? &prev : NULL);
		if (why) {
			cr_refuse(name, "pipe end %llu is invalid: %s (pipe %u, open file %u, flags %#x)",
				  (unsigned long long)i, why, pf.pipe, pf.file_id, pf.flags);
			return -EINVAL;
		}
		/* The ends are by pipe: a pipe skipped has none. */
		if (pf.pipe > next)
			break;
		next = pf.pipe + 1;
	}
	if (next < h->nr_pipes) {
		cr_refuse(name, "pipe %u has no end", next);
		return -EINVAL;
	}
	return 0;
}

/* Unix socket pairs */

/* The messages of one end lie inside the data area and fill its part. */
static bool cr_rule_socket_msgs(const struct cr_socket *cs, const char *data, u64 data_len)
{
	if (cs->data_off > data_len || cs->data_len > data_len - cs->data_off ||
	    !IS_ALIGNED(cs->data_off, 4))
		return false;
	return cr_rule_unix_msgs(data + cs->data_off, cs->data_len, cs->nr_msgs, false);
}

static const char *cr_rule_socket_problem(const struct cr_socket *s, u32 i, u32 nr,
					  u64 expected_off)
{
	const char *why;

	if (s->peer >= nr || s->peer == i)
		return "its peer is not another socket of the note";
	if (s->type != SOCK_STREAM && s->type != SOCK_DGRAM && s->type != SOCK_SEQPACKET)
		return "unknown type";
	/* An end closed at the checkpoint: an address, nothing else. */
	if (!s->file_id && (s->flags || s->shutdown || s->nr_msgs ||
			    s->data_len || s->opts || s->rcvbuf || s->sndbuf ||
			    s->rcvtimeo_us || s->sndtimeo_us || s->error))
		return "a closed end (no open file id) with a state";
	if (s->error < 0 || s->error > 4095 /* MAX_ERRNO */ || s->__pad)
		return "an invalid error";
	if (s->flags & ~O_NONBLOCK)
		return "unknown flags";
	if (s->shutdown & ~CR_SOCKET_SHUTDOWN)
		return "unknown shutdown";
	if (s->name_len > CR_UNIX_PATH_MAX ||
	    !cr_rule_zero(s->name + s->name_len, CR_UNIX_PATH_MAX - s->name_len))
		return "an invalid address";
	why = cr_rule_unix_opts(s->opts, s->rcvbuf, s->sndbuf, s->rcvtimeo_us, s->sndtimeo_us);
	if (why)
		return why;
	/* Each end's messages follow the previous end's: read once. */
	if (s->data_off != expected_off)
		return "its messages do not follow the previous socket's";
	return NULL;
}

/**
 * cr_rule_sockets - NT_CR_SOCKETS, in the root image, if any
 * @name: the image, for messages
 * @note: the note, or NULL (no socket pair)
 * @h: set to its header (zero without the note): struct cr_socket
 *	entries follow it, then the data area
 *
 * Each end valid, its messages filling its part of the data area right
 * after the previous end's, its peer another end whose peer it is, of
 * its type. Each pair is then made once, its two ends open files of
 * class CR_FILE_SOCK.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sockets(const char *name, const struct cr_note *note, struct cr_hdr_sockets *h)
{
	const char *tab, *data;
	u64 size, data_len;
	u32 i;

	memset(h, 0, sizeof(*h));
	if (!note)
		return 0;
	if (note->size < sizeof(*h)) {
		cr_refuse(name, "NT_CR_SOCKETS note is malformed: %u bytes", note->size);
		return -EINVAL;
	}
	memcpy(h, note->desc, sizeof(*h));
	size = sizeof(*h) + (u64)h->nr_sockets * sizeof(struct cr_socket);
	if (h->__pad || h->nr_sockets > CR_MAX_SOCKETS || size > note->size) {
		cr_refuse(name, "NT_CR_SOCKETS note is malformed: %u sockets in %u bytes, padding %#x",
			  h->nr_sockets, note->size, h->__pad);
		return -EINVAL;
	}
	tab = (const char *)note->desc + sizeof(*h);
	data = (const char *)note->desc + size;
	data_len = note->size - size;
	for (i = 0; i < h->nr_sockets; i++) {
		struct cr_socket s, p, prev;
		const char *why;

		memcpy(&s, tab + (u64)i * sizeof(s), sizeof(s));
		if (i)
			memcpy(&prev, tab + (u64)(i - 1) * sizeof(prev), sizeof(prev));
		why = cr_rule_socket_problem(&s, i, h->nr_sockets,
					     i ? prev.data_off + prev.data_len : 0);
		if (!why && !cr_rule_socket_msgs(&s, data, data_len))
			why = "its messages do not fill their part of the data area";
		if (why) {
			cr_refuse(name, "socket %u is invalid: %s (%u messages, %llu bytes at %llu)",
				  i, why, s.nr_msgs, (unsigned long long)s.data_len,
				  (unsigned long long)s.data_off);
			return -EINVAL;
		}
		memcpy(&p, tab + (u64)s.peer * sizeof(p), sizeof(p));
		if (p.peer != i || p.type != s.type || (!p.file_id && !s.file_id)) {
			cr_refuse(name, "socket %u and its peer %u do not pair", i, s.peer);
			return -EINVAL;
		}
	}
	return 0;
}

/* Pty pairs */

static const char *cr_rule_tty_problem(const struct cr_tty *ct)
{
	if (ct->flags & ~CR_TTY_FLAGS)
		return "unknown flags";
	if (ct->line != N_TTY)
		return "a line discipline other than N_TTY";
	if (ct->__pad)
		return "non-zero padding";
	if (ct->sid < 0 || ct->pgrp < 0 || !ct->sid != !ct->pgrp)
		return "a session without a foreground group, or the reverse";
	return NULL;
}

static const char *cr_rule_tty_end_problem(const struct cr_tty_file *e,
					   const struct cr_tty_file *prev, u32 nr_ttys,
					   const struct cr_tty *ct)
{
	bool first = !prev || prev->tty != e->tty;

	if (!e->file_id)
		return "no open file id";
	if (e->tty >= nr_ttys)
		return "no such pty";
	if (prev && e->tty < prev->tty)
		return "ends not in the order of their ptys";
	if (e->flags & ~(O_ACCMODE | O_NONBLOCK))
		return "unknown flags";
	if ((e->flags & O_ACCMODE) == O_ACCMODE)
		return "no access mode";
	if (e->end != (first ? CR_TTY_MASTER : CR_TTY_SLAVE))
		return first ? "a pty's first end is not its master" : "a second master";
	if (!first && (ct->flags & CR_TTY_SLAVE_CLOSED))
		return "a slave end of a pty whose slave is closed";
	return NULL;
}

/**
 * cr_rule_ttys - NT_CR_TTYS, in the root image, if any
 * @name: the image, for messages
 * @note: the note, or NULL (no pty pair)
 * @procs: the entries of the tree, checked; NULL to leave out the
 *	sessions (crcore, when the tree is unreadable)
 * @nr_procs: how many
 * @h: set to its header (zero without the note): struct cr_tty entries
 *	follow it, then struct cr_tty_file entries, filling the note
 *
 * Each pty valid, the controlling terminal of at most one session, one
 * the tree can give it (cr_rule_tree_session()); its ends after those of
 * the ptys before it, its master first, then its slaves. Each end is
 * then an open file of class CR_FILE_TTY + (flags & O_ACCMODE).
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_ttys(const char *name, const struct cr_note *note, const struct cr_proc *procs,
		 unsigned int nr_procs, struct cr_hdr_ttys *h)
{
	const char *tab, *ends;
	u32 i, j, next;
	u64 size;

	memset(h, 0, sizeof(*h));
	if (!note)
		return 0;
	if (note->size < sizeof(*h)) {
		cr_refuse(name, "NT_CR_TTYS note is malformed: %u bytes", note->size);
		return -EINVAL;
	}
	memcpy(h, note->desc, sizeof(*h));
	size = sizeof(*h) + (u64)h->nr_ttys * sizeof(struct cr_tty) +
	       (u64)h->nr_files * sizeof(struct cr_tty_file);
	if (!h->nr_ttys || h->nr_ttys > CR_MAX_TTYS || size != note->size) {
		cr_refuse(name, "NT_CR_TTYS note is malformed: %u ptys and %u ends in %u bytes",
			  h->nr_ttys, h->nr_files, note->size);
		return -EINVAL;
	}
	tab = (const char *)note->desc + sizeof(*h);
	ends = tab + (u64)h->nr_ttys * sizeof(struct cr_tty);
	for (i = 0; i < h->nr_ttys; i++) {
		struct cr_tty ct, other;
		const char *why;

		memcpy(&ct, tab + (u64)i * sizeof(ct), sizeof(ct));
		why = cr_rule_tty_problem(&ct);
		if (why) {
			cr_refuse(name, "pty %u is invalid: %s", i, why);
			return -EINVAL;
		}
		if (!ct.sid)
			continue;
		if (procs && !cr_rule_tree_session(procs, nr_procs, ct.sid, ct.pgrp)) {
			cr_refuse(name, "pty %u: session %d or its group %d is none the tree can give it",
				  i, ct.sid, ct.pgrp);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			memcpy(&other, tab + (u64)j * sizeof(other), sizeof(other));
			if (other.sid == ct.sid) {
				cr_refuse(name, "pty %u: session %d has another controlling terminal",
					  i, ct.sid);
				return -EINVAL;
			}
		}
	}
	for (i = 0, next = 0; i < h->nr_files; i++) {
		struct cr_tty_file e, prev;
		struct cr_tty ct = {};
		const char *why;

		memcpy(&e, ends + (u64)i * sizeof(e), sizeof(e));
		if (i)
			memcpy(&prev, ends + (u64)(i - 1) * sizeof(prev), sizeof(prev));
		if (e.tty < h->nr_ttys)
			memcpy(&ct, tab + (u64)e.tty * sizeof(ct), sizeof(ct));
		why = cr_rule_tty_end_problem(&e, i ? &prev : NULL, h->nr_ttys, &ct);
		if (why) {
			cr_refuse(name, "pty end %u is invalid: %s (pty %u, open file %u, end %u, flags %#x)",
				  i, why, e.tty, e.file_id, e.end, e.flags);
			return -EINVAL;
		}
		/* The ends are by pty: a pty skipped has no master. */
		if (e.tty > next)
			break;
		next = e.tty + 1;
	}
	if (next < h->nr_ttys) {
		cr_refuse(name, "pty %u has no master", next);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_tty_data_size - the bytes an entry of NT_CR_TTY_DATA takes
 * @e: its struct cr_tty_data
 *
 * Return: the structure, its bytes padded to 8, and with
 * CR_TTY_DATA_LINES its struct cr_tty_lines and line ends.
 */
u64 cr_tty_data_size(const struct cr_tty_data *e)
{
	u64 n = sizeof(*e) + ALIGN((u64)e->len, 8);

	if (e->flags & CR_TTY_DATA_LINES)
		n += sizeof(struct cr_tty_lines) + ALIGN((u64)e->len, 64) / 8;
	return n;
}

/* The line ends of an entry: in canonical mode, the last complete line's last byte. */
static bool cr_rule_tty_lines(const struct cr_tty_data *e, const struct cr_tty_lines *l,
			      const u8 *ends)
{
	u32 i;

	if ((l->flags & ~CR_TTY_LINES_FLAGS) || l->canon > e->len ||
	    (!(l->flags & CR_TTY_LINES_CANON) && l->canon) ||
	    l->column > 0xffff || l->canon_column > 0xffff)
		return false;
	for (i = 0; i < e->len; i++) {
		bool end = ends[i / 8] & (1U << (i % 8));

		/* A line end only in canonical mode, within the complete lines. */
		if (end && (!(l->flags & CR_TTY_LINES_CANON) || i >= l->canon))
			return false;
		if (!end && l->canon && i == l->canon - 1)
			return false;
	}
	/* The bitmap's last word is zero past the bytes. */
	for (i = e->len; i < ALIGN(e->len, 64); i++)
		if (ends[i / 8] & (1U << (i % 8)))
			return false;
	return true;
}

/**
 * cr_rule_tty_data - NT_CR_TTY_DATA, in the root image, if any
 * @name: the image, for messages
 * @note: the note, or NULL (no bytes held)
 * @nr_ttys: the pairs of NT_CR_TTYS
 * @nr: set to its number of entries
 *
 * Entries filling the note, each a struct cr_tty_data of a pair below
 * @nr_ttys and a known side, by increasing pair then side, each at most
 * once, with up to CR_TTY_DATA_MAX bytes (at least one without
 * CR_TTY_DATA_LINES), then zeroes to 8 bytes; with CR_TTY_DATA_LINES, a
 * struct cr_tty_lines whose line ends end its complete lines, and only
 * those. Whether canonical mode is the pair's own, the restore checks.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_tty_data(const char *name, const struct cr_note *note, u32 nr_ttys,
		     unsigned int *nr)
{
	u64 off = 0, size = note ? note->size : 0, len, k;
	const u8 *p = note ? note->desc : NULL;
	unsigned int n = 0;
	s64 last = -1;

	*nr = 0;
	while (off < size) {
		struct cr_tty_lines l;
		struct cr_tty_data e;

		if (size - off < sizeof(e))
			goto bad;
		memcpy(&e, p + off, sizeof(e));
		if (e.tty >= nr_ttys || e.side > CR_TTY_TO_SLAVE || e.len > CR_TTY_DATA_MAX ||
		    (e.flags & ~CR_TTY_DATA_FLAGS) || (!e.len && !(e.flags & CR_TTY_DATA_LINES)) ||
		    (s64)e.tty * 2 + e.side <= last)
			goto bad;
		len = cr_tty_data_size(&e);
		if (len > size - off)
			goto bad;
		for (k = sizeof(e) + e.len; k < sizeof(e) + ALIGN((u64)e.len, 8); k++)
			if (p[off + k])
				goto bad;
		if (e.flags & CR_TTY_DATA_LINES) {
			k = sizeof(e) + ALIGN((u64)e.len, 8);
			memcpy(&l, p + off + k, sizeof(l));
			if (!cr_rule_tty_lines(&e, &l, p + off + k + sizeof(l)))
				goto bad;
		}
		last = (s64)e.tty * 2 + e.side;
		off += len;
		n++;
	}
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_TTY_DATA note is malformed: entry %u at byte %llu", n,
		  (unsigned long long)off);
	return -EINVAL;
}
