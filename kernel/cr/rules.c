// SPDX-License-Identifier: GPL-2.0
/*
 * The rules an image must follow, written once for the kernel and for
 * crcore (<linux/cr_rules.h> says how): the ELF container, the tree, the
 * threads, the signal dispositions, the memory and the process
 * attributes; those of the descriptors are in rules_files.c. Each rule
 * looks only at the bytes it is given and stops at the first problem, as
 * the restore does.
 */
#include <linux/cr_rules.h>

/* Is [off, off + len) inside a file of @size bytes? */
static bool cr_rule_in(u64 size, u64 off, u64 len)
{
	return len <= size && off <= size - len;
}

static bool cr_rule_user(u64 addr)
{
	return addr < TASK_SIZE_MAX;
}

/* The container */

/**
 * cr_rule_phdrs - the program header table
 * @name: the image, for messages
 * @size: bytes of the image
 * @phoff: e_phoff
 * @phnum: e_phnum
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_phdrs(const char *name, u64 size, u64 phoff, unsigned int phnum)
{
	if (phnum > CR_MAX_PHDRS) {
		cr_refuse(name, "%u program headers, more than %u", phnum, CR_MAX_PHDRS);
		return -EINVAL;
	}
	if (!cr_rule_in(size, phoff, (u64)phnum * sizeof(struct elf64_phdr))) {
		cr_refuse(name, "program headers lie outside the file");
		return -EINVAL;
	}
	return 0;
}

/* A PT_CR_PROCESS segment of a tree's root image, after @data_end. */
static int cr_rule_process_segment(const char *name, unsigned int i,
				   const struct elf64_phdr *ph, u64 size, u64 data_end)
{
	if (!PAGE_ALIGNED(ph->p_offset) || !ph->p_filesz ||
	    !cr_rule_in(size, ph->p_offset, ph->p_filesz)) {
		cr_refuse(name, "process segment %u [%#llx+%#llx] is unaligned, empty or outside the file",
			  i, (unsigned long long)ph->p_offset,
			  (unsigned long long)ph->p_filesz);
		return -EINVAL;
	}
	if (ph->p_offset < data_end) {
		cr_refuse(name, "process segment %u [%#llx+%#llx] overlaps the data before it (which ends at %#llx)",
			  i, (unsigned long long)ph->p_offset,
			  (unsigned long long)ph->p_filesz, (unsigned long long)data_end);
		return -EINVAL;
	}
	if (ph->p_vaddr || ph->p_memsz || ph->p_flags) {
		cr_refuse(name, "process segment %u has an address %#llx, a size in memory %#llx or flags %#x",
			  i, (unsigned long long)ph->p_vaddr,
			  (unsigned long long)ph->p_memsz, ph->p_flags);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_segments - the segments of an image
 * @name: the image, for messages
 * @phdrs: its program headers
 * @phnum: how many
 * @size: bytes of the image
 * @nested: the image is a process segment of a tree (not the root's)
 *
 * PT_NOTE only at index 0, inside the file; then PT_LOAD segments sorted
 * by address, not overlapping, page aligned, inside the user address
 * space and, for their file part, page aligned inside the file (so that
 * image pages can later be mapped rather than copied); last, in the root
 * image of a tree only, PT_CR_PROCESS segments, page aligned, not empty,
 * inside the file, after the root's data and after each other, so that
 * no byte of the file is read as two images.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_segments(const char *name, const struct elf64_phdr *phdrs,
		     unsigned int phnum, u64 size, bool nested)
{
	u64 prev_end = 0, data_end = 0;
	bool procs = false;
	unsigned int i;
	int ret;

	for (i = 0; i < phnum; i++) {
		const struct elf64_phdr *ph = &phdrs[i];

		if (i == 0) {
			if (!cr_rule_in(size, ph->p_offset, ph->p_filesz)) {
				cr_refuse(name, "note segment lies outside the file");
				return -EINVAL;
			}
			continue;
		}
		if (ph->p_type == PT_CR_PROCESS && !nested) {
			if (!procs)
				data_end = max(data_end, phdrs[0].p_offset + phdrs[0].p_filesz);
			ret = cr_rule_process_segment(name, i, ph, size, data_end);
			if (ret)
				return ret;
			data_end = ph->p_offset + ph->p_filesz;
			procs = true;
			continue;
		}
		if (ph->p_type == PT_CR_PROCESS) {
			cr_refuse(name, "program header %u is a process segment, in the image of a process other than the root",
				  i);
			return -EINVAL;
		}
		if (ph->p_type != PT_LOAD || procs) {
			cr_refuse(name, "program header %u has type %#x, not PT_LOAD%s",
				  i, ph->p_type, procs ? " before the process segments" : "");
			return -EINVAL;
		}
		if (!PAGE_ALIGNED(ph->p_vaddr) || !ph->p_memsz ||
		    !PAGE_ALIGNED(ph->p_memsz) || ph->p_filesz > ph->p_memsz ||
		    ph->p_vaddr < prev_end || ph->p_memsz > TASK_SIZE_MAX ||
		    ph->p_vaddr > TASK_SIZE_MAX - ph->p_memsz) {
			cr_refuse(name, "segment %u [%#llx+%#llx] (file size %#llx) is misplaced",
				  i, (unsigned long long)ph->p_vaddr,
				  (unsigned long long)ph->p_memsz,
				  (unsigned long long)ph->p_filesz);
			return -EINVAL;
		}
		if ((ph->p_filesz && !PAGE_ALIGNED(ph->p_offset)) ||
		    !cr_rule_in(size, ph->p_offset, ph->p_filesz)) {
			cr_refuse(name, "segment %u data [%#llx+%#llx] is unaligned or outside the file",
				  i, (unsigned long long)ph->p_offset,
				  (unsigned long long)ph->p_filesz);
			return -EINVAL;
		}
		prev_end = ph->p_vaddr + ph->p_memsz;
		if (ph->p_filesz)
			data_end = max(data_end, ph->p_offset + ph->p_filesz);
	}
	return 0;
}

/**
 * cr_rule_notes - walk the note segment
 * @name: the image, for messages
 * @buf: the note segment
 * @len: its size
 * @out: filled with the notes, in file order; NULL to only count
 * @count: the number of notes
 *
 * Every note lies inside the segment, its owner's name is terminated,
 * and there are at most CR_MAX_NOTES.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_notes(const char *name, const void *buf, size_t len,
		  struct cr_note *out, unsigned int *count)
{
	const u8 *p = buf;
	unsigned int n = 0;
	size_t off = 0;

	while (off < len) {
		struct elf64_note nh;
		const char *owner;
		size_t namesz, descsz;

		if (len - off < sizeof(nh))
			goto bad;
		memcpy(&nh, p + off, sizeof(nh));
		namesz = nh.n_namesz;
		descsz = nh.n_descsz;
		off += sizeof(nh);
		if (namesz > len - off)
			goto bad;
		owner = (const char *)p + off;
		if (namesz && owner[namesz - 1] != '\0')
			goto bad;
		off += ALIGN(namesz, CR_NOTE_ALIGN);
		if (off > len || descsz > len - off)
			goto bad;
		if (n == CR_MAX_NOTES) {
			cr_refuse(name, "more than %u notes", CR_MAX_NOTES);
			return -EINVAL;
		}
		if (out) {
			out[n].type = nh.n_type;
			out[n].size = descsz;
			out[n].ours = namesz == sizeof(CR_NOTE_NAME) &&
				      !memcmp(owner, CR_NOTE_NAME, namesz);
			out[n].owner = namesz ? owner : "";
			out[n].desc = p + off;
		}
		n++;
		off += ALIGN(descsz, CR_NOTE_ALIGN);
	}
	*count = n;
	return 0;
bad:
	cr_refuse(name, "note %u at offset %llu of the note segment is truncated or malformed",
		  n, (unsigned long long)off);
	return -EINVAL;
}

static bool cr_rule_zeroed(const void *p, size_t len)
{
	const u8 *c = p;

	while (len--)
		if (*c++)
			return false;
	return true;
}

/**
 * cr_rule_header - the image header, NT_CR_HEADER, the first note
 * @name: the image, for messages
 * @note: the notes of the image
 * @nr_notes: how many
 * @h: filled with the header
 *
 * Return: 0, -ENOEXEC for an image of another format version, or
 * -EINVAL, after saying why.
 */
int cr_rule_header(const char *name, const struct cr_note *note,
		   unsigned int nr_notes, struct cr_hdr_image *h)
{
	if (!nr_notes || !note->ours || note->type != NT_CR_HEADER) {
		cr_refuse(name, "the first note is not the image header");
		return -EINVAL;
	}
	if (note->size < offsetofend(struct cr_hdr_image, version)) {
		cr_refuse(name, "image header note is truncated");
		return -EINVAL;
	}
	memset(h, 0, sizeof(*h));
	memcpy(h, note->desc, min_t(size_t, note->size, sizeof(*h)));
	if (h->magic != CR_IMAGE_MAGIC) {
		cr_refuse(name, "bad image magic %#x", h->magic);
		return -EINVAL;
	}
	if (h->version != CR_IMAGE_VERSION) {
		cr_refuse(name, "image format version %u, this kernel restores version %u",
			  h->version, CR_IMAGE_VERSION);
		return -ENOEXEC;
	}
	if (note->size != sizeof(*h) || h->hdr_size != sizeof(*h)) {
		cr_refuse(name, "image header is %u bytes (note %u), expected %zu",
			  h->hdr_size, note->size, sizeof(*h));
		return -EINVAL;
	}
	if (h->page_shift != PAGE_SHIFT) {
		cr_refuse(name, "image page size 2^%u, the kernel's is 2^%u",
			  h->page_shift, PAGE_SHIFT);
		return -EINVAL;
	}
	if (h->flags || h->__pad0 || !cr_rule_zeroed(h->__pad1, sizeof(h->__pad1))) {
		cr_refuse(name, "image header has unknown flags or non-zero padding");
		return -EINVAL;
	}
	if (!memchr(h->kernel_release, '\0', sizeof(h->kernel_release))) {
		cr_refuse(name, "image header's kernel release is not terminated");
		return -EINVAL;
	}
	if (!h->nr_processes || h->nr_threads < h->nr_processes ||
	    h->nr_threads > PID_MAX_LIMIT) {
		cr_refuse(name, "image claims %u processes and %u threads",
			  h->nr_processes, h->nr_threads);
		return -EINVAL;
	}
	return 0;
}

/* The tree */

/**
 * cr_rule_tree_note - NT_CR_TREE, in the root image
 * @name: the image, for messages
 * @note: the note, or NULL
 * @nr: set to the number of entries (struct cr_proc), which follow the
 *	note's header
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_tree_note(const char *name, const struct cr_note *note, u32 *nr)
{
	struct cr_hdr_tree h;

	if (!note || note->size < sizeof(h)) {
		cr_refuse(name, "NT_CR_TREE note is missing or malformed");
		return -EINVAL;
	}
	memcpy(&h, note->desc, sizeof(h));
	if (h.__pad || !h.nr_procs || h.nr_procs > CR_MAX_PROCESSES ||
	    note->size != sizeof(h) + (u64)h.nr_procs * sizeof(struct cr_proc)) {
		cr_refuse(name, "NT_CR_TREE note is missing or malformed: %u processes in %u bytes",
			  h.nr_procs, note->size);
		return -EINVAL;
	}
	*nr = h.nr_procs;
	return 0;
}

/* A zombie's status, as wait() reports it: an exit code or a signal. */
static bool cr_rule_exit_code(s32 code)
{
	if (code & ~0xffff)
		return false;
	if (!(code & 0x7f))
		return true;
	return !(code >> 8) && (code & 0x7f) <= CR_NSIG;
}

static bool cr_rule_signal(s32 sig)
{
	return sig >= 0 && sig <= CR_NSIG;
}

/* What is wrong with entry @i of the tree on its own, or NULL. */
static const char *cr_rule_proc_problem(const struct cr_proc *procs, unsigned int i)
{
	const struct cr_proc *e = &procs[i];
	bool zombie = e->flags & CR_PROC_ZOMBIE;

	if (e->pid <= 0)
		return "pid not positive";
	if (e->flags & ~CR_PROC_FLAGS)
		return "unknown flags";
	if (!i && e->parent != -1)
		return "the first entry, the root, has a parent";
	if (i && e->parent == -1)
		return "no parent: only the first entry is the root";
	if (i && (e->parent < 0 || e->parent >= (int)i))
		return "its parent is not an earlier entry";
	if (i && (procs[e->parent].flags & CR_PROC_ZOMBIE))
		return "its parent is a zombie";
	if (!cr_rule_signal(e->exit_signal))
		return "exit signal out of range";
	if (!cr_rule_signal(e->pdeath_signal))
		return "parent death signal out of range";
	if (zombie && e->nr_threads)
		return "a zombie with threads";
	if (!zombie && !e->nr_threads)
		return "a live process without threads";
	if (zombie && !i)
		return "the root is a zombie";
	if (zombie && e->segment)
		return "a zombie with a segment";
	if ((zombie || !i) && (e->flags & (CR_PROC_FILES | CR_PROC_FS)))
		return "the root or a zombie shares its parent's descriptors or fs";
	if (zombie && !cr_rule_exit_code(e->exit_code))
		return "impossible exit status";
	if (zombie && (e->flags & CR_PROC_STOPPED))
		return "a stopped zombie";
	if (!zombie && e->exit_code &&
	    (!(e->flags & CR_PROC_STOPPED) || !cr_rule_signal(e->exit_code)))
		return "an exit status but not a zombie, or a stop signal out of range";
	if (!i && e->segment)
		return "the root has a segment";
	if (e->nr_threads > PID_MAX_LIMIT)
		return "more threads than PID_MAX_LIMIT";
	return NULL;
}

/* The entry of process @pid, or NULL. */
static const struct cr_proc *cr_rule_proc(const struct cr_proc *procs, unsigned int nr,
					  s32 pid)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* Where process @pid is among the entries, or -1. */
static int cr_rule_proc_idx(const struct cr_proc *procs, unsigned int nr, s32 pid)
{
	const struct cr_proc *e = cr_rule_proc(procs, nr, pid);

	return e ? (int)(e - procs) : -1;
}

/**
 * cr_rule_tree_ghost - is @id a group or session no process of the tree leads?
 * @procs: the entries of the tree
 * @nr: how many
 * @id: a process group or session id of a process of the tree
 *
 * A group or session whose leader is outside the tree, or has exited and
 * been reaped: neither the root's group or session (the exec caller's at
 * restore) nor a process of the tree. The restore makes its id again,
 * with no process of that id, as the kernel keeps it once its leader is
 * gone.
 *
 * Return: true if it is one.
 */
bool cr_rule_tree_ghost(const struct cr_proc *procs, unsigned int nr, s32 id)
{
	return id != procs[0].pgid && id != procs[0].sid && !cr_rule_proc(procs, nr, id);
}

/**
 * cr_rule_tree_led - can process @i get its group and session back?
 * @procs: the entries of the tree
 * @nr: how many
 * @i: the process, not the root
 *
 * Its ids are positive or the root's, and a session named after a
 * process of the tree is led by it (a leader cannot leave its session):
 * the restore rebuilds the root's group and session (which the restored
 * root has, whatever they are), those a process of the tree leads, and
 * the others as ids without a process (cr_rule_tree_ghost()). The
 * checkpoint refuses a tree where this is false.
 *
 * Return: true if it can.
 */
bool cr_rule_tree_led(const struct cr_proc *procs, unsigned int nr, unsigned int i)
{
	const struct cr_proc *e = &procs[i], *leader;

	/* The root's are 0 when their leader is outside the pid namespace. */
	if ((e->pgid <= 0 && e->pgid != procs[0].pgid) || (e->sid <= 0 && e->sid != procs[0].sid))
		return false;
	leader = cr_rule_proc(procs, nr, e->sid);
	return !leader || leader->sid == leader->pid;
}

/**
 * cr_rule_tree_joinable - can process @i be in its session and group again?
 * @procs: the entries of the tree, @i's parent before it
 * @nr: how many
 * @i: the process, not the root
 *
 * The restore creates it in its parent's session, where it stays unless
 * it leads its own or is in another one: the root's, one that a process
 * created before it leads (sessions are inherited, so their leaders are
 * older than their members), or one without a process; it then enters
 * that session, as no system call could. Its group is in its session: so
 * are all the other processes of the group, and a group named after a
 * session is that session's. The checkpoint refuses a tree where this is
 * false.
 *
 * Return: true if it can.
 */
bool cr_rule_tree_joinable(const struct cr_proc *procs, unsigned int nr, unsigned int i)
{
	const struct cr_proc *e = &procs[i];
	unsigned int j;
	int k;

	if (e->sid != e->pid && e->sid != procs[e->parent].sid) {
		k = cr_rule_proc_idx(procs, nr, e->sid);
		if (k >= (int)i)
			return false;
	}
	for (j = 0; j < nr; j++) {
		if (procs[j].pgid == e->pgid && procs[j].sid != e->sid)
			return false;
		if (procs[j].sid == e->pgid && e->sid != e->pgid)
			return false;
	}
	return true;
}

/**
 * cr_rule_tree - the entries of NT_CR_TREE, against each other and the image
 * @name: the image, for messages
 * @procs: the entries
 * @nr: how many (cr_rule_tree_note())
 * @phdrs: the root image's program headers, its segments checked
 * @phnum: how many
 * @h: the root image's header
 *
 * Each entry on its own, then: pids and segments do not repeat, each
 * group and session is one the restore can rebuild, each live process
 * but the root names a process segment, one each, and the counts agree
 * with the header.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_tree(const char *name, const struct cr_proc *procs, unsigned int nr,
		 const struct elf64_phdr *phdrs, unsigned int phnum,
		 const struct cr_hdr_image *h)
{
	unsigned int i, j, live = 0, segs = 0;
	u64 threads = 0;

	for (i = 0; i < nr; i++) {
		const struct cr_proc *e = &procs[i];
		const char *why = cr_rule_proc_problem(procs, i);
		bool zombie = e->flags & CR_PROC_ZOMBIE;

		if (why) {
			cr_refuse(name, "process entry %u of the tree (pid %d) is invalid: %s",
				  i, e->pid, why);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (procs[j].pid == e->pid ||
			    (e->segment && procs[j].segment == e->segment)) {
				cr_refuse(name, "process entry %u of the tree (pid %d) repeats the %s of entry %u",
					  i, e->pid, procs[j].pid == e->pid ? "pid" : "segment", j);
				return -EINVAL;
			}
		}
		if (i && !cr_rule_tree_led(procs, nr, i)) {
			cr_refuse(name, "process %d: its process group %d or session %d cannot be rebuilt",
				  e->pid, e->pgid, e->sid);
			return -EINVAL;
		}
		if (i && !cr_rule_tree_joinable(procs, nr, i)) {
			cr_refuse(name, "process %d: a child of process %d cannot be in session %d, group %d",
				  e->pid, procs[e->parent].pid, e->sid, e->pgid);
			return -EINVAL;
		}
		if (!zombie && i && (e->segment >= phnum ||
				     phdrs[e->segment].p_type != PT_CR_PROCESS)) {
			cr_refuse(name, "process %d: segment %u is not a process image",
				  e->pid, e->segment);
			return -EINVAL;
		}
		live += !zombie;
		threads += e->nr_threads;
	}
	if (live != h->nr_processes || threads != h->nr_threads) {
		cr_refuse(name, "the tree holds %u processes and %llu threads, the header says %u and %u",
			  live, (unsigned long long)threads, h->nr_processes, h->nr_threads);
		return -EINVAL;
	}
	for (i = 1; i < phnum; i++)
		segs += phdrs[i].p_type == PT_CR_PROCESS;
	if (segs != live - 1) {
		cr_refuse(name, "%u process segments for %u live processes: one each but the root",
			  segs, live);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_tree_session - can a session of the image have a controlling terminal?
 * @procs: the entries of the tree, checked
 * @nr: how many
 * @sid: the session
 * @pgrp: its foreground process group
 *
 * Return: true when @sid is led by a live process of the tree other than
 * the root (whose session is the exec caller's), and @pgrp is the process
 * group of a live process of that session, other than the root's group.
 */
bool cr_rule_tree_session(const struct cr_proc *procs, unsigned int nr, s32 sid,
			  s32 pgrp)
{
	bool led = false, group = false;
	unsigned int i;

	if (!nr || sid == procs[0].sid || pgrp == procs[0].pgid)
		return false;
	for (i = 1; i < nr; i++) {
		const struct cr_proc *e = &procs[i];

		if ((e->flags & CR_PROC_ZOMBIE) || e->sid != sid)
			continue;
		led |= e->pid == sid;
		group |= e->pgid == pgrp;
	}
	return led && group;
}

/* Threads and signals */

/**
 * cr_rule_threads - the threads of an image: one NT_PRSTATUS each
 * @name: the image, for messages
 * @notes: its notes
 * @nr_notes: how many
 * @proc: its entry in the tree; NULL for crcore when the tree is unreadable
 * @h: its header
 * @nested: the image is a process segment of a tree's root image
 * @nr: set to the number of threads
 *
 * A thread's notes run from its NT_PRSTATUS (cr_note_prstatus()) to the
 * next one; the first thread is the one exec turns into. Their number is
 * the tree entry's and, for a process other than the root, its own
 * header's (a root's header counts the whole tree's).
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_threads(const char *name, const struct cr_note *notes, unsigned int nr_notes,
		    const struct cr_proc *proc, const struct cr_hdr_image *h, bool nested,
		    unsigned int *nr)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr_notes; i++)
		n += cr_note_prstatus(&notes[i]);
	if (!n) {
		cr_refuse(name, "image holds no thread state (NT_PRSTATUS)");
		return -EINVAL;
	}
	if (proc && n != proc->nr_threads) {
		cr_refuse(name, "image holds %u threads, its entry in the tree says %u",
			  n, proc->nr_threads);
		return -EINVAL;
	}
	if (n != h->nr_threads && (nested || (!proc && h->nr_processes == 1))) {
		cr_refuse(name, "image holds %u threads, its header says %u", n, h->nr_threads);
		return -EINVAL;
	}
	*nr = n;
	return 0;
}

/**
 * cr_rule_prpsinfo - NT_PRPSINFO, where the process's name is
 * @name: the image, for messages
 * @note: the note, or NULL
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_prpsinfo(const char *name, const struct cr_note *note)
{
	if (!note || note->size != CR_PRPSINFO_SIZE || strcmp(note->owner, "CORE")) {
		cr_refuse(name, "NT_PRPSINFO is missing or has the wrong size");
		return -EINVAL;
	}
	return 0;
}

/* The clocks an interrupted nanosleep may sleep on. */
bool cr_rule_sleep_clock(s32 id)
{
	return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC ||
	       id == CLOCK_BOOTTIME || id == CLOCK_TAI;
}

static bool cr_rule_kernel_only(int sig)
{
	return sig == SIGKILL || sig == SIGSTOP;
}

/* The parameters sched_setattr(2) takes for SCHED_DEADLINE. */
static bool cr_rule_deadline(const struct cr_sched *s)
{
	return s->runtime >= 1024 && s->deadline && s->runtime <= s->deadline &&
	       (!s->period || s->deadline <= s->period) &&
	       !(s->deadline >> 63) && !(s->period >> 63);
}

/* Scheduling of thread @n: a policy with its parameters, some CPUs. */
static int cr_rule_sched(const char *name, unsigned int n, const struct cr_sched *s)
{
	bool rt = s->policy == SCHED_FIFO || s->policy == SCHED_RR;
	bool dl = s->policy == SCHED_DEADLINE;
	bool fair = s->policy == SCHED_NORMAL || s->policy == SCHED_BATCH;
	unsigned int i, used = 0;

	if ((s->policy != SCHED_NORMAL && s->policy != SCHED_BATCH &&
	     s->policy != SCHED_IDLE && !rt && !dl) ||
	    (s->flags & ~CR_SCHED_FLAGS) || (s->ioprio >> 16) || (s->ioprio >> 13) > 3 ||
	    s->nice < MIN_NICE || s->nice > MAX_NICE ||
	    (rt ? !s->priority || s->priority >= MAX_RT_PRIO : s->priority) ||
	    (dl ? !cr_rule_deadline(s) :
		  s->deadline || s->period || (s->runtime && !fair))) {
		cr_refuse(name, "thread %u: scheduling is invalid (policy %u, flags %#x, nice %d, priority %u)",
			  n, s->policy, s->flags, s->nice, s->priority);
		return -EINVAL;
	}
	if (s->nr_cpus > CR_SCHED_MAX_CPUS) {
		cr_refuse(name, "thread %u: CPU affinity of %u CPUs, more than %u",
			  n, s->nr_cpus, CR_SCHED_MAX_CPUS);
		return -EINVAL;
	}
	for (i = 0; i < CR_SCHED_MAX_CPUS / 64; i++) {
		u64 valid = i * 64 >= s->nr_cpus ? 0 :
			    s->nr_cpus - i * 64 >= 64 ? ~0ULL :
			    (1ULL << (s->nr_cpus - i * 64)) - 1;

		if (s->cpus[i] & ~valid) {
			cr_refuse(name, "thread %u: CPU affinity names CPUs past its %u",
				  n, s->nr_cpus);
			return -EINVAL;
		}
		used |= !!s->cpus[i];
	}
	if (s->nr_cpus && !used) {
		cr_refuse(name, "thread %u: CPU affinity without a CPU", n);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_thread - NT_CR_THREAD of thread @n (1: the first)
 * @name: the image, for messages
 * @n: the thread's place in the image
 * @thn: its note, or NULL
 * @th: filled with the note
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_thread(const char *name, unsigned int n, const struct cr_note *thn,
		   struct cr_hdr_thread *th)
{
	if (!thn || thn->size != sizeof(*th)) {
		cr_refuse(name, "thread %u: NT_CR_THREAD note is missing or has the wrong size (%u bytes, expected %zu)",
			  n, thn ? thn->size : 0, sizeof(*th));
		return -EINVAL;
	}
	memcpy(th, thn->desc, sizeof(*th));
	if ((th->sas_ss_flags & ~(SS_DISABLE | SS_AUTODISARM)) ||
	    th->sas_ss_size > TASK_SIZE_MAX ||
	    th->sas_ss_sp > TASK_SIZE_MAX - th->sas_ss_size) {
		cr_refuse(name, "thread %u: sigaltstack is invalid (sp %#llx, size %#llx, flags %#x)",
			  n, (unsigned long long)th->sas_ss_sp,
			  (unsigned long long)th->sas_ss_size, th->sas_ss_flags);
		return -EINVAL;
	}
	if (th->restart > CR_RESTART_NANOSLEEP ||
	    (th->restart == CR_RESTART_NANOSLEEP &&
	     (!cr_rule_sleep_clock(th->restart_clockid) || th->restart_remaining_ns < 0 ||
	      !cr_rule_user(th->restart_rmtp))) ||
	    (th->restart == CR_RESTART_NONE &&
	     (th->restart_clockid || th->restart_remaining_ns || th->restart_rmtp))) {
		cr_refuse(name, "thread %u: interrupted sleep is invalid (restart %u, clock %d, %lld ns, rmtp %#llx)",
			  n, th->restart, th->restart_clockid,
			  (long long)th->restart_remaining_ns,
			  (unsigned long long)th->restart_rmtp);
		return -EINVAL;
	}
	if (!th->tid || th->tid > PID_MAX_LIMIT || (th->flags & ~CR_THREAD_FLAGS) ||
	    (th->flags & (CR_THREAD_MCE_KILL | CR_THREAD_MCE_EARLY)) == CR_THREAD_MCE_EARLY ||
	    !cr_rule_user(th->clear_child_tid) || !cr_rule_user(th->robust_list) ||
	    (th->robust_list ? th->robust_list_len != sizeof(struct robust_list_head) :
			       th->robust_list_len) ||
	    !cr_rule_user(th->rseq) ||
	    (th->rseq ? !IS_ALIGNED(th->rseq, 32) || th->rseq_len < 32 ||
			th->rseq_len > PAGE_SIZE : th->rseq_len || th->rseq_sig)) {
		cr_refuse(name, "thread %u: tid %u, flags %#x, robust list or rseq are invalid",
			  n, th->tid, th->flags);
		return -EINVAL;
	}
	if (!memchr(th->comm, '\0', sizeof(th->comm))) {
		cr_refuse(name, "thread %u: name is not terminated", n);
		return -EINVAL;
	}
	/* A state each control can have: forced or until exec, it is disabled. */
	if ((th->spec & ~CR_SPEC_FLAGS) ||
	    ((th->spec & CR_SPEC_SSB_NOEXEC) && (th->spec & CR_SPEC_SSB_FORCE)) ||
	    ((th->spec & (CR_SPEC_SSB_FORCE | CR_SPEC_SSB_NOEXEC)) &&
	     !(th->spec & CR_SPEC_SSB_DISABLE)) ||
	    ((th->spec & CR_SPEC_IB_FORCE) && !(th->spec & CR_SPEC_IB_DISABLE))) {
		cr_refuse(name, "thread %u: speculation controls %#x are invalid", n, th->spec);
		return -EINVAL;
	}
	return cr_rule_sched(name, n, &th->sched);
}

/**
 * cr_rule_thread_dispatch - NT_CR_THREAD_DISPATCH of thread @n, if it has one
 * @name: the image, for messages
 * @n: the thread, for messages
 * @note: the note, or NULL (no syscall user dispatch)
 * @sd: filled with it (zero without the note)
 *
 * A selector in user space, a range that does not wrap, as the prctl()
 * wants them.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_thread_dispatch(const char *name, unsigned int n, const struct cr_note *note,
			    struct cr_dispatch *sd)
{
	memset(sd, 0, sizeof(*sd));
	if (!note)
		return 0;
	if (note->size == sizeof(*sd))
		memcpy(sd, note->desc, sizeof(*sd));
	if (note->size != sizeof(*sd) || !cr_rule_user(sd->selector) ||
	    (sd->offset && sd->offset + sd->len <= sd->offset)) {
		cr_refuse(name, "thread %u: NT_CR_THREAD_DISPATCH note is invalid (%u bytes, selector %#llx, range %#llx+%#llx)",
			  n, note->size, (unsigned long long)sd->selector,
			  (unsigned long long)sd->offset, (unsigned long long)sd->len);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_seccomp - NT_CR_SECCOMP of thread @n, if it has one
 * @name: the image, for messages
 * @n: the thread's place in the image
 * @sn: its note, or NULL (not under seccomp)
 *
 * Strict mode (1) has no filter; filter mode (2) has 1 to
 * CR_MAX_SECCOMP_FILTERS, each of 1 to 4096 instructions, within the
 * kernel's limit on a thread's filters, filling the note exactly. A
 * thread's filters are numbered up from its oldest: the checkpoint
 * numbers each filter when it first meets it, oldest first.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_seccomp(const char *name, unsigned int n, const struct cr_note *sn)
{
	struct cr_hdr_seccomp h;
	u64 off, insns = 0;
	u32 i, last = 0;

	if (!sn)
		return 0;
	if (sn->size < sizeof(h)) {
		cr_refuse(name, "thread %u: NT_CR_SECCOMP note is too short", n);
		return -EINVAL;
	}
	memcpy(&h, sn->desc, sizeof(h));
	if (!((h.mode == 1 && !h.nr_filters && sn->size == sizeof(h)) ||
	      (h.mode == 2 && h.nr_filters && h.nr_filters <= CR_MAX_SECCOMP_FILTERS))) {
		cr_refuse(name, "thread %u: seccomp mode %u with %u filters is invalid",
			  n, h.mode, h.nr_filters);
		return -EINVAL;
	}
	off = sizeof(h);
	for (i = 0; i < h.nr_filters; i++) {
		struct cr_seccomp_filter f;

		if (sn->size - off < sizeof(f)) {
			cr_refuse(name, "thread %u: seccomp filter %u is cut short", n, i);
			return -EINVAL;
		}
		memcpy(&f, (const u8 *)sn->desc + off, sizeof(f));
		off += sizeof(f);
		insns += (u64)f.len + 4;
		if (f.id <= last || (f.flags & ~CR_SECCOMP_FLAGS) || f.__pad || !f.len ||
		    f.len > 4096 || insns > CR_MAX_SECCOMP_INSNS + 4 ||
		    sn->size - off < (u64)f.len * CR_SECCOMP_INSN_SIZE) {
			cr_refuse(name, "thread %u: seccomp filter %u is invalid (id %u, flags %#x, %u instructions)",
				  n, i, f.id, f.flags, f.len);
			return -EINVAL;
		}
		off += (u64)f.len * CR_SECCOMP_INSN_SIZE;
		last = f.id;
	}
	if (off != sn->size) {
		cr_refuse(name, "thread %u: NT_CR_SECCOMP note has %llu bytes more than its filters",
			  n, (unsigned long long)(sn->size - off));
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_sigpending - NT_CR_SIGPENDING of thread @n
 * @name: the image, for messages
 * @n: the thread's place in the image
 * @pn: its note, or NULL
 * @main: the thread exec turns into, the only one with process signals
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sigpending(const char *name, unsigned int n, const struct cr_note *pn,
		       bool main)
{
	u64 i, nr;

	if (!pn || pn->size % sizeof(struct cr_sigpending) ||
	    pn->size / sizeof(struct cr_sigpending) > CR_MAX_SIGPENDING) {
		cr_refuse(name, "thread %u: NT_CR_SIGPENDING note is missing or malformed", n);
		return -EINVAL;
	}
	nr = pn->size / sizeof(struct cr_sigpending);
	for (i = 0; i < nr; i++) {
		struct cr_sigpending p;
		s32 signo;

		memcpy(&p, (const u8 *)pn->desc + i * sizeof(p), sizeof(p));
		memcpy(&signo, p.info, sizeof(signo));
		if (p.shared > 1 || (p.shared && !main) || p.__pad || signo < 1 ||
		    signo > CR_NSIG || cr_rule_kernel_only(signo)) {
			cr_refuse(name, "thread %u: pending signal %llu is invalid (signal %d, %s queue)",
				  n, (unsigned long long)i, signo,
				  p.shared == 1 ? "process" : p.shared ? "unknown" : "thread");
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * cr_rule_sighand - NT_CR_SIGHAND, the dispositions of the process
 * @name: the image, for messages
 * @note: the note, or NULL
 * @sa: filled with its CR_NSIG entries
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sighand(const char *name, const struct cr_note *note,
		    struct cr_sigaction *sa)
{
	unsigned int i;

	if (!note || note->size != CR_NSIG * sizeof(*sa)) {
		cr_refuse(name, "NT_CR_SIGHAND note is missing or has the wrong size");
		return -EINVAL;
	}
	memcpy(sa, note->desc, CR_NSIG * sizeof(*sa));
	for (i = 0; i < CR_NSIG; i++) {
		if (!cr_rule_user(sa[i].handler) || !cr_rule_user(sa[i].restorer) ||
		    (sa[i].flags & ~(u64)UAPI_SA_FLAGS) ||
		    (cr_rule_kernel_only(i + 1) && sa[i].handler != 0)) {
			cr_refuse(name, "disposition of signal %u is invalid (handler %#llx, flags %#llx, restorer %#llx)",
				  i + 1, (unsigned long long)sa[i].handler,
				  (unsigned long long)sa[i].flags,
				  (unsigned long long)sa[i].restorer);
			return -EINVAL;
		}
	}
	return 0;
}

/* Memory */

/**
 * cr_rule_mm - NT_CR_MM, and the number of mappings it counts
 * @name: the image, for messages
 * @note: the note, or NULL
 * @phdrs: the image's program headers
 * @phnum: how many
 * @mm: filled with the note
 *
 * One mapping per PT_LOAD; the PT_CR_PROCESS segments, if any, come
 * after them.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_mm(const char *name, const struct cr_note *note,
	       const struct elf64_phdr *phdrs, unsigned int phnum, struct cr_hdr_mm *mm)
{
	if (!note || note->size != sizeof(*mm)) {
		cr_refuse(name, "NT_CR_MM note is missing or has the wrong size");
		return -EINVAL;
	}
	memcpy(mm, note->desc, sizeof(*mm));
	if (mm->nr_vmas >= phnum ||
	    (mm->nr_vmas && phdrs[mm->nr_vmas].p_type != PT_LOAD) ||
	    (mm->nr_vmas + 1 < phnum && phdrs[mm->nr_vmas + 1].p_type != PT_CR_PROCESS)) {
		cr_refuse(name, "NT_CR_MM counts %u mappings, the image has %u",
			  mm->nr_vmas, phnum ? phnum - 1 : 0);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_nt_file - NT_FILE: count, page size, triples, then the paths
 * @name: the image, for messages
 * @note: the note, or NULL (no file mapping)
 * @nr_vmas: the mappings of the image
 * @count: set to the number of files
 * @paths: NULL, or @count entries filled with the paths, in @note
 *
 * Every path is absolute and terminated inside the note.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_nt_file(const char *name, const struct cr_note *note, unsigned int nr_vmas,
		    u64 *count, const char **paths)
{
	const char *path, *end;
	u64 n, page_size, i;

	*count = 0;
	if (!note)
		return 0;
	if (note->size < 2 * sizeof(u64)) {
		cr_refuse(name, "NT_FILE note is malformed: %u bytes", note->size);
		return -EINVAL;
	}
	memcpy(&n, note->desc, sizeof(n));
	memcpy(&page_size, (const u8 *)note->desc + sizeof(u64), sizeof(page_size));
	if (page_size != PAGE_SIZE) {
		cr_refuse(name, "NT_FILE note is malformed: page size %llu",
			  (unsigned long long)page_size);
		return -EINVAL;
	}
	if (n > nr_vmas || (2 + 3 * n) * sizeof(u64) > note->size) {
		cr_refuse(name, "NT_FILE note is malformed: %llu files", (unsigned long long)n);
		return -EINVAL;
	}
	path = (const char *)note->desc + (2 + 3 * n) * sizeof(u64);
	end = (const char *)note->desc + note->size;
	for (i = 0; i < n; i++) {
		const char *nul = memchr(path, '\0', end - path);

		if (!nul || nul == path || path[0] != '/') {
			cr_refuse(name, "NT_FILE note is malformed: path %llu is not absolute or not terminated",
				  (unsigned long long)i);
			return -EINVAL;
		}
		if (paths)
			paths[i] = path;
		path = nul + 1;
	}
	*count = n;
	return 0;
}

static const char *const cr_rule_vma_kinds[] = {
	[CR_VMA_ANON] = "anon", [CR_VMA_FILE] = "file",
	[CR_VMA_VDSO] = "vdso", [CR_VMA_VVAR] = "vvar", [CR_VMA_SYSV] = "sysv",
	[CR_VMA_AIO] = "aio",
};

/**
 * cr_rule_vmas - NT_CR_VMAS: one entry per PT_LOAD segment, as it says
 * @name: the image, for messages
 * @note: the note, or NULL
 * @phdrs: the image's program headers (the mappings are 1..@nr_vmas)
 * @nr_vmas: the mappings, as NT_CR_MM counts them
 * @nr_files: the files of NT_FILE
 * @vma: @nr_vmas entries, filled with the note
 *
 * What the restoring system decides (vm.mmap_min_addr, the files) is
 * checked after this rule.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_vmas(const char *name, const struct cr_note *note,
		 const struct elf64_phdr *phdrs, unsigned int nr_vmas, u64 nr_files,
		 struct cr_vma *vma)
{
	unsigned int i;

	if (!note || note->size != (u64)nr_vmas * sizeof(*vma)) {
		cr_refuse(name, "NT_CR_VMAS note is missing or not %u entries", nr_vmas);
		return -EINVAL;
	}
	memcpy(vma, note->desc, note->size);
	for (i = 0; i < nr_vmas; i++) {
		const struct elf64_phdr *ph = &phdrs[i + 1];
		const struct cr_vma *v = &vma[i];

		if (v->start != ph->p_vaddr || v->end != ph->p_vaddr + ph->p_memsz) {
			cr_refuse(name, "mapping %u [%#llx-%#llx] does not match segment %u [%#llx-%#llx]",
				  i, (unsigned long long)v->start, (unsigned long long)v->end,
				  i + 1, (unsigned long long)ph->p_vaddr,
				  (unsigned long long)(ph->p_vaddr + ph->p_memsz));
			return -EINVAL;
		}
		if ((v->flags & ~CR_VMA_FLAGS) || (v->prot & ~CR_VMA_PROT) ||
		    v->kind > CR_VMA_AIO || v->__pad) {
			cr_refuse(name, "mapping %u [%#llx-%#llx] has unknown flags %#x, prot %#x, kind %u or padding",
				  i, (unsigned long long)v->start, (unsigned long long)v->end,
				  v->flags, v->prot, v->kind);
			return -EINVAL;
		}
		if (((v->flags & CR_VMA_WIPEONFORK) &&
		     (v->kind != CR_VMA_ANON || (v->flags & CR_VMA_SHARED))) ||
		    ((v->flags & CR_VMA_HUGEPAGE) && (v->flags & CR_VMA_NOHUGEPAGE)) ||
		    ((v->flags & CR_VMA_SEQ_READ) && (v->flags & CR_VMA_RAND_READ)) ||
		    ((v->kind == CR_VMA_VDSO || v->kind == CR_VMA_VVAR) &&
		     (v->flags & ~CR_VMA_SHARED)) ||
		    ((v->flags & CR_VMA_LOCKONFAULT) && !(v->flags & CR_VMA_LOCKED))) {
			cr_refuse(name, "mapping %u [%#llx-%#llx] has madvise or mlock flags %#x it cannot have",
				  i, (unsigned long long)v->start, (unsigned long long)v->end,
				  v->flags);
			return -EINVAL;
		}
		if (v->kind == CR_VMA_FILE) {
			if (v->file < 0 || (u64)v->file >= nr_files ||
			    v->pgoff > (MAX_LFS_FILESIZE >> PAGE_SHIFT)) {
				cr_refuse(name, "mapping %u names no file (file %d, offset %#llx pages)",
					  i, v->file, (unsigned long long)v->pgoff);
				return -EINVAL;
			}
			/* A writable shared mapping needs its file open for writing. */
			if ((v->flags & CR_VMA_SHARED) && (v->prot & PROT_WRITE) &&
			    !(v->flags & CR_VMA_MAYWRITE)) {
				cr_refuse(name, "mapping %u is writable but its file is not", i);
				return -EINVAL;
			}
		} else if (v->file != -1 || (v->pgoff && !v->shm)) {
			cr_refuse(name, "mapping %u has a file but is not a file mapping", i);
			return -EINVAL;
		} else if (v->shm && (v->flags & CR_VMA_SHARED) && (v->prot & PROT_WRITE) &&
			   !(v->flags & CR_VMA_MAYWRITE)) {
			cr_refuse(name, "mapping %u is writable shared memory that may not be written", i);
			return -EINVAL;
		}
		/*
		 * Shared anonymous memory and SysV attachments (shared, whole
		 * segments) name their object; nothing else does.
		 */
		if (((v->kind == CR_VMA_ANON && (v->flags & CR_VMA_SHARED)) ||
		     v->kind == CR_VMA_SYSV) != !!v->shm ||
		    (v->kind == CR_VMA_SYSV &&
		     (!(v->flags & CR_VMA_SHARED) || (v->flags & CR_VMA_GROWSDOWN) || v->pgoff)) ||
		    v->pgoff > (MAX_LFS_FILESIZE - (v->end - v->start)) >> PAGE_SHIFT) {
			cr_refuse(name, "mapping %u: shared memory object %u is invalid (a %s %s mapping, offset %#llx pages)",
				  i, v->shm, v->flags & CR_VMA_SHARED ? "shared" : "private",
				  cr_rule_vma_kinds[v->kind], (unsigned long long)v->pgoff);
			return -EINVAL;
		}
		if ((v->kind == CR_VMA_VDSO || v->kind == CR_VMA_VVAR) &&
		    (v->flags & CR_VMA_SHARED)) {
			cr_refuse(name, "mapping %u: a shared vdso", i);
			return -EINVAL;
		}
		/* An AIO ring: shared, read-write, as io_setup() maps it. */
		if (v->kind == CR_VMA_AIO &&
		    (!(v->flags & CR_VMA_SHARED) ||
		     (v->flags & (CR_VMA_GROWSDOWN | CR_VMA_MAYWRITE)) ||
		     v->prot != (PROT_READ | PROT_WRITE))) {
			cr_refuse(name, "mapping %u: an AIO ring with flags %#x, prot %#x",
				  i, v->flags, v->prot);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The largest ring io_setup() makes for @max_reqs requests, on a machine
 * of up to 1024 CPUs: twice max(@max_reqs, 4 per CPU), two overlap
 * entries, rounded up to a page.
 */
static u64 cr_rule_aio_events_max(u32 max_reqs)
{
	return 2ULL * (max_reqs > 4096 ? max_reqs : 4096) + 2 + PAGE_SIZE / 32;
}

/**
 * cr_rule_aio - NT_CR_AIO: the AIO contexts whose rings the mappings are
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @vma: the mappings, checked by cr_rule_vmas()
 * @nr_vmas: how many
 * @nr: set to the number of contexts
 *
 * One entry per CR_VMA_AIO mapping, at its start, by increasing address,
 * whose ring is the mapping's size and no larger than io_setup() could
 * make it; head and tail within the ring, the events not read yet
 * following; the entries fill the note exactly.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_aio(const char *name, const struct cr_note *note, const struct cr_vma *vma,
		unsigned int nr_vmas, unsigned int *nr)
{
	u64 off = 0, size = note ? note->size : 0, prev = 0;
	const u8 *p = note ? note->desc : NULL;
	unsigned int i, n = 0, rings = 0;

	*nr = 0;
	for (i = 0; i < nr_vmas; i++)
		rings += vma[i].kind == CR_VMA_AIO;
	while (off < size) {
		const struct cr_vma *v = NULL;
		struct cr_aio a;

		if (size - off < sizeof(a) || n == CR_MAX_AIO)
			goto bad;
		memcpy(&a, p + off, sizeof(a));
		if (a.addr <= prev || !a.max_reqs || a.nr_events < 2 || a.__pad ||
		    a.nr_events > cr_rule_aio_events_max(a.max_reqs) ||
		    a.max_reqs > 0x10000000U / 32 / 2 ||
		    (32 + 32ULL * a.nr_events) % PAGE_SIZE ||
		    a.head >= a.nr_events || a.tail >= a.nr_events ||
		    a.nr_unread != (a.tail + a.nr_events - a.head) % a.nr_events ||
		    (size - off - sizeof(a)) / sizeof(struct cr_aio_event) < a.nr_unread)
			goto bad;
		for (i = 0; i < nr_vmas && !v; i++)
			if (vma[i].kind == CR_VMA_AIO && vma[i].start == a.addr)
				v = &vma[i];
		if (!v || v->end - v->start != 32 + 32ULL * a.nr_events)
			goto bad;
		prev = a.addr;
		off += sizeof(a) + a.nr_unread * (u64)sizeof(struct cr_aio_event);
		n++;
	}
	/* Each at its own mapping: as many entries as rings. */
	if (n != rings)
		goto bad;
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_AIO note is malformed: entry %u at byte %llu (%u AIO rings)",
		  n, (unsigned long long)off, rings);
	return -EINVAL;
}

/**
 * cr_rule_sem_undo - NT_CR_SEM_UNDO: the process's SEM_UNDO adjustments
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @nr: set to the number of sets
 *
 * Each set once, with 1 to CR_SEM_NSEMS_MAX semaphores, an adjustment
 * not zero and none out of a semaphore's range; the entries fill the
 * note exactly.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sem_undo(const char *name, const struct cr_note *note, unsigned int *nr)
{
	u64 off = 0, size = note ? note->size : 0;
	const u8 *p = note ? note->desc : NULL;
	unsigned int n = 0;

	*nr = 0;
	while (off < size) {
		struct cr_sem_undo u, v;
		u64 len, o;
		bool any = false;
		u32 i;

		if (size - off < sizeof(u) || n == CR_MAX_SEM_UNDO)
			goto bad;
		memcpy(&u, p + off, sizeof(u));
		len = sizeof(u) + ((u.nsems * 2ULL + 7) & ~7ULL);
		if (u.semid < 0 || !u.nsems || u.nsems > CR_SEM_NSEMS_MAX || size - off < len)
			goto bad;
		for (i = 0; i < u.nsems; i++) {
			s16 adj;

			memcpy(&adj, p + off + sizeof(u) + 2 * i, sizeof(adj));
			if (adj == -32768)
				goto bad;
			any |= adj != 0;
		}
		for (o = 0; o < off; o += sizeof(v) + ((v.nsems * 2ULL + 7) & ~7ULL)) {
			memcpy(&v, p + o, sizeof(v));
			if (v.semid == u.semid)
				goto bad;
		}
		if (!any)
			goto bad;
		off += len;
		n++;
	}
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_SEM_UNDO note is malformed: entry %u at byte %llu", n,
		  (unsigned long long)off);
	return -EINVAL;
}

/* Is @s a string of @len bytes, NUL-terminated, with zeroes after? */
static bool cr_rule_name(const char *s, size_t len)
{
	const char *end = memchr(s, '\0', len);

	return end && cr_rule_zeroed(end, len - (end - s));
}

/**
 * cr_rule_ns - NT_CR_NS: the namespaces the tree is in
 * @name: the image, for messages
 * @note: the note, or NULL (none: the caller's namespaces)
 * @h: set to it, or zeroes
 *
 * Known flags, zero padding, each name terminated with zeroes after it,
 * and empty without CR_NS_UTS; with CR_NS_TIME, clocks from 0 to
 * CR_NS_CLOCK_MAX_SEC, else none; with CR_NS_NET, a loopback MTU of 68
 * or more and known flags, else none. The first layout, without the clocks,
 * is read as one without CR_NS_TIME, CR_NS_NET and CR_NS_USER.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_ns(const char *name, const struct cr_note *note, struct cr_hdr_ns *h)
{
	memset(h, 0, sizeof(*h));
	if (!note)
		return 0;
	if (note->size != sizeof(*h) && note->size != CR_HDR_NS_SIZE_NO_TIME)
		goto bad;
	memcpy(h, note->desc, note->size);
	if (note->size == CR_HDR_NS_SIZE_NO_TIME && (h->flags & ~(CR_NS_UTS | CR_NS_IPC)))
		goto bad;
	if ((h->flags & ~CR_NS_FLAGS) || h->__pad || !cr_rule_zeroed(h->__pad2, sizeof(h->__pad2)) ||
	    !cr_rule_name(h->hostname, sizeof(h->hostname)) ||
	    !cr_rule_name(h->domainname, sizeof(h->domainname)) ||
	    (!(h->flags & CR_NS_UTS) && (h->hostname[0] || h->domainname[0])))
		goto bad;
	/* Clocks a time namespace can show (timens offsets keep them so). */
	if (h->flags & CR_NS_TIME ?
	    h->monotonic_ns < 0 || h->boottime_ns < 0 ||
	    h->monotonic_ns / 1000000000 > CR_NS_CLOCK_MAX_SEC ||
	    h->boottime_ns / 1000000000 > CR_NS_CLOCK_MAX_SEC :
	    h->monotonic_ns || h->boottime_ns)
		goto bad;
	/* A loopback device's MTU: from IPV4_MIN_MTU (68) to its maximum. */
	if (h->flags & CR_NS_NET ?
	    (h->lo_flags & ~CR_NS_LO_UP) || h->lo_mtu < 68 || h->lo_mtu > 0x7fffffff :
	    h->lo_flags || h->lo_mtu)
		goto bad;
	return 0;
bad:
	cr_refuse(name, "NT_CR_NS note is malformed (%u bytes)", note->size);
	memset(h, 0, sizeof(*h));
	return -EINVAL;
}

/* One id map of @nr extents at @p: each valid, none overlapping another. */
static bool cr_rule_userns_map(const u8 *p, u32 nr)
{
	struct cr_userns_extent a, b;
	u32 i, j;

	for (i = 0; i < nr; i++) {
		memcpy(&a, p + (size_t)i * sizeof(a), sizeof(a));
		/* As a write to /proc/PID/uid_map checks: no wrap, no (u32)-1. */
		if (a.first == (u32)-1 || a.lower_first == (u32)-1 ||
		    (u32)(a.first + a.count) <= a.first ||
		    (u32)(a.lower_first + a.count) <= a.lower_first)
			return false;
		for (j = 0; j < i; j++) {
			memcpy(&b, p + (size_t)j * sizeof(b), sizeof(b));
			if ((a.first <= b.first + (b.count - 1) &&
			     b.first <= a.first + (a.count - 1)) ||
			    (a.lower_first <= b.lower_first + (b.count - 1) &&
			     b.lower_first <= a.lower_first + (a.count - 1)))
				return false;
		}
	}
	return true;
}

/**
 * cr_rule_userns - NT_CR_USERNS: the user namespace the tree is in
 * @name: the image, for messages
 * @note: the note
 * @h: set to its header
 * @ext: set to its extents, the uid map's then the gid map's
 *
 * Known flags, zero padding, at most CR_USERNS_MAX_EXTENTS extents per
 * map, filling the note exactly; each extent as a write to
 * /proc/PID/uid_map would take it, none overlapping another of its map
 * inside or outside.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_userns(const char *name, const struct cr_note *note, struct cr_hdr_userns *h,
		   const void **ext)
{
	const u8 *p;

	memset(h, 0, sizeof(*h));
	*ext = NULL;
	if (!note || note->size < sizeof(*h))
		goto bad;
	memcpy(h, note->desc, sizeof(*h));
	p = (const u8 *)note->desc + sizeof(*h);
	if ((h->flags & ~CR_USERNS_FLAGS) || h->__pad ||
	    h->nr_uid > CR_USERNS_MAX_EXTENTS || h->nr_gid > CR_USERNS_MAX_EXTENTS ||
	    note->size != sizeof(*h) + (h->nr_uid + h->nr_gid) *
			  sizeof(struct cr_userns_extent) ||
	    !cr_rule_userns_map(p, h->nr_uid) ||
	    !cr_rule_userns_map(p + h->nr_uid * sizeof(struct cr_userns_extent), h->nr_gid))
		goto bad;
	*ext = p;
	return 0;
bad:
	cr_refuse(name, "NT_CR_USERNS note is %s (%u bytes)", note ? "malformed" : "missing",
		  note ? note->size : 0);
	memset(h, 0, sizeof(*h));
	return -EINVAL;
}

/*
 * A relative path, @len bytes with its NUL, none before: one or more
 * components, none empty, "." or "..".
 */
static bool cr_rule_rel_path(const char *p, u32 len)
{
	u32 i, start = 0, n;

	if (len < 2 || len > PATH_MAX || p[0] == '/' || strnlen(p, len) != len - 1)
		return false;
	for (i = 0; i < len; i++) {
		if (p[i] && p[i] != '/')
			continue;
		n = i - start;
		if (!n || (n == 1 && p[start] == '.') ||
		    (n == 2 && p[start] == '.' && p[start + 1] == '.'))
			return false;
		start = i + 1;
	}
	return true;
}

/* A path of an NT_CR_MOUNTS entry, @len bytes with its NUL: "/", or "/" and a relative one. */
static bool cr_rule_mount_path(const char *p, u32 len)
{
	if (len == 2 && p[0] == '/' && !p[1])
		return true;
	return len > 2 && p[0] == '/' && cr_rule_rel_path(p + 1, len - 1);
}

/* Mount options as CR_MNT_DEVPTS keeps them: "" or "a=1,b", NUL-terminated. */
static bool cr_rule_mount_opts(const char *p, u32 len)
{
	u32 i;

	if (!len || p[len - 1])
		return false;
	for (i = 0; i + 1 < len; i++)
		if (!(p[i] >= 'a' && p[i] <= 'z') && !(p[i] >= 'A' && p[i] <= 'Z') &&
		    !(p[i] >= '0' && p[i] <= '9') && p[i] != '=' && p[i] != ',')
			return false;
	return true;
}

/**
 * cr_mount_at - one entry of an NT_CR_MOUNTS note that cr_rule_mounts() passed
 * @p: the note's bytes
 * @off: the entry's offset; set to the next one's
 * @e: set to its header
 * @path: set to its path
 * @root: set to its root in its filesystem ("" without one)
 */
void cr_mount_at(const void *p, u64 *off, struct cr_mount *e, const char **path,
		 const char **root)
{
	const char *s = (const char *)p + *off + sizeof(*e);

	memcpy(e, (const char *)p + *off, sizeof(*e));
	*path = s;
	*root = e->root_len ? s + e->path_len : s + e->path_len - 1;
	*off += ALIGN((u64)sizeof(*e) + e->path_len + e->root_len, 8);
}

/**
 * cr_rule_mounts - NT_CR_MOUNTS: the mounts of the tree's mount namespace
 * @name: the image, for messages
 * @note: the note, or NULL
 * @nr: set to the number of mounts
 *
 * 1 to CR_MAX_MOUNTS entries filling the note, each padded with zeroes
 * to 8 bytes: a known kind, known flags, a source (another entry's
 * index) with CR_MNT_BIND and 0 else, a type of filesystem terminated with
 * zeroes after it, a path as cr_rule_mount_path() takes it, a root
 * (likewise) with CR_MNT_HOST and CR_MNT_BIND, options (letters, digits,
 * '=' and ',') with CR_MNT_DEVPTS and none else, a device with
 * CR_MNT_HOST only, a size, inode limit, mode
 * (permission bits), owner and group with CR_MNT_TMPFS only. The first is the root,
 * "/", of kind CR_MNT_HOST.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_mounts(const char *name, const struct cr_note *note, unsigned int *nr)
{
	u64 off = 0, size = note ? note->size : 0, len;
	const char *p = note ? (const char *)note->desc : NULL;
	const char *path, *root;
	unsigned int n = 0, total;
	struct cr_mount e;

	*nr = 0;
	if (!note)
		goto bad;
	while (off < size) {
		if (size - off < sizeof(e) || n == CR_MAX_MOUNTS)
			goto bad;
		memcpy(&e, p + off, sizeof(e));
		len = ALIGN((u64)sizeof(e) + e.path_len + e.root_len, 8);
		if (len > size - off)
			goto bad;
		if (!e.kind || e.kind > CR_MNT_KIND_MAX || (e.flags & ~CR_MNT_FLAGS) ||
		    (e.kind == CR_MNT_BIND ? e.source == n || e.source >= CR_MAX_MOUNTS : e.source) ||
		    !cr_rule_name(e.fstype, sizeof(e.fstype)) || !e.fstype[0] ||
		    !cr_rule_mount_path(p + off + sizeof(e), e.path_len) ||
		    (e.kind != CR_MNT_HOST && e.dev) ||
		    (e.kind == CR_MNT_HOST || e.kind == CR_MNT_BIND ?
		     !cr_rule_mount_path(p + off + sizeof(e) + e.path_len, e.root_len) :
		     e.kind == CR_MNT_DEVPTS ?
		     !cr_rule_mount_opts(p + off + sizeof(e) + e.path_len, e.root_len) :
		     e.root_len) ||
		    (e.kind != CR_MNT_TMPFS && (e.size || e.nr_inodes || e.mode || e.uid || e.gid)) ||
		    (e.mode & ~07777) ||
		    !cr_rule_zeroed(p + off + sizeof(e) + e.path_len + e.root_len,
				    len - sizeof(e) - e.path_len - e.root_len))
			goto bad;
		cr_mount_at(p, &off, &e, &path, &root);
		if (!n && (e.kind != CR_MNT_HOST || strcmp(path, "/")))
			goto bad;
		n++;
	}
	if (!n)
		goto bad;
	/* A bind mount's source is another entry, before or after it. */
	total = n;
	for (off = 0, n = 0; off < size; n++) {
		cr_mount_at(p, &off, &e, &path, &root);
		if (e.kind == CR_MNT_BIND && e.source >= total)
			goto bad;
	}
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_MOUNTS note is %s: entry %u at byte %llu", note ? "malformed" : "missing",
		  n, (unsigned long long)off);
	return -EINVAL;
}

