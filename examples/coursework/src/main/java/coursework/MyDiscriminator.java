package coursework;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import org.genlab.gan.nn.Discriminator;

/**
 * My discriminator: 784 pixels → 512 → 256 features with LeakyReLU(0.2). GenLab adds the linear
 * head that turns the features into one logit.
 */
final class MyDiscriminator {

    private MyDiscriminator() {}

    static Discriminator create() {
        SequentialBlock features =
                new SequentialBlock()
                        .add(x -> new NDList(x.singletonOrThrow().reshape(-1, 28 * 28)))
                        .add(Linear.builder().setUnits(512).build())
                        .add(x -> new NDList(Activation.leakyRelu(x.singletonOrThrow(), 0.2f)))
                        .add(Linear.builder().setUnits(256).build())
                        .add(x -> new NDList(Activation.leakyRelu(x.singletonOrThrow(), 0.2f)));
        return Discriminator.builder().setBody(features).setSampleShape(new Shape(1, 28, 28)).build();
    }
}
