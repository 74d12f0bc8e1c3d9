// SPDX-License-Identifier: GPL-2.0
/*
 * TCP and UDP sockets, over IPv4 and IPv6.
 *
 * Checkpoint: a descriptor of such a socket is CR_FD_INET in NT_CR_FILES,
 * with struct cr_inet in the data area: family, protocol, state, local
 * and peer addresses, the options programs set, and for an established
 * TCP connection what TCP repair (TCP_REPAIR, as CRIU uses it) needs to
 * make it again: sequence numbers, windows, negotiated options, the
 * timestamp clock, and the bytes of both queues, read under the socket's
 * lock. The states of a connection shut down (CLOSE_WAIT, FIN_WAIT1,
 * FIN_WAIT2, CLOSING, LAST_ACK) are saved as established, with the
 * peer's FIN, ours, or both taken again after the queues
 * (cr_tcp_fin_in(), cr_tcp_fin_queued(), cr_tcp_fin_out()); SYN_SENT
 * connects again, with the same ISS. A listener's connections not
 * accepted yet are saved after it, each as a connection of its own
 * (cr_tcp_dump_pending()), and made again into its accept queue
 * (cr_tcp_restore_child()). A socket that could not come back as it is
 * refuses the checkpoint with its reason: another TCP state, urgent
 * data, a filter, a TCP socket's multicast memberships, TCP-MD5/AO keys
 * or an upper layer (kTLS). A UDP socket's multicast groups are joined
 * again with their source filters. The datagrams queued on a UDP socket are
 * saved with their senders' addresses, and queued again at restore, as
 * if they had just arrived.
 *
 * In exit mode, a listening or established TCP socket (and the
 * connections a listener holds) is quiesced at the
 * checkpoint instant: its minimum TTL (and IPv6 hop count) is raised to
 * 255, so that the stack drops what arrives for it without an ACK or a
 * reset, and what it held until then is what the image holds. When the
 * image is written, the socket is held (cr_inet_hold()): the process
 * exits, the socket stays hashed and silent, its timers stopped, for
 * kernel.cr.tcp_hold_seconds or until a restore rebuilds the same
 * listener or connection. The peer sees neither FIN nor RST, and its
 * retransmissions reach the restored socket. A socket of a network
 * namespace of the tree's own is not held: it closes silently with its
 * process, and the namespace goes with it (the restore makes a new one,
 * its devices again). A checkpoint that fails
 * lowers the TTL again (cr_inet_unquiesce()).
 *
 * Restore: before the point of no return, the socket is made with the
 * caller's credentials in the caller's network namespace, its options
 * set, bound (the caller must be allowed the port), listening or
 * connected; an established connection through TCP repair, which needs
 * CAP_NET_ADMIN in that namespace (EPERM otherwise, as for TCP_REPAIR).
 * Its queues are filled in repair mode: the bytes not sent yet count as
 * sent, and are retransmitted. The connection leaves repair mode after
 * the point of no return (cr_restore_inet_finish()), with a window probe:
 * a restore that fails before closes it without a word to the peer.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/file.h>
#include <linux/filter.h>
#include <linux/igmp.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/memcontrol.h>
#include <linux/net.h>
#include <linux/net_tstamp.h>
#include <linux/security.h>
#include <linux/skbuff.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <net/busy_poll.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/sock_reuseport.h>
#include <net/tcp.h>
#include <net/udp.h>
#include <net/udplite.h>

/* kernel.cr.tcp_hold_seconds: how long a held socket waits for its restore. */
int cr_tcp_hold_seconds = 60;

/* Most sockets held at once, machine-wide. */
#define CR_MAX_HELD		4096

/* UDP-Lite shares UDP's socket (struct udp_sock) and code. */
static bool cr_inet_udp(unsigned int protocol)
{
	return protocol == IPPROTO_UDP || protocol == IPPROTO_UDPLITE;
}

static bool cr_udp(const struct sock *sk)
{
	return cr_inet_udp(sk->sk_protocol);
}

/* "TCP", "UDP" or "UDP-Lite", for messages. */
static const char *cr_inet_proto_name(unsigned int protocol)
{
	return protocol == IPPROTO_TCP ? "TCP" : protocol == IPPROTO_UDP ? "UDP" : "UDP-Lite";
}

/**
 * cr_is_inet - is @file a socket cr_dump_inet() may save?
 * @file: an open file
 *
 * Return: true for a TCP, UDP or UDP-Lite socket of AF_INET or AF_INET6.
 */
bool cr_is_inet(struct file *file)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? sock->sk : NULL;

	if (!sk || (sk->sk_family != AF_INET && sk->sk_family != AF_INET6))
		return false;
	return (sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP) ||
	       (sk->sk_type == SOCK_DGRAM && cr_udp(sk));
}

/* Checkpoint */

static void cr_inet_addrs(struct sock *sk, struct cr_inet *in)
{
	struct inet_sock *inet = inet_sk(sk);

	in->src_port = inet->inet_num;
	in->dst_port = ntohs(inet->inet_dport);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		memcpy(in->src, &sk->sk_v6_rcv_saddr, 16);
		if (in->state == CR_INET_CONNECTED || in->state == CR_INET_CONNECTING)
			memcpy(in->dst, &sk->sk_v6_daddr, 16);
		return;
	}
#endif
	memcpy(in->src, &inet->inet_rcv_saddr, 4);
	if (in->state == CR_INET_CONNECTED || in->state == CR_INET_CONNECTING)
		memcpy(in->dst, &inet->inet_daddr, 4);
}

/* The multicast sending options of a UDP socket, and IPv6's receive options. */
static void cr_inet_mc_options(struct sock *sk, struct cr_inet *in)
{
	struct inet_sock *inet = inet_sk(sk);
	struct cr_udp *u = &in->udp;

#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		struct ipv6_pinfo *np = inet6_sk(sk);

		in->flags |= (np->rxopt.bits.rxinfo ? CR_INET6_RECVPKTINFO : 0) |
			     (np->rxopt.bits.rxhlim ? CR_INET6_RECVHOPLIMIT : 0) |
			     (np->rxopt.bits.rxtclass ? CR_INET6_RECVTCLASS : 0) |
			     (np->rxopt.bits.rxorigdstaddr ? CR_INET6_RECVORIGDSTADDR : 0) |
			     (inet6_test_bit(RECVERR6, sk) ? CR_INET6_RECVERR : 0);
		if (!cr_udp(sk))
			return;
		if (READ_ONCE(np->mcast_hops) != IPV6_DEFAULT_MCASTHOPS) {
			in->flags |= CR_INET_MC_TTL;
			u->mc_ttl = READ_ONCE(np->mcast_hops);
		}
		if (!inet6_test_bit(MC6_LOOP, sk))
			in->flags |= CR_INET_MC_NOLOOP;
		if (READ_ONCE(np->mcast_oif)) {
			in->flags |= CR_INET_MC_IF;
			u->mc_ifindex = READ_ONCE(np->mcast_oif);
		}
		return;
	}
#endif
	if (!cr_udp(sk))
		return;
	if (READ_ONCE(inet->mc_ttl) != 1) {
		in->flags |= CR_INET_MC_TTL;
		u->mc_ttl = READ_ONCE(inet->mc_ttl);
	}
	if (!inet_test_bit(MC_LOOP, sk))
		in->flags |= CR_INET_MC_NOLOOP;
	if (READ_ONCE(inet->mc_index) || READ_ONCE(inet->mc_addr)) {
		__be32 a = READ_ONCE(inet->mc_addr);

		in->flags |= CR_INET_MC_IF;
		u->mc_ifindex = READ_ONCE(inet->mc_index);
		memcpy(u->mc_addr, &a, 4);
	}
}

/* A UDP socket's shutdowns, and UDP-Lite's checksum coverage. */
static void cr_udp_options(struct sock *sk, struct cr_inet *in)
{
	struct udp_sock *up = udp_sk(sk);
	int shut = READ_ONCE(sk->sk_shutdown);

	if (shut & RCV_SHUTDOWN)
		in->flags |= CR_INET_SHUT_RD;
	if (shut & SEND_SHUTDOWN)
		in->flags |= CR_INET_SHUT_WR;
	if (udp_test_bit(UDPLITE_SEND_CC, sk)) {
		in->flags |= CR_UDP_SEND_CSCOV;
		in->udp.send_cscov = READ_ONCE(up->pcslen);
	}
	if (udp_test_bit(UDPLITE_RECV_CC, sk)) {
		in->flags |= CR_UDP_RECV_CSCOV;
		in->udp.recv_cscov = READ_ONCE(up->pcrlen);
	}
}

/* The options programs set, as setsockopt() would set them again. */
static void cr_inet_options(struct sock *sk, struct cr_inet *in)
{
	struct inet_sock *inet = inet_sk(sk);

	if (sk->sk_reuse)
		in->flags |= CR_INET_REUSEADDR;
	if (sk->sk_reuseport)
		in->flags |= CR_INET_REUSEPORT;
	if (sock_flag(sk, SOCK_KEEPOPEN))
		in->flags |= CR_INET_KEEPALIVE;
	if (sock_flag(sk, SOCK_BROADCAST))
		in->flags |= CR_INET_BROADCAST;
	if (sock_flag(sk, SOCK_URGINLINE))
		in->flags |= CR_INET_OOBINLINE;
	if (sock_flag(sk, SOCK_LINGER)) {
		in->flags |= CR_INET_LINGER;
		in->linger = min_t(unsigned long, sk->sk_lingertime / HZ, INT_MAX);
	}
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK) {
		in->flags |= CR_INET_RCVBUF;
		in->rcvbuf = READ_ONCE(sk->sk_rcvbuf) / 2;
	}
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK) {
		in->flags |= CR_INET_SNDBUF;
		in->sndbuf = READ_ONCE(sk->sk_sndbuf) / 2;
	}
	if (inet_test_bit(FREEBIND, sk))
		in->flags |= CR_INET_FREEBIND;
	in->rcvtimeo_us = cr_sock_timeo_us(READ_ONCE(sk->sk_rcvtimeo));
	in->sndtimeo_us = cr_sock_timeo_us(READ_ONCE(sk->sk_sndtimeo));
	in->priority = READ_ONCE(sk->sk_priority);
	in->tos = READ_ONCE(inet->tos);
	in->ttl = READ_ONCE(inet->uc_ttl);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		if (sk->sk_ipv6only)
			in->flags |= CR_INET_V6ONLY;
		in->tos = READ_ONCE(inet6_sk(sk)->tclass);
		in->ttl = READ_ONCE(inet6_sk(sk)->hop_limit);
	}
#endif
	if (inet_test_bit(RECVERR, sk))
		in->flags |= CR_INET_RECVERR;
	if (inet_cmsg_flags(inet) & IP_CMSG_PKTINFO)
		in->flags |= CR_INET_PKTINFO;
	if (inet_cmsg_flags(inet) & IP_CMSG_TTL)
		in->flags |= CR_INET_RECVTTL;
	if (inet_cmsg_flags(inet) & IP_CMSG_TOS)
		in->flags |= CR_INET_RECVTOS;
	if (inet_cmsg_flags(inet) & IP_CMSG_ORIGDSTADDR)
		in->flags |= CR_INET_ORIGDSTADDR;
	cr_inet_mc_options(sk, in);
	if (cr_udp(sk))
		cr_udp_options(sk, in);
	in->mark = READ_ONCE(sk->sk_mark);
	in->rcvlowat = READ_ONCE(sk->sk_rcvlowat);
	in->pmtudisc = READ_ONCE(inet->pmtudisc);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		in->pmtudisc = READ_ONCE(inet6_sk(sk)->pmtudisc);
#endif
	if (sk->sk_protocol == IPPROTO_TCP) {
		struct tcp_sock *tp = tcp_sk(sk);

		if (tp->nonagle & TCP_NAGLE_OFF)
			in->flags |= CR_INET_NODELAY;
		if (tp->nonagle & TCP_NAGLE_CORK)
			in->flags |= CR_INET_CORK;
		in->keepidle = READ_ONCE(tp->keepalive_time) / HZ;
		in->keepintvl = READ_ONCE(tp->keepalive_intvl) / HZ;
		in->keepcnt = READ_ONCE(tp->keepalive_probes);
		in->user_timeout = READ_ONCE(inet_csk(sk)->icsk_user_timeout);
		in->notsent_lowat = READ_ONCE(tp->notsent_lowat);
		in->user_mss = READ_ONCE(tp->rx_opt.user_mss);
		in->fastopen = max(READ_ONCE(inet_csk(sk)->icsk_accept_queue.fastopenq.max_qlen), 0);
	}
}

/* The default congestion control of @sk's namespace is its own. */
static bool cr_tcp_default_ca(struct sock *sk)
{
	const struct tcp_congestion_ops *ca;
	bool ret;

	rcu_read_lock();
	ca = rcu_dereference(sock_net(sk)->ipv4.tcp_congestion_control);
	ret = !ca || inet_csk(sk)->icsk_ca_ops == ca;
	rcu_read_unlock();
	return ret;
}

/* The receive options (IP_CMSG_*) NT_CR_SOCK_OPTS holds. */
#define CR_IP_CMSG_OPTS	(IP_CMSG_RECVOPTS | IP_CMSG_RETOPTS | IP_CMSG_PASSSEC | \
			 IP_CMSG_CHECKSUM | IP_CMSG_RECVFRAGSIZE)

