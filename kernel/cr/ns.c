// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces: those the tree is in, other than the initial ones, made
 * again at restore: the UTS namespace (a container's host and domain
 * names), the IPC and time namespaces here, the network namespace's
 * flag (its devices and sysctls are in kernel/cr/netns.c); the cgroup
 * namespace with the cgroups (kernel/cr/cgroup.c); the user namespace,
 * which owns the others (kernel/cr/userns.c); the pid namespace is the
 * tree's own (kernel/cr/tree.c); the mount namespace is in
 * kernel/cr/mount.c.
 *
 * Checkpoint: NT_CR_NS, in the root's image, when the root is in a UTS
 * or IPC namespace other than the initial one: the host name and domain
 * name; for an IPC namespace, a flag: the SysV objects are then all
 * saved (kernel/cr/sysvipc.c), and a segment no process of the tree has
 * attached, or a POSIX message queue none has open, refuses the
 * checkpoint, as they would be lost. Every process of the tree must be
 * in the root's namespaces (nested namespaces are not saved yet):
 * another one refuses the checkpoint.
 *
 * Restore: before the point of no return, new namespaces, owned by the
 * caller's user namespace, or the tree's made again (as unshare() by the
 * caller would make them: CAP_SYS_ADMIN there, else EPERM), with the names. The caller visits
 * them while the tree is prepared, so that its SysV objects and queues
 * are made in them (cr_restore_ns_visit()), then is back in its own. The
 * root enters them past the point of no return, before it makes any
 * descendant, which inherit them; a restore that fails before drops them,
 * and the caller's namespaces never change.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fs_struct.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/sched/task.h>
#include <linux/time_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

/* Checkpoint */

/**
 * cr_dump_ns_same - every process of the tree in the root's namespaces
 * @f: the frozen tree
 * @other: the kind of namespace ("mount"...) in which process @p, not a
 *	   zombie, is not in the root's (current's), or NULL
 *
 * Nested namespaces are not saved yet.
 *
 * Return: 0, or -EOPNOTSUPP after saying which process is in another.
 */
