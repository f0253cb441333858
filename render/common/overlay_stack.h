#pragma once
// An ordered stack of overlay layers, top first (as a layer list shows them), shared by the
// surface scene and the slice view so both keep the same order, visibility and styles.

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

namespace us::render {

// Layer: any type with `OverlayStyle style` and `bool visible` members.
template <class Layer>
class OverlayStack {
  public:
    void addOnTop(Layer layer) { layers_.insert(layers_.begin(), std::move(layer)); }
    void remove(std::size_t index) { layers_.erase(layers_.begin() + checked(index)); }
    // Moves a layer to another position of the list (0: top), shifting those in between.
    void move(std::size_t from, std::size_t to) {
        checked(from), checked(to);
        if (from < to)
            std::rotate(layers_.begin() + from, layers_.begin() + from + 1,
                        layers_.begin() + to + 1);
        else
            std::rotate(layers_.begin() + to, layers_.begin() + from, layers_.begin() + from + 1);
    }
    Layer& at(std::size_t index) { return layers_[checked(index)]; }
    const Layer& at(std::size_t index) const { return layers_[checked(index)]; }
    const std::vector<Layer>& layers() const { return layers_; }
    std::size_t size() const { return layers_.size(); }
    bool empty() const { return layers_.empty(); }
    void clear() { layers_.clear(); }

    // Calls f(layer) for each visible layer from the bottom up: the order to composite in.
    template <class F>
    void forEachVisibleBottomUp(F&& f) const {
        for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
            if (it->visible) f(*it);
    }

  private:
    std::size_t checked(std::size_t index) const {
        if (index >= layers_.size()) throw std::out_of_range("no such overlay layer");
        return index;
    }
    std::vector<Layer> layers_;
};

}  // namespace us::render
