/*
 * Numbers from strings: the kstrto*() family, which takes a whole string
 * and reports errors (Linux semantics), and memparse(), which takes a
 * prefix with a size suffix, for command line options like "mem=64M".
 *
 * One digit loop, parse_digits(), serves both. It accumulates in 64 bits
 * and detects overflow with 32x32->64-bit multiplications only, so i386
 * needs neither libgcc's 64-bit division nor a division at all. The
 * narrower functions parse 64 bits and then check that the value fits by
 * converting it and comparing.
 */
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>
#include <kestrel/types.h>

/* Bases above 16 are refused: only the digits a-f are understood. */
#define BASE_MAX 16

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The value of digit @c, or BASE_MAX when it is no digit at all. */
static unsigned int digit_value(char c)
{
	c = to_lower(c);
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return BASE_MAX;
}

/*
 * Resolve base 0 from the string's prefix ("0x" hex, "0" octal, else
 * decimal) and step over a "0x" prefix in base 16.
 */
static unsigned int fixup_base(const char **sp, unsigned int base)
{
	const char *s = *sp;

	if (!base) {
		if (s[0] != '0')
			base = 10;
		else if (to_lower(s[1]) == 'x' && digit_value(s[2]) < 16)
			base = 16;
		else
			base = 8;
	}
	if (base == 16 && s[0] == '0' && to_lower(s[1]) == 'x')
		*sp = s + 2;
	return base;
}

/* *@acc = *@acc * @base + @digit; false, and *@acc unchanged, on overflow. */
static bool mul_add(u64 *acc, u32 base, u32 digit)
{
	u64 lo = (u64)(u32)*acc * base + digit;
	u64 hi = (u64)(u32)(*acc >> 32) * base + (lo >> 32);

	if (hi >> 32)
		return false;
	*acc = hi << 32 | (u32)lo;
	return true;
}

/*
 * Parse the digits of @base at the start of @s into *@res. Digits past
 * an overflow are still consumed, and *@overflow is set.
 * Returns the number of digits.
 */
static size_t parse_digits(const char *s, unsigned int base, u64 *res,
			   bool *overflow)
{
	unsigned int d;
	size_t n = 0;

	*res = 0;
	*overflow = false;
	for (; (d = digit_value(s[n])) < base; n++) {
		if (!mul_add(res, base, d))
			*overflow = true;
	}
	return n;
}

/* kstrtoull() without the optional '+'. */
static int parse_whole(const char *s, unsigned int base,
		       unsigned long long *res)
{
	bool overflow;
	size_t n;
	u64 val;

	if (base == 1 || base > BASE_MAX)
		return -EINVAL;
	base = fixup_base(&s, base);
	n = parse_digits(s, base, &val, &overflow);
	if (overflow)
		return -ERANGE;
	if (!n)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = val;
	return 0;
}

/**
 * kstrtoull - parse an unsigned long long
 * @s: the string: an optional '+', digits, an optional '\n', and nothing
 *	else (no spaces)
 * @base: 2 to 16, or 0 for auto ("0x" hex, "0" octal, else decimal); in
 *	base 16 a "0x" prefix is allowed
 * @res: the result, untouched on error
 *
 * Return: 0, -EINVAL for a malformed string or base, -ERANGE on overflow.
 * Context: any; does not sleep.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return parse_whole(s, base, res);
}

/**
 * kstrtoll - parse a long long
 * @s: the string: as for kstrtoull(), with an optional '-' in place of
 *	the '+'
 * @base: as for kstrtoull()
 * @res: the result, untouched on error
 *
 * Return: 0, -EINVAL or -ERANGE. Context: any; does not sleep.
 */
int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long val;
	int rv;

	if (s[0] != '-') {
		rv = kstrtoull(s, base, &val);
		if (rv)
			return rv;
		if (val >> 63)
			return -ERANGE;
		*res = (long long)val;
		return 0;
	}
	rv = parse_whole(s + 1, base, &val);
	if (rv)
		return rv;
	if (val > 1ull << 63)
		return -ERANGE;
	/* -val, written so that LLONG_MIN is reached without overflow. */
	*res = val ? -(long long)(val - 1) - 1 : 0;
	return 0;
}

/**
 * kstrtoul - parse an unsigned long
 * @s: the string, as for kstrtoull()
 * @base: as for kstrtoull()
 * @res: the result, untouched on error
 *
 * Return: 0, -EINVAL or -ERANGE. Context: any; does not sleep.
 */
int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long val;
	int rv = kstrtoull(s, base, &val);

	if (rv)
		return rv;
	if (val != (unsigned long)val)
		return -ERANGE;
	*res = val;
	return 0;
}

/**
 * kstrtol - parse a long
 * @s: the string, as for kstrtoll()
 * @base: as for kstrtoull()
 * @res: the result, untouched on error
 *
 * Return: 0, -EINVAL or -ERANGE. Context: any; does not sleep.
 */
int kstrtol(const char *s, unsigned int base, long *res)
{
	long long val;
	int rv = kstrtoll(s, base, &val);

	if (rv)
		return rv;
	if (val != (long)val)
		return -ERANGE;
	*res = val;
	return 0;
}

/**
 * kstrtouint - parse an unsigned int
 * @s: the string, as for kstrtoull()
 * @base: as for kstrtoull()
 * @res: the result, untouched on error
 *
 * Return: 0, -EINVAL or -ERANGE. Context: any; does not sleep.
 */
int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long val;
	int rv = kstrtoull(s, base, &val);

	if (rv)
		return rv;
	if (val != (unsigned int)val)
		return -ERANGE;
	*res = val;
	return 0;
}

/**
 * kstrtoint - parse an int
 * @s: the string, as for kstrtoll()
 * @base: as for kstrtoull()
 * @res: the result, untouched on error
 *
 * Return: 0, -EINVAL or -ERANGE. Context: any; does not sleep.
 */
int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long val;
	int rv = kstrtoll(s, base, &val);

	if (rv)
		return rv;
	if (val != (int)val)
		return -ERANGE;
	*res = val;
	return 0;
}

/* The shift of a size suffix (K, M, G, either case), or 0 for none. */
static unsigned int suffix_shift(char c)
{
	switch (to_lower(c)) {
	case 'k':
		return 10;
	case 'm':
		return 20;
	case 'g':
		return 30;
	default:
		return 0;
	}
}

/**
 * memparse - parse a size with an optional K, M or G suffix
 * @s: the string: a number in base 0 (see kstrtoull()), then optionally
 *	one of K, M, G (or k, m, g) for 2^10, 2^20, 2^30
 * @retptr: when not NULL, receives the first character not parsed
 *
 * Parsing stops at the first character that does not belong; there is
 * no error report, so a string with no digits gives 0 with *@retptr = @s.
 * A value too large for 64 bits saturates at ULLONG_MAX.
 *
 * Return: the size in bytes. Context: any; does not sleep.
 */
unsigned long long memparse(const char *s, char **retptr)
{
	const char *p = s;
	unsigned int base = fixup_base(&p, 0);
	unsigned int shift;
	bool overflow;
	size_t n;
	u64 val;

	n = parse_digits(p, base, &val, &overflow);
	if (!n)
		p = s;
	else
		p += n;
	shift = n ? suffix_shift(*p) : 0;
	if (shift)
		p++;
	if (overflow || val > ~(u64)0 >> shift)
		val = ~(u64)0;
	else
		val <<= shift;
	if (retptr)
		*retptr = (char *)p;
	return val;
}
