// SPDX-License-Identifier: GPL-2.0
/*
 * Freezing a process tree for a checkpoint.
 *
 * The thread that took SIGCKPT checkpoints its process and every
 * descendant process. Every other thread of the tree is sent a task_work
 * with TWA_SIGNAL, which interrupts it like a signal: it runs on the
 * thread's way back to user space, with the user registers saved and an
 * interrupted syscall still showing -ERESTART* (exactly where a core dump
 * finds threads). There the thread reports that it is parked and sleeps,
 * killable, until the checkpoint releases it. No thread of the tree runs
 * user code while the image is written; the image is the tree as of the
 * moment the last thread parked.
 *
 * Threads and processes created meanwhile are caught too: clone() fails
 * with -ERESTARTNOINTR while the creating thread has the task_work
 * pending, and the tree is walked again until a walk finds nothing new.
 *
 * A thread stopped by job control (SIGSTOP, SIGTSTP...) does not run
 * its task_work until SIGCONT. It is woken into the trap the cgroup
 * freezer uses (JOBCTL_TRAP_FREEZE), where it runs its pending work
 * without looking at its signals; released, it stops again if its
 * process still is stopped (cr_park()), as if it never woke: no signal
 * is delivered, the parent is not told again.
 *
 * One parked thread of each descendant process is its agent: the
 * checkpoint hands it jobs (collect the process's state and find its
 * memory) that it runs in its own context, with its process's other
 * threads parked, exactly as the SIGCKPT thread does for its own process
 * (kernel/cr/checkpoint.c). The SIGCKPT thread writes the image, every
 * process's part of it.
 */
#include <linux/cgroup.h>
#include <linux/completion.h>
#include <linux/hashtable.h>
#include <linux/cr.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/jobctl.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/task_work.h>
#include <linux/wait.h>

#define CR_FREEZE_TIMEOUT	(10 * HZ)
#define CR_EXIT_WAIT		(5 * HZ)	/* for exiting processes to be zombies */
#define CR_FREEZE_BATCH		1024	/* threads asked per walk of the tree */
#define CR_FREEZE_HASH_BITS	10

struct cr_parked {
	struct callback_head work;
	struct hlist_node node;		/* in cr_freeze.hash, by task */
	struct cr_freeze *freeze;
	struct task_struct *task;
	struct cr_parked *next_dropped;	/* in cr_freeze.dropped */
	/* A job to run in this thread's context, set by cr_freeze_run(). */
	int (*job)(void *arg);
	void *arg;
	int result;
	bool gone;			/* released or killed: takes no more jobs */
	bool arrived;			/* it parked */
	bool let_go;			/* exiting: released early */
	bool unstopped;			/* woken from a job control stop */
	struct completion done;
	wait_queue_head_t wake;		/* a job, let go, or released */
};

struct cr_freeze_proc {
	struct task_struct *task;	/* thread group leader, referenced */
	int parent;			/* index, -1 for the root */
	bool zombie;
	unsigned int nr_threads;
	struct cr_parked *agent;	/* NULL for the root and zombies */
};

struct cr_freeze {
	refcount_t ref;
	spinlock_t lock;		/* cr_parked.job and .gone */
	atomic_t arriving;		/* threads asked, not yet parked */
	struct completion parked;	/* the last one arrived */
	bool released;
	bool aborted;			/* the checkpoint was killed: jobs stop */
	unsigned int nr, cap;
	struct cr_parked **thread;
	struct cr_parked *dropped;	/* exiting threads let go early */
	pid_t exiting;			/* a process the last record waits for */
	DECLARE_HASHTABLE(hash, CR_FREEZE_HASH_BITS);	/* the threads, by task */
	struct task_struct **todo;	/* CR_FREEZE_BATCH, for asking */
	/* The tree, breadth first, as the last walk found it. */
	unsigned int nr_procs;
	struct cr_freeze_proc *proc;
	struct task_struct **walk;	/* CR_MAX_PROCESSES, for walking */
	int *walk_parent;
};

