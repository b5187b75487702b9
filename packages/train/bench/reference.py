"""PyTorch reference for packages/train/bench/index.ts: the training step of the same small
sMNIST-like model, timed on the CPU and, when available, on CUDA.

The model is the minimal official S4D (state-spaces/s4 `models/s4/s4d.py`, used by `example.py`):
S4DKernel with log_dt, log_A_real, A_imag and complex C; FFT convolution of length 2L; D skip;
GELU; Conv1d(H, 2H, 1) + GLU output map; prenorm LayerNorm residual blocks; a linear encoder, mean
pooling over the sequence and a linear decoder. Like @statespace/layers' prenorm SequenceModel it
adds a final LayerNorm (its S4D kernel also has a B parameter, which the minimal one folds away).
Optimiser: AdamW (lr 0.01, weight decay 0.01) with the official groups: the SSM tensors' `_optim`
(lr 1e-3, weight decay 0) and no weight decay on biases and LayerNorm parameters.

Prints one JSON line per figure, like `pnpm bench`: {"name", "value", "unit", ...}.
Usage: python3 reference.py [--steps 10] [--threads N] [--device cpu|cuda|all]
"""

import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

L = 784
BATCH = 16
D_MODEL = 64
D_STATE = 64
N_LAYERS = 2
CLASSES = 10
LR = 0.01
WEIGHT_DECAY = 0.01
SSM_LR = 0.001


class S4DKernel(nn.Module):
    """The official minimal S4D kernel: K = 2 Re Σ C·(exp(dtA) − 1)/A · exp(dtA·l)."""

    def __init__(self, d_model, N=64, dt_min=0.001, dt_max=0.1, lr=None):
        super().__init__()
        H = d_model
        log_dt = torch.rand(H) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min)
        C = torch.randn(H, N // 2, dtype=torch.cfloat)
        self.C = nn.Parameter(torch.view_as_real(C))
        self.register("log_dt", log_dt, lr)
        log_A_real = torch.log(0.5 * torch.ones(H, N // 2))
        A_imag = math.pi * torch.arange(N // 2).float().repeat(H, 1)
        self.register("log_A_real", log_A_real, lr)
        self.register("A_imag", A_imag, lr)

    def forward(self, L):
        dt = torch.exp(self.log_dt)  # (H)
        C = torch.view_as_complex(self.C)  # (H N)
        A = -torch.exp(self.log_A_real) + 1j * self.A_imag  # (H N)
        dtA = A * dt.unsqueeze(-1)  # (H N)
        K = dtA.unsqueeze(-1) * torch.arange(L, device=A.device)  # (H N L)
        C = C * (torch.exp(dtA) - 1.0) / A
        return 2 * torch.einsum("hn, hnl -> hl", C, torch.exp(K)).real

    def register(self, name, tensor, lr=None):
        """A parameter with its own optimiser settings (`_optim`), or a buffer when lr is 0."""
        if lr == 0.0:
            self.register_buffer(name, tensor)
        else:
            self.register_parameter(name, nn.Parameter(tensor))
            optim = {"weight_decay": 0.0}
            if lr is not None:
                optim["lr"] = lr
            setattr(getattr(self, name), "_optim", optim)


class S4D(nn.Module):
    """The official minimal S4D layer on (B, H, L): FFT convolution, D skip, GELU, Conv1d + GLU."""

    def __init__(self, d_model, d_state=64, **kernel_args):
        super().__init__()
        self.h = d_model
        self.D = nn.Parameter(torch.randn(self.h))
        self.kernel = S4DKernel(self.h, N=d_state, **kernel_args)
        self.activation = nn.GELU()
        self.output_linear = nn.Sequential(nn.Conv1d(self.h, 2 * self.h, kernel_size=1), nn.GLU(dim=-2))

    def forward(self, u):
        L = u.size(-1)
        k = self.kernel(L=L)  # (H L)
        k_f = torch.fft.rfft(k, n=2 * L)
        u_f = torch.fft.rfft(u, n=2 * L)
        y = torch.fft.irfft(u_f * k_f, n=2 * L)[..., :L]  # (B H L)
        y = y + u * self.D.unsqueeze(-1)
        return self.output_linear(self.activation(y))


class S4Model(nn.Module):
    """example.py's model with prenorm blocks and a final LayerNorm."""

    def __init__(self, d_input, d_output, d_model, n_layers, d_state):
        super().__init__()
        self.encoder = nn.Linear(d_input, d_model)
        self.layers = nn.ModuleList([S4D(d_model, d_state, lr=SSM_LR) for _ in range(n_layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(n_layers)])
        self.norm = nn.LayerNorm(d_model)
        self.decoder = nn.Linear(d_model, d_output)

    def forward(self, x):
        x = self.encoder(x).transpose(-1, -2)  # (B, L, d_input) -> (B, H, L)
        for layer, norm in zip(self.layers, self.norms):
            z = norm(x.transpose(-1, -2)).transpose(-1, -2)
            x = layer(z) + x
        x = self.norm(x.transpose(-1, -2))  # (B, L, H)
        return self.decoder(x.mean(dim=1))


def setup_optimizer(model):
    """The official grouping: biases and norms without weight decay (`add_optimizer_hooks`), then
    one AdamW group per distinct `_optim` setting beside the global one (`setup_optimizer`)."""
    for module in model.modules():
        for name, p in module.named_parameters(recurse=False):
            if not hasattr(p, "_optim") and (name.endswith("bias") or isinstance(module, nn.LayerNorm)):
                setattr(p, "_optim", {"weight_decay": 0.0})
    all_parameters = list(model.parameters())
    params = [p for p in all_parameters if not hasattr(p, "_optim")]
    optimizer = torch.optim.AdamW(params, lr=LR, weight_decay=WEIGHT_DECAY, betas=(0.9, 0.999))
    hps = [getattr(p, "_optim") for p in all_parameters if hasattr(p, "_optim")]
    hps = [dict(s) for s in sorted(list(dict.fromkeys(frozenset(hp.items()) for hp in hps)))]
    for hp in hps:
        group = [p for p in all_parameters if getattr(p, "_optim", None) == hp]
        optimizer.add_param_group({"params": group, **hp})
    return optimizer


def time_training(device, steps):
    torch.manual_seed(0)
    model = S4Model(1, CLASSES, D_MODEL, N_LAYERS, D_STATE).to(device)
    model.train()
    optimizer = setup_optimizer(model)
    x = torch.rand(BATCH, L, 1, device=device)
    y = torch.randint(0, CLASSES, (BATCH,), device=device)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    for _ in range(3):  # warm-up: allocator, cuFFT plans, kernels
        step()
    times = []
    for _ in range(steps):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    parser.add_argument("--device", choices=["cpu", "cuda", "all"], default="all")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    devices = []
    if args.device in ("cpu", "all"):
        devices.append(torch.device("cpu"))
    if args.device in ("cuda", "all") and torch.cuda.is_available():
        devices.append(torch.device("cuda"))
    for device in devices:
        seconds = time_training(device, args.steps)
        where = "cpu" if device.type == "cpu" else torch.cuda.get_device_name(device)
        figure = {
            "name": f"train step S4D L={L} H={D_MODEL} N={D_STATE} B={BATCH} float32, pytorch {device.type}",
            "value": round(BATCH / seconds, 1),
            "unit": "samples/s",
            "msPerStep": round(seconds * 1000, 1),
            "device": where,
            "torch": torch.__version__,
        }
        if device.type == "cpu":
            figure["threads"] = torch.get_num_threads()
        print(json.dumps(figure), flush=True)


if __name__ == "__main__":
    main()
