package org.frontdoor.shell;

import java.security.AccessController;
import java.security.Principal;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;

/** What the commands share. */
final class Commands {

    static final String CORE_DOWN = "Frontdoor core is not running (feature:install frontdoor-core)";

    private Commands() {
    }

    /** The user logged in to this console session, the author of replies. */
    @SuppressWarnings("removal")
    static String currentUser() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject != null) {
            for (Principal p : subject.getPrincipals(UserPrincipal.class)) {
                return p.getName();
            }
        }
        return "karaf";
    }
}
