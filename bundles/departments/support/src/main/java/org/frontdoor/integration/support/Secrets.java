package org.frontdoor.integration.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import org.frontdoor.api.SecretFile;

/**
 * Where an integration's secret comes from, in this order: a file ({@code secretFile}, read whole and trimmed), an
 * environment variable ({@code secretEnv}), or the cfg itself ({@code secret}). The value is never logged and never
 * part of a reason: reasons name the file or the variable.
 */
public final class Secrets {

    private Secrets() {
    }

    /**
     * @param value   the secret, or null when none is set
     * @param origin  where it came from, for the log; never the value
     */
    public record Secret(String value, String origin) {
        @Override
        public String toString() {
            return value == null ? "no secret" : "secret from " + origin;
        }
    }

    /**
     * @param env the environment (System::getenv; tests give a map)
     * @throws IllegalArgumentException when a named file or variable cannot give a secret
     */
    public static Secret resolve(String secret, String secretEnv, String secretFile, String source,
                                 Function<String, String> env) {
        if (secretFile != null && !secretFile.isBlank()) {
            Path file = Path.of(secretFile.trim());
            try {
                String v = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("the secret file " + file + " is empty");
                }
                return new Secret(v, "file " + file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the secret file " + file + ": "
                        + SecretFile.describe(e));
            }
        }
        if (secretEnv != null && !secretEnv.isBlank()) {
            String v = env.apply(secretEnv.trim());
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("the environment variable " + secretEnv.trim()
                        + " named by secretEnv in " + source + " is not set");
            }
            return new Secret(v.trim(), "environment variable " + secretEnv.trim());
        }
        if (secret != null && !secret.isBlank()) {
            return new Secret(secret.trim(), source);
        }
        return new Secret(null, null);
    }

    /** The process environment, as {@link #resolve} takes it. */
    public static Function<String, String> environment() {
        Map<String, String> env = System.getenv();
        return env::get;
    }
}
