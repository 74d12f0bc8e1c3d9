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
 *  - CR_MNT_TMPFS: a tmpfs of its own (size, inode limit, mode, owner),
 *    mounted again, with its directories, regular files (their
 *    contents) and symbolic links (NT_CR_TMPFS): owner, group, mode,
 *    modification time.
 *
 * Any other filesystem of the container's own (a devpts instance, an
 * overlay, a FUSE mount), and in a tmpfs a device, FIFO or socket, a file
 * with hard links or one the root may not read, refuse the checkpoint:
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
#include <linux/cgroup.h>
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/cred.h>
#include <linux/elfcore.h>
#include <linux/fs_struct.h>
#include <linux/ipc_namespace.h>
#include <linux/kernfs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/security.h>
#include <linux/seq_file.h>
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

/* A growing buffer of note entries. */
struct cr_mnt_dump {
	struct path root;		/* of the collected copy */
	struct mnt_namespace *init_ns;
	struct cr_buf mounts;	/* NT_CR_MOUNTS */
	struct cr_buf files;	/* NT_CR_TMPFS */
	unsigned int nr, nr_files;
	u64 data;			/* bytes of the files' contents */
	char *path, *froot;		/* PATH_MAX each */
	/*
	 * Each mount's filesystem and, from a first walk, whether it is
	 * one of its own at its root (a CR_MNT_BIND source).
	 */
	struct super_block **sb;
	bool *own_root;
	bool first;			/* the first walk */
	unsigned int seen;		/* mounts walked */
};

static int cr_dump_tmpfs_dir(struct cr_mnt_dump *c, struct path *dir, u32 mount, char *rel,
			     const char *mpath);

/*
 * One file of a tmpfs of the tree's own, at @rel (PATH_MAX bytes, its
 * path in the mount) in mount @mount (at @mpath), and what it holds.
 */
static int cr_dump_tmpfs_file(struct cr_mnt_dump *c, struct path *f, u32 mount, char *rel,
			      const char *mpath)
{
	struct inode *inode = d_inode(f->dentry);
	struct cr_tmpfs_file e = { .mount = mount };
	const char *why = NULL, *target = NULL;
	DEFINE_DELAYED_CALL(done);
	struct file *file = NULL;
	loff_t pos = 0;
	ssize_t n;
	u8 *p;
	int ret = 0;

	e.mode = inode->i_mode & (S_IFMT | 07777);
	e.uid = from_kuid_munged(current_user_ns(), inode->i_uid);
	e.gid = from_kgid_munged(current_user_ns(), inode->i_gid);
	e.mtime_ns = timespec64_to_ns(&(struct timespec64){ inode_get_mtime_sec(inode),
							    inode_get_mtime_nsec(inode) });
	e.path_len = strlen(rel) + 1;
	if (S_ISREG(inode->i_mode)) {
		e.size = i_size_read(inode);
		if (inode->i_nlink > 1)
			why = "a file with hard links";
		else if (inode_permission(&nop_mnt_idmap, inode, MAY_READ))
			why = "a file the root may not read";
	} else if (S_ISLNK(inode->i_mode)) {
		target = vfs_get_link(f->dentry, &done);
		if (IS_ERR(target)) {
			ret = PTR_ERR(target);
			goto out;
		}
		e.size = strlen(target);
	} else if (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode)) {
		e.rdev = new_encode_dev(inode->i_rdev);
	} else if (!S_ISDIR(inode->i_mode) && !S_ISFIFO(inode->i_mode)) {
		why = "a socket";
	}
	if (!why && ++c->nr_files > CR_TMPFS_MAX_FILES)
		why = "more files than " __stringify(CR_TMPFS_MAX_FILES);
	c->data += e.size;
	if (!why && c->data > CR_TMPFS_MAX_DATA)
		why = "more than " __stringify(CR_TMPFS_MAX_DATA) " bytes of files";
	if (why) {
		cr_refuse(current->comm, "checkpoint refused: its tmpfs at %s holds %s: %s (not saved yet)",
			  mpath, why, rel);
		ret = -EOPNOTSUPP;
		goto out;
	}
	p = cr_buf_room(&c->files, ALIGN(sizeof(e) + e.path_len + e.size, 8));
	if (!p) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(p, &e, sizeof(e));
	memcpy(p + sizeof(e), rel, e.path_len);
	p += sizeof(e) + e.path_len;
	if (target)
		memcpy(p, target, e.size);
	if (S_ISREG(inode->i_mode) && e.size) {
		file = dentry_open(f, O_RDONLY | O_LARGEFILE, current_cred());
		if (IS_ERR(file)) {
			ret = PTR_ERR(file);
			goto out;
		}
		while (pos < e.size) {
			n = kernel_read(file, p + pos, e.size - pos, &pos);
			if (n <= 0) {
				ret = n ? n : -EIO;	/* shorter than its size */
				break;
			}
		}
		fput(file);
	}
	if (!ret && S_ISDIR(inode->i_mode))
		ret = cr_dump_tmpfs_dir(c, f, mount, rel, mpath);
out:
	do_delayed_call(&done);
	return ret;
}

