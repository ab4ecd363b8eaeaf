/*
 * sysctl: the table of tunables under /proc/sys and the handlers that
 * turn each one into text and back.
 *
 * The tree is const: a directory is an entry with ->child, a file an
 * entry with ->data and a handler. fs/proc/proc_sysctl.c walks it and
 * calls the handlers with kernel buffers. The handlers follow Linux's
 * "strict" write rules (sysctl_writes_strict = 1):
 *
 *   - a string written at position 0 replaces the value; written at a
 *     later position it continues the value from there (a writer may
 *     split its write), and past the end of the value it is ignored;
 *   - numbers must be written at position 0 in one write; a write at
 *     another position is ignored (but reported as written);
 *   - a number that does not parse, or is out of the entry's range,
 *     fails the whole write with EINVAL and changes nothing.
 *
 * Each int is read and written with one access (READ_ONCE/WRITE_ONCE),
 * so no lock is needed for them; the host and domain names have their
 * own lock (kernel/sys.c, uts_get/uts_set), the uevent helper's
 * path is guarded by uevent_sock_mutex (lib/kobject_uevent.c) and the
 * core dump settings by core_pattern_mutex (fs/coredump.c).
 */
#include <kestrel/aio.h>
#include <kestrel/console.h>
#include <kestrel/coredump.h>
#include <kestrel/errno.h>
#include <kestrel/kobject.h>
#include <kestrel/kstrtox.h>
#include <kestrel/mman.h>
#include <kestrel/mmzone.h>
#include <kestrel/mutex.h>
#include <kestrel/pid.h>
#include <kestrel/string.h>
#include <kestrel/sysctl.h>
#include <kestrel/utsname.h>
#include <kestrel/writeback.h>

#define SYSCTL_INT_MAX_TEXT 12 /* "-2147483648" and a separator */
#define SYSCTL_MAX_INTS 8 /* the longest int vector we keep */
/* setup_per_zone_pages_min() clamps min_free_kbytes here (Linux 2.6). */
#define SYSCTL_MIN_FREE_KBYTES_MAX 65536

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* ---- strings ------------------------------------------------------------ */

/* Apply a write of @len bytes at @pos to the string @data (@maxlen). */
static void string_write(char *data, int maxlen, const char *buf, size_t len,
			 loff_t pos)
{
	size_t end = strnlen(data, maxlen - 1), i;

	if (pos > (loff_t)end)
		return; /* past the end: ignored, as Linux does */
	end = (size_t)pos;
	for (i = 0; i < len && end < (size_t)maxlen - 1; i++) {
		if (buf[i] == '\0' || buf[i] == '\n')
			break;
		data[end++] = buf[i];
	}
	data[end] = '\0';
}

int proc_dostring(const struct ctl_table *table, enum sysctl_dir dir, char *buf,
		  size_t *lenp, loff_t pos)
{
	char *data = table->data;

	if (dir == SYSCTL_READ) {
		*lenp = scnprintf(buf, *lenp, "%s\n", data);
		return 0;
	}
	string_write(data, table->maxlen, buf, *lenp, pos);
	return 0;
}

/*
 * The host and domain names and the release: ->data holds the enum
 * uts_name. The value is edited in a copy, so a reader never sees half
 * a name.
 */
static int proc_douts_string(const struct ctl_table *table, enum sysctl_dir dir,
			     char *buf, size_t *lenp, loff_t pos)
{
	enum uts_name which = (enum uts_name)(uintptr_t)table->data;
	char name[__NEW_UTS_LEN + 1];

	uts_get(which, name, sizeof(name));
	if (dir == SYSCTL_READ) {
		*lenp = scnprintf(buf, *lenp, "%s\n", name);
		return 0;
	}
	string_write(name, sizeof(name), buf, *lenp, pos);
	return uts_set(which, name, strlen(name));
}

/*
 * kernel.hotplug, the uevent helper's path: the same string as
 * /sys/kernel/uevent_helper, so it is read and edited under
 * uevent_sock_mutex, which the event path holds while it runs the
 * helper (lib/kobject_uevent.c). May sleep.
 */
static int proc_douevent_helper(const struct ctl_table *table,
				enum sysctl_dir dir, char *buf, size_t *lenp,
				loff_t pos)
{
	int ret;

	mutex_lock(&uevent_sock_mutex);
	ret = proc_dostring(table, dir, buf, lenp, pos);
	mutex_unlock(&uevent_sock_mutex);
	return ret;
}

/* ---- integers ----------------------------------------------------------- */

/*
 * Parse one decimal int at *@s (before @end), up to the next blank:
 * kstrtoint() on a NUL-terminated copy of the word. 0, or -EINVAL
 * ("12abc", out of range, longer than any int).
 */
static int parse_int(const char **s, const char *end, int *out)
{
	char word[SYSCTL_INT_MAX_TEXT];
	const char *p = *s;
	size_t len = 0;

	while (p + len < end && !is_space(p[len])) {
		if (len == sizeof(word) - 1)
			return -EINVAL;
		word[len] = p[len];
		len++;
	}
	word[len] = '\0';
	if (!len || word[0] == '+' || kstrtoint(word, 10, out))
		return -EINVAL;
	*s = p + len;
	return 0;
}

