/*
 * Anonymous memory: mmap gives zero-filled, page-aligned memory on demand;
 * munmap and mprotect work on page ranges and may split a mapping; a
 * PROT_NONE or unmapped page faults (caught here by a SIGSEGV handler that
 * jumps back); MAP_FIXED replaces what was there; brk grows and shrinks the
 * heap; the main stack grows on demand. The argument checks of each call
 * are tested on their error paths.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "util.h"

#define PAGE 4096

static sigjmp_buf jump;
static volatile uintptr_t fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = (uintptr_t)si->si_addr;
	fault_code = si->si_code;
	siglongjmp(jump, 1);
}

/* True if reading @p faults with SIGSEGV at exactly @p. */
static bool read_faults(volatile char *p)
{
	fault_addr = 0;
	if (sigsetjmp(jump, 1))
		return fault_addr == (uintptr_t)p;
	(void)*p;
	return false;
}

static bool write_faults(volatile char *p)
{
	fault_addr = 0;
	if (sigsetjmp(jump, 1))
		return fault_addr == (uintptr_t)p;
	*p = 0x5a;
	return false;
}

static char *map(size_t len, int prot)
{
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void test_anonymous(void)
{
	char *p = map(16 * PAGE, PROT_READ | PROT_WRITE);
	char *big;
	size_t big_len = 16 << 20;
	bool ok = true;

	ktap_ok(p && ((uintptr_t)p & (PAGE - 1)) == 0,
		"mmap returns a page-aligned address");
	ktap_ok(p && all_bytes(p, 16 * PAGE, 0),
		"new anonymous memory is zero");
	memset(p, 0xab, 16 * PAGE);
	ktap_ok(all_bytes(p, 16 * PAGE, (char)0xab), "and writable");
	EXPECT_SUCCESS(munmap(p, 16 * PAGE));
	ktap_ok(read_faults(p) && fault_code == SEGV_MAPERR,
		"reading unmapped memory faults with SEGV_MAPERR");
	ktap_ok(read_faults(p + 15 * PAGE + 100),
		"at the exact address, even at the far end");

	big = map(big_len, PROT_READ | PROT_WRITE);
	for (size_t off = 0; big && off < big_len; off += PAGE)
		big[off] = (char)(off >> 12);
	for (size_t off = 0; big && off < big_len; off += PAGE)
		ok &= big[off] == (char)(off >> 12);
	ktap_ok(big && ok, "16 MiB of demand-zero pages, each touched once");
	munmap(big, big_len);
}

static void test_arguments(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);

	EXPECT_ERRNO(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			  0),
		     EINVAL);
	EXPECT_ERRNO(mmap((void *)(p + 1), PAGE, PROT_READ,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		     EINVAL);
	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	EXPECT_ERRNO(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 0), EBADF);
	EXPECT_ERRNO(mmap(NULL, 0xfffff000, PROT_READ,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		     ENOMEM);
	EXPECT_ERRNO(munmap(p + 1, PAGE), EINVAL);
	EXPECT_ERRNO(munmap(p, 0), EINVAL);
	EXPECT_ERRNO(mprotect(p + 1, PAGE, PROT_READ), EINVAL);
	EXPECT_ERRNO(mprotect(p, PAGE, 0x100), EINVAL);
	munmap(p + 2 * PAGE, 2 * PAGE);
	EXPECT_ERRNO(mprotect(p + 2 * PAGE, PAGE, PROT_READ), ENOMEM);
	EXPECT_ERRNO(mprotect(p, 4 * PAGE, PROT_READ), ENOMEM);
	EXPECT_SUCCESS(munmap(p + 2 * PAGE, 2 * PAGE)); /* nothing there */
	munmap(p, 2 * PAGE);
}

