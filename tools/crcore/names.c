// SPDX-License-Identifier: GPL-2.0
/*
 * crcore: names of the values an image holds (signals, flags, kinds), as
 * "show" prints them. The values are those of the x86-64 kernel ABI, not
 * the C library's (glibc's O_LARGEFILE is 0 on x86-64, for one).
 */
#include <arpa/inet.h>
#include <string.h>

#include "crcore.h"

/* Append @s to the string in @buf, separated by '|' (or @sep). */
static void append(char *buf, size_t len, const char *sep, const char *s)
{
	size_t used = strlen(buf);

	if (used + 1 >= len)
		return;
	snprintf(buf + used, len - used, "%s%s", used ? sep : "", s);
}

static void append_hex(char *buf, size_t len, const char *sep, uint64_t v)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)v);
	append(buf, len, sep, hex);
}

struct flag_name {
	uint64_t bit;
	const char *name;
};

/* The names of the bits of @v in @names, then the unnamed ones in hex. */
static void flags_string(uint64_t v, const struct flag_name *names, size_t n,
			 char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v & names[i].bit) {
			append(buf, len, "|", names[i].name);
			v &= ~names[i].bit;
		}
	}
	if (v)
		append_hex(buf, len, "|", v);
}

static const char *const sig_names[32] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

/**
 * signal_name - the name of a signal, as bash's "kill -l" gives it
 * @sig: signal number
 * @buf: room for a made-up name
 * @len: its size
 *
 * Return: the name: SIGHUP .. SIGSYS, SIG32, SIG33, SIGRTMIN+n (34 is
 * SIGRTMIN), SIGRTMAX-n (64 is SIGRTMAX), or SIG<number>.
 */
const char *signal_name(unsigned int sig, char *buf, size_t len)
{
	if (sig >= 1 && sig < 32)
		return sig_names[sig];
	if (sig == 34)
		return "SIGRTMIN";
	if (sig == 64)
		return "SIGRTMAX";
	if (sig > 34 && sig <= 50)
		snprintf(buf, len, "SIGRTMIN+%u", sig - 34);
	else if (sig > 50 && sig < 64)
		snprintf(buf, len, "SIGRTMAX-%u", 64 - sig);
	else
		snprintf(buf, len, "SIG%u", sig);
	return buf;
}

/**
 * wait_status_string - what a zombie's wait status says
 * @code: the status, as wait() reports it
 * @buf: where the text goes: "exited with status 7", "killed by SIGKILL"
 * @len: its size
 */
void wait_status_string(int32_t code, char *buf, size_t len)
{
	char sig[16];

	if (!(code & 0x7f))
		snprintf(buf, len, "exited with status %d", (code >> 8) & 0xff);
	else
		snprintf(buf, len, "killed by %s%s", signal_name(code & 0x7f, sig, sizeof(sig)),
			 code & 0x80 ? ", core dumped" : "");
}

static const char *const rlimit_names[CR_NLIMITS] = {
	"CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC", "NOFILE",
	"MEMLOCK", "AS", "LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO",
	"RTTIME",
};

const char *rlimit_name(unsigned int i)
{
	return i < CR_NLIMITS ? rlimit_names[i] : "?";
}

/* The madvise() advice of one CR_VMA_* flag, or NULL for another flag. */
const char *vma_advice_name(uint32_t flag)
{
	switch (flag) {
	case CR_VMA_DONTFORK: return "dontfork";
	case CR_VMA_WIPEONFORK: return "wipeonfork";
	case CR_VMA_DONTDUMP: return "dontdump";
	case CR_VMA_HUGEPAGE: return "hugepage";
	case CR_VMA_NOHUGEPAGE: return "nohugepage";
	case CR_VMA_MERGEABLE: return "mergeable";
	case CR_VMA_SEQ_READ: return "sequential";
	case CR_VMA_RAND_READ: return "random";
	}
	return NULL;
}

const char *itimer_name(unsigned int i)
{
	static const char *const names[CR_NR_ITIMERS] = { "REAL", "VIRTUAL", "PROF" };

	return i < CR_NR_ITIMERS ? names[i] : "?";
}

const char *fd_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[CR_FD_INHERIT] = "inherit",
		[CR_FD_FILE] = "file",
		[CR_FD_DIR] = "dir",
		[CR_FD_DEV] = "dev",
		[CR_FD_UNLINKED] = "unlinked",
		[CR_FD_PIPE] = "pipe",
		[CR_FD_SOCKET] = "socket",
		[CR_FD_TTY] = "tty",
		[CR_FD_EXTERNAL] = "external",
		[CR_FD_EVENTFD] = "eventfd",
		[CR_FD_SIGNALFD] = "signalfd",
		[CR_FD_TIMERFD] = "timerfd",
		[CR_FD_EPOLL] = "epoll",
		[CR_FD_MEMFD] = "memfd",
		[CR_FD_INET] = "inet",
		[CR_FD_UNIX] = "unix",
		[CR_FD_INOTIFY] = "inotify",
		[CR_FD_MQUEUE] = "mqueue",
		[CR_FD_NETLINK] = "netlink",
		[CR_FD_PIDFD] = "pidfd",
		[CR_FD_PACKET] = "packet",
		[CR_FD_FANOTIFY] = "fanotify",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}

