/*
 * The VGA text console (tty0): printk's messages on the screen, coloured
 * by level (errors red, warnings yellow, debug grey), scrolling up when
 * the bottom line is full, with the hardware cursor after the last
 * character. The virtual terminals of the TTY layer will draw on the
 * same screen; this is the part the kernel needs from its first line.
 */
#include "vga.h"
#include <asm/io.h>
#include <asm/page.h>
#include <kestrel/console.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include <kestrel/types.h>

#define TAB_WIDTH 8

struct vga_screen {
	u16 *cells; /* VGA_ROWS x VGA_COLS (attribute << 8 | character) */
	unsigned int row, col;
};

static struct vga_screen screen;

static const unsigned char level_attr[] = {
	[LOGLEVEL_EMERG] = VGA_ATTR(VGA_WHITE, VGA_RED),
	[1] = VGA_ATTR(VGA_WHITE, VGA_RED),
	[2] = VGA_ATTR(VGA_WHITE, VGA_RED),
	[LOGLEVEL_ERR] = VGA_ATTR(VGA_LIGHT_RED, VGA_BLACK),
	[LOGLEVEL_WARNING] = VGA_ATTR(VGA_YELLOW, VGA_BLACK),
	[LOGLEVEL_NOTICE] = VGA_ATTR(VGA_WHITE, VGA_BLACK),
	[LOGLEVEL_INFO] = VGA_ATTR(VGA_LIGHT_GREY, VGA_BLACK),
	[LOGLEVEL_DEBUG] = VGA_ATTR(VGA_DARK_GREY, VGA_BLACK),
};

static u16 vga_cell(char c, unsigned char attr)
{
	return (u16)((unsigned char)c | (attr << 8));
}

static void vga_set_cursor(unsigned int row, unsigned int col)
{
	unsigned int pos = row * VGA_COLS + col;

	outb(VGA_CRTC_CURSOR_HI, VGA_CRTC_INDEX);
	outb(pos >> 8, VGA_CRTC_DATA);
	outb(VGA_CRTC_CURSOR_LO, VGA_CRTC_INDEX);
	outb(pos & 0xff, VGA_CRTC_DATA);
}

static void vga_clear_row(unsigned int row)
{
	unsigned int col;
	u16 blank = vga_cell(' ', VGA_ATTR(VGA_LIGHT_GREY, VGA_BLACK));

	for (col = 0; col < VGA_COLS; col++)
		screen.cells[row * VGA_COLS + col] = blank;
}

static void vga_newline(void)
{
	screen.col = 0;
	if (++screen.row < VGA_ROWS)
		return;
	memmove(screen.cells, screen.cells + VGA_COLS,
		(VGA_ROWS - 1) * VGA_COLS * sizeof(u16));
	screen.row = VGA_ROWS - 1;
	vga_clear_row(screen.row);
}

static void vga_putc(char c, unsigned char attr)
{
	switch (c) {
	case '\n':
		vga_newline();
		return;
	case '\r':
		screen.col = 0;
		return;
	case '\t':
		do
			vga_putc(' ', attr);
		while (screen.col % TAB_WIDTH);
		return;
	}
	if (screen.col >= VGA_COLS)
		vga_newline();
	screen.cells[screen.row * VGA_COLS + screen.col++] = vga_cell(c, attr);
}

static void vga_console_write(struct console *con, const char *s,
			      unsigned int len, int level)
{
	unsigned char attr = level_attr[level & 7];

	while (len--)
		vga_putc(*s++, attr);
	vga_set_cursor(screen.row, screen.col);
}

static struct console vga_console = {
	.name = "tty",
	.index = 0,
	.write = vga_console_write,
};

static void vga_console_init(void)
{
	unsigned int row;

	screen.cells = __va(VGA_TEXT_PHYS);
	for (row = 0; row < VGA_ROWS; row++)
		vga_clear_row(row);
	screen.row = screen.col = 0;
	register_console(&vga_console);
}
console_initcall(vga_console_init);
