// SPDX-License-Identifier: GPL-2.0
/*
 * Credentials: the ids (in NT_CR_PROCESS), and the capabilities,
 * securebits and supplementary groups (NT_CR_CREDS) of each process.
 *
 * Checkpoint: one NT_CR_CREDS per process, after NT_CR_PROCESS. The
 * threads of a process mostly have the same credentials (glibc's setuid()
 * and the like set every thread's); a thread whose credentials differ (a
 * raw system call in one thread) has its own, NT_CR_THREAD_CREDS, among
 * its notes.
 *
 * Restore: a process gets back what the caller could give it with
 * setresuid(2), setresgid(2), setgroups(2), capset(2) and prctl(2),
 * asked before the point of no return, with the LSMs' hooks:
 *
 *  - the ids and the groups, if they differ from the caller's, when the
 *    caller has CAP_SETUID and CAP_SETGID (setgroups(2)'s rules for the
 *    groups) and they map into its user namespace; else the caller's
 *    stay, as before this note existed (a user restoring an image keeps
 *    being that user);
 *  - each capability set within the caller's, as capset(2) allows: a
 *    capability the caller lacks is not given;
 *  - the bounding set, which can only lose capabilities, and securebits
 *    with CAP_SETPCAP, as prctl(2) sets them; else the caller's stay.
 *
 * In a tree of a user namespace of its own, made again (kernel/cr/userns.c),
 * "the caller's" above is the caller's credentials moved into it, with
 * every capability there, as unshare(CLONE_NEWUSER) gives them: the ids
 * are taken in it, and the capabilities given are the image's.
 *
 * What is not given back as it was is said in one line. The new
 * credentials are computed once, from the caller's, then each thread
 * takes them last, after everything else it restores with the caller's
 * rights (cr_restore_creds()), keeping its parent-death signal and its
 * address space's dumpable flag, which a change of ids would reset.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/user.h>
#include <linux/security.h>
#include <linux/securebits.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

/* Checkpoint */

static bool cr_groups_same(const struct group_info *a, const struct group_info *b)
{
	return a == b || (a->ngroups == b->ngroups &&
			  !memcmp(a->gid, b->gid, a->ngroups * sizeof(a->gid[0])));
}

static bool cr_creds_same(const struct cred *a, const struct cred *b)
{
	return a == b ||
	       (uid_eq(a->uid, b->uid) && uid_eq(a->euid, b->euid) &&
		uid_eq(a->suid, b->suid) && uid_eq(a->fsuid, b->fsuid) &&
		gid_eq(a->gid, b->gid) && gid_eq(a->egid, b->egid) &&
		gid_eq(a->sgid, b->sgid) && gid_eq(a->fsgid, b->fsgid) &&
		a->securebits == b->securebits &&
		a->cap_inheritable.val == b->cap_inheritable.val &&
		a->cap_permitted.val == b->cap_permitted.val &&
		a->cap_effective.val == b->cap_effective.val &&
		a->cap_bset.val == b->cap_bset.val &&
		a->cap_ambient.val == b->cap_ambient.val &&
		a->user_ns == b->user_ns && cr_groups_same(a->group_info, b->group_info));
}

/*
 * NT_CR_CREDS, or with @ids NT_CR_THREAD_CREDS: @cred's capabilities,
 * securebits and groups, after its ids for a thread.
 */
static int cr_dump_creds_of(struct cr_dump *d, const struct cred *cred, bool ids)
{
	const struct group_info *gi = cred->group_info;
	struct user_namespace *ns = current_user_ns();
	size_t off = ids ? sizeof(struct cr_thread_ids) : 0;
	struct cr_hdr_creds *h;
	void *buf;
	u32 *groups;
	size_t size;
	int i, ret;

	size = off + sizeof(*h) + (size_t)gi->ngroups * sizeof(u32);
	buf = kvzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (ids) {
		struct cr_thread_ids *t = buf;

		t->uid = from_kuid_munged(ns, cred->uid);
		t->euid = from_kuid_munged(ns, cred->euid);
		t->suid = from_kuid_munged(ns, cred->suid);
		t->fsuid = from_kuid_munged(ns, cred->fsuid);
		t->gid = from_kgid_munged(ns, cred->gid);
		t->egid = from_kgid_munged(ns, cred->egid);
		t->sgid = from_kgid_munged(ns, cred->sgid);
		t->fsgid = from_kgid_munged(ns, cred->fsgid);
	}
	h = buf + off;
	h->cap_inheritable = cred->cap_inheritable.val;
	h->cap_permitted = cred->cap_permitted.val;
	h->cap_effective = cred->cap_effective.val;
	h->cap_bset = cred->cap_bset.val;
	h->cap_ambient = cred->cap_ambient.val;
	h->securebits = cred->securebits;
	h->nr_groups = gi->ngroups;
	groups = (u32 *)(h + 1);
	for (i = 0; i < gi->ngroups; i++)
		groups[i] = from_kgid_munged(ns, gi->gid[i]);
	ret = cr_dump_note(d, CR_NOTE_NAME, ids ? NT_CR_THREAD_CREDS : NT_CR_CREDS, buf, size);
	kvfree(buf);
	return ret;
}