const char *vma_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[CR_VMA_ANON] = "anon",
		[CR_VMA_FILE] = "file",
		[CR_VMA_VDSO] = "vdso",
		[CR_VMA_VVAR] = "vvar",
		[CR_VMA_SYSV] = "sysv",
		[CR_VMA_AIO] = "aio",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}

const char *clock_name(int32_t id)
{
	switch (id) {
	case 0:
		return "CLOCK_REALTIME";
	case 1:
		return "CLOCK_MONOTONIC";
	case 7:
		return "CLOCK_BOOTTIME";
	case 8:
		return "CLOCK_REALTIME_ALARM";
	case 9:
		return "CLOCK_BOOTTIME_ALARM";
	case 11:
		return "CLOCK_TAI";
	/* CPU clocks, as a timer keeps them: of process or thread 0, its own */
	case -8:
		return "process CPU time (prof)";
	case -7:
		return "process user time (virt)";
	case -6:
		return "CLOCK_PROCESS_CPUTIME_ID";
	case -4:
		return "thread CPU time (prof)";
	case -3:
		return "thread user time (virt)";
	case -2:
		return "CLOCK_THREAD_CPUTIME_ID";
	}
	return "unknown";
}

/* Open file status flags, the kernel's values (asm-generic/fcntl.h). */
void open_flags_string(uint32_t flags, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ 02000, "O_APPEND" },
		{ 04000, "O_NONBLOCK" },
		{ 04010000, "O_SYNC" },		/* __O_SYNC | O_DSYNC */
		{ 010000, "O_DSYNC" },
		{ 04000000, "__O_SYNC" },
		{ 040000, "O_DIRECT" },
		{ 0100000, "O_LARGEFILE" },
		{ 0200000, "O_DIRECTORY" },
		{ 01000000, "O_NOATIME" },
		{ 010000000, "O_PATH" },
	};
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	size_t i;

	buf[0] = '\0';
	append(buf, len, "|", acc[flags & 3]);
	flags &= ~3U;
	/* O_SYNC is two bits: name it only when both are set. */
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if ((flags & names[i].bit) == names[i].bit) {
			append(buf, len, "|", names[i].name);
			flags &= ~names[i].bit;
		}
	}
	if (flags)
		append_hex(buf, len, "|", flags);
}

/* sigaction(2) flags, x86-64 values. */
void sa_flags_string(uint64_t flags, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ 0x00000001, "SA_NOCLDSTOP" },
		{ 0x00000002, "SA_NOCLDWAIT" },
		{ 0x00000004, "SA_SIGINFO" },
		{ 0x00000400, "SA_UNSUPPORTED" },
		{ 0x00000800, "SA_EXPOSE_TAGBITS" },
		{ 0x04000000, "SA_RESTORER" },
		{ 0x08000000, "SA_ONSTACK" },
		{ 0x10000000, "SA_RESTART" },
		{ 0x40000000, "SA_NODEFER" },
		{ 0x80000000, "SA_RESETHAND" },
	};

	buf[0] = '\0';
	flags_string(flags, names, ARRAY_SIZE(names), buf, len);
	if (!buf[0])
		append(buf, len, "|", "none");
}

/* A signal set (bit n-1 for signal n) as names separated by ','. */
void sigset_string(uint64_t set, char *buf, size_t len)
{
	unsigned int sig;

	buf[0] = '\0';
	for (sig = 1; sig <= 64; sig++) {
		char tmp[16];

		if (set & (1ULL << (sig - 1)))
			append(buf, len, ",", signal_name(sig, tmp, sizeof(tmp)));
	}
	if (!buf[0])
		append(buf, len, ",", "none");
}

/**
 * epoll_events_string - an epoll target's event mask, as names
 * @events: EPOLLIN, ..., EPOLLET (the x86-64 kernel's values)
 * @brief: without the "EPOLL" of each name: "IN|ET"
 * @buf: where the text goes: "EPOLLIN|EPOLLET", or "none"
 * @len: its size
 */
