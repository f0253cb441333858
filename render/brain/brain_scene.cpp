#include "render/brain/brain_scene.h"

#include <vtkCamera.h>
#include <vtkCell.h>
#include <vtkDataArray.h>
#include <vtkMath.h>
#include <vtkPlane.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkSphereSource.h>
#include <vtkStaticCellLocator.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

#include <Eigen/Core>
#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "render/brain/atlas_palette.h"
#include "render/brain/brain_surface.h"
#include "render/common/colour_bar.h"
#include "render/common/offscreen_render.h"
#include "render/common/text_wrap.h"

namespace us::render {
namespace {

constexpr const char* kColourArray = "atlas_colour";
constexpr const char* kUnderlayArray = "underlay_colour";
constexpr const char* kOverlayColourArray = "overlay_colour";
constexpr double kBackground[3] = {0.11, 0.12, 0.14};
constexpr std::uint8_t kUnderlayGrey = 165;

vtkSmartPointer<vtkUnsignedCharArray> regionColours(vtkDataArray* labels) {
    auto colours = vtkSmartPointer<vtkUnsignedCharArray>::New();
    colours->SetName(kColourArray);
    colours->SetNumberOfComponents(3);
    colours->SetNumberOfTuples(labels->GetNumberOfTuples());
    for (vtkIdType i = 0; i < labels->GetNumberOfTuples(); ++i) {
        const Rgb8 c = atlasColour(static_cast<int>(labels->GetTuple1(i)));
        colours->SetTypedTuple(i, c.data());
    }
    return colours;
}

vtkSmartPointer<vtkUnsignedCharArray> rgbArray(const char* name, vtkIdType count) {
    auto colours = vtkSmartPointer<vtkUnsignedCharArray>::New();
    colours->SetName(name);
    colours->SetNumberOfComponents(3);
    colours->SetNumberOfTuples(count);
    return colours;
}

// The underlay's grey levels as RGB: curvature where the model has it, else uniform grey.
void fillUnderlay(const BrainModel& model, std::uint8_t* rgb, std::size_t count) {
    const bool curvature = model.underlayGrey.size() == count;
    for (std::size_t i = 0; i < count; ++i)
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] =
            curvature ? model.underlayGrey[i] : kUnderlayGrey;
}

}  // namespace

BrainScene::BrainScene() {
    renderer_->SetBackground(kBackground[0], kBackground[1], kBackground[2]);
    renderer_->AddActor(actor_);
    actor_->GetProperty()->SetAmbient(0.15);
    actor_->GetProperty()->SetDiffuse(0.8);
    actor_->GetProperty()->SetSpecular(0.15);
    actor_->GetProperty()->SetSpecularPower(20.0);
    picker_->SetTolerance(0.0);
    picker_->PickFromListOn();
    picker_->AddPickList(actor_);

    caption_->GetTextProperty()->SetFontSize(16);
    caption_->GetTextProperty()->SetColor(0.85, 0.85, 0.85);
    caption_->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    caption_->GetPositionCoordinate()->SetValue(0.01, 0.95);
    caption_->GetTextProperty()->SetVerticalJustificationToTop();
    renderer_->AddViewProp(caption_);
    message_->GetTextProperty()->SetFontSize(20);
    message_->GetTextProperty()->SetColor(0.9, 0.9, 0.9);
    message_->GetTextProperty()->SetJustificationToCentered();
    message_->GetTextProperty()->SetVerticalJustificationToCentered();
    message_->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    message_->GetPositionCoordinate()->SetValue(0.5, 0.5);
    renderer_->AddViewProp(message_);
}

void BrainScene::setCaption(const std::string& text) {
    caption_->SetInput(text.c_str());
}

void BrainScene::setMessage(const std::string& text) {
    messageText_ = text;
    message_->SetInput(wrapText(text, message_->GetTextProperty(), messageWidth_).c_str());
}

void BrainScene::setMessageWidth(int pixels) {
    if (pixels == messageWidth_) return;
    messageWidth_ = pixels;
    setMessage(messageText_);
}