/**
 * cr_dump_creds - NT_CR_CREDS of the current process
 * @d: the dump
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_creds(struct cr_dump *d)
{
	return cr_dump_creds_of(d, current_cred(), false);
}

/**
 * cr_dump_thread_creds - NT_CR_THREAD_CREDS of thread @t, if it has its own
 * @d: the dump
 * @t: a thread of the process being checkpointed, parked or current
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_thread_creds(struct cr_dump *d, struct task_struct *t)
{
	const struct cred *cred;
	int ret = 0;

	if (t == current)
		return 0;
	cred = get_task_cred(t);
	if (!cr_creds_same(cred, current_cred()))
		ret = cr_dump_creds_of(d, cred, true);
	put_cred(cred);
	return ret;
}

/* Restore */

/* The image's ids (@u, @g: real, effective, saved, fs), if they map into the caller's. */
static bool cr_creds_ids(const u32 u[4], const u32 g[4], struct user_namespace *ns,
			 kuid_t uid[4], kgid_t gid[4])
{
	int i;

	for (i = 0; i < 4; i++) {
		uid[i] = make_kuid(ns, u[i]);
		gid[i] = make_kgid(ns, g[i]);
		if (!uid_valid(uid[i]) || !gid_valid(gid[i]))
			return false;
	}
	return true;
}

/* setresuid(2) and setresgid(2) to the image's ids; 1 if kept. */
static int cr_creds_set_ids(const u32 u[4], const u32 g[4], struct cred *new,
			    const struct cred *old)
{
	struct user_namespace *ns = old->user_ns;
	struct user_struct *user;
	kuid_t uid[4];
	kgid_t gid[4];
	int ret;

	if (!cr_creds_ids(u, g, ns, uid, gid))
		return 1;
	if (uid_eq(uid[0], old->uid) && uid_eq(uid[1], old->euid) &&
	    uid_eq(uid[2], old->suid) && uid_eq(uid[3], old->fsuid) &&
	    gid_eq(gid[0], old->gid) && gid_eq(gid[1], old->egid) &&
	    gid_eq(gid[2], old->sgid) && gid_eq(gid[3], old->fsgid))
		return 0;
	if (!ns_capable_setid(ns, CAP_SETUID) || !ns_capable_setid(ns, CAP_SETGID))
		return 1;
	if (!uid_eq(uid[0], new->uid)) {
		user = alloc_uid(uid[0]);
		if (!user)
			return -ENOMEM;
		free_uid(new->user);
		new->user = user;
	}
	new->uid = uid[0];
	new->euid = uid[1];
	new->suid = uid[2];
	new->fsuid = uid[3];
	new->gid = gid[0];
	new->egid = gid[1];
	new->sgid = gid[2];
	new->fsgid = gid[3];
	ret = security_task_fix_setuid(new, old, LSM_SETID_RES);
	return ret ?: security_task_fix_setgid(new, old, LSM_SETID_RES);
}

/* setgroups(2) to the image's groups; 1 if kept. */
static int cr_creds_set_groups(struct cred *new, const struct cred *old,
			       const struct cr_hdr_creds *h, const u32 *groups)
{
	struct group_info *gi;
	u32 i, g;
	int ret;

	gi = groups_alloc(h->nr_groups);
	if (!gi)
		return -ENOMEM;
	for (i = 0; i < h->nr_groups; i++) {
		memcpy(&g, groups + i, sizeof(g));
		gi->gid[i] = make_kgid(old->user_ns, g);
		if (!gid_valid(gi->gid[i])) {
			put_group_info(gi);
			return 1;
		}
	}
	groups_sort(gi);
	ret = 0;
	if (cr_groups_same(gi, old->group_info))
		goto out;
	ret = 1;
	/* may_setgroups(), in @old's user namespace. */
	if (!ns_capable_setid(old->user_ns, CAP_SETGID) || !userns_may_setgroups(old->user_ns))
		goto out;
	set_groups(new, gi);
	ret = security_task_fix_setgroups(new, old);
out:
	put_group_info(gi);
	return ret;
}

