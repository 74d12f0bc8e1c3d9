// SPDX-License-Identifier: GPL-2.0
/*
 * The devices, addresses, routes, routing rules and neighbour entries of
 * the tree's own network namespace (a container's veth and what "ip"
 * set on it). The namespace itself, its lo and its sysctls are netns.c's.
 *
 * Checkpoint, in the root's image with CR_NS_NET:
 *  - NT_CR_NET_LINKS: each veth pair with an end in the namespace, its
 *    names, indexes, link-layer addresses, MTUs, queues and flags, and
 *    for an end outside (the host's, in a container) the bridge it was a
 *    port of. Any other device refuses the checkpoint, and so do traffic
 *    control and XDP on a veth;
 *  - NT_CR_NET_RTNL: what a dump of the namespace through rtnetlink gives
 *    ("ip address save", "ip route save" do the same), in the order the
 *    restore replays it: addresses, rules, routes and permanent neighbour
 *    entries, leaving out what the kernel makes by itself (routes and
 *    rules of protocol "kernel", cached routes). Nexthop objects and
 *    routes with an encapsulation (lwtunnel) refuse the checkpoint.
 *
 * Restore, before the point of no return, into r->new_ns's namespace:
 * each pair is made there by an RTM_NEWLINK with the saved indexes
 * (programs keep the indexes they looked up), the end that was outside
 * moves to the exec caller's namespace under its old name and joins the
 * bridge of its old master's name if the caller has one: the restore
 * hands it back to the caller, who owned it; the sysctls are set
 * (netns.c); then the devices come up and the saved messages are sent to
 * the new namespace, each as the exec caller's own request, checked by
 * the kernel as the same message from "ip" would be (CAP_NET_ADMIN over
 * the namespace, which the caller owns). A restore that fails before the
 * point of no return drops the namespace, and with it both ends.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/delay.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/veth.h>
#include <net/fib_rules.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sch_generic.h>
#include <net/sock.h>

#define CR_NET_RTNL_BUF		32768	/* bytes of one read of a dump or an ack */
#define CR_NET_PEER_TMP		"crpeer%d" /* an outside end's name, until it is out */
#define CR_NET_NAME_WAIT_MS	5000	/* for the old end of a namespace going away */

/* A netlink route socket in @net, with an explicit destination (the kernel). */
static int cr_rtnl_open(struct net *net, bool kern, struct socket **sock)
{
	int one = 1, ret;

	*sock = NULL;
	ret = __sock_create(net, PF_NETLINK, SOCK_RAW, NETLINK_ROUTE, sock, kern);
	if (ret)
		return ret;
	ret = (*sock)->ops->setsockopt(*sock, SOL_NETLINK, NETLINK_EXT_ACK,
				       KERNEL_SOCKPTR(&one), sizeof(one));
	if (ret) {
		sock_release(*sock);
		*sock = NULL;
	}
	return ret;
}

/*
 * Send @len bytes at @buf on @sock to the kernel. With an explicit
 * address, as "ip" does, the kernel checks the capabilities of current,
 * the sender (__netlink_ns_capable()).
 */
static int cr_rtnl_send(struct socket *sock, void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = { .msg_name = &kernel, .msg_namelen = sizeof(kernel) };
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	int ret;

	ret = kernel_sendmsg(sock, &msg, &kv, 1, len);
	return ret < 0 ? ret : 0;
}

/* A read of what the kernel queued on @sock (it answers at once), or -EAGAIN. */
static int cr_rtnl_read(struct socket *sock, void *buf)
{
	struct msghdr msg = {};
	struct kvec kv = { .iov_base = buf, .iov_len = CR_NET_RTNL_BUF };
	int len;

	len = kernel_recvmsg(sock, &msg, &kv, 1, CR_NET_RTNL_BUF, MSG_DONTWAIT);
	/* A message cut short would be read as the ones before it: none. */
	return len >= 0 && (msg.msg_flags & MSG_TRUNC) ? -EMSGSIZE : len;
}

/* Checkpoint */

/* A veth end's other end, and its namespace, or NULL. */
static struct net_device *cr_net_veth_peer(struct net_device *dev, struct net **net)
{
	*net = dev->rtnl_link_ops->get_link_net ? dev->rtnl_link_ops->get_link_net(dev) :
						   dev_net(dev);
	return __dev_get_by_index(*net, dev_get_iflink(dev));
}

