/**
 * An exponential moving average of a network's parameters: a smoothed copy of the weights that
 * usually samples better than the raw weights of the last step (used by DDPM, Ho et al. 2020, and
 * by most GANs since Karras et al. 2018). Start at {@link org.genlab.core.ema.Ema}.
 */
package org.genlab.core.ema;
