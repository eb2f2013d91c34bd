/*
 * functions.c -- the function registry (see functions.h). Adding a plain
 * scalar function is one row here plus its vf_* implementation in
 * runtime/functions.c.
 */
#include "functions.h"

#include <string.h>

#include "diag.h"

#define S(name, params, ret, tmpl, fallible, doc)                                                                                          \
    {                                                                                                                                      \
        name, FN_SCALAR, F_NONE, sizeof(params) - 1, sizeof(params) - 1, params, ret, tmpl, fallible, doc                                  \
    }
#define SP(name, id, lo, hi, params, ret, doc)                                                                                             \
    {                                                                                                                                      \
        name, FN_SPECIAL, id, lo, hi, params, ret, NULL, 0, doc                                                                            \
    }
#define AG(name, id, lo, hi, params, ret, doc)                                                                                             \
    {                                                                                                                                      \
        name, FN_AGG, id, lo, hi, params, ret, NULL, 0, doc                                                                                \
    }
#define AN(name, id, lo, hi, params, ret, doc)                                                                                             \
    {                                                                                                                                      \
        name, FN_ANALYTIC, id, lo, hi, params, ret, NULL, 0, doc                                                                           \
    }

static const FuncDef fn_table[] = {
    /* math */
    S("SQRT", "d", VT_DOUBLE, "vf_sqrt(rt, $0)", 1, "square root"),
    S("CBRT", "d", VT_DOUBLE, "vf_cbrt($0)", 0, "cube root"),
    S("EXP", "d", VT_DOUBLE, "vf_exp($0)", 0, "e raised to x"),
    S("LN", "d", VT_DOUBLE, "vf_ln(rt, $0)", 1, "natural logarithm"),
    S("LOG10", "d", VT_DOUBLE, "vf_log10(rt, $0)", 1, "base-10 logarithm"),
    S("LOG", "dd", VT_DOUBLE, "vf_log(rt, $0, $1)", 1, "logarithm of x to base b: LOG(b, x)"),
    S("POWER", "dd", VT_DOUBLE, "vf_power(rt, $0, $1)", 1, "x raised to y"),
    S("POW", "dd", VT_DOUBLE, "vf_power(rt, $0, $1)", 1, "x raised to y"),
    S("SIN", "d", VT_DOUBLE, "vf_sin($0)", 0, "sine (radians)"),
    S("COS", "d", VT_DOUBLE, "vf_cos($0)", 0, "cosine (radians)"),
    S("TAN", "d", VT_DOUBLE, "vf_tan($0)", 0, "tangent (radians)"),
    S("ASIN", "d", VT_DOUBLE, "vf_asin(rt, $0)", 1, "arc sine"),
    S("ACOS", "d", VT_DOUBLE, "vf_acos(rt, $0)", 1, "arc cosine"),
    S("ATAN", "d", VT_DOUBLE, "vf_atan($0)", 0, "arc tangent"),
    S("ATAN2", "dd", VT_DOUBLE, "vf_atan2($0, $1)", 0, "arc tangent of y/x"),
    S("DEGREES", "d", VT_DOUBLE, "vf_degrees($0)", 0, "radians to degrees"),
    S("RADIANS", "d", VT_DOUBLE, "vf_radians($0)", 0, "degrees to radians"),
    S("PI", "", VT_DOUBLE, "vf_pi()", 0, "the constant pi"),
    S("RANDOM", "", VT_DOUBLE, "vf_random(rt)", 0, "uniform random number in [0, 1)"),
    SP("ABS", F_ABS, 1, 1, "n", RET_ARG0, "absolute value"),
    SP("SIGN", F_SIGN, 1, 1, "n", VT_INT, "-1, 0 or 1"),
    SP("ROUND", F_ROUND, 1, 2, "ni", RET_ARG0, "round half away from zero to digits (default 0)"),
    SP("TRUNC", F_TRUNC, 1, 2, "ni", RET_ARG0, "truncate toward zero to digits (default 0)"),
    SP("TRUNCATE", F_TRUNC, 1, 2, "ni", RET_ARG0, "truncate toward zero to digits (default 0)"),
    SP("FLOOR", F_FLOOR, 1, 1, "n", RET_ARG0, "largest integer not greater than x"),
    SP("CEIL", F_CEIL, 1, 1, "n", RET_ARG0, "smallest integer not less than x"),
    SP("CEILING", F_CEIL, 1, 1, "n", RET_ARG0, "smallest integer not less than x"),
    SP("MOD", F_MOD, 2, 2, "nn", RET_COMMON, "remainder of x / y (sign of x)"),
    /* strings */
    SP("LENGTH", F_LENGTH, 1, 1, "s", VT_BIGINT, "number of characters (UTF-8 code points)"),
    SP("CHAR_LENGTH", F_LENGTH, 1, 1, "s", VT_BIGINT, "number of characters (UTF-8 code points)"),
    S("OCTET_LENGTH", "s", VT_BIGINT, "($0).n", 0, "number of bytes"),
    S("UPPER", "s", VT_STRING, "vf_upper(rt, $0)", 0, "upper case (ASCII)"),
    S("LOWER", "s", VT_STRING, "vf_lower(rt, $0)", 0, "lower case (ASCII)"),
    S("INITCAP", "s", VT_STRING, "vf_initcap(rt, $0)", 0, "first letter of each word upper case"),
    S("TRIM", "s", VT_STRING, "vf_trim($0)", 0, "remove leading and trailing spaces"),
    S("LTRIM", "s", VT_STRING, "vf_ltrim($0)", 0, "remove leading spaces"),
    S("RTRIM", "s", VT_STRING, "vf_rtrim($0)", 0, "remove trailing spaces"),
    SP("SUBSTRING", F_SUBSTR, 2, 3, "sii", VT_STRING, "substring from 1-based start [for length]"),
    SP("SUBSTR", F_SUBSTR, 2, 3, "sii", VT_STRING, "substring from 1-based start [for length]"),
    S("LEFT", "si", VT_STRING, "vf_left($0, $1)", 0, "first n characters"),
    S("RIGHT", "si", VT_STRING, "vf_right($0, $1)", 0, "last n characters"),
    S("REPLACE", "sss", VT_STRING, "vf_replace(rt, $0, $1, $2)", 0, "replace every occurrence of from with to"),
    S("POSITION", "ss", VT_BIGINT, "vf_position($0, $1)", 0, "1-based position of needle in haystack, 0 if absent"),
    S("STRPOS", "ss", VT_BIGINT, "vf_position($1, $0)", 0, "STRPOS(haystack, needle)"),
    S("REVERSE", "s", VT_STRING, "vf_reverse(rt, $0)", 0, "characters in reverse order"),
    S("REPEAT", "si", VT_STRING, "vf_repeat(rt, $0, $1)", 0, "string repeated n times"),
    S("LPAD", "sis", VT_STRING, "vf_lpad(rt, $0, $1, $2)", 0, "left-pad to length with fill"),
    S("RPAD", "sis", VT_STRING, "vf_rpad(rt, $0, $1, $2)", 0, "right-pad to length with fill"),
    S("SPLIT_PART", "ssi", VT_STRING, "vf_split_part(rt, $0, $1, $2)", 0, "n-th field of s split by delimiter"),
    S("STARTS_WITH", "ss", VT_BOOL, "vf_starts_with($0, $1)", 0, "whether s starts with prefix"),
    S("ENDS_WITH", "ss", VT_BOOL, "vf_ends_with($0, $1)", 0, "whether s ends with suffix"),
    S("REGEXP_LIKE", "ss", VT_BOOL, "vf_regexp_like(rt, $0, $1)", 1, "whether s matches the regular expression (PCRE2)"),
    S("REGEXP_REPLACE", "sss", VT_STRING, "vf_regexp_replace(rt, $0, $1, $2)", 1, "replace regexp matches"),
    SP("REGEXP_EXTRACT", F_REGEXP_EXTRACT, 2, 3, "ssi", VT_STRING, "matched text (or capture group n), NULL if no match"),
    SP("JSON_VALUE", F_JSON_VALUE, 2, 2, "ss", VT_STRING, "scalar at a JSON path such as '$.a.b[0]'"),
    SP("JSON_EXTRACT", F_JSON_VALUE, 2, 2, "ss", VT_STRING, "scalar at a JSON path such as '$.a.b[0]'"),
    S("MD5", "s", VT_STRING, "vf_md5(rt, $0)", 0, "MD5 digest as lowercase hex"),
    S("ASCII", "s", VT_BIGINT, "vf_ascii($0)", 0, "code of the first character"),
    S("CHR", "i", VT_STRING, "vf_chr(rt, $0)", 0, "character with the given code point"),
    SP("CONCAT", F_CONCAT, 1, -1, "a", VT_STRING, "concatenation, NULL arguments ignored"),
    SP("CONCAT_WS", F_CONCAT_WS, 2, -1, "sa", VT_STRING, "concatenation with separator, NULLs skipped"),
    /* date and time */
    SP("NOW", F_NOW, 0, 0, "", VT_TIMESTAMP, "current time"),
    SP("CURRENT_TIMESTAMP", F_NOW, 0, 0, "", VT_TIMESTAMP, "current time"),
    SP("DATE_TRUNC", F_DATE_TRUNC, 2, 2, "ut", VT_TIMESTAMP, "timestamp truncated to unit ('hour', 'day', ...)"),
    SP("YEAR", F_EXTRACT_PART, 1, 1, "t", VT_BIGINT, "year of a timestamp"),
    SP("MONTH", F_EXTRACT_PART, 1, 1, "t", VT_BIGINT, "month 1-12"),
    SP("DAY", F_EXTRACT_PART, 1, 1, "t", VT_BIGINT, "day of month"),
    SP("HOUR", F_EXTRACT_PART, 1, 1, "t", VT_BIGINT, "hour 0-23"),
    SP("MINUTE", F_EXTRACT_PART, 1, 1, "t", VT_BIGINT, "minute 0-59"),
    SP("SECOND", F_EXTRACT_PART, 1, 1, "t", VT_BIGINT, "second 0-59"),
    SP("DAYOFWEEK", F_EXTRACT_PART, 1, 1, "t", VT_BIGINT, "day of week, 0 = Sunday"),
    SP("DAYOFYEAR", F_EXTRACT_PART, 1, 1, "t", VT_BIGINT, "day of year 1-366"),
    S("UNIX_TIMESTAMP", "t", VT_BIGINT, "vt_extract(VT_F_EPOCH, $0)", 0, "seconds since the Unix epoch"),
    S("EPOCH_MILLIS", "t", VT_BIGINT, "(($0) / 1000)", 0, "milliseconds since the Unix epoch"),
    SP("TO_TIMESTAMP", F_TO_TIMESTAMP, 1, 1, "a", VT_TIMESTAMP, "timestamp from epoch seconds or ISO-8601 text"),
    S("FROM_UNIXTIME", "d", VT_TIMESTAMP, "vf_to_timestamp_seconds(rt, $0)", 1, "timestamp from epoch seconds"),
    S("FROM_EPOCH_MILLIS", "i", VT_TIMESTAMP, "vf_from_epoch_millis(rt, $0)", 1, "timestamp from epoch milliseconds"),
    S("DATE_FORMAT", "ts", VT_STRING, "vf_date_format(rt, $0, $1)", 0, "format with %Y %m %d %H %M %S %f %j %a %b"),
    S("ADD_MONTHS", "ti", VT_TIMESTAMP, "vt_add_months(rt, $0, $1)", 1, "timestamp plus n calendar months"),
    /* conditional */
    SP("COALESCE", F_COALESCE, 1, -1, "a", RET_COMMON, "first non-NULL argument"),
    SP("NULLIF", F_NULLIF, 2, 2, "aa", RET_ARG0, "NULL if a = b, else a"),
    SP("GREATEST", F_GREATEST, 1, -1, "a", RET_COMMON, "largest non-NULL argument"),
    SP("LEAST", F_LEAST, 1, -1, "a", RET_COMMON, "smallest non-NULL argument"),
    SP("IFNULL", F_IFNULL, 2, 2, "aa", RET_COMMON, "a if not NULL, else b"),
    SP("IF", F_IF, 3, 3, "baa", RET_COMMON, "IF(cond, a, b)"),
    /* aggregates */
    AG("COUNT", A_COUNT, 1, 1, "a", VT_BIGINT, "number of rows (COUNT(*)) or of non-NULL values"),
    AG("COUNT_DISTINCT", A_COUNT_DISTINCT, 1, 1, "a", VT_BIGINT, "number of distinct non-NULL values"),
    AG("SUM", A_SUM, 1, 1, "n", RET_AGG, "sum of non-NULL values; NULL over no rows"),
    AG("AVG", A_AVG, 1, 1, "n", RET_AGG, "mean of non-NULL values"),
    AG("MIN", A_MIN, 1, 1, "a", RET_ARG0, "smallest value"),
    AG("MAX", A_MAX, 1, 1, "a", RET_ARG0, "largest value"),
    AG("STDDEV_SAMP", A_STDDEV_SAMP, 1, 1, "d", VT_DOUBLE, "sample standard deviation"),
    AG("STDDEV", A_STDDEV_SAMP, 1, 1, "d", VT_DOUBLE, "sample standard deviation"),
    AG("STDDEV_POP", A_STDDEV_POP, 1, 1, "d", VT_DOUBLE, "population standard deviation"),
    AG("VAR_SAMP", A_VAR_SAMP, 1, 1, "d", VT_DOUBLE, "sample variance"),
    AG("VARIANCE", A_VAR_SAMP, 1, 1, "d", VT_DOUBLE, "sample variance"),
    AG("VAR_POP", A_VAR_POP, 1, 1, "d", VT_DOUBLE, "population variance"),
    AG("MEDIAN", A_MEDIAN, 1, 1, "d", VT_DOUBLE, "median (mean of the two middle values)"),
    AG("FIRST_VALUE", A_FIRST_VALUE, 1, 1, "a", RET_ARG0, "first value in arrival order"),
    AG("LAST_VALUE", A_LAST_VALUE, 1, 1, "a", RET_ARG0, "last value in arrival order"),
    AG("STRING_AGG", A_STRING_AGG, 2, 2, "ss", VT_STRING, "values joined by a constant separator"),
    AG("LISTAGG", A_STRING_AGG, 2, 2, "ss", VT_STRING, "values joined by a constant separator"),
    AG("APPROX_COUNT_DISTINCT", A_APPROX_COUNT_DISTINCT, 1, 1, "a", VT_BIGINT,
       "distinct values estimated with HyperLogLog (about 2% error)"),
    AG("PERCENTILE_CONT", A_PERCENTILE_CONT, 2, 2, "dd", VT_DOUBLE,
       "PERCENTILE_CONT(x, p): interpolated p-th percentile, p a constant in [0, 1]"),
    AG("PERCENTILE_DISC", A_PERCENTILE_DISC, 2, 2, "dd", VT_DOUBLE, "PERCENTILE_DISC(x, p): first value whose cumulative share reaches p"),
    AG("CORR", A_CORR, 2, 2, "dd", VT_DOUBLE, "CORR(y, x): Pearson correlation coefficient"),
    AG("COVAR_SAMP", A_COVAR_SAMP, 2, 2, "dd", VT_DOUBLE, "COVAR_SAMP(y, x): sample covariance"),
    AN("ROW_NUMBER", W_ROW_NUMBER, 0, 0, "", VT_BIGINT, "OVER: 1, 2, 3, ... within the partition"),
    AN("RANK", W_RANK, 0, 0, "", VT_BIGINT, "OVER: rank with gaps among equal ORDER BY values"),
    AN("DENSE_RANK", W_DENSE_RANK, 0, 0, "", VT_BIGINT, "OVER: rank without gaps"),
    AN("PERCENT_RANK", W_PERCENT_RANK, 0, 0, "", VT_DOUBLE, "OVER: (rank - 1) / (rows in partition - 1)"),
    AN("CUME_DIST", W_CUME_DIST, 0, 0, "", VT_DOUBLE, "OVER: share of rows ordered at or before this one"),
    AN("NTILE", W_NTILE, 1, 1, "i", VT_BIGINT, "OVER: bucket 1..n of the partition, n a constant"),
    AN("LAG", W_LAG, 1, 3, "aia", RET_ARG0, "OVER: value of the row n (default 1) before, else default"),
    AN("LEAD", W_LEAD, 1, 3, "aia", RET_ARG0, "OVER: value of the row n (default 1) after, else default"),
    AG("COVAR_POP", A_COVAR_POP, 2, 2, "dd", VT_DOUBLE, "COVAR_POP(y, x): population covariance"),
};

