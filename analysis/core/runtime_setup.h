#pragma once

namespace us::analysis {

// Process start-up tuning from PLATFORM.md: keep glibc from returning big buffers to the OS on
// every free (2x faster inference, faster Mesa frames) and give LibTorch all cores.
void configureRuntime();

// The process's peak resident memory so far in bytes (0 where the platform does not tell).
long long peakResidentBytes();

// Intra-op threads for model runs (the CLI's --threads).
void setComputeThreads(int threads);

}  // namespace us::analysis
