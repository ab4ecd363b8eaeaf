/*
 * procfs: /proc/<pid>/, one directory per process (thread-group leader).
 *
 * Every file snapshots the process when it is opened. The task is found
 * by number under tasklist_lock each time (proc_get_task), so an exited
 * process gives -ESRCH, never a stale pointer. What is only readable
 * under tasklist_lock is copied into a struct proc_task_info first; the
 * address space is read afterwards with a user reference (mmget) and
 * its mmap_lock, which may sleep.
 *
 * Not yet here: exe (the kernel does not record the executable's
 * path), fdinfo/, task/, mounts; starttime is 0 (no start time is
 * recorded per task).
 */
#include <asm/page.h>
#include <kestrel/cred.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/math64.h>
#include <kestrel/mm_types.h>
#include <kestrel/mman.h>
#include <kestrel/mutex.h>
#include <kestrel/pid.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "internal.h"

#define NSEC_PER_USER_HZ 10000000U /* USER_HZ = 100 */
#define PROC_MAX_ARGS (128 * 1024) /* cmdline/environ shown at most */
#define MAPS_NAME_COLUMN 48 /* 25 + sizeof(void *) * 6 - 1, as Linux */

/* What the files show of a process, copied under tasklist_lock. */
struct proc_task_info {
	char comm[TASK_COMM_LEN];
	char state;
	int pid, ppid, pgrp, session, nr_threads, prio, nice, exit_signal;
	unsigned int flags;
	unsigned long min_flt, maj_flt;
	u64 utime, stime, cutime, cstime; /* ns */
	kuid_t uid, euid, suid, fsuid;
	kgid_t gid, egid, sgid, fsgid;
	u64 pending, shpending, blocked, ignored, caught;
};

struct task *proc_get_task(int pid)
{
	struct task *task;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && (task->tgid != pid || task->exit_state == EXIT_DEAD))
		task = NULL;
	if (task)
		get_task_struct(task);
	spin_unlock(&tasklist_lock);
	return task;
}

int proc_next_pid(int pid)
{
	struct task *task;
	int best = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(task, &task_list, tasks)
		if (task->pid == task->tgid && task->pid >= pid &&
		    task->pid > 0 && task->exit_state != EXIT_DEAD &&
		    (!best || task->pid < best))
			best = task->pid;
	spin_unlock(&tasklist_lock);
	return best;
}

static char task_state_char(const struct task *task)
{
	if (task->exit_state == EXIT_ZOMBIE)
		return 'Z';
	if (task->exit_state == EXIT_DEAD)
		return 'X';
	if (task->state & __TASK_TRACED)
		return 't';
	if (task->state & __TASK_STOPPED)
		return 'T';
	if (task->state & TASK_UNINTERRUPTIBLE)
		return 'D';
	if (task->state & TASK_INTERRUPTIBLE)
		return 'S';
	return 'R';
}

static u64 sigset_to_u64(const sigset_t *set)
{
	return (u64)set->sig[1] << 32 | set->sig[0];
}

static void collect_signals(struct proc_task_info *info, struct task *task)
{
	int i;

	info->pending = sigset_to_u64(&task->pending.signal);
	info->blocked = sigset_to_u64(&task->blocked);
	if (task->signal)
		info->shpending =
			sigset_to_u64(&task->signal->shared_pending.signal);
	if (!task->sighand)
		return;
	for (i = 0; i < _NSIG; i++) {
		__sighandler_t h = task->sighand->action[i].sa.sa_handler;

		if (h == SIG_IGN)
			info->ignored |= 1ULL << i;
		else if (h != SIG_DFL)
			info->caught |= 1ULL << i;
	}
}

