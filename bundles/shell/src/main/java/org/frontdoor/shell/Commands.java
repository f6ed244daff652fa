package org.frontdoor.shell;

import java.security.AccessController;
import java.security.Principal;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.agents.Agents;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/** What the commands share. */
public final class Commands {

    /** The errors the running command reported, one sentence a line: {@link CallerAction#execute} fails with them. */
    static final ThreadLocal<StringBuilder> ERRORS = new ThreadLocal<>();

    /**
     * Reports what went wrong, as one sentence: the command fails once it returns (exit status 1 through
     * {@code bin/client}), and Karaf prints the sentences. Outside a command (a test calling a helper) it goes to stderr.
     */
    static void error(Object sentence) {
        StringBuilder errors = ERRORS.get();
        if (errors == null) {
            System.err.println(sentence);
            return;
        }
        if (!errors.isEmpty()) {
            errors.append('\n');
        }
        errors.append(sentence);
    }

    static final String CORE_DOWN = "Frontdoor core is not running (feature:install frontdoor-core)";

    /** The user of a console without a logged-in user (a local console without JAAS). */
    static final String DEFAULT_USER = "karaf";

    private Commands() {
    }

    /**
     * What a user of the console may see: core's {@link Agents#scopeOf} (admins everything; others their departments
     * and those their roles may read), nothing while core is not running. Tests put their own rule here.
     */
    static volatile BiFunction<String, Set<String>, Scope> scopes = Commands::scopeFromCore;

    /**
     * The caller the inbox sees for this console session: the user of the JAAS subject Karaf runs each command (and
     * each completion) as, with its roles, and the scope their roles and departments give. A local console without
     * JAAS is Karaf's own user and sees everything.
     */
    @SuppressWarnings("removal") // Java 17 has no Subject.current(); Karaf 4.4 reads the session's user this way too
    public static Caller currentCaller() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject == null) {
            return new Caller(DEFAULT_USER, Set.of(), Scope.ALL);
        }
        String user = subject.getPrincipals(UserPrincipal.class).stream().map(Principal::getName)
                .filter(name -> name != null && !name.isBlank()).findFirst().orElse(DEFAULT_USER);
        Set<String> roles = subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName)
                .collect(Collectors.toSet());
        return Caller.asUser(user, roles, roles.contains(Agents.ADMIN) ? Scope.ALL : scopes.apply(user, roles));
    }

    static Scope scopeFromCore(String user, Set<String> roles) {
        Bundle bundle = FrameworkUtil.getBundle(Commands.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        ServiceReference<Agents> reference = context == null ? null : context.getServiceReference(Agents.class);
        Agents agents = reference == null ? null : context.getService(reference);
        if (agents == null) {
            return Scope.departments(Set.of());
        }
        try {
            return agents.scopeOf(user, roles);
        } finally {
            context.ungetService(reference);
        }
    }

    /**
     * Runs a change of the inbox and prints what it did, or why not as one sentence on stderr: {@code absent} when
     * there is no such thing (or it is outside the caller's scope), {@code refused} followed by core's reason when the
     * change does not apply.
     */
    static void change(String absent, String refused, Supplier<String> change) {
        String done;
        try {
            done = change.get();
        } catch (NoSuchElementException e) {
            Commands.error(absent);
            return;
        } catch (IllegalStateException | IllegalArgumentException e) {
            Commands.error(refused + reason(e));
            return;
        }
        System.out.println(done);
    }

    /** Core's reason, on one line and without terminal controls: it may quote a door's or a customer's words. */
    static String reason(RuntimeException e) {
        String reason = Text.oneLine(e.getMessage(), 400);
        return reason.isEmpty() ? e.getClass().getSimpleName() : reason;
    }

    /**
     * The constant named by {@code value}, in any case; null for null.
     *
     * @throws IllegalArgumentException naming the accepted values, for any other text
     */
    static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Unknown " + what + " " + Text.oneLine(value, 40) + "; use one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** A filter option: blank means no filter. */
    static String filter(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
