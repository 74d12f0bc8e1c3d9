// SPDX-License-Identifier: GPL-2.0
/*
 * Timers: the interval timers of a process (setitimer(2), alarm(2)).
 *
 * Checkpoint: NT_CR_ITIMERS, in each process's image: the time each of
 * ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF has left and its interval,
 * in nanoseconds (of real time for the first, of the process's CPU time,
 * user or user and system, for the others). NT_CR_POSIX_TIMERS, when it
 * has any: each POSIX timer (timer_create(2)) with its id, clock,
 * sigevent, overrun count and setting, and on a thread's CPU clock, the
 * thread. A timer on another process's CPU clock refuses the checkpoint.
 *
 * Restore: each is armed again with the time it had left, counted from
 * the restore, as an interrupted sleep is: the time between the
 * checkpoint and the restore does not count (for the CPU-time timers,
 * the CPU time the restored process uses from then on). A restore always
 * sets all three, disarmed when the image has none: the exec caller's
 * timers, which exec keeps, must not reach the restored process. POSIX
 * timers (which exec deletes) are made again with their ids by the main
 * thread once it made the others, which they may signal; the same rule
 * for the time left, but an absolute CLOCK_REALTIME timer expires at its
 * wall-clock time (at once, if that passed). A timer's signal that was
 * pending comes back with the pending signals.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/alarmtimer.h>
#include <linux/capability.h>
#include <linux/hrtimer.h>
#include <linux/posix-timers.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>

/* Checkpoint */


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

static s64 cr_timespec_ns(const struct timespec64 *ts)
{
	return timespec64_to_ns(ts);
}

/* One POSIX timer, as the image has it; why it cannot hold it, or NULL. */
static const char *cr_dump_posix_timer(struct cr_posix_timer *c,
				       const struct posix_timer_cr *t)
{
	c->id = t->id;
	c->clock = t->clock;
	c->notify = t->notify;
	c->signo = t->signo;
	c->value = (unsigned long)t->value.sival_ptr;
	c->tid = t->notify == SIGEV_THREAD_ID ? t->tid : 0;
	c->overrun = t->overrun;
	if (t->abs)
		c->flags |= CR_POSIX_TIMER_ABSTIME;
	c->value_ns = cr_timespec_ns(&t->setting.it_value);
	c->interval_ns = cr_timespec_ns(&t->setting.it_interval);
	if (t->clock < 0) {
		/* A CPU clock: its id names its thread or process as its creator did. */
		bool thread = CPUCLOCK_PERTHREAD(t->clock), ours;
		struct task_struct *p;

		c->clock = thread ? make_thread_cpuclock(0, CPUCLOCK_WHICH(t->clock)) :
				    make_process_cpuclock(0, CPUCLOCK_WHICH(t->clock));
		if (!t->cpu_pid)
			return "is on the CPU clock of a thread or process that has exited";
		rcu_read_lock();
		p = find_task_by_vpid(t->cpu_pid);
		ours = p && (thread ? same_thread_group(p, current) :
				      t->cpu_pid == task_tgid_vnr(current));
		rcu_read_unlock();
		if (!ours)
			return "is on another process's CPU clock, which is not saved yet";
		c->cpu_tid = thread ? t->cpu_pid : 0;
	}
	if (!cr_rule_timer_clock(c->clock))
		return "is on a clock that is not saved yet";
	/* Its thread is gone: a restore could signal none. */
	if (t->notify == SIGEV_THREAD_ID && t->tid <= 0)
		return "signals a thread that has exited";
	return NULL;
}

