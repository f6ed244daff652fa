package org.frontdoor.channel.sms;

/**
 * Phone numbers to E.164 ({@code +} and up to 15 digits, the first not 0), without a numbering-plan library: the
 * separators people and providers write ({@code ( ) - . / space}) are dropped, {@code 00} becomes {@code +}, and a
 * national number takes the instance's default country code (its trunk prefix 0 dropped). What is not a phone number
 * (a short code, an alphanumeric sender, {@code client:alice}) is kept as sent, trimmed.
 */
final class PhoneNumbers {

    private PhoneNumbers() {
    }

    /** E.164 when {@code raw} is a phone number, else {@code raw} trimmed; null for null or blank. */
    static String normalize(String raw, String defaultCountryCode) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String trimmed = raw.trim();
        String digits = trimmed.replaceAll("[\\s().\\-/\\u00A0]", "");
        String e164 = null;
        if (digits.matches("\\+[1-9][0-9]{6,14}")) {
            e164 = digits;
        } else if (digits.matches("00[1-9][0-9]{6,14}")) {
            e164 = "+" + digits.substring(2);
        } else if (defaultCountryCode != null && !defaultCountryCode.isBlank() && digits.matches("[0-9]{6,14}")
                && digits.length() > 6) {
            String national = digits.startsWith("0") ? digits.substring(1) : digits;
            String candidate = "+" + defaultCountryCode + national;
            e164 = candidate.matches("\\+[1-9][0-9]{6,14}") ? candidate : null;
        }
        return e164 != null ? e164 : trimmed;
    }

    /** Whether the text is an E.164 number. */
    static boolean isE164(String s) {
        return s != null && s.matches("\\+[1-9][0-9]{6,14}");
    }
}
