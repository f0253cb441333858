#include "analysis/encoding/encoding_fit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analysis/brain/volume_writer.h"
#include "analysis/core/npy.h"
#include "analysis/core/runtime_setup.h"
#include "analysis/core/text_parsing.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool allDigits(const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

double median(std::vector<float> values) {
    if (values.empty()) return std::nan("");
    const auto middle = values.begin() + std::ptrdiff_t(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

}  // namespace

std::pair<fs::path, std::optional<std::string>> splitFeatureSource(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon != std::string::npos && colon > 0 && colon + 1 < text.size()) {
        const fs::path path = text.substr(0, colon);
        const auto ext = path.extension().string();
        if (ext == ".h5" || ext == ".hdf5") return {path, text.substr(colon + 1)};
    }
    const fs::path path = text;
    if (path.extension() == ".npy") return {path, std::nullopt};
    throw std::invalid_argument("features must be ACTS.h5:LAYER or X.npy, not '" + text + "'");
}

EncodingFeatures loadEncodingFeatures(const std::string& source, Pooling pooling,
                                      const std::optional<fs::path>& rowsFile,
                                      std::int64_t betasRows) {
    const auto [path, layer] = splitFeatureSource(source);
    EncodingFeatures features;
    features.path = path.string();
    if (!layer) {
        if (rowsFile)
            throw std::invalid_argument(
                "--rows picks store rows; an X.npy is already in betas order");
        NpyHeader header;
        const auto values = readNpyAsDouble(path, &header);
        if (header.shape.size() != 2)
            throw std::runtime_error("'" + path.string() + "' must be a 2-D N x F array");
        if (header.shape[0] != betasRows)
            throw std::runtime_error("'" + path.string() + "' has " +
                                     std::to_string(header.shape[0]) + " rows but the betas have " +
                                     std::to_string(betasRows));
        features.matrix = {header.shape, std::vector<float>(values.begin(), values.end())};
        return features;
    }
    features.layer = *layer;
    const auto store = ActivationStore::open(path);
    const auto all = store.layerMatrix(*layer, pooling);
    const std::int64_t storeRows = store.count(), units = all.shape[1];
    if (rowsFile) {
        std::map<std::string, std::int64_t> byName;
        const auto& names = store.stimuli().names;
        for (std::size_t i = 0; i < names.size(); ++i)
            byName.emplace(names[i], std::int64_t(i));
        for (const auto& line : readNonEmptyLines(*rowsFile)) {
            const auto found = byName.find(line);
            std::int64_t row = -1;
            if (found != byName.end())
                row = found->second;
            else if (allDigits(line))
                row = parseNonNegativeInteger(line, "a store row");
            if (row < 0 || row >= storeRows)
                throw std::runtime_error("'" + rowsFile->string() + "': '" + line +
                                         "' is neither a stimulus name of the store nor a row "
                                         "below " +
                                         std::to_string(storeRows));
            features.storeRows.push_back(row);
        }
    } else {
        if (storeRows != betasRows)
            throw std::runtime_error("the store has " + std::to_string(storeRows) +
                                     " stimuli but the betas have " + std::to_string(betasRows) +
                                     " rows; give --rows (a stimulus name or store row per line)");
        for (std::int64_t r = 0; r < storeRows; ++r)
            features.storeRows.push_back(r);
    }
    if (std::int64_t(features.storeRows.size()) != betasRows)
        throw std::runtime_error("--rows lists " + std::to_string(features.storeRows.size()) +
                                 " stimuli but the betas have " + std::to_string(betasRows) +
                                 " rows");
    features.matrix.shape = {betasRows, units};
    features.matrix.values.resize(std::size_t(betasRows * units));
    for (std::int64_t r = 0; r < betasRows; ++r)
        std::copy_n(all.values.data() + features.storeRows[std::size_t(r)] * units, units,
                    features.matrix.values.data() + r * units);
    return features;
}

void checkMapName(const fs::path& path, const ResponseGeometry& geometry) {
    const std::string name = path.filename().string();
    if (geometry.surface && !name.ends_with(".gii"))
        throw std::invalid_argument("'" + path.string() +
                                    "': a surface map must be a GIFTI file (.func.gii)");
    if (!geometry.surface && !name.ends_with(".nii") && !name.ends_with(".nii.gz"))
        throw std::invalid_argument("'" + path.string() +
                                    "': a volume map must be a NIfTI file (.nii, .nii.gz)");
}

void writeResponseMap(const fs::path& path, const ResponseGeometry& geometry,
                      const std::vector<float>& values, const std::string& description) {
    if (std::int64_t(values.size()) != geometry.columnCount())
        throw std::invalid_argument("a map needs one value per voxel");
    checkMapName(path, geometry);
    if (geometry.surface) {
        std::vector<float> perVertex(static_cast<std::size_t>(geometry.vertexCount), 0.0f);
        for (std::size_t i = 0; i < values.size(); ++i)
            perVertex[std::size_t(geometry.vertices[i])] = values[i];
        writeGiftiFloat(path, {perVertex});
        return;
    }
    const auto& g = geometry.grid;
    std::vector<float> volume(static_cast<std::size_t>(g[0] * g[1] * g[2]), 0.0f);
    for (std::size_t i = 0; i < values.size(); ++i)
        volume[std::size_t(fileOffset(g, geometry.voxels[i]))] = values[i];
    writeNiftiFloat(path, g, 1, geometry.affine, volume, description);  // checks the name
}

