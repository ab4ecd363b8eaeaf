/*
 * ktest suite "ata": the PIIX IDE driver against the disks
 * scripts/run-tests gives the ktest boot (ata_drives() there):
 *
 *   ata1.00  disk0.img  8 MiB                        DMA
 *   ata1.01  disk1.img  1 MiB, blkdebug: EIO once at sector 100
 *   ata2.00  QEMU's default (empty) DVD-ROM: detected, not driven
 *   ata2.01  disk3.img  2 MiB, forced to PIO by ata.pio=1.1 (the
 *            ktest boot; the iso-grub boot's GRUB entry has no such word,
 *            and the cases expect PIO only when the command line asks)
 *
 * Every image sector holds its own LBA, as a little-endian u64 repeated,
 * so data read from the wrong place is caught. Cases needing the disks
 * skip when there are none.
 */
#include <kestrel/ata.h>
#include <kestrel/atomic.h>
#include <kestrel/completion.h>
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/init.h>
#include <kestrel/ioport.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>
#include <kestrel/mm.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#define DISK0_SECTORS 16384
#define DISK1_SECTORS 2048
#define DISK3_SECTORS 4096
#define BLKDEBUG_SECTOR 100
#define BUF_ORDER 5 /* 128 KiB, aligned to 128 KiB: a 64 KiB line inside */
#define SYS_DEV "/devices/pci0000:00/0000:00:01.1/"
#define PIIX_NAME "0000:00:01.1"

/* Did the command line force the secondary slave to PIO? */
static bool disk3_pio(void)
{
	return strstr(boot_command_line, "ata.pio=1.1") != NULL;
}

static struct ata_device *get_disk(struct ktest *t, unsigned int port,
				   unsigned int devno)
{
	struct ata_device *adev = ata_get_device(port, devno);

	if (!adev)
		ktest_skip(t, "no disk (boot with scripts/run-tests ktest)");
	return adev;
}

static struct page *buf_alloc(struct ktest *t)
{
	struct page *page = alloc_pages(GFP_KERNEL, BUF_ORDER);

	KT_ASSERT_NOT_NULL(t, page);
	return page;
}

static char *buf_addr(struct page *page)
{
	return page_address(page);
}

/*
 * Four segments for 40 sectors (20 KiB) in a 128 KiB block: the first
 * ends on a page boundary, the second crosses pages, the third crosses
 * the 64 KiB line in the middle (two PRD entries), the last is small.
 */
static unsigned int make_sg(struct page *base, struct ata_sg *sg)
{
	static const unsigned int off[] = { 4096 - 1536, 8192 - 512,
					    65536 - 6144, 100000 };
	static const unsigned int len[] = { 1536, 8704, 8192, 2048 };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		sg[i].page = base + off[i] / PAGE_SIZE;
		sg[i].offset = off[i] % PAGE_SIZE;
		sg[i].len = len[i];
	}
	return 4;
}

/* Does the sector-sized piece at byte @pos of the sg hold stamp @lba? */
static bool sg_sector_is(struct ata_sg *sg, unsigned int nsg, unsigned int sect,
			 u64 stamp)
{
	unsigned int pos = sect * ATA_SECT_SIZE, i, b;

	for (b = 0; b < ATA_SECT_SIZE; b += 8) {
		unsigned int at = pos + b;
		u64 v;

		for (i = 0; i < nsg && at >= sg[i].len; i++)
			at -= sg[i].len;
		if (i == nsg)
			return false;
		memcpy(&v, (char *)page_address(sg[i].page) + sg[i].offset + at,
		       8);
		if (v != stamp)
			return false;
	}
	return true;
}

static void sg_fill(struct ata_sg *sg, unsigned int nsg, u64 first, u64 xor)
{
	unsigned int i, b, sect = 0, at = 0;

	for (i = 0; i < nsg; i++) {
		char *p = (char *)page_address(sg[i].page) + sg[i].offset;

		for (b = 0; b < sg[i].len; b += 8, at += 8) {
			u64 v = (first + sect) ^ xor;

			memcpy(p + b, &v, 8);
			if (at % ATA_SECT_SIZE == ATA_SECT_SIZE - 8)
				sect++;
		}
	}
}

