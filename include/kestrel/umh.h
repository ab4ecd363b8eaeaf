/*
 * The usermode helper: run a user program from the kernel (Linux's
 * call_usermodehelper; kernel/umh.c). The uevent helper (/sbin/hotplug,
 * busybox mdev) is started this way for every device event.
 *
 * The program runs as a new process of its own: root, the root
 * filesystem, no controlling terminal, descriptors 0-2 closed, a child
 * of init that nobody waits for (it is reaped as soon as it exits, so
 * helpers never pile up as zombies).
 */
#ifndef _KESTREL_UMH_H
#define _KESTREL_UMH_H

/* How long call_usermodehelper() waits. */
#define UMH_NO_WAIT 0 /* not at all: the program may not have started */
#define UMH_WAIT_EXEC 1 /* until the exec succeeded or failed */

/**
 * call_usermodehelper - run @path with @argv and @envp
 * @argv, @envp: NULL-terminated; copied, so the caller may free them
 *               as soon as this returns
 * @wait: UMH_NO_WAIT or UMH_WAIT_EXEC
 *
 * Returns 0, -ENOMEM, -EINVAL (bad @wait, empty @path), -EBUSY (no
 * init process yet), or with UMH_WAIT_EXEC the exec's error (-ENOENT,
 * -EACCES, ...). A failed exec is also reported once with printk.
 * Context: process; may sleep.
 */
int call_usermodehelper(const char *path, char **argv, char **envp, int wait);

#endif /* _KESTREL_UMH_H */
