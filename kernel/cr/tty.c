// SPDX-License-Identifier: GPL-2.0
/*
 * Terminals: pty pairs between processes of a tree, and the controlling
 * terminals they are.
 *
 * Checkpoint: a unix98 pty pair whose master and open slave ends are
 * files held only by descriptors of the tree, and whose slave is the
 * controlling terminal of no session, or of a session led by a process of
 * the tree other than the root (every process of that session having it,
 * and no other), is the tree's own: NT_CR_TTYS records the slave's
 * termios and window size, the slave's lock, the session and its
 * foreground process group; its descriptors are CR_FD_TTY. NT_CR_TTY_DATA
 * holds the bytes a pair holds for a reader of either end as its line
 * discipline holds them (n_tty_cr_read(), patch 0006): edited already in
 * canonical mode, with their line ends, the line being typed and the
 * columns. Echoes not written yet, packet mode or another line
 * discipline than N_TTY refuse the checkpoint: they cannot be put back as
 * they were. Other terminals lead outside the tree (CR_FD_INHERIT).
 *
 * Restore: each pair is made anew by opening /dev/ptmx from the exec
 * caller's root, in whatever devpts that is: its number may differ. The
 * slave gets its termios and window size, its ends are opened from the
 * master (as TIOCGPTPEER does), the bytes it held go back into the line
 * discipline of their reader's end as they were (n_tty_cr_fill()), then
 * it is locked again if it was. After
 * the point of no return, the session leader makes the slave its
 * controlling terminal (TIOCSCTTY) before it creates its children, which
 * inherit it; once every process has joined its group, the foreground
 * process group is set.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/devpts_fs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/mount.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_ldisc.h>

/* The tty of a file tty_open() or ptmx_open() opened (as tty_io.c's file_tty()). */
static struct tty_struct *cr_file_tty(struct file *file)
{
	return ((struct tty_file_private *)file->private_data)->tty;
}

/* Checkpoint */

/*
 * The pty pair an open file is an end of (its master's tty), or NULL:
 * the master (/dev/ptmx, or devpts's ptmx) or a slave of a unix98 pty,
 * not hung up, not an O_PATH descriptor. @slave says which end.
 */
static struct tty_struct *cr_pty_of(struct file *file, bool *slave)
{
	struct inode *inode = file_inode(file);
	dev_t dev = inode->i_rdev;
	struct tty_struct *tty;

	if (!S_ISCHR(inode->i_mode) || (file->f_mode & FMODE_PATH) || tty_hung_up_p(file))
		return NULL;
	if (dev != MKDEV(TTYAUX_MAJOR, 2) &&
	    (MAJOR(dev) < UNIX98_PTY_SLAVE_MAJOR ||
	     MAJOR(dev) >= UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT))
		return NULL;
	tty = cr_file_tty(file);
	if (!tty || !tty->link || tty->driver->type != TTY_DRIVER_TYPE_PTY ||
	    !(tty->driver->flags & TTY_DRIVER_DEVPTS_MEM))
		return NULL;
	*slave = tty->driver->subtype == PTY_TYPE_SLAVE;
	return *slave ? tty->link : tty;
}

/**
 * cr_tty_file - is this file an end of a pty pair?
 * @file: an open file
 *
 * Return: true for the master or a slave of a unix98 pty.
 */
bool cr_tty_file(struct file *file)
{
	bool slave;

	return cr_pty_of(file, &slave);
}

/**
 * cr_tty_scan_file - count an end of a pty pair for its pair
 * @o: the checkpoint's objects
 * @obj: the entry of @file
 * @file: an open file of the tree
 *
 * Return: 0 or -ENOMEM.
 */
