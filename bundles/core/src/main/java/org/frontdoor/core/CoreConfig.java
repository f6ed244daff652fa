package org.frontdoor.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Core's settings. Every one applies while the pipeline runs: a change in {@code etc/org.frontdoor.core.cfg} is taken
 * by the next group, batch or attempt, and neither the pipeline nor the {@code frontdoor:} component restarts.
 */
@ObjectClassDefinition(name = "Frontdoor core", description = "The pipeline: ingest, routing, the reply outbox and the "
        + "event log")
public @interface CoreConfig {

    @AttributeDefinition(description = "Department that receives conversations no routing rule claims")
    String defaultDepartment() default "support";

    @AttributeDefinition(description = "This node's name in claims and leases; empty for one generated at first start "
            + "and kept in data/frontdoor/node-name. Two nodes on one database must have different names")
    String nodeName() default "";

    @AttributeDefinition(description = "Most messages stored in one transaction (group commit)", min = "1", max = "1000")
    int ingestBatchSize() default 256;

    @AttributeDefinition(description = "Ingest writers, each with its own database connection; an author's messages "
            + "(a thread's, when they name one) always go to the same one", min = "1", max = "16")
    int ingestWriters() default 2;

    @AttributeDefinition(description = "Messages waiting for each writer; when they are full a channel is answered "
            + "503 at once", min = "1")
    int ingestQueueCapacity() default 20000;

    @AttributeDefinition(description = "Seconds a channel waits for its message to be stored before it answers 503; "
            + "also the longest a statement of ingest may run", min = "1")
    int ingestTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Milliseconds ingest waits for a conversation another transaction holds before "
            + "it stores the rest of the group and defers that conversation's messages (503)", min = "1")
    int ingestLockWaitMillis() default 2000;

    @AttributeDefinition(description = "Conversations routed per transaction", min = "1", max = "1000")
    int routingBatchSize() default 200;

    @AttributeDefinition(description = "Seconds a pipeline holds the conversations it routes before another may take "
            + "them", min = "5")
    int routingClaimSeconds() default 60;

    @AttributeDefinition(description = "Milliseconds each classifier may take per message before it is left out",
            min = "1")
    int classifierTimeoutMillis() default 2000;

    @AttributeDefinition(description = "Seconds before the first retry of a reply that failed; doubles on each failure",
            min = "1")
    int retryInitialSeconds() default 1;

    @AttributeDefinition(description = "Longest wait between two attempts at sending a reply, in seconds", min = "1")
    int retryMaxSeconds() default 300;

    @AttributeDefinition(description = "Attempts before a reply is given up (FAILED); a door may set its own with "
            + "the service property frontdoor.reply.maxAttempts", min = "1")
    int replyMaxAttempts() default 100;

    @AttributeDefinition(description = "Replies of one door sent at once; a door may set its own with the service "
            + "property frontdoor.reply.concurrency", min = "1", max = "64")
    int replyConcurrency() default 4;

    @AttributeDefinition(description = "Seconds a delivery worker holds a reply it sends before another may take it, "
            + "renewed every third of it while the send runs; at least one and a half send deadlines", min = "10")
    int replyClaimSeconds() default 300;

    @AttributeDefinition(description = "Most seconds one send may take before it is interrupted and retried later; a "
            + "door may set its own with the service property frontdoor.reply.deadlineSeconds", min = "1")
    int replySendDeadlineSeconds() default 120;

    @AttributeDefinition(description = "Hours events are kept in the log once every events consumer has read them; "
            + "what a consumer has not read is kept longer, up to eventRetentionMaxHours", min = "1")
    int eventRetentionHours() default 168;

    @AttributeDefinition(description = "Hours events are kept at most, read or not: past them an events consumer that "
            + "was away misses what is deleted, and is told (frontdoor:event-consumer-list, header "
            + "FrontdoorEventsMissed on its next delivery); never less than eventRetentionHours", min = "1")
    int eventRetentionMaxHours() default 720;

    @AttributeDefinition(description = "Milliseconds between two looks at the event log for events committed by "
            + "other nodes (this node's wake its consumers at once)", min = "10")
    int eventPollMillis() default 1000;
}
