package org.frontdoor.api;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A failure to connect to a door's server, said as one sentence naming the setting to change, for a door's health
 * reason, its check and its log: a TLS mode that does not match the port (a raw {@code SSLException}) and a
 * certificate the JVM does not trust (a raw {@code PKIX path building failed}) above all.
 */
public final class ConnectionTrouble {

    /** What a failure was, as far as connecting goes. */
    public enum Kind {
        /** The certificate is not signed by a CA the JVM trusts (self-signed, a company CA). */
        UNTRUSTED_CERTIFICATE,
        /** The certificate does not name the host connected to. */
        CERTIFICATE_NAME,
        /** Implicit TLS was spoken to a port that talks in plain text first. */
        TLS_TO_PLAIN_PORT,
        /** Plain text (or STARTTLS) was spoken to a port that expects TLS at once. */
        PLAIN_TO_TLS_PORT,
        /** STARTTLS is required but the server does not offer it. */
        NO_STARTTLS,
        /** Nothing listens there. */
        REFUSED,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** The server did not answer in time. */
        TIMEOUT,
        /** Anything else. */
        OTHER
    }

    /**
     * The door's settings a sentence names.
     *
     * @param server     what the server is to an admin ({@code the IMAP server})
     * @param host       the host connected to
     * @param port       the port connected to
     * @param hostKey    the setting holding the host ({@code imapHost})
     * @param portKey    the setting holding the port ({@code imapPort})
     * @param tlsKey     the setting holding the TLS mode ({@code imapSecurity})
     * @param tlsValue   the value that means implicit TLS ({@code tls}); null for a door that speaks only STARTTLS
     * @param plainValue the value that means STARTTLS, or plain text ({@code starttls})
     * @param source     the file the settings are in ({@code etc/org.frontdoor.channel.email-support.cfg})
     */
    public record Settings(String server, String host, int port, String hostKey, String portKey, String tlsKey,
                           String tlsValue, String plainValue, String source) {
    }

    private ConnectionTrouble() {
    }

    /**
     * What a failure was. {@code implicitTls}: whether the door spoke TLS at once; a plain greeting that never came
     * (a timeout, the server closing) counts as {@link Kind#PLAIN_TO_TLS_PORT} only when {@code portSpeaksTls} says
     * the port answers a TLS handshake.
     */
    public static Kind kind(Throwable failure, boolean implicitTls, boolean portSpeaksTls) {
        String messages = messages(failure);
        if (has(failure, CertPathBuilderException.class) || has(failure, CertPathValidatorException.class)
                || messages.contains("pkix path") || messages.contains("unable to find valid certification path")
                || messages.contains("self signed") || messages.contains("self-signed")) {
            return Kind.UNTRUSTED_CERTIFICATE;
        }
        if (messages.contains("no subject alternative") || messages.contains("no name matching")
                || messages.contains("doesn't match") || messages.contains("does not match")
                || messages.contains("server identity")) {
            return Kind.CERTIFICATE_NAME;
        }
        if (has(failure, CertificateException.class)) {
            return Kind.UNTRUSTED_CERTIFICATE;
        }
        if (messages.contains("starttls") && (messages.contains("not support") || messages.contains("required"))) {
            return Kind.NO_STARTTLS;
        }
        if (implicitTls && (messages.contains("unrecognized ssl message") || messages.contains("plaintext connection")
                || (has(failure, SSLException.class) && !has(failure, SSLHandshakeException.class)
                && messages.contains("unsupported")))) {
            return Kind.TLS_TO_PLAIN_PORT;
        }
        if (has(failure, UnknownHostException.class)) {
            return Kind.UNKNOWN_HOST;
        }
        if (has(failure, ConnectException.class) || messages.contains("connection refused")) {
            return Kind.REFUSED;
        }
        if (!implicitTls && portSpeaksTls) {
            return Kind.PLAIN_TO_TLS_PORT;
        }
        if (has(failure, SocketTimeoutException.class) || messages.contains("timed out")) {
            return Kind.TIMEOUT;
        }
        return Kind.OTHER;
    }

    /** Whether a failure may be a plain greeting waited for on a TLS port: worth probing the port for TLS. */
    public static boolean mayBeTlsPort(Throwable failure) {
        String messages = messages(failure);
        return has(failure, SocketTimeoutException.class) || has(failure, EOFException.class)
                || messages.contains("timed out") || messages.contains("connection closed")
                || messages.contains("connection reset") || messages.contains("eof")
                || messages.contains("bye") || messages.contains("no greeting") || messages.contains("[eof]")
                || messages.contains("could not connect") || messages.contains("unexpected end");
    }

