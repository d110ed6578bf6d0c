#pragma once

#include <cuda_runtime.h>
#include <cuda.h>