/* The files of directory @dir, at @rel in the mount ("" for its root). */
static int cr_dump_tmpfs_dir(struct cr_mnt_dump *c, struct path *dir, u32 mount, char *rel,
			     const char *mpath)
{
	struct cr_dir_names n = {};
	size_t len = strlen(rel);
	struct file *file;
	struct path child;
	unsigned int i;
	int ret;

	file = dentry_open(dir, O_RDONLY | O_DIRECTORY, current_cred());
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = cr_read_dir(file, &n);
	fput(file);
	for (i = 0; !ret && i < n.nr; i++) {
		if (len + 1 + strlen(n.name[i]) >= PATH_MAX) {
			ret = -ENAMETOOLONG;
			break;
		}
		snprintf(rel + len, PATH_MAX - len, "%s%s", len ? "/" : "", n.name[i]);
		child.mnt = dir->mnt;
		child.dentry = lookup_one_unlocked(&nop_mnt_idmap, n.name[i], dir->dentry,
						   strlen(n.name[i]));
		if (IS_ERR(child.dentry)) {
			ret = PTR_ERR(child.dentry);
			break;
		}
		if (d_really_is_positive(child.dentry))
			ret = cr_dump_tmpfs_file(c, &child, mount, rel, mpath);
		dput(child.dentry);
	}
	rel[len] = '\0';
	cr_dir_names_free(&n);
	return ret;
}

/*
 * The path of a CR_MNT_BIND mount of the tree's own that @path is in, or
 * NULL: bind mounts are made last, so nothing may lie in one (not yet).
 */
static const char *cr_mnt_in_bind(struct cr_mnt_dump *c, const char *path)
{
	const char *mpath, *root;
	struct cr_mount e;
	u64 off = 0;
	size_t len;

	while (off < c->mounts.len) {
		cr_mount_at(c->mounts.buf, &off, &e, &mpath, &root);
		len = strlen(mpath);
		if (e.kind == CR_MNT_BIND && !strncmp(path, mpath, len) &&
		    (path[len] == '/' || !strcmp(mpath, "/")))
			return mpath;
	}
	return NULL;
}

/* Is @m a cgroup2 mount at the root of the tree's cgroup namespace? */
static bool cr_mnt_cgroup_root(struct vfsmount *m)
{
#ifdef CONFIG_CGROUPS
	struct cgroup_namespace *ns = current->nsproxy->cgroup_ns;
	struct kernfs_node *kn = kernfs_node_from_dentry(m->mnt_root);

	return kn && kn == ns->root_cset->dfl_cgrp->kn;
#else
	return false;
#endif
}

/* Is the tree in a cgroup namespace of its own? */
static bool cr_mnt_own_cgroupns(void)
{
#ifdef CONFIG_CGROUPS
	return current->nsproxy->cgroup_ns != &init_cgroup_ns;
#else
	return false;
#endif
}

/*
 * The options of devpts instance @m, as a mount of it by the tree would
 * take them (ids in its user namespace), into @buf (PATH_MAX), or NULL
 * after saying why it is not saved: one with a pty in it.
 */
static const char *cr_mnt_devpts(struct cr_mnt_dump *c, struct vfsmount *m, const char *path,
				 char *buf)
{
	struct cr_dir_names n = {};
	struct path root = { .mnt = m, .dentry = m->mnt_root };
	struct seq_file seq = { .buf = c->froot, .size = PATH_MAX };
	char *opt, *cur, *out = buf;
	bool busy = false;
	struct file *file;
	unsigned int i;
	u32 id;
	int ret;

	file = dentry_open(&root, O_RDONLY | O_DIRECTORY, current_cred());
	ret = PTR_ERR_OR_ZERO(file);
	if (!ret) {
		ret = cr_read_dir(file, &n);
		fput(file);
	}
	for (i = 0; i < n.nr; i++)
		busy |= strcmp(n.name[i], "ptmx") != 0;
	cr_dir_names_free(&n);
	if (ret || busy) {
		cr_refuse(current->comm, "checkpoint refused: its devpts at %s %s (not saved yet)", path,
			  ret ? "cannot be read" : "has ptys");
		return NULL;
	}
	m->mnt_sb->s_op->show_options(&seq, m->mnt_root);
	if (seq_has_overflowed(&seq)) {
		cr_refuse(current->comm, "checkpoint refused: the options of its devpts at %s are too long",
			  path);
		return NULL;
	}
	c->froot[seq.count] = '\0';
	*buf = '\0';
	for (cur = c->froot; (opt = strsep(&cur, ",")); ) {
		const char *sep = out == buf ? "" : ",";

		if (!*opt)
			continue;
		if (sscanf(opt, "uid=%u", &id) == 1)
			out += scnprintf(out, buf + PATH_MAX - out, "%suid=%u", sep,
					 from_kuid_munged(current_user_ns(),
							  make_kuid(&init_user_ns, id)));
		else if (sscanf(opt, "gid=%u", &id) == 1)
			out += scnprintf(out, buf + PATH_MAX - out, "%sgid=%u", sep,
					 from_kgid_munged(current_user_ns(),
							  make_kgid(&init_user_ns, id)));
		else
			out += scnprintf(out, buf + PATH_MAX - out, "%s%s", sep, opt);
	}
	return buf;
}

/*
 * The kind of mount @m, the @i-th, or 0 after saying why it is not saved;
 * for CR_MNT_BIND, the mount it shows part of in @source: the first of
 * its filesystem at its root (a later one, maybe: the restore binds last).
 */
