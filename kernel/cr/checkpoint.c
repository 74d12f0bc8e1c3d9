// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint: the SIGCKPT default action.
 *
 * The process checkpoints itself, in its own context, on its way back to
 * user space: get_signal() dequeued SIGCKPT and found no handler. The
 * image is written under a temporary name next to its final one, created
 * as the process's fsuid with mode 0700, not following symlinks, and
 * renamed into place only when complete: a failed checkpoint never
 * destroys an earlier image. Then the process continues, stops or exits,
 * as the sender asked (Documentation/cr/user-guide.rst).
 */
#include <linux/cr.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/hashtable.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <linux/workqueue.h>

#define CR_TMP_SUFFIX	".part"

static int cr_dump_header(struct cr_dump *d, unsigned int nr_processes,
			  unsigned int nr_threads)
{
	struct cr_hdr_image h = {
		.magic = CR_IMAGE_MAGIC,
		.version = CR_IMAGE_VERSION,
		.hdr_size = sizeof(h),
		.e_machine = ELF_ARCH,
		.page_shift = PAGE_SHIFT,
		.nr_processes = nr_processes,
		.nr_threads = nr_threads,
		.time_ns = ktime_get_real_ns(),
	};

	strscpy(h.kernel_release, utsname()->release, sizeof(h.kernel_release));
	return cr_dump_note(d, CR_NOTE_NAME, NT_CR_HEADER, &h, sizeof(h));
}

/*
 * Why the current process cannot be checkpointed now, or NULL. A process
 * that is not dumpable may be, when a requester with CAP_SYS_PTRACE over
 * it asked (@privileged: cr_request_checkpoint()).
 */
static const char *cr_refusal(bool privileged)
{
	struct mm_struct *mm = current->mm;

	if (!mm || (current->flags & PF_KTHREAD))
		return "no user address space";
	if (get_dumpable(mm) != SUID_DUMP_USER && !privileged)
		return "process is not dumpable (setuid, or PR_SET_DUMPABLE 0)";
	if (current->signal->flags & SIGNAL_GROUP_EXIT)
		return "process is exiting";
	return NULL;
}

/*
 * Collect the notes of the current process, in the order of the format:
 * header, threads, process, files; its memory comes later (cr_ckpt_mm()).
 * Nothing is written yet: a refusal creates no file. Its other threads
 * are parked in @f. Runs in the SIGCKPT thread for its own process, and
 * in an agent thread for each descendant process.
 */
static int cr_dump_image(struct cr_dump *d, struct cr_freeze *f,
			 unsigned int nr_processes, unsigned int nr_threads)
{
	unsigned int i, n = cr_freeze_nr(f);
	struct task_struct *t, *first = current;
	const char *why = cr_refusal(d->privileged);
	int ret;

	if (why) {
		cr_refuse(current->comm, "checkpoint refused: %s", why);
		return -EPERM;
	}
	/*
	 * The thread group leader first, as gdb and the restore expect. A
	 * thread that began to exit after it was asked to park parks in
	 * exit_task_work(), its mm and much else gone: the process is not
	 * one the image could describe now (issue 12, finding 7).
	 */
	for (i = 0; i < n; i++) {
		if (!cr_freeze_same_process(f, i))
			continue;
		t = cr_freeze_task(f, i);
		if (t->flags & PF_EXITING) {
			cr_refuse(current->comm, "checkpoint refused: thread %d is exiting",
				  task_pid_vnr(t));
			return -EAGAIN;
		}
		if (thread_group_leader(t))
			first = t;
	}
	get_fs_root(current->fs, &d->root);
	ret = cr_dump_header(d, nr_processes, nr_threads);
	if (!ret)
		ret = cr_dump_task(d, first, true);
	if (!ret && first != current)
		ret = cr_dump_task(d, current, false);
	for (i = 0; !ret && i < n; i++) {
		t = cr_freeze_task(f, i);
		if (t != first && cr_freeze_same_process(f, i))
			ret = cr_dump_task(d, t, false);
	}
	if (!ret)
		ret = cr_dump_signal(d, current);
	if (!ret)
		ret = cr_dump_process(d);
	if (!ret)
		ret = cr_dump_timers(d);
	if (!ret)
		ret = cr_dump_mm_locked(d, current->mm);
	if (!ret)
		ret = cr_dump_sysv_shm(d, current->mm);
	if (!ret)
		ret = cr_dump_sysv_sem(d);
	if (!ret)
		ret = cr_dump_aio(d, current->mm);
	if (!ret)
		ret = cr_dump_files(d);
	/*
	 * In continue mode, may a snapshot of the memory stand for it? Its
	 * shared memory is copied now (into the tree's objects), the rest by
	 * cr_ckpt_snapshots(). Without one, the memory is collected later.
	 */
	if (d->snapshot)
		d->snapshot = !ret && cr_dump_mm_snapshot_ok(current->mm) &&
			      !cr_dump_shm_copy(d);
	return ret;
}

