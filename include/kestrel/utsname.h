/*
 * The system's names, as uname(2) reports them. The host and domain
 * names are the only ones that change (sethostname, setdomainname and
 * /proc/sys/kernel/{hostname,domainname}, which share these accessors
 * so that both always agree); the rest are fixed at build time.
 */
#ifndef _KESTREL_UTSNAME_H
#define _KESTREL_UTSNAME_H

#include <kestrel/types.h>
#include <uapi/utsname.h>

#define UTS_SYSNAME "Kestrel"
#define UTS_MACHINE "i686"
#define UTS_RELEASE KESTREL_VERSION
#define UTS_VERSION "#1 " __DATE__ " " __TIME__

/* Which of the changeable names. */
enum uts_name {
	UTS_NODENAME,
	UTS_DOMAINNAME,
};

/**
 * uts_get - copy a name
 * @which: UTS_NODENAME or UTS_DOMAINNAME
 * @buf: receives the name, NUL-terminated
 * @size: size of @buf (__NEW_UTS_LEN + 1 holds every name)
 *
 * Context: any process context; takes uts_lock (a spinlock).
 */
void uts_get(enum uts_name which, char *buf, size_t size);

/**
 * uts_set - replace a name
 * @which: UTS_NODENAME or UTS_DOMAINNAME
 * @name: the new name, @len bytes, not necessarily NUL-terminated
 * @len: at most __NEW_UTS_LEN
 *
 * Returns 0, or -EINVAL if @len is too long. The caller checks the
 * permission (CAP_SYS_ADMIN). Context: process; takes uts_lock.
 */
int uts_set(enum uts_name which, const char *name, size_t len);

#endif /* _KESTREL_UTSNAME_H */
