// SPDX-License-Identifier: GPL-2.0
/*
 * Task state: ids, registers and the other register sets of a thread.
 *
 * Checkpoint: the standard core notes, written as fs/binfmt_elf.c writes
 * them so that gdb and readelf read them unchanged: NT_PRPSINFO for the
 * process, and per thread NT_PRSTATUS followed by one note per active
 * register set of the architecture (NT_PRFPREG, NT_X86_XSTATE, ...), then
 * NT_CR_THREAD (kernel/cr/signal.c).
 *
 * Restore: the registers are checked by the architecture before the point
 * of no return and loaded on the way back to user space, after execve()
 * has stored its own return value in the register file (a task_work).
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/elfcore.h>
#include <linux/pid_namespace.h>
#include <linux/prctl.h>
#include <linux/rseq.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/uaccess.h>

static int cr_dump_psinfo(struct cr_dump *d, struct task_struct *t)
{
	/* The process's: @t may be a parked thread, current is in it. */
	struct mm_struct *mm = current->mm;
	struct elf_prpsinfo *ps;
	const struct cred *cred;
	unsigned int i, len;
	int ret;

	ps = kzalloc(sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return -ENOMEM;
	len = min_t(unsigned long, mm->arg_end - mm->arg_start, ELF_PRARGSZ - 1);
	if (copy_from_user(ps->pr_psargs, (const char __user *)mm->arg_start, len))
		len = 0;
	for (i = 0; i < len; i++)
		if (!ps->pr_psargs[i])
			ps->pr_psargs[i] = ' ';
	ps->pr_psargs[len] = '\0';

	rcu_read_lock();
	ps->pr_ppid = task_pid_vnr(rcu_dereference(t->real_parent));
	cred = __task_cred(t);
	ps->pr_uid = from_kuid_munged(cred->user_ns, cred->uid);
	ps->pr_gid = from_kgid_munged(cred->user_ns, cred->gid);
	rcu_read_unlock();
	ps->pr_pid = task_pid_vnr(t);
	ps->pr_pgrp = task_pgrp_vnr(t);
	ps->pr_sid = task_session_vnr(t);
	ps->pr_sname = 'R';
	ps->pr_nice = task_nice(t);
	ps->pr_flag = t->flags;
	get_task_comm(ps->pr_fname, t);

	ret = cr_dump_note(d, "CORE", NT_PRPSINFO, ps, sizeof(*ps));
	kfree(ps);
	return ret;
}

static int cr_dump_prstatus(struct cr_dump *d, struct task_struct *t,
			    const struct user_regset_view *view, long *ax, long *nr)
{
	struct elf_prstatus *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->common.pr_info.si_signo = d->siginfo->si_signo;
	st->common.pr_cursig = d->siginfo->si_signo;
	st->common.pr_sigpend = t->pending.signal.sig[0];
	st->common.pr_sighold = t->blocked.sig[0];
	rcu_read_lock();
	st->common.pr_ppid = task_pid_vnr(rcu_dereference(t->real_parent));
	rcu_read_unlock();
	st->common.pr_pid = task_pid_vnr(t);
	st->common.pr_pgrp = task_pgrp_vnr(t);
	st->common.pr_sid = task_session_vnr(t);
	st->pr_fpvalid = 1;

	/* Regset 0 is the general registers, as binfmt_elf assumes too. */
	ret = regset_get(t, &view->regsets[0], sizeof(st->pr_reg), &st->pr_reg);
	if (ret >= 0) {
		struct user_regs_struct *regs = (void *)&st->pr_reg;

		*ax = regs->ax;
		*nr = regs->orig_ax;
		/* The image shows the task as it will resume: see the arch. */
		cr_arch_fixup_restart(regs);
		ret = cr_dump_note(d, "CORE", NT_PRSTATUS, st, sizeof(*st));
	}
	kfree(st);
	return ret;
}

