/*
 * execve: replacing the program of the current process.
 *
 * 1. Gather: open the file (it must be a regular file with execute
 *    permission), read its first bytes, and copy every argument and
 *    environment string into one kernel buffer (E2BIG past
 *    MAX_ARG_STRLEN for one string or MAX_ARG_TOTAL for all, with the
 *    pointers the stack will hold to them, as Linux counts them).
 * 2. Load aside: the format loader (#! script or ELF) builds a new
 *    address space in bprm->mm, and the initial stack is written into
 *    it: argc, argv, envp, the auxiliary vector, the strings.
 * 3. The point of no return (begin_new_exec): only now is the old
 *    program dropped: other threads killed, the new address space
 *    installed, close-on-exec descriptors closed, caught signals reset
 *    to their defaults, the registers set to the entry point.
 * A failure in steps 1-2 returns an error to the old program, intact.
 */
#include <asm/cpufeature.h>
#include <asm/fpu.h>
#include <asm/segment.h>
#include <asm/switch_to.h>
#include <kestrel/binfmts.h>
#include <kestrel/completion.h>
#include <kestrel/coredump.h>
#include <kestrel/cred.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/fs_struct.h>
#include <kestrel/mm_types.h>
#include <kestrel/mman.h>
#include <kestrel/process.h>
#include <kestrel/random.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <kestrel/vmalloc.h>
#include <uapi/auxvec.h>
#include <uapi/resource.h>
#include <uapi/fcntl.h>
#include <uapi/limits.h>
#include <uapi/stat.h>
#include <uapi/time.h>

#define ELF_PLATFORM "i686"
#define AUXV_MAX 24 /* pairs, with room to spare */
#define AT_RANDOM_BYTES 16
#define STRINGS_INITIAL (16 * 1024)
#define X86_EFLAGS_FIXED 0x2 /* bit 1 always reads as 1 */
#define X86_EFLAGS_IF_USER 0x200

/* ---- gathering the arguments ------------------------------------------ */

static int bprm_grow(struct linux_binprm *bprm, size_t need)
{
	size_t cap = bprm->strings_cap ? bprm->strings_cap : STRINGS_INITIAL;
	char *n;

	while (cap < need)
		cap *= 2;
	if (cap > MAX_ARG_TOTAL)
		cap = MAX_ARG_TOTAL;
	if (need > cap)
		return -E2BIG;
	n = vmalloc(cap);
	if (!n)
		return -ENOMEM;
	if (bprm->strings)
		memcpy(n, bprm->strings, bprm->strings_len);
	vfree(bprm->strings);
	bprm->strings = n;
	bprm->strings_cap = cap;
	return 0;
}

int bprm_push_string(struct linux_binprm *bprm, const char *s, size_t len)
{
	int err;

	if (len + 1 > MAX_ARG_STRLEN)
		return -E2BIG;
	if (bprm->strings_len + len + 1 > bprm->strings_cap) {
		err = bprm_grow(bprm, bprm->strings_len + len + 1);
		if (err)
			return err;
	}
	memcpy(bprm->strings + bprm->strings_len, s, len);
	bprm->strings[bprm->strings_len + len] = '\0';
	bprm->strings_len += len + 1;
	return 0;
}

/* Copy one user string straight into the buffer, growing it as needed. */
static int bprm_push_user_string(struct linux_binprm *bprm,
				 const char __user *s)
{
	size_t room;
	long n;
	int err;

	for (;;) {
		room = bprm->strings_cap - bprm->strings_len;
		if (room > MAX_ARG_STRLEN)
			room = MAX_ARG_STRLEN;
		if (room) {
			n = strncpy_from_user(bprm->strings + bprm->strings_len,
					      s, (long)room);
			if (n < 0)
				return -EFAULT;
			if ((size_t)n < room) {
				bprm->strings_len += (size_t)n + 1;
				return 0;
			}
			if (room == MAX_ARG_STRLEN)
				return -E2BIG;
		}
		err = bprm_grow(bprm, bprm->strings_cap + 1);
		if (err)
			return err;
	}
}

/* An argv or envp array, in user or (kernel_execve) kernel memory. */
struct user_arg_ptr {
	bool is_kernel;
	union {
		const char *const *kernel;
		const char __user *const __user *user;
	} ptr;
};

