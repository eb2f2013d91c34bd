/*
 * codegen.h -- turn an optimized Job into one C translation unit.
 *
 * The output starts with the prelude (runtime/velo.h, embedded at build
 * time) and defines velo_query_main(). Each pipeline between breakers
 * (aggregation, sort) becomes one loop in which every operator's code is
 * inlined (HyPer-style produce/consume); rows travel as C locals, not as
 * maps of fields. User text (literals, names, paths, properties) reaches
 * the C only as octal-escaped string literals: no query can inject code.
 */
#ifndef CODEGEN_H
#define CODEGEN_H

#include "plan.h"

typedef struct CgResult {
    char *c; /* malloc'd C source */
    size_t len;
    int pipelines; /* loops emitted */
} CgResult;

/* script_path: for #line directives (sanitized). */
int cg_generate(Arena *a, Job *job, const char *script_path, CgResult *out);
/* Append s[0..n) to b as a C string literal, escaping every byte outside a
 * small safe set as octal. */
void cg_c_string(StrBuf *b, const char *s, size_t n);
/* Whether the statement ending in this sink supports checkpoints: one file
 * source, filters, projections, aggregates and LIMIT, a file sink. */
int cg_can_checkpoint(const Plan *sink);

/* With job->analyze, the generated code defines these (indexed by operator
 * id, velo_an_n entries): rows each operator produced, late records per
 * window operator, microseconds per pipeline (at its first operator). */
#define CG_AN_ROWS "velo_an_rows"
#define CG_AN_LATE "velo_an_late"
#define CG_AN_US   "velo_an_us"
/* the operator whose code runs now, for EXPLAIN ANALYZE's CPU samples */
#define CG_AN_OP "velo_an_op"
/* bytes of each hash join's table once built (its arena, slots and Bloom filter) */
#define CG_AN_MEM "velo_an_mem"
/* the key values a hash join's bitmap spans, 0 when it built none (the
 * build keys' range decides at run time, codegen.c join_key_bits) */
#define CG_AN_BITS "velo_an_bits"

extern const char velo_prelude[];
extern const unsigned long velo_prelude_len;

#endif
