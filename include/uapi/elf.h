/*
 * The parts of the 32-bit ELF format the i386 program loader reads: the
 * file header, program headers, section headers, notes and auxv entries,
 * with their field values. From the System V ABI (gABI) and its i386
 * supplement, as Linux's include/uapi/linux/elf.h and elf-em.h spell them.
 * On-disk structures: their sizes are facts and must not change.
 */
#ifndef _UAPI_ELF_H
#define _UAPI_ELF_H

#include <kestrel/types.h>
#include <uapi/time.h>

typedef u32 Elf32_Addr;
typedef u16 Elf32_Half;
typedef u32 Elf32_Off;
typedef s32 Elf32_Sword;
typedef u32 Elf32_Word;

/* e_ident[] indices and values. */
#define EI_MAG0 0
#define EI_MAG1 1
#define EI_MAG2 2
#define EI_MAG3 3
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_OSABI 7
#define EI_ABIVERSION 8
#define EI_PAD 9 /* gABI and glibc; Linux's uapi elf.h says 8 */
#define EI_NIDENT 16

#define ELFMAG0 0x7f
#define ELFMAG1 'E'
#define ELFMAG2 'L'
#define ELFMAG3 'F'
#define ELFMAG "\177ELF"
#define SELFMAG 4

#define ELFCLASSNONE 0
#define ELFCLASS32 1
#define ELFCLASS64 2

#define ELFDATANONE 0
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2

#define EV_NONE 0
#define EV_CURRENT 1

#define ELFOSABI_NONE 0
#define ELFOSABI_LINUX 3

/* e_type. */
#define ET_NONE 0
#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define ET_CORE 4

/* e_machine. */
#define EM_NONE 0
#define EM_386 3
#define EM_486 6 /* never used by Linux binaries; refused */
#define EM_X86_64 62

typedef struct elf32_hdr {
	unsigned char e_ident[EI_NIDENT];
	Elf32_Half e_type;
	Elf32_Half e_machine;
	Elf32_Word e_version;
	Elf32_Addr e_entry;
	Elf32_Off e_phoff;
	Elf32_Off e_shoff;
	Elf32_Word e_flags;
	Elf32_Half e_ehsize;
	Elf32_Half e_phentsize;
	Elf32_Half e_phnum;
	Elf32_Half e_shentsize;
	Elf32_Half e_shnum;
	Elf32_Half e_shstrndx;
} Elf32_Ehdr;
_Static_assert(sizeof(Elf32_Ehdr) == 52, "Elf32_Ehdr");

/* p_type. */
#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_SHLIB 5
#define PT_PHDR 6
#define PT_TLS 7
#define PT_LOOS 0x60000000
#define PT_HIOS 0x6fffffff
#define PT_LOPROC 0x70000000
#define PT_HIPROC 0x7fffffff
#define PT_GNU_EH_FRAME 0x6474e550
#define PT_GNU_STACK 0x6474e551
#define PT_GNU_RELRO 0x6474e552
#define PT_GNU_PROPERTY 0x6474e553

/* p_flags. */
#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4

typedef struct elf32_phdr {
	Elf32_Word p_type;
	Elf32_Off p_offset;
	Elf32_Addr p_vaddr;
	Elf32_Addr p_paddr;
	Elf32_Word p_filesz;
	Elf32_Word p_memsz;
	Elf32_Word p_flags;
	Elf32_Word p_align;
} Elf32_Phdr;
_Static_assert(sizeof(Elf32_Phdr) == 32, "Elf32_Phdr");

/* sh_type. */
#define SHT_NULL 0
#define SHT_PROGBITS 1
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHT_RELA 4
#define SHT_HASH 5
#define SHT_DYNAMIC 6
#define SHT_NOTE 7
#define SHT_NOBITS 8
#define SHT_REL 9
#define SHT_DYNSYM 11

typedef struct elf32_shdr {
	Elf32_Word sh_name;
	Elf32_Word sh_type;
	Elf32_Word sh_flags;
	Elf32_Addr sh_addr;
	Elf32_Off sh_offset;
	Elf32_Word sh_size;
	Elf32_Word sh_link;
	Elf32_Word sh_info;
	Elf32_Word sh_addralign;
	Elf32_Word sh_entsize;
} Elf32_Shdr;
_Static_assert(sizeof(Elf32_Shdr) == 40, "Elf32_Shdr");

typedef struct elf32_note {
	Elf32_Word n_namesz;
	Elf32_Word n_descsz;
	Elf32_Word n_type;
} Elf32_Nhdr;
_Static_assert(sizeof(Elf32_Nhdr) == 12, "Elf32_Nhdr");

/*
 * Core files (ET_CORE): the notes of the PT_NOTE segment. Note types
 * and the i386 layouts of Linux's struct elf_prstatus and elf_prpsinfo
 * (include/linux/elfcore.h, with asm/elf.h's i386 elf_gregset_t and
 * the 16-bit __kernel_uid_t of posix_types_32.h), as gdb reads them.
 */
#define NT_PRSTATUS 1 /* struct elf_prstatus: the thread's registers */
#define NT_PRFPREG 2
#define NT_PRPSINFO 3 /* struct elf_prpsinfo: the process */
#define NT_AUXV 6
#define NT_SIGINFO 0x53494749 /* "SIGI": the siginfo_t that killed it */
#define NT_PRXFPREG 0x46e62b7f /* the 512-byte FXSAVE area, name "LINUX" */

/* elf_gregset_t: ebx ecx edx esi edi ebp eax ds es fs gs orig_eax eip
 * cs eflags esp ss (struct user_regs_struct's order). */
#define ELF_NGREG 17
typedef u32 elf_gregset_t[ELF_NGREG];

struct elf_siginfo {
	s32 si_signo;
	s32 si_code;
	s32 si_errno;
};

struct elf_prstatus {
	struct elf_siginfo pr_info; /* the signal that killed it */
	s16 pr_cursig;
	u32 pr_sigpend; /* pending and blocked signals (first word) */
	u32 pr_sighold;
	s32 pr_pid, pr_ppid, pr_pgrp, pr_sid;
	struct timeval pr_utime, pr_stime, pr_cutime, pr_cstime;
	elf_gregset_t pr_reg;
	s32 pr_fpvalid; /* an FPU state follows (NT_PRFPREG) */
};
_Static_assert(sizeof(struct elf_prstatus) == 144, "i386 elf_prstatus");

#define ELF_PRARGSZ 80

struct elf_prpsinfo {
	char pr_state; /* 0: running */
	char pr_sname; /* "RSDTZW"[pr_state] */
	char pr_zomb;
	char pr_nice;
	u32 pr_flag;
	u16 pr_uid, pr_gid;
	s32 pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char pr_fname[16]; /* comm */
	char pr_psargs[ELF_PRARGSZ]; /* the start of the command line */
};
_Static_assert(sizeof(struct elf_prpsinfo) == 124, "i386 elf_prpsinfo");

/* One auxiliary vector entry (keys in <uapi/auxvec.h>). */
typedef struct {
	u32 a_type;
	u32 a_val;
} Elf32_auxv_t;
_Static_assert(sizeof(Elf32_auxv_t) == 8, "Elf32_auxv_t");

#endif /* _UAPI_ELF_H */
