// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the image rules (kernel/cr/rules.c, which includes this
 * file; the same rules crcore runs in userspace).
 */
#include <kunit/test.h>

/* Append one note to @buf at @off; returns the new length. */
static size_t kt_note(u8 *buf, size_t off, const char *name, u32 namesz,
		      u32 type, u32 descsz)
{
	struct elf64_note nh = {
		.n_namesz = namesz, .n_descsz = descsz, .n_type = type,
	};

	memcpy(buf + off, &nh, sizeof(nh));
	off += sizeof(nh);
	memcpy(buf + off, name, min_t(size_t, namesz, strlen(name) + 1));
	off += ALIGN(namesz, CR_NOTE_ALIGN);
	memset(buf + off, 0x5a, descsz);
	return off + ALIGN(descsz, CR_NOTE_ALIGN);
}

static void cr_rule_notes_valid(struct kunit *test)
{
	struct cr_note out[3];
	unsigned int count;
	u8 buf[256];
	size_t len;

	len = kt_note(buf, 0, CR_NOTE_NAME, sizeof(CR_NOTE_NAME), NT_CR_HEADER, 13);
	len = kt_note(buf, len, "CORE", 5, NT_PRSTATUS, 8);
	len = kt_note(buf, len, "", 0, 7, 0);

	KUNIT_ASSERT_EQ(test, cr_rule_notes("kunit", buf, len, NULL, &count), 0);
	KUNIT_ASSERT_EQ(test, count, 3);
	KUNIT_ASSERT_EQ(test, cr_rule_notes("kunit", buf, len, out, &count), 0);
	KUNIT_EXPECT_TRUE(test, out[0].ours);
	KUNIT_EXPECT_EQ(test, out[0].type, NT_CR_HEADER);
	KUNIT_EXPECT_EQ(test, out[0].size, 13);
	KUNIT_EXPECT_PTR_EQ(test, out[0].desc, (const void *)(buf + 12 + 8));
	KUNIT_EXPECT_FALSE(test, out[1].ours);
	KUNIT_EXPECT_EQ(test, out[1].type, NT_PRSTATUS);
	KUNIT_EXPECT_EQ(test, out[2].size, 0);

	KUNIT_EXPECT_EQ(test, cr_rule_notes("kunit", buf, 0, NULL, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 0);
}

static void cr_rule_notes_malformed(struct kunit *test)
{
	unsigned int count;
	u8 buf[256];
	size_t len;

	len = kt_note(buf, 0, "CORE", 5, NT_PRSTATUS, 8);
	/* Cut inside the header, the name and the descriptor. */
	KUNIT_EXPECT_EQ(test, cr_rule_notes("kunit", buf, 6, NULL, &count), -EINVAL);
	KUNIT_EXPECT_EQ(test, cr_rule_notes("kunit", buf, 14, NULL, &count), -EINVAL);
	KUNIT_EXPECT_EQ(test, cr_rule_notes("kunit", buf, len - 4, NULL, &count), -EINVAL);

	/* Name not NUL-terminated. */
	len = kt_note(buf, 0, "COREX", 4, NT_PRSTATUS, 8);
	KUNIT_EXPECT_EQ(test, cr_rule_notes("kunit", buf, len, NULL, &count), -EINVAL);

	/* Sizes that would wrap around. */
	len = kt_note(buf, 0, "CORE", 5, NT_PRSTATUS, 8);
	((struct elf64_note *)buf)->n_descsz = 0xfffffffc;
	KUNIT_EXPECT_EQ(test, cr_rule_notes("kunit", buf, len, NULL, &count), -EINVAL);
	((struct elf64_note *)buf)->n_descsz = 8;
	((struct elf64_note *)buf)->n_namesz = 0xffffffff;
	KUNIT_EXPECT_EQ(test, cr_rule_notes("kunit", buf, len, NULL, &count), -EINVAL);
}

static void cr_rule_segments_cases(struct kunit *test)
{
	struct elf64_phdr ph[3] = {
		{ .p_type = PT_NOTE, .p_offset = 0x100, .p_filesz = 0x100 },
		{ .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = 0x400000,
		  .p_filesz = 0x1000, .p_memsz = 0x2000 },
		{ .p_type = PT_LOAD, .p_offset = 0x2000, .p_vaddr = 0x402000,
		  .p_filesz = 0, .p_memsz = 0x1000 },
	};
	KUNIT_EXPECT_EQ(test, cr_rule_segments("kunit", ph, 3, 0x2000, false), 0);

	ph[2].p_vaddr = 0x401000;			/* overlaps */
	KUNIT_EXPECT_EQ(test, cr_rule_segments("kunit", ph, 3, 0x2000, false), -EINVAL);
	ph[2].p_vaddr = 0x402000;

	ph[1].p_filesz = 0x1001;			/* past end of file */
	KUNIT_EXPECT_EQ(test, cr_rule_segments("kunit", ph, 3, 0x2000, false), -EINVAL);
	ph[1].p_filesz = 0x1000;

	ph[1].p_offset = 0x1008;			/* unaligned data */
	KUNIT_EXPECT_EQ(test, cr_rule_segments("kunit", ph, 3, 0x2000, false), -EINVAL);
	ph[1].p_offset = 0x1000;

	ph[2].p_vaddr = TASK_SIZE_MAX - 0x1000 + PAGE_SIZE;	/* wraps */
	KUNIT_EXPECT_EQ(test, cr_rule_segments("kunit", ph, 3, 0x2000, false), -EINVAL);
	ph[2].p_vaddr = 0x402000;

	ph[2].p_type = PT_NOTE;				/* second note segment */
	KUNIT_EXPECT_EQ(test, cr_rule_segments("kunit", ph, 3, 0x2000, false), -EINVAL);
	ph[2].p_type = PT_LOAD;

	ph[0].p_filesz = 0x2000;			/* notes past end */
	KUNIT_EXPECT_EQ(test, cr_rule_segments("kunit", ph, 3, 0x2000, false), -EINVAL);
}

/* A valid header note, then one field at a time made wrong. */
static void cr_rule_header_cases(struct kunit *test)
{
	struct cr_hdr_image h = {
		.magic = CR_IMAGE_MAGIC, .version = CR_IMAGE_VERSION,
		.hdr_size = sizeof(h), .e_machine = EM_X86_64,
		.page_shift = PAGE_SHIFT, .nr_processes = 1, .nr_threads = 1,
	}, out;
	struct cr_note note = {
		.type = NT_CR_HEADER, .size = sizeof(h), .ours = true, .desc = &h,
	};

	KUNIT_EXPECT_EQ(test, cr_rule_header("kunit", &note, 1, &out), 0);
	KUNIT_EXPECT_EQ(test, cr_arch_rule_machine("kunit", EM_X86_64, &out), 0);
	KUNIT_EXPECT_EQ(test, cr_arch_rule_machine("kunit", EM_386, &out), -ENOEXEC);
	KUNIT_EXPECT_EQ(test, cr_rule_header("kunit", &note, 0, &out), -EINVAL);
	h.version++;
	KUNIT_EXPECT_EQ(test, cr_rule_header("kunit", &note, 1, &out), -ENOEXEC);
	h.version--;
	h.nr_threads = 0;
	KUNIT_EXPECT_EQ(test, cr_rule_header("kunit", &note, 1, &out), -EINVAL);
	h.nr_threads = 1;
	h.flags = 1;
	KUNIT_EXPECT_EQ(test, cr_rule_header("kunit", &note, 1, &out), -EINVAL);
	h.flags = 0;
	note.size--;
	KUNIT_EXPECT_EQ(test, cr_rule_header("kunit", &note, 1, &out), -EINVAL);
}

static void cr_rule_thread_cases(struct kunit *test)
{
	struct cr_hdr_thread th = { .tid = 42, .flags = CR_THREAD_LEADER }, out;
	struct cr_note note = {
		.type = NT_CR_THREAD, .size = sizeof(th), .ours = true, .desc = &th,
	};
	struct cr_sigpending p[2] = {};
	struct cr_note pn = {
		.type = NT_CR_SIGPENDING, .size = sizeof(p), .ours = true, .desc = p,
	};
	s32 usr1 = SIGUSR1, kill = SIGKILL;

	strscpy(th.comm, "kunit", sizeof(th.comm));
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), 0);
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, NULL, &out), -EINVAL);
	th.tid = 0;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	th.tid = 42;
	th.restart = CR_RESTART_NANOSLEEP;
	th.restart_clockid = CLOCK_PROCESS_CPUTIME_ID;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	th.restart_clockid = CLOCK_MONOTONIC;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), 0);
	memset(th.comm, 'x', sizeof(th.comm));
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	strscpy(th.comm, "kunit", sizeof(th.comm));

	/* Scheduling: a policy with its parameters, some CPUs. */
	th.sched.policy = SCHED_FIFO;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	th.sched.priority = 10;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), 0);
	th.sched.policy = SCHED_DEADLINE;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	th.sched.priority = 0;
	th.sched.runtime = 1000000;
	th.sched.deadline = 500000;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	th.sched.deadline = 2000000;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), 0);
	th.sched.policy = SCHED_NORMAL;
	th.sched.deadline = 0;
	th.sched.nice = 20;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	th.sched.nice = -20;
	th.sched.nr_cpus = 2;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	th.sched.cpus[0] = 0x4;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	th.sched.cpus[0] = 0x2;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), 0);
	th.sched.nr_cpus = CR_SCHED_MAX_CPUS + 1;
	KUNIT_EXPECT_EQ(test, cr_rule_thread("kunit", 1, &note, &out), -EINVAL);
	memset(&th.sched, 0, sizeof(th.sched));

	memcpy(p[0].info, &usr1, sizeof(usr1));
	memcpy(p[1].info, &usr1, sizeof(usr1));
	p[1].shared = 1;
	KUNIT_EXPECT_EQ(test, cr_rule_sigpending("kunit", 1, &pn, true), 0);
	/* Process-wide signals only on the main thread. */
	KUNIT_EXPECT_EQ(test, cr_rule_sigpending("kunit", 2, &pn, false), -EINVAL);
	memcpy(p[0].info, &kill, sizeof(kill));
	KUNIT_EXPECT_EQ(test, cr_rule_sigpending("kunit", 1, &pn, true), -EINVAL);
	pn.size--;
	KUNIT_EXPECT_EQ(test, cr_rule_sigpending("kunit", 1, &pn, true), -EINVAL);
}

