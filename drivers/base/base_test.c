/*
 * ktest suite "driver_core": the driver core against a test bus.
 *
 * The bus "kt_bus" matches a device to a driver when the device's name
 * starts with the driver's ("kta0" is driven by "kta"). Its devices are
 * struct kt_dev, which count probe, remove and release calls; device
 * "ktb*" defers its probe until a "kta" device is bound (a supplier),
 * to exercise deferred probing. The sysfs side is checked through real
 * file reads and writes on a private sysfs mount, and device nodes on
 * a mount of devtmpfs (the one instance the driver core fills).
 *
 *	/sys/devices/ktroot/kta0          kt_bus devices, under a root
 *	/sys/bus/kt_bus/drivers/kta/bind  bind and unbind by name
 *	/sys/devices/virtual/ktclass/...  class devices without a parent
 *
 * The race cases (probe vs device_del, probe vs driver_unregister, a
 * pass vs a device lock) are made deterministic with a second kernel
 * thread: the main thread holds the lock the other thread needs and
 * waits until that thread sleeps on it (kt_wait_for_waiter) before it
 * goes on, so the interleaving the review described happens every run.
 */
#include <kestrel/device.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>
#include <kestrel/kthread.h>
#include <kestrel/completion.h>
#include <kestrel/sched.h>
#include <kestrel/platform_device.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/fcntl.h>

#include "base.h" /* device_driver_attach */

#define KT_BUF_SIZE 256
/* A major reserved for local/experimental use (Linux's
 * Documentation/admin-guide/devices.txt, 240-254 char). */
#define KT_MAJOR 240
#define KT_NODE_MODE 0666

/* Counters shared by the devices and drivers of a case. */
static int kt_probes, kt_removes, kt_releases;
static bool kt_supplier_ready; /* a "kta" device is bound */

struct kt_dev {
	int probed; /* successful probes */
	struct device dev; /* not first: recovered with container_of */
};

static struct kt_dev *to_kt_dev(struct device *dev)
{
	return container_of(dev, struct kt_dev, dev);
}

static int kt_match(struct device *dev, struct device_driver *drv)
{
	return !strncmp(dev_name(dev), drv->name, strlen(drv->name));
}

static int kt_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "KT_BUS=1");
}

static struct bus_type kt_bus = {
	.name = "kt_bus",
	.match = kt_match,
	.uevent = kt_uevent,
};

static int kta_probe(struct device *dev)
{
	kt_probes++;
	to_kt_dev(dev)->probed++;
	kt_supplier_ready = true;
	return 0;
}

static int ktb_probe(struct device *dev)
{
	kt_probes++;
	if (!kt_supplier_ready)
		return -EPROBE_DEFER;
	to_kt_dev(dev)->probed++;
	return 0;
}

static int kt_remove(struct device *dev)
{
	kt_removes++;
	return 0;
}

static struct device_driver kta_drv = {
	.name = "kta",
	.bus = &kt_bus,
	.probe = kta_probe,
	.remove = kt_remove,
};

static struct device_driver ktb_drv = {
	.name = "ktb",
	.bus = &kt_bus,
	.probe = ktb_probe,
	.remove = kt_remove,
};

static void kt_root_release(struct device *dev)
{
	kfree(dev);
}

static struct device *kt_root; /* a fresh one per case */

static void kt_dev_release(struct device *dev)
{
	kt_releases++;
	kfree(to_kt_dev(dev));
}

/* A new kt_bus device named @name under ktroot, added. */
static struct kt_dev *kt_add(struct ktest *t, const char *name)
{
	struct kt_dev *kd = kzalloc(sizeof(*kd), GFP_KERNEL);

	KT_ASSERT_NOT_NULL(t, kd);
	device_initialize(&kd->dev);
	kd->dev.parent = kt_root;
	kd->dev.bus = &kt_bus;
	kd->dev.release = kt_dev_release;
	KT_ASSERT_EQ(t, dev_set_name(&kd->dev, "%s", name), 0);
	KT_ASSERT_EQ(t, device_add(&kd->dev), 0);
	return kd;
}

/* ---- sysfs access ------------------------------------------------------- */

static struct ktest_mount kt_sysfs; /* a private sysfs mount */
static struct ktest_mount kt_devfs; /* a mount of devtmpfs: the instance */

static ssize_t kt_read(const char *path, char *buf, size_t size)
{
	return fx_read_str(kt_sysfs.fs, path, buf, size);
}

