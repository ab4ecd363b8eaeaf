/*
 * Number parsing and formatting (lib/vsprintf.c, lib/kstrtox.c).
 */
#ifndef _KESTREL_KSTRTOX_H
#define _KESTREL_KSTRTOX_H

#include <kestrel/compiler.h>
#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
	__printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
	__printf(3, 0);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int sprintf(char *buf, const char *fmt, ...) __printf(2, 3);

/*
 * kstrto*() parse a whole string (one trailing newline allowed) in @base
 * (0 means auto: 0x hex, 0 octal, else decimal). Return 0, -EINVAL for
 * malformed input or -ERANGE on overflow; *res is untouched on error.
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);

/*
 * memparse - parse a size with an optional K, M or G suffix ("64M").
 * @retptr, when not NULL, receives the first unparsed character.
 */
unsigned long long memparse(const char *s, char **retptr);

#endif /* _KESTREL_KSTRTOX_H */
