// SPDX-License-Identifier: GPL-2.0
/*
 * SysV IPC: the shared memory segments a process has attached (shmget(2),
 * shmat(2)), and its semaphore adjustments.
 *
 * Checkpoint: NT_CR_SYSV_SHM, in each process's image: every segment the
 * process attaches, with its id, key, size, permission bits, owner, and
 * whether it was removed (IPC_RMID) while attached. Each attachment is a
 * mapping of kind CR_VMA_SYSV naming the segment's object, whose pages the
 * image stores once for the tree, as for shared anonymous memory
 * (kernel/cr/mm.c). A segment is read in the process's IPC namespace
 * while the tree is frozen (ipc/shm.c, shm_cr_segment()). An attachment
 * that is not whole (a part unmapped) or whose protection changed since
 * (mprotect), a hugetlb segment and a locked one (SHM_LOCK) refuse the
 * checkpoint.
 *
 * Restore: before the point of no return, each segment is looked up by
 * its id in the exec caller's IPC namespace. One with the same key, size
 * and change time (shm_ctime: made, or IPC_SET) is the same segment, still there (a restore in the same boot): it
 * is attached again as it is now, shared with whoever else attaches it,
 * and its pages in the image are not written. One that is gone is made
 * again with its id (as the kernel.shm_next_id sysctl does), key, size,
 * permission bits and owner (shmctl(IPC_SET), which its maker may do),
 * given its change time back (so that a next restore of the image finds
 * it as the image's) and filled from the image; the ids of its creator
 * are the caller's. An id
 * taken by another segment, or a key taken by another id, fails the exec
 * with EBUSY or EEXIST. Segments made for a restore that then fails are
 * removed. Each process attaches its segments with shmat(2) at their
 * addresses; a segment removed at the checkpoint is removed again
 * (IPC_RMID) once attached, so that it goes at its last detach.
 *
 * Semaphore adjustments: NT_CR_SEM_UNDO, in each process's image, the
 * SEM_UNDO adjustments its exit would apply, set by set with the set's
 * change time (ipc/sem.c, sem_cr_undos()). An exit-mode checkpoint ends
 * the process, which releases what it held; the restore takes it again:
 * before the point of no return, each set must be the one the image knew
 * (same id, number of semaphores and change time) and each operation
 * possible without waiting (else EAGAIN: another process holds it);
 * after, the process does the operations with SEM_UNDO and IPC_NOWAIT,
 * as semop(2) would, so that it holds them again and its exit releases
 * them.
 *
 * Making a segment, set or queue again with its id is what the
 * kernel.*_next_id sysctls let do: it needs CAP_CHECKPOINT_RESTORE (or
 * CAP_SYS_ADMIN) over the IPC namespace, else the exec fails with EPERM.
 *
 * Semaphore sets and message queues: NT_CR_SYSV_SEM and NT_CR_SYSV_MSG, in
 * the root's image, hold each set and queue of the tree's IPC namespace
 * whose last operation was by a process of the tree (a semaphore's
 * sempid; a queue's last msgsnd() or msgrcv()) and that the root may read
 * (IPC_STAT): its id, key, permission bits, owner and change time, a
 * set's values, a queue's limit and messages, read without receiving
 * them (ipc/sem.c, ipc/msg.c). Others are not the tree's and stay as they
 * are. At restore, before the point of no return and before any
 * SEM_UNDO adjustment is checked, each is looked up by its id: one with
 * the same key, size (a set's semaphores) and change time is the same,
 * still there (a restore in the same boot), and stays as it is now; one
 * that is gone is made again with its id, key, permission bits, owner,
 * change time, values or messages; the restoring caller is its creator.
 * Another object with the id fails the exec with EBUSY, another with the
 * key with EEXIST. A set made again gets the SEM_UNDO adjustments of the
 * tree's processes added to its values (what their exit released), which
 * they then take again as above. Sets and queues made for a restore that
 * then fails are removed.
 */
#include <linux/capability.h>
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/msg.h>
#include <linux/pid.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc.h>
#include <linux/ipc_namespace.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <asm/shmparam.h>
#include <uapi/linux/shm.h>

#ifdef CONFIG_SYSVIPC

/**
 * cr_sysv_shm_file - is @file the file of a SysV attachment?
 * @file: a mapping's file
 */
bool cr_sysv_shm_file(struct file *file)
{
	return shm_cr_file_id(file) >= 0;
}

/* Checkpoint */

