/*
 * uevent-listen - print the kernel's device events as they arrive
 *
 * SYNOPSIS
 *	uevent-listen [-p] [-q] [-n COUNT] [-t SECONDS] [-b BYTES]
 *
 * DESCRIPTION
 *	Every kobject_uevent() in the kernel is broadcast on an AF_NETLINK
 *	socket of protocol NETLINK_KOBJECT_UEVENT to multicast group 1
 *	(docs/device-model.md, docs/device-tools.md). uevent-listen binds
 *	such a socket and prints one line per event, in the shape of
 *	`udevadm monitor --kernel`:
 *
 *	  KERNEL[12.345678] add      /devices/virtual/mem/null (mem)
 *
 *	the time being CLOCK_MONOTONIC at reception (seconds since boot).
 *	With -p it prints the event's KEY=VALUE variables after the line,
 *	then a blank line, like `udevadm monitor --kernel --property`.
 *
 *	A message is "ACTION@DEVPATH" followed by the variables, each
 *	ending in a NUL byte; SEQNUM counts every event the kernel sent.
 *	Events are lost when the socket's receive queue overflows: the
 *	kernel drops the message and the next recv() fails with ENOBUFS.
 *	uevent-listen reports both signs of loss: the ENOBUFS error and a
 *	gap between consecutive SEQNUMs ("# lost N events ...", on stdout
 *	so it stays in order with the events).
 *
 *	Only messages from the kernel (sender port 0) are printed; others
 *	are counted as foreign and skipped, as udev does.
 *
 * OPTIONS
 *	-p		print each event's variables
 *	-q		no banner
 *	-n COUNT	exit after COUNT events
 *	-t SECONDS	exit after SECONDS (a decimal number) without events
 *			counted from the start
 *	-b BYTES	the socket's receive buffer (SO_RCVBUF)
 *
 * EXIT STATUS
 *	0 after COUNT events, or at the timeout when no -n was given;
 *	2 when the timeout came before COUNT events; 1 on an error.
 *
 * This program runs unmodified on Linux, the behaviour oracle.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "uevent.h"
#include <linux/netlink.h>

#define UEVENT_GROUP_KERNEL 1 /* multicast group of kernel uevents */
#define MSG_MAX 8192 /* larger than the kernel's UEVENT_BUFFER_SIZE */
#define EXIT_ERROR 1
#define EXIT_TIMEOUT 2
#define MS_PER_S 1000
#define NS_PER_US 1000

struct options {
	bool properties; /* -p */
	bool quiet; /* -q */
	long count; /* -n, 0 = no limit */
	double timeout; /* -t in seconds, < 0 = none */
	int rcvbuf; /* -b, 0 = the default */
};

struct listener {
	int fd;
	unsigned long long last_seqnum; /* 0 = none seen yet */
	long events; /* printed so far */
	long lost; /* counted from SEQNUM gaps */
	long overflows; /* ENOBUFS errors */
	long foreign; /* messages not from the kernel */
};

static void usage(void)
{
	fprintf(stderr, "usage: uevent-listen [-p] [-q] [-n COUNT] "
			"[-t SECONDS] [-b BYTES]\n");
	exit(EXIT_ERROR);
}

