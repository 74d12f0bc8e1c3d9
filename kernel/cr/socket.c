// SPDX-License-Identifier: GPL-2.0
/*
 * Unix sockets: pairs between processes of a tree, and sockets known by
 * their name.
 *
 * Checkpoint: a connected AF_UNIX socket whose peer is connected back to
 * it (what socketpair(2) makes, or a connection to a named listener and
 * the end it accepted), both files held only by descriptors of the tree,
 * is saved with their addresses (as getsockname(2) shows them) and
 * the messages queued for each end to receive (NT_CR_SOCKETS, in the root
 * image, when there is a pair); its descriptors are CR_FD_SOCKET. So is
 * a socket whose peer was closed (a datagram one without an address):
 * the closed end is an entry without a file.
 * Out-of-band data refuses the checkpoint rather than be lost. The files
 * messages carry (SCM_RIGHTS), which no descriptor may hold any longer,
 * are open files of the tree all the same (cr_unix_in_flight(), for the
 * scan of files.c): the root's NT_CR_FILES has them (CR_FD_IN_FLIGHT),
 * and a message names them by id. A socket that is not connected, or a datagram socket connected to
 * a named one, is CR_FD_UNIX: struct cr_unix, its name (a path in the
 * process's root, or an abstract name), its state (bound, listening,
 * connected to a name), options, and the messages queued on a datagram
 * one, each with its sender's address (struct cr_unix_msg); connections
 * waiting to be accepted refuse the checkpoint (they would be lost; it
 * may be retried). A connected stream socket leads outside the tree
 * (CR_FD_EXTERNAL), as before.
 *
 * Restore: each pair is made again as socketpair(2) makes it, with the
 * caller's credentials and network namespace. Once every process's files
 * are open, each end's queue is refilled by sending its messages from the
 * other end, in order, with the files they carry, then the shutdowns are
 * applied, a closed end is closed again, and the pending errors set. The ends are the tree's open files, for the
 * descriptors that name them. A CR_FD_UNIX socket is made, bound to its
 * name (its socket file, left behind by the checkpointed socket and
 * listened on by nobody, is replaced; the file gets its mode again),
 * listening, or connected to its peer's name, with the caller's rights.
 * Before it connects, a datagram socket's messages are sent to it again
 * by its name, each from a socket of its own that shows the sender's
 * address, not bound to it.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/init_task.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/security.h>
#include <linux/skbuff.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uio.h>
#include <net/af_unix.h>
#include <net/scm.h>
#include <net/sock.h>

/* Checkpoint */

static struct sock *cr_unix_sock(struct file *file)
{
	struct socket *sock = sock_from_file(file);

	if (!sock || !sock->sk || sock->sk->sk_family != AF_UNIX)
		return NULL;
	return sock->sk;
}

static bool cr_tree_only(const struct cr_obj *obj)
{
	/* Its descriptors in the tree, and the scan's own reference. */
	return obj && file_count(obj->file) == obj->nr_fds + obj->nr_in_flight + 1;
}

/*
 * Is @peer, the peer of @sk, closed? Its process closed it (or exited):
 * @sk reads what it had sent, then the end of the file (a datagram
 * socket's next send is refused). Only for a datagram socket without an
 * address, whose messages can only be its peer's. Caller holds a
 * reference to @peer.
 */
static bool cr_unix_peer_closed(struct sock *sk, struct sock *peer)
{
	if (!sock_flag(peer, SOCK_DEAD))
		return false;
	/* Acquire: paired with the release of unix_bind(), as unix_getname(). */
	return sk->sk_type != SOCK_DGRAM || !smp_load_acquire(&unix_sk(sk)->addr);
}

/**
 * cr_socket_internal - is this file an end of a socket pair of the tree?
 * @o: the checkpoint's objects, after the scan of the descriptors
 * @obj: an open file of the tree
 *
 * Return: true when it is to be restored as a socket pair (one whose
 * other end may have been closed).
 */
bool cr_socket_internal(struct cr_objs *o, const struct cr_obj *obj)
{
	struct sock *sk = cr_unix_sock(obj->file), *peer;
	struct socket *psock;
	bool ok;

	if (!sk || (sk->sk_type != SOCK_STREAM && sk->sk_type != SOCK_DGRAM &&
		    sk->sk_type != SOCK_SEQPACKET))
		return false;
	unix_state_lock(sk);
	peer = unix_peer(sk);
	if (peer)
		sock_hold(peer);
	ok = !!peer;
	unix_state_unlock(sk);
	if (!peer)
		return false;
	/* Connected to each other: a datagram end may be connected to a third. */
	unix_state_lock(peer);
	if (cr_unix_peer_closed(sk, peer)) {
		ok = peer->sk_type == sk->sk_type;
	} else {
		ok = unix_peer(peer) == sk && peer->sk_type == sk->sk_type;
		psock = peer->sk_socket;
		ok = ok && psock && psock->file &&
		     cr_tree_only(cr_obj_find(o, psock->file, false));
	}
	unix_state_unlock(peer);
	sock_put(peer);
	return ok && cr_tree_only(obj);
}

/* Is @sk a socket whose file the tree holds? */
static bool cr_unix_tree_sock(struct cr_objs *o, struct sock *sk)
{
	struct socket *sock;
	bool ret;

	/* A socket's inode, and so the socket, is freed after a grace period. */
	rcu_read_lock();
	sock = READ_ONCE(sk->sk_socket);
	ret = sock && READ_ONCE(sock->file) && cr_obj_find(o, READ_ONCE(sock->file), false);
	rcu_read_unlock();
	return ret;
}

/*
 * The listener of the tree in whose accept queue @peer, the peer of a
 * client, waits: a socket connect() made for it (an embryo), not accepted
 * yet. NULL for any other peer.
 */
static struct sock *cr_unix_pending_listener(struct cr_objs *o, struct sock *peer)
{
	struct sock *listener = READ_ONCE(unix_sk(peer)->listener);

	return listener && cr_unix_tree_sock(o, listener) ? listener : NULL;
}

/**
 * cr_socket_external - is this socket connected to a peer outside the tree?
 * @o: the checkpoint's objects
 * @file: an open file of the tree, not an end of one of its socket pairs
 *
 * A unix socket with a peer (connect(), accept(), or the other end of a
 * pair held outside) leads outside the tree: the restorer supplies it
 * (CR_FD_EXTERNAL); but a datagram socket connected to a named one is
 * connected again by that name, and a client that a listener of the tree
 * has not accepted yet connects to it again. Any other socket is the
 * process's own.
 *
 * Return: true for such a socket.
 */
