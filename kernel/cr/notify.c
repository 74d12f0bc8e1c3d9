// SPDX-License-Identifier: GPL-2.0
/*
 * inotify: the watches of an inotify instance; and the paths of what the
 * watches of inotify and the marks of fanotify (fanotify.c) are on.
 *
 * Checkpoint: an inotify descriptor is an event file of NT_CR_FILES
 * (CR_FD_INOTIFY, kernel/cr/event.c) whose state is struct cr_inotify:
 * each watch with its descriptor, its mask and the path of what it
 * watches, by increasing descriptor, and where the search for the next
 * descriptor starts (fs/notify/inotify/inotify_user.c: patches/0013). A
 * watch holds an inode, not a path: its path is that of a name of the
 * inode, under a mount of its filesystem that the process sees from its
 * root, and it must lead to that inode again. A watch on a file removed
 * since (no name), or on a filesystem the process does not see, refuses
 * the checkpoint. The events waiting to be read follow, oldest first,
 * with their descriptors, masks, cookies and names.
 *
 * Restore: before the point of no return, a new instance gets each watch
 * with its descriptor and mask, by path from the restored process's
 * root, as inotify_add_watch(2) would with the caller's rights and
 * limits. What it watches is whatever is at that path at restore time.
 * The events are queued first, to be read before any new one.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/inotify.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

/* Shared with fanotify.c: the path of what a watch or mark is on. */

struct cr_notify_find {
	struct dentry *alias;		/* the name looked for */
	struct super_block *sb;		/* ...or a mount of this filesystem */
	struct vfsmount *mnt;		/* the mount found */
};

/* The first mount of the tree under which @nf->alias is, or of @nf->sb. */
static int cr_notify_mount(struct vfsmount *mnt, void *arg)
{
	struct cr_notify_find *nf = arg;

	if (nf->sb ? mnt->mnt_sb != nf->sb :
	    mnt->mnt_sb != nf->alias->d_sb || !is_subdir(nf->alias, mnt->mnt_root))
		return 0;
	nf->mnt = mnt;
	return 1;
}

/* @p, kmalloc()ed, or an ERR_PTR(). */
static char *cr_notify_copy(const char *p)
{
	char *copy;

	if (IS_ERR_OR_NULL(p))
		return p ? (char *)p : ERR_PTR(-EXDEV);
	copy = kstrdup(p, GFP_KERNEL_ACCOUNT);
	return copy ?: ERR_PTR(-ENOMEM);
}

/**
 * cr_notify_leads - whether a path found by the functions below leads there
 * @p: the path
 * @mnt: the mount it must lead to, or NULL for any
 * @inode: the inode it must lead to, or NULL for any
 * @sb: the filesystem it must lead to, or NULL for any
 *
 * A lookup, so not under a notification group's lock (unlink takes the
 * group's lock under the directory's to drop the marks of a file).
 *
 * Return: 0, or -EXDEV: the name is covered by another mount or leads to
 * another file.
 */
int cr_notify_leads(const char *p, struct vfsmount *mnt, struct inode *inode,
		    struct super_block *sb)
{
	struct path found;
	bool same;

	if (kern_path(p, 0, &found))
		return -EXDEV;
	same = (!inode || d_inode(found.dentry) == inode) && (!mnt || found.mnt == mnt) &&
	       (!sb || found.mnt->mnt_sb == sb);
	path_put(&found);
	return same ? 0 : -EXDEV;
}

/**
 * cr_notify_inode_path - the path from the process's root of a name of @inode
 * @tree: the process's mounts, from collect_mounts() of its root
 * @inode: what a watch or mark is on
 * @buf: PATH_MAX bytes
 *
 * The path of a name of @inode, under a mount of its filesystem that the
 * process sees; cr_notify_leads() then checks that it leads to @inode,
 * not to what covers it. No lookup: callable under a group's lock.
 *
 * Return: the path, kmalloc()ed; or ERR_PTR(-ENOENT) for a file removed
 * since, ERR_PTR(-EXDEV) for one no path of the process leads to.
 */
