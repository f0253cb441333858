// GIFTI surfaces and per-vertex data through giftiio (which decodes ASCII, base64 and
// gzip-base64 data and swaps byte order), laid out as nibabel's darray.data.
extern "C" {  // giftiio's header has no C++ guards
#include <gifti_io.h>
}

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>

#include "analysis/brain/surface_data.h"
#include "analysis/brain/volume_writer.h"
#include "analysis/core/atomic_file.h"
#include "analysis/core/stderr_silencer.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

constexpr int kIntentLabel = 1002;
constexpr int kIntentPointSet = 1008;
constexpr int kIntentTriangle = 1009;

[[noreturn]] void fail(const fs::path& path, const std::string& why) {
    throw std::runtime_error("'" + path.string() + "' is not a usable GIFTI file: " + why);
}

// giftiio trusts its input (a fuzzer crashed it with a base64 block cut short by other
// text), so the XML is checked first with expat: well-formed, known attribute values,
// plausible sizes, and data blocks made only of characters their encoding allows.
class GiftiValidator {
  public:
    std::string error;

    static void start(void* self, const char* name, const char** attributes) {
        static_cast<GiftiValidator*>(self)->onStart(name, attributes);
    }
    static void end(void* self, const char* name) {
        static_cast<GiftiValidator*>(self)->onEnd(name);
    }
    static void text(void* self, const char* s, int length) {
        static_cast<GiftiValidator*>(self)->onText(s, length);
    }

  private:
    void onStart(const char* name, const char** attributes) {
        const std::string element = name;
        inData_ = element == "Data";
        if (element == "Label") return checkLabelColour(attributes);
        if (element != "DataArray") return;
        std::map<std::string, std::string> a;
        for (int i = 0; attributes[i] && attributes[i + 1]; i += 2)
            a[attributes[i]] = attributes[i + 1];
        const auto need = [&](const char* key, std::initializer_list<const char*> allowed) {
            const auto found = a.find(key);
            if (found == a.end()) return setError(std::string("a DataArray has no ") + key);
            for (const char* value : allowed)
                if (found->second == value) return;
            setError(std::string("unsupported ") + key + " '" + found->second + "'");
        };
        need("Encoding", {"ASCII", "Base64Binary", "GZipBase64Binary"});
        need("DataType",
             {"NIFTI_TYPE_UINT8", "NIFTI_TYPE_INT8", "NIFTI_TYPE_INT16", "NIFTI_TYPE_UINT16",
              "NIFTI_TYPE_INT32", "NIFTI_TYPE_UINT32", "NIFTI_TYPE_FLOAT32", "NIFTI_TYPE_FLOAT64"});
        if (a.contains("ArrayIndexingOrder"))
            need("ArrayIndexingOrder", {"RowMajorOrder", "ColumnMajorOrder"});
        if (a.contains("Endian")) need("Endian", {"LittleEndian", "BigEndian"});
        if (a.contains("ExternalFileName") && !a["ExternalFileName"].empty())
            setError("external data files are not supported");
        const int rank = parseCount(a["Dimensionality"]);
        if (rank < 1 || rank > 2) return setError("Dimensionality must be 1 or 2");
        long long total = 1;
        for (int d = 0; d < rank; ++d) {
            const int n = parseCount(a["Dim" + std::to_string(d)]);
            if (n < 1) return setError("Dim" + std::to_string(d) + " must be a positive integer");
            total *= n;
            if (total > (1LL << 28)) return setError("its array dimensions are implausibly large");
        }
        encoding_ = a["Encoding"];
    }
    void onEnd(const char* name) {
        if (std::string(name) == "Data") inData_ = false;
    }
    void onText(const char* s, int length) {
        if (!inData_ || !error.empty()) return;
        for (int i = 0; i < length; ++i) {
            const unsigned char c = static_cast<unsigned char>(s[i]);
            const bool space = std::isspace(c);
            const bool ok = encoding_ == "ASCII"
                                ? space || std::isdigit(c) || std::strchr("+-.eEinfatINFAT", c)
                                : space || std::isalnum(c) || c == '+' || c == '/' || c == '=';
            if (!ok) return setError("a Data block holds characters its encoding does not allow");
        }
    }
    static int parseCount(const std::string& text) {
        if (text.empty() || text.size() > 9) return -1;
        for (char c : text)
            if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
        return std::stoi(text);
    }
    // giftiio keeps one colour table for all labels: a label with part of a colour, or a
    // table mixing coloured and uncoloured labels, leaves it shorter than the label list
    // (a fuzzer found the overflow).
    void checkLabelColour(const char** attributes) {
        int channels = 0;
        for (int i = 0; attributes[i] && attributes[i + 1]; i += 2)
            for (const char* channel : {"Red", "Green", "Blue", "Alpha"})
                channels += std::strcmp(attributes[i], channel) == 0;
        if (channels != 0 && channels != 4)
            return setError("a Label has some but not all of Red, Green, Blue and Alpha");
        (channels == 4 ? colouredLabels_ : plainLabels_) = true;
        if (colouredLabels_ && plainLabels_)
            setError("the label table mixes coloured and uncoloured labels");
    }
    void setError(const std::string& why) {
        if (error.empty()) error = why;
    }
    bool colouredLabels_ = false, plainLabels_ = false;
    bool inData_ = false;
    std::string encoding_;
};

void validateGifti(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                   XML_ParserFree);
    GiftiValidator validator;
    XML_SetUserData(parser.get(), &validator);
    XML_SetElementHandler(parser.get(), GiftiValidator::start, GiftiValidator::end);
    XML_SetCharacterDataHandler(parser.get(), GiftiValidator::text);
    if (XML_Parse(parser.get(), xml.data(), int(xml.size()), XML_TRUE) == XML_STATUS_ERROR)
        fail(path, std::string("malformed XML (") +
                       XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
                       std::to_string(XML_GetCurrentLineNumber(parser.get())) + ")");
    if (!validator.error.empty()) fail(path, validator.error);
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
    validateGifti(path);
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

void writeGiftiFloat(const fs::path& path, const std::vector<std::vector<float>>& columns) {
    if (columns.empty()) throw std::invalid_argument("writeGiftiFloat: no data arrays");
    const int vertices = int(columns[0].size());
    int dims[1] = {vertices};
    std::unique_ptr<gifti_image, void (*)(gifti_image*)> image(
        gifti_create_image(int(columns.size()), NIFTI_INTENT_NONE, NIFTI_TYPE_FLOAT32, 1, dims, 1),
        [](gifti_image* g) { gifti_free_image(g); });
    if (!image) throw std::runtime_error("cannot make a GIFTI image for '" + path.string() + "'");
    for (std::size_t a = 0; a < columns.size(); ++a) {
        if (int(columns[a].size()) != vertices)
            throw std::invalid_argument("writeGiftiFloat: arrays of different lengths");
        giiDataArray* array = image->darray[a];
        array->encoding = GIFTI_ENCODING_B64GZ;
        std::memcpy(array->data, columns[a].data(), columns[a].size() * sizeof(float));
    }
    AtomicFile output(path, true);
    int status = 0;
    {
        const StderrSilencer quiet;
        status = gifti_write_image(image.get(), output.tempPath().string().c_str(), 1);
    }
    if (status != 0) throw std::runtime_error("cannot write '" + path.string() + "'");
    output.commit();
}

}  // namespace us::analysis
