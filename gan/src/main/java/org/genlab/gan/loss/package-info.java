/**
 * GAN objectives on D's logits: minimax and non-saturating (Goodfellow et al. 2014), hinge (Lim
 * &amp; Ye 2017), least squares (Mao et al. 2017), Wasserstein with gradient penalty (Gulrajani et
 * al. 2017) and relativistic average (Jolicoeur-Martineau 2019). Start with {@link
 * org.genlab.gan.loss.GanLoss}, whose Javadoc shows how to write your own (a loss whose G part
 * needs the real logits says so with {@code generatorUsesReal()}); {@link
 * org.genlab.gan.loss.GradientPenalty} shows the "gradient of a gradient" that WGAN-GP needs.
 */
package org.genlab.gan.loss;
