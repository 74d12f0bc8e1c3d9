// SPDX-License-Identifier: GPL-2.0
/*
 * Packet sockets (AF_PACKET: SOCK_RAW, SOCK_DGRAM, and the old
 * SOCK_PACKET): what DHCP clients, LLDP and VRRP daemons, arping and
 * capture tools without a mapped ring hold open.
 *
 * Checkpoint: CR_FD_PACKET, a struct cr_packet in the data area: the
 * socket's type and protocol, the device it is bound to, its PACKET_*
 * options (net/packet/af_packet.c, packet_cr_read()), its fanout group,
 * its rings' requests, its statistics and the SO_* options it may have;
 * then its memberships (PACKET_ADD_MEMBERSHIP), then the packets queued
 * for it to read, each with the address recvmsg() reports and what
 * PACKET_AUXDATA tells of it. A ring is saved only empty and not mapped
 * (its frames would have to be saved, and the mapping made again); a
 * fanout group with a program, a device gone, a socket of another
 * network namespace and options the image does not hold refuse the
 * checkpoint.
 *
 * Restore, before the point of no return: a socket of the type and
 * protocol in the caller's network namespace (CAP_NET_RAW there, as
 * socket(2) needs), its options, bind() to its device (by index, which
 * must still be the device of that name, or by name for SOCK_PACKET: a
 * device of the caller's namespace), its
 * memberships, its rings, its fanout group (joined again by id: a
 * group of that id in the caller's namespace with another type fails
 * the exec), its packets queued again and its statistics.
 */
#include <linux/cr.h>
#include <linux/cr_packet.h>
#include <linux/cr_rules.h>
#include <linux/if_packet.h>
#include <linux/if_vlan.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/**
 * cr_is_packet - is @file a packet socket?
 * @file: an open file
 */
bool cr_is_packet(struct file *file)
{
	struct socket *sock = sock_from_file(file);

	return sock && sock->sk && sock->sk->sk_family == AF_PACKET;
}

/* Checkpoint */

/* Why @sk cannot be saved, or NULL; @pc read. */
static const char *cr_packet_refusal(struct sock *sk, const struct packet_cr *pc)
{
	u8 fanout_type = (pc->fanout >> 16) & 0xff;

	if (!net_eq(sock_net(sk), current->nsproxy->net_ns))
		return "a packet socket of another network namespace, which is not saved yet";
	if (pc->ifindex < 0)
		return "a packet socket whose device is gone";
	if (pc->mapped)
		return "a packet socket with its ring mapped (mmap), which is not saved yet";
	if (pc->rx.busy || pc->tx.busy)
		return "a packet socket whose ring holds packets, which is not saved yet";
	if (pc->fanout && (fanout_type == PACKET_FANOUT_CBPF || fanout_type == PACKET_FANOUT_EBPF))
		return "a packet socket in a fanout group with a program (PACKET_FANOUT_DATA), not saved yet";
	if (pc->rollover)
		return "a packet socket with rollover statistics, not saved yet";
	if (sk->sk_type == SOCK_PACKET && pc->ifindex && pc->num == 0)
		return "a SOCK_PACKET socket bound without a protocol";
	if (READ_ONCE(sk->sk_bound_dev_if))
		return "a packet socket bound to a device with SO_BINDTODEVICE, not saved yet";
	if (test_bit(SOCK_PASSCRED, &sk->sk_socket->flags) ||
	    test_bit(SOCK_PASSSEC, &sk->sk_socket->flags) ||
	    sock_flag(sk, SOCK_RCVTSTAMP) || sock_flag(sk, SOCK_RCVTSTAMPNS) ||
	    READ_ONCE(sk->sk_tsflags) || sock_flag(sk, SOCK_RXQ_OVFL) ||
	    sock_flag(sk, SOCK_RCVMARK) || sock_flag(sk, SOCK_ZEROCOPY) ||
	    sock_flag(sk, SOCK_LINGER) || sock_flag(sk, SOCK_SELECT_ERR_QUEUE) ||
	    READ_ONCE(sk->sk_peek_off) >= 0 || READ_ONCE(sk->sk_rcvlowat) != 1 ||
	    sk->sk_reuse || sk->sk_reuseport)
		return "a packet socket with SO_TIMESTAMP*, SO_RXQ_OVFL, SO_RCVMARK, SO_ZEROCOPY, SO_LINGER, SO_PEEK_OFF, SO_RCVLOWAT, SO_REUSE* or another option set that is not saved yet";
	if (!skb_queue_empty_lockless(&sk->sk_error_queue))
		return "a packet socket with errors or send timestamps queued (MSG_ERRQUEUE): read them (retry)";
	if (READ_ONCE(sk->sk_err))
		return "a packet socket with an error pending (its device went down?): read it (retry)";
	return NULL;
}

