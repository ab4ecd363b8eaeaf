/*
 * Small helpers more than one tier-3 test program needs: paths in a
 * scratch directory, burning CPU time, checking a run of bytes, mounting
 * /sys and /dev when the runner left them bare, and the headers of a
 * one-segment static ELF program. Each program includes what it uses;
 * the functions are static inline so an unused one costs nothing.
 */
#ifndef _TESTS_USER_UTIL_H
#define _TESTS_USER_UTIL_H

#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

/* The program's scratch directory; main() names and creates it. */
static char scratch_dir[64];

/* "@scratch_dir/@name", in one of four rotating buffers (a call may
 * pass two or three such paths at once). */
static inline const char *at(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", scratch_dir, name);
	return p;
}

/* Spin until this process has used @ms milliseconds of CPU time. */
static inline void burn_cpu_ms(long ms)
{
	struct timespec a, b;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 +
			 (b.tv_nsec - a.tv_nsec) / 1000000 <
		 ms);
}

/* Is every byte of @p[0..@len) equal to @c? */
static inline bool all_bytes(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return false;
	return true;
}

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif
#ifndef DEVPTS_MAGIC
#define DEVPTS_MAGIC 0x1cd1
#endif

/* The runner mounts only /proc: mount /sys and /dev where they are bare. */
static inline void mount_sys_and_dev(void)
{
	struct statfs sfs;

	if (statfs("/sys", &sfs) < 0 || sfs.f_type != SYSFS_MAGIC) {
		mkdir("/sys", 0755);
		if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
			ktap_diag("mount sysfs: %s", strerror(errno));
	}
	if (access("/dev/null", F_OK) < 0 &&
	    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0)
		ktap_diag("mount devtmpfs: %s", strerror(errno));
}

/* And /dev/pts, for the programs that open pseudo-terminals. */
static inline void mount_devpts(void)
{
	struct statfs sfs;

	if (statfs("/dev/pts", &sfs) < 0 || sfs.f_type != DEVPTS_MAGIC) {
		mkdir("/dev/pts", 0755);
		if (mount("devpts", "/dev/pts", "devpts", 0, NULL) < 0)
			ktap_diag("mount devpts: %s", strerror(errno));
	}
}

/*
 * Fill the ELF header @eh and the one PT_LOAD header @ph of a static
 * i386 executable loaded whole at @load, its headers included, which
 * starts at @entry; @phoff is where @ph sits in the file. The caller
 * sets the segment's sizes and flags.
 */
static inline void tiny_elf_headers(Elf32_Ehdr *eh, Elf32_Phdr *ph,
				    Elf32_Addr load, Elf32_Addr entry,
				    Elf32_Off phoff)
{
	memset(eh, 0, sizeof(*eh));
	memset(ph, 0, sizeof(*ph));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_version = EV_CURRENT;
	eh->e_entry = entry;
	eh->e_phoff = phoff;
	eh->e_ehsize = sizeof(Elf32_Ehdr);
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 1;
	ph->p_type = PT_LOAD;
	ph->p_offset = 0;
	ph->p_vaddr = ph->p_paddr = load;
	ph->p_align = 0x1000;
}

#endif /* _TESTS_USER_UTIL_H */
