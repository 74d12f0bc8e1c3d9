// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: the address space of a process.
 *
 * Checkpoint: one PT_LOAD segment per mapping, described by an entry of
 * NT_CR_VMAS; NT_FILE names the mapped files (as in a core dump); NT_AUXV;
 * NT_CR_MM with the mm layout. NT_CR_PAGES lists the runs of pages whose
 * data is in the image: every anonymous page that exists (pages never
 * touched, or still the shared zero page, are left out), and, in private
 * file mappings, only the pages written since they were mapped (the
 * anonymous copies) and an ELF header. Clean file pages are referenced
 * through the file.
 * Shared file mappings are not copied at all: their data is the file.
 * Pages are found without being faulted in: in the page tables for
 * private memory, in the page cache for shared memory (shmem); a page
 * swapped out is brought back, a hole is never filled.
 *
 * Restore: before the point of no return, every entry is checked against
 * its segment and every mapped file is opened by path, with the restoring
 * caller's permissions. After it, each mapping is recreated at its
 * address, stored pages are read from the image into it, the vdso is put
 * back where it was and the mm fields are set.
 */
#include <linux/binfmts.h>
#include <linux/bvec.h>
#include <linux/coredump.h>
#include <linux/capability.h>
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/security.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/pagewalk.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/swapops.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/userfaultfd_k.h>

/* Checkpoint */

static int cr_dump_auxv(struct cr_dump *d, struct mm_struct *mm)
{
	unsigned int i = 0;

	do {
		i += 2;
	} while (mm->saved_auxv[i - 2] != AT_NULL &&
		 i < ARRAY_SIZE(mm->saved_auxv));
	return cr_dump_note(d, "CORE", NT_AUXV, mm->saved_auxv,
			    i * sizeof(mm->saved_auxv[0]));
}

/*
 * Shared memory that lives only in shmem, with no name to reopen it by:
 * MAP_SHARED|MAP_ANONYMOUS, a memfd, a removed tmpfs file, a SysV segment.
 */
static bool cr_is_shm(struct vm_area_struct *vma)
{
	if (!vma->vm_file)
		return false;
	/* A read-only attachment is VM_MAYSHARE only, as any shared mapping. */
	if (cr_sysv_shm_file(vma->vm_file))
		return vma->vm_flags & VM_MAYSHARE;
	return (vma->vm_flags & VM_SHARED) && shmem_file(vma->vm_file) &&
	       d_unhashed(vma->vm_file->f_path.dentry);
}

/*
 * Why a mapping of a file cannot be saved, or NULL: one a restore could
 * not map again, rather than fail there.
 */
static const char *cr_vma_refusal(struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;
	const struct dentry *dentry = file->f_path.dentry;
	bool internal = file->f_path.mnt->mnt_flags & MNT_INTERNAL;

	if (cr_is_shm(vma))
		return NULL;	/* a SysV segment's limits are in sysvipc.c */
	if (cr_aio_ring(file))
		return NULL;	/* an AIO ring's are in aio.c */
	if (internal && !strncmp(dentry->d_name.name, "memfd:", 6))
		return "a private mapping of a memfd, which is not saved yet";
	if (internal)
		return "a mapping of a kernel object (hugetlb, SysV...), which is not saved yet";
	if (d_unlinked(dentry))
		return "a mapping of a removed file, which could not be mapped again";
	return NULL;
}

static int cr_dump_vma_kind(struct cr_dump *d, struct cr_dump_vma *v,
			    struct vm_area_struct *vma)
{
	const char *name = arch_vma_name(vma);

	if (!name && vma->vm_ops && vma->vm_ops->name)
		name = vma->vm_ops->name(vma);
	v->kind = CR_VMA_ANON;
	if (vma->vm_file && cr_vma_refusal(vma)) {
		cr_refuse(current->comm, "checkpoint refused: mapping at %#lx (%pD): %s",
			  vma->vm_start, vma->vm_file, cr_vma_refusal(vma));
		return -EOPNOTSUPP;
	}
	if (cr_is_shm(vma)) {
		/*
		 * MAP_SHARED|MAP_ANONYMOUS, a shared mapping of a memfd or a
		 * SysV attachment: shmem that has no name, saved like
		 * anonymous memory, with the object's tree-wide id so that
		 * the processes that share it share it again. A SysV segment
		 * was found while the tree was frozen (cr_dump_sysv_shm()).
		 */
		bool sysv = cr_sysv_shm_file(vma->vm_file);
		struct cr_obj *obj = cr_obj_find(d->objs, file_inode(vma->vm_file), !sysv);

		if (!obj)
			return sysv ? -EINVAL : -ENOMEM;
		if (sysv)
			v->kind = CR_VMA_SYSV;
		v->shm = obj->id;
		v->file = get_file(vma->vm_file);	/* its pages are looked up there */
	} else if (vma->vm_file && cr_aio_ring(vma->vm_file)) {
		/* An AIO ring: its context is saved in NT_CR_AIO (aio.c). */
		v->kind = CR_VMA_AIO;
	} else if (vma->vm_file) {
		v->kind = CR_VMA_FILE;
		v->file = get_file(vma->vm_file);
	} else if (name && !strcmp(name, "[vdso]")) {
		v->kind = CR_VMA_VDSO;
	} else if (name && !strcmp(name, "[vvar]")) {
		v->kind = CR_VMA_VVAR;
	} else if (name || (vma->vm_flags & (VM_IO | VM_PFNMAP))) {
		/* Another special mapping: a restore could not rebuild it. */
		cr_refuse(current->comm, "checkpoint refused: cannot save mapping %s at %#lx",
			  name ?: "(device)", vma->vm_start);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * cr_dump_mm_locked - note the memory locked with mlock()
 * @d: image being written
 * @mm: the memory of the current process, being checkpointed
 *
 * Read on the process's own memory, now: a snapshot, made as fork() makes
 * it, is never locked. cr_dump_vma_note() marks the mappings.
 *
 * Return: 0 or -ENOMEM.
 */
int cr_dump_mm_locked(struct cr_dump *d, struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	unsigned int n = 0;
	int ret = 0;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		if (vma->vm_flags & VM_LOCKED)
			n++;
	if (!n)
		goto out;
	d->mlocked = kvcalloc(n, sizeof(*d->mlocked), GFP_KERNEL_ACCOUNT);
	if (!d->mlocked) {
		ret = -ENOMEM;
		goto out;
	}
	vma_iter_init(&vmi, mm, 0);
	for_each_vma(vmi, vma) {
		struct cr_dump_mlocked *l = &d->mlocked[d->nr_mlocked];

		if (!(vma->vm_flags & VM_LOCKED))
			continue;
		l->start = vma->vm_start;
		l->end = vma->vm_end;
		l->flags = CR_VMA_LOCKED;
		if (vma->vm_flags & VM_LOCKONFAULT)
			l->flags |= CR_VMA_LOCKONFAULT;
		d->nr_mlocked++;
	}
out:
	mmap_read_unlock(mm);
	return ret;
}

/* The mlock state of the mapping at [@start, @end): one locked range or none. */
static u32 cr_dump_vma_mlock(const struct cr_dump *d, unsigned long start,
			     unsigned long end)
{
	unsigned int i;

	for (i = 0; i < d->nr_mlocked; i++)
		if (d->mlocked[i].start <= start && end <= d->mlocked[i].end)
			return d->mlocked[i].flags;
	return 0;
}

/**
 * cr_dump_mm_snapshot_ok - can a copy made as fork() makes it stand for @mm?
 * @mm: the memory of a process being checkpointed, not running
 *
 * Not when memory the image stores would not be copied as it is:
 * mappings that fork() leaves out or empties (MADV_DONTFORK,
 * MADV_WIPEONFORK), and userfaultfd ranges (the copy would tell the
 * monitor of a fork). Shared anonymous memory is copied by
 * cr_dump_shm_copy().
 */
bool cr_dump_mm_snapshot_ok(struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	bool ok = true;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		if (userfaultfd_armed(vma) || (vma->vm_flags & (VM_DONTCOPY | VM_WIPEONFORK))) {
			ok = false;
			break;
		}
	}
	mmap_read_unlock(mm);
	return ok;
}

/*
 * The next page that shared memory @inode holds from offset @*idx to
 * @last, with a reference, its offset in @*idx; NULL when there is none,
 * or an ERR_PTR. Looked up in the page cache, never allocated: a hole
 * stays a hole (SGP_READ), a page swapped out comes back.
 */
static struct page *cr_shm_next(struct inode *inode, pgoff_t *idx, pgoff_t last)
{
	pgoff_t from = *idx, i;
	struct folio *folio;
	int ret;

