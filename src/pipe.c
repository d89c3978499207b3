/* The event pipe: a reader runs on a second thread and hands its events over
 * in batches, while the calling thread sends them to the builder. On JSON the
 * scanner is about a third of a load and the builder the rest (callgrind on
 * Kubernetes 1.13: 59 and 104 M instructions), so the two overlap.
 *
 * Events are copied with their values (a reader's buffers are reused at its
 * next event); at most RING batches are in flight. The reader's findings go
 * to a list of its own, added to the caller's only when every event before
 * them was taken: as serially, a builder that stops the read (a limit) hides
 * a syntax error further on, and the error comes after the builder's
 * findings. */
#include <string.h>

#include "internal.h"

enum { BATCH = 512, BATCH_BYTES = 32 * 1024, RING = 4 };

/* Returned by the second thread's sink once the caller wants no more:
 * never seen outside this file. */
#define STOPPED SG_EINTERNAL

typedef struct batch {
    size_t n;
    sgi_event ev[BATCH];
    size_t off[BATCH]; /* where each event's value starts in BYTES */
    char *bytes;       /* the values, each followed by a NUL */
    size_t len, cap;
    int last; /* the reader has returned: no batch follows */
} batch;

typedef struct pipe_ {
    sgi_source *src;
    size_t chunk;
    const sg_limits *limits;
    sgi_reader_fn read;
    sg_diagnostics *diags; /* the reader's own findings */
    sg_status read_st;     /* what the reader returned */
    batch *ring;
    batch *cur; /* being filled by the second thread */
    int oom;
    sgi_ring q;
} pipe_;

/* ---- the ring ----------------------------------------------------------
 * The counters only grow: MADE by the filler, USED by the taker, each an
 * atomic whose update publishes (and whose read acquires) the batches. A
 * side with nothing to do looks again SPIN times, with the CPU's pause hint
 * in between (some microseconds: longer spins bought no wall time here and
 * cost CPU time, bench/RESULTS.md "Fourth round"), before it
 * sleeps on the condition variable: a filler and a taker that keep pace
 * rarely sleep. Each sleep costs a wake-up, and on a machine whose CPUs are
 * busy with other work a woken thread waits for a running one's slice: with
 * two other jobs of the same weight on this 2-CPU machine, a lint on two
 * threads took 2.2 times as long as on one (Kubernetes 1.13: 195 ms against
 * 86 ms), which is why the CLI then keeps to one (main.c, file_threads).
 * A waiter counts itself in SLEEPERS under the lock before it looks a last
 * time, so a side that moves a counter and then sees no sleeper cannot miss
 * one. */
enum { SPIN = 256 };

static void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

void sgi_ring_init(sgi_ring *q, size_t slots)
{
    memset(q, 0, sizeof *q);
    q->slots = slots;
    atomic_init(&q->made, 0);
    atomic_init(&q->used, 0);
    atomic_init(&q->stop, 0);
    atomic_init(&q->sleepers, 0);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
}

void sgi_ring_fini(sgi_ring *q)
{
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
}

static int has_free(sgi_ring *q)
{
    return atomic_load(&q->made) - atomic_load(&q->used) < q->slots || atomic_load(&q->stop);
}

static int has_filled(sgi_ring *q)
{
    return atomic_load(&q->made) != atomic_load(&q->used);
}

/* Until READY: spin, then sleep. */
static void ring_wait(sgi_ring *q, int (*ready)(sgi_ring *))
{
    for (int i = 0; i < SPIN; i++) {
        if (ready(q))
            return;
        relax();
    }
    pthread_mutex_lock(&q->mu);
    atomic_fetch_add(&q->sleepers, 1);
    while (!ready(q))
        pthread_cond_wait(&q->cv, &q->mu);
    atomic_fetch_sub(&q->sleepers, 1);
    pthread_mutex_unlock(&q->mu);
}

