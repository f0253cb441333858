// FreeSurfer surfaces, morphometry, annotations and labels, read exactly as nibabel's
// nibabel.freesurfer.io functions read them, with hostile-file checks before allocation.
#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "analysis/brain/surface_data.h"
#include "analysis/core/gz_reader.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const fs::path& path, const std::string& why) {
    throw std::runtime_error("'" + path.string() + "' is not a usable FreeSurfer file: " + why);
}

void checkCount(const fs::path& path, std::int64_t count, const char* what) {
    if (count < 0 || count > kMaxSurfaceVertices)
        fail(path, std::string("implausible ") + what + " count " + std::to_string(count));
}

std::uint32_t magic3(GzReader& in) {
    unsigned char bytes[3];
    in.read(bytes, 3, "the magic number");
    return (std::uint32_t(bytes[0]) << 16) | (std::uint32_t(bytes[1]) << 8) | bytes[2];
}

// The line "key = value" of a surface's volume-geometry footer, value trimmed.
std::string footerValue(GzReader& in, const fs::path& path, const std::string& key) {
    std::string line;
    char c = 0;
    while (line.size() < 4096 && in.readSome(&c, 1) == 1 && c != '\n')
        line += c;
    const auto equals = line.find('=');
    const auto trim = [](std::string text) {
        const auto first = text.find_first_not_of(" \t\r");
        if (first == std::string::npos) return std::string();
        return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
    };
    if (equals == std::string::npos || trim(line.substr(0, equals)) != key)
        fail(path, "its volume-geometry footer has no '" + key + "' line");
    return trim(line.substr(equals + 1));
}

// The c_ras of the optional footer nibabel reads as volume_info (tag 20 after the faces, as
// [20] or [2, 0|1, 20]), when it is marked valid; the surface's tkRAS coordinates plus c_ras
// are scanner RAS, the space of the subject's volumes.
std::optional<std::array<double, 3>> readCentreRas(GzReader& in, const fs::path& path) {
    unsigned char bytes[4];
    if (in.readSome(bytes, 4) != 4) return std::nullopt;  // no footer
    const std::int32_t head =
        std::int32_t(std::uint32_t(bytes[0]) << 24 | std::uint32_t(bytes[1]) << 16 |
                     std::uint32_t(bytes[2]) << 8 | bytes[3]);
    if (head != 20) {
        const std::int32_t second = readBigInt32(in, "the footer");
        const std::int32_t third = readBigInt32(in, "the footer");
        if (head != 2 || (second != 0 && second != 1) || third != 20) return std::nullopt;
    }
    const std::string valid = footerValue(in, path, "valid");
    for (const char* key : {"filename", "volume", "voxelsize", "xras", "yras", "zras"})
        footerValue(in, path, key);
    std::istringstream cras(footerValue(in, path, "cras"));
    std::array<double, 3> centre{};
    if (!(cras >> centre[0] >> centre[1] >> centre[2]))
        fail(path, "its footer's cras is not three numbers");
    if (!valid.starts_with("1")) return std::nullopt;
    return centre;
}

}  // namespace

std::uint32_t readFreeSurferMagic(const fs::path& path) {
    GzReader in(path);
    return magic3(in);
}

SurfaceMesh readFreeSurferSurface(const fs::path& path) {
    GzReader in(path);
    if (magic3(in) != 0xFFFFFE) fail(path, "not a triangle surface (magic 0xFFFFFE)");
    // "created by ..." then two newlines.
    std::string comment;
    char previous = 0, c = 0;
    for (int i = 0; i < 4096; ++i) {
        in.read(&c, 1, "the comment line");
        if (c == '\n' && previous == '\n') break;
        comment += c;
        previous = c;
        if (i == 4095) fail(path, "the comment line does not end");
    }
    const std::int32_t vertices = readBigInt32(in, "the vertex count");
    const std::int32_t faces = readBigInt32(in, "the face count");
    checkCount(path, vertices, "vertex");
    checkCount(path, faces, "face");
    SurfaceMesh mesh;
    mesh.format = "freesurfer";
    mesh.vertices.resize(std::size_t(vertices) * 3);
    for (auto& v : mesh.vertices)
        v = readBigFloat(in, "vertex coordinates");
    mesh.faces.resize(std::size_t(faces) * 3);
    for (auto& f : mesh.faces) {
        f = readBigInt32(in, "faces");
        if (f < 0 || f >= vertices)
            fail(path, "a face refers to vertex " + std::to_string(f) + " of " +
                           std::to_string(vertices));
    }
    if (const auto centre = readCentreRas(in, path)) {
        for (std::size_t i = 0; i < mesh.vertices.size(); ++i)
            mesh.vertices[i] += (*centre)[i % 3];
    }
    return mesh;
}

