package org.frontdoor.channel.xmpp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A customer's XMPP client (Smack) on the test's prosody: sends chats and keeps what it receives. Shared with the
 * distribution's scenarios through this module's test-jar.
 */
public final class Customer implements AutoCloseable {

    private final XMPPTCPConnection connection;
    public final List<Message> received = new CopyOnWriteArrayList<>();

    public Customer(int port, String user, String password) throws Exception {
        connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setUsernameAndPassword(user, password).setXmppDomain(Prosody.DOMAIN).setHost("127.0.0.1")
                .setPort(port).setSecurityMode(SecurityMode.disabled).setResource("phone").build());
        connection.addAsyncStanzaListener(stanza -> received.add((Message) stanza),
                stanza -> stanza instanceof Message);
        connection.connect().login();
    }

    public MessageBuilder chat(String to, String text) throws Exception {
        return connection.getStanzaFactory().buildMessageStanza().to(JidCreate.entityBareFrom(to))
                .ofType(Message.Type.chat).setBody(text);
    }

    public Customer send(MessageBuilder message) throws Exception {
        connection.sendStanza(message.build());
        return this;
    }

    public Customer say(String to, String text) throws Exception {
        return send(chat(to, text));
    }

    /** Adds the JID to the roster and asks for its presence. */
    void subscribeTo(String jid) throws Exception {
        org.jivesoftware.smack.roster.Roster.getInstanceFor(connection)
                .createItemAndRequestSubscription(JidCreate.bareFrom(jid), "Support", null);
    }

    Presence presenceOf(String jid) throws Exception {
        return org.jivesoftware.smack.roster.Roster.getInstanceFor(connection)
                .getPresence(JidCreate.bareFrom(jid));
    }

    /** The message with this stanza id that the customer received, or null. */
    public Message receivedWithId(String id) {
        return received.stream().filter(m -> id.equals(m.getStanzaId())).findFirst().orElse(null);
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
