#pragma once
// The brain's overlay layers as one observed list (like 3D Slicer's display nodes): order (top
// first), name, visibility and style. The surface scene, the slice view and the overlay panel
// observe it and never keep copies; each layer's data (per-vertex values, a volume) stays with
// the view that draws it, keyed by the layer's id. Edits inside a batch notify once at its end,
// so a change of several properties renders once.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "render/common/colour_map.h"

namespace us::render {

using LayerId = std::uint64_t;

enum class LayerKind { Volume, SurfaceData };

struct BrainLayer {
    LayerId id = 0;  // assigned by the list, stable across moves
    std::string name;
    LayerKind kind = LayerKind::Volume;
    std::string path;  // the file it was read from
    OverlayStyle style;
    bool visible = true;
};

class BrainLayers {
  public:
    // What a notification is about; observers re-read what they need from the list.
    enum Change : unsigned { Structure = 1, Style = 2, Visibility = 4 };
    using Observer = std::function<void(unsigned changes)>;

    // Unsubscribes when destroyed; safe whichever of the list and the observer goes first.
    class Subscription {
      public:
        Subscription() = default;
        Subscription(Subscription&&) noexcept = default;
        Subscription& operator=(Subscription&& other) noexcept;
        ~Subscription();

      private:
        friend class BrainLayers;
        struct Entry;
        Subscription(std::weak_ptr<std::vector<std::shared_ptr<Entry>>> list,
                     std::shared_ptr<Entry> entry);
        void reset();
        std::weak_ptr<std::vector<std::shared_ptr<Entry>>> list_;
        std::shared_ptr<Entry> entry_;
    };

    // Folds every change until it is destroyed into one notification (nested batches fold too).
    class Batch {
      public:
        explicit Batch(BrainLayers& layers) : layers_(layers) { ++layers_.batchDepth_; }
        ~Batch() { layers_.endBatch(); }
        Batch(const Batch&) = delete;
        Batch& operator=(const Batch&) = delete;

      private:
        BrainLayers& layers_;
    };

    BrainLayers();
    BrainLayers(const BrainLayers&) = delete;
    BrainLayers& operator=(const BrainLayers&) = delete;

    // Observing does not change the list: views that only draw it hold it const.
    [[nodiscard]] Subscription observe(Observer observer) const;

    // Adds a layer on top and returns its id (the layer's own id is ignored).
    LayerId add(BrainLayer layer);
    void remove(LayerId id);
    // Moves the layer at `from` to position `to` (0: top), shifting those in between.
    void move(std::size_t from, std::size_t to);
    void setStyle(LayerId id, const OverlayStyle& style);
    void setVisible(LayerId id, bool visible);
    void clear();

    const std::vector<BrainLayer>& layers() const { return layers_; }  // top first
    std::size_t size() const { return layers_.size(); }
    bool empty() const { return layers_.empty(); }
    const BrainLayer* find(LayerId id) const;
    std::optional<std::size_t> indexOf(LayerId id) const;
    // Throws std::out_of_range for a position past the end.
    const BrainLayer& at(std::size_t index) const;

    // Calls f(layer) for each visible layer from the bottom up: the order to composite in.
    template <class F>
    void forEachVisibleBottomUp(F&& f) const {
        for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
            if (it->visible) f(*it);
    }

  private:
    BrainLayer& layer(LayerId id);
    void changed(unsigned what);
    void endBatch();

    std::vector<BrainLayer> layers_;
    LayerId nextId_ = 1;
    int batchDepth_ = 0;
    unsigned pending_ = 0;
    std::shared_ptr<std::vector<std::shared_ptr<Subscription::Entry>>> observers_;
};

}  // namespace us::render
