#pragma once
// A label atlas: a label volume and the names of its regions, so that any world coordinate
// maps to a region. Reads the mricron-data layout (volume + "index name code" text) and FSL's
// atlas XML (label and probabilistic atlases, through their summary image).

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/brain/atlas_labels.h"
#include "analysis/brain/volume.h"

namespace us::analysis {

struct Atlas {
    std::string name;
    std::filesystem::path labelImage;  // the volume whose voxel values are region labels
    std::shared_ptr<const Volume> labels;
    AtlasLabels names;
};

struct AtlasRegion {
    int label = 0;     // 0: outside every region
    std::string name;  // empty for label 0 and labels the table does not name
    std::array<long long, 3> voxel{};
};

// One entry of an FSL atlas XML file.
struct FslAtlasDescription {
    std::string name;
    std::string type;  // "Label" or "Probabilistic"
    struct Images {
        std::filesystem::path image, summary;  // resolved, with their extension
    };
    std::vector<Images> images;  // one per resolution, in file order
    AtlasLabels names;           // keyed by the value the label has in the label image
};

// Parses an FSL atlas XML file (expat; malformed XML is one clear error). Image paths are
// resolved against the XML's folder as FSL does ("/HarvardOxford/x" is relative to it) and
// the NIfTI extension is found on disk. Label values follow FSL: a `value` attribute when
// present; otherwise `index` for label atlases and index + 1 (the summary image's value) for
// probabilistic ones.
FslAtlasDescription readFslAtlasXml(const std::filesystem::path& path);

// path: an FSL atlas .xml, or a label volume (.nii/.nii.gz/.mgz) with a names table beside it
// (<name>.txt or <stem>.txt as in mricron-data, or an FSL .xml of the same stem). For FSL
// atlases the finest resolution present is used. Throws std::runtime_error.
Atlas readAtlas(const std::filesystem::path& path);

// The region under a world point (nearest voxel); nullopt outside the label volume.
std::optional<AtlasRegion> regionAt(const Atlas& atlas, double x, double y, double z);

}  // namespace us::analysis