static void cr_freeze_put(struct cr_freeze *f)
{
	unsigned int i;

	if (!refcount_dec_and_test(&f->ref))
		return;
	for (i = 0; i < f->nr; i++) {
		put_task_struct(f->thread[i]->task);
		kfree(f->thread[i]);
	}
	while (f->dropped) {
		struct cr_parked *p = f->dropped;

		f->dropped = p->next_dropped;
		put_task_struct(p->task);
		kfree(p);
	}
	for (i = 0; i < f->nr_procs; i++)
		put_task_struct(f->proc[i].task);
	kfree(f->thread);
	kvfree(f->todo);
	kvfree(f->proc);
	kvfree(f->walk);
	kvfree(f->walk_parent);
	kfree(f);
}

/* Is the cgroup freezer freezing @t (its trap is then not ours to clear)? */
static bool cr_cgroup_freezing(struct task_struct *t)
{
	bool ret = false;

#ifdef CONFIG_CGROUPS
	rcu_read_lock();
	ret = test_bit(CGRP_FREEZE, &task_dfl_cgroup(t)->flags);
	rcu_read_unlock();
#endif
	return ret;
}

/* Runs in a thread being frozen, on its way to user space. */
static void cr_park(struct callback_head *head)
{
	struct cr_parked *p = container_of(head, struct cr_parked, work);
	struct cr_freeze *f = p->freeze;
	bool unstopped;

	WRITE_ONCE(p->arrived, true);
	if (atomic_dec_and_test(&f->arriving))
		complete(&f->parked);
	for (;;) {
		int (*job)(void *arg);
		int ret;

		ret = wait_event_killable(p->wake, READ_ONCE(f->released) ||
					  READ_ONCE(p->job) || READ_ONCE(p->let_go));
		spin_lock(&f->lock);
		job = p->job;
		if (ret || !job)
			p->gone = true;
		spin_unlock(&f->lock);
		if (!job)
			break;
		p->result = ret ? -EINTR : job(p->arg);
		WRITE_ONCE(p->job, NULL);
		complete(&p->done);
		if (ret)
			break;
	}
	/* Set before it was woken, under its siglock; @p goes with @f. */
	unstopped = READ_ONCE(p->unstopped);
	cr_freeze_put(f);
	/* Woken from a stop: out of the trap, and stopped again if still so. */
	if (unstopped) {
		spin_lock_irq(&current->sighand->siglock);
		if (!cr_cgroup_freezing(current))
			current->jobctl &= ~JOBCTL_TRAP_FREEZE;
		if (current->signal->flags & SIGNAL_STOP_STOPPED)
			current->jobctl |= JOBCTL_STOP_PENDING;
		spin_unlock_irq(&current->sighand->siglock);
	}
	/*
	 * Look at the signals again before user space: the checkpoint may
	 * have sent a SIGSTOP to the process (stop mode), which only one
	 * thread was told about; get_signal() then stops this thread too.
	 */
	set_thread_flag(TIF_SIGPENDING);
}

/*
 * A thread asked to park that is stopped by job control (or was about
 * to stop when asked): into the freezer trap, where it runs cr_park().
 */
static void cr_unstop(struct cr_parked *p)
{
	struct task_struct *t = p->task;
	unsigned long flags;

	if (!lock_task_sighand(t, &flags))
		return;
	if (task_is_stopped(t) && !t->ptrace && !(t->jobctl & JOBCTL_TRAP_FREEZE)) {
		t->jobctl |= JOBCTL_TRAP_FREEZE;
		p->unstopped = true;
		wake_up_state(t, __TASK_STOPPED);
	}
	unlock_task_sighand(t, &flags);
}

/**
 * cr_unstop_task - let a thread stopped by job control run its task_work
 * @t: a thread a checkpoint request was queued to
 *
 * As for the threads of a tree being frozen; cr_restop() stops it again.
 */
void cr_unstop_task(struct task_struct *t)
{
	unsigned long flags;

	if (!lock_task_sighand(t, &flags))
		return;
	if (task_is_stopped(t) && !t->ptrace && !(t->jobctl & JOBCTL_TRAP_FREEZE)) {
		t->jobctl |= JOBCTL_TRAP_FREEZE;
		wake_up_state(t, __TASK_STOPPED);
	}
	unlock_task_sighand(t, &flags);
}

/**
 * cr_restop - after a checkpoint request ran: stopped again if still so
 *
 * The current thread only runs while its process is stopped when
 * cr_unstop_task() woke it (or on its way to stop): it leaves the trap
 * and stops, its parent not told again.
 */
