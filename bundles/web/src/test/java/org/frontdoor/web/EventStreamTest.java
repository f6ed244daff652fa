package org.frontdoor.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a stream resumes; the stream itself runs end to end in WebchatScenarios (the console's live inbox). */
class EventStreamTest {

    @Test
    void aReconnectResumesAfterItsLastEventIdBeforeTheQuery() {
        assertThat(EventStream.resumeFrom("42", "7")).isEqualTo(42);
        assertThat(EventStream.resumeFrom(null, "7")).isEqualTo(7);
        assertThat(EventStream.resumeFrom(" ", null)).isZero();
        assertThat(EventStream.resumeFrom(null, "now")).isEqualTo(EventStream.NOW);
        assertThat(EventStream.resumeFrom("12", "now")).as("a reconnect of a stream begun at now").isEqualTo(12);
    }

    @Test
    void aPositionThatIsNoneIsABadRequest() {
        assertThatThrownBy(() -> EventStream.resumeFrom("soon", null)).isInstanceOf(RestHandler.BadRequest.class)
                .hasMessageContaining("Last-Event-ID");
        assertThatThrownBy(() -> EventStream.resumeFrom(null, "-3")).isInstanceOf(RestHandler.BadRequest.class);
    }
}