/* SOF_TIMESTAMPING_* flags NT_CR_SOCK_OPTS cannot hold: a key, a clock. */
#define CR_TSFLAGS_UNSAVED (SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_ID_TCP | \
			    SOF_TIMESTAMPING_BIND_PHC)

/*
 * Options not saved, when not at their default: NULL, or the first.
 * @opts: those NT_CR_SOCK_OPTS holds are saved (a socket a descriptor
 * holds, not one in flight or a connection not accepted yet).
 */
static const char *cr_inet_unsaved_option(struct sock *sk, bool opts)
{
	struct inet_sock *inet = inet_sk(sk);

	if (!opts && (inet_test_bit(TRANSPARENT, sk) || inet_test_bit(RECVERR_RFC4884, sk) ||
		      inet_test_bit(BIND_ADDRESS_NO_PORT, sk)))
		return "IP_TRANSPARENT, IP_BIND_ADDRESS_NO_PORT or IP_RECVERR_RFC4884";
	if (inet_cmsg_flags(inet) & ~(IP_CMSG_PKTINFO | IP_CMSG_TTL | IP_CMSG_TOS |
				      IP_CMSG_ORIGDSTADDR | (opts ? CR_IP_CMSG_OPTS : 0)))
		return "IP_RECVOPTS, IP_RETOPTS, IP_PASSSEC, IP_CHECKSUM or IP_RECVFRAGSIZE";
	if (rcu_access_pointer(inet->inet_opt))
		return "IP options (IP_OPTIONS)";
	/*
	 * Multicast sending: an AF_INET socket's are saved (a TCP socket
	 * accepted has the SYN's values, unused); an AF_INET6 one's IPv4
	 * ones are not.
	 */
	if (cr_udp(sk) && sk->sk_family == AF_INET6 &&
	    (READ_ONCE(inet->mc_ttl) != 1 || !inet_test_bit(MC_LOOP, sk) ||
	     READ_ONCE(inet->mc_index) || READ_ONCE(inet->mc_addr)))
		return "IPv4 multicast options (IP_MULTICAST_*) on an IPv6 socket";
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		struct ipv6_pinfo *np = inet6_sk(sk);
		typeof(np->rxopt) saved = {};

		saved.bits.rxinfo = 1;
		saved.bits.rxhlim = 1;
		saved.bits.rxtclass = 1;
		saved.bits.rxorigdstaddr = 1;
		/* NT_CR_SOCK_OPTS's */
		saved.bits.srcrt = opts;
		saved.bits.hopopts = opts;
		saved.bits.dstopts = opts;
		saved.bits.rxpmtu = opts;
		saved.bits.rxflow = opts;
		saved.bits.recvfragsize = opts;
		if ((np->rxopt.all & ~saved.all) || rcu_access_pointer(np->opt) ||
		    READ_ONCE(np->flow_label) || inet6_test_bit(SNDFLOW, sk))
			return "IPv6 receive options other than IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS, IPV6_RECVORIGDSTADDR, IPV6_RECVRTHDR, IPV6_RECVHOPOPTS, IPV6_RECVDSTOPTS, IPV6_RECVPATHMTU, IPV6_FLOWINFO and IPV6_RECVFRAGSIZE (the IPV6_2292 ones), flow label or extension header options";
	}
#endif
	if ((READ_ONCE(sk->sk_tsflags) & (opts ? CR_TSFLAGS_UNSAVED : ~0U)) ||
	    (!opts && (sock_flag(sk, SOCK_RCVTSTAMP) || sock_flag(sk, SOCK_RCVTSTAMPNS) ||
		       sock_flag(sk, SOCK_TXTIME))))
		return "timestamping options (SO_TIMESTAMP*, SO_TIMESTAMPING with OPT_ID or BIND_PHC, SO_TXTIME)";
	/* Zerocopy sends made: their notifications' ids go on from sk_zckey. */
	if ((sock_flag(sk, SOCK_ZEROCOPY) && (!opts || atomic_read(&sk->sk_zckey))) ||
	    sock_flag(sk, SOCK_WIFI_STATUS) || sock_flag(sk, SOCK_NOFCS) ||
	    (!opts && (sock_flag(sk, SOCK_RXQ_OVFL) || sock_flag(sk, SOCK_SELECT_ERR_QUEUE) ||
		       sock_flag(sk, SOCK_RCVMARK) || READ_ONCE(sk->sk_peek_off) >= 0 ||
		       /* A connection not accepted yet has no struct socket. */
		       (sk->sk_socket &&
			(test_bit(SOCK_PASSCRED, &sk->sk_socket->flags) ||
			 test_bit(SOCK_PASSSEC, &sk->sk_socket->flags))))))
		return "SO_RXQ_OVFL, SO_ZEROCOPY, SO_WIFI_STATUS, SO_NOFCS, SO_SELECT_ERR_QUEUE, SO_RCVMARK, SO_PEEK_OFF, SO_PASSCRED or SO_PASSSEC";
#ifdef CONFIG_NET_RX_BUSY_POLL
	if (READ_ONCE(sk->sk_ll_usec) != READ_ONCE(sysctl_net_busy_read))
		return "SO_BUSY_POLL";
#endif
	if (sk->sk_protocol != IPPROTO_TCP)
		return NULL;
	/* A SYN saved (TCP_SAVED_SYN, not read yet) cannot be made again. */
	if (tcp_sk(sk)->saved_syn ||
	    (!opts && (tcp_sk(sk)->recvmsg_inq || tcp_sk(sk)->thin_lto || tcp_sk(sk)->save_syn ||
		       READ_ONCE(tcp_sk(sk)->tcp_tx_delay))))
		return "TCP_INQ, TCP_SAVE_SYN (or a SYN saved), TCP_THIN_LINEAR_TIMEOUTS or TCP_TX_DELAY";
	if (!opts && !cr_tcp_default_ca(sk))
		return "a congestion control other than the default (TCP_CONGESTION)";
	if (!opts && READ_ONCE(inet_csk(sk)->icsk_accept_queue.rskq_defer_accept))
		return "TCP_DEFER_ACCEPT";
	return NULL;
}

/* The TCP states saved as established (TCPF_*). */
#define CR_TCPF_CONNECTED (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 | \
			   TCPF_FIN_WAIT2 | TCPF_CLOSING | TCPF_LAST_ACK)

/* The shutdowns the FINs of a TCP state make (sk_shutdown). */
static int cr_tcp_fins(int state)
{
	switch (state) {
	case TCP_CLOSE_WAIT:
		return RCV_SHUTDOWN;
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		return SEND_SHUTDOWN;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return SHUTDOWN_MASK;
	}
	return 0;
}


/* Does the reuseport group of @sk select sockets with a program? */
static bool cr_reuseport_prog(struct sock *sk)
{
	struct sock_reuseport *reuse;
	bool prog;

	rcu_read_lock();
	reuse = rcu_dereference(sk->sk_reuseport_cb);
	prog = reuse && rcu_access_pointer(reuse->prog);
	rcu_read_unlock();
	return prog;
}

/* What the image could not hold, or NULL (@obj: quiesced, its own minimum TTLs). */
static const char *cr_inet_unsaved(struct cr_obj *obj, struct sock *sk, bool opts)
{
	const char *opt = cr_inet_unsaved_option(sk, opts);
	struct inet_sock *inet = inet_sk(sk);

	if (opt)
		return opt;
	/* NT_CR_SOCK_DEVS holds the device of a socket a descriptor holds. */
	if (!opts && READ_ONCE(sk->sk_bound_dev_if))
		return "it is bound to a device (SO_BINDTODEVICE), in flight or not accepted yet";
	/* A socket filter is saved (sockopt.c); a reuseport group's is not. */
	if (cr_reuseport_prog(sk))
		return "its reuseport group has a program (SO_ATTACH_REUSEPORT_CBPF, _EBPF)";
	/*
	 * The peer's FIN shuts a TCP socket down for reading, ours for
	 * writing; a UDP socket's shutdowns are saved.
	 */
	if (!cr_udp(sk) && (sk->sk_shutdown & ~cr_tcp_fins(sk->sk_state)))
		return "it is shut down";
	if (!skb_queue_empty_lockless(&sk->sk_error_queue))
		return "errors are queued on it (IP_RECVERR, MSG_ERRQUEUE): read them (retry)";
	if (obj->quiet ? obj->min_ttl : READ_ONCE(inet->min_ttl))
		return "it has IP_MINTTL";
	/* A UDP socket's are saved, with their source filters. */
	if (!cr_udp(sk) && rcu_access_pointer(inet->mc_list))
		return "it has multicast memberships";
#if IS_ENABLED(CONFIG_IPV6)
	if (!cr_udp(sk) && sk->sk_family == AF_INET6 &&
	    rcu_access_pointer(inet6_sk(sk)->ipv6_mc_list))
		return "it has multicast memberships";
	if (sk->sk_family == AF_INET6 &&
	    (obj->quiet ? obj->min_hopcount : READ_ONCE(inet6_sk(sk)->min_hopcount)))
		return "it has IPV6_MINHOPCOUNT";
#endif
	if (cr_udp(sk)) {
		struct udp_sock *up = udp_sk(sk);

		if (READ_ONCE(up->pending) || udp_test_bit(CORK, sk))
			return "it holds a corked datagram";
		if (READ_ONCE(up->encap_type) || udp_test_bit(GRO_ENABLED, sk))
			return "it is a UDP tunnel or GRO socket";
		return NULL;
	}
	if (tcp_sk(sk)->repair)
		return "it is in TCP repair mode";
	if (inet_csk(sk)->icsk_ulp_ops)
		return "it has an upper layer protocol (kTLS...)";
#ifdef CONFIG_TCP_MD5SIG
	if (rcu_access_pointer(tcp_sk(sk)->md5sig_info))
		return "it has TCP-MD5 keys";
#endif
#ifdef CONFIG_TCP_AO
	if (rcu_access_pointer(tcp_sk(sk)->ao_info))
		return "it has TCP-AO keys";
#endif
	if (READ_ONCE(tcp_sk(sk)->urg_data))
		return "it holds urgent data";
	/* Its SYN alone: no data in it (TCP Fast Open), nothing deferred. */
	if (sk->sk_state == TCP_SYN_SENT &&
	    (tcp_sk(sk)->fastopen_req || inet_test_bit(DEFER_CONNECT, sk) ||
	     tcp_sk(sk)->write_seq != tcp_sk(sk)->snd_una + 1))
		return "it connects with TCP Fast Open";
	return NULL;
}

/* The bytes of the receive queue from copied_seq, into @buf. */
static int cr_tcp_recv_queue(struct sock *sk, char *buf, u32 len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	u32 done = 0;

	skb_queue_walk(&sk->sk_receive_queue, skb) {
		u32 seq = TCP_SKB_CB(skb)->seq, off, n;

		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN)
			seq++;
		if (after(seq, tp->copied_seq + done))
			return -EAGAIN;
		off = tp->copied_seq + done - seq;
		if (off >= skb->len)
			continue;
		n = min(skb->len - off, len - done);
		if (skb_copy_bits(skb, off, buf + done, n))
			return -EFAULT;
		done += n;
		if (done == len)
			break;
	}
	return done == len ? 0 : -EAGAIN;
}

/* One skb of the send queue, at its place from snd_una. */
static int cr_tcp_send_skb(struct sock *sk, struct sk_buff *skb, char *buf, u32 len)
{
	u32 una = tcp_sk(sk)->snd_una, seq = TCP_SKB_CB(skb)->seq, off = 0, at, n;

	if (before(seq, una)) {
		off = una - seq;
		seq = una;
	}
	if (off >= skb->len)
		return 0;
	at = seq - una;
	n = skb->len - off;
	if (at > len || n > len - at)
		return -EAGAIN;
	return skb_copy_bits(skb, off, buf + at, n) ? -EFAULT : 0;
}