/* Parse up to @max ints from @buf; returns how many, or -EINVAL. */
static int parse_int_vector(const char *buf, size_t len, int *vals, int max)
{
	const char *p = buf, *end = buf + len;
	int n = 0, err;

	while (n < max) {
		while (p < end && is_space(*p))
			p++;
		if (p == end || *p == '\0')
			break;
		err = parse_int(&p, end, &vals[n]);
		if (err)
			return err;
		n++;
	}
	return n ? n : -EINVAL;
}

static int int_vector_show(const struct ctl_table *table, char *buf,
			   size_t *lenp)
{
	const int *data = table->data;
	int i, n = table->maxlen / (int)sizeof(int);
	size_t used = 0;

	for (i = 0; i < n; i++)
		used += scnprintf(buf + used, *lenp - used, "%s%d",
				  i ? "\t" : "", READ_ONCE(data[i]));
	used += scnprintf(buf + used, *lenp - used, "\n");
	*lenp = used;
	return 0;
}

/* Whether a write is held to the table's extra1..extra2 bounds. */
enum int_bounds { INT_ANY, INT_MINMAX };

static int do_int_vector(const struct ctl_table *table, enum sysctl_dir dir,
			 char *buf, size_t *lenp, loff_t pos,
			 enum int_bounds bounds)
{
	int vals[SYSCTL_MAX_INTS], n, i, max = table->maxlen / (int)sizeof(int);
	int *data = table->data;

	if (dir == SYSCTL_READ)
		return int_vector_show(table, buf, lenp);
	if (pos)
		return 0; /* numbers are written whole, at 0: this is ignored */
	if (max > SYSCTL_MAX_INTS)
		max = SYSCTL_MAX_INTS;
	n = parse_int_vector(buf, *lenp, vals, max);
	if (n < 0)
		return n;
	for (i = 0; bounds == INT_MINMAX && i < n; i++)
		if ((table->extra1 && vals[i] < *table->extra1) ||
		    (table->extra2 && vals[i] > *table->extra2))
			return -EINVAL;
	for (i = 0; i < n; i++)
		WRITE_ONCE(data[i], vals[i]);
	return 0;
}

int proc_dointvec(const struct ctl_table *table, enum sysctl_dir dir, char *buf,
		  size_t *lenp, loff_t pos)
{
	return do_int_vector(table, dir, buf, lenp, pos, INT_ANY);
}

int proc_dointvec_minmax(const struct ctl_table *table, enum sysctl_dir dir,
			 char *buf, size_t *lenp, loff_t pos)
{
	return do_int_vector(table, dir, buf, lenp, pos, INT_MINMAX);
}

/* ---- core dumps ---------------------------------------------------------- */

/*
 * kernel.core_pattern and kernel.core_uses_pid: the core dumper
 * (fs/coredump.c) reads them under core_pattern_mutex, which these
 * handlers take too, so a dump never sees half a pattern. May sleep.
 */
static int proc_docore_pattern(const struct ctl_table *table,
			       enum sysctl_dir dir, char *buf, size_t *lenp,
			       loff_t pos)
{
	int ret;

	mutex_lock(&core_pattern_mutex);
	ret = proc_dostring(table, dir, buf, lenp, pos);
	mutex_unlock(&core_pattern_mutex);
	return ret;
}

static int proc_docore_uses_pid(const struct ctl_table *table,
				enum sysctl_dir dir, char *buf, size_t *lenp,
				loff_t pos)
{
	int ret;

	mutex_lock(&core_pattern_mutex);
	ret = proc_dointvec(table, dir, buf, lenp, pos);
	mutex_unlock(&core_pattern_mutex);
	return ret;
}

/* ---- the tables --------------------------------------------------------- */

static char sysctl_ostype[] = UTS_SYSNAME;
static int sysctl_pid_max = PID_MAX_DEFAULT;
static const int zero;
static const int min_free_kbytes_max = SYSCTL_MIN_FREE_KBYTES_MAX;

static void min_free_kbytes_changed(const struct ctl_table *table)
{
	setup_per_zone_pages_min();
}

static const int overcommit_max = OVERCOMMIT_NEVER;

/* CommitLimit comes from the ratio or the kbytes: writing one clears the
 * other (Linux's overcommit_ratio_handler/overcommit_kbytes_handler). */
static void overcommit_ratio_changed(const struct ctl_table *table)
{
	WRITE_ONCE(sysctl_overcommit_kbytes, 0);
}

static void overcommit_kbytes_changed(const struct ctl_table *table)
{
	WRITE_ONCE(sysctl_overcommit_ratio, 0);
}

