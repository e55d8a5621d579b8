package coursework;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import org.genlab.gan.nn.Generator;

/**
 * My generator: a plain multi-layer perceptron z → 256 → 512 → 784 pixels, written with DJL's own
 * blocks. GenLab only needs the body; it adds the class embedding when asked to.
 */
final class MyGenerator {

    private MyGenerator() {}

    static Generator create(int latentDim) {
        SequentialBlock body =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(256).build())
                        .add(BatchNorm.builder().build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(512).build())
                        .add(BatchNorm.builder().build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(28 * 28).build())
                        .add(Activation::tanh) // pixels in [-1, 1], like the data
                        .add(x -> new NDList(x.singletonOrThrow().reshape(-1, 1, 28, 28)));
        return Generator.builder()
                .setBody(body)
                .setLatentDim(latentDim)
                .setSampleShape(new Shape(1, 28, 28))
                .build();
    }
}
