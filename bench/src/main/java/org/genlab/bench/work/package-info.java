/**
 * The work the benchmark times, built from GenLab's real networks and trainers on random inputs of
 * the data sets' shapes: {@link org.genlab.bench.work.GanTraining} (a DCGAN step), {@link
 * org.genlab.bench.work.DdpmTraining} (a DDPM UNet step, or a flow-matching step of the latent
 * UNet), {@link org.genlab.bench.work.AutoencoderTraining} (a step of the KL autoencoder), {@link
 * org.genlab.bench.work.Sampling} (GAN, DDPM, DDIM and Euler flow sampling through the sample
 * sources {@code genlab compare} uses) and {@link org.genlab.bench.work.LatentSampling} (Euler flow
 * sampling of latents, then the decoder).
 */
package org.genlab.bench.work;
