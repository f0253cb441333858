// Reading circuit-tracer graph JSON with a SAX handler rather than a DOM: a graph's links
// (millions in big graphs) go straight into GraphLink values, so a 100 MB file opens in about
// a second. nlohmann's callback parser, the obvious way to enforce limits while parsing, scans
// its parent container on every closed object and is quadratic in the number of links.

#include <cfloat>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <unordered_map>

#include "analysis/attribution/attribution_graph.h"

namespace us::analysis {
namespace fs = std::filesystem;

namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxString = 1 << 20;
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(4) << 30;

class GraphError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

std::string describeNode(std::size_t index, const OrderedJson& node) {
    std::string text = "node " + std::to_string(index);
    if (node.is_object() && node.contains("node_id") && node["node_id"].is_string())
        text += " ('" + node["node_id"].get<std::string>() + "')";
    return text;
}

double finiteNumber(const OrderedJson& value, const std::string& what) {
    if (!value.is_number()) throw GraphError(what + " must be a number");
    const double v = value.get<double>();
    if (!std::isfinite(v) || std::abs(v) > double(FLT_MAX))
        throw GraphError(what + " is not a finite float32 number");
    return v;
}

std::optional<double> optionalNumber(const OrderedJson& object, const char* key,
                                     const std::string& where) {
    if (!object.contains(key) || object[key].is_null()) return std::nullopt;
    return finiteNumber(object[key], where + ": '" + key + "'");
}

void requireType(const OrderedJson& object, const char* key, bool (OrderedJson::*test)() const,
                 const char* type, const std::string& where, bool nullable = false) {
    if (!object.contains(key)) return;
    const auto& value = object[key];
    if (nullable && value.is_null()) return;
    if (!(value.*test)()) throw GraphError(where + ": '" + key + "' must be " + type);
}

GraphNode readNode(std::size_t index, OrderedJson json) {
    const std::string where = describeNode(index, json);
    if (!json.is_object()) throw GraphError(where + " is not an object");
    if (!json.contains("node_id") || !json["node_id"].is_string())
        throw GraphError(where + " has no string 'node_id'");
    if (!json.contains("feature_type") || !json["feature_type"].is_string())
        throw GraphError(where + " has no string 'feature_type'");
    requireType(json, "layer", &OrderedJson::is_primitive, "a string or number", where);
    requireType(json, "feature", &OrderedJson::is_number_integer, "an integer", where, true);
    requireType(json, "ctx_idx", &OrderedJson::is_number_integer, "an integer", where);
    requireType(json, "run_idx", &OrderedJson::is_number_integer, "an integer", where);
    requireType(json, "reverse_ctx_idx", &OrderedJson::is_number_integer, "an integer", where);
    requireType(json, "is_target_logit", &OrderedJson::is_boolean, "true or false", where);
    requireType(json, "jsNodeId", &OrderedJson::is_string, "a string", where);
    requireType(json, "clerp", &OrderedJson::is_string, "a string", where, true);
    GraphNode node;
    node.id = json["node_id"].get<std::string>();
    if (node.id.empty()) throw GraphError(where + " has an empty 'node_id'");
    node.featureType = json["feature_type"].get<std::string>();
    node.tokenProb = optionalNumber(json, "token_prob", where).value_or(0.0);
    node.isTargetLogit = json.value("is_target_logit", false);
    node.influence = optionalNumber(json, "influence", where);
    node.activation = optionalNumber(json, "activation", where);
    node.fields = std::move(json);
    return node;
}

void checkQParams(const OrderedJson& q) {
    if (q.contains("pinnedIds")) {
        const auto& pinned = q["pinnedIds"];
        if (!pinned.is_array()) throw GraphError("'qParams.pinnedIds' must be an array");
        for (const auto& id : pinned)
            if (!id.is_string()) throw GraphError("'qParams.pinnedIds' must hold strings");
    }
    if (q.contains("supernodes")) {
        const auto& groups = q["supernodes"];
        if (!groups.is_array()) throw GraphError("'qParams.supernodes' must be an array");
        for (const auto& group : groups) {
            if (!group.is_array() || group.empty())
                throw GraphError("each of 'qParams.supernodes' must be [label, ids...]");
            for (const auto& id : group)
                if (!id.is_string()) throw GraphError("'qParams.supernodes' must hold strings");
        }
    }
}

// Builds one JSON value from SAX events, the way nlohmann's own DOM parser does: pointers to
// open containers stay valid because a container gets no new siblings until it is closed.
class DomBuilder {
  public:
    void begin(OrderedJson& root) {
        root_ = &root;
        stack_.clear();
        slot_ = nullptr;
    }
    bool active() const { return root_ != nullptr; }
    // Returns true when the value completed the root.
    bool value(OrderedJson value) {
        place(std::move(value));
        return finishedIfEmpty();
    }
    void open(OrderedJson container) { stack_.push_back(place(std::move(container))); }
    void key(std::string& key) { slot_ = &(*stack_.back())[key]; }
    bool close() {
        stack_.pop_back();
        return finishedIfEmpty();
    }

