// The exemplar-anchored starts of multifaceted feature visualisation.

#include "analysis/visualisation/facet_anchors.h"

#include <algorithm>
#include <stdexcept>

#include "analysis/clustering/kmeans.h"
#include "analysis/models/unit_statistics.h"

namespace us::analysis {

FacetAnchors facetAnchors(const ActivationStore& store, const StimulusSet& stimuli,
                          const InputSpec& spec, const std::string& layer, std::int64_t unit,
                          int facets, int exemplars, std::uint64_t seed, const JobContext& job) {
    const auto matrix = store.layerMatrix(layer);
    const auto rows = matrix.shape.at(0), units = matrix.shape.at(1);
    if (unit < 0 || unit >= units)
        throw std::invalid_argument("unit " + std::to_string(unit) + " is out of range: '" + layer +
                                    "' has " + std::to_string(units));
    const auto count = std::min<std::int64_t>(exemplars, rows);
    if (facets < 1 || count < facets)
        throw std::invalid_argument("anchoring " + std::to_string(facets) +
                                    " facets needs at least as many exemplars, not " +
                                    std::to_string(count));
    std::vector<float> column(static_cast<std::size_t>(rows));
    for (std::int64_t row = 0; row < rows; ++row)
        column[std::size_t(row)] = matrix.values[std::size_t(row * units + unit)];
    const auto order = topIndices(column, count);
    FacetAnchors anchors;

    FloatArray features{{count, units}, std::vector<float>(std::size_t(count * units))};
    for (std::int64_t i = 0; i < count; ++i)
        std::copy_n(matrix.values.begin() + order[std::size_t(i)] * units, units,
                    features.values.begin() + i * units);
    KMeansOptions options;
    options.k = facets;
    options.seed = seed;
    const auto clustering = kmeans(features, options, job.stage(0, 0.5));

    const auto& sourceIndex = store.stimuli().sourceIndex;
    const auto elements = spec.elementCount();
    const auto channels = spec.channels();
    const auto plane = elements / channels;
    anchors.groups.resize(std::size_t(facets));
    anchors.images = FloatArray{{facets, channels, spec.shape.at(1), spec.shape.at(2)},
                                std::vector<float>(std::size_t(facets * elements))};
    std::vector<float> input(static_cast<std::size_t>(elements));
    for (std::int64_t i = 0; i < count; ++i) {
        job.checkCancelled();
        const auto row = order[std::size_t(i)];
        const auto group = clustering.labels[std::size_t(i)];
        anchors.groups[std::size_t(group)].push_back(row);
        stimuli.modelInput(sourceIndex.empty() ? row : sourceIndex[std::size_t(row)], spec,
                           input.data());
        float* mean = anchors.images.values.data() + group * elements;
        for (std::int64_t k = 0; k < elements; ++k) {
            const auto c = std::size_t(k / plane);
            mean[k] += input[std::size_t(k)] * spec.std[c] + spec.mean[c];
        }
        job.report(0.5 + 0.5 * double(i + 1) / double(count), "reading exemplars");
    }
    for (std::size_t g = 0; g < anchors.groups.size(); ++g) {
        if (anchors.groups[g].empty())
            throw std::invalid_argument("the top exemplars hold fewer than " +
                                        std::to_string(facets) + " distinct modes");
        const auto n = float(anchors.groups[g].size());
        float* mean = anchors.images.values.data() + std::int64_t(g) * elements;
        for (std::int64_t k = 0; k < elements; ++k)
            mean[k] = std::clamp(mean[k] / n, 0.f, 1.f);
    }
    return anchors;
}

}  // namespace us::analysis
