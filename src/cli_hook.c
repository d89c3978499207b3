/* swaggate hook install: a plain git pre-commit hook that lints what is
 * staged. The hook is a short POSIX shell script, so that users can read
 * what runs on their commits; the pre-commit framework uses
 * .pre-commit-hooks.yaml instead. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_files.h"

/* Marks a hook as ours: reinstalling replaces it without --force. */
#define HOOK_MARK "written by 'swaggate hook install'"

const char sgc_hook_usage[] =
    "Usage: swaggate hook install [--force]\n"
    "Write a git pre-commit hook (.git/hooks/pre-commit, or where\n"
    "core.hooksPath points) that lints the staged content of each added,\n"
    "copied, modified or renamed Swagger 2.0 file (.json, .yaml, .yml) and\n"
    "blocks the commit when a finding has error severity.\n"
    "\n"
    "  --force                  replace a pre-commit hook that swaggate did not\n"
    "                           write (it is kept as pre-commit.before-swaggate)\n"
    "  -h, --help               print this text\n"
    "\n"
    "The hook runs $SWAGGATE if set, else this swaggate, else swaggate from\n"
    "PATH. 'git commit --no-verify' skips it.\n";

/* The hook. %s: the swaggate to run, single-quoted for sh. */
static const char hook_script[] =
    "#!/bin/sh\n"
    "# swaggate pre-commit hook, " HOOK_MARK ".\n"
    "# It lints what is staged, not the working tree: each added, copied,\n"
    "# modified or renamed .json, .yaml or .yml file that looks like Swagger 2.0\n"
    "# is read from the index (git show :PATH) and piped to\n"
    "# 'swaggate lint --stdin-name PATH -'. A finding at error severity blocks\n"
    "# the commit; 'git commit --no-verify' skips the hook.\n"
    "SWAGGATE=${SWAGGATE:-%s}\n"
    "command -v \"$SWAGGATE\" >/dev/null 2>&1 || SWAGGATE=swaggate\n"
    "if ! command -v \"$SWAGGATE\" >/dev/null 2>&1; then\n"
    "    echo 'swaggate pre-commit hook: swaggate not found (install it or set SWAGGATE)' >&2\n"
    "    exit 1\n"
    "fi\n"
    "export SWAGGATE\n"
    "git diff --cached --name-only --diff-filter=ACMR -z -- \\\n"
    "    ':(icase)*.json' ':(icase)*.yaml' ':(icase)*.yml' |\n"
    "    xargs -0 sh -c 'status=0\n"
    "        for f do\n"
    "            git show \":$f\" | \"$SWAGGATE\" lint --swagger-only --stdin-name \"$f\" - || status=1\n"
    "        done\n"
    "        exit $status' swaggate-pre-commit\n"
    "if [ $? -ne 0 ]; then\n"
    "    echo 'swaggate: commit blocked by the findings above (in the staged content)' >&2\n"
    "    exit 1\n"
    "fi\n";

/* S single-quoted for sh into OUT (CAP bytes); 0 if it does not fit. */
static int S_sh_quote(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    if (cap < 3)
        return 0;
    out[o++] = '\'';
    for (; *s; s++) {
        const char *piece = *s == '\'' ? "'\\''" : NULL;
        size_t len = piece ? 4 : 1;
        if (o + len + 2 > cap)
            return 0;
        if (piece)
            memcpy(out + o, piece, len);
        else
            out[o] = *s;
        o += len;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return 1;
}

/* The path git uses for the pre-commit hook, from `git rev-parse`. */
static int S_hook_path(char *out, size_t cap)
{
    FILE *p = popen("git rev-parse --git-path hooks/pre-commit 2>/dev/null", "r");
    if (!p)
        return 0;
    int ok = fgets(out, (int)cap, p) != NULL;
    if (pclose(p) != 0)
        ok = 0;
    if (ok) {
        out[strcspn(out, "\n")] = '\0';
        ok = out[0] != '\0';
    }
    return ok;
}

/* sgc_write_atomic's writer: the hook for the swaggate QUOTED names. */
static int S_write_hook(FILE *out, void *quoted)
{
    return fprintf(out, hook_script, (const char *)quoted) > 0 ? 0 : -1;
}

/* Is the file at PATH a hook swaggate wrote? */
static int S_ours(const char *path)
{
    char buf[512];
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, HOOK_MARK) != NULL;
}

static int S_install(int force, const char *argv0)
{
    char path[PATH_MAX], self[PATH_MAX], quoted[3 * PATH_MAX];
    struct stat st;

    if (!S_hook_path(path, sizeof path)) {
        fputs("swaggate: hook install: not inside a git repository (git rev-parse failed)\n",
              stderr);
        return 2;
    }
    /* This very swaggate, if it was run by a path; else the one on PATH. */
    if (strchr(argv0, '/') && realpath(argv0, self))
        ;
    else
        snprintf(self, sizeof self, "swaggate");
    if (!S_sh_quote(self, quoted, sizeof quoted)) {
        fprintf(stderr, "swaggate: hook install: path too long: %s\n", self);
        return 2;
    }
    int exists = lstat(path, &st) == 0;
    if (exists && !S_ours(path)) {
        if (!force) {
            fprintf(stderr,
                    "swaggate: hook install: %s exists and was not written by swaggate; "
                    "--force replaces it (keeping it as %s.before-swaggate)\n",
                    path, path);
            return 2;
        }
        char backup[PATH_MAX + 32];
        snprintf(backup, sizeof backup, "%s.before-swaggate", path);
        if (rename(path, backup) != 0) {
            fprintf(stderr, "swaggate: hook install: cannot keep %s as %s: %s\n", path, backup,
                    strerror(errno));
            return 2;
        }
        fprintf(stderr, "swaggate: the previous hook is kept as %s\n", backup);
    }
    /* The hooks folder may be missing (core.hooksPath to a new folder). */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "swaggate: hook install: cannot create %s: %s\n", dir, strerror(errno));
            return 2;
        }
    }
    /* Written beside it and renamed (sgc_write_atomic): a failed or
     * interrupted write leaves no half hook. */
    if (sgc_write_atomic(path, 0755, S_write_hook, quoted) != 0 || chmod(path, 0755) != 0) {
        fprintf(stderr, "swaggate: hook install: cannot write %s: %s\n", path, strerror(errno));
        return 2;
    }
    printf("swaggate: installed the pre-commit hook %s\n", path);
    return 0;
}

int sgc_hook(int argc, char **argv, const char *argv0)
{
    int force = 0;
    const char *action = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(sgc_hook_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--force") == 0) {
            force = 1;
        } else if (!action && argv[i][0] != '-') {
            action = argv[i];
        } else {
            fprintf(stderr, "swaggate: unexpected argument '%s'; expected install [--force]\n"
                            "Try 'swaggate hook --help'.\n",
                    argv[i]);
            return 2;
        }
    }
    if (!action || strcmp(action, "install") != 0) {
        fprintf(stderr, "swaggate: %s%s%s; expected install [--force]\nTry 'swaggate hook --help'.\n",
                action ? "unknown hook action '" : "missing hook action", action ? action : "",
                action ? "'" : "");
        return 2;
    }
    return S_install(force, argv0);
}