/* Fill @info for the process; caller holds tasklist_lock. */
static void collect_task(struct proc_task_info *info, struct task *task)
{
	struct task *t;

	memset(info, 0, sizeof(*info));
	memcpy(info->comm, task->comm, sizeof(info->comm));
	info->comm[TASK_COMM_LEN - 1] = '\0';
	info->state = task_state_char(task);
	info->pid = task->tgid;
	info->ppid = task->real_parent ? task->real_parent->tgid : 0;
	info->flags = task->flags;
	info->prio = task->prio - MAX_RT_PRIO;
	info->nice = PRIO_TO_NICE(task->static_prio);
	info->exit_signal = task->exit_signal;
	info->nr_threads = 1;
	info->utime = task->utime;
	info->stime = task->stime;
	info->min_flt = task->min_flt;
	info->maj_flt = task->maj_flt;
	if (task->signal) {
		struct signal_struct *sig = task->signal;

		info->pgrp = sig->pgrp;
		info->session = sig->session;
		info->nr_threads = sig->nr_threads;
		info->cutime = sig->cutime;
		info->cstime = sig->cstime;
		info->utime = info->stime = 0;
		list_for_each_entry(t, &sig->thread_head, thread_node) {
			info->utime += t->utime;
			info->stime += t->stime;
		}
	}
	info->uid = task->cred->uid;
	info->euid = task->cred->euid;
	info->suid = task->cred->suid;
	info->fsuid = task->cred->fsuid;
	info->gid = task->cred->gid;
	info->egid = task->cred->egid;
	info->sgid = task->cred->sgid;
	info->fsgid = task->cred->fsgid;
	collect_signals(info, task);
}

/* Take a user reference on the address space, unless it is going. */
static struct mm_struct *get_task_mm_locked(struct task *task)
{
	struct mm_struct *mm = task->mm;
	int users;

	if (!mm)
		return NULL;
	users = __atomic_load_n(&mm->mm_users, __ATOMIC_RELAXED);
	do {
		if (users <= 0)
			return NULL;
	} while (!__atomic_compare_exchange_n(&mm->mm_users, &users, users + 1,
					      false, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return mm;
}

/* Snapshot process @pid; *@mm gets its address space (mmput it) if
 * asked. -ESRCH if the process is gone. */
static int proc_collect(int pid, struct proc_task_info *info,
			struct mm_struct **mm)
{
	struct task *task;
	int err = -ESRCH;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && task->tgid == pid && task->exit_state != EXIT_DEAD) {
		collect_task(info, task);
		if (mm)
			*mm = get_task_mm_locked(task);
		err = 0;
	}
	spin_unlock(&tasklist_lock);
	return err;
}

static unsigned long ns_to_clock_t(u64 ns)
{
	return (unsigned long)div_u64(ns, NSEC_PER_USER_HZ);
}

/* The layout fields of @mm, read under its mmap_lock. */
struct proc_mm_info {
	unsigned long total_vm, rss, start_code, end_code, start_data;
	unsigned long end_data, start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
};

static void collect_mm(struct mm_struct *mm, struct proc_mm_info *mi)
{
	memset(mi, 0, sizeof(*mi));
	if (!mm)
		return;
	mutex_lock(&mm->mmap_lock);
	mi->total_vm = mm->total_vm;
	mi->rss = mm->rss;
	mi->start_code = mm->start_code;
	mi->end_code = mm->end_code;
	mi->start_data = mm->start_data;
	mi->end_data = mm->end_data;
	mi->start_brk = mm->start_brk;
	mi->brk = mm->brk;
	mi->start_stack = mm->start_stack;
	mi->arg_start = mm->arg_start;
	mi->arg_end = mm->arg_end;
	mi->env_start = mm->env_start;
	mi->env_end = mm->env_end;
	mutex_unlock(&mm->mmap_lock);
}

/* ---- stat, statm, status, comm ------------------------------------------ */

static void show_stat_line(struct seq_file *m, const struct proc_task_info *ti,
			   const struct proc_mm_info *mi)
{
	seq_printf(m, "%d (%s) %c %d %d %d 0 -1 %u %lu 0 %lu 0 ", ti->pid,
		   ti->comm, ti->state, ti->ppid, ti->pgrp, ti->session,
		   ti->flags, ti->min_flt, ti->maj_flt);
	seq_printf(m, "%lu %lu %lu %lu %d %d %d 0 0 %lu %lu %lu ",
		   ns_to_clock_t(ti->utime), ns_to_clock_t(ti->stime),
		   ns_to_clock_t(ti->cutime), ns_to_clock_t(ti->cstime),
		   ti->prio, ti->nice, ti->nr_threads, mi->total_vm * PAGE_SIZE,
		   mi->rss, 0xffffffffUL);
	seq_printf(m, "%lu %lu %lu 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 ",
		   mi->start_code, mi->end_code, mi->start_stack,
		   (unsigned long)ti->pending, (unsigned long)ti->blocked,
		   (unsigned long)ti->ignored, (unsigned long)ti->caught,
		   ti->exit_signal);
	seq_printf(m, "%lu %lu %lu %lu %lu %lu %lu 0\n", mi->start_data,
		   mi->end_data, mi->start_brk, mi->arg_start, mi->arg_end,
		   mi->env_start, mi->env_end);
}

static int proc_pid_stat(struct seq_file *m, int pid)
{
	struct proc_task_info ti;
	struct proc_mm_info mi;
	struct mm_struct *mm = NULL;
	int err = proc_collect(pid, &ti, &mm);

	if (err)
		return err;
	collect_mm(mm, &mi);
	if (mm)
		mmput(mm);
	show_stat_line(m, &ti, &mi);
	return 0;
}

static int proc_pid_statm(struct seq_file *m, int pid)
{
	struct proc_task_info ti;
	struct proc_mm_info mi;
	struct mm_struct *mm = NULL;
	unsigned long text;
	int err = proc_collect(pid, &ti, &mm);

	if (err)
		return err;
	collect_mm(mm, &mi);
	if (mm)
		mmput(mm);
	text = (PAGE_ALIGN(mi.end_code) - (mi.start_code & PAGE_MASK)) >>
	       PAGE_SHIFT;
	seq_printf(m, "%lu %lu 0 %lu 0 %lu 0\n", mi.total_vm, mi.rss, text,
		   mi.total_vm > text ? mi.total_vm - text : 0);
	return 0;
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R':
		return "R (running)";
	case 'S':
		return "S (sleeping)";
	case 'D':
		return "D (disk sleep)";
	case 'T':
		return "T (stopped)";
	case 't':
		return "t (tracing stop)";
	case 'Z':
		return "Z (zombie)";
	default:
		return "X (dead)";
	}
}

