/*
 * ktest suite "resource": the resource tree operations on a private
 * root (so the real trees are not disturbed), then the real trees as
 * the boot code and drivers filled them.
 *
 * The private tree used by the cases:
 *
 *   root 0000-0fff
 *   +- a 0100-01ff      (request_resource)
 *   +- b 0400-04ff
 */
#include <kestrel/errno.h>
#include <kestrel/ioport.h>
#include <kestrel/ktest.h>
#include <kestrel/proc_fs.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#define TEST_ROOT_END 0xfff
#define SHOW_BUF_SIZE 4096

struct test_tree {
	struct resource root, a, b;
};

static void tree_init(struct test_tree *tr)
{
	*tr = (struct test_tree){
		.root = { .start = 0,
			  .end = TEST_ROOT_END,
			  .name = "root",
			  .flags = IORESOURCE_IO },
		.a = { .start = 0x100, .end = 0x1ff, .name = "a" },
		.b = { .start = 0x400, .end = 0x4ff, .name = "b" },
	};
}

static void test_request_conflicts(struct ktest *t)
{
	struct test_tree tr;
	struct resource c = { .start = 0x1f0, .end = 0x20f, .name = "c" };
	struct resource bad = { .start = 0x10, .end = 0x5, .name = "bad" };
	struct resource out = { .start = 0xff0, .end = 0x100f, .name = "o" };

	tree_init(&tr);
	KT_ASSERT_EQ(t, request_resource(&tr.root, &tr.b), 0);
	KT_ASSERT_EQ(t, request_resource(&tr.root, &tr.a), 0);
	/* Sorted by address whatever the order of requests. */
	KT_EXPECT_TRUE(t, tr.root.child == &tr.a);
	KT_EXPECT_TRUE(t, tr.a.sibling == &tr.b);
	KT_EXPECT_EQ(t, request_resource(&tr.root, &c), -EBUSY);
	KT_EXPECT_EQ(t, request_resource(&tr.root, &bad), -EINVAL);
	KT_EXPECT_EQ(t, request_resource(&tr.root, &out), -EINVAL);
	KT_EXPECT_NULL(t, c.parent);
	KT_EXPECT_EQ(t, release_resource(&tr.a), 0);
	KT_EXPECT_EQ(t, release_resource(&tr.a), -EINVAL);
	KT_EXPECT_EQ(t, request_resource(&tr.root, &c), 0);
	KT_EXPECT_TRUE(t, tr.root.child == &c && c.sibling == &tr.b);
}

/* insert_resource adopts what it covers; release gives it back. */
static void test_insert_nesting(struct ktest *t)
{
	struct test_tree tr;
	struct resource win = { .start = 0x000, .end = 0x3ff, .name = "w" };
	struct resource part = { .start = 0x180, .end = 0x47f, .name = "p" };

	tree_init(&tr);
	KT_ASSERT_EQ(t, request_resource(&tr.root, &tr.a), 0);
	KT_ASSERT_EQ(t, request_resource(&tr.root, &tr.b), 0);
	KT_EXPECT_EQ(t, insert_resource(&tr.root, &part), -EBUSY);
	KT_ASSERT_EQ(t, insert_resource(&tr.root, &win), 0);
	KT_EXPECT_TRUE(t, tr.root.child == &win && win.sibling == &tr.b);
	KT_EXPECT_TRUE(t, win.child == &tr.a && tr.a.parent == &win);
	KT_EXPECT_NULL(t, tr.a.sibling);
	KT_EXPECT_EQ(t, release_resource(&win), 0);
	KT_EXPECT_TRUE(t, tr.root.child == &tr.a && tr.a.sibling == &tr.b);
	KT_EXPECT_TRUE(t, tr.a.parent == &tr.root);
	/* An equal range goes above the node it equals. */
	win.start = tr.a.start;
	win.end = tr.a.end;
	KT_ASSERT_EQ(t, insert_resource(&tr.root, &win), 0);
	KT_EXPECT_TRUE(t, win.child == &tr.a && win.parent == &tr.root);
	KT_EXPECT_EQ(t, release_resource(&win), 0);
}

