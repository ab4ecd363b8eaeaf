/*
 * The smallest static program, for kbench's fork_exec_tiny figure: no C
 * library, one page of code, just exit(0). Against fork_exec_wait (a
 * glibc program) it separates the kernel's execve cost from glibc's
 * start-up. Built with -nostdlib -static.
 */
#include <sys/syscall.h>

void _start(void) __attribute__((noreturn, used));

void _start(void)
{
	asm volatile("int $0x80" : : "a"(SYS_exit), "b"(0));
	__builtin_unreachable();
}