nlohmann::ordered_json runEncodingFit(const EncodingRequest& request, const JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    const auto responses = BrainResponses::read(request.betas, request.mask, job.stage(0, 0.2));
    const double readSeconds = secondsSince(start);
    if (request.map) checkMapName(*request.map, responses.geometry());  // before any fitting
    const std::int64_t rows = responses.rows();
    const auto features =
        loadEncodingFeatures(request.features, request.pooling, request.rows, rows);

    RidgeProblem problem;
    problem.features = features.matrix.values.data();
    problem.rows = rows;
    problem.featureCount = features.matrix.shape[1];
    problem.responseCount = responses.columns();
    std::vector<bool> isTest(static_cast<std::size_t>(rows), false);
    if (request.testRows) {
        for (const auto& line : readNonEmptyLines(*request.testRows)) {
            const auto row = parseNonNegativeInteger(line, "a test row");
            if (row >= rows)
                throw std::runtime_error("test row " + line + " is past the betas' " +
                                         std::to_string(rows) + " rows");
            isTest[std::size_t(row)] = true;
        }
    } else {
        if (!(request.testFraction >= 0 && request.testFraction < 1))
            throw std::invalid_argument("the test fraction must be in [0, 1)");
        const auto testCount = std::int64_t(std::ceil(request.testFraction * double(rows)));
        for (std::int64_t r = rows - testCount; r < rows; ++r)
            isTest[std::size_t(r)] = true;
    }
    for (std::int64_t r = 0; r < rows; ++r)
        (isTest[std::size_t(r)] ? problem.testRows : problem.trainRows).push_back(r);
    if (request.map && problem.testRows.empty())
        throw std::invalid_argument("--map writes the test R2: it needs a test split");
    problem.responses = [&](std::int64_t first, std::int64_t count, float* out) {
        responses.copyColumns(first, count, out);
    };

    EncodingInfo info;
    info.features = features.path;
    info.layer = features.layer;
    info.pooling = request.pooling == Pooling::Max ? "max" : "mean";
    info.betas = request.betas.string();
    info.description = responses.description();
    info.intercept = request.ridge.intercept;
    info.standardize = request.ridge.standardize;
    info.folds = request.ridge.folds;
    info.trainRows = problem.trainRows;
    info.testRows = problem.testRows;
    info.storeRows = features.storeRows;
    RidgeSettings ridge = request.ridge;
    std::sort(ridge.alphas.begin(), ridge.alphas.end());
    EncodingWriter writer(request.out, info, responses.geometry(), problem.featureCount,
                          ridge.alphas, !problem.testRows.empty());
    std::vector<float> testR2;
    std::map<double, std::int64_t> alphaCounts;
    const auto fitStart = std::chrono::steady_clock::now();
    const auto transform = fitRidgeCV(
        problem, ridge,
        [&](RidgeBatch&& batch) {
            writer.write(batch);
            testR2.insert(testR2.end(), batch.testR2.begin(), batch.testR2.end());
            for (double alpha : batch.alphas)
                ++alphaCounts[alpha];
        },
        job.stage(0.2, 0.98));
    const double fitSeconds = secondsSince(fitStart);
    job.checkCancelled();
    writer.finish(transform);
    if (request.map)
        writeResponseMap(*request.map, responses.geometry(), testR2,
                         "test R2 of " + (features.layer.empty() ? features.path : features.layer));

    nlohmann::ordered_json report;
    report["out"] = request.out.string();
    report["rows"] = rows;
    report["train_rows"] = problem.trainRows.size();
    report["test_rows"] = problem.testRows.size();
    report["features"] = problem.featureCount;
    report["kind"] = responses.geometry().surface ? "surface" : "volume";
    report["voxels"] = problem.responseCount;
    report["alphas"] = ridge.alphas;
    report["folds"] = ridge.folds;
    auto& chosen = report["chosen_alphas"] = nlohmann::ordered_json::object();
    for (const auto& [alpha, count] : alphaCounts) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", alpha);
        chosen[text] = count;
    }
    if (!testR2.empty()) {
        report["median_test_r2"] = median(testR2);
        report["max_test_r2"] = *std::max_element(testR2.begin(), testR2.end());
    }
    if (!responses.description().empty()) report["description"] = responses.description();
    report["seconds"] = {
        {"read", readSeconds}, {"fit", fitSeconds}, {"total", secondsSince(start)}};
    report["peak_memory_bytes"] = peakResidentBytes();
    return report;
}

}  // namespace us::analysis
