/*
 * Declarations private to mm/: shared by the allocators and their ktest
 * suites, not part of any public interface.
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

/*
 * MM_DEBUG is 1 in debug builds (CONFIG_DEBUG): freed pages and objects
 * are poisoned and checked, objects get red zones. Code tests it with a
 * plain `if`, so both variants are always compiled.
 */
#ifdef CONFIG_DEBUG
#define MM_DEBUG 1
#else
#define MM_DEBUG 0
#endif

#endif /* _MM_INTERNAL_H */
