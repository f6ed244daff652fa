package org.frontdoor.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Message;
import org.frontdoor.testkit.MemoryBlobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real-world mail samples (src/test/resources/mail) as agents and the store get them. */
class MailReaderTest {

    private final MemoryBlobs blobs = new MemoryBlobs();
    private final MailReader reader = new MailReader("support", blobs, 1_048_576, 4096,
            List.of("image/*", "application/pdf", "text/plain"));

    static byte[] sample(String name) {
        try (InputStream in = MailReaderTest.class.getResourceAsStream("/mail/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Message read(String name) throws IOException {
        return reader.read(sample(name), Instant.parse("2026-11-02T09:00:00Z"));
    }

    private static String annotation(Message message, String name) {
        return message.annotations().stream().filter(a -> a.name().equals(name)).map(Annotation::value).findFirst()
                .orElse(null);
    }

    @Test
    void quotedPrintableLatin1WithEncodedWordsIsDecoded() throws IOException {
        Message m = read("latin1-qp.eml");

        assertThat(m.channel()).isEqualTo("email");
        assertThat(m.instance()).isEqualTo("support");
        assertThat(m.externalId()).isEqualTo("<latin1-qp.1@example.es>");
        assertThat(m.threadRef()).isEqualTo("<latin1-qp.1@example.es> jose@example.es");
        assertThat(m.author().handle()).isEqualTo("jose@example.es");
        assertThat(m.author().email()).isEqualTo("jose@example.es");
        assertThat(m.author().displayName()).isEqualTo("José María Núñez");
        assertThat(annotation(m, "subject")).isEqualTo("Pedido nº 1234 - ¿dónde está?");
        assertThat(m.text()).isEqualTo("Hola, mi pedido no ha llegado. ¿Pueden ayudarme? Grácias, José. "
                + "Esta línea es larga y está partida.");
        assertThat(annotation(m, "auto-submitted")).isNull();
        assertThat(m.receivedAt()).isEqualTo(Instant.parse("2026-11-02T09:00:00Z"));
    }

    @Test
    void base64Utf8WithEmojiIsDecoded() throws IOException {
        Message m = read("utf8-base64.eml");

        assertThat(m.author().displayName()).isEqualTo("Jürgen Müller");
        assertThat(annotation(m, "subject")).isEqualTo("Wo bleibt meine Bestellung? 📦");
        assertThat(m.text()).isEqualTo("Grüße aus München! The parcel 📦 never came.\nNaïve café ok?");
    }

    @Test
    void iso2022jpHeadersAndBodyAreDecoded() throws IOException {
        Message m = read("iso-2022-jp.eml");

        assertThat(m.author().displayName()).isEqualTo("山田太郎");
        assertThat(annotation(m, "subject")).isEqualTo("注文について");
        assertThat(m.text()).isEqualTo("お世話になっております。注文が届きません。");
    }

    @Test
    void windows1252IsDecoded() throws IOException {
        assertThat(read("windows-1252.eml").text()).isEqualTo("“I paid €40” – that’s what I was charged.");
    }

    @Test
    void anUnknownCharsetFallsBackInsteadOfLosingTheMail() throws IOException {
        Message m = read("unknown-charset.eml");

        assertThat(m.text()).isEqualTo("Ça va? Crème brûlée.");
        assertThat(annotation(m, "subject")).isNotBlank();
    }

    @Test
    void eightBitWithoutCharsetThatIsNotUtf8IsReadAsWindows1252() throws IOException {
        assertThat(read("no-charset-8bit.eml").text()).isEqualTo("Déjà vu");
    }

    @Test
    void plainTextIsPreferredInMultipartAlternative() throws IOException {
        Message m = read("alternative.eml");

        assertThat(m.text()).isEqualTo("My order 1234 never arrived.\nPlease help.");
        assertThat(m.attachments()).isEmpty();
    }

    @Test
    void htmlIsReducedToSafeTextWithLineBreaks() throws IOException {
        Message m = read("html-only.eml");

        assertThat(m.text()).isEqualTo("First line\nSecond line\n\nNew paragraph with a link & <b>not bold</b>\n\n"
                + "- one\n- two");
        assertThat(m.text()).doesNotContain("alert", "evil", "color", "tracker", "pixel", "logo.png", "Logo");
        assertThat(m.attachments()).isEmpty();
    }

    @Test
    void gmailQuotedHistoryIsFoldedAndTheThreadIsTheRoot() throws IOException {
        Message m = read("gmail-reply.eml");

        assertThat(m.text()).isEqualTo("Thanks, it arrived today.");
        assertThat(m.threadRef()).isEqualTo("<alternative.1@example.org> ann@example.org");
        assertThat(m.externalId()).isEqualTo("<CAGmail.2@mail.gmail.com>");
        assertThat(m.rawPayload()).contains("We are on it.");
    }

    @Test
    void gmailHtmlQuoteIsFoldedAndInReplyToIsTheThreadWithoutReferences() throws IOException {
        Message m = read("gmail-html-reply.eml");

        assertThat(m.text()).isEqualTo("Still waiting for the refund.");
        assertThat(m.threadRef()).isEqualTo("<frontdoor.reply-7.support@example.com> ann@example.org");
    }

    @Test
    void outlookHistoryIsFolded() throws IOException {
        Message html = read("outlook-reply.eml");
        Message plain = read("outlook-plain-reply.eml");

        assertThat(html.text()).isEqualTo("The invoice is still wrong.\nRegards, Bob");
        assertThat(html.author().handle()).isEqualTo("bob.smith@contoso.example");
        assertThat(html.author().displayName()).isEqualTo("Smith, Bob");
        assertThat(html.threadRef()).isEqualTo("<invoice-99.0@contoso.example> bob.smith@contoso.example");
        assertThat(plain.text()).isEqualTo("Please cancel it.");
    }

    @Test
    void appleMailQuoteIsFolded() throws IOException {
        assertThat(read("apple-reply.eml").text()).isEqualTo("Got it, thank you!");
    }

    @Test
    void attachmentsAreStoredOrListedWithoutContentSayingWhy() throws IOException {
        Message m = read("attachments.eml");

        assertThat(m.text()).isEqualTo("See attached.");
        assertThat(m.attachments()).hasSize(3);
        Attachment pdf = m.attachments().get(0);
        assertThat(pdf.name()).isEqualTo("invoice.pdf");
        assertThat(pdf.mediaType()).isEqualTo("application/pdf");
        assertThat(pdf.blobRef()).isNotNull();
        assertThat(blobs.content.get(pdf.blobRef())).startsWith("%PDF".getBytes(StandardCharsets.US_ASCII));
        assertThat(pdf.size()).isEqualTo(blobs.content.get(pdf.blobRef()).length);

        Attachment exe = m.attachments().get(1);
        assertThat(exe).isEqualTo(new Attachment("setup.exe", "application/x-msdownload", 202, null));

        Attachment png = m.attachments().get(2);
        assertThat(png).isEqualTo(new Attachment("Foto groß.png", "image/png", 5008, null));
        assertThat(m.annotations()).filteredOn(a -> a.name().equals("attachment-refused"))
                .extracting(Annotation::value)
                .containsExactly("'setup.exe' (application/x-msdownload, 202 bytes): this type is not in "
                                + "allowedAttachmentTypes",
                        "'Foto groß.png' (image/png, 5008 bytes): larger than maxAttachmentBytes (4096)");
        assertThat(blobs.content).hasSize(1);
    }

    @Test
    void anAttachmentThatCannotBeStoredNowFailsTheMailForLater() {
        blobs.failure = new IOException("the database is away");

        assertThatThrownBy(() -> read("attachments.eml")).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "auto-submitted.eml|Auto-Submitted: auto-replied",
            "precedence-bulk.eml|Precedence: bulk",
            "list.eml|mailing list mail (List-Id or List-Unsubscribe)",
            "x-autoreply.eml|auto-reply (X-Autoreply or X-Autorespond)",
            "return-path-empty.eml|no return path (Return-Path: <>): a bounce or other automatic notice",
            "postmaster.eml|sent by the mail system (postmaster@example.org)",
            "bounce.eml|no return path (Return-Path: <>): a bounce or other automatic notice"})
    void machineMailIsFlagged(String sample, String why) throws IOException {
        Message m = read(sample);

        assertThat(annotation(m, "auto-submitted")).isEqualTo(why);
        assertThat(m.text()).isNotBlank();
    }

    @Test
    void aBounceIsReadAsTheMailSystemsReport() throws IOException {
        Message m = read("bounce.eml");

        assertThat(m.author().handle()).isEqualTo("mailer-daemon@mx.example.com");
        assertThat(m.text()).contains("550 5.1.1 User unknown");
    }

    @Test
    void mailAPersonWroteIsNotFlagged() throws IOException {
        assertThat(annotation(read("human.eml"), "auto-submitted")).isNull();
    }

    @Test
    void mailWithoutMessageIdGetsAStableIdFromItsSource() throws IOException {
        Message first = read("no-message-id.eml");
        Message again = read("no-message-id.eml");

        assertThat(first.externalId()).matches("<[0-9a-f]{64}\\.sha256@frontdoor\\.invalid>");
        assertThat(again.externalId()).isEqualTo(first.externalId());
        assertThat(first.threadRef()).isEqualTo(first.externalId() + " eve@example.org");
    }

    @Test
    void mailWithoutSenderIsRefusedForGood() {
        assertThatThrownBy(() -> read("no-sender.eml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no sender");
    }

    @Test
    void theRawSourceIsKeptAndCutBeyondTheLimitSayingSo() throws IOException {
        MailReader small = new MailReader("support", blobs, 1024, 4096, List.of());
        byte[] raw = sample("attachments.eml");

        Message m = small.read(raw, Instant.now());

        assertThat(read("latin1-qp.eml").rawPayload()).isEqualTo(new String(sample("latin1-qp.eml"),
                StandardCharsets.US_ASCII));
        assertThat(m.rawPayload()).startsWith("From: Dan <dan@example.org>")
                .endsWith("[Frontdoor: the raw source is cut here: 1024 of " + raw.length
                        + " bytes kept (maxRawBytes)]");
    }

    /** A mail written from its headers (CRLF lines), as a server would hand it over. */
    private Message mail(MailReader with, String... headers) throws IOException {
        String raw = String.join("\r\n", headers) + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8"
                + "\r\n\r\nHello\r\n";
        return with.read(raw.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-02T09:00:00Z"));
    }

    @Test
    void aMailNamingSomeoneElsesThreadFromAnotherAddressHasAThreadOfItsOwn() throws IOException {
        // fails on main: the thread was the root alone, so the stranger's mail joined the victim's conversation
        Message victim = mail(reader, "From: Ann <ann@example.org>", "Message-ID: <first@example.org>");
        Message victimAgain = mail(reader, "From: Ann <ANN@example.org>", "Message-ID: <again@example.org>",
                "In-Reply-To: <frontdoor.reply-7.support@example.com>",
                "References: <first@example.org> <frontdoor.reply-7.support@example.com>");
        Message stranger = mail(reader, "From: Mallory <mallory@example.net>", "Message-ID: <x@example.net>",
                "In-Reply-To: <frontdoor.reply-7.support@example.com>",
                "References: <first@example.org> <frontdoor.reply-7.support@example.com>");

        assertThat(victim.threadRef()).isEqualTo("<first@example.org> ann@example.org");
        assertThat(victimAgain.threadRef()).isEqualTo(victim.threadRef());
        assertThat(stranger.threadRef()).isEqualTo("<first@example.org> mallory@example.net")
                .isNotEqualTo(victim.threadRef());
        assertThat(MailReader.rootOf(stranger.threadRef())).isEqualTo("<first@example.org>");
    }

    @Test
    void aThreadKeyTooLongForCoreIsAHashOfIt() throws IOException {
        String longId = "<" + "a".repeat(240) + "@example.org>";
        Message m = mail(reader, "From: ann@example.org", "Message-ID: " + longId);

        assertThat(m.threadRef()).matches("<[0-9a-f]{64}\\.thread@frontdoor\\.invalid>");
        assertThat(MailReader.rootOf(m.threadRef())).as("a hashed key names no mail to refer to").isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "=?UTF-8?Q?a@b:_c;?= <x@y.com>|x@y.com|a@b: c;",
            "=?UTF-8?B?ImFAYjogYzsi?= <x@y.com>|x@y.com|\"a@b: c;\"",
            "\"a@b: c;\" <x@y.com>|x@y.com|a@b: c;",
            "a@b: c; <x@y.com>|x@y.com|a@b: c;",
            "Ann <ann@example.org>|ann@example.org|Ann",
            "ann@example.org|ann@example.org|",
            "ann@example.org (Ann)|ann@example.org|Ann"})
    void aMalformedFromIsParsedToItsAddressNeverTakenWholeAsTheHandle(String from, String address, String name)
            throws IOException {
        // fails on main: a raw '@', ':' or ';' in the name made a group or an address of the name
        Message m = mail(reader, "From: " + from, "Message-ID: <malformed@example.org>");

        assertThat(m.author().handle()).isEqualTo(address);
        assertThat(m.author().email()).isEqualTo(address);
        assertThat(m.author().displayName()).isEqualTo(name);
    }

    private final MailReader trusting = new MailReader("support", blobs, 1_048_576, 4096, List.of(),
            "mx.example.com");

    @Test
    void theReceivingServersFailedDmarcIsShownAndTheSenderIsNotTakenAsProven() throws IOException {
        // fails on main: Authentication-Results were not read, and a forged From counted as the address
        Message m = mail(trusting, "Authentication-Results: mx.example.com; spf=fail (sender IP is 203.0.113.9) "
                        + "smtp.mailfrom=bank.example; dkim=none; dmarc=fail (p=reject) header.from=bank.example",
                "Authentication-Results: mx.example.com; dmarc=pass header.from=bank.example",
                "From: Bank <ceo@bank.example>", "Message-ID: <forged@example.net>");

        assertThat(annotation(m, "sender-authentication"))
                .isEqualTo("spf=fail dkim=none dmarc=fail (by mx.example.com)");
        assertThat(annotation(m, "sender-unverified")).isEqualTo("the receiving server mx.example.com found spf=fail "
                + "dkim=none dmarc=fail: the From address is not proven to be the sender's");
        assertThat(m.author().handle()).isEqualTo("ceo@bank.example");
        assertThat(m.author().email()).isNull();
        assertThat(m.threadRef()).isEqualTo("<forged@example.net> ceo@bank.example unverified");
    }

    @Test
    void aPassingSenderIsShownAndKeepsItsAddress() throws IOException {
        Message m = mail(trusting, "Authentication-Results: mx.example.com 1; spf=pass smtp.mailfrom=example.org;"
                        + " dkim=pass header.d=example.org; dmarc=pass header.from=example.org",
                "From: Ann <ann@example.org>", "Message-ID: <fine@example.org>");

        assertThat(annotation(m, "sender-authentication")).isEqualTo("spf=pass dkim=pass dmarc=pass (by mx.example.com)");
        assertThat(annotation(m, "sender-unverified")).isNull();
        assertThat(m.author().email()).isEqualTo("ann@example.org");
        assertThat(m.threadRef()).isEqualTo("<fine@example.org> ann@example.org");
    }

    @Test
    void resultsOfAnotherServerOrWithoutATrustedIdAreIgnored() throws IOException {
        String[] forged = {"Authentication-Results: mx.attacker.example; spf=pass; dkim=pass; dmarc=pass",
                "From: ann@example.org", "Message-ID: <other@example.org>"};

        assertThat(annotation(mail(trusting, forged), "sender-authentication")).isNull();
        Message untrusted = mail(reader, "Authentication-Results: mx.example.com; dmarc=fail",
                "From: ann@example.org", "Message-ID: <none@example.org>");
        assertThat(annotation(untrusted, "sender-authentication")).isNull();
        assertThat(untrusted.author().email()).isEqualTo("ann@example.org");
    }

    @Test
    void withoutDmarcAFailedSpfCountsUnlessDkimPassed() {
        assertThat(SenderAuthentication.read(new String[]{"mx; spf=softfail; dkim=none"}, "mx").failed()).isTrue();
        assertThat(SenderAuthentication.read(new String[]{"mx; spf=fail; dkim=pass header.d=x"}, "mx").failed())
                .isFalse();
        assertThat(SenderAuthentication.read(new String[]{"mx; none"}, "mx").failed()).isFalse();
        assertThat(SenderAuthentication.read(new String[]{"mx; dkim=pass reason=\"a;dmarc=fail\"; spf=none"}, "mx")
                .summary()).isEqualTo("spf=none dkim=pass dmarc=none (by mx)");
    }
}
