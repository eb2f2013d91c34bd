/*
 * types.h -- SQL type rules used by the binder and code generator: names,
 * promotion for arithmetic and comparison, DECIMAL precision/scale results.
 * The type tags themselves (VT_*) are shared with the runtime in velo.h.
 */
#ifndef TYPES_H
#define TYPES_H

#include "ast.h"
#include "velo.h"

TypeSpec ty_make(int tag);
TypeSpec ty_decimal(int prec, int scale);
const char *ty_name(Arena *a, TypeSpec t); /* "DECIMAL(12,2)", "BIGINT", ... */
int ty_is_int(TypeSpec t);                 /* INTEGER or BIGINT */
int ty_is_numeric(TypeSpec t);             /* INTEGER BIGINT DECIMAL DOUBLE */
/* A number or timestamp written as text (a CSV field, a property) as a
 * double: DECIMAL in units, TIMESTAMP in microseconds since the epoch.
 * -1 for other types and for text that is not such a value. */
int ty_text_value(TypeSpec t, const char *f, size_t n, double *out);
int ty_equal(TypeSpec a, TypeSpec b);
/* Integers seen as decimals: INTEGER is DECIMAL(10,0), BIGINT DECIMAL(18,0). */
TypeSpec ty_as_decimal(TypeSpec t);
/* Result of a + - * / % b for numeric operands; tag VT_NULL if not allowed. */
TypeSpec ty_arith(int op, TypeSpec a, TypeSpec b);
/* Common type two values are compared or unified (CASE, UNION, COALESCE) in;
 * VT_NULL tag when there is none. */
TypeSpec ty_common(TypeSpec a, TypeSpec b);
/* Whether CAST(from AS to) is allowed. */
int ty_castable(TypeSpec from, TypeSpec to);
/* C type used for values of t in generated code ("i64", "double", "vstr", "int"). */
const char *ty_ctype(TypeSpec t);

#endif
