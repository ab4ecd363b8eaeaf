/*
 * ktest suite "kobject": reference counting, release order, paths,
 * renaming and kset membership of lib/kobject.c.
 *
 * Each test object is a struct tobj embedding a kobject, as a device
 * embeds one; its release counts calls in the struct's own counter and
 * in a global one, and records the order of releases, so a case can
 * check "released exactly once" and "child before parent":
 *
 *	  root (kset "kt-root")            released last
 *	   └── mid                         released second
 *	        └── leaf                   released first
 *
 * The leak case reads every slab cache's object count through
 * kmem_cache_for_each() (what /proc/slabinfo shows) before and after
 * 10,000 create/add/del/put cycles; they must be equal.
 */
#include <kestrel/errno.h>
#include <kestrel/kobject.h>
#include <kestrel/ktest.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#define LEAK_CYCLES 10000
#define MAX_ORDER_LOG 8

struct tobj {
	int id;
	int *released; /* counter outside the object, survives the free */
	struct kobject kobj;
};

/* Ids of released objects, in order. */
static int release_log[MAX_ORDER_LOG];
static int release_count;

static void tobj_release(struct kobject *kobj)
{
	struct tobj *t = container_of(kobj, struct tobj, kobj);

	(*t->released)++;
	if (release_count < MAX_ORDER_LOG)
		release_log[release_count] = t->id;
	release_count++;
	kfree(t);
}

static const struct kobj_type tobj_ktype = {
	.release = tobj_release,
};

static struct tobj *tobj_new(int id, int *released)
{
	struct tobj *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->id = id;
	t->released = released;
	kobject_init(&t->kobj, &tobj_ktype);
	return t;
}

static int suite_init(struct ktest *t)
{
	(void)t;
	release_count = 0;
	memset(release_log, 0, sizeof(release_log));
	return 0;
}

static void test_release_once(struct ktest *t)
{
	int released = 0;
	struct tobj *o = tobj_new(1, &released);

	KT_ASSERT_NOT_NULL(t, o);
	KT_ASSERT_EQ(t, kobject_add(&o->kobj, NULL, "kt-once"), 0);
	KT_EXPECT_EQ(t, kref_read(&o->kobj.kref), 1);
	KT_EXPECT_TRUE(t, kobject_get(&o->kobj) == &o->kobj);
	KT_EXPECT_EQ(t, kref_read(&o->kobj.kref), 2);
	kobject_put(&o->kobj);
	KT_EXPECT_EQ(t, released, 0);
	kobject_put(&o->kobj); /* last: deletes, then releases */
	KT_EXPECT_EQ(t, released, 1);
	KT_EXPECT_EQ(t, release_count, 1);
	kobject_put(NULL);
	KT_EXPECT_TRUE(t, kobject_get(NULL) == NULL);
}

/* The init-only object (never added) is released by its put too. */
static void test_release_unadded(struct ktest *t)
{
	int released = 0;
	struct tobj *o = tobj_new(1, &released);

	KT_ASSERT_NOT_NULL(t, o);
	kobject_put(&o->kobj);
	KT_EXPECT_EQ(t, released, 1);
}

static void test_parent_outlives_child(struct ktest *t)
{
	int rel_p = 0, rel_c = 0;
	struct tobj *p = tobj_new(1, &rel_p), *c = tobj_new(2, &rel_c);

	KT_ASSERT_TRUE(t, p && c);
	KT_ASSERT_EQ(t, kobject_add(&p->kobj, NULL, "kt-parent"), 0);
	KT_ASSERT_EQ(t, kobject_add(&c->kobj, &p->kobj, "kt-child"), 0);
	KT_EXPECT_EQ(t, kref_read(&p->kobj.kref), 2);
	kobject_get(&c->kobj); /* someone else keeps the child */
	kobject_put(&p->kobj); /* the parent's owner is done */
	KT_EXPECT_EQ(t, rel_p, 0);
	kobject_put(&c->kobj);
	KT_EXPECT_EQ(t, rel_p + rel_c, 0);
	kobject_put(&c->kobj); /* child goes, then the parent */
	KT_EXPECT_EQ(t, rel_c, 1);
	KT_EXPECT_EQ(t, rel_p, 1);
	KT_ASSERT_EQ(t, release_count, 2);
	KT_EXPECT_EQ(t, release_log[0], 2);
	KT_EXPECT_EQ(t, release_log[1], 1);
}

