/*
 * What the kernel tells user space at boot:
 *
 *  - init's arguments and environment, read from /proc/1/cmdline and
 *    /proc/1/environ, against the command line (/proc/cmdline). The
 *    harness boots with words only init can take: "kt_env=1" must be in
 *    init's environment, "kt_arg" in its arguments, "kt.mod=1" (a
 *    module's parameter) in neither, "HOME=/root" in place of the
 *    default HOME=/, and every word after "--" an argument; argv[0] is
 *    /init, TERM=linux is set, console= (the kernel's) is in neither.
 *    Without kt_ words on the command line these cases SKIP;
 *  - its identity: uname(2) and /proc/version (sysname "Linux", a Linux
 *    release number, the release changed by kernel.osrelease and by the
 *    uname_release= boot parameter).
 *
 * Passes on Linux, where kernel.osrelease is read-only and uname_release=
 * is not a parameter: those cases SKIP there.
 */
#include "fileio.h"
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
#define INIT_PATH "/init"
#define TEST_PREFIX "kt_" /* words the harness gives init */
#define MODULE_PREFIX "kt." /* a module's parameter: init never sees it */
#define MAX_WORDS 64
#define PLAN 15

struct words {
	char text[BUF_SIZE];
	const char *w[MAX_WORDS + 1]; /* NULL-terminated */
	int n;
};

static char buf[BUF_SIZE];

/*
 * Split the contents of @path into @out: at NULs (@sep '\0': cmdline,
 * environ) or at blanks (@sep ' '). Returns the number of words, or -1.
 */
static int read_words(const char *path, char sep, struct words *out)
{
	long len = read_text(path, buf, BUF_SIZE), i;
	bool in_word = false;

	out->n = 0;
	if (len < 0)
		return -1;
	memcpy(out->text, buf, len + 1);
	for (i = 0; i < len && out->n < MAX_WORDS; i++) {
		char *c = &out->text[i];

		if (*c == sep || (sep == ' ' && *c == '\n'))
			*c = '\0';
		else if (!in_word)
			out->w[out->n++] = c;
		in_word = *c != '\0';
	}
	out->w[out->n] = NULL;
	return out->n;
}

static bool has_word(const struct words *ws, const char *word)
{
	int i;

	for (i = 0; i < ws->n; i++)
		if (!strcmp(ws->w[i], word))
			return true;
	return false;
}

/* How many entries of the environment @env set variable @name. */
static int count_var(const struct words *env, const char *name)
{
	size_t len = strlen(name);
	int i, n = 0;

	for (i = 0; i < env->n; i++)
		if (!strncmp(env->w[i], name, len) && env->w[i][len] == '=')
			n++;
	return n;
}

/*
 * What init's argv must be after argv[0]: the bare kt_ words before
 * "--" and every word after it, in order.
 */
static void expected_args(const struct words *cmd, struct words *args)
{
	bool after_dashes = false;
	int i;

	args->n = 0;
	for (i = 0; i < cmd->n && args->n < MAX_WORDS; i++) {
		const char *w = cmd->w[i];

		if (!after_dashes && !strcmp(w, "--")) {
			after_dashes = true;
			continue;
		}
		if (after_dashes ||
		    (!strncmp(w, TEST_PREFIX, strlen(TEST_PREFIX)) &&
		     !strchr(w, '=')))
			args->w[args->n++] = w;
	}
	args->w[args->n] = NULL;
}

static bool same_args(const struct words *argv, const struct words *want)
{
	int i;

	if (argv->n != want->n + 1 || strcmp(argv->w[0], INIT_PATH))
		return false;
	for (i = 0; i < want->n; i++)
		if (strcmp(argv->w[i + 1], want->w[i]))
			return false;
	return true;
}

/* A module's parameter "kt.x[=v]" must be in neither vector. */
static bool module_param_dropped(const char *w, const struct words *argv,
				 const struct words *env)
{
	char name[MAX_WORDS];

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(w, "="), w);
	return !count_var(env, name) && !has_word(argv, w);
}

