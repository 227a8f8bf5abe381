/* fuzz_recruitee.c - the recruitee adapter on arbitrary bytes (see fuzz_adapter.h). */
#include "fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter("recruitee", data, size);
}
