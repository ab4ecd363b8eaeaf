/*
 * Core dumps, the policy and the file (Linux's fs/coredump.c); the ELF
 * format itself is written by fs/binfmt_elf_core.c.
 *
 * A thread that takes a signal whose default action is "core" (SIGQUIT,
 * SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGSEGV, SIGBUS, SIGSYS, SIGXCPU,
 * SIGXFSZ) calls do_coredump() from get_signal() before the process
 * exits. The steps, in Linux's order:
 *
 *   1. a process that is not dumpable writes nothing: mm->dumpable is 0
 *      after prctl(PR_SET_DUMPABLE, 0), after a change of identity
 *      (setuid and friends: commit_creds) or an exec of a file the
 *      caller may not read or while its ids differ (fs.suid_dumpable is
 *      0, the only setting Kestrel has);
 *   2. the other threads are killed (SIGNAL_GROUP_EXIT, the signal as
 *      the exit status): the dump is the process's last act;
 *   3. RLIMIT_CORE below a page means no file at all (the ELF format's
 *      min_coredump);
 *   4. the name comes from kernel.core_pattern (format_corename): "core"
 *      by default, relative to the cwd, with %p %P %i %I %u %g %d %s %t
 *      %h %e %c %% expanded and ".PID" appended when core_uses_pid is
 *      set and the pattern has no %p. A pattern starting with '|' (a
 *      pipe to a helper) is not supported: nothing is dumped;
 *   5. the file is made anew: an old one is unlinked, then created with
 *      O_EXCL | O_NOFOLLOW, mode 0600; it must be a regular file owned
 *      by the dumper with one link and exactly 0600 (a umask could have
 *      made it readable by others or not writable);
 *   6. the ELF writer emits through dump_emit()/dump_skip(): RLIMIT_CORE
 *      counts the bytes written, a page never touched is a hole and
 *      costs nothing, and a write that would pass the limit ends the
 *      dump there (the file is left short, as Linux leaves it);
 *   7. a dump that got as far as its notes sets WCOREDUMP (0x80) in the
 *      exit status.
 *
 * Locking: core_pattern and core_uses_pid are read and written under
 * core_pattern_mutex (the sysctl handler takes it too); the dump itself
 * takes the mm's mmap_lock page by page and the VFS locks of the file.
 */
#include <kestrel/coredump.h>
#include <kestrel/cred.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/kstrtox.h>
#include <kestrel/mm_types.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/utsname.h>
#include <uapi/fcntl.h>
#include <uapi/limits.h>
#include <uapi/resource.h>
#include <uapi/stat.h>
#include <uapi/utsname.h>

#define WAIT_CORE_DUMPED 0x80 /* WCOREDUMP in the wait status */
#define CORE_FILE_MODE 0600
#define CORE_MODE_CHECK_MASK 0677 /* Linux checks all but owner-exec */
#define CORE_OPEN_FLAGS (O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_LARGEFILE)

char core_pattern[CORENAME_MAX_SIZE] = "core";
int core_uses_pid;
DEFINE_MUTEX(core_pattern_mutex); /* core_pattern, core_uses_pid */

/* ---- the file's name -------------------------------------------------- */

struct core_name {
	char *buf; /* PATH_MAX bytes */
	size_t len;
};

/* Append @s to the name, cut at PATH_MAX. */
static void cn_append(struct core_name *cn, const char *s)
{
	for (; *s && cn->len < PATH_MAX - 1; s++)
		cn->buf[cn->len++] = *s;
	cn->buf[cn->len] = '\0';
}

/* Append @s with each '/' made '!': a name from the process, such as its
 * comm, must not make directories (Linux's cn_esc_printf). */
static void cn_append_escaped(struct core_name *cn, const char *s)
{
	size_t i = cn->len;

	cn_append(cn, s);
	for (; i < cn->len; i++)
		if (cn->buf[i] == '/')
			cn->buf[i] = '!';
}

static void cn_append_ulong(struct core_name *cn, unsigned long v)
{
	char num[sizeof("4294967295")];

	scnprintf(num, sizeof(num), "%lu", v);
	cn_append(cn, num);
}

/* Expand one "%c" specifier. Returns whether it was %p (the pid). */
static bool cn_expand(struct core_name *cn, char c, int signr)
{
	struct task *t = current;
	const struct cred *cred = current_cred();
	char host[__NEW_UTS_LEN + 1];

	switch (c) {
	case '%':
		cn_append(cn, "%");
		break;
	case 'p': /* the pid, in its own space: Kestrel has one */
	case 'P':
		cn_append_ulong(cn, t->tgid);
		return true;
	case 'i': /* the thread id */
	case 'I':
		cn_append_ulong(cn, t->pid);
		break;
	case 'u':
		cn_append_ulong(cn, cred->uid);
		break;
	case 'g':
		cn_append_ulong(cn, cred->gid);
		break;
	case 'd':
		cn_append_ulong(cn, READ_ONCE(t->mm->dumpable));
		break;
	case 's':
		cn_append_ulong(cn, signr);
		break;
	case 't':
		cn_append_ulong(cn, (unsigned long)ktime_get_real_seconds());
		break;
	case 'h':
		uts_get(UTS_NODENAME, host, sizeof(host));
		cn_append_escaped(cn, host);
		break;
	case 'e':
		cn_append_escaped(cn, t->comm);
		break;
	case 'c':
		cn_append_ulong(cn, t->signal->rlim[RLIMIT_CORE].rlim_cur);
		break;
	default: /* unknown specifiers expand to nothing, as in Linux */
		break;
	}
	return false;
}

