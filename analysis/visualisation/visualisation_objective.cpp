// Parsing and naming of activation-maximisation objectives.

#include <charconv>
#include <cmath>
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

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string weightText(double weight) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, weight).ptr;
    return std::string(buffer, end);
}

}  // namespace

ObjectiveTerm ObjectiveTerm::parse(const std::string& text) {
    const auto parts = split(text, ':');
    const auto fail = [&]() -> ObjectiveTerm {
        throw std::invalid_argument(
            "unknown objective '" + text +
            "' (use channel:LAYER:C, neuron:LAYER:C[:Y,X], layer:LAYER, logit:K or "
            "units:LAYER:C1,C2,... or direction:LAYER:V.npy; combine terms as W*TERM + TERM)");
    };
    ObjectiveTerm objective;
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

std::string ObjectiveTerm::text() const {
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
    return out;
}

VisualisationObjective VisualisationObjective::parse(const std::string& text) {
    VisualisationObjective objective;
    for (const auto& piece : split(text, '+')) {
        auto term = trimmed(piece);
        double weight = 1;
        const auto star = term.find('*');
        if (star != std::string::npos && star < term.find(':')) {
            const auto number = trimmed(term.substr(0, star));
            const auto [end, error] =
                std::from_chars(number.data(), number.data() + number.size(), weight);
            if (error != std::errc() || end != number.data() + number.size() ||
                !std::isfinite(weight))
                throw std::invalid_argument("'" + number + "' is not a weight in '" + text + "'");
            term = trimmed(term.substr(star + 1));
        } else if (!term.empty() && term.front() == '-') {
            weight = -1;
            term = trimmed(term.substr(1));
        }
        if (term.empty())
            throw std::invalid_argument("the objective '" + text + "' has an empty term");
        auto parsed = ObjectiveTerm::parse(term);
        parsed.weight = weight;
        objective.terms.push_back(std::move(parsed));
    }
    return objective;
}

std::string VisualisationObjective::text() const {
    std::string out;
    for (const auto& term : terms) {
        if (!out.empty()) out += " + ";
        if (term.weight == -1) {
            out += '-';
        } else if (term.weight != 1) {
            out += weightText(term.weight);
            out += '*';
        }
        out += term.text();
    }
    return out;
}

void VisualisationObjective::negate() {
    for (auto& term : terms)
        term.weight = -term.weight;
}

const ObjectiveTerm* VisualisationObjective::single() const {
    return terms.size() == 1 && terms[0].weight == 1 ? &terms[0] : nullptr;
}

}  // namespace us::analysis
