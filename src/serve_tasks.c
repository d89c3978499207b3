/* The workers of swaggate serve: N threads, each with its own SQLite
 * connection, take the oldest waiting task (sgs_store_task_claim) and run
 * its import (sgs_store_task_run). They sleep on a condition variable that
 * the HTTP side signals when it queues a task, and look at the queue every
 * second anyway (tasks left by an earlier run, a missed signal). The
 * library keeps no global state, so the imports need no lock of ours:
 * SQLite's write lock orders them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"

typedef struct worker {
    pthread_t thread;
    sqlite3 *db;
    struct sgs_workers *w;
    unsigned index;
    int started;
} worker;

struct sgs_workers {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    unsigned long pending; /* signals not yet consumed */
    int stop;
    const sg_options *options;
    uint64_t max_size;
    unsigned n;
    worker *workers;
};

static void *work(void *arg)
{
    worker *me = arg;
    sgs_workers *w = me->w;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        int stop = w->stop;
        if (w->pending)
            w->pending--;
        pthread_mutex_unlock(&w->lock);
        if (stop)
            break;
        int64_t seq = 0;
        int got = sgs_store_task_claim(me->db, &seq);
        if (got > 0) {
            if (sgs_store_task_run(me->db, seq, w->options, w->max_size) != 0) {
                /* Rolled back, nothing half-written; the task ends failed
                 * with APIG.9999 rather than staying processing. A crash
                 * before this point still leaves it processing, and the
                 * next start runs it again. */
                char why[300];
                snprintf(why, sizeof why, "System error: the import could not be stored (%s)",
                         sqlite3_errmsg(me->db));
                fprintf(stderr, "swaggate serve: worker %u: task #%lld failed in the store: %s\n",
                        me->index, (long long)seq, sqlite3_errmsg(me->db));
                if (sgs_store_task_fail(me->db, seq, why) != 0)
                    fprintf(stderr, "swaggate serve: worker %u: task #%lld: cannot mark it failed: %s\n",
                            me->index, (long long)seq, sqlite3_errmsg(me->db));
            }
            continue;
        }
        if (got < 0)
            fprintf(stderr, "swaggate serve: worker %u: cannot read the queue: %s\n", me->index,
                    sqlite3_errmsg(me->db));
        /* Nothing waits: sleep until signalled, or a second. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_mutex_lock(&w->lock);
        while (!w->stop && !w->pending)
            if (pthread_cond_timedwait(&w->wake, &w->lock, &until) == ETIMEDOUT)
                break;
        pthread_mutex_unlock(&w->lock);
    }
    return NULL;
}

sgs_workers *sgs_workers_start(const char *data_dir, unsigned n, const sg_options *options,
                               uint64_t max_size, char *err, size_t cap)
{
    sgs_workers *w = calloc(1, sizeof *w);
    if (!w || !(w->workers = calloc(n ? n : 1, sizeof *w->workers))) {
        free(w);
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    w->options = options;
    w->max_size = max_size;
    w->n = n;
    for (unsigned i = 0; i < n; i++) {
        worker *k = &w->workers[i];
        k->w = w;
        k->index = i + 1;
        if (!(k->db = sgs_store_open(data_dir, err, cap))) {
            sgs_workers_stop(w);
            return NULL;
        }
        if (pthread_create(&k->thread, NULL, work, k) != 0) {
            snprintf(err, cap, "cannot start worker thread %u", i + 1);
            sgs_workers_stop(w);
            return NULL;
        }
        k->started = 1;
    }
    return w;
}

void sgs_workers_notify(sgs_workers *w)
{
    pthread_mutex_lock(&w->lock);
    w->pending++;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void sgs_workers_stop(sgs_workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->lock);
    for (unsigned i = 0; i < w->n; i++) {
        if (w->workers[i].started)
            pthread_join(w->workers[i].thread, NULL);
        sqlite3_close(w->workers[i].db);
    }
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w->workers);
    free(w);
}