bool cr_socket_external(struct cr_objs *o, struct file *file)
{
	struct sock *sk = cr_unix_sock(file), *peer;
	bool ret;

	if (!sk)
		return false;
	unix_state_lock(sk);
	peer = unix_peer(sk);
	/* A datagram socket connects again to its peer's name (acquire: as unix_getname()). */
	ret = peer && (sk->sk_type != SOCK_DGRAM || !smp_load_acquire(&unix_sk(peer)->addr));
	if (ret && sk->sk_type != SOCK_DGRAM && cr_unix_pending_listener(o, peer))
		ret = false;
	unix_state_unlock(sk);
	return ret;
}

/* The options a unix socket keeps: struct cr_unix's and struct cr_socket's. */
struct cr_unix_opts {
	u32 flags;		/* CR_UNIX_PASSCRED, CR_UNIX_RCVBUF, CR_UNIX_SNDBUF */
	s32 rcvbuf;
	s32 sndbuf;
	u64 rcvtimeo_us;
	u64 sndtimeo_us;
};

/* The options programs set, as setsockopt() would set them again. */
static void cr_unix_options(struct sock *sk, struct cr_unix_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (test_bit(SOCK_PASSCRED, &sk->sk_socket->flags))
		o->flags |= CR_UNIX_PASSCRED;
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK) {
		o->flags |= CR_UNIX_RCVBUF;
		o->rcvbuf = READ_ONCE(sk->sk_rcvbuf) / 2;
	}
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK) {
		o->flags |= CR_UNIX_SNDBUF;
		o->sndbuf = READ_ONCE(sk->sk_sndbuf) / 2;
	}
	o->rcvtimeo_us = cr_sock_timeo_us(READ_ONCE(sk->sk_rcvtimeo));
	o->sndtimeo_us = cr_sock_timeo_us(READ_ONCE(sk->sk_sndtimeo));
}

static int cr_unix_set_options(struct socket *sock, const struct cr_unix_opts *o)
{
	int one = 1, ret = 0;

	if (o->flags & CR_UNIX_PASSCRED)
		ret = cr_setsockopt(sock, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if (!ret && (o->flags & CR_UNIX_RCVBUF))
		ret = cr_setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf, sizeof(o->rcvbuf));
	if (!ret && (o->flags & CR_UNIX_SNDBUF))
		ret = cr_setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &o->sndbuf, sizeof(o->sndbuf));
	if (!ret)
		ret = cr_sock_set_timeo(sock, SO_RCVTIMEO_NEW, o->rcvtimeo_us);
	if (!ret)
		ret = cr_sock_set_timeo(sock, SO_SNDTIMEO_NEW, o->sndtimeo_us);
	return ret;
}

/* An option of a unix socket the image does not hold, set, or NULL. */
static const char *cr_unix_unsaved(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;

	if (test_bit(SOCK_PASSSEC, &sock->flags) || test_bit(SOCK_PASSPIDFD, &sock->flags) ||
	    READ_ONCE(sk->sk_peek_off) >= 0 || sock_flag(sk, SOCK_RCVTSTAMP) ||
	    sock_flag(sk, SOCK_RCVTSTAMPNS) || READ_ONCE(sk->sk_tsflags) ||
	    sock_flag(sk, SOCK_RXQ_OVFL) || sock_flag(sk, SOCK_RCVMARK))
		return "SO_PASSSEC, SO_PASSPIDFD, SO_PEEK_OFF, SO_TIMESTAMP*, SO_RXQ_OVFL or SO_RCVMARK";
	return NULL;
}

/* The address of the socket @sk, as getsockname(2) gives it, into @name. */
static u16 cr_unix_raw_addr(struct sock *sk, char *name)
{
	/* Acquire: as unix_getname(). */
	struct unix_address *addr = smp_load_acquire(&unix_sk(sk)->addr);
	u16 len;

	if (!addr)
		return 0;
	len = min_t(int, addr->len - offsetof(struct sockaddr_un, sun_path), CR_UNIX_PATH_MAX);
	memcpy(name, addr->name->sun_path, len);
	return len;
}

/*
 * The messages queued on @sk, each a struct cr_unix_msg, the ids of the
 * open files it carries (if @files: else they refuse the checkpoint), its
 * sender's address (if @named: a datagram socket's) and its data (of a
 * stream, what is left to read), into @buf (NULL: only count), at most
 * @cap bytes. The tree is frozen, but a process outside it can still
 * reach a socket of it (pidfd_getfd(), SCM_RIGHTS before the checkpoint)
 * and queue more between the count and the copy: the copy is bounded,
 * and a queue that grew, or carries a file the scan did not see, refuses
 * the checkpoint with -EAGAIN (issue 12, finding 2). -EOPNOTSUPP for
 * out-of-band data, or files in flight where @files is false.
 */
static int cr_dump_unix_msgs(struct cr_objs *o, struct sock *sk, bool named, bool files,
			     char *buf, size_t cap, size_t *len, u32 *nr)
{
	struct sk_buff *skb;
	int ret = 0;

	*len = 0;
	*nr = 0;
#if IS_ENABLED(CONFIG_AF_UNIX_OOB)
	if (READ_ONCE(unix_sk(sk)->oob_skb))
		return -EOPNOTSUPP;
#endif
	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		u32 off = sk->sk_type == SOCK_STREAM ? UNIXCB(skb).consumed : 0;
		struct scm_fp_list *fp = UNIXCB(skb).fp;
		struct cr_unix_msg m = { .len = skb->len - off };
		char name[CR_UNIX_PATH_MAX];
		size_t size, ids;
		char *p;
		int k;

		m.nr_files = fp ? fp->count : 0;
		if (m.nr_files && !files) {
			ret = -EOPNOTSUPP;
			break;
		}
		m.name_len = named ? cr_unix_raw_addr(skb->sk, name) : 0;
		ids = m.nr_files * sizeof(u32);
		size = ALIGN(sizeof(m) + ids + m.name_len + (size_t)m.len, 4);
		if (buf && size > cap - *len) {
			ret = -EAGAIN;
			break;
		}
		if (buf) {
			p = buf + *len;
			memcpy(p, &m, sizeof(m));
			p += sizeof(m);
			for (k = 0; k < m.nr_files; k++, p += sizeof(u32)) {
				struct cr_obj *obj = cr_obj_find(o, fp->fp[k], false);

				if (!obj || !obj->nr_in_flight) {
					ret = -EAGAIN;
					break;
				}
				memcpy(p, &obj->id, sizeof(u32));
			}
			if (ret)
				break;
			memcpy(p, name, m.name_len);
			ret = skb_copy_bits(skb, off, p + m.name_len, m.len);
			if (ret)
				break;
		}
		*len += size;
		if (++*nr > CR_MAX_SOCKET_MSGS) {
			ret = -EFBIG;
			break;
		}
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return ret;
}

/*
 * The socket whose queue the image keeps for @sk: its own (a datagram
 * socket's, an end of a pair's: its peer's file is the tree's), the
 * embryo's of a client a listener of the tree has not accepted yet, or
 * none (NULL: one that leads outside, a listener, one not connected).
 * With a reference.
 */
static struct sock *cr_unix_queue_sock(struct cr_objs *o, struct sock *sk)
{
	struct sock *peer;

