/*
 * test_types.c -- the SQL type rules of compiler/types.c: type names,
 * DECIMAL precision/scale results of + - * / %, INTEGER/BIGINT/DOUBLE
 * promotion, TIMESTAMP/INTERVAL arithmetic, common types for comparison and
 * UNION, which casts are allowed, and pairs that have no result at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "types.h"

static Arena g_a;

static int setup(void **state)
{
    (void)state;
    ar_init(&g_a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ar_free(&g_a);
    return 0;
}

static TypeSpec I(void)
{
    return ty_make(VT_INT);
}
static TypeSpec BI(void)
{
    return ty_make(VT_BIGINT);
}
static TypeSpec DBL(void)
{
    return ty_make(VT_DOUBLE);
}
static TypeSpec STR(void)
{
    return ty_make(VT_STRING);
}
static TypeSpec BOOL_(void)
{
    return ty_make(VT_BOOL);
}
static TypeSpec TS(void)
{
    return ty_make(VT_TIMESTAMP);
}
static TypeSpec IV(void)
{
    return ty_make(VT_INTERVAL);
}
static TypeSpec NUL(void)
{
    return ty_make(VT_NULL);
}
static TypeSpec D(int p, int s)
{
    return ty_decimal(p, s);
}

/* Compare by name so a failure shows "DECIMAL(12,3)" vs "DECIMAL(13,3)". */
#define assert_type(got, want) assert_string_equal(ty_name(&g_a, (got)), (want))

static void test_names(void **state)
{
    (void)state;
    assert_type(NUL(), "NULL");
    assert_type(BOOL_(), "BOOLEAN");
    assert_type(I(), "INTEGER");
    assert_type(BI(), "BIGINT");
    assert_type(DBL(), "DOUBLE");
    assert_type(STR(), "STRING");
    assert_type(TS(), "TIMESTAMP");
    assert_type(IV(), "INTERVAL");
    assert_type(D(12, 2), "DECIMAL(12,2)");
    assert_type(D(18, 0), "DECIMAL(18,0)");
    TypeSpec bogus = {99, 0, 0};
    assert_string_equal(ty_name(&g_a, bogus), "?");
}

static void test_decimal_clamps(void **state)
{
    (void)state;
    assert_type(D(20, 2), "DECIMAL(18,2)"); /* one scaled i64: 18 digits at most */
    assert_type(D(3, 5), "DECIMAL(5,5)");   /* scale never exceeds precision */
    assert_type(D(0, 0), "DECIMAL(1,0)");
    assert_type(D(30, 30), "DECIMAL(18,18)");
    assert_type(ty_as_decimal(I()), "DECIMAL(10,0)");
    assert_type(ty_as_decimal(BI()), "DECIMAL(18,0)");
    assert_type(ty_as_decimal(D(7, 3)), "DECIMAL(7,3)");
    assert_type(ty_as_decimal(DBL()), "DOUBLE");
}

static void test_predicates(void **state)
{
    (void)state;
    assert_true(ty_is_int(I()));
    assert_true(ty_is_int(BI()));
    assert_false(ty_is_int(D(5, 0)));
    assert_true(ty_is_numeric(D(5, 2)));
    assert_true(ty_is_numeric(DBL()));
    assert_false(ty_is_numeric(STR()));
    assert_false(ty_is_numeric(BOOL_()));
    assert_false(ty_is_numeric(TS()));
    assert_false(ty_is_numeric(IV()));
    assert_true(ty_equal(D(10, 2), D(10, 2)));
    assert_false(ty_equal(D(10, 2), D(10, 3)));
    assert_false(ty_equal(D(10, 2), D(11, 2)));
    assert_false(ty_equal(I(), BI()));
    assert_true(ty_equal(STR(), STR()));
    assert_string_equal(ty_ctype(BOOL_()), "int");
    assert_string_equal(ty_ctype(DBL()), "double");
    assert_string_equal(ty_ctype(STR()), "vstr");
    assert_string_equal(ty_ctype(D(5, 2)), "i64");
    assert_string_equal(ty_ctype(TS()), "i64");
    assert_string_equal(ty_ctype(I()), "i64");
}

