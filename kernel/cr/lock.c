// SPDX-License-Identifier: GPL-2.0
/*
 * File locks: flock(), POSIX (fcntl F_SETLK) and open file description
 * (F_OFD_SETLK) locks, and leases.
 *
 * Not saved yet. A lock the process holds would come back dropped, and
 * another process could then take it: the worst outcome for a program
 * that relies on it (a database, a daemon's pid file). So a checkpoint of
 * a process that holds one is refused, with the lock named. A lock is the
 * process's when it is a POSIX lock owned by its descriptor table, or a
 * flock, OFD lock or lease of one of its open files. Locks other
 * processes hold on the same files are theirs.
 */
#include <linux/cr.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/sched.h>

static const char *cr_lock_kind(const struct file_lock_core *flc)
{
	if (flc->flc_flags & FL_OFDLCK)
		return "an OFD lock (F_OFD_SETLK)";
	if (flc->flc_flags & FL_POSIX)
		return "a POSIX lock (fcntl F_SETLK)";
	if (flc->flc_flags & FL_FLOCK)
		return "a flock() lock";
	return "a lease (F_SETLEASE)";
}

/* A lock of @list held through @file or by @files, or NULL. */
static const struct file_lock_core *cr_lock_find(struct list_head *list, struct file *file,
						 struct files_struct *files)
{
	struct file_lock_core *flc;

	list_for_each_entry(flc, list, flc_list)
		if (flc->flc_file == file ||
		    ((flc->flc_flags & FL_POSIX) && flc->flc_owner == files))
			return flc;
	return NULL;
}

/**
 * cr_dump_locks - refuse a descriptor whose file the process holds locked
 * @file: the open file of descriptor @fd of the current process
 * @fd: its number, for the message
 *
 * Return: 0, or -EOPNOTSUPP after saying why.
 */
int cr_dump_locks(struct file *file, int fd)
{
	struct file_lock_context *ctx = locks_inode_context(file_inode(file));
	const struct file_lock_core *flc = NULL;
	struct files_struct *files = current->files;
	unsigned char type = 0;
	const char *kind = NULL;

	if (!ctx)
		return 0;
	spin_lock(&ctx->flc_lock);
	flc = cr_lock_find(&ctx->flc_flock, file, files);
	if (!flc)
		flc = cr_lock_find(&ctx->flc_posix, file, files);
	if (!flc)
		flc = cr_lock_find(&ctx->flc_lease, file, files);
	if (flc) {
		kind = cr_lock_kind(flc);
		type = flc->flc_type;
	}
	spin_unlock(&ctx->flc_lock);
	if (!kind)
		return 0;
	cr_refuse(current->comm, "checkpoint refused: fd %d (%pD) holds %s (%s), which cannot be saved yet",
		  fd, file, kind, type == F_WRLCK ? "write" : "read");
	return -EOPNOTSUPP;
}