static u32 cr_mnt_kind(struct cr_mnt_dump *c, struct vfsmount *m, unsigned int i,
		       const char *path, u32 *source)
{
	struct super_block *sb = m->mnt_sb;
	const char *type = sb->s_type->name;
	unsigned int j;

	/*
	 * Its cgroup namespace's: mounted again in the new one, not the
	 * host's (without a cgroup namespace of its own, the host's mount
	 * of it is, if the host has one).
	 */
	if (!strcmp(type, "cgroup2") && cr_mnt_cgroup_root(m) &&
	    (cr_mnt_own_cgroupns() || !mnt_cr_sb_in_ns(sb, c->init_ns)))
		return CR_MNT_CGROUP2;
	if (mnt_cr_sb_in_ns(sb, c->init_ns))
		return CR_MNT_HOST;
	/* A filesystem of its own mounted at its root elsewhere: bound from there. */
	for (j = 0; !c->first && j < c->seen; j++) {
		if (c->sb[j] != sb || !c->own_root[j])
			continue;
		if (j == i)
			break;
		*source = j;
		return CR_MNT_BIND;
	}
	if (m->mnt_root == sb->s_root) {
		if (!strcmp(type, "proc") && proc_pid_ns(sb) == task_active_pid_ns(current))
			return CR_MNT_PROC;
		if (!strcmp(type, "sysfs") && kernfs_super_ns(sb) == current->nsproxy->net_ns)
			return CR_MNT_SYSFS;
		if (!strcmp(type, "mqueue") && sb->s_fs_info == current->nsproxy->ipc_ns)
			return CR_MNT_MQUEUE;
		if (!strcmp(type, "tmpfs"))
			return CR_MNT_TMPFS;
		if (!strcmp(type, "devpts"))
			return CR_MNT_DEVPTS;
	}
	cr_refuse(current->comm, "checkpoint refused: its mount of %s at %s is of its own and not one the restore makes (not saved yet)",
		  type, path);
	return 0;
}

static int cr_dump_mount_one(struct vfsmount *m, void *arg)
{
	struct cr_mnt_dump *c = arg;
	struct path p = { .mnt = m, .dentry = m->mnt_root };
	struct super_block *sb = m->mnt_sb;
	struct cr_mount e = {};
	char *path, *root = NULL, *opts = NULL;
	u8 *buf;

	path = __d_path(&p, &c->root, c->path, PATH_MAX);
	if (IS_ERR_OR_NULL(path))
		return 0;	/* not under the root's root: not seen */
	if (c->nr == CR_MAX_MOUNTS) {
		cr_refuse(current->comm, "checkpoint refused: more than %u mounts", CR_MAX_MOUNTS);
		return -E2BIG;
	}
	/* The first walk: which mounts are filesystems of its own at their root. */
	if (c->first) {
		c->sb[c->nr] = sb;
		c->own_root[c->nr] = !mnt_cr_sb_in_ns(sb, c->init_ns) &&
				     m->mnt_root == sb->s_root;
		c->nr++;
		return 0;
	}
	e.kind = cr_mnt_kind(c, m, c->nr, path, &e.source);
	if (!e.kind)
		return -EOPNOTSUPP;
	/* Bind mounts are made last: nothing of its own may lie in one. */
	if (cr_mnt_in_bind(c, path)) {
		cr_refuse(current->comm, "checkpoint refused: its %s at %s is inside its bind mount at %s (not saved yet)",
			  sb->s_type->name, path, cr_mnt_in_bind(c, path));
		return -EOPNOTSUPP;
	}
	if (!c->nr && e.kind != CR_MNT_HOST) {
		cr_refuse(current->comm, "checkpoint refused: its root is a %s of its own (a root of its own is not saved yet)",
			  sb->s_type->name);
		return -EOPNOTSUPP;
	}
	e.flags = cr_mnt_flags(m);
	strscpy(e.fstype, sb->s_type->name, sizeof(e.fstype));
	e.path_len = strlen(path) + 1;
	if (e.kind == CR_MNT_HOST || e.kind == CR_MNT_BIND) {
		root = dentry_path_raw(m->mnt_root, c->froot, PATH_MAX);
		if (IS_ERR(root))
			return PTR_ERR(root);
		e.root_len = strlen(root) + 1;
		if (e.kind == CR_MNT_HOST)
			e.dev = cr_mnt_dev(sb);
	} else if (e.kind == CR_MNT_DEVPTS) {
		/* Its options go where a root would: in c->froot's room too. */
		opts = kmalloc(PATH_MAX, GFP_KERNEL);
		if (!opts)
			return -ENOMEM;
		root = (char *)cr_mnt_devpts(c, m, path, opts);
		if (!root) {
			kfree(opts);
			return -EOPNOTSUPP;
		}
		e.root_len = strlen(root) + 1;
	} else if (e.kind == CR_MNT_TMPFS) {
		/* What SHMEM_SB() gives in mm/shmem.c. */
		struct shmem_sb_info *sbi = sb->s_fs_info;

		e.size = (u64)sbi->max_blocks << PAGE_SHIFT;
		e.nr_inodes = sbi->max_inodes;
		e.mode = d_inode(sb->s_root)->i_mode & 07777;
		e.uid = from_kuid_munged(current_user_ns(), d_inode(sb->s_root)->i_uid);
		e.gid = from_kgid_munged(current_user_ns(), d_inode(sb->s_root)->i_gid);
	}
	buf = cr_buf_room(&c->mounts, ALIGN(sizeof(e) + e.path_len + e.root_len, 8));
	if (buf) {
		memcpy(buf, &e, sizeof(e));
		memcpy(buf + sizeof(e), path, e.path_len);
		if (root)
			memcpy(buf + sizeof(e) + e.path_len, root, e.root_len);
	}
	kfree(opts);
	if (!buf)
		return -ENOMEM;
	c->nr++;
	if (e.kind == CR_MNT_TMPFS) {
		/* Its files; the mount's path, copied: the walk reuses c->path. */
		char *mpath = kstrdup(path, GFP_KERNEL);
		int ret = mpath ? 0 : -ENOMEM;

		c->froot[0] = '\0';
		if (!ret)
			ret = cr_dump_tmpfs_dir(c, &p, c->nr - 1, c->froot, mpath);
		kfree(mpath);
		return ret;
	}
	return 0;
}

