/*
 * Host unit tests of lib/kstrtox.c: tables of strings with the result or
 * error each kstrto*() must give (bases, prefixes, signs, the one
 * trailing newline, whitespace, overflow at every width), memparse()
 * suffixes and end pointers, and random round trips checked against
 * glibc's strtoull() and strtoll().
 *
 * glibc is reached through the libc_*() wrappers above the #include of
 * lib_rename.h; below it, the names mean lib/'s.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"

static int libc_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

/* strtoull() of a whole string; false if it overflowed. */
static bool libc_strtoull(const char *s, int base, unsigned long long *res)
{
	errno = 0;
	*res = strtoull(s, NULL, base);
	return errno != ERANGE;
}

static bool libc_strtoll(const char *s, int base, long long *res)
{
	errno = 0;
	*res = strtoll(s, NULL, base);
	return errno != ERANGE;
}

#include "lib_rename.h"
/* glibc's <sys/cdefs.h> has its own; the kernel's is the same attribute. */
#undef __always_inline
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>

#define CHECK(cond, ...) ktap_check(ok, cond, __VA_ARGS__)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* What the result holds before the call; errors must leave it there. */
#define SENTINEL 0x5a5a5a5a

struct ull_case {
	const char *s;
	unsigned int base;
	int rv;
	unsigned long long val;
};

struct ll_case {
	const char *s;
	unsigned int base;
	int rv;
	long long val;
};

static bool check_ull(const struct ull_case *c, size_t n)
{
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		unsigned long long res = SENTINEL;
		int rv = kstrtoull(c[i].s, c[i].base, &res);
		unsigned long long want = c[i].rv ? SENTINEL : c[i].val;

		CHECK(rv == c[i].rv && res == want,
		      "\"%s\" base %u: rv %d res %llu", c[i].s, c[i].base, rv,
		      res);
	}
	return ok;
}

static bool check_ll(const struct ll_case *c, size_t n)
{
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		long long res = SENTINEL;
		int rv = kstrtoll(c[i].s, c[i].base, &res);
		long long want = c[i].rv ? SENTINEL : c[i].val;

		CHECK(rv == c[i].rv && res == want,
		      "\"%s\" base %u: rv %d res %lld", c[i].s, c[i].base, rv,
		      res);
	}
	return ok;
}

static bool test_ull_decimal(void)
{
	static const struct ull_case cases[] = {
		{ "0", 10, 0, 0 },
		{ "1", 10, 0, 1 },
		{ "123", 10, 0, 123 },
		{ "007", 10, 0, 7 },
		{ "+5", 10, 0, 5 },
		{ "4294967296", 10, 0, 1ull << 32 },
		{ "18446744073709551615", 10, 0, ULLONG_MAX },
		{ "000000000000000000000018446744073709551615", 10, 0,
		  ULLONG_MAX },
		{ "18446744073709551616", 10, -ERANGE, 0 },
		{ "99999999999999999999", 10, -ERANGE, 0 },
		{ "184467440737095516150", 10, -ERANGE, 0 },
		{ "-5", 10, -EINVAL, 0 },
		{ "++5", 10, -EINVAL, 0 },
		{ "+", 10, -EINVAL, 0 },
		{ "12a", 10, -EINVAL, 0 },
	};

	return check_ull(cases, ARRAY_LEN(cases));
}

static bool test_ull_bases(void)
{
	static const struct ull_case cases[] = {
		{ "ff", 16, 0, 255 },
		{ "FF", 16, 0, 255 },
		{ "0xff", 16, 0, 255 },
		{ "0XfF", 16, 0, 255 },
		{ "ffffffffffffffff", 16, 0, ULLONG_MAX },
		{ "10000000000000000", 16, -ERANGE, 0 },
		{ "0x", 16, -EINVAL, 0 },
		{ "0xg", 16, -EINVAL, 0 },
		{ "g", 16, -EINVAL, 0 },
		{ "777", 8, 0, 511 },
		{ "8", 8, -EINVAL, 0 },
		{ "1777777777777777777777", 8, 0, ULLONG_MAX },
		{ "2000000000000000000000", 8, -ERANGE, 0 },
		{ "1011", 2, 0, 11 },
		{ "2", 2, -EINVAL, 0 },
		{ "0x10", 10, -EINVAL, 0 },
		{ "z", 36, -EINVAL, 0 },
		{ "0", 1, -EINVAL, 0 },
		{ "10", 17, -EINVAL, 0 },
	};

	return check_ull(cases, ARRAY_LEN(cases));
}

