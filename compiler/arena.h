/*
 * arena.h -- bump allocation for compile-time structures (AST, plans, C text).
 * Everything veloc builds for one script lives in one Arena and is freed at
 * once; no compile-time structure is freed individually.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
    ArenaChunk *head;
    char *cur, *end;
    size_t total; /* bytes handed out */
} Arena;

void ar_init(Arena *a);
void ar_free(Arena *a);
void *ar_alloc(Arena *a, size_t n); /* zeroed, 16-byte aligned; exits with status 1 on OOM */
char *ar_strdup(Arena *a, const char *s);
char *ar_strndup(Arena *a, const char *s, size_t n);
char *ar_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *ar_vprintf(Arena *a, const char *fmt, va_list ap);

/* A growable byte buffer whose storage is malloc'd (used for generated C). */
typedef struct StrBuf {
    char *p;
    size_t n, cap;
} StrBuf;
void sb_init(StrBuf *b);
void sb_free(StrBuf *b);
void sb_add(StrBuf *b, const char *s, size_t n);
void sb_puts(StrBuf *b, const char *s);
void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_detach(StrBuf *b); /* NUL-terminated; caller frees */

#endif
