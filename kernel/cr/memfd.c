// SPDX-License-Identifier: GPL-2.0
/*
 * memfds: the files of memfd_create(2), which live only in memory.
 *
 * Checkpoint: a descriptor of a memfd is CR_FD_MEMFD in NT_CR_FILES, its
 * name as path, and in the data area struct cr_memfd (size, seals, the
 * object's tree-wide id) followed by its contents, up to the end of its
 * last page that holds data (the rest are holes), read while the tree is
 * frozen. The id is the one the shared mappings of the memfd get
 * (kernel/cr/mm.c), so that the descriptors and the mappings of one memfd
 * are one file again after the restore. A hugetlb memfd, and one with
 * more than CR_MAX_UNLINKED bytes of data, refuse the checkpoint.
 *
 * Restore: before the point of no return, the first descriptor of each
 * object makes the memfd, as memfd_create(2) does (shmem, same name, no
 * memory reserved), with its size, mode and contents (pages of zeroes
 * left as holes); the other descriptors open that file again, each with
 * its flags and offset, and the shared mappings map it (their pages are
 * not written again). Its seals are added last, with the checks of
 * fcntl(F_ADD_SEALS), once every process of the tree has mapped it
 * (cr_restore_memfd_seals()): a write seal would refuse the mappings.
 * A memfd shared with a process outside the tree is not shared with it
 * after the restore, as for shared memory.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/memfd.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/shmem_fs.h>
#include <linux/string.h>

/* Checkpoint */

/**
 * cr_is_memfd - is @file a memfd?
 * @file: an open file
 *
 * A file of the kernel's internal shmem or hugetlbfs mount whose name
 * memfd_create(2) gave: not a file of a tmpfs someone mounted.
 */
bool cr_is_memfd(struct file *file)
{
	const struct dentry *dentry = file->f_path.dentry;

	return (shmem_file(file) || is_file_hugepages(file)) &&
	       (file->f_path.mnt->mnt_flags & MNT_INTERNAL) &&
	       !strncmp(dentry->d_name.name, "memfd:", 6);
}

/* Where the data of @mapping ends: past its last page that is not a hole. */
static loff_t cr_memfd_data_end(struct address_space *mapping, loff_t size)
{
	loff_t pos = 0, end = 0;

	while (pos < size) {
		loff_t data = mapping_seek_hole_data(mapping, pos, size, SEEK_DATA);

		if (data < 0 || data >= size)
			break;
		end = mapping_seek_hole_data(mapping, data, size, SEEK_HOLE);
		if (end <= data)
			return size;
		pos = end;
	}
	return end;
}

/**
 * cr_dump_memfd - the state of a memfd, for its descriptor
 * @o: the tree's objects
 * @file: the memfd (cr_is_memfd())
 * @fd: its descriptor, for messages
 * @m: filled in, but for @m->data_len bytes of contents to read next
 *	(cr_dump_memfd_read())
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_dump_memfd(struct cr_objs *o, struct file *file, int fd, struct cr_memfd *m)
{
	struct inode *inode = file_inode(file);
	struct cr_obj *obj;
	long seals;

	if (is_file_hugepages(file)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d is a hugetlb memfd (%pD), which is not saved yet",
			  fd, file);
		return -EOPNOTSUPP;
	}
	if ((file->f_mode & FMODE_PATH) || !(file->f_mode & FMODE_READ)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d is a memfd open %s: its contents cannot be read through it",
			  fd, file->f_mode & FMODE_PATH ? "with O_PATH" : "for writing only");
		return -EACCES;
	}
	seals = memfd_fcntl(file, F_GET_SEALS, 0);
	if (seals < 0)
		return seals;
	obj = cr_obj_find(o, inode, true);
	if (!obj)
		return -ENOMEM;
	m->size = i_size_read(inode);
	m->data_len = cr_memfd_data_end(inode->i_mapping, m->size);
	m->seals = seals;
	m->shm = obj->id;
	if (m->data_len > CR_MAX_UNLINKED) {
		cr_refuse(current->comm, "checkpoint refused: fd %d is a memfd with %llu bytes of data, more than %u",
			  fd, m->data_len, CR_MAX_UNLINKED);
		return -EFBIG;
	}
	return 0;
}

/**
 * cr_dump_memfd_read - the contents of a memfd, at its start
 * @file: the memfd, open for reading
 * @buf: where they go
 * @len: how many bytes (struct cr_memfd.data_len)
 *
 * Read at a position of ours: the descriptor's offset stays.
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_memfd_read(struct file *file, void *buf, size_t len)
{
	loff_t pos = 0;
	ssize_t n = kernel_read(file, buf, len, &pos);

	return n == len ? 0 : n < 0 ? n : -EIO;
}

/* Restore */

/* A new memfd named @name, as memfd_create(2) makes it, filled. */
static struct file *cr_memfd_make(const char *name, umode_t mode, const struct cr_memfd *m,
				  const char *data)
{
	struct file *file;
	struct inode *inode;
	loff_t pos;

	file = shmem_file_setup(name, m->size, VM_NORESERVE);
	if (IS_ERR(file))
		return file;
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	file->f_flags |= O_LARGEFILE;
	inode = file_inode(file);
	inode_lock(inode);
	inode->i_mode = (inode->i_mode & S_IFMT) | (mode & 0777);
	/* Sealed last (cr_restore_memfd_seals()): none yet, not even F_SEAL_SEAL. */
	SHMEM_I(inode)->seals = 0;
	inode_unlock(inode);
	for (pos = 0; pos < m->data_len; ) {
		size_t len = min_t(u64, PAGE_SIZE - offset_in_page(pos), m->data_len - pos);
		loff_t at = pos;

		if (memchr_inv(data + pos, 0, len) &&
		    kernel_write(file, data + pos, len, &at) != len) {
			fput(file);
			return ERR_PTR(-EIO);
		}
		pos += len;
		if (fatal_signal_pending(current)) {
			fput(file);
			return ERR_PTR(-EINTR);
		}
	}
	return file;
}

/**
 * cr_restore_memfd - the open file of a memfd descriptor, before the point
 *	of no return
 * @r: restore plan
 * @e: the descriptor, checked by cr_rule_fd_file()
 *
 * Return: a new open file of the memfd, or an ERR_PTR after saying why.
 */
struct file *cr_restore_memfd(struct cr_restore *r, const struct cr_fd *e)
{
	const char *data = r->fd_data + e->data_off, *name = r->fd_data + e->path_off;
	struct file *obj, *f;
	struct cr_memfd m;
	int ret;

	memcpy(&m, data, sizeof(m));
	obj = cr_tree_shm(r->tree, m.shm);
	if (!obj) {
		obj = cr_memfd_make(name, e->mode, &m, data + sizeof(m));
		ret = PTR_ERR_OR_ZERO(obj);
		if (!ret) {
			ret = cr_tree_shm_add(r->tree, m.shm, obj, m.seals);
			if (ret)
				fput(obj);
		}
		if (ret) {
			cr_refuse(r->img->name, "fd %d: cannot make memfd %s (%d)", e->fd, name, ret);
			return ERR_PTR(ret);
		}
	} else if (i_size_read(file_inode(obj)) != m.size) {
		cr_refuse(r->img->name, "fd %d: memfd %u has another size than its other descriptors",
			  e->fd, m.shm);
		return ERR_PTR(-EINVAL);
	}
	f = dentry_open(&obj->f_path, e->flags | O_LARGEFILE, current_cred());
	if (IS_ERR(f)) {
		cr_refuse(r->img->name, "fd %d: cannot open memfd %s (%ld)", e->fd, name, PTR_ERR(f));
		return f;
	}
	if (e->pos && vfs_llseek(f, e->pos, SEEK_SET) != e->pos) {
		cr_refuse(r->img->name, "fd %d: cannot seek memfd %s to %llu", e->fd, name, e->pos);
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/**
 * cr_restore_memfd_seal - add its seals to a memfd of the tree
 * @file: the memfd, as cr_restore_memfd() made it
 * @seals: its seals
 *
 * Called once every process of the tree has its mappings, before any
 * runs: fcntl(F_ADD_SEALS) checks them against those, as it did for the
 * process that sealed it.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_memfd_seal(struct file *file, u32 seals)
{
	long ret = seals ? memfd_fcntl(file, F_ADD_SEALS, seals) : 0;

	return ret < 0 ? ret : 0;
}
