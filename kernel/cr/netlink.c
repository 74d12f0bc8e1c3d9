// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink route sockets (NETLINK_ROUTE): what programs that watch links,
 * addresses and routes (ip monitor, network managers, libmnl and libnl
 * users) hold open.
 *
 * Checkpoint: CR_FD_NETLINK, a struct cr_netlink in the data area: the
 * socket's type, its port id (bound, or chosen by the kernel), the port
 * id or group it sends to (connect()), its memberships, the options its
 * owner set (net/netlink/af_netlink.c, netlink_cr_read(); SO_RCVBUF,
 * SO_SNDBUF, timeouts), then the messages queued for it to receive, with
 * their senders and groups. A dump in progress (a request answered in
 * parts, the next parts made as the program reads) cannot be saved: the
 * checkpoint fails with EAGAIN, to be tried again. Other protocols, a
 * socket of another network namespace than the process's, and a message
 * from another namespace (NETLINK_LISTEN_ALL_NSID) refuse it.
 *
 * Restore, before the point of no return: a socket of the type in the
 * caller's network namespace, its options, bind() to its port id with
 * its first 32 groups, NETLINK_ADD_MEMBERSHIP for the others (a port id
 * another socket has now fails the exec with EADDRINUSE), its messages
 * queued again as the kernel sends them (netlink_unicast() from the
 * namespace's rtnetlink socket, with their senders and groups), then
 * connect(). Nothing of the kernel's side (a request not answered yet)
 * is kept: a request answered is in the queue, one not sent is sent by
 * the program after the restore.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/**
 * cr_is_netlink - is @file a netlink socket?
 * @file: an open file
 */
bool cr_is_netlink(struct file *file)
{
	struct socket *sock = sock_from_file(file);

	return sock && sock->sk && sock->sk->sk_family == AF_NETLINK;
}

/* Checkpoint */

/* Why @sk cannot be saved, or NULL; @nc read. */
static const char *cr_netlink_refusal(struct sock *sk, const struct netlink_cr *nc)
{
	if (sk->sk_protocol != NETLINK_ROUTE)
		return "a netlink socket of another protocol than NETLINK_ROUTE, which is not saved";
	if (sk->sk_type != SOCK_RAW && sk->sk_type != SOCK_DGRAM)
		return "a netlink socket of another type";
	if (!net_eq(sock_net(sk), current->nsproxy->net_ns))
		return "a netlink socket of another network namespace, which is not saved yet";
	if (nc->dst_group > 32)
		return "a netlink socket sending to a group above 32";
	/* Socket options the image does not hold, set. */
	if (test_bit(SOCK_PASSCRED, &sk->sk_socket->flags) ||
	    test_bit(SOCK_PASSSEC, &sk->sk_socket->flags) ||
	    test_bit(SOCK_PASSPIDFD, &sk->sk_socket->flags) ||
	    sock_flag(sk, SOCK_RCVTSTAMP) || sock_flag(sk, SOCK_RCVTSTAMPNS) ||
	    READ_ONCE(sk->sk_tsflags) || sock_flag(sk, SOCK_RXQ_OVFL) ||
	    sock_flag(sk, SOCK_RCVMARK) || READ_ONCE(sk->sk_mark) ||
	    READ_ONCE(sk->sk_priority) || READ_ONCE(sk->sk_rcvlowat) != 1)
		return "a netlink socket with SO_PASSCRED, SO_PASSSEC, SO_PASSPIDFD, SO_TIMESTAMP*, SO_RXQ_OVFL, SO_RCVMARK, SO_MARK, SO_PRIORITY or SO_RCVLOWAT set, not saved yet";
	return NULL;
}

/* The messages queued on @sk, each a struct cr_netlink_msg and its bytes, into @p. */
static int cr_netlink_queue(struct sock *sk, u8 *p, size_t room, size_t *need, u32 *nr)
{
	struct sk_buff *skb;
	unsigned long flags;
	size_t used = 0;
	int ret = 0;

	*need = 0;
	*nr = 0;
	spin_lock_irqsave(&sk->sk_receive_queue.lock, flags);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		struct cr_netlink_msg m = {
			.len = skb->len,
			.portid = NETLINK_CB(skb).portid,
			.dst_group = NETLINK_CB(skb).dst_group,
		};
		size_t len = sizeof(m) + ALIGN(skb->len, 8);

		if (NETLINK_CB(skb).nsid_is_set || !skb->len || m.dst_group > 32) {
			ret = -EOPNOTSUPP;
			break;
		}
		*need += len;
		(*nr)++;
		if (!p || used + len > room)
			continue;
		memcpy(p + used, &m, sizeof(m));
		memset(p + used + sizeof(m), 0, ALIGN(skb->len, 8));
		if (skb_copy_bits(skb, 0, p + used + sizeof(m), skb->len)) {
			ret = -EIO;
			break;
		}
		used += len;
	}
	spin_unlock_irqrestore(&sk->sk_receive_queue.lock, flags);
	if (!ret && p && *need > room)
		ret = -ENOSPC;
	return ret;
}