static void test_get_path(struct ktest *t)
{
	int rel = 0;
	struct kset *root = kset_create_and_add("kt-root", NULL, NULL);
	struct tobj *mid = tobj_new(2, &rel), *leaf = tobj_new(3, &rel);
	char *path;

	KT_ASSERT_TRUE(t, root && mid && leaf);
	mid->kobj.kset = root; /* no parent given: the kset is the parent */
	KT_ASSERT_EQ(t, kobject_add(&mid->kobj, NULL, "mid%d", 7), 0);
	KT_EXPECT_TRUE(t, mid->kobj.parent == &root->kobj);
	KT_ASSERT_EQ(t, kobject_add(&leaf->kobj, &mid->kobj, "a/b"), 0);
	KT_EXPECT_EQ(t, strcmp(kobject_name(&leaf->kobj), "a!b"), 0);

	path = kobject_get_path(&leaf->kobj, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, path);
	KT_EXPECT_EQ(t, strcmp(path, "/kt-root/mid7/a!b"), 0);
	kfree(path);
	path = kobject_get_path(&root->kobj, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, path);
	KT_EXPECT_EQ(t, strcmp(path, "/kt-root"), 0);
	kfree(path);

	kset_unregister(root); /* members keep it alive */
	kobject_put(&leaf->kobj);
	kobject_put(&mid->kobj);
	KT_EXPECT_EQ(t, rel, 2);
	KT_ASSERT_EQ(t, release_count, 2);
	KT_EXPECT_EQ(t, release_log[0], 3);
	KT_EXPECT_EQ(t, release_log[1], 2);
}

static void test_rename(struct ktest *t)
{
	int rel = 0;
	struct tobj *p = tobj_new(1, &rel), *c = tobj_new(2, &rel);
	char *path;

	KT_ASSERT_TRUE(t, p && c);
	KT_ASSERT_EQ(t, kobject_add(&p->kobj, NULL, "kt-p"), 0);
	KT_ASSERT_EQ(t, kobject_add(&c->kobj, &p->kobj, "old"), 0);
	KT_EXPECT_EQ(t, kobject_rename(&c->kobj, "new/name"), 0);
	KT_EXPECT_EQ(t, strcmp(kobject_name(&c->kobj), "new!name"), 0);
	path = kobject_get_path(&c->kobj, GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, path);
	KT_EXPECT_EQ(t, strcmp(path, "/kt-p/new!name"), 0);
	kfree(path);
	/* Linux refuses to rename a top-level object, and empty names. */
	KT_EXPECT_EQ(t, kobject_rename(&p->kobj, "x"), -EINVAL);
	KT_EXPECT_EQ(t, kobject_rename(&c->kobj, ""), -EINVAL);
	KT_EXPECT_EQ(t, kobject_rename(&c->kobj, NULL), -EINVAL);
	KT_EXPECT_EQ(t, kobject_rename(NULL, "x"), -EINVAL);
	KT_EXPECT_EQ(t, strcmp(kobject_name(&c->kobj), "new!name"), 0);
	kobject_put(&c->kobj);
	kobject_put(&p->kobj);
	KT_EXPECT_EQ(t, rel, 2);
}

static void test_kset_find(struct ktest *t)
{
	int rel = 0;
	struct kset *set = kset_create_and_add("kt-set", NULL, NULL);
	struct tobj *a = tobj_new(1, &rel), *b = tobj_new(2, &rel);
	struct kobject *found;

	KT_ASSERT_TRUE(t, set && a && b);
	a->kobj.kset = set;
	b->kobj.kset = set;
	KT_ASSERT_EQ(t, kobject_add(&a->kobj, NULL, "alpha"), 0);
	KT_ASSERT_EQ(t, kobject_add(&b->kobj, NULL, "beta"), 0);

	found = kset_find_obj(set, "beta");
	KT_EXPECT_TRUE(t, found == &b->kobj);
	KT_EXPECT_EQ(t, kref_read(&b->kobj.kref), 2); /* a reference */
	kobject_put(found);
	KT_EXPECT_NULL(t, kset_find_obj(set, "gamma"));

	kobject_del(&a->kobj); /* leaves the kset */
	KT_EXPECT_NULL(t, kset_find_obj(set, "alpha"));
	KT_EXPECT_NULL(t, a->kobj.parent);
	KT_EXPECT_EQ(t, rel, 0);
	kobject_put(&a->kobj);
	KT_EXPECT_EQ(t, rel, 1);

	kobject_rename(&b->kobj, "beta2");
	KT_EXPECT_NULL(t, kset_find_obj(set, "beta"));
	found = kset_find_obj(set, "beta2");
	KT_EXPECT_TRUE(t, found == &b->kobj);
	kobject_put(found);
	kobject_put(&b->kobj); /* deleted by its last put */
	KT_EXPECT_EQ(t, rel, 2);
	KT_EXPECT_TRUE(t, list_empty(&set->list));
	kset_unregister(set);
}

