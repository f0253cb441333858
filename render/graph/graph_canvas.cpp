#include "render/graph/graph_canvas.h"

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace us::render {
namespace {

constexpr float kNodeWidth = 150.f;
constexpr float kNodeGap = 48.f;
constexpr float kRowGap = 56.f;
constexpr float kMaxNodeHeight = 150.f;
constexpr float kMinZoom = 0.1f, kMaxZoom = 8.f;
constexpr ImU32 kSelectionColour = IM_COL32(255, 190, 60, 255);  // follows the inspector
constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

ImU32 typeColour(const std::string& type) {
    if (type == "Conv2d") return IM_COL32(66, 133, 214, 255);
    if (type == "Linear") return IM_COL32(38, 166, 154, 255);
    if (type == "BatchNorm2d") return IM_COL32(124, 150, 92, 255);
    if (type == "ReLU") return IM_COL32(230, 145, 56, 255);
    if (type == "MaxPool2d") return IM_COL32(149, 117, 205, 255);
    if (type == "Input") return IM_COL32(200, 200, 200, 255);
    return IM_COL32(140, 140, 150, 255);
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? " x " : "") + std::to_string(shape[i]);
    return text.empty() ? "scalar" : text;
}

// Taller boxes for wider layers, so the network's shape reads at a glance.
float nodeHeight(const us::analysis::LayerInfo& layer) {
    const double units = layer.outputShape.empty() ? 1.0 : double(layer.outputShape.front());
    return std::min(kMaxNodeHeight, 64.f + 7.f * static_cast<float>(std::log2(1.0 + units)));
}

}  // namespace

GraphCanvas::GraphCanvas() {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout lives in the session, not in a file in the cwd
    io.LogFilename = nullptr;
    if (std::filesystem::exists(kFontPath)) io.Fonts->AddFontFromFileTTF(kFontPath, 15.f);
    ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0.f;
    style.WindowRounding = 0.f;
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.12f, 1.f);
    style.Colors[ImGuiCol_PopupBg] = ImVec4(0.07f, 0.08f, 0.10f, 0.98f);  // hover cards over links
    ImGui::SetCurrentContext(previous);
}

GraphCanvas::~GraphCanvas() {
    ImGui::DestroyContext(context_);
}

void GraphCanvas::initializeGl() {
    if (glReady_) return;
    ImGui::SetCurrentContext(context_);
    ImGui_ImplOpenGL3_Init("#version 150");
    glReady_ = true;
}

void GraphCanvas::releaseGl() {
    if (!glReady_) return;
    plot_.releaseGl();
    ImGui::SetCurrentContext(context_);
    ImGui_ImplOpenGL3_Shutdown();
    glReady_ = false;
}

void GraphCanvas::setNetwork(std::string title, std::vector<us::analysis::LayerInfo> layers) {
    title_ = std::move(title);
    layers_ = std::move(layers);
    resetView();
}

void GraphCanvas::setSelectedUnit(std::string layer, std::int64_t index) {
    selectedLayer_ = std::move(layer);
    selectedIndex_ = index;
}

std::vector<double> GraphCanvas::viewState() const {
    return {panX_, panY_, zoom_};
}

void GraphCanvas::setViewState(const std::vector<double>& state) {
    if (state.size() != 3 || !std::isfinite(state[2])) return;
    fitPending_ = false;
    fittedSize_.reset();
    panX_ = static_cast<float>(state[0]);
    panY_ = static_cast<float>(state[1]);
    zoom_ = std::clamp(static_cast<float>(state[2]), kMinZoom, kMaxZoom);
}

void GraphCanvas::resetView() {
    fitPending_ = true;
}

void GraphCanvas::fitToView(float width, float height) {
    fitPending_ = false;
    fittedSize_ = std::pair(width, height);
    const float margin = 24.f, titleSpace = 60.f;
    const float usableWidth = std::max(1.f, width - 2 * margin);
    const float usableHeight = std::max(1.f, height - 2 * margin - titleSpace);
    const float colPitch = kNodeWidth + kNodeGap, rowPitch = kMaxNodeHeight + kRowGap;
    // Rows of nodes whose overall shape matches the panel's, so that text stays readable.
    const auto n = static_cast<float>(layers_.size());
    columns_ = static_cast<int>(std::clamp(
        std::round(std::sqrt(n * (usableWidth / usableHeight) * (rowPitch / colPitch))), 1.f, n));
    const int rows = (static_cast<int>(layers_.size()) + columns_ - 1) / columns_;
    const float contentWidth = columns_ * colPitch - kNodeGap;
    const float contentHeight = rows * rowPitch - kRowGap;
    zoom_ = std::clamp(std::min(usableWidth / contentWidth, usableHeight / contentHeight), kMinZoom,
                       1.5f);
    panX_ = (width - contentWidth * zoom_) / 2;
    // Row 0 is centred on y = 0; the canvas origin is the panel's vertical middle.
    panY_ = titleSpace / 2 + (-contentHeight / 2 + kMaxNodeHeight / 2) * zoom_;
}