void cr_restop(void)
{
	spin_lock_irq(&current->sighand->siglock);
	if (current->signal->flags & SIGNAL_STOP_STOPPED) {
		if (!cr_cgroup_freezing(current))
			current->jobctl &= ~JOBCTL_TRAP_FREEZE;
		current->jobctl |= JOBCTL_STOP_PENDING;
		set_thread_flag(TIF_SIGPENDING);
	}
	spin_unlock_irq(&current->sighand->siglock);
}

/* Those asked that stopped instead of parking: woken again. */
static void cr_unstop_late(struct cr_freeze *f)
{
	unsigned int i;

	for (i = 0; i < f->nr; i++)
		if (!READ_ONCE(f->thread[i]->arrived))
			cr_unstop(f->thread[i]);
}

/* Was @t asked already? Called under tasklist_lock, for every thread of each walk. */
static bool cr_freeze_has(struct cr_freeze *f, struct task_struct *t)
{
	struct cr_parked *p;

	hash_for_each_possible(f->hash, p, node, (unsigned long)t)
		if (p->task == t)
			return true;
	return false;
}

/*
 * The processes of the tree rooted at the current process, breadth first,
 * into f->walk[] and f->walk_parent[]. Children hang off the thread that
 * forked them. Caller holds tasklist_lock.
 */
static int cr_tree_walk(struct cr_freeze *f, const char **why, pid_t *who)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct task_struct *p, *t, *c;
	unsigned int n = 1, i;

	f->walk[0] = current->group_leader;
	f->walk_parent[0] = -1;
	for (i = 0; i < n; i++) {
		p = f->walk[i];
		for_each_thread(p, t) {
			list_for_each_entry(c, &t->children, sibling) {
				if (c->exit_state == EXIT_DEAD)
					continue;
				if (n == CR_MAX_PROCESSES) {
					*why = "more processes than an image holds";
					*who = task_pid_vnr(c);
					return -E2BIG;
				}
				if (task_active_pid_ns(c) != ns) {
					*why = "is in another pid namespace";
					*who = task_pid_vnr(c);
					return -EOPNOTSUPP;
				}
				f->walk_parent[n] = i;
				f->walk[n++] = c;
			}
		}
	}
	return n;
}

/* Why thread @t of the tree cannot be parked, or NULL. */
static const char *cr_thread_refusal(struct task_struct *t)
{
	if (t->ptrace || task_is_traced(t))
		return "is traced";
	if (t->vfork_done)
		return "is a vfork() child that has not exec'd yet";
	return NULL;
}

static int cr_freeze_add(struct cr_freeze *f, struct task_struct *t)
{
	struct cr_parked *p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	int ret;

	if (!p)
		return -ENOMEM;
	if (f->nr == f->cap) {
		unsigned int cap = max(8U, 2 * f->cap);
		struct cr_parked **a = krealloc_array(f->thread, cap, sizeof(*a),
						      GFP_KERNEL);

		if (!a) {
			kfree(p);
			return -ENOMEM;
		}
		f->thread = a;
		f->cap = cap;
	}
	p->freeze = f;
	p->task = t;
	init_completion(&p->done);
	init_waitqueue_head(&p->wake);
	init_task_work(&p->work, cr_park);
	atomic_inc(&f->arriving);
	refcount_inc(&f->ref);
	ret = task_work_add(t, &p->work, TWA_SIGNAL);
	if (ret) {
		/* Exiting: it will never run user code again. */
		atomic_dec(&f->arriving);
		refcount_dec(&f->ref);
		kfree(p);
		return 0;
	}
	get_task_struct(t);
	f->thread[f->nr++] = p;
	hash_add(f->hash, &p->node, (unsigned long)t);
	cr_unstop(p);
	return 1;
}

/*
 * Ask the threads not asked yet; returns how many were asked, or -errno.
 * tasklist_lock is held for one walk of the tree at a time, which finds
 * up to CR_FREEZE_BATCH threads to ask (each looked up in a hash): the
 * whole freeze costs O(threads^2 / CR_FREEZE_BATCH), in walks that let
 * fork() and exit() through in between.
 */
