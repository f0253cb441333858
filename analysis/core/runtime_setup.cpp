#include "analysis/core/runtime_setup.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace us::analysis {

void configureRuntime() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    setComputeThreads(static_cast<int>(cores));
}

void setComputeThreads(int threads) {
    at::set_num_threads(std::max(1, threads));
}

}  // namespace us::analysis