static bool cr_net_is_veth(const struct net_device *dev)
{
	return dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, "veth");
}

/*
 * Is @dev a fallback tunnel device (sit0, tunl0, ip6tnl0...), which every
 * namespace gets from its module and which cannot move, left down? The
 * new namespace has its own. Other devices that cannot move (a bridge)
 * are not.
 */
static bool cr_net_is_fallback(const struct net_device *dev)
{
	static const char * const kinds[] = {
		"sit", "ipip", "gre", "gretap", "erspan", "ip6tnl", "ip6gre", "ip6gretap",
		"ip6erspan", "vti", "vti6",
	};
	unsigned int i;

	if (!dev->netns_immutable || (dev->flags & IFF_UP) || !dev->rtnl_link_ops)
		return false;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(dev->rtnl_link_ops->kind, kinds[i]))
			return true;
	return false;
}

/* Why the traffic control or XDP state of @dev would be lost, or NULL. */
static const char *cr_net_dev_extra(struct net_device *dev)
{
	struct Qdisc *q = rtnl_dereference(dev->qdisc);

	if (q && strcmp(q->ops->id, "noqueue") && strcmp(q->ops->id, "noop"))
		return "a queueing discipline (tc qdisc)";
	if (rtnl_dereference(dev->ingress_queue))
		return "an ingress queueing discipline (tc qdisc)";
#ifdef CONFIG_NET_XGRESS
	if (rtnl_dereference(dev->tcx_ingress) || rtnl_dereference(dev->tcx_egress))
		return "a tc BPF program";
#endif
	if (dev_xdp_prog_count(dev))
		return "an XDP program";
	if (netdev_master_upper_dev_get(dev) || netdev_has_any_upper_dev(dev))
		return "an upper device";
	return NULL;
}

/* One end @dev of a pair, of namespace @net, into @l; or why it cannot be. */
static const char *cr_dump_net_link(struct net *net, struct net_device *dev,
				    struct cr_net_link *l, bool *skip)
{
	struct net_device *peer, *master;
	struct net *pnet;
	const char *why;

	*skip = false;
	peer = cr_net_veth_peer(dev, &pnet);
	if (!peer)
		return "a veth device without its other end";
	why = cr_net_dev_extra(dev);
	if (why)
		return why;
	/* The image has one count of each for both ends, as veth makes them. */
	if (peer->num_tx_queues != dev->num_tx_queues ||
	    peer->num_rx_queues != dev->num_rx_queues)
		return "a veth pair whose ends have different numbers of queues";
	if (net_eq(pnet, net)) {
		why = cr_net_dev_extra(peer);
		if (why)
			return why;
		if (peer->ifindex < dev->ifindex) {
			*skip = true;	/* saved with the other end */
			return NULL;
		}
		l->where = CR_NET_LINK_PEER_IN;
		l->peer_ifindex = peer->ifindex;
	} else {
		master = netdev_master_upper_dev_get(peer);
		if (master)
			strscpy(l->peer_master, master->name, sizeof(l->peer_master));
	}
	l->kind = CR_NET_LINK_VETH;
	l->ifindex = dev->ifindex;
	l->flags = dev->flags & CR_NET_LINK_IFF;
	l->mtu = dev->mtu;
	l->txqlen = dev->tx_queue_len;
	l->num_tx_queues = dev->num_tx_queues;
	l->num_rx_queues = dev->num_rx_queues;
	l->addr_len = min_t(unsigned int, dev->addr_len, CR_NET_ADDR_MAX);
	memcpy(l->addr, dev->dev_addr, l->addr_len);
	l->peer_flags = peer->flags & CR_NET_LINK_IFF;
	l->peer_mtu = peer->mtu;
	l->peer_txqlen = peer->tx_queue_len;
	l->peer_addr_len = min_t(unsigned int, peer->addr_len, CR_NET_ADDR_MAX);
	memcpy(l->peer_addr, peer->dev_addr, l->peer_addr_len);
	strscpy(l->name, dev->name, sizeof(l->name));
	strscpy(l->peer_name, peer->name, sizeof(l->peer_name));
	return NULL;
}

