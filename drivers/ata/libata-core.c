/*
 * The ATA core: one parallel ATA channel (master and slave), the way
 * Linux's libata-sff drives it, in less code (docs/ata.md).
 *
 * Detection (ata_port_probe): a software reset of the channel, then the
 * signature each device leaves in its LBA mid/high registers (00/00 an
 * ATA disk, 14/EB an ATAPI device), then IDENTIFY (PACKET) DEVICE read
 * through the command engine below. Each disk becomes a device in the
 * device model, /sys/devices/.../0000:00:01.1/ata1/ata1.00, with its
 * identity as read-only attributes. ATAPI devices are reported only.
 *
 * The command engine: one command per channel at a time; the others wait
 * on the channel's queue. A command is issued from the submitter's
 * context or, when the previous one completes, from the interrupt
 * handler. Bus-master DMA is the default: the PRD table is built from the
 * command's segments, the controller moves the data, one interrupt ends
 * it. PIO moves one sector (256 words) per interrupt in the handler;
 * nothing waits for data in a loop, only for BSY to drop for the short
 * times the spec allows (ata_wait_idle). A kernel timer bounds every
 * command: when it fires the channel is reset and the command issued
 * again, at most ATA_RETRIES times, then failed with -EIO.
 *
 *   idle --submit--> issued --IRQ (PIO: per sector)--> done --> next
 *                      |  ^
 *                 timer|  |retry (reset first)
 *                      v  |
 *                    timed out --too many tries--> done (-EIO)
 *
 * Locking: ap->lock (irqsave) covers the queue, the active command, the
 * registers and the PRD table. @done callbacks run with it dropped, so a
 * callback may submit again. ata_ports[] is under ata_ports_mutex.
 */
#include <kestrel/ata.h>
#include <kestrel/completion.h>
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/init.h>
#include <kestrel/io.h>
#include <kestrel/kstrtox.h>
#include <kestrel/sched.h>
#include <asm/io.h>
#include <kestrel/mm.h>
#include <kestrel/mutex.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>

#include "ata_disk.h"

#define ATA_TIMEOUT_MS 5000
#define ATA_RETRIES 2 /* issues after the first, on a timeout */
#define ATA_BUSY_WAIT_US 100000 /* the longest BSY spin we accept */

static DEFINE_MUTEX(ata_ports_mutex);
static struct ata_port *ata_ports[2];
static unsigned int ata_pio_mask; /* bit 2*channel+devno: force PIO */

/*
 * ata.pio=1 forces PIO on every device (0: on none, the default);
 * ata.pio=C.D[,C.D...] on channel C (0 primary, 1 secondary), device D
 * (0 master, 1 slave). Anything else is reported as malformed.
 */
static int ata_set_pio(char *val)
{
	if (!val)
		return -EINVAL;
	if (!strcmp(val, "0") || !strcmp(val, "1")) {
		ata_pio_mask = val[0] == '1' ? 0xf : 0;
		return 0;
	}
	while (*val) {
		if (val[0] < '0' || val[0] > '1' || val[1] != '.' ||
		    val[2] < '0' || val[2] > '1')
			return -EINVAL;
		ata_pio_mask |= 1U << ((val[0] - '0') * 2 + (val[2] - '0'));
		val += 3;
		if (*val == ',')
			val++;
		else if (*val)
			return -EINVAL;
	}
	return 0;
}
__setup("ata.pio", ata_set_pio);

static u8 ata_read(struct ata_port *ap, unsigned int reg)
{
	return inb(ap->cmd_base + reg);
}

static void ata_write(struct ata_port *ap, u8 val, unsigned int reg)
{
	outb(val, ap->cmd_base + reg);
}

/*
 * Spin until BSY drops, at most ATA_BUSY_WAIT_US (ATA-7 lets a device
 * stay busy that long only after a reset; QEMU never does). Returns the
 * status, which still has BSY set on a timeout.
 */
static u8 ata_wait_idle(struct ata_port *ap)
{
	unsigned int us;
	u8 status = 0;

	for (us = 0; us < ATA_BUSY_WAIT_US; us += 10) {
		status = inb(ap->ctl_base); /* alternate status: no ack */
		if (!(status & ATA_BUSY))
			break;
		udelay(10);
	}
	return status;
}

/* The device name of the log lines: "ata1.00" for the primary master. */
#define ADEV_FMT "ata%u.%02u"
#define ADEV_ARG(adev) ((adev)->ap->id + 1), ((adev)->devno)

/* ---- error reporting -------------------------------------------------- */

static const char *ata_cmd_name(u8 cmd)
{
	switch (cmd) {
	case ATA_CMD_READ_DMA:
		return "READ DMA";
	case ATA_CMD_READ_DMA_EXT:
		return "READ DMA EXT";
	case ATA_CMD_WRITE_DMA:
		return "WRITE DMA";
	case ATA_CMD_WRITE_DMA_EXT:
		return "WRITE DMA EXT";
	case ATA_CMD_READ_PIO:
		return "READ SECTORS";
	case ATA_CMD_READ_PIO_EXT:
		return "READ SECTORS EXT";
	case ATA_CMD_WRITE_PIO:
		return "WRITE SECTORS";
	case ATA_CMD_WRITE_PIO_EXT:
		return "WRITE SECTORS EXT";
	case ATA_CMD_READ_MULTI:
		return "READ MULTIPLE";
	case ATA_CMD_READ_MULTI_EXT:
		return "READ MULTIPLE EXT";
	case ATA_CMD_WRITE_MULTI:
		return "WRITE MULTIPLE";
	case ATA_CMD_WRITE_MULTI_EXT:
		return "WRITE MULTIPLE EXT";
	case ATA_CMD_SET_MULTI:
		return "SET MULTIPLE MODE";
	case ATA_CMD_FLUSH:
		return "FLUSH CACHE";
	case ATA_CMD_FLUSH_EXT:
		return "FLUSH CACHE EXT";
	case ATA_CMD_ID_ATA:
		return "IDENTIFY DEVICE";
	case ATA_CMD_ID_ATAPI:
		return "IDENTIFY PACKET DEVICE";
	case ATA_CMD_SET_FEATURES:
		return "SET FEATURES";
	}
	return "?";
}

