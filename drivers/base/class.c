/*
 * Classes: devices seen by what they do rather than where they sit
 * (Linux's drivers/base/class.c). A class is /sys/class/<name>/, a
 * directory of symbolic links to its devices' directories; each device
 * of the class gets "subsystem" (to the class) and "device" (to its
 * parent) links.
 *
 * The devices themselves live under /sys/devices: a class device with
 * no parent in /sys/devices/virtual/<class>/, one with a parent in a
 * "glue" directory named after the class inside the parent
 * (/sys/devices/platform/serial8250/tty/ttyS0). Glue directories are
 * made on the first device that needs one and removed with the last.
 *
 * Locking: the class's device list is under lock L (base.h). The glue
 * directories have their own mutex, G (Linux's gdp_mutex), held across
 * finding-or-making one and across dropping-and-removing one: a device
 * that needs the directory while the last device of it is leaving then
 * either keeps it or finds it gone from sysfs, never half removed
 * (making a same-named one would fail with -EEXIST).
 */
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#include "base.h"

struct kset *class_kset; /* /sys/class */

/* Lock G: every class's glue_dirs list, each glue_dir's nr, and the
 * glue directories' presence in sysfs. Taken before L, after D. */
static DEFINE_MUTEX(glue_dir_mutex);

/*
 * A class's directory inside a parent. @nr counts the devices in it
 * (G); the directory holds its own first reference until @nr drops to
 * zero, and each device in it holds one as a child.
 */
struct glue_dir {
	struct kobject kobj;
	struct list_head node; /* in subsys_private.glue_dirs (G) */
	struct kobject *parent;
	int nr;
};

static void glue_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct glue_dir, kobj));
}

static const struct kobj_type glue_dir_ktype = {
	.release = glue_dir_release,
};

static struct glue_dir *glue_dir_find(struct subsys_private *sp,
				      struct kobject *parent)
{
	struct glue_dir *g;

	list_for_each_entry(g, &sp->glue_dirs, node)
		if (g->parent == parent)
			return g;
	return NULL;
}

static struct glue_dir *glue_dir_create(struct class *class,
					struct kobject *parent)
{
	struct glue_dir *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return ERR_PTR(-ENOMEM);
	g->parent = parent;
	if (kobject_init_and_add(&g->kobj, &glue_dir_ktype, parent, "%s",
				 class->name)) {
		kobject_put(&g->kobj);
		return ERR_PTR(-ENOMEM);
	}
	list_add_tail(&g->node, &class->p->glue_dirs);
	return g;
}

/**
 * class_dir_get - the directory for a device of @class under @parent
 * @class: the device's class
 * @parent: the kobject the directory goes in
 *
 * Return: the glue directory (made if needed), counted for the device;
 * give it back with class_dir_put(). ERR_PTR(-errno) on failure.
 * Context: process; may sleep; takes G.
 */
struct kobject *class_dir_get(struct class *class, struct kobject *parent)
{
	struct glue_dir *g;

	if (!class->p)
		return ERR_PTR(-EINVAL);
	mutex_lock(&glue_dir_mutex);
	g = glue_dir_find(class->p, parent);
	if (!g)
		g = glue_dir_create(class, parent);
	if (!IS_ERR(g))
		g->nr++;
	mutex_unlock(&glue_dir_mutex);
	return IS_ERR(g) ? ERR_PTR(PTR_ERR(g)) : &g->kobj;
}

/**
 * class_dir_put - a device leaves @dir; the last one removes it
 * @class: the device's class
 * @dir: the device's parent kobject; nothing happens unless it is one of
 *       the class's glue directories
 *
 * The directory leaves sysfs under G; its last reference is dropped
 * after G (the release may drop the parent's last reference).
 * Context: process; may sleep; takes G.
 */
