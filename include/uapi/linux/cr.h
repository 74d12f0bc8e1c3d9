/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart image format.
 *
 * A checkpoint image is an ELF core file (ET_CORE) that the kernel can also
 * execute: binfmt_cr recognizes it and restores the processes it holds.
 * Standard core notes (NT_PRSTATUS, NT_PRFPREG, ...) are written as
 * binfmt_elf writes them; what they lack is carried in notes whose owner
 * name is CR_NOTE_NAME, with the types and layouts defined here. This
 * header is the only definition of the format: the kernel and the
 * userspace tools (tools/crcore) both compile against it.
 *
 * Layout rules (see Documentation/cr/image-format.rst):
 *  - program header 0 is the PT_NOTE segment;
 *  - the first note of that segment is NT_CR_HEADER (struct cr_hdr_image);
 *  - every structure is made of fixed-width fields, is a multiple of 8
 *    bytes long and carries explicit padding, which must be zero;
 *  - every note starts with the structure of its type; a reader accepts a
 *    longer descriptor than it knows (newer minor additions at the end)
 *    only where the type's documentation says so.
 */
#ifndef _UAPI_LINUX_CR_H
#define _UAPI_LINUX_CR_H

#include <linux/types.h>

/*
 * SIGCKPT: where a process leaves it at its default disposition, the
 * kernel checkpoints it instead of terminating it, which is the default
 * action of every other real-time signal. A process with a handler for it,
 * or ignoring it, or blocking it, keeps that behaviour. From a shell:
 * "kill -63 PID" (any shell), or "kill -s RTMAX-1 PID" in bash.
 *
 * What the process does after a successful checkpoint is the sender's
 * choice when it uses sigqueue(), as the value of the signal; otherwise
 * the default of /proc/sys/kernel/cr/default_mode.
 */
#define SIGCKPT			63
#define CR_MODE_CONTINUE	0	/* carry on, like after gcore */
#define CR_MODE_STOP		1	/* stop, as with SIGSTOP */
#define CR_MODE_EXIT		2	/* die of SIGCKPT */

/* Owner name of every note this format adds (Elf64_Nhdr.n_name). */
#define CR_NOTE_NAME		"LINUXCR"

/* struct cr_hdr_image.magic: "CKPT" read as a little-endian __u32. */
#define CR_IMAGE_MAGIC		0x54504b43
/* Bumped on any incompatible change; restore requires an exact match. */
#define CR_IMAGE_VERSION	3

/* Note types under CR_NOTE_NAME. */
#define NT_CR_BASE		0x43520000
#define NT_CR_HEADER		(NT_CR_BASE + 0x01)	/* struct cr_hdr_image */
#define NT_CR_MM		(NT_CR_BASE + 0x10)	/* struct cr_hdr_mm */
#define NT_CR_VMAS		(NT_CR_BASE + 0x11)	/* struct cr_vma[nr_vmas] */
#define NT_CR_PAGES		(NT_CR_BASE + 0x12)	/* struct cr_page_run[] */
#define NT_CR_PARENT_PAGES	(NT_CR_BASE + 0x13)	/* struct cr_page_run[] */
#define NT_CR_AIO		(NT_CR_BASE + 0x14)	/* struct cr_aio ... */
#define NT_CR_THREAD		(NT_CR_BASE + 0x20)	/* struct cr_hdr_thread */
#define NT_CR_SECCOMP		(NT_CR_BASE + 0x21)	/* struct cr_hdr_seccomp ... */
#define NT_CR_THREAD_CREDS	(NT_CR_BASE + 0x22)	/* struct cr_thread_ids ... */
#define NT_CR_THREAD_DISPATCH	(NT_CR_BASE + 0x23)	/* struct cr_dispatch */
#define NT_CR_SIGHAND		(NT_CR_BASE + 0x30)	/* struct cr_sigaction[64] */
#define NT_CR_SIGPENDING	(NT_CR_BASE + 0x31)	/* struct cr_sigpending[] */
#define NT_CR_FILES		(NT_CR_BASE + 0x40)	/* struct cr_hdr_files ... */
#define NT_CR_PIPES		(NT_CR_BASE + 0x41)	/* struct cr_hdr_pipes ... */
#define NT_CR_SOCKETS		(NT_CR_BASE + 0x42)	/* struct cr_hdr_sockets ... */
#define NT_CR_TTYS		(NT_CR_BASE + 0x43)	/* struct cr_hdr_ttys ... */
#define NT_CR_LOCKS		(NT_CR_BASE + 0x44)	/* struct cr_lock[] */
#define NT_CR_FOWNERS		(NT_CR_BASE + 0x45)	/* struct cr_fown[] */
#define NT_CR_SOCK_FILTERS	(NT_CR_BASE + 0x46)	/* struct cr_sock_filter ... */
#define NT_CR_SOCK_OPTS		(NT_CR_BASE + 0x47)	/* struct cr_sock_opts[] */
#define NT_CR_SOCK_DEVS		(NT_CR_BASE + 0x48)	/* struct cr_sock_dev[] */
#define NT_CR_PROCESS		(NT_CR_BASE + 0x50)	/* struct cr_hdr_process ... */
#define NT_CR_ITIMERS		(NT_CR_BASE + 0x51)	/* struct cr_itimer[CR_NR_ITIMERS] */
#define NT_CR_POSIX_TIMERS	(NT_CR_BASE + 0x52)	/* struct cr_posix_timer[] */
#define NT_CR_CREDS		(NT_CR_BASE + 0x53)	/* struct cr_hdr_creds ... */
#define NT_CR_SYSV_SHM		(NT_CR_BASE + 0x54)	/* struct cr_sysv_shm[] */
#define NT_CR_SEM_UNDO		(NT_CR_BASE + 0x55)	/* struct cr_sem_undo ... */
#define NT_CR_SYSV_SEM		(NT_CR_BASE + 0x56)	/* struct cr_sysv_sem ... */
#define NT_CR_SYSV_MSG		(NT_CR_BASE + 0x57)	/* struct cr_sysv_msq ... */
#define NT_CR_TREE		(NT_CR_BASE + 0x60)	/* struct cr_hdr_tree ... */
#define NT_CR_NS		(NT_CR_BASE + 0x61)	/* struct cr_hdr_ns */
#define NT_CR_USERNS		(NT_CR_BASE + 0x62)	/* struct cr_hdr_userns ... */
#define NT_CR_MOUNTS		(NT_CR_BASE + 0x63)	/* struct cr_mount ... */
#define NT_CR_TMPFS		(NT_CR_BASE + 0x64)	/* struct cr_tmpfs_file ... */
#define NT_CR_NET_SYSCTL	(NT_CR_BASE + 0x65)	/* struct cr_net_sysctl ... */
#define NT_CR_NET_LINKS		(NT_CR_BASE + 0x66)	/* struct cr_net_link ... */
#define NT_CR_NET_RTNL		(NT_CR_BASE + 0x67)	/* struct nlmsghdr ... (rtnetlink) */
#define NT_CR_TTY_DATA		(NT_CR_BASE + 0x68)	/* struct cr_tty_data ... */

/*
 * Program header type of a segment holding the image of one more process
 * of a tree: a complete single-process image (ELF header, notes, memory),
 * whose offsets are relative to the segment's start. Not PT_LOAD: gdb
 * and readelf, reading the image as the core of its first process, skip
 * it; "crcore extract --pid" copies it out as a core of its own.
 */
#define PT_CR_PROCESS		0x63520001

/* Sanity bounds a reader applies before trusting an image. */
#define CR_MAX_PHDRS		65534	/* below PN_XNUM: no extended numbering */
#define CR_MAX_NOTES_SIZE	(64 << 20)
#define CR_MAX_NOTES		65536
/*
 * Program headers and note segments of all the processes of one image
 * together, each note counting CR_NOTE_COST bytes more (what a reader
 * keeps of it).
 */
#define CR_MAX_IMAGE_NOTES	(256 << 20)
#define CR_NOTE_COST		32

/**
 * struct cr_hdr_image - NT_CR_HEADER: what the image is and where it came from
 * @magic:		CR_IMAGE_MAGIC
 * @version:		CR_IMAGE_VERSION of the writer
 * @hdr_size:		sizeof(struct cr_hdr_image) of the writer
 * @e_machine:		ELF machine of the checkpointed tasks (EM_X86_64)
 * @page_shift:		log2 of the page size of the checkpointing kernel
 * @flags:		CR_IMAGE_* flags, none defined yet (must be 0)
 * @nr_processes:	processes (thread groups) in the image, >= 1
 * @nr_threads:		threads in the image, >= @nr_processes
 * @__pad0:		zero
 * @time_ns:		CLOCK_REALTIME of the checkpoint, in nanoseconds
 * @kernel_release:	utsname()->release of the checkpointing kernel
 * @__pad1:		zero
 */
struct cr_hdr_image {
	__u32 magic;
	__u32 version;
	__u32 hdr_size;
	__u16 e_machine;
	__u16 page_shift;
	__u32 flags;
	__u32 nr_processes;
	__u32 nr_threads;
	__u32 __pad0;
	__u64 time_ns;
	char kernel_release[65];
	__u8 __pad1[7];
};

/**
 * struct cr_hdr_mm - NT_CR_MM: the address space layout of a process
 *
 * The fields of struct mm_struct with the same names, as
 * PR_SET_MM_MAP sets them, plus where the vdso was mapped.
 */
struct cr_hdr_mm {
	__u64 start_code;
	__u64 end_code;
	__u64 start_data;
	__u64 end_data;
	__u64 start_brk;
	__u64 brk;
	__u64 start_stack;
	__u64 arg_start;
	__u64 arg_end;
	__u64 env_start;
	__u64 env_end;
	__u64 vdso;
	__u32 nr_vmas;		/* PT_LOAD segments of the process */
	__s32 exe_file;		/* NT_FILE entry of the executable, or -1 */
};

/* struct cr_vma.kind */
#define CR_VMA_ANON		0	/* anonymous (private or shared) */
#define CR_VMA_FILE		1	/* a file: NT_FILE entry cr_vma.file */
#define CR_VMA_VDSO		2	/* the vdso text: mapped by the kernel */
#define CR_VMA_VVAR		3	/* the vdso data: mapped by the kernel */
#define CR_VMA_SYSV		4	/* a SysV shared memory segment (shmat) */
#define CR_VMA_AIO		5	/* an AIO context's ring (io_setup): NT_CR_AIO */

/* struct cr_vma.flags */
#define CR_VMA_SHARED		0x01	/* MAP_SHARED */
#define CR_VMA_GROWSDOWN	0x02	/* a stack (MAP_GROWSDOWN) */
#define CR_VMA_MAYWRITE		0x04	/* a shared file mapping opened for write */
/* madvise(2) state */
#define CR_VMA_DONTFORK		0x08	/* MADV_DONTFORK */
#define CR_VMA_WIPEONFORK	0x10	/* MADV_WIPEONFORK: private anonymous only */
#define CR_VMA_DONTDUMP		0x20	/* MADV_DONTDUMP (its pages are stored) */
#define CR_VMA_HUGEPAGE		0x40	/* MADV_HUGEPAGE */
#define CR_VMA_NOHUGEPAGE	0x80	/* MADV_NOHUGEPAGE */
#define CR_VMA_MERGEABLE	0x100	/* MADV_MERGEABLE (KSM) */
#define CR_VMA_SEQ_READ		0x200	/* MADV_SEQUENTIAL */
#define CR_VMA_RAND_READ	0x400	/* MADV_RANDOM */
/* mlock(2) state */
#define CR_VMA_LOCKED		0x800	/* mlock(), mlockall(MCL_CURRENT) */
#define CR_VMA_LOCKONFAULT	0x1000	/* ...as pages fault in: MLOCK_ONFAULT */
#define CR_VMA_FLAGS		0x1fff

/* struct cr_vma.prot: PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4 */
#define CR_VMA_PROT		0x07

/**
 * struct cr_vma - NT_CR_VMAS: one entry per PT_LOAD segment, in order
 * @start:	first address, equal to the segment's p_vaddr
 * @end:	end address, p_vaddr + p_memsz
 * @pgoff:	for CR_VMA_FILE, offset in the file in pages
 * @flags:	CR_VMA_* flags
 * @prot:	PROT_* protections
 * @kind:	CR_VMA_ANON, CR_VMA_FILE, CR_VMA_VDSO, CR_VMA_VVAR,
 *		CR_VMA_SYSV or CR_VMA_AIO (shared, no page stored)
 * @file:	for CR_VMA_FILE, index of the file in the NT_FILE note
 * @shm:	for shared anonymous memory (CR_VMA_ANON, CR_VMA_SHARED), the
 *		object mapped, tree-wide: mappings of one image with the same
 *		@shm share their pages; at most one of them stores the
 *		pages; 0 for none
 * @__pad:	zero
 *
 * Which pages of a segment are stored in the image is said by NT_CR_PAGES;
 * a page not stored is zero in an anonymous mapping and the file's page in
 * a file mapping (which is how clean file pages are referenced, not copied).
 */
struct cr_vma {
	__u64 start;
	__u64 end;
	__u64 pgoff;
	__u32 flags;
	__u32 prot;
	__u32 kind;
	__s32 file;
	__u32 shm;
	__u32 __pad;
};

/**
 * struct cr_page_run - NT_CR_PAGES: a run of pages stored in the image
 * @start:	address of the first page
 * @nr_pages:	number of pages
 *
 * Runs are sorted, do not overlap and each lies inside one PT_LOAD segment
 * with its data at p_offset + (start - p_vaddr) in the file.
 */
struct cr_page_run {
	__u64 start;
	__u64 nr_pages;
};

/*
 * NT_CR_PARENT_PAGES, in a descendant's image only: runs of pages of its
 * private anonymous memory that were, at the checkpoint, the very pages of
 * its parent at the same addresses (shared copy-on-write since fork, never
 * written since): their data is the parent's, which its image stores (or
 * refers to its own parent for). Same layout and rules as NT_CR_PAGES; the
 * two never overlap.
 */

/* Most CPUs struct cr_sched.cpus holds */
#define CR_SCHED_MAX_CPUS	1024

/* struct cr_sched.flags */
#define CR_SCHED_RESET_ON_FORK	0x1	/* SCHED_RESET_ON_FORK */
#define CR_SCHED_FLAGS		0x1

/**
 * struct cr_sched - how a thread is scheduled, in struct cr_hdr_thread
 * @policy:		SCHED_NORMAL (0), SCHED_FIFO (1), SCHED_RR (2),
 *			SCHED_BATCH (3), SCHED_IDLE (5) or SCHED_DEADLINE (6)
 * @flags:		CR_SCHED_*
 * @nice:		its nice value, -20 to 19 (kept under every policy)
 * @priority:		for SCHED_FIFO and SCHED_RR, 1 to 99; else 0
 * @runtime:		for SCHED_DEADLINE, its runtime, deadline and period in
 * @deadline:		nanoseconds, as sched_setattr(2) takes them; for
 * @period:		SCHED_NORMAL and SCHED_BATCH, @runtime is the time
 *			slice the thread asked for (0: the default); else 0
 * @timer_slack_ns:	its timer slack (prctl PR_SET_TIMERSLACK)...
 * @default_slack_ns:	...and the value PR_SET_TIMERSLACK 0 goes back to
 * @nr_cpus:		0 when it may run on every CPU (@cpus is zero), else
 *			the bits of @cpus that count: CPUs 0 to @nr_cpus - 1
 * @ioprio:		its I/O priority when one was set (ioprio_set(2),
 *			ionice): class << 13 | hint << 3 | level; 0 for none
 *			(it follows the nice value)
 * @cpus:		the CPUs it may run on (sched_setaffinity(2)), CPU n
 *			at bit n % 64 of @cpus[n / 64]
 */
struct cr_sched {
	__u32 policy;
	__u32 flags;
	__s32 nice;
	__u32 priority;
	__u64 runtime;
	__u64 deadline;
	__u64 period;
	__u64 timer_slack_ns;
	__u64 default_slack_ns;
	__u32 nr_cpus;
	__u32 ioprio;
	__u64 cpus[CR_SCHED_MAX_CPUS / 64];
};

/**
 * struct cr_hdr_thread - NT_CR_THREAD: per-thread state the standard notes lack
 *
 * Follows the thread's NT_PRSTATUS and its register set notes; one per
 * thread: a multi-threaded image repeats the group NT_PRSTATUS ..
 * NT_CR_THREAD, NT_CR_SIGPENDING per thread, the thread group leader
 * first, as core files do.
 * @blocked:		blocked signal mask (bit n-1 for signal n)
 * @sas_ss_sp:		sigaltstack base
 * @sas_ss_size:	sigaltstack size
 * @sas_ss_flags:	sigaltstack flags (SS_DISABLE, SS_AUTODISARM)
 * @restart:		CR_RESTART_*: what restart_syscall() resumes
 * @restart_clockid:	for CR_RESTART_NANOSLEEP, the clock
 * @tid:		thread id, in the checkpointed process's pid namespace
 * @restart_remaining_ns: for CR_RESTART_NANOSLEEP, time left to sleep
 * @restart_rmtp:	for CR_RESTART_NANOSLEEP, where the remaining time goes
 * @clear_child_tid:	set_tid_address(2) of the thread (0: none)
 * @robust_list:	set_robust_list(2) head (0: none)...
 * @robust_list_len:	...and its length
 * @rseq:		rseq(2) area registered by the thread (0: none)...
 * @rseq_len:		...its length...
 * @rseq_sig:		...and signature
 * @flags:		CR_THREAD_* flags
 * @spec:		CR_SPEC_*: its speculation controls
 *			(prctl(PR_SET_SPECULATION_CTRL))
 * @comm:		the thread's name (prctl PR_SET_NAME), NUL-terminated
 * @sched:		its scheduling policy, priority and CPU affinity
 */
