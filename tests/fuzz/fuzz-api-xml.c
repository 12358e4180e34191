/* fuzz-api-xml.c — libFuzzer harness for aq_fuzz_api_xml() (tests/fuzz/aq-fuzz-targets.c) */
#include <stddef.h>
#include <stdint.h>

#include "aq-fuzz-targets.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  return aq_fuzz_api_xml (data, size);
}
