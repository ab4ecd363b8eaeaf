/*
 * Just enough ACPI to turn the machine off, as QEMU's PIIX4 expects: find
 * the RSDP in the BIOS areas, follow the RSDT to the FADT for the PM1
 * control ports, and read the \_S5 package in the DSDT's AML for the
 * sleep type; writing SLP_TYP | SLP_EN to PM1a (and PM1b) enters S5.
 *
 * The tables are firmware input: every checksum and length is checked,
 * every address must lie in mapped low memory, and anything odd simply
 * leaves power-off unavailable (reboot() then halts instead).
 */
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>

static struct {
	bool ready;
	u16 pm1a_cnt, pm1b_cnt;
	u8 slp_typa, slp_typb;
} acpi;

/* Is [@phys, @phys + @len) in the direct map? */
static bool acpi_mapped(phys_addr_t phys, u32 len)
{
	phys_addr_t end = direct_map_end;

	return phys < end && len <= end - phys && phys >= PAGE_SIZE;
}

static bool checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static const struct acpi_rsdp *scan_rsdp(phys_addr_t start, phys_addr_t end)
{
	phys_addr_t p;

	for (p = start; p + sizeof(struct acpi_rsdp) <= end; p += 16) {
		const struct acpi_rsdp *r = __va(p);

		if (!memcmp(r->signature, ACPI_RSDP_SIG, 8) &&
		    checksum_ok(r, sizeof(*r)))
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *find_rsdp(void)
{
	phys_addr_t ebda = (phys_addr_t)(*(u16 *)__va(ACPI_EBDA_PTR)) << 4;
	const struct acpi_rsdp *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = scan_rsdp(ebda, ebda + ACPI_EBDA_SCAN);
	return r ? r : scan_rsdp(ACPI_BIOS_ROM_START, ACPI_BIOS_ROM_END);
}

/* A table at @phys, if it is mapped, complete and its checksum holds. */
static const struct acpi_header *acpi_table(phys_addr_t phys, const char *sig)
{
	const struct acpi_header *h;

	if (!acpi_mapped(phys, sizeof(*h)))
		return NULL;
	h = __va(phys);
	if (memcmp(h->signature, sig, 4) || h->length < sizeof(*h) ||
	    !acpi_mapped(phys, h->length) || !checksum_ok(h, h->length))
		return NULL;
	return h;
}

static const struct acpi_fadt *find_fadt(const struct acpi_header *rsdt)
{
	const u32 *entry = (const u32 *)(rsdt + 1);
	u32 i, n = (rsdt->length - sizeof(*rsdt)) / 4;
	const struct acpi_header *h;

	for (i = 0; i < n; i++) {
		h = acpi_table(entry[i], ACPI_FADT_SIG);
		if (h && h->length >= sizeof(struct acpi_fadt))
			return (const struct acpi_fadt *)h;
	}
	return NULL;
}

/* One integer of an AML package: ZeroOp, OneOp, or BytePrefix n. */
static const u8 *aml_int(const u8 *p, const u8 *end, u8 *out)
{
	if (p >= end)
		return NULL;
	if (*p == AML_ZERO_OP || *p == AML_ONE_OP) {
		*out = *p;
		return p + 1;
	}
	if (*p == AML_BYTE_PREFIX && p + 1 < end) {
		*out = p[1];
		return p + 2;
	}
	return NULL;
}

/* Find "Name(_S5_, Package() { a, b, ... })" in the DSDT's AML. */
static bool find_s5(const struct acpi_header *dsdt, u8 *typa, u8 *typb)
{
	const u8 *p = (const u8 *)(dsdt + 1);
	const u8 *end = (const u8 *)dsdt + dsdt->length;

	for (; p + 8 < end; p++) {
		if (memcmp(p, "_S5_", 4) || p[4] != AML_PACKAGE_OP)
			continue;
		if (p[-1] != AML_NAME_OP &&
		    !(p[-2] == AML_NAME_OP && p[-1] == '\\'))
			continue;
		p += 5;
		p += ((*p >> 6) & 3) + 1; /* PkgLength: 1-4 bytes */
		p++; /* NumElements */
		p = aml_int(p, end, typa);
		if (p)
			p = aml_int(p, end, typb);
		return p != NULL;
	}
	return false;
}

void acpi_init(void)
{
	const struct acpi_rsdp *rsdp = find_rsdp();
	const struct acpi_header *rsdt, *dsdt;
	const struct acpi_fadt *fadt;

	if (!rsdp) {
		pr_info("acpi: no RSDP; power-off unavailable\n");
		return;
	}
	rsdt = acpi_table(rsdp->rsdt_address, "RSDT");
	fadt = rsdt ? find_fadt(rsdt) : NULL;
	dsdt = fadt ? acpi_table(fadt->dsdt, ACPI_DSDT_SIG) : NULL;
	if (!dsdt || !fadt->pm1a_cnt_blk || fadt->pm1a_cnt_blk > 0xffff ||
	    !find_s5(dsdt, &acpi.slp_typa, &acpi.slp_typb)) {
		pr_warn("acpi: tables incomplete; power-off unavailable\n");
		return;
	}
	acpi.pm1a_cnt = (u16)fadt->pm1a_cnt_blk;
	acpi.pm1b_cnt = fadt->pm1b_cnt_blk <= 0xffff ? (u16)fadt->pm1b_cnt_blk :
						       0;
	acpi.ready = true;
	pr_info("acpi: PM1a control at 0x%x, S5 sleep type %u\n", acpi.pm1a_cnt,
		acpi.slp_typa);
}

void acpi_power_off(void)
{
	if (!acpi.ready)
		return;
	outw((u16)((acpi.slp_typa << ACPI_SLP_TYP_SHIFT) | ACPI_SLP_EN),
	     acpi.pm1a_cnt);
	if (acpi.pm1b_cnt)
		outw((u16)((acpi.slp_typb << ACPI_SLP_TYP_SHIFT) | ACPI_SLP_EN),
		     acpi.pm1b_cnt);
}

bool acpi_power_off_available(void)
{
	return acpi.ready;
}
