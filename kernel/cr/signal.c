// SPDX-License-Identifier: GPL-2.0
/*
 * Signals: dispositions, masks, the alternate stack, and where a thread
 * was in restart_syscall().
 *
 * Checkpoint: NT_SIGINFO (the SIGCKPT that started it, as a core dump
 * records its signal), NT_CR_SIGHAND with the 64 dispositions of the
 * process, and per thread NT_CR_THREAD (blocked mask, sigaltstack, and
 * the remaining time of an interrupted relative sleep) and
 * NT_CR_SIGPENDING (queued signals with their siginfo).
 *
 * Restore: dispositions through do_sigaction(), which applies the same
 * rules as sigaction(2); the mask as sigprocmask(2) would set it; a
 * sleep interrupted by the checkpoint resumes with the time it had left.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/futex.h>
#include <linux/hrtimer.h>
#include <linux/restart_block.h>
#include <linux/sched.h>
#include <linux/sched/jobctl.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/time.h>
#include <linux/timekeeping.h>
#include <asm/unistd.h>

/* Checkpoint */

static int cr_dump_siginfo(struct cr_dump *d)
{
	struct siginfo *si;
	int ret;

	si = kzalloc(sizeof(*si), GFP_KERNEL);
	if (!si)
		return -ENOMEM;
	copy_siginfo_to_external(si, d->siginfo);
	ret = cr_dump_note(d, "CORE", NT_SIGINFO, si, sizeof(*si));
	kfree(si);
	return ret;
}

/**
 * cr_dump_signal - the signal state of the process of @t
 * @d: image being written
 * @t: its first thread
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_signal(struct cr_dump *d, struct task_struct *t)
{
	struct cr_sigaction *sa;
	unsigned int i;
	int ret;

	ret = cr_dump_siginfo(d);
	if (ret)
		return ret;
	sa = kcalloc(CR_NSIG, sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return -ENOMEM;
	spin_lock_irq(&t->sighand->siglock);
	for (i = 0; i < CR_NSIG; i++) {
		const struct k_sigaction *k = &t->sighand->action[i];

		sa[i].handler = (unsigned long)k->sa.sa_handler;
		sa[i].flags = k->sa.sa_flags & UAPI_SA_FLAGS;
		sa[i].restorer = (unsigned long)k->sa.sa_restorer;
		sa[i].mask = k->sa.sa_mask.sig[0];
	}
	spin_unlock_irq(&t->sighand->siglock);
	ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SIGHAND, sa, CR_NSIG * sizeof(*sa));
	kfree(sa);
	return ret;
}

static clockid_t cr_sleep_clock(clockid_t id)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		return id;
	}
	return -1;
}

static ktime_t cr_clock_now(clockid_t id)
{
	switch (id) {
	case CLOCK_REALTIME:
		return ktime_get_real();
	case CLOCK_BOOTTIME:
		return ktime_get_boottime();
	case CLOCK_TAI:
		return ktime_get_clocktai();
	}
	return ktime_get();
}

/*
 * A relative nanosleep() or clock_nanosleep() interrupted by the
 * checkpoint left -ERESTART_RESTARTBLOCK and its absolute end in the
 * restart block; the image keeps the time left, so the sleep resumes for
 * that long at restore, whenever that is. Other restart blocks (CPU-time
 * sleeps, poll and futex timeouts) are not kept: restart_syscall()
 * returns -EINTR to them after a restore, which is documented.
 */
static void cr_dump_restart(struct cr_hdr_thread *th, struct task_struct *t,
			    long ax, long nr)
{
	struct restart_block *rb = &t->restart_block;
	clockid_t id;
	s64 left;

	if (ax != -ERESTART_RESTARTBLOCK ||
	    (nr != __NR_nanosleep && nr != __NR_clock_nanosleep))
		return;
	id = cr_sleep_clock(rb->nanosleep.clockid);
	if (id < 0 || rb->nanosleep.type == TT_COMPAT)
		return;
	left = rb->nanosleep.expires - ktime_to_ns(cr_clock_now(id));
	th->restart = CR_RESTART_NANOSLEEP;
	th->restart_clockid = id;
	th->restart_remaining_ns = max_t(s64, left, 0);
	th->restart_rmtp = rb->nanosleep.type == TT_NATIVE ?
			   (unsigned long)rb->nanosleep.rmtp : 0;
}

/* One pending signal, into @out[*@nr] if there is room (@max); counted. */
static int cr_dump_signo(struct cr_sigpending *out, unsigned int max, unsigned int *nr,
			 const kernel_siginfo_t *info, bool shared)
{
	if (*nr == CR_MAX_SIGPENDING)
		return -E2BIG;
	if (*nr < max) {
		out[*nr].shared = shared;
		copy_siginfo_to_external((void *)out[*nr].info, info);
	}
	(*nr)++;
	return 0;
}

/*
 * Append the signals of @pending, each with its queued siginfo if any,
 * to @out while there is room (@max of them), counting them all in @nr.
 */
