#include "analysis/core/runtime_setup.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#endif
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

long long peakResidentBytes() {
#if defined(__unix__) || defined(__APPLE__)
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
#if defined(__APPLE__)
    return static_cast<long long>(usage.ru_maxrss);  // bytes on macOS
#else
    return static_cast<long long>(usage.ru_maxrss) * 1024;  // kilobytes on Linux
#endif
#else
    return 0;
#endif
}

}  // namespace us::analysis