/* The error register's bits, by name (ATA-7 section 6.2.2). */
static void ata_decode_error(u8 err, char *buf, size_t size)
{
	static const struct {
		u8 bit;
		const char *name;
	} bits[] = {
		{ ATA_ICRC, "ICRC" },	{ ATA_UNC, "UNC" },
		{ ATA_IDNF, "IDNF" },	{ ATA_ABRT, "ABRT" },
		{ ATA_TK0NF, "TK0NF" }, { ATA_AMNF, "AMNF" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		if (err & bits[i].bit)
			n += snprintf(buf + n, size - n, " %s", bits[i].name);
}

static void ata_report_error(struct ata_cmd *cmd, u8 status, u8 err, u8 bmstat)
{
	char names[40];

	ata_decode_error(err, names, sizeof(names));
	pr_err(ADEV_FMT ": failed command: %s, LBA %llu, count %u\n",
	       ADEV_ARG(cmd->dev), ata_cmd_name(cmd->tf_cmd),
	       (unsigned long long)cmd->lba, cmd->nsect);
	pr_err(ADEV_FMT ": status 0x%02x%s%s error 0x%02x {%s } bmdma 0x%02x\n",
	       ADEV_ARG(cmd->dev), status, status & ATA_ERR ? " ERR" : "",
	       status & ATA_DF ? " DF" : "", err, names, bmstat);
}

/* ---- the PRD table ---------------------------------------------------- */

/**
 * ata_build_prd - fill a PRD table from a scatter-gather list
 * @prd: the table; @max: its entries
 * @sg: the segments; @nsg: how many
 *
 * The rules, from Intel's "Programming Interface for Bus Master IDE
 * Controller" rev. 1.0, section 1.2 (Physical Region Descriptor), which
 * the 82371AB (PIIX4) datasheet's bus master IDE section repeats: each
 * entry names one physically contiguous region; it must not cross a
 * 64 KiB boundary; its address and byte count are even (bit 0 is
 * reserved); the count is 16 bits, 0 meaning 64 KiB; bit 31 of the
 * last entry (EOT) ends the table. The table itself is dword aligned and
 * must not cross a 64 KiB boundary (ours is one page of its own).
 *
 * A segment is split wherever it crosses 64 KiB. Returns the number of
 * entries, or -EINVAL for an odd segment or one needing > @max entries.
 * With @prd NULL it only counts (ata_submit checks a command fits).
 */
int ata_build_prd(struct ata_prd *prd, unsigned int max,
		  const struct ata_sg *sg, unsigned int nsg)
{
	unsigned int i, n = 0;

	for (i = 0; i < nsg; i++) {
		u32 addr =
			(u32)PFN_PHYS(page_to_pfn(sg[i].page)) + sg[i].offset;
		u32 left = sg[i].len;

		if ((addr | left) & 1 || !left)
			return -EINVAL;
		while (left) {
			u32 chunk = 0x10000 - (addr & 0xffff);

			if (chunk > left)
				chunk = left;
			if (n == max)
				return -EINVAL;
			if (prd) {
				prd[n].addr = addr;
				prd[n].flags_len = chunk & 0xffff; /* 0: 64K */
			}
			addr += chunk;
			left -= chunk;
			n++;
		}
	}
	if (!n)
		return -EINVAL;
	if (prd)
		prd[n - 1].flags_len |= ATA_PRD_EOT;
	return (int)n;
}

/* ---- issuing ---------------------------------------------------------- */

static bool ata_cmd_is_ext(const struct ata_cmd *cmd)
{
	return (cmd->flags & ATA_CMDF_LBA48) ||
	       cmd->lba + cmd->nsect > ATA_LBA28_LIMIT ||
	       cmd->nsect > ATA_MAX_SECT_LBA28;
}

/* The PIO command byte of a read or write: MULTIPLE (a block of
 * dev->multi sectors per interrupt) once SET MULTIPLE MODE took. */
static u8 ata_pio_cmd(const struct ata_cmd *cmd, bool ext)
{
	bool multi = cmd->dev->multi > 1;

	if (cmd->op == ATA_OP_READ)
		return multi ? (ext ? ATA_CMD_READ_MULTI_EXT :
				      ATA_CMD_READ_MULTI) :
			       (ext ? ATA_CMD_READ_PIO_EXT : ATA_CMD_READ_PIO);
	return multi ? (ext ? ATA_CMD_WRITE_MULTI_EXT : ATA_CMD_WRITE_MULTI) :
		       (ext ? ATA_CMD_WRITE_PIO_EXT : ATA_CMD_WRITE_PIO);
}

/* Pick the ATA command byte and PIO or DMA for @cmd. */
static void ata_prep(struct ata_port *ap, struct ata_cmd *cmd)
{
	bool ext = ata_cmd_is_ext(cmd);
	bool dma = ap->bmdma_base && !cmd->dev->pio &&
		   !(cmd->flags & ATA_CMDF_PIO);

	cmd->dma = false;
	cmd->block = 1;
	if (!dma && cmd->dev->multi > 1 &&
	    (cmd->op == ATA_OP_READ || cmd->op == ATA_OP_WRITE))
		cmd->block = cmd->dev->multi; /* READ/WRITE MULTIPLE */
	switch (cmd->op) {
	case ATA_OP_READ:
		cmd->dma = dma;
		cmd->tf_cmd =
			dma ? (ext ? ATA_CMD_READ_DMA_EXT : ATA_CMD_READ_DMA) :
			      ata_pio_cmd(cmd, ext);
		break;
	case ATA_OP_WRITE:
		cmd->dma = dma;
		cmd->tf_cmd = dma ? (ext ? ATA_CMD_WRITE_DMA_EXT :
					   ATA_CMD_WRITE_DMA) :
				    ata_pio_cmd(cmd, ext);
		break;
	case ATA_OP_FLUSH:
		cmd->tf_cmd = ext ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH;
		break;
	case ATA_OP_IDENTIFY:
		cmd->tf_cmd = cmd->dev->class == ATA_DEV_ATAPI ?
				      ATA_CMD_ID_ATAPI :
				      ATA_CMD_ID_ATA;
		break;
	case ATA_OP_SET_XFER:
		cmd->tf_cmd = ATA_CMD_SET_FEATURES;
		break;
	case ATA_OP_SET_MULTI:
		cmd->tf_cmd = ATA_CMD_SET_MULTI;
		break;
	}
}

/* Write the task file and the command byte (ATA-7 section 5.2). */
static void ata_tf_issue(struct ata_port *ap, struct ata_cmd *cmd)
{
	u8 dev = ATA_DEVICE_OBS | (cmd->dev->devno ? ATA_DEV1 : 0);
	u32 lba = (u32)cmd->lba;
	unsigned int count = cmd->nsect;

	if (cmd->op == ATA_OP_FLUSH || cmd->op == ATA_OP_IDENTIFY)
		count = 0;
	outb(0, ap->ctl_base); /* nIEN clear: interrupts on */
	if (ata_cmd_is_ext(cmd) || cmd->op == ATA_OP_SET_XFER) {
		ata_write(ap, dev | ATA_LBA, ATA_REG_DEVICE);
	} else {
		ata_write(ap, dev | ATA_LBA | ((lba >> 24) & 0xf),
			  ATA_REG_DEVICE);
	}
	ata_wait_idle(ap);
	if (ata_cmd_is_ext(cmd)) { /* the high bytes first */
		ata_write(ap, count >> 8, ATA_REG_NSECT);
		ata_write(ap, (u8)(cmd->lba >> 24), ATA_REG_LBAL);
		ata_write(ap, (u8)(cmd->lba >> 32), ATA_REG_LBAM);
		ata_write(ap, (u8)(cmd->lba >> 40), ATA_REG_LBAH);
	}
	ata_write(ap, cmd->op == ATA_OP_SET_XFER ? ATA_SETFEAT_XFER : 0,
		  ATA_REG_FEATURE);
	ata_write(ap, (u8)count, ATA_REG_NSECT);
	ata_write(ap, (u8)lba, ATA_REG_LBAL);
	ata_write(ap, (u8)(lba >> 8), ATA_REG_LBAM);
	ata_write(ap, (u8)(lba >> 16), ATA_REG_LBAH);
	if (ap->drop_issue) { /* test hook: the command is "lost" */
		ap->drop_issue--;
		return;
	}
	ata_write(ap, cmd->tf_cmd, ATA_REG_CMD);
}

/* Bus-master steps 1-2 of the programming sequence (rev. 1.0, 3.1). */
static void ata_bmdma_setup(struct ata_port *ap, struct ata_cmd *cmd)
{
	u16 bm = ap->bmdma_base;

	outb(0, bm + ATA_DMA_CMD);
	ata_build_prd(ap->prd, ATA_PRD_MAX, cmd->sg, cmd->nsg);
	outl((u32)PFN_PHYS(page_to_pfn(ap->prd_page)), bm + ATA_DMA_TABLE);
	outb(cmd->op == ATA_OP_READ ? ATA_DMA_WR : 0, bm + ATA_DMA_CMD);
	outb(inb(bm + ATA_DMA_STATUS) | ATA_DMA_ERR | ATA_DMA_INTR,
	     bm + ATA_DMA_STATUS); /* write 1 to clear */
}

static void ata_bmdma_stop(struct ata_port *ap)
{
	u16 bm = ap->bmdma_base;

	if (bm)
		outb(inb(bm + ATA_DMA_CMD) & ~ATA_DMA_START, bm + ATA_DMA_CMD);
}

/*
 * Move @n bytes (even) between the data register and @p: 32 bits at a
 * time as far as they go (the PIIX and QEMU take 32-bit accesses to the
 * data port, Linux's ata_sff_data_xfer32), a last 16-bit word if left.
 */
static void ata_data_xfer(struct ata_port *ap, void *p, unsigned int n,
			  bool write)
{
	u16 port = ap->cmd_base + ATA_REG_DATA;

	if (write)
		outsl(port, p, n / 4);
	else
		insl(port, p, n / 4);
	if (n & 2) {
		p = (char *)p + (n & ~3U);
		if (write)
			outsw(port, p, 1);
		else
			insw(port, p, 1);
	}
}

/* Move one sector between the data register and the segments. */
static void ata_pio_one(struct ata_port *ap, struct ata_cmd *cmd)
{
	bool write = cmd->op == ATA_OP_WRITE;
	unsigned int left = ATA_SECT_SIZE;

	while (left) {
		struct ata_sg *s = &cmd->sg[cmd->sg_idx];
		unsigned int n = s->len - cmd->sg_off;
		char *p =
			(char *)page_address(s->page) + s->offset + cmd->sg_off;

		if (n > left)
			n = left;
		ata_data_xfer(ap, p, n, write);
		cmd->sg_off += n;
		left -= n;
		if (cmd->sg_off == s->len) {
			cmd->sg_idx++;
			cmd->sg_off = 0;
		}
	}
	cmd->sect_done++;
}

/* Move the block of sectors one DRQ asks for: cmd->block, fewer at the
 * end of the command. */
static void ata_pio_sector(struct ata_port *ap, struct ata_cmd *cmd)
{
	unsigned int nsect = cmd->op == ATA_OP_IDENTIFY ? 1 : cmd->nsect;
	unsigned int block = cmd->block;

	while (block-- && cmd->sect_done < nsect)
		ata_pio_one(ap, cmd);
}

/* Start @cmd (again): arm the timer, program the controller. */
static void ata_issue(struct ata_port *ap, struct ata_cmd *cmd)
{
	cmd->tries++;
	cmd->sect_done = 0;
	cmd->sg_idx = 0;
	cmd->sg_off = 0;
	ap->deadline = jiffies + msecs_to_jiffies(ap->timeout_ms);
	mod_timer(&ap->timer, ap->deadline);
	if (cmd->dma)
		ata_bmdma_setup(ap, cmd);
	ata_tf_issue(ap, cmd);
	if (cmd->dma) {
		outb(inb(ap->bmdma_base + ATA_DMA_CMD) | ATA_DMA_START,
		     ap->bmdma_base + ATA_DMA_CMD);
	} else if (cmd->op == ATA_OP_WRITE) {
		/* PIO out: the first sector goes when DRQ rises; each
		 * interrupt then asks for the next (ATA-7 section 11.7). */
		u8 status = ata_wait_idle(ap);

		if ((status & (ATA_BUSY | ATA_DRQ | ATA_ERR)) == ATA_DRQ)
			ata_pio_sector(ap, cmd);
		/* otherwise the interrupt (error) or the timer ends it */
	}
}

/* If the channel is idle, issue the first waiting command. */
static void ata_start_next(struct ata_port *ap)
{
	struct ata_cmd *cmd;

	if (ap->active || list_empty(&ap->queue))
		return;
	cmd = list_first_entry(&ap->queue, struct ata_cmd, node);
	list_del_init(&cmd->node);
	ap->active = cmd;
	cmd->tries = 0;
	ata_prep(ap, cmd);
	ata_issue(ap, cmd);
}

/*
 * The active command is over: record @result, start the next one.
 * Returns the command, whose @done the caller runs once it has dropped
 * the lock.
 */
static struct ata_cmd *ata_finish(struct ata_port *ap, int result)
{
	struct ata_cmd *cmd = ap->active;

	del_timer(&ap->timer);
	ap->active = NULL;
	cmd->result = result;
	if (!ap->dead)
		ata_start_next(ap);
	if (!ap->active)
		wake_up(&ap->idle_wq);
	return cmd;
}

/* ---- interrupt and timeout -------------------------------------------- */

/* A DMA command's interrupt (steps 6-7 of the sequence, rev. 1.0 3.1). */
static struct ata_cmd *ata_dma_intr(struct ata_port *ap, struct ata_cmd *cmd,
				    bool *handled)
{
	u16 bm = ap->bmdma_base;
	u8 bmstat = inb(bm + ATA_DMA_STATUS);
	u8 status;

	if (!(bmstat & ATA_DMA_INTR)) /* not ours (yet) */
		return NULL;
	*handled = true;
	ata_bmdma_stop(ap);
	status = ata_read(ap, ATA_REG_STATUS); /* acks the device */
	outb(bmstat | ATA_DMA_INTR | ATA_DMA_ERR, bm + ATA_DMA_STATUS);
	if ((status & (ATA_ERR | ATA_DF)) || (bmstat & ATA_DMA_ERR)) {
		ata_report_error(cmd, status, ata_read(ap, ATA_REG_ERR),
				 bmstat);
		return ata_finish(ap, -EIO);
	}
	return ata_finish(ap, 0);
}

/* A PIO or non-data command's interrupt: one sector per DRQ. */
static struct ata_cmd *ata_pio_intr(struct ata_port *ap, struct ata_cmd *cmd,
				    bool *handled)
{
	bool data = cmd->op == ATA_OP_READ || cmd->op == ATA_OP_WRITE ||
		    cmd->op == ATA_OP_IDENTIFY;
	unsigned int nsect = cmd->op == ATA_OP_IDENTIFY ? 1 : cmd->nsect;
	u8 status = ata_read(ap, ATA_REG_STATUS); /* acks the device */

	if (status & ATA_BUSY)
		return NULL;
	*handled = true;
	if (status & (ATA_ERR | ATA_DF)) {
		ata_report_error(cmd, status, ata_read(ap, ATA_REG_ERR), 0);
		return ata_finish(ap, -EIO);
	}
	if (!data || cmd->sect_done == nsect)
		return ata_finish(ap, 0); /* non-data, or the write is over */
	if (!(status & ATA_DRQ)) {
		pr_err(ADEV_FMT
		       ": %s: no DRQ after sector %u (status 0x%02x)\n",
		       ADEV_ARG(cmd->dev), ata_cmd_name(cmd->tf_cmd),
		       cmd->sect_done, status);
		return ata_finish(ap, -EIO);
	}
	ata_pio_sector(ap, cmd);
	if (cmd->op != ATA_OP_WRITE && cmd->sect_done == nsect)
		return ata_finish(ap, 0); /* reads end with the last DRQ */
	return NULL;
}

/**
 * ata_interrupt - the channel's interrupt handler (IRQ 14 or 15)
 *
 * Context: hard interrupt. Runs the finished command's @done after
 * dropping the lock.
 */
irqreturn_t ata_interrupt(int irq, void *dev_id)
{
	struct ata_port *ap = dev_id;
	struct ata_cmd *cmd, *done = NULL;
	bool handled = false;
	unsigned long flags;

	spin_lock_irqsave(&ap->lock, flags);
	cmd = ap->active;
	if (!cmd)
		ata_read(ap, ATA_REG_STATUS); /* ack a stray one */
	else if (cmd->dma)
		done = ata_dma_intr(ap, cmd, &handled);
	else
		done = ata_pio_intr(ap, cmd, &handled);
	spin_unlock_irqrestore(&ap->lock, flags);
	if (done)
		done->done(done);
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

/*
 * Software reset (ATA-7 section 11.2): SRST for at least 5 us, then wait
 * for BSY to drop. Interrupts stay off (nIEN) until the next command.
 */
static void ata_softreset(struct ata_port *ap)
{
	outb(ATA_NIEN | ATA_SRST, ap->ctl_base);
	udelay(10);
	outb(ATA_NIEN, ap->ctl_base);
	mdelay(2);
	ata_wait_idle(ap);
}

/* The active command's deadline passed: reset, then retry or fail. */
static void ata_timeout(struct timer_list *t)
{
	struct ata_port *ap = container_of(t, struct ata_port, timer);
	struct ata_cmd *cmd, *done = NULL;
	unsigned long flags;

	spin_lock_irqsave(&ap->lock, flags);
	cmd = ap->active;
	if (!cmd || time_before(jiffies, ap->deadline)) {
		spin_unlock_irqrestore(&ap->lock, flags);
		return; /* completed meanwhile, or re-armed */
	}
	pr_err(ADEV_FMT ": %s timed out (try %u), resetting channel\n",
	       ADEV_ARG(cmd->dev), ata_cmd_name(cmd->tf_cmd), cmd->tries);
	ata_bmdma_stop(ap);
	ata_softreset(ap);
	if (cmd->tries <= ATA_RETRIES && !(cmd->flags & ATA_CMDF_NORETRY)) {
		ata_issue(ap, cmd);
	} else {
		pr_err(ADEV_FMT ": %s failed after %u tries\n",
		       ADEV_ARG(cmd->dev), ata_cmd_name(cmd->tf_cmd),
		       cmd->tries);
		done = ata_finish(ap, -EIO);
	}
	spin_unlock_irqrestore(&ap->lock, flags);
	if (done)
		done->done(done);
}

/* ---- submitting ------------------------------------------------------- */

static int ata_check_cmd(const struct ata_cmd *cmd)
{
	unsigned int i, bytes = 0;

	if (cmd->op == ATA_OP_FLUSH || cmd->op == ATA_OP_SET_XFER ||
	    cmd->op == ATA_OP_SET_MULTI)
		return 0;
	if (cmd->op == ATA_OP_IDENTIFY)
		return cmd->nsg && cmd->sg[0].len >= ATA_SECT_SIZE ? 0 :
								     -EINVAL;
	if (!cmd->nsect || cmd->nsect > ATA_MAX_SECT_LBA48)
		return -EINVAL;
	if (ata_cmd_is_ext(cmd) && !cmd->dev->lba48)
		return -EINVAL;
	for (i = 0; i < cmd->nsg; i++) {
		if ((cmd->sg[i].len | cmd->sg[i].offset) & 1)
			return -EINVAL;
		bytes += cmd->sg[i].len;
	}
	return bytes == cmd->nsect * ATA_SECT_SIZE ? 0 : -EINVAL;
}

/**
 * ata_submit - queue @cmd on its device's channel
 *
 * Returns 0 (then @cmd->done runs once, in interrupt or timer context,
 * with @cmd->result set), -EINVAL for a malformed command, or -ENODEV
 * when the channel is going away. Context: any; does not sleep.
 */
int ata_submit(struct ata_cmd *cmd)
{
	struct ata_port *ap = cmd->dev->ap;
	unsigned long flags;
	int err = ata_check_cmd(cmd);

	if (err)
		return err;
	if (cmd->nsg && ata_build_prd(NULL, ATA_PRD_MAX, cmd->sg, cmd->nsg) < 0)
		return -EINVAL; /* more PRD entries than the table holds */
	spin_lock_irqsave(&ap->lock, flags);
	if (ap->dead) {
		spin_unlock_irqrestore(&ap->lock, flags);
		return -ENODEV;
	}
	list_add_tail(&cmd->node, &ap->queue);
	ata_start_next(ap);
	spin_unlock_irqrestore(&ap->lock, flags);
	return 0;
}

static void ata_exec_done(struct ata_cmd *cmd)
{
	complete(cmd->private);
}

/**
 * ata_exec - run @cmd and wait for it
 *
 * Returns 0 or -errno. The timer bounds the wait (ATA_RETRIES + 1
 * timeouts at most). Context: process; sleeps.
 */
int ata_exec(struct ata_cmd *cmd)
{
	struct completion done;
	int err;

	init_completion(&done);
	cmd->done = ata_exec_done;
	cmd->private = &done;
	err = ata_submit(cmd);
	if (err)
		return err;
	wait_for_completion(&done);
	return cmd->result;
}

/* ---- the device model ------------------------------------------------- */

static struct ata_device *to_ata_dev(struct device *dev)
{
	return container_of(dev, struct ata_device, dev);
}

#define ATA_STR_ATTR(field)                                                   \
	static ssize_t field##_show(struct device *dev,                       \
				    struct device_attribute *attr, char *buf) \
	{                                                                     \
		return sysfs_emit(buf, "%s\n", to_ata_dev(dev)->field);       \
	}                                                                     \
	static DEVICE_ATTR_RO(field)

ATA_STR_ATTR(model);
ATA_STR_ATTR(serial);
ATA_STR_ATTR(firmware);

static ssize_t capacity_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  (unsigned long long)to_ata_dev(dev)->n_sectors);
}
static DEVICE_ATTR_RO(capacity);