void GraphCanvas::render(float width, float height, float devicePixelRatio,
                         const CanvasInput& input, float deltaSeconds) {
    if (!glReady_ || width < 1 || height < 1) return;
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(width, height);
    io.DisplayFramebufferScale = ImVec2(devicePixelRatio, devicePixelRatio);
    io.DeltaTime = std::max(deltaSeconds, 1e-4f);
    io.MousePos =
        input.mouseX >= 0 ? ImVec2(input.mouseX, input.mouseY) : ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = input.leftDown;
    io.MouseDown[1] = input.rightDown;
    io.MouseDown[2] = input.middleDown;
    io.MouseWheel = input.wheel;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width, height));
    ImGui::Begin("##graph", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
    hovered_.clear();
    if (mode_ == CanvasMode::Graph) {
        if (plot_.empty())
            drawEmptyState(width, height, "No attribution graph",
                           "Analysis > Attribution graph computes one for the selected "
                           "stimulus; File > Open graph opens a circuit-tracer or Neuronpedia "
                           "graph JSON.");
        else
            plot_.draw(width, height, input.ctrl, input.shift);
    } else if (layers_.empty()) {
        drawEmptyState(width, height, "No network loaded",
                       "Open a model, or File > Open demo, to see its layers here.");
    } else {
        // Refit on resize until the user pans or zooms (a panel laid out after the network
        // arrived, e.g. in a background tab, would otherwise keep a tiny first fit).
        if (fitPending_ || (fittedSize_ && *fittedSize_ != std::pair(width, height)))
            fitToView(width, height);
        handlePanZoom(height);
        drawNetwork(width, height);
    }
    ImGui::End();
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void GraphCanvas::handlePanZoom(float height) {
    ImGuiIO& io = ImGui::GetIO();
    if (!ImGui::IsWindowHovered()) return;
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.f) ||
        ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.f)) {
        panX_ += io.MouseDelta.x;
        panY_ += io.MouseDelta.y;
        if (io.MouseDelta.x != 0.f || io.MouseDelta.y != 0.f) fittedSize_.reset();
    }
    if (io.MouseWheel != 0.f) {
        // Zoom about the cursor: the world point under it stays put.
        const float originY = height * 0.5f;
        const float worldX = (io.MousePos.x - panX_) / zoom_;
        const float worldY = (io.MousePos.y - originY - panY_) / zoom_;
        zoom_ = std::clamp(zoom_ * std::pow(1.15f, io.MouseWheel), kMinZoom, kMaxZoom);
        fittedSize_.reset();
        panX_ = io.MousePos.x - worldX * zoom_;
        panY_ = io.MousePos.y - originY - worldY * zoom_;
    }
}

void GraphCanvas::drawEmptyState(float width, float height, const char* line1, const char* line2) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // The explanation wraps to the canvas, less margins, however narrow the panel is.
    const float wrap = std::max(40.f, width - 24.f);
    const ImVec2 s1 = ImGui::CalcTextSize(line1);
    const ImVec2 s2 = ImGui::CalcTextSize(line2, nullptr, false, wrap);
    draw->AddText(ImVec2((width - s1.x) / 2, height / 2 - s1.y - 4), IM_COL32(220, 220, 220, 255),
                  line1);
    draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(),
                  ImVec2(std::max(12.f, (width - s2.x) / 2), height / 2 + 4),
                  IM_COL32(150, 150, 160, 255), line2, nullptr, wrap);
}