int cr_tty_scan_file(struct cr_objs *o, struct cr_obj *obj, struct file *file)
{
	struct tty_struct *master;
	struct cr_obj *p;
	bool slave;

	master = cr_pty_of(file, &slave);
	if (!master)
		return 0;
	p = cr_obj_find(o, master, true);
	if (!p)
		return -ENOMEM;
	p->pty = true;
	obj->tty = p;
	if (slave)
		p->nr_slave++;
	else
		p->nr_master++;
	return 0;
}

static struct tty_struct *cr_task_ctty(struct task_struct *p)
{
	struct tty_struct *tty;

	spin_lock_irq(&p->sighand->siglock);
	tty = p->signal->tty;
	spin_unlock_irq(&p->sighand->siglock);
	return tty;
}

/* The session and foreground group of a slave, referenced. */
static void cr_tty_ctrl(struct tty_struct *slave, struct pid **session, struct pid **pgrp)
{
	unsigned long flags;

	spin_lock_irqsave(&slave->ctrl.lock, flags);
	*session = get_pid(slave->ctrl.session);
	*pgrp = get_pid(slave->ctrl.pgrp);
	spin_unlock_irqrestore(&slave->ctrl.lock, flags);
}

/*
 * Can the tree restore the slave as the controlling terminal it is? Of no
 * session; or of one led by a live process of the tree other than the
 * root (whose session is the exec caller's at restore), whose every live
 * process has it, no other process of the tree having it.
 */
static bool cr_tty_session_ok(struct cr_freeze *f, struct tty_struct *slave,
			      struct pid *session)
{
	unsigned int i, n = cr_freeze_nr_procs(f), nr_threads;
	bool led = false;
	int parent;

	for (i = 0; i < n; i++) {
		struct task_struct *p = cr_freeze_proc(f, i, &parent, &nr_threads);
		bool in;

		if (!nr_threads)
			continue;
		rcu_read_lock();
		in = session && task_session(p) == session;
		rcu_read_unlock();
		if (in != (cr_task_ctty(p) == slave))
			return false;
		if (in && !i)
			return false;
		if (in && task_tgid(p) == session && p->signal->leader)
			led = true;
	}
	return !session || led;
}

/* Which pairs are the tree's own, once the descriptors are scanned. */
void cr_tty_scan_done(struct cr_objs *o, struct cr_freeze *f)
{
	unsigned int i, n = cr_objs_nr(o);

	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(o, i);
		struct tty_struct *master = (void *)obj->ptr, *slave;
		struct pid *session, *pgrp;

		if (!obj->pty)
			continue;
		slave = master->link;
		/* The master is one file; the slave's count has one for it. */
		obj->internal = obj->nr_master == 1 &&
				obj->nr_slave == READ_ONCE(slave->count) - 1;
		if (!obj->internal)
			continue;
		cr_tty_ctrl(slave, &session, &pgrp);
		obj->internal = cr_tty_session_ok(f, slave, session);
		put_pid(session);
		put_pid(pgrp);
	}
	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(o, i);

		/* Every reference to each end is the tree's: a descriptor, or in flight. */
		if (obj->tty && file_count(obj->file) != obj->nr_fds + obj->nr_in_flight + 1)
			obj->tty->internal = false;
	}
}

/* Is @pgrp the process group of a live process of the tree in @session? */
static bool cr_tty_pgrp_ok(struct cr_freeze *f, struct pid *session, struct pid *pgrp)
{
	unsigned int i, n = cr_freeze_nr_procs(f), nr_threads;
	bool ok = false;
	int parent;

	for (i = 0; i < n && !ok; i++) {
		struct task_struct *p = cr_freeze_proc(f, i, &parent, &nr_threads);

		rcu_read_lock();
		ok = nr_threads && task_pgrp(p) == pgrp && task_session(p) == session;
		rcu_read_unlock();
	}
	return ok;
}

/*
 * The bytes @tty, an end of pair @index, holds for its reader, and its
 * line discipline's editing state, appended to @data (NT_CR_TTY_DATA)
 * as @side's; or why they cannot be saved.
 */