/**
 * cr_tmpfs_at - one entry of an NT_CR_TMPFS note that cr_rule_tmpfs() passed
 * @p: the note's bytes
 * @off: the entry's offset; set to the next one's
 * @e: set to its header
 * @path: set to its path
 * @data: set to its data
 */
void cr_tmpfs_at(const void *p, u64 *off, struct cr_tmpfs_file *e, const char **path,
		 const char **data)
{
	const char *s = (const char *)p + *off + sizeof(*e);

	memcpy(e, (const char *)p + *off, sizeof(*e));
	*path = s;
	*data = s + e->path_len;
	*off += ALIGN((u64)sizeof(*e) + e->path_len + e->size, 8);
}

/**
 * cr_rule_tmpfs - NT_CR_TMPFS: the files of the tree's own tmpfs mounts
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @nr_mounts: the entries of NT_CR_MOUNTS
 *
 * At most CR_TMPFS_MAX_FILES entries, CR_TMPFS_MAX_DATA bytes of data in
 * all, filling the note, each padded with zeroes to 8 bytes: a mount
 * index below @nr_mounts, a directory, device node or FIFO (no data; a
 * device with a device node only), a regular file or a symbolic link (a
 * target of 1 to PATH_MAX - 1 bytes without NUL), permission bits only
 * besides the type, a relative path
 * (cr_rule_rel_path()).
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_tmpfs(const char *name, const struct cr_note *note, unsigned int nr_mounts)
{
	u64 off = 0, size = note ? note->size : 0, len, total = 0;
	const char *p = note ? (const char *)note->desc : NULL;
	const char *path, *data;
	struct cr_tmpfs_file e;
	unsigned int n = 0;

	while (off < size) {
		if (size - off < sizeof(e) || n == CR_TMPFS_MAX_FILES)
			goto bad;
		memcpy(&e, p + off, sizeof(e));
		if (e.size > CR_TMPFS_MAX_DATA || e.path_len < 2 || e.path_len > PATH_MAX)
			goto bad;
		len = ALIGN((u64)sizeof(e) + e.path_len + e.size, 8);
		total += e.size;
		if (len > size - off || total > CR_TMPFS_MAX_DATA || e.mount >= nr_mounts ||
		    (e.mode & ~(S_IFMT | 07777)) ||
		    (e.rdev && !S_ISCHR(e.mode) && !S_ISBLK(e.mode)))
			goto bad;
		switch (e.mode & S_IFMT) {
		case S_IFDIR:
			if (e.size)
				goto bad;
			break;
		case S_IFLNK:
			if (!e.size || e.size >= PATH_MAX ||
			    memchr(p + off + sizeof(e) + e.path_len, '\0', e.size))
				goto bad;
			break;
		case S_IFREG:
			break;
		case S_IFCHR:
		case S_IFBLK:
		case S_IFIFO:
			if (e.size)
				goto bad;
			break;
		default:
			goto bad;
		}
		if (!cr_rule_rel_path(p + off + sizeof(e), e.path_len) ||
		    !cr_rule_zeroed(p + off + sizeof(e) + e.path_len + e.size,
				    len - sizeof(e) - e.path_len - e.size))
			goto bad;
		cr_tmpfs_at(p, &off, &e, &path, &data);
		n++;
	}
	return 0;
bad:
	cr_refuse(name, "NT_CR_TMPFS note is malformed: entry %u at byte %llu", n,
		  (unsigned long long)off);
	return -EINVAL;
}

/**
 * cr_net_sysctl_at - one entry of an NT_CR_NET_SYSCTL note that cr_rule_net_sysctl() passed
 * @p: the note's bytes
 * @off: the entry's offset; set to the next one's
 * @name: set to its name
 * @value: set to its value
 */
