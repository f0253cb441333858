#include "analysis/demo/demo_model.h"

#include <torch/script.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "analysis/core/atomic_file.h"
#include "analysis/models/input_spec.h"
#include "analysis/stimuli/stimulus_set.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

// Pixel statistics of the Fashion-MNIST training set (x / 255).
constexpr float kPixelMean = 0.2860f;
constexpr float kPixelStd = 0.3530f;
constexpr const char* kModelFile = "demo_cnn.pt";
constexpr const char* kResultFile = "demo_cnn.result.json";
// Bump when the architecture or the training recipe changes, so old caches are retrained.
constexpr int kRecipeVersion = 1;

// Two conv blocks and a classifier head: small enough to train on two cores in minutes.
torch::nn::Sequential buildDemoNetwork() {
    namespace nn = torch::nn;
    nn::Sequential net;
    net->push_back("conv1", nn::Conv2d(nn::Conv2dOptions(1, 32, 3).padding(1)));
    net->push_back("bn1", nn::BatchNorm2d(32));
    net->push_back("relu1", nn::ReLU());
    net->push_back("pool1", nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    net->push_back("conv2", nn::Conv2d(nn::Conv2dOptions(32, 64, 3).padding(1)));
    net->push_back("bn2", nn::BatchNorm2d(64));
    net->push_back("relu2", nn::ReLU());
    net->push_back("pool2", nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    net->push_back("flatten", nn::Flatten());
    net->push_back("fc1", nn::Linear(64 * 7 * 7, 128));
    net->push_back("relu3", nn::ReLU());
    net->push_back("fc2", nn::Linear(128, 10));
    return net;
}

std::string typeName(const std::string& qualified) {
    // "torch::nn::Conv2dImpl" -> "Conv2d"
    std::string name = qualified.substr(qualified.rfind(':') + 1);
    if (name.size() > 4 && name.ends_with("Impl")) name.resize(name.size() - 4);
    return name;
}

struct Dataset {
    torch::Tensor images;  // N x 1 x 28 x 28, normalised
    torch::Tensor labels;  // N, int64
};

Dataset loadFashionMnist(const fs::path& dir, const std::string& split) {
    const fs::path images = dir / (split + "-images-idx3-ubyte.gz");
    std::error_code ec;
    if (!fs::exists(images, ec))
        throw std::runtime_error("Fashion-MNIST not found at '" + images.string() +
                                 "' (install Debian's dataset-fashion-mnist package)");
    const auto set = openIdxStimuli(images);
    const auto n = set->size();
    if (set->labels().size() != std::size_t(n))
        throw std::runtime_error("Fashion-MNIST labels missing beside '" + images.string() + "'");
    auto bytes = torch::empty({n, 1, 28, 28}, torch::kUInt8);
    for (std::int64_t i = 0; i < n; ++i) {
        const Image image = set->image(i);
        if (image.width != 28 || image.height != 28 || image.channels != 1)
            throw std::runtime_error("'" + images.string() + "' does not hold 28x28 grey images");
        std::memcpy(bytes[i].data_ptr(), image.pixels.data(), image.pixels.size());
    }
    Dataset data;
    data.images = (bytes.to(torch::kFloat) / 255.0f - kPixelMean) / kPixelStd;
    data.labels =
        torch::from_blob(const_cast<std::int32_t*>(set->labels().data()), {n}, torch::kInt32)
            .to(torch::kInt64);
    return data;
}

double accuracy(torch::nn::Sequential& net, const Dataset& data, const JobContext& context) {
    torch::NoGradGuard noGrad;
    net->eval();
    std::int64_t correct = 0;
    const auto n = data.images.size(0);
    for (std::int64_t first = 0; first < n; first += 1000) {
        context.checkCancelled();
        const auto last = std::min(n, first + 1000);
        const auto predicted = net->forward(data.images.slice(0, first, last)).argmax(1);
        correct += predicted.eq(data.labels.slice(0, first, last)).sum().item<std::int64_t>();
    }
    return double(correct) / double(n);
}

// The trained network as a TorchScript module with the same module names, so that the demo
// runs through ScriptModel like any user's model. Each layer is a scripted module whose
// forward calls the same ATen op the C++ module does.
torch::jit::Module exportToTorchScript(torch::nn::Sequential& net) {
    auto unit = std::make_shared<torch::jit::CompilationUnit>();
    const auto makeModule = [&](const std::string& type) {
        return torch::jit::Module("__torch__.unitscope.demo." + type, unit, true);
    };
    torch::jit::Module top = makeModule("DemoCnn");
    std::string forward = "def forward(self, x):\n";
    for (const auto& child : net->named_children()) {
        const std::string& name = child.key();
        const std::string type = typeName(child.value()->name());
        torch::jit::Module module = makeModule(type);
        for (const auto& p : child.value()->named_parameters(false))
            module.register_parameter(p.key(), p.value().detach().clone(), false);
        for (const auto& b : child.value()->named_buffers(false))
            if (b.key() != "num_batches_tracked")
                module.register_buffer(b.key(), b.value().detach().clone());
        if (type == "Conv2d")
            module.define(
                "def forward(self, x):\n"
                "    return torch.conv2d(x, self.weight, self.bias, [1, 1], [1, 1])\n");
        else if (type == "BatchNorm2d")
            module.define(
                "def forward(self, x):\n"
                "    return torch.batch_norm(x, self.weight, self.bias, "
                "self.running_mean, self.running_var, False, 0.1, 1e-5, False)\n");
        else if (type == "ReLU")
            module.define("def forward(self, x):\n    return torch.relu(x)\n");
        else if (type == "MaxPool2d")
            module.define(
                "def forward(self, x):\n"
                "    return torch.max_pool2d(x, [2, 2], [2, 2], [0, 0], [1, 1], False)\n");
        else if (type == "Flatten")
            module.define("def forward(self, x):\n    return torch.flatten(x, 1)\n");
        else if (type == "Linear")
            module.define(
                "def forward(self, x):\n"
                "    return torch.addmm(self.bias, x, self.weight.t())\n");
        else
            throw std::logic_error("demo export: no TorchScript form for " + type);
        top.register_module(name, module);
        forward += "    x = self." + name + ".forward(x)\n";
    }
    forward += "    return x\n";
    top.define(forward);
    top.eval();
    return top;
}

nlohmann::json resultJson(const DemoModelResult& result, const DemoTrainingOptions& options) {
    return {{"recipe", kRecipeVersion},
            {"seed", options.seed},
            {"epochs", options.epochs},
            {"max_steps", options.maxSteps},
            {"batch_size", options.batchSize},
            {"steps", result.steps},
            {"test_accuracy", result.testAccuracy},
            {"training_seconds", result.trainingSeconds}};
}

std::optional<DemoModelResult> reuse(const fs::path& dir, const DemoTrainingOptions& options) {
    std::error_code ec;
    if (!fs::exists(dir / kModelFile, ec) || !fs::exists(dir / kResultFile, ec))
        return std::nullopt;
    try {
        std::ifstream in(dir / kResultFile);
        const auto json = nlohmann::json::parse(in);
        if (json.at("recipe") != kRecipeVersion || json.at("seed") != options.seed ||
            json.at("epochs") != options.epochs || json.at("max_steps") != options.maxSteps ||
            json.at("batch_size") != options.batchSize)
            return std::nullopt;
        DemoModelResult result;
        result.modelPath = dir / kModelFile;
        result.testAccuracy = json.at("test_accuracy");
        result.trainingSeconds = json.at("training_seconds");
        result.steps = json.at("steps");
        result.seed = options.seed;
        result.reused = true;
        return result;
    } catch (const std::exception&) {
        return std::nullopt;  // an unreadable record: train again
    }
}

}  // namespace

const std::vector<std::string>& fashionMnistClassNames() {
    static const std::vector<std::string> names{"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                                "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                                "Bag",         "Ankle boot"};
    return names;
}

DemoModelResult trainOrLoadDemoModel(const fs::path& dir, const DemoTrainingOptions& options,
                                     const JobContext& context) {
    if (auto cached = reuse(dir, options)) return *cached;
    const auto started = std::chrono::steady_clock::now();
    context.checkCancelled();
    context.report(0, "loading Fashion-MNIST");
    const Dataset train = loadFashionMnist(options.datasetDir, "train");
    const Dataset test = loadFashionMnist(options.datasetDir, "t10k");

    torch::manual_seed(options.seed);
    auto generator = at::detail::createCPUGenerator(options.seed);
    auto net = buildDemoNetwork();
    torch::optim::Adam optimiser(net->parameters(), torch::optim::AdamOptions(2e-3));
    const auto n = train.images.size(0);
    const auto stepsPerEpoch = (n + options.batchSize - 1) / options.batchSize;
    std::int64_t totalSteps = stepsPerEpoch * options.epochs;
    if (options.maxSteps >= 0) totalSteps = std::min(totalSteps, options.maxSteps);
    DemoModelResult result;
    result.seed = options.seed;
    for (int epoch = 0; epoch < options.epochs && result.steps < totalSteps; ++epoch) {
        net->train();
        // Halve the learning rate each epoch: fast early progress, a settled final epoch.
        for (auto& group : optimiser.param_groups())
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(2e-3 / double(1 << epoch));
        const auto order = torch::randperm(n, generator);
        for (std::int64_t first = 0; first < n && result.steps < totalSteps;
             first += options.batchSize) {
            context.checkCancelled();
            const auto index = order.slice(0, first, std::min(n, first + options.batchSize));
            const auto loss = torch::nn::functional::cross_entropy(
                net->forward(train.images.index_select(0, index)),
                train.labels.index_select(0, index));
            optimiser.zero_grad();
            loss.backward();
            optimiser.step();
            ++result.steps;
            if (result.steps % 20 == 0)
                context.report(0.95 * double(result.steps) / double(totalSteps),
                               "training, epoch " + std::to_string(epoch + 1) + ", loss " +
                                   std::to_string(loss.item<float>()).substr(0, 5));
        }
    }
    context.report(0.95, "evaluating on the test set");
    result.testAccuracy = accuracy(net, test, context);
    result.trainingSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    // Export and check that the TorchScript copy computes what the trained network computes.
    torch::jit::Module scripted = exportToTorchScript(net);
    {
        torch::NoGradGuard noGrad;
        const auto sample = test.images.slice(0, 0, 64);
        const auto expected = net->forward(sample);
        const auto got = scripted.forward({sample}).toTensor();
        if (!torch::allclose(expected, got, 1e-4, 1e-4))
            throw std::logic_error("demo export: the TorchScript copy disagrees with the network");
    }
    context.checkCancelled();
    fs::create_directories(dir);
    result.modelPath = dir / kModelFile;
    InputSpec spec;
    spec.shape = {1, 28, 28};
    spec.mean = {kPixelMean};
    spec.std = {kPixelStd};
    spec.labels = fashionMnistClassNames();
    writeModelSidecar(result.modelPath, spec);
    {
        AtomicFile model(result.modelPath);
        scripted.save(model.tempPath().string());
        model.commit();
    }
    AtomicFile record(dir / kResultFile);
    {
        std::ofstream out(record.tempPath());
        out << resultJson(result, options).dump(2) << '\n';
        if (!out) throw std::runtime_error("cannot write '" + (dir / kResultFile).string() + "'");
    }
    record.commit();  // last: its presence marks a complete cache
    context.report(1.0, "done");
    return result;
}

}  // namespace us::analysis
