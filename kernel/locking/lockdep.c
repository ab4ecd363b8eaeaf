/*
 * The lock validator: Linux's lockdep, cut down to what a reader can
 * hold in mind. Debug builds only (DEBUG=1; see <kestrel/lockdep.h>).
 *
 * Three fixed tables, nothing allocated on the lock path:
 *
 *   classes[]   one per lock class (init site, or static lock), plus
 *               one per subclass in use; index 0 means "none"
 *   after[a]    a bitmap row per class: bit b set when some task took
 *               a lock of class b while holding one of class a
 *   edges[]     for each recorded a -> b, the backtrace that first
 *               did it, to show in a report
 *
 *	  task holds A, takes B          task holds B, takes A
 *	  ---------------------          ---------------------
 *	  edge A -> B recorded           B reaches A? yes, through
 *	  (with this backtrace)          A -> B: report both traces
 *
 * Each task keeps the locks it holds in current->lockdep (innermost
 * last). Taking a lock adds an edge from every lock the task holds in
 * the same context (task, softirq, hardirq: a handler's locks do not
 * nest inside the locks of the task it interrupted, they run beside
 * them). A new edge A -> B is first checked by a breadth-first search
 * of after[]: if B already reaches A, some task can take the two in
 * the other order, and the two together can deadlock. The report
 * prints the chain with the backtrace of each of its edges, and the
 * current backtrace; then the edge is recorded anyway, so the same
 * inversion is reported once.
 *
 * The validator's own state is guarded by graph_lock, a bare arch lock
 * taken with interrupts off, and by current->lockdep.recursion: the
 * printk() of a report takes locks too, and those are not tracked.
 */
#include <asm/spinlock.h>
#include <kestrel/interrupt.h>
#include <kestrel/irqflags.h>
#include <kestrel/kallsyms.h>
#include <kestrel/lockdep.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/stacktrace.h>
#include <kestrel/string.h>

#define MAX_LOCK_CLASSES 256
#define MAX_LOCK_EDGES 1024
#define EDGE_TRACE_DEPTH 8
#define CLASS_BITS (8 * sizeof(unsigned long))
#define CLASS_WORDS (MAX_LOCK_CLASSES / CLASS_BITS)
/* Frames between stack_trace_save() and the caller of lock_acquire():
 * save_edge_trace, check_prev, __lock_acquire, lock_acquire. */
#define LOCKDEP_FRAMES 4

struct lock_class {
	const void *key; /* the lock_class_key, or a static lock's map */
	unsigned int subclass;
	const char *name;
};

struct lock_edge {
	unsigned short from, to;
	unsigned int nr_entries;
	unsigned long trace[EDGE_TRACE_DEPTH];
};

static struct lock_class classes[MAX_LOCK_CLASSES];
static unsigned int nr_classes = 1; /* 0: no class */
static unsigned long after[MAX_LOCK_CLASSES][CLASS_WORDS];
static struct lock_edge edges[MAX_LOCK_EDGES];
static unsigned int nr_edges;
static unsigned int nr_reports;
static bool lockdep_off; /* a table filled up: no more checking */
static arch_spinlock_t graph_lock = __ARCH_SPIN_LOCK_UNLOCKED;

/* The breadth-first search's work space (graph_lock). */
static unsigned short bfs_parent[MAX_LOCK_CLASSES];
static unsigned short bfs_queue[MAX_LOCK_CLASSES];

extern char __data_start[], __bss_end[];

struct lock_class_key __lockdep_no_validate__;

/* ---- classes --------------------------------------------------------- */

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      struct lock_class_key *key)
{
	map->key = key;
	map->name = name;
	map->class_idx = 0;
}

/* A keyless map must be static: its address is its class for good. */
static bool static_map(const struct lockdep_map *map)
{
	return (const char *)map >= __data_start &&
	       (const char *)map < __bss_end;
}

static void lockdep_disable(const char *why)
{
	lockdep_off = true;
	pr_warn("lockdep: %s; the lock validator is off\n", why);
}

static unsigned int register_class(const void *key, unsigned int subclass,
				   const char *name)
{
	unsigned int idx;

	for (idx = 1; idx < nr_classes; idx++)
		if (classes[idx].key == key &&
		    classes[idx].subclass == subclass)
			return idx;
	if (nr_classes == MAX_LOCK_CLASSES) {
		lockdep_disable("MAX_LOCK_CLASSES too low");
		return 0;
	}
	classes[idx].key = key;
	classes[idx].subclass = subclass;
	classes[idx].name = name;
	return nr_classes++;
}

