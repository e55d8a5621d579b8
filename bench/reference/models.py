"""The networks GenLab trains, written in plain PyTorch, layer for layer.

Each class names the Java class it mirrors. Same widths, kernels, strides, paddings, normalisations
(BatchNorm eps 1e-5 / momentum 0.1, which is DJL's momentum 0.9; GroupNorm eps 1e-5), activations,
attention and up/down-sampling. Where GenLab upsamples by repeating pixels (nearest neighbour), this
uses the idiomatic PyTorch op for the same result, nn.Upsample(scale_factor=2, mode="nearest").
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def doublings(side):
    """How often a DCGAN doubles the resolution: the largest k with side / 2^k whole and >= 4
    (org.genlab.gan.nn.DcganGenerator.doublings: 2 for 28, 3 for 32)."""
    k = 0
    while side % (1 << (k + 1)) == 0 and side // (1 << (k + 1)) >= 4:
        k += 1
    return k


def _dcgan_init(module):
    # DJL NormalInitializer(0.02) on weights; biases 0; BatchNorm gamma 1, beta 0
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            nn.init.zeros_(m.bias)


class DcganGenerator(nn.Module):
    """org.genlab.gan.nn.DcganGenerator (unconditional):
    z -> Linear -> BN -> ReLU -> reshape (4w, s, s) -> [upsample x2 -> conv 3x3 -> BN -> ReLU] ...
      -> upsample x2 -> conv 3x3 -> tanh."""

    def __init__(self, channels, size, latent_dim=100, width=64):
        super().__init__()
        k = doublings(size)
        base = size >> k
        ch = width << (k - 1)
        self.c0, self.base = ch, base
        self.fc = nn.Linear(latent_dim, ch * base * base)
        self.bn0 = nn.BatchNorm1d(ch * base * base)
        layers = []
        for _ in range(k - 1):
            layers += [
                nn.Upsample(scale_factor=2, mode="nearest"),
                nn.Conv2d(ch, ch // 2, 3, padding=1),
                nn.BatchNorm2d(ch // 2),
                nn.ReLU(),
            ]
            ch //= 2
        layers += [
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(ch, channels, 3, padding=1),
            nn.Tanh(),
        ]
        self.body = nn.Sequential(*layers)
        _dcgan_init(self)

    def forward(self, z):
        h = F.relu(self.bn0(self.fc(z)))
        return self.body(h.view(-1, self.c0, self.base, self.base))


class DcganDiscriminator(nn.Module):
    """org.genlab.gan.nn.DcganDiscriminator (no spectral norm, unconditional, batch norm as in
    Radford et al. and GenLab's default): [conv 4x4 stride 2 pad 1 (-> BatchNorm but in layer 0)
    -> LeakyReLU 0.2] x k (channels w, 2w, 4w) -> flatten -> Linear -> logit.
    """

    def __init__(self, channels, size, width=64):
        super().__init__()
        k = doublings(size)
        layers, cin, side = [], channels, size
        for i in range(k):
            f = width << i
            layers += [nn.Conv2d(cin, f, 4, stride=2, padding=1)]
            if i > 0:
                layers += [nn.BatchNorm2d(f)]
            layers += [nn.LeakyReLU(0.2)]
            cin, side = f, side // 2
        self.body = nn.Sequential(*layers, nn.Flatten())
        self.head = nn.Linear(cin * side * side, 1)
        _dcgan_init(self)

    def forward(self, x):
        return self.head(self.body(x))


def sinusoidal(t, dim):
    """org.genlab.diffusion.nn.Layers.sinusoidal: [sin(t w_i), cos(t w_i)], w_i = 10000^(-i/(d/2))."""
    half = dim // 2
    freqs = torch.exp(torch.arange(half, dtype=torch.float32, device=t.device) * (-math.log(10000.0) / half))
    args = t.float().view(-1, 1) * freqs.view(1, -1)
    return torch.cat([args.sin(), args.cos()], dim=1)


class ResidualBlock(nn.Module):
    """org.genlab.diffusion.nn.ResidualBlock:
    h = conv(SiLU(GN(x))); h += Linear(SiLU(emb)); h = conv(Dropout(SiLU(GN(h)))); y = skip(x) + h."""

    def __init__(self, cin, cout, groups, emb_dim, dropout=0.0):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=1e-5)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb_dim, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=1e-5)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(F.silu(emb))[:, :, None, None]
        h = F.silu(self.norm2(h))
        if self.dropout is not None:
            h = self.dropout(h)
        h = self.conv2(h)
        return (x if self.skip is None else self.skip(x)) + h


class SelfAttention(nn.Module):
    """org.genlab.diffusion.nn.SelfAttention: single head over pixels, residual.
    q, k, v = 1x1 conv(GN(x)); A = softmax(q^T k / sqrt(C)); y = x + 1x1 conv(v A^T)."""

    def __init__(self, channels, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels, eps=1e-5)
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.proj = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        b, c, hh, ww = x.shape
        n = hh * ww
        q, k, v = self.qkv(self.norm(x)).view(b, 3, c, n).unbind(1)
        attn = torch.softmax(torch.bmm(q.transpose(1, 2), k) * (1.0 / math.sqrt(c)), dim=2)
        out = torch.bmm(v, attn.transpose(1, 2)).view(b, c, hh, ww)
        return x + self.proj(out)


class UNet(nn.Module):
    """org.genlab.diffusion.nn.UNet (unconditional). cpu preset: base 32, mults (1, 2), 1 residual
    block per level, 8 groups; gpu preset: base 128, mults (1, 2, 2, 2), 2 blocks, 32 groups,
    dropout 0.1. Attention after every residual block of the lowest level and in the middle; stride-2
    3x3 convolutions down, nearest x2 + 3x3 convolution up."""

    def __init__(self, channels, base=32, mults=(1, 2), num_res=1, groups=8, dropout=0.0):
        super().__init__()
        self.base = base
        emb_dim = 4 * base
        levels = len(mults)
        self.conv_in = nn.Conv2d(channels, base * mults[0], 3, padding=1)
        self.time1 = nn.Linear(base, emb_dim)
        self.time2 = nn.Linear(emb_dim, emb_dim)
        skips = []
        ch = base * mults[0]
        skips.append(ch)
        self.down = nn.ModuleList()
        self.down_kinds = []
        for l in range(levels):
            out = base * mults[l]
            for _ in range(num_res):
                self.down.append(ResidualBlock(ch, out, groups, emb_dim, dropout))
                self.down_kinds.append("res")
                ch = out
                if l == levels - 1:
                    self.down.append(SelfAttention(ch, groups))
                    self.down_kinds.append("attn")
                skips.append(ch)
            if l != levels - 1:
                self.down.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))
                self.down_kinds.append("pool")
                skips.append(ch)
        self.mid1 = ResidualBlock(ch, ch, groups, emb_dim, dropout)
        self.mid_attn = SelfAttention(ch, groups)
        self.mid2 = ResidualBlock(ch, ch, groups, emb_dim, dropout)
        self.up = nn.ModuleList()
        self.up_kinds = []
        for l in reversed(range(levels)):
            out = base * mults[l]
            for _ in range(num_res + 1):
                self.up.append(ResidualBlock(ch + skips.pop(), out, groups, emb_dim, dropout))
                self.up_kinds.append("res")
                ch = out
                if l == levels - 1:
                    self.up.append(SelfAttention(ch, groups))
                    self.up_kinds.append("attn")
            if l != 0:
                self.up.append(nn.Conv2d(ch, ch, 3, padding=1))
                self.up_kinds.append("upsample")
        self.norm_out = nn.GroupNorm(groups, ch, eps=1e-5)
        self.conv_out = nn.Conv2d(ch, channels, 3, padding=1)
        for m in self.modules():  # DJL XavierInitializer on weights
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x, t):
        emb = sinusoidal(t, self.base)
        emb = self.time2(F.silu(self.time1(emb)))
        h = self.conv_in(x)
        hs = [h]
        for kind, block in zip(self.down_kinds, self.down):
            if kind == "res":
                h = block(h, emb)
                hs.append(h)
            elif kind == "attn":
                h = block(h)
                hs[-1] = h
            else:
                h = block(h)
                hs.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb)), emb)
        for kind, block in zip(self.up_kinds, self.up):
            if kind == "res":
                h = block(torch.cat([h, hs.pop()], dim=1), emb)
            elif kind == "attn":
                h = block(h)
            else:
                h = block(F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.conv_out(F.silu(self.norm_out(h)))


def unet_preset(preset, channels, height):
    """org.genlab.diffusion.nn.UNet.cpu / .gpu / .latent, as org.genlab.diffusion.train.ModelSpec
    builds them. latent: base 64, one level (mults (1,): no down- or upsampling), 2 residual blocks,
    8 groups, so attention after every residual block (2 down, 3 up) and in the middle."""
    if preset == "cpu":
        return UNet(channels, base=32, mults=(1, 2), num_res=1, groups=8)
    if preset == "gpu":
        mults = (1, 2, 2, 2) if height % 8 == 0 else (1, 2, 2)
        return UNet(channels, base=128, mults=mults, num_res=2, groups=32, dropout=0.1)
    if preset == "latent":
        return UNet(channels, base=64, mults=(1,), num_res=2, groups=8)
    raise ValueError("unknown preset " + preset)


def count_parameters(module):
    """org.genlab.core.nn.Params.count: the scalars of every parameter that requires a gradient
    (DJL counts BatchNorm's running statistics as parameters that do not; PyTorch keeps them as
    buffers, which parameters() leaves out)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def _conv3x3(cin, cout, stride=1):
    # org.genlab.autoencoder.nn.Encoder.conv3x3: kernel 3, padding 1, bias
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1)