void BrainScene::setModel(BrainModel model) {
    model_ = std::move(model);
    values_.clear();
    // The mesh is shared with the job that built it: colour a shallow copy, never the original.
    auto display = vtkSmartPointer<vtkPolyData>::New();
    display->ShallowCopy(model_.mesh);
    const vtkIdType n = display->GetNumberOfPoints();
    if (vtkDataArray* labels = display->GetPointData()->GetArray(kAtlasLabelArray))
        display->GetPointData()->AddArray(regionColours(labels));
    auto underlay = rgbArray(kUnderlayArray, n);
    fillUnderlay(model_, underlay->GetPointer(0), std::size_t(n));
    display->GetPointData()->AddArray(underlay);
    overlayColours_ = rgbArray(kOverlayColourArray, n);
    display->GetPointData()->AddArray(overlayColours_);
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputData(display);
    mapper->SetScalarModeToUsePointFieldData();
    mapper->SetColorModeToDirectScalars();
    mapper->ScalarVisibilityOn();
    actor_->SetMapper(mapper);
    display_ = display;
    mapper_ = mapper;
    recolour();

    // A cell locator turns a 100 ms pick on 470k triangles into well under a millisecond.
    vtkNew<vtkStaticCellLocator> locator;
    locator->SetDataSet(display);
    locator->BuildLocator();
    picker_->RemoveAllLocators();
    picker_->AddLocator(locator);
    applyPreset(CameraPreset::LateralLeft);
}

std::vector<double> BrainScene::worldVertices() const {
    std::vector<double> world;
    if (!model_.mesh) return world;
    vtkPoints* points = model_.mesh->GetPoints();
    world.resize(std::size_t(points->GetNumberOfPoints()) * 3);
    for (vtkIdType i = 0; i < points->GetNumberOfPoints(); ++i) {
        double p[3];
        points->GetPoint(i, p);
        const Eigen::Vector4d w = model_.meshToWorld * Eigen::Vector4d(p[0], p[1], p[2], 1.0);
        for (int k = 0; k < 3; ++k)
            world[std::size_t(3 * i + k)] = w[k];
    }
    return world;
}

void BrainScene::observeLayers(const BrainLayers* layers) {
    layersSubscription_ = {};
    layers_ = layers;
    if (layers_) layersSubscription_ = layers_->observe([this](unsigned) { layersChanged(); });
    layersChanged();
}

void BrainScene::requireOnePerVertex(std::size_t count, const std::string& what) const {
    if (!display_ || vtkIdType(count) != display_->GetNumberOfPoints())
        throw std::invalid_argument(what + " has " + std::to_string(count) +
                                    " values for a surface of " + std::to_string(vertexCount()) +
                                    " vertices");
}

void BrainScene::setLayerValues(LayerId layer, std::vector<float> values) {
    requireOnePerVertex(values.size(), "the overlay");
    values_[layer] = std::move(values);
    recolour();
}

const std::vector<float>* BrainScene::layerValues(LayerId layer) const {
    const auto it = values_.find(layer);
    return it == values_.end() ? nullptr : &it->second;
}

std::size_t BrainScene::shownLayerCount() const {
    std::size_t count = 0;
    if (layers_)
        for (const auto& layer : layers_->layers())
            count += values_.count(layer.id);
    return count;
}

// Values of layers that have left the list go; everything else is redrawn from the list.
void BrainScene::layersChanged() {
    std::erase_if(values_,
                  [this](const auto& entry) { return !layers_ || !layers_->find(entry.first); });
    recolour();
}

template <class F>
void BrainScene::forEachShownBottomUp(F&& f) const {
    if (!layers_) return;
    layers_->forEachVisibleBottomUp([&](const BrainLayer& layer) {
        if (const auto it = values_.find(layer.id); it != values_.end()) f(layer, it->second);
    });
}

void BrainScene::setUnderlay(std::vector<std::uint8_t> grey, const std::string& description) {
    requireOnePerVertex(grey.size(), "the underlay");
    model_.underlayGrey = std::move(grey);
    model_.description = description;
    auto* underlay =
        vtkUnsignedCharArray::SafeDownCast(display_->GetPointData()->GetArray(kUnderlayArray));
    fillUnderlay(model_, underlay->GetPointer(0), vertexCount());
    underlay->Modified();
    recolour();
}