/* The bytes from snd_una to write_seq: sent, then not sent yet. */
static int cr_tcp_send_queue(struct sock *sk, char *buf, u32 len)
{
	struct sk_buff *skb;
	int ret = 0;

	skb_rbtree_walk(skb, &sk->tcp_rtx_queue) {
		ret = cr_tcp_send_skb(sk, skb, buf, len);
		if (ret)
			return ret;
	}
	skb_queue_walk(&sk->sk_write_queue, skb) {
		ret = cr_tcp_send_skb(sk, skb, buf, len);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * One queued datagram into @buf (NULL: only its size): its sender and
 * bytes. One whose checksum is wrong, which recvmsg() would drop, is
 * left out.
 */
static size_t cr_udp_dgram(struct sock *sk, struct sk_buff *skb, char *buf)
{
	struct cr_udp_dgram g = {};
	size_t size = ALIGN(sizeof(g) + skb->len, 4);

	if (!udp_skb_csum_unnecessary(skb) && __udp_lib_checksum_complete(skb))
		return 0;
	if (!buf)
		return size;
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		if (sk->sk_family == AF_INET6) {
			ipv6_addr_set_v4mapped(iph->saddr, (struct in6_addr *)g.addr);
			ipv6_addr_set_v4mapped(iph->daddr, (struct in6_addr *)g.dst);
		} else {
			memcpy(g.addr, &iph->saddr, 4);
			memcpy(g.dst, &iph->daddr, 4);
		}
		/* As ipv4_pktinfo_prepare() left them for IP_PKTINFO. */
		g.spec_dst = PKTINFO_SKB_CB(skb)->ipi_spec_dst.s_addr;
		g.ifindex = PKTINFO_SKB_CB(skb)->ipi_ifindex;
		g.ttl = iph->ttl;
		g.tos = iph->tos;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		memcpy(g.addr, &ip6h->saddr, 16);
		memcpy(g.dst, &ip6h->daddr, 16);
		g.ifindex = IP6CB(skb)->iif;
		g.ttl = ip6h->hop_limit;
		g.tos = ipv6_get_dsfield(ip6h);
	}
	g.port = ntohs(udp_hdr(skb)->source);
	g.len = skb->len;
	memcpy(buf, &g, sizeof(g));
	memset(buf + sizeof(g) + skb->len, 0, size - sizeof(g) - skb->len);
	return skb_copy_bits(skb, 0, buf + sizeof(g), skb->len) ? 0 : size;
}

/*
 * The datagrams queued on @sk, oldest first (those the reader took from
 * the receive queue, then the receive queue), into @buf (NULL: only
 * count), at most @cap bytes and CR_MAX_UDP_DGRAMS; false if there are
 * more. Datagrams still arrive while the process is frozen, as they
 * would while it runs: the copy takes those counted, later ones are the
 * process's if it goes on, and lost with it if it exits.
 */
static bool cr_udp_queue(struct sock *sk, char *buf, size_t cap, u32 *nr, size_t *len)
{
	bool all = false;
	struct sk_buff_head *queues[2] = { &udp_sk(sk)->reader_queue, &sk->sk_receive_queue };
	struct sk_buff *skb;
	unsigned int i;
	size_t n;

	*nr = 0;
	*len = 0;
	spin_lock_bh(&queues[0]->lock);
	spin_lock(&queues[1]->lock);
	for (i = 0; i < 2; i++) {
		skb_queue_walk(queues[i], skb) {
			n = cr_udp_dgram(sk, skb, NULL);
			if (!n)
				continue;
			if (*nr == CR_MAX_UDP_DGRAMS || n > cap - *len ||
			    (buf && cr_udp_dgram(sk, skb, buf + *len) != n))
				goto out;
			*len += n;
			(*nr)++;
		}
	}
	all = true;
out:
	spin_unlock(&queues[1]->lock);
	spin_unlock_bh(&queues[0]->lock);
	return all;
}

/* Where cr_udp_groups() puts the groups and their source filters. */
struct cr_udp_mc {
	struct cr_udp_group *g;		/* NULL: count only */
	char *src;			/* the source lists, after the groups */
	u32 max, nr;			/* groups: room, found */
	size_t src_max, src_len;	/* source lists' bytes: room, found */
};

/* One group, with its source filter (mode, @nr of @addr, @alen bytes each). */
static void cr_udp_group_add(struct cr_udp_mc *m, int family, const void *group, int ifindex,
			     unsigned int mode, const void *addr, u32 nr, size_t alen)
{
	struct cr_udp_sources h = { .mode = mode, .nr = nr };
	size_t len = nr ? sizeof(h) + nr * 16 : 0;
	u32 i;

	/* Only from no source: as if not a member (setsockopt() leaves it). */
	if (mode == MCAST_INCLUDE && !nr)
		return;

	if (m->g && m->nr < m->max && m->src_len + len <= m->src_max) {
		struct cr_udp_group *g = &m->g[m->nr];

		memset(g, 0, sizeof(*g));
		memcpy(g->addr, group, family == AF_INET ? 4 : 16);
		g->ifindex = ifindex;
		g->family = family;
		if (nr) {
			char *p = m->src + m->src_len;

			g->flags = CR_UDP_GROUP_SOURCES;
			memcpy(p, &h, sizeof(h));
			p += sizeof(h);
			memset(p, 0, nr * 16);
			for (i = 0; i < nr; i++)
				memcpy(p + i * 16, addr + i * alen, alen);
		}
	}
	m->nr++;
	m->src_len += len;
}

/*
 * The multicast groups @sk is a member of, with their source filters
 * (MCAST_INCLUDE with its sources, or MCAST_EXCLUDE with those blocked),
 * into @m, or only counted when m->g is NULL.
 */
static void cr_udp_groups(struct sock *sk, struct cr_udp_mc *m)
{
	struct ip_mc_socklist *iml;

	m->nr = 0;
	m->src_len = 0;
	rcu_read_lock();
	for (iml = rcu_dereference(inet_sk(sk)->mc_list); iml;
	     iml = rcu_dereference(iml->next_rcu)) {
		struct ip_sf_socklist *sl = rcu_dereference(iml->sflist);
		u32 nr = sl ? READ_ONCE(sl->sl_count) : 0;

		if (sl && nr > sl->sl_max)
			nr = sl->sl_max;
		cr_udp_group_add(m, AF_INET, &iml->multi.imr_multiaddr, iml->multi.imr_ifindex,
				 iml->sfmode, sl ? (void *)sl->sl_addr : NULL, nr, 4);
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		struct ipv6_mc_socklist *mc;

		for (mc = rcu_dereference(inet6_sk(sk)->ipv6_mc_list); mc;
		     mc = rcu_dereference(mc->next)) {
			struct ip6_sf_socklist *sl = rcu_dereference(mc->sflist);
			u32 nr = sl ? READ_ONCE(sl->sl_count) : 0;

			if (sl && nr > sl->sl_max)
				nr = sl->sl_max;
			cr_udp_group_add(m, AF_INET6, &mc->addr, mc->ifindex, mc->sfmode,
					 sl ? (void *)sl->sl_addr : NULL, nr, 16);
		}
	}
#endif
	rcu_read_unlock();
}

/* The datagrams of a UDP socket after @in, its struct cr_udp. */
static int cr_udp_dump(struct sock *sk, struct cr_inet *in, char **out)
{
	struct cr_udp_mc m = {};
	size_t len, src_len;
	u32 nr, groups;
	char *buf;

	cr_udp_groups(sk, &m);
	groups = m.nr;
	src_len = m.src_len;
	if (groups > CR_MAX_UDP_GROUPS || src_len > CR_MAX_UNLINKED)
		return -EFBIG;
	if (!cr_udp_queue(sk, NULL, CR_MAX_UNLINKED, &nr, &len))
		return -EFBIG;
	if (!nr && !groups)
		return 0;
	buf = kvzalloc(sizeof(*in) + len + groups * sizeof(struct cr_udp_group) + src_len,
		       GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	if (nr)
		cr_udp_queue(sk, buf + sizeof(*in), len, &in->udp.nr_dgrams, &len);
	in->udp.data_len = len;
	/* Under the socket's lock, as setsockopt() changes them: no more came. */
	m.g = (void *)(buf + sizeof(*in) + len);
	m.max = groups;
	m.src = (char *)(m.g + groups);
	m.src_max = src_len;
	cr_udp_groups(sk, &m);
	if (m.nr != groups || m.src_len != src_len) {
		kvfree(buf);
		return -EAGAIN;
	}
	in->udp.nr_groups = groups;
	in->udp.sources_len = src_len;
	*out = buf;
	return 0;
}

/* An established connection: struct cr_tcp, and its queues after @in. */
static int cr_tcp_dump(struct sock *sk, struct cr_inet *in, char **out)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct cr_tcp *t = &in->tcp;
	char *buf;
	int ret;

	t->snd_seq = tp->snd_una;
	t->send_len = tp->write_seq - tp->snd_una;
	t->unsent_len = tp->write_seq - tp->snd_nxt;
	t->rcv_seq = tp->copied_seq;
	t->recv_len = tp->rcv_nxt - tp->copied_seq;
	/*
	 * CLOSE_WAIT, CLOSING, LAST_ACK: RCV.NXT counts the peer's FIN, which
	 * a read of the end of file passed (copied_seq too, then).
	 */
	/* FIN_WAIT2: SND.UNA passed our FIN, and everything before it. */
	if (sk->sk_state == TCP_FIN_WAIT2) {
		if (t->send_len)
			return -EAGAIN;
		t->options |= CR_TCP_FIN_OUT;
		t->snd_seq--;
	}
	/*
	 * FIN_WAIT1, CLOSING, LAST_ACK: our FIN ends the send queue (the
	 * last sequence number before write_seq), sent or not.
	 */
	if ((1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK)) {
		if (!t->send_len)
			return -EAGAIN;
		t->options |= CR_TCP_FIN_QUEUED;
		t->send_len--;
		if (t->unsent_len)
			t->unsent_len--;
		if (sk->sk_state == TCP_CLOSING)
			t->options |= CR_TCP_CLOSING;
	}
	if ((1 << sk->sk_state) & (TCPF_CLOSE_WAIT | TCPF_CLOSING | TCPF_LAST_ACK)) {
		t->options |= CR_TCP_FIN_IN;
		if (!t->recv_len) {
			t->options |= CR_TCP_FIN_READ;
			t->rcv_seq--;
		} else {
			t->recv_len--;
		}
	}
	if (t->send_len > CR_MAX_UNLINKED || t->recv_len > CR_MAX_UNLINKED ||
	    t->unsent_len > t->send_len)
		return -EFBIG;
	t->mss = tp->rx_opt.mss_clamp;
	if (tp->rx_opt.sack_ok)
		t->options |= CR_TCP_SACK;
	if (tp->rx_opt.tstamp_ok) {
		t->options |= CR_TCP_TIMESTAMPS;
		t->timestamp = tcp_clock_ts(tp->tcp_usec_ts) + READ_ONCE(tp->tsoffset);
		t->timestamp = tp->tcp_usec_ts ? t->timestamp | 1 : t->timestamp & ~1;
	}
	if (tp->rx_opt.wscale_ok) {
		t->options |= CR_TCP_WSCALE;
		t->snd_wscale = tp->rx_opt.snd_wscale;
		t->rcv_wscale = tp->rx_opt.rcv_wscale;
	}
	t->snd_wl1 = tp->snd_wl1;
	t->snd_wnd = tp->snd_wnd;
	t->max_window = tp->max_window;
	t->rcv_wnd = tp->rcv_wnd;
	t->rcv_wup = tp->rcv_wup;

	buf = kvmalloc(sizeof(*in) + t->recv_len + t->send_len, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	ret = cr_tcp_recv_queue(sk, buf + sizeof(*in), t->recv_len);
	if (!ret)
		ret = cr_tcp_send_queue(sk, buf + sizeof(*in) + t->recv_len, t->send_len);
	if (ret) {
		kvfree(buf);
		return ret;
	}
	*out = buf;
	return 0;
}

/*
 * The connections in the accept queue of listener @sk, oldest first, each
 * with a reference (sock_put() them, kvfree() the array), in *@nr; or
 * NULL: an ERR_PTR(), -EAGAIN when the queue grew while it was read.
 */
static struct sock **cr_tcp_pending(struct sock *sk, unsigned int *nr)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	unsigned int cap = READ_ONCE(sk->sk_ack_backlog) + 8, n = 0;
	struct request_sock *req;
	struct sock **socks;
	bool full = false;

	if (cap > CR_MAX_TCP_PENDING)
		return ERR_PTR(-EFBIG);
	socks = kvmalloc_array(cap, sizeof(*socks), GFP_KERNEL);
	if (!socks)
		return ERR_PTR(-ENOMEM);
	spin_lock_bh(&queue->rskq_lock);
	for (req = queue->rskq_accept_head; req; req = req->dl_next) {
		if (!req->sk)
			continue;
		if (n == cap) {
			full = true;
			break;
		}
		sock_hold(req->sk);
		socks[n++] = req->sk;
	}
	spin_unlock_bh(&queue->rskq_lock);
	if (full) {
		while (n)
			sock_put(socks[--n]);
		kvfree(socks);
		return ERR_PTR(-EAGAIN);
	}
	*nr = n;
	return socks;
}

static void cr_tcp_pending_put(struct sock **socks, unsigned int nr)
{
	while (nr)
		sock_put(socks[--nr]);
	kvfree(socks);
}

/*
 * The minimum TTL (and IPv6 hop count) of a socket and of the connections
 * its accept queue holds (which a listener's does not cover).
 */
static void cr_inet_set_min_ttl(struct sock *sk, int ttl, int hops)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req;

	WRITE_ONCE(inet_sk(sk)->min_ttl, ttl);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		WRITE_ONCE(inet6_sk(sk)->min_hopcount, hops);
#endif
	if (sk->sk_protocol != IPPROTO_TCP || READ_ONCE(sk->sk_state) != TCP_LISTEN)
		return;
	spin_lock_bh(&queue->rskq_lock);
	for (req = queue->rskq_accept_head; req; req = req->dl_next) {
		if (!req->sk)
			continue;
		WRITE_ONCE(inet_sk(req->sk)->min_ttl, ttl);
#if IS_ENABLED(CONFIG_IPV6)
		if (sk->sk_family == AF_INET6)
			WRITE_ONCE(inet6_sk(req->sk)->min_hopcount, hops);
#endif
	}
	spin_unlock_bh(&queue->rskq_lock);
}

/*
 * Exit mode: nothing more is taken in from now on (see the top of the
 * file). Once per socket; the receive paths that read the old TTL are
 * over when synchronize_net() returns, and what they queued on the
 * socket's backlog is processed before the state is read.
 */
