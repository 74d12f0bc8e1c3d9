// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces: those the tree is in, other than the initial ones, made
 * again at restore. For now the UTS namespace (a container's host and
 * domain names); the pid namespace is the tree's own (kernel/cr/tree.c).
 *
 * Checkpoint: NT_CR_NS, in the root's image, when the root is in a UTS
 * namespace other than the initial one: its host name and domain name.
 * Every process of the tree must be in the root's (nested namespaces are
 * not saved yet): another one refuses the checkpoint.
 *
 * Restore: before the point of no return, a new UTS namespace, owned by
 * the caller's user namespace (as unshare(CLONE_NEWUTS) by the caller
 * would make it: CAP_SYS_ADMIN there, else EPERM), with the names. The
 * root enters it past the point of no return, before it makes any
 * descendant, which inherit it; a restore that fails before drops it,
 * and the caller's namespaces never change.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/nsproxy.h>
#include <linux/sched/task.h>
#include <linux/utsname.h>

/* Checkpoint */

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
	unsigned int i, n = cr_freeze_nr_procs(f);
	struct cr_hdr_ns h = {};

	for (i = 1; i < n; i++) {
		unsigned int nr_threads;
		struct task_struct *p;
		bool other;
		int parent;

		p = cr_freeze_proc(f, i, &parent, &nr_threads);
		if (!nr_threads)
			continue;	/* a zombie has none left */
		task_lock(p);
		other = p->nsproxy && p->nsproxy->uts_ns != uts;
		task_unlock(p);
		if (other) {
			cr_refuse(current->comm, "checkpoint refused: process %d is in another UTS namespace than the root (nested namespaces are not saved yet)",
				  task_tgid_vnr(p));
			return -EOPNOTSUPP;
		}
	}
	if (uts == &init_uts_ns)
		return 0;
	h.flags |= CR_NS_UTS;
	down_read(&uts_sem);
	strscpy(h.hostname, uts->name.nodename, sizeof(h.hostname));
	strscpy(h.domainname, uts->name.domainname, sizeof(h.domainname));
	up_read(&uts_sem);
	return cr_dump_note(d, CR_NOTE_NAME, NT_CR_NS, &h, sizeof(h));
}

/* Restore */

/**
 * cr_restore_ns_prepare - make the namespaces the root will enter
 * @r: the root's plan
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_ns_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_NS);
	struct cr_hdr_ns h;
	struct new_utsname *u;
	int ret;

	ret = cr_rule_ns(r->img->name, note, &h);
	if (ret || !(h.flags & CR_NS_UTS))
		return ret;
	ret = unshare_nsproxy_namespaces(CLONE_NEWUTS, &r->new_ns, NULL, current->fs);
	if (ret) {
		cr_refuse(r->img->name, "cannot make its UTS namespace (%d: CAP_SYS_ADMIN in the caller's user namespace)",
			  ret);
		return ret;
	}
	down_write(&uts_sem);
	u = &r->new_ns->uts_ns->name;
	strscpy(u->nodename, h.hostname, sizeof(u->nodename));
	strscpy(u->domainname, h.domainname, sizeof(u->domainname));
	up_write(&uts_sem);
	return 0;
}

/**
 * cr_restore_ns - the root enters its namespaces, past the point of no return
 * @r: the root's prepared plan
 */
void cr_restore_ns(struct cr_restore *r)
{
	if (!r->new_ns)
		return;
	switch_task_namespaces(current, r->new_ns);
	r->new_ns = NULL;
}

void cr_restore_ns_free(struct cr_restore *r)
{
	if (r->new_ns)
		put_nsproxy(r->new_ns);
	r->new_ns = NULL;
}
