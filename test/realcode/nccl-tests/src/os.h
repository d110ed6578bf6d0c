#define NCCL_WEAK __attribute__((weak))
