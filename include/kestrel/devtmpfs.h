/*
 * devtmpfs: the kernel's /dev. A tmpfs is mounted on /dev of the root
 * filesystem at boot, and drivers create their device nodes in it by
 * name; user space finds /dev/null, /dev/console... without any help.
 */
#ifndef _KESTREL_DEVTMPFS_H
#define _KESTREL_DEVTMPFS_H

#include <kestrel/fs.h>

/* Mount /dev. Boot, after the root filesystem is up. */
int devtmpfs_init(void);
/* Create /dev/@name (S_IFCHR | perms, @dev). Logs and returns -errno. */
int devtmpfs_create_node(const char *name, umode_t mode, dev_t dev);

/* The character devices of the memory (drivers/char/mem.c). The
 * terminals' are tty_init()'s (<kestrel/tty.h>). */
int chr_dev_init(void);

#endif /* _KESTREL_DEVTMPFS_H */
