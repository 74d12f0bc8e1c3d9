// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queues (mq_open()): a descriptor of a queue.
 *
 * Checkpoint: CR_FD_MQUEUE, its path "/" and the queue's name; in the
 * data area struct cr_mqueue (attributes, permission bits, owner, the
 * process's registration with mq_notify()) and the messages, struct
 * cr_mq_msg and text each, in the order mq_receive() takes them. ipc/mqueue.c
 * reads them under the queue's lock (mqueue_cr_get(), patch 0014).
 *
 * Restore, before the point of no return: a queue of that name in the
 * caller's IPC namespace is the one the image means, as a file at its
 * path is, with the messages it has then (a restore in the same boot
 * finds its queue as the checkpoint left it, in exit mode) when its
 * attributes are the same; a queue that is gone is made again with its
 * attributes, permission bits and messages, the restoring caller its
 * owner. A queue removed (mq_unlink()) while open is made under a
 * passing name, then removed. A registration comes back in its process,
 * after the point of no return.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/xarray.h>

/* Checkpoint */

bool cr_is_mqueue(struct file *file)
{
	return mqueue_cr_file(file);
}

/* Is @owner a process of the tree being checkpointed (its image has the registration)? */
static bool cr_mqueue_owner_in_tree(struct cr_freeze *f, struct pid *owner)
{
	unsigned int i, n = f ? cr_freeze_nr_procs(f) : 0, nr_threads;
	int parent;

	for (i = 0; i < n; i++) {
		struct task_struct *p = cr_freeze_proc(f, i, &parent, &nr_threads);

		if (nr_threads && task_tgid(p) == owner)
			return true;
	}
	return false;
}

/* Why a queue cannot be saved, or NULL. */
static const char *cr_mqueue_refusal(struct file *file, const struct mqueue_cr *q,
				     struct cr_freeze *f)
{
	if (file->f_path.mnt->mnt_sb != current->nsproxy->ipc_ns->mq_mnt->mnt_sb)
		return "a queue of another IPC namespace";
	if (q->unlinked && READ_ONCE(file->f_path.dentry->d_lockref.count) > 1)
		return "a queue removed while open, by more than one open file (mq_open() twice)";
	if (q->notify == SIGEV_THREAD)
		return "its mq_notify() registration is SIGEV_THREAD (a netlink socket), which is not saved yet";
	if (q->owner && q->owner != task_tgid(current) && !cr_mqueue_owner_in_tree(f, q->owner))
		return "its mq_notify() registration is another process's, outside the tree";
	/* Registered again with the descriptors, which such a process does not restore. */
	if (q->owner == task_tgid(current) &&
	    atomic_read(&current->files->count) > get_nr_threads(current))
		return "its mq_notify() registration is a process's that shares its descriptor table (CLONE_FILES), which is not saved yet";
	return NULL;
}

/**
 * cr_dump_mqueue - the state and messages of a queue, for the data area
 * @f: the frozen tree, or NULL
 * @file: the queue's open file
 * @fd: its descriptor, for messages
 * @len: set to the length of what is returned
 *
 * Return: struct cr_mqueue and the messages (kvfree() it), or an ERR_PTR
 * after saying why.
 */
void *cr_dump_mqueue(struct cr_freeze *f, struct file *file, int fd, size_t *len)
{
	struct user_namespace *ns = current_user_ns();
	struct cr_mqueue *m = NULL;
	const char *why = NULL;
	struct mqueue_cr q;
	size_t room = 0;
	int ret, tries;

	for (tries = 0; tries < 4; tries++) {
		ret = mqueue_cr_get(file, &q, m ? m + 1 : NULL, room);
		if (ret != -ENOSPC)
			break;
		put_pid(q.owner);
		q.owner = NULL;
		if (q.len > CR_MAX_UNLINKED) {
			cr_refuse(current->comm, "checkpoint refused: fd %d is a message queue holding %zu bytes, more than %u",
				  fd, q.len, CR_MAX_UNLINKED);
			kvfree(m);
			return ERR_PTR(-EFBIG);
		}
		kvfree(m);
		room = q.len;
		m = kvzalloc(sizeof(*m) + room, GFP_KERNEL_ACCOUNT);
		if (!m)
			return ERR_PTR(-ENOMEM);
	}
	if (!ret && !m) {
		m = kvzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
		ret = m ? 0 : -ENOMEM;
	}
	if (ret == -ENOSPC)
		why = "its messages keep changing";
	else if (!ret)
		why = cr_mqueue_refusal(file, &q, f);
	if (why || ret) {
		if (why)
			cr_refuse(current->comm, "checkpoint refused: fd %d (%pD) is a message queue: %s",
				  fd, file, why);
		put_pid(q.owner);
		kvfree(m);
		return ERR_PTR(ret == -ENOSPC ? -EAGAIN : ret ?: -EOPNOTSUPP);
	}
	m->flags = q.unlinked ? CR_MQUEUE_UNLINKED : 0;
	m->mode = q.mode;
	m->uid = from_kuid_munged(ns, q.uid);
	m->gid = from_kgid_munged(ns, q.gid);
	m->maxmsg = q.maxmsg;
	m->msgsize = q.msgsize;
	m->nr_msgs = q.curmsgs;
	if (q.owner == task_tgid(current)) {
		m->notify = q.notify == SIGEV_SIGNAL ? CR_MQUEUE_NOTIFY_SIGNAL :
			    CR_MQUEUE_NOTIFY_QUIET;
		m->signo = q.notify == SIGEV_SIGNAL ? q.signo : 0;
		m->value = q.notify == SIGEV_SIGNAL ? q.value : 0;
	}
	put_pid(q.owner);
	*len = sizeof(*m) + q.len;
	return m;
}

/**
 * cr_dump_mqueue_whole - in an IPC namespace of the tree's own, no queue
 *	is left that the tree has not open
 * @o: the checkpoint's objects
 *
 * A queue of the namespace that no process of the tree has open would not
 * be saved, and the restore makes a new namespace.
 *
 * Return: 0, or -EOPNOTSUPP after saying why.
 */
int cr_dump_mqueue_whole(struct cr_objs *o)
{
	struct vfsmount *mnt = current->nsproxy->ipc_ns->mq_mnt;
	unsigned int i, n = cr_objs_nr(o), queues = 0, open = 0;
	struct dentry *root, *child;
	unsigned long ino;
	struct xarray seen;
	int ret = 0;

	if (!mnt)
		return 0;
	root = mnt->mnt_root;
	inode_lock_shared(d_inode(root));
	spin_lock(&root->d_lock);
	hlist_for_each_entry(child, &root->d_children, d_sib)
		queues += simple_positive(child);
	spin_unlock(&root->d_lock);
	inode_unlock_shared(d_inode(root));

	xa_init(&seen);
	for (i = 0; i < n && !ret; i++) {
		struct file *file = cr_objs_get(o, i)->file;
		struct inode *inode;

		if (!file || !cr_is_mqueue(file) || file->f_path.mnt->mnt_sb != mnt->mnt_sb)
			continue;
		inode = file_inode(file);
		ino = inode->i_ino;
		if (!inode->i_nlink || xa_load(&seen, ino))
			continue;	/* removed while open, or counted */
		ret = xa_err(xa_store(&seen, ino, xa_mk_value(1), GFP_KERNEL));
		open++;
	}
	xa_destroy(&seen);
	if (ret)
		return ret;
	if (queues > open) {
		cr_refuse(current->comm, "checkpoint refused: the tree's own IPC namespace has %u POSIX message queues that no process of the tree has open (not saved yet)",
			  queues - open);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Restore */

static atomic_t cr_mqueue_seq = ATOMIC_INIT(0);

/* The messages of the image into a queue the restore made. */
static int cr_mqueue_fill(struct file *file, const struct cr_mqueue *q, const char *msgs)
{
	struct cr_mq_msg m;
	size_t off = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < q->nr_msgs; i++) {
		memcpy(&m, msgs + off, sizeof(m));
		ret = mqueue_cr_send(file, msgs + off + sizeof(m), m.len, m.prio);
		if (ret)
			return ret;
		off += sizeof(m) + ALIGN(m.len, 8);
	}
	return 0;
}

/* A queue found by its name: the image's if its attributes are. */
static int cr_mqueue_check(struct file *file, const struct cr_mqueue *q)
{
	struct mqueue_cr now;
	int ret = mqueue_cr_get(file, &now, NULL, 0);

	put_pid(now.owner);
	if (ret && ret != -ENOSPC)
		return ret;
	if (now.maxmsg != q->maxmsg || now.msgsize != q->msgsize)
		return -EEXIST;
	return q->notify && now.notify != -1 ? -EBUSY : 0;
}

/**
 * cr_restore_mqueue - the open file of a message queue descriptor, before
 *	the point of no return
 * @r: restore plan
 * @e: the descriptor, checked by cr_rule_mqueue()
 *
 * Return: a new open file of the queue, or an ERR_PTR after saying why.
 */
struct file *cr_restore_mqueue(struct cr_restore *r, const struct cr_fd *e)
{
	const char *data = r->fd_data + e->data_off, *path = r->fd_data + e->path_off;
	int oflag = (e->flags & (O_ACCMODE | O_NONBLOCK)) | O_CREAT;
	bool unlinked, made;
	struct cr_mqueue q;
	struct file *file;
	char tmp[40];
	int ret;

	memcpy(&q, data, sizeof(q));
	unlinked = q.flags & CR_MQUEUE_UNLINKED;
	if (unlinked) {
		/* Made under a passing name, removed once filled. */
		snprintf(tmp, sizeof(tmp), "cr-restore-%d-%u", task_pid_nr(current),
			 atomic_inc_return(&cr_mqueue_seq));
		oflag |= O_EXCL;
	}
	file = mqueue_cr_open(unlinked ? tmp : path + 1, oflag, q.mode, q.maxmsg, q.msgsize, &made);
	if (IS_ERR(file)) {
		cr_refuse(r->img->name, "fd %d: cannot open or make message queue %s (%ld)",
			  e->fd, path, PTR_ERR(file));
		return file;
	}
	if (!made) {
		ret = cr_mqueue_check(file, &q);
		if (ret)
			cr_refuse(r->img->name, "fd %d: message queue %s is there, %s (%d)", e->fd, path,
				  ret == -EEXIST ? "with other attributes" :
				  ret == -EBUSY ? "with another process's registration" :
				  "unreadable", ret);
	} else {
		ret = cr_mqueue_fill(file, &q, data + sizeof(q));
		if (!ret && unlinked)
			ret = mqueue_cr_unlink(file);
		else if (!ret)
			ret = cr_tree_mqueue_made(r->tree, file);
		if (ret) {
			cr_refuse(r->img->name, "fd %d: cannot make message queue %s again (%d)",
				  e->fd, path, ret);
			mqueue_cr_unlink(file);
		}
	}
	if (ret) {
		fput(file);
		return ERR_PTR(ret);
	}
	return file;
}

/**
 * cr_restore_mqueue_notify - the process's registration on a queue, again
 * @r: the plan, past the point of no return
 * @e: a descriptor of kind CR_FD_MQUEUE
 * @file: its file
 *
 * Return: 0 or a negative errno (another process registered since the
 * check before the point of no return).
 */
int cr_restore_mqueue_notify(struct cr_restore *r, const struct cr_fd *e, struct file *file)
{
	struct cr_mqueue q;
	int ret;

	memcpy(&q, r->fd_data + e->data_off, sizeof(q));
	if (!q.notify)
		return 0;
	ret = mqueue_cr_notify(file, q.notify == CR_MQUEUE_NOTIFY_SIGNAL ? SIGEV_SIGNAL :
			       SIGEV_NONE, q.signo, q.value);
	if (ret == -EBUSY) {
		/* Two descriptors of the queue: registered by the first. */
		struct mqueue_cr now;

		mqueue_cr_get(file, &now, NULL, 0);
		if (now.owner == task_tgid(current))
			ret = 0;
		put_pid(now.owner);
	}
	if (ret)
		cr_refuse(r->img->name, "fd %d: cannot register for message queue %s again (%d)",
			  e->fd, r->fd_data + e->path_off, ret);
	return ret;
}
