/*
 * The PCI glue for QEMU's PIIX3 IDE function (8086:7010, 0000:00:01.1),
 * Linux's ata_piix in miniature (docs/ata.md).
 *
 * The PIIX3 IDE function runs in "compatibility mode": its two channels
 * sit at the legacy ISA ports (primary 0x1F0-0x1F7 and 0x3F6, IRQ 14;
 * secondary 0x170-0x177 and 0x376, IRQ 15), not at BARs 0-3. Only BAR4 is
 * a real BAR: the 16 ports of the bus-master IDE registers, eight per
 * channel. probe claims all of it (regions, the two interrupt lines),
 * turns on bus mastering and hands each channel to the ATA core
 * (libata-core.c), which finds and registers the disks. remove undoes it
 * in reverse; binding and unbinding by hand goes through
 * /sys/bus/pci/drivers/ata_piix/{bind,unbind}.
 *
 * Locking: the driver core serialises probe and remove (device lock).
 */
#include <kestrel/ata.h>
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/interrupt.h>
#include <kestrel/ioport.h>
#include <kestrel/pci.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>

#define PIIX_BMDMA_BAR 4
#define PIIX_CMD_LEN 8
#define PIIX_CTL_LEN 1

static const struct {
	u16 cmd, ctl;
	unsigned int irq;
} piix_legacy[2] = {
	{ 0x1f0, 0x3f6, 14 },
	{ 0x170, 0x376, 15 },
};

struct piix_host {
	struct ata_port *port[2];
	bool irq_requested[2];
	bool cmd_claimed[2], ctl_claimed[2];
	bool bm_claimed;
};

static void piix_release(struct pci_dev *pdev, struct piix_host *host)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (host->port[i])
			ata_port_remove(host->port[i]);
		if (host->irq_requested[i])
			free_irq(piix_legacy[i].irq, host->port[i]);
		if (host->port[i])
			ata_port_free(host->port[i]);
		if (host->ctl_claimed[i])
			release_region(piix_legacy[i].ctl, PIIX_CTL_LEN);
		if (host->cmd_claimed[i])
			release_region(piix_legacy[i].cmd, PIIX_CMD_LEN);
	}
	if (host->bm_claimed)
		release_region(pci_resource_start(pdev, PIIX_BMDMA_BAR),
			       pci_resource_len(pdev, PIIX_BMDMA_BAR));
	kfree(host);
}

/* Claim channel @i's ports and interrupt and set its port up. */
static int piix_init_channel(struct pci_dev *pdev, struct piix_host *host,
			     unsigned int i, u16 bmdma)
{
	struct ata_port *ap;
	int err;

	if (!request_region(piix_legacy[i].cmd, PIIX_CMD_LEN, "ata_piix"))
		return -EBUSY;
	host->cmd_claimed[i] = true;
	if (!request_region(piix_legacy[i].ctl, PIIX_CTL_LEN, "ata_piix"))
		return -EBUSY;
	host->ctl_claimed[i] = true;
	ap = kzalloc(sizeof(*ap), GFP_KERNEL);
	if (!ap)
		return -ENOMEM;
	ap->id = i;
	ap->cmd_base = piix_legacy[i].cmd;
	ap->ctl_base = piix_legacy[i].ctl;
	ap->bmdma_base = bmdma ? bmdma + 8 * i : 0;
	ap->irq = piix_legacy[i].irq;
	err = ata_port_init(ap, &pdev->dev); /* frees @ap on failure */
	if (err)
		return err;
	host->port[i] = ap;
	err = request_irq(ap->irq, ata_interrupt, 0, "ata_piix", ap);
	if (err)
		return err;
	host->irq_requested[i] = true;
	return 0;
}

static int piix_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	resource_size_t bm = pci_resource_start(pdev, PIIX_BMDMA_BAR);
	resource_size_t bmlen = pci_resource_len(pdev, PIIX_BMDMA_BAR);
	struct piix_host *host;
	unsigned int i;
	int err;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	err = pci_enable_device(pdev);
	if (err) {
		kfree(host);
		return err;
	}
	if (bmlen >= 16 &&
	    (pci_resource_flags(pdev, PIIX_BMDMA_BAR) & IORESOURCE_IO) &&
	    request_region(bm, bmlen, "ata_piix")) {
		host->bm_claimed = true;
		pci_set_master(pdev);
	} else {
		dev_warn(&pdev->dev, "no bus-master registers: PIO only\n");
	}
	for (i = 0; i < 2; i++) {
		err = piix_init_channel(pdev, host, i,
					host->bm_claimed ? (u16)bm : 0);
		if (err) {
			dev_err(&pdev->dev, "channel %u: error %d\n", i, err);
			piix_release(pdev, host);
			pci_disable_device(pdev);
			return err;
		}
	}
	for (i = 0; i < 2; i++)
		ata_port_probe(host->port[i]);
	pci_set_drvdata(pdev, host);
	return 0;
}

static void piix_remove(struct pci_dev *pdev)
{
	struct piix_host *host = pci_get_drvdata(pdev);

	pci_set_drvdata(pdev, NULL);
	piix_release(pdev, host);
	pci_disable_device(pdev);
}

static const struct pci_device_id piix_ids[] = {
	{ PCI_DEVICE(0x8086, 0x7010) }, /* 82371SB PIIX3 IDE */
	{},
};

static struct pci_driver piix_driver = {
	.name = "ata_piix",
	.id_table = piix_ids,
	.probe = piix_probe,
	.remove = piix_remove,
};

static int piix_init(void)
{
	return pci_register_driver(&piix_driver);
}
device_initcall(piix_init);
