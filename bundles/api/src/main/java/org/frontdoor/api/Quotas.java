package org.frontdoor.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Counts kept in the database, so a limit holds across every node: a door bounds what one network address may start
 * (new web chat visitors per minute). Published by core as an OSGi service.
 */
@ProviderType
public interface Quotas {

    /**
     * Counts one use of {@code key} in the current fixed window of length {@code window}, unless {@code limit} uses
     * are counted there already.
     *
     * @param key what is limited, such as {@code webchat-visitors:shop:203.0.113.9}; stored only as a hash
     * @return whether the use was counted (false: the limit is reached, try again in the next window)
     */
    boolean tryTake(Caller caller, String key, int limit, Duration window);
}
