// SPDX-License-Identifier: GPL-2.0
/*
 * Process-wide attributes: ids, working directory and umask, resource
 * limits, personality, oom_score_adj, and what prctl() sets on the
 * address space (dumpable, THP disable, MDWE, KSM merging) and on each
 * thread (no_new_privs, the TSC mode, the machine-check kill policy, I/O
 * flusher); coredump_filter. The timers are in timer.c,
 * scheduling in sched.c.
 *
 * Checkpoint: NT_CR_PROCESS.
 *
 * Restore: the credentials are in cred.c. A process in a chroot is saved with its root directory's path: the
 * restore chroots there first, as chroot(2) would let the caller, and
 * looks every file of the image up from there; a descendant in a chroot
 * of its own, under the root's, has its files looked up from it, and
 * takes it past the point of no return. The
 * working directory is looked up and checked as chdir(2) would, before
 * the point of no return. Resource limits are set as setrlimit(2) would
 * by the caller: a hard limit above the caller's is lowered to it unless
 * the caller has CAP_SYS_RESOURCE. oom_score_adj is set as a write to
 * /proc/PID/oom_score_adj by the caller would: lower than the caller's
 * lowest needs CAP_SYS_RESOURCE (else EACCES before the point of no
 * return). A flag the caller's own address space or thread carries and
 * that cannot be cleared (MDWE, no_new_privs) stays: it only restricts.
 * seccomp filters are in seccomp.c.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/path.h>
#include <linux/ksm.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/nospec.h>
#include <linux/personality.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/syscall_user_dispatch.h>
#include <linux/security.h>
#include <linux/seccomp.h>
#include <linux/slab.h>

/* Checkpoint */

/* What prctl() and /proc set on the address space. */
static void cr_dump_mm_flags(struct cr_hdr_process *h, struct mm_struct *mm)
{
	h->dumpable = get_dumpable(mm);
	h->coredump_filter = (mm->flags & MMF_DUMP_FILTER_MASK) >> MMF_DUMP_FILTER_SHIFT;
	if (test_bit(MMF_DISABLE_THP, &mm->flags))
		h->mm_flags |= CR_MM_THP_DISABLE;
	if (test_bit(MMF_HAS_MDWE, &mm->flags))
		h->mm_flags |= CR_MM_MDWE;
	if (test_bit(MMF_HAS_MDWE_NO_INHERIT, &mm->flags))
		h->mm_flags |= CR_MM_MDWE_NO_INHERIT;
	if (test_bit(MMF_VM_MERGE_ANY, &mm->flags))
		h->mm_flags |= CR_MM_MERGE_ANY;
	if (mm->def_flags & VM_LOCKED)
		h->mm_flags |= CR_MM_LOCK_FUTURE;
	if (mm->def_flags & VM_LOCKONFAULT)
		h->mm_flags |= CR_MM_LOCK_ONFAULT;
}

/**
 * cr_dump_thread_attrs - what prctl() set on thread @t
 * @th: its NT_CR_THREAD, filled in
 * @t: a thread of the process being checkpointed, parked or current
 *
 * Return: 0, or -EOPNOTSUPP after saying why.
 */
int cr_dump_thread_attrs(struct cr_hdr_thread *th, struct task_struct *t)
{
	if (task_no_new_privs(t))
		th->flags |= CR_THREAD_NO_NEW_PRIVS;
	/* seccomp's strict mode sets it too, and gives it back (seccomp.c). */
#ifdef TIF_NOTSC
	if (test_tsk_thread_flag(t, TIF_NOTSC) && !cr_seccomp_strict(t))
		th->flags |= CR_THREAD_NOTSC;
#endif
	if (t->flags & PF_MCE_PROCESS)
		th->flags |= CR_THREAD_MCE_KILL |
			     (t->flags & PF_MCE_EARLY ? CR_THREAD_MCE_EARLY : 0);
	if ((t->flags & CR_PF_IO_FLUSHER) == CR_PF_IO_FLUSHER)
		th->flags |= CR_THREAD_IO_FLUSHER;
	/* PR_SET_SPECULATION_CTRL, as its PR_GET_ reads it */
	if (task_spec_ssb_disable(t))
		th->spec |= CR_SPEC_SSB_DISABLE;
	if (task_spec_ssb_force_disable(t))
		th->spec |= CR_SPEC_SSB_FORCE;
	if (task_spec_ssb_noexec(t))
		th->spec |= CR_SPEC_SSB_NOEXEC;
	if (task_spec_ib_disable(t))
		th->spec |= CR_SPEC_IB_DISABLE;
	if (task_spec_ib_force_disable(t))
		th->spec |= CR_SPEC_IB_FORCE;
#ifdef TIF_SPEC_L1D_FLUSH
	if (test_tsk_thread_flag(t, TIF_SPEC_L1D_FLUSH))
		th->spec |= CR_SPEC_L1D_FLUSH;
#endif
	return 0;
}

