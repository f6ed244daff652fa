package org.frontdoor.channel.email;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;

/**
 * A mail's raw source turned into a {@link Message}: Jakarta Mail decodes headers, charsets and transfer encodings;
 * this class picks the text an agent reads, stores the attachments through {@link Blobs}, and says when a mail was
 * sent by a machine (an auto-reply, a bounce, list mail) so no reply goes back to it.
 */
final class MailReader {

    static final String CHANNEL = "email";
    static final String SUBJECT = "subject";
    static final String AUTO_SUBMITTED = "auto-submitted";
    static final String ATTACHMENT_REFUSED = "attachment-refused";
    static final String SENDER_AUTHENTICATION = "sender-authentication";
    static final String SENDER_UNVERIFIED = "sender-unverified";
    /** The mail's recipients, one annotation per address: a reply to all copies them ({@code replyAll}). */
    static final String TO = "to";
    static final String CC = "cc";
    /** Recipients kept per header: a mail to a crowd is not answered to the crowd. */
    static final int MAX_RECIPIENTS = 50;
    /** Longest thread key core takes (its limit on a message's threadRef). */
    static final int MAX_THREAD_KEY = 255;

    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    /** An address taken as a handle: one {@code @}, no space, none of the characters that separate addresses. */
    private static final Pattern PLAIN_ADDRESS = Pattern.compile(
            "[^\\s@<>()\\[\\]\\\\,;:\"]+@[^\\s@<>()\\[\\]\\\\,;:\"]+");
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<\\s*([^<>\\s]+@[^<>\\s]+)\\s*>");
    private static final Pattern PRECEDENCE = Pattern.compile("bulk|junk|list|auto_reply", Pattern.CASE_INSENSITIVE);
    private static final Pattern MACHINE_SENDER = Pattern.compile("(mailer-daemon|postmaster)(@.*)?",
            Pattern.CASE_INSENSITIVE);

    private final String instance;
    private final Blobs blobs;
    private final int maxRawBytes;
    private final long maxAttachmentBytes;
    private final List<String> allowedTypes;
    private final String authservId;
    private final Session session;

    MailReader(String instance, Blobs blobs, int maxRawBytes, long maxAttachmentBytes, List<String> allowedTypes) {
        this(instance, blobs, maxRawBytes, maxAttachmentBytes, allowedTypes, "");
    }

    /** @param authservId the receiving server's authserv-id whose Authentication-Results are trusted; blank: none */
    MailReader(String instance, Blobs blobs, int maxRawBytes, long maxAttachmentBytes, List<String> allowedTypes,
               String authservId) {
        this.instance = instance;
        this.authservId = authservId == null ? "" : authservId.strip();
        this.blobs = blobs;
        this.maxRawBytes = maxRawBytes;
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.allowedTypes = allowedTypes.stream().map(t -> t.trim().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty()).toList();
        Properties properties = new Properties();
        properties.put("mail.mime.address.strict", "false");
        this.session = Session.getInstance(properties);
    }