static const char *cr_dump_tty_data(struct tty_struct *tty, u32 index, u32 side,
				    struct cr_buf *data, int *err)
{
	size_t room = sizeof(struct cr_tty_data) + CR_TTY_DATA_MAX +
		      sizeof(struct cr_tty_lines) + CR_TTY_DATA_MAX / 8, used;
	struct cr_tty_data e = { .tty = index, .side = side };
	struct cr_tty_lines l = {};
	unsigned long *ends;
	struct n_tty_cr st;
	bool lines;
	ssize_t n;
	u8 *p;

	ends = bitmap_zalloc(CR_TTY_DATA_MAX, GFP_KERNEL);
	p = ends ? cr_buf_room(data, room) : NULL;
	if (!p) {
		bitmap_free(ends);
		*err = -ENOMEM;
		return NULL;
	}
	n = n_tty_cr_read(tty, p + sizeof(e), ends, CR_TTY_DATA_MAX, &st);
	lines = n >= 0 && ((st.icanon && n) || st.column || st.canon_column || st.lnext ||
			   st.erasing);
	if (n < 0 || (!n && !lines)) {
		bitmap_free(ends);
		data->len -= room;
		return n == -ENOSPC ? "holds more bytes than its line discipline takes" :
		       n ? "holds echoes not written yet" : NULL;
	}
	e.len = n;
	memset(p + sizeof(e) + n, 0, ALIGN(n, 8) - n);
	used = sizeof(e) + ALIGN(n, 8);
	if (lines) {
		e.flags = CR_TTY_DATA_LINES;
		l.flags = (st.icanon ? CR_TTY_LINES_CANON : 0) |
			  (st.lnext ? CR_TTY_LINES_LNEXT : 0) |
			  (st.erasing ? CR_TTY_LINES_ERASING : 0);
		l.canon = st.canon;
		l.column = st.column;
		l.canon_column = st.canon_column;
		memcpy(p + used, &l, sizeof(l));
		used += sizeof(l);
		/* Little-endian words of 64 bits, as the format says (x86). */
		memcpy(p + used, ends, ALIGN(n, 64) / 8);
		used += ALIGN(n, 64) / 8;
	}
	memcpy(p, &e, sizeof(e));
	data->len -= room - used;
	bitmap_free(ends);
	return NULL;
}

/*
 * The state of pair @master, into @ct, and the bytes it holds into @data;
 * or why it cannot be saved.
 */
static int cr_dump_tty(struct cr_freeze *f, struct cr_obj *obj, struct cr_tty *ct,
		       struct cr_buf *data)
{
	struct tty_struct *master = (void *)obj->ptr, *slave = master->link;
	struct pid *session, *pgrp;
	const char *why = NULL;
	struct tty_ldisc *ld;
	int i, num[2], err = 0;

	for (i = 0; i < 2; i++) {
		ld = tty_ldisc_ref(i ? slave : master);
		num[i] = ld ? ld->ops->num : -1;
		if (ld)
			tty_ldisc_deref(ld);
	}
	cr_tty_ctrl(slave, &session, &pgrp);
	if (num[0] != N_TTY || num[1] != N_TTY)
		why = "has another line discipline than N_TTY";
	else if (READ_ONCE(master->ctrl.packet))
		why = "is in packet mode (TIOCPKT)";
	else if (tty_buffer_pending(master->port) || tty_buffer_pending(slave->port))
		why = "holds more bytes than its line discipline takes";
	else if (session && !cr_tty_pgrp_ok(f, session, pgrp))
		why = "has a foreground process group with no process in its session";
	if (!why)
		why = cr_dump_tty_data(master, obj->index, CR_TTY_TO_MASTER, data, &err) ?:
		      cr_dump_tty_data(slave, obj->index, CR_TTY_TO_SLAVE, data, &err);
	if (err) {
		put_pid(session);
		put_pid(pgrp);
		return err;
	}
	if (why) {
		cr_refuse(current->comm, "checkpoint refused: pty %d %s", master->index, why);
		put_pid(session);
		put_pid(pgrp);
		return -EOPNOTSUPP;
	}
	ct->index = master->index;
	if (test_bit(TTY_PTY_LOCK, &master->flags))
		ct->flags |= CR_TTY_LOCKED;
	if (!obj->nr_slave && test_bit(TTY_OTHER_CLOSED, &master->flags))
		ct->flags |= CR_TTY_SLAVE_CLOSED;
	if (session) {
		ct->sid = pid_vnr(session);
		ct->pgrp = pid_vnr(pgrp);
	}
	put_pid(session);
	put_pid(pgrp);

