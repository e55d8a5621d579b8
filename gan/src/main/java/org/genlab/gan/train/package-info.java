/**
 * Training a GAN: {@link org.genlab.gan.train.GanTrainer} alternates D and G updates (Goodfellow et
 * al. 2014, Algorithm 1) with Adam β₁ = 0.5 (Radford et al. 2016) and an EMA of G, and plugs into
 * core's {@link org.genlab.core.train.TrainingLoop} for checkpoints, resume and divergence checks.
 * Real data comes through a {@link org.genlab.gan.train.BatchSource}.
 */
package org.genlab.gan.train;