static void cr_rule_sighand_cases(struct kunit *test)
{
	static struct cr_sigaction sa[CR_NSIG], out[CR_NSIG];
	struct cr_note note = {
		.type = NT_CR_SIGHAND, .size = sizeof(sa), .ours = true, .desc = sa,
	};

	sa[SIGUSR1 - 1].handler = 0x401000;
	sa[SIGUSR1 - 1].flags = SA_RESTART | SA_RESTORER;
	KUNIT_EXPECT_EQ(test, cr_rule_sighand("kunit", &note, out), 0);
	KUNIT_EXPECT_EQ(test, out[SIGUSR1 - 1].handler, 0x401000);
	sa[SIGSTOP - 1].handler = 1;			/* SIGSTOP ignored */
	KUNIT_EXPECT_EQ(test, cr_rule_sighand("kunit", &note, out), -EINVAL);
	sa[SIGSTOP - 1].handler = 0;
	sa[SIGUSR1 - 1].handler = TASK_SIZE_MAX;	/* not a user address */
	KUNIT_EXPECT_EQ(test, cr_rule_sighand("kunit", &note, out), -EINVAL);
	sa[SIGUSR1 - 1].handler = 0x401000;
	note.size -= sizeof(sa[0]);
	KUNIT_EXPECT_EQ(test, cr_rule_sighand("kunit", &note, out), -EINVAL);
}

static void cr_rule_process_cases(struct kunit *test)
{
	static const char dir[] = "/tmp";
	static u8 buf[sizeof(struct cr_hdr_process) + sizeof(dir)];
	struct cr_hdr_process h = { .umask = 022, .cwd_len = sizeof(dir) }, out;
	struct cr_note note = {
		.type = NT_CR_PROCESS, .size = sizeof(buf), .ours = true, .desc = buf,
	};
	const char *cwd = NULL;
	unsigned int i;

	for (i = 0; i < CR_NLIMITS; i++)
		h.rlim[i].cur = h.rlim[i].max = 100;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), dir, sizeof(dir));
	KUNIT_EXPECT_EQ(test, cr_rule_process("kunit", &note, &out, &cwd), 0);
	KUNIT_EXPECT_STREQ(test, cwd, "/tmp");
	h.rlim[RLIMIT_NOFILE].cur = 101;		/* soft above hard */
	memcpy(buf, &h, sizeof(h));
	KUNIT_EXPECT_EQ(test, cr_rule_process("kunit", &note, &out, &cwd), -EINVAL);
	h.rlim[RLIMIT_NOFILE].cur = 100;
	h.personality = PER_BSD;
	memcpy(buf, &h, sizeof(h));
	KUNIT_EXPECT_EQ(test, cr_rule_process("kunit", &note, &out, &cwd), -EOPNOTSUPP);
	h.personality = ADDR_NO_RANDOMIZE;		/* a flag: restored */
	memcpy(buf, &h, sizeof(h));
	KUNIT_EXPECT_EQ(test, cr_rule_process("kunit", &note, &out, &cwd), 0);
	buf[sizeof(h)] = 't';				/* not absolute */
	KUNIT_EXPECT_EQ(test, cr_rule_process("kunit", &note, &out, &cwd), -EINVAL);
}

static void cr_rule_tree_cases(struct kunit *test)
{
	struct elf64_phdr ph[2] = { { .p_type = PT_NOTE }, { .p_type = PT_CR_PROCESS } };
	struct cr_hdr_image h = { .nr_processes = 2, .nr_threads = 3 };
	struct cr_proc p[2] = {
		{ .pid = 100, .parent = -1, .pgid = 100, .sid = 90, .nr_threads = 2 },
		{ .pid = 101, .parent = 0, .pgid = 100, .sid = 90, .nr_threads = 1,
		  .segment = 1, .exit_signal = SIGCHLD },
	};

	KUNIT_EXPECT_EQ(test, cr_rule_tree("kunit", p, 2, ph, 2, &h), 0);
	KUNIT_EXPECT_TRUE(test, cr_rule_tree_led(p, 2, 1));
	p[1].sid = 80;					/* a session nobody leads */
	KUNIT_EXPECT_TRUE(test, cr_rule_tree_led(p, 2, 1));
	KUNIT_EXPECT_TRUE(test, cr_rule_tree_ghost(p, 2, 80));
	KUNIT_EXPECT_FALSE(test, cr_rule_tree_joinable(p, 2, 1));	/* the root's group */
	KUNIT_EXPECT_EQ(test, cr_rule_tree("kunit", p, 2, ph, 2, &h), -EINVAL);
	p[1].pgid = 81;					/* a group nobody leads, in it */
	KUNIT_EXPECT_TRUE(test, cr_rule_tree_joinable(p, 2, 1));
	KUNIT_EXPECT_EQ(test, cr_rule_tree("kunit", p, 2, ph, 2, &h), 0);
	p[1].pgid = 90;					/* the root's session's group */
	KUNIT_EXPECT_FALSE(test, cr_rule_tree_joinable(p, 2, 1));
	p[1].pgid = 0;					/* no id */
	KUNIT_EXPECT_FALSE(test, cr_rule_tree_led(p, 2, 1));
	p[1].pgid = 100;
	p[1].sid = 100;					/* named after the root, not led by it */
	KUNIT_EXPECT_FALSE(test, cr_rule_tree_led(p, 2, 1));
	p[1].sid = 101;					/* its own: joinable */
	p[1].pgid = 101;
	KUNIT_EXPECT_TRUE(test, cr_rule_tree_joinable(p, 2, 1));
	KUNIT_EXPECT_EQ(test, cr_rule_tree("kunit", p, 2, ph, 2, &h), 0);
	p[1].pgid = 100;				/* the root's group, another session */
	KUNIT_EXPECT_FALSE(test, cr_rule_tree_joinable(p, 2, 1));
	p[1].pgid = 101;
	h.nr_threads = 4;				/* the header disagrees */
	KUNIT_EXPECT_EQ(test, cr_rule_tree("kunit", p, 2, ph, 2, &h), -EINVAL);
	h.nr_threads = 3;
	p[1].segment = 0;				/* a live child without a segment */
	KUNIT_EXPECT_EQ(test, cr_rule_tree("kunit", p, 2, ph, 2, &h), -EINVAL);
}

static void cr_rule_pipes_cases(struct kunit *test)
{
	static u8 buf[sizeof(struct cr_hdr_pipes) + 2 * sizeof(struct cr_pipe) +
		      2 * sizeof(struct cr_pipe_file)];
	struct cr_hdr_pipes h = { .nr_pipes = 2, .nr_files = 2 }, out;
	struct cr_pipe pipe = { .size = PAGE_SIZE };
	struct cr_pipe_file end[2] = {
		{ .file_id = 1, .pipe = 0, .flags = O_RDONLY },
		{ .file_id = 2, .pipe = 1, .flags = O_WRONLY | O_NONBLOCK },
	};
	struct cr_note note = {
		.type = NT_CR_PIPES, .size = sizeof(buf), .ours = true, .desc = buf,
	};
	u8 *tab = buf + sizeof(h);

	memcpy(buf, &h, sizeof(h));
	memcpy(tab, &pipe, sizeof(pipe));
	memcpy(tab + sizeof(pipe), &pipe, sizeof(pipe));
	memcpy(tab + 2 * sizeof(pipe), end, sizeof(end));
	KUNIT_EXPECT_EQ(test, cr_rule_pipes("kunit", &note, &out), 0);
	end[1].pipe = 0;				/* pipe 1 has no end */
	memcpy(tab + 2 * sizeof(pipe), end, sizeof(end));
	KUNIT_EXPECT_EQ(test, cr_rule_pipes("kunit", &note, &out), -EINVAL);
	end[1].pipe = 1;
	memcpy(tab + 2 * sizeof(pipe), end, sizeof(end));
	pipe.size = 3 * PAGE_SIZE;			/* not a power of two pages */
	memcpy(tab, &pipe, sizeof(pipe));
	KUNIT_EXPECT_EQ(test, cr_rule_pipes("kunit", &note, &out), -EINVAL);
}

/* A pair, its second end closed at the checkpoint, a message for the first. */
static void cr_rule_sockets_cases(struct kunit *test)
{
	struct {
		struct cr_hdr_sockets h;
		struct cr_socket s[2];
		struct cr_unix_msg m;
		u32 id;
		char data[4];
	} st = {
		.h = { .nr_sockets = 2 },
		.s = {
			{ .file_id = 5, .peer = 1, .type = SOCK_STREAM, .nr_msgs = 1,
			  .data_len = 16, .error = ECONNRESET },
			{ .peer = 0, .type = SOCK_STREAM, .data_off = 16 },
		},
		.m = { .len = 4, .nr_files = 1 }, .id = 9, .data = "bye",
	};
	struct cr_note note = {
		.type = NT_CR_SOCKETS, .size = sizeof(st), .ours = true, .desc = &st,
	};
	struct cr_hdr_sockets h;

	KUNIT_EXPECT_EQ(test, cr_rule_sockets("kunit", &note, &h), 0);
	st.s[1].shutdown = 1;				/* a closed end with a state */
	KUNIT_EXPECT_EQ(test, cr_rule_sockets("kunit", &note, &h), -EINVAL);
	st.s[1].shutdown = 0;
	st.s[0].file_id = 0;				/* both ends closed */
	KUNIT_EXPECT_EQ(test, cr_rule_sockets("kunit", &note, &h), -EINVAL);
	st.s[0].file_id = 5;
	st.s[0].error = 5000;				/* not an errno */
	KUNIT_EXPECT_EQ(test, cr_rule_sockets("kunit", &note, &h), -EINVAL);
	st.s[0].error = 0;
	st.s[1].type = SOCK_DGRAM;			/* not the same type */
	KUNIT_EXPECT_EQ(test, cr_rule_sockets("kunit", &note, &h), -EINVAL);
	st.s[0].type = SOCK_DGRAM;			/* a datagram pair's closed end */
	KUNIT_EXPECT_EQ(test, cr_rule_sockets("kunit", &note, &h), 0);
}

