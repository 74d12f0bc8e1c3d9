// SPDX-License-Identifier: GPL-2.0
/*
 * The network namespace of the tree's own, as unshare --net makes one.
 *
 * Checkpoint, in the root's image with CR_NS_NET in NT_CR_NS: whether its
 * loopback device is up, and its MTU; and NT_CR_NET_SYSCTL, the
 * namespace's sysctls: every file under /proc/sys/net that is writable in
 * it (the per-namespace ones; the others are read-only outside the
 * initial namespace) and that the tree's root can read, with the text a
 * read gives, in the order /proc/sys lists them. Its veth devices,
 * addresses, routes, rules and neighbours are netdev.c's. What the image
 * cannot hold refuses the checkpoint: multicast routes, firewall state.
 * The tree's sockets are the processes' (inet.c, socket.c, netlink.c).
 *
 * Restore, before the point of no return, in the new namespace: lo as it
 * was, its veth pairs (netdev.c), then each sysctl whose value differs
 * there is written, in that order (conf/all before conf/default before each device's, so that the
 * values that spread to the devices are set first), by the caller with
 * its ids in the tree's user namespace if it has one, with the checks of
 * a write to /proc/sys/net after unshare(). One that cannot be set fails
 * the exec. Both sides call the sysctls' handlers directly, without a
 * file each (sysctl_set_each(), sysctl_set_update(), patch 0021). Then
 * the devices come up and get their addresses and routes (netdev.c).
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/fib_notifier.h>
#include <net/fib_rules.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_tables.h>

#define CR_NET_SYSCTL_PREFIX	"net/"	/* of their paths below /proc/sys */
#define CR_NET_SYSCTL_PASSES	3	/* writes refused (EINVAL) are tried again */

/* Checkpoint */

/* The routes and rules a notifier is told of: the first multicast one. */
struct cr_net_routes {
	struct notifier_block nb;
	const char *why;
};

static int cr_net_route_seen(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct cr_net_routes *c = container_of(nb, struct cr_net_routes, nb);
	struct fib_notifier_info *info = ptr;
	const char *why = NULL;

	switch (event) {
	case FIB_EVENT_ENTRY_REPLACE:
	case FIB_EVENT_ENTRY_APPEND:
	case FIB_EVENT_ENTRY_ADD:
		/* IPv4 and IPv6 ones are in NT_CR_NET_RTNL (netdev.c). */
		if (info->family != AF_INET && info->family != AF_INET6)
			why = "multicast routes";
		break;
	case FIB_EVENT_RULE_ADD:
		if (info->family != AF_INET && info->family != AF_INET6 &&
		    container_of(info, struct fib_rule_notifier_info, info)->rule->proto !=
		    RTPROT_KERNEL)
			why = "multicast routing rules";
		break;
	case FIB_EVENT_VIF_ADD:
		why = "multicast routes";
		break;
	}
	if (why && !c->why)
		c->why = why;
	return NOTIFY_DONE;
}

/* Why the routes or rules of @net would be lost, or NULL: none is multicast. */
static const char *cr_dump_net_routes(struct net *net)
{
	struct cr_net_routes c = { .nb.notifier_call = cr_net_route_seen };
	int ret;

	/* Registering replays every route and rule to the notifier. */
	ret = register_fib_notifier(net, &c.nb, NULL, NULL);
	if (ret)
		return "routes that could not be read";
	unregister_fib_notifier(net, &c.nb);
	return c.why;
}

/* Why the firewall of @net would be lost, or NULL; lo's state into @h. */
static const char *cr_dump_net_lo(struct net *net, struct cr_hdr_ns *h)
{
	struct net_device *lo = net->loopback_dev;
	const char *why = NULL;
#ifdef CONFIG_NETFILTER
	unsigned int i;
#endif

	rtnl_lock();
#ifdef CONFIG_NETFILTER
	for (i = 0; !why && i < NF_INET_NUMHOOKS; i++)
		if (rcu_access_pointer(net->nf.hooks_ipv4[i]) ||
		    rcu_access_pointer(net->nf.hooks_ipv6[i]))
			why = "firewall or connection tracking hooks (iptables, nftables)";
#endif
#if IS_ENABLED(CONFIG_NF_TABLES)
	if (!why && !list_empty(&nft_pernet(net)->tables))
		why = "nftables tables";
#endif
	h->lo_flags = lo->flags & IFF_UP ? CR_NS_LO_UP : 0;
	h->lo_mtu = lo->mtu;
	rtnl_unlock();
	return why;
}

