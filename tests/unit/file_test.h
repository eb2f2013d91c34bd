/*
 * file_test.h -- the fixture shared by the unit tests that read and write
 * files through the runtime (CSV, JSON, sinks, job context): a temporary
 * directory per test group, helpers to write and read files in it, stderr
 * muting, capture of a file descriptor into a file, and a job context.
 *
 * Include after <cmocka.h> and "velo_internal.h". Every helper is static
 * inline so a test that does not use one does not warn.
 */
#ifndef FILE_TEST_H
#define FILE_TEST_H

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char tdir[64];

static inline int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

/* cmocka group setup / teardown: a fresh directory, removed with its files */
static inline int setup(void **state)
{
    (void)state;
    strcpy(tdir, "/tmp/velo_unit_XXXXXX");
    return mkdtemp(tdir) ? 0 : -1;
}

static inline int teardown(void **state)
{
    (void)state;
    return nftw(tdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* name inside the directory; the last 8 results stay valid */
static inline const char *tpath(const char *name)
{
    static char buf[8][256];
    static int k;
    char *p = buf[k++ & 7];
    snprintf(p, 256, "%s/%s", tdir, name);
    return p;
}

static inline const char *wfile_n(const char *name, const char *data, size_t n)
{
    const char *p = tpath(name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return p;
}

static inline const char *wfile(const char *name, const char *data)
{
    return wfile_n(name, data, strlen(data));
}

/* a literal with NULs in it */
#define WFILE(name, lit) wfile_n(name, lit, sizeof(lit) - 1)

/* the whole file, NUL-terminated (free it), or NULL if it cannot be read */
static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    velo_buf b = {0};
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) vbuf_put(&b, tmp, n);
    fclose(f);
    vbuf_putc(&b, 0);
    return b.p;
}

/* Expected error messages would only clutter the test log. */
static inline int mute_stderr(void)
{
    int saved = dup(2), nul = open("/dev/null", O_WRONLY);
    dup2(nul, 2);
    close(nul);
    return saved;
}

static inline void unmute_stderr(int saved)
{
    dup2(saved, 2);
    close(saved);
}

/* Redirects file descriptor fd into a temporary file until cap_end(). */
typedef struct cap {
    int fd, saved;
    char path[256];
} cap;

static inline void cap_begin(cap *c, int fd)
{
    c->fd = fd;
    snprintf(c->path, sizeof c->path, "%s/cap%d", tdir, fd);
    int t = open(c->path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(t >= 0);
    fflush(NULL);
    c->saved = dup(fd);
    dup2(t, fd);
    close(t);
}

/* what was written to the descriptor (free it) */
static inline char *cap_end(cap *c)
{
    fflush(NULL);
    dup2(c->saved, c->fd);
    close(c->saved);
    return slurp(c->path);
}

static inline velo_rt *new_rt_fmt(const char *format)
{
    velo_opts o = {.format = format, .quiet = 1};
    return velo_rt_new(&o);
}

static inline velo_rt *new_rt(void)
{
    return new_rt_fmt("jsonl");
}

#endif
