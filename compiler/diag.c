/*
 * diag.c -- compiler diagnostics (see diag.h). An error names the place as
 * PATH:LINE:COL, then quotes the source line with a caret under the column,
 * so the user sees exactly which token is wrong without opening the file.
 */
#include "diag.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(Diag *d, const char *path, const char *text, size_t len)
{
    memset(d, 0, sizeof *d);
    d->path = path ? path : "<input>";
    d->text = text;
    d->len = len;
    d->out = stderr;
}

/* Quote the line holding pos and put a caret under its column. Tabs before
 * the column are copied into the caret line so it lines up whatever the
 * terminal's tab width. */
static void diag_quote(Diag *d, SrcPos pos)
{
    if (!d->text || pos.off < 0 || (size_t)pos.off > d->len) return;
    size_t off = (size_t)pos.off, start = off, end = off;
    while (start > 0 && d->text[start - 1] != '\n') start--;
    while (end < d->len && d->text[end] != '\n') end++;
    if (end > start && d->text[end - 1] == '\r') end--;
    fwrite(d->text + start, 1, end - start, d->out);
    fputc('\n', d->out);
    for (size_t i = start; i < off; i++) fputc(d->text[i] == '\t' ? '\t' : ' ', d->out);
    fputs("^\n", d->out);
}

static void diag_vreport(Diag *d, SrcPos pos, const char *kind, const char *hint, const char *fmt, va_list ap)
{
    FILE *out = d->out ? d->out : stderr;
    d->out = out;
    fprintf(out, "%s:%d:%d: %s: ", d->path ? d->path : "<input>", pos.line, pos.col, kind);
    vfprintf(out, fmt, ap);
    if (hint) fprintf(out, " (did you mean '%s'?)", hint);
    fputc('\n', out);
}

void diag_error(Diag *d, SrcPos pos, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(d, pos, "error", hint, fmt, ap);
    va_end(ap);
    diag_quote(d, pos);
    d->nerrors++;
}

void diag_note(Diag *d, SrcPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(d, pos, "note", NULL, fmt, ap);
    va_end(ap);
}

/* Levenshtein distance in which swapping two adjacent letters also costs 1
 * (optimal string alignment): "pirce" is one typo away from "price", as the
 * user sees it, not two. Case-insensitive. */
int diag_edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    int *m = malloc((na + 1) * (nb + 1) * sizeof *m);
    if (!m) return (int)(na > nb ? na : nb);
#define DIAG_M(i, j) m[(i) * (nb + 1) + (j)]
    for (size_t i = 0; i <= na; i++) DIAG_M(i, 0) = (int)i;
    for (size_t j = 0; j <= nb; j++) DIAG_M(0, j) = (int)j;
    for (size_t i = 1; i <= na; i++) {
        int ca = tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= nb; j++) {
            int cb = tolower((unsigned char)b[j - 1]);
            int best = DIAG_M(i - 1, j - 1) + (ca != cb);
            if (DIAG_M(i - 1, j) + 1 < best) best = DIAG_M(i - 1, j) + 1;
            if (DIAG_M(i, j - 1) + 1 < best) best = DIAG_M(i, j - 1) + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == cb &&
                DIAG_M(i - 2, j - 2) + 1 < best)
                best = DIAG_M(i - 2, j - 2) + 1;
            DIAG_M(i, j) = best;
        }
    }
    int d = DIAG_M(na, nb);
#undef DIAG_M
    free(m);
    return d;
}

const char *diag_suggest(const char *word, const char *const *cands, int n)
{
    int limit = (int)strlen(word) / 3;
    if (limit < 1) limit = 1;
    const char *best = NULL;
    int best_d = limit + 1;
    for (int i = 0; i < n; i++) {
        if (!cands[i]) continue;
        int dist = diag_edit_distance(word, cands[i]);
        if (dist < best_d) {
            best = cands[i];
            best_d = dist;
        }
    }
    return best;
}