/* After a counter moved: wake whoever sleeps. */
static void ring_wake(sgi_ring *q)
{
    if (atomic_load(&q->sleepers) == 0)
        return;
    pthread_mutex_lock(&q->mu);
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

long sgi_ring_free_slot(sgi_ring *q)
{
    ring_wait(q, has_free);
    return atomic_load(&q->stop) ? -1 : (long)(atomic_load(&q->made) % q->slots);
}

void sgi_ring_filled(sgi_ring *q)
{
    atomic_fetch_add(&q->made, 1);
    ring_wake(q);
}

size_t sgi_ring_next(sgi_ring *q)
{
    ring_wait(q, has_filled);
    return atomic_load(&q->used) % q->slots;
}

void sgi_ring_done(sgi_ring *q)
{
    atomic_fetch_add(&q->used, 1);
    ring_wake(q);
}

void sgi_ring_stop(sgi_ring *q)
{
    atomic_store(&q->stop, 1);
    ring_wake(q);
}

/* ---- the pipe ---------------------------------------------------------- */

/* Hand the batch being filled over (LAST: the reader has returned) and,
 * unless LAST, start on a free one. 0 when the caller has stopped. */
static int publish(pipe_ *p, int last)
{
    p->cur->last = last;
    sgi_ring_filled(&p->q);
    if (last)
        return 1;
    long i = sgi_ring_free_slot(&p->q);
    if (i < 0)
        return 0;
    p->cur = &p->ring[i];
    p->cur->n = 0;
    p->cur->len = 0;
    return 1;
}

static sg_status sink(void *ctx, const sgi_event *ev)
{
    pipe_ *p = ctx;
    batch *b = p->cur;
    size_t vlen = ev->value ? ev->length + 1 : 0;
    if (b->n == BATCH || (b->n > 0 && b->len + vlen > BATCH_BYTES)) {
        if (!publish(p, 0))
            return STOPPED;
        b = p->cur;
    }
    if (b->len + vlen > b->cap) {
        size_t cap = b->cap ? b->cap : BATCH_BYTES;
        while (cap < b->len + vlen)
            cap *= 2;
        char *nb = sgi_realloc(p->src->alloc, b->bytes, cap);
        if (!nb) {
            p->oom = 1;
            return SG_ENOMEM;
        }
        b->bytes = nb;
        b->cap = cap;
    }
    b->ev[b->n] = *ev;
    b->off[b->n] = b->len;
    if (ev->value) {
        memcpy(b->bytes + b->len, ev->value, ev->length);
        b->bytes[b->len + ev->length] = '\0';
        b->len += vlen;
    }
    b->n++;
    return SG_OK;
}

static void *read_main(void *arg)
{
    pipe_ *p = arg;
    p->read_st = p->read(p->src, p->chunk, p->limits, sink, p, p->diags);
    if (p->read_st != STOPPED)
        publish(p, 1);
    return NULL;
}

sg_status sgi_read_piped(sgi_reader_fn read, sgi_source *src, size_t chunk,
                         const sg_limits *limits, sgi_event_fn fn, void *ctx,
                         sg_diagnostics *diags)
{
    pipe_ p = {src, chunk, limits, read, sgi_diags_new_like(diags), SG_OK,
               sgi_calloc(src->alloc, RING, sizeof(batch)), NULL, 0, {0}};
    sgi_ring_init(&p.q, RING);
    pthread_t tid;
    int started = 0;
    if (p.diags && p.ring) {
        p.cur = &p.ring[0]; /* the ring's first free slot */
        started = pthread_create(&tid, NULL, read_main, &p) == 0;
    }
    if (!started) {
        /* No second thread: the same on this one. */
        sgi_ring_fini(&p.q);
        sg_diagnostics_free(p.diags);
        sgi_free(src->alloc, p.ring);
        return read(src, chunk, limits, fn, ctx, diags);
    }
    sg_status st = SG_OK;
    int last = 0;
    while (st == SG_OK && !last) {
        batch *b = &p.ring[sgi_ring_next(&p.q)];
        for (size_t i = 0; i < b->n && st == SG_OK; i++) {
            sgi_event ev = b->ev[i];
            if (ev.value)
                ev.value = b->bytes + b->off[i];
            st = fn(ctx, &ev);
        }
        last = b->last;
        sgi_ring_done(&p.q);
    }
    sgi_ring_stop(&p.q);
    pthread_join(tid, NULL);
    if (st == SG_OK) {
        /* Every event was taken: the reader's verdict and findings. */
        st = p.read_st;
        if (diags && sgi_diags_append(diags, p.diags) != SG_OK)
            st = SG_ENOMEM;
    }
    for (size_t i = 0; i < RING; i++)
        sgi_free(src->alloc, p.ring[i].bytes);
    sgi_free(src->alloc, p.ring);
    sg_diagnostics_free(p.diags);
    sgi_ring_fini(&p.q);
    return st;
}
