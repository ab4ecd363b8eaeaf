/*
 * The /sys layout, checked file by file against what the kernel reports
 * elsewhere (docs/device-model.md, docs/device-tools.md):
 *
 *  - /sys is a sysfs (statfs magic), with Linux's top-level directories,
 *    /sys/devices/{system,virtual} and /sys/kernel/{uevent_seqnum,
 *    uevent_helper};
 *  - every PCI device of /sys/bus/pci/devices links into
 *    /sys/devices/pci0000:00, and its ids, class, revision and irq agree
 *    with /proc/bus/pci/devices and with its own "config" bytes; its
 *    "resource" is in Linux's format; QEMU's pc devices are all there;
 *  - every device of /sys/class/ANY and /sys/bus/ANY/devices resolves,
 *    its "subsystem" link points into /sys/bus or /sys/class, its
 *    "uevent" reads as KEY=VALUE lines with MAJOR/MINOR matching "dev",
 *    and every "dev" is the target of /sys/dev/{char,block}/MAJ:MIN and
 *    the st_rdev of /dev/DEVNAME;
 *  - attribute semantics: one value and a newline, EACCES for a write to
 *    a read-only attribute (root too), EINVAL for a bad uevent action,
 *    poll(), an owner set by chown that lasts after the file is closed;
 *  - binding and unbinding the edu PCI driver through sysfs, with the
 *    bind/unbind uevents (SKIPped where the kernel has no edu driver:
 *    Linux).
 *
 * Needs root. Passes on Linux (in QEMU with -device edu for the QEMU
 * cases; elsewhere those SKIP) and must on Kestrel.
 */
#include "ktap.h"
#include "fileio.h"
#include "util.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define PCI_DEVICES "/sys/bus/pci/devices"
#define PCI_ROOT "/sys/devices/pci0000:00/"
#define EDU_DRIVER "/sys/bus/pci/drivers/edu"
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define UEVENT_GROUP_KERNEL 1
#define UEVENT_MSG_MAX 8192
#define EVENT_WAIT_MS 3000
#define MAX_DIAG 5 /* mismatches shown per case */
#define CHOWN_FILE "/sys/class/mem/null/dev"
#define CHOWN_UID 1234 /* any owner but root */
#define CHOWN_GID 5678

/* PCI configuration header offsets (PCI Local Bus Specification 3.0, 6.1) */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09 /* 0x09..0x0b: prog-if, subclass, base class */
#define PCI_HEADER_TYPE 0x0e
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_TYPE_NORMAL 0
#define PCI_CONFIG_HEADER 64 /* the bytes anyone may read */
#define PCI_STD_NUM_RESOURCES 7 /* 6 BARs and the ROM */
#define RESOURCE_LINE_LEN 56 /* "0x%016llx 0x%016llx 0x%016llx" */

static char buf[UEVENT_MSG_MAX];

/* ---- small helpers ---------------------------------------------------- */

/* Read @dir/@name (one sysfs value) into @out without its newline. */
static int read_attr(const char *dir, const char *name, char *out, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, out, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	out[n] = '\0';
	if (n && out[n - 1] == '\n')
		out[n - 1] = '\0';
	return (int)n;
}

static int read_hex_attr(const char *dir, const char *name, unsigned long *v)
{
	char s[64];

	if (read_attr(dir, name, s, sizeof(s)) < 0)
		return -1;
	*v = strtoul(s, NULL, 0);
	return 0;
}

/* @out = "@dir/@name"; false when it does not fit. */
static bool join(char *out, size_t len, const char *dir, const char *name)
{
	return (size_t)snprintf(out, len, "%s/%s", dir, name) < len;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Count a failure of a case; show the first MAX_DIAG of each. */
static void fail_diag(int *count, const char *what, const char *path)
{
	if ((*count)++ < MAX_DIAG)
		ktap_diag("%s: %s", path, what);
}

/*
 * Call @fn(path, name, arg) for every entry of @dir; returns the sum of
 * what the calls returned (the number of failures).
 */
static int for_each_entry(const char *dir,
			  int (*fn)(const char *, const char *, void *),
			  void *arg)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int bad = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (join(path, sizeof(path), dir, de->d_name))
			bad += fn(path, de->d_name, arg);
	}
	closedir(d);
	return bad;
}

