/*
 * Radix trees: a sparse array of pointers indexed by unsigned long
 * (lib/radix-tree.c). The page cache keeps each file's pages in one,
 * indexed by page offset.
 *
 * Nodes have 64 slots; a tree of height h covers 64^h indices. Leaves
 * (height 1) hold the items, inner nodes hold nodes. The tree grows a
 * level on top when an index beyond its reach is inserted and shrinks
 * when the top node is left with only slot 0 used.
 *
 *	height 2:            root
 *	               /      |       \
 *	           leaf 0   leaf 1 ... leaf 63      (64 items each)
 *	index i: root->slots[i >> 6]->slots[i & 63]
 *
 * Tags: each slot carries RADIX_TREE_MAX_TAGS bits, and an inner slot's
 * bit is set when any item below it has that tag. A tagged lookup thus
 * skips whole untagged subtrees: the page cache finds its dirty pages
 * without walking the clean ones.
 *
 * Locking is the caller's. Insertion needs memory for up to one node per
 * level: call radix_tree_preload() (which may sleep) before taking the
 * lock, then insert under the lock, then radix_tree_preload_end().
 */
#ifndef _KESTREL_RADIX_TREE_H
#define _KESTREL_RADIX_TREE_H

#include <kestrel/gfp.h>
#include <kestrel/types.h>

#define RADIX_TREE_MAP_SHIFT 6
#define RADIX_TREE_MAP_SIZE (1UL << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAP_MASK (RADIX_TREE_MAP_SIZE - 1)
#define RADIX_TREE_MAX_TAGS 2
#define RADIX_TREE_TAG_LONGS (RADIX_TREE_MAP_SIZE / (8 * sizeof(long)))
/* Enough levels for every unsigned long index. */
#define RADIX_TREE_MAX_HEIGHT                                     \
	((8 * sizeof(unsigned long) + RADIX_TREE_MAP_SHIFT - 1) / \
	 RADIX_TREE_MAP_SHIFT)

struct radix_tree_node {
	unsigned int count; /* slots in use */
	void *slots[RADIX_TREE_MAP_SIZE];
	unsigned long tags[RADIX_TREE_MAX_TAGS][RADIX_TREE_TAG_LONGS];
};

struct radix_tree_root {
	unsigned int height; /* 0: empty */
	struct radix_tree_node *rnode;
};

#define RADIX_TREE_INIT \
	{               \
		0, NULL \
	}

static inline void INIT_RADIX_TREE(struct radix_tree_root *root)
{
	root->height = 0;
	root->rnode = NULL;
}

/*
 * Fill this CPU's reserve of nodes so that the next insertion cannot
 * fail for memory. Returns 0 with preemption disabled (end with
 * radix_tree_preload_end()), or -ENOMEM with preemption enabled.
 */
int radix_tree_preload(gfp_t gfp);
void radix_tree_preload_end(void);

/* Store @item (not NULL) at @index: 0, -EEXIST or -ENOMEM. */
int radix_tree_insert(struct radix_tree_root *root, unsigned long index,
		      void *item);
void *radix_tree_lookup(const struct radix_tree_root *root,
			unsigned long index);
/* Remove and return the item at @index (NULL if none); clears its tags. */
void *radix_tree_delete(struct radix_tree_root *root, unsigned long index);

/* Up to @max items at @first or beyond, in index order; returns how many. */
unsigned int radix_tree_gang_lookup(const struct radix_tree_root *root,
				    void **results, unsigned long first,
				    unsigned int max);
/* The same, only items with @tag. */
unsigned int radix_tree_gang_lookup_tag(const struct radix_tree_root *root,
					void **results, unsigned long first,
					unsigned int max, unsigned int tag);

/* Tag the item at @index (which must exist) / untag it. */
void radix_tree_tag_set(struct radix_tree_root *root, unsigned long index,
			unsigned int tag);
void radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index,
			  unsigned int tag);
bool radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index,
			unsigned int tag);
/* Does any item carry @tag? */
bool radix_tree_tagged(const struct radix_tree_root *root, unsigned int tag);

/* Create the node cache: boot, after kmem_cache_init(). */
void radix_tree_init(void);

#endif /* _KESTREL_RADIX_TREE_H */
