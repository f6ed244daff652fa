package org.frontdoor.api.accounts;

import java.time.Instant;
import java.util.Set;

/**
 * A login account as the store holds it, without its password hash.
 *
 * @param name     the login name, unique
 * @param roles    the roles its logins get (admin, supervisor, agent, or Karaf's own such as viewer)
 * @param disabled true when it may not log in
 * @param version  bumped by every change; two changes never both start from the same version
 */
public record Account(String name, Set<String> roles, boolean disabled, Instant createdAt, Instant updatedAt,
                      long version) {

    public Account {
        roles = Set.copyOf(roles);
    }
}
