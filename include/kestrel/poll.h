/*
 * poll(): how a file reports readiness and registers the caller to be
 * woken.
 *
 * A file's ->poll(file, pt) method does two things: it calls
 * poll_wait(file, queue, pt) for every wait queue whose wake-up may
 * change its answer, and it returns the POLL* mask of what is possible
 * now. poll(2) and select(2) (fs/select.c) pass a poll_table whose
 * _qproc queues an entry on each of those wait queues, sleep, and call
 * ->poll again after a wake-up; a caller that only wants the mask passes
 * a NULL table.
 */
#ifndef _KESTREL_POLL_H
#define _KESTREL_POLL_H

#include <kestrel/compiler.h>
#include <uapi/poll.h> /* POLLIN, POLLOUT, ... */

struct file;
struct wait_queue_head;

struct poll_table_struct;

typedef void (*poll_queue_proc)(struct file *file, struct wait_queue_head *wq,
				struct poll_table_struct *pt);

/*
 * The caller's side of a poll: the function that queues it on a wait
 * queue, and the events it is interested in (a hint a ->poll may use).
 * Embedded by the poller (fs/select.c) in its own bookkeeping.
 */
typedef struct poll_table_struct {
	poll_queue_proc _qproc; /* NULL: do not queue (mask only) */
	unsigned int _key; /* POLL* events of interest */
} poll_table;

/**
 * poll_wait - register @pt on @wq, from a ->poll method
 * @file: the file being polled
 * @wq: a wait queue the file wakes when its readiness may change
 * @pt: the caller's table; may be NULL
 *
 * Context: process; does not sleep (the table's function may allocate).
 */
static inline void poll_wait(struct file *file, struct wait_queue_head *wq,
			     poll_table *pt)
{
	if (pt && pt->_qproc && wq)
		pt->_qproc(file, wq, pt);
}

static inline void init_poll_funcptr(poll_table *pt, poll_queue_proc qproc)
{
	pt->_qproc = qproc;
	pt->_key = ~0U;
}

#endif /* _KESTREL_POLL_H */
