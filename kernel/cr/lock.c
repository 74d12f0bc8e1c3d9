// SPDX-License-Identifier: GPL-2.0
/*
 * File locks: flock(), POSIX (fcntl F_SETLK) and open file description
 * (F_OFD_SETLK) locks.
 *
 * A lock is the process's when it is a POSIX lock owned by its descriptor
 * table, or a flock or OFD lock of one of its open files. Locks other
 * processes hold on the same files are theirs.
 *
 * Checkpoint: NT_CR_LOCKS, after NT_CR_FILES: each lock the process holds,
 * by a descriptor of its file (struct cr_lock). A lock must come back, or
 * another process could take it meanwhile: the worst outcome for a program
 * that relies on it (a database, a daemon's pid file). So a lock on a
 * descriptor the restore does not reopen itself (a pipe, a terminal, the
 * caller's standard streams...) refuses the checkpoint. A lease
 * (F_SETLEASE) is saved once, for the descriptor its break signal names,
 * with the way another open is breaking it, if one is.
 *
 * Restore: flock and OFD locks belong to open files, which the restore
 * opens before the point of no return: they are taken there, and a lock
 * someone else holds now fails the exec (EAGAIN) with nothing changed.
 * A lease is taken there too, as F_SETLEASE takes it, its owner left
 * to NT_CR_FOWNERS; one being broken is broken again as an open with
 * O_NONBLOCK breaks it, for a full lease-break-time, without a signal
 * (the one of the first break was delivered, or is pending in the image).
 * POSIX locks belong to the descriptor table, which becomes the image's
 * only after it: before, each is tested against the locks of others
 * (EAGAIN as well); after, taken through its descriptor as fcntl(F_SETLK)
 * does. A lock taken meanwhile by another process then kills the restored
 * process, as any failure after the point of no return does.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fcntl.h>
#include <linux/fdtable.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/slab.h>

/* Checkpoint */

/* Room for @more locks, outside the inode's flc_lock. */
static int cr_lock_room(struct cr_locks *l, unsigned int more)
{
	struct cr_lock *n;
	unsigned int cap;

	if (l->nr + more <= l->cap)
		return 0;
	if (l->nr + more > CR_MAX_LOCKS)
		return -E2BIG;
	cap = max(8U, max(2 * l->cap, l->nr + more));
	n = kvrealloc(l->lock, cap * sizeof(*n), GFP_KERNEL_ACCOUNT);
	if (!n)
		return -ENOMEM;
	l->lock = n;
	l->cap = cap;
	return 0;
}

/*
 * The locks of @list held through @file or by @files: a POSIX one only
 * through a descriptor whose access mode may take it again. Counts them
 * in *@found; adds them to @l while it has room. Caller holds flc_lock.
 */
static void cr_lock_scan(struct cr_locks *l, struct list_head *list, struct file *file,
			 struct files_struct *files, int fd, unsigned int *found)
{
	struct file_lock *fl;

	list_for_each_entry(fl, list, c.flc_list) {
		struct cr_lock *e;
		u32 kind;

		if (fl->c.flc_flags & FL_FLOCK)
			kind = CR_LOCK_FLOCK;
		else if (fl->c.flc_flags & FL_OFDLCK)
			kind = CR_LOCK_OFD;
		else
			kind = CR_LOCK_POSIX;
		if (kind == CR_LOCK_POSIX ? fl->c.flc_owner != files :
					    fl->c.flc_file != file)
			continue;
		if (kind == CR_LOCK_POSIX &&
		    !(file->f_mode & (fl->c.flc_type == F_WRLCK ? FMODE_WRITE : FMODE_READ)))
			continue;
		(*found)++;
		if (l->nr == l->cap)
			continue;
		e = &l->lock[l->nr++];
		memset(e, 0, sizeof(*e));
		e->fd = fd;
		e->kind = kind;
		e->type = fl->c.flc_type == F_WRLCK ? F_WRLCK : F_RDLCK;
		e->start = kind == CR_LOCK_FLOCK ? 0 : fl->fl_start;
		e->end = kind == CR_LOCK_FLOCK ? OFFSET_MAX : fl->fl_end;
	}
}

/* A lease of @file, as an image holds it; ->fd is where its signal goes. */
struct cr_lease {
	struct cr_lock l;
	bool held;
};

/* The lease of @file in @list, if it holds one still. Caller holds flc_lock. */
static void cr_lease_scan(struct cr_lease *e, struct list_head *list, struct file *file)
{
	struct file_lease *fl;

	list_for_each_entry(fl, list, c.flc_list) {
		unsigned int flags = fl->c.flc_flags;

		if (fl->c.flc_file != file || !(flags & FL_LEASE))
			continue;
		e->l.kind = CR_LOCK_LEASE;
		e->l.type = fl->c.flc_type == F_WRLCK ? F_WRLCK : F_RDLCK;
		e->l.end = OFFSET_MAX;
		e->l.fd = fl->fl_fasync ? READ_ONCE(fl->fl_fasync->fa_fd) : -1;
		/* A break whose time is up ends at the next look: as if it had. */
		if ((flags & FL_UNLOCK_PENDING) && fl->fl_break_time &&
		    time_after(jiffies, fl->fl_break_time))
			return;
		if (flags & FL_UNLOCK_PENDING) {
			e->l.flags = CR_LEASE_BREAK_UNLCK;
		} else if ((flags & FL_DOWNGRADE_PENDING) && fl->fl_downgrade_time &&
			   time_after(jiffies, fl->fl_downgrade_time)) {
			e->l.type = F_RDLCK;
		} else if (flags & FL_DOWNGRADE_PENDING) {
			e->l.flags = CR_LEASE_BREAK_RDLCK;
		}
		e->held = true;
		return;
	}
}

