package org.frontdoor.web;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.karaf.jaas.modules.BackingEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of Karaf's {@code etc/users.properties}, read only to move them into the login accounts: a user found there
 * logs in once with their password, checked as Karaf's properties module would (in clear, or
 * {@code {CRYPT}<digest>{CRYPT}} with the algorithm and encoding of {@code etc/org.apache.karaf.jaas.cfg}), and is then
 * removed from the file through Karaf's backing engine, which keeps the file's comments and groups.
 */
final class LegacyUsers {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyUsers.class);
    private static final String GROUP_PREFIX = "_g_:";

    private final Path file;
    private final Map<String, ?> options;
    private final Supplier<BackingEngine> engine;

    /**
     * @param options the options Karaf gives its properties login module: {@code users} (the file) and
     *                {@code encryption.*}
     * @param engine  Karaf's backing engine over the same file, or null when there is none (the user then stays)
     */
    LegacyUsers(Map<String, ?> options, Supplier<BackingEngine> engine) {
        Object users = options.get("users");
        this.file = users == null ? null : Path.of(users.toString());
        this.options = options;
        this.engine = engine;
    }

    /** True when the file has a user of this name. */
    boolean has(String name) {
        return entry(name) != null;
    }

    /**
     * @return the user's roles (their own and their groups'), or null when the file has no such user or the password
     *         is not theirs
     */
    Set<String> login(String name, char[] password) {
        String[] infos = entry(name);
        if (infos == null || !matches(password, infos[0].trim())) {
            return null;
        }
        Properties users = read();
        Set<String> roles = new LinkedHashSet<>();
        for (int i = 1; i < infos.length; i++) {
            String info = infos[i].trim();
            if (info.startsWith(GROUP_PREFIX)) {
                String group = users.getProperty(info);
                if (group != null) {
                    String[] groupRoles = group.split(",");
                    // the first item of a group's line is the word "group"
                    for (int j = 1; j < groupRoles.length; j++) {
                        addRole(roles, groupRoles[j].trim());
                    }
                }
            } else {
                addRole(roles, info);
            }
        }
        return roles;
    }

    /** Removes the user from the file; false when it could not (the error is logged). */
    boolean remove(String name) {
        BackingEngine backing = engine == null ? null : engine.get();
        if (backing == null) {
            LOG.warn("User {} could not be removed from {}: Karaf's properties backing engine is not there", name,
                    file);
            return false;
        }
        backing.deleteUser(name);
        // the engine logs and swallows a failed save
        return !has(name);
    }

    private static void addRole(Set<String> roles, String role) {
        if (!role.isEmpty()) {
            roles.add(role);
        }
    }

    private String[] entry(String name) {
        if (file == null || name == null || name.startsWith(GROUP_PREFIX)) {
            return null;
        }
        String line = read().getProperty(name);
        return line == null ? null : line.split(",");
    }

    private Properties read() {
        Properties users = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            users.load(in);
        } catch (NoSuchFileException gone) {
            // no file: no legacy users
        } catch (IOException e) {
            LOG.warn("Could not read {}: {}", file, e.getMessage());
        }
        return users;
    }

    /** As Karaf's properties module checks: in clear, or the digest between the encryption prefix and suffix. */
    private boolean matches(char[] password, String stored) {
        String prefix = option("encryption.prefix", "{CRYPT}");
        String suffix = option("encryption.suffix", "{CRYPT}");
        byte[] given = new String(password).getBytes(StandardCharsets.UTF_8);
        if (!stored.startsWith(prefix) || !stored.endsWith(suffix)
                || stored.length() < prefix.length() + suffix.length()) {
            return MessageDigest.isEqual(given, stored.getBytes(StandardCharsets.UTF_8));
        }
        String digest = stored.substring(prefix.length(), stored.length() - suffix.length());
        try {
            byte[] expected = "base64".equalsIgnoreCase(option("encryption.encoding", "hexadecimal"))
                    ? Base64.getDecoder().decode(digest) : HexFormat.of().parseHex(digest.toLowerCase());
            byte[] actual = MessageDigest.getInstance(option("encryption.algorithm", "SHA-256")).digest(given);
            return MessageDigest.isEqual(actual, expected);
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            LOG.warn("A password in {} could not be checked: {}", file, e.getMessage());
            return false;
        }
    }

    private String option(String key, String otherwise) {
        Object value = options.get(key);
        return value == null || value.toString().isBlank() ? otherwise : value.toString().trim();
    }
}
