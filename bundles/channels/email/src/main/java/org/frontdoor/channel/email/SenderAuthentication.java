package org.frontdoor.channel.email;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the receiving mail server found about a mail's sender, from its {@code Authentication-Results} header (RFC
 * 8601): the SPF, DKIM and DMARC results. Only a header written by the server named by its authserv-id counts; any
 * other may have been written by the sender.
 *
 * @param authservId the server that checked
 * @param results    method (spf, dkim, dmarc) to its results, in the header's order
 */
record SenderAuthentication(String authservId, Map<String, List<String>> results) {

    private static final List<String> METHODS = List.of("spf", "dkim", "dmarc");
    private static final Pattern RESULT = Pattern.compile("([A-Za-z0-9_.-]+)(?:/[0-9]+)?\\s*=\\s*([A-Za-z0-9_.-]+)");

    /**
     * The results in the first header written by {@code trustedId}, or null when there is none (or no id is trusted).
     * A server adds its header on top, so the first one is the receiving server's own.
     */
    static SenderAuthentication read(String[] headers, String trustedId) {
        if (headers == null || trustedId == null || trustedId.isBlank()) {
            return null;
        }
        for (String header : headers) {
            List<String> parts = parts(header);
            if (parts.isEmpty()) {
                continue;
            }
            String[] idAndVersion = parts.get(0).strip().split("\\s+");
            if (!idAndVersion[0].equalsIgnoreCase(trustedId.strip())) {
                continue;
            }
            Map<String, List<String>> results = new LinkedHashMap<>();
            for (String part : parts.subList(1, parts.size())) {
                Matcher m = RESULT.matcher(part.strip());
                if (m.lookingAt()) {
                    String method = m.group(1).toLowerCase(Locale.ROOT);
                    if (METHODS.contains(method)) {
                        results.computeIfAbsent(method, k -> new ArrayList<>())
                                .add(m.group(2).toLowerCase(Locale.ROOT));
                    }
                }
            }
            return new SenderAuthentication(idAndVersion[0], results);
        }
        return null;
    }

    /**
     * The header's parts between semicolons, comments (in parentheses, nested) left out and quoted strings kept
     * whole, so a semicolon in a reason does not split it.
     */
    static List<String> parts(String header) {
        List<String> parts = new ArrayList<>();
        if (header == null) {
            return parts;
        }
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '\\' && (quoted || depth > 0) && i + 1 < header.length()) {
                if (depth == 0) {
                    current.append(c).append(header.charAt(i + 1));
                }
                i++;
            } else if (quoted) {
                current.append(c);
                quoted = c != '"';
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth > 0) {
                continue;
            } else if (c == '"') {
                quoted = true;
                current.append(c);
            } else if (c == ';') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c == '\r' || c == '\n' || c == '\t' ? ' ' : c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private boolean any(String method, String... wanted) {
        List<String> found = results.getOrDefault(method, List.of());
        for (String w : wanted) {
            if (found.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the sender failed: DMARC failed; or, without a DMARC result, SPF or DKIM failed and neither passed (a
     * forwarded mail fails SPF but keeps its DKIM signature).
     */
    boolean failed() {
        if (any("dmarc", "pass")) {
            return false;
        }
        if (any("dmarc", "fail")) {
            return true;
        }
        return (any("spf", "fail", "softfail") || any("dkim", "fail")) && !any("spf", "pass") && !any("dkim", "pass");
    }

    /** For agents: each method's results and who checked: {@code spf=pass dkim=fail dmarc=fail (by mx.example.com)}. */
    String summary() {
        StringBuilder s = new StringBuilder();
        for (String method : METHODS) {
            List<String> found = results.get(method);
            s.append(s.isEmpty() ? "" : " ").append(method).append('=')
                    .append(found == null ? "none" : String.join(",", found));
        }
        return s.append(" (by ").append(authservId).append(')').toString();
    }

    /** Why the sender is not taken as the owner of the From address. */
    String failure() {
        return "the receiving server " + authservId + " found " + summary().replaceFirst(" \\(by .*\\)$", "")
                + ": the From address is not proven to be the sender's";
    }
}
