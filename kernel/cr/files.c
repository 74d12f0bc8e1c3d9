// SPDX-License-Identifier: GPL-2.0
/*
 * Files: the descriptor table of a process.
 *
 * Checkpoint: NT_CR_FILES, one struct cr_fd per open descriptor.
 * Descriptors 0, 1 and 2 of the root are always CR_FD_INHERIT: the
 * standard streams belong to whoever runs the image, as they do for any
 * program; so are a descendant's that are open files of the root's 0-2
 * (a terminal or log they share), while its own (a socket an inetd-style
 * child serves on them, a file it was redirected to) are saved as its
 * other descriptors are. Regular
 * files, directories and character devices that have a path are saved by
 * path, flags and offset; an unlinked regular file also has its contents
 * saved (up to CR_MAX_UNLINKED). Pipes, FIFOs and unix socket pairs whose
 * every end is a descriptor of the tree are the tree's own (CR_FD_PIPE,
 * NT_CR_PIPES; CR_FD_SOCKET, kernel/cr/socket.c). Other pipes, FIFOs and
 * sockets, and terminals, lead outside the process: they are marked
 * CR_FD_INHERIT and, at restore, are the exec caller's descriptors of the
 * same numbers, which is how "./prog.ckpt < in > out" redirects a restored
 * program. Other kinds
 * (eventfd, epoll, timerfd, signalfd, ...) live inside the process and
 * cannot be rebuilt yet: the checkpoint is refused rather than lose them.
 *
 * Restore: every file is reopened before the point of no return, with the
 * permissions of the exec caller; an unlinked file comes back as an
 * unlinked temporary file with the saved contents. After it, the table
 * is made the image's: the caller's descriptors the image does not name
 * are closed, the reopened files are installed at their numbers.
 */
#include <linux/bitmap.h>
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/highmem.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/net.h>
#include <linux/namei.h>
#include <linux/pipe_fs_i.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/sock.h>

/* Character devices reopened by path: they hold no state of their own. */
static const char *const cr_plain_devices[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
};

/* Checkpoint */

/*
 * The pipe of an end of a pipe or of a FIFO (not of an O_PATH descriptor,
 * which is no end), or NULL.
 */
static struct pipe_inode_info *cr_pipe_of(struct file *file)
{
	if (!S_ISFIFO(file_inode(file)->i_mode))
		return NULL;
	return get_pipe_info(file, false);
}

/* An end of a FIFO, which has a name, rather than of an anonymous pipe. */
static bool cr_is_fifo(struct file *file)
{
	return file_inode(file)->i_sb->s_magic != PIPEFS_MAGIC;
}

/*
 * One descriptor of the tree (of table @files of @p_task), or a reference
 * in flight (@files NULL): its file gets an id, in the order the scan
 * finds files; an end of a pipe or FIFO counts for its pipe.
 */
static int cr_scan_file(struct cr_objs *o, struct file *file, struct task_struct *p_task,
			struct files_struct *files)
{
	struct pipe_inode_info *pipe;
	struct cr_obj *obj, *p;

	obj = cr_obj_find(o, file, false);
	if (!obj) {
		obj = cr_obj_find(o, file, true);
		if (!obj)
			return -ENOMEM;
		obj->file = get_file(file);
		obj->event = cr_event_kind(file);
		pipe = obj->event ? NULL : cr_pipe_of(file);
		if (pipe) {
			p = cr_obj_find(o, pipe, true);
			if (!p)
				return -ENOMEM;
			obj->pipe = p;
			if (!p->end)
				p->end = file;
			if (file->f_mode & FMODE_READ)
				p->nr_read++;
			if (file->f_mode & FMODE_WRITE)
				p->nr_write++;
		} else if (!obj->event) {
			int ret = cr_tty_scan_file(o, obj, file);

			if (ret)
				return ret;
		}
	}
	if (!files) {
		obj->nr_in_flight++;
		return 0;
	}
	obj->nr_fds++;
	if (obj->event)
		cr_event_scan(obj, p_task, files);
	return 0;
}

/*
 * The files in flight (SCM_RIGHTS) on the unix sockets of the tree whose
 * queues the image keeps, then on those sockets in flight, and so on:
 * open files of the tree as much as those its descriptors hold. A pass
 * finds sockets whose peers only a later one finds: until none is new.
 */
static int cr_scan_in_flight(struct cr_objs *o)
{
	unsigned int i, k, nr;
	struct file **files;
	bool more = true;
	int ret = 0;

	while (!ret && more) {
		more = false;
		for (i = 0; !ret && i < cr_objs_nr(o); i++) {
			struct cr_obj *obj = cr_objs_get(o, i);

			if (!obj->file || obj->queue_scanned)
				continue;
			ret = cr_unix_in_flight(o, obj->file, &files, &nr);
			if (ret == -ENOENT) {
				ret = 0;
				continue;
			}
			if (ret == -EAGAIN)
				cr_refuse(current->comm, "checkpoint refused: the descriptors in flight on a unix socket keep changing (retry)");
			obj->queue_scanned = true;
			more = more || nr;
			for (k = 0; k < nr; k++) {
				if (!ret)
					ret = cr_scan_file(o, files[k], NULL, NULL);
				fput(files[k]);
			}
			kvfree(files);
		}
	}
	return ret;
}

/*
 * The descriptors of one table, once even when processes share it; the
 * root's (@root) standard streams marked on their files.
 */
static int cr_scan_table(struct cr_objs *o, struct task_struct *p, bool root)
{
	struct files_struct *files;
	unsigned int fd = 0;
	struct file *file;
	int ret = 0;

	task_lock(p);
	files = p->files;
	task_unlock(p);
	if (!files || cr_obj_find(o, files, false))
		return 0;
	if (!cr_obj_find(o, files, true))
		return -ENOMEM;
	for (;; fd++) {
		rcu_read_lock();
		file = task_lookup_next_fdget_rcu(p, &fd);
		rcu_read_unlock();
		if (!file)
			break;
		ret = cr_scan_file(o, file, p, files);
		if (!ret && root && fd <= 2)
			cr_obj_find(o, file, false)->root_std |= BIT(fd);
		fput(file);
		if (ret)
			break;
	}
	return ret;
}

/**
 * cr_dump_files_scan - what the descriptor tables of a frozen tree share
 * @o: the checkpoint's objects, filled in
 * @f: the frozen tree
 *
 * Gives every open file of the tree its id, and finds the pipes and FIFOs
 * that are the tree's own: every open end of the pipe (pipe->readers,
 * pipe->writers, which count an O_RDWR end of a FIFO in both) is a file
 * of the tree, and every reference to each of those files is a
 * descriptor of the tree (its count is theirs, plus the reference the
 * scan keeps). Those are restored as pipes, or FIFOs; the others lead
 * outside the tree. The same for unix socket pairs (cr_socket_internal())
 * and pty pairs (cr_tty_scan_done()).
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_files_scan(struct cr_objs *o, struct cr_freeze *f)
{
	unsigned int i, n = cr_freeze_nr_procs(f), nr_threads;
	int parent, ret = 0;

	for (i = 0; !ret && i < n; i++) {
		struct task_struct *p = cr_freeze_proc(f, i, &parent, &nr_threads);

		if (nr_threads)
			ret = cr_scan_table(o, p, i == 0);
	}
	if (!ret)
		ret = cr_scan_in_flight(o);
	for (i = 0; !ret && i < cr_objs_nr(o); i++) {
		struct cr_obj *obj = cr_objs_get(o, i);
		struct pipe_inode_info *pipe = (void *)obj->ptr;

		if (obj->file || obj->nr_read + obj->nr_write == 0)
			continue;
		obj->internal = obj->nr_read == READ_ONCE(pipe->readers) &&
				obj->nr_write == READ_ONCE(pipe->writers);
	}
	for (i = 0; !ret && i < cr_objs_nr(o); i++) {
		struct cr_obj *obj = cr_objs_get(o, i);

		if (obj->pipe && file_count(obj->file) != obj->nr_fds + obj->nr_in_flight + 1)
			obj->pipe->internal = false;
		else if (obj->event)
			obj->outside = file_count(obj->file) !=
				       obj->nr_fds + obj->nr_in_flight + 1;
		else if (obj->file && !obj->pipe)
			obj->internal = cr_socket_internal(o, obj);
	}
	if (!ret)
		cr_tty_scan_done(o, f);
	return ret;
}

struct cr_files_buf {
	struct cr_fd *fd;
	unsigned int nr, cap;
	char *data;
	size_t len, data_cap;
	struct cr_locks locks;		/* NT_CR_LOCKS */
	struct cr_fowns fowns;		/* NT_CR_FOWNERS */
	struct cr_sock_filters filters;	/* NT_CR_SOCK_FILTERS */
	struct cr_sock_opts_buf opts;	/* NT_CR_SOCK_OPTS */
};

