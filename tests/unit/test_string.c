/*
 * Host unit tests of lib/string.c. Each case checks one function at its
 * edges (zero lengths, every alignment, overlap in both directions,
 * truncation); the last ones compare with glibc on random inputs.
 *
 * glibc's functions are reached through the libc_*() wrappers, defined
 * before lib_rename.h: from that #include on, memcpy() and the other
 * names mean lib/string.c's (k_memcpy() and so on).
 */
#include <stdint.h>
#include <string.h>

#include "ktap.h"

static void *libc_memmove(void *d, const void *s, size_t n)
{
	return memmove(d, s, n);
}

static int libc_memcmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}

static void *libc_memchr(const void *s, int c, size_t n)
{
	return memchr(s, c, n);
}

static size_t libc_strlen(const char *s)
{
	return strlen(s);
}

static int libc_strcmp(const char *a, const char *b)
{
	return strcmp(a, b);
}

static int libc_strncmp(const char *a, const char *b, size_t n)
{
	return strncmp(a, b, n);
}

static char *libc_strchr(const char *s, int c)
{
	return strchr(s, c);
}

static char *libc_strrchr(const char *s, int c)
{
	return strrchr(s, c);
}

static char *libc_strstr(const char *h, const char *n)
{
	return strstr(h, n);
}

static size_t libc_strspn(const char *s, const char *a)
{
	return strspn(s, a);
}

static size_t libc_strcspn(const char *s, const char *r)
{
	return strcspn(s, r);
}

#include "lib_rename.h"
#include <kestrel/string.h>

#define CHECK(cond, ...) ktap_check(ok, cond, __VA_ARGS__)
#define GUARD 0x5a
#define BUF_SIZE 160

/* Fill @buf with a pattern that differs at every offset and with @seed. */
static void fill_pattern(unsigned char *buf, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* A deterministic xorshift, so failures reproduce. */
static uint32_t rand_state = 2463534242u;

static uint32_t next_rand(void)
{
	rand_state ^= rand_state << 13;
	rand_state ^= rand_state >> 17;
	rand_state ^= rand_state << 5;
	return rand_state;
}

/* A random string of length below @max over a small @alphabet. */
static void random_string(char *s, size_t max, const char *alphabet)
{
	size_t len = next_rand() % max;
	size_t na = libc_strlen(alphabet);

	for (size_t i = 0; i < len; i++)
		s[i] = alphabet[next_rand() % na];
	s[len] = '\0';
}

static bool test_memset_all_alignments(void)
{
	unsigned char buf[BUF_SIZE];
	bool ok = true;

	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len < 100; len++) {
			for (size_t i = 0; i < sizeof(buf); i++)
				buf[i] = GUARD;
			CHECK(memset(buf + off, 0x1ab, len) == buf + off,
			      "return value");
			for (size_t i = 0; i < sizeof(buf); i++) {
				bool in = i >= off && i < off + len;

				CHECK(buf[i] == (in ? 0xab : GUARD),
				      "off %zu len %zu byte %zu = %#x", off,
				      len, i, buf[i]);
			}
		}
	}
	return ok;
}

static bool test_memset_values(void)
{
	unsigned char buf[64];
	bool ok = true;
	int values[] = { 0, 1, 0x7f, 0x80, 0xff, -1, 0x100, 0x1234 };

	for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		memset(buf, values[v], sizeof(buf));
		for (size_t i = 0; i < sizeof(buf); i++)
			CHECK(buf[i] == (unsigned char)values[v],
			      "value %#x byte %zu = %#x", values[v], i, buf[i]);
	}
	return ok;
}

/* memcpy() for every source and destination alignment and many lengths. */
static bool test_memcpy_all_alignments(void)
{
	unsigned char src[BUF_SIZE], dst[BUF_SIZE];
	bool ok = true;

	fill_pattern(src, sizeof(src), 3);
	for (size_t so = 0; so < 8; so++) {
		for (size_t d_o = 0; d_o < 8; d_o++) {
			for (size_t len = 0; len < 140; len++) {
				memset(dst, GUARD, sizeof(dst));
				CHECK(memcpy(dst + d_o, src + so, len) ==
					      dst + d_o,
				      "return value");
				for (size_t i = 0; i < sizeof(dst); i++) {
					bool in = i >= d_o && i < d_o + len;
					unsigned char want =
						in ? src[so + i - d_o] : GUARD;

					CHECK(dst[i] == want,
					      "so %zu do %zu len %zu byte %zu",
					      so, d_o, len, i);
				}
			}
		}
	}
	return ok;
}

