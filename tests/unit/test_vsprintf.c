/*
 * Host unit tests of lib/vsprintf.c, in two kinds of case.
 *
 * Hand-written cases check each conversion, flag and length against a
 * literal expectation, and cover what is ours alone: %p, NULL %s, bad
 * conversions, truncation, vscnprintf() and friends.
 *
 * Oracle cases generate tens of thousands of formats (every flag set,
 * width, precision, '*', length and conversion on edge values) and
 * require our snprintf() to give glibc's text and return value, both
 * into a large buffer and into small ones (truncation), where the two
 * are specified alike. glibc is reached through libc_snprintf() and the
 * other wrappers defined above the #include of lib_rename.h; below it,
 * snprintf() means lib/vsprintf.c's.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
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

static int libc_strcmp(const char *a, const char *b)
{
	return strcmp(a, b);
}

static int libc_strncmp(const char *a, const char *b, size_t n)
{
	return strncmp(a, b, n);
}

static void *libc_memset(void *s, int c, size_t n)
{
	return memset(s, c, n);
}

static size_t libc_strlen(const char *s)
{
	return strlen(s);
}

#include "lib_rename.h"
/* glibc's <sys/cdefs.h> has its own; the kernel's is the same attribute. */
#undef __always_inline
#include <kestrel/kstrtox.h>

#define CHECK(cond, ...) ktap_check(ok, cond, __VA_ARGS__)
#define GUARD 0x5a
#define OUT_SIZE 512
/* Mismatches printed per oracle case; the rest are only counted. */
#define MAX_REPORTS 10

static char out[OUT_SIZE];

/* After a call that printed into out: is it @want, and was @ret right? */
static bool expect(int line, const char *want, int ret)
{
	int len = (int)libc_strlen(want);

	if (ret == len && !libc_strcmp(out, want))
		return true;
	printf("# line %d: got \"%s\" (%d), want \"%s\" (%d)\n", line, out, ret,
	       want, len);
	return false;
}

#define EXPECT(want, ...) \
	(ok &= expect(__LINE__, want, snprintf(out, sizeof(out), __VA_ARGS__)))

/* As EXPECT(), with glibc's output as the expectation. */
#define EXPECT_LIBC(fmt, arg)                                  \
	do {                                                   \
		char want_[64];                                \
                                                               \
		libc_snprintf(want_, sizeof(want_), fmt, arg); \
		EXPECT(want_, fmt, arg);                       \
	} while (0)

/* A NULL the compiler cannot see, so that "%s" of it draws no warning. */
static const char *volatile null_string;

static bool test_decimal(void)
{
	bool ok = true;

	EXPECT("0", "%d", 0);
	EXPECT("1", "%d", 1);
	EXPECT("-1", "%d", -1);
	EXPECT("123456", "%d", 123456);
	EXPECT("-42", "%i", -42);
	EXPECT("2147483647", "%d", INT_MAX);
	EXPECT("0", "%u", 0u);
	EXPECT("4294967295", "%u", UINT_MAX);
	EXPECT("4294967295", "%u", -1);
	EXPECT("a1b-2c", "a%db%dc", 1, -2);
	return ok;
}

static bool test_int_min(void)
{
	bool ok = true;

	EXPECT("-2147483648", "%d", INT_MIN);
	EXPECT(" -2147483648", "%12d", INT_MIN);
	EXPECT("-2147483648 |", "%-12d|", INT_MIN);
	EXPECT("-2147483648", "%+d", INT_MIN);
	EXPECT("-002147483648", "%.12d", INT_MIN);
	EXPECT("-002147483648", "%013d", INT_MIN);
	EXPECT("2147483648", "%u", INT_MIN);
	EXPECT("80000000", "%x", INT_MIN);
	return ok;
}

static bool test_64bit(void)
{
	bool ok = true;

	EXPECT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT("9223372036854775807", "%lld", LLONG_MAX);
	EXPECT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT("ffffffffffffffff", "%llx", ULLONG_MAX);
	EXPECT("FFFFFFFFFFFFFFFF", "%llX", ULLONG_MAX);
	EXPECT("1777777777777777777777", "%llo", ULLONG_MAX);
	EXPECT("01777777777777777777777", "%#llo", ULLONG_MAX);
	EXPECT("4294967296", "%llu", 1ull << 32);
	EXPECT("4294967295", "%llu", (1ull << 32) - 1);
	EXPECT("10000000000000000000", "%llu", 10000000000000000000ull);
	EXPECT("-1", "%lld", -1ll);
	EXPECT("0x100000000", "%#llx", 1ull << 32);
	EXPECT("-9223372036854775808", "%jd", (intmax_t)LLONG_MIN);
	return ok;
}

