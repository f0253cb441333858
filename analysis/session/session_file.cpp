#include "analysis/session/session_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <system_error>

#include "analysis/core/atomic_file.h"
#include "analysis/core/hdf5_attributes.h"
#include "analysis/core/hdf5_handle.h"

namespace us::analysis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kManifestPath = "/manifest";
constexpr const char* kUiGroup = "/ui";
constexpr const char* kGeometryPath = "/ui/window_geometry";
constexpr const char* kStatePath = "/ui/window_state";
constexpr const char* kGraphGroup = "/graphs";  // /graphs/0, /graphs/1, ...
constexpr std::size_t kMaxGraphs = 1000;
constexpr const char* kVisualisationGroup = "/visualisations";  // float32 images, N x C x H x W
constexpr std::size_t kMaxVisualisations = 10000;
constexpr hsize_t kMaxVisualisationBytes = hsize_t(1) << 30;
// Layout blobs and manifests are kilobytes; refusing huge ones protects against hostile files.
constexpr hsize_t kMaxBlobBytes = 64u << 20;
// Attribution graphs can be large (circuit-tracer writes hundreds of MB); still bounded.
constexpr hsize_t kMaxGraphBytes = hsize_t(4) << 30;

[[noreturn]] void fail(const fs::path& path, std::string_view what) {
    throw SessionError("Session '" + path.string() + "': " + std::string(what));
}