static int rw(struct ata_device *adev, enum ata_op op, u64 lba,
	      unsigned int nsect, struct ata_sg *sg, unsigned int nsg,
	      unsigned int flags)
{
	struct ata_cmd cmd = {
		.dev = adev,
		.op = op,
		.lba = lba,
		.nsect = nsect,
		.sg = sg,
		.nsg = nsg,
		.flags = flags,
	};

	return ata_exec(&cmd);
}

/* Read @nsect at @lba into one segment; check the stamps. */
static void expect_read(struct ktest *t, struct ata_device *adev, u64 lba,
			unsigned int nsect, unsigned int flags)
{
	struct page *page = buf_alloc(t);
	struct ata_sg sg = { page, 0, nsect * ATA_SECT_SIZE };
	unsigned int i;

	KT_EXPECT_EQ(t, rw(adev, ATA_OP_READ, lba, nsect, &sg, 1, flags), 0);
	for (i = 0; i < nsect; i++)
		KT_EXPECT_TRUE(t, sg_sector_is(&sg, 1, i, lba + i));
	__free_pages(page, BUF_ORDER);
}

static void test_identify(struct ktest *t)
{
	struct ata_device *adev = get_disk(t, 0, 0), *other;

	KT_EXPECT_EQ(t, strcmp(adev->model, "QEMU HARDDISK"), 0);
	KT_EXPECT_EQ(t, adev->n_sectors, DISK0_SECTORS);
	KT_EXPECT_TRUE(t, adev->lba48);
	KT_EXPECT_GT(t, strlen(adev->serial), 0);
	KT_EXPECT_GT(t, strlen(adev->firmware), 0);
	KT_EXPECT_EQ(t, adev->mwdma_sel, 0x4); /* MWDMA2 selected */
	KT_EXPECT_FALSE(t, adev->pio);
	ata_put_device(adev);
	other = get_disk(t, 0, 1);
	KT_EXPECT_EQ(t, other->n_sectors, DISK1_SECTORS);
	ata_put_device(other);
	KT_EXPECT_NULL(t, ata_get_device(1, 0)); /* the DVD-ROM: not a disk */
	other = get_disk(t, 1, 1);
	KT_EXPECT_EQ(t, other->n_sectors, DISK3_SECTORS);
	KT_EXPECT_EQ(t, other->pio, disk3_pio());
	ata_put_device(other);
}

static void read_sg(struct ktest *t, unsigned int port, unsigned int devno,
		    unsigned int flags)
{
	struct ata_device *adev = get_disk(t, port, devno);
	struct page *page = buf_alloc(t);
	struct ata_sg sg[4];
	unsigned int nsg = make_sg(page, sg), i;
	static const u64 lbas[] = { 0, 1000, 4000 };
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(lbas); k++) {
		memset(buf_addr(page), 0xee, PAGE_SIZE << BUF_ORDER);
		KT_EXPECT_EQ(t,
			     rw(adev, ATA_OP_READ, lbas[k], 40, sg, nsg, flags),
			     0);
		for (i = 0; i < 40; i++)
			KT_EXPECT_TRUE(t,
				       sg_sector_is(sg, nsg, i, lbas[k] + i));
	}
	__free_pages(page, BUF_ORDER);
	ata_put_device(adev);
}

static void test_read_dma_sg(struct ktest *t)
{
	read_sg(t, 0, 0, 0);
}

static void test_read_pio_sg(struct ktest *t)
{
	read_sg(t, 0, 0, ATA_CMDF_PIO);
}

static void test_read_pio_device(struct ktest *t)
{
	read_sg(t, 1, 1, 0); /* PIO by ata.pio=1.1 (the ktest boot) */
}

