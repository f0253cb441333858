#pragma once
// Renders a VTK renderer into an offscreen window and reads the pixels back: used by the CLI
// and by render/ tests, with no Qt involved.

#include <vtkImageData.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <filesystem>

namespace us::render {

// Returns an RGB image of width x height pixels (origin bottom-left, VTK's convention).
vtkSmartPointer<vtkImageData> renderOffscreen(vtkRenderer* renderer, int width, int height);

// Throws std::runtime_error when the file cannot be written.
void writePng(vtkImageData* image, const std::filesystem::path& path);

}  // namespace us::render