static ssize_t kt_write(const char *path, const char *text)
{
	return fx_write_str(kt_sysfs.fs, path, text);
}

static bool kt_exists(const char *path)
{
	return fx_exists(kt_sysfs.fs, path);
}

/* ---- set-up --------------------------------------------------------------- */

static int kt_init(struct ktest *t)
{
	int err;

	kt_probes = kt_removes = kt_releases = 0;
	kt_supplier_ready = false;
	err = ktest_mount(&kt_sysfs, "sysfs");
	if (err)
		return err;
	err = ktest_mount(&kt_devfs, "devtmpfs");
	if (err)
		goto out_mnt;
	err = bus_register(&kt_bus);
	if (err)
		goto out_devfs;
	kt_root = kzalloc(sizeof(*kt_root), GFP_KERNEL);
	if (!kt_root)
		goto out_bus;
	kt_root->init_name = "ktroot";
	kt_root->release = kt_root_release;
	err = device_register(kt_root);
	if (err)
		goto out_root;
	return 0;

out_root:
	put_device(kt_root);
out_bus:
	bus_unregister(&kt_bus);
out_devfs:
	ktest_umount(&kt_devfs);
out_mnt:
	ktest_umount(&kt_sysfs);
	return -ENOMEM;
}

static void kt_exit(struct ktest *t)
{
	device_unregister(kt_root);
	bus_unregister(&kt_bus);
	KT_EXPECT_FALSE(t, kt_exists("/bus/kt_bus"));
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot"));
	ktest_umount(&kt_devfs);
	ktest_umount(&kt_sysfs);
}

/* ---- cases ------------------------------------------------------------------ */

/* Driver first, then the device: device_add probes it. */
static void probe_on_device_add(struct ktest *t)
{
	struct kt_dev *kd;

	KT_ASSERT_EQ(t, driver_register(&kta_drv), 0);
	kd = kt_add(t, "kta0");
	KT_EXPECT_EQ(t, kd->probed, 1);
	KT_EXPECT_TRUE(t, kd->dev.driver == &kta_drv);
	KT_EXPECT_TRUE(t, kt_exists("/devices/ktroot/kta0/driver"));
	KT_EXPECT_TRUE(t, kt_exists("/bus/kt_bus/drivers/kta/kta0"));
	KT_EXPECT_TRUE(t, kt_exists("/bus/kt_bus/devices/kta0"));
	KT_EXPECT_TRUE(t, kt_exists("/devices/ktroot/kta0/subsystem"));
	device_unregister(&kd->dev);
	KT_EXPECT_EQ(t, kt_removes, 1);
	KT_EXPECT_EQ(t, kt_releases, 1);
	KT_EXPECT_FALSE(t, kt_exists("/bus/kt_bus/drivers/kta/kta0"));
	KT_EXPECT_FALSE(t, kt_exists("/bus/kt_bus/devices/kta0"));
	driver_unregister(&kta_drv);
	KT_EXPECT_FALSE(t, kt_exists("/bus/kt_bus/drivers/kta"));
}

/* Device first, then the driver: driver_register binds it; unregistering
 * the driver unbinds it; a device nobody matches stays unbound. */
static void probe_on_driver_register(struct ktest *t)
{
	struct kt_dev *kd = kt_add(t, "kta1");
	struct kt_dev *other = kt_add(t, "ktz0");

	KT_EXPECT_NULL(t, kd->dev.driver);
	KT_ASSERT_EQ(t, driver_register(&kta_drv), 0);
	KT_EXPECT_EQ(t, driver_register(&kta_drv), -EBUSY);
	KT_EXPECT_TRUE(t, driver_find("kta", &kt_bus) == &kta_drv);
	KT_EXPECT_EQ(t, kd->probed, 1);
	KT_EXPECT_NULL(t, other->dev.driver);
	driver_unregister(&kta_drv);
	KT_EXPECT_EQ(t, kt_removes, 1);
	KT_EXPECT_NULL(t, kd->dev.driver);
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/kta1/driver"));
	device_unregister(&kd->dev);
	device_unregister(&other->dev);
	KT_EXPECT_EQ(t, kt_releases, 2);
}