static ssize_t lba48_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", to_ata_dev(dev)->lba48);
}
static DEVICE_ATTR_RO(lba48);

/* "udma0 ... mwdma2": every mode bit set in @mask, named @kind%u. */
static int ata_emit_modes(char *buf, int n, const char *kind, u8 mask)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (mask & (1U << i))
			n += sysfs_emit_at(buf, n, "%s%s%u", n ? " " : "", kind,
					   i);
	return n;
}

static ssize_t dma_modes_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct ata_device *adev = to_ata_dev(dev);
	int n = ata_emit_modes(buf, 0, "udma", adev->udma_mask);

	n = ata_emit_modes(buf, n, "mwdma", adev->mwdma_mask);
	return n + sysfs_emit_at(buf, n, "\n");
}
static DEVICE_ATTR_RO(dma_modes);

/* The mode the device says is selected, or "pio" when it is in PIO. */
static ssize_t selected_dma_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct ata_device *adev = to_ata_dev(dev);
	int n = ata_emit_modes(buf, 0, "udma", adev->udma_sel);

	n = ata_emit_modes(buf, n, "mwdma", adev->mwdma_sel);
	if (!n || adev->pio)
		return sysfs_emit(buf, "pio\n");
	return n + sysfs_emit_at(buf, n, "\n");
}
static DEVICE_ATTR_RO(selected_dma);

