/*
 * What the kernel tells user space about itself: the identity uname(2)
 * and /proc/version give (sysname "Linux", a Linux release number, the
 * release changed by kernel.osrelease and by the uname_release= boot
 * parameter). Passes on Linux, where kernel.osrelease is read-only and
 * uname_release= is not a parameter: those cases SKIP there.
 */
#include "ktap.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define BUF_SIZE 4096
#define OSRELEASE "/proc/sys/kernel/osrelease"
#define RELEASE_PARAM "uname_release="
#define TEST_RELEASE "9.8.7-t_boot"
#define MIN_LINUX_MAJOR 2 /* what glibc and busybox compare against */
#define PLAN 7

static char buf[BUF_SIZE];

/* The contents of @path (up to BUF_SIZE - 1 bytes) in buf; -1 on error. */
static long read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	long total = 0, n;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + total, BUF_SIZE - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return n < 0 ? -1 : total;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (long)strlen(text) ? 0 : -1;
}

/* Is this Kestrel? Its name is in the version, as a distribution's is. */
static bool on_kestrel(const struct utsname *u)
{
	return strstr(u->version, "Kestrel") != NULL;
}

/* The value of the word "@param..." of /proc/cmdline into @out, or false. */
static bool cmdline_value(const char *param, char *out, size_t size)
{
	const char *p;

	if (read_file("/proc/cmdline") < 0)
		return false;
	for (p = buf; (p = strstr(p, param)) != NULL; p++) {
		if (p != buf && p[-1] != ' ')
			continue;
		p += strlen(param);
		snprintf(out, size, "%.*s", (int)strcspn(p, " \n"), p);
		return true;
	}
	return false;
}

static void test_identity(const struct utsname *u)
{
	unsigned int major, minor;
	char head[2 * sizeof(u->release)];

	ktap_ok(!strcmp(u->sysname, "Linux"), "sysname is Linux (%s)",
		u->sysname);
	ktap_ok(sscanf(u->release, "%u.%u", &major, &minor) == 2 &&
			major >= MIN_LINUX_MAJOR,
		"release is a Linux version (%s)", u->release);
	read_file("/proc/sys/kernel/ostype");
	ktap_ok(!strncmp(buf, "Linux\n", 6), "kernel.ostype is Linux");
	snprintf(head, sizeof(head), "Linux version %s ", u->release);
	read_file("/proc/version");
	if (!ktap_ok(!strncmp(buf, head, strlen(head)) &&
			     strstr(buf, u->version),
		     "/proc/version names the release and the version"))
		ktap_diag("/proc/version: %s", buf);
}

/* kernel.osrelease: where it is writable (Kestrel), uname follows it. */
static void test_osrelease(const struct utsname *u)
{
	struct stat st;
	struct utsname now;

	read_file(OSRELEASE);
	ktap_ok(!strncmp(buf, u->release, strlen(u->release)) &&
			buf[strlen(u->release)] == '\n',
		"kernel.osrelease = uname release (%s)", u->release);
	if (stat(OSRELEASE, &st) < 0 || !(st.st_mode & S_IWUSR) ||
	    geteuid() != 0) {
		ktap_skip("osrelease_write_changes_uname",
			  "kernel.osrelease is read-only here");
		return;
	}
	if (write_file(OSRELEASE, TEST_RELEASE "\n") < 0 || uname(&now) < 0) {
		ktap_ok(false, "osrelease_write_changes_uname");
		return;
	}
	ktap_ok(!strcmp(now.release, TEST_RELEASE),
		"osrelease_write_changes_uname (%s)", now.release);
	write_file(OSRELEASE, u->release);
}

/* uname_release=R on the command line: Kestrel reports R. */
static void test_uname_release(const struct utsname *u)
{
	char want[sizeof(u->release)];

	if (!cmdline_value(RELEASE_PARAM, want, sizeof(want))) {
		ktap_skip("uname_release_param", "no %s on the command line",
			  RELEASE_PARAM);
		return;
	}
	if (!on_kestrel(u)) {
		ktap_skip("uname_release_param", "a Kestrel parameter");
		return;
	}
	ktap_ok(!strcmp(u->release, want), "uname_release_param (%s = %s)",
		u->release, want);
}

int main(void)
{
	struct utsname u;

	ktap_plan(PLAN);
	if (uname(&u) < 0) {
		ktap_diag("uname: %s", strerror(errno));
		return 1;
	}
	test_identity(&u);
	test_osrelease(&u);
	test_uname_release(&u);
	return ktap_exit();
}
