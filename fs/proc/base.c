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
 * The same files describe one thread under /proc/<pid>/task/<tid>/:
 * a struct proc_ref with a tid asks for that thread alone (its own
 * state, times and id), one without for the process as a whole (the
 * leader's state, every thread's times summed).
 */
#include <asm/page.h>
#include <kestrel/cputime.h>
#include <kestrel/cred.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/mm_types.h>
#include <kestrel/mman.h>
#include <kestrel/mutex.h>
#include <kestrel/pid.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/tty.h>
#include <uapi/fcntl.h>

#include "internal.h"

#define PROC_MAX_ARGS (128 * 1024) /* cmdline/environ shown at most */
#define MAPS_NAME_COLUMN 48 /* 25 + sizeof(void *) * 6 - 1, as Linux */

/* What the files show of a process, copied under tasklist_lock. */
struct proc_task_info {
	char comm[TASK_COMM_LEN];
	char state;
	int pid, tgid, ppid, pgrp, session, nr_threads, prio, nice;
	int exit_signal, tty_nr, tpgid;
	unsigned int flags, umask, ngroups;
	unsigned long min_flt, maj_flt, nvcsw, nivcsw, sigq, sigq_max, rsslim;
	u64 utime, stime, cutime, cstime, start_time; /* ns */
	kuid_t uid, euid, suid, fsuid;
	kgid_t gid, egid, sgid, fsgid;
	kgid_t groups[CRED_INLINE_GROUPS];
	u64 pending, shpending, blocked, ignored, caught;
};

/*
 * The process a task belongs to. Kernel threads have no thread group
 * (tgid 0); like Linux, procfs shows each as a process of its own.
 */
static int task_tgid(const struct task *task)
{
	return task->tgid ? task->tgid : task->pid;
}

struct task *proc_get_task(int pid)
{
	struct task *task;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && (task_tgid(task) != pid || task->exit_state == EXIT_DEAD))
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
		if (task->pid == task_tgid(task) && task->pid >= pid &&
		    task->pid > 0 && task->exit_state != EXIT_DEAD &&
		    (!best || task->pid < best))
			best = task->pid;
	spin_unlock(&tasklist_lock);
	return best;
}

bool proc_tid_exists(int pid, int tid)
{
	struct task *task;
	bool found;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(tid);
	found = task && task_tgid(task) == pid && task->exit_state != EXIT_DEAD;
	spin_unlock(&tasklist_lock);
	return found;
}

