/**
 * Charts drawn with JFreeChart, headless, as PNG: loss curves, histograms (e.g. of pixel values),
 * 2D scatter plots (toy data and samples) and 2D vector fields (the drift of the reverse diffusion
 * process, the gradient a discriminator gives the generator). Start at {@link
 * org.genlab.core.chart.Charts}.
 */
package org.genlab.core.chart;
