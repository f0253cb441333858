#include "render/brain/surface_model.h"

#include <vtkCellArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyDataNormals.h>

#include <stdexcept>

#include "render/common/colour_map.h"

namespace us::render {

vtkSmartPointer<vtkPolyData> surfacePolyData(const analysis::SurfaceMesh& mesh) {
    const auto n = mesh.vertexCount();
    vtkNew<vtkPoints> points;
    points->SetDataTypeToDouble();
    points->SetNumberOfPoints(n);
    for (std::int64_t i = 0; i < n; ++i)
        points->SetPoint(i, &mesh.vertices[std::size_t(3 * i)]);
    vtkNew<vtkCellArray> triangles;
    triangles->AllocateExact(mesh.faceCount(), 3 * mesh.faceCount());
    for (std::int64_t f = 0; f < mesh.faceCount(); ++f) {
        const vtkIdType ids[3] = {mesh.faces[std::size_t(3 * f)],
                                  mesh.faces[std::size_t(3 * f + 1)],
                                  mesh.faces[std::size_t(3 * f + 2)]};
        triangles->InsertNextCell(3, ids);
    }
    vtkNew<vtkPolyData> polys;
    polys->SetPoints(points);
    polys->SetPolys(triangles);
    vtkNew<vtkPolyDataNormals> normals;
    normals->SetInputData(polys);
    normals->SplittingOff();
    normals->ConsistencyOn();
    normals->ComputePointNormalsOn();
    normals->Update();
    vtkSmartPointer<vtkPolyData> result = normals->GetOutput();
    return result;
}

BrainModel makeSurfaceModel(const analysis::SurfaceMesh& mesh, const std::vector<double>& underlay,
                            std::string description) {
    if (!underlay.empty() && std::int64_t(underlay.size()) != mesh.vertexCount())
        throw std::invalid_argument("the underlay has " + std::to_string(underlay.size()) +
                                    " values for a surface of " +
                                    std::to_string(mesh.vertexCount()) + " vertices");
    BrainModel model;
    model.mesh = surfacePolyData(mesh);
    if (!underlay.empty()) model.underlayGrey = curvatureGrey(underlay);
    model.description = std::move(description);
    return model;
}

}  // namespace us::render
