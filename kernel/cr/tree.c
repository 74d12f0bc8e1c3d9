// SPDX-License-Identifier: GPL-2.0
/*
 * Process trees: the processes of an image and their relations.
 *
 * Checkpoint: the SIGCKPT process is the root; it and every descendant
 * are frozen together (kernel/cr/freeze.c) and each writes its own image,
 * an ordinary single-process image. The root's image comes first in the
 * file and is what gdb reads; each descendant's follows as a
 * PT_CR_PROCESS segment of it. NT_CR_TREE, in the root's image, lists the
 * processes breadth first with their ids, their parent, their process
 * group and session, and for zombies the status their parent will read.
 *
 * Restore: exec of the image turns the caller into the root. Every image
 * of the file is opened and checked before the point of no return. Then
 * each process, on its way to user space, creates its children, one at a
 * time, with kernel_clone() (its pid with set_tid when the ids are
 * restored), waiting until each child has rebuilt itself from its image
 * and created its own children. When the whole tree exists, each process
 * joins its process group, and all are released together. A failure
 * anywhere kills the tree: nothing runs half restored.
 *
 * Documentation/cr/design.rst has the protocols, image-format.rst the
 * format.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/ipc_namespace.h>
#include <linux/mman.h>
#include <linux/shmem_fs.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/tty.h>
#include <linux/xarray.h>

/* Checkpoint */

#define CR_OBJS_HASH_BITS	10

struct cr_objs {
	struct hlist_head hash[1 << CR_OBJS_HASH_BITS];
	struct cr_obj **obj;
	unsigned int nr, cap;
	u32 next_id;
	unsigned long shm_copied;	/* pages copied for snapshots */
};

struct cr_objs *cr_objs_alloc(void)
{
	return kvzalloc(sizeof(struct cr_objs), GFP_KERNEL_ACCOUNT);
}

void cr_objs_free(struct cr_objs *o)
{
	unsigned int i;

	if (!o)
		return;
	for (i = 0; i < o->nr; i++) {
		/* A socket quiesced for a checkpoint that did not end in exit. */
		if (o->obj[i]->quiet)
			cr_inet_unquiesce(o->obj[i]);
		if (o->obj[i]->file)
			fput(o->obj[i]->file);
		xa_destroy(&o->obj[i]->stored);
	}
	cr_objs_shm_free(o);
	for (i = 0; i < o->nr; i++)
		kfree(o->obj[i]);
	kvfree(o->obj);
	kvfree(o);
}

/**
 * cr_objs_shm_charge - count one more page copied for a snapshot
 * @o: the checkpoint's objects
 *
 * Return: false when the tree's copies would exceed CR_SNAPSHOT_SHM_MAX.
 */
bool cr_objs_shm_charge(struct cr_objs *o)
{
	if (o->shm_copied >= CR_SNAPSHOT_SHM_MAX >> PAGE_SHIFT)
		return false;
	o->shm_copied++;
	return true;
}

/* Drop the copies of shared memory pages (cr_dump_shm_copy()). */
void cr_objs_shm_free(struct cr_objs *o)
{
	struct page *page;
	unsigned long off;
	unsigned int i;

	for (i = 0; i < o->nr; i++) {
		xa_for_each(&o->obj[i]->copy, off, page)
			__free_page(page);
		xa_destroy(&o->obj[i]->copy);
	}
	o->shm_copied = 0;
}

/**
 * cr_obj_find - the entry of a kernel object shared in the tree
 * @o: the checkpoint's objects
 * @ptr: the object's address
 * @create: add it when it is not there yet, with the next id
 *
 * Return: the entry, or NULL (not there, or out of memory when @create).
 */
struct cr_obj *cr_obj_find(struct cr_objs *o, const void *ptr, bool create)
{
	struct hlist_head *head = &o->hash[hash_ptr(ptr, CR_OBJS_HASH_BITS)];
	struct cr_obj *obj;

	hlist_for_each_entry(obj, head, node)
		if (obj->ptr == ptr)
			return obj;
	if (!create)
		return NULL;
	if (o->nr == o->cap) {
		unsigned int cap = max(64U, 2 * o->cap);
		struct cr_obj **a = kvmalloc_array(cap, sizeof(*a), GFP_KERNEL_ACCOUNT);

		if (!a)
			return NULL;
		if (o->obj)
			memcpy(a, o->obj, o->nr * sizeof(*a));
		kvfree(o->obj);
		o->obj = a;
		o->cap = cap;
	}
	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return NULL;
	obj->ptr = ptr;
	obj->id = ++o->next_id;
	xa_init(&obj->stored);
	xa_init(&obj->copy);
	hlist_add_head(&obj->node, head);
	o->obj[o->nr++] = obj;
	return obj;
}

unsigned int cr_objs_nr(const struct cr_objs *o)
{
	return o->nr;
}

struct cr_obj *cr_objs_get(const struct cr_objs *o, unsigned int i)
{
	return o->obj[i];
}

/* The descriptor table, fs and address space of a live process. */
static void cr_tree_shared(struct task_struct *p, void **files, void **fs, void **mm)
{
	task_lock(p);
	*files = p->files;
	*fs = p->fs;
	*mm = p->mm;
	task_unlock(p);
}

/*
 * A process stopped by job control (its threads were woken to be
 * parked, and stop again after): stopped, with the stop signal its
 * parent's wait(WUNTRACED) has not collected yet, or 0.
 */
static void cr_dump_tree_stopped(struct task_struct *p, struct cr_proc *e)
{
	spin_lock_irq(&p->sighand->siglock);
	if (p->signal->flags & SIGNAL_STOP_STOPPED) {
		e->flags |= CR_PROC_STOPPED;
		e->exit_code = p->signal->group_exit_code;
	}
	spin_unlock_irq(&p->sighand->siglock);
}

/*
 * What process @i shares with others besides its threads: a descriptor
 * table or an fs with its parent (clone() with CLONE_FILES, CLONE_FS), as
 * flags the restore clones with; anything else (an address space, so
 * also signal handlers; a table or fs shared with another process of the
 * tree) cannot be rebuilt: refused.
 */
static int cr_dump_tree_sharing(struct cr_freeze *f, unsigned int i, int parent,
				struct cr_proc *e)
{
	void *files, *fs, *mm, *pfiles, *pfs, *pmm, *ofiles, *ofs, *omm;
	unsigned int j, nr_threads;
	const char *what = NULL;
	int pp;

	cr_tree_shared(cr_freeze_proc(f, i, &pp, &nr_threads), &files, &fs, &mm);
	cr_tree_shared(cr_freeze_proc(f, parent, &pp, &nr_threads), &pfiles, &pfs, &pmm);
	if (files == pfiles)
		e->flags |= CR_PROC_FILES;
	if (fs == pfs)
		e->flags |= CR_PROC_FS;
	for (j = 0; j < i && !what; j++) {
		struct task_struct *o = cr_freeze_proc(f, j, &pp, &nr_threads);

		if (!nr_threads)
			continue;
		cr_tree_shared(o, &ofiles, &ofs, &omm);
		if (mm == omm)
			what = "its address space (CLONE_VM)";
		else if (files == ofiles && j != parent)
			what = "its descriptor table with a process other than its parent";
		else if (fs == ofs && j != parent)
			what = "its working directory (CLONE_FS) with a process other than its parent";
	}
	if (!what)
		return 0;
	cr_refuse(current->comm, "checkpoint refused: process %d shares %s", e->pid, what);
	return -EOPNOTSUPP;
}

