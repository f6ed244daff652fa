package org.frontdoor.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message as it came through a door (or left through one), normalized by its channel. Immutable.
 * The pair ({@link #channel()} + {@link #instance()}, {@link #externalId()}) is the dedupe key: the store
 * keeps each such message exactly once.
 */
public final class Message {

    private final String channel;
    private final String instance;
    private final String externalId;
    private final Direction direction;
    private final Visibility visibility;
    private final Identity author;
    private final String threadRef;
    private final String text;
    private final List<Attachment> attachments;
    private final Instant receivedAt;
    private final String rawPayload;
    private final List<Annotation> annotations;

    private Message(Builder b) {
        this.channel = require(b.channel, "channel");
        this.instance = require(b.instance, "instance");
        this.externalId = require(b.externalId, "externalId");
        this.direction = Objects.requireNonNull(b.direction, "direction");
        this.visibility = Objects.requireNonNull(b.visibility, "visibility");
        this.author = Objects.requireNonNull(b.author, "author");
        this.threadRef = b.threadRef;
        this.text = b.text == null ? "" : b.text;
        this.attachments = List.copyOf(b.attachments);
        this.receivedAt = b.receivedAt == null ? Instant.now() : b.receivedAt;
        this.rawPayload = b.rawPayload;
        this.annotations = List.copyOf(b.annotations);
        if (!author.channel().equals(channel)) {
            throw new IllegalArgumentException("author belongs to channel " + author.channel() + ", not " + channel);
        }
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    public static Builder inbound(String channel, String instance) {
        return new Builder().channel(channel).instance(instance).direction(Direction.INBOUND);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Channel id, such as {@code api}, {@code email}, {@code x}. */
    public String channel() { return channel; }

    /** Channel instance (one configured door of that channel), such as {@code demo} or {@code support}. */
    public String instance() { return instance; }

    /** The vendor's id of this message: the dedupe key within the channel instance. */
    public String externalId() { return externalId; }

    public Direction direction() { return direction; }

    public Visibility visibility() { return visibility; }

    public Identity author() { return author; }

    /**
     * The channel's reference of the thread this message belongs to, or null. A thread reference names one thread on
     * its door (channel instance), whoever writes in it: every message with the same reference joins the same
     * conversation, and keeps its own author (an e-mail thread with several people in copy, the comments under one
     * public post). Without a reference, an author's messages on a door form one conversation.
     */
    public String threadRef() { return threadRef; }

    public String text() { return text; }

    public List<Attachment> attachments() { return attachments; }

    public Instant receivedAt() { return receivedAt; }

    /** The payload as received, kept for audit; may be null. */
    public String rawPayload() { return rawPayload; }

    /**
     * What is known about the message: what its channel said (a language the vendor detected), and once stored and
     * classified, what the {@link Classifier}s found. Rules see them.
     */
    public List<Annotation> annotations() { return annotations; }

    public Builder toBuilder() {
        return new Builder().channel(channel).instance(instance).externalId(externalId).direction(direction)
                .visibility(visibility).author(author).threadRef(threadRef).text(text).attachments(attachments)
                .receivedAt(receivedAt).rawPayload(rawPayload).annotations(annotations);
    }

    @Override
    public String toString() {
        return "Message[" + channel + "/" + instance + " " + externalId + " from " + author.handle() + "]";
    }

    public static final class Builder {
        private String channel;
        private String instance;
        private String externalId;
        private Direction direction = Direction.INBOUND;
        private Visibility visibility = Visibility.PRIVATE;
        private Identity author;
        private String threadRef;
        private String text;
        private List<Attachment> attachments = List.of();
        private Instant receivedAt;
        private String rawPayload;
        private List<Annotation> annotations = List.of();

        private Builder() {
        }

        public Builder channel(String channel) { this.channel = channel; return this; }
        public Builder instance(String instance) { this.instance = instance; return this; }
        public Builder externalId(String externalId) { this.externalId = externalId; return this; }
        public Builder direction(Direction direction) { this.direction = direction; return this; }
        public Builder visibility(Visibility visibility) { this.visibility = visibility; return this; }
        public Builder author(Identity author) { this.author = author; return this; }
        public Builder threadRef(String threadRef) { this.threadRef = threadRef; return this; }
        public Builder text(String text) { this.text = text; return this; }
        public Builder attachments(List<Attachment> attachments) { this.attachments = Objects.requireNonNull(attachments); return this; }
        public Builder receivedAt(Instant receivedAt) { this.receivedAt = receivedAt; return this; }
        public Builder rawPayload(String rawPayload) { this.rawPayload = rawPayload; return this; }
        public Builder annotations(List<Annotation> annotations) { this.annotations = Objects.requireNonNull(annotations); return this; }

        public Message build() {
            return new Message(this);
        }
    }
}