static int cr_posix_timer_cmp(const void *a, const void *b)
{
	const struct cr_posix_timer *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* NT_CR_POSIX_TIMERS of the current process, if it has any. */
static int cr_dump_posix_timers(struct cr_dump *d)
{
	struct posix_timer_cr *t = NULL;
	struct cr_posix_timer *c = NULL;
	int n, i, ret = 0;

	n = posix_timers_cr_get(NULL, 0);
	if (n <= 0)
		return n;
	if (n > CR_MAX_POSIX_TIMERS) {
		cr_refuse(current->comm, "checkpoint refused: %d POSIX timers, more than %u",
			  n, CR_MAX_POSIX_TIMERS);
		return -E2BIG;
	}
	t = kvcalloc(n, sizeof(*t), GFP_KERNEL);
	c = kvcalloc(n, sizeof(*c), GFP_KERNEL);
	if (!t || !c) {
		ret = -ENOMEM;
		goto out;
	}
	/* The process is frozen: none made or deleted since. */
	ret = posix_timers_cr_get(t, n);
	if (ret >= 0 && ret != n)
		ret = -EAGAIN;
	if (ret < 0)
		goto out;
	ret = 0;
	for (i = 0; i < n; i++) {
		const char *why = cr_dump_posix_timer(&c[i], &t[i]);

		if (why) {
			cr_refuse(current->comm, "checkpoint refused: POSIX timer %d (clock %d) %s",
				  t[i].id, t[i].clock, why);
			ret = -EOPNOTSUPP;
			goto out;
		}
	}
	sort(c, n, sizeof(*c), cr_posix_timer_cmp, NULL);
	ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_POSIX_TIMERS, c, n * sizeof(*c));
out:
	kvfree(t);
	kvfree(c);
	return ret;
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
	int ret;

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
	ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_ITIMERS, it, sizeof(it));
	return ret ?: cr_dump_posix_timers(d);
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
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_POSIX_TIMERS);
	const char *name = r->img->name;
	unsigned int i, j;
	u32 nr;
	int ret;

	ret = cr_rule_itimers(name, cr_image_find_note(r->img, true, NT_CR_ITIMERS), r->itimer);
	if (!ret)
		ret = cr_rule_posix_timers(name, note, &nr);
	if (ret || !nr)
		return ret;
	r->ptimer = kvmalloc_array(nr, sizeof(*r->ptimer), GFP_KERNEL_ACCOUNT);
	if (!r->ptimer)
		return -ENOMEM;
	memcpy(r->ptimer, note->desc, nr * sizeof(*r->ptimer));
	r->nr_ptimers = nr;
	/* What the image and the caller allow, as timer_create(2) checks. */
	for (i = 0; i < nr; i++) {
		const struct cr_posix_timer *t = &r->ptimer[i];

		if ((t->clock == CLOCK_REALTIME_ALARM || t->clock == CLOCK_BOOTTIME_ALARM) &&
		    (!alarmtimer_get_rtcdev() || !capable(CAP_WAKE_ALARM))) {
			cr_refuse(name, "POSIX timer %d on an alarm clock needs CAP_WAKE_ALARM and an RTC",
				  t->id);
			return -EPERM;
		}
		for (j = 0; t->cpu_tid && j < r->nr_threads &&
			    r->thread[j].th.tid != t->cpu_tid; j++)
			;
		if (j == r->nr_threads) {
			cr_refuse(name, "POSIX timer %d is on the CPU clock of thread %d, not one of the process",
				  t->id, t->cpu_tid);
			return -EINVAL;
		}
		if (t->notify != SIGEV_THREAD_ID)
			continue;
		for (j = 0; j < r->nr_threads && r->thread[j].th.tid != t->tid; j++)
			;
		if (j == r->nr_threads) {
			cr_refuse(name, "POSIX timer %d signals thread %d, not one of the process",
				  t->id, t->tid);
			return -EINVAL;
		}
	}
	return 0;
}

void cr_restore_timers_free(struct cr_restore *r)
{
	kvfree(r->ptimer);
	r->ptimer = NULL;
}

static struct timespec64 cr_ns_timespec(s64 ns)
{
	return ns_to_timespec64(ns);
}

/**
 * cr_restore_posix_timers - make the process's POSIX timers again
 * @t: its timers, checked by cr_restore_timers_prepare()
 * @nr: how many
 * @tid: the number each thread of the image has now, by its image number
 * @arg: for @tid
 *
 * In the main thread, once it created the others (a timer may signal
 * one), before the process runs: each timer with its id, armed with the
 * time it had left, counted from now (an absolute CLOCK_REALTIME one at
 * its wall-clock time).
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_posix_timers(const struct cr_posix_timer *t, unsigned int nr,
			    pid_t (*tid)(void *arg, pid_t tid), void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++) {
		struct posix_timer_cr c = {
			.id = t[i].id,
			.clock = t[i].clock,
			.notify = t[i].notify,
			.signo = t[i].signo,
			.value.sival_ptr = (void __user *)(unsigned long)t[i].value,
			.tid = t[i].notify == SIGEV_THREAD_ID ? tid(arg, t[i].tid) : 0,
			.cpu_pid = t[i].cpu_tid ? tid(arg, t[i].cpu_tid) : 0,
			.overrun = t[i].overrun,
			.abs = t[i].flags & CR_POSIX_TIMER_ABSTIME,
			.setting.it_value = cr_ns_timespec(t[i].value_ns),
			.setting.it_interval = cr_ns_timespec(t[i].interval_ns),
		};

		ret = posix_timer_cr_create(&c);
		if (ret) {
			pr_warn_ratelimited("cr: %s: cannot make POSIX timer %d again (%d)\n",
					    current->comm, t[i].id, ret);
			return ret;
		}
	}
	return 0;
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
