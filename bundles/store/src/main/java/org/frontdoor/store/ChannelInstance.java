package org.frontdoor.store;

/**
 * A channel and one of its configured instances.
 *
 * @param channel  channel id
 * @param instance instance name
 */
public record ChannelInstance(String channel, String instance) {
}
