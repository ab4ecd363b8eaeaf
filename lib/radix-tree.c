/*
 * Radix trees (<kestrel/radix-tree.h> draws one): a sparse array of
 * pointers, the page cache's index of each file's pages.
 *
 * A walk from the root to index i takes, at height h, slot
 * (i >> ((h - 1) * 6)) & 63. Each node counts its used slots, so that a
 * node emptied by a deletion is freed at once and the tree shrinks back.
 * Tag bits are kept per slot at every level: a slot's tag bit in an inner
 * node is the OR of the tag bits below it.
 *
 * Memory for insertions comes from a small per-CPU reserve filled by
 * radix_tree_preload() before the caller takes its spinlock (Kestrel
 * has one CPU: the reserve is a static array, guarded by disabling
 * preemption).
 */
#include <kestrel/bitops.h>
#include <kestrel/bug.h>
#include <kestrel/errno.h>
#include <kestrel/preempt.h>
#include <kestrel/radix-tree.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

static struct kmem_cache *node_cachep;

/* The reserve: enough nodes for one insertion into any tree. */
static struct {
	unsigned int nr;
	struct radix_tree_node *nodes[RADIX_TREE_MAX_HEIGHT + 1];
} preload;

static struct radix_tree_node *node_alloc(void)
{
	struct radix_tree_node *node = NULL;

	if (node_cachep)
		node = kmem_cache_alloc(node_cachep, GFP_ATOMIC);
	if (!node && preload.nr)
		node = preload.nodes[--preload.nr];
	if (node)
		memset(node, 0, sizeof(*node));
	return node;
}

static void node_free(struct radix_tree_node *node)
{
	kmem_cache_free(node_cachep, node);
}

int radix_tree_preload(gfp_t gfp)
{
	preempt_disable();
	while (preload.nr < ARRAY_SIZE(preload.nodes)) {
		struct radix_tree_node *node;

		preempt_enable();
		node = kmem_cache_alloc(node_cachep, gfp);
		if (!node)
			return -ENOMEM;
		preempt_disable();
		if (preload.nr < ARRAY_SIZE(preload.nodes))
			preload.nodes[preload.nr++] = node;
		else
			kmem_cache_free(node_cachep, node);
	}
	return 0;
}

void radix_tree_preload_end(void)
{
	preempt_enable();
}

/* Indices a tree of @height covers: [0, max_index(height)]. */
static unsigned long max_index(unsigned int height)
{
	unsigned int bits = height * RADIX_TREE_MAP_SHIFT;

	if (bits >= BITS_PER_LONG)
		return ~0UL;
	return (1UL << bits) - 1;
}

static unsigned int slot_of(unsigned long index, unsigned int height)
{
	return (index >> ((height - 1) * RADIX_TREE_MAP_SHIFT)) &
	       RADIX_TREE_MAP_MASK;
}

static bool tag_get(const struct radix_tree_node *node, unsigned int tag,
		    unsigned int slot)
{
	return test_bit(slot, node->tags[tag]);
}

static bool node_tagged(const struct radix_tree_node *node, unsigned int tag)
{
	unsigned int i;

	for (i = 0; i < RADIX_TREE_TAG_LONGS; i++)
		if (node->tags[tag][i])
			return true;
	return false;
}

/* Add levels on top until @index is in reach; tags follow slot 0. */
static int extend(struct radix_tree_root *root, unsigned long index)
{
	while (index > max_index(root->height) || !root->height) {
		if (root->rnode) {
			struct radix_tree_node *node = node_alloc();
			unsigned int tag;

			if (!node)
				return -ENOMEM;
			node->slots[0] = root->rnode;
			node->count = 1;
			for (tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
				if (node_tagged(root->rnode, tag))
					__set_bit(0, node->tags[tag]);
			root->rnode = node;
		}
		root->height++;
	}
	return 0;
}

int radix_tree_insert(struct radix_tree_root *root, unsigned long index,
		      void *item)
{
	struct radix_tree_node *node, **slot = &root->rnode;
	unsigned int h;
	int err;

	BUG_ON(!item);
	err = extend(root, index);
	if (err)
		return err;
	node = NULL;
	for (h = root->height; h > 0; h--) {
		if (!*slot) {
			*slot = node_alloc();
			if (!*slot)
				return -ENOMEM;
			if (node)
				node->count++;
		}
		node = *slot;
		slot = (struct radix_tree_node **)&node
			       ->slots[slot_of(index, h)];
	}
	if (*slot)
		return -EEXIST;
	*slot = item;
	node->count++;
	return 0;
}

void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *node = root->rnode;
	unsigned int h;

	if (!root->height || index > max_index(root->height))
		return NULL;
	for (h = root->height; node && h > 1; h--)
		node = node->slots[slot_of(index, h)];
	return node ? node->slots[slot_of(index, 1)] : NULL;
}

/*
 * The nodes on the path to @index, top first, in @path (height entries);
 * false if the path is incomplete.
 */
