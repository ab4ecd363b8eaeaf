/*
 * Telling user space about kobjects: uevents (Linux's
 * lib/kobject_uevent.c; docs/netlink.md).
 *
 * kobject_uevent_env(kobj, action, extra) builds the event's
 * environment and sends it two ways:
 *
 *	ACTION=add                      netlink, NETLINK_KOBJECT_UEVENT
 *	DEVPATH=/devices/virtual/mem/null  group 1, to every listener:
 *	SUBSYSTEM=mem                     "add@/devices/virtual/mem/null\0"
 *	<extra variables>                 + the variables, each with NUL
 *	<the kset's uevent() variables>
 *	SEQNUM=1234                     the uevent helper, if one is set:
 *	                                  HELPER SUBSYSTEM, with the
 *	                                  variables + HOME, PATH as environ
 *
 * The kset that speaks for an object is its own or its nearest
 * ancestor's; an object with neither sends nothing (-EINVAL, as
 * Linux). The kset's uevent_ops may filter the event out, name the
 * subsystem and add variables.
 *
 * Netlink is for the running system (udev, mdev -d, our uevent-listen);
 * the helper is the early-boot transport of the seed article, run for
 * each event with no daemon needed (busybox mdev).
 *
 * Locking: uevent_sock_mutex protects uevent_seqnum and uevent_helper[]
 * and is held from taking a SEQNUM until the event is handed to netlink
 * and to the helper, so listeners see SEQNUMs in increasing order.
 */
#include <kestrel/errno.h>
#include <kestrel/kobject.h>
#include <kestrel/kstrtox.h>
#include <kestrel/mutex.h>
#include <kestrel/netlink.h>
#include <kestrel/printk.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/sysfs.h>
#include <kestrel/umh.h>

/* A UUID as text: 8-4-4-4-12 hex digits (kobject_synth_uevent). */
#define UUID_STRING_LEN 36

/* The uevent netlink group every listener joins. */
#define UEVENT_NETLINK_GROUP 1

u64 uevent_seqnum;
char uevent_helper[UEVENT_HELPER_PATH_LEN];
DEFINE_MUTEX(uevent_sock_mutex);

static const char *const kobject_actions[] = {
	[KOBJ_ADD] = "add",	  [KOBJ_REMOVE] = "remove",
	[KOBJ_CHANGE] = "change", [KOBJ_MOVE] = "move",
	[KOBJ_ONLINE] = "online", [KOBJ_OFFLINE] = "offline",
	[KOBJ_BIND] = "bind",	  [KOBJ_UNBIND] = "unbind",
};

const char *kobject_action_name(enum kobject_action action)
{
	if ((unsigned int)action >= ARRAY_SIZE(kobject_actions))
		return NULL;
	return kobject_actions[action];
}

/**
 * add_uevent_var - append "KEY=VALUE" to an event's environment
 * @env: the environment being built
 * @format: printf format of the whole "KEY=VALUE" string
 *
 * Returns 0, or -ENOMEM (with a message) when UEVENT_NUM_ENVP variables
 * or UEVENT_BUFFER_SIZE bytes are used up; @env is unchanged then.
 * Context: any.
 */
int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...)
{
	size_t room = sizeof(env->buf) - (size_t)env->buflen;
	va_list args;
	int len;

	if (env->envp_idx >= (int)ARRAY_SIZE(env->envp)) {
		pr_warn("add_uevent_var: too many keys\n");
		return -ENOMEM;
	}
	va_start(args, format);
	len = vsnprintf(&env->buf[env->buflen], room, format, args);
	va_end(args);
	if (len < 0 || (size_t)len >= room) {
		env->buf[env->buflen] = '\0';
		pr_warn("add_uevent_var: buffer size too small\n");
		return -ENOMEM;
	}
	env->envp[env->envp_idx++] = &env->buf[env->buflen];
	env->buflen += len + 1;
	return 0;
}

/* The kset of @kobj or of its nearest ancestor that has one, or NULL. */
static struct kset *uevent_kset(struct kobject *kobj)
{
	struct kobject *top = kobj;