static void test_protection(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 7, 3 * PAGE);
	EXPECT_SUCCESS(mprotect(p + PAGE, PAGE, PROT_NONE));
	ktap_ok(read_faults(p + PAGE + 5) && fault_code == SEGV_ACCERR,
		"reading PROT_NONE faults with SEGV_ACCERR");
	ktap_ok(write_faults(p + PAGE) && fault_code == SEGV_ACCERR,
		"writing PROT_NONE faults with SEGV_ACCERR");
	ktap_ok(!read_faults(p + PAGE - 1) && !read_faults(p + 2 * PAGE),
		"the neighbouring pages stay accessible");
	EXPECT_SUCCESS(mprotect(p, 3 * PAGE, PROT_READ));
	ktap_ok(!read_faults(p + PAGE) && p[PAGE] == 7,
		"PROT_READ again: contents kept");
	ktap_ok(write_faults(p + 2 * PAGE + 9) && fault_code == SEGV_ACCERR,
		"writing PROT_READ memory faults");
	EXPECT_SUCCESS(mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE));
	ktap_ok(!write_faults(p + 2 * PAGE + 9) && p[2 * PAGE + 9] == 0x5a,
		"PROT_WRITE again: the store lands");
	munmap(p, 3 * PAGE);
}

static void test_fixed_and_partial(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE), *q;

	memset(p, 1, 4 * PAGE);
	q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ktap_ok(q == p + PAGE, "MAP_FIXED maps at the given address");
	ktap_ok(all_bytes(p + PAGE, PAGE, 0) && all_bytes(p, PAGE, 1) &&
			all_bytes(p + 2 * PAGE, 2 * PAGE, 1),
		"MAP_FIXED replaces only the page it covers");
	q = mmap(p, PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	ktap_ok(q == MAP_FAILED && errno == EEXIST,
		"MAP_FIXED_NOREPLACE over a mapping fails with EEXIST");

	EXPECT_SUCCESS(munmap(p + 2 * PAGE, PAGE));
	ktap_ok(read_faults(p + 2 * PAGE) && !read_faults(p + 3 * PAGE) &&
			!read_faults(p + PAGE) && p[3 * PAGE] == 1,
		"munmap of a middle page leaves both sides mapped");
	EXPECT_SUCCESS(munmap(p + PAGE, 3 * PAGE)); /* spans a hole */
	ktap_ok(read_faults(p + PAGE) && read_faults(p + 3 * PAGE) &&
			!read_faults(p),
		"munmap across several mappings and a hole");
	munmap(p, PAGE);
}

static void test_brk(void)
{
	char *orig = sbrk(0), *start, *top;
	long cur = syscall(SYS_brk, 0);

	ktap_ok(orig != (char *)-1 && cur == (long)orig,
		"brk(0) returns the current break");
	/* Work from the next page boundary: libc may have used the heap. */
	start = (char *)(((uintptr_t)orig + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
	top = (char *)syscall(SYS_brk, start + 64 * PAGE);
	ktap_ok(top == start + 64 * PAGE, "brk grows the heap by 256 KiB");
	ktap_ok(all_bytes(start, 64 * PAGE, 0), "new heap memory is zero");
	memset(start, 0x33, 64 * PAGE);
	ktap_ok(all_bytes(start, 64 * PAGE, 0x33), "and writable");
	top = (char *)syscall(SYS_brk, start + PAGE);
	ktap_ok(top == start + PAGE, "brk shrinks it again");
	ktap_ok(read_faults(start + 8 * PAGE),
		"memory above the lowered break faults");
	top = (char *)syscall(SYS_brk, start + 2 * PAGE);
	ktap_ok(top == start + 2 * PAGE && start[PAGE] == 0 && start[0] == 0x33,
		"growing again gives zeroed memory above the old break");
	EXPECT_EQ(syscall(SYS_brk, 4096), (long)start + 2 * PAGE);
	syscall(SYS_brk, orig);
}

static int deep(int n)
{
	volatile char pad[4096];

	pad[0] = (char)n;
	pad[4095] = (char)n;
	return n ? deep(n - 1) + pad[4095] - pad[0] : 0;
}

static void test_stack_and_fork(void)
{
	char *priv = map(PAGE, PROT_READ | PROT_WRITE);
	char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid;

	EXPECT_EQ(deep(512), 0); /* 2 MiB of stack */
	priv[0] = 1;
	shared[0] = 1;
	pid = fork();
	if (pid == 0) {
		priv[0] = 2;
		shared[0] = 2;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ktap_ok(priv[0] == 1, "a child's write to MAP_PRIVATE stays private");
	ktap_ok(shared[0] == 2, "a child's write to MAP_SHARED is seen");
	munmap(priv, PAGE);
	munmap(shared, PAGE);
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);

	ktap_plan(46);
	test_anonymous();
	test_arguments();
	test_protection();
	test_fixed_and_partial();
	test_brk();
	test_stack_and_fork();
	return ktap_exit();
}