struct cr_hdr_thread {
	__u64 blocked;
	__u64 sas_ss_sp;
	__u64 sas_ss_size;
	__u32 sas_ss_flags;
	__u32 restart;
	__s32 restart_clockid;
	__u32 tid;
	__s64 restart_remaining_ns;
	__u64 restart_rmtp;
	__u64 clear_child_tid;
	__u64 robust_list;
	__u64 robust_list_len;
	__u64 rseq;
	__u32 rseq_len;
	__u32 rseq_sig;
	__u32 flags;
	__u32 spec;
	char comm[16];
	struct cr_sched sched;
};

/* struct cr_hdr_thread.flags */
#define CR_THREAD_LEADER	0x1	/* the thread group leader (tid == pid) */
#define CR_THREAD_NO_NEW_PRIVS	0x2	/* prctl(PR_SET_NO_NEW_PRIVS) */
#define CR_THREAD_NOTSC		0x4	/* prctl(PR_SET_TSC, PR_TSC_SIGSEGV) */
#define CR_THREAD_MCE_KILL	0x8	/* prctl(PR_MCE_KILL, PR_MCE_KILL_SET)... */
#define CR_THREAD_MCE_EARLY	0x10	/* ...with PR_MCE_KILL_EARLY */
#define CR_THREAD_IO_FLUSHER	0x20	/* prctl(PR_SET_IO_FLUSHER, 1) */
#define CR_THREAD_FLAGS		0x3f

/* struct cr_hdr_thread.spec: PR_SET_SPECULATION_CTRL, by control */
#define CR_SPEC_SSB_DISABLE	0x1	/* PR_SPEC_STORE_BYPASS: PR_SPEC_DISABLE */
#define CR_SPEC_SSB_FORCE	0x2	/* ...PR_SPEC_FORCE_DISABLE */
#define CR_SPEC_SSB_NOEXEC	0x4	/* ...PR_SPEC_DISABLE_NOEXEC */
#define CR_SPEC_IB_DISABLE	0x8	/* PR_SPEC_INDIRECT_BRANCH: PR_SPEC_DISABLE */
#define CR_SPEC_IB_FORCE	0x10	/* ...PR_SPEC_FORCE_DISABLE */
#define CR_SPEC_L1D_FLUSH	0x20	/* PR_SPEC_L1D_FLUSH: PR_SPEC_ENABLE */
#define CR_SPEC_FLAGS		0x3f

/**
 * struct cr_dispatch - NT_CR_THREAD_DISPATCH: a thread's syscall user
 *	dispatch (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON))
 * @selector:	the address of its selector byte (0: none)
 * @offset:	the start of the range its system calls are never
 *		dispatched from...
 * @len:	...and its length
 *
 * Among the notes of a thread (after its NT_PRSTATUS), only for a thread
 * that has it on. The restore turns it on again, as the prctl() does.
 */
struct cr_dispatch {
	__u64 selector;
	__u64 offset;
	__u64 len;
};

#define CR_RESTART_NONE		0	/* not in restart_syscall() */
#define CR_RESTART_NANOSLEEP	1	/* a relative nanosleep/clock_nanosleep */

/**
 * struct cr_hdr_seccomp - NT_CR_SECCOMP: a thread's seccomp(2) mode and filters
 * @mode:	SECCOMP_MODE_STRICT (1) or SECCOMP_MODE_FILTER (2)
 * @nr_filters:	SECCOMP_MODE_FILTER: the filters that follow, oldest first,
 *		1 to CR_MAX_SECCOMP_FILTERS; SECCOMP_MODE_STRICT: 0
 *
 * Among the notes of a thread (after its NT_PRSTATUS), only for a thread
 * under seccomp. Each filter is a struct cr_seccomp_filter followed by its
 * classic BPF program, @len struct sock_filter of 8 bytes (code, jt, jf,
 * k), as seccomp(SECCOMP_SET_MODE_FILTER) took it.
 */
struct cr_hdr_seccomp {
	__u32 mode;
	__u32 nr_filters;
};

/**
 * struct cr_seccomp_filter - one seccomp filter of a thread
 * @id:		tree-wide, from 1: the threads and processes whose filters
 *		have the same @id share that filter (fork(), TSYNC), and then
 *		the older ones too
 * @flags:	CR_SECCOMP_LOG
 * @len:	instructions that follow, 1 to 4096 (BPF_MAXINSNS)
 * @__pad:	zero
 */
struct cr_seccomp_filter {
	__u32 id;
	__u32 flags;
	__u32 len;
	__u32 __pad;
};

#define CR_SECCOMP_LOG		0x1	/* SECCOMP_FILTER_FLAG_LOG */
#define CR_SECCOMP_FLAGS	0x1
/* The kernel's limit on a path of filters: their lengths, plus 4 each. */
#define CR_MAX_SECCOMP_INSNS	32768
#define CR_MAX_SECCOMP_FILTERS	(CR_MAX_SECCOMP_INSNS / 5)
#define CR_SECCOMP_INSN_SIZE	8	/* struct sock_filter */

/**
 * struct cr_sigaction - NT_CR_SIGHAND: the disposition of one signal
 *
 * The note holds 64 entries, for signals 1 to 64.
 */
struct cr_sigaction {
	__u64 handler;		/* SIG_DFL 0, SIG_IGN 1, or an address */
	__u64 flags;		/* SA_* */
	__u64 restorer;
	__u64 mask;
};

#define CR_NSIG			64

/* Most pending signals an image may queue. */
#define CR_MAX_SIGPENDING	4096

/**
 * struct cr_sigpending - NT_CR_SIGPENDING: one queued signal
 * @shared:	1 for the process-wide queue, 0 for the thread's
 * @__pad:	zero
 * @info:	its siginfo, in the user ABI layout (siginfo_t, 128 bytes)
 *
 * The note, one per thread after NT_CR_THREAD, lists the thread's queue
 * then (in the first thread's note only) the process's, oldest first. A
 * signal pending without queued information has si_code SI_KERNEL.
 */
struct cr_sigpending {
	__u32 shared;
	__u32 __pad;
	__u8 info[128];
};

/* struct cr_fd.kind */
#define CR_FD_INHERIT		0	/* 0-2: the caller's */
#define CR_FD_FILE		1	/* a regular file, reopened by path */
#define CR_FD_DIR		2	/* a directory, reopened by path */
#define CR_FD_DEV		3	/* a character device, reopened by path */
#define CR_FD_UNLINKED		4	/* an unlinked regular file: contents saved */
#define CR_FD_PIPE		5	/* a pipe or FIFO whose every end is in the tree */
#define CR_FD_SOCKET		6	/* a unix socket pair inside the tree */
#define CR_FD_TTY		7	/* an end of a pty pair inside the tree */
#define CR_FD_EXTERNAL		8	/* 3 and up, leads outside: the caller supplies it */
#define CR_FD_EVENTFD		9	/* an eventfd: struct cr_eventfd in the data area */
#define CR_FD_SIGNALFD		10	/* a signalfd: struct cr_signalfd */
#define CR_FD_TIMERFD		11	/* a timerfd: struct cr_timerfd */
#define CR_FD_EPOLL		12	/* an epoll: struct cr_epoll_target[] */
#define CR_FD_MEMFD		13	/* a memfd: struct cr_memfd, its contents */
#define CR_FD_INET		14	/* a TCP or UDP socket: struct cr_inet, its queues */
#define CR_FD_UNIX		15	/* a unix socket by name: struct cr_unix */
#define CR_FD_INOTIFY		16	/* an inotify instance: struct cr_inotify ... */
#define CR_FD_MQUEUE		17	/* a POSIX message queue: struct cr_mqueue ... */
#define CR_FD_NETLINK		18	/* a netlink route socket: struct cr_netlink ... */
#define CR_FD_PIDFD		19	/* a pidfd of a process of the tree: struct cr_pidfd */
#define CR_FD_PACKET		20	/* a packet socket: struct cr_packet ... */
#define CR_FD_FANOTIFY		21	/* a fanotify group: struct cr_fanotify ... */

/* struct cr_fd.fd_flags */
#define CR_FD_CLOEXEC		0x1
#define CR_FD_IN_FLIGHT		0x2	/* no descriptor: a file in flight (SCM_RIGHTS) */
#define CR_FD_FLAGS		0x3

/* Largest unlinked file whose contents an image holds. */
#define CR_MAX_UNLINKED		(16 << 20)

/**
 * struct cr_fd - one open file descriptor, in struct cr_hdr_files
 * @fd:		descriptor number
 * @kind:	CR_FD_*
 * @flags:	the open file's status and access flags (O_ACCMODE,
 *		O_APPEND, O_NONBLOCK, ...), as fcntl(F_GETFL) reads them
 * @fd_flags:	CR_FD_CLOEXEC
 * @pos:	file offset
 * @path_off:	path, at this offset of the note's data area...
 * @path_len:	...this long, with its terminating NUL (0: none)
 * @data_off:	for CR_FD_UNLINKED, the contents, at this offset of the
 *		data area...
 * @data_len:	...this long (the file's size); for CR_FD_EVENTFD,
 *		CR_FD_SIGNALFD, CR_FD_TIMERFD, CR_FD_EPOLL, CR_FD_INOTIFY, CR_FD_MEMFD,
 *		CR_FD_INET, CR_FD_UNIX, CR_FD_MQUEUE, CR_FD_NETLINK and CR_FD_PIDFD,
 *		the state of the file (struct
 *		cr_eventfd and so on, then a memfd's contents, a TCP
 *		connection's queues or a UDP socket's datagrams), 8-byte aligned
 * @mode:	the file's inode mode, for information; for CR_FD_EXTERNAL,
 *		its type (S_IFIFO, S_IFSOCK or S_IFCHR)
 * @file_id:	the open file description, tree-wide: descriptors of the
 *		image with the same @file_id share one (offset, flags), as
 *		after dup() or fork(); 1 and up
 *
 * An entry with CR_FD_IN_FLIGHT is no descriptor: it is an open file
 * passed with SCM_RIGHTS and not received yet, which a message queued on
 * a unix socket of the tree carries (struct cr_unix_msg). The root's note
 * has one for each such file, held by descriptors too or not, before its
 * descriptors: @fd is negative (-1 for the last one), nothing is
 * installed, and the file is opened before the sockets' messages are
 * queued again. It is of no kind that leads outside the tree
 * (CR_FD_INHERIT, CR_FD_EXTERNAL) or that names descriptors, a
 * process's registration or a process (CR_FD_EPOLL, CR_FD_MQUEUE,
 * CR_FD_PIDFD).
 */
struct cr_fd {
	__s32 fd;
	__u32 kind;
	__u32 flags;
	__u32 fd_flags;
	__u64 pos;
	__u32 path_off;
	__u32 path_len;
	__u64 data_off;
	__u64 data_len;
	__u32 mode;
	__u32 file_id;
};

/* The seals a memfd may have (F_SEAL_SEAL to F_SEAL_EXEC). */
#define CR_MEMFD_SEALS		0x3f

/**
 * struct cr_memfd - the state of a memfd (CR_FD_MEMFD), in the data area
 * @size:	its size
 * @data_len:	bytes of contents following the structure: the file from
 *		its start to the end of its last page holding data (the
 *		rest are holes), at most CR_MAX_UNLINKED
 * @seals:	its seals (fcntl F_GET_SEALS)
 * @shm:	its object, tree-wide: every descriptor of a memfd with this
 *		@shm, and every shared mapping (struct cr_vma.shm) of it,
 *		is one file again after the restore; 1 and up
 *
 * The descriptor's path is the memfd's name, "memfd:" and what
 * memfd_create(2) was given (not a path: no "/", no " (deleted)"). Its
 * mode's permission bits are the file's (no execute bits after
 * MFD_NOEXEC_SEAL).
 */
struct cr_memfd {
	__u64 size;
	__u64 data_len;
	__u32 seals;
	__u32 shm;
};

/* struct cr_mqueue.flags */
#define CR_MQUEUE_UNLINKED	0x1	/* removed (mq_unlink()) while open */
#define CR_MQUEUE_FLAGS		0x1

/* struct cr_mqueue.notify: mq_notify()'s registration, by the process */
#define CR_MQUEUE_NOTIFY_NONE	0	/* none */
#define CR_MQUEUE_NOTIFY_SIGNAL	1	/* SIGEV_SIGNAL */
#define CR_MQUEUE_NOTIFY_QUIET	2	/* SIGEV_NONE */

/* Priorities are below this (MQ_PRIO_MAX). */
#define CR_MQUEUE_PRIO_MAX	32768

/* Most messages and largest message an image holds for a queue (HARD_MSG*MAX). */
#define CR_MQUEUE_MAXMSG	65536
#define CR_MQUEUE_MSGSIZE	(16 << 20)

/**
 * struct cr_mqueue - the state of a POSIX message queue (CR_FD_MQUEUE)
 * @flags:	CR_MQUEUE_*
 * @mode:	its permission bits
 * @uid:	its owner, in the checkpointer's user namespace...
 * @gid:	...and group
 * @maxmsg:	its mq_maxmsg, 1 to CR_MQUEUE_MAXMSG
 * @msgsize:	its mq_msgsize, 1 to CR_MQUEUE_MSGSIZE
 * @nr_msgs:	the messages following, at most @maxmsg, each a struct
 *		cr_mq_msg and its text, padded to 8 bytes, in the order
 *		mq_receive() takes them (priority first, then oldest)
 * @notify:	CR_MQUEUE_NOTIFY_*: registered by the process of the image
 * @signo:	for CR_MQUEUE_NOTIFY_SIGNAL, the signal (0 to 64: 0 sends none)...
 * @value:	...and its value (sigev_value)
 *
 * The descriptor's path is the queue's name, "/" and mq_open(3)'s name
 * without its slash, even when unlinked. Its access mode and O_NONBLOCK
 * are the descriptor's (struct cr_fd.flags).
 */
struct cr_mqueue {
	__u32 flags;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__s64 maxmsg;
	__s64 msgsize;
	__u32 nr_msgs;
	__u32 notify;
	__u32 signo;
	__u32 __pad;
	__u64 value;
};

/**
 * struct cr_mq_msg - one message of a queue, then its @len bytes of text
 * @prio:	its priority, below CR_MQUEUE_PRIO_MAX
 * @len:	its length, at most the queue's msgsize
 */
struct cr_mq_msg {
	__u32 prio;
	__u32 len;
};

/* struct cr_eventfd.flags: EFD_SEMAPHORE */
#define CR_EVENTFD_SEMAPHORE	0x1

/**
 * struct cr_eventfd - the state of an eventfd (CR_FD_EVENTFD)
 * @count:	its counter, at most 0xfffffffffffffffe
 * @flags:	CR_EVENTFD_SEMAPHORE
 * @__pad:	zero
 *
 * Its O_NONBLOCK is the descriptor's (struct cr_fd.flags), as for every
 * kind here.
 */
struct cr_eventfd {
	__u64 count;
	__u32 flags;
	__u32 __pad;
};

/* struct cr_pidfd.flags */
#define CR_PIDFD_THREAD		0x1	/* PIDFD_THREAD */
#define CR_PIDFD_REAPED		0x2	/* of a process reaped since: @pid 0 */
#define CR_PIDFD_OWN_THREAD	0x4	/* with CR_PIDFD_THREAD: @pid is a thread's tid */
#define CR_PIDFD_FLAGS		0x7

/**
 * struct cr_pidfd - a pidfd (CR_FD_PIDFD), in the data area
 * @pid:	the process it refers to: its pid in NT_CR_TREE, or 0 for
 *		the process whose image holds the descriptor table; 0 with
 *		CR_PIDFD_REAPED
 * @flags:	CR_PIDFD_THREAD (the process's main thread, as a thread),
 *		CR_PIDFD_REAPED (a process, or with CR_PIDFD_THREAD a thread,
 *		that exited and was reaped: no process of the restore is it),
 *		CR_PIDFD_OWN_THREAD (with CR_PIDFD_THREAD: a thread other than
 *		the main one of the process whose image holds the descriptor;
 *		@pid is its tid in the image's thread notes)
 *
 * Its O_NONBLOCK (PIDFD_NONBLOCK) is the descriptor's. The pidfd is made
 * once every process of the tree exists, before any runs. A reaped one
 * refers to an id of no task, as the original did: always ready for
 * reading, ESRCH to pidfd_send_signal(), ECHILD to waitid(P_PIDFD), its
 * Pid: -1 in /proc/PID/fdinfo.
 */
struct cr_pidfd {
	__s32 pid;
	__u32 flags;
};

/**
 * struct cr_signalfd - the state of a signalfd (CR_FD_SIGNALFD)
 * @mask:	the signals it reads, bit n - 1 for signal n; never SIGKILL
 *		nor SIGSTOP
 */
struct cr_signalfd {
	__u64 mask;
};

