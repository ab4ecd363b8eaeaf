/*
 * madvise() as Linux 6.1 answers it: every advice value it knows is
 * accepted or refused per kind of mapping exactly as there (a table
 * taken from Linux in QEMU); MADV_DONTNEED drops private pages but never
 * the data of shared memory, which every process sharing it still sees
 * after a fork; MADV_REMOVE zeroes shared memory for every sharer and
 * refuses private memory; MADV_DONTFORK and MADV_WIPEONFORK change what
 * a child gets; a flag change splits the mapping and the reverse merges
 * it again; the populate advice checks rights; the range checks.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "util.h"

#define PAGE 4096
#define NPAGES 4
#define LEN (NPAGES * PAGE)

/* Advice numbers newer than some C libraries' headers. */
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

static char *map(int prot, int flags)
{
	char *p = mmap(NULL, LEN, prot, flags | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Run @fn(@arg) in a child; its exit status, or -1 if it crashed. */
static int in_child(int (*fn)(char *), char *arg)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* ---- every advice value, per kind of mapping ------------------------------ */

enum kind { PRIV, SHARED, LOCKED, HOLE, NKINDS };

static const char *const kind_name[NKINDS] = { "private", "shared", "locked",
					       "hole" };

/* What Linux 6.1 returns (0 or errno) for each advice and kind. */
static const struct {
	int advice;
	int err[NKINDS];
} advice_table[] = {
	{ MADV_NORMAL, { 0, 0, 0, ENOMEM } },
	{ MADV_RANDOM, { 0, 0, 0, ENOMEM } },
	{ MADV_SEQUENTIAL, { 0, 0, 0, ENOMEM } },
	{ MADV_WILLNEED, { 0, 0, 0, ENOMEM } },
	{ MADV_DONTNEED, { 0, 0, EINVAL, ENOMEM } },
	{ 5, { EINVAL, EINVAL, EINVAL, EINVAL } },
	{ 6, { EINVAL, EINVAL, EINVAL, EINVAL } },
	{ 7, { EINVAL, EINVAL, EINVAL, EINVAL } },
	{ MADV_FREE, { 0, EINVAL, EINVAL, ENOMEM } },
	{ MADV_REMOVE, { EINVAL, 0, EINVAL, EINVAL } },
	{ MADV_DONTFORK, { 0, 0, 0, ENOMEM } },
	{ MADV_DOFORK, { 0, 0, 0, ENOMEM } },
	{ MADV_MERGEABLE, { 0, 0, 0, ENOMEM } },
	{ MADV_UNMERGEABLE, { 0, 0, 0, ENOMEM } },
	{ MADV_HUGEPAGE, { 0, 0, 0, ENOMEM } },
	{ MADV_NOHUGEPAGE, { 0, 0, 0, ENOMEM } },
	{ MADV_DONTDUMP, { 0, 0, 0, ENOMEM } },
	{ MADV_DODUMP, { 0, 0, 0, ENOMEM } },
	{ MADV_WIPEONFORK, { 0, EINVAL, 0, ENOMEM } },
	{ MADV_KEEPONFORK, { 0, 0, 0, ENOMEM } },
	{ MADV_COLD, { 0, 0, EINVAL, ENOMEM } },
	{ MADV_PAGEOUT, { 0, 0, EINVAL, ENOMEM } },
	{ MADV_POPULATE_READ, { 0, 0, 0, ENOMEM } },
	{ MADV_POPULATE_WRITE, { 0, 0, 0, ENOMEM } },
	{ MADV_DONTNEED_LOCKED, { 0, 0, 0, ENOMEM } },
	{ MADV_COLLAPSE, { EINVAL, EINVAL, EINVAL, EINVAL } },
	{ 26, { EINVAL, EINVAL, EINVAL, EINVAL } },
	{ 99, { EINVAL, EINVAL, EINVAL, EINVAL } },
};

/* madvise() the whole of a new mapping of @kind: 0 or errno. */
static int advise_kind(int advice, enum kind k)
{
	int flags = k == SHARED ? MAP_SHARED : MAP_PRIVATE, err;
	char *p;

	if (k == LOCKED)
		flags |= MAP_LOCKED;
	p = map(PROT_READ | PROT_WRITE, flags);
	if (!p)
		return -1;
	p[0] = 1;
	if (k == HOLE)
		munmap(p + 2 * PAGE, 2 * PAGE);
	err = madvise(p, LEN, advice) ? errno : 0;
	munmap(p, LEN);
	return err;
}

static void test_advice_table(void)
{
	for (size_t i = 0; i < sizeof(advice_table) / sizeof(advice_table[0]);
	     i++) {
		char diag[256] = "";
		bool ok = true;

		for (int k = 0; k < NKINDS; k++) {
			int got = advise_kind(advice_table[i].advice, k);
			int want = advice_table[i].err[k];

			if (got == want)
				continue;
			ok = false;
			snprintf(diag + strlen(diag),
				 sizeof(diag) - strlen(diag),
				 " %s: %s, not %s;", kind_name[k],
				 got ? ktap_errname(got) : "0",
				 want ? ktap_errname(want) : "0");
		}
		if (!ktap_ok(ok, "advice %d on private, shared, locked, holed",
			     advice_table[i].advice))
			ktap_diag("%s", diag);
	}
}

/* ---- shared memory --------------------------------------------------------- */

/* In a child: DONTNEED must keep the parent's data, and the child's
 * writes after it must still reach the parent. */
static int dontneed_child(char *p)
{
	if (madvise(p, LEN, MADV_DONTNEED))
		return 1;
	if (!all_bytes(p, LEN, 'P'))
		return 2;
	memset(p, 'C', LEN);
	return 0;
}

static void test_shared_dontneed(void)
{
	char *p = map(PROT_READ | PROT_WRITE, MAP_SHARED);

	memset(p, 'P', LEN);
	ktap_ok(in_child(dontneed_child, p) == 0 && all_bytes(p, LEN, 'C'),
		"DONTNEED in a child keeps shared data, and its writes reach the parent");
	ktap_ok(madvise(p, LEN, MADV_DONTNEED) == 0 && all_bytes(p, LEN, 'C'),
		"DONTNEED in the parent keeps shared data");
	memset(p, 'P', LEN);
	ktap_ok(in_child(dontneed_child, p) == 0 && all_bytes(p, LEN, 'C'),
		"after the parent's DONTNEED, parent and child still share");
	munmap(p, LEN);
}

static int remove_child(char *p)
{
	if (madvise(p + PAGE, 2 * PAGE, MADV_REMOVE))
		return 1;
	if (!all_bytes(p + PAGE, 2 * PAGE, 0) || !all_bytes(p, PAGE, 'P'))
		return 2;
	p[PAGE] = 'C';
	return 0;
}

static void test_shared_remove(void)
{
	char *p = map(PROT_READ | PROT_WRITE, MAP_SHARED);
	char *ro = map(PROT_READ, MAP_SHARED);
	char *priv = map(PROT_READ | PROT_WRITE, MAP_PRIVATE);

	memset(p, 'P', LEN);
	ktap_ok(in_child(remove_child, p) == 0 && all_bytes(p, PAGE, 'P') &&
			p[PAGE] == 'C' &&
			all_bytes(p + PAGE + 1, 2 * PAGE - 1, 0) &&
			all_bytes(p + 3 * PAGE, PAGE, 'P'),
		"REMOVE in a child zeroes the range for the parent too");
	ktap_ok(madvise(p, LEN, MADV_REMOVE) == 0 && all_bytes(p, LEN, 0),
		"REMOVE in the parent zeroes the whole mapping");
	ktap_ok(madvise(ro, LEN, MADV_REMOVE) == 0,
		"REMOVE is allowed on a read-only shared mapping");
	priv[0] = 'X';
	EXPECT_ERRNO(madvise(priv, LEN, MADV_REMOVE), EINVAL);
	ktap_ok(priv[0] == 'X', "a refused REMOVE leaves private data alone");
	munmap(p, LEN);
	munmap(ro, LEN);
	munmap(priv, LEN);
}

/* ---- private memory and fork ----------------------------------------------- */

static int sees_mapping(char *p)
{
	return madvise(p, LEN, MADV_NORMAL) == 0 ? 0 : errno;
}

static int reads_zero(char *p)
{
	return all_bytes(p, LEN, 0) ? 0 : 1;
}

static int reads_data(char *p)
{
	return all_bytes(p, LEN, 'D') ? 0 : 1;
}

static void test_fork_advice(void)
{
	char *p = map(PROT_READ | PROT_WRITE, MAP_PRIVATE);

	memset(p, 'D', LEN);
	ktap_ok(madvise(p, LEN, MADV_DONTFORK) == 0 &&
			in_child(sees_mapping, p) == ENOMEM,
		"DONTFORK: the child does not get the mapping");
	ktap_ok(madvise(p, LEN, MADV_DOFORK) == 0 &&
			in_child(reads_data, p) == 0,
		"DOFORK: the child gets it again, with the data");
	ktap_ok(madvise(p, LEN, MADV_WIPEONFORK) == 0 &&
			in_child(reads_zero, p) == 0 && all_bytes(p, LEN, 'D'),
		"WIPEONFORK: the child's copy reads zeroes, the parent's not");
	ktap_ok(madvise(p, LEN, MADV_KEEPONFORK) == 0 &&
			in_child(reads_data, p) == 0,
		"KEEPONFORK: the child gets the data again");
	munmap(p, LEN);
}

/* How many lines of /proc/self/maps overlap [@p, @p + LEN). */
static int maps_lines(char *p)
{
	char line[256], *end;
	FILE *f = fopen("/proc/self/maps", "r");
	uintptr_t start, stop;
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		start = strtoul(line, &end, 16);
		stop = strtoul(end + 1, NULL, 16);
		if (start < (uintptr_t)p + LEN && stop > (uintptr_t)p)
			n++;
	}
	fclose(f);
	return n;
}

static void test_private(void)
{
	char *p = map(PROT_READ | PROT_WRITE, MAP_PRIVATE);
	char *locked = map(PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_LOCKED);
	char *ro = map(PROT_READ, MAP_PRIVATE);
	char *none = map(PROT_NONE, MAP_PRIVATE);

	memset(p, 'D', LEN);
	ktap_ok(madvise(p + PAGE, PAGE, MADV_DONTNEED) == 0 &&
			all_bytes(p + PAGE, PAGE, 0) &&
			all_bytes(p, PAGE, 'D') &&
			all_bytes(p + 2 * PAGE, 2 * PAGE, 'D'),
		"DONTNEED drops private pages: they read as zeroes");
	ktap_ok(madvise(p + PAGE, PAGE, MADV_DONTDUMP) == 0 &&
			maps_lines(p) == 3,
		"DONTDUMP on the middle page splits the mapping in three");
	ktap_ok(madvise(p + PAGE, PAGE, MADV_DODUMP) == 0 && maps_lines(p) == 1,
		"DODUMP merges it back into one");
	memset(locked, 'L', LEN);
	EXPECT_ERRNO(madvise(locked, LEN, MADV_DONTNEED), EINVAL);
	ktap_ok(madvise(locked, LEN, MADV_DONTNEED_LOCKED) == 0 &&
			all_bytes(locked, LEN, 0),
		"DONTNEED_LOCKED drops locked pages");
	EXPECT_ERRNO(madvise(ro, LEN, MADV_POPULATE_WRITE), EINVAL);
	EXPECT_ERRNO(madvise(none, LEN, MADV_POPULATE_READ), EINVAL);
	ktap_ok(madvise(ro, LEN, MADV_POPULATE_READ) == 0 &&
			madvise(p, LEN, MADV_POPULATE_WRITE) == 0 &&
			all_bytes(ro, LEN, 0) && all_bytes(p + PAGE, PAGE, 0),
		"POPULATE_READ and _WRITE fault pages in, contents unchanged");

	EXPECT_ERRNO(madvise(p + 1, PAGE, MADV_NORMAL), EINVAL);
	EXPECT_ERRNO(madvise(p, (size_t)-1, MADV_NORMAL), EINVAL);
	EXPECT_SUCCESS(madvise(p, 0, MADV_DONTNEED));
	munmap(p + 2 * PAGE, 2 * PAGE);
	memset(p, 'D', 2 * PAGE);
	EXPECT_ERRNO(madvise(p, LEN, MADV_DONTNEED), ENOMEM);
	ktap_ok(all_bytes(p, 2 * PAGE, 0),
		"the mapped part before a hole is still advised");
	munmap(p, LEN);
	munmap(locked, LEN);
	munmap(ro, LEN);
	munmap(none, LEN);
}

int main(void)
{
	ktap_plan(53);
	test_advice_table();
	test_shared_dontneed();
	test_shared_remove();
	test_fork_advice();
	test_private();
	return ktap_exit();
}