void GraphCanvas::drawNetwork(float width, float height) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const float originY = height * 0.5f;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    auto toScreen = [&](float x, float y) {
        return ImVec2(panX_ + x * zoom_, originY + panY_ + y * zoom_);
    };
    const auto columns = static_cast<size_t>(std::max(columns_, 1));
    auto nodeX = [&](size_t i) { return float(i % columns) * (kNodeWidth + kNodeGap); };
    auto nodeY = [&](size_t i) { return float(i / columns) * (kMaxNodeHeight + kRowGap); };

    // Light grid so that panning and zooming are visible even between nodes.
    const float grid = 40.f * zoom_;
    if (grid > 6.f) {
        const ImU32 gridColour = IM_COL32(255, 255, 255, 14);
        for (float x = std::fmod(panX_, grid); x < width; x += grid)
            draw->AddLine(ImVec2(x, 0), ImVec2(x, height), gridColour);
        for (float y = std::fmod(originY + panY_, grid); y < height; y += grid)
            draw->AddLine(ImVec2(0, y), ImVec2(width, y), gridColour);
    }

    const float fontSize = font->FontSize * zoom_;
    const bool drawText = fontSize >= 6.f;
    const us::analysis::LayerInfo* hoveredLayer = nullptr;
    for (size_t i = 0; i < layers_.size(); ++i) {
        const auto& layer = layers_[i];
        const float h = nodeHeight(layer);
        const float x = nodeX(i), y = nodeY(i);
        const ImVec2 a = toScreen(x, y - h / 2), b = toScreen(x + kNodeWidth, y + h / 2);
        if (i + 1 < layers_.size()) {
            const ImVec2 from = toScreen(x + kNodeWidth, y),
                         to = toScreen(nodeX(i + 1), nodeY(i + 1));
            const ImU32 linkColour = IM_COL32(200, 200, 210, 200);
            // Within a row the curve is flat; wrapping to the next row it swings back left.
            const float bend = std::max(std::fabs(to.x - from.x) / 2, kNodeGap * zoom_);
            draw->AddBezierCubic(from, ImVec2(from.x + bend, from.y), ImVec2(to.x - bend, to.y), to,
                                 linkColour, 2.f * zoom_);
            const float arrow = 7.f * zoom_;
            draw->AddTriangleFilled(to, ImVec2(to.x - arrow, to.y - arrow * 0.6f),
                                    ImVec2(to.x - arrow, to.y + arrow * 0.6f), linkColour);
        }
        if (b.x < 0 || a.x > width || b.y < 0 || a.y > height) continue;  // off screen
        const bool isHovered = ImGui::IsWindowHovered() && mouse.x >= a.x && mouse.x <= b.x &&
                               mouse.y >= a.y && mouse.y <= b.y;
        const ImU32 colour = typeColour(layer.type);
        draw->AddRectFilled(a, b, IM_COL32(34, 37, 44, 255), 6.f * zoom_);
        draw->AddRectFilled(a, ImVec2(b.x, a.y + 8.f * zoom_), colour, 6.f * zoom_,
                            ImDrawFlags_RoundCornersTop);
        const bool isSelected = layer.name == selectedLayer_;
        draw->AddRect(a, b, isHovered ? IM_COL32(255, 255, 255, 255) : colour, 6.f * zoom_, 0,
                      isHovered ? 2.5f : 1.5f);
        if (isSelected) {
            const float pad = 4.f * zoom_;
            draw->AddRect(ImVec2(a.x - pad, a.y - pad), ImVec2(b.x + pad, b.y + pad),
                          kSelectionColour, 8.f * zoom_, 0, 3.f);
            if (drawText)
                draw->AddText(font, fontSize, ImVec2(a.x, b.y + pad + 2.f * zoom_),
                              kSelectionColour, ("unit " + std::to_string(selectedIndex_)).c_str());
        }
        if (drawText) {
            const ImVec4 clip(a.x, a.y, b.x, b.y);
            float ty = a.y + 14.f * zoom_;
            const auto line = [&](const std::string& text, ImU32 col) {
                draw->AddText(font, fontSize, ImVec2(a.x + 8.f * zoom_, ty), col, text.c_str(),
                              nullptr, 0.f, &clip);
                ty += fontSize * 1.25f;
            };
            line(layer.name, IM_COL32(240, 240, 240, 255));
            line(layer.type, colour);
            line(shapeText(layer.outputShape), IM_COL32(180, 180, 190, 255));
        }
        if (isHovered) hoveredLayer = &layer;
    }

    draw->AddText(ImVec2(12, 10), IM_COL32(230, 230, 230, 255), title_.c_str());
    draw->AddText(ImVec2(12, 10 + ImGui::GetTextLineHeightWithSpacing()),
                  IM_COL32(140, 140, 150, 255),
                  "drag to pan, wheel to zoom, double-click to reset");
    if (hoveredLayer) {
        hovered_ = hoveredLayer->name;
        ImGui::BeginTooltip();
        ImGui::Text("%s (%s)", hoveredLayer->name.c_str(), hoveredLayer->type.c_str());
        ImGui::Text("output: %s", shapeText(hoveredLayer->outputShape).c_str());
        ImGui::Text("parameters: %lld", static_cast<long long>(hoveredLayer->parameterCount));
        ImGui::EndTooltip();
    }
    if (ImGui::IsWindowHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) resetView();
}

}  // namespace us::render
