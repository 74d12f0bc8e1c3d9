// SPDX-License-Identifier: GPL-2.0
/*
 * Socket options, for the socket kinds (inet.c, socket.c): read at
 * checkpoint as the image keeps them, set at restore as setsockopt(2)
 * by the restoring caller would (its LSM hook and permission checks
 * included), from kernel memory; the devices they are bound to, by
 * index and name; and the socket filters of all of them.
 */
#include <linux/cr.h>
#include <linux/cr_rules.h>
#include <linux/file.h>
#include <linux/filter.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/security.h>
#include <linux/sockptr.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>

/**
 * cr_sock_dev_name - the name of a device of a socket's network namespace
 * @sk: the socket
 * @ifindex: the device's index there
 * @name: IFNAMSIZ bytes, set to its name
 *
 * Return: false when there is no such device.
 */
bool cr_sock_dev_name(struct sock *sk, int ifindex, char *name)
{
	struct net_device *dev;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(sock_net(sk), ifindex);
	if (dev)
		strscpy(name, dev->name, IFNAMSIZ);
	rcu_read_unlock();
	return dev;
}

/**
 * cr_sock_dev_is - whether a device of a socket's namespace has a name
 * @sk: the socket
 * @ifindex: the device's index there
 * @name: the name it had at checkpoint (IFNAMSIZ bytes, maybe not
 *        terminated)
 *
 * In another boot the index may be another device's: a socket bound to
 * it would take and send other packets, in silence.
 */
bool cr_sock_dev_is(struct sock *sk, int ifindex, const char *name)
{
	struct net_device *dev;
	bool same;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(sock_net(sk), ifindex);
	same = dev && !strncmp(dev->name, name, IFNAMSIZ);
	rcu_read_unlock();
	return same;
}

/**
 * cr_sock_timeo_us - a receive or send timeout, as the image keeps it
 * @timeo: sk_rcvtimeo or sk_sndtimeo, in jiffies
 *
 * Return: microseconds; 0 for none.
 */
u64 cr_sock_timeo_us(long timeo)
{
	return timeo == MAX_SCHEDULE_TIMEOUT ? 0 : jiffies_to_usecs(timeo);
}

/**
 * cr_setsockopt - setsockopt(2) of @sock from kernel memory
 * @sock: the socket
 * @level: SOL_SOCKET, SOL_IP, SOL_TCP...
 * @name: the option
 * @val: its value
 * @len: its size
 *
 * Return: 0 or a negative errno.
 */
int cr_setsockopt(struct socket *sock, int level, int name, const void *val, unsigned int len)
{
	int ret = security_socket_setsockopt(sock, level, name);

	if (ret)
		return ret;
	if (level == SOL_SOCKET)
		return sock_setsockopt(sock, level, name, KERNEL_SOCKPTR((void *)val), len);
	return READ_ONCE(sock->ops)->setsockopt(sock, level, name,
						 KERNEL_SOCKPTR((void *)val), len);
}

int cr_setsockopt_int(struct socket *sock, int level, int name, int val)
{
	return cr_setsockopt(sock, level, name, &val, sizeof(val));
}

/**
 * cr_sock_set_timeo - SO_RCVTIMEO_NEW or SO_SNDTIMEO_NEW from the image
 * @sock: the socket
 * @name: which
 * @us: microseconds, 0 for none (nothing to set)
 *
 * Return: 0 or a negative errno.
 */
int cr_sock_set_timeo(struct socket *sock, int name, u64 us)
{
	struct __kernel_sock_timeval tv = {
		.tv_sec = div_u64(us, USEC_PER_SEC),
		.tv_usec = do_div(us, USEC_PER_SEC),
	};

	return us ? cr_setsockopt(sock, SOL_SOCKET, name, &tv, sizeof(tv)) : 0;
}

