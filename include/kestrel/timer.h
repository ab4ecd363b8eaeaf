/*
 * Kernel timers: call a function once, at a given jiffy. Callbacks run
 * in softirq context (interrupts enabled, may not sleep).
 *
 *	timer_setup(&dev->timer, dev_timeout, 0);
 *	mod_timer(&dev->timer, jiffies + HZ);	-- in one second
 *	...
 *	static void dev_timeout(struct timer_list *t)
 *	{
 *		struct my_dev *dev = container_of(t, struct my_dev, timer);
 *	}
 */
#ifndef _KESTREL_TIMER_H
#define _KESTREL_TIMER_H

#include <kestrel/list.h>
#include <kestrel/types.h>

struct timer_list {
	struct list_head entry; /* in a wheel slot; empty when not pending */
	unsigned long expires; /* the jiffy it fires at */
	void (*function)(struct timer_list *timer);
	unsigned int flags;
};

void timer_setup(struct timer_list *timer,
		 void (*function)(struct timer_list *), unsigned int flags);
/* (Re)arm @timer for @expires. Returns 1 if it was pending, else 0. */
int mod_timer(struct timer_list *timer, unsigned long expires);
void add_timer(struct timer_list *timer);
/* Disarm @timer. Returns 1 if it was pending, else 0. */
int del_timer(struct timer_list *timer);
bool timer_pending(const struct timer_list *timer);

/* Called from the tick: account one jiffy and raise TIMER_SOFTIRQ. */
void timer_tick(void);
void init_timers(void);

#endif /* _KESTREL_TIMER_H */