/**
 * cr_dump_thread_dispatch - NT_CR_THREAD_DISPATCH of thread @t, if it has one on
 * @d: image being written
 * @t: a thread of the process, parked or current
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_thread_dispatch(struct cr_dump *d, struct task_struct *t)
{
	struct cr_dispatch sd = {};

	if (!test_task_syscall_work(t, SYSCALL_USER_DISPATCH))
		return 0;
	/* ->on_dispatch lasts from a system call's entry to its exit: not here. */
	sd.selector = (unsigned long)t->syscall_dispatch.selector;
	sd.offset = t->syscall_dispatch.offset;
	sd.len = t->syscall_dispatch.len;
	return cr_dump_note(d, CR_NOTE_NAME, NT_CR_THREAD_DISPATCH, &sd, sizeof(sd));
}

/* PR_SET_SPECULATION_CTRL's controls, by the bits of struct cr_hdr_thread.spec */
static const struct {
	unsigned int which;
	u32 disable, force, noexec;
} cr_spec_ctrls[] = {
	{ PR_SPEC_STORE_BYPASS, CR_SPEC_SSB_DISABLE, CR_SPEC_SSB_FORCE, CR_SPEC_SSB_NOEXEC },
	{ PR_SPEC_INDIRECT_BRANCH, CR_SPEC_IB_DISABLE, CR_SPEC_IB_FORCE, 0 },
};

/**
 * cr_restore_thread_attrs_prepare - may the caller give thread @t its prctl() state?
 * @r: restore plan
 * @t: the thread, its NT_CR_THREAD checked
 *
 * Its speculation controls need a kernel that lets a program set them
 * (PR_SPEC_PRCTL), as the prctl() would.
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_restore_thread_attrs_prepare(struct cr_restore *r, struct cr_restore_thread *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cr_spec_ctrls); i++) {
		u32 bits = cr_spec_ctrls[i].disable;

		if ((t->th.spec & bits) &&
		    !(arch_prctl_spec_ctrl_get(current, cr_spec_ctrls[i].which) & PR_SPEC_PRCTL)) {
			cr_refuse(r->img->name, "thread %u: its speculation control %u cannot be set on this system",
				  t->th.tid, cr_spec_ctrls[i].which);
			return -EOPNOTSUPP;
		}
	}
	if ((t->th.spec & CR_SPEC_L1D_FLUSH) &&
	    !(arch_prctl_spec_ctrl_get(current, PR_SPEC_L1D_FLUSH) & PR_SPEC_PRCTL)) {
		cr_refuse(r->img->name, "thread %u: its L1D flush (PR_SPEC_L1D_FLUSH) cannot be set on this system",
			  t->th.tid);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * cr_restore_thread_attrs - the speculation controls and syscall user
 *	dispatch of the restored thread @t, in it
 * @t: the thread's plan
 *
 * Exec cleared the caller's; a control the image has disabled is set
 * again, forced or until the next exec as it was.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_thread_attrs(const struct cr_restore_thread *t)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(cr_spec_ctrls); i++) {
		u32 spec = t->th.spec;
		unsigned long ctrl;

		if (spec & cr_spec_ctrls[i].force)
			ctrl = PR_SPEC_FORCE_DISABLE;
		else if (spec & cr_spec_ctrls[i].noexec)
			ctrl = PR_SPEC_DISABLE_NOEXEC;
		else if (spec & cr_spec_ctrls[i].disable)
			ctrl = PR_SPEC_DISABLE;
		else
			continue;
		ret = ret ?: arch_prctl_spec_ctrl_set(current, cr_spec_ctrls[i].which, ctrl);
	}
	if (t->th.spec & CR_SPEC_L1D_FLUSH)
		ret = ret ?: arch_prctl_spec_ctrl_set(current, PR_SPEC_L1D_FLUSH, PR_SPEC_ENABLE);
	if (!ret && t->has_dispatch)
		ret = set_syscall_user_dispatch(PR_SYS_DISPATCH_ON, t->dispatch.offset,
						t->dispatch.len,
						u64_to_user_ptr(t->dispatch.selector));
	return ret;
}

/*
 * The root directory of a process in a chroot, after its working
 * directory in the note: its absolute path in the mount namespace. A
 * descendant's is the tree's root process's, or a directory under it (a
 * daemon's child that chrooted, as sshd's privilege-separated one does):
 * the restore looks the files of each process up from its own.
 */
