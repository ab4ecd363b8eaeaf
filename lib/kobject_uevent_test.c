/*
 * ktest suite "uevent": lib/kobject_uevent.c and its netlink transport,
 * checked from a kernel netlink socket bound to the uevent group:
 *
 *	kset "kt-uevent" (uevent_ops: filter, uevent adds KT_VAR=1)
 *	 ├── kt-child      events go out:  add@/kt-uevent/kt-child\0...
 *	 └── kt-hidden     the filter drops its events
 *
 * Each case reads what arrived with kernel_recvmsg(MSG_DONTWAIT) and
 * compares the bytes with what Linux sends for the same event.
 */
#include <kestrel/errno.h>
#include <kestrel/kobject.h>
#include <kestrel/kstrtox.h>
#include <kestrel/ktest.h>
#include <kestrel/net.h>
#include <kestrel/netlink.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#define EV_BUF 1024
#define FLOOD_EVENTS 64

struct tobj {
	struct kobject kobj;
};

static void tobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct tobj, kobj));
}

static const struct kobj_type tobj_ktype = {
	.release = tobj_release,
};

static int kt_filter(const struct kobject *kobj)
{
	return strcmp(kobject_name(kobj), "kt-hidden") != 0;
}

static int kt_uevent(const struct kobject *kobj, struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "KT_VAR=1");
}

static const struct kset_uevent_ops kt_uevent_ops = {
	.filter = kt_filter,
	.uevent = kt_uevent,
};

struct uevent_fixture {
	struct kset *kset;
	struct socket *sock;
	char buf[EV_BUF];
};

/* A member of the test kset named @name, added; NULL on failure. */
static struct kobject *tobj_add(struct kset *kset, const char *name)
{
	struct tobj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return NULL;
	kobject_init(&o->kobj, &tobj_ktype);
	o->kobj.kset = kset;
	if (kobject_add(&o->kobj, NULL, "%s", name)) {
		kobject_put(&o->kobj);
		return NULL;
	}
	return &o->kobj;
}

/* The next event on the listener: its length, or -errno (-EAGAIN). */
static int recv_event(struct uevent_fixture *f, struct sockaddr_nl *from)
{
	struct kvec vec = { .iov_base = f->buf, .iov_len = sizeof(f->buf) };
	struct msghdr msg = { .msg_name = from };

	memset(f->buf, 0, sizeof(f->buf));
	return kernel_recvmsg(f->sock, &msg, &vec, 1, sizeof(f->buf),
			      MSG_DONTWAIT);
}

static int suite_init(struct ktest *t)
{
	struct uevent_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_groups = 1 };

	if (!f)
		return -ENOMEM;
	f->kset = kset_create_and_add("kt-uevent", &kt_uevent_ops, NULL);
	if (!f->kset || sock_create_kern(AF_NETLINK, SOCK_RAW,
					 NETLINK_KOBJECT_UEVENT, &f->sock)) {
		kset_unregister(f->kset);
		kfree(f);
		return -ENOMEM;
	}
	kernel_bind(f->sock, (struct sockaddr *)&nl, sizeof(nl));
	ktest_set_priv(t, f);
	return 0;
}

static void suite_exit(struct ktest *t)
{
	struct uevent_fixture *f = ktest_priv(t);

	sock_release(f->sock);
	kset_unregister(f->kset);
	kfree(f);
}

/* The exact bytes of an "add": header, variables, each NUL-ended. */
static void test_wire_format(struct ktest *t)
{
	struct uevent_fixture *f = ktest_priv(t);
	struct sockaddr_nl from;
	struct kobject *kobj = tobj_add(f->kset, "kt-child");
	char want[EV_BUF];
	int len, wlen;

	KT_ASSERT_NOT_NULL(t, kobj);
	KT_EXPECT_EQ(t, recv_event(f, &from), -EAGAIN);
	KT_ASSERT_EQ(t, kobject_uevent(kobj, KOBJ_ADD), 0);
	len = recv_event(f, &from);
	wlen = snprintf(want, sizeof(want),
			"add@/kt-uevent/kt-child%cACTION=add%c"
			"DEVPATH=/kt-uevent/kt-child%cSUBSYSTEM=kt-uevent%c"
			"KT_VAR=1%cSEQNUM=%llu",
			0, 0, 0, 0, 0, (unsigned long long)uevent_seqnum) +
	       1;
	KT_EXPECT_EQ(t, len, wlen);
	KT_EXPECT_EQ(t, memcmp(f->buf, want, (size_t)wlen), 0);
	KT_EXPECT_EQ(t, from.nl_family, AF_NETLINK);
	KT_EXPECT_EQ(t, from.nl_pid, 0);
	KT_EXPECT_EQ(t, from.nl_groups, 1);
	KT_EXPECT_TRUE(t, kobj->state_add_uevent_sent);
	/* The last put of an announced object says "remove". */
	kobject_put(kobj);
	KT_ASSERT_GT(t, recv_event(f, &from), 0);
	KT_EXPECT_EQ(t, strcmp(f->buf, "remove@/kt-uevent/kt-child"), 0);
}

