package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "${channelName} channel",
        description = "Signed JSON webhooks in at /webhooks/${channelName}/<instance>; one file per instance, "
                + "etc/${groupId}.channel.${channelName}-<instance>.cfg")
@interface ChannelConfig {

    @AttributeDefinition(type = AttributeType.PASSWORD, required = false,
            description = "HMAC-SHA256 key shared with the sender; prefer secretEnv, which keeps it out of etc/")
    String secret() default "";

    @AttributeDefinition(required = false, description = "An environment variable holding the key")
    String secretEnv() default "";

    @AttributeDefinition(description = "Largest clock difference accepted, in seconds", min = "1")
    int maxSkewSeconds() default 300;
}
