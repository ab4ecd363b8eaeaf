/*
 * Miscellaneous process system calls: identity (pids, uids, gids,
 * groups), uname (and the uname_release= boot parameter), scheduling
 * knobs (nice, priorities, yield), resource limits and usage, times,
 * sysinfo, personality and prctl.
 *
 * The set*id calls follow Linux's rules (credentials(7)): root may set
 * anything; others may only swap among their real, effective and saved
 * ids. Every change installs a fresh struct cred (commit_creds), so the
 * file-system id follows the effective id.
 */
#include <kestrel/coredump.h>
#include <kestrel/cputime.h>
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/init.h>
#include <kestrel/math64.h>
#include <kestrel/mm.h>
#include <kestrel/mm_types.h>
#include <kestrel/pid.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/uaccess.h>
#include <kestrel/utsname.h>
#include <kestrel/vmstat.h>
#include <uapi/prctl.h>
#include <uapi/resource.h>
#include <uapi/sysinfo.h>
#include <uapi/time.h>
#include <uapi/utsname.h>

#define PER_LINUX 0x0000
#define INVALID_ID ((u32)-1)

/* The names that change (sethostname, /proc/sys/kernel/, uname_release=). */
static DEFINE_SPINLOCK(uts_lock); /* protects the three names below */
static char uts_nodename[__NEW_UTS_LEN + 1] = "kestrel";
static char uts_domainname[__NEW_UTS_LEN + 1] = "(none)";
static char uts_release[__NEW_UTS_LEN + 1] = UTS_RELEASE_DEFAULT;

const char uts_version[] = "#1 Kestrel " KESTREL_VERSION " " __DATE__
			   " " __TIME__;
_Static_assert(sizeof(uts_version) <= __NEW_UTS_LEN + 1,
	       "uts_version fits uname's version field");

/* ---- ids ------------------------------------------------------------- */

SYSCALL_DEFINE0(getpid)
{
	return current->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid;
}

SYSCALL_DEFINE0(getppid)
{
	struct task *parent = current->group_leader->real_parent;

	return parent ? parent->tgid : 0;
}

SYSCALL_DEFINE0(getuid32)
{
	return current_cred()->uid;
}

SYSCALL_DEFINE0(geteuid32)
{
	return current_cred()->euid;
}

SYSCALL_DEFINE0(getgid32)
{
	return current_cred()->gid;
}

SYSCALL_DEFINE0(getegid32)
{
	return current_cred()->egid;
}

/*
 * Install @new, a change of identity: if the effective or file-system
 * ids change, the process can no longer dump core (Linux's
 * commit_creds() rule with fs.suid_dumpable at 0): memory read as one
 * user must not be written out as another. access()'s temporary switch
 * to the real ids does not go through here.
 */
static void commit_new_ids(struct cred *new)
{
	const struct cred *old = current_cred();

	if (current->mm &&
	    (old->euid != new->euid || old->egid != new->egid ||
	     old->fsuid != new->fsuid || old->fsgid != new->fsgid))
		WRITE_ONCE(current->mm->dumpable, SUID_DUMP_DISABLE);
	commit_creds(new);
}

/* May an unprivileged task take @id, one of its real/effective/saved? */
static bool id_allowed(u32 id, u32 r, u32 e, u32 s)
{
	return id == r || id == e || id == s;
}

/* Which ids a set_*() or get_res() call works on. */
enum id_kind { IDS_USER, IDS_GROUP };

/*
 * The common core of setresuid and setresgid. INVALID_ID (-1) leaves an
 * id alone. CAP_SETUID (CAP_SETGID) lifts the restriction.
 */
