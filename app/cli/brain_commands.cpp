// unitscope-cli brain-info / brain-dump: brain files read exactly as nibabel reads them.
#include <iostream>

#include "analysis/brain_file.h"
#include "analysis/npy.h"
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

}  // namespace us::cli