	while (from <= last) {
		i = from;
		if (!xa_find(&inode->i_mapping->i_pages, &i, last, XA_PRESENT))
			return NULL;
		i = max(i, from);
		ret = shmem_get_folio(inode, i, 0, &folio, SGP_READ);
		if (ret && ret != -EINVAL) {	/* -EINVAL: truncated meanwhile */
			cr_refuse(current->comm,
				  "checkpoint refused: cannot read shared memory page %lu (%d)",
				  i, ret);
			return ERR_PTR(ret);
		}
		if (!ret && folio) {
			folio_unlock(folio);
			*idx = i;
			return folio_file_page(folio, i);
		}
		if (i == last)
			break;
		from = i + 1;
		cond_resched();
	}
	return NULL;
}

/**
 * cr_dump_shm_copy - copy the shared anonymous memory of the current process
 * @d: its image, which takes a snapshot of its memory
 *
 * A snapshot shares such memory with the process (and others), which may
 * change it once they run again: its pages are copied now, while the
 * tree is frozen, into the tree's entry for the memory object (so a page
 * several processes map is copied once), and cr_dump_find_pages() takes
 * the copies. Only the pages the object has: holes stay holes. At most
 * CR_SNAPSHOT_SHM_MAX bytes for the whole tree, or the checkpoint does
 * without snapshots.
 *
 * Return: 0, -E2BIG when there is too much of it, -EINTR, -ENOMEM, or
 * the error of a page that could not be swapped in.
 */
int cr_dump_shm_copy(struct cr_dump *d)
{
	VMA_ITERATOR(vmi, current->mm, 0);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	pgoff_t off, last;
	struct cr_obj *obj;
	int ret = 0;

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		struct inode *inode;

		if (!cr_is_shm(vma) || (vma->vm_flags & (VM_IO | VM_PFNMAP)))
			continue;
		inode = file_inode(vma->vm_file);
		obj = cr_obj_find(d->objs, inode, true);
		if (!obj) {
			ret = -ENOMEM;
			break;
		}
		off = vma->vm_pgoff;
		last = vma->vm_pgoff + vma_pages(vma) - 1;
		while (!ret && off <= last) {
			struct page *page, *copy;

			page = cr_shm_next(inode, &off, last);
			if (IS_ERR_OR_NULL(page)) {
				ret = PTR_ERR_OR_ZERO(page);
				break;
			}
			copy = NULL;
			if (xa_load(&obj->copy, off)) {
				/* another process of the tree copied it */
			} else if (!cr_objs_shm_charge(d->objs)) {
				ret = -E2BIG;
			} else {
				copy = alloc_page(GFP_KERNEL_ACCOUNT);
				ret = copy ? 0 : -ENOMEM;
			}
			if (copy) {
				copy_highpage(copy, page);
				ret = xa_err(xa_store(&obj->copy, off, copy, GFP_KERNEL_ACCOUNT));
				if (ret)
					__free_page(copy);
			}
			put_page(page);
			if (off == last)
				break;
			off++;
			if (!ret && cr_dump_interrupted(d))
				ret = -EINTR;
			cond_resched();
		}
		if (ret)
			break;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* Snapshot the mappings; their data is written later by cr_dump_mm_pages(). */
static int cr_dump_vmas(struct cr_dump *d, struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	unsigned int n = 0;
	int ret = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	d->vma = kvcalloc(mm->map_count, sizeof(*d->vma), GFP_KERNEL_ACCOUNT);
	if (!d->vma) {
		ret = -ENOMEM;
		goto out;
	}
	for_each_vma(vmi, vma) {
		struct cr_dump_vma *v = &d->vma[n];

		if (WARN_ON_ONCE(n == mm->map_count))
			break;
		v->start = vma->vm_start;
		v->end = vma->vm_end;
		v->flags = vma->vm_flags;
		v->pgoff = vma->vm_pgoff;
		ret = cr_dump_vma_kind(d, v, vma);
		n++;
		if (ret)
			break;
	}
	d->nr_vmas = n;
out:
	mmap_read_unlock(mm);
	return ret;
}

/*
 * The madvise(2) state of a mapping, each with the vm_flags bit it sets
 * and the advice that sets it; an advice a restore may do without
 * (a hint) costs nothing but speed when the restoring kernel refuses it.
 */
static const struct {
	u32 cr;
	vm_flags_t vm;
	int advice, undo;	/* undo: -1 for a hint */
} cr_advice[] = {
	{ CR_VMA_DONTFORK, VM_DONTCOPY, MADV_DONTFORK, MADV_DOFORK },
	{ CR_VMA_WIPEONFORK, VM_WIPEONFORK, MADV_WIPEONFORK, MADV_KEEPONFORK },
	{ CR_VMA_DONTDUMP, VM_DONTDUMP, MADV_DONTDUMP, MADV_DODUMP },
	{ CR_VMA_HUGEPAGE, VM_HUGEPAGE, MADV_HUGEPAGE, -1 },
	{ CR_VMA_NOHUGEPAGE, VM_NOHUGEPAGE, MADV_NOHUGEPAGE, -1 },
	{ CR_VMA_MERGEABLE, VM_MERGEABLE, MADV_MERGEABLE, -1 },
	{ CR_VMA_SEQ_READ, VM_SEQ_READ, MADV_SEQUENTIAL, -1 },
	{ CR_VMA_RAND_READ, VM_RAND_READ, MADV_RANDOM, -1 },
};

static u32 cr_vm_flags_to_advice(vm_flags_t flags)
{
	unsigned int i;
	u32 cr = 0;

	for (i = 0; i < ARRAY_SIZE(cr_advice); i++)
		if (flags & cr_advice[i].vm)
			cr |= cr_advice[i].cr;
	return cr;
}

/*
 * Which pages of @v go into the image (see the head of this file). Those
 * of MADV_DONTDUMP memory too, unlike a core dump: they are the
 * process's state.
 */
static bool cr_dump_vma_has_data(const struct cr_dump_vma *v)
{
	if (v->flags & (VM_IO | VM_PFNMAP))
		return false;
	if (v->kind == CR_VMA_VVAR || v->kind == CR_VMA_AIO)
		return false;
	return v->kind != CR_VMA_FILE || !(v->flags & VM_SHARED);
}

/*
 * Besides written pages, the first page of an ELF file mapping is stored,
 * as core dumps do, so that a debugger finds the program headers in
 * memory and can relocate a position-independent executable.
 */
static bool cr_dump_page_wanted(const struct cr_dump_vma *v, struct page *page,
				unsigned long addr)
{
	bool elf;
	void *p;

	if (v->kind != CR_VMA_FILE || PageAnon(page))
		return true;
	if (addr != v->start || v->pgoff)
		return false;
	p = kmap_local_page(page);
	elf = !memcmp(p, ELFMAG, SELFMAG);
	kunmap_local(p);
	return elf;
}

/*
 * A page of anonymous memory (private, or shared shmem) that holds only
 * zeroes is left out: a hole of the image, which the restore leaves
 * untouched, so the page is zero again and not even allocated. Not in
 * file mappings, where a hole means the file's data.
 */
static bool cr_dump_page_zero(const struct cr_dump_vma *v, struct page *page)
{
	bool zero;
	void *p;

	if (v->kind != CR_VMA_ANON && v->kind != CR_VMA_SYSV)
		return false;
	p = kmap_local_page(page);
	zero = !memchr_inv(p, 0, PAGE_SIZE);
	kunmap_local(p);
	return zero;
}

static int cr_runs_add(struct cr_page_run **runs, size_t *nr, size_t *cap,
		       const struct cr_dump_vma *v, unsigned long addr)
{
	struct cr_page_run *r;

	/* Extend the last run, within one mapping. */
	if (*nr && addr != v->start) {
		r = &(*runs)[*nr - 1];
		if (r->start + (r->nr_pages << PAGE_SHIFT) == addr) {
			r->nr_pages++;
			return 0;
		}
	}
	if (*nr == *cap) {
		size_t ncap = max_t(size_t, 64, 2 * *cap);
		struct cr_page_run *n = kvmalloc_array(ncap, sizeof(*n), GFP_KERNEL_ACCOUNT);

		if (!n)
			return -ENOMEM;
		if (*runs)
			memcpy(n, *runs, *nr * sizeof(*n));
		kvfree(*runs);
		*runs = n;
		*cap = ncap;
	}
	r = &(*runs)[(*nr)++];
	r->start = addr;
	r->nr_pages = 1;
	return 0;
}

/* A page to store: its run, and the page itself, whose reference it keeps. */
static int cr_dump_add_page(struct cr_dump *d, const struct cr_dump_vma *v,
			    unsigned long addr, struct page *page)
{
	if (d->nr_pages == d->pages_cap) {
		size_t ncap = max_t(size_t, 256, 2 * d->pages_cap);
		struct page **n = kvmalloc_array(ncap, sizeof(*n), GFP_KERNEL_ACCOUNT);

		if (!n)
			return -ENOMEM;
		if (d->pages)
			memcpy(n, d->pages, d->nr_pages * sizeof(*n));
		kvfree(d->pages);
		d->pages = n;
		d->pages_cap = ncap;
	}
	if (cr_runs_add(&d->runs, &d->nr_runs, &d->runs_cap, v, addr))
		return -ENOMEM;
	d->pages[d->nr_pages++] = page;
	return 0;
}

/*
 * The page of @mm at @addr, with a reference, as get_dump_page() finds it
 * for a core dump, only where the page table has an entry that is not
 * present: a page swapped out or migrating, brought back. @mm is the
 * process's own memory, or a snapshot no task uses.
 */
static struct page *cr_dump_get_page(struct mm_struct *mm, unsigned long addr)
{
	struct page *page;
	long n;

	if (mmap_read_lock_killable(mm))
		return NULL;
	n = get_user_pages_remote(mm, addr, 1, FOLL_FORCE | FOLL_DUMP, &page, NULL);
	mmap_read_unlock(mm);
	return n == 1 ? page : NULL;
}

/*
 * The pages of a mapping that exist, found a batch at a time without
 * faulting any in: a checkpoint must not allocate the memory a process
 * never touched (a sparse mapping may be far larger than the machine).
 */
struct cr_found {
	unsigned int n;
	unsigned long next;			/* where to look on */
	unsigned long addr[CR_GUP_BATCH];
	struct page *page[CR_GUP_BATCH];	/* a reference, or NULL: not present */
};

/* Add a page; true when the batch is full. */
static bool cr_found_add(struct cr_found *f, unsigned long addr, struct page *page)
{
	f->addr[f->n] = addr;
	f->page[f->n++] = page;
	return f->n == CR_GUP_BATCH;
}

/* Where the next search starts: after a full batch, or at @end. */
static void cr_found_next(struct cr_found *f, unsigned long end)
{
	f->next = f->n == CR_GUP_BATCH ? f->addr[f->n - 1] + PAGE_SIZE : end;
}

static int cr_walk_pte(pte_t *pte, unsigned long addr, unsigned long next,
		       struct mm_walk *walk)
{
	pte_t ptent = ptep_get(pte);
	struct page *page = NULL;

	if (pte_none(ptent) || is_pte_marker(ptent))
		return 0;
	if (pte_present(ptent)) {
		page = vm_normal_page(walk->vma, addr, ptent);
		if (!page)
			return 0;	/* the zero page */
		get_page(page);
	}
	return cr_found_add(walk->private, addr, page);
}

/* A huge page mapped whole: its pages, with no split. */
static int cr_walk_pmd(pmd_t *pmd, unsigned long addr, unsigned long next,
		       struct mm_walk *walk)
{
	struct page *page = NULL;
	spinlock_t *ptl;	/* the huge entry's */
	bool full = false;
	pmd_t pmdval;

	ptl = pmd_trans_huge_lock(pmd, walk->vma);
	if (!ptl)
		return 0;	/* a page table: cr_walk_pte() each entry */
	walk->action = ACTION_CONTINUE;
	pmdval = pmdp_get(pmd);
	if (pmd_present(pmdval)) {
		page = vm_normal_page_pmd(walk->vma, addr & PMD_MASK, pmdval);
		if (!page)
			goto out;	/* the huge zero page, or device memory */
		page = nth_page(page, (addr & ~PMD_MASK) >> PAGE_SHIFT);
	}
	for (; !full && addr < next; addr += PAGE_SIZE) {
		if (page)
			get_page(page);
		full = cr_found_add(walk->private, addr, page);
		if (page)
			page = nth_page(page, 1);
	}
out:
	spin_unlock(ptl);
	return full;
}

/* A huge entry of the upper level (device memory) is not split for this. */
static int cr_walk_pud(pud_t *pud, unsigned long addr, unsigned long next,
		       struct mm_walk *walk)
{
	if (pud_leaf(pudp_get(pud)))
		walk->action = ACTION_CONTINUE;
	return 0;
}

static const struct mm_walk_ops cr_walk_ops = {
	.pud_entry	= cr_walk_pud,
	.pmd_entry	= cr_walk_pmd,
	.pte_entry	= cr_walk_pte,
	.walk_lock	= PGWALK_RDLOCK,
};

/*
 * Private memory, anonymous or of a file: the pages its page tables map,
 * never faulted in. The first page of a file mapping (an ELF header, see
 * cr_dump_page_wanted()) is also looked up in the page cache.
 */
static int cr_find_mapped(struct cr_dump *d, const struct cr_dump_vma *v,
			  unsigned long addr, struct cr_found *f)
{
	bool head = addr == v->start && v->kind == CR_VMA_FILE && !v->pgoff;
	unsigned long end = head ? addr + PAGE_SIZE : v->end;
	int ret;

	if (mmap_read_lock_killable(d->mm))
		return -EINTR;
	ret = walk_page_range(d->mm, addr, end, &cr_walk_ops, f);
	mmap_read_unlock(d->mm);
	if (ret < 0)
		return ret;
	if (head && !f->n) {
		struct folio *folio = filemap_get_folio(v->file->f_mapping, 0);

		if (!IS_ERR(folio)) {
			if (folio_test_uptodate(folio))
				cr_found_add(f, addr, folio_page(folio, 0));
			else
				folio_put(folio);
		}
	}
	cr_found_next(f, end);
	return 0;
}

/* Shared memory: the pages its object holds, looked up there. */
static int cr_find_shm(struct cr_dump *d, const struct cr_dump_vma *v,
		       unsigned long addr, struct cr_found *f)
{
	pgoff_t off = v->pgoff + ((addr - v->start) >> PAGE_SHIFT);
	pgoff_t last = v->pgoff + ((v->end - v->start) >> PAGE_SHIFT) - 1;
	struct cr_obj *obj = cr_objs_get(d->objs, v->shm - 1);
	struct page *page;

	while (f->n < CR_GUP_BATCH && off <= last) {
		if (d->snapshot) {
			/* The copies cr_dump_shm_copy() took. */
			page = xa_find(&obj->copy, &off, last, XA_PRESENT);
			if (page)
				get_page(page);
		} else {
			page = cr_shm_next(file_inode(v->file), &off, last);
			if (IS_ERR(page))
				return PTR_ERR(page);
		}
		if (!page)
			break;
		cr_found_add(f, v->start + ((off - v->pgoff) << PAGE_SHIFT), page);
		if (off++ == last)
			break;
	}
	cr_found_next(f, v->end);
	return 0;
}

/* Hugetlb memory: get_user_pages() does not fault in its holes for a dump. */
static int cr_find_hugetlb(struct cr_dump *d, const struct cr_dump_vma *v,
			   unsigned long addr, struct cr_found *f)
{
	struct page *page = cr_dump_get_page(d->mm, addr);

	if (page)
		cr_found_add(f, addr, page);
	f->next = addr + PAGE_SIZE;
	return 0;
}

/* Does a sorted run list hold @addr? */
static bool cr_runs_have(const struct cr_page_run *runs, size_t nr,
			 unsigned long addr)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cr_page_run *r = &runs[mid];

		if (addr < r->start)
			hi = mid;
		else if (addr >= r->start + (r->nr_pages << PAGE_SHIFT))
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/*
 * Is the page at @addr of private anonymous memory the parent's very page
 * at the same address, shared copy-on-write since fork, and in the
 * parent's image? Then the image refers to the parent's copy.
 */
static bool cr_dump_from_parent(struct cr_dump *d, const struct cr_dump_vma *v,
				struct page *page, unsigned long addr)
{
	struct cr_dump *p = d->parent;
	struct vm_area_struct *vma;
	struct folio_walk fw;
	bool same = false;

	if (!p || !d->parent_mm || v->kind != CR_VMA_ANON || (v->flags & VM_SHARED) ||
	    !PageAnon(page))
		return false;
	if (!cr_runs_have(p->runs, p->nr_runs, addr) &&
	    !cr_runs_have(p->pruns, p->nr_pruns, addr))
		return false;
	/* The parent's page table, looked at, not faulted in. */
	if (mmap_read_lock_killable(d->parent_mm))
		return false;
	vma = vma_lookup(d->parent_mm, addr);
	if (vma && folio_walk_start(&fw, vma, addr, 0)) {
		same = fw.page == page;
		folio_walk_end(&fw, vma);
	}
	mmap_read_unlock(d->parent_mm);
	return same;
}

/*
 * A page of shared memory is stored by the first process of the tree that
 * maps it; returns 1 when one already did, 0 when it is ours to store.
 */
static int cr_dump_shm_stored(struct cr_dump *d, const struct cr_dump_vma *v,
			      unsigned long addr)
{
	struct cr_obj *obj;
	unsigned long off;

	if (!v->shm)
		return 0;
	obj = cr_objs_get(d->objs, v->shm - 1);
	off = v->pgoff + ((addr - v->start) >> PAGE_SHIFT);
	if (xa_load(&obj->stored, off))
		return 1;
	return xa_err(xa_store(&obj->stored, off, xa_mk_value(1), GFP_KERNEL_ACCOUNT));
}

/*
 * Find the pages to store, and hold them until cr_dump_mm_pages() writes
 * them. The process is not running, or @d->mm is a snapshot of its
 * memory, so the set does not change meanwhile; only in memory shared
 * with other processes can the data.
 */
static int cr_dump_find_pages(struct cr_dump *d)
{
	struct cr_found *f;
	unsigned int i, k;
	int ret = 0;

	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	for (i = 0; !ret && i < d->nr_vmas; i++) {
		struct cr_dump_vma *v = &d->vma[i];
		unsigned long addr = v->start;

		if (!cr_dump_vma_has_data(v))
			continue;
		while (!ret && addr < v->end) {
			f->n = 0;
			if (v->shm)
				ret = cr_find_shm(d, v, addr, f);
			else if (v->flags & VM_HUGETLB)
				ret = cr_find_hugetlb(d, v, addr, f);
			else
				ret = cr_find_mapped(d, v, addr, f);
			addr = f->next;
			for (k = 0; k < f->n; k++) {
				struct page *page = f->page[k];
				unsigned long a = f->addr[k];

				if (ret) {
					if (page)
						put_page(page);
					continue;
				}
				/* Swapped out or migrating: it exists, bring it back. */
				if (!page)
					page = cr_dump_get_page(d->mm, a);
				if (!page)
					continue;
				ret = cr_dump_shm_stored(d, v, a);
				if (ret > 0 || (!ret && cr_dump_page_zero(v, page))) {
					ret = 0;	/* another process stores it, or zero */
				} else if (!ret && cr_dump_from_parent(d, v, page, a)) {
					ret = cr_runs_add(&d->pruns, &d->nr_pruns, &d->pruns_cap,
							  v, a);
				} else if (!ret && cr_dump_page_wanted(v, page, a)) {
					ret = cr_dump_add_page(d, v, a, page);
					v->dump_size = v->end - v->start;
					if (!ret)
						continue;	/* held */
				}
				put_page(page);
			}
			if (!ret && cr_dump_interrupted(d))
				ret = -EINTR;
			cond_resched();
		}
	}
	kfree(f);
	return ret;
}

/*
 * A mapped file's path as the process sees it, from its own root:
 * file_path() in its own context; in a continue-mode snapshot written by
 * a kworker, from the root saved at the checkpoint, so that a chrooted
 * process keeps its own paths (issue 12, finding 12). @buf has PATH_MAX
 * bytes.
 */
static char *cr_dump_file_path(const struct cr_dump *d, struct file *file, char *buf)
{
	static const char deleted[] = " (deleted)";
	const struct dentry *dentry = file->f_path.dentry;
	int len = PATH_MAX - sizeof(deleted) + 1;
	char *p;

	if (!(current->flags & PF_KTHREAD) || !d->root.mnt ||
	    (dentry->d_op && dentry->d_op->d_dname))
		return file_path(file, buf, PATH_MAX);
	/* The string ends at buf[len - 1], leaving room for the suffix. */
	p = __d_path(&file->f_path, &d->root, buf, len);
	if (!p)		/* outside the process's root: from the namespace's */
		p = d_absolute_path(&file->f_path, buf, len);
	if (!IS_ERR(p) && d_unlinked(dentry))
		memcpy(buf + len - 1, deleted, sizeof(deleted));
	return p;
}

/* NT_FILE, as binfmt_elf writes it: count, page size, triples, names. */
static int cr_dump_nt_file(struct cr_dump *d)
{
	unsigned int i, count = 0;
	size_t size = 2 * sizeof(u64), len;
	char *buf, *path, *p;
	u64 *data, *t;
	int ret = 0;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < d->nr_vmas; i++) {
		if (d->vma[i].kind != CR_VMA_FILE)
			continue;
		path = cr_dump_file_path(d, d->vma[i].file, buf);
		if (IS_ERR(path)) {
			ret = PTR_ERR(path);
			goto out;
		}
		size += 3 * sizeof(u64) + strlen(path) + 1;
		count++;
	}
	data = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!data) {
		ret = -ENOMEM;
		goto out;
	}
	data[0] = count;
	data[1] = PAGE_SIZE;
	t = data + 2;
	p = (char *)(t + 3 * count);
	count = 0;
	for (i = 0; i < d->nr_vmas; i++) {
		struct cr_dump_vma *v = &d->vma[i];

		if (v->kind != CR_VMA_FILE)
			continue;
		path = cr_dump_file_path(d, v->file, buf);
		len = IS_ERR(path) ? 0 : strlen(path);
		if (IS_ERR(path) || p + len + 1 > (char *)data + size) {
			ret = -ENAMETOOLONG;	/* the path changed meanwhile */
			break;
		}
		memcpy(p, path, len + 1);
		p += len + 1;
		*t++ = v->start;
		*t++ = v->end;
		*t++ = v->pgoff;
		v->file_idx = count++;
	}
	if (!ret)
		ret = cr_dump_note(d, "CORE", NT_FILE, data, size);
	kvfree(data);
out:
	kfree(buf);
	return ret;
}