static void test_filter_and_suppress(struct ktest *t)
{
	struct uevent_fixture *f = ktest_priv(t);
	struct kobject *hidden = tobj_add(f->kset, "kt-hidden");
	struct kobject *quiet = tobj_add(f->kset, "kt-quiet");
	struct sockaddr_nl from;
	u64 before = uevent_seqnum;

	KT_ASSERT_NOT_NULL(t, hidden);
	KT_ASSERT_NOT_NULL(t, quiet);
	quiet->uevent_suppress = 1;
	KT_EXPECT_EQ(t, kobject_uevent(hidden, KOBJ_ADD), 0);
	KT_EXPECT_EQ(t, kobject_uevent(quiet, KOBJ_CHANGE), 0);
	KT_EXPECT_EQ(t, recv_event(f, &from), -EAGAIN);
	KT_EXPECT_EQ(t, uevent_seqnum, before);
	kobject_put(hidden);
	kobject_put(quiet);
}

/* The value of SEQNUM= in the event in @buf of @len bytes, or 0. */
static unsigned long long event_seqnum(const char *buf, int len)
{
	unsigned long long n = 0;
	int i;

	for (i = 0; i < len; i += (int)strlen(buf + i) + 1)
		if (!strncmp(buf + i, "SEQNUM=", 7) &&
		    !kstrtoull(buf + i + 7, 10, &n))
			return n;
	return 0;
}

static void test_seqnum_increases(struct ktest *t)
{
	struct uevent_fixture *f = ktest_priv(t);
	struct kobject *kobj = tobj_add(f->kset, "kt-seq");
	struct sockaddr_nl from;
	unsigned long long first;
	int len;

	KT_ASSERT_NOT_NULL(t, kobj);
	KT_EXPECT_EQ(t, kobject_uevent(kobj, KOBJ_CHANGE), 0);
	len = recv_event(f, &from);
	first = event_seqnum(f->buf, len);
	KT_EXPECT_GT(t, first, 0);
	KT_EXPECT_EQ(t, kobject_uevent(kobj, KOBJ_ONLINE), 0);
	len = recv_event(f, &from);
	KT_EXPECT_EQ(t, strcmp(f->buf, "online@/kt-uevent/kt-seq"), 0);
	KT_EXPECT_EQ(t, event_seqnum(f->buf, len), first + 1);
	KT_EXPECT_EQ(t, kobject_uevent(kobj, (enum kobject_action)99), -EINVAL);
	kobject_put(kobj); /* never sent "add": no "remove" */
	KT_EXPECT_EQ(t, recv_event(f, &from), -EAGAIN);
}

static void test_env_bounds(struct ktest *t)
{
	struct kobj_uevent_env *env = kzalloc(sizeof(*env), GFP_KERNEL);
	char big[UEVENT_BUFFER_SIZE + 1]; /* one byte too many with its NUL */
	int i;

	KT_ASSERT_NOT_NULL(t, env);
	for (i = 0; i < UEVENT_NUM_ENVP; i++)
		KT_EXPECT_EQ(t, add_uevent_var(env, "V%d=%d", i, i), 0);
	KT_EXPECT_EQ(t, add_uevent_var(env, "ONE=MORE"), -ENOMEM);
	KT_EXPECT_EQ(t, env->envp_idx, UEVENT_NUM_ENVP);
	KT_EXPECT_EQ(t, strcmp(env->envp[1], "V1=1"), 0);
	memset(env, 0, sizeof(*env));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	KT_EXPECT_EQ(t, add_uevent_var(env, "%s", big), -ENOMEM);
	KT_EXPECT_EQ(t, env->buflen, 0);
	KT_EXPECT_EQ(t, env->envp_idx, 0);
	kfree(env);
	KT_EXPECT_EQ(t, strcmp(kobject_action_name(KOBJ_UNBIND), "unbind"), 0);
	KT_EXPECT_NULL(t, kobject_action_name((enum kobject_action)8));
}

/* Does the event in @buf (@len bytes) carry the variable @var? */
static bool event_has(const char *buf, int len, const char *var)
{
	int i;

	for (i = 0; i < len; i += (int)strlen(buf + i) + 1)
		if (!strcmp(buf + i, var))
			return true;
	return false;
}

