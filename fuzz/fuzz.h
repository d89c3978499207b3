/* Shared by the libFuzzer harnesses of fuzz/ and by the replay driver
 * (fuzz/replay.c), which runs the same entry point over files without
 * libFuzzer, so that `make check` replays every committed seed and crash. */
#ifndef SWAGGATE_FUZZ_H
#define SWAGGATE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "swaggate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property the harness checks failed: stop loudly, so that libFuzzer
 * saves the input and the replay driver fails. */
#define FUZZ_ASSERT(cond)                                                            \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* The chunk sizes the readers are fed with, picked by one input byte: the
 * results must not depend on it (sg_options.read_chunk). */
static inline size_t fuzz_chunk(uint8_t b)
{
    static const size_t chunks[] = {0, 1, 2, 3, 7, 64, 4096, 0};
    return chunks[b & 7];
}

/* One schema set for the process, made on first use and never freed (it
 * stays reachable, so leak checkers are quiet): the embedded schemas are
 * compiled once, as the CLI does across files, instead of once per input,
 * which was about 5 M instructions of every run. A set only keeps schemas
 * whose compilation was clean, and no harness adds to it, so an input's
 * result does not depend on the ones before it. NULL when out of memory:
 * sg_lint then makes its own. */
static inline sg_schema_set *fuzz_schemas(void)
{
    static sg_schema_set *set;
    if (!set)
        set = sg_schema_set_new();
    return set;
}

#endif