void cr_net_sysctl_at(const void *p, u64 *off, const char **name, const char **value)
{
	struct cr_net_sysctl e;

	memcpy(&e, (const char *)p + *off, sizeof(e));
	*name = (const char *)p + *off + sizeof(e);
	*value = *name + e.name_len;
	*off += ALIGN((u64)sizeof(e) + e.name_len + e.value_len, 8);
}

/**
 * cr_rule_net_sysctl - NT_CR_NET_SYSCTL: the sysctls of the tree's network namespace
 * @name: the image, for messages
 * @note: the note, or NULL (none: an image that holds none)
 * @nr: set to its number of entries
 *
 * At most CR_NET_SYSCTL_MAX entries filling the note, each padded with
 * zeroes to 8 bytes: a relative name (cr_rule_rel_path()) of at most
 * CR_NET_SYSCTL_NAME_MAX bytes, a value of at most CR_NET_SYSCTL_VALUE_MAX
 * bytes, NUL-terminated, none before.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_net_sysctl(const char *name, const struct cr_note *note, unsigned int *nr)
{
	u64 off = 0, size = note ? note->size : 0, len;
	const char *p = note ? (const char *)note->desc : NULL;
	const char *key, *value;
	struct cr_net_sysctl e;
	unsigned int n = 0;

	while (off < size) {
		if (size - off < sizeof(e) || n == CR_NET_SYSCTL_MAX)
			goto bad;
		memcpy(&e, p + off, sizeof(e));
		if (e.__pad || e.name_len > CR_NET_SYSCTL_NAME_MAX || !e.value_len ||
		    e.value_len > CR_NET_SYSCTL_VALUE_MAX)
			goto bad;
		len = ALIGN((u64)sizeof(e) + e.name_len + e.value_len, 8);
		if (len > size - off || !cr_rule_rel_path(p + off + sizeof(e), e.name_len))
			goto bad;
		value = p + off + sizeof(e) + e.name_len;
		if (strnlen(value, e.value_len) != e.value_len - 1U ||
		    !cr_rule_zeroed(value + e.value_len,
				    len - sizeof(e) - e.name_len - e.value_len))
			goto bad;
		cr_net_sysctl_at(p, &off, &key, &value);
		n++;
	}
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_NET_SYSCTL note is malformed: entry %u at byte %llu", n,
		  (unsigned long long)off);
	return -EINVAL;
}

/* Is @s, of @len bytes, a device name a restore may give (dev_valid_name()), or empty when @empty? */
static bool cr_rule_ifname(const char *s, size_t len, bool empty)
{
	size_t i, n;

	if (!cr_rule_name(s, len))
		return false;
	n = strlen(s);
	if (!n)
		return empty;
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
			return false;
	return true;
}

