/*
 * Red-black trees: balanced binary search trees embedded in their
 * objects, in the manner of Linux's lib/rbtree.c.
 *
 * The tree only keeps the shape balanced; the user does the search,
 * because only the user knows the key. To insert, walk down from the
 * root comparing keys, then link the node where the walk fell off the
 * tree and let rb_insert_color() rebalance:
 *
 *	struct rb_node **link = &root->rb_node, *parent = NULL;
 *
 *	while (*link) {
 *		parent = *link;
 *		if (key < rb_entry(parent, struct thing, node)->key)
 *			link = &parent->rb_left;
 *		else
 *			link = &parent->rb_right;
 *	}
 *	rb_link_node(&new->node, parent, link);
 *	rb_insert_color(&new->node, root);
 *
 * The rules (every path from a node down to a leaf has the same number
 * of black nodes; a red node has no red child) keep the longest path at
 * most twice the shortest, so search, insert and erase are O(log n).
 *
 * Locking: none; the tree's owner serialises every access.
 */
#ifndef _KESTREL_RBTREE_H
#define _KESTREL_RBTREE_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

enum rb_color { RB_RED, RB_BLACK };
enum rb_dir { RB_LEFT, RB_RIGHT };

struct rb_node {
	struct rb_node *rb_parent; /* NULL at the root */
	union {
		struct {
			struct rb_node *rb_left, *rb_right;
		};
		struct rb_node *rb_child[2]; /* indexed by enum rb_dir */
	};
	enum rb_color rb_color;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

static inline bool rb_empty(const struct rb_root *root)
{
	return root->rb_node == NULL;
}

/**
 * rb_link_node - put @node where a search fell off the tree
 * @node: the new node
 * @parent: the last node the search visited (NULL for an empty tree)
 * @link: the empty child pointer of @parent (or &root->rb_node)
 *
 * The tree is unbalanced until rb_insert_color() is called.
 */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->rb_parent = parent;
	node->rb_left = node->rb_right = NULL;
	node->rb_color = RB_RED;
	*link = node;
}

/* Rebalance @root after rb_link_node() added @node. */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
/* Remove @node from @root and rebalance. @node may then be reused. */
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order iteration: the smallest, largest, next and previous node,
 * or NULL. O(log n) each, O(1) amortised over a whole walk. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

#endif /* _KESTREL_RBTREE_H */