/*
 * Socket filters: a classic BPF program attached with SO_ATTACH_FILTER,
 * and SO_LOCK_FILTER.
 *
 * Checkpoint: NT_CR_SOCK_FILTERS, one entry per socket descriptor with a
 * filter or a lock, its program as SO_GET_FILTER reads it. An eBPF
 * program (SO_ATTACH_BPF), which cannot be read back, a filter of a
 * socket in flight (SCM_RIGHTS), and one of a TCP listener with
 * connections not accepted yet (they would come back without it) refuse
 * the checkpoint.
 *
 * Restore: each program is checked as SO_ATTACH_FILTER checks it before
 * the point of no return; once the process has its descriptors, each is
 * attached with SO_ATTACH_FILTER by the restored process (its program in
 * a page of its memory for that time), then locked. A socket whose
 * filter another process of the tree attached already (one open file) is
 * left as it is.
 */

/* Checkpoint */

/**
 * cr_dump_sock_filter - the filter of socket descriptor @fd, if any
 * @l: the process's entries so far
 * @file: a socket of the process's own (not external)
 * @fd: the descriptor, or -1 for a socket in flight
 *
 * Return: 0, or a negative errno after saying why.
 */
int cr_dump_sock_filter(struct cr_sock_filters *l, struct file *file, int fd)
{
	struct socket *sock = sock_from_file(file);
	struct cr_sock_filter f = { .fd = fd };
	struct sock *sk = sock ? sock->sk : NULL;
	size_t need;
	int n;

	if (!sk)
		return 0;
	if (!rcu_access_pointer(sk->sk_filter) && !sock_flag(sk, SOCK_FILTER_LOCKED))
		return 0;
	if (fd < 0) {
		cr_refuse(current->comm, "checkpoint refused: a socket in flight (SCM_RIGHTS) has a socket filter, not saved yet");
		return -EOPNOTSUPP;
	}
	if (READ_ONCE(sk->sk_state) == TCP_LISTEN && sk->sk_family != AF_UNIX &&
	    inet_csk_reqsk_queue_len(sk)) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: a listener with a socket filter has connections not accepted yet, which would come back without it (accept them, and try again)",
			  fd);
		return -EAGAIN;
	}
	n = sk_get_filter(sk, KERNEL_SOCKPTR(NULL), 0);
	if (n < 0 || n > CR_SOCK_FILTER_MAX) {
		cr_refuse(current->comm, "checkpoint refused: fd %d: an eBPF socket filter (SO_ATTACH_BPF), not saved yet (%d)",
			  fd, n);
		return -EOPNOTSUPP;
	}
	need = l->len + sizeof(f) + n * sizeof(struct cr_bpf_insn);
	if (need > l->cap) {
		size_t cap = max(need, 2 * l->cap);
		u8 *p = kvrealloc(l->buf, cap, GFP_KERNEL_ACCOUNT);

		if (!p)
			return -ENOMEM;
		l->buf = p;
		l->cap = cap;
	}
	if (n && sk_get_filter(sk, KERNEL_SOCKPTR(l->buf + l->len + sizeof(f)), n) != n)
		return -EAGAIN;	/* changed meanwhile: by a process outside the tree */
	f.len = n;
	f.flags = sock_flag(sk, SOCK_FILTER_LOCKED) ? CR_SOCK_FILTER_LOCKED : 0;
	memcpy(l->buf + l->len, &f, sizeof(f));
	l->len = need;
	return 0;
}

/**
 * cr_dump_sock_filters_note - NT_CR_SOCK_FILTERS, if a socket has an entry
 * @d: image being written
 * @l: the entries, freed
 *
 * Return: 0 or a negative errno.
 */
int cr_dump_sock_filters_note(struct cr_dump *d, struct cr_sock_filters *l)
{
	int ret = l->len ? cr_dump_note(d, CR_NOTE_NAME, NT_CR_SOCK_FILTERS, l->buf, l->len) : 0;

	kvfree(l->buf);
	l->buf = NULL;
	l->len = 0;
	l->cap = 0;
	return ret;
}