// Atlas colours (or the underlay) without overlays; else the underlay with every visible
// layer composited on it from the bottom up.
void BrainScene::recolour() {
    if (!mapper_) return;
    if (shownLayerCount() == 0) {
        const bool atlas = display_->GetPointData()->GetArray(kColourArray) != nullptr;
        mapper_->SelectColorArray(atlas ? kColourArray : kUnderlayArray);
    } else {
        const auto n = std::size_t(display_->GetNumberOfPoints());
        std::uint8_t* rgb = overlayColours_->GetPointer(0);
        fillUnderlay(model_, rgb, n);
        forEachShownBottomUp([&](const BrainLayer& layer, const std::vector<float>& values) {
            compositeOverlay(values.data(), n, layer.style, rgb);
        });
        overlayColours_->Modified();
        mapper_->SelectColorArray(kOverlayColourArray);
    }
    mapper_->Modified();
    updateColourBars();
}

// One colour bar per visible layer, top layer first, laid out along the bottom.
std::vector<vtkSmartPointer<vtkScalarBarActor>> BrainScene::makeColourBars(bool darkText) const {
    std::vector<vtkSmartPointer<vtkScalarBarActor>> bars;
    forEachShownBottomUp([&](const BrainLayer& layer, const std::vector<float>&) {
        bars.insert(bars.begin(), makeColourBar(layer.style, layer.name, darkText));
    });
    layOutColourBars(bars);
    return bars;
}

void BrainScene::updateColourBars() {
    for (const auto& bar : colourBars_)
        renderer_->RemoveViewProp(bar);
    colourBars_ = makeColourBars(false);
    for (const auto& bar : colourBars_)
        renderer_->AddViewProp(bar);
}

void BrainScene::setCursorMarker(const std::array<double, 3>& worldMm) {
    if (!model_.mesh) return;
    if (!cursorMarker_->GetMapper()) {
        vtkNew<vtkSphereSource> sphere;
        sphere->SetRadius(2.5);
        sphere->SetThetaResolution(16);
        sphere->SetPhiResolution(16);
        vtkNew<vtkPolyDataMapper> mapper;
        mapper->SetInputConnection(sphere->GetOutputPort());
        cursorMarker_->SetMapper(mapper);
        cursorMarker_->GetProperty()->SetColor(0.25, 0.95, 0.4);
        cursorMarker_->PickableOff();
        renderer_->AddActor(cursorMarker_);
    }
    const Eigen::Vector4d mesh =
        model_.meshToWorld.inverse() * Eigen::Vector4d(worldMm[0], worldMm[1], worldMm[2], 1.0);
    cursorMarker_->SetPosition(mesh[0], mesh[1], mesh[2]);
}

std::size_t BrainScene::triangleCount() const {
    return model_.mesh ? static_cast<std::size_t>(model_.mesh->GetNumberOfPolys()) : 0;
}

std::size_t BrainScene::vertexCount() const {
    return model_.mesh ? static_cast<std::size_t>(model_.mesh->GetNumberOfPoints()) : 0;
}

void BrainScene::applyPreset(CameraPreset preset) {
    if (!model_.mesh) return;
    double bounds[6];
    model_.mesh->GetBounds(bounds);
    placeCamera(renderer_, bounds, preset);
    clipForPreset(preset);
}

// A medial view of a surface holding both hemispheres would show the other hemisphere's
// lateral side: keep only the viewed hemisphere (world x <= 0 for the left).
void BrainScene::clipForPreset(CameraPreset preset) {
    mapper_->RemoveAllClippingPlanes();
    if (preset != CameraPreset::MedialLeft && preset != CameraPreset::MedialRight) return;
    const auto world = worldVertices();
    double lo = 0, hi = 0;
    for (std::size_t i = 0; i < world.size(); i += 3)
        lo = std::min(lo, world[i]), hi = std::max(hi, world[i]);
    if (lo > -5 || hi < 5) return;  // one hemisphere only: nothing in the way
    // World x = r . p + t in mesh coordinates p; the plane r . p + t = 0, kept side by sign.
    const Eigen::Vector3d r = model_.meshToWorld.block<1, 3>(0, 0).transpose();
    const double t = model_.meshToWorld(0, 3);
    const Eigen::Vector3d origin = -t * r / r.squaredNorm();
    const Eigen::Vector3d normal = preset == CameraPreset::MedialLeft ? Eigen::Vector3d(-r) : r;
    vtkNew<vtkPlane> plane;
    plane->SetOrigin(origin.data());
    plane->SetNormal(normal.data());
    mapper_->AddClippingPlane(plane);
}

