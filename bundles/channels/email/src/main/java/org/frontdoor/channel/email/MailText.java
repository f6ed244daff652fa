package org.frontdoor.channel.email;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The text an agent reads from a mail: HTML reduced to plain text (nothing of it rendered, run or fetched), and the
 * quoted history the customer's client put under the new part folded away. The whole mail stays in the raw payload.
 */
final class MailText {

    /** What the agent never needs and a browser would run or fetch: scripts, styles, images (tracking pixels). */
    private static final String DROPPED = "script, style, head, title, noscript, template, iframe, frame, object, "
            + "embed, svg, img, picture, video, audio, form, input, button, select, textarea, link, meta, base";
    /** Quoted history as the common clients mark it in HTML: Gmail, Apple Mail, Thunderbird, Yahoo, Outlook. */
    private static final String QUOTES = "div.gmail_quote, blockquote.gmail_quote, blockquote[type=cite], "
            + "div.moz-cite-prefix, div.yahoo_quoted, div.OutlookMessageHeader";
    /** Outlook (web and new Outlook): everything from this marker on is the answered mail. */
    private static final String OUTLOOK_HISTORY = "div#appendonsend, div#divRplyFwdMsg, div#mail-editor-reference-message-container";
    private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
            "table", "tr", "blockquote", "pre", "hr", "address", "section", "article", "header", "footer", "dl", "dt",
            "dd", "center", "main", "nav", "aside", "figure", "figcaption");

    private static final Pattern WROTE = Pattern.compile(
            "^(On|Le|Am|El|Il|Op|Em|Den|W dniu)\\b.*(wrote|a écrit|schrieb|escribió|ha scritto|schreef|escreveu|skrev|napisał)\\s*:?\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WROTE_START = Pattern.compile("^On\\b.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern WROTE_END = Pattern.compile(".*\\bwrote\\s*:\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ORIGINAL = Pattern.compile(
            "^-{2,}\\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Forwarded message|Mensaje original)\\s*-{2,}\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER_FROM = Pattern.compile("^\\*?(From|Von|De|Van|Da)\\s*:\\*?\\s.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER_SENT = Pattern.compile("^\\*?(Sent|Date|Gesendet|Datum|Envoyé|Verzonden|Enviado|Inviato)\\s*:.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern UNDERSCORES = Pattern.compile("^_{8,}\\s*$");

    private MailText() {
    }

    /** HTML as plain text: line breaks kept, scripts, styles and images dropped, quoted history folded. */
    static String fromHtml(String html) {
        Document document = Jsoup.parse(html);
        document.select(DROPPED).remove();
        Element history = document.selectFirst(OUTLOOK_HISTORY);
        if (history != null) {
            removeFrom(history);
        }
        document.select(QUOTES).remove();
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    boolean pre = text.parent() != null && ((Element) text.parent()).closest("pre") != null;
                    String value = pre ? text.getWholeText() : text.text().replaceAll("\\s+", " ");
                    if (!pre && (out.isEmpty() || out.charAt(out.length() - 1) == '\n')) {
                        value = value.stripLeading();
                    }
                    out.append(value);
                } else if (node instanceof Element element) {
                    String tag = element.normalName();
                    if (tag.equals("br")) {
                        out.append('\n');
                    } else if (BLOCKS.contains(tag)) {
                        newline(out);
                        if (tag.equals("li")) {
                            out.append("- ");
                        }
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element && BLOCKS.contains(element.normalName())) {
                    newline(out);
                    if (element.normalName().equals("p")) {
                        out.append('\n');
                    }
                }
            }
        }, document.body() == null ? document : document.body());
        return foldQuotes(tidy(out.toString()));
    }

    /** Removes an element and everything after it in the document. */
    private static void removeFrom(Element start) {
        Element current = start;
        while (current != null && current.parent() != null) {
            List<Node> after = new ArrayList<>();
            for (Node sibling = current.nextSibling(); sibling != null; sibling = sibling.nextSibling()) {
                after.add(sibling);
            }
            after.forEach(Node::remove);
            Element parent = current.parent();
            if (current == start) {
                current.remove();
            }
            current = parent.normalName().equals("body") ? null : parent;
        }
    }

    private static void newline(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
    }

    private static String tidy(String text) {
        String stripped = text.replace('\u00a0', ' ').replaceAll("[ \\t]+\\n", "\n");
        return stripped.replaceAll("\\n{3,}", "\n\n").strip();
    }

    /**
     * The new part of a plain-text mail: the text above the first "On ... wrote:", "-----Original Message-----" or
     * Outlook "From: / Sent:" header, without lines quoted with '>'. A mail that is all quote keeps its text.
     */
    static String foldQuotes(String text) {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        int cut = lines.length;
        for (int i = 0; i < lines.length && cut == lines.length; i++) {
            String line = lines[i].strip();
            if (WROTE.matcher(line).matches() || ORIGINAL.matcher(line).matches()) {
                cut = i;
            } else if (i + 1 < lines.length && WROTE_START.matcher(line).matches()
                    && WROTE_END.matcher(lines[i + 1].strip()).matches()) {
                cut = i;
            } else if (HEADER_FROM.matcher(line).matches() && headerFollows(lines, i)) {
                cut = i > 0 && UNDERSCORES.matcher(lines[i - 1].strip()).matches() ? i - 1 : i;
            } else if (UNDERSCORES.matcher(line).matches() && i + 1 < lines.length
                    && HEADER_FROM.matcher(lines[i + 1].strip()).matches()) {
                cut = i;
            }
        }
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < cut; i++) {
            if (!lines[i].stripLeading().startsWith(">")) {
                kept.append(lines[i].stripTrailing()).append('\n');
            }
        }
        String result = kept.toString().replaceAll("\\n{3,}", "\n\n").strip();
        return result.isEmpty() ? text.strip() : result;
    }

    private static boolean headerFollows(String[] lines, int from) {
        for (int i = from + 1; i < Math.min(lines.length, from + 5); i++) {
            if (HEADER_SENT.matcher(lines[i].strip()).matches()) {
                return true;
            }
        }
        return false;
    }
}