static u32 cr_vm_flags_to_prot(unsigned long flags)
{
	return (flags & VM_READ ? PROT_READ : 0) |
	       (flags & VM_WRITE ? PROT_WRITE : 0) |
	       (flags & VM_EXEC ? PROT_EXEC : 0);
}

static int cr_dump_vma_note(struct cr_dump *d)
{
	struct cr_vma *cv;
	unsigned int i;
	int ret;

	cv = kvcalloc(d->nr_vmas, sizeof(*cv), GFP_KERNEL_ACCOUNT);
	if (!cv && d->nr_vmas)
		return -ENOMEM;
	for (i = 0; i < d->nr_vmas; i++) {
		const struct cr_dump_vma *v = &d->vma[i];

		cv[i].start = v->start;
		cv[i].end = v->end;
		cv[i].kind = v->kind;
		cv[i].prot = cr_vm_flags_to_prot(v->flags);
		cv[i].file = -1;
		if (v->shm) {
			cv[i].shm = v->shm;
			cv[i].pgoff = v->pgoff;
			if (v->flags & VM_MAYWRITE)
				cv[i].flags |= CR_VMA_MAYWRITE;
		}
		if ((v->flags & VM_SHARED) || v->kind == CR_VMA_SYSV)
			cv[i].flags |= CR_VMA_SHARED;
		if (v->flags & VM_GROWSDOWN)
			cv[i].flags |= CR_VMA_GROWSDOWN;
		if (v->kind != CR_VMA_VDSO && v->kind != CR_VMA_VVAR)
			cv[i].flags |= cr_vm_flags_to_advice(v->flags) |
				       cr_dump_vma_mlock(d, v->start, v->end);
		if (v->kind == CR_VMA_FILE) {
			cv[i].pgoff = v->pgoff;
			cv[i].file = v->file_idx;
			if ((v->flags & VM_SHARED) && (v->flags & VM_MAYWRITE))
				cv[i].flags |= CR_VMA_MAYWRITE;
		}
	}
	ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_VMAS, cv,
			   d->nr_vmas * sizeof(*cv));
	kvfree(cv);
	return ret;
}

