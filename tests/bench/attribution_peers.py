"""PyTorch peers for the attribution benchmarks, written from the definitions in the shape
the anchors use: Integrated Gradients as Captum batches it (all steps in one batch, eager
model whose parameters require grad), LRP by forward/backward hooks as Zennit does it
(BatchNorm merged by a canonizer, rules applied in the backward pass), and circuit-tracer's
dense prune_graph. Each mode prints one JSON object.

usage: prepare DIR | ig DIR THREADS | lrp DIR THREADS | prune DIR THREADS
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision

mode, out = sys.argv[1], sys.argv[2]
if len(sys.argv) > 3:
    torch.set_num_threads(int(sys.argv[3]))


def resnet(name, seed):
    torch.manual_seed(seed)
    model = getattr(torchvision.models, name)(num_classes=1000).eval()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    return model


if mode == "prepare":
    os.makedirs(out, exist_ok=True)
    for name in ["resnet50", "resnet18"]:
        torch.jit.script(resnet(name, 0)).save(os.path.join(out, name + ".pt"))
    torch.manual_seed(1)
    np.save(os.path.join(out, "image.npy"), torch.randn(1, 3, 224, 224).numpy())
    # A layered random DAG with 10,000 nodes and 100,000 links in circuit-tracer's schema.
    rng = np.random.default_rng(3)
    layers, width, tokens = 10, 998, 16
    nodes = [{"node_id": f"E_{t}_{t}", "feature_type": "embedding", "layer": "E", "ctx_idx": t}
             for t in range(tokens)]
    bands = [list(range(tokens))]
    for layer in range(layers):
        bands.append(list(range(len(nodes), len(nodes) + width)))
        nodes += [{"node_id": f"{layer}_{f}_0", "feature_type": "cross layer transcoder",
                   "layer": str(layer), "ctx_idx": 0} for f in range(width)]
    bands.append(list(range(len(nodes), len(nodes) + 4)))
    probs = rng.dirichlet(np.ones(4))
    nodes += [{"node_id": f"L_{k}", "feature_type": "logit", "token_prob": float(p),
               "layer": str(layers + 1), "ctx_idx": 0} for k, p in enumerate(probs)]
    links = set()
    while len(links) < 100000:
        b = int(rng.integers(1, len(bands)))
        a = int(rng.integers(max(0, b - 2), b))
        links.add((int(rng.choice(bands[a])), int(rng.choice(bands[b]))))
    graph = {"metadata": {}, "qParams": {}, "nodes": nodes,
             "links": [{"source": nodes[s]["node_id"], "target": nodes[t]["node_id"],
                        "weight": float(rng.normal())} for s, t in sorted(links)]}
    json.dump(graph, open(os.path.join(out, "graph10k.json"), "w"))
    print(json.dumps({"nodes": len(nodes), "links": len(links)}))

elif mode == "ig":
    model = resnet("resnet50", 0)  # parameters require grad, as in a user's model
    x = torch.from_numpy(np.load(os.path.join(out, "image.npy")))
    baseline = torch.zeros_like(x)
    with torch.no_grad():
        target = int(model(x).argmax(1))
    s, w = np.polynomial.legendre.leggauss(50)
    alphas = torch.tensor((s + 1) / 2, dtype=torch.float32)
    weights = torch.tensor(w / 2, dtype=torch.float32)
    start = time.perf_counter()
    path = (baseline + alphas.view(-1, 1, 1, 1) * (x - baseline)).requires_grad_(True)
    grads = torch.autograd.grad(model(path)[:, target].sum(), path)[0]
    attribution = (x - baseline) * (grads * weights.view(-1, 1, 1, 1)).sum(0, keepdim=True)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "sum": float(attribution.sum())}))

elif mode == "lrp":
    model = resnet("resnet50", 0)
    x = torch.from_numpy(np.load(os.path.join(out, "image.npy")))

    def stab(z, e=1e-6):
        return z + e * ((z >= 0).float() * 2 - 1)

    def merge(conv, bn):  # the canonizer: BatchNorm into the convolution before it
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        conv.weight.data = conv.weight.data * scale.view(-1, 1, 1, 1)
        bias = conv.bias.data if conv.bias is not None else torch.zeros_like(bn.running_mean)
        conv.bias = torch.nn.Parameter((bias - bn.running_mean) * scale + bn.bias.data)
        return torch.nn.Identity()

    with torch.no_grad():
        model.bn1 = merge(model.conv1, model.bn1)
        for layer in [model.layer1, model.layer2, model.layer3, model.layer4]:
            for block in layer:
                block.bn1 = merge(block.conv1, block.bn1)
                block.bn2 = merge(block.conv2, block.bn2)
                block.bn3 = merge(block.conv3, block.bn3)
                if block.downsample is not None:
                    block.downsample[1] = merge(block.downsample[0], block.downsample[1])

    class Rule(torch.autograd.Function):
        """Identity forward on the module output; the backward applies the module's rule."""

        @staticmethod
        def forward(ctx, x, out, module, first):
            ctx.save_for_backward(x)
            ctx.module, ctx.first = module, first
            return out.clone()

        @staticmethod
        def backward(ctx, r):
            (x,) = ctx.saved_tensors
            m = ctx.module
            with torch.enable_grad():
                if isinstance(m, torch.nn.Linear):
                    xi = x.detach().requires_grad_(True)
                    z = F.linear(xi, m.weight)
                    g = torch.autograd.grad(z, xi, r / stab(z.detach() + m.bias))[0]
                    return x * g, None, None, None
                conv = lambda i, w, b=None: F.conv2d(i, w, b, m.stride, m.padding, m.dilation, m.groups)
                if ctx.first:
                    ones = torch.ones_like(x, requires_grad=True)
                    z = conv(ones, torch.ones_like(m.weight))
                    return torch.autograd.grad(z, ones, r / stab(z.detach()))[0], None, None, None
                xp = x.clamp(min=0).requires_grad_(True)
                xn = x.clamp(max=0).requires_grad_(True)
                zp = conv(xp, m.weight.clamp(min=0))
                zn = conv(xn, m.weight.clamp(max=0))
                z = zp + zn + m.bias.clamp(min=0).view(1, -1, 1, 1)
                s = r / stab(z.detach())
                gp, gn = torch.autograd.grad([zp, zn], [xp, xn], [s, s])
                return xp.detach() * gp + xn.detach() * gn, None, None, None

    class Pass(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return torch.relu(x)

        @staticmethod
        def backward(ctx, r):
            return r

    class Share(torch.autograd.Function):  # a + b, relevance in proportion
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a + b

        @staticmethod
        def backward(ctx, r):
            a, b = ctx.saved_tensors
            s = r / stab(a + b)
            return a * s, b * s

    class AvgRule(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return F.adaptive_avg_pool2d(x, 1)

        @staticmethod
        def backward(ctx, r):
            (x,) = ctx.saved_tensors
            with torch.enable_grad():
                xi = x.detach().requires_grad_(True)
                z = F.adaptive_avg_pool2d(xi, 1)
                return x * torch.autograd.grad(z, xi, r / stab(z.detach()))[0]

    first = [True]

    def hook(m, inputs, output):
        is_first, first[0] = first[0], False
        return Rule.apply(inputs[0], output, m, is_first)

    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            m.register_forward_hook(hook)
        if isinstance(m, torch.nn.ReLU):
            m.forward = Pass.apply

    def bottleneck(self, x):
        out = self.relu(self.conv1(x))
        out = self.relu(self.conv2(out))
        out = self.conv3(out)
        identity = self.downsample(x) if self.downsample is not None else x
        return self.relu(Share.apply(out, identity))

    torchvision.models.resnet.Bottleneck.forward = bottleneck
    model.avgpool.forward = AvgRule.apply
    start = time.perf_counter()
    xi = x.clone().requires_grad_(True)
    first[0] = True
    out = model(xi)
    target = int(out.argmax(1))
    seed = torch.zeros_like(out)
    seed[0, target] = out[0, target].detach()
    relevance = torch.autograd.grad(out, xi, seed)[0]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "sum": float(relevance.sum()),
                      "target_value": float(out[0, target])}))

