// SPDX-License-Identifier: GPL-2.0
/*
 * binfmt_cr: restore a checkpoint image when it is executed.
 *
 * A checkpoint image is an ELF core file; this handler recognizes one,
 * has kernel/cr validate all of it into a restore plan while exec can
 * still fail cleanly (opening the files it maps, with the caller's
 * permissions), and then, past the point of no return, rebuilds the
 * process in the exec'ing task: its address space, descriptors, signal
 * state and registers; in an image of a tree, the exec'ing task becomes
 * the root and creates the other processes as it leaves execve(). Like any exec, the task keeps its pid and its
 * credentials; descriptors that led outside the checkpointed process
 * (terminals, pipes, sockets) are the caller's of the same numbers, which
 * is how "./prog.ckpt > out" redirects the restored program's output.
 * An image whose threads or processes need their ids, which the caller
 * cannot give them in place, is handed to the restore helper
 * (kernel.cr.restore_helper) as binfmt_script hands a script to its
 * interpreter: the exec goes on as "HELPER IMAGE ARGS...".
 * See Documentation/cr/.
 */
#include <linux/binfmts.h>
#include <linux/cr.h>
#include <linux/elf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

static struct linux_binfmt cr_format;

/*
 * Everything that can fail for a reason found in the image, for every
 * process it holds (kernel/cr/tree.c).
 */
static int cr_restore_prepare(struct cr_restore *r, struct linux_binprm *bprm)
{
	/* The stack exec built for the arguments is not the process's. */
	r->unmap_start = bprm->vma->vm_start;
	r->unmap_end = bprm->vma->vm_end;
	return cr_restore_tree_prepare(r);
}

/*
 * The exec proper: after begin_new_exec(), failures kill the task. Every
 * signal is blocked first: begin_new_exec() resets the handlers, and a
 * signal sent while memory is loaded (seconds, for a large image) would
 * kill the process at once (complete_signal() takes an unblocked signal
 * whose action is the default one for fatal). Held, it is delivered after
 * the restore, with the restored handlers and mask
 * (cr_restore_thread_signals()).
 */
static int cr_restore_apply(struct cr_restore *r, struct linux_binprm *bprm)
{
	sigset_t all, saved = current->blocked;
	int ret;

	siginitsetinv(&all, sigmask(SIGKILL) | sigmask(SIGSTOP));
	set_current_blocked(&all);
	ret = begin_new_exec(bprm);
	if (ret) {
		set_current_blocked(&saved);
		return ret;
	}
	r->secureexec = bprm->secureexec;
	r->exec_dumpable = get_dumpable(current->mm);
	cr_tree_exec_begun(r->tree, bprm->secureexec, r->exec_dumpable);
	SET_PERSONALITY(r->img->ehdr);
	setup_new_exec(bprm);
	ret = cr_restore_one(r);
	if (ret)
		return ret;
	set_binfmt(&cr_format);
	/* finalize_exec() sets RLIMIT_STACK from bprm: the restored one. */
	task_lock(current->group_leader);
	bprm->rlim_stack = current->signal->rlim[RLIMIT_STACK];
	task_unlock(current->group_leader);
	finalize_exec(bprm);
	return 0;
}

/*
 * The image needs ids the caller cannot give it in place: go on as
 * "HELPER IMAGE ARGS...", as binfmt_script does for "#!", unless there is
 * no helper or the caller is the helper itself (its own exec of the
 * image, which must fail rather than loop).
 *
 * Return: 0 with bprm->interpreter set, or -EPERM.
 */
static int cr_hand_to_helper(struct linux_binprm *bprm)
{
	struct file *file, *exe;
	bool self;
	char *helper;
	int ret;

	if (bprm->interp_flags & BINPRM_FLAGS_PATH_INACCESSIBLE)
		return -EPERM;
	helper = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!helper)
		return -ENOMEM;
	cr_restore_helper(helper, PATH_MAX);
	ret = -EPERM;
	if (helper[0] != '/')
		goto out;
	file = open_exec(helper);
	if (IS_ERR(file)) {
		pr_info_ratelimited("cr: %s: restore helper %s: %ld\n", current->comm, helper,
				    PTR_ERR(file));
		goto out;
	}
	exe = get_mm_exe_file(current->mm);
	self = exe && file_inode(exe) == file_inode(file);
	if (exe)
		fput(exe);
	if (self) {
		exe_file_allow_write_access(file);
		fput(file);
		goto out;
	}
	/* In reverse order: the image replaces argv[0], then the helper. */
	ret = remove_arg_zero(bprm);
	if (!ret)
		ret = copy_string_kernel(bprm->interp, bprm);
	if (!ret) {
		bprm->argc++;
		ret = copy_string_kernel(helper, bprm);
	}
	if (!ret) {
		bprm->argc++;
		ret = bprm_change_interp(helper, bprm);
	}
	if (ret) {
		exe_file_allow_write_access(file);
		fput(file);
		goto out;
	}
	bprm->interpreter = file;
out:
	kfree(helper);
	return ret;
}

static int load_cr_binary(struct linux_binprm *bprm)
{
	struct cr_restore *r;
	struct cr_image img;
	int ret;

	ret = cr_image_open(&img, bprm);
	if (ret)
		goto out;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		ret = -ENOMEM;
		goto out;
	}
	r->img = &img;
	ret = cr_restore_prepare(r, bprm);
	if (!ret)
		ret = cr_restore_apply(r, bprm);
	else if (ret == -EPERM && r->needs_ids)
		ret = cr_hand_to_helper(bprm);
	cr_restore_files_free(r);
	cr_restore_process_free(r);
	cr_restore_ns_free(r);
	cr_restore_timers_free(r);
	cr_restore_locks_free(r);
	cr_restore_mm_free(r);
	cr_restore_task_free(r);
	if (r->tree)
		cr_tree_put(r->tree);
	kfree(r);
out:
	cr_image_close(&img);
	return ret;
}

static struct linux_binfmt cr_format = {
	.module		= THIS_MODULE,
	.load_binary	= load_cr_binary,
};

static int __init init_cr_binfmt(void)
{
	register_binfmt(&cr_format);
	pr_info("cr: binfmt_cr registered, image format version %u\n",
		CR_IMAGE_VERSION);
	return 0;
}
core_initcall(init_cr_binfmt);