static int cr_dump_queue(struct cr_sigpending *out, unsigned int max, unsigned int *nr,
			 struct sigpending *pending, bool shared)
{
	struct sigqueue *q;
	int sig, ret;

	for (sig = 1; sig <= CR_NSIG; sig++) {
		bool queued = false;

		if (!sigismember(&pending->signal, sig))
			continue;
		list_for_each_entry(q, &pending->list, list) {
			if (q->info.si_signo != sig)
				continue;
			ret = cr_dump_signo(out, max, nr, &q->info, shared);
			if (ret)
				return ret;
			queued = true;
		}
		if (!queued) {
			kernel_siginfo_t info = {
				.si_signo = sig,
				.si_code = SI_KERNEL,
			};

			ret = cr_dump_signo(out, max, nr, &info, shared);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * NT_CR_SIGPENDING: the thread's queue, then the process's. The buffer is
 * as large as what is pending (signals from outside may still come: then
 * once more, larger), not CR_MAX_SIGPENDING entries for every thread.
 */
static int cr_dump_sigpending(struct cr_dump *d, struct task_struct *t,
			      bool process)
{
	struct cr_sigpending none, *p = &none;
	unsigned int nr, max = 0;
	int ret;

	for (;;) {
		nr = 0;
		spin_lock_irq(&t->sighand->siglock);
		ret = cr_dump_queue(p, max, &nr, &t->pending, false);
		if (!ret && process)
			ret = cr_dump_queue(p, max, &nr, &t->signal->shared_pending, true);
		spin_unlock_irq(&t->sighand->siglock);
		if (ret || nr <= max)
			break;
		if (p != &none)
			kvfree(p);
		max = min_t(unsigned int, nr + 8, CR_MAX_SIGPENDING);
		p = kvcalloc(max, sizeof(*p), GFP_KERNEL_ACCOUNT);
		if (!p)
			return -ENOMEM;
	}
	if (ret)
		cr_refuse(current->comm, "checkpoint refused: more than %u pending signals",
			  CR_MAX_SIGPENDING);
	else
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SIGPENDING, p, nr * sizeof(*p));
	if (p != &none)
		kvfree(p);
	return ret;
}

/**
 * cr_dump_thread - NT_CR_THREAD of thread @t
 * @d: image being written
 * @t: the thread
 * @ax: its ax register as the checkpoint found it
 * @nr: its syscall number, or -1
 * @first: the first thread of the image, which also holds the process's
 *	pending signals
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_thread(struct cr_dump *d, struct task_struct *t, long ax, long nr,
		   bool first)
{
	struct cr_hdr_thread th = {};
	int ret;

	th.blocked = t->blocked.sig[0];
	th.sas_ss_sp = t->sas_ss_sp;
	th.sas_ss_size = t->sas_ss_size;
	th.sas_ss_flags = t->sas_ss_flags;
	th.tid = task_pid_vnr(t);
	get_task_comm(th.comm, t);
	if (thread_group_leader(t))
		th.flags |= CR_THREAD_LEADER;
	th.clear_child_tid = (unsigned long)t->clear_child_tid;
#ifdef CONFIG_FUTEX
	th.robust_list = (unsigned long)t->robust_list;
	if (th.robust_list)
		th.robust_list_len = sizeof(*t->robust_list);
#endif
#ifdef CONFIG_RSEQ
	th.rseq = (unsigned long)t->rseq;
	th.rseq_len = t->rseq_len;
	th.rseq_sig = t->rseq_sig;
#endif
	cr_dump_restart(&th, t, ax, nr);
	ret = cr_dump_sched(&th.sched, t);
	if (!ret)
		ret = cr_dump_thread_attrs(&th, t);
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_THREAD, &th, sizeof(th));
	if (!ret)
		ret = cr_dump_sigpending(d, t, first);
	return ret;
}

/* Restore */

int cr_restore_signal_prepare(struct cr_restore *r)
{
	return cr_rule_sighand(r->img->name,
			       cr_image_find_note(r->img, true, NT_CR_SIGHAND),
			       r->sigaction);
}

/**
 * cr_restore_thread_pending - copy the pending signals of a thread
 * @t: the thread, filled in
 * @pn: its NT_CR_SIGPENDING, checked by cr_rule_sigpending()
 *
 * Return: 0 or -ENOMEM.
 */
int cr_restore_thread_pending(struct cr_restore_thread *t, const struct cr_note *pn)
{
	t->nr_pending = pn->size / sizeof(struct cr_sigpending);
	t->pending = kvmalloc_array(t->nr_pending, sizeof(*t->pending), GFP_KERNEL_ACCOUNT);
	if (t->nr_pending && !t->pending)
		return -ENOMEM;
	memcpy(t->pending, pn->desc, pn->size);
	return 0;
}

/*
 * restart_syscall() after a restore: sleep for the time left, as a new
 * relative sleep, which keeps the rules of nanosleep(2) (remaining time
 * written on interruption, a new restart block).
 */
static long cr_nanosleep_restart(struct restart_block *rb)
{
	ktime_t left = ktime_sub(rb->nanosleep.expires,
				 cr_clock_now(rb->nanosleep.clockid));

	if (left <= 0)
		return 0;
	return hrtimer_nanosleep(left, HRTIMER_MODE_REL, rb->nanosleep.clockid);
}

/**
 * cr_restore_thread_signals - signal state of the current thread
 * @t: its checked notes
 *
 * The mask first, so that a pending signal the thread blocked stays
 * pending. Runs in the exec'ing task, or in a new thread before it
 * returns to user space.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_thread_signals(const struct cr_restore_thread *t)
{
	const struct cr_hdr_thread *th = &t->th;
	struct restart_block *rb = &current->restart_block;
	sigset_t blocked;
	unsigned int i;
	int ret;

	blocked.sig[0] = th->blocked;
	sigdelsetmask(&blocked, sigmask(SIGKILL) | sigmask(SIGSTOP));
	set_current_blocked(&blocked);

	current->sas_ss_sp = th->sas_ss_sp;
	current->sas_ss_size = th->sas_ss_size;
	current->sas_ss_flags = th->sas_ss_flags;

	/*
	 * Any other restart_syscall() gets -EINTR, never what the exec
	 * caller's restart block happened to hold.
	 */
	set_restart_fn(rb, do_no_restart_syscall);
	if (th->restart == CR_RESTART_NANOSLEEP) {
		rb->nanosleep.clockid = th->restart_clockid;
		rb->nanosleep.expires = ktime_add_ns(cr_clock_now(th->restart_clockid),
						     th->restart_remaining_ns);
		rb->nanosleep.rmtp = (void __user *)(unsigned long)th->restart_rmtp;
		rb->nanosleep.type = th->restart_rmtp ? TT_NATIVE : TT_NONE;
		set_restart_fn(rb, cr_nanosleep_restart);
	}

	/* Pending signals, queued again in their order, as the kernel would. */
	for (i = 0; i < t->nr_pending; i++) {
		const struct cr_sigpending *p = &t->pending[i];
		kernel_siginfo_t info;

		memcpy(&info, p->info, sizeof(info));
		spin_lock_irq(&current->sighand->siglock);
		ret = send_signal_locked(info.si_signo, &info, current,
					 p->shared ? PIDTYPE_TGID : PIDTYPE_PID);
		spin_unlock_irq(&current->sighand->siglock);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * cr_restore_signal - signal state, after the point of no return
 * @r: a prepared plan
 *
 * The dispositions of the process, and the state of the thread exec
 * turns into; the other threads restore theirs as they start.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_signal(struct cr_restore *r)
{
	unsigned int i;
	int ret;

	for (i = 0; i < CR_NSIG; i++) {
		const struct cr_sigaction *sa = &r->sigaction[i];
		struct k_sigaction k = {};

		if (sig_kernel_only(i + 1))
			continue;
		k.sa.sa_handler = (__sighandler_t)(unsigned long)sa->handler;
		k.sa.sa_flags = sa->flags;
		k.sa.sa_restorer = (__sigrestore_t)(unsigned long)sa->restorer;
		k.sa.sa_mask.sig[0] = sa->mask;
		ret = do_sigaction(i + 1, &k, NULL);
		if (ret)
			return ret;
	}
	return cr_restore_thread_signals(&r->thread[r->main]);
}

/**
 * cr_restore_stop - a thread of a process stopped by job control stops
 * @t: its plan
 *
 * Last, on its way to user space: get_signal() stops it, as a group stop
 * would, its registers those of the image. In a descendant, nobody is
 * told (its parent was, before the checkpoint): the process is stopped,
 * with the stop signal wait(WUNTRACED) had not collected yet, if any.
 * The root's parent is new: the last of its threads to stop tells it
 * (SIGCHLD, and wait(WUNTRACED) reports the stop signal).
 */
void cr_restore_stop(const struct cr_restore_thread *t)
{
	struct signal_struct *sig = current->signal;

	if (!t->stopped)
		return;
	spin_lock_irq(&current->sighand->siglock);
	if (t->stop_notify) {
		sig->group_exit_code = t->stop_code ?: SIGSTOP;
		sig->group_stop_count++;
		current->jobctl |= JOBCTL_STOP_CONSUME;
	} else if (!(sig->flags & SIGNAL_STOP_STOPPED)) {
		signal_set_stop_flags(sig, SIGNAL_STOP_STOPPED);
		sig->group_exit_code = t->stop_code;
	}
	current->jobctl |= JOBCTL_STOP_PENDING | ((t->stop_code ?: SIGSTOP) & JOBCTL_STOP_SIGMASK);
	set_thread_flag(TIF_SIGPENDING);
	spin_unlock_irq(&current->sighand->siglock);
	/*
	 * A parent already in wait(WUNTRACED), restored with it, looks
	 * again: its child is stopped now (it is not signalled again).
	 */
	if (!t->stop_notify) {
		read_lock(&tasklist_lock);
		__wake_up_parent(current->group_leader, current->group_leader->real_parent);
		read_unlock(&tasklist_lock);
	}
}
