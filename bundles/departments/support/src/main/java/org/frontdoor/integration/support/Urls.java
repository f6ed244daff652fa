package org.frontdoor.integration.support;

import java.net.URI;

/** URLs as configured and as shown. */
public final class Urls {

    private Urls() {
    }

    /**
     * The configured URL, checked: http or https with a host.
     *
     * @throws IllegalArgumentException with a sentence naming the setting (never the URL: it may carry a token)
     */
    public static URI parse(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + " is not set");
        }
        URI url;
        try {
            url = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not a valid URL");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException(setting + " must be an http or https URL with a host");
        }
        return url;
    }

    /** Scheme, host and port: a Slack webhook's path is its secret, a CRM's query may hold a key. */
    public static String forPeople(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        return url.getScheme() + "://" + url.getHost() + ":" + port;
    }
}
