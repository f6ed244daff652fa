package org.frontdoor.channel.telegram;

import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import javax.servlet.Servlet;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.plugin.http.AsyncWebhookServlet;
import org.frontdoor.plugin.media.MediaFetches;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * {@code POST /webhooks/telegram/{instance}}: registered while the channel's CamelContext runs. Asynchronous: while a
 * message waits for its group to commit, no request thread waits with it; the answer is written by whoever completes
 * the ingest.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/webhooks/telegram/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-channel-telegram"})
public class TelegramWebhookServlet extends AsyncWebhookServlet {

    private static final long serialVersionUID = 1L;

    private final transient TelegramChannelRuntime runtime;
    private final transient TelegramWebhook handler;
    private final transient MediaFetches fetches;

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    @Activate
    public TelegramWebhookServlet(@Reference TelegramChannelRuntime runtime,
                                  @Reference ConfigurationAdmin configurations, @Reference Blobs blobs) {
        this.runtime = runtime;
        this.fetches = new MediaFetches(TelegramInstance.CHANNEL_ID, blobs, BotApi::maskTokens);
        this.handler = new TelegramWebhook(runtime::instance, name -> isConfigured(configurations, name),
                runtime::ingest, TelegramWebhook.fetchingInto(blobs), fetches);
    }

    @Deactivate
    void deactivate() {
        fetches.close();
    }

    /** Whether a factory configuration names this instance, whether or not it could be activated. */
    static boolean isConfigured(ConfigurationAdmin configurations, String name) {
        return isConfigured(configurations, TelegramInstance.FACTORY_PID, name, (explicit, properties) ->
                FactoryConfigurations.instanceName(explicit, TelegramInstance.FACTORY_PID, properties, "channel"));
    }

    @Override
    protected OptionalInt maxBodyBytes(String instanceName) {
        TelegramInstance instance = runtime.instance(instanceName);
        return instance == null ? OptionalInt.empty() : OptionalInt.of(instance.maxBodyBytes());
    }

    @Override
    protected CompletionStage<TelegramWebhook.Result> handle(String instanceName, Function<String, String> headers,
                                                             byte[] body) {
        return handler.handle(instanceName, headers, body);
    }
}
