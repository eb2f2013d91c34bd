/*
 * jobmain.c -- main() of a job built ahead of time (veloc build): parse the
 * run options, run the generated query, report and exit.
 */
#include "velo_internal.h"

int main(int argc, char **argv)
{
    velo_opts o;
    int rc = velo_parse_job_args(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    velo_rt *rt = velo_rt_new(&o);
    velo_opts_free(&o);
    int status = velo_query_main(rt);
    return velo_rt_finish(rt, status);
}
