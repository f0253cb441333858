// Parsing and naming of activation-maximisation objectives.

#include <stdexcept>

#include "analysis/core/npy.h"
#include "analysis/core/text_parsing.h"
#include "analysis/visualisation/activation_maximisation.h"

namespace us::analysis {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string::npos) return parts;
        start = end + 1;
    }
}

}  // namespace

VisualisationObjective VisualisationObjective::parse(const std::string& text) {
    const auto parts = split(text, ':');
    const auto fail = [&]() -> VisualisationObjective {
        throw std::invalid_argument(
            "unknown objective '" + text +
            "' (use channel:LAYER:C, neuron:LAYER:C[:Y,X], layer:LAYER, logit:K or "
            "units:LAYER:C1,C2,... or direction:LAYER:V.npy)");
    };
    VisualisationObjective objective;
    const auto& kind = parts.front();
    if (kind == "logit" && parts.size() == 2) {
        objective.kind = Kind::Logit;
        objective.units = {parseNonNegativeInteger(parts[1], "the logit")};
        return objective;
    }
    if (parts.size() < 2 || parts[1].empty()) return fail();
    objective.layer = parts[1];
    if (kind == "layer" && parts.size() == 2) {
        objective.kind = Kind::Layer;
        return objective;
    }
    if (kind == "channel" && parts.size() == 3) {
        objective.kind = Kind::Channel;
        objective.units = {parseNonNegativeInteger(parts[2], "the channel")};
        return objective;
    }
    if (kind == "neuron" && (parts.size() == 3 || parts.size() == 4)) {
        objective.kind = Kind::Neuron;
        objective.units = {parseNonNegativeInteger(parts[2], "the channel")};
        if (parts.size() == 4) {
            const auto yx = split(parts[3], ',');
            if (yx.size() != 2) return fail();
            objective.position =
                std::pair{parseNonNegativeInteger(yx[0], "y"), parseNonNegativeInteger(yx[1], "x")};
        }
        return objective;
    }
    if (kind == "direction" && parts.size() >= 3) {
        objective.kind = Kind::Direction;
        // The path may itself hold colons: everything after the layer.
        objective.directionPath = text.substr(kind.size() + 1 + parts[1].size() + 1);
        try {
            NpyHeader header;
            const auto values = readNpyAsDouble(objective.directionPath, &header);
            if (header.shape.size() != 1 || values.empty())
                throw std::runtime_error("it must hold a 1-D vector, not " +
                                         shapeText(header.shape));
            objective.direction.assign(values.begin(), values.end());
        } catch (const std::runtime_error& error) {
            throw std::invalid_argument("direction '" + objective.directionPath +
                                        "': " + error.what());
        }
        return objective;
    }
    if (kind == "units" && parts.size() == 3) {
        objective.kind = Kind::Units;
        for (const auto& unit : split(parts[2], ','))
            objective.units.push_back(parseNonNegativeInteger(unit, "a unit"));
        return objective;
    }
    return fail();
}

std::string VisualisationObjective::text() const {
    std::string out;
    switch (kind) {
        case Kind::Logit: out = "logit:" + std::to_string(units.at(0)); break;
        case Kind::Layer: out = "layer:" + layer; break;
        case Kind::Channel: out = "channel:" + layer + ":" + std::to_string(units.at(0)); break;
        case Kind::Neuron:
            out = "neuron:" + layer + ":" + std::to_string(units.at(0));
            if (position) {
                out += ':';
                out += std::to_string(position->first);
                out += ',';
                out += std::to_string(position->second);
            }
            break;
        case Kind::Direction:
            out = "direction:" + layer + ":";
            out += directionPath;
            break;
        case Kind::Units: {
            out = "units:" + layer + ":";
            for (std::size_t i = 0; i < units.size(); ++i) {
                if (i) out += ',';
                out += std::to_string(units[i]);
            }
            break;
        }
    }
    if (negative) out.insert(out.begin(), '-');
    return out;
}

}  // namespace us::analysis
