package org.frontdoor.channel.telegram;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor Telegram channel instance",
        description = "One Telegram bot: updates by webhook at POST /webhooks/telegram/<instance>, replies by "
                + "sendMessage; one file per bot, etc/org.frontdoor.channel.telegram-<instance>.cfg")
@interface TelegramChannelConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'telegram-'")
    String instance() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The bot's token from @BotFather (123456:ABC-...). It is part of every Bot API URL, so "
                    + "those URLs are never logged")
    String token();

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The secret_token given to setWebhook, which Telegram sends back in "
                    + "X-Telegram-Bot-Api-Secret-Token: 1 to 256 of A-Z, a-z, 0-9, '_' and '-'. Leave it blank with "
                    + "generateSecret = true to have one generated")
    String secretToken();

    @AttributeDefinition(description = "When secretToken is blank: generate one at first start into "
            + "frontdoor/secrets/channel-telegram-<instance>.secret under the Karaf data directory (readable by its "
            + "owner only) and read it from there on later starts")
    boolean generateSecret() default true;

    @AttributeDefinition(description = "The public https address Telegram posts updates to, ending in "
            + "/webhooks/telegram/<instance>; the channel calls setWebhook with it at start. Blank: no setWebhook "
            + "(set it yourself, with the same secret token)")
    String webhookUrl() default "";

    @AttributeDefinition(description = "Where the Bot API is (tests and a local Bot API server set another)")
    String apiBaseUrl() default "https://api.telegram.org";

    @AttributeDefinition(description = "The bot's username without '@', for mentions in groups and channels; blank: "
            + "asked from getMe at start")
    String botUsername() default "";

    @AttributeDefinition(description = "The update types given to setWebhook as allowed_updates, comma-separated")
    String allowedUpdates() default "message,edited_message,channel_post,edited_channel_post";

    @AttributeDefinition(description = "Call deleteWebhook when the instance stops (its cfg removed or the feature "
            + "uninstalled). Off by default: Telegram then keeps the updates and redelivers them when it returns")
    boolean deleteWebhookOnStop() default false;

    @AttributeDefinition(description = "Largest accepted update body, in bytes", min = "1")
    int maxBodyBytes() default 1_048_576;

    @AttributeDefinition(description = "Largest photo or document fetched from Telegram and kept, in bytes (the "
            + "Bot API serves files up to 20 MB); a larger one is shown as sent, without its content", min = "0")
    long maxAttachmentBytes() default 20_971_520L;

    @AttributeDefinition(description = "Seconds to wait for the Bot API's answer", min = "1")
    int requestTimeoutSeconds() default 10;

    @AttributeDefinition(description = "After Telegram answered 429, the longest retry_after (seconds) a send waits "
            + "for before it sends; a longer one gives the reply back to be retried after it", min = "0")
    int rateLimitWaitSeconds() default 10;

    @AttributeDefinition(description = "After Telegram refused the token (401), seconds the instance reports "
            + "AUTH_EXPIRED (core holds its replies) before replies are tried again; a new cfg tries at once",
            min = "1")
    int authRetrySeconds() default 300;
}
