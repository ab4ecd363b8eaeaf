/*
 * getrandom() flags in the Linux i386 ABI. From Linux's
 * include/uapi/linux/random.h; facts of the ABI that must not change.
 */
#ifndef _UAPI_RANDOM_H
#define _UAPI_RANDOM_H

#define GRND_NONBLOCK 0x0001 /* EAGAIN instead of waiting for entropy */
#define GRND_RANDOM 0x0002 /* historical /dev/random pool */
#define GRND_INSECURE 0x0004 /* never block, even before seeding */

#endif /* _UAPI_RANDOM_H */
