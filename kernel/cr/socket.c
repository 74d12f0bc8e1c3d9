// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets: unix socket pairs between processes of a tree.
 *
 * Checkpoint: a connected AF_UNIX socket without an address whose peer is
 * connected back to it and has no address either (what socketpair(2)
 * makes), both files held only by descriptors of the tree, is saved with
 * the messages queued for each end to receive (NT_CR_SOCKETS, in the root
 * image, when there is a pair); its descriptors are CR_FD_SOCKET. Descriptors in flight
 * (SCM_RIGHTS) and out-of-band data refuse the checkpoint rather than be
 * lost. Every other socket leads outside the tree (CR_FD_INHERIT), as
 * before.
 *
 * Restore: each pair is made again as socketpair(2) makes it, with the
 * caller's credentials and network namespace; each end's queue is
 * refilled by sending its messages from the other end, in order, then the
 * shutdowns are applied. The ends are the tree's open files, for the
 * descriptors that name them.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/security.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/af_unix.h>
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
	return obj && file_count(obj->file) == obj->nr_fds + 1;
}

/**
 * cr_socket_internal - is this file an end of a socket pair of the tree?
 * @o: the checkpoint's objects, after the scan of the descriptors
 * @obj: an open file of the tree
 *
 * Return: true when it is to be restored as a socket pair.
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
	ok = peer && !unix_sk(sk)->addr;
	unix_state_unlock(sk);
	if (!peer)
		return false;
	unix_state_lock(peer);
	ok = ok && unix_peer(peer) == sk && !unix_sk(peer)->addr &&
	     peer->sk_type == sk->sk_type;
	psock = peer->sk_socket;
	ok = ok && psock && psock->file &&
	     cr_tree_only(cr_obj_find(o, psock->file, false));
	unix_state_unlock(peer);
	sock_put(peer);
	return ok && cr_tree_only(obj);
}

/**
 * cr_socket_external - is this socket connected to a peer outside the tree?
 * @file: an open file of the tree, not an end of one of its socket pairs
 *
 * A unix socket with a peer (connect(), accept(), or the other end of a
 * pair held outside) leads outside the tree: the restorer supplies it
 * (CR_FD_EXTERNAL). Any other socket is the process's own.
 *
 * Return: true for such a socket.
 */
bool cr_socket_external(struct file *file)
{
	struct sock *sk = cr_unix_sock(file);
	bool ret;

	if (!sk)
		return false;
	unix_state_lock(sk);
	ret = unix_peer(sk);
	unix_state_unlock(sk);
	return ret;
}

/*
 * The messages queued on @sk, as the note stores them, into @buf (NULL:
 * only count), at most @cap bytes. The tree is frozen, but a process
 * outside it can still reach a socket of it (pidfd_getfd(), SCM_RIGHTS
 * before the checkpoint) and queue more between the count and the copy:
 * the copy is bounded, and a queue that grew refuses the checkpoint with
 * -EAGAIN (issue 12, finding 2).
 */
static int cr_dump_unix_queue(struct sock *sk, char *buf, size_t cap, size_t *len,
			      u32 *nr)
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
		u32 n = skb->len - off;

		if (UNIXCB(skb).fp) {
			ret = -EOPNOTSUPP;
			break;
		}
		if (buf && ALIGN(sizeof(n) + (size_t)n, 4) > cap - *len) {
			ret = -EAGAIN;
			break;
		}
		if (buf) {
			memcpy(buf + *len, &n, sizeof(n));
			ret = skb_copy_bits(skb, off, buf + *len + sizeof(n), n);
			if (ret)
				break;
		}
		*len += ALIGN(sizeof(n) + n, 4);
		++*nr;
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return ret;
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
	char *area;
	u32 msgs;
	int ret = 0;

	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);

		if (!obj->file || obj->pipe || !obj->internal)
			continue;
		obj->index = nr++;
		ret = cr_dump_unix_queue(cr_unix_sock(obj->file), NULL, 0, &len, &msgs);
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

		if (!obj->file || obj->pipe || !obj->internal)
			continue;
		sk = cr_unix_sock(obj->file);
		/* Still the pair the scan found (a datagram end can be reconnected). */
		pobj = NULL;
		unix_state_lock(sk);
		peer = unix_peer(sk);
		if (peer)
			sock_hold(peer);
		unix_state_unlock(sk);
		if (peer) {
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
		cs[j].peer = pobj->index;
		cs[j].type = sk->sk_type;
		cs[j].flags = obj->file->f_flags & O_NONBLOCK;
		cs[j].shutdown = READ_ONCE(sk->sk_shutdown) & SHUTDOWN_MASK;
		cs[j].data_off = data;
		ret = cr_dump_unix_queue(sk, area + data, room - data, &len, &msgs);
		cs[j].data_len = len;
		cs[j].nr_msgs = msgs;
		data += len;
		j++;
	}
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SOCKETS, h, size + data);
	kvfree(h);
	if (ret != -EOPNOTSUPP && ret != -EAGAIN)
		return ret;
refused:
	cr_refuse(current->comm, "checkpoint refused: a unix socket pair of the tree holds %s (%d)",
		  ret == -EOPNOTSUPP ? "descriptors in flight or out-of-band data" :
		  ret == -EAGAIN ? "more data than when counted (it grew during the checkpoint)" :
		  "too much data", ret);
	return ret;
}

/* Restore */

/* Send the messages queued for one end, from the other. */
static int cr_socket_refill(struct socket *from, const struct cr_socket *cs,
			    const char *data)
{
	size_t off = cs->data_off, end = cs->data_off + cs->data_len;
	unsigned int i;

	for (i = 0; i < cs->nr_msgs; i++) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		struct kvec iov;
		u32 n;
		int ret;

		memcpy(&n, data + off, sizeof(n));
		iov.iov_base = (void *)(data + off + sizeof(n));
		iov.iov_len = n;
		ret = kernel_sendmsg(from, &msg, &iov, 1, n);
		if (ret != n)
			return ret < 0 ? ret : -EIO;
		off += ALIGN(sizeof(n) + n, 4);
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

/* One pair: ends @a and @b of the note. */
static int cr_restore_pair(struct cr_restore *r, const struct cr_socket *cs,
			   unsigned int a, unsigned int b, const char *data)
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
	ret = cr_socket_refill(sock[1], &cs[a], data);
	if (!ret)
		ret = cr_socket_refill(sock[0], &cs[b], data);
	for (i = 0; !ret && i < 2; i++)
		ret = cr_socket_shutdown(sock[i], cs[end[i]].shutdown);
	for (i = 0; !ret && i < 2; i++)
		ret = cr_tree_add_file(r->tree, cs[end[i]].file_id, file[i], CR_FILE_SOCK);
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
			ret = cr_restore_pair(r, cs, i, cs[i].peer,
					      note->desc + sizeof(h) + h.nr_sockets * sizeof(*cs));
	kvfree(cs);
	return ret;
}
