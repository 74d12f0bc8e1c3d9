/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: the rules an image must follow, written once.
 *
 * Each rule is a pure function over the bytes of an image (its program
 * headers, notes and their fields): no lock, no allocation, no task
 * state. It returns 0, or a negative errno after one cr_refuse() line
 * that says why. The kernel's restore side (kernel/cr, arch/x86/cr)
 * calls them in its prepare steps before anything that depends on the
 * restoring system (files to open, this CPU's XSAVE layout, ids,
 * sysctls); tools/crcore compiles the same files (kernel/cr/rules.c,
 * arch/x86/cr/rules.c) against its own <linux/cr_rules_env.h>, so that
 * "crcore check" applies the kernel's rules, not a copy of them.
 *
 * <linux/cr_rules_env.h> gives the rules their world: the integer
 * types, PAGE_SIZE, TASK_SIZE_MAX, PID_MAX_LIMIT, struct cr_note, the
 * ELF types, struct user_regs_struct and cr_refuse(). The kernel's is
 * include/linux/cr_rules_env.h; crcore's is
 * tools/crcore/include/linux/cr_rules_env.h. A rule may use nothing
 * else (see Documentation/cr/design.rst, "Where the rules live").
 */
#ifndef _LINUX_CR_RULES_H
#define _LINUX_CR_RULES_H

#include <linux/cr_rules_env.h>

#define CR_NOTE_ALIGN	4	/* notes are aligned as binfmt_elf writes them */

/* The ELF container (kernel/cr/rules.c) */
int cr_rule_phdrs(const char *name, u64 size, u64 phoff, unsigned int phnum);
int cr_rule_segments(const char *name, const struct elf64_phdr *phdrs,
		     unsigned int phnum, u64 size, bool nested);
int cr_rule_notes(const char *name, const void *buf, size_t len,
		  struct cr_note *out, unsigned int *count);
int cr_rule_header(const char *name, const struct cr_note *note,
		   unsigned int nr_notes, struct cr_hdr_image *h);

/* The tree (kernel/cr/rules.c) */
int cr_rule_tree_note(const char *name, const struct cr_note *note, u32 *nr);
int cr_rule_tree(const char *name, const struct cr_proc *procs, unsigned int nr,
		 const struct elf64_phdr *phdrs, unsigned int phnum,
		 const struct cr_hdr_image *h);
bool cr_rule_tree_ghost(const struct cr_proc *procs, unsigned int nr, s32 id);
bool cr_rule_tree_led(const struct cr_proc *procs, unsigned int nr, unsigned int i);
bool cr_rule_tree_joinable(const struct cr_proc *procs, unsigned int nr, unsigned int i);
bool cr_rule_tree_session(const struct cr_proc *procs, unsigned int nr, s32 sid,
			  s32 pgrp);

/* Threads and signals (kernel/cr/rules.c) */

/* A thread's first note: the core file's NT_PRSTATUS. */
static inline bool cr_note_prstatus(const struct cr_note *note)
{
	return !note->ours && note->type == NT_PRSTATUS && !strcmp(note->owner, "CORE");
}

int cr_rule_threads(const char *name, const struct cr_note *notes, unsigned int nr_notes,
		    const struct cr_proc *proc, const struct cr_hdr_image *h, bool nested,
		    unsigned int *nr);
int cr_rule_prpsinfo(const char *name, const struct cr_note *note);
bool cr_rule_sleep_clock(s32 id);
int cr_rule_thread(const char *name, unsigned int n, const struct cr_note *thn,
		   struct cr_hdr_thread *th);
int cr_rule_sigpending(const char *name, unsigned int n, const struct cr_note *pn,
		       bool main);
int cr_rule_seccomp(const char *name, unsigned int n, const struct cr_note *sn);
int cr_rule_sighand(const char *name, const struct cr_note *note,
		    struct cr_sigaction *sa);

/* Memory (kernel/cr/rules.c) */
int cr_rule_mm(const char *name, const struct cr_note *note,
	       const struct elf64_phdr *phdrs, unsigned int phnum, struct cr_hdr_mm *mm);
int cr_rule_nt_file(const char *name, const struct cr_note *note, unsigned int nr_vmas,
		    u64 *count, const char **paths);