/* The size of the descriptor table of @pid (FDSize), 0 if none. */
static unsigned int proc_fd_size(int pid)
{
	struct task *task;
	unsigned int size = 0;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && task->files) {
		spin_lock(&task->files->file_lock);
		size = task->files->fdt->max_fds;
		spin_unlock(&task->files->file_lock);
	}
	spin_unlock(&tasklist_lock);
	return size;
}

static int proc_pid_status(struct seq_file *m, int pid)
{
	struct proc_task_info ti;
	struct proc_mm_info mi;
	struct mm_struct *mm = NULL;
	int err = proc_collect(pid, &ti, &mm);

	if (err)
		return err;
	collect_mm(mm, &mi);
	if (mm)
		mmput(mm);
	seq_printf(m, "Name:\t%s\nState:\t%s\nTgid:\t%d\nNgid:\t0\n", ti.comm,
		   state_name(ti.state), ti.pid);
	seq_printf(m, "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", ti.pid, ti.ppid);
	seq_printf(m, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", ti.uid,
		   ti.euid, ti.suid, ti.fsuid, ti.gid, ti.egid, ti.sgid,
		   ti.fsgid);
	seq_printf(m, "FDSize:\t%u\nGroups:\t\n", proc_fd_size(pid));
	if (mm || mi.total_vm)
		seq_printf(m, "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\n",
			   mi.total_vm * (PAGE_SIZE / 1024),
			   mi.rss * (PAGE_SIZE / 1024));
	seq_printf(m, "Threads:\t%d\nSigQ:\t0/0\n", ti.nr_threads);
	seq_printf(m, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n", ti.pending,
		   ti.shpending);
	seq_printf(m, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
		   ti.blocked, ti.ignored, ti.caught);
	return 0;
}

static int proc_pid_comm(struct seq_file *m, int pid)
{
	struct proc_task_info ti;
	int err = proc_collect(pid, &ti, NULL);

	if (!err)
		seq_printf(m, "%s\n", ti.comm);
	return err;
}

/* ---- cmdline, environ --------------------------------------------------- */

/* Copy [@start, @end) of @mm into @m: argv or envp strings. */
static int show_mm_range(struct seq_file *m, struct mm_struct *mm,
			 unsigned long start, unsigned long end)
{
	size_t len = end > start ? end - start : 0;
	int err;

	if (len > PROC_MAX_ARGS)
		len = PROC_MAX_ARGS;
	if (len > m->size - m->count) {
		m->overflow = true;
		return 0;
	}
	err = len ? copy_from_mm(mm, m->buf + m->count, start, len) : 0;
	if (!err)
		m->count += len;
	return err;
}