static long set_ids(u32 r, u32 e, u32 s, enum id_kind kind)
{
	struct cred *new = prepare_creds();
	bool gid = kind == IDS_GROUP;
	u32 *cr, *ce, *cs, *cfs;

	if (!new)
		return -ENOMEM;
	cr = gid ? &new->gid : &new->uid;
	ce = gid ? &new->egid : &new->euid;
	cs = gid ? &new->sgid : &new->suid;
	cfs = gid ? &new->fsgid : &new->fsuid;
	if (!capable(gid ? CAP_SETGID : CAP_SETUID) &&
	    ((r != INVALID_ID && !id_allowed(r, *cr, *ce, *cs)) ||
	     (e != INVALID_ID && !id_allowed(e, *cr, *ce, *cs)) ||
	     (s != INVALID_ID && !id_allowed(s, *cr, *ce, *cs)))) {
		abort_creds(new);
		return -EPERM;
	}
	if (r != INVALID_ID)
		*cr = r;
	if (e != INVALID_ID)
		*ce = e;
	if (s != INVALID_ID)
		*cs = s;
	*cfs = *ce;
	commit_new_ids(new);
	return 0;
}

SYSCALL_DEFINE3(setresuid32, u32, r, u32, e, u32, s)
{
	return set_ids(r, e, s, IDS_USER);
}

SYSCALL_DEFINE3(setresgid32, u32, r, u32, e, u32, s)
{
	return set_ids(r, e, s, IDS_GROUP);
}

/* setuid: root sets all three; others only the effective id. */
SYSCALL_DEFINE1(setuid32, u32, uid)
{
	if (capable(CAP_SETUID))
		return set_ids(uid, uid, uid, IDS_USER);
	return set_ids(INVALID_ID, uid, INVALID_ID, IDS_USER);
}

SYSCALL_DEFINE1(setgid32, u32, gid)
{
	if (capable(CAP_SETGID))
		return set_ids(gid, gid, gid, IDS_GROUP);
	return set_ids(INVALID_ID, gid, INVALID_ID, IDS_GROUP);
}

/* setreuid: a changed real id, or an effective id other than the old
 * real one, also sets the saved id to the new effective id. */
static long set_re_ids(u32 r, u32 e, enum id_kind kind)
{
	const struct cred *c = current_cred();
	bool gid = kind == IDS_GROUP;
	u32 old_r = gid ? c->gid : c->uid;
	u32 s = INVALID_ID;

	if (r != INVALID_ID || (e != INVALID_ID && e != old_r))
		s = e != INVALID_ID ? e : (gid ? c->egid : c->euid);
	if (!capable(gid ? CAP_SETGID : CAP_SETUID) && r != INVALID_ID &&
	    r != old_r && r != (gid ? c->egid : c->euid))
		return -EPERM;
	return set_ids(r, e, s, kind);
}

SYSCALL_DEFINE2(setreuid32, u32, r, u32, e)
{
	return set_re_ids(r, e, IDS_USER);
}

SYSCALL_DEFINE2(setregid32, u32, r, u32, e)
{
	return set_re_ids(r, e, IDS_GROUP);
}

static long get_res(u32 __user *r, u32 __user *e, u32 __user *s,
		    enum id_kind kind)
{
	const struct cred *c = current_cred();
	bool gid = kind == IDS_GROUP;

	if (put_user(gid ? c->gid : c->uid, r) ||
	    put_user(gid ? c->egid : c->euid, e) ||
	    put_user(gid ? c->sgid : c->suid, s))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid32, u32 __user *, r, u32 __user *, e, u32 __user *, s)
{
	return get_res(r, e, s, IDS_USER);
}

SYSCALL_DEFINE3(getresgid32, u32 __user *, r, u32 __user *, e, u32 __user *, s)
{
	return get_res(r, e, s, IDS_GROUP);
}

/* setfsuid: returns the old fsuid whether or not the change was allowed. */
static long set_fs_id(u32 id, enum id_kind kind)
{
	const struct cred *c = current_cred();
	bool gid = kind == IDS_GROUP;
	u32 old = gid ? c->fsgid : c->fsuid;
	struct cred *new;

	if (!capable(gid ? CAP_SETGID : CAP_SETUID) &&
	    !id_allowed(id, gid ? c->gid : c->uid, gid ? c->egid : c->euid,
			gid ? c->sgid : c->suid) &&
	    id != old)
		return old;
	new = prepare_creds();
	if (!new)
		return old;
	if (gid)
		new->fsgid = id;
	else
		new->fsuid = id;
	commit_new_ids(new);
	return old;
}

