#include "analysis/models/random_weights.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "analysis/core/atomic_file.h"
#include "analysis/models/script_graph.h"
#include "analysis/stimuli/stimulus_set.h"

namespace us::analysis {
namespace {

namespace fs = std::filesystem;

std::string typeName(const torch::jit::Module& module) {
    const auto name = module.type()->name();
    return name ? name->name() : std::string();
}

bool isOneOf(const std::string& type, std::initializer_list<const char*> types) {
    for (const char* candidate : types)
        if (type == candidate) return true;
    return false;
}

bool isBatchNorm(const std::string& type) {
    return isOneOf(type, {"BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm"});
}

bool hasAttribute(const torch::jit::Module& module, const std::string& name) {
    return module.hasattr(name) && module.attr(name).isTensor();
}

at::Tensor attribute(const torch::jit::Module& module, const std::string& name) {
    return module.attr(name).toTensor();
}

// PyTorch's init._calculate_fan_in_and_fan_out: size(1) times the receptive field (for a
// transposed convolution too, as PyTorch computes it).
double fanIn(const at::Tensor& weight) {
    double fan = weight.dim() > 1 ? double(weight.size(1)) : double(weight.size(0));
    for (std::int64_t d = 2; d < weight.dim(); ++d) fan *= double(weight.size(d));
    return fan;
}

// reset_parameters() of the module types CNNs are made of; false when the type is unknown.
bool resetParameters(const std::string& type, const torch::jit::Module& module,
                     at::Generator& generator) {
    if (isOneOf(type, {"Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d",
                       "ConvTranspose2d", "ConvTranspose3d", "NonDynamicallyQuantizableLinear"})) {
        // kaiming_uniform_(a = sqrt(5)), then U(+-1 / sqrt(fan_in)) for the bias; the bounds
        // are computed in PyTorch's own steps so that they round the same way.
        auto weight = attribute(module, "weight");
        const double fan = fanIn(weight);
        const double a = std::sqrt(5.0);
        const double gain = std::sqrt(2.0 / (1 + a * a));
        const double weightBound = fan > 0 ? std::sqrt(3.0) * (gain / std::sqrt(fan)) : 0.0;
        weight.uniform_(-weightBound, weightBound, generator);
        const double biasBound = fan > 0 ? 1 / std::sqrt(fan) : 0.0;
        if (hasAttribute(module, "bias"))
            attribute(module, "bias").uniform_(-biasBound, biasBound, generator);
        return true;
    }
    if (isBatchNorm(type) ||
        isOneOf(type, {"GroupNorm", "LayerNorm", "InstanceNorm1d", "InstanceNorm2d",
                       "InstanceNorm3d", "LocalResponseNorm"})) {
        if (hasAttribute(module, "running_mean")) attribute(module, "running_mean").zero_();
        if (hasAttribute(module, "running_var")) attribute(module, "running_var").fill_(1);
        if (hasAttribute(module, "num_batches_tracked"))
            attribute(module, "num_batches_tracked").zero_();
        if (hasAttribute(module, "weight")) attribute(module, "weight").fill_(1);
        if (hasAttribute(module, "bias")) attribute(module, "bias").zero_();
        return true;
    }
    if (type == "PReLU") {
        attribute(module, "weight").fill_(0.25);
        return true;
    }
    if (type == "Embedding") {
        attribute(module, "weight").normal_(0, 1, generator);
        return true;
    }
    return false;
}

void saveModule(const torch::jit::Module& module, const fs::path& path) {
    try {
        module.save(path.string());
    } catch (const c10::Error& error) {
        throw std::runtime_error("cannot write '" + path.string() + "': " +
                                 script_graph::conciseTorchError(error.what_without_backtrace()));
    }
}

// Per-channel mean and unbiased variance of a BatchNorm's input over the stimuli, merged batch by
// batch (Chan et al.) in double so that a large mean does not swamp the variance.
struct ChannelMoments {
    at::Tensor count, mean, m2;
    void add(const at::Tensor& input) {  // [N, C, ...]
        const auto values = input.to(at::kDouble).transpose(0, 1).reshape({input.size(1), -1});
        const double n = double(values.size(1));
        const auto batchMean = values.mean(1);
        const auto batchM2 = (values - batchMean.unsqueeze(1)).pow(2).sum(1);
        if (!count.defined()) {
            count = at::full({}, n, at::kDouble);
            mean = batchMean;
            m2 = batchM2;
            return;
        }
        const auto total = count + n;
        const auto delta = batchMean - mean;
        mean = mean + delta * (n / total);
        m2 = m2 + batchM2 + delta.pow(2) * (count * n / total);
        count = total;
    }
};

}  // namespace

RandomControlSummary makeRandomControl(const RandomControlRequest& request,
                                       const JobContext& job) {
    if (request.batchSize < 1 || request.batchSize > 4096)
        throw std::invalid_argument("batch size must be between 1 and 4096");
    job.report(0, "loading model");
    // Loading through ScriptModel gives the same checks and messages as everywhere else.
    auto module = ScriptModel::load(request.model).internals().original.clone();
    torch::NoGradGuard noGrad;

    RandomControlSummary summary;
    auto generator = at::make_generator<at::CPUGeneratorImpl>(request.seed);
    std::vector<std::string> batchNorms;
    std::map<std::string, torch::jit::Module> batchNormModules;  // modules share their state
    for (const auto& named : module.named_modules()) {
        const auto type = typeName(named.value);
        const auto parameters = named.value.named_parameters(false);
        const bool hasState = parameters.size() > 0 || named.value.named_buffers(false).size() > 0;
        if (!hasState) continue;
        if (!resetParameters(type, named.value, generator)) {
            std::string names;
            for (const auto& parameter : parameters) names += (names.empty() ? "" : ", ") + parameter.name;
            throw std::runtime_error(
                "no default initialisation is known for module '" +
                (named.name.empty() ? std::string("(top)") : named.name) + "' of type '" + type +
                "' (parameters: " + (names.empty() ? "none" : names) +
                "); supported: Linear, Conv and ConvTranspose 1-3d, BatchNorm, GroupNorm, "
                "LayerNorm, InstanceNorm, PReLU, Embedding");
        }
        summary.reinitialised.push_back(named.name + " (" + type + ")");
        if (isBatchNorm(type) && hasAttribute(named.value, "running_mean")) {
            batchNorms.push_back(named.name);
            batchNormModules.emplace(named.name, named.value);
        }
    }

    AtomicFile output(request.out, true);
    if (!batchNorms.empty()) {
        if (!request.stimuli)
            throw std::invalid_argument("the model has BatchNorm layers (" + batchNorms.front() +
                                        (batchNorms.size() > 1 ? ", ..." : "") +
                                        "); give stimuli to recompute their statistics");
        const InputSpec spec = resolveInputSpec(request.model, request.inputShape, request.resize);
        const auto stimuli = openStimulusSet(*request.stimuli);
        stimuli->checkCompatible(spec);
        const std::int64_t total =
            request.limit > 0 ? std::min(request.limit, stimuli->size()) : stimuli->size();
        if (total < 2) throw std::runtime_error("BatchNorm statistics need at least two stimuli");

        // With every BatchNorm the identity (mean 0, variance 1, weight 1, bias 0), a
        // BatchNorm's output is its input over sqrt(1 + eps); forward's node order is
        // topological, so each one's input depends only on those before it, which are done.
        saveModule(module, output.tempPath());
        std::map<std::string, double> eps;
        {
            auto probe = ScriptModel::load(output.tempPath());
            std::vector<std::string> order;
            std::set<std::string> wanted(batchNorms.begin(), batchNorms.end());
            for (const auto* node : probe.internals().forward->nodes()) {
                const auto path = script_graph::modulePath(node);
                if (wanted.erase(path)) order.push_back(path);
                // eps is a TorchScript constant, not an attribute: read it off the call.
                if (node->kind() == c10::Symbol::fromQualString("aten::batch_norm") &&
                    batchNormModules.contains(path) && node->inputs().size() > 7)
                    if (const auto value = torch::jit::toIValue(node->input(7)); value && value->isDouble())
                        eps.emplace(path, value->toDouble());
            }
            for (const auto& name : batchNorms)
                if (wanted.contains(name)) order.push_back(name);  // never called by forward
            batchNorms = order;
        }
        const std::int64_t itemSize = spec.elementCount();
        const double stages = double(batchNorms.size());
        for (std::size_t index = 0; index < batchNorms.size(); ++index) {
            const auto& name = batchNorms[index];
            saveModule(module, output.tempPath());
            auto model = ScriptModel::load(output.tempPath());
            const auto& bn = batchNormModules.at(name);
            if (!eps.contains(name))
                throw std::runtime_error("cannot find the eps of BatchNorm '" + name +
                                         "' in the model's forward");
            ChannelMoments moments;
            std::int64_t used = 0;
            for (std::int64_t first = 0; first < total; first += request.batchSize) {
                job.checkCancelled();
                const std::int64_t end = std::min(total, first + request.batchSize);
                FloatArray batch;
                batch.values.resize(std::size_t((end - first) * itemSize));
                std::int64_t rows = 0;
                for (std::int64_t i = first; i < end; ++i) {
                    try {
                        stimuli->modelInput(i, spec, batch.values.data() + rows * itemSize);
                        ++rows;
                    } catch (const std::runtime_error&) {
                        // unreadable items are left out, as extraction leaves them out
                    }
                }
                if (rows == 0) continue;
                batch.values.resize(std::size_t(rows * itemSize));
                batch.shape = {rows, spec.shape[0], spec.shape[1], spec.shape[2]};
                const auto outputs = model.run(batch, {name});
                if (outputs.front().shape.empty())
                    throw std::runtime_error("BatchNorm '" + name + "' gives no tensor");
                moments.add(script_graph::toTensor(outputs.front()) * std::sqrt(1.0 + eps.at(name)));
                used += rows;
                job.report((double(index) + double(end) / double(total)) / stages,
                           "BatchNorm " + name);
            }
            if (used < 2) throw std::runtime_error("fewer than two stimuli could be read");
            summary.stimuliUsed = used;
            const double count = moments.count.item<double>();
            attribute(bn, "running_mean").copy_(moments.mean);
            attribute(bn, "running_var").copy_(moments.m2 / (count - 1));
            if (hasAttribute(bn, "num_batches_tracked"))
                attribute(bn, "num_batches_tracked").fill_(1);
        }
        summary.batchNorms = batchNorms;
    }
    job.checkCancelled();
    saveModule(module, output.tempPath());
    output.commit();
    const fs::path sidecar = request.model.string() + ".json";
    std::error_code ec;
    if (fs::is_regular_file(sidecar, ec)) {
        AtomicFile copy(request.out.string() + ".json");
        fs::copy_file(sidecar, copy.tempPath(), fs::copy_options::overwrite_existing);
        copy.commit();
    }
    job.report(1, "random-weight control written");
    return summary;
}

}  // namespace us::analysis
