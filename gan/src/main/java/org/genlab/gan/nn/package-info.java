/**
 * The networks: a generator ({@link org.genlab.gan.nn.Generator}) maps z (and a class) to a sample;
 * a discriminator ({@link org.genlab.gan.nn.Discriminator}) maps a sample (and a class) to a logit.
 * Start reading at {@link org.genlab.gan.nn.Generator}.
 *
 * <p>Each is a <em>body</em> — any DJL block, GenLab's or yours — wrapped with the class
 * conditioning: a class embedding concatenated with z in G (Mirza &amp; Osindero 2014), a
 * projection discriminator in D (Miyato &amp; Koyama 2018). {@link org.genlab.gan.nn.MlpGenerator}
 * / {@link org.genlab.gan.nn.MlpDiscriminator} build the fully connected nets of Goodfellow et al.
 * 2014; {@link org.genlab.gan.nn.DcganGenerator} / {@link org.genlab.gan.nn.DcganDiscriminator}
 * follow Radford et al. 2016 (with resize-convolutions, Odena et al. 2016). {@link
 * org.genlab.gan.nn.SpectralNorm} (Miyato et al. 2018) keeps D 1-Lipschitz.
 */
package org.genlab.gan.nn;
