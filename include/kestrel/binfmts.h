/*
 * Program loading (fs/exec.c, fs/binfmt_elf.c). execve() gathers the
 * arguments and the first bytes of the file into a struct linux_binprm,
 * then hands it to the format loaders: #! scripts (which restart the
 * search with the interpreter) and static ELF programs.
 */
#ifndef _KESTREL_BINFMTS_H
#define _KESTREL_BINFMTS_H

#include <kestrel/types.h>
#include <uapi/limits.h> /* MAX_ARG_STRLEN: one argument */

struct file;
struct mm_struct;
struct pt_regs;

#define BINPRM_BUF_SIZE 256
#define MAX_ARG_TOTAL (2 * 1024 * 1024) /* all of them, as 8 MiB / 4 */
#define MAX_INTERP_DEPTH 4 /* #! scripts running #! scripts */
#define STACK_INIT_SIZE (128 * 1024)

struct linux_binprm {
	struct file *file;
	char buf[BINPRM_BUF_SIZE]; /* the file's first bytes */
	unsigned int buf_len; /* how many were read */
	const char *filename; /* as passed to execve (AT_EXECFN) */
	const char *interp; /* the file actually run */
	/* argv then envp strings, each NUL-terminated, in one buffer. */
	char *strings;
	size_t strings_len, strings_cap;
	int argc, envc;
	int interp_depth;
	struct mm_struct *mm; /* the new address space being built */
	/* Results of the format loader. */
	unsigned long entry, phdr_addr, phnum, stack_top, sp;
};

/* Append one string (kernel memory) to the arguments. 0 or -E2BIG. */
int bprm_push_string(struct linux_binprm *bprm, const char *s, size_t len);
/* Replace argv[0] by @s (#! handling). */
int bprm_prepend_args(struct linux_binprm *bprm, const char *const *args,
		      int n);
/* Open @filename for execution and read its first bytes into buf. */
int bprm_open(struct linux_binprm *bprm, const char *filename);
/* Build the initial stack in bprm->mm; sets bprm->sp. */
int bprm_setup_stack(struct linux_binprm *bprm);
/* The loaders. 0 (loaded: past the point of no return), -ENOEXEC (not
 * this format) or another -errno. */
int load_script(struct linux_binprm *bprm);
int load_elf_binary(struct linux_binprm *bprm);
/* Search the formats. */
int search_binary_handler(struct linux_binprm *bprm);
/* Past the point of no return: install bprm->mm and start the program. */
void begin_new_exec(struct linux_binprm *bprm, struct pt_regs *regs);

#endif /* _KESTREL_BINFMTS_H */
