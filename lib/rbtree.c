/*
 * Red-black trees (include/kestrel/rbtree.h).
 *
 * The algorithms are the textbook ones (Cormen et al., chapter 13),
 * written once for both directions: a node's children are rb_child[2],
 * and each fix-up case is coded for "the problem is on side dir" with
 * the mirror image obtained by swapping dir and !dir. A missing child
 * (NULL) counts as black.
 *
 * Invariants after every public call:
 *   1. the root is black;
 *   2. a red node has no red child;
 *   3. every path from a node to a NULL child crosses the same number
 *      of black nodes.
 * mm/mm_test.c checks them after random inserts and erases.
 */
#include <kestrel/rbtree.h>

static bool is_red(const struct rb_node *node)
{
	return node && node->rb_color == RB_RED;
}

/* Which child of its parent @node is. @node must have a parent. */
static enum rb_dir child_dir(const struct rb_node *node)
{
	return node == node->rb_parent->rb_left ? RB_LEFT : RB_RIGHT;
}

/* Make @new take @old's place under @parent (or at the root). */
static void change_child(struct rb_root *root, struct rb_node *parent,
			 struct rb_node *old, struct rb_node *new)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * Rotate towards @dir around @x: x's child on the other side, y, takes
 * x's place and x becomes y's child on side @dir. For dir = RB_LEFT:
 *
 *	    x                y
 *	   / \              / \
 *	  a   y     =>     x   c
 *	     / \          / \
 *	    b   c        a   b
 */
static void rotate(struct rb_root *root, struct rb_node *x, enum rb_dir dir)
{
	struct rb_node *y = x->rb_child[!dir];
	struct rb_node *b = y->rb_child[dir];

	x->rb_child[!dir] = b;
	if (b)
		b->rb_parent = x;
	y->rb_parent = x->rb_parent;
	change_child(root, x->rb_parent, x, y);
	y->rb_child[dir] = x;
	x->rb_parent = y;
}

/**
 * rb_insert_color - restore the red-black rules after an insertion
 * @node: the node rb_link_node() just added (red)
 * @root: its tree
 *
 * The only rule @node can break is "no red child of a red node". While
 * its parent is red: if the uncle is red too, recolour and move the
 * problem two levels up; otherwise one or two rotations end it.
 */
void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;
	enum rb_dir dir;

	while ((parent = node->rb_parent) && is_red(parent)) {
		gparent = parent->rb_parent; /* exists: the root is black */
		dir = child_dir(parent);
		uncle = gparent->rb_child[!dir];
		if (is_red(uncle)) {
			parent->rb_color = uncle->rb_color = RB_BLACK;
			gparent->rb_color = RB_RED;
			node = gparent;
			continue;
		}
		if (node == parent->rb_child[!dir]) {
			/* Inner grandchild: turn it into an outer one. */
			rotate(root, parent, dir);
			node = parent;
			parent = node->rb_parent;
		}
		parent->rb_color = RB_BLACK;
		gparent->rb_color = RB_RED;
		rotate(root, gparent, !dir);
	}
	root->rb_node->rb_color = RB_BLACK;
}

/*
 * A black node was removed above @node (possibly NULL), a child of
 * @parent: the paths through @node are one black short. Push the
 * shortage up, or borrow a node from the sibling's side by rotation.
 */
static void erase_fixup(struct rb_root *root, struct rb_node *node,
			struct rb_node *parent)
{
	struct rb_node *sib;
	enum rb_dir dir;

	while (node != root->rb_node && !is_red(node)) {
		dir = parent->rb_left == node ? RB_LEFT : RB_RIGHT;
		sib = parent->rb_child[!dir]; /* not NULL: it has black height */
		if (is_red(sib)) {
			sib->rb_color = RB_BLACK;
			parent->rb_color = RB_RED;
			rotate(root, parent, dir);
			sib = parent->rb_child[!dir];
		}
		if (!is_red(sib->rb_left) && !is_red(sib->rb_right)) {
			sib->rb_color = RB_RED;
			node = parent;
			parent = node->rb_parent;
			continue;
		}
		if (!is_red(sib->rb_child[!dir])) {
			sib->rb_child[dir]->rb_color = RB_BLACK;
			sib->rb_color = RB_RED;
			rotate(root, sib, !dir);
			sib = parent->rb_child[!dir];
		}
		sib->rb_color = parent->rb_color;
		parent->rb_color = RB_BLACK;
		sib->rb_child[!dir]->rb_color = RB_BLACK;
		rotate(root, parent, dir);
		node = root->rb_node;
	}
	if (node)
		node->rb_color = RB_BLACK;
}

/* Put @succ, @node's in-order successor, in @node's place. Returns the
 * parent of the position that lost a node; *@childp is its new child. */
static struct rb_node *replace_with_successor(struct rb_root *root,
					      struct rb_node *node,
					      struct rb_node *succ,
					      struct rb_node **childp)
{
	struct rb_node *parent = succ->rb_parent;
	struct rb_node *child = succ->rb_right;

	if (parent == node) {
		parent = succ; /* succ was node's right child */
	} else {
		if (child)
			child->rb_parent = parent;
		parent->rb_left = child;
		succ->rb_right = node->rb_right;
		node->rb_right->rb_parent = succ;
	}
	succ->rb_left = node->rb_left;
	node->rb_left->rb_parent = succ;
	succ->rb_parent = node->rb_parent;
	change_child(root, node->rb_parent, node, succ);
	*childp = child;
	return parent;
}

/**
 * rb_erase - remove @node from @root
 *
 * A node with two children is replaced by its successor (which has no
 * left child); the successor takes the node's colour, so the black
 * count changes only where the successor was taken from.
 */
void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *child, *parent;
	enum rb_color color;

	if (!node->rb_left || !node->rb_right) {
		child = node->rb_left ? node->rb_left : node->rb_right;
		parent = node->rb_parent;
		color = node->rb_color;
		if (child)
			child->rb_parent = parent;
		change_child(root, parent, node, child);
	} else {
		struct rb_node *succ = node->rb_right;

		while (succ->rb_left)
			succ = succ->rb_left;
		color = succ->rb_color;
		succ->rb_color = node->rb_color;
		parent = replace_with_successor(root, node, succ, &child);
	}
	if (color == RB_BLACK)
		erase_fixup(root, child, parent);
}

static struct rb_node *rb_extreme(const struct rb_root *root, enum rb_dir dir)
{
	struct rb_node *node = root->rb_node;

	if (node)
		while (node->rb_child[dir])
			node = node->rb_child[dir];
	return node;
}

struct rb_node *rb_first(const struct rb_root *root)
{
	return rb_extreme(root, RB_LEFT);
}

struct rb_node *rb_last(const struct rb_root *root)
{
	return rb_extreme(root, RB_RIGHT);
}

/* The in-order neighbour of @node on side @dir. */
static struct rb_node *rb_step(const struct rb_node *node, enum rb_dir dir)
{
	const struct rb_node *parent;

	if (node->rb_child[dir]) {
		node = node->rb_child[dir];
		while (node->rb_child[!dir])
			node = node->rb_child[!dir];
		return (struct rb_node *)node;
	}
	/* Climb while we are the @dir child: those ancestors come before. */
	while ((parent = node->rb_parent) && node == parent->rb_child[dir])
		node = parent;
	return (struct rb_node *)parent;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	return rb_step(node, RB_RIGHT);
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	return rb_step(node, RB_LEFT);
}