static bool test_hex(void)
{
	bool ok = true;

	EXPECT("ff", "%x", 255);
	EXPECT("FF", "%X", 255);
	EXPECT("0xff", "%#x", 255);
	EXPECT("0XFF", "%#X", 255);
	EXPECT("0", "%#x", 0);
	EXPECT("000000ff", "%08x", 255);
	EXPECT("0x000000ff", "%#010x", 255);
	EXPECT("0x00ff", "%#.4x", 255);
	EXPECT("  0xff", "%#6x", 255);
	EXPECT("0xff  |", "%-#6x|", 255);
	EXPECT("deadbeef", "%x", 0xdeadbeefu);
	return ok;
}

static bool test_octal(void)
{
	bool ok = true;

	EXPECT("10", "%o", 8);
	EXPECT("010", "%#o", 8);
	EXPECT("0", "%#o", 0);
	EXPECT("0", "%#.0o", 0);
	EXPECT("", "%.0o", 0);
	EXPECT("010", "%#.3o", 8);
	EXPECT("0010", "%#.4o", 8);
	EXPECT("  010", "%#5o", 8);
	EXPECT("37777777777", "%o", UINT_MAX);
	return ok;
}

static bool test_flags(void)
{
	bool ok = true;

	EXPECT("+5", "%+d", 5);
	EXPECT(" 5", "% d", 5);
	EXPECT("-5", "% d", -5);
	EXPECT("+0", "%+d", 0);
	EXPECT("5    |", "%-5d|", 5);
	EXPECT("-0042", "%05d", -42);
	EXPECT("+0042", "%+05d", 42);
	EXPECT(" 0042", "% 05d", 42);
	return ok;
}

/*
 * Flags that C defines as ignored, which the compiler's format check
 * flags: the formats are not literals so that -Wformat lets them by.
 */
static bool test_ignored_flags(void)
{
	static const struct {
		const char *fmt;
		bool star; /* takes the '*' argument -5 (width) or -1 */
		int value;
		const char *want;
	} cases[] = {
		{ "%+ d", false, 5, "+5" },
		{ "%-05d|", false, 42, "42   |" },
		{ "%+u", false, 5, "5" },
		{ "% u", false, 5, "5" },
		{ "%+x", false, 255, "ff" },
		{ "%08.3d", false, 7, "     007" },
		{ "%0*d|", true, 42, "42   |" },
		{ "%05.*d", true, 7, "00007" },
	};
	bool ok = true;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int star = cases[i].fmt[2] == '*' ? -5 : -1;
		int ret;

		if (cases[i].star)
			ret = snprintf(out, sizeof(out), cases[i].fmt, star,
				       cases[i].value);
		else
			ret = snprintf(out, sizeof(out), cases[i].fmt,
				       cases[i].value);
		ok &= expect(__LINE__, cases[i].want, ret);
	}
	return ok;
}

static bool test_width_precision(void)
{
	bool ok = true;

	EXPECT("   42", "%5d", 42);
	EXPECT("12345", "%1d", 12345);
	EXPECT("12345", "%3d", 12345);
	EXPECT("007", "%.3d", 7);
	EXPECT("-007", "%.3d", -7);
	EXPECT("", "%.0d", 0);
	EXPECT("", "%.d", 0);
	EXPECT("     ", "%5.0d", 0);
	EXPECT("+", "%+.0d", 0);
	EXPECT("0000000042", "%.10u", 42u);
	EXPECT("", "%.0x", 0);
	EXPECT("", "%#.0x", 0);
	EXPECT("  -007|", "%6.3d|", -7);
	EXPECT("-007  |", "%-6.3d|", -7);
	return ok;
}