static int cr_dump_root(struct cr_dump *d, struct cr_hdr_process *h, char *buf, int len)
{
	struct task_struct *top = NULL;
	struct path root, other = {};
	unsigned int nr_threads;
	const char *p;
	int parent, ret = 0;

	/* Its own, while its paths are taken from the tree root's (checkpoint.c). */
	if (d->own_root.mnt) {
		root = d->own_root;
		path_get(&root);
	} else {
		get_fs_root(current->fs, &root);
	}
	if (d->freeze)
		top = cr_freeze_proc(d->freeze, 0, &parent, &nr_threads);
	if (top && !same_thread_group(top, current)) {
		task_lock(top);
		if (top->fs)
			get_fs_root(top->fs, &other);
		task_unlock(top);
		if (!other.mnt || !path_is_under(&root, &other)) {
			cr_refuse(current->comm, "checkpoint refused: its root directory (chroot) is not under the tree's root process's");
			ret = -EOPNOTSUPP;
		}
		if (other.mnt)
			path_put(&other);
	}
	p = ret ? NULL : d_absolute_path(&root, buf, len);
	if (!ret && IS_ERR(p)) {
		cr_refuse(current->comm, "checkpoint refused: its root directory is not in its mount namespace (%ld)",
			  PTR_ERR(p));
		ret = -EOPNOTSUPP;
	} else if (!ret && strcmp(p, "/")) {
		h->root_len = strlen(p) + 1;
		memmove(buf, p, h->root_len);
	}
	path_put(&root);
	return ret;
}

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
	h->oom_score_adj = READ_ONCE(current->signal->oom_score_adj);
	h->oom_score_adj_min = READ_ONCE(current->signal->oom_score_adj_min);
	cr_dump_mm_flags(h, current->mm);

	get_fs_pwd(current->fs, &pwd);
	cwd = d_path(&pwd, buf + sizeof(*h), PATH_MAX);
	path_put(&pwd);
	if (IS_ERR(cwd)) {
		ret = PTR_ERR(cwd);
		goto out;
	}
	h->cwd_len = strlen(cwd) + 1;
	memmove(buf + sizeof(*h), cwd, h->cwd_len);
	ret = cr_dump_root(d, h, buf + sizeof(*h) + h->cwd_len, PATH_MAX - h->cwd_len);
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_PROCESS, buf,
				   sizeof(*h) + h->cwd_len + h->root_len);
	/* Its capabilities, securebits and groups (kernel/cr/cred.c). */
	if (!ret)
		ret = cr_dump_creds(d);
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
	if (ret) {
		cr_refuse(name, "cannot enter the working directory %s (%d)", cwd, ret);
		return ret;
	}
	/* As a write to /proc/PID/oom_score_adj by the caller. */
	if (r->process.oom_score_adj < current->signal->oom_score_adj_min &&
	    !capable(CAP_SYS_RESOURCE)) {
		cr_refuse(name, "oom_score_adj %d is below the caller's lowest, %d (CAP_SYS_RESOURCE)",
			  r->process.oom_score_adj, current->signal->oom_score_adj_min);
		return -EACCES;
	}
	/* As prctl(PR_SET_MEMORY_MERGE). */
	if ((r->process.mm_flags & CR_MM_MERGE_ANY) &&
	    (!IS_ENABLED(CONFIG_KSM) || !capable(CAP_SYS_RESOURCE))) {
		cr_refuse(name, "KSM merging of all memory (PR_SET_MEMORY_MERGE) needs %s",
			  IS_ENABLED(CONFIG_KSM) ? "CAP_SYS_RESOURCE" : "a kernel with KSM");
		return IS_ENABLED(CONFIG_KSM) ? -EPERM : -EOPNOTSUPP;
	}
	/* Its locked memory, within the limit it will have. */
	ret = cr_restore_mm_lock_prepare(r);
	if (ret)
		return ret;
	/* The credentials it will have (kernel/cr/cred.c). */
	return cr_restore_creds_prepare(r);
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

