/*
 * x86 port I/O. Drivers name their ports and registers in their own
 * headers and call these; no other file issues in/out instructions.
 */
#ifndef _ASM_X86_IO_H
#define _ASM_X86_IO_H

#include <kestrel/types.h>

static inline void outb(u8 value, u16 port)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outw(u16 value, u16 port)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outl(u32 value, u16 port)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 value;

	__asm__ __volatile__("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline u16 inw(u16 port)
{
	u16 value;

	__asm__ __volatile__("inw %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline u32 inl(u16 port)
{
	u32 value;

	__asm__ __volatile__("inl %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

/* A short delay: a write to the unused POST-code port 0x80. */
/*
 * String I/O: @count transfers between @port and memory at @addr, with
 * one rep ins/outs instruction (SDM vol. 2A, INS/OUTS): a device's data
 * register read or written many times in a row.
 */
static inline void insw(u16 port, void *addr, unsigned long count)
{
	__asm__ __volatile__("rep insw"
			     : "+D"(addr), "+c"(count)
			     : "d"(port)
			     : "memory");
}

static inline void insl(u16 port, void *addr, unsigned long count)
{
	__asm__ __volatile__("rep insl"
			     : "+D"(addr), "+c"(count)
			     : "d"(port)
			     : "memory");
}

static inline void outsw(u16 port, const void *addr, unsigned long count)
{
	__asm__ __volatile__("rep outsw"
			     : "+S"(addr), "+c"(count)
			     : "d"(port)
			     : "memory");
}

static inline void outsl(u16 port, const void *addr, unsigned long count)
{
	__asm__ __volatile__("rep outsl"
			     : "+S"(addr), "+c"(count)
			     : "d"(port)
			     : "memory");
}

static inline void io_delay(void)
{
	outb(0, 0x80);
}

#endif /* _ASM_X86_IO_H */