	if (sk->sk_type == SOCK_DGRAM) {
		sock_hold(sk);
		return sk;
	}
	peer = unix_peer_get(sk);
	if (!peer)
		return NULL;
	if (cr_unix_pending_listener(o, peer))
		return peer;
	if (cr_unix_peer_closed(sk, peer)) {
		sock_put(peer);
		sock_hold(sk);
		return sk;
	}
	sock_put(peer);
	if (!cr_unix_tree_sock(o, peer))
		return NULL;
	sock_hold(sk);
	return sk;
}

/**
 * cr_unix_in_flight - the open files messages queued on a socket carry
 * @o: the checkpoint's objects, so far
 * @file: an open file of the tree
 * @files: set to a new array (kvfree()) of references (fput() each), or
 *	NULL
 * @nr: set to their number: a file once for each message carrying it
 *
 * Return: 0; -ENOENT when the image keeps no queue of @file (not a unix
 * socket, or one that leads outside: as far as @o tells yet, the peer of
 * a stream socket may be found later); -ENOMEM; or -EAGAIN when the queue
 * keeps changing.
 */
int cr_unix_in_flight(struct cr_objs *o, struct file *file, struct file ***files,
		      unsigned int *nr)
{
	struct sock *sk = cr_unix_sock(file), *q;
	unsigned int n = 0, cap = 0, i, tries;
	struct file **a = NULL;
	struct sk_buff *skb;
	int ret = -EAGAIN;

	*files = NULL;
	*nr = 0;
	q = sk && READ_ONCE(sk->sk_state) != TCP_LISTEN ? cr_unix_queue_sock(o, sk) : NULL;
	if (!q)
		return -ENOENT;
	/* Counted under the lock, room made outside it, until all fit. */
	for (tries = 0; tries < 4; tries++) {
		n = 0;
		spin_lock(&q->sk_receive_queue.lock);
		skb_queue_walk(&q->sk_receive_queue, skb) {
			struct scm_fp_list *fp = UNIXCB(skb).fp;
			int k;

			for (k = 0; fp && k < fp->count; k++, n++)
				if (n < cap)
					a[n] = get_file(fp->fp[k]);
		}
		spin_unlock(&q->sk_receive_queue.lock);
		if (n <= cap) {
			*files = a;
			*nr = n;
			a = NULL;
			ret = 0;
			break;
		}
		for (i = 0; i < cap; i++)
			fput(a[i]);
		kvfree(a);
		cap = n;
		a = kvmalloc_array(cap, sizeof(*a), GFP_KERNEL_ACCOUNT);
		if (!a) {
			ret = -ENOMEM;
			break;
		}
	}
	kvfree(a);
	sock_put(q);
	return ret;
}

/* The address of an end, as getsockname(2) gives it (sun_path as bound). */
static void cr_socket_addr(struct sock *sk, struct cr_socket *cs)
{
	cs->name_len = cr_unix_raw_addr(sk, cs->name);
}

/*
 * Was the peer of @sk, an end of a pair of the tree, closed? Then, if
 * @cs, its entry: no file, the address it had (the one getpeername(2) of
 * @sk gives), no message (a closed socket's were dropped).
 */
static bool cr_pair_closed(struct sock *sk, struct cr_socket *cs)
{
	struct sock *peer = unix_peer_get(sk);
	bool closed = peer && cr_unix_peer_closed(sk, peer);

	if (closed && cs) {
		memset(cs, 0, sizeof(*cs));
		cr_socket_addr(peer, cs);
	}
	if (peer)
		sock_put(peer);
	return closed;
}

/**
 * cr_dump_sockets - NT_CR_SOCKETS: the socket pairs inside the tree
 * @d: the root's image
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_sockets(struct cr_dump *d)
{
	unsigned int i, j, n = cr_objs_nr(d->objs), nr = 0;
	struct cr_hdr_sockets *h;
	struct cr_socket *cs;
	size_t size, data = 0, len, room;
	struct cr_unix_opts o;
	const char *why;
	char *area;
	u32 msgs;
	int ret = 0;

	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);

		if (!obj->file || obj->pipe || !obj->internal)
			continue;
		/* An end whose peer was closed: that one's entry follows. */
		obj->index = nr;
		nr += cr_pair_closed(cr_unix_sock(obj->file), NULL) ? 2 : 1;
		why = cr_unix_unsaved(cr_unix_sock(obj->file));
		if (why) {
			cr_refuse(current->comm, "checkpoint refused: a unix socket pair of the tree has %s set, which is not saved yet",
				  why);
			return -EOPNOTSUPP;
		}
		ret = cr_dump_unix_msgs(d->objs, cr_unix_sock(obj->file), false, true, NULL, 0,
					&len, &msgs);
		if (ret)
			goto refused;
		data += len;
	}
	if (!nr)
		return 0;	/* no note: no pair */
	size = sizeof(*h) + nr * sizeof(*cs);
	if (size + data > CR_MAX_NOTES_SIZE / 2 || nr > CR_MAX_SOCKETS) {
		ret = -EFBIG;
		goto refused;
	}
	h = kvzalloc(size + data, GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->nr_sockets = nr;
	cs = (struct cr_socket *)(h + 1);
	area = (char *)(cs + nr);
	room = data;
	data = 0;
	for (i = 0, j = 0; !ret && i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);
		struct sock *sk, *peer;
		struct cr_obj *pobj;
		bool closed;

		if (!obj->file || obj->pipe || !obj->internal)
			continue;
		sk = cr_unix_sock(obj->file);
		/* Still the pair the scan found (a datagram end can be reconnected). */
		pobj = NULL;
		closed = cr_pair_closed(sk, NULL);
		if (obj->index != j || (closed && j + 1 >= nr)) {
			ret = -EAGAIN;
			break;
		}
		if (closed)
			cr_pair_closed(sk, &cs[j + 1]);
		unix_state_lock(sk);
		peer = unix_peer(sk);
		if (peer)
			sock_hold(peer);
		unix_state_unlock(sk);
		if (peer && closed) {
			sock_put(peer);
			pobj = obj;
		} else if (peer) {
			struct socket *psock;

			unix_state_lock(peer);
			psock = peer->sk_socket;
			if (psock && psock->file)
				pobj = cr_obj_find(d->objs, psock->file, false);
			unix_state_unlock(peer);
			sock_put(peer);
		}
		if (!pobj || !pobj->internal || pobj->pipe || !pobj->file) {
			ret = -EAGAIN;
			break;
		}
		cs[j].file_id = obj->id;
		cs[j].peer = closed ? j + 1 : pobj->index;
		cs[j].type = sk->sk_type;
		cs[j].error = READ_ONCE(sk->sk_err);
		cs[j].flags = obj->file->f_flags & O_NONBLOCK;
		cs[j].shutdown = READ_ONCE(sk->sk_shutdown) & SHUTDOWN_MASK;
		cs[j].data_off = data;
		cr_socket_addr(sk, &cs[j]);
		cr_unix_options(sk, &o);
		cs[j].opts = o.flags;
		cs[j].rcvbuf = o.rcvbuf;
		cs[j].sndbuf = o.sndbuf;
		cs[j].rcvtimeo_us = o.rcvtimeo_us;
		cs[j].sndtimeo_us = o.sndtimeo_us;
		ret = cr_dump_unix_msgs(d->objs, sk, false, true, area + data, room - data, &len,
					&msgs);
		cs[j].data_len = len;
		cs[j].nr_msgs = msgs;
		data += len;
		j++;
		if (closed) {
			cs[j].peer = j - 1;
			cs[j].type = sk->sk_type;
			cs[j].data_off = data;
			j++;
		}
	}
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SOCKETS, h, size + data);
	kvfree(h);
	if (ret != -EOPNOTSUPP && ret != -EAGAIN)
		return ret;