/* capset(2), PR_CAP_AMBIENT and PR_CAPBSET_DROP within the caller's; 1 if fewer. */
static int cr_creds_set_caps(struct cred *new, const struct cred *old,
			     const struct cr_hdr_creds *h)
{
	bool setpcap = ns_capable(old->user_ns, CAP_SETPCAP);
	kernel_cap_t inh, perm, eff;
	u64 amb, bset;
	int ret;

	perm.val = h->cap_permitted & old->cap_permitted.val;
	inh.val = h->cap_inheritable & (old->cap_inheritable.val | old->cap_bset.val) &
		  (old->cap_inheritable.val | (setpcap ? old->cap_bset.val : old->cap_permitted.val));
	eff.val = h->cap_effective & perm.val;
	ret = security_capset(new, old, &eff, &inh, &perm);
	if (ret)
		return ret;
	amb = h->cap_ambient & perm.val & inh.val;
	if (issecure_mask(SECURE_NO_CAP_AMBIENT_RAISE) & old->securebits)
		amb &= old->cap_ambient.val;
	new->cap_ambient.val = amb;
	bset = old->cap_bset.val;
	if (setpcap)
		bset &= h->cap_bset;
	new->cap_bset.val = bset;
	return perm.val != h->cap_permitted || inh.val != h->cap_inheritable ||
	       eff.val != h->cap_effective || amb != h->cap_ambient || bset != h->cap_bset;
}

/* PR_SET_SECUREBITS; 1 if kept. */
static int cr_creds_set_securebits(struct cred *new, const struct cred *old, u32 bits)
{
	u32 locks = old->securebits & SECURE_ALL_LOCKS;

	if (bits == old->securebits)
		return 0;
	if ((locks & ~bits) || ((locks >> 1) & (old->securebits ^ bits)) ||
	    !ns_capable(old->user_ns, CAP_SETPCAP))
		return 1;
	new->securebits = bits;
	return 0;
}

/*
 * A copy of the caller's credentials, moved into the tree's user namespace
 * as @base has them (capabilities, securebits), or @base itself, the
 * caller's.
 */
static struct cred *cr_creds_from(const struct cred *base)
{
	struct cred *new = prepare_creds();

	if (!new || base == current_cred())
		return new;
	new->securebits = base->securebits;
	new->cap_inheritable = base->cap_inheritable;
	new->cap_permitted = base->cap_permitted;
	new->cap_effective = base->cap_effective;
	new->cap_bset = base->cap_bset;
	new->cap_ambient = base->cap_ambient;
	put_user_ns(new->user_ns);
	new->user_ns = get_user_ns(base->user_ns);
	return new;
}

/*
 * The credentials of ids @u and @g, capabilities, securebits and groups
 * @h and @groups, as the caller may give them from @r's base (what it may
 * not is said, after @who: "" for the process, "thread N: "); *@out new.
 */
static int cr_creds_make(const struct cr_restore *r, const char *who, const u32 u[4],
			 const u32 g[4], const struct cr_hdr_creds *h, const u32 *groups,
			 struct cred **out)
{
	const struct cred *old = r->ids_cred ?: current_cred();
	const char *name = r->img->name;
	int ids, grp, caps, bits;
	struct cred *new;

	new = cr_creds_from(old);
	if (!new)
		return -ENOMEM;
	ids = cr_creds_set_ids(u, g, new, old);
	grp = ids < 0 ? ids : cr_creds_set_groups(new, old, h, groups);
	caps = grp < 0 ? grp : cr_creds_set_caps(new, old, h);
	bits = caps < 0 ? caps : cr_creds_set_securebits(new, old, h->securebits);
	if (bits < 0) {
		abort_creds(new);
		cr_refuse(name, "%sits credentials may not be set (%d)", who, bits);
		return bits;
	}
	if (ids || grp || caps || bits)
		pr_info_ratelimited("cr: %s: %srestored with less than its credentials:%s%s%s%s\n",
				    name, who, ids ? " the caller's ids" : "",
				    grp ? " the caller's groups" : "",
				    caps ? " fewer capabilities" : "",
				    bits ? " the caller's securebits" : "");
	*out = new;
	return 0;
}