static int cr_net_link_cmp(const void *a, const void *b)
{
	const struct cr_net_link *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

/**
 * cr_dump_net_links - NT_CR_NET_LINKS: the veth pairs of @net
 * @d: the root's image
 * @net: the tree's namespace
 *
 * Besides lo, only veth ends, and the fallback tunnel devices every
 * namespace gets (cr_net_is_fallback()).
 *
 * Return: 0, or a negative errno after saying why (-EOPNOTSUPP: a device
 * the image cannot hold).
 */
int cr_dump_net_links(struct cr_dump *d, struct net *net)
{
	struct cr_net_link *links;
	struct net_device *dev;
	const char *why = NULL;
	unsigned int nr = 0;
	bool skip;
	int ret;

	links = kvcalloc(CR_NET_LINKS_MAX, sizeof(*links), GFP_KERNEL);
	if (!links)
		return -ENOMEM;
	rtnl_lock();
	for_each_netdev(net, dev) {
		if (dev == net->loopback_dev || cr_net_is_fallback(dev))
			continue;
		if (!cr_net_is_veth(dev)) {
			why = "a network device other than lo and veth";
			break;
		}
		if (nr == CR_NET_LINKS_MAX) {
			why = "more veth devices than an image holds";
			break;
		}
		why = cr_dump_net_link(net, dev, &links[nr], &skip);
		if (why)
			break;
		if (!skip)
			nr++;
	}
	if (why)
		cr_refuse(current->comm, "checkpoint refused: the tree's own network namespace has %s (%s) (not saved yet)",
			  why, dev->name);
	rtnl_unlock();
	/* for_each_netdev() goes by name: the note is by index. */
	sort(links, nr, sizeof(*links), cr_net_link_cmp, NULL);
	ret = why ? -EOPNOTSUPP :
	      nr ? cr_dump_note(d, CR_NOTE_NAME, NT_CR_NET_LINKS, links, nr * sizeof(*links)) : 0;
	kvfree(links);
	return ret;
}

/* The messages of the dumps being collected, and why one cannot be saved. */
struct cr_net_rtnl_dump {
	struct cr_buf note;
	unsigned int nr;
	const char *why;
};

/* Is @nlh, of a dump, one to save? Sets c->why for one that refuses. */
static bool cr_net_rtnl_keep(struct cr_net_rtnl_dump *c, const struct nlmsghdr *nlh)
{
	const struct nlattr *a;

	switch (nlh->nlmsg_type) {
	case RTM_NEWADDR: {
		const struct ifaddrmsg *ifa = nlmsg_data(nlh);

		return ifa->ifa_family == AF_INET || ifa->ifa_family == AF_INET6;
	}
	case RTM_NEWRULE: {
		const struct fib_rule_hdr *frh = nlmsg_data(nlh);

		a = nlmsg_find_attr(nlh, sizeof(*frh), FRA_PROTOCOL);
		if (a && nla_len(a) >= 1 && nla_get_u8(a) == RTPROT_KERNEL)
			return false;
		if (frh->family != AF_INET && frh->family != AF_INET6)
			c->why = "a multicast routing rule of its own";
		return true;
	}
	case RTM_NEWROUTE: {
		const struct rtmsg *rtm = nlmsg_data(nlh);

		if (rtm->rtm_protocol == RTPROT_KERNEL || (rtm->rtm_flags & RTM_F_CLONED) ||
		    (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6))
			return false;
		if (nlmsg_find_attr(nlh, sizeof(*rtm), RTA_NH_ID))
			c->why = "a route through a nexthop object (ip nexthop)";
		else if (nlmsg_find_attr(nlh, sizeof(*rtm), RTA_ENCAP) ||
			 nlmsg_find_attr(nlh, sizeof(*rtm), RTA_ENCAP_TYPE))
			c->why = "a route with an encapsulation (ip route ... encap)";
		return true;
	}
	case RTM_NEWNEIGH: {
		const struct ndmsg *ndm = nlmsg_data(nlh);

		return (ndm->ndm_family == AF_INET || ndm->ndm_family == AF_INET6) &&
			(ndm->ndm_state & NUD_PERMANENT) && !(ndm->ndm_flags & NTF_PROXY);
	}
	case RTM_NEWNEXTHOP:
		c->why = "a nexthop object (ip nexthop)";
		return false;
	}
	return false;
}

/*
 * The messages of a dump of @type (an RTM_GET*) and @family in @net, each
 * one to save appended to c->note, with its header's flags, sequence and
 * port cleared. The request's family header is @hdr bytes, the family
 * its first (struct ifaddrmsg, rtmsg, fib_rule_hdr, ndmsg, nhmsg).
 */
static int cr_dump_net_rtnl_one(struct cr_net_rtnl_dump *c, struct socket *sock,
				void *buf, u16 type, u8 family, size_t hdr)
{
	struct {
		struct nlmsghdr nlh;
		u8 family[sizeof(struct rtmsg)];	/* the largest */
	} req = {};
	struct nlmsghdr *nlh;
	int len, ret;
	u8 *p;

	if (hdr > sizeof(req.family))
		return -EINVAL;
	req.nlh.nlmsg_type = type;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_len = NLMSG_LENGTH(hdr);
	req.family[0] = family;
	ret = cr_rtnl_send(sock, &req, req.nlh.nlmsg_len);
	if (ret)
		return ret;
	for (;;) {
		len = cr_rtnl_read(sock, buf);
		if (len < 0)
			return len == -EAGAIN ? -EIO : len;	/* ended without NLMSG_DONE */
		for (nlh = buf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)nlmsg_data(nlh))->error;
				/* A family without dumps of this kind. */
				return ret == -EOPNOTSUPP || ret == -EAFNOSUPPORT ? 0 : ret ?: -EIO;
			}
			if (!cr_net_rtnl_keep(c, nlh))
				continue;
			if (c->why)
				return -EOPNOTSUPP;
			if (c->nr == CR_NET_RTNL_MAX ||
			    c->note.len + NLMSG_ALIGN(nlh->nlmsg_len) > CR_NET_RTNL_SIZE) {
				c->why = "more addresses and routes than an image holds";
				return -E2BIG;
			}
			p = cr_buf_room(&c->note, NLMSG_ALIGN(nlh->nlmsg_len));
			if (!p)
				return -ENOMEM;
			memcpy(p, nlh, nlh->nlmsg_len);
			memset(p + nlh->nlmsg_len, 0, NLMSG_ALIGN(nlh->nlmsg_len) - nlh->nlmsg_len);
			((struct nlmsghdr *)p)->nlmsg_flags = 0;
			((struct nlmsghdr *)p)->nlmsg_seq = 0;
			((struct nlmsghdr *)p)->nlmsg_pid = 0;
			c->nr++;
		}
	}
}

