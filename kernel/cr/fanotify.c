// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify: a fanotify group, its marks and the events waiting in it,
 * which anti-virus scanners, file indexers, backup and audit daemons
 * hold.
 *
 * Checkpoint: a fanotify descriptor is an event file of NT_CR_FILES
 * (CR_FD_FANOTIFY, kernel/cr/event.c) whose state is struct
 * cr_fanotify: the group's fanotify_init(2) flags and the flags of the
 * files its events open, then each mark, oldest first, with its type,
 * flags, mask, ignore mask and a path from the process's root to what it
 * is on (a file, the root of a mount, a mount of a filesystem), then the
 * events waiting to be read, oldest first, each with its mask, the path
 * of its file and who caused it: a process of the tree by its number,
 * another as 0. fs/notify/fanotify (patches/0023) gives the group, marks and
 * events. Refused: a mark on a file removed since or that no path of
 * the process leads to (ENOENT, EXDEV, as for inotify), a permission
 * event waiting to be read or answered (EAGAIN: the process that waits
 * for the answer is another one's), events that report file handles or
 * a filesystem error (EOPNOTSUPP, not saved yet).
 *
 * Restore: before the point of no return, a new group is made with its
 * flags, as fanotify_init(2) would with the caller's privileges and
 * limits; the events are queued first, to be read before any new one,
 * then each mark is added by its path from the restored process's root,
 * as fanotify_mark(2) would. An event caused by a process of the tree
 * gets its pid once that process exists (cr_restore_pidfds(), pidfd.c),
 * before any runs; one caused by a process outside is read with pid 0,
 * as fanotify reports a process the reader cannot name.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fanotify.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

static_assert(CR_FANOTIFY_INIT_FLAGS == (FANOTIFY_INIT_FLAGS | FAN_ENABLE_AUDIT));
static_assert(CR_FANOTIFY_FID_FLAGS == FANOTIFY_FID_BITS);
static_assert(CR_FANOTIFY_EVENT_F_FLAGS == (O_ACCMODE | O_APPEND | O_NONBLOCK | __O_SYNC |
					   O_DSYNC | O_CLOEXEC | O_LARGEFILE | O_NOATIME));
static_assert(CR_FANOTIFY_MARK_MASK ==
	      (FANOTIFY_EVENTS | FANOTIFY_PERM_EVENTS | FANOTIFY_EVENT_FLAGS));
static_assert(CR_FANOTIFY_MARK_FLAGS ==
	      (FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE | FAN_MARK_IGNORE));
static_assert(CR_FANOTIFY_EVENT_MASK == (FANOTIFY_PATH_EVENTS | FAN_ONDIR));
static_assert(CR_FANOTIFY_Q_OVERFLOW == FAN_Q_OVERFLOW);
static_assert(CR_FANOTIFY_ONDIR == FAN_ONDIR);
static_assert(CR_FANOTIFY_MARK_INODE == FAN_MARK_INODE);
static_assert(CR_FANOTIFY_MARK_MOUNT == FAN_MARK_MOUNT);
static_assert(CR_FANOTIFY_MARK_FILESYSTEM == FAN_MARK_FILESYSTEM);

/* Checkpoint */

/**
 * cr_fanotify_file - is @file a fanotify group?
 * @file: an open file
 */
bool cr_fanotify_file(struct file *file)
{
	unsigned int flags, event_f_flags;
	bool unpriv;

	return !fanotify_cr_group(file, &flags, &event_f_flags, &unpriv);
}

/* A mark or event found, with its path, before it is laid out in the state. */
struct cr_fanotify_found {
	union {
		struct cr_fanotify_mark m;
		struct cr_fanotify_event ev;
	};
	char *path;
	/* What a mark is on, held to check its path after the walk. */
	struct inode *inode;
	struct vfsmount *mnt;
	struct super_block *sb;
};

struct cr_fanotify_dump {
	const struct path *root;	/* the process's root */
	struct vfsmount *tree;		/* ...its mounts, from there */
	struct cr_fanotify_found *mark;
	unsigned int nr_marks, cap;
	int fd;
	char *buf;			/* PATH_MAX */
	struct inode *drop;		/* held, to put after the walk */
};

static const char *cr_fanotify_type(unsigned int type)
{
	return type == FAN_MARK_INODE ? "file" : type == FAN_MARK_MOUNT ? "mount" : "filesystem";
}

/* Does the path of mark @f lead to what it is on? A lookup: after the walk. */
static int cr_fanotify_check_mark(struct cr_fanotify_dump *fd, struct cr_fanotify_found *f)
{
	int ret;

	if (f->mnt)
		ret = cr_notify_leads(f->path, f->mnt, d_inode(f->mnt->mnt_root), NULL);
	else if (f->inode)
		ret = cr_notify_leads(f->path, NULL, f->inode, NULL);
	else
		ret = cr_notify_leads(f->path, NULL, NULL, f->sb);
	if (ret)
		cr_refuse(current->comm, "checkpoint refused: fd %d: a fanotify mark is on a %s that no path of the process leads to",
			  fd->fd, cr_fanotify_type(f->m.type));
	return ret;
}

static const char *cr_fanotify_why(long err)
{
	return err == -ENOENT ? "removed since" : err == -ENOMEM ? "out of memory" :
	       "that no path of the process leads to";
}

static int cr_fanotify_add_mark(void *arg, const struct fanotify_cr_mark *m)
{
	struct cr_fanotify_dump *fd = arg;
	struct cr_fanotify_found *f;
	struct inode *inode;
	struct path mnt_root;
	char *path;

	if (fd->nr_marks == fd->cap) {
		if (fd->cap >= CR_MAX_FANOTIFY_MARKS)
			return -E2BIG;
		fd->cap = max(16U, 2 * fd->cap);
		f = kvrealloc(fd->mark, fd->cap * sizeof(*f), GFP_KERNEL_ACCOUNT);
		if (!f)
			return -ENOMEM;
		fd->mark = f;
	}
	/* No lookup, and nothing put, under the group's lock: after the walk. */
	inode = m->type == FAN_MARK_INODE ? igrab(m->inode) : NULL;
	if (m->type == FAN_MARK_INODE) {
		path = inode ? cr_notify_inode_path(fd->tree, inode, fd->buf) : ERR_PTR(-ENOENT);
	} else if (m->type == FAN_MARK_MOUNT) {
		mnt_root.mnt = m->mnt;
		mnt_root.dentry = m->mnt->mnt_root;
		path = cr_notify_path(fd->root, &mnt_root, fd->buf);
	} else {
		path = cr_notify_sb_path(fd->tree, m->sb, fd->buf);
	}
	if (IS_ERR(path)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a fanotify mark is on a %s %s",
			  fd->fd, cr_fanotify_type(m->type), cr_fanotify_why(PTR_ERR(path)));
		fd->drop = inode;
		return PTR_ERR(path);
	}
	f = &fd->mark[fd->nr_marks++];
	memset(f, 0, sizeof(*f));
	f->inode = inode;
	f->mnt = m->type == FAN_MARK_MOUNT ? mntget(m->mnt) : NULL;
	f->sb = m->sb;
	f->m.type = m->type;
	f->m.flags = m->flags;
	f->m.mask = m->mask;
	f->m.ignore_mask = m->ignore_mask;
	f->m.path_len = strlen(path) + 1;
	f->path = path;
	return 0;
}