static void test_decimal_arith(void **state)
{
    (void)state;
    /* add/sub: scale = max scale, integer digits = max + 1 carry digit */
    assert_type(ty_arith(OP_ADD, D(10, 2), D(5, 3)), "DECIMAL(12,3)");
    assert_type(ty_arith(OP_SUB, D(10, 2), D(5, 3)), "DECIMAL(12,3)");
    assert_type(ty_arith(OP_ADD, D(5, 3), D(10, 2)), "DECIMAL(12,3)");
    assert_type(ty_arith(OP_ADD, D(18, 2), D(18, 2)), "DECIMAL(18,2)");
    /* mul: scales add, precisions add (capped) */
    assert_type(ty_arith(OP_MUL, D(10, 2), D(5, 3)), "DECIMAL(15,5)");
    assert_type(ty_arith(OP_MUL, D(18, 4), D(18, 4)), "DECIMAL(18,8)");
    /* a product scale over 12 is cut back to max(12, operand scales) */
    assert_type(ty_arith(OP_MUL, D(10, 8), D(10, 6)), "DECIMAL(18,12)");
    assert_type(ty_arith(OP_MUL, D(16, 14), D(4, 2)), "DECIMAL(18,14)");
    /* div: at least 6 fractional digits */
    assert_type(ty_arith(OP_DIV, D(10, 2), D(5, 3)), "DECIMAL(17,6)");
    assert_type(ty_arith(OP_DIV, D(6, 2), D(10, 8)), "DECIMAL(18,8)");
    /* mod: scale = max scale, integer digits = max */
    assert_type(ty_arith(OP_MOD, D(10, 2), D(5, 3)), "DECIMAL(11,3)");
    /* integers meet decimals as DECIMAL(10,0) / DECIMAL(18,0) */
    assert_type(ty_arith(OP_ADD, D(6, 2), I()), "DECIMAL(13,2)");
    assert_type(ty_arith(OP_ADD, I(), D(6, 2)), "DECIMAL(13,2)");
    assert_type(ty_arith(OP_ADD, D(6, 2), BI()), "DECIMAL(18,2)");
    assert_type(ty_arith(OP_MUL, D(6, 2), BI()), "DECIMAL(18,2)");
    assert_type(ty_arith(OP_DIV, I(), D(5, 2)), "DECIMAL(18,6)");
    /* DOUBLE wins over DECIMAL */
    assert_type(ty_arith(OP_MUL, D(6, 2), DBL()), "DOUBLE");
    assert_type(ty_arith(OP_DIV, DBL(), D(6, 2)), "DOUBLE");
}

static void test_int_promotion(void **state)
{
    (void)state;
    for (int op = OP_ADD; op <= OP_MOD; op++) {
        assert_type(ty_arith(op, I(), I()), "INTEGER");
        assert_type(ty_arith(op, I(), BI()), "BIGINT");
        assert_type(ty_arith(op, BI(), I()), "BIGINT");
        assert_type(ty_arith(op, BI(), BI()), "BIGINT");
        assert_type(ty_arith(op, I(), DBL()), "DOUBLE");
        assert_type(ty_arith(op, DBL(), BI()), "DOUBLE");
    }
    /* an untyped NULL takes the other operand's type */
    assert_type(ty_arith(OP_ADD, NUL(), BI()), "BIGINT");
    assert_type(ty_arith(OP_MUL, D(6, 2), NUL()), "DECIMAL(12,4)");
    assert_type(ty_arith(OP_ADD, NUL(), NUL()), "NULL");
}

static void test_time_arith(void **state)
{
    (void)state;
    assert_type(ty_arith(OP_ADD, TS(), IV()), "TIMESTAMP");
    assert_type(ty_arith(OP_ADD, IV(), TS()), "TIMESTAMP");
    assert_type(ty_arith(OP_SUB, TS(), IV()), "TIMESTAMP");
    assert_type(ty_arith(OP_SUB, TS(), TS()), "INTERVAL");
    assert_type(ty_arith(OP_ADD, IV(), IV()), "INTERVAL");
    assert_type(ty_arith(OP_SUB, IV(), IV()), "INTERVAL");
    assert_type(ty_arith(OP_ADD, NUL(), IV()), "INTERVAL");
    /* not defined */
    assert_type(ty_arith(OP_SUB, IV(), TS()), "NULL");
    assert_type(ty_arith(OP_ADD, TS(), TS()), "NULL");
    assert_type(ty_arith(OP_MUL, TS(), IV()), "NULL");
    assert_type(ty_arith(OP_MUL, IV(), I()), "NULL");
    assert_type(ty_arith(OP_DIV, IV(), IV()), "NULL");
    assert_type(ty_arith(OP_ADD, TS(), I()), "NULL");
    assert_type(ty_arith(OP_SUB, BI(), TS()), "NULL");
}

