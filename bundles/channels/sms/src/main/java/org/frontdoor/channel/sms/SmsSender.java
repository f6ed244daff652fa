package org.frontdoor.channel.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;

/**
 * Sends a reply as one message of the Messages API ({@code To}, {@code From} or {@code MessagingServiceSid},
 * {@code Body}, and {@code StatusCallback} when the instance has a publicUrl); the provider cuts it into segments. The
 * message's {@code sid} goes back to core, which its status callbacks name ({@link SmsDeliveryStatus}). Before it
 * calls: a number that texted STOP gets nothing (a {@link ReplyRefusedException}, until it texts START), nor a reply
 * of more segments than the instance allows.
 *
 * <p>Outcomes: 201 returns; 429 waits Retry-After when it is short and sends, else gives the reply back as a
 * {@link RateLimitedException}, sending nothing before that time; 401 (Twilio's 20003) is a passing failure that turns
 * the instance AUTH_EXPIRED, so core holds its replies until a new cfg; another 4xx (21610: the number opted out at
 * the provider; 21211: not a valid number) is a {@link ReplyRefusedException}; 5xx and no answer are passing.
 */
final class SmsSender {

    /** A send that did not succeed this time; the message is the sentence an agent reads. */
    static final class SendFailed extends Exception {
        private static final long serialVersionUID = 1L;

        SendFailed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Function<String, SmsInstance> instances;

    SmsSender(Function<String, SmsInstance> instances) {
        this.instances = instances;
    }

    /** Sends the reply; gives the provider's message SID. */
    String send(OutboundReply reply) throws SendFailed, ReplyRefusedException, InterruptedException {
        SmsInstance instance = instances.apply(reply.instance());
        if (instance == null) {
            throw new SendFailed("SMS channel instance " + reply.instance() + " is not configured");
        }
        if (!instance.usable()) {
            throw new SendFailed(instance.health().reason());
        }
        String to = PhoneNumbers.normalize(reply.recipient().handle(), instance.defaultCountryCode());
        Optional<String> optedOut = instance.consent().refusal(to);
        if (optedOut.isPresent()) {
            throw new ReplyRefusedException(optedOut.get());
        }
        String tooLong = Segments.refusal(reply.text(), instance.maxSegments());
        if (tooLong != null) {
            throw new ReplyRefusedException(tooLong);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", to);
        if (instance.messagingServiceSid() != null) {
            form.put("MessagingServiceSid", instance.messagingServiceSid());
        } else {
            form.put("From", instance.from());
        }
        form.put("Body", reply.text());
        String statusCallback = SmsDeliveryStatus.callbackUrl(instance);
        if (statusCallback != null) {
            form.put("StatusCallback", statusCallback); // where the provider posts delivered, undelivered, failed
        }
        return instance.api() == null ? null : create(instance, "Messages", form);
    }

    /** Creates a resource on the instance's account, honouring 429 and turning 401 into AUTH_EXPIRED. */
    static String create(SmsInstance instance, String resource, Map<String, String> form)
            throws SendFailed, ReplyRefusedException, InterruptedException {
        for (int tries = 0; ; tries++) {
            waitForRateLimit(instance);
            try {
                String sid = instance.api().create(resource, form).path("sid").asText(null);
                instance.succeeded();
                return sid;
            } catch (TwilioApi.Failure f) {
                instance.failed(f);
                switch (f.kind()) {
                    case RATE_LIMITED -> {
                        instance.rateLimited(f.retryAfterSeconds());
                        if (tries < 2 && Duration.ofSeconds(f.retryAfterSeconds())
                                .compareTo(instance.rateLimitWait()) <= 0) {
                            continue; // waits Retry-After, then sends
                        }
                        throw new RateLimitedException(f.getMessage() + "; the reply goes out after "
                                + f.retryAfterSeconds() + " s");
                    }
                    case AUTH_REFUSED -> throw new SendFailed(f.getMessage() + ": the reply waits until an admin "
                            + "sets the current Auth Token for SMS channel instance " + instance.instance());
                    case REFUSED -> throw new ReplyRefusedException(f.code() == 21610
                            ? "the recipient unsubscribed from this number at the SMS provider (they texted STOP); "
                                    + "they must text START first"
                            : f.getMessage());
                    default -> throw new SendFailed(f.getMessage());
                }
            }
        }
    }

    /** Sends nothing before the provider's Retry-After: waits for a short one, gives the reply back for a long one. */
    private static void waitForRateLimit(SmsInstance instance) throws InterruptedException {
        Instant now = instance.clock().instant();
        Instant notBefore = instance.notBefore();
        if (!now.isBefore(notBefore)) {
            return;
        }
        Duration left = Duration.between(now, notBefore);
        if (left.compareTo(instance.rateLimitWait()) > 0) {
            throw new RateLimitedException("the SMS provider asked to wait before sending: the reply goes out after "
                    + (left.toSeconds() + 1) + " s");
        }
        TimeUnit.MILLISECONDS.sleep(left.toMillis());
    }
}