/* ktb0 defers until a kta device binds; then the retry binds it. */
static void deferred_probe(struct ktest *t)
{
	struct kt_dev *consumer, *supplier;

	KT_ASSERT_EQ(t, driver_register(&ktb_drv), 0);
	consumer = kt_add(t, "ktb0");
	KT_EXPECT_EQ(t, kt_probes, 1);
	KT_EXPECT_NULL(t, consumer->dev.driver);
	KT_ASSERT_EQ(t, driver_register(&kta_drv), 0);
	KT_EXPECT_NULL(t, consumer->dev.driver); /* no bind yet */
	supplier = kt_add(t, "kta2");
	KT_EXPECT_EQ(t, supplier->probed, 1);
	KT_EXPECT_TRUE(t, consumer->dev.driver == &ktb_drv);
	KT_EXPECT_EQ(t, consumer->probed, 1);
	KT_EXPECT_EQ(t, kt_probes, 3);
	device_unregister(&consumer->dev);
	device_unregister(&supplier->dev);
	driver_unregister(&kta_drv);
	driver_unregister(&ktb_drv);
	KT_EXPECT_EQ(t, kt_removes, 2);
	KT_EXPECT_EQ(t, kt_releases, 2);
}

/* bind, unbind, drivers_autoprobe and drivers_probe files. */
static void sysfs_bind_unbind(struct ktest *t)
{
	char buf[KT_BUF_SIZE];
	struct kt_dev *kd, *late;

	KT_ASSERT_EQ(t, driver_register(&kta_drv), 0);
	kd = kt_add(t, "kta3");
	KT_ASSERT_TRUE(t, kd->dev.driver == &kta_drv);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers/kta/unbind", "kta3\n"),
		     5);
	KT_EXPECT_NULL(t, kd->dev.driver);
	KT_EXPECT_EQ(t, kt_removes, 1);
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/kta3/driver"));
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers/kta/unbind", "kta3"),
		     -ENODEV);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers/kta/bind", "nosuch"),
		     -ENODEV);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers/kta/bind", "kta3\n"), 5);
	KT_EXPECT_TRUE(t, kd->dev.driver == &kta_drv);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers/kta/bind", "kta3"),
		     -EBUSY);
	KT_EXPECT_GT(t,
		     kt_read("/bus/kt_bus/drivers_autoprobe", buf, sizeof(buf)),
		     0);
	KT_EXPECT_EQ(t, strcmp(buf, "1\n"), 0);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers_autoprobe", "0\n"), 2);
	late = kt_add(t, "kta4");
	KT_EXPECT_NULL(t, late->dev.driver);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers_probe", "kta4\n"), 5);
	KT_EXPECT_TRUE(t, late->dev.driver == &kta_drv);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers_probe", "nosuch"),
		     -ENODEV);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers_autoprobe", "1"), 1);
	device_unregister(&late->dev);
	device_unregister(&kd->dev);
	driver_unregister(&kta_drv);
	KT_EXPECT_EQ(t, kt_releases, 2);
}

/* References keep a deleted device; the last put releases it, once. */
static void release_exactly_once(struct ktest *t)
{
	struct kt_dev *kd = kt_add(t, "ktq0");
	struct device *dev = get_device(&kd->dev);

	get_device(dev);
	device_unregister(dev);
	KT_EXPECT_EQ(t, kt_releases, 0);
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktq0"));
	put_device(dev);
	KT_EXPECT_EQ(t, kt_releases, 0);
	put_device(dev);
	KT_EXPECT_EQ(t, kt_releases, 1);
}

static int kt_find_name(struct device *dev, void *data)
{
	return !strcmp(dev_name(dev), data);
}

static int kt_count(struct device *dev, void *data)
{
	(*(int *)data)++;
	return 0;
}

/* Children, bus iteration and lookups. */
static void iterate_and_find(struct ktest *t)
{
	struct kt_dev *a = kt_add(t, "ktc0"), *b = kt_add(t, "ktc1");
	struct device *found;
	int n = 0;

	KT_EXPECT_EQ(t, device_for_each_child(kt_root, &n, kt_count), 0);
	KT_EXPECT_EQ(t, n, 2);
	n = 0;
	bus_for_each_dev(&kt_bus, NULL, &n, kt_count);
	KT_EXPECT_EQ(t, n, 2);
	found = device_find_child(kt_root, "ktc1", kt_find_name);
	KT_EXPECT_TRUE(t, found == &b->dev);
	put_device(found);
	found = bus_find_device_by_name(&kt_bus, NULL, "ktc0");
	KT_EXPECT_TRUE(t, found == &a->dev);
	put_device(found);
	KT_EXPECT_NULL(t, bus_find_device_by_name(&kt_bus, NULL, "ktc9"));
	device_unregister(&a->dev);
	device_unregister(&b->dev);
	KT_EXPECT_EQ(t, kt_releases, 2);
}

