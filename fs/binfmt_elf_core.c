/*
 * The ELF core file (Linux's elf_core_dump in fs/binfmt_elf.c), for the
 * process that is dumping itself (fs/coredump.c decides whether and
 * where). An ET_CORE ELF32 file, laid out as Linux lays it out, so that
 * gdb, readelf and eu-stack read it:
 *
 *	offset 0            ELF header (e_type ET_CORE, e_machine EM_386)
 *	                    program headers: one PT_NOTE, then one PT_LOAD
 *	                    per VMA, in address order
 *	PT_NOTE's offset    the notes, each "CORE" but NT_PRXFPREG ("LINUX"):
 *	                      NT_PRSTATUS  signal, ids, times, registers
 *	                      NT_PRPSINFO  state, ids, comm, command line
 *	                      NT_SIGINFO   the siginfo_t that killed it
 *	                      NT_PRXFPREG  the FXSAVE area (with FXSR)
 *	page-aligned        each VMA's pages, in the PT_LOAD order
 *
 * A PT_LOAD's p_filesz is the VMA's full length (0 for MADV_DONTDUMP
 * mappings, as Linux): its pages are at their
 * offset whether written or not, and a page never touched (or mapped to
 * the zero page) is a hole that reads as zeros and takes no space
 * (copy_dump_page, Linux's get_dump_page). Only the dumping thread's
 * registers are written (Linux writes an NT_PRSTATUS per thread; the
 * others are being killed here and their registers are not at hand).
 *
 * The VMAs are copied under mmap_lock first (Linux's dump_vma_snapshot),
 * so that no lock is held while the file is written.
 */
#include <asm/elf.h>
#include <asm/fpu.h>
#include <asm/page.h>
#include <kestrel/coredump.h>
#include <kestrel/cputime.h>
#include <kestrel/errno.h>
#include <kestrel/mm_types.h>
#include <kestrel/mman.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/time.h>
#include <kestrel/time64.h>
#include <kestrel/uaccess.h>
#include <uapi/elf.h>

#define NOTE_ALIGN 4
/* A note's name and description are each padded to 4 bytes. */
#define NOTE_PAD(n) (((n) + NOTE_ALIGN - 1) & ~(size_t)(NOTE_ALIGN - 1))
#define NOTE_NAME_CORE "CORE"
#define NOTE_NAME_LINUX "LINUX"
#define ELF_MAX_SEGMENTS 0xfffe /* below PN_XNUM: no extended numbering */
#define UID16_OVERFLOW 65534 /* an id that does not fit 16 bits */
#define UID16_MAX 0xffffU
#define PRPSINFO_STATE_NAMES "RSDTZW"

struct core_vma {
	unsigned long start, end, flags;
};

/* Everything the notes say, gathered before anything is written. */
struct core_notes {
	struct elf_prstatus prstatus;
	struct elf_prpsinfo psinfo;
	siginfo_t siginfo;
	struct fpu_state fxsave;
	bool has_fxsave;
	size_t size; /* all the notes, headers and padding included */
};

/* ---- the VMAs ---------------------------------------------------------- */

/* Copy @mm's VMAs. Returns their number, or -ENOMEM/-E2BIG. */
static int snapshot_vmas(struct mm_struct *mm, struct core_vma **out)
{
	struct vm_area_struct *vma;
	struct core_vma *v;
	int n = 0;

	mutex_lock(&mm->mmap_lock);
	if (mm->map_count > ELF_MAX_SEGMENTS) {
		mutex_unlock(&mm->mmap_lock);
		return -E2BIG;
	}
	v = kmalloc_array(mm->map_count ? mm->map_count : 1, sizeof(*v),
			  GFP_KERNEL);
	if (!v) {
		mutex_unlock(&mm->mmap_lock);
		return -ENOMEM;
	}
	list_for_each_entry(vma, &mm->mmap_list, vm_list) {
		v[n].start = vma->vm_start;
		v[n].end = vma->vm_end;
		v[n].flags = vma->vm_flags;
		n++;
	}
	mutex_unlock(&mm->mmap_lock);
	*out = v;
	return n;
}

/*
 * The bytes of @v that go into the file: all of it, or none for a
 * mapping marked MADV_DONTDUMP (its PT_LOAD stays, with p_filesz 0, as
 * Linux's vma_dump_size() leaves it).
 */
static unsigned long vma_dump_size(const struct core_vma *v)
{
	return v->flags & VM_DONTDUMP ? 0 : v->end - v->start;
}

static u32 vma_elf_flags(unsigned long vm_flags)
{
	return (vm_flags & VM_READ ? PF_R : 0) |
	       (vm_flags & VM_WRITE ? PF_W : 0) |
	       (vm_flags & VM_EXEC ? PF_X : 0);
}

/* ---- the notes --------------------------------------------------------- */

