/*
 * vsnprintf() and its wrappers: the kernel's printf engine.
 *
 * The format is walked once. Literal text is copied; each conversion is
 * parsed into a struct printf_spec (flags, width, precision, length,
 * conversion) and then printed by put_number(), put_string() or
 * put_char(). All output goes through a struct sink, which counts every
 * character but stores only those that fit, leaving room for the NUL:
 * this gives C99's return value (the length the whole output would have)
 * with no second pass.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %% with the flags "-0+ #", a
 * width and a precision (digits or '*'), and the lengths hh h l ll j z t.
 * %p prints "0x" and every hex digit of the pointer; a NULL %s prints
 * "(null)". %n is refused. A conversion that cannot be parsed is printed
 * as it stands, from its '%' on.
 *
 * The kernel links no libgcc, so 64-bit values are turned into digits by
 * do_div_small(), which divides in 32-bit steps.
 */
#include <kestrel/kstrtox.h>
#include <kestrel/string.h>
#include <kestrel/types.h>

/* The flags of a conversion specification. */
enum spec_flags {
	SPEC_LEFT = 1 << 0, /* '-': pad on the right */
	SPEC_PLUS = 1 << 1, /* '+': a sign even on positive numbers */
	SPEC_SPACE = 1 << 2, /* ' ': a space where '+' would go */
	SPEC_ALT = 1 << 3, /* '#': "0x" for hex, a leading 0 for octal */
	SPEC_ZERO = 1 << 4, /* '0': pad numbers with zeros */
	SPEC_SIGNED = 1 << 5, /* the argument is a signed integer */
	SPEC_UPPER = 1 << 6, /* upper-case hex digits and "0X" */
	SPEC_PTR = 1 << 7, /* %p: "0x" even for NULL */
};

/* The length modifier: which integer type the argument has. */
enum spec_length {
	LEN_INT,
	LEN_CHAR, /* hh */
	LEN_SHORT, /* h */
	LEN_LONG, /* l */
	LEN_LLONG, /* ll, j */
	LEN_SIZE, /* z */
	LEN_PTRDIFF, /* t */
};

struct printf_spec {
	unsigned int flags; /* enum spec_flags */
	enum spec_length length;
	unsigned int base; /* 8, 10 or 16 for numbers */
	int width; /* minimum field width; 0 if none */
	int precision; /* -1 if none */
};

/*
 * Widths and precisions are clamped here, so that a field's length
 * (sign + prefix + zeros + digits) can never overflow an int.
 */
#define FIELD_MAX 0xffffff
/* Digits of the largest 64-bit number in the smallest base, octal. */
#define NUMBER_DIGITS 22
/* The size sprintf() pretends its buffer has; the result is an int. */
#define SPRINTF_SIZE ((size_t)__INT_MAX__)

/* Where the output goes: @buf holds @size bytes, the NUL included. */
struct sink {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, stored or not */
};

static void sink_putc(struct sink *out, char c)
{
	if (out->len + 1 < out->size)
		out->buf[out->len] = c;
	out->len++;
}

static void sink_repeat(struct sink *out, char c, int n)
{
	for (; n > 0; n--)
		sink_putc(out, c);
}

static void sink_write(struct sink *out, const char *s, size_t n)
{
	for (; n; n--)
		sink_putc(out, *s++);
}

static void sink_finish(struct sink *out)
{
	if (!out->size)
		return;
	if (out->len < out->size)
		out->buf[out->len] = '\0';
	else
		out->buf[out->size - 1] = '\0';
}

/*
 * do_div_small - divide *@n by @base in place and return the remainder.
 * @base must be at most 0x10000.
 *
 * Long division in 32-bit steps, so that i386 needs no __udivdi3: the
 * high word first, then the low word 16 bits at a time. Each step
 * divides (remainder << 16 | next 16 bits), which stays below 2^32
 * because the remainder is below @base.
 */
