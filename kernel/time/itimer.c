/*
 * Interval timers: setitimer/getitimer's three timers and alarm(), per
 * process (struct signal_struct), as Linux 6.1 keeps them.
 *
 * ITIMER_REAL counts real time. Its expiry is kept to the nanosecond on
 * the monotonic clock (it_real_expires) and a kernel timer (real_timer)
 * is armed for the first jiffy that covers it. Jiffies and the clock
 * are not in step (a jiffy is a tick, the clock reads the TSC), so the
 * callback checks the clock and re-arms if it came early: SIGALRM is
 * never sent before the time asked. With an interval the expiry then
 * moves on by whole intervals past now, as hrtimer_forward() does.
 *
 * ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU time: user
 * time, and user plus kernel time, to the nanosecond (kernel/sched/
 * cputime.c). Their expiry is an absolute CPU time; the tick checks the
 * running process (run_cpu_itimers) and sends SIGVTALRM or SIGPROF once
 * its time has passed it, then adds the interval (Linux's
 * check_cpu_itimer). Arming one adds a tick (TICK_NSEC) to the value, as
 * Linux's set_cpu_itimer() does, so it cannot fire before the tick that
 * sees the time used.
 *
 * What the calls report, exactly as Linux's get_itimer():
 *   - the time left, truncated to microseconds; never 0 while armed
 *     (1 us for ITIMER_REAL, a tick for the CPU timers, when due now);
 *   - the interval as it was set (Linux's hrtimers keep it to the ns:
 *     nothing is rounded to the tick);
 * and alarm(seconds) clamps seconds to INT_MAX (a 32-bit kernel's
 * alarm_setitimer) and returns the old time left rounded to the nearest
 * second, but at least 1 while armed.
 *
 * A child of fork starts with no timers (signal_alloc zeroes them); an
 * exec keeps them.
 *
 * Locking: the process's siglock (irqsave) guards every field here; the
 * real timer's callback and the tick take it too. The kernel timer's
 * own lock (base.lock) nests inside it.
 */
#include <kestrel/cputime.h>
#include <kestrel/errno.h>
#include <kestrel/itimer.h>
#include <kestrel/math64.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/timer.h>
#include <kestrel/uaccess.h>
#include <uapi/time.h>

#define ALARM_MAX_SECONDS ((unsigned int)INT32_MAX)

/* One timer's setting in nanoseconds: what setitimer/getitimer carry. */
struct itimer_ns {
	u64 value; /* time left; 0: disarmed */
	u64 interval; /* reload value; 0: one-shot */
};

static void fill_kernel_info(siginfo_t *info, int sig)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = SI_KERNEL;
}

/* ---- ITIMER_REAL ----------------------------------------------------- */

/* Arm real_timer for the jiffy that covers it_real_expires. siglock held. */
static void arm_real_timer(struct signal_struct *sig, u64 now)
{
	u64 left = sig->it_real_expires > now ? sig->it_real_expires - now : 0;

	mod_timer(&sig->real_timer, jiffies + nsecs_to_jiffies(left));
}

/* Move an expiry that @now has reached on by whole intervals past it. */
static void forward_real_timer(struct signal_struct *sig, u64 now)
{
	u64 behind = now - sig->it_real_expires;

	sig->it_real_expires +=
		sig->it_real_incr * (div64_u64(behind, sig->it_real_incr) + 1);
}

static void it_real_fn(struct timer_list *t)
{
	struct signal_struct *sig =
		container_of(t, struct signal_struct, real_timer);
	struct task *leader = sig->leader;
	u64 now = ktime_get_ns();
	unsigned long flags;
	bool fire = false;
	siginfo_t info;

	spin_lock_irqsave(&leader->sighand->siglock, flags);
	if (!sig->it_real_expires)
		goto out_unlock; /* disarmed meanwhile */
	if (now < sig->it_real_expires) {
		arm_real_timer(sig, now); /* the tick came before the clock */
		goto out_unlock;
	}
	fire = true;
	if (sig->it_real_incr) {
		forward_real_timer(sig, now);
		arm_real_timer(sig, now);
	} else {
		sig->it_real_expires = 0;
	}
out_unlock:
	spin_unlock_irqrestore(&leader->sighand->siglock, flags);
	if (fire) {
		fill_kernel_info(&info, SIGALRM);
		send_sig_info(SIGALRM, &info, leader);
	}
}

