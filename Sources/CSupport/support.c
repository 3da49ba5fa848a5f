#define _GNU_SOURCE
#include "CSupport.h"
#include <signal.h>
#include <string.h>
#include <pthread.h>
#include <malloc.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
static unsigned long long xgetbv0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}
int dlx_cpu_features(void) {
    unsigned int a, b, c, d;
    int out = 0;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return 0;
    unsigned int maxLeaf = a;
    if (b == 0x68747541) out |= DLX_CPU_AMD;          // "Auth"enticAMD
    if (b == 0x756e6547) out |= DLX_CPU_INTEL;        // "Genu"ineIntel
    if (!__get_cpuid(1, &a, &b, &c, &d)) return out;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave || !avx) return out;
    unsigned long long xcr0 = xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return out;             // XMM and YMM state
    if (fma) out |= DLX_CPU_FMA;
    if (maxLeaf < 7) return out;
    __cpuid_count(7, 0, a, b, c, d);
    if ((b >> 5) & 1) out |= DLX_CPU_AVX2;
    unsigned int want = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31); // F DQ CD BW VL
    if ((b & want) == want && (xcr0 & 0xe0) == 0xe0) out |= DLX_CPU_AVX512;
    return out;
}
#else
int dlx_cpu_features(void) { return 0; }
#endif

static volatile sig_atomic_t interrupted = 0;

static void on_sigint(int sig) { (void)sig; interrupted = 1; }

// Raises the flag on `sig` (no SA_RESTART, so blocking reads return EINTR) and unblocks it: a parent may
// have left it blocked.
static void catch_signal(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(sig, &sa, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, 0);
}

void dlx_sigint_install(void) { catch_signal(SIGINT); }

void dlx_sigint_uninstall(void) { signal(SIGINT, SIG_DFL); }

void dlx_sigterm_install(void) { catch_signal(SIGTERM); }

int dlx_sigint_take(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}

int dlx_sigint_peek(void) { return interrupted; }

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

int dlx_tty_getc(FILE *stream) {
    (void)stream;
    for (;;) {
        if (interrupted) return EOF;
        struct pollfd fds = { .fd = 0, .events = POLLIN, .revents = 0 };
        int r = poll(&fds, 1, 100);
        if (r < 0 && errno != EINTR) return EOF;
        if (r <= 0) continue;
        if (!(fds.revents & POLLIN)) return EOF;   // hang-up
        // Ctrl-C flushes the terminal's input, so input seen by poll may be gone: then the signal is
        // already pending and delivered by the time ioctl returns. No bytes and no Ctrl-C is a real
        // end of input (Ctrl-D in canonical mode), which read reports.
        int available = 0;
        if (ioctl(0, FIONREAD, &available) == 0 && available == 0 && interrupted) return EOF;
        // A Ctrl-C that lands between that check and the read flushes the input the check saw, and its
        // signal is handled before read starts: a blocking read would then wait for the next key. So the
        // byte is read through a descriptor of our own for the same terminal, opened non-blocking (setting
        // O_NONBLOCK on fd 0 would change it for the parent shell too).
        static int own = -2;
        if (own == -2) {
            const char *name = ttyname(0);
            own = name ? open(name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) : -1;
        }
        unsigned char c;
        ssize_t n = read(own >= 0 ? own : 0, &c, 1);
        if (n == 1) return c;
        if (n == 0) return EOF;
        if (errno != EINTR && errno != EAGAIN) return EOF;
    }
}

#include <malloc.h>

void dlx_tune_allocator(void) {
    // Training frees and re-allocates the same few-hundred-kilobyte buffers (pooling winners, convolution
    // scratch) every batch; above glibc's default threshold each one is a fresh mmap whose pages fault in
    // and are cleared again. Keeping them on the heap, and the heap from shrinking back, avoids that.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
}

#include <pthread.h>

/* The lowest address of this thread's stack, found once per thread. */
static __thread void *current_heap = 0;

void *dlx_current_heap(void) { return current_heap; }
void dlx_set_current_heap(void *heap) { current_heap = heap; }

static __thread char *stack_low = 0;

unsigned long dlx_stack_remaining(void) {
    // The frame's address, not a local's: under AddressSanitizer's use-after-return detection (on by
    // default) locals live in a "fake stack" on the heap, and a local's address says nothing of the stack.
    char *here = (char *)__builtin_frame_address(0);
    if (!stack_low) {
        pthread_attr_t attr;
        void *addr = 0;
        size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            pthread_attr_getstack(&attr, &addr, &size);
            pthread_attr_destroy(&attr);
        }
        stack_low = addr ? (char *)addr : here - (1 << 20);
    }
    return here > stack_low ? (unsigned long)(here - stack_low) : 0;
}

// Weak references: non-null when a sanitizer's runtime is linked into the process, statically or not.
extern void __asan_init(void) __attribute__((weak));
extern void __tsan_init(void) __attribute__((weak));
extern void __msan_init(void) __attribute__((weak));

const char *dlx_sanitizer(void) {
    if (__asan_init) return "address";
    if (__tsan_init) return "thread";
    if (__msan_init) return "memory";
    return NULL;
}

// A sanitizer's allocator replaces malloc, and glibc's mallinfo2 then sees nothing: its own count is used.
extern size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

size_t dlx_heap_in_use(void) {
    if (__sanitizer_get_current_allocated_bytes) return __sanitizer_get_current_allocated_bytes();
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
#else
    return 0;
#endif
}