/* Why an attachment cannot be saved, or NULL. */
static const char *cr_sysv_refusal(struct vm_area_struct *vma, const struct shm_cr *info)
{
	if (info->hugetlb)
		return "a hugetlb segment, which is not saved yet";
	if (info->locked)
		return "a segment locked in memory (SHM_LOCK), which is not saved yet";
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_ALIGN(info->size))
		return "a part of a segment (the rest was unmapped), which could not be attached again";
	if (!(vma->vm_flags & VM_READ) ||
	    !(vma->vm_flags & VM_WRITE) != !(vma->vm_flags & VM_MAYWRITE))
		return "an attachment whose protection changed (mprotect), which is not saved yet";
	return NULL;
}

/* Record the segment attached by @vma in @list, once. */
static int cr_dump_sysv_one(struct cr_dump *d, struct vm_area_struct *vma,
			    struct cr_sysv_shm *list, unsigned int *nr)
{
	int id = shm_cr_file_id(vma->vm_file);
	struct cr_sysv_shm *e;
	const char *why;
	struct shm_cr info;
	struct cr_obj *obj;
	struct file *base;
	unsigned int i;

	base = shm_cr_segment(id, &info);
	if (IS_ERR(base) || file_inode(base) != file_inode(vma->vm_file)) {
		cr_refuse(current->comm, "checkpoint refused: the SysV segment at %#lx (id %d) is gone",
			  vma->vm_start, id);
		if (!IS_ERR(base))
			fput(base);
		return -EIDRM;
	}
	fput(base);
	why = cr_sysv_refusal(vma, &info);
	if (why) {
		cr_refuse(current->comm, "checkpoint refused: SysV segment %d at %#lx: %s",
			  id, vma->vm_start, why);
		return -EOPNOTSUPP;
	}
	for (i = 0; i < *nr; i++)
		if (list[i].shmid == id)
			return 0;
	obj = cr_obj_find(d->objs, file_inode(vma->vm_file), true);
	if (!obj)
		return -ENOMEM;
	e = &list[(*nr)++];
	e->obj = obj->id;
	e->shmid = id;
	e->key = info.key;
	e->mode = info.mode & 0777;
	e->flags = info.removed ? CR_SYSV_REMOVED : 0;
	e->uid = from_kuid_munged(current_user_ns(), info.uid);
	e->gid = from_kgid_munged(current_user_ns(), info.gid);
	e->size = info.size;
	e->ctime = info.ctime;
	return 0;
}

/**
 * cr_dump_sysv_shm - NT_CR_SYSV_SHM: the segments the current process attaches
 * @d: image being written
 * @mm: the current process's own memory, while the tree is frozen
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_sysv_shm(struct cr_dump *d, struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	struct cr_sysv_shm *list;
	unsigned int n = 0, nr = 0;
	int ret = 0;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		if (vma->vm_file && cr_sysv_shm_file(vma->vm_file))
			n++;
	mmap_read_unlock(mm);
	if (!n)
		return 0;
	if (n > CR_MAX_SYSV_SHM) {
		cr_refuse(current->comm, "checkpoint refused: more than %u SysV attachments",
			  CR_MAX_SYSV_SHM);
		return -E2BIG;
	}
	list = kvcalloc(n, sizeof(*list), GFP_KERNEL_ACCOUNT);
	if (!list)
		return -ENOMEM;
	mmap_read_lock(mm);
	vma_iter_init(&vmi, mm, 0);
	for_each_vma(vmi, vma) {
		if (!vma->vm_file || !cr_sysv_shm_file(vma->vm_file))
			continue;
		if (nr == n) {
			ret = -EAGAIN;	/* cannot happen: the tree is frozen */
			break;
		}
		ret = cr_dump_sysv_one(d, vma, list, &nr);
		if (ret)
			break;
	}
	mmap_read_unlock(mm);
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SYSV_SHM, list, nr * sizeof(*list));
	kvfree(list);
	return ret;
}

/**
 * cr_dump_sysv_sem - NT_CR_SEM_UNDO: the process's SEM_UNDO adjustments
 * @d: image being written
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_sysv_sem(struct cr_dump *d)
{
	size_t len = 0, need;
	unsigned int nr, tries;
	void *buf = NULL;
	int ret;

	for (tries = 0; tries < 4; tries++) {
		ret = sem_cr_undos(buf, len, &need, &nr);
		if (ret != -ENOSPC)
			break;
		kvfree(buf);
		len = need + 64;
		buf = kvzalloc(len, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOMEM;
	}
	if (ret == -EBUSY)
		cr_refuse(current->comm, "checkpoint refused: its SysV semaphore adjustments (SEM_UNDO) are shared with another process (CLONE_SYSVSEM)");
	else if (ret == -ENOSPC)
		cr_refuse(current->comm, "checkpoint refused: its SysV semaphore adjustments keep changing (try again)");
	else if (!ret && nr > CR_MAX_SEM_UNDO)
		cr_refuse(current->comm, "checkpoint refused: SEM_UNDO adjustments in more than %u semaphore sets",
			  CR_MAX_SEM_UNDO);
	if (!ret && nr > CR_MAX_SEM_UNDO)
		ret = -E2BIG;
	if (!ret && nr)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SEM_UNDO, buf, need);
	kvfree(buf);
	return ret == -EBUSY ? -EOPNOTSUPP : ret == -ENOSPC ? -EAGAIN : ret;
}

/* Restore */