int cr_rule_sem_undo(const char *name, const struct cr_note *note, unsigned int *nr);
int cr_rule_sysv_sem(const char *name, const struct cr_note *note, unsigned int *nr);
int cr_rule_ns(const char *name, const struct cr_note *note, struct cr_hdr_ns *h);
int cr_rule_userns(const char *name, const struct cr_note *note, struct cr_hdr_userns *h,
		   const void **ext);
int cr_rule_mounts(const char *name, const struct cr_note *note, unsigned int *nr);
int cr_rule_tmpfs(const char *name, const struct cr_note *note, unsigned int nr_mounts);
void cr_tmpfs_at(const void *p, u64 *off, struct cr_tmpfs_file *e, const char **path,
		 const char **data);
void cr_mount_at(const void *p, u64 *off, struct cr_mount *e, const char **path,
		 const char **root);
int cr_rule_net_sysctl(const char *name, const struct cr_note *note, unsigned int *nr);
void cr_net_sysctl_at(const void *p, u64 *off, const char **name, const char **value);
int cr_rule_net_links(const char *name, const struct cr_note *note, unsigned int *nr);
int cr_rule_net_rtnl(const char *name, const struct cr_note *note, unsigned int *nr);
int cr_rule_sysv_msg(const char *name, const struct cr_note *note, unsigned int *nr);
int cr_rule_sock_devs(const char *name, const struct cr_note *note, const void *fds,
		      unsigned int nr_fds);
int cr_rule_sock_opts(const char *name, const struct cr_note *note, const void *fds,
		      unsigned int nr_fds);
int cr_rule_sock_filters(const char *name, const struct cr_note *note, const void *fds,
			 u32 nr_fds, u32 *nr);
int cr_rule_aio(const char *name, const struct cr_note *note, const struct cr_vma *vma,
		unsigned int nr_vmas, unsigned int *nr);
int cr_rule_sysv_shm(const char *name, const struct cr_note *note, const struct cr_vma *vma,
		     unsigned int nr_vmas, unsigned int *nr);
int cr_rule_vmas(const char *name, const struct cr_note *note,
		 const struct elf64_phdr *phdrs, unsigned int nr_vmas, u64 nr_files,
		 struct cr_vma *vma);
int cr_rule_pages(const char *name, const struct cr_note *note,
		  const struct elf64_phdr *phdrs, const struct cr_vma *vma,
		  unsigned int nr_vmas);
bool cr_runs_meet(const void *runs, u64 nr, u64 start, u64 end);
int cr_rule_pruns(const char *name, const struct cr_note *note, bool nested,
		  const struct cr_note *pages, const struct cr_vma *vma, unsigned int nr_vmas);
int cr_rule_mm_fields(const char *name, const struct cr_hdr_mm *mm,
		      const struct cr_vma *vma, unsigned int nr_vmas);
int cr_rule_vdso(const char *name, const struct cr_hdr_mm *mm, const struct cr_vma *vma,
		 unsigned int nr_vmas, const struct cr_vma **vdso, const struct cr_vma **vvar);

/* Process attributes and timers (kernel/cr/rules.c) */
int cr_rule_process(const char *name, const struct cr_note *note,
		    struct cr_hdr_process *h, const char **cwd);
int cr_rule_creds(const char *name, const struct cr_note *note, struct cr_hdr_creds *h,
		  const u32 **groups);
int cr_rule_thread_dispatch(const char *name, unsigned int n, const struct cr_note *note,
			    struct cr_dispatch *sd);
int cr_rule_thread_creds(const char *name, unsigned int n, const struct cr_note *note,
			 struct cr_thread_ids *id, struct cr_hdr_creds *h, const u32 **groups);
int cr_rule_itimers(const char *name, const struct cr_note *note, struct cr_itimer *it);
int cr_rule_posix_timers(const char *name, const struct cr_note *note, u32 *nr);
bool cr_rule_timer_clock(s32 clock);

/* Descriptors, pipes, socket pairs, pty pairs (kernel/cr/rules_files.c) */

/*
 * What an open file of the tree is, as the descriptors that name it must
 * find it. The restore makes the tree's open files once each, by id
 * (struct cr_fd.file_id): the ends of the pipes, of the socket pairs, of
 * the pty pairs, then each file a descriptor opens by path. Each side
 * keeps the class the rules gave each file it made (the kernel in struct
 * cr_tree, crcore in check.c), and the rules judge a descriptor by it.
 * The ends of pipes and pty pairs come by access mode: CR_FILE_PIPE +
 * (flags & O_ACCMODE).
 */