	down_read(&slave->termios_rwsem);
	ct->iflag = slave->termios.c_iflag;
	ct->oflag = slave->termios.c_oflag;
	ct->cflag = slave->termios.c_cflag;
	ct->lflag = slave->termios.c_lflag;
	ct->ispeed = slave->termios.c_ispeed;
	ct->ospeed = slave->termios.c_ospeed;
	ct->line = slave->termios.c_line;
	BUILD_BUG_ON(sizeof(ct->cc) != sizeof(slave->termios.c_cc));
	memcpy(ct->cc, slave->termios.c_cc, sizeof(ct->cc));
	up_read(&slave->termios_rwsem);

	mutex_lock(&slave->winsize_mutex);
	ct->ws_row = slave->winsize.ws_row;
	ct->ws_col = slave->winsize.ws_col;
	ct->ws_xpixel = slave->winsize.ws_xpixel;
	ct->ws_ypixel = slave->winsize.ws_ypixel;
	mutex_unlock(&slave->winsize_mutex);
	return 0;
}

/**
 * cr_dump_ttys - NT_CR_TTYS: the pty pairs inside the tree
 * @d: the root's image
 * @f: the frozen tree
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_dump_ttys(struct cr_dump *d, struct cr_freeze *f)
{
	unsigned int i, n = cr_objs_nr(d->objs), nr_ttys = 0, nr_files = 0, *slot;
	struct cr_buf data = {};
	struct cr_hdr_ttys *h;
	struct cr_tty_file *tf;
	struct cr_tty *ct;
	size_t size;
	int ret = 0;

	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);

		if (obj->pty && obj->internal)
			obj->index = nr_ttys++;
		else if (obj->tty && obj->tty->internal)
			nr_files++;
	}
	if (!nr_ttys)
		return 0;	/* no note: no pair */
	if (nr_ttys > CR_MAX_TTYS) {
		cr_refuse(current->comm, "checkpoint refused: %u pty pairs, more than %u",
			  nr_ttys, CR_MAX_TTYS);
		return -EFBIG;
	}
	size = sizeof(*h) + nr_ttys * sizeof(*ct) + nr_files * sizeof(*tf);
	h = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	/* The ends go by pair, the master first: where each pair's go. */
	slot = kvcalloc(nr_ttys + 1, sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!h || !slot) {
		ret = -ENOMEM;
		goto out;
	}
	h->nr_ttys = nr_ttys;
	h->nr_files = nr_files;
	ct = (struct cr_tty *)(h + 1);
	tf = (struct cr_tty_file *)(ct + nr_ttys);
	for (i = 0; i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);

		if (obj->tty && obj->tty->internal)
			slot[obj->tty->index + 1]++;
	}
	for (i = 0; i < nr_ttys; i++)
		slot[i + 1] += slot[i];
	for (i = 0; !ret && i < n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i);

		if (obj->pty && obj->internal)
			ret = cr_dump_tty(f, obj, &ct[obj->index], &data);
	}
	/* Masters first (one per pair), then the slaves. */
	for (i = 0; !ret && i < 2 * n; i++) {
		struct cr_obj *obj = cr_objs_get(d->objs, i % n);
		struct cr_tty_file *e;
		bool slave;

		if (!obj->tty || !obj->tty->internal)
			continue;
		/* The scan found it a pty end: its tty_file_private stays. */
		slave = cr_file_tty(obj->file) != obj->tty->ptr;
		if (slave != (i >= n))
			continue;
		e = &tf[slot[obj->tty->index]++];
		e->file_id = obj->id;
		e->tty = obj->tty->index;
		e->end = slave ? CR_TTY_SLAVE : CR_TTY_MASTER;
		e->flags = obj->file->f_flags & (O_ACCMODE | O_NONBLOCK);
	}
	if (!ret)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_TTYS, h, size);
	if (!ret && data.len)
		ret = cr_dump_note(d, CR_NOTE_NAME, NT_CR_TTY_DATA, data.buf, data.len);