/* Has process @i a controlling terminal? */
static bool cr_dump_tree_has_ctty(struct cr_freeze *f, unsigned int i)
{
	unsigned int nr_threads;
	struct task_struct *p;
	bool has;
	int parent;

	p = cr_freeze_proc(f, i, &parent, &nr_threads);
	if (!nr_threads)
		return false;
	spin_lock_irq(&p->sighand->siglock);
	has = p->signal->tty;
	spin_unlock_irq(&p->sighand->siglock);
	return has;
}

/**
 * cr_dump_tree - the NT_CR_TREE note of the root's image
 * @d: the root's image, its notes but the memory's collected
 * @f: the frozen tree
 *
 * The descendants' segments are numbered from 1 here, and renumbered by
 * cr_dump_tree_segments() once the root's mappings, whose program
 * headers come first, are known.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_tree(struct cr_dump *d, struct cr_freeze *f)
{
	unsigned int i, n = cr_freeze_nr_procs(f), seg = 1;
	struct cr_hdr_tree *h;
	struct cr_proc *e;
	size_t len = sizeof(*h) + n * sizeof(*e);
	int ret = 0;

	h = kvzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->nr_procs = n;
	e = (struct cr_proc *)(h + 1);
	for (i = 0; i < n; i++) {
		struct task_struct *p;
		unsigned int nr_threads;
		int parent;

		p = cr_freeze_proc(f, i, &parent, &nr_threads);
		e[i].pid = task_tgid_vnr(p);
		e[i].parent = parent;
		e[i].pgid = task_pgrp_vnr(p);
		e[i].sid = task_session_vnr(p);
		e[i].exit_signal = p->exit_signal;
		e[i].pdeath_signal = p->pdeath_signal;
		e[i].nr_threads = nr_threads;
		if (p->signal->is_child_subreaper)
			e[i].flags |= CR_PROC_SUBREAPER;
		if (i && nr_threads) {
			ret = cr_dump_tree_sharing(f, i, parent, &e[i]);
			if (ret)
				break;
		}
		if (!nr_threads) {
			e[i].flags |= CR_PROC_ZOMBIE;
			e[i].exit_code = p->signal->flags & SIGNAL_GROUP_EXIT ?
					 p->signal->group_exit_code : p->exit_code;
		} else {
			cr_dump_tree_stopped(p, &e[i]);
			if (i)
				e[i].segment = seg++;
		}
	}
	for (i = 1; !ret && i < n; i++) {
		if (!cr_rule_tree_led(e, n, i)) {
			cr_refuse(current->comm, "checkpoint refused: process %d is in process group %d, session %d, which have no id here",
				  e[i].pid, e[i].pgid, e[i].sid);
			ret = -EOPNOTSUPP;
			break;
		}
		if (cr_rule_tree_ghost(e, n, e[i].sid) && cr_dump_tree_has_ctty(f, i)) {
			cr_refuse(current->comm, "checkpoint refused: process %d has a controlling terminal of session %d, led by no process of the tree",
				  e[i].pid, e[i].sid);
			ret = -EOPNOTSUPP;
			break;
		}
		if (!cr_rule_tree_joinable(e, n, i)) {
			cr_refuse(current->comm, "checkpoint refused: process %d is in session %d, group %d, which a child of process %d cannot join",
				  e[i].pid, e[i].sid, e[i].pgid, e[e[i].parent].pid);
			ret = -EOPNOTSUPP;
		}
	}
	d->tree_note = d->notes_len;
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_TREE, h, len);
	kvfree(h);
	return ret;
}

/**
 * cr_dump_tree_segments - number the descendants' segments in NT_CR_TREE
 * @d: the root's image, its mappings collected
 *
 * Program headers: PT_NOTE, one PT_LOAD per mapping, then PT_CR_PROCESS.
 */
void cr_dump_tree_segments(struct cr_dump *d)
{
	struct cr_hdr_tree *h = cr_dump_note_desc(d, d->tree_note);
	struct cr_proc *e = (struct cr_proc *)(h + 1);
	unsigned int i;

	for (i = 0; i < h->nr_procs; i++)
		if (e[i].segment)
			e[i].segment += d->nr_vmas;
}

/* Restore */

enum cr_tree_phase {
	CR_TREE_CREATING,	/* processes create their children */
	CR_TREE_JOINING,	/* all exist: each joins its process group */
	CR_TREE_RUNNING,	/* all done: back to user space */
	CR_TREE_FAILED,		/* something failed: all die */
};

struct cr_tree_proc {
	struct cr_proc e;		/* its NT_CR_TREE entry, checked */
	struct cr_image img;		/* its image, for descendants */
	char *name;			/* for messages: "IMAGE[pid]" */
	struct cr_restore *r;		/* its plan; NULL for zombies */
	struct pid *pid;		/* once created (the root: at once) */
	struct completion ready;	/* it and its subtree are built */
	struct cr_tree *tree;
};

/*
 * A process group or session no process of the tree leads: its id without
 * a process (cr_rule_tree_ghost()), made before the point of no return.
 * Once a process is in it, the kernel frees the id with its last member,
 * as for any group whose leader is gone; until then, the tree does.
 */
struct cr_ghost {
	pid_t id;			/* in the image */
	struct pid *pid;		/* referenced */
	bool used;			/* a process joined it (under tasklist_lock) */
	bool closed;			/* the tree let it go: none may join */
};

struct cr_tree {
	refcount_t ref;
	struct file *file;		/* the image */
	u64 budget;			/* bytes of notes left to read (cr_image.budget) */
	unsigned int nr;
	struct cr_tree_proc *proc;
	struct cr_proc *entries;	/* NT_CR_TREE's, checked, for the rules */
	struct pid *root_pgrp;		/* the root's, as exec found them */
	struct pid *root_session;
	bool orig_ids;			/* processes and threads get theirs */
	unsigned int nr_ghosts;
	struct cr_ghost *ghosts;	/* groups and sessions without a leader */
	struct xarray files;		/* open files by id, referenced */
	struct xarray file_class;	/* their enum cr_file_class, as values */
	struct xarray shm;		/* shared memory objects by id; marked: filled */
	struct xarray seals;		/* the seals of the memfds among them */
	struct xarray ctty;		/* controlling terminals by session id */
	struct cr_seccomp_set *seccomp;	/* seccomp filters, once a thread has any */
	struct xarray sysv_made;	/* SysV segments made, by id: removed on failure */
	struct xarray sem_made;		/* ...semaphore sets made, by id */
	struct xarray msq_made;		/* ...message queues made, by id */
	struct ipc_namespace *ipc_ns;	/* ...their namespace, referenced */
	struct xarray mq_made;		/* message queues made, referenced: removed on failure */
	void *unix_pending;		/* clients to connect again (kernel/cr/socket.c) */
	struct xarray closed_ends;	/* ends of pairs to close once refilled, by index */
	enum cr_tree_phase phase;
	wait_queue_head_t wait;
	atomic_t joining;		/* processes still to join their group */
	struct completion joined;
};

struct cr_tree *cr_tree_get(struct cr_tree *t)
{
	refcount_inc(&t->ref);
	return t;
}

