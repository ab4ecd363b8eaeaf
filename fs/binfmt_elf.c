/*
 * The ELF loader for static i386 programs: ET_EXEC, and static-PIE
 * ET_DYN loaded at ELF_ET_DYN_BASE. A program that asks for an
 * interpreter (PT_INTERP: dynamic linking) is refused with ENOEXEC.
 *
 * Everything the file says is checked before it is believed: the magic,
 * machine and version, the program-header size and count, that the
 * headers and every segment's bytes lie inside the file, that segments
 * fit below TASK_SIZE without wrapping, that file and memory offsets
 * agree modulo the page size, that the entry point is in a segment.
 * The new address space is built aside (bprm->mm); a failure at any
 * step throws it away and leaves the caller's program untouched.
 *
 * Segments are mapped from the file, as Linux's elf_map(): the part of
 * a segment the file holds is a private file mapping (its pages come
 * from the page cache when first touched, shared by every process that
 * runs the program, and are copied only when written: .data); the rest,
 * .bss, is anonymous memory, and the tail of the last file page, which
 * holds whatever follows the segment in the file, is zeroed (a write,
 * so that one page becomes private). Nothing is read at exec time but
 * the headers. A file that cannot be mapped (no ->mmap) is copied in
 * instead. docs/filemap.md, "Exec".
 */
#include <kestrel/binfmts.h>
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/mm_types.h>
#include <kestrel/mman.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <uapi/elf.h>

#define ELF_ET_DYN_BASE 0x08000000UL /* where static-PIE programs go */
#define ELF_MAX_PHNUM (65536 / sizeof(Elf32_Phdr))
#define ELF_COPY_CHUNK (64 * 1024)

struct elf_image {
	Elf32_Ehdr ehdr;
	Elf32_Phdr *phdrs;
	unsigned long load_bias;
	unsigned long lo, hi; /* the span of the PT_LOAD segments */
};