/* Write with one mode, flush, read back with the other. */
static void write_readback(struct ktest *t, unsigned int wflags,
			   unsigned int rflags, u64 lba)
{
	struct ata_device *adev = get_disk(t, 0, 0);
	struct page *page = buf_alloc(t);
	struct ata_sg sg[4];
	unsigned int nsg = make_sg(page, sg), i;
	struct ata_cmd flush = { .dev = adev, .op = ATA_OP_FLUSH };
	u64 xor = 0xa5a5a5a5deadbeefULL;

	sg_fill(sg, nsg, lba, xor);
	KT_EXPECT_EQ(t, rw(adev, ATA_OP_WRITE, lba, 40, sg, nsg, wflags), 0);
	KT_EXPECT_EQ(t, ata_exec(&flush), 0);
	memset(buf_addr(page), 0, PAGE_SIZE << BUF_ORDER);
	KT_EXPECT_EQ(t, rw(adev, ATA_OP_READ, lba, 40, sg, nsg, rflags), 0);
	for (i = 0; i < 40; i++)
		KT_EXPECT_TRUE(t, sg_sector_is(sg, nsg, i, (lba + i) ^ xor));
	/* the neighbours are untouched */
	__free_pages(page, BUF_ORDER);
	expect_read(t, adev, lba - 1, 1, 0);
	expect_read(t, adev, lba + 40, 1, 0);
	ata_put_device(adev);
}

static void test_write_dma_read_pio(struct ktest *t)
{
	write_readback(t, 0, ATA_CMDF_PIO, 6000);
}

static void test_write_pio_read_dma(struct ktest *t)
{
	write_readback(t, ATA_CMDF_PIO, 0, 7000);
}

/* LBA48 commands for a small LBA, and the last sectors of the disk. */
static void test_lba48(struct ktest *t)
{
	struct ata_device *adev = get_disk(t, 0, 0);
	struct page *page = buf_alloc(t);
	struct ata_sg sg = { page, 0, 8 * ATA_SECT_SIZE };
	struct ata_cmd cmd = { .dev = adev,
			       .op = ATA_OP_READ,
			       .lba = 300,
			       .nsect = 8,
			       .sg = &sg,
			       .nsg = 1,
			       .flags = ATA_CMDF_LBA48 };
	struct ata_cmd flush = { .dev = adev,
				 .op = ATA_OP_FLUSH,
				 .flags = ATA_CMDF_LBA48 };
	unsigned int i;

	KT_EXPECT_EQ(t, ata_exec(&cmd), 0);
	KT_EXPECT_EQ(t, cmd.tf_cmd, ATA_CMD_READ_DMA_EXT);
	for (i = 0; i < 8; i++)
		KT_EXPECT_TRUE(t, sg_sector_is(&sg, 1, i, 300 + i));
	cmd.flags |= ATA_CMDF_PIO;
	cmd.lba = 9000;
	KT_EXPECT_EQ(t, ata_exec(&cmd), 0);
	/* PIO moves a block of sectors per interrupt (SET MULTIPLE MODE
	 * at probe: QEMU's disks take 16) */
	KT_EXPECT_EQ(t, adev->multi, 16);
	KT_EXPECT_EQ(t, cmd.tf_cmd, ATA_CMD_READ_MULTI_EXT);
	for (i = 0; i < 8; i++)
		KT_EXPECT_TRUE(t, sg_sector_is(&sg, 1, i, 9000 + i));
	KT_EXPECT_EQ(t, ata_exec(&flush), 0);
	KT_EXPECT_EQ(t, flush.tf_cmd, ATA_CMD_FLUSH_EXT);
	__free_pages(page, BUF_ORDER);
	expect_read(t, adev, DISK0_SECTORS - 8, 8, 0);
	expect_read(t, adev, DISK0_SECTORS - 1, 1, ATA_CMDF_PIO);
	ata_put_device(adev);
}

/* The device refuses a sector past its end; the channel goes on. */
static void test_read_past_end(struct ktest *t)
{
	struct ata_device *adev = get_disk(t, 0, 0);
	struct page *page = buf_alloc(t);
	struct ata_sg sg = { page, 0, ATA_SECT_SIZE };

	KT_EXPECT_EQ(t, rw(adev, ATA_OP_READ, DISK0_SECTORS, 1, &sg, 1, 0),
		     -EIO);
	KT_EXPECT_EQ(t,
		     rw(adev, ATA_OP_READ, DISK0_SECTORS, 1, &sg, 1,
			ATA_CMDF_PIO),
		     -EIO);
	__free_pages(page, BUF_ORDER);
	expect_read(t, adev, 5, 1, 0);
	ata_put_device(adev);
}