/* The record of @skb, queued on @sk, or NULL if the image cannot hold it. */
static const char *cr_packet_skb(struct sock *sk, struct sk_buff *skb, struct cr_packet_skb *r)
{
	struct packet_cr_skb ps;
	int net_off = skb_network_offset(skb);

	memset(r, 0, sizeof(*r));
	packet_cr_skb_read(sk, skb, &ps);
	if (skb->len > 65536 || net_off < 0 || net_off > skb->len || ps.halen > sizeof(r->addr))
		return "a queued packet the image cannot hold";
	r->len = skb->len;
	r->origlen = ps.origlen;
	r->ifindex = ps.ifindex;
	r->protocol = ntohs(skb->protocol);
	r->hatype = sk->sk_type == SOCK_PACKET ? ps.family : ps.hatype;
	r->pkttype = ps.pkttype;
	r->halen = ps.halen;
	memcpy(r->addr, ps.addr, sizeof(r->addr));
	memcpy(r->device, ps.device, sizeof(ps.device));
	r->net_off = net_off;
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		int start = skb_checksum_start_offset(skb);

		if (start < 0 || start > skb->len || skb->csum_offset > 0xffff)
			return "a queued packet with its checksum start outside it";
		r->flags |= CR_PACKET_SKB_CSUM_PARTIAL;
		r->csum_start = start;
		r->csum_offset = skb->csum_offset;
	} else if (skb_csum_unnecessary(skb)) {
		r->flags |= CR_PACKET_SKB_CSUM_VALID;
	}
	if (skb_vlan_tag_present(skb)) {
		r->flags |= CR_PACKET_SKB_VLAN;
		r->vlan_tci = skb_vlan_tag_get(skb);
		r->vlan_tpid = ntohs(skb->vlan_proto);
	}
	if (skb_is_gso(skb)) {
		r->gso_size = skb_shinfo(skb)->gso_size;
		r->gso_type = skb_shinfo(skb)->gso_type;
		if (r->gso_type & ~CR_PACKET_SKB_GSO_TYPES)
			return "a queued packet of a segmentation offload type not saved yet";
	}
	return NULL;
}

/* The packets queued on @sk, each a struct cr_packet_skb and its bytes, into @p. */
static int cr_packet_queue(struct sock *sk, u8 *p, size_t room, size_t *need, u32 *nr,
			   const char **why)
{
	struct cr_packet_skb r;
	struct sk_buff *skb;
	size_t used = 0;
	int ret = 0;

	*need = 0;
	*nr = 0;
	spin_lock_bh(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		size_t len = sizeof(r) + ALIGN(skb->len, 8);

		*why = cr_packet_skb(sk, skb, &r);
		if (*why) {
			ret = -EOPNOTSUPP;
			break;
		}
		*need += len;
		(*nr)++;
		if (!p || used + len > room)
			continue;
		memcpy(p + used, &r, sizeof(r));
		memset(p + used + sizeof(r), 0, ALIGN(skb->len, 8));
		if (skb_copy_bits(skb, 0, p + used + sizeof(r), skb->len)) {
			ret = -EIO;
			break;
		}
		used += len;
	}
	spin_unlock_bh(&sk->sk_receive_queue.lock);
	if (!ret && p && *need > room)
		ret = -ENOSPC;
	return ret;
}

static void cr_packet_ring_save(struct cr_packet_ring *to, const struct packet_cr_ring *from)
{
	to->block_size = from->block_size;
	to->block_nr = from->block_nr;
	to->frame_size = from->frame_size;
	to->frame_nr = from->frame_nr;
	to->retire_blk_tov = from->retire_blk_tov;
	to->sizeof_priv = from->sizeof_priv;
	to->feature_req_word = from->feature_req_word;
}