/**
 * cr_dump_mm - collect the memory notes and mappings of a process
 * @d: image being written; @d->mm is the memory to save: the current
 *     process's own, or a snapshot of it
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_mm(struct cr_dump *d)
{
	struct mm_struct *mm = d->mm;
	struct cr_hdr_mm hm = {};
	struct file *exe;
	unsigned int i;
	int ret;

	ret = cr_dump_vmas(d, mm);
	if (!ret)
		ret = cr_dump_find_pages(d);
	if (!ret)
		ret = cr_dump_auxv(d, mm);
	if (!ret)
		ret = cr_dump_nt_file(d);
	if (!ret)
		ret = cr_dump_vma_note(d);
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_PAGES, d->runs,
				   d->nr_runs * sizeof(*d->runs));
	if (!ret && d->nr_pruns)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_PARENT_PAGES, d->pruns,
				   d->nr_pruns * sizeof(*d->pruns));
	if (ret)
		return ret;

	spin_lock(&mm->arg_lock);
	hm.start_code = mm->start_code;
	hm.end_code = mm->end_code;
	hm.start_data = mm->start_data;
	hm.end_data = mm->end_data;
	hm.start_brk = mm->start_brk;
	hm.brk = mm->brk;
	hm.start_stack = mm->start_stack;
	hm.arg_start = mm->arg_start;
	hm.arg_end = mm->arg_end;
	hm.env_start = mm->env_start;
	hm.env_end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	hm.vdso = (unsigned long)mm->context.vdso;
	hm.nr_vmas = d->nr_vmas;
	hm.exe_file = -1;
	exe = get_mm_exe_file(mm);
	for (i = 0; exe && i < d->nr_vmas; i++) {
		const struct cr_dump_vma *v = &d->vma[i];

		if (v->kind == CR_VMA_FILE && path_equal(&v->file->f_path, &exe->f_path)) {
			hm.exe_file = v->file_idx;
			break;
		}
	}
	if (exe)
		fput(exe);
	return cr_dump_note(d, CR_NOTE_NAME, NT_CR_MM, &hm, sizeof(hm));
}

#define CR_WRITE_BATCH	64	/* pages per write */

