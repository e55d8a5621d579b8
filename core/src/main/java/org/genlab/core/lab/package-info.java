/**
 * Helpers for the lecture notebooks (and any Jupyter notebook with a Java kernel): the CI switch
 * that makes a notebook small, fresh run folders, pictures side by side. Start with {@link
 * org.genlab.core.lab.Lab}.
 */
package org.genlab.core.lab;