#define KT_DEVNODE_DIR "ktdir/"
#define KT_DEVNODE_LEN 32

/* Minor 1 lives in a subdirectory of /dev; every node is 0666. */
static char *kt_devnode(const struct device *dev, umode_t *mode)
{
	char *name;

	if (mode)
		*mode = KT_NODE_MODE;
	if (MINOR(dev->devt) != 1)
		return NULL;
	name = kmalloc(KT_DEVNODE_LEN, GFP_KERNEL);
	if (name)
		snprintf(name, KT_DEVNODE_LEN, KT_DEVNODE_DIR "%s",
			 dev_name(dev));
	return name;
}

/* The devtmpfs node at @path: a character device numbered @devt? */
static bool kt_node_is(const char *path, dev_t devt, umode_t perm)
{
	struct kstat st;

	if (fx_stat(kt_devfs.fs, path, 0, &st))
		return false;
	return S_ISCHR(st.mode) && (st.mode & 0777) == perm && st.rdev == devt;
}

/* class_create, device_create, device_destroy: sysfs and /dev. */
static void class_device_nodes(struct ktest *t)
{
	struct class *cls = class_create("ktclass");
	struct device *d0, *d1;
	char buf[KT_BUF_SIZE];

	KT_ASSERT_TRUE(t, !IS_ERR(cls));
	cls->devnode = kt_devnode;
	KT_EXPECT_TRUE(t, kt_exists("/class/ktclass"));
	d0 = device_create(cls, NULL, MKDEV(KT_MAJOR, 0), NULL, "ktnode%d", 0);
	KT_ASSERT_TRUE(t, !IS_ERR(d0));
	d1 = device_create(cls, kt_root, MKDEV(KT_MAJOR, 1), NULL, "ktsub");
	KT_ASSERT_TRUE(t, !IS_ERR(d1));
	KT_EXPECT_TRUE(t, kt_exists("/devices/virtual/ktclass/ktnode0"));
	KT_EXPECT_TRUE(t, kt_exists("/class/ktclass/ktnode0"));
	KT_EXPECT_TRUE(t, kt_exists("/dev/char/240:0"));
	KT_EXPECT_TRUE(t, kt_exists("/devices/ktroot/ktclass/ktsub/device"));
	KT_EXPECT_GT(t, kt_read("/class/ktclass/ktnode0/dev", buf, sizeof(buf)),
		     0);
	KT_EXPECT_EQ(t, strcmp(buf, "240:0\n"), 0);
	KT_EXPECT_TRUE(t, kt_node_is("/ktnode0", MKDEV(KT_MAJOR, 0),
				     KT_NODE_MODE));
	KT_EXPECT_TRUE(t, kt_node_is("/ktdir/ktsub", MKDEV(KT_MAJOR, 1),
				     KT_NODE_MODE));
	device_destroy(cls, MKDEV(KT_MAJOR, 0));
	device_destroy(cls, MKDEV(KT_MAJOR, 1));
	KT_EXPECT_FALSE(t, kt_exists("/class/ktclass/ktnode0"));
	KT_EXPECT_FALSE(t, kt_exists("/devices/virtual/ktclass"));
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktclass"));
	KT_EXPECT_FALSE(t, kt_exists("/dev/char/240:0"));
	KT_EXPECT_FALSE(t, kt_node_is("/ktnode0", MKDEV(KT_MAJOR, 0),
				      KT_NODE_MODE));
	KT_EXPECT_FALSE(t, kt_node_is("/ktdir/ktsub", MKDEV(KT_MAJOR, 1),
				      KT_NODE_MODE));
	KT_EXPECT_NE(t, fx_stat(kt_devfs.fs, "/ktdir", 0, &(struct kstat){}),
		     0);
	class_destroy(cls);
	KT_EXPECT_FALSE(t, kt_exists("/class/ktclass"));
}

/* The uevent file: a class device's numbers and name, a bus device's
 * driver and the bus's variables. */
