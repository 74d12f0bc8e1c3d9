// SPDX-License-Identifier: GPL-2.0
/*
 * Socket options, for the socket kinds (inet.c, socket.c): read at
 * checkpoint as the image keeps them, set at restore as setsockopt(2)
 * by the restoring caller would (its LSM hook and permission checks
 * included), from kernel memory.
 */
#include <linux/cr.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/security.h>
#include <linux/sockptr.h>
#include <net/sock.h>

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
