/**
 * The networks: generators ({@link org.genlab.gan.nn.Generator}) map z (and a class) to a sample;
 * discriminators ({@link org.genlab.gan.nn.Discriminator}) map a sample (and a class) to a logit.
 *
 * <p>{@link org.genlab.gan.nn.MlpGenerator} / {@link org.genlab.gan.nn.MlpDiscriminator} are the
 * fully connected nets of Goodfellow et al. 2014; {@link org.genlab.gan.nn.DcganGenerator} / {@link
 * org.genlab.gan.nn.DcganDiscriminator} follow Radford et al. 2016 (with resize-convolutions, Odena
 * et al. 2016). Conditional models concatenate a class embedding with z in G (Mirza &amp; Osindero
 * 2014) and use a projection discriminator (Miyato &amp; Koyama 2018). {@link
 * org.genlab.gan.nn.SpectralNorm} (Miyato et al. 2018) keeps D 1-Lipschitz.
 */
package org.genlab.gan.nn;
