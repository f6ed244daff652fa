package org.frontdoor.api;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BusinessHoursTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String isoOffset) {
        return java.time.OffsetDateTime.parse(isoOffset).toInstant();
    }

    @Test
    void readsDayRangesAndSeveralRangesPerDay() {
        BusinessHours h = BusinessHours.parse("Mon-Fri 09:00-12:30 13:30-17:30, sat 10:00-14:00", PARIS, List.of());

        assertThat(h.openings()).hasSize(11);
        assertThat(h.toString()).isEqualTo("mon-fri 09:00-12:30 13:30-17:30, sat 10:00-14:00");
        assertThat(BusinessHours.parse("sat 10:00-12:00, mon 09:00-17:00, tue 09:00-17:00, thu 09:00-17:00", PARIS,
                List.of()).toString()).isEqualTo("mon-tue 09:00-17:00, thu 09:00-17:00, sat 10:00-12:00");
        assertThat(BusinessHours.parse("always", PARIS, List.of()).toString()).isEqualTo("mon-sun 00:00-24:00");
        assertThat(BusinessHours.parse("fri-mon 10:00-24:00", PARIS, List.of()).openings())
                .extracting(BusinessHours.Opening::day)
                .containsExactly(DayOfWeek.MONDAY, DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(BusinessHours.parse("always", PARIS, List.of()).openings()).hasSize(7);
    }

    @Test
    void refusesWhatItCannotReadNamingThePart() {
        assertThatThrownBy(() -> BusinessHours.parse("mon-fri 09:00-17:00, sun 22:00-06:00", PARIS, List.of()))
                .hasMessageContaining("'sun 22:00-06:00'").hasMessageContaining("over midnight");
        assertThatThrownBy(() -> BusinessHours.parse("mon-fry 09:00-17:00", PARIS, List.of()))
                .hasMessageContaining("'fry' is not a day");
        assertThatThrownBy(() -> BusinessHours.parse("mon 9-17", PARIS, List.of()))
                .hasMessageContaining("'9-17' is not a range HH:MM-HH:MM");
        assertThatThrownBy(() -> BusinessHours.parse("mon 09:00-25:00", PARIS, List.of()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> BusinessHours.parse("mon 24:00-24:00", PARIS, List.of()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> BusinessHours.parse("weekdays", PARIS, List.of()))
                .hasMessageContaining("'weekdays'");
        assertThatThrownBy(() -> BusinessHours.parse(" ", PARIS, List.of())).hasMessageContaining("empty");
        assertThatThrownBy(() -> BusinessHours.parse("mon 09:00-17:00", PARIS, List.of("2026-12-25", "25/12/2026")))
                .hasMessageContaining("holiday '25/12/2026'");
    }

    @Test
    void acceptsOnlyIanaZones() {
        assertThat(BusinessHours.zone(" Europe/Paris ")).isEqualTo(PARIS);
        assertThat(BusinessHours.zone("UTC")).isEqualTo(ZoneId.of("UTC"));
        assertThat(BusinessHours.zone("America/Argentina/Buenos_Aires").getId()).isEqualTo("America/Argentina/Buenos_Aires");
        assertThatThrownBy(() -> BusinessHours.zone("+02:00")).hasMessageContaining("not an IANA zone id");
        assertThatThrownBy(() -> BusinessHours.zone("CEST")).hasMessageContaining("not an IANA zone id");
        assertThatThrownBy(() -> BusinessHours.zone("Europe/Pariss")).hasMessageContaining("not a known IANA zone id");
    }

    @Test
    void isOpenInItsOwnZone() {
        BusinessHours h = BusinessHours.parse("mon-fri 09:00-17:30", PARIS, List.of());

        // Tuesday 2026-12-01: Paris is UTC+1
        assertThat(h.isOpen(at("2026-12-01T08:00:00Z"))).isTrue();
        assertThat(h.isOpen(at("2026-12-01T07:59:59Z"))).isFalse();
        assertThat(h.isOpen(at("2026-12-01T16:29:59Z"))).isTrue();
        assertThat(h.isOpen(at("2026-12-01T16:30:00Z"))).isFalse();
        assertThat(h.isOpen(at("2026-12-05T10:00:00Z"))).as("a Saturday").isFalse();
    }

    @Test
    void holidaysAreClosedAllDayAndSkippedByTheNextOpening() {
        BusinessHours h = BusinessHours.parse("mon-fri 09:00-17:00", PARIS, List.of("2026-12-25, 2026-12-28"));

        assertThat(h.isOpen(at("2026-12-25T10:00:00+01:00"))).isFalse();
        assertThat(h.isOpen(at("2026-12-24T10:00:00+01:00"))).isTrue();
        // Thursday evening before Christmas: Friday is a holiday, Monday too, so Tuesday 09:00
        assertThat(h.nextOpening(at("2026-12-24T18:00:00+01:00"))).contains(at("2026-12-29T09:00:00+01:00"));
    }

    @Test
    void nextOpeningIsNowWhenOpenElseTheNextRangeStart() {
        BusinessHours h = BusinessHours.parse("mon-fri 09:00-12:00 13:00-17:00, sat 10:00-14:00", PARIS, List.of());

        Instant open = at("2026-12-01T10:00:00+01:00");
        assertThat(h.nextOpening(open)).contains(open);
        assertThat(h.nextOpening(at("2026-12-01T12:15:00+01:00"))).contains(at("2026-12-01T13:00:00+01:00"));
        assertThat(h.nextOpening(at("2026-12-01T07:00:00+01:00"))).contains(at("2026-12-01T09:00:00+01:00"));
        assertThat(h.nextOpening(at("2026-12-04T17:00:00+01:00"))).contains(at("2026-12-05T10:00:00+01:00"));
        assertThat(h.nextOpening(at("2026-12-05T14:00:00+01:00"))).as("Saturday after closing: Monday")
                .contains(at("2026-12-07T09:00:00+01:00"));
    }

    @Test
    void followsTheWallClockAcrossDaylightSavingChanges() {
        BusinessHours h = BusinessHours.parse("mon-fri 09:00-17:00", NEW_YORK, List.of());

        // Friday 2026-03-06 is EST (-05:00); clocks go forward on Sunday 2026-03-08: Monday opens at 09:00 EDT (-04:00)
        assertThat(h.nextOpening(at("2026-03-06T18:00:00-05:00"))).contains(at("2026-03-09T09:00:00-04:00"));
        assertThat(h.isOpen(at("2026-03-09T13:00:00Z"))).as("09:00 EDT").isTrue();
        assertThat(h.isOpen(at("2026-03-06T13:00:00Z"))).as("08:00 EST").isFalse();
        // back on Sunday 2026-11-01: Monday opens at 09:00 EST
        assertThat(h.nextOpening(at("2026-10-30T18:00:00-04:00"))).contains(at("2026-11-02T09:00:00-05:00"));
    }

    @Test
    void aStartTheClockSkipsOpensWhenTheClockReachesTheRange() {
        // Paris skips 02:00-03:00 on Sunday 2026-03-29
        BusinessHours h = BusinessHours.parse("sun 02:30-04:00", PARIS, List.of());

        assertThat(h.nextOpening(at("2026-03-29T00:00:00+01:00"))).contains(at("2026-03-29T03:30:00+02:00"));
        assertThat(h.isOpen(at("2026-03-29T03:30:00+02:00"))).isTrue();
        // a range wholly in the gap never opens that day: the next Sunday
        BusinessHours gap = BusinessHours.parse("sun 02:10-02:50", PARIS, List.of());
        assertThat(gap.nextOpening(at("2026-03-29T00:00:00+01:00"))).contains(at("2026-04-05T02:10:00+02:00"));
    }

    @Test
    void aRangeOverMidnightIsWrittenAsTwoAndStaysOpenAcrossIt() {
        BusinessHours h = BusinessHours.parse("fri 22:00-24:00, sat 00:00-06:00", PARIS, List.of());

        assertThat(h.isOpen(at("2026-12-04T23:59:59+01:00"))).isTrue();
        assertThat(h.isOpen(at("2026-12-05T00:00:00+01:00"))).isTrue();
        assertThat(h.isOpen(at("2026-12-05T06:00:00+01:00"))).isFalse();
    }

    @Test
    void withoutRangesOrWithHolidaysEverywhereItNeverOpens() {
        BusinessHours none = new BusinessHours(PARIS, List.of(), java.util.Set.of());
        assertThat(none.nextOpening(Instant.EPOCH)).isEmpty();
    }

    @Test
    void aDepartmentWithoutHoursIsAlwaysOpen() {
        Department seen = Department.seenOnly("sales");
        assertThat(seen.isOpen(Instant.EPOCH)).isTrue();
        assertThat(seen.nextOpening(Instant.EPOCH)).contains(Instant.EPOCH);
        assertThat(seen.zone()).isNull();
        assertThatThrownBy(() -> new Department("x", null, Department.Status.INVALID, null, null, null, 0, 0, 0, null,
                false)).hasMessageContaining("reason");
    }
}
