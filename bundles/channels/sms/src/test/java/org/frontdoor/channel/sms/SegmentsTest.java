package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SMS segments: 160 GSM-7 or 70 UCS-2 in one, 153 or 67 a part when concatenated. */
class SegmentsTest {

    @Test
    void gsm7Holds160InOneAnd153APart() {
        assertThat(Segments.count("a".repeat(160))).isEqualTo(new Segments.Count(true, 160, 1));
        assertThat(Segments.count("a".repeat(161)).segments()).isEqualTo(2);
        assertThat(Segments.count("a".repeat(306)).segments()).isEqualTo(2);
        assertThat(Segments.count("a".repeat(307)).segments()).isEqualTo(3);
    }

    @Test
    void extensionCharactersCountTwoAndAreNeverSplit() {
        assertThat(Segments.count("€".repeat(80))).isEqualTo(new Segments.Count(true, 160, 1));
        // 152 'a' then '€': the escape and the euro sign go to the second part together
        assertThat(Segments.count("a".repeat(152) + "€" + "a".repeat(10)).segments()).isEqualTo(2);
        assertThat(Segments.count("a".repeat(152) + "€" + "a".repeat(152)).segments()).isEqualTo(3);
    }

    @Test
    void oneCharacterOutsideTheGsmAlphabetMakesItUcs2() {
        assertThat(Segments.count("a".repeat(69) + "ł")).isEqualTo(new Segments.Count(false, 70, 1));
        assertThat(Segments.count("a".repeat(70) + "ł").segments()).isEqualTo(2);
        assertThat(Segments.count("a".repeat(134)).segments()).isEqualTo(1);
        assertThat(Segments.count("ł".repeat(134)).segments()).isEqualTo(2);
        assertThat(Segments.count("ł".repeat(135)).segments()).isEqualTo(3);
        // an emoji is two UTF-16 units, never split between parts
        assertThat(Segments.count("😀".repeat(35)).segments()).isEqualTo(1);
        assertThat(Segments.count("a".repeat(66) + "😀" + "a".repeat(10)).segments()).isEqualTo(2);
    }

    @Test
    void aReplyOverTheMostSegmentsIsRefusedWithHowMuchToCut() {
        assertThat(Segments.refusal("a".repeat(306), 2)).isNull();
        assertThat(Segments.refusal("a".repeat(320), 2))
                .contains("3 SMS segments").contains("320 characters in GSM-7").contains("at most 2")
                .contains("cut at least 14 characters");
        assertThat(Segments.refusal("a".repeat(170), 1)).contains("cut at least 10 characters");
        assertThat(Segments.refusal("ł".repeat(80), 1)).contains("UCS-2").contains("cut at least 10")
                .contains("outside the GSM alphabet");
    }
}
