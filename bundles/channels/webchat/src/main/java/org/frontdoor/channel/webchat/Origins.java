package org.frontdoor.channel.webchat;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The sites allowed to embed one instance's widget, compared as the browser sends its Origin header. */
final class Origins {

    private final Set<String> allowed;
    private final java.util.List<String> malformed;

    Origins(Collection<String> configured) {
        Set<String> set = new LinkedHashSet<>();
        java.util.List<String> bad = new java.util.ArrayList<>();
        for (String origin : configured) {
            String normal = normalize(origin);
            if (normal != null) {
                set.add(normal);
            } else {
                bad.add(origin);
            }
        }
        this.allowed = Set.copyOf(set);
        this.malformed = java.util.List.copyOf(bad);
    }

    /** The configured entries that are no origin (no scheme, a path, a query), as configured. */
    java.util.List<String> malformed() {
        return malformed;
    }

    /** What is wrong with the malformed entries and how to fix them, or null when there is none. */
    String malformedProblem(String source) {
        if (malformed.isEmpty()) {
            return null;
        }
        String names = malformed.stream().map(m -> "'" + (m.length() > 100 ? m.substring(0, 100) + "..." : m) + "'")
                .collect(java.util.stream.Collectors.joining(", "));
        return "allowedOrigins " + (malformed.size() == 1 ? "entry " + names + " is" : "entries " + names + " are")
                + " malformed (an origin is scheme://host[:port], such as https://www.example.com, without a path): "
                + "fix 'allowedOrigins' in " + source;
    }

    /** Splits a cfg value: a list, or one string with commas or spaces between origins. */
    static Origins parse(String[] configured) {
        Set<String> all = new LinkedHashSet<>();
        if (configured != null) {
            for (String value : configured) {
                for (String part : value.split("[,\\s]+")) {
                    if (!part.isBlank()) {
                        all.add(part.trim());
                    }
                }
            }
        }
        return new Origins(all);
    }

    boolean isEmpty() {
        return allowed.isEmpty();
    }

    boolean allows(String origin) {
        String normal = normalize(origin);
        return normal != null && allowed.contains(normal);
    }

    Set<String> all() {
        return allowed;
    }

    /** scheme://host[:port] in lower case without a default port, or null for anything else (a path, "null"). */
    static String normalize(String origin) {
        if (origin == null || origin.isBlank() || origin.length() > 300) {
            return null;
        }
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath()))
                    || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (Exception e) {
            return null;
        }
    }
}
