#include "render/graph/attribution_plot.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#if defined(__APPLE__)
#include <OpenGL/gl.h>
#else
#if defined(_WIN32)
#include <windows.h>
#endif
#include <GL/gl.h>
#endif

namespace us::render {
namespace {

using us::analysis::DisplayKind;

constexpr float kMinZoom = 0.02f, kMaxZoom = 8.f;
constexpr std::size_t kMinLinkBudget = 300;  // links drawn per frame at least, strongest first
constexpr float kLeftMargin = 96.f, kTopMargin = 56.f, kMargin = 24.f;
// Link colours as the anchors draw them: green excites, purple inhibits.
constexpr ImU32 kPositive = IM_COL32(46, 160, 67, 255);
constexpr ImU32 kNegative = IM_COL32(150, 70, 200, 255);
constexpr ImU32 kUnitColour = IM_COL32(244, 178, 88, 255);
constexpr ImU32 kErrorColour = IM_COL32(150, 150, 160, 255);
constexpr ImU32 kLogitColour = IM_COL32(235, 87, 87, 255);
constexpr ImU32 kSupernodeColour = IM_COL32(90, 160, 230, 255);
constexpr ImU32 kSelectedColour = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kPinnedColour = IM_COL32(80, 220, 255, 255);

ImU32 withAlpha(ImU32 colour, float alpha) {
    const auto a = static_cast<ImU32>(std::clamp(alpha, 0.f, 255.f));
    return (colour & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

const char* kindName(DisplayKind kind) {
    switch (kind) {
        case DisplayKind::Unit: return "unit";
        case DisplayKind::Error: return "error";
        case DisplayKind::Input: return "input";
        case DisplayKind::Logit: return "target";
        case DisplayKind::Supernode: return "supernode";
    }
    return "";
}

std::string shortDump(const us::analysis::OrderedJson& value) {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (text.size() > 70) text = text.substr(0, 67) + "...";
    return text;
}

}  // namespace

void AttributionPlot::setScene(GraphScene scene, bool refit) {
    const bool newImage = scene.input.pixels != scene_.input.pixels;
    scene_ = std::move(scene);
    layout_ = layoutGraph(scene_.display);
    linkOrder_.resize(scene_.display.links.size());
    std::iota(linkOrder_.begin(), linkOrder_.end(), std::size_t(0));
    std::stable_sort(linkOrder_.begin(), linkOrder_.end(), [&](std::size_t a, std::size_t b) {
        return scene_.display.links[a].share > scene_.display.links[b].share;
    });
    incident_.assign(scene_.display.nodes.size(), {});
    for (std::size_t l = 0; l < scene_.display.links.size(); ++l) {
        incident_[scene_.display.links[l].source].push_back(l);
        incident_[scene_.display.links[l].target].push_back(l);
    }
    if (refit) fitPending_ = true;
    if (newImage) textureStale_ = true;
    hovered_.reset();
    std::erase_if(selected_, [&](std::size_t i) { return i >= scene_.display.nodes.size(); });
}

void AttributionPlot::setViewState(const std::vector<double>& state) {
    if (state.size() != 3 || !std::isfinite(state[0]) || !std::isfinite(state[1]) ||
        !std::isfinite(state[2]))
        return;
    panX_ = float(state[0]);
    panY_ = float(state[1]);
    zoom_ = std::clamp(float(state[2]), kMinZoom, kMaxZoom);
    fitPending_ = false;
}

std::pair<float, float> AttributionPlot::screenPosition(std::size_t node) const {
    const auto& place = layout_.nodes.at(node);
    return {panX_ + place.x * zoom_, panY_ + place.y * zoom_};
}

void AttributionPlot::fit(float width, float height) {
    fitPending_ = false;
    const float contentWidth = std::max(1.f, layout_.right - layout_.left);
    const float contentHeight = std::max(1.f, layout_.bottom - layout_.top + 30.f);
    const float usableWidth = std::max(1.f, width - kLeftMargin - kMargin);
    const float usableHeight = std::max(1.f, height - kTopMargin - kMargin);
    zoom_ = std::clamp(std::min(usableWidth / contentWidth, usableHeight / contentHeight), kMinZoom,
                       2.f);
    panX_ = kLeftMargin + (usableWidth - contentWidth * zoom_) / 2 - layout_.left * zoom_;
    panY_ = kTopMargin + (usableHeight - contentHeight * zoom_) / 2 - layout_.top * zoom_;
}

void AttributionPlot::handlePanZoom() {
    const ImGuiIO& io = ImGui::GetIO();
    if (!ImGui::IsWindowHovered()) return;
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) dragged_ = false;
    if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.f) ||
        ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.f)) {
        dragged_ = true;
        panX_ += io.MouseDelta.x;
        panY_ += io.MouseDelta.y;
    }
    if (io.MouseWheel != 0.f) {
        // Zoom about the cursor: the world point under it stays put.
        const float worldX = (io.MousePos.x - panX_) / zoom_;
        const float worldY = (io.MousePos.y - panY_) / zoom_;
        zoom_ = std::clamp(zoom_ * std::pow(1.15f, io.MouseWheel), kMinZoom, kMaxZoom);
        panX_ = io.MousePos.x - worldX * zoom_;
        panY_ = io.MousePos.y - worldY * zoom_;
    }
}

