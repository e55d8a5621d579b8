/**
 * Guidance: steering a diffusion model towards a class y. There are two ways, and both wrap a
 * {@link org.genlab.diffusion.nn.Denoiser}, so they work with every sampler and with each other.
 *
 * <p><b>Classifier guidance</b> ({@link org.genlab.diffusion.guidance.ClassifierGuidance}; Dhariwal
 * &amp; Nichol, <i>Diffusion Models Beat GANs on Image Synthesis</i>, NeurIPS 2021) keeps the
 * diffusion model as it is — it may even be unconditional — and trains a second network on the
 * side: a classifier p_φ(y | x_t, t) that recognises the class of a <i>noisy</i> sample ({@link
 * org.genlab.diffusion.guidance.NoisyClassifier}, trained on the same noisy path by {@link
 * org.genlab.diffusion.guidance.NoisyClassifierTrainer}). Bayes' rule splits the conditional score
 * into the model's score plus the classifier's gradient, ∇ log p(x_t | y) = ∇ log p(x_t) + ∇ log
 * p_φ(y | x_t), so at every sampling step the noise prediction is pushed along the direction that
 * makes the classifier more sure of y: ε̃ = ε̂ − s σ_t ∇_{x_t} log p_φ(y | x_t, t), with a scale s
 * &gt; 1 for more typical, less varied samples. It costs a classifier forward and backward pass per
 * step, and the classifier must be trained on noisy data (an ordinary classifier's gradient on
 * noise is meaningless — or adversarial).
 *
 * <p><b>Classifier-free guidance</b> ({@link org.genlab.diffusion.guidance.ClassifierFreeGuidance};
 * Ho &amp; Salimans, <i>Classifier-Free Diffusion Guidance</i>, 2022) needs no classifier: the
 * model itself is trained with its label randomly replaced by a "null" class, so it predicts both
 * ε(x_t, y) and ε(x_t, ∅), and at sampling time the conditional prediction is pushed further away
 * from the unconditional one by a weight w. The difference ε(x_t, y) − ε(x_t, ∅) plays the role of
 * the classifier's gradient — an "implicit classifier" — so it needs no backward pass, but the
 * model must be trained with labels. It is what GLIDE, Imagen and Stable Diffusion use.
 *
 * <p>Start with {@code ClassifierFreeGuidance} (one formula), then read {@code ClassifierGuidance}
 * for where both come from.
 */
package org.genlab.diffusion.guidance;