/**
 * struct cr_inotify - the state of an inotify instance (CR_FD_INOTIFY)
 * @nr_watches:	its watches, up to CR_MAX_INOTIFY_WATCHES; each follows as
 *		a struct cr_inotify_watch, then its path (@path_len bytes,
 *		the NUL included), padded to 8 bytes
 * @next_wd:	where the search for the descriptor of a new watch starts
 *		(watch descriptors are not reused at once)
 * @nr_events:	the events waiting to be read, up to CR_MAX_INOTIFY_EVENTS;
 *		after the watches, oldest first, each a struct
 *		cr_inotify_event, then its name (@name_len bytes), padded to
 *		8 bytes
 * @__pad:	zero
 */
struct cr_inotify {
	__u32 nr_watches;
	__s32 next_wd;
	__u32 nr_events;
	__u32 __pad;
};

/**
 * struct cr_inotify_event - an event of an inotify instance, not read yet
 * @wd:		its watch descriptor, as read(2) gives it; -1 for the
 *		overflow event (IN_Q_OVERFLOW)
 * @mask:	its mask, as read(2) gives it (CR_INOTIFY_EVENT_MASK)
 * @cookie:	its cookie (IN_MOVED_FROM and IN_MOVED_TO of one rename)
 * @name_len:	the length of its name, the NUL included, at most 256; 0
 *		for none
 */
struct cr_inotify_event {
	__s32 wd;
	__u32 mask;
	__u32 cookie;
	__u32 name_len;
};

/* IN_ALL_EVENTS, IN_UNMOUNT, IN_Q_OVERFLOW, IN_IGNORED, IN_ISDIR */
#define CR_INOTIFY_EVENT_MASK	0x4000efffU
#define CR_MAX_INOTIFY_EVENTS	65536

/**
 * struct cr_inotify_watch - one watch of an inotify instance
 * @wd:		its watch descriptor, 1 or more, once per instance
 * @mask:	its events, with IN_EXCL_UNLINK and IN_ONESHOT
 *		(CR_INOTIFY_MASK), as inotify_add_watch(2) took them
 * @path_len:	the length of its path, the NUL included: an absolute path
 *		from the process's root to what it watches
 * @__pad:	zero
 */
struct cr_inotify_watch {
	__s32 wd;
	__u32 mask;
	__u32 path_len;
	__u32 __pad;
};

/* IN_ALL_EVENTS, IN_EXCL_UNLINK, IN_ONESHOT */
#define CR_INOTIFY_MASK		0x84000fffU
#define CR_MAX_INOTIFY_WATCHES	65536

/**
 * struct cr_fanotify - the state of a fanotify group (CR_FD_FANOTIFY)
 * @flags:	its fanotify_init(2) flags, as its fdinfo shows them
 *		(CR_FANOTIFY_INIT_FLAGS)
 * @event_f_flags: the flags of the files its events open, fanotify_init(2)'s
 *		second argument as its fdinfo shows it (CR_FANOTIFY_EVENT_F_FLAGS)
 * @nr_marks:	its marks, up to CR_MAX_FANOTIFY_MARKS; each follows as a
 *		struct cr_fanotify_mark, then its path, padded to 8 bytes
 * @nr_events:	the events waiting to be read, up to CR_MAX_FANOTIFY_EVENTS;
 *		after the marks, oldest first, each a struct cr_fanotify_event,
 *		then its path, padded to 8 bytes
 * @group_flags: CR_FANOTIFY_UNPRIV
 * @__pad:	zero
 */
struct cr_fanotify {
	__u32 flags;
	__u32 event_f_flags;
	__u32 nr_marks;
	__u32 nr_events;
	__u32 group_flags;
	__u32 __pad;
};

/* FAN_CLOEXEC ... FAN_REPORT_FD_ERROR, FAN_ENABLE_AUDIT */
#define CR_FANOTIFY_INIT_FLAGS	0x3fffU
/* FAN_REPORT_DFID_NAME_TARGET: groups whose events report file handles */
#define CR_FANOTIFY_FID_FLAGS	0x1e00U
/* O_ACCMODE, O_APPEND, O_NONBLOCK, O_DSYNC, O_LARGEFILE, O_NOATIME, O_CLOEXEC, __O_SYNC */
#define CR_FANOTIFY_EVENT_F_FLAGS 07116003U
/* struct cr_fanotify.group_flags */
#define CR_FANOTIFY_UNPRIV	0x1	/* made without CAP_SYS_ADMIN */
#define CR_MAX_FANOTIFY_MARKS	65536
#define CR_MAX_FANOTIFY_EVENTS	65536

/**
 * struct cr_fanotify_mark - one mark of a fanotify group
 * @type:	what it is on: FAN_MARK_INODE (0), FAN_MARK_MOUNT (0x10) or
 *		FAN_MARK_FILESYSTEM (0x100)
 * @flags:	FAN_MARK_IGNORED_SURV_MODIFY, FAN_MARK_EVICTABLE, FAN_MARK_IGNORE
 *		(CR_FANOTIFY_MARK_FLAGS), as its fdinfo shows them
 * @mask:	its events and event flags (CR_FANOTIFY_MARK_MASK)
 * @ignore_mask: the events it ignores (CR_FANOTIFY_MARK_MASK); @mask or
 *		@ignore_mask is not 0
 * @path_len:	the length of its path, the NUL included: an absolute path
 *		from the process's root to the file it is on, to the root of
 *		the mount, or to a directory of the filesystem
 * @__pad:	zero
 */
struct cr_fanotify_mark {
	__u32 type;
	__u32 flags;
	__u32 mask;
	__u32 ignore_mask;
	__u32 path_len;
	__u32 __pad;
};

#define CR_FANOTIFY_MARK_INODE	0x0
#define CR_FANOTIFY_MARK_MOUNT	0x10
#define CR_FANOTIFY_MARK_FILESYSTEM 0x100
#define CR_FANOTIFY_MARK_FLAGS	0x640U
/* FAN_ACCESS ... FAN_OPEN_EXEC, FAN_FS_ERROR, the _PERM events, FAN_RENAME, FAN_EVENT_ON_CHILD, FAN_ONDIR */
#define CR_FANOTIFY_MARK_MASK	0x58079fffU

/**
 * struct cr_fanotify_event - an event of a fanotify group, not read yet
 * @mask:	its events and FAN_ONDIR, as read(2) gives them
 *		(CR_FANOTIFY_EVENT_MASK); FAN_Q_OVERFLOW (0x4000) alone for the
 *		overflow event, which has no path
 * @pid:	with CR_FANOTIFY_EVENT_TREE, the process of the tree that
 *		caused it, as NT_CR_TREE numbers it (or the process's own
 *		number, for a lone process); else 0: a process outside
 * @flags:	CR_FANOTIFY_EVENT_TREE
 * @path_len:	the length of its path, the NUL included: an absolute path
 *		from the process's root to the file it reports; 0 for the
 *		overflow event
 */
struct cr_fanotify_event {
	__u32 mask;
	__s32 pid;
	__u32 flags;
	__u32 path_len;
};

/* FAN_ACCESS, FAN_MODIFY, FAN_CLOSE, FAN_OPEN, FAN_OPEN_EXEC, FAN_ONDIR */
#define CR_FANOTIFY_EVENT_MASK	0x4000103bU
#define CR_FANOTIFY_Q_OVERFLOW	0x4000U
#define CR_FANOTIFY_ONDIR	0x40000000U
/* struct cr_fanotify_event.flags */
#define CR_FANOTIFY_EVENT_TREE	0x1

/* struct cr_timerfd.flags: timerfd_settime(2)'s, as last set */
#define CR_TIMERFD_ABSTIME	0x1	/* TFD_TIMER_ABSTIME */
#define CR_TIMERFD_CANCEL_ON_SET 0x2	/* TFD_TIMER_CANCEL_ON_SET */
#define CR_TIMERFD_FLAGS	0x3

/**
 * struct cr_timerfd - the state of a timerfd (CR_FD_TIMERFD)
 * @clockid:	CLOCK_REALTIME (0), CLOCK_MONOTONIC (1), CLOCK_BOOTTIME (7),
 *		CLOCK_REALTIME_ALARM (8) or CLOCK_BOOTTIME_ALARM (9)
 * @flags:	CR_TIMERFD_*
 * @value_ns:	the time left before it expires; 0 when disarmed
 * @interval_ns: its period; 0 for once
 * @expires_ns:	for CR_TIMERFD_ABSTIME on CLOCK_REALTIME(_ALARM), when it
 *		expires on that clock: the restore arms it at that wall-clock
 *		time. Else 0: the restore arms it with @value_ns, counted from
 *		the restore
 * @ticks:	expirations not read yet
 */
struct cr_timerfd {
	__s32 clockid;
	__u32 flags;
	__s64 value_ns;
	__s64 interval_ns;
	__s64 expires_ns;
	__u64 ticks;
};

/* struct cr_inet.state */
#define CR_INET_CLOSED		0	/* not connected, maybe bound */
#define CR_INET_LISTEN		1	/* TCP: listening */
#define CR_INET_CONNECTED	2	/* TCP: established; UDP: connected */
#define CR_INET_CONNECTING	3	/* TCP: its SYN sent (SYN_SENT) */

/* struct cr_inet.flags: how the socket was bound, and its options */
#define CR_INET_BOUND		0x1	/* has a local port (bind(2), listen, connect) */
#define CR_INET_REUSEADDR	0x2	/* SO_REUSEADDR */
#define CR_INET_REUSEPORT	0x4	/* SO_REUSEPORT */
#define CR_INET_KEEPALIVE	0x8	/* SO_KEEPALIVE */
#define CR_INET_BROADCAST	0x10	/* SO_BROADCAST */
#define CR_INET_OOBINLINE	0x20	/* SO_OOBINLINE */
#define CR_INET_LINGER		0x40	/* SO_LINGER on, for @linger seconds */
#define CR_INET_RCVBUF		0x80	/* SO_RCVBUF set: @rcvbuf */
#define CR_INET_SNDBUF		0x100	/* SO_SNDBUF set: @sndbuf */
#define CR_INET_V6ONLY		0x200	/* IPV6_V6ONLY */
#define CR_INET_NODELAY		0x400	/* TCP_NODELAY */
#define CR_INET_FREEBIND	0x800	/* IP_FREEBIND */
#define CR_INET_CORK		0x1000	/* TCP_CORK */
#define CR_INET_RECVERR		0x2000	/* IP_RECVERR (AF_INET) */
#define CR_INET_PKTINFO		0x4000	/* IP_PKTINFO */
#define CR_INET_RECVTTL		0x8000	/* IP_RECVTTL */
#define CR_INET_RECVTOS		0x10000	/* IP_RECVTOS */
#define CR_INET_ORIGDSTADDR	0x20000	/* IP_RECVORIGDSTADDR */
#define CR_INET_MC_TTL		0x40000	/* UDP: IP_MULTICAST_TTL or IPV6_MULTICAST_HOPS
					 * set: @udp.mc_ttl
					 */
#define CR_INET_MC_NOLOOP	0x80000	/* UDP: IP_MULTICAST_LOOP (IPV6_) off */
#define CR_INET_MC_IF		0x100000 /* UDP: IP_MULTICAST_IF (IPV6_): @udp.mc_ifindex,
					  * @udp.mc_addr
					  */
#define CR_INET6_RECVPKTINFO	0x200000 /* AF_INET6: IPV6_RECVPKTINFO */
#define CR_INET6_RECVHOPLIMIT	0x400000 /* AF_INET6: IPV6_RECVHOPLIMIT */
#define CR_INET6_RECVTCLASS	0x800000 /* AF_INET6: IPV6_RECVTCLASS */
#define CR_INET6_RECVORIGDSTADDR 0x1000000 /* AF_INET6: IPV6_RECVORIGDSTADDR */
#define CR_INET6_RECVERR	0x2000000 /* AF_INET6: IPV6_RECVERR */
#define CR_INET_SHUT_RD		0x4000000 /* UDP: shut down for reading (shutdown(2)) */
#define CR_INET_SHUT_WR		0x8000000 /* UDP: shut down for writing */
#define CR_UDP_SEND_CSCOV	0x10000000 /* UDP-Lite: UDPLITE_SEND_CSCOV set:
					    * @udp.send_cscov
					    */
#define CR_UDP_RECV_CSCOV	0x20000000 /* UDP-Lite: UDPLITE_RECV_CSCOV set:
					    * @udp.recv_cscov
					    */
#define CR_INET_FLAGS		0x3fffffff

/* struct cr_tcp.options: what the connection negotiated, and its peer's FIN */
#define CR_TCP_SACK		0x1	/* selective acknowledgments */
#define CR_TCP_TIMESTAMPS	0x2	/* timestamps */
#define CR_TCP_WSCALE		0x4	/* window scaling: @snd_wscale, @rcv_wscale */
#define CR_TCP_FIN_IN		0x8	/* the peer's FIN came in: CLOSE_WAIT... */
#define CR_TCP_FIN_READ		0x10	/* ...and the program read it (end of file) */
#define CR_TCP_FIN_OUT		0x20	/* ours went and was acknowledged: FIN_WAIT2 */
#define CR_TCP_FIN_QUEUED	0x40	/* ours follows the send queue, not acknowledged:
					 * FIN_WAIT1; LAST_ACK with CR_TCP_FIN_IN...
					 */
#define CR_TCP_CLOSING		0x80	/* ...CLOSING with this too: ours went first */
#define CR_TCP_OPTIONS		0xff

/**
 * struct cr_tcp - an established TCP connection, in struct cr_inet
 * @snd_seq:	sequence number of the first byte of the send queue: the
 *		oldest byte sent and not acknowledged (SND.UNA; one less with
 *		CR_TCP_FIN_OUT, whose FIN SND.UNA passed); for a socket in
 *		CR_INET_CONNECTING, the sequence number of its SYN (its ISS),
 *		the only field that is not zero then
 * @rcv_seq:	sequence number of the first byte of the receive queue: the
 *		next byte the program reads
 * @send_len:	bytes in the send queue, from @snd_seq: sent and not
 *		acknowledged, then @unsent_len not sent yet (with
 *		CR_TCP_FIN_QUEUED, the FIN follows them: not counted)
 * @unsent_len:	of those, bytes not sent yet
 * @recv_len:	bytes received and acknowledged, not read yet (RCV.NXT is
 *		@rcv_seq + @recv_len, one more with CR_TCP_FIN_IN: the FIN)
 * @mss:	the largest segment the peer accepts (its MSS option, clamped)
 * @options:	CR_TCP_*
 * @snd_wscale:	with CR_TCP_WSCALE, the peer's window scale
 * @rcv_wscale:	with CR_TCP_WSCALE, ours
 * @timestamp:	with CR_TCP_TIMESTAMPS, the timestamp clock the peer sees
 *		(TCP_TIMESTAMP; its lowest bit set for microsecond
 *		timestamps): it goes on from there
 * @snd_wl1:	the send window as TCP_REPAIR_WINDOW reads it: SND.WL1,
 * @snd_wnd:	SND.WND,
 * @max_window:	the largest window the peer offered,
 * @rcv_wnd:	the window offered to the peer,
 * @rcv_wup:	RCV.NXT when it was offered
 * @__pad:	zero
 */
struct cr_tcp {
	__u32 snd_seq;
	__u32 rcv_seq;
	__u32 send_len;
	__u32 unsent_len;
	__u32 recv_len;
	__u32 mss;
	__u16 options;
	__u8 snd_wscale;
	__u8 rcv_wscale;
	__u32 timestamp;
	__u32 snd_wl1;
	__u32 snd_wnd;
	__u32 max_window;
	__u32 rcv_wnd;
	__u32 rcv_wup;
	__u32 __pad;
};

/* Most connections not accepted yet of a TCP listener in an image. */
#define CR_MAX_TCP_PENDING	65536

/**
 * struct cr_tcp_listen - a TCP listener's connections not accepted yet,
 *	in struct cr_inet
 * @nr_pending:	connections in its accept queue, oldest first: the data
 *		area holds, after the structure, each as a struct cr_inet
 *		(an established TCP connection, or one in CLOSE_WAIT, on the
 *		listener's port) followed by its queues, padded to 8 bytes...
 * @pending_len: ...in all this long
 * @__pad:	zero
 */
struct cr_tcp_listen {
	__u32 nr_pending;
	__u32 pending_len;
	__u32 __pad[12];
};

/* Most datagrams queued on a UDP socket in an image. */
#define CR_MAX_UDP_DGRAMS	65536
/* Most multicast groups a UDP socket of an image is a member of. */
#define CR_MAX_UDP_GROUPS	4096

/* Most sources in the filter of one multicast group of a UDP socket. */
#define CR_MAX_UDP_SOURCES	65536

/* The group has a source filter: a struct cr_udp_sources in the list. */
#define CR_UDP_GROUP_SOURCES	0x1

/**
 * struct cr_udp_group - a multicast group a UDP socket joined, after its
 *	datagrams (IP_ADD_MEMBERSHIP, IPV6_ADD_MEMBERSHIP, MCAST_JOIN_GROUP...)
 * @addr:	the group's address: 4 bytes then zeroes for AF_INET, 16
 *		for AF_INET6, network byte order
 * @ifindex:	the interface it was joined on, not negative
 * @family:	AF_INET (IP_ADD_MEMBERSHIP, on an AF_INET6 socket too) or
 *		AF_INET6
 * @flags:	CR_UDP_GROUP_SOURCES, or 0: any source
 */
struct cr_udp_group {
	__u8 addr[16];
	__s32 ifindex;
	__u16 family;
	__u16 flags;
};