/* "mount" if @p is in another mount namespace than the root. */
static const char *cr_mntns_other(struct task_struct *p)
{
	bool other;

	task_lock(p);
	other = p->nsproxy && p->nsproxy->mnt_ns != current->nsproxy->mnt_ns;
	task_unlock(p);
	return other ? "mount" : NULL;
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
	struct cr_mnt_dump c = {};
	struct vfsmount *tree;
	struct path root;
	int ret;

	ret = cr_dump_ns_same(f, cr_mntns_other);
	if (ret)
		return ret;
	c.init_ns = init_task.nsproxy->mnt_ns;
	if (ns == c.init_ns)
		return 0;
	c.path = kmalloc(PATH_MAX, GFP_KERNEL);
	c.froot = kmalloc(PATH_MAX, GFP_KERNEL);
	c.sb = kcalloc(CR_MAX_MOUNTS, sizeof(*c.sb), GFP_KERNEL);
	c.own_root = kcalloc(CR_MAX_MOUNTS, sizeof(*c.own_root), GFP_KERNEL);
	if (!c.path || !c.froot || !c.sb || !c.own_root) {
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
	c.first = true;
	ret = iterate_mounts(cr_dump_mount_one, &c, tree);
	c.first = false;
	c.seen = c.nr;
	c.nr = 0;
	if (!ret)
		ret = iterate_mounts(cr_dump_mount_one, &c, tree);
	drop_collected_mounts(tree);
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_MOUNTS, c.mounts.buf, c.mounts.len);
	if (!ret && c.files.len)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_TMPFS, c.files.buf, c.files.len);
out:
	kvfree(c.mounts.buf);
	kvfree(c.files.buf);
	kfree(c.path);
	kfree(c.froot);
	kfree(c.sb);
	kfree(c.own_root);
	return ret ?: 1;
}

/* Restore */

/* The MS_* flags that set a mount's CR_MNT_* @flags. */
static unsigned long cr_mnt_ms(u32 flags)
{
	/* path_mount() defaults to relatime: without it or noatime, strictatime. */
	return flags | (flags & (CR_MNT_RELATIME | CR_MNT_NOATIME) ? 0 : MS_STRICTATIME);
}

/* Set the CR_MNT_* @flags of the mount at @p, if it has others. */
static int cr_mnt_set_flags(struct path *p, u32 flags)
{
	if (cr_mnt_flags(p->mnt) == flags)
		return 0;
	return path_mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | cr_mnt_ms(flags), NULL);
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

static int cr_mnt_source(struct cr_restore *r, struct cr_mnt_copy *c, const struct cr_mount *e,
			 const char *root, char *out);
static bool cr_mnt_entry_in_own(const struct cr_note *note, u64 upto, const char *path);
static int cr_mnt_keep_src(struct cr_restore *r, unsigned int k, const char *src);

/* Each CR_MNT_HOST mount of the image: @c's mount @i, or -1. */
static int cr_mnt_match(struct cr_restore *r, const struct cr_note *note, unsigned int nr,
			struct cr_mnt_copy *c, int *match)
{
	const char *path, *root;
	struct cr_mount e;
	unsigned int i, k;
	int ret = 0;
	bool *used;
	u64 off, at;

	used = kcalloc(c->nr, sizeof(*used), GFP_KERNEL);
	if (!used)
		return -ENOMEM;
	for (k = 0, off = 0; !ret && off < note->size; k++) {
		at = off;
		cr_mount_at(note->desc, &off, &e, &path, &root);
		match[k] = -1;
		/* Inside one of its own: bound from wherever the caller has it, later. */
		if (e.kind == CR_MNT_HOST && cr_mnt_entry_in_own(note, at, path)) {
			ret = cr_mnt_source(r, c, &e, root, c->buf + PATH_MAX);
			if (!ret)
				ret = cr_mnt_keep_src(r, k, c->buf + PATH_MAX);
			continue;
		}
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
	return ret;
}

/*
 * Where directory @root of a filesystem like @e's is in the copy: its path
 * there (in @out, PATH_MAX), under a mount of that filesystem whose root
 * holds it. A filesystem without a device (a tmpfs) is told by its type
 * only: the directory must be in one such mount only.
 */
static int cr_mnt_source(struct cr_restore *r, struct cr_mnt_copy *c, const struct cr_mount *e,
			 const char *root, char *out)
{
	char *found = NULL, *rel;
	struct path p;
	unsigned int i;
	size_t len;
	int ret;

	rel = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!rel)
		return -ENOMEM;
	for (i = 0; i < c->nr; i++) {
		struct vfsmount *m = c->m[i];
		const char *mr, *tail;

		if (strcmp(m->mnt_sb->s_type->name, e->fstype) || cr_mnt_dev(m->mnt_sb) != e->dev)
			continue;
		mr = dentry_path_raw(m->mnt_root, c->buf, PATH_MAX);
		if (IS_ERR(mr))
			continue;
		len = strcmp(mr, "/") ? strlen(mr) : 0;
		if (strncmp(root, mr, len) || (root[len] && root[len] != '/'))
			continue;
		tail = root + len;
		if (snprintf(rel, PATH_MAX, "%s%s", strcmp(c->path[i], "/") ? c->path[i] : "",
			     *tail ? tail : (strcmp(c->path[i], "/") ? "" : "/")) >= PATH_MAX)
			continue;
		/* That name leads there, no mount on top of it or on the way. */
		if (kern_path(rel, 0, &p))
			continue;
		mr = p.mnt->mnt_sb == m->mnt_sb ? dentry_path_raw(p.dentry, c->buf, PATH_MAX) : NULL;
		ret = !IS_ERR_OR_NULL(mr) && !strcmp(mr, root);
		path_put(&p);
		if (!ret || (found && !strcmp(found, rel)))
			continue;
		if (found && !cr_mnt_dev(m->mnt_sb)) {
			cr_refuse(r->img->name, "its %s directory %s is in more than one %s of the caller's (%s, %s)",
				  e->fstype, root, e->fstype, found, rel);
			kfree(found);
			kfree(rel);
			return -ENOENT;
		}
		if (!found) {
			found = kstrdup(rel, GFP_KERNEL);
			if (!found) {
				kfree(rel);
				return -ENOMEM;
			}
		}
	}
	kfree(rel);
	if (!found) {
		cr_refuse(r->img->name, "its %s directory %s is in no mount of the caller's", e->fstype,
			  root);
		return -ENOENT;
	}
	strscpy(out, found, PATH_MAX);
	kfree(found);
	return 0;
}