refused:
	cr_refuse(current->comm, "checkpoint refused: a unix socket pair of the tree holds %s (%d)",
		  ret == -EOPNOTSUPP ? "out-of-band data" :
		  ret == -EAGAIN ? "more data, or other files in flight, than when counted (it changed during the checkpoint)" :
		  "too much data", ret);
	return ret;
}

/**
 * cr_is_unix - is @file a unix socket cr_dump_unix() may save?
 * @file: an open file, not an end of a pair of the tree nor external
 *
 * Return: true for an AF_UNIX socket.
 */
bool cr_is_unix(struct file *file)
{
	return cr_unix_sock(file);
}

/* Is @sk bound to a path (not abstract, not unnamed)? */
static bool cr_unix_path_bound(struct sock *sk)
{
	/* Paired with the release of unix_bind(), as unix_getname(). */
	struct unix_address *addr = smp_load_acquire(&unix_sk(sk)->addr);

	return addr && addr->name->sun_path[0];
}

/**
 * cr_unix_path_named - is @file's unix socket, or its peer, known by a path?
 * @file: a unix socket (cr_is_unix())
 *
 * Return: true when it or its peer is bound to a path.
 */
bool cr_unix_path_named(struct file *file)
{
	struct sock *sk = sock_from_file(file)->sk, *peer;
	bool named = cr_unix_path_bound(sk);

	peer = unix_peer_get(sk);
	if (peer) {
		named |= cr_unix_path_bound(peer);
		sock_put(peer);
	}
	return named;
}

/* The address of @u as the image keeps it: absolute path or abstract name. */
static int cr_unix_name(struct unix_sock *u, char *name, u16 *len)
{
	/* Paired with the release of unix_bind() and autobind, as unix_getname(). */
	struct unix_address *addr = smp_load_acquire(&u->addr);
	char *buf, *p;
	int ret = 0;

	*len = 0;
	if (!addr)
		return 0;
	if (!addr->name->sun_path[0]) {
		/* Abstract: the bytes after sun_family, the first a NUL. */
		*len = addr->len - offsetof(struct sockaddr_un, sun_path);
		memcpy(name, addr->name->sun_path, *len);
		return 0;
	}
	if (!u->path.dentry)
		return -ENOENT;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = d_path(&u->path, buf, PATH_MAX);
	if (IS_ERR(p))
		ret = PTR_ERR(p);
	else if (d_unlinked(u->path.dentry))
		ret = -ENOENT;
	else if (strlen(p) >= CR_UNIX_PATH_MAX)
		ret = -ENAMETOOLONG;
	else
		*len = strscpy(name, p, CR_UNIX_PATH_MAX) + 1;
	kfree(buf);
	return ret;
}

/*
 * The messages of @q after @cu in a new buffer, *@state: those queued on
 * a datagram socket, or those a client sent to the embryo @q of its
 * connection, which waits to be accepted (no address). @q NULL: none.
 */
static int cr_dump_unix_queue_of(struct cr_objs *o, struct sock *q, bool files, int fd,
				 struct cr_unix *cu, void **state, size_t *len)
{
	bool named = cu->type == SOCK_DGRAM;
	size_t size = 0, got;
	const char *why;
	char *buf;
	u32 nr;
	int ret;