/* ---- the top level ---------------------------------------------------- */

static void test_top_level(void)
{
	static const char *const dirs[] = { "devices", "bus",	  "class",
					    "dev",     "kernel",  "module",
					    "block",   "firmware" };
	struct statfs sfs;
	char path[PATH_MAX], s[64], *end;
	unsigned int i, missing = 0;

	ktap_ok(statfs("/sys", &sfs) == 0 && sfs.f_type == SYSFS_MAGIC,
		"sys_is_sysfs");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "/sys/%s", dirs[i]);
		if (!is_dir(path) && ++missing)
			ktap_diag("missing %s", path);
	}
	ktap_ok(!missing, "top_level_dirs");
	ktap_ok(is_dir("/sys/devices/system") && is_dir("/sys/devices/virtual"),
		"devices_system_and_virtual");
	ktap_ok(read_attr("/sys/kernel", "uevent_seqnum", s, sizeof(s)) > 0 &&
			(strtoull(s, &end, 10), end != s && *end == '\0'),
		"uevent_seqnum_is_decimal");
	if (access("/sys/kernel/uevent_helper", F_OK) < 0)
		ktap_skip("uevent_helper_readable",
			  "no uevent_helper (CONFIG_UEVENT_HELPER off)");
	else
		ktap_ok(read_attr("/sys/kernel", "uevent_helper", s,
				  sizeof(s)) >= 0,
			"uevent_helper_readable");
}

/* ---- PCI -------------------------------------------------------------- */

#define MAX_PCI 64

/* One line of /proc/bus/pci/devices: bus/devfn, ids, irq. */
struct proc_pci {
	unsigned int bdf, ids, irq;
};

static struct proc_pci proc_pci[MAX_PCI];
static int nr_proc_pci;

static void read_proc_pci(void)
{
	FILE *f = fopen("/proc/bus/pci/devices", "r");
	struct proc_pci *p;

	if (!f)
		return;
	while (nr_proc_pci < MAX_PCI && fgets(buf, sizeof(buf), f)) {
		p = &proc_pci[nr_proc_pci];
		if (sscanf(buf, "%x %x %x", &p->bdf, &p->ids, &p->irq) == 3)
			nr_proc_pci++;
	}
	fclose(f);
}

static const struct proc_pci *find_proc_pci(unsigned int bdf)
{
	int i;

	for (i = 0; i < nr_proc_pci; i++)
		if (proc_pci[i].bdf == bdf)
			return &proc_pci[i];
	return NULL;
}

/* What the PCI checks found: failures per case, and the ids seen. */
struct pci_result {
	int devices, link, procfs, config, irq, resource;
	unsigned int ids[MAX_PCI];
};

/* The attributes of one device, as numbers. */
struct pci_attrs {
	unsigned long vendor, device, class, revision, sub_vendor, sub_device;
	unsigned long irq;
};

static int read_pci_attrs(const char *dir, struct pci_attrs *a)
{
	return read_hex_attr(dir, "vendor", &a->vendor) ||
	       read_hex_attr(dir, "device", &a->device) ||
	       read_hex_attr(dir, "class", &a->class) ||
	       read_hex_attr(dir, "revision", &a->revision) ||
	       read_hex_attr(dir, "subsystem_vendor", &a->sub_vendor) ||
	       read_hex_attr(dir, "subsystem_device", &a->sub_device) ||
	       read_hex_attr(dir, "irq", &a->irq);
}

static unsigned int le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

