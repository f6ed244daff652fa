package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void numbersBecomeE164() {
        assertThat(PhoneNumbers.normalize("+1 (415) 555-2671", null)).isEqualTo("+14155552671");
        assertThat(PhoneNumbers.normalize("0044 20 7946 0958", null)).isEqualTo("+442079460958");
        assertThat(PhoneNumbers.normalize("020 7946 0958", "44")).isEqualTo("+442079460958");
        assertThat(PhoneNumbers.normalize("+14155552671", "44")).isEqualTo("+14155552671");
    }

    @Test
    void whatIsNoPhoneNumberIsKeptAsSent() {
        assertThat(PhoneNumbers.normalize(" 12345 ", null)).isEqualTo("12345");
        assertThat(PhoneNumbers.normalize("client:alice", "1")).isEqualTo("client:alice");
        assertThat(PhoneNumbers.normalize("ACME", null)).isEqualTo("ACME");
        assertThat(PhoneNumbers.normalize("  ", null)).isNull();
        assertThat(PhoneNumbers.isE164("+14155552671")).isTrue();
        assertThat(PhoneNumbers.isE164("12345")).isFalse();
    }
}
