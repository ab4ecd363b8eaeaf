/*
 * The virtual console and keyboard ioctls of the Linux i386 ABI
 * (Linux's include/uapi/linux/vt.h and kd.h): request numbers, their
 * argument values and structures. Facts of the ABI that must not change.
 */
#ifndef _UAPI_VT_H
#define _UAPI_VT_H

/* Virtual consoles (linux/vt.h). */
#define VT_OPENQRY 0x5600 /* int *: first free console, or -1 */
#define VT_GETMODE 0x5601 /* struct vt_mode * */
#define VT_SETMODE 0x5602 /* const struct vt_mode * */
#define VT_GETSTATE 0x5603 /* struct vt_stat * */
#define VT_RELDISP 0x5605
#define VT_ACTIVATE 0x5606 /* arg: console number, 1-based */
#define VT_WAITACTIVE 0x5607 /* arg: console number, 1-based */
#define VT_DISALLOCATE 0x5608

#define VT_AUTO 0x00 /* vt_mode.mode: the kernel switches */

struct vt_mode {
	char mode; /* VT_AUTO */
	char waitv;
	short relsig, acqsig, frsig;
};

struct vt_stat {
	unsigned short v_active; /* the foreground console, 1-based */
	unsigned short v_signal;
	unsigned short v_state; /* bit n: console n is open */
};

_Static_assert(sizeof(struct vt_mode) == 8, "struct vt_mode");
_Static_assert(sizeof(struct vt_stat) == 6, "struct vt_stat");

/* Keyboard and display modes (linux/kd.h). */
#define KDGETLED 0x4B31 /* char *: LED_* lit */
#define KDGKBTYPE 0x4B33 /* char *: KB_* */
#define KDSETMODE 0x4B3A /* arg: KD_TEXT or KD_GRAPHICS */
#define KDGETMODE 0x4B3B /* int * */
#define KDGKBMODE 0x4B44 /* int *: K_* */
#define KDSKBMODE 0x4B45 /* arg: K_* */
#define KDGKBLED 0x4B64 /* char *: lock states, LED_* bits */

#define KB_101 0x02

#define KD_TEXT 0x00
#define KD_GRAPHICS 0x01

#define K_RAW 0x00
#define K_XLATE 0x01
#define K_MEDIUMRAW 0x02
#define K_UNICODE 0x03

#define LED_SCR 0x01
#define LED_NUM 0x02
#define LED_CAP 0x04

#endif /* _UAPI_VT_H */
