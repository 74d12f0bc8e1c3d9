// SPDX-License-Identifier: GPL-2.0
/*
 * AIO contexts: the contexts of io_setup(2) (libaio), each with its ring
 * mapped in the process's memory ("[aio]").
 *
 * Checkpoint: each ring is a mapping of kind CR_VMA_AIO, whose pages are
 * not stored; NT_CR_AIO holds, ring by ring, its context (fs/aio.c,
 * aio_cr_read()): the ring's address, which is the context's id, its
 * size in events, the nr_events io_setup() was given, its head and tail,
 * and the events completed but not read yet, read while the tree is
 * frozen. Refused: a context with requests in flight (EAGAIN: what they
 * would complete could not be saved; wait for them, and try again), a
 * ring the process did not make (a child's copy of its parent's ring,
 * inherited through fork(), has no context), a ring moved in part or
 * whose protection changed, and a context whose ring was unmapped.
 *
 * Restore: the note is checked with the mappings before the point of no
 * return (cr_rule_aio()). In place of each ring mapping, the process
 * makes its context again as io_setup() would (within fs.aio-max-nr),
 * with the same ring size, at the same address, so with the same id,
 * holding the same events with the same head and tail (aio_cr_setup()):
 * io_getevents(2), or a program that reads the ring itself, finds the
 * events it had not read, and io_submit(2) and io_destroy(2) work on the
 * id it holds.
 */
#include <linux/aio.h>
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>

/**
 * cr_aio_ring - is @file the file of an AIO ring?
 * @file: a mapping's file
 */
bool cr_aio_ring(const struct file *file)
{
	return aio_cr_ring_file(file);
}

/* Checkpoint */

/* A ring mapping of the process. */
struct cr_aio_map {
	unsigned long start;
	unsigned long end;
	vm_flags_t flags;
};

/* The ring mappings of @mm; their number, or a negative errno. */
static int cr_aio_maps(struct mm_struct *mm, struct cr_aio_map *maps, unsigned int max)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	unsigned int n = 0;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if (!vma->vm_file || !aio_cr_ring_file(vma->vm_file))
			continue;
		if (n < max) {
			maps[n].start = vma->vm_start;
			maps[n].end = vma->vm_end;
			maps[n].flags = vma->vm_flags;
		}
		n++;
	}
	mmap_read_unlock(mm);
	return n;
}

/*
 * Append the context whose ring is @m to @buf (@len bytes used of @cap);
 * 0 or a negative errno, after saying why.
 */
static int cr_dump_aio_one(struct mm_struct *mm, const struct cr_aio_map *m,
			   u8 **buf, size_t *len, size_t *cap)
{
	struct io_event *ev = NULL;
	struct cr_aio a = {};
	struct aio_cr info;
	unsigned int i;
	size_t need;
	int ret;

	ret = aio_cr_read(mm, m->start, &info, NULL, 0);
	if (ret == -ENOENT) {
		cr_refuse(current->comm, "checkpoint refused: the AIO ring at %#lx is not its own (a copy of its parent's, inherited through fork)",
			  m->start);
		return -EOPNOTSUPP;
	}
	if (ret)
		return ret;
	if (info.size != m->end - m->start) {
		cr_refuse(current->comm, "checkpoint refused: the AIO ring at %#lx was unmapped in part",
			  m->start);
		return -EOPNOTSUPP;
	}
	if ((m->flags & (VM_READ | VM_WRITE | VM_EXEC)) != (VM_READ | VM_WRITE)) {
		cr_refuse(current->comm, "checkpoint refused: the protection of the AIO ring at %#lx changed (mprotect)",
			  m->start);
		return -EOPNOTSUPP;
	}
	if (info.in_flight) {
		cr_refuse(current->comm, "checkpoint refused: AIO context %#lx has %u requests in flight (try again once they complete)",
			  m->start, info.in_flight);
		return -EAGAIN;
	}
	a.addr = info.addr;
	a.max_reqs = info.max_reqs;
	a.nr_events = info.nr_events;
	a.head = info.head;
	a.tail = info.tail;
	a.nr_unread = (info.tail + info.nr_events - info.head) % info.nr_events;
	if (a.nr_unread) {
		ev = kvmalloc_array(a.nr_unread, sizeof(*ev), GFP_KERNEL_ACCOUNT);
		if (!ev)
			return -ENOMEM;
		ret = aio_cr_read(mm, m->start, &info, ev, a.nr_unread);
		/* The tree is frozen and nothing was in flight: no change. */
		if (!ret && (info.head != a.head || info.tail != a.tail || info.in_flight))
			ret = -EAGAIN;
		if (ret) {
			kvfree(ev);
			return ret;
		}
	}
	need = *len + sizeof(a) + a.nr_unread * sizeof(struct cr_aio_event);
	if (need > *cap) {
		u8 *p = kvrealloc(*buf, max(need, 2 * *cap), GFP_KERNEL_ACCOUNT);

		if (!p) {
			kvfree(ev);
			return -ENOMEM;
		}
		*buf = p;
		*cap = max(need, 2 * *cap);
	}
	memcpy(*buf + *len, &a, sizeof(a));
	*len += sizeof(a);
	for (i = 0; i < a.nr_unread; i++) {
		struct cr_aio_event e = {
			.data = ev[i].data, .obj = ev[i].obj, .res = ev[i].res, .res2 = ev[i].res2,
		};

		memcpy(*buf + *len, &e, sizeof(e));
		*len += sizeof(e);
	}
	kvfree(ev);
	return 0;
}

