package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelCapabilities.LengthCounting;
import org.frontdoor.api.ChannelCapabilities.Markup;
import org.frontdoor.core.ReplyLength.Measure;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplyLengthTest {

    private static ChannelCapabilities door(LengthCounting counting, int maxLength, boolean segmentation) {
        return new ChannelCapabilities(maxLength, counting, segmentation, true, true, true, Markup.NONE, false);
    }

    private static Measure fitting(Measure m) {
        assertThat(m.fits()).as(m.refusal()).isTrue();
        assertThat(m.refusal()).isEmpty();
        return m;
    }

    private static Measure refused(Measure m, String refusal) {
        assertThat(m.fits()).isFalse();
        assertThat(m.refusal()).isEqualTo(refusal);
        return m;
    }

    @Nested
    class Mastodon {

        private final ChannelCapabilities five = door(LengthCounting.MASTODON, 500, false);

        @Test
        void countsALinkAs23AndAMentionByItsUserNameAsMastodonDoes() {
            String url = "https://shop.example.com/orders/5521?track=" + "a".repeat(100);
            // "@alice " (7) + link (23) + " ok" (3)
            assertThat(fitting(ReplyLength.measure("@alice@mastodon.social " + url + " ok", five)).length())
                    .isEqualTo(33);
            assertThat(ReplyLength.measure("@alice@mastodon.social " + url + " ok", five).unit())
                    .isEqualTo("characters as Mastodon counts them");
            // a link without http(s):// counts as written, as Mastodon counts it
            assertThat(ReplyLength.mastodonLength("see shop.example.com")).isEqualTo(20);
            // an e-mail address is no mention
            assertThat(ReplyLength.mastodonLength("mail bob@example.com")).isEqualTo(20);
        }

        @Test
        void countsUserPerceivedCharacters() {
            assertThat(ReplyLength.mastodonLength("\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 e\u0301"))
                    .isEqualTo(3);
        }

        @Test
        void aReplyOverTheLimitIsRefusedWithHowMuchToCut() {
            refused(ReplyLength.measure("@bob@a.example " + "x".repeat(500), five), "the reply is 505 characters as "
                    + "Mastodon counts them (a link counts 23, a mention its user name); this Mastodon account takes "
                    + "at most 500: cut 5");
            fitting(ReplyLength.measure("@bob@a.example " + "x".repeat(495), five));
        }
    }

    @Nested
    class Utf16Units {

        @Test
        void countsAnEmojiBeyondTheBmpAsTwoAsTelegramDoes() {
            ChannelCapabilities four = door(LengthCounting.UTF16_UNITS, 4, false);
            Measure m = fitting(ReplyLength.measure("é😀a", four));
            assertThat(m.length()).isEqualTo(4);
            assertThat(m.unit()).isEqualTo("characters as UTF-16 counts them");
            refused(ReplyLength.measure("😀😀a", four), "the reply is 5 characters as UTF-16 counts them (an emoji "
                    + "counts 2); this channel takes at most 4");
        }

        @Test
        void aSegmentingDoorNeverCutsASurrogatePairAndSendsAtMostTen() {
            ChannelCapabilities three = door(LengthCounting.UTF16_UNITS, 3, true);
            // "a😀" fills 3 units; "a" + "a😀" would cut the pair at 3, so the first message is "aa"
            assertThat(fitting(ReplyLength.measure("aa😀", three)).segments()).isEqualTo(2);
            assertThat(fitting(ReplyLength.measure("a".repeat(30), three)).segments()).isEqualTo(10);
            Measure m = refused(ReplyLength.measure("a".repeat(31), three),
                    "the reply needs 11 messages of at most 3 characters as UTF-16 counts them; at most 10 are sent");
            assertThat(m.segments()).isEqualTo(11);
        }
    }

    @Nested
    class CodePoints {

        private final ChannelCapabilities ten = door(LengthCounting.CODE_POINTS, 10, false);

        @Test
        void countsAnEmojiOrAnAccentedLetterAsOneCharacter() {
            Measure m = fitting(ReplyLength.measure("héllo 😀", ten));
            assertThat(m.length()).isEqualTo(7);
            assertThat(m.unit()).isEqualTo("characters");
            assertThat(m.segments()).isEqualTo(1);
        }

        @Test
        void takesMaxLengthCharactersAndRefusesOneMore() {
            assertThat(fitting(ReplyLength.measure("😀".repeat(10), ten)).length()).isEqualTo(10);
            refused(ReplyLength.measure("a".repeat(11), ten),
                    "the reply is 11 characters; this channel takes at most 10");
        }

        @Test
        void maxLengthZeroMeansNoLimit() {
            Measure m = fitting(ReplyLength.measure("a".repeat(1_000_000), door(LengthCounting.CODE_POINTS, 0, false)));
            assertThat(m.length()).isEqualTo(1_000_000);
            assertThat(m.segments()).isEqualTo(1);
            assertThat(fitting(ReplyLength.measure("a".repeat(1_000_000), door(LengthCounting.CODE_POINTS, 0, true)))
                    .segments()).isEqualTo(1);
        }

        @Test
        void aSegmentingDoorSendsAtMostTenMessagesOfMaxLength() {
            ChannelCapabilities segmenting = door(LengthCounting.CODE_POINTS, 400, true);
            assertThat(fitting(ReplyLength.measure("a".repeat(400), segmenting)).segments()).isEqualTo(1);
            assertThat(fitting(ReplyLength.measure("a".repeat(401), segmenting)).segments()).isEqualTo(2);
            assertThat(fitting(ReplyLength.measure("a".repeat(4000), segmenting)).segments()).isEqualTo(10);
            Measure m = refused(ReplyLength.measure("a".repeat(4001), segmenting),
                    "the reply needs 11 messages of at most 400 characters; at most 10 are sent");
            assertThat(m.segments()).isEqualTo(11);
        }
    }

    @Nested
    class XWeighted {

        private static final String POEM = "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，乌衣巷口夕阳斜。"
                + "旧时王谢堂前燕，飞入寻常百姓家。朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。泪湿罗巾梦不成，夜深前殿按歌声。"
                + "红颜未老恩先断，斜倚薰笼坐到明。独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。";
        private static final String FAMILY = "👨\u200D👩\u200D👧\u200D👦";

        private final ChannelCapabilities x = door(LengthCounting.X_WEIGHTED, 280, false);
        private final ChannelCapabilities thread = door(LengthCounting.X_WEIGHTED, 280, true);

        /** Cases and weighted lengths of twitter-text 3.1.0's conformance/validate.yml, emoji counted as 2. */
        static Stream<Arguments> conformance() {
            return Stream.of(
                    Arguments.of("Regular Tweet with url", "Hi http://test.co", 26),
                    Arguments.of("Just url", "http://test.co", 23),
                    Arguments.of("Long tweet, overflow at char index 280",
                            "285 chars-" + "xxxxxxxxxx-".repeat(25), 285),
                    Arguments.of("Long tweet with url in the middle", "285 chars- http://www.twitter.com/jack "
                            + "xxxxxxxxxx-".repeat(24), 299),
                    Arguments.of("Long tweet with url at the end", "xxxxxxxxxx-".repeat(24)
                            + " http://www.twitter.com/jack ", 289),
                    Arguments.of("10 url string, no overflow", "https://www.twitter.com/aloha ".repeat(10), 240),
                    Arguments.of("160 CJK char", POEM, 320),
                    Arguments.of("160 emoji char", "😷".repeat(160), 320),
                    Arguments.of("3 latin char + 160 CJK char", "the" + POEM, 323),
                    Arguments.of("282 chars with a normalized character", "282 chars-" + "xxxxxxxxxx-".repeat(24)
                            + "xxxxxA\u0301x", 281),
                    Arguments.of("Count a mix of single byte single word, and double word unicode characters",
                            "H🐱☺" + FAMILY, 7),
                    Arguments.of("Count unicode emoji chars inside the basic multilingual plane", "😷👾😡🔥💩", 10),
                    Arguments.of("Count unicode emoji chars outside the basic multilingual plane with skin tone "
                            + "modifiers", "🙋🏽👨\u200D🎤", 4),
                    Arguments.of("Handle General Punctuation Characters with visible spaces(u2000-200A), no ZWJ/ZWNJ",
                            "This is a tweet with general punctuation characters: \u2000\u2001\u2002\u2003\u2004\u2005"
                                    + "\u2006\u2007\u2008\u2009\u200A\u200B ‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ "
                                    + "′ ″ ‴ ‵ ‶ ‷", 110),
                    Arguments.of("Handle a 64 character domain without protocol",
                            "randomurlrandomurlrandomurlrandomurlrandomurlrandomurlrandomurls.com", 68),
                    Arguments.of("Allow > 140 CJK characters by virtue of CJK chars less than 63 punycode "
                            + "encoded chars in the host", "あいうえおかきくけこ".repeat(12) + " http://" + "あいうえおかきくけこ".repeat(5)
                            + "あい.com", 264),
                    Arguments.of("Do not allow > 140 CJK characters by virtue of CJK chars greater than 63 punycode "
                            + "encoded chars in the host", "あいうえおかきくけこ".repeat(12) + " http://"
                            + "あいうえおかきくけこ".repeat(5) + "あいう.com", 358),
                    Arguments.of("140 family emoji", FAMILY.repeat(140), 280),
                    Arguments.of("Emoji with a leading character in the latin range is counted as 2", "1\u20E3", 2),
                    Arguments.of("Unicode 10.0 emoji", "Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; "
                            + "🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F", 34),
                    Arguments.of("Unicode 9.0 emoji", "Unicode 9.0 emoji: 🤠; 💃; 💃🏾", 29),
                    Arguments.of("Tweet text containing directional characters should be considered valid",
                            "\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069", 31));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("conformance")
        void countsLikeTwitterText(String description, String text, int weightedLength) {
            Measure m = ReplyLength.measure(text, x);
            assertThat(m.length()).isEqualTo(weightedLength);
            assertThat(m.unit()).isEqualTo("characters as X counts them");
            assertThat(m.fits()).isEqualTo(weightedLength <= 280);
        }

        @Test
        void takes280AndRefusesMoreWithTheCountAnAgentCanAct() {
            fitting(ReplyLength.measure("a".repeat(280), x));
            refused(ReplyLength.measure("a".repeat(281), x),
                    "the reply is 281 characters as X counts them; X takes at most 280");
            fitting(ReplyLength.measure(POEM.substring(0, 140), x));
            refused(ReplyLength.measure(POEM.substring(0, 141), x),
                    "the reply is 282 characters as X counts them; X takes at most 280");
            refused(ReplyLength.measure("a".repeat(300), x),
                    "the reply is 300 characters as X counts them; X takes at most 280");
        }

        @Test
        void everyLinkCounts23HoweverLongItIs() {
            assertThat(ReplyLength.measure("https://example.org/" + "a".repeat(500), x).length()).isEqualTo(23);
            assertThat(ReplyLength.measure("see https://t.co", x).length()).isEqualTo(27);
        }

        @Test
        void normalizesToNfcSoADecomposedLetterCountsOnce() {
            String decomposed = "e\u0301".repeat(280);
            assertThat(fitting(ReplyLength.measure(decomposed, x)).length()).isEqualTo(280);
            assertThat(ReplyLength.measure(decomposed, door(LengthCounting.CODE_POINTS, 280, false)).length())
                    .isEqualTo(560);
        }

        @Test
        void refusesACharacterXDoesNotAcceptAndNamesIt() {
            Measure m = refused(ReplyLength.measure("ABC\u202A\uFFFFABC\uFFFE", x),
                    "the reply contains U+FFFF, which X does not accept");
            assertThat(m.length()).isEqualTo(12);
            refused(ReplyLength.measure("\uFEFFhello", door(LengthCounting.X_WEIGHTED, 0, false)),
                    "the reply contains U+FEFF, which X does not accept");
        }

        @Test
        void aBlankReplyCountsZeroAsTwitterTextCountsIt() {
            assertThat(fitting(ReplyLength.measure("  \n ", x)).length()).isZero();
            assertThat(fitting(ReplyLength.measure("", x)).length()).isZero();
        }

        @Test
        void maxLengthZeroMeansNoLimit() {
            Measure m = fitting(ReplyLength.measure(POEM.repeat(10), door(LengthCounting.X_WEIGHTED, 0, false)));
            assertThat(m.length()).isEqualTo(3200);
            assertThat(m.segments()).isEqualTo(1);
        }

        @Test
        void aThreadHoldsAtMostTenPostsOfMaxLength() {
            assertThat(fitting(ReplyLength.measure("a".repeat(280), thread)).segments()).isEqualTo(1);
            assertThat(fitting(ReplyLength.measure("a".repeat(281), thread)).segments()).isEqualTo(2);
            assertThat(fitting(ReplyLength.measure("a".repeat(2800), thread)).segments()).isEqualTo(10);
            assertThat(fitting(ReplyLength.measure(POEM.repeat(8) + POEM.substring(0, 120), thread)).segments())
                    .isEqualTo(10);
            Measure m = refused(ReplyLength.measure("a".repeat(2801), thread),
                    "the reply needs 11 posts of at most 280 characters as X counts them; at most 10 are sent");
            assertThat(m.segments()).isEqualTo(11);
            assertThat(refused(ReplyLength.measure("a".repeat(28_000), thread),
                    "the reply needs 100 posts of at most 280 characters as X counts them; at most 10 are sent")
                    .segments()).isEqualTo(100);
        }

        @Test
        void aThreadNeverCutsALinkOrAnEmoji() {
            // 270 + 23 + 267 = 560 would fill two posts, but the link cannot be cut: 270 | link + 257 | 10
            String text = "a".repeat(269) + " https://example.org/order/1001 " + "b".repeat(266);
            Measure m = fitting(ReplyLength.measure(text, thread));
            assertThat(m.length()).isEqualTo(560);
            assertThat(m.segments()).isEqualTo(3);
            // 279 + 2 + 279 = 560: the family emoji moves whole to the second post, whose last "a" makes a third
            assertThat(fitting(ReplyLength.measure("a".repeat(279) + FAMILY + "a".repeat(279), thread)).segments())
                    .isEqualTo(3);
            assertThat(fitting(ReplyLength.measure("a".repeat(279) + FAMILY + "a".repeat(278), thread)).segments())
                    .isEqualTo(2);
        }

        @Test
        void refusesWhatNoPostCanHold() {
            refused(ReplyLength.measure("see https://example.org", door(LengthCounting.X_WEIGHTED, 20, true)),
                    "the reply cannot be cut into posts of at most 20 characters as X counts them (a link counts 23)");
        }

        @Test
        void refusesToCountBeyondThirtyThousandCodePoints() {
            Measure m = refused(ReplyLength.measure("a".repeat(30_001), door(LengthCounting.X_WEIGHTED, 0, true)),
                    "the reply is 30001 characters long; replies to X are counted up to 30000");
            assertThat(m.unit()).isEqualTo("characters");
            assertThat(fitting(ReplyLength.measure("😷".repeat(30_000), door(LengthCounting.X_WEIGHTED, 0, true)))
                    .length()).isEqualTo(60_000);
        }

        @Test
        void refusesToCountWordsWithSoManyDotsThatTwitterTextWouldTakeSeconds() {
            // twitter-text takes about 5 s on "a." × 1000 and 20 s on "a." × 2000
            Measure m = refused(ReplyLength.measure("see " + "a.".repeat(1000) + " and " + "1.2.3", x),
                    "the reply has words with too many dots for X's link rules to count, such as " + "a.".repeat(20)
                            + "…; break them with spaces");
            assertThat(m.length()).isEqualTo(2014);
            assertThat(fitting(ReplyLength.measure("a.".repeat(220), door(LengthCounting.X_WEIGHTED, 0, false)))
                    .length()).isEqualTo(440);
            // 14 dots a word: 196 × 255 words is within the budget, 196 × 256 is not
            String version = "v1.2.3.4.5.6.7.8.9.10.11.12.13.14.15 ";
            refused(ReplyLength.measure(version.repeat(256), door(LengthCounting.X_WEIGHTED, 0, false)),
                    "the reply has words with too many dots for X's link rules to count, such as "
                            + "v1.2.3.4.5.6.7.8.9.10.11.12.13.14.15; break them with spaces");
            fitting(ReplyLength.measure(version.repeat(255), door(LengthCounting.X_WEIGHTED, 0, false)));
            assertThat(fitting(ReplyLength.measure("Thanks. It ships today. Tracking: https://example.org/t/1.2.3 ok.",
                    x)).length()).isEqualTo(34 + 23 + 4);
        }
    }

    @Nested
    class SmsSegments {

        private final ChannelCapabilities sms = door(LengthCounting.SMS_SEGMENTS, 160, false);
        private final ChannelCapabilities longSms = door(LengthCounting.SMS_SEGMENTS, 160, true);

        @Test
        void oneSmsHolds160Gsm7Or70Ucs2UnitsAsTheTextsAlphabetDecidesAndOtherDoorsTheirMaxLength() {
            assertThat(ReplyLength.oneMessage("Your order ships today", sms)).isEqualTo(160);
            assertThat(ReplyLength.oneMessage("Ihre Bestellung ist unterwegs ✓", sms)).isEqualTo(70);
            assertThat(ReplyLength.oneMessage("anything", door(LengthCounting.CODE_POINTS, 280, false))).isEqualTo(280);
        }

        @Test
        void oneSmsHolds160Gsm7CharactersAndTheNextCharacterMakesTwoOf153() {
            Measure one = fitting(ReplyLength.measure("a".repeat(160), sms));
            assertThat(one.length()).isEqualTo(160);
            assertThat(one.unit()).isEqualTo("characters in GSM-7");
            assertThat(one.segments()).isEqualTo(1);
            assertThat(fitting(ReplyLength.measure("a".repeat(161), longSms)).segments()).isEqualTo(2);
            assertThat(fitting(ReplyLength.measure("a".repeat(306), longSms)).segments()).isEqualTo(2);
            assertThat(fitting(ReplyLength.measure("a".repeat(307), longSms)).segments()).isEqualTo(3);
            Measure two = refused(ReplyLength.measure("a".repeat(161), sms),
                    "the reply is 161 characters in GSM-7; one SMS holds 160: cut at least 1 character");
            assertThat(two.segments()).isEqualTo(2);
        }

        @Test
        void theWholeBasicTableCountsOneAndTheExtensionTableTwo() {
            String basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                    + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
            assertThat(basic).hasSize(127);
            Measure m = fitting(ReplyLength.measure(basic, sms));
            assertThat(m.length()).isEqualTo(127);
            assertThat(m.unit()).isEqualTo("characters in GSM-7");
            Measure extension = fitting(ReplyLength.measure("\f^{}\\[~]|€", sms));
            assertThat(extension.length()).isEqualTo(20);
            assertThat(extension.unit()).isEqualTo("characters in GSM-7");
        }

        @Test
        void theEuroSignCountsTwoAndTheRefusalSaysSo() {
            assertThat(fitting(ReplyLength.measure("€".repeat(80), sms)).length()).isEqualTo(160);
            Measure m = refused(ReplyLength.measure("€" + "a".repeat(159), sms),
                    "the reply is 161 characters in GSM-7, where € counts 2; one SMS holds 160: cut at least 1 character");
            assertThat(m.segments()).isEqualTo(2);
            refused(ReplyLength.measure("€~" + "a".repeat(157) + "^", sms),
                    "the reply is 163 characters in GSM-7, where €, ~ and ^ count 2; one SMS holds 160: cut at least 3 characters");
            refused(ReplyLength.measure("\f" + "a".repeat(159), sms),
                    "the reply is 161 characters in GSM-7, where U+000C counts 2; one SMS holds 160: cut at least 1 character");
        }

        @Test
        void anExtensionCharacterAtASegmentBoundaryMovesWholeToTheNextSegment() {
            // 152 + 2 + 152 = 306 = 2 × 153, but the escape and the € stay together: 152 | € + 151 | 1
            assertThat(fitting(ReplyLength.measure("a".repeat(152) + "€" + "a".repeat(152), longSms)).segments())
                    .isEqualTo(3);
            assertThat(fitting(ReplyLength.measure("a".repeat(151) + "€" + "a".repeat(153), longSms)).segments())
                    .isEqualTo(2);
        }

        @Test
        void oneSmsHolds70Ucs2CharactersAndTheNextMakesTwoOf67() {
            Measure one = fitting(ReplyLength.measure("я".repeat(70), sms));
            assertThat(one.unit()).isEqualTo("characters in UCS-2");
            assertThat(one.segments()).isEqualTo(1);
            refused(ReplyLength.measure("я".repeat(71), sms), "the reply is 71 characters in UCS-2, because of "
                    + "characters outside the GSM alphabet such as я; one SMS holds 70: cut at least 1 character");
            assertThat(fitting(ReplyLength.measure("я".repeat(71), longSms)).segments()).isEqualTo(2);
            assertThat(fitting(ReplyLength.measure("я".repeat(134), longSms)).segments()).isEqualTo(2);
            assertThat(fitting(ReplyLength.measure("я".repeat(135), longSms)).segments()).isEqualTo(3);
        }

        @Test
        void anEmojiCountsTwoInUcs2() {
            Measure m = fitting(ReplyLength.measure("😀".repeat(35), sms));
            assertThat(m.length()).isEqualTo(70);
            refused(ReplyLength.measure("😀" + "a".repeat(69), sms), "the reply is 71 characters in UCS-2, because of "
                    + "characters outside the GSM alphabet such as 😀, which counts 2; one SMS holds 70: cut at least 1 character");
        }

        @Test
        void extensionCharactersCountOneInUcs2() {
            Measure m = fitting(ReplyLength.measure("€".repeat(69) + "я", sms));
            assertThat(m.length()).isEqualTo(70);
            assertThat(m.unit()).isEqualTo("characters in UCS-2");
        }

        @Test
        void aSurrogatePairIsNeverSplitBetweenSegments() {
            // 66 + 2 + 66 = 134 = 2 × 67, but the emoji's two halves stay together: 66 | 😀 + 65 | 1
            assertThat(fitting(ReplyLength.measure("я".repeat(66) + "😀" + "я".repeat(66), longSms)).segments())
                    .isEqualTo(3);
            assertThat(fitting(ReplyLength.measure("я".repeat(65) + "😀" + "я".repeat(67), longSms)).segments())
                    .isEqualTo(2);
        }

        @Test
        void aLongSmsIsAtMostTenSegments() {
            assertThat(fitting(ReplyLength.measure("a".repeat(1530), longSms)).segments()).isEqualTo(10);
            refused(ReplyLength.measure("a".repeat(1531), longSms),
                    "the reply needs 11 SMS segments (GSM-7); at most 10 are sent: cut at least 1 character");
            Measure m = refused(ReplyLength.measure("😀" + "я".repeat(800), longSms), "the reply needs 12 SMS "
                    + "segments (UCS-2, because of characters outside the GSM alphabet such as 😀, which counts 2); "
                    + "at most 10 are sent: cut at least 132 characters");
            assertThat(m.length()).isEqualTo(802);
            assertThat(m.segments()).isEqualTo(12);
        }

        @Test
        void aDoorMaySendFewerSegmentsAndIsToldHowMuchToCut() {
            assertThat(fitting(ReplyLength.measure("a".repeat(459), longSms, 3)).segments()).isEqualTo(3);
            refused(ReplyLength.measure("a".repeat(480), longSms, 3),
                    "the reply needs 4 SMS segments (GSM-7); at most 3 are sent: cut at least 21 characters");
            // one segment allowed: one SMS, as a door without segmentation
            refused(ReplyLength.measure("a".repeat(170), longSms, 1),
                    "the reply is 170 characters in GSM-7; one SMS holds 160: cut at least 10 characters");
            // beyond core's own limit the door's maximum is not taken
            refused(ReplyLength.measure("a".repeat(1531), longSms, 50),
                    "the reply needs 11 SMS segments (GSM-7); at most 10 are sent: cut at least 1 character");
        }

        @Test
        void showsAnInvisibleCharacterByItsCodePoint() {
            refused(ReplyLength.measure("a\u200Bb".repeat(24), sms), "the reply is 72 characters in UCS-2, because of "
                    + "characters outside the GSM alphabet such as U+200B; one SMS holds 70: cut at least 2 characters");
        }

        @Test
        void maxLengthIsNotReadTheEncodingSetsTheSegment() {
            assertThat(fitting(ReplyLength.measure("a".repeat(100), door(LengthCounting.SMS_SEGMENTS, 50, false)))
                    .segments()).isEqualTo(1);
            refused(ReplyLength.measure("a".repeat(161), door(LengthCounting.SMS_SEGMENTS, 0, false)),
                    "the reply is 161 characters in GSM-7; one SMS holds 160: cut at least 1 character");
            assertThat(fitting(ReplyLength.measure("a".repeat(1530), door(LengthCounting.SMS_SEGMENTS, 0, true)))
                    .segments()).isEqualTo(10);
        }

        @Test
        void anEmptyReplyIsOneEmptySms() {
            Measure m = fitting(ReplyLength.measure("", sms));
            assertThat(m.length()).isZero();
            assertThat(m.segments()).isEqualTo(1);
        }
    }

    @Test
    void aMeasureGivesARefusalExactlyWhenTheReplyDoesNotFit() {
        assertThatThrownBy(() -> new Measure(3, "characters", 1, false, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Measure(3, "characters", 1, true, "too long"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Measure(3, "characters", 0, true, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
