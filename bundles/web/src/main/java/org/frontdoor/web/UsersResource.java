package org.frontdoor.web;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.AccountExistsException;
import org.frontdoor.api.accounts.Accounts;
import org.frontdoor.api.accounts.LoginResult;

/**
 * {@code /users}: the login accounts, for admins. {@code GET /users} lists them (never a hash), {@code POST /users}
 * adds one ({@code {"name", "password", "roles": [...]}}), {@code PUT /users/{name}/roles} sets its roles,
 * {@code PUT /users/{name}/password} its password ({@code {"password"}}; a user who is not an admin may change their
 * own with {@code "oldPassword"} too). Passwords travel in the body only.
 */
final class UsersResource {

    private UsersResource() {
    }

    /** {@code GET /users} (role admin, {@link UsersApi}): every account, never a hash. */
    static Reply list(Accounts accounts) {
        return guarded(accounts, () -> Reply.ok(accounts.list().stream().map(UsersResource::view).toList()));
    }

    /** {@code POST /users} (role admin): 201 and the account. */
    static Reply add(byte[] body, Accounts accounts) {
        return guarded(accounts, () -> create(body, accounts));
    }

    /** {@code GET /users/{name}} (role admin). */
    static Reply get(String name, Accounts accounts) {
        return guarded(accounts, () -> accounts.find(name).map(a -> Reply.ok(view(a)))
                .orElseGet(() -> Reply.error(404, "no account named " + name)));
    }

    /** {@code PUT /users/{name}/roles} (role admin); 409 when it would leave no enabled admin. */
    static Reply setRoles(String name, byte[] body, Accounts accounts, java.util.function.Consumer<String> onChange) {
        return guarded(accounts, () -> {
            Set<String> roles = roles(RestHandler.object(body));
            String last = lastAdmin(accounts, name, roles.contains("admin"));
            if (last != null) {
                return Reply.error(409, last);
            }
            Reply reply = Reply.ok(view(accounts.setRoles(name, roles)));
            onChange.accept(name);
            return reply;
        });
    }

    /**
     * {@code PUT /users/{name}/password}: an admin sets anyone's; a user who is not an admin their own, with their
     * {@code oldPassword}.
     */
    static Reply setPassword(String name, byte[] body, Authenticator.User user, Accounts accounts,
                             java.util.function.Consumer<String> onChange) {
        return guarded(accounts, () -> {
            JsonNode json = RestHandler.object(body);
            String password = text(json, "password");
            if (!user.roles().contains("admin")) {
                if (!name.equals(user.name())) {
                    return Reply.error(403, user.name() + " may change only their own password; changing another's "
                            + "is for admins");
                }
                String old = text(json, "oldPassword");
                if (accounts.login(name, old.toCharArray()).outcome() != LoginResult.Outcome.ACCEPTED) {
                    return Reply.error(403, "oldPassword is not the current password");
                }
            }
            Reply reply = Reply.ok(view(accounts.setPassword(name, password.toCharArray())));
            onChange.accept(name);
            return reply;
        });
    }

    /**
     * An action on the accounts, with their refusals in their own words: 503 while the accounts are not available,
     * 409 for a name taken, 404 and 400 as the accounts say.
     */
    private static Reply guarded(Accounts accounts, java.util.function.Supplier<Reply> action) {
        if (accounts == null) {
            return Reply.error(503, "the login accounts are not available now; try again shortly")
                    .with("Retry-After", "5");
        }
        try {
            return action.get();
        } catch (AccountExistsException e) {
            return Reply.error(409, e.getMessage());
        } catch (NoSuchElementException e) {
            return Reply.error(404, e.getMessage());
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
    }

    private static Reply create(byte[] body, Accounts accounts) {
        JsonNode json = RestHandler.object(body);
        String name = text(json, "name");
        Account account = accounts.create(name, text(json, "password").toCharArray(), roles(json));
        return new Reply(201, Map.of("Location", "/api/v1/users/" + account.name()), view(account));
    }

    /**
     * Why a change of {@code name}'s roles would leave no enabled admin, or null when it would not: nobody could manage
     * accounts any more.
     */
    static String lastAdmin(Accounts accounts, String name, boolean staysAdmin) {
        if (staysAdmin) {
            return null;
        }
        List<Account> admins = accounts.list().stream()
                .filter(a -> !a.disabled() && a.roles().contains("admin")).toList();
        if (admins.size() == 1 && admins.get(0).name().equals(name)) {
            return name + " is the last enabled admin; make another admin first";
        }
        return null;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field: " + field);
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asText();
    }

    private static Set<String> roles(JsonNode json) {
        JsonNode value = json.get("roles");
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("roles must be a list, such as [\"agent\"]");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (JsonNode role : value) {
            if (!role.isTextual()) {
                throw new IllegalArgumentException("each role must be a string");
            }
            roles.add(role.asText());
        }
        return roles;
    }

    /** An account as the API shows it: no hash, ever. */
    static Map<String, Object> view(Account account) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", account.name());
        out.put("roles", account.roles().stream().sorted().toList());
        out.put("disabled", account.disabled());
        out.put("createdAt", account.createdAt());
        out.put("updatedAt", account.updatedAt());
        out.put("version", account.version());
        return out;
    }
}