	ret = q ? cr_dump_unix_msgs(o, q, named, files, NULL, 0, &size, &nr) : 0;
	if (ret)
		goto refused;
	if (size > CR_MAX_NOTES_SIZE / 2) {
		ret = -EFBIG;
		goto refused;
	}
	/* The restore sends them again by its name. */
	if (size && named && !cu->name_len) {
		ret = -EOPNOTSUPP;
		goto refused;
	}
	buf = kvzalloc(sizeof(*cu) + size, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	if (size) {
		ret = cr_dump_unix_msgs(o, q, named, files, buf + sizeof(*cu), size, &got, &nr);
		if (!ret && got != size)
			ret = -EAGAIN;
		if (ret) {
			kvfree(buf);
			goto refused;
		}
		cu->nr_msgs = nr;
	}
	memcpy(buf, cu, sizeof(*cu));
	*state = buf;
	*len = sizeof(*cu) + size;
	return 0;
refused:
	if (ret == -EOPNOTSUPP && (cu->name_len || !named))
		why = "out-of-band data, or descriptors in flight (SCM_RIGHTS) on a socket in flight itself, not saved yet";
	else if (ret == -EOPNOTSUPP)
		why = "the socket has no name to send them to again";
	else if (ret == -EAGAIN)
		why = "the queue changed while it was read (retry)";
	else
		why = "too many";
	cr_refuse(current->comm, "checkpoint refused: fd %d: the messages queued on a unix socket cannot be saved: %s (%d)",
		  fd, why, ret);
	return ret;
}

/* Is each connection waiting in listener @sk's accept queue from a client of the tree? */
static bool cr_unix_backlog_ours(struct cr_objs *o, struct sock *sk)
{
	struct sk_buff *skb;
	bool ours = true;

	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		/* The embryo's peer is its client, set before it was queued. */
		struct sock *client = unix_peer(skb->sk);

		ours = client && cr_unix_tree_sock(o, client);
		if (!ours)
			break;
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return ours;
}

/* The place of embryo @peer in @listener's accept queue, or -1. */
static int cr_unix_place(struct sock *listener, struct sock *peer)
{
	struct sk_buff *skb;
	int i = 0, place = -1;

	spin_lock(&listener->sk_receive_queue.lock);
	skb_queue_walk(&listener->sk_receive_queue, skb) {
		if (skb->sk == peer) {
			place = i;
			break;
		}
		i++;
	}
	spin_unlock(&listener->sk_receive_queue.lock);
	return place;
}

/**
 * cr_dump_unix - the state of a unix socket known by its name
 * @o: the checkpoint's objects
 * @file: the socket (cr_is_unix(), not external)
 * @fd: its descriptor, for messages
 * @state: set to a new buffer (kvfree()): struct cr_unix, then the
 *	messages of a datagram socket
 * @len: set to its size
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_dump_unix(struct cr_objs *objs, struct file *file, int fd, void **state, size_t *len)
{
	struct sock *sk = cr_unix_sock(file), *peer, *listener, *q = NULL;
	const char *why = NULL;
	struct cr_unix_opts o;
	struct cr_unix c, *cu = &c;
	struct cr_obj *obj;
	int ret, place;

	memset(cu, 0, sizeof(*cu));
	cu->type = sk->sk_type;
	if (sk->sk_type != SOCK_STREAM && sk->sk_type != SOCK_DGRAM &&
	    sk->sk_type != SOCK_SEQPACKET)
		why = "of its type";
	else if (READ_ONCE(sk->sk_state) == TCP_LISTEN)
		cu->state = CR_UNIX_LISTEN;
	if (!why && cu->state == CR_UNIX_LISTEN && !cr_unix_backlog_ours(objs, sk))
		why = "connections from clients outside the tree, or gone, wait in its accept queue (retry)";
	else if (!why && sk->sk_type != SOCK_DGRAM && cu->state != CR_UNIX_LISTEN &&
		 skb_queue_len_lockless(&sk->sk_receive_queue))
		why = "messages are queued on it (retry)";
	else if (!why && sk->sk_shutdown)
		why = "it is shut down";
	else if (!why)
		why = cr_unix_unsaved(sk);
	if (why) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a unix socket cannot be saved: %s",
			  fd, why);
		return strstr(why, "retry") ? -EAGAIN : -EOPNOTSUPP;
	}
	cu->backlog = cu->state == CR_UNIX_LISTEN ? READ_ONCE(sk->sk_max_ack_backlog) : 0;
	ret = cr_unix_name(unix_sk(sk), cu->name, &cu->name_len);
	if (!ret && cu->name_len && cu->name[0])
		cu->mode = d_inode(unix_sk(sk)->path.dentry)->i_mode & 07777;
	peer = ret ? NULL : unix_peer_get(sk);
	if (peer && sk->sk_type != SOCK_DGRAM) {
		/* Not external: a client a listener of the tree has not accepted. */
		cu->state = CR_UNIX_PENDING;
		listener = cr_unix_pending_listener(objs, peer);
		place = listener ? cr_unix_place(listener, peer) : -1;
		if (place < 0) {
			sock_put(peer);
			cr_refuse(current->comm, "checkpoint refused: fd %d: a unix socket's connection was accepted during the checkpoint (retry)",
				  fd);
			return -EAGAIN;
		}
		cu->backlog = place;
		q = peer;
	} else if (peer) {
		cu->state = CR_UNIX_CONNECTED;
	}
	if (peer) {
		ret = cr_unix_name(unix_sk(peer), cu->peer, &cu->peer_len);
		if (!ret && !cu->peer_len)
			ret = -ENOTCONN;
	}
	if (ret) {
		if (peer)
			sock_put(peer);
		cr_refuse(current->comm, "checkpoint refused: fd %d: the name of a unix socket or of its peer cannot be saved (%d: removed, too long or none)",
			  fd, ret);
		return ret == -ENOMEM ? ret : -EOPNOTSUPP;
	}
	cr_unix_options(sk, &o);
	cu->flags = o.flags;
	cu->rcvbuf = o.rcvbuf;
	cu->sndbuf = o.sndbuf;
	cu->rcvtimeo_us = o.rcvtimeo_us;
	cu->sndtimeo_us = o.sndtimeo_us;
	if (sk->sk_type == SOCK_DGRAM)
		q = sk;
	/*
	 * Files in flight on a named socket in flight: which to open first?
	 * (A client's are sent once every file is open.)
	 */
	obj = cr_obj_find(objs, file, false);
	ret = cr_dump_unix_queue_of(objs, q, q != sk || (obj && !obj->nr_in_flight), fd, cu,
				    state, len);
	if (peer)
		sock_put(peer);
	return ret;
}

/* Restore */

/* The size of message @m with what follows it, as the image holds it. */
static size_t cr_unix_msg_size(const struct cr_unix_msg *m)
{
	return ALIGN(sizeof(*m) + m->nr_files * sizeof(u32) + m->name_len + (size_t)m->len, 4);
}

/*
 * Send message @m, which @p follows (the ids of the files it carries, its
 * sender's address, its data), from @from as @msg says (to an address,
 * or the peer), with those open files of the tree as SCM_RIGHTS.
 * scm_send() takes them by descriptor: they are installed, for the send
 * only, in a table of the restorer's own that holds nothing else.
 */
static int cr_unix_send(struct cr_restore *r, struct socket *from, struct msghdr *msg,
			const struct cr_unix_msg *m, const char *p)
{
	struct kvec iov = {
		.iov_base = (void *)(p + m->nr_files * sizeof(u32) + m->name_len),
		.iov_len = m->len,
	};
	struct files_struct *files = NULL, *own = NULL;
	struct cmsghdr *cmsg = NULL;
	struct fdtable *fdt;
	unsigned int k, class;
	int ret = 0, *fds;

	if (m->nr_files) {
		cmsg = kzalloc(CMSG_SPACE(m->nr_files * sizeof(int)), GFP_KERNEL_ACCOUNT);
		/* The kernel threads' table, which holds no descriptor. */
		files = dup_fd(&init_files, NULL);
		if (!cmsg || IS_ERR(files)) {
			ret = IS_ERR(files) ? PTR_ERR(files) : -ENOMEM;
			files = IS_ERR(files) ? NULL : files;
			goto out;
		}
		rcu_read_lock();
		fdt = files_fdtable(files);
		if (find_first_bit(fdt->open_fds, fdt->max_fds) < fdt->max_fds)
			ret = -EBUSY;
		rcu_read_unlock();
		if (ret)
			goto out;
		cmsg->cmsg_len = CMSG_LEN(m->nr_files * sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		fds = (int *)CMSG_DATA(cmsg);
		task_lock(current);
		own = current->files;
		current->files = files;
		task_unlock(current);
		for (k = 0; !ret && k < m->nr_files; k++) {
			struct file *f;
			u32 id;

			memcpy(&id, p + k * sizeof(u32), sizeof(id));
			f = cr_tree_file(r->tree, id, &class);
			if (!f) {
				cr_refuse(r->img->name, "a unix socket's message carries open file %u, which the image does not open",
					  id);
				ret = -EINVAL;
				break;
			}
			fds[k] = get_unused_fd_flags(0);
			if (fds[k] < 0) {
				fput(f);
				ret = fds[k];
				break;
			}
			fd_install(fds[k], f);
		}
		msg->msg_control = cmsg;
		msg->msg_controllen = cmsg->cmsg_len;
	}
	if (!ret) {
		ret = kernel_sendmsg(from, msg, &iov, 1, m->len);
		ret = ret == m->len ? 0 : ret < 0 ? ret : -EIO;
	}
out:
	if (own) {
		task_lock(current);
		current->files = own;
		task_unlock(current);
	}
	if (files)
		put_files_struct(files);
	kfree(cmsg);
	return ret;
}

/* Send the messages queued for one end, from the other. */
static int cr_socket_refill(struct cr_restore *r, struct socket *from,
			    const struct cr_socket *cs, const char *data)
{
	size_t off = cs->data_off, end = cs->data_off + cs->data_len;
	unsigned int i;

	for (i = 0; i < cs->nr_msgs; i++) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		struct cr_unix_msg m;
		int ret;

		memcpy(&m, data + off, sizeof(m));
		ret = cr_unix_send(r, from, &msg, &m, data + off + sizeof(m));
		if (ret)
			return ret;
		off += cr_unix_msg_size(&m);
		if (WARN_ON_ONCE(off > end))
			return -EINVAL;
	}
	return 0;
}

