/* Run-time loading of libmicrohttpd and SQLite for swaggate serve (see
 * serve_dl.h for why). */
#include <stdio.h>
#include <string.h>

#define SGS_DL_IMPLEMENTATION
#include "serve_dl.h"

#ifdef SG_SERVE_DLOPEN
#include <dlfcn.h>

#define SGS_DL_DEFINE(f) __typeof__(f) *sgs_dl_##f;
SGS_MHD_FUNCTIONS(SGS_DL_DEFINE)
SGS_SQLITE_FUNCTIONS(SGS_DL_DEFINE)
#undef SGS_DL_DEFINE

/* dlsym's object pointer becomes a function pointer through memcpy: ISO C
 * has no conversion between the two, POSIX guarantees the representation. */
static int find(void *lib, const char *soname, const char *name, void *fnp, char *err, size_t cap)
{
    void *sym = dlsym(lib, name);
    if (!sym) {
        snprintf(err, cap, "%s has no %s (a version older than swaggate was built for?)",
                 soname, name);
        return -1;
    }
    memcpy(fnp, &sym, sizeof sym);
    return 0;
}

static void *open_lib(const char *soname, const char *package, char *err, size_t cap)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        snprintf(err, cap, "cannot load %s (%s); on Debian: apt-get install %s", soname,
                 dlerror(), package);
    return lib;
}

int sgs_dl_open(char *err, size_t cap)
{
    /* Kept open until exit: the server calls into them to the end. */
    void *mhd = open_lib(SG_MHD_SONAME, "libmicrohttpd12", err, cap);
    void *sql = mhd ? open_lib(SG_SQLITE_SONAME, "libsqlite3-0", err, cap) : NULL;
    if (!sql)
        return -1;
#define SGS_DL_FIND(f) || find(mhd, SG_MHD_SONAME, #f, &sgs_dl_##f, err, cap) != 0
    if (0 SGS_MHD_FUNCTIONS(SGS_DL_FIND))
        return -1;
#undef SGS_DL_FIND
#define SGS_DL_FIND(f) || find(sql, SG_SQLITE_SONAME, #f, &sgs_dl_##f, err, cap) != 0
    if (0 SGS_SQLITE_FUNCTIONS(SGS_DL_FIND))
        return -1;
#undef SGS_DL_FIND
    return 0;
}
#else
int sgs_dl_open(char *err, size_t cap)
{
    (void)err;
    (void)cap;
    return 0;
}
#endif
