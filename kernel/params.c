/*
 * The kernel command line: split into words, each "name=value" or a
 * bare "name", and hand each to the handler registered for its name in
 * the .init.setup section (see <kestrel/init.h>). Quotes group a value
 * with spaces ("name=\"a b\""). Parameters no handler knows are
 * reported once, in the late pass; later the init process will receive
 * them, as Linux passes them on.
 */
#include <kestrel/errno.h>
#include <kestrel/init.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include <kestrel/types.h>

char boot_command_line[COMMAND_LINE_SIZE];

extern const struct kernel_param __setup_start[], __setup_end[];

/*
 * Cut the next word out of *@cursor (which is modified in place): skip
 * spaces, honour double quotes, NUL-terminate. Returns NULL at the end.
 */
static char *next_word(char **cursor)
{
	char *p = *cursor, *word, *out;
	bool quoted = false;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return NULL;
	word = out = p;
	for (; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n'))
			break;
		*out++ = *p;
	}
	*cursor = *p ? p + 1 : p;
	*out = '\0';
	return word;
}

/* Run the handlers for @name; returns whether any was registered. */
static bool run_param(const char *name, char *value, int early)
{
	const struct kernel_param *kp;
	bool known = false;

	for (kp = __setup_start; kp < __setup_end; kp++) {
		if (strcmp(kp->name, name))
			continue;
		known = true;
		if (kp->early != early)
			continue;
		if (kp->setup(value))
			pr_warn("Malformed kernel parameter: %s%s%s\n", name,
				value ? "=" : "", value ? value : "");
	}
	return known;
}

void parse_params(const char *cmdline, int early)
{
	static char scratch[COMMAND_LINE_SIZE];
	char *cursor = scratch, *word, *value;

	strlcpy(scratch, cmdline, sizeof(scratch));
	while ((word = next_word(&cursor)) != NULL) {
		value = strchr(word, '=');
		if (value)
			*value++ = '\0';
		if (!run_param(word, value, early) && !early)
			pr_notice("Unknown kernel command line parameter: %s\n",
				  word);
	}
}