    /**
     * @throws IllegalArgumentException when the mail can never be taken in (no sender at all): marked so it is not
     *                                  tried again
     * @throws IOException              when an attachment cannot be stored now: the mail is tried again later
     */
    Message read(byte[] raw, Instant receivedAt) throws IOException {
        MimeMessage mail;
        try {
            mail = new MimeMessage(session, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new IllegalArgumentException("the mail cannot be parsed: " + e.getMessage());
        }
        try {
            String id = messageId(mail, raw);
            InternetAddress from = sender(mail);
            String address = from.getAddress().toLowerCase(Locale.ROOT);
            String personal = from.getPersonal() == null || from.getPersonal().isBlank() ? null
                    : from.getPersonal().strip();
            List<Annotation> annotations = new ArrayList<>();
            SenderAuthentication checked = SenderAuthentication.read(mail.getHeader("Authentication-Results"),
                    authservId);
            if (checked != null) {
                annotations.add(new Annotation(SENDER_AUTHENTICATION, checked.summary(), 1.0));
                if (checked.failed()) {
                    annotations.add(new Annotation(SENDER_UNVERIFIED, checked.failure(), 1.0));
                }
            }
            boolean unverified = checked != null && checked.failed();
            // a sender the receiving server found forged is no proof of the address: no e-mail on the identity
            Identity author = new Identity(CHANNEL, address, personal, unverified ? null : address, null, 0);
            String subject = subject(mail);
            if (subject != null) {
                annotations.add(new Annotation(SUBJECT, subject, 1.0));
            }
            for (String header : new String[]{"To", "Cc"}) {
                for (String recipient : recipients(mail, header)) {
                    annotations.add(new Annotation(header.equals("To") ? TO : CC, recipient, 1.0));
                }
            }
            String automatic = automatic(mail, address);
            if (automatic != null) {
                annotations.add(new Annotation(AUTO_SUBMITTED, automatic, 1.0));
            }
            Parts parts = new Parts();
            walk(mail, parts, false);
            String text = parts.text == null ? "" : parts.text;
            List<Attachment> attachments = new ArrayList<>();
            for (Part part : parts.attachments) {
                attachments.add(attachment(part, annotations));
            }
            return Message.inbound(CHANNEL, instance)
                    .externalId(id)
                    .threadRef(threadKey(threadRoot(mail, id), address, unverified))
                    .author(author)
                    .text(text)
                    .attachments(attachments)
                    .annotations(annotations)
                    .receivedAt(receivedAt)
                    .rawPayload(rawPayload(raw))
                    .build();
        } catch (MessagingException e) {
            throw new IllegalArgumentException("the mail cannot be read: " + e.getMessage());
        }
    }

    /**
     * The addresses of a To or Cc header, in lower case and without names, at most {@link #MAX_RECIPIENTS}; what does
     * not parse as an address is left out (the header is the sender's text).
     */
    static List<String> recipients(MimeMessage mail, String header) throws MessagingException {
        String value = mail.getHeader(header, ",");
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        InternetAddress[] parsed;
        try {
            parsed = InternetAddress.parseHeader(MimeUtility.unfold(value), false);
        } catch (AddressException e) {
            return out;
        }
        for (InternetAddress a : parsed) {
            String address = a.getAddress() == null ? "" : a.getAddress().strip().toLowerCase(Locale.ROOT);
            if (PLAIN_ADDRESS.matcher(address).matches() && address.length() <= 254 && !out.contains(address)) {
                out.add(address);
                if (out.size() == MAX_RECIPIENTS) {
                    break;
                }
            }
        }
        return out;
    }

    /** The Message-ID, or a stable one made from the source's SHA-256 when the mail has none. */
    static String messageId(MimeMessage mail, byte[] raw) throws MessagingException {
        String header = mail.getHeader("Message-ID", null);
        if (header != null) {
            Matcher id = MESSAGE_ID.matcher(header);
            if (id.find()) {
                return id.group();
            }
            if (!header.isBlank()) {
                return "<" + header.strip().replaceAll("[<>\\s]", "") + ">";
            }
        }
        try {
            return "<" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw))
                    + ".sha256@frontdoor.invalid>";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The root of the thread: the first id in References, else In-Reply-To, else the mail's own id. */
    static String threadRoot(MimeMessage mail, String ownId) throws MessagingException {
        for (String header : new String[]{"References", "In-Reply-To"}) {
            String value = mail.getHeader(header, " ");
            if (value != null) {
                Matcher id = MESSAGE_ID.matcher(value);
                if (id.find()) {
                    return id.group();
                }
            }
        }
        return ownId;
    }

    /**
     * The conversation a mail belongs to: its thread's root and its sender, so a mail naming someone else's thread in
     * its headers starts a conversation of its own instead of joining theirs. A sender the receiving server found
     * forged gets a conversation apart from the address's real one. Too long for core, it is a hash of the same.
     */
    static String threadKey(String root, String address, boolean unverified) {
        String key = root + " " + address + (unverified ? " unverified" : "");
        if (key.length() <= MAX_THREAD_KEY) {
            return key;
        }
        try {
            return "<" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8))) + ".thread@frontdoor.invalid>";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /**
     * The thread's root Message-ID in a thread key (or a conversation's threadRef): its first {@code <...>}; null for
     * a hashed key, which names no mail.
     */
    static String rootOf(String threadKey) {
        if (threadKey == null) {
            return null;
        }
        Matcher id = MESSAGE_ID.matcher(threadKey);
        return id.find() && !id.group().endsWith(".thread@frontdoor.invalid>") ? id.group() : null;
    }

    static InternetAddress sender(MimeMessage mail) throws MessagingException {
        for (String header : new String[]{"From", "Sender", "Reply-To", "Return-Path"}) {
            InternetAddress found = address(mail.getHeader(header, ","));
            if (found != null) {
                return found;
            }
        }
        throw new IllegalArgumentException("the mail names no sender (no usable From, Sender, Reply-To or "
                + "Return-Path address)");
    }

