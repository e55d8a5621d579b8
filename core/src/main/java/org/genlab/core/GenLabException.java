package org.genlab.core;

/**
 * An error a user can fix: bad input, a missing or corrupt file, an impossible option. Its message
 * says what was wrong and what to do; the {@code genlab} command prints it without a stack trace.
 */
public class GenLabException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what was wrong and what to do about it
     */
    public GenLabException(String message) {
        super(message);
    }

    /**
     * Creates the error with its cause.
     *
     * @param message what was wrong and what to do about it
     * @param cause the underlying exception
     */
    public GenLabException(String message, Throwable cause) {
        super(message, cause);
    }
}
