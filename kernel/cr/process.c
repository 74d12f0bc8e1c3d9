// SPDX-License-Identifier: GPL-2.0
/*
 * Process-wide attributes: ids, working directory and umask, resource
 * limits, personality (the timers are in timer.c).
 *
 * Checkpoint: NT_CR_PROCESS.
 *
 * Restore: the process gets the credentials of whoever executes its
 * image, never the image's; the ids in the image are for inspection. The
 * working directory is looked up and checked as chdir(2) would, before
 * the point of no return. Resource limits are set as setrlimit(2) would
 * by the caller: a hard limit above the caller's is lowered to it unless
 * the caller has CAP_SYS_RESOURCE.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/personality.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>

/* Checkpoint */

/**
 * cr_dump_process - NT_CR_PROCESS of the current process
 * @d: image being written
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_process(struct cr_dump *d)
{
	const struct cred *cred = current_cred();
	struct user_namespace *ns = current_user_ns();
	struct cr_hdr_process *h;
	const char *cwd;
	struct path pwd;
	unsigned int i;
	char *buf;
	int ret;

	buf = kmalloc(sizeof(*h) + PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	h = (void *)buf;
	memset(h, 0, sizeof(*h));
	h->personality = current->personality;
	h->umask = current_umask();
	h->uid = from_kuid_munged(ns, cred->uid);
	h->euid = from_kuid_munged(ns, cred->euid);
	h->suid = from_kuid_munged(ns, cred->suid);
	h->fsuid = from_kuid_munged(ns, cred->fsuid);
	h->gid = from_kgid_munged(ns, cred->gid);
	h->egid = from_kgid_munged(ns, cred->egid);
	h->sgid = from_kgid_munged(ns, cred->sgid);
	h->fsgid = from_kgid_munged(ns, cred->fsgid);
	BUILD_BUG_ON(RLIM_NLIMITS != CR_NLIMITS);
	task_lock(current->group_leader);
	for (i = 0; i < CR_NLIMITS; i++) {
		h->rlim[i].cur = current->signal->rlim[i].rlim_cur;
		h->rlim[i].max = current->signal->rlim[i].rlim_max;
	}
	task_unlock(current->group_leader);

	get_fs_pwd(current->fs, &pwd);
	cwd = d_path(&pwd, buf + sizeof(*h), PATH_MAX);
	path_put(&pwd);
	if (IS_ERR(cwd)) {
		ret = PTR_ERR(cwd);
		goto out;
	}
	h->cwd_len = strlen(cwd) + 1;
	memmove(buf + sizeof(*h), cwd, h->cwd_len);
	ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_PROCESS, buf, sizeof(*h) + h->cwd_len);
out:
	kfree(buf);
	return ret;
}

/* Restore */

/*
 * Resource limit @i as setrlimit(2) by the caller would set it: a hard
 * limit above the caller's lowered to it without CAP_SYS_RESOURCE, and
 * what the LSMs say (security_task_setrlimit()), asked before the point
 * of no return (issue 12, finding 12).
 */
static void cr_rlimit_clamp(unsigned int i, struct rlimit *new, const struct rlimit *old)
{
	if (new->rlim_max > old->rlim_max && !capable(CAP_SYS_RESOURCE))
		new->rlim_max = old->rlim_max;
	if (i == RLIMIT_NOFILE && new->rlim_max > sysctl_nr_open)
		new->rlim_max = sysctl_nr_open;
	new->rlim_cur = min(new->rlim_cur, new->rlim_max);
}

static int cr_restore_rlimit_check(struct cr_restore *r, unsigned int i)
{
	struct rlimit new = { .rlim_cur = r->process.rlim[i].cur,
			      .rlim_max = r->process.rlim[i].max };
	struct rlimit old;

	task_lock(current->group_leader);
	old = current->signal->rlim[i];
	task_unlock(current->group_leader);
	cr_rlimit_clamp(i, &new, &old);
	r->process.rlim[i].cur = new.rlim_cur;
	r->process.rlim[i].max = new.rlim_max;
	return security_task_setrlimit(current->group_leader, i, &new);
}

/**
 * cr_restore_process_prepare - check the process attributes, find the cwd
 * @r: restore plan
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_process_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_PROCESS);
	const char *name = r->img->name, *cwd;
	unsigned int i;
	int ret;

	/* The image's rule, then what this system and the caller allow. */
	ret = cr_rule_process(name, note, &r->process, &cwd);
	if (ret)
		return ret;
	for (i = 0; i < CR_NLIMITS; i++) {
		ret = cr_restore_rlimit_check(r, i);
		if (ret) {
			cr_refuse(name, "resource limit %u may not be set (%d)", i, ret);
			return ret;
		}
	}
	ret = kern_path(cwd, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &r->cwd);
	if (!ret) {
		ret = path_permission(&r->cwd, MAY_EXEC | MAY_CHDIR);
		if (ret) {
			path_put(&r->cwd);
			r->cwd.dentry = NULL;
		}
	}
	if (ret)
		cr_refuse(name, "cannot enter the working directory %s (%d)", cwd, ret);
	return ret;
}

/* setrlimit(2) by the caller, clamped to what the caller may set. */
static void cr_restore_rlimit(unsigned int i, u64 cur, u64 max)
{
	struct rlimit *rlim = current->signal->rlim + i;
	struct rlimit new = { .rlim_cur = cur, .rlim_max = max };

	/* Against the limits now: a descendant's are its restored parent's. */
	task_lock(current->group_leader);
	cr_rlimit_clamp(i, &new, rlim);
	*rlim = new;
	task_unlock(current->group_leader);
	if (i == RLIMIT_CPU && new.rlim_cur != RLIM_INFINITY)
		update_rlimit_cpu(current, new.rlim_cur);
}

/**
 * cr_restore_process - process attributes, after the point of no return
 * @r: a prepared plan
 *
 * Return: 0.
 */
int cr_restore_process(struct cr_restore *r)
{
	const struct cr_hdr_process *h = &r->process;
	unsigned int i;

	/*
	 * exec of a setuid or file-capability image (secureexec) cleared
	 * these in begin_new_exec(); they stay cleared (issue 12, finding 12).
	 */
	current->personality = h->personality;
	if (r->secureexec)
		current->personality &= ~PER_CLEAR_ON_SETID;
	/* An fs shared with the parent is the parent's, restored already. */
	if (!(r->proc->flags & CR_PROC_FS)) {
		current->fs->umask = h->umask;
		set_fs_pwd(current->fs, &r->cwd);
	}
	/* What the process set with prctl(), from its NT_CR_TREE entry. */
	current->pdeath_signal = r->secureexec ? 0 : r->proc->pdeath_signal;
	current->signal->is_child_subreaper = !!(r->proc->flags & CR_PROC_SUBREAPER);
	for (i = 0; i < CR_NLIMITS; i++)
		cr_restore_rlimit(i, h->rlim[i].cur, h->rlim[i].max);
	return 0;
}

void cr_restore_process_free(struct cr_restore *r)
{
	if (r->cwd.dentry)
		path_put(&r->cwd);
}
