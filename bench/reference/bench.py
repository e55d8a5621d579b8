#!/usr/bin/env python3
"""The PyTorch reference of `genlab bench`: the same networks (models.py), the same training steps
and samplers, the same timing rule and the same JSON schema (genlab-bench/1), so that compare.py can
divide GenLab's times by PyTorch's row by row.

What each row does, as GenLab does it:
  train/dcgan   org.genlab.gan.train.GanTrainer.step: G(z) without a graph; zero all gradients;
                D loss softplus(-D(x)) + softplus(D(G(z))) (non-saturating); Adam(2e-4, 0.5, 0.999)
                on D; zero all gradients; G loss softplus(-D(G(z'))); Adam on G; EMA 0.999 of G's
                parameters and BatchNorm statistics; the logged statistics (D(x), D(G(z)), D acc).
  train/ddpm    org.genlab.diffusion.train.DiffusionTrainer.step: t ~ U{0..999}, eps ~ N(0, I),
                x_t = sqrt(ab_t) x_0 + sqrt(1 - ab_t) eps (linear schedule), MSE(eps, UNet(x_t, t)),
                gradient-norm clip at 1, Adam(2e-4, 0.9, 0.999), EMA 0.999.
  sample/gan    G(z) in eval mode.
  sample/ddpm   DDPM ancestral sampling, x_0 clipped to [-1, 1] (org.genlab.diffusion.sampler.DdpmSampler).
  sample/ddim   deterministic DDIM, eta = 0 (org.genlab.diffusion.sampler.DdimSampler).
  train/autoencoder
                org.genlab.autoencoder.train.AutoencoderTrainer.step with its defaults: (mu, log s^2)
                = E(x), z = mu + s eps, x_hat = D(z), L = mean |x - x_hat| + 1e-4 KL, gradient-norm
                clip at 1, Adam(3e-3, 0.9, 0.999), EMA 0.999 (models.KlAutoencoder: f = 4, width 32).
  train/latent-flow
                DiffusionTrainer.step with a flow-matching spec (org.genlab.diffusion.flow.
                FlowMatchingLoss): s ~ U(0, 1), eps ~ N(0, I), x_s = x_0 + s (eps - x_0),
                MSE(v(x_s, 1000 s), eps - x_0) with the latent UNet preset on the autoencoder's
                latents (4x7x7 for MNIST); clip, Adam(2e-4), EMA as train/ddpm.
  sample/flow-euler-50
                org.genlab.diffusion.flow.FlowSampler, Euler, s_i = 1 - i/50: x += (s' - s) v(x, 1000 s),
                with the UNet preset read as a velocity model; clipped to [-1, 1].
  sample/latent-flow-euler-50
                the same with the latent UNet on latents, then LatentSpace.decode: clip(D(z / s), -1, 1).
Inputs are random tensors of the data sets' shapes. Each row names the trainable parameters of its
networks (models.count_parameters), which must equal GenLab's (org.genlab.core.nn.Params.count).

The BLAS matters: Debian's PyTorch links libblas.so.3, which is the slow reference (netlib) BLAS
unless an optimised one (OpenBLAS: apt-get install libopenblas0-pthread) is installed; the report
names the library actually loaded (--blas-check prints it and exits 3 for the reference BLAS).

Why DDIM sampling once read 0.57 (GenLab / PyTorch) at 2 threads: not a GenLab advantage. With one
thread (same machine, same harness, A B B A) DDIM-10 on 16 MNIST images took 1442 ms in GenLab and
1118 ms here (1.29), and op for op libtorch 2.7.1 under DJL is not faster than PyTorch 1.13 (3x3
convolutions 2.84 against 2.45 ms a call; SiLU as sigmoid + mul against one fused op; GroupNorm as
layer norm + affine against the native kernel). The sampling loops do the same work (no_grad, eval
mode, float32, one t tensor per step, the same attention; nearest upsampling is 1 % of the time).
What differed was the reference's BLAS at 2 threads: with netlib, attention's bmm is serial and
slow (1.7 of 3.0 s of DDIM-10 at one thread, 0.1 s with OpenBLAS); with OpenBLAS's pthreads build a
second thread pool sits next to PyTorch's OpenMP pool and its worker spins after every call (90 ms
of CPU in the 0.5 s after one bmm), while sampling calls the BLAS every few milliseconds, so at 2
threads it holds one of the two cores that PyTorch's OpenMP threads wait for. Hence run-vs-pytorch
gives the reference OpenBLAS's OpenMP build (libopenblas0-openmp: no second pool, as MKL in
PyTorch's pip wheels), and compare.py shows the cores each side kept busy. Times are medians over repeats after warm-up;
a repeat runs k times (k chosen from the last warm-up so that it lasts min_repeat_seconds) and waits
for the device once, at its end.

Usage: python3 bench.py [--quick] [--rows PREFIX,...] [--threads N] [--out DIR] ...
"""

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402