/*
 * @len bytes more in the data area, and the padding to the next 8 bytes,
 * zeroed: no stale kernel memory goes into the image (issue 12, finding
 * 8). The area is bounded by what the note may hold, checked before
 * anything is allocated (finding 4).
 */
static int cr_files_reserve(struct cr_files_buf *b, size_t len, void **out)
{
	size_t need = ALIGN(len, 8);

	if (len > CR_MAX_NOTES_SIZE / 2 || b->len + need > CR_MAX_NOTES_SIZE / 2)
		return -EFBIG;
	if (b->len + need > b->data_cap) {
		size_t cap = min_t(size_t, CR_MAX_NOTES_SIZE / 2,
				   max(2 * b->data_cap, b->len + need + PAGE_SIZE));
		char *n = kvmalloc(cap, GFP_KERNEL_ACCOUNT);

		if (!n)
			return -ENOMEM;
		if (b->data)
			memcpy(n, b->data, b->len);
		kvfree(b->data);
		b->data = n;
		b->data_cap = cap;
	}
	*out = b->data + b->len;
	memset(*out, 0, need);
	b->len += need;
	return 0;
}

static int cr_files_add_path(struct cr_files_buf *b, struct cr_fd *e,
			     struct file *file, char *tmp)
{
	char *path = file_path(file, tmp, PATH_MAX);
	size_t len;
	void *p;
	int ret;

	if (IS_ERR(path))
		return PTR_ERR(path);
	len = strlen(path) + 1;
	ret = cr_files_reserve(b, len, &p);
	if (ret)
		return ret;
	memcpy(p, path, len);
	e->path_off = (char *)p - b->data;
	e->path_len = len;
	return 0;
}

/**
 * cr_files_reachable - can a path from the process's root reopen @file?
 * @file: a file the restore reopens by its path
 * @fd: its descriptor, for messages
 * @tmp: PATH_MAX bytes to use
 *
 * Not when its mount is not in the process's tree of mounts: a mount of
 * another mount namespace, one detached (umount -l), outside a chroot,
 * or a kernel-internal one (memfd_secret()'s):
 * file_path() still names it, but that name leads elsewhere, or nowhere,
 * from the process's root.
 *
 * Return: 0, or a negative errno after saying why.
 */
static int cr_files_reachable(struct file *file, int fd, char *tmp)
{
	struct path root;
	char *p;

	get_fs_root(current->fs, &root);
	p = __d_path(&file->f_path, &root, tmp, PATH_MAX);
	path_put(&root);
	if (!p) {
		cr_refuse(current->comm, "checkpoint refused: fd %d (%pD) is on a mount outside the process's root (another mount namespace, detached, or the kernel's): no path reopens it",
			  fd, file);
		return -EXDEV;
	}
	return PTR_ERR_OR_ZERO(p);
}

/*
 * The contents of an unlinked regular file, read through the process's
 * own descriptor (at a position of ours: its offset stays): only a
 * descriptor opened for reading may have them saved. Another open would
 * read what the process may not (an O_PATH or write-only descriptor of a
 * file since replaced, as passwd replaces /etc/shadow: issue 12, finding
 * 1), so such a descriptor refuses the checkpoint.
 */
static int cr_files_add_contents(struct cr_files_buf *b, struct cr_fd *e,
				 struct file *file, int fd)
{
	loff_t size = i_size_read(file_inode(file)), pos = 0;
	void *p;
	ssize_t n;
	int ret;

	if ((file->f_mode & FMODE_PATH) || !(file->f_mode & FMODE_READ)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d is an unlinked file open %s: its contents cannot be saved",
			  fd, file->f_mode & FMODE_PATH ? "with O_PATH" : "for writing only");
		return -EACCES;
	}
	if (size > CR_MAX_UNLINKED) {
		cr_refuse(current->comm, "checkpoint refused: fd %d is an unlinked file of %lld bytes, more than %u",
			  fd, size, CR_MAX_UNLINKED);
		return -EFBIG;
	}
	ret = cr_files_reserve(b, size, &p);
	if (ret == -EFBIG)
		cr_refuse(current->comm, "checkpoint refused: fd %d: unlinked files of more than %u bytes in all",
			  fd, CR_MAX_NOTES_SIZE / 2);
	if (ret)
		return ret;
	e->data_off = (char *)p - b->data;
	e->data_len = size;
	n = kernel_read(file, p, size, &pos);
	if (n != size) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: cannot read the unlinked file (%zd)",
			  fd, n);
		return n < 0 ? n : -EIO;
	}
	return 0;
}

/* The state of a file of its kind, @len bytes, into the data area for @e. */
static int cr_files_put_state(struct cr_files_buf *b, struct cr_fd *e, const void *state,
			      size_t len, int fd)
{
	void *p;
	int ret;

	ret = cr_files_reserve(b, len, &p);
	if (ret == -EFBIG)
		cr_refuse(current->comm, "checkpoint refused: fd %d: socket queues, memfds and unlinked files of more than %u bytes in all",
			  fd, CR_MAX_NOTES_SIZE / 2);
	if (ret)
		return ret;
	memcpy(p, state, len);
	e->data_off = (char *)p - b->data;
	e->data_len = len;
	return 0;
}

/* The state of an event file, in the data area. */
static int cr_files_add_event(struct cr_dump *d, struct cr_files_buf *b, struct cr_fd *e,
			      struct cr_obj *obj, struct file *file, int fd)
{
	size_t len;
	void *state;
	int ret;

	ret = cr_dump_event(d->objs, obj, file, fd, &d->root, d->freeze, &state, &len);
	if (ret || !len)
		return ret;
	ret = cr_files_put_state(b, e, state, len, fd);
	kvfree(state);
	return ret;
}

/*
 * A file of the process's own /proc directory, /proc/PID/...: the restored
 * process has another pid, so its path is saved as /proc/self/...; it is
 * reopened by the exec, as the root of the tree, so only there. A /proc
 * directory of another process of the tree, or of a thread, refuses
 * (its new number is not known when the files are opened); other /proc
 * files are reopened by their path.
 */
static int cr_files_proc_path(struct cr_dump *d, struct cr_files_buf *b, struct cr_fd *e, int fd)
{
	char *path = b->data + e->path_off, *rest;
	unsigned int i, n = d->freeze ? cr_freeze_nr_procs(d->freeze) : 0, nr_threads;
	bool root = true, in_tree = false;
	unsigned long pid;
	int parent, ret;
	void *p;

	if (strncmp(path, "/proc/", 6) || !isdigit(path[6]))
		return 0;
	for (pid = 0, rest = path + 6; isdigit(*rest) && pid <= PID_MAX_LIMIT; rest++)
		pid = pid * 10 + *rest - '0';
	if ((*rest && *rest != '/') || pid > PID_MAX_LIMIT)
		return 0;
	for (i = 0; i < n; i++) {
		struct task_struct *t = cr_freeze_proc(d->freeze, i, &parent, &nr_threads);

		if (!i)
			root = same_thread_group(t, current);
		in_tree |= task_tgid_vnr(t) == pid;
	}
	if (pid != task_tgid_vnr(current) && !in_tree)
		return 0;
	if (pid != task_tgid_vnr(current) || !root || !strncmp(rest, "/task/", 6)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d (%s): a /proc file of %s, which the restore cannot name",
			  fd, path, pid != task_tgid_vnr(current) ? "another process of the tree" :
			  root ? "a thread" : "a process other than the tree's root");
		return -EOPNOTSUPP;
	}
	/* "/proc/PID..." becomes "/proc/self...", in a place of its own. */
	path = kasprintf(GFP_KERNEL, "/proc/self%s", rest);
	if (!path)
		return -ENOMEM;
	ret = cr_files_reserve(b, strlen(path) + 1, &p);
	if (!ret) {
		memcpy(p, path, strlen(path) + 1);
		e->path_off = (char *)p - b->data;
		e->path_len = strlen(path) + 1;
	}
	kfree(path);
	return ret;
}

