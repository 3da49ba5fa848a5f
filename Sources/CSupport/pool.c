// A small pool of worker threads for splitting one kernel call across cores. Workers spin briefly
// between tasks (training issues a product every few dozen microseconds, and waking a sleeping thread
// costs more than that), then sleep on a condition variable when the process is idle.
#include "CSupport.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

struct dlx_pool {
    int threads;                       // workers, not counting the caller
    pthread_t *ids;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    _Atomic unsigned generation;
    _Atomic int done;
    _Atomic int sleepers;
    _Atomic int stop;
    _Atomic int busy;                  // one caller at a time; others run their parts themselves
    _Atomic int next;                  // the next part to claim
    int parts;
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

// Every thread, the caller included, takes parts one at a time until none is left: a core that is slowed
// (by the machine, or by a part that costs more) simply takes fewer.
static void claim_parts(struct dlx_pool *p) {
    for (;;) {
        int part = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
        if (part >= p->parts) return;
        p->fn(p->ctx, part);
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
        claim_parts(p);
        atomic_fetch_add_explicit(&p->done, 1, memory_order_release);
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
    p->fn = fn;
    p->ctx = ctx;
    p->parts = parts;
    atomic_store(&p->done, 0);
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&p->generation, 1, memory_order_release);
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
    claim_parts(p);
    while (atomic_load_explicit(&p->done, memory_order_acquire) < p->threads) relax();
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