char *cr_notify_inode_path(struct vfsmount *tree, struct inode *inode, char *buf)
{
	struct path root = { .mnt = tree, .dentry = tree->mnt_root };
	struct cr_notify_find nf = {};
	struct path path;
	char *p = ERR_PTR(-ENOENT);

	nf.alias = d_find_alias(inode);
	if (!nf.alias)
		return p;
	if (!d_unhashed(nf.alias) && iterate_mounts(cr_notify_mount, &nf, tree)) {
		path.mnt = nf.mnt;
		path.dentry = nf.alias;
		p = cr_notify_copy(__d_path(&path, &root, buf, PATH_MAX));
	}
	dput(nf.alias);
	return p;
}

/**
 * cr_notify_sb_path - the path from the process's root of a mount of @sb
 * @tree: the process's mounts, from collect_mounts() of its root
 * @sb: a filesystem a mark is on
 * @buf: PATH_MAX bytes
 *
 * As cr_notify_inode_path(), for the root of the first such mount.
 *
 * Return: the path, kmalloc()ed, or ERR_PTR(-EXDEV) when the process sees
 * none.
 */
char *cr_notify_sb_path(struct vfsmount *tree, struct super_block *sb, char *buf)
{
	struct path root = { .mnt = tree, .dentry = tree->mnt_root };
	struct cr_notify_find nf = { .sb = sb };
	struct path path;

	if (!iterate_mounts(cr_notify_mount, &nf, tree))
		return ERR_PTR(-EXDEV);
	path.mnt = nf.mnt;
	path.dentry = nf.mnt->mnt_root;
	return cr_notify_copy(__d_path(&path, &root, buf, PATH_MAX));
}

/**
 * cr_notify_path - the path from the process's root of @path
 * @root: the process's root
 * @path: a file an event reports, or the root of a mount a mark is on
 * @buf: PATH_MAX bytes
 *
 * As cr_notify_inode_path().
 *
 * Return: the path, kmalloc()ed; or ERR_PTR(-ENOENT) for a file removed
 * since, ERR_PTR(-EXDEV) when no path of the process leads there.
 */
char *cr_notify_path(const struct path *root, const struct path *path, char *buf)
{
	if (d_unlinked(path->dentry))
		return ERR_PTR(-ENOENT);
	return cr_notify_copy(__d_path(path, root, buf, PATH_MAX));
}

#ifdef CONFIG_INOTIFY_USER
/* Checkpoint */

/**
 * cr_inotify_file - is @file an inotify instance?
 * @file: an open file
 */
bool cr_inotify_file(struct file *file)
{
	int next_wd;
	bool queued;

	return inotify_cr_watches(file, NULL, NULL, &next_wd, &queued) != -EINVAL;
}

/* A watch found, with its path, before it is laid out in the state. */
struct cr_inotify_found {
	struct cr_inotify_watch w;
	char *path;
	struct inode *inode;		/* held, to check the path after the walk */
};

struct cr_inotify_dump {
	struct vfsmount *tree;		/* the process's mounts, from its root */
	struct cr_inotify_found *found;
	unsigned int nr, cap;
	int fd;
	char *buf;			/* PATH_MAX, for d_path */
	struct inode *drop;		/* held, to put after the walk */
};