static int get_arg(struct user_arg_ptr argv, int i, const char __user **out,
		   const char **kout)
{
	u32 p;

	if (argv.is_kernel) {
		*kout = argv.ptr.kernel ? argv.ptr.kernel[i] : NULL;
		return 0;
	}
	if (!argv.ptr.user) {
		*out = NULL;
		return 0;
	}
	if (get_user(p, (const u32 __user *)&argv.ptr.user[i]))
		return -EFAULT;
	*out = (const char __user *)(uintptr_t)p;
	return 0;
}

/* Append every string of @argv; returns how many, or -errno. */
static int copy_strings(struct linux_binprm *bprm, struct user_arg_ptr argv)
{
	const char __user *u = NULL;
	const char *k = NULL;
	int i, err;

	for (i = 0;; i++) {
		err = get_arg(argv, i, &u, &k);
		if (err)
			return err;
		if (argv.is_kernel ? !k : !u)
			return i;
		if (i >= (int)(MAX_ARG_TOTAL / sizeof(u32)))
			return -E2BIG;
		err = argv.is_kernel ? bprm_push_string(bprm, k, strlen(k)) :
				       bprm_push_user_string(bprm, u);
		if (err)
			return err;
	}
}

/* The strings and their argv/envp pointers must fit in MAX_ARG_TOTAL
 * (Linux's bprm_stack_limits() charges the pointers first). */
static int check_arg_total(const struct linux_binprm *bprm)
{
	size_t ptrs = ((size_t)bprm->argc + bprm->envc) * sizeof(u32);

	return bprm->strings_len + ptrs > MAX_ARG_TOTAL ? -E2BIG : 0;
}

/* Insert @n strings before the current ones (the #! interpreter). */
int bprm_prepend_args(struct linux_binprm *bprm, const char *const *args, int n)
{
	size_t extra = 0, old = bprm->strings_len;
	char *p;
	int i, err;

	for (i = 0; i < n; i++)
		extra += strlen(args[i]) + 1;
	err = bprm_grow(bprm, old + extra);
	if (err)
		return err;
	memmove(bprm->strings + extra, bprm->strings, old);
	p = bprm->strings;
	for (i = 0; i < n; i++) {
		strcpy(p, args[i]);
		p += strlen(args[i]) + 1;
	}
	bprm->strings_len = old + extra;
	bprm->argc += n;
	return 0;
}

/* Drop the first string (a script's argv[0] gives way to its path). */
static void bprm_remove_first(struct linux_binprm *bprm)
{
	size_t len = strlen(bprm->strings) + 1;

	memmove(bprm->strings, bprm->strings + len, bprm->strings_len - len);
	bprm->strings_len -= len;
	bprm->argc--;
}

/* ---- the file ---------------------------------------------------------- */

int bprm_open(struct linux_binprm *bprm, const char *filename)
{
	struct file *file;
	struct inode *inode;
	loff_t pos = 0;
	ssize_t n;
	int err;

	file = do_filp_open(current->fs, NULL, filename, O_RDONLY, 0);
	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	inode = file_inode(file);
	err = -EACCES;
	if (!S_ISREG(inode->i_mode))
		goto out_put;
	err = inode_permission(inode, MAY_EXEC);
	if (err)
		goto out_put;
	/* Root may run any file with at least one execute bit. */
	err = -EACCES;
	if (!(inode->i_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		goto out_put;
	memset(bprm->buf, 0, sizeof(bprm->buf));
	n = kernel_read(file, bprm->buf, sizeof(bprm->buf), &pos);
	err = n < 0 ? (int)n : 0;
	if (err)
		goto out_put;
	if (bprm->file)
		fput(bprm->file);
	bprm->file = file;
	bprm->buf_len = (unsigned int)n;
	bprm->interp = filename;
	return 0;
out_put:
	fput(file);
	return err;
}

/* ---- #! scripts ------------------------------------------------------ */

int load_script(struct linux_binprm *bprm)
{
	char line[BINPRM_BUF_SIZE], *p, *interp, *arg = NULL, *end;
	const char *args[3];
	int n = 0, err;

	if (bprm->buf_len < 2 || bprm->buf[0] != '#' || bprm->buf[1] != '!')
		return -ENOEXEC;
	if (++bprm->interp_depth > MAX_INTERP_DEPTH)
		return -ELOOP;
	memcpy(line, bprm->buf + 2, sizeof(line) - 2);
	line[sizeof(line) - 2] = '\0';
	end = strchr(line, '\n');
	if (!end)
		return -ENOEXEC; /* the line does not fit: Linux refuses too */
	*end = '\0';
	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	if (!*p)
		return -ENOEXEC;
	interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		/* One argument: the rest of the line, trailing blanks cut. */
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*p)
			arg = p;
	}
	/* argv becomes: interp [arg] script-path original-argv[1..]. */
	bprm_remove_first(bprm);
	args[n++] = interp;
	if (arg)
		args[n++] = arg;
	args[n++] = bprm->filename;
	err = bprm_prepend_args(bprm, args, n);
	if (!err)
		err = bprm_open(bprm, interp);
	if (!err)
		err = search_binary_handler(bprm);
	return err;
}