SCHEMA = "genlab-bench/1"
DIFFUSION_STEPS = 1000
FLOW_STEPS = 50  # org.genlab.bench.Benchmark.FLOW_STEPS
SHAPES = {"mnist": (1, 28, 28), "cifar10": (3, 32, 32)}
LATENT_CHANNELS = 4  # org.genlab.autoencoder.Autoencoder's default


def latent_shape(shape):
    """The latent of GenLab's autoencoder (f = 4): (4, H/4, W/4)."""
    return (LATENT_CHANNELS, shape[1] // 4, shape[2] // 4)


# ----------------------------------------------------------------------------- BLAS


REFERENCE_BLAS_HELP = (
    "PyTorch here runs its matrix products on the reference (netlib) BLAS, several times slower than"
    " an optimised one, which would make every GenLab/PyTorch ratio unfair. Install OpenBLAS (Debian:"
    " sudo apt-get install libopenblas0-pthread; it becomes libblas.so.3 through update-alternatives),"
    " or, if it is installed but not selected: sudo update-alternatives --set"
    " libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"
)


def _sgemm_provider():
    """The shared library whose sgemm_ PyTorch's libtorch_cpu binds to (dlsym from libtorch_cpu's
    handle, then dladdr), or None where that cannot be found (not Linux, no such symbol)."""
    import ctypes

    class DlInfo(ctypes.Structure):
        _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                    ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]

    try:
        with open("/proc/self/maps") as f:
            mapped = [line.split()[5] for line in f if len(line.split()) >= 6]
        torch_lib = next(p for p in mapped if os.path.basename(p).startswith("libtorch_cpu"))
        addr = ctypes.cast(ctypes.CDLL(torch_lib).sgemm_, ctypes.c_void_p).value
        info = DlInfo()
        if not ctypes.CDLL(None).dladdr(ctypes.c_void_p(addr), ctypes.byref(info)):
            return None
        return info.dli_fname.decode()
    except (OSError, AttributeError, StopIteration, ValueError):
        return None