static void cr_inet_quiesce(struct cr_obj *obj, struct sock *sk)
{
	if (obj->quiet)
		return;
	obj->quiet = true;
	obj->min_ttl = READ_ONCE(inet_sk(sk)->min_ttl);
	static_branch_enable(&ip4_min_ttl);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		obj->min_hopcount = READ_ONCE(inet6_sk(sk)->min_hopcount);
		static_branch_enable(&ip6_min_hopcount);
	}
#endif
	cr_inet_set_min_ttl(sk, 255, 255);
	synchronize_net();
}

/*
 * A connection listener @obj has not accepted yet, as its own struct
 * cr_inet and queues in *@out, *@len: NULL, or why it cannot be saved
 * (*@err set when it could not be read).
 */
static const char *cr_tcp_dump_child(struct cr_obj *obj, struct sock *sk, char **out,
				     size_t *len, int *err)
{
	struct cr_inet in = {
		.family = sk->sk_family,
		.protocol = IPPROTO_TCP,
		.state = CR_INET_CONNECTED,
		.flags = CR_INET_BOUND,
	};
	const char *why = NULL;
	char *buf = NULL;

	*err = 0;
	lock_sock(sk);
	sk_flush_backlog(sk);
	/* Not accepted: no program shut it down; TCP Fast Open's are in SYN_RECV. */
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
		why = "of its TCP state";
	if (!why)
		why = cr_inet_unsaved(obj, sk, false);
	if (!why) {
		cr_inet_addrs(sk, &in);
		cr_inet_options(sk, &in);
		*err = cr_tcp_dump(sk, &in, &buf);
	}
	release_sock(sk);
	if (why || *err)
		return why ?: "its queues could not be read";
	memcpy(buf, &in, sizeof(in));
	*out = buf;
	*len = sizeof(in) + in.tcp.recv_len + in.tcp.send_len;
	return NULL;
}

/*
 * The connections in listener @sk's accept queue, oldest first, after its
 * struct cr_inet @in in *@out. In exit mode, none may be being set up
 * (SYN_RECV): its final ACK could make one after they are read (the
 * listener's minimum TTL does not stop it), which the image would not
 * hold.
 */
static int cr_tcp_dump_pending(struct cr_dump *d, struct cr_obj *obj, struct sock *sk, int fd,
			       struct cr_inet *in, char **out)
{
	const char *why = NULL, *who = "";
	unsigned int nr = 0, i;
	struct sock **socks;
	size_t *lens = NULL;
	char **bufs = NULL;
	u64 total = 0;
	int ret = 0;
	char *buf;

	/*
	 * Quiesced, with none being set up, none comes after: a SYN is
	 * dropped, and what queued one before is over (synchronize_net()).
	 */
	if (d->quiesce && inet_csk_reqsk_queue_len(sk)) {
		socks = ERR_PTR(-EAGAIN);
		why = "connections are being set up (SYN_RECV) (retry)";
		goto out;
	}
	socks = cr_tcp_pending(sk, &nr);
	if (IS_ERR(socks)) {
		ret = PTR_ERR(socks);
		why = ret == -EAGAIN ? "its accept queue grew while it was read (retry)" :
		      ret == -EFBIG ? "too many connections wait in its accept queue" : NULL;
		goto out;
	}
	bufs = kvcalloc(nr ?: 1, sizeof(*bufs), GFP_KERNEL);
	lens = kvcalloc(nr ?: 1, sizeof(*lens), GFP_KERNEL);
	if (!bufs || !lens) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr && !why; i++) {
		why = cr_tcp_dump_child(obj, socks[i], &bufs[i], &lens[i], &ret);
		if (why)
			who = "a connection it has not accepted yet: ";
		total += ALIGN(lens[i], 8);
		if (!why && total > CR_MAX_UNLINKED) {
			why = "the connections waiting in its accept queue hold too much data";
			ret = -EFBIG;
		}
	}
	if (why)
		goto out;
	buf = kvzalloc(sizeof(*in) + total, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	total = 0;
	for (i = 0; i < nr; i++) {
		memcpy(buf + sizeof(*in) + total, bufs[i], lens[i]);
		total += ALIGN(lens[i], 8);
	}
	in->listen.nr_pending = nr;
	in->listen.pending_len = total;
	*out = buf;
out:
	if (why)
		cr_refuse(current->comm, "checkpoint refused: fd %d: a TCP listener (port %u) cannot be saved: %s%s",
			  fd, in->src_port, who, why);
	for (i = 0; bufs && i < nr; i++)
		kvfree(bufs[i]);
	kvfree(bufs);
	kvfree(lens);
	if (!IS_ERR(socks))
		cr_tcp_pending_put(socks, nr);
	if (why && !ret)
		ret = strstr(why, "retry") ? -EAGAIN : -EOPNOTSUPP;
	return ret;
}

/**
 * cr_dump_inet - the state of a TCP or UDP socket, for its descriptor
 * @d: the image being written
 * @obj: the socket's open file (cr_is_inet())
 * @fd: its descriptor, for messages
 * @out: set to struct cr_inet and its queues, to kvfree()
 * @len: set to their size
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_dump_inet(struct cr_dump *d, struct cr_obj *obj, int fd, void **out, size_t *len)
{
	struct sock *sk = sock_from_file(obj->file)->sk;
	struct cr_inet in = {};
	const char *why = NULL;
	char *buf = NULL;
	int state, ret = 0;

	in.family = sk->sk_family;
	in.protocol = sk->sk_protocol;
	state = READ_ONCE(sk->sk_state);
	if (d->quiesce && sk->sk_protocol == IPPROTO_TCP &&
	    ((1 << state) & (TCPF_LISTEN | CR_TCPF_CONNECTED)))
		cr_inet_quiesce(obj, sk);

	lock_sock(sk);
	sk_flush_backlog(sk);
	state = sk->sk_state;
	if (state == TCP_LISTEN && sk->sk_protocol == IPPROTO_TCP) {
		in.state = CR_INET_LISTEN;
		in.backlog = READ_ONCE(sk->sk_max_ack_backlog);
	} else if (state == TCP_ESTABLISHED ||
		   (((1 << state) & CR_TCPF_CONNECTED) && sk->sk_protocol == IPPROTO_TCP)) {
		in.state = CR_INET_CONNECTED;
	} else if (state == TCP_SYN_SENT && sk->sk_protocol == IPPROTO_TCP) {
		/* Connected again at restore, with its SYN's sequence number. */
		in.state = CR_INET_CONNECTING;
		in.tcp.snd_seq = tcp_sk(sk)->snd_una;
	} else if (state != TCP_CLOSE) {
		why = "of its TCP state";
	}
	if (!why)
		why = cr_inet_unsaved(obj, sk, fd >= 0);
	if (!why) {
		cr_inet_addrs(sk, &in);
		if (inet_sk(sk)->inet_num)
			in.flags |= CR_INET_BOUND;
		cr_inet_options(sk, &in);
		if (in.state == CR_INET_CONNECTED && sk->sk_protocol == IPPROTO_TCP)
			ret = cr_tcp_dump(sk, &in, &buf);
		else if (cr_udp(sk))
			ret = cr_udp_dump(sk, &in, &buf);
	}
	release_sock(sk);

	if (why) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a %s socket (state %d) cannot be saved: %s",
			  fd, cr_inet_proto_name(sk->sk_protocol), state, why);
		return strstr(why, "retry") ? -EAGAIN : -EOPNOTSUPP;
	}
	if (ret) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: cannot read the socket's queues (%d)",
			  fd, ret);
		return ret;
	}
	if (in.state == CR_INET_LISTEN && sk->sk_protocol == IPPROTO_TCP) {
		ret = cr_tcp_dump_pending(d, obj, sk, fd, &in, &buf);
		if (ret)
			return ret;
	}
	if (!buf) {
		buf = kvmalloc(sizeof(in), GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOMEM;
	}
	memcpy(buf, &in, sizeof(in));
	*out = buf;
	*len = sizeof(in) + (cr_udp(sk) ?
			     in.udp.data_len + in.udp.nr_groups * sizeof(struct cr_udp_group) +
			     in.udp.sources_len :
			     in.state == CR_INET_LISTEN ? in.listen.pending_len :
			     in.tcp.recv_len + in.tcp.send_len);
	return 0;
}

/* Input not read yet, whose arrival times the image does not hold. */
static bool cr_inet_has_input(struct sock *sk)
{
	if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
		return true;
	if (cr_udp(sk))
		return !skb_queue_empty_lockless(&udp_sk(sk)->reader_queue);
	return READ_ONCE(sk->sk_state) != TCP_LISTEN &&
	       READ_ONCE(tcp_sk(sk)->rcv_nxt) != READ_ONCE(tcp_sk(sk)->copied_seq);
}

/* The options of @sk that NT_CR_SOCK_OPTS holds, into @o. */
static void cr_inet_opts_read(struct sock *sk, struct cr_sock_opts *o)
{
	static const struct {
		u32 cmsg, flag;
	} cmsgs[] = {
		{ IP_CMSG_RECVOPTS, CR_SOCK_OPT_RECVOPTS },
		{ IP_CMSG_RETOPTS, CR_SOCK_OPT_RETOPTS },
		{ IP_CMSG_PASSSEC, CR_SOCK_OPT_IP_PASSSEC },
		{ IP_CMSG_CHECKSUM, CR_SOCK_OPT_CHECKSUM },
		{ IP_CMSG_RECVFRAGSIZE, CR_SOCK_OPT_RECVFRAGSIZE },
	};
	u32 tsflags = READ_ONCE(sk->sk_tsflags), cmsg = inet_cmsg_flags(inet_sk(sk));
	unsigned long sock_flags = sk->sk_socket->flags;
	unsigned int i;

	if (sock_flag(sk, SOCK_RCVTSTAMP))
		o->flags |= sock_flag(sk, SOCK_RCVTSTAMPNS) ? CR_SOCK_OPT_TIMESTAMPNS :
			    CR_SOCK_OPT_TIMESTAMP;
	if (tsflags) {
		o->flags |= CR_SOCK_OPT_TIMESTAMPING;
		o->tsflags = tsflags;
	}
	if ((o->flags & (CR_SOCK_OPT_TIMESTAMP | CR_SOCK_OPT_TIMESTAMPNS |
			 CR_SOCK_OPT_TIMESTAMPING)) && sock_flag(sk, SOCK_TSTAMP_NEW))
		o->flags |= CR_SOCK_OPT_TSTAMP_NEW;
	if (sock_flag(sk, SOCK_RXQ_OVFL)) {
		o->flags |= CR_SOCK_OPT_RXQ_OVFL;
		o->drops = atomic_read(&sk->sk_drops);
	}
	if (READ_ONCE(sk->sk_peek_off) >= 0) {
		o->flags |= CR_SOCK_OPT_PEEK_OFF;
		o->peek_off = READ_ONCE(sk->sk_peek_off);
	}
	o->flags |= (test_bit(SOCK_PASSCRED, &sock_flags) ? CR_SOCK_OPT_PASSCRED : 0) |
		    (test_bit(SOCK_PASSSEC, &sock_flags) ? CR_SOCK_OPT_PASSSEC : 0) |
		    (sock_flag(sk, SOCK_SELECT_ERR_QUEUE) ? CR_SOCK_OPT_SELECT_ERR_QUEUE : 0) |
		    (sock_flag(sk, SOCK_RCVMARK) ? CR_SOCK_OPT_RCVMARK : 0) |
		    (inet_test_bit(BIND_ADDRESS_NO_PORT, sk) ? CR_SOCK_OPT_BIND_NO_PORT : 0);
	for (i = 0; i < ARRAY_SIZE(cmsgs); i++)
		if (cmsg & cmsgs[i].cmsg)
			o->flags |= cmsgs[i].flag;
	o->flags |= (inet_test_bit(TRANSPARENT, sk) ? CR_SOCK_OPT_TRANSPARENT : 0) |
		    (inet_test_bit(RECVERR_RFC4884, sk) ? CR_SOCK_OPT_RFC4884 : 0) |
		    (sock_flag(sk, SOCK_ZEROCOPY) ? CR_SOCK_OPT_ZEROCOPY : 0);
	if (sock_flag(sk, SOCK_TXTIME)) {
		o->flags |= CR_SOCK_OPT_TXTIME;
		o->txtime_clockid = sk->sk_clockid;
		o->txtime_flags = (sk->sk_txtime_deadline_mode ? SOF_TXTIME_DEADLINE_MODE : 0) |
				  (sk->sk_txtime_report_errors ? SOF_TXTIME_REPORT_ERRORS : 0);
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		const struct ipv6_pinfo *np = inet6_sk(sk);

		o->flags |= (np->rxopt.bits.srcrt ? CR_SOCK_OPT_RECVRTHDR : 0) |
			    (np->rxopt.bits.hopopts ? CR_SOCK_OPT_RECVHOPOPTS : 0) |
			    (np->rxopt.bits.dstopts ? CR_SOCK_OPT_RECVDSTOPTS : 0) |
			    (np->rxopt.bits.rxpmtu ? CR_SOCK_OPT_RECVPATHMTU : 0) |
			    (np->rxopt.bits.rxflow ? CR_SOCK_OPT_FLOWINFO : 0) |
			    (np->rxopt.bits.recvfragsize ? CR_SOCK_OPT_V6FRAGSIZE : 0);
	}
#endif
	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	if (tcp_sk(sk)->save_syn) {
		o->flags |= CR_SOCK_OPT_SAVE_SYN;
		o->save_syn = tcp_sk(sk)->save_syn;
	}
	if (READ_ONCE(tcp_sk(sk)->tcp_tx_delay)) {
		o->flags |= CR_SOCK_OPT_TX_DELAY;
		o->tx_delay = READ_ONCE(tcp_sk(sk)->tcp_tx_delay);
	}
	if (tcp_sk(sk)->recvmsg_inq)
		o->flags |= CR_SOCK_OPT_TCP_INQ;
	if (tcp_sk(sk)->thin_lto)
		o->flags |= CR_SOCK_OPT_THIN_LTO;
	if (!cr_tcp_default_ca(sk)) {
		o->flags |= CR_SOCK_OPT_CONGESTION;
		strscpy(o->congestion, inet_csk(sk)->icsk_ca_ops->name, sizeof(o->congestion));
	}
	if (READ_ONCE(inet_csk(sk)->icsk_accept_queue.rskq_defer_accept)) {
		int val = 0, len = sizeof(val);

		/* In seconds, as getsockopt() gives it and setsockopt() takes it. */
		if (!do_tcp_getsockopt(sk, SOL_TCP, TCP_DEFER_ACCEPT, KERNEL_SOCKPTR(&val),
				       KERNEL_SOCKPTR(&len)) && val > 0) {
			o->flags |= CR_SOCK_OPT_DEFER_ACCEPT;
			o->defer_accept = min(val, 65535);
		}
	}
}