/**
 * cr_tree_exec_begun - what the descendants take from the exec, once begun
 * @t: the tree, prepared
 * @secureexec: bprm->secureexec, known once begin_new_exec() ran
 * @dumpable: what begin_new_exec() made the process (SUID_DUMP_*)
 *
 * In the exec caller, after begin_new_exec(): the descendants' plans
 * learn whether the exec was a secure one (cr_restore_process()), and
 * take the caller's descriptors they inherit, as close-on-exec left them.
 */
void cr_tree_exec_begun(struct cr_tree *t, bool secureexec, int dumpable)
{
	unsigned int i;

	for (i = 1; i < t->nr; i++) {
		struct cr_restore *r = t->proc[i].r;

		if (!r)
			continue;
		r->secureexec = secureexec;
		r->exec_dumpable = dumpable;
		cr_restore_files_inherit(r);
	}
}

static void cr_tree_free_plan(struct cr_restore *r)
{
	cr_restore_files_free(r);
	cr_restore_process_free(r);
	cr_restore_ns_free(r);
	cr_restore_timers_free(r);
	cr_restore_locks_free(r);
	cr_restore_mm_free(r);
	cr_restore_task_free(r);
	kfree(r);
}

static void cr_tree_put_files(struct xarray *xa)
{
	struct file *file;
	unsigned long id;

	xa_for_each(xa, id, file)
		if (!xa_is_value(file))
			fput(file);
	xa_destroy(xa);
}

/**
 * cr_tree_seccomp - the seccomp filters of the tree's threads (seccomp.c)
 * @t: the tree, being prepared
 *
 * Return: the set, made on first use, or NULL without memory.
 */
struct cr_seccomp_set *cr_tree_seccomp(struct cr_tree *t)
{
	if (!t->seccomp)
		t->seccomp = cr_seccomp_set_new();
	return t->seccomp;
}

/**
 * cr_tree_file - an open file of the tree, already opened
 * @t: the tree
 * @id: its struct cr_fd.file_id
 * @class: set to its enum cr_file_class, as the rules gave it
 *	(CR_FILE_NONE when there is no such file)
 *
 * Return: the file, with a new reference, or NULL.
 */
struct file *cr_tree_file(struct cr_tree *t, u32 id, unsigned int *class)
{
	struct file *file = xa_load(&t->files, id);

	*class = file ? xa_to_value(xa_load(&t->file_class, id)) : CR_FILE_NONE;
	return file ? get_file(file) : NULL;
}

/**
 * cr_tree_add_file - remember an open file of the tree
 * @t: the tree
 * @id: its struct cr_fd.file_id
 * @file: the file; the tree takes a reference of its own
 * @class: its enum cr_file_class, as the rules gave it
 *
 * Return: 0, -EBUSY when the tree has a file of that id already, or
 * another negative errno.
 */
int cr_tree_add_file(struct cr_tree *t, u32 id, struct file *file, unsigned int class)
{
	int ret = xa_insert(&t->files, id, file, GFP_KERNEL);

	if (ret)
		return ret;
	ret = xa_err(xa_store(&t->file_class, id, xa_mk_value(class), GFP_KERNEL));
	if (ret) {
		xa_erase(&t->files, id);
		return ret;
	}
	get_file(file);
	return 0;
}

/**
 * cr_tree_add_ctty - remember the controlling terminal of a session of the tree
 * @t: the tree
 * @c: the terminal; the tree owns it, even on failure
 *
 * Return: 0 or a negative errno.
 */
int cr_tree_add_ctty(struct cr_tree *t, struct cr_ctty *c)
{
	int ret = xa_insert(&t->ctty, c->sid, c, GFP_KERNEL);

	if (ret)
		cr_ctty_free(c);
	return ret;
}

/**
 * cr_tree_entries - the entries of NT_CR_TREE, for the rules
 * @t: the tree, its entries checked
 * @nr: set to how many
 *
 * Return: the entries, in the order of the note.
 */
const struct cr_proc *cr_tree_entries(struct cr_tree *t, unsigned int *nr)
{
	*nr = t->nr;
	return t->entries;
}

/**
 * cr_tree_shm - a shared memory object of the tree
 * @t: the tree
 * @id: its struct cr_vma.shm
 *
 * Return: its shmem file (the tree's reference), or NULL.
 */
struct file *cr_tree_shm(struct cr_tree *t, u32 id)
{
	struct file *file = xa_load(&t->shm, id);

	return xa_is_value(file) ? NULL : file;
}

/**
 * cr_tree_shm_add - a memfd made from a descriptor's state, before the
 *	point of no return
 * @t: the tree
 * @id: its struct cr_memfd.shm, which its mappings name too
 * @file: the memfd, filled: the tree takes the reference
 * @seals: to add once the tree has its mappings (cr_tree_wait())
 *
 * Return: 0 or a negative errno.
 */
int cr_tree_shm_add(struct cr_tree *t, u32 id, struct file *file, u32 seals)
{
	int ret = xa_insert(&t->shm, id, file, GFP_KERNEL_ACCOUNT);

	if (ret)
		return ret;
	xa_set_mark(&t->shm, id, XA_MARK_0);
	ret = xa_err(xa_store(&t->seals, id, xa_mk_value(seals), GFP_KERNEL_ACCOUNT));
	if (ret)
		xa_erase(&t->shm, id);
	return ret;
}

/**
 * cr_tree_shm_filled - does object @id hold its contents already?
 * @t: the tree
 * @id: its struct cr_vma.shm
 *
 * A memfd is filled from its descriptor's state: the pages its mappings
 * stored are the same, and are not written again.
 */
bool cr_tree_shm_filled(struct cr_tree *t, u32 id)
{
	return xa_get_mark(&t->shm, id, XA_MARK_0);
}

/**
 * cr_tree_sysv_add - a SysV segment of the tree, found or made again
 * @t: the tree, being prepared
 * @id: its struct cr_sysv_shm.obj, which its mappings name
 * @file: its shmem file: the tree takes the reference
 * @shmid: its id
 * @made: made for this restore, to be filled from the image (and removed
 *	if the restore fails); else the segment found, which keeps its pages
 *
 * Return: 0 or a negative errno.
 */
int cr_tree_sysv_add(struct cr_tree *t, u32 id, struct file *file, int shmid, bool made)
{
	int ret = xa_insert(&t->shm, id, file, GFP_KERNEL_ACCOUNT);

	if (ret)
		return ret;
	if (!made) {
		xa_set_mark(&t->shm, id, XA_MARK_0);
		return 0;
	}
	ret = xa_err(xa_store(&t->sysv_made, shmid, xa_mk_value(1), GFP_KERNEL_ACCOUNT));
	if (ret) {
		xa_erase(&t->shm, id);
		return ret;
	}
	if (!t->ipc_ns)
		t->ipc_ns = get_ipc_ns(current->nsproxy->ipc_ns);
	return 0;
}

/**
 * cr_tree_sysv_made - a semaphore set or message queue made for this restore
 * @t: the tree, being prepared
 * @msg: a message queue, else a semaphore set
 * @id: its id, in the current IPC namespace
 *
 * It is removed again if the restore fails (cr_tree_sysv_put()).
 *
 * Return: 0 or a negative errno.
 */
int cr_tree_sysv_made(struct cr_tree *t, bool msg, int id)
{
	int ret = xa_err(xa_store(msg ? &t->msq_made : &t->sem_made, id,
				  xa_mk_value(1), GFP_KERNEL_ACCOUNT));

	if (!ret && !t->ipc_ns)
		t->ipc_ns = get_ipc_ns(current->nsproxy->ipc_ns);
	return ret;
}