/* Each adjustment of the NT_CR_SEM_UNDO note of @r, by @fn; stops at an error. */
static int cr_sem_undo_each(struct cr_restore *r,
			    int (*fn)(struct cr_restore *r, const struct cr_sem_undo *u,
				      const s16 *adj))
{
	size_t off = 0;
	int ret = 0;

	while (!ret && off < r->sem_undo_len) {
		struct cr_sem_undo u;

		memcpy(&u, r->sem_undo + off, sizeof(u));
		ret = fn(r, &u, (const s16 *)(r->sem_undo + off + sizeof(u)));
		off += sizeof(u) + ALIGN(u.nsems * sizeof(s16), 8);
	}
	return ret;
}

/* The set of @u is the image's, and its adjustments can be taken again now. */
static int cr_sem_undo_check(struct cr_restore *r, const struct cr_sem_undo *u, const s16 *adj)
{
	unsigned short *vals;
	time64_t ctime;
	int n, i, ret = 0;

	/* A set made again: what the process's exit released, first. */
	if (cr_tree_sysv_is_made(r->tree, false, u->semid)) {
		ret = sem_cr_add(u->semid, adj, u->nsems);
		if (ret) {
			cr_refuse(r->img->name, "cannot give SysV semaphore set %d made again its SEM_UNDO adjustments (%d)",
				  u->semid, ret);
			return ret == -ERANGE ? -EINVAL : ret;
		}
	}
	vals = kvmalloc_array(u->nsems, sizeof(*vals), GFP_KERNEL);
	if (!vals)
		return -ENOMEM;
	n = sem_cr_array(u->semid, &ctime, vals, u->nsems);
	if (n == -EINVAL || n == -EIDRM) {
		cr_refuse(r->img->name, "SysV semaphore set %d is gone: its SEM_UNDO adjustments cannot be taken again",
			  u->semid);
		ret = -ENOENT;
	} else if (n < 0) {
		cr_refuse(r->img->name, "SysV semaphore set %d cannot be read (%d)", u->semid, n);
		ret = n;
	} else if (n != u->nsems || ctime != u->ctime) {
		cr_refuse(r->img->name, "SysV semaphore set %d is another set than the image's (%d semaphores, changed at %lld)",
			  u->semid, n, (long long)ctime);
		ret = -EBUSY;
	}
	for (i = 0; !ret && i < n; i++) {
		int v = vals[i] - adj[i];

		if (v < 0 || v > SEMVMX) {
			cr_refuse(r->img->name, "SysV semaphore %d of set %d is %u: its adjustment %d cannot be taken again now",
				  i, u->semid, vals[i], adj[i]);
			ret = -EAGAIN;
		}
	}
	kvfree(vals);
	return ret;
}

/**
 * cr_restore_sysv_sem_prepare - check the SEM_UNDO adjustments a process takes again
 * @r: restore plan
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_sysv_sem_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_SEM_UNDO);
	unsigned int nr;
	int ret;

	ret = cr_rule_sem_undo(r->img->name, note, &nr);
	if (ret || !nr)
		return ret;
	r->sem_undo = kvmemdup(note->desc, note->size, GFP_KERNEL_ACCOUNT);
	if (!r->sem_undo)
		return -ENOMEM;
	r->sem_undo_len = note->size;
	return cr_sem_undo_each(r, cr_sem_undo_check);
}

/* The operations of @u, one semaphore at a time (within any SEMOPM). */
static int cr_sem_undo_take(struct cr_restore *r, const struct cr_sem_undo *u, const s16 *adj)
{
	u32 i;
	long ret;

	for (i = 0; i < u->nsems; i++) {
		struct sembuf op = {
			.sem_num = i, .sem_op = -adj[i], .sem_flg = IPC_NOWAIT | SEM_UNDO,
		};

		if (!adj[i])
			continue;
		ret = __do_semtimedop(u->semid, &op, 1, NULL, current->nsproxy->ipc_ns);
		if (ret) {
			cr_refuse(r->img->name, "cannot take SysV semaphore %u of set %d again (%ld)",
				  i, u->semid, ret);
			return ret;
		}
	}
	return 0;
}

/**
 * cr_restore_sysv_sem - take the SEM_UNDO adjustments again, past the point of no return
 * @r: the plan, checked by cr_restore_sysv_sem_prepare()
 *
 * Return: 0 or a negative errno (another process took a semaphore since
 * the check): the process dies.
 */