static u32 do_div_small(u64 *n, u32 base)
{
	u32 hi = (u32)(*n >> 32), lo = (u32)*n;
	u32 q_hi, q_mid, q_lo, rem;

	if (!hi) {
		*n = lo / base;
		return lo % base;
	}
	q_hi = hi / base;
	rem = hi % base;
	q_mid = (rem << 16) | (lo >> 16);
	rem = q_mid % base;
	q_mid /= base;
	q_lo = (rem << 16) | (lo & 0xffff);
	rem = q_lo % base;
	q_lo /= base;
	*n = ((u64)q_hi << 32) + ((u64)q_mid << 16) + q_lo;
	return rem;
}

/* Write the digits of @num into @digits, least significant first. */
static int format_digits(char *digits, u64 num, const struct printf_spec *spec)
{
	const char *set = spec->flags & SPEC_UPPER ? "0123456789ABCDEF" :
						     "0123456789abcdef";
	int n = 0;

	do {
		digits[n++] = set[do_div_small(&num, spec->base)];
	} while (num);
	return n;
}

/* The sign character of a number, or 0; makes *@num its magnitude. */
static char number_sign(u64 *num, const struct printf_spec *spec)
{
	if (!(spec->flags & SPEC_SIGNED))
		return 0;
	if ((s64)*num < 0) {
		*num = 0 - *num;
		return '-';
	}
	if (spec->flags & SPEC_PLUS)
		return '+';
	if (spec->flags & SPEC_SPACE)
		return ' ';
	return 0;
}

static const char *number_prefix(u64 num, const struct printf_spec *spec)
{
	if (spec->base != 16)
		return "";
	if ((spec->flags & SPEC_PTR) || ((spec->flags & SPEC_ALT) && num))
		return spec->flags & SPEC_UPPER ? "0X" : "0x";
	return "";
}

/*
 * Print an integer. The field is, in order: padding spaces, sign,
 * prefix, zeros (from the precision, '#' for octal, or the '0' flag),
 * digits, and trailing spaces for '-'.
 */
static void put_number(struct sink *out, u64 num,
		       const struct printf_spec *spec)
{
	char digits[NUMBER_DIGITS];
	char sign = number_sign(&num, spec);
	const char *prefix = number_prefix(num, spec);
	int ndigits = 0, zeros = 0, pad;

	/* C: a zero printed with precision 0 has no digits at all. */
	if (num || spec->precision)
		ndigits = format_digits(digits, num, spec);
	if (spec->precision > ndigits)
		zeros = spec->precision - ndigits;
	/* "%#o" must begin with a 0, but adds none when there is one. */
	if (spec->base == 8 && (spec->flags & SPEC_ALT) && !zeros &&
	    (num || !ndigits))
		zeros = 1;
	pad = spec->width - (!!sign + (int)strlen(prefix) + zeros + ndigits);
	if ((spec->flags & SPEC_ZERO) && spec->precision < 0 && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(spec->flags & SPEC_LEFT))
		sink_repeat(out, ' ', pad);
	if (sign)
		sink_putc(out, sign);
	sink_write(out, prefix, strlen(prefix));
	sink_repeat(out, '0', zeros);
	while (ndigits)
		sink_putc(out, digits[--ndigits]);
	if (spec->flags & SPEC_LEFT)
		sink_repeat(out, ' ', pad);
}

/* Print @len bytes of @s in a field of spec->width, padded with spaces. */
static void put_field(struct sink *out, const char *s, size_t len,
		      const struct printf_spec *spec)
{
	int pad = len < (size_t)spec->width ? spec->width - (int)len : 0;

	if (!(spec->flags & SPEC_LEFT))
		sink_repeat(out, ' ', pad);
	sink_write(out, s, len);
	if (spec->flags & SPEC_LEFT)
		sink_repeat(out, ' ', pad);
}

static void put_string(struct sink *out, const char *s,
		       const struct printf_spec *spec)
{
	size_t max = spec->precision < 0 ? (size_t)-1 : (size_t)spec->precision;

	if (!s)
		s = "(null)";
	put_field(out, s, strnlen(s, max), spec);
}

static void put_char(struct sink *out, char c, const struct printf_spec *spec)
{
	put_field(out, &c, 1, spec);
}

