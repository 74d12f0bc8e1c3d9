// SPDX-License-Identifier: GPL-2.0
/*
 * Freezing the threads of a process for a checkpoint.
 *
 * The thread that took SIGCKPT checkpoints the process. Every other
 * thread is sent a task_work with TWA_SIGNAL, which interrupts it like a
 * signal: it runs on the thread's way back to user space, with the user
 * registers saved and an interrupted syscall still showing -ERESTART*
 * (exactly where a core dump finds threads). There the thread reports
 * that it is parked and sleeps, killable, until the checkpoint releases
 * it. No thread runs user code while the image is written; the image is
 * the process as of the moment the last thread parked.
 *
 * Threads created meanwhile are caught too: clone() fails with
 * -ERESTARTNOINTR while the creating thread has the task_work pending,
 * and the thread list is walked until every thread is parked.
 */
#include <linux/completion.h>
#include <linux/cr.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/wait.h>

#define CR_FREEZE_TIMEOUT	(10 * HZ)

struct cr_parked {
	struct callback_head work;
	struct cr_freeze *freeze;
	struct task_struct *task;
};

struct cr_freeze {
	refcount_t ref;
	atomic_t arriving;		/* threads asked, not yet parked */
	struct completion parked;	/* the last one arrived */
	wait_queue_head_t release;
	bool released;
	unsigned int nr, cap;
	struct cr_parked **thread;
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
	kfree(f->thread);
	kfree(f);
}

/* Runs in a thread being frozen, on its way to user space. */
static void cr_park(struct callback_head *head)
{
	struct cr_parked *p = container_of(head, struct cr_parked, work);
	struct cr_freeze *f = p->freeze;

	if (atomic_dec_and_test(&f->arriving))
		complete(&f->parked);
	wait_event_killable(f->release, READ_ONCE(f->released));
	cr_freeze_put(f);
	/*
	 * Look at the signals again before user space: the checkpoint may
	 * have sent a SIGSTOP to the process (stop mode), which only one
	 * thread was told about; get_signal() then stops this thread too.
	 */
	set_thread_flag(TIF_SIGPENDING);
}

static bool cr_freeze_has(struct cr_freeze *f, struct task_struct *t)
{
	unsigned int i;

	for (i = 0; i < f->nr; i++)
		if (f->thread[i]->task == t)
			return true;
	return false;
}

/* Ask the threads not asked yet; returns how many were asked, or -errno. */
static int cr_freeze_ask(struct cr_freeze *f)
{
	struct task_struct *t, *todo[16];
	unsigned int i, n = 0;
	int asked = 0;

again:
	n = 0;
	rcu_read_lock();
	for_each_thread(current, t) {
		if (t == current || (t->flags & PF_EXITING) || cr_freeze_has(f, t))
			continue;
		for (i = 0; i < n; i++)
			if (todo[i] == t)
				break;
		if (i < n)
			continue;
		get_task_struct(t);
		todo[n++] = t;
		if (n == ARRAY_SIZE(todo))
			break;
	}
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		struct cr_parked *p = kzalloc(sizeof(*p), GFP_KERNEL);
		int ret = -ENOMEM;

		if (p && f->nr == f->cap) {
			unsigned int cap = max(8U, 2 * f->cap);
			struct cr_parked **a = krealloc_array(f->thread, cap, sizeof(*a),
							      GFP_KERNEL);

			if (a) {
				f->thread = a;
				f->cap = cap;
			} else {
				kfree(p);
				p = NULL;
			}
		}
		if (p) {
			p->freeze = f;
			p->task = todo[i];
			init_task_work(&p->work, cr_park);
			atomic_inc(&f->arriving);
			refcount_inc(&f->ref);
			ret = task_work_add(todo[i], &p->work, TWA_SIGNAL);
			if (ret) {
				/* Exiting: it will never run user code again. */
				atomic_dec(&f->arriving);
				refcount_dec(&f->ref);
				put_task_struct(todo[i]);
				kfree(p);
				continue;
			}
			f->thread[f->nr++] = p;
			asked++;
			continue;
		}
		/* Out of memory: release the rest, the caller thaws. */
		for (; i < n; i++)
			put_task_struct(todo[i]);
		return ret;
	}
	if (n == ARRAY_SIZE(todo))
		goto again;
	return asked;
}

/**
 * cr_freeze_threads - park every other thread of the current process
 *
 * Return: the freeze, to pass to cr_thaw_threads(), or an ERR_PTR after
 * saying why (the threads that were parked are released again).
 */
struct cr_freeze *cr_freeze_threads(void)
{
	struct cr_freeze *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int ret, asked;

	if (!f)
		return ERR_PTR(-ENOMEM);
	refcount_set(&f->ref, 1);
	atomic_set(&f->arriving, 1);	/* ours, dropped when all are asked */
	init_completion(&f->parked);
	init_waitqueue_head(&f->release);

	do {
		asked = cr_freeze_ask(f);
		if (asked < 0) {
			ret = asked;
			goto fail;
		}
		if (!asked)
			break;
		/* Wait for this round, then look for threads created meanwhile. */
		if (!atomic_dec_and_test(&f->arriving)) {
			long left = wait_for_completion_killable_timeout(&f->parked,
									 CR_FREEZE_TIMEOUT);
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
	return f;
fail:
	cr_thaw_threads(f);
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
 * cr_thaw_threads - release the threads of a freeze
 * @f: the freeze, freed when the last thread has left it
 */
void cr_thaw_threads(struct cr_freeze *f)
{
	WRITE_ONCE(f->released, true);
	wake_up_all(&f->release);
	cr_freeze_put(f);
}
