/*
 * sk_buff: one message on its way through a socket (Linux's sk_buff,
 * cut down to what a datagram family needs).
 *
 * A buffer is one allocation: the header below and @len bytes of data
 * right after it. It carries who sent it (@creds, given to a receiver
 * that asked for SCM_CREDENTIALS) and a small control block @cb that
 * the family owning the queue interprets (netlink keeps the sender's
 * port and the destination group there: NETLINK_CB()).
 *
 * A receive queue (struct sk_buff_head) is a list with its own lock.
 * A buffer is on at most one queue. @users counts the holders: the queue
 * (or the allocator) has one; a reader that peeks takes another, so a
 * concurrent reader dequeuing and freeing it cannot pull the data from
 * under the peeker. kfree_skb() drops one; the last frees.
 *
 * @truesize is what the buffer costs its receiver: the data rounded up
 * plus SKB_OVERHEAD for the bookkeeping, charged against the socket's
 * receive budget (SO_RCVBUF) as Linux charges skb->truesize.
 */
#ifndef _KESTREL_SKBUFF_H
#define _KESTREL_SKBUFF_H

#include <kestrel/atomic.h>
#include <kestrel/cred.h>
#include <kestrel/gfp.h>
#include <kestrel/list.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>

/* Bytes of the family's control block in every buffer (Linux: 48). */
#define SKB_CB_SIZE 16

/* Bookkeeping a buffer is charged for beyond its data (Linux's
 * SKB_TRUESIZE adds struct sk_buff and skb_shared_info, ~500 bytes). */
#define SKB_OVERHEAD 512
#define SKB_DATA_ALIGN_BYTES 64
#define SKB_TRUESIZE(len)                                                     \
	((((len) + SKB_DATA_ALIGN_BYTES - 1) & ~(SKB_DATA_ALIGN_BYTES - 1)) + \
	 SKB_OVERHEAD)

/* Who sent a message: SCM_CREDENTIALS of the receiver's recvmsg. */
struct skb_creds {
	u32 pid; /* the sender's tgid; 0 for the kernel */
	kuid_t uid;
	kgid_t gid;
};

/*
 * Locking: the fields are written by the allocator before the buffer is
 * queued and are read-only after; ->list belongs to the queue's lock.
 */
struct sk_buff {
	struct list_head list; /* on an sk_buff_head (its ->lock) */
	atomic_t users; /* holders; the last kfree_skb() frees */
	unsigned int len; /* bytes of data */
	unsigned int truesize; /* charged to the receiver: SKB_TRUESIZE */
	struct skb_creds creds;
	long cb[SKB_CB_SIZE / sizeof(long)]; /* the family's */
	unsigned char data[];
};

/* A queue of buffers. */
struct sk_buff_head {
	spinlock_t lock; /* protects list and qlen */
	struct list_head list;
	unsigned int qlen;
};

/**
 * alloc_skb - a buffer with room for @size bytes of data
 * @size: bytes; ->len starts at @size and the data is zeroed
 * @gfp: allocation flags
 *
 * Returns the buffer with one user and the kernel's credentials (pid 0,
 * uid 0, gid 0), or NULL. May sleep with GFP_KERNEL.
 */
struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp);

/* A private copy of @skb (data, creds, cb) with one user, or NULL. */
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp);

/* Drop one user of @skb (NULL is allowed); the last frees it. Any
 * context. */
void kfree_skb(struct sk_buff *skb);

static inline struct sk_buff *skb_get(struct sk_buff *skb)
{
	atomic_inc(&skb->users);
	return skb;
}

void skb_queue_head_init(struct sk_buff_head *q);
/* Append @skb (the queue takes over the caller's user). Any context. */
void skb_queue_tail(struct sk_buff_head *q, struct sk_buff *skb);
/* Take the first buffer off @q (the caller owns its user), or NULL. */
struct sk_buff *skb_dequeue(struct sk_buff_head *q);
/* The first buffer of @q with a new user (kfree_skb it), or NULL. */
struct sk_buff *skb_peek_get(struct sk_buff_head *q);
/* Free every buffer on @q. */
void skb_queue_purge(struct sk_buff_head *q);

static inline unsigned int skb_queue_len(const struct sk_buff_head *q)
{
	return READ_ONCE(q->qlen);
}

static inline bool skb_queue_empty(const struct sk_buff_head *q)
{
	return skb_queue_len(q) == 0;
}

#endif /* _KESTREL_SKBUFF_H */
