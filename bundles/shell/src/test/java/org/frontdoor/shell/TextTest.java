package org.frontdoor.shell;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.inbox.ConversationStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTest {

    @Test
    void oneLineJoinsLinesAndCutsWithAnEllipsis() {
        assertThat(Text.oneLine("a\n  b\tc\r\nd", 10)).isEqualTo("a b c d");
        assertThat(Text.oneLine("abcdefghij", 10)).isEqualTo("abcdefghij");
        assertThat(Text.oneLine("abcdefghijk", 10)).isEqualTo("abcdefghi…").hasSize(10);
        assertThat(Text.oneLine(null, 5)).isEmpty();
    }

    @Test
    void oneLineNeverSplitsACharacterOutsideTheBasicPlane() {
        assertThat(Text.oneLine("😀😀😀😀", 3)).isEqualTo("😀😀…");
    }

    @Test
    void terminalControlsFromCustomersAreShownAsReplacementCharacters() {
        String attack = "ok\u001b[2J\u001b]0;owned\u0007 \u202Egnp.exe\u0085!";

        String shown = Text.safe(attack);

        assertThat(shown).doesNotContain("\u001b", "\u0007", "\u202E", "\u0085")
                .isEqualTo("ok\uFFFD[2J\uFFFD]0;owned\uFFFD \uFFFDgnp.exe\uFFFD!");
        assertThat(Text.oneLine(attack, 100)).doesNotContain("\u001b");
        assertThat(Text.block(attack, "  ")).doesNotContain("\u001b");
    }

    @Test
    void emojiJoinersSurvive() {
        assertThat(Text.safe("👩\u200D💻")).isEqualTo("👩\u200D💻");
    }

    @Test
    void blockKeepsLinesAndIndentsTheFollowingOnes() {
        assertThat(Text.block("first\r\nsecond\rthird\n", "    ")).isEqualTo("first\n    second\n    third");
        assertThat(Text.block(null, "  ")).isEmpty();
    }

    @Test
    void timesAreShownToTheSecondInTheGivenZone() {
        Instant t = Instant.parse("2026-11-24T10:00:05.900Z");

        assertThat(Text.time(t, ZoneOffset.UTC)).isEqualTo("2026-11-24 10:00:05");
        assertThat(Text.time(t, ZoneId.of("Europe/Berlin"))).isEqualTo("2026-11-24 11:00:05");
        assertThat(Text.time(null, ZoneOffset.UTC)).isEmpty();
        assertThat(Text.time(t)).isEqualTo(Text.time(t, ZoneId.systemDefault()));
    }

    @Test
    void statesAreParsedInAnyCaseAndAnUnknownOneNamesTheChoices() {
        assertThat(Commands.parse(ConversationStatus.class, " queued ", "status")).isEqualTo(ConversationStatus.QUEUED);
        assertThat(Commands.parse(ChannelHealth.Status.class, "auth_expired", "status"))
                .isEqualTo(ChannelHealth.Status.AUTH_EXPIRED);
        assertThat(Commands.parse(ConversationStatus.class, null, "status")).isNull();
        assertThatThrownBy(() -> Commands.parse(ConversationStatus.class, "OPEN", "status"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown status OPEN; use one of NEW, QUEUED, ASSIGNED, SNOOZED, RESOLVED");
    }
}