/*
 * The address space's flags, on the new one exec made (which took the
 * caller's THP and KSM settings, and its MDWE unless not inherited) or,
 * in a tree, on the copy of the parent's. A restored process is never
 * more dumpable than the exec made it; MDWE, once set, stays.
 */
static int cr_restore_mm_flags(struct cr_restore *r)
{
	const struct cr_hdr_process *h = &r->process;
	struct mm_struct *mm = current->mm;
	unsigned int i;
	int ret = 0;

	if (r->exec_dumpable == SUID_DUMP_USER)
		set_dumpable(mm, h->dumpable);
	else
		set_dumpable(mm, r->exec_dumpable);
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	for (i = 0; i < MMF_DUMP_FILTER_BITS; i++) {
		if (h->coredump_filter & (1U << i))
			set_bit(i + MMF_DUMP_FILTER_SHIFT, &mm->flags);
		else
			clear_bit(i + MMF_DUMP_FILTER_SHIFT, &mm->flags);
	}
	if (h->mm_flags & CR_MM_THP_DISABLE)
		set_bit(MMF_DISABLE_THP, &mm->flags);
	else
		clear_bit(MMF_DISABLE_THP, &mm->flags);
	if (h->mm_flags & CR_MM_MDWE) {
		set_bit(MMF_HAS_MDWE, &mm->flags);
		if (h->mm_flags & CR_MM_MDWE_NO_INHERIT)
			set_bit(MMF_HAS_MDWE_NO_INHERIT, &mm->flags);
	}
#ifdef CONFIG_KSM
	if (h->mm_flags & CR_MM_MERGE_ANY)
		ret = ksm_enable_merge_any(mm);
	else
		ret = ksm_disable_merge_any(mm);
#endif
	mmap_write_unlock(mm);
	return ret;
}

/**
 * cr_restore_process - process attributes, after the point of no return
 * @r: a prepared plan
 *
 * Return: 0 or a negative errno.
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
	r->root_kept = true;	/* its chroot, if any, past the point of no return */
	/* An fs shared with the parent is the parent's, restored already. */
	if (!(r->proc->flags & CR_PROC_FS)) {
		current->fs->umask = h->umask;
		/* A descendant's root: the copy of its parent's may be another. */
		if (r->fs_root.mnt)
			set_fs_root(current->fs, &r->fs_root);
		set_fs_pwd(current->fs, &r->cwd);
	}
	/* What the process set with prctl(), from its NT_CR_TREE entry. */
	current->pdeath_signal = r->secureexec ? 0 : r->proc->pdeath_signal;
	current->signal->is_child_subreaper = !!(r->proc->flags & CR_PROC_SUBREAPER);
	for (i = 0; i < CR_NLIMITS; i++)
		cr_restore_rlimit(i, h->rlim[i].cur, h->rlim[i].max);
	WRITE_ONCE(current->signal->oom_score_adj, h->oom_score_adj);
	if (capable(CAP_SYS_RESOURCE))
		WRITE_ONCE(current->signal->oom_score_adj_min, h->oom_score_adj_min);
	return cr_restore_mm_flags(r);
}