static int proc_pid_mm_strings(struct seq_file *m, int pid, bool environ)
{
	struct proc_task_info ti;
	struct proc_mm_info mi;
	struct mm_struct *mm = NULL;
	int err = proc_collect(pid, &ti, &mm);

	if (err || !mm)
		return err; /* a kernel thread or zombie: empty */
	collect_mm(mm, &mi);
	if (environ)
		err = show_mm_range(m, mm, mi.env_start, mi.env_end);
	else
		err = show_mm_range(m, mm, mi.arg_start, mi.arg_end);
	mmput(mm);
	return err;
}

static int proc_pid_cmdline(struct seq_file *m, int pid)
{
	return proc_pid_mm_strings(m, pid, false);
}

static int proc_pid_environ(struct seq_file *m, int pid)
{
	return proc_pid_mm_strings(m, pid, true);
}

/* ---- maps --------------------------------------------------------------- */

/* The reader's root, for d_path (a reference; path_put it). */
static void reader_root(struct path *root)
{
	struct fs_struct *fs = current->fs ? current->fs : &init_fs;

	spin_lock(&fs->lock);
	*root = fs->root;
	path_get(root);
	spin_unlock(&fs->lock);
}

static void show_map_name(struct seq_file *m, struct mm_struct *mm,
			  struct vm_area_struct *vma, const struct path *root)
{
	char *buf, *name = NULL;

	if (vma->vm_file) {
		buf = kmalloc(PATH_MAX, GFP_KERNEL);
		name = buf ? d_path(&vma->vm_file->f_path, root, buf,
				    PATH_MAX) :
			     NULL;
		if (!IS_ERR_OR_NULL(name))
			seq_puts(m, name);
		kfree(buf);
		return;
	}
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		seq_puts(m, "[heap]");
	else if (vma->vm_start <= mm->start_stack &&
		 vma->vm_end >= mm->start_stack)
		seq_puts(m, "[stack]");
}

static void show_map_vma(struct seq_file *m, struct mm_struct *mm,
			 struct vm_area_struct *vma, const struct path *root)
{
	unsigned long flags = vma->vm_flags;
	size_t line_start = m->count, mark;

	seq_printf(m, "%08lx-%08lx %c%c%c%c %08lx 00:00 %lu", vma->vm_start,
		   vma->vm_end, flags & VM_READ ? 'r' : '-',
		   flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
		   flags & VM_SHARED ? 's' : 'p',
		   vma->vm_file ? vma->vm_pgoff << PAGE_SHIFT : 0,
		   vma->vm_file ? file_inode(vma->vm_file)->i_ino : 0UL);
	seq_putc(m, ' ');
	mark = m->count;
	show_map_name(m, mm, vma, root);
	if (m->count > mark && !m->overflow) {
		/* Pad the name to Linux's column: move it right. */
		size_t name_len = m->count - mark, used = mark - line_start;
		size_t pad = used < MAPS_NAME_COLUMN + 1 ?
				     MAPS_NAME_COLUMN + 1 - used :
				     0;

		if (pad > m->size - m->count) {
			m->overflow = true;
			return;
		}
		memmove(m->buf + mark + pad, m->buf + mark, name_len);
		memset(m->buf + mark, ' ', pad);
		m->count += pad;
	} else if (m->count == mark) {
		m->count--; /* no name: no trailing space */
	}
	seq_putc(m, '\n');
}

static int proc_pid_maps(struct seq_file *m, int pid)
{
	struct proc_task_info ti;
	struct mm_struct *mm = NULL;
	struct vm_area_struct *vma;
	struct path root;
	int err = proc_collect(pid, &ti, &mm);

	if (err || !mm)
		return err;
	reader_root(&root);
	mutex_lock(&mm->mmap_lock);
	for (vma = find_vma(mm, 0); vma && !m->overflow;
	     vma = vma_next(mm, vma))
		show_map_vma(m, mm, vma, &root);
	mutex_unlock(&mm->mmap_lock);
	path_put(&root);
	mmput(mm);
	return 0;
}

