"""PyTorch peer for the activation-maximisation benchmark: one optimisation step of the
standard recipe as Lucent runs it (Fourier image 128 px, decorrelation, sigmoid, transforms,
upsampled to 224, normalised, the whole network forward, Adam), ResNet-50 with random
weights whose parameters require grad, objective a channel of layer3. Prints JSON.

usage: step MODEL_DIR THREADS STEPS"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision

torch.set_num_threads(int(sys.argv[3]))
steps = int(sys.argv[4])
torch.manual_seed(0)
model = torchvision.models.resnet50(num_classes=1000).eval()
h = w = 128
fy = np.fft.fftfreq(h)[:, None]
fx = np.fft.fftfreq(w)[: w // 2 + 1]
scale = torch.tensor(1.0 / np.maximum(np.sqrt(fx * fx + fy * fy), 1.0 / max(w, h)),
                     dtype=torch.float32)[None, None, :, :, None]
spectrum = (torch.randn(1, 3, h, w // 2 + 1, 2) * 0.01).requires_grad_(True)
m = torch.tensor([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]])
m = m / m.norm(dim=0).max()
mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
got = {}
model.layer3.register_forward_hook(lambda mod, i, o: got.__setitem__("a", o))
optimiser = torch.optim.Adam([spectrum], lr=0.05)
rng = np.random.default_rng(0)


def image():
    x = torch.fft.irfftn(torch.view_as_complex(scale * spectrum), s=(h, w), norm="ortho") / 4
    x = torch.matmul(x.permute(0, 2, 3, 1), m.T).permute(0, 3, 1, 2)
    return torch.sigmoid(x)


def transform(x):
    x = F.pad(x, [12] * 4, value=0.5)
    d = rng.integers(8, size=2); x = x[:, :, d[0]:x.shape[2] - 8 + d[0] + 1, d[1]:x.shape[3] - 8 + d[1] + 1]
    s = 1 + (rng.integers(11) - 5) / 50
    x = F.interpolate(x, size=[int(np.ceil(s * x.shape[2])), int(np.ceil(s * x.shape[3]))],
                      mode="bilinear", align_corners=True)
    a = np.deg2rad(rng.integers(-10, 11))
    theta = torch.tensor([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0]], dtype=torch.float32)[None]
    x = F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False), align_corners=False)
    d = rng.integers(4, size=2); x = x[:, :, d[0]:x.shape[2] - 4 + d[0] + 1, d[1]:x.shape[3] - 4 + d[1] + 1]
    return x


def step():
    optimiser.zero_grad()
    x = F.interpolate(transform(image()), size=(224, 224), mode="bilinear", align_corners=True)
    model((x - mean) / std)
    loss = -got["a"][:, 5].mean()
    loss.backward()
    optimiser.step()


step()
start = time.perf_counter()
for _ in range(steps):
    step()
print(json.dumps({"seconds_per_step": (time.perf_counter() - start) / steps}))
