/*
 * Panic and oops support. panic() itself is declared in <kestrel/bug.h>.
 */
#ifndef _KESTREL_PANIC_H
#define _KESTREL_PANIC_H

#include <kestrel/bug.h>

/* Seconds to wait before rebooting after a panic (panic=N); 0: halt. */
extern int panic_timeout;
/* Nonzero while an oops or panic is being reported: printk then
 * ignores its lock, so the report gets out even if it was held. */
extern int oops_in_progress;

/* Start reporting a fatal error: interrupts off, consoles forced on. */
void oops_begin(void);

#endif /* _KESTREL_PANIC_H */
