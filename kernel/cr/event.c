// SPDX-License-Identifier: GPL-2.0
/*
 * Event files: the eventfds, signalfds, timerfds and epolls of an event
 * loop, the inotify instances, whose watches are in notify.c, and the
 * fanotify groups, whose marks and events are in fanotify.c.
 *
 * Checkpoint: each is a descriptor of NT_CR_FILES (CR_FD_EVENTFD,
 * CR_FD_SIGNALFD, CR_FD_TIMERFD, CR_FD_EPOLL) whose state is in the
 * note's data area: an eventfd's counter and EFD_SEMAPHORE, a signalfd's
 * mask, a timerfd's clock, flags, time left, period and unread
 * expirations, an epoll's targets (struct cr_epoll_target). The files'
 * own functions read the state (fs/eventfd.c, fs/signalfd.c,
 * fs/timerfd.c, fs/eventpoll.c: patches/0007). An event file must be
 * held by descriptors of the tree only: a copy would part from what
 * another holder sees. An epoll's targets are named by a descriptor
 * table of the tree, the one of the process that added them: at the
 * scan, the first table in which every target's number still names the
 * target's file owns the epoll, and its process writes the targets, in
 * its first descriptor of the epoll; the other descriptors write none. An epoll whose targets no table
 * names (a target closed or replaced since it was added) refuses the
 * checkpoint.
 *
 * Restore: before the point of no return, each is made anew with its
 * state (cr_restore_event()), and once the process's table is ready,
 * an epoll gets its targets, by file, at the numbers they had
 * (cr_restore_epolls()). A timerfd is made disarmed, with its unread
 * expirations, and armed last in the restore of its process
 * (cr_restore_timerfds()): a relative timerfd, and an absolute one on a
 * monotonic clock, get the time they had left, counted from the end of
 * the restore; an absolute one on CLOCK_REALTIME expires at its
 * wall-clock time, at once if that passed (then with its overruns).
 */
#include <linux/bitmap.h>
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/eventfd.h>
#include <linux/eventpoll.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/sched.h>
#include <linux/signalfd.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <linux/timerfd.h>

/* Checkpoint */

static int cr_epoll_any(void *arg, struct file *tfile, int fd, __poll_t events, u64 data)
{
	return 1;
}

/**
 * cr_event_kind - what kind of event file @file is
 * @file: an open file
 *
 * Return: CR_FD_EVENTFD, CR_FD_SIGNALFD, CR_FD_TIMERFD, CR_FD_EPOLL,
 * CR_FD_INOTIFY, CR_FD_FANOTIFY, or 0 for another file.
 */
u32 cr_event_kind(struct file *file)
{
	struct itimerspec64 t;
	int clockid, flags;
	sigset_t mask;
	u64 n;

	if (!eventfd_cr_state(file, &n, &flags))
		return CR_FD_EVENTFD;
	if (!signalfd_cr_state(file, &mask))
		return CR_FD_SIGNALFD;
	if (timerfd_cr_state(file, &clockid, &flags, &t, &n) != -EINVAL)
		return CR_FD_TIMERFD;
	if (epoll_cr_targets(file, cr_epoll_any, NULL) != -EINVAL)
		return CR_FD_EPOLL;
	if (cr_inotify_file(file))
		return CR_FD_INOTIFY;
	if (cr_fanotify_file(file))
		return CR_FD_FANOTIFY;
	return 0;
}

/* Does the descriptor @fd of @p name @tfile? Stops the walk if not. */
static int cr_epoll_names(void *arg, struct file *tfile, int fd, __poll_t events, u64 data)
{
	struct file *f = fget_task(arg, fd);

	if (f)
		fput(f);
	return f == tfile ? 0 : 1;
}

/**
 * cr_event_scan - an event file found in the table of @p, at the scan
 * @obj: its object; obj->event is set
 * @p: a process of the tree, frozen
 * @files: its descriptor table
 *
 * An epoll is owned by the first table in which each target's number
 * names the target.
 */
void cr_event_scan(struct cr_obj *obj, struct task_struct *p, struct files_struct *files)
{
	if (obj->event == CR_FD_EPOLL && !obj->owner &&
	    !epoll_cr_targets(obj->file, cr_epoll_names, p))
		obj->owner = files;
}

struct cr_epoll_dump {
	struct cr_objs *objs;
	struct cr_epoll_target *t;
	unsigned int nr, cap;
};