  private:
    OrderedJson* place(OrderedJson value) {
        if (stack_.empty()) {
            *root_ = std::move(value);
            return root_;
        }
        if (stack_.back()->is_array()) {
            stack_.back()->push_back(std::move(value));
            return &stack_.back()->back();
        }
        *slot_ = std::move(value);
        return slot_;
    }
    bool finishedIfEmpty() {
        if (!stack_.empty()) return false;
        root_ = nullptr;
        return true;
    }

    OrderedJson* root_ = nullptr;
    std::vector<OrderedJson*> stack_;
    OrderedJson* slot_ = nullptr;
};

struct PendingLink {
    std::optional<std::uint32_t> source, target;  // interned endpoint names
    std::optional<OrderedJson> weight;
    OrderedJson extraFields;
};

// SAX events, by where they occur: depth 1 is the root object's members; the members of
// "nodes" and "links" are at depth 2, a link's fields at depth 3.
class GraphSax : public nlohmann::json_sax<OrderedJson> {
  public:
    AttributionGraph graph;
    std::vector<OrderedJson> nodeJson;
    std::vector<PendingLink> links;
    std::vector<std::string> endpointNames;
    bool sawNodes = false, sawLinks = false;

    bool null() override { return primitive(OrderedJson(nullptr)); }
    bool boolean(bool v) override { return primitive(OrderedJson(v)); }
    bool number_integer(number_integer_t v) override { return primitive(OrderedJson(v)); }
    bool number_unsigned(number_unsigned_t v) override { return primitive(OrderedJson(v)); }
    bool number_float(number_float_t v, const string_t&) override {
        return primitive(OrderedJson(v));
    }
    bool string(string_t& v) override {
        checkLength(v);
        if (inLinkField() && (field_ == "source" || field_ == "target")) {
            auto& end = field_ == "source" ? links.back().source : links.back().target;
            end = intern(v);
            return true;
        }
        return primitive(OrderedJson(std::move(v)));
    }
    bool binary(binary_t&) override { throw GraphError("holds binary data"); }
    bool start_object(std::size_t) override { return open(true); }
    bool start_array(std::size_t) override { return open(false); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool key(string_t& k) override {
        checkLength(k);
        if (depth_ == 1) {
            top_ = k;
        } else if (inLink()) {
            field_ = k;
            if (k != "source" && k != "target" && k != "weight") {
                auto& extra = links.back().extraFields;
                if (extra.is_null()) extra = OrderedJson::object();
                dom_.begin(extra[k]);
            }
        } else {
            dom_.key(k);
        }
        return true;
    }
    bool parse_error(std::size_t, const std::string&,
                     const nlohmann::detail::exception& e) override {
        throw GraphError(std::string("is not valid JSON (") + e.what() + ")");
    }

  private:
    bool inLink() const { return depth_ == 3 && top_ == "links" && !dom_.active(); }
    bool inLinkField() const { return inLink() && !field_.empty(); }
    std::string linkWhere() const { return "link " + std::to_string(links.size() - 1); }

    static void checkLength(const std::string& text) {
        if (text.size() > kMaxString) throw GraphError("holds a string longer than 1 MiB");
    }

    std::uint32_t intern(std::string& name) {
        const auto [it, added] =
            endpoints_.try_emplace(std::move(name), std::uint32_t(endpointNames.size()));
        if (added) endpointNames.push_back(it->first);
        return it->second;
    }

    bool primitive(OrderedJson value) {
        if (depth_ == 0) throw GraphError("is not a JSON object");
        if (inLinkField()) {
            if (field_ == "weight") {
                links.back().weight = std::move(value);
                return true;
            }
            throw GraphError(linkWhere() + " has no string '" + field_ + "'");
        }
        if (dom_.active()) {
            if (dom_.value(std::move(value))) field_.clear();
            return true;
        }
        // A primitive member of the root, or a primitive element of "nodes" or "links".
        if (depth_ == 1) {
            if (top_ == "nodes" || top_ == "links") throw GraphError("has no '" + top_ + "' array");
            dom_.begin(rootMember());
            dom_.value(std::move(value));
        } else if (top_ == "nodes") {
            nodeJson.push_back(std::move(value));
        } else {
            throw GraphError("link " + std::to_string(links.size()) + " is not an object");
        }
        return true;
    }

    // Containers are made only where a DOM is being built: links need none.
    bool open(bool isObject) {
        const auto container = [isObject] {
            return isObject ? OrderedJson::object() : OrderedJson::array();
        };
        if (inLinkField()) {  // a container where source, target or weight belongs
            if (field_ == "weight") throw GraphError(linkWhere() + ": 'weight' must be a number");
            throw GraphError(linkWhere() + " has no string '" + field_ + "'");
        }
        if (++depth_ > kMaxDepth + 1)
            throw GraphError("nested deeper than " + std::to_string(kMaxDepth));
        if (depth_ == 1) {
            if (!isObject) throw GraphError("is not a JSON object");
            return true;
        }
        if (dom_.active()) {
            dom_.open(container());
            return true;
        }
        if (depth_ == 2) {
            if (top_ == "nodes" || top_ == "links") {
                if (isObject) throw GraphError("has no '" + top_ + "' array");
                (top_ == "nodes" ? sawNodes : sawLinks) = true;
                return true;
            }
            dom_.begin(rootMember());
        } else if (depth_ == 3 && top_ == "nodes") {
            nodeJson.emplace_back();
            dom_.begin(nodeJson.back());
        } else if (depth_ == 3) {  // a link
            if (!isObject)
                throw GraphError("link " + std::to_string(links.size()) + " is not an object");
            links.emplace_back();
            field_.clear();
            return true;
        }
        dom_.open(container());
        return true;
    }

    bool close() {
        if (dom_.active()) {
            if (dom_.close()) field_.clear();
        } else if (depth_ == 3 && top_ == "links") {
            field_.clear();
        }
        --depth_;
        return true;
    }

    OrderedJson& rootMember() {
        if (top_ == "metadata") return graph.metadata;
        if (top_ == "qParams") return graph.qParams;
        return graph.otherFields[top_];
    }

    int depth_ = 0;
    std::string top_;    // the root member being read
    std::string field_;  // the link field being read
    DomBuilder dom_;
    std::unordered_map<std::string, std::uint32_t> endpoints_;
};

// Characters of the text for the parser, reporting progress (and polling for cancel) every
// 4 MiB, so that a big file's parse shows progress and can be stopped.
class ProgressIterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    ProgressIterator(const char* at, const std::string& text, const JobContext& job)
        : at_(at), text_(&text), job_(&job) {}
    reference operator*() const { return *at_; }
    ProgressIterator& operator++() {
        if ((std::size_t(++at_ - text_->data()) & kStepMask) == 0) {
            job_->checkCancelled();
            job_->report(0.8 * double(at_ - text_->data()) / double(text_->size()),
                         "reading the graph");
        }
        return *this;
    }
    bool operator==(const ProgressIterator& other) const { return at_ == other.at_; }