/* The attributes against the first bytes of the "config" file. */
static bool config_matches(const char *dir, const struct pci_attrs *a)
{
	unsigned char cfg[PCI_CONFIG_HEADER];
	char path[PATH_MAX];
	unsigned long class;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/config", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, cfg, sizeof(cfg));
	close(fd);
	if (n != sizeof(cfg))
		return false;
	class = cfg[PCI_CLASS_PROG] | cfg[PCI_CLASS_PROG + 1] << 8 |
		cfg[PCI_CLASS_PROG + 2] << 16;
	if (le16(cfg + PCI_VENDOR_ID) != a->vendor ||
	    le16(cfg + PCI_DEVICE_ID) != a->device ||
	    cfg[PCI_REVISION_ID] != a->revision || class != a->class)
		return false;
	if ((cfg[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK) !=
	    PCI_HEADER_TYPE_NORMAL)
		return true;
	return le16(cfg + PCI_SUBSYSTEM_VENDOR_ID) == a->sub_vendor &&
	       le16(cfg + PCI_SUBSYSTEM_ID) == a->sub_device;
}

/* "resource": 7 or more lines of three 0x%016llx numbers. */
static bool resource_format_ok(const char *dir)
{
	char *line, *save = NULL;
	unsigned long long s, e, f;
	int lines = 0, len;

	len = read_attr(dir, "resource", buf, sizeof(buf));
	if (len <= 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		if (strlen(line) != RESOURCE_LINE_LEN ||
		    sscanf(line, "0x%16llx 0x%16llx 0x%16llx", &s, &e, &f) != 3)
			return false;
	}
	return lines >= PCI_STD_NUM_RESOURCES;
}

static int check_pci_device(const char *path, const char *name, void *arg)
{
	struct pci_result *r = arg;
	const struct proc_pci *p;
	struct pci_attrs a;
	char real[PATH_MAX];
	unsigned int dom, bus, dev, fn;

	if (r->devices >= MAX_PCI)
		return 0;
	r->devices++;
	if (!realpath(path, real) || !starts_with(real, PCI_ROOT))
		fail_diag(&r->link, "not under " PCI_ROOT, path);
	if (sscanf(name, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4 ||
	    read_pci_attrs(path, &a)) {
		fail_diag(&r->procfs, "unreadable", path);
		return 0;
	}
	r->ids[r->devices - 1] = (unsigned int)(a.vendor << 16 | a.device);
	p = find_proc_pci(bus << 8 | dev << 3 | fn);
	if (!p || p->ids != r->ids[r->devices - 1])
		fail_diag(&r->procfs, "ids differ", path);
	if (!config_matches(path, &a))
		fail_diag(&r->config, "config differs", path);
	if (!p || p->irq != a.irq)
		fail_diag(&r->irq, "irq differs", path);
	if (!resource_format_ok(path))
		fail_diag(&r->resource, "bad resource", path);
	return 0;
}

static bool has_id(const struct pci_result *r, unsigned int id)
{
	int i;

	for (i = 0; i < r->devices; i++)
		if (r->ids[i] == id)
			return true;
	return false;
}

static void test_qemu_devices(const struct pci_result *r)
{
	static const unsigned int expected[] = {
		0x80861237, 0x80867000, 0x80867010, 0x80867113,
		0x12341111, 0x8086100e, 0x123411e8,
	};
	unsigned int i, missing = 0;

	if (!has_id(r, expected[0])) {
		ktap_skip("qemu_pc_devices_present", "not QEMU's pc machine");
		return;
	}
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		if (!has_id(r, expected[i]) && ++missing)
			ktap_diag("no device %04x:%04x", expected[i] >> 16,
				  expected[i] & 0xffff);
	ktap_ok(!missing, "qemu_pc_devices_present");
}

static void test_pci(void)
{
	struct pci_result r = { 0 };

	read_proc_pci();
	for_each_entry(PCI_DEVICES, check_pci_device, &r);
	if (!ktap_ok(r.devices > 0 && nr_proc_pci == r.devices,
		     "pci_devices_listed"))
		ktap_diag("%d in sysfs, %d in /proc/bus/pci/devices", r.devices,
			  nr_proc_pci);
	ktap_ok(r.devices && !r.link, "pci_links_under_pci0000_00");
	ktap_ok(r.devices && !r.procfs, "pci_ids_match_procfs");
	ktap_ok(r.devices && !r.config, "pci_attrs_match_config");
	ktap_ok(r.devices && !r.irq, "pci_irq_matches_procfs");
	ktap_ok(r.devices && !r.resource, "pci_resource_format");
	test_qemu_devices(&r);
}

/* ---- every device of the buses and classes ----------------------------- */

/* Failures per case over all devices, and how much was checked. */
struct dev_result {
	int devices, with_dev, nodes; /* checked */
	int link, subsystem, uevent, sys_dev, node; /* failed */
};

/* The value of KEY in the uevent text @env ("KEY=VALUE" lines). */
static bool uevent_var(const char *env, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);
	const char *line;

	for (line = env; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			snprintf(out, len, "%.*s",
				 (int)strcspn(line + klen + 1, "\n"),
				 line + klen + 1);
			return true;
		}
	}
	return false;
}

