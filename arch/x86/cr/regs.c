// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 registers of a checkpointed task, saved and restored.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <asm/prctl.h>
#include <linux/ptrace.h>
#include <asm/processor.h>
#include <asm/proto.h>
#include <asm/segment.h>
#include <asm/unistd.h>
#include <asm/user.h>

/**
 * cr_arch_fixup_restart - registers as the task will resume
 * @regs: general registers of a task stopped in a signal delivery
 *
 * A task checkpointed while inside an interruptible syscall is stopped
 * with -ERESTART* in ax (arch_do_signal_or_restart() has not run yet).
 * SIGCKPT has no handler, so each of them means "restart": the image
 * records the registers that re-execute the syscall instruction, with its
 * number back in ax, exactly what the kernel does to the live task after
 * the checkpoint. -ERESTART_RESTARTBLOCK becomes restart_syscall(), which
 * also needs the task's restart_block at restore (kernel/cr/signal.c).
 */
void cr_arch_fixup_restart(struct user_regs_struct *regs)
{
	if ((long)regs->orig_ax < 0)
		return;
	switch ((long)regs->ax) {
	case -ERESTARTNOHAND:
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
		regs->ax = regs->orig_ax;
		regs->ip -= 2;
		break;
	case -ERESTART_RESTARTBLOCK:
		regs->ax = __NR_restart_syscall;
		regs->ip -= 2;
		break;
	}
	/* The image resumes in user mode, not inside a syscall. */
	regs->orig_ax = -1;
}

/**
 * cr_arch_set_regs - load checked registers into the current task
 * @u: general registers, checked by cr_arch_rule_regs()
 * @xstate: XSAVE state, checked by cr_arch_check_fpu()
 *
 * Called on the task's way back to user space (a task_work), after
 * anything that would still write its registers: execve() stores its
 * return value in ax, a new thread's ret_from_fork() clears it.
 *
 * Return: 0 or a negative errno.
 */
int cr_arch_set_regs(const struct user_regs_struct *u, const void *xstate)
{
	struct pt_regs *regs = current_pt_regs();

	regs->r15 = u->r15;
	regs->r14 = u->r14;
	regs->r13 = u->r13;
	regs->r12 = u->r12;
	regs->bp = u->bp;
	regs->bx = u->bx;
	regs->r11 = u->r11;
	regs->r10 = u->r10;
	regs->r9 = u->r9;
	regs->r8 = u->r8;
	regs->ax = u->ax;
	regs->cx = u->cx;
	regs->dx = u->dx;
	regs->si = u->si;
	regs->di = u->di;
	regs->orig_ax = -1;
	regs->ip = u->ip;
	regs->sp = u->sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->flags = (u->flags & CR_X86_USER_FLAGS) | X86_EFLAGS_IF | X86_EFLAGS_FIXED;
	/* Checked: cannot fail; the selectors are zero since exec or clone. */
	do_arch_prctl_64(current, ARCH_SET_FS, u->fs_base);
	do_arch_prctl_64(current, ARCH_SET_GS, u->gs_base);
	return cr_arch_restore_fpu(xstate);
}