/**
 * cr_dump_net_rtnl - NT_CR_NET_RTNL: addresses, rules, routes, neighbours of @net
 * @d: the root's image
 * @net: the tree's namespace
 *
 * Return: 0, or a negative errno after saying why (-EOPNOTSUPP: what the
 * image cannot hold).
 */
int cr_dump_net_rtnl(struct cr_dump *d, struct net *net)
{
	static const struct {
		u16 type;
		u8 family;
		u8 hdr;
	} dumps[] = {	/* in the order of the note */
		{ RTM_GETNEXTHOP, AF_UNSPEC, sizeof(struct nhmsg) },
		{ RTM_GETADDR, AF_INET, sizeof(struct ifaddrmsg) },
		{ RTM_GETADDR, AF_INET6, sizeof(struct ifaddrmsg) },
		{ RTM_GETRULE, AF_UNSPEC, sizeof(struct fib_rule_hdr) },
		{ RTM_GETROUTE, AF_INET, sizeof(struct rtmsg) },
		{ RTM_GETROUTE, AF_INET6, sizeof(struct rtmsg) },
		{ RTM_GETNEIGH, AF_INET, sizeof(struct ndmsg) },
		{ RTM_GETNEIGH, AF_INET6, sizeof(struct ndmsg) },
	};
	struct cr_net_rtnl_dump c = {};
	struct socket *sock;
	unsigned int i;
	void *buf;
	int ret;

	buf = kvmalloc(CR_NET_RTNL_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = cr_rtnl_open(net, true, &sock);
	for (i = 0; !ret && i < ARRAY_SIZE(dumps); i++)
		ret = cr_dump_net_rtnl_one(&c, sock, buf, dumps[i].type, dumps[i].family,
					   dumps[i].hdr);
	if (sock)
		sock_release(sock);
	if (c.why)
		cr_refuse(current->comm, "checkpoint refused: the tree's own network namespace has %s (not saved yet)",
			  c.why);
	else if (ret && ret != -ENOMEM)
		cr_refuse(current->comm, "checkpoint failed: cannot read the addresses and routes of its network namespace (%d)",
			  ret);
	if (!ret && c.nr)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_NET_RTNL, c.note.buf, c.note.len);
	kvfree(c.note.buf);
	kvfree(buf);
	return ret;
}

