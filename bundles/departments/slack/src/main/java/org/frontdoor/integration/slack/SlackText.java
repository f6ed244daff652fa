package org.frontdoor.integration.slack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.ConversationEvent;

/**
 * An event as a Slack message: {@code text} (the notification's fallback) and one {@code section} block in
 * {@code mrkdwn}. Customer text (name, preview) and names are escaped as Slack asks ({@code &}, {@code <}, {@code >}
 * as {@code &amp;}, {@code &lt;}, {@code &gt;}), so a customer cannot make a link, a mention or {@code <!channel>}
 * appear; the preview is quoted.
 */
final class SlackText {

    private SlackText() {
    }

    /** Slack's escaping for text it reads as mrkdwn: only these three characters. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String line(ConversationEvent e) {
        String who = e.customerName() == null ? "a customer" : escape(e.customerName());
        String conversation = "*Conversation " + e.conversationId() + "* with " + who;
        String dept = "*" + escape(e.department()) + "*";
        return switch (e.type()) {
            case ROUTED -> conversation + (e.reopened() ? " was reopened and routed to " : " is new in ") + dept;
            case TRANSFERRED -> conversation + " moved from *" + escape(e.previousDepartment()) + "* to " + dept;
            case RESOLVED -> conversation + " was resolved in " + dept;
            case ASSIGNED -> conversation + " was taken by " + escape(e.actor());
            default -> conversation + ": " + e.type().id();
        };
    }

    static Map<String, Object> payload(ConversationEvent e) {
        String line = line(e);
        String mrkdwn = line;
        if (e.preview() != null && !e.preview().isBlank() && e.type() != ConversationEvent.Type.RESOLVED) {
            // a quote per line: a preview's own line breaks must not end the quote
            mrkdwn += "\n>" + escape(e.preview()).replace("\n", "\n>");
        }
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("type", "mrkdwn");
        text.put("text", mrkdwn);
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("type", "section");
        section.put("text", text);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", line);
        payload.put("blocks", List.of(section));
        return payload;
    }
}