VertexData readFreeSurferCurv(const fs::path& path) {
    GzReader in(path);
    if (magic3(in) != 0xFFFFFF) fail(path, "not a new-format curv file (magic 0xFFFFFF)");
    const std::int32_t vertices = readBigInt32(in, "the vertex count");
    readBigInt32(in, "the face count");
    const std::int32_t perVertex = readBigInt32(in, "values per vertex");
    checkCount(path, vertices, "vertex");
    if (perVertex != 1) fail(path, "only one value per vertex is supported");
    VertexData data;
    data.format = "freesurfer-curv";
    data.shape = {vertices};
    data.values.resize(std::size_t(vertices));
    for (auto& v : data.values)
        v = readBigFloat(in, "values");
    return data;
}

// As nibabel's read_annot: labels are the colour values in file order (vertex numbers are not
// used), mapped to the colour-table row holding that value; 0 and unknown values become -1.
VertexData readFreeSurferAnnot(const fs::path& path) {
    GzReader in(path);
    const std::int32_t vertices = readBigInt32(in, "the vertex count");
    checkCount(path, vertices, "vertex");
    std::vector<std::int32_t> colours;
    for (std::int32_t i = 0; i < vertices; ++i) {
        readBigInt32(in, "vertex labels");
        colours.push_back(readBigInt32(in, "vertex labels"));
    }
    if (readBigInt32(in, "the colour-table flag") == 0) fail(path, "it has no colour table");
    const std::int32_t version = readBigInt32(in, "the colour table");
    if (version > 0) fail(path, "old-format colour tables are not supported");
    if (-version != 2) fail(path, "colour-table version " + std::to_string(-version) + " is not 2");
    const std::int32_t rows = readBigInt32(in, "the colour table size");
    if (rows < 0 || rows > 1 << 20) fail(path, "implausible colour-table size");
    const std::int32_t nameLength = readBigInt32(in, "the colour-table name");
    if (nameLength < 0 || nameLength > 1 << 16) fail(path, "implausible colour-table name length");
    in.skip(std::uint64_t(nameLength), "the colour-table name");
    const std::int32_t stored = readBigInt32(in, "the colour-table entries");
    if (stored < 0 || stored > rows) fail(path, "implausible number of colour-table entries");
    VertexData data;
    data.format = "freesurfer-annot";
    if (stored == 0 && rows > 0) fail(path, "the colour table is empty");
    std::vector<std::int64_t> rowValue(std::size_t(rows), 0);  // rows <= 2^20, checked above
    for (std::int32_t e = 0; e < stored; ++e) {
        const std::int32_t row = readBigInt32(in, "a colour-table entry");
        if (row < 0 || row >= rows)
            fail(path, "a colour-table entry has index " + std::to_string(row));
        const std::int32_t length = readBigInt32(in, "a colour-table name");
        if (length < 0 || length > 1 << 16) fail(path, "implausible label name length");
        std::string name(std::size_t(length), '\0');
        in.read(name.data(), std::uint64_t(length), "a label name");
        name.resize(std::strlen(name.c_str()));
        const std::int32_t r = readBigInt32(in, "a colour"), g = readBigInt32(in, "a colour"),
                           b = readBigInt32(in, "a colour");
        readBigInt32(in, "a colour");  // transparency
        data.labelNames.push_back(name);
        data.labelKeys.push_back(row);
        data.labelColours.push_back(std::uint32_t((r & 255) << 16 | (g & 255) << 8 | (b & 255)));
        rowValue[std::size_t(row)] =
            std::int64_t(r) + std::int64_t(g) * 256 + std::int64_t(b) * 65536;
    }
    data.shape = {vertices};
    data.values.resize(std::size_t(vertices));
    for (std::int32_t i = 0; i < vertices; ++i) {
        const std::int32_t colour = colours[std::size_t(i)];
        const auto found =
            colour == 0 ? rowValue.end() : std::find(rowValue.begin(), rowValue.end(), colour);
        data.values[std::size_t(i)] =
            found == rowValue.end() ? -1.0 : double(found - rowValue.begin());
    }
    return data;
}

VertexData readFreeSurferLabel(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open '" + path.string() + "'");
    std::string line;
    std::getline(in, line);  // "#!ascii label ..." comment
    if (!std::getline(in, line)) fail(path, "no vertex count");
    long long count = -1;
    try {
        count = std::stoll(line);
    } catch (const std::exception&) {
        fail(path, "the second line must be the vertex count");
    }
    checkCount(path, count, "vertex");
    VertexData data;
    data.format = "freesurfer-label";
    // As nibabel (np.loadtxt after the two header lines): every row there is, whatever the
    // count says; a count that disagrees is reported.
    for (long long number = 3; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (std::int64_t(data.values.size()) >= kMaxSurfaceVertices)
            fail(path, "implausibly many rows");
        std::istringstream row(line);
        long long vertex = 0;
        double x, y, z, value;
        if (!(row >> vertex >> x >> y >> z >> value))
            fail(path, "row " + std::to_string(number) + " is malformed");
        data.values.push_back(double(vertex));
    }
    if (std::int64_t(data.values.size()) != count)
        data.warning = "'" + path.filename().string() + "' says it has " + std::to_string(count) +
                       " rows but holds " + std::to_string(data.values.size()) +
                       "; read the rows it holds";
    data.shape = {std::int64_t(data.values.size())};
    return data;
}

}  // namespace us::analysis