/* struct cr_packet of @sk, but for its queue. */
static int cr_packet_fill(struct sock *sk, const struct packet_cr *pc, struct cr_packet *p)
{
	p->type = sk->sk_type;
	p->protocol = ntohs(pc->num);
	p->ifindex = pc->ifindex;
	p->version = pc->version;
	p->reserve = pc->reserve;
	p->tstamp = pc->tstamp;
	p->copy_thresh = pc->copy_thresh;
	p->vnet_hdr_sz = pc->vnet_hdr_sz;
	p->fanout = pc->fanout;
	p->fanout_max = pc->fanout ? pc->fanout_max : 0;
	p->flags = (pc->auxdata ? CR_PACKET_AUXDATA : 0) |
		   (pc->origdev ? CR_PACKET_ORIGDEV : 0) |
		   (pc->loss ? CR_PACKET_LOSS : 0) |
		   (pc->qdisc_bypass ? CR_PACKET_QDISC_BYPASS : 0) |
		   (pc->tx_has_off ? CR_PACKET_TX_HAS_OFF : 0) |
		   (pc->ignore_outgoing ? CR_PACKET_IGNORE_OUTGOING : 0);
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK) {
		p->flags |= CR_PACKET_RCVBUF;
		p->rcvbuf = READ_ONCE(sk->sk_rcvbuf) / 2;
	}
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK) {
		p->flags |= CR_PACKET_SNDBUF;
		p->sndbuf = READ_ONCE(sk->sk_sndbuf) / 2;
	}
	p->priority = READ_ONCE(sk->sk_priority);
	p->mark = READ_ONCE(sk->sk_mark);
	p->rcvtimeo_us = cr_sock_timeo_us(READ_ONCE(sk->sk_rcvtimeo));
	p->sndtimeo_us = cr_sock_timeo_us(READ_ONCE(sk->sk_sndtimeo));
	p->packets = pc->packets;
	p->drops = pc->drops;
	p->freeze_q_cnt = pc->freeze_q_cnt;
	cr_packet_ring_save(&p->rx_ring, &pc->rx);
	cr_packet_ring_save(&p->tx_ring, &pc->tx);
	/*
	 * The device's name: SOCK_PACKET binds by it; the others by index,
	 * which the restore checks is still that device's.
	 */
	if (pc->ifindex && (!cr_sock_dev_name(sk, pc->ifindex, p->device) ||
			    (sk->sk_type == SOCK_PACKET &&
			     strlen(p->device) > CR_PACKET_SPKT_NAME)))
		return -ENODEV;
	return 0;
}