void AttributionPlot::centreOn(std::size_t node, float width, float height) {
    if (node >= layout_.nodes.size()) return;
    fitPending_ = false;
    zoom_ = std::max(zoom_, 1.f);
    panX_ = width / 2 - layout_.nodes[node].x * zoom_;
    panY_ = height / 2 - layout_.nodes[node].y * zoom_;
}

void AttributionPlot::draw(float width, float height, bool ctrlHeld, bool shiftHeld) {
    if (empty()) return;
    if (fitPending_) fit(width, height);
    handlePanZoom();

    // The node under the mouse: the nearest whose glyph contains it.
    hovered_.reset();
    if (ImGui::IsWindowHovered()) {
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        float best = 1e30f;
        for (std::size_t i = 0; i < layout_.nodes.size(); ++i) {
            const auto [x, y] = screenPosition(i);
            const float reach = layout_.nodes[i].radius * zoom_ + 3.f;
            const float dx = mouse.x - x, dy = mouse.y - y;
            if (std::abs(dx) > reach || std::abs(dy) > reach) continue;
            const float d = dx * dx + dy * dy;
            if (d < best) best = d, hovered_ = i;
        }
    }
    if (hovered_ && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && !dragged_)
        click_ = NodeClick{*hovered_, ctrlHeld, shiftHeld};
    if (!hovered_ && ImGui::IsWindowHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
        fitPending_ = true;

    drawLinks(width, height);
    drawNodes(width, height);
    drawBandNames(height);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddText(ImVec2(12, 8), IM_COL32(230, 230, 230, 255), scene_.title.c_str());
    draw->AddText(ImVec2(12, 8 + ImGui::GetTextLineHeightWithSpacing()),
                  IM_COL32(150, 150, 160, 255), scene_.status.c_str());
    if (drawnLinks_ >= linkBudget_ && linkBudget_ < scene_.display.links.size()) {
        const std::string lod = "drawing the strongest " + std::to_string(drawnLinks_) +
                                " links to keep panning smooth; zoom in or prune for more";
        draw->AddText(ImVec2(12, 8 + 2 * ImGui::GetTextLineHeightWithSpacing()),
                      IM_COL32(200, 170, 90, 255), lod.c_str());
    }
    if (hovered_) drawHoverCard(*hovered_);
}

void AttributionPlot::reportFrameTime(double milliseconds) {
    // Keep frames under ~11 ms: fewer links when slower, more (up to all) when there is room.
    const auto total = scene_.display.links.size();
    if (milliseconds > 11.0)
        linkBudget_ = std::max<std::size_t>(kMinLinkBudget, std::size_t(double(linkBudget_) * 0.7));
    else if (milliseconds < 8.0)
        linkBudget_ = std::min<std::size_t>(std::max<std::size_t>(total, kMinLinkBudget),
                                            std::size_t(double(linkBudget_) * 1.3) + 100);
}

void AttributionPlot::drawLinks(float width, float height) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const auto& links = scene_.display.links;
    // The hovered and selected nodes' links, drawn on top of the rest.
    std::set<std::size_t> focusNodes = selected_;
    if (hovered_) focusNodes.insert(*hovered_);
    std::set<std::size_t> onTop;
    for (auto node : focusNodes)
        onTop.insert(incident_.at(node).begin(), incident_.at(node).end());
    const bool focus = !focusNodes.empty();
    const float widthScale = std::clamp(zoom_, 0.35f, 1.5f);
    const auto visible = [&](float ax, float ay, float bx, float by) {
        return !(std::max(ax, bx) < 0 || std::min(ax, bx) > width || std::max(ay, by) < 0 ||
                 std::min(ay, by) > height);
    };
    // The strongest links first, up to a budget that adapts to the frame time: beyond some
    // thousands of links a view is a hairball, and a software rasteriser spends its frame
    // filling them. Thin links are drawn without anti-aliasing, a third of the fill.
    const ImDrawListFlags flags = draw->Flags;
    drawnLinks_ = 0;
    for (const auto l : linkOrder_) {
        if (drawnLinks_ >= linkBudget_) break;
        if (focus && onTop.count(l)) continue;
        const auto& link = links[l];
        const auto [ax, ay] = screenPosition(link.source);
        const auto [bx, by] = screenPosition(link.target);
        if (!visible(ax, ay, bx, by)) continue;
        const float share = float(link.share);
        // Faint links fade as the view zooms out, so a big graph stays readable and cheap.
        float alpha = (40.f + 215.f * share) * std::min(1.f, zoom_ * (0.3f + 8.f * share));
        if (focus) alpha *= 0.3f;
        if (alpha < 3.f) break;  // alpha grows with the share: every later link is fainter
        const float thickness = (0.6f + 4.5f * share) * widthScale;
        draw->Flags = thickness > 1.5f ? flags : (flags & ~ImDrawListFlags_AntiAliasedLines);
        draw->AddLine(ImVec2(ax, ay), ImVec2(bx, by),
                      withAlpha(link.weight >= 0 ? kPositive : kNegative, alpha), thickness);
        ++drawnLinks_;
    }
    draw->Flags = flags;
    for (auto l : onTop) {
        const auto& link = links[l];
        const auto [ax, ay] = screenPosition(link.source);
        const auto [bx, by] = screenPosition(link.target);
        if (!visible(ax, ay, bx, by)) continue;
        draw->AddLine(ImVec2(ax, ay), ImVec2(bx, by), link.weight >= 0 ? kPositive : kNegative,
                      (1.2f + 6.f * float(link.share)) * widthScale);
    }
}

