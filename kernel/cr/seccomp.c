// SPDX-License-Identifier: GPL-2.0
/*
 * seccomp(2): the mode and the filters of each thread.
 *
 * Checkpoint: NT_CR_SECCOMP among the notes of a thread under seccomp:
 * strict mode, or its filters, oldest first, each with its classic BPF
 * program as seccomp(SECCOMP_SET_MODE_FILTER) took it (kept by the kernel
 * with CONFIG_CHECKPOINT_RESTORE), SECCOMP_FILTER_FLAG_LOG and a
 * tree-wide id: threads and processes that share a filter (made before a
 * clone() or fork(), or synchronized by SECCOMP_FILTER_FLAG_TSYNC) have
 * the same id (kernel/seccomp.c, seccomp_cr_get_filter()). A filter with
 * a user notification listener attached refuses the checkpoint: its
 * supervisor, which holds the listener, is another program.
 *
 * Restore: each thread attaches its filters last, just before it takes
 * its credentials (cr_thread_finish()), on top of the filters the exec
 * caller has (they stay: they only restrict), as seccomp(2) would let it:
 * with no_new_privs, which the thread has again by then, or with
 * CAP_SYS_ADMIN; this is checked before the point of no return. A filter
 * made already for another thread of the restore is shared again when
 * its parent is the thread's newest filter, so that the filters are
 * shared as they were and TSYNC works on them; otherwise the thread
 * gets a copy. Strict mode is entered as prctl(PR_SET_SECCOMP) enters it.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seccomp.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#if defined(CONFIG_SECCOMP_FILTER) && defined(CONFIG_CHECKPOINT_RESTORE)
#define CR_SECCOMP_FILTERS	1
#else
#define CR_SECCOMP_FILTERS	0
#endif

/* Checkpoint */

#if CR_SECCOMP_FILTERS
/* Append filter @n of @t to @buf; -ENOENT past the newest. */
static int cr_dump_seccomp_filter(struct cr_dump *d, struct task_struct *t, unsigned int n,
				  void **buf, size_t *size, unsigned int *insns)
{
	struct cr_seccomp_filter f = {};
	unsigned int len, flags;
	struct sock_filter *prog;
	struct cr_obj *obj;
	const void *id;
	size_t bytes;
	void *p;
	int ret = 0;

	prog = seccomp_cr_get_filter(t, n, &id, &len, &flags);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
		cr_refuse(current->comm, "checkpoint refused: thread %d has a seccomp filter with a user notification listener, which is another program's",
			  task_pid_vnr(t));
		ret = -EOPNOTSUPP;
		goto out;
	}
	*insns += len + 4;
	if (n >= CR_MAX_SECCOMP_FILTERS || *insns > CR_MAX_SECCOMP_INSNS + 4) {
		ret = -E2BIG;	/* more than the kernel lets a thread have */
		goto out;
	}
	obj = cr_obj_find(d->objs, id, true);
	if (!obj) {
		ret = -ENOMEM;
		goto out;
	}
	f.id = obj->id;
	f.flags = flags & SECCOMP_FILTER_FLAG_LOG ? CR_SECCOMP_LOG : 0;
	f.len = len;
	bytes = (size_t)len * CR_SECCOMP_INSN_SIZE;
	p = krealloc(*buf, *size + sizeof(f) + bytes, GFP_KERNEL_ACCOUNT);
	if (!p) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(p + *size, &f, sizeof(f));
	memcpy(p + *size + sizeof(f), prog, bytes);
	*buf = p;
	*size += sizeof(f) + bytes;
out:
	kfree(prog);
	return ret;
}

static int cr_dump_seccomp_filters(struct cr_dump *d, struct task_struct *t)
{
	struct cr_hdr_seccomp *h;
	unsigned int n, insns = 0;
	size_t size = sizeof(*h);
	void *buf;
	int ret;

	buf = kzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	for (n = 0; ; n++) {
		ret = cr_dump_seccomp_filter(d, t, n, &buf, &size, &insns);
		if (ret)
			break;
	}
	if (ret == -ENOENT && n) {
		h = buf;
		h->mode = SECCOMP_MODE_FILTER;
		h->nr_filters = n;
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SECCOMP, buf, size);
	} else if (ret != -EOPNOTSUPP) {
		cr_refuse(current->comm, "checkpoint refused: cannot read the seccomp filters of thread %d (%d)",
			  task_pid_vnr(t), ret);
	}
	kfree(buf);
	return ret;
}
#else
static int cr_dump_seccomp_filters(struct cr_dump *d, struct task_struct *t)
{
	cr_refuse(current->comm, "checkpoint refused: thread %d has seccomp filters, which need CONFIG_CHECKPOINT_RESTORE to be read",
		  task_pid_vnr(t));
	return -EOPNOTSUPP;
}
#endif