/* The class of @map as @subclass, registered on first use. graph_lock. */
static unsigned int class_of(struct lockdep_map *map, unsigned int subclass)
{
	const void *key = map->key;
	unsigned int idx;

	if (!subclass && map->class_idx)
		return map->class_idx;
	if (subclass >= LOCKDEP_MAX_SUBCLASSES) {
		lockdep_disable("subclass out of range");
		return 0;
	}
	if (!key) {
		if (!static_map(map)) {
			lockdep_disable("a dynamic lock with no class key "
					"(use spin_lock_init/mutex_init)");
			dump_stack();
			return 0;
		}
		key = map;
	}
	idx = register_class(key, subclass, map->name);
	if (!subclass)
		map->class_idx = idx;
	return idx;
}

/* ---- the graph ------------------------------------------------------- */

static bool edge_recorded(unsigned int from, unsigned int to)
{
	return after[from][to / CLASS_BITS] & (1UL << (to % CLASS_BITS));
}

static struct lock_edge *find_edge(unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = 0; i < nr_edges; i++)
		if (edges[i].from == from && edges[i].to == to)
			return &edges[i];
	return NULL;
}

/* Record @from -> @to with the backtrace of the caller of lock_acquire. */
static __noinline void save_edge_trace(unsigned int from, unsigned int to,
				       unsigned long ip)
{
	struct lock_edge *e;

	after[from][to / CLASS_BITS] |= 1UL << (to % CLASS_BITS);
	if (nr_edges == MAX_LOCK_EDGES)
		return; /* the order is kept; only its backtrace is lost */
	e = &edges[nr_edges++];
	e->from = from;
	e->to = to;
	e->trace[0] = ip;
	e->nr_entries = 1 + stack_trace_save(e->trace + 1, EDGE_TRACE_DEPTH - 1,
					     LOCKDEP_FRAMES);
}

/* Can @from reach @to? Leaves the path in bfs_parent[], from @to back. */
static bool reaches(unsigned int from, unsigned int to)
{
	unsigned int head = 0, tail = 0, c, w, n;
	unsigned long bits;

	memset(bfs_parent, 0, sizeof(bfs_parent));
	bfs_parent[from] = from;
	bfs_queue[tail++] = from;
	while (head < tail) {
		c = bfs_queue[head++];
		for (w = 0; w < CLASS_WORDS; w++) {
			for (bits = after[c][w]; bits; bits &= bits - 1) {
				n = w * CLASS_BITS + __builtin_ctzl(bits);
				if (bfs_parent[n])
					continue;
				bfs_parent[n] = c;
				if (n == to)
					return true;
				bfs_queue[tail++] = n;
			}
		}
	}
	return false;
}

/* ---- reports --------------------------------------------------------- */

static void print_class(unsigned int idx)
{
	printk(KERN_CONT "%s", classes[idx].name);
	if (classes[idx].subclass)
		printk(KERN_CONT "/%u", classes[idx].subclass);
}

static void print_trace(const unsigned long *entries, unsigned int n)
{
	char sym[KSYM_NAME_LEN + 32];
	unsigned int i;

	for (i = 0; i < n; i++) {
		sprint_symbol(sym, sizeof(sym), entries[i]);
		printk(KERN_WARNING "   [<%08lx>] %s\n", entries[i], sym);
	}
}

static void print_edge(unsigned int from, unsigned int to)
{
	struct lock_edge *e = find_edge(from, to);

	printk(KERN_WARNING " -> (");
	print_class(from);
	printk(KERN_CONT ") then (");
	print_class(to);
	printk(KERN_CONT "), first taken in that order at:\n");
	if (e)
		print_trace(e->trace, e->nr_entries);
	else
		printk(KERN_WARNING "   (no backtrace: MAX_LOCK_EDGES)\n");
}

static void print_held_lock(unsigned int i, const struct held_lock *h)
{
	char sym[KSYM_NAME_LEN + 32];

	sprint_symbol(sym, sizeof(sym), h->ip);
	printk(KERN_WARNING " #%u: (", i);
	print_class(h->class_idx);
	printk(KERN_CONT ")%s%s, at %s\n", h->trylock ? " trylock" : "",
	       h->irq_context == 2 ? " hardirq" :
	       h->irq_context == 1 ? " softirq" :
				     "",
	       sym);
}

static void print_held_locks(const struct task *t)
{
	unsigned int i;

	printk(KERN_WARNING "%u lock(s) held by %s/%d:\n", t->lockdep.depth,
	       t->comm, t->pid);
	for (i = 0; i < t->lockdep.depth; i++)
		print_held_lock(i, &t->lockdep.held[i]);
}

static void report_header(const char *what)
{
	nr_reports++;
	printk(KERN_WARNING
	       "\n=============================================\n");
	printk(KERN_WARNING "WARNING: %s\n", what);
	printk(KERN_WARNING "%s/%d is trying to take (", current->comm,
	       current->pid);
}

/*
 * @held -> @next would close a cycle: @next already reaches @held. The
 * chain is in bfs_parent[], walked from @held back to @next.
 */
