/**
 * Where data sets come from, and how GenLab makes sure it got the genuine files.
 *
 * <p>A {@link org.genlab.datasets.source.DataSource} is one way to obtain a data set: the official
 * web hosts and their mirrors ({@link org.genlab.datasets.source.HttpSource}), a package channel
 * that happens to ship the same bytes ({@link org.genlab.datasets.source.NpmSource}, {@link
 * org.genlab.datasets.source.DebianFashionSource}), or files the user already has ({@link
 * org.genlab.datasets.source.ImportSource}). {@link org.genlab.datasets.source.SourceChain} tries
 * them in order. Whatever a source delivers lands in a staging folder first and must match the
 * official MD5 of every file ({@link org.genlab.datasets.source.Checksums}) before it is moved —
 * atomically — into the cache; a mismatch names the file and the source and the chain moves on.
 * This is the same idea as a package manager's signed index: trust the content, not the channel.
 * Archives are unpacked by {@link org.genlab.datasets.source.TarExtractor}, which refuses entries
 * that would escape the target folder ("zip slip"). The cache is checked again where it is used:
 * {@link org.genlab.datasets.source.CacheCheck} re-hashes a file before it is trained on unless a
 * stamp shows it unchanged since it was last verified. Start with {@link
 * org.genlab.datasets.source.SourceChain}.
 */
package org.genlab.datasets.source;