static void cr_rule_fd_file_cases(struct kunit *test)
{
	static const char data[] = "/dev/null";
	struct cr_fd e = { .fd = 3, .kind = CR_FD_PIPE, .flags = O_WRONLY, .file_id = 7 };
	enum cr_file_class made;

	KUNIT_EXPECT_EQ(test, cr_rule_fd_file("kunit", &e, CR_FILE_PIPE + O_WRONLY, data,
					      sizeof(data), &made), 0);
	KUNIT_EXPECT_EQ(test, made, CR_FILE_NONE);
	KUNIT_EXPECT_EQ(test, cr_rule_fd_file("kunit", &e, CR_FILE_PIPE + O_RDONLY, data,
					      sizeof(data), &made), -EINVAL);
	KUNIT_EXPECT_EQ(test, cr_rule_fd_file("kunit", &e, CR_FILE_SOCK, data, sizeof(data),
					      &made), -EINVAL);
	e.kind = CR_FD_DEV;				/* opened by its path */
	e.path_len = sizeof(data);
	KUNIT_EXPECT_EQ(test, cr_rule_fd("kunit", 0, &e, NULL, data, sizeof(data)), 0);
	KUNIT_EXPECT_EQ(test, cr_rule_fd_file("kunit", &e, CR_FILE_NONE, data, sizeof(data),
					      &made), 0);
	KUNIT_EXPECT_EQ(test, made, CR_FILE_CHR);
	KUNIT_EXPECT_EQ(test, cr_rule_fd_file("kunit", &e, CR_FILE_REG, data, sizeof(data),
					      &made), -EINVAL);
	e.path_len = sizeof(data) + 1;			/* past the data area */
	KUNIT_EXPECT_EQ(test, cr_rule_fd("kunit", 0, &e, NULL, data, sizeof(data)), -EINVAL);
	e.path_len = sizeof(data);
	e.fd = -1;					/* a negative descriptor */
	KUNIT_EXPECT_EQ(test, cr_rule_fd("kunit", 0, &e, NULL, data, sizeof(data)), -EINVAL);
	e.fd_flags = CR_FD_IN_FLIGHT;			/* a file in flight */
	KUNIT_EXPECT_EQ(test, cr_rule_fd("kunit", 0, &e, NULL, data, sizeof(data)), 0);
	e.fd_flags |= CR_FD_CLOEXEC;			/* nothing to close on exec */
	KUNIT_EXPECT_EQ(test, cr_rule_fd("kunit", 0, &e, NULL, data, sizeof(data)), -EINVAL);
	e.fd_flags = CR_FD_IN_FLIGHT;
	e.kind = CR_FD_EXTERNAL;			/* leads outside */
	e.mode = S_IFCHR;
	KUNIT_EXPECT_EQ(test, cr_rule_fd("kunit", 0, &e, NULL, data, sizeof(data)), -EINVAL);
	e.kind = CR_FD_DEV;
	e.fd = 3;					/* a descriptor in flight */
	KUNIT_EXPECT_EQ(test, cr_rule_fd("kunit", 0, &e, NULL, data, sizeof(data)), -EINVAL);
}

static void cr_rule_timers_locks_memfd_cases(struct kunit *test)
{
	struct cr_posix_timer t[2] = {
		{ .id = 0, .clock = CLOCK_MONOTONIC, .notify = SIGEV_SIGNAL, .signo = SIGALRM },
		{ .id = 3, .clock = -6, .notify = SIGEV_THREAD_ID, .signo = 34, .tid = 42,
		  .value_ns = 1000, .interval_ns = 10 },
	};
	struct cr_note note = { .type = NT_CR_POSIX_TIMERS, .size = sizeof(t), .ours = true,
				.desc = t };
	struct cr_fd fds[2] = {
		{ .fd = 3, .kind = CR_FD_FILE, .flags = O_RDONLY, .file_id = 1 },
		{ .fd = 5, .kind = CR_FD_PIPE, .flags = O_RDWR, .file_id = 2 },
	};
	struct cr_lock l = { .fd = 3, .kind = CR_LOCK_POSIX, .type = F_RDLCK, .end = 99 };
	struct cr_note ln = { .type = NT_CR_LOCKS, .size = sizeof(l), .ours = true, .desc = &l };
	struct {
		struct cr_memfd m;
		char data[8];
	} mfd = { .m = { .size = 4096, .data_len = 8, .seals = 0x3, .shm = 1 } };
	static const char name[] = "memfd:kunit";
	char data[sizeof(mfd) + sizeof(name)];
	struct cr_fd e = { .fd = 4, .kind = CR_FD_MEMFD, .flags = O_RDWR, .mode = S_IFREG | 0600,
			   .file_id = 3, .data_len = sizeof(mfd), .path_off = sizeof(mfd),
			   .path_len = sizeof(name) };
	u32 nr;

	KUNIT_EXPECT_EQ(test, cr_rule_posix_timers("kunit", &note, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	t[1].id = 0;					/* not by increasing id */
	KUNIT_EXPECT_EQ(test, cr_rule_posix_timers("kunit", &note, &nr), -EINVAL);
	t[1].id = 3;
	t[1].clock = -2;				/* a thread's CPU clock */
	KUNIT_EXPECT_EQ(test, cr_rule_posix_timers("kunit", &note, &nr), -EINVAL);
	t[1].clock = CLOCK_REALTIME;
	t[1].flags = CR_POSIX_TIMER_ABSTIME;
	t[1].tid = 0;					/* SIGEV_THREAD_ID with no thread */
	KUNIT_EXPECT_EQ(test, cr_rule_posix_timers("kunit", &note, &nr), -EINVAL);

	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 1);
	l.type = F_WRLCK;				/* on a descriptor open read-only */
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), -EINVAL);
	l.kind = CR_LOCK_FLOCK;				/* flock: the whole file */
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), -EINVAL);
	l.end = LLONG_MAX;
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), 0);
	l.flags = CR_LEASE_BREAK_UNLCK;			/* flags: leases only */
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), -EINVAL);
	l.kind = CR_LOCK_LEASE;				/* a write lease being broken */
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), 0);
	l.flags = CR_LEASE_BREAK_RDLCK;			/* ...or downgraded */
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), 0);
	l.type = F_RDLCK;				/* a read lease is not downgraded */
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), -EINVAL);
	l.flags = 0;
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), 0);
	l.end = 99;					/* a lease: the whole file */
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), -EINVAL);
	l.end = LLONG_MAX;
	l.fd = 5;					/* a pipe */
	KUNIT_EXPECT_EQ(test, cr_rule_locks("kunit", &ln, fds, 2, &nr), -EINVAL);

	memcpy(data, &mfd, sizeof(mfd));
	memcpy(data + sizeof(mfd), name, sizeof(name));
	KUNIT_EXPECT_EQ(test, cr_rule_memfd("kunit", &e, data, sizeof(data)), 0);
	e.data_len = sizeof(mfd) - 1;			/* contents cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_memfd("kunit", &e, data, sizeof(data)), -EINVAL);
	e.data_len = sizeof(mfd);
	data[sizeof(mfd)] = 'M';			/* not a memfd name */
	KUNIT_EXPECT_EQ(test, cr_rule_memfd("kunit", &e, data, sizeof(data)), -EINVAL);
}

static void cr_rule_unix_cases(struct kunit *test)
{
	struct {
		struct cr_unix u;
		struct cr_unix_msg m1;
		char n1[8];
		char t1[4];
		struct cr_unix_msg m2;
	} st = {
		.u = { .type = SOCK_DGRAM, .name_len = 6, .name = "\0kunit", .nr_msgs = 2 },
		.m1 = { .len = 4, .name_len = 8 }, .n1 = "/tmp/s.", .t1 = "abc",
		.m2 = { .len = 0 },
	};
	/* Two messages of 20 and 8 bytes, without the structure's tail padding. */
	struct cr_fd e = { .fd = 4, .kind = CR_FD_UNIX, .flags = O_RDWR, .mode = S_IFSOCK | 0777,
			   .file_id = 3, .data_len = sizeof(struct cr_unix) + 28 };
	char data[sizeof(st)];

	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), 0);
	e.data_len -= 4;				/* the last message cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), -EINVAL);
	e.data_len += 4;
	st.u.name_len = 0;				/* messages, but no name */
	memset(st.u.name, 0, sizeof(st.u.name));
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), -EINVAL);
	st.u.type = SOCK_STREAM;			/* a client not accepted yet */
	st.u.state = CR_UNIX_PENDING;
	st.u.peer_len = 7;
	memcpy(st.u.peer, "\0listen", 7);
	st.u.backlog = 3;
	memcpy(data, &st, sizeof(st));
	/* Its messages carry no address. */
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), -EINVAL);
	st.m1.name_len = 0;
	st.m1.len = 12;
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), 0);
	st.m1.nr_files = 1;				/* carrying open file "/tmp" */
	st.m1.len = 8;
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), 0);
	st.m1.nr_files = 2;				/* ids and data past the message */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), -EINVAL);
	st.m1.nr_files = 1;
	memset(st.n1, 0, 4);				/* open file 0 */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), -EINVAL);
	st.m1.nr_files = 0;
	st.m1.len = 12;
	st.u.type = SOCK_DGRAM;				/* a datagram socket is not pending */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_unix("kunit", &e, data, sizeof(data)), -EINVAL);
}