void AttributionPlot::setCardImages(std::string nodeId, std::vector<us::analysis::Image> images,
                                    std::vector<double> values) {
    cardNode_ = std::move(nodeId);
    cardImages_ = std::move(images);
    cardValues_ = std::move(values);
    cardStale_ = true;
}

namespace {

// An 8-bit grey or RGB image as an RGBA texture of the current context.
void uploadTexture(unsigned int texture, const us::analysis::Image& image, int magFilter) {
    std::vector<std::uint8_t> rgba(std::size_t(image.width) * std::size_t(image.height) * 4);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            auto* out = &rgba[(std::size_t(y) * std::size_t(image.width) + std::size_t(x)) * 4];
            for (int c = 0; c < 3; ++c)
                out[c] = image.at(x, y, image.channels == 3 ? c : 0);
            out[3] = 255;
        }
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, magFilter);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, image.width, image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 rgba.data());
}

}  // namespace

// The hovered unit's top exemplars in a row, each with its activation.
void AttributionPlot::setCardCaption(std::string nodeId, std::string caption) {
    captionNode_ = std::move(nodeId);
    caption_ = std::move(caption);
}

void AttributionPlot::drawCardImages() {
    if (cardStale_) {
        cardStale_ = false;
        if (!cardTextures_.empty())
            glDeleteTextures(GLsizei(cardTextures_.size()), cardTextures_.data());
        cardTextures_.assign(cardImages_.size(), 0);
        if (!cardTextures_.empty())
            glGenTextures(GLsizei(cardTextures_.size()), cardTextures_.data());
        for (std::size_t i = 0; i < cardImages_.size(); ++i)
            if (!cardImages_[i].pixels.empty())
                uploadTexture(cardTextures_[i], cardImages_[i], GL_NEAREST);
    }
    if (cardTextures_.empty()) return;
    ImGui::Separator();
    ImGui::TextDisabled("top exemplars");
    constexpr float kSize = 44.f;
    for (std::size_t i = 0; i < cardTextures_.size(); ++i) {
        if (i) ImGui::SameLine();
        ImGui::BeginGroup();
        ImGui::Image(reinterpret_cast<ImTextureID>(std::intptr_t(cardTextures_[i])),
                     ImVec2(kSize, kSize));
        ImGui::Text("%.3g", i < cardValues_.size() ? cardValues_[i] : 0.0);
        ImGui::EndGroup();
    }
}

