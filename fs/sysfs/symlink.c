/*
 * sysfs: symbolic links between kobject directories.
 *
 * A link node holds a reference on its target node, not a path: the
 * text readlink() returns is computed when asked, from the two nodes'
 * places in the tree, so it stays right when a directory is renamed or
 * moved. As on Linux the text is relative, climbing from the link's
 * directory to the closest common ancestor of it and the target's
 * parent, and down to the target:
 *
 *	/sys/bus/pci/devices/0000:00:01.1 -> the node of
 *	/sys/devices/pci0000:00/0000:00:01.1 reads
 *	"../../../devices/pci0000:00/0000:00:01.1"
 *
 * so the tree can be mounted anywhere (or looked at in a chroot).
 */
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/kobject.h>
#include <kestrel/string.h>

#include "sysfs.h"

/* The length of "../" */
#define DOTDOT_SLASH_LEN 3

static int sysfs_depth(const struct sysfs_dirent *sd)
{
	int depth = 0;

	for (; sd->s_parent; sd = sd->s_parent)
		depth++;
	return depth;
}

/* Append @n bytes of @s at *@len in @buf of @size; -ENAMETOOLONG. */
static int path_append(char *buf, size_t size, size_t *len, const char *s,
		       size_t n)
{
	if (*len + n + 1 > size)
		return -ENAMETOOLONG;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

/* Append "../" (climb one level) to @buf. */
static int path_climb(char *buf, size_t size, size_t *len)
{
	return path_append(buf, size, len, "../", DOTDOT_SLASH_LEN);
}

/**
 * sysfs_link_target - the text of a link: its target, relative
 * @link: a link node
 * @buf: where to write it
 * @size: the room in @buf (at least 1)
 *
 * Return: the length, or -ENAMETOOLONG. Context: sysfs_mutex held.
 */
int sysfs_link_target(const struct sysfs_dirent *link, char *buf, size_t size)
{
	const struct sysfs_dirent *chain[SYSFS_MAX_DEPTH + 1];
	const struct sysfs_dirent *a = link->s_parent, *b, *target;
	int da, db, n = 0;
	size_t len = 0;

	lockdep_assert_held(&sysfs_mutex);
	target = link->s_target;
	b = target->s_parent;
	if (!b)
		return -EINVAL; /* the root is no kobject's */
	da = sysfs_depth(a);
	db = sysfs_depth(b);
	if (db > SYSFS_MAX_DEPTH)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	chain[n++] = target;
	/* Level the link's directory and the target's parent, then climb
	 * both to their common ancestor: "../" per level on the link's
	 * side, a name per level on the target's. */
	for (; da > db; da--, a = a->s_parent)
		if (path_climb(buf, size, &len))
			return -ENAMETOOLONG;
	for (; db > da; db--, b = b->s_parent)
		chain[n++] = b;
	for (; a != b; a = a->s_parent, b = b->s_parent) {
		if (path_climb(buf, size, &len))
			return -ENAMETOOLONG;
		chain[n++] = b;
	}
	while (n-- > 0) {
		if (path_append(buf, size, &len, chain[n]->s_name,
				strlen(chain[n]->s_name)) ||
		    (n && path_append(buf, size, &len, "/", 1)))
			return -ENAMETOOLONG;
	}
	return (int)len;
}

/**
 * sysfs_create_link - make a symbolic link to a kobject's directory
 * @kobj: the kobject whose directory gets the link, or NULL: /sys
 * @target: the kobject linked to, with a directory
 * @name: the link's name
 *
 * Return: 0, -EEXIST, -ENOENT (a directory is missing), -EINVAL,
 * -ENOMEM. Context: process; may sleep.
 */
int sysfs_create_link(struct kobject *kobj, struct kobject *target,
		      const char *name)
{
	struct sysfs_dirent *parent, *sd;
	int err = -ENOENT;

	if (WARN_ON(!target || !name))
		return -EINVAL;
	sd = sysfs_new_dirent(name, S_IFLNK | S_IRWXUGO, SYSFS_KOBJ_LINK);
	if (!sd)
		return -ENOMEM;
	mutex_lock(&sysfs_mutex);
	parent = kobj ? kobj->sd : sysfs_root;
	if (parent && target->sd) {
		sd->s_target = sysfs_get(target->sd);
		err = sysfs_add_one(parent, sd);
	}
	mutex_unlock(&sysfs_mutex);
	if (err)
		sysfs_put(sd); /* drops the target reference too */
	return err;
}

/**
 * sysfs_remove_link - remove a symbolic link
 * @kobj: the kobject whose directory holds it, or NULL: /sys
 * @name: the link's name
 *
 * Context: process; may sleep.
 */
void sysfs_remove_link(struct kobject *kobj, const char *name)
{
	sysfs_remove_by_name(kobj ? kobj->sd : sysfs_root, name);
}

/**
 * sysfs_rename_link - rename a symbolic link
 * @kobj: the kobject whose directory holds it, or NULL: /sys
 * @target: the kobject it must point to
 * @old_name: its name
 * @new_name: its new name
 *
 * Return: 0, -ENOENT (no such link to @target), -EEXIST, -ENOMEM.
 * Context: process; may sleep.
 */
int sysfs_rename_link(struct kobject *kobj, struct kobject *target,
		      const char *old_name, const char *new_name)
{
	struct sysfs_dirent *parent, *sd;
	int err = -ENOENT;

	if (!target || !old_name || !new_name)
		return -EINVAL;
	mutex_lock(&sysfs_mutex);
	parent = kobj ? kobj->sd : sysfs_root;
	sd = parent ? sysfs_find_dirent(parent, old_name) : NULL;
	if (sd && sd->s_type == SYSFS_KOBJ_LINK && sd->s_target == target->sd)
		err = sysfs_rename(sd, parent, new_name);
	mutex_unlock(&sysfs_mutex);
	return err;
}