/* NT_CR_SOCK_DEVS's entry of socket @sk, at @fd, if bound to a device. */
static int cr_dump_sock_dev(struct cr_sock_opts_buf *l, struct sock *sk, int fd)
{
	struct cr_sock_dev d = { .fd = fd, .ifindex = READ_ONCE(sk->sk_bound_dev_if) };
	struct cr_sock_dev *p;

	if (!d.ifindex)
		return 0;
	if (!cr_sock_dev_name(sk, d.ifindex, d.name)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: bound to device %d, which is gone",
			  fd, d.ifindex);
		return -ENODEV;
	}
	if (l->nr_dev == l->cap_dev) {
		unsigned int cap = max(16U, 2 * l->cap_dev);

		p = kvrealloc(l->dev, cap * sizeof(*p), GFP_KERNEL_ACCOUNT);
		if (!p)
			return -ENOMEM;
		l->dev = p;
		l->cap_dev = cap;
	}
	l->dev[l->nr_dev++] = d;
	return 0;
}

/**
 * cr_dump_sock_opts - NT_CR_SOCK_OPTS's entry of a TCP or UDP socket
 * @l: the process's entries so far
 * @file: the socket (cr_is_inet()), saved by cr_dump_inet()
 * @fd: its descriptor
 *
 * Return: 0 (no entry when none of those options is set), or a negative
 * errno after saying why.
 */
int cr_dump_sock_opts(struct cr_sock_opts_buf *l, struct file *file, int fd)
{
	struct sock *sk = sock_from_file(file)->sk;
	struct cr_sock_opts o = { .fd = fd };
	int ret;

	lock_sock(sk);
	cr_inet_opts_read(sk, &o);
	release_sock(sk);
	ret = cr_dump_sock_dev(l, sk, fd);
	if (ret || !o.flags)
		return ret;
	/*
	 * What a queued packet carries of its arrival, which the image does
	 * not hold: its time, and the drop count at that time (SO_RXQ_OVFL).
	 */
	if (((o.flags & (CR_SOCK_OPT_TIMESTAMP | CR_SOCK_OPT_TIMESTAMPNS | CR_SOCK_OPT_RXQ_OVFL)) ||
	     (o.tsflags & (SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_RX_HARDWARE))) &&
	    cr_inet_has_input(sk)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a socket with receive timestamps or SO_RXQ_OVFL holds input, whose arrival times and drop counts are not saved: read it (retry)",
			  fd);
		return -EAGAIN;
	}
	if (l->nr == l->cap) {
		unsigned int cap = max(16U, 2 * l->cap);
		struct cr_sock_opts *p = kvrealloc(l->o, cap * sizeof(*p), GFP_KERNEL_ACCOUNT);

		if (!p)
			return -ENOMEM;
		l->o = p;
		l->cap = cap;
	}
	l->o[l->nr++] = o;
	return 0;
}

/**
 * cr_dump_sock_opts_note - NT_CR_SOCK_OPTS and NT_CR_SOCK_DEVS, if a
 *	socket has an entry
 * @d: image being written
 * @l: the entries, freed
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_sock_opts_note(struct cr_dump *d, struct cr_sock_opts_buf *l)
{
	int ret = l->nr ? cr_dump_note(d, CR_NOTE_NAME, NT_CR_SOCK_OPTS, l->o,
				       l->nr * sizeof(*l->o)) : 0;

	if (!ret && l->nr_dev)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SOCK_DEVS, l->dev,
				   l->nr_dev * sizeof(*l->dev));
	kvfree(l->o);
	kvfree(l->dev);
	memset(l, 0, sizeof(*l));
	return ret;
}

/**
 * cr_inet_unquiesce - a quiesced socket takes in again
 * @obj: a socket cr_dump_inet() quiesced, not held: the checkpoint failed
 *	(or was not in exit mode)
 */
void cr_inet_unquiesce(struct cr_obj *obj)
{
	struct sock *sk = sock_from_file(obj->file)->sk;

	/* Its connections not accepted yet had the listener's (inet_sk_clone()). */
	cr_inet_set_min_ttl(sk, obj->min_ttl, obj->min_hopcount);
	obj->quiet = false;
}

/* Held sockets */

struct cr_held {
	struct list_head node;
	struct file *file;
	unsigned long expires;
};

static LIST_HEAD(cr_held_list);
static DEFINE_SPINLOCK(cr_held_lock);
static unsigned int cr_nr_held;

static void cr_held_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(cr_held_work, cr_held_work_fn);

/*
 * A held socket goes: closed without a word (repair mode), or listening no
 * more. Now, by the restore that takes over (@sync), which needs its
 * address; else as files are.
 */
static void cr_held_free(struct cr_held *h, bool sync)
{
	if (sync)
		__fput_sync(h->file);
	else
		fput(h->file);
	kfree(h);
}

static void cr_held_work_fn(struct work_struct *work)
{
	struct cr_held *h, *n;
	LIST_HEAD(gone);
	bool more;

	spin_lock(&cr_held_lock);
	list_for_each_entry_safe(h, n, &cr_held_list, node) {
		if (time_after_eq(jiffies, h->expires)) {
			list_move(&h->node, &gone);
			cr_nr_held--;
		}
	}
	more = !list_empty(&cr_held_list);
	spin_unlock(&cr_held_lock);
	list_for_each_entry_safe(h, n, &gone, node)
		cr_held_free(h, false);
	if (more)
		schedule_delayed_work(&cr_held_work, HZ);
}

/*
 * Silent from now on: no timer sends anything, and closing sends nothing;
 * a listener's connections not accepted yet too.
 */
static void cr_inet_silence(struct sock *sk)
{
	unsigned int nr, i;
	struct sock **socks;
	bool listen;

	lock_sock(sk);
	if ((1 << sk->sk_state) & CR_TCPF_CONNECTED) {
		tcp_sk(sk)->repair = 1;
		tcp_sk(sk)->repair_queue = TCP_NO_QUEUE;
		inet_csk_clear_xmit_timers(sk);
		inet_csk_delete_keepalive_timer(sk);
	}
	listen = sk->sk_protocol == IPPROTO_TCP && sk->sk_state == TCP_LISTEN;
	release_sock(sk);
	if (!listen)
		return;
	socks = cr_tcp_pending(sk, &nr);
	if (IS_ERR(socks)) {
		pr_warn_ratelimited("cr: a held TCP listener's connections not accepted yet stay as they are (%ld)\n",
				    PTR_ERR(socks));
		return;
	}
	for (i = 0; i < nr; i++)
		cr_inet_silence(socks[i]);
	cr_tcp_pending_put(socks, nr);
}

/**
 * cr_inet_hold - keep the quiesced sockets of a written image
 * @o: the checkpoint's objects, in exit mode, the image in place
 *
 * Each quiesced socket is held, silent, until its restore or
 * kernel.cr.tcp_hold_seconds from now; beyond CR_MAX_HELD sockets, with
 * tcp_hold_seconds 0, or in a network namespace other than the initial
 * one (which the image saves), it is closed silently when its process
 * exits.
 */
void cr_inet_hold(struct cr_objs *o)
{
	unsigned int i, n = cr_objs_nr(o);
	unsigned long secs = READ_ONCE(cr_tcp_hold_seconds);

	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(o, i);
		struct cr_held *h;
		struct sock *sk;

		if (!obj->quiet)
			continue;
		sk = sock_from_file(obj->file)->sk;
		cr_inet_silence(sk);
		obj->quiet = false;
		/*
		 * Not one of a network namespace of the tree's own: the image
		 * saves the namespace, the restore makes a new one, and the
		 * old one, with its devices, goes with its last socket.
		 */
		h = secs && net_eq(sock_net(sk), &init_net) ? kmalloc(sizeof(*h), GFP_KERNEL) : NULL;
		if (!h)
			continue;
		h->file = get_file(obj->file);
		h->expires = jiffies + secs * HZ;
		spin_lock(&cr_held_lock);
		if (cr_nr_held < CR_MAX_HELD) {
			list_add_tail(&h->node, &cr_held_list);
			cr_nr_held++;
			h = NULL;
		}
		spin_unlock(&cr_held_lock);
		if (h)
			cr_held_free(h, false);
	}
	schedule_delayed_work(&cr_held_work, HZ);
}

/*
 * Is @sk the held socket a restore of @in rebuilds (@port_only: one on
 * its local port), and may the caller end it?
 */
static bool cr_held_match(struct sock *sk, const struct cr_inet *in, bool port_only)
{
	struct cr_inet cur = { .state = in->state };

	if (!net_eq(sock_net(sk), current->nsproxy->net_ns) || sk->sk_protocol != in->protocol)
		return false;
	cr_inet_addrs(sk, &cur);
	if (cur.src_port != in->src_port)
		return false;
	if (!port_only &&
	    (sk->sk_family != in->family ||
	     (in->state == CR_INET_LISTEN) != (sk->sk_state == TCP_LISTEN) ||
	     memcmp(cur.src, in->src, 16) || cur.dst_port != in->dst_port ||
	     memcmp(cur.dst, in->dst, 16)))
		return false;
	return uid_eq(sock_i_uid(sk), current_fsuid()) ||
	       ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN);
}

/* The held sockets cr_held_match() finds are closed: the restore takes over. */
static bool cr_held_release(const struct cr_inet *in, bool port_only)
{
	struct cr_held *h, *n;
	LIST_HEAD(gone);

	spin_lock(&cr_held_lock);
	list_for_each_entry_safe(h, n, &cr_held_list, node) {
		if (cr_held_match(sock_from_file(h->file)->sk, in, port_only)) {
			list_move(&h->node, &gone);
			cr_nr_held--;
		}
	}
	spin_unlock(&cr_held_lock);
	if (list_empty(&gone))
		return false;
	list_for_each_entry_safe(h, n, &gone, node)
		cr_held_free(h, true);
	return true;
}

/* Restore */

