// unitscope-cli render-surface: a surface figure with an overlay and its colour bar, rendered
// offscreen by VTK (no Qt; on Linux it needs an X server, e.g. xvfb-run).
#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/brain/brain_file.h"
#include "analysis/brain/volume_sampling.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "render/brain/surface_figure.h"
#include "render/common/offscreen_render.h"

namespace us::cli {
namespace fs = std::filesystem;

int renderSurface(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli render-surface --surface S --size WxH --out PNG\n"
               "         [--overlay O] [--underlay CURV] [--threshold T] [--cmap NAME]\n"
               "         [--range MIN,MAX] [--view VIEW] [--title TEXT]\n\n"
               "Renders a FreeSurfer or GIFTI surface offscreen, coloured by an overlay: "
               "per-vertex\n"
               "data (curv/thickness/sulc, .func.gii/.shape.gii) or a volume (NIfTI/MGH) sampled\n"
               "trilinearly at the vertices (the surface must be in the volume's world space).\n"
               "Values with |v| < T show the underlay (curvature grey). Colour maps: grey, hot,\n"
               "viridis, diverging (symmetric range). Views: lateral-left, lateral-right,\n"
               "medial-left, medial-right, dorsal, ventral, anterior, posterior. A colour bar\n"
               "with the overlay's name is drawn with the figure.\n";
        return 0;
    }
    return guarded("render-surface", [&] {
        const CliArgs options(args, {"surface", "overlay", "underlay", "threshold", "cmap", "range",
                                     "view", "size", "out", "title"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const auto sizeText = options.required("size");
        const auto x = sizeText.find('x');
        int width = 0, height = 0;
        try {
            width = std::stoi(sizeText.substr(0, x));
            height = std::stoi(sizeText.substr(x + 1));
        } catch (const std::exception&) {
        }
        if (x == std::string::npos || width < 16 || height < 16 || width > 16384 || height > 16384)
            throw UsageError("--size must be WxH with 16..16384 pixels each, e.g. 3000x2000");

        render::SurfaceFigure figure;
        auto surface = analysis::readBrainFile(options.required("surface"));
        if (!surface.mesh)
            throw std::invalid_argument("'" + options.required("surface") + "' is not a surface");
        figure.mesh = std::move(*surface.mesh);
        if (const auto path = options.value("underlay")) {
            auto underlay = analysis::readBrainFile(*path);
            if (!underlay.vertexData)
                throw std::invalid_argument("the underlay must be per-vertex data");
            figure.underlay = underlay.vertexData->values;
        }
        if (const auto path = options.value("overlay")) {
            auto overlay = analysis::readBrainFile(*path);
            if (overlay.volume) {
                figure.overlay = analysis::sampleVolume(*overlay.volume, figure.mesh.vertices);
            } else if (overlay.vertexData) {
                // Several columns (a multi-array GIFTI): show the first.
                const auto& data = *overlay.vertexData;
                const std::size_t stride = data.shape.size() > 1 ? std::size_t(data.shape[1]) : 1;
                for (std::size_t i = 0; i < data.values.size(); i += stride)
                    figure.overlay.push_back(float(data.values[i]));
            } else {
                throw std::invalid_argument("the overlay must be per-vertex data or a volume");
            }
            figure.overlayName =
                options.value("title").value_or(fs::path(*path).filename().string());
            figure.style.map = render::parseColourMap(options.value("cmap").value_or("hot"));
            figure.style.threshold = std::stod(options.value("threshold").value_or("0"));
            auto [lo, hi] = render::finiteRange(figure.overlay);
            if (const auto range = options.value("range")) {
                const auto parts = splitList(*range);
                if (parts.size() != 2) throw UsageError("--range must be MIN,MAX");
                lo = std::stod(parts[0]);
                hi = std::stod(parts[1]);
            } else if (figure.style.threshold > 0 &&
                       figure.style.map != render::ColourMapName::Diverging) {
                lo = figure.style.threshold;
            }
            figure.style.symmetric = figure.style.map == render::ColourMapName::Diverging;
            figure.style.min = lo;
            figure.style.max = hi > lo ? hi : lo + 1;
        }
        figure.view = render::parseCameraPreset(options.value("view").value_or("lateral-left"));
        const auto renderer = render::buildSurfaceRenderer(figure);
        const auto image = render::renderOffscreen(renderer, width, height);
        render::writePng(image, options.required("out"));
        std::cout << nlohmann::ordered_json{{"out", options.required("out")},
                                            {"vertices", figure.mesh.vertexCount()},
                                            {"overlay_range", {figure.style.min, figure.style.max}}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
