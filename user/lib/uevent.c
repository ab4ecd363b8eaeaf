/*
 * The uevent message parser of user/lib/uevent.h.
 */
#include <string.h>

#include "uevent.h"

const char *uevent_var(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key);
	size_t off = strnlen(buf, len) + 1; /* skip "ACTION@DEVPATH" */

	while (off < len) {
		const char *var = buf + off;

		if (!strncmp(var, key, klen) && var[klen] == '=')
			return var + klen + 1;
		off += strnlen(var, len - off) + 1;
	}
	return NULL;
}