    /**
     * The sender in one address header. A name may hide {@code @}, {@code :} or {@code ;} (raw, or in an encoded
     * word) that a parser takes for an address, a group or its end: the address in the last {@code <...>} wins when
     * there is one (its name: the text before it, decoded), else what Jakarta Mail parses leniently; only a plain
     * address is taken, never the whole header as the handle. Null when the header names no usable address.
     */
    static InternetAddress address(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String angle = null;
        int angleAt = -1;
        for (Matcher m = ANGLE_ADDRESS.matcher(value); m.find(); ) {
            if (PLAIN_ADDRESS.matcher(m.group(1)).matches()) {
                angle = m.group(1);
                angleAt = m.start();
            }
        }
        if (angle != null) {
            // the name is what stands before the address, whatever a parser made of it
            return plain(angle, name(value.substring(0, angleAt)));
        }
        InternetAddress parsed = null;
        try {
            for (Address address : InternetAddress.parseHeader(value, false)) {
                if (address instanceof InternetAddress internet && !internet.isGroup() && internet.getAddress() != null
                        && PLAIN_ADDRESS.matcher(internet.getAddress().strip()).matches()) {
                    parsed = internet;
                    break;
                }
            }
        } catch (AddressException unreadable) {
            parsed = null;
        }
        return parsed == null ? null : plain(parsed.getAddress().strip(), parsed.getPersonal());
    }

    /** The display name written before an address: encoded words decoded, quotes taken off. */
    private static String name(String phrase) {
        String name = phrase.strip();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        try {
            name = MimeUtility.decodeText(name);
        } catch (IOException | RuntimeException undecodable) {
            // shown as written
        }
        return name.isBlank() ? null : name.strip();
    }

