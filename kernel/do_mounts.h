/*
 * Mounting the root file system (kernel/do_mounts.c): what kernel_init()
 * and the tests (kernel/do_mounts_test.c) use. docs/rootfs.md.
 */
#ifndef _KERNEL_DO_MOUNTS_H
#define _KERNEL_DO_MOUNTS_H

#include <kestrel/types.h>

/* The device the root is mounted from (0 until prepare_namespace). */
extern dev_t ROOT_DEV;

/* root= as given, or NULL. */
const char *root_device(void);
/* Mount root= on / for PID 1; panics when it cannot (as Linux). */
void prepare_namespace(void);

dev_t name_to_dev_t(const char *name);
int parse_uuid(const char *s, u8 uuid[16]);
bool ext2_sb_identifies(const void *buf);
int root_fs_list(char *buf, size_t size, const char *names);
void printk_all_partitions(void);

#endif /* _KERNEL_DO_MOUNTS_H */
