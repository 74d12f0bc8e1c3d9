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
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

#define CR_TMP_SUFFIX	".part"

static int cr_dump_header(struct cr_dump *d, unsigned int nr_threads)
{
	struct cr_hdr_image h = {
		.magic = CR_IMAGE_MAGIC,
		.version = CR_IMAGE_VERSION,
		.hdr_size = sizeof(h),
		.e_machine = ELF_ARCH,
		.page_shift = PAGE_SHIFT,
		.nr_processes = 1,
		.nr_threads = nr_threads,
		.time_ns = ktime_get_real_ns(),
	};

	strscpy(h.kernel_release, utsname()->release, sizeof(h.kernel_release));
	return cr_dump_note(d, CR_NOTE_NAME, NT_CR_HEADER, &h, sizeof(h));
}

/*
 * Collect the notes, in the order of the format: header, threads,
 * process, files, memory. Nothing is written yet: a refusal creates no
 * file. The other threads are parked (@f).
 */
static int cr_dump_image(struct cr_dump *d, struct cr_freeze *f)
{
	unsigned int i, n = cr_freeze_nr(f);
	struct task_struct *t, *first = current;
	int ret;

	/* The thread group leader first, as gdb and the restore expect. */
	for (i = 0; i < n; i++)
		if (thread_group_leader(cr_freeze_task(f, i)))
			first = cr_freeze_task(f, i);
	ret = cr_dump_header(d, n + 1);
	if (!ret)
		ret = cr_dump_task(d, first, true);
	if (!ret && first != current)
		ret = cr_dump_task(d, current, false);
	for (i = 0; !ret && i < n; i++) {
		t = cr_freeze_task(f, i);
		if (t != first)
			ret = cr_dump_task(d, t, false);
	}
	if (!ret)
		ret = cr_dump_signal(d, current);
	if (!ret)
		ret = cr_dump_process(d);
	if (!ret)
		ret = cr_dump_files(d);
	if (!ret)
		ret = cr_dump_mm(d);
	return ret;
}

/* Rename the complete image @file to @name, in the same directory. */
static int cr_rename_into_place(struct file *file, const char *name)
{
	struct dentry *old = file->f_path.dentry, *dir, *new;
	struct vfsmount *mnt = file->f_path.mnt;
	struct renamedata rd = {};
	int ret;

	ret = mnt_want_write(mnt);
	if (ret)
		return ret;
	dir = dget_parent(old);
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

	if (mnt_want_write(mnt))
		return;
	dir = dget_parent(old);
	/* Our own reference, as a lookup would hold: the file keeps its inode. */
	dget(old);
	inode_lock_nested(d_inode(dir), I_MUTEX_PARENT);
	if (old->d_parent == dir && !d_unhashed(old))
		vfs_unlink(mnt_idmap(mnt), d_inode(dir), old, NULL);
	inode_unlock(d_inode(dir));
	dput(old);
	dput(dir);
	mnt_drop_write(mnt);
}

/* Why this process cannot be checkpointed now, or NULL. */
static const char *cr_refusal(void)
{
	struct mm_struct *mm = current->mm;

	if (!mm || (current->flags & PF_KTHREAD))
		return "no user address space";
	if (get_dumpable(mm) != SUID_DUMP_USER)
		return "process is not dumpable (setuid, or PR_SET_DUMPABLE 0)";
	if (current->signal->flags & SIGNAL_GROUP_EXIT)
		return "process is exiting";
	return NULL;
}

/*
 * What the process does after a complete image, started while the other
 * threads are still parked so that none of them runs user code after the
 * checkpoint instant: a pending SIGSTOP stops them before they leave the
 * kernel, a group exit kills them in their parking place.
 */
static void cr_checkpoint_mode(int mode)
{
	struct signal_struct *sig = current->signal;

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

static int cr_checkpoint_self(const kernel_siginfo_t *info, char *name,
			      size_t size, int mode)
{
	struct cr_dump d = { .siginfo = info };
	const char *why = cr_refusal();
	struct cr_freeze *freeze;
	struct file *file;
	char *tmp;
	int ret;

	if (why) {
		cr_refuse(current->comm, "checkpoint refused: %s", why);
		return -EPERM;
	}
	ret = cr_image_name(name, size);
	if (ret) {
		cr_refuse(current->comm, "checkpoint refused: bad kernel.cr.pattern (%d)", ret);
		return ret;
	}
	freeze = cr_freeze_threads();
	if (IS_ERR(freeze))
		return PTR_ERR(freeze);
	ret = cr_dump_image(&d, freeze);
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
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		cr_refuse(current->comm, "cannot create %s (%d)", tmp, ret);
		goto out;
	}
	d.cprm.file = file;
	d.cprm.limit = ULONG_MAX;
	file_start_write(file);
	ret = cr_dump_write(&d);
	file_end_write(file);
	if (!ret)
		ret = cr_rename_into_place(file, kbasename(name));
	if (ret) {
		cr_refuse(current->comm, "checkpoint to %s failed (%d)", name, ret);
		cr_unlink_tmp(file);
	}
	filp_close(file, NULL);
out:
	kfree(tmp);
out_free:
	if (!ret)
		cr_checkpoint_mode(mode);
	/* Memory is written: the threads may run again. */
	cr_thaw_threads(freeze);
	cr_dump_free(&d);
	return ret;
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
	char *name;
	int ret;

	if (info->si_code == SI_QUEUE)
		mode = info->si_int;
	if (mode < CR_MODE_CONTINUE || mode > CR_MODE_EXIT) {
		cr_refuse(current->comm, "checkpoint refused: unknown mode %d", mode);
		return;
	}
	name = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!name)
		return;
	ret = cr_checkpoint_self(info, name, PATH_MAX, mode);
	kfree(name);
	if (!ret && mode == CR_MODE_EXIT)
		do_group_exit(SIGCKPT);
}