class Encoder(nn.Module):
    """org.genlab.autoencoder.nn.Encoder (W = width, C_h = out_channels; no normalisation):
        h = conv3x3(x)                 (W/2, H, W)
        h = conv3x3/2(SiLU(h))         (W, H/2, W/2)
        h = h + conv3x3(SiLU(h))       (W, H/2, W/2)
        h = conv3x3/2(SiLU(h))         (2W, H/4, W/4)
        h = h + conv3x3(SiLU(h))       (2W, H/4, W/4)
        h = conv3x3(SiLU(h))           (C_h, H/4, W/4)
    """

    def __init__(self, channels, width, out_channels):
        super().__init__()
        self.conv_in = _conv3x3(channels, width // 2)
        self.down1 = _conv3x3(width // 2, width, 2)
        self.res1 = _conv3x3(width, width)
        self.down2 = _conv3x3(width, 2 * width, 2)
        self.res2 = _conv3x3(2 * width, 2 * width)
        self.conv_out = _conv3x3(2 * width, out_channels)

    def forward(self, x):
        h = self.conv_in(x)
        h = self.down1(F.silu(h))
        h = h + self.res1(F.silu(h))
        h = self.down2(F.silu(h))
        h = h + self.res2(F.silu(h))
        return self.conv_out(F.silu(h))


def _up2(h):
    """org.genlab.core.nn.Upsample.nearest2x, with PyTorch's own op (as the UNet here does; GenLab
    copies by broadcasting when no graph is recorded, where libtorch 2.7.1's kernel is slow, and
    PyTorch 1.13's kernel is as fast as that copy)."""
    return F.interpolate(h, scale_factor=2, mode="nearest")


class Decoder(nn.Module):
    """org.genlab.autoencoder.nn.Decoder, the encoder mirrored (resize-convolution up; the output is
    linear, not tanh):
        h = conv3x3(z)                      (2W, h, w)
        h = h + conv3x3(SiLU(h))            (2W, h, w)
        h = conv3x3(up2(SiLU(h)))           (W, 2h, 2w)
        h = h + conv3x3(SiLU(h))            (W, 2h, 2w)
        h = conv3x3(up2(SiLU(h)))           (W/2, 4h, 4w)
        x = conv3x3(SiLU(h))                (C, 4h, 4w)
    """

    def __init__(self, latent_channels, width, channels):
        super().__init__()
        self.conv_in = _conv3x3(latent_channels, 2 * width)
        self.res1 = _conv3x3(2 * width, 2 * width)
        self.up1 = _conv3x3(2 * width, width)
        self.res2 = _conv3x3(width, width)
        self.up2 = _conv3x3(width, width // 2)
        self.conv_out = _conv3x3(width // 2, channels)

    def forward(self, z):
        h = self.conv_in(z)
        h = h + self.res1(F.silu(h))
        h = self.up1(_up2(F.silu(h)))
        h = h + self.res2(F.silu(h))
        h = self.up2(_up2(F.silu(h)))
        return self.conv_out(F.silu(h))


class KlAutoencoder(nn.Module):
    """org.genlab.autoencoder.Autoencoder with its default KlBottleneck (f = 4; MNIST 1x28x28 <->
    4x7x7 at width 32): the encoder gives 2c channels, mu and log sigma^2 (clamped to [-30, 20]);
    z = mu + sigma eps while training, z = mu to encode; KL = mean 1/2 (mu^2 + sigma^2 - 1 - log sigma^2)."""

    def __init__(self, channels=1, latent_channels=4, width=32):
        super().__init__()
        self.latent_channels = latent_channels
        self.encoder = Encoder(channels, width, 2 * latent_channels)
        self.decoder = Decoder(latent_channels, width, channels)
        for m in self.modules():  # DJL's default weight initialiser (Xavier), biases 0
            if isinstance(m, nn.Conv2d):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        # Decoder: convOut's weights ~ N(0, 1e-3) (DJL NormalInitializer(1e-3))
        nn.init.normal_(self.decoder.conv_out.weight, 0.0, 1e-3)

    def reconstruct(self, x):
        """Autoencoder.reconstruct(training = true): x_hat, KL."""
        mu, log_var = self.encoder(x).chunk(2, dim=1)
        log_var = log_var.clamp(-30.0, 20.0)
        z = mu + (0.5 * log_var).exp() * torch.randn_like(mu)
        kl = 0.5 * (mu.square() + log_var.exp() - 1 - log_var).mean()
        return self.decoder(z), kl

    def decode(self, z):
        return self.decoder(z)


def linear_schedule(steps, beta_start=1e-4, beta_end=0.02):
    """org.genlab.diffusion.schedule.NoiseSchedule.linear, in double precision like the Java."""
    betas = [beta_start if steps == 1 else beta_start + (beta_end - beta_start) * i / (steps - 1) for i in range(steps)]
    alpha_bar, alpha_bar_prev, prod = [], [], 1.0
    for b in betas:
        alpha_bar_prev.append(prod)
        prod *= 1 - b
        alpha_bar.append(prod)
    post_var = [betas[i] * (1 - alpha_bar_prev[i]) / (1 - alpha_bar[i]) for i in range(steps)]
    coef_x0 = [betas[i] * math.sqrt(alpha_bar_prev[i]) / (1 - alpha_bar[i]) for i in range(steps)]
    coef_xt = [(1 - alpha_bar_prev[i]) * math.sqrt(1 - betas[i]) / (1 - alpha_bar[i]) for i in range(steps)]
    return {"steps": steps, "betas": betas, "alpha_bar": alpha_bar, "post_var": post_var, "coef_x0": coef_x0, "coef_xt": coef_xt}