/**
 * struct cr_udp_sources - the source filter of a multicast group, in the
 *	list after a UDP socket's groups, one for each group with
 *	CR_UDP_GROUP_SOURCES, in the groups' order
 * @mode:	MCAST_INCLUDE (only from these sources:
 *		IP_ADD_SOURCE_MEMBERSHIP, MCAST_JOIN_SOURCE_GROUP) or
 *		MCAST_EXCLUDE (from all but these: IP_BLOCK_SOURCE...)
 * @nr:		sources, 1 to CR_MAX_UDP_SOURCES, each 16 bytes after the
 *		structure: an address of the group's family, as
 *		struct cr_udp_group's @addr is
 */
struct cr_udp_sources {
	__u32 mode;
	__u32 nr;
};

/**
 * struct cr_udp - the datagrams queued on a UDP or UDP-Lite socket, in struct cr_inet
 * @nr_dgrams:	datagrams not read yet, oldest first: the data area holds,
 *		after the structure, each as a struct cr_udp_dgram followed
 *		by its bytes, padded to 4 bytes...
 * @data_len:	...in all this long
 * @mc_ttl:	with CR_INET_MC_TTL, IP_MULTICAST_TTL (IPV6_MULTICAST_HOPS
 *		for AF_INET6), 0 to 255; else 0
 * @mc_ifindex:	with CR_INET_MC_IF, the interface multicast datagrams go
 *		out of (IP_MULTICAST_IF, IPV6_MULTICAST_IF), 0 for the route's;
 *		else 0...
 * @mc_addr:	...and for AF_INET, the local address it was given by (as
 *		struct ip_mreqn's imr_address); else 0
 * @nr_groups:	multicast groups it is a member of: after the datagrams'
 *		@data_len bytes, a struct cr_udp_group each
 * @send_cscov: with CR_UDP_SEND_CSCOV, UDPLITE_SEND_CSCOV: the checksum
 *		coverage of what it sends (0, or 8 to 65535); else 0
 * @recv_cscov: with CR_UDP_RECV_CSCOV, UDPLITE_RECV_CSCOV: the least
 *		coverage it takes; else 0
 * @sources_len: the source filters of the groups: after the groups, a
 *		struct cr_udp_sources and its addresses for each group with
 *		CR_UDP_GROUP_SOURCES, this many bytes in all
 * @__pad:	zero
 */
struct cr_udp {
	__u32 nr_dgrams;
	__u32 data_len;
	__u32 mc_ttl;
	__s32 mc_ifindex;
	__u8 mc_addr[4];
	__u32 nr_groups;
	__u16 send_cscov;
	__u16 recv_cscov;
	__u32 sources_len;
	__u32 __pad[6];
};

/**
 * struct cr_udp_dgram - one datagram queued on a UDP socket
 * @addr:	its sender's address, as struct cr_inet.src is (an IPv4
 *		datagram of an AF_INET6 socket: ::ffff:a.b.c.d)...
 * @dst:	...and the address it was sent to (IP_PKTINFO's ipi_addr,
 *		IPV6_PKTINFO's ipi6_addr), the same way
 * @spec_dst:	for IPv4, IP_PKTINFO's ipi_spec_dst, network byte order
 * @ifindex:	the interface it came in on (IP_PKTINFO, IPV6_PKTINFO)
 * @port:	its sender's port, host byte order
 * @ttl:	its TTL or hop limit (IP_RECVTTL, IPV6_RECVHOPLIMIT)
 * @tos:	its TOS or traffic class (IP_RECVTOS, IPV6_RECVTCLASS)
 * @len:	its bytes, which follow (at most 65535)
 */
struct cr_udp_dgram {
	__u8 addr[16];
	__u8 dst[16];
	__u32 spec_dst;
	__s32 ifindex;
	__u16 port;
	__u8 ttl;
	__u8 tos;
	__u32 len;
};

/**
 * struct cr_inet - a TCP, UDP or UDP-Lite socket (CR_FD_INET), in the data area
 * @family:	AF_INET (2) or AF_INET6 (10)
 * @protocol:	IPPROTO_TCP (6, a SOCK_STREAM socket), IPPROTO_UDP (17,
 *		SOCK_DGRAM) or IPPROTO_UDPLITE (136, SOCK_DGRAM: as UDP)
 * @state:	CR_INET_*
 * @__pad:	zero
 * @flags:	CR_INET_*
 * @src:	its local address: 4 bytes for AF_INET, then zeroes; 16
 *		for AF_INET6 (IPv4 on an IPv6 socket: ::ffff:a.b.c.d)
 * @dst:	with CR_INET_CONNECTED or CR_INET_CONNECTING, its peer's address
 * @src_port:	its local port, host byte order; 0 when not bound
 * @dst_port:	with CR_INET_CONNECTED or CR_INET_CONNECTING, its peer's port
 * @backlog:	with CR_INET_LISTEN, its backlog (as listen(2) and
 *		net.core.somaxconn made it)
 * @rcvbuf:	with CR_INET_RCVBUF, the value SO_RCVBUF was given
 * @sndbuf:	with CR_INET_SNDBUF, the value SO_SNDBUF was given
 * @linger:	with CR_INET_LINGER, its time, in seconds
 * @rcvtimeo_us: SO_RCVTIMEO, in microseconds; 0 for none
 * @sndtimeo_us: SO_SNDTIMEO, in microseconds; 0 for none
 * @priority:	SO_PRIORITY (over 6, the restore needs CAP_NET_ADMIN)
 * @__pad3:	zero
 * @tos:	IP_TOS, or IPV6_TCLASS for AF_INET6
 * @ttl:	IP_TTL (1 to 255), or IPV6_UNICAST_HOPS for AF_INET6 (0 to
 *		255); -1 for the default
 * @keepidle:	TCP_KEEPIDLE, seconds; 0 for the default
 * @keepintvl:	TCP_KEEPINTVL, seconds; 0 for the default
 * @keepcnt:	TCP_KEEPCNT; 0 for the default
 * @__pad2:	zero
 * @mark:	SO_MARK (not 0: the restore needs CAP_NET_ADMIN)
 * @rcvlowat:	SO_RCVLOWAT
 * @user_timeout: TCP_USER_TIMEOUT, milliseconds; 0 for none
 * @notsent_lowat: TCP_NOTSENT_LOWAT; 0 for the default
 * @user_mss:	TCP_MAXSEG as set; 0 for none
 * @pmtudisc:	IP_MTU_DISCOVER, or IPV6_MTU_DISCOVER for AF_INET6 (0 to 5)
 * @__pad4:	zero
 * @fastopen:	TCP_FASTOPEN: the queue of a listener; 0 for none
 * @tcp:	for a TCP socket in CR_INET_CONNECTED, the connection; the
 *		data area holds, after the structure, @tcp.recv_len bytes
 *		received then @tcp.send_len bytes to send. In
 *		CR_INET_CONNECTING, its @snd_seq only. Else zero...
 * @listen:	...but for a TCP socket in CR_INET_LISTEN: its connections
 *		not accepted yet...
 * @udp:	...but for a UDP socket: its queued datagrams
 *
 * Its O_NONBLOCK is the descriptor's. A listening socket comes back
 * listening on the same address and port (in use: the restore fails with
 * EADDRINUSE), an established connection with its sequence numbers,
 * windows, options and queues (TCP repair, which needs CAP_NET_ADMIN in
 * the restoring network namespace), a UDP socket bound, connected and
 * shut down as it was; a connection shut down by either end (CLOSE_WAIT, FIN_WAIT1,
 * FIN_WAIT2, CLOSING, LAST_ACK) is established again, then takes the
 * FINs again; one in SYN_SENT sends its SYN again, with its ISS. A
 * listener's connections not accepted yet are made again (TCP repair) in
 * its accept queue. The checkpoint refuses a socket in another TCP state
 * (SYN_RECV, TIME_WAIT: no descriptor holds those), in exit mode a
 * listener with connections being set up (SYN_RECV: retry), and urgent
 * data, rather than lose them; and options it does
 * not save when they are not at their default (a congestion control
 * other than the default, TCP_DEFER_ACCEPT, IP_TRANSPARENT, multicast
 * options, IPv6 receive options, ...).
 */
struct cr_inet {
	__u16 family;
	__u16 protocol;
	__u16 state;
	__u16 __pad;
	__u32 flags;
	__u8 src[16];
	__u8 dst[16];
	__u16 src_port;
	__u16 dst_port;
	__u32 backlog;
	__s32 rcvbuf;
	__s32 sndbuf;
	__u32 linger;
	__u32 priority;
	__u32 __pad3;
	__u64 rcvtimeo_us;
	__u64 sndtimeo_us;
	__s32 tos;
	__s32 ttl;
	__u32 keepidle;
	__u32 keepintvl;
	__u32 keepcnt;
	__u32 __pad2;
	__u32 mark;
	__s32 rcvlowat;
	__u32 user_timeout;
	__u32 notsent_lowat;
	__u16 user_mss;
	__u8 pmtudisc;
	__u8 __pad4;
	__u32 fastopen;
	union {
		struct cr_tcp tcp;
		struct cr_tcp_listen listen;
		struct cr_udp udp;
	};
};

/* struct cr_unix.state */
#define CR_UNIX_CLOSED		0	/* not connected, maybe bound */
#define CR_UNIX_LISTEN		1	/* listening */
#define CR_UNIX_CONNECTED	2	/* a datagram socket connected to @peer */
#define CR_UNIX_PENDING		3	/* connected to a listener of the tree, @peer, not accepted */

/* struct cr_unix.flags and struct cr_socket.opts */
#define CR_UNIX_PASSCRED	0x1	/* SO_PASSCRED */
#define CR_UNIX_RCVBUF		0x2	/* SO_RCVBUF set: @rcvbuf */
#define CR_UNIX_SNDBUF		0x4	/* SO_SNDBUF set: @sndbuf */
#define CR_UNIX_FLAGS		0x7

/* struct cr_netlink.flags */
#define CR_NETLINK_BOUND	0x1	/* it has a port id: @portid */
#define CR_NETLINK_PKTINFO	0x2	/* NETLINK_PKTINFO */
#define CR_NETLINK_BROADCAST_ERROR 0x4	/* NETLINK_BROADCAST_ERROR */
#define CR_NETLINK_NO_ENOBUFS	0x8	/* NETLINK_NO_ENOBUFS */
#define CR_NETLINK_LISTEN_ALL_NSID 0x10	/* NETLINK_LISTEN_ALL_NSID */
#define CR_NETLINK_CAP_ACK	0x20	/* NETLINK_CAP_ACK */
#define CR_NETLINK_EXT_ACK	0x40	/* NETLINK_EXT_ACK */
#define CR_NETLINK_STRICT_CHK	0x80	/* NETLINK_GET_STRICT_CHK */
#define CR_NETLINK_RCVBUF	0x100	/* SO_RCVBUF set: @rcvbuf */
#define CR_NETLINK_SNDBUF	0x200	/* SO_SNDBUF set: @sndbuf */
#define CR_NETLINK_FLAGS	0x3ff
#define CR_NETLINK_GROUPS	128	/* groups @groups holds */

/**
 * struct cr_netlink - a netlink route socket (CR_FD_NETLINK), in the data
 *	area
 * @protocol:	NETLINK_ROUTE (0), the only one saved
 * @type:	SOCK_RAW (3) or SOCK_DGRAM (2)
 * @flags:	CR_NETLINK_*
 * @portid:	with CR_NETLINK_BOUND, its port id (bind(), or the one the
 *		kernel chose: often the process's pid), not 0
 * @dst_portid:	the port id it sends to (connect()), or 0
 * @dst_group:	the group it sends to (connect()), 0 to 32
 * @rcvbuf:	with CR_NETLINK_RCVBUF, the value SO_RCVBUF was given
 * @sndbuf:	with CR_NETLINK_SNDBUF, the value SO_SNDBUF was given
 * @rcvtimeo_us: SO_RCVTIMEO, in microseconds; 0 for none
 * @sndtimeo_us: SO_SNDTIMEO, in microseconds; 0 for none
 * @groups:	its memberships (bind()'s nl_groups, NETLINK_ADD_MEMBERSHIP):
 *		group g is bit g - 1 of this bitmap of CR_NETLINK_GROUPS bits
 * @nr_msgs:	the messages queued for it to receive, oldest first, each a
 *		struct cr_netlink_msg and its bytes after this structure
 * @__pad:	zero
 *
 * The restore makes a socket of @type, sets its options, binds it to
 * @portid (EADDRINUSE if another socket has it) with its groups, queues
 * its messages again as the kernel sent them, and connects it. The
 * checkpoint refuses other netlink protocols, a dump in progress
 * (EAGAIN: try again), a socket of another network namespace and a
 * message from another one.
 */
struct cr_netlink {
	__u32 protocol;
	__u32 type;
	__u32 flags;
	__u32 portid;
	__u32 dst_portid;
	__u32 dst_group;
	__s32 rcvbuf;
	__s32 sndbuf;
	__u64 rcvtimeo_us;
	__u64 sndtimeo_us;
	__u64 groups[CR_NETLINK_GROUPS / 64];
	__u32 nr_msgs;
	__u32 __pad;
};

/**
 * struct cr_netlink_msg - a message queued on a netlink socket
 * @len:	its bytes, which follow, padded to 8 bytes
 * @portid:	its sender's port id: 0 for the kernel
 * @dst_group:	the group it was sent to, or 0
 * @__pad:	zero
 */
struct cr_netlink_msg {
	__u32 len;
	__u32 portid;
	__u32 dst_group;
	__u32 __pad;
};

/* struct cr_packet.flags */
#define CR_PACKET_AUXDATA	0x1	/* PACKET_AUXDATA */
#define CR_PACKET_ORIGDEV	0x2	/* PACKET_ORIGDEV */
#define CR_PACKET_LOSS		0x4	/* PACKET_LOSS */
#define CR_PACKET_QDISC_BYPASS	0x8	/* PACKET_QDISC_BYPASS */
#define CR_PACKET_TX_HAS_OFF	0x10	/* PACKET_TX_HAS_OFF */
#define CR_PACKET_IGNORE_OUTGOING 0x20	/* PACKET_IGNORE_OUTGOING */
#define CR_PACKET_RCVBUF	0x40	/* SO_RCVBUF set: @rcvbuf */
#define CR_PACKET_SNDBUF	0x80	/* SO_SNDBUF set: @sndbuf */
#define CR_PACKET_FLAGS		0xff

/* Most memberships (PACKET_ADD_MEMBERSHIP) of a packet socket an image holds. */
#define CR_MAX_PACKET_MC	1024
/* Most packets queued on a packet socket an image holds. */
#define CR_MAX_PACKET_SKBS	65536

/**
 * struct cr_packet_ring - a ring of a packet socket, as PACKET_RX_RING or
 *	PACKET_TX_RING was given it (struct tpacket_req3); all zero for none
 * @block_size:	tp_block_size
 * @block_nr:	tp_block_nr
 * @frame_size:	tp_frame_size
 * @frame_nr:	tp_frame_nr
 * @retire_blk_tov: for TPACKET_V3's receive ring, tp_retire_blk_tov; else 0
 * @sizeof_priv: for TPACKET_V3's receive ring, tp_sizeof_priv; else 0
 * @feature_req_word: for TPACKET_V3's receive ring, tp_feature_req_word;
 *		else 0
 * @__pad:	zero
 */
struct cr_packet_ring {
	__u32 block_size;
	__u32 block_nr;
	__u32 frame_size;
	__u32 frame_nr;
	__u32 retire_blk_tov;
	__u32 sizeof_priv;
	__u32 feature_req_word;
	__u32 __pad;
};

/**
 * struct cr_packet - a packet socket (CR_FD_PACKET), in the data area
 * @type:	SOCK_RAW (3), SOCK_DGRAM (2) or SOCK_PACKET (10)
 * @protocol:	the frames it takes (ETH_P_*, host byte order), 0 for none
 * @ifindex:	the device it is bound to (bind()), 0 for all
 * @flags:	CR_PACKET_*
 * @version:	PACKET_VERSION: TPACKET_V1 (0), V2 (1) or V3 (2)
 * @reserve:	PACKET_RESERVE
 * @tstamp:	PACKET_TIMESTAMP
 * @copy_thresh: PACKET_COPY_THRESH
 * @vnet_hdr_sz: PACKET_VNET_HDR_SZ: 0, 10 or 12
 * @fanout:	PACKET_FANOUT, the group it is a member of: id | type << 16 |
 *		flags << 24; 0 for none
 * @fanout_max:	with @fanout, the group's largest number of members
 *		(struct fanout_args's max_num_members), 1 to 65536
 * @rcvbuf:	with CR_PACKET_RCVBUF, the value SO_RCVBUF was given
 * @sndbuf:	with CR_PACKET_SNDBUF, the value SO_SNDBUF was given
 * @priority:	SO_PRIORITY (over 6, the restore needs CAP_NET_ADMIN)
 * @mark:	SO_MARK (not 0: the restore needs CAP_NET_ADMIN)
 * @rcvtimeo_us: SO_RCVTIMEO, in microseconds; 0 for none
 * @sndtimeo_us: SO_SNDTIMEO, in microseconds; 0 for none
 * @packets:	PACKET_STATISTICS: the packets received (not counting
 *		@drops)...
 * @drops:	...those dropped...
 * @freeze_q_cnt: ...and for TPACKET_V3, the times its queue froze
 * @nr_mc:	its memberships: a struct cr_packet_mc each, after this
 *		structure...
 * @nr_skbs:	...then the packets queued for it to read, oldest first,
 *		each a struct cr_packet_skb and its bytes...
 * @skbs_len:	...in all this long
 * @device:	with @ifindex, the name the device had, NUL-terminated (the
 *		restore checks that device @ifindex still has it; SOCK_PACKET
 *		binds by it)
 * @rx_ring:	its receive ring (PACKET_RX_RING), empty
 * @tx_ring:	its send ring (PACKET_TX_RING), empty
 * @__pad:	zero
 *
 * The restore makes a socket of @type and @protocol (which needs
 * CAP_NET_RAW), sets its options, binds it to @ifindex (or @device),
 * adds its memberships, makes its rings, joins its fanout group and
 * queues its packets again. The checkpoint refuses a ring mapped or
 * holding packets, a fanout group with a program (PACKET_FANOUT_CBPF,
 * _EBPF) and a socket of another network namespace.
 */