/*
 * Is @fd the descriptor to record @file's lease with: the one its break
 * signal names (@sig_fd) when that one still names the file, else the
 * lowest that does?
 */
static bool cr_lease_fd(struct file *file, int fd, int sig_fd)
{
	struct files_struct *files = current->files;
	bool other = false;
	int i;

	if (fd == sig_fd)
		return true;
	rcu_read_lock();
	if (sig_fd >= 0)
		other = files_lookup_fd_raw(files, sig_fd) == file;
	for (i = 0; i < fd && !other; i++)
		other = files_lookup_fd_raw(files, i) == file;
	rcu_read_unlock();
	return !other;
}

/**
 * cr_dump_locks - the locks the process holds through descriptor @fd
 * @l: the process's locks so far
 * @file: the open file of descriptor @fd of the current process
 * @fd: its number; negative for a file in flight, which may hold none
 * @kind: its struct cr_fd.kind
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_dump_locks(struct cr_locks *l, struct file *file, int fd, u32 kind)
{
	struct file_lock_context *ctx = locks_inode_context(file_inode(file));
	/* POSIX locks are a table's: saved with its descriptors. */
	struct files_struct *files = fd < 0 ? NULL : current->files;
	unsigned int before = l->nr, found = 0;
	struct cr_lease lease = {};
	const char *why = NULL;
	int ret = 0;

	if (!ctx)
		return 0;
	/* Counted under the lock, room made outside it, until all fit. */
	do {
		ret = cr_lock_room(l, found);
		if (ret)
			break;
		l->nr = before;
		found = 0;
		spin_lock(&ctx->flc_lock);
		cr_lock_scan(l, &ctx->flc_flock, file, files, fd, &found);
		cr_lock_scan(l, &ctx->flc_posix, file, files, fd, &found);
		cr_lease_scan(&lease, &ctx->flc_lease, file);
		spin_unlock(&ctx->flc_lock);
	} while (before + found > l->nr);
	if (!ret && fd < 0 && (l->nr > before || lease.held)) {
		/* A file in flight: its locks would be taken by nobody. */
		l->nr = before;
		why = "a lock or lease, and is in flight (SCM_RIGHTS): not saved yet";
	} else if (!ret && lease.held && cr_lease_fd(file, fd, lease.l.fd)) {
		ret = cr_lock_room(l, 1);
		if (!ret) {
			lease.l.fd = fd;
			l->lock[l->nr++] = lease.l;
		}
	}
	if (ret == -E2BIG)
		why = "more locks than an image holds";
	else if (ret)
		return ret;
	if (!why && l->nr > before && kind != CR_FD_FILE && kind != CR_FD_DIR &&
	    kind != CR_FD_UNLINKED && kind != CR_FD_MEMFD)
		why = "a lock on a file the restore does not open itself";
	if (!why)
		return 0;
	cr_refuse(current->comm, "checkpoint refused: fd %d (%pD) holds %s", fd, file, why);
	return -EOPNOTSUPP;
}

/**
 * cr_dump_locks_note - NT_CR_LOCKS, if the process holds any lock
 * @d: image being written
 * @l: its locks, freed
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_locks_note(struct cr_dump *d, struct cr_locks *l)
{
	int ret = 0;

	if (l->nr)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_LOCKS, l->lock,
				   l->nr * sizeof(*l->lock));
	kvfree(l->lock);
	l->lock = NULL;
	l->nr = l->cap = 0;
	return ret;
}

/* Restore */