static void uevent_attribute(struct ktest *t)
{
	struct class *cls = class_create("ktclass");
	char buf[KT_BUF_SIZE];
	struct kt_dev *kd;
	struct device *d;

	KT_ASSERT_TRUE(t, !IS_ERR(cls));
	d = device_create(cls, NULL, MKDEV(KT_MAJOR, 2), NULL, "ktu");
	KT_ASSERT_TRUE(t, !IS_ERR(d));
	KT_EXPECT_GT(t, kt_read("/class/ktclass/ktu/uevent", buf, sizeof(buf)),
		     0);
	KT_EXPECT_EQ(t, strcmp(buf, "MAJOR=240\nMINOR=2\nDEVNAME=ktu\n"), 0);
	device_destroy(cls, MKDEV(KT_MAJOR, 2));
	class_destroy(cls);

	KT_ASSERT_EQ(t, driver_register(&kta_drv), 0);
	kd = kt_add(t, "kta5");
	KT_EXPECT_GT(
		t, kt_read("/devices/ktroot/kta5/uevent", buf, sizeof(buf)), 0);
	KT_EXPECT_EQ(t, strcmp(buf, "DRIVER=kta\nKT_BUS=1\n"), 0);
	device_unregister(&kd->dev);
	driver_unregister(&kta_drv);
	/* ktroot has neither bus nor class: no variables */
	KT_EXPECT_EQ(t, kt_read("/devices/ktroot/uevent", buf, sizeof(buf)), 0);
}

static int ktp_probes;

static int ktp_probe(struct platform_device *pdev)
{
	ktp_probes++;
	return pdev->id == 3 ? 0 : -ENODEV;
}

static struct platform_driver ktp_driver = {
	.probe = ktp_probe,
	.driver = { .name = "kt-plat" },
};

/* The platform bus: name.id, /sys/devices/platform, name matching,
 * MODALIAS. */
static void platform_bus_binding(struct ktest *t)
{
	struct platform_device *pdev;
	char buf[KT_BUF_SIZE];

	ktp_probes = 0;
	pdev = platform_device_register_simple("kt-plat", 3, NULL, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(pdev));
	KT_EXPECT_TRUE(t, kt_exists("/devices/platform/kt-plat.3"));
	KT_EXPECT_TRUE(t, kt_exists("/bus/platform/devices/kt-plat.3"));
	KT_ASSERT_EQ(t, platform_driver_register(&ktp_driver), 0);
	KT_EXPECT_EQ(t, ktp_probes, 1);
	KT_EXPECT_TRUE(t, pdev->dev.driver == &ktp_driver.driver);
	KT_EXPECT_GT(t,
		     kt_read("/devices/platform/kt-plat.3/uevent", buf,
			     sizeof(buf)),
		     0);
	KT_EXPECT_EQ(t,
		     strcmp(buf, "DRIVER=kt-plat\nMODALIAS=platform:kt-plat\n"),
		     0);
	KT_EXPECT_GT(t,
		     kt_read("/devices/platform/kt-plat.3/modalias", buf,
			     sizeof(buf)),
		     0);
	KT_EXPECT_EQ(t, strcmp(buf, "platform:kt-plat\n"), 0);
	platform_driver_unregister(&ktp_driver);
	KT_EXPECT_NULL(t, pdev->dev.driver);
	platform_device_unregister(pdev);
	KT_EXPECT_FALSE(t, kt_exists("/devices/platform/kt-plat.3"));
}

/* ---- probe results, driver files around a probe, deferral races -------- */

/* drivers_probe as Linux: an unbound device with no driver and a bound
 * one both give the count; only an unknown name fails (-ENODEV). */
static void drivers_probe_results(struct ktest *t)
{
	struct kt_dev *bound, *orphan;

	KT_ASSERT_EQ(t, driver_register(&kta_drv), 0);
	bound = kt_add(t, "kta6");
	orphan = kt_add(t, "ktz1");
	KT_EXPECT_TRUE(t, bound->dev.driver == &kta_drv);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers_probe", "kta6\n"), 5);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers_probe", "ktz1"), 4);
	KT_EXPECT_NULL(t, orphan->dev.driver);
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers_probe", "ktz9"), -ENODEV);
	KT_EXPECT_EQ(t, kt_probes, 1);
	device_unregister(&bound->dev);
	device_unregister(&orphan->dev);
	driver_unregister(&kta_drv);
	KT_EXPECT_EQ(t, kt_releases, 2);
}

