package org.frontdoor.channel.xmpp;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLException;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelHealth.Status;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.sasl.SASLErrorException;

/**
 * The health an XMPP door reports in each state of its connection, with reasons an admin acts on: they name the
 * server (host:port), the account, the setting and the cfg file, never the password.
 */
final class DoorHealth {

    private DoorHealth() {
    }

    static ChannelHealth misconfigured(String problem, Instant now) {
        return new ChannelHealth(Status.DOWN, problem, now);
    }

    static ChannelHealth connecting(XmppSettings settings, Instant now) {
        return new ChannelHealth(Status.DOWN, "connecting to the XMPP server " + settings.server() + " as "
                + settings.jid() + "; replies wait until it is connected", now);
    }

    static ChannelHealth connected(Instant now) {
        return new ChannelHealth(Status.UP, null, now);
    }

    /** A connection attempt failed for a passing reason: replies wait (DOWN), the door tries again. */
    static ChannelHealth cannotConnect(XmppSettings settings, String what, Duration retryIn, Instant now) {
        return new ChannelHealth(Status.DOWN, "cannot connect to the XMPP server " + settings.server() + ": " + what
                + "; trying again in " + retryIn.toSeconds() + " s (replies wait)", now);
    }

    /** An established connection was lost: replies wait (DOWN), the door connects again by itself. */
    static ChannelHealth lost(XmppSettings settings, String what, Duration retryIn, Instant now) {
        return new ChannelHealth(Status.DOWN, "lost the connection to the XMPP server " + settings.server() + ": "
                + what + "; connecting again in " + retryIn.toSeconds() + " s (replies wait)", now);
    }

    /** The reason leads with what to do: the console shows its first 200 characters. */
    static ChannelHealth authRefused(XmppSettings settings, String condition, Instant now) {
        return new ChannelHealth(Status.AUTH_EXPIRED, "the XMPP server refused the password of " + settings.jid()
                + ": set 'password' in " + settings.source() + " (or fix the account on the server; "
                + settings.server() + " answered " + (condition == null ? "no reason" : condition)
                + "); trying again every " + settings.reconnectMax().toSeconds() + " s", now);
    }

    /** Offline on purpose: too many incoming messages wait for core; the server keeps new ones meanwhile. */
    static ChannelHealth paused(int waiting, String failure, Instant now) {
        return new ChannelHealth(Status.DOWN, waiting + " incoming messages wait for Frontdoor to take them in ("
                + failure + "): the door went offline so that the XMPP server keeps new messages (offline "
                + "storage) until they are in", now);
    }

    /** Connected, but incoming messages wait for core: DEGRADED. */
    static ChannelHealth backlog(int waiting, String failure, Instant since) {
        return new ChannelHealth(Status.DEGRADED, waiting + " incoming messages wait to be taken in (" + failure
                + "); retried with backoff", since);
    }

    /**
     * A failure to connect as one sentence naming the setting to change (a TLS mode that does not match the port, an
     * untrusted certificate, ...), or {@link #describe(Throwable)} when none of the known kinds fits.
     */
    static String explain(XmppSettings settings, Throwable error) {
        if (error instanceof SmackException.SecurityRequiredByClientException) {
            return org.frontdoor.api.ConnectionTrouble.explain(org.frontdoor.api.ConnectionTrouble.Kind.NO_STARTTLS,
                    trouble(settings));
        }
        if (error instanceof SASLErrorException || error instanceof XMPPException.StreamErrorException
                || error instanceof SmackException.SecurityRequiredByServerException) {
            return describe(error);
        }
        String host = settings.host().isEmpty() && settings.jid() != null ? settings.jid().getDomain().toString()
                : settings.host();
        boolean tlsPort = org.frontdoor.api.ConnectionTrouble.mayBeTlsPort(error)
                && org.frontdoor.api.ConnectionTrouble.speaksTls(host, settings.port(),
                (int) Math.min(5_000, settings.timeout().toMillis()));
        String sentence = org.frontdoor.api.ConnectionTrouble.explain(
                org.frontdoor.api.ConnectionTrouble.kind(error, false, tlsPort), trouble(settings));
        return sentence != null ? sentence : describe(error);
    }

    private static org.frontdoor.api.ConnectionTrouble.Settings trouble(XmppSettings settings) {
        String host = settings.host().isEmpty() && settings.jid() != null ? settings.jid().getDomain().toString()
                : settings.host();
        return new org.frontdoor.api.ConnectionTrouble.Settings("the XMPP server", host, settings.port(), "host",
                "port", "securityMode", null, "disabled", settings.source());
    }

    /** What went wrong with a connection, in words, without class names where a cause is known. */
    static String describe(Throwable error) {
        if (error instanceof SASLErrorException sasl) {
            return "the password was refused (" + sasl.getSASLFailure().getSASLErrorString() + ")";
        }
        if (error instanceof XMPPException.StreamErrorException stream) {
            return "the server ended the stream (" + stream.getStreamError().getCondition() + ")";
        }
        if (error instanceof SmackException.SecurityRequiredByClientException) {
            return "the server offers no TLS (STARTTLS) but securityMode is required";
        }
        if (error instanceof SmackException.SecurityRequiredByServerException) {
            return "the server requires TLS but securityMode is disabled";
        }
        if (error instanceof SmackException.NoResponseException) {
            return "the server did not answer in time";
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer in time";
            }
            if (t instanceof SSLException) {
                return "TLS failed (" + t.getMessage() + ")";
            }
        }
        String message = error.getMessage();
        if (message != null && message.contains("Connection refused")) {
            return "connection refused";
        }
        if (message != null && message.contains("UnknownHostException")) {
            return "unknown host";
        }
        if (error instanceof SmackException.NotConnectedException || message == null || message.isBlank()) {
            return "the connection closed";
        }
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