/**
 * cr_dump_task - the notes of one thread (and, for the first, its process)
 * @d: image being written
 * @t: a thread of the process being checkpointed, parked or current
 * @first: the first thread of the image, which also carries NT_PRPSINFO
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_task(struct cr_dump *d, struct task_struct *t, bool first)
{
	const struct user_regset_view *view = task_user_regset_view(t);
	long ax = 0, nr = -1;
	unsigned int i;
	int ret = 0;

	/* Its registers live on its stack, which must not go away meanwhile. */
	if (!try_get_task_stack(t))
		return -EAGAIN;
	if (first)
		ret = cr_dump_psinfo(d, t);
	if (!ret)
		ret = cr_dump_prstatus(d, t, view, &ax, &nr);
	for (i = 1; !ret && i < view->n; i++) {
		const struct user_regset *rs = &view->regsets[i];
		void *data;
		int size;

		if (!rs->core_note_type ||
		    (rs->active && rs->active(t, rs) <= 0))
			continue;
		size = regset_get_alloc(t, rs, ~0U, &data);
		if (size < 0) {
			ret = size;
			break;
		}
		ret = cr_dump_note(d, rs->core_note_type == NT_PRFPREG ? "CORE" : "LINUX",
				   rs->core_note_type, data, size);
		kfree(data);
	}
	if (!ret)
		ret = cr_dump_thread(d, t, ax, nr, first);
	if (!ret)
		ret = cr_dump_seccomp(d, t);
	if (!ret)
		ret = cr_dump_thread_creds(d, t);
	if (!ret)
		ret = cr_dump_thread_dispatch(d, t);
	put_task_stack(t);
	return ret;
}

/* Restore */

/*
 * The notes of one thread follow its NT_PRSTATUS, up to the next one:
 * NT_X86_XSTATE (owner LINUX), NT_CR_THREAD, NT_CR_SIGPENDING.
 */
static int cr_restore_thread_prepare(struct cr_restore *r, unsigned int first,
				     unsigned int end, struct cr_restore_thread *t,
				     bool main)
{
	const struct cr_note *st = &r->img->note[first], *xstate = NULL;
	const struct cr_note *thn = NULL, *pn = NULL, *sn = NULL, *dn = NULL;
	const char *name = r->img->name;
	unsigned int i, n = t - r->thread + 1;
	int ret;

	for (i = first + 1; i < end; i++) {
		const struct cr_note *n = &r->img->note[i];

		if (!n->ours && n->type == NT_X86_XSTATE)
			xstate = xstate ?: n;
		else if (n->ours && n->type == NT_CR_THREAD)
			thn = thn ?: n;
		else if (n->ours && n->type == NT_CR_SIGPENDING)
			pn = pn ?: n;
		else if (n->ours && n->type == NT_CR_SECCOMP)
			sn = sn ?: n;
		else if (n->ours && n->type == NT_CR_THREAD_CREDS)
			t->creds_note = t->creds_note ?: n;
		else if (n->ours && n->type == NT_CR_THREAD_DISPATCH)
			dn = dn ?: n;
	}
	/* The image's rules, then what depends on this CPU. */
	ret = cr_arch_rule_prstatus(name, n, st, &t->regs);
	if (!ret)
		ret = cr_arch_rule_xstate(name, n, xstate);
	if (!ret)
		ret = cr_arch_check_fpu(r->img, xstate);
	if (!ret)
		ret = cr_rule_thread(name, n, thn, &t->th);
	if (!ret)
		ret = cr_rule_sigpending(name, n, pn, main);
	if (!ret)
		ret = cr_rule_seccomp(name, n, sn);
	if (!ret)
		ret = cr_rule_thread_dispatch(name, n, dn, &t->dispatch);
	if (!ret)
		ret = cr_restore_thread_attrs_prepare(r, t);
	if (ret)
		return ret;
	t->has_dispatch = dn;
	/* prctl(PR_SET_IO_FLUSHER) needs it of its caller. */
	if ((t->th.flags & CR_THREAD_IO_FLUSHER) && !capable(CAP_SYS_RESOURCE)) {
		cr_refuse(name, "thread %u is an I/O flusher (PR_SET_IO_FLUSHER): that needs CAP_SYS_RESOURCE",
			  t->th.tid);
		return -EPERM;
	}
	if (sn) {
		struct cr_seccomp_set *set = cr_tree_seccomp(r->tree);

		ret = set ? cr_restore_seccomp_prepare(r, t, n, sn, set) : -ENOMEM;
		if (ret)
			return ret;
	}
	t->xstate = xstate->desc;
	t->xstate_size = xstate->size;
	return cr_restore_thread_pending(t, pn);
}

