/*
 * The kernel's string and memory functions, with the C library's names
 * and contracts (include/kestrel/string.h). Portable C, no inline
 * assembly, so the same file is built for the host unit tests.
 *
 * memcpy(), memmove() and memset() are the hot ones: once the destination
 * is word aligned and the source shares that alignment they move four
 * machine words per step, and bytes only at the ragged ends. Word access
 * goes through word_t, which may alias any object, so the file is correct
 * with or without -fno-strict-aliasing.
 *
 * GCC may turn simple byte loops into calls to memcpy() and memset(); here
 * that would make memset() call itself, so this file is built with
 * -fno-tree-loop-distribute-patterns (lib/Kbuild.mk, tests/unit/lib.mk).
 */
#include <kestrel/string.h>
#include <kestrel/types.h>

/* A machine word that may alias any object. */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD_BYTES sizeof(word_t)
#define WORD_MASK (WORD_BYTES - 1)
/* Below this length the alignment prologue costs more than it saves. */
#define WORD_COPY_MIN (4 * WORD_BYTES)

static bool word_aligned(const void *p)
{
	return ((uintptr_t)p & WORD_MASK) == 0;
}

/* True when @a and @b become word aligned after the same number of bytes. */
static bool same_alignment(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & WORD_MASK) == 0;
}

/*
 * Copy @n bytes upwards, lowest address first. Safe for overlapping
 * buffers when @d is below @s: every word is read before the store that
 * could overwrite it.
 */
static void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (n >= WORD_COPY_MIN && same_alignment(d, s)) {
		for (; !word_aligned(d); n--)
			*d++ = *s++;
		for (; n >= 4 * WORD_BYTES; n -= 4 * WORD_BYTES) {
			word_t w0 = ((const word_t *)s)[0];
			word_t w1 = ((const word_t *)s)[1];
			word_t w2 = ((const word_t *)s)[2];
			word_t w3 = ((const word_t *)s)[3];

			((word_t *)d)[0] = w0;
			((word_t *)d)[1] = w1;
			((word_t *)d)[2] = w2;
			((word_t *)d)[3] = w3;
			d += 4 * WORD_BYTES;
			s += 4 * WORD_BYTES;
		}
		for (; n >= WORD_BYTES; n -= WORD_BYTES) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_BYTES;
			s += WORD_BYTES;
		}
	}
	while (n--)
		*d++ = *s++;
}

/*
 * Copy @n bytes downwards, highest address first; @d and @s point just
 * past the ends of the buffers. Safe for overlap when @d is above @s.
 */
static void copy_backward(u8 *d, const u8 *s, size_t n)
{
	if (n >= WORD_COPY_MIN && same_alignment(d, s)) {
		for (; !word_aligned(d); n--)
			*--d = *--s;
		for (; n >= 4 * WORD_BYTES; n -= 4 * WORD_BYTES) {
			word_t w3 = ((const word_t *)s)[-1];
			word_t w2 = ((const word_t *)s)[-2];
			word_t w1 = ((const word_t *)s)[-3];
			word_t w0 = ((const word_t *)s)[-4];

			((word_t *)d)[-1] = w3;
			((word_t *)d)[-2] = w2;
			((word_t *)d)[-3] = w1;
			((word_t *)d)[-4] = w0;
			d -= 4 * WORD_BYTES;
			s -= 4 * WORD_BYTES;
		}
		for (; n >= WORD_BYTES; n -= WORD_BYTES) {
			d -= WORD_BYTES;
			s -= WORD_BYTES;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
}

/**
 * memset - fill memory with a byte
 * @s: the memory to fill
 * @c: the byte value (converted to unsigned char)
 * @n: number of bytes
 *
 * Return: @s. Context: any; does not sleep.
 */
void *memset(void *s, int c, size_t n)
{
	u8 *p = s;

	if (n >= WORD_COPY_MIN) {
		/* ~0 / 0xff is 0x01 repeated in every byte of the word. */
		word_t w = (u8)c * (~(word_t)0 / 0xff);

		for (; !word_aligned(p); n--)
			*p++ = (u8)c;
		for (; n >= WORD_BYTES; n -= WORD_BYTES) {
			*(word_t *)p = w;
			p += WORD_BYTES;
		}
	}
	while (n--)
		*p++ = (u8)c;
	return s;
}

/**
 * memcpy - copy memory between buffers that do not overlap
 * @dst: destination
 * @src: source
 * @n: number of bytes
 *
 * Return: @dst. Context: any; does not sleep.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

/**
 * memmove - copy memory between buffers that may overlap
 * @dst: destination
 * @src: source
 * @n: number of bytes
 *
 * Copies upwards when @dst is below @src and downwards otherwise, so no
 * byte is overwritten before it has been read.
 *
 * Return: @dst. Context: any; does not sleep.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst <= (uintptr_t)src)
		copy_forward(dst, src, n);
	else
		copy_backward((u8 *)dst + n, (const u8 *)src + n, n);
	return dst;
}

/**
 * memcmp - compare two memory areas
 * @a: first area
 * @b: second area
 * @n: number of bytes
 *
 * Return: <0, 0 or >0 as the first differing byte (unsigned) of @a is
 * below, equal to or above that of @b.
 */
int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

/**
 * memchr - find a byte in memory
 * @s: the memory to search
 * @c: the byte (converted to unsigned char)
 * @n: number of bytes to search
 *
 * Return: a pointer to the first @c in @s, or NULL.
 */
void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++) {
		if (*p == (u8)c)
			return (void *)p;
	}
	return NULL;
}