/* Is one entry of NT_CR_NET_LINKS well formed? */
static bool cr_rule_net_link(const struct cr_net_link *l)
{
	bool in = l->where & CR_NET_LINK_PEER_IN;

	return l->kind == CR_NET_LINK_VETH && l->ifindex > 1 &&
		!(l->where & ~CR_NET_LINK_WHERE) &&
		!(l->flags & ~CR_NET_LINK_IFF) && !(l->peer_flags & ~CR_NET_LINK_IFF) &&
		l->num_tx_queues >= 1 && l->num_tx_queues <= 4096 &&
		l->num_rx_queues >= 1 && l->num_rx_queues <= 4096 &&
		l->addr_len <= CR_NET_ADDR_MAX && l->peer_addr_len <= CR_NET_ADDR_MAX &&
		cr_rule_zeroed(l->addr + l->addr_len, CR_NET_ADDR_MAX - l->addr_len) &&
		cr_rule_zeroed(l->peer_addr + l->peer_addr_len,
			       CR_NET_ADDR_MAX - l->peer_addr_len) &&
		cr_rule_zeroed(l->__pad, sizeof(l->__pad)) &&
		(in ? l->peer_ifindex > 1 && l->peer_ifindex != l->ifindex :
		      !l->peer_ifindex) &&
		cr_rule_ifname(l->name, sizeof(l->name), false) &&
		cr_rule_ifname(l->peer_name, sizeof(l->peer_name), false) &&
		cr_rule_ifname(l->peer_master, sizeof(l->peer_master), true) &&
		(!in || !l->peer_master[0]);
}

