/*
 * Kernel random numbers (kernel/random.c): ChaCha20 keyed from an
 * entropy pool that interrupt timings and the TSC keep stirring.
 */
#ifndef _KESTREL_RANDOM_H
#define _KESTREL_RANDOM_H

#include <stddef.h>
#include <kestrel/types.h>

/* Fill @buf with @len random bytes. Any context but interrupts. */
void get_random_bytes(void *buf, size_t len);
u32 get_random_u32(void);
/* Mix a little unpredictability (a timestamp, an event) into the pool. */
void add_random_event(u32 value);

#endif /* _KESTREL_RANDOM_H */
