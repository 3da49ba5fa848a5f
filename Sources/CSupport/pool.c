// A small pool of worker threads for splitting one kernel call across cores. Workers spin briefly
// between tasks (training issues a product every few dozen microseconds, and waking a sleeping thread
// costs more than that), then sleep on a condition variable when the process is idle.
#include "CSupport.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

struct dlx_pool {
    int threads;                       // workers, not counting the caller
    pthread_t *ids;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    _Atomic unsigned generation;       // bumped per run: what idle workers watch
    _Atomic uint64_t ticket;           // (generation << 32) | the next part to claim
    _Atomic int finished;              // parts of this run completed
    _Atomic int parts;
    _Atomic int sleepers;
    _Atomic int stop;
    _Atomic int busy;                  // one caller at a time; others run their parts themselves
    void (*fn)(void *, int);
    void *ctx;
};

struct worker_arg { struct dlx_pool *pool; };

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Every thread, the caller included, takes parts of run `generation` one at a time until none is left:
// a core that is slowed (by the machine, or by a part that costs more) simply takes fewer. A part is
// claimed by moving the ticket on, so a worker that wakes after its run ended (or after the next one
// began) claims nothing of it, and the caller waits only for parts that were claimed, never for a
// worker that has not woken up yet (on a shared machine its core may be descheduled for a while).
static void claim_parts(struct dlx_pool *p, unsigned generation) {
    for (;;) {
        uint64_t t = atomic_load_explicit(&p->ticket, memory_order_acquire);
        if ((unsigned)(t >> 32) != generation) return;
        unsigned part = (unsigned)t;
        if ((int)part >= atomic_load_explicit(&p->parts, memory_order_relaxed)) return;
        if (!atomic_compare_exchange_weak_explicit(&p->ticket, &t, t + 1, memory_order_acq_rel, memory_order_acquire)) continue;
        // The run cannot end (nor fn and ctx change) until this part is counted as finished.
        p->fn(p->ctx, (int)part);
        atomic_fetch_add_explicit(&p->finished, 1, memory_order_release);
    }
}

static void *worker(void *raw) {
    struct worker_arg *arg = raw;
    struct dlx_pool *p = arg->pool;
    free(arg);
    unsigned seen = 0;
    for (;;) {
        double spin_until = seconds() + 0.002;
        unsigned g;
        int checks = 0;
        while ((g = atomic_load_explicit(&p->generation, memory_order_acquire)) == seen) {
            if (atomic_load(&p->stop)) return 0;
            relax();
            if (++checks % 256 == 0 && seconds() > spin_until) {
                pthread_mutex_lock(&p->lock);
                atomic_fetch_add(&p->sleepers, 1);
                while (atomic_load(&p->generation) == seen && !atomic_load(&p->stop)) pthread_cond_wait(&p->wake, &p->lock);
                atomic_fetch_sub(&p->sleepers, 1);
                pthread_mutex_unlock(&p->lock);
            }
        }
        seen = g;
        if (atomic_load(&p->stop)) return 0;
        claim_parts(p, g);
    }
}

dlx_pool *dlx_pool_create(int threads) {
    if (threads < 2) return 0;
    dlx_pool *p = calloc(1, sizeof *p);
    if (!p) return 0;
    p->threads = threads - 1;
    p->ids = calloc(p->threads, sizeof(pthread_t));
    pthread_mutex_init(&p->lock, 0);
    pthread_cond_init(&p->wake, 0);
    for (int i = 0; i < p->threads; i++) {
        struct worker_arg *arg = malloc(sizeof *arg);
        arg->pool = p;
        if (pthread_create(&p->ids[i], 0, worker, arg) != 0) { free(arg); p->threads = i; break; }
    }
    return p;
}

int dlx_pool_size(const dlx_pool *p) { return p ? p->threads + 1 : 1; }

void dlx_pool_run(dlx_pool *p, int parts, void (*fn)(void *, int), void *ctx) {
    int idle = 0;
    if (!p || parts <= 1 || !atomic_compare_exchange_strong(&p->busy, &idle, 1)) {
        // No pool, nothing to share, or another caller has it: run every part here.
        for (int i = 0; i < parts; i++) fn(ctx, i);
        return;
    }
    // Every part of the previous run was finished before it returned, so nothing still reads these.
    p->fn = fn;
    p->ctx = ctx;
    atomic_store_explicit(&p->parts, parts, memory_order_relaxed);
    atomic_store_explicit(&p->finished, 0, memory_order_relaxed);
    unsigned generation = atomic_load_explicit(&p->generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&p->ticket, (uint64_t)generation << 32, memory_order_release);
    atomic_store_explicit(&p->generation, generation, memory_order_release);
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
    claim_parts(p, generation);
    while (atomic_load_explicit(&p->finished, memory_order_acquire) < parts) relax();
    atomic_store(&p->busy, 0);
}

void dlx_pool_destroy(dlx_pool *p) {
    if (!p) return;
    atomic_store(&p->stop, 1);
    pthread_mutex_lock(&p->lock);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->threads; i++) pthread_join(p->ids[i], 0);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p->ids);
    free(p);
}