static void report_inversion(const struct held_lock *held, unsigned int next)
{
	unsigned int c;

	report_header("possible circular locking dependency detected");
	print_class(next);
	printk(KERN_CONT ") while it holds (");
	print_class(held->class_idx);
	printk(KERN_CONT ");\nbut the opposite order was seen before "
			 "(the chain, innermost edge first):\n");
	for (c = held->class_idx; c != next; c = bfs_parent[c])
		print_edge(bfs_parent[c], c);
	printk(KERN_WARNING "\nand this task, now:\n");
	print_held_locks(current);
	dump_stack();
}

static void report_recursion(const struct held_lock *held)
{
	report_header("possible recursive locking detected");
	print_class(held->class_idx);
	printk(KERN_CONT ") a second time; if these are two locks of one "
			 "class in a fixed order, take the inner one with a "
			 "subclass (spin_lock_nested, mutex_lock_nested)\n");
	print_held_locks(current);
	dump_stack();
}

/* ---- acquire and release -------------------------------------------- */

static unsigned char irq_context(void)
{
	return in_irq() ? 2 : in_interrupt() ? 1 : 0;
}

static bool no_validate(unsigned int idx)
{
	return classes[idx].key == &__lockdep_no_validate__;
}

/* The task holds @prev and takes @next. graph_lock held. */
static __noinline void check_prev(const struct held_lock *prev,
				  unsigned int next, unsigned long ip)
{
	if (edge_recorded(prev->class_idx, next))
		return;
	if (prev->class_idx == next)
		report_recursion(prev);
	else if (reaches(next, prev->class_idx))
		report_inversion(prev, next);
	save_edge_trace(prev->class_idx, next, ip);
}

static __noinline void __lock_acquire(struct task_lockdep *ld,
				      struct lockdep_map *map,
				      unsigned int subclass, int trylock,
				      unsigned long ip)
{
	unsigned char ctx = irq_context();
	struct held_lock *h;
	unsigned int idx, i;

	idx = class_of(map, subclass);
	if (!idx)
		return;
	if (ld->depth == MAX_HELD_LOCKS) {
		lockdep_disable("MAX_HELD_LOCKS too low");
		return;
	}
	/* A trylock cannot wait, so it cannot close a cycle. */
	for (i = ld->depth; !trylock && !no_validate(idx) && i-- > 0;) {
		if (ld->held[i].irq_context != ctx)
			break;
		if (!no_validate(ld->held[i].class_idx))
			check_prev(&ld->held[i], idx, ip);
	}
	h = &ld->held[ld->depth++];
	h->map = map;
	h->ip = ip;
	h->class_idx = idx;
	h->irq_context = ctx;
	h->trylock = trylock;
}

/* Enter the validator: false if it must not run now. */
static bool lockdep_enter(struct task *t, unsigned long *flags)
{
	if (unlikely(!t || READ_ONCE(lockdep_off)))
		return false;
	local_irq_save(*flags);
	if (t->lockdep.recursion) {
		local_irq_restore(*flags);
		return false;
	}
	t->lockdep.recursion++;
	arch_spin_lock(&graph_lock);
	return true;
}

static void lockdep_exit(struct task *t, unsigned long flags)
{
	arch_spin_unlock(&graph_lock);
	t->lockdep.recursion--;
	local_irq_restore(flags);
}

void lock_acquire(struct lockdep_map *map, unsigned int subclass, int trylock,
		  unsigned long ip)
{
	struct task *t = current;
	unsigned long flags;

	if (!lockdep_enter(t, &flags))
		return;
	if (!lockdep_off)
		__lock_acquire(&t->lockdep, map, subclass, trylock, ip);
	lockdep_exit(t, flags);
}

/*
 * Drop @map from the held stack, wherever it is (locks need not be
 * released innermost first). A lock not found was taken while the
 * validator was not looking (before the scheduler, or by printk inside
 * a report): nothing to do.
 */
void lock_release(struct lockdep_map *map, unsigned long ip)
{
	struct task *t = current;
	struct task_lockdep *ld;
	unsigned long flags;
	unsigned int i;

	if (!lockdep_enter(t, &flags))
		return;
	ld = &t->lockdep;
	for (i = ld->depth; i-- > 0;) {
		if (ld->held[i].map != map)
			continue;
		memmove(&ld->held[i], &ld->held[i + 1],
			(ld->depth - i - 1) * sizeof(ld->held[0]));
		ld->depth--;
		break;
	}
	lockdep_exit(t, flags);
}

bool lock_is_held(const struct lockdep_map *map)
{
	struct task *t = current;
	unsigned int i;

	/* Not tracked: before the scheduler, or inside a report. */
	if (!t || READ_ONCE(lockdep_off) || t->lockdep.recursion)
		return true;
	for (i = 0; i < t->lockdep.depth; i++)
		if (t->lockdep.held[i].map == map)
			return true;
	return false;
}

unsigned int lockdep_report_count(void)
{
	return READ_ONCE(nr_reports);
}

void lockdep_print_held_locks(void)
{
	if (current && !lockdep_off)
		print_held_locks(current);
}
