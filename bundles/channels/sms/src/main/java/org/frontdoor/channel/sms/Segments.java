package org.frontdoor.channel.sms;

import java.util.BitSet;

/**
 * How many SMS segments a text becomes, as core's reply length counts them (GSM 03.38 7-bit when every character is
 * in its default alphabet, the extension characters counting 2; otherwise UCS-2 in UTF-16 units): 160 GSM-7 or 70
 * UCS-2 units in one SMS, 153 or 67 a part when concatenated, an extension character or a surrogate pair never split.
 */
final class Segments {

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";
    private static final BitSet GSM = setOf(GSM_BASIC + GSM_EXTENSION);
    private static final BitSet ESCAPED = setOf(GSM_EXTENSION);

    /** A text counted: its encoding, its length in that encoding's units, its segments. */
    record Count(boolean gsm, int units, int segments) {
        String encoding() {
            return gsm ? "GSM-7" : "UCS-2";
        }

        /** Units one concatenated part holds in this encoding. */
        int perPart() {
            return gsm ? 153 : 67;
        }
    }

    private Segments() {
    }

    static Count count(String text) {
        boolean gsm = text.codePoints().allMatch(GSM::get);
        int single = gsm ? 160 : 70;
        int part = gsm ? 153 : 67;
        int units = text.codePoints().map(c -> units(c, gsm)).sum();
        if (units <= single) {
            return new Count(gsm, units, 1);
        }
        int segments = 1;
        int used = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int u = units(text.codePointAt(i), gsm);
            if (used + u > part) {
                segments++;
                used = 0;
            }
            used += u;
        }
        return new Count(gsm, units, segments);
    }

    /**
     * Why a text does not fit in {@code max} segments, with how much to cut; null when it fits.
     */
    static String refusal(String text, int max) {
        Count count = count(text);
        if (count.segments() <= max) {
            return null;
        }
        int room = max == 1 ? (count.gsm() ? 160 : 70) : max * count.perPart();
        int cut = count.units() - room;
        return "the reply needs " + count.segments() + " SMS segments (" + count.units() + " characters in "
                + count.encoding() + "); this number sends at most " + max + ": cut at least " + cut
                + (cut == 1 ? " character" : " characters") + (count.gsm() ? "" : " (or leave out the characters outside the GSM alphabet, which makes a "
                        + "segment hold 153 instead of 67)");
    }

    private static int units(int codePoint, boolean gsm) {
        return gsm ? (ESCAPED.get(codePoint) ? 2 : 1) : Character.charCount(codePoint);
    }

    private static BitSet setOf(String characters) {
        BitSet set = new BitSet();
        characters.codePoints().forEach(set::set);
        return set;
    }
}
