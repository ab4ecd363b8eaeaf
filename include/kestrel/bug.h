/*
 * Checks of the kernel's own invariants. BUG_ON() panics: use it only for
 * a broken invariant, never for bad input. WARN_ON() reports with a
 * backtrace and goes on; it evaluates to its condition.
 */
#ifndef _KESTREL_BUG_H
#define _KESTREL_BUG_H

#include <kestrel/compiler.h>

void __noreturn panic(const char *fmt, ...) __printf(1, 2);
void __warn(const char *file, int line, const char *cond);

#define BUG() panic("kernel BUG at %s:%d in %s()", __FILE__, __LINE__, __func__)

#define BUG_ON(cond)                                                         \
	do {                                                                 \
		if (unlikely(cond))                                          \
			panic("kernel BUG at %s:%d: %s", __FILE__, __LINE__, \
			      #cond);                                        \
	} while (0)

#define WARN_ON(cond)                                      \
	({                                                 \
		int __ret_warn = !!(cond);                 \
		if (unlikely(__ret_warn))                  \
			__warn(__FILE__, __LINE__, #cond); \
		unlikely(__ret_warn);                      \
	})

/* As WARN_ON(), but reports only the first time this line sees @cond. */
#define WARN_ON_ONCE(cond)                                    \
	({                                                    \
		static int __warned;                          \
		int __ret_warn_once = !!(cond);               \
		if (unlikely(__ret_warn_once && !__warned)) { \
			__warned = 1;                         \
			__warn(__FILE__, __LINE__, #cond);    \
		}                                             \
		unlikely(__ret_warn_once);                    \
	})

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#endif /* _KESTREL_BUG_H */
