/*
 * optimizer.h -- the rewrite passes over a Job, in a fixed order. Each pass
 * is named, timed, can be switched off (veloc --disable-pass NAME) and
 * reports how often it fired; EXPLAIN prints all of that.
 */
#ifndef OPTIMIZER_H
#define OPTIMIZER_H

#include "plan.h"

enum { OPT_MAX_PASSES = 8 };

typedef struct OptPassStat {
    const char *name;
    const char *what; /* one line for EXPLAIN */
    int enabled;
    int fired;
    double ms;
} OptPassStat;

typedef struct Optimizer {
    Arena *a;
    OptPassStat pass[OPT_MAX_PASSES];
    int npasses;
    int widths; /* project_down sets est_width (row_widths' dry run) */
} Optimizer;

void opt_init(Optimizer *o, Arena *a);
/* Turn a pass off by name; -1 if there is no such pass. */
int opt_disable(Optimizer *o, const char *name);
const char *opt_suggest(Optimizer *o, const char *name);
void opt_run(Optimizer *o, Job *job);
/* Renumber operators bottom-up (scans first) so ids are stable and read
 * in pipeline order. */
void opt_number(Job *job);

#endif