SYSCALL_DEFINE1(setfsuid32, u32, uid)
{
	return set_fs_id(uid, IDS_USER);
}

SYSCALL_DEFINE1(setfsgid32, u32, gid)
{
	return set_fs_id(gid, IDS_GROUP);
}

SYSCALL_DEFINE2(getgroups32, int, size, u32 __user *, list)
{
	const struct cred *c = current_cred();

	if (size < 0)
		return -EINVAL;
	if (!size)
		return c->ngroups;
	if ((unsigned int)size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, c->ngroups * sizeof(u32)))
		return -EFAULT;
	return c->ngroups;
}

SYSCALL_DEFINE2(setgroups32, int, size, const u32 __user *, list)
{
	struct cred *new;

	if (!capable(CAP_SETGID))
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX)
		return -EINVAL;
	if (size > CRED_INLINE_GROUPS)
		return -ENOMEM; /* Kestrel keeps up to 32 groups */
	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	if (copy_from_user(new->groups, list, (size_t)size * sizeof(u32))) {
		abort_creds(new);
		return -EFAULT;
	}
	new->ngroups = (unsigned int)size;
	commit_creds(new);
	return 0;
}

/* ---- uname ------------------------------------------------------------ */

static char *uts_field(enum uts_name which)
{
	switch (which) {
	case UTS_DOMAINNAME:
		return uts_domainname;
	case UTS_OSRELEASE:
		return uts_release;
	default:
		return uts_nodename;
	}
}

void uts_get(enum uts_name which, char *buf, size_t size)
{
	spin_lock(&uts_lock);
	strlcpy(buf, uts_field(which), size);
	spin_unlock(&uts_lock);
}

int uts_set(enum uts_name which, const char *name, size_t len)
{
	char *field = uts_field(which);

	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	spin_lock(&uts_lock);
	memcpy(field, name, len);
	field[len] = '\0';
	spin_unlock(&uts_lock);
	return 0;
}

SYSCALL_DEFINE1(uname, struct new_utsname __user *, name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
	uts_get(UTS_NODENAME, u.nodename, sizeof(u.nodename));
	uts_get(UTS_OSRELEASE, u.release, sizeof(u.release));
	strlcpy(u.version, uts_version, sizeof(u.version));
	strlcpy(u.machine, UTS_MACHINE, sizeof(u.machine));
	uts_get(UTS_DOMAINNAME, u.domainname, sizeof(u.domainname));
	return copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}

/* sethostname/setdomainname: root only; EINVAL past 64 bytes. */
static long set_uts_name(enum uts_name which, const char __user *uname, int len)
{
	char tmp[__NEW_UTS_LEN];

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(tmp, uname, len))
		return -EFAULT;
	return uts_set(which, tmp, len);
}

SYSCALL_DEFINE2(sethostname, const char __user *, name, int, len)
{
	return set_uts_name(UTS_NODENAME, name, len);
}

SYSCALL_DEFINE2(setdomainname, const char __user *, name, int, len)
{
	return set_uts_name(UTS_DOMAINNAME, name, len);
}

/*
 * uname_release=6.6.0: the release uname reports, for programs that
 * insist on another kernel version (kernel.osrelease changes it later).
 */
static int set_uname_release(char *value)
{
	if (!value || !*value)
		return -EINVAL;
	return uts_set(UTS_OSRELEASE, value, strlen(value));
}
__setup("uname_release", set_uname_release);

/* ---- scheduling ------------------------------------------------------- */

SYSCALL_DEFINE0(sched_yield)
{
	yield();
	return 0;
}

/*
 * May the current task renice @p to @nice? Its owner (by real or
 * effective uid, against our effective uid) or CAP_SYS_NICE; lowering
 * the nice value needs CAP_SYS_NICE. 0, -EPERM or -EACCES.
 */
