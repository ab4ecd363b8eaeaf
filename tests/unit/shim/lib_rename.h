/*
 * Host unit tests only: gives the functions of lib/ that the C library
 * also defines a k_ prefix. tests/unit/lib.mk forces this header into
 * every lib/ source built for the host, and the lib tests include it, so
 * a test binary holds our memcpy() (as k_memcpy) beside glibc's instead
 * of replacing it, which would also fight AddressSanitizer's
 * interceptors. Code placed before the #include in a test still reaches
 * glibc's functions, which the tests use as an oracle.
 */
#ifndef _TESTS_UNIT_SHIM_LIB_RENAME_H
#define _TESTS_UNIT_SHIM_LIB_RENAME_H

/* lib/string.c */
#define memset k_memset
#define memcpy k_memcpy
#define memmove k_memmove
#define memcmp k_memcmp
#define memchr k_memchr
#define strlen k_strlen
#define strnlen k_strnlen
#define strcmp k_strcmp
#define strncmp k_strncmp
#define strchr k_strchr
#define strrchr k_strrchr
#define strstr k_strstr
#define strcpy k_strcpy
#define strncpy k_strncpy
#define strlcpy k_strlcpy
#define strlcat k_strlcat
#define strsep k_strsep
#define strspn k_strspn
#define strcspn k_strcspn

/* lib/vsprintf.c */
#define vsnprintf k_vsnprintf
#define snprintf k_snprintf
#define vscnprintf k_vscnprintf
#define scnprintf k_scnprintf
#define sprintf k_sprintf

#endif /* _TESTS_UNIT_SHIM_LIB_RENAME_H */