static struct attribute *ata_dev_attrs[] = {
	&dev_attr_model.attr,	     &dev_attr_serial.attr,
	&dev_attr_firmware.attr,     &dev_attr_capacity.attr,
	&dev_attr_lba48.attr,	     &dev_attr_dma_modes.attr,
	&dev_attr_selected_dma.attr, NULL,
};
ATTRIBUTE_GROUPS(ata_dev);

/* A disk pins its channel: a holder of it may still submit (-ENODEV). */
static void ata_dev_release(struct device *dev)
{
	struct ata_device *adev = to_ata_dev(dev);

	put_device(&adev->ap->dev);
	kfree(adev);
}

static void ata_port_release(struct device *dev)
{
	kfree(container_of(dev, struct ata_port, dev));
}

/* ---- detection -------------------------------------------------------- */

/*
 * What answered at @devno after the reset, by the signature it left in
 * LBA mid/high (ATA-7 section 9.12): 00/00 a disk, 14/EB a packet device.
 * An absent device reads as status 0 (QEMU) or 0xff (a floating bus).
 */
static enum ata_class ata_classify(struct ata_port *ap, unsigned int devno)
{
	u8 status, lbam, lbah;

	ata_write(ap, ATA_DEVICE_OBS | (devno ? ATA_DEV1 : 0), ATA_REG_DEVICE);
	udelay(1); /* 400 ns for the selection to settle */
	status = ata_wait_idle(ap);
	lbam = ata_read(ap, ATA_REG_LBAM);
	lbah = ata_read(ap, ATA_REG_LBAH);
	if (lbam == 0x14 && lbah == 0xeb)
		return ATA_DEV_ATAPI;
	if (lbam == 0 && lbah == 0 && status != 0 && status != 0xff &&
	    !(status & ATA_BUSY))
		return ATA_DEV_ATA;
	return ATA_DEV_NONE;
}