/**
 * cr_tree_sysv_is_made - was this set or queue made for this restore?
 * @t: the tree
 * @msg: a message queue, else a semaphore set
 * @id: its id
 */
bool cr_tree_sysv_is_made(struct cr_tree *t, bool msg, int id)
{
	return xa_load(msg ? &t->msq_made : &t->sem_made, id);
}

/* The segments, sets and queues made for a restore that did not run are removed. */
static void cr_tree_sysv_put(struct cr_tree *t)
{
	bool failed = READ_ONCE(t->phase) != CR_TREE_RUNNING;
	unsigned long id;
	void *entry;

	xa_for_each(&t->sysv_made, id, entry)
		if (failed)
			cr_sysv_shm_forget(t->ipc_ns, id);
	xa_destroy(&t->sysv_made);
	xa_for_each(&t->sem_made, id, entry)
		if (failed)
			cr_sysv_forget(t->ipc_ns, false, id);
	xa_destroy(&t->sem_made);
	xa_for_each(&t->msq_made, id, entry)
		if (failed)
			cr_sysv_forget(t->ipc_ns, true, id);
	xa_destroy(&t->msq_made);
	if (t->ipc_ns)
		put_ipc_ns(t->ipc_ns);
}

#ifdef CONFIG_POSIX_MQUEUE
/**
 * cr_tree_mqueue_made - a message queue made for this restore, by name
 * @t: the tree
 * @file: an open file of it; the tree takes a reference of its own
 *
 * Its name is removed again if the restore fails (cr_tree_mqueue_put()).
 *
 * Return: 0 or a negative errno.
 */
int cr_tree_mqueue_made(struct cr_tree *t, struct file *file)
{
	u32 id;
	int ret = xa_alloc(&t->mq_made, &id, file, xa_limit_32b, GFP_KERNEL_ACCOUNT);

	if (!ret)
		get_file(file);
	return ret;
}
#endif

/*
 * Where kernel/cr/socket.c keeps the ends of socket pairs that were closed:
 * made with their pairs, closed once their peers' messages are sent.
 */
struct xarray *cr_tree_closed_ends(struct cr_tree *t)
{
	return &t->closed_ends;
}

/* Where kernel/cr/socket.c keeps the clients it connects once all sockets are made. */
void **cr_tree_unix_pending(struct cr_tree *t)
{
	return &t->unix_pending;
}

static void cr_tree_mqueue_put(struct cr_tree *t)
{
	struct file *file;
	unsigned long id;

	xa_for_each(&t->mq_made, id, file) {
#ifdef CONFIG_POSIX_MQUEUE
		if (READ_ONCE(t->phase) != CR_TREE_RUNNING)
			mqueue_cr_unlink(file);
#endif
		fput(file);
	}
	xa_destroy(&t->mq_made);
}

/* The memfds' seals, once every process has its mappings. */
static int cr_tree_seal(struct cr_tree *t)
{
	unsigned long id;
	void *seals;
	int ret;

	xa_for_each(&t->seals, id, seals) {
		ret = cr_restore_memfd_seal(xa_load(&t->shm, id), xa_to_value(seals));
		if (ret) {
			pr_warn_ratelimited("cr: %s: cannot seal memfd %lu again (%d)\n",
					    current->comm, id, ret);
			return ret;
		}
	}
	return 0;
}

/*
 * Every shared memory object any process of the tree maps: a shmem file
 * as large as the furthest mapping of it, created once, that each process
 * then maps (cr_restore_mm()), as fork() would have left them. Its memory
 * is accounted page by page as it is written (VM_NORESERVE, as a memfd's),
 * not all at once: a sparse object may be larger than the machine.
 */
static int cr_tree_shm_prepare(struct cr_restore *root, struct cr_tree *t)
{
	unsigned int i, j;
	unsigned long id;
	void *entry;
	int ret;

	for (i = 0; i < t->nr; i++) {
		struct cr_restore *r = i ? t->proc[i].r : root;

		for (j = 0; r && j < r->nr_vmas; j++) {
			const struct cr_vma *v = &r->vma[j];
			u64 end = (v->pgoff << PAGE_SHIFT) + v->end - v->start;
			u64 old;

			if (!v->shm || cr_tree_shm(t, v->shm))
				continue;	/* none, or a memfd with its own size */
			old = xa_to_value(xa_load(&t->shm, v->shm) ?: xa_mk_value(0));
			if (end > old) {
				ret = xa_err(xa_store(&t->shm, v->shm,
						      xa_mk_value(end), GFP_KERNEL));
				if (ret)
					return ret;
			}
		}
	}
	xa_for_each(&t->shm, id, entry) {
		struct file *file;

		if (!xa_is_value(entry))
			continue;
		file = shmem_kernel_file_setup("dev/zero", xa_to_value(entry), VM_NORESERVE);
		if (!IS_ERR(file))
			file->f_flags |= O_LARGEFILE;	/* its pages are written past 2 GiB */
		ret = IS_ERR(file) ? PTR_ERR(file) :
		      xa_err(xa_store(&t->shm, id, file, GFP_KERNEL));
		if (ret) {
			if (!IS_ERR(file))
				fput(file);
			xa_erase(&t->shm, id);
			cr_refuse(root->img->name, "cannot create shared memory %lu (%d)",
				  id, ret);
			return ret;
		}
	}
	return 0;
}

/* The groups and sessions without a leader: freed here unless a process joined. */
static void cr_tree_ghosts_put(struct cr_tree *t)
{
	unsigned int i;
	bool unused;

	for (i = 0; i < t->nr_ghosts; i++) {
		struct cr_ghost *g = &t->ghosts[i];

		if (!g->pid)
			continue;
		write_lock_irq(&tasklist_lock);
		unused = !g->used;
		g->closed = true;
		write_unlock_irq(&tasklist_lock);
		if (unused)
			free_pid(g->pid);
		put_pid(g->pid);
	}
	kvfree(t->ghosts);
}

void cr_tree_put(struct cr_tree *t)
{
	struct cr_ctty *c;
	unsigned long id;
	struct file *f;
	unsigned int i;

	if (!refcount_dec_and_test(&t->ref))
		return;
	for (i = 0; i < t->nr; i++) {
		struct cr_tree_proc *tp = &t->proc[i];

		if (tp->r)
			cr_tree_free_plan(tp->r);
		cr_image_close(&tp->img);
		put_pid(tp->pid);
		kfree(tp->name);
	}
	cr_tree_put_files(&t->files);
	xa_destroy(&t->file_class);
	cr_tree_put_files(&t->shm);
	xa_destroy(&t->seals);
	xa_for_each(&t->ctty, id, c)
		cr_ctty_free(c);
	xa_destroy(&t->ctty);
	cr_seccomp_set_put(t->seccomp);
	cr_tree_sysv_put(t);
	cr_tree_mqueue_put(t);
	cr_unix_pending_free(t->unix_pending);
	xa_for_each(&t->closed_ends, id, f)
		fput(f);
	xa_destroy(&t->closed_ends);
	cr_tree_ghosts_put(t);
	put_pid(t->root_pgrp);
	put_pid(t->root_session);
	if (t->file)
		fput(t->file);
	kvfree(t->proc);
	kvfree(t->entries);
	kfree(t);
}

