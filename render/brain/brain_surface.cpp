#include "render/brain/brain_surface.h"

#include <vtkAlgorithm.h>
#include <vtkCallbackCommand.h>
#include <vtkDataArray.h>
#include <vtkFlyingEdges3D.h>
#include <vtkImageData.h>
#include <vtkImageGaussianSmooth.h>
#include <vtkIntArray.h>
#include <vtkNIFTIImageReader.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyDataNormals.h>
#include <vtkProbeFilter.h>
#include <vtkWindowedSincPolyDataFilter.h>
#include <vtkXMLPolyDataReader.h>
#include <vtkXMLPolyDataWriter.h>

#include <functional>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace us::render {
namespace {

namespace fs = std::filesystem;
// Bump when the pipeline changes so that old caches are not reused.
constexpr int kPipelineVersion = 1;
constexpr double kInwardSampleMm = 3.0;

// Maps one filter's progress into [begin, end] of the job, and aborts it on cancel.
class StageObserver {
  public:
    StageObserver(vtkAlgorithm* algorithm, const us::analysis::JobContext& context, double begin,
                  double end, std::string stage)
        : context_(context), begin_(begin), end_(end), stage_(std::move(stage)) {
        callback_->SetClientData(this);
        callback_->SetCallback(&StageObserver::onProgress);
        algorithm->AddObserver(vtkCommand::ProgressEvent, callback_);
    }

  private:
    static void onProgress(vtkObject* caller, unsigned long, void* clientData, void* callData) {
        auto* self = static_cast<StageObserver*>(clientData);
        const double fraction = *static_cast<double*>(callData);
        self->context_.report(self->begin_ + (self->end_ - self->begin_) * fraction, self->stage_);
        if (self->context_.isCancelled()) static_cast<vtkAlgorithm*>(caller)->SetAbortExecute(1);
    }

    const us::analysis::JobContext& context_;
    double begin_, end_;
    std::string stage_;
    vtkNew<vtkCallbackCommand> callback_;
};

vtkSmartPointer<vtkImageData> readNifti(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw std::runtime_error("file not found: " + path.string());
    vtkNew<vtkNIFTIImageReader> reader;
    if (!reader->CanReadFile(path.string().c_str()))
        throw std::runtime_error("not a NIfTI file: " + path.string());
    reader->SetFileName(path.string().c_str());
    reader->Update();
    vtkSmartPointer<vtkImageData> image = reader->GetOutput();
    if (!image || image->GetNumberOfPoints() == 0 || !image->GetPointData()->GetScalars())
        throw std::runtime_error("cannot read NIfTI volume " + path.string());
    return image;
}

// Samples the label volume at each vertex moved `depth` mm against its normal.
std::vector<int> sampleLabels(vtkPolyData* surface, vtkImageData* atlas, double depth) {
    vtkDataArray* normals = surface->GetPointData()->GetNormals();
    const vtkIdType n = surface->GetNumberOfPoints();
    vtkNew<vtkPoints> shifted;
    shifted->SetNumberOfPoints(n);
    for (vtkIdType i = 0; i < n; ++i) {
        double p[3], nrm[3];
        surface->GetPoint(i, p);
        normals->GetTuple(i, nrm);
        shifted->SetPoint(i, p[0] - depth * nrm[0], p[1] - depth * nrm[1], p[2] - depth * nrm[2]);
    }
    vtkNew<vtkPolyData> probePoints;
    probePoints->SetPoints(shifted);
    vtkNew<vtkProbeFilter> probe;
    probe->SetInputData(probePoints);
    probe->SetSourceData(atlas);
    probe->CategoricalDataOn();  // nearest neighbour: trilinear mixes labels
    probe->Update();
    vtkDataArray* values = probe->GetOutput()->GetPointData()->GetScalars();
    std::vector<int> labels(n, 0);
    if (!values) return labels;
    for (vtkIdType i = 0; i < n; ++i)
        labels[i] = static_cast<int>(values->GetTuple1(i));
    return labels;
}

std::string cacheKey(const BrainSurfaceSources& sources) {
    std::ostringstream key;
    key << kPipelineVersion << '|' << sources.isoValue;
    for (const auto& path : {sources.anatomy, sources.atlas}) {
        std::error_code ec;
        key << '|' << fs::absolute(path, ec).string() << '|' << fs::file_size(path, ec) << '|'
            << fs::last_write_time(path, ec).time_since_epoch().count();
    }
    std::ostringstream name;
    name << "brain-surface-" << std::hex << std::hash<std::string>{}(key.str()) << ".vtp";
    return name.str();
}

}  // namespace

