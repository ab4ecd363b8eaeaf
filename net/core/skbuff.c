/*
 * Message buffers and their queues (include/kestrel/skbuff.h).
 *
 * A buffer is a single kmalloc: header and data. Queues are lists under
 * a spinlock taken with interrupts off, so a future driver may queue
 * from its interrupt handler while a reader dequeues.
 */
#include <kestrel/errno.h>
#include <kestrel/skbuff.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb;

	skb = kzalloc(sizeof(*skb) + size, gfp);
	if (!skb)
		return NULL;
	INIT_LIST_HEAD(&skb->list);
	atomic_set(&skb->users, 1);
	skb->len = size;
	skb->truesize = SKB_TRUESIZE(size);
	return skb;
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp)
{
	struct sk_buff *n = alloc_skb(skb->len, gfp);

	if (!n)
		return NULL;
	memcpy(n->data, skb->data, skb->len);
	n->creds = skb->creds;
	memcpy(n->cb, skb->cb, sizeof(n->cb));
	return n;
}

void kfree_skb(struct sk_buff *skb)
{
	if (skb && atomic_dec_and_test(&skb->users))
		kfree(skb);
}

void skb_queue_head_init(struct sk_buff_head *q)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->list);
	q->qlen = 0;
}

void skb_queue_tail(struct sk_buff_head *q, struct sk_buff *skb)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	list_add_tail(&skb->list, &q->list);
	q->qlen++;
	spin_unlock_irqrestore(&q->lock, flags);
}

struct sk_buff *skb_dequeue(struct sk_buff_head *q)
{
	struct sk_buff *skb = NULL;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (!list_empty(&q->list)) {
		skb = list_first_entry(&q->list, struct sk_buff, list);
		list_del_init(&skb->list);
		q->qlen--;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return skb;
}

struct sk_buff *skb_peek_get(struct sk_buff_head *q)
{
	struct sk_buff *skb = NULL;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (!list_empty(&q->list))
		skb = skb_get(list_first_entry(&q->list, struct sk_buff, list));
	spin_unlock_irqrestore(&q->lock, flags);
	return skb;
}

void skb_queue_purge(struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(q)) != NULL)
		kfree_skb(skb);
}
