/*
 * Credentials: who a task acts as. They are shared between tasks and
 * copied on change (prepare_creds/commit_creds), so the current task
 * reads its own without a lock: the cred it sees never changes under
 * it. Another task's (procfs) is read under tasklist_lock, which
 * commit_creds holds while it swaps the pointer, so the old cred cannot
 * be freed under such a reader. The boot task and
 * kernel threads use init_cred (root), which is never freed.
 */
#include <kestrel/cred.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>

const struct cred init_cred = { .usage = ATOMIC_INIT(1) };

const struct cred *get_cred(const struct cred *cred)
{
	if (cred == &init_cred)
		return cred; /* read-only, never freed */
	atomic_inc(&((struct cred *)cred)->usage);
	return cred;
}

void put_cred(const struct cred *cred)
{
	if (cred == &init_cred)
		return;
	if (atomic_dec_and_test(&((struct cred *)cred)->usage))
		kfree(cred);
}

struct cred *prepare_creds(void)
{
	struct cred *new = kmalloc(sizeof(*new), GFP_KERNEL);

	if (!new)
		return NULL;
	*new = *current_cred();
	atomic_set(&new->usage, 1);
	return new;
}

void commit_creds(struct cred *new)
{
	const struct cred *old;

	/* Readers of other tasks' creds (procfs) hold tasklist_lock. */
	spin_lock(&tasklist_lock);
	old = current->cred;
	current->cred = new;
	spin_unlock(&tasklist_lock);
	if (old)
		put_cred(old);
}

void abort_creds(struct cred *new)
{
	kfree(new);
}

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
