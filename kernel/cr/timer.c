// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: the interval timers of a process (setitimer(2), alarm(2)).
 *
 * Checkpoint: NT_CR_ITIMERS, in each process's image: the time
 * ITIMER_REAL has left and its interval, in nanoseconds. ITIMER_VIRTUAL
 * and ITIMER_PROF, which count the process's CPU time, and POSIX timers
 * (timer_create(2)) refuse the checkpoint: they are not saved yet.
 *
 * Restore: ITIMER_REAL is armed again with the time it had left, counted
 * from the restore, as an interrupted sleep is: the time between the
 * checkpoint and the restore does not count. A restore always sets it,
 * disarmed when the image has no timer: the exec caller's alarm, which
 * exec keeps, must not reach the restored process.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/hrtimer.h>
#include <linux/posix-timers.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

/* Checkpoint */

static const char *cr_timers_refusal(struct task_struct *t)
{
	struct signal_struct *sig = t->signal;

	if (sig->it[CPUCLOCK_PROF].expires || sig->it[CPUCLOCK_VIRT].expires)
		return "an ITIMER_PROF or ITIMER_VIRTUAL timer is armed";
	if (!hlist_empty(&sig->posix_timers))
		return "the process has POSIX timers (timer_create)";
	return NULL;
}

/**
 * cr_dump_timers - NT_CR_ITIMERS of the current process
 * @d: image being written
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_timers(struct cr_dump *d)
{
	struct signal_struct *sig = current->signal;
	struct cr_itimer it[CR_NR_ITIMERS] = {};
	const char *why;

	why = cr_timers_refusal(current);
	if (why) {
		cr_refuse(current->comm, "checkpoint refused: %s, which is not saved yet", why);
		return -EOPNOTSUPP;
	}
	/* As getitimer(2): a timer about to fire has a microsecond left. */
	spin_lock_irq(&current->sighand->siglock);
	if (hrtimer_active(&sig->real_timer)) {
		ktime_t rem = hrtimer_get_remaining(&sig->real_timer);

		it[CR_ITIMER_REAL].value_ns = rem > 0 ? rem : NSEC_PER_USEC;
		it[CR_ITIMER_REAL].interval_ns = sig->it_real_incr;
	}
	spin_unlock_irq(&current->sighand->siglock);
	return cr_dump_note(d, CR_NOTE_NAME, NT_CR_ITIMERS, it, sizeof(it));
}

/* Restore */

/**
 * cr_restore_timers_prepare - check NT_CR_ITIMERS into the plan
 * @r: restore plan
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_timers_prepare(struct cr_restore *r)
{
	return cr_rule_itimers(r->img->name, cr_image_find_note(r->img, true, NT_CR_ITIMERS),
			       r->itimer);
}

/* ITIMER_REAL of the current process, as setitimer(2) sets it. */
static void cr_set_real_timer(ktime_t value, ktime_t interval)
{
	struct hrtimer *timer = &current->signal->real_timer;

again:
	spin_lock_irq(&current->sighand->siglock);
	/* The timer's function takes ->siglock too. */
	if (hrtimer_try_to_cancel(timer) < 0) {
		spin_unlock_irq(&current->sighand->siglock);
		hrtimer_cancel_wait_running(timer);
		goto again;
	}
	current->signal->it_real_incr = value ? interval : 0;
	if (value)
		hrtimer_start(timer, value, HRTIMER_MODE_REL);
	spin_unlock_irq(&current->sighand->siglock);
}

/**
 * cr_restore_timers - arm the process's timers as the image has them
 * @r: a prepared plan, in the restored process after the point of no
 *	return
 */
void cr_restore_timers(struct cr_restore *r)
{
	cr_set_real_timer(r->itimer[CR_ITIMER_REAL].value_ns,
			  r->itimer[CR_ITIMER_REAL].interval_ns);
}