static bool kt_attr_in_probe; /* the driver's file existed in a probe */

static ssize_t ktattr_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	const char *state = dev_get_drvdata(dev);

	if (!state)
		return -ENODEV;
	return sysfs_emit(buf, "%s\n", state);
}
static DEVICE_ATTR_RO(ktattr);

static struct attribute *ktg_attrs[] = {
	&dev_attr_ktattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ktg);

/* Notes whether the driver's file is already there; "ktgx*" fails. */
static int ktg_probe(struct device *dev)
{
	char path[KT_BUF_SIZE];

	kt_probes++;
	snprintf(path, sizeof(path), "/devices/ktroot/%s/ktattr",
		 dev_name(dev));
	if (kt_exists(path))
		kt_attr_in_probe = true;
	if (strchr(dev_name(dev), 'x'))
		return -ENXIO;
	dev_set_drvdata(dev, "bound");
	return 0;
}

static struct device_driver ktg_drv = {
	.name = "ktg",
	.bus = &kt_bus,
	.probe = ktg_probe,
	.remove = kt_remove,
	.dev_groups = ktg_groups,
};

/* A driver's dev_groups appear only after its probe succeeded, never
 * after a failed one, and go with the unbind. */
static void driver_files_after_probe(struct ktest *t)
{
	char buf[KT_BUF_SIZE];
	struct kt_dev *ok, *bad;

	kt_attr_in_probe = false;
	KT_ASSERT_EQ(t, driver_register(&ktg_drv), 0);
	ok = kt_add(t, "ktg0");
	KT_EXPECT_FALSE(t, kt_attr_in_probe);
	KT_EXPECT_TRUE(t, ok->dev.driver == &ktg_drv);
	KT_EXPECT_GT(
		t, kt_read("/devices/ktroot/ktg0/ktattr", buf, sizeof(buf)), 0);
	KT_EXPECT_EQ(t, strcmp(buf, "bound\n"), 0);
	bad = kt_add(t, "ktgx0");
	KT_EXPECT_EQ(t, kt_probes, 2);
	KT_EXPECT_FALSE(t, kt_attr_in_probe);
	KT_EXPECT_NULL(t, bad->dev.driver);
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktgx0/ktattr"));
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktgx0/driver"));
	KT_EXPECT_EQ(t, kt_write("/bus/kt_bus/drivers/ktg/unbind", "ktg0"), 4);
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktg0/ktattr"));
	KT_EXPECT_EQ(t, kt_removes, 1);
	device_unregister(&ok->dev);
	device_unregister(&bad->dev);
	driver_unregister(&ktg_drv);
	KT_EXPECT_EQ(t, kt_releases, 2);
}

static struct completion kt_thread_done; /* the helper thread finished */

/* Until another task sleeps on @dev's lock (held by the caller). */
static void kt_wait_for_waiter(struct device *dev)
{
	while (list_empty(&dev->mutex.wait_list))
		yield();
}

static int kt_del_thread(void *data)
{
	device_del(data);
	complete(&kt_thread_done);
	return 0;
}

/* In its probe, starts device_del() of the device in another thread,
 * lets it reach the device lock, then defers. */
static int ktd_probe(struct device *dev)
{
	struct task *tsk;

	kt_probes++;
	tsk = kthread_run(kt_del_thread, dev, "kt-del");
	if (IS_ERR(tsk))
		return PTR_ERR(tsk);
	kt_wait_for_waiter(dev);
	return -EPROBE_DEFER;
}

static struct device_driver ktd_drv = {
	.name = "ktd",
	.bus = &kt_bus,
	.probe = ktd_probe,
	.remove = kt_remove,
};

/* A probe that defers while device_del() waits for the device: the
 * deleted device must not stay on the deferred list (which holds no
 * reference) nor be probed or bound again. */
