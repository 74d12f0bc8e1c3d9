// SPDX-License-Identifier: GPL-2.0
/*
 * pidfds: descriptors that refer to a process (pidfd_open(), clone()'s
 * CLONE_PIDFD), which event loops watch with epoll to learn that a child
 * exited, and which pidfd_send_signal() and waitid(P_PIDFD) take.
 *
 * Checkpoint: a pidfd of a process of the tree, zombies included, is a
 * descriptor of NT_CR_FILES (CR_FD_PIDFD) whose state is struct
 * cr_pidfd: the process's pid in NT_CR_TREE, or 0 for the process whose
 * image holds the descriptor, and PIDFD_THREAD for its main thread; for
 * another thread of that process, its tid (CR_PIDFD_OWN_THREAD). A
 * pidfd of a process (or thread) that exited and was reaped refers to no
 * task: CR_PIDFD_REAPED, and the restore makes one that refers to no task
 * either; so does one of a thread exiting, which the image leaves out. A
 * pidfd of a process outside the tree refuses the checkpoint: no process
 * of the restore could be what it refers to. One of another process's
 * thread, or in flight (SCM_RIGHTS), refuses too (not saved yet).
 *
 * Restore: the process a pidfd refers to may be one the restore has not
 * created yet when the descriptor table is made, so the pidfd is made
 * once every process of the tree exists, before any of them runs
 * (cr_restore_pidfds(), called through cr_tree_wait()): each process
 * makes those of its table, and the tree shares each open file as it
 * shares the others. An epoll watching a pidfd gets that target then
 * too, and the fanotify events that processes of the tree caused get
 * their pids (fanotify.c). Whether the process a pidfd or such an event
 * refers to is in the tree is checked before the point of no return.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/eventpoll.h>
#include <linux/pid.h>
#include <linux/pidfs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <uapi/linux/pidfd.h>

/* Checkpoint */

/**
 * cr_is_pidfd - whether @file is a pidfd
 * @file: an open file
 */
bool cr_is_pidfd(struct file *file)
{
	return !IS_ERR(pidfd_pid(file));
}

/* The index in the frozen tree of the process of @pid, or -1. */
static int cr_pidfd_in_tree(struct cr_freeze *f, struct pid *pid)
{
	unsigned int i, n = f ? cr_freeze_nr_procs(f) : 0, nr_threads;
	int parent;

	for (i = 0; i < n; i++)
		if (task_tgid(cr_freeze_proc(f, i, &parent, &nr_threads)) == pid)
			return i;
	return -1;
}

/**
 * cr_pid_in_tree - whether @pid is that of a process of the frozen tree
 * @f: the frozen tree, or NULL for a lone process
 * @pid: a pid, of a process or its main thread
 */
bool cr_pid_in_tree(struct cr_freeze *f, struct pid *pid)
{
	return cr_pidfd_in_tree(f, pid) >= 0;
}

/**
 * cr_dump_pidfd - the state of a pidfd
 * @f: the frozen tree, or NULL for a lone process
 * @file: the pidfd
 * @fd: its descriptor number, negative in flight
 * @s: set to its state
 *
 * Return: 0, or -EOPNOTSUPP after saying why.
 */
int cr_dump_pidfd(struct cr_freeze *f, struct file *file, int fd, struct cr_pidfd *s)
{
	struct pid *pid = pidfd_pid(file);
	bool thread = file->f_flags & PIDFD_THREAD, own;
	struct task_struct *t;
	const char *why = NULL;

	memset(s, 0, sizeof(*s));
	if (fd < 0) {
		cr_refuse(current->comm, "checkpoint refused: a pidfd in flight (SCM_RIGHTS), not saved yet");
		return -EOPNOTSUPP;
	}
	rcu_read_lock();
	t = pid_task(pid, thread ? PIDTYPE_PID : PIDTYPE_TGID);
	own = t && thread && !thread_group_leader(t) && same_thread_group(t, current);
	if (!t || (own && (t->flags & PF_EXITING))) {
		s->flags |= CR_PIDFD_REAPED;	/* s->pid stays 0 */
	} else if (own) {
		s->flags |= CR_PIDFD_OWN_THREAD;
		s->pid = task_pid_vnr(t);
	} else if (thread && !thread_group_leader(t)) {
		why = "of a thread of another process (PIDFD_THREAD), not saved yet";
	} else if (pid == task_tgid(current)) {
		s->pid = 0;
	} else if (cr_pidfd_in_tree(f, pid) >= 0) {
		s->pid = pid_vnr(pid);
	} else {
		why = "of a process outside the tree";
	}
	rcu_read_unlock();
	if (why) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a pidfd %s", fd, why);
		return -EOPNOTSUPP;
	}
	s->flags |= thread ? CR_PIDFD_THREAD : 0;
	return 0;
}

