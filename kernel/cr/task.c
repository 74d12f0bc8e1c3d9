// SPDX-License-Identifier: GPL-2.0
/*
 * Task state: ids, registers and the other register sets of a thread.
 *
 * Checkpoint: the standard core notes, written as fs/binfmt_elf.c writes
 * them so that gdb and readelf read them unchanged: NT_PRPSINFO for the
 * process, and per thread NT_PRSTATUS followed by one note per active
 * register set of the architecture (NT_PRFPREG, NT_X86_XSTATE, ...), then
 * NT_CR_THREAD (kernel/cr/signal.c).
 *
 * Restore: the registers are checked by the architecture before the point
 * of no return and loaded on the way back to user space, after execve()
 * has stored its own return value in the register file (a task_work).
 */
#include <linux/cr.h>
#include <linux/cred.h>
#include <linux/elfcore.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

static int cr_dump_psinfo(struct cr_dump *d, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	struct elf_prpsinfo *ps;
	const struct cred *cred;
	unsigned int i, len;
	int ret;

	ps = kzalloc(sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return -ENOMEM;
	len = min_t(unsigned long, mm->arg_end - mm->arg_start, ELF_PRARGSZ - 1);
	if (copy_from_user(ps->pr_psargs, (const char __user *)mm->arg_start, len))
		len = 0;
	for (i = 0; i < len; i++)
		if (!ps->pr_psargs[i])
			ps->pr_psargs[i] = ' ';
	ps->pr_psargs[len] = '\0';

	rcu_read_lock();
	ps->pr_ppid = task_pid_vnr(rcu_dereference(t->real_parent));
	cred = __task_cred(t);
	ps->pr_uid = from_kuid_munged(cred->user_ns, cred->uid);
	ps->pr_gid = from_kgid_munged(cred->user_ns, cred->gid);
	rcu_read_unlock();
	ps->pr_pid = task_pid_vnr(t);
	ps->pr_pgrp = task_pgrp_vnr(t);
	ps->pr_sid = task_session_vnr(t);
	ps->pr_sname = 'R';
	ps->pr_nice = task_nice(t);
	ps->pr_flag = t->flags;
	get_task_comm(ps->pr_fname, t);

	ret = cr_dump_note(d, "CORE", NT_PRPSINFO, ps, sizeof(*ps));
	kfree(ps);
	return ret;
}

static int cr_dump_prstatus(struct cr_dump *d, struct task_struct *t,
			    const struct user_regset_view *view, long *ax, long *nr)
{
	struct elf_prstatus *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->common.pr_info.si_signo = d->siginfo->si_signo;
	st->common.pr_cursig = d->siginfo->si_signo;
	st->common.pr_sigpend = t->pending.signal.sig[0];
	st->common.pr_sighold = t->blocked.sig[0];
	rcu_read_lock();
	st->common.pr_ppid = task_pid_vnr(rcu_dereference(t->real_parent));
	rcu_read_unlock();
	st->common.pr_pid = task_pid_vnr(t);
	st->common.pr_pgrp = task_pgrp_vnr(t);
	st->common.pr_sid = task_session_vnr(t);
	st->pr_fpvalid = 1;

	/* Regset 0 is the general registers, as binfmt_elf assumes too. */
	ret = regset_get(t, &view->regsets[0], sizeof(st->pr_reg), &st->pr_reg);
	if (ret >= 0) {
		struct user_regs_struct *regs = (void *)&st->pr_reg;

		*ax = regs->ax;
		*nr = regs->orig_ax;
		/* The image shows the task as it will resume: see the arch. */
		cr_arch_fixup_restart(regs);
		ret = cr_dump_note(d, "CORE", NT_PRSTATUS, st, sizeof(*st));
	}
	kfree(st);
	return ret;
}

/**
 * cr_dump_task - the notes of one thread (and, for the first, its process)
 * @d: image being written
 * @t: a thread of the process being checkpointed, stopped or current
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_task(struct cr_dump *d, struct task_struct *t)
{
	const struct user_regset_view *view = task_user_regset_view(t);
	long ax = 0, nr = -1;
	unsigned int i;
	int ret;

	ret = cr_dump_psinfo(d, t);
	if (!ret)
		ret = cr_dump_prstatus(d, t, view, &ax, &nr);
	for (i = 1; !ret && i < view->n; i++) {
		const struct user_regset *rs = &view->regsets[i];
		void *data;
		int size;

		if (!rs->core_note_type ||
		    (rs->active && rs->active(t, rs) <= 0))
			continue;
		size = regset_get_alloc(t, rs, ~0U, &data);
		if (size < 0)
			return size;
		ret = cr_dump_note(d, rs->core_note_type == NT_PRFPREG ? "CORE" : "LINUX",
				   rs->core_note_type, data, size);
		kfree(data);
	}
	if (!ret)
		ret = cr_dump_thread(d, t, ax, nr);
	return ret;
}

/* Restore */

/**
 * cr_restore_task_prepare - check the thread state of an image
 * @r: restore plan
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_task_prepare(struct cr_restore *r)
{
	const struct cr_note *note = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < r->img->nr_notes; i++) {
		if (!r->img->note[i].ours && r->img->note[i].type == NT_PRSTATUS) {
			note = note ?: &r->img->note[i];
			n++;
		}
	}
	if (!note) {
		cr_refuse(r->img->name, "image holds no thread state (NT_PRSTATUS)");
		return -EINVAL;
	}
	if (n != r->img->hdr.nr_threads || n != 1) {
		cr_refuse(r->img->name, "image holds %u threads; restoring more than one is not supported yet",
			  n);
		return -EOPNOTSUPP;
	}
	if (note->size != sizeof(struct elf_prstatus)) {
		cr_refuse(r->img->name, "NT_PRSTATUS has %u bytes, expected %zu",
			  note->size, sizeof(struct elf_prstatus));
		return -EINVAL;
	}
	r->regs = kmalloc(sizeof(*r->regs), GFP_KERNEL);
	if (!r->regs)
		return -ENOMEM;
	memcpy(r->regs, note->desc + offsetof(struct elf_prstatus, pr_reg),
	       sizeof(*r->regs));

	note = cr_image_find_note(r->img, false, NT_PRPSINFO);
	if (!note || note->size != sizeof(struct elf_prpsinfo)) {
		cr_refuse(r->img->name, "NT_PRPSINFO is missing or has the wrong size");
		return -EINVAL;
	}
	memcpy(r->comm, note->desc + offsetof(struct elf_prpsinfo, pr_fname),
	       sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = '\0';
	return cr_arch_check_regs(r);
}

/**
 * cr_restore_task - registers, after the point of no return
 * @r: a prepared plan
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_task(struct cr_restore *r)
{
	/* Its own name, not the image's file name that exec gave it. */
	__set_task_comm(current, r->comm, true);
	return cr_arch_restore_regs(r);
}