/**
 * cr_restore_task_prepare - check the threads of an image
 * @r: restore plan
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_task_prepare(struct cr_restore *r)
{
	const struct cr_note *note;
	unsigned int i, n = 0, *start;
	int ret = 0;

	ret = cr_rule_threads(r->img->name, r->img->note, r->img->nr_notes, r->proc,
			      &r->img->hdr, r->tree_idx, &n);
	if (ret)
		return ret;
	r->thread = kvcalloc(n, sizeof(*r->thread), GFP_KERNEL_ACCOUNT);
	start = kcalloc(n + 1, sizeof(*start), GFP_KERNEL_ACCOUNT);
	if (!r->thread || !start) {
		kfree(start);
		return -ENOMEM;
	}
	r->nr_threads = n;
	for (i = 0, n = 0; i < r->img->nr_notes; i++)
		if (cr_note_prstatus(&r->img->note[i]))
			start[n++] = i;
	start[n] = r->img->nr_notes;
	/* Exec turns into the thread group leader, which comes first. */
	r->main = 0;
	for (i = 0; !ret && i < n; i++)
		ret = cr_restore_thread_prepare(r, start[i], start[i + 1],
						&r->thread[i], i == r->main);
	kfree(start);
	if (ret)
		return ret;

	note = cr_image_find_note(r->img, false, NT_PRPSINFO);
	ret = cr_rule_prpsinfo(r->img->name, note);
	if (ret)
		return ret;
	memcpy(r->comm, note->desc + offsetof(struct elf_prpsinfo, pr_fname),
	       sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = '\0';
	return 0;
}

void cr_restore_task_free(struct cr_restore *r)
{
	unsigned int i;

	for (i = 0; r->thread && i < r->nr_threads; i++) {
		kvfree(r->thread[i].pending);
		cr_seccomp_put(r->thread[i].seccomp);
		if (r->thread[i].own_creds)
			put_cred(r->thread[i].creds);
	}
	kvfree(r->thread);
}

/*
 * What a thread loads on its way to user space, after exec or clone are
 * done with its registers; a copy, since the image is closed by then.
 */
struct cr_thread_plan {
	struct callback_head work;
	struct cr_restore_thread t;
	struct cr_thread_plan **others;	/* the main thread's: to create */
	unsigned int nr_others;
	pid_t (*tids)[2];		/* ...their image and new ids, as created */
	unsigned int nr_tids;
	struct cr_posix_timer *ptimer;	/* ...the process's POSIX timers */
	unsigned int nr_ptimers;
	struct cr_fown *fown;		/* ...its descriptors' owners */
	unsigned int nr_fowns;
	u8 *sfilter;			/* ...its sockets' filters */
	size_t sfilter_len;
	struct cr_timerfd_arm *timerfd;	/* ...the timerfds it arms */
	struct cr_pidfd_plan *pidfd;	/* ...the pidfds it makes */
	unsigned int nr_timerfds;
	struct cr_closing *closing;	/* ...the caller's descriptors, closed last */
	bool orig_tids;
	struct cr_tree *tree;		/* referenced; NULL for a lone process */
	unsigned int tree_idx;
	u8 xstate[];
};

static void cr_thread_plan_free(struct cr_thread_plan *p)
{
	if (p->tree)
		cr_tree_put(p->tree);
	if (p->t.creds)
		put_cred(p->t.creds);
	cr_seccomp_put(p->t.seccomp);
	kvfree(p->t.pending);
	kfree(p);
}

static struct cr_thread_plan *cr_thread_plan(const struct cr_restore_thread *t)
{
	struct cr_thread_plan *p;