/* QEMU's blkdebug fails the first read of sector 100 of disk1 (EIO). */
static void test_injected_eio(struct ktest *t)
{
	struct ata_device *adev = get_disk(t, 0, 1);
	struct page *page = buf_alloc(t);
	struct ata_sg sg = { page, 0, 4 * ATA_SECT_SIZE };

	KT_EXPECT_EQ(t,
		     rw(adev, ATA_OP_READ, BLKDEBUG_SECTOR - 2, 4, &sg, 1, 0),
		     -EIO);
	__free_pages(page, BUF_ORDER);
	expect_read(t, adev, BLKDEBUG_SECTOR - 2, 4, 0);
	ata_put_device(adev);
}

/* A lost command: the timer resets the channel and issues it again. */
static void test_timeout_retry(struct ktest *t)
{
	struct ata_device *adev = get_disk(t, 0, 0);
	struct ata_port *ap = adev->ap;
	struct page *page = buf_alloc(t);
	struct ata_sg sg = { page, 0, ATA_SECT_SIZE };
	struct ata_cmd cmd = { .dev = adev,
			       .op = ATA_OP_READ,
			       .lba = 77,
			       .nsect = 1,
			       .sg = &sg,
			       .nsg = 1 };
	unsigned int saved = ap->timeout_ms;

	ap->timeout_ms = 200;
	ap->drop_issue = 1; /* the first issue is lost */
	KT_EXPECT_EQ(t, ata_exec(&cmd), 0);
	KT_EXPECT_EQ(t, cmd.tries, 2);
	KT_EXPECT_TRUE(t, sg_sector_is(&sg, 1, 0, 77));
	ap->drop_issue = 3; /* every try is lost */
	cmd.flags = ATA_CMDF_PIO;
	KT_EXPECT_EQ(t, ata_exec(&cmd), -EIO);
	KT_EXPECT_EQ(t, cmd.tries, 3);
	ap->drop_issue = 0;
	ap->timeout_ms = saved;
	__free_pages(page, BUF_ORDER);
	expect_read(t, adev, 78, 1, 0);
	ata_put_device(adev);
}

struct queued {
	struct ata_cmd cmd;
	struct ata_sg sg;
};

static atomic_t queued_left;
static struct completion queued_done;

static void queued_end(struct ata_cmd *cmd)
{
	if (atomic_dec_and_test(&queued_left))
		complete(&queued_done);
}

/* Eight commands at once on one channel, both disks, DMA and PIO. */
static void test_queue(struct ktest *t)
{
	struct ata_device *d0 = get_disk(t, 0, 0), *d1 = get_disk(t, 0, 1);
	struct page *page = buf_alloc(t);
	static struct queued q[8];
	unsigned int i;

	init_completion(&queued_done);
	atomic_set(&queued_left, 8);
	for (i = 0; i < 8; i++) {
		q[i].sg = (struct ata_sg){ page, i * 2048, 2048 };
		q[i].cmd = (struct ata_cmd){
			.dev = i & 1 ? d1 : d0,
			.op = ATA_OP_READ,
			.lba = 200 + 10 * i,
			.nsect = 4,
			.sg = &q[i].sg,
			.nsg = 1,
			.flags = i & 2 ? ATA_CMDF_PIO : 0,
			.done = queued_end,
		};
	}
	for (i = 0; i < 8; i++)
		KT_ASSERT_EQ(t, ata_submit(&q[i].cmd), 0);
	wait_for_completion(&queued_done);
	for (i = 0; i < 8; i++) {
		unsigned int s;

		KT_EXPECT_EQ(t, q[i].cmd.result, 0);
		for (s = 0; s < 4; s++)
			KT_EXPECT_TRUE(t, sg_sector_is(&q[i].sg, 1, s,
						       200 + 10 * i + s));
	}
	__free_pages(page, BUF_ORDER);
	ata_put_device(d0);
	ata_put_device(d1);
}

