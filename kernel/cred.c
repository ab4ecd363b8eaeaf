/*
 * Credentials of the current task. Until processes can change their
 * identity, every task shares init_cred: root.
 */
#include <kestrel/cred.h>
#include <kestrel/sched.h>

const struct cred init_cred = { 0 };

const struct cred *current_cred(void)
{
	struct task *p = current;

	return p && p->cred ? p->cred : &init_cred;
}

kuid_t current_fsuid(void)
{
	return current_cred()->fsuid;
}

kgid_t current_fsgid(void)
{
	return current_cred()->fsgid;
}

bool in_group_p(kgid_t gid)
{
	const struct cred *cred = current_cred();
	unsigned int i;

	if (cred->fsgid == gid)
		return true;
	for (i = 0; i < cred->ngroups && i < CRED_INLINE_GROUPS; i++)
		if (cred->groups[i] == gid)
			return true;
	return false;
}

bool capable(int cap)
{
	return current_cred()->euid == 0;
}