/* A TCP or UDP socket: struct cr_inet and its queues as data. */
static int cr_files_add_inet(struct cr_dump *d, struct cr_files_buf *b, struct cr_fd *e,
			     struct cr_obj *obj, int fd)
{
	size_t len;
	void *state;
	int ret;

	ret = cr_dump_inet(d, obj, fd, &state, &len);
	if (ret)
		return ret;
	ret = cr_files_put_state(b, e, state, len, fd);
	kvfree(state);
	/* Its options beyond struct cr_inet's: NT_CR_SOCK_OPTS (in flight, refused). */
	if (!ret && fd >= 0)
		ret = cr_dump_sock_opts(&b->opts, obj->file, fd);
	return ret;
}

/* A unix socket by name: struct cr_unix, and its messages, as data. */
static int cr_files_add_unix(struct cr_dump *d, struct cr_files_buf *b, struct cr_fd *e,
			     struct file *file, int fd)
{
	size_t len;
	void *state;
	int ret;

	/*
	 * A descendant in a chroot of its own has its paths saved from the
	 * tree root's root (checkpoint.c): its socket names would read so.
	 */
	if (d->own_root.mnt && cr_unix_path_named(file)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a unix socket known by a path, in a process in a chroot of its own (not saved yet)",
			  fd);
		return -EOPNOTSUPP;
	}
	ret = cr_dump_unix(d->objs, file, fd, &state, &len);
	if (ret)
		return ret;
	ret = cr_files_put_state(b, e, state, len, fd);
	kvfree(state);
	return ret;
}

/* A netlink route socket: struct cr_netlink and its messages as data. */
static int cr_files_add_netlink(struct cr_files_buf *b, struct cr_fd *e, struct file *file, int fd)
{
	size_t len;
	void *state;
	int ret;

	ret = cr_dump_netlink(file, fd, &state, &len);
	if (ret)
		return ret;
	ret = cr_files_put_state(b, e, state, len, fd);
	kvfree(state);
	return ret;
}

/* A packet socket: struct cr_packet, its memberships and packets as data. */
static int cr_files_add_packet(struct cr_files_buf *b, struct cr_fd *e, struct file *file, int fd)
{
	size_t len;
	void *state;
	int ret;

	ret = cr_dump_packet(file, fd, &state, &len);
	if (ret)
		return ret;
	ret = cr_files_put_state(b, e, state, len, fd);
	kvfree(state);
	return ret;
}

/* A message queue: "/" and its name as path; struct cr_mqueue and its messages as data. */
static int cr_files_add_mqueue(struct cr_dump *d, struct cr_files_buf *b, struct cr_fd *e,
			       struct file *file, int fd)
{
	const struct qstr *name = &file->f_path.dentry->d_name;
	void *p, *state;
	size_t len;
	int ret;

	ret = cr_files_reserve(b, name->len + 2, &p);
	if (ret)
		return ret;
	*(char *)p = '/';
	memcpy(p + 1, name->name, name->len);
	((char *)p)[name->len + 1] = '\0';
	e->path_off = (char *)p - b->data;
	e->path_len = name->len + 2;
	state = cr_dump_mqueue(d->freeze, file, fd, &len);
	if (IS_ERR(state))
		return PTR_ERR(state);
	ret = cr_files_put_state(b, e, state, len, fd);
	kvfree(state);
	return ret;
}

/* A memfd: its name as path; struct cr_memfd and its contents as data. */
static int cr_files_add_memfd(struct cr_dump *d, struct cr_files_buf *b, struct cr_fd *e,
			      struct file *file, int fd)
{
	const struct qstr *name = &file->f_path.dentry->d_name;
	struct cr_memfd m = {};
	void *p;
	int ret;

	ret = cr_dump_memfd(d->objs, file, fd, &m);
	if (!ret)
		ret = cr_files_reserve(b, name->len + 1, &p);
	if (ret)
		return ret;
	memcpy(p, name->name, name->len);
	e->path_off = (char *)p - b->data;
	e->path_len = name->len + 1;
	ret = cr_files_reserve(b, sizeof(m) + m.data_len, &p);
	if (ret == -EFBIG)
		cr_refuse(current->comm, "checkpoint refused: fd %d: memfds and unlinked files of more than %u bytes in all",
			  fd, CR_MAX_NOTES_SIZE / 2);
	if (ret)
		return ret;
	memcpy(p, &m, sizeof(m));
	e->data_off = (char *)p - b->data;
	e->data_len = sizeof(m) + m.data_len;
	return cr_dump_memfd_read(file, p + sizeof(m), m.data_len);
}

static bool cr_is_plain_device(const char *path)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cr_plain_devices); i++)
		if (!strcmp(path, cr_plain_devices[i]))
			return true;
	return false;
}

/*
 * A terminal: a virtual console or serial port (TTY_MAJOR), /dev/tty,
 * /dev/console, /dev/ptmx (TTYAUX_MAJOR), or an end of a pty, unix98 or
 * legacy.
 */
static bool cr_is_terminal(const struct inode *inode)
{
	unsigned int major = MAJOR(inode->i_rdev);

	return major == TTY_MAJOR || major == TTYAUX_MAJOR || major == PTY_MASTER_MAJOR ||
	       major == PTY_SLAVE_MAJOR ||
	       (major >= UNIX98_PTY_MASTER_MAJOR &&
		major < UNIX98_PTY_MASTER_MAJOR + UNIX98_PTY_MAJOR_COUNT) ||
	       (major >= UNIX98_PTY_SLAVE_MAJOR &&
		major < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT);
}

/* A socket of the process's own: not saved yet, so the checkpoint refuses. */
static void cr_refuse_socket(int fd, struct file *file)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock ? sock->sk : NULL;

	cr_refuse(current->comm, "checkpoint refused: fd %d: a socket of its own (family %d, type %d, protocol %d) cannot be saved yet",
		  fd, sk ? sk->sk_family : -1, sk ? sk->sk_type : -1, sk ? sk->sk_protocol : -1);
}

/*
 * A file in flight is opened again, never installed: what only a
 * descriptor completes, or leads outside the tree, cannot be.
 */
static int cr_in_flight_refusal(struct cr_objs *o, struct cr_obj *obj, struct file *file)
{
	struct inode *inode = file_inode(file);
	const char *why = NULL;

	if (obj->event == CR_FD_EPOLL)
		why = "an epoll (its targets are descriptors)";
	else if (obj->event || cr_is_memfd(file) || (obj->pipe && obj->pipe->internal) ||
		 obj->internal || (obj->tty && obj->tty->internal))
		return 0;
	else if (cr_is_mqueue(file))
		why = "a POSIX message queue";
	else if (S_ISFIFO(inode->i_mode) ||
		 (S_ISSOCK(inode->i_mode) && !cr_is_inet(file) && cr_socket_external(o, file)) ||
		 (S_ISCHR(inode->i_mode) && cr_is_terminal(inode)))
		why = "a pipe, socket or terminal that leads outside the tree";
	if (!why)
		return 0;
	cr_refuse(current->comm, "checkpoint refused: a file in flight (SCM_RIGHTS) is %s: not saved yet (%pD)",
		  why, file);
	return -EOPNOTSUPP;
}

static int cr_dump_one_fd(struct cr_dump *d, struct cr_files_buf *b,
			  struct file *file, int fd, char *tmp)
{
	struct cr_obj *obj = cr_obj_find(d->objs, file, false);
	struct inode *inode = file_inode(file);
	umode_t mode = inode->i_mode;
	struct cr_fd *e;
	int ret = 0;

