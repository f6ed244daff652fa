package org.frontdoor.channel.xmpp;

import java.time.Instant;
import java.util.Date;

import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.nick.packet.Nick;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StanzasTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static BareJid bare(String jid) throws Exception {
        return JidCreate.bareFrom(jid);
    }

    private static MessageBuilder chat(String id, String from, String body) throws Exception {
        return StanzaBuilder.buildMessage(id).from(JidCreate.from(from)).to(JidCreate.from("support@frontdoor.test"))
                .ofType(Message.Type.chat).setBody(body);
    }

    @Test
    void theAuthorIsTheLowerCasedBareJidWithTheRosterNameElseTheNick() throws Exception {
        Message message = chat("m1", "Ann.Smith@Example.ORG/Phone", "hi").addExtension(new Nick("Annie")).build();

        assertThat(Stanzas.author(message, null)).isEqualTo(new Identity("xmpp", "ann.smith@example.org", "Annie",
                null, null, 0));
        assertThat(Stanzas.author(message, "Ann Smith").displayName()).isEqualTo("Ann Smith");
        assertThat(Stanzas.author(chat("m2", "bob@example.org/x", "hi").build(), " ").displayName()).isNull();
    }

    @Test
    void theThreadRefIsTheBareJidAndTheClientsThreadWhenItSendsOne() throws Exception {
        assertThat(Stanzas.threadRef(bare("ann@example.org"), null)).isEqualTo("ann@example.org");
        assertThat(Stanzas.threadRef(bare("ann@example.org"), " ")).isEqualTo("ann@example.org");
        assertThat(Stanzas.threadRef(bare("ann@example.org"), "t-1#@x")).isEqualTo("ann@example.org#t-1#@x");
        assertThat(Stanzas.threadOf("ann@example.org#t-1#@x")).isEqualTo("t-1#@x");
        assertThat(Stanzas.threadOf("ann@example.org")).isNull();
        assertThat(Stanzas.threadOf(null)).isNull();
        // a '#' in the local part is not a thread
        assertThat(Stanzas.threadOf("a#b@example.org")).isNull();
        assertThat(Stanzas.threadOf("a#b@example.org#t")).isEqualTo("t");
        assertThat(Stanzas.threadRef(bare("ann@example.org"), "x".repeat(300))).as("too long for the store")
                .isEqualTo("ann@example.org");
    }

    @Test
    void theExternalIdIsTheOriginIdElseTheStanzaIdScopedBySender() throws Exception {
        BareJid account = bare("support@frontdoor.test");
        BareJid ann = bare("ann@example.org");
        Message plain = chat("abc", "ann@example.org/phone", "hi").build();
        Message withOrigin = chat("abc", "ann@example.org/phone", "hi").addExtension(StandardExtensionElement
                .builder("origin-id", "urn:xmpp:sid:0").addAttribute("id", "origin-7").build()).build();
        Message serverStamped = chat(null, "ann@example.org/phone", "hi").addExtension(StandardExtensionElement
                .builder("stanza-id", "urn:xmpp:sid:0").addAttribute("id", "srv-9").addAttribute("by",
                        "support@frontdoor.test").build()).build();
        Message foreignStamp = chat(null, "ann@example.org/phone", "hi").addExtension(StandardExtensionElement
                .builder("stanza-id", "urn:xmpp:sid:0").addAttribute("id", "srv-9").addAttribute("by",
                        "someone@else.org").build()).build();

        assertThat(Stanzas.externalId(plain, ann, account)).isEqualTo("ann@example.org/abc");
        assertThat(Stanzas.externalId(withOrigin, ann, account)).isEqualTo("ann@example.org/origin-7");
        assertThat(Stanzas.externalId(serverStamped, ann, account)).isEqualTo("ann@example.org/srv-9");
        assertThat(Stanzas.externalId(foreignStamp, ann, account)).startsWith("sha256:");
    }

    @Test
    void withoutAnyIdTheExternalIdIsAHashOfSenderRecipientThreadAndBody() throws Exception {
        BareJid ann = bare("ann@example.org");
        Message plain = chat(null, "ann@example.org/phone", "hi").build();
        Message otherResource = chat(null, "ann@example.org/laptop", "hi").build();
        Message otherBody = chat(null, "ann@example.org/phone", "hi!").build();
        Message otherThread = chat(null, "ann@example.org/phone", "hi").setThread("t-2").build();

        String id = Stanzas.externalId(plain, ann, null);
        assertThat(id).startsWith("sha256:").hasSize(7 + 64);
        assertThat(Stanzas.externalId(otherResource, ann, null)).isEqualTo(id);
        assertThat(Stanzas.externalId(otherBody, ann, null)).isNotEqualTo(id);
        assertThat(Stanzas.externalId(otherThread, ann, null)).isNotEqualTo(id);
    }

    /**
     * Seen on main: a message without any id was keyed by a hash of its arrival time, so the same message handed over
     * again (not acknowledged before a crash, then kept offline and delivered with a delay stamp, a minute later) was
     * stored twice.
     */
    @Test
    void aMessageWithoutAnyIdHandedOverAgainLaterAndStampedIsTheSameMessage() throws Exception {
        BareJid account = bare("support@frontdoor.test");
        Message live = chat(null, "ann@example.org/phone", "Is my order shipped?").setThread("o-1").build();
        Message redelivered = chat(null, "ann@example.org/phone", "Is my order shipped?").setThread("o-1")
                .addExtension(new DelayInformation(Date.from(NOW.plusSeconds(30)))).build();
        Message redeliveredAgain = chat(null, "ann@example.org/phone", "Is my order shipped?").setThread("o-1")
                .addExtension(new DelayInformation(Date.from(NOW.plusSeconds(90)))).build();

        String first = Stanzas.inbound(live, "it", account, null, NOW).externalId();

        assertThat(Stanzas.inbound(redelivered, "it", account, null, NOW.plusSeconds(60)).externalId())
                .isEqualTo(first);
        assertThat(Stanzas.inbound(redeliveredAgain, "it", account, null, NOW.plusSeconds(3600)).externalId())
                .isEqualTo(first);
        assertThat(Stanzas.receivedAt(redelivered, NOW)).as("the delay stamp still says when it was sent")
                .isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void onlyChatAndNormalMessagesWithABodyFromAUserAreTakenIn() throws Exception {
        assertThat(Stanzas.isCustomerMessage(chat("1", "ann@example.org/p", "hi").build())).isTrue();
        assertThat(Stanzas.isCustomerMessage(chat("1", "ann@example.org/p", "hi").ofType(Message.Type.normal)
                .build())).isTrue();
        for (Message.Type type : new Message.Type[] {Message.Type.error, Message.Type.groupchat,
                Message.Type.headline}) {
            assertThat(Stanzas.isCustomerMessage(chat("1", "ann@example.org/p", "hi").ofType(type).build()))
                    .as(type.toString()).isFalse();
        }
        assertThat(Stanzas.isCustomerMessage(StanzaBuilder.buildMessage("2").from(JidCreate.from("ann@example.org/p"))
                .ofType(Message.Type.chat).build())).as("no body (a chat state)").isFalse();
        assertThat(Stanzas.isCustomerMessage(chat("3", "ann@example.org/p", "  ").build())).isFalse();
        assertThat(Stanzas.isCustomerMessage(chat("4", "example.org", "server news").build()))
                .as("a server, not a user").isFalse();
    }

    @Test
    void anInboundMessageKeepsTheTextAsDataAndTheStanzaForAudit() throws Exception {
        String text = "<b>not markup</b> & \"quotes\"";
        Message stanza = chat("m-5", "Ann@Example.org/phone", text).setThread("t-5").build();

        org.frontdoor.api.Message message = Stanzas.inbound(stanza, "support", bare("support@frontdoor.test"), null,
                NOW);

        assertThat(message.channel()).isEqualTo("xmpp");
        assertThat(message.instance()).isEqualTo("support");
        assertThat(message.text()).isEqualTo(text);
        assertThat(message.threadRef()).isEqualTo("ann@example.org#t-5");
        assertThat(message.externalId()).isEqualTo("ann@example.org/m-5");
        assertThat(message.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(message.receivedAt()).isEqualTo(NOW);
        assertThat(message.rawPayload()).contains("<thread>t-5</thread>").contains("&lt;b>not markup");
    }

    private static OutboundReply reply(long id, String handle, String threadRef) {
        return new OutboundReply(id, 7, "xmpp", "support", Identity.of("xmpp", handle), threadRef, null,
                Visibility.PRIVATE, "On its way", "agent", NOW, 1);
    }

    @Test
    void aReplyGoesToTheBareJidAsChatWithItsIdAndThread() throws Exception {
        Message threaded = Stanzas.reply(reply(42, "ann@example.org", "ann@example.org#t-5"));
        Message plain = Stanzas.reply(reply(43, "ann@example.org", "ann@example.org"));

        assertThat(threaded.getTo().toString()).isEqualTo("ann@example.org");
        assertThat(threaded.getType()).isEqualTo(Message.Type.chat);
        assertThat(threaded.getStanzaId()).isEqualTo("frontdoor-reply-42");
        assertThat(threaded.getThread()).isEqualTo("t-5");
        assertThat(threaded.getBody()).isEqualTo("On its way");
        assertThat(plain.getThread()).isNull();
        assertThat(plain.getStanzaId()).isEqualTo("frontdoor-reply-43");
    }

    @Test
    void aReplyToSomethingThatIsNoUserAddressIsRefusedForGood() {
        assertThatThrownBy(() -> Stanzas.reply(reply(1, "example.org", null)))
                .isInstanceOf(ReplyRefusedException.class).hasMessageContaining("not an XMPP user address");
        assertThatThrownBy(() -> Stanzas.reply(reply(1, "a b@@", null)))
                .isInstanceOf(ReplyRefusedException.class).hasMessageContaining("not an XMPP");
    }
}
