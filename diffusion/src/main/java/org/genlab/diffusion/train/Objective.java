package org.genlab.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A training objective of a denoiser: one batch of clean data in, one scalar loss out. {@link
 * DdpmLoss} (ε- or v-prediction, Ho et al. 2020) and {@link
 * org.genlab.diffusion.flow.FlowMatchingLoss} (the velocity of a straight path, Lipman et al. 2023)
 * are the two GenLab ships; {@link DiffusionTrainer} picks one from the denoiser's {@code
 * Prediction}.
 */
public interface Objective {

    /**
     * Computes the loss of one batch (inside a gradient collector, to train).
     *
     * @param ps the parameter store of the forward pass
     * @param x0 clean data (B, …)
     * @param y class labels (B), or {@code null}
     * @return a scalar in {@code x0}'s manager
     */
    NDArray forward(ParameterStore ps, NDArray x0, NDArray y);
}