static void cr_rule_mqueue_cases(struct kunit *test)
{
	static const char name[] = "/kunit-q";
	struct {
		struct cr_mqueue q;
		struct cr_mq_msg m1;
		char t1[8];
		struct cr_mq_msg m2;
		char t2[16];
	} st = {
		.q = { .mode = 0640, .maxmsg = 4, .msgsize = 16, .nr_msgs = 2,
		       .notify = CR_MQUEUE_NOTIFY_SIGNAL, .signo = SIGUSR2, .value = 77 },
		.m1 = { .prio = 5, .len = 5 }, .t1 = "high",
		.m2 = { .prio = 1, .len = 9 }, .t2 = "low prio",
	};
	char data[sizeof(st) + sizeof(name)];
	struct cr_fd e = { .fd = 4, .kind = CR_FD_MQUEUE, .flags = O_RDWR, .mode = S_IFREG | 0640,
			   .file_id = 3, .data_len = sizeof(st), .path_off = sizeof(st),
			   .path_len = sizeof(name) };

	memcpy(data, &st, sizeof(st));
	memcpy(data + sizeof(st), name, sizeof(name));
	KUNIT_EXPECT_EQ(test, cr_rule_mqueue("kunit", &e, data, sizeof(data)), 0);
	e.data_len -= 8;				/* the last message cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_mqueue("kunit", &e, data, sizeof(data)), -EINVAL);
	e.data_len += 8;
	st.m2.len = 17;					/* longer than msgsize */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_mqueue("kunit", &e, data, sizeof(data)), -EINVAL);
	st.m2.len = 9;
	st.q.nr_msgs = 5;				/* more than maxmsg */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_mqueue("kunit", &e, data, sizeof(data)), -EINVAL);
	st.q.nr_msgs = 2;
	st.q.signo = 65;				/* a signal out of range */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_mqueue("kunit", &e, data, sizeof(data)), -EINVAL);
	st.q.signo = SIGUSR2;
	memcpy(data, &st, sizeof(st));
	data[sizeof(st) + 3] = '/';			/* a slash inside the name */
	KUNIT_EXPECT_EQ(test, cr_rule_mqueue("kunit", &e, data, sizeof(data)), -EINVAL);
	data[sizeof(st) + 3] = 'n';
	e.flags = O_ACCMODE;				/* no access mode mq_open() takes */
	KUNIT_EXPECT_EQ(test, cr_rule_mqueue("kunit", &e, data, sizeof(data)), -EINVAL);
}

static void cr_rule_netlink_cases(struct kunit *test)
{
	struct {
		struct cr_netlink nl;
		struct cr_netlink_msg m;
		char t[8];
	} st = {
		.nl = { .type = 3, .flags = CR_NETLINK_BOUND | CR_NETLINK_EXT_ACK, .portid = 4242,
			.groups = { 1 }, .nr_msgs = 1 },
		.m = { .len = 5, .dst_group = 1 }, .t = "hello",
	};
	struct cr_fd e = { .fd = 5, .kind = CR_FD_NETLINK, .flags = O_RDWR,
			   .mode = S_IFSOCK | 0777, .file_id = 3, .data_len = sizeof(st) };
	char data[sizeof(st)];

	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_netlink("kunit", &e, data, sizeof(data)), 0);
	e.data_len -= 8;				/* the message cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_netlink("kunit", &e, data, sizeof(data)), -EINVAL);
	e.data_len += 8;
	st.nl.protocol = 16;				/* NETLINK_GENERIC */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_netlink("kunit", &e, data, sizeof(data)), -EINVAL);
	st.nl.protocol = 0;
	st.nl.portid = 0;				/* bound without a port id */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_netlink("kunit", &e, data, sizeof(data)), -EINVAL);
	st.nl.portid = 4242;
	st.nl.flags = CR_NETLINK_FLAGS + 1;		/* an unknown flag */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_netlink("kunit", &e, data, sizeof(data)), -EINVAL);
	st.nl.flags = CR_NETLINK_BOUND;
	st.t[6] = 'x';					/* padding not zero */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_netlink("kunit", &e, data, sizeof(data)), -EINVAL);
	st.t[6] = 0;
	st.m.len = 0;					/* an empty message */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_netlink("kunit", &e, data, sizeof(data)), -EINVAL);
}

static void cr_rule_sock_opts_cases(struct kunit *test)
{
	struct cr_fd fds[3] = {
		{ .fd = 1, .kind = CR_FD_INHERIT },
		{ .fd = 4, .kind = CR_FD_INET },
		{ .fd = 6, .kind = CR_FD_INET },
	};
	struct cr_sock_opts o[2] = {
		{ .fd = 4, .flags = CR_SOCK_OPT_CONGESTION | CR_SOCK_OPT_DEFER_ACCEPT,
		  .defer_accept = 5, .congestion = "reno" },
		{ .fd = 6, .flags = CR_SOCK_OPT_TIMESTAMPING | CR_SOCK_OPT_TSTAMP_NEW,
		  .tsflags = 0x18 },
	};
	struct cr_note note = { .type = NT_CR_SOCK_OPTS, .size = sizeof(o), .ours = true,
				.desc = o };

	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", &note, fds, 3), 0);
	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", NULL, fds, 3), 0);
	o[1].tsflags = 0x98;				/* SOF_TIMESTAMPING_OPT_ID */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", &note, fds, 3), -EINVAL);
	o[1].tsflags = 0x18;
	o[1].fd = 1;					/* not a TCP or UDP socket */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", &note, fds, 3), -EINVAL);
	o[1].fd = 6;
	memset(o[0].congestion, 'x', sizeof(o[0].congestion));	/* not terminated */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", &note, fds, 3), -EINVAL);
	strscpy(o[0].congestion, "reno", sizeof(o[0].congestion));
	memset(o[0].congestion + 5, 0, sizeof(o[0].congestion) - 5);
	o[0].defer_accept = 0;				/* its flag without a value */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", &note, fds, 3), -EINVAL);
	o[0].defer_accept = 5;
	o[1].flags |= CR_SOCK_OPT_TXTIME;
	o[1].txtime_flags = 4;				/* an unknown SO_TXTIME flag */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", &note, fds, 3), -EINVAL);
	o[1].txtime_flags = 2;
	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", &note, fds, 3), 0);
	note.size -= 4;					/* an entry cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_opts("kunit", &note, fds, 3), -EINVAL);
}

static void cr_rule_sock_devs_cases(struct kunit *test)
{
	struct cr_fd fds[3] = {
		{ .fd = 1, .kind = CR_FD_INHERIT },
		{ .fd = 4, .kind = CR_FD_INET },
		{ .fd = 6, .kind = CR_FD_INET },
	};
	struct cr_sock_dev d[2] = {
		{ .fd = 4, .ifindex = 1, .name = "lo" },
		{ .fd = 6, .ifindex = 2, .name = "eth0" },
	};
	struct cr_note note = { .type = NT_CR_SOCK_DEVS, .size = sizeof(d), .ours = true,
				.desc = d };

	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", &note, fds, 3), 0);
	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", NULL, fds, 3), 0);
	d[1].fd = 1;					/* not a TCP or UDP socket */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", &note, fds, 3), -EINVAL);
	d[1].fd = 4;					/* the same descriptor twice */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", &note, fds, 3), -EINVAL);
	d[1].fd = 6;
	d[1].ifindex = 0;				/* no device */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", &note, fds, 3), -EINVAL);
	d[1].ifindex = 2;
	d[1].name[6] = 'x';				/* bytes after the name */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", &note, fds, 3), -EINVAL);
	memset(d[1].name, 'x', sizeof(d[1].name));	/* not terminated */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", &note, fds, 3), -EINVAL);
	memset(d[1].name, 0, sizeof(d[1].name));	/* no name */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", &note, fds, 3), -EINVAL);
	strscpy(d[1].name, "eth0", sizeof(d[1].name));
	note.size -= 4;					/* an entry cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_devs("kunit", &note, fds, 3), -EINVAL);
}

static void cr_rule_packet_cases(struct kunit *test)
{
	struct {
		struct cr_packet p;
		struct cr_packet_mc mc;
		struct cr_packet_skb r;
		char t[8];
	} st = {
		.p = { .type = 2, .protocol = 0x800, .ifindex = 1, .device = "lo", .version = 2,
		       .flags = CR_PACKET_AUXDATA, .fanout = 13, .fanout_max = 65536,
		       .rx_ring = { .block_size = 4096, .block_nr = 1, .frame_size = 1024,
				    .frame_nr = 4, .retire_blk_tov = 8 },
		       .nr_mc = 1, .nr_skbs = 1,
		       .skbs_len = sizeof(struct cr_packet_skb) + 8 },
		.mc = { .ifindex = 1, .type = 3, .alen = 6, .count = 1, .device = "lo" },
		.r = { .len = 5, .ifindex = 1, .protocol = 0x800, .halen = 6,
		       .flags = CR_PACKET_SKB_CSUM_PARTIAL, .csum_start = 1, .csum_offset = 2 },
		.t = "hello",
	};
	struct cr_fd e = { .fd = 5, .kind = CR_FD_PACKET, .flags = O_RDWR,
			   .mode = S_IFSOCK | 0777, .file_id = 3, .data_len = sizeof(st) };
	char data[sizeof(st)];

	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), 0);
	e.data_len -= 8;				/* the packet cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
	e.data_len += 8;
	st.r.csum_offset = 3;				/* its checksum past its end */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
	st.r.csum_offset = 2;
	st.r.halen = 9;					/* more than sll_addr holds */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
	st.r.halen = 6;
	st.mc.count = CR_MAX_PACKET_MC + 1;		/* a membership added too often */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
	st.mc.count = 1;
	st.p.fanout = 13 | 6 << 16;			/* PACKET_FANOUT_CBPF */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
	st.p.fanout = 13;
	st.p.version = 1;				/* TPACKET_V2: no block timeout */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
	st.p.version = 2;
	st.p.type = 10;					/* SOCK_PACKET has no option */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
	st.p.type = 2;
	st.p.device[0] = 0;				/* bound, but no name to check */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
	st.p.device[0] = 'l';
	st.t[6] = 'x';					/* padding not zero */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_packet("kunit", &e, data, sizeof(data)), -EINVAL);
}