static bool test_ull_base_auto(void)
{
	static const struct ull_case cases[] = {
		{ "0x1f", 0, 0, 31 },
		{ "0X1F", 0, 0, 31 },
		{ "017", 0, 0, 15 },
		{ "0", 0, 0, 0 },
		{ "10", 0, 0, 10 },
		{ "+0x10", 0, 0, 16 },
		{ "0xffffffffffffffff", 0, 0, ULLONG_MAX },
		{ "0x10000000000000000", 0, -ERANGE, 0 },
		{ "0x", 0, -EINVAL, 0 },
		{ "08", 0, -EINVAL, 0 },
		{ "0xz", 0, -EINVAL, 0 },
		{ "", 0, -EINVAL, 0 },
	};

	return check_ull(cases, ARRAY_LEN(cases));
}

static bool test_newline_and_spaces(void)
{
	static const struct ull_case cases[] = {
		{ "12\n", 10, 0, 12 },
		{ "0x1f\n", 0, 0, 31 },
		{ "12\n\n", 10, -EINVAL, 0 },
		{ "12\nx", 10, -EINVAL, 0 },
		{ "\n", 10, -EINVAL, 0 },
		{ "", 10, -EINVAL, 0 },
		{ " 12", 10, -EINVAL, 0 },
		{ "12 ", 10, -EINVAL, 0 },
		{ "1 2", 10, -EINVAL, 0 },
		{ "\t12", 10, -EINVAL, 0 },
		{ "12\r\n", 10, -EINVAL, 0 },
		{ "99999999999999999999\n", 10, -ERANGE, 0 },
	};

	return check_ull(cases, ARRAY_LEN(cases));
}

static bool test_ll(void)
{
	static const struct ll_case cases[] = {
		{ "0", 10, 0, 0 },
		{ "-0", 10, 0, 0 },
		{ "-1", 10, 0, -1 },
		{ "+1", 10, 0, 1 },
		{ "9223372036854775807", 10, 0, LLONG_MAX },
		{ "9223372036854775808", 10, -ERANGE, 0 },
		{ "-9223372036854775808", 10, 0, LLONG_MIN },
		{ "-9223372036854775809", 10, -ERANGE, 0 },
		{ "-18446744073709551616", 10, -ERANGE, 0 },
		{ "-0x10", 0, 0, -16 },
		{ "-0x8000000000000000", 16, 0, LLONG_MIN },
		{ "-010\n", 0, 0, -8 },
		{ "--1", 10, -EINVAL, 0 },
		{ "-+1", 10, -EINVAL, 0 },
		{ "+-1", 10, -EINVAL, 0 },
		{ "-", 10, -EINVAL, 0 },
		{ "-\n", 10, -EINVAL, 0 },
		{ " -1", 10, -EINVAL, 0 },
	};

	return check_ll(cases, ARRAY_LEN(cases));
}

static bool test_uint(void)
{
	bool ok = true;
	unsigned int res = SENTINEL;

	CHECK(kstrtouint("4294967295", 10, &res) == 0 && res == UINT_MAX,
	      "UINT_MAX: %u", res);
	CHECK(kstrtouint("0xffffffff", 0, &res) == 0 && res == UINT_MAX,
	      "hex UINT_MAX: %u", res);
	CHECK(kstrtouint("0", 10, &res) == 0 && res == 0, "zero: %u", res);
	res = SENTINEL;
	CHECK(kstrtouint("4294967296", 10, &res) == -ERANGE, "UINT_MAX + 1");
	CHECK(kstrtouint("18446744073709551616", 10, &res) == -ERANGE, "2^64");
	CHECK(kstrtouint("-1", 10, &res) == -EINVAL, "negative");
	CHECK(kstrtouint("1x", 10, &res) == -EINVAL, "junk");
	CHECK(res == SENTINEL, "touched on error: %u", res);
	return ok;
}