int search_binary_handler(struct linux_binprm *bprm)
{
	int err = load_script(bprm);

	if (err != -ENOEXEC)
		return err;
	return load_elf_binary(bprm);
}

/* ---- the initial stack ------------------------------------------------ */

/*
 * The i386 SysV initial stack, from the top down: the strings (execfn,
 * argv and envp, platform, AT_RANDOM bytes), then, 16-byte aligned at
 * the stack pointer: argc, argv[] and NULL, envp[] and NULL, auxv pairs
 * ending in AT_NULL. Built in a kernel buffer, then copied.
 */
struct stack_builder {
	char *buf; /* a mirror of [base, top) */
	unsigned long base, top;
	unsigned long cursor; /* strings grow down from top */
};

static unsigned long push_bytes(struct stack_builder *sb, const void *p,
				size_t len)
{
	sb->cursor -= len;
	memcpy(sb->buf + (sb->cursor - sb->base), p, len);
	return sb->cursor;
}

static void put_word(struct stack_builder *sb, unsigned long addr, u32 v)
{
	memcpy(sb->buf + (addr - sb->base), &v, sizeof(v));
}

/* The auxiliary vector: what the C library learns about its process. */
static unsigned int fill_auxv(const struct linux_binprm *bprm, u32 *auxv,
			      unsigned long random, unsigned long platform,
			      unsigned long execfn)
{
	const struct cred *c = current_cred();
	unsigned int n = 0;

#define AUX(k, v)                     \
	do {                          \
		auxv[n++] = (k);      \
		auxv[n++] = (u32)(v); \
	} while (0)
	AUX(AT_HWCAP, boot_cpu_data.caps[CPUID_1_EDX]);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, USER_HZ);
	AUX(AT_PHDR, bprm->phdr_addr);
	AUX(AT_PHENT, 32);
	AUX(AT_PHNUM, bprm->phnum);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, bprm->entry);
	AUX(AT_UID, c->uid);
	AUX(AT_EUID, c->euid);
	AUX(AT_GID, c->gid);
	AUX(AT_EGID, c->egid);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP2, 0);
	AUX(AT_EXECFN, execfn);
	AUX(AT_PLATFORM, platform);
	AUX(AT_MINSIGSTKSZ, MINSIGSTKSZ);
	AUX(AT_NULL, 0);
#undef AUX
	return n;
}

/* The pointer area below the strings: argc, argv, envp, auxv. */
static void build_vectors(struct linux_binprm *bprm, struct stack_builder *sb,
			  unsigned long strings, const u32 *auxv,
			  unsigned int auxn)
{
	unsigned int nptr = 1 + bprm->argc + 1 + bprm->envc + 1;
	unsigned long sp = (sb->cursor - (nptr + auxn) * 4) & ~15UL;
	unsigned long at = sp, user = strings;
	const char *s = sb->buf + (strings - sb->base);
	int i;

	put_word(sb, at, (u32)bprm->argc);
	at += 4;
	for (i = 0; i < bprm->argc + bprm->envc; i++) {
		if (i == bprm->argc) {
			put_word(sb, at, 0); /* the end of argv */
			at += 4;
			bprm->mm->env_start = user;
		}
		put_word(sb, at, (u32)user);
		at += 4;
		user += strlen(s) + 1;
		s += strlen(s) + 1;
	}
	if (bprm->argc == i) {
		put_word(sb, at, 0); /* argv ends here when envp is empty */
		at += 4;
		bprm->mm->env_start = user;
	}
	put_word(sb, at, 0); /* the end of envp */
	at += 4;
	memcpy(sb->buf + (at - sb->base), auxv, auxn * 4);
	bprm->mm->arg_start = strings;
	bprm->mm->arg_end = bprm->mm->env_start;
	bprm->mm->env_end = strings + bprm->strings_len;
	bprm->sp = sp;
}