/* The events waiting, with references, into *@ev; their number, or a negative errno. */
static int cr_fanotify_take_events(struct file *file, int fd, struct fanotify_cr_event **ev)
{
	unsigned int max = 64, nr, tries;
	int ret = -ENOSPC;

	*ev = NULL;
	for (tries = 0; tries < 4 && ret == -ENOSPC; tries++) {
		kvfree(*ev);
		*ev = kvcalloc(max, sizeof(**ev), GFP_KERNEL_ACCOUNT);
		if (!*ev)
			return -ENOMEM;
		ret = fanotify_cr_events(file, *ev, max, &nr);
		if (ret == -ENOSPC && nr > CR_MAX_FANOTIFY_EVENTS) {
			cr_refuse(current->comm, "checkpoint refused: fd %d: more than %u fanotify events wait to be read",
				  fd, CR_MAX_FANOTIFY_EVENTS);
			ret = -EFBIG;
		}
		max = min(nr + 64, CR_MAX_FANOTIFY_EVENTS + 1U);
	}
	if (ret == -ENOSPC) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: fanotify events keep coming (try again)",
			  fd);
		ret = -EAGAIN;
	} else if (ret == -EAGAIN) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a fanotify permission event waits to be read or answered (try again)",
			  fd);
	} else if (ret == -EOPNOTSUPP) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: fanotify events that report file handles or a filesystem error wait to be read, not saved yet",
			  fd);
	}
	if (ret) {
		kvfree(*ev);
		*ev = NULL;
		return ret;
	}
	return nr;
}

