/*
 * The socket layer and AF_NETLINK's uevent channel, as udev and mdev use
 * them: socket() argument checks, bind/getsockname with automatic and
 * explicit port ids, bad addresses and pointers, ENOTSOCK, the
 * SOL_SOCKET options, the socketcall() multiplexer, non-blocking
 * receives and poll, then real uevents: write "add" to
 * /sys/class/mem/null/uevent and check the message byte by byte, its
 * sender and credentials, SEQNUM order, MSG_PEEK/MSG_TRUNC, and the
 * ENOBUFS of a listener that does not keep up (and its recovery), and
 * a control buffer the kernel cannot write (the message still arrives).
 */
#include <fcntl.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ktap.h"

#define UEVENT_FILE "/sys/class/mem/null/uevent"
#define NULL_DEVPATH "/devices/virtual/mem/null"
#define BAD_PTR ((void *)1)
#define EXPLICIT_PID 0x7ffe1234u
#define FLOOD 64
#define MSG_MAX 4096
#define SYSFS_MAGIC 0x62656572

static int nl_socket(int flags)
{
	return socket(AF_NETLINK, SOCK_RAW | flags, NETLINK_KOBJECT_UEVENT);
}

/* Bind @fd to port @pid and @groups; 0 or -1. */
static int nl_bind(int fd, unsigned int pid, unsigned int groups)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK,
				 .nl_pid = pid,
				 .nl_groups = groups };

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

/* The port @fd is bound to (getsockname), or 0. */
static unsigned int nl_port(int fd)
{
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);

	memset(&a, 0xff, sizeof(a));
	if (getsockname(fd, (struct sockaddr *)&a, &len) || len != sizeof(a))
		return 0;
	return a.nl_pid;
}

static void test_socket_args(void)
{
	int fd = nl_socket(0), p[2];
	struct stat st;
	char link[64], path[64];
	ssize_t n;

	ktap_ok(fd >= 0, "socket(AF_NETLINK, SOCK_RAW, KOBJECT_UEVENT)");
	EXPECT_ERRNO(socket(AF_MAX + 10, SOCK_RAW, 0), EAFNOSUPPORT);
	EXPECT_ERRNO(socket(AF_NETLINK, SOCK_RAW, 31), EPROTONOSUPPORT);
	EXPECT_ERRNO(socket(AF_NETLINK, SOCK_RAW, 32), EPROTONOSUPPORT);
	EXPECT_ERRNO(socket(AF_NETLINK, 99, NETLINK_KOBJECT_UEVENT), EINVAL);
	EXPECT_ERRNO(socket(AF_NETLINK, SOCK_STREAM, NETLINK_KOBJECT_UEVENT),
		     ESOCKTNOSUPPORT);
	EXPECT_ERRNO(nl_socket(0x100000), EINVAL);
	EXPECT_ERRNO(socketpair(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT,
				p),
		     EOPNOTSUPP);
	ktap_ok(fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode),
		"fstat says S_IFSOCK");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	ktap_ok(n > 0 && !strncmp(link, "socket:[", 8) && link[n - 1] == ']',
		"/proc/self/fd shows %s", link);
	close(fd);
	fd = nl_socket(SOCK_CLOEXEC | SOCK_NONBLOCK);
	ktap_ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC) &&
			(fcntl(fd, F_GETFL) & O_NONBLOCK),
		"SOCK_CLOEXEC and SOCK_NONBLOCK");
	close(fd);
}

static void test_bind_names(void)
{
	int a = nl_socket(0), b = nl_socket(0), c = nl_socket(0);
	int d = nl_socket(0);
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t len = 4;

	EXPECT_EQ(nl_port(a), 0); /* not bound yet */
	EXPECT_SUCCESS(nl_bind(a, 0, 0));
	EXPECT_EQ(nl_port(a), getpid());
	EXPECT_SUCCESS(nl_bind(b, 0, 0));
	ktap_ok((int)nl_port(b) < 0, "second autobind gets a negative port");
	EXPECT_SUCCESS(nl_bind(c, EXPLICIT_PID, 0));
	EXPECT_EQ(nl_port(c), EXPLICIT_PID);
	EXPECT_ERRNO(nl_bind(d, EXPLICIT_PID, 0), EADDRINUSE);
	EXPECT_ERRNO(nl_bind(a, 12345, 0), EINVAL); /* already bound */
	EXPECT_ERRNO(bind(d, (struct sockaddr *)&addr, 4), EINVAL);
	EXPECT_ERRNO(bind(d, BAD_PTR, sizeof(addr)), EFAULT);
	addr.nl_family = AF_UNIX;
	EXPECT_ERRNO(bind(d, (struct sockaddr *)&addr, sizeof(addr)), EINVAL);
	memset(&addr, 0, sizeof(addr));
	EXPECT_SUCCESS(getsockname(c, (struct sockaddr *)&addr, &len));
	ktap_ok(len == sizeof(addr) && addr.nl_family == AF_NETLINK &&
			addr.nl_pid == 0,
		"a short getsockname is cut, the full length returned");
	EXPECT_ERRNO(getsockname(c, (struct sockaddr *)&addr, BAD_PTR), EFAULT);
	close(a);
	close(b);
	close(c);
	close(d);
}

