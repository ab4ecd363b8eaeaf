/*
 * The resource trees: which ranges of I/O ports and physical memory are
 * claimed, by whom (Linux's kernel/resource.c; include/kestrel/ioport.h
 * draws the tree).
 *
 * Every node's children are a singly linked list through ->sibling,
 * sorted by start address, pairwise disjoint and each inside the node.
 * Three operations keep that true:
 *
 *   request_resource  - add a leaf beside its would-be siblings; any
 *                       overlap with one is a conflict;
 *   insert_resource   - descend to the deepest node containing the new
 *                       range, then add it there, adopting the children
 *                       it covers whole (partial overlap: conflict);
 *   __request_region  - descend like insert_resource, but only through
 *                       nodes that are not busy, and add a busy leaf:
 *                       a driver's claim inside the BAR or bus window
 *                       that decodes it.
 *
 * Locking: resource_lock (a spinlock; no interrupt handler looks at
 * the trees, so interrupts stay on, even across a /proc/iomem print)
 * protects every tree link of every node of both trees. Nothing sleeps under it: nodes are allocated before it is
 * taken and freed after it is dropped.
 */
#include <kestrel/cred.h>
#include <kestrel/errno.h>
#include <kestrel/ioport.h>
#include <kestrel/printk.h>
#include <kestrel/proc_fs.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>

struct resource ioport_resource = {
	.start = 0,
	.end = IO_SPACE_LIMIT,
	.name = "PCI IO",
	.flags = IORESOURCE_IO,
};

struct resource iomem_resource = {
	.start = 0,
	.end = IOMEM_SPACE_LIMIT,
	.name = "PCI mem",
	.flags = IORESOURCE_MEM,
};

static DEFINE_SPINLOCK(resource_lock); /* every tree link, both trees */

/* Hex digits /proc prints for an address of the tree under @root. */
#define RESOURCE_IO_WIDTH 4
#define RESOURCE_MEM_WIDTH 8
#define RESOURCE_INDENT 2 /* spaces per level of nesting in /proc */
#define RESOURCE_MAX_DEPTH 8 /* levels /proc prints, as Linux */

static bool resource_contains(const struct resource *outer,
			      const struct resource *inner)
{
	return inner->start >= outer->start && inner->end <= outer->end;
}

static bool resource_overlaps(const struct resource *a,
			      const struct resource *b)
{
	return a->start <= b->end && b->start <= a->end;
}

/*
 * Link @new among @root's children without adopting any. Returns the
 * child it overlaps, or NULL when linked. Caller holds resource_lock.
 */
static struct resource *__request_resource(struct resource *root,
					   struct resource *new)
{
	struct resource **p;

	lockdep_assert_held(&resource_lock);
	for (p = &root->child; *p; p = &(*p)->sibling) {
		if ((*p)->start > new->end)
			break;
		if (resource_overlaps(*p, new))
			return *p;
	}
	new->sibling = *p;
	new->child = NULL;
	new->parent = root;
	*p = new;
	return NULL;
}

/* A range a tree can hold: not inverted, inside @root. */
static bool resource_valid(const struct resource *root,
			   const struct resource *new)
{
	return new->start <= new->end &&resource_contains(root, new);
}

int request_resource(struct resource *root, struct resource *new)
{
	struct resource *conflict;

	if (!resource_valid(root, new))
		return -EINVAL;
	spin_lock(&resource_lock);
	conflict = __request_resource(root, new);
	spin_unlock(&resource_lock);
	return conflict ? -EBUSY : 0;
}

/* Who looks for a parent: insert_resource, or a driver's region claim. */
enum parent_for { PARENT_FOR_INSERT, PARENT_FOR_REGION };

/*
 * The deepest node under @root that contains [@new] and, for a region
 * (PARENT_FOR_REGION), is not busy (a driver's claim is a leaf; a busy
 * one gives NULL). Caller holds resource_lock. For insert_resource, a
 * node with exactly @new's range is not descended into: @new goes above
 * it (a bus window over the range a claim already covers); a driver's
 * claim goes inside its equal BAR.
 */
static struct resource *resource_find_parent(struct resource *root,
					     const struct resource *new,
					     enum parent_for who)
{
	struct resource *p;

	lockdep_assert_held(&resource_lock);
	for (;;) {
		for (p = root->child; p; p = p->sibling) {
			if (p->start > new->end)
				return root;
			if (!resource_contains(p, new))
				continue;
			if (who == PARENT_FOR_REGION &&
			    (p->flags & IORESOURCE_BUSY))
				return NULL;
			if (who == PARENT_FOR_INSERT &&
			    p->start == new->start && p->end == new->end)
				return root;
			break;
		}
		if (!p)
			return root;
		root = p;
	}
}

/*
 * Insert @new under @parent, taking as its children the run of
 * @parent's children it covers. Returns false on a partial overlap.
 * Caller holds resource_lock.
 */