static const struct ctl_table kernel_table[] = {
	{ .procname = "core_pattern",
	  .data = core_pattern,
	  .maxlen = CORENAME_MAX_SIZE,
	  .mode = 0644,
	  .proc_handler = proc_docore_pattern },
	{ .procname = "core_uses_pid",
	  .data = &core_uses_pid,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_docore_uses_pid },
	{ .procname = "domainname",
	  .data = (void *)UTS_DOMAINNAME,
	  .maxlen = __NEW_UTS_LEN + 1,
	  .mode = 0644,
	  .proc_handler = proc_douts_string },
	{ .procname = "hotplug", /* the uevent helper, lib/kobject_uevent.c */
	  .data = uevent_helper,
	  .maxlen = UEVENT_HELPER_PATH_LEN,
	  .mode = 0644,
	  .proc_handler = proc_douevent_helper },
	{ .procname = "hostname",
	  .data = (void *)UTS_NODENAME,
	  .maxlen = __NEW_UTS_LEN + 1,
	  .mode = 0644,
	  .proc_handler = proc_douts_string },
	/* Writable (Linux's is not): root's way to change uname -r. */
	{ .procname = "osrelease",
	  .data = (void *)UTS_OSRELEASE,
	  .maxlen = __NEW_UTS_LEN + 1,
	  .mode = 0644,
	  .proc_handler = proc_douts_string },
	{ .procname = "ostype",
	  .data = sysctl_ostype,
	  .maxlen = sizeof(sysctl_ostype),
	  .mode = 0444,
	  .proc_handler = proc_dostring },
	{ .procname = "pid_max",
	  .data = &sysctl_pid_max,
	  .maxlen = sizeof(int),
	  .mode = 0444,
	  .proc_handler = proc_dointvec },
	{ .procname = "printk",
	  .data = console_printk,
	  .maxlen = sizeof(console_printk),
	  .mode = 0644,
	  .proc_handler = proc_dointvec },
	{ .procname = "version",
	  .data = (void *)uts_version,
	  .maxlen = __NEW_UTS_LEN + 1,
	  .mode = 0444,
	  .proc_handler = proc_dostring },
	{}
};

/* The write-back tunables' bounds (Linux's): a _bytes limit of at least
 * two pages, ratios in percent, drop_caches 1 to 4. */
static const int one = 1;
static const int one_hundred = 100;
static const int dirty_bytes_min = 2 * PAGE_SIZE;
static const int drop_caches_max = 4;

static const struct ctl_table vm_table[] = {
	{ .procname = "admin_reserve_kbytes",
	  .data = &sysctl_admin_reserve_kbytes,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero },
	{ .procname = "dirty_background_bytes",
	  .data = &dirty_background_bytes,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &one,
	  .changed = dirty_background_bytes_changed },
	{ .procname = "dirty_background_ratio",
	  .data = &dirty_background_ratio,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero,
	  .extra2 = &one_hundred,
	  .changed = dirty_background_ratio_changed },
	{ .procname = "dirty_bytes",
	  .data = &vm_dirty_bytes,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &dirty_bytes_min,
	  .changed = dirty_bytes_changed },
	{ .procname = "dirty_expire_centisecs",
	  .data = &dirty_expire_interval,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero },
	{ .procname = "dirty_ratio",
	  .data = &vm_dirty_ratio,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero,
	  .extra2 = &one_hundred,
	  .changed = dirty_ratio_changed },
	{ .procname = "dirty_writeback_centisecs",
	  .data = &dirty_writeback_interval,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero,
	  .changed = dirty_writeback_interval_changed },
	{ .procname = "drop_caches",
	  .data = &sysctl_drop_caches,
	  .maxlen = sizeof(int),
	  .mode = 0200,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &one,
	  .extra2 = &drop_caches_max,
	  .changed = drop_caches_changed },
	{ .procname = "min_free_kbytes",
	  .data = &min_free_kbytes,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero,
	  .extra2 = &min_free_kbytes_max,
	  .changed = min_free_kbytes_changed },
	{ .procname = "overcommit_kbytes",
	  .data = &sysctl_overcommit_kbytes,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero,
	  .changed = overcommit_kbytes_changed },
	{ .procname = "overcommit_memory",
	  .data = &sysctl_overcommit_memory,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero,
	  .extra2 = &overcommit_max },
	{ .procname = "overcommit_ratio",
	  .data = &sysctl_overcommit_ratio,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec,
	  .changed = overcommit_ratio_changed },
	{ .procname = "user_reserve_kbytes",
	  .data = &sysctl_user_reserve_kbytes,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero },
	{}
};

/* fs/: the AIO event slots of all contexts and their ceiling. */
static const struct ctl_table fs_table[] = {
	{ .procname = "aio-max-nr",
	  .data = &aio_max_nr,
	  .maxlen = sizeof(int),
	  .mode = 0644,
	  .proc_handler = proc_dointvec_minmax,
	  .extra1 = &zero },
	{ .procname = "aio-nr",
	  .data = &aio_nr,
	  .maxlen = sizeof(int),
	  .mode = 0444,
	  .proc_handler = proc_dointvec },
	{} /* the end */
};

const struct ctl_table sysctl_root_table[] = {
	{ .procname = "fs", .mode = 0555, .child = fs_table },
	{ .procname = "kernel", .mode = 0555, .child = kernel_table },
	{ .procname = "vm", .mode = 0555, .child = vm_table },
	{}
};