/* NT_CR_TREE: its entries, checked (cr_rule_tree()), one for each process. */
static int cr_tree_read_note(struct cr_restore *r, struct cr_tree *t)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_TREE);
	const struct cr_image *img = r->img;
	unsigned int i;
	u32 nr;
	int ret;

	ret = cr_rule_tree_note(img->name, note, &nr);
	if (ret)
		return ret;
	t->entries = kvmemdup(note->desc + sizeof(struct cr_hdr_tree),
			      nr * sizeof(*t->entries), GFP_KERNEL_ACCOUNT);
	t->proc = kvcalloc(nr, sizeof(*t->proc), GFP_KERNEL_ACCOUNT);
	if (!t->entries || !t->proc)
		return -ENOMEM;
	t->nr = nr;
	for (i = 0; i < t->nr; i++) {
		t->proc[i].e = t->entries[i];
		init_completion(&t->proc[i].ready);
		t->proc[i].tree = t;
	}
	return cr_rule_tree(img->name, t->entries, t->nr, img->phdrs, img->phnum, &img->hdr);
}

/**
 * cr_restore_one_prepare - check the image of one process into its plan
 * @r: the plan, with its image and its place in the tree
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_one_prepare(struct cr_restore *r)
{
	int ret;

	ret = cr_restore_task_prepare(r);
	if (!ret)
		ret = cr_restore_mm_prepare(r);
	if (!ret)
		ret = cr_restore_signal_prepare(r);
	if (!ret)
		ret = cr_restore_process_prepare(r);
	if (!ret)
		ret = cr_restore_sched_prepare(r);
	if (!ret)
		ret = cr_restore_timers_prepare(r);
	if (!ret)
		ret = cr_restore_files_prepare(r);
	if (!ret)
		ret = cr_restore_locks_prepare(r);
	if (!ret)
		ret = cr_restore_sysv_sem_prepare(r);
	return ret;
}

/* A descendant: open its segment and check its image. */
static int cr_tree_prepare_proc(struct cr_restore *root, struct cr_tree *t,
				unsigned int i)
{
	struct cr_tree_proc *tp = &t->proc[i];
	const struct elf_phdr *ph = &root->img->phdrs[tp->e.segment];
	struct cr_restore *r;
	int ret;

	tp->name = kasprintf(GFP_KERNEL, "%s[%d]", root->img->name, tp->e.pid);
	if (!tp->name)
		return -ENOMEM;
	ret = cr_image_open_at(&tp->img, t->file, tp->name, ph->p_offset,
			       ph->p_filesz, &t->budget);
	if (ret)
		return ret;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	tp->r = r;
	r->img = &tp->img;
	r->tree = t;
	r->tree_idx = i;
	r->proc = &tp->e;
	/* Its ids are in the tree's user namespace too (kernel/cr/userns.c). */
	if (root->ids_cred)
		r->ids_cred = get_new_cred(root->ids_cred);
	/* Its copy of its parent's memory goes, all of it. */
	r->unmap_start = 0;
	r->unmap_end = TASK_SIZE;
	/*
	 * Its root directory, which it takes past the point of no return;
	 * its paths are from the tree root's, where the caller is
	 * (kernel/cr/process.c).
	 */
	ret = cr_restore_fs_root_prepare(root, r);
	if (ret)
		return ret;
	return cr_restore_one_prepare(r);
}

/*
 * Ids. glibc keeps each thread's id in its descriptor (pthread_kill(),
 * mutex owners, robust and PI futexes use it), and parents keep their
 * children's pids to wait for them or signal them: a tree or a
 * multi-threaded process gets its original ids, which needs the exec
 * caller to have the original pid of the root and CAP_CHECKPOINT_RESTORE
 * over its pid namespace; or, when the administrator allowed it
 * (kernel.cr.new_tids), new ones.
 */
static bool cr_tree_orig_ids_allowed(const struct cr_tree *t)
{
	struct pid_namespace *ns = task_active_pid_ns(current);

	return task_pid_vnr(current) == t->proc[0].e.pid &&
	       ns_capable(ns->user_ns, CAP_CHECKPOINT_RESTORE);
}

/*
 * Before any other process's image is read: may the caller restore an
 * image of this many processes and threads at all? Only its tree note
 * and header have been read, so that an image the caller may not
 * restore costs it nothing (cr_tree_ids_prepare() checks the ids
 * themselves later).
 */
static int cr_tree_ids_allowed(struct cr_restore *root, struct cr_tree *t)
{
	u32 threads = root->img->hdr.nr_threads;

	if (t->nr == 1 && threads == 1)
		return 0;
	if (cr_tree_orig_ids_allowed(t) || READ_ONCE(cr_new_tids))
		return 0;
	root->needs_ids = true;
	cr_refuse(root->img->name, "%u processes, %u threads need their ids: restore as pid %d with CAP_CHECKPOINT_RESTORE, or allow new ids (kernel.cr.new_tids)",
		  t->nr, threads, t->proc[0].e.pid);
	return -EPERM;
}

static struct cr_ghost *cr_tree_ghost(struct cr_tree *t, pid_t id)
{
	unsigned int i;

	for (i = 0; i < t->nr_ghosts; i++)
		if (t->ghosts[i].id == id)
			return &t->ghosts[i];
	return NULL;
}

/*
 * The ids of the groups and sessions no process of the tree leads, in the
 * pid namespace the tree's processes are made in: the image's, or new
 * ones with new ids.
 */
static int cr_tree_ghosts_prepare(struct cr_restore *root, struct cr_tree *t)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	unsigned int i, k;

	for (i = 1; i < t->nr; i++) {
		for (k = 0; k < 2; k++) {
			pid_t id = k ? t->proc[i].e.sid : t->proc[i].e.pgid;
			struct cr_ghost *g;

			if (!cr_rule_tree_ghost(t->entries, t->nr, id) || cr_tree_ghost(t, id))
				continue;
			if (!t->ghosts) {
				t->ghosts = kvcalloc(2 * (t->nr - 1), sizeof(*g), GFP_KERNEL_ACCOUNT);
				if (!t->ghosts)
					return -ENOMEM;
			}
			g = &t->ghosts[t->nr_ghosts++];
			g->id = id;
		}
	}
	if (t->nr_ghosts && current->nsproxy->pid_ns_for_children != ns) {
		cr_refuse(root->img->name, "the caller's children would be in another pid namespace than the process groups");
		return -EINVAL;
	}
	for (i = 0; i < t->nr_ghosts; i++) {
		struct cr_ghost *g = &t->ghosts[i];
		struct pid *pid;

		pid = alloc_pid(ns, t->orig_ids ? &g->id : NULL, t->orig_ids);
		if (IS_ERR(pid)) {
			cr_refuse(root->img->name, "process group or session %d: cannot have its id (%ld)",
				  g->id, PTR_ERR(pid));
			return PTR_ERR(pid) == -EEXIST ? -EBUSY : PTR_ERR(pid);
		}
		/* alloc_pid()'s reference is the id's, put by free_pid(); this one the tree's. */
		g->pid = get_pid(pid);
	}
	return 0;
}