static void cr_rule_fanotify_cases(struct kunit *test)
{
	struct {
		struct cr_fanotify h;
		struct cr_fanotify_mark m;
		char mp[8];
		struct cr_fanotify_event ev;
		char ep[8];
		struct cr_fanotify_event o;
	} st = {
		.h = { .flags = 0x13, .event_f_flags = 0100000, .nr_marks = 1, .nr_events = 2 },
		.m = { .type = CR_FANOTIFY_MARK_MOUNT, .flags = 0x40, .mask = 0x20,
		       .ignore_mask = 0x1, .path_len = 5 },
		.mp = "/mnt",
		.ev = { .mask = 0x20, .pid = 7, .flags = CR_FANOTIFY_EVENT_TREE, .path_len = 4 },
		.ep = "/a/",
		.o = { .mask = CR_FANOTIFY_Q_OVERFLOW },
	};
	struct cr_fd e = { .fd = 4, .kind = CR_FD_FANOTIFY, .flags = O_RDWR,
			   .file_id = 2, .data_len = sizeof(st) };
	char data[sizeof(st)];

	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), 0);
	e.data_len -= sizeof(st.o);			/* the overflow event cut off */
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	e.data_len += sizeof(st.o);
	st.h.flags |= 0x200;				/* FAN_REPORT_FID: no fd events */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	st.h.flags = 0x13;
	st.ev.mask = 0x10000;				/* a permission event */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	st.ev.mask = 0x40000000;			/* FAN_ONDIR alone */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	st.ev.mask = 0x20;
	st.ev.flags = 0;				/* a pid of no process of the tree */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	st.ev.flags = CR_FANOTIFY_EVENT_TREE;
	st.ep[0] = 'a';					/* a relative path */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	st.ep[0] = '/';
	st.m.type = 0x20;				/* no such mark type */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	st.m.type = CR_FANOTIFY_MARK_MOUNT;
	st.m.mask = st.m.ignore_mask = 0;		/* a mark of nothing */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	st.m.mask = 0x20;
	st.m.path_len = 9;				/* its path past its padding */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
	st.m.path_len = 5;
	st.o.path_len = 4;				/* an overflow with a path */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_event("kunit", &e, data, sizeof(data)), -EINVAL);
}

static void cr_rule_pidfd_cases(struct kunit *test)
{
	struct cr_pidfd st = { .pid = 7, .flags = CR_PIDFD_THREAD };
	struct cr_fd e = { .fd = 5, .kind = CR_FD_PIDFD, .flags = O_RDWR | O_NONBLOCK,
			   .file_id = 3, .data_len = sizeof(st) };
	char data[sizeof(st)];

	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), 0);
	e.data_len = 4;					/* another size */
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), -EINVAL);
	e.data_len = sizeof(st);
	e.flags = O_RDONLY;				/* not a pidfd's access mode */
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), -EINVAL);
	e.flags = O_RDWR;
	st.pid = -1;					/* a negative pid */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), -EINVAL);
	st.pid = 0;
	st.flags = 8;					/* an unknown flag */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), -EINVAL);
	st.pid = 9;
	st.flags = CR_PIDFD_OWN_THREAD | CR_PIDFD_THREAD;	/* another thread, tid 9 */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), 0);
	st.flags = CR_PIDFD_OWN_THREAD;			/* a thread, yet not PIDFD_THREAD */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), -EINVAL);
	st.pid = 0;
	st.flags = CR_PIDFD_OWN_THREAD | CR_PIDFD_THREAD;	/* a thread of no tid */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), -EINVAL);
	st.flags = CR_PIDFD_REAPED | CR_PIDFD_THREAD;	/* of a thread reaped since */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), 0);
	st.pid = 7;					/* reaped, yet a pid */
	memcpy(data, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, cr_rule_pidfd("kunit", &e, data, sizeof(data)), -EINVAL);
	/* In flight, a pidfd could not be made before the messages are queued. */
	e.fd = -1;
	e.fd_flags = CR_FD_IN_FLIGHT;
	KUNIT_EXPECT_EQ(test, cr_rule_fd("kunit", 0, &e, NULL, data, sizeof(data)), -EINVAL);
}

static void cr_rule_ns_cases(struct kunit *test)
{
	struct cr_hdr_ns h = { .flags = CR_NS_UTS, .hostname = "box", .domainname = "dom" }, got;
	struct cr_note note = { .type = NT_CR_NS, .size = sizeof(h), .ours = true, .desc = &h };

	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), 0);
	KUNIT_EXPECT_STREQ(test, got.hostname, "box");
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", NULL, &got), 0);
	KUNIT_EXPECT_EQ(test, got.flags, 0);
	h.hostname[5] = 'x';				/* bytes after the name */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	h.hostname[5] = 0;
	memset(h.domainname, 'd', sizeof(h.domainname));	/* not terminated */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	memset(h.domainname, 0, sizeof(h.domainname));
	h.flags = 0;					/* names without CR_NS_UTS */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	h.flags = 4;					/* an unknown namespace */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	h.flags = CR_NS_IPC;				/* names without CR_NS_UTS */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	memset(h.hostname, 0, sizeof(h.hostname));	/* an IPC namespace alone */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), 0);
	KUNIT_EXPECT_EQ(test, got.flags, CR_NS_IPC);
	h.boottime_ns = 5;				/* clocks without CR_NS_TIME */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	h.flags = CR_NS_TIME;				/* a time namespace */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), 0);
	h.monotonic_ns = -1;				/* a negative clock */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	h.monotonic_ns = 0;
	h.lo_flags = CR_NS_LO_UP;			/* lo without CR_NS_NET */
	h.lo_mtu = 65536;
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	h.flags = CR_NS_TIME | CR_NS_NET;		/* a network namespace */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), 0);
	h.lo_mtu = 10;					/* below IPv4's minimum */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	h.lo_mtu = 0;
	h.lo_flags = 0;
	h.flags = CR_NS_TIME;
	note.size = CR_HDR_NS_SIZE_NO_TIME;		/* the first layout: no clocks */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
	h.flags = CR_NS_IPC;
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), 0);
	KUNIT_EXPECT_EQ(test, got.boottime_ns, 0);
	h.flags = CR_NS_UTS;
	note.size = sizeof(h) - 1;			/* another size */
	KUNIT_EXPECT_EQ(test, cr_rule_ns("kunit", &note, &got), -EINVAL);
}

static void cr_rule_userns_cases(struct kunit *test)
{
	struct {
		struct cr_hdr_userns h;
		struct cr_userns_extent e[3];
	} u = { .h = { .flags = CR_USERNS_SETGROUPS, .nr_uid = 2, .nr_gid = 1 },
		.e = { { 0, 100000, 1000 }, { 1000, 1000, 1 }, { 0, 100000, 65536 } } };
	struct cr_note note = { .type = NT_CR_USERNS, .size = sizeof(u), .ours = true, .desc = &u };
	struct cr_hdr_userns got;
	const void *ext;

	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), 0);
	KUNIT_EXPECT_EQ(test, got.nr_uid, 2);
	KUNIT_EXPECT_PTR_EQ(test, ext, (const void *)u.e);
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", NULL, &got, &ext), -EINVAL);
	u.e[1].lower_first = 100999;			/* overlapping outside */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), -EINVAL);
	u.e[1].lower_first = 1000;
	u.e[1].first = 999;				/* overlapping inside */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), -EINVAL);
	u.e[1].first = 1000;
	u.e[2].count = 0;				/* an empty range */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), -EINVAL);
	u.e[2].count = 0xffffffff;			/* wrapping */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), -EINVAL);
	u.e[2].count = 1;
	u.e[2].first = 0xffffffff;			/* the invalid id */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), -EINVAL);
	u.e[2].first = 0;
	u.h.nr_gid = 0;					/* the note is longer */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), -EINVAL);
	note.size = sizeof(u) - sizeof(u.e[2]);		/* no gid map: allowed */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), 0);
	u.h.flags = CR_USERNS_PIDNS;			/* it owned the pid namespace */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), 0);
	u.h.flags = 4;					/* an unknown flag */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), -EINVAL);
	u.h.flags = 0;
	u.h.nr_uid = CR_USERNS_MAX_EXTENTS + 1;		/* too many ranges */
	KUNIT_EXPECT_EQ(test, cr_rule_userns("kunit", &note, &got, &ext), -EINVAL);
}

/* An NT_CR_MOUNTS entry at @p: its header, @path and @root; its padded size. */
static size_t cr_kunit_mount(u8 *p, u32 kind, const char *path, const char *root,
			     const char *fstype)
{
	struct cr_mount e = { .kind = kind, .path_len = strlen(path) + 1,
			      .root_len = root ? strlen(root) + 1 : 0 };

	strscpy(e.fstype, fstype, sizeof(e.fstype));
	if (kind == CR_MNT_TMPFS)
		e.mode = 0750;
	memcpy(p, &e, sizeof(e));
	memcpy(p + sizeof(e), path, e.path_len);
	if (root)
		memcpy(p + sizeof(e) + e.path_len, root, e.root_len);
	return ALIGN(sizeof(e) + e.path_len + e.root_len, 8);
}

