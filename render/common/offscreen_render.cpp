#include "render/common/offscreen_render.h"

#include <vtkNew.h>
#include <vtkPNGWriter.h>
#include <vtkRenderWindow.h>
#include <vtkWindowToImageFilter.h>

#include <stdexcept>
#include <system_error>

namespace us::render {

vtkSmartPointer<vtkImageData> renderOffscreen(vtkRenderer* renderer, int width, int height) {
    vtkNew<vtkRenderWindow> window;
    window->SetOffScreenRendering(1);
    window->SetMultiSamples(0);
    window->SetSize(width, height);
    window->AddRenderer(renderer);
    window->Render();
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(window);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->Update();
    auto image = vtkSmartPointer<vtkImageData>::New();
    image->DeepCopy(grab->GetOutput());
    window->RemoveRenderer(renderer);
    return image;
}

void writePng(vtkImageData* image, const std::filesystem::path& path) {
    std::error_code exists;
    const auto folder = path.has_parent_path() ? path.parent_path() : ".";
    if (!std::filesystem::is_directory(folder, exists))
        throw std::runtime_error("cannot write PNG '" + path.string() + "': no folder '" +
                                 folder.string() + "'");
    const auto temp = std::filesystem::path(path.string() + ".tmp.png");
    vtkNew<vtkPNGWriter> writer;
    writer->SetFileName(temp.string().c_str());
    writer->SetInputData(image);
    writer->Write();
    std::error_code ec;
    if (writer->GetErrorCode() != 0 || !std::filesystem::exists(temp, ec)) {
        std::filesystem::remove(temp, ec);
        throw std::runtime_error("cannot write PNG '" + path.string() + "'");
    }
    std::filesystem::rename(temp, path, ec);
    if (ec) throw std::runtime_error("cannot write PNG '" + path.string() + "': " + ec.message());
}

}  // namespace us::render
