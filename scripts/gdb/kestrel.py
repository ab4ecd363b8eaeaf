"""gdb helpers for debugging Kestrel (loaded by scripts/qemu-debug).

Load them by hand with

    (gdb) source scripts/gdb/kestrel.py

and list them with `help user-defined`. Each helper is a gdb command whose
name starts with `kx-` and reads the kernel's data structures through the
symbols in build/kestrel.elf, the way Linux's scripts/gdb (lx-dmesg,
lx-ps, ...) does:

    kx-dmesg [-r]    the kernel log (log_buf), oldest line first
    kx-buddyinfo     free blocks per order in each zone, as /proc/buddyinfo
    kx-device-tree [KSET]  the kobject hierarchy of a kset (devices_kset)
    kx-held-locks [PID]    the locks a task holds (debug builds: lockdep)
    kx-aio [PID]     a task's AIO contexts: rings, requests in flight
    kx-ata           the IDE channels: active command, queue, disks
    kx-disks         the disks: partitions, queues, requests waiting
    kx-pagecache [MAPPING]  the page cache: per file, or one mapping's pages
    kx-vmas [PID]    a task's VMAs: range, rights, file, offset, rss

Adding a helper (kx-ps, kx-slabinfo, ...):

 1. Write a subclass of KxCommand with a class attribute `name` (the
    command, e.g. "kx-ps") and a docstring (gdb shows it as the help text:
    first line short, then the details).
 2. Implement run(self, arg): `arg` is the rest of the command line as a
    string. Read kernel variables with symbol("name") (a gdb.Value, or a
    KxError explaining that the symbol is missing), walk lists with
    list_for_each_entry(), read raw bytes with read_bytes(), and print with
    gdb.write(). Raise KxError("...") for anything the user should be told;
    it becomes a gdb error message, without a Python traceback.
 3. Decorate the class with @register. That is all: the command exists as
    soon as this file is sourced again.

Keep the helpers tied to the kernel's real names (struct fields, globals)
and name those in the docstring, so a change on the C side is easy to
follow here. The helpers run with the guest stopped; they only read memory.
"""

import re

import gdb


class KxError(Exception):
    """Something a helper wants to tell the user, shown as a gdb error."""


COMMANDS = []


def register(cls):
    """Class decorator: create the gdb command for a KxCommand subclass."""
    cls()
    COMMANDS.append(cls.name)
    return cls


class KxCommand(gdb.Command):
    """Base class of the kx-* commands: see the module docstring."""

    name = None

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        try:
            self.run(arg)
        except KxError as err:
            raise gdb.GdbError("%s: %s" % (self.name, err))
        except gdb.MemoryError as err:
            raise gdb.GdbError(
                "%s: cannot read the kernel's memory (%s); is paging on "
                "yet? Try again after start_kernel is reached." %
                (self.name, err))

    def run(self, arg):
        raise NotImplementedError


# ---- access to the kernel's data ------------------------------------------

def symbol(name):
    """The value of the global variable `name`, or a KxError if the image
    has no such symbol (an older kernel, or the subsystem is not built)."""
    sym = gdb.lookup_global_symbol(name) or gdb.lookup_static_symbol(name)
    if sym is None:
        raise KxError(
            "symbol '%s' not found: is build/kestrel.elf loaded (gdb "
            "build/kestrel.elf), and does this kernel have it?" % name)
    return sym.value()


def array_length(value):
    """Number of elements of an array-typed gdb.Value."""
    lo, hi = value.type.strip_typedefs().range()
    return hi - lo + 1


def read_bytes(address, length):
    """`length` bytes of guest memory at virtual `address`, as bytes."""
    inferior = gdb.selected_inferior()
    return bytes(inferior.read_memory(int(address), int(length)))


