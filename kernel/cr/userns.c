// SPDX-License-Identifier: GPL-2.0
/*
 * The user namespace the tree is in, when it is not the initial one: a
 * container made with "unshare --user --map-root-user", or by a rootless
 * runtime, whose uid 0 is an ordinary user outside.
 *
 * Checkpoint: NT_CR_USERNS, in the root's image, with CR_NS_USER in
 * NT_CR_NS: the namespace's uid and gid maps, as /proc/PID/uid_map and
 * gid_map list them to its parent (lower ids in the parent's), and its
 * setgroups policy. The ids and capabilities of the image are as the
 * namespace sees them (kernel/cr/process.c, cred.c, sysvipc.c). Every
 * process of the tree must be in it (nested user namespaces are not saved
 * yet); a project id map, which nothing but quota tools use, is not saved
 * and refuses the checkpoint.
 *
 * Restore: before the point of no return, the caller makes a new user
 * namespace, child of its own and owned by it, with the same policy and
 * maps, the lower ids taken in its own user namespace, as
 * unshare(CLONE_NEWUSER) and writes to /proc/PID/setgroups, uid_map and
 * gid_map by the caller would (userns_cr_create(), with their checks:
 * CAP_SETUID and CAP_SETGID over the caller's namespace for any map but
 * the caller's own ids, CAP_SETFCAP to map its uid 0). Its credentials
 * there (r->ids_cred) are what the process's are computed from
 * (kernel/cr/cred.c): the ids in the new namespace, the capabilities
 * counting in it. The tree's other namespaces are owned by it
 * (kernel/cr/ns.c). The caller's own credentials never change; each
 * process takes its new ones last, past the point of no return.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/cred.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

/* Checkpoint */

#ifdef CONFIG_USER_NS
/* @nr extents of @map into @out, lower ids as @parent sees them. */
static void cr_dump_userns_map(const struct uid_gid_map *map, struct user_namespace *parent,
			       bool uid, struct cr_userns_extent *out, u32 nr)
{
	const struct uid_gid_extent *e;
	u32 i;

	for (i = 0; i < nr; i++) {
		e = nr <= UID_GID_MAP_MAX_BASE_EXTENTS ? &map->extent[i] : &map->forward[i];
		out[i].first = e->first;
		/* The range is in one extent of the parent's: its first id tells. */
		out[i].lower_first = uid ? from_kuid(parent, KUIDT_INIT(e->lower_first)) :
				     from_kgid(parent, KGIDT_INIT(e->lower_first));
		out[i].count = e->count;
	}
}

/**
 * cr_dump_userns - NT_CR_USERNS: the user namespace of the tree
 * @d: the root's image
 * @f: the frozen tree
 *
 * Return: 1 when the tree is in a user namespace of its own (its note
 * written), 0 when in the initial one, or a negative errno after saying
 * why.
 */
/* "user" if @p is in another user namespace than the root. */
static const char *cr_userns_other(struct task_struct *p)
{
	bool other;

	rcu_read_lock();
	other = __task_cred(p)->user_ns != current_user_ns();
	rcu_read_unlock();
	return other ? "user" : NULL;
}

int cr_dump_userns(struct cr_dump *d, struct cr_freeze *f)
{
	struct user_namespace *ns = current_user_ns();
	struct cr_hdr_userns *h;
	u32 nr_uid, nr_gid;
	size_t size;
	int ret;

	ret = cr_dump_ns_same(f, cr_userns_other);
	if (ret)
		return ret;
	if (ns == &init_user_ns)
		return 0;
	nr_uid = READ_ONCE(ns->uid_map.nr_extents);
	nr_gid = READ_ONCE(ns->gid_map.nr_extents);
	/* A map is written once, its extents before its count (map_install()). */
	smp_rmb();
	if (READ_ONCE(ns->projid_map.nr_extents)) {
		cr_refuse(current->comm, "checkpoint refused: its user namespace has a project id map (not saved yet)");
		return -EOPNOTSUPP;
	}
	size = sizeof(*h) + (size_t)(nr_uid + nr_gid) * sizeof(struct cr_userns_extent);
	h = kzalloc(size, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->flags = READ_ONCE(ns->flags) & USERNS_SETGROUPS_ALLOWED ? CR_USERNS_SETGROUPS : 0;
	/* The root is the init of a pid namespace of the user namespace's. */
	if (task_pid_vnr(current) == 1 && task_active_pid_ns(current)->user_ns == ns)
		h->flags |= CR_USERNS_PIDNS;
	h->nr_uid = nr_uid;
	h->nr_gid = nr_gid;
	cr_dump_userns_map(&ns->uid_map, ns->parent, true, (void *)(h + 1), nr_uid);
	cr_dump_userns_map(&ns->gid_map, ns->parent, false,
			   (struct cr_userns_extent *)(h + 1) + nr_uid, nr_gid);
	ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_USERNS, h, size);
	kfree(h);
	return ret ?: 1;
}
#else
int cr_dump_userns(struct cr_dump *d, struct cr_freeze *f)
{
	return 0;
}
#endif

