/*
 * The few ACPI tables Kestrel reads to power the machine off (ACPI
 * Specification 6.4: 5.2.5 RSDP, 5.2.7 RSDT, 5.2.9 FADT, 7.4.2 \_S5).
 */
#ifndef _ASM_X86_ACPI_H
#define _ASM_X86_ACPI_H

#include <kestrel/types.h>

#define ACPI_RSDP_SIG "RSD PTR "
#define ACPI_FADT_SIG "FACP"
#define ACPI_DSDT_SIG "DSDT"
#define ACPI_BIOS_ROM_START 0xe0000
#define ACPI_BIOS_ROM_END 0x100000
#define ACPI_EBDA_PTR 0x40e /* BIOS data area: EBDA segment */
#define ACPI_EBDA_SCAN 1024
#define ACPI_SLP_EN (1U << 13) /* PM1 control: sleep enable */
#define ACPI_SLP_TYP_SHIFT 10
#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_BYTE_PREFIX 0x0a
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01

struct acpi_rsdp {
	char signature[8];
	u8 checksum;
	char oem_id[6];
	u8 revision;
	u32 rsdt_address;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 20, "ACPI 1.0 RSDP");

struct acpi_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI table header");

/* The FADT fields up to the PM1 control blocks (ACPI 1.0 layout). */
struct acpi_fadt {
	struct acpi_header header;
	u32 firmware_ctrl;
	u32 dsdt;
	u8 reserved;
	u8 preferred_pm_profile;
	u16 sci_int;
	u32 smi_cmd;
	u8 acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	u32 pm1a_evt_blk, pm1b_evt_blk;
	u32 pm1a_cnt_blk, pm1b_cnt_blk;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_fadt) == 72, "FADT up to PM1b_CNT_BLK");

/* Find the FADT and the S5 sleep type. Boot, after paging_init(). */
void acpi_init(void);
/* Were the tables found (a ktest checks it on QEMU's pc machine)? */
bool acpi_power_off_available(void);
/* Enter S5 (soft off). Returns only if that is impossible. */
void acpi_power_off(void);

#endif /* _ASM_X86_ACPI_H */
