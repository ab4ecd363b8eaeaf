/*
 * procfs: the files about the whole system (/proc/meminfo, stat, uptime,
 * ...), each a show function over what the subsystem in question
 * exports, in Linux's format. The directories of the root (sys/, the
 * processes) and the per-process files are elsewhere (root.c,
 * proc_sysctl.c, base.c).
 */
#include <asm/page.h>
#include <kestrel/pagemap.h>
#include <kestrel/cputime.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/genhd.h>
#include <kestrel/init.h>
#include <kestrel/interrupt.h>
#include <kestrel/ioport.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/mman.h>
#include <kestrel/mmzone.h>
#include <kestrel/pid.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/utsname.h>
#include <kestrel/vmalloc.h>
#include <kestrel/vmstat.h>

#include "internal.h"

#ifndef __VERSION__
#define __VERSION__ "unknown" /* sparse does not define it */
#endif
#define PAGES_TO_KB(p) ((p) * (PAGE_SIZE / 1024))

/* "Name:           1234 kB", Linux's columns. */
static void meminfo_line(struct seq_file *m, const char *name, unsigned long kb)
{
	seq_printf(m, "%s:%*s%8lu kB\n", name, (int)(15 - strlen(name)), "",
		   kb);
}

/*
 * Linux's lines, in Linux's order, each from the kernel's own count
 * (docs/memory.md has the table). Lines for what Kestrel does not have
 * (LRU lists, huge pages) are left out; the few that busybox
 * free and top read stay, at their true value: Buffers (the block devices'
 * page cache), SwapTotal and SwapFree (no swap), SReclaimable (no shrinker).
 */
static int proc_meminfo(struct seq_file *m, const struct proc_ref *ref)
{
	unsigned long shmem = node_page_state(NR_SHMEM);
	unsigned long slab = node_page_state(NR_SLAB_UNRECLAIMABLE);
	unsigned long buffers = nr_blockdev_pages();
	unsigned long cached = node_page_state(NR_FILE_PAGES);

	meminfo_line(m, "MemTotal", PAGES_TO_KB(totalram_pages));
	meminfo_line(m, "MemFree", PAGES_TO_KB(nr_free_pages()));
	meminfo_line(m, "MemAvailable", PAGES_TO_KB(si_mem_available()));
	/* Cached: the page cache but the block devices' pages, and the
	 * shared anonymous pages (Linux keeps them in the cache too). */
	cached = cached > buffers ? cached - buffers : 0;
	cached += shmem > tmpfs_nr_pages() ? shmem - tmpfs_nr_pages() : 0;
	meminfo_line(m, "Buffers", PAGES_TO_KB(buffers));
	meminfo_line(m, "Cached", PAGES_TO_KB(cached));
	meminfo_line(m, "SwapTotal", PAGES_TO_KB(total_swap_pages));
	meminfo_line(m, "SwapFree", PAGES_TO_KB(total_swap_pages));
	meminfo_line(m, "Dirty", PAGES_TO_KB(node_page_state(NR_FILE_DIRTY)));
	meminfo_line(m, "Writeback",
		     PAGES_TO_KB(node_page_state(NR_WRITEBACK)));
	meminfo_line(m, "AnonPages",
		     PAGES_TO_KB(node_page_state(NR_ANON_MAPPED)));
	meminfo_line(m, "Mapped", PAGES_TO_KB(node_page_state(NR_FILE_MAPPED)));
	meminfo_line(m, "Shmem", PAGES_TO_KB(shmem));
	meminfo_line(m, "Slab", PAGES_TO_KB(slab));
	meminfo_line(m, "SReclaimable", 0);
	meminfo_line(m, "SUnreclaim", PAGES_TO_KB(slab));
	meminfo_line(m, "KernelStack", node_page_state(NR_KERNEL_STACK_KB));
	meminfo_line(m, "PageTables",
		     PAGES_TO_KB(node_page_state(NR_PAGETABLE)));
	meminfo_line(m, "CommitLimit", PAGES_TO_KB(vm_commit_limit()));
	meminfo_line(m, "Committed_AS", PAGES_TO_KB(vm_memory_committed()));
	meminfo_line(m, "VmallocTotal", (VMALLOC_END - VMALLOC_START) >> 10);
	meminfo_line(m, "VmallocUsed", PAGES_TO_KB(vmalloc_nr_pages()));
	return 0;
}

