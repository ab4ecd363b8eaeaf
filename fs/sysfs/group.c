/*
 * sysfs: attribute groups, the unit in which objects declare their
 * files (ktype->default_groups, a bus's dev_groups).
 *
 * A group with a name is a subdirectory of the kobject's directory; one
 * without puts its files straight into it. is_visible(kobj, attr, i)
 * (is_bin_visible for the binary ones) decides per object: 0 leaves the
 * file out, another value is the mode the file gets instead of
 * attr->mode. A group is created whole or not at all.
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/kobject.h>

#include "sysfs.h"

/* The mode attribute @i of @grp gets for @kobj; 0: not shown. */
static umode_t group_attr_mode(struct kobject *kobj,
			       const struct attribute_group *grp, int i)
{
	struct attribute *attr = grp->attrs[i];

	if (grp->is_visible)
		return grp->is_visible(kobj, attr, i);
	return attr->mode;
}

static umode_t group_bin_mode(struct kobject *kobj,
			      const struct attribute_group *grp, int i)
{
	struct bin_attribute *battr = grp->bin_attrs[i];

	if (grp->is_bin_visible)
		return grp->is_bin_visible(kobj, battr, i);
	return battr->attr.mode;
}

/* Remove every file of @grp from @dir (those never created are not
 * found, which is harmless). */
static void group_remove_files(struct sysfs_dirent *dir,
			       const struct attribute_group *grp)
{
	int i;

	for (i = 0; grp->attrs && grp->attrs[i]; i++)
		sysfs_remove_by_name(dir, grp->attrs[i]->name);
	for (i = 0; grp->bin_attrs && grp->bin_attrs[i]; i++)
		sysfs_remove_by_name(dir, grp->bin_attrs[i]->attr.name);
}

/* Create the visible files of @grp in @dir. 0 or the first error. */
static int group_create_files(struct kobject *kobj, struct sysfs_dirent *dir,
			      const struct attribute_group *grp)
{
	umode_t mode;
	int i, err = 0;

	for (i = 0; grp->attrs && grp->attrs[i] && !err; i++) {
		mode = group_attr_mode(kobj, grp, i);
		if (mode)
			err = sysfs_add_file_mode(dir, grp->attrs[i],
						  SYSFS_KOBJ_ATTR, mode);
	}
	for (i = 0; grp->bin_attrs && grp->bin_attrs[i] && !err; i++) {
		mode = group_bin_mode(kobj, grp, i);
		if (mode)
			err = sysfs_add_file_mode(dir, &grp->bin_attrs[i]->attr,
						  SYSFS_KOBJ_BIN_ATTR, mode);
	}
	return err;
}

/**
 * sysfs_create_group - create an attribute group's files
 * @kobj: the kobject, added
 * @grp: the group; it must outlive its files
 *
 * Return: 0; -EINVAL (no directory, or a group with no attributes),
 * -EEXIST (a name is taken; nothing of the group is left), -ENOMEM.
 * Context: process; may sleep.
 */
int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp)
{
	struct sysfs_dirent *dir;
	int err;

	if (WARN_ON(!kobj || !kobj->sd || !grp))
		return -EINVAL;
	if (!grp->attrs && !grp->bin_attrs)
		return -EINVAL;
	dir = kobj->sd;
	if (grp->name) {
		dir = sysfs_create_subdir(kobj, kobj->sd, grp->name);
		if (IS_ERR(dir))
			return PTR_ERR(dir);
	}
	err = group_create_files(kobj, dir, grp);
	if (err) {
		if (grp->name)
			sysfs_remove(dir);
		else
			group_remove_files(dir, grp);
	}
	return err;
}

/**
 * sysfs_create_groups - create several groups
 * @kobj: the kobject
 * @groups: a NULL-terminated array, or NULL
 *
 * Return: 0 or the first error; the groups created are then removed.
 * Context: process; may sleep.
 */
int sysfs_create_groups(struct kobject *kobj,
			const struct attribute_group *const *groups)
{
	int i, err = 0;

	for (i = 0; groups && groups[i]; i++) {
		err = sysfs_create_group(kobj, groups[i]);
		if (err)
			goto out_remove;
	}
	return 0;

out_remove:
	while (--i >= 0)
		sysfs_remove_group(kobj, groups[i]);
	return err;
}

/**
 * sysfs_remove_group - remove an attribute group's files
 * @kobj: the kobject
 * @grp: the group
 *
 * A named group's subdirectory goes with everything in it.
 * Context: process; may sleep.
 */
void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp)
{
	if (!kobj || !kobj->sd || !grp)
		return;
	if (grp->name)
		sysfs_remove_by_name(kobj->sd, grp->name);
	else
		group_remove_files(kobj->sd, grp);
}

/**
 * sysfs_remove_groups - remove several groups
 * @kobj: the kobject
 * @groups: a NULL-terminated array, or NULL
 *
 * Context: process; may sleep.
 */
void sysfs_remove_groups(struct kobject *kobj,
			 const struct attribute_group *const *groups)
{
	int i;

	for (i = 0; groups && groups[i]; i++)
		sysfs_remove_group(kobj, groups[i]);
}
