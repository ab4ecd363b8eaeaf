/*
 * The system's names, as uname(2) reports them.
 *
 * Kestrel answers as Linux does, because that is the interface it
 * implements: sysname is "Linux" and the release is the Linux version
 * whose system-call ABI Kestrel follows (UTS_RELEASE_DEFAULT), with a
 * "-kestrel" suffix as distributions add theirs. Programs that test for
 * Linux, or for a minimum kernel version (glibc, busybox, test suites),
 * then use the features Kestrel has. Kestrel's own name and version are
 * in the version field ("#1 Kestrel 0.1.0 ...") and in /proc/version.
 *
 * The host and domain names and the release change at run time
 * (sethostname, setdomainname, /proc/sys/kernel/{hostname,domainname,
 * osrelease}, the uname_release= boot parameter), through the accessors
 * below, so that every reader agrees; the rest are fixed at build time.
 */
#ifndef _KESTREL_UTSNAME_H
#define _KESTREL_UTSNAME_H

#include <kestrel/types.h>
#include <uapi/utsname.h>

#define UTS_SYSNAME "Linux"
#define UTS_MACHINE "i686"
/* The Linux release whose ABI Kestrel implements (DESIGN.md section 4). */
#define UTS_LINUX_RELEASE "6.1.0"
#define UTS_RELEASE_DEFAULT UTS_LINUX_RELEASE "-kestrel"

/* "#1 Kestrel 0.1.0 <build date>": uname -v, kernel.version. */
extern const char uts_version[];

/* Which of the changeable names. */
enum uts_name {
	UTS_NODENAME,
	UTS_DOMAINNAME,
	UTS_OSRELEASE,
};

/**
 * uts_get - copy a name
 * @which: UTS_NODENAME, UTS_DOMAINNAME or UTS_OSRELEASE
 * @buf: receives the name, NUL-terminated
 * @size: size of @buf (__NEW_UTS_LEN + 1 holds every name)
 *
 * Context: any process context; takes uts_lock (a spinlock).
 */
void uts_get(enum uts_name which, char *buf, size_t size);

/**
 * uts_set - replace a name
 * @which: UTS_NODENAME, UTS_DOMAINNAME or UTS_OSRELEASE
 * @name: the new name, @len bytes, not necessarily NUL-terminated
 * @len: at most __NEW_UTS_LEN
 *
 * Returns 0, or -EINVAL if @len is too long. The caller checks the
 * permission (CAP_SYS_ADMIN, or the sysctl file's mode). Context:
 * process; takes uts_lock.
 */
int uts_set(enum uts_name which, const char *name, size_t len);

#endif /* _KESTREL_UTSNAME_H */
