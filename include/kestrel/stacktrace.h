/*
 * Backtraces. Kestrel is built with frame pointers, so each frame holds
 * the caller's EBP and the return address; the walk follows that chain.
 */
#ifndef _KESTREL_STACKTRACE_H
#define _KESTREL_STACKTRACE_H

/*
 * Print "Call Trace:" and one symbolised line per frame, starting at
 * @ip with frame pointer @bp on the stack at @sp.
 */
void show_stack(unsigned long ip, unsigned long bp, unsigned long sp);

/*
 * Store up to @max return addresses of the caller's stack, innermost
 * first, skipping @skip frames. Returns how many were stored.
 */
unsigned int stack_trace_save(unsigned long *entries, unsigned int max,
			      unsigned int skip);

#endif /* _KESTREL_STACKTRACE_H */