out:
	kvfree(data.buf);
	kvfree(slot);
	kvfree(h);
	return ret;
}

/* Restore */

/*
 * One more end of the slave of @master's pair, opened from the master as
 * TIOCGPTPEER does (so in its devpts), never becoming the exec caller's
 * controlling terminal; then given @flags' O_NONBLOCK.
 */
static struct file *cr_pty_open_slave(struct file *master, u32 flags)
{
	struct tty_struct *tty = cr_file_tty(master);
	struct path path;
	struct file *f;

	path.mnt = devpts_mntget(master, tty->driver_data);
	if (IS_ERR(path.mnt))
		return ERR_CAST(path.mnt);
	path.dentry = tty->link->driver_data;
	f = dentry_open(&path, (flags & O_ACCMODE) | O_NOCTTY | O_NONBLOCK | O_LARGEFILE,
			current_cred());
	mntput(path.mnt);
	if (IS_ERR(f))
		return f;
	spin_lock(&f->f_lock);
	f->f_flags = (f->f_flags & ~O_NONBLOCK) | (flags & O_NONBLOCK);
	spin_unlock(&f->f_lock);
	return f;
}

/* The slave's termios and window size, as the image has them. */
static void cr_tty_set_state(struct tty_struct *slave, const struct cr_tty *ct)
{
	struct ktermios kt = {
		.c_iflag = ct->iflag,
		.c_oflag = ct->oflag,
		.c_cflag = ct->cflag,
		.c_lflag = ct->lflag,
		.c_line = ct->line,
		.c_ispeed = ct->ispeed,
		.c_ospeed = ct->ospeed,
	};
	struct winsize ws = {
		.ws_row = ct->ws_row,
		.ws_col = ct->ws_col,
		.ws_xpixel = ct->ws_xpixel,
		.ws_ypixel = ct->ws_ypixel,
	};

	memcpy(kt.c_cc, ct->cc, sizeof(kt.c_cc));
	tty_set_termios(slave, &kt);
	tty_do_resize(slave, &ws);
}

/*
 * The bytes pair @i of @master held for its readers, in @data (checked by
 * cr_rule_tty_data()), put back into the line discipline of the reader's
 * end as it held them (edited, line ends, columns), after the slave's
 * termios, before any process runs.
 */
