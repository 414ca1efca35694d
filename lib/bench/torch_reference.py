#!/usr/bin/python3
"""PyTorch reference figures for cnnkit's benchmark (cnnkit.bench.Benchmark).

Measures the same workloads with PyTorch on the CPU, two threads by default, in float32 and in
float64 (cnnkit's precision), and prints one ``name: value unit`` line per figure, each name
prefixed with ``torch_`` (float32) or ``torch_f64_`` (float64) so the sets of figures can be
printed side by side:

  torch_conv_lenet2_fwd_bwd_ms    LeNet-5's conv2 (6 -> 16, 5x5) on (64, 6, 14, 14), forward + backward
  torch_conv_resnet64_fwd_bwd_ms  64 -> 64, 3x3, padding 1 on (64, 64, 8, 8), forward + backward
  torch_lenet5_epoch_s            one epoch of LeNet-5 on MNIST (60,000 images padded to 32x32,
                                  batch 64, SGD lr 0.1); with --batches N, N batches timed and projected
  torch_resnet_step_ms            one step (forward, backward, SGD update) of the tiny ResNet,
                                  batch 16 of 3x32x32, median of 20 after 20 warm-up steps
  torch_lenet5_epoch_cpu_s, torch_resnet_step_cpu_ms   the same in CPU time of all threads
                                  (OpenMP threads that spin while waiting count too)
  torch_peak_memory_mb            peak resident memory of this process
  torch_f64_...                   the figures above (but peak memory) in float64

Run with Debian's python3-torch:  /usr/bin/python3 lib/bench/torch_reference.py [--batches N]
[--json FILE] [--only conv,lenet5,resnet] [--threads 2] [--dtypes float32,float64] [--data DIR];
cnnkit.bench.Benchmark --torch
runs it after its own figures and prints the ratios. MNIST is read from the kit's
data/mnist/*.gz; if the files are missing, random bytes of the same shape are used (and said so).
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

GROUPS = ("conv", "lenet5", "resnet")
KNOWN_ELSEWHERE = ("matmul",)  # cnnkit-only groups: accepted and skipped, so both tools take the same --only
FIGURES = []
NOTES = {}


def note(key, value):
    NOTES[key] = str(value)
    print("# %s: %s" % (key, value), flush=True)


def figure(name, value, unit):
    FIGURES.append({"name": name, "value": round(value, 4), "unit": unit})
    print("%s: %s %s" % (name, fmt(value), unit), flush=True)


def fmt(v):
    a = abs(v)
    return "%.1f" % v if a >= 100 else "%.2f" % v if a >= 1 else "%.4f" % v


# ---- models: the same LeNet-5 and tiny ResNet as cnnkit.models ----

class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(torch.tanh(self.conv1(x)), 2)
        x = F.avg_pool2d(torch.tanh(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = torch.tanh(self.fc1(x))
        x = torch.tanh(self.fc2(x))
        return self.fc3(x)


class Block(nn.Module):
    """conv3x3 -> ReLU -> conv3x3, plus identity or 1x1 projection, then ReLU; no batch norm."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        out = self.conv2(F.relu(self.conv1(x)))
        return F.relu(out + (x if self.shortcut is None else self.shortcut(x)))


class TinyResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, 1, 1)
        self.blocks = nn.Sequential(Block(16, 16, 1), Block(16, 16, 1), Block(16, 32, 2), Block(32, 32, 1),
                                    Block(32, 64, 2), Block(64, 64, 1))
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.fc(x.mean(dim=(2, 3)))


# ---- data ----