/* A checkpoint of a process tree in progress. */
struct cr_ckpt {
	struct cr_freeze *freeze;
	struct cr_objs *objs;		/* what the processes share */
	unsigned int nr;		/* processes, zombies included */
	struct cr_dump *dump;		/* one per process; [0] is ours */
	unsigned int nr_threads;	/* in all processes */
	unsigned int nr_live;		/* processes that are not zombies */
	int *parent;			/* each process's parent index */
	int mode;			/* after the checkpoint (CR_MODE_*) */
	bool snapshot;			/* memory written after the thaw */
	bool privileged;		/* cr_request_checkpoint() by a privileged requester */
	unsigned long fsize;		/* the root's RLIMIT_FSIZE: the image's limit */
	char comm[TASK_COMM_LEN];	/* the root's, for messages */
};

/* Agent jobs: run in a thread of a descendant process (freeze.c). */
struct cr_collect {
	struct cr_dump *d;
	struct cr_freeze *f;
	unsigned int nr_threads;
	struct cr_dump *parent;		/* its parent's image, collected */
	struct task_struct *parent_task;
};

/*
 * A descendant in a chroot of its own, under the tree root's: while its
 * state is collected, its root is the tree root's, so that every path of
 * its image (files, mappings, working directory, socket names) is from
 * there, where the restore looks them up; its executable and libraries,
 * mapped before it chrooted, are outside its own root. Its own is kept in
 * d->own_root (cr_dump_root()). Its process, and any that shares its
 * fs_struct, is parked. Return: the root to put back, or none.
 */
static struct path cr_dump_top_root(struct cr_dump *d, struct cr_freeze *f)
{
	struct path own, top = {};
	struct task_struct *p;
	unsigned int nr_threads;
	int parent;

	p = cr_freeze_proc(f, 0, &parent, &nr_threads);
	task_lock(p);
	if (p->fs)
		get_fs_root(p->fs, &top);
	task_unlock(p);
	get_fs_root(current->fs, &own);
	if (!top.mnt || path_equal(&own, &top)) {
		path_put(&own);
		if (top.mnt)
			path_put(&top);
		return (struct path){};
	}
	if (!d->own_root.mnt) {
		d->own_root = own;
		path_get(&d->own_root);
	}
	set_fs_root(current->fs, &top);
	path_put(&top);
	return own;
}

static void cr_dump_own_root(struct path *own)
{
	if (!own->mnt)
		return;
	set_fs_root(current->fs, own);
	path_put(own);
}

static int cr_collect_job(void *arg)
{
	struct cr_collect *c = arg;
	struct path own = cr_dump_top_root(c->d, c->f);
	int ret;

	ret = cr_dump_image(c->d, c->f, 1, c->nr_threads);
	cr_dump_own_root(&own);
	return ret;
}

/*
 * The memory of the current process, collected now, the process (and the
 * tree) not running.
 */
static int cr_mm_job(void *arg)
{
	struct cr_collect *c = arg;
	struct cr_dump *d = c->d;
	int ret;

	struct path own = cr_dump_top_root(d, c->f);

	/* Pages still shared with the parent since fork are the parent's. */
	d->mm = current->mm;
	d->parent = c->parent;
	d->parent_mm = c->parent_task ? get_task_mm(c->parent_task) : NULL;
	ret = cr_dump_mm(d);
	cr_dump_own_root(&own);
	if (d->parent_mm)
		mmput(d->parent_mm);
	d->parent_mm = NULL;
	d->parent = NULL;
	return ret;
}

/* Run @job for each live process from @first on, in tree order, in its own context. */
static int cr_ckpt_each(struct cr_ckpt *c, unsigned int first, int (*job)(void *arg))
{
	unsigned int i, nr_threads, pthreads;
	struct cr_collect j = { .f = c->freeze };
	int parent, pp, ret = 0;

	for (i = first; !ret && i < c->nr; i++) {
		cr_freeze_proc(c->freeze, i, &parent, &nr_threads);
		if (!nr_threads)
			continue;
		j.d = &c->dump[i];
		j.nr_threads = nr_threads;
		j.parent = i ? &c->dump[parent] : NULL;
		j.parent_task = i ? cr_freeze_proc(c->freeze, parent, &pp, &pthreads) : NULL;
		ret = i ? cr_freeze_run(c->freeze, i, job, &j) : job(&j);
	}
	return ret;
}