static void test_synth(struct ktest *t)
{
	static const char uuid[] = "12345678-abcd-ef01-2345-6789abcdef01";
	struct uevent_fixture *f = ktest_priv(t);
	struct kobject *kobj = tobj_add(f->kset, "kt-synth");
	struct sockaddr_nl from;
	char line[96];
	int len;

	KT_ASSERT_NOT_NULL(t, kobj);
	KT_EXPECT_EQ(t, kobject_synth_uevent(kobj, "bogus", 5), -EINVAL);
	KT_EXPECT_EQ(t, kobject_synth_uevent(kobj, "\n", 1), -EINVAL);
	KT_EXPECT_EQ(t, kobject_synth_uevent(kobj, "adds", 4), -EINVAL);
	KT_EXPECT_EQ(t, kobject_synth_uevent(kobj, "change 1234", 11), -EINVAL);
	KT_EXPECT_EQ(t, recv_event(f, &from), -EAGAIN);

	KT_EXPECT_EQ(t, kobject_synth_uevent(kobj, "change\n", 7), 0);
	len = recv_event(f, &from);
	KT_EXPECT_EQ(t, strcmp(f->buf, "change@/kt-uevent/kt-synth"), 0);
	KT_EXPECT_TRUE(t, event_has(f->buf, len, "SYNTH_UUID=0"));

	len = snprintf(line, sizeof(line), "add %s KEY=val1 B2=x\n", uuid);
	KT_EXPECT_EQ(t, kobject_synth_uevent(kobj, line, (size_t)len), 0);
	len = recv_event(f, &from);
	KT_EXPECT_TRUE(t, event_has(f->buf, len, "ACTION=add"));
	KT_EXPECT_TRUE(t, event_has(f->buf, len,
				    "SYNTH_UUID=12345678-abcd-ef01-2345-"
				    "6789abcdef01"));
	KT_EXPECT_TRUE(t, event_has(f->buf, len, "SYNTH_ARG_KEY=val1"));
	KT_EXPECT_TRUE(t, event_has(f->buf, len, "SYNTH_ARG_B2=x"));

	len = snprintf(line, sizeof(line), "add %s KEY=", uuid);
	KT_EXPECT_EQ(t, kobject_synth_uevent(kobj, line, (size_t)len), -EINVAL);
	len = snprintf(line, sizeof(line), "add %s K-Y=1", uuid);
	KT_EXPECT_EQ(t, kobject_synth_uevent(kobj, line, (size_t)len), -EINVAL);
	KT_EXPECT_EQ(t, recv_event(f, &from), -EAGAIN);
	kobject_put(kobj);
	KT_ASSERT_GT(t, recv_event(f, &from), 0); /* its "remove" */
	KT_EXPECT_EQ(t, strcmp(f->buf, "remove@/kt-uevent/kt-synth"), 0);
}

static void test_no_kset(struct ktest *t)
{
	struct tobj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	KT_ASSERT_NOT_NULL(t, o);
	kobject_init(&o->kobj, &tobj_ktype);
	KT_ASSERT_EQ(t, kobject_add(&o->kobj, NULL, "kt-lonely"), 0);
	KT_EXPECT_EQ(t, kobject_uevent(&o->kobj, KOBJ_ADD), -EINVAL);
	KT_EXPECT_EQ(t, kobject_uevent(NULL, KOBJ_ADD), -EINVAL);
	kobject_put(&o->kobj);
}

/* A listener that does not read loses events, is told once, recovers. */
static void test_overflow_enobufs(struct ktest *t)
{
	struct uevent_fixture *f = ktest_priv(t);
	struct kobject *kobj = tobj_add(f->kset, "kt-flood");
	struct sockaddr_nl from;
	int i, got = 0, len;

	KT_ASSERT_NOT_NULL(t, kobj);
	f->sock->sk->sk_rcvbuf = SOCK_MIN_RCVBUF;
	for (i = 0; i < FLOOD_EVENTS; i++)
		kobject_uevent(kobj, KOBJ_CHANGE);
	KT_EXPECT_EQ(t, recv_event(f, &from), -ENOBUFS);
	while ((len = recv_event(f, &from)) > 0)
		got++;
	KT_EXPECT_EQ(t, len, -EAGAIN);
	KT_EXPECT_GT(t, got, 0);
	KT_EXPECT_LT(t, got, FLOOD_EVENTS);
	/* Drained: the next event arrives again. */
	KT_EXPECT_EQ(t, kobject_uevent(kobj, KOBJ_CHANGE), 0);
	KT_EXPECT_GT(t, recv_event(f, &from), 0);
	f->sock->sk->sk_rcvbuf = SK_RMEM_DEFAULT;
	kobject_put(kobj);
}

static struct ktest_case uevent_cases[] = { KTEST_CASE(test_wire_format),
					    KTEST_CASE(
						    test_filter_and_suppress),
					    KTEST_CASE(test_seqnum_increases),
					    KTEST_CASE(test_env_bounds),
					    KTEST_CASE(test_synth),
					    KTEST_CASE(test_no_kset),
					    KTEST_CASE(test_overflow_enobufs),
					    {} };
KTEST_SUITE_FULL(uevent, uevent_cases, suite_init, suite_exit);