	if (!obj) {
		/* Not there at the scan: the tables cannot change while frozen. */
		cr_refuse(current->comm, "checkpoint failed: fd %d appeared", fd);
		return -EAGAIN;
	}
	if (b->nr == b->cap) {
		unsigned int cap = max(16U, 2 * b->cap);
		struct cr_fd *n = kvcalloc(cap, sizeof(*n), GFP_KERNEL_ACCOUNT);

		if (!n)
			return -ENOMEM;
		if (b->fd)
			memcpy(n, b->fd, b->nr * sizeof(*n));
		kvfree(b->fd);
		b->fd = n;
		b->cap = cap;
	}
	e = &b->fd[b->nr++];
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->flags = file->f_flags & CR_FD_OPEN_FLAGS;
	e->mode = mode;
	e->pos = file->f_pos;
	e->file_id = obj->id;
	if (fd < 0) {
		e->fd_flags = CR_FD_IN_FLIGHT;
		ret = cr_in_flight_refusal(d->objs, obj, file);
		if (ret)
			return ret;
	} else {
		rcu_read_lock();
		if (close_on_exec(fd, current->files))
			e->fd_flags |= CR_FD_CLOEXEC;
		rcu_read_unlock();
	}

	if (obj->pipe && obj->pipe->internal) {
		/* A pipe between processes of the tree, at any number. */
		e->kind = CR_FD_PIPE;
		e->pos = 0;
	} else if (obj->internal) {
		/* A unix socket pair inside the tree (kernel/cr/socket.c). */
		e->kind = CR_FD_SOCKET;
		e->pos = 0;
	} else if (obj->tty && obj->tty->internal) {
		/* A pty pair inside the tree (kernel/cr/tty.c); its path, to show. */
		e->kind = CR_FD_TTY;
		e->pos = 0;
		ret = cr_files_add_path(b, e, file, tmp);
	} else if (obj->event) {
		/* An eventfd, signalfd, timerfd, epoll, inotify, fanotify (event.c...). */
		e->kind = obj->event;
		e->pos = 0;
		ret = cr_files_add_event(d, b, e, obj, file, fd);
	} else if (fd >= 0 && fd <= 2 && (d->is_root || obj->root_std)) {
		/*
		 * Standard streams belong to whoever runs the image: the
		 * root's, and a descendant's that are the root's (its
		 * terminal, its log); a descendant's own (a socket an inetd
		 * child serves, a file it was redirected to) are saved as
		 * its other descriptors are.
		 */
		e->kind = CR_FD_INHERIT;
		e->pos = 0;
	} else if (cr_is_mqueue(file)) {
		/* A POSIX message queue (kernel/cr/mqueue.c): its name, state and messages. */
		e->kind = CR_FD_MQUEUE;
		e->pos = 0;
		ret = cr_files_add_mqueue(d, b, e, file, fd);
	} else if (cr_is_pidfd(file)) {
		/* A pidfd of a process of the tree (kernel/cr/pidfd.c). */
		struct cr_pidfd pfd;

		e->kind = CR_FD_PIDFD;
		e->pos = 0;
		e->flags &= O_ACCMODE | O_NONBLOCK;
		ret = cr_dump_pidfd(d->freeze, file, fd, &pfd);
		if (!ret)
			ret = cr_files_put_state(b, e, &pfd, sizeof(pfd), fd);
	} else if (cr_is_memfd(file)) {
		/* A memfd (kernel/cr/memfd.c): its name, state and contents. */
		e->kind = CR_FD_MEMFD;
		ret = cr_files_add_memfd(d, b, e, file, fd);
	} else if (S_ISREG(mode) && d_unlinked(file->f_path.dentry)) {
		e->kind = CR_FD_UNLINKED;
		ret = cr_files_add_path(b, e, file, tmp);
		if (!ret)
			ret = cr_files_reachable(file, fd, tmp);
		if (!ret)
			ret = cr_files_add_contents(b, e, file, fd);
	} else if (S_ISREG(mode) || S_ISDIR(mode)) {
		e->kind = S_ISREG(mode) ? CR_FD_FILE : CR_FD_DIR;
		if (d_unlinked(file->f_path.dentry)) {
			cr_refuse(current->comm, "checkpoint refused: fd %d is a removed directory", fd);
			return -EOPNOTSUPP;
		}
		ret = cr_files_add_path(b, e, file, tmp);
		if (!ret)
			ret = cr_files_reachable(file, fd, tmp);
		if (!ret && inode->i_sb->s_magic == PROC_SUPER_MAGIC)
			ret = cr_files_proc_path(d, b, e, fd);
	} else if (S_ISCHR(mode)) {
		ret = cr_files_add_path(b, e, file, tmp);
		if (ret)
			return ret;
		if (cr_is_plain_device(b->data + e->path_off)) {
			e->kind = CR_FD_DEV;
			ret = cr_files_reachable(file, fd, tmp);
		} else if (cr_is_terminal(inode)) {
			/* A terminal outside the tree: the restorer supplies one. */
			e->kind = CR_FD_EXTERNAL;
			e->pos = 0;
		} else {
			cr_refuse(current->comm, "checkpoint refused: fd %d: device %u:%u (%pD) cannot be saved",
				  fd, MAJOR(inode->i_rdev), MINOR(inode->i_rdev), file);
			return -EOPNOTSUPP;
		}
	} else if (S_ISFIFO(mode) || (S_ISSOCK(mode) && cr_socket_external(d->objs, file))) {
		/* A pipe or socket with its other end outside the tree. */
		e->kind = CR_FD_EXTERNAL;
		e->pos = 0;
		ret = cr_files_add_path(b, e, file, tmp);
	} else if (S_ISSOCK(mode) && cr_is_inet(file)) {
		/* A TCP or UDP socket (kernel/cr/inet.c). */
		e->kind = CR_FD_INET;
		e->pos = 0;
		ret = cr_files_add_inet(d, b, e, obj, fd);
	} else if (S_ISSOCK(mode) && cr_is_unix(file)) {
		/* A unix socket known by its name (kernel/cr/socket.c). */
		e->kind = CR_FD_UNIX;
		e->pos = 0;
		ret = cr_files_add_unix(d, b, e, file, fd);
	} else if (S_ISSOCK(mode) && cr_is_netlink(file)) {
		/* A netlink route socket (kernel/cr/netlink.c). */
		e->kind = CR_FD_NETLINK;
		e->pos = 0;
		ret = cr_files_add_netlink(b, e, file, fd);
	} else if (S_ISSOCK(mode) && cr_is_packet(file)) {
		/* A packet socket (kernel/cr/packet.c). */
		e->kind = CR_FD_PACKET;
		e->pos = 0;
		ret = cr_files_add_packet(b, e, file, fd);
	} else if (S_ISSOCK(mode)) {
		cr_refuse_socket(fd, file);
		ret = -EOPNOTSUPP;
	} else {
		cr_refuse(current->comm, "checkpoint refused: fd %d (%pD) cannot be saved yet",
			  fd, file);
		ret = -EOPNOTSUPP;
	}
	/* The locks the process holds through it (kernel/cr/lock.c). */
	if (!ret)
		ret = cr_dump_locks(&b->locks, file, fd, e->kind);
	/* A socket's filter (kernel/cr/sockopt.c); an external one is the caller's. */
	if (!ret && S_ISSOCK(mode) && e->kind != CR_FD_EXTERNAL)
		ret = cr_dump_sock_filter(&b->filters, file, fd);
	/* Its signal-driven I/O (kernel/cr/fown.c). */
	if (!ret && fd < 0) {
		struct cr_fowns none = {};

		ret = cr_dump_fown(&none, d->freeze, file, fd);
		if (!ret && none.nr) {
			cr_refuse(current->comm, "checkpoint refused: a file in flight (SCM_RIGHTS) has an owner, a signal or O_ASYNC set (%pD), not saved yet",
				  file);
			ret = -EOPNOTSUPP;
		}
		kvfree(none.fown);
		return ret;
	}
	return ret ?: cr_dump_fown(&b->fowns, d->freeze, file, fd);
}