static bool test_int(void)
{
	bool ok = true;
	int res = SENTINEL;

	CHECK(kstrtoint("2147483647", 10, &res) == 0 && res == INT_MAX,
	      "INT_MAX: %d", res);
	CHECK(kstrtoint("-2147483648", 10, &res) == 0 && res == INT_MIN,
	      "INT_MIN: %d", res);
	CHECK(kstrtoint("-0x80000000", 0, &res) == 0 && res == INT_MIN,
	      "hex INT_MIN: %d", res);
	CHECK(kstrtoint("-7\n", 10, &res) == 0 && res == -7, "-7: %d", res);
	res = SENTINEL;
	CHECK(kstrtoint("2147483648", 10, &res) == -ERANGE, "INT_MAX + 1");
	CHECK(kstrtoint("-2147483649", 10, &res) == -ERANGE, "INT_MIN - 1");
	CHECK(kstrtoint("4294967295", 10, &res) == -ERANGE, "UINT_MAX");
	CHECK(kstrtoint("--2", 10, &res) == -EINVAL, "double sign");
	CHECK(res == SENTINEL, "touched on error: %d", res);
	return ok;
}

/* long is 32 or 64 bits: the limits are printed by glibc. */
static bool test_ulong(void)
{
	char s[32];
	unsigned long res = SENTINEL;
	bool ok = true;

	libc_snprintf(s, sizeof(s), "%lu", ULONG_MAX);
	CHECK(kstrtoul(s, 10, &res) == 0 && res == ULONG_MAX, "ULONG_MAX");
	libc_snprintf(s, sizeof(s), "%#lx\n", ULONG_MAX);
	CHECK(kstrtoul(s, 0, &res) == 0 && res == ULONG_MAX, "hex");
	res = SENTINEL;
	libc_snprintf(s, sizeof(s), "%lu0", ULONG_MAX);
	CHECK(kstrtoul(s, 10, &res) == -ERANGE, "ULONG_MAX * 10");
	libc_snprintf(s, sizeof(s), "%#lx0", ULONG_MAX);
	CHECK(kstrtoul(s, 16, &res) == -ERANGE, "ULONG_MAX * 16");
	CHECK(kstrtoul("-1", 10, &res) == -EINVAL, "negative");
	CHECK(res == SENTINEL, "touched on error: %lu", res);
	return ok;
}

static bool test_long(void)
{
	char s[32];
	long res = SENTINEL;
	bool ok = true;

	libc_snprintf(s, sizeof(s), "%ld", LONG_MAX);
	CHECK(kstrtol(s, 10, &res) == 0 && res == LONG_MAX, "LONG_MAX");
	libc_snprintf(s, sizeof(s), "%ld", LONG_MIN);
	CHECK(kstrtol(s, 10, &res) == 0 && res == LONG_MIN, "LONG_MIN");
	res = SENTINEL;
	libc_snprintf(s, sizeof(s), "%lu", (unsigned long)LONG_MAX + 1);
	CHECK(kstrtol(s, 10, &res) == -ERANGE, "LONG_MAX + 1");
	libc_snprintf(s, sizeof(s), "-%lu", (unsigned long)LONG_MAX + 2);
	CHECK(kstrtol(s, 10, &res) == -ERANGE, "LONG_MIN - 1");
	CHECK(kstrtol("1.5", 10, &res) == -EINVAL, "junk");
	CHECK(res == SENTINEL, "touched on error: %ld", res);
	return ok;
}

struct memparse_case {
	const char *s;
	unsigned long long val;
	size_t end; /* offset of *retptr */
};