/*
 * The bytes the initial stack holds: the strings, then the vectors and
 * the 16-byte alignment of the stack pointer below them. Only these are
 * built in a kernel buffer; the rest of the stack VMA is left to demand
 * faults.
 */
static size_t stack_bytes(const struct linux_binprm *bprm)
{
	size_t strings = strlen(bprm->filename) + 1 + bprm->strings_len +
			 sizeof(ELF_PLATFORM) + AT_RANDOM_BYTES;
	size_t nptr = 1 + bprm->argc + 1 + bprm->envc + 1 + AUXV_MAX * 2;

	return strings + nptr * sizeof(u32) + 16;
}

/* The builder's buffer: from the slab when small, as it nearly always is. */
static void *stack_buf_alloc(size_t size)
{
	return size <= PAGE_SIZE ? kzalloc(size, GFP_KERNEL) : vzalloc(size);
}

static void stack_buf_free(void *buf, size_t size)
{
	if (size <= PAGE_SIZE)
		kfree(buf);
	else
		vfree(buf);
}

int bprm_setup_stack(struct linux_binprm *bprm)
{
	size_t used = PAGE_ALIGN(stack_bytes(bprm));
	size_t size = used > STACK_INIT_SIZE ? used : STACK_INIT_SIZE;
	struct stack_builder sb;
	unsigned long execfn, strings, platform, random;
	u8 rnd[AT_RANDOM_BYTES];
	u32 auxv[AUXV_MAX * 2];
	unsigned int auxn;
	int err;

	sb.top = STACK_TOP;
	sb.base = STACK_TOP - used;
	sb.cursor = sb.top;
	sb.buf = stack_buf_alloc(used);
	if (!sb.buf)
		return -ENOMEM;
	err = vm_map_anon(bprm->mm, STACK_TOP - size, size,
			  VM_READ | VM_WRITE | VM_GROWSDOWN);
	if (err)
		goto out_free;
	execfn = push_bytes(&sb, bprm->filename, strlen(bprm->filename) + 1);
	strings = push_bytes(&sb, bprm->strings, bprm->strings_len);
	platform = push_bytes(&sb, ELF_PLATFORM, sizeof(ELF_PLATFORM));
	get_random_bytes(rnd, sizeof(rnd));
	random = push_bytes(&sb, rnd, sizeof(rnd));
	auxn = fill_auxv(bprm, auxv, random, platform, execfn);
	build_vectors(bprm, &sb, strings, auxv, auxn);
	bprm->mm->start_stack = bprm->sp;
	err = copy_to_mm(bprm->mm, bprm->sp, sb.buf + (bprm->sp - sb.base),
			 sb.top - bprm->sp);
out_free:
	stack_buf_free(sb.buf, used);
	return err;
}

/* ---- the point of no return -------------------------------------------- */

/* Kill the other threads of the process and wait until they are gone. */
static void de_thread(void)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;

	if (sig->nr_threads <= 1)
		return;
	spin_lock_irqsave(&current->sighand->siglock, flags);
	zap_other_threads(current);
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	while (READ_ONCE(sig->nr_threads) > 1)
		schedule_timeout_uninterruptible(1);
}

/*
 * Install @mm. The pointers change and CR3 follows with preemption off
 * (tasklist_lock, which procfs readers of t->mm take too): a task whose
 * ->mm is NULL holds its ->active_mm with mmgrab() and the scheduler
 * drops it at a switch (kernel/exit.c, exit_mm), so the borrowed mm of
 * a kernel thread that execs must be read and replaced in one step.
 */
static void exec_mmap(struct mm_struct *mm)
{
	struct task *t = current;
	struct mm_struct *old, *active;

	if (t->vfork_done) {
		complete(t->vfork_done);
		t->vfork_done = NULL;
	}
	spin_lock(&tasklist_lock);
	old = t->mm;
	active = t->active_mm;
	t->mm = mm;
	t->active_mm = mm;
	switch_mm(active, mm);
	spin_unlock(&tasklist_lock);
	if (old)
		mmput(old);
	else if (active)
		mmdrop(active); /* a kernel thread's borrowed mm (init) */
}

static void start_thread(struct pt_regs *regs, unsigned long ip,
			 unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->ds = regs->es = __USER_DS;
	regs->ss = __USER_DS;
	regs->cs = __USER_CS;
	regs->ip = ip;
	regs->sp = sp;
	regs->flags = X86_EFLAGS_FIXED | X86_EFLAGS_IF_USER;
}