struct cr_packet {
	__u16 type;
	__u16 protocol;
	__s32 ifindex;
	__u32 flags;
	__u32 version;
	__u32 reserve;
	__u32 tstamp;
	__s32 copy_thresh;
	__u32 vnet_hdr_sz;
	__u32 fanout;
	__u32 fanout_max;
	__s32 rcvbuf;
	__s32 sndbuf;
	__u32 priority;
	__u32 mark;
	__u64 rcvtimeo_us;
	__u64 sndtimeo_us;
	__u32 packets;
	__u32 drops;
	__u32 freeze_q_cnt;
	__u32 nr_mc;
	__u32 nr_skbs;
	__u32 skbs_len;
	char device[16];
	struct cr_packet_ring rx_ring;
	struct cr_packet_ring tx_ring;
	__u32 __pad[4];
};

/**
 * struct cr_packet_mc - a membership of a packet socket (PACKET_ADD_MEMBERSHIP)
 * @ifindex:	its device
 * @type:	PACKET_MR_MULTICAST (0), _PROMISC (1), _ALLMULTI (2) or
 *		_UNICAST (3)
 * @alen:	the bytes of @addr used, at most 32
 * @count:	the times it was added, 1 or more
 * @__pad:	zero
 * @addr:	its address (PACKET_MR_MULTICAST, PACKET_MR_UNICAST)
 * @device:	the name device @ifindex had, NUL-terminated (the restore
 *		checks that device @ifindex still has it)
 */
struct cr_packet_mc {
	__s32 ifindex;
	__u16 type;
	__u16 alen;
	__u32 count;
	__u32 __pad;
	__u8 addr[32];
	char device[16];
};

/* struct cr_packet_skb.flags: the checksum and segmentation state of a packet */
#define CR_PACKET_SKB_CSUM_VALID 0x1	/* checked (PACKET_AUXDATA: TP_STATUS_CSUM_VALID) */
#define CR_PACKET_SKB_CSUM_PARTIAL 0x2	/* not made yet: @csum_start, @csum_offset
					 * (TP_STATUS_CSUMNOTREADY)
					 */
#define CR_PACKET_SKB_VLAN	0x4	/* a VLAN tag taken off: @vlan_tci, @vlan_tpid */
#define CR_PACKET_SKB_FLAGS	0x7
/* struct cr_packet_skb.gso_type: SKB_GSO_TCPV4, DODGY, TCP_ECN, TCP_FIXEDID, TCPV6, UDP, UDP_L4 */
#define CR_PACKET_SKB_GSO_TYPES	0x3001f
/* The longest device name a SOCK_PACKET socket binds to (sa_data) */
#define CR_PACKET_SPKT_NAME	14

/**
 * struct cr_packet_skb - a packet queued on a packet socket
 * @len:	its bytes, which follow, padded to 8 bytes (at most 65536)
 * @origlen:	its length on the wire (PACKET_AUXDATA's tp_len)
 * @ifindex:	the device it came in on (sll_ifindex)
 * @protocol:	its protocol (sll_protocol), host byte order
 * @hatype:	sll_hatype; for SOCK_PACKET, spkt_family
 * @pkttype:	sll_pkttype (PACKET_HOST...)
 * @halen:	sll_halen, at most 8
 * @flags:	CR_PACKET_SKB_*
 * @__pad1:	zero
 * @net_off:	where its network header starts in its bytes
 *		(PACKET_AUXDATA's tp_net)
 * @vlan_tci:	with CR_PACKET_SKB_VLAN, the tag's TCI...
 * @vlan_tpid:	...and protocol
 * @csum_start:	with CR_PACKET_SKB_CSUM_PARTIAL, where the checksum starts
 *		in its bytes...
 * @csum_offset: ...and where it goes from there
 * @gso_size:	for a segmentation offload packet, its segment size; else 0...
 * @gso_type:	...and SKB_GSO_* type (TCPV4 0x1, TCPV6 0x10, DODGY 0x4, ...)
 * @addr:	sll_addr
 * @device:	for SOCK_PACKET, the device it came in on (spkt_device)
 * @__pad2:	zero
 */
struct cr_packet_skb {
	__u32 len;
	__u32 origlen;
	__s32 ifindex;
	__u16 protocol;
	__u16 hatype;
	__u8 pkttype;
	__u8 halen;
	__u8 flags;
	__u8 __pad1;
	__u16 net_off;
	__u16 vlan_tci;
	__u16 vlan_tpid;
	__u16 csum_start;
	__u16 csum_offset;
	__u16 gso_size;
	__u32 gso_type;
	__u8 addr[8];
	char device[16];
	__u32 __pad2;
};

/* struct cr_unix.name, .peer: sun_path's size */
#define CR_UNIX_PATH_MAX	108

/**
 * struct cr_unix - a unix socket known by its name (CR_FD_UNIX), in the
 *	data area
 * @type:	SOCK_STREAM (1), SOCK_DGRAM (2) or SOCK_SEQPACKET (5)
 * @state:	CR_UNIX_*
 * @flags:	CR_UNIX_*
 * @backlog:	with CR_UNIX_LISTEN, the backlog listen(2) was given; with
 *		CR_UNIX_PENDING, its place in the listener's accept queue (0:
 *		accepted first)
 * @mode:	for a socket bound to a path, the permission bits of the
 *		socket file; else 0
 * @rcvbuf:	with CR_UNIX_RCVBUF, the value SO_RCVBUF was given
 * @sndbuf:	with CR_UNIX_SNDBUF, the value SO_SNDBUF was given
 * @name_len:	bytes of @name: 0 when not bound
 * @peer_len:	bytes of @peer: with CR_UNIX_CONNECTED and CR_UNIX_PENDING,
 *		not 0
 * @nr_msgs:	for a datagram socket, the messages queued for it to
 *		receive, oldest first; with CR_UNIX_PENDING, those it sent
 *		that wait for the listener's accept, without an address;
 *		after this structure in the data (struct cr_unix_msg each);
 *		else 0
 * @rcvtimeo_us: SO_RCVTIMEO, in microseconds; 0 for none
 * @sndtimeo_us: SO_SNDTIMEO, in microseconds; 0 for none
 * @name:	the address it is bound to: an absolute path in the
 *		process's root, NUL-terminated within @name_len, or an
 *		abstract name (a NUL, then @name_len - 1 bytes)
 * @peer:	with CR_UNIX_CONNECTED, the address of the socket it sends
 *		to, with CR_UNIX_PENDING that of the listener, in the same
 *		form
 *
 * The restore binds the socket to @name (a socket file left there by the
 * checkpointed socket, which nobody listens on, is replaced), gives the
 * file @mode, listens, or connects to @peer, which must then be there.
 * The messages queued on a datagram socket are sent to it again by its
 * name before it connects, each from a socket showing its sender's
 * address; one without a name has none. A stream or seqpacket socket
 * that connected to a listener of the tree, which has not accepted it
 * yet, connects to it again once every socket of the tree is made, in
 * the order of the listener's accept queue, then sends what it had sent.
 * The checkpoint refuses a listening socket with connections waiting to
 * be accepted from clients outside the tree or gone (the checkpoint may
 * be retried), and a connected stream socket whose peer is not in the
 * tree is CR_FD_EXTERNAL.
 */
struct cr_unix {
	__u16 type;
	__u16 state;
	__u32 flags;
	__u32 backlog;
	__u32 mode;
	__s32 rcvbuf;
	__s32 sndbuf;
	__u16 name_len;
	__u16 peer_len;
	__u32 nr_msgs;
	__u64 rcvtimeo_us;
	__u64 sndtimeo_us;
	char name[CR_UNIX_PATH_MAX];
	char peer[CR_UNIX_PATH_MAX];
};

/* Most descriptors one message carries (SCM_MAX_FD). */
#define CR_UNIX_MSG_FILES	253

/**
 * struct cr_unix_msg - a message queued on a unix socket (4-byte aligned):
 *	after the struct cr_unix of a datagram socket known by its name or
 *	of a connection not accepted yet, or in the data area of
 *	NT_CR_SOCKETS for an end of a pair
 * @len:	bytes of data
 * @name_len:	bytes of its sender's address, 0 to 108 (0: none; always 0
 *		but on a datagram socket known by its name)
 * @nr_files:	open files it carries (SCM_RIGHTS), 0 to CR_UNIX_MSG_FILES
 *
 * Followed by @nr_files __u32 open file ids (struct cr_fd.file_id: each
 * is an entry of the root's NT_CR_FILES with CR_FD_IN_FLIGHT), in the
 * order the receiver gets them, then the sender's address as recvfrom(2)
 * shows it (sun_path as the sender bound it: a path, or a NUL and an
 * abstract name), then the data, then zeroes to the next 4 bytes.
 */
struct cr_unix_msg {
	__u32 len;
	__u16 name_len;
	__u16 nr_files;
};

/* Most targets one epoll of an image watches. */
#define CR_MAX_EPOLL_TARGETS	65536

/**
 * struct cr_epoll_target - one file an epoll watches (CR_FD_EPOLL)
 * @file_id:	the open file watched (struct cr_fd.file_id): a descriptor
 *		of the same process, @fd, names it
 * @fd:		the descriptor number it was added with, the key of
 *		EPOLL_CTL_MOD and EPOLL_CTL_DEL
 * @events:	its event mask, EPOLLET, EPOLLONESHOT, EPOLLEXCLUSIVE...
 *		included (a fired EPOLLONESHOT target keeps only those)
 * @__pad:	zero
 * @data:	the data epoll_wait() returns for it
 *
 * The data area of a CR_FD_EPOLL descriptor holds its targets, by
 * increasing @fd.
 */
struct cr_epoll_target {
	__u32 file_id;
	__s32 fd;
	__u32 events;
	__u32 __pad;
	__u64 data;
};

/**
 * struct cr_hdr_files - NT_CR_FILES: the descriptor table of a process
 * @nr_fds:	entries of struct cr_fd following this header, by
 *		increasing @fd; a data area (paths, contents) follows them
 * @__pad:	zero
 */
struct cr_hdr_files {
	__u32 nr_fds;
	__u32 __pad;
};

/* Most file locks a process's image holds. */
#define CR_MAX_LOCKS		65536

/* struct cr_lock.kind */
#define CR_LOCK_FLOCK		0	/* flock(2): the open file's */
#define CR_LOCK_POSIX		1	/* fcntl(F_SETLK): the descriptor table's */
#define CR_LOCK_OFD		2	/* fcntl(F_OFD_SETLK): the open file's */
#define CR_LOCK_LEASE		3	/* fcntl(F_SETLEASE): the open file's */

/* struct cr_lock.flags of a lease being broken by another open */
#define CR_LEASE_BREAK_UNLCK	0x1	/* by a writer: F_GETLEASE says F_UNLCK */
#define CR_LEASE_BREAK_RDLCK	0x2	/* by a reader: F_GETLEASE says F_RDLCK */

/* struct cr_fown.type: who gets SIGIO (F_SETOWN, F_SETOWN_EX) */
#define CR_FOWN_NONE		0	/* nobody */
#define CR_FOWN_PROCESS		1	/* a process of the tree (F_OWNER_PID) */
#define CR_FOWN_THREAD		2	/* a thread of the process (F_OWNER_TID) */
#define CR_FOWN_PGRP		3	/* a process group (F_OWNER_PGRP) */

/* struct cr_fown.flags */
#define CR_FOWN_ASYNC		0x1	/* O_ASYNC: signal-driven I/O on */

/**
 * struct cr_fown - signal-driven I/O of a descriptor, in NT_CR_FOWNERS
 * @fd:		the descriptor (its open file), one of NT_CR_FILES
 * @type:	CR_FOWN_*
 * @flags:	CR_FOWN_*
 * @id:		who, by its id in the image: for CR_FOWN_PROCESS, the pid of
 *		a process of the tree, 0 for the process itself; for
 *		CR_FOWN_THREAD, the id of one of its threads; for
 *		CR_FOWN_PGRP, a process group of the tree (one a process of
 *		the tree leads, or the root's), 0 for its own
 * @signum:	F_SETSIG: the signal sent, 0 for SIGIO
 *
 * One entry per descriptor whose open file has an owner, a signal or
 * O_ASYNC, by increasing @fd. An owner outside the tree refuses the
 * checkpoint. The restore sets them again once the whole tree exists,
 * with the credentials of the restoring caller.
 */
struct cr_fown {
	__s32 fd;
	__u16 type;
	__u16 flags;
	__s32 id;
	__s32 signum;
};

#define CR_SOCK_FILTER_LOCKED	0x1	/* SO_LOCK_FILTER */
#define CR_SOCK_FILTER_FLAGS	0x1
#define CR_SOCK_FILTER_MAX	4096	/* instructions: BPF_MAXINSNS */

/* struct cr_sock_opts.flags: the options set, each as its setsockopt(2) sets it */
#define CR_SOCK_OPT_DEFER_ACCEPT	0x1	/* TCP_DEFER_ACCEPT: @defer_accept */
#define CR_SOCK_OPT_CONGESTION	0x2	/* TCP_CONGESTION: @congestion */
#define CR_SOCK_OPT_TIMESTAMP	0x4	/* SO_TIMESTAMP */
#define CR_SOCK_OPT_TIMESTAMPNS	0x8	/* SO_TIMESTAMPNS */
#define CR_SOCK_OPT_TIMESTAMPING 0x10	/* SO_TIMESTAMPING: @tsflags */
#define CR_SOCK_OPT_TSTAMP_NEW	0x20	/* the three as their _NEW names (64-bit times) */
#define CR_SOCK_OPT_RXQ_OVFL	0x40	/* SO_RXQ_OVFL: @drops */
#define CR_SOCK_OPT_PEEK_OFF	0x80	/* SO_PEEK_OFF: @peek_off */
#define CR_SOCK_OPT_PASSCRED	0x100	/* SO_PASSCRED */
#define CR_SOCK_OPT_PASSSEC	0x200	/* SO_PASSSEC */
#define CR_SOCK_OPT_SELECT_ERR_QUEUE 0x400 /* SO_SELECT_ERR_QUEUE */
#define CR_SOCK_OPT_RCVMARK	0x800	/* SO_RCVMARK */
#define CR_SOCK_OPT_BIND_NO_PORT 0x1000	/* IP_BIND_ADDRESS_NO_PORT */
#define CR_SOCK_OPT_RECVOPTS	0x2000	/* IP_RECVOPTS */
#define CR_SOCK_OPT_RETOPTS	0x4000	/* IP_RETOPTS */
#define CR_SOCK_OPT_IP_PASSSEC	0x8000	/* IP_PASSSEC */
#define CR_SOCK_OPT_CHECKSUM	0x10000	/* IP_CHECKSUM */
#define CR_SOCK_OPT_RECVFRAGSIZE 0x20000 /* IP_RECVFRAGSIZE */
#define CR_SOCK_OPT_TCP_INQ	0x40000	/* TCP_INQ */
#define CR_SOCK_OPT_THIN_LTO	0x80000	/* TCP_THIN_LINEAR_TIMEOUTS */
#define CR_SOCK_OPT_TRANSPARENT	0x100000 /* IP_TRANSPARENT (needs CAP_NET_RAW) */
#define CR_SOCK_OPT_RFC4884	0x200000 /* IP_RECVERR_RFC4884 */
#define CR_SOCK_OPT_ZEROCOPY	0x400000 /* SO_ZEROCOPY, no zerocopy send made yet */
#define CR_SOCK_OPT_SAVE_SYN	0x800000 /* TCP_SAVE_SYN: @save_syn */
#define CR_SOCK_OPT_TX_DELAY	0x1000000 /* TCP_TX_DELAY: @tx_delay (needs CAP_NET_ADMIN) */
#define CR_SOCK_OPT_TXTIME	0x2000000 /* SO_TXTIME: @txtime_clockid, @txtime_flags */
#define CR_SOCK_OPT_RECVRTHDR	0x4000000 /* IPV6_RECVRTHDR */
#define CR_SOCK_OPT_RECVHOPOPTS	0x8000000 /* IPV6_RECVHOPOPTS */
#define CR_SOCK_OPT_RECVDSTOPTS	0x10000000 /* IPV6_RECVDSTOPTS */
#define CR_SOCK_OPT_RECVPATHMTU	0x20000000 /* IPV6_RECVPATHMTU */
#define CR_SOCK_OPT_FLOWINFO	0x40000000 /* IPV6_FLOWINFO */
#define CR_SOCK_OPT_V6FRAGSIZE	0x80000000 /* IPV6_RECVFRAGSIZE */
#define CR_SOCK_OPT_FLAGS	0xffffffff