/* /proc/vmstat: "name value" per counter, Linux's names, in pages
 * (nr_kernel_stack in kB, as Linux). */
static int proc_vmstat(struct seq_file *m, const struct proc_ref *ref)
{
	unsigned int i;

	seq_printf(m, "nr_free_pages %lu\n", nr_free_pages());
	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", vmstat_text[i], node_page_state(i));
	return 0;
}

/* Sum every task's times, count tasks and find the highest pid. */
static int sum_tasks(u64 *utime, u64 *stime, unsigned long *nr)
{
	struct task *t;
	int last = 0;
	u64 u, s;

	*utime = *stime = 0;
	*nr = 0;
	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &task_list, tasks) {
		task_cputime(t, &u, &s);
		*utime += u;
		*stime += s;
		(*nr)++;
		if (t->pid > last)
			last = t->pid;
	}
	spin_unlock(&tasklist_lock);
	return last;
}

static int proc_stat(struct seq_file *m, const struct proc_ref *ref)
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
			   i ? "cpu0" : "cpu ", nsec_to_clock_t(utime),
			   nsec_to_clock_t(stime), nsec_to_clock_t(idle));
	seq_printf(m, "intr %lu\nctxt %lu\nbtime %lld\n", irqs,
		   nr_context_switches(),
		   ktime_get_real_seconds() - (s64)div_u64(up, NSEC_PER_SEC));
	seq_printf(m, "processes %lu\nprocs_running %lu\nprocs_blocked 0\n", nr,
		   nr_running());
	return 0;
}

static int proc_uptime(struct seq_file *m, const struct proc_ref *ref)
{
	u64 up = ktime_get_ns(), utime, stime, idle;
	unsigned long nr, up_cs, idle_cs;

	sum_tasks(&utime, &stime, &nr);
	idle = up > utime + stime ? up - utime - stime : 0;
	up_cs = nsec_to_clock_t(up);
	idle_cs = nsec_to_clock_t(idle);
	seq_printf(m, "%lu.%02lu %lu.%02lu\n", up_cs / 100, up_cs % 100,
		   idle_cs / 100, idle_cs % 100);
	return 0;
}

/* The integer and hundredths of a fixed-point load (Linux's LOAD_INT). */
#define LOAD_INT(x) ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

/* "0.15 0.07 0.02 2/45 123": the averages (kernel/sched/loadavg.c),
 * runnable/all threads, and the last pid handed out. */
static int proc_loadavg(struct seq_file *m, const struct proc_ref *ref)
{
	unsigned long a[3], nr;
	u64 utime, stime;
	int i;

	sum_tasks(&utime, &stime, &nr);
	for (i = 0; i < 3; i++)
		a[i] = READ_ONCE(avenrun[i]) + FIXED_1 / 200; /* round */
	seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %lu/%lu %d\n",
		   LOAD_INT(a[0]), LOAD_FRAC(a[0]), LOAD_INT(a[1]),
		   LOAD_FRAC(a[1]), LOAD_INT(a[2]), LOAD_FRAC(a[2]),
		   nr_running(), nr, last_pid_allocated());
	return 0;
}

/*
 * Linux's linux_banner: "Linux version <release> (<user>@<host>)
 * (<compiler>) <version>", where the version names Kestrel.
 */
static int proc_version(struct seq_file *m, const struct proc_ref *ref)
{
	char release[__NEW_UTS_LEN + 1];

	uts_get(UTS_OSRELEASE, release, sizeof(release));
	seq_printf(m, "%s version %s (kestrel@kestrel) (gcc version %s) %s\n",
		   UTS_SYSNAME, release, __VERSION__, uts_version);
	return 0;
}

static int proc_cmdline(struct seq_file *m, const struct proc_ref *ref)
{
	seq_printf(m, "%s\n", boot_command_line);
	return 0;
}

