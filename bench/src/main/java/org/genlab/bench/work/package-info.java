/**
 * The work the benchmark times, built from GenLab's real networks and trainers on random inputs of
 * the data sets' shapes: {@link org.genlab.bench.work.GanTraining} (a DCGAN step), {@link
 * org.genlab.bench.work.DdpmTraining} (a DDPM UNet step) and {@link org.genlab.bench.work.Sampling}
 * (GAN, DDPM and DDIM sampling through the sample sources {@code genlab compare} uses).
 */
package org.genlab.bench.work;
