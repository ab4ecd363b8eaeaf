/*
 * VGA text mode (IBM VGA Technical Reference; FreeVGA "CRT Controller
 * Registers"). The BIOS leaves the card in mode 3: 80x25 cells of two
 * bytes (character, attribute) at physical 0xb8000.
 */
#ifndef _DRIVERS_TTY_VT_VGA_H
#define _DRIVERS_TTY_VT_VGA_H

#define VGA_TEXT_PHYS 0xb8000
#define VGA_COLS 80
#define VGA_ROWS 25

#define VGA_CRTC_INDEX 0x3d4
#define VGA_CRTC_DATA 0x3d5
#define VGA_CRTC_CURSOR_START 0x0a /* cursor start scan line */
#define VGA_CURSOR_DISABLE 0x20 /* in CURSOR_START: cursor off */
#define VGA_CRTC_CURSOR_HI 0x0e /* cursor location high */
#define VGA_CRTC_CURSOR_LO 0x0f /* cursor location low */

/* Attribute byte: background << 4 | foreground. */
enum vga_color {
	VGA_BLACK = 0,
	VGA_BLUE = 1,
	VGA_GREEN = 2,
	VGA_CYAN = 3,
	VGA_RED = 4,
	VGA_MAGENTA = 5,
	VGA_BROWN = 6,
	VGA_LIGHT_GREY = 7,
	VGA_DARK_GREY = 8,
	VGA_LIGHT_BLUE = 9,
	VGA_LIGHT_GREEN = 10,
	VGA_LIGHT_CYAN = 11,
	VGA_LIGHT_RED = 12,
	VGA_LIGHT_MAGENTA = 13,
	VGA_YELLOW = 14,
	VGA_WHITE = 15,
};

#define VGA_ATTR(fg, bg) ((unsigned char)(((bg) << 4) | (fg)))

#include <kestrel/types.h>

/* vgacon.c: the text-mode hardware under the virtual consoles (vt.c). */

/* The VGA_ROWS x VGA_COLS cells of the screen (character | attr << 8). */
u16 *vgacon_screen(void);

/*
 * vgacon_set_cursor - move the hardware cursor to @row, @col, or hide it
 * (@visible false). Any context; the caller serialises (vt_lock).
 */
void vgacon_set_cursor(unsigned int row, unsigned int col, bool visible);

#endif /* _DRIVERS_TTY_VT_VGA_H */