static int cr_epoll_add_target(void *arg, struct file *tfile, int fd, __poll_t events,
			       u64 data)
{
	struct cr_epoll_dump *ed = arg;
	struct cr_obj *obj = cr_obj_find(ed->objs, tfile, false);
	struct cr_epoll_target *t;

	if (!obj)
		return -EAGAIN;
	if (ed->nr == ed->cap) {
		if (ed->cap >= CR_MAX_EPOLL_TARGETS)
			return -E2BIG;
		ed->cap = max(16U, 2 * ed->cap);
		t = kvrealloc(ed->t, ed->cap * sizeof(*t), GFP_KERNEL_ACCOUNT);
		if (!t)
			return -ENOMEM;
		ed->t = t;
	}
	t = &ed->t[ed->nr++];
	memset(t, 0, sizeof(*t));
	t->file_id = obj->id;
	t->fd = fd;
	t->events = (__force u32)events;
	t->data = data;
	return 0;
}

static int cr_epoll_cmp(const void *a, const void *b)
{
	const struct cr_epoll_target *x = a, *y = b;

	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

static int cr_dump_epoll(struct cr_objs *o, struct cr_obj *obj, struct file *file, int fd,
			 void **state, size_t *len)
{
	struct cr_epoll_dump ed = { .objs = o };
	int ret;

	if (!obj->owner) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: an epoll watching a file whose descriptor was closed or reused since it was added",
			  fd);
		return -EINVAL;
	}
	/* Another descriptor, or process of the tree, writes the targets. */
	if (obj->owner != current->files || xchg(&obj->written, true))
		return 0;
	ret = epoll_cr_targets(file, cr_epoll_add_target, &ed);
	if (ret) {
		kvfree(ed.t);
		if (ret == -E2BIG)
			cr_refuse(current->comm, "checkpoint refused: fd %d: an epoll watching more than %u files",
				  fd, CR_MAX_EPOLL_TARGETS);
		return ret;
	}
	sort(ed.t, ed.nr, sizeof(*ed.t), cr_epoll_cmp, NULL);
	*state = ed.t;
	*len = ed.nr * sizeof(*ed.t);
	return 0;
}

static int cr_dump_timerfd(struct file *file, int fd, struct cr_timerfd *s)
{
	struct itimerspec64 t;
	int clockid, flags, ret;

	ret = timerfd_cr_state(file, &clockid, &flags, &t, &s->ticks);
	if (ret == -ECANCELED)
		cr_refuse(current->comm, "checkpoint refused: fd %d: a timerfd canceled by a clock change, which no read reported yet",
			  fd);
	if (ret)
		return ret;
	s->clockid = clockid;
	s->flags = (flags & TFD_TIMER_ABSTIME ? CR_TIMERFD_ABSTIME : 0) |
		   (flags & TFD_TIMER_CANCEL_ON_SET ? CR_TIMERFD_CANCEL_ON_SET : 0);
	s->value_ns = timespec64_to_ns(&t.it_value);
	s->interval_ns = timespec64_to_ns(&t.it_interval);
	if (s->value_ns && (flags & TFD_TIMER_ABSTIME) &&
	    (clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM))
		s->expires_ns = ktime_get_real_ns() + s->value_ns;
	/*
	 * A periodic timer due now, whose expiry the timer interrupt has not
	 * handled yet, shows no time left: it is armed, due at once (a timer
	 * disarmed with an interval kept, which shows the same, is taken for
	 * one: timerfd_cr_state() does not say which).
	 */
	if (!s->value_ns && s->interval_ns)
		s->value_ns = 1;
	return 0;
}

/**
 * cr_dump_event - the state of an event file, for its descriptor
 * @o: the checkpoint's objects
 * @obj: the file's object
 * @file: the file
 * @fd: its descriptor number in the current process
 * @root: the process's root, for the paths of inotify watches and fanotify marks
 * @frz: the frozen tree, or NULL for a lone process
 * @state: set to the state, kvmalloc()ed (NULL when @len is 0)
 * @len: set to its size
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_event(struct cr_objs *o, struct cr_obj *obj, struct file *file, int fd,
		  const struct path *root, struct cr_freeze *frz, void **state, size_t *len)
{
	union {
		struct cr_eventfd efd;
		struct cr_signalfd sfd;
		struct cr_timerfd tfd;
	} s = {};
	size_t size;
	sigset_t mask;
	int flags, ret;

	*state = NULL;
	*len = 0;
	if (obj->outside) {
		cr_refuse(current->comm, "checkpoint refused: fd %d (%pD) is held outside the tree too",
			  fd, file);
		return -EBUSY;
	}
	switch (obj->event) {
	case CR_FD_EVENTFD:
		ret = eventfd_cr_state(file, &s.efd.count, &flags);
		s.efd.flags = flags & EFD_SEMAPHORE ? CR_EVENTFD_SEMAPHORE : 0;
		size = sizeof(s.efd);
		break;
	case CR_FD_SIGNALFD:
		ret = signalfd_cr_state(file, &mask);
		s.sfd.mask = mask.sig[0];
		size = sizeof(s.sfd);
		break;
	case CR_FD_TIMERFD:
		ret = cr_dump_timerfd(file, fd, &s.tfd);
		size = sizeof(s.tfd);
		break;
	case CR_FD_EPOLL:
		return cr_dump_epoll(o, obj, file, fd, state, len);
	case CR_FD_INOTIFY:
		return cr_dump_inotify(file, fd, root, state, len);
	case CR_FD_FANOTIFY:
		return cr_dump_fanotify(frz, file, fd, root, state, len);
	default:
		return -EINVAL;
	}
	if (ret)
		return ret;
	*state = kvmemdup(&s, size, GFP_KERNEL_ACCOUNT);
	if (!*state)
		return -ENOMEM;
	*len = size;
	return 0;
}

/* Restore */

