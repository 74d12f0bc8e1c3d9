/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: interfaces between binfmt_cr, kernel/cr and the
 * architecture code in arch/<arch>/cr.
 */
#ifndef _LINUX_CR_H
#define _LINUX_CR_H

#include <linux/coredump.h>
#include <linux/elf.h>
#include <linux/path.h>
#include <linux/printk.h>
#include <linux/types.h>
#include <uapi/linux/cr.h>

struct file;
struct linux_binprm;
struct task_struct;
struct user_regs_struct;
struct cr_restore;
struct cr_tree;
struct cr_freeze;
struct cr_objs;
struct cr_obj;

/*
 * One rate-limited line saying why an image (or, at checkpoint, a
 * process) was refused. Every refusal goes through here, so that a user
 * reading dmesg sees the reason for an errno.
 */
#define cr_refuse(name, fmt, ...)					\
	pr_warn_ratelimited("cr: %s: " fmt "\n", (name), ##__VA_ARGS__)

/* One note of an image, pointing into cr_image.notes. */
struct cr_note {
	u32 type;
	u32 size;
	bool ours;		/* owner is CR_NOTE_NAME */
	const char *owner;	/* its owner's name, terminated, or "" */
	const void *desc;
};

/*
 * An image opened for restore: everything is read and bounds-checked
 * by cr_image_open(), before the point of no return of exec.
 */
struct cr_image {
	const char *name;	/* for messages: the exec'd path */
	struct file *file;
	loff_t size;
	struct elfhdr ehdr;
	struct elf_phdr *phdrs;
	unsigned int phnum;
	void *notes;		/* PT_NOTE segment, as read */
	struct cr_note *note;	/* parsed notes, in file order */
	unsigned int nr_notes;
	struct cr_hdr_image hdr;	/* copy of the NT_CR_HEADER note */
	loff_t base;		/* where it starts in the file (a tree's segment) */
	u64 *budget;		/* a tree's: bytes of notes left (CR_MAX_IMAGE_NOTES) */
};

int cr_image_open(struct cr_image *img, struct linux_binprm *bprm);
int cr_image_open_at(struct cr_image *img, struct file *file, const char *name,
		     loff_t base, loff_t size, u64 *budget);
void cr_image_close(struct cr_image *img);
const struct cr_note *cr_image_find_note(const struct cr_image *img,
					 bool ours, u32 type);

/* Another process's image, written as one PT_CR_PROCESS segment. */
struct cr_dump_segment {
	loff_t offset;
	loff_t size;
};

/* A mapping to be written as one PT_LOAD segment. */
struct cr_dump_vma {
	unsigned long start;
	unsigned long end;
	unsigned long flags;		/* vm_flags */
	unsigned long pgoff;
	unsigned long dump_size;	/* p_filesz: 0, or the whole mapping */
	struct file *file;		/* CR_VMA_FILE, shared memory: a reference */
	unsigned int kind;		/* CR_VMA_* */
	unsigned int file_idx;		/* index in NT_FILE */
	u32 shm;			/* shared memory object id, or 0 */
};

/*
 * An image being written, by the task being checkpointed: notes are
 * collected in memory first, then cr_dump_write() lays out the ELF file
 * and streams the memory through the core dumper's helpers.
 */
/* A range of memory locked by mlock(): a snapshot has no lock (fork). */
struct cr_dump_mlocked {
	unsigned long start;
	unsigned long end;
	u32 flags;			/* CR_VMA_LOCKED, CR_VMA_LOCKONFAULT */
};

struct cr_dump {
	struct coredump_params cprm;
	struct cr_objs *objs;		/* the checkpoint's shared objects */
	struct cr_freeze *freeze;	/* while the tree is frozen, else NULL */
	struct path root;		/* the process's root, for paths */
	struct path own_root;		/* a descendant's own, when not the tree's (process.c) */
	const kernel_siginfo_t *siginfo;
	void *notes;
	size_t notes_len;
	size_t notes_cap;
	unsigned int nr_notes;
	struct cr_dump_vma *vma;
	unsigned int nr_vmas;
	/* the ranges locked in the process's own memory (mlock), sorted */
	struct cr_dump_mlocked *mlocked;
	unsigned int nr_mlocked;
	/* the memory: the process's own, or a snapshot (checkpoint.c) */
	struct mm_struct *mm;
	bool snapshot;
	/* asked by a requester that may read non-dumpable processes */
	bool privileged;
	/* exit mode: TCP sockets are quiesced at the checkpoint (inet.c) */
	bool quiesce;
	/* the tree's root: it saves the files in flight (files.c) */
	bool is_root;
	struct cr_page_run *runs;	/* pages stored, sorted */
	size_t nr_runs;
	size_t runs_cap;
	struct page **pages;		/* the pages of the runs, held */
	size_t nr_pages;
	size_t pages_cap;
	/* a descendant: its parent's image, and pages it shares with it */
	struct cr_dump *parent;
	struct mm_struct *parent_mm;
	struct cr_page_run *pruns;	/* sorted */
	size_t nr_pruns;
	size_t pruns_cap;
	/* the root of a tree: the other processes' images */
	struct cr_dump_segment *seg;
	unsigned int nr_segs;
	size_t tree_note;		/* the root: NT_CR_TREE in its notes */
	/* a descendant of the root: where its image starts in the file */
	loff_t base;
};

int cr_dump_note(struct cr_dump *d, const char *owner, u32 type,
		 const void *desc, size_t size);
void *cr_dump_note_desc(struct cr_dump *d, size_t off);
loff_t cr_dump_size(const struct cr_dump *d);
u64 cr_dump_notes_cost(const struct cr_dump *d);
int cr_dump_write(struct cr_dump *d);
int cr_dump_seek(struct cr_dump *d);
void cr_dump_free(struct cr_dump *d);

/* A note's contents as they are collected (cr_buf_room()). */
struct cr_buf {
	u8 *buf;
	size_t len, size;
};

u8 *cr_buf_room(struct cr_buf *b, size_t len);

/* The names in a directory, but "." and "..", read before any is looked up. */
struct cr_dir_names {
	struct dir_context ctx;
	char **name;
	unsigned int nr, max;
	int err;
};

int cr_read_dir(struct file *dir, struct cr_dir_names *n);
void cr_dir_names_free(struct cr_dir_names *n);

/* Pages a descendant shares with its parent: where the data is. */
struct cr_page_src {
	u64 start;
	u64 nr_pages;
	loff_t pos;			/* in the image file */
};

/* One thread to restore: its notes, checked and copied. */
struct cr_restore_thread {
	struct user_regs_struct regs;
	const void *xstate;		/* NT_X86_XSTATE descriptor */
	unsigned int xstate_size;
	struct cr_hdr_thread th;
	struct cr_sigpending *pending;	/* NT_CR_SIGPENDING, copied */
	unsigned int nr_pending;
	const struct cred *creds;	/* its process's, to take last; NULL: keep */
	const struct cr_note *creds_note;	/* NT_CR_THREAD_CREDS: its own, or NULL */
	bool own_creds;			/* @creds are its own: put with the plan */
	struct cr_seccomp *seccomp;	/* its mode and filters, or NULL */
	struct cr_dispatch dispatch;	/* NT_CR_THREAD_DISPATCH; selector 0, len 0: off */
	bool has_dispatch;
	bool stopped;			/* its process was stopped by job control... */
	bool stop_notify;		/* ...its parent is told (the root's is new) */
	int stop_code;			/* ...with this signal for wait(WUNTRACED) */
};

/*
 * A restore in progress: the image, its notes parsed into the state to
 * restore (copied, so aligned and stable), and the files it needs, opened.
 * Everything in here is checked by the *_prepare() functions before the
 * point of no return of exec; the others apply it after.
 */
struct cr_closing;

struct cr_restore {
	struct cr_image *img;
	unsigned long unmap_start;	/* what goes before the image's memory */
	unsigned long unmap_end;
	/* the process in its tree; tree.c, which creates all but the root */
	struct cr_tree *tree;
	unsigned int tree_idx;
	const struct cr_proc *proc;
	/* memory */
	struct cr_hdr_mm mm;
	struct cr_vma *vma;
	unsigned int nr_vmas;
	struct nsproxy *new_ns;		/* the root's namespaces to enter (kernel/cr/ns.c) */
	struct cred *ids_cred;		/* the tree's user namespace's, or NULL (userns.c) */
	struct fs_struct *new_fs;	/* the root's root and cwd in its mount namespace */
	bool mnt_userns;		/* ...owned by the tree's user namespace already */
	bool mnt_pivot;			/* ...to pivot into its root of its own, last */
	char **mnt_src;			/* host mounts inside its own: their sources */
	bool timens;			/* ...a time namespace among them */
	bool pidns_own;			/* ...its pid namespace to be its user namespace's */
	struct cr_sysv_shm *sysv;	/* NT_CR_SYSV_SHM, checked */
	unsigned int nr_sysv;
	u8 *sem_undo;			/* NT_CR_SEM_UNDO, checked, or NULL */
	size_t sem_undo_len;
	u8 *aio;			/* NT_CR_AIO, checked, or NULL */
	size_t aio_len;
	struct cr_page_run *run;
	unsigned int nr_runs;
	struct cr_page_run *prun;	/* NT_CR_PARENT_PAGES */
	unsigned int nr_pruns;
	struct cr_page_src *psrc;	/* ...where their data is in the file */
	unsigned int nr_psrc;
	struct file **file;		/* NT_FILE entries in use, opened */
	const char **file_name;
	unsigned int nr_files;
	/* threads, in image order; @main is the one exec turns into */
	struct cr_restore_thread *thread;
	unsigned int nr_threads;
	unsigned int main;
	bool orig_tids;			/* threads get their image tids */
	bool needs_ids;			/* refused: the caller cannot give the ids */
	bool secureexec;		/* a setuid or file-capability exec */
	int exec_dumpable;		/* what begin_new_exec() made it */
	char comm[16];			/* TASK_COMM_LEN, from NT_PRPSINFO */
	/* process */
	struct cr_sigaction sigaction[CR_NSIG];
	struct cr_hdr_process process;
	struct cr_itimer itimer[CR_NR_ITIMERS];	/* NT_CR_ITIMERS */
	struct cr_posix_timer *ptimer;		/* NT_CR_POSIX_TIMERS */
	unsigned int nr_ptimers;
	struct path cwd;
	struct path old_root;		/* the caller's, while in the image's chroot */
	struct path fs_root;		/* a descendant's root directory (process.c) */
	bool root_kept;
	struct cr_fd *fd;		/* descriptor table, by number */
	struct file **fd_file;		/* its files, reopened */
	unsigned long *fd_arm;		/* its timerfds made disarmed here */
	struct cr_pidfd_watch *pidfd_watch;	/* epoll targets made late */
	unsigned int nr_pidfd_watches;
	struct cr_pidfd_event *pidfd_event;	/* fanotify events' pids, set late */
	unsigned int nr_pidfd_events;
	unsigned int nr_fds;
	const char *fd_data;		/* NT_CR_FILES data area */
	size_t fd_data_len;
	struct cr_lock *lock;		/* NT_CR_LOCKS */
	unsigned int nr_locks;
	struct cr_fown *fown;		/* NT_CR_FOWNERS */
	unsigned int nr_fowns;
	u8 *sfilter;			/* NT_CR_SOCK_FILTERS, checked, or NULL */
	size_t sfilter_len;
	struct cr_closing *closing;	/* the caller's descriptors, closed last */
	struct cred *creds;		/* NT_CR_CREDS, from the caller's */
};

#define CR_SNAPSHOT_SHM_MAX (64 << 20) /* shared memory a snapshot copies */
#define CR_GUP_BATCH	64	/* pages looked up at a time at checkpoint */
#define CR_COPY_CHUNK	(256 << 10)	/* bytes copied at a time at restore */

/* Per kind of state: kernel/cr/<kind>.c, checkpoint and restore. */
int cr_dump_task(struct cr_dump *d, struct task_struct *t, bool first);
int cr_restore_task_prepare(struct cr_restore *r);
int cr_restore_task(struct cr_restore *r);
void cr_restore_task_free(struct cr_restore *r);

bool cr_dump_mm_snapshot_ok(struct mm_struct *mm);
int cr_dump_mm_locked(struct cr_dump *d, struct mm_struct *mm);
int cr_dump_shm_copy(struct cr_dump *d);
/* kernel/fork.c: a copy-on-write copy of @oldmm; no task uses it if @tsk is NULL */
struct mm_struct *dup_mm(struct task_struct *tsk, struct mm_struct *oldmm);
int cr_dump_mm(struct cr_dump *d);
int cr_dump_mm_pages(struct cr_dump *d);
void cr_dump_mm_free(struct cr_dump *d);
int cr_restore_mm_prepare(struct cr_restore *r);
int cr_restore_mm(struct cr_restore *r);
int cr_restore_mm_lock_prepare(struct cr_restore *r);
int cr_restore_mm_lock(struct cr_restore *r);
int cr_restore_parent_pages_prepare(struct cr_restore *r, struct cr_restore *parent);
void cr_restore_mm_free(struct cr_restore *r);

int cr_dump_process(struct cr_dump *d);
int cr_dump_thread_creds(struct cr_dump *d, struct task_struct *t);
int cr_dump_creds(struct cr_dump *d);
int cr_restore_creds_prepare(struct cr_restore *r);
void cr_restore_creds_free(struct cr_restore *r);
int cr_restore_creds(const struct cred *c);
int cr_dump_timers(struct cr_dump *d);
int cr_restore_timers_prepare(struct cr_restore *r);
void cr_restore_timers_free(struct cr_restore *r);
int cr_restore_posix_timers(const struct cr_posix_timer *t, unsigned int nr,
			    pid_t (*tid)(void *arg, pid_t tid), void *arg);
void cr_restore_timers(struct cr_restore *r);
int cr_restore_process_prepare(struct cr_restore *r);
int cr_restore_process(struct cr_restore *r);
int cr_dump_thread_attrs(struct cr_hdr_thread *th, struct task_struct *t);
int cr_dump_thread_dispatch(struct cr_dump *d, struct task_struct *t);
int cr_restore_thread_attrs_prepare(struct cr_restore *r, struct cr_restore_thread *t);
int cr_restore_thread_attrs(const struct cr_restore_thread *t);

bool cr_is_pidfd(struct file *file);
bool cr_pid_in_tree(struct cr_freeze *f, struct pid *pid);
int cr_dump_pidfd(struct cr_freeze *f, struct file *file, int fd, struct cr_pidfd *s);
int cr_restore_pidfd_event(struct cr_restore *r, struct file *file, unsigned int index,
			   pid_t pid);
int cr_restore_pidfd_check(struct cr_restore *r, const struct cr_fd *e);
int cr_restore_pidfd_watch(struct cr_restore *r, struct file *ep, int fd, u32 events,
			   u64 data);
void cr_restore_pidfds_free(struct cr_restore *r);
struct cr_pidfd_plan;
struct cr_pidfd_plan *cr_restore_pidfds_plan(struct cr_restore *r);
void cr_restore_pidfds_plan_free(struct cr_pidfd_plan *p);
int cr_restore_pidfds(struct cr_pidfd_plan *p, struct cr_tree *t,
		      pid_t (*tid)(void *arg, pid_t tid), void *arg);

bool cr_is_memfd(struct file *file);
int cr_dump_memfd(struct cr_objs *o, struct file *file, int fd, struct cr_memfd *m);
int cr_dump_memfd_read(struct file *file, void *buf, size_t len);
struct file *cr_restore_memfd(struct cr_restore *r, const struct cr_fd *e);
int cr_restore_memfd_seal(struct file *file, u32 seals);

int cr_dump_sched(struct cr_sched *s, struct task_struct *t);
int cr_restore_sched_prepare(struct cr_restore *r);
int cr_restore_sched(const struct cr_sched *s);
int cr_restore_root_prepare(struct cr_restore *r);
int cr_restore_fs_root_prepare(struct cr_restore *root, struct cr_restore *r);
void cr_restore_process_free(struct cr_restore *r);

int cr_dump_files_scan(struct cr_objs *o, struct cr_freeze *f);
int cr_dump_files(struct cr_dump *d);
int cr_dump_pipes(struct cr_dump *d);
int cr_restore_pipes_prepare(struct cr_restore *r);

/* kernel/cr/sockopt.c: socket options of the socket kinds. */
struct socket;
u64 cr_sock_timeo_us(long timeo);
int cr_setsockopt(struct socket *sock, int level, int name, const void *val, unsigned int len);
int cr_setsockopt_int(struct socket *sock, int level, int name, int val);

/*
 * CR_SOCKOPT - set one option again, when @cond holds and nothing failed
 * yet: @ret gets the result of @call, *@what the option's @name for the
 * message of a failure.
 */
#define CR_SOCKOPT(ret, what, cond, call, name)			\
	do {							\
		if (!(ret) && (cond)) {				\
			(ret) = (call);				\
			*(what) = (name);			\
		}						\
	} while (0)
int cr_sock_set_timeo(struct socket *sock, int name, u64 us);
struct sock;
bool cr_sock_dev_name(struct sock *sk, int ifindex, char *name);
bool cr_sock_dev_is(struct sock *sk, int ifindex, const char *name);

struct cr_sock_filters {
	u8 *buf;
	size_t len, cap;
};

#ifdef CONFIG_NET
int cr_dump_sock_filter(struct cr_sock_filters *l, struct file *file, int fd);
int cr_dump_sock_filters_note(struct cr_dump *d, struct cr_sock_filters *l);
int cr_restore_sock_filters_prepare(struct cr_restore *r);
int cr_restore_sock_filters(const u8 *buf, size_t len);
#else
static inline int cr_dump_sock_filter(struct cr_sock_filters *l, struct file *file, int fd)
{
	return 0;
}

static inline int cr_dump_sock_filters_note(struct cr_dump *d, struct cr_sock_filters *l)
{
	return 0;
}

static inline int cr_restore_sock_filters_prepare(struct cr_restore *r)
{
	return 0;
}

static inline int cr_restore_sock_filters(const u8 *buf, size_t len)
{
	return 0;
}
#endif

/* kernel/cr/inet.c: TCP and UDP sockets. */
struct cr_sock_opts_buf {
	struct cr_sock_opts *o;
	unsigned int nr, cap;
	struct cr_sock_dev *dev;	/* NT_CR_SOCK_DEVS */
	unsigned int nr_dev, cap_dev;
};

#if IS_ENABLED(CONFIG_INET)
extern int cr_tcp_hold_seconds;
int cr_dump_sock_opts(struct cr_sock_opts_buf *l, struct file *file, int fd);
int cr_dump_sock_opts_note(struct cr_dump *d, struct cr_sock_opts_buf *l);
bool cr_is_inet(struct file *file);
int cr_dump_inet(struct cr_dump *d, struct cr_obj *obj, int fd, void **out, size_t *len);
void cr_inet_unquiesce(struct cr_obj *obj);
void cr_inet_hold(struct cr_objs *o);
int cr_restore_inet_may(struct cr_restore *r, const struct cr_fd *e);
struct file *cr_restore_inet(struct cr_restore *r, const struct cr_fd *e);
void cr_restore_inet_finish(struct cr_restore *r, const struct cr_fd *e, struct file *file);
#else
static inline bool cr_is_inet(struct file *file)
{
	return false;
}

static inline int cr_dump_inet(struct cr_dump *d, struct cr_obj *obj, int fd, void **out,
			       size_t *len)
{
	return -EOPNOTSUPP;
}

static inline void cr_inet_unquiesce(struct cr_obj *obj)
{
}

static inline void cr_inet_hold(struct cr_objs *o)
{
}

static inline int cr_restore_inet_may(struct cr_restore *r, const struct cr_fd *e)
{
	return 0;
}

static inline struct file *cr_restore_inet(struct cr_restore *r, const struct cr_fd *e)
{
	cr_refuse(r->img->name, "TCP and UDP sockets need CONFIG_INET");
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int cr_dump_sock_opts(struct cr_sock_opts_buf *l, struct file *file, int fd)
{
	return 0;
}

static inline int cr_dump_sock_opts_note(struct cr_dump *d, struct cr_sock_opts_buf *l)
{
	return 0;
}

static inline void cr_restore_inet_finish(struct cr_restore *r, const struct cr_fd *e,
					  struct file *file)
{
}
#endif

/* kernel/cr/socket.c: unix socket pairs inside a tree. */
#if IS_ENABLED(CONFIG_UNIX)
bool cr_socket_internal(struct cr_objs *o, const struct cr_obj *obj);
bool cr_socket_external(struct cr_objs *o, struct file *file);
bool cr_is_unix(struct file *file);
bool cr_unix_path_named(struct file *file);
int cr_dump_unix(struct cr_objs *o, struct file *file, int fd, void **state, size_t *len);
int cr_unix_in_flight(struct cr_objs *o, struct file *file, struct file ***files,
		      unsigned int *nr);
struct file *cr_restore_unix(struct cr_restore *r, const struct cr_fd *e);
int cr_restore_unix_pending(struct cr_restore *r);
void cr_unix_pending_free(void *pending);
int cr_dump_sockets(struct cr_dump *d);
int cr_restore_sockets_prepare(struct cr_restore *r);
int cr_restore_sockets_refill(struct cr_restore *r);
#else
static inline bool cr_socket_internal(struct cr_objs *o, const struct cr_obj *obj)
{
	return false;
}

static inline bool cr_socket_external(struct cr_objs *o, struct file *file)
{
	return false;
}

static inline bool cr_is_unix(struct file *file)
{
	return false;
}

static inline bool cr_unix_path_named(struct file *file)
{
	return false;
}

static inline int cr_dump_unix(struct cr_objs *o, struct file *file, int fd, void **state,
			       size_t *len)
{
	return -EOPNOTSUPP;
}

static inline int cr_unix_in_flight(struct cr_objs *o, struct file *file, struct file ***files,
				    unsigned int *nr)
{
	*files = NULL;
	*nr = 0;
	return -ENOENT;
}

static inline int cr_restore_sockets_refill(struct cr_restore *r)
{
	return 0;
}

static inline int cr_restore_unix_pending(struct cr_restore *r)
{
	return 0;
}

static inline void cr_unix_pending_free(void *pending)
{
}

static inline struct file *cr_restore_unix(struct cr_restore *r, const struct cr_fd *e)
{
	cr_refuse(r->img->name, "unix sockets need CONFIG_UNIX");
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int cr_dump_sockets(struct cr_dump *d)
{
	return 0;
}

static inline int cr_restore_sockets_prepare(struct cr_restore *r)
{
	if (!cr_image_find_note(r->img, true, NT_CR_SOCKETS))
		return 0;
	cr_refuse(r->img->name, "socket pairs need CONFIG_UNIX");
	return -EOPNOTSUPP;
}
#endif
/* kernel/cr/lock.c: file locks, refused. */
/* The locks of a process, as the checkpoint finds them (kernel/cr/lock.c). */
struct cr_locks {
	struct cr_lock *lock;
	unsigned int nr, cap;
};

int cr_dump_locks(struct cr_locks *l, struct file *file, int fd, u32 kind);
int cr_dump_locks_note(struct cr_dump *d, struct cr_locks *l);
int cr_restore_locks_prepare(struct cr_restore *r);
int cr_restore_locks(struct cr_restore *r);
void cr_restore_locks_free(struct cr_restore *r);

/* kernel/cr/fown.c: signal-driven I/O (F_SETOWN, F_SETSIG, O_ASYNC). */
struct cr_fowns {
	struct cr_fown *fown;
	unsigned int nr, cap;
};

int cr_dump_fown(struct cr_fowns *l, struct cr_freeze *f, struct file *file, int fd);
int cr_dump_fowns_note(struct cr_dump *d, struct cr_fowns *l);
int cr_restore_fowns_prepare(struct cr_restore *r);
int cr_restore_fowns(const struct cr_fown *o, unsigned int nr, struct cr_tree *tree,
		     pid_t (*tid)(void *arg, pid_t tid), void *arg);

/* kernel/cr/event.c: eventfd, signalfd, timerfd, epoll descriptors. */
u32 cr_event_kind(struct file *file);
void cr_event_scan(struct cr_obj *obj, struct task_struct *p, struct files_struct *files);
int cr_dump_event(struct cr_objs *o, struct cr_obj *obj, struct file *file, int fd,
		  const struct path *root, struct cr_freeze *frz, void **state, size_t *len);
struct file *cr_restore_event(struct cr_restore *r, const struct cr_fd *e);
int cr_restore_epolls(struct cr_restore *r);
struct cr_timerfd_arm;
int cr_restore_timerfds_plan(struct cr_restore *r, struct cr_timerfd_arm **arm,
			     unsigned int *nr);
void cr_restore_timerfds(struct cr_timerfd_arm *arm, unsigned int nr, bool go);

int cr_restore_files_prepare(struct cr_restore *r);
void cr_restore_files_inherit(struct cr_restore *r);
int cr_restore_files(struct cr_restore *r);
void cr_closing_release(struct cr_closing *c);
void cr_restore_files_free(struct cr_restore *r);

/*
 * kernel/cr/tty.c: pty pairs inside a tree, and the controlling terminal
 * of a session of the tree, as its pair was rebuilt.
 */
struct cr_ctty {
	pid_t sid, pgrp;		/* the session and its foreground group (image ids) */
	struct file *slave;		/* an end of the slave, for the session leader */
	struct tty_struct *tty;		/* the slave, referenced */
};

#if IS_ENABLED(CONFIG_UNIX98_PTYS)
bool cr_tty_file(struct file *file);
int cr_tty_scan_file(struct cr_objs *o, struct cr_obj *obj, struct file *file);
void cr_tty_scan_done(struct cr_objs *o, struct cr_freeze *f);
int cr_dump_ttys(struct cr_dump *d, struct cr_freeze *f);
int cr_restore_ttys_prepare(struct cr_restore *r);
int cr_ctty_set(struct cr_ctty *c);
int cr_ctty_foreground(struct cr_ctty *c, struct pid *pgrp);
void cr_ctty_free(struct cr_ctty *c);
#else
static inline bool cr_tty_file(struct file *file)
{
	return false;
}

static inline int cr_tty_scan_file(struct cr_objs *o, struct cr_obj *obj, struct file *file)
{
	return 0;
}

static inline void cr_tty_scan_done(struct cr_objs *o, struct cr_freeze *f)
{
}

static inline int cr_dump_ttys(struct cr_dump *d, struct cr_freeze *f)
{
	return 0;
}

static inline int cr_restore_ttys_prepare(struct cr_restore *r)
{
	if (!cr_image_find_note(r->img, true, NT_CR_TTYS))
		return 0;
	cr_refuse(r->img->name, "pty pairs need CONFIG_UNIX98_PTYS");
	return -EOPNOTSUPP;
}

static inline int cr_ctty_set(struct cr_ctty *c)
{
	return -EOPNOTSUPP;
}

static inline int cr_ctty_foreground(struct cr_ctty *c, struct pid *pgrp)
{
	return -EOPNOTSUPP;
}

static inline void cr_ctty_free(struct cr_ctty *c)
{
}
#endif

int cr_dump_signal(struct cr_dump *d, struct task_struct *t);
int cr_dump_thread(struct cr_dump *d, struct task_struct *t, long ax, long nr,
		   bool first);
int cr_restore_signal_prepare(struct cr_restore *r);
int cr_restore_thread_pending(struct cr_restore_thread *t, const struct cr_note *pending);
int cr_restore_thread_signals(const struct cr_restore_thread *t);
void cr_restore_stop(const struct cr_restore_thread *t);
int cr_restore_signal(struct cr_restore *r);

/* kernel/cr/freeze.c: the tree's other threads, parked during a checkpoint. */
struct cr_freeze;
struct cr_freeze *cr_freeze_tree(void);
void cr_unstop_task(struct task_struct *t);
void cr_restop(void);
unsigned int cr_freeze_nr(const struct cr_freeze *f);
struct task_struct *cr_freeze_task(const struct cr_freeze *f, unsigned int i);
bool cr_freeze_same_process(const struct cr_freeze *f, unsigned int i);
unsigned int cr_freeze_nr_procs(const struct cr_freeze *f);
struct task_struct *cr_freeze_proc(const struct cr_freeze *f, unsigned int i,
				   int *parent, unsigned int *nr_threads);
int cr_freeze_run(struct cr_freeze *f, unsigned int i, int (*job)(void *arg),
		  void *arg);
int cr_freeze_start(struct cr_freeze *f, unsigned int i, int (*job)(void *arg), void *arg);
int cr_freeze_wait(struct cr_freeze *f, unsigned int i);
void cr_thaw_tree(struct cr_freeze *f);
bool cr_dump_interrupted(const struct cr_dump *d);

/*
 * kernel/cr/tree.c: what processes of a tree share, at checkpoint. Each
 * kernel object (an open file, a pipe, a shared memory object) seen in the
 * tree gets one entry, found by its address (all of them are pinned: the
 * tree is frozen and files are referenced), and files and shared memory
 * get a tree-wide id, 1 and up.
 */
struct cr_obj {
	struct hlist_node node;
	const void *ptr;
	u32 id;
	/* a file: referenced; descriptors to it in the tree; its pipe or pty pair */
	struct file *file;
	unsigned int nr_fds;
	/* and references to it in flight (SCM_RIGHTS) on unix sockets of the tree */
	unsigned int nr_in_flight;
	bool queue_scanned;	/* a unix socket: the files in flight on it counted */
	struct cr_obj *pipe;
	struct cr_obj *tty;
	/* a pipe: its open ends in the tree, its index in NT_CR_PIPES */
	unsigned int nr_read, nr_write;
	bool internal;
	u32 index;
	struct file *end;	/* one of them (its own entry holds it) */
	/* an event file: its CR_FD_* kind; held outside the tree too */
	u32 event;
	bool outside;
	/* an epoll: the table naming its targets; they were written */
	const struct files_struct *owner;
	bool written;
	/* a pty pair (keyed by its master's tty): its open master and slave files */
	bool pty;
	unsigned int nr_master, nr_slave;
	/* a file: the root's descriptors 0-2 it is (bits 0-2): the caller's at restore */
	u8 root_std;
	/* a TCP socket quiesced in exit mode (inet.c): its minimum TTLs before */
	bool quiet;
	u8 min_ttl, min_hopcount;
	/* shared memory: the pages stored so far, by offset */
	struct xarray stored;
	/* and, for snapshots, copies of its pages, by offset */
	struct xarray copy;
};

struct cr_objs;
struct cr_objs *cr_objs_alloc(void);
void cr_objs_free(struct cr_objs *o);
struct cr_obj *cr_obj_find(struct cr_objs *o, const void *ptr, bool create);
unsigned int cr_objs_nr(const struct cr_objs *o);
struct cr_obj *cr_objs_get(const struct cr_objs *o, unsigned int i);
bool cr_objs_shm_charge(struct cr_objs *o);
void cr_objs_shm_free(struct cr_objs *o);

/* kernel/cr/tree.c: the processes of an image and their relations. */
int cr_dump_tree(struct cr_dump *d, struct cr_freeze *f);
void cr_dump_tree_segments(struct cr_dump *d);
int cr_restore_tree_prepare(struct cr_restore *r);
int cr_restore_one_prepare(struct cr_restore *r);
int cr_restore_one(struct cr_restore *r);
struct cr_tree *cr_tree_get(struct cr_tree *t);
void cr_tree_exec_begun(struct cr_tree *t, bool secureexec, int dumpable);
void cr_tree_put(struct cr_tree *t);
int cr_tree_spawn(struct cr_tree *t, unsigned int idx);
int cr_tree_wait(struct cr_tree *t, unsigned int idx, int err,
		 int (*joined)(void *arg), void *arg);
int cr_tree_thread_wait(struct cr_tree *t);
struct file *cr_tree_file(struct cr_tree *t, u32 id, unsigned int *class);
struct xarray *cr_tree_closed_ends(struct cr_tree *t);
int cr_tree_add_file(struct cr_tree *t, u32 id, struct file *file, unsigned int class);
int cr_tree_add_ctty(struct cr_tree *t, struct cr_ctty *c);
const struct cr_proc *cr_tree_entries(struct cr_tree *t, unsigned int *nr);
struct pid *cr_tree_pid(struct cr_tree *t, pid_t id);
struct pid *cr_tree_proc_pid(struct cr_tree *t, pid_t id);
struct pid *cr_tree_pgrp(struct cr_tree *t, pid_t id);
struct file *cr_tree_shm(struct cr_tree *t, u32 id);
int cr_tree_shm_add(struct cr_tree *t, u32 id, struct file *file, u32 seals);
bool cr_tree_shm_filled(struct cr_tree *t, u32 id);
struct cr_seccomp_set *cr_tree_seccomp(struct cr_tree *t);
int cr_tree_sysv_add(struct cr_tree *t, u32 id, struct file *file, int shmid, bool made);
int cr_tree_sysv_made(struct cr_tree *t, bool msg, int id);
bool cr_tree_sysv_is_made(struct cr_tree *t, bool msg, int id);

/* kernel/cr/sysvipc.c: the SysV shared memory a process attaches; SEM_UNDO. */
struct ipc_namespace;
#ifdef CONFIG_SYSVIPC
bool cr_sysv_shm_file(struct file *file);
int cr_dump_sysv_shm(struct cr_dump *d, struct mm_struct *mm);
int cr_dump_sysv_sem(struct cr_dump *d);
int cr_restore_sysv_sem_prepare(struct cr_restore *r);
int cr_restore_sysv_sem(struct cr_restore *r);
int cr_restore_sysv_shm_prepare(struct cr_restore *r);
int cr_restore_sysv_map(struct cr_restore *r, const struct cr_vma *v);
void cr_sysv_shm_forget(struct ipc_namespace *ns, int id);
int cr_dump_sysv_ipc(struct cr_dump *d, struct cr_freeze *f);
int cr_restore_sysv_ipc_prepare(struct cr_restore *r);
void cr_sysv_forget(struct ipc_namespace *ns, bool msg, int id);
#else
static inline bool cr_sysv_shm_file(struct file *file)
{
	return false;
}

static inline int cr_dump_sysv_shm(struct cr_dump *d, struct mm_struct *mm)
{
	return 0;
}

static inline int cr_dump_sysv_sem(struct cr_dump *d)
{
	return 0;
}

static inline int cr_restore_sysv_sem_prepare(struct cr_restore *r)
{
	return 0;
}

static inline int cr_restore_sysv_sem(struct cr_restore *r)
{
	return 0;
}

static inline int cr_restore_sysv_shm_prepare(struct cr_restore *r)
{
	if (!cr_image_find_note(r->img, true, NT_CR_SYSV_SHM))
		return 0;
	cr_refuse(r->img->name, "SysV shared memory needs CONFIG_SYSVIPC");
	return -EOPNOTSUPP;
}

static inline int cr_restore_sysv_map(struct cr_restore *r, const struct cr_vma *v)
{
	return -EOPNOTSUPP;
}

static inline void cr_sysv_shm_forget(struct ipc_namespace *ns, int id)
{
}

static inline int cr_dump_sysv_ipc(struct cr_dump *d, struct cr_freeze *f)
{
	return 0;
}

static inline int cr_restore_sysv_ipc_prepare(struct cr_restore *r)
{
	if (!cr_image_find_note(r->img, true, NT_CR_SYSV_SEM) &&
	    !cr_image_find_note(r->img, true, NT_CR_SYSV_MSG))
		return 0;
	cr_refuse(r->img->name, "SysV semaphore sets and message queues need CONFIG_SYSVIPC");
	return -EOPNOTSUPP;
}

static inline void cr_sysv_forget(struct ipc_namespace *ns, bool msg, int id)
{
}
#endif

/* kernel/cr/aio.c: AIO contexts (io_setup) and their rings. */
#ifdef CONFIG_AIO
bool cr_aio_ring(const struct file *file);
int cr_dump_aio(struct cr_dump *d, struct mm_struct *mm);
int cr_restore_aio_prepare(struct cr_restore *r);
int cr_restore_aio_map(struct cr_restore *r, const struct cr_vma *v);
#else
static inline bool cr_aio_ring(const struct file *file)
{
	return false;
}

static inline int cr_dump_aio(struct cr_dump *d, struct mm_struct *mm)
{
	return 0;
}

static inline int cr_restore_aio_prepare(struct cr_restore *r)
{
	if (!cr_image_find_note(r->img, true, NT_CR_AIO))
		return 0;
	cr_refuse(r->img->name, "AIO contexts need CONFIG_AIO");
	return -EOPNOTSUPP;
}

static inline int cr_restore_aio_map(struct cr_restore *r, const struct cr_vma *v)
{
	return -EOPNOTSUPP;
}
#endif

/* kernel/cr/notify.c: inotify instances (event files, kernel/cr/event.c). */
#ifdef CONFIG_INOTIFY_USER
bool cr_inotify_file(struct file *file);
int cr_dump_inotify(struct file *file, int fd, const struct path *root, void **state,
		    size_t *len);
struct file *cr_restore_inotify(const char *name, int fd, const char *state, int flags);
#else
static inline bool cr_inotify_file(struct file *file)
{
	return false;
}

static inline int cr_dump_inotify(struct file *file, int fd, const struct path *root,
				  void **state, size_t *len)
{
	return -EOPNOTSUPP;
}

static inline struct file *cr_restore_inotify(const char *name, int fd, const char *state,
					      int flags)
{
	cr_refuse(name, "fd %d: inotify needs CONFIG_INOTIFY_USER", fd);
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/* kernel/cr/notify.c: the paths of what inotify watches and fanotify marks are on. */
int cr_notify_leads(const char *p, struct vfsmount *mnt, struct inode *inode,
		    struct super_block *sb);
char *cr_notify_inode_path(struct vfsmount *tree, struct inode *inode, char *buf);
char *cr_notify_sb_path(struct vfsmount *tree, struct super_block *sb, char *buf);
char *cr_notify_path(const struct path *root, const struct path *path, char *buf);

/* kernel/cr/fanotify.c: fanotify groups (event files, kernel/cr/event.c). */
#ifdef CONFIG_FANOTIFY
bool cr_fanotify_file(struct file *file);
int cr_dump_fanotify(struct cr_freeze *frz, struct file *file, int fd, const struct path *root,
		     void **state, size_t *len);
struct file *cr_restore_fanotify(struct cr_restore *r, const struct cr_fd *e, const char *state);
int cr_fanotify_set_pid(struct file *file, unsigned int index, struct pid *pid);
#else
static inline bool cr_fanotify_file(struct file *file)
{
	return false;
}

static inline int cr_dump_fanotify(struct cr_freeze *frz, struct file *file, int fd,
				   const struct path *root, void **state, size_t *len)
{
	return -EOPNOTSUPP;
}

static inline struct file *cr_restore_fanotify(struct cr_restore *r, const struct cr_fd *e,
					       const char *state)
{
	cr_refuse(r->img->name, "fd %d: fanotify needs CONFIG_FANOTIFY", e->fd);
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int cr_fanotify_set_pid(struct file *file, unsigned int index, struct pid *pid)
{
	return -EOPNOTSUPP;
}
#endif

/* kernel/cr/ns.c: the namespaces the tree is in. */
int cr_dump_ns(struct cr_dump *d, struct cr_freeze *f);
int cr_dump_ns_same(struct cr_freeze *f, const char *(*other)(struct task_struct *p));
int cr_restore_ns_prepare(struct cr_restore *r);
struct cr_ns_visit {
	struct nsproxy *ns;
	struct fs_struct *fs;
};

struct cr_ns_visit cr_restore_ns_visit(struct cr_restore *r);
void cr_restore_ns_leave(struct cr_ns_visit *old);
void cr_restore_ns(struct cr_restore *r);
void cr_restore_ns_free(struct cr_restore *r);

/* kernel/cr/netns.c: the network namespace of the tree. */
struct net;
#ifdef CONFIG_NET
int cr_dump_netns(struct cr_dump *d, struct net *net, struct cr_hdr_ns *h);
int cr_restore_netns_prepare(struct cr_restore *r, const struct cr_hdr_ns *h);
/* kernel/cr/netdev.c: its devices, addresses, routes. */
int cr_dump_net_links(struct cr_dump *d, struct net *net);
int cr_dump_net_rtnl(struct cr_dump *d, struct net *net);
int cr_restore_net_links(struct cr_restore *r);
int cr_restore_net_config(struct cr_restore *r);
#else
static inline int cr_dump_netns(struct cr_dump *d, struct net *net, struct cr_hdr_ns *h)
{
	return 0;
}

static inline int cr_restore_netns_prepare(struct cr_restore *r, const struct cr_hdr_ns *h)
{
	return 0;
}
#endif

/* kernel/cr/mount.c: the mount namespace of the tree. */
int cr_dump_mounts(struct cr_dump *d, struct cr_freeze *f);
int cr_restore_mounts_prepare(struct cr_restore *r);
int cr_restore_mounts_own(struct cr_restore *r);

/* kernel/cr/cgroup.c: the cgroups of the tree. */
int cr_dump_cgroups(struct cr_freeze *f);

/* kernel/cr/userns.c: the user namespace the tree is in. */
int cr_dump_userns(struct cr_dump *d, struct cr_freeze *f);
int cr_restore_userns_prepare(struct cr_restore *r);
void cr_restore_userns_pidns(struct cr_restore *r);
struct user_namespace *cr_restore_ids_ns(const struct cr_restore *r);

/* kernel/cr/netlink.c: netlink route sockets. */
#ifdef CONFIG_NET
bool cr_is_netlink(struct file *file);
int cr_dump_netlink(struct file *file, int fd, void **state, size_t *len);
struct file *cr_restore_netlink(struct cr_restore *r, const struct cr_fd *e);
#else
static inline bool cr_is_netlink(struct file *file)
{
	return false;
}

static inline int cr_dump_netlink(struct file *file, int fd, void **state, size_t *len)
{
	return -EOPNOTSUPP;
}

static inline struct file *cr_restore_netlink(struct cr_restore *r, const struct cr_fd *e)
{
	cr_refuse(r->img->name, "fd %d: netlink sockets need CONFIG_NET", e->fd);
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/* kernel/cr/packet.c: packet sockets. */
#if IS_BUILTIN(CONFIG_PACKET)
bool cr_is_packet(struct file *file);
int cr_dump_packet(struct file *file, int fd, void **state, size_t *len);
struct file *cr_restore_packet(struct cr_restore *r, const struct cr_fd *e);
#else
static inline bool cr_is_packet(struct file *file)
{
	return false;
}

static inline int cr_dump_packet(struct file *file, int fd, void **state, size_t *len)
{
	return -EOPNOTSUPP;
}

static inline struct file *cr_restore_packet(struct cr_restore *r, const struct cr_fd *e)
{
	cr_refuse(r->img->name, "fd %d: packet sockets need CONFIG_PACKET=y", e->fd);
	return ERR_PTR(-EOPNOTSUPP);
}
#endif

/* kernel/cr/mqueue.c: POSIX message queues. */
#ifdef CONFIG_POSIX_MQUEUE
bool cr_is_mqueue(struct file *file);
void *cr_dump_mqueue(struct cr_freeze *f, struct file *file, int fd, size_t *len);
int cr_dump_mqueue_whole(struct cr_objs *o);
struct file *cr_restore_mqueue(struct cr_restore *r, const struct cr_fd *e);
int cr_restore_mqueue_notify(struct cr_restore *r, const struct cr_fd *e, struct file *file);
int cr_tree_mqueue_made(struct cr_tree *t, struct file *file);
void **cr_tree_unix_pending(struct cr_tree *t);
#else
static inline bool cr_is_mqueue(struct file *file)
{
	return false;
}

static inline void *cr_dump_mqueue(struct cr_freeze *f, struct file *file, int fd, size_t *len)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int cr_dump_mqueue_whole(struct cr_objs *o)
{
	return 0;
}

static inline struct file *cr_restore_mqueue(struct cr_restore *r, const struct cr_fd *e)
{
	cr_refuse(r->img->name, "fd %d: message queues need CONFIG_POSIX_MQUEUE", e->fd);
	return ERR_PTR(-EOPNOTSUPP);
}

static inline int cr_restore_mqueue_notify(struct cr_restore *r, const struct cr_fd *e,
					   struct file *file)
{
	return 0;
}
#endif

/* kernel/cr/seccomp.c: each thread's seccomp mode and filters. */
struct cr_seccomp;
struct cr_seccomp_set;
int cr_dump_seccomp(struct cr_dump *d, struct task_struct *t);
bool cr_seccomp_strict(struct task_struct *t);

/* The task flags prctl(PR_SET_IO_FLUSHER) sets, as kernel/sys.c's PR_IO_FLUSHER. */
#define CR_PF_IO_FLUSHER	(PF_MEMALLOC_NOIO | PF_LOCAL_THROTTLE)
struct cr_seccomp_set *cr_seccomp_set_new(void);
void cr_seccomp_set_put(struct cr_seccomp_set *s);
struct cr_seccomp *cr_seccomp_get(struct cr_seccomp *sc);
void cr_seccomp_put(struct cr_seccomp *sc);
int cr_restore_seccomp_prepare(struct cr_restore *r, struct cr_restore_thread *t,
			       unsigned int n, const struct cr_note *note,
			       struct cr_seccomp_set *set);
int cr_restore_seccomp(struct cr_seccomp *sc);

/* The SIGCKPT default action (kernel/signal.c calls it, siglock dropped). */
void cr_checkpoint_signal(const kernel_siginfo_t *info);
int cr_request_checkpoint(pid_t nr, int mode);
int cr_image_name(char *buf, size_t size);
void cr_restore_helper(char *buf, size_t size);
extern int cr_default_mode;
extern int cr_new_tids;

static inline bool cr_is_ckpt_signal(int sig)
{
	return IS_ENABLED(CONFIG_CHECKPOINT_RESTART) && sig == SIGCKPT;
}

/* Architecture hooks (arch/<arch>/cr/). */
void cr_arch_fixup_restart(struct user_regs_struct *regs);
int cr_arch_set_regs(const struct user_regs_struct *regs, const void *xstate);
int cr_arch_restore_vdso_prepare(struct cr_restore *r);
int cr_arch_restore_vdso(struct cr_restore *r);
int cr_arch_check_fpu(const struct cr_image *img, const struct cr_note *xstate);
int cr_arch_restore_fpu(const void *xstate);

#endif /* _LINUX_CR_H */