/**
 * cr_dump_aio - NT_CR_AIO: the AIO contexts of the current process
 * @d: image being written
 * @mm: the current process's own memory, while the tree is frozen
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_aio(struct cr_dump *d, struct mm_struct *mm)
{
	unsigned int ctxs = aio_cr_count(mm);
	struct cr_aio_map *maps;
	size_t len = 0, cap = 0;
	u8 *buf = NULL;
	int n, i, ret = 0;

	if (!ctxs) {
		n = cr_aio_maps(mm, NULL, 0);
		if (!n)
			return 0;
		cr_refuse(current->comm, "checkpoint refused: an AIO ring that is not its own (a copy of its parent's, inherited through fork)");
		return -EOPNOTSUPP;
	}
	if (ctxs > CR_MAX_AIO) {
		cr_refuse(current->comm, "checkpoint refused: more than %u AIO contexts", CR_MAX_AIO);
		return -E2BIG;
	}
	maps = kcalloc(ctxs, sizeof(*maps), GFP_KERNEL);
	if (!maps)
		return -ENOMEM;
	n = cr_aio_maps(mm, maps, ctxs);
	if (n > ctxs) {
		cr_refuse(current->comm, "checkpoint refused: an AIO ring that is not its own (a copy of its parent's, inherited through fork)");
		ret = -EOPNOTSUPP;
	} else if (n < ctxs) {
		cr_refuse(current->comm, "checkpoint refused: an AIO context whose ring was unmapped");
		ret = -EOPNOTSUPP;
	}
	for (i = 0; !ret && i < n; i++)
		ret = cr_dump_aio_one(mm, &maps[i], &buf, &len, &cap);
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_AIO, buf, len);
	kvfree(buf);
	kfree(maps);
	return ret;
}

/* Restore */

/**
 * cr_restore_aio_prepare - check the AIO contexts the process makes again
 * @r: restore plan, its mappings checked
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_aio_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_AIO);
	unsigned int nr;
	int ret;

	ret = cr_rule_aio(r->img->name, note, r->vma, r->nr_vmas, &nr);
	if (ret || !nr)
		return ret;
	r->aio = kvmemdup(note->desc, note->size, GFP_KERNEL_ACCOUNT);
	if (!r->aio)
		return -ENOMEM;
	r->aio_len = note->size;
	return 0;
}

/**
 * cr_restore_aio_map - make the AIO context whose ring mapping @v was
 * @r: a prepared plan
 * @v: a CR_VMA_AIO mapping
 *
 * Return: 0 or a negative errno (no memory, fs.aio-max-nr reached).
 */
int cr_restore_aio_map(struct cr_restore *r, const struct cr_vma *v)
{
	struct io_event *ev = NULL;
	struct aio_cr info;
	size_t off = 0;
	struct cr_aio a;
	unsigned int i;
	int ret;

	for (;;) {
		if (off >= r->aio_len)
			return -EINVAL;	/* cr_rule_aio() found one */
		memcpy(&a, r->aio + off, sizeof(a));
		off += sizeof(a);
		if (a.addr == v->start)
			break;
		off += a.nr_unread * sizeof(struct cr_aio_event);
	}
	info = (struct aio_cr) {
		.addr = a.addr, .size = v->end - v->start, .max_reqs = a.max_reqs,
		.nr_events = a.nr_events, .head = a.head, .tail = a.tail,
	};
	if (a.nr_unread) {
		ev = kvmalloc_array(a.nr_unread, sizeof(*ev), GFP_KERNEL);
		if (!ev)
			return -ENOMEM;
	}
	for (i = 0; i < a.nr_unread; i++) {
		struct cr_aio_event e;

		memcpy(&e, r->aio + off + i * sizeof(e), sizeof(e));
		ev[i] = (struct io_event) {
			.data = e.data, .obj = e.obj, .res = e.res, .res2 = e.res2,
		};
	}
	ret = aio_cr_setup(&info, ev);
	if (ret)
		cr_refuse(r->img->name, "cannot make the AIO context %#llx again (%d)",
			  (unsigned long long)a.addr, ret);
	kvfree(ev);
	return ret;
}