/*
 * struct cr_sock_opts.tsflags: the SOF_TIMESTAMPING_* flags saved, all
 * of Linux 6.12's but OPT_ID (0x80: a key), BIND_PHC (0x8000: a clock)
 * and OPT_ID_TCP (0x10000)
 */
#define CR_SOCK_OPT_TSFLAGS	0x7f7f

/**
 * struct cr_sock_opts - NT_CR_SOCK_OPTS: options of a TCP or UDP socket
 *	beyond those of struct cr_inet
 * @fd:		its descriptor (CR_FD_INET), by increasing @fd
 * @flags:	CR_SOCK_OPT_*, not 0
 * @defer_accept: with CR_SOCK_OPT_DEFER_ACCEPT, TCP_DEFER_ACCEPT in
 *		seconds, as getsockopt(2) reads it (1 to 65535); else 0
 * @tsflags:	with CR_SOCK_OPT_TIMESTAMPING, SO_TIMESTAMPING's flags,
 *		within CR_SOCK_OPT_TSFLAGS, not 0; else 0
 * @peek_off:	with CR_SOCK_OPT_PEEK_OFF, SO_PEEK_OFF (0 or more); else 0
 * @drops:	with CR_SOCK_OPT_RXQ_OVFL, the packets the socket dropped,
 *		as SO_RXQ_OVFL's messages count them; else 0
 * @congestion:	with CR_SOCK_OPT_CONGESTION, the congestion control's name,
 *		NUL-terminated, zeroes after; else zero
 * @tx_delay:	with CR_SOCK_OPT_TX_DELAY, TCP_TX_DELAY in microseconds, not
 *		0; else 0
 * @txtime_clockid: with CR_SOCK_OPT_TXTIME, struct sock_txtime's clockid
 *		(0 to 255)...
 * @txtime_flags: ...and flags (SOF_TXTIME_DEADLINE_MODE 0x1,
 *		SOF_TXTIME_REPORT_ERRORS 0x2); else both 0
 * @save_syn:	with CR_SOCK_OPT_SAVE_SYN, TCP_SAVE_SYN: 1, or 2 (with the
 *		link header); else 0
 *
 * Optional, in a process's image: the descriptors whose socket has
 * options set that struct cr_inet does not hold. The restore sets them
 * again, as setsockopt(2) by the restored process would, before the
 * socket is bound or listens. Receive timestamps and SO_RXQ_OVFL are
 * saved only on a socket holding no input (the image keeps no arrival
 * times or drop counts of its packets).
 */
struct cr_sock_opts {
	__s32 fd;
	__u32 flags;
	__u32 defer_accept;
	__u32 tsflags;
	__s32 peek_off;
	__u32 drops;
	char congestion[16];
	__u32 tx_delay;
	__s16 txtime_clockid;
	__u8 txtime_flags;
	__u8 save_syn;
};

/**
 * struct cr_sock_dev - NT_CR_SOCK_DEVS: the device a TCP or UDP socket
 *	is bound to (SO_BINDTODEVICE, SO_BINDTOIFINDEX)
 * @fd:		its descriptor (CR_FD_INET), by increasing @fd
 * @ifindex:	the device's index in the socket's network namespace, 1 or
 *		more
 * @name:	the device's name then, NUL-terminated, zeroes after
 *
 * Optional, in a process's image: its sockets bound to a device. The
 * restore binds each again to the device of that index, which must have
 * that name (else ENODEV: in another boot the index may be another
 * device's), as setsockopt(SO_BINDTODEVICE) by the restored process
 * would, before the socket is bound, connects or listens.
 */
struct cr_sock_dev {
	__s32 fd;
	__s32 ifindex;
	char name[16];
};

/**
 * struct cr_sock_filter - NT_CR_SOCK_FILTERS: a socket's classic BPF filter
 * @fd:		the descriptor of the socket (CR_FD_INET, CR_FD_UNIX or
 *		CR_FD_SOCKET), one of NT_CR_FILES
 * @len:	its instructions, 1 to CR_SOCK_FILTER_MAX; as many struct
 *		cr_bpf_insn follow
 * @flags:	CR_SOCK_FILTER_LOCKED
 *
 * One entry per socket descriptor with a filter (SO_ATTACH_FILTER), by
 * increasing @fd, the entries following each other. The restore attaches
 * it again as SO_ATTACH_FILTER would, then locks it.
 */
struct cr_sock_filter {
	__s32 fd;
	__u16 len;
	__u16 flags;
};

/**
 * struct cr_bpf_insn - a classic BPF instruction, as struct sock_filter
 * @code:	the opcode
 * @jt:		the jump if true
 * @jf:		the jump if false
 * @k:		the operand
 */
struct cr_bpf_insn {
	__u16 code;
	__u8 jt;
	__u8 jf;
	__u32 k;
};

/**
 * struct cr_lock - a file lock the process holds, in NT_CR_LOCKS
 * @fd:		a descriptor of the process (in its NT_CR_FILES) on the
 *		file: for flock and OFD locks, of the open file that holds
 *		it; for a POSIX lock, of the file, open for reading for a
 *		read lock, for writing for a write lock
 * @kind:	CR_LOCK_*
 * @type:	F_RDLCK (0) or F_WRLCK (1)
 * @flags:	for a lease, one of CR_LEASE_BREAK_* while another open
 *		breaks it (CR_LEASE_BREAK_RDLCK only for a write lease);
 *		zero otherwise
 * @start:	its first byte (0 for flock and leases)...
 * @end:	...and its last, 0x7fffffffffffffff for up to the end of the
 *		file, however it grows (always for flock and leases)
 *
 * The note, after NT_CR_FILES, lists the locks the process holds, in
 * the order of its descriptors; a lock held through several descriptors
 * may be listed for each. A lease is listed once, for the descriptor
 * its break signal names (the one F_SETLEASE was called on, when it
 * still names the file; else the lowest that does); a read lease is on
 * a file no descriptor of the tree has open for writing, a write lease
 * on one no other open file of the tree has open. An image without the
 * note holds none.
 */
struct cr_lock {
	__s32 fd;
	__u32 kind;
	__u32 type;
	__u32 flags;
	__s64 start;
	__s64 end;
};

/* Most bytes a pipe holds in an image (fs.pipe-max-size can be larger). */
#define CR_MAX_PIPE_SIZE	(16 << 20)
/* Most pipes a tree's image holds (each with at most 2 ends here). */
#define CR_MAX_PIPES		65536

/* struct cr_pipe.flags */
#define CR_PIPE_FIFO		0x1	/* a FIFO (named pipe): reopened by @path */
#define CR_PIPE_FLAGS		0x1

/**
 * struct cr_pipe - one pipe of the tree, in struct cr_hdr_pipes
 * @size:	its capacity in bytes (F_GETPIPE_SZ)
 * @flags:	CR_PIPE_*
 * @data_off:	the bytes it held, unread, at this offset of the note's data
 *		area...
 * @data_len:	...this long
 * @path_off:	for a FIFO, its absolute path, at this offset of the data
 *		area...
 * @path_len:	...this long, with its terminating NUL; 0 for a pipe
 */
struct cr_pipe {
	__u32 size;
	__u32 flags;
	__u64 data_off;
	__u64 data_len;
	__u32 path_off;
	__u32 path_len;
};

/**
 * struct cr_pipe_file - one open end of a pipe, in struct cr_hdr_pipes
 * @file_id:	the open file description (struct cr_fd.file_id)
 * @pipe:	index of its pipe in the note
 * @flags:	its status flags: O_RDONLY (a read end), O_WRONLY (a write
 *		end) or O_RDWR (both), O_NONBLOCK
 * @__pad:	zero
 */
struct cr_pipe_file {
	__u32 file_id;
	__u32 pipe;
	__u32 flags;
	__u32 __pad;
};

/**
 * struct cr_hdr_pipes - NT_CR_PIPES: the pipes between processes of the tree
 * @nr_pipes:	struct cr_pipe entries following this header...
 * @nr_files:	...then struct cr_pipe_file entries, by pipe; then the
 *		data area
 *
 * In the root image only. A pipe or a FIFO is here when every open end of
 * it belongs to a process of the tree; its descriptors are CR_FD_PIPE.
 * Other pipes and FIFOs lead outside the tree, and their descriptors are
 * CR_FD_INHERIT.
 */
struct cr_hdr_pipes {
	__u32 nr_pipes;
	__u32 nr_files;
};

/* Most messages queued on one socket in an image. */
#define CR_MAX_SOCKET_MSGS	65536
/* Most socket ends (two per pair) a tree's image holds. */
#define CR_MAX_SOCKETS		65536

/* struct cr_socket.shutdown: RCV_SHUTDOWN | SEND_SHUTDOWN */
#define CR_SOCKET_SHUTDOWN	0x3

/**
 * struct cr_socket - one end of a unix socket pair, in struct cr_hdr_sockets
 * @file_id:	its open file (struct cr_fd.file_id); 0 for an end that
 *		was closed: made with its pair, it sends its peer's
 *		messages, then is closed again
 * @peer:	index of the other end in the note
 * @type:	SOCK_STREAM (1), SOCK_DGRAM (2) or SOCK_SEQPACKET (5)
 * @flags:	its file's O_NONBLOCK
 * @shutdown:	RCV_SHUTDOWN (1) | SEND_SHUTDOWN (2), as shutdown(2) left it
 * @nr_msgs:	messages queued for it to receive, oldest first...
 * @data_off:	...at this offset of the note's data area, each a struct
 *		cr_unix_msg (4-byte aligned) and what follows it...
 * @data_len:	...in all this long
 * @name_len:	bytes of @name; 0 for an end without an address
 * @opts:	CR_UNIX_PASSCRED, CR_UNIX_RCVBUF, CR_UNIX_SNDBUF: the
 *		options set on this end (an end accepted from a listener
 *		inherits SO_PASSCRED from it)
 * @name:	its address as getsockname(2) gives it (sun_path, as bound:
 *		a path, or a NUL and an abstract name): an end accepted
 *		from a named listener has the listener's. Only shown by
 *		getsockname(2) and getpeername(2) after the restore; nothing
 *		is bound
 * @rcvbuf:	with CR_UNIX_RCVBUF, the SO_RCVBUF value to set; else 0
 * @sndbuf:	with CR_UNIX_SNDBUF, the SO_SNDBUF value to set; else 0
 * @rcvtimeo_us: SO_RCVTIMEO in microseconds, 0 for none
 * @sndtimeo_us: SO_SNDTIMEO in microseconds, 0 for none
 * @error:	its pending error (SO_ERROR: ECONNRESET when its peer was
 *		closed with bytes it had not read), 0 for none
 * @__pad:	zero
 *
 * A pair is socketpair(2)'s, or a connection both of whose ends are in
 * the tree (a client and the end a listener of the tree accepted), or
 * one of whose ends is, the other closed.
 */
struct cr_socket {
	__u32 file_id;
	__u32 peer;
	__u32 type;
	__u32 flags;
	__u32 shutdown;
	__u32 nr_msgs;
	__u64 data_off;
	__u64 data_len;
	__u16 name_len;
	__u16 opts;
	char name[CR_UNIX_PATH_MAX];
	__s32 rcvbuf;
	__s32 sndbuf;
	__u64 rcvtimeo_us;
	__u64 sndtimeo_us;
	__s32 error;
	__u32 __pad;
};

/**
 * struct cr_hdr_sockets - NT_CR_SOCKETS: unix socket pairs inside the tree
 * @nr_sockets:	struct cr_socket entries following this header, two per
 *		pair; then the data area
 * @__pad:	zero
 *
 * In the root image only. A pair is here when both ends are connected
 * AF_UNIX sockets (socketpair(2), or a connection accepted from a named
 * listener) connected to each other, whose files are held only by
 * descriptors of the tree; its descriptors are CR_FD_SOCKET.
 */
struct cr_hdr_sockets {
	__u32 nr_sockets;
	__u32 __pad;
};

/* Most pty pairs a tree's image holds. */
#define CR_MAX_TTYS		4096
/* struct cr_tty.cc: NCCS on x86 */
#define CR_TTY_NCCS		19

/* struct cr_tty.flags */
#define CR_TTY_LOCKED		0x1	/* the slave is locked (TIOCSPTLCK) */
#define CR_TTY_SLAVE_CLOSED	0x2	/* the slave was open, every end of it closed since */
#define CR_TTY_FLAGS		0x3

/**
 * struct cr_tty - one pty pair of the tree, in struct cr_hdr_ttys
 * @index:	its number at the checkpoint (/dev/pts/N), for information: the
 *		restore makes a new pair, whose number the restoring devpts gives
 * @flags:	CR_TTY_*
 * @sid:	the session whose controlling terminal the slave is, a session
 *		led by a process of the tree other than the root; 0 for none
 * @pgrp:	with @sid, the slave's foreground process group, one of that
 *		session; else 0
 * @iflag:	the slave's termios (struct termios2): c_iflag,
 * @oflag:	c_oflag,
 * @cflag:	c_cflag,
 * @lflag:	c_lflag,
 * @ispeed:	c_ispeed,
 * @ospeed:	c_ospeed,
 * @line:	c_line, the line discipline: N_TTY (0)
 * @cc:		c_cc
 * @ws_row:	the slave's window size (struct winsize)
 * @ws_col:
 * @ws_xpixel:
 * @ws_ypixel:
 * @__pad:	zero
 */
struct cr_tty {
	__u32 index;
	__u32 flags;
	__s32 sid;
	__s32 pgrp;
	__u32 iflag;
	__u32 oflag;
	__u32 cflag;
	__u32 lflag;
	__u32 ispeed;
	__u32 ospeed;
	__u8 line;
	__u8 cc[CR_TTY_NCCS];
	__u16 ws_row;
	__u16 ws_col;
	__u16 ws_xpixel;
	__u16 ws_ypixel;
	__u32 __pad;
};

/* struct cr_tty_data.side */
#define CR_TTY_TO_MASTER	0	/* for the master's reader: the slave's output */
#define CR_TTY_TO_SLAVE		1	/* for the slave's reader: its input */
#define CR_TTY_DATA_MAX		4096	/* N_TTY_BUF_SIZE: bytes of one side */

/* struct cr_tty_data.flags */
#define CR_TTY_DATA_LINES	0x1	/* a struct cr_tty_lines and the line ends follow */
#define CR_TTY_DATA_FLAGS	0x1

/* struct cr_tty_lines.flags */
#define CR_TTY_LINES_CANON	0x1	/* canonical mode: @canon bytes are complete lines */
#define CR_TTY_LINES_LNEXT	0x2	/* the next byte is taken literally (LNEXT typed) */
#define CR_TTY_LINES_ERASING	0x4	/* in an erase echoed with ECHOPRT */
#define CR_TTY_LINES_FLAGS	0x7

/**
 * struct cr_tty_data - bytes a pty pair holds for a reader (NT_CR_TTY_DATA)
 * @tty:	the pair, an index into NT_CR_TTYS's table
 * @side:	CR_TTY_TO_MASTER or CR_TTY_TO_SLAVE
 * @len:	bytes that follow, 0 to CR_TTY_DATA_MAX (0 only with
 *		CR_TTY_DATA_LINES), then zeroes to 8 bytes
 * @flags:	CR_TTY_DATA_LINES: then a struct cr_tty_lines, then a bitmap
 *		of @len bits, in __u64 words (bit i%64 of word i/64 set when
 *		byte i ends a line: a newline, EOL, EOL2 or end-of-file)
 *
 * NT_CR_TTY_DATA, in the root's image with NT_CR_TTYS, holds the bytes
 * each pair held for its readers, not read yet, by increasing @tty then
 * @side, each at most once, as the reader's line discipline holds them:
 * edited already in canonical mode (lines complete, then the line being
 * typed), processed already otherwise. The restore puts them back into
 * the new pair's line discipline as they were, after the slave's
 * termios, before any process runs.
 */
struct cr_tty_data {
	__u32 tty;
	__u32 side;
	__u32 len;
	__u32 flags;
};

/**
 * struct cr_tty_lines - the editing state of a line discipline, after
 *	the bytes of a struct cr_tty_data with CR_TTY_DATA_LINES
 * @flags:	CR_TTY_LINES_*: CANON when the line discipline is in
 *		canonical mode (as the pair's termios say)
 * @canon:	with CR_TTY_LINES_CANON, the bytes that form complete lines
 *		(the last of them a line end; none after), at most the
 *		entry's len; else 0
 * @column:	the output column (tab expansion, erase)
 * @canon_column: the column the line being typed started at
 */
struct cr_tty_lines {
	__u32 flags;
	__u32 canon;
	__u32 column;
	__u32 canon_column;
};

/* struct cr_tty_file.end */
#define CR_TTY_MASTER		0	/* the master (/dev/ptmx) */
#define CR_TTY_SLAVE		1	/* the slave (/dev/pts/N) */

/**
 * struct cr_tty_file - one open end of a pty pair, in struct cr_hdr_ttys
 * @file_id:	the open file description (struct cr_fd.file_id)
 * @tty:	index of its pair in the note
 * @end:	CR_TTY_MASTER or CR_TTY_SLAVE
 * @flags:	its status flags: O_ACCMODE, O_NONBLOCK
 */
struct cr_tty_file {
	__u32 file_id;
	__u32 tty;
	__u32 end;
	__u32 flags;
};