int cr_restore_sysv_sem(struct cr_restore *r)
{
	return r->sem_undo ? cr_sem_undo_each(r, cr_sem_undo_take) : 0;
}

/*
 * Making an object again with the id it had is what the kernel.*_next_id
 * sysctls let do: CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN) over the IPC
 * namespace's user namespace. Else its id would be another: refused.
 */
static int cr_sysv_may_choose_id(const char *name, const char *what, int id)
{
	if (checkpoint_restore_ns_capable(current->nsproxy->ipc_ns->user_ns))
		return 0;
	cr_refuse(name, "cannot make SysV %s %d again with its id: that needs CAP_CHECKPOINT_RESTORE over the IPC namespace, as kernel.*_next_id does",
		  what, id);
	return -EPERM;
}

/* Make segment @e again with its id; its file, referenced, or an ERR_PTR(). */
static struct file *cr_sysv_create(const struct cr_restore *r, const char *name,
				   const struct cr_sysv_shm *e)
{
	key_t key = e->flags & CR_SYSV_REMOVED ? IPC_PRIVATE : e->key;
	struct shm_cr info = {
		.mode = e->mode,
		.uid = make_kuid(cr_restore_ids_ns(r), e->uid),
		.gid = make_kgid(cr_restore_ids_ns(r), e->gid),
	};
	struct file *file;
	int id;

	id = cr_sysv_may_choose_id(name, "segment", e->shmid);
	if (id)
		return ERR_PTR(id);
	id = shm_cr_create(e->shmid, key, e->size, e->mode);
	if (id < 0) {
		if (id == -EEXIST)
			cr_refuse(name, "cannot make SysV segment %d again: its key %#x belongs to another segment",
				  e->shmid, key);
		else if (id == -EBUSY)
			cr_refuse(name, "cannot make SysV segment %d again: its id belongs to another segment",
				  e->shmid);
		else
			cr_refuse(name, "cannot make SysV segment %d again (%d)", e->shmid, id);
		return ERR_PTR(id);
	}
	/* Its owner, as its maker may set it; else the caller stays. */
	if (uid_valid(info.uid) && gid_valid(info.gid))
		shm_cr_set(id, &info);
	/* Its change time, after IPC_SET: the image's segment, for a next restore. */
	shm_cr_ctime(id, e->ctime);
	file = shm_cr_segment(id, &info);
	if (IS_ERR(file))
		shm_cr_remove(current->nsproxy->ipc_ns, id);
	return file;
}

/**
 * cr_restore_sysv_shm_prepare - find or make the segments a process attaches
 * @r: restore plan, its mappings checked
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_sysv_shm_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_SYSV_SHM);
	const char *name = r->img->name;
	unsigned int i, nr;
	int ret;

	ret = cr_rule_sysv_shm(name, note, r->vma, r->nr_vmas, &nr);
	if (ret || !nr)
		return ret;
	r->sysv = kvmemdup(note->desc, nr * sizeof(*r->sysv), GFP_KERNEL_ACCOUNT);
	if (!r->sysv)
		return -ENOMEM;
	r->nr_sysv = nr;
	for (i = 0; i < nr; i++) {
		const struct cr_sysv_shm *e = &r->sysv[i];
		bool created = false;
		struct shm_cr info;
		struct file *file;

		if (cr_tree_shm(r->tree, e->obj))
			continue;	/* another process's, found already */
		file = shm_cr_segment(e->shmid, &info);
		/* The same id, key, size and change time: the same segment. */
		if (!IS_ERR(file) && (info.key != (e->flags & CR_SYSV_REMOVED ? 0 : e->key) ||
				      info.size != e->size || info.ctime != e->ctime ||
				      info.hugetlb)) {
			fput(file);
			cr_refuse(name, "SysV segment %d is another segment now (key %#x, %zu bytes, changed at %lld)",
				  e->shmid, info.key, info.size, (long long)info.ctime);
			return -EBUSY;
		}
		if (IS_ERR(file)) {
			file = cr_sysv_create(r, name, e);
			if (IS_ERR(file))
				return PTR_ERR(file);
			created = true;
		}
		file->f_flags |= O_LARGEFILE;	/* its pages are written past 2 GiB */
		ret = cr_tree_sysv_add(r->tree, e->obj, file, e->shmid, created);
		if (ret) {
			if (created)
				shm_cr_remove(current->nsproxy->ipc_ns, e->shmid);
			fput(file);
			return ret;
		}
	}
	return 0;
}