unsigned int AttributionPlot::inputTexture() {
    if (!textureStale_) return texture_;
    textureStale_ = false;
    const auto& image = scene_.input;
    if (image.pixels.empty()) return texture_;
    if (texture_ == 0) glGenTextures(1, &texture_);
    uploadTexture(texture_, image, GL_NEAREST);
    return texture_;
}

void AttributionPlot::releaseGl() {
    if (texture_ != 0) glDeleteTextures(1, &texture_);
    texture_ = 0;
    textureStale_ = true;
    if (!cardTextures_.empty())
        glDeleteTextures(GLsizei(cardTextures_.size()), cardTextures_.data());
    cardTextures_.clear();
    cardStale_ = !cardImages_.empty();
}

void AttributionPlot::drawNodes(float width, float height) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const float fontSize = std::min(font->FontSize, font->FontSize * zoom_ * 1.2f);
    const bool labels = fontSize >= 8.f && kNodePitch * zoom_ >= 40.f;
    const unsigned int texture = inputTexture();
    const auto& nodes = scene_.display.nodes;
    const ImDrawListFlags flags = draw->Flags;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto& node = nodes[i];
        const auto [x, y] = screenPosition(i);
        const float r = std::max(1.5f, layout_.nodes[i].radius * zoom_);
        if (x + r < 0 || x - r > width || y + r < 0 || y - r > height) continue;  // culled
        const ImVec2 a(x - r, y - r), b(x + r, y + r);
        if (r < 3.f && !selected_.count(i) && !node.pinned) {  // a dot: a plain square is cheaper
            draw->Flags &= ~ImDrawListFlags_AntiAliasedFill;
            draw->AddRectFilled(a, b,
                                node.kind == DisplayKind::Unit    ? kUnitColour
                                : node.kind == DisplayKind::Logit ? kLogitColour
                                                                  : kErrorColour);
            draw->Flags = flags;
            continue;
        }
        switch (node.kind) {
            case DisplayKind::Input: {
                if (texture != 0 && node.patchRow >= 0 && node.patchGrid > 0) {
                    const auto grid = float(node.patchGrid);
                    const auto row = float(node.patchRow), column = float(node.patchColumn);
                    draw->AddImage(reinterpret_cast<ImTextureID>(std::intptr_t(texture)), a, b,
                                   ImVec2(column / grid, row / grid),
                                   ImVec2((column + 1) / grid, (row + 1) / grid));
                } else {
                    draw->AddRectFilled(a, b, IM_COL32(90, 90, 100, 255));
                }
                draw->AddRect(a, b, IM_COL32(200, 200, 210, 255));
                break;
            }
            case DisplayKind::Logit:
                draw->AddRectFilled(ImVec2(x - 2 * r, y - r), ImVec2(x + 2 * r, y + r),
                                    kLogitColour, 4.f);
                break;
            case DisplayKind::Supernode:
                draw->AddRectFilled(ImVec2(x - 2 * r, y - r), ImVec2(x + 2 * r, y + r),
                                    kSupernodeColour, 6.f);
                break;
            case DisplayKind::Error:
                draw->AddQuadFilled(ImVec2(x, y - r), ImVec2(x + r, y), ImVec2(x, y + r),
                                    ImVec2(x - r, y), kErrorColour);
                break;
            case DisplayKind::Unit:
                draw->AddCircleFilled(ImVec2(x, y), r, kUnitColour, r > 6 ? 20 : 8);
                break;
        }
        const bool wide = node.kind == DisplayKind::Logit || node.kind == DisplayKind::Supernode;
        const float rx = wide ? 2 * r : r;
        if (node.pinned)
            draw->AddTriangleFilled(ImVec2(x + rx - 1, y - r - 7), ImVec2(x + rx + 6, y - r - 7),
                                    ImVec2(x + rx + 2.5f, y - r), kPinnedColour);
        if (selected_.count(i) || (hovered_ && *hovered_ == i))
            draw->AddRect(ImVec2(x - rx - 3, y - r - 3), ImVec2(x + rx + 3, y + r + 3),
                          selected_.count(i) ? kSelectedColour : IM_COL32(255, 255, 255, 140), 4.f,
                          0, selected_.count(i) ? 2.5f : 1.5f);
        if (wide && fontSize >= 6.f) {
            const std::string text =
                node.kind == DisplayKind::Supernode
                    ? node.label + " (" + std::to_string(node.members.size()) + ")"
                    : node.label;
            const float half = kWidePitch * zoom_ / 2 - 2;
            const ImVec4 clip(x - half, y - r - 20, x + half, y + r + 30);
            const ImVec2 size = font->CalcTextSizeA(fontSize, FLT_MAX, 0.f, text.c_str());
            draw->AddText(font, fontSize, ImVec2(std::max(x - half, x - size.x / 2), y + r + 2),
                          IM_COL32(235, 235, 235, 255), text.c_str(), nullptr, 0.f, &clip);
        } else if (labels && node.kind != DisplayKind::Input) {
            const float half = kNodePitch * zoom_ / 2;
            const ImVec4 clip(x - half, y + r, x + half, y + r + 2 * fontSize + 4);
            draw->AddText(font, fontSize, ImVec2(x - half + 1, y + r + 2),
                          IM_COL32(210, 210, 215, 255), node.label.c_str(), nullptr, 2 * half - 2,
                          &clip);
        }
    }
}

