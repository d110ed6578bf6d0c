#include "nccl1_compat.h"
#include "timer.h"
#include "os.h"
