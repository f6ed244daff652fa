package org.frontdoor.channel.xmpp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Frontdoor XMPP channel instance",
        description = "One XMPP account on the company's XMPP server that customers chat with; one file per "
                + "instance, etc/org.frontdoor.channel.xmpp-<instance>.cfg")
@interface XmppChannelConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'xmpp-'")
    String instance() default "";

    @AttributeDefinition(description = "The door's account as a bare JID, such as support@chat.example.com. "
            + "Instead of it, username and domain")
    String jid() default "";

    @AttributeDefinition(description = "The account's user name (local part), when jid is not set")
    String username() default "";

    @AttributeDefinition(description = "The XMPP domain of the account, when jid is not set")
    String domain() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "The account's password")
    String password() default "";

    @AttributeDefinition(description = "Host name or address of the XMPP server; empty: the domain's DNS SRV "
            + "records (_xmpp-client._tcp), else the domain itself")
    String host() default "";

    @AttributeDefinition(description = "Client-to-server port", min = "1", max = "65535")
    int port() default 5222;

    @AttributeDefinition(description = "TLS: required (STARTTLS must succeed, the certificate must be valid for "
            + "the domain), ifpossible (STARTTLS when the server offers it), disabled (never: loopback and test "
            + "servers only: messages travel in clear; the password is then used only by SCRAM-SHA-1, never sent by PLAIN)",
            options = {@Option(label = "required", value = "required"), @Option(label = "ifpossible", value = "ifpossible"),
                    @Option(label = "disabled", value = "disabled")})
    String securityMode() default "required";

    @AttributeDefinition(description = "The resource this door binds (the part after '/' of its full JID)")
    String resource() default "frontdoor";

    @AttributeDefinition(description = "Status text of the door's presence, shown to customers who see it online")
    String presenceStatus() default "We answer here";

    @AttributeDefinition(description = "Seconds before the first attempt to connect again after a lost or failed "
            + "connection; doubled after each failure up to reconnectMaxSeconds", min = "1")
    int reconnectMinSeconds() default 2;

    @AttributeDefinition(description = "Longest wait between two attempts to connect, in seconds; also the pace of "
            + "new attempts after the server refused the password", min = "1")
    int reconnectMaxSeconds() default 60;

    @AttributeDefinition(description = "Seconds to wait for the server when connecting, logging in and sending",
            min = "1")
    int timeoutSeconds() default 30;

    @AttributeDefinition(description = "Incoming messages kept in memory while core cannot take them in (they are "
            + "retried with backoff); when full, the door goes offline so that the server keeps new messages in its "
            + "offline storage until the queue has room again", min = "1")
    int inboundQueueSize() default 1000;

    @AttributeDefinition(description = "Replies sent at once (1 keeps them in order)", min = "1")
    int replyConcurrency() default 1;

    @AttributeDefinition(description = "Attempts of a reply before it is marked FAILED", min = "1")
    int replyMaxAttempts() default 20;
}
