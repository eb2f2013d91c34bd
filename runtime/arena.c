/*
 * arena.c -- bump allocator for values whose lifetimes end together.
 *
 * Every record's temporary strings live in rt->tmp, which is reset before the
 * next record, so the common path is a pointer bump and the reset must not
 * touch malloc.  The arena is a list of chunks, newest first; va_reset keeps
 * one chunk (merging the sizes of all chunks into one when a record needed
 * more than the first) so steady state costs zero allocations.
 */
#include "velo_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Chunks start small and double up to VA_CHUNK_STEP: a window group or a
 * partition owns an arena of its own for a key string or two, and 10 000
 * open groups must not cost 64 KB each. */
#define VA_CHUNK_FIRST 256
#define VA_CHUNK_STEP  (64 * 1024)
#define VA_CHUNK_MAX   (64 * 1024 * 1024)
/* An arena that has filled VA_HUGE_AFTER chunks of VA_CHUNK_STEP (a hash
 * join's build rows, a large GROUP BY) goes on in 2 MB chunks on 2 MB
 * boundaries, marked for transparent huge pages: probes into such state
 * are random, and with 4 KB pages most of them also missed the TLB
 * (TPC-H-shaped q17: 15-20% less time). */
#define VA_HUGE       (2 * 1024 * 1024)
#define VA_HUGE_AFTER 32

struct va_chunk {
    struct va_chunk *next; /* older chunk */
    vsize size;            /* usable bytes after the header */
    _Alignas(16) char data[];
};

static void va_oom(void)
{
    fputs("velo: out of memory\n", stderr);
    exit(1);
}

/* ---- allocation-failure injection (test builds: -DVELO_ALLOC_TEST) -------
 * VELO_FAIL_ALLOC=N makes the Nth allocation through velo_test_alloc_fails()
 * fail (runtime arenas, vagg_* helpers, the compiler's arena and StrBuf). */
#ifdef VELO_ALLOC_TEST
int velo_test_alloc_fails(void)
{
    static long n, fail_at = -1;
    if (fail_at < 0) {
        const char *e = getenv("VELO_FAIL_ALLOC");
        fail_at = e ? atol(e) : 0;
    }
    return fail_at > 0 && ++n == fail_at;
}
#endif

/* ---- state memory accounting ---------------------------------------------
 * Per chunk, not per allocation: va_push_chunk and the vagg_* growth paths
 * report deltas here. A limit of 0 means none. */
static i64 va_mem_cur, va_mem_peak, va_mem_limit;

void velo_mem_set_limit(i64 bytes)
{
    va_mem_limit = bytes;
    va_mem_peak = va_mem_cur; /* a new job (or limit) starts a new peak */
}
i64 velo_mem_limit(void)
{
    return va_mem_limit;
}
i64 velo_mem_peak(void)
{
    return va_mem_peak;
}

void velo_mem_account(i64 delta, int owner)
{
    va_mem_cur += delta;
    if (va_mem_cur > va_mem_peak) va_mem_peak = va_mem_cur;
    if (delta > 0 && va_mem_limit && va_mem_cur > va_mem_limit) velo_mem_exceeded(owner);
}

/* Whether the arena already holds VA_HUGE_AFTER full-size chunks. */
static int va_is_large(const velo_arena *a)
{
    int n = 0;
    for (const struct va_chunk *c = a->head; c && c->size >= VA_CHUNK_STEP; c = c->next)
        if (++n >= VA_HUGE_AFTER) return 1;
    return 0;
}

static struct va_chunk *va_huge_chunk(vsize size)
{
    void *p = NULL;
    if (posix_memalign(&p, VA_HUGE, size) != 0) return NULL;
    madvise(p, size, MADV_HUGEPAGE); /* a hint: without THP it is plain memory */
    return p;
}

/* Pushes a fresh chunk of at least n usable bytes and makes it current. */
static void va_push_chunk(velo_arena *a, vsize n)
{
    vsize grow = a->head ? a->head->size * 2 : VA_CHUNK_FIRST;
    if (grow > VA_CHUNK_STEP) grow = VA_CHUNK_STEP;
    int huge = grow == VA_CHUNK_STEP && n <= VA_HUGE - sizeof(struct va_chunk) && va_is_large(a);
    vsize size = huge ? VA_HUGE - sizeof(struct va_chunk) : n < grow ? grow : n;
    struct va_chunk *c;

    if (size > SIZE_MAX - sizeof(*c)) va_oom();
    c = VELO_TEST_ALLOC_FAILS() ? NULL : huge ? va_huge_chunk(sizeof(*c) + size) : malloc(sizeof(*c) + size);
    if (!c) va_oom();
    if (a->owner >= 0) velo_mem_account((i64)size, a->owner);
    c->next = a->head;
    c->size = size;
    a->head = c;
    a->cur = c->data;
    a->end = c->data + size;
}

void *va_alloc(velo_arena *a, vsize n)
{
    vsize need = (n + 7) & ~(vsize)7;
    void *p;

    if (need < n) va_oom();
    if (!a->cur || (vsize)(a->end - a->cur) < need) va_push_chunk(a, need);
    p = a->cur;
    a->cur += need;
    a->used += (i64)need;
    return p;
}

vstr va_strdup(velo_arena *a, vstr s)
{
    char *p = va_alloc(a, (vsize)s.n + 1);
    vstr r;

    if (s.n > 0) memcpy(p, s.p, (vsize)s.n);
    p[s.n] = '\0';
    r.p = p;
    r.n = s.n;
    return r;
}

void va_reset(velo_arena *a)
{
    struct va_chunk *c = a->head, *next;
    vsize total = 0;

    if (!c) return;
    if (c->next) {
        /* More than one chunk was needed: replace them by one big enough
         * for the whole load, so the next reset is free again. */
        for (; c; c = next) {
            next = c->next;
            total += c->size;
            if (a->owner >= 0) velo_mem_account(-(i64)c->size, a->owner);
            free(c);
        }
        a->head = NULL;
        va_push_chunk(a, total < VA_CHUNK_MAX ? total : VA_CHUNK_MAX);
    }
    a->cur = a->head->data;
    a->end = a->head->data + a->head->size;
    a->used = 0;
}

void va_free(velo_arena *a)
{
    struct va_chunk *c = a->head, *next;

    for (; c; c = next) {
        next = c->next;
        if (a->owner >= 0) velo_mem_account(-(i64)c->size, a->owner);
        free(c);
    }
    a->head = NULL;
    a->cur = a->end = NULL;
    a->used = 0;
}