static int cr_socket_shutdown(struct socket *sock, u32 how)
{
	int ret = 0;

	if (how & SEND_SHUTDOWN)
		ret = kernel_sock_shutdown(sock, SHUT_WR);
	if (!ret && (how & RCV_SHUTDOWN))
		ret = kernel_sock_shutdown(sock, SHUT_RD);
	return ret;
}

/*
 * An end gets the address it showed (an end accepted from a named
 * listener has the listener's): for getsockname(2) and getpeername(2)
 * only, as for an accepted socket, which is not bound itself.
 */
static int cr_unix_set_raw_addr(struct sock *sk, const char *name, u16 len)
{
	struct unix_address *addr;

	if (!len)
		return 0;
	addr = kmalloc(sizeof(*addr) + offsetof(struct sockaddr_un, sun_path) + len,
		       GFP_KERNEL_ACCOUNT);
	if (!addr)
		return -ENOMEM;
	refcount_set(&addr->refcnt, 1);
	addr->len = offsetof(struct sockaddr_un, sun_path) + len;
	addr->name->sun_family = AF_UNIX;
	memcpy(addr->name->sun_path, name, len);
	/* Release: paired with the acquire of unix_getname(). */
	smp_store_release(&unix_sk(sk)->addr, addr);
	return 0;
}

static int cr_socket_set_addr(struct sock *sk, const struct cr_socket *cs)
{
	return cr_unix_set_raw_addr(sk, cs->name, cs->name_len);
}

/* One pair: ends @a and @b of the note; its queues come later. */
static int cr_restore_pair(struct cr_restore *r, const struct cr_socket *cs,
			   unsigned int a, unsigned int b)
{
	struct socket *sock[2] = {};
	struct file *file[2] = {};
	unsigned int end[2] = { a, b }, i;
	int ret;

	for (i = 0; i < 2; i++) {
		ret = sock_create(AF_UNIX, cs[a].type, 0, &sock[i]);
		if (ret)
			goto out;
	}
	ret = security_socket_socketpair(sock[0], sock[1]);
	if (!ret)
		ret = READ_ONCE(sock[0]->ops)->socketpair(sock[0], sock[1]);
	if (ret)
		goto out;
	for (i = 0; i < 2; i++) {
		file[i] = sock_alloc_file(sock[i], cs[end[i]].flags, NULL);
		if (IS_ERR(file[i])) {
			/* sock_alloc_file() released the socket. */
			ret = PTR_ERR(file[i]);
			file[i] = NULL;
			sock[i] = NULL;
			goto out;
		}
	}
	for (i = 0; !ret && i < 2; i++) {
		const struct cr_socket *e = &cs[end[i]];
		struct cr_unix_opts o = {
			.flags = e->opts, .rcvbuf = e->rcvbuf, .sndbuf = e->sndbuf,
			.rcvtimeo_us = e->rcvtimeo_us, .sndtimeo_us = e->sndtimeo_us,
		};

		ret = cr_socket_set_addr(sock[i]->sk, e);
		if (!ret)
			ret = cr_unix_set_options(sock[i], &o);
	}
	/* A closed end is the restore's until it sent its peer's messages. */
	for (i = 0; !ret && i < 2; i++) {
		if (cs[end[i]].file_id) {
			ret = cr_tree_add_file(r->tree, cs[end[i]].file_id, file[i], CR_FILE_SOCK);
			continue;
		}
		ret = xa_insert(cr_tree_closed_ends(r->tree), end[i], file[i], GFP_KERNEL);
		if (!ret)
			get_file(file[i]);
	}
out:
	for (i = 0; i < 2; i++) {
		if (file[i])
			fput(file[i]);
		else if (sock[i])
			sock_release(sock[i]);
	}
	if (ret)
		cr_refuse(r->img->name, "socket pair %u-%u: cannot rebuild it (%d)", a, b, ret);
	return ret;
}

/**
 * cr_restore_sockets_prepare - the unix socket pairs inside the tree
 * @r: the root's plan, with its tree
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_sockets_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_SOCKETS);
	struct cr_hdr_sockets h;
	struct cr_socket *cs;
	unsigned int i;
	int ret;

	ret = cr_rule_sockets(r->img->name, note, &h);
	if (ret || !h.nr_sockets)
		return ret;
	/* The note is 4-byte aligned only: copy the table. */
	cs = kvmemdup(note->desc + sizeof(h), h.nr_sockets * sizeof(*cs), GFP_KERNEL_ACCOUNT);
	if (!cs)
		return -ENOMEM;
	for (i = 0; !ret && i < h.nr_sockets; i++)
		if (i < cs[i].peer)
			ret = cr_restore_pair(r, cs, i, cs[i].peer);
	kvfree(cs);
	return ret;
}

/* The socket of end @i of a pair the tree made. */
static struct socket *cr_pair_end(struct cr_restore *r, const struct cr_socket *cs,
				  unsigned int i, struct file **file)
{
	unsigned int class;

	if (cs->file_id) {
		*file = cr_tree_file(r->tree, cs->file_id, &class);
	} else {
		*file = xa_load(cr_tree_closed_ends(r->tree), i);
		if (*file)
			get_file(*file);
	}
	return *file ? sock_from_file(*file) : NULL;
}

/* Close end @i, closed at the checkpoint, once its peer has its messages. */
static void cr_pair_close(struct cr_restore *r, unsigned int i)
{
	struct file *file = xa_erase(cr_tree_closed_ends(r->tree), i);

	if (file)
		fput(file);
}

