/*
 * ITIMER_REAL (setitimer/getitimer) and alarm(). The process's
 * signal_struct holds a kernel timer; when it fires, SIGALRM goes to
 * the process and, with an interval, the timer is armed again. Times
 * are kept in ticks (HZ), rounded up, as a jiffies-based kernel does.
 */
#include <kestrel/errno.h>
#include <kestrel/itimer.h>
#include <kestrel/math64.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/timer.h>
#include <kestrel/uaccess.h>
#include <uapi/time.h>

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define USEC_PER_SEC 1000000UL
#define USEC_PER_TICK (USEC_PER_SEC / HZ)

static void it_real_fn(struct timer_list *t)
{
	struct signal_struct *sig =
		container_of(t, struct signal_struct, real_timer);

	send_sig_info(SIGALRM, NULL, sig->leader);
	if (sig->it_real_incr)
		mod_timer(&sig->real_timer, jiffies + sig->it_real_incr);
}

static unsigned long tv_to_ticks(const struct timeval *tv)
{
	u64 us = (u64)tv->tv_sec * USEC_PER_SEC + (u64)tv->tv_usec;

	return (unsigned long)div_u64(us + USEC_PER_TICK - 1, USEC_PER_TICK);
}

static void ticks_to_tv(unsigned long ticks, struct timeval *tv)
{
	u64 us = (u64)ticks * USEC_PER_TICK;
	u32 rem;

	tv->tv_sec = (s32)div_u64_rem(us, USEC_PER_SEC, &rem);
	tv->tv_usec = (s32)rem;
}

static void itimer_get(struct signal_struct *sig, struct itimerval *value)
{
	unsigned long left = 0;

	if (timer_pending(&sig->real_timer)) {
		left = sig->real_timer.expires - jiffies;
		if ((long)left <= 0)
			left = 1; /* due now: never report "disarmed" */
	}
	ticks_to_tv(left, &value->it_value);
	ticks_to_tv(sig->it_real_incr, &value->it_interval);
}

static int itimer_set(const struct itimerval *value, struct itimerval *old)
{
	struct signal_struct *sig = current->signal;
	unsigned long expires;

	if (value->it_value.tv_usec < 0 ||
	    value->it_value.tv_usec >= (s32)USEC_PER_SEC ||
	    value->it_interval.tv_usec < 0 ||
	    value->it_interval.tv_usec >= (s32)USEC_PER_SEC ||
	    value->it_value.tv_sec < 0 || value->it_interval.tv_sec < 0)
		return -EINVAL;
	if (!sig->leader) {
		timer_setup(&sig->real_timer, it_real_fn, 0);
		sig->leader = current->group_leader;
	}
	if (old)
		itimer_get(sig, old);
	del_timer(&sig->real_timer);
	expires = tv_to_ticks(&value->it_value);
	sig->it_real_incr = tv_to_ticks(&value->it_interval);
	if (expires)
		mod_timer(&sig->real_timer, jiffies + expires);
	return 0;
}

SYSCALL_DEFINE3(setitimer, int, which, const struct itimerval __user *, uvalue,
		struct itimerval __user *, uold)
{
	struct itimerval value, old;
	int ret;

	if (which != ITIMER_REAL)
		return which == ITIMER_VIRTUAL || which == ITIMER_PROF ?
			       -ENOSYS :
			       -EINVAL;
	if (uvalue) {
		if (copy_from_user(&value, uvalue, sizeof(value)))
			return -EFAULT;
	} else {
		memset(&value, 0, sizeof(value)); /* Linux: NULL disarms */
	}
	ret = itimer_set(&value, uold ? &old : NULL);
	if (!ret && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE2(getitimer, int, which, struct itimerval __user *, uvalue)
{
	struct itimerval value;

	if (which != ITIMER_REAL)
		return which == ITIMER_VIRTUAL || which == ITIMER_PROF ?
			       -ENOSYS :
			       -EINVAL;
	memset(&value, 0, sizeof(value));
	if (current->signal->leader)
		itimer_get(current->signal, &value);
	return copy_to_user(uvalue, &value, sizeof(value)) ? -EFAULT : 0;
}

/* alarm(): seconds left of the previous alarm, rounded as Linux does. */
SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct itimerval value = { .it_value = { .tv_sec = (s32)seconds } };
	struct itimerval old;

	itimer_set(&value, &old);
	if (old.it_value.tv_usec >= 500000 ||
	    (!old.it_value.tv_sec && old.it_value.tv_usec))
		old.it_value.tv_sec++;
	return old.it_value.tv_sec;
}

void exit_itimers(struct task *t)
{
	struct signal_struct *sig = t->signal;

	if (sig && sig->leader && sig->nr_threads <= 1) {
		sig->it_real_incr = 0;
		del_timer(&sig->real_timer);
	}
}
