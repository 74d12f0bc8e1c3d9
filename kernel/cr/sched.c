// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling: each thread's policy and priority (sched_setattr(2)), nice
 * value, time slice (sched_runtime of a fair policy), CPU affinity
 * (sched_setaffinity(2)) and timer slack (prctl PR_SET_TIMERSLACK).
 *
 * Checkpoint: struct cr_sched in each thread's NT_CR_THREAD. The affinity
 * is the mask the thread asked for (the cpuset may have narrowed it); one
 * covering every possible CPU is saved as "every CPU". Utilization clamps
 * (SCHED_FLAG_UTIL_CLAMP), SCHED_DEADLINE's reclaim and overrun flags and
 * other policies (sched_ext) refuse the checkpoint: they are not saved yet.
 *
 * Restore: before the point of no return, each thread's scheduling is
 * checked against what the exec caller may set, by the rules
 * sched_setattr(2) applies to an unprivileged caller (RLIMIT_RTPRIO and
 * RLIMIT_NICE as the image restores them, else CAP_SYS_NICE): what it may
 * not set fails the exec with EPERM, instead of a thread coming back at
 * another priority. An affinity is restored on the CPUs of the mask that
 * the restoring process may use (its cpuset); a mask with none of them
 * fails the exec with EINVAL. Each thread then sets its own, with the
 * checks of sched_setattr(2), on its way to user space.
 */
#include <linux/cr.h>
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/cpuset.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sched/rt.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <uapi/linux/sched/types.h>

/* Checkpoint */

/* The mask @t asked for, into @s; false when it has CPUs past the format's. */
static bool cr_dump_affinity(struct cr_sched *s, struct task_struct *t)
{
	const struct cpumask *mask;
	unsigned long flags;
	unsigned int cpu;
	bool ok = true;

	raw_spin_lock_irqsave(&t->pi_lock, flags);
	mask = t->user_cpus_ptr ?: &t->cpus_mask;
	if (!cpumask_subset(cpu_possible_mask, mask)) {
		s->nr_cpus = min_t(unsigned int, nr_cpu_ids, CR_SCHED_MAX_CPUS);
		for_each_cpu(cpu, mask) {
			if (cpu >= CR_SCHED_MAX_CPUS) {
				ok = false;
				break;
			}
			s->cpus[cpu / 64] |= 1ULL << (cpu % 64);
		}
	}
	raw_spin_unlock_irqrestore(&t->pi_lock, flags);
	return ok;
}

/**
 * cr_dump_sched - the scheduling of thread @t
 * @s: filled in
 * @t: a thread of the process being checkpointed, parked or current
 *
 * Return: 0, or -EOPNOTSUPP after saying why.
 */
int cr_dump_sched(struct cr_sched *s, struct task_struct *t)
{
	const char *why = NULL;

	/* A policy or flag a restore could not set again is refused here. */
	if (t->policy != SCHED_NORMAL && t->policy != SCHED_BATCH && t->policy != SCHED_IDLE &&
	    t->policy != SCHED_FIFO && t->policy != SCHED_RR && t->policy != SCHED_DEADLINE)
		why = "a scheduling policy (sched_ext...) that is not saved";
	else if (t->policy == SCHED_DEADLINE && t->dl.flags)
		why = "SCHED_DEADLINE flags (SCHED_FLAG_RECLAIM, SCHED_FLAG_DL_OVERRUN), which are not saved yet";
	s->policy = t->policy;
	s->nice = task_nice(t);
	if (t->sched_reset_on_fork)
		s->flags |= CR_SCHED_RESET_ON_FORK;
	if (t->policy == SCHED_FIFO || t->policy == SCHED_RR)
		s->priority = t->rt_priority;
	if ((t->policy == SCHED_NORMAL || t->policy == SCHED_BATCH) && t->se.custom_slice)
		s->runtime = t->se.slice;
	if (t->policy == SCHED_DEADLINE) {
		s->runtime = t->dl.dl_runtime;
		s->deadline = t->dl.dl_deadline;
		s->period = t->dl.dl_period;
	}
	s->timer_slack_ns = t->timer_slack_ns;
	s->default_slack_ns = t->default_timer_slack_ns;
	task_lock(t);
	if (t->io_context)
		s->ioprio = t->io_context->ioprio;
	task_unlock(t);
	if (!cr_dump_affinity(s, t) && !why)
		why = "a CPU affinity with CPUs past the image's 1024";
#ifdef CONFIG_UCLAMP_TASK
	if (t->uclamp_req[UCLAMP_MIN].user_defined || t->uclamp_req[UCLAMP_MAX].user_defined)
		why = "utilization clamps (SCHED_FLAG_UTIL_CLAMP), which are not saved yet";
#endif
	if (!why)
		return 0;
	cr_refuse(current->comm, "checkpoint refused: thread %d has %s",
		  task_pid_vnr(t), why);
	return -EOPNOTSUPP;
}

/* Restore */