static void set_comm(const char *filename)
{
	const char *base = strrchr(filename, '/');

	strlcpy(current->comm, base ? base + 1 : filename,
		sizeof(current->comm));
}

/*
 * May the new program dump core? Linux's rule (begin_new_exec and
 * would_dump) with fs.suid_dumpable at 0: not when its ids differ (the
 * real ones from the effective ones) nor when the caller may not read
 * the file: its core would show what the caller could not see.
 */
static unsigned int exec_dumpable(struct linux_binprm *bprm)
{
	const struct cred *c = current_cred();

	if (c->euid != c->uid || c->egid != c->gid ||
	    inode_permission(file_inode(bprm->file), MAY_READ))
		return SUID_DUMP_DISABLE;
	return SUID_DUMP_USER;
}

void begin_new_exec(struct linux_binprm *bprm, struct pt_regs *regs)
{
	struct task *t = current;

	bprm->mm->dumpable = exec_dumpable(bprm);
	de_thread();
	bprm->mm->exe_file = get_file(bprm->file); /* /proc/<pid>/exe */
	exec_mmap(bprm->mm);
	bprm->mm = NULL;
	/* Before the close-on-exec descriptors go: a parent woken by their
	 * closing must already see the exec (setpgid's EACCES), as Linux
	 * clears PF_FORKNOEXEC before do_close_on_exec(). */
	t->did_exec = true;
	if (t->files)
		do_close_on_exec(t->files);
	flush_signal_handlers(t);
	t->sas_ss_sp = t->sas_ss_size = 0;
	t->clear_child_tid = NULL;
	memset(t->thread.tls_array, 0, sizeof(t->thread.tls_array));
	load_user_fs_gs(0, 0);
	fpu_reset(t);
	set_comm(bprm->filename);
	start_thread(regs, bprm->entry, bprm->sp);
}

/* ---- execve ----------------------------------------------------------- */

static int do_execve(const char *filename, struct user_arg_ptr argv,
		     struct user_arg_ptr envp, struct pt_regs *regs)
{
	struct linux_binprm bprm;
	int ret;

	memset(&bprm, 0, sizeof(bprm));
	bprm.filename = filename;
	ret = bprm_open(&bprm, filename);
	if (ret)
		goto out;
	ret = copy_strings(&bprm, argv);
	if (ret < 0)
		goto out;
	bprm.argc = ret;
	ret = copy_strings(&bprm, envp);
	if (ret < 0)
		goto out;
	bprm.envc = ret;
	ret = check_arg_total(&bprm);
	if (ret)
		goto out;
	bprm.mm = mm_alloc();
	ret = -ENOMEM;
	if (!bprm.mm)
		goto out;
	bprm.mm->stack_limit =
		current->signal ? current->signal->rlim[RLIMIT_STACK].rlim_cur :
				  bprm.mm->stack_limit;
	ret = search_binary_handler(&bprm);
	if (!ret)
		ret = bprm_setup_stack(&bprm);
	if (!ret)
		begin_new_exec(&bprm, regs);
out:
	if (bprm.mm)
		mmput(bprm.mm);
	if (bprm.file)
		fput(bprm.file);
	vfree(bprm.strings);
	return ret;
}

SYSCALL_DEFINE3(execve, const char __user *, ufilename,
		const char __user *const __user *, uargv,
		const char __user *const __user *, uenvp)
{
	struct user_arg_ptr argv = { .ptr.user = uargv };
	struct user_arg_ptr envp = { .ptr.user = uenvp };
	char *filename = kmalloc(PATH_MAX, GFP_KERNEL);
	long n;
	int ret;

	if (!filename)
		return -ENOMEM;
	n = strncpy_from_user(filename, ufilename, PATH_MAX);
	if (n < 0)
		ret = -EFAULT;
	else if (n == PATH_MAX)
		ret = -ENAMETOOLONG;
	else if (!n)
		ret = -ENOENT;
	else
		ret = do_execve(filename, argv, envp, current_pt_regs());
	kfree(filename);
	return ret;
}

int kernel_execve(const char *filename, const char *const argv[],
		  const char *const envp[])
{
	struct user_arg_ptr a = { .is_kernel = true, .ptr.kernel = argv };
	struct user_arg_ptr e = { .is_kernel = true, .ptr.kernel = envp };

	return do_execve(filename, a, e, current_pt_regs());
}
