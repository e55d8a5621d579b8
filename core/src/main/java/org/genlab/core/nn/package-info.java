/**
 * Small helpers for DJL networks that every model in GenLab shares. {@link
 * org.genlab.core.nn.Params} gives a network's parameters stable names, which is how optimizers,
 * EMA and checkpoints find them.
 */
package org.genlab.core.nn;