/* The CPUs of @s, into @mask: every possible one for "every CPU". */
static void cr_sched_mask(const struct cr_sched *s, struct cpumask *mask)
{
	unsigned int cpu;

	if (!s->nr_cpus) {
		cpumask_copy(mask, cpu_possible_mask);
		return;
	}
	cpumask_clear(mask);
	for (cpu = 0; cpu < s->nr_cpus && cpu < nr_cpu_ids; cpu++)
		if (s->cpus[cpu / 64] & (1ULL << (cpu % 64)))
			cpumask_set_cpu(cpu, mask);
}

/* sched_setattr(2)'s rules for an unprivileged caller, on the exec caller. */
static bool cr_sched_permitted(const struct cr_sched *s, const struct cr_hdr_process *h)
{
	u64 rtprio = h->rlim[RLIMIT_RTPRIO].cur, nice = h->rlim[RLIMIT_NICE].cur;
	struct task_struct *p = current;

	if (capable(CAP_SYS_NICE))
		return true;
	if (s->policy == SCHED_DEADLINE)
		return false;
	/* The nice value is kept under every policy: checked under each. */
	if (s->nice < task_nice(p) && nice_to_rlimit(s->nice) > nice)
		return false;
	if ((s->policy == SCHED_FIFO || s->policy == SCHED_RR) &&
	    ((s->policy != p->policy && !rtprio) ||
	     (s->priority > p->rt_priority && s->priority > rtprio)))
		return false;
	if (p->policy == SCHED_IDLE && s->policy != SCHED_IDLE &&
	    nice_to_rlimit(task_nice(p)) > nice)
		return false;
	if (p->sched_reset_on_fork && !(s->flags & CR_SCHED_RESET_ON_FORK))
		return false;
	return true;
}

/**
 * cr_restore_sched_prepare - check the threads' scheduling for this caller
 * @r: restore plan, its process attributes prepared
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_sched_prepare(struct cr_restore *r)
{
	cpumask_var_t mask, allowed;
	unsigned int i;
	int ret = 0;

	if (!alloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	if (!alloc_cpumask_var(&allowed, GFP_KERNEL)) {
		free_cpumask_var(mask);
		return -ENOMEM;
	}
	cpuset_cpus_allowed(current, allowed);
	cpumask_and(allowed, allowed, cpu_active_mask);
	for (i = 0; !ret && i < r->nr_threads; i++) {
		const struct cr_sched *s = &r->thread[i].th.sched;

		if (!cr_sched_permitted(s, &r->process)) {
			cr_refuse(r->img->name, "thread %u: policy %u, priority %u, nice %d: the caller may not set them (CAP_SYS_NICE, RLIMIT_RTPRIO, RLIMIT_NICE)",
				  r->thread[i].th.tid, s->policy, s->priority, s->nice);
			ret = -EPERM;
			break;
		}
		if (s->ioprio && ioprio_check_cap(s->ioprio)) {
			ret = ioprio_check_cap(s->ioprio);
			cr_refuse(r->img->name, "thread %u: I/O priority %#x: the caller may not set it (%d: CAP_SYS_NICE, CAP_SYS_ADMIN)",
				  r->thread[i].th.tid, s->ioprio, ret);
			break;
		}
		cr_sched_mask(s, mask);
		if (!cpumask_intersects(mask, allowed)) {
			cr_refuse(r->img->name, "thread %u: none of the CPUs of its affinity (%*pbl) may be used here (%*pbl)",
				  r->thread[i].th.tid, cpumask_pr_args(mask),
				  cpumask_pr_args(allowed));
			ret = -EINVAL;
		}
	}
	if (!ret)
		ret = security_task_setscheduler(current);
	free_cpumask_var(allowed);
	free_cpumask_var(mask);
	return ret;
}

/**
 * cr_restore_sched - the current thread's scheduling, as the image has it
 * @s: its scheduling, checked by cr_restore_sched_prepare()
 *
 * Called by each restored thread on its way to user space, after it
 * created the threads and processes it creates: those start with the exec
 * caller's scheduling, which cr_restore_sched_prepare() checked against.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_sched(const struct cr_sched *s)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = s->policy,
		.sched_nice = s->nice,
		.sched_priority = s->priority,
		.sched_runtime = s->runtime,
		.sched_deadline = s->deadline,
		.sched_period = s->period,
	};
	cpumask_var_t mask;
	int ret;

	if (s->flags & CR_SCHED_RESET_ON_FORK)
		attr.sched_flags |= SCHED_FLAG_RESET_ON_FORK;
	ret = sched_setattr(current, &attr);
	if (ret)
		return ret;
	/* A fair thread keeps its nice value under a real-time policy too. */
	if (s->policy != SCHED_NORMAL && s->policy != SCHED_BATCH)
		set_user_nice(current, s->nice);

	if (!alloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	cr_sched_mask(s, mask);
	ret = sched_setaffinity(0, mask);
	free_cpumask_var(mask);
	if (ret)
		return ret;

	/* As prctl(PR_SET_TIMERSLACK): real-time threads have none. */
	current->default_timer_slack_ns = s->default_slack_ns;
	if (!rt_or_dl_task_policy(current))
		current->timer_slack_ns = s->timer_slack_ns;
	/* As ioprio_set(2), checked by cr_restore_sched_prepare(). */
	return s->ioprio ? set_task_ioprio(current, s->ioprio) : 0;
}
