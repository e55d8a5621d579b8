/**
 * Generative adversarial networks (Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014).
 *
 * <p>A generator G turns noise z into samples; a discriminator D learns to tell them from real
 * data; G learns to fool D. The two play min_G max_D E[log D(x)] + E[log(1 − D(G(z)))]. Start
 * reading at {@link org.genlab.gan.train.GanUpdate} (one step of the game), then the networks in
 * {@link org.genlab.gan.nn}, the losses in {@link org.genlab.gan.loss} and the exploration tools in
 * {@link org.genlab.gan.sample}. {@link org.genlab.gan.GanModels} builds a matching G and D from a
 * run's settings; your own networks plug in through {@code Generator.builder().setBody(..)} and
 * {@code Discriminator.builder().setBody(..)}, your own loss by subclassing {@link
 * org.genlab.gan.loss.GanLoss}.
 */
package org.genlab.gan;