static void show_one_fs(const struct file_system_type *type, void *arg)
{
	seq_printf(arg, "%s\t%s\n",
		   type->fs_flags & FS_REQUIRES_DEV ? "" : "nodev", type->name);
}

static int proc_filesystems(struct seq_file *m, const struct proc_ref *ref)
{
	filesystems_for_each(show_one_fs, m);
	return 0;
}

static void show_one_line(const char *line, void *arg)
{
	seq_puts(arg, line);
}

static int proc_interrupts(struct seq_file *m, const struct proc_ref *ref)
{
	show_interrupts(show_one_line, m);
	return 0;
}

/* /proc/iomem, /proc/ioports: addresses only for the administrator. */
static int proc_iomem(struct seq_file *m, const struct proc_ref *ref)
{
	resource_seq_show(m, &iomem_resource, capable(CAP_SYS_ADMIN));
	return 0;
}

static int proc_ioports(struct seq_file *m, const struct proc_ref *ref)
{
	resource_seq_show(m, &ioport_resource, capable(CAP_SYS_ADMIN));
	return 0;
}

static void show_one_chrdev(unsigned int major, const char *name, void *arg)
{
	seq_printf(arg, "%3u %s\n", major, name);
}

static int proc_devices(struct seq_file *m, const struct proc_ref *ref)
{
	seq_puts(m, "Character devices:\n");
	chrdev_for_each(show_one_chrdev, m);
	seq_puts(m, "\nBlock devices:\n");
	blk_show_majors(m);
	return 0;
}

/* /proc/partitions and /proc/diskstats: the block layer's lists. */
static int proc_partitions(struct seq_file *m, const struct proc_ref *ref)
{
	blk_show_partitions(m);
	return 0;
}

static int proc_diskstats(struct seq_file *m, const struct proc_ref *ref)
{
	blk_show_diskstats(m);
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

static int proc_buddyinfo(struct seq_file *m, const struct proc_ref *ref)
{
	return show_flat(m, buddyinfo_show);
}

static int proc_slabinfo(struct seq_file *m, const struct proc_ref *ref)
{
	return show_flat(m, slabinfo_show);
}

/* One line of /proc/mounts, with the mount flags as Linux lists them
 * (its default atime policy, relatime, always). */
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
		seq_printf(m, "%s %s %s %s%s%s%s,relatime 0 0\n",
			   mnt->mnt_devname, name, mnt->mnt_sb->s_type->name,
			   (mnt->mnt_flags & MNT_READONLY) ||
					   (mnt->mnt_sb->s_flags & SB_RDONLY) ?
				   "ro" :
				   "rw",
			   mnt->mnt_flags & MNT_NOSUID ? ",nosuid" : "",
			   mnt->mnt_flags & MNT_NODEV ? ",nodev" : "",
			   mnt->mnt_flags & MNT_NOEXEC ? ",noexec" : "");
	kfree(buf);
}

int proc_mounts_show(struct seq_file *m, const struct proc_ref *ref)
{
	mounts_for_each(show_one_mount, m);
	return 0;
}

struct mnt_id_search {
	const struct vfsmount *mnt;
	int index, found;
};

static void count_one_mount(struct vfsmount *mnt, void *arg)
{
	struct mnt_id_search *s = arg;

	s->index++;
	if (mnt == s->mnt)
		s->found = s->index;
}

int proc_mnt_id(const struct vfsmount *mnt)
{
	struct mnt_id_search s = { .mnt = mnt };

	mounts_for_each(count_one_mount, &s);
	return s.found;
}

/* /proc/mounts is a link to self/mounts, as on Linux. */
static int proc_mounts_link(const struct proc_ref *ref, char *buf, int buflen)
{
	return strlcpy(buf, "self/mounts", buflen) >= (size_t)buflen ?
		       -ENAMETOOLONG :
		       0;
}

/*
 * /proc/bus/: one directory per bus whose core registered files
 * (proc_bus_register), e.g. the PCI core's pci/devices. Filled at boot,
 * read-only afterwards; each table ends with an empty entry.
 */
#define PROC_BUS_MAX 4

typedef void (*proc_bus_show_t)(struct seq_file *m);