/* Is @t in strict mode, which also sets TIF_NOTSC? */
bool cr_seccomp_strict(struct task_struct *t)
{
#ifdef CONFIG_SECCOMP
	return READ_ONCE(t->seccomp.mode) == SECCOMP_MODE_STRICT;
#else
	return false;
#endif
}

/**
 * cr_dump_seccomp - NT_CR_SECCOMP of thread @t, if it runs under seccomp
 * @d: image being written
 * @t: a thread of the process, parked or current: its filters stay
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_seccomp(struct cr_dump *d, struct task_struct *t)
{
#ifdef CONFIG_SECCOMP
	struct cr_hdr_seccomp h = { .mode = SECCOMP_MODE_STRICT };

	switch (READ_ONCE(t->seccomp.mode)) {
	case SECCOMP_MODE_DISABLED:
		return 0;
	case SECCOMP_MODE_STRICT:
		return cr_dump_note(d, CR_NOTE_NAME, NT_CR_SECCOMP, &h, sizeof(h));
	default:
		return cr_dump_seccomp_filters(d, t);
	}
#else
	return 0;
#endif
}

/* Restore */

/* The filters of one restore, tree-wide, shared by the plans of its threads. */
struct cr_seccomp_set {
	refcount_t ref;
	struct mutex lock;	/* one thread attaches at a time */
	struct xarray made;	/* id: the filter attached first, referenced */
	struct xarray parent;	/* id: its parent's id, + 1 (0: the oldest) */
};

/* One thread's mode and filters, copied from its note and checked. */
struct cr_seccomp {
	refcount_t ref;
	struct cr_seccomp_set *set;
	u32 mode;
	u32 nr;
	size_t size;
	u8 filters[];		/* struct cr_seccomp_filter, program, ... */
};

struct cr_seccomp_set *cr_seccomp_set_new(void)
{
	struct cr_seccomp_set *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	refcount_set(&s->ref, 1);
	mutex_init(&s->lock);
	xa_init(&s->made);
	xa_init(&s->parent);
	return s;
}

void cr_seccomp_set_put(struct cr_seccomp_set *s)
{
	unsigned long id;
	void *f;

	if (!s || !refcount_dec_and_test(&s->ref))
		return;
#if CR_SECCOMP_FILTERS
	xa_for_each(&s->made, id, f)
		seccomp_cr_put_filter(f);
#endif
	xa_destroy(&s->made);
	xa_destroy(&s->parent);
	kfree(s);
}

struct cr_seccomp *cr_seccomp_get(struct cr_seccomp *sc)
{
	if (sc)
		refcount_inc(&sc->ref);
	return sc;
}

void cr_seccomp_put(struct cr_seccomp *sc)
{
	if (!sc || !refcount_dec_and_test(&sc->ref))
		return;
	cr_seccomp_set_put(sc->set);
	kvfree(sc);
}

/* The filter at @off of @sc, and its program. */
static const struct cr_seccomp_filter *cr_seccomp_at(const struct cr_seccomp *sc, size_t *off,
						     const void **prog)
{
	const struct cr_seccomp_filter *f = (const void *)(sc->filters + *off);

	*prog = f + 1;
	*off += sizeof(*f) + (size_t)f->len * CR_SECCOMP_INSN_SIZE;
	return f;
}