/* Descriptor @fd of the plan: its index, or -1. */
static int cr_lock_fd(const struct cr_restore *r, int fd)
{
	unsigned int lo = 0, hi = r->nr_fds;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (r->fd[mid].fd == fd)
			return mid;
		if (r->fd[mid].fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void cr_lock_flock(struct flock *f, const struct cr_lock *l)
{
	memset(f, 0, sizeof(*f));
	f->l_type = l->type;
	f->l_whence = SEEK_SET;
	f->l_start = l->start;
	f->l_len = l->end == OFFSET_MAX ? 0 : l->end - l->start + 1;
}

/* A request for lock @l on @file by @owner, as the system calls make it. */
static struct file_lock *cr_lock_request(struct file *file, void *owner, unsigned int flags,
					 const struct cr_lock *l)
{
	struct file_lock *fl = locks_alloc_lock();

	if (!fl)
		return NULL;
	fl->c.flc_file = file;
	fl->c.flc_owner = owner;
	fl->c.flc_pid = current->tgid;
	fl->c.flc_flags = flags;
	fl->c.flc_type = l->type;
	fl->fl_start = l->start;
	fl->fl_end = l->end;
	return fl;
}

/* flock(2), without blocking, on a file of the plan. */
static int cr_lock_take_flock(struct file *file, const struct cr_lock *l)
{
	struct file_lock *fl = cr_lock_request(file, file, FL_FLOCK, l);
	int ret;

	if (!fl)
		return -ENOMEM;
	ret = security_file_lock(file, l->type);
	if (!ret)
		ret = file->f_op->flock ? file->f_op->flock(file, F_SETLK, fl) :
					  locks_lock_file_wait(file, fl);
	locks_free_lock(fl);
	return ret;
}

/*
 * Lease @l on @file, as fcntl(F_SETLEASE) on descriptor @l->fd takes it,
 * without an owner yet (cr_restore_fowns() sets the image's), broken
 * again if it was being broken.
 */
static int cr_lock_take_lease(struct file *file, const struct cr_lock *l)
{
	int ret = fcntl_setlease(l->fd, file, l->type);

	if (ret)
		return ret;
	/* lease_setup() made the caller the owner: no signal for the break. */
	__f_setown(file, NULL, PIDTYPE_TGID, 1);
	if (!l->flags)
		return 0;
	ret = __break_lease(file_inode(file), O_NONBLOCK |
			    (l->flags == CR_LEASE_BREAK_UNLCK ? O_WRONLY : O_RDONLY), FL_LEASE);
	return ret == -EWOULDBLOCK ? 0 : ret ?: -EAGAIN;
}

/* Is a POSIX lock of @l free to take for the current descriptor table? */
static int cr_lock_test_posix(struct file *file, const struct cr_lock *l)
{
	struct file_lock *fl = cr_lock_request(file, current->files, FL_POSIX, l);
	int ret;

	if (!fl)
		return -ENOMEM;
	ret = vfs_test_lock(file, fl);
	if (!ret && fl->c.flc_type != F_UNLCK)
		ret = -EAGAIN;
	locks_free_lock(fl);
	return ret;
}

/**
 * cr_restore_locks_prepare - check NT_CR_LOCKS, take the open files' locks
 * @r: restore plan, its descriptors opened (cr_restore_files_prepare())
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_locks_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_LOCKS);
	const char *name = r->img->name;
	unsigned int i;
	u32 nr;
	int ret;

	ret = cr_rule_locks(name, note, r->fd, r->nr_fds, &nr);
	if (ret || !nr)
		return ret;
	r->lock = kvmemdup(note->desc, nr * sizeof(*r->lock), GFP_KERNEL_ACCOUNT);
	if (!r->lock)
		return -ENOMEM;
	r->nr_locks = nr;
	for (i = 0; i < nr; i++) {
		const struct cr_lock *l = &r->lock[i];
		struct file *file = r->fd_file[cr_lock_fd(r, l->fd)];
		struct flock f;

		if (l->kind == CR_LOCK_FLOCK) {
			ret = cr_lock_take_flock(file, l);
		} else if (l->kind == CR_LOCK_LEASE) {
			ret = cr_lock_take_lease(file, l);
		} else if (l->kind == CR_LOCK_OFD) {
			cr_lock_flock(&f, l);
			ret = fcntl_setlk(l->fd, file, F_OFD_SETLK, &f);
		} else {
			ret = cr_lock_test_posix(file, l);
		}
		if (ret) {
			cr_refuse(name, "fd %d: cannot take its %s again (%d%s)", l->fd,
				  l->kind == CR_LOCK_FLOCK ? "flock lock" :
				  l->kind == CR_LOCK_OFD ? "OFD lock" :
				  l->kind == CR_LOCK_LEASE ? "lease" : "POSIX lock", ret,
				  ret != -EAGAIN ? "" : l->kind == CR_LOCK_LEASE ?
				  ": the file is open, or leased, elsewhere" :
				  ": held by another process");
			return ret;
		}
	}
	return 0;
}

/**
 * cr_restore_locks - the POSIX locks, once the table is the image's
 * @r: a prepared plan, after the point of no return
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_locks(struct cr_restore *r)
{
	unsigned int i;
	int ret;

	for (i = 0; i < r->nr_locks; i++) {
		const struct cr_lock *l = &r->lock[i];
		struct flock f;

		if (l->kind != CR_LOCK_POSIX)
			continue;
		cr_lock_flock(&f, l);
		ret = fcntl_setlk(l->fd, r->fd_file[cr_lock_fd(r, l->fd)], F_SETLK, &f);
		if (ret) {
			pr_warn_ratelimited("cr: %s: fd %d: cannot take its POSIX lock again (%d)\n",
					    current->comm, l->fd, ret);
			return ret;
		}
	}
	return 0;
}

void cr_restore_locks_free(struct cr_restore *r)
{
	kvfree(r->lock);
	r->lock = NULL;
}
