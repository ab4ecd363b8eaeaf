/*
 * procfs: the files about the whole system (/proc/meminfo, stat, uptime,
 * ...), each a show function over what the subsystem in question
 * exports, in Linux's format. /proc/loadavg shows zeros for the three
 * averages: a real load average is a later item.
 */
#include <asm/page.h>
#include <kestrel/fs.h>
#include <kestrel/init.h>
#include <kestrel/interrupt.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/mmzone.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/time.h>

#include "internal.h"

#define NSEC_PER_USER_HZ 10000000U /* USER_HZ = 100 */
#ifndef __VERSION__
#define __VERSION__ "unknown" /* sparse does not define it */
#endif
#define PAGES_TO_KB(p) ((p) * (PAGE_SIZE / 1024))

static int proc_meminfo(struct seq_file *m, int pid)
{
	unsigned long total = totalram_pages, free = nr_free_pages();

	seq_printf(m, "MemTotal:       %8lu kB\n", PAGES_TO_KB(total));
	seq_printf(m, "MemFree:        %8lu kB\n", PAGES_TO_KB(free));
	seq_printf(m, "MemAvailable:   %8lu kB\n", PAGES_TO_KB(free));
	seq_printf(m, "Buffers:        %8lu kB\n", 0UL);
	seq_printf(m, "Cached:         %8lu kB\n", 0UL);
	seq_printf(m, "SwapCached:     %8lu kB\n", 0UL);
	seq_printf(m, "SwapTotal:      %8lu kB\n", 0UL);
	seq_printf(m, "SwapFree:       %8lu kB\n", 0UL);
	seq_printf(m, "Shmem:          %8lu kB\n", 0UL);
	return 0;
}

/* Sum every task's times, count tasks and find the highest pid. */
static int sum_tasks(u64 *utime, u64 *stime, unsigned long *nr)
{
	struct task *t;
	int last = 0;

	*utime = *stime = 0;
	*nr = 0;
	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &task_list, tasks) {
		*utime += t->utime;
		*stime += t->stime;
		(*nr)++;
		if (t->pid > last)
			last = t->pid;
	}
	spin_unlock(&tasklist_lock);
	return last;
}

static unsigned long to_clock_t(u64 ns)
{
	return (unsigned long)div_u64(ns, NSEC_PER_USER_HZ);
}

static int proc_stat(struct seq_file *m, int pid)
{
	u64 utime, stime, up = ktime_get_ns(), idle;
	unsigned long nr, irqs = 0;
	unsigned int i;

	sum_tasks(&utime, &stime, &nr);
	idle = up > utime + stime ? up - utime - stime : 0;
	for (i = 0; i < NR_IRQS; i++)
		irqs += kstat_irqs(i);
	for (i = 0; i < 2; i++)
		seq_printf(m, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n",
			   i ? "cpu0" : "cpu ", to_clock_t(utime),
			   to_clock_t(stime), to_clock_t(idle));
	seq_printf(m, "intr %lu\nctxt %lu\nbtime %lld\n", irqs,
		   nr_context_switches(),
		   ktime_get_real_seconds() - (s64)div_u64(up, NSEC_PER_SEC));
	seq_printf(m, "processes %lu\nprocs_running %lu\nprocs_blocked 0\n", nr,
		   nr_running());
	return 0;
}

static int proc_uptime(struct seq_file *m, int pid)
{
	u64 up = ktime_get_ns(), utime, stime, idle;
	unsigned long nr, up_cs, idle_cs;

	sum_tasks(&utime, &stime, &nr);
	idle = up > utime + stime ? up - utime - stime : 0;
	up_cs = to_clock_t(up);
	idle_cs = to_clock_t(idle);
	seq_printf(m, "%lu.%02lu %lu.%02lu\n", up_cs / 100, up_cs % 100,
		   idle_cs / 100, idle_cs % 100);
	return 0;
}

static int proc_loadavg(struct seq_file *m, int pid)
{
	u64 utime, stime;
	unsigned long nr;

	int last = sum_tasks(&utime, &stime, &nr);

	seq_printf(m, "0.00 0.00 0.00 %lu/%lu %d\n", nr_running(), nr, last);
	return 0;
}