/* Restore */

/*
 * Send message @nlh (its flags set) on @sock and read the kernel's answer:
 * 0, or its error, the reason it gave copied to @why (empty if none).
 */
static int cr_rtnl_request(struct socket *sock, struct nlmsghdr *nlh, void *buf,
			   char *why, size_t why_len)
{
	const struct nlmsghdr *ack;
	const struct nlmsgerr *e;
	const struct nlattr *a;
	int len, ret;

	why[0] = '\0';
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	ret = cr_rtnl_send(sock, nlh, nlh->nlmsg_len);
	if (ret)
		return ret;
	len = cr_rtnl_read(sock, buf);
	if (len < 0)
		return len;
	ack = buf;
	if (!nlmsg_ok(ack, len) || ack->nlmsg_type != NLMSG_ERROR ||
	    ack->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EIO;
	e = nlmsg_data(ack);
	if (!e->error)
		return 0;
	/* NETLINK_EXT_ACK: the reason, after the request (capped: NLM_F_CAPPED). */
	a = nlmsg_find_attr(ack, (ack->nlmsg_flags & NLM_F_CAPPED) ? sizeof(*e) :
				 sizeof(*e) + e->msg.nlmsg_len - NLMSG_HDRLEN,
			    NLMSGERR_ATTR_MSG);
	if (a)
		nla_strscpy(why, a, why_len);
	return e->error;
}

/* An RTM_NEWLINK request with @flags for device @index (0: a new one), its header zeroed. */
static struct sk_buff *cr_net_newlink(int index, u16 flags, struct nlmsghdr **nlh)
{
	struct sk_buff *skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	struct ifinfomsg *ifm;

	if (!skb)
		return NULL;
	*nlh = nlmsg_put(skb, 0, 1, RTM_NEWLINK, sizeof(*ifm), flags);
	if (!*nlh) {
		kfree_skb(skb);
		return NULL;
	}
	ifm = nlmsg_data(*nlh);
	memset(ifm, 0, sizeof(*ifm));
	ifm->ifi_index = index;
	return skb;
}

/*
 * The RTM_NEWLINK that makes the pair @l in the namespace of the socket;
 * an outside end gets index @tmp there, which no inside end has (veth
 * registers it first: left to the kernel, it could take an inside end's).
 */
static struct sk_buff *cr_net_link_msg(const struct cr_net_link *l, int tmp)
{
	bool in = l->where & CR_NET_LINK_PEER_IN;
	struct nlattr *info, *data, *peer;
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = cr_net_newlink(l->ifindex, NLM_F_CREATE | NLM_F_EXCL, &nlh);
	if (!skb)
		return NULL;
	if (nla_put_string(skb, IFLA_IFNAME, l->name) ||
	    nla_put_u32(skb, IFLA_MTU, l->mtu) ||
	    nla_put_u32(skb, IFLA_TXQLEN, l->txqlen) ||
	    nla_put_u32(skb, IFLA_NUM_TX_QUEUES, l->num_tx_queues) ||
	    nla_put_u32(skb, IFLA_NUM_RX_QUEUES, l->num_rx_queues) ||
	    (l->addr_len && nla_put(skb, IFLA_ADDRESS, l->addr_len, l->addr)))
		goto fail;
	info = nla_nest_start(skb, IFLA_LINKINFO);
	if (!info || nla_put_string(skb, IFLA_INFO_KIND, "veth"))
		goto fail;
	data = nla_nest_start(skb, IFLA_INFO_DATA);
	if (!data)
		goto fail;
	peer = nla_reserve(skb, VETH_INFO_PEER, sizeof(*ifm));
	if (!peer)
		goto fail;
	ifm = nla_data(peer);
	memset(ifm, 0, sizeof(*ifm));
	ifm->ifi_index = in ? l->peer_ifindex : tmp;
	if (nla_put_string(skb, IFLA_IFNAME, in ? l->peer_name : CR_NET_PEER_TMP) ||
	    nla_put_u32(skb, IFLA_MTU, l->peer_mtu) ||
	    nla_put_u32(skb, IFLA_TXQLEN, l->peer_txqlen) ||
	    nla_put_u32(skb, IFLA_NUM_TX_QUEUES, l->num_tx_queues) ||
	    nla_put_u32(skb, IFLA_NUM_RX_QUEUES, l->num_rx_queues) ||
	    (l->peer_addr_len && nla_put(skb, IFLA_ADDRESS, l->peer_addr_len, l->peer_addr)))
		goto fail;
	/* The peer's attributes are those after its ifinfomsg, up to here. */
	peer->nla_len = skb_tail_pointer(skb) - (unsigned char *)peer;
	nla_nest_end(skb, data);
	nla_nest_end(skb, info);
	nlmsg_end(skb, nlh);
	return skb;
fail:
	kfree_skb(skb);
	return NULL;
}

/*
 * Is @name in @net taken by the outside end of a veth pair whose other
 * end's namespace is going away (the checkpointed tree's, in exit mode),
 * which frees it soon?
 */
static bool cr_net_name_freed_soon(struct net *net, const char *name)
{
	struct net_device *dev = __dev_get_by_name(net, name);
	struct net *pnet;

	return dev && cr_net_is_veth(dev) && cr_net_veth_peer(dev, &pnet) && !check_net(pnet);
}

/*
 * The RTM_NEWLINK that gives the outside end, of index @ifindex in the
 * caller's namespace, its old name and flags, and makes it a port of
 * @master (an index, or 0).
 */
static struct sk_buff *cr_net_peer_msg(const struct cr_net_link *l, int ifindex, int master)
{
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = cr_net_newlink(ifindex, 0, &nlh);
	if (!skb)
		return NULL;
	ifm = nlmsg_data(nlh);
	ifm->ifi_flags = l->peer_flags;
	ifm->ifi_change = CR_NET_LINK_IFF;
	if (nla_put_string(skb, IFLA_IFNAME, l->peer_name) ||
	    (master && nla_put_u32(skb, IFLA_MASTER, master)))
		goto fail;
	nlmsg_end(skb, nlh);
	return skb;
fail:
	kfree_skb(skb);
	return NULL;
}

/*
 * The end of pair @l made as CR_NET_PEER_TMP in @net moves to @to, the
 * caller's namespace, and gets its old name and flags there, by a request
 * on @sock, a socket of @to: the caller's own, which the kernel checks.
 * It joins its old master if @to has a device of that name.
 */
static int cr_net_peer_out(const char *img, const struct cr_net_link *l, struct net *net,
			   struct net *to, struct socket *sock, void *buf)
{
	struct net_device *dev, *peer, *master;
	int ret, ifindex = 0, master_index = 0;
	unsigned int waited = 0;
	struct sk_buff *skb;
	struct net *pnet;
	char why[80];

	rtnl_lock();
	while (__dev_get_by_name(to, l->peer_name)) {
		if (!cr_net_name_freed_soon(to, l->peer_name) || waited >= CR_NET_NAME_WAIT_MS) {
			rtnl_unlock();
			cr_refuse(img, "the outside end of its veth pair %s is to be %s in the caller's network namespace, which has a device of that name",
				  l->name, l->peer_name);
			return -EEXIST;
		}
		rtnl_unlock();
		msleep(20);
		waited += 20;
		rtnl_lock();
	}
	dev = __dev_get_by_index(net, l->ifindex);
	peer = dev ? cr_net_veth_peer(dev, &pnet) : NULL;
	ret = peer ? dev_change_net_namespace(peer, to, CR_NET_PEER_TMP) : -ENODEV;
	if (!ret) {
		ifindex = peer->ifindex;
		master = l->peer_master[0] ? __dev_get_by_name(to, l->peer_master) : NULL;
		if (master)
			master_index = master->ifindex;
	}
	rtnl_unlock();
	if (ret) {
		cr_refuse(img, "cannot move the outside end %s of its veth pair %s to the caller's network namespace (%d)",
			  l->peer_name, l->name, ret);
		return ret;
	}
	skb = cr_net_peer_msg(l, ifindex, master_index);
	if (!skb)
		return -ENOMEM;
	ret = cr_rtnl_request(sock, nlmsg_hdr(skb), buf, why, sizeof(why));
	kfree_skb(skb);
	if (ret) {
		cr_refuse(img, "cannot name the outside end of its veth pair %s %s%s%s in the caller's network namespace (%d%s%s)",
			  l->name, l->peer_name, master_index ? " and make it a port of " : "",
			  master_index ? l->peer_master : "", ret, why[0] ? ": " : "", why);
		return ret;
	}
	if (l->peer_master[0] && !master_index)
		pr_info_ratelimited("cr: %s: the outside end %s of its veth pair is not a port of %s: the caller has no such device\n",
				    img, l->peer_name, l->peer_master);
	return 0;
}

/**
 * cr_restore_net_links - NT_CR_NET_LINKS: the veth pairs, made again, down
 * @r: the root's plan, r->new_ns made
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_restore_net_links(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_NET_LINKS);
	struct net *net = r->new_ns->net_ns, *to = current->nsproxy->net_ns;
	struct socket *sock = NULL, *sock_to = NULL;
	const struct cr_net_link *l;
	struct sk_buff *skb;
	unsigned int nr, i;
	char why[80];
	int tmp = 0;
	void *buf;
	int ret;

	if (!note)
		return 0;
	ret = cr_rule_net_links(r->img->name, note, &nr);
	if (ret || !nr)
		return ret;
	l = note->desc;
	for (i = 0; i < nr; i++)
		if (!(l[i].where & CR_NET_LINK_PEER_IN) &&
		    !ns_capable(to->user_ns, CAP_NET_ADMIN)) {
			cr_refuse(r->img->name, "the outside end %s of its veth pair is to be made in the caller's network namespace: CAP_NET_ADMIN there",
				  l[i].peer_name);
			return -EPERM;
		}
	for (i = 0; i < nr; i++)
		tmp = max3(tmp, l[i].ifindex, l[i].peer_ifindex);
	buf = kvmalloc(CR_NET_RTNL_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = cr_rtnl_open(net, false, &sock) ?: cr_rtnl_open(to, false, &sock_to);
	for (i = 0; !ret && i < nr; i++) {
		skb = cr_net_link_msg(&l[i], tmp + 1 + i);
		if (!skb) {
			ret = -ENOMEM;
			break;
		}
		ret = cr_rtnl_request(sock, nlmsg_hdr(skb), buf, why, sizeof(why));
		kfree_skb(skb);
		if (ret) {
			cr_refuse(r->img->name, "cannot make its veth pair %s (index %d) in its network namespace (%d%s%s)",
				  l[i].name, l[i].ifindex, ret, why[0] ? ": " : "", why);
			break;
		}
		if (!(l[i].where & CR_NET_LINK_PEER_IN))
			ret = cr_net_peer_out(r->img->name, &l[i], net, to, sock_to, buf);
	}
	if (sock)
		sock_release(sock);
	if (sock_to)
		sock_release(sock_to);
	kvfree(buf);
	return ret;
}

/* The device of index @ifindex in @net gets the saved @flags (CR_NET_LINK_IFF). */
static int cr_net_set_flags(struct net *net, int ifindex, u32 flags)
{
	struct net_device *dev;
	int ret = -ENODEV;

	rtnl_lock();
	dev = __dev_get_by_index(net, ifindex);
	if (dev)
		ret = dev_change_flags(dev, (dev->flags & ~CR_NET_LINK_IFF) | flags, NULL);
	rtnl_unlock();
	return ret;
}

/* The devices get their flags (up); the outside ends have theirs. */
static int cr_restore_net_flags(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_NET_LINKS);
	struct net *net = r->new_ns->net_ns;
	const struct cr_net_link *l;
	unsigned int nr, i;
	int ret = 0;

	if (!note)
		return 0;
	l = note->desc;
	nr = note->size / sizeof(*l);	/* cr_restore_net_links() checked it */
	for (i = 0; !ret && i < nr; i++) {
		ret = cr_net_set_flags(net, l[i].ifindex, l[i].flags);
		if (!ret && (l[i].where & CR_NET_LINK_PEER_IN))
			ret = cr_net_set_flags(net, l[i].peer_ifindex, l[i].peer_flags);
		if (ret)
			cr_refuse(r->img->name, "cannot set the flags %#x of its veth pair %s (%d)",
				  l[i].flags, l[i].name, ret);
	}
	return ret;
}

