/*
 * types.c -- SQL type rules (see types.h).
 */
#include "types.h"

#include <stdio.h>
#include <stdlib.h>

TypeSpec ty_make(int tag)
{
    TypeSpec t = {tag, 0, 0};
    if (tag == VT_INT) t.prec = 10;
    if (tag == VT_BIGINT) t.prec = 18;
    return t;
}

TypeSpec ty_decimal(int prec, int scale)
{
    if (prec > 18) prec = 18;
    if (prec < 1) prec = 1;
    if (scale > 18) scale = 18;
    if (scale > prec) prec = scale;
    TypeSpec t = {VT_DECIMAL, prec, scale};
    return t;
}

const char *ty_name(Arena *a, TypeSpec t)
{
    switch (t.tag) {
    case VT_NULL: return "NULL";
    case VT_BOOL: return "BOOLEAN";
    case VT_INT: return "INTEGER";
    case VT_BIGINT: return "BIGINT";
    case VT_DOUBLE: return "DOUBLE";
    case VT_DECIMAL: return ar_printf(a, "DECIMAL(%d,%d)", t.prec, t.scale);
    case VT_STRING: return "STRING";
    case VT_TIMESTAMP: return "TIMESTAMP";
    case VT_INTERVAL: return "INTERVAL";
    }
    return "?";
}

int ty_is_int(TypeSpec t)
{
    return t.tag == VT_INT || t.tag == VT_BIGINT;
}

int ty_is_numeric(TypeSpec t)
{
    return ty_is_int(t) || t.tag == VT_DECIMAL || t.tag == VT_DOUBLE;
}

int ty_equal(TypeSpec a, TypeSpec b)
{
    if (a.tag != b.tag) return 0;
    return a.tag != VT_DECIMAL || (a.prec == b.prec && a.scale == b.scale);
}

TypeSpec ty_as_decimal(TypeSpec t)
{
    if (t.tag == VT_INT) return ty_decimal(10, 0);
    if (t.tag == VT_BIGINT) return ty_decimal(18, 0);
    return t;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

/* DECIMAL result rules follow SQL Server/PostgreSQL in spirit, capped at 18
 * digits because a DECIMAL is one scaled 64-bit integer. */
static TypeSpec ty_dec_arith(int op, TypeSpec a, TypeSpec b)
{
    a = ty_as_decimal(a);
    b = ty_as_decimal(b);
    int ia = a.prec - a.scale, ib = b.prec - b.scale;
    switch (op) {
    case OP_ADD:
    case OP_SUB: {
        int s = imax(a.scale, b.scale);
        return ty_decimal(imax(ia, ib) + s + 1, s);
    }
    case OP_MUL: {
        int s = a.scale + b.scale;
        if (s > 12) s = imax(imax(a.scale, b.scale), 12);
        return ty_decimal(a.prec + b.prec, s);
    }
    case OP_DIV: {
        int s = imax(6, imax(a.scale, b.scale));
        return ty_decimal(ia + b.scale + s, s);
    }
    case OP_MOD: {
        int s = imax(a.scale, b.scale);
        return ty_decimal(imax(ia, ib) + s, s);
    }
    }
    return ty_make(VT_NULL);
}

TypeSpec ty_arith(int op, TypeSpec a, TypeSpec b)
{
    if (a.tag == VT_NULL) a = b;
    if (b.tag == VT_NULL) b = a;
    if (a.tag == VT_TIMESTAMP || b.tag == VT_TIMESTAMP || a.tag == VT_INTERVAL || b.tag == VT_INTERVAL) {
        if (op == OP_ADD && ((a.tag == VT_TIMESTAMP && b.tag == VT_INTERVAL) || (a.tag == VT_INTERVAL && b.tag == VT_TIMESTAMP)))
            return ty_make(VT_TIMESTAMP);
        if (op == OP_SUB && a.tag == VT_TIMESTAMP && b.tag == VT_INTERVAL) return ty_make(VT_TIMESTAMP);
        if (op == OP_SUB && a.tag == VT_TIMESTAMP && b.tag == VT_TIMESTAMP) return ty_make(VT_INTERVAL);
        if ((op == OP_ADD || op == OP_SUB) && a.tag == VT_INTERVAL && b.tag == VT_INTERVAL) return ty_make(VT_INTERVAL);
        return ty_make(VT_NULL);
    }
    if (!ty_is_numeric(a) || !ty_is_numeric(b)) return ty_make(VT_NULL);
    if (a.tag == VT_DOUBLE || b.tag == VT_DOUBLE) return ty_make(VT_DOUBLE);
    if (a.tag == VT_DECIMAL || b.tag == VT_DECIMAL) return ty_dec_arith(op, a, b);
    if (a.tag == VT_BIGINT || b.tag == VT_BIGINT) return ty_make(VT_BIGINT);
    return ty_make(VT_INT);
}

TypeSpec ty_common(TypeSpec a, TypeSpec b)
{
    if (a.tag == VT_NULL) return b;
    if (b.tag == VT_NULL) return a;
    if (ty_equal(a, b)) return a;
    if (ty_is_numeric(a) && ty_is_numeric(b)) {
        if (a.tag == VT_DOUBLE || b.tag == VT_DOUBLE) return ty_make(VT_DOUBLE);
        if (a.tag == VT_DECIMAL || b.tag == VT_DECIMAL) {
            TypeSpec x = ty_as_decimal(a), y = ty_as_decimal(b);
            int s = imax(x.scale, y.scale);
            return ty_decimal(imax(x.prec - x.scale, y.prec - y.scale) + s, s);
        }
        return ty_make(VT_BIGINT);
    }
    if (a.tag == b.tag) return a;
    return ty_make(VT_NULL);
}

int ty_castable(TypeSpec from, TypeSpec to)
{
    if (from.tag == VT_NULL || from.tag == to.tag) return 1;
    if (to.tag == VT_STRING || from.tag == VT_STRING) return to.tag != VT_INTERVAL && from.tag != VT_INTERVAL;
    if (ty_is_numeric(from) && ty_is_numeric(to)) return 1;
    if (from.tag == VT_BOOL && ty_is_int(to)) return 1;
    if (ty_is_int(from) && to.tag == VT_BOOL) return 1;
    if (from.tag == VT_TIMESTAMP && to.tag == VT_BIGINT) return 1;
    if (ty_is_int(from) && to.tag == VT_TIMESTAMP) return 1;
    return 0;
}

const char *ty_ctype(TypeSpec t)
{
    switch (t.tag) {
    case VT_BOOL: return "int";
    case VT_DOUBLE: return "double";
    case VT_STRING: return "vstr";
    default: return "i64";
    }
}

int ty_text_value(TypeSpec t, const char *f, size_t n, double *out)
{
    i64 x;
    char *end;
    switch (t.tag) {
    case VT_DECIMAL:
        if (vd_parse(f, (i64)n, t.scale, &x) != 0) return -1;
        *out = (double)x;
        for (int i = 0; i < t.scale; i++) *out /= 10;
        return 0;
    case VT_TIMESTAMP:
        if (vt_parse(f, (i64)n, &x) != 0) return -1;
        *out = (double)x;
        return 0;
    case VT_DOUBLE: *out = strtod(f, &end); break;
    case VT_INT:
    case VT_BIGINT: *out = (double)strtoll(f, &end, 10); break;
    default: return -1;
    }
    return end != f && end == f + n ? 0 : -1;
}
