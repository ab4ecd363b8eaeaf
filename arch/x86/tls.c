/*
 * TLS segments (set_thread_area, get_thread_area, CLONE_SETTLS): glibc
 * keeps each thread's thread pointer in %gs, which selects one of three
 * per-task GDT entries (6-8, as in Linux). A task's entries live in
 * thread.tls_array and are copied into the GDT when it is switched in
 * (arch/x86/process.c).
 *
 * The user describes a segment with struct user_desc (Linux's
 * asm/ldt.h layout); it is validated here and turned into a descriptor
 * of DPL 3 that can never describe a system or ring-0 segment.
 */
#include <asm/desc.h>
#include <asm/segment.h>
#include <kestrel/errno.h>
#include <kestrel/sched.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/tls.h>
#include <kestrel/uaccess.h>

struct user_desc {
	unsigned int entry_number;
	unsigned int base_addr;
	unsigned int limit;
	unsigned int seg_32bit : 1;
	unsigned int contents : 2;
	unsigned int read_exec_only : 1;
	unsigned int limit_in_pages : 1;
	unsigned int seg_not_present : 1;
	unsigned int useable : 1;
};
_Static_assert(sizeof(struct user_desc) == 16, "i386 struct user_desc");

#define CONTENTS_CODE_CONFORMING 3 /* never allowed */
#define DESC_TYPE_WRITE 0x2
#define DESC_FLAG_AVL 0x10

static bool desc_empty(const struct user_desc *u)
{
	return !u->base_addr && !u->limit && !u->contents &&
	       u->read_exec_only && !u->seg_32bit && !u->limit_in_pages &&
	       u->seg_not_present && !u->useable;
}

static void fill_desc(struct desc_struct *d, const struct user_desc *u)
{
	memset(d, 0, sizeof(*d));
	if (desc_empty(u))
		return;
	d->access = (u->seg_not_present ? 0 : DESC_PRESENT) | DESC_DPL(3) |
		    DESC_CODE_DATA | (u->contents << 2) |
		    (u->read_exec_only ? 0 : DESC_TYPE_WRITE);
	d->flags_limit1 = (u->limit_in_pages ? DESC_FLAG_4K : 0) |
			  (u->seg_32bit ? DESC_FLAG_32 : 0) |
			  (u->useable ? DESC_FLAG_AVL : 0);
	set_desc_base_limit(d, u->base_addr, u->limit);
}

static bool slot_free(const struct desc_struct *d)
{
	return !d->access && !d->flags_limit1 && !d->base0 && !d->base1 &&
	       !d->base2 && !d->limit0;
}

int tls_set_from_user(struct task *p, void __user *u_info, int *idx_out)
{
	struct user_desc u;
	int idx, i;

	if (copy_from_user(&u, u_info, sizeof(u)))
		return -EFAULT;
	if (u.contents == CONTENTS_CODE_CONFORMING && !desc_empty(&u))
		return -EINVAL;
	idx = (int)u.entry_number;
	if (idx == -1) {
		for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
			if (slot_free(&p->thread.tls_array[i]))
				break;
		if (i == GDT_ENTRY_TLS_ENTRIES)
			return -ESRCH;
		idx = GDT_ENTRY_TLS_MIN + i;
	}
	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	fill_desc(&p->thread.tls_array[idx - GDT_ENTRY_TLS_MIN], &u);
	if (p == current)
		memcpy(&gdt_table[GDT_ENTRY_TLS_MIN], p->thread.tls_array,
		       sizeof(p->thread.tls_array));
	if (idx_out)
		*idx_out = idx;
	return 0;
}

SYSCALL_DEFINE1(set_thread_area, struct user_desc __user *, u_info)
{
	int idx, err = tls_set_from_user(current, u_info, &idx);

	if (err)
		return err;
	return put_user((unsigned int)idx, &u_info->entry_number) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(get_thread_area, struct user_desc __user *, u_info)
{
	const struct desc_struct *d;
	struct user_desc u;
	unsigned int idx;

	if (get_user(idx, &u_info->entry_number))
		return -EFAULT;
	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	d = &current->thread.tls_array[idx - GDT_ENTRY_TLS_MIN];
	memset(&u, 0, sizeof(u));
	u.entry_number = idx;
	u.base_addr = d->base0 | (d->base1 << 16) | ((u32)d->base2 << 24);
	u.limit = d->limit0 | ((d->flags_limit1 & 0x0f) << 16);
	u.seg_32bit = !!(d->flags_limit1 & DESC_FLAG_32);
	u.contents = (d->access >> 2) & 3;
	u.read_exec_only = !(d->access & DESC_TYPE_WRITE);
	u.limit_in_pages = !!(d->flags_limit1 & DESC_FLAG_4K);
	u.seg_not_present = !(d->access & DESC_PRESENT);
	u.useable = !!(d->flags_limit1 & DESC_FLAG_AVL);
	return copy_to_user(u_info, &u, sizeof(u)) ? -EFAULT : 0;
}
