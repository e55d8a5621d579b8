/**
 * Flow matching: the straight-line cousin of diffusion. Instead of learning the noise added along a
 * curved, variance-preserving path, the network learns the <b>velocity</b> of a straight path from
 * a data point x_0 to a noise sample ε, x_s = (1 − s) x_0 + s ε, whose velocity is the constant u =
 * ε − x_0 (Lipman, Chen, Ben-Hamu, Nickel &amp; Le, <i>Flow Matching for Generative Modeling</i>,
 * ICLR 2023; Liu, Gong &amp; Liu, <i>Flow Straight and Fast: Learning to Generate and Transfer Data
 * with Rectified Flow</i>, ICLR 2023). The regression ‖v_θ(x_s, s) − u‖² averages those straight
 * lines into a velocity field; sampling integrates dx/ds = v_θ backwards from s = 1 (noise) to s =
 * 0 (data) with a handful of Euler or Heun steps — the lecture's "drift velocity" picture made
 * literal.
 *
 * <p>Start reading at {@link org.genlab.diffusion.flow.FlowMatchingLoss} (the training objective,
 * one screen), then {@link org.genlab.diffusion.flow.FlowSampler} (the ODE solver); {@link
 * org.genlab.diffusion.flow.FlowPath} holds the path's two formulas. A flow model is a {@code
 * Denoiser} whose {@code Prediction} is {@code FLOW}: classifier-free guidance, classifier guidance
 * and inpainting wrap it as they wrap an ε-model.
 */
package org.genlab.diffusion.flow;