	p = kzalloc(struct_size(p, xstate, t->xstate_size), GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	p->t = *t;
	memcpy(p->xstate, t->xstate, t->xstate_size);
	p->t.xstate = p->xstate;
	p->t.pending = NULL;
	if (t->nr_pending) {
		p->t.pending = kvmalloc_array(t->nr_pending, sizeof(*t->pending),
					      GFP_KERNEL_ACCOUNT);
		if (!p->t.pending) {
			kfree(p);
			return NULL;
		}
		memcpy(p->t.pending, t->pending, t->nr_pending * sizeof(*t->pending));
	}
	if (p->t.creds)
		get_cred(p->t.creds);
	cr_seccomp_get(p->t.seccomp);
	return p;
}

/*
 * What prctl() set on the thread, exactly the image's: the exec caller's
 * own settings (exec keeps them) go. Before seccomp's strict mode, which
 * turns the TSC off by itself (seccomp.c).
 */
static void cr_thread_prctl(const struct cr_hdr_thread *th)
{
#ifdef SET_TSC_CTL
	SET_TSC_CTL(th->flags & CR_THREAD_NOTSC ? PR_TSC_SIGSEGV : PR_TSC_ENABLE);
#endif
	current->flags &= ~(PF_MCE_PROCESS | PF_MCE_EARLY | CR_PF_IO_FLUSHER);
	if (th->flags & CR_THREAD_MCE_KILL)
		current->flags |= PF_MCE_PROCESS;
	if (th->flags & CR_THREAD_MCE_EARLY)
		current->flags |= PF_MCE_EARLY;
	/* Checked before the point of no return: the caller may. */
	if (th->flags & CR_THREAD_IO_FLUSHER)
		current->flags |= CR_PF_IO_FLUSHER;
}

/* The ids and registrations exec and clone reset, then the registers. */
static int cr_thread_finish(const struct cr_restore_thread *t)
{
	const struct cr_hdr_thread *th = &t->th;
	int ret;

	__set_task_comm(current, th->comm, false);
	if (th->flags & CR_THREAD_NO_NEW_PRIVS)
		task_set_no_new_privs(current);
	cr_thread_prctl(th);
	ret = cr_restore_thread_attrs(t);
	if (ret) {
		pr_warn_ratelimited("cr: %s: thread %u: cannot set its speculation controls or syscall user dispatch again (%d)\n",
				    current->comm, th->tid, ret);
		return ret;
	}
	ret = cr_restore_sched(&th->sched);
	if (ret) {
		pr_warn_ratelimited("cr: %s: thread %u: cannot restore its scheduling (%d)\n",
				    current->comm, th->tid, ret);
		return ret;
	}

	current->clear_child_tid = (int __user *)(unsigned long)th->clear_child_tid;
#ifdef CONFIG_FUTEX
	current->robust_list = (struct robust_list_head __user *)(unsigned long)th->robust_list;
#endif
#ifdef CONFIG_RSEQ
	current->rseq = (struct rseq __user *)(unsigned long)th->rseq;
	current->rseq_len = th->rseq_len;
	current->rseq_sig = th->rseq_sig;
	if (current->rseq)
		rseq_set_notify_resume(current);
#endif
	/* Its seccomp filters, while it has the caller's rights (seccomp.c). */
	ret = cr_restore_seccomp(t->seccomp);
	if (ret) {
		pr_warn_ratelimited("cr: %s: thread %u: cannot enter its seccomp mode (%d)\n",
				    current->comm, th->tid, ret);
		return ret;
	}
	/* Last: what the thread restored before needed the caller's rights. */
	ret = cr_restore_creds(t->creds);
	if (ret) {
		pr_warn_ratelimited("cr: %s: thread %u: cannot take its credentials (%d)\n",
				    current->comm, th->tid, ret);
		return ret;
	}
	ret = cr_arch_set_regs(&t->regs, t->xstate);
	if (!ret)
		cr_restore_stop(t);
	return ret;
}

/* A restored thread other than the main one, on its way to user space. */
static void cr_thread_work(struct callback_head *head)
{
	struct cr_thread_plan *p = container_of(head, struct cr_thread_plan, work);

	if (!(current->flags & PF_EXITING) &&
	    ((p->tree && cr_tree_thread_wait(p->tree)) ||
	     cr_restore_thread_signals(&p->t) || cr_thread_finish(&p->t)))
		force_fatal_sig(SIGKILL);
	cr_thread_plan_free(p);
}

/*
 * First code of a restored thread, in the kernel: ret_from_fork() clears
 * ax after it, so the state is loaded later, on the way to user space.
 */
static int cr_thread_start(void *arg)
{
	struct cr_thread_plan *p = arg;

	init_task_work(&p->work, cr_thread_work);
	if (task_work_add(current, &p->work, TWA_RESUME)) {
		cr_thread_plan_free(p);
		force_fatal_sig(SIGKILL);
	}
	return 0;
}

/* Create the other threads, in the image's order. */
static int cr_spawn_threads(struct cr_thread_plan *main)
{
	unsigned int i;

	for (i = 0; i < main->nr_others; i++) {
		struct cr_thread_plan *p = main->others[i];
		pid_t tid = p->t.th.tid;
		struct kernel_clone_args args = {
			.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				 CLONE_THREAD | CLONE_SYSVSEM,
			.exit_signal = 0,
			.fn = cr_thread_start,
			.fn_arg = p,
			.set_tid = main->orig_tids ? &tid : NULL,
			.set_tid_size = main->orig_tids ? 1 : 0,
		};
		pid_t ret;

		main->others[i] = NULL;
		if (main->tree)
			p->tree = cr_tree_get(main->tree);
		ret = kernel_clone(&args);
		if (ret < 0) {
			cr_thread_plan_free(p);
			return ret;
		}
		main->tids[main->nr_tids][0] = tid;
		main->tids[main->nr_tids++][1] = ret;
	}
	return 0;
}

/* The id thread @tid of the image has now (for a POSIX timer to signal). */
static pid_t cr_thread_tid(void *arg, pid_t tid)
{
	struct cr_thread_plan *main = arg;
	unsigned int i;

	if (tid == main->t.th.tid)
		return task_pid_vnr(current);
	for (i = 0; i < main->nr_tids; i++)
		if (main->tids[i][0] == tid)
			return main->tids[i][1];
	return 0;
}

static void cr_main_plan_free(struct cr_thread_plan *p)
{
	unsigned int i;

	for (i = 0; p->others && i < p->nr_others; i++)
		if (p->others[i])
			cr_thread_plan_free(p->others[i]);
	kfree(p->others);
	kfree(p->tids);
	kvfree(p->ptimer);
	kvfree(p->fown);
	kvfree(p->sfilter);
	cr_restore_timerfds(p->timerfd, p->nr_timerfds, false);
	cr_restore_pidfds_plan_free(p->pidfd);
	cr_closing_release(p->closing);
	cr_thread_plan_free(p);
}

static int cr_main_pidfds(void *arg)
{
	struct cr_thread_plan *p = arg;

	return cr_restore_pidfds(p->pidfd, p->tree, cr_thread_tid, p);
}

/*
 * The main thread of a process, on its way back from execve() (or, in a
 * tree, from its creation) to user space: it creates its threads and its
 * child processes, with every signal blocked so that none of its restored
 * pending signals makes clone() restart; in a tree, it waits until the
 * whole tree is there.
 */
static void cr_main_work(struct callback_head *head)
{
	struct cr_thread_plan *p = container_of(head, struct cr_thread_plan, work);
	sigset_t all, saved = current->blocked;
	int ret;

	if (current->flags & PF_EXITING) {
		/* Killed before it ran: its tree must not wait for it. */
		if (p->tree)
			cr_tree_wait(p->tree, p->tree_idx, -EINTR, NULL, NULL);
	} else {
		siginitsetinv(&all, 0);
		set_current_blocked(&all);
		ret = cr_spawn_threads(p);
		if (ret)
			pr_warn_ratelimited("cr: %s: cannot create restored threads (%d)\n",
					    current->comm, ret);
		if (!ret)
			ret = cr_restore_posix_timers(p->ptimer, p->nr_ptimers, cr_thread_tid, p);
		if (!ret && p->tree)
			ret = cr_tree_spawn(p->tree, p->tree_idx);
		set_current_blocked(&saved);
		/* Its pidfds, once the processes they refer to exist (pidfd.c). */
		if (p->tree)
			ret = cr_tree_wait(p->tree, p->tree_idx, ret, cr_main_pidfds, p);
		else if (!ret)
			ret = cr_main_pidfds(p);
		/* Its descriptors' owners, who all exist now (kernel/cr/fown.c). */
		if (!ret)
			ret = cr_restore_fowns(p->fown, p->nr_fowns, p->tree, cr_thread_tid, p);
		/* Its sockets' filters, in a page of its memory for the time (sockopt.c). */
		if (!ret && p->sfilter)
			ret = cr_restore_sock_filters(p->sfilter, p->sfilter_len);
		/* Its timerfds, whose time left counts from now (event.c). */
		if (!ret) {
			cr_restore_timerfds(p->timerfd, p->nr_timerfds, true);
			p->timerfd = NULL;
			p->nr_timerfds = 0;
		}
		if (!ret)
			ret = cr_thread_finish(&p->t);
		if (ret)
			force_fatal_sig(SIGKILL);
	}
	/* The restore is complete: the caller's descriptors go (files.c). */
	cr_closing_release(p->closing);
	p->closing = NULL;
	cr_main_plan_free(p);
}

/**
 * cr_restore_task - threads, after the point of no return
 * @r: a prepared plan
 *
 * The exec'ing task becomes the main thread; the others are created
 * when it leaves execve(), and each loads its own state.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_task(struct cr_restore *r)
{
	struct cr_thread_plan *main;
	unsigned int i, n = 0;
	int ret;

	/* Its own name, not the image's file name that exec gave it. */
	__set_task_comm(current, r->comm, true);
	/* Stopped by job control: each thread stops last (cr_restore_stop()). */
	for (i = 0; i < r->nr_threads; i++) {
		r->thread[i].stopped = r->proc->flags & CR_PROC_STOPPED;
		r->thread[i].stop_notify = !r->tree_idx;
		r->thread[i].stop_code = r->proc->exit_code;
	}
	main = cr_thread_plan(&r->thread[r->main]);
	if (!main)
		return -ENOMEM;
	main->orig_tids = r->orig_tids;
	if (r->tree) {
		main->tree = cr_tree_get(r->tree);
		main->tree_idx = r->tree_idx;
	}
	main->others = kcalloc(r->nr_threads, sizeof(*main->others), GFP_KERNEL_ACCOUNT);
	main->tids = kcalloc(r->nr_threads, sizeof(*main->tids), GFP_KERNEL_ACCOUNT);
	ret = main->others && main->tids ? 0 : -ENOMEM;
	if (!ret && r->nr_ptimers) {
		main->ptimer = kvmemdup(r->ptimer, r->nr_ptimers * sizeof(*r->ptimer),
					GFP_KERNEL_ACCOUNT);
		main->nr_ptimers = r->nr_ptimers;
		if (!main->ptimer)
			ret = -ENOMEM;
	}
	if (!ret && r->nr_fowns) {
		main->fown = kvmemdup(r->fown, r->nr_fowns * sizeof(*r->fown), GFP_KERNEL_ACCOUNT);
		main->nr_fowns = r->nr_fowns;
		if (!main->fown)
			ret = -ENOMEM;
	}
	/* Handed over: released once the restore is complete. */
	main->closing = r->closing;
	r->closing = NULL;
	if (!ret && r->sfilter) {
		main->sfilter = kvmemdup(r->sfilter, r->sfilter_len, GFP_KERNEL_ACCOUNT);
		main->sfilter_len = r->sfilter_len;
		if (!main->sfilter)
			ret = -ENOMEM;
	}
	if (!ret)
		ret = cr_restore_timerfds_plan(r, &main->timerfd, &main->nr_timerfds);
	if (!ret) {
		main->pidfd = cr_restore_pidfds_plan(r);
		if (IS_ERR(main->pidfd)) {
			ret = PTR_ERR(main->pidfd);
			main->pidfd = NULL;
		}
	}
	for (i = 0; !ret && i < r->nr_threads; i++) {
		if (i == r->main)
			continue;
		main->others[n] = cr_thread_plan(&r->thread[i]);
		if (!main->others[n])
			ret = -ENOMEM;
		else
			main->nr_others = ++n;
	}
	init_task_work(&main->work, cr_main_work);
	if (!ret)
		ret = task_work_add(current, &main->work, TWA_RESUME);
	if (ret)
		cr_main_plan_free(main);
	return ret;
}