/* The expiry and period of a timerfd, and its TFD_TIMER_* flags. */
static int cr_timerfd_setting(const struct cr_timerfd *s, struct itimerspec64 *t)
{
	int tflags = 0;

	t->it_value = ns_to_timespec64(s->value_ns);
	t->it_interval = ns_to_timespec64(s->interval_ns);
	if (s->expires_ns) {
		/* An absolute timer on the wall clock: its wall-clock time. */
		t->it_value = ns_to_timespec64(s->expires_ns);
		tflags = TFD_TIMER_ABSTIME;
		if (s->flags & CR_TIMERFD_CANCEL_ON_SET)
			tflags |= TFD_TIMER_CANCEL_ON_SET;
	}
	return tflags;
}

/*
 * A timerfd is made disarmed, with its unread expirations: its time left
 * counts from the end of the restore (cr_restore_timerfds()), not from
 * here, before the memory of the tree is loaded.
 */
static struct file *cr_restore_timerfd(const struct cr_timerfd *s, int flags)
{
	struct itimerspec64 t;

	cr_timerfd_setting(s, &t);
	if (!itimerspec64_valid(&t))
		return ERR_PTR(-EINVAL);
	return timerfd_cr_create(s->clockid, flags, s->ticks);
}

/**
 * cr_restore_event - a new event file for descriptor @e
 * @r: restore plan
 * @e: the descriptor, checked by cr_rule_fd_file()
 *
 * Return: the file, or an ERR_PTR() after saying why.
 */
struct file *cr_restore_event(struct cr_restore *r, const struct cr_fd *e)
{
	const char *state = r->fd_data + e->data_off;
	int nonblock = e->flags & O_NONBLOCK;
	struct cr_signalfd sfd;
	struct cr_eventfd efd;
	struct cr_timerfd tfd;
	sigset_t mask = {};
	struct file *f;

	switch (e->kind) {
	case CR_FD_EVENTFD:
		memcpy(&efd, state, sizeof(efd));
		f = eventfd_cr_create(efd.count, nonblock |
				      (efd.flags & CR_EVENTFD_SEMAPHORE ? EFD_SEMAPHORE : 0));
		break;
	case CR_FD_SIGNALFD:
		memcpy(&sfd, state, sizeof(sfd));
		mask.sig[0] = sfd.mask;
		f = signalfd_cr_create(&mask, nonblock);
		break;
	case CR_FD_TIMERFD:
		memcpy(&tfd, state, sizeof(tfd));
		f = cr_restore_timerfd(&tfd, nonblock);
		if (!IS_ERR(f))
			__set_bit(e - r->fd, r->fd_arm);
		break;
	case CR_FD_INOTIFY:
		return cr_restore_inotify(r->img->name, e->fd, state, nonblock);
	case CR_FD_FANOTIFY:
		return cr_restore_fanotify(r, e, state);
	case CR_FD_EPOLL:
		f = epoll_cr_create();
		if (!IS_ERR(f) && nonblock) {
			spin_lock(&f->f_lock);
			f->f_flags |= O_NONBLOCK;
			spin_unlock(&f->f_lock);
		}
		break;
	default:
		f = ERR_PTR(-EINVAL);
	}
	if (IS_ERR(f))
		cr_refuse(r->img->name, "fd %d: cannot make its %s (%ld)", e->fd,
			  e->kind == CR_FD_EVENTFD ? "eventfd" : e->kind == CR_FD_SIGNALFD ?
			  "signalfd" : e->kind == CR_FD_TIMERFD ? "timerfd" : "epoll",
			  PTR_ERR(f));
	return f;
}

