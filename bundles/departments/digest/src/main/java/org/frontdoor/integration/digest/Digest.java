package org.frontdoor.integration.digest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

import org.frontdoor.api.inbox.ConversationSummary;

/** A digest's subject and plain-text body. Customer text goes in as text: the mail is text/plain, never HTML. */
record Digest(String subject, String body) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    static Digest of(String department, List<ConversationSummary> unresolved, Set<Long> fresh, long total,
                     Instant at) {
        long newCount = unresolved.stream().filter(c -> fresh.contains(c.id())).count();
        String subject = "[Frontdoor] " + department + ": " + total + " unresolved, " + newCount + " new";
        StringBuilder body = new StringBuilder();
        body.append("Unresolved conversations of ").append(department).append(" at ").append(TIME.format(at))
                .append(": ").append(total).append(newCount > 0 ? ", " + newCount + " new since the last digest" : "")
                .append(".\n\n");
        for (ConversationSummary c : unresolved) {
            body.append(fresh.contains(c.id()) ? "NEW " : "    ")
                    .append('#').append(c.id()).append("  ")
                    .append(oneLine(c.customerName() == null ? "a customer" : c.customerName(), 60)).append("  ")
                    .append(c.status().name().toLowerCase(java.util.Locale.ROOT))
                    .append(c.assignee() == null ? "" : " (" + oneLine(c.assignee(), 40) + ")")
                    .append("  last activity ").append(c.lastActivityAt() == null ? "-" : TIME.format(c.lastActivityAt()))
                    .append('\n');
            if (c.preview() != null && !c.preview().isBlank()) {
                body.append("        ").append(oneLine(c.preview(), 160)).append('\n');
            }
        }
        if (total > unresolved.size()) {
            body.append("\n... and ").append(total - unresolved.size()).append(" more.\n");
        }
        return new Digest(subject, body.toString());
    }

    /** One line of at most {@code max} characters: a customer's line breaks cannot fake lines of the digest. */
    static String oneLine(String text, int max) {
        String line = text.replaceAll("[\\r\\n\\t\\p{Cc}]+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
