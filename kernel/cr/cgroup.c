// SPDX-License-Identifier: GPL-2.0
/*
 * Control groups: where the tree's processes are in the cgroup v2
 * hierarchy, and the cgroup namespace they see it through.
 *
 * The restored tree runs where the exec caller runs: its cgroup (the
 * runtime's, or the shell's), whose limits are the caller's business,
 * as they are for a program it starts. What the image keeps is what the
 * processes see of it:
 *
 * Checkpoint: every process of the tree must be in the root's cgroup, as
 * it will be at restore (a process moved to another cgroup refuses the
 * checkpoint: not saved yet). A root in a cgroup namespace of its own
 * (a container's, or "unshare --cgroup") sets CR_NS_CGROUP in NT_CR_NS;
 * the root's cgroup must then be the namespace's root, which the
 * processes see as "/" (a namespace rooted above, and a process of the
 * tree in another cgroup namespace, refuse the checkpoint: not saved
 * yet).
 *
 * Restore: with CR_NS_CGROUP, a new cgroup namespace rooted at the
 * caller's cgroup (kernel/cr/ns.c, as unshare(CLONE_NEWCGROUP) by the
 * caller would make it), so that the tree sees its cgroup as "/" again.
 */
#include <linux/cgroup.h>
#include <linux/cr.h>
#include <linux/nsproxy.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

/* The cgroup of @p in the default hierarchy, referenced, or NULL for a dead one. */
static struct cgroup *cr_task_cgroup(struct task_struct *p)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = p->flags & PF_EXITING ? NULL : task_dfl_cgroup(p);
	if (cgrp)
		cgroup_get(cgrp);
	rcu_read_unlock();
	return cgrp;
}

/* Say that process @p is in cgroup @cgrp, another than the root's. */
static void cr_refuse_cgroup(struct task_struct *p, struct cgroup *cgrp, const char *what)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);

	if (buf && cgroup_path_ns(cgrp, buf, PATH_MAX, current->nsproxy->cgroup_ns) < 0)
		strscpy(buf, "?", PATH_MAX);
	cr_refuse(current->comm, "checkpoint refused: process %d is in %s %s (not saved yet)",
		  task_tgid_vnr(p), what, buf ?: "?");
	kfree(buf);
}

/* "cgroup" if @p is in another cgroup namespace than the root. */
static const char *cr_cgroupns_other(struct task_struct *p)
{
	bool other;

	task_lock(p);
	other = p->nsproxy && p->nsproxy->cgroup_ns != current->nsproxy->cgroup_ns;
	task_unlock(p);
	return other ? "cgroup" : NULL;
}

/**
 * cr_dump_cgroups - the cgroups of the tree
 * @f: the frozen tree
 *
 * Return: 1 when the tree is in a cgroup namespace of its own (for
 * CR_NS_CGROUP), 0 when in the initial one, or a negative errno after
 * saying why.
 */
int cr_dump_cgroups(struct cr_freeze *f)
{
	struct cgroup_namespace *ns = current->nsproxy->cgroup_ns;
	unsigned int i, n = cr_freeze_nr_procs(f);
	struct cgroup *root, *cgrp;
	int ret = 0;

	root = cr_task_cgroup(current);
	if (!root)
		return -ESRCH;

	ret = cr_dump_ns_same(f, cr_cgroupns_other);
	for (i = 1; !ret && i < n; i++) {
		unsigned int nr_threads;
		struct task_struct *p;
		int parent;

		p = cr_freeze_proc(f, i, &parent, &nr_threads);
		if (!nr_threads)
			continue;	/* a zombie is in no cgroup any more */
		cgrp = cr_task_cgroup(p);
		if (cgrp && cgrp != root) {
			cr_refuse_cgroup(p, cgrp, "another cgroup than the root:");
			ret = -EOPNOTSUPP;
		}
		if (cgrp)
			cgroup_put(cgrp);
	}
	/* Its namespace's root, as the restore makes it: the root's cgroup. */
	if (!ret && ns != &init_cgroup_ns) {
		ret = 1;
		if (root != ns->root_cset->dfl_cgrp) {
			cr_refuse_cgroup(current, root, "a cgroup below its cgroup namespace's root:");
			ret = -EOPNOTSUPP;
		}
	}
	cgroup_put(root);
	return ret;
}