/* The options of @in, as the program set them; -errno and what failed. */
static int cr_inet_set_options(struct socket *sock, const struct cr_inet *in,
			       const char **what)
{
	bool v6 = in->family == AF_INET6, tcp = in->protocol == IPPROTO_TCP;
	struct linger lg = { .l_onoff = 1, .l_linger = in->linger };
	int ret = 0;

#define CR_OPT(cond, call, name) CR_SOCKOPT(ret, what, cond, call, name)
	CR_OPT(in->flags & CR_INET_REUSEADDR,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_REUSEADDR, 1), "SO_REUSEADDR");
	CR_OPT(in->flags & CR_INET_REUSEPORT,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_REUSEPORT, 1), "SO_REUSEPORT");
	CR_OPT(in->flags & CR_INET_KEEPALIVE,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_KEEPALIVE, 1), "SO_KEEPALIVE");
	CR_OPT(in->flags & CR_INET_BROADCAST,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_BROADCAST, 1), "SO_BROADCAST");
	CR_OPT(in->flags & CR_INET_OOBINLINE,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_OOBINLINE, 1), "SO_OOBINLINE");
	CR_OPT(in->flags & CR_INET_LINGER,
	       cr_setsockopt(sock, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), "SO_LINGER");
	CR_OPT(in->flags & CR_INET_RCVBUF,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_RCVBUF, in->rcvbuf), "SO_RCVBUF");
	CR_OPT(in->flags & CR_INET_SNDBUF,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_SNDBUF, in->sndbuf), "SO_SNDBUF");
	CR_OPT(true, cr_sock_set_timeo(sock, SO_RCVTIMEO_NEW, in->rcvtimeo_us),
	       "SO_RCVTIMEO");
	CR_OPT(true, cr_sock_set_timeo(sock, SO_SNDTIMEO_NEW, in->sndtimeo_us),
	       "SO_SNDTIMEO");
	CR_OPT(in->priority, cr_setsockopt_int(sock, SOL_SOCKET, SO_PRIORITY, in->priority),
	       "SO_PRIORITY");
	CR_OPT(in->flags & CR_INET_FREEBIND,
	       cr_setsockopt_int(sock, SOL_IP, IP_FREEBIND, 1), "IP_FREEBIND");
	CR_OPT(!v6 && in->tos, cr_setsockopt_int(sock, SOL_IP, IP_TOS, in->tos), "IP_TOS");
	CR_OPT(!v6 && in->ttl != -1, cr_setsockopt_int(sock, SOL_IP, IP_TTL, in->ttl), "IP_TTL");
	CR_OPT(v6, cr_setsockopt_int(sock, SOL_IPV6, IPV6_V6ONLY,
				     !!(in->flags & CR_INET_V6ONLY)), "IPV6_V6ONLY");
	CR_OPT(v6 && in->tos, cr_setsockopt_int(sock, SOL_IPV6, IPV6_TCLASS, in->tos),
	       "IPV6_TCLASS");
	CR_OPT(v6 && in->ttl != -1,
	       cr_setsockopt_int(sock, SOL_IPV6, IPV6_UNICAST_HOPS, in->ttl), "IPV6_UNICAST_HOPS");
	CR_OPT(tcp && (in->flags & CR_INET_NODELAY),
	       cr_setsockopt_int(sock, SOL_TCP, TCP_NODELAY, 1), "TCP_NODELAY");
	CR_OPT(tcp && in->keepidle,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_KEEPIDLE, in->keepidle), "TCP_KEEPIDLE");
	CR_OPT(tcp && in->keepintvl,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_KEEPINTVL, in->keepintvl), "TCP_KEEPINTVL");
	CR_OPT(tcp && in->keepcnt,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_KEEPCNT, in->keepcnt), "TCP_KEEPCNT");
	CR_OPT(tcp && (in->flags & CR_INET_CORK),
	       cr_setsockopt_int(sock, SOL_TCP, TCP_CORK, 1), "TCP_CORK");
	CR_OPT(tcp && in->user_timeout,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_USER_TIMEOUT, in->user_timeout),
	       "TCP_USER_TIMEOUT");
	CR_OPT(tcp && in->notsent_lowat,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_NOTSENT_LOWAT, in->notsent_lowat),
	       "TCP_NOTSENT_LOWAT");
	CR_OPT(tcp && in->user_mss,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_MAXSEG, in->user_mss), "TCP_MAXSEG");
	CR_OPT(tcp && in->fastopen,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_FASTOPEN, in->fastopen), "TCP_FASTOPEN");
	CR_OPT(in->mark, cr_setsockopt_int(sock, SOL_SOCKET, SO_MARK, in->mark),
	       "SO_MARK (CAP_NET_ADMIN)");
	CR_OPT(in->rcvlowat != 1,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_RCVLOWAT, in->rcvlowat), "SO_RCVLOWAT");
	CR_OPT(true, cr_setsockopt_int(sock, v6 ? SOL_IPV6 : SOL_IP,
				       v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER, in->pmtudisc),
	       "IP_MTU_DISCOVER");
	CR_OPT(in->flags & CR_INET_RECVERR,
	       cr_setsockopt_int(sock, SOL_IP, IP_RECVERR, 1), "IP_RECVERR");
	CR_OPT(in->flags & CR_INET_PKTINFO,
	       cr_setsockopt_int(sock, SOL_IP, IP_PKTINFO, 1), "IP_PKTINFO");
	CR_OPT(in->flags & CR_INET_RECVTTL,
	       cr_setsockopt_int(sock, SOL_IP, IP_RECVTTL, 1), "IP_RECVTTL");
	CR_OPT(in->flags & CR_INET_RECVTOS,
	       cr_setsockopt_int(sock, SOL_IP, IP_RECVTOS, 1), "IP_RECVTOS");
	CR_OPT(in->flags & CR_INET_ORIGDSTADDR,
	       cr_setsockopt_int(sock, SOL_IP, IP_RECVORIGDSTADDR, 1), "IP_RECVORIGDSTADDR");
	CR_OPT(in->flags & CR_INET6_RECVPKTINFO,
	       cr_setsockopt_int(sock, SOL_IPV6, IPV6_RECVPKTINFO, 1), "IPV6_RECVPKTINFO");
	CR_OPT(in->flags & CR_INET6_RECVHOPLIMIT,
	       cr_setsockopt_int(sock, SOL_IPV6, IPV6_RECVHOPLIMIT, 1), "IPV6_RECVHOPLIMIT");
	CR_OPT(in->flags & CR_INET6_RECVTCLASS,
	       cr_setsockopt_int(sock, SOL_IPV6, IPV6_RECVTCLASS, 1), "IPV6_RECVTCLASS");
	CR_OPT(in->flags & CR_INET6_RECVORIGDSTADDR,
	       cr_setsockopt_int(sock, SOL_IPV6, IPV6_RECVORIGDSTADDR, 1),
	       "IPV6_RECVORIGDSTADDR");
	CR_OPT(in->flags & CR_INET6_RECVERR,
	       cr_setsockopt_int(sock, SOL_IPV6, IPV6_RECVERR, 1), "IPV6_RECVERR");
	CR_OPT(in->flags & CR_INET_MC_TTL,
	       cr_setsockopt_int(sock, v6 ? SOL_IPV6 : SOL_IP,
				 v6 ? IPV6_MULTICAST_HOPS : IP_MULTICAST_TTL, in->udp.mc_ttl),
	       "IP_MULTICAST_TTL");
	CR_OPT(in->flags & CR_INET_MC_NOLOOP,
	       cr_setsockopt_int(sock, v6 ? SOL_IPV6 : SOL_IP,
				 v6 ? IPV6_MULTICAST_LOOP : IP_MULTICAST_LOOP, 0),
	       "IP_MULTICAST_LOOP");
	CR_OPT(v6 && (in->flags & CR_INET_MC_IF),
	       cr_setsockopt_int(sock, SOL_IPV6, IPV6_MULTICAST_IF, in->udp.mc_ifindex),
	       "IPV6_MULTICAST_IF (no such interface?)");
	if (!v6 && (in->flags & CR_INET_MC_IF)) {
		struct ip_mreqn mr = { .imr_ifindex = in->udp.mc_ifindex };

		memcpy(&mr.imr_address, in->udp.mc_addr, 4);
		CR_OPT(true, cr_setsockopt(sock, SOL_IP, IP_MULTICAST_IF, &mr, sizeof(mr)),
		       "IP_MULTICAST_IF (no such interface?)");
	}
	CR_OPT(in->flags & CR_UDP_SEND_CSCOV,
	       cr_setsockopt_int(sock, SOL_UDPLITE, UDPLITE_SEND_CSCOV, in->udp.send_cscov),
	       "UDPLITE_SEND_CSCOV");
	CR_OPT(in->flags & CR_UDP_RECV_CSCOV,
	       cr_setsockopt_int(sock, SOL_UDPLITE, UDPLITE_RECV_CSCOV, in->udp.recv_cscov),
	       "UDPLITE_RECV_CSCOV");
#undef CR_OPT
	return ret;
}

/* The entry of descriptor @fd in NT_CR_SOCK_OPTS (checked by cr_rule_sock_opts()), or false. */
static bool cr_sock_opts_find(struct cr_restore *r, int fd, struct cr_sock_opts *o)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_SOCK_OPTS);
	u64 off;

	for (off = 0; note && note->size - off >= sizeof(*o); off += sizeof(*o)) {
		memcpy(o, (const u8 *)note->desc + off, sizeof(*o));
		if (o->fd == fd)
			return true;
	}
	return false;
}

/*
 * The device of descriptor @fd in NT_CR_SOCK_DEVS (checked by
 * cr_rule_sock_devs()), if any, bound again: the device of that index in
 * the socket's network namespace, if it has the name it had.
 */
static int cr_inet_set_device(struct cr_restore *r, int fd, struct socket *sock,
			      const char **what)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_SOCK_DEVS);
	struct cr_sock_dev d;
	u64 off;

	for (off = 0; note && note->size - off >= sizeof(d); off += sizeof(d)) {
		memcpy(&d, (const u8 *)note->desc + off, sizeof(d));
		if (d.fd != fd)
			continue;
		if (!cr_sock_dev_is(sock->sk, d.ifindex, d.name)) {
			cr_refuse(r->img->name, "fd %d: bound to device %d (%s), which is not there",
				  fd, d.ifindex, d.name);
			return -ENODEV;
		}
		*what = "SO_BINDTODEVICE";
		return sock_bindtoindex(sock->sk, d.ifindex, true);
	}
	return 0;
}

/* The options of NT_CR_SOCK_OPTS entry @o, as setsockopt(2) would set them. */
static int cr_inet_set_more_options(struct socket *sock, const struct cr_sock_opts *o,
				    const char **what)
{
	static const struct {
		u32 flag;
		int level, name;
		const char *what;
	} bools[] = {
		{ CR_SOCK_OPT_RXQ_OVFL, SOL_SOCKET, SO_RXQ_OVFL, "SO_RXQ_OVFL" },
		{ CR_SOCK_OPT_PASSCRED, SOL_SOCKET, SO_PASSCRED, "SO_PASSCRED" },
		{ CR_SOCK_OPT_PASSSEC, SOL_SOCKET, SO_PASSSEC, "SO_PASSSEC" },
		{ CR_SOCK_OPT_SELECT_ERR_QUEUE, SOL_SOCKET, SO_SELECT_ERR_QUEUE,
		  "SO_SELECT_ERR_QUEUE" },
		{ CR_SOCK_OPT_RCVMARK, SOL_SOCKET, SO_RCVMARK, "SO_RCVMARK" },
		{ CR_SOCK_OPT_BIND_NO_PORT, SOL_IP, IP_BIND_ADDRESS_NO_PORT,
		  "IP_BIND_ADDRESS_NO_PORT" },
		{ CR_SOCK_OPT_RECVOPTS, SOL_IP, IP_RECVOPTS, "IP_RECVOPTS" },
		{ CR_SOCK_OPT_RETOPTS, SOL_IP, IP_RETOPTS, "IP_RETOPTS" },
		{ CR_SOCK_OPT_IP_PASSSEC, SOL_IP, IP_PASSSEC, "IP_PASSSEC" },
		{ CR_SOCK_OPT_CHECKSUM, SOL_IP, IP_CHECKSUM, "IP_CHECKSUM" },
		{ CR_SOCK_OPT_RECVFRAGSIZE, SOL_IP, IP_RECVFRAGSIZE, "IP_RECVFRAGSIZE" },
		{ CR_SOCK_OPT_TCP_INQ, SOL_TCP, TCP_INQ, "TCP_INQ" },
		{ CR_SOCK_OPT_THIN_LTO, SOL_TCP, TCP_THIN_LINEAR_TIMEOUTS,
		  "TCP_THIN_LINEAR_TIMEOUTS" },
		{ CR_SOCK_OPT_TRANSPARENT, SOL_IP, IP_TRANSPARENT, "IP_TRANSPARENT (CAP_NET_RAW)" },
		{ CR_SOCK_OPT_RFC4884, SOL_IP, IP_RECVERR_RFC4884, "IP_RECVERR_RFC4884" },
		{ CR_SOCK_OPT_ZEROCOPY, SOL_SOCKET, SO_ZEROCOPY, "SO_ZEROCOPY" },
		{ CR_SOCK_OPT_RECVRTHDR, SOL_IPV6, IPV6_RECVRTHDR, "IPV6_RECVRTHDR" },
		{ CR_SOCK_OPT_RECVHOPOPTS, SOL_IPV6, IPV6_RECVHOPOPTS, "IPV6_RECVHOPOPTS" },
		{ CR_SOCK_OPT_RECVDSTOPTS, SOL_IPV6, IPV6_RECVDSTOPTS, "IPV6_RECVDSTOPTS" },
		{ CR_SOCK_OPT_RECVPATHMTU, SOL_IPV6, IPV6_RECVPATHMTU, "IPV6_RECVPATHMTU" },
		{ CR_SOCK_OPT_FLOWINFO, SOL_IPV6, IPV6_FLOWINFO, "IPV6_FLOWINFO" },
		{ CR_SOCK_OPT_V6FRAGSIZE, SOL_IPV6, IPV6_RECVFRAGSIZE, "IPV6_RECVFRAGSIZE" },
	};
	struct sock_txtime txt = {
		.clockid = o->txtime_clockid,
		.flags = o->txtime_flags,
	};
	bool n = o->flags & CR_SOCK_OPT_TSTAMP_NEW;
	unsigned int i;
	int ret = 0;

#define CR_OPT(cond, call, name) CR_SOCKOPT(ret, what, cond, call, name)
	for (i = 0; i < ARRAY_SIZE(bools); i++)
		CR_OPT(o->flags & bools[i].flag,
		       cr_setsockopt_int(sock, bools[i].level, bools[i].name, 1), bools[i].what);
	CR_OPT(o->flags & CR_SOCK_OPT_TIMESTAMP,
	       cr_setsockopt_int(sock, SOL_SOCKET, n ? SO_TIMESTAMP_NEW : SO_TIMESTAMP_OLD, 1),
	       "SO_TIMESTAMP");
	CR_OPT(o->flags & CR_SOCK_OPT_TIMESTAMPNS,
	       cr_setsockopt_int(sock, SOL_SOCKET, n ? SO_TIMESTAMPNS_NEW : SO_TIMESTAMPNS_OLD, 1),
	       "SO_TIMESTAMPNS");
	CR_OPT(o->flags & CR_SOCK_OPT_TIMESTAMPING,
	       cr_setsockopt_int(sock, SOL_SOCKET, n ? SO_TIMESTAMPING_NEW : SO_TIMESTAMPING_OLD,
				 o->tsflags), "SO_TIMESTAMPING");
	CR_OPT(o->flags & CR_SOCK_OPT_PEEK_OFF,
	       cr_setsockopt_int(sock, SOL_SOCKET, SO_PEEK_OFF, o->peek_off), "SO_PEEK_OFF");
	CR_OPT(o->flags & CR_SOCK_OPT_CONGESTION,
	       cr_setsockopt(sock, SOL_TCP, TCP_CONGESTION, o->congestion,
			     strnlen(o->congestion, sizeof(o->congestion))),
	       "TCP_CONGESTION (not available here, or not allowed)");
	CR_OPT(o->flags & CR_SOCK_OPT_DEFER_ACCEPT,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_DEFER_ACCEPT, o->defer_accept),
	       "TCP_DEFER_ACCEPT");
	CR_OPT(o->flags & CR_SOCK_OPT_SAVE_SYN,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_SAVE_SYN, o->save_syn), "TCP_SAVE_SYN");
	CR_OPT(o->flags & CR_SOCK_OPT_TX_DELAY,
	       cr_setsockopt_int(sock, SOL_TCP, TCP_TX_DELAY, o->tx_delay),
	       "TCP_TX_DELAY (CAP_NET_ADMIN)");
	CR_OPT(o->flags & CR_SOCK_OPT_TXTIME,
	       cr_setsockopt(sock, SOL_SOCKET, SO_TXTIME, &txt, sizeof(txt)),
	       "SO_TXTIME (CAP_NET_ADMIN for a clock other than CLOCK_MONOTONIC)");
