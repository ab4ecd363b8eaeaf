/*
 * uname()'s result as the Linux i386 ABI shows it: struct new_utsname
 * (uname, 122), six NUL-terminated strings of 65 bytes, and the older
 * layouts of olduname (109) and oldolduname (59). Copied from Linux's
 * include/uapi/linux/utsname.h; facts of the ABI that must not change.
 */
#ifndef _UAPI_UTSNAME_H
#define _UAPI_UTSNAME_H

#define __OLD_UTS_LEN 8
#define __NEW_UTS_LEN 64

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};
_Static_assert(sizeof(struct new_utsname) == 390, "struct new_utsname");

struct old_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
};
_Static_assert(sizeof(struct old_utsname) == 325, "struct old_utsname");

struct oldold_utsname {
	char sysname[9];
	char nodename[9];
	char release[9];
	char version[9];
	char machine[9];
};
_Static_assert(sizeof(struct oldold_utsname) == 45, "oldold_utsname");

#endif /* _UAPI_UTSNAME_H */