/* The time left: at least 1 us while armed (Linux's itimer_get_remtime). */
static void get_real_itimer(struct signal_struct *sig, struct itimer_ns *out)
{
	u64 now = ktime_get_ns();

	out->value = 0;
	if (sig->it_real_expires)
		out->value = sig->it_real_expires > now ?
				     sig->it_real_expires - now :
				     NSEC_PER_USEC;
	out->interval = sig->it_real_incr;
}

/* siglock held. */
static void set_real_itimer(struct signal_struct *sig,
			    const struct itimer_ns *new, struct itimer_ns *old)
{
	u64 now = ktime_get_ns();

	if (!sig->leader) {
		timer_setup(&sig->real_timer, it_real_fn, 0);
		sig->leader = current->group_leader;
	}
	if (old)
		get_real_itimer(sig, old);
	del_timer(&sig->real_timer);
	sig->it_real_expires = 0;
	sig->it_real_incr = 0;
	if (!new->value)
		return; /* Linux: a zero value disarms, the interval is dropped */
	sig->it_real_expires = now + new->value;
	sig->it_real_incr = new->interval;
	arm_real_timer(sig, now);
}

/* ---- ITIMER_VIRTUAL and ITIMER_PROF ---------------------------------- */

/* The process CPU time that the CPU timer @which (an index) counts. */
static u64 cpu_itimer_clock(struct task *t, int which)
{
	u64 utime, stime;

	if (which != ITIMER_VIRTUAL - 1)
		return thread_group_sched_runtime(t);
	thread_group_cputime(t, &utime, &stime);
	return utime;
}

/* The time left on CPU timer @which. siglock held. */
static void get_cpu_itimer(struct task *t, int which, struct itimer_ns *out)
{
	struct cpu_itimer *it = &t->signal->it[which];
	u64 now;

	lockdep_assert_held(&t->sighand->siglock);
	out->value = it->expires;
	out->interval = it->incr;
	if (!it->expires)
		return;
	now = cpu_itimer_clock(t, which);
	out->value = it->expires > now ? it->expires - now : TICK_NSEC;
}

/* siglock held. */
static void set_cpu_itimer(struct task *t, int which,
			   const struct itimer_ns *new, struct itimer_ns *old)
{
	struct cpu_itimer *it = &t->signal->it[which];

	lockdep_assert_held(&t->sighand->siglock);
	if (old)
		get_cpu_itimer(t, which, old);
	it->expires = 0;
	if (new->value)
		it->expires =
			cpu_itimer_clock(t, which) + new->value + TICK_NSEC;
	it->incr = new->interval;
}

/* Has @it expired at CPU time @now? Then reload it. siglock held. */
static bool check_cpu_itimer(struct cpu_itimer *it, u64 now)
{
	if (!it->expires || now < it->expires)
		return false;
	it->expires = it->incr ? it->expires + it->incr : 0;
	return true;
}

/**
 * run_cpu_itimers - fire the running process's CPU timers that are due
 *
 * Called by every tick (tick_periodic). Context: hard interrupt,
 * interrupts disabled; takes the process's siglock.
 */
void run_cpu_itimers(void)
{
	static const int signals[ITIMER_CPU_COUNT] = { SIGVTALRM, SIGPROF };
	struct task *t = current;
	struct signal_struct *sig = t->signal;
	bool fire[ITIMER_CPU_COUNT] = { false, false };
	unsigned long flags;
	siginfo_t info;
	int i;

	if (!sig || t->exit_state || (t->flags & PF_KTHREAD))
		return;
	if (!READ_ONCE(sig->it[0].expires) && !READ_ONCE(sig->it[1].expires))
		return; /* the common case: a snapshot, checked again below */
	spin_lock_irqsave(&t->sighand->siglock, flags);
	for (i = 0; i < ITIMER_CPU_COUNT; i++)
		fire[i] = check_cpu_itimer(&sig->it[i], cpu_itimer_clock(t, i));
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	for (i = 0; i < ITIMER_CPU_COUNT; i++) {
		if (!fire[i])
			continue;
		fill_kernel_info(&info, signals[i]);
		send_sig_info(signals[i], &info, t);
	}
}

