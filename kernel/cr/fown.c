// SPDX-License-Identifier: GPL-2.0
/*
 * Signal-driven I/O: the owner of an open file (F_SETOWN, F_SETOWN_EX),
 * the signal it sends (F_SETSIG) and O_ASYNC.
 *
 * Checkpoint: NT_CR_FOWNERS, one struct cr_fown per descriptor whose open
 * file has any of them. The owner must be a process of the tree, a thread
 * of the process, or a process group of the tree: what the restore can
 * name again. An owner outside refuses the checkpoint rather than be
 * dropped.
 *
 * Restore: checked before the point of no return (the owner must be one
 * of the image's); set once the whole tree exists (cr_main_work() in
 * task.c), with the restoring caller's credentials as F_SETOWN would
 * record them: the owner, the signal, then O_ASYNC through the file's
 * fasync operation, as fcntl(F_SETFL) turns it on.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

/* Checkpoint */

/* Is @pid (of @type) the tgid, or a group, of a process of the tree? */
static bool cr_fown_in_tree(struct cr_freeze *f, struct pid *pid, enum pid_type type)
{
	unsigned int i, n = f ? cr_freeze_nr_procs(f) : 0, nr_threads;
	struct task_struct *p;
	int parent;

	for (i = 0; i < n; i++) {
		p = cr_freeze_proc(f, i, &parent, &nr_threads);
		/* A group: one a process of the tree leads, or the root's. */
		if (nr_threads && (task_tgid(p) == pid ||
				   (type == PIDTYPE_PGID && !i && task_pgrp(p) == pid)))
			return true;
	}
	return false;
}

/**
 * cr_dump_fown - the signal-driven I/O of descriptor @fd, if any
 * @l: the process's entries so far
 * @f: the frozen tree, or NULL
 * @file: its open file
 * @fd: the descriptor
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_dump_fown(struct cr_fowns *l, struct cr_freeze *f, struct file *file, int fd)
{
	struct fown_struct *fown = file_f_owner(file);
	struct cr_fown o = { .fd = fd };
	struct task_struct *t;
	enum pid_type type;
	struct pid *pid;

	if (file->f_flags & FASYNC)
		o.flags |= CR_FOWN_ASYNC;
	if (fown) {
		read_lock_irq(&fown->lock);
		pid = get_pid(fown->pid);
		type = fown->pid_type;
		o.signum = READ_ONCE(fown->signum);
		read_unlock_irq(&fown->lock);
		if (pid) {
			rcu_read_lock();
			t = pid_task(pid, PIDTYPE_PID);
			if (type == PIDTYPE_PGID && pid == task_pgrp(current)) {
				o.type = CR_FOWN_PGRP;
			} else if (type == PIDTYPE_TGID && pid == task_tgid(current)) {
				o.type = CR_FOWN_PROCESS;
			} else if (type == PIDTYPE_PID && t && same_thread_group(t, current)) {
				o.type = CR_FOWN_THREAD;
				o.id = task_pid_vnr(t);
			} else if (type != PIDTYPE_PID && cr_fown_in_tree(f, pid, type)) {
				o.type = type == PIDTYPE_PGID ? CR_FOWN_PGRP : CR_FOWN_PROCESS;
				o.id = pid_vnr(pid);
			}
			rcu_read_unlock();
			put_pid(pid);
			if (!o.type) {
				cr_refuse(current->comm, "checkpoint refused: fd %d: its owner (F_SETOWN) is outside the tree",
					  fd);
				return -EOPNOTSUPP;
			}
		}
	}
	if (!o.type && !o.flags && !o.signum)
		return 0;
	if (l->nr == l->cap) {
		unsigned int cap = max(8U, 2 * l->cap);
		struct cr_fown *n = kvcalloc(cap, sizeof(*n), GFP_KERNEL_ACCOUNT);

		if (!n)
			return -ENOMEM;
		if (l->fown)
			memcpy(n, l->fown, l->nr * sizeof(*n));
		kvfree(l->fown);
		l->fown = n;
		l->cap = cap;
	}
	l->fown[l->nr++] = o;
	return 0;
}

/**
 * cr_dump_fowns_note - NT_CR_FOWNERS, if any descriptor has an entry
 * @d: image being written
 * @l: the entries, freed
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_fowns_note(struct cr_dump *d, struct cr_fowns *l)
{
	int ret = 0;

	if (l->nr)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_FOWNERS, l->fown,
				   l->nr * sizeof(*l->fown));
	kvfree(l->fown);
	l->fown = NULL;
	l->nr = l->cap = 0;
	return ret;
}

/* Restore */