/* Every line KEY=VALUE with an upper-case key. */
static bool uevent_lines_ok(const char *env)
{
	const char *line = env, *eq, *nl;

	for (; *line; line = *nl ? nl + 1 : nl) {
		nl = line + strcspn(line, "\n");
		eq = strchr(line, '=');
		if (!eq || eq > nl || eq == line)
			return false;
		for (; line < eq; line++)
			if (!(*line >= 'A' && *line <= 'Z') &&
			    !(*line >= '0' && *line <= '9') && *line != '_')
				return false;
	}
	return true;
}

/* "dev" against uevent, /sys/dev/TYPE/MAJ:MIN and /dev/DEVNAME. */
static void check_dev_numbers(const char *path, const char *real,
			      const char *env, bool block, struct dev_result *r)
{
	char dev[64], s[64], link[PATH_MAX], target[PATH_MAX];
	unsigned int maj, min;
	struct stat st;

	if (read_attr(path, "dev", dev, sizeof(dev)) < 0)
		return;
	r->with_dev++;
	if (sscanf(dev, "%u:%u", &maj, &min) != 2 ||
	    !uevent_var(env, "MAJOR", s, sizeof(s)) ||
	    strtoul(s, 0, 10) != maj ||
	    !uevent_var(env, "MINOR", s, sizeof(s)) || strtoul(s, 0, 10) != min)
		fail_diag(&r->uevent, "MAJOR/MINOR differ from dev", path);
	snprintf(link, sizeof(link), "/sys/dev/%s/%s", block ? "block" : "char",
		 dev);
	if (!realpath(link, target) || strcmp(target, real))
		fail_diag(&r->sys_dev, "/sys/dev link differs", path);
	if (!uevent_var(env, "DEVNAME", s, sizeof(s)))
		return;
	snprintf(link, sizeof(link), "/dev/%s", s);
	if (stat(link, &st) < 0)
		return;
	r->nodes++;
	if (st.st_rdev != makedev(maj, min) ||
	    !(block ? S_ISBLK(st.st_mode) : S_ISCHR(st.st_mode)))
		fail_diag(&r->node, "/dev node differs", link);
}

static int check_device(const char *path, const char *name, void *arg)
{
	struct dev_result *r = arg;
	char real[PATH_MAX], subsys[PATH_MAX] = "", sublink[PATH_MAX];
	const char *sub;
	struct stat st;

	(void)name;
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return 0; /* a class attribute, not a device */
	r->devices++;
	if (!realpath(path, real) || !is_dir(real) ||
	    !starts_with(real, "/sys/devices/")) {
		fail_diag(&r->link, "does not resolve into /sys/devices", path);
		return 0;
	}
	if (!join(sublink, sizeof(sublink), real, "subsystem") ||
	    !realpath(sublink, subsys) ||
	    !(starts_with(subsys, "/sys/bus/") ||
	      starts_with(subsys, "/sys/class/")))
		fail_diag(&r->subsystem, "subsystem outside bus/class", path);
	if (read_attr(real, "uevent", buf, sizeof(buf)) < 0 ||
	    !uevent_lines_ok(buf)) {
		fail_diag(&r->uevent, "uevent unreadable or malformed", path);
		return 0;
	}
	sub = strrchr(subsys, '/');
	check_dev_numbers(path, real, buf, sub && !strcmp(sub, "/block"), r);
	return 0;
}

