/*
 * backend.h -- compile generated C: in-process with libtcc (JIT) or ahead
 * of time with the system C compiler into a standalone executable linked
 * against libvelo.a.
 */
#ifndef BACKEND_H
#define BACKEND_H

#include <stddef.h>

#include "velo.h"

typedef struct JitQuery JitQuery;

/* Compile src in memory; NULL after printing the compiler's messages. */
JitQuery *be_jit_compile(const char *src, double *ms);
int be_jit_run(JitQuery *q, velo_rt *rt);
void *be_jit_symbol(JitQuery *q, const char *name); /* NULL if absent */
void be_jit_free(JitQuery *q);

/* Build an executable at out_path. libdir holds libvelo.a and velo_main.o.
 * keep_c, if not NULL, also writes the C there. Returns 0 on success. */
int be_aot_build(const char *src, size_t len, const char *out_path, const char *cc, const char *libdir, const char *keep_c, double *ms);

/* Directory with libvelo.a and velo_main.o next to the running veloc. */
const char *be_libdir(void);

#endif
