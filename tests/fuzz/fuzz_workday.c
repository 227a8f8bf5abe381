/* fuzz_workday.c - the workday adapter on arbitrary bytes (see fuzz_adapter.h). */
#include "fuzz_adapter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_adapter_url("workday", "https://acme.wd5.myworkdayjobs.com/en-US/Careers", data, size);
}