/*
 * Write one process's part of the image with every signal but SIGKILL and
 * SIGSTOP blocked: its state, blocked mask included, is collected already,
 * and a pending signal (a SIGCHLD, say) must not make a filesystem's
 * interruptible wait fail the write (9p and netfs take the inode's lock
 * with down_read_interruptible()). A fatal signal still stops it.
 */
static int cr_dump_write_blocked(struct cr_dump *d)
{
	sigset_t all, saved = current->blocked;
	int ret;

	siginitsetinv(&all, sigmask(SIGKILL) | sigmask(SIGSTOP));
	set_current_blocked(&all);
	ret = cr_dump_write(d);
	set_current_blocked(&saved);
	return ret;
}

static int cr_write_job(void *arg)
{
	struct cr_collect *c = arg;

	c->d->cprm.file->f_pos = c->d->base;
	return cr_dump_write_blocked(c->d);
}

/*
 * The image of a tree is the root's: it may hold each descendant only if
 * the root could read that process's memory and state with ptrace (the
 * same credentials, or CAP_SYS_PTRACE over it, dumpable, and what the LSM
 * says), as the checkpoint may also stop or kill it (issue 12, finding 5).
 */
static int cr_ckpt_may_read(struct cr_ckpt *c)
{
	unsigned int i, nr_threads;
	struct task_struct *p;
	int parent;

	for (i = 1; i < c->nr; i++) {
		p = cr_freeze_proc(c->freeze, i, &parent, &nr_threads);
		if (ptrace_may_access(p, PTRACE_MODE_READ_FSCREDS))
			continue;
		cr_refuse(current->comm, "checkpoint refused: process %d of the tree may not be read by its root (ptrace access)",
			  task_pid_vnr(p));
		return -EPERM;
	}
	return 0;
}

/*
 * The state of every process, in tree order: ours, then the descendants'
 * by their agents; then the notes of the tree, in ours: its pipes, its
 * socket pairs, and the tree itself (it names the descendants'
 * segments). First of all, the descriptor tables of the whole tree are
 * scanned for what the processes share (cr_dump_files_scan()). The
 * memory of each comes last (cr_ckpt_mm()).
 */
static int cr_ckpt_collect(struct cr_ckpt *c, const kernel_siginfo_t *info)
{
	unsigned int i, nr_threads, nr_segs = 0;
	int parent, ret;

	c->objs = cr_objs_alloc();
	c->parent = kcalloc(c->nr, sizeof(*c->parent), GFP_KERNEL);
	if (!c->objs || !c->parent)
		return -ENOMEM;
	ret = cr_ckpt_may_read(c);
	if (!ret)
		ret = cr_dump_files_scan(c->objs, c->freeze);
	if (ret)
		return ret;
	for (i = 0; i < c->nr; i++) {
		c->dump[i].siginfo = info;
		c->dump[i].objs = c->objs;
		c->dump[i].freeze = c->freeze;
		c->dump[i].snapshot = c->mode == CR_MODE_CONTINUE;
		c->dump[i].quiesce = c->mode == CR_MODE_EXIT;
		c->dump[i].is_root = !i;
		c->dump[i].privileged = c->privileged;
		cr_freeze_proc(c->freeze, i, &parent, &nr_threads);
		c->parent[i] = parent;
		c->nr_threads += nr_threads;
		c->nr_live += nr_threads != 0;
		nr_segs += i && nr_threads;
	}
	ret = cr_dump_image(&c->dump[0], c->freeze, c->nr_live, c->nr_threads);
	if (!ret)
		ret = cr_ckpt_each(c, 1, cr_collect_job);
	if (ret)
		return ret;
	c->dump[0].nr_segs = nr_segs;
	ret = cr_dump_pipes(&c->dump[0]);
	if (!ret)
		ret = cr_dump_sockets(&c->dump[0]);
	if (!ret)
		ret = cr_dump_ttys(&c->dump[0], c->freeze);
	if (!ret)
		ret = cr_dump_tree(&c->dump[0], c->freeze);
	if (!ret)
		ret = cr_dump_sysv_ipc(&c->dump[0], c->freeze);
	if (!ret)
		ret = cr_dump_ns(&c->dump[0], c->freeze);
	for (i = 0; i < c->nr; i++)
		c->dump[i].siginfo = NULL;
	return ret;
}

/* A snapshot of the current process's memory, as fork() copies it. */
static int cr_snapshot_job(void *arg)
{
	struct cr_dump *d = arg;

	d->mm = dup_mm(NULL, current->mm);
	d->snapshot = !!d->mm;
	return 0;
}

