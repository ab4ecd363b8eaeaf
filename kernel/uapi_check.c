/*
 * Compiles every header of include/uapi/ with the kernel's compiler and
 * flags, so the _Static_assert()s they carry on the size and layout of each
 * structure user space sees are checked in every build, and checks here the
 * few facts that tie two headers together. The object contains no code.
 */
#include <uapi/aio_abi.h>
#include <uapi/auxvec.h>
#include <uapi/dirent.h>
#include <uapi/elf.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/futex.h>
#include <uapi/ioctls.h>
#include <uapi/limits.h>
#include <uapi/mman.h>
#include <uapi/netlink.h>
#include <uapi/poll.h>
#include <uapi/prctl.h>
#include <uapi/random.h>
#include <uapi/reboot.h>
#include <uapi/resource.h>
#include <uapi/sched.h>
#include <uapi/sigcontext.h>
#include <uapi/signal.h>
#include <uapi/socket.h>
#include <uapi/stat.h>
#include <uapi/statfs.h>
#include <uapi/sysinfo.h>
#include <uapi/termbits.h>
#include <uapi/time.h>
#include <uapi/uio.h>
#include <uapi/unistd_32.h>
#include <uapi/utsname.h>
#include <uapi/vt.h>
#include <uapi/wait.h>

/* Numbers that must agree across headers. */
_Static_assert(SOCK_CLOEXEC == 02000000 && SOCK_NONBLOCK == 00004000,
	       "socket creation flags are the O_* values");
_Static_assert(DT_DIR == (S_IFDIR >> 12) && DT_REG == (S_IFREG >> 12) &&
		       DT_LNK == (S_IFLNK >> 12),
	       "DT_* is the file type shifted down");
_Static_assert(sizeof(sigset_t) * 8 == _NSIG, "sigset_t holds _NSIG bits");
_Static_assert(SIGRTMAX == 64, "64 signals");
_Static_assert(NR_syscalls > __NR_clone3, "table covers clone3");
_Static_assert(sizeof(struct pollfd) == 8, "pollfd");
_Static_assert(PIPE_BUF == 4096 && PATH_MAX == 4096 && NAME_MAX == 255,
	       "limits");
_Static_assert(MINSIGSTKSZ >= sizeof(struct rt_sigframe) + 624,
	       "a signal frame with legacy FPU state fits in MINSIGSTKSZ");