static long nice_permitted(struct task *p, long nice)
{
	const struct cred *c = current_cred(), *pc = p->cred;

	if (pc->uid != c->euid && pc->euid != c->euid && !capable(CAP_SYS_NICE))
		return -EPERM;
	if (nice < task_nice(p) && !capable(CAP_SYS_NICE))
		return -EACCES;
	return 0;
}

static long set_one_prio(struct task *p, long nice)
{
	long err = nice_permitted(p, nice);

	if (!err)
		set_user_nice(p, nice);
	return err;
}

SYSCALL_DEFINE1(nice, int, increment)
{
	long nice;

	if (increment < -40)
		increment = -40;
	if (increment > 40)
		increment = 40;
	nice = task_nice(current) + increment;
	if (nice < MIN_NICE)
		nice = MIN_NICE;
	if (nice > MAX_NICE)
		nice = MAX_NICE;
	return set_one_prio(current, nice);
}

/* @who of a PRIO_* selector, 0 meaning the caller's own. */
static int prio_who(int which, int who)
{
	if (who)
		return who;
	if (which == PRIO_PROCESS)
		return current->pid;
	if (which == PRIO_PGRP)
		return current->signal->pgrp;
	return (int)current_cred()->uid;
}

/* Is thread @p selected by (@which, @who)? tasklist_lock held. */
static bool prio_matches(struct task *p, int which, int who)
{
	lockdep_assert_held(&tasklist_lock);
	if (!p->signal || (p->flags & PF_KTHREAD) || p->exit_state)
		return false;
	if (which == PRIO_PROCESS)
		return p->pid == who;
	if (which == PRIO_PGRP)
		return p->signal->pgrp == who;
	return p->cred->uid == (kuid_t)who;
}

/*
 * Set the nice value of every thread that (@which, @who) selects: one
 * thread (PRIO_PROCESS, by its id, as Linux), every thread of a process
 * group, or of a user. ESRCH if none; otherwise the last error, or 0.
 */
SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	struct task *p;
	long err = -ESRCH, e;

	if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
		return -EINVAL;
	if (niceval < MIN_NICE)
		niceval = MIN_NICE;
	if (niceval > MAX_NICE)
		niceval = MAX_NICE;
	who = prio_who(which, who);
	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks) {
		if (!prio_matches(p, which, who))
			continue;
		e = set_one_prio(p, niceval);
		if (e || err == -ESRCH)
			err = e;
	}
	spin_unlock(&tasklist_lock);
	return err;
}

/* The raw system call returns 20 - nice (1..40), the highest priority
 * (lowest nice) among the selected threads; glibc converts. */
SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	struct task *p;
	long ret = -ESRCH;

	if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER)
		return -EINVAL;
	who = prio_who(which, who);
	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (prio_matches(p, which, who) && 20 - task_nice(p) > ret)
			ret = 20 - task_nice(p);
	spin_unlock(&tasklist_lock);
	return ret;
}

#define SCHED_OTHER 0

SYSCALL_DEFINE1(sched_getscheduler, int, pid)
{
	if (pid < 0)
		return -EINVAL;
	if (pid && pid != current->pid && pid != current->tgid)
		return -ESRCH;
	return SCHED_OTHER;
}

/* ---- limits and usage -------------------------------------------------- */