  private:
    static constexpr std::size_t kStepMask = (std::size_t(4) << 20) - 1;
    const char* at_;
    const std::string* text_;
    const JobContext* job_;
};

AttributionGraph assemble(GraphSax& sax) {
    for (const char* key : {"nodes", "links"})
        if (!(std::string(key) == "nodes" ? sax.sawNodes : sax.sawLinks))
            throw GraphError(std::string("has no '") + key + "' array");
    AttributionGraph graph = std::move(sax.graph);
    for (const char* key : {"metadata", "qParams"}) {
        auto& member = std::string(key) == "metadata" ? graph.metadata : graph.qParams;
        if (member.is_null()) member = OrderedJson::object();
        if (!member.is_object()) throw GraphError(std::string("'") + key + "' must be an object");
    }
    checkQParams(graph.qParams);

    std::unordered_map<std::string, std::size_t> index;
    graph.nodes.reserve(sax.nodeJson.size());
    for (std::size_t i = 0; i < sax.nodeJson.size(); ++i) {
        auto node = readNode(i, std::move(sax.nodeJson[i]));
        if (!index.emplace(node.id, i).second)
            throw GraphError("has two nodes with the id '" + node.id + "'");
        graph.nodes.push_back(std::move(node));
    }
    sax.nodeJson.clear();
    // Endpoint names to node indices, once per distinct name rather than once per link.
    constexpr std::size_t kUnknown = std::size_t(-1);
    std::vector<std::size_t> nodeOf(sax.endpointNames.size(), kUnknown);
    for (std::size_t e = 0; e < nodeOf.size(); ++e)
        if (const auto found = index.find(sax.endpointNames[e]); found != index.end())
            nodeOf[e] = found->second;
    graph.links.reserve(sax.links.size());
    for (std::size_t i = 0; i < sax.links.size(); ++i) {
        auto& pending = sax.links[i];
        const std::string where = "link " + std::to_string(i);
        GraphLink link;
        for (const char* end : {"source", "target"}) {
            const bool isSource = std::string(end) == "source";
            const auto& name = isSource ? pending.source : pending.target;
            if (!name) throw GraphError(where + " has no string '" + end + "'");
            if (nodeOf[*name] == kUnknown)
                throw GraphError(where + "'s " + end + " '" + sax.endpointNames[*name] +
                                 "' is not a node");
            (isSource ? link.source : link.target) = nodeOf[*name];
        }
        if (!pending.weight) throw GraphError(where + " has no 'weight'");
        link.weight = finiteNumber(*pending.weight, where + ": 'weight'");
        link.extraFields = std::move(pending.extraFields);
        graph.links.push_back(std::move(link));
    }
    return graph;
}

}  // namespace

