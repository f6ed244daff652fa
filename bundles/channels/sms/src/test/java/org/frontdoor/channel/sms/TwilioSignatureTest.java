package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** X-Twilio-Signature against the example of Twilio's security documentation. */
class TwilioSignatureTest {

    private static final byte[] TOKEN = "12345".getBytes(StandardCharsets.UTF_8);
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    /** The documented POST parameters, in the order a form might carry them: the signature sorts them. */
    private static final List<Map.Entry<String, String>> PARAMS = List.of(
            Map.entry("To", "+18005551212"), Map.entry("From", "+12349013030"),
            Map.entry("CallSid", "CA1234567890ABCDE"), Map.entry("Digits", "1234"),
            Map.entry("Caller", "+12349013030"));
    private static final String DOCUMENTED = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    @Test
    void theDocumentedExampleGivesTheDocumentedSignature() {
        assertThat(TwilioSignature.sign(TOKEN, URL, PARAMS)).isEqualTo(DOCUMENTED);
        assertThat(TwilioSignature.matches(TOKEN, URL, PARAMS, DOCUMENTED)).isTrue();
    }

    @Test
    void aChangedValueAnotherUrlOrAnotherTokenDoNotMatch() {
        List<Map.Entry<String, String>> changed = List.of(
                Map.entry("To", "+18005551212"), Map.entry("From", "+12349013031"),
                Map.entry("CallSid", "CA1234567890ABCDE"), Map.entry("Digits", "1234"),
                Map.entry("Caller", "+12349013030"));
        assertThat(TwilioSignature.matches(TOKEN, URL, changed, DOCUMENTED)).isFalse();
        assertThat(TwilioSignature.matches(TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3", PARAMS,
                DOCUMENTED)).isFalse();
        assertThat(TwilioSignature.matches("54321".getBytes(StandardCharsets.UTF_8), URL, PARAMS, DOCUMENTED))
                .isFalse();
    }

    @Test
    void aMissingOrTruncatedSignatureDoesNotMatch() {
        assertThat(TwilioSignature.matches(TOKEN, URL, PARAMS, null)).isFalse();
        assertThat(TwilioSignature.matches(TOKEN, URL, PARAMS, "")).isFalse();
        assertThat(TwilioSignature.matches(TOKEN, URL, PARAMS, DOCUMENTED.substring(0, 20))).isFalse();
        assertThat(TwilioSignature.matches(TOKEN, URL, PARAMS, DOCUMENTED + "A")).isFalse();
    }

    @Test
    void namesAndValuesAreJoinedWithoutSeparatorAsTwilioDoesAndTheQueryCounts() {
        // name and value are concatenated without separator: "Digits"+"1234" must not equal "Digit"+"s1234"
        List<Map.Entry<String, String>> shifted = List.of(
                Map.entry("To", "+18005551212"), Map.entry("From", "+12349013030"),
                Map.entry("CallSid", "CA1234567890ABCDE"), Map.entry("Digit", "s1234"),
                Map.entry("Caller", "+12349013030"));
        // the same signed string, so the same signature: Twilio's scheme cannot tell them apart either
        assertThat(TwilioSignature.sign(TOKEN, URL, shifted)).isEqualTo(DOCUMENTED);
        assertThat(TwilioSignature.sign(TOKEN, URL + "&x=1", PARAMS)).isNotEqualTo(DOCUMENTED);
    }
}