/* The memberships of @sk after @p, as many as @p->nr_mc says, into @mc. */
static int cr_packet_mc_save(struct sock *sk, struct cr_packet *p, struct cr_packet_mc *mc)
{
	struct packet_cr_mc *m;
	int n, i;

	if (!p->nr_mc)
		return 0;
	m = kcalloc(p->nr_mc, sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	n = packet_cr_mclist(sk, m, p->nr_mc);
	if (n != p->nr_mc) {
		kfree(m);
		return -EAGAIN;	/* changed meanwhile: by a process outside the tree */
	}
	for (i = 0; i < n; i++) {
		if (m[i].count > CR_MAX_PACKET_MC) {
			kfree(m);
			return -EFBIG;
		}
		mc[i].ifindex = m[i].ifindex;
		mc[i].type = m[i].type;
		mc[i].alen = m[i].alen;
		mc[i].count = m[i].count;
		memcpy(mc[i].addr, m[i].addr, sizeof(mc[i].addr));
		if (!cr_sock_dev_name(sk, m[i].ifindex, mc[i].device)) {
			kfree(m);
			return -ENODEV;
		}
	}
	kfree(m);
	return 0;
}

/**
 * cr_dump_packet - the state of a packet socket, for NT_CR_FILES
 * @file: the socket's file, while the tree is frozen
 * @fd: its descriptor, for messages
 * @state: set to a struct cr_packet, its memberships and packets, kvmalloc()ed
 * @len: set to their size
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_packet(struct file *file, int fd, void **state, size_t *len)
{
	struct sock *sk = sock_from_file(file)->sk;
	const char *why = NULL;
	struct cr_packet *p = NULL;
	struct packet_cr pc;
	size_t need = 0, mc_len;
	unsigned int tries;
	int ret, nr_mc;
	u32 nr = 0;

	ret = packet_cr_read(sk, &pc);
	if (ret)
		return ret;
	why = cr_packet_refusal(sk, &pc);
	if (why) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: %s (type %d, protocol %#x)",
			  fd, why, sk->sk_type, ntohs(pc.num));
		return strstr(why, "retry") ? -EAGAIN : -EOPNOTSUPP;
	}
	nr_mc = packet_cr_mclist(sk, NULL, 0);
	if (nr_mc > CR_MAX_PACKET_MC) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a packet socket with more than %u memberships",
			  fd, CR_MAX_PACKET_MC);
		return -EFBIG;
	}
	mc_len = nr_mc * sizeof(struct cr_packet_mc);
	/* The kernel may queue packets meanwhile: the tree is frozen, not the network. */
	for (tries = 0; tries < 4; tries++) {
		kvfree(p);
		p = kvzalloc(sizeof(*p) + mc_len + need, GFP_KERNEL_ACCOUNT);
		if (!p)
			return -ENOMEM;
		ret = cr_packet_queue(sk, (u8 *)(p + 1) + mc_len, need, &need, &nr, &why);
		if (ret != -ENOSPC)
			break;
		need += 16384;
	}
	if (!ret && (need > CR_MAX_UNLINKED || nr > CR_MAX_PACKET_SKBS))
		ret = -EFBIG;
	if (!ret) {
		p->nr_mc = nr_mc;
		ret = cr_packet_fill(sk, &pc, p) ?: cr_packet_mc_save(sk, p, (void *)(p + 1));
	}
	if (ret) {
		kvfree(p);
		if (ret == -EOPNOTSUPP)
			cr_refuse(current->comm, "checkpoint refused: fd %d: %s", fd, why);
		else if (ret == -EFBIG)
			cr_refuse(current->comm, "checkpoint refused: fd %d: more than %u packets or %u bytes queued on a packet socket, or a membership added more than %u times",
				  fd, CR_MAX_PACKET_SKBS, CR_MAX_UNLINKED, CR_MAX_PACKET_MC);
		else if (ret == -ENOSPC || ret == -EAGAIN)
			cr_refuse(current->comm, "checkpoint refused: fd %d: a packet socket's packets or memberships keep changing (try again)",
				  fd);
		else if (ret == -ENODEV)
			cr_refuse(current->comm, "checkpoint refused: fd %d: a packet socket bound to, or a member on, a device gone, or a SOCK_PACKET one bound to a name longer than %u",
				  fd, CR_PACKET_SPKT_NAME);
		return ret == -ENOSPC ? -EAGAIN : ret;
	}
	p->nr_skbs = nr;
	p->skbs_len = need;
	*state = p;
	*len = sizeof(*p) + mc_len + need;
	return 0;
}

/* Restore */

/* The options of @p, as setsockopt(2) would set them; those PACKET_* a ring makes busy first. */
static int cr_packet_set_options(struct socket *sock, const struct cr_packet *p,
				 const char **what)
{
	static const struct {
		u32 flag;
		int name;
	} opts[] = {
		{ CR_PACKET_LOSS, PACKET_LOSS },
		{ CR_PACKET_TX_HAS_OFF, PACKET_TX_HAS_OFF },
		{ CR_PACKET_AUXDATA, PACKET_AUXDATA },
		{ CR_PACKET_ORIGDEV, PACKET_ORIGDEV },
		{ CR_PACKET_QDISC_BYPASS, PACKET_QDISC_BYPASS },
		{ CR_PACKET_IGNORE_OUTGOING, PACKET_IGNORE_OUTGOING },
	};
	unsigned int i;
	int ret = 0;

#define CR_OPT(cond, call, name) CR_SOCKOPT(ret, what, cond, call, name)
	CR_OPT(p->flags & CR_PACKET_RCVBUF,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_RCVBUF, p->rcvbuf), "SO_RCVBUF");
	CR_OPT(p->flags & CR_PACKET_SNDBUF,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_SNDBUF, p->sndbuf), "SO_SNDBUF");
	CR_OPT(true, cr_sock_set_timeo(sock, SO_RCVTIMEO_NEW, p->rcvtimeo_us), "SO_RCVTIMEO");
	CR_OPT(true, cr_sock_set_timeo(sock, SO_SNDTIMEO_NEW, p->sndtimeo_us), "SO_SNDTIMEO");
	CR_OPT(p->priority, cr_setsockopt_int(sock, SOL_SOCKET, SO_PRIORITY, p->priority),
	       "SO_PRIORITY");
	CR_OPT(p->mark, cr_setsockopt_int(sock, SOL_SOCKET, SO_MARK, p->mark),
	       "SO_MARK (CAP_NET_ADMIN)");
	if (p->type == SOCK_PACKET)
		return ret;	/* it has no PACKET_* option */
	CR_OPT(p->version != TPACKET_V1,
	       cr_setsockopt_int(sock, SOL_PACKET, PACKET_VERSION, p->version), "PACKET_VERSION");
	CR_OPT(p->reserve, cr_setsockopt_int(sock, SOL_PACKET, PACKET_RESERVE, p->reserve),
	       "PACKET_RESERVE");
	CR_OPT(p->vnet_hdr_sz,
	       cr_setsockopt_int(sock, SOL_PACKET, PACKET_VNET_HDR_SZ, p->vnet_hdr_sz),
	       "PACKET_VNET_HDR_SZ");
	CR_OPT(p->tstamp, cr_setsockopt_int(sock, SOL_PACKET, PACKET_TIMESTAMP, p->tstamp),
	       "PACKET_TIMESTAMP");
	CR_OPT(p->copy_thresh,
	       cr_setsockopt_int(sock, SOL_PACKET, PACKET_COPY_THRESH, p->copy_thresh),
	       "PACKET_COPY_THRESH");
	for (i = 0; i < ARRAY_SIZE(opts); i++)
		CR_OPT(p->flags & opts[i].flag,
		       cr_setsockopt_int(sock, SOL_PACKET, opts[i].name, 1), "a PACKET_* option");