#undef CR_OPT
	return ret;
}

/* An address of @family (4 or 16 bytes at @addr) and @port, into @ss: its length. */
static int cr_sockaddr(struct sockaddr_storage *ss, int family, const void *addr, u16 port)
{
	struct sockaddr_in *sin;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, addr, 16);
		return sizeof(*sin6);
	}
	sin = (struct sockaddr_in *)ss;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	memcpy(&sin->sin_addr, addr, 4);
	return sizeof(*sin);
}

static int cr_inet_sockaddr(const struct cr_inet *in, bool peer, struct sockaddr_storage *ss)
{
	return cr_sockaddr(ss, in->family, peer ? in->dst : in->src,
			   peer ? in->dst_port : in->src_port);
}

/* Fill one queue of a connection in repair mode, from @data. */
static int cr_tcp_fill(struct socket *sock, int queue, const char *data, u32 len)
{
	struct sock *sk = sock->sk;
	int old, ret;
	u32 done = 0;

	ret = cr_setsockopt_int(sock, SOL_TCP, TCP_REPAIR_QUEUE, queue);
	if (ret || !len)
		return ret;
	/* Room for what the old socket held, whatever its buffer has grown to. */
	lock_sock(sk);
	if (queue == TCP_RECV_QUEUE) {
		old = sk->sk_rcvbuf;
		WRITE_ONCE(sk->sk_rcvbuf, max_t(int, old, 2 * len + SZ_64K));
	} else {
		old = sk->sk_sndbuf;
		WRITE_ONCE(sk->sk_sndbuf, max_t(int, old, 2 * len + SZ_64K));
	}
	release_sock(sk);
	while (done < len) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		struct kvec iov = {
			.iov_base = (void *)(data + done),
			.iov_len = min_t(u32, len - done, SZ_64K),
		};

		ret = kernel_sendmsg(sock, &msg, &iov, 1, iov.iov_len);
		if (ret <= 0) {
			ret = ret ?: -EIO;
			break;
		}
		done += ret;
		ret = 0;
	}
	lock_sock(sk);
	if (queue == TCP_RECV_QUEUE)
		WRITE_ONCE(sk->sk_rcvbuf, old);
	else
		WRITE_ONCE(sk->sk_sndbuf, old);
	release_sock(sk);
	return ret;
}

/*
 * The peer's FIN, as tcp_fin() takes it in ESTABLISHED, on a connection
 * in repair mode whose receive queue is filled: RCV.NXT passes it, the
 * socket is shut down for reading and in CLOSE_WAIT. Read already
 * (@read): the program's next byte is past it too. A read after the data
 * returns the end of file (SOCK_DONE), as one before the FIN's skb would.
 */
static void cr_tcp_fin_in(struct sock *sk, bool read)
{
	struct tcp_sock *tp = tcp_sk(sk);

	lock_sock(sk);
	WRITE_ONCE(tp->rcv_nxt, tp->rcv_nxt + 1);
	if (read)
		WRITE_ONCE(tp->copied_seq, tp->copied_seq + 1);
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	/* A simultaneous close: ours went first (tcp_fin() in FIN_WAIT1). */
	tcp_set_state(sk, sk->sk_state == TCP_FIN_WAIT1 ? TCP_CLOSING : TCP_CLOSE_WAIT);
	release_sock(sk);
}

/*
 * Our FIN, queued after the send queue and not acknowledged (FIN_WAIT1,
 * or LAST_ACK after the peer's): shutdown(SHUT_WR) in repair mode, on
 * the send queue, where tcp_write_xmit() counts it sent without sending
 * it. It goes with the data after the restore, by retransmission.
 */
static void cr_tcp_fin_queued(struct sock *sk)
{
	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | SEND_SHUTDOWN);
	tcp_shutdown(sk, SEND_SHUTDOWN);
	release_sock(sk);
}

/*
 * Our FIN, sent and acknowledged (FIN_WAIT2), on a connection in repair
 * mode with nothing to send: every send sequence passes it, the socket is
 * shut down for writing, as tcp_shutdown() then the peer's ACK leave it.
 */
static void cr_tcp_fin_out(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 seq = tp->write_seq + 1;

	lock_sock(sk);
	WRITE_ONCE(tp->write_seq, seq);
	WRITE_ONCE(tp->snd_nxt, seq);
	WRITE_ONCE(tp->snd_una, seq);
	tp->snd_sml = seq;
	tp->snd_up = seq;
	tp->pushed_seq = seq;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | SEND_SHUTDOWN);
	tcp_set_state(sk, TCP_FIN_WAIT2);
	release_sock(sk);
}

/* An established connection, in repair mode; -errno and what failed. */
static int cr_tcp_restore(struct socket *sock, const struct cr_inet *in, const char *data,
			  const char **what)
{
	const struct cr_tcp *t = &in->tcp;
	struct tcp_repair_opt opt[4];
	struct tcp_repair_window win = {
		.snd_wl1 = t->snd_wl1,
		.snd_wnd = t->snd_wnd,
		.max_window = t->max_window,
		.rcv_wnd = t->rcv_wnd,
		.rcv_wup = t->rcv_wup,
	};
	struct sockaddr_storage ss;
	unsigned int nr = 0;
	int ret, len;

	*what = "TCP_REPAIR (CAP_NET_ADMIN)";
	ret = cr_setsockopt_int(sock, SOL_TCP, TCP_REPAIR, TCP_REPAIR_ON);
	if (ret)
		return ret;
	*what = "TCP_QUEUE_SEQ";
	ret = cr_setsockopt_int(sock, SOL_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE);
	if (!ret)
		ret = cr_setsockopt_int(sock, SOL_TCP, TCP_QUEUE_SEQ, t->rcv_seq);
	if (!ret)
		ret = cr_setsockopt_int(sock, SOL_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE);
	if (!ret)
		ret = cr_setsockopt_int(sock, SOL_TCP, TCP_QUEUE_SEQ, t->snd_seq);
	if (ret)
		return ret;
	*what = "bind";
	len = cr_inet_sockaddr(in, false, &ss);
	ret = kernel_bind(sock, (struct sockaddr *)&ss, len);
	if (ret)
		return ret;
	cr_held_release(in, false);
	*what = "connect";
	len = cr_inet_sockaddr(in, true, &ss);
	ret = kernel_connect(sock, (struct sockaddr *)&ss, len, 0);
	if (ret)
		return ret;
	opt[nr++] = (struct tcp_repair_opt){ TCPOPT_MSS, t->mss };
	if (t->options & CR_TCP_WSCALE)
		opt[nr++] = (struct tcp_repair_opt){ TCPOPT_WINDOW,
						     t->snd_wscale | (t->rcv_wscale << 16) };
	if (t->options & CR_TCP_SACK)
		opt[nr++] = (struct tcp_repair_opt){ TCPOPT_SACK_PERM, 0 };
	if (t->options & CR_TCP_TIMESTAMPS)
		opt[nr++] = (struct tcp_repair_opt){ TCPOPT_TIMESTAMP, 0 };
	*what = "TCP_REPAIR_OPTIONS";
	ret = cr_setsockopt(sock, SOL_TCP, TCP_REPAIR_OPTIONS, opt, nr * sizeof(opt[0]));
	if (!ret && (t->options & CR_TCP_TIMESTAMPS)) {
		*what = "TCP_TIMESTAMP";
		ret = cr_setsockopt_int(sock, SOL_TCP, TCP_TIMESTAMP, t->timestamp);
	}
	if (ret)
		return ret;
	*what = "the receive queue";
	ret = cr_tcp_fill(sock, TCP_RECV_QUEUE, data, t->recv_len);
	if (ret)
		return ret;
	*what = "the send queue";
	ret = cr_tcp_fill(sock, TCP_SEND_QUEUE, data + t->recv_len, t->send_len);
	if (ret)
		return ret;
	/* LAST_ACK: the peer's FIN, then ours; CLOSING: ours, then the peer's. */
	if ((t->options & CR_TCP_FIN_IN) && !(t->options & CR_TCP_CLOSING))
		cr_tcp_fin_in(sock->sk, t->options & CR_TCP_FIN_READ);
	if (t->options & CR_TCP_FIN_QUEUED)
		cr_tcp_fin_queued(sock->sk);
	if (t->options & CR_TCP_CLOSING)
		cr_tcp_fin_in(sock->sk, t->options & CR_TCP_FIN_READ);
	if (t->options & CR_TCP_FIN_OUT)
		cr_tcp_fin_out(sock->sk);
	*what = "TCP_REPAIR_WINDOW";
	ret = cr_setsockopt(sock, SOL_TCP, TCP_REPAIR_WINDOW, &win, sizeof(win));
	if (!ret)
		ret = cr_setsockopt_int(sock, SOL_TCP, TCP_REPAIR_QUEUE, TCP_NO_QUEUE);
	return ret;
}

/*
 * A listener's connection not accepted yet, made again in repair mode
 * from its struct cr_inet @in and queues @data, then moved into the
 * listener's accept queue as tcp_get_cookie_sock() puts one there: its
 * struct socket goes, accept() grafts another. Without a memory cgroup
 * yet, as one made in softirq: accept() charges the caller's.
 */
