// SPDX-License-Identifier: GPL-2.0
/*
 * The mount namespace of the tree, when it has one of its own: a
 * container made with "unshare --mount --mount-proc", or by a runtime.
 * Such a namespace starts as a copy of its parent's; the container then
 * mounts filesystems of its own, and may unmount some of the copied ones.
 *
 * Checkpoint: NT_CR_MOUNTS, in the root's image with CR_NS_MNT in
 * NT_CR_NS: every mount the root sees from its root directory, parents
 * first (collect_mounts()), with its path, its type and its flags, of one
 * kind:
 *
 *  - CR_MNT_HOST: its filesystem is mounted in the initial namespace too
 *    (the host's root, a bind mount of a host directory, the host's
 *    /proc): it is the caller's at restore, found at the same path with
 *    the same type, device and root in its filesystem;
 *  - CR_MNT_PROC, CR_MNT_SYSFS, CR_MNT_MQUEUE: a proc of the tree's pid
 *    namespace, a sysfs of its network namespace, the mqueue filesystem
 *    of its IPC namespace, which the restore mounts again in the tree's
 *    namespaces;
 *  - CR_MNT_TMPFS: an empty tmpfs of its own (size, inode limit, mode,
 *    owner), mounted again.
 *
 * Any other filesystem of the container's own (a tmpfs with files in it,
 * a devpts instance, an overlay, a FUSE mount) refuses the checkpoint:
 * not saved yet. Every process of the tree must be in the root's mount
 * namespace (nested namespaces are not saved yet).
 *
 * Restore, before the point of no return: a copy of the caller's mount
 * namespace, as unshare(CLONE_NEWNS) by the caller makes it (owned by the
 * caller's user namespace, with its own root and working directory), its
 * mounts made private so that nothing done in it reaches the caller's.
 * There the mounts of the copy that the tree's namespace had not are
 * unmounted, and each CR_MNT_HOST mount must be found, with its flags
 * set again; a tree with a user namespace then gets a copy of that, owned
 * by the user namespace, as unshare(CLONE_NEWUSER | CLONE_NEWNS) makes it
 * (kernel/cr/ns.c). Last, the tree's own filesystems are mounted again in
 * its namespaces, in order. The caller visits the namespace while the
 * tree is prepared, so that the tree's files are opened in it, and the
 * root enters it past the point of no return.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/ipc_namespace.h>
#include <linux/kernfs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/task.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <uapi/linux/mount.h>

/* The CR_MNT_* flags of mount @m. */
static u32 cr_mnt_flags(const struct vfsmount *m)
{
	int f = m->mnt_flags;

	return (f & MNT_READONLY ? CR_MNT_RDONLY : 0) | (f & MNT_NOSUID ? CR_MNT_NOSUID : 0) |
	       (f & MNT_NODEV ? CR_MNT_NODEV : 0) | (f & MNT_NOEXEC ? CR_MNT_NOEXEC : 0) |
	       (f & MNT_NOATIME ? CR_MNT_NOATIME : 0) |
	       (f & MNT_NODIRATIME ? CR_MNT_NODIRATIME : 0) |
	       (f & MNT_RELATIME ? CR_MNT_RELATIME : 0);
}

/* The device of @sb as CR_MNT_HOST keeps it: its own, if on a block device. */
static u32 cr_mnt_dev(const struct super_block *sb)
{
	return sb->s_bdev ? new_encode_dev(sb->s_dev) : 0;
}

/* Checkpoint */

struct cr_mnt_dump {
	struct path root;		/* of the collected copy */
	struct mnt_namespace *init_ns;
	u8 *buf;
	size_t len, size;
	unsigned int nr;
	char *path, *froot;		/* PATH_MAX each */
	int err;
};