static int cr_restore_tty_data(struct tty_struct *master, unsigned int i,
			       const struct cr_note *data)
{
	const u8 *p = data ? data->desc : NULL;
	unsigned long *ends = NULL;
	struct cr_tty_lines l;
	struct cr_tty_data e;
	struct n_tty_cr st;
	int ret = 0;
	u64 off;

	for (off = 0; !ret && data && off < data->size; off += cr_tty_data_size(&e)) {
		memcpy(&e, p + off, sizeof(e));
		if (e.tty != i)
			continue;
		memset(&st, 0, sizeof(st));
		if (e.flags & CR_TTY_DATA_LINES) {
			u64 at = off + sizeof(e) + ALIGN(e.len, 8);

			memcpy(&l, p + at, sizeof(l));
			st.icanon = l.flags & CR_TTY_LINES_CANON;
			st.lnext = l.flags & CR_TTY_LINES_LNEXT;
			st.erasing = l.flags & CR_TTY_LINES_ERASING;
			st.canon = l.canon;
			st.column = l.column;
			st.canon_column = l.canon_column;
			if (!ends)
				ends = bitmap_zalloc(CR_TTY_DATA_MAX, GFP_KERNEL);
			if (!ends) {
				ret = -ENOMEM;
				break;
			}
			bitmap_zero(ends, CR_TTY_DATA_MAX);
			memcpy(ends, p + at + sizeof(l), ALIGN(e.len, 64) / 8);
		} else {
			/* Bytes of raw mode: no line ends, the line discipline's mode. */
			st.icanon = L_ICANON(e.side == CR_TTY_TO_SLAVE ? master->link : master);
		}
		ret = n_tty_cr_fill(e.side == CR_TTY_TO_SLAVE ? master->link : master,
				    p + off + sizeof(e), (e.flags & CR_TTY_DATA_LINES) ? ends : NULL,
				    e.len, &st);
	}
	bitmap_free(ends);
	return ret;
}

/*
 * Pair @i: a new pty from /dev/ptmx, its slave's state, its ends (the
 * master's file, @tf[0], then the slaves), the bytes it held (@data), the
 * lock; and for a controlling terminal, one more slave end for the
 * session leader.
 */
static int cr_restore_tty(struct cr_restore *r, unsigned int i, const struct cr_tty *ct,
			  const struct cr_tty_file *tf, unsigned int nr_files,
			  const struct cr_note *data)
{
	const char *name = r->img->name;
	struct file *master, *f;
	struct tty_struct *tty;
	struct cr_ctty *c;
	unsigned int j;
	bool slave;
	int ret;

	master = filp_open("/dev/ptmx", (tf[0].flags & O_ACCMODE) | O_NOCTTY | O_LARGEFILE, 0);
	if (IS_ERR(master)) {
		cr_refuse(name, "pty %u: cannot open /dev/ptmx (%ld)", i, PTR_ERR(master));
		return PTR_ERR(master);
	}
	tty = cr_pty_of(master, &slave);
	if (!tty || slave) {
		cr_refuse(name, "pty %u: /dev/ptmx is no pty master here", i);
		ret = -EOPNOTSUPP;
		goto out;
	}
	spin_lock(&master->f_lock);
	master->f_flags = (master->f_flags & ~O_NONBLOCK) | (tf[0].flags & O_NONBLOCK);
	spin_unlock(&master->f_lock);
	cr_tty_set_state(tty->link, ct);
	ret = cr_tree_add_file(r->tree, tf[0].file_id, master,
			       CR_FILE_TTY + (tf[0].flags & O_ACCMODE));
	/* The slaves: unlocked to open them (ptmx_open() locks it). */
	clear_bit(TTY_PTY_LOCK, &tty->flags);
	for (j = 1; !ret && j < nr_files; j++) {
		f = cr_pty_open_slave(master, tf[j].flags);
		if (IS_ERR(f)) {
			ret = PTR_ERR(f);
			break;
		}
		ret = cr_tree_add_file(r->tree, tf[j].file_id, f,
				       CR_FILE_TTY + (tf[j].flags & O_ACCMODE));
		fput(f);
	}
	if (!ret && ct->sid) {
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		f = c ? cr_pty_open_slave(master, O_RDWR) : ERR_PTR(-ENOMEM);
		if (IS_ERR(f)) {
			kfree(c);
			ret = PTR_ERR(f);
		} else {
			c->sid = ct->sid;
			c->pgrp = ct->pgrp;
			c->slave = f;
			c->tty = tty_kref_get(tty->link);
			ret = cr_tree_add_ctty(r->tree, c);
		}
	} else if (!ret && nr_files == 1 && (ct->flags & CR_TTY_SLAVE_CLOSED)) {
		/* Opened and closed, as the pair's slave was: the master reads EIO. */
		f = cr_pty_open_slave(master, O_RDWR);
		if (IS_ERR(f))
			ret = PTR_ERR(f);
		else
			__fput_sync(f);
	}
	if (!ret)
		ret = cr_restore_tty_data(tty, i, data);
	if (ct->flags & CR_TTY_LOCKED)
		set_bit(TTY_PTY_LOCK, &tty->flags);
	if (ret)
		cr_refuse(name, "pty %u: cannot rebuild it (%d)", i, ret);
out:
	fput(master);
	return ret;
}

