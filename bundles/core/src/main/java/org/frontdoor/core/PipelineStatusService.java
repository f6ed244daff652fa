package org.frontdoor.core;

import java.util.List;
import java.util.NoSuchElementException;

import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;
import org.frontdoor.store.EventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pipeline's rules and the event log's consumers, for the console. */
@Component(service = PipelineStatus.class)
public class PipelineStatusService implements PipelineStatus {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineStatusService.class);

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
        return events.consumers().stream().map(PipelineStatusService::info).toList();
    }

    @Override
    public EventConsumerInfo resetEventConsumer(String name, long position) {
        if (position < END) {
            throw new IllegalArgumentException("a position is 0 or more (or END, -1): " + position);
        }
        EventConsumerInfo reset = events.resetConsumer(name, position).map(PipelineStatusService::info)
                .orElseThrow(() -> new NoSuchElementException("No events consumer " + name));
        LOG.info("Events consumer {} reset to position {}", name, reset.position());
        pipeline.eventConsumers().recheck(name);
        return reset;
    }

    static EventConsumerInfo info(EventStore.ConsumerState c) {
        return new EventConsumerInfo(c.name(), c.position(), c.behind(), c.owner(), c.leaseUntil(), c.lastError(),
                c.updatedAt(), c.generation(), c.gapFrom(), c.gapTo(), c.filter().typeIds(), c.filter().department());
    }
}