static void test_del_then_put(struct ktest *t)
{
	int rel_p = 0, rel_c = 0;
	struct tobj *p = tobj_new(1, &rel_p), *c = tobj_new(2, &rel_c);

	KT_ASSERT_TRUE(t, p && c);
	KT_ASSERT_EQ(t, kobject_add(&p->kobj, NULL, "kt-p"), 0);
	KT_ASSERT_EQ(t, kobject_add(&c->kobj, &p->kobj, "kt-c"), 0);
	kobject_del(&c->kobj); /* the parent reference goes now */
	KT_EXPECT_EQ(t, kref_read(&p->kobj.kref), 1);
	kobject_del(&c->kobj); /* a second del does nothing */
	KT_EXPECT_EQ(t, kref_read(&p->kobj.kref), 1);
	kobject_put(&p->kobj); /* the parent may go first now */
	KT_EXPECT_EQ(t, rel_p, 1);
	KT_EXPECT_EQ(t, rel_c, 0);
	KT_EXPECT_EQ(t, strcmp(kobject_name(&c->kobj), "kt-c"), 0);
	kobject_put(&c->kobj);
	KT_EXPECT_EQ(t, rel_c, 1);
}

static void sum_active(const struct slabinfo *info, void *arg)
{
	*(unsigned long *)arg += info->active_objs;
}

static unsigned long slab_objects(void)
{
	unsigned long n = 0;

	kmem_cache_for_each(sum_active, &n);
	return n;
}

static void test_no_leak(struct ktest *t)
{
	int rel = 0, i, failed = 0;
	struct kset *set = kset_create_and_add("kt-leak", NULL, NULL);
	unsigned long before, after;
	struct tobj *o;

	KT_ASSERT_NOT_NULL(t, set);
	before = slab_objects();
	for (i = 0; i < LEAK_CYCLES; i++) {
		o = tobj_new(i, &rel);
		if (!o) {
			failed++;
			continue;
		}
		o->kobj.kset = set;
		if (kobject_add(&o->kobj, NULL, "obj-%d", i))
			failed++;
		kobject_del(&o->kobj);
		kobject_put(&o->kobj);
	}
	after = slab_objects();
	KT_EXPECT_EQ(t, failed, 0);
	KT_EXPECT_EQ(t, rel, LEAK_CYCLES);
	KT_EXPECT_EQ(t, after, before);
	KT_EXPECT_EQ(t, kref_read(&set->kobj.kref), 1);
	kset_unregister(set);
}

static void test_bad_input(struct ktest *t)
{
	int rel = 0;
	struct tobj *o = tobj_new(1, &rel), *n = tobj_new(2, &rel);
	struct kobject raw;

	KT_ASSERT_TRUE(t, o && n);
	KT_EXPECT_EQ(t, kobject_add(NULL, NULL, "x"), -EINVAL);
	KT_EXPECT_EQ(t, kobject_add(&n->kobj, NULL, NULL), -EINVAL);
	KT_EXPECT_EQ(t, kobject_add(&n->kobj, NULL, "%s", ""), -EINVAL);
	KT_EXPECT_FALSE(t, n->kobj.state_in_sysfs);
	kobject_put(&n->kobj); /* a failed add is still put */
	KT_EXPECT_EQ(t, rel, 1);

	KT_ASSERT_EQ(t, kobject_add(&o->kobj, NULL, "kt-twice"), 0);
	KT_EXPECT_EQ(t, kobject_add(&o->kobj, NULL, "kt-twice"), -EINVAL);
	KT_EXPECT_EQ(t, strcmp(kobject_name(&o->kobj), "kt-twice"), 0);
	kobject_put(&o->kobj);
	KT_EXPECT_EQ(t, rel, 2);

	memset(&raw, 0, sizeof(raw)); /* never initialised */
	KT_EXPECT_EQ(t, kobject_add(&raw, NULL, "raw"), -EINVAL);
	KT_EXPECT_NULL(t, kobject_get_path(NULL, GFP_KERNEL));
	KT_EXPECT_NULL(t, kset_find_obj(NULL, "x"));
	KT_EXPECT_NULL(t, kset_create_and_add(NULL, NULL, NULL));
}

static struct ktest_case kobject_cases[] = {
	KTEST_CASE(test_release_once),
	KTEST_CASE(test_release_unadded),
	KTEST_CASE(test_parent_outlives_child),
	KTEST_CASE(test_get_path),
	KTEST_CASE(test_rename),
	KTEST_CASE(test_kset_find),
	KTEST_CASE(test_del_then_put),
	KTEST_CASE(test_no_leak),
	KTEST_CASE(test_bad_input),
	{}
};
KTEST_SUITE_FULL(kobject, kobject_cases, suite_init, NULL);