AttributionGraph parseAttributionGraph(const std::string& text, const std::string& origin,
                                       const JobContext& job) {
    try {
        GraphSax sax;
        sax.links.reserve(text.size() / 80);  // a link takes 60-100 characters
        try {
            const char* begin = text.data();
            OrderedJson::sax_parse(ProgressIterator(begin, text, job),
                                   ProgressIterator(begin + text.size(), text, job), &sax);
        } catch (const OrderedJson::exception& error) {
            throw GraphError(std::string("is not valid JSON (") + error.what() + ")");
        }
        job.report(0.8, "checking nodes and links");
        return assemble(sax);
    } catch (const GraphError& error) {
        throw std::runtime_error("graph '" + origin + "' " + error.what());
    }
}

AttributionGraph readAttributionGraph(const fs::path& path, const JobContext& job) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw std::runtime_error("graph file not found: '" + path.string() + "'");
    const auto size = fs::file_size(path, ec);
    if (ec) throw std::runtime_error("cannot read graph '" + path.string() + "'");
    if (size > kMaxFileBytes)
        throw std::runtime_error("graph '" + path.string() + "' is larger than 4 GiB");
    std::ifstream in(path, std::ios::binary);
    std::string text(size, '\0');
    in.read(text.data(), std::streamsize(size));
    if (!in || in.gcount() != std::streamsize(size))
        throw std::runtime_error("cannot read graph '" + path.string() + "'");
    return parseAttributionGraph(text, path.string(), job);
}

}  // namespace us::analysis