void cr_restore_process_free(struct cr_restore *r)
{
	cr_restore_creds_free(r);
	if (r->cwd.dentry)
		path_put(&r->cwd);
	if (r->fs_root.mnt)
		path_put(&r->fs_root);
	r->fs_root.mnt = NULL;
	/* A restore that failed: the caller's root again. */
	if (r->old_root.mnt) {
		if (!r->root_kept)
			set_fs_root(current->fs, &r->old_root);
		path_put(&r->old_root);
		r->old_root.mnt = NULL;
	}
}

/* The root directory @r's NT_CR_PROCESS names: "" for "/", or NULL (malformed). */
static const char *cr_process_root(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_PROCESS);
	struct cr_hdr_process h;
	const char *cwd;

	if (cr_rule_process(r->img->name, note, &h, &cwd))
		return NULL;
	return h.root_len ? cwd + h.cwd_len : "";
}

/* May the caller chroot(2) to @path? 0, or a negative errno. */
static int cr_chroot_allowed(const struct path *path)
{
	int ret = path_permission(path, MAY_EXEC | MAY_CHDIR);

	if (!ret && !ns_capable(current_user_ns(), CAP_SYS_CHROOT))
		ret = -EPERM;
	return ret ?: security_path_chroot(path);
}

/**
 * cr_restore_fs_root_prepare - a descendant's root directory
 * @root: the tree's root process's plan, prepared, the caller in its root
 * @r: the descendant's plan
 *
 * Sets r->fs_root: the root's root directory, or, for a descendant that
 * was in a chroot of its own, that directory, under the root's, looked up
 * from it and checked as chroot(2) by the caller would be. Its files are
 * then looked up from there (cr_tree_prepare_proc()), and it takes that
 * root past the point of no return (cr_restore_process()).
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_fs_root_prepare(struct cr_restore *root, struct cr_restore *r)
{
	const char *top = cr_process_root(root), *own = cr_process_root(r);
	size_t len;
	int ret;

	if (!top || !own)
		return -EINVAL;
	get_fs_root(current->fs, &r->fs_root);
	if (!*own || !strcmp(own, top))
		return 0;
	len = strlen(top);
	if (strncmp(own, top, len) || own[len] != '/') {
		cr_refuse(r->img->name, "its root directory %s is not under the tree's, %s",
			  own, *top ? top : "/");
		return -EINVAL;
	}
	path_put(&r->fs_root);
	r->fs_root.mnt = NULL;
	/* From the root's root directory, where the caller is. */
	ret = kern_path(own + len, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &r->fs_root);
	if (!ret) {
		ret = cr_chroot_allowed(&r->fs_root);
		if (ret) {
			path_put(&r->fs_root);
			r->fs_root.mnt = NULL;
		}
	}
	if (ret)
		cr_refuse(r->img->name, "cannot chroot to its root directory %s (%d: CAP_SYS_CHROOT)",
			  own, ret);
	return ret;
}

/**
 * cr_restore_root_prepare - a tree in a chroot: into its root, first
 * @r: the root's plan, with its image
 *
 * Before any file of the image is looked up: every path in the image is
 * from the root directory of its processes. That directory is looked up
 * from the caller's root, and the caller chroots there as chroot(2)
 * would let it (CAP_SYS_CHROOT, search permission); a restore that fails
 * goes back to the caller's root (cr_restore_process_free()). An exec
 * caller that shares its root with another process cannot.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_root_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_PROCESS);
	struct cr_hdr_process h;
	const char *cwd, *root;
	struct path path;
	int ret;

	ret = cr_rule_process(r->img->name, note, &h, &cwd);
	if (ret || !h.root_len)
		return ret;
	root = cwd + h.cwd_len;
	ret = kern_path(root, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (ret) {
		cr_refuse(r->img->name, "cannot find its root directory %s (%d)", root, ret);
		return ret;
	}
	ret = cr_chroot_allowed(&path);
	/* Not shared outside the caller's threads (check_unsafe_exec()). */
	if (!ret && !current->fs->in_exec)
		ret = -EBUSY;
	if (ret) {
		cr_refuse(r->img->name, "cannot chroot to its root directory %s (%d: CAP_SYS_CHROOT, or a root shared with another process)",
			  root, ret);
		path_put(&path);
		return ret;
	}
	get_fs_root(current->fs, &r->old_root);
	set_fs_root(current->fs, &path);
	path_put(&path);
	return 0;
}
