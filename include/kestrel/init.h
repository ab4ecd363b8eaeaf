/*
 * Kernel command-line parameters.
 *
 * A subsystem declares a parameter where it is used:
 *
 *	static int set_loglevel(char *value) { ... return 0; }
 *	early_param("loglevel", set_loglevel);
 *
 * early_param() handlers run first thing in start_kernel(), before the
 * consoles and memory exist (they may only record values); __setup()
 * handlers run once the kernel is up. A handler gets the text after
 * "name=" (NULL for a bare "name") and returns 0, or -EINVAL to have
 * the parameter reported as malformed.
 */
#ifndef _KESTREL_INIT_H
#define _KESTREL_INIT_H

#include <kestrel/compiler.h>

#define COMMAND_LINE_SIZE 2048

struct kernel_param {
	const char *name;
	int (*setup)(char *value);
	int early;
};

#define __define_param(pname, fn, is_early)                             \
	static const struct kernel_param __param_##fn __used __section( \
		".init.setup") __aligned(4) = {                         \
		.name = pname,                                          \
		.setup = fn,                                            \
		.early = is_early,                                      \
	}

#define early_param(name, fn) __define_param(name, fn, 1)
#define __setup(name, fn) __define_param(name, fn, 0)

/* The command line as the boot loader passed it. */
extern char boot_command_line[COMMAND_LINE_SIZE];

/* Run the early (@early = 1) or the late handlers over the command line. */
void parse_params(const char *cmdline, int early);

#endif /* _KESTREL_INIT_H */
