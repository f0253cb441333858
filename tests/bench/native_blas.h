#pragma once
// OpenBLAS picks its kernels for the CPU when it loads, unless OPENBLAS_CORETYPE names others.
// Some machines set it (with OPENBLAS_L2_SIZE) to dodge bugs of older OpenBLAS builds; on this
// machine kind that runs AVX2 kernels on an AVX-512 CPU and slows every BLAS user, numpy too.
// A benchmark that compares its BLAS work with a numpy or scikit-learn peer restarts itself
// without both variables, so that it and the peer it starts (which inherits its environment)
// run on the kernels OpenBLAS picks for the CPU, and says which those were.

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace us::bench {

inline void restartOnNativeBlasKernels(char** argv) {
#ifdef __linux__
    if (!std::getenv("OPENBLAS_CORETYPE") && !std::getenv("OPENBLAS_L2_SIZE")) return;
    unsetenv("OPENBLAS_CORETYPE");
    unsetenv("OPENBLAS_L2_SIZE");
    execv("/proc/self/exe", argv);  // returns only on failure: then run as set
#else
    (void)argv;
#endif
}

// The kernel set of the OpenBLAS this process uses ("unknown" for another BLAS).
inline std::string blasKernels() {
    using CoreName = char* (*)();
    const auto coreName = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    return coreName ? coreName() : "unknown";
}

}  // namespace us::bench
