package org.frontdoor.store;

import java.util.List;

import org.frontdoor.api.Message;

/** Ingest's side of the database: groups of inbound messages, each group one transaction. */
public interface IngestStore {

    /**
     * Stores a group of inbound messages in one transaction (group commit): dedupes on channel instance + external id,
     * identifies the author (same handle on the same channel = same identity), and opens or joins a conversation (the
     * door's thread when the message names one, else the author's conversation on the door). A message on a resolved
     * conversation reopens it. The group's events (created, message-added, reopened) and audit rows are written in the
     * same transaction. Results are in the order of the messages.
     *
     * <p>A message whose conversation another transaction holds locked for longer than {@code lockWaitMillis} is not
     * stored: its result is {@link Ingested#deferred}, and the rest of the group is stored.
     *
     * @throws StoreUnavailableException when the database cannot be reached or does not answer in time: nothing of the
     *                                   group is stored, and trying each message alone would not help
     * @throws StoreConflictException    when another transaction stored the same rows at the same time: nothing is
     *                                   stored, and trying the group again will see them
     * @throws RuntimeException          any other failure is in the group's data: nothing is stored
     */
    List<Ingested> ingest(List<Message> messages, IngestLimits limits);
}
