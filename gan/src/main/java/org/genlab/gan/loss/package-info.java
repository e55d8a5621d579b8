/**
 * GAN objectives on D's logits: minimax and non-saturating (Goodfellow et al. 2014), hinge (Lim
 * &amp; Ye 2017), least squares (Mao et al. 2017) and Wasserstein with gradient penalty (Gulrajani
 * et al. 2017). Start with {@link org.genlab.gan.loss.GanLoss}; {@link
 * org.genlab.gan.loss.GradientPenalty} shows the "gradient of a gradient" that WGAN-GP needs.
 */
package org.genlab.gan.loss;