/* A thread's own credentials, from its NT_CR_THREAD_CREDS @note. */
static int cr_restore_thread_creds(struct cr_restore *r, struct cr_restore_thread *t,
				   const struct cr_note *note)
{
	struct cr_thread_ids id;
	struct cr_hdr_creds h;
	const u32 *groups;
	struct cred *new;
	u32 u[4], g[4];
	char who[32];
	int ret;

	ret = cr_rule_thread_creds(r->img->name, t->th.tid, note, &id, &h, &groups);
	if (ret)
		return ret;
	u[0] = id.uid;
	u[1] = id.euid;
	u[2] = id.suid;
	u[3] = id.fsuid;
	g[0] = id.gid;
	g[1] = id.egid;
	g[2] = id.sgid;
	g[3] = id.fsgid;
	snprintf(who, sizeof(who), "thread %u: ", t->th.tid);
	ret = cr_creds_make(r, who, u, g, &h, groups, &new);
	if (ret)
		return ret;
	t->creds = new;
	t->own_creds = true;
	return 0;
}

/**
 * cr_restore_creds_prepare - the credentials the process will have
 * @r: restore plan, with its NT_CR_PROCESS read and its threads
 *
 * The process's, and those of the threads that have their own.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_creds_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_CREDS);
	const struct cr_hdr_process *p = &r->process;
	const char *name = r->img->name;
	struct cr_hdr_creds h;
	const u32 *groups;
	struct cred *new;
	u32 u[4], g[4];
	unsigned int i;
	int ret;

	ret = cr_rule_creds(name, note, &h, &groups);
	if (ret)
		return ret;
	for (i = 0; i < r->nr_threads; i++)
		if (r->thread[i].creds_note && !note) {
			cr_refuse(name, "a thread has its own credentials, the process none");
			return -EINVAL;
		}
	if (!note)
		return 0;
	u[0] = p->uid;
	u[1] = p->euid;
	u[2] = p->suid;
	u[3] = p->fsuid;
	g[0] = p->gid;
	g[1] = p->egid;
	g[2] = p->sgid;
	g[3] = p->fsgid;
	ret = cr_creds_make(r, "", u, g, &h, groups, &new);
	if (ret)
		return ret;
	r->creds = new;
	for (i = 0; !ret && i < r->nr_threads; i++) {
		r->thread[i].creds = new;
		if (r->thread[i].creds_note)
			ret = cr_restore_thread_creds(r, &r->thread[i], r->thread[i].creds_note);
	}
	return ret;
}

void cr_restore_creds_free(struct cr_restore *r)
{
	if (r->creds)
		put_cred(r->creds);
	r->creds = NULL;
}

/**
 * cr_restore_creds - the current thread takes its process's credentials
 * @c: computed by cr_restore_creds_prepare(), or NULL to keep its own
 *
 * Last, after the point of no return: what the thread restored before
 * needed the caller's rights.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_creds(const struct cred *c)
{
	int pdeath = current->pdeath_signal;
	struct mm_struct *mm = current->mm;
	int dumpable = get_dumpable(mm);
	struct cred *new;
	int ret;

	if (!c)
		return 0;
	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	new->uid = c->uid;
	new->euid = c->euid;
	new->suid = c->suid;
	new->fsuid = c->fsuid;
	new->gid = c->gid;
	new->egid = c->egid;
	new->sgid = c->sgid;
	new->fsgid = c->fsgid;
	if (new->user != c->user) {
		free_uid(new->user);
		new->user = get_uid(c->user);
	}
	/* The tree's user namespace, made again (kernel/cr/userns.c). */
	if (new->user_ns != c->user_ns) {
		put_user_ns(new->user_ns);
		new->user_ns = get_user_ns(c->user_ns);
	}
	set_groups(new, c->group_info);
	new->securebits = c->securebits;
	new->cap_inheritable = c->cap_inheritable;
	new->cap_permitted = c->cap_permitted;
	new->cap_effective = c->cap_effective;
	new->cap_bset = c->cap_bset;
	new->cap_ambient = c->cap_ambient;
	ret = set_cred_ucounts(new);
	if (ret) {
		abort_creds(new);
		return ret;
	}
	commit_creds(new);
	/* What a change of ids resets, as the process had it. */
	current->pdeath_signal = pdeath;
	set_dumpable(mm, dumpable);
	return 0;
}