/* Restore */

/**
 * cr_restore_sock_filters_prepare - check NT_CR_SOCK_FILTERS
 * @r: restore plan, with its descriptors
 *
 * Each program is built as SO_ATTACH_FILTER builds it, so that one it
 * would refuse fails the exec now.
 *
 * Return: 0 or a negative errno, after saying why.
 */
int cr_restore_sock_filters_prepare(struct cr_restore *r)
{
	const struct cr_note *note = cr_image_find_note(r->img, true, NT_CR_SOCK_FILTERS);
	size_t off = 0;
	u32 nr;
	int ret;

	ret = cr_rule_sock_filters(r->img->name, note, r->fd, r->nr_fds, &nr);
	if (ret || !nr)
		return ret;
	r->sfilter = kvmemdup(note->desc, note->size, GFP_KERNEL_ACCOUNT);
	if (!r->sfilter)
		return -ENOMEM;
	r->sfilter_len = note->size;
	while (off < r->sfilter_len) {
		struct cr_sock_filter f;
		struct sock_fprog_kern fp;
		struct bpf_prog *prog;

		memcpy(&f, r->sfilter + off, sizeof(f));
		off += sizeof(f);
		fp.len = f.len;
		fp.filter = (struct sock_filter *)(r->sfilter + off);
		off += f.len * sizeof(struct cr_bpf_insn);
		if (!f.len)
			continue;	/* a lock alone */
		ret = bpf_prog_create(&prog, &fp);
		if (ret) {
			cr_refuse(r->img->name, "fd %d: its socket filter is refused (%d)", f.fd, ret);
			return ret;
		}
		bpf_prog_destroy(prog);
	}
	return 0;
}

/* Attach @f's program to @sock, as SO_ATTACH_FILTER from the process's memory. */
static int cr_sock_attach(struct socket *sock, const struct cr_sock_filter *f,
			  const void *insns)
{
	size_t len = PAGE_ALIGN(f->len * sizeof(struct cr_bpf_insn));
	struct sock_fprog fp = { .len = f->len };
	unsigned long addr;
	int ret;

	addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr))
		return addr;
	fp.filter = (struct sock_filter __user *)addr;
	ret = copy_to_user(fp.filter, insns, f->len * sizeof(struct cr_bpf_insn)) ? -EFAULT : 0;
	if (!ret)
		ret = cr_setsockopt(sock, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp));
	vm_munmap(addr, len);
	return ret;
}

/**
 * cr_restore_sock_filters - attach and lock the socket filters again
 * @buf: the entries (checked by cr_restore_sock_filters_prepare())
 * @len: their size
 *
 * Called by the restored main thread, its descriptor table the image's
 * and its memory its own.
 *
 * Return: 0 or a negative errno.
 */
int cr_restore_sock_filters(const u8 *buf, size_t len)
{
	size_t off = 0;
	int ret = 0;

	while (!ret && off < len) {
		struct cr_sock_filter f;
		struct socket *sock;
		struct file *file;

		memcpy(&f, buf + off, sizeof(f));
		off += sizeof(f);
		file = fget_raw(f.fd);
		sock = file ? sock_from_file(file) : NULL;
		if (!sock || !sock->sk)
			ret = -EBADF;
		else if (f.len && !rcu_access_pointer(sock->sk->sk_filter))
			ret = cr_sock_attach(sock, &f, buf + off);
		if (!ret && (f.flags & CR_SOCK_FILTER_LOCKED) &&
		    !sock_flag(sock->sk, SOCK_FILTER_LOCKED))
			ret = cr_setsockopt_int(sock, SOL_SOCKET, SO_LOCK_FILTER, 1);
		if (ret)
			pr_warn_ratelimited("cr: %s: fd %d: cannot attach its socket filter again (%d)\n",
					    current->comm, f.fd, ret);
		if (file)
			fput(file);
		off += f.len * sizeof(struct cr_bpf_insn);
	}
	return ret;
}
