// Declarations from the mstx (MindStudio Tools Extension) documentation, for the compile proof only.
// Each declaration is followed by the documentation page it was written from.
#ifndef ASCENDIFY_TEST_MSTX_MS_TOOLS_EXT_H
#define ASCENDIFY_TEST_MSTX_MS_TOOLS_EXT_H

#include <cstdint>
#include <acl/acl.h>  // aclrtStream

extern "C" {

typedef uint64_t mstxRangeId;
// https://gitcode.com/Ascend/mstx/blob/master/docs/zh/api_reference/mstx_api_reference.md

void mstxMarkA(const char *message, aclrtStream stream);
// https://gitcode.com/Ascend/mstx/blob/master/docs/zh/api_reference/mstx_api_reference.md#mstxMarkA
mstxRangeId mstxRangeStartA(const char *message, aclrtStream stream);
// https://gitcode.com/Ascend/mstx/blob/master/docs/zh/api_reference/mstx_api_reference.md#mstxRangeStartA
void mstxRangeEnd(mstxRangeId id);
// https://gitcode.com/Ascend/mstx/blob/master/docs/zh/api_reference/mstx_api_reference.md#mstxRangeEnd

}  // extern "C"

#endif  // ASCENDIFY_TEST_MSTX_MS_TOOLS_EXT_H
