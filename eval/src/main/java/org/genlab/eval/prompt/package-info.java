/**
 * Does a text-to-image model draw what it was asked for? For each prompt ("a bold 7 leaning right")
 * one image is sampled; the feature classifier says which digit (or garment) it shows, and the same
 * attribute measurement that wrote the training captions (stroke thickness, slant, size;
 * brightness, size) says whether each requested attribute landed in the requested bin. Prompts come
 * from the test split's real compositions and, separately, from the compositions held out of every
 * training caption — the second number tells whether the model combines words it never saw
 * together. Start with {@link org.genlab.eval.prompt.PromptAccuracy}.
 */
package org.genlab.eval.prompt;