static bool test_memcpy_zero_length(void)
{
	unsigned char dst[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	unsigned char src[8] = { 0 };
	bool ok = true;

	CHECK(memcpy(dst, src, 0) == dst, "return value");
	for (int i = 0; i < 8; i++)
		CHECK(dst[i] == i + 1, "byte %d changed", i);
	return ok;
}

/*
 * memmove() between every pair of offsets in one buffer, against glibc:
 * covers no overlap, dst below src (forward copy) and dst above src
 * (backward copy), aligned and not.
 */
static bool memmove_matches(size_t d, size_t s, size_t len)
{
	unsigned char ours[BUF_SIZE], want[BUF_SIZE];
	bool ok = true;

	fill_pattern(ours, sizeof(ours), 5);
	fill_pattern(want, sizeof(want), 5);
	CHECK(memmove(ours + d, ours + s, len) == ours + d, "return value");
	libc_memmove(want + d, want + s, len);
	CHECK(!libc_memcmp(ours, want, sizeof(ours)), "d %zu s %zu len %zu", d,
	      s, len);
	return ok;
}

static bool test_memmove_forward_overlap(void)
{
	bool ok = true;

	for (size_t s = 1; s < 24; s++)
		for (size_t d = 0; d < s; d++)
			for (size_t len = 0; s + len <= BUF_SIZE; len += 3)
				ok &= memmove_matches(d, s, len);
	return ok;
}

static bool test_memmove_backward_overlap(void)
{
	bool ok = true;

	for (size_t d = 1; d < 24; d++)
		for (size_t s = 0; s < d; s++)
			for (size_t len = 0; d + len <= BUF_SIZE; len += 3)
				ok &= memmove_matches(d, s, len);
	return ok;
}

static bool test_memmove_same_and_zero(void)
{
	bool ok = true;

	ok &= memmove_matches(8, 8, 100);
	ok &= memmove_matches(3, 3, 77);
	ok &= memmove_matches(0, 50, 0);
	ok &= memmove_matches(50, 0, 0);
	ok &= memmove_matches(0, 80, 80);
	ok &= memmove_matches(80, 0, 80);
	return ok;
}

static bool test_memcmp(void)
{
	bool ok = true;

	CHECK(memcmp("abc", "abd", 3) < 0, "abc < abd");
	CHECK(memcmp("abd", "abc", 3) > 0, "abd > abc");
	CHECK(memcmp("abc", "abd", 2) == 0, "equal prefix");
	CHECK(memcmp("abc", "xyz", 0) == 0, "zero length");
	CHECK(memcmp("\x80", "\x01", 1) > 0, "bytes are unsigned");
	CHECK(memcmp("a\0b", "a\0c", 3) < 0, "NUL does not stop it");
	return ok;
}

static bool test_memchr(void)
{
	const char s[] = "hello\0world";
	bool ok = true;

	CHECK(memchr(s, 'l', sizeof(s)) == s + 2, "first l");
	CHECK(memchr(s, 'w', sizeof(s)) == s + 6, "past the NUL");
	CHECK(memchr(s, 'w', 6) == NULL, "beyond n");
	CHECK(memchr(s, 'z', sizeof(s)) == NULL, "absent");
	CHECK(memchr(s, 0, sizeof(s)) == s + 5, "NUL byte");
	CHECK(memchr(s, 0x100 + 'o', sizeof(s)) == s + 4, "c as a byte");
	CHECK(memchr(s, 'h', 0) == NULL, "zero length");
	return ok;
}

static bool test_strlen_strnlen(void)
{
	char big[300];
	bool ok = true;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(strlen("") == 0, "empty");
	CHECK(strlen("a") == 1, "one");
	CHECK(strlen("hello") == 5, "hello");
	CHECK(strlen(big) == sizeof(big) - 1, "long");
	CHECK(strnlen("hello", 0) == 0, "max 0");
	CHECK(strnlen("hello", 3) == 3, "max below length");
	CHECK(strnlen("hello", 5) == 5, "max equal");
	CHECK(strnlen("hello", 100) == 5, "max above");
	CHECK(strnlen("", 4) == 0, "empty");
	return ok;
}

static bool test_strcmp(void)
{
	bool ok = true;

	CHECK(strcmp("", "") == 0, "empty");
	CHECK(strcmp("abc", "abc") == 0, "equal");
	CHECK(strcmp("ab", "abc") < 0, "prefix sorts first");
	CHECK(strcmp("abc", "ab") > 0, "longer sorts after");
	CHECK(strcmp("abc", "abd") < 0, "last byte");
	CHECK(strcmp("\x80", "a") > 0, "bytes are unsigned");
	CHECK(strcmp("", "a") < 0, "empty first");
	return ok;
}

static bool test_strncmp(void)
{
	bool ok = true;

	CHECK(strncmp("abc", "xyz", 0) == 0, "n 0");
	CHECK(strncmp("abcX", "abcY", 3) == 0, "differs after n");
	CHECK(strncmp("abcX", "abcY", 4) < 0, "differs at n");
	CHECK(strncmp("ab", "ab", 100) == 0, "n past the NUL");
	CHECK(strncmp("ab", "abc", 3) < 0, "prefix");
	CHECK(strncmp("\xff", "\x01", 1) > 0, "bytes are unsigned");
	return ok;
}

static bool test_strchr_strrchr(void)
{
	const char *s = "abcabc";
	bool ok = true;

	CHECK(strchr(s, 'b') == s + 1, "first b");
	CHECK(strchr(s, 'z') == NULL, "absent");
	CHECK(strchr(s, '\0') == s + 6, "terminator");
	CHECK(strchr("", 'a') == NULL, "empty");
	CHECK(strchr(s, 0x100 + 'c') == s + 2, "c as a char");
	CHECK(strrchr(s, 'b') == s + 4, "last b");
	CHECK(strrchr(s, 'a') == s + 3, "last a");
	CHECK(strrchr(s, 'z') == NULL, "absent");
	CHECK(strrchr(s, '\0') == s + 6, "terminator");
	CHECK(strrchr("", 'a') == NULL, "empty");
	return ok;
}

static bool test_strstr(void)
{
	const char *h = "aaaab hello";
	bool ok = true;

	CHECK(strstr(h, "") == h, "empty needle");
	CHECK(strstr("", "") != NULL, "both empty");
	CHECK(strstr("", "a") == NULL, "empty haystack");
	CHECK(strstr(h, "aaab") == h + 1, "partial match retried");
	CHECK(strstr(h, "hello") == h + 6, "at the end");
	CHECK(strstr(h, "aaaa") == h, "at the start");
	CHECK(strstr(h, "hellos") == NULL, "needle runs past the end");
	CHECK(strstr(h, "xyz") == NULL, "absent");
	CHECK(strstr("ab", "abc") == NULL, "needle longer");
	return ok;
}

static bool test_strcpy(void)
{
	char buf[16];
	bool ok = true;

	memset(buf, GUARD, sizeof(buf));
	CHECK(strcpy(buf, "hello") == buf, "return value");
	CHECK(!libc_memcmp(buf, "hello", 6), "copied with NUL");
	CHECK(buf[6] == GUARD, "wrote past the NUL");
	CHECK(strcpy(buf, "")[0] == '\0', "empty");
	CHECK(buf[1] == 'e', "wrote past the empty string's NUL");
	return ok;
}

static bool test_strncpy(void)
{
	char buf[8];
	bool ok = true;

	memset(buf, GUARD, sizeof(buf));
	CHECK(strncpy(buf, "ab", 6) == buf, "return value");
	CHECK(!libc_memcmp(buf, "ab\0\0\0\0", 6), "padded with NULs");
	CHECK(buf[6] == GUARD, "wrote past n");
	memset(buf, GUARD, sizeof(buf));
	strncpy(buf, "abcdefgh", 4);
	CHECK(!libc_memcmp(buf, "abcd", 4), "truncated");
	CHECK(buf[4] == GUARD, "terminated although full");
	memset(buf, GUARD, sizeof(buf));
	strncpy(buf, "abc", 0);
	CHECK(buf[0] == GUARD, "n 0 wrote");
	return ok;
}

static bool test_strlcpy(void)
{
	char buf[8];
	bool ok = true;

	memset(buf, GUARD, sizeof(buf));
	CHECK(strlcpy(buf, "abc", sizeof(buf)) == 3, "fits: returns length");
	CHECK(!libc_strcmp(buf, "abc"), "fits: copied");
	CHECK(buf[4] == GUARD, "fits: wrote past the NUL");
	CHECK(strlcpy(buf, "abcdefghij", sizeof(buf)) == 10, "truncated");
	CHECK(!libc_strcmp(buf, "abcdefg"), "truncated: %s", buf);
	CHECK(strlcpy(buf, "abcdefg", 8) == 7, "exact fit");
	CHECK(!libc_strcmp(buf, "abcdefg"), "exact fit: %s", buf);
	memset(buf, GUARD, sizeof(buf));
	CHECK(strlcpy(buf, "abc", 1) == 3, "size 1");
	CHECK(buf[0] == '\0' && buf[1] == GUARD, "size 1 stores only a NUL");
	memset(buf, GUARD, sizeof(buf));
	CHECK(strlcpy(buf, "abc", 0) == 3, "size 0");
	CHECK(buf[0] == GUARD, "size 0 wrote");
	CHECK(strlcpy(buf, "", sizeof(buf)) == 0 && !buf[0], "empty");
	return ok;
}

static bool test_strlcat(void)
{
	char buf[8];
	bool ok = true;

	strlcpy(buf, "ab", sizeof(buf));
	CHECK(strlcat(buf, "cd", sizeof(buf)) == 4, "fits");
	CHECK(!libc_strcmp(buf, "abcd"), "fits: %s", buf);
	CHECK(strlcat(buf, "efghij", sizeof(buf)) == 10, "truncated");
	CHECK(!libc_strcmp(buf, "abcdefg"), "truncated: %s", buf);
	CHECK(strlcat(buf, "x", sizeof(buf)) == 8, "already full");
	CHECK(!libc_strcmp(buf, "abcdefg"), "full: %s", buf);
	CHECK(strlcat(buf, "xyz", 0) == 3, "size 0");
	CHECK(strlcat(buf, "xyz", 4) == 7, "dst longer than size");
	CHECK(!libc_strcmp(buf, "abcdefg"), "unterminated dst touched");
	strlcpy(buf, "", sizeof(buf));
	CHECK(strlcat(buf, "", sizeof(buf)) == 0 && !buf[0], "empty");
	return ok;
}

static bool test_strsep(void)
{
	char buf[] = "a,b;;c";
	char *s = buf, *none = NULL;
	bool ok = true;

	CHECK(!libc_strcmp(strsep(&s, ",;"), "a"), "first token");
	CHECK(s == buf + 2, "advanced");
	CHECK(!libc_strcmp(strsep(&s, ",;"), "b"), "second token");
	CHECK(!libc_strcmp(strsep(&s, ",;"), ""), "empty token");
	CHECK(!libc_strcmp(strsep(&s, ",;"), "c"), "last token");
	CHECK(s == NULL, "end");
	CHECK(strsep(&s, ",;") == NULL, "after the end");
	CHECK(strsep(&none, ",") == NULL, "NULL string");
	s = buf;
	libc_memmove(buf, "xyz", 4);
	CHECK(strsep(&s, "") == buf && s == NULL, "no delimiters");
	return ok;
}

static bool test_strspn_strcspn(void)
{
	bool ok = true;

	CHECK(strspn("aabbc", "ab") == 4, "prefix");
	CHECK(strspn("aabbc", "") == 0, "empty accept");
	CHECK(strspn("", "ab") == 0, "empty string");
	CHECK(strspn("abab", "ab") == 4, "whole string");
	CHECK(strcspn("hello, world", ", ") == 5, "prefix");
	CHECK(strcspn("hello", "") == 5, "empty reject");
	CHECK(strcspn("", "x") == 0, "empty string");
	CHECK(strcspn("xabc", "x") == 0, "first byte");
	return ok;
}

/* Every comparison and search function against glibc, random strings. */
static bool random_compare_one(const char *a, const char *b)
{
	size_t n = next_rand() % 12;
	int c = "abcd\0"[next_rand() % 5];
	bool ok = true;

	CHECK(sign(strcmp(a, b)) == sign(libc_strcmp(a, b)), "strcmp %s %s", a,
	      b);
	CHECK(sign(strncmp(a, b, n)) == sign(libc_strncmp(a, b, n)),
	      "strncmp %s %s %zu", a, b, n);
	CHECK(strlen(a) == libc_strlen(a), "strlen %s", a);
	CHECK(strchr(a, c) == libc_strchr(a, c), "strchr %s %d", a, c);
	CHECK(strrchr(a, c) == libc_strrchr(a, c), "strrchr %s %d", a, c);
	CHECK(strstr(a, b) == libc_strstr(a, b), "strstr %s %s", a, b);
	CHECK(strspn(a, b) == libc_strspn(a, b), "strspn %s %s", a, b);
	CHECK(strcspn(a, b) == libc_strcspn(a, b), "strcspn %s %s", a, b);
	n = n < strlen(a) + 1 ? n : strlen(a) + 1;
	CHECK(memchr(a, c, n) == libc_memchr(a, c, n), "memchr %s", a);
	return ok;
}

static bool test_random_against_libc(void)
{
	char a[16], b[8];
	bool ok = true;

	for (int i = 0; i < 20000; i++) {
		random_string(a, sizeof(a), "abcd");
		random_string(b, sizeof(b) - (i & 4), "abc\x80");
		ok &= random_compare_one(a, b);
	}
	return ok;
}

/* memcmp() against glibc: random bytes, lengths and alignments. */
static bool test_memcmp_random(void)
{
	unsigned char a[64], b[64];
	bool ok = true;

	for (int i = 0; i < 20000; i++) {
		size_t oa = next_rand() % 8, ob = next_rand() % 8;
		size_t len = next_rand() % (sizeof(a) - 8);

		for (size_t j = 0; j < sizeof(a); j++)
			a[j] = b[j] = (unsigned char)next_rand();
		/* Mostly equal areas, which differ late if at all. */
		libc_memmove(b + ob, a + oa, len);
		if (len && (i & 1))
			b[ob + next_rand() % len] ^= 1 << (next_rand() % 8);
		CHECK(sign(memcmp(a + oa, b + ob, len)) ==
			      sign(libc_memcmp(a + oa, b + ob, len)),
		      "oa %zu ob %zu len %zu", oa, ob, len);
	}
	return ok;
}

int main(void)
{
	ktap_plan(22);
	ktap_result(test_memset_all_alignments(), "memset_all_alignments");
	ktap_result(test_memset_values(), "memset_values");
	ktap_result(test_memcpy_all_alignments(), "memcpy_all_alignments");
	ktap_result(test_memcpy_zero_length(), "memcpy_zero_length");
	ktap_result(test_memmove_forward_overlap(), "memmove_forward_overlap");
	ktap_result(test_memmove_backward_overlap(),
		    "memmove_backward_overlap");
	ktap_result(test_memmove_same_and_zero(), "memmove_same_and_zero");
	ktap_result(test_memcmp(), "memcmp");
	ktap_result(test_memchr(), "memchr");
	ktap_result(test_strlen_strnlen(), "strlen_strnlen");
	ktap_result(test_strcmp(), "strcmp");
	ktap_result(test_strncmp(), "strncmp");
	ktap_result(test_strchr_strrchr(), "strchr_strrchr");
	ktap_result(test_strstr(), "strstr");
	ktap_result(test_strcpy(), "strcpy");
	ktap_result(test_strncpy(), "strncpy");
	ktap_result(test_strlcpy(), "strlcpy");
	ktap_result(test_strlcat(), "strlcat");
	ktap_result(test_strsep(), "strsep");
	ktap_result(test_strspn_strcspn(), "strspn_strcspn");
	ktap_result(test_random_against_libc(), "random_against_libc");
	ktap_result(test_memcmp_random(), "memcmp_random");
	return ktap_finish();
}
