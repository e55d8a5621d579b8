/**
 * Pictures of what a text encoder learnt: its attention weights as heat maps, one per head, with
 * the words on both axes (as in Vaswani et al. 2017's attention visualisations). Start with {@link
 * org.genlab.text.viz.AttentionMaps}.
 */
package org.genlab.text.viz;