/* The kt_ and kt. words of the kernel's part of the command line. */
static void check_env_words(const struct words *cmd, const struct words *argv,
			    const struct words *env)
{
	bool env_ok = true, mod_ok = true;
	int i;

	for (i = 0; i < cmd->n && strcmp(cmd->w[i], "--"); i++) {
		const char *w = cmd->w[i];

		if (!strncmp(w, TEST_PREFIX, strlen(TEST_PREFIX)) &&
		    strchr(w, '=') && !has_word(env, w)) {
			ktap_diag("%s missing from init's environment", w);
			env_ok = false;
		}
		if (!strncmp(w, MODULE_PREFIX, strlen(MODULE_PREFIX)) &&
		    !module_param_dropped(w, argv, env)) {
			ktap_diag("module parameter %s reached init", w);
			mod_ok = false;
		}
	}
	ktap_ok(env_ok, "name=value words are init's environment");
	ktap_ok(mod_ok, "module parameters (a.b=c) are not passed");
}

static void test_init_params(void)
{
	static struct words cmd, argv, env, want;
	int i;

	if (read_words("/proc/cmdline", ' ', &cmd) < 0 ||
	    !strstr(buf, TEST_PREFIX) || getppid() != 1 ||
	    read_words("/proc/1/cmdline", '\0', &argv) < 1 ||
	    read_words("/proc/1/environ", '\0', &env) < 0) {
		for (i = 0; i < 8; i++)
			ktap_skip("init_params",
				  "no %s words, or not init's child",
				  TEST_PREFIX);
		return;
	}
	expected_args(&cmd, &want);
	if (!ktap_ok(same_args(&argv, &want),
		     "argv is /init, the bare words, the words after --")) {
		for (i = 0; i < argv.n; i++)
			ktap_diag("argv[%d] = %s", i, argv.w[i]);
	}
	ktap_ok(!strcmp(argv.w[0], INIT_PATH), "argv[0] is the init path (%s)",
		argv.w[0]);
	check_env_words(&cmd, &argv, &env);
	ktap_ok(has_word(&env, "TERM=linux"), "TERM=linux by default");
	if (has_word(&cmd, "HOME=/root"))
		ktap_ok(has_word(&env, "HOME=/root") &&
				count_var(&env, "HOME") == 1,
			"HOME=/root replaces the default HOME=/");
	else
		ktap_ok(has_word(&env, "HOME=/"), "HOME=/ by default");
	ktap_ok(!count_var(&env, "console") && !has_word(&argv, "console"),
		"the kernel's console= is not passed");
	ktap_ok(!has_word(&argv, "--"), "the -- itself is not passed");
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

	if (read_text("/proc/cmdline", buf, BUF_SIZE) < 0)
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
	read_text("/proc/sys/kernel/ostype", buf, BUF_SIZE);
	ktap_ok(!strncmp(buf, "Linux\n", 6), "kernel.ostype is Linux");
	snprintf(head, sizeof(head), "Linux version %s ", u->release);
	read_text("/proc/version", buf, BUF_SIZE);
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

	read_text(OSRELEASE, buf, BUF_SIZE);
	ktap_ok(!strncmp(buf, u->release, strlen(u->release)) &&
			buf[strlen(u->release)] == '\n',
		"kernel.osrelease = uname release (%s)", u->release);
	if (stat(OSRELEASE, &st) < 0 || !(st.st_mode & S_IWUSR) ||
	    geteuid() != 0) {
		ktap_skip("osrelease_write_changes_uname",
			  "kernel.osrelease is read-only here");
		return;
	}
	if (write_text(OSRELEASE, TEST_RELEASE "\n") < 0 || uname(&now) < 0) {
		ktap_ok(false, "osrelease_write_changes_uname");
		return;
	}
	ktap_ok(!strcmp(now.release, TEST_RELEASE),
		"osrelease_write_changes_uname (%s)", now.release);
	write_text(OSRELEASE, u->release);
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
	test_init_params();
	test_identity(&u);
	test_osrelease(&u);
	test_uname_release(&u);
	return ktap_exit();
}
