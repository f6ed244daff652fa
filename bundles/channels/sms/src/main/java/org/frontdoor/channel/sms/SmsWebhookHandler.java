package org.frontdoor.channel.sms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.frontdoor.plugin.http.JsonWebhook;
import org.frontdoor.plugin.media.MediaFetches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code POST /webhooks/sms/{instance}} does, apart from the servlet: the instance, the body's size, the
 * {@code X-Twilio-Signature} (checked before anything is stored, in constant time, over the instance's
 * {@code publicUrl} or the request's own), then one message to core, acknowledged with an empty TwiML
 * {@code <Response/>} once core committed it (a redelivery of the same MessageSid, CallSid or RecordingSid stores
 * nothing new and gets the same answer). The provider is never called from here.
 *
 * <ul>
 *   <li>A text ({@code MessageSid}): its {@code Body}, its media as attachments ({@code MediaUrl0..},
 *       {@code MediaContentType0..}) whose content is fetched once the message is stored ({@link SmsMedia}); STOP and
 *       START keywords annotated and kept as the number's consent once stored.</li>
 *   <li>A call that was not answered ({@code CallStatus} {@code no-answer}, {@code busy}, {@code canceled}): a
 *       "missed call" message from the caller.</li>
 *   <li>A voicemail (the {@code <Record>} action: {@code RecordingUrl}, {@code RecordingDuration}), its recording
 *       fetched as an mp3 attachment once stored, and its
 *       transcription ({@code transcribeCallback}: {@code TranscriptionSid}, {@code TranscriptionText}).</li>
 *   <li>Any other call status (ringing, completed, the calls the door placed itself): answered, nothing stored.</li>
 * </ul>
 */
final class SmsWebhookHandler extends JsonWebhook {

    /** The empty TwiML answer: nothing more to do. */
    static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    static final String SIGNATURE = "X-Twilio-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(SmsWebhookHandler.class);
    private static final String SID = "[A-Za-z0-9]{2,64}";

    /** Hands a message to core. */
    @FunctionalInterface
    interface Ingest {
        CompletionStage<IngestReceipt> ingest(Message message) throws Exception;
    }

    private final Function<String, SmsInstance> instances;
    private final Predicate<String> configured;
    private final Ingest ingest;
    private final SmsMedia.Fetcher fetcher;
    private final MediaFetches fetches;

    /** A handler that fetches no files: they stay in their messages without content. */
    SmsWebhookHandler(Function<String, SmsInstance> instances, Predicate<String> configured, Ingest ingest) {
        this(instances, configured, ingest, null, null);
    }

    /** A handler that fetches the files of each stored message with {@code fetcher}, through {@code fetches}. */
    SmsWebhookHandler(Function<String, SmsInstance> instances, Predicate<String> configured, Ingest ingest,
                      SmsMedia.Fetcher fetcher, MediaFetches fetches) {
        this.instances = instances;
        this.configured = configured;
        this.ingest = ingest;
        this.fetcher = fetcher;
        this.fetches = fetches;
    }

    /** The answer that ends a webhook the door took: 200 with an empty TwiML document. */
    static Result twiml() {
        return new Result(200, Map.of("Content-Type", "text/xml"), EMPTY_TWIML);
    }

    /**
     * @param requestUrl the URL the request came to, with its query string (used when publicUrl is not set)
     * @param query      the request's query string, or null (appended to publicUrl when that has none)
     * @param body       the raw body, or null when larger than the instance's limit
     */
    CompletionStage<Result> handle(String instanceName, String requestUrl, String query,
                                   Function<String, String> headers, byte[] body) {
        try {
            SmsInstance instance = instance(instanceName);
            if (body == null) {
                return done(tooLarge("body", instance.maxBodyBytes()));
            }
            String signature = headers.apply(SIGNATURE);
            if (signature == null || signature.isBlank()) {
                return done(Result.error(403, "missing " + SIGNATURE));
            }
            String type = headers.apply("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                return done(Result.error(415, "webhooks take application/x-www-form-urlencoded, as Twilio posts them"));
            }
            Form form = Form.parse(body);
            String url = signedUrl(instance, requestUrl, query);
            if (!TwilioSignature.matches(instance.authToken(), url, form.parameters(), signature)) {
                return done(Result.error(403, SIGNATURE + " does not match the request (check authToken and that "
                        + "publicUrl is the address set in the provider's console)"));
            }
            Optional<Message> message = message(instance, form, body);
            if (message.isEmpty()) {
                return done(twiml());
            }
            Optional<String> consent = consent(message.get());
            List<MediaFetches.Pending> files = fetches == null ? List.of()
                    : SmsMedia.pending(instance.instance(), form, message.get().attachments(), instances, fetcher);
            return ingest.ingest(message.get()).toCompletableFuture()
                    .thenApply(receipt -> {
                        consent.ifPresent(what -> record(instance, message.get(), what, receipt.messageId()));
                        if (!files.isEmpty()) {
                            // a redelivery fetches again only what the first delivery could not fill in
                            fetches.after(receipt, files);
                        }
                        return twiml();
                    })
                    .exceptionally(failure -> failed(failure, "message"));
        } catch (Refused r) {
            return done(r.result);
        } catch (IllegalArgumentException bad) {
            return done(Result.error(400, bad.getMessage()));
        } catch (Exception e) {
            return done(failed(e, "message"));
        }
    }

    private SmsInstance instance(String instanceName) throws Refused {
        if (instanceName == null) {
            throw new Refused(Result.error(404, "the path names no SMS channel instance: /webhooks/sms/<instance>"));
        }
        SmsInstance instance = instances.apply(instanceName);
        if (instance == null) {
            throw new Refused(configured.test(instanceName) ? notRunning(instanceName)
                    : unknownInstance("SMS", instanceName));
        }
        if (!instance.usable()) {
            throw new Refused(notUsable(instanceName, instance.health().reason()));
        }
        return instance;
    }

    static String signedUrl(SmsInstance instance, String requestUrl, String query) {
        String configured = instance.publicUrl();
        if (configured == null) {
            return requestUrl;
        }
        return query == null || query.isEmpty() || configured.contains("?") ? configured : configured + "?" + query;
    }

    /** The message the request stands for, or empty when it is a call status that is no conversation. */
    Optional<Message> message(SmsInstance instance, Form form, byte[] body) {
        String messageSid = form.nonBlank("MessageSid");
        if (messageSid == null) {
            messageSid = form.nonBlank("SmsMessageSid");
        }
        String callSid = form.nonBlank("CallSid");
        if (messageSid == null && callSid == null) {
            throw new IllegalArgumentException("neither a text (MessageSid) nor a call (CallSid)");
        }
        if (messageSid != null && !messageSid.matches(SID) || callSid != null && !callSid.matches(SID)) {
            throw new IllegalArgumentException("MessageSid and CallSid are letters and digits");
        }
        for (String once : List.of("MessageSid", "CallSid", "From", "Body", "RecordingSid", "TranscriptionSid")) {
            if (form.repeated(once)) {
                throw new IllegalArgumentException(once + " is given more than once");
            }
        }
        String direction = form.nonBlank("Direction");
        if (callSid != null && messageSid == null && direction != null
                && direction.toLowerCase(Locale.ROOT).startsWith("outbound")) {
            return Optional.empty(); // the status of a call the door placed
        }
        String fromRaw = form.nonBlank("From");
        if (fromRaw == null) {
            throw new IllegalArgumentException("no From: "
                    + (messageSid != null ? "a text names its sender" : "point the <Record> action and the "
                    + "transcribeCallback here (a recordingStatusCallback does not say who called)"));
        }
        String from = PhoneNumbers.normalize(fromRaw, instance.defaultCountryCode());
        Identity author = new Identity(SmsInstance.CHANNEL_ID, from, null, null,
                PhoneNumbers.isE164(from) ? from : null, 0);
        Message.Builder m = Message.inbound(SmsInstance.CHANNEL_ID, instance.instance())
                .visibility(Visibility.PRIVATE).author(author).receivedAt(instance.clock().instant())
                .rawPayload(new String(body, StandardCharsets.UTF_8));
        if (messageSid != null) {
            String text = form.get("Body") == null ? "" : form.get("Body");
            List<Annotation> annotations = Consent.keyword(text)
                    .map(what -> List.of(new Annotation(Consent.ANNOTATION, what, 1.0))).orElse(List.of());
            return Optional.of(m.externalId(messageSid).text(text).attachments(media(form))
                    .annotations(annotations).build());
        }
        String transcriptionSid = form.nonBlank("TranscriptionSid");
        if (transcriptionSid != null) {
            String status = form.nonBlank("TranscriptionStatus");
            String text = form.get("TranscriptionText");
            return Optional.of(m.externalId("transcription:" + transcriptionSid)
                    .text("failed".equalsIgnoreCase(status) || text == null
                            ? "The voicemail could not be transcribed."
                            : "Voicemail transcription: " + text)
                    .build());
        }
        String recordingUrl = form.nonBlank("RecordingUrl");
        if (recordingUrl != null) {
            String recordingSid = form.nonBlank("RecordingSid");
            String duration = form.nonBlank("RecordingDuration");
            String transcription = form.nonBlank("TranscriptionText");
            String recordingId = recordingSid != null ? recordingSid : callSid;
            return Optional.of(m.externalId("recording:" + recordingId)
                    .attachments(List.of(new Attachment("voicemail-" + recordingId + ".mp3", "audio/mpeg", 0, null)))
                    .text("Voicemail" + (duration != null && duration.matches("[0-9]{1,6}") ? " of " + duration
                            + " s" : "") + ": " + recordingUrl
                            + (transcription != null ? "\nTranscription: " + transcription : ""))
                    .build());
        }
        String status = form.nonBlank("CallStatus");
        String missed = status == null ? null : switch (status.toLowerCase(Locale.ROOT)) {
            case "no-answer" -> "Missed call: nobody answered";
            case "busy" -> "Missed call: the line was busy";
            case "canceled" -> "Missed call: the caller hung up before it was answered";
            default -> null;
        };
        if (missed == null) {
            return Optional.empty(); // ringing, in-progress, completed: no conversation of its own
        }
        return Optional.of(m.externalId("call:" + callSid).text(missed).build());
    }

    /** The media of a text, shown as sent: NumMedia entries of MediaUrlN and MediaContentTypeN, content fetched later. */
    private static List<Attachment> media(Form form) {
        String num = form.nonBlank("NumMedia");
        int count = 0;
        if (num != null) {
            if (!num.matches("[0-9]{1,2}")) {
                throw new IllegalArgumentException("NumMedia is not a small number");
            }
            count = Integer.parseInt(num);
        }
        List<Attachment> attachments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String url = form.nonBlank("MediaUrl" + i);
            if (url == null) {
                throw new IllegalArgumentException("NumMedia says " + count + " but MediaUrl" + i + " is missing");
            }
            String type = form.nonBlank("MediaContentType" + i);
            String name = url.substring(url.lastIndexOf('/') + 1);
            attachments.add(new Attachment(name.isEmpty() ? "media" + i : name,
                    type == null ? "application/octet-stream" : type, 0, null));
        }
        return attachments;
    }

    private static Optional<String> consent(Message message) {
        return message.annotations().stream().filter(a -> a.name().equals(Consent.ANNOTATION))
                .map(Annotation::value).findFirst();
    }

    /**
     * Records a STOP or START in core's consent. A failure fails the webhook (503): the provider sends the message
     * again, it is found stored, and the consent is recorded then; nothing is lost.
     */
    private static void record(SmsInstance instance, Message message, String what, long messageId) {
        try {
            instance.consent().record(message.author().handle(), what, message.text(), message.receivedAt(), messageId);
        } catch (RuntimeException e) {
            LOG.warn("SMS channel instance {}: could not record that {} texted {}: {}", instance.instance(),
                    message.author().handle(), what, e.toString());
            throw new IllegalStateException("the consent could not be recorded", e);
        }
    }

    private static CompletionStage<Result> done(Result result) {
        return CompletableFuture.completedFuture(result);
    }
}
