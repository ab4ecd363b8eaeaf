/*
 * /sys/kernel: the kernel's own attributes in sysfs (Linux's
 * kernel/ksysfs.c). Kestrel has the two of the uevent machinery:
 *
 *	uevent_seqnum   0444  the SEQNUM of the last event sent
 *	uevent_helper   0644  the program run for each event ("" = none),
 *	                      the same string as /proc/sys/kernel/hotplug
 *
 * kernel_kobj is the directory; other subsystems hang their own
 * directories under it (Linux's /sys/kernel/mm, /sys/kernel/debug).
 * Its ktype has its own sysfs_ops because each attribute here carries
 * a show/store of its own (struct kernel_attr).
 */
#include <kestrel/errno.h>
#include <kestrel/kobject.h>
#include <kestrel/mutex.h>
#include <kestrel/panic.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/sysfs.h>

struct kobject *kernel_kobj;

/* An attribute of /sys/kernel with its own methods. */
struct kernel_attr {
	struct attribute attr;
	ssize_t (*show)(char *buf);
	ssize_t (*store)(const char *buf, size_t count);
};

static ssize_t uevent_seqnum_show(char *buf)
{
	u64 seqnum;

	mutex_lock(&uevent_sock_mutex);
	seqnum = uevent_seqnum;
	mutex_unlock(&uevent_sock_mutex);
	return sysfs_emit(buf, "%llu\n", (unsigned long long)seqnum);
}

static ssize_t uevent_helper_show(char *buf)
{
	ssize_t len;

	mutex_lock(&uevent_sock_mutex);
	len = sysfs_emit(buf, "%s\n", uevent_helper);
	mutex_unlock(&uevent_sock_mutex);
	return len;
}

/* A new helper path; one trailing newline is dropped. */
static ssize_t uevent_helper_store(const char *buf, size_t count)
{
	size_t len = count;

	if (count + 1 > UEVENT_HELPER_PATH_LEN)
		return -ENOENT;
	if (len && buf[len - 1] == '\n')
		len--;
	mutex_lock(&uevent_sock_mutex);
	memcpy(uevent_helper, buf, len);
	uevent_helper[len] = '\0';
	mutex_unlock(&uevent_sock_mutex);
	return (ssize_t)count;
}

static struct kernel_attr uevent_seqnum_attr = {
	.attr = { .name = "uevent_seqnum", .mode = 0444 },
	.show = uevent_seqnum_show,
};

static struct kernel_attr uevent_helper_attr = {
	.attr = { .name = "uevent_helper", .mode = 0644 },
	.show = uevent_helper_show,
	.store = uevent_helper_store,
};

static struct attribute *kernel_attrs[] = {
	&uevent_seqnum_attr.attr,
	&uevent_helper_attr.attr,
	NULL,
};

static const struct attribute_group kernel_attr_group = {
	.attrs = kernel_attrs,
};

static const struct attribute_group *kernel_attr_groups[] = {
	&kernel_attr_group,
	NULL,
};

static ssize_t kernel_attr_show(struct kobject *kobj, struct attribute *attr,
				char *buf)
{
	struct kernel_attr *ka = container_of(attr, struct kernel_attr, attr);

	return ka->show ? ka->show(buf) : -EIO;
}

static ssize_t kernel_attr_store(struct kobject *kobj, struct attribute *attr,
				 const char *buf, size_t count)
{
	struct kernel_attr *ka = container_of(attr, struct kernel_attr, attr);

	return ka->store ? ka->store(buf, count) : -EIO;
}

static const struct sysfs_ops kernel_sysfs_ops = {
	.show = kernel_attr_show,
	.store = kernel_attr_store,
};

/* /sys/kernel lives as long as the kernel; release only frees. */
static void kernel_kobj_release(struct kobject *kobj)
{
	kfree(kobj);
}

static const struct kobj_type kernel_ktype = {
	.release = kernel_kobj_release,
	.sysfs_ops = &kernel_sysfs_ops,
	.default_groups = kernel_attr_groups,
};

void ksysfs_init(void)
{
	struct kobject *kobj = kzalloc(sizeof(*kobj), GFP_KERNEL);

	if (!kobj)
		panic("ksysfs: out of memory");
	if (kobject_init_and_add(kobj, &kernel_ktype, NULL, "kernel"))
		panic("ksysfs: cannot create /sys/kernel");
	kernel_kobj = kobj;
}
