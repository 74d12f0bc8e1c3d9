// SPDX-License-Identifier: GPL-2.0
/*
 * binfmt_cr is built in, registered, and checks the container of an image
 * before using it: synthetic images, each broken in one way, must make
 * execve() fail with the documented errno, and (when the file is a
 * checkpoint image at all) leave one kernel line saying why.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/cr.h>

#include "../kselftest_harness.h"
#include "cr_test.h"

#define IMG_PAGE	4096
#define IMG_VADDR	0x400000UL

/*
 * A small well-formed image: header + NT_PRSTATUS notes, two PT_LOAD
 * segments of one page each, at page-aligned file offsets.
 */
struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	unsigned char notes[1024];
	size_t notes_len;
	unsigned char page[2][IMG_PAGE] __attribute__((aligned(IMG_PAGE)));
};

static size_t add_note(unsigned char *buf, size_t off, const char *name,
		       unsigned int type, const void *desc, size_t descsz)
{
	Elf64_Nhdr nh = {
		.n_namesz = strlen(name) + 1,
		.n_descsz = descsz,
		.n_type = type,
	};

	memcpy(buf + off, &nh, sizeof(nh));
	off += sizeof(nh);
	memcpy(buf + off, name, nh.n_namesz);
	off += (nh.n_namesz + 3) & ~3UL;
	memcpy(buf + off, desc, descsz);
	return off + ((descsz + 3) & ~3UL);
}

static void image_init(struct image *img, bool with_prstatus)
{
	struct cr_hdr_image hdr = {
		.magic = CR_IMAGE_MAGIC,
		.version = CR_IMAGE_VERSION,
		.hdr_size = sizeof(hdr),
		.e_machine = EM_X86_64,
		.page_shift = 12,
		.nr_processes = 1,
		.nr_threads = 1,
		.kernel_release = "selftest",
	};
	unsigned char prstatus[336] = { 0 };	/* struct elf_prstatus */

	memset(img, 0, sizeof(*img));
	memcpy(img->eh.e_ident, ELFMAG, SELFMAG);
	img->eh.e_ident[EI_CLASS] = ELFCLASS64;
	img->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img->eh.e_ident[EI_VERSION] = EV_CURRENT;
	img->eh.e_type = ET_CORE;
	img->eh.e_machine = EM_X86_64;
	img->eh.e_version = EV_CURRENT;
	img->eh.e_phoff = sizeof(img->eh);
	img->eh.e_ehsize = sizeof(img->eh);
	img->eh.e_phentsize = sizeof(Elf64_Phdr);
	img->eh.e_phnum = 3;

	img->notes_len = add_note(img->notes, 0, CR_NOTE_NAME, NT_CR_HEADER,
				  &hdr, sizeof(hdr));
	if (with_prstatus)
		img->notes_len = add_note(img->notes, img->notes_len, "CORE",
					  NT_PRSTATUS, prstatus,
					  sizeof(prstatus));

	img->ph[0].p_type = PT_NOTE;
	img->ph[0].p_offset = offsetof(struct image, notes);
	img->ph[0].p_filesz = img->notes_len;
	img->ph[0].p_align = 4;

	for (int i = 0; i < 2; i++) {
		Elf64_Phdr *ph = &img->ph[1 + i];

		ph->p_type = PT_LOAD;
		ph->p_flags = PF_R | PF_W;
		ph->p_offset = offsetof(struct image, page[i]);
		ph->p_vaddr = IMG_VADDR + 2 * i * IMG_PAGE;
		ph->p_filesz = IMG_PAGE;
		ph->p_memsz = IMG_PAGE;
		ph->p_align = IMG_PAGE;
		memset(img->page[i], 0xa5 + i, IMG_PAGE);
	}
}

/* The header note's descriptor, where a variant may change it. */
static struct cr_hdr_image *image_hdr(struct image *img)
{
	return (void *)(img->notes + sizeof(Elf64_Nhdr) +
			((sizeof(CR_NOTE_NAME) + 3) & ~3UL));
}

/*
 * Write @len bytes of @img to an executable temporary file; execve() it in
 * a child and return the errno the exec failed with (0: it did not fail).
 */
