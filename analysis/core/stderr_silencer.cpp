// Platform file: file-descriptor juggling for StderrSilencer.
#include "analysis/core/stderr_silencer.h"

#include <fcntl.h>
#include <cstdio>

#ifdef _WIN32
#include <io.h>
#define US_DUP _dup
#define US_DUP2 _dup2
#define US_CLOSE _close
#define US_OPEN _open
constexpr const char* kNullDevice = "NUL";
constexpr int kStderr = 2;
#else
#include <unistd.h>
#define US_DUP dup
#define US_DUP2 dup2
#define US_CLOSE close
#define US_OPEN open
constexpr const char* kNullDevice = "/dev/null";
constexpr int kStderr = STDERR_FILENO;
#endif

namespace us::analysis {

StderrSilencer::StderrSilencer() {
    std::fflush(stderr);
    saved_ = US_DUP(kStderr);
    const int null = US_OPEN(kNullDevice, O_WRONLY);
    if (saved_ >= 0 && null >= 0) US_DUP2(null, kStderr);
    if (null >= 0) US_CLOSE(null);
}

StderrSilencer::~StderrSilencer() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    US_DUP2(saved_, kStderr);
    US_CLOSE(saved_);
}

}  // namespace us::analysis