static void cr_rule_mounts_cases(struct kunit *test)
{
	u8 buf[256] = {};
	struct cr_note note = { .type = NT_CR_MOUNTS, .ours = true, .desc = buf };
	struct cr_mount e;
	const char *path, *root;
	unsigned int nr;
	size_t a, b;
	u64 off = 0;

	a = cr_kunit_mount(buf, CR_MNT_HOST, "/", "/", "ext4");
	note.size = a + cr_kunit_mount(buf + a, CR_MNT_TMPFS, "/run/own", NULL, "tmpfs");
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	cr_mount_at(buf, &off, &e, &path, &root);
	cr_mount_at(buf, &off, &e, &path, &root);
	KUNIT_EXPECT_STREQ(test, path, "/run/own");
	KUNIT_EXPECT_STREQ(test, root, "");
	KUNIT_EXPECT_EQ(test, off, note.size);
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", NULL, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* "..": a path that climbs */
	note.size = a + cr_kunit_mount(buf + a, CR_MNT_TMPFS, "/run/../own", NULL, "tmpfs");
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a trailing slash */
	note.size = a + cr_kunit_mount(buf + a, CR_MNT_PROC, "/proc/", NULL, "proc");
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a root for a proc of its own */
	note.size = a + cr_kunit_mount(buf + a, CR_MNT_PROC, "/proc", "/", "proc");
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* /proc/sys bound on itself */
	b = a + cr_kunit_mount(buf + a, CR_MNT_PROC, "/proc", NULL, "proc");
	note.size = b + cr_kunit_mount(buf + b, CR_MNT_BIND, "/proc/sys", "/sys", "proc");
	((struct cr_mount *)(buf + b))->source = 1;
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), 0);
	((struct cr_mount *)(buf + b))->source = 2;	/* itself, not an earlier one */
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
	((struct cr_mount *)(buf + a))->source = 0;	/* a source for a proc */
	((struct cr_mount *)(buf + b))->source = 1;
	((struct cr_mount *)(buf + a))->source = 1;
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* devpts and its options */
	note.size = a + cr_kunit_mount(buf + a, CR_MNT_DEVPTS, "/dev/pts", "mode=620,gid=5",
				       "devpts");
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), 0);
	memset(buf + a, 0, sizeof(buf) - a);
	note.size = a + cr_kunit_mount(buf + a, CR_MNT_DEVPTS, "/dev/pts", "mode=6 20",
				       "devpts");
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* an unknown kind */
	note.size = a + cr_kunit_mount(buf + a, CR_MNT_KIND_MAX + 1, "/x", NULL, "x");
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
	memset(buf, 0, sizeof(buf));			/* a root of its own */
	note.size = cr_kunit_mount(buf, CR_MNT_TMPFS, "/", NULL, "tmpfs");
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
	note.size = 0;					/* no mount */
	KUNIT_EXPECT_EQ(test, cr_rule_mounts("kunit", &note, &nr), -EINVAL);
}

/* An NT_CR_TMPFS entry at @p; its padded size. */
static size_t cr_kunit_tmpfs(u8 *p, u32 mount, u32 mode, const char *path, const char *data)
{
	struct cr_tmpfs_file e = { .mount = mount, .mode = mode, .path_len = strlen(path) + 1,
				   .size = strlen(data) };

	memcpy(p, &e, sizeof(e));
	memcpy(p + sizeof(e), path, e.path_len);
	memcpy(p + sizeof(e) + e.path_len, data, e.size);
	return ALIGN(sizeof(e) + e.path_len + e.size, 8);
}

static void cr_rule_tmpfs_cases(struct kunit *test)
{
	u8 buf[256] = {};
	struct cr_note note = { .type = NT_CR_TMPFS, .ours = true, .desc = buf };
	size_t a;

	a = cr_kunit_tmpfs(buf, 1, S_IFDIR | 0755, "d", "");
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFREG | 0644, "d/f", "data");
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), 0);
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", NULL, 2), 0);
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 1), -EINVAL);	/* no mount 1 */
	memset(buf + a, 0, sizeof(buf) - a);		/* a path that climbs */
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFREG | 0644, "d/../f", "");
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* an absolute path */
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFREG | 0644, "/f", "");
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a FIFO */
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFIFO | 0644, "p", "");
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), 0);
	memset(buf + a, 0, sizeof(buf) - a);		/* a FIFO with data */
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFIFO | 0644, "p", "x");
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a device node, 1:3 */
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFCHR | 0666, "null", "");
	((struct cr_tmpfs_file *)(buf + a))->rdev = 0x103;
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), 0);
	memset(buf + a, 0, sizeof(buf) - a);		/* a device for a file */
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFREG | 0666, "f", "");
	((struct cr_tmpfs_file *)(buf + a))->rdev = 0x103;
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a socket */
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFSOCK | 0644, "s", "");
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a link to nothing */
	note.size = a + cr_kunit_tmpfs(buf + a, 1, S_IFLNK | 0777, "l", "");
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), -EINVAL);
	memset(buf, 0, sizeof(buf));			/* a directory with data */
	note.size = cr_kunit_tmpfs(buf, 1, S_IFDIR | 0755, "d", "x");
	KUNIT_EXPECT_EQ(test, cr_rule_tmpfs("kunit", &note, 2), -EINVAL);
}

/* An NT_CR_NET_SYSCTL entry at @p; its padded size. */
static size_t cr_kunit_sysctl(u8 *p, const char *name, const char *value, size_t value_len)
{
	struct cr_net_sysctl e = { .name_len = strlen(name) + 1, .value_len = value_len };

	memcpy(p, &e, sizeof(e));
	memcpy(p + sizeof(e), name, e.name_len);
	memcpy(p + sizeof(e) + e.name_len, value, e.value_len);
	return ALIGN(sizeof(e) + e.name_len + e.value_len, 8);
}

static void cr_rule_net_sysctl_cases(struct kunit *test)
{
	u8 buf[256] = {};
	struct cr_note note = { .type = NT_CR_NET_SYSCTL, .ours = true, .desc = buf };
	unsigned int nr = 0;
	size_t a;

	a = cr_kunit_sysctl(buf, "core/somaxconn", "77\n", 4);
	note.size = a + cr_kunit_sysctl(buf + a, "ipv4/ping_group_range", "0\t0\n", 5);
	KUNIT_EXPECT_EQ(test, cr_rule_net_sysctl("kunit", &note, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2U);
	KUNIT_EXPECT_EQ(test, cr_rule_net_sysctl("kunit", NULL, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0U);
	note.size = a - 1;				/* cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_net_sysctl("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a name that climbs */
	note.size = a + cr_kunit_sysctl(buf + a, "ipv4/../../kernel/x", "1\n", 3);
	KUNIT_EXPECT_EQ(test, cr_rule_net_sysctl("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* an absolute name */
	note.size = a + cr_kunit_sysctl(buf + a, "/proc/sys/net/x", "1\n", 3);
	KUNIT_EXPECT_EQ(test, cr_rule_net_sysctl("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a value with a NUL inside */
	note.size = a + cr_kunit_sysctl(buf + a, "core/somaxconn", "1\0002", 4);
	KUNIT_EXPECT_EQ(test, cr_rule_net_sysctl("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* a value not terminated */
	note.size = a + cr_kunit_sysctl(buf + a, "core/somaxconn", "12", 2);
	KUNIT_EXPECT_EQ(test, cr_rule_net_sysctl("kunit", &note, &nr), -EINVAL);
	memset(buf + a, 0, sizeof(buf) - a);		/* padding not zero */
	note.size = a + cr_kunit_sysctl(buf + a, "core/somaxconn", "1\n", 3);
	buf[note.size - 1] = 1;
	KUNIT_EXPECT_EQ(test, cr_rule_net_sysctl("kunit", &note, &nr), -EINVAL);
}

static void cr_rule_net_links_cases(struct kunit *test)
{
	struct cr_net_link l[2] = {
		{ .kind = CR_NET_LINK_VETH, .ifindex = 4, .flags = 0x1, .mtu = 1500,
		  .num_tx_queues = 1, .num_rx_queues = 1, .addr_len = 6, .peer_addr_len = 6,
		  .name = "eth0", .peer_name = "vethA", .peer_master = "br0" },
		{ .kind = CR_NET_LINK_VETH, .ifindex = 5, .mtu = 1500, .num_tx_queues = 1,
		  .num_rx_queues = 1, .where = CR_NET_LINK_PEER_IN, .peer_ifindex = 6,
		  .name = "in0", .peer_name = "in1" },
	};
	struct cr_note note = { .type = NT_CR_NET_LINKS, .size = sizeof(l), .ours = true,
				.desc = l };
	unsigned int nr = 0;

	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2U);
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", NULL, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0U);
	note.size--;					/* cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), -EINVAL);
	note.size++;
	strscpy(l[1].peer_name, "eth0", sizeof(l[1].peer_name));	/* a name twice */
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), -EINVAL);
	strscpy(l[1].peer_name, "a/b", sizeof(l[1].peer_name));	/* not a device name */
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), -EINVAL);
	strscpy(l[1].peer_name, "in1", sizeof(l[1].peer_name));
	l[1].peer_ifindex = 4;				/* an index twice */
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), -EINVAL);
	l[1].peer_ifindex = 6;
	l[1].ifindex = 1;				/* lo's index, and out of order */
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), -EINVAL);
	l[1].ifindex = 5;
	l[0].addr[6] = 1;				/* bytes after the address */
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), -EINVAL);
	l[0].addr[6] = 0;
	l[0].kind = 2;					/* a kind not known */
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), -EINVAL);
	l[0].kind = CR_NET_LINK_VETH;
	l[0].flags = 0x2;				/* a flag not saved */
	KUNIT_EXPECT_EQ(test, cr_rule_net_links("kunit", &note, &nr), -EINVAL);
}

static void cr_rule_net_rtnl_cases(struct kunit *test)
{
	u8 buf[256] = {};
	struct cr_note note = { .type = NT_CR_NET_RTNL, .ours = true, .desc = buf };
	struct nlmsghdr *h = (void *)buf, *h2;
	unsigned int nr = 0;

	h->nlmsg_type = RTM_NEWADDR;
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)) + 8;
	h2 = (void *)(buf + NLMSG_ALIGN(h->nlmsg_len));
	h2->nlmsg_type = RTM_NEWROUTE;
	h2->nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg)) + 2;
	note.size = NLMSG_ALIGN(h->nlmsg_len) + NLMSG_ALIGN(h2->nlmsg_len);
	KUNIT_EXPECT_EQ(test, cr_rule_net_rtnl("kunit", &note, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2U);
	KUNIT_EXPECT_EQ(test, cr_rule_net_rtnl("kunit", NULL, &nr), 0);
	note.size--;					/* cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_net_rtnl("kunit", &note, &nr), -EINVAL);
	note.size++;
	buf[note.size - 1] = 1;				/* padding not zero */
	KUNIT_EXPECT_EQ(test, cr_rule_net_rtnl("kunit", &note, &nr), -EINVAL);
	buf[note.size - 1] = 0;
	h2->nlmsg_type = RTM_NEWLINK;			/* a type the restore does not send */
	KUNIT_EXPECT_EQ(test, cr_rule_net_rtnl("kunit", &note, &nr), -EINVAL);
	h->nlmsg_type = RTM_NEWNEIGH;			/* a neighbour before a route */
	h2->nlmsg_type = RTM_NEWROUTE;
	KUNIT_EXPECT_EQ(test, cr_rule_net_rtnl("kunit", &note, &nr), -EINVAL);
	h->nlmsg_type = RTM_NEWADDR;
	h2->nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg)) + 4;	/* an encapsulation */
	*(u16 *)((u8 *)h2 + NLMSG_LENGTH(sizeof(struct rtmsg))) = 4;
	*(u16 *)((u8 *)h2 + NLMSG_LENGTH(sizeof(struct rtmsg)) + 2) = RTA_ENCAP;
	KUNIT_EXPECT_EQ(test, cr_rule_net_rtnl("kunit", &note, &nr), -EINVAL);
	h->nlmsg_len = NLMSG_HDRLEN;			/* shorter than its header */
	KUNIT_EXPECT_EQ(test, cr_rule_net_rtnl("kunit", &note, &nr), -EINVAL);
}