/* Fetch an integer argument of the spec's length, widened to 64 bits. */
static u64 fetch_integer(const struct printf_spec *spec, va_list *ap)
{
	bool sign = spec->flags & SPEC_SIGNED;

	switch (spec->length) {
	case LEN_CHAR:
		if (sign)
			return (s64)(signed char)va_arg(*ap, int);
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		if (sign)
			return (s64)(short)va_arg(*ap, int);
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		if (sign)
			return (s64)va_arg(*ap, long);
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		if (sign)
			return (s64)va_arg(*ap, long long);
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
	case LEN_PTRDIFF:
		/* size_t and ptrdiff_t are each other's (un)signed twin. */
		if (sign)
			return (s64)va_arg(*ap, ptrdiff_t);
		return va_arg(*ap, size_t);
	default:
		if (sign)
			return (s64)va_arg(*ap, int);
		return va_arg(*ap, unsigned int);
	}
}

static const char *parse_flags(const char *fmt, unsigned int *flags)
{
	for (;; fmt++) {
		switch (*fmt) {
		case '-':
			*flags |= SPEC_LEFT;
			break;
		case '+':
			*flags |= SPEC_PLUS;
			break;
		case ' ':
			*flags |= SPEC_SPACE;
			break;
		case '#':
			*flags |= SPEC_ALT;
			break;
		case '0':
			*flags |= SPEC_ZERO;
			break;
		default:
			return fmt;
		}
	}
}

/* Parse a decimal field (width or precision), clamped to FIELD_MAX. */
static const char *parse_field(const char *fmt, int *value)
{
	int v = 0;

	for (; *fmt >= '0' && *fmt <= '9'; fmt++) {
		v = v * 10 + (*fmt - '0');
		if (v > FIELD_MAX)
			v = FIELD_MAX;
	}
	*value = v;
	return fmt;
}

/* A '*' field's argument, clamped to [-FIELD_MAX, FIELD_MAX]. */
static int fetch_field(va_list *ap)
{
	int v = va_arg(*ap, int);

	if (v > FIELD_MAX)
		return FIELD_MAX;
	if (v < -FIELD_MAX)
		return -FIELD_MAX;
	return v;
}

/* Width: digits, or '*' whose negative value means '-' and its size. */
static const char *parse_width(const char *fmt, struct printf_spec *spec,
			       va_list *ap)
{
	if (*fmt != '*')
		return parse_field(fmt, &spec->width);
	spec->width = fetch_field(ap);
	if (spec->width < 0) {
		spec->flags |= SPEC_LEFT;
		spec->width = -spec->width;
	}
	return fmt + 1;
}

/* Precision: '.', then digits (none means 0) or '*' (negative: none). */
static const char *parse_precision(const char *fmt, struct printf_spec *spec,
				   va_list *ap)
{
	spec->precision = -1;
	if (*fmt != '.')
		return fmt;
	fmt++;
	if (*fmt != '*')
		return parse_field(fmt, &spec->precision);
	spec->precision = fetch_field(ap);
	if (spec->precision < 0)
		spec->precision = -1;
	return fmt + 1;
}

static const char *parse_length(const char *fmt, enum spec_length *length)
{
	switch (*fmt) {
	case 'h':
		if (fmt[1] == 'h') {
			*length = LEN_CHAR;
			return fmt + 2;
		}
		*length = LEN_SHORT;
		return fmt + 1;
	case 'l':
		if (fmt[1] == 'l') {
			*length = LEN_LLONG;
			return fmt + 2;
		}
		*length = LEN_LONG;
		return fmt + 1;
	case 'j':
		*length = LEN_LLONG;
		return fmt + 1;
	case 'z':
		*length = LEN_SIZE;
		return fmt + 1;
	case 't':
		*length = LEN_PTRDIFF;
		return fmt + 1;
	default:
		*length = LEN_INT;
		return fmt;
	}
}

/*
 * Parse the specification after a '%' up to its conversion character,
 * consuming the '*' arguments. Returns a pointer to the conversion.
 */
static const char *parse_spec(const char *fmt, struct printf_spec *spec,
			      va_list *ap)
{
	spec->flags = 0;
	spec->base = 10;
	fmt = parse_flags(fmt, &spec->flags);
	fmt = parse_width(fmt, spec, ap);
	fmt = parse_precision(fmt, spec, ap);
	fmt = parse_length(fmt, &spec->length);
	if (spec->flags & SPEC_LEFT)
		spec->flags &= ~SPEC_ZERO;
	return fmt;
}

