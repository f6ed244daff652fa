package org.frontdoor.channel.telegram;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;

/**
 * Sends a reply with {@code sendMessage}: to the chat it answers (its thread) when public, to the customer's own
 * chat when private; quoting the customer's message in a group ({@code reply_parameters}); as plain text (no
 * {@code parse_mode}: an agent's text is never markup); cut into messages of at most 4096 UTF-16 code units.
 *
 * <p>Outcomes: every message taken returns; 429 waits {@code retry_after} when it is short and sends, else gives the
 * reply back as a {@link RateLimitedException} and sends nothing before that time; 401 (a revoked token) is a
 * passing failure and turns the instance AUTH_EXPIRED, so core holds its replies; 400 and 403 (chat not found, the
 * bot blocked or removed) are a {@link ReplyRefusedException}; 5xx and no answer are passing failures. A reply cut in
 * parts goes on, when tried again, after the last part Telegram took on this node.
 */
final class TelegramSender {

    /** A send that did not succeed this time; the message is the sentence an agent reads. */
    static final class SendFailed extends Exception {
        private static final long serialVersionUID = 1L;

        SendFailed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Function<String, TelegramInstance> instances;
    /** Parts of a cut reply Telegram has taken, by reply id, until the whole reply is sent. */
    private final Map<Long, Integer> partsSent = new ConcurrentHashMap<>();

    TelegramSender(Function<String, TelegramInstance> instances) {
        this.instances = instances;
    }

    void send(OutboundReply reply) throws SendFailed, ReplyRefusedException, InterruptedException {
        TelegramInstance instance = instances.apply(reply.instance());
        if (instance == null) {
            throw new SendFailed("Telegram channel instance " + reply.instance() + " is not configured");
        }
        if (instance.api() == null) {
            throw new SendFailed(instance.health().reason());
        }
        TelegramUpdates.Ref answered = TelegramUpdates.Ref.of(reply.inReplyTo());
        String chatId = reply.visibility() == Visibility.PUBLIC && reply.threadRef() != null
                ? reply.threadRef() : reply.recipient().handle();
        List<String> parts = split(reply.text(), TelegramInstance.MAX_MESSAGE);
        int from = partsSent.getOrDefault(reply.replyId(), 0);
        for (int i = from; i < parts.size(); i++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("chat_id", chatId);
            body.put("text", parts.get(i));
            if (i == 0 && answered != null && answered.chatId().equals(chatId) && chatId.startsWith("-")) {
                // in a group the answer quotes the message it answers; still sent when that message is gone
                body.put("reply_parameters", Map.of("message_id", answered.messageId(),
                        "allow_sending_without_reply", true));
            }
            chatId = sendOne(instance, body, chatId);
            partsSent.put(reply.replyId(), i + 1);
        }
        partsSent.remove(reply.replyId());
        instance.succeeded();
    }

    /** Sends one message; gives the chat id to go on with (a group that became a supergroup moves). */
    private String sendOne(TelegramInstance instance, Map<String, Object> body, String chatId)
            throws SendFailed, ReplyRefusedException, InterruptedException {
        for (int tries = 0; ; tries++) {
            waitForRateLimit(instance);
            try {
                instance.api().call("sendMessage", body);
                return chatId;
            } catch (BotApi.Failure f) {
                JsonNode migrated = f.parameters() == null ? null : f.parameters().get("migrate_to_chat_id");
                if (f.kind() == BotApi.Kind.REFUSED && migrated != null && migrated.canConvertToLong() && tries < 2) {
                    chatId = migrated.asText();
                    body.put("chat_id", chatId);
                    continue;
                }
                if (f.kind() == BotApi.Kind.RATE_LIMITED) {
                    instance.rateLimited(f.retryAfterSeconds());
                    instance.failed(f);
                    if (tries < 2 && Duration.ofSeconds(f.retryAfterSeconds()).compareTo(instance.rateLimitWait()) <= 0) {
                        continue; // waits retry_after, then sends
                    }
                    throw new RateLimitedException(f.getMessage() + "; the reply goes out after " + f.retryAfterSeconds()
                            + " s");
                }
                instance.failed(f);
                switch (f.kind()) {
                    case TOKEN_REFUSED -> throw new SendFailed(f.getMessage() + ": the reply waits until an admin sets "
                            + "a new token for channel instance " + instance.instance());
                    case REFUSED -> throw new ReplyRefusedException(f.getMessage());
                    default -> throw new SendFailed(f.getMessage());
                }
            }
        }
    }

    /** Sends nothing before Telegram's retry_after: waits for a short one, gives the reply back for a long one. */
    private static void waitForRateLimit(TelegramInstance instance) throws InterruptedException {
        Instant now = instance.clock().instant();
        Instant notBefore = instance.notBefore();
        if (!now.isBefore(notBefore)) {
            return;
        }
        Duration left = Duration.between(now, notBefore);
        if (left.compareTo(instance.rateLimitWait()) > 0) {
            throw new RateLimitedException("Telegram asked this bot to wait before sending: the reply goes out after "
                    + (left.toSeconds() + 1) + " s");
        }
        TimeUnit.MILLISECONDS.sleep(left.toMillis());
    }

    /**
     * Cuts a text into parts of at most {@code max} UTF-16 code units: at the last line break or space in the part's
     * second half when there is one, else where it is full, never inside a surrogate pair.
     */
    static List<String> split(String text, int max) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (text.length() - start > max) {
            int end = start + max;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            int cut = -1;
            for (int i = end; i > start + max / 2; i--) {
                char c = text.charAt(i - 1);
                if (c == '\n' || c == ' ') {
                    cut = i;
                    break;
                }
            }
            if (cut > 0) {
                end = cut;
            }
            parts.add(text.substring(start, end));
            start = end;
        }
        parts.add(text.substring(start));
        return parts;
    }
}