/*
 * The root's entries for the files in flight on the unix sockets of the
 * tree (CR_FD_IN_FLIGHT), first: numbered from -@nr up to -1, in the
 * order of their ids.
 */
static int cr_dump_in_flight(struct cr_dump *d, struct cr_files_buf *b, char *tmp)
{
	unsigned int i, nr = 0, n = cr_objs_nr(d->objs);
	int ret = 0;

	for (i = 0; i < n; i++)
		nr += cr_objs_get(d->objs, i)->nr_in_flight != 0;
	for (i = 0; !ret && i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);

		if (obj->nr_in_flight)
			ret = cr_dump_one_fd(d, b, obj->file, -(int)nr--, tmp);
	}
	return ret;
}

/**
 * cr_dump_files - NT_CR_FILES of the current process
 * @d: image being written
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_files(struct cr_dump *d)
{
	struct cr_files_buf b = {};
	struct cr_hdr_files h = {};
	unsigned int fd, max;
	size_t size;
	char *tmp, *note;
	int ret = 0;

	tmp = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	if (d->is_root)
		ret = cr_dump_in_flight(d, &b, tmp);
	rcu_read_lock();
	max = files_fdtable(current->files)->max_fds;
	rcu_read_unlock();
	for (fd = 0; !ret && fd < max; fd++) {
		struct file *file = fget_raw(fd);

		if (!file)
			continue;
		ret = cr_dump_one_fd(d, &b, file, fd, tmp);
		fput(file);
	}
	if (ret)
		goto out;
	h.nr_fds = b.nr;
	size = sizeof(h) + b.nr * sizeof(struct cr_fd) + b.len;
	if (size > CR_MAX_NOTES_SIZE / 2) {
		ret = -EFBIG;
		goto out;
	}
	note = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!note) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(note, &h, sizeof(h));
	memcpy(note + sizeof(h), b.fd, b.nr * sizeof(struct cr_fd));
	memcpy(note + sizeof(h) + b.nr * sizeof(struct cr_fd), b.data, b.len);
	ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_FILES, note, size);
	kvfree(note);
	if (!ret)
		ret = cr_dump_locks_note(d, &b.locks);
	if (!ret)
		ret = cr_dump_fowns_note(d, &b.fowns);
	if (!ret)
		ret = cr_dump_sock_filters_note(d, &b.filters);
	if (!ret)
		ret = cr_dump_sock_opts_note(d, &b.opts);
out:
	kvfree(b.locks.lock);
	kvfree(b.fowns.fown);
	kvfree(b.filters.buf);
	kvfree(b.opts.o);
	kvfree(b.opts.dev);
	kvfree(b.fd);
	kvfree(b.data);
	kfree(tmp);
	return ret;
}

/*
 * The unread bytes of a pipe, in order, without consuming them. Packet
 * mode pipes (O_DIRECT) are refused: their message boundaries would be
 * lost.
 */
static int cr_dump_pipe_data(struct pipe_inode_info *pipe, char *buf,
			     size_t cap, size_t *len)
{
	unsigned int tail;
	int ret = 0;

	*len = 0;
	pipe_lock(pipe);
	for (tail = pipe->tail; tail != pipe->head; tail++) {
		struct pipe_buffer *pb = pipe_buf(pipe, tail);
		void *p;

		if (pb->flags & PIPE_BUF_FLAG_PACKET) {
			ret = -EOPNOTSUPP;
			break;
		}
		ret = pipe_buf_confirm(pipe, pb);
		if (ret)
			break;
		if (pb->len > cap - *len) {
			ret = -EFBIG;
			break;
		}
		p = kmap_local_page(pb->page);
		memcpy(buf + *len, p + pb->offset, pb->len);
		kunmap_local(p);
		*len += pb->len;
	}
	pipe_unlock(pipe);
	return ret;
}

/*
 * A pipe of the tree that is a FIFO with a name: restored by its path. A
 * FIFO removed while open has no name left; like an anonymous pipe, no
 * process can open it any more, and it is restored as one.
 */
static bool cr_named_fifo(const struct cr_obj *pipe)
{
	return cr_is_fifo(pipe->end) && !d_unlinked(pipe->end->f_path.dentry);
}

/*
 * A FIFO's path, as its first end in the tree names it, at @off of the
 * data area @area, which has PATH_MAX bytes free there.
 */
static int cr_dump_fifo_path(struct cr_pipe *cp, char *area, size_t off,
			     struct file *end)
{
	char *path = file_path(end, area + off, PATH_MAX);
	size_t len;

	if (IS_ERR(path))
		return PTR_ERR(path);
	len = strlen(path) + 1;
	memmove(area + off, path, len);
	cp->flags = CR_PIPE_FIFO;
	cp->path_off = off;
	cp->path_len = len;
	return 0;
}

/**
 * cr_dump_pipes - NT_CR_PIPES: the pipes and FIFOs between processes of the tree
 * @d: the root's image
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_pipes(struct cr_dump *d)
{
	unsigned int i, nr_pipes = 0, nr_files = 0, n = cr_objs_nr(d->objs);
	struct cr_hdr_pipes *h;
	struct cr_pipe *pipes;
	struct cr_pipe_file *files;
	size_t size, len, data = 0, room;
	unsigned int *slot;
	char *area;
	int ret = 0;

	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);

		if (!obj->file && !obj->pty && obj->internal) {
			const struct pipe_inode_info *pipe = obj->ptr;
			unsigned int used = pipe_occupancy(READ_ONCE(pipe->head),
							   READ_ONCE(pipe->tail));

			/*
			 * Room for what it holds (a buffer holds at most a
			 * page), and a page more for what a process outside
			 * may write meanwhile: not its whole capacity, which
			 * for many pipes is megabytes to clear for nothing.
			 */
			obj->index = nr_pipes++;
			data += min(used + 1, READ_ONCE(pipe->max_usage)) * PAGE_SIZE;
			if (cr_is_fifo(obj->end))	/* room for its path */
				data += PATH_MAX + 8;
		} else if (obj->pipe && obj->pipe->internal) {
			nr_files++;
		}
	}
	size = sizeof(*h) + nr_pipes * sizeof(*pipes) + nr_files * sizeof(*files);
	if (size + data > CR_MAX_NOTES_SIZE / 2 || nr_pipes > CR_MAX_PIPES) {
		cr_refuse(current->comm, "checkpoint refused: %u pipes, %zu bytes in pipes",
			  nr_pipes, data);
		return -EFBIG;
	}
	h = kvzalloc(size + data, GFP_KERNEL_ACCOUNT);
	/* The ends go by pipe: where each pipe's first end goes. */
	slot = kvcalloc(nr_pipes + 1, sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!h || !slot) {
		kvfree(h);
		kvfree(slot);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);

		if (obj->pipe && obj->pipe->internal)
			slot[obj->pipe->index + 1]++;
	}
	for (i = 0; i < nr_pipes; i++)
		slot[i + 1] += slot[i];
	h->nr_pipes = nr_pipes;
	h->nr_files = nr_files;
	pipes = (struct cr_pipe *)(h + 1);
	files = (struct cr_pipe_file *)(pipes + nr_pipes);
	area = (char *)(files + nr_files);
	room = data;
	data = 0;
	nr_files = 0;
	for (i = 0; !ret && i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);
		struct pipe_inode_info *pipe = (void *)obj->ptr;

		if (!obj->file && !obj->pty && obj->internal) {
			struct cr_pipe *cp = &pipes[obj->index];

			/*
			 * Every copy is bounded by the room left: a process
			 * outside the tree can still reach a pipe of it
			 * (pidfd_getfd(), /proc/PID/fd, a FIFO's path) and make
			 * it larger or fuller than the first pass saw (issue
			 * 12, finding 2). Then the checkpoint is refused.
			 */
			cp->size = READ_ONCE(pipe->max_usage) * PAGE_SIZE;
			ret = cr_dump_pipe_data(pipe, area + data, min_t(size_t, cp->size, room - data),
						&len);
			cp->data_off = data;
			cp->data_len = len;
			data += len;
			if (!ret && cr_named_fifo(obj)) {
				data = ALIGN(data, 8);
				ret = room - min(data, room) < PATH_MAX ? -EFBIG :
				      cr_dump_fifo_path(cp, area, data, obj->end);
				data += ALIGN(cp->path_len, 8);
			}
			if (ret == -EFBIG)
				ret = -EAGAIN;
			if (ret)
				cr_refuse(current->comm, "checkpoint refused: cannot save a %s (%d%s)",
					  cr_is_fifo(obj->end) ? "FIFO" : "pipe", ret,
					  ret == -EAGAIN ? ": it grew during the checkpoint" : "");
		} else if (obj->pipe && obj->pipe->internal) {
			struct cr_pipe_file *pf = &files[slot[obj->pipe->index]++];

			pf->file_id = obj->id;
			pf->pipe = obj->pipe->index;
			pf->flags = obj->file->f_flags & (O_ACCMODE | O_NONBLOCK);
		}
	}
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_PIPES, h, size + data);
	kvfree(slot);
	kvfree(h);
	return ret;
}

