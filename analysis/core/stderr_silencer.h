#pragma once
// Some C libraries we use (libnifti2, giftiio) print their own "** ERROR" lines to stderr
// while we already turn the failure into one clear message. This RAII guard sends stderr to
// the null device for its lifetime. Process-wide: keep the guarded region short.

namespace us::analysis {

class StderrSilencer {
  public:
    StderrSilencer();
    ~StderrSilencer();
    StderrSilencer(const StderrSilencer&) = delete;
    StderrSilencer& operator=(const StderrSilencer&) = delete;

  private:
    int saved_ = -1;
};

}  // namespace us::analysis