/*
 * The snapshots of every process's memory, taken at once: each
 * descendant's agent copies its own while the others do theirs, and the
 * current thread copies the root's. A process whose copy failed has none.
 */
static int cr_ckpt_snapshots(struct cr_ckpt *c)
{
	unsigned int i, nr_threads;
	int parent, ret = 0, r;

	for (i = 1; i < c->nr; i++) {
		cr_freeze_proc(c->freeze, i, &parent, &nr_threads);
		if (!nr_threads || !c->dump[i].snapshot)
			continue;
		r = cr_freeze_start(c->freeze, i, cr_snapshot_job, &c->dump[i]);
		if (r) {
			c->dump[i].snapshot = false;	/* nothing to wait for */
			ret = ret ?: r;
		}
	}
	if (c->dump[0].snapshot)
		cr_snapshot_job(&c->dump[0]);
	for (i = 1; i < c->nr; i++) {
		cr_freeze_proc(c->freeze, i, &parent, &nr_threads);
		if (!nr_threads || !c->dump[i].snapshot)
			continue;
		r = cr_freeze_wait(c->freeze, i);
		ret = ret ?: r;
	}
	return ret;
}

/* Does every process of the tree have a snapshot (or may take one)? */
static bool cr_ckpt_all_snapshots(struct cr_ckpt *c)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		if (c->dump[i].notes_len && !c->dump[i].snapshot)
			return false;
	return true;
}

/*
 * The memory of every process. In continue mode, if every process may
 * take a snapshot of its memory (cr_dump_image()), they take them now
 * and the rest is done after the thaw. Otherwise each process collects
 * its memory now.
 */
static int cr_ckpt_mm(struct cr_ckpt *c)
{
	unsigned int i;
	int ret;

	c->snapshot = cr_ckpt_all_snapshots(c);
	if (c->snapshot) {
		ret = cr_ckpt_snapshots(c);
		if (ret)
			return ret;
		c->snapshot = cr_ckpt_all_snapshots(c);
	}
	if (c->snapshot)
		return 0;
	for (i = 0; i < c->nr; i++)
		cr_dump_mm_free(&c->dump[i]);	/* the snapshots taken */
	cr_objs_shm_free(c->objs);
	return cr_ckpt_each(c, 0, cr_mm_job);
}

/*
 * Lay the file out: our own image, then each descendant's at the next
 * page boundary, as the PT_CR_PROCESS segments of ours say.
 */
static int cr_ckpt_layout(struct cr_ckpt *c)
{
	struct cr_dump *root = &c->dump[0];
	loff_t off = cr_dump_size(root);
	u64 notes = cr_dump_notes_cost(root);
	unsigned int i, k = 0;

	root->seg = kcalloc(root->nr_segs, sizeof(*root->seg), GFP_KERNEL);
	if (root->nr_segs && !root->seg)
		return -ENOMEM;
	for (i = 1; i < c->nr; i++) {
		struct cr_dump *d = &c->dump[i];

		if (!d->notes_len)
			continue;	/* a zombie */
		d->base = ALIGN(off, PAGE_SIZE);
		root->seg[k].offset = d->base;
		root->seg[k].size = cr_dump_size(d);
		off = d->base + root->seg[k].size;
		notes += cr_dump_notes_cost(d);
		k++;
	}
	/* What a restore would refuse (cr_image_charge()). */
	if (notes > CR_MAX_IMAGE_NOTES) {
		cr_refuse(c->comm, "checkpoint refused: the notes of the tree's processes exceed %u bytes",
			  CR_MAX_IMAGE_NOTES);
		return -EFBIG;
	}
	/* The file may not grow past the process's RLIMIT_FSIZE (issue 12, finding 12). */
	if (off > c->fsize) {
		cr_refuse(c->comm, "checkpoint refused: an image of %lld bytes exceeds RLIMIT_FSIZE",
			  off);
		return -EFBIG;
	}
	return 0;
}

/*
 * Write the image: each process's at its place, by itself (its agent)
 * or, after a snapshot, all by the caller.
 */
static int cr_ckpt_write(struct cr_ckpt *c, struct file *file)
{
	struct cr_collect j = {};
	unsigned int i;
	int ret;

	c->dump[0].cprm.file = file;
	c->dump[0].cprm.limit = c->fsize;
	ret = cr_dump_write_blocked(&c->dump[0]);
	for (i = 1; !ret && i < c->nr; i++) {
		struct cr_dump *d = &c->dump[i];

		if (!d->notes_len)
			continue;
		d->cprm.file = file;
		d->cprm.limit = c->fsize;
		j.d = d;
		/*
		 * Here, not in the process's parked thread: the part is in
		 * memory (notes, held pages), and a parked thread runs in a
		 * task_work, where a pending TIF_NOTIFY_SIGNAL makes a
		 * filesystem's interruptible wait fail the write (-ERESTARTSYS
		 * on 9p).
		 */
		ret = cr_write_job(&j);
	}
	return ret;
}

