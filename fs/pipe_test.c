/*
 * ktest suite "pipe": anonymous pipes and FIFOs. The blocking cases run
 * the other end in a kernel thread: a reader that sleeps until data
 * comes, a writer that sleeps on a full pipe, two writers whose PIPE_BUF
 * records must not interleave, a sleeper woken by a "signal", FIFO opens
 * that wait for their partner.
 */
#include <kestrel/completion.h>
#include <kestrel/errno.h>
#include <kestrel/kstrtox.h>
#include <kestrel/printk.h>
#include <kestrel/kthread.h>
#include <kestrel/mm.h>
#include <kestrel/poll.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/vmalloc.h>

#include "fs_test_util.h"
#include "internal.h"

#define PIPE_CAPACITY (16 * PAGE_SIZE)

enum { OP_READ, OP_WRITE, OP_OPEN };

/* The other end, in a kernel thread. */
struct worker {
	int op;
	struct file *file;
	char *buf;
	size_t len;
	int repeat; /* OP_WRITE: write buf this many times */
	const char *name; /* OP_OPEN: a FIFO to open with @flags */
	int flags;
	struct fs_struct *fs;
	ssize_t result;
	struct task *task;
	struct completion done;
};

static int worker_fn(void *data)
{
	struct worker *w = data;
	loff_t pos = 0;
	int i;

	switch (w->op) {
	case OP_READ:
		w->result = kernel_read(w->file, w->buf, w->len, &pos);
		break;
	case OP_WRITE:
		for (i = 0, w->result = 0; i < w->repeat; i++) {
			ssize_t n = kernel_write(w->file, w->buf, w->len, &pos);

			if (n < 0) {
				w->result = n;
				break;
			}
			w->result += n;
		}
		break;
	case OP_OPEN:
		w->file = do_filp_open(w->fs, NULL, w->name, w->flags, 0);
		w->result = IS_ERR(w->file) ? PTR_ERR(w->file) : 0;
		break;
	}
	/* A test "signal" must not outlive the wait it interrupted. */
	clear_tsk_thread_flag(current, TIF_SIGPENDING);
	complete(&w->done);
	return 0;
}

static void start(struct ktest *t, struct worker *w)
{
	init_completion(&w->done);
	w->task = kthread_run(worker_fn, w, "ktest-pipe");
	KT_ASSERT_TRUE(t, !IS_ERR(w->task));
}

/* Give the worker time to block; true if it did not finish. */
static bool blocked(struct worker *w)
{
	schedule_timeout_uninterruptible(msecs_to_jiffies(30));
	return !completion_done(&w->done);
}

static ssize_t rd(struct file *f, void *buf, size_t len)
{
	loff_t pos = 0;

	return kernel_read(f, buf, len, &pos);
}

static ssize_t wr(struct file *f, const void *buf, size_t len)
{
	loff_t pos = 0;

	return kernel_write(f, buf, len, &pos);
}

static void test_pipe_basic(struct ktest *t)
{
	struct file *p[2];
	struct iovec iov = { NULL, 1 };
	struct kstat st;
	char buf[16];

	KT_EXPECT_EQ(t, do_pipe(p, O_SYNC), -EINVAL);
	KT_ASSERT_EQ(t, do_pipe(p, 0), 0);
	KT_EXPECT_EQ(t, wr(p[1], "hello", 5), 5);
	KT_EXPECT_EQ(t, wr(p[1], " world", 6), 6);
	KT_EXPECT_EQ(t, rd(p[0], buf, 3), 3);
	KT_EXPECT_EQ(t, rd(p[0], buf + 3, sizeof(buf)), 8);
	KT_EXPECT_EQ(t, memcmp(buf, "hello world", 11), 0);
	KT_EXPECT_EQ(t, wr(p[0], "x", 1), -EBADF);
	KT_EXPECT_EQ(t, rd(p[1], buf, 1), -EBADF);
	KT_EXPECT_EQ(t, vfs_llseek(p[0], 0, SEEK_SET), -ESPIPE);
	KT_EXPECT_EQ(t, vfs_preadv(p[0], &iov, 1, 0), -ESPIPE);
	KT_EXPECT_EQ(t, vfs_pwritev(p[1], &iov, 1, 0), -ESPIPE);
	KT_EXPECT_EQ(t, vfs_ioctl(p[0], 0x1234, 0), -ENOTTY);
	KT_EXPECT_EQ(t, vfs_fsync(p[0], 0), -EINVAL);
	KT_ASSERT_EQ(t, vfs_getattr(&p[0]->f_path, &st, STATX_BASIC_STATS, 0),
		     0);
	KT_EXPECT_EQ(t, st.mode & S_IFMT, S_IFIFO);
	KT_EXPECT_EQ(t, PTR_ERR(d_path(&p[0]->f_path, &p[0]->f_path, buf, 5)),
		     -ENAMETOOLONG);
	KT_EXPECT_EQ(
		t,
		strncmp(d_path(&p[0]->f_path, &p[0]->f_path, buf, sizeof(buf)),
			"pipe:[", 6),
		0);
	/* No writers: EOF. */
	KT_EXPECT_EQ(t, wr(p[1], "z", 1), 1);
	fput(p[1]);
	KT_EXPECT_EQ(t, rd(p[0], buf, sizeof(buf)), 1);
	KT_EXPECT_EQ(t, rd(p[0], buf, sizeof(buf)), 0);
	fput(p[0]);
	/* No readers: EPIPE (the syscall layer adds SIGPIPE). */
	KT_ASSERT_EQ(t, do_pipe(p, 0), 0);
	fput(p[0]);
	KT_EXPECT_EQ(t, wr(p[1], "z", 1), -EPIPE);
	fput(p[1]);
}