/* Restore */

/* A pidfd of the process's table, made once the tree exists. */
struct cr_pidfd_fd {
	s32 fd;
	u32 file_id;
	s32 pid;
	u32 flags;		/* CR_PIDFD_THREAD, _REAPED, _OWN_THREAD */
	u32 f_flags;		/* O_NONBLOCK */
	bool cloexec;
};

/* An epoll's target that is a pidfd, added once the pidfd is made. */
struct cr_pidfd_watch {
	struct file *ep;	/* referenced */
	s32 fd;
	u32 events;
	u64 data;
};

/* A fanotify event a process of the tree caused: its pid, once it exists. */
struct cr_pidfd_event {
	struct file *file;		/* the group */
	u32 index;			/* the event's place in its queue */
	s32 pid;
};

struct cr_pidfd_plan {
	struct cr_pidfd_fd *fd;
	unsigned int nr_fds;
	struct cr_pidfd_watch *watch;
	unsigned int nr_watches;
	struct cr_pidfd_event *event;
	unsigned int nr_events;
};

/**
 * cr_restore_pidfd_check - whether the process of a pidfd is in the tree
 * @r: restore plan
 * @e: the descriptor, checked by cr_rule_pidfd()
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_restore_pidfd_check(struct cr_restore *r, const struct cr_fd *e)
{
	const struct cr_proc *p;
	struct cr_pidfd s;
	unsigned int i, n = 0;

	memcpy(&s, r->fd_data + e->data_off, sizeof(s));
	if (!s.pid)
		return 0;
	if (s.flags & CR_PIDFD_OWN_THREAD) {
		for (i = 0; i < r->nr_threads; i++)
			if (i != r->main && r->thread[i].th.tid == s.pid)
				return 0;
		cr_refuse(r->img->name, "fd %d: a pidfd of tid %d, which is no thread of its process",
			  e->fd, s.pid);
		return -EINVAL;
	}
	p = r->tree ? cr_tree_entries(r->tree, &n) : NULL;
	for (i = 0; i < n; i++)
		if (p[i].pid == s.pid)
			return 0;
	cr_refuse(r->img->name, "fd %d: a pidfd of pid %d, which is no process of the image",
		  e->fd, s.pid);
	return -EINVAL;
}

/**
 * cr_restore_pidfd_watch - remember an epoll target that is a pidfd
 * @r: restore plan
 * @ep: the epoll
 * @fd: the target's descriptor number
 * @events: its events
 * @data: its data
 *
 * Return: 0 or -ENOMEM.
 */
int cr_restore_pidfd_watch(struct cr_restore *r, struct file *ep, int fd, u32 events,
			   u64 data)
{
	struct cr_pidfd_watch *w;

	w = krealloc_array(r->pidfd_watch, r->nr_pidfd_watches + 1, sizeof(*w),
			   GFP_KERNEL_ACCOUNT);
	if (!w)
		return -ENOMEM;
	r->pidfd_watch = w;
	w[r->nr_pidfd_watches++] = (struct cr_pidfd_watch){
		.ep = get_file(ep), .fd = fd, .events = events, .data = data,
	};
	return 0;
}

/**
 * cr_restore_pidfd_event - remember a fanotify event a process of the tree caused
 * @r: restore plan, of a tree
 * @file: the fanotify group
 * @index: the event's place in its queue
 * @pid: the process, as NT_CR_TREE numbers it
 *
 * Return: 0, -ENOMEM, or -EINVAL after saying why.
 */
int cr_restore_pidfd_event(struct cr_restore *r, struct file *file, unsigned int index,
			   pid_t pid)
{
	const struct cr_proc *p;
	struct cr_pidfd_event *ev;
	unsigned int i, n = 0;

	p = r->tree ? cr_tree_entries(r->tree, &n) : NULL;
	for (i = 0; i < n && p[i].pid != pid; i++)
		;
	if (i == n) {
		cr_refuse(r->img->name, "a fanotify event of pid %d, which is no process of the image",
			  pid);
		return -EINVAL;
	}
	ev = krealloc_array(r->pidfd_event, r->nr_pidfd_events + 1, sizeof(*ev),
			    GFP_KERNEL_ACCOUNT);
	if (!ev)
		return -ENOMEM;
	r->pidfd_event = ev;
	ev[r->nr_pidfd_events++] = (struct cr_pidfd_event){
		.file = get_file(file), .index = index, .pid = pid,
	};
	return 0;
}