static int check_class(const char *path, const char *name, void *arg)
{
	(void)name;
	return for_each_entry(path, check_device, arg);
}

static int check_bus(const char *path, const char *name, void *arg)
{
	char devices[PATH_MAX];

	(void)name;
	snprintf(devices, sizeof(devices), "%s/devices", path);
	return for_each_entry(devices, check_device, arg);
}

static void test_devices(void)
{
	struct dev_result r = { 0 };
	char s[64];

	for_each_entry("/sys/class", check_class, &r);
	for_each_entry("/sys/bus", check_bus, &r);
	ktap_diag("%d device links, %d with dev, %d with a /dev node",
		  r.devices, r.with_dev, r.nodes);
	ktap_ok(r.devices && !r.link, "device_links_resolve");
	ktap_ok(r.devices && !r.subsystem, "subsystem_links_into_bus_or_class");
	ktap_ok(r.devices && !r.uevent, "uevent_readable_with_major_minor");
	ktap_ok(r.with_dev && !r.sys_dev, "dev_matches_sys_dev_link");
	ktap_ok(!r.node, "dev_matches_dev_node");
	ktap_ok(read_attr("/sys/class/mem/null", "dev", s, sizeof(s)) > 0 &&
			!strcmp(s, "1:3"),
		"mem_null_dev_is_1_3");
	ktap_ok(read_attr("/sys/class/tty/ttyS0", "dev", s, sizeof(s)) > 0 &&
			!strcmp(s, "4:64"),
		"tty_ttyS0_dev_is_4_64");
}

/* ---- attribute semantics ---------------------------------------------- */

static void test_attributes(void)
{
	struct pollfd pfd;
	int fd, n;

	EXPECT_ERRNO(write_text("/sys/class/mem/null/uevent", "bogus"), EINVAL);
	n = read_attr("/sys/class/mem/null", "dev", buf, sizeof(buf));
	ktap_ok(n > 1 && (size_t)n == strlen(buf) + 1 && !strchr(buf, '\n'),
		"attribute_is_one_value_and_newline");
	EXPECT_ERRNO(open("/sys/class/mem/null/dev", O_WRONLY), EACCES);
	fd = open("/sys/class/mem/null/dev", O_RDONLY);
	n = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf));
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN | POLLPRI };
	n = n < 0 ? -1 : poll(&pfd, 1, 0);
	if (!ktap_ok(n == 1 && (pfd.revents & POLLIN) &&
			     !(pfd.revents & (POLLPRI | POLLERR)),
		     "poll_unchanged_attribute_is_readable_not_pri"))
		ktap_diag("poll returned %d, revents %#x", n, pfd.revents);
	if (fd >= 0)
		close(fd);
}

/*
 * An attribute's owner set by fchown
 * is still there when the file is stat()ed again after close, when no
 * open file keeps its inode; then it is given back to root.
 */
static void test_chown_kept(void)
{
	int fd = open(CHOWN_FILE, O_RDONLY);
	struct stat st;
	bool ok;

	ok = fd >= 0 && fchown(fd, CHOWN_UID, CHOWN_GID) == 0;
	if (fd >= 0)
		close(fd);
	ok = ok && stat(CHOWN_FILE, &st) == 0 && st.st_uid == CHOWN_UID &&
	     st.st_gid == CHOWN_GID;
	ktap_ok(ok, "chown_of_attribute_lasts_after_close");
	ok = chown(CHOWN_FILE, 0, 0) == 0 && stat(CHOWN_FILE, &st) == 0 &&
	     st.st_uid == 0 && st.st_gid == 0;
	ktap_ok(ok, "chown_back_to_root");
}

