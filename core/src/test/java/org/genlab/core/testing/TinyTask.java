package org.genlab.core.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.ema.Ema;
import org.genlab.core.nn.Gradients;
import org.genlab.core.optim.Adam;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;

/**
 * A small regression network trained on noise drawn at every step: enough to exercise the training
 * loop, checkpoints and resume without any data set. Optionally returns NaN from a given step on,
 * to test divergence handling.
 */
public final class TinyTask implements TrainingTask {

    private final SequentialBlock net;
    private final Adam adam;
    private final Ema ema;
    private final ParameterStore ps;
    private final TrainState state;
    private final long nanFrom;

    /**
     * Builds the network (hidden width {@code width}) and its optimizer and EMA.
     *
     * @param manager where parameters live
     * @param seed the initialisation seed
     * @param width hidden units
     * @param nanFrom the first step whose loss is NaN, or -1 for never
     */
    public TinyTask(NDManager manager, long seed, int width, long nanFrom) {
        Seeds.seed(seed);
        net = new SequentialBlock();
        net.add(Linear.builder().setUnits(width).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(1).build());
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
        adam = Adam.builder().optLearningRate(1e-2f).build();
        ema = Ema.builder().setBlock(net).optDecay(0.9f).build();
        ps = new ParameterStore(manager, false);
        state = TrainState.builder().setModel("tiny").addNetwork("net", net, adam, ema).build();
        this.nanFrom = nanFrom;
    }

    /**
     * Returns the network.
     *
     * @return the network
     */
    public SequentialBlock net() {
        return net;
    }

    @Override
    public Losses step(long step, NDManager m) {
        NDArray x = m.randomNormal(new Shape(32, 8));
        NDArray y = x.sum(new int[] {1}, true).mul(0.5f);
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(net);
            NDArray pred = net.forward(ps, new NDList(x), true).singletonOrThrow();
            loss = pred.sub(y).square().mean();
            if (nanFrom >= 0 && step >= nanFrom) {
                loss = loss.mul(Float.NaN);
            }
            gc.backward(loss);
        }
        adam.step(net);
        ema.update();
        return new Losses().put("mse", loss);
    }

    @Override
    public TrainState state() {
        return state;
    }
}