static void cr_pidfd_events_free(struct cr_pidfd_event *ev, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		fput(ev[i].file);
	kfree(ev);
}

static void cr_pidfd_watches_free(struct cr_pidfd_watch *w, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		fput(w[i].ep);
	kfree(w);
}

/**
 * cr_restore_pidfds_free - release what the plan holds for pidfds
 * @r: restore plan
 */
void cr_restore_pidfds_free(struct cr_restore *r)
{
	cr_pidfd_watches_free(r->pidfd_watch, r->nr_pidfd_watches);
	r->pidfd_watch = NULL;
	r->nr_pidfd_watches = 0;
	cr_pidfd_events_free(r->pidfd_event, r->nr_pidfd_events);
	r->pidfd_event = NULL;
	r->nr_pidfd_events = 0;
}

/**
 * cr_restore_pidfds_plan - the pidfds of the process, for cr_restore_pidfds()
 * @r: the plan, its descriptors restored
 *
 * Return: the pidfds and the epoll targets that are pidfds (the plan's
 * references handed over), NULL for none, or an ERR_PTR().
 */
struct cr_pidfd_plan *cr_restore_pidfds_plan(struct cr_restore *r)
{
	struct cr_pidfd_plan *p;
	struct cr_pidfd s;
	unsigned int i, n = 0;

	for (i = 0; i < r->nr_fds; i++)
		n += r->fd[i].kind == CR_FD_PIDFD;
	if (!n && !r->nr_pidfd_events)
		return NULL;
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (p)
		p->fd = kcalloc(n ?: 1, sizeof(*p->fd), GFP_KERNEL_ACCOUNT);
	if (!p || !p->fd) {
		kfree(p);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < r->nr_fds; i++) {
		const struct cr_fd *e = &r->fd[i];

		if (e->kind != CR_FD_PIDFD)
			continue;
		memcpy(&s, r->fd_data + e->data_off, sizeof(s));
		p->fd[p->nr_fds++] = (struct cr_pidfd_fd){
			.fd = e->fd, .file_id = e->file_id, .pid = s.pid, .flags = s.flags,
			.f_flags = e->flags & O_NONBLOCK, .cloexec = e->fd_flags & CR_FD_CLOEXEC,
		};
	}
	p->watch = r->pidfd_watch;
	p->nr_watches = r->nr_pidfd_watches;
	r->pidfd_watch = NULL;
	r->nr_pidfd_watches = 0;
	p->event = r->pidfd_event;
	p->nr_events = r->nr_pidfd_events;
	r->pidfd_event = NULL;
	r->nr_pidfd_events = 0;
	return p;
}

/**
 * cr_restore_pidfds_plan_free - release a plan of cr_restore_pidfds_plan()
 * @p: the plan, or NULL
 */
void cr_restore_pidfds_plan_free(struct cr_pidfd_plan *p)
{
	if (!p)
		return;
	cr_pidfd_watches_free(p->watch, p->nr_watches);
	cr_pidfd_events_free(p->event, p->nr_events);
	kfree(p->fd);
	kfree(p);
}

/*
 * A pidfd of a process reaped since: of an id that no task has any more,
 * as release_task() leaves one, taken in the process's pid namespace and
 * freed at once.
 */
static struct file *cr_pidfd_reaped(unsigned int f_flags)
{
	struct file *file;
	struct pid *pid;

	pid = alloc_pid(task_active_pid_ns(current), NULL, 0);
	if (IS_ERR(pid))
		return ERR_CAST(pid);
	file = pidfs_alloc_file(pid, O_RDWR | f_flags);
	/* alloc_pid()'s reference is the id's, put by free_pid(); the file has its own. */
	free_pid(pid);
	return file;
}

/* The thread of the process that @tid of the image is now, referenced; or NULL. */
static struct pid *cr_pidfd_thread(pid_t tid)
{
	struct task_struct *task;
	struct pid *pid = NULL;

