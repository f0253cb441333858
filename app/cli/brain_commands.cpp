// unitscope-cli brain-info / brain-dump: brain files read exactly as nibabel reads them;
// atlas-lookup: world coordinates to atlas regions.
#include <array>
#include <cmath>
#include <iostream>

#include "analysis/brain/atlas.h"
#include "analysis/brain/brain_file.h"
#include "analysis/core/npy.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"

namespace us::cli {

int brainInfo(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli brain-info FILE\n\n"
                     "Prints JSON: format, dims, datatype, voxel sizes and the 4x4 voxel-to-world\n"
                     "affine (as nibabel's img.affine) for volumes (NIfTI-1/2, MGH/MGZ); vertex\n"
                     "and face counts for surfaces (FreeSurfer, GIFTI); label names for\n"
                     "annotations.\n";
        return 0;
    }
    return guarded("brain-info", [&] {
        const CliArgs options(args, {});
        if (options.positionals().size() != 1) throw UsageError("brain-info takes one FILE");
        std::cout << analysis::describeBrainFile(analysis::readBrainFile(options.positionals()[0]))
                         .dump(2)
                  << "\n";
        return 0;
    });
}

int brainDump(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli brain-dump FILE --out PREFIX\n\n"
               "Writes .npy arrays (C order): volumes PREFIX.data.npy (float64, the array\n"
               "nibabel's get_fdata() returns); surfaces PREFIX.vertices.npy (float64 n x 3)\n"
               "and PREFIX.faces.npy (int64 m x 3); per-vertex data and labels\n"
               "PREFIX.data.npy (float64).\n";
        return 0;
    }
    return guarded("brain-dump", [&] {
        const CliArgs options(args, {"out"});
        if (options.positionals().size() != 1) throw UsageError("brain-dump takes one FILE");
        const std::string prefix = options.required("out");
        const auto file = analysis::readBrainFile(options.positionals()[0]);
        if (file.vertexData && !file.vertexData->warning.empty())
            std::cerr << "warning: " << file.vertexData->warning << "\n";
        nlohmann::ordered_json written = nlohmann::ordered_json::array();
        if (file.volume) {
            const auto values = file.volume->dataInCOrder();
            analysis::writeNpy(prefix + ".data.npy", std::span<const double>(values),
                               file.volume->shape);
            written.push_back(prefix + ".data.npy");
        }
        if (file.mesh) {
            analysis::writeNpy(prefix + ".vertices.npy",
                               std::span<const double>(file.mesh->vertices),
                               {file.mesh->vertexCount(), 3});
            analysis::writeNpy(prefix + ".faces.npy",
                               std::span<const std::int64_t>(file.mesh->faces),
                               {file.mesh->faceCount(), 3});
            written.push_back(prefix + ".vertices.npy");
            written.push_back(prefix + ".faces.npy");
        }
        if (file.vertexData) {
            analysis::writeNpy(prefix + ".data.npy",
                               std::span<const double>(file.vertexData->values),
                               file.vertexData->shape);
            written.push_back(prefix + ".data.npy");
        }
        std::cout << nlohmann::ordered_json{{"written", written}}.dump(2) << "\n";
        return 0;
    });
}

int atlasLookup(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli atlas-lookup ATLAS X,Y,Z [X,Y,Z ...]\n\n"
                     "Prints JSON: for each world point (millimetres), the nearest voxel of the\n"
                     "atlas's label volume, its label and the region's name (label 0 and an\n"
                     "empty name outside every region; null outside the volume).\n"
                     "ATLAS is an FSL atlas .xml (label or probabilistic, via its summary\n"
                     "image; the finest resolution present), or a label volume with its names\n"
                     "table beside it (mricron-data: aal.nii.gz + aal.nii.txt).\n";
        return 0;
    }
    return guarded("atlas-lookup", [&] {
        const CliArgs options(args, {});
        const auto& positionals = options.positionals();
        if (positionals.size() < 2) throw UsageError("atlas-lookup takes ATLAS and X,Y,Z points");
        std::vector<std::array<double, 3>> points;
        for (std::size_t i = 1; i < positionals.size(); ++i) {
            const auto fields = splitList(positionals[i]);
            std::array<double, 3> point{};
            bool valid = fields.size() == 3;
            for (std::size_t k = 0; valid && k < 3; ++k) {
                std::size_t used = 0;
                try {
                    point[k] = std::stod(fields[k], &used);
                } catch (const std::exception&) {
                    used = 0;
                }
                valid = used == fields[k].size() && used > 0 && std::isfinite(point[k]);
            }
            if (!valid) throw UsageError("'" + positionals[i] + "' is not a point X,Y,Z in mm");
            points.push_back(point);
        }
        const auto atlas = analysis::readAtlas(positionals[0]);
        nlohmann::ordered_json regions = nlohmann::ordered_json::array();
        for (const auto& [x, y, z] : points) {
            nlohmann::ordered_json entry{{"mm", {x, y, z}}};
            if (const auto region = analysis::regionAt(atlas, x, y, z)) {
                entry["voxel"] = region->voxel;
                entry["label"] = region->label;
                entry["region"] = region->name;
            } else {
                entry["voxel"] = nullptr;
                entry["label"] = nullptr;
                entry["region"] = nullptr;
            }
            regions.push_back(std::move(entry));
        }
        std::cout << nlohmann::ordered_json{{"atlas", atlas.name},
                                            {"label_image", atlas.labelImage.string()},
                                            {"regions", regions}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
