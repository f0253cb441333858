// The observed layer list: order, ids, batching and subscriptions that outlive either side.

#include <gtest/gtest.h>

#include "render/brain/brain_layers.h"

namespace {

using us::render::BrainLayer;
using us::render::BrainLayers;
using us::render::LayerKind;

BrainLayer named(const std::string& name) {
    BrainLayer layer;
    layer.name = name;
    layer.kind = LayerKind::Volume;
    return layer;
}

std::vector<std::string> names(const BrainLayers& layers) {
    std::vector<std::string> out;
    for (const auto& layer : layers.layers())
        out.push_back(layer.name);
    return out;
}

TEST(BrainLayers, AddsOnTopMovesAndRemovesByStableIds) {
    BrainLayers layers;
    const auto a = layers.add(named("a"));
    const auto b = layers.add(named("b"));
    const auto c = layers.add(named("c"));
    EXPECT_EQ(names(layers), (std::vector<std::string>{"c", "b", "a"}));
    layers.move(0, 2);
    EXPECT_EQ(names(layers), (std::vector<std::string>{"b", "a", "c"}));
    layers.move(2, 0);
    EXPECT_EQ(names(layers), (std::vector<std::string>{"c", "b", "a"}));
    EXPECT_EQ(layers.indexOf(a), 2u);
    layers.remove(b);
    EXPECT_EQ(names(layers), (std::vector<std::string>{"c", "a"}));
    EXPECT_EQ(layers.find(b), nullptr);
    EXPECT_EQ(layers.find(c)->name, "c");
    EXPECT_THROW(layers.move(0, 5), std::out_of_range);
    EXPECT_THROW(layers.setVisible(b, false), std::out_of_range);
}

TEST(BrainLayers, EveryEditNotifiesOnceAndBatchesFoldIntoOne) {
    BrainLayers layers;
    std::vector<unsigned> seen;
    auto subscription = layers.observe([&](unsigned changes) { seen.push_back(changes); });
    const auto id = layers.add(named("a"));
    ASSERT_EQ(seen, (std::vector<unsigned>{BrainLayers::Structure}));
    seen.clear();
    {
        BrainLayers::Batch batch(layers);
        us::render::OverlayStyle style;
        style.threshold = 2;
        layers.setStyle(id, style);
        style.opacity = 0.5;
        layers.setStyle(id, style);
        layers.setVisible(id, false);
        {
            BrainLayers::Batch inner(layers);
            layers.add(named("b"));
        }
        EXPECT_TRUE(seen.empty()) << "nothing is told before the outer batch ends";
    }
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], BrainLayers::Style | BrainLayers::Visibility | BrainLayers::Structure);
    EXPECT_EQ(layers.find(id)->style.opacity, 0.5);
    seen.clear();
    layers.setVisible(id, false);  // no change, no notification
    EXPECT_TRUE(seen.empty());
}

TEST(BrainLayers, SubscriptionsEndWithTheirOwnerOrTheList) {
    int calls = 0;
    BrainLayers::Subscription outlivesList;
    {
        BrainLayers layers;
        {
            auto scoped = layers.observe([&](unsigned) { ++calls; });
            layers.add(named("a"));
        }
        layers.add(named("b"));  // the scoped observer is gone
        EXPECT_EQ(calls, 1);
        outlivesList = layers.observe([&](unsigned) { ++calls; });
    }
    // Destroying a subscription after its list is safe (checked by ASan runs).
    outlivesList = {};
    EXPECT_EQ(calls, 1);
}

}  // namespace
