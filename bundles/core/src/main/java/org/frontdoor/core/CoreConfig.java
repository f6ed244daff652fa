package org.frontdoor.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor core", description = "The pipeline: ingest, routing and the reply outbox")
public @interface CoreConfig {

    @AttributeDefinition(description = "Department that receives conversations no routing rule claims")
    String defaultDepartment() default "support";

    @AttributeDefinition(description = "Most messages stored in one transaction (group commit)", min = "1", max = "1000")
    int ingestBatchSize() default 256;

    @AttributeDefinition(description = "Ingest writers, each with its own database connection; an author's messages "
            + "always go to the same one", min = "1", max = "16")
    int ingestWriters() default 2;

    @AttributeDefinition(description = "Seconds a channel waits for its message to be stored before it answers 503", min = "1")
    int ingestTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Conversations routed per transaction", min = "1", max = "1000")
    int routingBatchSize() default 200;

    @AttributeDefinition(description = "Seconds before the first retry of a reply that failed; doubles on each failure", min = "1")
    int retryInitialSeconds() default 1;

    @AttributeDefinition(description = "Longest wait between two attempts at sending a reply, in seconds", min = "1")
    int retryMaxSeconds() default 300;
}