/* An IDENTIFY string: byte-swapped words, space padded (ATA-7 7.16). */
static void ata_id_string(const u16 *id, char *s, unsigned int word,
			  unsigned int nwords)
{
	unsigned int i, len = nwords * 2;
	char *p = s;

	for (i = 0; i < nwords; i++) {
		s[2 * i] = id[word + i] >> 8;
		s[2 * i + 1] = id[word + i] & 0xff;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\0'))
		len--;
	s[len] = '\0';
	while (*p == ' ')
		p++;
	memmove(s, p, strlen(p) + 1);
}

static void ata_parse_identify(struct ata_device *adev)
{
	const u16 *id = adev->id;

	ata_id_string(id, adev->model, ATA_ID_PROD, 20);
	ata_id_string(id, adev->serial, ATA_ID_SERNO, 10);
	ata_id_string(id, adev->firmware, ATA_ID_FW_REV, 4);
	adev->lba48 = (id[ATA_ID_COMMAND_SET_2] & 0xc400) == 0x4400;
	if (adev->lba48) {
		adev->n_sectors = (u64)id[100] | (u64)id[101] << 16 |
				  (u64)id[102] << 32 | (u64)id[103] << 48;
	} else {
		adev->n_sectors = (u32)id[60] | (u32)id[61] << 16;
	}
	adev->mwdma_mask = id[ATA_ID_MWDMA_MODES] & 0x7;
	adev->mwdma_sel = (id[ATA_ID_MWDMA_MODES] >> 8) & 0x7;
	adev->udma_mask = id[ATA_ID_UDMA_MODES] & 0x7f;
	adev->udma_sel = (id[ATA_ID_UDMA_MODES] >> 8) & 0x7f;
}

static int ata_do_identify(struct ata_device *adev)
{
	struct ata_sg sg = {
		.page = virt_to_page(adev->id),
		.offset = (unsigned long)adev->id & (PAGE_SIZE - 1),
		.len = sizeof(adev->id),
	};
	struct ata_cmd cmd = {
		.dev = adev,
		.op = ATA_OP_IDENTIFY,
		.sg = &sg,
		.nsg = 1,
	};
	int err = ata_exec(&cmd);

	if (!err)
		ata_parse_identify(adev);
	return err;
}

static int ata_fls(unsigned int x)
{
	int n = -1;

	while (x) {
		x >>= 1;
		n++;
	}
	return n;
}

/* "ata1.00: ATA-7: QEMU HARDDISK, 2.5+, max UDMA/100", as Linux says. */
static void ata_report_device(struct ata_device *adev)
{
	static const char *const udma[] = { "16", "25",	 "33", "44",
					    "66", "100", "133" };
	int major = ata_fls(adev->id[ATA_ID_MAJOR_VER] & 0x7ffe);
	char max[16];

	if (adev->udma_mask)
		snprintf(max, sizeof(max), "UDMA/%s",
			 udma[ata_fls(adev->udma_mask)]);
	else if (adev->mwdma_mask)
		snprintf(max, sizeof(max), "MWDMA%d",
			 ata_fls(adev->mwdma_mask));
	else
		snprintf(max, sizeof(max), "PIO");
	pr_info(ADEV_FMT ": %s-%d: %s, %s, max %s\n", ADEV_ARG(adev),
		adev->class == ATA_DEV_ATAPI ? "ATAPI" : "ATA",
		major > 0 ? major : 0, adev->model, adev->firmware, max);
	if (adev->class == ATA_DEV_ATA)
		pr_info(ADEV_FMT ": %llu sectors, multi %u: %s\n",
			ADEV_ARG(adev), (unsigned long long)adev->n_sectors,
			adev->id[ATA_ID_MAX_MULTSECT] & 0xff,
			adev->lba48 ? "LBA48" : "LBA");
}

/*
 * PIO moves a block of sectors per interrupt with READ/WRITE MULTIPLE,
 * once SET MULTIPLE MODE has set the block size: the largest the device
 * takes (IDENTIFY word 47), 16 on QEMU's disk. Without it, one.
 */
static void ata_set_multi(struct ata_device *adev)
{
	struct ata_cmd cmd = { .dev = adev, .op = ATA_OP_SET_MULTI };
	unsigned int max = adev->id[ATA_ID_MAX_MULTSECT] & 0xff;

	adev->multi = 1;
	if (max < 2)
		return;
	cmd.nsect = max;
	if (ata_exec(&cmd)) {
		pr_warn(ADEV_FMT ": SET MULTIPLE MODE %u refused\n",
			ADEV_ARG(adev), max);
		return;
	}
	adev->multi = max;
}

/*
 * Pick the transfer mode. The PIIX3 does multiword DMA only (UDMA came
 * with the PIIX4), so: the best MWDMA mode the disk has, set with SET
 * FEATURES and read back with IDENTIFY; PIO when forced or none.
 */
static void ata_set_mode(struct ata_device *adev)
{
	struct ata_cmd cmd = { .dev = adev, .op = ATA_OP_SET_XFER };
	int mode = ata_fls(adev->mwdma_mask);

	if (!adev->ap->bmdma_base || mode < 0)
		adev->pio = true;
	if (!adev->pio) {
		cmd.nsect = ATA_XFER_MWDMA | mode;
		if (ata_exec(&cmd) || ata_do_identify(adev)) {
			pr_warn(ADEV_FMT ": cannot set MWDMA%d, using PIO\n",
				ADEV_ARG(adev), mode);
			adev->pio = true;
		}
	}
	ata_set_multi(adev);
	if (adev->pio)
		pr_info(ADEV_FMT ": configured for PIO\n", ADEV_ARG(adev));
	else
		pr_info(ADEV_FMT ": configured for MWDMA%d\n", ADEV_ARG(adev),
			ata_fls(adev->mwdma_sel));
}

/* Detect, identify and register what sits at @devno of @ap. */
static void ata_dev_probe(struct ata_port *ap, unsigned int devno,
			  enum ata_class class)
{
	struct ata_device *adev;

	if (class == ATA_DEV_NONE)
		return;
	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev)
		return;
	adev->ap = ap;
	adev->devno = devno;
	adev->class = class;
	adev->pio = ata_pio_mask & (1U << (ap->id * 2 + devno));
	if (ata_do_identify(adev)) {
		pr_err(ADEV_FMT ": IDENTIFY failed, device ignored\n",
		       ADEV_ARG(adev));
		kfree(adev);
		return;
	}
	ata_report_device(adev);
	if (class == ATA_DEV_ATAPI) { /* reported, not driven */
		kfree(adev);
		return;
	}
	ata_set_mode(adev);
	device_initialize(&adev->dev);
	get_device(&ap->dev); /* put by ata_dev_release() */
	adev->dev.parent = &ap->dev;
	adev->dev.release = ata_dev_release;
	adev->dev.groups = ata_dev_groups;
	dev_set_name(&adev->dev, ADEV_FMT, ADEV_ARG(adev));
	if (device_add(&adev->dev)) {
		put_device(&adev->dev);
		return;
	}
	ap->device[devno] = adev;
}