static void cr_rule_tty_data_cases(struct kunit *test)
{
	struct {
		struct cr_tty_data a;
		u8 bytes_a[8];
		struct cr_tty_data b;
		u8 bytes_b[8];
	} n = {
		.a = { .tty = 0, .side = CR_TTY_TO_MASTER, .len = 5 }, .bytes_a = "out\r\n",
		.b = { .tty = 1, .side = CR_TTY_TO_SLAVE, .len = 8 }, .bytes_b = "12345678",
	};
	struct cr_note note = { .type = NT_CR_TTY_DATA, .size = sizeof(n), .ours = true,
				.desc = &n };
	unsigned int nr;

	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 2, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2U);
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", NULL, 2, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0U);
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 1, &nr), -EINVAL); /* no pair 1 */
	n.bytes_a[6] = 'x';				/* padding not zero */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 2, &nr), -EINVAL);
	n.bytes_a[6] = 0;
	n.b.tty = 0;					/* before the one it follows */
	n.b.side = CR_TTY_TO_MASTER;
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 2, &nr), -EINVAL);
	n.b.side = 2;					/* no such side */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 2, &nr), -EINVAL);
	n.b.tty = 1;
	n.b.side = CR_TTY_TO_SLAVE;
	n.b.len = 9;					/* more than the note holds */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 2, &nr), -EINVAL);
	n.b.len = 0;					/* nothing */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 2, &nr), -EINVAL);
}

static void cr_rule_tty_lines_cases(struct kunit *test)
{
	struct {
		struct cr_tty_data a;
		u8 bytes[16];
		struct cr_tty_lines l;
		u64 ends;
	} n = {
		.a = { .tty = 0, .side = CR_TTY_TO_SLAVE, .len = 12, .flags = CR_TTY_DATA_LINES },
		.bytes = "first\nsecond",
		.l = { .flags = CR_TTY_LINES_CANON, .canon = 6, .column = 5 },
		.ends = 1ULL << 5,
	};
	struct cr_note note = { .type = NT_CR_TTY_DATA, .size = sizeof(n), .ours = true,
				.desc = &n };
	unsigned int nr;

	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 1, &nr), 0);
	n.ends |= 1ULL << 8;				/* a line end in the line being typed */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 1, &nr), -EINVAL);
	n.ends = 1ULL << 4;				/* the complete line not ended */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 1, &nr), -EINVAL);
	n.ends = 1ULL << 5;
	n.l.canon = 13;					/* more than the bytes */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 1, &nr), -EINVAL);
	n.l.canon = 6;
	n.l.flags = 0;					/* line ends, not canonical */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 1, &nr), -EINVAL);
	n.l.flags = CR_TTY_LINES_CANON;
	n.a.flags = 2;					/* an unknown flag */
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 1, &nr), -EINVAL);
	n.a.flags = CR_TTY_DATA_LINES;
	n.a.len = 0;					/* the state alone */
	n.l.canon = 0;
	n.ends = 0;
	note.size = sizeof(n.a) + sizeof(n.l);
	memmove(n.bytes, &n.l, sizeof(n.l));
	KUNIT_EXPECT_EQ(test, cr_rule_tty_data("kunit", &note, 1, &nr), 0);
}

static void cr_rule_sem_undo_cases(struct kunit *test)
{
	struct {
		struct cr_sem_undo a;
		s16 adj_a[4];
		struct cr_sem_undo b;
		s16 adj_b[1];
		s16 pad_b[3];
	} n = {
		.a = { .semid = 3, .nsems = 4, .ctime = 1000 }, .adj_a = { 1, 0, -2, 0 },
		.b = { .semid = 7, .nsems = 1, .ctime = 2000 }, .adj_b = { 5 },
	};
	struct cr_note note = { .type = NT_CR_SEM_UNDO, .size = sizeof(n), .ours = true,
				.desc = &n };
	unsigned int nr;

	KUNIT_EXPECT_EQ(test, cr_rule_sem_undo("kunit", &note, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	KUNIT_EXPECT_EQ(test, cr_rule_sem_undo("kunit", NULL, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0);
	n.b.semid = 3;					/* a set twice */
	KUNIT_EXPECT_EQ(test, cr_rule_sem_undo("kunit", &note, &nr), -EINVAL);
	n.b.semid = 7;
	n.adj_b[0] = 0;					/* no adjustment */
	KUNIT_EXPECT_EQ(test, cr_rule_sem_undo("kunit", &note, &nr), -EINVAL);
	n.adj_b[0] = 5;
	n.b.nsems = 5;					/* more than the note holds */
	KUNIT_EXPECT_EQ(test, cr_rule_sem_undo("kunit", &note, &nr), -EINVAL);
	n.b.nsems = 1;
	note.size -= 8;					/* cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_sem_undo("kunit", &note, &nr), -EINVAL);
}

static void cr_rule_sysv_sem_cases(struct kunit *test)
{
	struct {
		struct cr_sysv_sem a;
		u16 vals_a[4];
		struct cr_sysv_sem b;
		u16 vals_b[1];
		u16 pad_b[3];
	} n = {
		.a = { .semid = 3, .key = 0x1234, .mode = 0640, .nsems = 4, .ctime = 1000 },
		.vals_a = { 1, 0, 32767, 0 },
		.b = { .semid = 32771, .mode = 0600, .nsems = 1, .ctime = 2000 }, .vals_b = { 5 },
	};
	struct cr_note note = { .type = NT_CR_SYSV_SEM, .size = sizeof(n), .ours = true,
				.desc = &n };
	unsigned int nr;

	KUNIT_EXPECT_EQ(test, cr_rule_sysv_sem("kunit", &note, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_sem("kunit", NULL, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0);
	n.b.semid = 3;					/* a set twice, or out of order */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_sem("kunit", &note, &nr), -EINVAL);
	n.b.semid = 32771;
	n.vals_a[2] = 32768;				/* above SEMVMX */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_sem("kunit", &note, &nr), -EINVAL);
	n.vals_a[2] = 7;
	n.pad_b[1] = 1;					/* padding not zero */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_sem("kunit", &note, &nr), -EINVAL);
	n.pad_b[1] = 0;
	n.a.mode = 01640;				/* more than permission bits */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_sem("kunit", &note, &nr), -EINVAL);
	n.a.mode = 0640;
	n.b.nsems = 5;					/* more than the note holds */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_sem("kunit", &note, &nr), -EINVAL);
	n.b.nsems = 0;					/* no semaphore */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_sem("kunit", &note, &nr), -EINVAL);
}

static void cr_rule_sysv_msg_cases(struct kunit *test)
{
	struct {
		struct cr_sysv_msq a;
		struct cr_sysv_msg m1;
		char t1[8];
		struct cr_sysv_msg m2;
		struct cr_sysv_msq b;
	} n = {
		.a = { .msqid = 0, .key = 0x4321, .mode = 0620, .nr_msgs = 2, .qbytes = 16384,
		       .bytes = 3 },
		.m1 = { .mtype = 1, .size = 3 }, .t1 = "one",
		.m2 = { .mtype = 2, .size = 0 },
		.b = { .msqid = 65536, .mode = 0600, .qbytes = 16384 },
	};
	struct cr_note note = { .type = NT_CR_SYSV_MSG, .size = sizeof(n), .ours = true,
				.desc = &n };
	unsigned int nr;

	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", &note, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", NULL, &nr), 0);
	n.b.msqid = 0;					/* a queue twice */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", &note, &nr), -EINVAL);
	n.b.msqid = 65536;
	n.m2.mtype = 0;					/* a type msgsnd() refuses */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", &note, &nr), -EINVAL);
	n.m2.mtype = 2;
	n.a.bytes = 4;					/* not what the messages add up to */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", &note, &nr), -EINVAL);
	n.a.bytes = 3;
	n.m1.size = 9;					/* past its room */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", &note, &nr), -EINVAL);
	n.m1.size = 3;
	n.t1[5] = 'x';					/* padding not zero */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", &note, &nr), -EINVAL);
	n.t1[5] = 0;
	n.b.qbytes = 1ULL << 31;			/* a limit above INT_MAX */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", &note, &nr), -EINVAL);
	n.b.qbytes = 16384;
	n.a.nr_msgs = 3;				/* more than the note holds */
	KUNIT_EXPECT_EQ(test, cr_rule_sysv_msg("kunit", &note, &nr), -EINVAL);
}

