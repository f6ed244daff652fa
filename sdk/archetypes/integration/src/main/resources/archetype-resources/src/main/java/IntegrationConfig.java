package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "${integrationName} department integration",
        description = "A department's conversation events POSTed as JSON to a peer; one file per instance, "
                + "etc/${groupId}.integration.${integrationName}-<name>.cfg")
@interface IntegrationConfig {

    @AttributeDefinition(description = "Where each event is POSTed (http or https)")
    String url();

    @AttributeDefinition(required = false, description = "Only this department's events; blank for all")
    String department() default "";

    @AttributeDefinition(description = "Event types delivered, comma separated ids")
    String types() default "routed,transferred,resolved";

    @AttributeDefinition(description = "Seconds to wait for the peer's answer", min = "1")
    int timeoutSeconds() default 10;
}