static bool walk_path(const struct radix_tree_root *root, unsigned long index,
		      struct radix_tree_node **path)
{
	struct radix_tree_node *node = root->rnode;
	unsigned int h, i = 0;

	if (!root->height || index > max_index(root->height))
		return false;
	for (h = root->height; h > 0; h--) {
		if (!node)
			return false;
		path[i++] = node;
		if (h > 1)
			node = node->slots[slot_of(index, h)];
	}
	return path[i - 1]->slots[slot_of(index, 1)] != NULL;
}

void radix_tree_tag_set(struct radix_tree_root *root, unsigned long index,
			unsigned int tag)
{
	struct radix_tree_node *path[RADIX_TREE_MAX_HEIGHT];
	unsigned int h, i;

	if (WARN_ON(!walk_path(root, index, path)))
		return;
	for (h = root->height, i = 0; h > 0; h--, i++)
		__set_bit(slot_of(index, h), path[i]->tags[tag]);
}

/* Clear @tag at @index from the leaf up, as long as a node is left with
 * no other slot tagged. */
void radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index,
			  unsigned int tag)
{
	struct radix_tree_node *path[RADIX_TREE_MAX_HEIGHT];
	unsigned int h;

	if (!walk_path(root, index, path))
		return;
	for (h = 1; h <= root->height; h++) {
		struct radix_tree_node *node = path[root->height - h];

		__clear_bit(slot_of(index, h), node->tags[tag]);
		if (node_tagged(node, tag))
			break;
	}
}

bool radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index,
			unsigned int tag)
{
	struct radix_tree_node *path[RADIX_TREE_MAX_HEIGHT];

	if (!walk_path(root, index, path))
		return false;
	return tag_get(path[root->height - 1], tag, slot_of(index, 1));
}

bool radix_tree_tagged(const struct radix_tree_root *root, unsigned int tag)
{
	return root->rnode && node_tagged(root->rnode, tag);
}

/* Drop top nodes that only use slot 0. */
static void shrink(struct radix_tree_root *root)
{
	while (root->height > 1 && root->rnode->count == 1 &&
	       root->rnode->slots[0]) {
		struct radix_tree_node *node = root->rnode;

		root->rnode = node->slots[0];
		root->height--;
		node_free(node);
	}
}

void *radix_tree_delete(struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *path[RADIX_TREE_MAX_HEIGHT];
	unsigned int h, tag;
	void *item;

	if (!walk_path(root, index, path))
		return NULL;
	item = path[root->height - 1]->slots[slot_of(index, 1)];
	for (tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
		radix_tree_tag_clear(root, index, tag);
	/* Empty the slot, then free each node that is left empty. */
	for (h = 1; h <= root->height; h++) {
		struct radix_tree_node *node = path[root->height - h];

		node->slots[slot_of(index, h)] = NULL;
		if (--node->count)
			break;
		node_free(node);
		if (h == root->height) {
			root->rnode = NULL;
			root->height = 0;
			return item;
		}
	}
	shrink(root);
	return item;
}

/*
 * Collect items of the subtree @node (height @h, first index @base) at
 * @first or beyond, into @results[*n..max); with @tag >= 0 only tagged
 * ones. Returns false when @results is full.
 */
static bool gang(const struct radix_tree_node *node, unsigned int h,
		 unsigned long base, unsigned long first, void **results,
		 unsigned int *n, unsigned int max, int tag)
{
	unsigned long span = h > 1 ? 1UL << ((h - 1) * RADIX_TREE_MAP_SHIFT) :
				     1;
	unsigned long i = first > base ? (first - base) / span : 0;

	for (; i < RADIX_TREE_MAP_SIZE; i++) {
		unsigned long start = base + i * span;

		if (!node->slots[i] || (tag >= 0 && !tag_get(node, tag, i)))
			continue;
		if (h == 1) {
			results[(*n)++] = node->slots[i];
			if (*n == max)
				return false;
		} else if (!gang(node->slots[i], h - 1, start, first, results,
				 n, max, tag)) {
			return false;
		}
	}
	return true;
}

unsigned int radix_tree_gang_lookup(const struct radix_tree_root *root,
				    void **results, unsigned long first,
				    unsigned int max)
{
	unsigned int n = 0;

	if (root->rnode && max && first <= max_index(root->height))
		gang(root->rnode, root->height, 0, first, results, &n, max, -1);
	return n;
}

unsigned int radix_tree_gang_lookup_tag(const struct radix_tree_root *root,
					void **results, unsigned long first,
					unsigned int max, unsigned int tag)
{
	unsigned int n = 0;

	if (root->rnode && max && first <= max_index(root->height))
		gang(root->rnode, root->height, 0, first, results, &n, max,
		     (int)tag);
	return n;
}

void radix_tree_init(void)
{
	node_cachep = kmem_cache_create(
		"radix_tree_node", sizeof(struct radix_tree_node), 0, 0, NULL);
	BUG_ON(!node_cachep);
}