void epoll_events_string(uint32_t events, bool brief, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ 0x001, "EPOLLIN" },
		{ 0x002, "EPOLLPRI" },
		{ 0x004, "EPOLLOUT" },
		{ 0x008, "EPOLLERR" },
		{ 0x010, "EPOLLHUP" },
		{ 0x020, "EPOLLNVAL" },
		{ 0x040, "EPOLLRDNORM" },
		{ 0x080, "EPOLLRDBAND" },
		{ 0x100, "EPOLLWRNORM" },
		{ 0x200, "EPOLLWRBAND" },
		{ 0x400, "EPOLLMSG" },
		{ 0x2000, "EPOLLRDHUP" },
		{ 1U << 28, "EPOLLEXCLUSIVE" },
		{ 1U << 29, "EPOLLWAKEUP" },
		{ 1U << 30, "EPOLLONESHOT" },
		{ 1U << 31, "EPOLLET" },
	};
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (events & names[i].bit) {
			append(buf, len, "|", names[i].name + (brief ? 5 : 0));
			events &= ~names[i].bit;
		}
	}
	if (events)
		append_hex(buf, len, "|", events);
	if (!buf[0])
		append(buf, len, "|", "none");
}

/* XSAVE state components (the kernel's enum xfeature). */
void xfeatures_string(uint64_t features, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ 1ULL << 0, "x87" },
		{ 1ULL << 1, "sse" },
		{ 1ULL << 2, "avx" },
		{ 1ULL << 3, "mpx_bndregs" },
		{ 1ULL << 4, "mpx_bndcsr" },
		{ 1ULL << 5, "avx512_opmask" },
		{ 1ULL << 6, "avx512_zmm_hi256" },
		{ 1ULL << 7, "avx512_hi16_zmm" },
		{ 1ULL << 8, "pt" },
		{ 1ULL << 9, "pkru" },
		{ 1ULL << 10, "pasid" },
		{ 1ULL << 11, "cet_user" },
		{ 1ULL << 12, "cet_kernel" },
		{ 1ULL << 15, "lbr" },
		{ 1ULL << 17, "amx_tilecfg" },
		{ 1ULL << 18, "amx_tiledata" },
	};

	buf[0] = '\0';
	flags_string(features, names, ARRAY_SIZE(names), buf, len);
	if (!buf[0])
		append(buf, len, "|", "none");
}

const char *sched_policy_name(uint32_t policy)
{
	static const char *const names[] = {
		[0] = "SCHED_OTHER", [1] = "SCHED_FIFO", [2] = "SCHED_RR",
		[3] = "SCHED_BATCH", [5] = "SCHED_IDLE", [6] = "SCHED_DEADLINE",
	};

	return policy < ARRAY_SIZE(names) && names[policy] ? names[policy] : "unknown";
}

/* The CPUs of @s as a list ("0-3,6"), "all" for every CPU. */
void cpus_string(const struct cr_sched *s, char *buf, size_t size)
{
	unsigned int cpu, n = s->nr_cpus < CR_SCHED_MAX_CPUS ? s->nr_cpus : CR_SCHED_MAX_CPUS;
	size_t len = 0;

	buf[0] = '\0';
	if (!s->nr_cpus) {
		snprintf(buf, size, "all");
		return;
	}
	for (cpu = 0; cpu < n; cpu++) {
		unsigned int end = cpu;

		if (!(s->cpus[cpu / 64] & (1ULL << (cpu % 64))))
			continue;
		while (end + 1 < n && (s->cpus[(end + 1) / 64] & (1ULL << ((end + 1) % 64))))
			end++;
		if (len < size)
			len += snprintf(buf + len, size - len, "%s%u", len ? "," : "", cpu);
		if (end > cpu && len < size)
			len += snprintf(buf + len, size - len, "-%u", end);
		cpu = end;
	}
	if (!len)
		snprintf(buf, size, "none");
}

void mm_flags_string(uint32_t flags, char *buf, size_t size)
{
	static const struct { uint32_t bit; const char *name; } f[] = {
		{ CR_MM_THP_DISABLE, "THP_DISABLE" }, { CR_MM_MDWE, "MDWE" },
		{ CR_MM_MDWE_NO_INHERIT, "MDWE_NO_INHERIT" }, { CR_MM_MERGE_ANY, "MERGE_ANY" },
		{ CR_MM_LOCK_FUTURE, "MCL_FUTURE" }, { CR_MM_LOCK_ONFAULT, "MCL_ONFAULT" },
	};
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(f); i++)
		if ((flags & f[i].bit) && len < size)
			len += snprintf(buf + len, size - len, "%s%s", len ? "|" : "", f[i].name);
	if ((flags & ~CR_MM_FLAGS) && len < size)
		len += snprintf(buf + len, size - len, "%s%#x", len ? "|" : "",
				flags & ~CR_MM_FLAGS);
	if (!len)
		snprintf(buf, size, "none");
}

const char *lock_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		[CR_LOCK_FLOCK] = "flock", [CR_LOCK_POSIX] = "posix", [CR_LOCK_OFD] = "ofd",
		[CR_LOCK_LEASE] = "lease",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}