	while (!top->kset && top->parent)
		top = top->parent;
	return top->kset;
}

/* ACTION, DEVPATH, SUBSYSTEM, the caller's and the kset's (@ops)
 * variables. */
static int uevent_fill_env(struct kobj_uevent_env *env, struct kobject *kobj,
			   const struct kset_uevent_ops *ops,
			   const char *action, const char *devpath,
			   const char *subsystem, char *envp_ext[])
{
	int i, err;

	err = add_uevent_var(env, "ACTION=%s", action);
	if (!err)
		err = add_uevent_var(env, "DEVPATH=%s", devpath);
	if (!err)
		err = add_uevent_var(env, "SUBSYSTEM=%s", subsystem);
	for (i = 0; !err && envp_ext && envp_ext[i]; i++)
		err = add_uevent_var(env, "%s", envp_ext[i]);
	if (!err && ops && ops->uevent) {
		err = ops->uevent(kobj, env);
		if (err)
			pr_debug("kobject: '%s': uevent() returned %d\n",
				 kobject_name(kobj), err);
	}
	return err;
}

/* "ACTION@DEVPATH\0" and the variables to every netlink listener. */
static void uevent_net_broadcast(const struct kobj_uevent_env *env,
				 const char *action, const char *devpath)
{
	size_t head = strlen(action) + 1 + strlen(devpath) + 1;
	struct sk_buff *skb;

	if (!netlink_has_listeners(NETLINK_KOBJECT_UEVENT,
				   UEVENT_NETLINK_GROUP))
		return;
	skb = alloc_skb((unsigned int)(head + (size_t)env->buflen), GFP_KERNEL);
	if (!skb)
		return;
	snprintf((char *)skb->data, head, "%s@%s", action, devpath);
	memcpy(skb->data + head, env->buf, (size_t)env->buflen);
	netlink_broadcast(NETLINK_KOBJECT_UEVENT, skb, 0, UEVENT_NETLINK_GROUP);
}

/*
 * Run the uevent helper for the event: HELPER SUBSYSTEM with the
 * variables and HOME, PATH. uevent_sock_mutex held (uevent_helper[]).
 */
static void uevent_run_helper(struct kobj_uevent_env *env,
			      const char *subsystem)
{
	lockdep_assert_held(&uevent_sock_mutex);
	if (!uevent_helper[0])
		return;
	if (add_uevent_var(env, "HOME=/") ||
	    add_uevent_var(env, "PATH=/sbin:/bin:/usr/sbin:/usr/bin"))
		return;
	if (env->envp_idx >= (int)ARRAY_SIZE(env->envp))
		return; /* no room for the NULL that ends envp */
	env->argv[0] = uevent_helper;
	env->argv[1] = (char *)subsystem;
	env->argv[2] = NULL;
	call_usermodehelper(env->argv[0], env->argv, env->envp, UMH_NO_WAIT);
}

/* Number the event and send it on both transports. */
static int uevent_send(struct kobj_uevent_env *env, const char *action,
		       const char *devpath, const char *subsystem)
{
	int err;

	mutex_lock(&uevent_sock_mutex);
	err = add_uevent_var(env, "SEQNUM=%llu",
			     (unsigned long long)uevent_seqnum + 1);
	if (!err) {
		uevent_seqnum++;
		uevent_net_broadcast(env, action, devpath);
		uevent_run_helper(env, subsystem);
	}
	mutex_unlock(&uevent_sock_mutex);
	return err;
}

/* Record that "add" or "remove" went out (the last put's rule). */
static void uevent_note_state(struct kobject *kobj, enum kobject_action action)
{
	if (action == KOBJ_ADD)
		kobj->state_add_uevent_sent = 1;
	else if (action == KOBJ_REMOVE)
		kobj->state_remove_uevent_sent = 1;
}