/**
 * ata_port_init - set up @ap (ids and ports filled by the host driver)
 * @parent: the controller's device; the channel appears under it as ataN
 *
 * On failure @ap is freed. Afterwards the host requests the interrupt,
 * then calls ata_port_probe(). Context: process; sleeps.
 */
int ata_port_init(struct ata_port *ap, struct device *parent)
{
	int err;

	spin_lock_init(&ap->lock);
	INIT_LIST_HEAD(&ap->queue);
	init_waitqueue_head(&ap->idle_wq);
	timer_setup(&ap->timer, ata_timeout, 0);
	ap->timeout_ms = ATA_TIMEOUT_MS;
	device_initialize(&ap->dev);
	ap->dev.parent = parent;
	ap->dev.release = ata_port_release;
	dev_set_name(&ap->dev, "ata%u", ap->id + 1);
	if (ap->bmdma_base) {
		ap->prd_page = alloc_pages(GFP_KERNEL, 0);
		if (!ap->prd_page) {
			put_device(&ap->dev);
			return -ENOMEM;
		}
		ap->prd = page_address(ap->prd_page);
	}
	err = device_add(&ap->dev);
	if (err) {
		if (ap->prd_page)
			__free_pages(ap->prd_page, 0);
		put_device(&ap->dev);
	}
	return err;
}

