/*
 * Error pointers: a function returning a pointer reports failure as
 * ERR_PTR(-EXXX); callers test with IS_ERR() and recover the errno with
 * PTR_ERR(). The top 4095 addresses are never valid kernel pointers.
 */
#ifndef _KESTREL_ERR_H
#define _KESTREL_ERR_H

#include <kestrel/compiler.h>
#include <kestrel/errno.h>
#include <stdbool.h>
#include <stdint.h>

#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) unlikely((uintptr_t)(x) >= (uintptr_t)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

/* Pass an error pointer on as another pointer type. */
static inline void *ERR_CAST(const void *ptr)
{
	return (void *)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE(ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE(ptr);
}

#endif /* _KESTREL_ERR_H */
