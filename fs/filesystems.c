/*
 * The registry of filesystem types: mount(2) finds a type by the name it
 * is given, /proc/filesystems lists them.
 *
 * Locking: file_systems_lock (a spinlock) protects the list. Types are
 * static objects that are never freed while registered.
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/string.h>

static LIST_HEAD(file_systems); /* file_systems_lock */
static DEFINE_SPINLOCK(file_systems_lock);

static struct file_system_type *find_filesystem(const char *name)
{
	struct file_system_type *type;

	list_for_each_entry(type, &file_systems, fs_list)
		if (!strcmp(type->name, name))
			return type;
	return NULL;
}

/**
 * register_filesystem - make @type known to mount(2)
 *
 * Returns 0, or -EBUSY if a type of that name exists. Context: process.
 */
int register_filesystem(struct file_system_type *type)
{
	int err = 0;

	spin_lock(&file_systems_lock);
	if (find_filesystem(type->name)) {
		err = -EBUSY;
	} else {
		INIT_LIST_HEAD(&type->fs_supers);
		list_add_tail(&type->fs_list, &file_systems);
	}
	spin_unlock(&file_systems_lock);
	return err;
}

/* Returns 0, or -EINVAL if @type was not registered. The caller makes
 * sure no instance is mounted. */
int unregister_filesystem(struct file_system_type *type)
{
	int err = -EINVAL;

	spin_lock(&file_systems_lock);
	if (find_filesystem(type->name) == type) {
		list_del(&type->fs_list);
		err = 0;
	}
	spin_unlock(&file_systems_lock);
	return err;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *type;

	spin_lock(&file_systems_lock);
	type = find_filesystem(name);
	spin_unlock(&file_systems_lock);
	return type;
}

/* @fn runs under the spinlock: it must not sleep. */
void filesystems_for_each(void (*fn)(const struct file_system_type *type,
				     void *arg),
			  void *arg)
{
	struct file_system_type *type;

	spin_lock(&file_systems_lock);
	list_for_each_entry(type, &file_systems, fs_list)
		fn(type, arg);
	spin_unlock(&file_systems_lock);
}
