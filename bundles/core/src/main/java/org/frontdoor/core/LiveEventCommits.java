package org.frontdoor.core;

import org.frontdoor.api.live.EventCommits;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** This node's commits of events, told to live views (the REST API's event streams) as they are to core's consumers. */
@Component(service = EventCommits.class)
public class LiveEventCommits implements EventCommits {

    private final Pipeline pipeline;

    @Activate
    public LiveEventCommits(@Reference Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Subscription listen(Runnable listener) {
        // each subscription its own Runnable, so one listener given twice is two subscriptions
        Runnable own = listener::run;
        pipeline.listen(own);
        return () -> pipeline.unlisten(own);
    }
}
