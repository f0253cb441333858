#pragma once
// The files the activation-maximisation commands write: PREFIX_NAME.png and PREFIX_NAME.npy
// per image, and PREFIX.json.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"

namespace us::cli {

// Image i of N x C x H x W images in [0, 1] as PREFIX_NAME.png (8-bit) and PREFIX_NAME.npy
// (float32 C x H x W), names[i] giving NAME; returns [{"png", "npy"}, ...].
nlohmann::ordered_json writeVisualisationImages(const std::filesystem::path& prefix,
                                                const analysis::FloatArray& images,
                                                const std::vector<std::string>& names);

// PREFIX.json, written atomically; returns its path.
std::filesystem::path writeVisualisationReport(const std::filesystem::path& prefix,
                                               const nlohmann::ordered_json& report);

}  // namespace us::cli