static int cr_freeze_ask(struct cr_freeze *f)
{
	struct task_struct *t, **todo = f->todo;
	const char *why = NULL;
	unsigned int i, j, n;
	int asked = 0, ret = 0;
	pid_t who = 0;

again:
	n = 0;
	read_lock(&tasklist_lock);
	ret = cr_tree_walk(f, &why, &who);
	for (i = 0; ret > 0 && i < ret && n < CR_FREEZE_BATCH; i++) {
		if (f->walk[i]->exit_state && thread_group_empty(f->walk[i]))
			continue;	/* a zombie */
		for_each_thread(f->walk[i], t) {
			/* Exiting: cr_freeze_record() waits for a zombie. */
			if (t == current || (t->flags & PF_EXITING) ||
			    (t->signal->flags & SIGNAL_GROUP_EXIT) || cr_freeze_has(f, t))
				continue;
			why = cr_thread_refusal(t);
			if (why) {
				who = task_pid_vnr(t);
				ret = -EBUSY;
				break;
			}
			get_task_struct(t);
			todo[n++] = t;
			if (n == CR_FREEZE_BATCH)
				break;
		}
	}
	read_unlock(&tasklist_lock);
	if (ret < 0) {
		cr_refuse(current->comm, "checkpoint refused: task %d %s", who, why);
		goto out;
	}
	for (i = 0; i < n; i++) {
		ret = cr_freeze_add(f, todo[i]);
		if (ret < 0)
			goto out;
		asked += ret;
	}
	for (i = 0; i < n; i++)
		put_task_struct(todo[i]);
	if (n == CR_FREEZE_BATCH) {
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
		goto again;
	}
	return asked;
out:
	for (j = 0; j < n; j++)
		put_task_struct(todo[j]);
	return ret;
}

/*
 * Threads that parked on their way out (exit_task_work()) or were killed
 * where they parked: let go to finish exiting, and forgotten. A thread
 * group leader that exits alone stays: the checkpoint of its process is
 * refused (a zombie leader with live threads is not restored).
 */
static void cr_freeze_drop_exiting(struct cr_freeze *f)
{
	unsigned int i, n = 0;

	for (i = 0; i < f->nr; i++) {
		struct cr_parked *p = f->thread[i];
		struct task_struct *t = p->task;
		bool group_exit = READ_ONCE(t->signal->flags) & SIGNAL_GROUP_EXIT;

		if (!READ_ONCE(p->gone) &&
		    (!(t->flags & PF_EXITING) || (thread_group_leader(t) && !group_exit))) {
			f->thread[n++] = p;
			continue;
		}
		hash_del(&p->node);
		WRITE_ONCE(p->let_go, true);
		wake_up(&p->wake);
		p->next_dropped = f->dropped;
		f->dropped = p;
	}
	f->nr = n;
}

/* Forget what cr_freeze_record() found, to record again. */
static void cr_freeze_unrecord(struct cr_freeze *f)
{
	unsigned int i;

	for (i = 0; i < f->nr_procs; i++)
		put_task_struct(f->proc[i].task);
	memset(f->proc, 0, f->nr_procs * sizeof(*f->proc));
	f->nr_procs = 0;
}

/*
 * With every thread parked, the tree as it stands: processes, their
 * parents, which are zombies, and an agent for each live descendant.
 * Return: 0, -EAGAIN while a process of the tree is exiting (it is a
 * zombie soon: f->exiting), or -errno after saying why.
 */
static int cr_freeze_record(struct cr_freeze *f)
{
	const char *why = NULL;
	unsigned int i, j;
	pid_t who = 0;
	int n;

	read_lock(&tasklist_lock);
	n = cr_tree_walk(f, &why, &who);
	for (i = 0; n > 0 && i < n; i++) {
		struct cr_freeze_proc *fp = &f->proc[i];
		struct task_struct *p = f->walk[i];

		fp->task = p;
		get_task_struct(p);
		fp->parent = f->walk_parent[i];
		fp->zombie = p->exit_state && thread_group_empty(p);
		fp->nr_threads = i == 0;
		f->nr_procs = i + 1;
		for (j = 0; j < f->nr; j++) {
			struct cr_parked *a = f->thread[j];

			if (!same_thread_group(a->task, p))
				continue;
			fp->nr_threads++;
			/* Not one that parked on its way out (no mm left). */
			if (i && !(a->task->flags & PF_EXITING) &&
			    (!fp->agent || a->task == p))
				fp->agent = a;
		}
		if (i && !fp->zombie &&
		    (!fp->agent || (p->signal->flags & SIGNAL_GROUP_EXIT))) {
			f->exiting = task_pid_vnr(p);
			n = -EAGAIN;
		}
	}
	read_unlock(&tasklist_lock);
	if (n < 0 && n != -EAGAIN)
		cr_refuse(current->comm, "checkpoint refused: process %d %s", who, why);
	return n < 0 ? n : 0;
}

