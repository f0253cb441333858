#include "render/surface_figure.h"

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataNormals.h>
#include <vtkProperty.h>
#include <vtkScalarBarActor.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

#include <stdexcept>

namespace us::render {

vtkSmartPointer<vtkRenderer> buildSurfaceRenderer(const SurfaceFigure& figure) {
    const auto n = figure.mesh.vertexCount();
    if (!figure.overlay.empty() && std::int64_t(figure.overlay.size()) != n)
        throw std::invalid_argument("the overlay has " + std::to_string(figure.overlay.size()) +
                                    " values for a surface of " + std::to_string(n) + " vertices");
    if (!figure.underlay.empty() && std::int64_t(figure.underlay.size()) != n)
        throw std::invalid_argument("the underlay does not have one value per vertex");
    vtkNew<vtkPoints> points;
    points->SetDataTypeToDouble();
    points->SetNumberOfPoints(n);
    for (std::int64_t i = 0; i < n; ++i)
        points->SetPoint(i, figure.mesh.vertices[std::size_t(3 * i)],
                         figure.mesh.vertices[std::size_t(3 * i + 1)],
                         figure.mesh.vertices[std::size_t(3 * i + 2)]);
    vtkNew<vtkCellArray> triangles;
    for (std::int64_t f = 0; f < figure.mesh.faceCount(); ++f) {
        const vtkIdType ids[3] = {figure.mesh.faces[std::size_t(3 * f)],
                                  figure.mesh.faces[std::size_t(3 * f + 1)],
                                  figure.mesh.faces[std::size_t(3 * f + 2)]};
        triangles->InsertNextCell(3, ids);
    }
    vtkNew<vtkPolyData> polys;
    polys->SetPoints(points);
    polys->SetPolys(triangles);

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

    vtkNew<vtkPolyDataNormals> normals;
    normals->SetInputData(polys);
    normals->SplittingOff();
    normals->ConsistencyOn();
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputConnection(normals->GetOutputPort());
    mapper->SetColorModeToDirectScalars();
    mapper->ScalarVisibilityOn();
    vtkNew<vtkActor> actor;
    actor->SetMapper(mapper);
    actor->GetProperty()->SetSpecular(0.15);
    auto renderer = vtkSmartPointer<vtkRenderer>::New();
    renderer->SetBackground(1, 1, 1);
    renderer->AddActor(actor);

    if (!figure.overlay.empty()) {
        vtkNew<vtkLookupTable> table;
        fillColourBarTable(table, figure.style);
        vtkNew<vtkScalarBarActor> bar;
        bar->SetLookupTable(table);
        bar->SetTitle(figure.overlayName.c_str());
        bar->SetNumberOfLabels(5);
        bar->SetOrientationToHorizontal();
        bar->SetPosition(0.2, 0.02);
        bar->SetWidth(0.6);
        bar->SetHeight(0.12);
        for (auto* text : {bar->GetTitleTextProperty(), bar->GetLabelTextProperty()}) {
            text->SetColor(0.1, 0.1, 0.1);
            text->ShadowOff();
            text->ItalicOff();
        }
        renderer->AddActor2D(bar);
    }
    double bounds[6];
    polys->GetBounds(bounds);
    placeCamera(renderer, bounds, figure.view);
    return renderer;
}

}  // namespace us::render
