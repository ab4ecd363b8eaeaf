/*
 * Kernel command-line parameters and initcalls.
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
 *
 * A subsystem or driver that starts itself at boot declares its init
 * function where it is written, instead of being named in
 * start_kernel():
 *
 *	static int edu_init(void) { ... return 0; }
 *	device_initcall(edu_init);
 *
 * do_initcalls() runs them level by level in PID 1 once devtmpfs exists,
 * in Linux's order: core, postcore, arch, subsys, fs, device, late.
 * Within a level they run in link order (the Kbuild.mk lists). A
 * failure is logged with the function's name and the boot goes on.
 */
#ifndef _KESTREL_INIT_H
#define _KESTREL_INIT_H

#include <kestrel/compiler.h>

#define COMMAND_LINE_SIZE 2048

/* The two passes over the command line (see parse_params()). */
enum param_pass { PARAM_LATE, PARAM_EARLY };

struct kernel_param {
	const char *name;
	int (*setup)(char *value);
	enum param_pass pass;
};

#define __define_param(pname, fn, ppass)                                \
	static const struct kernel_param __param_##fn __used __section( \
		".init.setup") __aligned(4) = {                         \
		.name = pname,                                          \
		.setup = fn,                                            \
		.pass = ppass,                                          \
	}

#define early_param(name, fn) __define_param(name, fn, PARAM_EARLY)
#define __setup(name, fn) __define_param(name, fn, PARAM_LATE)

/* The command line as the boot loader passed it. */
extern char boot_command_line[COMMAND_LINE_SIZE];

/*
 * Run the early (PARAM_EARLY) or the late (PARAM_LATE) handlers over the
 * command line. The late pass also collects the words no handler takes
 * (and those after "--") into init's argument and environment vectors.
 */
void parse_params(const char *cmdline, enum param_pass pass);

/* init's argv (argv_init[0] is set to the program's path before exec)
 * and envp, NULL-terminated: filled by the late parse_params(). */
extern const char *argv_init[];
extern const char *envp_init[];

typedef int (*initcall_t)(void);

#define __define_initcall(fn, level)                                     \
	static const initcall_t __initcall_##fn##level __used __section( \
		".initcall" #level ".init") __aligned(4) = fn

#define core_initcall(fn) __define_initcall(fn, 1)
#define postcore_initcall(fn) __define_initcall(fn, 2) /* buses */
#define arch_initcall(fn) __define_initcall(fn, 3)
#define subsys_initcall(fn) __define_initcall(fn, 4) /* PCI, classes */
#define fs_initcall(fn) __define_initcall(fn, 5)
#define device_initcall(fn) __define_initcall(fn, 6) /* drivers */
#define late_initcall(fn) __define_initcall(fn, 7)

/* Run every level's initcalls, in order. Boot, once. */
void do_initcalls(void);

#endif /* _KESTREL_INIT_H */