/* ---- binding and unbinding the edu driver ------------------------------ */

static int open_listener(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK,
				    .nl_groups = UEVENT_GROUP_KERNEL };
	int fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The value of @key in a uevent message of @len bytes, or NULL. */
static const char *msg_var(const char *msg, size_t len, const char *key)
{
	size_t off, klen = strlen(key);

	for (off = strnlen(msg, len) + 1; off < len;
	     off += strnlen(msg + off, len - off) + 1)
		if (!strncmp(msg + off, key, klen) && msg[off + klen] == '=')
			return msg + off + klen + 1;
	return NULL;
}

/*
 * Wait up to EVENT_WAIT_MS for an event @action whose DEVPATH ends in
 * "/@name"; with @key, it must have @key=@value. Other events are
 * skipped.
 */
static bool wait_event(int fd, const char *action, const char *name,
		       const char *key, const char *value)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	const char *a, *path, *v;
	ssize_t n;
	size_t plen, nlen = strlen(name);

	while (fd >= 0 && poll(&pfd, 1, EVENT_WAIT_MS) == 1) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		a = msg_var(buf, (size_t)n, "ACTION");
		path = msg_var(buf, (size_t)n, "DEVPATH");
		if (!a || !path || strcmp(a, action))
			continue;
		plen = strlen(path);
		if (plen <= nlen || strcmp(path + plen - nlen, name) ||
		    path[plen - nlen - 1] != '/')
			continue;
		v = key ? msg_var(buf, (size_t)n, key) : NULL;
		if (!key || (v && !strcmp(v, value)))
			return true;
		ktap_diag("%s event without %s=%s", action, key, value);
		return false;
	}
	return false;
}

static int find_edu(const char *path, const char *name, void *arg)
{
	unsigned long vendor, device;

	if (read_hex_attr(path, "vendor", &vendor) == 0 &&
	    read_hex_attr(path, "device", &device) == 0 &&
	    vendor == EDU_VENDOR && device == EDU_DEVICE)
		snprintf(arg, NAME_MAX, "%s", name);
	return 0;
}

/* Whether the device's "driver" link names the edu driver. */
static bool edu_bound(const char *dev)
{
	char link[PATH_MAX], target[PATH_MAX];

	snprintf(link, sizeof(link), "%s/driver", dev);
	return realpath(link, target) && !strcmp(target, EDU_DRIVER);
}

#define EDU_CASES 9

static void test_bind_unbind(void)
{
	char name[NAME_MAX] = "", dev[PATH_MAX];
	int fd, i;

	for_each_entry(PCI_DEVICES, find_edu, name);
	if (!is_dir(EDU_DRIVER) || !name[0]) {
		for (i = 0; i < EDU_CASES; i++)
			ktap_skip("edu_bind_unbind", "no edu driver or device");
		return;
	}
	snprintf(dev, sizeof(dev), "%s/%s", PCI_DEVICES, name);
	ktap_ok(edu_bound(dev), "edu_bound_at_boot");
	fd = open_listener();
	EXPECT_SUCCESS(write_text(EDU_DRIVER "/unbind", name));
	ktap_ok(!edu_bound(dev) && access(dev, F_OK) == 0,
		"unbind_removes_driver_link");
	ktap_ok(wait_event(fd, "unbind", name, NULL, NULL), "unbind_uevent");
	EXPECT_ERRNO(write_text(EDU_DRIVER "/unbind", name), ENODEV);
	EXPECT_SUCCESS(write_text(EDU_DRIVER "/bind", name));
	ktap_ok(edu_bound(dev), "bind_restores_driver_link");
	ktap_ok(wait_event(fd, "bind", name, "DRIVER", "edu"),
		"bind_uevent_with_driver_edu");
	EXPECT_ERRNO(write_text(EDU_DRIVER "/bind", "0000:ff:1f.7"), ENODEV);
	if (fd >= 0)
		close(fd);
}

