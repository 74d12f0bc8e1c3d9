// SPDX-License-Identifier: GPL-2.0
/*
 * x86 FPU/SSE/AVX state of a restored task.
 *
 * The image holds the XSAVE state in the UABI (standard, uncompacted)
 * format of NT_X86_XSTATE, as ptrace and core dumps expose it. Restore
 * converts it with the FPU core's own parser, once into a scratch buffer
 * before the point of no return (which checks the header, the features
 * and MXCSR: a bad image fails the exec) and once into the task's state
 * after it, the way sigreturn replaces the state of the current task.
 *
 * The helpers used are internal to arch/x86/kernel/fpu, hence the
 * relative includes: this file is part of the architecture code.
 */
#include <linux/cr.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/fpu/api.h>
#include <asm/fpu/signal.h>
#include <asm/fpu/xstate.h>
#include <asm/trace/fpu.h>

#include "../kernel/fpu/context.h"
#include "../kernel/fpu/internal.h"
#include "../kernel/fpu/xstate.h"

/**
 * cr_arch_check_fpu - check the XSAVE state of one thread
 * @img: the image, for messages
 * @note: the thread's NT_X86_XSTATE, or NULL
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_arch_check_fpu(const struct cr_image *img, const struct cr_note *note)
{
	const struct fpstate *init = &current->thread.fpu.__fpstate;
	struct fpstate *scratch;
	size_t size;
	u32 pkru = 0;
	int ret;

	if (!cpu_feature_enabled(X86_FEATURE_XSAVE)) {
		cr_refuse(img->name, "this CPU has no XSAVE: FPU state cannot be restored");
		return -EOPNOTSUPP;
	}
	if (!note || note->size != fpu_user_cfg.max_size) {
		cr_refuse(img->name, "NT_X86_XSTATE is missing or has %u bytes, this CPU's is %u",
			  note ? note->size : 0, fpu_user_cfg.max_size);
		return -EINVAL;
	}
	size = offsetof(struct fpstate, regs) + init->size;
	scratch = kvzalloc(size, GFP_KERNEL);
	if (!scratch)
		return -ENOMEM;
	memcpy(scratch, init, offsetof(struct fpstate, regs));
	scratch->is_valloc = 0;
	scratch->in_use = 0;
	ret = copy_uabi_from_kernel_to_xstate(scratch, note->desc, &pkru);
	kvfree(scratch);
	if (ret) {
		cr_refuse(img->name, "XSAVE state is invalid or uses features this task may not (%d)",
			  ret);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_arch_restore_fpu - load a checked XSAVE state into the current task
 * @xstate: UABI buffer, checked by cr_arch_check_fpu()
 *
 * Return: 0 or a negative errno.
 */
int cr_arch_restore_fpu(const void *xstate)
{
	struct fpu *fpu = &current->thread.fpu;

	/*
	 * As __fpu_restore_sig() does: the registers are no longer the
	 * task's; its memory state is, and is loaded on return to user.
	 */
	fpregs_lock();
	if (!test_thread_flag(TIF_NEED_FPU_LOAD)) {
		if (xfeatures_mask_supervisor())
			os_xsave(fpu->fpstate);
		set_thread_flag(TIF_NEED_FPU_LOAD);
	}
	__fpu_invalidate_fpregs_state(fpu);
	__cpu_invalidate_fpregs_state();
	fpregs_unlock();

	return copy_uabi_from_kernel_to_xstate(fpu->fpstate, xstate,
					       &current->thread.pkru);
}