/**
 * thread_prctl_string - what prctl() set on a thread, as its flags say it
 * @flags: struct cr_hdr_thread.flags
 * @spec: struct cr_hdr_thread.spec
 * @buf: where the text goes: "tsc-sigsegv mce-kill-early io-flusher
 *	ssb-force-disable", or "none"
 * @len: its size
 */
void thread_prctl_string(uint32_t flags, uint32_t spec, char *buf, size_t len)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} specs[] = {
		{ CR_SPEC_SSB_DISABLE, "ssb-disable" }, { CR_SPEC_SSB_FORCE, "ssb-force-disable" },
		{ CR_SPEC_SSB_NOEXEC, "ssb-disable-noexec" }, { CR_SPEC_IB_DISABLE, "ib-disable" },
		{ CR_SPEC_IB_FORCE, "ib-force-disable" }, { CR_SPEC_L1D_FLUSH, "l1d-flush" },
	};
	size_t n = 0, i;

	buf[0] = '\0';
	if ((flags & CR_THREAD_NOTSC) && n < len)
		n += snprintf(buf + n, len - n, "%stsc-sigsegv", n ? " " : "");
	if ((flags & CR_THREAD_MCE_KILL) && n < len)
		n += snprintf(buf + n, len - n, "%smce-kill-%s", n ? " " : "",
			      flags & CR_THREAD_MCE_EARLY ? "early" : "late");
	if ((flags & CR_THREAD_IO_FLUSHER) && n < len)
		n += snprintf(buf + n, len - n, "%sio-flusher", n ? " " : "");
	if ((flags & ~CR_THREAD_FLAGS) && n < len)
		n += snprintf(buf + n, len - n, "%s%#x", n ? " " : "", flags & ~CR_THREAD_FLAGS);
	for (i = 0; i < ARRAY_SIZE(specs); i++)
		if ((spec & specs[i].bit) && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "", specs[i].name);
	if ((spec & ~CR_SPEC_FLAGS) && n < len)
		n += snprintf(buf + n, len - n, "%sspec %#x", n ? " " : "", spec & ~CR_SPEC_FLAGS);
	if (!n)
		snprintf(buf, len, "none");
}

/* struct cr_lock.flags of a lease, as a suffix for "crcore show". */
const char *lease_break_name(uint32_t flags)
{
	switch (flags) {
	case 0: return "";
	case CR_LEASE_BREAK_UNLCK: return ", being broken (F_UNLCK)";
	case CR_LEASE_BREAK_RDLCK: return ", being broken (F_RDLCK)";
	default: return ", unknown flags";
	}
}

const char *sigev_notify_name(int32_t notify)
{
	switch (notify) {
	case 0: return "SIGEV_SIGNAL";
	case 1: return "SIGEV_NONE";
	case 2: return "SIGEV_THREAD";
	case 4: return "SIGEV_THREAD_ID";
	default: return "unknown";
	}
}

/**
 * inet_flags_string - the CR_INET_* flags of a TCP, UDP or UDP-Lite socket, as names
 * @flags: struct cr_inet.flags
 * @buf: where the text goes: "BOUND|REUSEADDR|NODELAY", an unknown bit in
 *	hex, or "none"
 * @len: its size
 */
void inet_flags_string(uint32_t flags, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ CR_INET_BOUND, "BOUND" },
		{ CR_INET_REUSEADDR, "REUSEADDR" },
		{ CR_INET_REUSEPORT, "REUSEPORT" },
		{ CR_INET_KEEPALIVE, "KEEPALIVE" },
		{ CR_INET_BROADCAST, "BROADCAST" },
		{ CR_INET_OOBINLINE, "OOBINLINE" },
		{ CR_INET_LINGER, "LINGER" },
		{ CR_INET_RCVBUF, "RCVBUF" },
		{ CR_INET_SNDBUF, "SNDBUF" },
		{ CR_INET_V6ONLY, "V6ONLY" },
		{ CR_INET_NODELAY, "NODELAY" },
		{ CR_INET_FREEBIND, "FREEBIND" },
		{ CR_INET_CORK, "CORK" },
		{ CR_INET_RECVERR, "RECVERR" },
		{ CR_INET_PKTINFO, "PKTINFO" },
		{ CR_INET_RECVTTL, "RECVTTL" },
		{ CR_INET_RECVTOS, "RECVTOS" },
		{ CR_INET_ORIGDSTADDR, "ORIGDSTADDR" },
		{ CR_INET_MC_TTL, "MC_TTL" },
		{ CR_INET_MC_NOLOOP, "MC_NOLOOP" },
		{ CR_INET_MC_IF, "MC_IF" },
		{ CR_INET6_RECVPKTINFO, "RECVPKTINFO6" },
		{ CR_INET6_RECVHOPLIMIT, "RECVHOPLIMIT6" },
		{ CR_INET6_RECVTCLASS, "RECVTCLASS6" },
		{ CR_INET6_RECVORIGDSTADDR, "RECVORIGDSTADDR6" },
		{ CR_INET6_RECVERR, "RECVERR6" },
		{ CR_INET_SHUT_RD, "SHUT_RD" },
		{ CR_INET_SHUT_WR, "SHUT_WR" },
		{ CR_UDP_SEND_CSCOV, "SEND_CSCOV" },
		{ CR_UDP_RECV_CSCOV, "RECV_CSCOV" },
	};

	buf[0] = '\0';
	flags_string(flags, names, ARRAY_SIZE(names), buf, len);
	if (!buf[0])
		append(buf, len, "|", "none");
}

