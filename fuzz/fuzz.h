/* Shared by the libFuzzer harnesses of fuzz/ and by the replay driver
 * (fuzz/replay.c), which runs the same entry point over files without
 * libFuzzer, so that `make check` replays every committed seed and crash. */
#ifndef SWAGGATE_FUZZ_H
#define SWAGGATE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif
