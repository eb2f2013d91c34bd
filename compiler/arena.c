/*
 * arena.c -- compile-time arena and string buffer (see arena.h).
 */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaChunk {
    ArenaChunk *next;
    size_t size;
    max_align_t data[];
};

enum { AR_CHUNK = 64 * 1024 };

/* Test builds (-DVELO_ALLOC_TEST): the Nth allocation fails when
 * VELO_FAIL_ALLOC=N (counter shared with the runtime, runtime/arena.c). */
#ifdef VELO_ALLOC_TEST
int velo_test_alloc_fails(void);
#define AR_FAILS() velo_test_alloc_fails()
#else
#define AR_FAILS() 0
#endif

static void ar_oom(void)
{
    fputs("veloc: out of memory\n", stderr);
    exit(1);
}

void ar_init(Arena *a)
{
    memset(a, 0, sizeof *a);
}

void ar_free(Arena *a)
{
    ArenaChunk *c = a->head;
    while (c) {
        ArenaChunk *next = c->next;
        free(c);
        c = next;
    }
    memset(a, 0, sizeof *a);
}

void *ar_alloc(Arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    if ((size_t)(a->end - a->cur) < n) {
        size_t size = n > AR_CHUNK / 4 ? n : AR_CHUNK;
        ArenaChunk *c = AR_FAILS() ? NULL : malloc(sizeof *c + size);
        if (!c) ar_oom();
        c->size = size;
        if (n > AR_CHUNK / 4 && a->head) {
            /* big block: keep the current chunk's free space for small ones */
            c->next = a->head->next;
            a->head->next = c;
            a->total += n;
            return memset(c->data, 0, n);
        }
        c->next = a->head;
        a->head = c;
        a->cur = (char *)c->data;
        a->end = a->cur + size;
    }
    void *p = a->cur;
    a->cur += n;
    a->total += n;
    return memset(p, 0, n);
}

char *ar_strndup(Arena *a, const char *s, size_t n)
{
    char *p = ar_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *ar_strdup(Arena *a, const char *s)
{
    return ar_strndup(a, s, strlen(s));
}

char *ar_vprintf(Arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *p = ar_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *ar_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = ar_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void sb_init(StrBuf *b)
{
    memset(b, 0, sizeof *b);
}

void sb_free(StrBuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

static void sb_grow(StrBuf *b, size_t need)
{
    if (b->n + need + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->n + need + 1) cap *= 2;
    char *p = AR_FAILS() ? NULL : realloc(b->p, cap);
    if (!p) ar_oom();
    b->p = p;
    b->cap = cap;
}

void sb_add(StrBuf *b, const char *s, size_t n)
{
    sb_grow(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void sb_puts(StrBuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

void sb_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    sb_grow(b, (size_t)n);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    b->n += (size_t)n;
    va_end(ap);
}

char *sb_detach(StrBuf *b)
{
    sb_grow(b, 0);
    char *p = b->p;
    memset(b, 0, sizeof *b);
    return p;
}
