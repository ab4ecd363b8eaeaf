/*
 * VGA text mode, the hardware under the virtual consoles: where the
 * screen's cells are and how the blinking cursor is moved and hidden
 * (CRT controller registers 0x0a, 0x0e and 0x0f; FreeVGA "CRT
 * Controller Registers"). Everything drawn on the screen comes from the
 * terminal emulator of the foreground console (vt.c, vt_emul.c), which
 * writes straight into these cells.
 */
#include "vga.h"
#include <asm/io.h>
#include <asm/page.h>
#include <kestrel/init.h>
#include <kestrel/err.h>
#include <kestrel/ioport.h>
#include <kestrel/platform_device.h>
#include <kestrel/vt.h>

#define VGA_CURSOR_SHIFT 8 /* high byte of the cursor location */
#define VGA_CURSOR_LOW_MASK 0xff

static bool cursor_hidden;

u16 *vgacon_screen(void)
{
	return __va(VGA_TEXT_PHYS);
}

static void crtc_write(u8 index, u8 value)
{
	outb(index, VGA_CRTC_INDEX);
	outb(value, VGA_CRTC_DATA);
}

static u8 crtc_read(u8 index)
{
	outb(index, VGA_CRTC_INDEX);
	return inb(VGA_CRTC_DATA);
}

void vgacon_set_cursor(unsigned int row, unsigned int col, bool visible)
{
	unsigned int pos = row * VGA_COLS + col;

	if (visible == cursor_hidden) {
		u8 start = crtc_read(VGA_CRTC_CURSOR_START);

		start = visible ? start & ~VGA_CURSOR_DISABLE :
				  start | VGA_CURSOR_DISABLE;
		crtc_write(VGA_CRTC_CURSOR_START, start);
		cursor_hidden = !visible;
	}
	crtc_write(VGA_CRTC_CURSOR_HI, (u8)(pos >> VGA_CURSOR_SHIFT));
	crtc_write(VGA_CRTC_CURSOR_LO, (u8)(pos & VGA_CURSOR_LOW_MASK));
}

/*
 * The VGA text console in the device model: the platform device
 * "vgacon" (/sys/devices/platform/vgacon) claiming the VGA registers
 * ("vga+", 0x3c0-0x3df, as Linux names them) and the text buffer, bound
 * to the driver "vgacon" whose attributes give the screen's size.
 */
#define VGA_REGS_START 0x3c0 /* VGA registers (IBM VGA Technical Ref.) */
#define VGA_REGS_COUNT 0x20 /* 0x3c0-0x3df */
#define VGA_TEXT_BYTES (VGA_ROWS * VGA_COLS * 2) /* char + attribute */

static ssize_t rows_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%u\n", VGA_ROWS);
}
static DEVICE_ATTR_RO(rows);

static ssize_t cols_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%u\n", VGA_COLS);
}
static DEVICE_ATTR_RO(cols);

static struct attribute *vgacon_attrs[] = {
	&dev_attr_rows.attr,
	&dev_attr_cols.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vgacon);

static struct platform_driver vgacon_platform_driver = {
	.driver = { .name = "vgacon", .dev_groups = vgacon_groups },
};

/* The VGA text console as the platform device "vgacon" (rows, cols). */
static int vgacon_platform_init(void)
{
	const struct resource res[] = {
		DEFINE_RES_IO_NAMED(VGA_REGS_START, VGA_REGS_COUNT, "vga+"),
		DEFINE_RES_MEM_NAMED(VGA_TEXT_PHYS, VGA_TEXT_BYTES, "vgacon"),
	};
	struct platform_device *pdev;
	int err = platform_driver_register(&vgacon_platform_driver);

	if (err)
		return err;
	pdev = platform_device_register_simple("vgacon", PLATFORM_DEVID_NONE,
					       res, ARRAY_SIZE(res));
	return IS_ERR(pdev) ? PTR_ERR(pdev) : 0;
}
device_initcall(vgacon_platform_init);