// Byte arrays are chunked so that the Fletcher-32 checksum filter can catch corrupted bytes.
void writeBytes(hid_t file, const char* path, const void* data, size_t size,
                bool compress = false) {
    const hsize_t dims[1] = {size};
    H5Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    H5Handle props(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (size > 0) {
        const hsize_t chunk[1] = {std::min<hsize_t>(size, 1u << 16)};
        H5Pset_chunk(props.get(), 1, chunk);
        if (compress) H5Pset_deflate(props.get(), 4);
        H5Pset_fletcher32(props.get());
    }
    H5Handle dataset(
        H5Dcreate2(file, path, H5T_STD_U8LE, space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
        H5Dclose);
    if (!dataset.valid()) throw SessionError(std::string("cannot create dataset ") + path);
    if (size > 0 &&
        H5Dwrite(dataset.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        throw SessionError(std::string("cannot write dataset ") + path);
}

bool linkExists(hid_t file, const char* path) {
    // H5Lexists needs each parent to exist; session paths are at most two levels deep.
    const std::string_view full(path);
    const auto slash = full.find('/', 1);
    if (slash != std::string_view::npos) {
        const std::string parent(full.substr(0, slash));
        if (H5Lexists(file, parent.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    return H5Lexists(file, path, H5P_DEFAULT) > 0;
}

std::vector<std::uint8_t> readBytes(hid_t file, const char* path, const fs::path& sessionPath,
                                    hsize_t limit = kMaxBlobBytes) {
    H5Handle dataset(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) fail(sessionPath, std::string("cannot open ") + path + " (corrupt file)");
    H5Handle space(H5Dget_space(dataset.get()), H5Sclose);
    if (!space.valid() || H5Sget_simple_extent_ndims(space.get()) != 1)
        fail(sessionPath, std::string(path) + " has the wrong shape (corrupt file)");
    hsize_t size = 0;
    H5Sget_simple_extent_dims(space.get(), &size, nullptr);
    if (size > limit) fail(sessionPath, std::string(path) + " is implausibly large");
    std::vector<std::uint8_t> bytes(size);
    if (size > 0 &&
        H5Dread(dataset.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0)
        fail(sessionPath, std::string("cannot read ") + path + " (truncated or corrupt file)");
    return bytes;
}

}  // namespace

json sessionManifest(const Session& session) {
    json sources = json::array();
    for (const auto& source : session.sources) {
        json entry = {{"kind", source.kind}, {"path", source.path}};
        if (!source.sha256.empty()) entry["sha256"] = source.sha256;
        sources.push_back(std::move(entry));
    }
    json views = json::object();
    for (const auto& [name, values] : session.viewStates)
        views[name] = values;
    json manifest = {{"demo", session.demo},
                     {"sources", sources},
                     {"open_panels", session.openPanels},
                     {"current_panel", session.currentPanel},
                     {"views", views},
                     {"selected_unit", nullptr}};
    const auto& selection = session.selection;
    // "selected_unit" stays for readers of format 1.1.
    if (selection.unit)
        manifest["selected_unit"] = {{"layer", selection.unit->layer},
                                     {"index", selection.unit->index}};
    const auto optionalJson = [](const auto& value) {
        return value ? json(*value) : json(nullptr);
    };
    manifest["selection"] = {{"unit", manifest["selected_unit"]},
                             {"stimulus", optionalJson(selection.stimulus)},
                             {"cluster", optionalJson(selection.cluster)},
                             {"graph_nodes", selection.graphNodes},
                             {"brain_position", optionalJson(selection.brainPosition)}};
    json layers = json::array();
    for (const auto& layer : session.brainLayers)
        layers.push_back({{"path", layer.path},
                          {"colour_map", layer.colourMap},
                          {"min", layer.min},
                          {"max", layer.max},
                          {"symmetric", layer.symmetric},
                          {"threshold", layer.threshold},
                          {"hide_below_threshold", layer.hideBelowThreshold},
                          {"opacity", layer.opacity},
                          {"visible", layer.visible}});
    manifest["brain_layers"] = std::move(layers);
    manifest["graphs"] = session.attributionGraphs.size();
    manifest["current_graph"] = session.currentGraph;
    json visualisations = json::array();
    for (const auto& v : session.visualisations)
        visualisations.push_back(
            {{"objective", v.objective},
             {"label", v.label},
             {"unit", v.unit ? json{{"layer", v.unit->layer}, {"index", v.unit->index}} : json()},
             {"facets", v.facets},
             {"steps", v.steps},
             {"size", v.size},
             {"learning_rate", v.learningRate},
             {"diversity", v.diversity},
             {"seed", v.seed},
             {"objective_curve", v.objectiveCurve},
             {"final_activation", v.finalActivation},
             {"best_natural", optionalJson(v.bestNatural)},
             {"cluster_share", optionalJson(v.clusterShare)},
             {"rival_activation", optionalJson(v.rivalActivation)},
             {"image_shape", v.imageShape}});
    manifest["visualisations"] = std::move(visualisations);
    if (const auto& c = session.clustering)
        manifest["clustering"] = {{"layer", c->layer}, {"items", c->items}, {"method", c->method}};
    return manifest;
}

namespace {

// JSON has no NaN or infinity: nlohmann writes them as null, read back as NaN.
std::vector<double> numbersFrom(const json& values) {
    std::vector<double> numbers;
    for (const auto& value : values)
        numbers.push_back(value.is_null() ? std::numeric_limits<double>::quiet_NaN()
                                          : value.get<double>());
    return numbers;
}

Session sessionFrom(const json& manifest) {
    Session session;
    session.demo = manifest.at("demo").get<bool>();
    for (const auto& source : manifest.at("sources"))
        session.sources.push_back({source.at("kind").get<std::string>(),
                                   source.at("path").get<std::string>(),
                                   source.value("sha256", std::string())});
    session.openPanels = manifest.at("open_panels").get<std::vector<std::string>>();
    session.currentPanel = manifest.at("current_panel").get<std::string>();
    for (const auto& [name, values] : manifest.at("views").items())
        session.viewStates[name] = values.get<std::vector<double>>();
    const auto unitFrom = [](const json& unit) -> std::optional<UnitRef> {
        if (unit.is_null()) return std::nullopt;
        return UnitRef{unit.at("layer").get<std::string>(), unit.at("index").get<std::int64_t>()};
    };
    auto& selection = session.selection;
    if (const auto it = manifest.find("selection"); it != manifest.end()) {
        const json& saved = *it;
        selection.unit = unitFrom(saved.at("unit"));
        if (!saved.at("stimulus").is_null())
            selection.stimulus = saved.at("stimulus").get<std::int64_t>();
        if (!saved.at("cluster").is_null())
            selection.cluster = saved.at("cluster").get<std::int64_t>();
        selection.graphNodes = saved.at("graph_nodes").get<std::vector<std::string>>();
        if (!saved.at("brain_position").is_null())
            selection.brainPosition = saved.at("brain_position").get<std::array<double, 3>>();
    } else {  // format 1.1
        selection.unit = unitFrom(manifest.at("selected_unit"));
    }
    for (const auto& layer : manifest.value("brain_layers", json::array())) {
        BrainLayerState state;
        state.path = layer.at("path").get<std::string>();
        state.colourMap = layer.at("colour_map").get<std::string>();
        state.min = layer.at("min").get<double>();
        state.max = layer.at("max").get<double>();
        state.symmetric = layer.at("symmetric").get<bool>();
        state.threshold = layer.at("threshold").get<double>();
        state.hideBelowThreshold = layer.at("hide_below_threshold").get<bool>();
        state.opacity = layer.at("opacity").get<double>();
        state.visible = layer.at("visible").get<bool>();
        session.brainLayers.push_back(std::move(state));
    }
    // The graphs' texts are datasets of their own; the manifest says how many.
    const auto graphs = manifest.value("graphs", std::size_t(0));
    if (graphs > kMaxGraphs) throw json::other_error::create(501, "too many graphs", &manifest);
    session.attributionGraphs.resize(graphs);
    session.currentGraph = manifest.value("current_graph", std::int64_t(-1));
    const auto visualisations = manifest.value("visualisations", json::array());
    if (visualisations.size() > kMaxVisualisations)
        throw json::other_error::create(501, "too many visualisations", &manifest);
    for (const auto& v : visualisations) {
        VisualisationRecord record;
        record.objective = v.at("objective").get<std::string>();
        record.label = v.at("label").get<std::string>();
        record.unit = unitFrom(v.at("unit"));
        record.facets = v.at("facets").get<std::string>();
        record.steps = v.at("steps").get<int>();
        record.size = v.at("size").get<int>();
        record.learningRate = v.at("learning_rate").get<double>();
        record.diversity = v.at("diversity").get<double>();
        record.seed = v.at("seed").get<std::uint64_t>();
        record.objectiveCurve = numbersFrom(v.at("objective_curve"));
        record.finalActivation = numbersFrom(v.at("final_activation"));
        if (!v.at("best_natural").is_null())
            record.bestNatural = v.at("best_natural").get<double>();
        for (auto [key, field] : {std::pair{"cluster_share", &record.clusterShare},
                                  std::pair{"rival_activation", &record.rivalActivation}})
            if (const auto it = v.find(key); it != v.end() && !it->is_null())
                *field = it->get<double>();
        record.imageShape = v.at("image_shape").get<std::vector<std::int64_t>>();
        std::int64_t count = 1;
        for (auto d : record.imageShape) {
            if (d <= 0 || d > (1 << 16))
                throw json::other_error::create(501, "implausible image shape", &v);
            count *= d;
        }
        if (record.imageShape.size() != 4 || count > std::int64_t(kMaxVisualisationBytes / 4))
            throw json::other_error::create(501, "implausible image shape", &v);
        session.visualisations.push_back(std::move(record));
    }
    if (const auto it = manifest.find("clustering"); it != manifest.end() && !it->is_null())
        session.clustering =
            ClusteringState{it->at("layer").get<std::string>(), it->at("items").get<std::string>(),
                            it->at("method").get<std::string>()};
    return session;
}

void writeSessionFile(const fs::path& target, const Session& session, const SaveStageHook& hook) {
    H5Handle file(H5Fcreate(target.string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                  H5Fclose);
    if (!file.valid()) throw SessionError("cannot create '" + target.string() + "'");
    if (hook) hook(SaveStage::TempFileCreated);

    writeStringAttribute(file.get(), "format", kSessionFormatName);
    writeIntAttribute(file.get(), "version_major", kSessionFormatMajor);
    writeIntAttribute(file.get(), "version_minor", kSessionFormatMinor);
    const std::string manifest = sessionManifest(session).dump();
    writeBytes(file.get(), kManifestPath, manifest.data(), manifest.size());
    {
        H5Handle ui(H5Gcreate2(file.get(), kUiGroup, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    H5Gclose);
        if (!ui.valid()) throw SessionError("cannot create group /ui");
    }
    writeBytes(file.get(), kGeometryPath, session.windowGeometry.data(),
               session.windowGeometry.size());
    writeBytes(file.get(), kStatePath, session.windowState.data(), session.windowState.size());
    if (!session.attributionGraphs.empty()) {
        H5Handle graphs(H5Gcreate2(file.get(), kGraphGroup, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        H5Gclose);
        if (!graphs.valid()) throw SessionError("cannot create group /graphs");
        for (std::size_t i = 0; i < session.attributionGraphs.size(); ++i) {
            const auto& text = session.attributionGraphs[i];
            const std::string path = std::string(kGraphGroup) + "/" + std::to_string(i);
            writeBytes(file.get(), path.c_str(), text.data(), text.size(), true);
        }
    }
    if (!session.visualisations.empty()) {
        H5Handle group(
            H5Gcreate2(file.get(), kVisualisationGroup, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            H5Gclose);
        if (!group.valid()) throw SessionError("cannot create group /visualisations");
        for (std::size_t i = 0; i < session.visualisations.size(); ++i) {
            const auto& images = session.visualisations[i].images;
            const std::string path = std::string(kVisualisationGroup) + "/" + std::to_string(i);
            writeBytes(file.get(), path.c_str(), images.data(), images.size() * sizeof(float),
                       true);
        }
    }
    if (hook) hook(SaveStage::ContentWritten);

    if (H5Fflush(file.get(), H5F_SCOPE_GLOBAL) < 0 || !file.close())
        throw SessionError("cannot flush '" + target.string() + "'");
}

}  // namespace

void saveSession(const fs::path& path, const Session& session, const SaveStageHook& hook) {
    H5ErrorSilencer silence;
    try {
        AtomicFile output(path);
        writeSessionFile(output.tempPath(), session, hook);
        if (hook) hook(SaveStage::BeforeRename);
        output.commit();
    } catch (const std::exception& error) {
        throw SessionError("Could not save session '" + path.string() + "': " + error.what() +
                           ". The previous file, if any, is unchanged.");
    }
}

Session loadSession(const fs::path& path) {
    H5ErrorSilencer silence;
    std::error_code ec;
    if (!fs::exists(path, ec)) fail(path, "file not found");
    if (!fs::is_regular_file(path, ec)) fail(path, "not a regular file");
    const std::string name = path.string();
    if (H5Fis_hdf5(name.c_str()) <= 0)
        fail(path, "not a Unitscope session (not an HDF5 file, or truncated before its header)");

    // Strong close: a corrupt file whose objects fail to close must not stay open inside HDF5.
    H5Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG);
    H5Handle file(H5Fopen(name.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose);
    if (!file.valid()) fail(path, "cannot open: the file is truncated or corrupt");

    if (readStringAttribute(file.get(), "format") != kSessionFormatName)
        fail(path, "not a Unitscope session (HDF5 file without the session format tag)");
    const auto major = readIntAttribute(file.get(), "version_major");
    const auto minor = readIntAttribute(file.get(), "version_minor");
    if (!major || !minor) fail(path, "the format version is missing (corrupt file)");
    if (*major > kSessionFormatMajor)
        fail(path, "written by a newer Unitscope (session format " + std::to_string(*major) + "." +
                       std::to_string(*minor) + "); this version reads format " +
                       std::to_string(kSessionFormatMajor) + ".x. Update Unitscope to open it.");
    if (*major < 1) fail(path, "unknown session format version " + std::to_string(*major));

    if (!linkExists(file.get(), kManifestPath))
        fail(path, "the manifest is missing (corrupt file)");
    const auto manifestBytes = readBytes(file.get(), kManifestPath, path);
    Session session;
    try {
        session = sessionFrom(json::parse(manifestBytes.begin(), manifestBytes.end()));
    } catch (const json::exception& error) {
        fail(path, std::string("the manifest is corrupt (") + error.what() + ")");
    }
    if (linkExists(file.get(), kGeometryPath))
        session.windowGeometry = readBytes(file.get(), kGeometryPath, path);
    if (linkExists(file.get(), kStatePath))
        session.windowState = readBytes(file.get(), kStatePath, path);
    for (std::size_t i = 0; i < session.attributionGraphs.size(); ++i) {
        const std::string dataset = std::string(kGraphGroup) + "/" + std::to_string(i);
        if (!linkExists(file.get(), dataset.c_str()))
            fail(path, "a graph the manifest lists is missing (corrupt file)");
        const auto bytes = readBytes(file.get(), dataset.c_str(), path, kMaxGraphBytes);
        session.attributionGraphs[i].assign(bytes.begin(), bytes.end());
    }
    for (std::size_t i = 0; i < session.visualisations.size(); ++i) {
        auto& record = session.visualisations[i];
        const std::string dataset = std::string(kVisualisationGroup) + "/" + std::to_string(i);
        if (!linkExists(file.get(), dataset.c_str()))
            fail(path, "a visualisation the manifest lists is missing (corrupt file)");
        const auto bytes = readBytes(file.get(), dataset.c_str(), path, kMaxVisualisationBytes);
        std::size_t count = 1;
        for (auto d : record.imageShape)
            count *= std::size_t(d);
        if (bytes.size() != count * sizeof(float))
            fail(path, "a visualisation's images do not match their shape (corrupt file)");
        record.images.resize(count);
        std::memcpy(record.images.data(), bytes.data(), bytes.size());
    }
    return session;
}

}  // namespace us::analysis