static int cr_tree_ids_prepare(struct cr_restore *root, struct cr_tree *t)
{
	const struct cr_proc *re = &t->proc[0].e;
	unsigned int i, j, threads = 0;
	bool orig = false;
	int ret;

	for (i = 0; i < t->nr; i++)
		threads += t->proc[i].e.nr_threads;
	if (t->nr > 1 || threads > 1) {
		if ((root->thread[root->main].th.flags & CR_THREAD_LEADER) &&
		    cr_tree_orig_ids_allowed(t)) {
			orig = true;
		} else if (!READ_ONCE(cr_new_tids)) {
			root->needs_ids = true;
			cr_refuse(root->img->name, "%u processes, %u threads need their ids: restore as pid %d with CAP_CHECKPOINT_RESTORE, or allow new ids (kernel.cr.new_tids)",
				  t->nr, threads, re->pid);
			return -EPERM;
		}
	}
	t->orig_ids = orig;
	/* First: a thread's id that is a group's too is then in use. */
	ret = cr_tree_ghosts_prepare(root, t);
	if (ret)
		return ret;
	for (i = 0; i < t->nr; i++) {
		struct cr_restore *r = t->proc[i].r;
		pid_t id;
		bool used;

		if (r)
			r->orig_tids = orig;
		if (!orig)
			continue;
		for (j = 0; j < (r ? r->nr_threads : 1); j++) {
			if (i == 0 && j == r->main)
				continue;
			id = r ? r->thread[j].th.tid : t->proc[i].e.pid;
			if (r && j == r->main && id != t->proc[i].e.pid) {
				cr_refuse(root->img->name, "process %d: its main thread has id %d",
					  t->proc[i].e.pid, id);
				return -EINVAL;
			}
			rcu_read_lock();
			used = find_vpid(id);
			rcu_read_unlock();
			if (used) {
				cr_refuse(root->img->name, "id %d is in use", id);
				return -EBUSY;
			}
		}
	}
	return 0;
}

/**
 * cr_restore_tree_prepare - check every process of an image
 * @r: the root's plan, with its image opened
 *
 * Everything that can fail for a reason found in the image fails here,
 * before the point of no return: the tree note, every descendant's image
 * (its files reopened, as for the root) and the ids.
 *
 * Return: 0 or a negative errno, after saying why.
 */
static int cr_tree_prepare_all(struct cr_restore *r, struct cr_tree *t);

int cr_restore_tree_prepare(struct cr_restore *r)
{
	const struct cr_image *img = r->img;
	u64 root_notes = (u64)img->phnum * sizeof(*img->phdrs) +
			 img->phdrs[0].p_filesz + (u64)img->nr_notes * CR_NOTE_COST;
	struct cr_ns_visit old_ns;
	struct cr_tree *t;
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	/* The root's notes are read already; the others' share what is left. */
	t->budget = CR_MAX_IMAGE_NOTES - min_t(u64, root_notes, CR_MAX_IMAGE_NOTES);
	refcount_set(&t->ref, 1);
	xa_init(&t->files);
	xa_init(&t->file_class);
	xa_init(&t->shm);
	xa_init(&t->seals);
	xa_init(&t->ctty);
	xa_init(&t->sysv_made);
	xa_init(&t->sem_made);
	xa_init(&t->msq_made);
	xa_init_flags(&t->mq_made, XA_FLAGS_ALLOC);
	xa_init(&t->closed_ends);
	init_waitqueue_head(&t->wait);
	init_completion(&t->joined);
	t->file = get_file(r->img->file);
	r->tree = t;
	ret = cr_tree_read_note(r, t);
	if (!ret)
		ret = cr_tree_ids_allowed(r, t);
	/* A tree in a chroot: every path of the image is from its root. */
	if (!ret)
		ret = cr_restore_root_prepare(r);
	/* The namespaces the root will enter (kernel/cr/ns.c): all is made in them. */
	if (!ret)
		ret = cr_restore_ns_prepare(r);
	if (ret)
		return ret;
	old_ns = cr_restore_ns_visit(r);
	ret = cr_tree_prepare_all(r, t);
	cr_restore_ns_leave(&old_ns);
	return ret;
}

/* What cr_restore_tree_prepare() makes in the tree's namespaces. */
static int cr_tree_prepare_all(struct cr_restore *r, struct cr_tree *t)
{
	unsigned int i;
	int ret;

	/* The semaphore sets and message queues first: SEM_UNDO needs them. */
	ret = cr_restore_sysv_ipc_prepare(r);
	if (ret)
		return ret;
	t->proc[0].r = r;
	r->proc = &t->proc[0].e;
	r->tree_idx = 0;
	ret = cr_restore_pipes_prepare(r);
	if (!ret)
		ret = cr_restore_sockets_prepare(r);
	if (!ret)
		ret = cr_restore_ttys_prepare(r);
	if (!ret)
		ret = cr_restore_one_prepare(r);
	for (i = 1; !ret && i < t->nr; i++)
		if (!(t->proc[i].e.flags & CR_PROC_ZOMBIE))
			ret = cr_tree_prepare_proc(r, t, i);
	/*
	 * Every file open, those in flight too: the pairs' messages are sent
	 * again with the files they carry. Listeners listening: clients
	 * connect again.
	 */
	if (!ret)
		ret = cr_restore_sockets_refill(r);
	if (!ret)
		ret = cr_restore_unix_pending(r);
	for (i = 1; !ret && i < t->nr; i++) {
		struct cr_tree_proc *tp = &t->proc[i];

		if (tp->r && tp->r->nr_pruns)
			ret = cr_restore_parent_pages_prepare(tp->r, tp->e.parent ?
							      t->proc[tp->e.parent].r : r);
	}
	if (!ret)
		ret = cr_tree_shm_prepare(r, t);
	if (!ret)
		ret = cr_tree_ids_prepare(r, t);
	/* The root's plan is binfmt_cr's, gone when exec returns. */
	t->proc[0].r = NULL;
	if (ret)
		return ret;
	rcu_read_lock();
	t->root_pgrp = get_pid(task_pgrp(current));
	t->root_session = get_pid(task_session(current));
	rcu_read_unlock();
	t->proc[0].pid = get_pid(task_tgid(current));
	return 0;
}

/* Creation */

/*
 * Can a process join @pid, under tasklist_lock? While a task is on it in
 * any way, or it is a ghost nobody joined yet: once the last task left
 * it, the kernel freed its id (free_pid()), as when a process of the tree
 * died and was reaped meanwhile.
 */
static bool cr_pid_joinable(struct pid *pid, const struct cr_ghost *ghost)
{
	enum pid_type type;

	if (ghost && !ghost->used)
		return !ghost->closed;
	for (type = PIDTYPE_PID; type < PIDTYPE_MAX; type++)
		if (pid_has_task(pid, type))
			return true;
	return false;
}

/*
 * The current process into group @pgrp of its session, as setpgid(0, ...)
 * would, or, for a group of the image (@ghost, or @mine: named after a
 * process of the tree), as its first member: a group whose leader is
 * gone or elsewhere. The rules made sure all its members share a session.
 */
static int cr_setpgid(struct pid *pgrp, struct cr_ghost *ghost, bool mine)
{
	struct task_struct *leader = current->group_leader, *g;
	int ret = 0;

	write_lock_irq(&tasklist_lock);
	if (task_pgrp(leader) == pgrp)
		goto out;
	ret = -EPERM;
	if (leader->signal->leader || !cr_pid_joinable(pgrp, ghost))
		goto out;
	if (pgrp != task_pid(leader)) {
		g = pid_task(pgrp, PIDTYPE_PGID);
		if (g ? task_session(g) != task_session(leader) : !ghost && !mine)
			goto out;
	}
	change_pid(leader, PIDTYPE_PGID, pgrp);
	if (ghost)
		ghost->used = true;
	ret = 0;
out:
	write_unlock_irq(&tasklist_lock);
	return ret;
}