static void cr_rule_aio_cases(struct kunit *test)
{
	struct cr_vma vma[2] = {
		{ .start = 0x10000, .end = 0x11000, .kind = CR_VMA_AIO, .file = -1,
		  .flags = CR_VMA_SHARED, .prot = PROT_READ | PROT_WRITE },
		{ .start = 0x20000, .end = 0x21000, .kind = CR_VMA_ANON, .file = -1,
		  .prot = PROT_READ | PROT_WRITE },
	};
	struct {
		struct cr_aio a;
		struct cr_aio_event ev[2];
	} n = {
		.a = { .addr = 0x10000, .max_reqs = 8, .nr_events = 127, .head = 126,
		       .tail = 1, .nr_unread = 2 },
		.ev = { { .data = 1, .res = 64 }, { .data = 2, .res = -5 } },
	};
	struct cr_note note = { .type = NT_CR_AIO, .size = sizeof(n), .ours = true, .desc = &n };
	unsigned int nr;

	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", &note, vma, 2, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 1);
	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", NULL, vma, 2, &nr), -EINVAL);	/* a ring alone */
	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", NULL, &vma[1], 1, &nr), 0);
	n.a.nr_unread = 1;				/* not what head and tail say */
	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", &note, vma, 2, &nr), -EINVAL);
	n.a.nr_unread = 2;
	n.a.addr = 0x20000;				/* not at a ring */
	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", &note, vma, 2, &nr), -EINVAL);
	n.a.addr = 0x10000;
	n.a.nr_events = 255;				/* a ring of another size */
	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", &note, vma, 2, &nr), -EINVAL);
	n.a.nr_events = 127;
	note.size -= 8;					/* cut short */
	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", &note, vma, 2, &nr), -EINVAL);
}

/* Two entries for one ring, none for the other: refused, by their order. */
static void cr_rule_aio_twice(struct kunit *test)
{
	struct cr_vma vma[2] = {
		{ .start = 0x10000, .end = 0x11000, .kind = CR_VMA_AIO, .file = -1,
		  .flags = CR_VMA_SHARED, .prot = PROT_READ | PROT_WRITE },
		{ .start = 0x20000, .end = 0x21000, .kind = CR_VMA_AIO, .file = -1,
		  .flags = CR_VMA_SHARED, .prot = PROT_READ | PROT_WRITE },
	};
	struct cr_aio a[2] = {
		{ .addr = 0x10000, .max_reqs = 8, .nr_events = 127 },
		{ .addr = 0x20000, .max_reqs = 8, .nr_events = 127 },
	};
	struct cr_note note = { .type = NT_CR_AIO, .size = sizeof(a), .ours = true, .desc = a };
	unsigned int nr;

	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", &note, vma, 2, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	a[1].addr = 0x10000;
	KUNIT_EXPECT_EQ(test, cr_rule_aio("kunit", &note, vma, 2, &nr), -EINVAL);
}

static void cr_rule_sock_filters_cases(struct kunit *test)
{
	struct cr_fd fds[3] = {
		{ .fd = 1, .kind = CR_FD_INHERIT },
		{ .fd = 4, .kind = CR_FD_INET },
		{ .fd = 6, .kind = CR_FD_SOCKET },
	};
	struct {
		struct cr_sock_filter a;
		struct cr_bpf_insn ia[2];
		struct cr_sock_filter b;
	} n = {
		.a = { .fd = 4, .len = 2, .flags = CR_SOCK_FILTER_LOCKED },
		.ia = { { .code = 0x28, .k = 12 }, { .code = 6, .k = 0xffff } },
		.b = { .fd = 6, .len = 0, .flags = CR_SOCK_FILTER_LOCKED },	/* a lock alone */
	};
	struct cr_note note = { .type = NT_CR_SOCK_FILTERS, .size = sizeof(n), .ours = true,
				.desc = &n };
	u32 nr;

	KUNIT_EXPECT_EQ(test, cr_rule_sock_filters("kunit", &note, fds, 3, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	KUNIT_EXPECT_EQ(test, cr_rule_sock_filters("kunit", NULL, fds, 3, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0);
	n.b.flags = 0;					/* neither a filter nor a lock */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_filters("kunit", &note, fds, 3, &nr), -EINVAL);
	n.b.flags = CR_SOCK_FILTER_LOCKED;
	n.b.fd = 1;					/* not a socket */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_filters("kunit", &note, fds, 3, &nr), -EINVAL);
	n.b.fd = 4;					/* twice */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_filters("kunit", &note, fds, 3, &nr), -EINVAL);
	n.b.fd = 6;
	n.a.len = 4;					/* more than the note holds */
	KUNIT_EXPECT_EQ(test, cr_rule_sock_filters("kunit", &note, fds, 3, &nr), -EINVAL);
}

static void cr_rule_inet_udp_cases(struct kunit *test)
{
	struct cr_inet in = {
		.family = AF_INET, .protocol = IPPROTO_UDPLITE, .flags = CR_INET_BOUND |
		CR_INET_SHUT_RD | CR_UDP_SEND_CSCOV | CR_UDP_RECV_CSCOV, .src_port = 9,
		.ttl = -1, .udp = { .send_cscov = 12, .recv_cscov = 0 },
	};
	struct cr_fd e = { .fd = 3, .kind = CR_FD_INET, .mode = S_IFSOCK | 0777,
			   .data_len = sizeof(in) };

	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&in, sizeof(in)), 0);
	in.udp.send_cscov = 7;				/* under the UDP-Lite header */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&in, sizeof(in)), -EINVAL);
	in.udp.send_cscov = 8;
	in.flags &= ~CR_UDP_SEND_CSCOV;			/* a coverage without its flag */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&in, sizeof(in)), -EINVAL);
	in.udp.send_cscov = 0;
	in.protocol = IPPROTO_UDP;			/* UDP has no coverage */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&in, sizeof(in)), -EINVAL);
	in.flags &= ~CR_UDP_RECV_CSCOV;
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&in, sizeof(in)), 0);
	in.protocol = IPPROTO_TCP;			/* TCP's shutdowns are its FINs */
	in.ttl = 64;
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&in, sizeof(in)), -EINVAL);
}

/* A UDP socket's multicast groups and their source filters. */
static void cr_rule_udp_sources_cases(struct kunit *test)
{
	struct {
		struct cr_inet in;
		struct cr_udp_group g[2];
		struct cr_udp_sources h;
		u8 src[2][16];
	} __packed s = {
		.in = { .family = AF_INET, .protocol = IPPROTO_UDP, .flags = CR_INET_BOUND,
			.src_port = 9, .ttl = -1,
			.udp = { .nr_groups = 2, .sources_len = 8 + 2 * 16 } },
		.g = { { .addr = { 239, 1, 2, 3 }, .ifindex = 1, .family = AF_INET,
			 .flags = CR_UDP_GROUP_SOURCES },
		       { .addr = { 239, 1, 2, 4 }, .ifindex = 1, .family = AF_INET } },
		.h = { .mode = MCAST_INCLUDE, .nr = 2 },
		.src = { { 127, 0, 0, 1 }, { 10, 0, 0, 1 } },
	};
	struct cr_fd e = { .fd = 3, .kind = CR_FD_INET, .mode = S_IFSOCK | 0777,
			   .data_len = sizeof(s) };

	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), 0);
	s.h.mode = 2;					/* neither include nor exclude */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), -EINVAL);
	s.h.mode = MCAST_EXCLUDE;
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), 0);
	s.src[1][0] = 224;				/* a group as a source */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), -EINVAL);
	s.src[1][0] = 10;
	s.src[1][15] = 1;				/* IPv4, then not zeroes */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), -EINVAL);
	s.src[1][15] = 0;
	s.h.nr = 3;					/* more than the list holds */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), -EINVAL);
	s.h.nr = 1;					/* less */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), -EINVAL);
	s.h.nr = 2;
	s.g[1].flags = CR_UDP_GROUP_SOURCES;		/* a filter the list lacks */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), -EINVAL);
	s.g[1].flags = 0x2;				/* an unknown flag */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), -EINVAL);
	s.g[1].flags = 0;
	s.g[0].flags = 0;				/* a list no group has */
	KUNIT_EXPECT_EQ(test, cr_rule_inet("kunit", &e, (void *)&s, sizeof(s)), -EINVAL);
}

static struct kunit_case cr_rules_test_cases[] = {
	KUNIT_CASE(cr_rule_notes_valid),
	KUNIT_CASE(cr_rule_notes_malformed),
	KUNIT_CASE(cr_rule_segments_cases),
	KUNIT_CASE(cr_rule_header_cases),
	KUNIT_CASE(cr_rule_thread_cases),
	KUNIT_CASE(cr_rule_sighand_cases),
	KUNIT_CASE(cr_rule_process_cases),
	KUNIT_CASE(cr_rule_tree_cases),
	KUNIT_CASE(cr_rule_pipes_cases),
	KUNIT_CASE(cr_rule_sockets_cases),
	KUNIT_CASE(cr_rule_inet_udp_cases),
	KUNIT_CASE(cr_rule_udp_sources_cases),
	KUNIT_CASE(cr_rule_fd_file_cases),
	KUNIT_CASE(cr_rule_timers_locks_memfd_cases),
	KUNIT_CASE(cr_rule_unix_cases),
	KUNIT_CASE(cr_rule_mqueue_cases),
	KUNIT_CASE(cr_rule_sem_undo_cases),
	KUNIT_CASE(cr_rule_sysv_sem_cases),
	KUNIT_CASE(cr_rule_netlink_cases),
	KUNIT_CASE(cr_rule_packet_cases),
	KUNIT_CASE(cr_rule_sock_opts_cases),
	KUNIT_CASE(cr_rule_sock_devs_cases),
	KUNIT_CASE(cr_rule_fanotify_cases),
	KUNIT_CASE(cr_rule_pidfd_cases),
	KUNIT_CASE(cr_rule_ns_cases),
	KUNIT_CASE(cr_rule_userns_cases),
	KUNIT_CASE(cr_rule_mounts_cases),
	KUNIT_CASE(cr_rule_tmpfs_cases),
	KUNIT_CASE(cr_rule_net_sysctl_cases),
	KUNIT_CASE(cr_rule_net_links_cases),
	KUNIT_CASE(cr_rule_net_rtnl_cases),
	KUNIT_CASE(cr_rule_tty_data_cases),
	KUNIT_CASE(cr_rule_tty_lines_cases),
	KUNIT_CASE(cr_rule_sysv_msg_cases),
	KUNIT_CASE(cr_rule_aio_cases),
	KUNIT_CASE(cr_rule_aio_twice),
	KUNIT_CASE(cr_rule_sock_filters_cases),
	{}
};

static struct kunit_suite cr_rules_test_suite = {
	.name = "cr_rules",
	.test_cases = cr_rules_test_cases,
};

kunit_test_suite(cr_rules_test_suite);
