package org.frontdoor.distribution;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.impl.JidCreate;

/** A customer's XMPP client (Smack) on the test's prosody: sends chats and keeps the messages it receives. */
final class XmppCustomer implements AutoCloseable {

    private final XMPPTCPConnection connection;
    final List<Message> received = new CopyOnWriteArrayList<>();

    XmppCustomer(Prosody prosody, String user, String password) throws Exception {
        connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setUsernameAndPassword(user, password).setXmppDomain(Prosody.DOMAIN).setHost("127.0.0.1")
                .setPort(prosody.port()).setSecurityMode(SecurityMode.disabled).setResource("phone").build());
        connection.addAsyncStanzaListener(stanza -> received.add((Message) stanza), stanza -> stanza instanceof Message);
        connection.connect().login();
    }

    MessageBuilder chat(String to, String text) throws Exception {
        return connection.getStanzaFactory().buildMessageStanza().to(JidCreate.entityBareFrom(to))
                .ofType(Message.Type.chat).setBody(text);
    }

    XmppCustomer send(MessageBuilder message) throws Exception {
        connection.sendStanza(message.build());
        return this;
    }

    /** The message with this stanza id that the customer received, or null. */
    Message receivedWithId(String id) {
        return received.stream().filter(m -> id.equals(m.getStanzaId())).findFirst().orElse(null);
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