/* The struct pid a process group or session id of the image now is. */
static struct pid *cr_tree_map(struct cr_tree *t, pid_t id, bool session)
{
	struct cr_ghost *ghost;
	unsigned int i;

	if (id == (session ? t->proc[0].e.sid : t->proc[0].e.pgid))
		return session ? t->root_session : t->root_pgrp;
	if (!session && id == t->proc[0].e.sid)
		return t->root_session;		/* the group of the root's session's leader */
	for (i = 0; i < t->nr; i++)
		if (t->proc[i].e.pid == id)
			return t->proc[i].pid;
	ghost = cr_tree_ghost(t, id);
	return ghost ? ghost->pid : NULL;
}

/**
 * cr_tree_pid - the struct pid process @id of the image has now
 * @t: the tree, every process created
 * @id: its pid in the image
 *
 * Return: the pid, or NULL for none (or a zombie).
 */
struct pid *cr_tree_pid(struct cr_tree *t, pid_t id)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (t->proc[i].e.pid == id && !(t->proc[i].e.flags & CR_PROC_ZOMBIE))
			return READ_ONCE(t->proc[i].pid);
	return NULL;
}

/**
 * cr_tree_proc_pid - the struct pid process @id of the image has now
 * @t: the tree, every process created, or NULL
 * @id: its pid in the image
 *
 * Return: the pid, a zombie's too, or NULL for none.
 */
struct pid *cr_tree_proc_pid(struct cr_tree *t, pid_t id)
{
	unsigned int i;

	for (i = 0; t && i < t->nr; i++)
		if (t->proc[i].e.pid == id)
			return READ_ONCE(t->proc[i].pid);
	return NULL;
}

/**
 * cr_tree_pgrp - the struct pid process group @id of the image is now
 * @t: the tree, every process in its group
 * @id: its id in the image
 *
 * Return: the pid, or NULL for none.
 */
struct pid *cr_tree_pgrp(struct cr_tree *t, pid_t id)
{
	return cr_tree_map(t, id, false);
}

/*
 * A new process of the tree into a session that is not its parent's nor
 * its own: one without a leader, one a process created before it leads,
 * or the root's. A process can only inherit a session or make one, so
 * this is done here as setsid() would do it, with the session's
 * controlling terminal, which every process of a session has (none for a
 * session without a leader: the checkpoint refused one that had). Its
 * group, in that session, is its own until it joins the one it had
 * (cr_tree_join()), unless that one is a group without a leader.
 */
static int cr_tree_enter_session(struct cr_tree_proc *tp)
{
	struct cr_tree *t = tp->tree;
	struct task_struct *leader = current->group_leader, *g;
	struct cr_ghost *gs = cr_tree_ghost(t, tp->e.sid);
	struct cr_ghost *gg = cr_tree_ghost(t, tp->e.pgid);
	struct pid *session = cr_tree_map(t, tp->e.sid, true);
	struct pid *pgrp = gg ? gg->pid : task_tgid(current);
	struct tty_struct *tty = NULL;
	int ret = -EPERM;

	write_lock_irq(&tasklist_lock);
	if (!session || leader->signal->leader || !cr_pid_joinable(session, gs) ||
	    !cr_pid_joinable(pgrp, gg))
		goto out;
	g = pid_task(pgrp, PIDTYPE_PGID);
	if (g && task_session(g) != session)
		goto out;
	g = pid_task(session, PIDTYPE_SID);
	if (g) {
		spin_lock(&g->sighand->siglock);
		tty = tty_kref_get(g->signal->tty);
		spin_unlock(&g->sighand->siglock);
	}
	if (task_session(leader) != session)
		change_pid(leader, PIDTYPE_SID, session);
	if (task_pgrp(leader) != pgrp)
		change_pid(leader, PIDTYPE_PGID, pgrp);
	if (gs)
		gs->used = true;
	if (gg)
		gg->used = true;
	spin_lock(&leader->sighand->siglock);
	swap(tty, leader->signal->tty);
	spin_unlock(&leader->sighand->siglock);
	ret = 0;
out:
	write_unlock_irq(&tasklist_lock);
	tty_kref_put(tty);
	return ret;
}

/*
 * In a new process: a session or group it leads (its subreaper flag and
 * parent-death signal come with its attributes, cr_restore_process()),
 * and the session's controlling terminal, if the tree rebuilt one. Runs
 * before it creates children, which inherit the terminal.
 */
static int cr_tree_leader(struct cr_tree_proc *tp)
{
	const struct cr_proc *e = &tp->e;
	struct cr_ctty *c;
	int ret = 0;

	if (e->sid == e->pid)
		ret = ksys_setsid() < 0 ? -EPERM : 0;
	else if (e->sid != tp->tree->proc[e->parent].e.sid)
		ret = cr_tree_enter_session(tp);
	if (!ret && e->pgid == e->pid)
		ret = cr_setpgid(task_tgid(current), NULL, true);
	if (ret) {
		cr_refuse(tp->name, "cannot lead its session or process group again (%d)", ret);
		return ret;
	}
	c = e->sid == e->pid ? xa_load(&tp->tree->ctty, e->pid) : NULL;
	if (c) {
		ret = cr_ctty_set(c);
		if (ret)
			cr_refuse(tp->name, "cannot make its pty its controlling terminal (%d)",
				  ret);
	}
	return ret;
}

/* Once every process is in its group: each terminal's foreground group. */
static int cr_tree_foreground(struct cr_tree *t)
{
	struct cr_ctty *c;
	unsigned long sid;
	int ret;

	xa_for_each(&t->ctty, sid, c) {
		ret = cr_ctty_foreground(c, cr_tree_map(t, c->pgrp, false));
		if (ret) {
			cr_refuse(current->comm, "session %lu: cannot make group %d its foreground (%d)",
				  sid, c->pgrp, ret);
			return ret;
		}
	}
	return 0;
}

/* In each process once the tree exists: its group, then a check of its session. */
static int cr_tree_join(struct cr_tree_proc *tp)
{
	struct cr_tree *t = tp->tree;
	struct pid *pgrp = cr_tree_map(t, tp->e.pgid, false);
	struct pid *session = cr_tree_map(t, tp->e.sid, true);
	bool mine = pgrp && pgrp != t->root_pgrp && pgrp != t->root_session;
	int ret = pgrp ? cr_setpgid(pgrp, cr_tree_ghost(t, tp->e.pgid), mine) : -ESRCH;

	if (!ret && task_session(current) != session)
		ret = -EPERM;
	if (ret)
		cr_refuse(tp->name, "cannot join process group %d of session %d (%d)",
			  tp->e.pgid, tp->e.sid, ret);
	return ret;
}

static void cr_tree_fail(struct cr_tree *t)
{
	unsigned int i;

	WRITE_ONCE(t->phase, CR_TREE_FAILED);
	wake_up_all(&t->wait);
	complete(&t->joined);
	for (i = 1; i < t->nr; i++) {
		struct pid *pid = READ_ONCE(t->proc[i].pid);

		if (pid)
			kill_pid(pid, SIGKILL, 1);
	}
}