	rcu_read_lock();
	task = tid > 0 ? find_task_by_vpid(tid) : NULL;
	if (task && same_thread_group(task, current) && !(task->flags & PF_EXITING))
		pid = get_pid(task_pid(task));
	rcu_read_unlock();
	return pid;
}

/* The open file of pidfd @d: the tree's, an earlier descriptor's, or a new one. */
static struct file *cr_pidfd_file(struct cr_pidfd_plan *p, unsigned int i, struct cr_tree *t,
				  pid_t (*tid)(void *arg, pid_t tid), void *arg)
{
	const struct cr_pidfd_fd *d = &p->fd[i];
	struct file *file = NULL, *old;
	unsigned int class, j;
	struct pid *pid;
	int ret;

	if (t)
		file = cr_tree_file(t, d->file_id, &class);
	for (j = 0; !file && j < i; j++)
		if (p->fd[j].file_id == d->file_id)
			file = fget_raw(p->fd[j].fd);
	if (file)
		return file;

	if (d->flags & CR_PIDFD_REAPED) {
		file = cr_pidfd_reaped(d->f_flags);
	} else if (d->flags & CR_PIDFD_OWN_THREAD) {
		/* A thread of the process, created by now with the tid it has. */
		pid = cr_pidfd_thread(tid(arg, d->pid));
		if (!pid)
			return ERR_PTR(-ESRCH);
		file = pidfs_alloc_file(pid, O_RDWR | d->f_flags);
		put_pid(pid);
	} else {
		pid = d->pid ? cr_tree_proc_pid(t, d->pid) : task_tgid(current);
		if (!pid || !pid_has_task(pid, PIDTYPE_TGID))
			return ERR_PTR(-ESRCH);
		file = pidfs_alloc_file(pid, O_RDWR | d->f_flags);
	}
	if (IS_ERR(file))
		return file;
	if (d->flags & CR_PIDFD_THREAD)
		file->f_flags |= PIDFD_THREAD;
	if (!t)
		return file;
	ret = cr_tree_add_file(t, d->file_id, file, CR_FILE_PIDFD);
	if (ret == -EBUSY) {
		/* Another process of the tree made it meanwhile. */
		old = cr_tree_file(t, d->file_id, &class);
		fput(file);
		return old ?: ERR_PTR(-ESRCH);
	}
	if (ret) {
		fput(file);
		return ERR_PTR(ret);
	}
	return file;
}

/**
 * cr_restore_pidfds - make the process's pidfds, and watch them again
 * @p: from cr_restore_pidfds_plan(), or NULL
 * @t: the process's tree, every process of it created; NULL for a lone
 *     process
 * @tid: the tid a thread of the image has now (its threads all created)
 * @arg: passed to @tid
 *
 * Called by the restored process, its table the image's, once every
 * process of the tree exists and before any runs.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_pidfds(struct cr_pidfd_plan *p, struct cr_tree *t,
		      pid_t (*tid)(void *arg, pid_t tid), void *arg)
{
	struct file *file;
	unsigned int i;
	int ret = 0;

	for (i = 0; p && i < p->nr_fds; i++) {
		file = cr_pidfd_file(p, i, t, tid, arg);
		if (IS_ERR(file)) {
			ret = PTR_ERR(file);
			pr_warn_ratelimited("cr: %s: fd %d: cannot make its pidfd of pid %d (%d)\n",
					    current->comm, p->fd[i].fd, p->fd[i].pid, ret);
			return ret;
		}
		ret = replace_fd(p->fd[i].fd, file, p->fd[i].cloexec ? O_CLOEXEC : 0);
		fput(file);
		if (ret < 0)
			return ret;
	}
	for (i = 0; p && i < p->nr_watches; i++) {
		const struct cr_pidfd_watch *w = &p->watch[i];

		file = fget_raw(w->fd);
		ret = file ? epoll_cr_add(w->ep, file, w->fd, w->events, w->data) : -EBADF;
		if (file)
			fput(file);
		if (ret) {
			pr_warn_ratelimited("cr: %s: cannot watch pidfd %d again (%d)\n",
					    current->comm, w->fd, ret);
			return ret;
		}
	}
	/* Who caused the fanotify events; one past the group's limit is gone. */
	for (i = 0; p && i < p->nr_events; i++) {
		struct pid *pid = cr_tree_proc_pid(t, p->event[i].pid);

		if (pid)
			cr_fanotify_set_pid(p->event[i].file, p->event[i].index, pid);
	}
	return 0;
}
