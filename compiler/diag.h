/*
 * diag.h -- compiler diagnostics: "file:line:col: error: message", the source
 * line and a caret, with an optional did-you-mean suggestion. Errors are
 * collected (every error of a script is reported in one run); the caller
 * checks Diag.nerrors after each phase.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdio.h>

#include "ast.h"

typedef struct Diag {
    const char *path; /* shown in messages */
    const char *text; /* whole source, for the quoted line */
    size_t len;
    int nerrors;
    FILE *out; /* stderr by default */
} Diag;

void diag_init(Diag *d, const char *path, const char *text, size_t len);
/* Report an error at pos. hint, if not NULL, is appended as " (did you mean 'hint'?)". */
void diag_error(Diag *d, SrcPos pos, const char *hint, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_note(Diag *d, SrcPos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Closest candidate to word by case-insensitive edit distance, or NULL when
 * nothing is close enough (distance > max(1, strlen(word)/3)). */
const char *diag_suggest(const char *word, const char *const *cands, int n);
int diag_edit_distance(const char *a, const char *b); /* case-insensitive Levenshtein */

#endif
