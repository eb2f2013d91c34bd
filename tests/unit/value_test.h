/*
 * value_test.h -- the fixture shared by the unit tests of the value core
 * (decimal, time, arithmetic, strings, functions): one job context, reset
 * before every test as after vsrc_next(), and helpers to assert that an
 * operation failed (velo_fail) or did not.
 *
 * Include after <cmocka.h> and "velo.h".
 */
#ifndef VALUE_TEST_H
#define VALUE_TEST_H

/* Built standalone (-DVELO_STANDALONE_TEST) this file carries a copy of
 * velo_fail's contract; normally the real runtime from libvelo.a is used. */
#ifdef VELO_STANDALONE_TEST
i64 velo_fail(velo_rt *rt, const char *msg)
{
    if (!rt->err) {
        vstr m = {msg, (i64)strlen(msg)};
        rt->errmsg = va_strdup(&rt->tmp, m).p;
    }
    rt->err = 1;
    return 0;
}
static velo_rt *t_rt_new(void)
{
    return calloc(1, sizeof(velo_rt));
}
static void t_rt_free(velo_rt *rt)
{
    va_free(&rt->tmp);
    va_free(&rt->perm);
    free(rt);
}
#else
#include "velo_internal.h"
static velo_rt *t_rt_new(void)
{
    velo_opts o;
    memset(&o, 0, sizeof(o));
    o.quiet = 1;
    return velo_rt_new(&o);
}
static void t_rt_free(velo_rt *rt)
{
    velo_rt_finish(rt, 0);
}
#endif

static velo_rt *rt;

static int t_setup(void **state)
{
    (void)state;
    rt = t_rt_new();
    return 0;
}

static int t_teardown(void **state)
{
    (void)state;
    t_rt_free(rt);
    return 0;
}

/* Per test: a clean record, as after vsrc_next(). */
static int t_reset(void **state)
{
    (void)state;
    rt->err = 0;
    rt->errmsg = NULL;
    va_reset(&rt->tmp);
    return 0;
}
#define T(f) cmocka_unit_test_setup(f, t_reset)

/* No operation since the last t_failed() has failed. */
static void t_ok(void)
{
    assert_int_equal(rt->err, 0);
}

/* The last operation failed with a message containing `what`; clears it. */
static void t_failed(const char *what)
{
    assert_int_equal(rt->err, 1);
    assert_non_null(strstr(rt->errmsg, what));
    rt->err = 0;
    rt->errmsg = NULL;
}

#endif