/* Rename the complete image @file to @name, in the same directory. */
static int cr_rename_into_place(struct file *file, const char *name)
{
	struct dentry *old = file->f_path.dentry, *dir, *new;
	struct vfsmount *mnt = file->f_path.mnt;
	struct renamedata rd = {};
	struct path dir_path;
	int ret;

	ret = mnt_want_write(mnt);
	if (ret)
		return ret;
	dir = dget_parent(old);
	dir_path.mnt = mnt;
	dir_path.dentry = dir;
	lock_rename(dir, dir);
	ret = -ENOENT;
	if (old->d_parent != dir || d_unhashed(old))
		goto unlock;
	new = lookup_one_len(name, dir, strlen(name));
	ret = PTR_ERR(new);
	if (IS_ERR(new))
		goto unlock;
	rd.old_mnt_idmap = mnt_idmap(mnt);
	rd.old_dir = d_inode(dir);
	rd.old_dentry = old;
	rd.new_mnt_idmap = mnt_idmap(mnt);
	rd.new_dir = d_inode(dir);
	rd.new_dentry = new;
	/* As rename(2): path-based LSMs see it too (issue 12, finding 12). */
	ret = security_path_rename(&dir_path, old, &dir_path, new, 0);
	if (!ret)
		ret = vfs_rename(&rd);
	dput(new);
unlock:
	unlock_rename(dir, dir);
	dput(dir);
	mnt_drop_write(mnt);
	return ret;
}

/* Remove the temporary file of a failed checkpoint. */
static void cr_unlink_tmp(struct file *file)
{
	struct dentry *old = file->f_path.dentry, *dir;
	struct vfsmount *mnt = file->f_path.mnt;
	struct path dir_path;

	if (mnt_want_write(mnt))
		return;
	dir = dget_parent(old);
	dir_path.mnt = mnt;
	dir_path.dentry = dir;
	/* Our own reference, as a lookup would hold: the file keeps its inode. */
	dget(old);
	inode_lock_nested(d_inode(dir), I_MUTEX_PARENT);
	if (old->d_parent == dir && !d_unhashed(old) &&
	    !security_path_unlink(&dir_path, old))
		vfs_unlink(mnt_idmap(mnt), d_inode(dir), old, NULL);
	inode_unlock(d_inode(dir));
	dput(old);
	dput(dir);
	mnt_drop_write(mnt);
}

/*
 * The image is its owner's to execute, whatever the process's umask (one
 * without the owner's execute bit, 0177 say, would make an image nobody
 * can run): mode 0700, as created before the umask.
 */
static int cr_image_mode(struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct inode *inode = d_inode(dentry);
	struct iattr attr = {
		.ia_valid = ATTR_MODE | ATTR_CTIME,
		.ia_mode = S_IFREG | 0700,
	};
	int ret;

	if ((inode->i_mode & 0777) == 0700)
		return 0;
	inode_lock(inode);
	ret = notify_change(file_mnt_idmap(file), dentry, &attr, NULL);
	inode_unlock(inode);
	return ret;
}

/* A descendant dies of SIGCKPT where it is parked, as do_group_exit(). */
static void cr_group_exit(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;
	struct task_struct *t;

	spin_lock_irq(&p->sighand->siglock);
	if (!(sig->flags & SIGNAL_GROUP_EXIT)) {
		sig->group_exit_code = SIGCKPT;
		sig->flags = SIGNAL_GROUP_EXIT;
		sig->group_stop_count = 0;
		for_each_thread(p, t) {
			if (t->exit_state)
				continue;
			sigaddset(&t->pending.signal, SIGKILL);
			signal_wake_up(t, 1);
		}
	}
	spin_unlock_irq(&p->sighand->siglock);
}

/*
 * What the tree does after a complete image, started while the other
 * threads are still parked so that none of them runs user code after the
 * checkpoint instant: a pending SIGSTOP stops them before they leave the
 * kernel, a group exit kills them in their parking place.
 */