static int cr_inotify_add(void *arg, int wd, u32 mask, struct inode *inode)
{
	struct cr_inotify_dump *ed = arg;
	struct cr_inotify_found *f;
	char *path;

	if (ed->nr == ed->cap) {
		if (ed->cap >= CR_MAX_INOTIFY_WATCHES)
			return -E2BIG;
		ed->cap = max(16U, 2 * ed->cap);
		f = kvrealloc(ed->found, ed->cap * sizeof(*f), GFP_KERNEL_ACCOUNT);
		if (!f)
			return -ENOMEM;
		ed->found = f;
	}
	/* Held: its path is checked after the walk. */
	inode = igrab(inode);
	path = inode ? cr_notify_inode_path(ed->tree, inode, ed->buf) : ERR_PTR(-ENOENT);
	if (IS_ERR(path)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: inotify watch %d is on a file %s",
			  ed->fd, wd, PTR_ERR(path) == -ENOENT ? "removed since" :
			  "that no path of the process leads to");
		ed->drop = inode;	/* not put under the group's lock */
		return PTR_ERR(path);
	}
	f = &ed->found[ed->nr++];
	memset(f, 0, sizeof(*f));
	f->inode = inode;
	f->w.wd = wd;
	f->w.mask = mask & CR_INOTIFY_MASK;
	f->w.path_len = strlen(path) + 1;
	f->path = path;
	return 0;
}

static int cr_inotify_cmp(const void *a, const void *b)
{
	const struct cr_inotify_found *x = a, *y = b;

	return x->w.wd < y->w.wd ? -1 : x->w.wd > y->w.wd;
}

/**
 * cr_dump_inotify - the state of an inotify instance, for its descriptor
 * @file: the instance
 * @fd: its descriptor number in the current process
 * @root: the process's root
 * @state: set to the state, kvmalloc()ed
 * @len: set to its size
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_inotify(struct file *file, int fd, const struct path *root, void **state,
		    size_t *len)
{
	struct cr_inotify_dump ed = { .fd = fd };
	struct cr_inotify h = {};
	size_t size, events = 0, need;
	unsigned int i, tries;
	bool queued;
	char *p;
	int ret;

	ed.buf = kmalloc(PATH_MAX, GFP_KERNEL_ACCOUNT);
	if (!ed.buf)
		return -ENOMEM;
	ed.tree = collect_mounts(root);
	if (IS_ERR(ed.tree)) {
		ret = PTR_ERR(ed.tree);
		ed.tree = NULL;
		cr_refuse(current->comm, "checkpoint refused: fd %d: cannot see the mounts of its inotify watches (%d)",
			  fd, ret);
		goto out;
	}
	ret = inotify_cr_watches(file, cr_inotify_add, &ed, &h.next_wd, &queued);
	if (ret == -E2BIG)
		cr_refuse(current->comm, "checkpoint refused: fd %d: more than %u inotify watches",
			  fd, CR_MAX_INOTIFY_WATCHES);
	if (ret)
		goto out;
	/* Each path leads to its watch's file (a lookup: not under the group's lock). */
	for (i = 0; i < ed.nr; i++) {
		ret = cr_notify_leads(ed.found[i].path, NULL, ed.found[i].inode, NULL);
		if (ret) {
			cr_refuse(current->comm, "checkpoint refused: fd %d: inotify watch %d is on a file that no path of the process leads to",
				  fd, ed.found[i].w.wd);
			goto out;
		}
	}
	sort(ed.found, ed.nr, sizeof(*ed.found), cr_inotify_cmp, NULL);
	h.nr_watches = ed.nr;
	size = sizeof(h);
	for (i = 0; i < ed.nr; i++)
		size += sizeof(ed.found[i].w) + ALIGN(ed.found[i].w.path_len, 8);
	/* The events, which may come meanwhile: room for them, then them. */
	p = NULL;
	for (tries = 0; tries < 4; tries++) {
		ret = inotify_cr_events(file, p ? p + size : NULL, events, &need, &h.nr_events);
		if (ret != -ENOSPC)
			break;
		kvfree(p);
		p = NULL;
		if (need > CR_MAX_UNLINKED || h.nr_events > CR_MAX_INOTIFY_EVENTS) {
			cr_refuse(current->comm, "checkpoint refused: fd %d: more than %u inotify events or %u bytes of them wait to be read",
				  fd, CR_MAX_INOTIFY_EVENTS, CR_MAX_UNLINKED);
			ret = -EFBIG;
			goto out;
		}
		events = need;
		p = kvzalloc(size + events, GFP_KERNEL_ACCOUNT);
		if (!p) {
			ret = -ENOMEM;
			goto out;
		}
	}
	if (!ret && !p) {
		p = kvzalloc(size, GFP_KERNEL_ACCOUNT);
		ret = p ? 0 : -ENOMEM;
	}
	if (ret == -ENOSPC) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: inotify events keep coming (try again)",
			  fd);
		ret = -EAGAIN;
	}
	if (ret) {
		kvfree(p);
		goto out;
	}
	*state = p;
	*len = size + need;
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	for (i = 0; i < ed.nr; i++) {
		memcpy(p, &ed.found[i].w, sizeof(ed.found[i].w));
		p += sizeof(ed.found[i].w);
		memcpy(p, ed.found[i].path, ed.found[i].w.path_len);
		p += ALIGN(ed.found[i].w.path_len, 8);
	}