static void test_pipe_nonblock(struct ktest *t)
{
	char *buf = vmalloc(PIPE_CAPACITY);
	struct file *p[2];
	char c;

	KT_ASSERT_NOT_NULL(t, buf);
	memset(buf, 'n', PIPE_CAPACITY);
	KT_ASSERT_EQ(t, do_pipe(p, O_NONBLOCK), 0);
	KT_EXPECT_EQ(t, rd(p[0], &c, 1), -EAGAIN);
	KT_EXPECT_EQ(t, wr(p[1], buf, PIPE_CAPACITY - 100),
		     PIPE_CAPACITY - 100);
	/* 100 bytes free: an atomic write of PIPE_BUF does not fit at all... */
	KT_EXPECT_EQ(t, wr(p[1], buf, PIPE_BUF), -EAGAIN);
	/* ... a larger one writes what fits. */
	KT_EXPECT_EQ(t, wr(p[1], buf, 2 * PIPE_BUF), 100);
	KT_EXPECT_EQ(t, wr(p[1], buf, 1), -EAGAIN);
	KT_EXPECT_EQ(t, rd(p[0], buf, PIPE_CAPACITY), PIPE_CAPACITY);
	KT_EXPECT_EQ(t, rd(p[0], &c, 1), -EAGAIN);
	fput(p[0]);
	fput(p[1]);
	vfree(buf);
}

static int poll_registrations;

static void count_qproc(struct file *file, struct wait_queue_head *wq,
			poll_table *pt)
{
	poll_registrations++;
}

static void test_pipe_poll(struct ktest *t)
{
	char *buf = vmalloc(PIPE_CAPACITY);
	struct file *p[2];
	poll_table pt;

	KT_ASSERT_NOT_NULL(t, buf);
	init_poll_funcptr(&pt, count_qproc);
	KT_ASSERT_EQ(t, do_pipe(p, O_NONBLOCK), 0);
	poll_registrations = 0;
	KT_EXPECT_EQ(t, vfs_poll(p[0], &pt), 0);
	KT_EXPECT_EQ(t, poll_registrations, 2);
	KT_EXPECT_EQ(t, vfs_poll(p[1], NULL), POLLOUT | POLLWRNORM);
	KT_EXPECT_EQ(t, wr(p[1], "x", 1), 1);
	KT_EXPECT_EQ(t, vfs_poll(p[0], NULL), POLLIN | POLLRDNORM);
	KT_EXPECT_EQ(t, wr(p[1], buf, PIPE_CAPACITY), PIPE_CAPACITY - 1);
	KT_EXPECT_EQ(t, vfs_poll(p[1], NULL), 0); /* full */
	fput(p[1]);
	KT_EXPECT_EQ(t, vfs_poll(p[0], NULL), POLLIN | POLLRDNORM | POLLHUP);
	fput(p[0]);
	/* The write end of a pipe with no reader: POLLERR. */
	KT_ASSERT_EQ(t, do_pipe(p, 0), 0);
	fput(p[0]);
	KT_EXPECT_EQ(t, vfs_poll(p[1], NULL), POLLOUT | POLLWRNORM | POLLERR);
	fput(p[1]);
	vfree(buf);
}