static bool test_star(void)
{
	bool ok = true;

	EXPECT("   42", "%*d", 5, 42);
	EXPECT("42   |", "%*d|", -5, 42);
	EXPECT("007", "%.*d", 3, 7);
	EXPECT("7", "%.*d", -1, 7);
	EXPECT("   007", "%*.*d", 6, 3, 7);
	EXPECT("he", "%.*s", 2, "hello");
	EXPECT("   he", "%*.*s", 5, 2, "hello");
	EXPECT("x", "%*c", 0, 'x');
	return ok;
}

static bool test_length_modifiers(void)
{
	bool ok = true;

	EXPECT("-1", "%hhd", 255);
	EXPECT("127", "%hhd", 127);
	EXPECT("-128", "%hhd", 128);
	EXPECT("0", "%hhu", 256);
	EXPECT("ff", "%hhx", 0x1ff);
	EXPECT("-1", "%hd", 65535);
	EXPECT("0", "%hu", 65536);
	EXPECT("-32768", "%hd", 32768);
	EXPECT("ffff", "%hx", -1);
	EXPECT("-5", "%zd", (ptrdiff_t)-5);
	EXPECT("-7", "%td", (ptrdiff_t)-7);
	/* The widths of long, size_t and ptrdiff_t vary: ask glibc. */
	EXPECT_LIBC("%ld", LONG_MIN);
	EXPECT_LIBC("%lu", ULONG_MAX);
	EXPECT_LIBC("%zu", SIZE_MAX);
	EXPECT_LIBC("%zx", SIZE_MAX);
	EXPECT_LIBC("%tx", (ptrdiff_t)-1);
	return ok;
}

static bool test_char(void)
{
	bool ok = true;

	EXPECT("a", "%c", 'a');
	EXPECT("  a", "%3c", 'a');
	EXPECT("a  |", "%-3c|", 'a');
	EXPECT("ab", "%c%c", 'a', 'b');
	EXPECT("b", "%c", 256 + 'b');
	CHECK(snprintf(out, sizeof(out), "%cx", 0) == 2, "NUL char counts");
	CHECK(out[0] == '\0' && out[1] == 'x', "NUL char stored");
	return ok;
}

static bool test_string(void)
{
	const char unterminated[3] = { 'a', 'b', 'c' };
	bool ok = true;

	EXPECT("hi", "%s", "hi");
	EXPECT("", "%s", "");
	EXPECT("   hi", "%5s", "hi");
	EXPECT("hi   |", "%-5s|", "hi");
	EXPECT("h", "%.1s", "hi");
	EXPECT("", "%.0s", "hi");
	EXPECT("       abc", "%10.3s", "abcdef");
	EXPECT("hello", "%2s", "hello");
	/* With a precision, no byte past it is read (ASan watches). */
	EXPECT("abc", "%.3s", unterminated);
	EXPECT("a=1 b=two", "a=%d b=%s", 1, "two");
	return ok;
}

static bool test_null_string(void)
{
	bool ok = true;

	EXPECT("(null)", "%s", null_string);
	EXPECT("    (null)", "%10s", null_string);
	EXPECT("(null)    |", "%-10s|", null_string);
	/* Unlike glibc, which prints nothing here, ours truncates. */
	EXPECT("(nu", "%.3s", null_string);
	return ok;
}

static bool test_pointer(void)
{
	int digits = 2 * sizeof(void *);
	char want[64];
	bool ok = true;

	libc_snprintf(want, sizeof(want), "0x%0*llx", digits, 0x1234ull);
	EXPECT(want, "%p", (void *)0x1234);
	libc_snprintf(want, sizeof(want), "0x%0*llx", digits, 0ull);
	EXPECT(want, "%p", NULL);
	libc_snprintf(want, sizeof(want), "0x%0*llx", digits,
		      (unsigned long long)UINTPTR_MAX);
	EXPECT(want, "%p", (void *)UINTPTR_MAX);
	libc_snprintf(want, sizeof(want), "%*s0x%0*llx|", 4, "", digits,
		      0xabcull);
	EXPECT(want, "%*p|", digits + 6, (void *)0xabc);
	libc_snprintf(want, sizeof(want), "0x%0*llx%*s|", digits, 0xabcull, 4,
		      "");
	EXPECT(want, "%-*p|", digits + 6, (void *)0xabc);
	CHECK(snprintf(out, sizeof(out), "%p", (void *)out) == 2 + digits,
	      "length of %%p");
	return ok;
}

