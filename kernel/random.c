/*
 * Random numbers. A 32-byte pool absorbs events (interrupt times read
 * from the TSC, boot-time values) by a cheap mixing function; the
 * output generator is ChaCha20 (RFC 8439) keyed from the pool and a
 * counter. Every request rekeys from the pool, so what is mixed in
 * reaches the output at once.
 *
 * Each request first computes one block with the pool as key: its first
 * half becomes the new pool ("fast key erasure": the key that made the
 * output is gone before the output is used), and a request of up to 32
 * bytes (AT_RANDOM at every exec, glibc's getrandom() at start-up) takes
 * the second half and is done, as Linux's crng_make_state() does. Longer
 * requests run ChaCha20 with the old pool as key.
 *
 * Under emulation the TSC's low bits around interrupts are the main
 * source of unpredictability; that is good enough for AT_RANDOM and
 * getrandom() in a teaching kernel, but no entropy is estimated, so
 * GRND_RANDOM and GRND_NONBLOCK never block or fail.
 */
#include <asm/tsc.h>
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/random.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/time.h>
#include <kestrel/uaccess.h>
#include <uapi/random.h>

#define CHACHA_BLOCK 64
#define GETRANDOM_CHUNK 256

static DEFINE_SPINLOCK(random_lock); /* pool and counter */
static u32 pool[8];
static u32 counter;

static u32 rotl32(u32 v, int n)
{
	return (v << n) | (v >> (32 - n));
}

#define QUARTERROUND(a, b, c, d)       \
	do {                           \
		a += b;                \
		d = rotl32(d ^ a, 16); \
		c += d;                \
		b = rotl32(b ^ c, 12); \
		a += b;                \
		d = rotl32(d ^ a, 8);  \
		c += d;                \
		b = rotl32(b ^ c, 7);  \
	} while (0)

/* One ChaCha20 block of the key @key with block counter @ctr. */
static void chacha20_block(const u32 key[8], u32 ctr, u32 out[16])
{
	u32 x[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	int i;

	memcpy(&x[4], key, 32);
	x[12] = ctr;
	memcpy(out, x, sizeof(x));
	for (i = 0; i < 10; i++) {
		QUARTERROUND(x[0], x[4], x[8], x[12]);
		QUARTERROUND(x[1], x[5], x[9], x[13]);
		QUARTERROUND(x[2], x[6], x[10], x[14]);
		QUARTERROUND(x[3], x[7], x[11], x[15]);
		QUARTERROUND(x[0], x[5], x[10], x[15]);
		QUARTERROUND(x[1], x[6], x[11], x[12]);
		QUARTERROUND(x[2], x[7], x[8], x[13]);
		QUARTERROUND(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++)
		out[i] += x[i];
}

void add_random_event(u32 value)
{
	unsigned long flags;
	u32 t = (u32)rdtsc();

	spin_lock_irqsave(&random_lock, flags);
	pool[counter & 7] = rotl32(pool[counter & 7] ^ value, 7) + t;
	pool[(counter + 3) & 7] ^= rotl32(t, 13);
	counter++;
	spin_unlock_irqrestore(&random_lock, flags);
}

void get_random_bytes(void *buf, size_t len)
{
	u32 key[8], block[16];
	unsigned long flags;
	u8 *out = buf;
	size_t n;
	u32 ctr = 0;

	add_random_event((u32)ktime_get_ns());
	spin_lock_irqsave(&random_lock, flags);
	memcpy(key, pool, sizeof(key));
	/* Forward secrecy: the pool moves on before the output is used. */
	chacha20_block(key, 0xffffffffu - counter++, block);
	memcpy(pool, block, sizeof(pool));
	spin_unlock_irqrestore(&random_lock, flags);
	if (len <= sizeof(block) - sizeof(pool)) {
		/* Small: the block's second half, never part of a key. */
		memcpy(out, &block[8], len);
		len = 0;
	}
	while (len) {
		chacha20_block(key, ctr++, block);
		n = len < CHACHA_BLOCK ? len : CHACHA_BLOCK;
		memcpy(out, block, n);
		out += n;
		len -= n;
	}
	memset(key, 0, sizeof(key));
	memset(block, 0, sizeof(block));
}

u32 get_random_u32(void)
{
	u32 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

SYSCALL_DEFINE3(getrandom, char __user *, ubuf, size_t, len, unsigned int,
		flags)
{
	u8 chunk[GETRANDOM_CHUNK];
	size_t done = 0, n;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	if (len > 0x7fffffff)
		len = 0x7fffffff;
	if (!access_ok(ubuf, len))
		return -EFAULT;
	while (done < len) {
		n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		get_random_bytes(chunk, n);
		if (copy_to_user(ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
		if (signal_pending(current) && done < len)
			break;
	}
	memset(chunk, 0, sizeof(chunk));
	return (long)done;
}
