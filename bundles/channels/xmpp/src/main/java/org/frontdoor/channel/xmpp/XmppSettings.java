package org.frontdoor.channel.xmpp;

import java.time.Duration;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * One instance's configuration, checked: either usable, or with the {@link #problem()} an admin has to fix. The
 * password is never part of {@link #toString()}.
 *
 * @param instance       the door's instance name
 * @param source         where the configuration came from (its cfg file), for reasons
 * @param jid            the account, null when the configuration does not name a usable one
 * @param password       the account's password, never logged
 * @param host           the server's host name or address, empty for the domain's SRV records
 * @param port           the c2s port
 * @param securityMode   TLS mode
 * @param resource       the resource bound
 * @param presenceStatus status text of the door's presence
 * @param reconnectMin   first wait after a failure
 * @param reconnectMax   longest wait between attempts
 * @param timeout        connect, login and send timeout
 * @param inboundQueue   incoming messages kept while core cannot take them in
 * @param problem        why the instance cannot work, null when it can
 */
record XmppSettings(String instance, String source, EntityBareJid jid, String password, String host, int port,
                    SecurityMode securityMode, Resourcepart resource, String presenceStatus, Duration reconnectMin,
                    Duration reconnectMax, Duration timeout, int inboundQueue, String problem) {

    static XmppSettings of(String instance, String source, XmppChannelConfig config) {
        String problem = null;
        EntityBareJid jid = null;
        String written = config.jid() == null || config.jid().isBlank()
                ? blankToEmpty(config.username()).isEmpty() && blankToEmpty(config.domain()).isEmpty() ? ""
                : blankToEmpty(config.username()) + "@" + blankToEmpty(config.domain())
                : config.jid().trim();
        if (written.isEmpty()) {
            problem = "no account: set 'jid' (such as support@chat.example.com) in " + source;
        } else {
            try {
                jid = JidCreate.entityBareFrom(written);
            } catch (XmppStringprepException | IllegalArgumentException e) {
                problem = "'" + written + "' is not an XMPP account (user@domain): set 'jid', or 'username' and "
                        + "'domain', in " + source;
            }
        }
        SecurityMode mode = switch (blankToEmpty(config.securityMode()).toLowerCase(java.util.Locale.ROOT)) {
            case "", "required" -> SecurityMode.required;
            case "ifpossible" -> SecurityMode.ifpossible;
            case "disabled" -> SecurityMode.disabled;
            default -> null;
        };
        if (mode == null && problem == null) {
            problem = "securityMode must be required, ifpossible or disabled: fix it in " + source;
        }
        Resourcepart resource = null;
        try {
            resource = Resourcepart.from(blankToEmpty(config.resource()).isEmpty() ? "frontdoor"
                    : config.resource().trim());
        } catch (XmppStringprepException e) {
            if (problem == null) {
                problem = "'resource' is not a valid XMPP resource: fix it in " + source;
            }
        }
        String password = config.password() == null ? "" : config.password();
        if (problem == null && password.isEmpty()) {
            problem = "no password: set 'password' in " + source;
        }
        if (problem == null && (config.port() < 1 || config.port() > 65535)) {
            problem = "port must be between 1 and 65535: fix it in " + source;
        }
        Duration min = Duration.ofSeconds(Math.max(1, config.reconnectMinSeconds()));
        Duration max = Duration.ofSeconds(Math.max(config.reconnectMaxSeconds(), config.reconnectMinSeconds()));
        return new XmppSettings(instance, source, jid, password, blankToEmpty(config.host()), config.port(), mode,
                resource, config.presenceStatus() == null ? "" : config.presenceStatus(), min, max,
                Duration.ofSeconds(Math.max(1, config.timeoutSeconds())), Math.max(1, config.inboundQueueSize()),
                problem);
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.trim();
    }

    /** The server as an admin knows it: host:port, or the domain (SRV) when no host is set. */
    String server() {
        String name = !host.isEmpty() ? host : jid != null ? jid.getDomain().toString() : "?";
        return name + ":" + port;
    }

    @Override
    public String toString() {
        return "XmppSettings[" + instance + " " + jid + " at " + server() + ", securityMode " + securityMode
                + (problem == null ? "" : ", " + problem) + "]";
    }
}