/**
 * kobject_uevent_env - send an event about @kobj, with extra variables
 * @kobj: the object; it or an ancestor must belong to a kset
 * @action: what happened
 * @envp_ext: NULL-terminated "KEY=VALUE" strings to add, or NULL
 *
 * Returns 0 (also when the event is suppressed or filtered out),
 * -EINVAL (bad action, no kset), -ENOENT (no path), -ENOMEM, or the
 * error of the kset's uevent(). Context: process; may sleep.
 */
int kobject_uevent_env(struct kobject *kobj, enum kobject_action action,
		       char *envp_ext[])
{
	const char *action_string = kobject_action_name(action);
	const struct kset_uevent_ops *ops;
	struct kobj_uevent_env *env;
	const char *subsystem;
	struct kset *kset;
	char *devpath;
	int err;

	if (!kobj || !action_string)
		return -EINVAL;
	kset = uevent_kset(kobj);
	if (!kset) {
		pr_debug("kobject: '%s': no kset, no uevent\n",
			 kobject_name(kobj));
		return -EINVAL;
	}
	ops = kset->uevent_ops;
	if (kobj->uevent_suppress || (ops && ops->filter && !ops->filter(kobj)))
		return 0;
	subsystem = ops && ops->name ? ops->name(kobj) :
				       kobject_name(&kset->kobj);
	if (!subsystem)
		return 0;
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	devpath = kobject_get_path(kobj, GFP_KERNEL);
	err = -ENOENT;
	if (!devpath)
		goto out_free_env;
	err = uevent_fill_env(env, kobj, ops, action_string, devpath, subsystem,
			      envp_ext);
	if (err)
		goto out_free_path;
	uevent_note_state(kobj, action);
	err = uevent_send(env, action_string, devpath, subsystem);
out_free_path:
	kfree(devpath);
out_free_env:
	kfree(env);
	return err;
}

int kobject_uevent(struct kobject *kobj, enum kobject_action action)
{
	return kobject_uevent_env(kobj, action, NULL);
}

/**
 * kobject_uevent_move - the "move" event after a rename
 * @old_path: the object's path before, for DEVPATH_OLD=
 *
 * Called by kobject_rename(). Context: process; may sleep.
 */
void kobject_uevent_move(struct kobject *kobj, const char *old_path)
{
	size_t len = sizeof("DEVPATH_OLD=") + strlen(old_path);
	char *var = kmalloc(len, GFP_KERNEL);
	char *envp[] = { var, NULL };

	if (!var)
		return;
	snprintf(var, len, "DEVPATH_OLD=%s", old_path);
	kobject_uevent_env(kobj, KOBJ_MOVE, envp);
	kfree(var);
}

/* ---- synthetic events: writes to a "uevent" file ------------------------ */

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool is_xdigit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* 8-4-4-4-12 hex digits with dashes (Linux's uuid_is_valid). */
static bool uuid_valid(const char *s)
{
	int i;

	for (i = 0; i < UUID_STRING_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !is_xdigit(s[i]))
			return false;
	}
	return true;
}

/* @count without one trailing newline or NUL. */
static size_t trim_count(const char *buf, size_t count)
{
	if (count && (buf[count - 1] == '\n' || buf[count - 1] == '\0'))
		count--;
	return count;
}

/*
 * The action at the start of @buf ("change" or "change UUID ...");
 * *@args points after the space when there is more, else NULL.
 */
static int kobject_action_type(const char *buf, size_t count,
			       enum kobject_action *type, const char **args)
{
	const char *space;
	size_t first;
	unsigned int a;

	count = trim_count(buf, count);
	if (!count)
		return -EINVAL;
	space = memchr(buf, ' ', count);
	first = space ? (size_t)(space - buf) : count;
	*args = space ? space + 1 : NULL;
	for (a = 0; a < ARRAY_SIZE(kobject_actions); a++) {
		if (strlen(kobject_actions[a]) == first &&
		    !memcmp(kobject_actions[a], buf, first)) {
			*type = (enum kobject_action)a;
			return 0;
		}
	}
	return -EINVAL;
}

/* The end of a word of letters and digits ending at @delim, or NULL. */
static const char *arg_word_end(const char *p, const char *end, char delim)
{
	const char *start = p;

	while (p <= end && *p != delim)
		if (!is_alnum(*p++))
			return NULL;
	return p == start ? NULL : p;
}