/**
 * cr_restore_ttys_prepare - the pty pairs inside the tree
 * @r: the root's plan, with its tree
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_ttys_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_TTYS);
	const struct cr_note *data = cr_image_find_note(r->img, true, NT_CR_TTY_DATA);
	const struct cr_tty_file *tf;
	const struct cr_proc *procs;
	const struct cr_tty *ct;
	struct cr_hdr_ttys h;
	unsigned int i, j, k, nr_procs, nr_data;
	int ret;

	procs = cr_tree_entries(r->tree, &nr_procs);
	ret = cr_rule_ttys(r->img->name, note, procs, nr_procs, &h) ?:
	      cr_rule_tty_data(r->img->name, data, h.nr_ttys, &nr_data);
	if (ret || !h.nr_ttys)
		return ret;
	/* The note is 4-byte aligned only: copy the tables. */
	ct = kvmemdup(note->desc + sizeof(h), note->size - sizeof(h), GFP_KERNEL_ACCOUNT);
	if (!ct)
		return -ENOMEM;
	tf = (const struct cr_tty_file *)(ct + h.nr_ttys);
	/* The ends by pair, each pair's master first, then its slaves. */
	for (i = 0, j = 0; !ret && i < h.nr_ttys; i++) {
		k = j;
		while (j < h.nr_files && tf[j].tty == i)
			j++;
		ret = cr_restore_tty(r, i, &ct[i], tf + k, j - k, data);
	}
	kvfree(ct);
	return ret;
}

/**
 * cr_ctty_set - in a session leader of the tree: its controlling terminal
 * @c: the terminal, as its pair was rebuilt
 *
 * TIOCSCTTY on the slave end kept for it, which is then closed.
 *
 * Return: 0 or a negative errno.
 */
int cr_ctty_set(struct cr_ctty *c)
{
	struct file *f = c->slave;
	long ret;

	if (!f)
		return -EINVAL;
	c->slave = NULL;
	ret = f->f_op->unlocked_ioctl(f, TIOCSCTTY, 0);
	fput(f);
	return ret;
}

/**
 * cr_ctty_foreground - the foreground process group of a controlling terminal
 * @c: the terminal, the controlling terminal of its session already
 * @pgrp: the group, as the tree rebuilt it
 *
 * As TIOCSPGRP: the group must be one of the terminal's session.
 *
 * Return: 0 or a negative errno.
 */
int cr_ctty_foreground(struct cr_ctty *c, struct pid *pgrp)
{
	struct tty_struct *tty = c->tty;
	struct pid *session = NULL;
	struct task_struct *p;
	int ret = -EPERM;

	if (!pgrp)
		return -ESRCH;
	rcu_read_lock();
	p = pid_task(pgrp, PIDTYPE_PGID);
	if (p)
		session = task_session(p);
	rcu_read_unlock();
	spin_lock_irq(&tty->ctrl.lock);
	if (session && tty->ctrl.session == session) {
		put_pid(tty->ctrl.pgrp);
		tty->ctrl.pgrp = get_pid(pgrp);
		ret = 0;
	}
	spin_unlock_irq(&tty->ctrl.lock);
	return ret;
}

void cr_ctty_free(struct cr_ctty *c)
{
	if (c->slave)
		fput(c->slave);
	tty_kref_put(c->tty);
	kfree(c);
}
