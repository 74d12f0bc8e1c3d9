/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crcore's world for the image rules (<linux/cr_rules.h>): the names the
 * rules use, with the values of the restoring kernel (x86-64, 4-level
 * page tables, 4 KiB pages), for kernel/cr/rules.c and
 * arch/x86/cr/rules.c compiled in userspace, as tools/testing/vma
 * compiles mm/vma.c. The kernel's own is include/linux/cr_rules_env.h:
 * a name a rule uses must be in both.
 *
 * A rule's cr_refuse() line is kept in cr_rule_why (problem.c), for
 * rule() to report with the rule's errno.
 */
#ifndef _CR_RULES_ENV_H
#define _CR_RULES_ENV_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/capability.h>
#include <linux/fib_rules.h>
#include <linux/futex.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/oom.h>
#include <linux/rtnetlink.h>
#include <linux/securebits.h>
#include <netinet/in.h>

#include "../../crcore.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define PAGE_SHIFT		CR_PAGE_SHIFT
#define PAGE_SIZE		CR_PAGE_SIZE
#define TASK_SIZE_MAX		CR_TASK_SIZE_MAX
#define PID_MAX_LIMIT		CR_PID_MAX_LIMIT

#define ALIGN(x, a)		(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PAGE_ALIGNED(x)		IS_ALIGNED((u64)(x), PAGE_SIZE)
#define offsetofend(t, m)	(offsetof(t, m) + sizeof(((t *)0)->m))
#define MAX_LFS_FILESIZE	((u64)LLONG_MAX)
#define PROT_READ		0x1
#define PROT_WRITE		0x2
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max(a, b)		((a) > (b) ? (a) : (b))

/* Scheduling policies (uapi linux/sched.h) and priorities (sched/prio.h). */
#define SCHED_NORMAL		0
#ifndef SCHED_FIFO
#define SCHED_FIFO		1
#define SCHED_RR		2
#endif
#ifndef SCHED_BATCH
#define SCHED_BATCH		3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE		5
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE		6
#endif
#define MIN_NICE		(-20)
#define MAX_NICE		19
#define MAX_RT_PRIO		100

/* The ELF types under the kernel's names (glibc's are typedefs). */
struct elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};

struct elf64_note {
	u32 n_namesz;
	u32 n_descsz;
	u32 n_type;
};

_Static_assert(sizeof(struct elf64_phdr) == sizeof(Elf64_Phdr), "struct elf64_phdr");
_Static_assert(sizeof(struct elf64_phdr) == sizeof(GElf_Phdr), "GElf_Phdr");

/* pr_reg of NT_PRSTATUS, under the kernel's names (asm/user_64.h). */
struct user_regs_struct {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
	unsigned long fs_base, gs_base, ds, es, fs, gs;
};

_Static_assert(sizeof(struct user_regs_struct) == 27 * 8, "NT_PRSTATUS pr_reg layout");

/* x86-64 */
#define __USER_CS		0x33
#define __USER_DS		0x2b
#define X86_EFLAGS_CF		0x0001
#define X86_EFLAGS_FIXED	0x0002
#define X86_EFLAGS_PF		0x0004
#define X86_EFLAGS_AF		0x0010
#define X86_EFLAGS_ZF		0x0040
#define X86_EFLAGS_SF		0x0080
#define X86_EFLAGS_TF		0x0100
#define X86_EFLAGS_IF		0x0200
#define X86_EFLAGS_DF		0x0400
#define X86_EFLAGS_OF		0x0800
#define X86_EFLAGS_NT		0x4000
#define X86_EFLAGS_RF		0x10000
#define X86_EFLAGS_AC		0x40000
#define XFEATURE_MASK_FP	0x1
#define XFEATURE_MASK_SSE	0x2
#define XFEATURE_MASK_YMM	0x4
/* FP, SSE, YMM, BNDREGS/BNDCSR, AVX-512, PKRU, AMX tiles (asm/fpu/xstate.h) */
#define XFEATURE_MASK_USER_SUPPORTED	(0x7 | 0x18 | 0xe0 | 0x200 | 0x60000)

/*
 * The status flags a descriptor keeps, in the kernel's values (glibc's
 * O_LARGEFILE is 0 on x86-64): O_ACCMODE, O_APPEND, O_NONBLOCK, O_DSYNC,
 * __O_SYNC, O_DIRECT, O_LARGEFILE, O_NOATIME, O_PATH, O_DIRECTORY.
 */
#define CR_FD_OPEN_FLAGS	(03 | 02000 | 04000 | 010000 | 04000000 | 040000 |	\
				 0100000 | 01000000 | 010000000 | 0200000)
#ifndef N_TTY
#define N_TTY			0
#endif

/* Signals */
#ifndef SS_AUTODISARM
#define SS_AUTODISARM		(1U << 31)
#endif
/* SA_* a task may set (linux/signal_types.h, with SA_RESTORER on x86). */
#define UAPI_SA_FLAGS		(0x00000001 | 0x00000002 | 0x00000004 | 0x08000000 |	\
				 0x10000000 | 0x40000000 | 0x80000000 | 0x00000800 |	\
				 0x04000000)
/* personality(2) */
#define PER_MASK		0x00ff
#define PER_LINUX		0x0000

#ifndef CLOCK_TAI
#define CLOCK_TAI		11
#endif

__printf(2, 3)
void cr_rules_refuse(const char *name, const char *fmt, ...);
#define cr_refuse(name, fmt, ...)	cr_rules_refuse(name, fmt, ##__VA_ARGS__)

#endif /* _CR_RULES_ENV_H */