/* Restore */

/* Where to recreate an unlinked file: its old directory, else /tmp. */
static struct file *cr_unlinked_dir_tmpfile(const char *path)
{
	static const char deleted[] = " (deleted)";
	char *dir = kstrdup(path, GFP_KERNEL), *slash;
	struct file *f = ERR_PTR(-ENOENT);
	size_t len;

	if (!dir)
		return ERR_PTR(-ENOMEM);
	len = strlen(dir);
	if (len > strlen(deleted) && !strcmp(dir + len - strlen(deleted), deleted))
		dir[len - strlen(deleted)] = '\0';
	slash = strrchr(dir, '/');
	if (slash) {
		*(slash == dir ? slash + 1 : slash) = '\0';
		f = filp_open(dir, O_TMPFILE | O_RDWR | O_LARGEFILE, 0600);
	}
	kfree(dir);
	if (IS_ERR(f))
		f = filp_open("/tmp", O_TMPFILE | O_RDWR | O_LARGEFILE, 0600);
	return f;
}

static struct file *cr_restore_unlinked(struct cr_restore *r, const struct cr_fd *e,
					const char *path)
{
	struct file *tmp, *f;
	loff_t pos = 0;
	ssize_t n;

	tmp = cr_unlinked_dir_tmpfile(path);
	if (IS_ERR(tmp))
		return tmp;
	n = kernel_write(tmp, r->fd_data + e->data_off, e->data_len, &pos);
	if (n != e->data_len) {
		fput(tmp);
		return ERR_PTR(n < 0 ? n : -EIO);
	}
	/* The same inode, opened as the process had it. */
	f = dentry_open(&tmp->f_path, e->flags, current_cred());
	fput(tmp);
	return f;
}

/* Is @f what an entry of kind @kind must be? */
static bool cr_fd_kind_ok(u32 kind, struct file *f)
{
	umode_t mode = file_inode(f)->i_mode;

	return (kind == CR_FD_DIR) == !!S_ISDIR(mode) &&
	       (kind == CR_FD_DEV) == !!S_ISCHR(mode) &&
	       ((kind != CR_FD_FILE && kind != CR_FD_UNLINKED) || S_ISREG(mode));
}

/*
 * The open file of descriptor @e, as cr_rule_fd_file() says: the caller's
 * (a descendant's, cr_restore_files_inherit()), one the tree made
 * already, or one opened by path, which must still be of its kind.
 */
static int cr_restore_open_fd(struct cr_restore *r, const struct cr_fd *e,
			      struct file **out)
{
	const char *name = r->img->name;
	enum cr_file_class made;
	unsigned int have;
	const char *path;
	struct file *f;
	int ret;

	f = cr_tree_file(r->tree, e->file_id, &have);
	ret = cr_rule_fd_file(name, e, have, r->fd_data, r->fd_data_len, &made);
	if (ret || made == CR_FILE_NONE) {
		if (ret || e->kind == CR_FD_INHERIT) {
			if (f)
				fput(f);
			return ret;
		}
		*out = f;
		return 0;
	}
	if (made == CR_FILE_INET || made == CR_FILE_UNIX) {
		f = made == CR_FILE_INET ? cr_restore_inet(r, e) : cr_restore_unix(r, e);
		if (IS_ERR(f))
			return PTR_ERR(f);
		*out = f;
		goto add;
	}
	if (made == CR_FILE_NETLINK || made == CR_FILE_PACKET) {
		f = made == CR_FILE_NETLINK ? cr_restore_netlink(r, e) : cr_restore_packet(r, e);
		if (IS_ERR(f))
			return PTR_ERR(f);
		*out = f;
		goto add;
	}
	if (made == CR_FILE_MQUEUE) {
		f = cr_restore_mqueue(r, e);
		if (IS_ERR(f))
			return PTR_ERR(f);
		*out = f;
		goto add;
	}
	if (made == CR_FILE_PIDFD) {
		/* Made once the tree exists (kernel/cr/pidfd.c). */
		*out = NULL;
		return 0;
	}
	if (made == CR_FILE_MEMFD) {
		f = cr_restore_memfd(r, e);
		if (IS_ERR(f))
			return PTR_ERR(f);
		*out = f;
		goto add;
	}
	if (made >= CR_FILE_EVENTFD) {
		/* An event file (kernel/cr/event.c), made from its state. */
		f = cr_restore_event(r, e);
		if (IS_ERR(f))
			return PTR_ERR(f);
		*out = f;
		goto add;
	}
	path = r->fd_data + e->path_off;
	if (e->kind == CR_FD_UNLINKED)
		f = cr_restore_unlinked(r, e, path);
	else
		f = filp_open(path, e->flags, 0);
	if (IS_ERR(f)) {
		cr_refuse(name, "fd %d: cannot reopen %s (%ld)", e->fd, path, PTR_ERR(f));
		return PTR_ERR(f);
	}
	*out = f;
	if (!cr_fd_kind_ok(e->kind, f)) {
		cr_refuse(name, "fd %d: %s is no longer the same kind of file", e->fd, path);
		return -EINVAL;
	}
	if (e->pos && !(f->f_mode & FMODE_PATH)) {
		loff_t pos = vfs_llseek(f, e->pos, SEEK_SET);

		if (pos != e->pos) {
			cr_refuse(name, "fd %d: cannot seek %s to %llu", e->fd, path, e->pos);
			return pos < 0 ? pos : -EINVAL;
		}
	}
add:
	ret = cr_tree_add_file(r->tree, e->file_id, f, made);
	if (ret)
		cr_refuse(name, "fd %d: open file %u cannot be shared (%d)", e->fd,
			  e->file_id, ret);
	return ret;
}

/*
 * One end of a pipe: for an anonymous pipe, the read or write end
 * create_pipe_files() made (@made[0], @made[1]); else one more, opened on
 * @made[2]. O_NONBLOCK for that open: the end of a FIFO must not wait for
 * a peer (the anchor is one anyway); the end then gets its own flags.
 */
static struct file *cr_pipe_end(struct file **made, u32 flags)
{
	u32 acc = flags & O_ACCMODE;
	struct file *f, **end = acc == O_RDONLY ? &made[0] :
				acc == O_WRONLY ? &made[1] : NULL;

	if (end && *end) {
		f = *end;
		*end = NULL;
	} else {
		f = dentry_open(&made[2]->f_path, acc | O_NONBLOCK | O_LARGEFILE,
				current_cred());
		if (IS_ERR(f))
			return f;
	}
	spin_lock(&f->f_lock);
	f->f_flags = (f->f_flags & ~O_NONBLOCK) | (flags & O_NONBLOCK);
	spin_unlock(&f->f_lock);
	return f;
}

/*
 * The anchor of FIFO @i: the FIFO at @path opened O_RDWR, which never
 * waits for a peer, and from which the ends are opened. The caller must
 * be allowed what the ends do (read, write), and to write the bytes the
 * FIFO held back into it. The FIFO must be nobody else's: its bytes go
 * into an empty pipe, and the tree had every end of it.
 */