def blas_info():
    """Which BLAS this process's PyTorch runs its matrix products on. PyTorch's build config says
    BLAS_INFO=mkl for the pip wheels (MKL inside libtorch); Debian builds BLAS_INFO=generic and links
    libblas.so.3, which Debian's alternatives point at OpenBLAS, BLIS, ATLAS or the reference (netlib)
    BLAS. So: find the library that defines the sgemm_ libtorch calls, and name it."""
    config = torch.__config__.show()
    build = "unknown"
    for part in config.replace("\n", ",").split(","):
        if "BLAS_INFO" in part:
            build = part.split("=", 1)[1].strip()
    info = {"build": build, "name": "unknown", "optimised": None, "library": None, "threads": None, "detail": None}
    provider = _sgemm_provider()
    if provider is None or os.path.basename(provider).startswith("libtorch"):
        # built into libtorch (MKL in the pip wheels), or not found: the build config is all we know
        known = {"mkl": "MKL", "open": "OpenBLAS", "blis": "BLIS", "accelerate": "Accelerate"}
        if build in known:
            info.update(name=known[build] + " (built in)", optimised=True, library=provider)
        return info
    real = os.path.realpath(provider)
    info["library"] = real
    lower = real.lower()
    try:
        import ctypes
        lib = ctypes.CDLL(provider)
        if hasattr(lib, "openblas_get_config"):
            lib.openblas_get_config.restype = ctypes.c_char_p
            cfg = lib.openblas_get_config().decode()  # e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Cooperlake"
            info.update(name=" ".join(cfg.split()[:2]), optimised=True, threads=int(lib.openblas_get_num_threads()),
                        detail=cfg)
            return info
    except OSError:
        pass
    for key, name in (("mkl", "MKL"), ("blis", "BLIS"), ("atlas", "ATLAS"), ("openblas", "OpenBLAS")):
        if key in lower:
            info.update(name=name, optimised=True)
            return info
    # Debian's libblas3 (/usr/lib/<arch>/blas/libblas.so.3): the Fortran reference implementation
    info.update(name="reference BLAS (netlib)", optimised=False)
    return info


def openblas_build(info):
    """'OpenMP', 'pthreads' or 'serial' for an OpenBLAS, else None."""
    if not info["name"].startswith("OpenBLAS"):
        return None
    where = (info.get("library") or "").lower()
    if "serial" in where:
        return "serial"
    return "OpenMP" if "USE_OPENMP" in (info.get("detail") or "") else "pthreads"


def blas_text(info):
    """One line: name, build, threads, library."""
    text = info["name"]
    if openblas_build(info):
        text += " (%s build)" % openblas_build(info)
    if info.get("threads"):
        text += ", %d thread(s)" % info["threads"]
    if info.get("library"):
        text += ", " + info["library"]
    if info["optimised"] is False:
        text += " (NOT optimised)"
    return text


def set_blas_threads(info, n):
    """OpenBLAS keeps its own threads (libopenblas0-pthread): give it the same number as PyTorch."""
    if info.get("library") and info["name"].startswith("OpenBLAS") and info.get("threads") is not None:
        try:
            import ctypes
            ctypes.CDLL(info["library"]).openblas_set_num_threads(int(n))
            info["threads"] = int(ctypes.CDLL(info["library"]).openblas_get_num_threads())
        except (OSError, AttributeError):
            pass


# ----------------------------------------------------------------------------- memory, machine


