/**
 * GAN versus diffusion, measured: the lecture's verdict — GANs are realistic and fast but hard to
 * train and to control; diffusion models are high quality and controllable but slow — as numbers a
 * student produces on their own runs.
 *
 * <p>{@link org.genlab.eval.compare.ModelRun} opens a run folder of either kind and offers its
 * samplers (the GAN's generator; DDPM with all steps, DDIM with 50 and 10); {@link
 * org.genlab.eval.compare.Evaluation} measures a sample set against real data in a feature
 * classifier's space, always next to the real-versus-real floor; {@link
 * org.genlab.eval.compare.Comparison} runs it all and {@link org.genlab.eval.compare.HtmlReport}
 * writes one self-contained page plus the same numbers as JSON.
 */
package org.genlab.eval.compare;
