// GIFTI surfaces and per-vertex data through giftiio (which decodes ASCII, base64 and
// gzip-base64 data and swaps byte order), laid out as nibabel's darray.data.
extern "C" {  // giftiio's header has no C++ guards
#include <gifti_io.h>
}

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "analysis/stderr_silencer.h"
#include "analysis/surface_data.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

constexpr int kIntentLabel = 1002;
constexpr int kIntentPointSet = 1008;
constexpr int kIntentTriangle = 1009;

[[noreturn]] void fail(const fs::path& path, const std::string& why) {
    throw std::runtime_error("'" + path.string() + "' is not a usable GIFTI file: " + why);
}

double valueAt(const giiDataArray& array, long long i) {
    switch (array.datatype) {
        case 2: return static_cast<const std::uint8_t*>(array.data)[i];     // uint8
        case 8: return static_cast<const std::int32_t*>(array.data)[i];     // int32
        case 16: return static_cast<const float*>(array.data)[i];           // float32
        case 64: return static_cast<const double*>(array.data)[i];          // float64
        case 256: return static_cast<const std::int8_t*>(array.data)[i];    // int8
        case 512: return static_cast<const std::uint16_t*>(array.data)[i];  // uint16
        case 768: return static_cast<const std::uint32_t*>(array.data)[i];  // uint32
        case 4: return static_cast<const std::int16_t*>(array.data)[i];     // int16
        default:
            throw std::runtime_error("unsupported GIFTI datatype " +
                                     std::to_string(array.datatype));
    }
}

// (rows, columns) of an array as nibabel shapes it; values in C order.
std::vector<double> cOrderValues(const fs::path& path, const giiDataArray& array, long long& rows,
                                 long long& columns) {
    if (array.num_dim < 1 || array.num_dim > 2) fail(path, "arrays must be 1-D or 2-D");
    rows = array.dims[0];
    columns = array.num_dim == 2 ? array.dims[1] : 1;
    if (rows < 0 || columns < 0 || rows * columns != array.nvals || !array.data)
        fail(path, "an array's dimensions do not match its data");
    std::vector<double> values(std::size_t(array.nvals));
    const bool columnMajor = array.ind_ord == GIFTI_IND_ORD_COL_MAJOR;
    for (long long r = 0; r < rows; ++r)
        for (long long c = 0; c < columns; ++c)
            values[std::size_t(r * columns + c)] =
                valueAt(array, columnMajor ? c * rows + r : r * columns + c);
    return values;
}

}  // namespace

GiftiContents readGifti(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw std::runtime_error("file not found: '" + path.string() + "'");
    gifti_set_verb(0);
    std::unique_ptr<gifti_image, int (*)(gifti_image*)> image(nullptr, gifti_free_image);
    {
        const StderrSilencer quiet;  // expat and giftiio print their own messages
        image.reset(gifti_read_image(path.string().c_str(), 1));
    }
    if (!image) fail(path, "the XML or its data cannot be parsed");
    if (image->numDA < 1 || !image->darray) fail(path, "it holds no data arrays");
    GiftiContents contents;
    std::vector<std::vector<double>> columns;
    long long vertexRows = -1;
    for (int i = 0; i < image->numDA; ++i) {
        const giiDataArray* array = image->darray[i];
        if (!array) fail(path, "a data array is missing");
        long long rows = 0, cols = 0;
        auto values = cOrderValues(path, *array, rows, cols);
        if (array->intent == kIntentPointSet) {
            if (cols != 3) fail(path, "the pointset must be n x 3");
            contents.mesh.vertices = std::move(values);
        } else if (array->intent == kIntentTriangle) {
            if (cols != 3) fail(path, "the triangles must be m x 3");
            contents.mesh.faces.assign(values.begin(), values.end());
        } else {
            if (vertexRows >= 0 && rows * cols != vertexRows)
                fail(path, "data arrays differ in length");
            vertexRows = rows * cols;
            columns.push_back(std::move(values));
            contents.data.format = array->intent == kIntentLabel ? "gifti-label" : "gifti";
        }
    }
    if (!contents.mesh.vertices.empty() || !contents.mesh.faces.empty()) {
        if (contents.mesh.vertices.empty() || contents.mesh.faces.empty())
            fail(path, "a surface needs both a pointset and triangles");
        contents.isSurface = true;
        contents.mesh.format = "gifti";
        const auto n = contents.mesh.vertexCount();
        for (auto f : contents.mesh.faces)
            if (f < 0 || f >= n) fail(path, "a triangle refers to vertex " + std::to_string(f));
    }
    if (!columns.empty()) {
        const std::int64_t n = vertexRows, k = std::int64_t(columns.size());
        contents.data.shape =
            k == 1 ? std::vector<std::int64_t>{n} : std::vector<std::int64_t>{n, k};
        contents.data.values.resize(std::size_t(n * k));
        for (std::int64_t c = 0; c < k; ++c)
            for (std::int64_t r = 0; r < n; ++r)
                contents.data.values[std::size_t(r * k + c)] =
                    columns[std::size_t(c)][std::size_t(r)];
    }
    const auto& table = image->labeltable;
    for (int i = 0; i < table.length; ++i) {
        contents.data.labelNames.push_back(table.label && table.label[i] ? table.label[i] : "");
        contents.data.labelKeys.push_back(table.key ? table.key[i] : i);
        std::uint32_t colour = 0;
        if (table.rgba)
            for (int c = 0; c < 3; ++c)
                colour = colour << 8 |
                         std::uint32_t(std::clamp(table.rgba[i * 4 + c], 0.0f, 1.0f) * 255 + 0.5f);
        contents.data.labelColours.push_back(colour);
    }
    return contents;
}

}  // namespace us::analysis