/* ---- symlinks: fd/N, cwd, root, self ------------------------------------ */

/* d_path of @path into @buf (moved to its start). 0 or -errno. */
static int path_to_buf(const struct path *path, char *buf, int buflen)
{
	struct path root;
	char *name;

	reader_root(&root);
	name = d_path(path, &root, buf, buflen);
	path_put(&root);
	if (IS_ERR(name))
		return PTR_ERR(name);
	memmove(buf, name, strlen(name) + 1);
	return 0;
}

/* The open file behind descriptor @fd of @pid, with a reference. */
static struct file *proc_get_file(int pid, int fd)
{
	struct file *file = NULL;
	struct fdtable *fdt;
	struct task *task;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && task->files && fd >= 0) {
		spin_lock(&task->files->file_lock);
		fdt = task->files->fdt;
		if ((unsigned int)fd < fdt->max_fds && fdt->fd[fd])
			file = get_file(fdt->fd[fd]);
		spin_unlock(&task->files->file_lock);
	}
	spin_unlock(&tasklist_lock);
	return file;
}

bool proc_fd_exists(int pid, int fd)
{
	struct file *file = proc_get_file(pid, fd);

	if (file)
		fput(file);
	return file != NULL;
}

int proc_next_fd(int pid, int fd)
{
	struct fdtable *fdt;
	struct task *task;
	int found = -1;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && task->files && fd >= 0) {
		spin_lock(&task->files->file_lock);
		fdt = task->files->fdt;
		for (; (unsigned int)fd < fdt->max_fds; fd++)
			if (fdt->fd[fd]) {
				found = fd;
				break;
			}
		spin_unlock(&task->files->file_lock);
	}
	spin_unlock(&tasklist_lock);
	return found;
}

static int proc_fd_link(int pid, int fd, char *buf, int buflen)
{
	struct file *file = proc_get_file(pid, fd);
	int err;

	if (!file)
		return -ENOENT;
	err = path_to_buf(&file->f_path, buf, buflen);
	fput(file);
	return err;
}

/* cwd or root of @pid. */
static int proc_fs_link(int pid, char *buf, int buflen, bool want_root)
{
	struct path path = { NULL, NULL };
	struct task *task;
	int err;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && task->fs) {
		spin_lock(&task->fs->lock);
		path = want_root ? task->fs->root : task->fs->pwd;
		path_get(&path);
		spin_unlock(&task->fs->lock);
	}
	spin_unlock(&tasklist_lock);
	if (!path.dentry)
		return -ENOENT;
	err = path_to_buf(&path, buf, buflen);
	path_put(&path);
	return err;
}

static int proc_cwd_link(int pid, int fd, char *buf, int buflen)
{
	return proc_fs_link(pid, buf, buflen, false);
}

static int proc_root_link(int pid, int fd, char *buf, int buflen)
{
	return proc_fs_link(pid, buf, buflen, true);
}

int proc_self_link(int pid, int fd, char *buf, int buflen)
{
	snprintf(buf, buflen, "%d", current->tgid);
	return 0;
}

const struct proc_entry proc_fd_link_entry = {
	.mode = S_IFLNK | 0500,
	.link = proc_fd_link,
};

const struct proc_entry proc_pid_dir_entry = {
	.mode = S_IFDIR | 0555,
	.kind = PROC_DIR_PID,
};

const struct proc_entry proc_pid_entries[] = {
	{ .name = "cmdline", .mode = S_IFREG | 0444, .show = proc_pid_cmdline },
	{ .name = "comm", .mode = S_IFREG | 0444, .show = proc_pid_comm },
	{ .name = "cwd", .mode = S_IFLNK | 0777, .link = proc_cwd_link },
	{ .name = "environ", .mode = S_IFREG | 0400, .show = proc_pid_environ },
	{ .name = "fd", .mode = S_IFDIR | 0500, .kind = PROC_DIR_FD },
	{ .name = "maps", .mode = S_IFREG | 0444, .show = proc_pid_maps },
	{ .name = "root", .mode = S_IFLNK | 0777, .link = proc_root_link },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = proc_pid_stat },
	{ .name = "statm", .mode = S_IFREG | 0444, .show = proc_pid_statm },
	{ .name = "status", .mode = S_IFREG | 0444, .show = proc_pid_status },
	{}
};
