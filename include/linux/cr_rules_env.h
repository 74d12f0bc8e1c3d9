/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's world for the image rules (<linux/cr_rules.h>): what a
 * rule may use. crcore's header of that name, under tools/crcore/include,
 * gives the same names in userspace; a name used by a rule must be in
 * both.
 */
#ifndef _CR_RULES_ENV_H
#define _CR_RULES_ENV_H

#include <linux/capability.h>
#include <linux/cr.h>
#include <linux/elf.h>
#include <linux/elfcore.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/fib_rules.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <linux/in.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/neighbour.h>
#include <linux/net.h>
#include <linux/oom.h>
#include <linux/personality.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/securebits.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/tty.h>
#include <linux/types.h>
#include <asm/fpu/xstate.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/user.h>

/* NT_PRSTATUS: its size, and where pr_reg is in it; NT_PRPSINFO's size. */
#define CR_PRSTATUS_SIZE	sizeof(struct elf_prstatus)
#define CR_PRSTATUS_REGS	offsetof(struct elf_prstatus, pr_reg)
#define CR_PRPSINFO_SIZE	sizeof(struct elf_prpsinfo)

/* The status flags a descriptor keeps across a restore (struct cr_fd.flags). */
#define CR_FD_OPEN_FLAGS	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC |	\
				 __O_SYNC | O_DIRECT | O_LARGEFILE | O_NOATIME |	\
				 O_PATH | O_DIRECTORY)

#endif /* _CR_RULES_ENV_H */