/* The kind of mount @m, or 0 after saying why it is not saved. */
static u32 cr_mnt_kind(struct cr_mnt_dump *c, struct vfsmount *m, const char *path)
{
	struct super_block *sb = m->mnt_sb;
	const char *type = sb->s_type->name;

	if (mnt_cr_sb_in_ns(sb, c->init_ns))
		return CR_MNT_HOST;
	if (m->mnt_root == sb->s_root) {
		if (!strcmp(type, "proc") && proc_pid_ns(sb) == task_active_pid_ns(current))
			return CR_MNT_PROC;
		if (!strcmp(type, "sysfs") && kernfs_super_ns(sb) == current->nsproxy->net_ns)
			return CR_MNT_SYSFS;
		if (!strcmp(type, "mqueue") && sb->s_fs_info == current->nsproxy->ipc_ns)
			return CR_MNT_MQUEUE;
		if (!strcmp(type, "tmpfs") && simple_empty(sb->s_root))
			return CR_MNT_TMPFS;
	}
	cr_refuse(current->comm, "checkpoint refused: its mount of %s at %s is of its own and %s (not saved yet)",
		  type, path, !strcmp(type, "tmpfs") ? "holds files" : "not one the restore makes");
	return 0;
}

static int cr_dump_mount_one(struct vfsmount *m, void *arg)
{
	struct cr_mnt_dump *c = arg;
	struct path p = { .mnt = m, .dentry = m->mnt_root };
	struct super_block *sb = m->mnt_sb;
	struct cr_mount e = {};
	char *path, *root = NULL;
	size_t len;
	u8 *buf;

	path = __d_path(&p, &c->root, c->path, PATH_MAX);
	if (IS_ERR_OR_NULL(path))
		return 0;	/* not under the root's root: not seen */
	if (c->nr == CR_MAX_MOUNTS) {
		cr_refuse(current->comm, "checkpoint refused: more than %u mounts", CR_MAX_MOUNTS);
		return -E2BIG;
	}
	e.kind = cr_mnt_kind(c, m, path);
	if (!e.kind)
		return -EOPNOTSUPP;
	if (!c->nr && e.kind != CR_MNT_HOST) {
		cr_refuse(current->comm, "checkpoint refused: its root is a %s of its own (a root of its own is not saved yet)",
			  sb->s_type->name);
		return -EOPNOTSUPP;
	}
	e.flags = cr_mnt_flags(m);
	strscpy(e.fstype, sb->s_type->name, sizeof(e.fstype));
	e.path_len = strlen(path) + 1;
	if (e.kind == CR_MNT_HOST) {
		root = dentry_path_raw(m->mnt_root, c->froot, PATH_MAX);
		if (IS_ERR(root))
			return PTR_ERR(root);
		e.root_len = strlen(root) + 1;
		e.dev = cr_mnt_dev(sb);
	} else if (e.kind == CR_MNT_TMPFS) {
		/* What SHMEM_SB() gives in mm/shmem.c. */
		struct shmem_sb_info *sbi = sb->s_fs_info;

		e.size = (u64)sbi->max_blocks << PAGE_SHIFT;
		e.nr_inodes = sbi->max_inodes;
		e.mode = d_inode(sb->s_root)->i_mode & 07777;
		e.uid = from_kuid_munged(current_user_ns(), d_inode(sb->s_root)->i_uid);
		e.gid = from_kgid_munged(current_user_ns(), d_inode(sb->s_root)->i_gid);
	}
	len = ALIGN(sizeof(e) + e.path_len + e.root_len, 8);
	if (c->len + len > c->size) {
		buf = kvrealloc(c->buf, max(c->size * 2, c->len + len + 4096), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		c->buf = buf;
		c->size = max(c->size * 2, c->len + len + 4096);
	}
	memset(c->buf + c->len, 0, len);
	memcpy(c->buf + c->len, &e, sizeof(e));
	memcpy(c->buf + c->len + sizeof(e), path, e.path_len);
	if (root)
		memcpy(c->buf + c->len + sizeof(e) + e.path_len, root, e.root_len);
	c->len += len;
	c->nr++;
	return 0;
}

/**
 * cr_dump_mounts - NT_CR_MOUNTS: the mount namespace of the tree
 * @d: the root's image
 * @f: the frozen tree
 *
 * Return: 1 when the tree is in a mount namespace of its own (its note
 * written), 0 when in the initial one, or a negative errno after saying
 * why.
 */
int cr_dump_mounts(struct cr_dump *d, struct cr_freeze *f)
{
	struct mnt_namespace *ns = current->nsproxy->mnt_ns;
	unsigned int i, n = cr_freeze_nr_procs(f);
	struct cr_mnt_dump c = {};
	struct vfsmount *tree;
	struct path root;
	int ret;

	for (i = 1; i < n; i++) {
		unsigned int nr_threads;
		struct task_struct *p;
		bool other;
		int parent;

		p = cr_freeze_proc(f, i, &parent, &nr_threads);
		if (!nr_threads)
			continue;
		task_lock(p);
		other = p->nsproxy && p->nsproxy->mnt_ns != ns;
		task_unlock(p);
		if (other) {
			cr_refuse(current->comm, "checkpoint refused: process %d is in another mount namespace than the root (nested namespaces are not saved yet)",
				  task_tgid_vnr(p));
			return -EOPNOTSUPP;
		}
	}
	c.init_ns = init_task.nsproxy->mnt_ns;
	if (ns == c.init_ns)
		return 0;
	c.path = kmalloc(PATH_MAX, GFP_KERNEL);
	c.froot = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!c.path || !c.froot) {
		ret = -ENOMEM;
		goto out;
	}
	get_fs_root(current->fs, &root);
	tree = collect_mounts(&root);
	path_put(&root);
	if (IS_ERR(tree)) {
		ret = PTR_ERR(tree);
		cr_refuse(current->comm, "checkpoint refused: its mounts cannot be read (%d)", ret);
		goto out;
	}
	c.root.mnt = tree;
	c.root.dentry = tree->mnt_root;
	ret = iterate_mounts(cr_dump_mount_one, &c, tree);
	drop_collected_mounts(tree);
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_MOUNTS, c.buf, c.len);
out:
	kvfree(c.buf);
	kfree(c.path);
	kfree(c.froot);
	return ret ?: 1;
}

