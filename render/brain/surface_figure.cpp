#include "render/brain/surface_figure.h"

#include <vtkActor.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkScalarBarActor.h>
#include <vtkUnsignedCharArray.h>

#include <stdexcept>

#include "render/brain/surface_model.h"
#include "render/common/colour_bar.h"

namespace us::render {

vtkSmartPointer<vtkRenderer> buildSurfaceRenderer(const SurfaceFigure& figure) {
    const auto n = figure.mesh.vertexCount();
    if (!figure.overlay.empty() && std::int64_t(figure.overlay.size()) != n)
        throw std::invalid_argument("the overlay has " + std::to_string(figure.overlay.size()) +
                                    " values for a surface of " + std::to_string(n) + " vertices");
    if (!figure.underlay.empty() && std::int64_t(figure.underlay.size()) != n)
        throw std::invalid_argument("the underlay does not have one value per vertex");
    const vtkSmartPointer<vtkPolyData> polys = surfacePolyData(figure.mesh);

    const std::vector<std::uint8_t> grey = figure.underlay.empty()
                                               ? std::vector<std::uint8_t>(std::size_t(n), 170)
                                               : curvatureGrey(figure.underlay);
    vtkNew<vtkUnsignedCharArray> colours;
    colours->SetName("colours");
    colours->SetNumberOfComponents(3);
    colours->SetNumberOfTuples(n);
    auto* rgb = colours->GetPointer(0);
    if (figure.overlay.empty()) {
        for (std::int64_t i = 0; i < n; ++i)
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[std::size_t(i)];
    } else {
        recolourOverlay(figure.overlay.data(), grey.data(), std::size_t(n), figure.style, rgb);
    }
    polys->GetPointData()->SetScalars(colours);

    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(polys);
    mapper->SetColorModeToDirectScalars();
    mapper->ScalarVisibilityOn();
    vtkNew<vtkActor> actor;
    actor->SetMapper(mapper);
    actor->GetProperty()->SetSpecular(0.15);
    auto renderer = vtkSmartPointer<vtkRenderer>::New();
    renderer->SetBackground(1, 1, 1);
    renderer->AddActor(actor);

    if (!figure.overlay.empty()) {
        const std::vector<vtkSmartPointer<vtkScalarBarActor>> bars{
            makeColourBar(figure.style, figure.overlayName, true)};
        layOutColourBars(bars);
        renderer->AddActor2D(bars.front());
    }
    double bounds[6];
    polys->GetBounds(bounds);
    placeCamera(renderer, bounds, figure.view);
    return renderer;
}

}  // namespace us::render