/**
 * ata_port_probe - reset the channel, find and register its devices
 *
 * Context: process; sleeps (IDENTIFY goes through the engine).
 */
void ata_port_probe(struct ata_port *ap)
{
	enum ata_class class[2];
	unsigned int devno;

	/* Both signatures first: a write to the task file reaches both
	 * devices of the channel, so the master's first command would
	 * overwrite what the reset left in the slave's LBA registers. */
	ata_softreset(ap);
	for (devno = 0; devno < 2; devno++)
		class[devno] = ata_classify(ap, devno);
	for (devno = 0; devno < 2; devno++)
		ata_dev_probe(ap, devno, class[devno]);
	mutex_lock(&ata_ports_mutex);
	ata_ports[ap->id] = ap;
	mutex_unlock(&ata_ports_mutex);
	/* then the disks, whose partition tables are read through the
	 * channel */
	for (devno = 0; devno < 2; devno++)
		if (ap->device[devno])
			ata_disk_add(ap->device[devno]);
}

/**
 * ata_port_remove - unregister the devices, refuse new commands, fail the
 * queued ones (-ENODEV) and wait for the active one to end
 *
 * Afterwards the host frees the interrupt and calls ata_port_free().
 * Context: process; sleeps.
 */
void ata_port_remove(struct ata_port *ap)
{
	struct ata_cmd *cmd, *next;
	unsigned long flags;
	unsigned int devno;
	LIST_HEAD(failed);

	mutex_lock(&ata_ports_mutex);
	if (ata_ports[ap->id] == ap)
		ata_ports[ap->id] = NULL;
	mutex_unlock(&ata_ports_mutex);
	for (devno = 0; devno < 2; devno++)
		if (ap->device[devno])
			ata_disk_remove(ap->device[devno]);
	spin_lock_irqsave(&ap->lock, flags);
	ap->dead = true;
	while (!list_empty(&ap->queue))
		list_move_tail(ap->queue.next, &failed);
	spin_unlock_irqrestore(&ap->lock, flags);
	list_for_each_entry_safe(cmd, next, &failed, node) {
		list_del_init(&cmd->node);
		cmd->result = -ENODEV;
		cmd->done(cmd);
	}
	wait_event(ap->idle_wq, !READ_ONCE(ap->active));
	del_timer(&ap->timer);
	for (devno = 0; devno < 2; devno++)
		if (ap->device[devno]) {
			ata_disk_put(ap->device[devno]);
			device_unregister(&ap->device[devno]->dev);
			ap->device[devno] = NULL;
		}
}

/* The last of @ap: its PRD table, its device (which frees it). */
void ata_port_free(struct ata_port *ap)
{
	if (ap->prd_page)
		__free_pages(ap->prd_page, 0);
	device_unregister(&ap->dev);
}

/**
 * ata_get_device - the disk at @devno (0, 1) of channel @port (0, 1)
 *
 * Returns it with a reference (drop it with ata_put_device()), or NULL.
 * Its commands fail with -ENODEV once the driver is unbound.
 * Context: process; sleeps.
 */
struct ata_device *ata_get_device(unsigned int port, unsigned int devno)
{
	struct ata_device *adev = NULL;

	if (port > 1 || devno > 1)
		return NULL;
	mutex_lock(&ata_ports_mutex);
	if (ata_ports[port] && ata_ports[port]->device[devno]) {
		adev = ata_ports[port]->device[devno];
		get_device(&adev->dev);
	}
	mutex_unlock(&ata_ports_mutex);
	return adev;
}

void ata_put_device(struct ata_device *adev)
{
	put_device(&adev->dev);
}
