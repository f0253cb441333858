#pragma once
// Surface meshes and per-vertex data as nibabel returns them (FreeSurfer and GIFTI).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace us::analysis {

struct SurfaceMesh {
    std::string format;               // "freesurfer", "gifti"
    std::vector<double> vertices;     // n x 3
    std::vector<std::int64_t> faces;  // m x 3, zero-based, checked against n
    std::int64_t vertexCount() const { return std::int64_t(vertices.size() / 3); }
    std::int64_t faceCount() const { return std::int64_t(faces.size() / 3); }
};

struct VertexData {
    std::string format;               // "freesurfer-curv", "gifti", "freesurfer-annot", ...
    std::vector<std::int64_t> shape;  // (n,) or (n, k) for several GIFTI arrays
    std::vector<double> values;       // C order
    // Labels (annot, label.gii): per-vertex label values index into these names.
    std::vector<std::string> labelNames;
    std::vector<std::int64_t> labelKeys;      // the value each name is stored with
    std::vector<std::uint32_t> labelColours;  // 0xRRGGBB
    std::string warning;  // read with a caveat the user should see (empty: none)
};

// Refuse before allocating.
inline constexpr std::int64_t kMaxSurfaceVertices = std::int64_t(1) << 26;

// The first three bytes of a FreeSurfer binary file, big-endian: 0xFFFFFE for a triangle
// surface, 0xFFFFFF for curv-format morphometry.
std::uint32_t readFreeSurferMagic(const std::filesystem::path& path);
// FreeSurfer binary triangle surfaces (lh.pial, lh.white, lh.inflated, ...), in scanner RAS:
// the c_ras of the volume-geometry footer, when valid, is added to the tkRAS coordinates.
SurfaceMesh readFreeSurferSurface(const std::filesystem::path& path);
// FreeSurfer curv-format morphometry (curv, thickness, sulc, area).
VertexData readFreeSurferCurv(const std::filesystem::path& path);
// FreeSurfer .annot: per-vertex colour-table indices as nibabel's read_annot (-1: unlabelled).
VertexData readFreeSurferAnnot(const std::filesystem::path& path);
// FreeSurfer .label: the vertex indices it lists (nibabel's read_label: every row present, with
// a warning when the count line disagrees).
VertexData readFreeSurferLabel(const std::filesystem::path& path);

// GIFTI (ASCII, base64 or gzip-base64 data), via giftiio.
struct GiftiContents {
    bool isSurface = false;
    SurfaceMesh mesh;  // when it holds a pointset and a triangle array
    VertexData data;   // the other arrays, stacked as (n, k) or (n,) when k == 1
};
GiftiContents readGifti(const std::filesystem::path& path);

}  // namespace us::analysis
