#pragma once
// RAII ownership of HDF5 identifiers, and a guard that silences HDF5's error-stack printing
// so that errors reach the user as one clear message instead of a stderr dump.

#include <hdf5.h>

#include <utility>

namespace us::analysis {

class H5Handle {
  public:
    using Closer = herr_t (*)(hid_t);
    H5Handle() = default;
    H5Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    H5Handle(const H5Handle&) = delete;
    H5Handle& operator=(const H5Handle&) = delete;
    H5Handle(H5Handle&& other) noexcept
        : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
    H5Handle& operator=(H5Handle&& other) noexcept {
        if (this != &other) {
            reset();
            id_ = std::exchange(other.id_, H5I_INVALID_HID);
            closer_ = other.closer_;
        }
        return *this;
    }
    ~H5Handle() { reset(); }

    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }
    // Closes now and reports whether HDF5 accepted the close (flush errors surface here).
    bool close() {
        if (!valid()) return true;
        const herr_t status = closer_(std::exchange(id_, H5I_INVALID_HID));
        return status >= 0;
    }
    void reset() { close(); }

  private:
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

class H5ErrorSilencer {
  public:
    H5ErrorSilencer() {
        H5Eget_auto2(H5E_DEFAULT, &oldFunc_, &oldData_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~H5ErrorSilencer() { H5Eset_auto2(H5E_DEFAULT, oldFunc_, oldData_); }
    H5ErrorSilencer(const H5ErrorSilencer&) = delete;
    H5ErrorSilencer& operator=(const H5ErrorSilencer&) = delete;

  private:
    H5E_auto2_t oldFunc_ = nullptr;
    void* oldData_ = nullptr;
};

}  // namespace us::analysis