static int cr_tcp_restore_child(struct sock *lsk, const struct cr_inet *in, const char *data,
				const char **what)
{
	struct request_sock *req;
	struct socket *sock;
	struct sock *sk;
	int ret;

	*what = "socket";
	ret = sock_create(in->family, SOCK_STREAM, IPPROTO_TCP, &sock);
	if (ret)
		return ret;
	sk = sock->sk;
	if (sk->sk_memcg) {
		mem_cgroup_sk_free(sk);
		sk->sk_memcg = NULL;
	}
	ret = cr_inet_set_options(sock, in, what);
	if (!ret)
		ret = cr_tcp_restore(sock, in, data, what);
	req = ret ? NULL : inet_reqsk_alloc(&tcp_request_sock_ops, lsk, false);
	if (!req) {
		sock_release(sock);
		return ret ?: -ENOMEM;
	}
	refcount_set(&req->rsk_refcnt, 1);
	tcp_rsk(req)->tfo_listener = false;
	write_lock_bh(&sk->sk_callback_lock);
	sk_set_socket(sk, NULL);
	RCU_INIT_POINTER(sk->sk_wq, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
	sock->sk = NULL;
	sock_release(sock);
	*what = "its accept queue";
	local_bh_disable();
	sk = inet_csk_reqsk_queue_add(lsk, req, sk);
	local_bh_enable();
	return sk ? 0 : -EINVAL;
}

/* A listener's connections not accepted yet, in its accept queue again. */
static int cr_tcp_restore_pending(struct socket *sock, const struct cr_inet *in,
				  const char *data, const char **what)
{
	u32 off = 0, i;
	int ret = 0;

	for (i = 0; i < in->listen.nr_pending && !ret; i++) {
		struct cr_inet c;

		memcpy(&c, data + off, sizeof(c));
		ret = cr_tcp_restore_child(sock->sk, &c, data + off + sizeof(c), what);
		off += ALIGN(sizeof(c) + c.tcp.recv_len + c.tcp.send_len, 8);
	}
	return ret;
}

/**
 * cr_restore_inet_may - may the caller rebuild the socket of descriptor @e?
 * @r: the restore plan
 * @e: a CR_FD_INET descriptor, checked by cr_rule_inet()
 *
 * An established TCP connection is rebuilt through TCP repair, which
 * needs CAP_NET_ADMIN in the caller's network namespace: checked before
 * any descriptor is made, so that the exec fails for that reason.
 *
 * Return: 0, or -EPERM after saying why.
 */
int cr_restore_inet_may(struct cr_restore *r, const struct cr_fd *e)
{
	struct cr_inet in;

	memcpy(&in, r->fd_data + e->data_off, sizeof(in));
	if (in.protocol != IPPROTO_TCP ||
	    (in.state != CR_INET_CONNECTED &&
	     (in.state != CR_INET_LISTEN || !in.listen.nr_pending)) ||
	    ns_capable(current->nsproxy->net_ns->user_ns, CAP_NET_ADMIN))
		return 0;
	cr_refuse(r->img->name, "fd %d: rebuilding a TCP connection (port %u to %u) needs CAP_NET_ADMIN",
		  e->fd, in.src_port, in.dst_port);
	return -EPERM;
}

/*
 * A datagram queued again on @sk, as if it had just arrived from its
 * sender: behind the headers recvmsg() reads the sender from.
 */
static int cr_udp_queue_dgram(struct sock *sk, const struct cr_udp_dgram *g, const char *data)
{
	bool v4 = sk->sk_family == AF_INET ||
		  ipv6_addr_v4mapped((const struct in6_addr *)g->addr);
	size_t hlen = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	struct sk_buff *skb;
	struct udphdr *uh;
	int ret;

	skb = alloc_skb(hlen + sizeof(*uh) + g->len, GFP_KERNEL_ACCOUNT);
	if (!skb)
		return -ENOMEM;
	skb_reset_network_header(skb);
	if (v4) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		unsigned int at = sk->sk_family == AF_INET ? 0 : 12;

		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = g->ttl;
		iph->tos = g->tos;
		iph->protocol = sk->sk_protocol;
		iph->tot_len = htons(hlen + sizeof(*uh) + g->len);
		memcpy(&iph->saddr, g->addr + at, 4);
		memcpy(&iph->daddr, g->dst + at, 4);
		PKTINFO_SKB_CB(skb)->ipi_ifindex = g->ifindex;
		PKTINFO_SKB_CB(skb)->ipi_spec_dst.s_addr = g->spec_dst;
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = skb_put_zero(skb, sizeof(*ip6h));

		ip6_flow_hdr(ip6h, g->tos, 0);
		ip6h->nexthdr = sk->sk_protocol;
		ip6h->hop_limit = g->ttl;
		ip6h->payload_len = htons(sizeof(*uh) + g->len);
		memcpy(&ip6h->saddr, g->addr, 16);
		memcpy(&ip6h->daddr, g->dst, 16);
		IP6CB(skb)->iif = g->ifindex;
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_set_transport_header(skb, skb->len);
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = htons(g->port);
	uh->dest = inet_sk(sk)->inet_sport;
	uh->len = htons(sizeof(*uh) + g->len);
	skb_put_data(skb, data, g->len);
	__skb_pull(skb, hlen + sizeof(*uh));
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	/* As the receive path calls it: in softirq context. */
	local_bh_disable();
	ret = __udp_enqueue_schedule_skb(sk, skb);
	local_bh_enable();
	if (ret)
		kfree_skb(skb);
	return ret;
}

/* The datagrams of @in, after it in the data area (checked by cr_rule_inet()). */
static int cr_udp_restore(struct socket *sock, const struct cr_inet *in, const char *data)
{
	struct sock *sk = sock->sk;
	int rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	struct cr_udp_dgram g;
	u32 i, off = 0;
	int ret = 0;

	/* They fitted before: another buffer size than theirs does not drop them. */
	WRITE_ONCE(sk->sk_rcvbuf, INT_MAX >> 1);
	for (i = 0; !ret && i < in->udp.nr_dgrams; i++) {
		memcpy(&g, data + off, sizeof(g));
		ret = cr_udp_queue_dgram(sk, &g, data + off + sizeof(g));
		off += ALIGN(sizeof(g) + g.len, 4);
	}
	WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
	return ret;
}

/* A multicast source of group @g: MCAST_JOIN_SOURCE_GROUP or MCAST_BLOCK_SOURCE. */
static int cr_udp_source(struct socket *sock, const struct cr_udp_group *g, const u8 *addr,
			 int optname)
{
	struct group_source_req gsr = { .gsr_interface = g->ifindex };

	cr_sockaddr(&gsr.gsr_group, g->family, g->addr, 0);
	cr_sockaddr(&gsr.gsr_source, g->family, addr, 0);
	return cr_setsockopt(sock, g->family == AF_INET ? SOL_IP : SOL_IPV6, optname, &gsr,
			     sizeof(gsr));
}

/*
 * The multicast groups a UDP socket was a member of, joined again with
 * their source filters, before it is bound: no datagram reaches it
 * before its filter is whole. An MCAST_INCLUDE group is joined source by
 * source; an MCAST_EXCLUDE group is joined, then its sources blocked.
 */
static int cr_udp_join(struct socket *sock, const struct cr_inet *in, const char *p)
{
	const char *src = p + in->udp.nr_groups * sizeof(struct cr_udp_group);
	struct cr_udp_sources h = { .mode = MCAST_EXCLUDE };
	struct cr_udp_group g;
	int ret = 0;
	u32 i, k;

	for (i = 0; i < in->udp.nr_groups && !ret; i++) {
		memcpy(&g, p + i * sizeof(g), sizeof(g));
		h.mode = MCAST_EXCLUDE;
		h.nr = 0;
		if (g.flags & CR_UDP_GROUP_SOURCES) {
			memcpy(&h, src, sizeof(h));
			src += sizeof(h);
		}
		if (h.mode == MCAST_INCLUDE) {
			/* checked: at least one source */
		} else if (g.family == AF_INET) {
			struct ip_mreqn mr = { .imr_ifindex = g.ifindex };

			memcpy(&mr.imr_multiaddr, g.addr, 4);
			ret = cr_setsockopt(sock, SOL_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
		} else {
			struct ipv6_mreq mr = { .ipv6mr_ifindex = g.ifindex };

			memcpy(&mr.ipv6mr_multiaddr, g.addr, 16);
			ret = cr_setsockopt(sock, SOL_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr));
		}
		for (k = 0; k < h.nr && !ret; k++)
			ret = cr_udp_source(sock, &g, src + k * 16,
					    h.mode == MCAST_INCLUDE ? MCAST_JOIN_SOURCE_GROUP :
					    MCAST_BLOCK_SOURCE);
		src += h.nr * 16;
	}
	return ret;
}

/**
 * cr_restore_inet - a TCP or UDP socket of descriptor @e, made again
 * @r: the restore plan
 * @e: a CR_FD_INET descriptor, checked by cr_rule_inet()
 *
 * Return: the socket's file, or an ERR_PTR() after saying why.
 */
struct file *cr_restore_inet(struct cr_restore *r, const struct cr_fd *e)
{
	const char *data = r->fd_data + e->data_off + sizeof(struct cr_inet);
	struct cr_sock_opts more = {};
	const char *what = "socket";
	struct sockaddr_storage ss;
	struct socket *sock;
	struct cr_inet in;
	struct file *f;
	int ret, len;

	memcpy(&in, r->fd_data + e->data_off, sizeof(in));
	ret = sock_create(in.family, in.protocol == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM,
			  in.protocol, &sock);
	if (ret)
		goto fail;
	ret = cr_inet_set_options(sock, &in, &what);
	if (!ret && cr_sock_opts_find(r, e->fd, &more))
		ret = cr_inet_set_more_options(sock, &more, &what);
	if (!ret)
		ret = cr_inet_set_device(r, e->fd, sock, &what);
	if (!ret && cr_inet_udp(in.protocol) && in.udp.nr_groups) {
		what = "join its multicast groups (no such interface, or over the igmp/mld limits?)";
		ret = cr_udp_join(sock, &in, data + in.udp.data_len);
	}
	if (!ret && in.protocol == IPPROTO_TCP && in.state == CR_INET_CONNECTED) {
		ret = cr_tcp_restore(sock, &in, data, &what);
	} else if (!ret && (in.flags & CR_INET_BOUND)) {
		if (in.state == CR_INET_LISTEN)
			cr_held_release(&in, false);
		what = "bind";
		len = cr_inet_sockaddr(&in, false, &ss);
		ret = kernel_bind(sock, (struct sockaddr *)&ss, len);
		/*
		 * Held connections of the image on that port, when the
		 * listener had no SO_REUSEADDR: they go first (a segment
		 * arriving before their own restore is then answered by it).
		 */
		if (ret == -EADDRINUSE && cr_held_release(&in, true))
			ret = kernel_bind(sock, (struct sockaddr *)&ss, len);
	}
	if (!ret && in.state == CR_INET_LISTEN) {
		what = "listen";
		ret = kernel_listen(sock, in.backlog);
		if (!ret && in.listen.nr_pending)
			ret = cr_tcp_restore_pending(sock, &in, data, &what);
	}
	if (!ret && in.state == CR_INET_CONNECTING) {
		/*
		 * Its SYN again, with the same ISS (tcp_v4_connect() keeps a
		 * write_seq set): a peer that answered the first one takes it
		 * as a retransmission. A blocking connect() restarts and waits.
		 */
		what = "connect";
		WRITE_ONCE(tcp_sk(sock->sk)->write_seq, in.tcp.snd_seq);
		len = cr_inet_sockaddr(&in, true, &ss);
		ret = kernel_connect(sock, (struct sockaddr *)&ss, len, O_NONBLOCK);
		if (ret == -EINPROGRESS)
			ret = 0;
	}
	if (!ret && in.state == CR_INET_CONNECTED && cr_inet_udp(in.protocol)) {
		what = "connect";
		len = cr_inet_sockaddr(&in, true, &ss);
		ret = kernel_connect(sock, (struct sockaddr *)&ss, len, 0);
	}
	/* SO_RXQ_OVFL's count goes on from where it was. */
	if (!ret && (more.flags & CR_SOCK_OPT_RXQ_OVFL))
		atomic_set(&sock->sk->sk_drops, more.drops);
	if (!ret && cr_inet_udp(in.protocol) && in.udp.nr_dgrams) {
		what = "queue its datagrams";
		ret = cr_udp_restore(sock, &in, data);
	}
	if (!ret && (in.flags & (CR_INET_SHUT_RD | CR_INET_SHUT_WR))) {
		/* As shutdown(2) left it, connected or not (ENOTCONN). */
		int mask = ((in.flags & CR_INET_SHUT_RD) ? RCV_SHUTDOWN : 0) |
			   ((in.flags & CR_INET_SHUT_WR) ? SEND_SHUTDOWN : 0);

		what = "shutdown";
		/* how + 1 is the mask: SHUT_RD, SHUT_WR or SHUT_RDWR */
		ret = kernel_sock_shutdown(sock, mask - 1);
		if (ret == -ENOTCONN)
			ret = 0;
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
	cr_refuse(r->img->name, "fd %d: cannot make its %s%s socket on port %u again: %s failed (%d)",
		  e->fd, cr_inet_proto_name(in.protocol),
		  in.family == AF_INET6 ? "v6" : "v4", in.src_port, what, ret);
	return ERR_PTR(ret);
}

/* A connection leaves repair mode, once, with a window probe. */
static void cr_tcp_leave_repair(struct sock *sk, const struct cr_inet *in)
{
	lock_sock(sk);
	if (tcp_sk(sk)->repair) {
		tcp_sk(sk)->repair = 0;
		tcp_sk(sk)->repair_queue = TCP_NO_QUEUE;
		sk->sk_reuse = in->flags & CR_INET_REUSEADDR ? SK_CAN_REUSE : SK_NO_REUSE;
		if ((1 << sk->sk_state) & CR_TCPF_CONNECTED)
			tcp_send_window_probe(sk);
	}
	release_sock(sk);
}

/*
 * A listener's connections the restore made leave repair mode: the first
 * in its accept queue still in it, in the order of the image (those that
 * came since follow them, not in repair mode).
 */
static void cr_tcp_finish_pending(struct sock *lsk, const struct cr_inet *in, const char *data)
{
	unsigned int nr, i, k = 0;
	struct sock **socks;
	u32 off = 0;

	socks = cr_tcp_pending(lsk, &nr);
	if (IS_ERR(socks)) {
		pr_warn_ratelimited("cr: a restored TCP listener's connections not accepted yet stay in repair mode (%ld)\n",
				    PTR_ERR(socks));
		return;
	}
	for (i = 0; i < nr && k < in->listen.nr_pending; i++) {
		struct cr_inet c;

		if (!tcp_sk(socks[i])->repair)
			continue;
		memcpy(&c, data + off, sizeof(c));
		cr_tcp_leave_repair(socks[i], &c);
		off += ALIGN(sizeof(c) + c.tcp.recv_len + c.tcp.send_len, 8);
		k++;
	}
	cr_tcp_pending_put(socks, nr);
}

/**
 * cr_restore_inet_finish - after the point of no return
 * @r: the restore plan
 * @e: a CR_FD_INET descriptor of it
 * @file: its socket
 *
 * An established connection leaves repair mode, once (its descriptors in
 * other processes find it done), with a window probe to its peer, and
 * gets its SO_REUSEADDR back.
 */
void cr_restore_inet_finish(struct cr_restore *r, const struct cr_fd *e, struct file *file)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? sock->sk : NULL;
	struct cr_inet in;

	memcpy(&in, r->fd_data + e->data_off, sizeof(in));
	if (!sk || in.protocol != IPPROTO_TCP)
		return;
	if (in.state == CR_INET_CONNECTED)
		cr_tcp_leave_repair(sk, &in);
	else if (in.state == CR_INET_LISTEN && in.listen.nr_pending)
		cr_tcp_finish_pending(sk, &in, r->fd_data + e->data_off + sizeof(in));
}