/**
 * cr_restore_sysv_map - attach a segment again, as mapping @v was
 * @r: a prepared plan
 * @v: a CR_VMA_SYSV mapping
 *
 * shmat(2) at its address, read-only and executable as it was; then a
 * segment removed at the checkpoint is removed again.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_sysv_map(struct cr_restore *r, const struct cr_vma *v)
{
	const struct cr_sysv_shm *e = NULL;
	unsigned long addr;
	unsigned int i;
	int flags = 0;
	long ret;

	for (i = 0; i < r->nr_sysv && !e; i++)
		if (r->sysv[i].obj == v->shm)
			e = &r->sysv[i];
	if (!e)
		return -EINVAL;
	if (!(v->flags & CR_VMA_MAYWRITE))
		flags |= SHM_RDONLY;
	if (v->prot & PROT_EXEC)
		flags |= SHM_EXEC;
	ret = do_shmat(e->shmid, (char __user *)(unsigned long)v->start, flags, &addr, SHMLBA);
	if (ret)
		return ret;
	if (addr != v->start)
		return -EEXIST;
	if (e->flags & CR_SYSV_REMOVED)
		return shm_cr_remove(current->nsproxy->ipc_ns, e->shmid);
	return 0;
}

/**
 * cr_sysv_shm_forget - remove a segment made for a restore that failed
 * @ns: the IPC namespace it was made in
 * @id: its id
 */
void cr_sysv_shm_forget(struct ipc_namespace *ns, int id)
{
	shm_cr_remove(ns, id);
}

/* Semaphore sets and message queues */

/* Is @pid a process of the frozen tree? */
static bool cr_sysv_mine(struct pid *pid, void *arg)
{
	return xa_load(arg, pid_nr(pid)) == pid;
}

/*
 * The tree has an IPC namespace of its own (kernel/cr/ns.c): all of it is
 * saved, each object used by the tree or not.
 */
static bool cr_sysv_whole(void)
{
	return current->nsproxy->ipc_ns != &init_ipc_ns;
}

/* Room for @want more bytes after the *@len of *@buf, of *@size. */
static int cr_sysv_room(u8 **buf, size_t len, size_t *size, size_t want)
{
	size_t grow = max(2 * *size, len + want);
	u8 *more;

	if (len + want <= *size)
		return 0;
	more = kvzalloc(grow, GFP_KERNEL_ACCOUNT);
	if (!more)
		return -ENOMEM;
	memcpy(more, *buf, len);
	kvfree(*buf);
	*buf = more;
	*size = grow;
	return 0;
}

/* NT_CR_SYSV_SEM: the sets the tree used, by increasing id. */
static int cr_dump_sysv_sets(struct cr_dump *d, struct xarray *tree)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	unsigned short *vals;
	size_t len = 0, size = PAGE_SIZE;
	unsigned int n = 0;
	int id, idx = 0, ret = 0;
	u8 *buf;

	vals = kvmalloc_array(CR_SEM_NSEMS_MAX, sizeof(*vals), GFP_KERNEL);
	buf = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	while (vals && buf && !ret && (id = ipc_cr_next(ns, false, &idx)) >= 0) {
		struct cr_sysv_sem e = {};
		struct sysv_cr info;
		size_t need;

		idx++;
		ret = sem_cr_read(id, &info, vals, CR_SEM_NSEMS_MAX, cr_sysv_mine, tree);
		if (ret == -EACCES && cr_sysv_whole()) {
			cr_refuse(current->comm, "checkpoint refused: SysV semaphore set %d of the tree's own IPC namespace cannot be read by the root",
				  id);
			break;
		}
		if (ret == -EACCES || ret == -EINVAL || ret == -EIDRM) {
			ret = 0;	/* not the tree's to read, or gone */
			continue;
		}
		if (ret || !(info.used || cr_sysv_whole()))
			continue;
		if (info.nr > CR_SEM_NSEMS_MAX || n == CR_MAX_SYSV_SETS) {
			cr_refuse(current->comm, "checkpoint refused: SysV semaphore set %d: more than %u sets, or %lu semaphores",
				  id, CR_MAX_SYSV_SETS, info.nr);
			ret = -E2BIG;
			break;
		}
		need = sizeof(e) + ALIGN(info.nr * sizeof(u16), 8);
		ret = cr_sysv_room(&buf, len, &size, need);
		if (ret)
			break;
		memset(buf + len, 0, need);
		e.semid = id;
		e.key = info.key;
		e.mode = info.mode & 0777;
		e.nsems = info.nr;
		e.uid = from_kuid_munged(current_user_ns(), info.uid);
		e.gid = from_kgid_munged(current_user_ns(), info.gid);
		e.cuid = from_kuid_munged(current_user_ns(), info.cuid);
		e.cgid = from_kgid_munged(current_user_ns(), info.cgid);
		e.ctime = info.ctime;
		memcpy(buf + len, &e, sizeof(e));
		memcpy(buf + len + sizeof(e), vals, info.nr * sizeof(u16));
		len += need;
		n++;
	}
	if (!vals || !buf)
		ret = -ENOMEM;
	if (!ret && n)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SYSV_SEM, buf, len);
	kvfree(buf);
	kvfree(vals);
	return ret;
}