static struct file *cr_fifo_anchor(struct cr_restore *r, unsigned int i,
				   const struct cr_pipe *p, const char *path,
				   const struct cr_pipe_file *pf, unsigned int nr_files)
{
	struct pipe_inode_info *pipe;
	int ret, mask = MAY_OPEN;
	struct file *f = NULL;
	struct path fp;
	unsigned int j;
	bool busy;

	for (j = 0; j < nr_files; j++) {
		mask |= (pf[j].flags & O_ACCMODE) != O_WRONLY ? MAY_READ : 0;
		mask |= (pf[j].flags & O_ACCMODE) != O_RDONLY ? MAY_WRITE : 0;
	}
	if (p->data_len)
		mask |= MAY_WRITE;
	ret = kern_path(path, LOOKUP_FOLLOW, &fp);
	if (ret) {
		cr_refuse(r->img->name, "pipe %u: cannot find FIFO %s (%d)", i, path, ret);
		return ERR_PTR(ret);
	}
	if (!S_ISFIFO(d_inode(fp.dentry)->i_mode)) {
		cr_refuse(r->img->name, "pipe %u: %s is no longer a FIFO", i, path);
		ret = -ENOENT;
	} else {
		ret = path_permission(&fp, mask);
		if (ret)
			cr_refuse(r->img->name, "pipe %u: cannot open FIFO %s (%d)", i, path, ret);
	}
	if (!ret) {
		f = dentry_open(&fp, O_RDWR | O_NONBLOCK | O_LARGEFILE, current_cred());
		if (IS_ERR(f)) {
			ret = PTR_ERR(f);
			cr_refuse(r->img->name, "pipe %u: cannot open FIFO %s (%d)", i, path, ret);
		}
	}
	path_put(&fp);
	if (ret)
		return ERR_PTR(ret);
	pipe = get_pipe_info(f, false);
	pipe_lock(pipe);
	busy = pipe->readers != 1 || pipe->writers != 1;
	pipe_unlock(pipe);
	if (busy) {
		cr_refuse(r->img->name, "pipe %u: FIFO %s is open outside the tree", i, path);
		fput(f);
		return ERR_PTR(-EBUSY);
	}
	return f;
}

/* Create pipe @i (or open FIFO @i), fill it, and open its ends for the tree. */
static int cr_restore_pipe(struct cr_restore *r, const struct cr_pipe *p,
			   unsigned int i, const struct cr_pipe_file *pf,
			   unsigned int nr_files, const char *data)
{
	struct file *made[3] = {}, *f, *w;
	unsigned int j;
	loff_t pos = 0;
	int ret;

	if (p->flags & CR_PIPE_FIFO) {
		f = cr_fifo_anchor(r, i, p, data + p->path_off, pf, nr_files);
		if (IS_ERR(f))
			return PTR_ERR(f);
		made[2] = f;		/* every end is opened from it */
		w = f;
	} else {
		ret = create_pipe_files(made, O_NONBLOCK);
		if (ret)
			return ret;
		made[2] = get_file(made[0]);	/* the path, for more ends */
		w = made[1];
	}
	if (pipe_fcntl(w, F_GETPIPE_SZ, 0) != p->size) {
		long size = pipe_fcntl(w, F_SETPIPE_SZ, p->size);

		ret = size < 0 ? size : size != p->size ? -EINVAL : 0;
		if (ret) {
			cr_refuse(r->img->name, "pipe %u: cannot make it %u bytes (%d)",
				  i, p->size, ret);
			goto out;
		}
	}
	if (p->data_len &&
	    kernel_write(w, data + p->data_off, p->data_len, &pos) != p->data_len) {
		cr_refuse(r->img->name, "pipe %u: cannot refill it", i);
		ret = -EIO;
		goto out;
	}
	ret = 0;
	for (j = 0; !ret && j < nr_files; j++) {
		f = cr_pipe_end(made, pf[j].flags);
		if (IS_ERR(f)) {
			ret = PTR_ERR(f);
			break;
		}
		ret = cr_tree_add_file(r->tree, pf[j].file_id, f,
				       CR_FILE_PIPE + (pf[j].flags & O_ACCMODE));
		fput(f);
		if (ret)
			cr_refuse(r->img->name, "pipe %u: open file %u repeats", i,
				  pf[j].file_id);
	}
out:
	/* The ends not used, and the anchor of a FIFO. */
	for (j = 0; j < ARRAY_SIZE(made); j++)
		if (made[j])
			fput(made[j]);
	return ret;
}

/**
 * cr_restore_pipes_prepare - the pipes and FIFOs between processes of the tree
 * @r: the root's plan, with its tree
 *
 * Creates every pipe of NT_CR_PIPES (or opens it: a FIFO, at its path)
 * with its capacity and its unread bytes, and opens its ends as the
 * tree's open files, for the descriptors (CR_FD_PIPE) that name them.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_pipes_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_PIPES);
	const struct cr_pipe_file *pf;
	const struct cr_pipe *pipes;
	struct cr_hdr_pipes h;
	const char *data;
	unsigned int i, j;
	u64 size;
	int ret;

	ret = cr_rule_pipes(r->img->name, note, &h);
	if (ret)
		return ret;
	size = (u64)h.nr_pipes * sizeof(*pipes) + (u64)h.nr_files * sizeof(*pf);
	/* The note is 4-byte aligned only: copy the tables. */
	pipes = kvmemdup(note->desc + sizeof(h), size, GFP_KERNEL_ACCOUNT);
	if (!pipes)
		return -ENOMEM;
	pf = (const struct cr_pipe_file *)(pipes + h.nr_pipes);
	data = note->desc + sizeof(h) + size;
	/* The ends are by pipe, each pipe with at least one. */
	for (i = 0, j = 0; !ret && i < h.nr_pipes; i++) {
		unsigned int k = j;

		while (j < h.nr_files && pf[j].pipe == i)
			j++;
		ret = cr_restore_pipe(r, &pipes[i], i, pf + k, j - k, data);
		cond_resched();
	}
	kvfree(pipes);
	return ret;
}

/*
 * A descriptor that led outside (CR_FD_EXTERNAL): the one the caller
 * supplies at that number, open and not close-on-exec, so that exec
 * leaves it. Taken now, so that what is checked is what the processes
 * get.
 */
static int cr_restore_external(struct cr_restore *r, const struct cr_fd *e,
			       struct file **out)
{
	const char *what = cr_rule_string(r->fd_data, r->fd_data_len, e->path_off,
					  e->path_len);
	struct file *f = fget_raw(e->fd);
	bool cloexec;

	rcu_read_lock();
	cloexec = f && close_on_exec(e->fd, current->files);
	rcu_read_unlock();
	if (!f || cloexec) {
		if (f)
			fput(f);
		cr_refuse(r->img->name, "fd %d led outside (%s): the caller must supply fd %d, open and not close-on-exec",
			  e->fd, what ?: "?", e->fd);
		return -EBADF;
	}
	*out = f;
	return 0;
}