/**
 * cr_rule_net_links - NT_CR_NET_LINKS: the devices of the tree's network namespace
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @nr: set to its number of entries
 *
 * At most CR_NET_LINKS_MAX entries filling the note, each a veth pair
 * (cr_rule_net_link()), by increasing index, no index or name twice
 * among the namespace's ends, lo's excluded.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_net_links(const char *name, const struct cr_note *note, unsigned int *nr)
{
	const struct cr_net_link *l = note ? (const void *)note->desc : NULL;
	u64 size = note ? note->size : 0;
	unsigned int n, i, j;

	*nr = 0;
	if (size % sizeof(*l) || size / sizeof(*l) > CR_NET_LINKS_MAX) {
		cr_refuse(name, "NT_CR_NET_LINKS note is malformed: %llu bytes",
			  (unsigned long long)size);
		return -EINVAL;
	}
	n = size / sizeof(*l);
	for (i = 0; i < n; i++) {
		bool in = l[i].where & CR_NET_LINK_PEER_IN;

		if (!cr_rule_net_link(&l[i]) || (i && l[i].ifindex <= l[i - 1].ifindex) ||
		    !strcmp(l[i].name, "lo") || (in && !strcmp(l[i].peer_name, "lo")) ||
		    (in && !strcmp(l[i].name, l[i].peer_name)))
			goto bad;
		for (j = 0; j < i; j++) {
			bool jin = l[j].where & CR_NET_LINK_PEER_IN;

			if (!strcmp(l[i].name, l[j].name) || l[i].ifindex == l[j].peer_ifindex ||
			    (jin && !strcmp(l[i].name, l[j].peer_name)) ||
			    (in && (l[i].peer_ifindex == l[j].ifindex ||
				    l[i].peer_ifindex == l[j].peer_ifindex ||
				    !strcmp(l[i].peer_name, l[j].name) ||
				    (jin && !strcmp(l[i].peer_name, l[j].peer_name)))))
				goto bad;
		}
	}
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_NET_LINKS note is malformed: entry %u", i);
	return -EINVAL;
}

/* The size of the family header of an NT_CR_NET_RTNL message of @type, or 0. */
static u32 cr_rule_rtnl_hdr(u16 type)
{
	switch (type) {
	case RTM_NEWADDR:
		return sizeof(struct ifaddrmsg);
	case RTM_NEWRULE:
		return sizeof(struct fib_rule_hdr);
	case RTM_NEWROUTE:
		return sizeof(struct rtmsg);
	case RTM_NEWNEIGH:
		return sizeof(struct ndmsg);
	}
	return 0;
}

