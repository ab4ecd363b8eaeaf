/*
 * ktest suite "driver_core": the driver core against a test bus.
 *
 * The bus "kt_bus" matches a device to a driver when the device's name
 * starts with the driver's ("kta0" is driven by "kta"). Its devices are
 * struct kt_dev, which count probe, remove and release calls; device
 * "ktb*" defers its probe until a "kta" device is bound (a supplier),
 * to exercise deferred probing. The sysfs side is checked through real
 * file reads and writes on a private sysfs mount, and device nodes on
 * the devtmpfs at /dev.
 *
 *	/sys/devices/ktroot/kta0          kt_bus devices, under a root
 *	/sys/bus/kt_bus/drivers/kta/bind  bind and unbind by name
 *	/sys/devices/virtual/ktclass/...  class devices without a parent
 */
#include <kestrel/device.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs_struct.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/ktest_fs.h>
#include <kestrel/platform_device.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <uapi/fcntl.h>

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
	err = bus_register(&kt_bus);
	if (err)
		goto out_mnt;
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
		     -EINVAL);
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

/* The /dev node at @path: a character device numbered @devt? */
static bool kt_node_is(const char *path, dev_t devt, umode_t perm)
{
	struct kstat st;

	if (fx_stat(&init_fs, path, 0, &st))
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
	KT_EXPECT_TRUE(t, kt_node_is("/dev/ktnode0", MKDEV(KT_MAJOR, 0),
				     KT_NODE_MODE));
	KT_EXPECT_TRUE(t, kt_node_is("/dev/ktdir/ktsub", MKDEV(KT_MAJOR, 1),
				     KT_NODE_MODE));
	device_destroy(cls, MKDEV(KT_MAJOR, 0));
	device_destroy(cls, MKDEV(KT_MAJOR, 1));
	KT_EXPECT_FALSE(t, kt_exists("/class/ktclass/ktnode0"));
	KT_EXPECT_FALSE(t, kt_exists("/devices/virtual/ktclass"));
	KT_EXPECT_FALSE(t, kt_exists("/devices/ktroot/ktclass"));
	KT_EXPECT_FALSE(t, kt_exists("/dev/char/240:0"));
	KT_EXPECT_FALSE(t, kt_node_is("/dev/ktnode0", MKDEV(KT_MAJOR, 0),
				      KT_NODE_MODE));
	KT_EXPECT_FALSE(t, kt_node_is("/dev/ktdir/ktsub", MKDEV(KT_MAJOR, 1),
				      KT_NODE_MODE));
	KT_EXPECT_NE(t, fx_stat(&init_fs, "/dev/ktdir", 0, &(struct kstat){}),
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

static struct ktest_case driver_core_cases[] = {
	KTEST_CASE(probe_on_device_add),  KTEST_CASE(probe_on_driver_register),
	KTEST_CASE(deferred_probe),	  KTEST_CASE(sysfs_bind_unbind),
	KTEST_CASE(release_exactly_once), KTEST_CASE(iterate_and_find),
	KTEST_CASE(class_device_nodes),	  KTEST_CASE(uevent_attribute),
	KTEST_CASE(platform_bus_binding), {}
};
KTEST_SUITE_FULL(driver_core, driver_core_cases, kt_init, kt_exit);