static void test_not_socket(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	int p[2], one = 1;
	char buf[4];

	if (pipe(p))
		return;
	EXPECT_ERRNO(bind(p[0], (struct sockaddr *)&addr, sizeof(addr)),
		     ENOTSOCK);
	EXPECT_ERRNO(setsockopt(p[0], SOL_SOCKET, SO_PASSCRED, &one,
				sizeof(one)),
		     ENOTSOCK);
	EXPECT_ERRNO(recv(p[0], buf, sizeof(buf), MSG_DONTWAIT), ENOTSOCK);
	EXPECT_ERRNO(send(999, buf, 1, 0), EBADF);
	close(p[0]);
	close(p[1]);
}

/* getsockopt(SOL_SOCKET, @opt) as an int, or -1. */
static int get_int(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len) || len != sizeof(v))
		return -1;
	return v;
}

static void test_options(void)
{
	int fd = nl_socket(0), v = 32768, one = 1, rcv;
	socklen_t len = sizeof(v);

	EXPECT_SUCCESS(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	EXPECT_EQ(get_int(fd, SO_RCVBUF), 65536); /* doubled */
	v = 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	rcv = get_int(fd, SO_RCVBUF);
	ktap_ok(rcv >= 2048 && rcv <= 8192, "SO_RCVBUF has a floor (%d)", rcv);
	EXPECT_EQ(get_int(fd, SO_PASSCRED), 0);
	EXPECT_SUCCESS(
		setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	EXPECT_EQ(get_int(fd, SO_PASSCRED), 1);
	EXPECT_EQ(get_int(fd, SO_TYPE), SOCK_RAW);
	EXPECT_EQ(get_int(fd, SO_DOMAIN), AF_NETLINK);
	EXPECT_EQ(get_int(fd, SO_PROTOCOL), NETLINK_KOBJECT_UEVENT);
	EXPECT_EQ(get_int(fd, SO_ERROR), 0);
	EXPECT_ERRNO(getsockopt(fd, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
	EXPECT_ERRNO(setsockopt(fd, 9999, 1, &one, sizeof(one)), ENOPROTOOPT);
	EXPECT_ERRNO(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, 2), EINVAL);
	EXPECT_ERRNO(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, BAD_PTR, 4), EFAULT);
	EXPECT_ERRNO(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, (socklen_t *)2),
		     EFAULT);
	close(fd);
}

static long socketcall(int call, unsigned long *args)
{
	return syscall(SYS_socketcall, call, args);
}

static void test_socketcall(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	unsigned long args[6] = { AF_NETLINK, SOCK_RAW,
				  NETLINK_KOBJECT_UEVENT };
	socklen_t len = sizeof(a);
	char buf[16];
	long fd;

	fd = socketcall(SYS_SOCKET, args);
	ktap_ok(fd >= 0, "socketcall(SYS_SOCKET)");
	args[0] = fd;
	args[1] = (unsigned long)&a;
	args[2] = sizeof(a);
	EXPECT_SUCCESS(socketcall(SYS_BIND, args));
	args[2] = (unsigned long)&len;
	a.nl_pid = 0;
	ktap_ok(socketcall(SYS_GETSOCKNAME, args) == 0 &&
			a.nl_pid == (unsigned int)getpid(),
		"socketcall(SYS_GETSOCKNAME) gives the bound port");
	args[1] = (unsigned long)buf;
	args[2] = sizeof(buf);
	args[3] = MSG_DONTWAIT;
	args[4] = args[5] = 0;
	EXPECT_ERRNO(socketcall(SYS_RECVFROM, args), EAGAIN);
	EXPECT_ERRNO(socketcall(0, args), EINVAL);
	EXPECT_ERRNO(socketcall(99, args), EINVAL);
	EXPECT_ERRNO(socketcall(SYS_SOCKET, BAD_PTR), EFAULT);
	EXPECT_SUCCESS(close((int)fd));
}

/* sendmmsg() of two messages to the kernel: how many went. */
static int send_two(int fd, struct sockaddr_nl *to)
{
	struct iovec iov[2] = { { "one", 3 }, { "three", 5 } };
	struct mmsghdr m[2];
	int i, n;

	memset(m, 0, sizeof(m));
	for (i = 0; i < 2; i++) {
		m[i].msg_hdr.msg_name = to;
		m[i].msg_hdr.msg_namelen = sizeof(*to);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	n = sendmmsg(fd, m, 2, 0);
	return n == 2 && m[0].msg_len == 3 && m[1].msg_len == 5 ? 2 : -1;
}

static void test_nonblock_poll(void)
{
	int fd = nl_socket(SOCK_NONBLOCK), blk = nl_socket(0);
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct pollfd pfd = { .fd = blk, .events = POLLIN };
	char buf[16];

	nl_bind(fd, 0, 0);
	EXPECT_ERRNO(recv(fd, buf, sizeof(buf), 0), EAGAIN);
	EXPECT_ERRNO(read(fd, buf, sizeof(buf)), EAGAIN);
	EXPECT_ERRNO(recv(blk, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	pfd.events = POLLOUT;
	ktap_ok(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT,
		"a netlink socket is writable");
	/* To the kernel (port 0): accepted and dropped. */
	EXPECT_EQ(sendto(fd, "hello", 5, 0, (struct sockaddr *)&k, sizeof(k)),
		  5);
	EXPECT_EQ(write(fd, "hi", 2), 2);
	EXPECT_ERRNO(sendto(fd, "x", 1, 0, (struct sockaddr *)&k, 4), EINVAL);
	ktap_ok(send_two(fd, &k) == 2, "sendmmsg sends both messages");
	EXPECT_ERRNO(recv(fd, buf, sizeof(buf), MSG_OOB), EOPNOTSUPP);
	close(fd);
	close(blk);
}

/* The calls netlink does not have, and the peer name. */
static void test_other_calls(void)
{
	struct sockaddr_nl peer = { .nl_family = AF_NETLINK, .nl_pid = 77 };
	socklen_t len = sizeof(peer);
	int fd = nl_socket(0);

	EXPECT_ERRNO(listen(fd, 5), EOPNOTSUPP);
	EXPECT_ERRNO(accept(fd, NULL, NULL), EOPNOTSUPP);
	EXPECT_ERRNO(accept4(fd, NULL, NULL, 0x12345), EINVAL);
	EXPECT_ERRNO(shutdown(fd, SHUT_RDWR), EOPNOTSUPP);
	EXPECT_ERRNO(ioctl(fd, 0x1234, 0), ENOTTY);
	EXPECT_SUCCESS(connect(fd, (struct sockaddr *)&peer, sizeof(peer)));
	memset(&peer, 0, sizeof(peer));
	ktap_ok(getpeername(fd, (struct sockaddr *)&peer, &len) == 0 &&
			len == sizeof(peer) && peer.nl_pid == 77,
		"getpeername gives the connect() address");
	close(fd);
}

/* recvmsg() with the sender's address and credentials. */
static ssize_t recv_event(int fd, char *buf, size_t size, int flags,
			  struct sockaddr_nl *from, struct ucred *cred,
			  int *msg_flags)
{
	char control[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = { .msg_name = from,
			      .msg_namelen = sizeof(*from),
			      .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control,
			      .msg_controllen = sizeof(control) };
	struct cmsghdr *cm;
	ssize_t n;

	memset(cred, 0xff, sizeof(*cred));
	n = recvmsg(fd, &msg, flags);
	*msg_flags = msg.msg_flags;
	for (cm = CMSG_FIRSTHDR(&msg); n >= 0 && cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS)
			memcpy(cred, CMSG_DATA(cm), sizeof(*cred));
	return n;
}

/* Write @action to the uevent file: 0 or -1. */
static int synth(const char *action)
{
	int fd = open(UEVENT_FILE, O_WRONLY);
	ssize_t n = fd < 0 ? -1 : write(fd, action, strlen(action));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(action) ? 0 : -1;
}

/* Does the event of @len bytes in @buf hold the variable @var? */
static bool has_var(const char *buf, ssize_t len, const char *var)
{
	ssize_t i;

	for (i = 0; i < len; i += strlen(buf + i) + 1)
		if (!strcmp(buf + i, var))
			return true;
	return false;
}

static unsigned long long seqnum_of(const char *buf, ssize_t len)
{
	ssize_t i;

	for (i = 0; i < len; i += strlen(buf + i) + 1)
		if (!strncmp(buf + i, "SEQNUM=", 7))
			return strtoull(buf + i + 7, NULL, 10);
	return 0;
}

/*
 * The next event about /dev/null with header @head ("add@..."), others
 * (the host's own devices) skipped. Its length, or -1.
 */
static ssize_t next_null_event(int fd, char *buf, const char *head,
			       struct sockaddr_nl *from, struct ucred *cred)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int flags;
	ssize_t n;

	while (poll(&pfd, 1, 2000) == 1) {
		n = recv_event(fd, buf, MSG_MAX, MSG_DONTWAIT, from, cred,
			       &flags);
		if (n > 0 && !strcmp(buf, head))
			return n;
		if (n < 0)
			return -1;
	}
	return -1;
}

/* A listener on group 1 with SO_PASSCRED. */
static int uevent_listener(void)
{
	int fd = nl_socket(0), one = 1;

	if (fd < 0 || nl_bind(fd, 0, 1) ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_uevent_format(int fd, char *buf)
{
	struct sockaddr_nl from;
	struct ucred cred;
	unsigned long long s1, s2;
	ssize_t n;

	EXPECT_SUCCESS(synth("add"));
	n = next_null_event(fd, buf, "add@" NULL_DEVPATH, &from, &cred);
	ktap_ok(n > 0, "the synthesised add arrives");
	ktap_ok(has_var(buf, n, "ACTION=add") &&
			has_var(buf, n, "DEVPATH=" NULL_DEVPATH) &&
			has_var(buf, n, "SUBSYSTEM=mem"),
		"ACTION, DEVPATH, SUBSYSTEM");
	ktap_ok(has_var(buf, n, "MAJOR=1") && has_var(buf, n, "MINOR=3") &&
			has_var(buf, n, "DEVNAME=null") &&
			has_var(buf, n, "DEVMODE=0666"),
		"MAJOR, MINOR, DEVNAME, DEVMODE");
	ktap_ok(has_var(buf, n, "SYNTH_UUID=0"), "SYNTH_UUID=0");
	ktap_ok(n > 0 && buf[n - 1] == '\0', "every variable ends with NUL");
	ktap_ok(from.nl_family == AF_NETLINK && from.nl_pid == 0 &&
			from.nl_groups == 1,
		"sent by the kernel (port 0) to group 1");
	ktap_ok(cred.pid == 0 && cred.uid == 0 && cred.gid == 0,
		"SCM_CREDENTIALS pid 0 uid 0 gid 0");
	s1 = seqnum_of(buf, n);
	EXPECT_SUCCESS(synth("change\n"));
	n = next_null_event(fd, buf, "change@" NULL_DEVPATH, &from, &cred);
	s2 = seqnum_of(buf, n);
	ktap_ok(s1 > 0 && s2 > s1, "SEQNUM increases (%llu, %llu)", s1, s2);
	EXPECT_ERRNO(synth("bogus"), EINVAL);
}

static void test_peek_trunc(int fd, char *buf)
{
	struct sockaddr_nl from;
	struct ucred cred;
	char small[16];
	int flags;
	ssize_t full, n;

	while (recv(fd, buf, MSG_MAX, MSG_DONTWAIT) > 0)
		; /* drain */
	EXPECT_SUCCESS(synth("change"));
	n = recv_event(fd, small, sizeof(small), MSG_PEEK, &from, &cred,
		       &flags);
	ktap_ok(n == sizeof(small) && (flags & MSG_TRUNC),
		"a short peek is cut and says MSG_TRUNC");
	full = recv(fd, small, sizeof(small), MSG_PEEK | MSG_TRUNC);
	ktap_ok(full > (ssize_t)sizeof(small),
		"MSG_TRUNC returns the real length (%zd)", full);
	n = recv(fd, buf, MSG_MAX, 0);
	ktap_ok(n == full && !strncmp(buf, "change@", 7),
		"the peeked message is still there");
}

/*
 * recvmsg() of the next /dev/null "change" with msg_control at @control,
 * which the kernel cannot write. The length, or -1; @controllen gets
 * what the kernel reported as written.
 */
static ssize_t recv_bad_control(int fd, char *buf, void *control,
				size_t *controllen)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct iovec iov = { .iov_base = buf, .iov_len = MSG_MAX };
	struct msghdr msg;
	ssize_t n;

	while (poll(&pfd, 1, 2000) == 1) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(sizeof(struct ucred));
		n = recvmsg(fd, &msg, MSG_DONTWAIT);
		*controllen = msg.msg_controllen;
		if (n < 0 || !strcmp(buf, "change@" NULL_DEVPATH))
			return n;
	}
	return -1;
}

/*
 * Regression: SCM_CREDENTIALS that cannot be written (msg_control on a
 * read-only, then an unmapped page) must not lose the message. Linux
 * drops the credentials and returns the data; nothing is reported as
 * written to the control buffer.
 */
static void test_control_fault(int fd, char *buf)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * (size_t)page, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t controllen;
	ssize_t n;

	if (map == MAP_FAILED || munmap(map + page, (size_t)page)) {
		ktap_skip("control fault", "mmap: %s", strerror(errno));
		ktap_skip("control fault", "mmap: %s", strerror(errno));
		return;
	}
	while (recv(fd, buf, MSG_MAX, MSG_DONTWAIT) > 0)
		; /* drain */
	synth("change");
	n = recv_bad_control(fd, buf, map, &controllen);
	ktap_ok(n > 0 && controllen == 0,
		"read-only msg_control: the message, no credentials (%zd)", n);
	synth("change");
	n = recv_bad_control(fd, buf, map + page, &controllen);
	ktap_ok(n > 0 && controllen == 0,
		"unmapped msg_control: the message, no credentials (%zd)", n);
	munmap(map, (size_t)page);
}

/* A listener that does not read loses events, is told once, recovers. */
static void test_enobufs(char *buf)
{
	int fd = uevent_listener(), small = 1, i, got = 0;
	unsigned long long first = 0, last = 0, s;
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	for (i = 0; i < FLOOD; i++)
		synth("change");
	EXPECT_ERRNO(recv(fd, buf, MSG_MAX, MSG_DONTWAIT), ENOBUFS);
	while ((n = recv(fd, buf, MSG_MAX, MSG_DONTWAIT)) > 0) {
		s = seqnum_of(buf, n);
		if (!first)
			first = s;
		last = s;
		got++;
	}
	ktap_ok(got > 0 && got < FLOOD, "some events kept (%d of %d)", got,
		FLOOD);
	EXPECT_SUCCESS(synth("change"));
	n = next_null_event(fd, buf, "change@" NULL_DEVPATH,
			    &(struct sockaddr_nl){ 0 }, &(struct ucred){ 0 });
	s = seqnum_of(buf, n);
	ktap_ok(n > 0 && s > last && s - first + 1 > (unsigned long long)got,
		"receiving resumes; the SEQNUM gap shows the loss");
	close(fd);
}

/* The test runner mounts only /proc: mount /sys where it is bare. */
static void mount_sys(void)
{
	struct statfs sfs;

	if (statfs("/sys", &sfs) == 0 && sfs.f_type == SYSFS_MAGIC)
		return;
	mkdir("/sys", 0755);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
		ktap_diag("mount sysfs: %s", strerror(errno));
}

#define UEVENT_CASES 22

static void test_uevents(void)
{
	char *buf = malloc(MSG_MAX);
	int fd, i;

	mount_sys();
	if (access(UEVENT_FILE, W_OK) || !buf) {
		for (i = 0; i < UEVENT_CASES; i++)
			ktap_skip("uevent", "no writable %s", UEVENT_FILE);
		free(buf);
		return;
	}
	fd = uevent_listener();
	ktap_ok(fd >= 0, "a listener joins group 1 without privileges");
	test_uevent_format(fd, buf);
	test_peek_trunc(fd, buf);
	test_control_fault(fd, buf);
	close(fd);
	test_enobufs(buf);
	free(buf);
}

int main(void)
{
	ktap_plan(92);
	test_socket_args();
	test_bind_names();
	test_not_socket();
	test_options();
	test_socketcall();
	test_nonblock_poll();
	test_other_calls();
	test_uevents();
	return ktap_exit();
}
