/*
 * Thread-local storage descriptors (set_thread_area/get_thread_area,
 * CLONE_SETTLS): each task has three GDT slots, loaded on switch.
 */
#ifndef _KESTREL_TLS_H
#define _KESTREL_TLS_H

#include <kestrel/compiler.h>

struct task;

/*
 * Fill one of @p's TLS slots from the struct user_desc at @u_info. An
 * entry_number of -1 picks a free slot; @idx_out (if not NULL) gets the
 * slot chosen. Returns 0, -EFAULT, -EINVAL or -ESRCH (no free slot).
 */
int tls_set_from_user(struct task *p, void __user *u_info, int *idx_out);

#endif /* _KESTREL_TLS_H */