/* The seed's non-hotplug event: a write to edu's "liveness" attribute. */
static void test_send_kevent(void)
{
	char name[NAME_MAX] = "", path[PATH_MAX];
	struct pollfd pfd;
	int fd, afd, n;

	for_each_entry(PCI_DEVICES, find_edu, name);
	snprintf(path, sizeof(path), "%s/%s/liveness", PCI_DEVICES, name);
	if (!name[0] || access(path, F_OK) < 0) {
		ktap_skip("liveness_poll_pri", "no edu liveness attribute");
		ktap_skip("liveness_change_uevent",
			  "no edu liveness attribute");
		return;
	}
	fd = open_listener();
	afd = open(path, O_RDONLY);
	if (afd >= 0)
		n = (int)read(afd, buf, sizeof(buf));
	if (write_text(path, "1\n") < 0)
		ktap_diag("write liveness: %s", strerror(errno));
	pfd = (struct pollfd){ .fd = afd, .events = POLLPRI };
	n = afd < 0 ? -1 : poll(&pfd, 1, EVENT_WAIT_MS);
	ktap_ok(n == 1 && (pfd.revents & POLLPRI), "liveness_poll_pri");
	ktap_ok(wait_event(fd, "change", name, "ATTRIBUTE", "liveness"),
		"liveness_change_uevent");
	if (afd >= 0)
		close(afd);
	if (fd >= 0)
		close(fd);
}

/* The objects in use in every slab cache (/proc/slabinfo), or -1. */
static long slab_objects(void)
{
	char line[512];
	long total = 0, active;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && strncmp(line, "slabinfo", 8) &&
		    sscanf(line, "%*s %ld", &active) == 1)
			total += active;
	fclose(f);
	return total;
}

/*
 * LEAK_CYCLES unbind/bind rounds of the edu driver: each creates and
 * removes the driver's files and links in sysfs, maps and unmaps the
 * device, and sends two uevents. Afterwards the slab caches hold what
 * they held before, give or take LEAK_SLACK objects of unrelated
 * activity: a leak of one object a round would show 10,000. The
 * console is quietened meanwhile (the probe logs a line).
 */
#define LEAK_CYCLES 10000
#define LEAK_SLACK 200

static void test_bind_unbind_leak(void)
{
	char name[NAME_MAX] = "", printk_level[64] = "";
	long before, after;
	int i, failed = 0;
	FILE *f;

	for_each_entry(PCI_DEVICES, find_edu, name);
	if (!is_dir(EDU_DRIVER) || !name[0]) {
		ktap_skip("bind_unbind_10000_cycles_no_leak",
			  "no edu driver or device");
		return;
	}
	f = fopen("/proc/sys/kernel/printk", "r");
	if (f && !fgets(printk_level, sizeof(printk_level), f))
		printk_level[0] = '\0';
	if (f)
		fclose(f);
	write_text("/proc/sys/kernel/printk", "4");
	before = slab_objects();
	for (i = 0; i < LEAK_CYCLES && !failed; i++)
		failed = write_text(EDU_DRIVER "/unbind", name) < 0 ||
			 write_text(EDU_DRIVER "/bind", name) < 0;
	after = slab_objects();
	if (printk_level[0])
		write_text("/proc/sys/kernel/printk", printk_level);
	if (failed)
		ktap_diag("round %d failed: %s", i, strerror(errno));
	else
		ktap_diag("slab objects %ld before, %ld after", before, after);
	ktap_ok(!failed && before > 0 && after - before < LEAK_SLACK,
		"bind_unbind_10000_cycles_no_leak");
}

int main(void)
{
	ktap_plan(37);
	mount_sys_and_dev();
	test_top_level();
	test_pci();
	test_devices();
	test_attributes();
	test_chown_kept();
	test_bind_unbind();
	test_bind_unbind_leak();
	test_send_kevent();
	return ktap_exit();
}
