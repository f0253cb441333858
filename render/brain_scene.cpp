#include "render/brain_scene.h"

#include <vtkCamera.h>
#include <vtkCell.h>
#include <vtkDataArray.h>
#include <vtkMath.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkSphereSource.h>
#include <vtkStaticCellLocator.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

#include <Eigen/Core>
#include <Eigen/LU>

#include <cmath>
#include <stdexcept>

#include "render/atlas_palette.h"
#include "render/brain_surface.h"

namespace us::render {
namespace {

constexpr const char* kColourArray = "atlas_colour";
constexpr const char* kOverlayColourArray = "overlay_colour";
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

}  // namespace

BrainScene::BrainScene() {
    renderer_->SetBackground(0.11, 0.12, 0.14);
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

    colourBar_->SetLookupTable(colourBarTable_);
    colourBar_->SetOrientationToHorizontal();
    colourBar_->SetPosition(0.25, 0.02);
    colourBar_->SetWidth(0.5);
    colourBar_->SetHeight(0.1);
    colourBar_->SetNumberOfLabels(5);
    colourBar_->GetTitleTextProperty()->SetColor(0.9, 0.9, 0.9);
    colourBar_->GetLabelTextProperty()->SetColor(0.9, 0.9, 0.9);
    colourBar_->GetTitleTextProperty()->ItalicOff();
    colourBar_->GetLabelTextProperty()->ItalicOff();
    colourBar_->VisibilityOff();
    renderer_->AddViewProp(colourBar_);
}

void BrainScene::setCaption(const std::string& text) {
    caption_->SetInput(text.c_str());
}

void BrainScene::setMessage(const std::string& text) {
    message_->SetInput(text.c_str());
}

void BrainScene::setModel(BrainModel model) {
    model_ = std::move(model);
    overlay_.clear();
    colourBar_->VisibilityOff();
    // The mesh is shared with the job that built it: colour a shallow copy, never the original.
    auto display = vtkSmartPointer<vtkPolyData>::New();
    display->ShallowCopy(model_.mesh);
    vtkDataArray* labels = display->GetPointData()->GetArray(kAtlasLabelArray);
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputData(display);
    if (labels) {
        display->GetPointData()->AddArray(regionColours(labels));
        mapper->SetScalarModeToUsePointFieldData();
        mapper->SelectColorArray(kColourArray);
        mapper->SetColorModeToDirectScalars();
        mapper->ScalarVisibilityOn();
    }
    actor_->SetMapper(mapper);
    display_ = display;
    mapper_ = mapper;

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

void BrainScene::setOverlay(std::vector<float> values, const std::string& name,
                            const OverlayStyle& style) {
    if (!display_ || vtkIdType(values.size()) != display_->GetNumberOfPoints())
        throw std::invalid_argument("the overlay needs one value per surface vertex");
    overlay_ = std::move(values);
    underlayGrey_.assign(overlay_.size(), kUnderlayGrey);
    overlayColours_ = vtkSmartPointer<vtkUnsignedCharArray>::New();
    overlayColours_->SetName(kOverlayColourArray);
    overlayColours_->SetNumberOfComponents(3);
    overlayColours_->SetNumberOfTuples(vtkIdType(overlay_.size()));
    display_->GetPointData()->AddArray(overlayColours_);
    mapper_->SetScalarModeToUsePointFieldData();
    mapper_->SelectColorArray(kOverlayColourArray);
    mapper_->SetColorModeToDirectScalars();
    mapper_->ScalarVisibilityOn();
    colourBar_->SetTitle(name.c_str());
    colourBar_->VisibilityOn();
    setOverlayStyle(style);
}

void BrainScene::setOverlayStyle(const OverlayStyle& style) {
    style_ = style;
    if (overlay_.empty()) return;
    recolourOverlay(overlay_.data(), underlayGrey_.data(), overlay_.size(), style_,
                    overlayColours_->GetPointer(0));
    overlayColours_->Modified();
    fillColourBarTable(colourBarTable_, style_);
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

void BrainScene::clearOverlay() {
    overlay_.clear();
    colourBar_->VisibilityOff();
    if (mapper_) mapper_->SelectColorArray(kColourArray);
}

std::size_t BrainScene::triangleCount() const {
    return model_.mesh ? static_cast<std::size_t>(model_.mesh->GetNumberOfPolys()) : 0;
}

void BrainScene::applyPreset(CameraPreset preset) {
    if (!model_.mesh) return;
    double bounds[6];
    model_.mesh->GetBounds(bounds);
    placeCamera(renderer_, bounds, preset);
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
    if (!overlay_.empty() && nearest >= 0 && std::isfinite(overlay_[std::size_t(nearest)]))
        result.overlayValue = overlay_[std::size_t(nearest)];
    if (vtkDataArray* labels = mesh->GetPointData()->GetArray(kAtlasLabelArray))
        result.label = static_cast<int>(labels->GetTuple1(nearest));
    result.region = model_.regionNames.name(result.label);
    const Eigen::Vector4d world =
        model_.meshToWorld * Eigen::Vector4d(position[0], position[1], position[2], 1.0);
    result.worldMm = {world[0], world[1], world[2]};
    return result;
}

}  // namespace us::render
