package org.frontdoor.store;

/**
 * A door: a channel and one of its configured instances.
 *
 * @param channel  channel id
 * @param instance instance name
 */
public record Door(String channel, String instance) {

    @Override
    public String toString() {
        return channel + "/" + instance;
    }
}