/* The CR_TCP_* options of a connection: "SACK|TIMESTAMPS|WSCALE", or "none". */
void tcp_options_string(uint32_t options, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ CR_TCP_SACK, "SACK" },
		{ CR_TCP_TIMESTAMPS, "TIMESTAMPS" },
		{ CR_TCP_WSCALE, "WSCALE" },
		{ CR_TCP_FIN_IN, "FIN_IN" },
		{ CR_TCP_FIN_READ, "FIN_READ" },
		{ CR_TCP_FIN_OUT, "FIN_OUT" },
		{ CR_TCP_FIN_QUEUED, "FIN_QUEUED" },
		{ CR_TCP_CLOSING, "CLOSING" },
	};

	buf[0] = '\0';
	flags_string(options, names, ARRAY_SIZE(names), buf, len);
	if (!buf[0])
		append(buf, len, "|", "none");
}

/* struct cr_inet.state: "closed", "listen", "connected", "connecting" or "unknown". */
const char *inet_state_name(uint32_t state)
{
	static const char *const names[] = {
		[CR_INET_CLOSED] = "closed",
		[CR_INET_LISTEN] = "listen",
		[CR_INET_CONNECTED] = "connected",
		[CR_INET_CONNECTING] = "connecting",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

/*
 * struct cr_inet.pmtudisc, IP_MTU_DISCOVER's IP_PMTUDISC_* (IPv6's have
 * the same values): "dont", "want" (the default), "do", "probe",
 * "interface", "omit", or NULL for another value.
 */
const char *inet_pmtudisc_name(uint32_t pmtudisc)
{
	static const char *const names[] = {
		"dont", "want", "do", "probe", "interface", "omit",
	};

	return pmtudisc < ARRAY_SIZE(names) ? names[pmtudisc] : NULL;
}

/* "tcp4", "tcp6", "udp4", "udp6", or NULL for another family or protocol. */
const char *inet_proto_name(uint32_t family, uint32_t protocol)
{
	bool v6 = family == AF_INET6;

	if (family != AF_INET && !v6)
		return NULL;
	if (protocol == IPPROTO_TCP)
		return v6 ? "tcp6" : "tcp4";
	if (protocol == IPPROTO_UDP)
		return v6 ? "udp6" : "udp4";
	if (protocol == IPPROTO_UDPLITE)
		return v6 ? "udplite6" : "udplite4";
	return NULL;
}

/**
 * inet_addr_string - an address of a TCP or UDP socket, as inet_ntop() writes it
 * @in: the socket, for its family
 * @addr: its @src or @dst
 * @buf: where the text goes: "127.0.0.1", "::1", "::ffff:10.0.0.1", or ""
 *	for an unknown family
 * @len: its size, at least INET6_ADDRSTRLEN
 */
void inet_addr_string(const struct cr_inet *in, const uint8_t *addr, char *buf, size_t len)
{
	buf[0] = '\0';
	if ((in->family != AF_INET && in->family != AF_INET6) ||
	    !inet_ntop(in->family, addr, buf, len))
		buf[0] = '\0';
}

/**
 * inet_endpoint_string - an address and port: "127.0.0.1:80", "[::1]:80"
 * @in: the socket, for its family
 * @addr: its @src or @dst
 * @port: its @src_port or @dst_port, host byte order
 * @buf: where the text goes ("?:80" for an unknown family)
 * @len: its size
 */
void inet_endpoint_string(const struct cr_inet *in, const uint8_t *addr, uint16_t port,
			  char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_addr_string(in, addr, a, sizeof(a));
	if (!a[0])
		snprintf(buf, len, "?:%u", port);
	else
		snprintf(buf, len, in->family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

/* A socket's type: "stream", "dgram", "seqpacket", or "unknown". */
const char *sock_type_name(uint32_t type)
{
	switch (type) {
	case 1:
		return "stream";
	case 2:
		return "dgram";
	case 5:
		return "seqpacket";
	default:
		return "unknown";
	}
}

/* The CR_UNIX_* flags of a unix socket: "PASSCRED|RCVBUF|SNDBUF", or "none". */
void unix_flags_string(uint32_t flags, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ CR_UNIX_PASSCRED, "PASSCRED" },
		{ CR_UNIX_RCVBUF, "RCVBUF" },
		{ CR_UNIX_SNDBUF, "SNDBUF" },
	};

	buf[0] = '\0';
	flags_string(flags, names, ARRAY_SIZE(names), buf, len);
	if (!buf[0])
		append(buf, len, "|", "none");
}

/* struct cr_unix.state: "closed", "listen", "connected", "pending" or "unknown". */
const char *unix_state_name(uint32_t state)
{
	static const char *const names[] = {
		[CR_UNIX_CLOSED] = "closed",
		[CR_UNIX_LISTEN] = "listen",
		[CR_UNIX_CONNECTED] = "connected",
		[CR_UNIX_PENDING] = "pending",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

/**
 * unix_addr_bytes - the bytes of a unix socket's address, as crcore shows it
 * @addr: struct cr_unix.name or .peer
 * @addr_len: its @name_len or @peer_len (at most CR_UNIX_PATH_MAX counts)
 * @buf: where the bytes go: a path without its NUL, or an abstract name
 *	as "@" and the bytes after its NUL; "" when not bound
 * @len: its size, at least CR_UNIX_PATH_MAX + 1
 *
 * Return: the number of bytes in @buf, which may hold NULs and other
 * bytes that are not printable (unix_addr_string() escapes them).
 */
size_t unix_addr_bytes(const char *addr, uint16_t addr_len, char *buf, size_t len)
{
	size_t n = addr_len < CR_UNIX_PATH_MAX ? addr_len : CR_UNIX_PATH_MAX;

	if (!n || len < CR_UNIX_PATH_MAX + 1)
		return 0;
	if (!addr[0]) {			/* abstract: "@" for its first NUL */
		buf[0] = '@';
		memcpy(buf + 1, addr + 1, n - 1);
		return n;
	}
	if (!addr[n - 1])		/* a path: without its NUL */
		n--;
	memcpy(buf, addr, n);
	return n;
}

/**
 * unix_addr_string - the address of a unix socket, printable
 * @addr: struct cr_unix.name or .peer
 * @addr_len: its @name_len or @peer_len
 * @buf: where the text goes: "/tmp/x.sock", "@name" for an abstract
 *	name, with "\\" and the bytes that are not printable as "\\xNN";
 *	"" when not bound
 * @len: its size, at least 4 * CR_UNIX_PATH_MAX + 1
 */
void unix_addr_string(const char *addr, uint16_t addr_len, char *buf, size_t len)
{
	char bytes[CR_UNIX_PATH_MAX + 1];
	size_t n, i, used = 0;

	n = unix_addr_bytes(addr, addr_len, bytes, sizeof(bytes));
	buf[0] = '\0';
	for (i = 0; i < n && used + 5 <= len; i++) {
		unsigned char c = bytes[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[used++] = c;
		else
			used += snprintf(buf + used, len - used, "\\x%02x", c);
		buf[used] = '\0';
	}
}

/* struct cr_fown.type: "none", "process", "thread", "pgrp" or "unknown". */
const char *fown_type_name(uint32_t type)
{
	static const char *const names[] = {
		[CR_FOWN_NONE] = "none",
		[CR_FOWN_PROCESS] = "process",
		[CR_FOWN_THREAD] = "thread",
		[CR_FOWN_PGRP] = "pgrp",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

/**
 * fown_string - the signal-driven I/O of a descriptor, as show and diff say it
 * @o: its struct cr_fown, or NULL for none
 * @buf: where the text goes: its owner ("none", "process itself" for id
 *	0, "process 123", "thread 124", "its own group" for id 0, "group
 *	120"), then ", signal SIGRTMIN+5" when F_SETSIG set one, ", O_ASYNC"
 *	when on, and unknown flags in hex; "none" for NULL
 * @len: its size
 */
void fown_string(const struct cr_fown *o, char *buf, size_t len)
{
	char sig[16];
	size_t used;

	if (!o) {
		snprintf(buf, len, "none");
		return;
	}
	switch (o->type) {
	case CR_FOWN_NONE:
		snprintf(buf, len, o->id ? "none (id %d)" : "none", o->id);
		break;
	case CR_FOWN_PROCESS:
		snprintf(buf, len, o->id ? "process %d" : "process itself", o->id);
		break;
	case CR_FOWN_THREAD:
		snprintf(buf, len, "thread %d", o->id);
		break;
	case CR_FOWN_PGRP:
		snprintf(buf, len, o->id ? "group %d" : "its own group", o->id);
		break;
	default:
		snprintf(buf, len, "type %u id %d", o->type, o->id);
		break;
	}
	used = strlen(buf);
	if (o->signum > 0 && used < len)
		used += snprintf(buf + used, len - used, ", signal %s",
				 signal_name(o->signum, sig, sizeof(sig)));
	else if (o->signum < 0 && used < len)
		used += snprintf(buf + used, len - used, ", signal %d", o->signum);
	if ((o->flags & CR_FOWN_ASYNC) && used < len)
		used += snprintf(buf + used, len - used, ", O_ASYNC");
	if ((o->flags & ~CR_FOWN_ASYNC) && used < len)
		snprintf(buf + used, len - used, ", flags %#x", o->flags & ~CR_FOWN_ASYNC);
}

/* The capabilities of <linux/capability.h>, bit N for capability N. */
static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

/* Every capability cap_names names: the full set. */
#define CAPS_ALL	((1ULL << ARRAY_SIZE(cap_names)) - 1)

/**
 * cap_name - the name of a capability
 * @cap: its number, the bit of a capability set
 * @buf: room for a made-up name
 * @len: its size
 *
 * Return: CAP_CHOWN .. CAP_CHECKPOINT_RESTORE, or CAP_<number> for one
 * no kernel the format knows has.
 */
const char *cap_name(unsigned int cap, char *buf, size_t len)
{
	if (cap < ARRAY_SIZE(cap_names))
		return cap_names[cap];
	snprintf(buf, len, "CAP_%u", cap);
	return buf;
}

/* The names of the capabilities of @set, separated by ','. */
static void cap_list(uint64_t set, char *buf, size_t len)
{
	unsigned int cap;

	for (cap = 0; cap < 64; cap++) {
		char tmp[16];

		if (set & (1ULL << cap))
			append(buf, len, ",", cap_name(cap, tmp, sizeof(tmp)));
	}
}

/**
 * caps_string - a capability set, as show and diff say it
 * @set: bit N for capability N
 * @buf: where the text goes: "none"; "all" for every capability; the
 *	names of at most CAPS_NAMED capabilities ("CAP_CHOWN,CAP_KILL");
 *	"all but " and the names of at most CAPS_NAMED missing ones; else
 *	the set in hex and how many it has ("0xa80425fb (14 capabilities)")
 * @len: its size
 */
void caps_string(uint64_t set, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!set) {
		snprintf(buf, len, "none");
	} else if (set == CAPS_ALL) {
		snprintf(buf, len, "all");
	} else if (__builtin_popcountll(set) <= CAPS_NAMED) {
		cap_list(set, buf, len);
	} else if (!(set & ~CAPS_ALL) && __builtin_popcountll(CAPS_ALL & ~set) <= CAPS_NAMED) {
		snprintf(buf, len, "all but ");
		cap_list(CAPS_ALL & ~set, buf + strlen(buf), len - strlen(buf));
	} else {
		snprintf(buf, len, "%#llx (%d capabilities)", (unsigned long long)set,
			 __builtin_popcountll(set));
	}
}

/* prctl(PR_GET_SECUREBITS): the SECBIT_* of <linux/securebits.h>, or "none". */
void securebits_string(uint32_t bits, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ 1U << 0, "SECBIT_NOROOT" },
		{ 1U << 1, "SECBIT_NOROOT_LOCKED" },
		{ 1U << 2, "SECBIT_NO_SETUID_FIXUP" },
		{ 1U << 3, "SECBIT_NO_SETUID_FIXUP_LOCKED" },
		{ 1U << 4, "SECBIT_KEEP_CAPS" },
		{ 1U << 5, "SECBIT_KEEP_CAPS_LOCKED" },
		{ 1U << 6, "SECBIT_NO_CAP_AMBIENT_RAISE" },
		{ 1U << 7, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED" },
	};

	buf[0] = '\0';
	flags_string(bits, names, ARRAY_SIZE(names), buf, len);
	if (!buf[0])
		append(buf, len, "|", "none");
}

/**
 * groups_string - supplementary groups, as show and diff list them
 * @groups: @nr group ids, __u32 each (unaligned)
 * @nr: how many
 * @buf: where the text goes: "4,24,27", "none"; after GROUPS_SHOWN ids,
 *	" ... N more"
 * @len: its size, GROUPS_STRING_SIZE for the whole list
 */
void groups_string(const unsigned char *groups, uint32_t nr, char *buf, size_t len)
{
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < nr && i < GROUPS_SHOWN; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%u", get_u32(groups + (uint64_t)i * 4));
		append(buf, len, ",", id);
	}
	if (nr > GROUPS_SHOWN) {
		char more[32];

		snprintf(more, sizeof(more), " ... %u more", nr - GROUPS_SHOWN);
		append(buf, len, "", more);
	}
	if (!nr)
		append(buf, len, ",", "none");
}

/**
 * sock_opts_string - the options of an NT_CR_SOCK_OPTS entry, as names
 * @o: the entry
 * @buf: where the text goes: "SO_TIMESTAMP|TCP_CONGESTION reno"
 * @len: its size
 */
void sock_opts_string(const struct cr_sock_opts *o, char *buf, size_t len)
{
	static const struct flag_name names[] = {
		{ CR_SOCK_OPT_TIMESTAMP, "SO_TIMESTAMP" },
		{ CR_SOCK_OPT_TIMESTAMPNS, "SO_TIMESTAMPNS" },
		{ CR_SOCK_OPT_TSTAMP_NEW, "TSTAMP_NEW" },
		{ CR_SOCK_OPT_PASSCRED, "SO_PASSCRED" },
		{ CR_SOCK_OPT_PASSSEC, "SO_PASSSEC" },
		{ CR_SOCK_OPT_SELECT_ERR_QUEUE, "SO_SELECT_ERR_QUEUE" },
		{ CR_SOCK_OPT_RCVMARK, "SO_RCVMARK" },
		{ CR_SOCK_OPT_BIND_NO_PORT, "IP_BIND_ADDRESS_NO_PORT" },
		{ CR_SOCK_OPT_RECVOPTS, "IP_RECVOPTS" },
		{ CR_SOCK_OPT_RETOPTS, "IP_RETOPTS" },
		{ CR_SOCK_OPT_IP_PASSSEC, "IP_PASSSEC" },
		{ CR_SOCK_OPT_CHECKSUM, "IP_CHECKSUM" },
		{ CR_SOCK_OPT_RECVFRAGSIZE, "IP_RECVFRAGSIZE" },
		{ CR_SOCK_OPT_TCP_INQ, "TCP_INQ" },
		{ CR_SOCK_OPT_THIN_LTO, "TCP_THIN_LINEAR_TIMEOUTS" },
		{ CR_SOCK_OPT_TRANSPARENT, "IP_TRANSPARENT" },
		{ CR_SOCK_OPT_RFC4884, "IP_RECVERR_RFC4884" },
		{ CR_SOCK_OPT_ZEROCOPY, "SO_ZEROCOPY" },
		{ CR_SOCK_OPT_RECVRTHDR, "IPV6_RECVRTHDR" },
		{ CR_SOCK_OPT_RECVHOPOPTS, "IPV6_RECVHOPOPTS" },
		{ CR_SOCK_OPT_RECVDSTOPTS, "IPV6_RECVDSTOPTS" },
		{ CR_SOCK_OPT_RECVPATHMTU, "IPV6_RECVPATHMTU" },
		{ CR_SOCK_OPT_FLOWINFO, "IPV6_FLOWINFO" },
		{ CR_SOCK_OPT_V6FRAGSIZE, "IPV6_RECVFRAGSIZE" },
	};
	const uint32_t valued = CR_SOCK_OPT_DEFER_ACCEPT | CR_SOCK_OPT_CONGESTION |
				CR_SOCK_OPT_TIMESTAMPING | CR_SOCK_OPT_RXQ_OVFL |
				CR_SOCK_OPT_PEEK_OFF | CR_SOCK_OPT_SAVE_SYN |
				CR_SOCK_OPT_TX_DELAY | CR_SOCK_OPT_TXTIME;
	char t[64];

	buf[0] = '\0';
	flags_string(o->flags & ~valued, names, ARRAY_SIZE(names), buf, len);
	if (o->flags & CR_SOCK_OPT_DEFER_ACCEPT) {
		snprintf(t, sizeof(t), "TCP_DEFER_ACCEPT %us", o->defer_accept);
		append(buf, len, "|", t);
	}
	if (o->flags & CR_SOCK_OPT_CONGESTION) {
		snprintf(t, sizeof(t), "TCP_CONGESTION %.16s", o->congestion);
		append(buf, len, "|", t);
	}
	if (o->flags & CR_SOCK_OPT_TIMESTAMPING) {
		snprintf(t, sizeof(t), "SO_TIMESTAMPING %#x", o->tsflags);
		append(buf, len, "|", t);
	}
	if (o->flags & CR_SOCK_OPT_RXQ_OVFL) {
		snprintf(t, sizeof(t), "SO_RXQ_OVFL %u dropped", o->drops);
		append(buf, len, "|", t);
	}
	if (o->flags & CR_SOCK_OPT_PEEK_OFF) {
		snprintf(t, sizeof(t), "SO_PEEK_OFF %d", o->peek_off);
		append(buf, len, "|", t);
	}
	if (o->flags & CR_SOCK_OPT_SAVE_SYN) {
		snprintf(t, sizeof(t), "TCP_SAVE_SYN %u", o->save_syn);
		append(buf, len, "|", t);
	}
	if (o->flags & CR_SOCK_OPT_TX_DELAY) {
		snprintf(t, sizeof(t), "TCP_TX_DELAY %uus", o->tx_delay);
		append(buf, len, "|", t);
	}
	if (o->flags & CR_SOCK_OPT_TXTIME) {
		snprintf(t, sizeof(t), "SO_TXTIME clock %d flags %#x", o->txtime_clockid,
			 o->txtime_flags);
		append(buf, len, "|", t);
	}
}