/* " KEY=VALUE" pairs after the UUID, as SYNTH_ARG_KEY=VALUE. */
static int kobject_action_kv(struct kobj_uevent_env *env, const char *next,
			     const char *end)
{
	const char *key, *val;

	while (next <= end) {
		if (*next != ' ' || ++next > end)
			return -EINVAL;
		key = next;
		next = arg_word_end(key, end, '=');
		if (!next || next > end || *next != '=' || next + 1 > end)
			return -EINVAL;
		val = next + 1;
		next = arg_word_end(val, end, ' ');
		if (!next)
			return -EINVAL;
		if (add_uevent_var(env, "SYNTH_ARG_%.*s=%.*s",
				   (int)(val - 1 - key), key, (int)(next - val),
				   val))
			return -EINVAL;
	}
	return 0;
}

/* "UUID [KEY=VALUE ...]" into SYNTH_UUID= and SYNTH_ARG_ variables. */
static int kobject_action_args(struct kobj_uevent_env *env, const char *buf,
			       size_t count)
{
	count = trim_count(buf, count);
	if (count < UUID_STRING_LEN || !uuid_valid(buf))
		return -EINVAL;
	if (add_uevent_var(env, "SYNTH_UUID=%.*s", UUID_STRING_LEN, buf))
		return -EINVAL;
	return kobject_action_kv(env, buf + UUID_STRING_LEN, buf + count - 1);
}

/**
 * kobject_synth_uevent - send the event written to a "uevent" file
 * @buf, @count: "add", "change\n", "remove", ..., optionally followed by
 *               " UUID [KEY=VALUE ...]" (letters and digits only)
 *
 * Without a UUID the event carries SYNTH_UUID=0. Returns 0 or -EINVAL
 * (unknown action, malformed arguments), or kobject_uevent_env()'s
 * error; failures are logged. Context: process; may sleep.
 */
int kobject_synth_uevent(struct kobject *kobj, const char *buf, size_t count)
{
	static char *no_uuid_envp[] = { "SYNTH_UUID=0", NULL };
	struct kobj_uevent_env *env = NULL;
	enum kobject_action action;
	const char *args, *msg = NULL;
	char *devpath;
	int r;

	r = kobject_action_type(buf, count, &action, &args);
	if (r) {
		msg = "unknown uevent action string";
		goto out;
	}
	if (!args) {
		r = kobject_uevent_env(kobj, action, no_uuid_envp);
		goto out;
	}
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	r = -ENOMEM;
	if (!env)
		goto out;
	r = kobject_action_args(env, args, count - (size_t)(args - buf));
	if (r) {
		msg = "incorrect uevent action arguments";
		goto out;
	}
	r = kobject_uevent_env(kobj, action, env->envp);
out:
	kfree(env);
	if (r) {
		devpath = kobject_get_path(kobj, GFP_KERNEL);
		pr_warn("synth uevent: %s: %s\n",
			devpath ? devpath : "unknown device",
			msg ? msg : "failed to send uevent");
		kfree(devpath);
	}
	return r;
}

/**
 * send_kevent - tell user space that attribute @attr of @kobj changed
 *
 * The seed's kernel-event API: poll() on the attribute's file wakes
 * (sysfs_notify), and a "change" uevent goes out naming the attribute
 * in ATTRIBUTE=<name>, so a listener knows which file to read.
 * Returns kobject_uevent_env()'s result. Context: process; may sleep.
 */
int send_kevent(struct kobject *kobj, const struct attribute *attr)
{
	char var[UEVENT_HELPER_PATH_LEN];
	char *envp[] = { var, NULL };

	if (!kobj || !attr || !attr->name)
		return -EINVAL;
	sysfs_notify(kobj, NULL, attr->name);
	snprintf(var, sizeof(var), "ATTRIBUTE=%s", attr->name);
	return kobject_uevent_env(kobj, KOBJ_CHANGE, envp);
}