/*
 * Does route message @p, of @len bytes (its header checked), carry an
 * attribute the checkpoint never saves: an encapsulation (whose BPF
 * program would be named by a descriptor of the restoring process) or a
 * nexthop object? Attributes that overrun it count as such.
 */
static bool cr_rule_rtnl_route_unsaved(const u8 *p, u32 len)
{
	u32 off = NLMSG_LENGTH(sizeof(struct rtmsg));
	struct nlattr a;

	while (off + sizeof(a) <= len) {
		memcpy(&a, p + off, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > len - off)
			return true;
		switch (a.nla_type & NLA_TYPE_MASK) {
		case RTA_ENCAP:
		case RTA_ENCAP_TYPE:
		case RTA_NH_ID:
			return true;
		}
		off += NLA_ALIGN(a.nla_len);
	}
	return false;
}

/**
 * cr_rule_net_rtnl - NT_CR_NET_RTNL: addresses, rules, routes, neighbours
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @nr: set to its number of messages
 *
 * At most CR_NET_RTNL_MAX messages in at most CR_NET_RTNL_SIZE bytes,
 * filling the note: each of a type cr_rule_rtnl_hdr() knows, long enough
 * for its family header, padded with zeroes to NLMSG_ALIGNTO, in the
 * order addresses, rules, routes, neighbours; no route with an
 * encapsulation or a nexthop object (cr_rule_rtnl_route_unsaved()). The
 * other attributes are the kernel's to check, as for the same message
 * from userspace.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_net_rtnl(const char *name, const struct cr_note *note, unsigned int *nr)
{
	static const u16 order[] = { RTM_NEWADDR, RTM_NEWRULE, RTM_NEWROUTE, RTM_NEWNEIGH };
	u64 off = 0, size = note ? note->size : 0;
	const u8 *p = note ? note->desc : NULL;
	unsigned int n = 0, at = 0;
	struct nlmsghdr h;
	u64 len;

	*nr = 0;
	if (size > CR_NET_RTNL_SIZE)
		goto bad;
	while (off < size) {
		if (size - off < sizeof(h) || n == CR_NET_RTNL_MAX)
			goto bad;
		memcpy(&h, p + off, sizeof(h));
		len = NLMSG_ALIGN((u64)h.nlmsg_len);
		if (!cr_rule_rtnl_hdr(h.nlmsg_type) ||
		    h.nlmsg_len < NLMSG_LENGTH(cr_rule_rtnl_hdr(h.nlmsg_type)) ||
		    len > size - off || !cr_rule_zeroed(p + off + h.nlmsg_len, len - h.nlmsg_len))
			goto bad;
		while (order[at] != h.nlmsg_type)
			if (++at == ARRAY_SIZE(order))
				goto bad;
		if (h.nlmsg_type == RTM_NEWROUTE && cr_rule_rtnl_route_unsaved(p + off, h.nlmsg_len))
			goto bad;
		off += len;
		n++;
	}
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_NET_RTNL note is malformed: message %u at byte %llu", n,
		  (unsigned long long)off);
	return -EINVAL;
}

/**
 * cr_rule_sysv_sem - NT_CR_SYSV_SEM: the semaphore sets the tree used
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @nr: set to the number of sets
 *
 * At most CR_MAX_SYSV_SETS sets by increasing id, each with permission
 * bits only, 1 to CR_SEM_NSEMS_MAX semaphores, each value at most
 * CR_SEM_VALUE_MAX, zero padding; the entries fill the note exactly.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sysv_sem(const char *name, const struct cr_note *note, unsigned int *nr)
{
	u64 off = 0, size = note ? note->size : 0;
	const u8 *p = note ? note->desc : NULL;
	unsigned int n = 0;
	s64 last = -1;

	*nr = 0;
	while (off < size) {
		struct cr_sysv_sem e;
		u64 len;
		u32 i;

		if (size - off < sizeof(e) || n == CR_MAX_SYSV_SETS)
			goto bad;
		memcpy(&e, p + off, sizeof(e));
		len = sizeof(e) + ((e.nsems * 2ULL + 7) & ~7ULL);
		if (e.semid <= last || e.mode & ~0777U || !e.nsems ||
		    e.nsems > CR_SEM_NSEMS_MAX || size - off < len)
			goto bad;
		for (i = 0; i < e.nsems; i++) {
			u16 v;

			memcpy(&v, p + off + sizeof(e) + 2 * i, sizeof(v));
			if (v > CR_SEM_VALUE_MAX)
				goto bad;
		}
		if (!cr_rule_zeroed(p + off + sizeof(e) + 2ULL * e.nsems, len - sizeof(e) - 2ULL * e.nsems))
			goto bad;
		last = e.semid;
		off += len;
		n++;
	}
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_SYSV_SEM note is malformed: entry %u at byte %llu", n,
		  (unsigned long long)off);
	return -EINVAL;
}

/**
 * cr_rule_sysv_msg - NT_CR_SYSV_MSG: the message queues the tree used
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @nr: set to the number of queues
 *
 * At most CR_MAX_SYSV_SETS queues by increasing id, each with permission
 * bits only, a limit of at most INT_MAX, and its messages: each of a
 * type of 1 or more, their sizes adding up to its bytes, at most
 * CR_MAX_SYSV_MSQ_BYTES, zero padding; the entries fill the note exactly.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sysv_msg(const char *name, const struct cr_note *note, unsigned int *nr)
{
	u64 off = 0, size = note ? note->size : 0;
	const u8 *p = note ? note->desc : NULL;
	unsigned int n = 0;
	s64 last = -1;

	*nr = 0;
	while (off < size) {
		struct cr_sysv_msq q;
		u64 bytes = 0;
		u32 i;

		if (size - off < sizeof(q) || n == CR_MAX_SYSV_SETS)
			goto bad;
		memcpy(&q, p + off, sizeof(q));
		if (q.msqid <= last || q.mode & ~0777U || q.qbytes > INT_MAX ||
		    q.bytes > CR_MAX_SYSV_MSQ_BYTES || q.nr_msgs > CR_MAX_SYSV_MSQ_BYTES)
			goto bad;
		off += sizeof(q);
		for (i = 0; i < q.nr_msgs; i++) {
			struct cr_sysv_msg m;
			u64 len;

			if (size - off < sizeof(m))
				goto bad;
			memcpy(&m, p + off, sizeof(m));
			if (m.mtype < 1 || m.size > q.bytes - bytes)
				goto bad;
			len = (m.size + 7) & ~7ULL;
			if (size - off - sizeof(m) < len ||
			    !cr_rule_zeroed(p + off + sizeof(m) + m.size, len - m.size))
				goto bad;
			bytes += m.size;
			off += sizeof(m) + len;
		}
		if (bytes != q.bytes)
			goto bad;
		last = q.msqid;
		n++;
	}
	*nr = n;
	return 0;
bad:
	cr_refuse(name, "NT_CR_SYSV_MSG note is malformed: queue %u, byte %llu", n,
		  (unsigned long long)off);
	return -EINVAL;
}

/**
 * cr_rule_sysv_shm - NT_CR_SYSV_SHM: the SysV segments the mappings attach
 * @name: the image, for messages
 * @note: the note, or NULL (no segment)
 * @vma: the mappings, checked by cr_rule_vmas()
 * @nr_vmas: how many
 * @nr: set to the number of segments
 *
 * Each segment once, by object and by id, with a key only while not
 * removed; each CR_VMA_SYSV mapping attaches one of them whole.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_sysv_shm(const char *name, const struct cr_note *note, const struct cr_vma *vma,
		     unsigned int nr_vmas, unsigned int *nr)
{
	u64 i, j, n = note ? note->size / sizeof(struct cr_sysv_shm) : 0;

	*nr = 0;
	if (note && (note->size % sizeof(struct cr_sysv_shm) || n > CR_MAX_SYSV_SHM)) {
		cr_refuse(name, "NT_CR_SYSV_SHM note is malformed (%u bytes)", note->size);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		struct cr_sysv_shm a, b;

		memcpy(&a, (const u8 *)note->desc + i * sizeof(a), sizeof(a));
		if (!a.obj || a.shmid < 0 || (a.mode & ~0777U) || (a.flags & ~CR_SYSV_FLAGS) ||
		    ((a.flags & CR_SYSV_REMOVED) && a.key) || a.__pad || !a.size ||
		    a.size > TASK_SIZE_MAX) {
			cr_refuse(name, "SysV segment %llu is invalid (id %d, key %#x, mode %#o, flags %#x, %llu bytes)",
				  (unsigned long long)i, a.shmid, a.key, a.mode, a.flags,
				  (unsigned long long)a.size);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			memcpy(&b, (const u8 *)note->desc + j * sizeof(b), sizeof(b));
			if (a.obj == b.obj || a.shmid == b.shmid) {
				cr_refuse(name, "SysV segment %llu is listed twice (id %d)",
					  (unsigned long long)i, a.shmid);
				return -EINVAL;
			}
		}
	}
	for (i = 0; i < nr_vmas; i++) {
		const struct cr_vma *v = &vma[i];
		bool found = false;

		for (j = 0; v->kind == CR_VMA_SYSV && j < n && !found; j++) {
			struct cr_sysv_shm a;

			memcpy(&a, (const u8 *)note->desc + j * sizeof(a), sizeof(a));
			found = a.obj == v->shm &&
				v->end - v->start == ((a.size + PAGE_SIZE - 1) & ~(u64)(PAGE_SIZE - 1));
		}
		if (v->kind == CR_VMA_SYSV && !found) {
			cr_refuse(name, "mapping %llu [%#llx-%#llx] attaches no SysV segment of NT_CR_SYSV_SHM whole",
				  (unsigned long long)i, (unsigned long long)v->start,
				  (unsigned long long)v->end);
			return -EINVAL;
		}
	}
	*nr = n;
	return 0;
}

static void cr_rule_run(const struct cr_note *note, u64 i, struct cr_page_run *run)
{
	memcpy(run, (const u8 *)note->desc + i * sizeof(*run), sizeof(*run));
}

/* A run on its own: not empty, not too long, aligned, after @prev_end. */
static bool cr_rule_run_ok(const struct cr_page_run *run, u64 prev_end)
{
	return run->nr_pages && run->nr_pages <= TASK_SIZE_MAX >> PAGE_SHIFT &&
	       PAGE_ALIGNED(run->start) && run->start >= prev_end;
}