/*
 * Message @nlh of NT_CR_NET_RTNL, copied to @msg, as the request that
 * makes it again: addresses and neighbours replace what the kernel may
 * have made already (lo's, an IPv6 link-local address); an IPv6 address
 * that had passed duplicate address detection skips it, so that the
 * tree's sockets can bind to it at once.
 */
static void cr_net_rtnl_request(struct nlmsghdr *msg, const struct nlmsghdr *nlh, u32 seq)
{
	memcpy(msg, nlh, nlh->nlmsg_len);
	msg->nlmsg_seq = seq;
	msg->nlmsg_pid = 0;
	msg->nlmsg_flags = NLM_F_CREATE;
	switch (msg->nlmsg_type) {
	case RTM_NEWADDR: {
		struct ifaddrmsg *ifa = nlmsg_data(msg);
		struct nlattr *a = nlmsg_find_attr(msg, sizeof(*ifa), IFA_FLAGS);
		u32 flags = a && nla_len(a) >= 4 ? nla_get_u32(a) : ifa->ifa_flags;

		msg->nlmsg_flags |= NLM_F_REPLACE;
		if (ifa->ifa_family == AF_INET6 &&
		    !(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))) {
			ifa->ifa_flags |= IFA_F_NODAD;
			if (a && nla_len(a) >= 4)
				*(u32 *)nla_data(a) = flags | IFA_F_NODAD;
		}
		break;
	}
	case RTM_NEWNEIGH:
		msg->nlmsg_flags |= NLM_F_REPLACE;
		break;
	default:
		msg->nlmsg_flags |= NLM_F_EXCL;
	}
}

