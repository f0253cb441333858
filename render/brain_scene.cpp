#include "render/brain_scene.h"

#include <vtkCamera.h>
#include <vtkCell.h>
#include <vtkDataArray.h>
#include <vtkMath.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkStaticCellLocator.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

#include <Eigen/Core>

#include "render/atlas_palette.h"
#include "render/brain_surface.h"

namespace us::render {
namespace {

constexpr const char* kColourArray = "atlas_colour";

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
}

void BrainScene::setCaption(const std::string& text) {
    caption_->SetInput(text.c_str());
}

void BrainScene::setMessage(const std::string& text) {
    message_->SetInput(text.c_str());
}

void BrainScene::setModel(BrainModel model) {
    model_ = std::move(model);
    // The mesh is shared with the job that built it: colour a shallow copy, never the original.
    vtkNew<vtkPolyData> display;
    display->ShallowCopy(model_.mesh);
    vtkDataArray* labels = display->GetPointData()->GetArray(kAtlasLabelArray);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(display);
    if (labels) {
        display->GetPointData()->AddArray(regionColours(labels));
        mapper->SetScalarModeToUsePointFieldData();
        mapper->SelectColorArray(kColourArray);
        mapper->SetColorModeToDirectScalars();
        mapper->ScalarVisibilityOn();
    }
    actor_->SetMapper(mapper);

    // A cell locator turns a 100 ms pick on 470k triangles into well under a millisecond.
    vtkNew<vtkStaticCellLocator> locator;
    locator->SetDataSet(display);
    locator->BuildLocator();
    picker_->RemoveAllLocators();
    picker_->AddLocator(locator);
    applyPreset(CameraPreset::LateralLeft);
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
    if (vtkDataArray* labels = mesh->GetPointData()->GetArray(kAtlasLabelArray))
        result.label = static_cast<int>(labels->GetTuple1(nearest));
    result.region = model_.regionNames.name(result.label);
    const Eigen::Vector4d world =
        model_.meshToWorld * Eigen::Vector4d(position[0], position[1], position[2], 1.0);
    result.worldMm = {world[0], world[1], world[2]};
    return result;
}

}  // namespace us::render
