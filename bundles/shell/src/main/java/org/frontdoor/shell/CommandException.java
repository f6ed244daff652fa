package org.frontdoor.shell;

/**
 * A command that failed, with the sentences it reported. Karaf's console and its SSH exec (bin/client) know an exception
 * of this simple name: they print {@link #getNiceHelp()} as it is (no "Error executing command", no stack trace, logged
 * at debug only) and end an exec with exit status 1.
 */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandException(String sentences) {
        super(sentences, null, false, false);
    }

    /** What Karaf prints: the sentences, one a line. */
    public String getNiceHelp() {
        return getMessage();
    }
}
