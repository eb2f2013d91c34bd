/*
 * fuzz_common.h -- helpers shared by the libFuzzer targets: a scratch
 * directory created once per process, files written into it, and a quiet
 * runtime context whose dead letters go to /dev/null.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include "velo_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fz_dir[256];

static inline void fz_cleanup(void)
{
    char cmd[300];
    if (!fz_dir[0]) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fz_dir);
    if (system(cmd) != 0) { /* best effort */
    }
}

/* Creates the scratch directory once; returns its path. */
static inline const char *fz_tmpdir(void)
{
    if (fz_dir[0]) return fz_dir;
    const char *base = getenv("TMPDIR");
    snprintf(fz_dir, sizeof fz_dir, "%s/velofuzz.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(fz_dir)) {
        perror("mkdtemp");
        abort();
    }
    atexit(fz_cleanup);
    return fz_dir;
}

/* Writes data[0..n) to DIR/name; returns the malloc'ed path. */
static inline char *fz_write(const char *name, const void *data, size_t n)
{
    const char *d = fz_tmpdir();
    size_t len = strlen(d) + strlen(name) + 2;
    char *path = malloc(len);
    snprintf(path, len, "%s/%s", d, name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

/* A runtime context that prints nothing (no progress, no summary). */
static inline velo_rt *fz_rt_new(void)
{
    velo_opts o;
    memset(&o, 0, sizeof o);
    o.quiet = 1;
    o.format = "jsonl";
    o.job_name = "fuzz";
    return velo_rt_new(&o);
}

#endif
