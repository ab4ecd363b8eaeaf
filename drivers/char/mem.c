/*
 * The memory devices of major 1, as Linux numbers them: /dev/null (3),
 * /dev/zero (5), /dev/full (7), /dev/random (8), /dev/urandom (9) and
 * /dev/kmsg (11, the kernel log: reading gives it, writing adds to it).
 * Each is a device of the class "mem" (/sys/class/mem/null, dev 1:3),
 * whose /dev node device_add() creates with the mode given here.
 */
#include <kestrel/init.h>
#include <kestrel/console.h>
#include <kestrel/device.h>
#include <kestrel/devtmpfs.h>
#include <kestrel/err.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/printk.h>
#include <kestrel/random.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>

#define MEM_MAJOR 1
#define CHUNK 256

static ssize_t null_read(struct file *f, char __user *buf, size_t n,
			 loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *f, const char __user *buf, size_t n,
			  loff_t *pos)
{
	return (ssize_t)n;
}

static ssize_t zero_read(struct file *f, char __user *buf, size_t n,
			 loff_t *pos)
{
	if (clear_user(buf, n))
		return -EFAULT;
	return (ssize_t)n;
}

static ssize_t full_write(struct file *f, const char __user *buf, size_t n,
			  loff_t *pos)
{
	return -ENOSPC;
}

static ssize_t random_read(struct file *f, char __user *buf, size_t n,
			   loff_t *pos)
{
	u8 chunk[CHUNK];
	size_t done = 0, k;

	while (done < n) {
		k = n - done < CHUNK ? n - done : CHUNK;
		get_random_bytes(chunk, k);
		if (copy_to_user(buf + done, chunk, k))
			return done ? (ssize_t)done : -EFAULT;
		done += k;
	}
	return (ssize_t)done;
}

/* Writing to /dev/random stirs the pool. */
static ssize_t random_write(struct file *f, const char __user *buf, size_t n,
			    loff_t *pos)
{
	u8 chunk[CHUNK];
	size_t done = 0, k, i;

	while (done < n) {
		k = n - done < CHUNK ? n - done : CHUNK;
		if (copy_from_user(chunk, buf + done, k))
			return done ? (ssize_t)done : -EFAULT;
		for (i = 0; i < k; i += 4)
			add_random_event(chunk[i] | (u32)done << 8);
		done += k;
	}
	return (ssize_t)done;
}

/* /dev/kmsg: each read returns the log from where this file left off. */
static ssize_t kmsg_read(struct file *f, char __user *buf, size_t n,
			 loff_t *pos)
{
	char chunk[CHUNK];
	unsigned long p = (unsigned long)*pos, got;
	size_t done = 0;

	while (done < n) {
		got = log_buf_read(chunk, n - done < CHUNK ? n - done : CHUNK,
				   &p);
		if (!got)
			break;
		if (copy_to_user(buf + done, chunk, got))
			return done ? (ssize_t)done : -EFAULT;
		done += got;
	}
	*pos = (loff_t)p;
	return (ssize_t)done;
}

static ssize_t kmsg_write(struct file *f, const char __user *buf, size_t n,
			  loff_t *pos)
{
	char line[CHUNK];
	size_t k = n < CHUNK - 1 ? n : CHUNK - 1;

	if (copy_from_user(line, buf, k))
		return -EFAULT;
	line[k] = '\0';
	printk("%s", line);
	return (ssize_t)n;
}

static const struct file_operations null_fops = {
	.read = null_read,
	.write = null_write,
};
static const struct file_operations zero_fops = {
	.read = zero_read,
	.write = null_write,
};
static const struct file_operations full_fops = {
	.read = zero_read,
	.write = full_write,
};
static const struct file_operations random_fops = {
	.read = random_read,
	.write = random_write,
};
static const struct file_operations kmsg_fops = {
	.read = kmsg_read,
	.write = kmsg_write,
};

static const struct mem_dev {
	const char *name;
	unsigned int minor;
	umode_t mode;
	const struct file_operations *fops;
} mem_devs[] = {
	{ "null", 3, 0666, &null_fops },
	{ "zero", 5, 0666, &zero_fops },
	{ "full", 7, 0666, &full_fops },
	{ "random", 8, 0666, &random_fops },
	{ "urandom", 9, 0666, &random_fops },
	{ "kmsg", 11, 0644, &kmsg_fops },
};

/* One dispatcher for the major: pick the minor's operations at open. */
static int mem_open(struct inode *inode, struct file *file)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mem_devs); i++) {
		if (mem_devs[i].minor == iminor(inode)) {
			file->f_op = mem_devs[i].fops;
			return 0;
		}
	}
	return -ENXIO;
}

static const struct file_operations mem_fops = {
	.open = mem_open,
};

/* The node's mode by minor: 0666 for most, as Linux's mem_devnode(). */
static char *mem_devnode(const struct device *dev, umode_t *mode)
{
	unsigned int i;

	for (i = 0; mode && i < ARRAY_SIZE(mem_devs); i++)
		if (mem_devs[i].minor == MINOR(dev->devt))
			*mode = mem_devs[i].mode;
	return NULL;
}

static struct class mem_class = {
	.name = "mem",
	.devnode = mem_devnode,
};

/* The memory devices, class mem (an fs_initcall, as Linux's). */
static int chr_dev_init(void)
{
	struct device *dev;
	unsigned int i;
	int err = register_chrdev(MEM_MAJOR, "mem", &mem_fops);

	if (err < 0)
		return err;
	err = class_register(&mem_class);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(mem_devs); i++) {
		dev = device_create(&mem_class, NULL,
				    MKDEV(MEM_MAJOR, mem_devs[i].minor), NULL,
				    "%s", mem_devs[i].name);
		if (IS_ERR(dev))
			pr_err("mem: cannot add %s: error %ld\n",
			       mem_devs[i].name, PTR_ERR(dev));
	}
	return 0;
}
fs_initcall(chr_dev_init);
