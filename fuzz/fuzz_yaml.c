/* libFuzzer harness: the YAML reader and the model builder (source checks,
 * libyaml events, aliases, merge keys, core schema), then the JSON writer,
 * whose output must parse back as JSON.
 * Input: byte 0 picks the read chunk, the rest is the document. */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader(data, size, SG_FORMAT_YAML, "fuzz.yaml");
}