/* Restore */

/* The MS_* flags that set a mount's CR_MNT_* @flags. */
static unsigned long cr_mnt_ms(u32 flags)
{
	/* path_mount() defaults to relatime: without it or noatime, strictatime. */
	return flags | (flags & (CR_MNT_RELATIME | CR_MNT_NOATIME) ? 0 : MS_STRICTATIME);
}

/* Whether mount @m is CR_MNT_HOST mount @e, whose root is @root. */
static bool cr_mnt_is(struct vfsmount *m, const struct cr_mount *e, const char *root, char *buf)
{
	struct super_block *sb = m->mnt_sb;
	char *r;

	if (strcmp(sb->s_type->name, e->fstype) || cr_mnt_dev(sb) != e->dev)
		return false;
	r = dentry_path_raw(m->mnt_root, buf, PATH_MAX);
	return !IS_ERR(r) && !strcmp(r, root);
}

/* The mounts of a namespace's copy (collect_mounts()), with their paths. */
struct cr_mnt_copy {
	struct path root;
	struct vfsmount **m;
	char **path;
	unsigned int nr, max;
	char *buf;
};

static int cr_mnt_copy_one(struct vfsmount *m, void *arg)
{
	struct cr_mnt_copy *c = arg;
	struct path p = { .mnt = m, .dentry = m->mnt_root };
	char *path;

	path = __d_path(&p, &c->root, c->buf, PATH_MAX);
	if (IS_ERR_OR_NULL(path))
		return 0;
	if (c->nr == c->max)
		return -E2BIG;
	c->path[c->nr] = kstrdup(path, GFP_KERNEL);
	if (!c->path[c->nr])
		return -ENOMEM;
	c->m[c->nr++] = m;
	return 0;
}

/*
 * The mount at @path in the current namespace, if it is the one the copy
 * has as @m (same filesystem, same root): referenced in @p.
 */
static bool cr_mnt_find(const char *path, struct vfsmount *m, struct path *p)
{
	if (kern_path(path, 0, p))
		return false;
	if (p->dentry == p->mnt->mnt_root && p->mnt->mnt_sb == m->mnt_sb &&
	    p->mnt->mnt_root == m->mnt_root)
		return true;
	path_put(p);
	return false;
}

/* Each CR_MNT_HOST mount of the image: @c's mount @i, or -1. */
static int cr_mnt_match(struct cr_restore *r, const void *note, u64 size, unsigned int nr,
			struct cr_mnt_copy *c, int *match)
{
	const char *path, *root;
	struct cr_mount e;
	unsigned int i, k;
	bool *used;
	u64 off;

