/*
 * Between the ATA core (libata-core.c) and its block-layer side
 * (ata_disk.c): the core calls these as disks come and go.
 */
#ifndef _DRIVERS_ATA_ATA_DISK_H
#define _DRIVERS_ATA_ATA_DISK_H

#include <kestrel/ata.h>

void ata_disk_add(struct ata_device *adev);
void ata_disk_remove(struct ata_device *adev);
void ata_disk_put(struct ata_device *adev);

#endif /* _DRIVERS_ATA_ATA_DISK_H */
