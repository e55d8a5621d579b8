/**
 * The {@code genlab} command: one entry point for training, sampling, comparing and inspecting.
 *
 * <p>{@link org.genlab.cli.GenLabCommand} is the top command; each subcommand is one class ({@link
 * org.genlab.cli.InfoCommand}, {@link org.genlab.cli.ProvenanceCommand}, ...). Options that every
 * subcommand shares ({@code --device}, {@code --seed}) live in {@link
 * org.genlab.cli.GlobalOptions}. User errors ({@link org.genlab.core.GenLabException}) are printed
 * as one clear message, without a stack trace, and exit with status 2.
 */
package org.genlab.cli;