static size_t note_size(const char *name, size_t descsz)
{
	return sizeof(Elf32_Nhdr) + NOTE_PAD(strlen(name) + 1) +
	       NOTE_PAD(descsz);
}

static bool write_note(struct coredump_params *cprm, const char *name, u32 type,
		       const void *desc, size_t descsz)
{
	static const char pad[NOTE_ALIGN];
	size_t namesz = strlen(name) + 1;
	Elf32_Nhdr nhdr = {
		.n_namesz = namesz,
		.n_descsz = descsz,
		.n_type = type,
	};

	return dump_emit(cprm, &nhdr, sizeof(nhdr)) &&
	       dump_emit(cprm, name, namesz) &&
	       dump_emit(cprm, pad, NOTE_PAD(namesz) - namesz) &&
	       dump_emit(cprm, desc, descsz) &&
	       dump_emit(cprm, pad, NOTE_PAD(descsz) - descsz);
}

/* A 32-bit id in the 16-bit field of elf_prpsinfo (Linux's high2lowuid). */
static u16 id16(u32 id)
{
	return id > UID16_MAX ? UID16_OVERFLOW : (u16)id;
}

/* The parent's pid, the group and the session. */
static void fill_ids(struct task *t, s32 *ppid, s32 *pgrp, s32 *sid)
{
	spin_lock(&tasklist_lock);
	*ppid = t->group_leader->real_parent->tgid;
	*pgrp = t->signal->pgrp;
	*sid = t->signal->session;
	spin_unlock(&tasklist_lock);
}

static void fill_prstatus(struct elf_prstatus *prs, const siginfo_t *info)
{
	struct task *t = current;
	u64 utime, stime;

	memset(prs, 0, sizeof(*prs));
	prs->pr_info.si_signo = info->si_signo;
	prs->pr_info.si_code = info->si_code;
	prs->pr_info.si_errno = info->si_errno;
	prs->pr_cursig = info->si_signo;
	prs->pr_sigpend = t->pending.signal.sig[0];
	prs->pr_sighold = t->blocked.sig[0];
	prs->pr_pid = t->pid;
	fill_ids(t, &prs->pr_ppid, &prs->pr_pgrp, &prs->pr_sid);
	/* The leader speaks for the process, as in Linux. */
	if (t == t->group_leader)
		thread_group_cputime(t, &utime, &stime);
	else
		task_cputime(t, &utime, &stime);
	prs->pr_utime = ns_to_timeval(utime);
	prs->pr_stime = ns_to_timeval(stime);
	prs->pr_cutime = ns_to_timeval(t->signal->cutime);
	prs->pr_cstime = ns_to_timeval(t->signal->cstime);
	elf_core_copy_regs(prs->pr_reg, current_pt_regs());
}

static void fill_psinfo(struct elf_prpsinfo *psi, struct mm_struct *mm)
{
	struct task *t = current;
	const struct cred *cred = current_cred();
	unsigned long len = mm->arg_end - mm->arg_start;
	unsigned long i;

	memset(psi, 0, sizeof(*psi));
	psi->pr_state = 0; /* running: it is dumping */
	psi->pr_sname = PRPSINFO_STATE_NAMES[0];
	psi->pr_nice = (char)task_nice(t);
	psi->pr_flag = t->flags;
	psi->pr_uid = id16(cred->uid);
	psi->pr_gid = id16(cred->gid);
	psi->pr_pid = t->tgid;
	fill_ids(t, &psi->pr_ppid, &psi->pr_pgrp, &psi->pr_sid);
	memcpy(psi->pr_fname, t->comm, sizeof(psi->pr_fname));
	/* The command line, arguments separated by spaces. */
	if (len >= ELF_PRARGSZ)
		len = ELF_PRARGSZ - 1;
	if (copy_from_user(psi->pr_psargs, (const char __user *)mm->arg_start,
			   len))
		len = 0;
	for (i = 0; i < len; i++)
		if (!psi->pr_psargs[i])
			psi->pr_psargs[i] = ' ';
	psi->pr_psargs[len] = '\0';
}

static void fill_notes(struct core_notes *notes, const siginfo_t *info,
		       struct mm_struct *mm)
{
	fill_prstatus(&notes->prstatus, info);
	fill_psinfo(&notes->psinfo, mm);
	notes->siginfo = *info;
	notes->has_fxsave = fpu_copy_fxsave(current, &notes->fxsave);
	notes->size = note_size(NOTE_NAME_CORE, sizeof(notes->prstatus)) +
		      note_size(NOTE_NAME_CORE, sizeof(notes->psinfo)) +
		      note_size(NOTE_NAME_CORE, sizeof(notes->siginfo));
	if (notes->has_fxsave)
		notes->size +=
			note_size(NOTE_NAME_LINUX, sizeof(notes->fxsave.regs));
}

