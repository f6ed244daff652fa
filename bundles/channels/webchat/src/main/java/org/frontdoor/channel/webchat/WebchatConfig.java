package org.frontdoor.channel.webchat;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor web chat instance",
        description = "One chat widget (one per company site): <script src=\"https://<frontdoor>/webchat/<instance>/widget.js\" "
                + "async></script>; one file per instance, etc/org.frontdoor.channel.webchat-<instance>.cfg")
@interface WebchatConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'webchat-'")
    String instance() default "";

    @AttributeDefinition(description = "Origins of the sites that may embed the widget, such as https://www.example.com "
            + "(scheme, host and port exactly as the browser sends them; a comma-separated list in a cfg file). Without "
            + "one the instance is DOWN and refuses every visitor")
    String[] allowedOrigins() default {};

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "HMAC-SHA256 key that signs visitor tokens. Leave it blank to have one generated at first start "
                    + "into frontdoor/secrets/channel-webchat-<instance>.secret under the Karaf data directory")
    String tokenSecret() default "";

    @AttributeDefinition(description = "Days a visitor token stays valid after it was issued; a visitor with an "
            + "older one starts a new conversation", min = "1")
    int tokenMaxAgeDays() default 365;

    @AttributeDefinition(description = "Longest message a visitor may send, in characters (code points)", min = "1")
    int maxMessageChars() default 4000;

    @AttributeDefinition(description = "Messages one visitor may send per minute; more are refused with a reason the "
            + "widget shows", min = "1")
    int messagesPerMinute() default 20;

    @AttributeDefinition(description = "Messages all visitors behind one client address may send per minute together",
            min = "1")
    int addressMessagesPerMinute() default 120;

    @AttributeDefinition(description = "Open connections (WebSocket and waiting polls) one client address may hold",
            min = "1")
    int connectionsPerAddress() default 50;

    @AttributeDefinition(description = "New visitor tokens one client address may obtain per minute, counted in the "
            + "database so the limit holds across nodes", min = "1")
    int visitorsPerAddressPerMinute() default 10;

    @AttributeDefinition(description = "Header holding the client's address when Frontdoor runs behind a reverse proxy "
            + "(such as X-Forwarded-For: its first entry is used); blank uses the connection's address. Set it only when "
            + "every request passes through that proxy")
    String clientAddressHeader() default "";

    @AttributeDefinition(description = "Most messages and replies a visitor sees again when the widget reconnects",
            min = "1")
    int historyLimit() default 200;

    @AttributeDefinition(description = "Title of the chat window")
    String title() default "Chat with us";

    @AttributeDefinition(description = "Instance of the e-mail door (channel 'email') that sends the code a visitor "
            + "types to confirm the e-mail address they gave; blank: the widget offers no confirmation")
    String confirmVia() default "";

    @AttributeDefinition(description = "Minutes a confirmation code stays valid", min = "1")
    int confirmCodeMinutes() default 15;

    @AttributeDefinition(description = "Wrong codes after which a confirmation is locked: the visitor must ask for a "
            + "new code", min = "1")
    int confirmAttempts() default 5;

    @AttributeDefinition(description = "Confirmation codes one e-mail address may receive per hour, whoever asks "
            + "(counted across nodes); more requests are refused with the reason", min = "1")
    int confirmCodesPerAddressPerHour() default 3;

    @AttributeDefinition(description = "Confirmation codes one visitor may ask for per hour, to any addresses "
            + "(counted across nodes)", min = "1")
    int confirmCodesPerVisitorPerHour() default 5;

    @AttributeDefinition(description = "Seconds after a visitor left the chat (no chat window open) from which an "
            + "agent's reply also goes by e-mail, through the e-mail door instance confirmVia, to the address the visitor "
            + "confirmed; 0: replies wait in the chat only", min = "0")
    int emailWhenGoneAfterSeconds() default 120;
}
