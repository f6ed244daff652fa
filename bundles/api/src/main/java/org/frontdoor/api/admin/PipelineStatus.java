package org.frontdoor.api.admin;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The pipeline as an administrator sees it: an OSGi service published by core. */
@ProviderType
public interface PipelineStatus {

    /** The routing rules, in the order they are asked (highest ranking first). */
    List<RuleInfo> rules();

    /** The named consumers of the event log, by name. */
    List<EventConsumerInfo> eventConsumers();
}