/**
 * cr_restore_fowns_prepare - check NT_CR_FOWNERS
 * @r: restore plan, with its descriptors and threads
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_fowns_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_FOWNERS);
	unsigned int i, j, n;
	u32 nr;
	int ret;

	ret = cr_rule_fowns(r->img->name, note, r->fd, r->nr_fds, &nr);
	if (ret || !nr)
		return ret;
	r->fown = kvmemdup(note->desc, nr * sizeof(*r->fown), GFP_KERNEL_ACCOUNT);
	if (!r->fown)
		return -ENOMEM;
	r->nr_fowns = nr;
	for (i = 0; i < nr; i++) {
		const struct cr_fown *o = &r->fown[i];
		bool found = !o->id;

		if (o->type == CR_FOWN_THREAD) {
			for (j = 0; j < r->nr_threads && !found; j++)
				found = r->thread[j].th.tid == o->id;
		} else if (o->id && r->tree) {
			const struct cr_proc *e = cr_tree_entries(r->tree, &n);

			for (j = 0; j < n && !found; j++)
				found = (e[j].pid == o->id && !(e[j].flags & CR_PROC_ZOMBIE)) ||
					(o->type == CR_FOWN_PGRP && !j && e[j].pgid == o->id);
		}
		if (!found) {
			cr_refuse(r->img->name, "fd %d: its owner (type %u, id %d) is not in the image",
				  o->fd, o->type, o->id);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * O_ASYNC on, as fcntl(F_SETFL) turns it on: through the file's fasync
 * operation; for a file that has none (a regular file), as the flag a
 * lease's break signal sets (F_SETFL cannot).
 */
static int cr_fown_async(int fd, struct file *file)
{
	int ret;

	ret = file->f_op->fasync ? file->f_op->fasync(fd, file, 1) : 0;
	if (ret < 0)
		return ret;
	spin_lock(&file->f_lock);
	file->f_flags |= FASYNC;
	spin_unlock(&file->f_lock);
	return 0;
}

/**
 * cr_restore_fowns - set the owners, signals and O_ASYNC again
 * @o: the entries (checked by cr_restore_fowns_prepare())
 * @nr: how many
 * @tree: the process's tree, or NULL
 * @tid: the number each thread of the image has now, by its image number
 * @arg: for @tid
 *
 * Called by the restored main thread once its threads and the whole
 * tree exist, its descriptor table the image's.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_fowns(const struct cr_fown *o, unsigned int nr, struct cr_tree *tree,
		     pid_t (*tid)(void *arg, pid_t tid), void *arg)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && i < nr; i++) {
		struct file *file = fget_raw(o[i].fd);
		struct fown_struct *fown;
		struct pid *pid = NULL;
		enum pid_type type = PIDTYPE_TGID;

		if (!file) {
			ret = -EBADF;
			break;
		}
		ret = file_f_owner_allocate(file);
		if (!ret && o[i].type) {
			rcu_read_lock();
			if (o[i].type == CR_FOWN_THREAD) {
				pid = find_get_pid(tid(arg, o[i].id));
				type = PIDTYPE_PID;
			} else if (o[i].type == CR_FOWN_PGRP) {
				pid = get_pid(o[i].id && tree ? cr_tree_pgrp(tree, o[i].id) :
					      task_pgrp(current));
				type = PIDTYPE_PGID;
			} else {
				pid = get_pid(o[i].id && tree ? cr_tree_pid(tree, o[i].id) :
					      task_tgid(current));
			}
			rcu_read_unlock();
			if (pid)
				__f_setown(file, pid, type, 1);
			else
				ret = -ESRCH;
			put_pid(pid);
		}
		fown = file_f_owner(file);
		if (!ret && fown)
			WRITE_ONCE(fown->signum, o[i].signum);
		if (!ret && (o[i].flags & CR_FOWN_ASYNC))
			ret = cr_fown_async(o[i].fd, file);
		if (ret)
			pr_warn_ratelimited("cr: %s: fd %d: cannot set its owner, signal or O_ASYNC again (%d)\n",
					    current->comm, o[i].fd, ret);
		fput(file);
	}
	return ret;
}