def container_of(ptr, type_name, member):
    """The struct `type_name` containing the member `member` at `ptr`."""
    stype = gdb.lookup_type(type_name)
    offset = next(f.bitpos // 8 for f in stype.fields() if f.name == member)
    address = int(ptr) - offset
    return gdb.Value(address).cast(stype.pointer()).dereference()


def list_for_each_entry(head, type_name, member):
    """Iterate over the entries of a struct list_head list (<kestrel/list.h>)
    at `head` (a gdb.Value of type struct list_head), yielding each
    containing struct `type_name`."""
    first = head.address
    node = head["next"]
    while int(node) != int(first):
        if int(node) == 0:
            raise KxError("list at 0x%x is corrupt (NULL next)" % int(first))
        yield container_of(node, type_name, member)
        node = node["next"]


# ---- kx-dmesg -------------------------------------------------------------

LEVEL_MARKER = re.compile(r"^<[0-7c]>")


def log_lines(buf, end):
    """The lines of the printk ring `buf` (bytes) holding `end` bytes ever
    written, oldest first. When the ring has wrapped, the oldest line was
    partly overwritten and is dropped."""
    size = len(buf)
    if end <= size:
        text = buf[:end]
    else:
        start = end & (size - 1)
        text = buf[start:] + buf[:start]
        cut = text.find(b"\n")
        text = text[cut + 1:] if cut >= 0 else b""
    return text.decode("utf-8", "replace").splitlines()


@register
class KxDmesg(KxCommand):
    """Print the kernel log (printk's ring buffer), oldest line first.

Usage: kx-dmesg [-r]

Reads char log_buf[] and unsigned long log_end (kernel/printk.c): log_end
counts every byte ever written, and byte i is at log_buf[i & (LEN - 1)].
The level markers (<6>) are removed unless -r (raw) is given. Works from
the first printk on, also when the consoles are silent (quiet, loglevel=)."""

    name = "kx-dmesg"

    def run(self, arg):
        raw = arg.strip() == "-r"
        if arg.strip() not in ("", "-r"):
            raise KxError("usage: kx-dmesg [-r]")
        log_buf = symbol("log_buf")
        end = int(symbol("log_end"))
        size = array_length(log_buf)
        if size & (size - 1):
            raise KxError("log_buf has %d bytes, not a power of two" % size)
        buf = read_bytes(log_buf.address, size)
        for line in log_lines(buf, end):
            if not raw:
                line = LEVEL_MARKER.sub("", line)
            gdb.write(line + "\n")


# ---- kx-buddyinfo ---------------------------------------------------------

@register
class KxBuddyinfo(KxCommand):
    """Print the free blocks per order of each zone, as /proc/buddyinfo.

Usage: kx-buddyinfo

Reads struct zone node_zones[] (include/kestrel/mmzone.h): for each
populated zone (present_pages != 0), its name and free_area[order].nr_free
for order 0 .. MAX_ORDER - 1, in Linux's format:
    Node 0, zone   Normal    123     45 ...
The counts are read without the zone lock: a snapshot."""

    name = "kx-buddyinfo"

    def run(self, arg):
        if arg.strip():
            raise KxError("usage: kx-buddyinfo")
        zones = symbol("node_zones")
        for i in range(array_length(zones)):
            zone = zones[i]
            if int(zone["present_pages"]) == 0:
                continue
            line = "Node 0, zone %8s " % zone_name(zone, i)
            areas = zone["free_area"]
            for order in range(array_length(areas)):
                line += "%6lu " % int(areas[order]["nr_free"])
            gdb.write(line + "\n")


def zone_name(zone, index):
    """The zone's name string, or its index if the name is not set."""
    if int(zone["name"]) == 0:
        return "#%d" % index
    return zone["name"].string()


# ---- kx-device-tree -------------------------------------------------------

def kobject_label(kobj):
    """One line about a struct kobject: name, ktype release, refcount."""
    name = kobj["name"].string() if int(kobj["name"]) else "(no name)"
    release = "-"
    if int(kobj["ktype"]):
        func = kobj["ktype"]["release"]
        release = function_name(func) if int(func) else "NULL"
    refs = int(kobj["kref"]["refcount"]["counter"])
    return "%s  [%s] ref=%d" % (name, release, refs)


def function_name(func):
    """The symbol a function pointer points at, or its address."""
    block = gdb.block_for_pc(int(func))
    if block is not None and block.function is not None:
        return block.function.name
    return "0x%x" % int(func)


def build_tree(members, parent_of, top):
    """Children lists for a kobject tree. `members` are addresses (ints)
    of a kset's members, `parent_of(a)` gives a kobject's parent address
    (0 for none) and `top` the address of the kset's own kobject. Every
    ancestor of a member below `top` is a node too, even if it is not a
    member (Linux's glue directories: /sys/devices/virtual/mem). Returns
    (children: dict address -> sorted list of addresses, roots)."""
    children = {}
    nodes = set()
    for addr in members:
        while addr and addr != top and addr not in nodes:
            nodes.add(addr)
            parent = parent_of(addr)
            children.setdefault(parent, []).append(addr)
            addr = parent
    roots = [a for a in nodes if parent_of(a) not in nodes]
    return children, roots


def kset_value(name):
    """The struct kset a global names: `struct kset *` or `struct kset`."""
    value = symbol(name)
    if value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        if int(value) == 0:
            raise KxError("%s is NULL: not registered yet" % name)
        value = value.dereference()
    if str(value.type.strip_typedefs()) != "struct kset":
        raise KxError("%s is a %s, not a struct kset" % (name, value.type))
    return value


@register
class KxDeviceTree(KxCommand):
    """Print the kobject tree of a kset, indented: name, release, refs.

Usage: kx-device-tree [KSET]

KSET is a global struct kset * or struct kset (default devices_kset,
drivers/base/core.c; others: bus_kset, class_kset). Its members are the
struct kobject on kset->list (linked through kobject->entry); the tree is
built from each member's ->parent up to the kset's own kobject, which is
the root. Ancestors that are not members (glue directories) are shown
too, marked "(not a member)". Each line gives kobject->name, the symbol
of kobject->ktype->release and kobject->kref.refcount. Read without
kset->list_lock: a snapshot, with the guest stopped."""

    name = "kx-device-tree"

    def run(self, arg):
        args = arg.split()
        if len(args) > 1:
            raise KxError("usage: kx-device-tree [KSET]")
        kset = kset_value(args[0] if args else "devices_kset")
        top = kset["kobj"]
        kobj_ptr = gdb.lookup_type("struct kobject").pointer()
        objs = {}
        for kobj in list_for_each_entry(kset["list"], "struct kobject",
                                        "entry"):
            objs[int(kobj.address)] = kobj
        members = set(objs)

        def parent_of(addr):
            if addr not in objs:
                objs[addr] = gdb.Value(addr).cast(kobj_ptr).dereference()
            return int(objs[addr]["parent"])

        children, roots = build_tree(members, parent_of, int(top.address))
        gdb.write(kobject_label(top) + "\n")
        for root in sorted(roots, key=lambda a: self.name_of(objs[a])):
            self.show(root, 1, objs, children, members)
        gdb.write("%d members\n" % len(members))

    @staticmethod
    def name_of(kobj):
        return kobj["name"].string() if int(kobj["name"]) else ""

    def show(self, addr, depth, objs, children, members):
        kobj = objs[addr]
        mark = "" if addr in members else "  (not a member)"
        gdb.write("%s%s%s\n" % ("  " * depth, kobject_label(kobj), mark))
        kids = sorted(children.get(addr, []),
                      key=lambda a: self.name_of(objs[a]))
        for kid in kids:
            self.show(kid, depth + 1, objs, children, members)


# ---- kx-held-locks --------------------------------------------------------

def code_location(ip):
    """symbol+0xoff for a code address, as the kernel's backtraces print
    (from the ELF symbol table: an inlined function names its caller)."""
    out = gdb.execute("info symbol 0x%x" % int(ip), to_string=True)
    m = re.match(r"(\S+)(?: \+ (\d+))? in section", out)
    if not m:
        return "0x%x" % int(ip)
    return "%s+0x%x" % (m.group(1), int(m.group(2) or 0))


def find_task(pid):
    """The struct task with thread id `pid`, from task_list."""
    for task in list_for_each_entry(symbol("task_list"), "struct task",
                                    "tasks"):
        if int(task["pid"]) == pid:
            return task
    raise KxError("no task with pid %d" % pid)


@register
class KxHeldLocks(KxCommand):
    """Print the locks a task holds, innermost last (debug builds).

Usage: kx-held-locks [PID]

Without PID, the task running on the CPU (runqueue.curr). Reads the lock
validator's per-task stack, task->lockdep.held[0 .. depth - 1]
(include/kestrel/lockdep.h): for each lock, its class name (the init
site's text, e.g. "&mm->mmap_lock"), its subclass when not 0 (from
classes[], kernel/locking/lockdep.c), the context it was taken in, and
where it was taken. A release build (DEBUG=0) has no such stack."""

    name = "kx-held-locks"

    def run(self, arg):
        arg = arg.strip()
        if arg and not arg.isdigit():
            raise KxError("usage: kx-held-locks [PID]")
        task = find_task(int(arg)) if arg else \
            symbol("runqueue")["curr"].dereference()
        fields = [f.name for f in task.type.strip_typedefs().fields()]
        if "lockdep" not in fields or \
                not task["lockdep"].type.strip_typedefs().fields():
            raise KxError("this kernel has no lock validator (DEBUG=0)")
        ld = task["lockdep"]
        depth = int(ld["depth"])
        gdb.write("%d lock(s) held by %s/%d:\n" % (
            depth, task["comm"].string(), int(task["pid"])))
        classes = symbol("classes")
        for i in range(depth):
            held = ld["held"][i]
            name = held["map"]["name"].string()
            sub = int(classes[int(held["class_idx"])]["subclass"])
            ctx = ("", " softirq", " hardirq")[int(held["irq_context"])]
            gdb.write(" #%d: (%s%s)%s%s, at %s\n" % (
                i, name, "/%d" % sub if sub else "",
                " trylock" if int(held["trylock"]) else "", ctx,
                code_location(held["ip"])))


# ---- kx-aio ---------------------------------------------------------------

PAGE_OFFSET = 0xC0000000  # <asm/page.h>: all of low memory is mapped here


def page_address(page):
    """The kernel address of the frame `page` (a struct page *), as
    page_address() in <kestrel/mm.h>: its index in mem_map, in pages above
    PAGE_OFFSET."""
    size = gdb.lookup_type("struct page").sizeof
    pfn = (int(page) - int(symbol("mem_map"))) // size
    return PAGE_OFFSET + pfn * 4096


def aio_req_bytes(req):
    """The bytes of a request's segments (its kernel copy, req->iov)."""
    if int(req["iov"]) == 0:
        return 0
    return sum(int(req["iov"][i]["iov_len"])
               for i in range(int(req["nr_segs"])))


def task_and_mm(arg, usage):
    """The task named by the optional PID in `arg` (else the one running,
    runqueue.curr) and its mm; a KxError for a bad argument or a task
    without an address space."""
    arg = arg.strip()
    if arg and not arg.isdigit():
        raise KxError("usage: " + usage)
    task = find_task(int(arg)) if arg else \
        symbol("runqueue")["curr"].dereference()
    mm = task["mm"]
    if int(mm) == 0:
        raise KxError("%s/%d has no address space" % (
            task["comm"].string(), int(task["pid"])))
    return task, mm


@register
class KxAio(KxCommand):
    """Print the AIO contexts of a task's address space (fs/aio.c).

Usage: kx-aio [PID]

Without PID, the task running on the CPU (runqueue.curr). For each
struct kioctx on mm->ioctx_list: its id (the user address of the ring),
the slots asked for (max_reqs, counted in /proc/sys/fs/aio-nr) and the
ring's (nr_events), the ring's head (from the ring page) and the
kernel's tail, the requests in flight, and those completed but not yet
freed (done_reqs, freed by the next io_submit or io_getevents). Then one
line per request in flight (ctx->active_reqs): its iocb's user address,
its cookie (aio_data), the file position, the segments and their bytes,
and whether it signals an eventfd. Read without ctx->lock: a snapshot;
an O_DIRECT request stays listed until the disk's interrupt ends it."""

    name = "kx-aio"

    def run(self, arg):
        task, mm = task_and_mm(arg, "kx-aio [PID]")
        ctxs = list(list_for_each_entry(mm["ioctx_list"], "struct kioctx",
                                        "list"))
        gdb.write("%d AIO context(s) in %s/%d (aio-nr %d of %d)\n" % (
            len(ctxs), task["comm"].string(), int(task["pid"]),
            int(symbol("aio_nr")), int(symbol("aio_max_nr"))))
        ring_type = gdb.lookup_type("struct aio_ring").pointer()
        for ctx in ctxs:
            ring = gdb.Value(page_address(ctx["ring_pages"][0])).cast(
                ring_type)
            done = sum(1 for _ in list_for_each_entry(
                ctx["done_reqs"], "struct aio_kiocb", "list"))
            gdb.write(" 0x%08x: max_reqs %d, ring %d slots in %d page(s), "
                      "head %d tail %d, %d in flight, %d to free%s\n" % (
                          int(ctx["user_id"]), int(ctx["max_reqs"]),
                          int(ctx["nr_events"]), int(ctx["nr_pages"]),
                          int(ring["head"]), int(ctx["tail"]),
                          int(ctx["inflight"]), done,
                          " (dead)" if int(ctx["dead"]) else ""))
            for req in list_for_each_entry(ctx["active_reqs"],
                                           "struct aio_kiocb", "list"):
                gdb.write("   iocb 0x%08x data 0x%x: pos %d, %d segment(s), "
                          "%d bytes%s\n" % (
                              int(req["user_iocb"]), int(req["user_data"]),
                              int(req["ki"]["ki_pos"]), int(req["nr_segs"]),
                              aio_req_bytes(req),
                              ", eventfd" if int(req["eventfd"]) else ""))
# ---- kx-vmas --------------------------------------------------------------

def dentry_path(dentry):
    """The names from the root of its file system down to `dentry` (a
    struct dentry *), d_parent after d_parent, as /proc's d_path without
    the mount tree."""
    parts = []
    for _ in range(64):
        parent = dentry["d_parent"]
        if int(parent) == int(dentry) or int(parent) == 0:
            break
        parts.append(dentry["d_name"]["name"].string())
        dentry = parent
    return "/" + "/".join(reversed(parts))


def vm_flags_text(flags):
    """rwxs/p as /proc/<pid>/maps prints them (VM_MAYSHARE for s)."""
    return "%s%s%s%s" % ("r" if flags & 0x1 else "-",
                         "w" if flags & 0x2 else "-",
                         "x" if flags & 0x4 else "-",
                         "s" if flags & 0x80 else "p")


@register
class KxVmas(KxCommand):
    """Print the VMAs of a task's address space (mm/mmap.c).

Usage: kx-vmas [PID]

Without PID, the task running on the CPU (runqueue.curr). One line per
struct vm_area_struct on mm->mmap_list, in address order: the range, the
rights as /proc/<pid>/maps prints them, vm_flags in hex, and for a file
mapping (vm_file) the file page at vm_start (vm_pgoff), the inode number
and the path within its file system (d_parent names, docs/filemap.md).
Then the mm's rss counters (rss_stat: file, anon, shmem pages) and
map_count. Read without mmap_lock: stop the guest where nothing changes
the map."""

    name = "kx-vmas"

    def run(self, arg):
        task, mm = task_and_mm(arg, "kx-vmas [PID]")
        gdb.write("%s/%d: %d VMA(s)\n" % (task["comm"].string(),
                                         int(task["pid"]),
                                         int(mm["map_count"])))
        for vma in list_for_each_entry(mm["mmap_list"],
                                       "struct vm_area_struct", "vm_list"):
            flags = int(vma["vm_flags"])
            line = " %08x-%08x %s %08x" % (int(vma["vm_start"]),
                                           int(vma["vm_end"]),
                                           vm_flags_text(flags), flags)
            file = vma["vm_file"]
            if int(file):
                line += " pgoff %d ino %d %s" % (
                    int(vma["vm_pgoff"]), int(file["f_inode"]["i_ino"]),
                    dentry_path(file["f_path"]["dentry"]))
            gdb.write(line + "\n")
        rss = mm["rss_stat"]
        gdb.write(" rss: file %d anon %d shmem %d pages\n" % (
            int(rss[0]), int(rss[1]), int(rss[2])))


# ---- kx-ata ---------------------------------------------------------------

ATA_OPS = ["read", "write", "flush", "identify", "set-xfer"]


def ata_cmd_line(cmd):
    """One struct ata_cmd (include/kestrel/ata.h) as a line of text."""
    op = int(cmd["op"])
    return ("%s dev %d lba %d nsect %d cmd 0x%02x %s try %d sect_done %d" %
            (ATA_OPS[op] if op < len(ATA_OPS) else str(op),
             int(cmd["dev"]["devno"]), int(cmd["lba"]), int(cmd["nsect"]),
             int(cmd["tf_cmd"]), "dma" if cmd["dma"] else "pio",
             int(cmd["tries"]), int(cmd["sect_done"])))


@register
class KxAta(KxCommand):
    """Print the IDE channels: ports, active command, queue, disks.

Usage: kx-ata

Reads struct ata_port *ata_ports[2] (drivers/ata/libata-core.c): for each
channel its ports and IRQ, ap->active (the command on the wire: op, LBA,
count, the ATA command byte, DMA or PIO, tries, PIO sectors moved), the
commands waiting on ap->queue, and ap->device[] (model, capacity, PIO or
DMA). Read without ap->lock: a snapshot. A channel shows only while the
driver is bound."""

    name = "kx-ata"

    def run(self, arg):
        if arg.strip():
            raise KxError("usage: kx-ata")
        ports = symbol("ata_ports")
        for i in range(array_length(ports)):
            ap = ports[i]
            if int(ap) == 0:
                gdb.write("ata%d: not bound\n" % (i + 1))
                continue
            ap = ap.dereference()
            gdb.write("ata%d: cmd 0x%x ctl 0x%x bmdma 0x%x irq %d%s\n" %
                      (i + 1, int(ap["cmd_base"]), int(ap["ctl_base"]),
                       int(ap["bmdma_base"]), int(ap["irq"]),
                       " (dead)" if ap["dead"] else ""))
            active = ap["active"]
            gdb.write("  active: %s\n" % (
                ata_cmd_line(active.dereference()) if int(active) else "-"))
            for cmd in list_for_each_entry(ap["queue"], "struct ata_cmd",
                                           "node"):
                gdb.write("  queued: %s\n" % ata_cmd_line(cmd))
            for d in range(2):
                adev = ap["device"][d]
                if int(adev) == 0:
                    continue
                adev = adev.dereference()
                gdb.write("  ata%d.%02d: %s, %d sectors, %s\n" %
                          (i + 1, d, adev["model"].string(),
                           int(adev["n_sectors"]),
                           "pio" if adev["pio"] else "dma"))


# ---- kx-disks -------------------------------------------------------------

REQ_OPS = ["read", "write", "flush"]


def dev_numbers(devt):
    """A dev_t (<kestrel/fs.h>: major << 20 | minor) as "MAJ:MIN"."""
    return "%d:%d" % (int(devt) >> 20, int(devt) & 0xfffff)


def request_line(rq):
    """One struct request (include/kestrel/blkdev.h) as a line of text."""
    op = int(rq["cmd_flags"])
    bios, bio = 0, rq["bio"]
    while int(bio) and bios < 1000:
        bios += 1
        bio = bio["bi_next"]
    return ("%s sector %d, %d sectors, %d bios, %d segments" %
            (REQ_OPS[op] if op < len(REQ_OPS) else str(op),
             int(rq["__sector"]), int(rq["__data_len"]) >> 9, bios,
             int(rq["nr_segs"])))


@register
class KxDisks(KxCommand):
    """Print the disks: partitions, request queues, requests waiting.

Usage: kx-disks

Walks all_disks (block/genhd.c), the struct gendisks add_disk() made
live: for each its name, number and size, its partitions (gendisk->
parts[], start and length in sectors), its struct request_queue (the
requests in flight per direction, part0.bd_stats.in_flight[], counted
from queueing; the dispatch loop's state; where the C-LOOK sweep is,
head_pos) and each request still waiting on q->queue_head (op, sector,
length, bios merged into it). Read without the locks: a snapshot."""

    name = "kx-disks"

    def run(self, arg):
        if arg.strip():
            raise KxError("usage: kx-disks")
        head = symbol("all_disks")
        for disk in list_for_each_entry(head, "struct gendisk", "list"):
            part0 = disk["part0"]
            gdb.write("%s %s: %d sectors\n" %
                      (disk["disk_name"].string(),
                       dev_numbers(part0["bd_dev"]),
                       int(part0["bd_nr_sectors"])))
            for n in range(1, int(disk["minors"])):
                part = disk["parts"][n]
                if int(part) == 0:
                    continue
                gdb.write("  part %d: start %d, %d sectors\n" %
                          (n, int(part["bd_start_sect"]),
                           int(part["bd_nr_sectors"])))
            q = disk["queue"].dereference()
            st = part0["bd_stats"]
            gdb.write("  queue: in flight %d read %d write, head %d, "
                      "max %d sectors %d segments%s%s\n" %
                      (int(st["in_flight"][0]), int(st["in_flight"][1]),
                       int(q["head_pos"]), int(q["max_hw_sectors"]),
                       int(q["max_segments"]),
                       ", dispatching" if q["running"] else "",
                       ", dying" if q["dying"] else ""))
            for rq in list_for_each_entry(q["queue_head"], "struct request",
                                          "queuelist"):
                gdb.write("    waiting: %s\n" % request_line(rq))


# ---- kx-pagecache ---------------------------------------------------------

PAGE_FLAG_NAMES = ("locked", "uptodate", "dirty", "writeback", "error",
                   "private", "readahead", "lru", "referenced", "checked")


def page_flags(page):
    """The page-cache flag names set in `page` (struct page value)."""
    flags = int(page["flags"])
    names = []
    for name in PAGE_FLAG_NAMES:
        bit = int(gdb.parse_and_eval("PG_%s" % name))
        if flags & (1 << bit):
            names.append(name)
    return names


# <kestrel/radix-tree.h> (a macro: not in the debug info without -g3)
RADIX_TREE_MAP_SHIFT = 6


def radix_tree_items(root):
    """(index, item pointer) of a struct radix_tree_root, in index order."""
    shift = RADIX_TREE_MAP_SHIFT
    size = 1 << shift

    def walk(node, height, base):
        slots = node.dereference()["slots"]
        span = 1 << ((height - 1) * shift)
        for i in range(size):
            slot = slots[i]
            if int(slot) == 0:
                continue
            if height == 1:
                yield base + i, slot
            else:
                node_type = gdb.lookup_type("struct radix_tree_node")
                yield from walk(slot.cast(node_type.pointer()), height - 1,
                                base + i * span)

    height = int(root["height"])
    if height and int(root["rnode"]):
        yield from walk(root["rnode"], height, 0)


@register
class KxPagecache(KxCommand):
    """Print the page cache: its files, or one mapping's pages.

Usage: kx-pagecache [MAPPING]

Without an argument, walks the reclaim LRU list (lru_list, mm/vmscan.c),
which holds every page in the cache, and prints one line per mapping:
its file system (s_id), inode number, pages cached, and how many are
dirty, under write-back and locked; then the totals. With MAPPING, an
expression for a struct address_space pointer (e.g.
'file->f_mapping' or '&inode->i_data'), prints each page of its radix
tree: index, frame number, reference count and page-cache flags
(<kestrel/pagemap.h>). Read without the locks: a snapshot."""

    name = "kx-pagecache"

    def run(self, arg):
        if arg.strip():
            self.one_mapping(gdb.parse_and_eval(arg.strip()))
            return
        per = {}
        total = 0
        for page in list_for_each_entry(symbol("lru_list"), "struct page",
                                        "lru"):
            mapping = int(page["mapping"])
            entry = per.setdefault(mapping, [0, 0, 0, 0])
            flags = page_flags(page)
            entry[0] += 1
            entry[1] += "dirty" in flags
            entry[2] += "writeback" in flags
            entry[3] += "locked" in flags
            total += 1
        atype = gdb.lookup_type("struct address_space").pointer()
        for mapping, (n, dirty, wb, locked) in sorted(per.items()):
            if mapping == 0:
                desc = "(no mapping)"
            else:
                host = gdb.Value(mapping).cast(atype)["host"]
                desc = "%s ino %d" % (host["i_sb"]["s_id"].string(),
                                      int(host["i_ino"]))
            gdb.write("%-24s %6d pages %5d dirty %5d writeback %3d locked\n"
                      % (desc, n, dirty, wb, locked))
        gdb.write("%d pages in %d mappings\n" % (total, len(per)))

    def one_mapping(self, mapping):
        mapping = mapping.dereference()
        gdb.write("%d pages\n" % int(mapping["nrpages"]))
        mem_map = int(symbol("mem_map"))
        page_size = gdb.lookup_type("struct page").sizeof
        ptype = gdb.lookup_type("struct page").pointer()
        for index, item in radix_tree_items(mapping["page_tree"]):
            page = item.cast(ptype).dereference()
            pfn = (int(item) - mem_map) // page_size
            gdb.write("  %8d  pfn 0x%05x  count %d  %s\n" %
                      (index, pfn, int(page["_refcount"]["counter"]),
                       " ".join(page_flags(page))))