static int proc_version(struct seq_file *m, int pid)
{
	seq_printf(m, "Kestrel version %s (gcc version %s) #1 %s %s\n",
		   KESTREL_VERSION, __VERSION__, __DATE__, __TIME__);
	return 0;
}

static int proc_cmdline(struct seq_file *m, int pid)
{
	seq_printf(m, "%s\n", boot_command_line);
	return 0;
}

static void show_one_fs(const struct file_system_type *type, void *arg)
{
	seq_printf(arg, "%s\t%s\n",
		   type->fs_flags & FS_REQUIRES_DEV ? "" : "nodev", type->name);
}

static int proc_filesystems(struct seq_file *m, int pid)
{
	filesystems_for_each(show_one_fs, m);
	return 0;
}

static void show_one_line(const char *line, void *arg)
{
	seq_puts(arg, line);
}

static int proc_interrupts(struct seq_file *m, int pid)
{
	show_interrupts(show_one_line, m);
	return 0;
}

static void show_one_chrdev(unsigned int major, const char *name, void *arg)
{
	seq_printf(arg, "%3u %s\n", major, name);
}

static int proc_devices(struct seq_file *m, int pid)
{
	seq_puts(m, "Character devices:\n");
	chrdev_for_each(show_one_chrdev, m);
	return 0;
}

/* A formatter into a flat buffer (buddyinfo_show, slabinfo_show). */
static int show_flat(struct seq_file *m, int (*fn)(char *buf, size_t size))
{
	size_t room = m->size - m->count;
	int len = fn(m->buf + m->count, room);

	if (len < 0)
		return len;
	if ((size_t)len + 1 >= room)
		m->overflow = true; /* may have been cut: retry bigger */
	else
		m->count += len;
	return 0;
}

static int proc_buddyinfo(struct seq_file *m, int pid)
{
	return show_flat(m, buddyinfo_show);
}

static int proc_slabinfo(struct seq_file *m, int pid)
{
	return show_flat(m, slabinfo_show);
}

static void show_one_mount(struct vfsmount *mnt, void *arg)
{
	struct seq_file *m = arg;
	struct path path = { .mnt = mnt, .dentry = mnt->mnt_root }, root;
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL), *name;

	if (!buf) {
		m->overflow = true;
		return;
	}
	root.mnt = mnt;
	while (root.mnt->mnt_parent != root.mnt)
		root.mnt = root.mnt->mnt_parent;
	root.dentry = root.mnt->mnt_root;
	name = d_path(&path, &root, buf, PATH_MAX);
	if (!IS_ERR(name))
		seq_printf(m, "%s %s %s %s 0 0\n", mnt->mnt_devname, name,
			   mnt->mnt_sb->s_type->name,
			   (mnt->mnt_flags & MNT_READONLY) ||
					   (mnt->mnt_sb->s_flags & SB_RDONLY) ?
				   "ro" :
				   "rw");
	kfree(buf);
}

static int proc_mounts(struct seq_file *m, int pid)
{
	mounts_for_each(show_one_mount, m);
	return 0;
}

const struct proc_entry proc_root_entries[] = {
	{ .name = "buddyinfo", .mode = S_IFREG | 0444, .show = proc_buddyinfo },
	{ .name = "cmdline", .mode = S_IFREG | 0444, .show = proc_cmdline },
	{ .name = "devices", .mode = S_IFREG | 0444, .show = proc_devices },
	{ .name = "filesystems",
	  .mode = S_IFREG | 0444,
	  .show = proc_filesystems },
	{ .name = "interrupts",
	  .mode = S_IFREG | 0444,
	  .show = proc_interrupts },
	{ .name = "loadavg", .mode = S_IFREG | 0444, .show = proc_loadavg },
	{ .name = "meminfo", .mode = S_IFREG | 0444, .show = proc_meminfo },
	{ .name = "mounts", .mode = S_IFREG | 0444, .show = proc_mounts },
	{ .name = "self", .mode = S_IFLNK | 0777, .link = proc_self_link },
	{ .name = "slabinfo", .mode = S_IFREG | 0400, .show = proc_slabinfo },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = proc_stat },
	{ .name = "uptime", .mode = S_IFREG | 0444, .show = proc_uptime },
	{ .name = "version", .mode = S_IFREG | 0444, .show = proc_version },
	{}
};