/**
 * cr_freeze_tree - park every thread of the tree but the current one
 *
 * Return: the freeze, to pass to cr_thaw_tree(), or an ERR_PTR after
 * saying why (the threads that were parked are released again).
 */
struct cr_freeze *cr_freeze_tree(void)
{
	struct cr_freeze *f = kzalloc(sizeof(*f), GFP_KERNEL);
	unsigned long deadline = jiffies + CR_EXIT_WAIT;
	int ret, asked;

	if (!f)
		return ERR_PTR(-ENOMEM);
	refcount_set(&f->ref, 1);
	spin_lock_init(&f->lock);
	atomic_set(&f->arriving, 1);	/* ours, dropped when all are asked */
	init_completion(&f->parked);
	hash_init(f->hash);
	f->todo = kvmalloc_array(CR_FREEZE_BATCH, sizeof(*f->todo), GFP_KERNEL);
	f->walk = kvmalloc_array(CR_MAX_PROCESSES, sizeof(*f->walk), GFP_KERNEL);
	f->walk_parent = kvmalloc_array(CR_MAX_PROCESSES, sizeof(*f->walk_parent),
					GFP_KERNEL);
	f->proc = kvcalloc(CR_MAX_PROCESSES, sizeof(*f->proc), GFP_KERNEL);
	if (!f->todo || !f->walk || !f->walk_parent || !f->proc) {
		ret = -ENOMEM;
		goto fail;
	}

again:
	do {
		asked = cr_freeze_ask(f);
		if (asked < 0) {
			ret = asked;
			goto fail;
		}
		if (!asked)
			break;
		/* Wait for this round, then look for tasks created meanwhile. */
		if (!atomic_dec_and_test(&f->arriving)) {
			long left = 0;
			int slice;

			/* In slices: a thread may stop instead of parking. */
			for (slice = 0; slice < 100 && !left; slice++) {
				left = wait_for_completion_killable_timeout(&f->parked,
									    CR_FREEZE_TIMEOUT / 100);
				if (!left)
					cr_unstop_late(f);
			}
			if (left <= 0) {
				ret = left ? left : -ETIMEDOUT;
				cr_refuse(current->comm, "checkpoint failed: threads did not stop (%d)",
					  ret);
				atomic_inc(&f->arriving);
				goto fail;
			}
		}
		reinit_completion(&f->parked);
		atomic_set(&f->arriving, 1);
	} while (asked);
	cr_freeze_drop_exiting(f);
	ret = cr_freeze_record(f);
	if (ret == -EAGAIN) {
		/*
		 * A process of the tree is exiting (a shell's short-lived
		 * child, say): wait, the rest of the tree parked, for it to
		 * be a zombie, which the image holds.
		 */
		cr_freeze_unrecord(f);
		if (time_after(jiffies, deadline)) {
			cr_refuse(current->comm,
				  "checkpoint refused: process %d is exiting and did not finish",
				  f->exiting);
			ret = -EBUSY;
			goto fail;
		}
		schedule_timeout_killable(1);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto fail;
		}
		goto again;
	}
	if (ret)
		goto fail;
	return f;
fail:
	cr_thaw_tree(f);
	return ERR_PTR(ret);
}

/**
 * cr_freeze_nr - number of parked threads
 * @f: a freeze
 *
 * Return: the count.
 */
unsigned int cr_freeze_nr(const struct cr_freeze *f)
{
	return f->nr;
}

/**
 * cr_freeze_task - a parked thread
 * @f: a freeze
 * @i: its index, below cr_freeze_nr()
 *
 * Return: the task.
 */
struct task_struct *cr_freeze_task(const struct cr_freeze *f, unsigned int i)
{
	return f->thread[i]->task;
}

/**
 * cr_freeze_nr_procs - number of processes in the frozen tree
 * @f: a freeze
 *
 * Return: the count, at least 1 (the current process, index 0).
 */
unsigned int cr_freeze_nr_procs(const struct cr_freeze *f)
{
	return f->nr_procs;
}

