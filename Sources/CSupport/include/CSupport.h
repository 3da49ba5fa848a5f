#ifndef DLX_CSUPPORT_H
#define DLX_CSUPPORT_H
#include <stddef.h>

// The little C that Swift cannot say directly: CPU feature probing and an async-signal-safe SIGINT flag.

/// Bit set of CPU features that decide which OpenBLAS kernels are safe and fast.
enum {
    DLX_CPU_AVX2 = 1,
    DLX_CPU_FMA = 2,
    DLX_CPU_AVX512 = 4,   // F, DQ, CD, BW and VL, with the OS saving the ZMM state
    DLX_CPU_AMD = 8,
    DLX_CPU_INTEL = 16,
};
int dlx_cpu_features(void);

/// The sanitizer whose runtime is in the process ("address", "thread", "memory"), or NULL. Their shadow
/// memory takes terabytes of address space, so that an address-space limit (RLIMIT_AS) would stop them.
const char *dlx_sanitizer(void);

/// Bytes of the C heap in use (malloc's arenas and its mmapped blocks): every Python value and tensor of
/// the session. Zero where the allocator does not say (a sanitizer's).
size_t dlx_heap_in_use(void);

/// Keeps blocks of up to 32 MB on glibc's heap (not a fresh mmap each time) and the heap from trimming:
/// for programs that train, called once at start-up.
void dlx_tune_allocator(void);

/// Installs a SIGINT handler that only raises a flag (no SA_RESTART, so blocking reads return EINTR).
void dlx_sigint_install(void);
/// Restores the default SIGINT disposition.
void dlx_sigint_uninstall(void);
/// Installs the same flag-raising handler for SIGTERM too (dlx grade: a grader that stops it, by Ctrl-C or
/// kill, still gets its children stopped and their work folders removed).
void dlx_sigterm_install(void);
/// Returns 1 and clears the flag when Ctrl-C was pressed since the last call.
int dlx_sigint_take(void);
/// Returns 1 when Ctrl-C is pending, without clearing it.
int dlx_sigint_peek(void);

/// Bytes of stack left below the caller on the current thread (its stack's size as the thread was made),
/// so that deep recursion in user code becomes a RecursionError before the stack runs out.
unsigned long dlx_stack_remaining(void);

/// The cycle collector's heap of the session running code on this thread (NULL: none), so that containers
/// made anywhere in the interpreter register with it without a global. Set and restored around each run.
void *dlx_current_heap(void);
void dlx_set_current_heap(void *heap);

/// Swift's runtime: how many strong references an object has now (the cycle collector's trial deletion).
size_t swift_retainCount(void *object);

#include <stdio.h>
/// Reads one key from standard input for readline, waiting in short polls so that Ctrl-C (which
/// flushes the terminal's input) can never leave it blocked; returns EOF once Ctrl-C is pending.
int dlx_tty_getc(FILE *stream);

/// A pool of worker threads that run the parts of one call in parallel.
typedef struct dlx_pool dlx_pool;
/// `threads` counts the calling thread too; returns NULL for fewer than 2.
dlx_pool *dlx_pool_create(int threads);
int dlx_pool_size(const dlx_pool *pool);
/// Runs fn(ctx, part) for part in 0..<parts, the calling thread and the workers each claiming the next
/// unclaimed part until none is left, and returns when all have finished. A NULL pool (or a pool already
/// in use by another caller) runs the parts one after another.
void dlx_pool_run(dlx_pool *pool, int parts, void (*fn)(void *ctx, int part), void *ctx);
void dlx_pool_destroy(dlx_pool *pool);

/// Removes a directory tree depth first without following symbolic links (dlx grade's work folders).
int dlx_remove_tree(const char *path);

#endif