static bool write_notes(struct coredump_params *cprm,
			const struct core_notes *notes)
{
	if (!write_note(cprm, NOTE_NAME_CORE, NT_PRSTATUS, &notes->prstatus,
			sizeof(notes->prstatus)) ||
	    !write_note(cprm, NOTE_NAME_CORE, NT_PRPSINFO, &notes->psinfo,
			sizeof(notes->psinfo)) ||
	    !write_note(cprm, NOTE_NAME_CORE, NT_SIGINFO, &notes->siginfo,
			sizeof(notes->siginfo)))
		return false;
	return !notes->has_fxsave ||
	       write_note(cprm, NOTE_NAME_LINUX, NT_PRXFPREG,
			  notes->fxsave.regs, sizeof(notes->fxsave.regs));
}

/* ---- the headers ------------------------------------------------------- */

static void fill_elf_header(Elf32_Ehdr *ehdr, unsigned int phnum)
{
	memset(ehdr, 0, sizeof(*ehdr));
	memcpy(ehdr->e_ident, ELFMAG, SELFMAG);
	ehdr->e_ident[EI_CLASS] = ELFCLASS32;
	ehdr->e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr->e_ident[EI_VERSION] = EV_CURRENT;
	ehdr->e_ident[EI_OSABI] = ELFOSABI_NONE;
	ehdr->e_type = ET_CORE;
	ehdr->e_machine = EM_386;
	ehdr->e_version = EV_CURRENT;
	ehdr->e_phoff = sizeof(*ehdr);
	ehdr->e_ehsize = sizeof(*ehdr);
	ehdr->e_phentsize = sizeof(Elf32_Phdr);
	ehdr->e_phnum = phnum;
}

/* The ELF header and all program headers; the data starts at @dataoff. */
static bool write_headers(struct coredump_params *cprm,
			  const struct core_vma *vmas, int nvmas,
			  size_t notes_off, size_t notes_size, loff_t dataoff)
{
	Elf32_Ehdr ehdr;
	Elf32_Phdr phdr;
	loff_t off = dataoff;
	int i;

	fill_elf_header(&ehdr, nvmas + 1);
	if (!dump_emit(cprm, &ehdr, sizeof(ehdr)))
		return false;
	memset(&phdr, 0, sizeof(phdr));
	phdr.p_type = PT_NOTE;
	phdr.p_offset = notes_off;
	phdr.p_filesz = notes_size;
	phdr.p_align = NOTE_ALIGN;
	if (!dump_emit(cprm, &phdr, sizeof(phdr)))
		return false;
	for (i = 0; i < nvmas; i++) {
		phdr.p_type = PT_LOAD;
		phdr.p_offset = off;
		phdr.p_vaddr = vmas[i].start;
		phdr.p_filesz = vma_dump_size(&vmas[i]);
		phdr.p_memsz = vmas[i].end - vmas[i].start;
		phdr.p_flags = vma_elf_flags(vmas[i].flags);
		phdr.p_align = PAGE_SIZE;
		off += phdr.p_filesz;
		if (!dump_emit(cprm, &phdr, sizeof(phdr)))
			return false;
	}
	return true;
}

/* ---- the memory -------------------------------------------------------- */

/* Every page of [@start, @end): its bytes, or a hole. */
static bool dump_range(struct coredump_params *cprm, struct mm_struct *mm,
		       unsigned long start, unsigned long end, void *page)
{
	unsigned long addr;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (copy_dump_page(mm, addr, page) == 1) {
			if (!dump_emit(cprm, page, PAGE_SIZE))
				return false;
		} else {
			dump_skip(cprm, PAGE_SIZE);
		}
	}
	return true;
}

bool elf_core_dump(struct coredump_params *cprm)
{
	struct mm_struct *mm = current->mm;
	struct core_notes *notes;
	struct core_vma *vmas;
	size_t notes_off;
	loff_t dataoff;
	void *page;
	int nvmas, i;
	bool has_dumped = false;

	nvmas = snapshot_vmas(mm, &vmas);
	if (nvmas < 0)
		return false;
	notes = kmalloc(sizeof(*notes), GFP_KERNEL);
	page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!notes || !page)
		goto out_free;
	fill_notes(notes, cprm->siginfo, mm);
	/* From here on it is a core dump, however much of it fits. */
	has_dumped = true;
	notes_off = sizeof(Elf32_Ehdr) + (nvmas + 1) * sizeof(Elf32_Phdr);
	dataoff = PAGE_ALIGN(notes_off + notes->size);
	if (!write_headers(cprm, vmas, nvmas, notes_off, notes->size,
			   dataoff) ||
	    !write_notes(cprm, notes))
		goto out_free;
	dump_skip_to(cprm, dataoff);
	for (i = 0; i < nvmas; i++)
		if (!dump_range(cprm, mm, vmas[i].start,
				vmas[i].start + vma_dump_size(&vmas[i]), page))
			break;
out_free:
	kfree(page);
	kfree(notes);
	kfree(vmas);
	return has_dumped;
}
