#pragma once
// The attribution graph as the panel draws it, with Dear ImGui into the current window:
// bands of nodes (glyphs by type, size by magnitude), links coloured by sign and sized by
// their share of the target's input, the hovered and selected nodes' links on top, a hover
// card. Draws the state it is given; keeps only its own pan and zoom. Level of detail for
// big graphs: off-screen nodes and links are culled, faint links fade out as the view
// zooms out, and labels appear only when they are legible.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/attribution/graph_display.h"
#include "analysis/stimuli/image.h"
#include "render/graph/graph_layout.h"

namespace us::render {

// Why an automatic supernode's members belong together: their mean activation per concept;
// and whether its label beats shuffled probe labels.
struct SupernodeEvidence {
    std::vector<std::string> concepts;
    std::vector<std::vector<double>> values;  // members x concepts
    double similarity = 0;                    // the members' lowest pairwise cosine
    std::optional<double> labelP, labelQ;     // absent in graphs from before the null
    int permutations = 0;
    double chanceLevel = 0.05;
};

struct GraphScene {
    std::shared_ptr<const us::analysis::AttributionGraph> graph;
    us::analysis::GraphDisplay display;
    std::string title;
    std::string status;         // a line under the title: counts, thresholds, mode
    us::analysis::Image input;  // the input thumbnail, empty when the graph has none
    std::map<std::string, SupernodeEvidence> evidence;  // by supernode display id
};

struct NodeClick {
    std::size_t node = 0;  // display node index
    bool toggle = false;   // Ctrl held: pin / unpin
    bool extend = false;   // Shift held: add to (or take from) the selection
};

class AttributionPlot {
  public:
    // refit: frame the whole graph (a new graph); otherwise the view stays where it is.
    void setScene(GraphScene scene, bool refit);
    const GraphScene& scene() const { return scene_; }
    const GraphLayout& layout() const { return layout_; }
    bool empty() const { return !scene_.graph; }

    void setSelected(std::set<std::size_t> nodes) { selected_ = std::move(nodes); }
    // A unit node's top exemplars (and their activations) for its hover card.
    void setCardImages(std::string nodeId, std::vector<us::analysis::Image> images,
                       std::vector<double> values);
    const std::string& cardNodeId() const { return cardNode_; }
    // A line under the card's figures for one node (a unit's caption), or none.
    void setCardCaption(std::string nodeId, std::string caption);
    const std::string& cardCaption() const { return caption_; }

    // Draws into the current ImGui window; input is read from ImGui's IO.
    void draw(float width, float height, bool ctrlHeld, bool shiftHeld);
    // Centres the view on a display node.
    void centreOn(std::size_t node, float width, float height);
    std::optional<NodeClick> takeClick() { return std::exchange(click_, std::nullopt); }
    std::optional<std::size_t> hovered() const { return hovered_; }

    // The last frame's duration, rasterisation included: the number of links drawn adapts to
    // keep frames under ~11 ms (the strongest links are drawn first).
    void reportFrameTime(double milliseconds);
    std::size_t linksDrawn() const { return drawnLinks_; }
    std::size_t linkBudget() const { return linkBudget_; }

    // Screen position of a display node in the last frame (tests, screenshots).
    std::pair<float, float> screenPosition(std::size_t node) const;
    // pan x, pan y, zoom.
    std::vector<double> viewState() const { return {panX_, panY_, zoom_}; }
    void setViewState(const std::vector<double>& state);
    void releaseGl();

  private:
    void fit(float width, float height);
    void handlePanZoom();
    void drawLinks(float width, float height);
    void drawNodes(float width, float height);
    void drawBandNames(float height);
    void drawHoverCard(std::size_t node);
    void drawEvidence(const SupernodeEvidence& evidence);
    unsigned int inputTexture();
    void drawCardImages();

    GraphScene scene_;
    GraphLayout layout_;
    std::vector<std::size_t> linkOrder_;              // display links by share, the strongest first
    std::vector<std::vector<std::size_t>> incident_;  // per display node, its links
    std::size_t linkBudget_ = 20000;
    std::size_t drawnLinks_ = 0;
    std::set<std::size_t> selected_;
    std::optional<std::size_t> hovered_;
    std::optional<NodeClick> click_;
    float panX_ = 0, panY_ = 0, zoom_ = 1;
    bool fitPending_ = true;
    bool dragged_ = false;
    unsigned int texture_ = 0;
    bool textureStale_ = true;
    std::string cardNode_;  // whose exemplars the card textures show
    std::string captionNode_, caption_;
    std::vector<us::analysis::Image> cardImages_;
    std::vector<double> cardValues_;
    std::vector<unsigned int> cardTextures_;
    bool cardStale_ = false;
};

}  // namespace us::render
