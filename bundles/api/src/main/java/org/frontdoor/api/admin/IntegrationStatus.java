package org.frontdoor.api.admin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A department integration (a webhook, Slack, an e-mail digest, a lead export) as the console and the REST API show
 * it. Each configured integration registers one of these as an OSGi service, so {@code frontdoor:integration-list}
 * and {@code GET /api/v1/integrations} list them without depending on their bundles; the position and backlog of
 * its events consumer come from {@link PipelineStatus#eventConsumers()} under {@link IntegrationInfo#consumer()}.
 */
@ConsumerType
public interface IntegrationStatus {

    /** The service property naming the integration instance ({@code <kind>-<name>}). */
    String NAME = "frontdoor.integration";

    /** What the integration is doing now: a snapshot, safe to show (no secret, no URL path or query). */
    IntegrationInfo info();
}
