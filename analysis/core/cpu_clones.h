#pragma once

// US_CPU_CLONES before a hot function's definition compiles it once per instruction set
// (AVX-512, AVX with FMA, and the portable baseline) and picks one at load time from the CPU,
// so a portable build still runs vector loops at the machine's width. Where the toolchain has
// no function multiversioning (MSVC, macOS), it expands to nothing and the baseline is built.
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#define US_CPU_CLONES __attribute__((target_clones("avx512f", "fma", "default")))
#else
#define US_CPU_CLONES
#endif
