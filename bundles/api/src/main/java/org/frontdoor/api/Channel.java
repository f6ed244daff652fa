package org.frontdoor.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One configured door: a channel bundle registers one such service per instance (whiteboard).
 * Service properties {@link #CHANNEL} and {@link #INSTANCE} carry the same values as the methods.
 *
 * <p>Core sends a door's replies only while its service is registered and its {@link #health()} is {@code UP} or
 * {@code DEGRADED}: replies to a door that is {@code DOWN}, {@code AUTH_EXPIRED} or not configured wait, without using
 * up their attempts. Each door has its own delivery worker, so a slow peer holds up no other door.
 */
@ConsumerType
public interface Channel {

    /** Service property naming the channel id. */
    String CHANNEL = "frontdoor.channel";

    /** Service property naming the channel instance. */
    String INSTANCE = "frontdoor.instance";

    /**
     * Optional service property: how many replies of this door are sent at once (an Integer, or a String holding
     * one); core's {@code replyConcurrency} when absent.
     */
    String REPLY_CONCURRENCY = "frontdoor.reply.concurrency";

    /**
     * Optional service property: after how many failed attempts a reply of this door is given up and marked
     * {@code FAILED}; core's {@code replyMaxAttempts} when absent.
     */
    String REPLY_MAX_ATTEMPTS = "frontdoor.reply.maxAttempts";

    /**
     * Optional service property: the most seconds one send of this door may take (an Integer, or a String holding
     * one); core's {@code replySendDeadlineSeconds} when absent. Past it core interrupts the send and records a
     * passing failure once the send returns; the door's claim on the reply is always longer, and renewed while the
     * send runs, so no other node sends the reply meanwhile.
     */
    String REPLY_DEADLINE_SECONDS = "frontdoor.reply.deadlineSeconds";

    /**
     * Optional service property: the most messages (SMS segments, posts of a thread) one reply of this segmenting door
     * may become (an Integer, or a String holding one), from 1 to core's own limit of 10, which applies when it is
     * absent. Core refuses a longer reply before it is queued, saying how much to cut.
     */
    String REPLY_MAX_SEGMENTS = "frontdoor.reply.maxSegments";

    /** Channel id, such as {@code api} or {@code email}. */
    String id();

    /** Instance name, such as {@code demo} or {@code support}. */
    String instance();

    /** What the channel can carry. */
    ChannelCapabilities capabilities();

    /**
     * Current health. Must be cheap: it is called by consoles and before each send. An admin must be able to act on
     * the reason of a door that is not {@code UP} ("the mailbox password was refused: set password in ...").
     */
    ChannelHealth health();
}