enum cr_file_class {
	CR_FILE_NONE,			/* no open file of that id yet */
	CR_FILE_REG,			/* CR_FD_FILE, CR_FD_UNLINKED */
	CR_FILE_DIR,
	CR_FILE_CHR,
	CR_FILE_PIPE,			/* + O_RDONLY, O_WRONLY, O_RDWR */
	CR_FILE_SOCK = CR_FILE_PIPE + 3,
	CR_FILE_TTY,			/* + O_RDONLY, O_WRONLY, O_RDWR */
	CR_FILE_EVENTFD = CR_FILE_TTY + 3,
	CR_FILE_SIGNALFD,
	CR_FILE_TIMERFD,
	CR_FILE_EPOLL,
	CR_FILE_MEMFD,
	CR_FILE_INET,
	CR_FILE_UNIX,
	CR_FILE_INOTIFY,
	CR_FILE_MQUEUE,
	CR_FILE_NETLINK,
	CR_FILE_PACKET,
	CR_FILE_PIDFD,
	CR_FILE_FANOTIFY,
	CR_FILE_CLASSES,
};

const char *cr_rule_string(const char *data, u64 data_len, u32 off, u32 len);
int cr_rule_files(const char *name, const struct cr_note *note, u32 *nr_fds);
int cr_rule_fd(const char *name, unsigned int i, const struct cr_fd *e,
	       const struct cr_fd *prev, const char *data, u64 data_len);
int cr_rule_fd_file(const char *name, const struct cr_fd *e, enum cr_file_class have,
		    const char *data, u64 data_len, enum cr_file_class *made);
int cr_rule_event(const char *name, const struct cr_fd *e, const char *data, u64 data_len);
int cr_rule_memfd(const char *name, const struct cr_fd *e, const char *data, u64 data_len);
int cr_rule_mqueue(const char *name, const struct cr_fd *e, const char *data, u64 data_len);
int cr_rule_netlink(const char *name, const struct cr_fd *e, const char *data, u64 data_len);
int cr_rule_pidfd(const char *name, const struct cr_fd *e, const char *data, u64 data_len);
int cr_rule_inet(const char *name, const struct cr_fd *e, const char *data, u64 data_len);
int cr_rule_packet(const char *name, const struct cr_fd *e, const char *data, u64 data_len);
int cr_rule_unix(const char *name, const struct cr_fd *e, const char *data, u64 data_len);
int cr_rule_fowns(const char *name, const struct cr_note *note, const void *fds, u32 nr_fds,
		  u32 *nr);
int cr_rule_locks(const char *name, const struct cr_note *note, const void *fds,
		  u32 nr_fds, u32 *nr);
int cr_rule_epoll_targets(const char *name, const struct cr_fd *e, const void *fds,
			  u32 nr_fds, const char *data);
int cr_rule_pipes(const char *name, const struct cr_note *note, struct cr_hdr_pipes *h);
int cr_rule_sockets(const char *name, const struct cr_note *note,
		    struct cr_hdr_sockets *h);
int cr_rule_ttys(const char *name, const struct cr_note *note, const struct cr_proc *procs,
		 unsigned int nr_procs, struct cr_hdr_ttys *h);
u64 cr_tty_data_size(const struct cr_tty_data *e);
int cr_rule_tty_data(const char *name, const struct cr_note *note, u32 nr_ttys,
		     unsigned int *nr);

/* x86-64 (arch/x86/cr/rules.c) */

/* The flags a user task may set (as ptrace allows), besides IF. */
#define CR_X86_USER_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF |	\
				 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF |	\
				 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_RF |	\
				 X86_EFLAGS_AC | X86_EFLAGS_NT)

int cr_arch_rule_machine(const char *name, u16 e_machine, const struct cr_hdr_image *h);
int cr_arch_rule_prstatus(const char *name, unsigned int n, const struct cr_note *st,
			  struct user_regs_struct *regs);
int cr_arch_rule_regs(const char *name, unsigned int n,
		      const struct user_regs_struct *regs);
int cr_arch_rule_xstate(const char *name, unsigned int n, const struct cr_note *note);

#endif /* _LINUX_CR_RULES_H */
