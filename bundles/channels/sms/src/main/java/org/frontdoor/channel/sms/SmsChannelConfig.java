package org.frontdoor.channel.sms;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor SMS and voice channel instance",
        description = "One Twilio-compatible number or account: texts, missed calls and voicemails by signed webhook "
                + "at POST /webhooks/sms/<instance>, replies through the Messages API; one file per number, "
                + "etc/org.frontdoor.channel.sms-<instance>.cfg")
@interface SmsChannelConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'sms-'")
    String instance() default "";

    @AttributeDefinition(description = "The account's SID (AC followed by 32 hexadecimal digits): the user name of "
            + "HTTP Basic and part of every API path")
    String accountSid();

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The account's Auth Token: the password of HTTP Basic and the key of X-Twilio-Signature. "
                    + "Never logged")
    String authToken();

    @AttributeDefinition(description = "The number replies are sent from, in E.164 (+14155552671); blank when "
            + "messagingServiceSid is set")
    String fromNumber() default "";

    @AttributeDefinition(description = "A Messaging Service (MG...) to send replies through instead of fromNumber")
    String messagingServiceSid() default "";

    @AttributeDefinition(description = "The phones agents answer callback calls on, as login=+E.164 entries "
            + "(jane=+14155552671,bob=+442071838750); a call asked without a phone rings the agent's entry. Calls "
            + "go from fromNumber")
    String[] agentPhones() default {};

    @AttributeDefinition(description = "The public address Twilio posts to, exactly as set in its console "
            + "(https://crm.example.com/webhooks/sms/<instance>): the signature covers it, and behind a proxy the "
            + "address this server sees differs. Blank: the address of the request as received")
    String publicUrl() default "";

    @AttributeDefinition(description = "Where the API is (tests and compatible providers set another)")
    String apiBaseUrl() default "https://api.twilio.com";

    @AttributeDefinition(description = "Country calling code (digits, such as 1 or 44) for numbers that come "
            + "without one, in national form; blank: such numbers are kept as sent")
    String defaultCountryCode() default "";

    @AttributeDefinition(description = "The most SMS segments one reply may become (1 to 10); a longer reply is "
            + "refused with how much to cut", min = "1", max = "10")
    int maxSegments() default 10;

    @AttributeDefinition(description = "Largest MMS picture or voicemail recording fetched and kept, in bytes; a "
            + "larger one is shown as sent, without its content", min = "0")
    long maxAttachmentBytes() default 10_485_760L;

    @AttributeDefinition(description = "Largest accepted webhook body, in bytes", min = "1")
    int maxBodyBytes() default 65_536;

    @AttributeDefinition(description = "Seconds to wait for the API's answer", min = "1")
    int requestTimeoutSeconds() default 10;

    @AttributeDefinition(description = "After 429, the longest Retry-After (seconds) a send waits for before it "
            + "sends; a longer one gives the reply back to be retried after it", min = "0")
    int rateLimitWaitSeconds() default 10;

    @AttributeDefinition(description = "After the API refused the credentials (401), seconds the instance reports "
            + "AUTH_EXPIRED (core holds its replies) before replies are tried again; a new cfg tries at once",
            min = "1")
    int authRetrySeconds() default 300;
}