static void cr_checkpoint_mode(struct cr_ckpt *c, int mode)
{
	struct signal_struct *sig = current->signal;
	unsigned int i, nr_threads;
	struct task_struct *p;
	int parent;

	for (i = 1; i < c->nr; i++) {
		p = cr_freeze_proc(c->freeze, i, &parent, &nr_threads);
		if (!nr_threads)
			continue;
		if (mode == CR_MODE_STOP)
			kill_pid(task_tgid(p), SIGSTOP, 1);
		else if (mode == CR_MODE_EXIT)
			cr_group_exit(p);
	}
	if (mode == CR_MODE_STOP) {
		kill_pid(task_tgid(current), SIGSTOP, 1);
	} else if (mode == CR_MODE_EXIT) {
		spin_lock_irq(&current->sighand->siglock);
		if (!(sig->flags & SIGNAL_GROUP_EXIT)) {
			sig->group_exit_code = SIGCKPT;
			sig->flags = SIGNAL_GROUP_EXIT;
			zap_other_threads(current);
		}
		spin_unlock_irq(&current->sighand->siglock);
	}
}

static void cr_ckpt_free(struct cr_ckpt *c)
{
	unsigned int i;

	for (i = 0; c->dump && i < c->nr; i++)
		cr_dump_free(&c->dump[i]);
	kvfree(c->dump);
	kfree(c->parent);
	cr_objs_free(c->objs);
}

/* The memory notes of each process (parents first), then the image. */
static int cr_ckpt_finish(struct cr_ckpt *c, struct file *file)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; !ret && c->snapshot && i < c->nr; i++) {
		struct cr_dump *d = &c->dump[i];

		if (!d->notes_len)
			continue;
		/* Pages still shared with the parent since fork are the parent's. */
		d->parent = i ? &c->dump[c->parent[i]] : NULL;
		d->parent_mm = d->parent ? d->parent->mm : NULL;
		ret = cr_dump_mm(d);
		d->parent_mm = NULL;
		d->parent = NULL;
	}
	if (ret)
		return ret;
	cr_dump_tree_segments(&c->dump[0]);
	ret = cr_ckpt_layout(c);
	if (ret)
		return ret;
	file_start_write(file);
	ret = cr_ckpt_write(c, file);
	file_end_write(file);
	return ret;
}

/* The end of a checkpoint: the image renamed into place, or removed. */
static int cr_ckpt_close(struct file *file, const char *name, const char *comm, int ret)
{
	if (!ret)
		ret = cr_rename_into_place(file, kbasename(name));
	if (ret) {
		cr_refuse(comm, "checkpoint to %s failed (%d)", name, ret);
		cr_unlink_tmp(file);
	}
	filp_close(file, NULL);
	return ret;
}

/* A checkpoint whose processes run again while their snapshot is written. */
struct cr_ckpt_async {
	struct work_struct work;
	struct cr_ckpt c;
	struct file *file;
	const struct cred *cred;	/* the checkpointed process's */
	char name[];
};

/*
 * Images being written after their processes run again, per user: each
 * holds a copy-on-write snapshot of memory and a work item, so a user may
 * have at most CR_ASYNC_PER_USER of them at a time; beyond that, the
 * image is written while the tree stays frozen, as core dumps are.
 */
#define CR_ASYNC_PER_USER	4

struct cr_async_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int nr;
};

static DEFINE_HASHTABLE(cr_async_users, 6);
static DEFINE_SPINLOCK(cr_async_lock);

static struct cr_async_user *cr_async_find(kuid_t uid)
{
	struct cr_async_user *u;

