/*
 * kref: a reference count embedded in an object, with the release
 * function called when the last reference goes (Linux's kref).
 *
 * The object's creator holds the first reference (kref_init). Whoever
 * hands a pointer to someone who keeps it takes a reference for them
 * (kref_get); whoever is done with a pointer drops its reference
 * (kref_put), and the put that takes the count to zero calls @release,
 * which frees the object that embeds the kref (container_of). After its
 * own put a caller must not touch the object again.
 *
 * The count is an atomic_t (<kestrel/atomic.h>), so gets and puts need
 * no lock; a put is fully ordered, so the release sees everything the
 * other holders did to the object. What a count cannot do by itself is
 * stop a lookup from finding an object whose count just reached zero: a
 * structure that lets others find the object (a list, a table) must be
 * protected by a lock that the release path also takes, or must remove
 * the object before the last put. Taking a reference on an object whose
 * count is zero is a bug: kref_get() warns (the object is being freed).
 */
#ifndef _KESTREL_KREF_H
#define _KESTREL_KREF_H

#include <kestrel/atomic.h>
#include <kestrel/bug.h>

struct kref {
	atomic_t refcount;
};

#define KREF_INIT(n)                        \
	{                                   \
		.refcount = ATOMIC_INIT(n), \
	}

/**
 * kref_init - set the count to one, the creator's reference
 * @kref: the kref, in an object no one else can see yet
 *
 * Context: any; does not sleep.
 */
static inline void kref_init(struct kref *kref)
{
	atomic_set(&kref->refcount, 1);
}

/* The current count; only a hint unless the caller holds a reference. */
static inline unsigned int kref_read(const struct kref *kref)
{
	return (unsigned int)atomic_read(&kref->refcount);
}

/**
 * kref_get - take one more reference
 * @kref: the kref; the caller must already hold a reference, or hold the
 *        lock that keeps the object alive
 *
 * Warns when the count was zero: the object is already being released.
 * Context: any; does not sleep.
 */
static inline void kref_get(struct kref *kref)
{
	WARN_ON(atomic_inc_return(&kref->refcount) < 2);
}

/**
 * kref_get_unless_zero - take a reference unless the object is dying
 * @kref: the kref, found through a lookup structure whose lock the
 *        caller holds (so the memory is still there)
 *
 * Return: true with a reference taken, false when the count was already
 * zero (its release is running or about to; treat it as not found).
 * Context: any; does not sleep.
 */
static inline bool kref_get_unless_zero(struct kref *kref)
{
	return atomic_inc_not_zero(&kref->refcount);
}

/**
 * kref_put - drop a reference, releasing the object with the last one
 * @kref: the kref
 * @release: called with @kref when the count reaches zero; frees the
 *           containing object. Must not be NULL.
 *
 * Return: 1 when this put released the object, else 0.
 * Context: as @release allows; kref_put() itself does not sleep.
 */
static inline int kref_put(struct kref *kref,
			   void (*release)(struct kref *kref))
{
	if (atomic_dec_and_test(&kref->refcount)) {
		release(kref);
		return 1;
	}
	return 0;
}

#endif /* _KESTREL_KREF_H */