void class_dir_put(struct class *class, struct kobject *dir)
{
	struct glue_dir *g, *found = NULL;

	if (!class->p || !dir)
		return;
	mutex_lock(&glue_dir_mutex);
	list_for_each_entry(g, &class->p->glue_dirs, node) {
		if (&g->kobj != dir)
			continue;
		if (--g->nr == 0) {
			list_del(&g->node);
			kobject_del(&g->kobj);
			found = g;
		}
		break;
	}
	mutex_unlock(&glue_dir_mutex);
	if (found)
		kobject_put(&found->kobj);
}

/* ---- /sys/class/<name> ------------------------------------------------- */

static ssize_t class_attr_show(struct kobject *kobj, struct attribute *attr,
			       char *buf)
{
	struct class_attribute *ca =
		container_of(attr, struct class_attribute, attr);

	if (!ca->show)
		return -EIO;
	return ca->show(to_subsys_private(kobj)->class, ca, buf);
}

static ssize_t class_attr_store(struct kobject *kobj, struct attribute *attr,
				const char *buf, size_t count)
{
	struct class_attribute *ca =
		container_of(attr, struct class_attribute, attr);

	if (!ca->store)
		return -EIO;
	return ca->store(to_subsys_private(kobj)->class, ca, buf, count);
}

static const struct sysfs_ops class_sysfs_ops = {
	.show = class_attr_show,
	.store = class_attr_store,
};

static void class_release(struct kobject *kobj)
{
	struct subsys_private *sp = to_subsys_private(kobj);
	struct class *class = sp->class;

	class->p = NULL;
	kfree(sp);
	if (class->class_release)
		class->class_release(class);
}

static const struct kobj_type class_ktype = {
	.release = class_release,
	.sysfs_ops = &class_sysfs_ops,
};

/**
 * class_register - make /sys/class/<class->name>
 * @class: the class; its name must outlive it
 *
 * Return: 0, -EEXIST, -ENOMEM. Context: process; may sleep.
 */
int class_register(struct class *class)
{
	struct subsys_private *sp;
	int err;

	sp = kzalloc(sizeof(*sp), GFP_KERNEL);
	if (!sp)
		return -ENOMEM;
	INIT_LIST_HEAD(&sp->devices);
	INIT_LIST_HEAD(&sp->drivers);
	INIT_LIST_HEAD(&sp->glue_dirs);
	sp->class = class;
	err = kobject_set_name(&sp->subsys.kobj, "%s", class->name);
	if (err)
		goto out_free_sp;
	sp->subsys.kobj.kset = class_kset;
	sp->subsys.kobj.ktype = &class_ktype;
	err = kset_register(&sp->subsys);
	if (err)
		goto out_free_name;
	class->p = sp;
	if (class->class_groups) {
		err = sysfs_create_groups(&sp->subsys.kobj,
					  class->class_groups);
		if (err)
			goto out_unregister;
	}
	return 0;

out_unregister:
	kset_unregister(&sp->subsys); /* frees sp and calls class_release */
	return err;
out_free_name:
	kfree(sp->subsys.kobj.name);
out_free_sp:
	kfree(sp);
	return err;
}

/**
 * class_unregister - remove /sys/class/<class->name>
 * @class: a class without devices
 *
 * Context: process; may sleep.
 */
void class_unregister(struct class *class)
{
	if (!class->p)
		return;
	if (class->class_groups)
		sysfs_remove_groups(&class->p->subsys.kobj,
				    class->class_groups);
	kset_unregister(&class->p->subsys);
}

static void class_create_release(struct class *class)
{
	kfree(class);
}

/**
 * class_create - allocate and register a class
 * @name: its name; must outlive the class
 *
 * Return: the class (free it with class_destroy()) or ERR_PTR(-errno).
 * Context: process; may sleep.
 */
struct class *class_create(const char *name)
{
	struct class *class;
	int err;

	class = kzalloc(sizeof(*class), GFP_KERNEL);
	if (!class)
		return ERR_PTR(-ENOMEM);
	class->name = name;
	class->class_release = class_create_release;
	err = class_register(class);
	if (err) {
		kfree(class);
		return ERR_PTR(err);
	}
	return class;
}

/**
 * class_destroy - unregister a class made by class_create()
 * @class: the class, or NULL / an ERR_PTR
 *
 * Context: process; may sleep.
 */