/* A driver's region nests in the window that decodes it. */
static void test_region_nests(struct ktest *t)
{
	struct test_tree tr;
	struct resource *r, *r2;

	tree_init(&tr);
	KT_ASSERT_EQ(t, request_resource(&tr.root, &tr.a), 0);
	r = __request_region(&tr.root, 0x110, 0x10, "drv");
	KT_ASSERT_NOT_NULL(t, r);
	KT_EXPECT_TRUE(t, r->parent == &tr.a);
	KT_EXPECT_TRUE(t, r->flags & IORESOURCE_BUSY);
	/* Inside a busy claim, or overlapping it: refused. */
	KT_EXPECT_NULL(t, __request_region(&tr.root, 0x114, 4, "x"));
	KT_EXPECT_NULL(t, __request_region(&tr.root, 0x108, 0x10, "x"));
	KT_EXPECT_NULL(t, __request_region(&tr.root, 0x1f0, 0x20, "x"));
	KT_EXPECT_NULL(t, __request_region(&tr.root, 0x0, 0, "x"));
	r2 = __request_region(&tr.root, 0x800, 8, "free");
	KT_ASSERT_NOT_NULL(t, r2);
	KT_EXPECT_TRUE(t, r2->parent == &tr.root);
	__release_region(&tr.root, 0x110, 0x10);
	KT_EXPECT_NULL(t, tr.a.child);
	r = __request_region(&tr.root, 0x114, 4, "again");
	KT_EXPECT_NOT_NULL(t, r);
	__release_region(&tr.root, 0x114, 4);
	__release_region(&tr.root, 0x800, 8);
	KT_EXPECT_NULL(t, tr.root.child->sibling);
}

/* Who reads the tree: /proc/iomem shows addresses to CAP_SYS_ADMIN only. */
enum tree_reader { AS_USER, AS_ADMIN };

/* The text of @root's tree as @reader sees it, into a kmalloc'd buffer. */
static char *show_tree(struct resource *root, enum tree_reader reader)
{
	struct seq_file m = { .size = SHOW_BUF_SIZE };

	m.buf = kzalloc(SHOW_BUF_SIZE, GFP_KERNEL);
	if (m.buf)
		resource_seq_show(&m, root, reader == AS_ADMIN);
	return m.buf;
}

static void test_proc_format(struct ktest *t)
{
	struct test_tree tr;
	struct resource *r;
	char *text;

	tree_init(&tr);
	KT_ASSERT_EQ(t, request_resource(&tr.root, &tr.a), 0);
	KT_ASSERT_EQ(t, request_resource(&tr.root, &tr.b), 0);
	r = __request_region(&tr.root, 0x100, 0x10, "drv");
	KT_ASSERT_NOT_NULL(t, r);
	text = show_tree(&tr.root, AS_ADMIN);
	KT_ASSERT_NOT_NULL(t, text);
	KT_EXPECT_EQ(t,
		     strcmp(text, "0100-01ff : a\n"
				  "  0100-010f : drv\n"
				  "0400-04ff : b\n"),
		     0);
	kfree(text);
	text = show_tree(&tr.root, AS_USER);
	KT_ASSERT_NOT_NULL(t, text);
	KT_EXPECT_EQ(t, strncmp(text, "0000-0000 : a\n  0000-0000 : drv\n", 32),
		     0);
	kfree(text);
	__release_region(&tr.root, 0x100, 0x10);
}

/* What boot registered: RAM holds the kernel; the PIT's ports. */
static void test_boot_tree(struct ktest *t)
{
	struct resource *p, *code = NULL;

	for (p = iomem_resource.child; p; p = p->sibling)
		if (p->child && !strcmp(p->child->name, "Kernel code"))
			code = p->child;
	KT_ASSERT_NOT_NULL(t, code);
	KT_EXPECT_EQ(t, strcmp(code->parent->name, "System RAM"), 0);
	KT_EXPECT_NULL(t, request_region(0x40, 4, "ktest"));
	KT_EXPECT_NULL(t, request_mem_region(code->start, 16, "ktest"));
}

static struct ktest_case resource_cases[] = {
	KTEST_CASE(test_request_conflicts), KTEST_CASE(test_insert_nesting),
	KTEST_CASE(test_region_nests),	    KTEST_CASE(test_proc_format),
	KTEST_CASE(test_boot_tree),	    {}
};
KTEST_SUITE(resource, resource_cases);