/**
 * cr_rule_pages - NT_CR_PAGES: the runs of pages the image stores
 * @name: the image, for messages
 * @note: the note, or NULL
 * @phdrs: the image's program headers
 * @vma: the mappings, checked by cr_rule_vmas()
 * @nr_vmas: how many
 *
 * The runs are sorted; each lies in the stored part of one segment,
 * neither [vvar] nor a shared file mapping (whose pages are the file's).
 *
 * Return: 0, -EOPNOTSUPP (read-only shared memory) or -EINVAL, after
 * saying why.
 */
int cr_rule_pages(const char *name, const struct cr_note *note,
		  const struct elf64_phdr *phdrs, const struct cr_vma *vma,
		  unsigned int nr_vmas)
{
	unsigned int seg = 0;
	u64 i, nr, prev_end = 0;

	if (!note || note->size % sizeof(struct cr_page_run)) {
		cr_refuse(name, "NT_CR_PAGES note is missing or malformed");
		return -EINVAL;
	}
	nr = note->size / sizeof(struct cr_page_run);
	for (i = 0; i < nr; i++) {
		const struct elf64_phdr *ph;
		const struct cr_vma *v;
		struct cr_page_run run;

		cr_rule_run(note, i, &run);
		if (!cr_rule_run_ok(&run, prev_end)) {
			cr_refuse(name, "page run %llu [%#llx, %llu pages] is misplaced: unaligned, empty or out of order",
				  (unsigned long long)i, (unsigned long long)run.start,
				  (unsigned long long)run.nr_pages);
			return -EINVAL;
		}
		while (seg < nr_vmas && vma[seg].end <= run.start)
			seg++;
		if (seg == nr_vmas) {
			cr_refuse(name, "page run %llu [%#llx, %llu pages] is misplaced: after every mapping",
				  (unsigned long long)i, (unsigned long long)run.start,
				  (unsigned long long)run.nr_pages);
			return -EINVAL;
		}
		ph = &phdrs[seg + 1];
		v = &vma[seg];
		prev_end = run.start + (run.nr_pages << PAGE_SHIFT);
		if (run.start < ph->p_vaddr || prev_end > ph->p_vaddr + ph->p_filesz) {
			cr_refuse(name, "page run %llu [%#llx, %llu pages] is misplaced: not in the stored part of segment %u",
				  (unsigned long long)i, (unsigned long long)run.start,
				  (unsigned long long)run.nr_pages, seg + 1);
			return -EINVAL;
		}
		/* A read-only shared mapping cannot be filled once mapped. */
		if ((v->flags & CR_VMA_SHARED) && !v->shm && !(v->prot & PROT_WRITE)) {
			cr_refuse(name, "read-only shared memory at %#llx is not restored yet",
				  (unsigned long long)run.start);
			return -EOPNOTSUPP;
		}
		if (v->kind == CR_VMA_VVAR || v->kind == CR_VMA_AIO ||
		    (v->kind == CR_VMA_FILE && (v->flags & CR_VMA_SHARED))) {
			cr_refuse(name, "page run %llu [%#llx, %llu pages] is misplaced: in [vvar], an AIO ring or a shared file mapping",
				  (unsigned long long)i, (unsigned long long)run.start,
				  (unsigned long long)run.nr_pages);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * cr_runs_meet - does [@start, @end) meet one of @nr sorted page runs?
 * @runs: the runs, as an image has them (they may be unaligned)
 * @nr: how many
 * @start: the range
 * @end: its end
 *
 * By binary search: also used by the restore on its copy of the runs.
 */
bool cr_runs_meet(const void *runs, u64 nr, u64 start, u64 end)
{
	u64 lo = 0, hi = runs ? nr : 0;

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2, s, e;
		struct cr_page_run run;

		memcpy(&run, (const u8 *)runs + mid * sizeof(run), sizeof(run));
		s = run.start;
		e = s + (run.nr_pages << PAGE_SHIFT);
		if (end <= s)
			hi = mid;
		else if (start >= e)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/**
 * cr_rule_pruns - NT_CR_PARENT_PAGES: pages a descendant takes from its parent
 * @name: the image, for messages
 * @note: the note, or NULL (none)
 * @nested: the image is a descendant's, the only kind that may have it
 * @pages: NT_CR_PAGES, checked by cr_rule_pages()
 * @vma: the mappings, checked by cr_rule_vmas()
 * @nr_vmas: how many
 *
 * Sorted runs, each inside one private anonymous mapping, none meeting
 * a page the image stores itself.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_pruns(const char *name, const struct cr_note *note, bool nested,
		  const struct cr_note *pages, const struct cr_vma *vma, unsigned int nr_vmas)
{
	struct cr_page_run run = {};
	unsigned int seg = 0;
	u64 i, nr, prev_end = 0;
	const char *why;

	if (!note)
		return 0;
	if (!nested || note->size % sizeof(struct cr_page_run)) {
		cr_refuse(name, "NT_CR_PARENT_PAGES note is malformed or misplaced: %s",
			  nested ? "not a list of runs" : "in the root's image");
		return -EINVAL;
	}
	nr = note->size / sizeof(struct cr_page_run);
	for (i = 0; i < nr; i++) {
		const struct cr_vma *v;
		u64 end;

		cr_rule_run(note, i, &run);
		if (!cr_rule_run_ok(&run, prev_end)) {
			why = "is unaligned, empty or out of order";
			goto bad;
		}
		end = run.start + (run.nr_pages << PAGE_SHIFT);
		while (seg < nr_vmas && vma[seg].end <= run.start)
			seg++;
		if (seg == nr_vmas) {
			why = "is after every mapping";
			goto bad;
		}
		v = &vma[seg];
		if (run.start < v->start || end > v->end || v->kind != CR_VMA_ANON ||
		    (v->flags & CR_VMA_SHARED)) {
			why = "is not inside a private anonymous mapping";
			goto bad;
		}
		if (pages && cr_runs_meet(pages->desc, pages->size / sizeof(run), run.start, end)) {
			why = "meets pages the image stores";
			goto bad;
		}
		prev_end = end;
	}
	return 0;
bad:
	cr_refuse(name, "NT_CR_PARENT_PAGES note is malformed or misplaced: run %llu [%#llx, %llu pages] %s",
		  (unsigned long long)i, (unsigned long long)run.start,
		  (unsigned long long)run.nr_pages, why);
	return -EINVAL;
}

/**
 * cr_rule_mm_fields - the layout of NT_CR_MM
 * @name: the image, for messages
 * @mm: NT_CR_MM
 * @vma: the mappings, checked by cr_rule_vmas()
 * @nr_vmas: how many
 *
 * User addresses, each start before its end, and an executable that is
 * a file some mapping maps (or -1).
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_mm_fields(const char *name, const struct cr_hdr_mm *mm,
		      const struct cr_vma *vma, unsigned int nr_vmas)
{
	static const char *const fields[] = {
		"start_code", "end_code", "start_data", "end_data", "start_brk", "brk",
		"start_stack", "arg_start", "arg_end", "env_start", "env_end", "vdso",
	};
	unsigned int i;
	bool mapped = false;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		u64 f;

		memcpy(&f, (const u8 *)mm + i * sizeof(u64), sizeof(f));
		if (f >= TASK_SIZE_MAX) {
			cr_refuse(name, "NT_CR_MM holds an impossible layout: %s %#llx",
				  fields[i], (unsigned long long)f);
			return -EINVAL;
		}
	}
	if (mm->start_code > mm->end_code || mm->start_data > mm->end_data ||
	    mm->start_brk > mm->brk || mm->arg_start > mm->arg_end ||
	    mm->env_start > mm->env_end) {
		cr_refuse(name, "NT_CR_MM holds an impossible layout: a start after its end");
		return -EINVAL;
	}
	for (i = 0; i < nr_vmas; i++)
		mapped |= vma[i].kind == CR_VMA_FILE && vma[i].file == mm->exe_file;
	if (mm->exe_file != -1 && !mapped) {
		cr_refuse(name, "NT_CR_MM holds an impossible layout: executable %d is no mapped file",
			  mm->exe_file);
		return -EINVAL;
	}
	return 0;
}

/**
 * cr_rule_vdso - the image's [vdso] and [vvar]
 * @name: the image, for messages
 * @mm: NT_CR_MM
 * @vma: the mappings, checked by cr_rule_vmas()
 * @nr_vmas: how many
 * @vdso: set to the [vdso] mapping, or NULL
 * @vvar: set to the [vvar] mapping, or NULL
 *
 * At most one of each, both or none (the process may have unmapped
 * them), [vdso] where NT_CR_MM says and [vvar] just below it. Whether
 * this kernel's vdso has their sizes is the architecture's check.
 *
 * Return: 0, -EOPNOTSUPP or -EINVAL, after saying why.
 */
int cr_rule_vdso(const char *name, const struct cr_hdr_mm *mm, const struct cr_vma *vma,
		 unsigned int nr_vmas, const struct cr_vma **vdso, const struct cr_vma **vvar)
{
	unsigned int i, nvdso = 0, nvvar = 0;

	*vdso = *vvar = NULL;
	for (i = 0; i < nr_vmas; i++) {
		if (vma[i].kind == CR_VMA_VDSO) {
			*vdso = &vma[i];
			nvdso++;
		} else if (vma[i].kind == CR_VMA_VVAR) {
			*vvar = &vma[i];
			nvvar++;
		}
	}
	if (nvdso > 1 || nvvar > 1) {
		cr_refuse(name, "vdso mappings are inconsistent: %u [vdso] and %u [vvar]",
			  nvdso, nvvar);
		return -EINVAL;
	}
	if (!*vdso && !*vvar && !mm->vdso)
		return 0;
	if (!*vdso || !*vvar || (*vdso)->start != mm->vdso) {
		cr_refuse(name, "vdso mappings are inconsistent: [vdso] %s, [vvar] %s, NT_CR_MM.vdso %#llx",
			  *vdso ? "present" : "absent", *vvar ? "present" : "absent",
			  (unsigned long long)mm->vdso);
		return -EINVAL;
	}
	if ((*vvar)->end != (*vdso)->start) {
		cr_refuse(name, "the image's vdso layout differs from the kernel's: [vvar] does not end where [vdso] starts");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Process attributes */

static const char *const cr_rlimit_names[CR_NLIMITS] = {
	"CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC", "NOFILE",
	"MEMLOCK", "AS", "LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO",
	"RTTIME",
};

/**
 * cr_rule_process - NT_CR_PROCESS: personality, umask, limits, cwd
 * @name: the image, for messages
 * @note: the note, or NULL
 * @h: filled with its header
 * @cwd: set to the working directory, a terminated absolute path in @note
 *
 * Return: 0, -EOPNOTSUPP for a personality other than Linux's, or
 * -EINVAL, after saying why.
 */
int cr_rule_process(const char *name, const struct cr_note *note,
		    struct cr_hdr_process *h, const char **cwd)
{
	const char *dir;
	unsigned int i;

	if (!note || note->size < sizeof(*h)) {
		cr_refuse(name, "NT_CR_PROCESS note is missing or truncated");
		return -EINVAL;
	}
	memcpy(h, note->desc, sizeof(*h));
	dir = (const char *)note->desc + sizeof(*h);
	if (h->umask & ~0777U) {
		cr_refuse(name, "NT_CR_PROCESS note is malformed: umask %#o", h->umask);
		return -EINVAL;
	}
	if (!h->cwd_len || h->cwd_len > note->size - sizeof(*h) ||
	    h->root_len != note->size - sizeof(*h) - h->cwd_len || dir[h->cwd_len - 1] ||
	    strlen(dir) != h->cwd_len - 1 || dir[0] != '/' ||
	    (h->root_len && (dir[h->cwd_len + h->root_len - 1] || dir[h->cwd_len] != '/' ||
			     strlen(dir + h->cwd_len) != h->root_len - 1))) {
		cr_refuse(name, "NT_CR_PROCESS note is malformed: the working directory (%u bytes) or root (%u bytes) is not an absolute path",
			  h->cwd_len, h->root_len);
		return -EINVAL;
	}
	if ((h->personality & PER_MASK) != PER_LINUX) {
		cr_refuse(name, "personality %#x is not restored", h->personality);
		return -EOPNOTSUPP;
	}
	for (i = 0; i < CR_NLIMITS; i++) {
		if (h->rlim[i].cur > h->rlim[i].max) {
			cr_refuse(name, "resource limit %u (RLIMIT_%s): soft above hard",
				  i, cr_rlimit_names[i]);
			return -EINVAL;
		}
	}
	if (h->oom_score_adj < OOM_SCORE_ADJ_MIN || h->oom_score_adj > OOM_SCORE_ADJ_MAX ||
	    h->oom_score_adj_min < OOM_SCORE_ADJ_MIN ||
	    h->oom_score_adj_min > h->oom_score_adj) {
		cr_refuse(name, "oom_score_adj %d (lowest %d) is invalid",
			  h->oom_score_adj, h->oom_score_adj_min);
		return -EINVAL;
	}
	/* SUID_DUMP_ROOT is 2; coredump_filter has 9 bits. */
	if (h->dumpable > 2 || h->coredump_filter >> 9 || (h->mm_flags & ~CR_MM_FLAGS) ||
	    ((h->mm_flags & CR_MM_MDWE_NO_INHERIT) && !(h->mm_flags & CR_MM_MDWE)) ||
	    ((h->mm_flags & CR_MM_LOCK_ONFAULT) && !(h->mm_flags & CR_MM_LOCK_FUTURE)) ||
	    h->__pad2) {
		cr_refuse(name, "dumpable %u, coredump_filter %#x or address space flags %#x are invalid",
			  h->dumpable, h->coredump_filter, h->mm_flags);
		return -EINVAL;
	}
	*cwd = dir;
	return 0;
}

/**
 * cr_rule_creds - NT_CR_CREDS: capabilities, securebits, groups
 * @name: the image, for messages
 * @note: the note, or NULL (an image written before it)
 * @h: filled with its header (zero without the note)
 * @groups: set to the groups in @note (nr_groups __u32, 4-byte aligned)
 *
 * Each capability set of known capabilities, the effective and ambient
 * ones within the permitted (the ambient also within the inheritable),
 * known securebits, at most CR_MAX_GROUPS valid group ids.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_creds(const char *name, const struct cr_note *note, struct cr_hdr_creds *h,
		  const u32 **groups)
{
	u64 valid = (2ULL << CAP_LAST_CAP) - 1;
	u32 i, g;

	memset(h, 0, sizeof(*h));
	*groups = NULL;
	if (!note)
		return 0;
	if (note->size >= sizeof(*h))
		memcpy(h, note->desc, sizeof(*h));
	if (note->size < sizeof(*h) || h->nr_groups > CR_MAX_GROUPS ||
	    note->size != sizeof(*h) + (u64)h->nr_groups * sizeof(u32)) {
		cr_refuse(name, "NT_CR_CREDS note is malformed: %u bytes, %u groups", note->size,
			  note->size >= sizeof(*h) ? h->nr_groups : 0);
		return -EINVAL;
	}
	if ((h->cap_inheritable | h->cap_permitted | h->cap_effective | h->cap_bset |
	     h->cap_ambient) & ~valid ||
	    (h->cap_effective & ~h->cap_permitted) ||
	    (h->cap_ambient & ~(h->cap_permitted & h->cap_inheritable))) {
		cr_refuse(name, "capabilities are invalid: unknown ones, or effective or ambient ones not permitted");
		return -EINVAL;
	}
	if (h->securebits & ~(SECURE_ALL_BITS | SECURE_ALL_LOCKS)) {
		cr_refuse(name, "securebits %#x are unknown", h->securebits);
		return -EINVAL;
	}
	*groups = (const u32 *)((const u8 *)note->desc + sizeof(*h));
	for (i = 0; i < h->nr_groups; i++) {
		memcpy(&g, (const u8 *)*groups + i * sizeof(g), sizeof(g));
		if (g == (u32)-1) {
			cr_refuse(name, "supplementary group %u is invalid", i);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * cr_rule_thread_creds - NT_CR_THREAD_CREDS of thread @n, if it has one
 * @name: the image, for messages
 * @n: the thread, for messages
 * @note: the note, or NULL (the thread has its process's credentials)
 * @id: filled with its ids
 * @h: filled with the rest, as cr_rule_creds() checks it
 * @groups: set to its groups
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_thread_creds(const char *name, unsigned int n, const struct cr_note *note,
			 struct cr_thread_ids *id, struct cr_hdr_creds *h, const u32 **groups)
{
	struct cr_note rest;

	memset(id, 0, sizeof(*id));
	memset(h, 0, sizeof(*h));
	*groups = NULL;
	if (!note)
		return 0;
	if (note->size < sizeof(*id)) {
		cr_refuse(name, "thread %u: NT_CR_THREAD_CREDS note has %u bytes", n, note->size);
		return -EINVAL;
	}
	memcpy(id, note->desc, sizeof(*id));
	rest = *note;
	rest.desc = (const u8 *)note->desc + sizeof(*id);
	rest.size = note->size - sizeof(*id);
	return cr_rule_creds(name, &rest, h, groups);
}

/* Timers */

/**
 * cr_rule_itimers - NT_CR_ITIMERS: the interval timers of the process
 * @name: the image, for messages
 * @note: the note, or NULL (an image without timers)
 * @it: filled with its CR_NR_ITIMERS entries (zero without the note)
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_itimers(const char *name, const struct cr_note *note, struct cr_itimer *it)
{
	static const char *const names[CR_NR_ITIMERS] = { "REAL", "VIRTUAL", "PROF" };
	unsigned int i;

	memset(it, 0, CR_NR_ITIMERS * sizeof(*it));
	if (!note)
		return 0;
	if (note->size != CR_NR_ITIMERS * sizeof(*it)) {
		cr_refuse(name, "NT_CR_ITIMERS note has %u bytes, expected %zu",
			  note->size, CR_NR_ITIMERS * sizeof(*it));
		return -EINVAL;
	}
	memcpy(it, note->desc, CR_NR_ITIMERS * sizeof(*it));
	for (i = 0; i < CR_NR_ITIMERS; i++) {
		if (it[i].value_ns < 0 || it[i].interval_ns < 0 ||
		    (!it[i].value_ns && it[i].interval_ns)) {
			cr_refuse(name, "ITIMER_%s is invalid (%lld ns left, interval %lld ns)",
				  names[i], (long long)it[i].value_ns,
				  (long long)it[i].interval_ns);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The clocks a restored timer may be on: the process's own CPU clocks
 * are CLOCK_PROCESS_CPUTIME_ID, or -8, -7, -6 (PROF, VIRT, SCHED of
 * process 0, the caller's, as glibc asks for them).
 */
bool cr_rule_timer_clock(s32 clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
	       clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_BOOTTIME ||
	       clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM ||
	       clock == CLOCK_TAI || (clock >= -8 && clock <= -6) || (clock >= -4 && clock <= -2);
}

/**
 * cr_rule_posix_timers - NT_CR_POSIX_TIMERS: the POSIX timers of the process
 * @name: the image, for messages
 * @note: the note, or NULL (an image without timers)
 * @nr: set to the number of its struct cr_posix_timer entries
 *
 * Each entry on its own; that a SIGEV_THREAD_ID timer names a thread of
 * the process is for the caller to check.
 *
 * Return: 0, or -EINVAL after saying why.
 */
int cr_rule_posix_timers(const char *name, const struct cr_note *note, u32 *nr)
{
	struct cr_posix_timer t;
	s32 prev = -1;
	u32 i;

	*nr = 0;
	if (!note)
		return 0;
	if (note->size % sizeof(t) || note->size / sizeof(t) > CR_MAX_POSIX_TIMERS) {
		cr_refuse(name, "NT_CR_POSIX_TIMERS note has %u bytes", note->size);
		return -EINVAL;
	}
	for (i = 0; i < note->size / sizeof(t); i++) {
		bool signals;

		memcpy(&t, (const u8 *)note->desc + i * sizeof(t), sizeof(t));
		signals = t.notify != SIGEV_NONE;
		if (t.id <= prev || !cr_rule_timer_clock(t.clock) ||
		    (t.notify != SIGEV_SIGNAL && t.notify != SIGEV_NONE &&
		     t.notify != SIGEV_THREAD && t.notify != SIGEV_THREAD_ID) ||
		    (signals && (t.signo < 1 || t.signo > CR_NSIG)) ||
		    (t.notify == SIGEV_THREAD_ID ? t.tid <= 0 : t.tid) ||
		    t.overrun < 0 || (t.flags & ~CR_POSIX_TIMER_ABSTIME) ||
		    ((t.clock >= -4 && t.clock <= -2) ? t.cpu_tid <= 0 : t.cpu_tid) ||
		    t.value_ns < 0 || t.interval_ns < 0 || (!t.value_ns && t.interval_ns) ||
		    ((t.flags & CR_POSIX_TIMER_ABSTIME) &&
		     (t.clock != CLOCK_REALTIME || !t.value_ns))) {
			cr_refuse(name, "POSIX timer %u (id %d) is invalid (clock %d, notify %d, signal %d, thread %d, %lld ns left, interval %lld ns)",
				  i, t.id, t.clock, t.notify, t.signo, t.tid,
				  (long long)t.value_ns, (long long)t.interval_ns);
			return -EINVAL;
		}
		prev = t.id;
	}
	*nr = i;
	return 0;
}

#if defined(__KERNEL__) && defined(CONFIG_CR_KUNIT_TEST)
#include "tests/rules_kunit.c"
#endif
