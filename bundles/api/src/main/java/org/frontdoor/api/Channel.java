package org.frontdoor.api;

/**
 * One configured door: a channel bundle registers one such service per instance (whiteboard).
 * Service properties {@link #CHANNEL} and {@link #INSTANCE} carry the same values as the methods.
 */
public interface Channel {

    /** Service property naming the channel id. */
    String CHANNEL = "frontdoor.channel";

    /** Service property naming the channel instance. */
    String INSTANCE = "frontdoor.instance";

    /** Channel id, such as {@code api} or {@code email}. */
    String id();

    /** Instance name, such as {@code demo} or {@code support}. */
    String instance();

    /** What the channel can carry. */
    ChannelCapabilities capabilities();

    /** Current health. Must be cheap: it is called by consoles and before each send. */
    ChannelHealth health();
}