int cr_dump_ns_same(struct cr_freeze *f, const char *(*other)(struct task_struct *p))
{
	unsigned int i, n = cr_freeze_nr_procs(f), nr_threads;
	struct task_struct *p;
	const char *kind;
	int parent;

	for (i = 1; i < n; i++) {
		p = cr_freeze_proc(f, i, &parent, &nr_threads);
		kind = nr_threads ? other(p) : NULL;	/* a zombie has none left */
		if (kind) {
			cr_refuse(current->comm, "checkpoint refused: process %d is in another %s namespace than the root (nested namespaces are not saved yet)",
				  task_tgid_vnr(p), kind);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* The UTS, IPC, time or network namespace @p is in, if not the root's. */
static const char *cr_ns_other(struct task_struct *p)
{
	struct nsproxy *ns = current->nsproxy;
	const char *other;

	task_lock(p);
	other = !p->nsproxy ? NULL :
		p->nsproxy->uts_ns != ns->uts_ns ? "UTS" :
		p->nsproxy->ipc_ns != ns->ipc_ns ? "IPC" :
		p->nsproxy->time_ns != ns->time_ns ||
		p->nsproxy->time_ns_for_children != ns->time_ns ? "time" :
		!net_eq(p->nsproxy->net_ns, ns->net_ns) ? "network" : NULL;
	task_unlock(p);
	return other;
}

/**
 * cr_dump_ns - NT_CR_NS: the namespaces the tree is in
 * @d: the root's image
 * @f: the frozen tree
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_ns(struct cr_dump *d, struct cr_freeze *f)
{
	struct uts_namespace *uts = current->nsproxy->uts_ns;
	struct ipc_namespace *ipc = current->nsproxy->ipc_ns;
	struct time_namespace *time = current->nsproxy->time_ns;
	struct net *net = current->nsproxy->net_ns;
	struct cr_hdr_ns h = {};
	int ret;

	ret = cr_dump_ns_same(f, cr_ns_other);
	if (ret)
		return ret;
	if (uts != &init_uts_ns) {
		h.flags |= CR_NS_UTS;
		down_read(&uts_sem);
		strscpy(h.hostname, uts->name.nodename, sizeof(h.hostname));
		strscpy(h.domainname, uts->name.domainname, sizeof(h.domainname));
		up_read(&uts_sem);
	}
	if (ipc != &init_ipc_ns) {
		/* Its SysV objects are all saved (sysvipc.c); its queues must be. */
		ret = cr_dump_mqueue_whole(d->objs);
		if (ret)
			return ret;
		h.flags |= CR_NS_IPC;
	}
	if (current->nsproxy->time_ns_for_children != time) {
		cr_refuse(current->comm, "checkpoint refused: the root made a time namespace for its children (nested namespaces are not saved yet)");
		return -EOPNOTSUPP;
	}
	if (time != &init_time_ns) {
		/* The clocks as the tree reads them: they go on from there. */
		h.flags |= CR_NS_TIME;
		h.monotonic_ns = ktime_get_ns() + timespec64_to_ns(&time->offsets.monotonic);
		h.boottime_ns = ktime_get_boottime_ns() +
				timespec64_to_ns(&time->offsets.boottime);
	}
	if (!net_eq(net, &init_net)) {
		/* Its devices and sysctls (kernel/cr/netns.c). */
		ret = cr_dump_netns(d, net, &h);
		if (ret)
			return ret;
		h.flags |= CR_NS_NET;
	}
	/* Its cgroups, and its cgroup namespace (kernel/cr/cgroup.c). */
	ret = cr_dump_cgroups(f);
	if (ret < 0)
		return ret;
	if (ret)
		h.flags |= CR_NS_CGROUP;
	/* Its mount namespace, in a note of its own (kernel/cr/mount.c). */
	ret = cr_dump_mounts(d, f);
	if (ret < 0)
		return ret;
	if (ret)
		h.flags |= CR_NS_MNT;
	/* Its user namespace, in a note of its own (kernel/cr/userns.c). */
	ret = cr_dump_userns(d, f);
	if (ret < 0)
		return ret;
	if (ret)
		h.flags |= CR_NS_USER;
	if (!h.flags)
		return 0;
	return cr_dump_note(d, CR_NOTE_NAME, NT_CR_NS, &h, sizeof(h));
}

/* Restore */

/*
 * A new time namespace, not entered yet: its offsets make its clocks go on
 * from where the tree read them at the checkpoint, the time between not
 * counted, as for the tree's timers. Setting them needs CAP_SYS_TIME over
 * it, as writing /proc/PID/timens_offsets does.
 */
static int cr_restore_timens_prepare(struct cr_restore *r, const struct cr_hdr_ns *h)
{
	struct time_namespace *ns = r->new_ns->time_ns_for_children;

	if (!ns_capable(ns->user_ns, CAP_SYS_TIME)) {
		cr_refuse(r->img->name, "cannot set the clocks of its time namespace (CAP_SYS_TIME)");
		return -EPERM;
	}
	ns->offsets.monotonic = ns_to_timespec64(h->monotonic_ns - ktime_get_ns());
	ns->offsets.boottime = ns_to_timespec64(h->boottime_ns - ktime_get_boottime_ns());
	r->timens = true;
	return 0;
}

/**
 * cr_restore_ns_prepare - make the namespaces the root will enter
 * @r: the root's plan
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_ns_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_NS);
	struct nsproxy *new_ns = NULL;
	struct cr_ns_visit old;
	struct cr_hdr_ns h;
	struct new_utsname *u;
	unsigned long flags;
	int ret;

	ret = cr_rule_ns(r->img->name, note, &h);
	if (ret || !h.flags)
		return ret;
	/* The user namespace first: it owns the others. */
	if (h.flags & CR_NS_USER) {
		ret = cr_restore_userns_prepare(r);
		if (ret)
			return ret;
	}
	/* A copy of the caller's mounts, trimmed as the tree's were (mount.c). */
	if (h.flags & CR_NS_MNT) {
		ret = cr_restore_mounts_prepare(r);
		if (ret)
			return ret;
	}
	/* Made from that copy: owned by the tree's user namespace, a copy again. */
	flags = (h.flags & CR_NS_UTS ? CLONE_NEWUTS : 0) |
		(h.flags & CR_NS_IPC ? CLONE_NEWIPC : 0) |
		(h.flags & CR_NS_TIME ? CLONE_NEWTIME : 0) |
		(h.flags & CR_NS_NET ? CLONE_NEWNET : 0) |
		(h.flags & CR_NS_CGROUP ? CLONE_NEWCGROUP : 0) |
		(h.flags & CR_NS_MNT && r->ids_cred && !r->mnt_userns ? CLONE_NEWNS : 0);
	old = cr_restore_ns_visit(r);
	ret = unshare_nsproxy_namespaces(flags, &new_ns, r->ids_cred,
					 r->new_fs ?: current->fs);
	cr_restore_ns_leave(&old);
	if (ret) {
		cr_refuse(r->img->name, "cannot make its namespaces (flags %#x) (%d: CAP_SYS_ADMIN in the %s user namespace)",
			  h.flags, ret, r->ids_cred ? "tree's" : "caller's");
		return ret;
	}
	if (new_ns) {
		if (r->new_ns)
			put_nsproxy(r->new_ns);
		r->new_ns = new_ns;
	}
	if (h.flags & CR_NS_TIME) {
		ret = cr_restore_timens_prepare(r, &h);
		if (ret)
			return ret;
	}
	if (h.flags & CR_NS_NET) {
		ret = cr_restore_netns_prepare(r, &h);
		if (ret)
			return ret;
	}
	if (h.flags & CR_NS_UTS) {
		down_write(&uts_sem);
		u = &r->new_ns->uts_ns->name;
		strscpy(u->nodename, h.hostname, sizeof(u->nodename));
		strscpy(u->domainname, h.domainname, sizeof(u->domainname));
		up_write(&uts_sem);
	}
	/* Its own filesystems, in its namespaces (mount.c). */
	return h.flags & CR_NS_MNT ? cr_restore_mounts_own(r) : 0;
}

