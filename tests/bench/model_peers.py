"""PyTorch peers for the model benchmarks, timed in the same run as Unitscope.

usage: model_peers.py extraction OUTDIR THREADS   -> writes resnet18.pt + images.npy, times
                                                     eager forward + hooks + pooling
       model_peers.py training STEPS THREADS      -> times the demo CNN recipe in PyTorch
Prints one JSON object on stdout.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torchvision

mode = sys.argv[1]
torch.set_num_threads(int(sys.argv[3]))
torch.manual_seed(0)

if mode == "extraction":
    out = sys.argv[2]
    layers = ["layer1", "layer2", "layer3", "layer4", "fc"]
    model = torchvision.models.resnet18().eval()
    torch.jit.script(model).save(os.path.join(out, "resnet18.pt"))
    x = torch.randn(192, 3, 224, 224)
    np.save(os.path.join(out, "images.npy"), x.numpy())
    pooled = {}
    modules = dict(model.named_modules())

    def hook(name):
        def record(module, inputs, output):
            o = output.detach()
            pooled[name] = (o.flatten(2).mean(2), o.flatten(2).amax(2)) if o.dim() > 2 else (o, o)
        return record

    for name in layers:
        modules[name].register_forward_hook(hook(name))
    with torch.inference_mode():
        model(x[:16])  # warm-up, as Unitscope's first batch also compiles its graph
        start = time.perf_counter()
        for first in range(0, 192, 16):
            model(x[first:first + 16])
        seconds = time.perf_counter() - start
    print(json.dumps({"images_per_second": 192 / seconds}))
elif mode == "training":
    steps = int(sys.argv[2])
    d = "/usr/share/datasets/fashion-mnist"
    with gzip.open(os.path.join(d, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read()[16:], dtype=np.uint8).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(d, "train-labels-idx1-ubyte.gz")) as f:
        labels = torch.from_numpy(np.frombuffer(f.read()[8:], dtype=np.uint8).astype(np.int64))
    x = (torch.from_numpy(images.astype(np.float32)) / 255 - 0.2860) / 0.3530
    nn = torch.nn
    net = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
    optimiser = torch.optim.Adam(net.parameters(), lr=2e-3)
    order = torch.randperm(len(x))
    start = time.perf_counter()
    for step in range(steps):
        index = order[(step * 128) % len(x):][:128]
        loss = nn.functional.cross_entropy(net(x[index]), labels[index])
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    print(json.dumps({"seconds_per_step": (time.perf_counter() - start) / steps}))