	used = kcalloc(c->nr, sizeof(*used), GFP_KERNEL);
	if (!used)
		return -ENOMEM;
	for (k = 0, off = 0; off < size; k++) {
		cr_mount_at(note, &off, &e, &path, &root);
		match[k] = -1;
		for (i = 0; e.kind == CR_MNT_HOST && i < c->nr; i++) {
			if (used[i] || strcmp(c->path[i], path) || !cr_mnt_is(c->m[i], &e, root, c->buf))
				continue;
			used[i] = true;
			match[k] = i;
			break;
		}
		if (e.kind == CR_MNT_HOST && match[k] < 0) {
			cr_refuse(r->img->name, "its mount of %s at %s (root %s) is not the caller's at that path",
				  e.fstype, path, root);
			kfree(used);
			return -ENOENT;
		}
	}
	kfree(used);
	return 0;
}

/*
 * In the copy of the caller's namespace, visited: unmount what the tree's
 * had not, and set the flags of what it had.
 */
static int cr_mnt_host(struct cr_restore *r, const struct cr_note *note, unsigned int nr)
{
	struct cr_mnt_copy c = { .max = CR_MAX_MOUNTS };
	const char *path, *root;
	struct vfsmount *tree;
	struct cr_mount e;
	int *match = NULL, ret, i;
	unsigned int k;
	struct path p;
	bool keep;
	u64 off;

	get_fs_root(current->fs, &c.root);
	/* Private: nothing done in the copy reaches the caller's namespace. */
	ret = path_mount(NULL, &c.root, NULL, MS_REC | MS_PRIVATE, NULL);
	tree = ret ? ERR_PTR(ret) : collect_mounts(&c.root);
	path_put(&c.root);
	if (IS_ERR(tree)) {
		cr_refuse(r->img->name, "cannot copy the caller's mounts (%ld)", PTR_ERR(tree));
		return PTR_ERR(tree);
	}
	c.root.mnt = tree;
	c.root.dentry = tree->mnt_root;
	c.m = kcalloc(c.max, sizeof(*c.m), GFP_KERNEL);
	c.path = kcalloc(c.max, sizeof(*c.path), GFP_KERNEL);
	c.buf = kmalloc(PATH_MAX, GFP_KERNEL);
	match = kcalloc(nr, sizeof(*match), GFP_KERNEL);
	ret = -ENOMEM;
	if (c.m && c.path && c.buf && match)
		ret = iterate_mounts(cr_mnt_copy_one, &c, tree);
	if (ret == -E2BIG)
		cr_refuse(r->img->name, "the caller has more than %u mounts", CR_MAX_MOUNTS);
	if (!ret)
		ret = cr_mnt_match(r, note->desc, note->size, nr, &c, match);
	if (!ret && match[0] != 0) {
		cr_refuse(r->img->name, "its root is not the caller's root");
		ret = -EXDEV;
	}
	/* Children first: what the tree's namespace had not goes. */
	for (i = (int)c.nr - 1; !ret && i > 0; i--) {
		for (k = 0, keep = false; k < nr && !keep; k++)
			keep = match[k] == i;
		if (keep || !cr_mnt_find(c.path[i], c.m[i], &p))
			continue;
		ret = path_umount(&p, MNT_DETACH);
		if (ret)
			cr_refuse(r->img->name, "cannot unmount %s, which its namespace had not (%d)",
				  c.path[i], ret);
	}
	/* The flags of those it had. */
	for (k = 0, off = 0; !ret && k < nr; k++) {
		cr_mount_at(note->desc, &off, &e, &path, &root);
		if (match[k] < 0 || !cr_mnt_find(path, c.m[match[k]], &p))
			continue;
		if (cr_mnt_flags(p.mnt) != e.flags)
			ret = path_mount(NULL, &p, NULL, MS_REMOUNT | MS_BIND | cr_mnt_ms(e.flags),
					 NULL);
		path_put(&p);
		if (ret)
			cr_refuse(r->img->name, "cannot set the flags %#x of its mount at %s (%d)",
				  e.flags, path, ret);
	}
	drop_collected_mounts(tree);
	for (i = 0; c.path && i < c.nr; i++)
		kfree(c.path[i]);
	kfree(c.path);
	kfree(c.m);
	kfree(c.buf);
	kfree(match);
	return ret;
}