static bool test_memparse(void)
{
	static const struct memparse_case cases[] = {
		{ "64M", 64ull << 20, 3 },
		{ "64m", 64ull << 20, 3 },
		{ "4k", 4096, 2 },
		{ "4K", 4096, 2 },
		{ "1G", 1ull << 30, 2 },
		{ "3g", 3ull << 30, 2 },
		{ "12", 12, 2 },
		{ "0x10K", 16 << 10, 5 },
		{ "010", 8, 3 },
		{ "0", 0, 1 },
		{ "0x", 0, 1 },
		{ "0xg", 0, 1 },
		{ "64Mfoo", 64ull << 20, 3 },
		{ "5X", 5, 1 },
		{ "5 M", 5, 1 },
		{ "abc", 0, 0 },
		{ "", 0, 0 },
		{ "K", 0, 0 },
		{ "-5", 0, 0 },
		{ "17179869183G", 17179869183ull << 30, 12 },
		{ "17179869184G", ULLONG_MAX, 12 },
		{ "99999999999999999999", ULLONG_MAX, 20 },
		{ "18446744073709551615", ULLONG_MAX, 20 },
	};
	bool ok = true;

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *end = NULL;
		unsigned long long v = memparse(cases[i].s, &end);

		CHECK(v == cases[i].val && end == cases[i].s + cases[i].end,
		      "\"%s\": %llu, end at %td", cases[i].s, v,
		      end - cases[i].s);
	}
	CHECK(memparse("2M", NULL) == 2ull << 20, "NULL retptr");
	return ok;
}

/* A deterministic xorshift, so failures reproduce. */
static unsigned long long rand_state = 88172645463325252ull;

static unsigned long long next_rand(void)
{
	rand_state ^= rand_state << 13;
	rand_state ^= rand_state >> 7;
	rand_state ^= rand_state << 17;
	return rand_state;
}

/* Random values of every magnitude printed by glibc and parsed back. */
static bool test_round_trip(void)
{
	static const struct {
		const char *fmt;
		unsigned int base;
	} forms[] = {
		{ "%llu", 10 },	  { "%llx", 16 },  { "%#llx", 16 },
		{ "%llX", 16 },	  { "%#llX", 0 },  { "%llo", 8 },
		{ "%#llo", 0 },	  { "+%llu", 10 }, { "%llu\n", 0 },
		{ "%#llx\n", 0 },
	};
	char s[40];
	bool ok = true;

	for (int i = 0; i < 50000; i++) {
		unsigned long long v = next_rand() >> (next_rand() % 64);
		unsigned long long res = SENTINEL;
		size_t f = i % ARRAY_LEN(forms);
		int rv;

		libc_snprintf(s, sizeof(s), forms[f].fmt, v);
		rv = kstrtoull(s, forms[f].base, &res);
		CHECK(rv == 0 && res == v, "\"%s\" base %u: rv %d res %llu", s,
		      forms[f].base, rv, res);
	}
	return ok;
}

/* A random decimal string of 1 to 21 digits, maybe signed. */
static void random_decimal(char *s, bool sign)
{
	int len = 1 + next_rand() % 21;
	int n = 0;

	if (sign && next_rand() % 2)
		s[n++] = '-';
	while (len--)
		s[n++] = '0' + next_rand() % 10;
	s[n] = '\0';
}

/* kstrtoull() and kstrtoll() against strtoull() and strtoll(). */
static bool test_against_libc(void)
{
	char s[32];
	bool ok = true;

	for (int i = 0; i < 50000; i++) {
		unsigned long long u, ures = SENTINEL;
		long long l, lres = SENTINEL;
		bool fits;
		int rv;

		random_decimal(s, false);
		fits = libc_strtoull(s, 10, &u);
		rv = kstrtoull(s, 10, &ures);
		CHECK(fits ? rv == 0 && ures == u : rv == -ERANGE,
		      "kstrtoull \"%s\": rv %d res %llu", s, rv, ures);
		random_decimal(s, true);
		fits = libc_strtoll(s, 10, &l);
		rv = kstrtoll(s, 10, &lres);
		CHECK(fits ? rv == 0 && lres == l : rv == -ERANGE,
		      "kstrtoll \"%s\": rv %d res %lld", s, rv, lres);
	}
	return ok;
}

int main(void)
{
	ktap_plan(12);
	ktap_result(test_ull_decimal(), "ull_decimal");
	ktap_result(test_ull_bases(), "ull_bases");
	ktap_result(test_ull_base_auto(), "ull_base_auto");
	ktap_result(test_newline_and_spaces(), "newline_and_spaces");
	ktap_result(test_ll(), "ll");
	ktap_result(test_uint(), "uint");
	ktap_result(test_int(), "int");
	ktap_result(test_ulong(), "ulong");
	ktap_result(test_long(), "long");
	ktap_result(test_memparse(), "memparse");
	ktap_result(test_round_trip(), "round_trip");
	ktap_result(test_against_libc(), "against_libc");
	return ktap_finish();
}