static struct proc_entry proc_bus_entries[PROC_BUS_MAX + 1];
static struct proc_entry proc_bus_files[PROC_BUS_MAX][PROC_BUS_MAX + 1];
static proc_bus_show_t proc_bus_shows[PROC_BUS_MAX][PROC_BUS_MAX];

/* A /proc/bus file: its entry's data is its slot in proc_bus_shows. */
static int proc_bus_show(struct seq_file *m, const struct proc_ref *ref)
{
	const proc_bus_show_t *show = ref->data;

	(*show)(m);
	return 0;
}

/* The directory of @bus: found, or made in a free slot; -1 if full. */
static int proc_bus_dir(const char *bus)
{
	int i;

	for (i = 0; i < PROC_BUS_MAX && proc_bus_entries[i].name; i++)
		if (!strcmp(proc_bus_entries[i].name, bus))
			return i;
	if (i == PROC_BUS_MAX)
		return -1;
	proc_bus_entries[i] = (struct proc_entry){
		.name = bus,
		.mode = S_IFDIR | 0555,
		.kind = PROC_DIR_TABLE,
		.children = proc_bus_files[i],
	};
	return i;
}

int proc_bus_register(const char *bus, const char *name,
		      void (*show)(struct seq_file *m))
{
	int d = proc_bus_dir(bus), f;

	if (d < 0)
		return -ENOSPC;
	for (f = 0; f < PROC_BUS_MAX && proc_bus_files[d][f].name; f++)
		;
	if (f == PROC_BUS_MAX)
		return -ENOSPC;
	proc_bus_shows[d][f] = show;
	proc_bus_files[d][f] = (struct proc_entry){
		.name = name,
		.mode = S_IFREG | 0444,
		.show = proc_bus_show,
		.data = &proc_bus_shows[d][f],
	};
	return 0;
}

const struct proc_entry proc_root_entries[] = {
	{ .name = "buddyinfo", .mode = S_IFREG | 0444, .show = proc_buddyinfo },
	{ .name = "bus",
	  .mode = S_IFDIR | 0555,
	  .kind = PROC_DIR_TABLE,
	  .children = proc_bus_entries },
	{ .name = "cmdline", .mode = S_IFREG | 0444, .show = proc_cmdline },
	{ .name = "cpuinfo", .mode = S_IFREG | 0444, .show = proc_cpuinfo },
	{ .name = "devices", .mode = S_IFREG | 0444, .show = proc_devices },
	{ .name = "diskstats", .mode = S_IFREG | 0444, .show = proc_diskstats },
	{ .name = "filesystems",
	  .mode = S_IFREG | 0444,
	  .show = proc_filesystems },
	{ .name = "interrupts",
	  .mode = S_IFREG | 0444,
	  .show = proc_interrupts },
	{ .name = "iomem", .mode = S_IFREG | 0444, .show = proc_iomem },
	{ .name = "ioports", .mode = S_IFREG | 0444, .show = proc_ioports },
	{ .name = "loadavg", .mode = S_IFREG | 0444, .show = proc_loadavg },
	{ .name = "meminfo", .mode = S_IFREG | 0444, .show = proc_meminfo },
	{ .name = "kmsg",
	  .mode = S_IFREG | 0400,
	  .fops = &proc_kmsg_operations },
	{ .name = "mounts", .mode = S_IFLNK | 0777, .link = proc_mounts_link },
	{ .name = "partitions",
	  .mode = S_IFREG | 0444,
	  .show = proc_partitions },
	{ .name = "self", .mode = S_IFLNK | 0777, .link = proc_self_link },
	{ .name = "slabinfo", .mode = S_IFREG | 0400, .show = proc_slabinfo },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = proc_stat },
	{ .name = "sys", .mode = S_IFDIR | 0555, .kind = PROC_DIR_SYS },
	{ .name = "thread-self",
	  .mode = S_IFLNK | 0777,
	  .link = proc_thread_self_link },
	{ .name = "uptime", .mode = S_IFREG | 0444, .show = proc_uptime },
	{ .name = "version", .mode = S_IFREG | 0444, .show = proc_version },
	{ .name = "vmstat", .mode = S_IFREG | 0444, .show = proc_vmstat },
	{}
};