elif mode == "prune":
    graph = json.load(open(os.path.join(out, "graph10k.json")))
    ids = {n["node_id"]: i for i, n in enumerate(graph["nodes"])}
    n = len(ids)
    start = time.perf_counter()
    a = torch.zeros(n, n)
    for l in graph["links"]:
        a[ids[l["target"]], ids[l["source"]]] = l["weight"]
    build = time.perf_counter() - start
    types = [node["feature_type"] for node in graph["nodes"]]
    logit = torch.tensor([t == "logit" for t in types])
    token = torch.tensor([t == "embedding" for t in types])
    feature = ~(logit | token)
    w = torch.tensor([node.get("token_prob", 0.0) for node in graph["nodes"]])

    def normalize(m):
        m = m.abs()
        return m / m.sum(dim=1, keepdim=True).clamp(min=1e-10)

    def influence(m, v):
        current = v @ m
        total = current.clone()
        while current.any():
            current = current @ m
            total += current
        return total

    def find_threshold(scores, threshold):
        s = torch.sort(scores, descending=True).values
        c = torch.cumsum(s, 0) / torch.sum(s)
        return s[min(int(torch.searchsorted(c, threshold)), len(c) - 1)]

    start = time.perf_counter()
    ni = influence(normalize(a), w)
    mask = (ni >= find_threshold(ni, 0.8)) | logit | token
    pruned = a.clone()
    pruned[~mask] = 0
    pruned[:, ~mask] = 0
    normalized = normalize(pruned)
    scores = normalized * (influence(normalized, w) + w)[:, None]
    edges = scores >= find_threshold(scores.flatten(), 0.98)
    old = mask.clone()
    mask[feature] &= edges[:, feature].any(0) & edges[feature].any(1)
    while not torch.all(mask == old):
        old[:] = mask
        edges[~mask] = False
        edges[:, ~mask] = False
        mask[feature] &= edges[:, feature].any(0) & edges[feature].any(1)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "build_seconds": build, "kept": int(mask.sum())}))
