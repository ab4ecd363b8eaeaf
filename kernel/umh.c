/*
 * The usermode helper: running a user program on the kernel's behalf
 * (include/kestrel/umh.h; Linux's kernel/umh.c).
 *
 *	call_usermodehelper(path, argv, envp, wait)
 *	  copy path, argv, envp into one subprocess_info
 *	  queue it; user_mode_thread(umh_exec)  ──> new process, child of
 *	  UMH_WAIT_EXEC: wait for ->done              init, root, no fds
 *	                                             takes a request off the
 *	                                             queue, kernel_execve()
 *	                                             ok: returns to user mode
 *	                                             fail: printk, do_exit
 *
 * The new process cannot be handed an argument (it starts like PID 1,
 * from a bare function), so requests wait on umh_pending and each new
 * helper takes one; there are never more helpers than requests, and if
 * starting one fails a request is taken back and failed instead.
 *
 * Who frees a request: with UMH_NO_WAIT the helper, once its exec has
 * copied the strings; with UMH_WAIT_EXEC the caller, after ->done.
 *
 * Locking: umh_lock protects umh_pending.
 */
#include <kestrel/completion.h>
#include <kestrel/errno.h>
#include <kestrel/list.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/umh.h>

/* The exit status of a helper whose exec failed: 127, as a shell's. */
#define UMH_EXEC_FAILED_STATUS (127 << 8)

struct subprocess_info {
	struct list_head list; /* on umh_pending (umh_lock) */
	int wait; /* UMH_NO_WAIT or UMH_WAIT_EXEC */
	int retval; /* the exec's result, for UMH_WAIT_EXEC */
	struct completion done; /* the exec was tried (UMH_WAIT_EXEC) */
	char *path;
	char **argv; /* NULL-terminated, into the same allocation */
	char **envp;
};

static LIST_HEAD(umh_pending);
static DEFINE_SPINLOCK(umh_lock);

static size_t strv_count(char **v, size_t *bytes)
{
	size_t n = 0;

	for (; v && v[n]; n++)
		*bytes += strlen(v[n]) + 1;
	return n;
}

/*
 * Copy @src to @text, never past @end (the allocation's end): at most
 * end - text - 1 bytes and a NUL. The strings were measured before the
 * allocation; one that grew since (a caller's buffer edited under it)
 * is cut short instead of overflowing. Returns where the next string
 * goes.
 */
static char *text_put(char *text, const char *src, char *end)
{
	size_t len = strnlen(src, (size_t)(end - text) - 1);

	memcpy(text, src, len);
	text[len] = '\0';
	return text + len + 1;
}

/* Copy the @n strings of @src into @dst (NULL-ended), text at @text. */
static char *strv_copy(char **dst, char **src, size_t n, char *text, char *end)
{
	size_t i;

	for (i = 0; i < n && text < end; i++) {
		dst[i] = text;
		text = text_put(text, src[i], end);
	}
	dst[i] = NULL;
	return text;
}

/*
 * One allocation: the info, both pointer arrays, then all the text.
 * Each string is measured once to size it and copied bounded by what
 * is left (text_put), so a string that changes in between cannot
 * overflow the allocation.
 */
static struct subprocess_info *umh_info_alloc(const char *path, char **argv,
					      char **envp, int wait)
{
	size_t bytes = strlen(path) + 1, nargv, nenvp, ptrs;
	struct subprocess_info *info;
	char *text, *end;

	nargv = strv_count(argv, &bytes);
	nenvp = strv_count(envp, &bytes);
	ptrs = (nargv + 1 + nenvp + 1) * sizeof(char *);
	info = kzalloc(sizeof(*info) + ptrs + bytes, GFP_KERNEL);
	if (!info)
		return NULL;
	INIT_LIST_HEAD(&info->list);
	info->wait = wait;
	init_completion(&info->done);
	info->argv = (char **)(info + 1);
	info->envp = info->argv + nargv + 1;
	text = (char *)(info->envp + nenvp + 1);
	end = text + bytes;
	info->path = text;
	text = text_put(text, path, end);
	text = strv_copy(info->argv, argv, nargv, text, end);
	strv_copy(info->envp, envp, nenvp, text, end);
	return info;
}

/* The exec of @info was tried: tell the waiter, or free it. */
static void umh_complete(struct subprocess_info *info, int retval)
{
	if (info->wait == UMH_WAIT_EXEC) {
		info->retval = retval;
		complete(&info->done); /* the caller frees it */
	} else {
		kfree(info);
	}
}

/* Which end of umh_pending umh_dequeue() takes from. */
enum umh_end { UMH_OLDEST, UMH_NEWEST };

/* Take the oldest or the newest pending request, or NULL. */
static struct subprocess_info *umh_dequeue(enum umh_end end)
{
	struct subprocess_info *info = NULL;

	spin_lock(&umh_lock);
	if (!list_empty(&umh_pending)) {
		info = end == UMH_NEWEST ?
			       list_entry(umh_pending.prev,
					  struct subprocess_info, list) :
			       list_first_entry(&umh_pending,
						struct subprocess_info, list);
		list_del_init(&info->list);
	}
	spin_unlock(&umh_lock);
	return info;
}

/* The first function of a helper process (see the file comment). */
static void umh_exec(void)
{
	struct subprocess_info *info = umh_dequeue(UMH_OLDEST);
	int err;

	if (!info)
		do_exit(UMH_EXEC_FAILED_STATUS); /* cannot happen: see top */
	err = kernel_execve(info->path, (const char *const *)info->argv,
			    (const char *const *)info->envp);
	if (err)
		pr_warn("umh: failed to execute %s (error %d)\n", info->path,
			err);
	umh_complete(info, err);
	if (err)
		do_exit(UMH_EXEC_FAILED_STATUS);
	/* Returning enters user mode as the new program. */
}

int call_usermodehelper(const char *path, char **argv, char **envp, int wait)
{
	struct subprocess_info *info, *back;
	int pid, ret;

	if (!path || !path[0] || (wait != UMH_NO_WAIT && wait != UMH_WAIT_EXEC))
		return -EINVAL;
	info = umh_info_alloc(path, argv, envp, wait);
	if (!info)
		return -ENOMEM;
	spin_lock(&umh_lock);
	list_add_tail(&info->list, &umh_pending);
	spin_unlock(&umh_lock);
	pid = user_mode_thread(umh_exec, "khelper");
	if (pid < 0) {
		/* One request more than helpers now: fail the newest. */
		back = umh_dequeue(UMH_NEWEST);
		if (back == info) {
			kfree(info);
			return pid;
		}
		if (back)
			umh_complete(back, pid);
	}
	if (wait == UMH_NO_WAIT)
		return 0;
	wait_for_completion(&info->done);
	ret = info->retval;
	kfree(info);
	return ret;
}
