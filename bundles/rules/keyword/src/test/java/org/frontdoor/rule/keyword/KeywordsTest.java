package org.frontdoor.rule.keyword;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeywordsTest {

    private static boolean finds(String keyword, String text) {
        return Keywords.of(keyword).foundIn(text);
    }

    @Test
    void aWordIsFoundWhereItStandsAloneNotInsideALongerWord() {
        assertThat(finds("refund", "I want a refund!")).isTrue();
        assertThat(finds("refund", "Refund. Now.")).isTrue();
        assertThat(finds("refund", "(refund)")).isTrue();
        assertThat(finds("refund", "a non-refund fee")).isTrue();
        assertThat(finds("refund", "the customer's refund's status")).isTrue();
        assertThat(finds("refund", "refunds")).isFalse();
        assertThat(finds("refund", "it was refunded")).isFalse();
        assertThat(finds("refund", "prerefund")).isFalse();
        assertThat(finds("refund", "refund_id 7")).isFalse();
        assertThat(finds("refund", "refund2")).isFalse();
    }

    @Test
    void anyCaseAndWidthOfTheWordMatchesWhateverCaseTheKeywordIsWrittenIn() {
        assertThat(finds("refund", "REFUND please")).isTrue();
        assertThat(finds("refund", "Refund")).isTrue();
        assertThat(finds("refund", "ＲＥＦＵＮＤ")).isTrue();
        assertThat(finds("refund", "ｒｅｆｕｎｄ！")).isTrue();
        assertThat(finds("REFUND", "where is my refund")).isTrue();
        assertThat(finds("Ｒｅｆｕｎｄ", "refund")).isTrue();
    }

    @Test
    void caseFoldingGoesBeyondLowerCase() {
        assertThat(finds("strasse", "Hauptstraße? No: Straße 5")).isTrue();
        assertThat(finds("STRASSE", "straße")).isTrue();
        assertThat(finds("οδος", "ΟΔΟΣ")).isTrue();
        assertThat(finds("ΟΔΟΣ", "μια οδος")).isTrue();
        assertThat(finds("ﬁle", "file a complaint")).isTrue();
    }

    @Test
    void anAccentIsPartOfItsLetterWhetherComposedOrNot() {
        assertThat(finds("café", "au cafe\u0301 du coin")).isTrue();
        assertThat(finds("cafe\u0301", "CAFÉ")).isTrue();
        assertThat(finds("cafe", "au café")).isFalse();
        assertThat(finds("cafe", "au cafe\u0301")).isFalse();
    }

    @Test
    void aPhraseMatchesAcrossAnyRunOfWhiteSpaceButNotGlued() {
        assertThat(finds("money back", "I want my MONEY\n   back now")).isTrue();
        assertThat(finds("money back", "money\u00a0back")).isTrue();
        assertThat(finds("money   back", "money back")).isTrue();
        assertThat(finds("money back", "moneyback")).isFalse();
        assertThat(finds("money back", "money backing")).isFalse();
        assertThat(finds("money back", "money, back")).isFalse();
    }

    @Test
    void invisibleCharactersInsideAWordDoNotHideIt() {
        assertThat(finds("refund", "re\u00adfund")).isTrue();
        assertThat(finds("refund", "re\u200bfund")).isTrue();
    }

    @Test
    void inScriptsWrittenWithoutSpacesTheWordIsFoundWithinTheText() {
        assertThat(finds("退款", "我要退款，谢谢")).isTrue();
        assertThat(finds("返金", "返金してください")).isTrue();
        assertThat(finds("คืนเงิน", "ต้องการคืนเงิน")).isTrue();
        assertThat(finds("refund", "退款refund")).isTrue();
        assertThat(finds("환불", "카드 환불 요청")).isTrue();
        assertThat(finds("환불", "환불을 원해요")).as("Korean is written with spaces").isFalse();
    }

    @Test
    void keywordsMayBeginOrEndWithPunctuation() {
        assertThat(finds("#outage", "big #outage today")).isTrue();
        assertThat(finds("c++", "C++ crashes")).isTrue();
        assertThat(finds("c++", "is c++? yes")).isTrue();
        assertThat(finds("#outage", "#outages")).isFalse();
    }

    @Test
    void valuesMayHoldSeveralCommaSeparatedKeywordsAndBlanksAndRepeatsAreDropped() {
        assertThat(Keywords.of("refund, money back", " ", "REFUND", null, ",,").folded())
                .containsExactly("refund", "money back");
        assertThat(Keywords.of().isEmpty()).isTrue();
        assertThat(Keywords.of((String[]) null).isEmpty()).isTrue();
        assertThat(Keywords.of(" , ").isEmpty()).isTrue();
    }

    @Test
    void nothingIsFoundInAnEmptyText() {
        assertThat(finds("refund", "")).isFalse();
        assertThat(finds("refund", null)).isFalse();
    }

    @Test
    void aTextAskedAboutByManyRulesInTurnIsFoldedOnceAndANewTextAfresh() {
        String text = "I want my ＲＥＦＵＮＤ";
        String first = Keywords.foldedOnce(text);
        assertThat(first).isEqualTo(Keywords.fold(text)).isEqualTo("i want my refund");
        assertThat(Keywords.foldedOnce(new String(text))).isSameAs(first);
        assertThat(Keywords.foldedOnce("Where is my PARCEL")).isEqualTo("where is my parcel");
        assertThat(finds("refund", text)).isTrue();
        assertThat(finds("parcel", text)).isFalse();
    }
}
