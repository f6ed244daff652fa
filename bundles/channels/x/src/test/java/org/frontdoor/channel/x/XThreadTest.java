package org.frontdoor.channel.x;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** X's weighted count (twitter-text configuration v3) and the cutting of a long reply into a thread. */
class XThreadTest {

    @Test
    void latinCountsOneCjkAndEmojiTwoALink23() {
        assertThat(XThread.weightedLength("a".repeat(280))).isEqualTo(280);
        // U+1100 (4352) is the first code point outside the weight-1 range 0-4351
        assertThat(XThread.weightedLength("\u10ff")).isEqualTo(1);
        assertThat(XThread.weightedLength("\u1100")).isEqualTo(2);
        assertThat(XThread.weightedLength("\u4f60\u597d")).isEqualTo(4);
        // general punctuation 8208-8223 (U+2010-U+201F) and 8242-8247 (U+2032-U+2037) weigh 1, U+2020 weighs 2
        assertThat(XThread.weightedLength("\u2014\u201c\u2032")).isEqualTo(3);
        assertThat(XThread.weightedLength("\u2020")).isEqualTo(2);
        // an emoji, and a whole ZWJ family sequence, count 2
        assertThat(XThread.weightedLength("\ud83d\ude21")).isEqualTo(2);
        assertThat(XThread.weightedLength("\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67")).isEqualTo(2);
        assertThat(XThread.weightedLength("see https://example.com/a/very/long/path/that/goes/on/and/on?x=1"))
                .isEqualTo(4 + 23);
    }

    @Test
    void aReplyThatFitsIsOnePost() {
        assertThat(XThread.posts("We are on it, sorry! \ud83d\ude4f", 280)).containsExactly("We are on it, sorry! \ud83d\ude4f");
    }

    @Test
    void aLongReplyBecomesAThreadCutBetweenWordsEachPostWithinTheLimit() {
        String sentence = "Your parcel left our warehouse on Monday and the carrier has it now. ";
        String text = sentence.repeat(10).strip();

        List<String> posts = XThread.posts(text, 280);

        assertThat(posts).hasSize(3);
        assertThat(posts).allSatisfy(p -> assertThat(XThread.weightedLength(p)).isLessThanOrEqualTo(280));
        assertThat(posts).allSatisfy(p -> assertThat(p).doesNotStartWith(" ").doesNotEndWith(" "));
        assertThat(String.join(" ", posts)).isEqualTo(text);
    }

    @Test
    void cjkIsCutAtHalfTheCharacters() {
        String text = "\u4f60".repeat(200);

        List<String> posts = XThread.posts(text, 280);

        assertThat(posts).extracting(String::length).containsExactly(140, 60);
    }

    @Test
    void aLinkIsNeverCut() {
        String link = "https://example.com/orders/5521/tracking";
        String text = "x".repeat(270) + " " + link;

        List<String> posts = XThread.posts(text, 280);

        assertThat(posts).containsExactly("x".repeat(270), link);
    }
}
