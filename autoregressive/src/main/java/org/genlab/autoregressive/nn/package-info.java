/**
 * The decoder-only transformer that models image tokens. {@link
 * org.genlab.autoregressive.nn.CausalSelfAttention} is attention in which a position sees only
 * itself and earlier positions (Vaswani et al. 2017, §3.2.3), so one pass trains every position at
 * once; {@link org.genlab.autoregressive.nn.DecoderLayer} wraps it with a pre-norm MLP as in GPT-2;
 * {@link org.genlab.autoregressive.nn.TokenTransformer} — start here — embeds [condition ; image
 * tokens], stacks the layers and predicts the next code. {@link
 * org.genlab.autoregressive.nn.KvCache} stores each layer's keys and values so that sampling costs
 * one pass per new token.
 */
package org.genlab.autoregressive.nn;
