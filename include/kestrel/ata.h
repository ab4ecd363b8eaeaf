/*
 * ATA (parallel IDE) definitions and the interface of the ATA core
 * (drivers/ata/libata-core.c), docs/ata.md.
 *
 * Registers: each channel has a command block of eight ports (data,
 * error/features, sector count, LBA low/mid/high, device, status/command)
 * and a control block of one (alternate status / device control). A
 * bus-master IDE controller adds eight ports per channel: command,
 * status and the address of the PRD table (Intel, "Programming
 * Interface for Bus Master IDE Controller", rev. 1.0).
 *
 * The core's unit of work is a struct ata_cmd: read or write @nsect
 * sectors at @lba into a scatter-gather list of (page, offset, len)
 * segments (the shape of a bio's bio_vecs), or flush the write cache;
 * at most 256 sectors, or 65536 on an LBA48 device.
 * ata_submit() queues it on its channel; @done is called once, from
 * interrupt (or timer) context, with @result 0 or -EIO. One command runs
 * per channel; the rest wait in submission order.
 */
#ifndef _KESTREL_ATA_H
#define _KESTREL_ATA_H

#include <kestrel/device.h>
#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/timer.h>
#include <kestrel/types.h>
#include <kestrel/wait.h>
#include <kestrel/interrupt.h>

/* Command block register offsets. */
#define ATA_REG_DATA 0
#define ATA_REG_ERR 1 /* read */
#define ATA_REG_FEATURE 1 /* write */
#define ATA_REG_NSECT 2
#define ATA_REG_LBAL 3
#define ATA_REG_LBAM 4
#define ATA_REG_LBAH 5
#define ATA_REG_DEVICE 6
#define ATA_REG_STATUS 7 /* read */
#define ATA_REG_CMD 7 /* write */

/* Status register bits. */
#define ATA_BUSY 0x80
#define ATA_DRDY 0x40
#define ATA_DF 0x20
#define ATA_DRQ 0x08
#define ATA_ERR 0x01

/* Error register bits (ATA-7 section 6.2). */
#define ATA_ICRC 0x80 /* interface CRC error */
#define ATA_UNC 0x40 /* uncorrectable data */
#define ATA_IDNF 0x10 /* address not found */
#define ATA_ABRT 0x04 /* command aborted */
#define ATA_TK0NF 0x02 /* track 0 not found (old) */
#define ATA_AMNF 0x01 /* address mark not found (old) */

/* Device register: LBA addressing, device 1 (slave). */
#define ATA_LBA 0x40
#define ATA_DEV1 0x10
#define ATA_DEVICE_OBS 0xa0 /* bits 7 and 5, set on old devices */

/* Device control register. */
#define ATA_NIEN 0x02 /* no interrupts */
#define ATA_SRST 0x04 /* software reset */
#define ATA_HOB 0x80 /* read the high-order bytes (LBA48) */

/* Commands. */
#define ATA_CMD_READ_PIO 0x20
#define ATA_CMD_READ_PIO_EXT 0x24
#define ATA_CMD_READ_DMA 0xc8
#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_WRITE_PIO 0x30
#define ATA_CMD_WRITE_PIO_EXT 0x34
#define ATA_CMD_READ_MULTI 0xc4 /* PIO, a block of sectors per DRQ */
#define ATA_CMD_READ_MULTI_EXT 0x29
#define ATA_CMD_WRITE_MULTI 0xc5
#define ATA_CMD_WRITE_MULTI_EXT 0x39
#define ATA_CMD_SET_MULTI 0xc6 /* the block size: sector count */
#define ATA_CMD_WRITE_DMA 0xca
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_FLUSH 0xe7
#define ATA_CMD_FLUSH_EXT 0xea
#define ATA_CMD_ID_ATA 0xec
#define ATA_CMD_ID_ATAPI 0xa1
#define ATA_CMD_SET_FEATURES 0xef
#define ATA_SETFEAT_XFER 0x03
#define ATA_XFER_MWDMA 0x20 /* | mode number */

/* IDENTIFY DEVICE words (ATA-7 section 7.16). */
#define ATA_ID_FW_REV 23 /* 4 words */
#define ATA_ID_PROD 27 /* 20 words */
#define ATA_ID_SERNO 10 /* 10 words */
#define ATA_ID_MAX_MULTSECT 47
#define ATA_ID_LBA_CAPACITY 60 /* 2 words */
#define ATA_ID_MWDMA_MODES 63
#define ATA_ID_MAJOR_VER 80
#define ATA_ID_COMMAND_SET_2 83 /* bit 10: LBA48 */
#define ATA_ID_UDMA_MODES 88
#define ATA_ID_LBA_CAPACITY_2 100 /* 4 words */
#define ATA_ID_WORDS 256

#define ATA_SECT_SIZE 512
#define ATA_MAX_SECT_LBA28 256 /* a sector count of 0 means 256 */
#define ATA_MAX_SECT_LBA48 65536 /* ... and 0 means 65536 here */
#define ATA_LBA28_LIMIT (1ULL << 28)