/**
 * strlen - the length of a string
 * @s: the string
 *
 * Return: the number of bytes before the terminating NUL.
 */
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/**
 * strnlen - the length of a string, looking at most @max bytes
 * @s: the string
 * @max: the most bytes to examine
 *
 * Return: strlen(@s), or @max when no NUL is among the first @max bytes.
 */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/**
 * strcmp - compare two strings
 * @a: first string
 * @b: second string
 *
 * Return: <0, 0 or >0 as @a sorts before, equal to or after @b, bytes
 * compared as unsigned char.
 */
int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

/**
 * strncmp - compare at most @n bytes of two strings
 * @a: first string
 * @b: second string
 * @n: the most bytes to compare
 *
 * Return: as strcmp(), over the first @n bytes.
 */
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

/**
 * strchr - find the first occurrence of a character in a string
 * @s: the string
 * @c: the character (converted to char); '\0' finds the terminator
 *
 * Return: a pointer to it, or NULL.
 */
char *strchr(const char *s, int c)
{
	for (; *s != (char)c; s++) {
		if (!*s)
			return NULL;
	}
	return (char *)s;
}

/**
 * strrchr - find the last occurrence of a character in a string
 * @s: the string
 * @c: the character (converted to char); '\0' finds the terminator
 *
 * Return: a pointer to it, or NULL.
 */
char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

/**
 * strstr - find a substring
 * @haystack: the string to search
 * @needle: the string to find
 *
 * Return: a pointer to the first occurrence of @needle in @haystack,
 * @haystack itself when @needle is empty, or NULL.
 */
char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++) {
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	}
	return n ? NULL : (char *)haystack;
}

/**
 * strcpy - copy a string
 * @dst: destination, large enough for @src and its NUL
 * @src: source
 *
 * Return: @dst.
 */
char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/**
 * strncpy - copy a string into a fixed-size field
 * @dst: destination of exactly @n bytes
 * @src: source
 * @n: size of @dst
 *
 * Copies at most @n bytes and pads the rest of @dst with NULs; @dst is
 * not terminated when strlen(@src) >= @n. Prefer strlcpy().
 *
 * Return: @dst.
 */
char *strncpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	memcpy(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst;
}

/**
 * strlcpy - copy a string into a buffer, truncating
 * @dst: destination
 * @src: source
 * @size: size of @dst; when non-zero @dst is always NUL terminated
 *
 * Return: strlen(@src); a result >= @size means @dst was truncated.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/**
 * strlcat - append a string to a buffer, truncating
 * @dst: a NUL-terminated string in a buffer of @size bytes
 * @src: the string to append
 * @size: size of @dst
 *
 * Appends as much of @src as fits and keeps @dst terminated. If @dst has
 * no NUL within @size bytes it is left alone.
 *
 * Return: the length of the string it tried to create, min(strlen(@dst),
 * @size) + strlen(@src); a result >= @size means truncation.
 */
size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

/**
 * strsep - split a string at the first delimiter
 * @stringp: the string to split; advanced past the delimiter, or set to
 *	NULL when there is none
 * @delim: the delimiter characters
 *
 * The delimiter found is overwritten with a NUL.
 *
 * Return: the original *@stringp (the token), or NULL if it was NULL.
 */
char *strsep(char **stringp, const char *delim)
{
	char *token = *stringp;
	char *end;

	if (!token)
		return NULL;
	end = token + strcspn(token, delim);
	if (*end) {
		*end = '\0';
		*stringp = end + 1;
	} else {
		*stringp = NULL;
	}
	return token;
}

/**
 * strspn - the length of a prefix made of given characters
 * @s: the string
 * @accept: the characters allowed in the prefix
 *
 * Return: the number of leading bytes of @s that are in @accept.
 */
size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

/**
 * strcspn - the length of a prefix free of given characters
 * @s: the string
 * @reject: the characters that end the prefix
 *
 * Return: the number of leading bytes of @s that are not in @reject.
 */
size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}