static void cr_fanotify_put_events(struct fanotify_cr_event *ev, unsigned int nr)
{
	unsigned int i;

	for (i = 0; ev && i < nr; i++) {
		if (ev[i].mask != FAN_Q_OVERFLOW)
			path_put(&ev[i].path);
		put_pid(ev[i].pid);
	}
	kvfree(ev);
}

/* The event of @e, with its path and who caused it, into @f. */
static int cr_fanotify_event(struct cr_fanotify_dump *fd, struct cr_freeze *frz,
			     const struct fanotify_cr_event *e, struct cr_fanotify_found *f)
{
	memset(f, 0, sizeof(*f));
	f->ev.mask = e->mask;
	if (e->mask == FAN_Q_OVERFLOW)
		return 0;
	f->path = cr_notify_path(fd->root, &e->path, fd->buf);
	if (!IS_ERR(f->path) &&
	    cr_notify_leads(f->path, e->path.mnt, d_inode(e->path.dentry), NULL)) {
		kfree(f->path);
		f->path = ERR_PTR(-EXDEV);
	}
	if (IS_ERR(f->path)) {
		int ret = PTR_ERR(f->path);

		f->path = NULL;
		cr_refuse(current->comm, "checkpoint refused: fd %d: a fanotify event waiting to be read is on a file %s",
			  fd->fd, cr_fanotify_why(ret));
		return ret;
	}
	f->ev.path_len = strlen(f->path) + 1;
	if (e->pid && (e->pid == task_tgid(current) || cr_pid_in_tree(frz, e->pid))) {
		f->ev.pid = pid_vnr(e->pid);
		f->ev.flags = CR_FANOTIFY_EVENT_TREE;
	}
	return 0;
}