	hash_for_each_possible(cr_async_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/* One more image of @uid written asynchronously, if under the cap. */
static bool cr_async_get(kuid_t uid)
{
	struct cr_async_user *u, *n = kzalloc(sizeof(*n), GFP_KERNEL);
	bool ok = false;

	spin_lock(&cr_async_lock);
	u = cr_async_find(uid);
	if (!u && n) {
		u = n;
		n = NULL;
		u->uid = uid;
		hash_add(cr_async_users, &u->node, __kuid_val(uid));
	}
	if (u && u->nr < CR_ASYNC_PER_USER) {
		u->nr++;
		ok = true;
	}
	spin_unlock(&cr_async_lock);
	kfree(n);
	return ok;
}

static void cr_async_put(kuid_t uid)
{
	struct cr_async_user *u;

	spin_lock(&cr_async_lock);
	u = cr_async_find(uid);
	if (u && !--u->nr)
		hash_del(&u->node);
	else
		u = NULL;
	spin_unlock(&cr_async_lock);
	kfree(u);
}

static void cr_ckpt_async_work(struct work_struct *work)
{
	struct cr_ckpt_async *a = container_of(work, struct cr_ckpt_async, work);
	const struct cred *old = override_creds(a->cred);

	cr_ckpt_close(a->file, a->name, a->c.comm, cr_ckpt_finish(&a->c, a->file));
	revert_creds(old);
	cr_async_put(a->cred->uid);
	put_cred(a->cred);
	cr_ckpt_free(&a->c);
	kfree(a);
}

static int cr_checkpoint_self(const kernel_siginfo_t *info, char *name,
			      size_t size, int mode, bool privileged)
{
	struct cr_ckpt_async *a = NULL;
	struct cr_ckpt c = {};
	struct file *file;
	unsigned int i;
	char *tmp;
	int ret;

	ret = cr_image_name(name, size);
	if (ret) {
		cr_refuse(current->comm, "checkpoint refused: bad kernel.cr.pattern (%d)", ret);
		return ret;
	}
	/*
	 * The image of a process that is not dumpable is written with the
	 * requester's credentials: not in a directory the process chose (its
	 * working directory), as the kernel's core dumps with suid_dumpable 2
	 * need an absolute core_pattern.
	 */
	if (privileged && name[0] != '/') {
		cr_refuse(current->comm, "checkpoint refused: a process that is not dumpable needs an absolute kernel.cr.pattern");
		return -EPERM;
	}
	c.freeze = cr_freeze_tree();
	if (IS_ERR(c.freeze))
		return PTR_ERR(c.freeze);
	c.nr = cr_freeze_nr_procs(c.freeze);
	c.mode = mode;
	c.privileged = privileged;
	c.fsize = rlimit(RLIMIT_FSIZE);
	get_task_comm(c.comm, current);
	c.dump = kvcalloc(c.nr, sizeof(*c.dump), GFP_KERNEL_ACCOUNT);
	ret = c.dump ? cr_ckpt_collect(&c, info) : -ENOMEM;
	if (!ret)
		ret = cr_ckpt_mm(&c);
	if (!ret && c.snapshot && cr_async_get(current_uid())) {
		a = kzalloc(struct_size(a, name, strlen(name) + 1), GFP_KERNEL);
		if (!a) {
			cr_async_put(current_uid());
			ret = -ENOMEM;
		}
	}
	if (ret) {
		cr_refuse(current->comm, "checkpoint failed while saving the state (%d)", ret);
		goto out_free;
	}
	tmp = kasprintf(GFP_KERNEL, "%s" CR_TMP_SUFFIX, name);
	if (!tmp) {
		ret = -ENOMEM;
		goto out_free;
	}
	file = filp_open(tmp, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_LARGEFILE, 0700);
	kfree(tmp);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		cr_refuse(current->comm, "cannot create %s" CR_TMP_SUFFIX " (%d)", name, ret);
		goto out_free;
	}
	ret = cr_image_mode(file);
	if (ret) {
		cr_refuse(current->comm, "cannot make %s" CR_TMP_SUFFIX " executable (%d)",
			  name, ret);
		cr_unlink_tmp(file);
		filp_close(file, NULL);
		goto out_free;
	}
	if (a) {
		/* The tree runs again; the snapshot is written meanwhile. */
		INIT_WORK(&a->work, cr_ckpt_async_work);
		a->c = c;
		a->file = file;
		a->cred = get_current_cred();
		memcpy(a->name, name, strlen(name) + 1);
		for (i = 0; i < c.nr; i++)
			a->c.dump[i].freeze = NULL;
		cr_thaw_tree(c.freeze);
		a->c.freeze = NULL;
		queue_work(system_unbound_wq, &a->work);
		return 0;
	}
	ret = cr_ckpt_close(file, name, current->comm, cr_ckpt_finish(&c, file));
out_free:
	if (a) {
		cr_async_put(current_uid());
		kfree(a);
	}
	if (!ret && mode == CR_MODE_EXIT)
		cr_inet_hold(c.objs);	/* its TCP sockets wait, silent, for a restore */
	if (!ret)
		cr_checkpoint_mode(&c, mode);
	/* Memory is written: the tree may run again. */
	cr_thaw_tree(c.freeze);
	cr_ckpt_free(&c);
	return ret;
}

/*
 * Checkpoint the current process and its descendants, then go on as
 * @mode says. With @cred (a privileged request, cr_request_checkpoint()),
 * with those credentials: the image is the requester's. Consumes @cred.
 */
static void cr_checkpoint_run(const kernel_siginfo_t *info, int mode,
			      const struct cred *cred)
{
	const struct cred *old = NULL;
	char *name;
	int ret;

	name = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!name) {
		cr_refuse(current->comm, "checkpoint failed while saving the state (%d)", -ENOMEM);
		if (cred)
			put_cred(cred);
		return;
	}
	if (cred)
		old = override_creds(cred);
	ret = cr_checkpoint_self(info, name, PATH_MAX, mode, cred);
	if (cred) {
		revert_creds(old);
		put_cred(cred);
	}
	kfree(name);
	if (!ret && mode == CR_MODE_EXIT)
		do_group_exit(SIGCKPT);
}

