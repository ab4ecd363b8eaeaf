/*
 * The kernel's errno values: Linux's user-visible numbers plus the codes
 * used only inside the kernel (the restart codes the signal code turns
 * into EINTR or a restarted call, and probe deferral).
 */
#ifndef _KESTREL_ERRNO_H
#define _KESTREL_ERRNO_H

#include <uapi/errno.h>

/* Kernel-internal codes, never seen by user space. */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ENOIOCTLCMD 515
#define ERESTART_RESTARTBLOCK 516
#define EPROBE_DEFER 517

#endif /* _KESTREL_ERRNO_H */