static void deferred_probe_vs_delete(struct ktest *t)
{
	struct kt_dev *kd, *supplier;

	init_completion(&kt_thread_done);
	KT_ASSERT_EQ(t, driver_register(&ktd_drv), 0);
	kd = kt_add(t, "ktd0");
	wait_for_completion(&kt_thread_done);
	KT_EXPECT_EQ(t, kt_probes, 1);
	KT_EXPECT_TRUE(t, list_empty(&kd->dev.deferred_probe));
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktd0"));
	KT_ASSERT_EQ(t, driver_register(&kta_drv), 0);
	supplier = kt_add(t, "kta7"); /* a bind: a deferred pass */
	KT_EXPECT_EQ(t, kt_probes, 2);
	KT_EXPECT_EQ(t, device_driver_attach(&ktd_drv, &kd->dev), -ENODEV);
	KT_EXPECT_EQ(t, device_attach(&kd->dev), 0);
	KT_EXPECT_EQ(t, kt_probes, 2);
	KT_EXPECT_NULL(t, kd->dev.driver);
	put_device(&kd->dev);
	device_unregister(&supplier->dev);
	driver_unregister(&kta_drv);
	driver_unregister(&ktd_drv);
	KT_EXPECT_EQ(t, kt_releases, 2);
}

static int kt_unregister_thread(void *data)
{
	driver_unregister(data);
	complete(&kt_thread_done);
	return 0;
}

static struct device_driver kte_drv;

/* Unregisters its own driver, completely, in the middle of the probe. */
static int kte_probe(struct device *dev)
{
	struct task *tsk;

	kt_probes++;
	tsk = kthread_run(kt_unregister_thread, &kte_drv, "kt-unreg");
	if (IS_ERR(tsk))
		return PTR_ERR(tsk);
	wait_for_completion(&kt_thread_done);
	return 0;
}

static struct device_driver kte_drv = {
	.name = "kte",
	.bus = &kt_bus,
	.probe = kte_probe,
	.remove = kt_remove,
};

/* driver_unregister() finishing while a probe with that driver runs:
 * the probe must not bind (driver_detach is over), it unwinds. */
static void driver_removed_during_probe(struct ktest *t)
{
	struct kt_dev *kd;

	init_completion(&kt_thread_done);
	KT_ASSERT_EQ(t, driver_register(&kte_drv), 0);
	kd = kt_add(t, "kte0");
	KT_EXPECT_EQ(t, kt_probes, 1);
	KT_EXPECT_NULL(t, kd->dev.driver);
	KT_EXPECT_EQ(t, kt_removes, 1);
	KT_EXPECT_NULL(t, kte_drv.p);
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/kte0/driver"));
	KT_EXPECT_FALSE(t, kt_exists("/bus/kt_bus/drivers/kte"));
	device_unregister(&kd->dev);
	KT_EXPECT_EQ(t, kt_releases, 1);
}

static int ktn_probes;

static int ktn_probe(struct device *dev)
{
	ktn_probes++;
	return -EPROBE_DEFER; /* never satisfied */
}

static struct device_driver ktn_drv = {
	.name = "ktn",
	.bus = &kt_bus,
	.probe = ktn_probe,
};

/* Adds a kt_bus device from a helper thread (no ktest asserts there). */
static int kt_add_thread(void *data)
{
	struct kt_dev *kd = data;

	if (device_add(&kd->dev))
		put_device(&kd->dev);
	complete(&kt_thread_done);
	return 0;
}

static struct kt_dev *kt_new(const char *name)
{
	struct kt_dev *kd = kzalloc(sizeof(*kd), GFP_KERNEL);

	if (!kd)
		return NULL;
	device_initialize(&kd->dev);
	kd->dev.parent = kt_root;
	kd->dev.bus = &kt_bus;
	kd->dev.release = kt_dev_release;
	if (dev_set_name(&kd->dev, "%s", name)) {
		put_device(&kd->dev);
		return NULL;
	}
	return kd;
}

/*
 * A deferred pass (thread A) waits for a device lock that this thread
 * holds, as a probe would; device_add() here (which binds and so owes a
 * pass) must not wait for A's pass, and A must do the owed work.
 */
