package org.frontdoor.channel.xmpp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaFactory;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.nick.packet.Nick;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * How XMPP stanzas map to Frontdoor's messages and back: which messages are taken in, their thread reference,
 * external id and author, and the stanza of a reply.
 *
 * <p>Thread reference: the customer's bare JID ({@code ann@example.org}), or, when the customer's client sends a
 * {@code <thread/>}, the bare JID, {@code '#'} and the thread id ({@code ann@example.org#5f1c}). A bare JID's
 * domain cannot hold a '#', so the first '#' after the '@' always starts the thread id.
 */
final class Stanzas {

    static final String CHANNEL = "xmpp";
    static final String REPLY_ID_PREFIX = "frontdoor-reply-";
    /** The store's limit of an external id and a thread reference. */
    static final int MAX_REF = 255;
    private static final String SID_NAMESPACE = "urn:xmpp:sid:0";

    private Stanzas() {
    }

    /** Chat and normal messages with a body; error, groupchat and headline messages, and chat states, are not. */
    static boolean isCustomerMessage(Message message) {
        Message.Type type = message.getType();
        return (type == Message.Type.chat || type == Message.Type.normal) && message.getBody() != null
                && !message.getBody().isBlank() && message.getFrom() != null
                && message.getFrom().asEntityBareJidIfPossible() != null;
    }

    /** The thread reference of a message from {@code from} in the client's thread {@code thread} (may be null). */
    static String threadRef(BareJid from, String thread) {
        String bare = from.toString();
        if (thread == null || thread.isBlank() || bare.length() + 1 + thread.length() > MAX_REF) {
            return bare;
        }
        return bare + "#" + thread;
    }

    /** The XMPP thread id in a thread reference, or null when it names none. */
    static String threadOf(String threadRef) {
        if (threadRef == null) {
            return null;
        }
        int at = threadRef.indexOf('@');
        int hash = threadRef.indexOf('#', Math.max(at, 0));
        return hash < 0 || hash == threadRef.length() - 1 ? null : threadRef.substring(hash + 1);
    }

    /**
     * The dedupe key of a message: the sender's bare JID, '/' and the message's own id, from its origin-id
     * (XEP-0359), else its stanza id, else a stanza-id our server stamped (XEP-0359, {@code by} our account); without
     * any of them, "sha256:" and a hash of the sender, recipient, thread and body: never of when it arrived or of a
     * delay stamp, since a message the server hands over again (unacknowledged before a crash, then kept offline)
     * comes later and stamped, and must be a repeat.
     */
    static String externalId(Message message, BareJid from, BareJid account) {
        String id = sidAttribute(message, "origin-id", null);
        if (id == null) {
            id = blankToNull(message.getStanzaId());
        }
        if (id == null && account != null) {
            id = sidAttribute(message, "stanza-id", account);
        }
        if (id != null) {
            String scoped = from + "/" + id;
            return scoped.length() <= MAX_REF ? scoped : "sha256:" + sha256(scoped);
        }
        Object to = message.getTo() != null ? message.getTo().asBareJid() : account;
        return "sha256:" + sha256(from + "\n" + to + "\n" + message.getThread() + "\n" + message.getBody());
    }

    private static String sidAttribute(Message message, String element, BareJid by) {
        for (ExtensionElement extension : message.getExtensions()) {
            if (extension instanceof StandardExtensionElement standard && element.equals(standard.getElementName())
                    && SID_NAMESPACE.equals(standard.getNamespace())) {
                String byAttribute = standard.getAttributeValue("by");
                if (by == null || by.toString().equals(byAttribute)) {
                    String id = blankToNull(standard.getAttributeValue("id"));
                    if (id != null) {
                        return id;
                    }
                }
            }
        }
        return null;
    }

    /** When the message was sent: its delay stamp (offline storage), else {@code now}. */
    static Instant receivedAt(Message message, Instant now) {
        DelayInformation delay = DelayInformation.from(message);
        return delay != null ? delay.getStamp().toInstant() : now;
    }

    /** The author: handle = the sender's bare JID as XMPP normalizes it; the name from our roster, else its nick. */
    static Identity author(Message message, String rosterName) {
        BareJid from = message.getFrom().asBareJid();
        String name = blankToNull(rosterName);
        if (name == null) {
            Nick nick = message.getExtension(Nick.class);
            name = nick == null ? null : blankToNull(nick.getName());
        }
        return new Identity(CHANNEL, from.toString(), name, null, null, 0);
    }

    /** The Frontdoor message of a customer's XMPP message ({@link #isCustomerMessage} must hold). */
    static org.frontdoor.api.Message inbound(Message message, String instance, BareJid account, String rosterName,
                                             Instant now) {
        BareJid from = message.getFrom().asBareJid();
        Instant receivedAt = receivedAt(message, now);
        return org.frontdoor.api.Message.inbound(CHANNEL, instance)
                .externalId(externalId(message, from, account))
                .visibility(Visibility.PRIVATE)
                .author(author(message, rosterName))
                .threadRef(threadRef(from, message.getThread()))
                .text(message.getBody())
                .receivedAt(receivedAt)
                .rawPayload(message.toXML().toString())
                .build();
    }

    /** The stanza id of a reply: the same on every attempt, so a receiving client can tell a repeat. */
    static String replyStanzaId(long replyId) {
        return REPLY_ID_PREFIX + replyId;
    }

    /** The chat message of a reply: to the customer's bare JID, in the conversation's thread when it has one. */
    static Message reply(OutboundReply reply) throws ReplyRefusedException {
        EntityBareJid to = recipient(reply.recipient().handle());
        String thread = reply.threadRef() != null && reply.threadRef().startsWith(to + "#")
                ? threadOf(reply.threadRef()) : null;
        String id = replyStanzaId(reply.replyId());
        var builder = new StanzaFactory(() -> id).buildMessageStanza()
                .ofType(Message.Type.chat)
                .to(to)
                .setBody(reply.text());
        if (thread != null) {
            builder.setThread(thread);
        }
        return builder.build();
    }

    static EntityBareJid recipient(String handle) throws ReplyRefusedException {
        try {
            Jid jid = JidCreate.from(handle);
            EntityBareJid bare = jid.asEntityBareJidIfPossible();
            if (bare == null) {
                throw new ReplyRefusedException("the recipient '" + handle + "' is not an XMPP user address");
            }
            return bare;
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new ReplyRefusedException("the recipient '" + handle + "' is not an XMPP address");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