/* Write @n pages at the dump position, after the holes skipped so far. */
static int cr_emit_pages(struct cr_dump *d, struct page **pages, unsigned int n)
{
	struct coredump_params *cprm = &d->cprm;
	struct file *file = cprm->file;
	struct bio_vec bvec[CR_WRITE_BATCH];
	size_t len = (size_t)n << PAGE_SHIFT;
	struct iov_iter iter;
	struct kiocb kiocb;
	size_t done = 0;
	unsigned int i;
	ssize_t ret;

	if (cr_dump_seek(d))
		return -EIO;
	for (i = 0; i < n; i++)
		bvec_set_page(&bvec[i], pages[i], PAGE_SIZE, 0);
	/*
	 * A write may be short (a network filesystem such as 9p under
	 * memory pressure): the rest is written again, as write(2) callers
	 * do, until all is written or nothing more can be.
	 */
	while (done < len) {
		if (cr_dump_interrupted(d)) {
			cr_refuse(current->comm, "checkpoint interrupted by a fatal signal while writing memory");
			return -EIO;
		}
		iov_iter_bvec(&iter, ITER_SOURCE, bvec, n, len);
		iov_iter_advance(&iter, done);
		/* As __kernel_write_iter(): the caller holds file_start_write(). */
		init_sync_kiocb(&kiocb, file);
		kiocb.ki_pos = file->f_pos;
		ret = file->f_op->write_iter(&kiocb, &iter);
		if (ret <= 0) {
			cr_refuse(current->comm, "writing memory to the image failed at offset %lld (%zd)",
				  file->f_pos, ret);
			return ret < 0 && ret != -EINTR && ret != -ERESTARTSYS ? ret : -EIO;
		}
		ret = min_t(size_t, ret, len - done);
		file->f_pos = kiocb.ki_pos;
		done += ret;
		cprm->pos += ret;
		cprm->written += ret;
		cond_resched();
	}
	return 0;
}

/**
 * cr_dump_mm_pages - write the stored pages of every PT_LOAD segment
 * @d: image being written, positioned at the first segment's data
 *
 * Pages not in a run are holes of the file. The pages were found, and
 * are held, by cr_dump_find_pages(); each is released once written.
 *
 * Return: 0, or -EIO when a write failed or a fatal signal came.
 */
int cr_dump_mm_pages(struct cr_dump *d)
{
	unsigned int i, r = 0;
	size_t k = 0;

	if (!d->cprm.file->f_op->write_iter)
		return -EINVAL;
	for (i = 0; i < d->nr_vmas; i++) {
		const struct cr_dump_vma *v = &d->vma[i];
		unsigned long addr = v->start;

		if (!v->dump_size)
			continue;
		for (; r < d->nr_runs && d->runs[r].start < v->end; r++) {
			const struct cr_page_run *run = &d->runs[r];
			size_t left = run->nr_pages;

			dump_skip(&d->cprm, run->start - addr);
			while (left) {
				unsigned int n = min_t(size_t, left, CR_WRITE_BATCH);
				int ret = cr_emit_pages(d, &d->pages[k], n);
				unsigned int j;

				for (j = 0; j < n; j++) {
					put_page(d->pages[k + j]);
					d->pages[k + j] = NULL;
				}
				if (ret)
					return ret;
				k += n;
				left -= n;
				cond_resched();
			}
			addr = run->start + (run->nr_pages << PAGE_SHIFT);
		}
		dump_skip(&d->cprm, v->end - addr);
	}
	return 0;
}

void cr_dump_mm_free(struct cr_dump *d)
{
	unsigned int i;

	for (i = 0; d->vma && i < d->nr_vmas; i++)
		if (d->vma[i].file)
			fput(d->vma[i].file);
	kvfree(d->vma);
	for (i = 0; d->pages && i < d->nr_pages; i++)
		if (d->pages[i])
			put_page(d->pages[i]);
	kvfree(d->pages);
	kvfree(d->runs);
	kvfree(d->pruns);
	d->vma = NULL;
	d->pages = NULL;
	d->runs = NULL;
	d->pruns = NULL;
	if (d->snapshot && d->mm)
		mmput(d->mm);
	d->mm = NULL;
	d->snapshot = false;
}

/* Restore */

/* NT_FILE, by its rule: the paths of the mapped files. */
static int cr_restore_nt_file_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, false, NT_FILE);
	u64 count;
	int ret;

	ret = cr_rule_nt_file(r->img->name, note, r->nr_vmas, &count, NULL);
	if (ret || !count)
		return ret;
	r->nr_files = count;
	r->file = kvcalloc(count, sizeof(*r->file), GFP_KERNEL_ACCOUNT);
	r->file_name = kvcalloc(count, sizeof(*r->file_name), GFP_KERNEL_ACCOUNT);
	if (!r->file || !r->file_name)
		return -ENOMEM;
	return cr_rule_nt_file(r->img->name, note, r->nr_vmas, &count, r->file_name);
}

