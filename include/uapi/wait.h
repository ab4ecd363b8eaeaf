/*
 * wait4(), waitpid() and waitid() options and id types as the Linux i386
 * ABI numbers them (Linux's include/uapi/linux/wait.h), and the encoding of
 * the status word. They are facts of the ABI and must not change.
 */
#ifndef _UAPI_WAIT_H
#define _UAPI_WAIT_H

/* Options. */
#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT 0x01000000 /* leave the child waitable */
#define __WNOTHREAD 0x20000000 /* only this thread's children */
#define __WALL 0x40000000 /* clone and non-clone children */
#define __WCLONE 0x80000000 /* only clone children */

/* waitid() id types. */
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3

/*
 * The status word of wait4()/waitpid(): exit code in bits 8-15 and 0 in
 * bits 0-6 for an exit; the signal in bits 0-6 (bit 7 = core dumped) for a
 * kill; 0x7f in bits 0-7 and the signal in bits 8-15 for a stop; 0xffff
 * for a continue.
 */
#define W_EXITCODE(code, sig) (((code) << 8) | (sig))
#define W_STOPCODE(sig) (((sig) << 8) | 0x7f)
#define W_CONTINUED 0xffff
#define WCOREFLAG 0x80

#endif /* _UAPI_WAIT_H */