/* Restore */

#ifdef CONFIG_USER_NS
/* The extents of a map, from the image's. */
static struct uid_gid_extent *cr_userns_extents(const void *p, u32 nr)
{
	struct uid_gid_extent *e;
	struct cr_userns_extent x;
	u32 i;

	e = kcalloc(max(nr, 1U), sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	for (i = 0; i < nr; i++) {
		memcpy(&x, p + (size_t)i * sizeof(x), sizeof(x));
		e[i].first = x.first;
		e[i].lower_first = x.lower_first;
		e[i].count = x.count;
	}
	return e;
}

/*
 * The restore's root is the init of a pid namespace the caller made for it
 * (as crcore restore does), which nothing else is in yet: the tree's user
 * namespace, a child of the caller's, may own it as the tree's did.
 */
static bool cr_restore_userns_pidns_ok(void)
{
	struct pid_namespace *pns = task_active_pid_ns(current);

	return pns != &init_pid_ns && task_pid_vnr(current) == 1 &&
	       READ_ONCE(pns->child_reaper) == current &&
	       (READ_ONCE(pns->pid_allocated) & ~PIDNS_ADDING) == 1 &&
	       pns->user_ns == current_user_ns() &&
	       ns_capable_noaudit(pns->user_ns, CAP_SYS_ADMIN);
}

/**
 * cr_restore_userns_prepare - the tree's user namespace, made again
 * @r: the root's plan
 *
 * Sets r->ids_cred: the caller's credentials moved into the new
 * namespace, with every capability there.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_userns_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_USERNS);
	struct uid_gid_extent *uid = NULL, *gid = NULL;
	struct cr_hdr_userns h;
	struct cred *new;
	const void *ext;
	int ret;

	ret = cr_rule_userns(r->img->name, note, &h, &ext);
	if (ret)
		return ret;
	new = prepare_creds();
	uid = cr_userns_extents(ext, h.nr_uid);
	gid = cr_userns_extents(ext + h.nr_uid * sizeof(struct cr_userns_extent), h.nr_gid);
	ret = -ENOMEM;
	if (new && uid && gid)
		ret = userns_cr_create(new, uid, h.nr_uid, gid, h.nr_gid,
				       h.flags & CR_USERNS_SETGROUPS);
	kfree(uid);
	kfree(gid);
	if (ret) {
		if (new)
			abort_creds(new);
		cr_refuse(r->img->name, "cannot make its user namespace again (%d): mapping ids other than the caller's own needs CAP_SETUID and CAP_SETGID (CAP_SETFCAP for uid 0) over the caller's user namespace",
			  ret);
		return ret;
	}
	r->ids_cred = new;
	r->pidns_own = (h.flags & CR_USERNS_PIDNS) && cr_restore_userns_pidns_ok();
	return 0;
}

/**
 * cr_restore_userns_pidns - the root's pid namespace owned by the tree's user namespace
 * @r: the root's plan, past the point of no return
 *
 * With CR_USERNS_PIDNS, when cr_restore_userns_pidns_ok() said so: the
 * pid namespace the root is the init of, which only it is in, made owned
 * by the tree's new user namespace (a child of its owner, which keeps it
 * alive), before any descendant is made, as if the caller had made the
 * user namespace first. Its processes then have the capabilities over it
 * that the tree's had (mounting its proc, for one).
 */
void cr_restore_userns_pidns(struct cr_restore *r)
{
	struct pid_namespace *pns = task_active_pid_ns(current);
	struct user_namespace *old = pns->user_ns;

	/* Still its alone: nothing joined it since (setns() and fork()). */
	if (!r->pidns_own || !r->ids_cred ||
	    (READ_ONCE(pns->pid_allocated) & ~PIDNS_ADDING) != 1)
		return;
	WRITE_ONCE(pns->user_ns, get_user_ns(r->ids_cred->user_ns));
	put_user_ns(old);
	r->pidns_own = false;
}
#else
int cr_restore_userns_prepare(struct cr_restore *r)
{
	cr_refuse(r->img->name, "its user namespace needs a kernel with CONFIG_USER_NS");
	return -EOPNOTSUPP;
}

void cr_restore_userns_pidns(struct cr_restore *r)
{
}
#endif

/**
 * cr_restore_ids_ns - the user namespace the image's ids are taken in
 * @r: a process's plan
 *
 * Return: the tree's, made again, or the caller's.
 */
struct user_namespace *cr_restore_ids_ns(const struct cr_restore *r)
{
	return r->ids_cred ? r->ids_cred->user_ns : current_user_ns();
}