/*
 * A sysctl's handler found rtnl busy and asked for the system call to be
 * restarted (restart_syscall(), which marks a signal pending): no signal
 * is pending for that; wait a little before trying again.
 */
static void cr_net_sysctl_busy(void)
{
	spin_lock_irq(&current->sighand->siglock);
	recalc_sigpending();
	spin_unlock_irq(&current->sighand->siglock);
	usleep_range(100, 1000);
}

/* The sysctls being collected, and why one cannot be. */
struct cr_net_sysctl_dump {
	struct cr_buf note;
	unsigned int nr;
	const char *why;
};

/* One sysctl of the namespace, @path below /proc/sys, its text @value. */
static int cr_dump_net_sysctl(void *arg, const char *path, const char *value)
{
	struct cr_net_sysctl_dump *c = arg;
	const char *name = path + strlen(CR_NET_SYSCTL_PREFIX);
	struct cr_net_sysctl e = {};
	u8 *p;

	if (strncmp(path, CR_NET_SYSCTL_PREFIX, strlen(CR_NET_SYSCTL_PREFIX)))
		return 0;		/* not under net/: none is */
	if (strlen(name) >= CR_NET_SYSCTL_NAME_MAX || strlen(value) >= CR_NET_SYSCTL_VALUE_MAX ||
	    c->nr == CR_NET_SYSCTL_MAX) {
		c->why = name;
		return -E2BIG;
	}
	e.name_len = strlen(name) + 1;
	e.value_len = strlen(value) + 1;
	p = cr_buf_room(&c->note, ALIGN(sizeof(e) + e.name_len + e.value_len, 8));
	if (!p)
		return -ENOMEM;
	memcpy(p, &e, sizeof(e));
	memcpy(p + sizeof(e), name, e.name_len);
	memcpy(p + sizeof(e) + e.name_len, value, e.value_len);
	c->nr++;
	return 0;
}

/*
 * NT_CR_NET_SYSCTL: the sysctls of @net, the namespace the current task
 * is in, each it could read and write in /proc/sys/net.
 */
static int cr_dump_net_sysctls(struct cr_dump *d, struct net *net)
{
	struct cr_net_sysctl_dump c = {};
	unsigned int tries = 0;
	int ret;

	for (;;) {
		ret = sysctl_set_each(&net->sysctls, cr_dump_net_sysctl, &c);
		if (ret != -ERESTARTNOINTR || ++tries == 1000)
			break;
		/* Read all again (stable_secret's handler takes rtnl to read). */
		c.note.len = 0;
		c.nr = 0;
		cr_net_sysctl_busy();
	}
	if (ret == -EOPNOTSUPP)		/* no sysctls */
		ret = 0;
	if (ret == -E2BIG)
		cr_refuse(current->comm, "checkpoint refused: the sysctl net.%s of its network namespace is one too many or too long",
			  c.why ?: "?");
	else if (ret && ret != -ENOMEM)
		cr_refuse(current->comm, "checkpoint failed: cannot read the sysctls of its network namespace (%d)",
			  ret);
	if (!ret && c.nr)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_NET_SYSCTL, c.note.buf, c.note.len);
	kvfree(c.note.buf);
	return ret;
}

/**
 * cr_dump_netns - the tree's own network namespace, the current task's
 * @d: the root's image
 * @net: its namespace
 * @h: NT_CR_NS, its lo_* set
 *
 * Return: 0, or a negative errno after saying why (-EOPNOTSUPP: it holds
 * what the image cannot).
 */
int cr_dump_netns(struct cr_dump *d, struct net *net, struct cr_hdr_ns *h)
{
	const char *why = cr_dump_net_lo(net, h) ?: cr_dump_net_routes(net);

	if (why) {
		cr_refuse(current->comm, "checkpoint refused: the tree's own network namespace has %s (not saved yet)",
			  why);
		return -EOPNOTSUPP;
	}
	return cr_dump_net_links(d, net) ?: cr_dump_net_rtnl(d, net) ?:
		cr_dump_net_sysctls(d, net);
}