static int elf_check_header(const struct linux_binprm *bprm, Elf32_Ehdr *ehdr)
{
	if (bprm->buf_len < sizeof(*ehdr))
		return -ENOEXEC;
	memcpy(ehdr, bprm->buf, sizeof(*ehdr));
	if (memcmp(ehdr->e_ident, ELFMAG, SELFMAG))
		return -ENOEXEC;
	if (ehdr->e_type != ET_EXEC && ehdr->e_type != ET_DYN)
		return -ENOEXEC;
	if (ehdr->e_machine != EM_386)
		return -ENOEXEC;
	if (ehdr->e_phentsize != sizeof(Elf32_Phdr))
		return -ENOEXEC;
	if (ehdr->e_phnum < 1 || ehdr->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	return 0;
}

/* Read the program headers; they must be entirely inside the file. */
static int elf_read_phdrs(struct linux_binprm *bprm, struct elf_image *img)
{
	size_t size = img->ehdr.e_phnum * sizeof(Elf32_Phdr);
	loff_t pos = img->ehdr.e_phoff;
	ssize_t n;

	img->phdrs = kmalloc(size, GFP_KERNEL);
	if (!img->phdrs)
		return -ENOMEM;
	n = kernel_read(bprm->file, img->phdrs, size, &pos);
	if (n < 0)
		return (int)n;
	return (size_t)n == size ? 0 : -ENOEXEC;
}

/* One PT_LOAD segment: inside the file, below TASK_SIZE, aligned. */
static int elf_check_segment(const Elf32_Phdr *ph, loff_t file_size,
			     unsigned long bias)
{
	u64 end = (u64)ph->p_vaddr + bias + ph->p_memsz;

	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;
	if ((u64)ph->p_offset + ph->p_filesz > (u64)file_size)
		return -ENOEXEC;
	if (end > TASK_SIZE || ph->p_vaddr + bias < PAGE_SIZE)
		return -ENOMEM;
	if ((ph->p_vaddr - ph->p_offset) % PAGE_SIZE)
		return -EINVAL;
	return 0;
}

static int elf_check_segments(struct linux_binprm *bprm, struct elf_image *img)
{
	loff_t size = i_size_read(file_inode(bprm->file));
	unsigned int i;
	bool any = false;
	int err;

	img->lo = ~0UL;
	img->hi = 0;
	for (i = 0; i < img->ehdr.e_phnum; i++) {
		const Elf32_Phdr *ph = &img->phdrs[i];

		if (ph->p_type == PT_INTERP)
			return -ENOEXEC; /* dynamic programs: not yet */
		if (ph->p_type != PT_LOAD)
			continue;
		err = elf_check_segment(ph, size, img->load_bias);
		if (err)
			return err;
		any = true;
		if (ph->p_vaddr + img->load_bias < img->lo)
			img->lo = ph->p_vaddr + img->load_bias;
		if (ph->p_vaddr + img->load_bias + ph->p_memsz > img->hi)
			img->hi = ph->p_vaddr + img->load_bias + ph->p_memsz;
	}
	if (!any)
		return -ENOEXEC;
	if (img->ehdr.e_entry + img->load_bias < img->lo ||
	    img->ehdr.e_entry + img->load_bias >= img->hi)
		return -ENOEXEC;
	return 0;
}

static unsigned long elf_vm_flags(const Elf32_Phdr *ph)
{
	unsigned long flags = 0;

	if (ph->p_flags & PF_R)
		flags |= VM_READ;
	if (ph->p_flags & PF_W)
		flags |= VM_WRITE;
	if (ph->p_flags & PF_X)
		flags |= VM_EXEC;
	return flags;
}

/*
 * Map one PT_LOAD segment from the file: [start, file_end) from the file
 * (p_offset and p_vaddr agree modulo the page size: checked), then
 * [file_end, mem_end) anonymous. The partial page is zeroed later, when
 * every segment is in place (elf_zero_tail()).
 */
static int elf_map_segment(struct linux_binprm *bprm, struct mm_struct *mm,
			   const Elf32_Phdr *ph, unsigned long bias)
{
	unsigned long addr = ph->p_vaddr + bias, start = addr & PAGE_MASK;
	unsigned long file_end = PAGE_ALIGN(addr + ph->p_filesz);
	unsigned long mem_end = PAGE_ALIGN(addr + ph->p_memsz);
	unsigned long pgoff = (ph->p_offset - (addr - start)) >> PAGE_SHIFT;
	int err = 0;

	if (!ph->p_filesz)
		file_end = start;
	else
		err = vm_map_file(mm, start, file_end - start, elf_vm_flags(ph),
				  bprm->file, pgoff);
	if (!err && mem_end > file_end)
		err = vm_map_anon(mm, file_end, mem_end - file_end,
				  elf_vm_flags(ph));
	return err;
}

/* Zero the rest of a segment's last file page: it belongs to .bss. */
static int elf_zero_tail(struct mm_struct *mm, const Elf32_Phdr *ph,
			 unsigned long bias)
{
	unsigned long end = ph->p_vaddr + bias + ph->p_filesz;
	size_t n = PAGE_ALIGN(end) - end;

	if (ph->p_memsz > ph->p_filesz && ph->p_filesz && n)
		return clear_in_mm(mm, end, n);
	return 0;
}

/* Map every PT_LOAD segment from the file; -ENODEV if it has no mmap. */
static int elf_map_from_file(struct linux_binprm *bprm, struct elf_image *img)
{
	unsigned int i;
	int err = 0;

	if (!bprm->file->f_op->mmap)
		return -ENODEV;
	for (i = 0; i < img->ehdr.e_phnum && !err; i++)
		if (img->phdrs[i].p_type == PT_LOAD && img->phdrs[i].p_memsz)
			err = elf_map_segment(bprm, bprm->mm, &img->phdrs[i],
					      img->load_bias);
	for (i = 0; i < img->ehdr.e_phnum && !err; i++)
		if (img->phdrs[i].p_type == PT_LOAD)
			err = elf_zero_tail(bprm->mm, &img->phdrs[i],
					    img->load_bias);
	return err;
}

/* Copy a segment's file bytes into the new address space. */
static int elf_copy_segment(struct linux_binprm *bprm, struct mm_struct *mm,
			    const Elf32_Phdr *ph, unsigned long bias, void *buf)
{
	unsigned long addr = ph->p_vaddr + bias;
	loff_t pos = ph->p_offset;
	size_t left = ph->p_filesz, n;
	ssize_t got;
	int err;

	while (left) {
		n = left < ELF_COPY_CHUNK ? left : ELF_COPY_CHUNK;
		got = kernel_read(bprm->file, buf, n, &pos);
		if (got < 0)
			return (int)got;
		if ((size_t)got != n)
			return -EIO; /* the file shrank under us */
		err = copy_to_mm(mm, addr, buf, n);
		if (err)
			return err;
		addr += n;
		left -= n;
	}
	/* The rest of the last file page belongs to .bss: zero it. */
	n = PAGE_ALIGN(addr) - addr;
	if (ph->p_memsz > ph->p_filesz && n)
		return clear_in_mm(mm, addr, n);
	return 0;
}

/* The copying loader, for a file that cannot be mapped. */
static int elf_copy_segments(struct linux_binprm *bprm, struct elf_image *img)
{
	struct mm_struct *mm = bprm->mm;
	unsigned long start, end, bias = img->load_bias;
	unsigned int i;
	void *buf;
	int err = 0;

	/* Map every segment first: a later one may share a page. */
	for (i = 0; i < img->ehdr.e_phnum && !err; i++) {
		const Elf32_Phdr *ph = &img->phdrs[i];

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		start = (ph->p_vaddr + bias) & PAGE_MASK;
		end = PAGE_ALIGN(ph->p_vaddr + bias + ph->p_memsz);
		err = vm_map_anon(mm, start, end - start, elf_vm_flags(ph));
	}
	if (err)
		return err;
	buf = kmalloc(ELF_COPY_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < img->ehdr.e_phnum && !err; i++)
		if (img->phdrs[i].p_type == PT_LOAD)
			err = elf_copy_segment(bprm, mm, &img->phdrs[i], bias,
					       buf);
	kfree(buf);
	return err;
}

static int elf_map_segments(struct linux_binprm *bprm, struct elf_image *img)
{
	int err = elf_map_from_file(bprm, img);

	return err == -ENODEV ? elf_copy_segments(bprm, img) : err;
}

/* Record where text, data and the heap are; and AT_PHDR. */
static void elf_set_layout(struct linux_binprm *bprm, struct elf_image *img)
{
	struct mm_struct *mm = bprm->mm;
	unsigned long bias = img->load_bias;
	unsigned int i;

	mm->start_code = mm->start_data = ~0UL;
	mm->end_code = mm->end_data = 0;
	bprm->phdr_addr = 0;
	for (i = 0; i < img->ehdr.e_phnum; i++) {
		const Elf32_Phdr *ph = &img->phdrs[i];
		unsigned long s = ph->p_vaddr + bias;

		if (ph->p_type == PT_PHDR)
			bprm->phdr_addr = s;
		if (ph->p_type != PT_LOAD)
			continue;
		if (!bprm->phdr_addr && ph->p_offset <= img->ehdr.e_phoff &&
		    img->ehdr.e_phoff < ph->p_offset + ph->p_filesz)
			bprm->phdr_addr = s + img->ehdr.e_phoff - ph->p_offset;
		if (ph->p_flags & PF_X) {
			if (s < mm->start_code)
				mm->start_code = s;
			if (s + ph->p_filesz > mm->end_code)
				mm->end_code = s + ph->p_filesz;
		} else {
			if (s < mm->start_data)
				mm->start_data = s;
			if (s + ph->p_filesz > mm->end_data)
				mm->end_data = s + ph->p_filesz;
		}
	}
	mm->start_brk = mm->brk = PAGE_ALIGN(img->hi);
	bprm->entry = img->ehdr.e_entry + bias;
	bprm->phnum = img->ehdr.e_phnum;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	struct elf_image img = { .phdrs = NULL };
	int err;

	err = elf_check_header(bprm, &img.ehdr);
	if (err)
		return err;
	err = elf_read_phdrs(bprm, &img);
	if (err)
		goto out_free_phdrs;
	if (img.ehdr.e_type == ET_DYN)
		img.load_bias = ELF_ET_DYN_BASE;
	err = elf_check_segments(bprm, &img);
	if (err)
		goto out_free_phdrs;
	err = elf_map_segments(bprm, &img);
	if (!err)
		elf_set_layout(bprm, &img);
out_free_phdrs:
	kfree(img.phdrs);
	return err;
}