static void put_pointer(struct sink *out, const void *p,
			struct printf_spec *spec)
{
	spec->flags = (spec->flags & SPEC_LEFT) | SPEC_PTR;
	spec->base = 16;
	spec->precision = 2 * sizeof(void *);
	put_number(out, (uintptr_t)p, spec);
}

/*
 * Print one conversion of @spec, @conv being its conversion character.
 * Returns false for a conversion this printf does not know.
 */
static bool convert(struct sink *out, char conv, struct printf_spec *spec,
		    va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i':
		spec->flags |= SPEC_SIGNED;
		break;
	case 'u':
		break;
	case 'X':
		spec->flags |= SPEC_UPPER;
		/* fall through */
	case 'x':
		spec->base = 16;
		break;
	case 'o':
		spec->base = 8;
		break;
	case 'c':
		put_char(out, (char)va_arg(*ap, int), spec);
		return true;
	case 's':
		put_string(out, va_arg(*ap, const char *), spec);
		return true;
	case 'p':
		put_pointer(out, va_arg(*ap, const void *), spec);
		return true;
	case '%':
		sink_putc(out, '%');
		return true;
	default:
		return false;
	}
	put_number(out, fetch_integer(spec, ap), spec);
	return true;
}

/**
 * vsnprintf - format a string into a buffer
 * @buf: the buffer; may be NULL when @size is 0
 * @size: its size in bytes, the terminating NUL included
 * @fmt: the format (see the top of this file)
 * @args: the arguments
 *
 * Writes at most @size bytes and, if @size is not 0, always terminates
 * @buf. Writes nothing when @size is 0.
 *
 * Return: the length of the whole output, without the NUL, as if @buf
 * had been large enough (C99); a value >= @size means truncation.
 * Context: any; does not sleep.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct sink out = { .buf = buf, .size = size, .len = 0 };
	struct printf_spec spec;
	const char *conv;
	va_list ap;

	/* A va_list parameter may be an array: copy it to take its address. */
	va_copy(ap, args);
	while (*fmt) {
		if (*fmt != '%') {
			sink_putc(&out, *fmt++);
			continue;
		}
		conv = parse_spec(fmt + 1, &spec, &ap);
		if (convert(&out, *conv, &spec, &ap)) {
			fmt = conv + 1;
		} else {
			/* Print the bad spec as text, from its '%' on. */
			sink_putc(&out, '%');
			fmt++;
		}
	}
	va_end(ap);
	sink_finish(&out);
	return (int)out.len;
}

/**
 * snprintf - format a string into a buffer
 * @buf: the buffer; may be NULL when @size is 0
 * @size: its size in bytes, the terminating NUL included
 * @fmt: the format
 *
 * Return: as vsnprintf(). Context: any; does not sleep.
 */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

/**
 * vscnprintf - format a string into a buffer, counting what was stored
 * @buf: the buffer; may be NULL when @size is 0
 * @size: its size in bytes, the terminating NUL included
 * @fmt: the format
 * @args: the arguments
 *
 * Return: the number of characters stored in @buf, without the NUL:
 * at most @size - 1, and 0 when @size is 0. Context: any; does not sleep.
 */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = vsnprintf(buf, size, fmt, args);

	if ((size_t)n < size)
		return n;
	return size ? (int)(size - 1) : 0;
}

/**
 * scnprintf - format a string into a buffer, counting what was stored
 * @buf: the buffer; may be NULL when @size is 0
 * @size: its size in bytes, the terminating NUL included
 * @fmt: the format
 *
 * Return: as vscnprintf(). Context: any; does not sleep.
 */
int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

/**
 * sprintf - format a string into a buffer of unchecked size
 * @buf: the buffer, which the caller knows to be large enough
 * @fmt: the format
 *
 * Prefer snprintf() or scnprintf().
 *
 * Return: the number of characters written, without the NUL.
 * Context: any; does not sleep.
 */
int sprintf(char *buf, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, SPRINTF_SIZE, fmt, args);
	va_end(args);
	return n;
}
