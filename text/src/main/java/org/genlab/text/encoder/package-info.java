/**
 * The transformer text encoder (Vaswani et al., "Attention Is All You Need", NeurIPS 2017): every
 * word looks at every other word through multi-head self-attention, softmax(QKᵀ/√d + M)V, where the
 * mask M hides the padding, and a small MLP; a stack of such layers gives each word a vector that
 * depends on its context ("seven" in "not a seven"). Start with {@link
 * org.genlab.text.encoder.TextEncoder}, then {@link org.genlab.text.encoder.TransformerLayer} and
 * {@link org.genlab.text.encoder.MultiHeadAttention}.
 */
package org.genlab.text.encoder;
