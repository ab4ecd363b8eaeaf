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
