"""PyTorch reference timings for the WebGPU benchmarks, run on the same GPU in the same call.

The official S4 code without its CUDA extension falls back to these naive PyTorch forms (the
extension cannot be built on the benchmark machine: it has no network). Each figure is the median
over repeats of CUDA-event timings, printed as JSON lines like the TypeScript benchmark.
"""
import json
import math
import sys

import torch


def median_ms(fn, repeats=20, warmup=3):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2]


def report(name, value, **extra):
    print(json.dumps({"name": name, "value": round(value, 4), "unit": "ms", "impl": "pytorch", **extra}), flush=True)


def cauchy_naive(v, z, w):
    """The official `cauchy_naive`: conjugate pairs concatenated, O(N·L) memory."""
    v = torch.cat([v, v.conj()], dim=-1)
    w = torch.cat([w, w.conj()], dim=-1)
    return torch.sum(v.unsqueeze(-1) / (z.unsqueeze(-2) - w.unsqueeze(-1)), dim=-2)


def nodes(L, device):
    omega = torch.tensor(complex(math.cos(2 * math.pi / L), -math.sin(2 * math.pi / L)), dtype=torch.cfloat, device=device)
    omega = omega ** torch.arange(0, L // 2 + 1, device=device)
    return omega, 2 * (1 - omega) / (1 + omega)


def main():
    device = torch.device("cuda")
    print(json.dumps({"name": "device", "value": 0, "unit": "", "gpu": torch.cuda.get_device_name(0), "torch": torch.__version__}), flush=True)
    g = torch.Generator(device=device).manual_seed(0)

    # Cauchy with conjugate pairs: B rows, N pairs, L/2+1 nodes.
    for B, N2, L in [(1024, 32, 16384), (1024, 64, 16384), (4096, 32, 4096)]:
        v = torch.randn(B, N2, dtype=torch.cfloat, device=device, generator=g)
        w = torch.complex(-torch.rand(B, N2, device=device, generator=g), -torch.rand(B, N2, device=device, generator=g) * 100)
        _, z = nodes(L, device)
        z = z[:-1]  # the Nyquist node is infinite in exact arithmetic
        try:
            ms = median_ms(lambda: cauchy_naive(v, z, w))
            report(f"cauchy B={B} N={N2} L={L}", ms, variant="naive (official fallback)")
        except torch.cuda.OutOfMemoryError:
            report(f"cauchy B={B} N={N2} L={L}", float("nan"), variant="naive", error="out of memory")
        torch.cuda.empty_cache()

    # The S4 (DPLR) kernel of a layer along the official path (naive Cauchy): H=256, N=64, rank 1.
    H, N2 = 256, 32
    for L in [4096, 16384]:
        A = torch.complex(-0.5 * torch.ones(H, N2, device=device), -torch.arange(N2, device=device).float() * math.pi)
        P = torch.randn(1, H, N2, dtype=torch.cfloat, device=device, generator=g) * 0.1
        Bm = torch.randn(1, H, N2, dtype=torch.cfloat, device=device, generator=g)
        C = torch.randn(1, H, N2, dtype=torch.cfloat, device=device, generator=g)
        dt = torch.exp(torch.rand(H, device=device, generator=g) * math.log(100) + math.log(1e-3))
        omega, z = nodes(L, device)

        def s4_kernel():
            dA = A * dt.unsqueeze(-1)
            Bh = torch.cat([Bm, P], dim=-3)
            Ch = torch.cat([C, P.conj()], dim=-3)
            v = Bh.unsqueeze(-3) * Ch.unsqueeze(-4) * dt.unsqueeze(-1)
            r = cauchy_naive(v, z, dA)
            k_f = r[:-1, :-1] - r[:-1, -1:] * r[-1:, :-1] / (1 + r[-1:, -1:])
            k_f = k_f * 2 / (1 + omega)
            return torch.fft.irfft(k_f, n=L)[..., :L]

        try:
            report(f"s4 kernel H=256 N=64 L={L}", median_ms(s4_kernel), variant="official path, naive Cauchy")
        except torch.cuda.OutOfMemoryError:
            report(f"s4 kernel H=256 N=64 L={L}", float("nan"), error="out of memory")
        torch.cuda.empty_cache()

        # S4D (zoh): 2·Re Σ C·B·(e^{ΔA}−1)/A · e^{ΔA·l}, the naive Vandermonde.
        def s4d_kernel():
            dtA = A * dt.unsqueeze(-1)
            Cz = (Bm[0] * C[0]) * (torch.exp(dtA) - 1) / A
            Kv = torch.exp(dtA.unsqueeze(-1) * torch.arange(L, device=device))
            return 2 * torch.einsum("hn,hnl->hl", Cz, Kv).real

        report(f"s4d kernel H=256 N=64 L={L}", median_ms(s4d_kernel), variant="naive Vandermonde")
        torch.cuda.empty_cache()

    # FFT convolution B=16, H=256, L=16384 (FFTConv's transform: n = 2L).
    Bsz, H, L = 16, 256, 16384
    u = torch.randn(Bsz, H, L, device=device, generator=g)
    k = torch.randn(1, H, L, device=device, generator=g)
    D = torch.randn(1, H, device=device, generator=g)

    def fftconv():
        k_f = torch.fft.rfft(k, n=2 * L)
        u_f = torch.fft.rfft(u, n=2 * L)
        y = torch.fft.irfft(torch.einsum("bhl,chl->bchl", u_f, k_f), n=2 * L)[..., :L]
        return y + torch.einsum("bhl,ch->bchl", u, D)

    report("fft conv B=16 H=256 L=16384", median_ms(fftconv), variant="torch.fft")


if __name__ == "__main__":
    sys.exit(main())