/**
 * cr_restore_mounts_prepare - a copy of the caller's mount namespace, trimmed
 * @r: the root's plan
 *
 * Sets r->new_ns (a copy of the caller's namespaces with a new mount
 * namespace) and r->new_fs (the caller's root and working directory in
 * it), the caller's mounts that the tree's namespace had not unmounted.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_mounts_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_MOUNTS);
	struct cr_ns_visit old;
	unsigned int nr;
	int ret;

	ret = cr_rule_mounts(r->img->name, note, &nr);
	if (ret)
		return ret;
	r->new_fs = copy_fs_struct(current->fs);
	if (!r->new_fs)
		return -ENOMEM;
	/*
	 * A caller without CAP_SYS_ADMIN in its user namespace may still own
	 * the tree's: the copy is then made owned by it at once, its mounts
	 * locked as unshare(CLONE_NEWUSER | CLONE_NEWNS) locks them (one the
	 * tree's namespace had not cannot be unmounted then).
	 */
	r->mnt_userns = r->ids_cred && !ns_capable_noaudit(current_user_ns(), CAP_SYS_ADMIN);
	ret = unshare_nsproxy_namespaces(CLONE_NEWNS, &r->new_ns,
					 r->mnt_userns ? r->ids_cred : NULL, r->new_fs);
	if (ret) {
		cr_refuse(r->img->name, "cannot make its mount namespace (%d: CAP_SYS_ADMIN in the caller's user namespace, or the tree's)",
			  ret);
		return ret;
	}
	old = cr_restore_ns_visit(r);
	ret = cr_mnt_host(r, note, nr);
	cr_restore_ns_leave(&old);
	return ret;
}

/**
 * cr_restore_mounts_own - mount the tree's own filesystems again
 * @r: the root's plan, its namespaces made
 *
 * In the tree's namespaces, visited, in the image's order: a proc of the
 * pid namespace the tree is made in, a sysfs of its network namespace, the
 * mqueue filesystem of its IPC namespace, an empty tmpfs.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_mounts_own(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_MOUNTS);
	const struct cred *cred = NULL;
	const char *path, *root;
	struct cr_ns_visit old;
	struct cr_mount e;
	struct path p;
	char *data;
	u64 off = 0;
	int ret = 0;

	/* A page: path_mount() terminates its data at PAGE_SIZE - 1. */
	data = (char *)get_zeroed_page(GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	old = cr_restore_ns_visit(r);
	while (!ret && off < note->size) {
		cr_mount_at(note->desc, &off, &e, &path, &root);
		if (e.kind == CR_MNT_HOST)
			continue;
		if (e.kind == CR_MNT_TMPFS)
			snprintf(data, PAGE_SIZE, "size=%llu,nr_inodes=%llu,mode=%o,uid=%u,gid=%u",
				 (unsigned long long)e.size, (unsigned long long)e.nr_inodes, e.mode,
				 e.uid, e.gid);
		ret = kern_path(path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
		if (ret) {
			cr_refuse(r->img->name, "no directory %s to mount its %s on (%d)", path,
				  e.fstype, ret);
			break;
		}
		/*
		 * As the tree: its filesystems are its user namespace's, as
		 * its own mount(2) made them; but a proc is of the pid
		 * namespace the tree is made in, the caller's.
		 */
		if (r->ids_cred && e.kind != CR_MNT_PROC)
			cred = override_creds(r->ids_cred);
		ret = path_mount(e.fstype, &p, e.fstype, cr_mnt_ms(e.flags),
				 e.kind == CR_MNT_TMPFS ? data : NULL);
		if (cred)
			revert_creds(cred);
		cred = NULL;
		path_put(&p);
		if (ret)
			cr_refuse(r->img->name, "cannot mount its %s at %s again (%d)", e.fstype, path,
				  ret);
	}
	cr_restore_ns_leave(&old);
	free_page((unsigned long)data);
	return ret;
}