vtkSmartPointer<vtkPolyData> extractBrainSurface(const BrainSurfaceSources& sources,
                                                 const us::analysis::JobContext& context) {
    context.report(0.0, "reading volumes");
    auto anatomy = readNifti(sources.anatomy);
    auto atlas = readNifti(sources.atlas);
    int anatomyDims[3], atlasDims[3];
    anatomy->GetDimensions(anatomyDims);
    atlas->GetDimensions(atlasDims);
    if (anatomyDims[0] != atlasDims[0] || anatomyDims[1] != atlasDims[1] ||
        anatomyDims[2] != atlasDims[2])
        throw std::runtime_error("the atlas grid does not match the anatomy grid");
    context.checkCancelled();

    vtkNew<vtkImageGaussianSmooth> smooth;
    smooth->SetInputData(anatomy);
    smooth->SetStandardDeviations(1.0, 1.0, 1.0);
    smooth->SetRadiusFactors(3.0, 3.0, 3.0);
    vtkNew<vtkFlyingEdges3D> contour;
    contour->SetInputConnection(smooth->GetOutputPort());
    contour->SetValue(0, sources.isoValue);
    contour->ComputeNormalsOff();
    contour->ComputeScalarsOff();
    vtkNew<vtkWindowedSincPolyDataFilter> sinc;
    sinc->SetInputConnection(contour->GetOutputPort());
    sinc->SetNumberOfIterations(20);
    sinc->SetPassBand(0.1);
    sinc->NormalizeCoordinatesOn();
    sinc->BoundarySmoothingOff();
    sinc->FeatureEdgeSmoothingOff();
    vtkNew<vtkPolyDataNormals> normals;
    normals->SetInputConnection(sinc->GetOutputPort());
    normals->SplittingOff();
    normals->ConsistencyOn();
    normals->AutoOrientNormalsOn();  // outward, so "inside" is against the normal

    StageObserver smoothStage(smooth, context, 0.05, 0.35, "smoothing");
    StageObserver contourStage(contour, context, 0.35, 0.55, "extracting surface");
    StageObserver sincStage(sinc, context, 0.55, 0.85, "smoothing surface");
    StageObserver normalStage(normals, context, 0.85, 0.9, "normals");
    normals->Update();
    context.checkCancelled();

    vtkSmartPointer<vtkPolyData> surface = vtkSmartPointer<vtkPolyData>::New();
    surface->ShallowCopy(normals->GetOutput());
    if (surface->GetNumberOfPolys() == 0)
        throw std::runtime_error("no surface at intensity " + std::to_string(sources.isoValue) +
                                 " in " + sources.anatomy.string());

    context.report(0.9, "sampling atlas");
    const auto inward = sampleLabels(surface, atlas, kInwardSampleMm);
    const auto atVertex = sampleLabels(surface, atlas, 0.0);
    vtkNew<vtkIntArray> labels;
    labels->SetName(kAtlasLabelArray);
    labels->SetNumberOfValues(static_cast<vtkIdType>(inward.size()));
    for (size_t i = 0; i < inward.size(); ++i)
        labels->SetValue(static_cast<vtkIdType>(i), inward[i] != 0 ? inward[i] : atVertex[i]);
    surface->GetPointData()->AddArray(labels);
    context.report(1.0, "done");
    return surface;
}

vtkSmartPointer<vtkPolyData> loadOrExtractBrainSurface(const BrainSurfaceSources& sources,
                                                       const fs::path& cacheDir,
                                                       const us::analysis::JobContext& context) {
    const fs::path cached = cacheDir / cacheKey(sources);
    std::error_code ec;
    if (fs::is_regular_file(cached, ec)) {
        vtkNew<vtkXMLPolyDataReader> reader;
        reader->SetFileName(cached.string().c_str());
        reader->Update();
        vtkPolyData* mesh = reader->GetOutput();
        if (reader->GetErrorCode() == 0 && mesh && mesh->GetNumberOfPolys() > 0 &&
            mesh->GetPointData()->GetArray(kAtlasLabelArray) &&
            mesh->GetPointData()->GetNormals()) {
            context.report(1.0, "loaded cached surface");
            return mesh;
        }
        fs::remove(cached, ec);  // unreadable cache: rebuild it below
    }

    auto surface = extractBrainSurface(sources, context);
    fs::create_directories(cacheDir, ec);
    const fs::path temp = cached.string() + ".tmp";
    vtkNew<vtkXMLPolyDataWriter> writer;
    writer->SetFileName(temp.string().c_str());
    writer->SetInputData(surface);
    writer->SetDataModeToAppended();
    writer->EncodeAppendedDataOff();
    writer->SetCompressorTypeToNone();  // raw appended data loads fastest
    if (writer->Write() == 1)
        fs::rename(temp, cached, ec);
    else
        fs::remove(temp, ec);  // a failed cache write only costs the next start-up time
    return surface;
}

}  // namespace us::render