/* Queue @id into *@buf at *@len: 0, 1 when it is not the tree's, or an errno. */
static int cr_dump_sysv_queue(int id, struct xarray *tree, u8 **buf, size_t *len, size_t *size)
{
	struct cr_sysv_msq q = {};
	struct sysv_cr info;
	unsigned int tries;
	size_t room = 0;
	int ret;

	/* Messages may come and go meanwhile: the tree is frozen, not the others. */
	for (tries = 0; tries < 4; tries++) {
		ret = cr_sysv_room(buf, *len, size, sizeof(q) + room);
		if (ret)
			return ret;
		memset(*buf + *len, 0, sizeof(q) + room);
		ret = msg_cr_read(id, &info, *buf + *len + sizeof(q), room, cr_sysv_mine, tree);
		if (ret == -EACCES && cr_sysv_whole()) {
			cr_refuse(current->comm, "checkpoint refused: SysV message queue %d of the tree's own IPC namespace cannot be read by the root",
				  id);
			return ret;
		}
		if (ret == -EACCES || ret == -EINVAL || ret == -EIDRM)
			return 1;	/* not the tree's to read, or gone */
		if (ret && ret != -ENOSPC)
			return ret;
		if (!info.used && !cr_sysv_whole())
			return 1;
		if (info.bytes > CR_MAX_SYSV_MSQ_BYTES || info.need > 2 * CR_MAX_SYSV_MSQ_BYTES) {
			cr_refuse(current->comm, "checkpoint refused: SysV message queue %d holds more than %u bytes",
				  id, CR_MAX_SYSV_MSQ_BYTES);
			return -E2BIG;
		}
		if (!ret)
			break;
		room = info.need + 4096;
	}
	if (ret) {
		cr_refuse(current->comm, "checkpoint refused: SysV message queue %d keeps changing (try again)",
			  id);
		return -EAGAIN;
	}
	q.msqid = id;
	q.key = info.key;
	q.mode = info.mode & 0777;
	q.nr_msgs = info.nr;
	q.uid = from_kuid_munged(current_user_ns(), info.uid);
	q.gid = from_kgid_munged(current_user_ns(), info.gid);
	q.cuid = from_kuid_munged(current_user_ns(), info.cuid);
	q.cgid = from_kgid_munged(current_user_ns(), info.cgid);
	q.ctime = info.ctime;
	q.qbytes = info.qbytes;
	q.bytes = info.bytes;
	memcpy(*buf + *len, &q, sizeof(q));
	*len += sizeof(q) + info.need;
	return 0;
}

/* NT_CR_SYSV_MSG: the queues the tree used, by increasing id. */
static int cr_dump_sysv_queues(struct cr_dump *d, struct xarray *tree)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	size_t len = 0, size = PAGE_SIZE;
	unsigned int n = 0;
	int id, idx = 0, ret = 0;
	u8 *buf;

	buf = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	while (!ret && (id = ipc_cr_next(ns, true, &idx)) >= 0) {
		idx++;
		ret = cr_dump_sysv_queue(id, tree, &buf, &len, &size);
		if (ret == 1) {
			ret = 0;
		} else if (!ret && ++n > CR_MAX_SYSV_SETS) {
			cr_refuse(current->comm, "checkpoint refused: more than %u SysV message queues",
				  CR_MAX_SYSV_SETS);
			ret = -E2BIG;
		}
	}
	if (!ret && n)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_SYSV_MSG, buf, len);
	kvfree(buf);
	return ret;
}

/* The index of the shared memory ids in struct ipc_namespace (ipc/util.h). */
#define CR_IPC_SHM_IDS	2

/*
 * In an IPC namespace of the tree's own, every segment must be attached by
 * a process of the tree, which saves it (NT_CR_SYSV_SHM): one attached by
 * none would be lost.
 */