static bool test_percent_and_text(void)
{
	bool ok = true;

	EXPECT("%", "%%");
	EXPECT("100%", "100%%");
	EXPECT("5%", "%d%%", 5);
	EXPECT("%%", "%%%%");
	EXPECT("", "%s", "");
	CHECK(snprintf(out, sizeof(out), "%s", "") == 0 && !out[0], "empty");
	EXPECT("plain text", "plain text");
	return ok;
}

/*
 * What the compiler's format check rejects: printed as text from the
 * '%' on. The formats are not literals so that -Wformat lets them by.
 */
static bool test_bad_conversions(void)
{
	static const char *const fmts[][2] = {
		{ "%y", "%y" }, { "%-5y|", "%-5y|" }, { "abc%", "abc%" },
		{ "%n", "%n" }, { "%lq", "%lq" },     { "x%.", "x%." },
	};
	bool ok = true;

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		ok &= expect(__LINE__, fmts[i][1],
			     snprintf(out, sizeof(out), fmts[i][0], 0));
	return ok;
}

/* After snprintf(out, size, ...): out[0..size) holds a truncated @want. */
static bool truncated_ok(const char *want, size_t size)
{
	size_t len = libc_strlen(want);
	size_t kept = len < size ? len : size - 1;

	if (!size)
		return out[0] == GUARD;
	if (libc_strncmp(out, want, kept) || out[kept] != '\0')
		return false;
	for (size_t i = size; i < sizeof(out); i++) {
		if ((unsigned char)out[i] != GUARD)
			return false;
	}
	return true;
}

static bool test_truncation(void)
{
	const char *want = "value=-123456!";
	bool ok = true;

	for (size_t size = 0; size <= libc_strlen(want) + 2; size++) {
		libc_memset(out, GUARD, sizeof(out));
		CHECK(snprintf(out, size, "value=%d!", -123456) == 14,
		      "size %zu: return value", size);
		CHECK(truncated_ok(want, size), "size %zu: \"%.*s\"", size,
		      (int)size, out);
	}
	libc_memset(out, GUARD, sizeof(out));
	CHECK(snprintf(out, 3, "%10s", "x") == 10, "padding counts");
	CHECK(truncated_ok("         x", 3), "padding truncated");
	libc_memset(out, GUARD, sizeof(out));
	CHECK(snprintf(out, 4, "%#llx", ULLONG_MAX) == 18, "64-bit counts");
	CHECK(truncated_ok("0xffffffffffffffff", 4), "64-bit truncated");
	return ok;
}

static bool test_size_zero(void)
{
	bool ok = true;

	CHECK(snprintf(NULL, 0, "%d", 12345) == 5, "NULL buffer");
	CHECK(snprintf(NULL, 0, "%s", "") == 0, "NULL buffer, empty output");
	libc_memset(out, GUARD, sizeof(out));
	CHECK(snprintf(out, 0, "%s", "abc") == 3, "return value");
	CHECK(out[0] == GUARD, "size 0 wrote");
	CHECK(scnprintf(out, 0, "%s", "abc") == 0, "scnprintf size 0");
	CHECK(out[0] == GUARD, "scnprintf size 0 wrote");
	return ok;
}

static bool test_long_output(void)
{
	bool ok = true;

	CHECK(snprintf(out, sizeof(out), "%1000d", 7) == 1000, "return value");
	CHECK(libc_strlen(out) == sizeof(out) - 1, "filled");
	CHECK(out[sizeof(out) - 2] == ' ', "padding stored");
	CHECK(snprintf(out, sizeof(out), "%-1000d", 7) == 1000, "left");
	CHECK(out[0] == '7' && libc_strlen(out) == sizeof(out) - 1, "left");
	return ok;
}

static bool test_scnprintf(void)
{
	bool ok = true;

	CHECK(scnprintf(out, sizeof(out), "%d", 1234) == 4, "fits");
	CHECK(scnprintf(out, 5, "%d", 1234) == 4, "exact fit");
	CHECK(scnprintf(out, 4, "%d", 1234) == 3, "one short");
	CHECK(!libc_strcmp(out, "123"), "one short: %s", out);
	CHECK(scnprintf(out, 1, "%d", 1234) == 0, "size 1");
	CHECK(out[0] == '\0', "size 1 terminated");
	CHECK(scnprintf(out, sizeof(out), "%s", "") == 0, "empty");
	return ok;
}