def _status(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return -1


def rss_mib():
    v = _status("VmRSS:")
    return v / 2**20 if v >= 0 else -1


def peak_rss_mib():
    v = _status("VmHWM:")
    return v / 2**20 if v >= 0 else -1


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def parameter_text(params):
    """BenchReport.parameterText: 'unet 701,345 + autoencoder 145,865'."""
    if not params:
        return "-"
    return " + ".join("%s {:,}".format(v) % k for k, v in params.items())


# ----------------------------------------------------------------------------- timing


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def measure(work, warmup, repeats, min_seconds):
    """Timer.measure of the Java side: warm-up, k runs per repeat, one sync per repeat, median."""
    index = 0
    last = 0.0
    for _ in range(max(1, warmup)):
        t0 = time.perf_counter()
        work(index, True)
        index += 1
        last = time.perf_counter() - t0
    k = max(1, math.ceil(min_seconds / max(last, 1e-6)))
    ms, cpu = [], []
    for _ in range(max(1, repeats)):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for j in range(k):
            work(index, j == k - 1)
            index += 1
        ms.append((time.perf_counter() - t0) * 1000 / k)
        cpu.append((time.process_time() - c0) * 1000 / k)
    s = sorted(ms)
    return {"median": statistics.median(s), "min": s[0], "max": s[-1], "repeats": ms, "k": k, "cpu_median": statistics.median(cpu), "cpu": cpu}


# ----------------------------------------------------------------------------- training steps


class Ema:
    """org.genlab.core.ema.Ema: shadow = d * shadow + (1 - d) * w over every parameter and, as DJL
    counts BatchNorm's running statistics among a block's parameters, every float buffer."""

    def __init__(self, module, decay=0.999):
        self.decay = decay
        self.live = [t for t in list(module.parameters()) + list(module.buffers()) if t.is_floating_point()]
        self.shadow = [t.detach().clone() for t in self.live]

    @torch.no_grad()
    def update(self):
        for s, w in zip(self.shadow, self.live):
            s.mul_(self.decay).add_(w, alpha=1 - self.decay)


class GanTraining:
    def __init__(self, device, shape, width, batch, seed):
        torch.manual_seed(seed)
        c, h, _ = shape
        self.device, self.batch = device, batch
        self.G = models.DcganGenerator(c, h, 100, width).to(device).train()
        self.D = models.DcganDiscriminator(c, h, width).to(device).train()
        self.parameters = {"generator": models.count_parameters(self.G), "discriminator": models.count_parameters(self.D)}
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.ema = Ema(self.G, 0.999)
        self.real = torch.rand((batch,) + tuple(shape), device=device) * 2 - 1

    def zero_grad(self):
        # org.genlab.core.nn.Gradients.zero(G, D) at the start of both updates
        self.opt_g.zero_grad(set_to_none=False)
        self.opt_d.zero_grad(set_to_none=False)

    def __call__(self, index, do_sync):
        x = self.real.clone()  # a fresh batch each step, as GenLab copies its batch into the step
        n = x.shape[0]
        with torch.no_grad():
            fake = self.G(torch.randn(n, 100, device=self.device))
        self.zero_grad()
        r = self.D(x)
        f = self.D(fake)
        loss_d = F.softplus(-r).mean() + F.softplus(f).mean()
        loss_d.backward()
        self.opt_d.step()
        self.zero_grad()
        loss_g = F.softplus(-self.D(self.G(torch.randn(n, 100, device=self.device)))).mean()
        loss_g.backward()
        self.opt_g.step()
        self.ema.update()
        r, f = r.detach(), f.detach()
        acc = ((r > 0).float().mean() + (f <= 0).float().mean()) * 0.5
        stats = [loss_d.detach(), loss_g.detach(), torch.sigmoid(r).mean(), torch.sigmoid(f).mean(), acc]
        if do_sync:
            torch.stack([s.reshape(1) for s in stats]).tolist()


class DdpmTraining:
    def __init__(self, device, shape, preset, batch, seed):
        torch.manual_seed(seed)
        c, h, _ = shape
        self.device = device
        self.model = models.unet_preset(preset, c, h).to(device).train()
        self.parameters = {"unet": models.count_parameters(self.model)}
        self.opt = torch.optim.Adam(self.model.parameters(), lr=2e-4, betas=(0.9, 0.999), eps=1e-8)
        self.ema = Ema(self.model, 0.999)
        sched = models.linear_schedule(DIFFUSION_STEPS)
        ab = torch.tensor(sched["alpha_bar"], dtype=torch.float64)
        self.sqrt_ab = ab.sqrt().float().to(device)
        self.sqrt_1m_ab = (1 - ab).sqrt().float().to(device)
        self.real = torch.rand((batch,) + tuple(shape), device=device) * 2 - 1

    def __call__(self, index, do_sync):
        x0 = self.real.clone()
        b = x0.shape[0]
        t = torch.randint(0, DIFFUSION_STEPS, (b,), device=self.device)
        eps = torch.randn_like(x0)
        xt = x0 * self.sqrt_ab[t].view(b, 1, 1, 1) + eps * self.sqrt_1m_ab[t].view(b, 1, 1, 1)
        self.opt.zero_grad(set_to_none=False)
        out = self.model(xt, t.float())
        loss = (out - eps).square().mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.opt.step()
        self.ema.update()
        if do_sync:
            loss.item()


class FlowTraining:
    """DiffusionTrainer.step with a flow-matching spec (FlowMatchingLoss, s ~ U(0, 1))."""

    def __init__(self, device, shape, preset, batch, seed):
        torch.manual_seed(seed)
        c, h, _ = shape
        self.device = device
        self.model = models.unet_preset(preset, c, h).to(device).train()
        self.parameters = {"unet": models.count_parameters(self.model)}
        self.opt = torch.optim.Adam(self.model.parameters(), lr=2e-4, betas=(0.9, 0.999), eps=1e-8)
        self.ema = Ema(self.model, 0.999)
        self.real = torch.rand((batch,) + tuple(shape), device=device) * 2 - 1

    def __call__(self, index, do_sync):
        x0 = self.real.clone()
        b = x0.shape[0]
        s = torch.rand(b, device=self.device)  # s ~ U(0, 1)
        eps = torch.randn_like(x0)
        xs = x0 + (eps - x0) * s.view(b, 1, 1, 1)  # x_s = (1 - s) x_0 + s eps
        u = eps - x0  # the velocity
        self.opt.zero_grad(set_to_none=False)
        v = self.model(xs, s * 1000)  # FlowPath.networkTime
        loss = (v - u).square().mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.opt.step()
        self.ema.update()
        if do_sync:
            loss.item()


class AutoencoderTraining:
    """AutoencoderTrainer.step with its defaults: L1 + 1e-4 KL, clip 1, Adam(3e-3), EMA 0.999."""

    def __init__(self, device, shape, batch, seed):
        torch.manual_seed(seed)
        c = shape[0]
        self.model = models.KlAutoencoder(c, LATENT_CHANNELS, 32).to(device).train()
        self.parameters = {"autoencoder": models.count_parameters(self.model)}
        self.opt = torch.optim.Adam(self.model.parameters(), lr=3e-3, betas=(0.9, 0.999), eps=1e-8)
        self.ema = Ema(self.model, 0.999)
        self.real = torch.rand((batch,) + tuple(shape), device=device) * 2 - 1

    def __call__(self, index, do_sync):
        x = self.real.clone()
        self.opt.zero_grad(set_to_none=False)
        x_hat, kl = self.model.reconstruct(x)
        rec = (x_hat - x).abs().mean()  # ReconstructionLoss.L1
        loss = rec + 1e-4 * kl  # L = L_rec + beta KL
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.opt.step()
        self.ema.update()
        if do_sync:
            torch.stack([rec.detach(), kl.detach()]).tolist()


# ----------------------------------------------------------------------------- sampling


def flow_euler(net, x, steps):
    """org.genlab.diffusion.flow.FlowSampler (Euler): network times t_i = round(1000 (1 - i/N)),
    s = t_i / 1000, x <- x + (s' - s) v(x, t_i), s' = the next s (0 after the last step). (GenLab's
    step also forms x0_hat = x - s v for trajectory listeners: two element-wise ops on the batch,
    which nothing here needs.)"""
    n = x.shape[0]
    ts = [round(1000 * (1 - i / steps)) for i in range(steps)]
    for i, t in enumerate(ts):
        s, sp = t / 1000, (ts[i + 1] / 1000 if i + 1 < steps else 0.0)
        v = net(x, torch.full((n,), float(t), device=x.device))
        x = x + v * (sp - s)
    return x


class Sampling:
    def __init__(self, device, shape, gan_width, preset, seed):
        torch.manual_seed(seed)
        c, h, _ = shape
        self.device, self.shape = device, tuple(shape)
        self.G = models.DcganGenerator(c, h, 100, gan_width).to(device).eval()
        self.unet = models.unet_preset(preset, c, h).to(device).eval()
        self.parameters = {"generator": models.count_parameters(self.G), "unet": models.count_parameters(self.unet)}

    @torch.no_grad()
    def gan(self, n):
        return self.G(torch.randn(n, 100, device=self.device))

    @torch.no_grad()
    def ddpm(self, n, steps):
        s = models.linear_schedule(steps)
        x = torch.randn((n,) + self.shape, device=self.device)
        for t in reversed(range(steps)):
            out = self.unet(x, torch.full((n,), float(t), device=self.device))
            ab = s["alpha_bar"][t]
            x0 = ((x - out * math.sqrt(1 - ab)) / math.sqrt(ab)).clamp(-1, 1)
            mean = x0 * s["coef_x0"][t] + x * s["coef_xt"][t]
            if t > 0:
                mean = mean + torch.randn_like(x) * math.sqrt(s["post_var"][t])
            x = mean
        return x.clamp(-1, 1)

    @torch.no_grad()
    def ddim(self, n, steps):
        s = models.linear_schedule(DIFFUSION_STEPS)
        total = DIFFUSION_STEPS
        ts = [total - 1] if steps == 1 else [round((total - 1) * (steps - 1 - i) / (steps - 1)) for i in range(steps)]
        x = torch.randn((n,) + self.shape, device=self.device)
        for i, t in enumerate(ts):
            tp = ts[i + 1] if i + 1 < len(ts) else -1
            ab = s["alpha_bar"][t]
            ab_prev = s["alpha_bar"][tp] if tp >= 0 else 1.0
            out = self.unet(x, torch.full((n,), float(t), device=self.device))
            x0 = ((x - out * math.sqrt(1 - ab)) / math.sqrt(ab)).clamp(-1, 1)
            eps = (x - x0 * math.sqrt(ab)) / math.sqrt(1 - ab)
            x = x0 * math.sqrt(ab_prev) + eps * math.sqrt(max(0.0, 1 - ab_prev))
        return x.clamp(-1, 1)

    @torch.no_grad()
    def flow(self, n, steps):
        """The UNet read as a velocity model (SampleSources.diffusion clips the result)."""
        x = torch.randn((n,) + self.shape, device=self.device)
        return flow_euler(self.unet, x, steps).clamp(-1, 1)


class LatentSampling:
    """org.genlab.bench.work.LatentSampling: the latent UNet integrated by Euler steps on latents,
    then LatentSpace.decode: clip(D(z / s), -1, 1), s = 1 for fresh networks."""

    def __init__(self, device, shape, seed):
        torch.manual_seed(seed)
        self.device = device
        self.latent = latent_shape(shape)
        self.autoencoder = models.KlAutoencoder(shape[0], LATENT_CHANNELS, 32).to(device).eval()
        self.unet = models.unet_preset("latent", self.latent[0], self.latent[1]).to(device).eval()
        self.scale = 1.0
        self.parameters = {"unet": models.count_parameters(self.unet), "autoencoder": models.count_parameters(self.autoencoder)}

    @torch.no_grad()
    def sample(self, n, steps):
        z = flow_euler(self.unet, torch.randn((n,) + self.latent, device=self.device), steps)
        return self.autoencoder.decode(z / self.scale).clamp(-1, 1)


# ----------------------------------------------------------------------------- the run


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", default="", help="row-id prefixes, comma-separated (default: all)")
    p.add_argument("--data", default="mnist,cifar10")
    p.add_argument("--batches", default=None)
    p.add_argument("--sample-batch", type=int, default=None)
    p.add_argument("--warmup", type=int, default=None)
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument("--min-repeat-seconds", type=float, default=None)
    p.add_argument("--ddpm-steps", type=int, default=None)
    p.add_argument("--gan-width", type=int, default=64)
    p.add_argument("--unet-preset", default="cpu")
    p.add_argument("--out", default="bench/results")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: as is)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--blas-check", action="store_true",
                   help="print the BLAS PyTorch runs on and exit: 0 if optimised, 3 if the reference BLAS")
    a = p.parse_args(argv)

    blas = blas_info()
    if a.threads:
        set_blas_threads(blas, a.threads)
    if a.blas_check:
        print("BLAS: " + blas_text(blas))
        return 3 if blas["optimised"] is False else 0
    if blas["optimised"] is False:
        sys.stderr.write("\n*** WARNING: %s\n*** %s\n\n" % (blas_text(blas), REFERENCE_BLAS_HELP))
    elif openblas_build(blas) == "pthreads" and (a.threads or torch.get_num_threads()) > 1:
        sys.stderr.write("(note: %s: its worker threads spin after each call and compete with PyTorch's"
                         " OpenMP threads; the OpenMP build, libopenblas0-openmp, shares them)\n" % blas_text(blas))

    def pick(value, full, quick):
        return value if value is not None else (quick if a.quick else full)

    settings = {
        "rows": [r for r in a.rows.split(",") if r],
        "data": [d for d in a.data.split(",") if d],
        "batches": [int(b) for b in a.batches.split(",")] if a.batches else ([64] if a.quick else [64, 128]),
        "sample_batch": pick(a.sample_batch, 64, 16),
        "warmup": pick(a.warmup, 2, 1),
        "repeats": pick(a.repeats, 5, 3),
        "min_repeat_seconds": pick(a.min_repeat_seconds, 1.0, 0.2),
        "ddpm_timed_steps": pick(a.ddpm_steps, 100, 10),
        "gan_width": a.gan_width,
        "unet_preset": a.unet_preset,
        "quick": a.quick,
        "seed": a.seed,
    }
    if a.threads:
        torch.set_num_threads(a.threads)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass
    device = torch.device(a.device)

    def selects(row_id):
        return not settings["rows"] or any(row_id.startswith(r) or r == "all" for r in settings["rows"])

    load_start = load_average()
    rows = []
    overall_peak = peak_rss_mib()

    def row(row_id, task, model, data, batch, unit, make, scale=1.0, note=None, shape=None, params=None):
        nonlocal overall_peak
        if not selects(row_id):
            return
        overall_peak = max(overall_peak, peak_rss_mib())
        reset_peak()
        work = make()
        if params is None:
            params = getattr(work, "parameters", None)
        m = measure(work, settings["warmup"], settings["repeats"], settings["min_repeat_seconds"])
        del work
        peak = peak_rss_mib()
        overall_peak = max(overall_peak, peak)
        gpu = -1.0
        if device.type == "cuda":
            free, total = torch.cuda.mem_get_info(device)
            gpu = (total - free) / 2**20
        median = m["median"] * scale
        r = {
            "id": row_id,
            "task": task,
            "model": model,
            "data": data,
            "shape": "x".join(str(d) for d in (shape or SHAPES[data])),
            "batch": batch,
            "unit": unit,
            "median_ms": median,
            "min_ms": m["min"] * scale,
            "max_ms": m["max"] * scale,
            "repeats_ms": [v * scale for v in m["repeats"]],
            "runs_per_repeat": m["k"],
            "cpu_median_ms": m["cpu_median"] * scale,
            "cpu_repeats_ms": [v * scale for v in m["cpu"]],
            "images_per_s": batch / (median / 1000),
            "peak_rss_mib": peak,
            "gpu_memory_mib": gpu,
            "note": note,
            "parameters": params,
        }
        rows.append(r)
        print(
            "%-28s %9.1f ms/%s  (min %.1f, max %.1f, CPU %.1f, %dx%d runs)  %8.1f images/s  peak RSS %.0f MiB  params %s"
            % (row_id, median, unit, r["min_ms"], r["max_ms"], r["cpu_median_ms"], settings["repeats"], m["k"], r["images_per_s"], peak,
               parameter_text(params)),
            flush=True,
        )

    def work(fn):
        """A sampling row's work: one batch per run; a synced run waits for the device and reads x."""
        def run(index, do_sync):
            x = fn()
            if do_sync:
                sync(device)
                x.sum().item()
        return lambda: run

    for data in settings["data"]:
        shape = SHAPES[data]
        for b in settings["batches"]:
            row("train/dcgan/%s/b%d" % (data, b), "train", "dcgan", data, b, "step",
                lambda b=b: GanTraining(device, shape, settings["gan_width"], b, a.seed))
        for b in settings["batches"]:
            row("train/ddpm/%s/b%d" % (data, b), "train", "ddpm-unet-" + a.unet_preset, data, b, "step",
                lambda b=b: DdpmTraining(device, shape, a.unet_preset, b, a.seed))
        latent = latent_shape(shape)
        latent_dims = "x".join(str(d) for d in latent)
        for b in settings["batches"]:
            row("train/autoencoder/%s/b%d" % (data, b), "train", "autoencoder-kl", data, b, "step",
                lambda b=b: AutoencoderTraining(device, shape, b, a.seed))
        for b in settings["batches"]:
            row("train/latent-flow/%s/b%d" % (data, b), "train", "flow-unet-latent", data, b, "step",
                lambda b=b: FlowTraining(device, latent, "latent", b, a.seed),
                note="flow matching on %s latents" % latent_dims, shape=latent)
        sb = settings["sample_batch"]
        suffix = "/%s/b%d" % (data, sb)
        ids = ["sample/" + m + suffix for m in ("gan", "ddpm-1000", "ddim-50", "ddim-10", "flow-euler-%d" % FLOW_STEPS)]
        if any(selects(i) for i in ids):
            s = Sampling(device, shape, settings["gan_width"], a.unet_preset, a.seed)
            timed = settings["ddpm_timed_steps"]
            scale = DIFFUSION_STEPS / timed
            note = None if timed == DIFFUSION_STEPS else "extrapolated: %d steps timed, \u00d7%.0f" % (timed, scale)

            g, u = {"generator": s.parameters["generator"]}, {"unet": s.parameters["unet"]}
            row(ids[0], "sample", "gan", data, sb, "batch", work(lambda: s.gan(sb)), params=g)
            row(ids[1], "sample", "ddpm-1000", data, sb, "batch", work(lambda: s.ddpm(sb, timed)), scale, note, params=u)
            row(ids[2], "sample", "ddim-50", data, sb, "batch", work(lambda: s.ddim(sb, 50)), params=u)
            row(ids[3], "sample", "ddim-10", data, sb, "batch", work(lambda: s.ddim(sb, 10)), params=u)
            row(ids[4], "sample", "flow-euler-%d" % FLOW_STEPS, data, sb, "batch", work(lambda: s.flow(sb, FLOW_STEPS)),
                note="UNet preset %s as a velocity model" % a.unet_preset, params=u)
            del s
        latent_id = "sample/latent-flow-euler-%d%s" % (FLOW_STEPS, suffix)
        if selects(latent_id):
            ls = LatentSampling(device, shape, a.seed)
            row(latent_id, "sample", "latent-flow-euler-%d" % FLOW_STEPS, data, sb, "batch",
                work(lambda: ls.sample(sb, FLOW_STEPS)), shape=latent, params=ls.parameters,
                note="%s latents, then decoded to %s" % (latent_dims, "x".join(str(d) for d in shape)))
            del ls

    threads = {"intra_op": torch.get_num_threads(), "inter_op": torch.get_num_interop_threads()}
    software = {
        "PyTorch": torch.__version__,
        "Python": platform.python_version(),
        "BLAS": blas_text(blas),
        "oneDNN": str(torch.backends.mkldnn.is_available()),
    }
    description = "cpu (%d cores)" % os.cpu_count() if device.type == "cpu" else torch.cuda.get_device_name(device)
    report = {
        "schema": SCHEMA,
        "side": "pytorch",
        "created": datetime.datetime.utcnow().replace(microsecond=0).isoformat() + "Z",
        "software": software,
        "device": "cpu" if device.type == "cpu" else "gpu:%d" % (device.index or 0),
        "device_description": description,
        "threads": threads,
        "machine": {
            "cpu": cpu_model(),
            "cores": str(os.cpu_count()),
            "os": platform.system() + " " + platform.machine(),
            "loadavg_start": load_start,
            "loadavg_end": load_average(),
        },
        "settings": settings,
        "rows": rows,
        "peak_rss_mib": max(overall_peak, peak_rss_mib()),
        "memory_stability": [],
        "blas": blas,
    }
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "pytorch.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
    print("Results: " + os.path.abspath(path))


if __name__ == "__main__":
    sys.exit(main())