/* The index of descriptor @fd in the plan's table, or -1. */
static int cr_restore_fd_index(struct cr_restore *r, int fd)
{
	unsigned int lo = 0, hi = r->nr_fds, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->fd[mid].fd == fd)
			return mid;
		if (r->fd[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int cr_restore_epoll(struct cr_restore *r, const struct cr_fd *e, struct file *ep)
{
	const char *name = r->img->name;
	struct cr_epoll_target t;
	struct file *tf;
	u64 i;
	int j, ret;

	for (i = 0; i < e->data_len / sizeof(t); i++) {
		memcpy(&t, r->fd_data + e->data_off + i * sizeof(t), sizeof(t));
		j = cr_restore_fd_index(r, t.fd);
		if (j < 0)
			return -EINVAL;		/* cr_rule_epoll_targets() said no */
		if (r->fd[j].kind == CR_FD_PIDFD) {
			/* Watched once its pidfd is made (kernel/cr/pidfd.c). */
			ret = cr_restore_pidfd_watch(r, ep, t.fd, t.events, t.data);
			if (ret)
				return ret;
			continue;
		}
		tf = r->fd_file[j] ? get_file(r->fd_file[j]) : NULL;
		if (!tf && r->fd[j].kind == CR_FD_INHERIT && !r->tree_idx)
			tf = fget_raw(t.fd);	/* the root keeps the caller's */
		if (!tf) {
			cr_refuse(name, "fd %d: epoll target fd %d is not there to watch",
				  e->fd, t.fd);
			return -EBADF;
		}
		ret = epoll_cr_add(ep, tf, t.fd, t.events, t.data);
		fput(tf);
		if (ret) {
			cr_refuse(name, "fd %d: cannot watch fd %d again (%d)", e->fd, t.fd, ret);
			return ret;
		}
	}
	return 0;
}

/**
 * cr_restore_epolls - the targets of the process's epolls
 * @r: a plan whose descriptors are all prepared
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_epolls(struct cr_restore *r)
{
	unsigned int i;
	int ret;

	for (i = 0; i < r->nr_fds; i++) {
		const struct cr_fd *e = &r->fd[i];

		if (e->kind != CR_FD_EPOLL || !e->data_len)
			continue;
		ret = cr_rule_epoll_targets(r->img->name, e, r->fd, r->nr_fds, r->fd_data);
		if (!ret)
			ret = cr_restore_epoll(r, e, r->fd_file[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* A timerfd made disarmed, with its setting, until it is armed. */
struct cr_timerfd_arm {
	struct file *file;
	struct itimerspec64 t;
	int tflags;
};

/**
 * cr_restore_timerfds_plan - the timerfds the process's plan made, to arm
 * @r: the plan, its descriptors restored
 * @arm: set to them, kvmalloc()ed with a reference to each file, or NULL
 * @nr: set to their number
 *
 * Each timerfd is armed once, by the process whose plan made it (others
 * share it), with cr_restore_timerfds().
 *
 * Return: 0 or -ENOMEM.
 */
int cr_restore_timerfds_plan(struct cr_restore *r, struct cr_timerfd_arm **arm,
			     unsigned int *nr)
{
	struct cr_timerfd tfd;
	unsigned int i, n;

	*arm = NULL;
	*nr = 0;
	n = r->fd_arm ? bitmap_weight(r->fd_arm, r->nr_fds) : 0;
	if (!n)
		return 0;
	*arm = kvcalloc(n, sizeof(**arm), GFP_KERNEL_ACCOUNT);
	if (!*arm)
		return -ENOMEM;
	for_each_set_bit(i, r->fd_arm, r->nr_fds) {
		struct cr_timerfd_arm *a = &(*arm)[(*nr)++];

		memcpy(&tfd, r->fd_data + r->fd[i].data_off, sizeof(tfd));
		a->tflags = cr_timerfd_setting(&tfd, &a->t);
		a->file = get_file(r->fd_file[i]);
	}
	return 0;
}

/**
 * cr_restore_timerfds - arm timerfds, and release them
 * @arm: from cr_restore_timerfds_plan(), freed here
 * @nr: their number
 * @go: arm them; false only releases them (a restore that failed)
 *
 * Called last in the restore of the process, once its tree runs, as
 * its other timers are armed: the time a timerfd had left counts from
 * here. One on the wall clock that a clock change canceled meanwhile
 * stays canceled, and its next read says so, as for any timerfd.
 */
void cr_restore_timerfds(struct cr_timerfd_arm *arm, unsigned int nr, bool go)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (go)
			timerfd_cr_arm(arm[i].file, arm[i].tflags, &arm[i].t);
		fput(arm[i].file);
	}
	kvfree(arm);
}