/* The current task's fs_struct becomes @fs; its old one is returned. */
static struct fs_struct *cr_switch_fs(struct fs_struct *fs)
{
	struct fs_struct *old;

	task_lock(current);
	old = current->fs;
	current->fs = fs;
	task_unlock(current);
	return old;
}

/**
 * cr_restore_ns_visit - make the rest of the tree in its namespaces
 * @r: the root's plan, its namespaces prepared
 *
 * The exec caller enters them for the time the tree is prepared, so that
 * what is made then (SysV objects, message queues, sockets) is made in
 * them, with the root and working directory the tree will have in its
 * mount namespace, if it has one, so that its files are opened there.
 *
 * Return: the caller's namespaces and fs_struct, for cr_restore_ns_leave()
 * (NULL when the tree has none of its own).
 */
struct cr_ns_visit cr_restore_ns_visit(struct cr_restore *r)
{
	struct cr_ns_visit old = {};

	if (!r->new_ns)
		return old;
	old.ns = current->nsproxy;
	get_nsproxy(old.ns);
	get_nsproxy(r->new_ns);
	switch_task_namespaces(current, r->new_ns);
	if (r->new_fs)
		old.fs = cr_switch_fs(r->new_fs);
	return old;
}

/**
 * cr_restore_ns_leave - the exec caller is back in its own namespaces
 * @old: from cr_restore_ns_visit()
 *
 * The root enters the tree's for good past the point of no return
 * (cr_restore_ns()).
 */
void cr_restore_ns_leave(struct cr_ns_visit *old)
{
	if (old->fs)
		cr_switch_fs(old->fs);
	if (old->ns)
		switch_task_namespaces(current, old->ns);
	old->ns = NULL;
	old->fs = NULL;
}

/**
 * cr_restore_ns - the root enters its namespaces, past the point of no return
 * @r: the root's prepared plan
 */
void cr_restore_ns(struct cr_restore *r)
{
	/* Its pid namespace owned by its user namespace, if it was (userns.c). */
	cr_restore_userns_pidns(r);
	if (!r->new_ns)
		return;
	switch_task_namespaces(current, r->new_ns);
	r->new_ns = NULL;
	/* Its root and working directory in its mount namespace, as unshare() does. */
	if (r->new_fs) {
		struct fs_struct *fs = cr_switch_fs(r->new_fs);
		bool kill;

		r->new_fs = NULL;
		spin_lock(&fs->lock);
		kill = !--fs->users;
		spin_unlock(&fs->lock);
		if (kill)
			free_fs_struct(fs);
	}
	/* Its time namespace, for itself too, as exec enters one (timens_on_fork()). */
	if (r->timens)
		timens_on_fork(current->nsproxy, current);
}

void cr_restore_ns_free(struct cr_restore *r)
{
	if (r->new_ns)
		put_nsproxy(r->new_ns);
	r->new_ns = NULL;
	if (r->new_fs)
		free_fs_struct(r->new_fs);
	r->new_fs = NULL;
	if (r->ids_cred)
		put_cred(r->ids_cred);
	r->ids_cred = NULL;
	if (r->mnt_src) {
		unsigned int k;

		for (k = 0; k < CR_MAX_MOUNTS; k++)
			kfree(r->mnt_src[k]);
		kfree(r->mnt_src);
		r->mnt_src = NULL;
	}
}
