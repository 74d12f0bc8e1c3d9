// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 rules of an image, written once for the kernel and for
 * crcore (<linux/cr_rules.h>): the machine, the registers of a thread
 * and what of its XSAVE state can be checked without the restoring CPU
 * (the kernel then checks the rest against this CPU, arch/x86/cr/fpu.c).
 */
#include <linux/cr_rules.h>

#define CR_XSAVE_HDR	512	/* offset of the XSAVE header */
#define CR_XSAVE_MIN	576	/* legacy area and header */
#define CR_XSAVE_AVX	(CR_XSAVE_MIN + 256)	/* and the upper halves of ymm */
#define CR_MXCSR_DEFAULT_MASK	0xffbf

/**
 * cr_arch_rule_machine - is the image for this architecture?
 * @name: the image, for messages
 * @e_machine: of its ELF header
 * @h: its image header
 *
 * Only native 64-bit tasks are handled; 32-bit (compat) tasks are refused.
 *
 * Return: 0, or -ENOEXEC after saying why.
 */
int cr_arch_rule_machine(const char *name, u16 e_machine, const struct cr_hdr_image *h)
{
	if (e_machine != EM_X86_64 || h->e_machine != EM_X86_64) {
		cr_refuse(name, "image is for ELF machine %u/%u, the kernel restores x86-64 (%u) only",
			  e_machine, h->e_machine, EM_X86_64);
		return -ENOEXEC;
	}
	return 0;
}

/**
 * cr_arch_rule_prstatus - NT_PRSTATUS of thread @n: its size, its registers
 * @name: the image, for messages
 * @n: the thread's place in the image (1: the first)
 * @st: the note
 * @regs: filled with its pr_reg
 *
 * Return: 0, -EOPNOTSUPP or -EINVAL after saying why.
 */
int cr_arch_rule_prstatus(const char *name, unsigned int n, const struct cr_note *st,
			  struct user_regs_struct *regs)
{
	if (st->size != CR_PRSTATUS_SIZE) {
		cr_refuse(name, "thread %u: NT_PRSTATUS has %u bytes, expected %zu",
			  n, st->size, (size_t)CR_PRSTATUS_SIZE);
		return -EINVAL;
	}
	memcpy(regs, (const u8 *)st->desc + CR_PRSTATUS_REGS, sizeof(*regs));
	return cr_arch_rule_regs(name, n, regs);
}

/**
 * cr_arch_rule_regs - may a task take these registers?
 * @name: the image, for messages
 * @n: the thread's place in the image (1: the first)
 * @regs: its general registers (pr_reg of NT_PRSTATUS)
 *
 * Only 64-bit tasks with the usual flat segments are restored; ip and
 * the bases must be user addresses, the flags those a user may set.
 *
 * Return: 0, -EOPNOTSUPP or -EINVAL after saying why.
 */
int cr_arch_rule_regs(const char *name, unsigned int n,
		      const struct user_regs_struct *regs)
{
	if (regs->cs != __USER_CS || regs->ss != __USER_DS) {
		cr_refuse(name, "thread %u: cs/ss %#llx/%#llx: only 64-bit tasks are restored",
			  n, (unsigned long long)regs->cs, (unsigned long long)regs->ss);
		return -EOPNOTSUPP;
	}
	if ((regs->ds && regs->ds != __USER_DS) || (regs->es && regs->es != __USER_DS) ||
	    regs->fs || regs->gs) {
		cr_refuse(name, "thread %u: task used segment selectors (ds %#llx es %#llx fs %#llx gs %#llx), which are not restored",
			  n, (unsigned long long)regs->ds, (unsigned long long)regs->es,
			  (unsigned long long)regs->fs, (unsigned long long)regs->gs);
		return -EOPNOTSUPP;
	}
	if (regs->ip >= TASK_SIZE_MAX) {
		cr_refuse(name, "thread %u: ip %#llx is not a user address",
			  n, (unsigned long long)regs->ip);
		return -EINVAL;
	}
	if (regs->fs_base >= TASK_SIZE_MAX) {
		cr_refuse(name, "thread %u: fs base %#llx is not a user address",
			  n, (unsigned long long)regs->fs_base);
		return -EINVAL;
	}
	if (regs->gs_base >= TASK_SIZE_MAX) {
		cr_refuse(name, "thread %u: gs base %#llx is not a user address",
			  n, (unsigned long long)regs->gs_base);
		return -EINVAL;
	}
	if (regs->flags & ~(u64)(CR_X86_USER_FLAGS | X86_EFLAGS_IF | X86_EFLAGS_FIXED)) {
		cr_refuse(name, "thread %u: flags %#llx has bits a user task may not set",
			  n, (unsigned long long)regs->flags);
		return -EINVAL;
	}
	if ((long)regs->orig_ax != -1) {
		cr_refuse(name, "thread %u: orig_ax is %lld, not -1",
			  n, (long long)regs->orig_ax);
		return -EINVAL;
	}
	return 0;
}

static u64 cr_rule_u64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/**
 * cr_arch_rule_xstate - the XSAVE state of thread @n, whatever the CPU
 * @name: the image, for messages
 * @n: the thread's place in the image
 * @note: its NT_X86_XSTATE, or NULL
 *
 * The UABI (standard, uncompacted) format: an XSAVE header with only
 * features a user task may have and reserved bytes zero, MXCSR within
 * the mask the checkpointing CPU recorded, room for AVX if used.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_arch_rule_xstate(const char *name, unsigned int n, const struct cr_note *note)
{
	const u8 *x;
	u64 features;
	u32 mxcsr, mask;
	unsigned int i;

	if (!note || note->size < CR_XSAVE_MIN) {
		cr_refuse(name, "thread %u: NT_X86_XSTATE is missing or has %u bytes, not even an XSAVE header",
			  n, note ? note->size : 0);
		return -EINVAL;
	}
	x = note->desc;
	features = cr_rule_u64(x + CR_XSAVE_HDR);
	if (features & ~(u64)XFEATURE_MASK_USER_SUPPORTED) {
		cr_refuse(name, "thread %u: XSAVE state has features %#llx that no task may use",
			  n, (unsigned long long)(features & ~(u64)XFEATURE_MASK_USER_SUPPORTED));
		return -EINVAL;
	}
	if (cr_rule_u64(x + CR_XSAVE_HDR + 8)) {
		cr_refuse(name, "thread %u: XSAVE state is compacted (xcomp_bv %#llx)",
			  n, (unsigned long long)cr_rule_u64(x + CR_XSAVE_HDR + 8));
		return -EINVAL;
	}
	for (i = 16; i < 64; i += 8) {
		if (cr_rule_u64(x + CR_XSAVE_HDR + i)) {
			cr_refuse(name, "thread %u: XSAVE header has non-zero reserved bytes", n);
			return -EINVAL;
		}
	}
	if (features & (XFEATURE_MASK_FP | XFEATURE_MASK_SSE | XFEATURE_MASK_YMM)) {
		memcpy(&mxcsr, x + 24, sizeof(mxcsr));
		memcpy(&mask, x + 28, sizeof(mask));
		if (!mask)
			mask = CR_MXCSR_DEFAULT_MASK;
		if (mxcsr & ~mask) {
			cr_refuse(name, "thread %u: MXCSR %#x has reserved bits set (mask %#x)",
				  n, mxcsr, mask);
			return -EINVAL;
		}
	}
	if ((features & XFEATURE_MASK_YMM) && note->size < CR_XSAVE_AVX) {
		cr_refuse(name, "thread %u: XSAVE state has AVX but only %u bytes", n, note->size);
		return -EINVAL;
	}
	return 0;
}