/* Is @path, of an entry at offset @upto, inside an earlier mount of the tree's own? */
static bool cr_mnt_entry_in_own(const struct cr_note *note, u64 upto, const char *path)
{
	const char *mpath, *root;
	struct cr_mount e;
	u64 off = 0;
	size_t len;

	while (off < upto) {
		cr_mount_at(note->desc, &off, &e, &mpath, &root);
		len = strlen(mpath);
		if (e.kind != CR_MNT_HOST && !strncmp(path, mpath, len) &&
		    (path[len] == '/' || !strcmp(mpath, "/")))
			return true;
	}
	return false;
}

/* Keep @src, a name in the copy, for mount @k (r->mnt_src[@k]). */
static int cr_mnt_keep_src(struct cr_restore *r, unsigned int k, const char *src)
{
	if (!r->mnt_src) {
		r->mnt_src = kcalloc(CR_MAX_MOUNTS, sizeof(*r->mnt_src), GFP_KERNEL);
		if (!r->mnt_src)
			return -ENOMEM;
	}
	r->mnt_src[k] = kstrdup(src, GFP_KERNEL);
	return r->mnt_src[k] ? 0 : -ENOMEM;
}

/* Bind-mount @src of the copy at @at below @top, with @e's flags. */
static int cr_mnt_bind(struct cr_restore *r, const char *src, struct path *top, const char *at,
		       const struct cr_mount *e)
{
	struct path p;
	int ret;

	ret = vfs_path_lookup(top->dentry, top->mnt, at, LOOKUP_FOLLOW, &p);
	if (ret) {
		cr_refuse(r->img->name, "no %s in its root to mount %s on (%d)", at, src, ret);
		return ret;
	}
	ret = path_mount(src, &p, NULL, MS_BIND, NULL);
	path_put(&p);
	if (!ret)
		ret = vfs_path_lookup(top->dentry, top->mnt, at, LOOKUP_FOLLOW, &p);
	if (!ret) {
		ret = cr_mnt_set_flags(&p, e->flags);
		path_put(&p);
	}
	if (ret)
		cr_refuse(r->img->name, "cannot bind-mount %s at %s (flags %#x) (%d)", src, at, e->flags,
			  ret);
	return ret;
}

/*
 * A root of its own (a runtime's pivot_root into a directory), visited in
 * the copy: the directory bind-mounted onto itself, each of the tree's
 * other CR_MNT_HOST mounts bound from where the caller has it (those
 * inside a filesystem of its own later, with it). cr_restore_mounts_own()
 * then mounts its own filesystems there and pivots into it, as the
 * runtime did: the caller's mounts go with the old root.
 */
static int cr_mnt_pivot(struct cr_restore *r, const struct cr_note *note, struct cr_mnt_copy *c)
{
	const char *path, *root;
	struct path top = {};
	struct cr_mount e;
	unsigned int k;
	char *src;
	u64 off = 0;
	int ret;

	if (r->old_root.mnt) {
		cr_refuse(r->img->name, "a chroot inside a root of its own is not restored yet");
		return -EOPNOTSUPP;
	}
	src = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	cr_mount_at(note->desc, &off, &e, &path, &root);
	ret = cr_mnt_source(r, c, &e, root, src);
	if (!ret)
		ret = kern_path(src, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &top);
	if (!ret) {
		ret = path_mount(src, &top, NULL, MS_BIND, NULL);
		path_put(&top);
		top.mnt = NULL;
		if (!ret)
			ret = kern_path(src, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &top);
		if (ret)
			cr_refuse(r->img->name, "cannot bind-mount its root %s (%d)", src, ret);
	}
	if (!ret)
		ret = cr_mnt_set_flags(&top, e.flags);
	/* Where the own phase finds it again, by the same name. */
	if (!ret)
		ret = cr_mnt_keep_src(r, 0, src);
	/* Host mounts inside its own: with those, later. */
	for (k = 1; !ret && off < note->size; k++) {
		u64 at = off;

		cr_mount_at(note->desc, &off, &e, &path, &root);
		if (e.kind != CR_MNT_HOST)
			continue;
		ret = cr_mnt_source(r, c, &e, root, src);
		if (!ret && cr_mnt_entry_in_own(note, at, path))
			ret = cr_mnt_keep_src(r, k, src);
		else if (!ret)
			ret = cr_mnt_bind(r, src, &top, path, &e);
	}
	kfree(src);
	path_put(&top);
	/* Its own filesystems go in first, then it pivots (cr_mnt_pivot_root()). */
	r->mnt_pivot = !ret;
	return ret;
}