/* Malformed commands are refused before they reach the channel. */
static void test_bad_commands(struct ktest *t)
{
	struct ata_device *adev = get_disk(t, 0, 0);
	struct page *page = buf_alloc(t);
	struct ata_sg sg = { page, 1, ATA_SECT_SIZE }; /* odd offset */

	KT_EXPECT_EQ(t, rw(adev, ATA_OP_READ, 0, 1, &sg, 1, 0), -EINVAL);
	sg.offset = 0;
	KT_EXPECT_EQ(t, rw(adev, ATA_OP_READ, 0, 2, &sg, 1, 0), -EINVAL);
	KT_EXPECT_EQ(t, rw(adev, ATA_OP_READ, 0, 0, &sg, 1, 0), -EINVAL);
	KT_EXPECT_EQ(t, rw(adev, ATA_OP_READ, 0, 257, &sg, 1, 0), -EINVAL);
	__free_pages(page, BUF_ORDER);
	ata_put_device(adev);
}

/* The PRD rules of ata_build_prd(), on physical addresses we choose. */
static void test_prd_rules(struct ktest *t)
{
	struct page *page = buf_alloc(t);
	/* a whole table is too big for the stack */
	struct ata_prd *prd =
		kmalloc_array(ATA_PRD_MAX, sizeof(*prd), GFP_KERNEL);
	struct ata_sg *sg =
		kmalloc_array(ATA_PRD_MAX + 1, sizeof(*sg), GFP_KERNEL);
	u32 base = (u32)PFN_PHYS(page_to_pfn(page));
	unsigned int i;

	KT_ASSERT_TRUE(t, prd && sg);

	/* 128 KiB-aligned block: the whole of it is two 64 KiB entries. */
	sg[0] = (struct ata_sg){ page, 0, 0x20000 };
	KT_ASSERT_EQ(t, ata_build_prd(prd, ATA_PRD_MAX, sg, 1), 2);
	KT_EXPECT_EQ(t, prd[0].addr, base);
	KT_EXPECT_EQ(t, prd[0].flags_len, 0); /* 0 means 64 KiB */
	KT_EXPECT_EQ(t, prd[1].addr, base + 0x10000);
	KT_EXPECT_EQ(t, prd[1].flags_len, ATA_PRD_EOT);
	/* crossing the 64 KiB line splits */
	sg[0] = (struct ata_sg){ page + 15, 4096 - 512, 1024 };
	KT_ASSERT_EQ(t, ata_build_prd(prd, ATA_PRD_MAX, sg, 1), 2);
	KT_EXPECT_EQ(t, prd[0].flags_len, 512);
	KT_EXPECT_EQ(t, prd[1].addr, base + 0x10000);
	KT_EXPECT_EQ(t, prd[1].flags_len, ATA_PRD_EOT | 512);
	sg[0].len = 511; /* odd */
	KT_EXPECT_EQ(t, ata_build_prd(prd, ATA_PRD_MAX, sg, 1), -EINVAL);
	for (i = 0; i <= ATA_PRD_MAX; i++)
		sg[i] = (struct ata_sg){ page, 2 * i, 2 };
	KT_EXPECT_EQ(t, ata_build_prd(prd, ATA_PRD_MAX, sg, ATA_PRD_MAX),
		     ATA_PRD_MAX);
	KT_EXPECT_EQ(t, ata_build_prd(prd, ATA_PRD_MAX, sg, ATA_PRD_MAX + 1),
		     -EINVAL);
	kfree(prd);
	kfree(sg);
	__free_pages(page, BUF_ORDER);
}

static struct ktest_mount sys;

static void expect_attr(struct ktest *t, const char *path, const char *want)
{
	char buf[128];

	KT_EXPECT_GT(t, fx_read_str(sys.fs, path, buf, sizeof(buf)), 0);
	if (strcmp(buf, want))
		ktest_fail(t, __FILE__, __LINE__, "%s: \"%s\", want \"%s\"",
			   path, buf, want);
}

