/**
 * Training a GAN. Start reading at {@link org.genlab.gan.train.GanUpdate}: one step of the game,
 * Goodfellow et al. 2014, Algorithm 1 — k updates of D, then one of G, each under a comment that
 * quotes its objective. {@link org.genlab.gan.train.GanTrainer} is the plumbing around it: it
 * builds the update (Adam with β₁ = 0.5, Radford et al. 2016; an EMA of G), draws the fixed-noise
 * progress grids, names what checkpoints save and describes the run, and plugs into core's {@link
 * org.genlab.core.train.TrainingLoop} for checkpoints, resume and divergence checks. {@link
 * org.genlab.gan.train.CollapseWatch} listens to the logged losses and warns once when D has won
 * outright (its loss at its floor for 100 steps: the collapse a too high learning rate causes), a
 * failure no divergence check sees. Real data comes through core's {@link
 * org.genlab.core.data.BatchSource}.
 */
package org.genlab.gan.train;
