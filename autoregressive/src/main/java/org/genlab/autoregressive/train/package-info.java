/**
 * Training the token transformer by maximum likelihood: {@link
 * org.genlab.autoregressive.train.NextTokenLoss} is the cross-entropy of each image token given the
 * ones before it (teacher forcing: the true tokens are fed in, shifted by one), and {@link
 * org.genlab.autoregressive.train.TokenTransformerTrainer} — start here — takes Adam steps on it,
 * dropping the class condition now and then so that the same network also learns the unconditional
 * distribution (for classifier-free guidance, Ho &amp; Salimans 2021).
 */
package org.genlab.autoregressive.train;
