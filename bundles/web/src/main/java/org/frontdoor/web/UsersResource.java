package org.frontdoor.web;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    static final Pattern PATH = Pattern.compile("/users(?:/([^/]+)(?:/(roles|password))?)?/?");

    private UsersResource() {
    }

    /** @param path a path {@link #PATH} matched; @param onChange told the name of an account whose login changed */
    static Reply handle(String method, Matcher path, byte[] body, Authenticator.User user, Accounts accounts,
                        java.util.function.Consumer<String> onChange) {
        if (accounts == null) {
            return Reply.error(503, "the login accounts are not available now; try again shortly")
                    .with("Retry-After", "5");
        }
        String name = path.group(1);
        String part = path.group(2);
        boolean admin = user.roles().contains("admin");
        try {
            if (name == null) {
                if (!admin) {
                    return notAdmin(user);
                }
                return switch (method) {
                    case "GET" -> Reply.ok(accounts.list().stream().map(UsersResource::view).toList());
                    case "POST" -> create(body, accounts);
                    default -> Reply.error(405, method + " is not allowed here; use GET or POST")
                            .with("Allow", "GET, POST");
                };
            }
            if (part == null) {
                if (!admin) {
                    return notAdmin(user);
                }
                if (!"GET".equals(method)) {
                    return Reply.error(405, method + " is not allowed here; use GET").with("Allow", "GET");
                }
                return accounts.find(name).map(a -> Reply.ok(view(a)))
                        .orElseGet(() -> Reply.error(404, "no account named " + name));
            }
            if (!"PUT".equals(method)) {
                return Reply.error(405, method + " is not allowed here; use PUT").with("Allow", "PUT");
            }
            JsonNode json = RestHandler.object(body);
            if ("roles".equals(part)) {
                if (!admin) {
                    return notAdmin(user);
                }
                Set<String> roles = roles(json);
                String last = lastAdmin(accounts, name, roles.contains("admin"));
                if (last != null) {
                    return Reply.error(409, last);
                }
                Reply reply = Reply.ok(view(accounts.setRoles(name, roles)));
                onChange.accept(name);
                return reply;
            }
            String password = text(json, "password");
            if (!admin) {
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
        } catch (AccountExistsException e) {
            return Reply.error(409, e.getMessage());
        } catch (NoSuchElementException e) {
            return Reply.error(404, e.getMessage());
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
    }

    private static Reply notAdmin(Authenticator.User user) {
        return Reply.error(403, user.name() + " is not an admin; only admins manage accounts");
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
