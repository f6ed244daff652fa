package org.frontdoor.core;

import java.util.List;

import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;
import org.frontdoor.store.EventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The pipeline's rules and the event log's consumers, for the console. */
@Component(service = PipelineStatus.class)
public class PipelineStatusService implements PipelineStatus {

    private final Pipeline pipeline;
    private final EventStore events;

    @Activate
    public PipelineStatusService(@Reference Pipeline pipeline, @Reference EventStore events) {
        this.pipeline = pipeline;
        this.events = events;
    }

    @Override
    public List<RuleInfo> rules() {
        return pipeline.rules().ordered().stream().map(e -> new RuleInfo(RuleRegistry.name(e.rule()), e.ranking(),
                e.serviceId(), e.bundle())).toList();
    }

    @Override
    public List<EventConsumerInfo> eventConsumers() {
        long head = events.head();
        return events.consumers().stream().map(c -> new EventConsumerInfo(c.name(), c.position(),
                Math.max(0, head - c.position()), c.owner(), c.leaseUntil(), c.lastError(), c.updatedAt())).toList();
    }
}