static int cr_dump_sysv_shm_whole(struct cr_freeze *f)
{
	struct ipc_namespace *ns = current->nsproxy->ipc_ns;
	unsigned int i, n = cr_freeze_nr_procs(f), nr = 0;
	unsigned long idx;
	struct xarray ids;
	void *entry;
	int in_use, ret = 0;

	xa_init(&ids);
	for (i = 0; i < n && !ret; i++) {
		unsigned int nr_threads;
		struct vm_area_struct *vma;
		struct mm_struct *mm;
		int parent;

		mm = get_task_mm(cr_freeze_proc(f, i, &parent, &nr_threads));
		if (!mm)
			continue;
		mmap_read_lock(mm);
		{
			VMA_ITERATOR(vmi, mm, 0);

			for_each_vma(vmi, vma) {
				struct shm_cr info;
				struct file *base;
				int id;

				if (!vma->vm_file || !cr_sysv_shm_file(vma->vm_file))
					continue;
				id = shm_cr_file_id(vma->vm_file);
				base = shm_cr_segment(id, &info);
				if (IS_ERR(base))
					continue;
				if (file_inode(base) == file_inode(vma->vm_file) && !info.removed)
					ret = xa_err(xa_store(&ids, id, xa_mk_value(1), GFP_KERNEL));
				fput(base);
				if (ret)
					break;
			}
		}
		mmap_read_unlock(mm);
		mmput(mm);
	}
	xa_for_each(&ids, idx, entry)
		nr++;
	xa_destroy(&ids);
	if (ret)
		return ret;
	down_read(&ns->ids[CR_IPC_SHM_IDS].rwsem);
	in_use = ns->ids[CR_IPC_SHM_IDS].in_use;
	up_read(&ns->ids[CR_IPC_SHM_IDS].rwsem);
	if (in_use != nr) {
		cr_refuse(current->comm, "checkpoint refused: the tree's own IPC namespace has %d SysV shared memory segments that no process of the tree has attached (not saved yet)",
			  in_use - nr);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * cr_dump_sysv_ipc - the semaphore sets and message queues the tree used
 * @d: the root's image
 * @f: the frozen tree
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_sysv_ipc(struct cr_dump *d, struct cr_freeze *f)
{
	unsigned int i, n = cr_freeze_nr_procs(f);
	struct xarray tree;
	int ret = 0;

	xa_init(&tree);
	for (i = 0; i < n && !ret; i++) {
		unsigned int nr_threads;
		struct pid *pid;
		int parent;

		pid = task_tgid(cr_freeze_proc(f, i, &parent, &nr_threads));
		ret = xa_err(xa_store(&tree, pid_nr(pid), pid, GFP_KERNEL));
	}
	if (!ret && cr_sysv_whole())
		ret = cr_dump_sysv_shm_whole(f);
	if (!ret)
		ret = cr_dump_sysv_sets(d, &tree);
	if (!ret)
		ret = cr_dump_sysv_queues(d, &tree);
	xa_destroy(&tree);
	return ret;
}

/* Find or make the set @e, of @vals. */
static int cr_restore_sysv_set(struct cr_restore *r, const struct cr_sysv_sem *e,
			       const u16 *vals)
{
	const char *name = r->img->name;
	struct sysv_cr info = {};
	int id, ret;

	ret = sem_cr_read(e->semid, &info, NULL, 0, NULL, NULL);
	if (!ret) {
		if (info.key == e->key && info.nr == e->nsems && info.ctime == e->ctime)
			return 0;	/* the same set, still there */
		cr_refuse(name, "SysV semaphore set %d is another set now (key %#x, %lu semaphores, changed at %lld)",
			  e->semid, info.key, info.nr, (long long)info.ctime);
		return -EBUSY;
	}
	if (ret != -EINVAL && ret != -EIDRM) {
		cr_refuse(name, "SysV semaphore set %d cannot be read (%d)", e->semid, ret);
		return ret;
	}
	ret = cr_sysv_may_choose_id(name, "semaphore set", e->semid);
	if (ret)
		return ret;
	info.id = e->semid;
	info.key = e->key;
	info.mode = e->mode;
	info.nr = e->nsems;
	info.uid = make_kuid(cr_restore_ids_ns(r), e->uid);
	info.gid = make_kgid(cr_restore_ids_ns(r), e->gid);
	info.ctime = e->ctime;
	if (!uid_valid(info.uid) || !gid_valid(info.gid)) {
		info.uid = current_euid();
		info.gid = current_egid();
	}
	id = sem_cr_create(&info, vals);
	if (id < 0) {
		if (id == -EEXIST)
			cr_refuse(name, "cannot make SysV semaphore set %d again: its key %#x belongs to another set",
				  e->semid, e->key);
		else if (id == -EBUSY)
			cr_refuse(name, "cannot make SysV semaphore set %d again: its id belongs to another set",
				  e->semid);
		else
			cr_refuse(name, "cannot make SysV semaphore set %d again (%d)", e->semid, id);
		return id;
	}
	ret = cr_tree_sysv_made(r->tree, false, id);
	if (ret)
		sem_cr_remove(current->nsproxy->ipc_ns, id);
	return ret;
}

/* Find or make the queue @q, of the @q->nr_msgs messages at @msgs. */
static int cr_restore_sysv_queue(struct cr_restore *r, const struct cr_sysv_msq *q,
				 const u8 *msgs)
{
	const char *name = r->img->name;
	struct sysv_cr info = {};
	size_t off = 0;
	int id, ret;
	u32 i;

	ret = msg_cr_read(q->msqid, &info, NULL, 0, NULL, NULL);
	if (!ret || ret == -ENOSPC) {
		if (info.key == q->key && info.ctime == q->ctime)
			return 0;	/* the same queue, still there */
		cr_refuse(name, "SysV message queue %d is another queue now (key %#x, changed at %lld)",
			  q->msqid, info.key, (long long)info.ctime);
		return -EBUSY;
	}
	if (ret != -EINVAL && ret != -EIDRM) {
		cr_refuse(name, "SysV message queue %d cannot be read (%d)", q->msqid, ret);
		return ret;
	}
	ret = cr_sysv_may_choose_id(name, "message queue", q->msqid);
	if (ret)
		return ret;
	info.id = q->msqid;
	info.key = q->key;
	info.mode = q->mode;
	info.qbytes = q->qbytes;
	info.uid = make_kuid(cr_restore_ids_ns(r), q->uid);
	info.gid = make_kgid(cr_restore_ids_ns(r), q->gid);
	info.ctime = q->ctime;
	if (!uid_valid(info.uid) || !gid_valid(info.gid)) {
		info.uid = current_euid();
		info.gid = current_egid();
	}
	id = msg_cr_create(&info);
	if (id < 0) {
		if (id == -EEXIST)
			cr_refuse(name, "cannot make SysV message queue %d again: its key %#x belongs to another queue",
				  q->msqid, q->key);
		else if (id == -EBUSY)
			cr_refuse(name, "cannot make SysV message queue %d again: its id belongs to another queue",
				  q->msqid);
		else
			cr_refuse(name, "cannot make SysV message queue %d again (%d: a limit above kernel.msgmnb needs CAP_SYS_RESOURCE)",
				  q->msqid, id);
		return id;
	}
	ret = cr_tree_sysv_made(r->tree, true, id);
	if (ret) {
		msg_cr_remove(current->nsproxy->ipc_ns, id);
		return ret;
	}
	for (i = 0; i < q->nr_msgs && !ret; i++) {
		struct cr_sysv_msg m;

		memcpy(&m, msgs + off, sizeof(m));
		ret = msg_cr_add(id, m.mtype, msgs + off + sizeof(m), m.size);
		if (ret)
			cr_refuse(name, "cannot put message %u of %llu bytes into SysV message queue %d again (%d: kernel.msgmax)",
				  i, (unsigned long long)m.size, id, ret);
		off += sizeof(m) + ALIGN(m.size, 8);
	}
	return ret;
}

/**
 * cr_restore_sysv_ipc_prepare - find or make the tree's sets and queues
 * @r: the root's plan
 *
 * Before any process's SEM_UNDO adjustments are checked.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_sysv_ipc_prepare(struct cr_restore *r)
{
	const struct cr_note *sn = cr_image_find_note(r->img, true, NT_CR_SYSV_SEM);
	const struct cr_note *mn = cr_image_find_note(r->img, true, NT_CR_SYSV_MSG);
	unsigned int nr, i;
	size_t off = 0;
	int ret;

	ret = cr_rule_sysv_sem(r->img->name, sn, &nr);
	for (i = 0; !ret && i < nr; i++) {
		struct cr_sysv_sem e;
		u16 *vals;

		memcpy(&e, (const u8 *)sn->desc + off, sizeof(e));
		vals = kvmemdup((const u8 *)sn->desc + off + sizeof(e), e.nsems * sizeof(u16),
				GFP_KERNEL);
		if (!vals)
			return -ENOMEM;
		ret = cr_restore_sysv_set(r, &e, vals);
		kvfree(vals);
		off += sizeof(e) + ALIGN(e.nsems * sizeof(u16), 8);
	}
	if (!ret)
		ret = cr_rule_sysv_msg(r->img->name, mn, &nr);
	for (i = 0, off = 0; !ret && i < nr; i++) {
		const u8 *p = (const u8 *)mn->desc + off;
		struct cr_sysv_msq q;
		size_t end = sizeof(q);
		u32 j;

		memcpy(&q, p, sizeof(q));
		for (j = 0; j < q.nr_msgs; j++) {
			struct cr_sysv_msg m;

			memcpy(&m, p + end, sizeof(m));
			end += sizeof(m) + ALIGN(m.size, 8);
		}
		ret = cr_restore_sysv_queue(r, &q, p + sizeof(q));
		off += end;
	}
	return ret;
}

/**
 * cr_sysv_forget - remove a set or queue made for a restore that failed
 * @ns: the IPC namespace it was made in
 * @msg: a message queue, else a semaphore set
 * @id: its id
 */
void cr_sysv_forget(struct ipc_namespace *ns, bool msg, int id)
{
	if (msg)
		msg_cr_remove(ns, id);
	else
		sem_cr_remove(ns, id);
}

#endif /* CONFIG_SYSVIPC */