/*
 * pivot_root(".", ".") into the root of its own at @root (with its own
 * filesystems in it now), then umount2(".", MNT_DETACH) of the old root
 * (@old_root, taken): nothing of the caller's is left in the namespace.
 */
static int cr_mnt_pivot_root(struct cr_restore *r, struct path *root, struct path *old_root)
{
	struct path new = *root, put_old = *root;
	int ret;

	path_get(&new);
	path_get(&put_old);
	ret = path_pivot_root(&new, &put_old);
	path_put(&put_old);
	if (!ret) {
		ret = path_umount(old_root, MNT_DETACH);
		set_fs_pwd(current->fs, &new);
	} else {
		path_put(old_root);
		cr_refuse(r->img->name, "cannot pivot_root into its root (%d: the caller's root must be a mount over another, not the initial rootfs)",
			  ret);
	}
	path_put(&new);
	return ret;
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
	c.buf = kmalloc(2 * PATH_MAX, GFP_KERNEL);
	match = kcalloc(nr, sizeof(*match), GFP_KERNEL);
	ret = -ENOMEM;
	if (c.m && c.path && c.buf && match)
		ret = iterate_mounts(cr_mnt_copy_one, &c, tree);
	if (ret == -E2BIG)
		cr_refuse(r->img->name, "the caller has more than %u mounts", CR_MAX_MOUNTS);
	cr_mount_at(note->desc, &(u64){ 0 }, &e, &path, &root);
	/* Not the caller's root: a root of its own. */
	if (!ret && (!c.nr || strcmp(c.path[0], "/") || !cr_mnt_is(c.m[0], &e, root, c.buf))) {
		ret = cr_mnt_pivot(r, note, &c);
		goto out;
	}
	if (!ret)
		ret = cr_mnt_match(r, note, nr, &c, match);
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
		ret = cr_mnt_set_flags(&p, e.flags);
		path_put(&p);
		if (ret)
			cr_refuse(r->img->name, "cannot set the flags %#x of its mount at %s (%d)",
				  e.flags, path, ret);
	}
out:
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

/* Set the owner, group, mode and modification time of @path as @e says. */
static int cr_tmpfs_attrs(struct cr_restore *r, const char *path, const struct cr_tmpfs_file *e)
{
	struct iattr a = {
		.ia_valid = ATTR_UID | ATTR_GID | ATTR_MTIME | ATTR_MTIME_SET | ATTR_CTIME,
		.ia_uid = make_kuid(cr_restore_ids_ns(r), e->uid),
		.ia_gid = make_kgid(cr_restore_ids_ns(r), e->gid),
		.ia_mtime = ns_to_timespec64(e->mtime_ns),
	};
	struct inode *inode;
	struct path p;
	int ret;

	if (!uid_valid(a.ia_uid) || !gid_valid(a.ia_gid))
		return -EINVAL;
	if (!S_ISLNK(e->mode)) {
		a.ia_valid |= ATTR_MODE;
		a.ia_mode = e->mode;
	}
	ret = kern_path(path, 0, &p);
	if (ret)
		return ret;
	inode = d_inode(p.dentry);
	inode_lock(inode);
	ret = notify_change(&nop_mnt_idmap, p.dentry, &a, NULL);
	inode_unlock(inode);
	path_put(&p);
	return ret;
}

/* Make file @e at @path again: a directory, a symbolic link or a regular file. */
static int cr_tmpfs_make(const struct cr_tmpfs_file *e, const char *path, const char *data)
{
	struct dentry *dentry;
	struct path parent;
	struct file *file;
	loff_t pos = 0;
	char *target;
	ssize_t n;
	int ret;

	if (S_ISREG(e->mode)) {
		file = filp_open(path, O_CREAT | O_EXCL | O_WRONLY | O_LARGEFILE | O_NOFOLLOW, 0600);
		if (IS_ERR(file))
			return PTR_ERR(file);
		for (ret = 0; !ret && pos < e->size; ) {
			n = kernel_write(file, data + pos, e->size - pos, &pos);
			ret = n < 0 ? n : n ? 0 : -EIO;
		}
		fput(file);
		return ret;
	}
	dentry = kern_path_create(AT_FDCWD, path, &parent, S_ISDIR(e->mode) ? LOOKUP_DIRECTORY : 0);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (S_ISDIR(e->mode)) {
		ret = vfs_mkdir(&nop_mnt_idmap, d_inode(parent.dentry), dentry, 0700);
	} else if (!S_ISLNK(e->mode)) {
		/* A device node or FIFO, as mknod(2) makes it (CAP_MKNOD). */
		ret = security_path_mknod(&parent, dentry, e->mode & S_IFMT, e->rdev);
		if (!ret)
			ret = vfs_mknod(&nop_mnt_idmap, d_inode(parent.dentry), dentry,
					e->mode & S_IFMT, new_decode_dev(e->rdev));
	} else {
		target = kmemdup_nul(data, e->size, GFP_KERNEL);
		ret = target ? vfs_symlink(&nop_mnt_idmap, d_inode(parent.dentry), dentry, target) :
			       -ENOMEM;
		kfree(target);
	}
	done_path_create(&parent, dentry);
	return ret;
}