    private static InternetAddress plain(String address, String personal) {
        InternetAddress plain = new InternetAddress();
        plain.setAddress(address);
        try {
            plain.setPersonal(personal, StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("the JVM has no UTF-8", e);
        }
        return plain;
    }

    private static String subject(MimeMessage mail) {
        try {
            String subject = mail.getSubject();
            return subject == null || subject.isBlank() ? null : subject.strip();
        } catch (MessagingException e) {
            return null;
        }
    }

    /** Why the mail was sent by a machine, or null when a person wrote it (RFC 3834 and what servers do). */
    static String automatic(MimeMessage mail, String fromAddress) throws MessagingException {
        String auto = mail.getHeader("Auto-Submitted", null);
        if (auto != null && !auto.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
            return "Auto-Submitted: " + auto.strip();
        }
        String precedence = mail.getHeader("Precedence", null);
        if (precedence != null && PRECEDENCE.matcher(precedence.strip()).matches()) {
            return "Precedence: " + precedence.strip().toLowerCase(Locale.ROOT);
        }
        if (mail.getHeader("List-Id") != null || mail.getHeader("List-Unsubscribe") != null) {
            return "mailing list mail (List-Id or List-Unsubscribe)";
        }
        if (mail.getHeader("X-Autoreply") != null || mail.getHeader("X-Autorespond") != null) {
            return "auto-reply (X-Autoreply or X-Autorespond)";
        }
        String returnPath = mail.getHeader("Return-Path", null);
        if (returnPath != null && returnPath.replaceAll("\\s", "").equals("<>")) {
            return "no return path (Return-Path: <>): a bounce or other automatic notice";
        }
        if (mail.isMimeType("multipart/report")) {
            return "delivery or disposition report (multipart/report)";
        }
        if (MACHINE_SENDER.matcher(fromAddress).matches()) {
            return "sent by the mail system (" + fromAddress + ")";
        }
        return null;
    }

    /** The text body (text/plain preferred in multipart/alternative) and the attachments. */
    private static final class Parts {
        String text;
        final List<Part> attachments = new ArrayList<>();
    }

    private void walk(Part part, Parts parts, boolean inAlternative) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = multipart(part);
            if (multipart == null) {
                return;
            }
            if (part.isMimeType("multipart/alternative") && parts.text == null) {
                BodyPart chosen = null;
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    if (child.isMimeType("text/plain") && !isAttachment(child)) {
                        chosen = child;
                        break;
                    }
                }
                if (chosen != null) {
                    parts.text = MailText.foldQuotes(text(chosen));
                    return;
                }
                for (int i = 0; i < multipart.getCount(); i++) {
                    walk(multipart.getBodyPart(i), parts, true);
                }
                return;
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                walk(multipart.getBodyPart(i), parts, inAlternative);
            }
            return;
        }
        boolean body = parts.text == null && !isAttachment(part);
        if (body && part.isMimeType("text/plain")) {
            parts.text = MailText.foldQuotes(text(part));
        } else if (body && part.isMimeType("text/html")) {
            parts.text = MailText.fromHtml(text(part));
        } else if (!inAlternative && (isAttachment(part) || !part.isMimeType("text/*"))) {
            parts.attachments.add(part);
        }
    }

    private static Multipart multipart(Part part) throws MessagingException {
        try {
            Object content = part.getContent();
            return content instanceof Multipart m ? m : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isAttachment(Part part) throws MessagingException {
        return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || fileName(part) != null;
    }

    private static String fileName(Part part) {
        try {
            String name = part.getFileName();
            if (name == null || name.isBlank()) {
                return null;
            }
            try {
                return MimeUtility.decodeText(name).strip();
            } catch (IOException undecodable) {
                return name.strip();
            }
        } catch (MessagingException unreadable) {
            return null;
        }
    }

    /**
     * A text part's characters: Jakarta Mail undoes the transfer encoding; the declared charset decodes the bytes. A
     * missing, mislabelled or unknown charset falls back to UTF-8 when the bytes are UTF-8, else windows-1252: the
     * mail is read, never thrown away.
     */
    static String text(Part part) throws MessagingException {
        byte[] bytes;
        try (InputStream in = part.getInputStream()) {
            bytes = in.readAllBytes();
        } catch (IOException brokenEncoding) {
            // a broken base64 or quoted-printable body: the encoded text is still better than nothing
            bytes = rawBytes(part);
        }
        String declared = null;
        try {
            declared = new ContentType(part.getContentType()).getParameter("charset");
        } catch (ParseException unreadable) {
            declared = null;
        }
        Charset charset = charset(declared);
        if (charset != null && !charset.equals(StandardCharsets.US_ASCII)) {
            if (charset.equals(StandardCharsets.ISO_8859_1)) {
                charset = windows1252();
            }
            return new String(bytes, charset);
        }
        return decodeGuessing(bytes);
    }

    private static byte[] rawBytes(Part part) throws MessagingException {
        try (InputStream in = part instanceof jakarta.mail.internet.MimeBodyPart body ? body.getRawInputStream()
                : part instanceof MimeMessage message ? message.getRawInputStream() : InputStream.nullInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static Charset charset(String declared) {
        if (declared == null || declared.isBlank()) {
            return null;
        }
        try {
            String java = MimeUtility.javaCharset(declared.strip());
            return Charset.isSupported(java) ? Charset.forName(java) : null;
        } catch (RuntimeException illegalName) {
            return null;
        }
    }

    private static Charset windows1252() {
        return Charset.isSupported("windows-1252") ? Charset.forName("windows-1252") : StandardCharsets.ISO_8859_1;
    }

    /** UTF-8 when the bytes are UTF-8, else windows-1252 (what an unlabelled Western mail most likely is). */
    static String decodeGuessing(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, windows1252());
        }
    }

    /** Stores an attachment the instance takes; lists one it does not take without content, saying why. */
    private Attachment attachment(Part part, List<Annotation> annotations) throws MessagingException, IOException {
        String name = fileName(part);
        String type;
        try {
            type = new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException | NullPointerException unreadable) {
            type = "application/octet-stream";
        }
        String shown = name == null ? "an unnamed " + type + " attachment" : "'" + name + "'";
        try (CountingStream in = new CountingStream(part.getInputStream())) {
            if (!allowed(type)) {
                long size = in.transferTo(OutputStream.nullOutputStream());
                annotations.add(new Annotation(ATTACHMENT_REFUSED, shown + " (" + type + ", " + size + " bytes): "
                        + "this type is not in allowedAttachmentTypes", 1.0));
                return new Attachment(name, type, size, null);
            }
            try {
                return blobs.store(name, type, in, maxAttachmentBytes);
            } catch (IllegalArgumentException tooLarge) {
                in.transferTo(OutputStream.nullOutputStream());
                annotations.add(new Annotation(ATTACHMENT_REFUSED, shown + " (" + type + ", " + in.count + " bytes): "
                        + "larger than maxAttachmentBytes (" + maxAttachmentBytes + ")", 1.0));
                return new Attachment(name, type, in.count, null);
            }
        }
    }

    boolean allowed(String type) {
        for (String allowed : allowedTypes) {
            if (allowed.equals(type) || allowed.equals("*/*") || allowed.endsWith("*")
                    && type.startsWith(allowed.substring(0, allowed.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** The source as text for audit: UTF-8 when it is, else byte for byte; cut at maxRawBytes, saying so. */
    String rawPayload(byte[] raw) {
        byte[] kept = raw.length > maxRawBytes ? java.util.Arrays.copyOf(raw, maxRawBytes) : raw;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(kept)).toString();
        } catch (CharacterCodingException notUtf8) {
            text = raw.length > maxRawBytes ? new String(kept, StandardCharsets.UTF_8)
                    : new String(kept, StandardCharsets.ISO_8859_1);
        }
        text = text.replace("\u0000", "");
        if (raw.length > maxRawBytes) {
            text += "\n[Frontdoor: the raw source is cut here: " + maxRawBytes + " of " + raw.length
                    + " bytes kept (maxRawBytes)]";
        }
        return text;
    }

    /** Counts what is read through it. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long transferTo(OutputStream out) throws IOException {
            long before = count;
            byte[] buffer = new byte[8192];
            for (int n; (n = read(buffer, 0, buffer.length)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            return count - before;
        }
    }
}