static int cr_tree_wait_phase(struct cr_tree *t, enum cr_tree_phase phase)
{
	if (wait_event_killable(t->wait, READ_ONCE(t->phase) >= phase))
		return -EINTR;
	return READ_ONCE(t->phase) == CR_TREE_FAILED ? -EINTR : 0;
}

/**
 * cr_restore_one - rebuild one process from its plan, past the point of no return
 * @r: a prepared plan; current is the process (the exec caller, or a new
 *     process of the tree, a copy of its parent)
 *
 * Memory, attributes, descriptors (unless the table is the parent's,
 * restored already), signals, then the threads' work is queued.
 *
 * Return: 0 or a negative errno; the caller dies.
 */
int cr_restore_one(struct cr_restore *r)
{
	int ret;

	/* The root's namespaces, before it makes a descendant (which inherit them). */
	if (!r->tree_idx)
		cr_restore_ns(r);
	ret = cr_restore_mm(r);
	if (!ret)
		ret = cr_restore_process(r);
	if (!ret)
		ret = cr_restore_mm_lock(r);	/* within the restored RLIMIT_MEMLOCK */
	if (!ret && !(r->proc->flags & CR_PROC_FILES))
		ret = cr_restore_files(r);
	if (!ret)
		ret = cr_restore_sysv_sem(r);
	if (!ret)
		ret = cr_restore_signal(r);
	if (!ret)
		ret = cr_restore_task(r);
	if (!ret)
		cr_restore_timers(r);
	return ret;
}

/*
 * The exec of a descendant, in the new process before it first returns
 * to user space: its session or group first, then what binfmt_cr does
 * after the point of no return, on the process's copy of its parent.
 */
static int cr_tree_restore_proc(struct cr_tree_proc *tp)
{
	int ret;

	ret = cr_tree_leader(tp);
	if (!ret)
		ret = cr_restore_one(tp->r);
	if (ret)
		cr_refuse(tp->name, "cannot restore the process (%d)", ret);
	return ret;
}

/*
 * A new process of the tree records its own struct pid first: a number
 * looked up later could already name another process, if this one died
 * and was reaped meanwhile, and cr_tree_fail() would kill that one.
 */
static void cr_tree_set_pid(struct cr_tree_proc *tp)
{
	WRITE_ONCE(tp->pid, get_pid(task_tgid(current)));
}

static int cr_tree_proc_start(void *arg)
{
	struct cr_tree_proc *tp = arg;
	struct cr_tree *t = tp->tree;

	cr_tree_set_pid(tp);
	if (READ_ONCE(t->phase) == CR_TREE_FAILED || cr_tree_restore_proc(tp)) {
		/* No plan was queued: nothing else completes ours. */
		cr_tree_fail(t);
		complete(&tp->ready);
		force_fatal_sig(SIGKILL);
	}
	cr_tree_put(t);
	return 0;
}

/* A zombie: it leads its group or session again, and exits with its status. */
static int cr_tree_zombie_start(void *arg)
{
	struct cr_tree_proc *tp = arg;
	struct cr_tree *t = tp->tree;
	int code = tp->e.exit_code;

	cr_tree_set_pid(tp);
	if (cr_tree_leader(tp) || cr_tree_join(tp))
		cr_tree_fail(t);
	complete(&tp->ready);
	cr_tree_put(t);
	do_exit(code);
}

static int cr_tree_create(struct cr_tree *t, unsigned int i)
{
	struct cr_tree_proc *tp = &t->proc[i];
	bool zombie = tp->e.flags & CR_PROC_ZOMBIE;
	bool orig = t->orig_ids;
	pid_t pid = tp->e.pid;
	struct kernel_clone_args args = {
		.flags = (tp->e.flags & CR_PROC_FILES ? CLONE_FILES : 0) |
			 (tp->e.flags & CR_PROC_FS ? CLONE_FS : 0),
		.exit_signal = tp->e.exit_signal,
		.fn = zombie ? cr_tree_zombie_start : cr_tree_proc_start,
		.fn_arg = tp,
		.set_tid = orig ? &pid : NULL,
		.set_tid_size = orig ? 1 : 0,
	};
	pid_t ret;

	cr_tree_get(t);
	ret = kernel_clone(&args);
	if (ret < 0) {
		cr_tree_put(t);
		cr_refuse(tp->name, "cannot create the process (%d)", ret);
		return ret;
	}
	/* The child set tp->pid itself; it completes tp->ready in any case. */
	if (wait_for_completion_killable(&tp->ready))
		return -EINTR;
	return READ_ONCE(t->phase) == CR_TREE_FAILED ? -EINTR : 0;
}

/**
 * cr_tree_spawn - create the children of a restored process
 * @t: the tree
 * @idx: the process, current
 *
 * One at a time, in the image's order, each built with its subtree
 * before the next is created.
 *
 * Return: 0 or a negative errno.
 */
int cr_tree_spawn(struct cr_tree *t, unsigned int idx)
{
	unsigned int i;
	int ret;

	for (i = idx + 1; i < t->nr; i++) {
		if (t->proc[i].e.parent != idx)
			continue;
		ret = cr_tree_create(t, i);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * cr_tree_wait - a restored process is built: wait for the whole tree
 * @t: the tree
 * @idx: the process, current; 0 (the root) drives the phases
 * @err: how building it went
 * @joined: called once every process of the tree exists and before any
 *	runs, with @arg, unless building it failed; or NULL
 * @arg: for @joined
 *
 * Return: 0 when the tree runs, or a negative errno: the caller dies.
 */
int cr_tree_wait(struct cr_tree *t, unsigned int idx, int err,
		 int (*joined)(void *arg), void *arg)
{
	struct cr_tree_proc *tp = &t->proc[idx];
	unsigned int i, live = 0;
	int ret;

	if (idx) {
		if (err)
			cr_tree_fail(t);
		complete(&tp->ready);
		ret = err ?: cr_tree_wait_phase(t, CR_TREE_JOINING);
		if (!ret) {
			ret = cr_tree_join(tp);
			if (!ret && joined)
				ret = joined(arg);
			if (ret)
				cr_tree_fail(t);
			if (atomic_dec_and_test(&t->joining))
				complete(&t->joined);
		}
		return ret ?: cr_tree_wait_phase(t, CR_TREE_RUNNING);
	}

	for (i = 1; i < t->nr; i++)
		live += !(t->proc[i].e.flags & CR_PROC_ZOMBIE);
	if (err || READ_ONCE(t->phase) == CR_TREE_FAILED)
		goto fail;
	atomic_set(&t->joining, live);
	WRITE_ONCE(t->phase, CR_TREE_JOINING);
	wake_up_all(&t->wait);
	if (live && wait_for_completion_killable(&t->joined))
		goto fail;
	if (READ_ONCE(t->phase) == CR_TREE_FAILED || (joined && joined(arg)) ||
	    cr_tree_foreground(t) || cr_tree_seal(t))
		goto fail;
	WRITE_ONCE(t->phase, CR_TREE_RUNNING);
	wake_up_all(&t->wait);
	return 0;
fail:
	cr_tree_fail(t);
	return err ?: -EINTR;
}

/**
 * cr_tree_thread_wait - a restored thread waits until the tree runs
 * @t: the tree
 *
 * Return: 0, or -EINTR when the tree failed.
 */
int cr_tree_thread_wait(struct cr_tree *t)
{
	return cr_tree_wait_phase(t, CR_TREE_RUNNING);
}