/* Bus-master IDE registers, per channel (secondary at +8). */
#define ATA_DMA_CMD 0
#define ATA_DMA_STATUS 2
#define ATA_DMA_TABLE 4
#define ATA_DMA_START 0x01 /* command: start/stop bus master */
#define ATA_DMA_WR 0x08 /* command: 1 = write to memory (a read) */
#define ATA_DMA_ACTIVE 0x01 /* status */
#define ATA_DMA_ERR 0x02 /* status, write 1 to clear */
#define ATA_DMA_INTR 0x04 /* status, write 1 to clear */

/* A PRD entry (Physical Region Descriptor): 8 bytes. */
struct ata_prd {
	u32 addr; /* physical, even */
	u32 flags_len; /* byte count in 15:0 (0 = 64 KiB), bit 31 EOT */
};
#define ATA_PRD_EOT 0x80000000U
#define ATA_PRD_MAX 512 /* entries in one table: its page */

enum ata_class { ATA_DEV_NONE, ATA_DEV_ATA, ATA_DEV_ATAPI };

enum ata_op {
	ATA_OP_READ,
	ATA_OP_WRITE,
	ATA_OP_FLUSH,
	ATA_OP_IDENTIFY, /* one sector of PIO into @sg */
	ATA_OP_SET_XFER, /* SET FEATURES 03h: transfer mode @nsect */
	ATA_OP_SET_MULTI, /* SET MULTIPLE MODE: @nsect sectors per block */
};

/* ata_cmd.flags */
#define ATA_CMDF_PIO 0x1 /* use PIO even when the device does DMA */
#define ATA_CMDF_LBA48 0x2 /* use the EXT command even for a small LBA */
#define ATA_CMDF_NORETRY 0x4 /* a timeout fails at once */

/* One data segment: the shape of a struct bio_vec. */
struct ata_sg {
	struct page *page;
	unsigned int offset;
	unsigned int len; /* even */
};

struct ata_device;
struct ata_disk;

struct ata_cmd {
	/* Filled by the submitter. */
	struct ata_device *dev;
	enum ata_op op;
	u64 lba;
	unsigned int nsect;
	struct ata_sg *sg;
	unsigned int nsg;
	unsigned int flags;
	void (*done)(struct ata_cmd *cmd); /* interrupt or timer context */
	void *private;
	int result; /* 0 or -errno, when done runs */

	/* The core's (under the channel lock). */
	struct list_head node; /* on the channel's queue */
	u8 tf_cmd; /* the ATA command byte issued */
	bool dma;
	unsigned int tries; /* issues so far */
	unsigned int sect_done; /* PIO: sectors moved */
	unsigned int block; /* PIO: sectors per DRQ (MULTIPLE: more than 1) */
	unsigned int sg_idx, sg_off; /* PIO: where the next byte goes */
};

/* One master or slave. Lives until its last sysfs reference goes. */
struct ata_device {
	struct ata_port *ap;
	unsigned int devno; /* 0 master, 1 slave */
	enum ata_class class;
	u16 id[ATA_ID_WORDS]; /* IDENTIFY data, CPU order */
	char model[41], serial[21], firmware[9];
	u64 n_sectors;
	bool lba48;
	bool pio; /* ata.pio forces PIO */
	unsigned int multi; /* PIO sectors per interrupt (READ MULTIPLE) */
	u8 udma_mask, mwdma_mask; /* supported modes (words 88, 63) */
	u8 udma_sel, mwdma_sel; /* selected modes (high bytes) */
	struct device dev; /* ideN/N.D */
	bool registered;
	struct ata_disk *disk; /* its block device (ata_disk.c), or NULL */
};

/* One channel. */
struct ata_port {
	unsigned int id; /* 0 primary, 1 secondary */
	u16 cmd_base, ctl_base, bmdma_base; /* bmdma 0: no DMA */
	unsigned int irq;
	spinlock_t lock; /* the fields below, the registers */
	struct list_head queue; /* commands waiting */
	struct ata_cmd *active;
	struct timer_list timer; /* fires at @deadline */
	unsigned long deadline; /* jiffies: the active command's */
	bool dead; /* being removed: refuse new commands */
	struct wait_queue_head idle_wq; /* woken when @active goes NULL */
	unsigned int timeout_ms;
	unsigned int drop_issue; /* test hook: issues to "lose" */
	struct ata_prd *prd; /* one page, 4-byte aligned */
	struct page *prd_page;
	struct ata_device *device[2]; /* NULL when nothing answered */
	struct device dev; /* ideN */
};

/* The core, for the host driver (ata_piix.c). */
int ata_port_init(struct ata_port *ap, struct device *parent);
void ata_port_probe(struct ata_port *ap);
void ata_port_remove(struct ata_port *ap);
void ata_port_free(struct ata_port *ap);
irqreturn_t ata_interrupt(int irq, void *dev_id);

/* For users of the disks (the block layer, ktest). */
int ata_submit(struct ata_cmd *cmd);
int ata_exec(struct ata_cmd *cmd); /* submit and sleep until done */
struct ata_device *ata_get_device(unsigned int port, unsigned int devno);
void ata_put_device(struct ata_device *adev);
int ata_build_prd(struct ata_prd *prd, unsigned int max,
		  const struct ata_sg *sg, unsigned int nsg);

#endif /* _KESTREL_ATA_H */