/* ---- the system calls ------------------------------------------------ */

static bool itimer_which_valid(int which)
{
	return which == ITIMER_REAL || which == ITIMER_VIRTUAL ||
	       which == ITIMER_PROF;
}

static int do_getitimer(int which, struct itimer_ns *out)
{
	struct task *t = current;
	unsigned long flags;

	if (!itimer_which_valid(which))
		return -EINVAL;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (which == ITIMER_REAL)
		get_real_itimer(t->signal, out);
	else
		get_cpu_itimer(t, which - 1, out);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return 0;
}

static int do_setitimer(int which, const struct itimer_ns *new,
			struct itimer_ns *old)
{
	struct task *t = current;
	unsigned long flags;

	if (!itimer_which_valid(which))
		return -EINVAL;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (which == ITIMER_REAL)
		set_real_itimer(t->signal, new, old);
	else
		set_cpu_itimer(t, which - 1, new, old);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return 0;
}

/* Truncated to microseconds, as Linux's put_itimerval(). */
static void itimer_to_user_layout(const struct itimer_ns *in,
				  struct itimerval *out)
{
	out->it_value = ns_to_timeval(in->value);
	out->it_interval = ns_to_timeval(in->interval);
}

SYSCALL_DEFINE3(setitimer, int, which, const struct itimerval __user *, uvalue,
		struct itimerval __user *, uold)
{
	struct itimer_ns new = { 0, 0 }, old;
	struct itimerval value;
	int ret;

	/* NULL disarms: Linux still accepts it (a "misfeature"). */
	if (uvalue) {
		if (copy_from_user(&value, uvalue, sizeof(value)))
			return -EFAULT;
		if (!timeval_valid(&value.it_value) ||
		    !timeval_valid(&value.it_interval))
			return -EINVAL;
		new.value = timeval_to_ns(&value.it_value);
		new.interval = timeval_to_ns(&value.it_interval);
	}
	ret = do_setitimer(which, &new, uold ? &old : NULL);
	if (ret || !uold)
		return ret;
	itimer_to_user_layout(&old, &value);
	return copy_to_user(uold, &value, sizeof(value)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(getitimer, int, which, struct itimerval __user *, uvalue)
{
	struct itimer_ns cur;
	struct itimerval value;
	int ret = do_getitimer(which, &cur);

	if (ret)
		return ret;
	itimer_to_user_layout(&cur, &value);
	return copy_to_user(uvalue, &value, sizeof(value)) ? -EFAULT : 0;
}

/* alarm(): Linux's alarm_setitimer() on a 32-bit kernel. */
SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct itimer_ns new = { 0, 0 }, old;
	u32 nsec;
	u64 sec;

	if (seconds > ALARM_MAX_SECONDS)
		seconds = ALARM_MAX_SECONDS;
	new.value = (u64)seconds *NSEC_PER_SEC;
	do_setitimer(ITIMER_REAL, &new, &old);
	/* Never 0 while an alarm is pending; better too much than too
	 * little: the nearest second. */
	sec = div_u64_rem(old.value, NSEC_PER_SEC, &nsec);
	if ((!sec && nsec) || nsec >= NSEC_PER_SEC / 2)
		sec++;
	return (long)sec;
}

void exit_itimers(struct task *t)
{
	struct signal_struct *sig = t->signal;
	unsigned long flags;

	if (!sig)
		return;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (sig->leader) {
		del_timer(&sig->real_timer);
		sig->it_real_expires = 0;
		sig->it_real_incr = 0;
	}
	memset(sig->it, 0, sizeof(sig->it));
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}