/*
 * Build the core file's name from core_pattern into @cn. Returns 0, or
 * -EOPNOTSUPP for a pipe pattern and -EINVAL for an empty name.
 */
static int format_corename(struct core_name *cn, int signr)
{
	char pattern[CORENAME_MAX_SIZE];
	bool pid_seen = false, uses_pid;
	const char *p;

	mutex_lock(&core_pattern_mutex);
	strlcpy(pattern, core_pattern, sizeof(pattern));
	uses_pid = core_uses_pid;
	mutex_unlock(&core_pattern_mutex);
	if (pattern[0] == '|')
		return -EOPNOTSUPP;
	cn->len = 0;
	cn->buf[0] = '\0';
	for (p = pattern; *p; p++) {
		if (*p != '%') {
			if (cn->len < PATH_MAX - 1)
				cn->buf[cn->len++] = *p;
			cn->buf[cn->len] = '\0';
			continue;
		}
		if (!*++p)
			break; /* a lone '%' at the end */
		pid_seen |= cn_expand(cn, *p, signr);
	}
	if (uses_pid && !pid_seen) {
		cn_append(cn, ".");
		cn_append_ulong(cn, current->tgid);
	}
	return cn->len ? 0 : -EINVAL;
}

/* ---- the file --------------------------------------------------------- */

/* Is the new core file what we asked for, and ours alone? */
static bool core_file_ok(struct file *file)
{
	struct inode *inode = file_inode(file);

	return S_ISREG(inode->i_mode) && inode->i_nlink == 1 &&
	       inode->i_uid == current_fsuid() &&
	       (inode->i_mode & CORE_MODE_CHECK_MASK) == CORE_FILE_MODE;
}

static struct file *open_core_file(const char *name)
{
	struct fs_struct *fs = current->fs;
	struct file *file;

	/* A stale core (or anything else by that name) goes first; what
	 * cannot be unlinked makes the exclusive create fail below. */
	do_unlinkat(fs, NULL, name);
	file = do_filp_open(fs, NULL, name, CORE_OPEN_FLAGS, CORE_FILE_MODE);
	if (IS_ERR(file))
		return file;
	if (!core_file_ok(file)) {
		fput(file);
		return ERR_PTR(-EPERM);
	}
	return file;
}

/* ---- writing ---------------------------------------------------------- */

bool dump_emit(struct coredump_params *cprm, const void *addr, size_t nr)
{
	loff_t pos;
	ssize_t n;

	if (cprm->to_skip) {
		cprm->pos += cprm->to_skip; /* a hole: nothing is written */
		cprm->to_skip = 0;
	}
	if ((u64)cprm->written + nr > cprm->limit)
		return false;
	pos = cprm->pos;
	n = kernel_write(cprm->file, addr, nr, &pos);
	if (n < 0 || (size_t)n != nr)
		return false;
	cprm->pos = pos;
	cprm->written += n;
	return true;
}

void dump_skip(struct coredump_params *cprm, size_t nr)
{
	cprm->to_skip += nr;
}

void dump_skip_to(struct coredump_params *cprm, loff_t pos)
{
	cprm->to_skip = pos - cprm->pos;
}

/* ---- the decision ------------------------------------------------------ */

/*
 * Make the process's death final before dumping: its status becomes
 * @signr and every other thread is killed. False if it was dying
 * already (another thread got there first; it decides).
 */
static bool zap_threads(int signr)
{
	struct signal_struct *sig = current->signal;
	unsigned long flags;
	bool first = false;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	if (!(sig->flags & SIGNAL_GROUP_EXIT)) {
		sig->flags = SIGNAL_GROUP_EXIT;
		sig->group_exit_code = signr;
		sig->group_stop_count = 0;
		zap_other_threads(current);
		first = true;
	}
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	return first;
}

static void mark_core_dumped(void)
{
	unsigned long flags;

	spin_lock_irqsave(&current->sighand->siglock, flags);
	current->signal->group_exit_code |= WAIT_CORE_DUMPED;
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
}

/* Steps 3 to 6 of the top comment. True if the dump was made. */
static bool write_core(struct coredump_params *cprm)
{
	struct core_name cn;
	bool dumped = false;

	if (cprm->limit < PAGE_SIZE)
		return false;
	cn.buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!cn.buf)
		return false;
	if (format_corename(&cn, cprm->siginfo->si_signo))
		goto out_free_name;
	cprm->file = open_core_file(cn.buf);
	if (IS_ERR(cprm->file))
		goto out_free_name;
	dumped = elf_core_dump(cprm);
	/* A hole at the end still counts: one byte makes the file long
	 * enough to hold it. */
	if (cprm->to_skip) {
		cprm->to_skip--;
		dump_emit(cprm, "", 1);
	}
	fput(cprm->file);
out_free_name:
	kfree(cn.buf);
	return dumped;
}

void do_coredump(const siginfo_t *info)
{
	struct coredump_params cprm = {
		.siginfo = info,
		.limit = current->signal->rlim[RLIMIT_CORE].rlim_cur,
	};
	struct mm_struct *mm = current->mm;

	if (!mm || !READ_ONCE(mm->dumpable))
		return;
	if (!zap_threads(info->si_signo))
		return;
	if (write_core(&cprm))
		mark_core_dumped();
}
