// unitscope-cli: Unitscope without a GUI, for batch jobs, scripts and tests.
// Links analysis/ and render/ (offscreen VTK figures) only: no Qt.

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "analysis/core/runtime_setup.h"
#include "analysis/core/versions.h"
#include "app/cli/cli_commands.h"

namespace {

constexpr const char* kUsage =
    "usage: unitscope-cli [--help] [--version] SUBCOMMAND [ARGS...]\n"
    "\n"
    "Unitscope without a GUI. Reports go to stdout as JSON; errors to stderr, one line,\n"
    "with a non-zero exit status.\n"
    "\n"
    "subcommands:\n"
    "  session-info FILE.unitscope   print a session's format version and contents as JSON\n"
    "  layers MODEL.pt               list a TorchScript model's modules and output shapes\n"
    "  extract --model M --stimuli S --layers a,b --out acts.h5\n"
    "                                write pooled activations to an HDF5 activation store\n"
    "  demo-model --out DIR          train (or reuse) the demo CNN on Fashion-MNIST\n"
    "  cluster --input X --method M --out PATH\n"
    "                                Ward/average/complete/single, k-means, NMF, semi-NMF\n"
    "  treemap --linkage L.npy --width W --height H --out rects.json\n"
    "                                lay out a clustering as a treemap\n"
    "  cluster-nulls --linkage L.npy --labels Y.npy --out nulls.json\n"
    "                                clusters' purity and majority vs shuffled labels\n"
    "  brain-info FILE               NIfTI/MGH/GIFTI/FreeSurfer header facts as JSON\n"
    "  brain-dump FILE --out PREFIX  the file's arrays as .npy, as nibabel reads them\n"
    "  atlas-lookup ATLAS X,Y,Z ...  atlas regions (FSL .xml or mricron) at world points\n"
    "  render-surface --surface S --size WxH --out PNG\n"
    "                                a surface figure with an overlay and colour bar\n"
    "  attribute --model M --stimuli S --index I --layers a,b --method gxa|ig|lrp --out G.json\n"
    "                                an attribution graph (circuit-tracer's JSON schema)\n"
    "  prune --graph G.json --out P.json   prune a graph as circuit-tracer does\n"
    "  graph-info G.json             counts and metadata of a graph\n"
    "  graph-convert --graph IN.json --out OUT.json\n"
    "                                read any circuit-tracer graph, write it back\n"
    "  supernodes --graph G.json --store acts.h5 --out G2.json\n"
    "                                group a graph's units by their activation signatures\n"
    "  actmax --model M --objective channel:LAYER:C --out PREFIX\n"
    "                                activation-maximisation images (Fourier recipe)\n"
    "  encode --features acts.h5:LAYER --betas B --out encoding.h5\n"
    "                                ridge encoding model from features to voxels\n"
    "  caption --encoding E.h5 --store acts.h5 --out captions.json\n"
    "                                concepts and preferred images per voxel and region\n"
    "  simulate-fmri --store acts.h5 --layer L --out DIR\n"
    "                                a SIMULATED experiment with known answers\n"
    "  caption-units --store acts.h5:LAYER --out captions.json\n"
    "                                unit captions with permutation and control nulls\n"
    "  match-units --a acts1.h5:L1 --b acts2.h5:L2 --out matches.json\n"
    "                                units of two networks matched by correlation\n"
    "  random-control --model M.pt --seed S --stimuli S --out random.pt\n"
    "                                the same architecture with fresh weights (a null model)\n"
    "  concepts --store acts.h5:LAYER --method nmf --k K --out concepts.h5\n"
    "                                NMF components of a layer as a layer of concept units\n"
    "\n"
    "Run 'unitscope-cli SUBCOMMAND --help' for a subcommand's options.\n";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (command == "--version") {
        std::cout << "unitscope-cli " << us::analysis::unitscopeVersion() << " (LibTorch "
                  << us::analysis::torchVersion() << ", HDF5 " << us::analysis::hdf5Version()
                  << ")\n";
        return 0;
    }
    const std::map<std::string, int (*)(const std::vector<std::string>&)> commands{
        {"session-info", us::cli::sessionInfo},
        {"layers", us::cli::layers},
        {"extract", us::cli::extract},
        {"demo-model", us::cli::demoModel},
        {"cluster", us::cli::cluster},
        {"treemap", us::cli::treemap},
        {"cluster-nulls", us::cli::clusterNulls},
        {"brain-info", us::cli::brainInfo},
        {"brain-dump", us::cli::brainDump},
        {"atlas-lookup", us::cli::atlasLookup},
        {"render-surface", us::cli::renderSurface},
        {"attribute", us::cli::attribute},
        {"prune", us::cli::prune},
        {"graph-info", us::cli::graphInfo},
        {"graph-convert", us::cli::graphConvert},
        {"supernodes", us::cli::supernodes},
        {"actmax", us::cli::actmax},
        {"actmax-clusters", us::cli::actmaxClusters},
        {"encode", us::cli::encode},
        {"caption", us::cli::caption},
        {"simulate-fmri", us::cli::simulateFmri},
        {"caption-units", us::cli::captionUnits},
        {"match-units", us::cli::matchUnits},
        {"random-control", us::cli::randomControl},
        {"concepts", us::cli::concepts}};
    const auto found = commands.find(command);
    if (found == commands.end())
        return us::cli::fail("unknown subcommand '" + command + "' (see unitscope-cli --help)", 2);
    us::analysis::configureRuntime();
    return found->second(args);
}