static int exec_image(const void *img, size_t len, char *path, size_t pathlen)
{
	int fd, status;
	pid_t pid;

	snprintf(path, pathlen, "/tmp/cr-image-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, img, len) != (ssize_t)len || fchmod(fd, 0700)) {
		close(fd);
		return -1;
	}
	close(fd);

	pid = fork();
	if (pid == 0) {
		char *argv[] = { path, NULL };

		execve(path, argv, environ);
		_exit(errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 0;
}

static int read_int_file(const char *path, int *val)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%d", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

TEST(sysctl_image_version)
{
	int version;

	ASSERT_EQ(0, read_int_file("/proc/sys/kernel/cr/image_version", &version))
		TH_LOG("no /proc/sys/kernel/cr/image_version: no CONFIG_CHECKPOINT_RESTART?");
	EXPECT_EQ(CR_IMAGE_VERSION, version);
}

TEST(kconfig_enabled)
{
	bool cr = false, binfmt = false;
	char line[256];
	FILE *f;

	if (access("/proc/config.gz", R_OK))
		SKIP(return, "no /proc/config.gz (CONFIG_IKCONFIG_PROC off)");
	f = popen("zcat /proc/config.gz", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		cr |= !strcmp(line, "CONFIG_CHECKPOINT_RESTART=y\n");
		binfmt |= !strcmp(line, "CONFIG_BINFMT_CR=y\n");
	}
	pclose(f);
	EXPECT_TRUE(cr);
	EXPECT_TRUE(binfmt);
}

/* One way to break an image, and what exec must say. */
FIXTURE(image) {
	struct image img;
	size_t len;
	int kmsg;
};

FIXTURE_VARIANT(image) {
	void (*mutate)(struct image *img, size_t *len);
	int expect_errno;
	bool expect_log;	/* binfmt_cr claimed it: a line says why */
};

FIXTURE_SETUP(image)
{
	image_init(&self->img, true);
	self->len = sizeof(self->img);
	self->kmsg = kmsg_open();
	if (variant->mutate)
		variant->mutate(&self->img, &self->len);
}

FIXTURE_TEARDOWN(image)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

static void m_plain_core(struct image *img, size_t *len)
{
	/* First note is not ours: an ordinary core file, not an image. */
	memcpy(img->notes + sizeof(Elf64_Nhdr), "LINUXXX", 8);
}

static void m_not_core(struct image *img, size_t *len)
{
	img->eh.e_type = ET_REL;	/* no binary format runs objects */
}

static void m_version(struct image *img, size_t *len)
{
	image_hdr(img)->version = CR_IMAGE_VERSION + 1;
}

static void m_magic(struct image *img, size_t *len)
{
	image_hdr(img)->magic ^= 1;
}

static void m_machine(struct image *img, size_t *len)
{
	image_hdr(img)->e_machine = EM_AARCH64;
}

static void m_page_shift(struct image *img, size_t *len)
{
	image_hdr(img)->page_shift = 16;
}

static void m_padding(struct image *img, size_t *len)
{
	image_hdr(img)->__pad1[3] = 1;
}

static void m_release_unterminated(struct image *img, size_t *len)
{
	memset(image_hdr(img)->kernel_release, 'x',
	       sizeof(image_hdr(img)->kernel_release));
}

static void m_no_processes(struct image *img, size_t *len)
{
	image_hdr(img)->nr_processes = 0;
}

static void m_absurd_threads(struct image *img, size_t *len)
{
	image_hdr(img)->nr_threads = 0x7fffffff;
}

static void m_header_short(struct image *img, size_t *len)
{
	/* Header note descriptor shorter than struct cr_hdr_image. */
	((Elf64_Nhdr *)img->notes)->n_descsz = 16;
}

static void m_note_overflow(struct image *img, size_t *len)
{
	Elf64_Nhdr *second = (void *)(img->notes + sizeof(Elf64_Nhdr) + 8 +
				      sizeof(struct cr_hdr_image));

	second->n_descsz = 0xfffffff0;
}

static void m_notes_past_eof(struct image *img, size_t *len)
{
	img->ph[0].p_filesz = 1 << 30;
}

static void m_truncated(struct image *img, size_t *len)
{
	*len -= IMG_PAGE / 2;	/* last PT_LOAD's data cut short */
}

static void m_phnum_absurd(struct image *img, size_t *len)
{
	img->eh.e_phnum = 0xffff;	/* table runs past the end of file */
}

static void m_unaligned_segment(struct image *img, size_t *len)
{
	img->ph[1].p_vaddr += 8;
}

static void m_kernel_segment(struct image *img, size_t *len)
{
	img->ph[1].p_vaddr = 0xffff888000000000UL;
}

static void m_filesz_over_memsz(struct image *img, size_t *len)
{
	img->ph[1].p_memsz = 0;
}

static void m_unknown_phdr(struct image *img, size_t *len)
{
	img->ph[1].p_type = PT_DYNAMIC;
}

static void m_overlap(struct image *img, size_t *len)
{
	img->ph[2].p_vaddr = IMG_VADDR;
}

static void m_unsorted(struct image *img, size_t *len)
{
	img->ph[2].p_vaddr = IMG_VADDR - 2 * IMG_PAGE;
}

static void m_data_unaligned(struct image *img, size_t *len)
{
	img->ph[1].p_offset += 8;
}

static void m_no_prstatus(struct image *img, size_t *len)
{
	image_init(img, false);
}

FIXTURE_VARIANT_ADD(image, plain_core_not_ours) {
	.mutate = m_plain_core, .expect_errno = ENOEXEC,
};

FIXTURE_VARIANT_ADD(image, object_file_not_ours) {
	.mutate = m_not_core, .expect_errno = ENOEXEC,
};

FIXTURE_VARIANT_ADD(image, other_version) {
	.mutate = m_version, .expect_errno = ENOEXEC, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, other_machine) {
	.mutate = m_machine, .expect_errno = ENOEXEC, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, bad_magic) {
	.mutate = m_magic, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, other_page_size) {
	.mutate = m_page_shift, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, nonzero_padding) {
	.mutate = m_padding, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, unterminated_release) {
	.mutate = m_release_unterminated, .expect_errno = EINVAL,
	.expect_log = true,
};

FIXTURE_VARIANT_ADD(image, no_processes) {
	.mutate = m_no_processes, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, absurd_thread_count) {
	.mutate = m_absurd_threads, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, short_header_note) {
	.mutate = m_header_short, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, note_size_overflow) {
	.mutate = m_note_overflow, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, notes_past_eof) {
	.mutate = m_notes_past_eof, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, truncated_file) {
	.mutate = m_truncated, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, absurd_phnum) {
	.mutate = m_phnum_absurd, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, unaligned_segment) {
	.mutate = m_unaligned_segment, .expect_errno = EINVAL,
	.expect_log = true,
};

FIXTURE_VARIANT_ADD(image, kernel_address_segment) {
	.mutate = m_kernel_segment, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, filesz_over_memsz) {
	.mutate = m_filesz_over_memsz, .expect_errno = EINVAL,
	.expect_log = true,
};

FIXTURE_VARIANT_ADD(image, unknown_segment_type) {
	.mutate = m_unknown_phdr, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, overlapping_segments) {
	.mutate = m_overlap, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, unsorted_segments) {
	.mutate = m_unsorted, .expect_errno = EINVAL, .expect_log = true,
};

FIXTURE_VARIANT_ADD(image, unaligned_segment_data) {
	.mutate = m_data_unaligned, .expect_errno = EINVAL,
	.expect_log = true,
};

FIXTURE_VARIANT_ADD(image, no_thread_state) {
	.mutate = m_no_prstatus, .expect_errno = EINVAL, .expect_log = true,
};

TEST_F(image, exec_refused)
{
	char path[64];
	int err;

	err = exec_image(&self->img, self->len, path, sizeof(path));
	ASSERT_NE(-1, err) TH_LOG("cannot write or run %s", path);
	EXPECT_EQ(variant->expect_errno, err)
		TH_LOG("exec failed with %s, expected %s", strerror(err),
		       strerror(variant->expect_errno));
	if (self->kmsg < 0) {
		TH_LOG("no /dev/kmsg (%s): kernel message not checked",
		       strerror(errno));
		return;
	}
	/* Messages name the image ("cr: /tmp/cr-image-XXXXXX: why"). */
	EXPECT_EQ(variant->expect_log, kmsg_has(self->kmsg, path))
		TH_LOG("kernel line naming %s %s", path,
		       variant->expect_log ? "missing" : "unexpected");
}

TEST_HARNESS_MAIN