/* Open the file of a mapping, with the caller's permissions. */
static int cr_restore_open_file(struct cr_restore *r, const struct cr_vma *v)
{
	int flags = O_LARGEFILE | O_NOATIME;
	struct file *f;

	if (r->file[v->file])
		return 0;
	flags |= v->flags & CR_VMA_MAYWRITE ? O_RDWR : O_RDONLY;
	f = filp_open(r->file_name[v->file], flags & ~O_NOATIME, 0);
	if (IS_ERR(f)) {
		cr_refuse(r->img->name, "cannot open mapped file %s (%ld)",
			  r->file_name[v->file], PTR_ERR(f));
		return PTR_ERR(f);
	}
	if (!S_ISREG(file_inode(f)->i_mode) || !f->f_op->mmap) {
		cr_refuse(r->img->name, "mapped file %s cannot be mapped",
			  r->file_name[v->file]);
		fput(f);
		return -EINVAL;
	}
	r->file[v->file] = f;
	return 0;
}

/*
 * NT_CR_VMAS by its rule, then what this system decides: the lowest
 * address a process may map, and the files, opened as the caller.
 */
static int cr_restore_vmas_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_VMAS);
	const char *name = r->img->name;
	unsigned int i;
	int ret;

	r->vma = kvmalloc_array(r->nr_vmas, sizeof(*r->vma), GFP_KERNEL_ACCOUNT);
	if (r->nr_vmas && !r->vma)
		return -ENOMEM;
	ret = cr_restore_nt_file_prepare(r);
	if (!ret)
		ret = cr_rule_vmas(name, note, r->img->phdrs, r->nr_vmas, r->nr_files, r->vma);
	for (i = 0; !ret && i < r->nr_vmas; i++) {
		const struct cr_vma *v = &r->vma[i];

		if (v->kind != CR_VMA_VDSO && v->kind != CR_VMA_VVAR &&
		    v->start < mmap_min_addr) {
			cr_refuse(name, "mapping %u at %#llx is below vm.mmap_min_addr", i, v->start);
			return -EPERM;
		}
		if (v->kind == CR_VMA_FILE)
			ret = cr_restore_open_file(r, v);
	}
	return ret;
}

/* NT_CR_PAGES by its rule, then a copy of its runs. */
static int cr_restore_pages_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_PAGES);
	int ret;

	ret = cr_rule_pages(r->img->name, note, r->img->phdrs, r->vma, r->nr_vmas);
	if (ret)
		return ret;
	r->nr_runs = note->size / sizeof(struct cr_page_run);
	r->run = kvmalloc_array(r->nr_runs, sizeof(*r->run), GFP_KERNEL_ACCOUNT);
	if (r->nr_runs && !r->run)
		return -ENOMEM;
	memcpy(r->run, note->desc, note->size);
	return 0;
}

/* NT_CR_PARENT_PAGES (a descendant's only) by its rule, then a copy. */
static int cr_restore_pruns_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_PARENT_PAGES);
	int ret;

	ret = cr_rule_pruns(r->img->name, note, r->tree_idx != 0,
			    cr_image_find_note(r->img, true, NT_CR_PAGES), r->vma, r->nr_vmas);
	if (ret || !note)
		return ret;
	r->nr_pruns = note->size / sizeof(struct cr_page_run);
	r->prun = kvmemdup(note->desc, note->size, GFP_KERNEL_ACCOUNT);
	return r->prun ? 0 : -ENOMEM;
}

