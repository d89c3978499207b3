/* libFuzzer harness: the JSON reader (the strict RFC 8259 lexer) and the
 * model builder, then the JSON writer, whose output must parse back.
 * Input: byte 0 picks the read chunk, the rest is the document. */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader(data, size, SG_FORMAT_JSON, "fuzz.json");
}
