#include "analysis/demo_model.h"

#include <torch/nn.h>
#include <torch/torch.h>

namespace us::analysis {
namespace {

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

}  // namespace

std::vector<LayerInfo> describeDemoModel(const JobContext& context) {
    torch::NoGradGuard noGrad;
    auto net = buildDemoNetwork();
    net->eval();
    auto x = torch::zeros({1, 1, 28, 28});
    std::vector<LayerInfo> layers;
    layers.push_back({"input", "Input", {1, 28, 28}, 0});
    const auto children = net->named_children();
    size_t i = 0;
    for (auto& module : *net) {
        context.checkCancelled();
        x = module.forward(x);
        LayerInfo info;
        info.name = children[i].key();
        info.type = typeName(children[i].value()->name());
        info.outputShape.assign(x.sizes().begin() + 1, x.sizes().end());
        for (const auto& p : children[i].value()->parameters())
            info.parameterCount += p.numel();
        layers.push_back(std::move(info));
        ++i;
        context.report(double(i) / double(children.size()), layers.back().name);
    }
    return layers;
}

}  // namespace us::analysis
