#pragma once
// The activation-maximisation tests' fixtures: the reference parameterisation and stimuli
// (make_visualisation_fixtures.py) and the 16 px VGG of the attribution fixtures.

#include <filesystem>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/core/npy.h"
#include "analysis/models/input_spec.h"
#include "tests/support/python_fixtures.h"

namespace us::test {

inline const std::filesystem::path& visualisationFixtures() {
    static const std::filesystem::path dir =
        pythonFixtures("make_visualisation_fixtures.py", "visualisation-fixtures");
    return dir;
}

inline std::filesystem::path vggPath() {
    static const std::filesystem::path dir =
        pythonFixtures("make_attribution_fixtures.py", "attribution-fixtures");
    return dir / "vgg.pt";
}

inline analysis::FloatArray readArray(const std::filesystem::path& path) {
    analysis::NpyHeader header;
    const auto values = analysis::readNpyAsDouble(path, &header);
    return {header.shape, std::vector<float>(values.begin(), values.end())};
}

// The VGG fixture's input: 3 x 16 x 16, no normalisation.
inline analysis::InputSpec vggSpec() {
    analysis::InputSpec spec;
    spec.shape = {3, 16, 16};
    spec.mean = {0.f, 0.f, 0.f};
    spec.std = {1.f, 1.f, 1.f};
    return spec;
}

}  // namespace us::test
