/**
 * Tokenization: a caption becomes a fixed-length row of integers a network can read. GenLab's
 * captions are short and drawn from a small vocabulary, so a word-level tokenizer is enough (CLIP
 * itself uses byte-pair encoding, Sennrich et al. 2016, to cover any text). Id 0 is padding, and a
 * row of zeros is "no text" — the empty caption classifier-free guidance (Ho &amp; Salimans 2022)
 * drops to. Start with {@link org.genlab.text.tokenizer.Tokenizer}.
 */
package org.genlab.text.tokenizer;