/**
 * cr_dump_netlink - the state of a netlink route socket, for NT_CR_FILES
 * @file: the socket's file, while the tree is frozen
 * @fd: its descriptor, for messages
 * @state: set to a struct cr_netlink and its messages, kvmalloc()ed
 * @len: set to their size
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_netlink(struct file *file, int fd, void **state, size_t *len)
{
	struct sock *sk = sock_from_file(file)->sk;
	struct cr_netlink *nl = NULL;
	struct netlink_cr nc;
	const char *why;
	unsigned int tries;
	size_t need = 0;
	u32 nr, i;
	int ret;

	ret = netlink_cr_read(sk, &nc);
	if (ret == -E2BIG) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a netlink socket in a group above %u",
			  fd, NETLINK_CR_GROUPS);
		return -EOPNOTSUPP;
	}
	if (ret)
		return ret;
	why = cr_netlink_refusal(sk, &nc);
	if (why) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: %s (protocol %d)", fd, why,
			  sk->sk_protocol);
		return -EOPNOTSUPP;
	}
	if (nc.dumping) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a netlink dump in progress (try again)",
			  fd);
		return -EAGAIN;
	}
	/* The kernel may queue notifications meanwhile: the tree is frozen, not the kernel. */
	for (tries = 0; tries < 4; tries++) {
		kvfree(nl);
		nl = kvzalloc(sizeof(*nl) + need, GFP_KERNEL_ACCOUNT);
		if (!nl)
			return -ENOMEM;
		ret = cr_netlink_queue(sk, (u8 *)(nl + 1), need, &need, &nr);
		if (ret != -ENOSPC)
			break;
		need += 4096;
	}
	if (!ret && need > CR_MAX_UNLINKED)
		ret = -EFBIG;
	if (ret) {
		kvfree(nl);
		if (ret == -EOPNOTSUPP)
			cr_refuse(current->comm, "checkpoint refused: fd %d: a netlink message from another network namespace or group, not saved",
				  fd);
		else if (ret == -EFBIG)
			cr_refuse(current->comm, "checkpoint refused: fd %d: netlink messages of more than %u bytes queued",
				  fd, CR_MAX_UNLINKED);
		else if (ret == -ENOSPC)
			cr_refuse(current->comm, "checkpoint refused: fd %d: netlink messages keep coming (try again)",
				  fd);
		return ret == -ENOSPC ? -EAGAIN : ret;
	}
	nl->protocol = sk->sk_protocol;
	nl->type = sk->sk_type;
	nl->nr_msgs = nr;
	if (nc.bound) {
		nl->flags |= CR_NETLINK_BOUND;
		nl->portid = nc.portid;
	}
	nl->dst_portid = nc.dst_portid;
	nl->dst_group = nc.dst_group;
	nl->flags |= (nc.pktinfo ? CR_NETLINK_PKTINFO : 0) |
		     (nc.broadcast_error ? CR_NETLINK_BROADCAST_ERROR : 0) |
		     (nc.no_enobufs ? CR_NETLINK_NO_ENOBUFS : 0) |
		     (nc.listen_all_nsid ? CR_NETLINK_LISTEN_ALL_NSID : 0) |
		     (nc.cap_ack ? CR_NETLINK_CAP_ACK : 0) |
		     (nc.ext_ack ? CR_NETLINK_EXT_ACK : 0) |
		     (nc.strict_chk ? CR_NETLINK_STRICT_CHK : 0);
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK) {
		nl->flags |= CR_NETLINK_RCVBUF;
		nl->rcvbuf = READ_ONCE(sk->sk_rcvbuf) / 2;
	}
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK) {
		nl->flags |= CR_NETLINK_SNDBUF;
		nl->sndbuf = READ_ONCE(sk->sk_sndbuf) / 2;
	}
	nl->rcvtimeo_us = cr_sock_timeo_us(READ_ONCE(sk->sk_rcvtimeo));
	nl->sndtimeo_us = cr_sock_timeo_us(READ_ONCE(sk->sk_sndtimeo));
	for (i = 0; i < CR_NETLINK_GROUPS; i++)
		if (test_bit(i, nc.groups))
			nl->groups[i / 64] |= 1ULL << (i % 64);
	*state = nl;
	*len = sizeof(*nl) + need;
	return 0;
}

/* Restore */