    /**
     * One sentence saying what is wrong and which setting of which file to change, or null when the failure is none
     * of the known kinds (the caller says it as it is).
     */
    public static String explain(Kind kind, Settings s) {
        String at = s.server() + " at " + s.host() + ":" + s.port();
        return switch (kind) {
            case UNTRUSTED_CERTIFICATE -> at + " sent a certificate that is not signed by a CA this Java trusts "
                    + "(self-signed, or a company CA): add the CA to the truststore Frontdoor uses "
                    + "(javax.net.ssl.trustStore in etc/system.properties, see docs/operations.md) or connect to a "
                    + "server with a publicly trusted certificate ('" + s.hostKey() + "' in " + s.source() + ")";
            case CERTIFICATE_NAME -> at + " sent a certificate that does not name " + s.host() + ": set '"
                    + s.hostKey() + "' in " + s.source() + " to a name the certificate holds";
            case TLS_TO_PLAIN_PORT -> at + " does not speak TLS at once on port " + s.port() + ": set '"
                    + s.tlsKey() + "' to " + s.plainValue() + " in " + s.source() + ", or '" + s.portKey()
                    + "' to the server's TLS port";
            case PLAIN_TO_TLS_PORT -> s.tlsValue() == null
                    ? at + " expects TLS at once on port " + s.port() + ", and this door speaks STARTTLS: set '"
                    + s.portKey() + "' in " + s.source() + " to the server's STARTTLS port"
                    : at + " expects TLS at once on port " + s.port() + ": set '" + s.tlsKey()
                    + "' to " + s.tlsValue() + " in " + s.source() + ", or '" + s.portKey()
                    + "' to the server's STARTTLS port";
            case NO_STARTTLS -> s.tlsValue() == null
                    ? at + " does not offer STARTTLS on port " + s.port() + ": enable TLS on the server, or set '"
                    + s.tlsKey() + "' to " + s.plainValue() + " in " + s.source() + " (only on a trusted network)"
                    : at + " does not offer STARTTLS on port " + s.port() + ": set '" + s.tlsKey()
                    + "' to " + s.tlsValue() + " and '" + s.portKey() + "' to the server's TLS port in " + s.source();
            case REFUSED -> at + " refused the connection (nothing listens there): check " + keys(s) + " in "
                    + s.source() + ", and that the server runs";
            case UNKNOWN_HOST -> "the host name " + s.host() + " of " + s.server() + " is not known: check '"
                    + s.hostKey() + "' in " + s.source();
            case TIMEOUT -> at + " did not answer in time: check " + keys(s) + " in " + s.source()
                    + ", and that no firewall drops the connection";
            case OTHER -> null;
        };
    }

    private static String keys(Settings s) {
        return s.hostKey().equals(s.portKey()) ? "'" + s.hostKey() + "'"
                : "'" + s.hostKey() + "' and '" + s.portKey() + "'";
    }

    /** Whether a TLS handshake succeeds on host:port, or fails only on the certificate: the port speaks TLS. */
    public static boolean speaksTls(String host, int port, int timeoutMillis) {
        try (java.net.Socket plain = new java.net.Socket()) {
            plain.connect(new java.net.InetSocketAddress(host, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            javax.net.ssl.SSLSocketFactory factory = (javax.net.ssl.SSLSocketFactory)
                    javax.net.ssl.SSLSocketFactory.getDefault();
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) factory.createSocket(plain, host, port,
                    false)) {
                tls.startHandshake();
                return true;
            }
        } catch (SSLHandshakeException e) {
            // the server answered the handshake: it speaks TLS, whatever it thinks of us or we of its certificate
            String m = messages(e);
            return m.contains("certif") || m.contains("pkix") || m.contains("handshake_failure")
                    || m.contains("protocol_version") || m.contains("no appropriate protocol");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** The root cause's class and message, for a failure none of the kinds fits. */
    public static String what(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String kind = root.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = next(t), depth++) {
            all.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }

    /** The cause, or a chained "next exception" (Jakarta Mail's MessagingException keeps it there too). */
    private static Throwable next(Throwable t) {
        if (t.getCause() != null && t.getCause() != t) {
            return t.getCause();
        }
        try {
            java.lang.reflect.Method m = t.getClass().getMethod("getNextException");
            Object n = m.invoke(t);
            return n instanceof Throwable nt && nt != t ? nt : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
