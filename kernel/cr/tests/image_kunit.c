// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the image container checks in kernel/cr/image.c, which
 * includes this file so that its static helpers are reachable.
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

static void cr_parse_notes_valid(struct kunit *test)
{
	struct cr_image img = { .name = "kunit" };
	struct cr_note out[3];
	unsigned int count;
	u8 buf[256];
	size_t len;

	len = kt_note(buf, 0, CR_NOTE_NAME, sizeof(CR_NOTE_NAME), NT_CR_HEADER, 13);
	len = kt_note(buf, len, "CORE", 5, NT_PRSTATUS, 8);
	len = kt_note(buf, len, "", 0, 7, 0);

	KUNIT_ASSERT_EQ(test, cr_parse_notes(&img, buf, len, NULL, &count), 0);
	KUNIT_ASSERT_EQ(test, count, 3);
	KUNIT_ASSERT_EQ(test, cr_parse_notes(&img, buf, len, out, &count), 0);
	KUNIT_EXPECT_TRUE(test, out[0].ours);
	KUNIT_EXPECT_EQ(test, out[0].type, NT_CR_HEADER);
	KUNIT_EXPECT_EQ(test, out[0].size, 13);
	KUNIT_EXPECT_PTR_EQ(test, out[0].desc, (const void *)(buf + 12 + 8));
	KUNIT_EXPECT_FALSE(test, out[1].ours);
	KUNIT_EXPECT_EQ(test, out[1].type, NT_PRSTATUS);
	KUNIT_EXPECT_EQ(test, out[2].size, 0);

	KUNIT_EXPECT_EQ(test, cr_parse_notes(&img, buf, 0, NULL, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 0);
}

static void cr_parse_notes_malformed(struct kunit *test)
{
	struct cr_image img = { .name = "kunit" };
	unsigned int count;
	u8 buf[256];
	size_t len;

	len = kt_note(buf, 0, "CORE", 5, NT_PRSTATUS, 8);
	/* Cut inside the header, the name and the descriptor. */
	KUNIT_EXPECT_EQ(test, cr_parse_notes(&img, buf, 6, NULL, &count), -EINVAL);
	KUNIT_EXPECT_EQ(test, cr_parse_notes(&img, buf, 14, NULL, &count), -EINVAL);
	KUNIT_EXPECT_EQ(test, cr_parse_notes(&img, buf, len - 4, NULL, &count), -EINVAL);

	/* Name not NUL-terminated. */
	len = kt_note(buf, 0, "COREX", 4, NT_PRSTATUS, 8);
	KUNIT_EXPECT_EQ(test, cr_parse_notes(&img, buf, len, NULL, &count), -EINVAL);

	/* Sizes that would wrap around. */
	len = kt_note(buf, 0, "CORE", 5, NT_PRSTATUS, 8);
	((struct elf64_note *)buf)->n_descsz = 0xfffffffc;
	KUNIT_EXPECT_EQ(test, cr_parse_notes(&img, buf, len, NULL, &count), -EINVAL);
	((struct elf64_note *)buf)->n_descsz = 8;
	((struct elf64_note *)buf)->n_namesz = 0xffffffff;
	KUNIT_EXPECT_EQ(test, cr_parse_notes(&img, buf, len, NULL, &count), -EINVAL);
}

static void cr_check_segments_cases(struct kunit *test)
{
	struct elf_phdr ph[3] = {
		{ .p_type = PT_NOTE, .p_offset = 0x100, .p_filesz = 0x100 },
		{ .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = 0x400000,
		  .p_filesz = 0x1000, .p_memsz = 0x2000 },
		{ .p_type = PT_LOAD, .p_offset = 0x2000, .p_vaddr = 0x402000,
		  .p_filesz = 0, .p_memsz = 0x1000 },
	};
	struct cr_image img = {
		.name = "kunit", .size = 0x2000, .phdrs = ph, .phnum = 3,
	};

	KUNIT_EXPECT_EQ(test, cr_image_check_segments(&img), 0);

	ph[2].p_vaddr = 0x401000;			/* overlaps */
	KUNIT_EXPECT_EQ(test, cr_image_check_segments(&img), -EINVAL);
	ph[2].p_vaddr = 0x402000;

	ph[1].p_filesz = 0x1001;			/* past end of file */
	KUNIT_EXPECT_EQ(test, cr_image_check_segments(&img), -EINVAL);
	ph[1].p_filesz = 0x1000;

	ph[1].p_offset = 0x1008;			/* unaligned data */
	KUNIT_EXPECT_EQ(test, cr_image_check_segments(&img), -EINVAL);
	ph[1].p_offset = 0x1000;

	ph[2].p_vaddr = TASK_SIZE_MAX - 0x1000 + PAGE_SIZE;	/* wraps */
	KUNIT_EXPECT_EQ(test, cr_image_check_segments(&img), -EINVAL);
	ph[2].p_vaddr = 0x402000;

	ph[2].p_type = PT_NOTE;				/* second note segment */
	KUNIT_EXPECT_EQ(test, cr_image_check_segments(&img), -EINVAL);
	ph[2].p_type = PT_LOAD;

	ph[0].p_filesz = 0x2000;			/* notes past end */
	KUNIT_EXPECT_EQ(test, cr_image_check_segments(&img), -EINVAL);
}

static struct kunit_case cr_image_test_cases[] = {
	KUNIT_CASE(cr_parse_notes_valid),
	KUNIT_CASE(cr_parse_notes_malformed),
	KUNIT_CASE(cr_check_segments_cases),
	{}
};

static struct kunit_suite cr_image_test_suite = {
	.name = "cr_image",
	.test_cases = cr_image_test_cases,
};

kunit_test_suite(cr_image_test_suite);
