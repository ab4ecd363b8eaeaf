/*
 * The page index of a tmpfs file: a radix tree of 64-slot nodes (see
 * internal.h). It grows in height when an index beyond its reach is
 * inserted, and shrinks back to empty when the file is truncated to 0.
 *
 *	height 2:            root
 *	               /      |       \
 *	           leaf 0   leaf 1 ... leaf 63      (64 pages each)
 *	index i: root->slots[i >> 6]->slots[i & 63]
 *
 * The caller holds the file's i_mutex: no locking here.
 */
#include <kestrel/errno.h>
#include <kestrel/gfp.h>
#include <kestrel/mm.h>
#include <kestrel/slab.h>

#include "internal.h"

/* Pages a tree of @height covers. */
static unsigned long capacity(unsigned int height)
{
	return height ? 1UL << (height * TMPFS_MAP_SHIFT) : 0;
}

static unsigned int slot_of(unsigned long index, unsigned int height)
{
	return (index >> ((height - 1) * TMPFS_MAP_SHIFT)) & TMPFS_MAP_MASK;
}

struct page *tmpfs_page_lookup(const struct tmpfs_pages *tree,
			       unsigned long index)
{
	struct tmpfs_node *node = tree->root;
	unsigned int h = tree->height;

	if (index >= capacity(h))
		return NULL;
	for (; node && h > 1; h--)
		node = node->slots[slot_of(index, h)];
	return node ? node->slots[index & TMPFS_MAP_MASK] : NULL;
}

/* Add levels on top until @index is in reach. */
static int grow(struct tmpfs_pages *tree, unsigned long index)
{
	while (index >= capacity(tree->height)) {
		if (tree->height == TMPFS_MAX_HEIGHT)
			return -EFBIG;
		if (tree->root) {
			struct tmpfs_node *node =
				kzalloc(sizeof(*node), GFP_KERNEL);

			if (!node)
				return -ENOMEM;
			node->slots[0] = tree->root;
			tree->root = node;
		}
		tree->height++;
	}
	return 0;
}

int tmpfs_page_insert(struct tmpfs_pages *tree, unsigned long index,
		      struct page *page)
{
	void **slot = (void **)&tree->root;
	unsigned int h;
	int err = grow(tree, index);

	if (err)
		return err;
	for (h = tree->height; h > 0; h--) {
		struct tmpfs_node *node = *slot;

		if (!node) {
			node = kzalloc(sizeof(*node), GFP_KERNEL);
			if (!node)
				return -ENOMEM;
			*slot = node;
		}
		slot = &node->slots[slot_of(index, h)];
	}
	*slot = page;
	return 0;
}

/*
 * Free what lies at @from or beyond in the subtree @node of height @h
 * whose first index is @base. *@empty tells whether anything is left.
 */
static unsigned long free_subtree(struct tmpfs_node *node, unsigned int h,
				  unsigned long base, unsigned long from,
				  bool *empty)
{
	unsigned long span = 1UL << ((h - 1) * TMPFS_MAP_SHIFT), freed = 0;
	bool left = false, child_empty;
	unsigned int i;

	for (i = 0; i < TMPFS_MAP_SIZE; i++) {
		unsigned long start = base + i * span;

		if (!node->slots[i])
			continue;
		if (start + span <= from) {
			left = true;
		} else if (h == 1) {
			__free_page(node->slots[i]);
			node->slots[i] = NULL;
			freed++;
		} else {
			freed += free_subtree(node->slots[i], h - 1, start,
					      from, &child_empty);
			if (!child_empty) {
				left = true;
				continue;
			}
			kfree(node->slots[i]);
			node->slots[i] = NULL;
		}
	}
	*empty = !left;
	return freed;
}

unsigned long tmpfs_pages_truncate(struct tmpfs_pages *tree, unsigned long from)
{
	unsigned long freed;
	bool empty;

	if (!tree->root)
		return 0;
	freed = free_subtree(tree->root, tree->height, 0, from, &empty);
	if (empty) {
		kfree(tree->root);
		tree->root = NULL;
		tree->height = 0;
	}
	return freed;
}