/**
 * cr_restore_seccomp_prepare - check a thread's NT_CR_SECCOMP, copy it
 * @r: restore plan
 * @t: the thread, its NT_CR_THREAD checked
 * @n: its place in the image, for messages
 * @note: its NT_CR_SECCOMP, checked by cr_rule_seccomp(), or NULL
 * @set: the restore's filters (cr_tree_seccomp())
 *
 * A filter shared in the image has the same parent in every thread that
 * has it. Attaching filters needs no_new_privs (the thread's, restored
 * first) or CAP_SYS_ADMIN, as seccomp(2) says; strict mode, a caller that
 * is not under filters.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_seccomp_prepare(struct cr_restore *r, struct cr_restore_thread *t,
			       unsigned int n, const struct cr_note *note,
			       struct cr_seccomp_set *set)
{
	const char *name = r->img->name;
	struct cr_hdr_seccomp h;
	struct cr_seccomp *sc;
	unsigned int i;
	u32 parent = 0;
	size_t off = 0;
	int ret;

	if (!note)
		return 0;
	memcpy(&h, note->desc, sizeof(h));
#ifdef CONFIG_SECCOMP
	if (h.mode == SECCOMP_MODE_STRICT && current->seccomp.mode == SECCOMP_MODE_FILTER) {
		cr_refuse(name, "thread %u: cannot enter seccomp strict mode under the caller's seccomp filters",
			  n);
		return -EINVAL;
	}
#endif
	if (h.mode == SECCOMP_MODE_FILTER) {
		if (!CR_SECCOMP_FILTERS) {
			cr_refuse(name, "thread %u: seccomp filters need a kernel with CONFIG_SECCOMP_FILTER and CONFIG_CHECKPOINT_RESTORE",
				  n);
			return -EOPNOTSUPP;
		}
		if (!(t->th.flags & CR_THREAD_NO_NEW_PRIVS) &&
		    !ns_capable(current_user_ns(), CAP_SYS_ADMIN)) {
			cr_refuse(name, "thread %u: seccomp filters without no_new_privs need CAP_SYS_ADMIN",
				  n);
			return -EACCES;
		}
	}
	sc = kvmalloc(struct_size(sc, filters, note->size - sizeof(h)), GFP_KERNEL_ACCOUNT);
	if (!sc)
		return -ENOMEM;
	refcount_set(&sc->ref, 1);
	sc->set = set;
	refcount_inc(&set->ref);
	sc->mode = h.mode;
	sc->nr = h.nr_filters;
	sc->size = note->size - sizeof(h);
	memcpy(sc->filters, note->desc + sizeof(h), sc->size);
	t->seccomp = sc;
	for (i = 0; i < sc->nr; i++) {
		const struct cr_seccomp_filter *f;
		const void *prog;
		void *old;

		f = cr_seccomp_at(sc, &off, &prog);
		old = xa_load(&set->parent, f->id);
		if (old && xa_to_value(old) != parent) {
			cr_refuse(name, "thread %u: seccomp filter %u has another parent than elsewhere in the image",
				  n, f->id);
			return -EINVAL;
		}
		if (!old) {
			ret = xa_err(xa_store(&set->parent, f->id, xa_mk_value(parent),
					      GFP_KERNEL_ACCOUNT));
			if (ret)
				return ret;
		}
		parent = f->id + 1;
	}
	return 0;
}

#if CR_SECCOMP_FILTERS
/*
 * A new filter for the current thread: seccomp(2) takes its program from
 * user memory, so it goes through a mapping made for the time of the call
 * and never locked, whatever mlockall(MCL_FUTURE) set.
 */
static struct seccomp_filter *cr_seccomp_new(const struct cr_seccomp_filter *f,
					     const void *prog)
{
	struct mm_struct *mm = current->mm;
	size_t bytes = (size_t)f->len * CR_SECCOMP_INSN_SIZE;
	unsigned long len = PAGE_ALIGN(bytes), addr, populate;
	struct seccomp_filter *filter;
	struct sock_fprog fprog;
	vm_flags_t def_flags;

	if (mmap_write_lock_killable(mm))
		return ERR_PTR(-EINTR);
	def_flags = mm->def_flags;
	mm->def_flags &= ~VM_LOCKED_MASK;
	addr = do_mmap(NULL, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       0, 0, &populate, NULL);
	mm->def_flags = def_flags;
	mmap_write_unlock(mm);
	if (IS_ERR_VALUE(addr))
		return ERR_PTR(addr);
	fprog.len = f->len;
	fprog.filter = (struct sock_filter __user *)addr;
	if (copy_to_user(fprog.filter, prog, bytes))
		filter = ERR_PTR(-EFAULT);
	else
		filter = seccomp_cr_attach_filter(&fprog, f->flags & CR_SECCOMP_LOG ?
						  SECCOMP_FILTER_FLAG_LOG : 0);
	vm_munmap(addr, len);
	return filter;
}

static int cr_restore_seccomp_filters(struct cr_seccomp *sc)
{
	struct cr_seccomp_set *set = sc->set;
	size_t off = 0;
	unsigned int i;
	int ret = 0;

	mutex_lock(&set->lock);
	for (i = 0; !ret && i < sc->nr; i++) {
		const struct cr_seccomp_filter *f;
		struct seccomp_filter *filter;
		const void *prog;

		f = cr_seccomp_at(sc, &off, &prog);
		filter = xa_load(&set->made, f->id);
		if (filter && !seccomp_cr_share_filter(filter))
			continue;
		filter = cr_seccomp_new(f, prog);
		if (IS_ERR(filter)) {
			ret = PTR_ERR(filter);
			break;
		}
		/* The first one made is the one the others share. */
		if (xa_load(&set->made, f->id) ||
		    xa_err(xa_store(&set->made, f->id, filter, GFP_KERNEL_ACCOUNT)))
			seccomp_cr_put_filter(filter);
	}
	mutex_unlock(&set->lock);
	return ret;
}
#else
static int cr_restore_seccomp_filters(struct cr_seccomp *sc)
{
	return -EOPNOTSUPP;
}
#endif

/**
 * cr_restore_seccomp - the current thread enters its seccomp mode
 * @sc: its mode and filters, or NULL
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_seccomp(struct cr_seccomp *sc)
{
	if (!sc)
		return 0;
	if (sc->mode == SECCOMP_MODE_STRICT)
		return prctl_set_seccomp(SECCOMP_MODE_STRICT, NULL);
	return cr_restore_seccomp_filters(sc);
}
