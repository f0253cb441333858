#include "analysis/encoding/simulated_experiment.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

#include "analysis/brain/atlas.h"
#include "analysis/brain/volume.h"
#include "analysis/brain/volume_writer.h"
#include "analysis/core/atomic_file.h"
#include "analysis/demo/demo_data.h"
#include "analysis/encoding/brain_responses.h"
#include "analysis/encoding/concept_vocabulary.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Regions smaller than this (at the chosen voxel size) cannot carry a category convincingly.
constexpr std::int64_t kMinRegionVoxels = 8;

}  // namespace

nlohmann::ordered_json simulateExperiment(const ActivationStore& store,
                                          const SimulationSettings& settings,
                                          const fs::path& outDir, const JobContext& job) {
    if (!(settings.snr > 0) || !std::isfinite(settings.snr))
        throw std::invalid_argument("the SNR must be a positive number");
    if (settings.voxelSize < 1 || settings.voxelSize > 16)
        throw std::invalid_argument("the voxel size must be 1 to 16 mm");
    if (settings.regions < 1)
        throw std::invalid_argument("at least one region must prefer a class");
    const auto& stimuli = store.stimuli();
    if (stimuli.labels.empty())
        throw std::runtime_error("the store's stimuli have no class labels to prefer");
    const std::int64_t n =
        settings.stimuli > 0 ? std::min(settings.stimuli, store.count()) : store.count();
    if (n < 10) throw std::runtime_error("the simulation needs at least 10 stimuli");

    // The grid: every voxelSize-th voxel of the 1 mm Colin27 template, AAL regions sampled at
    // the same world points.
    const auto files = demoBrainFiles();
    const Volume anatomy = readNiftiVolume(files.anatomy);
    const Atlas atlas = readAtlas(files.atlas);
    const int step = settings.voxelSize;
    const std::array<std::int64_t, 3> grid{(anatomy.shape[0] + step - 1) / step,
                                           (anatomy.shape[1] + step - 1) / step,
                                           (anatomy.shape[2] + step - 1) / step};
    Eigen::Matrix4d affine = anatomy.affine;
    affine.block<3, 3>(0, 0) *= double(step);
    const std::int64_t gridVoxels = grid[0] * grid[1] * grid[2];
    std::vector<std::int64_t> brain;  // file offsets of brain voxels on the grid
    std::vector<int> labelOf;         // per brain voxel
    std::map<int, std::vector<std::int64_t>> regionVoxels;  // label -> indices into brain
    for (std::int64_t k = 0; k < grid[2]; ++k)
        for (std::int64_t j = 0; j < grid[1]; ++j)
            for (std::int64_t i = 0; i < grid[0]; ++i) {
                const std::int64_t source =
                    step * i + anatomy.shape[0] * (step * j + anatomy.shape[1] * step * k);
                if (!(anatomy.data[std::size_t(source)] > 0)) continue;
                const Eigen::Vector4d world =
                    affine * Eigen::Vector4d(double(i), double(j), double(k), 1);
                const auto region = regionAt(atlas, world(0), world(1), world(2));
                const int label = region ? region->label : 0;
                if (label > 0) regionVoxels[label].push_back(std::int64_t(brain.size()));
                brain.push_back(fileOffset(grid, {i, j, k}));
                labelOf.push_back(label);
            }
    job.report(0.1, "choosing regions");

    // Regions: a seeded pick among the larger AAL regions; classes: a seeded order of the
    // classes present, one per region while they last.
    std::mt19937_64 random(settings.seed);
    std::vector<std::pair<std::int64_t, int>> bySize;
    for (const auto& [label, voxels] : regionVoxels)
        if (std::int64_t(voxels.size()) >= kMinRegionVoxels)
            bySize.push_back({std::int64_t(voxels.size()), label});
    std::sort(bySize.rbegin(), bySize.rend());
    if (std::int64_t(bySize.size()) < settings.regions)
        throw std::runtime_error("only " + std::to_string(bySize.size()) + " AAL regions have " +
                                 std::to_string(kMinRegionVoxels) + " voxels at " +
                                 std::to_string(step) + " mm; ask for fewer regions");
    bySize.resize(std::min<std::size_t>(bySize.size(), std::size_t(settings.regions) * 3));
    std::shuffle(bySize.begin(), bySize.end(), random);
    std::vector<std::int32_t> classes(stimuli.labels.begin(), stimuli.labels.begin() + n);
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    std::shuffle(classes.begin(), classes.end(), random);

    // Features of the chosen stimuli, centred; each class's direction as captions define it.
    const auto all = store.layerMatrix(settings.layer, settings.pooling);
    const std::int64_t f = all.shape[1];
    RowMatrixF x = Eigen::Map<const RowMatrixF>(all.values.data(), n, f);
    const std::vector<std::int32_t> labels(stimuli.labels.begin(), stimuli.labels.begin() + n);
    const auto vocabulary = classVocabulary(x, labels, stimuli.labelNames);
    x.rowwise() -= x.colwise().mean();

    struct Preferring {
        int label;
        std::string name;
        int category;                      // vocabulary row
        std::vector<std::int64_t> voxels;  // indices into brain
    };
    std::vector<Preferring> preferring;
    for (int r = 0; r < settings.regions; ++r) {
        const int label = bySize[std::size_t(r)].second;
        const std::int32_t cls = classes[std::size_t(r) % classes.size()];
        const auto found = std::find(vocabulary.classes.begin(), vocabulary.classes.end(), cls);
        preferring.push_back({label, atlas.names.name(label),
                              int(found - vocabulary.classes.begin()), regionVoxels[label]});
    }

    // Signal of every preferring voxel: centred features through its weights.
    std::vector<std::int64_t> signalVoxels;
    std::vector<int> signalCategory;
    for (const auto& region : preferring)
        for (auto v : region.voxels) {
            signalVoxels.push_back(v);
            signalCategory.push_back(region.category);
        }
    const std::int64_t s = std::int64_t(signalVoxels.size());
    RowMatrixF weights(f, s);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (std::int64_t v = 0; v < s; ++v) {
        Eigen::VectorXf own(f);
        for (std::int64_t i = 0; i < f; ++i)
            own(i) = float(normal(random));
        own *= float(settings.variation / std::max(1e-12, double(own.norm())));
        weights.col(v) =
            vocabulary.embeddings.row(signalCategory[std::size_t(v)]).transpose() + own;
    }
    const RowMatrixF signal = x * weights;  // n x s
    std::vector<double> noiseSd(static_cast<std::size_t>(s));
    for (std::int64_t v = 0; v < s; ++v) {
        const double sd = std::sqrt(double(signal.col(v).squaredNorm()) / double(n));
        noiseSd[std::size_t(v)] = sd / std::sqrt(settings.snr);
    }
    std::vector<double> sorted = noiseSd;
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() / 2),
                     sorted.end());
    const double backgroundSd = sorted[sorted.size() / 2];
    std::vector<std::int64_t> signalColumn(brain.size(), -1);
    for (std::int64_t v = 0; v < s; ++v)
        signalColumn[std::size_t(signalVoxels[std::size_t(v)])] = v;

    // int16 with a slope that holds the signal plus six noise deviations.
    const double largest =
        double(signal.cwiseAbs().maxCoeff()) +
        6 * std::max(backgroundSd, *std::max_element(noiseSd.begin(), noiseSd.end()));
    const double slope = largest / 32000.0;
    fs::create_directories(outDir);
    char snrText[32];
    std::snprintf(snrText, sizeof snrText, "%g", settings.snr);
    const std::string description = "SIMULATED betas: " + settings.layer + ", SNR " + snrText +
                                    ", seed " + std::to_string(settings.seed);
    NiftiSeriesWriter betas(outDir / "betas.nii.gz", grid, n, NiftiSeriesWriter::Type::Int16,
                            affine, description, slope, 0.0);
    std::vector<std::int16_t> volume(static_cast<std::size_t>(gridVoxels), 0);
    for (std::int64_t t = 0; t < n; ++t) {
        for (std::size_t b = 0; b < brain.size(); ++b) {
            const std::int64_t column = signalColumn[b];
            const double value =
                column >= 0 ? signal(t, column) + noiseSd[std::size_t(column)] * normal(random)
                            : backgroundSd * normal(random);
            volume[std::size_t(brain[b])] =
                std::int16_t(std::clamp(std::lround(value / slope), -32767L, 32767L));
        }
        betas.writeVolume(volume.data());
        job.report(0.1 + 0.85 * double(t + 1) / double(n), "writing the simulated betas");
        job.checkCancelled();
    }
    {
        std::vector<float> mask(static_cast<std::size_t>(gridVoxels), 0.0f);
        for (auto offset : brain)
            mask[std::size_t(offset)] = 1.0f;
        NiftiSeriesWriter maskWriter(outDir / "mask.nii.gz", grid, 1,
                                     NiftiSeriesWriter::Type::Float32, affine,
                                     "SIMULATED experiment: brain mask");
        maskWriter.writeVolume(mask.data());
        maskWriter.finish();
    }
    std::string names;
    for (std::int64_t t = 0; t < n; ++t)
        names += (std::size_t(t) < stimuli.names.size() && !stimuli.names[std::size_t(t)].empty()
                      ? stimuli.names[std::size_t(t)]
                      : std::to_string(t)) +
                 "\n";
    writeTextAtomically(outDir / "stimuli.txt", names);

    nlohmann::ordered_json truth;
    truth["simulated"] = true;
    truth["description"] = description;
    truth["store"] = store.path().string();
    truth["layer"] = settings.layer;
    truth["snr"] = settings.snr;
    truth["seed"] = settings.seed;
    truth["voxel_size_mm"] = step;
    truth["stimuli"] = n;
    truth["brain_voxels"] = brain.size();
    truth["variation"] = settings.variation;
    auto& regions = truth["regions"] = nlohmann::ordered_json::array();
    for (const auto& region : preferring) {
        nlohmann::ordered_json entry;
        entry["label"] = region.label;
        entry["name"] = region.name;
        entry["category"] = vocabulary.classes[std::size_t(region.category)];
        entry["category_name"] = vocabulary.names[std::size_t(region.category)];
        auto& voxels = entry["voxels"] = nlohmann::ordered_json::array();
        for (auto b : region.voxels) {
            const std::int64_t offset = brain[std::size_t(b)];
            voxels.push_back(
                {offset % grid[0], (offset / grid[0]) % grid[1], offset / (grid[0] * grid[1])});
        }
        regions.push_back(std::move(entry));
    }
    writeTextAtomically(outDir / "truth.json", truth.dump(1) + "\n");
    betas.finish();  // last: a directory with betas.nii.gz is complete

    nlohmann::ordered_json report = truth;
    report.erase("regions");
    auto& summary = report["regions"] = nlohmann::ordered_json::array();
    for (const auto& region : truth["regions"])
        summary.push_back({{"name", region["name"]},
                           {"category_name", region["category_name"]},
                           {"voxels", region["voxels"].size()}});
    report["out"] = outDir.string();
    return report;
}

}  // namespace us::analysis
