package org.frontdoor.channel.email;

import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

import jakarta.mail.Session;

/**
 * One instance's settings, checked, and the Jakarta Mail sessions made from them. Passwords are kept out of
 * {@link #toString()}.
 */
record MailSettings(String instance, String source, String imapHost, int imapPort, String imapSecurity,
                    String username, String password, String folder, String processedFolder, boolean idle,
                    int pollSeconds, int batchSize, String smtpHost, int smtpPort, String smtpSecurity,
                    String smtpUsername, String smtpPassword, String fromAddress, String fromName,
                    String newThreadSubject, int maxRawBytes, long maxAttachmentBytes,
                    List<String> allowedAttachmentTypes, int timeoutSeconds, int ingestTimeoutSeconds,
                    int reconnectMaxSeconds, int authRetrySeconds, String authservId) {

    static MailSettings of(String instance, String source, EmailChannelConfig c) {
        String smtpHost = blank(c.smtpHost()) ? trim(c.imapHost()) : c.smtpHost().trim();
        String smtpUser = blank(c.smtpUsername()) ? trim(c.username()) : c.smtpUsername().trim();
        String smtpPassword = blank(c.smtpPassword()) ? c.password() : c.smtpPassword();
        String from = blank(c.fromAddress()) ? (trim(c.username()).contains("@") ? trim(c.username()) : "")
                : c.fromAddress().trim();
        return new MailSettings(instance, source, trim(c.imapHost()), c.imapPort(), security(c.imapSecurity()),
                trim(c.username()), c.password() == null ? "" : c.password(), blank(c.folder()) ? "INBOX" : c.folder().trim(),
                trim(c.processedFolder()), c.idle(), Math.max(1, c.pollSeconds()), Math.max(1, c.batchSize()),
                smtpHost, c.smtpPort(), security(c.smtpSecurity()), smtpUser,
                smtpPassword == null ? "" : smtpPassword, from, trim(c.fromName()),
                blank(c.newThreadSubject()) ? "Your conversation with us" : c.newThreadSubject().trim(),
                Math.max(1024, c.maxRawBytes()), Math.max(0, c.maxAttachmentBytes()),
                types(c.allowedAttachmentTypes()),
                Math.max(1, c.timeoutSeconds()), Math.max(1, c.ingestTimeoutSeconds()),
                Math.max(1, c.reconnectMaxSeconds()), Math.max(1, c.authRetrySeconds()), trim(c.authservId()));
    }

    /** The allowed media types: a list, or one value holding several separated by commas (a plain .cfg line). */
    static List<String> types(String[] configured) {
        return configured == null ? List.of() : java.util.Arrays.stream(configured)
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).filter(t -> !t.isEmpty())
                .toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String security(String value) {
        String v = trim(value).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "tls", "ssl" -> "tls";
            case "starttls" -> "starttls";
            case "none", "plain", "" -> v.isEmpty() ? "" : "none";
            default -> "invalid:" + v;
        };
    }

    /** What keeps the mailbox from being read, in words an admin acts on; null when nothing does. */
    String imapProblem() {
        if (imapHost.isEmpty()) {
            return "no IMAP server: set 'imapHost' in " + source;
        }
        if (username.isEmpty() || password.isEmpty()) {
            return "no IMAP login: set 'username' and 'password' in " + source;
        }
        if (!List.of("tls", "starttls", "none").contains(imapSecurity)) {
            return "imapSecurity must be tls, starttls or none in " + source;
        }
        return null;
    }

    /** What keeps replies from being sent, in words an admin acts on; null when nothing does. */
    String smtpProblem() {
        if (smtpHost.isEmpty()) {
            return "no SMTP server: set 'smtpHost' (or 'imapHost') in " + source;
        }
        if (fromAddress.isEmpty()) {
            return "no sender address: set 'fromAddress' in " + source;
        }
        if (!List.of("tls", "starttls", "none").contains(smtpSecurity)) {
            return "smtpSecurity must be starttls, tls or none in " + source;
        }
        return null;
    }

    boolean smtpLogin() {
        return !smtpUsername.isEmpty() && !"none".equalsIgnoreCase(smtpUsername);
    }

    String imapProtocol() {
        return imapSecurity.equals("tls") ? "imaps" : "imap";
    }

    String smtpProtocol() {
        return smtpSecurity.equals("tls") ? "smtps" : "smtp";
    }

    Session imapSession() {
        Properties p = new Properties();
        String protocol = imapProtocol();
        String prefix = "mail." + protocol + ".";
        p.put("mail.store.protocol", protocol);
        p.put(prefix + "host", imapHost);
        p.put(prefix + "port", Integer.toString(imapPort));
        timeouts(p, prefix);
        // reading a mail must not mark it \Seen: that happens only once Frontdoor has stored it
        p.put(prefix + "peek", "true");
        if (imapSecurity.equals("starttls")) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (imapSecurity.equals("tls")) {
            p.put(prefix + "ssl.checkserveridentity", "true");
        }
        p.put("mail.mime.address.strict", "false");
        return withMailLoader(() -> Session.getInstance(p));
    }

    Session smtpSession() {
        Properties p = new Properties();
        String protocol = smtpProtocol();
        String prefix = "mail." + protocol + ".";
        p.put("mail.transport.protocol", protocol);
        p.put(prefix + "host", smtpHost);
        p.put(prefix + "port", Integer.toString(smtpPort));
        p.put(prefix + "auth", Boolean.toString(smtpLogin()));
        p.put(prefix + "from", fromAddress);
        timeouts(p, prefix);
        if (smtpSecurity.equals("starttls")) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (smtpSecurity.equals("tls")) {
            p.put(prefix + "ssl.checkserveridentity", "true");
        }
        return withMailLoader(() -> Session.getInstance(p));
    }

    private void timeouts(Properties p, String prefix) {
        String millis = Integer.toString(timeoutSeconds * 1000);
        p.put(prefix + "connectiontimeout", millis);
        p.put(prefix + "timeout", millis);
    }

    String fromDomain() {
        int at = fromAddress.lastIndexOf('@');
        return at < 0 ? "frontdoor.invalid" : fromAddress.substring(at + 1);
    }

    /**
     * Runs Jakarta Mail with this bundle's class loader as the thread's context class loader: it finds its providers
     * (imap, smtp) and its stream factory through it, and they are embedded in this bundle.
     */
    static <T> T withMailLoader(Callable<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(MailSettings.class.getClassLoader());
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public String toString() {
        return "email/" + instance + " (" + username + " at " + imapHost + ":" + imapPort + ")";
    }
}
