/*
 * The disk ceiling (docs/bench.md, "Disks"): how fast the emulated PIIX
 * moves data when nothing but the ATA core stands between a loop and the
 * controller. `make bench` boots the bench kernel with ata.ceiling=MIB;
 * then, once the disks are probed, this reads MIB mebibytes from the
 * primary master (ata1.00) CEIL_RUNS times, in commands of the largest
 * size the disk driver issues (ata_disk.c: 2048 sectors, 1 MiB, on an
 * LBA48 disk; 256 otherwise) into a scatter-gather list of separate
 * pages, one PRD entry each -- the shape of an O_DIRECT request from user
 * pages -- each command issued with ata_exec() the moment the previous
 * one returned. It logs
 *
 *	ata_ceiling: ata1.00 DMA: 5 x 64 commands of 1024 KiB: median
 *	812.3 MB/s, 774.7 commands/s (1290 us per command)
 *
 * Then it does the same with CEIL_SMALL_CMDS one-page (4 KiB) commands:
 * the per-command floor under the random-read IOPS figures. The
 * user-space diskbench finds both lines with syslog(2) and prints them as
 * BENCH disk_ceiling_mbs and disk_ceiling_iops: what the O_DIRECT reads
 * through the block layer are compared with. QEMU has no seek time, so
 * the commands simply go in LBA order. No block layer, no user copy, no system call:
 * what remains is the driver's own per-command work, the interrupt and
 * QEMU's emulation of the transfer. Without ata.ceiling (every other
 * boot) nothing runs. A missing disk or a failed command is logged and
 * ends the measurement; the boot goes on.
 */
#include <kestrel/ata.h>
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/init.h>
#include <kestrel/kstrtox.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/time.h>

/* The largest command ata_disk.c issues: 1 MiB with LBA48, else 128 KiB */
#define CEIL_SECT_LBA48 2048
#define CEIL_SEGS (CEIL_SECT_LBA48 * ATA_SECT_SIZE / PAGE_SIZE)
#define CEIL_RUNS 5
#define CEIL_MAX_MIB 1024
#define CEIL_SMALL_CMDS 2000

static unsigned int ceiling_mib; /* 0: do not measure */

static int ata_set_ceiling(char *val)
{
	if (!val || kstrtouint(val, 10, &ceiling_mib) ||
	    ceiling_mib > CEIL_MAX_MIB) {
		ceiling_mib = 0;
		return -EINVAL;
	}
	return 0;
}
__setup("ata.ceiling", ata_set_ceiling);

/* One shape of command: @sect sectors into @nsg pages, @ncmd of them. */
struct ceil_shape {
	unsigned int sect, nsg;
	u64 ncmd;
};

/* One run: @shape's commands from LBA 0 on, wrapping at the disk's end. */
static int ceiling_run(struct ata_device *adev, struct ata_sg *sg,
		       const struct ceil_shape *shape, u64 *ns)
{
	u64 t0 = ktime_get_ns(), i, lba = 0;
	struct ata_cmd cmd;
	int err;

	for (i = 0; i < shape->ncmd; i++) {
		if (lba + shape->sect > adev->n_sectors)
			lba = 0;
		cmd = (struct ata_cmd){ .dev = adev,
					.op = ATA_OP_READ,
					.lba = lba,
					.nsect = shape->sect,
					.sg = sg,
					.nsg = shape->nsg };
		err = ata_exec(&cmd);
		if (err)
			return err;
		lba += shape->sect;
	}
	*ns = ktime_get_ns() - t0;
	return 0;
}

/* Insertion sort: CEIL_RUNS values. */
static u64 median(u64 *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* @num / @den with one decimal, as "%llu.%llu" wants it. */
static void tenths(u64 num, u64 den, u64 *whole, u64 *frac)
{
	u64 t = div64_u64(num * 10, den ? den : 1);

	*whole = div64_u64(t, 10);
	*frac = t - *whole * 10;
}

/* CEIL_RUNS runs of @shape; log the median as MB/s and commands/s. */
static int ceiling_shape(struct ata_device *adev, struct ata_sg *sg,
			 const struct ceil_shape *shape)
{
	u64 ns[CEIL_RUNS], t, bytes = shape->ncmd * shape->sect * ATA_SECT_SIZE;
	u64 mbs, mbs_f, cps, cps_f;
	unsigned int i;
	int err;

	for (i = 0; i < CEIL_RUNS; i++) {
		err = ceiling_run(adev, sg, shape, &ns[i]);
		if (err)
			return err;
	}
	t = median(ns, CEIL_RUNS);
	tenths(bytes * 1000, t, &mbs, &mbs_f); /* bytes/us = MB/s */
	tenths(shape->ncmd * NSEC_PER_SEC, t, &cps, &cps_f);
	pr_info("ata_ceiling: ata%u.%02u %s: %u x %llu commands of %u KiB: median %llu.%llu MB/s, %llu.%llu commands/s (%llu us per command)\n",
		adev->ap->id + 1, adev->devno, adev->pio ? "PIO" : "DMA",
		CEIL_RUNS, shape->ncmd, shape->sect * ATA_SECT_SIZE / 1024, mbs,
		mbs_f, cps, cps_f, div64_u64(t, shape->ncmd * 1000));
	return 0;
}

/*
 * The largest commands over CEIL_SEGS pages (the bandwidth ceiling),
 * then one-page commands (the per-command floor under the IOPS figures).
 */
static int ceiling_measure(struct ata_device *adev)
{
	unsigned int sect = adev->lba48 ? CEIL_SECT_LBA48 : ATA_MAX_SECT_LBA28;
	const struct ceil_shape big = {
		sect, sect * ATA_SECT_SIZE / PAGE_SIZE,
		div64_u64((u64)ceiling_mib << 11, sect) /* MiB in sectors */
	};
	const struct ceil_shape small = { PAGE_SIZE / ATA_SECT_SIZE, 1,
					  CEIL_SMALL_CMDS };
	struct ata_sg *sg = kcalloc(CEIL_SEGS, sizeof(*sg), GFP_KERNEL);
	unsigned int i;
	int err = 0;

	if (!sg)
		return -ENOMEM;
	for (i = 0; i < CEIL_SEGS && !err; i++) {
		sg[i].page = alloc_page(GFP_KERNEL);
		sg[i].len = PAGE_SIZE;
		if (!sg[i].page)
			err = -ENOMEM;
	}
	if (!err)
		err = ceiling_shape(adev, sg, &big);
	if (!err)
		err = ceiling_shape(adev, sg, &small);
	for (i = 0; i < CEIL_SEGS; i++)
		if (sg[i].page)
			__free_page(sg[i].page);
	kfree(sg);
	return err;
}

static int ata_ceiling_init(void)
{
	struct ata_device *adev;
	int err;

	if (!ceiling_mib)
		return 0;
	adev = ata_get_device(0, 0);
	if (!adev || adev->class != ATA_DEV_ATA ||
	    adev->n_sectors < CEIL_SECT_LBA48) {
		pr_err("ata_ceiling: no disk on ata1.00, nothing measured\n");
		if (adev)
			ata_put_device(adev);
		return 0;
	}
	err = ceiling_measure(adev);
	if (err)
		pr_err("ata_ceiling: ata1.00: measurement failed (%d)\n", err);
	ata_put_device(adev);
	return 0;
}
late_initcall(ata_ceiling_init);