/* The first mapping of @r that ends after @addr: by binary search. */
static unsigned int cr_vma_from(const struct cr_restore *r, u64 addr)
{
	unsigned int lo = 0, hi = r->nr_vmas;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (r->vma[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first run of a sorted list that ends after @addr: by binary search. */
static unsigned int cr_runs_from(const struct cr_page_run *runs, unsigned int nr, u64 addr)
{
	unsigned int lo = 0, hi = nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (runs[mid].start + (runs[mid].nr_pages << PAGE_SHIFT) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Where the data of @r's page at @addr is in the file; pages that follow. */
static loff_t cr_page_pos(const struct cr_restore *r, u64 addr, u64 *avail)
{
	unsigned int lo = 0, hi = r->nr_runs, seg;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct cr_page_run *run = &r->run[mid];
		u64 end = run->start + (run->nr_pages << PAGE_SHIFT);

		if (addr < run->start) {
			hi = mid;
		} else if (addr >= end) {
			lo = mid + 1;
		} else {
			const struct elf_phdr *ph;

			seg = cr_vma_from(r, addr);
			/* The parent's page must be private anonymous memory too. */
			if (seg == r->nr_vmas || r->vma[seg].kind != CR_VMA_ANON ||
			    (r->vma[seg].flags & CR_VMA_SHARED))
				return -1;
			ph = &r->img->phdrs[seg + 1];
			*avail = (end - addr) >> PAGE_SHIFT;
			return r->img->base + ph->p_offset + (addr - ph->p_vaddr);
		}
	}
	lo = 0;
	hi = r->nr_psrc;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct cr_page_src *src = &r->psrc[mid];
		u64 end = src->start + (src->nr_pages << PAGE_SHIFT);

		if (addr < src->start) {
			hi = mid;
		} else if (addr >= end) {
			lo = mid + 1;
		} else {
			*avail = (end - addr) >> PAGE_SHIFT;
			return src->pos + (addr - src->start);
		}
	}
	return -1;
}

/**
 * cr_restore_parent_pages_prepare - find the parent's copy of shared pages
 * @r: a descendant's plan, checked
 * @parent: its parent's, checked, its own shared pages found already
 *
 * Return: 0, or -EINVAL when the parent's image has no such page.
 */
int cr_restore_parent_pages_prepare(struct cr_restore *r, struct cr_restore *parent)
{
	unsigned int i, n = 0, cap = 0;

	for (i = 0; i < r->nr_pruns; i++) {
		u64 addr = r->prun[i].start;
		u64 end = addr + (r->prun[i].nr_pages << PAGE_SHIFT);

		while (addr < end) {
			u64 avail, pages;
			loff_t pos = cr_page_pos(parent, addr, &avail);
			struct cr_page_src *src;

			if (pos < 0) {
				cr_refuse(r->img->name, "page %#llx is its parent's, which has none",
					  addr);
				return -EINVAL;
			}
			pages = min(avail, (end - addr) >> PAGE_SHIFT);
			src = n ? &r->psrc[n - 1] : NULL;
			if (src && src->start + (src->nr_pages << PAGE_SHIFT) == addr &&
			    src->pos + (src->nr_pages << PAGE_SHIFT) == pos) {
				src->nr_pages += pages;
			} else {
				if (n == cap) {
					struct cr_page_src *a;

					cap = max(16U, 2 * cap);
					a = kvmalloc_array(cap, sizeof(*a), GFP_KERNEL_ACCOUNT);
					if (!a)
						return -ENOMEM;
					if (r->psrc)
						memcpy(a, r->psrc, n * sizeof(*a));
					kvfree(r->psrc);
					r->psrc = a;
				}
				src = &r->psrc[n++];
				src->start = addr;
				src->nr_pages = pages;
				src->pos = pos;
				r->nr_psrc = n;
			}
			addr += pages << PAGE_SHIFT;
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return 0;
}

/*
 * The executable the process had (/proc/PID/exe), set as
 * PR_SET_MM_EXE_FILE would set it: for a caller with
 * CAP_CHECKPOINT_RESTORE in its user namespace, to a regular file it may
 * execute, not on a noexec mount; like any executable, the file then
 * cannot be written while the process lives. Otherwise the process keeps
 * what exec set, the image (issue 12, finding 6).
 */
static void cr_restore_exe_prepare(struct cr_restore *r)
{
	struct file *f;

	if (r->mm.exe_file < 0)
		return;
	f = r->file[r->mm.exe_file];
	if (checkpoint_restore_ns_capable(current_user_ns()) &&
	    S_ISREG(file_inode(f)->i_mode) && !path_noexec(&f->f_path) &&
	    !file_permission(f, MAY_EXEC))
		return;
	r->mm.exe_file = -1;
}

/**
 * cr_restore_mm_prepare - check the memory of an image, open its files
 * @r: restore plan, with @r->img open
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_mm_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_MM);
	int ret;

	ret = cr_rule_mm(r->img->name, note, r->img->phdrs, r->img->phnum, &r->mm);
	if (ret)
		return ret;
	r->nr_vmas = r->mm.nr_vmas;
	ret = cr_restore_vmas_prepare(r);
	if (!ret)
		ret = cr_restore_pages_prepare(r);
	if (!ret)
		ret = cr_restore_pruns_prepare(r);
	if (!ret)
		ret = cr_rule_mm_fields(r->img->name, &r->mm, r->vma, r->nr_vmas);
	if (!ret)
		ret = cr_restore_sysv_shm_prepare(r);
	if (!ret)
		ret = cr_restore_aio_prepare(r);
	if (!ret) {
		cr_restore_exe_prepare(r);
		ret = cr_arch_restore_vdso_prepare(r);
	}
	return ret;
}

static int cr_restore_map(struct cr_restore *r, const struct cr_vma *v)
{
	unsigned long flags = MAP_FIXED_NOREPLACE, addr, prot = v->prot;
	struct file *file = NULL, *ro = NULL;

	if (v->kind == CR_VMA_SYSV)
		return cr_restore_sysv_map(r, v);
	if (v->kind == CR_VMA_AIO)
		return cr_restore_aio_map(r, v);
	if (v->kind == CR_VMA_FILE) {
		file = r->file[v->file];
	} else if (v->shm) {
		/* The tree's object, shared with the other processes mapping it. */
		file = cr_tree_shm(r->tree, v->shm);
		/*
		 * A shared mapping that may never be writable (of a memfd
		 * open read-only, or write-sealed) maps it through a
		 * read-only open, as the process did: fcntl(F_ADD_SEALS)
		 * counts the others as writable.
		 */
		if ((v->flags & CR_VMA_SHARED) && !(v->flags & CR_VMA_MAYWRITE)) {
			ro = dentry_open(&file->f_path, O_RDONLY | O_LARGEFILE, current_cred());
			if (IS_ERR(ro))
				return PTR_ERR(ro);
			file = ro;
		}
	} else {
		flags |= MAP_ANONYMOUS;
		if (v->flags & CR_VMA_GROWSDOWN)
			flags |= MAP_GROWSDOWN;
	}
	flags |= v->flags & CR_VMA_SHARED ? MAP_SHARED : MAP_PRIVATE;
	addr = vm_mmap(file, v->start, v->end - v->start, prot, flags,
		       v->pgoff << PAGE_SHIFT);
	if (ro)
		fput(ro);
	if (IS_ERR_VALUE(addr))
		return addr;
	return addr == v->start ? 0 : -EEXIST;
}

/*
 * Copy @nr_pages pages at @addr, in mapping @v, from the image at @pos into
 * the new address space.
 */
static int cr_restore_copy(struct cr_restore *r, unsigned long addr, u64 nr_pages,
			   const struct cr_vma *v, loff_t pos, void *buf)
{
	unsigned long end = addr + (nr_pages << PAGE_SHIFT);
	bool writable = v->prot & PROT_WRITE;

	/* A memfd has its contents already, from its descriptor (memfd.c). */
	if (v->shm && cr_tree_shm_filled(r->tree, v->shm))
		return 0;
	while (addr < end) {
		size_t len = min_t(unsigned long, end - addr, CR_COPY_CHUNK);
		ssize_t n;

		if (v->shm) {
			/* Into the object, whatever the mapping's protections. */
			loff_t off = (v->pgoff << PAGE_SHIFT) + (addr - v->start);

			n = kernel_read(r->img->file, buf, len, &pos);
			pos -= n > 0 ? n : 0;
			if (n == len &&
			    kernel_write(cr_tree_shm(r->tree, v->shm), buf, len, &off) != len)
				n = -EIO;
		} else if (writable) {
			/* Straight into the mapping. */
			loff_t p = pos;

			n = vfs_read(r->img->file, (char __user *)addr, len, &p);
		} else {
			/* Read-only: poke it as ptrace would (a private COW). */
			n = kernel_read(r->img->file, buf, len, &pos);
			pos -= n > 0 ? n : 0;
			if (n == len &&
			    access_remote_vm(current->mm, addr, buf, len,
					     FOLL_WRITE | FOLL_FORCE) != len)
				n = -EFAULT;
		}
		if (n != len)
			return n < 0 ? n : -EIO;
		addr += len;
		pos += len;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

static void cr_restore_mm_fields(struct cr_restore *r)
{
	struct mm_struct *mm = current->mm;
	const struct cr_hdr_mm *m = &r->mm;

	mmap_write_lock(mm);
	spin_lock(&mm->arg_lock);
	mm->start_code = m->start_code;
	mm->end_code = m->end_code;
	mm->start_data = m->start_data;
	mm->end_data = m->end_data;
	mm->start_brk = m->start_brk;
	mm->brk = m->brk;
	mm->start_stack = m->start_stack;
	mm->arg_start = m->arg_start;
	mm->arg_end = m->arg_end;
	mm->env_start = m->env_start;
	mm->env_end = m->env_end;
	spin_unlock(&mm->arg_lock);
	mmap_write_unlock(mm);
}

/**
 * cr_restore_mm - rebuild the address space, after the point of no return
 * @r: a prepared restore plan
 *
 * What the task has mapped in [@r->unmap_start, @r->unmap_end) goes
 * first: the stack exec built for its arguments, or all of a new
 * process's copy of its parent's memory (kernel/cr/tree.c).
 *
 * Return: 0 or a negative errno; exec then kills the task.
 */
/*
 * A descendant starts as a fork() of its restored parent. A private
 * anonymous mapping of its image that takes pages from the parent
 * (NT_CR_PARENT_PAGES), where the copy has private anonymous memory with
 * the same protections, is kept: those pages stay shared with the parent,
 * copy-on-write, as they were at the checkpoint.
 */
static bool cr_restore_keepable(const struct cr_restore *r, const struct cr_vma *v)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long addr = v->start;
	bool ok = true;

	if (!r->tree_idx || v->kind != CR_VMA_ANON || (v->flags & CR_VMA_SHARED) ||
	    !cr_runs_meet(r->prun, r->nr_pruns, v->start, v->end))
		return false;
	mmap_read_lock(mm);
	while (ok && addr < v->end) {
		vma = vma_lookup(mm, addr);
		ok = vma && vma_is_anonymous(vma) &&
		     !(vma->vm_flags & (VM_SHARED | VM_IO | VM_PFNMAP | VM_WIPEONFORK)) &&
		     cr_vm_flags_to_prot(vma->vm_flags) == v->prot &&
		     !(vma->vm_flags & VM_GROWSDOWN) == !(v->flags & CR_VMA_GROWSDOWN);
		if (ok)
			addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ok;
}

/*
 * In a kept mapping, drop what the image takes neither from itself nor
 * the parent: the gaps between the runs of both lists (which do not
 * meet), found by walking them together, run by run, not page by page.
 */
static int cr_restore_zap(struct cr_restore *r, const struct cr_vma *v)
{
	unsigned int i = cr_runs_from(r->run, r->nr_runs, v->start);
	unsigned int j = cr_runs_from(r->prun, r->nr_pruns, v->start);
	u64 addr = v->start, gap_end;
	int ret = 0;

	while (!ret && addr < v->end) {
		const struct cr_page_run *next = NULL;

		if (i < r->nr_runs)
			next = &r->run[i];
		if (j < r->nr_pruns && (!next || r->prun[j].start < next->start))
			next = &r->prun[j];
		gap_end = next ? min_t(u64, next->start, v->end) : v->end;
		if (gap_end > addr)
			ret = do_madvise(current->mm, addr, gap_end - addr, MADV_DONTNEED);
		if (!next)
			break;
		addr = max_t(u64, addr, next->start + (next->nr_pages << PAGE_SHIFT));
		if (j < r->nr_pruns && next == &r->prun[j])
			j++;
		else
			i++;
		/* After the point of no return: a fatal signal kills the task. */
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		cond_resched();
	}
	return ret;
}

/* Unmap [start, end) but the kept mappings. */
static int cr_restore_unmap(struct cr_restore *r, const bool *keep)
{
	unsigned long addr = r->unmap_start;
	unsigned int i;
	int ret;

	for (i = 0; keep && i < r->nr_vmas; i++) {
		if (!keep[i])
			continue;
		if (r->vma[i].start > addr) {
			ret = vm_munmap(addr, r->vma[i].start - addr);
			if (ret)
				return ret;
		}
		addr = r->vma[i].end;
	}
	return addr < r->unmap_end ? vm_munmap(addr, r->unmap_end - addr) : 0;
}

/*
 * The madvise(2) state of each mapping, by madvise() itself: set as the
 * image has it; in a mapping kept from the parent (@keep), what the
 * parent's copy had and the image has not is undone too. A hint the
 * kernel refuses (no THP, no KSM) is left out; anything else fails.
 */
static int cr_restore_advice(struct cr_restore *r, const bool *keep)
{
	unsigned int i, j;
	int ret;

	for (i = 0; i < r->nr_vmas; i++) {
		const struct cr_vma *v = &r->vma[i];

		if (v->kind == CR_VMA_VDSO || v->kind == CR_VMA_VVAR)
			continue;
		for (j = 0; j < ARRAY_SIZE(cr_advice); j++) {
			int advice = cr_advice[j].advice;

			if (!(v->flags & cr_advice[j].cr)) {
				if (!keep || !keep[i] || cr_advice[j].undo < 0)
					continue;
				advice = cr_advice[j].undo;
			}
			ret = do_madvise(current->mm, v->start, v->end - v->start, advice);
			if (ret && cr_advice[j].undo >= 0) {
				cr_refuse(r->img->name, "mapping [%#llx-%#llx]: madvise %d failed (%d)",
					  v->start, v->end, advice, ret);
				return ret;
			}
		}
	}
	return 0;
}

int cr_restore_mm(struct cr_restore *r)
{
	const struct elf_phdr *ph;
	unsigned int i, seg = 0;
	bool *keep = NULL;
	void *buf;
	int ret;

	if (r->nr_pruns) {
		keep = kcalloc(r->nr_vmas, sizeof(*keep), GFP_KERNEL_ACCOUNT);
		if (!keep)
			return -ENOMEM;
		for (i = 0; i < r->nr_vmas; i++)
			keep[i] = cr_restore_keepable(r, &r->vma[i]);
	}
	ret = cr_restore_unmap(r, keep);
	if (ret)
		goto out;
	/* Before mapping: the executable may not change while it is mapped. */
	if (r->mm.exe_file >= 0) {
		ret = replace_mm_exe_file(current->mm, r->file[r->mm.exe_file]);
		if (ret)
			goto out;
	}
	for (i = 0; i < r->nr_vmas; i++) {
		const struct cr_vma *v = &r->vma[i];

		if (v->kind == CR_VMA_VDSO || v->kind == CR_VMA_VVAR)
			continue;
		ret = keep && keep[i] ? cr_restore_zap(r, v) : cr_restore_map(r, v);
		if (ret) {
			cr_refuse(r->img->name, "cannot map [%#llx-%#llx] (%d)",
				  v->start, v->end, ret);
			goto out;
		}
	}
	ret = cr_arch_restore_vdso(r);
	if (ret)
		goto out;

	buf = kvmalloc(CR_COPY_CHUNK, GFP_KERNEL);
	ret = -ENOMEM;
	if (!buf)
		goto out;
	ret = 0;
	for (i = 0; !ret && i < r->nr_runs; i++) {
		while (r->vma[seg].end <= r->run[i].start)
			seg++;
		if (r->vma[seg].kind == CR_VMA_VDSO)
			continue;	/* the running kernel's vdso, not the image's */
		ph = &r->img->phdrs[seg + 1];
		ret = cr_restore_copy(r, r->run[i].start, r->run[i].nr_pages, &r->vma[seg],
				      r->img->base + ph->p_offset + (r->run[i].start - ph->p_vaddr),
				      buf);
		if (ret)
			cr_refuse(r->img->name, "cannot restore pages at %#llx (%d)",
				  r->run[i].start, ret);
	}
	/*
	 * Pages shared with the parent: still shared in a kept mapping, else
	 * from where the parent's image has them.
	 */
	for (i = 0, seg = 0; !ret && i < r->nr_psrc; i++) {
		while (r->vma[seg].end <= r->psrc[i].start)
			seg++;
		if (keep && keep[seg])
			continue;
		ret = cr_restore_copy(r, r->psrc[i].start, r->psrc[i].nr_pages, &r->vma[seg],
				      r->psrc[i].pos, buf);
		if (ret)
			cr_refuse(r->img->name, "cannot restore pages at %#llx (%d)",
				  r->psrc[i].start, ret);
	}
	kvfree(buf);
	if (!ret)
		ret = cr_restore_advice(r, keep);
	if (!ret)
		cr_restore_mm_fields(r);
out:
	kfree(keep);
	return ret;
}

/* The bytes of the image's mappings locked with mlock(). */
static u64 cr_restore_mm_locked(const struct cr_restore *r)
{
	unsigned int i;
	u64 locked = 0;

	for (i = 0; i < r->nr_vmas; i++)
		if (r->vma[i].flags & CR_VMA_LOCKED)
			locked += r->vma[i].end - r->vma[i].start;
	return locked;
}

/**
 * cr_restore_mm_lock_prepare - may the restored process lock what it locked?
 * @r: restore plan, its memory and resource limits checked
 *
 * As mlock(2) and mlockall(2) would let it: with CAP_IPC_LOCK, or within
 * the RLIMIT_MEMLOCK it is restored with. Asked before the point of no
 * return; cr_restore_mm_lock() locks.
 *
 * Return: 0, or -EPERM after saying why.
 */
int cr_restore_mm_lock_prepare(struct cr_restore *r)
{
	u64 limit = r->process.rlim[RLIMIT_MEMLOCK].cur;
	u64 locked = cr_restore_mm_locked(r);

	if ((!locked && !(r->process.mm_flags & CR_MM_LOCK_FUTURE)) ||
	    capable(CAP_IPC_LOCK))
		return 0;
	if (limit && locked <= limit)
		return 0;
	cr_refuse(r->img->name, "%llu KiB of memory locked (mlock) exceed RLIMIT_MEMLOCK %llu KiB without CAP_IPC_LOCK",
		  locked >> 10, limit >> 10);
	return -EPERM;
}

/**
 * cr_restore_mm_lock - lock the memory the process had locked
 * @r: a prepared plan, its memory and resource limits restored
 *
 * mlock2(2) on each locked mapping (MLOCK_ONFAULT as it was), which
 * populates what is not locked on fault, then mlockall(MCL_FUTURE) as it
 * was. Past the point of no return.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_mm_lock(struct cr_restore *r)
{
	struct mm_struct *mm = current->mm;
	unsigned int i;
	int ret;

	for (i = 0; i < r->nr_vmas; i++) {
		const struct cr_vma *v = &r->vma[i];
		vm_flags_t flags = VM_LOCKED;

		if (!(v->flags & CR_VMA_LOCKED))
			continue;
		if (v->flags & CR_VMA_LOCKONFAULT)
			flags |= VM_LOCKONFAULT;
		ret = do_mlock(v->start, v->end - v->start, flags);
		if (ret) {
			cr_refuse(r->img->name, "cannot lock [%#llx-%#llx] in memory (%d)",
				  v->start, v->end, ret);
			return ret;
		}
	}
	if (!(r->process.mm_flags & CR_MM_LOCK_FUTURE))
		return 0;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	mm->def_flags |= VM_LOCKED;
	if (r->process.mm_flags & CR_MM_LOCK_ONFAULT)
		mm->def_flags |= VM_LOCKONFAULT;
	mmap_write_unlock(mm);
	return 0;
}

void cr_restore_mm_free(struct cr_restore *r)
{
	unsigned int i;

	for (i = 0; r->file && i < r->nr_files; i++)
		if (r->file[i])
			fput(r->file[i]);
	kvfree(r->file);
	kvfree(r->file_name);
	kvfree(r->vma);
	kvfree(r->sysv);
	kvfree(r->sem_undo);
	r->sem_undo = NULL;
	kvfree(r->aio);
	r->aio = NULL;
	kvfree(r->run);
	kvfree(r->prun);
	kvfree(r->psrc);
}