void class_destroy(struct class *class)
{
	if (!IS_ERR_OR_NULL(class))
		class_unregister(class);
}

/**
 * class_create_file - add an attribute to /sys/class/<name>/
 * @class: the class
 * @attr: the attribute
 *
 * Return: 0 or -errno. Context: process; may sleep.
 */
int class_create_file(struct class *class, const struct class_attribute *attr)
{
	if (!class->p)
		return -EINVAL;
	return sysfs_create_file(&class->p->subsys.kobj, &attr->attr);
}

/**
 * class_remove_file - remove an attribute of /sys/class/<name>/
 * @class: the class
 * @attr: the attribute
 *
 * Context: process; may sleep.
 */
void class_remove_file(struct class *class, const struct class_attribute *attr)
{
	if (class->p)
		sysfs_remove_file(&class->p->subsys.kobj, &attr->attr);
}

/**
 * class_for_each_device - call @fn on the devices of @class
 * @class: the class
 * @start: begin after this device, or NULL
 * @data: passed to @fn
 * @fn: returns non-zero to stop
 *
 * Return: the value that stopped the walk, 0, or -EINVAL.
 * Context: process; may sleep; @fn runs with no core lock held.
 */
int class_for_each_device(struct class *class, struct device *start, void *data,
			  int (*fn)(struct device *dev, void *data))
{
	if (!class || !class->p)
		return -EINVAL;
	return dev_list_for_each(&class->p->devices,
				 offsetof(struct device, knode_class), start,
				 data, fn);
}

/**
 * class_find_device - the first device of @class that @match accepts
 * @class: the class
 * @start: begin after this device, or NULL
 * @data: passed to @match
 * @match: returns non-zero for the device wanted
 *
 * Return: the device with a reference (put_device it), or NULL.
 * Context: process; may sleep.
 */
struct device *
class_find_device(struct class *class, struct device *start, const void *data,
		  int (*match)(struct device *dev, const void *data))
{
	if (!class || !class->p)
		return NULL;
	return dev_list_find(&class->p->devices,
			     offsetof(struct device, knode_class), start, data,
			     match);
}

/* The links of a class device: class/<name>, subsystem, device. */
int class_add_device(struct device *dev)
{
	struct subsys_private *sp;
	int err;

	if (!dev->class)
		return 0;
	sp = dev->class->p;
	if (!sp)
		return -EINVAL;
	err = sysfs_create_link(&dev->kobj, &sp->subsys.kobj, "subsystem");
	if (err)
		return err;
	err = sysfs_create_link(&sp->subsys.kobj, &dev->kobj, dev_name(dev));
	if (err)
		goto out_subsys;
	if (dev->parent) {
		err = sysfs_create_link(&dev->kobj, &dev->parent->kobj,
					"device");
		if (err)
			goto out_class_link;
	}
	mutex_lock(&dev_list_mutex);
	list_add_tail(&dev->knode_class, &sp->devices);
	mutex_unlock(&dev_list_mutex);
	return 0;

out_class_link:
	sysfs_remove_link(&sp->subsys.kobj, dev_name(dev));
out_subsys:
	sysfs_remove_link(&dev->kobj, "subsystem");
	return err;
}

void class_remove_device(struct device *dev)
{
	struct subsys_private *sp;

	if (!dev->class || !dev->class->p)
		return;
	sp = dev->class->p;
	mutex_lock(&dev_list_mutex);
	list_del_init(&dev->knode_class);
	mutex_unlock(&dev_list_mutex);
	if (dev->parent)
		sysfs_remove_link(&dev->kobj, "device");
	sysfs_remove_link(&sp->subsys.kobj, dev_name(dev));
	sysfs_remove_link(&dev->kobj, "subsystem");
}

/**
 * classes_init - make /sys/class
 *
 * Return: 0 or -ENOMEM. Context: boot.
 */
int classes_init(void)
{
	class_kset = kset_create_and_add("class", NULL, NULL);
	return class_kset ? 0 : -ENOMEM;
}