/**
 * cr_checkpoint_signal - the default action of SIGCKPT
 * @info: the signal, whose sigqueue() value may choose the mode
 *
 * Called from get_signal() without siglock. On failure (logged), the
 * process continues whatever the mode: nothing is lost.
 */
void cr_checkpoint_signal(const kernel_siginfo_t *info)
{
	int mode = READ_ONCE(cr_default_mode);

	if (info->si_code == SI_QUEUE)
		mode = info->si_int;
	if (mode < CR_MODE_CONTINUE || mode > CR_MODE_EXIT) {
		cr_refuse(current->comm, "checkpoint refused: unknown mode %d", mode);
		return;
	}
	cr_checkpoint_run(info, mode, NULL);
}

/*
 * A checkpoint asked through /proc/sys/kernel/cr/checkpoint: a task_work
 * of one thread of the process, run on its way back to user space like a
 * signal (TWA_SIGNAL), whatever its signal mask.
 */
struct cr_request {
	struct callback_head work;
	int mode;
	const struct cred *cred;	/* for a process that is not dumpable */
};

static void cr_request_work(struct callback_head *head)
{
	struct cr_request *rq = container_of(head, struct cr_request, work);
	const struct cred *cred = rq->cred;
	int mode = rq->mode;
	kernel_siginfo_t info;

	kfree(rq);
	if (current->flags & PF_EXITING) {
		if (cred)
			put_cred(cred);
		return;
	}
	clear_siginfo(&info);
	info.si_signo = SIGCKPT;
	info.si_code = SI_KERNEL;
	cr_checkpoint_run(&info, mode, cred);
	/* A process stopped by job control stays so (kernel/cr/freeze.c). */
	cr_restop();
}

/**
 * cr_request_checkpoint - checkpoint a process, whatever its signal mask
 * @nr: its pid, in the caller's pid namespace
 * @mode: CR_MODE_*
 *
 * For a caller that may ptrace the process (PTRACE_MODE_ATTACH_REALCREDS:
 * the same user, or CAP_SYS_PTRACE over it), as SIGCKPT would be, but
 * also when the process blocks or ignores SIGCKPT (a daemon that blocks
 * every signal and reads a signalfd) or has a handler for it. A process
 * that is not dumpable (setuid, PR_SET_DUMPABLE 0) may be checkpointed
 * only by a caller with CAP_SYS_PTRACE over it (ptrace's own rule): the
 * image is then written with the caller's credentials, and is the
 * caller's. The checkpoint runs asynchronously, as after a SIGCKPT;
 * in a process stopped by job control too, which stays stopped.
 *
 * Return: 0; -ESRCH, -EPERM, -EINVAL, -ENOMEM.
 */
int cr_request_checkpoint(pid_t nr, int mode)
{
	struct task_struct *p, *t;
	struct cr_request *rq;
	bool secret;
	int ret;

	if (mode < CR_MODE_CONTINUE || mode > CR_MODE_EXIT)
		return -EINVAL;
	rcu_read_lock();
	p = find_task_by_vpid(nr);
	if (p)
		get_task_struct(p);
	rcu_read_unlock();
	if (!p)
		return -ESRCH;
	ret = -EPERM;
	/* As for SIGCKPT: not init, nor the init of the caller's own namespace. */
	if ((p->flags & PF_KTHREAD) || is_global_init(p) ||
	    (is_child_reaper(task_pid(p)) &&
	     task_active_pid_ns(p) == task_active_pid_ns(current)) ||
	    !ptrace_may_access(p, PTRACE_MODE_ATTACH_REALCREDS))
		goto out;
	task_lock(p);
	secret = p->mm && get_dumpable(p->mm) != SUID_DUMP_USER;
	task_unlock(p);
	ret = -ENOMEM;
	rq = kzalloc(sizeof(*rq), GFP_KERNEL);
	if (!rq)
		goto out;
	rq->mode = mode;
	rq->cred = secret ? get_current_cred() : NULL;
	init_task_work(&rq->work, cr_request_work);
	/* The thread @nr names, else another live one of its process. */
	ret = task_work_add(p, &rq->work, TWA_SIGNAL);
	if (!ret) {
		cr_unstop_task(p);	/* stopped by job control: it runs it now */
	} else {
		rcu_read_lock();
		for_each_thread(p, t) {
			ret = task_work_add(t, &rq->work, TWA_SIGNAL);
			if (!ret) {
				cr_unstop_task(t);
				break;
			}
		}
		rcu_read_unlock();
	}
	if (ret) {
		if (rq->cred)
			put_cred(rq->cred);
		kfree(rq);
		ret = -ESRCH;
	}
out:
	put_task_struct(p);
	return ret;
}
