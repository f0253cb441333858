// render/ without Qt: the brain scene rendered offscreen by VTK alone, its colours and picking.

#include <gtest/gtest.h>
#include <vtkImageData.h>
#include <vtkPointData.h>
#include <vtkRenderWindow.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "analysis/demo/demo_data.h"
#include "render/brain/atlas_palette.h"
#include "render/brain/brain_scene.h"
#include "render/brain/brain_surface.h"
#include "render/common/offscreen_render.h"

namespace fs = std::filesystem;
using namespace us::render;

namespace {

fs::path cacheDir() {
    const char* dir = std::getenv("UNITSCOPE_TEST_CACHE");
    return dir ? fs::path(dir) : fs::temp_directory_path() / "unitscope-test-cache";
}

BrainModel demoModel() {
    const auto files = us::analysis::demoBrainFiles();
    return loadBrainModel({files.anatomy, files.atlas, files.atlasNames}, cacheDir(), {});
}

}  // namespace

TEST(AtlasPalette, LabelsGetDistinctColoursAndZeroIsGrey) {
    std::set<Rgb8> seen;
    for (int label = 1; label <= 120; ++label)
        seen.insert(atlasColour(label));
    EXPECT_EQ(seen.size(), 120u);
    EXPECT_EQ(atlasColour(0), kUnlabelledColour);
    // A left/right pair (consecutive AAL indices) must not look alike.
    const auto a = atlasColour(81), b = atlasColour(82);
    EXPECT_GT(std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]), 60);
}

TEST(BrainSurface, MostVerticesCarryAnAalLabel) {
    const auto model = demoModel();
    ASSERT_GT(model.mesh->GetNumberOfPolys(), 200000);
    auto* labels = model.mesh->GetPointData()->GetArray(kAtlasLabelArray);
    ASSERT_NE(labels, nullptr);
    vtkIdType unlabelled = 0;
    std::set<int> distinct;
    for (vtkIdType i = 0; i < labels->GetNumberOfTuples(); ++i) {
        const int label = static_cast<int>(labels->GetTuple1(i));
        unlabelled += label == 0;
        distinct.insert(label);
    }
    EXPECT_LT(double(unlabelled) / labels->GetNumberOfTuples(), 0.2);
    EXPECT_GT(distinct.size(), 90u);  // AAL has 116 regions, most of them on the surface
}

TEST(BrainScene, RendersOffscreenAndPicksTheRegionItShows) {
    BrainScene scene;
    scene.setModel(demoModel());
    const int w = 640, h = 480;
    auto image = renderOffscreen(scene.renderer(), w, h);
    ASSERT_EQ(image->GetDimensions()[0], w);
    auto* rgb = static_cast<unsigned char*>(image->GetScalarPointer());
    int foreground = 0;
    for (int i = 0; i < w * h; ++i)
        foreground += std::abs(rgb[3 * i] - 28) > 3 || std::abs(rgb[3 * i + 2] - 36) > 3;
    EXPECT_GT(foreground, w * h / 6);

    // Keep the scene attached to a window for picking, as in the application.
    vtkNew<vtkRenderWindow> window;
    window->SetOffScreenRendering(1);
    window->SetSize(w, h);
    window->AddRenderer(scene.renderer());
    window->Render();
    const auto pick = scene.pick(w / 2.0, h / 2.0);
    ASSERT_TRUE(pick.has_value());
    EXPECT_GT(pick->label, 0);
    EXPECT_TRUE(pick->region.ends_with("_L")) << pick->region;
    EXPECT_LT(pick->worldMm[0], -30.0);
    EXPECT_FALSE(scene.pick(2, 2).has_value()) << "a corner pixel is background";

    const fs::path png = fs::temp_directory_path() / "unitscope-render-test.png";
    writePng(image, png);
    EXPECT_GT(fs::file_size(png), 10000u);
    fs::remove(png);
}

TEST(BrainSurface, MissingOrWrongFilesGiveClearErrors) {
    const fs::path dir = fs::temp_directory_path() / "unitscope-bad-brain";
    fs::create_directories(dir);
    EXPECT_THROW(extractBrainSurface({dir / "missing.nii.gz", dir / "missing.nii.gz"}, {}),
                 std::runtime_error);
    const fs::path junk = dir / "junk.nii";
    { std::ofstream(junk) << "not nifti"; }
    EXPECT_THROW(extractBrainSurface({junk, junk}, {}), std::runtime_error);
    fs::remove_all(dir);
}