int proc_next_tid(int pid, int tid)
{
	struct task *task;
	int best = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(task, &task_list, tasks)
		if (task_tgid(task) == pid && task->pid >= tid &&
		    task->exit_state != EXIT_DEAD &&
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

/*
 * SigQ's first number: the signals queued to the tasks of the real user
 * @uid (Linux charges each queued signal to its receiver's user), each
 * process's shared queue counted once. Caller holds tasklist_lock.
 */
static unsigned long queued_signals(kuid_t uid)
{
	unsigned long n = 0, flags;
	struct sigqueue *q;
	struct task *t;

	list_for_each_entry(t, &task_list, tasks) {
		if (!t->sighand || t->cred->uid != uid)
			continue;
		spin_lock_irqsave(&t->sighand->siglock, flags);
		list_for_each_entry(q, &t->pending.list, list)
			n++;
		if (t->signal && t->group_leader == t)
			list_for_each_entry(q, &t->signal->shared_pending.list,
					    list)
				n++;
		spin_unlock_irqrestore(&t->sighand->siglock, flags);
	}
	return n;
}

/* The parent process: 0 for init (its own parent) and kernel threads. */
static int task_ppid(const struct task *task)
{
	const struct task *leader = task->group_leader ? task->group_leader :
							 task;
	const struct task *parent = leader->real_parent;

	return parent && parent != leader ? task_tgid(parent) : 0;
}

/* The process-wide part of @info: job control, threads, children. */
static void collect_signal_struct(struct proc_task_info *info,
				  struct task *task, bool whole)
{
	struct signal_struct *sig = task->signal;

	info->pgrp = sig->pgrp;
	info->session = sig->session;
	info->nr_threads = sig->nr_threads;
	info->cutime = sig->cutime;
	info->cstime = sig->cstime;
	info->sigq = queued_signals(task->cred->uid);
	info->sigq_max = sig->rlim[RLIMIT_SIGPENDING].rlim_cur;
	info->rsslim = sig->rlim[RLIMIT_RSS].rlim_cur;
	if (!whole)
		return;
	thread_group_cputime(task, &info->utime, &info->stime);
}

static void collect_cred(struct proc_task_info *info, const struct cred *c)
{
	info->uid = c->uid;
	info->euid = c->euid;
	info->suid = c->suid;
	info->fsuid = c->fsuid;
	info->gid = c->gid;
	info->egid = c->egid;
	info->sgid = c->sgid;
	info->fsgid = c->fsgid;
	info->ngroups = c->ngroups < CRED_INLINE_GROUPS ? c->ngroups :
							  CRED_INLINE_GROUPS;
	memcpy(info->groups, c->groups, info->ngroups * sizeof(kgid_t));
}

/*
 * tty_nr (the controlling terminal's device number, encoded as Linux's
 * new_encode_dev: minor's low byte, major, then the minor's high bits)
 * and tpgid (its foreground group; -1 without a terminal). The tty is
 * valid while tasklist_lock is held: the core clears signal->tty under
 * it before freeing one.
 */
static void ctty_ids(struct proc_task_info *info, const struct tty_struct *tty)
{
	unsigned int major, minor;

	info->tty_nr = 0;
	info->tpgid = -1;
	if (!tty)
		return;
	major = tty->driver->major;
	minor = tty->driver->minor_start + (unsigned int)tty->index;
	info->tty_nr =
		(int)((minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
	info->tpgid = tty->pgrp > 0 ? tty->pgrp : -1;
}

/*
 * Fill @info for @task: the thread alone, or the process it leads when
 * @whole. Caller holds tasklist_lock.
 */
static void collect_task(struct proc_task_info *info, struct task *task,
			 bool whole)
{
	lockdep_assert_held(&tasklist_lock);
	memset(info, 0, sizeof(*info));
	memcpy(info->comm, task->comm, sizeof(info->comm));
	info->comm[TASK_COMM_LEN - 1] = '\0';
	info->state = task_state_char(task);
	info->tgid = task_tgid(task);
	info->pid = whole ? info->tgid : task->pid;
	info->ppid = task_ppid(task);
	ctty_ids(info, task->signal ? task->signal->tty : NULL);
	info->flags = task->flags;
	info->prio = task->prio - MAX_RT_PRIO;
	info->nice = PRIO_TO_NICE(task->static_prio);
	info->exit_signal = task->exit_signal;
	info->nr_threads = 1;
	task_cputime(task, &info->utime, &info->stime);
	info->start_time = task->start_time;
	info->min_flt = task->min_flt;
	info->maj_flt = task->maj_flt;
	info->nvcsw = task->nvcsw;
	info->nivcsw = task->nivcsw;
	if (task->signal)
		collect_signal_struct(info, task, whole);
	if (task->fs)
		info->umask = task->fs->umask;
	collect_cred(info, task->cred);
	collect_signals(info, task);
}

/* Take a user reference on the address space, unless it is going. */
static struct mm_struct *get_task_mm_locked(struct task *task)
{
	struct mm_struct *mm = task->mm;

	/* Under tasklist_lock task->mm holds the task's own reference:
	 * exit and exec clear or swap it under that lock first. */
	if (mm)
		mmget(mm);
	return mm;
}

/*
 * Snapshot what @ref names: thread ref->tid of process ref->pid, or the
 * process as a whole when ref->tid is 0. *@mm gets its address space
 * (mmput it) if asked. -ESRCH if it is gone.
 */
static int proc_collect(const struct proc_ref *ref, struct proc_task_info *info,
			struct mm_struct **mm)
{
	int id = ref->tid ? ref->tid : ref->pid;
	struct task *task;
	int err = -ESRCH;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(id);
	if (task && task_tgid(task) == ref->pid &&
	    task->exit_state != EXIT_DEAD) {
		collect_task(info, task, !ref->tid);
		if (mm)
			*mm = get_task_mm_locked(task);
		err = 0;
	}
	spin_unlock(&tasklist_lock);
	return err;
}

/* The sizes (in pages) and layout fields of @mm, read under its
 * mmap_lock. */
struct proc_mm_info {
	unsigned long total_vm, hiwater_vm, rss, hiwater_rss;
	unsigned long anon_rss, file_rss, shmem_rss, nr_ptes;
	unsigned long start_code, end_code, start_data;
	unsigned long end_data, start_brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long data_vm, stack_vm, locked_vm; /* as Linux counts them */
};

/* Linux's VmData (private writable, not stack), VmStk and VmLck
 * (VM_LOCKED: recorded, though nothing is ever swapped out). mmap_lock. */
static void count_vm_kinds(struct mm_struct *mm, struct proc_mm_info *mi)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, 0); vma; vma = vma_next(mm, vma)) {
		if (vma->vm_flags & VM_LOCKED)
			mi->locked_vm += vma_pages(vma);
		if (vma->vm_flags & VM_GROWSDOWN ||
		    (vma->vm_start <= mm->start_stack &&
		     vma->vm_end >= mm->start_stack))
			mi->stack_vm += vma_pages(vma);
		else if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			mi->data_vm += vma_pages(vma);
	}
}

static void collect_mm(struct mm_struct *mm, struct proc_mm_info *mi)
{
	memset(mi, 0, sizeof(*mi));
	if (!mm)
		return;
	mutex_lock(&mm->mmap_lock);
	mi->total_vm = mm->total_vm;
	mi->hiwater_vm = get_mm_hiwater_vm(mm);
	mi->rss = get_mm_rss(mm);
	mi->hiwater_rss = get_mm_hiwater_rss(mm);
	mi->anon_rss = mm->rss_stat[MM_ANONPAGES];
	mi->file_rss = mm->rss_stat[MM_FILEPAGES];
	mi->shmem_rss = mm->rss_stat[MM_SHMEMPAGES];
	mi->nr_ptes = mm->nr_ptes;
	mi->start_code = mm->start_code;
	mi->end_code = mm->end_code;
	mi->start_data = mm->start_data;
	mi->end_data = mm->end_data;
	mi->start_brk = mm->start_brk;
	mi->start_stack = mm->start_stack;
	mi->arg_start = mm->arg_start;
	mi->arg_end = mm->arg_end;
	mi->env_start = mm->env_start;
	mi->env_end = mm->env_end;
	count_vm_kinds(mm, mi);
	mutex_unlock(&mm->mmap_lock);
}

/* ---- stat, statm, status, comm ------------------------------------------ */

static void show_stat_line(struct seq_file *m, const struct proc_task_info *ti,
			   const struct proc_mm_info *mi)
{
	seq_printf(m, "%d (%s) %c %d %d %d %d %d %u %lu 0 %lu 0 ", ti->pid,
		   ti->comm, ti->state, ti->ppid, ti->pgrp, ti->session,
		   ti->tty_nr, ti->tpgid, ti->flags, ti->min_flt, ti->maj_flt);
	seq_printf(m, "%lu %lu %lu %lu %d %d %d 0 %lu %lu %lu %lu ",
		   nsec_to_clock_t(ti->utime), nsec_to_clock_t(ti->stime),
		   nsec_to_clock_t(ti->cutime), nsec_to_clock_t(ti->cstime),
		   ti->prio, ti->nice, ti->nr_threads,
		   nsec_to_clock_t(ti->start_time), mi->total_vm * PAGE_SIZE,
		   mi->rss, ti->rsslim);
	seq_printf(m, "%lu %lu %lu 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 ",
		   mi->start_code, mi->end_code, mi->start_stack,
		   (unsigned long)ti->pending, (unsigned long)ti->blocked,
		   (unsigned long)ti->ignored, (unsigned long)ti->caught,
		   ti->exit_signal);
	seq_printf(m, "%lu %lu %lu %lu %lu %lu %lu 0\n", mi->start_data,
		   mi->end_data, mi->start_brk, mi->arg_start, mi->arg_end,
		   mi->env_start, mi->env_end);
}

/* Snapshot @ref and its address space's layout (zeros for none). */
static int proc_collect_all(const struct proc_ref *ref,
			    struct proc_task_info *ti, struct proc_mm_info *mi,
			    bool *has_mm)
{
	struct mm_struct *mm = NULL;
	int err = proc_collect(ref, ti, &mm);

	if (err)
		return err;
	collect_mm(mm, mi);
	if (has_mm)
		*has_mm = mm != NULL;
	if (mm)
		mmput(mm);
	return 0;
}

static int proc_pid_stat(struct seq_file *m, const struct proc_ref *ref)
{
	struct proc_task_info ti;
	struct proc_mm_info mi;
	int err = proc_collect_all(ref, &ti, &mi, NULL);

	if (!err)
		show_stat_line(m, &ti, &mi);
	return err;
}

static unsigned long text_pages(const struct proc_mm_info *mi)
{
	return (PAGE_ALIGN(mi->end_code) - (mi->start_code & PAGE_MASK)) >>
	       PAGE_SHIFT;
}

/*
 * size resident shared text lib data dt, in pages (Linux's statm):
 * shared is the resident file and shared memory pages; lib and dt
 * are 0 in Linux too, unused since 2.6.
 */
static int proc_pid_statm(struct seq_file *m, const struct proc_ref *ref)
{
	struct proc_task_info ti;
	struct proc_mm_info mi;
	int err = proc_collect_all(ref, &ti, &mi, NULL);

	if (!err)
		seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", mi.total_vm, mi.rss,
			   mi.file_rss + mi.shmem_rss, text_pages(&mi),
			   mi.data_vm + mi.stack_vm);
	return err;
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

#define PAGES_KB(p) ((p) * (PAGE_SIZE / 1024))

static void show_status_ids(struct seq_file *m, const struct proc_task_info *ti,
			    unsigned int fd_size)
{
	unsigned int i;

	seq_printf(m, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", ti->comm,
		   ti->umask, state_name(ti->state));
	seq_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n", ti->tgid,
		   ti->pid, ti->ppid);
	seq_printf(m, "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\n", ti->uid,
		   ti->euid, ti->suid, ti->fsuid);
	seq_printf(m, "Gid:\t%u\t%u\t%u\t%u\nFDSize:\t%u\nGroups:\t", ti->gid,
		   ti->egid, ti->sgid, ti->fsgid, fd_size);
	for (i = 0; i < ti->ngroups; i++)
		seq_printf(m, i ? " %u" : "%u", ti->groups[i]);
	seq_printf(m, " \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		   ti->tgid, ti->pid, ti->pgrp, ti->session);
}

/*
 * The Vm and Rss lines, in Linux's order, from the mm's counters
 * (<kestrel/mm_types.h>). Linux's lines for what Kestrel cannot have
 * yet are left out: VmPin (no long-term pins), VmLib (no shared
 * libraries), VmSwap (no swap).
 */
static void show_status_mm(struct seq_file *m, const struct proc_mm_info *mi)
{
	seq_printf(m, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\n",
		   PAGES_KB(mi->hiwater_vm), PAGES_KB(mi->total_vm));
	seq_printf(m, "VmLck:\t%8lu kB\n", PAGES_KB(mi->locked_vm));
	seq_printf(m, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n",
		   PAGES_KB(mi->hiwater_rss), PAGES_KB(mi->rss));
	seq_printf(m, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\n",
		   PAGES_KB(mi->anon_rss), PAGES_KB(mi->file_rss));
	seq_printf(m, "RssShmem:\t%8lu kB\n", PAGES_KB(mi->shmem_rss));
	seq_printf(m, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\n",
		   PAGES_KB(mi->data_vm), PAGES_KB(mi->stack_vm));
	seq_printf(m, "VmExe:\t%8lu kB\nVmPTE:\t%8lu kB\n",
		   PAGES_KB(text_pages(mi)), PAGES_KB(mi->nr_ptes));
}

static void show_status_signals(struct seq_file *m,
				const struct proc_task_info *ti)
{
	seq_printf(m, "Threads:\t%d\nSigQ:\t%lu/%lu\n", ti->nr_threads,
		   ti->sigq, ti->sigq_max);
	seq_printf(m, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n", ti->pending,
		   ti->shpending);
	seq_printf(m, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
		   ti->blocked, ti->ignored, ti->caught);
}

static int proc_pid_status(struct seq_file *m, const struct proc_ref *ref)
{
	struct proc_task_info ti;
	struct proc_mm_info mi;
	bool has_mm;
	int err = proc_collect_all(ref, &ti, &mi, &has_mm);

	if (err)
		return err;
	show_status_ids(m, &ti, proc_fd_size(ref->pid));
	if (has_mm)
		show_status_mm(m, &mi);
	show_status_signals(m, &ti);
	seq_printf(m, "voluntary_ctxt_switches:\t%lu\n", ti.nvcsw);
	seq_printf(m, "nonvoluntary_ctxt_switches:\t%lu\n", ti.nivcsw);
	return 0;
}

static int proc_pid_comm(struct seq_file *m, const struct proc_ref *ref)
{
	struct proc_task_info ti;
	int err = proc_collect(ref, &ti, NULL);

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

/* Which strings of the process's stack cmdline and environ show. */
enum mm_strings { MM_ARGV, MM_ENVP };

static int proc_pid_mm_strings(struct seq_file *m, const struct proc_ref *ref,
			       enum mm_strings which)
{
	struct proc_task_info ti;
	struct proc_mm_info mi;
	struct mm_struct *mm = NULL;
	int err = proc_collect(ref, &ti, &mm);

	if (err || !mm)
		return err; /* a kernel thread or zombie: empty */
	collect_mm(mm, &mi);
	if (which == MM_ENVP)
		err = show_mm_range(m, mm, mi.env_start, mi.env_end);
	else
		err = show_mm_range(m, mm, mi.arg_start, mi.arg_end);
	mmput(mm);
	return err;
}

static int proc_pid_cmdline(struct seq_file *m, const struct proc_ref *ref)
{
	return proc_pid_mm_strings(m, ref, MM_ARGV);
}

static int proc_pid_environ(struct seq_file *m, const struct proc_ref *ref)
{
	return proc_pid_mm_strings(m, ref, MM_ENVP);
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

/* A file mapping's name: the file's path, as the reader sees it. */
static void show_map_file(struct seq_file *m, struct file *file)
{
	char *buf = (char *)__get_free_page(GFP_KERNEL);
	struct path root;
	char *name;

	if (!buf)
		return;
	reader_root(&root);
	name = d_path(&file->f_path, &root, buf, PAGE_SIZE);
	path_put(&root);
	if (!IS_ERR(name))
		seq_puts(m, name);
	free_page((unsigned long)buf);
}

/* The name of a mapping: its file, or for anonymous memory the heap
 * and the stack. */
static void show_map_name(struct seq_file *m, struct mm_struct *mm,
			  struct vm_area_struct *vma)
{
	if (vma->vm_file)
		show_map_file(m, vma->vm_file);
	else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		seq_puts(m, "[heap]");
	else if (vma->vm_start <= mm->start_stack &&
		 vma->vm_end >= mm->start_stack)
		seq_puts(m, "[stack]");
}

static void show_map_vma(struct seq_file *m, struct mm_struct *mm,
			 struct vm_area_struct *vma)
{
	unsigned long flags = vma->vm_flags, ino = 0;
	size_t line_start = m->count, mark;
	unsigned long long offset = 0;
	dev_t dev = 0;

	/* Anonymous memory: offset, device and inode are 0, as in Linux. */
	if (vma->vm_file) {
		struct inode *inode = file_inode(vma->vm_file);

		offset = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
		dev = inode->i_sb->s_dev;
		ino = inode->i_ino;
	}
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu",
		   vma->vm_start, vma->vm_end, flags & VM_READ ? 'r' : '-',
		   flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
		   flags & VM_MAYSHARE ? 's' : 'p', offset, MAJOR(dev),
		   MINOR(dev), ino);
	seq_putc(m, ' ');
	mark = m->count;
	show_map_name(m, mm, vma);
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

static int proc_pid_maps(struct seq_file *m, const struct proc_ref *ref)
{
	struct proc_task_info ti;
	struct mm_struct *mm = NULL;
	struct vm_area_struct *vma;
	int err = proc_collect(ref, &ti, &mm);

	if (err || !mm)
		return err;
	mutex_lock(&mm->mmap_lock);
	for (vma = find_vma(mm, 0); vma && !m->overflow;
	     vma = vma_next(mm, vma))
		show_map_vma(m, mm, vma);
	mutex_unlock(&mm->mmap_lock);
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

/*
 * The open file behind descriptor @fd of @pid, with a reference, and
 * (when @cloexec) its close-on-exec bit, read under the same locks:
 * task->files is only stable while tasklist_lock is held.
 */
static struct file *proc_get_file(int pid, int fd, bool *cloexec)
{
	struct file *file = NULL;
	struct fdtable *fdt;
	struct task *task;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && task->files && fd >= 0) {
		spin_lock(&task->files->file_lock);
		fdt = task->files->fdt;
		if ((unsigned int)fd < fdt->max_fds && fdt->fd[fd]) {
			file = get_file(fdt->fd[fd]);
			if (cloexec)
				*cloexec = close_on_exec(fd, fdt);
		}
		spin_unlock(&task->files->file_lock);
	}
	spin_unlock(&tasklist_lock);
	return file;
}

bool proc_fd_exists(int pid, int fd)
{
	struct file *file = proc_get_file(pid, fd, NULL);

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

static int proc_fd_link(const struct proc_ref *ref, char *buf, int buflen)
{
	struct file *file = proc_get_file(ref->pid, ref->fd, NULL);
	int err;

	if (!file)
		return -ENOENT;
	err = path_to_buf(&file->f_path, buf, buflen);
	fput(file);
	return err;
}

/* fdinfo/N: the position, the open flags (octal) and the mount. */
static int proc_fdinfo_show(struct seq_file *m, const struct proc_ref *ref)
{
	bool cloexec = false;
	struct file *file = proc_get_file(ref->pid, ref->fd, &cloexec);
	unsigned int flags;

	if (!file)
		return -ENOENT;
	spin_lock(&file->f_lock);
	flags = file->f_flags;
	spin_unlock(&file->f_lock);
	if (cloexec)
		flags |= O_CLOEXEC;
	seq_printf(m, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n",
		   (long long)file->f_pos, flags, proc_mnt_id(file->f_path.mnt),
		   file_inode(file)->i_ino);
	if (file->f_op->show_fdinfo)
		file->f_op->show_fdinfo(m, file);
	fput(file);
	return 0;
}

/* The executable: the file exec recorded in the address space. */
static int proc_exe_link(const struct proc_ref *ref, char *buf, int buflen)
{
	struct proc_task_info ti;
	struct mm_struct *mm = NULL;
	int err = proc_collect(ref, &ti, &mm);

	if (err)
		return err;
	err = mm && mm->exe_file ?
		      path_to_buf(&mm->exe_file->f_path, buf, buflen) :
		      -ENOENT;
	if (mm)
		mmput(mm);
	return err;
}

/* The two directories of a task's fs_struct that have a link. */
enum fs_link { FS_LINK_CWD, FS_LINK_ROOT };

/* cwd or root of @pid. */
static int proc_fs_link(int pid, char *buf, int buflen, enum fs_link which)
{
	struct path path = { NULL, NULL };
	struct task *task;
	int err;

	spin_lock(&tasklist_lock);
	task = find_task_by_pid(pid);
	if (task && task->fs) {
		spin_lock(&task->fs->lock);
		path = which == FS_LINK_ROOT ? task->fs->root : task->fs->pwd;
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

static int proc_cwd_link(const struct proc_ref *ref, char *buf, int buflen)
{
	return proc_fs_link(ref->tid ? ref->tid : ref->pid, buf, buflen,
			    FS_LINK_CWD);
}

static int proc_root_link(const struct proc_ref *ref, char *buf, int buflen)
{
	return proc_fs_link(ref->tid ? ref->tid : ref->pid, buf, buflen,
			    FS_LINK_ROOT);
}

int proc_self_link(const struct proc_ref *ref, char *buf, int buflen)
{
	snprintf(buf, buflen, "%d", task_tgid(current));
	return 0;
}

int proc_thread_self_link(const struct proc_ref *ref, char *buf, int buflen)
{
	snprintf(buf, buflen, "%d/task/%d", task_tgid(current), current->pid);
	return 0;
}

const struct proc_entry proc_fd_link_entry = {
	.mode = S_IFLNK | 0500,
	.link = proc_fd_link,
};

const struct proc_entry proc_fdinfo_entry = {
	.mode = S_IFREG | 0444,
	.show = proc_fdinfo_show,
};

const struct proc_entry proc_pid_dir_entry = {
	.mode = S_IFDIR | 0555,
	.kind = PROC_DIR_PID,
};

const struct proc_entry proc_tid_dir_entry = {
	.mode = S_IFDIR | 0555,
	.kind = PROC_DIR_TID,
};

/* The entries of a process and of one of its threads (no task/). */
#define PROC_COMMON_ENTRIES(status_show)                                       \
	{ .name = "cmdline",                                                   \
	  .mode = S_IFREG | 0444,                                              \
	  .show = proc_pid_cmdline },                                          \
		{ .name = "comm",                                              \
		  .mode = S_IFREG | 0444,                                      \
		  .show = proc_pid_comm },                                     \
		{ .name = "cwd",                                               \
		  .mode = S_IFLNK | 0777,                                      \
		  .link = proc_cwd_link },                                     \
		{ .name = "environ",                                           \
		  .mode = S_IFREG | 0400,                                      \
		  .show = proc_pid_environ },                                  \
		{ .name = "exe",                                               \
		  .mode = S_IFLNK | 0777,                                      \
		  .link = proc_exe_link },                                     \
		{ .name = "fd", .mode = S_IFDIR | 0500, .kind = PROC_DIR_FD }, \
		{ .name = "fdinfo",                                            \
		  .mode = S_IFDIR | 0555,                                      \
		  .kind = PROC_DIR_FDINFO },                                   \
		{ .name = "maps",                                              \
		  .mode = S_IFREG | 0444,                                      \
		  .show = proc_pid_maps },                                     \
		{ .name = "mounts",                                            \
		  .mode = S_IFREG | 0444,                                      \
		  .show = proc_mounts_show },                                  \
		{ .name = "root",                                              \
		  .mode = S_IFLNK | 0777,                                      \
		  .link = proc_root_link },                                    \
		{ .name = "stat",                                              \
		  .mode = S_IFREG | 0444,                                      \
		  .show = proc_pid_stat },                                     \
		{ .name = "statm",                                             \
		  .mode = S_IFREG | 0444,                                      \
		  .show = proc_pid_statm },                                    \
	{                                                                      \
		.name = "status", .mode = S_IFREG | 0444, .show = status_show  \
	}

const struct proc_entry proc_pid_entries[] = {
	PROC_COMMON_ENTRIES(proc_pid_status),
	{ .name = "task", .mode = S_IFDIR | 0555, .kind = PROC_DIR_TASK },
	{}
};

const struct proc_entry proc_tid_entries[] = { PROC_COMMON_ENTRIES(
						       proc_pid_status),
					       {} };
