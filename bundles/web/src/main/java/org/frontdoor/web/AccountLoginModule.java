package org.frontdoor.web;

import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.frontdoor.api.accounts.AccountExistsException;
import org.frontdoor.api.accounts.Accounts;
import org.frontdoor.api.accounts.LoginResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realm {@code karaf}'s password login: checks the name and password against the login accounts and gives the
 * subject a {@link UserPrincipal} and a {@link RolePrincipal} for each of the account's roles, with the Karaf roles a
 * Frontdoor role stands for (admin has what {@code admingroup} had). A user still only in {@code etc/users.properties}
 * logs in with their password once, is moved into the accounts with an Argon2id hash and removed from the file.
 *
 * <p>Failed logins are throttled per user name and per client address where Karaf gives it (SSH puts a
 * {@link ClientPrincipal} in the subject; JMX gives none, so only the name counts there). REST logins are throttled
 * by the REST layer before the realm is asked and are marked with a {@link ClientPrincipal} of type
 * {@link #REST_CLIENT}, so they are not counted twice.
 *
 * <p>Karaf's {@code ProxyLoginModule} makes it from this bundle; {@link AccountRealm} passes what it needs in the
 * options.
 */
public final class AccountLoginModule implements LoginModule {

    /** Option: the {@link Accounts} service. */
    static final String ACCOUNTS = "frontdoor.accounts";
    /** Option: the {@link LoginThrottle} for logins that do not come through REST. */
    static final String THROTTLE = "frontdoor.throttle";
    /** Option: the {@link LegacyUsers} to move, or absent. */
    static final String LEGACY = "frontdoor.legacy";
    /** The {@link ClientPrincipal} type of a login the REST layer has throttled already. */
    static final String REST_CLIENT = "frontdoor-rest";

    /** The Karaf roles each Frontdoor role brings: admin keeps what group admingroup gives today. */
    static final Map<String, List<String>> IMPLIED = Map.of(
            "admin", List.of("admin", "manager", "viewer", "systembundles", "ssh", "agent"));

    private static final Logger LOG = LoggerFactory.getLogger(AccountLoginModule.class);

    private Subject subject;
    private CallbackHandler handler;
    private Accounts accounts;
    private LoginThrottle throttle;
    private LegacyUsers legacy;
    private String user;
    private Set<String> roles;
    private final Set<Principal> added = new HashSet<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
                           Map<String, ?> options) {
        this.subject = subject;
        this.handler = callbackHandler;
        this.accounts = (Accounts) options.get(ACCOUNTS);
        this.throttle = (LoginThrottle) options.get(THROTTLE);
        this.legacy = (LegacyUsers) options.get(LEGACY);
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback nameCallback = new NameCallback("Username: ");
        PasswordCallback passwordCallback = new PasswordCallback("Password: ", false);
        try {
            handler.handle(new Callback[] {nameCallback, passwordCallback});
        } catch (UnsupportedCallbackException e) {
            // a public key login (SSH): not this module's business
            return false;
        } catch (IOException e) {
            throw new LoginException("could not read the credentials: " + e.getMessage());
        }
        String name = nameCallback.getName();
        char[] password = passwordCallback.getPassword();
        passwordCallback.clearPassword();
        if (name == null || password == null) {
            return false;
        }
        if (accounts == null) {
            throw new LoginException("the login accounts are not available");
        }
        String address = null;
        boolean throttled = throttle != null;
        for (ClientPrincipal client : subject.getPrincipals(ClientPrincipal.class)) {
            if (REST_CLIENT.equals(client.getMethod())) {
                throttled = false;
            } else {
                address = host(client.getAddress());
            }
        }
        if (throttled) {
            try {
                throttle.begin(name, address);
            } catch (LoginThrottle.Locked e) {
                throw new ThrottledLoginException(e);
            }
        }
        boolean done = false;
        try {
            Set<String> granted = check(name, password);
            done = true;
            if (granted == null) {
                if (throttled) {
                    throttle.failed(name, address);
                }
                throw new FailedLoginException("login failed");
            }
            if (throttled) {
                throttle.succeeded(name, address);
            }
            user = name;
            roles = granted;
            return true;
        } finally {
            Arrays.fill(password, '\0');
            if (!done && throttled) {
                throttle.abandoned(name, address);
            }
        }
    }

    /**
     * The host of a client address as Karaf's SSH server gives it ({@code /192.0.2.7:52044},
     * {@code host/[2001:db8::1]:52044}): the port changes with every connection, so it must not count.
     */
    static String host(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String a = address.substring(address.lastIndexOf('/') + 1);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end > 0 ? a.substring(1, end) : a;
        }
        int colon = a.lastIndexOf(':');
        return colon > 0 && a.indexOf(':') == colon ? a.substring(0, colon) : a;
    }

    /** The account's roles, or null when the name and password are not an enabled account's. */
    private Set<String> check(String name, char[] password) {
        LoginResult result = accounts.login(name, password);
        switch (result.outcome()) {
            case ACCEPTED:
                return result.account().roles();
            case UNKNOWN:
                return legacy == null ? null : moveLegacy(name, password);
            default:
                return null;
        }
    }

    /** A user still in the users file: checked there, then moved into the accounts and removed from the file. */
    private Set<String> moveLegacy(String name, char[] password) {
        Set<String> legacyRoles = legacy.login(name, password);
        if (legacyRoles == null) {
            return null;
        }
        if (legacyRoles.isEmpty()) {
            LOG.warn("User {} of etc/users.properties has no role: not moved into the login accounts",
                    LoginThrottle.printable(name));
            return null;
        }
        try {
            accounts.adopt(name, password, legacyRoles);
            LOG.info("Moved user {} from etc/users.properties into the login accounts with an Argon2id hash",
                    LoginThrottle.printable(name));
        } catch (AccountExistsException e) {
            // another node or login moved it a moment ago: the account decides
            LoginResult again = accounts.login(name, password);
            if (again.outcome() != LoginResult.Outcome.ACCEPTED) {
                return null;
            }
            legacyRoles = again.account().roles();
        } catch (IllegalArgumentException e) {
            LOG.warn("User {} of etc/users.properties cannot be moved into the login accounts: {}",
                    LoginThrottle.printable(name), e.getMessage());
            return null;
        }
        if (!legacy.remove(name)) {
            LOG.warn("User {} is now a login account but is still in etc/users.properties; remove it there",
                    LoginThrottle.printable(name));
        }
        return legacyRoles;
    }

    /** The roles a login with these account roles gets. */
    static Set<String> effectiveRoles(Set<String> accountRoles) {
        Set<String> out = new TreeSet<>(accountRoles);
        for (String role : accountRoles) {
            out.addAll(IMPLIED.getOrDefault(role, List.of()));
        }
        return out;
    }

    @Override
    public boolean commit() {
        if (user == null) {
            return false;
        }
        added.add(new UserPrincipal(user));
        for (String role : effectiveRoles(roles)) {
            added.add(new RolePrincipal(role));
        }
        subject.getPrincipals().addAll(added);
        return true;
    }

    @Override
    public boolean abort() {
        return logout();
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(added);
        added.clear();
        boolean had = user != null;
        user = null;
        roles = null;
        return had;
    }

    /** Refused without checking the password: too many failed logins lately. */
    static final class ThrottledLoginException extends FailedLoginException {
        private static final long serialVersionUID = 1L;
        private final transient LoginThrottle.Locked locked;

        ThrottledLoginException(LoginThrottle.Locked locked) {
            super(locked.getMessage());
            this.locked = locked;
        }

        LoginThrottle.Locked locked() {
            return locked;
        }
    }
}
