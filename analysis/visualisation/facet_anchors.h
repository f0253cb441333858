#pragma once
// Multifaceted starts (Nguyen et al.'s multifaceted feature visualisation): the unit's top
// natural exemplars clustered into one group per facet, each facet starting from its group's
// mean image, so that every facet is anchored to a real mode of the unit.

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/core/job_context.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/input_spec.h"
#include "analysis/stimuli/stimulus_set.h"

namespace us::analysis {

struct FacetAnchors {
    FloatArray images;  // facets x C x H x W in [0, 1] at the model's input size
    std::vector<std::vector<std::int64_t>> groups;  // the store rows of each facet's group
};

// The unit's `exemplars` most activating store rows, clustered by k-means (seeded) on their
// activations over all of the layer's units, one group per facet; each group's mean image is
// taken from the stimuli as the model sees them, before normalisation. Throws
// std::invalid_argument when there are fewer exemplars than facets.
FacetAnchors facetAnchors(const ActivationStore& store, const StimulusSet& stimuli,
                          const InputSpec& spec, const std::string& layer, std::int64_t unit,
                          int facets, int exemplars, std::uint64_t seed,
                          const JobContext& job = {});

}  // namespace us::analysis
