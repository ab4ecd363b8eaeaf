/*
 * Reading the kernel's uevent messages from the kevent socket
 * (AF_NETLINK, NETLINK_KOBJECT_UEVENT: docs/netlink.md), shared by
 * uevent-listen and kdevd (user/lib/uevent.c). A message is
 * "ACTION@DEVPATH" then NUL-terminated "KEY=VALUE" strings, the same on
 * Kestrel and on Linux.
 */
#ifndef USER_LIB_UEVENT_H
#define USER_LIB_UEVENT_H

#include <stddef.h>

/* The value of variable @key in the message @buf of @len bytes, or NULL. */
const char *uevent_var(const char *buf, size_t len, const char *key);

#endif /* USER_LIB_UEVENT_H */