/**
 * cr_dump_fanotify - the state of a fanotify group, for its descriptor
 * @frz: the frozen tree, or NULL for a lone process
 * @file: the group
 * @fd: its descriptor number in the current process
 * @root: the process's root
 * @state: set to the state, kvmalloc()ed
 * @len: set to its size
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_fanotify(struct cr_freeze *frz, struct file *file, int fd, const struct path *root,
		     void **state, size_t *len)
{
	struct cr_fanotify_dump d = { .root = root, .fd = fd };
	struct cr_fanotify_found *ev = NULL;
	struct fanotify_cr_event *taken = NULL;
	struct cr_fanotify h = {};
	unsigned int i, nr = 0;
	size_t size;
	bool unpriv;
	char *p;
	int ret;

	ret = fanotify_cr_group(file, &h.flags, &h.event_f_flags, &unpriv);
	if (ret)
		return ret;
	h.group_flags = unpriv ? CR_FANOTIFY_UNPRIV : 0;
	d.buf = kmalloc(PATH_MAX, GFP_KERNEL_ACCOUNT);
	if (!d.buf)
		return -ENOMEM;
	d.tree = collect_mounts(root);
	if (IS_ERR(d.tree)) {
		ret = PTR_ERR(d.tree);
		d.tree = NULL;
		cr_refuse(current->comm, "checkpoint refused: fd %d: cannot see the mounts of its fanotify marks (%d)",
			  fd, ret);
		goto out;
	}
	ret = fanotify_cr_marks(file, cr_fanotify_add_mark, &d);
	if (ret == -E2BIG)
		cr_refuse(current->comm, "checkpoint refused: fd %d: more than %u fanotify marks",
			  fd, CR_MAX_FANOTIFY_MARKS);
	if (ret)
		goto out;
	for (i = 0; i < d.nr_marks; i++) {
		ret = cr_fanotify_check_mark(&d, &d.mark[i]);
		if (ret)
			goto out;
	}
	/* The group lists its newest mark first: the state, oldest first. */
	for (i = 0; i < d.nr_marks / 2; i++)
		swap(d.mark[i], d.mark[d.nr_marks - 1 - i]);
	h.nr_marks = d.nr_marks;
	ret = cr_fanotify_take_events(file, fd, &taken);
	if (ret < 0)
		goto out;
	nr = ret;
	ret = 0;
	ev = kvcalloc(nr ?: 1, sizeof(*ev), GFP_KERNEL_ACCOUNT);
	if (!ev) {
		ret = -ENOMEM;
		goto out;
	}
	size = sizeof(h);
	for (i = 0; i < d.nr_marks; i++)
		size += sizeof(d.mark[i].m) + ALIGN(d.mark[i].m.path_len, 8);
	for (i = 0; !ret && i < nr; i++) {
		ret = cr_fanotify_event(&d, frz, &taken[i], &ev[i]);
		size += sizeof(ev[i].ev) + ALIGN(ev[i].ev.path_len, 8);
	}
	if (ret)
		goto out;
	if (size > CR_MAX_UNLINKED) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: fanotify marks and events of more than %u bytes",
			  fd, CR_MAX_UNLINKED);
		ret = -EFBIG;
		goto out;
	}
	h.nr_events = nr;
	p = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!p) {
		ret = -ENOMEM;
		goto out;
	}
	*state = p;
	*len = size;
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	for (i = 0; i < d.nr_marks; i++) {
		memcpy(p, &d.mark[i].m, sizeof(d.mark[i].m));
		p += sizeof(d.mark[i].m);
		memcpy(p, d.mark[i].path, d.mark[i].m.path_len);
		p += ALIGN(d.mark[i].m.path_len, 8);
	}
	for (i = 0; i < nr; i++) {
		memcpy(p, &ev[i].ev, sizeof(ev[i].ev));
		p += sizeof(ev[i].ev);
		if (ev[i].path)
			memcpy(p, ev[i].path, ev[i].ev.path_len);
		p += ALIGN(ev[i].ev.path_len, 8);
	}
out:
	for (i = 0; ev && i < nr; i++)
		kfree(ev[i].path);
	kvfree(ev);
	cr_fanotify_put_events(taken, nr);
	for (i = 0; i < d.nr_marks; i++) {
		kfree(d.mark[i].path);
		iput(d.mark[i].inode);
		mntput(d.mark[i].mnt);
	}
	iput(d.drop);
	kvfree(d.mark);
	if (d.tree)
		drop_collected_mounts(d.tree);
	kfree(d.buf);
	return ret;
}

/* Restore */

/* Add to mark @m of @file by its path, its mask then its ignore mask. */
static int cr_fanotify_restore_mark(struct file *file, const struct cr_fanotify_mark *m,
				    const char *path)
{
	unsigned int flags = FAN_MARK_ADD | m->type | (m->flags & FAN_MARK_EVICTABLE);
	struct path p;
	int ret;

	ret = kern_path(path, 0, &p);
	if (ret)
		return ret;
	if (m->mask)
		ret = fanotify_cr_add_mark(file, flags, m->mask, &p);
	if (!ret && m->ignore_mask) {
		flags |= m->flags & FAN_MARK_IGNORE ? FAN_MARK_IGNORE : FAN_MARK_IGNORED_MASK;
		flags |= m->flags & FAN_MARK_IGNORED_SURV_MODIFY;
		ret = fanotify_cr_add_mark(file, flags, m->ignore_mask, &p);
	}
	path_put(&p);
	return ret;
}