/* Restore */

/* Sysctl @path set to @value in @net, unless it has it already. */
static int cr_restore_net_sysctl(struct net *net, const char *path, const char *value)
{
	unsigned int tries;
	int ret;

	for (tries = 0; ; tries++) {
		ret = sysctl_set_update(&net->sysctls, path, value);
		if (ret != -ERESTARTNOINTR || tries == 1000)
			return ret;
		cr_net_sysctl_busy();
	}
}

/*
 * NT_CR_NET_SYSCTL: the sysctls of the new namespace, r->new_ns's, set as
 * they were. A write refused as invalid is tried again after the others,
 * which it may depend on (ip_local_port_range and
 * ip_unprivileged_port_start limit each other).
 */
static int cr_restore_net_sysctls(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_NET_SYSCTL);
	struct net *net = r->new_ns->net_ns;
	const struct cred *cred = NULL;
	const char *name = NULL, *value = NULL;
	unsigned int nr, i, pass, left;
	struct cr_ns_visit old;
	unsigned long *todo;
	char *path;
	u64 off;
	int ret;

	if (!note)
		return 0;
	ret = cr_rule_net_sysctl(r->img->name, note, &nr);
	if (ret || !nr)
		return ret;
	path = kmalloc(PATH_MAX, GFP_KERNEL);
	todo = bitmap_zalloc(nr, GFP_KERNEL);
	if (!path || !todo) {
		ret = -ENOMEM;
		goto out;
	}
	bitmap_fill(todo, nr);
	/* In the new namespaces, with the tree's ids if it has a user namespace. */
	old = cr_restore_ns_visit(r);
	if (r->ids_cred)
		cred = override_creds(r->ids_cred);
	for (pass = 0, left = nr; left && pass < CR_NET_SYSCTL_PASSES; pass++) {
		for (i = 0, off = 0; i < nr; i++) {
			cr_net_sysctl_at(note->desc, &off, &name, &value);
			if (!test_bit(i, todo))
				continue;
			snprintf(path, PATH_MAX, CR_NET_SYSCTL_PREFIX "%s", name);
			ret = cr_restore_net_sysctl(net, path, value);
			if (!ret) {
				clear_bit(i, todo);
				left--;
			} else if (ret != -EINVAL || pass == CR_NET_SYSCTL_PASSES - 1) {
				break;
			}
		}
		if (ret && ret != -EINVAL)
			break;
	}
	if (cred)
		revert_creds(cred);
	cr_restore_ns_leave(&old);
	if (ret == -ENOENT)
		cr_refuse(r->img->name, "its network namespace had a sysctl net.%s, which this kernel has not (a module not loaded?)",
			  name);
	else if (ret)
		cr_refuse(r->img->name, "cannot set the sysctl net.%s of its network namespace to %s (%d)",
			  name, value, ret);
out:
	bitmap_free(todo);
	kfree(path);
	return ret;
}

/**
 * cr_restore_netns_prepare - the tree's new network namespace as it was
 * @r: the root's plan, r->new_ns made
 * @h: its NT_CR_NS
 *
 * Its loopback device with its MTU, brought up if it was (which gives it
 * its addresses), its veth pairs, its sysctls, then the devices up with
 * their addresses and routes, before the tree's sockets are made in it
 * (cr_restore_ns_visit()).
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_netns_prepare(struct cr_restore *r, const struct cr_hdr_ns *h)
{
	struct net_device *lo = r->new_ns->net_ns->loopback_dev;
	int ret;

	rtnl_lock();
	ret = dev_set_mtu(lo, h->lo_mtu);
	if (!ret && (h->lo_flags & CR_NS_LO_UP))
		ret = dev_change_flags(lo, lo->flags | IFF_UP, NULL);
	rtnl_unlock();
	if (ret) {
		cr_refuse(r->img->name, "cannot set up lo in its network namespace (MTU %u) (%d)",
			  h->lo_mtu, ret);
		return ret;
	}
	return cr_restore_net_links(r) ?: cr_restore_net_sysctls(r) ?: cr_restore_net_config(r);
}
