/*
 * arena.c -- bump allocator for values whose lifetimes end together.
 *
 * Every record's temporary strings live in rt->tmp, which is reset before the
 * next record, so the common path is a pointer bump and the reset must not
 * touch malloc.  The arena is a list of chunks, newest first; va_reset keeps
 * one chunk (merging the sizes of all chunks into one when a record needed
 * more than the first) so steady state costs zero allocations.
 */
#include "velo.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VA_CHUNK_MIN (64 * 1024)
#define VA_CHUNK_MAX (64 * 1024 * 1024)

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

/* Pushes a fresh chunk of at least n usable bytes and makes it current. */
static void va_push_chunk(velo_arena *a, vsize n)
{
    vsize size = n < VA_CHUNK_MIN ? VA_CHUNK_MIN : n;
    struct va_chunk *c;

    if (size > SIZE_MAX - sizeof(*c))
        va_oom();
    c = malloc(sizeof(*c) + size);
    if (!c)
        va_oom();
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

    if (need < n)
        va_oom();
    if (!a->cur || (vsize)(a->end - a->cur) < need)
        va_push_chunk(a, need);
    p = a->cur;
    a->cur += need;
    a->used += (i64)need;
    return p;
}

vstr va_strdup(velo_arena *a, vstr s)
{
    char *p = va_alloc(a, (vsize)s.n + 1);
    vstr r;

    if (s.n > 0)
        memcpy(p, s.p, (vsize)s.n);
    p[s.n] = '\0';
    r.p = p;
    r.n = s.n;
    return r;
}

void va_reset(velo_arena *a)
{
    struct va_chunk *c = a->head, *next;
    vsize total = 0;

    if (!c)
        return;
    if (c->next) {
        /* More than one chunk was needed: replace them by one big enough
         * for the whole load, so the next reset is free again. */
        for (; c; c = next) {
            next = c->next;
            total += c->size;
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
        free(c);
    }
    a->head = NULL;
    a->cur = a->end = NULL;
    a->used = 0;
}