def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % path)
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist_train(data_dir):
    """(60000, 1, 32, 32) uint8 images (28x28 padded by 2) and int64 labels, or random ones if missing."""
    if not os.path.exists(os.path.join(data_dir, "train-images-idx3-ubyte.gz")):
        data_dir = os.path.join(data_dir, "mnist")  # the data folder's parent works too, as in cnnkit
    try:
        images = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz"))
        labels = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz")).astype(np.int64)
        note("lenet5_data", "MNIST training set, %d images, padded to 32x32" % len(labels))
    except (OSError, ValueError) as e:
        note("lenet5_data", "random bytes of MNIST's shape (MNIST not found: %s)" % e)
        rng = np.random.default_rng(1)
        images = rng.integers(0, 256, size=(60000, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=60000).astype(np.int64)
    padded = np.zeros((len(images), 1, 32, 32), dtype=np.uint8)  # bytes: batches are converted as needed
    padded[:, 0, 2:30, 2:30] = images
    return padded, labels


# ---- timing ----

def median_seconds(op, warmup, runs):
    for _ in range(warmup):
        op()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        op()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


PREFIX = {"float32": "torch_", "float64": "torch_f64_"}


def conv_figures(prefix):
    for name, layer, shape in ((prefix + "conv_lenet2_fwd_bwd_ms", nn.Conv2d(6, 16, 5), (64, 6, 14, 14)),
                               (prefix + "conv_resnet64_fwd_bwd_ms", nn.Conv2d(64, 64, 3, 1, 1), (64, 64, 8, 8))):
        x = torch.randn(*shape, requires_grad=True)
        g = torch.randn(layer(x).shape)

        def step():
            layer.zero_grad()
            x.grad = None
            layer(x).backward(g)

        figure(name, median_seconds(step, 10, 30) * 1e3, "ms")


def train_lenet(model, images, labels, batches, seed, batch_size=64, lr=0.1):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    order = np.random.default_rng(seed).permutation(len(labels))
    total = 0.0
    for i in range(batches):
        idx = order[i * batch_size:(i + 1) * batch_size]
        x = torch.from_numpy(images[idx].astype(np.float64) / 255.0).to(torch.get_default_dtype())
        y = torch.from_numpy(labels[idx])
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        total += loss.item()
    return total / batches


WARMUP_SECONDS = 2.0


def lenet5_figures(args, prefix):
    images, labels = mnist_train(args.data)
    total = (len(labels) + 63) // 64
    timed = min(args.batches, total) if args.batches else total
    torch.manual_seed(0)
    warm = LeNet5()  # warm-up: batches of 20 for at least WARMUP_SECONDS, as cnnkit's benchmark does
    warm_until = time.perf_counter() + WARMUP_SECONDS
    while True:
        train_lenet(warm, images, labels, min(20, total), 7)
        if time.perf_counter() >= warm_until:
            break
    model = LeNet5()
    cpu_start = time.process_time()
    start = time.perf_counter()
    mean_loss = train_lenet(model, images, labels, timed, 1)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    note("lenet5_timed_batches", "%d of %d (batch 64, SGD lr 0.1)" % (timed, total))
    figure(prefix + "lenet5_epoch_s", seconds * total / timed, "s")
    figure(prefix + "lenet5_epoch_cpu_s", cpu_seconds * total / timed, "s")
    figure(prefix + "lenet5_mean_loss", mean_loss, "nats")


def resnet_figures(prefix):
    torch.manual_seed(0)
    model = TinyResNet()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(16, 3, 32, 32)
    y = torch.randint(0, 10, (16,))

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    figure(prefix + "resnet_step_ms", median_seconds(step, 20, 20) * 1e3, "ms")  # the same warm-up as cnnkit's
    cpu_start = time.process_time()
    for _ in range(20):
        step()
    figure(prefix + "resnet_step_cpu_ms", (time.process_time() - cpu_start) / 20 * 1e3, "ms")


def peak_memory_mb():
    """VmHWM, this process's own resident high-water mark. (ru_maxrss would also count a parent's
    peak: Linux copies it into a child at fork, e.g. when cnnkit's benchmark starts this script.)"""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_data = os.path.normpath(os.path.join(here, "..", "..", "data", "mnist"))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--batches", type=int, default=0, help="time only N LeNet-5 batches and project the epoch")
    p.add_argument("--json", help="also write the figures as JSON")
    p.add_argument("--only", default=",".join(GROUPS), help="groups to run: " + ", ".join(GROUPS))
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    p.add_argument("--dtypes", default="float32,float64", help="precisions to measure: float32, float64 or both")
    p.add_argument("--data", default=default_data, help="folder with MNIST's .gz files, or its parent")
    args = p.parse_args()
    only = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = [g for g in only if g not in GROUPS + KNOWN_ELSEWHERE]
    dtypes = [d.strip() for d in args.dtypes.split(",") if d.strip()]
    if unknown or args.batches < 0 or args.threads < 1 or not dtypes or any(d not in PREFIX for d in dtypes):
        p.error("bad --only %s / --batches / --threads / --dtypes %s" % (unknown, dtypes))

    torch.set_num_threads(args.threads)
    note("framework", "PyTorch %s, %s, %d threads" % (torch.__version__, " and ".join(dtypes), torch.get_num_threads()))
    note("load_average_at_start", load_average())
    for dtype in dtypes:
        torch.set_default_dtype(getattr(torch, dtype))  # models, inputs and gradients in this precision
        if "conv" in only:
            conv_figures(PREFIX[dtype])
        if "lenet5" in only:
            lenet5_figures(args, PREFIX[dtype])
        if "resnet" in only:
            resnet_figures(PREFIX[dtype])
    figure("torch_peak_memory_mb", peak_memory_mb(), "MB")
    note("load_average_at_end", load_average())
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"notes": NOTES, "figures": FIGURES}, f, indent=2)
            f.write("\n")
        print("# json: %s" % os.path.abspath(args.json))


if __name__ == "__main__":
    sys.exit(main())