static long parse_long(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		usage();
	return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	char *end;
	int c;

	*o = (struct options){ .timeout = -1 };
	while ((c = getopt(argc, argv, "pqn:t:b:")) != -1) {
		switch (c) {
		case 'p':
			o->properties = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'n':
			o->count = parse_long(optarg);
			break;
		case 't':
			o->timeout = strtod(optarg, &end);
			if (end == optarg || *end || o->timeout < 0)
				usage();
			break;
		case 'b':
			o->rcvbuf = (int)parse_long(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

/* Open and bind the uevent socket; returns the fd or -1 (message printed). */
static int open_uevent_socket(int rcvbuf)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK,
				    .nl_groups = UEVENT_GROUP_KERNEL };
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0) {
		perror("uevent-listen: socket(AF_NETLINK)");
		return -1;
	}
	if (rcvbuf &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
		perror("uevent-listen: SO_RCVBUF");
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("uevent-listen: bind");
		close(fd);
		return -1;
	}
	return fd;
}

/* Report a gap between the last SEQNUM and this event's. */
static void check_seqnum(struct listener *l, const char *seq)
{
	unsigned long long n;

	if (!seq)
		return;
	n = strtoull(seq, NULL, 10);
	if (l->last_seqnum && n > l->last_seqnum + 1) {
		printf("# lost %llu events (SEQNUM %llu..%llu)\n",
		       n - l->last_seqnum - 1, l->last_seqnum + 1, n - 1);
		l->lost += (long)(n - l->last_seqnum - 1);
	}
	l->last_seqnum = n;
}

static void print_event(const char *buf, size_t len, bool properties)
{
	const char *action = uevent_var(buf, len, "ACTION");
	const char *devpath = uevent_var(buf, len, "DEVPATH");
	const char *subsys = uevent_var(buf, len, "SUBSYSTEM");
	struct timespec ts;
	size_t off;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("KERNEL[%ld.%06ld] %-8s %s (%s)\n", (long)ts.tv_sec,
	       ts.tv_nsec / NS_PER_US, action ? action : "?",
	       devpath ? devpath : "?", subsys ? subsys : "");
	if (!properties)
		return;
	for (off = strnlen(buf, len) + 1; off < len;
	     off += strnlen(buf + off, len - off) + 1)
		printf("%.*s\n", (int)strnlen(buf + off, len - off), buf + off);
	printf("\n");
}

/*
 * Receive one message and print it. Returns 1 for an event printed,
 * 0 for nothing to count (loss reported, foreign message), -1 on error.
 */
static int receive_one(struct listener *l, bool properties)
{
	char buf[MSG_MAX];
	struct sockaddr_nl from = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr msg = { .msg_name = &from,
			      .msg_namelen = sizeof(from),
			      .msg_iov = &iov,
			      .msg_iovlen = 1 };
	ssize_t n = recvmsg(l->fd, &msg, 0);

	if (n < 0 && errno == ENOBUFS) {
		printf("# lost events: receive queue overflowed (ENOBUFS)\n");
		l->overflows++;
		return 0;
	}
	if (n < 0) {
		perror("uevent-listen: recvmsg");
		return errno == EINTR ? 0 : -1;
	}
	buf[n] = '\0';
	if (from.nl_pid != 0 || !memchr(buf, '@', strnlen(buf, (size_t)n))) {
		l->foreign++;
		return 0;
	}
	check_seqnum(l, uevent_var(buf, (size_t)n, "SEQNUM"));
	print_event(buf, (size_t)n, properties);
	fflush(stdout);
	return 1;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds left until @deadline for poll(), -1 for none. */
static int poll_timeout(double deadline)
{
	double left;

	if (deadline < 0)
		return -1;
	left = deadline - now_seconds();
	return left <= 0 ? 0 : (int)(left * MS_PER_S) + 1;
}

/* Receive until the count or the deadline; returns the exit status. */
static int listen_loop(struct listener *l, const struct options *o)
{
	double deadline = o->timeout < 0 ? -1 : now_seconds() + o->timeout;
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
	int ret;

	while (!o->count || l->events < o->count) {
		ret = poll(&pfd, 1, poll_timeout(deadline));
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			perror("uevent-listen: poll");
			return EXIT_ERROR;
		}
		if (ret == 0)
			return o->count ? EXIT_TIMEOUT : 0;
		ret = receive_one(l, o->properties);
		if (ret < 0)
			return EXIT_ERROR;
		l->events += ret;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct listener l = { 0 };
	struct options o;
	int status;

	parse_options(argc, argv, &o);
	l.fd = open_uevent_socket(o.rcvbuf);
	if (l.fd < 0)
		return EXIT_ERROR;
	if (!o.quiet) {
		printf("monitor will print the received events for:\n"
		       "KERNEL - the kernel uevent\n\n");
		fflush(stdout);
	}
	status = listen_loop(&l, &o);
	if (l.lost || l.overflows)
		printf("# %ld events lost in all, %ld overflows\n", l.lost,
		       l.overflows);
	close(l.fd);
	return status;
}
