package org.genlab.gan.loss;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.genlab.core.GenLabException;

/**
 * ∇ₓ Σᵢ yᵢ as a differentiable tensor — PyTorch's {@code torch.autograd.grad(y.sum(), x,
 * create_graph=True)} — reached from DJL through a two-line TorchScript method that this class
 * writes and loads once.
 *
 * <p>Why not {@code backward(create_graph=True)}, the only double backprop DJL's Java API offers
 * ({@code JniUtils.backward})? That call stores the gradient, with the graph that computes it, in
 * {@code x.grad} and in the weights' {@code .grad}: the graph holds x (its {@code AccumulateGrad}
 * node keeps the leaf), x holds its gradient, and the cycle is never freed — PyTorch warns of it
 * and advises {@code torch.autograd.grad}, which returns the gradient instead of storing it. DJL
 * 0.36 cannot reset a {@code .grad} to {@code None} (its {@code zeroGrad} zeroes in place and keeps
 * the graph), so about one D forward pass of memory stayed behind at every penalty (7.6 MiB per
 * WGAN-GP step on the MNIST DCGAN; {@link GradientPenalty} has the numbers). With {@code
 * torch.autograd.grad} nothing is stored in a leaf; the gradient's graph hangs only from the
 * returned tensor and goes when the step's manager closes it.
 *
 * <p>The method runs through {@code IValueUtils.forward(block, inputs, true)}: with training on,
 * DJL's native call keeps autograd as the open collector set it. Its other entry points ({@code
 * PtSymbolBlock.forward(IValue...)}, {@code IValueUtils.runMethod}) run with training off, under
 * {@code c10::InferenceMode}, where the gradient would lose its graph. The archive is built here
 * (file format 3, which libtorch 1.x and 2.x read) rather than shipped: its only code is {@link
 * #CODE}. The module holds no tensors, so one instance serves every device.
 */
final class InputGradient {

    /** The TorchScript source: the module's class, as {@code torch.jit.save} writes it. */
    private static final String CODE =
            "class InputGradient(Module):\n"
                    + "  __parameters__ = []\n"
                    + "  __buffers__ = []\n"
                    + "  training : bool\n"
                    + "  def forward(self: __torch__.InputGradient,\n"
                    + "    y: Tensor,\n"
                    + "    x: Tensor) -> Tensor:\n"
                    + "    _0 = torch.autograd.grad([torch.sum(y)], [x], None, None, True)\n"
                    + "    return unchecked_cast(Tensor, _0[0])\n";

    private static PtSymbolBlock module;

    private InputGradient() {}

    /**
     * Returns ∇ₓ Σ y with the graph that computed it, so that a loss built on it can be
     * differentiated again (into the weights that made y). Needs autograd on (a gradient collector
     * open) and x requiring a gradient. Nothing is written into any {@code .grad}.
     *
     * @param y outputs that depend on x, e.g. D's logits (N, 1)
     * @param x the input, a leaf that requires a gradient
     * @return ∂(Σ y)/∂x, shaped like x, in y's manager
     */
    static NDArray of(NDArray y, NDArray x) {
        if (!(y instanceof PtNDArray) || !(x instanceof PtNDArray)) {
            throw new GenLabException(
                    "The gradient penalty needs the PyTorch engine (double backprop); got "
                            + x.getManager().getEngine().getEngineName()
                            + ".");
        }
        if (!JniUtils.isGradMode()) {
            throw new GenLabException(
                    "The gradient penalty must be computed with autograd on: inside an open"
                            + " GradientCollector.");
        }
        if (x.getName() != null) {
            // IValueUtils would read a name with '.' or brackets as a dict or tuple key
            throw new GenLabException("x must be an unnamed leaf, got '" + x.getName() + "'.");
        }
        NDArray yFlat = y.reshape(-1); // unnamed, whatever D called its output
        NDArray grad = IValueUtils.forward(module(), new NDList(yFlat, x), true).singletonOrThrow();
        yFlat.close();
        return grad;
    }

    private static synchronized PtSymbolBlock module() {
        if (module == null) {
            try (ByteArrayInputStream in = new ByteArrayInputStream(archive())) {
                // a manager of its own that lives as long as the module: it holds no tensors
                PtNDManager m = (PtNDManager) NDManager.newBaseManager(Device.cpu(), "PyTorch");
                module = JniUtils.loadModule(m, in, false, false);
            } catch (IOException e) {
                throw new GenLabException("Cannot load the TorchScript input-gradient module", e);
            }
        }
        return module;
    }

    /** The TorchScript archive {@code torch.jit.save} would write for the class {@link #CODE}. */
    private static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "input_gradient/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            put(zip, "input_gradient/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
            // pickle protocol 2: an empty tuple of constants
            put(zip, "input_gradient/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            put(zip, "input_gradient/data.pkl", modulePickle());
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2 of {@code __torch__.InputGradient} with {@code training = True}. */
    private static byte[] modulePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO 2
        p.write(2);
        p.writeBytes("c__torch__\nInputGradient\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
        p.writeBytes(key);
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
