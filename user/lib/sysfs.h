/*
 * Reading Linux's /sys from user space: the small helpers that lsdev and
 * lspci share (user/lib/sysfs.c). Every sysfs attribute holds one value
 * as text ending in a newline ("0x8086\n", "1:3\n"); these read one,
 * strip the newline, and parse the common shapes. They work the same on
 * Kestrel's sysfs and on Linux's.
 */
#ifndef USER_LIB_SYSFS_H
#define USER_LIB_SYSFS_H

#include <stddef.h>

#define SYSFS_PATH_MAX 512
#define SYSFS_VALUE_MAX 4096 /* an attribute is at most one page */

/*
 * sysfs_read_attr - read attribute @name of directory @dir into @buf
 * (@len bytes), without its trailing newline. Returns the length, or -1
 * with errno set (ENOENT: no such attribute).
 */
int sysfs_read_attr(const char *dir, const char *name, char *buf, size_t len);

/*
 * sysfs_read_ulong - read attribute @name of @dir as a number in C syntax
 * ("0x8086", "11", "0x010180") into @val. Returns 0 or -1.
 */
int sysfs_read_ulong(const char *dir, const char *name, unsigned long *val);

/*
 * sysfs_link_name - the last component of symlink @name in @dir (the
 * driver a "driver" link names, the bus a "subsystem" link names) into
 * @buf. Returns 0, or -1 when there is no such link.
 */
int sysfs_link_name(const char *dir, const char *name, char *buf, size_t len);

/*
 * sysfs_list_dir - the names in directory @dir, sorted, without "." and
 * "..", as a NULL-terminated array the caller frees with
 * sysfs_free_list(). Returns NULL (errno set) when @dir cannot be read.
 */
char **sysfs_list_dir(const char *dir);
void sysfs_free_list(char **names);

#endif /* USER_LIB_SYSFS_H */
