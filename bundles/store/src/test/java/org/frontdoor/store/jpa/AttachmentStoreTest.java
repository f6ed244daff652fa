package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationDetail;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Attachments: their rows with the message, their content once per content, read back as stored. */
class AttachmentStoreTest extends StoreTest {

    @ParameterizedTest
    @MethodSource("databases")
    void contentIsStoredOncePerContentAndReadBackWhole(String kind) throws Exception {
        open(kind);
        byte[] pdf = new byte[300_000];
        new Random(7).nextBytes(pdf);

        Attachment first = store.store("invoice.pdf", "application/pdf", new ByteArrayInputStream(pdf), 1_000_000);
        Attachment again = store.store("copy.pdf", "application/pdf", new ByteArrayInputStream(pdf), 1_000_000);

        assertThat(first.blobRef()).matches("sha256:[0-9a-f]{64}").isEqualTo(again.blobRef());
        assertThat(first.size()).isEqualTo(pdf.length);
        assertThat(first.name()).isEqualTo("invoice.pdf");
        assertThat(again.name()).isEqualTo("copy.pdf");
        assertThat(count("blob_content")).as("the same content is kept once").isEqualTo(1);
        try (InputStream in = store.open(first.blobRef()).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(pdf);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void contentOverTheLimitIsRefusedAndNothingIsStored(String kind) throws SQLException {
        open(kind);
        byte[] big = new byte[10_001];

        assertThatThrownBy(() -> store.store("big.bin", "application/octet-stream", new ByteArrayInputStream(big),
                10_000)).isInstanceOf(IllegalArgumentException.class).hasMessage(
                "the attachment is larger than 10000 bytes");
        assertThat(count("blob_content")).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anUnknownOrMalformedReferenceOpensNothing(String kind) throws Exception {
        open(kind);
        assertThat(store.open("sha256:" + "0".repeat(64))).isEmpty();
        assertThat(store.open("../../etc/passwd")).isEmpty();
        assertThat(store.open(null)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aMessageKeepsItsAttachmentsInOrderWithRefusedOnesWithoutContent(String kind) throws Exception {
        open(kind);
        Attachment note = store.store("note.txt", "text/plain",
                new ByteArrayInputStream("see the photo".getBytes(StandardCharsets.UTF_8)), 1_000);
        Attachment refused = new Attachment("movie.mp4", "video/mp4", 80_000_000, null);
        long conversation = ingest(message("m-1", "alice", null, "two files").toBuilder()
                .attachments(List.of(note, refused)).build()).get(0).receipt().conversationId();
        ingest(message("m-2", "alice", null, "no files"));

        ConversationDetail detail = store.conversation(Scope.ALL, conversation).orElseThrow();
        assertThat(detail.messages().get(0).attachments()).containsExactly(note, refused);
        assertThat(detail.messages().get(1).attachments()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void contentFetchedAfterTheCommitIsAttachedOnceToTheWaitingAttachmentOnly(String kind) throws Exception {
        open(kind);
        Attachment waiting = new Attachment("photo.jpg", "image/jpeg", 0, null);
        Attachment refused = new Attachment("movie.mp4", "video/mp4", 80_000_000, null);
        var receipt = ingest(message("m-1", "alice", null, "a photo").toBuilder()
                .attachments(List.of(waiting, refused)).build()).get(0).receipt();
        Attachment photo = store.store("photo.jpg", "image/jpeg",
                new ByteArrayInputStream("JPEG".getBytes(StandardCharsets.UTF_8)), 1_000);
        Attachment other = store.store("other.jpg", "image/jpeg",
                new ByteArrayInputStream("OTHER".getBytes(StandardCharsets.UTF_8)), 1_000);

        assertThat(store.attach(receipt.messageId(), 0, photo)).isTrue();
        assertThat(store.attach(receipt.messageId(), 0, other)).as("already has content").isFalse();
        assertThat(store.attach(receipt.messageId(), 2, photo)).as("no such attachment").isFalse();
        assertThat(store.attach(receipt.messageId() + 1000, 0, photo)).as("no such message").isFalse();
        assertThatThrownBy(() -> store.attach(receipt.messageId(), 1, refused))
                .isInstanceOf(IllegalArgumentException.class);

        ConversationDetail detail = store.conversation(Scope.ALL, receipt.conversationId()).orElseThrow();
        assertThat(detail.messages().get(0).attachments()).containsExactly(photo, refused);
    }
}