/**
 * struct cr_hdr_ttys - NT_CR_TTYS: pty pairs inside the tree
 * @nr_ttys:	struct cr_tty entries following this header...
 * @nr_files:	...then struct cr_tty_file entries, by pair, each pair's
 *		one master first
 *
 * In the root image, when the tree holds at least one pty pair of its own:
 * the master and every open slave end are files held only by descriptors
 * of the tree, and the slave is the controlling terminal of no session or
 * of one led by a process of the tree (not the root). Its descriptors are
 * CR_FD_TTY. Other terminals lead outside the tree (CR_FD_INHERIT).
 */
struct cr_hdr_ttys {
	__u32 nr_ttys;
	__u32 nr_files;
};

/* NT_CR_ITIMERS: setitimer(2)'s timers, by ITIMER_* number */
#define CR_ITIMER_REAL		0
#define CR_ITIMER_VIRTUAL	1
#define CR_ITIMER_PROF		2
#define CR_NR_ITIMERS		3

/**
 * struct cr_itimer - one interval timer of the process, in NT_CR_ITIMERS
 * @value_ns:		the time left before it fires; 0 when disarmed
 * @interval_ns:	the period it is armed again with when it fires; 0
 *			for once (and when disarmed)
 */
struct cr_itimer {
	__s64 value_ns;
	__s64 interval_ns;
};

/* Most POSIX timers a process's image holds. */
#define CR_MAX_POSIX_TIMERS	65536

/* struct cr_posix_timer.flags */
#define CR_POSIX_TIMER_ABSTIME	0x1	/* CLOCK_REALTIME, armed with TIMER_ABSTIME */

/**
 * struct cr_posix_timer - one POSIX timer, in NT_CR_POSIX_TIMERS
 * @id:		its id (timer_t), which it keeps
 * @clock:	CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
 *		CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM,
 *		CLOCK_TAI, the process's own CPU clocks as glibc names them
 *		(-8, -7, -6: CPUCLOCK_PROF, _VIRT, _SCHED of process 0), or
 *		a thread's (-4, -3, -2: the same of thread 0, the thread
 *		@cpu_tid)
 * @notify:	SIGEV_SIGNAL (0), SIGEV_NONE (1), SIGEV_THREAD (2) or
 *		SIGEV_THREAD_ID (4), as the kernel saw sigev_notify (glibc
 *		turns SIGEV_THREAD into SIGEV_THREAD_ID to its helper thread)
 * @signo:	the signal it sends, 1 to 64 (any with SIGEV_NONE)
 * @value:	the value it sends with it (sigev_value)
 * @tid:	with SIGEV_THREAD_ID, the thread it signals, one of the
 *		process's (struct cr_hdr_thread.tid); else 0
 * @overrun:	what timer_getoverrun(2) reports, 0 or more
 * @flags:	CR_POSIX_TIMER_*
 * @cpu_tid:	on a thread's CPU clock, that thread, one of the process's
 *		(struct cr_hdr_thread.tid); else 0
 * @value_ns:	the time left, in nanoseconds of its clock; with
 *		CR_POSIX_TIMER_ABSTIME, the CLOCK_REALTIME time it expires
 *		at; 0 when disarmed
 * @interval_ns: its period, 0 for once
 *
 * The note lists the process's timers by increasing @id; an image
 * without it has none.
 */
struct cr_posix_timer {
	__s32 id;
	__s32 clock;
	__s32 notify;
	__s32 signo;
	__u64 value;
	__s32 tid;
	__s32 overrun;
	__u32 flags;
	__s32 cpu_tid;
	__s64 value_ns;
	__s64 interval_ns;
};

/* Most supplementary groups of a process in an image (NGROUPS_MAX). */
#define CR_MAX_GROUPS		65536

/**
 * struct cr_hdr_creds - NT_CR_CREDS: capabilities, securebits, groups
 * @cap_inheritable:	the capability sets, bit N for capability N
 * @cap_permitted:	(capget(2)'s two 32-bit words, low word first)...
 * @cap_effective:
 * @cap_bset:		...the bounding set (PR_CAPBSET_READ)...
 * @cap_ambient:	...and the ambient set (PR_CAP_AMBIENT_IS_SET)
 * @securebits:		prctl(PR_GET_SECUREBITS): SECBIT_* and their locks
 * @nr_groups:		supplementary groups, a __u32 each, following the
 *			structure, as getgroups(2) gives them
 *
 * One per process, after NT_CR_PROCESS, whose ids it completes; a thread
 * with other credentials has its own (NT_CR_THREAD_CREDS). The
 * restore gives them back as far as the caller could set them itself:
 * the ids and groups with CAP_SETUID and CAP_SETGID (else the caller's
 * stay), each capability set within the caller's, the bounding set and
 * securebits with CAP_SETPCAP. An image without the note (written before
 * it) restores with the caller's credentials.
 */
struct cr_hdr_creds {
	__u64 cap_inheritable;
	__u64 cap_permitted;
	__u64 cap_effective;
	__u64 cap_bset;
	__u64 cap_ambient;
	__u32 securebits;
	__u32 nr_groups;
};

/**
 * struct cr_thread_ids - NT_CR_THREAD_CREDS: a thread's own credentials
 * @uid:	its real, effective, saved and filesystem user ids...
 * @euid:
 * @suid:
 * @fsuid:
 * @gid:	...and group ids, in the process's user namespace
 * @egid:
 * @sgid:
 * @fsgid:
 *
 * Among the notes of a thread (after its NT_PRSTATUS), only for a thread
 * whose credentials are not those of the thread that wrote the process's
 * NT_CR_PROCESS ids and NT_CR_CREDS (a raw setresuid(2) or capset(2) in
 * one thread): followed by what NT_CR_CREDS holds for it, struct
 * cr_hdr_creds and its groups. The restore gives the thread these, by
 * the rules of NT_CR_CREDS.
 */
struct cr_thread_ids {
	__u32 uid;
	__u32 euid;
	__u32 suid;
	__u32 fsuid;
	__u32 gid;
	__u32 egid;
	__u32 sgid;
	__u32 fsgid;
};

/* RLIM_NLIMITS of the format: struct cr_hdr_process.rlim */
#define CR_NLIMITS		16

/**
 * struct cr_hdr_process - NT_CR_PROCESS: process-wide attributes
 * @personality:	personality(2) value; only PER_LINUX with flags is restored
 * @umask:		file mode creation mask
 * @uid:		real, effective, saved and fs user ids, real, effective,
 * @euid:		saved and fs group ids, as the checkpointing process
 * @suid:		saw them (in its user namespace); restored when the
 * @fsuid:		caller may set them (see struct cr_hdr_creds)
 * @gid:
 * @egid:
 * @sgid:
 * @fsgid:
 * @cwd_len:		length of the working directory's path, with its NUL,
 *			which follows the structure (a path from its root)
 * @root_len:		for a process in a chroot, the length of its root
 *			directory's path, with its NUL, which follows the
 *			working directory's: an absolute path in its mount
 *			namespace. 0 for a process whose root is the
 *			namespace's. The restore looks the process's files up
 *			from that root, and chroots it there (CAP_SYS_CHROOT)
 * @rlim:		resource limits, RLIMIT_CPU to RLIMIT_RTTIME: current
 *			(soft) and maximum (hard); ~0 is RLIM_INFINITY
 * @oom_score_adj:	/proc/PID/oom_score_adj, -1000 to 1000...
 * @oom_score_adj_min:	...and the lowest value it may be set to without
 *			CAP_SYS_RESOURCE
 * @dumpable:		prctl(PR_GET_DUMPABLE): 0, 1, or 2 (after a setuid)
 * @coredump_filter:	/proc/PID/coredump_filter (9 bits)
 * @mm_flags:		CR_MM_*: what prctl() and mlockall() set on the
 *			address space
 * @__pad2:		zero
 */
struct cr_hdr_process {
	__u32 personality;
	__u32 umask;
	__u32 uid;
	__u32 euid;
	__u32 suid;
	__u32 fsuid;
	__u32 gid;
	__u32 egid;
	__u32 sgid;
	__u32 fsgid;
	__u32 cwd_len;
	__u32 root_len;
	struct {
		__u64 cur;
		__u64 max;
	} rlim[CR_NLIMITS];
	__s32 oom_score_adj;
	__s32 oom_score_adj_min;
	__u32 dumpable;
	__u32 coredump_filter;
	__u32 mm_flags;
	__u32 __pad2;
};

/**
 * struct cr_sysv_shm - NT_CR_SYSV_SHM: a SysV shared memory segment attached
 * @obj:	its object: the cr_vma.shm of its attachments (CR_VMA_SYSV),
 *		whose pages the image stores once for the tree
 * @shmid:	its id in the process's IPC namespace
 * @key:	its key; IPC_PRIVATE (0) once removed
 * @mode:	its permission bits (0777 at most)
 * @flags:	CR_SYSV_REMOVED
 * @uid:	its owner
 * @gid:	its group
 * @__pad:	zero
 * @size:	its size in bytes, as shmget() asked
 * @ctime:	its last change time (shm_ctime, seconds): with @shmid, @key
 *		and @size, what tells that a segment found at restore is
 *		this one
 */
struct cr_sysv_shm {
	__u32 obj;
	__s32 shmid;
	__s32 key;
	__u32 mode;
	__u32 flags;
	__u32 uid;
	__u32 gid;
	__u32 __pad;
	__u64 size;
	__s64 ctime;
};

/* Semaphores in a set (SEMMSL's limit), sets with adjustments in a note. */
#define CR_SEM_NSEMS_MAX	32000
#define CR_MAX_SEM_UNDO		4096

/**
 * struct cr_sem_undo - NT_CR_SEM_UNDO: a SysV semaphore set's SEM_UNDO
 *	adjustments of the process (what its exit would add to the values)
 * @semid:	the set's id, 0 or more, once in the note
 * @nsems:	its number of semaphores, 1 to CR_SEM_NSEMS_MAX; as many
 *		__s16 adjustments follow (-32767 to 32767, not all 0), padded
 *		to 8 bytes
 * @ctime:	the set's change time (sem_ctime: made, IPC_SET, SETVAL,
 *		SETALL), in seconds
 *
 * Entries follow each other; the note holds the sets with an adjustment
 * not zero, at most CR_MAX_SEM_UNDO.
 */
struct cr_sem_undo {
	__s32 semid;
	__u32 nsems;
	__s64 ctime;
};

/* SysV semaphore sets and message queues the tree used (root's image). */
#define CR_MAX_SYSV_SETS	4096		/* sets, queues, in a note */
#define CR_MAX_SYSV_MSQ_BYTES	(16U << 20)	/* bytes of messages in a queue */
#define CR_SEM_VALUE_MAX	32767		/* SEMVMX */

/**
 * struct cr_sysv_sem - NT_CR_SYSV_SEM: a SysV semaphore set the tree used
 * @semid:	its id in the tree's IPC namespace, 0 or more; the entries
 *		by increasing id
 * @key:	its key
 * @mode:	its permission bits (0777 at most)
 * @nsems:	its number of semaphores, 1 to CR_SEM_NSEMS_MAX; as many
 *		__u16 values follow (0 to CR_SEM_VALUE_MAX), padded to 8 bytes
 * @uid:	its owner
 * @gid:	its group
 * @cuid:	its creator (a set made again is the restoring caller's)
 * @cgid:	its creator's group
 * @ctime:	its last change time (sem_ctime: made, IPC_SET, SETVAL,
 *		SETALL), in seconds: with @semid, @key and @nsems, what tells
 *		that a set found at restore is this one
 *
 * The note, in the root's image only, holds each set whose last operation
 * (a semaphore's sempid: semop(), SETVAL, SETALL) was by a process of the
 * tree, at most CR_MAX_SYSV_SETS.
 */
struct cr_sysv_sem {
	__s32 semid;
	__s32 key;
	__u32 mode;
	__u32 nsems;
	__u32 uid;
	__u32 gid;
	__u32 cuid;
	__u32 cgid;
	__s64 ctime;
};

/**
 * struct cr_sysv_msq - NT_CR_SYSV_MSG: a SysV message queue the tree used
 * @msqid:	its id in the tree's IPC namespace, 0 or more; the entries
 *		by increasing id
 * @key:	its key
 * @mode:	its permission bits (0777 at most)
 * @nr_msgs:	its messages: as many struct cr_sysv_msg follow, in order
 * @uid:	its owner
 * @gid:	its group
 * @cuid:	its creator (a queue made again is the restoring caller's)
 * @cgid:	its creator's group
 * @ctime:	its last change time (msg_ctime: made, IPC_SET), in seconds:
 *		with @msqid and @key, what tells that a queue found at
 *		restore is this one
 * @qbytes:	its limit (msg_qbytes), at most INT_MAX
 * @bytes:	the bytes of its messages, at most CR_MAX_SYSV_MSQ_BYTES
 *
 * The note, in the root's image only, holds each queue whose last
 * msgsnd() or msgrcv() was by a process of the tree, at most
 * CR_MAX_SYSV_SETS.
 */
struct cr_sysv_msq {
	__s32 msqid;
	__s32 key;
	__u32 mode;
	__u32 nr_msgs;
	__u32 uid;
	__u32 gid;
	__u32 cuid;
	__u32 cgid;
	__s64 ctime;
	__u64 qbytes;
	__u64 bytes;
};

/**
 * struct cr_sysv_msg - a message of a queue, in NT_CR_SYSV_MSG
 * @mtype:	its type, 1 or more
 * @size:	its size in bytes; its text follows, padded to 8 bytes
 */
struct cr_sysv_msg {
	__s64 mtype;
	__u64 size;
};

#define CR_SYSV_REMOVED		0x1	/* IPC_RMID: gone at its last detach */
#define CR_SYSV_FLAGS		0x1
#define CR_MAX_SYSV_SHM		4096	/* segments one process attaches */

/* AIO contexts of one process (NT_CR_AIO). */
#define CR_MAX_AIO		4096

/**
 * struct cr_aio - NT_CR_AIO: an AIO context of the process (io_setup(2))
 * @addr:	the address of its ring, a CR_VMA_AIO mapping that starts
 *		there; also the context's id (aio_context_t)
 * @max_reqs:	the nr_events io_setup() was given, 1 or more
 * @nr_events:	the size of its ring in events, 2 or more: the mapping is
 *		32 + 32 * @nr_events bytes, a whole number of pages
 * @head:	the next event to read, below @nr_events
 * @tail:	the next event to complete, below @nr_events
 * @nr_unread:	the events completed and not read yet: (@tail - @head)
 *		modulo @nr_events; as many struct cr_aio_event follow, from
 *		@head on
 * @__pad:	zero
 *
 * Entries follow each other, one per CR_VMA_AIO mapping, by increasing
 * @addr, at most CR_MAX_AIO. A context had no request in flight.
 */
struct cr_aio {
	__u64 addr;
	__u32 max_reqs;
	__u32 nr_events;
	__u32 head;
	__u32 tail;
	__u32 nr_unread;
	__u32 __pad;
};

/**
 * struct cr_aio_event - a completed AIO request, as struct io_event
 * @data:	the iocb's aio_data
 * @obj:	the iocb's address
 * @res:	the result
 * @res2:	the secondary result
 */
struct cr_aio_event {
	__u64 data;
	__u64 obj;
	__s64 res;
	__s64 res2;
};

/* struct cr_hdr_process.mm_flags */
#define CR_MM_THP_DISABLE	0x1	/* PR_SET_THP_DISABLE */
#define CR_MM_MDWE		0x2	/* PR_SET_MDWE: PR_MDWE_REFUSE_EXEC_GAIN */
#define CR_MM_MDWE_NO_INHERIT	0x4	/* ...with PR_MDWE_NO_INHERIT */
#define CR_MM_MERGE_ANY		0x8	/* PR_SET_MEMORY_MERGE (KSM) */
#define CR_MM_LOCK_FUTURE	0x10	/* mlockall(MCL_FUTURE) */
#define CR_MM_LOCK_ONFAULT	0x20	/* ...with MCL_ONFAULT */
#define CR_MM_FLAGS		0x3f

/* struct cr_proc.flags */
#define CR_PROC_ZOMBIE		0x1	/* exited, not reaped: no segment */
#define CR_PROC_SUBREAPER	0x2	/* PR_SET_CHILD_SUBREAPER */
#define CR_PROC_FILES		0x4	/* shares its descriptor table with its parent */
#define CR_PROC_FS		0x8	/* shares its cwd, root, umask with its parent */
#define CR_PROC_STOPPED		0x10	/* stopped by job control: @exit_code */
#define CR_PROC_FLAGS		0x1f

/* Most processes one image holds. */
#define CR_MAX_PROCESSES	4096

/**
 * struct cr_proc - one process of the tree, in struct cr_hdr_tree
 * @pid:		process id, in the checkpointer's pid namespace
 * @parent:		index of its parent in the tree, -1 for the root
 * @pgid:		process group id
 * @sid:		session id
 * @exit_signal:	signal its parent gets when it exits (SIGCHLD, or
 *			another one given to clone(); 0 for none)
 * @pdeath_signal:	prctl(PR_SET_PDEATHSIG), 0 for none
 * @exit_code:		for a zombie, the status wait() reports; for a
 *			process stopped by job control (CR_PROC_STOPPED),
 *			the stop signal wait(WUNTRACED) reports, 0 once
 *			reported
 * @flags:		CR_PROC_*
 * @nr_threads:		its threads (0 for a zombie)
 * @segment:		program header index of its PT_CR_PROCESS segment;
 *			0 for the root (the image itself) and for zombies
 */