static void test_sysfs(struct ktest *t)
{
	struct ata_device *adev = get_disk(t, 0, 0);

	ata_put_device(adev);
	KT_ASSERT_EQ(t, ktest_mount(&sys, "sysfs"), 0);
	expect_attr(t, SYS_DEV "ata1/ata1.00/model", "QEMU HARDDISK\n");
	expect_attr(t, SYS_DEV "ata1/ata1.00/capacity", "16384\n");
	expect_attr(t, SYS_DEV "ata1/ata1.00/lba48", "1\n");
	expect_attr(t, SYS_DEV "ata1/ata1.00/selected_dma", "mwdma2\n");
	expect_attr(
		t, SYS_DEV "ata1/ata1.00/dma_modes",
		"udma0 udma1 udma2 udma3 udma4 udma5 mwdma0 mwdma1 mwdma2\n");
	expect_attr(t, SYS_DEV "ata1/ata1.01/capacity", "2048\n");
	expect_attr(t, SYS_DEV "ata2/ata2.01/selected_dma",
		    disk3_pio() ? "pio\n" : "mwdma2\n");
	KT_EXPECT_FALSE(t, fx_exists(sys.fs, SYS_DEV "ata2/ata2.00"));
	ktest_umount(&sys);
}

/* Unbind releases the ports and lines; a held disk gets -ENODEV; bind
 * finds the disks again. */
static void test_unbind_bind(struct ktest *t)
{
	struct ata_device *held = get_disk(t, 0, 0), *again;
	struct page *page = buf_alloc(t);
	struct ata_sg sg = { page, 0, ATA_SECT_SIZE };

	KT_ASSERT_EQ(t, ktest_mount(&sys, "sysfs"), 0);
	KT_EXPECT_GT(t,
		     fx_write_str(sys.fs, "/bus/pci/drivers/ata_piix/unbind",
				  PIIX_NAME),
		     0);
	KT_EXPECT_NULL(t, ata_get_device(0, 0));
	KT_EXPECT_FALSE(t, fx_exists(sys.fs, SYS_DEV "ata1"));
	KT_EXPECT_EQ(t, rw(held, ATA_OP_READ, 0, 1, &sg, 1, 0), -ENODEV);
	ata_put_device(held);
	if (request_region(0x1f0, 8, "ata_test")) /* released by unbind */
		release_region(0x1f0, 8);
	else
		ktest_fail(t, __FILE__, __LINE__, "0x1f0 still claimed");
	KT_EXPECT_GT(t,
		     fx_write_str(sys.fs, "/bus/pci/drivers/ata_piix/bind",
				  PIIX_NAME),
		     0);
	ktest_umount(&sys);
	again = get_disk(t, 0, 0);
	KT_EXPECT_EQ(t, rw(again, ATA_OP_READ, 12, 1, &sg, 1, 0), 0);
	KT_EXPECT_TRUE(t, sg_sector_is(&sg, 1, 0, 12));
	ata_put_device(again);
	__free_pages(page, BUF_ORDER);
}

static struct ktest_case ata_cases[] = { KTEST_CASE(test_identify),
					 KTEST_CASE(test_prd_rules),
					 KTEST_CASE(test_read_dma_sg),
					 KTEST_CASE(test_read_pio_sg),
					 KTEST_CASE(test_read_pio_device),
					 KTEST_CASE(test_write_dma_read_pio),
					 KTEST_CASE(test_write_pio_read_dma),
					 KTEST_CASE(test_lba48),
					 KTEST_CASE(test_read_past_end),
					 KTEST_CASE(test_injected_eio),
					 KTEST_CASE(test_timeout_retry),
					 KTEST_CASE(test_queue),
					 KTEST_CASE(test_bad_commands),
					 KTEST_CASE(test_sysfs),
					 KTEST_CASE(test_unbind_bind),
					 {} };
KTEST_SUITE(ata, ata_cases);