/*
 * Whether the directory @path will be in lies in the tmpfs of @sb: a
 * symbolic link of the image's could lead elsewhere, into the caller's
 * files, which the restore must not write. @buf has 2 * PATH_MAX bytes.
 */
static bool cr_tmpfs_inside(const char *path, struct super_block *sb, char *buf)
{
	struct path p;
	bool in;

	strscpy(buf, path, 2 * PATH_MAX);
	*strrchr(buf, '/') = '\0';
	if (kern_path(buf[0] ? buf : "/", LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p))
		return false;
	in = p.mnt->mnt_sb == sb;
	path_put(&p);
	return in;
}

/*
 * The files of the tree's tmpfs mounts (NT_CR_TMPFS), made again in
 * them, mounted at @mpath[i] for the mount of index i (NULL for another
 * kind), whose superblock is @msb[i]: each with its contents, then its
 * owner, group, mode and time; the directories' times last, as their
 * files changed them. Those of mount @only, just mounted, before what is
 * mounted in it; with @only -1, none is made: each must be in a tmpfs.
 */
static int cr_restore_tmpfs_files(struct cr_restore *r, const char **mpath,
				  struct super_block **msb, unsigned int nr, int only)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_TMPFS);
	const char *rel, *data;
	struct cr_tmpfs_file e;
	char *path;
	u64 off = 0;
	int pass, ret;

	if (!note)
		return 0;
	ret = cr_rule_tmpfs(r->img->name, note, nr);
	if (ret)
		return ret;
	path = kmalloc(4 * PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	for (pass = 0; !ret && pass < 2; pass++) {
		for (off = 0; !ret && off < note->size; ) {
			cr_tmpfs_at(note->desc, &off, &e, &rel, &data);
			if (only >= 0 && e.mount != only)
				continue;
			if (!msb[e.mount]) {
				cr_refuse(r->img->name, "NT_CR_TMPFS: %s is in mount %u, no tmpfs",
					  rel, e.mount);
				ret = -EINVAL;
				break;
			}
			if (only < 0)
				continue;
			snprintf(path, 2 * PATH_MAX, "%s/%s",
				 strcmp(mpath[e.mount], "/") ? mpath[e.mount] : "", rel);
			if (!cr_tmpfs_inside(path, msb[e.mount], path + 2 * PATH_MAX)) {
				cr_refuse(r->img->name, "NT_CR_TMPFS: %s leads out of its tmpfs",
					  path);
				ret = -EXDEV;
				break;
			}
			if (pass)
				ret = S_ISDIR(e.mode) ? cr_tmpfs_attrs(r, path, &e) : 0;
			else
				ret = cr_tmpfs_make(&e, path, data) ?: cr_tmpfs_attrs(r, path, &e);
			if (ret)
				cr_refuse(r->img->name, "cannot make %s of its tmpfs again (%d)", path,
					  ret);
		}
	}
	kfree(path);
	return ret;
}

/*
 * Host mount @e inside one of the tree's own, at @path: bound from @src,
 * a name in the copy of the caller's namespace, looked up from @old_root
 * when the tree's root (@top) is another.
 */
static int cr_mnt_host_in_own(struct cr_restore *r, const char *path, const char *src,
			      const struct cr_mount *e, struct path *old_root, struct path *top)
{
	struct path p;
	int ret;

	ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (ret) {
		cr_refuse(r->img->name, "no %s to mount %s on (%d)", path, src, ret);
		return ret;
	}
	if (old_root)
		set_fs_root(current->fs, old_root);
	ret = path_mount(src, &p, NULL, MS_BIND, NULL);
	if (old_root)
		set_fs_root(current->fs, top);
	path_put(&p);
	if (!ret)
		ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (!ret) {
		ret = cr_mnt_set_flags(&p, e->flags);
		path_put(&p);
	}
	if (ret)
		cr_refuse(r->img->name, "cannot bind-mount %s at %s (flags %#x) (%d)", src, path,
			  e->flags, ret);
	return ret;
}

/* The root's pid in the image (NT_PRPSINFO), or 0. */
static pid_t cr_mnt_image_pid(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, false, NT_PRPSINFO);
	struct elf_prpsinfo ps;

	if (!note || note->size < sizeof(ps))
		return 0;
	memcpy(&ps, note->desc, sizeof(ps));
	return ps.pr_pid;
}