enum { FN_N = sizeof fn_table / sizeof fn_table[0] };

const FuncDef *fn_lookup(const char *name)
{
    for (int i = 0; i < FN_N; i++)
        if (strcasecmp(fn_table[i].name, name) == 0) return &fn_table[i];
    return NULL;
}

int fn_count(void)
{
    return FN_N;
}

const FuncDef *fn_at(int i)
{
    return i >= 0 && i < FN_N ? &fn_table[i] : NULL;
}

const char *fn_suggest(const char *name)
{
    const char *cands[FN_N];
    for (int i = 0; i < FN_N; i++) cands[i] = fn_table[i].name;
    return diag_suggest(name, cands, FN_N);
}

static const char *fn_param_name(char c)
{
    switch (c) {
    case 'd': return "DOUBLE";
    case 'i': return "BIGINT";
    case 's': return "STRING";
    case 't': return "TIMESTAMP";
    case 'b': return "BOOLEAN";
    case 'n': return "NUMERIC";
    case 'u': return "UNIT";
    default: return "ANY";
    }
}

static const char *fn_ret_name(Arena *a, const FuncDef *f)
{
    switch (f->ret) {
    case RET_ARG0: return f->params[0] == 'n' ? "NUMERIC" : "same as argument";
    case RET_COMMON: return "common type of arguments";
    case RET_AGG: return f->id == A_AVG ? "DOUBLE or DECIMAL" : "BIGINT, DOUBLE or DECIMAL";
    default: return ty_name(a, ty_make(f->ret));
    }
}

const char *fn_signature(Arena *a, const FuncDef *f)
{
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s(", f->name);
    int np = (int)strlen(f->params);
    int shown = f->max_args < 0 ? f->min_args + 1 : f->max_args;
    if (f->id == A_COUNT) sb_puts(&b, "* | ");
    for (int i = 0; i < shown && np > 0; i++) {
        char c = f->params[i < np ? i : np - 1];
        if (i) sb_puts(&b, ", ");
        if (i == f->min_args && f->max_args >= 0) sb_puts(&b, "[");
        sb_puts(&b, fn_param_name(c));
    }
    if (f->max_args > f->min_args) sb_puts(&b, "]");
    if (f->max_args < 0) sb_puts(&b, ", ...");
    sb_printf(&b, ") -> %s", fn_ret_name(a, f));
    char *s = ar_strdup(a, b.p);
    sb_free(&b);
    return s;
}
