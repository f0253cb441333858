#include "render/brain/brain_layers.h"

#include <algorithm>
#include <stdexcept>

namespace us::render {

struct BrainLayers::Subscription::Entry {
    Observer observer;
};

BrainLayers::Subscription::Subscription(std::weak_ptr<std::vector<std::shared_ptr<Entry>>> list,
                                        std::shared_ptr<Entry> entry)
    : list_(std::move(list)), entry_(std::move(entry)) {}

BrainLayers::Subscription& BrainLayers::Subscription::operator=(Subscription&& other) noexcept {
    if (this != &other) {
        reset();
        list_ = std::move(other.list_);
        entry_ = std::move(other.entry_);
    }
    return *this;
}

BrainLayers::Subscription::~Subscription() {
    reset();
}

void BrainLayers::Subscription::reset() {
    if (auto list = list_.lock(); list && entry_)
        list->erase(std::remove(list->begin(), list->end(), entry_), list->end());
    entry_.reset();
    list_.reset();
}

BrainLayers::BrainLayers()
    : observers_(std::make_shared<std::vector<std::shared_ptr<Subscription::Entry>>>()) {}

BrainLayers::Subscription BrainLayers::observe(Observer observer) const {
    auto entry = std::make_shared<Subscription::Entry>(Subscription::Entry{std::move(observer)});
    observers_->push_back(entry);
    return Subscription(observers_, std::move(entry));
}

LayerId BrainLayers::add(BrainLayer layer) {
    layer.id = nextId_++;
    const LayerId id = layer.id;
    layers_.insert(layers_.begin(), std::move(layer));
    changed(Structure);
    return id;
}

void BrainLayers::remove(LayerId id) {
    const auto index = indexOf(id);
    if (!index) return;
    layers_.erase(layers_.begin() + std::ptrdiff_t(*index));
    changed(Structure);
}

void BrainLayers::move(std::size_t from, std::size_t to) {
    at(from), at(to);
    if (from == to) return;
    const auto begin = layers_.begin();
    if (from < to)
        std::rotate(begin + std::ptrdiff_t(from), begin + std::ptrdiff_t(from) + 1,
                    begin + std::ptrdiff_t(to) + 1);
    else
        std::rotate(begin + std::ptrdiff_t(to), begin + std::ptrdiff_t(from),
                    begin + std::ptrdiff_t(from) + 1);
    changed(Structure);
}

void BrainLayers::setStyle(LayerId id, const OverlayStyle& style) {
    layer(id).style = style;
    changed(Style);
}

void BrainLayers::setVisible(LayerId id, bool visible) {
    BrainLayer& target = layer(id);
    if (target.visible == visible) return;
    target.visible = visible;
    changed(Visibility);
}

void BrainLayers::clear() {
    if (layers_.empty()) return;
    layers_.clear();
    changed(Structure);
}

const BrainLayer* BrainLayers::find(LayerId id) const {
    const auto it = std::find_if(layers_.begin(), layers_.end(),
                                 [id](const BrainLayer& layer) { return layer.id == id; });
    return it == layers_.end() ? nullptr : &*it;
}

std::optional<std::size_t> BrainLayers::indexOf(LayerId id) const {
    if (const BrainLayer* layer = find(id)) return std::size_t(layer - layers_.data());
    return std::nullopt;
}

const BrainLayer& BrainLayers::at(std::size_t index) const {
    if (index >= layers_.size()) throw std::out_of_range("no overlay layer at that position");
    return layers_[index];
}

BrainLayer& BrainLayers::layer(LayerId id) {
    const auto index = indexOf(id);
    if (!index) throw std::out_of_range("no overlay layer with that id");
    return layers_[*index];
}

void BrainLayers::changed(unsigned what) {
    pending_ |= what;
    if (batchDepth_ > 0) return;
    const unsigned changes = pending_;
    pending_ = 0;
    // A copy: an observer may unsubscribe (or subscribe) while being notified.
    const auto observers = *observers_;
    for (const auto& entry : observers)
        entry->observer(changes);
}

void BrainLayers::endBatch() {
    if (--batchDepth_ == 0 && pending_ != 0) changed(0);
}

}  // namespace us::render