static void test_pipe_blocking_read(struct ktest *t)
{
	static struct worker w;
	char buf[8];
	struct file *p[2];

	KT_ASSERT_EQ(t, do_pipe(p, 0), 0);
	w = (struct worker){
		.op = OP_READ, .file = p[0], .buf = buf, .len = sizeof(buf)
	};
	start(t, &w);
	KT_EXPECT_TRUE(t, blocked(&w));
	KT_EXPECT_EQ(t, wr(p[1], "wake", 4), 4);
	wait_for_completion(&w.done);
	KT_EXPECT_EQ(t, w.result, 4);
	KT_EXPECT_EQ(t, memcmp(buf, "wake", 4), 0);
	/* A reader asleep on an empty pipe sees EOF when the writer goes. */
	start(t, &w);
	KT_EXPECT_TRUE(t, blocked(&w));
	fput(p[1]);
	wait_for_completion(&w.done);
	KT_EXPECT_EQ(t, w.result, 0);
	fput(p[0]);
}

static void test_pipe_blocking_write(struct ktest *t)
{
	static struct worker w;
	const size_t len = 100 << 10;
	char *buf = vmalloc(len), *got = vmalloc(len);
	struct file *p[2];
	size_t have = 0;
	ssize_t n;

	KT_ASSERT_TRUE(t, buf && got);
	memset(buf, 'w', len);
	KT_ASSERT_EQ(t, do_pipe(p, 0), 0);
	w = (struct worker){ .op = OP_WRITE,
			     .file = p[1],
			     .buf = buf,
			     .len = len,
			     .repeat = 1 };
	start(t, &w);
	KT_EXPECT_TRUE(t, blocked(&w)); /* 100 KiB into 64 KiB */
	while (have < len && (n = rd(p[0], got + have, len - have)) > 0)
		have += n;
	wait_for_completion(&w.done);
	KT_EXPECT_EQ(t, w.result, len);
	KT_EXPECT_EQ(t, have, len);
	KT_EXPECT_EQ(t, got[len - 1], 'w');
	/* A writer asleep on a full pipe gets EPIPE when the reader goes. */
	w.len = PIPE_CAPACITY + 1;
	start(t, &w);
	KT_EXPECT_TRUE(t, blocked(&w));
	fput(p[0]);
	wait_for_completion(&w.done);
	KT_EXPECT_EQ(t, w.result, PIPE_CAPACITY); /* what fitted */
	fput(p[1]);
	vfree(buf);
	vfree(got);
}

static void test_pipe_buf_atomic(struct ktest *t)
{
	static struct worker wa, wb;
	const int records = 48;
	const size_t total = 2 * records * PIPE_BUF;
	char *a = kmalloc(PIPE_BUF, GFP_KERNEL),
	     *b = kmalloc(PIPE_BUF, GFP_KERNEL);
	char *got = vmalloc(total);
	struct file *p[2];
	size_t have = 0, i, j;
	ssize_t n;

	KT_ASSERT_TRUE(t, a && b && got);
	memset(a, 'A', PIPE_BUF);
	memset(b, 'B', PIPE_BUF);
	KT_ASSERT_EQ(t, do_pipe(p, 0), 0);
	wa = (struct worker){ .op = OP_WRITE,
			      .file = p[1],
			      .buf = a,
			      .len = PIPE_BUF,
			      .repeat = records };
	wb = wa;
	wb.buf = b;
	start(t, &wa);
	start(t, &wb);
	while (have < total && (n = rd(p[0], got + have, 3000)) > 0)
		have += n;
	wait_for_completion(&wa.done);
	wait_for_completion(&wb.done);
	KT_EXPECT_EQ(t, have, total);
	/* Each PIPE_BUF record arrived whole: one letter per 4 KiB block. */
	for (i = 0; i < total; i += PIPE_BUF)
		for (j = 1; j < PIPE_BUF; j++)
			if (got[i + j] != got[i]) {
				KT_EXPECT_EQ(t, got[i + j], got[i]);
				i = total;
				break;
			}
	fput(p[0]);
	fput(p[1]);
	kfree(a);
	kfree(b);
	vfree(got);
}