/* The options of @nl, as setsockopt(2) would set them. */
static int cr_netlink_set_options(struct socket *sock, const struct cr_netlink *nl)
{
	static const struct {
		u32 flag;
		int name;
	} opts[] = {
		{ CR_NETLINK_PKTINFO, NETLINK_PKTINFO },
		{ CR_NETLINK_BROADCAST_ERROR, NETLINK_BROADCAST_ERROR },
		{ CR_NETLINK_NO_ENOBUFS, NETLINK_NO_ENOBUFS },
		{ CR_NETLINK_LISTEN_ALL_NSID, NETLINK_LISTEN_ALL_NSID },
		{ CR_NETLINK_CAP_ACK, NETLINK_CAP_ACK },
		{ CR_NETLINK_EXT_ACK, NETLINK_EXT_ACK },
		{ CR_NETLINK_STRICT_CHK, NETLINK_GET_STRICT_CHK },
	};
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && i < ARRAY_SIZE(opts); i++)
		if (nl->flags & opts[i].flag)
			ret = cr_setsockopt_int(sock, SOL_NETLINK, opts[i].name, 1);
	if (!ret && (nl->flags & CR_NETLINK_RCVBUF))
		ret = cr_setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &nl->rcvbuf, sizeof(nl->rcvbuf));
	if (!ret && (nl->flags & CR_NETLINK_SNDBUF))
		ret = cr_setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &nl->sndbuf, sizeof(nl->sndbuf));
	if (!ret)
		ret = cr_sock_set_timeo(sock, SO_RCVTIMEO_NEW, nl->rcvtimeo_us);
	if (!ret)
		ret = cr_sock_set_timeo(sock, SO_SNDTIMEO_NEW, nl->sndtimeo_us);
	return ret;
}

/* Its port id, its first 32 groups with bind(), the others one by one. */
static int cr_netlink_bind(struct socket *sock, const struct cr_netlink *nl)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_pid = nl->portid,
		.nl_groups = (u32)nl->groups[0],
	};
	unsigned int g;
	int ret;

	ret = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	for (g = 32; !ret && g < CR_NETLINK_GROUPS; g++)
		if (nl->groups[g / 64] & (1ULL << (g % 64)))
			ret = cr_setsockopt_int(sock, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g + 1);
	return ret;
}

/* The messages after @nl queued again on @sock, bound to its port id. */
static int cr_netlink_refill(struct socket *sock, const struct cr_netlink *nl, const u8 *p)
{
	struct net *net = sock_net(sock->sk);
	size_t off = 0;
	u32 i;

	for (i = 0; i < nl->nr_msgs; i++) {
		struct cr_netlink_msg m;
		struct sk_buff *skb;
		int ret;

		memcpy(&m, p + off, sizeof(m));
		skb = alloc_skb(m.len, GFP_KERNEL_ACCOUNT);
		if (!skb)
			return -ENOMEM;
		skb_put_data(skb, p + off + sizeof(m), m.len);
		NETLINK_CB(skb).portid = m.portid;
		NETLINK_CB(skb).dst_group = m.dst_group;
		/* As the kernel answers a request: it takes the skb. */
		ret = netlink_unicast(net->rtnl, skb, nl->portid, MSG_DONTWAIT);
		if (ret < 0)
			return ret;
		off += sizeof(m) + ALIGN(m.len, 8);
	}
	return 0;
}

/**
 * cr_restore_netlink - a netlink route socket made again
 * @r: restore plan
 * @e: a descriptor of kind CR_FD_NETLINK, checked (cr_rule_netlink())
 *
 * Return: its file, or an ERR_PTR() after saying why.
 */
struct file *cr_restore_netlink(struct cr_restore *r, const struct cr_fd *e)
{
	const u8 *p = (const u8 *)r->fd_data + e->data_off;
	const char *what = "socket";
	struct cr_netlink nl;
	struct socket *sock;
	struct file *f;
	int ret;

	memcpy(&nl, p, sizeof(nl));
	ret = sock_create(AF_NETLINK, nl.type, nl.protocol, &sock);
	if (ret)
		goto fail;
	what = "its options";
	ret = cr_netlink_set_options(sock, &nl);
	if (!ret && (nl.flags & CR_NETLINK_BOUND)) {
		what = "bind to its port id and groups";
		ret = cr_netlink_bind(sock, &nl);
	}
	if (!ret && nl.nr_msgs) {
		what = "queueing its messages again";
		ret = cr_netlink_refill(sock, &nl, p + sizeof(nl));
	}
	if (!ret && (nl.dst_portid || nl.dst_group)) {
		struct sockaddr_nl dst = {
			.nl_family = AF_NETLINK,
			.nl_pid = nl.dst_portid,
			.nl_groups = nl.dst_group ? 1U << (nl.dst_group - 1) : 0,
		};

		what = "connect";
		ret = kernel_connect(sock, (struct sockaddr *)&dst, sizeof(dst), 0);
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
	return f;
fail:
	cr_refuse(r->img->name, "fd %d: cannot make its netlink socket again: %s (%d)", e->fd,
		  what, ret);
	return ERR_PTR(ret);
}