static void test_incompatible_arith(void **state)
{
    (void)state;
    for (int op = OP_ADD; op <= OP_MOD; op++) {
        assert_type(ty_arith(op, STR(), I()), "NULL");
        assert_type(ty_arith(op, I(), STR()), "NULL");
        assert_type(ty_arith(op, STR(), STR()), "NULL");
        assert_type(ty_arith(op, BOOL_(), I()), "NULL");
        assert_type(ty_arith(op, D(5, 2), BOOL_()), "NULL");
        assert_type(ty_arith(op, DBL(), STR()), "NULL");
    }
}

static void test_common(void **state)
{
    (void)state;
    assert_type(ty_common(I(), I()), "INTEGER");
    assert_type(ty_common(I(), BI()), "BIGINT");
    assert_type(ty_common(BI(), I()), "BIGINT");
    assert_type(ty_common(I(), DBL()), "DOUBLE");
    assert_type(ty_common(D(5, 2), DBL()), "DOUBLE");
    assert_type(ty_common(I(), D(6, 2)), "DECIMAL(12,2)");
    assert_type(ty_common(BI(), D(6, 2)), "DECIMAL(18,2)");
    assert_type(ty_common(D(10, 2), D(5, 4)), "DECIMAL(12,4)");
    assert_type(ty_common(D(5, 4), D(10, 2)), "DECIMAL(12,4)");
    assert_type(ty_common(D(7, 3), D(7, 3)), "DECIMAL(7,3)");
    assert_type(ty_common(NUL(), STR()), "STRING");
    assert_type(ty_common(TS(), NUL()), "TIMESTAMP");
    assert_type(ty_common(NUL(), NUL()), "NULL");
    assert_type(ty_common(TS(), TS()), "TIMESTAMP");
    assert_type(ty_common(BOOL_(), BOOL_()), "BOOLEAN");
    /* no common type */
    assert_type(ty_common(STR(), I()), "NULL");
    assert_type(ty_common(BOOL_(), I()), "NULL");
    assert_type(ty_common(TS(), STR()), "NULL");
    assert_type(ty_common(TS(), BI()), "NULL");
    assert_type(ty_common(IV(), TS()), "NULL");
    assert_type(ty_common(D(5, 2), STR()), "NULL");
}

static void test_castable(void **state)
{
    (void)state;
    TypeSpec all[] = {BOOL_(), I(), BI(), DBL(), D(10, 2), STR(), TS(), IV()};
    int n = (int)(sizeof all / sizeof all[0]);
    for (int i = 0; i < n; i++) {
        assert_true(ty_castable(all[i], all[i]));
        assert_true(ty_castable(NUL(), all[i]));
    }
    /* numeric <-> numeric */
    assert_true(ty_castable(I(), DBL()));
    assert_true(ty_castable(DBL(), D(10, 2)));
    assert_true(ty_castable(D(10, 2), I()));
    assert_true(ty_castable(D(10, 2), D(5, 1)));
    /* strings parse into and print from everything but INTERVAL */
    assert_true(ty_castable(STR(), BI()));
    assert_true(ty_castable(STR(), TS()));
    assert_true(ty_castable(STR(), BOOL_()));
    assert_true(ty_castable(TS(), STR()));
    assert_true(ty_castable(D(10, 2), STR()));
    assert_false(ty_castable(STR(), IV()));
    assert_false(ty_castable(IV(), STR()));
    /* booleans and integers */
    assert_true(ty_castable(BOOL_(), I()));
    assert_true(ty_castable(BOOL_(), BI()));
    assert_true(ty_castable(BI(), BOOL_()));
    assert_false(ty_castable(BOOL_(), DBL()));
    assert_false(ty_castable(DBL(), BOOL_()));
    assert_false(ty_castable(D(10, 2), BOOL_()));
    /* timestamps are µs since the epoch */
    assert_true(ty_castable(TS(), BI()));
    assert_true(ty_castable(BI(), TS()));
    assert_true(ty_castable(I(), TS()));
    assert_false(ty_castable(TS(), I()));
    assert_false(ty_castable(TS(), DBL()));
    assert_false(ty_castable(DBL(), TS()));
    assert_false(ty_castable(TS(), IV()));
    assert_false(ty_castable(IV(), BI()));
    assert_false(ty_castable(BOOL_(), TS()));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decimal_clamps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_predicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decimal_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int_promotion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_time_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incompatible_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_common, setup, teardown),
        cmocka_unit_test_setup_teardown(test_castable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