static bool __insert_resource(struct resource *parent, struct resource *new)
{
	struct resource **first, **last, *p;

	lockdep_assert_held(&resource_lock);
	for (first = &parent->child; *first; first = &(*first)->sibling)
		if ((*first)->end >= new->start)
			break;
	for (last = first; *last && (*last)->start <= new->end;
	     last = &(*last)->sibling)
		if (!resource_contains(new, *last))
			return false;
	/* *first .. (the one before *last) move below @new. */
	new->parent = parent;
	new->child = *first == *last ? NULL : *first;
	new->sibling = *last;
	for (p = new->child; p &&p != new->sibling; p = p->sibling) {
		p->parent = new;
		if (p->sibling == new->sibling)
			p->sibling = NULL;
	}
	*first = new;
	return true;
}

int insert_resource(struct resource *root, struct resource *new)
{
	struct resource *parent;
	bool ok;

	if (!resource_valid(root, new))
		return -EINVAL;
	spin_lock(&resource_lock);
	parent = resource_find_parent(root, new, PARENT_FOR_INSERT);
	ok = __insert_resource(parent, new);
	spin_unlock(&resource_lock);
	return ok ? 0 : -EBUSY;
}

/*
 * Unlink @old, putting its children in its place in its parent's list.
 * Caller holds resource_lock. Returns -EINVAL if @old is not linked.
 */
static int __release_resource(struct resource *old)
{
	struct resource **p, *c;

	lockdep_assert_held(&resource_lock);
	if (!old->parent)
		return -EINVAL;
	for (p = &old->parent->child; *p && *p != old; p = &(*p)->sibling)
		;
	if (!*p)
		return -EINVAL;
	if (old->child) {
		for (c = old->child;; c = c->sibling) {
			c->parent = old->parent;
			if (!c->sibling)
				break;
		}
		c->sibling = old->sibling;
		*p = old->child;
	} else {
		*p = old->sibling;
	}
	old->parent = old->sibling = old->child = NULL;
	return 0;
}

int release_resource(struct resource *old)
{
	int err;

	spin_lock(&resource_lock);
	err = __release_resource(old);
	spin_unlock(&resource_lock);
	return err;
}

struct resource *__request_region(struct resource *parent,
				  resource_size_t start, resource_size_t n,
				  const char *name)
{
	struct resource *res, *where;

	if (!n)
		return NULL;
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return NULL;
	res->start = start;
	res->end = start + n - 1;
	res->name = name;
	res->flags = resource_type(parent) | IORESOURCE_BUSY;
	if (!resource_valid(parent, res))
		goto out_free;
	spin_lock(&resource_lock);
	where = resource_find_parent(parent, res, PARENT_FOR_REGION);
	if (where && !__request_resource(where, res)) {
		spin_unlock(&resource_lock);
		return res;
	}
	spin_unlock(&resource_lock);
out_free:
	kfree(res);
	return NULL;
}

/*
 * The busy node [@start, @start + @n) below @root, searched depth
 * first through the nodes that contain it. Caller holds resource_lock.
 */
static struct resource *resource_find_busy(struct resource *root,
					   resource_size_t start,
					   resource_size_t n)
{
	struct resource *p = root->child;
	resource_size_t end = start + n - 1;

	lockdep_assert_held(&resource_lock);
	while (p) {
		if (p->start == start && p->end == end &&
		    (p->flags & IORESOURCE_BUSY))
			return p;
		if (p->start <= start && p->end >= end)
			p = p->child; /* it must be inside this one */
		else
			p = p->sibling;
	}
	return NULL;
}

void __release_region(struct resource *parent, resource_size_t start,
		      resource_size_t n)
{
	struct resource *res;

	spin_lock(&resource_lock);
	res = n ? resource_find_busy(parent, start, n) : NULL;
	if (res)
		__release_resource(res);
	spin_unlock(&resource_lock);
	if (!res) {
		pr_warn("Trying to free nonexistent resource <%08llx-%08llx>\n",
			(unsigned long long)start,
			(unsigned long long)(start + n - 1));
		return;
	}
	kfree(res);
}

/* The node after @p in a depth-first walk of the tree under @root. */
static struct resource *resource_next(struct resource *p, struct resource *root,
				      int *depth)
{
	if (p->child && *depth < RESOURCE_MAX_DEPTH) {
		(*depth)++;
		return p->child;
	}
	while (!p->sibling && p->parent && p->parent != root) {
		p = p->parent;
		(*depth)--;
	}
	return p->sibling;
}

void resource_seq_show(struct seq_file *m, struct resource *root,
		       bool show_addrs)
{
	int width = root->end <= IO_SPACE_LIMIT ? RESOURCE_IO_WIDTH :
						  RESOURCE_MEM_WIDTH;
	struct resource *p;
	int depth = 0;

	spin_lock(&resource_lock);
	for (p = root->child; p; p = resource_next(p, root, &depth))
		seq_printf(m, "%*s%0*llx-%0*llx : %s\n",
			   depth * RESOURCE_INDENT, "", width,
			   show_addrs ? (unsigned long long)p->start : 0ULL,
			   width,
			   show_addrs ? (unsigned long long)p->end : 0ULL,
			   p->name ? p->name : "<BAD>");
	spin_unlock(&resource_lock);
}
