// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: the interval timers of a process (setitimer(2), alarm(2)).
 *
 * Checkpoint: NT_CR_ITIMERS, in each process's image: the time each of
 * ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF has left and its interval,
 * in nanoseconds (of real time for the first, of the process's CPU time,
 * user or user and system, for the others). POSIX timers (timer_create(2))
 * refuse the checkpoint: they are not saved yet.
 *
 * Restore: each is armed again with the time it had left, counted from
 * the restore, as an interrupted sleep is: the time between the
 * checkpoint and the restore does not count (for the CPU-time timers,
 * the CPU time the restored process uses from then on). A restore always
 * sets all three, disarmed when the image has none: the exec caller's
 * timers, which exec keeps, must not reach the restored process.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/hrtimer.h>
#include <linux/posix-timers.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>

/* Checkpoint */

static const char *cr_timers_refusal(struct task_struct *t)
{
	if (!hlist_empty(&t->signal->posix_timers))
		return "the process has POSIX timers (timer_create)";
	return NULL;
}

/* As getitimer(2) reads a CPU-time timer; caller holds ->siglock. */
static void cr_dump_cpu_itimer(struct cr_itimer *it, unsigned int clock_id)
{
	struct cpu_itimer *cit = &current->signal->it[clock_id];
	u64 samples[CPUCLOCK_MAX];

	if (!cit->expires)
		return;
	thread_group_sample_cputime(current, samples);
	/* One about to fire has a tick left. */
	it->value_ns = cit->expires > samples[clock_id] ?
		       cit->expires - samples[clock_id] : TICK_NSEC;
	it->interval_ns = cit->incr;
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
	cr_dump_cpu_itimer(&it[CR_ITIMER_VIRTUAL], CPUCLOCK_VIRT);
	cr_dump_cpu_itimer(&it[CR_ITIMER_PROF], CPUCLOCK_PROF);
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

/* A CPU-time timer of the current process, as setitimer(2) sets it. */
static void cr_set_cpu_itimer(unsigned int clock_id, u64 value, u64 interval)
{
	struct cpu_itimer *it = &current->signal->it[clock_id];
	u64 oval = 0;

	/* The time saved includes the tick setitimer(2) adds: not again. */
	spin_lock_irq(&current->sighand->siglock);
	if (it->expires || value)
		set_process_cpu_timer(current, clock_id, &value, &oval);
	it->expires = value;
	it->incr = value ? interval : 0;
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
	cr_set_cpu_itimer(CPUCLOCK_VIRT, r->itimer[CR_ITIMER_VIRTUAL].value_ns,
			  r->itimer[CR_ITIMER_VIRTUAL].interval_ns);
	cr_set_cpu_itimer(CPUCLOCK_PROF, r->itimer[CR_ITIMER_PROF].value_ns,
			  r->itimer[CR_ITIMER_PROF].interval_ns);
}