struct cr_proc {
	__s32 pid;
	__s32 parent;
	__s32 pgid;
	__s32 sid;
	__s32 exit_signal;
	__s32 pdeath_signal;
	__s32 exit_code;
	__u32 flags;
	__u32 nr_threads;
	__u32 segment;
};

/* struct cr_hdr_ns.flags: the namespaces of its own the tree is in */
#define CR_NS_UTS		0x1	/* a UTS namespace: @hostname, @domainname */
#define CR_NS_IPC		0x2	/* an IPC namespace: NT_CR_SYSV_* hold all of it */
#define CR_NS_TIME		0x4	/* a time namespace: @monotonic_ns, @boottime_ns */
#define CR_NS_NET		0x8	/* a network namespace: @lo_*, NT_CR_NET_* */
#define CR_NS_USER		0x10	/* a user namespace: NT_CR_USERNS */
#define CR_NS_CGROUP		0x20	/* a cgroup namespace rooted at the root's cgroup */
#define CR_NS_MNT		0x40	/* a mount namespace: NT_CR_MOUNTS */
#define CR_NS_FLAGS		0x7f
#define CR_NS_CLOCK_MAX_SEC	4611686018LL	/* KTIME_SEC_MAX / 2: a timens clock's */
#define CR_NS_NAME_LEN		65	/* __NEW_UTS_LEN + 1 */

/**
 * struct cr_hdr_ns - NT_CR_NS: the namespaces the tree is in
 * @flags:	CR_NS_*: each namespace other than the initial one that the
 *		tree's processes share, which the restore makes again
 * @__pad:	zero
 * @hostname:	with CR_NS_UTS, its host name (uname -n), NUL-terminated;
 *		else empty
 * @domainname:	with CR_NS_UTS, its NIS domain name, NUL-terminated; else
 *		empty
 * @__pad2:	zero
 * @monotonic_ns: with CR_NS_TIME, CLOCK_MONOTONIC as the tree read it at
 *		the checkpoint, from which it goes on after the restore; else 0
 * @boottime_ns: with CR_NS_TIME, CLOCK_BOOTTIME likewise; else 0
 * @lo_flags:	with CR_NS_NET, CR_NS_LO_UP when its loopback device was up;
 *		else 0
 * @lo_mtu:	with CR_NS_NET, the loopback device's MTU; else 0
 *
 * An image of the first layout, without the two clocks (144 bytes), is
 * read as one without CR_NS_TIME and CR_NS_NET.
 *
 * In the root's image only; without it, or without a flag, the tree is
 * restored in the caller's namespace of that kind. With CR_NS_IPC, the
 * tree's IPC namespace is its own: NT_CR_SYSV_SEM and NT_CR_SYSV_MSG hold
 * every set and queue of it, the processes' NT_CR_SYSV_SHM every segment
 * (none is left unattached), and the descriptors every POSIX message
 * queue of it (none is left unopened), all made again in a new one. A process of the tree
 * in another namespace of a kind than the root refuses the checkpoint
 * (nested namespaces are not saved yet).
 */
struct cr_hdr_ns {
	__u32 flags;
	__u32 __pad;
	char hostname[CR_NS_NAME_LEN];
	char domainname[CR_NS_NAME_LEN];
	__u8 __pad2[6];
	__s64 monotonic_ns;
	__s64 boottime_ns;
	__u32 lo_flags;
	__u32 lo_mtu;
};

/* struct cr_hdr_ns.lo_flags */
#define CR_NS_LO_UP		0x1

/* The size of struct cr_hdr_ns without its clocks (the first layout). */
#define CR_HDR_NS_SIZE_NO_TIME	144

/* struct cr_hdr_userns.flags */
#define CR_USERNS_SETGROUPS	0x1	/* setgroups(2) allowed ("allow" in /proc/PID/setgroups) */
#define CR_USERNS_PIDNS		0x2	/* it owns the pid namespace whose init is the root */
#define CR_USERNS_FLAGS		0x3
#define CR_USERNS_MAX_EXTENTS	340	/* UID_GID_MAP_MAX_EXTENTS: lines of a map */

/**
 * struct cr_userns_extent - one line of /proc/PID/uid_map or gid_map
 * @first:	the first id inside the namespace
 * @lower_first: the id it is outside, in the namespace's parent
 * @count:	the ids of the range, at least 1
 */
struct cr_userns_extent {
	__u32 first;
	__u32 lower_first;
	__u32 count;
};

/**
 * struct cr_hdr_userns - NT_CR_USERNS: the user namespace the tree is in
 * @flags:	CR_USERNS_*
 * @nr_uid:	extents of the uid map, 1 to CR_USERNS_MAX_EXTENTS
 * @nr_gid:	extents of the gid map, likewise
 * @__pad:	zero
 *
 * Followed by @nr_uid then @nr_gid struct cr_userns_extent, each map's by
 * increasing @first, their ranges not overlapping inside nor outside,
 * none wrapping, no id (u32)-1; the note holds nothing else.
 *
 * In the root's image, with CR_NS_USER in NT_CR_NS, when the tree is in a
 * user namespace other than the initial one: every id of the image (the
 * processes', the threads', their groups, the SysV objects' owners) is as
 * the namespace sees it, and the capabilities count in it. The restore
 * makes a new user namespace, child of the caller's and owned by it, with
 * the same maps, their lower ids taken in the caller's user namespace,
 * and makes the tree's other namespaces owned by it. With
 * CR_USERNS_PIDNS, the root was the init of a pid namespace owned by this
 * user namespace (as unshare --user --pid makes it): when the restore's
 * root is the init of a new pid namespace of the caller's (crcore restore
 * makes one), that namespace is made owned by the new user namespace too.
 * The namespace's project id map is not saved: one that is set refuses
 * the checkpoint.
 */
struct cr_hdr_userns {
	__u32 flags;
	__u32 nr_uid;
	__u32 nr_gid;
	__u32 __pad;
};

/* struct cr_mount.kind */
#define CR_MNT_HOST		1	/* shared with the initial namespace: the caller's */
#define CR_MNT_PROC		2	/* a proc of the tree's pid namespace */
#define CR_MNT_TMPFS		3	/* a tmpfs of the tree's own: its files in NT_CR_TMPFS */
#define CR_MNT_SYSFS		4	/* a sysfs of the tree's network namespace */
#define CR_MNT_MQUEUE		5	/* the mqueue filesystem of the tree's IPC namespace */
#define CR_MNT_BIND		6	/* part of an earlier mount of the tree's own, bound */
#define CR_MNT_DEVPTS		7	/* a devpts instance of the tree's own, no pty in it */
#define CR_MNT_CGROUP2		8	/* cgroup2 of the tree's cgroup namespace, at its root */
#define CR_MNT_KIND_MAX		8

/* struct cr_mount.flags: the per-mount flags, as mount(2)'s MS_* */
#define CR_MNT_RDONLY		0x1	/* MS_RDONLY */
#define CR_MNT_NOSUID		0x2	/* MS_NOSUID */
#define CR_MNT_NODEV		0x4	/* MS_NODEV */
#define CR_MNT_NOEXEC		0x8	/* MS_NOEXEC */
#define CR_MNT_NOATIME		0x400	/* MS_NOATIME */
#define CR_MNT_NODIRATIME	0x800	/* MS_NODIRATIME */
#define CR_MNT_RELATIME		0x200000	/* MS_RELATIME */
#define CR_MNT_FLAGS		0x200c0f

#define CR_MAX_MOUNTS		1024
#define CR_MNT_FSTYPE_LEN	16

/**
 * struct cr_mount - one mount of the tree's mount namespace (NT_CR_MOUNTS)
 * @kind:	CR_MNT_*
 * @flags:	CR_MNT_* flags of the mount
 * @dev:	CR_MNT_HOST on a block device: the filesystem's device
 *		(new_encode_dev()); else 0
 * @path_len:	bytes of its path that follow, its terminating NUL included
 * @root_len:	CR_MNT_HOST and CR_MNT_BIND: bytes of its root in its
 *		filesystem that follow the path, NUL included; CR_MNT_DEVPTS:
 *		bytes of its mount options that follow the path ("mode=620,
 *		ptmxmode=666", letters, digits, '=' and ',' only), NUL
 *		included; else 0
 * @size:	CR_MNT_TMPFS: its size limit in bytes, 0 for none; else 0
 * @nr_inodes:	CR_MNT_TMPFS: its inode limit, 0 for none; else 0
 * @mode:	CR_MNT_TMPFS: the permission bits of its root; else 0
 * @uid:	CR_MNT_TMPFS: the owner of its root, in the tree's user
 *		namespace; else 0
 * @gid:	CR_MNT_TMPFS: the group of its root, likewise; else 0
 * @source:	CR_MNT_BIND: the index of the earlier mount, of the tree's
 *		own (not CR_MNT_HOST) and at its filesystem's root, whose
 *		filesystem it shows (a directory or file of it, at @root);
 *		else 0
 * @fstype:	its filesystem's type, NUL-terminated, zeroes after
 *
 * NT_CR_MOUNTS, in the root's image with CR_NS_MNT, holds one per mount
 * the root sees from its root directory, parents before their children
 * (the first is its root, path "/"), each padded with zeroes to 8 bytes.
 * The path (absolute, from the root's root directory) and the root are
 * NUL-terminated strings without "." or ".." components.
 */
struct cr_mount {
	__u32 kind;
	__u32 flags;
	__u32 dev;
	__u16 path_len;
	__u16 root_len;
	__u64 size;
	__u64 nr_inodes;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 source;
	char fstype[CR_MNT_FSTYPE_LEN];
};

#define CR_TMPFS_MAX_FILES	65536		/* files of the tree's tmpfs mounts in all */
#define CR_TMPFS_MAX_DATA	(32 << 20)	/* bytes of their contents in all */

/**
 * struct cr_tmpfs_file - a file of a tmpfs of the tree's own (NT_CR_TMPFS)
 * @mount:	the index in NT_CR_MOUNTS of its CR_MNT_TMPFS mount
 * @mode:	its type (S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, S_IFBLK or
 *		S_IFIFO) and permission bits
 * @uid:	its owner, in the tree's user namespace
 * @gid:	its group, likewise
 * @mtime_ns:	its modification time, in nanoseconds since the epoch
 * @size:	bytes of data after the path: a regular file's contents, a
 *		symbolic link's target (without NUL); 0 for a directory
 * @path_len:	bytes of its path that follow, NUL included: relative to
 *		the mount's root, without a leading '/', an empty, "." or
 *		".." component
 * @rdev:	a device node's device (new_encode_dev()); else 0
 *
 * NT_CR_TMPFS, in the root's image with NT_CR_MOUNTS, holds every file of
 * the tree's own tmpfs mounts, each directory before what it holds, each
 * entry padded with zeroes to 8 bytes.
 */
struct cr_tmpfs_file {
	__u32 mount;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__s64 mtime_ns;
	__u64 size;
	__u32 path_len;
	__u32 rdev;
};

#define CR_NET_SYSCTL_MAX	4096		/* entries of NT_CR_NET_SYSCTL */
#define CR_NET_SYSCTL_NAME_MAX	128		/* bytes of a name, NUL included */
#define CR_NET_SYSCTL_VALUE_MAX	4096		/* bytes of a value, NUL included */

/**
 * struct cr_net_sysctl - a sysctl of the tree's network namespace (NT_CR_NET_SYSCTL)
 * @name_len:	bytes of its name that follow, NUL included: its path
 *		under /proc/sys/net/ ("ipv4/ip_forward"), relative, without
 *		an empty, "." or ".." component
 * @value_len:	bytes of its value after the name, NUL included: the text
 *		a read of the file gave, without a NUL before the last byte
 * @__pad:	zero
 *
 * NT_CR_NET_SYSCTL, in the root's image with CR_NS_NET, holds every
 * sysctl of the namespace that the tree's root could read and that is
 * writable in it (the per-namespace ones: the others are read-only in a
 * namespace other than the initial one), in the order /proc/sys lists
 * them, each entry padded with zeroes to 8 bytes. The restore writes
 * each whose value differs in the new namespace, in that order.
 */
struct cr_net_sysctl {
	__u16 name_len;
	__u16 value_len;
	__u32 __pad;
};

#define CR_NET_LINKS_MAX	256		/* entries of NT_CR_NET_LINKS */
#define CR_NET_LINK_VETH	1		/* struct cr_net_link.kind: a veth pair */
#define CR_NET_LINK_PEER_IN	0x1		/* its other end is in the namespace too */
#define CR_NET_LINK_WHERE	0x1		/* struct cr_net_link.where: its bits */
/* struct cr_net_link.flags and .peer_flags: IFF_* that are saved */
#define CR_NET_LINK_IFF		(0x1 | 0x80 | 0x100 | 0x200 | 0x1000) /* UP NOARP PROMISC ALLMULTI MULTICAST */
#define CR_NET_ADDR_MAX		32		/* MAX_ADDR_LEN: bytes of a link address */
#define CR_NET_IFNAMSIZ		16		/* IFNAMSIZ */

/**
 * struct cr_net_link - a device of the tree's network namespace (NT_CR_NET_LINKS)
 * @kind:	CR_NET_LINK_VETH, the only kind saved besides lo
 * @ifindex:	its index in the namespace, above 1 (lo's)
 * @flags:	its IFF_* flags among CR_NET_LINK_IFF
 * @mtu:	its MTU
 * @txqlen:	its transmit queue length
 * @num_tx_queues: its transmit queues, 1 to 4096 (the other end's too)
 * @num_rx_queues: its receive queues, 1 to 4096 (the other end's too)
 * @addr_len:	bytes of @addr, its link-layer (MAC) address, at most
 *		CR_NET_ADDR_MAX; the rest of @addr is zero
 * @peer_addr_len: bytes of @peer_addr, likewise
 * @where:	CR_NET_LINK_PEER_IN when the other end of the pair is a
 *		device of the namespace too (then @peer_ifindex is its index);
 *		else that end was outside (in the caller's namespace, or
 *		another), and the restore makes it in the caller's
 * @__pad:	zero
 * @peer_ifindex: with CR_NET_LINK_PEER_IN, the other end's index, above
 *		1 and not @ifindex; else 0
 * @peer_flags:	the other end's IFF_* flags among CR_NET_LINK_IFF
 * @peer_mtu:	the other end's MTU
 * @peer_txqlen: the other end's transmit queue length
 * @name:	its name, NUL-terminated, a valid device name
 * @peer_name:	the other end's name, likewise
 * @peer_master: outside: the name of the device the other end was a port
 *		of (a bridge), or empty; inside: empty
 * @addr:	its link-layer address
 * @peer_addr:	the other end's
 *
 * NT_CR_NET_LINKS, in the root's image with CR_NS_NET, holds one entry
 * per veth pair with an end in the namespace (a pair with both ends in
 * it once, from the end of the lower index), in increasing @ifindex.
 * The restore makes each pair in the new namespace with these indexes,
 * names, addresses and MTUs, moves an outside end into the caller's
 * namespace (its name must be free there, after up to 5 s for the end of
 * a namespace that is going away), makes it a port of @peer_master if
 * the caller has a device of that name, then sets the flags.
 */
struct cr_net_link {
	__u32 kind;
	__s32 ifindex;
	__u32 flags;
	__u32 mtu;
	__u32 txqlen;
	__u16 num_tx_queues;
	__u16 num_rx_queues;
	__u8 addr_len;
	__u8 peer_addr_len;
	__u8 where;
	__u8 __pad[5];
	__s32 peer_ifindex;
	__u32 peer_flags;
	__u32 peer_mtu;
	__u32 peer_txqlen;
	char name[CR_NET_IFNAMSIZ];
	char peer_name[CR_NET_IFNAMSIZ];
	char peer_master[CR_NET_IFNAMSIZ];
	__u8 addr[CR_NET_ADDR_MAX];
	__u8 peer_addr[CR_NET_ADDR_MAX];
};

#define CR_NET_RTNL_MAX		65536		/* messages of NT_CR_NET_RTNL */
#define CR_NET_RTNL_SIZE	(16 << 20)	/* bytes of NT_CR_NET_RTNL */

/*
 * NT_CR_NET_RTNL, in the root's image with CR_NS_NET: the addresses,
 * routing rules, routes and permanent neighbour entries of the namespace
 * that the kernel did not make itself, as rtnetlink messages
 * (<linux/rtnetlink.h>): each a struct nlmsghdr of type RTM_NEWADDR,
 * RTM_NEWRULE, RTM_NEWROUTE or RTM_NEWNEIGH and the body a dump of the
 * namespace gave (what "ip address save", "ip route save" write), padded
 * to NLMSG_ALIGNTO, with no bytes left over. In the order the restore
 * sends them, after the devices are made and up: addresses, rules,
 * routes, neighbours. The restore sends each to the new namespace as the
 * exec caller's own request, which the kernel checks as it would the
 * same message from "ip" (the header's flags, sequence and port are set
 * by the restore); a message it refuses with ENETUNREACH, ESRCH or
 * EINVAL is sent again after the others, once.
 */

/**
 * struct cr_hdr_tree - NT_CR_TREE: the processes of the image
 * @nr_procs:	entries of struct cr_proc following this header: the root
 *		first (the image's own process), then its descendants in
 *		depth-first order, each after its parent, children in the
 *		order they were created
 * @__pad:	zero
 *
 * In the root image only; the images of the other processes carry no tree.
 */
struct cr_hdr_tree {
	__u32 nr_procs;
	__u32 __pad;
};

#endif /* _UAPI_LINUX_CR_H */