static long do_prlimit(unsigned int resource, const struct rlimit64 *new,
		       struct rlimit64 *old)
{
	struct rlimit *rlim;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	rlim = &current->signal->rlim[resource];
	if (old) {
		old->rlim_cur = rlim->rlim_cur == RLIM_INFINITY ?
					RLIM64_INFINITY :
					rlim->rlim_cur;
		old->rlim_max = rlim->rlim_max == RLIM_INFINITY ?
					RLIM64_INFINITY :
					rlim->rlim_max;
	}
	if (!new)
		return 0;
	if (new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new->rlim_max > (rlim->rlim_max == RLIM_INFINITY ?
				     RLIM64_INFINITY :
				     rlim->rlim_max) &&
	    !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
		return -EPERM;
	rlim->rlim_cur = new->rlim_cur >= RLIM_INFINITY ? RLIM_INFINITY :
							  new->rlim_cur;
	rlim->rlim_max = new->rlim_max >= RLIM_INFINITY ? RLIM_INFINITY :
							  new->rlim_max;
	/* The stack may now grow as far as the new soft limit. */
	if (resource == RLIMIT_STACK && current->mm)
		current->mm->stack_limit = rlim->rlim_cur;
	return 0;
}

SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, resource,
		const struct rlimit64 __user *, unew, struct rlimit64 __user *,
		uold)
{
	struct rlimit64 new, old;
	long ret;

	if (pid && pid != current->tgid && pid != current->pid)
		return -ESRCH; /* only the caller's own limits */
	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	ret = do_prlimit(resource, unew ? &new : NULL, uold ? &old : NULL);
	if (!ret && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE2(ugetrlimit, unsigned int, resource, struct rlimit __user *,
		urlim)
{
	struct rlimit r;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	r = current->signal->rlim[resource];
	return copy_to_user(urlim, &r, sizeof(r)) ? -EFAULT : 0;
}

/* The old getrlimit reports infinity as 0x7fffffff. */
SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit __user *,
		urlim)
{
	struct rlimit r;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	r = current->signal->rlim[resource];
	if (r.rlim_cur > 0x7fffffff)
		r.rlim_cur = 0x7fffffff;
	if (r.rlim_max > 0x7fffffff)
		r.rlim_max = 0x7fffffff;
	return copy_to_user(urlim, &r, sizeof(r)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, const struct rlimit __user *,
		urlim)
{
	struct rlimit r;
	struct rlimit64 new;

	if (copy_from_user(&r, urlim, sizeof(r)))
		return -EFAULT;
	new.rlim_cur = r.rlim_cur == RLIM_INFINITY ? RLIM64_INFINITY :
						     r.rlim_cur;
	new.rlim_max = r.rlim_max == RLIM_INFINITY ? RLIM64_INFINITY :
						     r.rlim_max;
	return do_prlimit(resource, &new, NULL);
}

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, ru)
{
	struct rusage r;
	u64 ut, st;

	memset(&r, 0, sizeof(r));
	switch (who) {
	case RUSAGE_SELF:
		thread_group_cputime(current, &ut, &st);
		break;
	case RUSAGE_THREAD:
		task_cputime(current, &ut, &st);
		break;
	case RUSAGE_CHILDREN:
		ut = current->signal->cutime;
		st = current->signal->cstime;
		break;
	default:
		return -EINVAL;
	}
	r.ru_utime = ns_to_timeval(ut);
	r.ru_stime = ns_to_timeval(st);
	if (who != RUSAGE_CHILDREN) {
		r.ru_minflt = (long)current->min_flt;
		r.ru_majflt = (long)current->maj_flt;
		r.ru_nvcsw = (long)current->nvcsw;
		r.ru_nivcsw = (long)current->nivcsw;
	}
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(times, struct tms __user *, tbuf)
{
	struct tms t;
	u64 ut, st;

	if (tbuf) {
		thread_group_cputime(current, &ut, &st);
		t.tms_utime = (s32)nsec_to_clock_t(ut);
		t.tms_stime = (s32)nsec_to_clock_t(st);
		t.tms_cutime = (s32)nsec_to_clock_t(current->signal->cutime);
		t.tms_cstime = (s32)nsec_to_clock_t(current->signal->cstime);
		if (copy_to_user(tbuf, &t, sizeof(t)))
			return -EFAULT;
	}
	/* Clock ticks since boot (Linux adds an offset; any base works). */
	return (long)nsec_to_clock_t(ktime_get_ns());
}

SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, info)
{
	struct sysinfo s;
	struct task *t;
	unsigned int i;

	memset(&s, 0, sizeof(s));
	s.uptime = (long)div_u64(ktime_get_ns(), NSEC_PER_SEC);
	s.totalram = totalram_pages;
	s.freeram = nr_free_pages();
	s.sharedram = node_page_state(NR_SHMEM); /* as Linux; no bufferram */
	s.mem_unit = PAGE_SIZE;
	for (i = 0; i < ARRAY_SIZE(s.loads); i++)
		s.loads[i] = READ_ONCE(avenrun[i]) << (SI_LOAD_SHIFT - FSHIFT);
	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &task_list, tasks)
		s.procs++;
	spin_unlock(&tasklist_lock);
	return copy_to_user(info, &s, sizeof(s)) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(personality, unsigned int, persona)
{
	/* Only PER_LINUX exists; 0xffffffff queries. */
	if (persona != 0xffffffff && (persona & 0xff) != PER_LINUX)
		return -EINVAL;
	return PER_LINUX;
}

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3,
		unsigned long, arg4, unsigned long, arg5)
{
	char comm[TASK_COMM_LEN];
	long n;

	switch (option) {
	case PR_SET_NAME:
		n = strncpy_from_user(comm, (const char __user *)arg2,
				      sizeof(comm) - 1);
		if (n < 0)
			return -EFAULT;
		comm[n] = '\0';
		strlcpy(current->comm, comm, sizeof(current->comm));
		return 0;
	case PR_GET_NAME:
		strlcpy(comm, current->comm, sizeof(comm));
		return copy_to_user((void __user *)arg2, comm, sizeof(comm)) ?
			       -EFAULT :
			       0;
	case PR_GET_DUMPABLE:
		return current->mm ? READ_ONCE(current->mm->dumpable) : 0;
	case PR_SET_DUMPABLE:
		/* 0 or 1 only: 2 (dump as root) is fs.suid_dumpable's. */
		if (arg2 != SUID_DUMP_DISABLE && arg2 != SUID_DUMP_USER)
			return -EINVAL;
		if (current->mm)
			WRITE_ONCE(current->mm->dumpable, arg2);
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- sessions and process groups ------------------------------------- */

static struct task *find_process_locked(int pid)
{
	struct task *p = find_task_by_pid(pid);

	if (!p || !p->signal || (p->flags & PF_KTHREAD))
		return NULL;
	return p->group_leader;
}

/*
 * Is there a process in group @pgid (and, if @sid > 0, in session
 * @sid)? A zombie still counts until it is reaped, as in Linux, where
 * it keeps its group's id in use. tasklist_lock held.
 */
static bool pgrp_exists(int pgid, int sid)
{
	struct task *p;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(p, &task_list, tasks)
		if (p->signal && p == p->group_leader &&
		    p->exit_state != EXIT_DEAD && p->signal->pgrp == pgid &&
		    (sid <= 0 || p->signal->session == sid))
			return true;
	return false;
}

/*
 * setpgid's checks, in Linux's order: a thread that is not its
 * process's leader (EINVAL); neither the caller nor its child (ESRCH);
 * a child in another session (EPERM) or that has exec'd (EACCES); a
 * session leader (EPERM); a group to join that does not exist in the
 * caller's session (EPERM). tasklist_lock held.
 */
static long setpgid_check(struct task *me, struct task *t, int pgid)
{
	struct task *p = t->group_leader;

	lockdep_assert_held(&tasklist_lock);
	if (t != p)
		return -EINVAL;
	if (p != me) {
		if (p->real_parent->group_leader != me)
			return -ESRCH;
		if (p->signal->session != me->signal->session)
			return -EPERM;
		if (p->did_exec)
			return -EACCES;
	}
	if (p->signal->session == p->tgid)
		return -EPERM; /* a session leader stays where it is */
	if (pgid != p->tgid && !pgrp_exists(pgid, me->signal->session))
		return -EPERM;
	return 0;
}

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct task *t, *me = current->group_leader;
	long ret;

	if (pgid < 0)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	t = pid ? find_task_by_pid(pid) : me;
	if (!t || !t->signal || (t->flags & PF_KTHREAD) ||
	    t->exit_state == EXIT_DEAD) {
		ret = -ESRCH;
		goto out;
	}
	if (!pgid)
		pgid = t->tgid;
	ret = setpgid_check(me, t, pgid);
	if (!ret)
		t->signal->pgrp = pgid;
out:
	spin_unlock(&tasklist_lock);
	return ret;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	struct task *p;
	long ret;

	spin_lock(&tasklist_lock);
	p = pid ? find_process_locked(pid) : current;
	ret = p ? p->signal->pgrp : -ESRCH;
	spin_unlock(&tasklist_lock);
	return ret;
}

SYSCALL_DEFINE0(getpgrp)
{
	return current->signal->pgrp;
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	struct task *p;
	long ret;

	spin_lock(&tasklist_lock);
	p = pid ? find_process_locked(pid) : current;
	ret = p ? p->signal->session : -ESRCH;
	spin_unlock(&tasklist_lock);
	return ret;
}

SYSCALL_DEFINE0(setsid)
{
	struct task *me = current->group_leader;
	long ret;

	spin_lock(&tasklist_lock);
	ret = me->tgid;
	/* A process group leader cannot start a session, nor can anyone
	 * whose pid is some group's id. */
	if (pgrp_exists(me->tgid, 0)) {
		ret = -EPERM;
	} else {
		me->signal->session = me->tgid;
		me->signal->pgrp = me->tgid;
		me->signal->tty = NULL; /* a new session has no ctty */
	}
	spin_unlock(&tasklist_lock);
	return ret;
}

/* ---- CPUs --------------------------------------------------------------- */

/*
 * The CPU mask of the affinity calls is, as Linux's cpumask_size(), the
 * kernel's own mask rounded to longs: one long, with bit 0 for the one
 * CPU Kestrel runs on. User space may pass a bigger buffer; only the
 * kernel's mask is written into it, and its size returned, so the rest
 * of the buffer is left as it was. (Zeroing all @len bytes once wiped
 * whatever lay behind a short mask: trinity's shared process table.)
 */
#define CPUMASK_BYTES sizeof(unsigned long)

/* Does thread @pid (0: the caller) exist? */
static bool affinity_target_exists(int pid)
{
	bool found;

	if (!pid)
		return true;
	if (pid < 0)
		return false;
	spin_lock(&tasklist_lock);
	found = find_task_by_pid(pid) != NULL;
	spin_unlock(&tasklist_lock);
	return found;
}

SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len,
		unsigned long __user *, mask)
{
	unsigned long cpus = 1; /* CPU 0 */

	/* Linux: EINVAL if @len has fewer bits than CPUs, or is not in longs. */
	if (!len || len & (sizeof(long) - 1))
		return -EINVAL;
	if (!affinity_target_exists(pid))
		return -ESRCH;
	if (copy_to_user(mask, &cpus, CPUMASK_BYTES))
		return -EFAULT;
	return CPUMASK_BYTES;
}

/* A shorter mask than the kernel's is padded with zeroes, a longer one
 * cut, as Linux's get_user_cpu_mask(). */
SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned int, len,
		const unsigned long __user *, mask)
{
	unsigned long cpus = 0;

	if (!affinity_target_exists(pid))
		return -ESRCH;
	if (len > CPUMASK_BYTES)
		len = CPUMASK_BYTES;
	if (copy_from_user(&cpus, mask, len))
		return -EFAULT;
	return (cpus & 1) ? 0 : -EINVAL; /* it must allow CPU 0 */
}

SYSCALL_DEFINE3(getcpu, unsigned int __user *, cpu, unsigned int __user *, node,
		void __user *, unused)
{
	if (cpu && put_user(0U, cpu))
		return -EFAULT;
	if (node && put_user(0U, node))
		return -EFAULT;
	return 0;
}

/* The robust-futex list head glibc registers for each thread. Kestrel
 * records it; walking it at exit (to wake waiters of mutexes a dead
 * thread held) is not done yet. */
SYSCALL_DEFINE2(set_robust_list, void __user *, head, size_t, len)
{
	if (len != 12) /* sizeof(struct robust_list_head) on i386 */
		return -EINVAL;
	current->robust_list = head;
	return 0;
}