/**
 * cr_restore_sockets_refill - the messages queued on the socket pairs
 * @r: the root's plan, with its tree, every process's files open
 *
 * Each end's messages are sent again from the other end, with the files
 * they carry (which any process's descriptors or the root's files in
 * flight opened), then each end is shut down as it was.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_sockets_refill(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_SOCKETS);
	struct file *file[2];
	struct socket *sock[2];
	struct cr_hdr_sockets h;
	struct cr_socket cs[2];
	const char *tab, *data;
	unsigned int i, k, idx[2];
	int ret;

	ret = cr_rule_sockets(r->img->name, note, &h);
	if (ret || !h.nr_sockets)
		return ret;
	tab = note->desc + sizeof(h);
	data = tab + h.nr_sockets * sizeof(*cs);
	for (i = 0; !ret && i < h.nr_sockets; i++) {
		memcpy(&cs[0], tab + i * sizeof(*cs), sizeof(*cs));
		memcpy(&cs[1], tab + cs[0].peer * sizeof(*cs), sizeof(*cs));
		idx[0] = i;
		idx[1] = cs[0].peer;
		for (k = 0; k < 2; k++)
			sock[k] = cr_pair_end(r, &cs[k], idx[k], &file[k]);
		ret = sock[0] && sock[1] ? 0 : -EINVAL;
		if (!ret)
			ret = cr_socket_refill(r, sock[1], &cs[0], data);
		/* Once both ends' messages are in: after the peer's shutdown, none go. */
		if (!ret && i > cs[0].peer)
			ret = cr_socket_shutdown(sock[0], cs[0].shutdown) ?:
			      cr_socket_shutdown(sock[1], cs[1].shutdown);
		/* Then an end closed at the checkpoint is closed again. */
		for (k = 0; !ret && i > cs[0].peer && k < 2; k++)
			if (!cs[k].file_id)
				cr_pair_close(r, idx[k]);
		/* The error the other end's close, or another, left pending. */
		for (k = 0; !ret && i > cs[0].peer && k < 2; k++)
			if (cs[k].file_id && cs[k].error)
				WRITE_ONCE(sock[k]->sk->sk_err, cs[k].error);
		for (k = 0; k < 2; k++)
			if (file[k])
				fput(file[k]);
		if (ret)
			cr_refuse(r->img->name, "socket pair %u-%u: cannot queue its messages again (%d)",
				  i, cs[0].peer, ret);
	}
	return ret;
}

static int cr_unix_addr(const char *name, u16 len, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, name, len);
	/* A path's length is up to its NUL, as bind(2) is given it. */
	return offsetof(struct sockaddr_un, sun_path) + (name[0] ? len - 1 : len);
}

/*
 * A socket file at @path that nobody listens on (a connection to it is
 * refused): the checkpointed socket's, left behind. It is removed, with
 * the caller's rights, for the restored socket to bind there.
 */
static bool cr_unix_stale(const struct cr_unix *cu, struct sockaddr_un *sun, int len)
{
	struct socket *probe;
	struct path parent;
	struct dentry *dentry;
	bool stale = false;
	int ret;

	ret = sock_create(AF_UNIX, cu->type == SOCK_DGRAM ? SOCK_DGRAM : SOCK_STREAM, 0, &probe);
	if (ret)
		return false;
	ret = kernel_connect(probe, (struct sockaddr *)sun, len, O_NONBLOCK);
	sock_release(probe);
	if (ret != -ECONNREFUSED)
		return false;
	dentry = kern_path_locked(sun->sun_path, &parent);
	if (IS_ERR(dentry))
		return false;
	if (d_is_positive(dentry) && S_ISSOCK(d_inode(dentry)->i_mode))
		stale = !vfs_unlink(mnt_idmap(parent.mnt), d_inode(parent.dentry), dentry, NULL);
	inode_unlock(d_inode(parent.dentry));
	dput(dentry);
	path_put(&parent);
	return stale;
}

/*
 * The messages of datagram socket @sock (bound, not connected yet), sent
 * to it by its address @sun, each from a new socket showing its sender's
 * address, as many as were queued whatever net.unix.max_dgram_qlen is.
 */
static int cr_unix_refill(struct cr_restore *r, struct socket *sock, const struct cr_unix *cu,
			  const char *p, struct sockaddr_un *sun, int sun_len)
{
	struct sock *sk = sock->sk;
	u32 backlog = READ_ONCE(sk->sk_max_ack_backlog), i;
	int ret = 0;

	WRITE_ONCE(sk->sk_max_ack_backlog, max(backlog, cu->nr_msgs));
	for (i = 0; !ret && i < cu->nr_msgs; i++) {
		struct msghdr msg = { .msg_name = sun, .msg_namelen = sun_len,
				      .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		const char *after = p + sizeof(struct cr_unix_msg);
		struct socket *from;
		struct cr_unix_msg m;

		memcpy(&m, p, sizeof(m));
		ret = sock_create(AF_UNIX, SOCK_DGRAM, 0, &from);
		if (ret)
			break;
		/* Room for the message, whatever the sender's buffer was. */
		WRITE_ONCE(from->sk->sk_sndbuf, max_t(int, READ_ONCE(from->sk->sk_sndbuf),
						      m.len + SKB_TRUESIZE(4096)));
		ret = cr_unix_set_raw_addr(from->sk, after + m.nr_files * sizeof(u32), m.name_len);
		if (!ret)
			ret = cr_unix_send(r, from, &msg, &m, after);
		sock_release(from);
		p += cr_unix_msg_size(&m);
	}
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	return ret;
}

/* The socket file gets the mode it had. */
static int cr_unix_chmod(struct socket *sock, umode_t mode)
{
	struct path *path = &unix_sk(sock->sk)->path;
	struct inode *inode = d_inode(path->dentry);
	struct iattr attr = { .ia_valid = ATTR_MODE | ATTR_CTIME };
	int ret;

	if ((inode->i_mode & 07777) == mode)
		return 0;
	ret = mnt_want_write(path->mnt);
	if (ret)
		return ret;
	inode_lock(inode);
	attr.ia_mode = mode | (inode->i_mode & ~07777);
	ret = notify_change(mnt_idmap(path->mnt), path->dentry, &attr, NULL);
	inode_unlock(inode);
	mnt_drop_write(path->mnt);
	return ret;
}

/*
 * Clients a listener of the tree had not accepted: each connects again once
 * every socket of the tree is made, its listener listening, in the order
 * of the listener's accept queue (cr_restore_unix_pending()).
 */
struct cr_unix_pend {
	struct file *file;	/* the client, referenced */
	int fd;			/* for messages */
	u32 place;		/* in the accept queue */
	u32 nr_msgs;
	int sun_len;
	struct sockaddr_un sun;	/* the listener's name */
	void *msgs;		/* struct cr_unix_msg each, then its bytes */
};

struct cr_unix_pending {
	unsigned int nr, cap;
	struct cr_unix_pend *p;
};

void cr_unix_pending_free(void *pending)
{
	struct cr_unix_pending *up = pending;
	unsigned int i;

	if (!up)
		return;
	for (i = 0; i < up->nr; i++) {
		fput(up->p[i].file);
		kvfree(up->p[i].msgs);
	}
	kvfree(up->p);
	kfree(up);
}

/* Client @file of descriptor @e, to connect to @cu->peer with the messages at @msgs. */
static int cr_unix_pending_add(struct cr_restore *r, const struct cr_fd *e, struct file *file,
			       const struct cr_unix *cu, const char *msgs)
{
	void **slot = cr_tree_unix_pending(r->tree);
	struct cr_unix_pending *up = *slot;
	struct cr_unix_pend *p;
	size_t len = e->data_len - sizeof(*cu);

	if (!up) {
		up = kzalloc(sizeof(*up), GFP_KERNEL_ACCOUNT);
		if (!up)
			return -ENOMEM;
		*slot = up;
	}
	if (up->nr == up->cap) {
		unsigned int cap = max(8U, 2 * up->cap);

		p = kvrealloc(up->p, cap * sizeof(*p), GFP_KERNEL_ACCOUNT);
		if (!p)
			return -ENOMEM;
		up->p = p;
		up->cap = cap;
	}
	p = &up->p[up->nr];
	memset(p, 0, sizeof(*p));
	if (len) {
		p->msgs = kvmemdup(msgs, len, GFP_KERNEL_ACCOUNT);
		if (!p->msgs)
			return -ENOMEM;
	}
	p->file = get_file(file);
	p->fd = e->fd;
	p->place = cu->backlog;
	p->nr_msgs = cu->nr_msgs;
	p->sun_len = cr_unix_addr(cu->peer, cu->peer_len, &p->sun);
	up->nr++;
	return 0;
}

static int cr_unix_pend_cmp(const void *a, const void *b)
{
	const struct cr_unix_pend *x = a, *y = b;

	return x->place < y->place ? -1 : x->place > y->place;
}

/* One client: connect, then send what it had sent, with the files it carries. */
static int cr_unix_pend_connect(struct cr_restore *r, struct cr_unix_pend *p)
{
	struct socket *sock = sock_from_file(p->file);
	const char *m = p->msgs;
	u32 i;
	int ret;

	ret = kernel_connect(sock, (struct sockaddr *)&p->sun, p->sun_len, O_NONBLOCK);
	for (i = 0; !ret && i < p->nr_msgs; i++) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		struct cr_unix_msg h;

		memcpy(&h, m, sizeof(h));
		ret = cr_unix_send(r, sock, &msg, &h, m + sizeof(h));
		m += cr_unix_msg_size(&h);
	}
	return ret;
}

