package org.frontdoor.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandsOutputTest {

    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private static final ConversationSummary ANN = new ConversationSummary(7, 3, "Ann Angry", "api", "demo", "support",
            ConversationStatus.QUEUED, 2, "My order\nnever arrived, and this preview is far too long to show", 2, T, T);

    private static String render(java.util.function.Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        printer.accept(out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cutsTextToOneLine() {
        assertThat(Text.oneLine("a\n  b\tc", 10)).isEqualTo("a b c");
        assertThat(Text.oneLine("abcdefghij", 5)).isEqualTo("abcd…");
        assertThat(Text.oneLine("😀😀😀😀", 3)).isEqualTo("😀😀…");
        assertThat(Text.oneLine(null, 5)).isEmpty();
    }

    @Test
    void listsConversationsInATableWithAFooter() {
        Page<ConversationSummary> page = new Page<>(List.of(ANN), 41, 20, 20);

        String table = render(out -> ConversationListCommand.table(page).print(out));

        assertThat(table).contains("ID", "Customer", "Channel", "Department", "Status", "Priority", "Messages",
                "Last activity", "Preview");
        assertThat(table).contains("Ann Angry").contains("api/demo").contains("QUEUED").contains("My order never arrived");
        assertThat(table).doesNotContain("far too long");
        assertThat(ConversationListCommand.footer(page)).isEqualTo("Showing 21-21 of 41");
        assertThat(ConversationListCommand.footer(new Page<>(List.of(), 0, 0, 20))).isEqualTo("Showing 0 of 0");
    }

    @Test
    void showsMessagesAndRepliesInTimeOrderWithDeliveryState() {
        ConversationDetail detail = new ConversationDetail(ANN,
                List.of(new MessageView(1, "m-1", Visibility.PRIVATE, "cust-42", "Ann Angry", "Where is it?", T),
                        new MessageView(3, "m-2", Visibility.PRIVATE, "cust-42", "Ann Angry", "Hello??", T.plusSeconds(120))),
                List.of(new ReplyView(2, 7, "It ships today", "jane", ReplyStatus.RETRYING, 2, "callback answered 503",
                        T.plusSeconds(60), null, T.plusSeconds(64))));

        String shown = render(out -> ConversationShowCommand.print(detail, out));

        assertThat(shown).contains("Conversation 7").contains("Ann Angry (customer 3)").contains("support");
        assertThat(shown.indexOf("Where is it?")).isLessThan(shown.indexOf("It ships today"));
        assertThat(shown.indexOf("It ships today")).isLessThan(shown.indexOf("Hello??"));
        assertThat(shown).contains("RETRYING").contains("attempts 2").contains("last error: callback answered 503")
                .contains("next attempt");
    }

    @Test
    void listsChannelsWithTheirHealthAndFiltersByState() {
        List<ChannelListCommand.Row> rows = List.of(
                new ChannelListCommand.Row("api", "demo", ChannelHealth.up()),
                new ChannelListCommand.Row("api", "shop", ChannelHealth.of(ChannelHealth.Status.DEGRADED, "callback answered 500")));

        String all = render(out -> ChannelListCommand.table(rows, null).print(out));
        String degraded = render(out -> ChannelListCommand.table(rows, ChannelHealth.Status.DEGRADED).print(out));

        assertThat(all).contains("Channel", "Instance", "Status", "Since", "Reason").contains("demo").contains("shop");
        assertThat(degraded).contains("shop").contains("callback answered 500").doesNotContain("demo");
    }
}