/* Bind @src (a name) on @at, at @path, with the CR_MNT_* @flags. */
static int cr_mnt_bind_own(struct path *at, const char *path, const char *src, u32 flags)
{
	struct path p;
	int ret;

	ret = path_mount(src, at, NULL, MS_BIND, NULL);
	if (!ret)
		ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (ret)
		return ret;
	ret = cr_mnt_set_flags(&p, flags);
	path_put(&p);
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
	const char *path, *root, **mpath;
	struct super_block **msb;
	unsigned int k, total = 0;
	struct path top = {}, old_root = {};
	struct cr_ns_visit old;
	struct cr_mount e;
	bool pass = false;
	struct path p;
	char *data;
	u64 off = 0;
	int ret = 0;

	/* A page: path_mount() terminates its data at PAGE_SIZE - 1. */
	data = (char *)get_zeroed_page(GFP_KERNEL);
	mpath = kcalloc(CR_MAX_MOUNTS, sizeof(*mpath), GFP_KERNEL);
	msb = kcalloc(CR_MAX_MOUNTS, sizeof(*msb), GFP_KERNEL);
	if (!data || !mpath || !msb) {
		free_page((unsigned long)data);
		kfree(mpath);
		kfree(msb);
		return -ENOMEM;
	}
	for (off = 0; off < note->size; total++)
		cr_mount_at(note->desc, &off, &e, &path, &root);
	off = 0;
	old = cr_restore_ns_visit(r);
	/*
	 * A root of its own: looked into as by chroot(), so that its paths
	 * lead nowhere else, until it pivots there at the end.
	 */
	if (r->mnt_pivot) {
		get_fs_root(current->fs, &old_root);
		ret = kern_path(r->mnt_src[0], LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &top);
		if (ret)
			cr_refuse(r->img->name, "its root %s is gone (%d)", r->mnt_src[0], ret);
		else
			set_fs_root(current->fs, &top);
	}
	/* In order, the bind mounts last: their sources may come after them. */
	for (k = 0; !ret && (off < note->size || !pass); k++) {
		if (off == note->size) {
			pass = 1;
			off = 0;
			k = 0;
		}
		cr_mount_at(note->desc, &off, &e, &path, &root);
		if (e.kind == CR_MNT_HOST && !pass && k && r->mnt_src && r->mnt_src[k]) {
			ret = cr_mnt_host_in_own(r, path, r->mnt_src[k], &e, top.mnt ? &old_root : NULL,
						 &top);
			continue;
		}
		if (e.kind == CR_MNT_HOST || (e.kind == CR_MNT_BIND) != pass)
			continue;
		/*
		 * A proc of the tree's pid namespace: made again only where
		 * the root has its pid again (pid 1 of a new namespace for an
		 * init), else it would list the caller's processes.
		 */
		if (e.kind == CR_MNT_PROC && task_pid_vnr(current) != cr_mnt_image_pid(r)) {
			cr_refuse(r->img->name, "its /proc at %s is of its own pid namespace: restore it with its pid %d in a new one (crcore restore does)",
				  path, cr_mnt_image_pid(r));
			ret = -EOPNOTSUPP;
			break;
		}
		if (e.kind == CR_MNT_BIND && !mpath[e.source]) {
			cr_refuse(r->img->name, "its mount at %s binds mount %u, not one of its own", path,
				  e.source);
			ret = -EINVAL;
			break;
		}
		mpath[k] = path;
		data[0] = '\0';
		if (e.kind == CR_MNT_TMPFS)
			snprintf(data, PAGE_SIZE, "size=%llu,nr_inodes=%llu,mode=%o,uid=%u,gid=%u",
				 (unsigned long long)e.size, (unsigned long long)e.nr_inodes, e.mode,
				 e.uid, e.gid);
		else if (e.kind == CR_MNT_DEVPTS)
			strscpy(data, root, PAGE_SIZE);
		/* Its source, a directory or file of an earlier one, by name. */
		else if (e.kind == CR_MNT_BIND &&
			 snprintf(data, PAGE_SIZE, "%s%s", strcmp(mpath[e.source], "/") ?
				  mpath[e.source] : "", strcmp(root, "/") || !strcmp(mpath[e.source], "/") ?
				  root : "") >= PAGE_SIZE)
			ret = -ENAMETOOLONG;
		if (!ret)
			ret = kern_path(path, LOOKUP_FOLLOW |
					(e.kind == CR_MNT_BIND ? 0 : LOOKUP_DIRECTORY), &p);
		if (ret) {
			cr_refuse(r->img->name, "no %s %s to mount its %s on (%d)",
				  e.kind == CR_MNT_BIND ? "file or directory" : "directory", path,
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
		if (e.kind == CR_MNT_BIND)
			ret = cr_mnt_bind_own(&p, path, data, e.flags);
		else
			ret = path_mount(e.fstype, &p, e.fstype, cr_mnt_ms(e.flags),
					 data[0] ? data : NULL);
		if (cred)
			revert_creds(cred);
		cred = NULL;
		path_put(&p);
		/* The tmpfs now on top there: its files go in it, nowhere else. */
		if (!ret && e.kind == CR_MNT_TMPFS) {
			ret = kern_path(path, LOOKUP_FOLLOW, &p);
			if (!ret) {
				msb[k] = p.mnt->mnt_sb;
				path_put(&p);
			}
			if (ret)
				cr_refuse(r->img->name, "cannot mount its %s at %s again (%d)",
					  e.fstype, path, ret);
			/* Its files, as the tree made them, before what is mounted in it. */
			if (!ret && r->ids_cred)
				cred = override_creds(r->ids_cred);
			if (!ret)
				ret = cr_restore_tmpfs_files(r, mpath, msb, total, k);
			if (cred)
				revert_creds(cred);
			cred = NULL;
		} else if (ret) {
			cr_refuse(r->img->name, "cannot mount its %s at %s again (%d)", e.fstype, path,
				  ret);
		}
	}
	/* Every file in a tmpfs of its. */
	if (!ret)
		ret = cr_restore_tmpfs_files(r, mpath, msb, total, -1);
	if (top.mnt) {
		set_fs_root(current->fs, &old_root);
		if (!ret)
			ret = cr_mnt_pivot_root(r, &top, &old_root);
		else
			path_put(&old_root);
		path_put(&top);
	} else if (old_root.mnt) {
		path_put(&old_root);
	}
	cr_restore_ns_leave(&old);
	free_page((unsigned long)data);
	kfree(mpath);
	kfree(msb);
	return ret;
}