out:
	for (i = 0; i < ed.nr; i++) {
		kfree(ed.found[i].path);
		iput(ed.found[i].inode);
	}
	iput(ed.drop);
	kvfree(ed.found);
	if (ed.tree)
		drop_collected_mounts(ed.tree);
	kfree(ed.buf);
	return ret;
}

/* Restore */

/**
 * cr_restore_inotify - a new inotify instance with the watches of @state
 * @name: the image, for messages
 * @fd: its descriptor, for messages
 * @state: its state, checked by cr_rule_event()
 * @flags: O_NONBLOCK or 0
 *
 * Return: the file, or an ERR_PTR() after saying why.
 */
struct file *cr_restore_inotify(const char *name, int fd, const char *state, int flags)
{
	struct cr_inotify h;
	struct file *file;
	size_t off = sizeof(h);
	unsigned int i;
	int ret = 0;

	memcpy(&h, state, sizeof(h));
	file = inotify_cr_file(flags);
	if (IS_ERR(file)) {
		cr_refuse(name, "fd %d: cannot make its inotify instance (%ld)", fd, PTR_ERR(file));
		return file;
	}
	/*
	 * The events first, oldest before any a new watch could report: they
	 * follow the watches in the state.
	 */
	for (i = 0; i < h.nr_watches; i++) {
		struct cr_inotify_watch w;

		memcpy(&w, state + off, sizeof(w));
		off += sizeof(w) + ALIGN(w.path_len, 8);
	}
	for (i = 0; !ret && i < h.nr_events; i++) {
		struct cr_inotify_event ev;

		memcpy(&ev, state + off, sizeof(ev));
		off += sizeof(ev);
		ret = inotify_cr_queue_event(file, ev.wd, ev.mask, ev.cookie,
					     ev.name_len ? state + off : NULL);
		off += ALIGN(ev.name_len, 8);
		if (ret)
			cr_refuse(name, "fd %d: cannot queue inotify event %u again (%d)", fd, i, ret);
	}
	off = sizeof(h);
	for (i = 0; !ret && i < h.nr_watches; i++) {
		struct cr_inotify_watch w;
		const char *path;
		struct path p;

		memcpy(&w, state + off, sizeof(w));
		path = state + off + sizeof(w);
		off += sizeof(w) + ALIGN(w.path_len, 8);
		ret = kern_path(path, 0, &p);
		if (!ret) {
			ret = inotify_cr_add_watch(file, &p, w.mask, w.wd);
			path_put(&p);
		}
		if (ret)
			cr_refuse(name, "fd %d: cannot watch %s again as inotify watch %d (%d)",
				  fd, path, w.wd, ret);
	}
	if (ret) {
		fput(file);
		return ERR_PTR(ret);
	}
	inotify_cr_set_next_wd(file, h.next_wd);
	return file;
}
#endif /* CONFIG_INOTIFY_USER */