/* Queue event @i, @ev, again; who caused it, if of the tree, later (pidfd.c). */
static int cr_fanotify_restore_event(struct cr_restore *r, struct file *file, unsigned int i,
				     const struct cr_fanotify_event *ev, const char *path)
{
	struct pid *pid = NULL;
	struct path p;
	int ret;

	if (ev->mask == CR_FANOTIFY_Q_OVERFLOW)
		return fanotify_cr_queue_event(file, ev->mask, NULL, NULL);
	ret = kern_path(path, 0, &p);
	if (ret)
		return ret;
	if ((ev->flags & CR_FANOTIFY_EVENT_TREE) && !r->tree)
		pid = task_tgid(current);
	ret = fanotify_cr_queue_event(file, ev->mask, &p, pid);
	path_put(&p);
	if (!ret && (ev->flags & CR_FANOTIFY_EVENT_TREE) && r->tree)
		ret = cr_restore_pidfd_event(r, file, i, ev->pid);
	return ret;
}

/**
 * cr_restore_fanotify - a new fanotify group with the marks and events of @state
 * @r: restore plan
 * @e: its descriptor, checked by cr_rule_event()
 * @state: its state
 *
 * Return: the file, or an ERR_PTR() after saying why.
 */
struct file *cr_restore_fanotify(struct cr_restore *r, const struct cr_fd *e, const char *state)
{
	const char *name = r->img->name;
	struct cr_fanotify h;
	struct file *file;
	size_t off = sizeof(h);
	unsigned int i;
	int ret = 0;

	memcpy(&h, state, sizeof(h));
	file = fanotify_cr_file(h.flags, h.event_f_flags, h.group_flags & CR_FANOTIFY_UNPRIV);
	if (IS_ERR(file)) {
		cr_refuse(name, "fd %d: cannot make its fanotify group (%ld)", e->fd,
			  PTR_ERR(file));
		return file;
	}
	spin_lock(&file->f_lock);
	file->f_flags = (file->f_flags & ~O_NONBLOCK) | (e->flags & O_NONBLOCK);
	spin_unlock(&file->f_lock);
	/* The events first, oldest before any a new mark could report. */
	for (i = 0; i < h.nr_marks; i++) {
		struct cr_fanotify_mark m;

		memcpy(&m, state + off, sizeof(m));
		off += sizeof(m) + ALIGN(m.path_len, 8);
	}
	for (i = 0; !ret && i < h.nr_events; i++) {
		struct cr_fanotify_event ev;

		memcpy(&ev, state + off, sizeof(ev));
		off += sizeof(ev);
		ret = cr_fanotify_restore_event(r, file, i, &ev, state + off);
		if (ret)
			cr_refuse(name, "fd %d: cannot queue fanotify event %u on %s again (%d)",
				  e->fd, i, ev.path_len ? state + off : "(overflow)", ret);
		off += ALIGN(ev.path_len, 8);
	}
	off = sizeof(h);
	for (i = 0; !ret && i < h.nr_marks; i++) {
		struct cr_fanotify_mark m;
		const char *path;

		memcpy(&m, state + off, sizeof(m));
		path = state + off + sizeof(m);
		off += sizeof(m) + ALIGN(m.path_len, 8);
		ret = cr_fanotify_restore_mark(file, &m, path);
		if (ret)
			cr_refuse(name, "fd %d: cannot add its fanotify mark on %s again (%d)",
				  e->fd, path, ret);
	}
	if (ret) {
		fput(file);
		return ERR_PTR(ret);
	}
	return file;
}

/**
 * cr_fanotify_set_pid - who caused an event queued again, once it exists
 * @file: the group
 * @index: the event's place in its queue
 * @pid: the process
 *
 * Return: 0, or -ENOENT when the event is gone (past the group's limit).
 */
int cr_fanotify_set_pid(struct file *file, unsigned int index, struct pid *pid)
{
	return fanotify_cr_set_pid(file, index, pid);
}
