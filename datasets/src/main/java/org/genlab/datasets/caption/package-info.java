/**
 * Captions for MNIST and Fashion-MNIST, written from what each image <em>looks like</em>, for
 * training and testing text-to-image models.
 *
 * <p>A class label alone says "seven"; a caption can also say how the seven is drawn: "a bold seven
 * leaning right". GenLab measures a few attributes on every image with plain formulas ({@link
 * org.genlab.datasets.caption.DigitAttributes}: stroke thickness, slant, size; {@link
 * org.genlab.datasets.caption.GarmentAttributes}: brightness, size), cuts each into three bins at
 * the training split's tertiles ({@link org.genlab.datasets.caption.CaptionBins}), and turns class
 * and bins into varied sentences ({@link org.genlab.datasets.caption.Captioner}). Because the same
 * {@link org.genlab.datasets.caption.AttributeMeasure} runs on generated samples, a model's output
 * can be checked against its prompt ({@link org.genlab.datasets.caption.PromptSet}): did "a thin
 * two" come out thin?
 *
 * <p>A few class–attribute combinations ("bold 3", "7 leaning left") are <em>held out</em>: no
 * training caption ever mentions them, though the images stay in training. Asking a model for them
 * tests compositional generalisation — whether it learned "bold" and "3" as separate ideas it can
 * combine — the question the compositional evaluations of text-to-image models (e.g. T2I-CompBench,
 * Huang et al. 2023) ask on a scale a laptop can train.
 *
 * <p>Start reading with {@link org.genlab.datasets.caption.CaptionedImages}, which puts it all
 * together for one split.
 */
package org.genlab.datasets.caption;
