package org.frontdoor.channel.meta;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor Meta channel instance",
        description = "One Meta app with its Facebook Page, Instagram account and WhatsApp number: one webhook at "
                + "/webhooks/meta/<instance> for Messenger, Instagram and the WhatsApp Cloud API (messages and "
                + "comments in), Graph API replies out; one file per app, etc/org.frontdoor.channel.meta-<instance>.cfg")
@interface MetaChannelConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'meta-'")
    String instance() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The Meta app's App Secret (App settings > Basic): checks X-Hub-Signature-256 of every "
                    + "delivery. Without it the door takes no webhooks")
    String appSecret();

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The Verify Token typed into the app's Webhooks product: the GET verification "
                    + "(hub.verify_token) must match it. Without it the verification is refused")
    String verifyToken();

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The access token replies are sent with (a Page access token for Messenger and Instagram, "
                    + "a System User token for WhatsApp, or one that holds both), as a Bearer header")
    String accessToken();

    @AttributeDefinition(description = "The Facebook Page id: the Page's own messages and comments are not stored. "
            + "Blank: taken from each delivery (entry.id)")
    String pageId() default "";

    @AttributeDefinition(description = "The Instagram professional account id: its own comments are not stored. "
            + "Blank: taken from each delivery (entry.id)")
    String instagramAccountId() default "";

    @AttributeDefinition(description = "Approved WhatsApp message templates an agent may send outside the 24-hour "
            + "customer-service window, each name:language (order_update:en_US), comma separated")
    String[] whatsappTemplates() default {};

    @AttributeDefinition(description = "Where the Graph API is; tests and proxies set another")
    String baseUrl() default "https://graph.facebook.com";

    @AttributeDefinition(description = "The Graph API version in the path of each call")
    String graphVersion() default "v21.0";

    @AttributeDefinition(description = "Longest reply, in characters; a longer one is refused before it is queued. "
            + "1000 fits every side (an Instagram message takes 1000, Messenger 2000, WhatsApp 4096, an "
            + "Instagram comment 2200, a Page comment 8000); a larger value is still held to each side's own limit",
            min = "1")
    int maxReplyLength() default 1000;

    @AttributeDefinition(description = "Largest picture, video, voice message or document fetched from Meta and "
            + "kept, in bytes; a larger one is shown as sent, without its content", min = "0")
    long maxAttachmentBytes() default 26_214_400L;

    @AttributeDefinition(description = "Largest accepted webhook body, in bytes", min = "1")
    int maxBodyBytes() default 1_048_576;

    @AttributeDefinition(description = "Seconds to wait for the Graph API's answer to a reply", min = "1")
    int requestTimeoutSeconds() default 10;

    @AttributeDefinition(description = "After Meta refused the token (code 190), seconds the door reports "
            + "AUTH_EXPIRED (core holds its replies) before replies are tried again; a changed configuration tries "
            + "at once", min = "1")
    int authRetrySeconds() default 300;
}