static const char *cr_net_rtnl_what(u16 type)
{
	switch (type) {
	case RTM_NEWADDR:
		return "an address";
	case RTM_NEWRULE:
		return "a routing rule";
	case RTM_NEWROUTE:
		return "a route";
	}
	return "a neighbour entry";
}

/* Can a request refused with @err succeed after the others? */
static bool cr_net_rtnl_later(int err)
{
	return err == -ENETUNREACH || err == -ESRCH || err == -EINVAL || err == -ENODEV;
}

/*
 * NT_CR_NET_RTNL, sent to @net; one the kernel refuses for what another
 * may bring (a gateway reached through a later route) is sent again after
 * the others.
 */
static int cr_restore_net_rtnl(struct cr_restore *r, struct net *net)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_NET_RTNL);
	const struct nlmsghdr *nlh = NULL;
	unsigned int nr, i, pass, left;
	struct nlmsghdr *msg = NULL;
	struct socket *sock = NULL;
	unsigned long *todo;
	void *buf = NULL;
	char why[80] = "";
	u64 off;
	int ret;

	if (!note)
		return 0;
	ret = cr_rule_net_rtnl(r->img->name, note, &nr);
	if (ret || !nr)
		return ret;
	todo = bitmap_zalloc(nr, GFP_KERNEL);
	buf = kvmalloc(CR_NET_RTNL_BUF, GFP_KERNEL);
	msg = kvmalloc(CR_NET_RTNL_BUF + NLMSG_ALIGNTO, GFP_KERNEL);
	if (!todo || !buf || !msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = cr_rtnl_open(net, false, &sock);
	if (ret)
		goto out;
	bitmap_fill(todo, nr);
	for (pass = 0, left = nr; left && pass < 2; pass++) {
		for (i = 0, off = 0; i < nr; i++, off += NLMSG_ALIGN(nlh->nlmsg_len)) {
			nlh = (const void *)((const u8 *)note->desc + off);
			if (!test_bit(i, todo))
				continue;
			ret = -E2BIG;
			if (nlh->nlmsg_len <= CR_NET_RTNL_BUF) {
				cr_net_rtnl_request(msg, nlh, i + 1);
				ret = cr_rtnl_request(sock, msg, buf, why, sizeof(why));
			}
			if (!ret) {
				clear_bit(i, todo);
				left--;
			} else if (pass || !cr_net_rtnl_later(ret)) {
				cr_refuse(r->img->name, "cannot make %s (message %u) of its network namespace again (%d%s%s)",
					  cr_net_rtnl_what(nlh->nlmsg_type), i, ret,
					  why[0] ? ": " : "", why);
				goto out;
			}
		}
	}
	ret = 0;
out:
	if (sock)
		sock_release(sock);
	kvfree(msg);
	kvfree(buf);
	bitmap_free(todo);
	return ret;
}

/**
 * cr_restore_net_config - the devices up, then addresses, rules, routes, neighbours
 * @r: the root's plan, after cr_restore_net_links() and the sysctls
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_restore_net_config(struct cr_restore *r)
{
	return cr_restore_net_flags(r) ?: cr_restore_net_rtnl(r, r->new_ns->net_ns);
}