vtkSmartPointer<vtkImageData> BrainScene::renderFigure(int width, int height,
                                                       bool whiteBackground) const {
    auto renderer = vtkSmartPointer<vtkRenderer>::New();
    if (whiteBackground)
        renderer->SetBackground(1, 1, 1);
    else
        renderer->SetBackground(kBackground[0], kBackground[1], kBackground[2]);
    if (mapper_) {
        vtkNew<vtkPolyDataMapper> mapper;
        mapper->ShallowCopy(mapper_);  // the same colours, array choice and clipping planes
        mapper->SetInputData(display_);
        vtkNew<vtkActor> actor;
        actor->SetMapper(mapper);
        actor->SetProperty(actor_->GetProperty());
        renderer->AddActor(actor);
    }
    renderer->GetActiveCamera()->DeepCopy(renderer_->GetActiveCamera());
    for (const auto& bar : makeColourBars(whiteBackground))
        renderer->AddViewProp(bar);
    renderer->ResetCameraClippingRange();
    return renderOffscreen(renderer, width, height);
}

std::vector<double> BrainScene::cameraState() const {
    vtkCamera* camera = renderer_->GetActiveCamera();
    std::vector<double> state(10);
    camera->GetPosition(&state[0]);
    camera->GetFocalPoint(&state[3]);
    camera->GetViewUp(&state[6]);
    state[9] = camera->GetViewAngle();
    return state;
}

void BrainScene::setCameraState(const std::vector<double>& state) {
    if (state.size() != 10) return;
    vtkCamera* camera = renderer_->GetActiveCamera();
    camera->SetPosition(&state[0]);
    camera->SetFocalPoint(&state[3]);
    camera->SetViewUp(&state[6]);
    camera->SetViewAngle(state[9]);
    renderer_->ResetCameraClippingRange();
}

std::optional<BrainPick> BrainScene::pick(double x, double y) {
    if (!model_.mesh || !renderer_->GetRenderWindow()) return std::nullopt;
    if (!picker_->Pick(x, y, 0.0, renderer_) || picker_->GetCellId() < 0) return std::nullopt;
    double position[3];
    picker_->GetPickPosition(position);
    vtkPolyData* mesh = model_.mesh;
    vtkCell* cell = mesh->GetCell(picker_->GetCellId());
    vtkIdType nearest = -1;
    double best = 0;
    for (vtkIdType i = 0; i < cell->GetNumberOfPoints(); ++i) {
        double p[3];
        mesh->GetPoint(cell->GetPointId(i), p);
        const double d = vtkMath::Distance2BetweenPoints(p, position);
        if (nearest < 0 || d < best) best = d, nearest = cell->GetPointId(i);
    }
    BrainPick result;
    result.vertex = nearest;
    if (layers_ && nearest >= 0)
        for (const auto& layer : layers_->layers())
            if (const auto* values = layerValues(layer.id);
                values && std::isfinite((*values)[std::size_t(nearest)]))
                result.layerValues.emplace_back(layer.name, (*values)[std::size_t(nearest)]);
    if (vtkDataArray* labels = mesh->GetPointData()->GetArray(kAtlasLabelArray)) {
        result.atlasShown = true;
        result.label = static_cast<int>(labels->GetTuple1(nearest));
    }
    result.region = model_.regionNames.name(result.label);
    const Eigen::Vector4d world =
        model_.meshToWorld * Eigen::Vector4d(position[0], position[1], position[2], 1.0);
    result.worldMm = {world[0], world[1], world[2]};
    return result;
}

}  // namespace us::render