/**
 * cr_restore_unix_pending - the connections listeners of the tree had not accepted
 * @r: the root's plan, every process's descriptors made
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_unix_pending(struct cr_restore *r)
{
	void **slot = cr_tree_unix_pending(r->tree);
	struct cr_unix_pending *up = *slot;
	unsigned int i;
	int ret = 0;

	if (!up)
		return 0;
	sort(up->p, up->nr, sizeof(*up->p), cr_unix_pend_cmp, NULL);
	for (i = 0; !ret && i < up->nr; i++) {
		ret = cr_unix_pend_connect(r, &up->p[i]);
		if (ret)
			cr_refuse(r->img->name, "fd %d: cannot connect its unix socket to %s%.*s again, %u in the accept queue (%d)",
				  up->p[i].fd, up->p[i].sun.sun_path[0] ? "" : "@",
				  (int)(up->p[i].sun_len - offsetof(struct sockaddr_un, sun_path) -
					!up->p[i].sun.sun_path[0]),
				  up->p[i].sun.sun_path + !up->p[i].sun.sun_path[0], up->p[i].place,
				  ret);
	}
	cr_unix_pending_free(up);
	*slot = NULL;
	return ret;
}

/**
 * cr_restore_unix - a unix socket of descriptor @e, made again by its name
 * @r: the restore plan
 * @e: a CR_FD_UNIX descriptor, checked by cr_rule_unix()
 *
 * Return: the socket's file, or an ERR_PTR() after saying why.
 */
struct file *cr_restore_unix(struct cr_restore *r, const struct cr_fd *e)
{
	const char *what = "socket";
	struct sockaddr_un sun;
	struct socket *sock;
	struct cr_unix_opts o;
	struct cr_unix cu;
	struct file *f;
	int ret, len;

	memcpy(&cu, r->fd_data + e->data_off, sizeof(cu));
	ret = sock_create(AF_UNIX, cu.type, 0, &sock);
	if (ret)
		goto fail;
	what = "its options";
	o.flags = cu.flags;
	o.rcvbuf = cu.rcvbuf;
	o.sndbuf = cu.sndbuf;
	o.rcvtimeo_us = cu.rcvtimeo_us;
	o.sndtimeo_us = cu.sndtimeo_us;
	ret = cr_unix_set_options(sock, &o);
	if (!ret && cu.name_len) {
		what = "bind";
		len = cr_unix_addr(cu.name, cu.name_len, &sun);
		ret = kernel_bind(sock, (struct sockaddr *)&sun, len);
		/*
		 * Only where a refused connection means nobody is there: a
		 * stream socket that does not listen refuses them too.
		 */
		if (ret == -EADDRINUSE && cu.name[0] &&
		    (cu.state == CR_UNIX_LISTEN || cu.type == SOCK_DGRAM) &&
		    cr_unix_stale(&cu, &sun, len))
			ret = kernel_bind(sock, (struct sockaddr *)&sun, len);
		if (!ret && cu.nr_msgs && cu.type == SOCK_DGRAM) {
			what = "sending its messages again";
			ret = cr_unix_refill(r, sock, &cu, r->fd_data + e->data_off + sizeof(cu),
					     &sun, len);
		}
		if (!ret && cu.name[0]) {
			what = "chmod";
			ret = cr_unix_chmod(sock, cu.mode);
		}
	}
	if (!ret && cu.state == CR_UNIX_LISTEN) {
		what = "listen";
		ret = kernel_listen(sock, cu.backlog);
	}
	if (!ret && cu.state == CR_UNIX_CONNECTED) {
		what = "connect to its peer";
		len = cr_unix_addr(cu.peer, cu.peer_len, &sun);
		ret = kernel_connect(sock, (struct sockaddr *)&sun, len, 0);
	}
	if (ret) {
		sock_release(sock);
		goto fail;
	}
	f = sock_alloc_file(sock, e->flags & O_NONBLOCK, NULL);
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
		goto fail;
	}
	if (cu.state == CR_UNIX_PENDING) {
		what = "a place in the accept queue";
		ret = cr_unix_pending_add(r, e, f, &cu, r->fd_data + e->data_off + sizeof(cu));
		if (ret) {
			fput(f);
			goto fail;
		}
	}
	return f;
fail:
	cr_refuse(r->img->name, "fd %d: cannot make its unix socket %s%.*s again: %s failed (%d)",
		  e->fd, cu.name_len && !cu.name[0] ? "@" : "",
		  cu.name_len && !cu.name[0] ? cu.name_len - 1 : cu.name_len,
		  cu.name_len && !cu.name[0] ? cu.name + 1 : cu.name, what, ret);
	return ERR_PTR(ret);
}