static int call_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

static int call_vscnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

static bool test_v_and_sprintf(void)
{
	bool ok = true;

	CHECK(call_vsnprintf(out, 4, "%s|%d", "ab", 42) == 5, "vsnprintf");
	CHECK(!libc_strcmp(out, "ab|"), "vsnprintf: %s", out);
	CHECK(call_vscnprintf(out, 4, "%s|%d", "ab", 42) == 3, "vscnprintf");
	CHECK(!libc_strcmp(out, "ab|"), "vscnprintf: %s", out);
	CHECK(sprintf(out, "%s-%d-%llx", "a", -5, 1ull << 40) == 16, "sprintf");
	CHECK(!libc_strcmp(out, "a--5-10000000000"), "sprintf: %s", out);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The glibc oracle.                                                    */

/* The argument type of a generated call. */
enum arg_type {
	ARG_INT,
	ARG_LONG,
	ARG_LLONG,
	ARG_SIZE,
	ARG_PTRDIFF,
	ARG_CHAR,
	ARG_STRING,
};

/* One generated printf call: format, '*' arguments, and the value. */
struct call {
	char fmt[32];
	int nstars;
	int stars[2];
	enum arg_type type;
	long long value;
	const char *string;
};

#define CALL_STARS(fn, buf, size, c, arg)                                 \
	((c)->nstars == 0 ? fn(buf, size, (c)->fmt, arg) :                \
	 (c)->nstars == 1 ? fn(buf, size, (c)->fmt, (c)->stars[0], arg) : \
			    fn(buf, size, (c)->fmt, (c)->stars[0],        \
			       (c)->stars[1], arg))

/* Make call @c with @fn: our snprintf() or glibc's. */
static int run_call(int (*fn)(char *, size_t, const char *, ...), char *buf,
		    size_t size, const struct call *c)
{
	switch (c->type) {
	case ARG_INT:
	case ARG_CHAR:
		return CALL_STARS(fn, buf, size, c, (int)c->value);
	case ARG_LONG:
		return CALL_STARS(fn, buf, size, c, (long)c->value);
	case ARG_LLONG:
		return CALL_STARS(fn, buf, size, c, c->value);
	case ARG_SIZE:
		return CALL_STARS(fn, buf, size, c, (size_t)c->value);
	case ARG_PTRDIFF:
		return CALL_STARS(fn, buf, size, c, (ptrdiff_t)c->value);
	default:
		return CALL_STARS(fn, buf, size, c, c->string);
	}
}

static int ours_call(char *buf, size_t size, const struct call *c)
{
	return run_call(snprintf, buf, size, c);
}

static int libc_call(char *buf, size_t size, const struct call *c)
{
	return run_call(libc_snprintf, buf, size, c);
}

static int reports;

static void report(const struct call *c, size_t size, const char *got,
		   int got_ret, const char *want, int want_ret)
{
	if (++reports > MAX_REPORTS)
		return;
	printf("# fmt \"%s\" value %lld size %zu: got \"%s\" (%d), want \"%s\" (%d)\n",
	       c->fmt, c->value, size, got, got_ret, want, want_ret);
}

/* Our output in a buffer of @size against glibc's whole @want. */
static bool oracle_sized(const struct call *c, size_t size, const char *want,
			 int want_ret)
{
	int ret;

	libc_memset(out, GUARD, sizeof(out));
	ret = ours_call(out, size, c);
	if (ret == want_ret && truncated_ok(want, size))
		return true;
	report(c, size, size ? out : "", ret, want, want_ret);
	return false;
}

/* Compare one call whole and, when @truncate, in small buffers too. */
static bool oracle_check(const struct call *c, bool truncate)
{
	char want[OUT_SIZE];
	int want_ret = libc_call(want, sizeof(want), c);
	bool ok = oracle_sized(c, sizeof(out), want, want_ret);

	if (truncate && ok) {
		ok &= oracle_sized(c, 0, want, want_ret);
		ok &= oracle_sized(c, 1, want, want_ret);
		ok &= oracle_sized(c, want_ret / 2 + 1, want, want_ret);
		ok &= oracle_sized(c, want_ret, want, want_ret);
	}
	return ok;
}

static const char *const widths[] = { "", "1", "6", "23", "*" };
static const char *const precisions[] = {
	"", ".", ".0", ".1", ".4", ".21", ".*"
};
static const int star_widths[] = { 7, -9, 0, 25 };
static const int star_precisions[] = { -1, 0, 3, 22 };

/*
 * Build "%<flags><width><precision><length><conv>" into c->fmt, with
 * the '*' arguments chosen by @pick. @flags is a bit set over "-0+ #".
 */
static void build_format(struct call *c, unsigned int flags, size_t w, size_t p,
			 const char *length, char conv, unsigned int pick)
{
	char fl[6];
	int n = 0;

	for (int i = 0; i < 5; i++) {
		if (flags & (1u << i))
			fl[n++] = "-0+ #"[i];
	}
	fl[n] = '\0';
	c->nstars = 0;
	if (widths[w][0] == '*')
		c->stars[c->nstars++] = star_widths[pick % 4];
	if (precisions[p][0] && precisions[p][1] == '*')
		c->stars[c->nstars++] = star_precisions[(pick / 4) % 4];
	libc_snprintf(c->fmt, sizeof(c->fmt), "%%%s%s%s%s%c", fl, widths[w],
		      precisions[p], length, conv);
}

/* Flags whose meaning C defines for @conv: '#' only for o, x and X. */
static bool flags_defined(unsigned int flags, char conv)
{
	bool alt = flags & (1u << 4);

	return !alt || conv == 'o' || conv == 'x' || conv == 'X';
}

/* Every format of @length with every value in @values, as @type. */
static bool oracle_integers(const char *length, enum arg_type type,
			    const long long *values, size_t nvalues)
{
	static const char convs[] = "diuxXo";
	unsigned int pick = 0;
	struct call c = { .type = type };
	bool ok = true;

	for (unsigned int f = 0; f < 32; f++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (size_t p = 0;
			     p < sizeof(precisions) / sizeof(precisions[0]);
			     p++)
				for (const char *cv = convs; *cv; cv++) {
					if (!flags_defined(f, *cv))
						continue;
					for (size_t v = 0; v < nvalues; v++) {
						build_format(&c, f, w, p,
							     length, *cv,
							     pick++);
						c.value = values[v];
						ok &= oracle_check(
							&c, pick % 7 == 0);
					}
				}
	return ok;
}

static const long long int_values[] = {
	0,	    1,
	-1,	    7,
	8,	    9,
	10,	    -10,
	15,	    16,
	127,	    128,
	-128,	    -129,
	255,	    256,
	32767,	    32768,
	-32768,	    65535,
	65536,	    123456789,
	-123456789, INT_MAX,
	INT_MIN,    (long long)UINT_MAX,
};

static const long long wide_values[] = {
	0,
	1,
	-1,
	42,
	-42,
	INT_MAX,
	INT_MIN,
	(long long)UINT_MAX,
	1ll << 32,
	-(1ll << 32),
	(1ll << 32) + 1,
	999999999999999999ll,
	-1000000000000000000ll,
	LLONG_MAX,
	LLONG_MIN,
	LLONG_MIN + 1,
	(long long)0x8000000000000001ull,
	(long long)0xfedcba9876543210ull,
};

#define NVALUES(a) (sizeof(a) / sizeof((a)[0]))

static bool test_oracle_int(void)
{
	reports = 0;
	return oracle_integers("", ARG_INT, int_values, NVALUES(int_values));
}

static bool test_oracle_char_short(void)
{
	bool ok;

	reports = 0;
	ok = oracle_integers("hh", ARG_INT, int_values, NVALUES(int_values));
	ok &= oracle_integers("h", ARG_INT, int_values, NVALUES(int_values));
	return ok;
}

static bool test_oracle_long_long(void)
{
	bool ok;

	reports = 0;
	ok = oracle_integers("ll", ARG_LLONG, wide_values,
			     NVALUES(wide_values));
	ok &= oracle_integers("j", ARG_LLONG, wide_values,
			      NVALUES(wide_values));
	return ok;
}

static bool test_oracle_long_size_ptrdiff(void)
{
	bool ok;

	reports = 0;
	ok = oracle_integers("l", ARG_LONG, wide_values, NVALUES(wide_values));
	ok &= oracle_integers("z", ARG_SIZE, wide_values, NVALUES(wide_values));
	ok &= oracle_integers("t", ARG_PTRDIFF, wide_values,
			      NVALUES(wide_values));
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

/* Random 64-bit values of every magnitude: the 32-bit division steps. */
static bool test_oracle_random_64bit(void)
{
	static const char *const fmts[] = { "%llu",  "%lld",  "%llx",
					    "%#llo", "%#llX", "%+25lld" };
	struct call c = { .type = ARG_LLONG };
	bool ok = true;

	reports = 0;
	for (int i = 0; i < 30000; i++) {
		libc_snprintf(c.fmt, sizeof(c.fmt), "%s", fmts[i % 6]);
		c.value = (long long)(next_rand() >> (next_rand() % 64));
		ok &= oracle_check(&c, i % 5 == 0);
	}
	return ok;
}

static bool test_oracle_strings(void)
{
	static const char *const strings[] = { "", "a", "hello",
					       "a longer string, 29 bytes" };
	struct call c = { .type = ARG_STRING };
	unsigned int pick = 0;
	bool ok = true;

	reports = 0;
	for (unsigned int f = 0; f < 2; f++)
		for (size_t w = 0; w < NVALUES(widths); w++)
			for (size_t p = 0; p < NVALUES(precisions); p++)
				for (size_t s = 0; s < NVALUES(strings); s++) {
					build_format(&c, f, w, p, "", 's',
						     pick++);
					c.string = strings[s];
					ok &= oracle_check(&c, true);
				}
	return ok;
}

static bool test_oracle_chars(void)
{
	static const int chars[] = { 'a', ' ', '%', 0x7f, 0x80, 0xff, 'z' };
	struct call c = { .type = ARG_CHAR };
	unsigned int pick = 0;
	bool ok = true;

	reports = 0;
	for (unsigned int f = 0; f < 2; f++)
		for (size_t w = 0; w < NVALUES(widths); w++)
			for (size_t ch = 0; ch < NVALUES(chars); ch++) {
				build_format(&c, f, w, 0, "", 'c', pick++);
				c.value = chars[ch];
				ok &= oracle_check(&c, true);
			}
	return ok;
}

int main(void)
{
	ktap_plan(28);
	ktap_result(test_decimal(), "decimal");
	ktap_result(test_int_min(), "int_min");
	ktap_result(test_64bit(), "64bit");
	ktap_result(test_hex(), "hex");
	ktap_result(test_octal(), "octal");
	ktap_result(test_flags(), "flags");
	ktap_result(test_ignored_flags(), "ignored_flags");
	ktap_result(test_width_precision(), "width_precision");
	ktap_result(test_star(), "star");
	ktap_result(test_length_modifiers(), "length_modifiers");
	ktap_result(test_char(), "char");
	ktap_result(test_string(), "string");
	ktap_result(test_null_string(), "null_string");
	ktap_result(test_pointer(), "pointer");
	ktap_result(test_percent_and_text(), "percent_and_text");
	ktap_result(test_bad_conversions(), "bad_conversions");
	ktap_result(test_truncation(), "truncation");
	ktap_result(test_size_zero(), "size_zero");
	ktap_result(test_long_output(), "long_output");
	ktap_result(test_scnprintf(), "scnprintf");
	ktap_result(test_v_and_sprintf(), "v_and_sprintf");
	ktap_result(test_oracle_int(), "oracle_int");
	ktap_result(test_oracle_char_short(), "oracle_char_short");
	ktap_result(test_oracle_long_long(), "oracle_long_long");
	ktap_result(test_oracle_long_size_ptrdiff(),
		    "oracle_long_size_ptrdiff");
	ktap_result(test_oracle_random_64bit(), "oracle_random_64bit");
	ktap_result(test_oracle_strings(), "oracle_strings");
	ktap_result(test_oracle_chars(), "oracle_chars");
	return ktap_finish();
}