static void test_pipe_signal(struct ktest *t)
{
	static struct worker w;
	struct file *p[2];
	char c;

	KT_ASSERT_EQ(t, do_pipe(p, 0), 0);
	w = (struct worker){ .op = OP_READ, .file = p[0], .buf = &c, .len = 1 };
	start(t, &w);
	KT_EXPECT_TRUE(t, blocked(&w));
	set_tsk_thread_flag(w.task, TIF_SIGPENDING);
	wake_up_process(w.task);
	wait_for_completion(&w.done);
	KT_EXPECT_EQ(t, w.result, -ERESTARTSYS);
	fput(p[0]);
	fput(p[1]);
}

static void test_fifo(struct ktest *t)
{
	static struct worker w;
	struct fs_struct *fs = fx_fs(t);
	struct file *r, *wf, *rw;
	char buf[8];

	KT_ASSERT_EQ(t, do_mknodat(fs, NULL, "/fifo", S_IFIFO | 0666, 0), 0);
	wf = do_filp_open(fs, NULL, "/fifo", O_WRONLY | O_NONBLOCK, 0);
	KT_EXPECT_EQ(t, PTR_ERR(wf), -ENXIO); /* no reader */
	r = do_filp_open(fs, NULL, "/fifo", O_RDONLY | O_NONBLOCK, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(r));
	KT_EXPECT_EQ(t, rd(r, buf, 1), 0); /* no writer yet: EOF */
	wf = do_filp_open(fs, NULL, "/fifo", O_WRONLY, 0); /* has a reader */
	KT_ASSERT_TRUE(t, !IS_ERR(wf));
	KT_EXPECT_EQ(t, wr(wf, "fifo", 4), 4);
	KT_EXPECT_EQ(t, rd(r, buf, sizeof(buf)), 4);
	KT_EXPECT_EQ(t, vfs_llseek(r, 0, SEEK_SET), -ESPIPE);
	fput(wf);
	fput(r);
	/* A blocking reader's open waits for a writer. */
	w = (struct worker){
		.op = OP_OPEN, .fs = fs, .name = "/fifo", .flags = O_RDONLY
	};
	start(t, &w);
	KT_EXPECT_TRUE(t, blocked(&w));
	wf = do_filp_open(fs, NULL, "/fifo", O_WRONLY, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(wf));
	wait_for_completion(&w.done);
	KT_ASSERT_EQ(t, w.result, 0);
	KT_EXPECT_EQ(t, wr(wf, "ok", 2), 2);
	KT_EXPECT_EQ(t, rd(w.file, buf, sizeof(buf)), 2);
	fput(w.file);
	fput(wf);
	/* O_RDWR never waits. */
	rw = do_filp_open(fs, NULL, "/fifo", O_RDWR, 0);
	KT_ASSERT_TRUE(t, !IS_ERR(rw));
	KT_EXPECT_EQ(t, wr(rw, "self", 4), 4);
	KT_EXPECT_EQ(t, rd(rw, buf, sizeof(buf)), 4);
	fput(rw);
}

static void test_pipe_no_leak(struct ktest *t)
{
	unsigned long pages = nr_free_pages(), files = nr_files();
	char *buf = vmalloc(PIPE_CAPACITY);
	struct file *p[2];
	int i;

	KT_ASSERT_NOT_NULL(t, buf);
	for (i = 0; i < 32; i++) {
		KT_ASSERT_EQ(t, do_pipe(p, O_NONBLOCK), 0);
		KT_EXPECT_EQ(t, wr(p[1], buf, PIPE_CAPACITY), PIPE_CAPACITY);
		fput(p[i % 2]); /* close either end first */
		fput(p[1 - i % 2]);
	}
	vfree(buf);
	KT_EXPECT_EQ(t, nr_files(), files);
	KT_EXPECT_GE(t, nr_free_pages() + 8, pages);
}

static struct ktest_case pipe_cases[] = { KTEST_CASE(test_pipe_basic),
					  KTEST_CASE(test_pipe_nonblock),
					  KTEST_CASE(test_pipe_poll),
					  KTEST_CASE(test_pipe_blocking_read),
					  KTEST_CASE(test_pipe_blocking_write),
					  KTEST_CASE(test_pipe_buf_atomic),
					  KTEST_CASE(test_pipe_signal),
					  KTEST_CASE(test_fifo),
					  KTEST_CASE(test_pipe_no_leak),
					  {} };

KTEST_SUITE_FULL(pipe, pipe_cases, fs_fixture_init, fs_fixture_exit);
