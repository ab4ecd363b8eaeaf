/*
 * The kernel command line: split into words, each "name=value" or a
 * bare "name", and hand each to the handler registered for its name in
 * the .init.setup section (see <kestrel/init.h>). Quotes group a value
 * with spaces ("name=\"a b\""). A bare "--" ends the kernel's part.
 *
 * What the kernel does not know is init's, as Linux passes it
 * (init/main.c, unknown_bootoption and set_init_arg):
 *
 *	word                      goes to
 *	name=value (no '.')       init's environment; replaces an entry of
 *	                          the same name (HOME=/root)
 *	name (no '.')             init's arguments, after argv[0]
 *	mod.name[=value]          nowhere: a module's parameter
 *	anything after "--"       init's arguments, as written
 *
 * init starts with argv { path, NULL } and envp { "HOME=/",
 * "TERM=linux", NULL }; each vector takes 32 words more (Linux's
 * limit), and the rest is reported and dropped (Linux panics). The
 * unknown words are reported in one line in the late pass, as Linux
 * does. kernel_init() puts the init program's path in argv_init[0].
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
static bool run_param(const char *name, char *value, enum param_pass pass)
{
	const struct kernel_param *kp;
	bool known = false;

	for (kp = __setup_start; kp < __setup_end; kp++) {
		if (strcmp(kp->name, name))
			continue;
		known = true;
		if (kp->pass != pass)
			continue;
		if (kp->setup(value))
			pr_warn("Malformed kernel parameter: %s%s%s\n", name,
				value ? "=" : "", value ? value : "");
	}
	return known;
}

/* Linux's CONFIG_INIT_ENV_ARG_LIMIT: words of each kind for init. */
#define MAX_INIT_ARGS 32
#define MAX_INIT_ENVS 32
/* argv[0] or the two default variables, the words, the NULL. */
#define INIT_ARGV_SLOTS (1 + MAX_INIT_ARGS + 1)
#define INIT_ENVP_SLOTS (2 + MAX_INIT_ENVS + 1)

const char *argv_init[INIT_ARGV_SLOTS] = { "init", NULL };
const char *envp_init[INIT_ENVP_SLOTS] = { "HOME=/", "TERM=linux", NULL };

/* The words passed on, for the one-line report; late pass only. */
static char unknown_words[COMMAND_LINE_SIZE];

static void note_unknown(const char *word)
{
	if (unknown_words[0])
		strlcat(unknown_words, " ", sizeof(unknown_words));
	strlcat(unknown_words, word, sizeof(unknown_words));
}

/*
 * Put @word in the NULL-terminated vector @vec of @slots entries: in
 * place of the entry whose first @match_len bytes are the same (when
 * @match_len is not 0), else at the end. Returns false if it is full.
 */
static bool add_init_word(const char **vec, size_t slots, const char *word,
			  size_t match_len)
{
	size_t i;

	for (i = 0; vec[i]; i++)
		if (match_len && !strncmp(word, vec[i], match_len))
			break;
	if (!vec[i]) {
		if (i + 1 >= slots)
			return false;
		vec[i + 1] = NULL;
	}
	vec[i] = word;
	return true;
}

static void add_init_arg(const char *word)
{
	if (!add_init_word(argv_init, INIT_ARGV_SLOTS, word, 0))
		pr_warn("Too many boot init args; dropping '%s'\n", word);
}

/* "name=value": replaces the variable @name_len bytes long, if set. */
static void add_init_env(const char *word, size_t name_len)
{
	if (!add_init_word(envp_init, INIT_ENVP_SLOTS, word, name_len + 1))
		pr_warn("Too many boot env vars; dropping '%s'\n", word);
}

/*
 * A word no handler took (late pass): init's, unless it names a
 * module's parameter. @value is what followed '=' (NULL if none); the
 * '=' is put back.
 */
static void unknown_param(char *word, char *value)
{
	size_t name_len = strlen(word);

	if (memchr(word, '.', name_len))
		return;
	if (value)
		value[-1] = '=';
	note_unknown(word);
	if (value)
		add_init_env(word, name_len);
	else
		add_init_arg(word);
}

void parse_params(const char *cmdline, enum param_pass pass)
{
	static char scratch[COMMAND_LINE_SIZE];
	char *cursor = scratch, *word, *value;

	strlcpy(scratch, cmdline, sizeof(scratch));
	while ((word = next_word(&cursor)) != NULL) {
		if (!strcmp(word, "--"))
			break;
		value = strchr(word, '=');
		if (value)
			*value++ = '\0';
		if (!run_param(word, value, pass) && pass == PARAM_LATE)
			unknown_param(word, value);
	}
	if (pass == PARAM_EARLY)
		return;
	if (unknown_words[0])
		pr_notice("Unknown kernel command line parameters \"%s\", "
			  "will be passed to user space.\n",
			  unknown_words);
	while ((word = next_word(&cursor)) != NULL)
		add_init_arg(word);
}
