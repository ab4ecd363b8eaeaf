/*
 * Credentials: who a task acts as. Permission checks (the VFS, kill,
 * setuid) read the current task's credentials through these helpers.
 */
#ifndef _KESTREL_CRED_H
#define _KESTREL_CRED_H

#include <kestrel/atomic.h>
#include <kestrel/types.h>

typedef u32 kuid_t;
typedef u32 kgid_t;

#define NGROUPS_MAX 65536
#define CRED_INLINE_GROUPS 32

/*
 * Credentials are shared and never changed in place: a task that
 * changes identity makes a copy (prepare_creds), edits it, and installs
 * it (commit_creds). usage counts the tasks (and others) holding one.
 */
struct cred {
	atomic_t usage;
	kuid_t uid, euid, suid, fsuid;
	kgid_t gid, egid, sgid, fsgid;
	unsigned int ngroups;
	kgid_t groups[CRED_INLINE_GROUPS]; /* supplementary groups */
};

/* Capabilities Kestrel checks (Linux's numbers); root has them all. */
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER 3
#define CAP_FSETID 4
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_NET_ADMIN 12
#define CAP_SYS_CHROOT 18
#define CAP_SYS_ADMIN 21
#define CAP_SYS_BOOT 22
#define CAP_SYS_NICE 23
#define CAP_SYS_RESOURCE 24
#define CAP_SYS_TTY_CONFIG 26
#define CAP_MKNOD 27

/* The credentials of the boot task and kernel threads: root. */
extern const struct cred init_cred;

/* A private copy of the current credentials to edit; NULL if no memory. */
struct cred *prepare_creds(void);
/* Install @new as the current task's credentials (consumes it). */
void commit_creds(struct cred *new);
/* Drop an unused copy from prepare_creds(). */
void abort_creds(struct cred *new);
const struct cred *get_cred(const struct cred *cred);
void put_cred(const struct cred *cred);

/* The current task's credentials (never NULL). */
const struct cred *current_cred(void);
kuid_t current_fsuid(void);
kgid_t current_fsgid(void);
/* Is @gid the current fsgid or one of its supplementary groups? */
bool in_group_p(kgid_t gid);
/* Does the current task have capability @cap? (euid 0 has all.) */
bool capable(int cap);

#endif /* _KESTREL_CRED_H */