static void deferred_pass_vs_device_lock(struct ktest *t)
{
	struct kt_dev *consumer, *supplier, *nodrv, *other;
	struct task *tsk;

	ktn_probes = 0;
	init_completion(&kt_thread_done);
	KT_ASSERT_EQ(t, driver_register(&ktb_drv), 0);
	KT_ASSERT_EQ(t, driver_register(&kta_drv), 0);
	KT_ASSERT_EQ(t, driver_register(&ktn_drv), 0);
	consumer = kt_add(t, "ktb3"); /* defers: no supplier yet */
	KT_ASSERT_TRUE(t, !consumer->dev.driver);
	supplier = kt_new("kta8");
	KT_ASSERT_NOT_NULL(t, supplier);
	get_device(&supplier->dev);
	device_lock(&consumer->dev);
	tsk = kthread_run(kt_add_thread, supplier, "kt-add");
	KT_ASSERT_TRUE(t, !IS_ERR(tsk));
	kt_wait_for_waiter(&consumer->dev); /* A: in a pass, on our lock */
	nodrv = kt_add(t, "ktn0"); /* defers */
	other = kt_add(t, "kta9"); /* binds: a pass is owed, A does it */
	KT_EXPECT_EQ(t, ktn_probes, 1);
	device_unlock(&consumer->dev);
	wait_for_completion(&kt_thread_done);
	KT_EXPECT_TRUE(t, consumer->dev.driver == &ktb_drv);
	KT_EXPECT_TRUE(t, other->dev.driver == &kta_drv);
	KT_EXPECT_EQ(t, ktn_probes, 2);
	device_unregister(&nodrv->dev);
	device_unregister(&other->dev);
	device_unregister(&consumer->dev);
	device_unregister(&supplier->dev);
	put_device(&supplier->dev);
	driver_unregister(&ktn_drv);
	driver_unregister(&kta_drv);
	driver_unregister(&ktb_drv);
	KT_EXPECT_EQ(t, kt_releases, 4);
}

#define KT_GLUE_ROUNDS 200

struct kt_glue_job {
	struct class *cls;
	const char *name;
	int failures;
};

/* Make and destroy a class device under ktroot, again and again. */
static int kt_glue_thread(void *data)
{
	struct kt_glue_job *job = data;
	struct device *d;
	int i;

	for (i = 0; i < KT_GLUE_ROUNDS; i++) {
		d = device_create(job->cls, kt_root, 0, NULL, "%s", job->name);
		if (IS_ERR(d)) {
			job->failures++;
			continue;
		}
		device_unregister(d);
	}
	complete(&kt_thread_done);
	return 0;
}

/* The glue directory <ktroot>/ktclass goes with its last device and is
 * made again by the next; two threads doing that at once never fail. */
static void glue_dir_reuse(struct ktest *t)
{
	struct class *cls = class_create("ktclass");
	struct kt_glue_job a = { cls, "ktglue0", 0 }, b = { cls, "ktglue1", 0 };
	struct device *d;
	struct task *tsk;

	KT_ASSERT_TRUE(t, !IS_ERR(cls));
	d = device_create(cls, kt_root, 0, NULL, "ktglue0");
	KT_ASSERT_TRUE(t, !IS_ERR(d));
	KT_EXPECT_TRUE(t, kt_exists("/devices/ktroot/ktclass/ktglue0"));
	device_unregister(d);
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktclass"));
	d = device_create(cls, kt_root, 0, NULL, "ktglue0");
	KT_ASSERT_TRUE(t, !IS_ERR(d));
	KT_EXPECT_TRUE(t, kt_exists("/devices/ktroot/ktclass/ktglue0"));
	device_unregister(d);
	init_completion(&kt_thread_done);
	tsk = kthread_run(kt_glue_thread, &b, "kt-glue");
	KT_ASSERT_TRUE(t, !IS_ERR(tsk));
	kt_glue_thread(&a);
	wait_for_completion(&kt_thread_done);
	wait_for_completion(&kt_thread_done);
	KT_EXPECT_EQ(t, a.failures, 0);
	KT_EXPECT_EQ(t, b.failures, 0);
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktclass"));
	class_destroy(cls);
}

static struct ktest_case driver_core_cases[] = {
	KTEST_CASE(probe_on_device_add),
	KTEST_CASE(probe_on_driver_register),
	KTEST_CASE(deferred_probe),
	KTEST_CASE(sysfs_bind_unbind),
	KTEST_CASE(release_exactly_once),
	KTEST_CASE(iterate_and_find),
	KTEST_CASE(class_device_nodes),
	KTEST_CASE(uevent_attribute),
	KTEST_CASE(platform_bus_binding),
	KTEST_CASE(drivers_probe_results),
	KTEST_CASE(driver_files_after_probe),
	KTEST_CASE(deferred_probe_vs_delete),
	KTEST_CASE(driver_removed_during_probe),
	KTEST_CASE(deferred_pass_vs_device_lock),
	KTEST_CASE(glue_dir_reuse),
	{}
};
KTEST_SUITE_FULL(driver_core, driver_core_cases, kt_init, kt_exit);