void AttributionPlot::drawBandNames(float height) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const auto& names = scene_.display.bandNames;
    for (std::size_t b = 0; b < layout_.bandY.size() && b < names.size(); ++b) {
        const float y = panY_ + layout_.bandY[b] * zoom_;
        if (!std::isfinite(y) || y < kTopMargin - 10 || y > height) continue;
        const ImVec4 clip(0, y - 20, kLeftMargin - 6, y + 20);
        draw->AddRectFilled(ImVec2(0, y - 9), ImVec2(kLeftMargin - 6, y + 9),
                            IM_COL32(30, 32, 38, 220));
        draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(6, y - 8),
                      IM_COL32(170, 170, 180, 255), names[b].c_str(), nullptr, 0.f, &clip);
    }
    // Prompt tokens under their columns.
    const auto& tokens = scene_.display.columnNames;
    float bottom = -std::numeric_limits<float>::infinity();
    for (float bandY : layout_.bandY)
        if (std::isfinite(bandY)) bottom = std::max(bottom, bandY);
    if (!std::isfinite(bottom)) return;
    const float y = panY_ + (bottom + kBandGap * 0.45f) * zoom_;
    for (std::size_t c = 0; c < layout_.columnX.size() && c < tokens.size(); ++c) {
        const float x = panX_ + layout_.columnX[c] * zoom_;
        const ImVec2 size = ImGui::CalcTextSize(tokens[c].c_str());
        draw->AddText(ImVec2(x - size.x / 2, y), IM_COL32(220, 220, 160, 255), tokens[c].c_str());
    }
}

// A members x concepts heat map, each member's row scaled to its own range (what matters is
// which concepts a member prefers), the concept the group prefers named underneath.
void AttributionPlot::drawEvidence(const SupernodeEvidence& evidence) {
    if (evidence.values.empty() || evidence.concepts.empty()) return;
    ImGui::Separator();
    ImGui::TextDisabled("evidence: mean activation per concept (rows: members)");
    constexpr float kCell = 12.f;
    const auto rows = std::min<std::size_t>(evidence.values.size(), 12);
    const auto columns = evidence.concepts.size();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    std::vector<double> columnMeans(columns, 0.0);
    for (std::size_t r = 0; r < rows; ++r) {
        const auto& row = evidence.values[r];
        if (row.size() != columns) continue;
        const auto [low, high] = std::minmax_element(row.begin(), row.end());
        const double range = std::max(*high - *low, 1e-12);
        for (std::size_t c = 0; c < columns; ++c) {
            const float t = float((row[c] - *low) / range);
            columnMeans[c] += t;
            // Dark blue (least) to yellow (most).
            const ImU32 colour =
                IM_COL32(int(30 + 220 * t), int(40 + 180 * t), int(110 - 70 * t), 255);
            const ImVec2 a(origin.x + float(c) * kCell, origin.y + float(r) * kCell);
            draw->AddRectFilled(a, ImVec2(a.x + kCell - 1, a.y + kCell - 1), colour);
        }
    }
    ImGui::Dummy(ImVec2(float(columns) * kCell, float(rows) * kCell));
    const auto best =
        std::size_t(std::max_element(columnMeans.begin(), columnMeans.end()) - columnMeans.begin());
    ImGui::Text("prefers: %s (column %zu of %zu)", evidence.concepts[best].c_str(), best + 1,
                columns);
    if (evidence.labelP && evidence.labelQ) {
        const bool chance = *evidence.labelQ > evidence.chanceLevel;
        ImGui::Text("label vs %d shuffled probe labels: p %.2g, q %.2g", evidence.permutations,
                    *evidence.labelP, *evidence.labelQ);
        ImGui::TextColored(chance ? ImVec4(0.6f, 0.6f, 0.6f, 1) : ImVec4(0.35f, 0.85f, 0.45f, 1),
                           "%s", chance ? "could be chance" : "beyond chance");
    }
}

