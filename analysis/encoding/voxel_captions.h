#pragma once
// Captions for voxels and regions of a fitted encoding model (BrainSCUBA's projection, onto a
// concept vocabulary instead of a captioning model): a voxel's weight vector against every
// concept embedding by cosine, with a softmax at a temperature for display; a region's caption
// from the R2-weighted mean of its voxels' weights; preferred images are the stimuli with the
// highest predicted response.

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/brain/atlas.h"
#include "analysis/core/job_context.h"
#include "analysis/encoding/concept_vocabulary.h"
#include "analysis/encoding/encoding_model.h"

namespace us::analysis {

struct CaptionSettings {
    double temperature = 50;  // softmax over temperature * cosine
    int top = 3;              // concepts listed, best first
    int preferred = 8;        // preferred stimuli listed
};

struct ConceptScore {
    int index = 0;           // row of the vocabulary
    double score = 0;        // cosine of the weights with the concept's embedding
    double probability = 0;  // softmax share over the whole vocabulary
};

struct Caption {
    std::vector<ConceptScore> concepts;   // best first
    std::vector<std::int64_t> preferred;  // store rows (feature rows), best first
};

struct RegionCaption {
    int label = 0;
    std::string name;
    std::int64_t voxels = 0;
    bool predictive = true;  // false: no voxel has a positive test R2 (then weighted equally)
    Caption caption;
    std::vector<float> weights;  // the R2-weighted mean weights the caption was made from
};

// The concepts of one weight vector, best first.
std::vector<ConceptScore> scoreConcepts(const float* weights, const ConceptVocabulary& vocabulary,
                                        const CaptionSettings& settings);

// features: the stimuli in the model's feature space (transformed as the model was fitted),
// rows x features. One caption per voxel of the model.
std::vector<Caption> captionVoxels(const EncodingModel& model, const ConceptVocabulary& vocabulary,
                                   const FeatureMatrix& features, const CaptionSettings& settings,
                                   const JobContext& job = {});

// One caption per atlas region that holds voxels of the model (volumes only).
std::vector<RegionCaption> captionRegions(const EncodingModel& model, const Atlas& atlas,
                                          const ConceptVocabulary& vocabulary,
                                          const FeatureMatrix& features,
                                          const CaptionSettings& settings);

// Store features in the model's fitted space: (x - mean) / scale.
FeatureMatrix transformFeatures(const EncodingModel& model, const FeatureMatrix& features);

}  // namespace us::analysis
