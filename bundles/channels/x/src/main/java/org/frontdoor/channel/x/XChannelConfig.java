package org.frontdoor.channel.x;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor X channel instance",
        description = "One X account: Account Activity webhooks at /webhooks/x/<instance> (mentions, replies and "
                + "direct messages in), posts and direct messages out; one file per account, "
                + "etc/org.frontdoor.channel.x-<instance>.cfg")
@interface XChannelConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'x-'")
    String instance() default "";

    @AttributeDefinition(description = "The X user id (a number) of the account this door answers for; events "
            + "delivered for another account are not stored. Blank: the for_user_id of each delivery is taken")
    String accountId() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The X app's consumer secret (API key secret): answers the CRC and checks "
                    + "x-twitter-webhooks-signature. Without it the door takes no webhooks")
    String consumerSecret();

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "OAuth 2.0 user-context access token of the account (scopes tweet.write, dm.write, "
                    + "users.read, tweet.read, dm.read, offline.access; tweet.moderate.write to let admins hide "
                    + "replies): replies are posted with it")
    String accessToken();

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "OAuth 2.0 refresh token: when X answers 401, a new access token is asked for with it "
                    + "(and clientId). Blank: a 401 makes the door AUTH_EXPIRED until a new accessToken is set")
    String refreshToken();

    @AttributeDefinition(description = "OAuth 2.0 client id of the X app, for the token refresh")
    String clientId() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "OAuth 2.0 client secret of the X app (confidential clients), for the token refresh")
    String clientSecret();

    @AttributeDefinition(description = "Where X's API is; tests and proxies set another")
    String baseUrl() default "https://api.x.com";

    @AttributeDefinition(description = "Longest post, as X counts it (280; longer for Premium accounts). A longer "
            + "public reply becomes a thread of posts", min = "1")
    int maxPostLength() default 280;

    @AttributeDefinition(description = "Largest accepted webhook body, in bytes", min = "1")
    int maxBodyBytes() default 1_048_576;

    @AttributeDefinition(description = "Seconds to wait for X's answer to a reply", min = "1")
    int requestTimeoutSeconds() default 10;

    @AttributeDefinition(description = "After X refused the token (401) and no refresh worked, seconds the door "
            + "reports AUTH_EXPIRED (core holds its replies) before replies are tried again; a changed "
            + "configuration tries at once", min = "1")
    int authRetrySeconds() default 300;

    @AttributeDefinition(description = "Largest photo, GIF or video of a post or direct message fetched from X and "
            + "kept, in bytes; a larger one is shown as sent, without its content", min = "0")
    long maxAttachmentBytes() default 20_971_520L;

    @AttributeDefinition(description = "Hosts media are fetched from over https, with the account's token as "
            + "Bearer header (never in the URL); media elsewhere stay on X, shown as sent")
    String mediaHosts() default "pbs.twimg.com,video.twimg.com,ton.twitter.com";
}
