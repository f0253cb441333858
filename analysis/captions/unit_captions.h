#pragma once
// Captions for the units of a layer, each with the evidence that it is not chance.
//   Scores per unit and concept: the area under the ROC curve of the unit's activation for the
//   concept's stimuli against the rest (midranks for ties), and soft-WPMI over the unit's top
//   exemplars as CLIP-Dissect's soft_wpmi computes it, the concept probabilities of an image
//   being its labels (0 or 1).
//   Concepts are ranked by AUC; the caption is the best, or "A and B" when the two best
//   together cover clearly more of the top exemplars than either (see UnitCaptionSettings).
//   Nulls: the label-permutation distribution of the rank-sum statistic (Mann-Whitney U, one
//   sided, in its normal approximation with tie and continuity corrections, as SciPy's
//   mannwhitneyu(..., alternative="greater", method="asymptotic"), or with `permutations`
//   that many seeded shuffles of the stimuli's labels), and, given a random-weight
//   control's units, the fraction of them scoring at least as high; both Benjamini-Hochberg
//   adjusted across the layer's units, concept by concept.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/captions/concept_labels.h"
#include "analysis/statistics/multiple_testing.h"

namespace us::analysis {

struct UnitCaptionSettings {
    int topK = 100;  // CLIP-Dissect's soft-WPMI defaults
    double pStart = 0.998, pEnd = 0.97, lambda = 1, minProbability = 1e-7;
    // "A and B" when the two best concepts together hold for at least this many times the top
    // exemplars the better one alone holds for, and each holds for at least minimumShare.
    double compoundGain = 1.5, minimumShare = 0.2;
    double chanceLevel = 0.05;  // a caption is chance when either q is above it
    // Label shuffles for the permutation p; 0: the Mann-Whitney normal approximation of the
    // same permutation distribution (fast, and what the GUI uses).
    int permutations = 0;
    std::uint64_t seed = 0;
};

struct UnitConceptScore {
    int concept_ = 0;
    double auc = 0.5, wpmi = 0;
    double pPermutation = 1, qPermutation = 1;
    std::optional<double> pControl, qControl;  // with a control only
};

struct UnitCaption {
    std::int64_t unit = 0;
    std::string caption;                     // "T-shirt/top" or "Sandal and Sneaker"
    bool chance = false;                     // either null says the caption could be chance
    double topShare = 0;                     // share of the top exemplars the caption holds for
    std::vector<UnitConceptScore> concepts;  // every concept, best (highest AUC) first
};

// AUC (units x concepts, row-major) of every unit's column of activations (rows x units).
std::vector<double> unitConceptAuc(const std::vector<float>& activations, std::int64_t units,
                                   const ConceptLabels& labels);
// Soft-WPMI (units x concepts).
std::vector<double> unitConceptWpmi(const std::vector<float>& activations, std::int64_t units,
                                    const ConceptLabels& labels,
                                    const UnitCaptionSettings& settings);
// activations: rows x units (the layer's pooled activations over the stimuli); control: the
// random-weight control's activations over the same stimuli (rows x controlUnits), if any.
// Throws std::invalid_argument when the shapes disagree.
std::vector<UnitCaption> captionUnits(const std::vector<float>& activations, std::int64_t units,
                                      const ConceptLabels& labels,
                                      const UnitCaptionSettings& settings,
                                      const std::vector<float>* control = nullptr,
                                      std::int64_t controlUnits = 0);

}  // namespace us::analysis
