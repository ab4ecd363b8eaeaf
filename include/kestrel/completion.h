/*
 * Completions: "wait until this has happened", counted. complete()
 * lets one waiter through (or banks a pass for the next one);
 * complete_all() lets every present and future waiter through.
 */
#ifndef _KESTREL_COMPLETION_H
#define _KESTREL_COMPLETION_H

#include <kestrel/wait.h>

#define COMPLETION_ALL (~0U)

struct completion {
	unsigned int done; /* passes banked; COMPLETION_ALL: open for all */
	struct wait_queue_head wait; /* its lock also protects done */
};

void init_completion(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);
/* Sleep until completed. May sleep. */
void wait_for_completion(struct completion *x);
/* As above, for at most @timeout ticks: returns the ticks left (at
 * least 1) on completion, 0 on timeout. */
unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout);
/* Take a pass if one is banked; never sleeps. */
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

#endif /* _KESTREL_COMPLETION_H */