#undef CR_OPT
	return ret;
}

/* bind() to its device: by index, or by name for SOCK_PACKET. */
static int cr_packet_bind(struct socket *sock, const struct cr_packet *p)
{
	if (p->type == SOCK_PACKET) {
		struct sockaddr sa = { .sa_family = AF_PACKET };

		if (!p->device[0])
			return 0;
		memcpy(sa.sa_data_min, p->device, sizeof(sa.sa_data_min));
		return kernel_bind(sock, &sa, sizeof(sa));
	}
	if (!p->ifindex)
		return 0;
	if (!cr_sock_dev_is(sock->sk, p->ifindex, p->device))
		return -ENODEV;
	{
		struct sockaddr_ll ll = {
			.sll_family = AF_PACKET,
			.sll_protocol = htons(p->protocol),
			.sll_ifindex = p->ifindex,
		};

		return kernel_bind(sock, (struct sockaddr *)&ll, sizeof(ll));
	}
}

/* A struct packet_mreq with room for any address (packet_mreq_max). */
struct cr_packet_mreq {
	int mr_ifindex;
	unsigned short mr_type;
	unsigned short mr_alen;
	unsigned char mr_address[32];
};

static int cr_packet_join(struct socket *sock, const struct cr_packet_mc *mc, u32 nr)
{
	struct cr_packet_mreq mr;
	int ret = 0;
	u32 i, k;

	for (i = 0; !ret && i < nr; i++) {
		if (!cr_sock_dev_is(sock->sk, mc[i].ifindex, mc[i].device))
			return -ENODEV;
		memset(&mr, 0, sizeof(mr));
		mr.mr_ifindex = mc[i].ifindex;
		mr.mr_type = mc[i].type;
		mr.mr_alen = mc[i].alen;
		memcpy(mr.mr_address, mc[i].addr, sizeof(mr.mr_address));
		for (k = 0; !ret && k < mc[i].count; k++)
			ret = cr_setsockopt(sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
	}
	return ret;
}

static int cr_packet_ring(struct socket *sock, int name, const struct cr_packet_ring *ring)
{
	struct tpacket_req3 req = {
		.tp_block_size = ring->block_size,
		.tp_block_nr = ring->block_nr,
		.tp_frame_size = ring->frame_size,
		.tp_frame_nr = ring->frame_nr,
		.tp_retire_blk_tov = ring->retire_blk_tov,
		.tp_sizeof_priv = ring->sizeof_priv,
		.tp_feature_req_word = ring->feature_req_word,
	};

	if (!ring->block_nr)
		return 0;
	return cr_setsockopt(sock, SOL_PACKET, name, &req, sizeof(req));
}

/* Its fanout group, joined again by id, with its type, flags and size. */
static int cr_packet_fanout(struct socket *sock, const struct cr_packet *p)
{
	struct fanout_args args = {
		.id = p->fanout & 0xffff,
		.type_flags = p->fanout >> 16,
		.max_num_members = p->fanout_max,
	};

	if (!p->fanout)
		return 0;
	return cr_setsockopt(sock, SOL_PACKET, PACKET_FANOUT, &args, sizeof(args));
}

/* The packets after the memberships, queued again (checked by cr_rule_packet()). */
static int cr_packet_refill(struct socket *sock, const struct cr_packet *p, const u8 *data)
{
	struct packet_cr_skb ps;
	struct cr_packet_skb r;
	struct sk_buff *skb;
	size_t off = 0;
	u32 i;

	for (i = 0; i < p->nr_skbs; i++) {
		memcpy(&r, data + off, sizeof(r));
		skb = alloc_skb(r.len, GFP_KERNEL_ACCOUNT);
		if (!skb)
			return -ENOMEM;
		skb_put_data(skb, data + off + sizeof(r), r.len);
		skb->protocol = htons(r.protocol);
		skb_reset_mac_header(skb);
		skb_set_network_header(skb, r.net_off);
		skb->pkt_type = r.pkttype;
		if (r.flags & CR_PACKET_SKB_CSUM_PARTIAL) {
			skb->ip_summed = CHECKSUM_PARTIAL;
			skb->csum_start = skb_headroom(skb) + r.csum_start;
			skb->csum_offset = r.csum_offset;
		} else if (r.flags & CR_PACKET_SKB_CSUM_VALID) {
			skb->ip_summed = CHECKSUM_UNNECESSARY;
		}
		if (r.flags & CR_PACKET_SKB_VLAN)
			__vlan_hwaccel_put_tag(skb, htons(r.vlan_tpid), r.vlan_tci);
		if (r.gso_size) {
			skb_shinfo(skb)->gso_size = r.gso_size;
			skb_shinfo(skb)->gso_type = r.gso_type;
		}
		memset(&ps, 0, sizeof(ps));
		ps.origlen = r.origlen;
		ps.ifindex = r.ifindex;
		ps.hatype = r.hatype;
		ps.family = r.hatype;
		ps.pkttype = r.pkttype;
		ps.halen = r.halen;
		memcpy(ps.addr, r.addr, sizeof(ps.addr));
		memcpy(ps.device, r.device, sizeof(ps.device));
		packet_cr_queue(sock->sk, skb, &ps);
		off += sizeof(r) + ALIGN(r.len, 8);
	}
	return 0;
}

/**
 * cr_restore_packet - a packet socket made again
 * @r: restore plan
 * @e: a descriptor of kind CR_FD_PACKET, checked (cr_rule_packet())
 *
 * Return: its file, or an ERR_PTR() after saying why.
 */
struct file *cr_restore_packet(struct cr_restore *r, const struct cr_fd *e)
{
	const u8 *data = (const u8 *)r->fd_data + e->data_off;
	const char *what = "socket (CAP_NET_RAW)";
	const struct cr_packet_mc *mc;
	struct cr_packet p;
	struct socket *sock;
	struct file *f;
	int ret;

	memcpy(&p, data, sizeof(p));
	mc = (const void *)(data + sizeof(p));
	ret = sock_create(AF_PACKET, p.type, htons(p.protocol), &sock);
	if (ret)
		goto fail;
	ret = cr_packet_set_options(sock, &p, &what);
	if (!ret) {
		what = "bind to its device (gone, or another one of its index)";
		ret = cr_packet_bind(sock, &p);
	}
	if (!ret && p.nr_mc) {
		what = "PACKET_ADD_MEMBERSHIP (its device gone, or another one of its index)";
		ret = cr_packet_join(sock, mc, p.nr_mc);
	}
	if (!ret) {
		what = "PACKET_RX_RING";
		ret = cr_packet_ring(sock, PACKET_RX_RING, &p.rx_ring);
	}
	if (!ret) {
		what = "PACKET_TX_RING";
		ret = cr_packet_ring(sock, PACKET_TX_RING, &p.tx_ring);
	}
	if (!ret && p.fanout) {
		what = "PACKET_FANOUT (its device down, or a group of that id of another type?)";
		ret = cr_packet_fanout(sock, &p);
	}
	if (!ret && p.nr_skbs) {
		what = "queueing its packets again";
		ret = cr_packet_refill(sock, &p, (const u8 *)(mc + p.nr_mc));
	}
	if (ret) {
		sock_release(sock);
		goto fail;
	}
	packet_cr_set_stats(sock->sk, p.packets, p.drops, p.freeze_q_cnt);
	f = sock_alloc_file(sock, e->flags & O_NONBLOCK, NULL);
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
		goto fail;
	}
	return f;
fail:
	cr_refuse(r->img->name, "fd %d: cannot make its packet socket (protocol %#x) again: %s (%d)",
		  e->fd, p.protocol, what, ret);
	return ERR_PTR(ret);
}
