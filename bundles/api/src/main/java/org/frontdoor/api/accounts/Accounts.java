package org.frontdoor.api.accounts;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The login accounts. Passwords are kept only as a salted slow hash whose string names its algorithm and parameters;
 * a check that finds older parameters than the current ones stores a new hash. Every change is one statement on one
 * row, guarded by the row's version or its unique name, so two admins (or two nodes) changing accounts at once never
 * undo each other's change: adding the same name twice leaves one account and refuses the other.
 */
public interface Accounts {

    /** The roles Frontdoor knows: admin (everything and configuration), supervisor, agent. */
    Set<String> ROLES = Set.of("admin", "supervisor", "agent");

    /** What a login name may be: 1 to 64 letters, digits, {@code . _ @ -}, starting with a letter or a digit. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    /** What a role name may be (Frontdoor's own, or Karaf's such as viewer or ssh). */
    Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    /** The shortest password accepted for a new account or a change. */
    int MIN_PASSWORD_LENGTH = 8;

    /**
     * Adds an account.
     *
     * @throws AccountExistsException   when the name is taken, also when another admin took it a moment earlier
     * @throws IllegalArgumentException when the name, a role or the password is not acceptable (the message says why)
     */
    Account create(String name, char[] password, Set<String> roles);

    /**
     * Adds an account moved from elsewhere (Karaf's users file), whose password was just checked there: the length
     * rule for new passwords does not apply.
     *
     * @throws AccountExistsException when the name is taken
     */
    Account adopt(String name, char[] password, Set<String> roles);

    Optional<Account> find(String name);

    /** All accounts by name. */
    List<Account> list();

    /**
     * Checks a password in time that does not depend on how much of it is right; on success, stores a new hash when
     * the stored one was made with older parameters.
     */
    LoginResult login(String name, char[] password);

    /**
     * @throws NoSuchElementException   when there is no such account
     * @throws IllegalArgumentException when the password is too short
     */
    Account setPassword(String name, char[] password);

    /** @throws NoSuchElementException when there is no such account */
    Account setRoles(String name, Set<String> roles);

    /** @throws NoSuchElementException when there is no such account */
    Account setDisabled(String name, boolean disabled);

    /** @return false when there was no such account */
    boolean remove(String name);
}
