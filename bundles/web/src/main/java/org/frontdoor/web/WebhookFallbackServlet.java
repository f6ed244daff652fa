package org.frontdoor.web;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/**
 * {@code /webhooks/*} while no channel bundle serves the path (a channel registers a longer pattern such as
 * {@code /webhooks/api/*}, which wins): 503 with Retry-After, so senders retry instead of dropping the event
 * as they would on a 404. This covers a channel's feature being removed, updated or restarted.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/webhooks/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-webhook-fallback"})
public class WebhookFallbackServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String RETRY_AFTER_SECONDS = "30";

    /** The one answer, whatever the method and path below {@code /webhooks}. */
    static final Reply ANSWER = Reply.error(503, "no channel is installed for this path")
            .with("Retry-After", RETRY_AFTER_SECONDS);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiServlet.write(response, ANSWER);
    }
}
