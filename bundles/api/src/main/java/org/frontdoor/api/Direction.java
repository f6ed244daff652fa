package org.frontdoor.api;

/** Whether a message came from a customer or was sent to one. */
public enum Direction {
    INBOUND,
    OUTBOUND
}
