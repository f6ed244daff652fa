package org.frontdoor.api.accounts;

/** Creating an account whose name is taken, perhaps by another admin or node a moment earlier. */
public class AccountExistsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccountExistsException(String name) {
        super("an account named " + name + " exists already");
    }
}