void AttributionPlot::drawHoverCard(std::size_t index) {
    const auto& node = scene_.display.nodes.at(index);
    const auto& graph = *scene_.graph;
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(node.label.c_str());
    ImGui::TextDisabled("%s  %s  band %s", kindName(node.kind), node.id.c_str(),
                        scene_.display.bandNames.at(std::size_t(node.band)).c_str());
    if (node.kind == DisplayKind::Supernode) {
        ImGui::Text("%zu members, attribution %.4g", node.members.size(), node.attribution);
        for (std::size_t k = 0; k < node.members.size() && k < 8; ++k)
            ImGui::BulletText("%s", graph.nodes.at(node.members[k]).id.c_str());
        if (node.members.size() > 8) ImGui::TextDisabled("...");
        if (const auto it = scene_.evidence.find(node.id); it != scene_.evidence.end())
            drawEvidence(it->second);
    } else {
        const auto& source = graph.nodes.at(node.members.front());
        if (source.activation) ImGui::Text("activation %.4g", *source.activation);
        if (source.fields.contains("attribution") && source.fields["attribution"].is_number())
            ImGui::Text("attribution %.4g", source.fields["attribution"].get<double>());
        if (source.influence) ImGui::Text("influence %.4g", *source.influence);
        if (node.id == captionNode_ && !caption_.empty()) ImGui::TextUnformatted(caption_.c_str());
        if (node.id == cardNode_) drawCardImages();
    }
    // Strongest inputs and outputs among the shown links.
    std::vector<const us::analysis::DisplayLink*> in, out;
    for (const auto& link : scene_.display.links) {
        if (link.target == index) in.push_back(&link);
        if (link.source == index) out.push_back(&link);
    }
    const auto list = [&](const char* title, std::vector<const us::analysis::DisplayLink*>& links,
                          bool inputs) {
        if (links.empty()) return;
        std::sort(links.begin(), links.end(),
                  [](auto* a, auto* b) { return std::abs(a->weight) > std::abs(b->weight); });
        ImGui::Separator();
        ImGui::TextDisabled("%s", title);
        for (std::size_t k = 0; k < links.size() && k < 5; ++k) {
            const auto& other =
                scene_.display.nodes.at(inputs ? links[k]->source : links[k]->target);
            ImGui::TextColored(links[k]->weight >= 0 ? ImVec4(0.30f, 0.75f, 0.38f, 1)
                                                     : ImVec4(0.70f, 0.45f, 0.90f, 1),
                               "%+.3g", links[k]->weight);
            ImGui::SameLine();
            ImGui::TextUnformatted(other.label.c_str());
        }
    };
    list("strongest inputs", in, true);
    list("strongest outputs", out, false);
    // Every field of an imported node (Unitscope's own are summarised above).
    if (node.kind != DisplayKind::Supernode && graph.metadata.value("scan", "") != "unitscope") {
        const auto& fields = graph.nodes.at(node.members.front()).fields;
        ImGui::Separator();
        for (const auto& [key, value] : fields.items())
            ImGui::TextDisabled("%s: %s", key.c_str(), shortDump(value).c_str());
    }
    ImGui::EndTooltip();
}

}  // namespace us::render
