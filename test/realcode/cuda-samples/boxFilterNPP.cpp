int main(int argc, char *argv[])
{
        cudaError_t cudaError = cudaGetDevice(&nppStreamCtx.nCudaDeviceId);
        cudaError = cudaDeviceGetAttribute(&nppStreamCtx.nCudaDevAttrComputeCapabilityMajor,
                                           cudaDevAttrComputeCapabilityMajor,
                                           nppStreamCtx.nCudaDeviceId);