/**
 * cr_restore_files_prepare - check the descriptor table, reopen its files
 * @r: restore plan
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_files_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_FILES);
	unsigned long nofile = rlimit(RLIMIT_NOFILE);
	const char *name = r->img->name;
	unsigned int i;
	u32 nr;
	int ret;

	ret = cr_rule_files(name, note, &nr);
	if (ret)
		return ret;
	r->nr_fds = nr;
	r->fd = kvmalloc_array(nr, sizeof(*r->fd), GFP_KERNEL_ACCOUNT);
	r->fd_file = kvcalloc(nr, sizeof(*r->fd_file), GFP_KERNEL_ACCOUNT);
	r->fd_arm = bitmap_zalloc(nr, GFP_KERNEL_ACCOUNT);
	if (nr && (!r->fd || !r->fd_file || !r->fd_arm))
		return -ENOMEM;
	memcpy(r->fd, note->desc + sizeof(struct cr_hdr_files), nr * sizeof(*r->fd));
	r->fd_data = note->desc + sizeof(struct cr_hdr_files) + nr * sizeof(*r->fd);
	r->fd_data_len = note->size - sizeof(struct cr_hdr_files) - nr * sizeof(*r->fd);

	/*
	 * Every entry's rules, and what the caller may not rebuild, fail the
	 * exec before anything is made (a socket bound or connected).
	 */
	for (i = 0; i < r->nr_fds; i++) {
		const struct cr_fd *e = &r->fd[i];

		ret = cr_rule_fd(name, i, e, i ? &r->fd[i - 1] : NULL, r->fd_data,
				 r->fd_data_len);
		if (!ret && e->kind == CR_FD_INET)
			ret = cr_rule_inet(name, e, r->fd_data, r->fd_data_len) ?:
			      cr_restore_inet_may(r, e);
		else if (!ret && e->kind == CR_FD_UNIX)
			ret = cr_rule_unix(name, e, r->fd_data, r->fd_data_len);
		else if (!ret && e->kind == CR_FD_MEMFD)
			ret = cr_rule_memfd(name, e, r->fd_data, r->fd_data_len);
		else if (!ret && e->kind == CR_FD_MQUEUE)
			ret = cr_rule_mqueue(name, e, r->fd_data, r->fd_data_len);
		else if (!ret && e->kind == CR_FD_NETLINK)
			ret = cr_rule_netlink(name, e, r->fd_data, r->fd_data_len);
		else if (!ret && e->kind == CR_FD_PACKET)
			ret = cr_rule_packet(name, e, r->fd_data, r->fd_data_len);
		else if (!ret && e->kind == CR_FD_PIDFD)
			ret = cr_rule_pidfd(name, e, r->fd_data, r->fd_data_len) ?:
			      cr_restore_pidfd_check(r, e);
		else if (!ret && ((e->kind >= CR_FD_EVENTFD && e->kind <= CR_FD_EPOLL) ||
				  e->kind == CR_FD_INOTIFY || e->kind == CR_FD_FANOTIFY))
			ret = cr_rule_event(name, e, r->fd_data, r->fd_data_len);
		if (ret)
			return ret;
	}
	/* Options of its TCP and UDP sockets beyond struct cr_inet's (inet.c). */
	ret = cr_rule_sock_opts(name, cr_image_find_note(r->img, true, NT_CR_SOCK_OPTS), r->fd,
				r->nr_fds) ?:
	      cr_rule_sock_devs(name, cr_image_find_note(r->img, true, NT_CR_SOCK_DEVS), r->fd,
				r->nr_fds);
	if (ret)
		return ret;
	for (i = 0; i < r->nr_fds; i++) {
		const struct cr_fd *e = &r->fd[i];

		ret = cr_rule_fd(name, i, e, i ? &r->fd[i - 1] : NULL, r->fd_data,
				 r->fd_data_len);
		if (ret)
			return ret;
		if (e->fd >= 0 && (e->fd >= nofile || e->fd >= sysctl_nr_open)) {
			cr_refuse(name, "fd %d is over this process's RLIMIT_NOFILE", e->fd);
			return -EMFILE;
		}
		if (e->kind == CR_FD_EXTERNAL)
			ret = cr_restore_external(r, e, &r->fd_file[i]);
		else
			ret = cr_restore_open_fd(r, e, &r->fd_file[i]);
		if (ret)
			return ret;
	}
	ret = cr_restore_epolls(r);
	/* Who gets the descriptors' signals (kernel/cr/fown.c). */
	if (!ret)
		ret = cr_restore_fowns_prepare(r);
	/* The sockets' filters (kernel/cr/sockopt.c). */
	return ret ?: cr_restore_sock_filters_prepare(r);
}

/**
 * cr_restore_files_inherit - the caller's descriptors a descendant inherits
 * @r: a descendant's prepared plan
 *
 * Called in the exec caller after begin_new_exec() closed its
 * close-on-exec descriptors, and before its table is made the root's: a
 * descendant gets only what a program the caller executes would get
 * (issue 12, finding 3). A number the caller has not open is left closed
 * (cr_restore_files()).
 */
void cr_restore_files_inherit(struct cr_restore *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_fds; i++)
		if (r->fd[i].kind == CR_FD_INHERIT && !r->fd_file[i])
			r->fd_file[i] = fget_raw(r->fd[i].fd);
}

/*
 * The caller's descriptors that the process did not have leave its table
 * at once, but are closed only when the restore is complete, so that the
 * caller can tell that moment: the last reference to a pipe's write end
 * goes then (crcore restore --ready-fd).
 */
struct cr_closing {
	unsigned int nr;
	struct file *file[];
};

/* Close them now: @c from cr_restore_files(), or NULL. */
void cr_closing_release(struct cr_closing *c)
{
	unsigned int i;

	for (i = 0; c && i < c->nr; i++)
		filp_close(c->file[i], current->files);
	kvfree(c);
}

/**
 * cr_restore_files - make the descriptor table the image's
 * @r: a prepared plan
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_files(struct cr_restore *r)
{
	unsigned int i, fd, max, next = 0, first;
	int ret;

	/* The files in flight come first; their references are the sockets'. */
	while (next < r->nr_fds && r->fd[next].fd < 0)
		next++;
	first = next;
	/* The caller's descriptors that the process did not have: closed last. */
	rcu_read_lock();
	max = files_fdtable(current->files)->max_fds;
	rcu_read_unlock();
	r->closing = kvzalloc(struct_size(r->closing, file, max), GFP_KERNEL_ACCOUNT);
	for (fd = 0; fd < max; fd++) {
		struct file *file;

		while (next < r->nr_fds && r->fd[next].fd < fd)
			next++;
		if (next < r->nr_fds && r->fd[next].fd == fd)
			continue;
		if (!r->closing) {
			close_fd(fd);
			continue;
		}
		file = file_close_fd(fd);
		if (file)
			r->closing->file[r->closing->nr++] = file;
	}
	for (i = first; i < r->nr_fds; i++) {
		const struct cr_fd *e = &r->fd[i];
		unsigned int cloexec = e->fd_flags & CR_FD_CLOEXEC;

		if (e->kind == CR_FD_INHERIT && r->tree_idx && !r->fd_file[i]) {
			close_fd(e->fd);
			cr_refuse(r->img->name, "fd %d led outside the tree and the caller has no fd %d: left closed",
				  e->fd, e->fd);
			continue;
		}
		if (e->kind == CR_FD_INHERIT && !r->tree_idx) {
			struct file *f = fget_raw(e->fd);

			if (!f) {
				cr_refuse(r->img->name, "fd %d led outside the process and the caller has no fd %d: left closed",
					  e->fd, e->fd);
				continue;
			}
			fput(f);
			set_close_on_exec(e->fd, cloexec);
			continue;
		}
		if (e->kind == CR_FD_PIDFD) {
			/* Closed until its pidfd is made (kernel/cr/pidfd.c). */
			close_fd(e->fd);
			continue;
		}
		ret = replace_fd(e->fd, r->fd_file[i], cloexec ? O_CLOEXEC : 0);
		if (ret < 0)
			return ret;
		if (e->kind == CR_FD_INET)
			cr_restore_inet_finish(r, e, r->fd_file[i]);
		if (e->kind == CR_FD_MQUEUE) {
			ret = cr_restore_mqueue_notify(r, e, r->fd_file[i]);
			if (ret)
				return ret;
		}
	}
	/* A connection in flight leaves repair mode too. */
	for (i = 0; i < first; i++)
		if (r->fd[i].kind == CR_FD_INET)
			cr_restore_inet_finish(r, &r->fd[i], r->fd_file[i]);
	/* The table is the image's: its POSIX locks (kernel/cr/lock.c). */
	return cr_restore_locks(r);
}

void cr_restore_files_free(struct cr_restore *r)
{
	unsigned int i;

	for (i = 0; r->fd_file && i < r->nr_fds; i++)
		if (r->fd_file[i])
			fput(r->fd_file[i]);
	kvfree(r->fd_file);
	bitmap_free(r->fd_arm);
	r->fd_arm = NULL;
	cr_restore_pidfds_free(r);
	kvfree(r->fd);
	kvfree(r->fown);
	r->fown = NULL;
	kvfree(r->sfilter);
	r->sfilter = NULL;
	cr_closing_release(r->closing);
	r->closing = NULL;
}