/**
 * cr_freeze_proc - one process of the frozen tree
 * @f: a freeze
 * @i: its index, below cr_freeze_nr_procs(); parents come before children
 * @parent: set to the index of its parent, -1 for the root
 * @nr_threads: set to its number of threads, 0 for a zombie
 *
 * Return: its thread group leader.
 */
struct task_struct *cr_freeze_proc(const struct cr_freeze *f, unsigned int i,
				   int *parent, unsigned int *nr_threads)
{
	const struct cr_freeze_proc *fp = &f->proc[i];

	*parent = fp->parent;
	*nr_threads = fp->zombie ? 0 : fp->nr_threads;
	return fp->task;
}

/**
 * cr_freeze_start - hand a job to a parked thread of a descendant process
 * @f: a freeze
 * @i: the process, 0 < @i < cr_freeze_nr_procs(), not a zombie
 * @job: the function, called in that thread's context
 * @arg: its argument
 *
 * The job runs while the caller goes on; cr_freeze_wait() waits for it.
 * Jobs of several processes may run at once: each in its own process.
 *
 * Return: 0, or -EINTR when that thread was killed (no job to wait for).
 */
int cr_freeze_start(struct cr_freeze *f, unsigned int i, int (*job)(void *arg), void *arg)
{
	struct cr_parked *p = f->proc[i].agent;

	if (WARN_ON_ONCE(!p))
		return -EINVAL;
	spin_lock(&f->lock);
	if (p->gone) {
		spin_unlock(&f->lock);
		return -EINTR;
	}
	reinit_completion(&p->done);
	p->arg = arg;
	WRITE_ONCE(p->job, job);
	spin_unlock(&f->lock);
	wake_up(&p->wake);
	return 0;
}

/**
 * cr_freeze_wait - wait for the job cr_freeze_start() handed to a process
 * @f: a freeze
 * @i: the process
 *
 * Waits killable. When the caller is killed, the job is told to stop
 * (cr_dump_interrupted() is then true in it) and the caller waits for it
 * to return, as its arguments are the caller's, without counting as a
 * hung task. The job also stops early when its own thread is killed.
 *
 * Return: what the job returned, or -EINTR when either thread was killed.
 */
int cr_freeze_wait(struct cr_freeze *f, unsigned int i)
{
	struct cr_parked *p = f->proc[i].agent;

	if (wait_for_completion_killable(&p->done)) {
		WRITE_ONCE(f->aborted, true);
		wait_for_completion_state(&p->done, TASK_IDLE);
		return -EINTR;
	}
	return p->result;
}

/**
 * cr_freeze_run - run a job in a parked thread of a descendant process
 * @f: a freeze
 * @i: the process, 0 < @i < cr_freeze_nr_procs(), not a zombie
 * @job: the function, called in that thread's context
 * @arg: its argument
 *
 * cr_freeze_start(), then cr_freeze_wait().
 *
 * Return: what @job returned, or -EINTR when either thread was killed.
 */
int cr_freeze_run(struct cr_freeze *f, unsigned int i, int (*job)(void *arg),
		  void *arg)
{
	int ret = cr_freeze_start(f, i, job, arg);

	return ret ? ret : cr_freeze_wait(f, i);
}

/**
 * cr_dump_interrupted - should a long step of a checkpoint stop now?
 * @d: the image being collected or written
 *
 * Return: true when the current thread is killed, or the checkpoint that
 * runs this job in it was (cr_freeze_run()).
 */
bool cr_dump_interrupted(const struct cr_dump *d)
{
	return fatal_signal_pending(current) ||
	       (d->freeze && READ_ONCE(d->freeze->aborted));
}

/**
 * cr_freeze_same_process - is a parked thread in the calling process?
 * @f: a freeze
 * @i: the thread's index, below cr_freeze_nr()
 *
 * Return: true when it is another thread of the current process.
 */
bool cr_freeze_same_process(const struct cr_freeze *f, unsigned int i)
{
	return same_thread_group(f->thread[i]->task, current);
}

/**
 * cr_thaw_tree - release the threads of a freeze
 * @f: the freeze, freed when the last thread has left it
 */
void cr_thaw_tree(struct cr_freeze *f)
{
	unsigned int i;

	WRITE_ONCE(f->released, true);
	/* Each is woken alone: a job handed to one thread wakes no other. */
	for (i = 0; i < f->nr; i++)
		wake_up(&f->thread[i]->wake);
	cr_freeze_put(f);
}
