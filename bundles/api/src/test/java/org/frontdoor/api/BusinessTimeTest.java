package org.frontdoor.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deadlines in business time: {@link BusinessHours#plusOpenTime}, and the SLA settings of a department. */
class BusinessTimeTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String isoOffset) {
        return OffsetDateTime.parse(isoOffset).toInstant();
    }

    private static BusinessHours hours(String spec, ZoneId zone, String... holidays) {
        return BusinessHours.parse(spec, zone, List.of(holidays));
    }

    @Test
    void countsOnlyOpenTimeWithinADay() {
        BusinessHours h = hours("mon-fri 09:00-12:30 13:30-17:30", PARIS);
        // Tuesday 2026-03-03, 11:00 Paris (UTC+1): 90 minutes until 12:30, then from 13:30
        assertThat(h.plusOpenMinutes(at("2026-03-03T11:00:00+01:00"), 60)).contains(at("2026-03-03T12:00:00+01:00"));
        assertThat(h.plusOpenMinutes(at("2026-03-03T11:00:00+01:00"), 90)).contains(at("2026-03-03T12:30:00+01:00"));
        assertThat(h.plusOpenMinutes(at("2026-03-03T11:00:00+01:00"), 91)).contains(at("2026-03-03T13:31:00+01:00"));
        // started while closed: counts from the opening
        assertThat(h.plusOpenMinutes(at("2026-03-03T07:00:00+01:00"), 30)).contains(at("2026-03-03T09:30:00+01:00"));
        assertThat(h.plusOpenMinutes(at("2026-03-03T12:45:00+01:00"), 30)).contains(at("2026-03-03T14:00:00+01:00"));
        assertThat(h.plusOpenMinutes(at("2026-03-03T12:45:00+01:00"), 0)).contains(at("2026-03-03T12:45:00+01:00"));
        assertThatThrownBy(() -> h.plusOpenTime(at("2026-03-03T12:45:00+01:00"), Duration.ofMinutes(-1)))
                .hasMessageContaining("0 or more");
    }

    @Test
    void skipsTheWeekend() {
        BusinessHours h = hours("mon-fri 09:00-17:00", PARIS);
        // Friday 2026-03-06 16:00: one hour on Friday, three on Monday
        assertThat(h.plusOpenMinutes(at("2026-03-06T16:00:00+01:00"), 240)).contains(at("2026-03-09T12:00:00+01:00"));
        // written on Saturday: the whole target from Monday's opening
        assertThat(h.plusOpenMinutes(at("2026-03-07T10:00:00+01:00"), 480)).contains(at("2026-03-09T17:00:00+01:00"));
        assertThat(h.plusOpenMinutes(at("2026-03-07T10:00:00+01:00"), 481)).contains(at("2026-03-10T09:01:00+01:00"));
        // several weeks of open time: 5 days of 8 hours a week
        assertThat(h.plusOpenMinutes(at("2026-03-09T09:00:00+01:00"), 3 * 5 * 8 * 60))
                .contains(at("2026-03-27T17:00:00+01:00"));
    }

    @Test
    void skipsHolidaysInTheDepartmentsZone() {
        BusinessHours h = hours("mon-fri 09:00-17:00", PARIS, "2026-12-24", "2026-12-25");
        // Wednesday 23rd 16:30 Paris: 30 minutes that day, Thursday and Friday are holidays, then Monday 28th
        assertThat(h.plusOpenMinutes(at("2026-12-23T16:30:00+01:00"), 60)).contains(at("2026-12-28T09:30:00+01:00"));
        // the same instant seen from New York hours: its holidays are New York dates
        BusinessHours ny = hours("mon-fri 09:00-17:00", NEW_YORK, "2026-12-25");
        assertThat(ny.plusOpenMinutes(at("2026-12-24T16:30:00-05:00"), 60)).contains(at("2026-12-28T09:30:00-05:00"));
    }

    @Test
    void followsDaylightSaving() {
        // Paris clocks go forward on Sunday 2026-03-29 at 02:00 and back on Sunday 2026-10-25 at 03:00
        BusinessHours h = hours("mon-fri 09:00-17:00", PARIS);
        // Friday 16:00 (UTC+1) + 2 h: 1 h on Friday, 1 h from Monday 09:00, which is now UTC+2
        assertThat(h.plusOpenMinutes(at("2026-03-27T16:00:00+01:00"), 120)).contains(at("2026-03-30T10:00:00+02:00"));
        assertThat(h.plusOpenMinutes(at("2026-10-23T16:00:00+02:00"), 120)).contains(at("2026-10-26T10:00:00+01:00"));
        // a whole day open on the night clocks change lasts 23 hours in spring and 25 in autumn
        BusinessHours sunday = hours("sun 00:00-24:00", PARIS);
        Instant springSunday = at("2026-03-29T00:00:00+01:00");
        assertThat(sunday.plusOpenMinutes(springSunday, 23 * 60)).contains(at("2026-03-30T00:00:00+02:00"));
        assertThat(sunday.plusOpenMinutes(springSunday, 23 * 60 + 1)).contains(at("2026-04-05T00:01:00+02:00"));
        Instant autumnSunday = at("2026-10-25T00:00:00+02:00");
        assertThat(sunday.plusOpenMinutes(autumnSunday, 25 * 60)).contains(at("2026-10-26T00:00:00+01:00"));
        // a range daylight saving skips into opens when the clock reaches it: 02:30 is 03:30 that night
        BusinessHours night = hours("sun 02:30-04:00", PARIS);
        assertThat(night.plusOpenMinutes(at("2026-03-29T00:00:00+01:00"), 30)).contains(at("2026-03-29T04:00:00+02:00"));
    }

    @Test
    void alwaysOpenIsElapsedTimeAndRangesOverMidnightJoin() {
        BusinessHours always = hours("always", PARIS);
        Instant start = at("2026-03-28T22:00:00+01:00");
        assertThat(always.plusOpenMinutes(start, 24 * 60)).contains(start.plus(Duration.ofHours(24)));
        assertThat(always.plusOpenTime(start, Duration.ofSeconds(90))).contains(start.plusSeconds(90));
        BusinessHours overnight = hours("fri 22:00-24:00, sat 00:00-06:00", PARIS);
        assertThat(overnight.plusOpenMinutes(at("2026-03-06T23:00:00+01:00"), 120))
                .contains(at("2026-03-07T01:00:00+01:00"));
        // a holiday on every day it opens: it never opens
        BusinessHours once = new BusinessHours(PARIS, hours("mon 09:00-10:00", PARIS).openings(), Set.of());
        assertThat(once.plusOpenMinutes(at("2026-03-02T09:00:00+01:00"), 120)).contains(at("2026-03-09T10:00:00+01:00"));
        assertThat(new BusinessHours(PARIS, List.of(), Set.of()).plusOpenMinutes(start, 1)).isEmpty();
    }

    @Test
    void departmentTargetsPerPriorityAndTheirChain() {
        BusinessHours h = hours("mon-fri 09:00-17:00", PARIS);
        SlaPolicy policy = new SlaPolicy(SlaPolicy.parseTargets("firstResponseByPriority", "2:30, 3:0"),
                Map.of(), 75, SlaPolicy.parseEscalation("supervisor, Department:sales, CALLBACK"), null);
        Department d = new Department("billing", "Billing", Department.Status.CONFIGURED, null, "f", h, 0, 240, 960,
                Set.of(), false, policy);
        assertThat(d.firstResponseMinutes(0)).isEqualTo(240);
        assertThat(d.firstResponseMinutes(2)).isEqualTo(30);
        assertThat(d.firstResponseMinutes(3)).isZero();
        assertThat(d.resolutionMinutes(2)).isEqualTo(960);
        assertThat(policy.escalation()).extracting(Object::toString)
                .containsExactly("supervisor", "department:sales", "callback");
        assertThat(policy.closedReply()).isEqualTo(SlaPolicy.DEFAULT_CLOSED_REPLY);
        assertThat(d.withSeen(true).sla()).isEqualTo(policy);
        assertThat(Department.seenOnly("x").sla()).isEqualTo(SlaPolicy.DEFAULT);
        assertThat(Department.seenOnly("x").plusBusinessTime(at("2026-03-07T10:00:00+01:00"), Duration.ofMinutes(5)))
                .contains(at("2026-03-07T10:05:00+01:00"));
        assertThat(d.plusBusinessTime(at("2026-03-07T10:00:00+01:00"), Duration.ofMinutes(5)))
                .contains(at("2026-03-09T09:05:00+01:00"));

        assertThatThrownBy(() -> SlaPolicy.parseTargets("firstResponseByPriority", "2=30"))
                .hasMessage("firstResponseByPriority part '2=30' is not '<priority>:<minutes>', such as '2:30'");
        assertThatThrownBy(() -> SlaPolicy.parseTargets("resolutionByPriority", "2:30, 2:40"))
                .hasMessage("resolutionByPriority names priority 2 twice");
        assertThatThrownBy(() -> SlaPolicy.parseEscalation("supervisor, manager"))
                .hasMessage("escalation step 'manager' is not supervisor, department:<id> or callback");
        assertThatThrownBy(() -> SlaPolicy.parseEscalation("department:"))
                .hasMessageContaining("'department:'");
        assertThatThrownBy(() -> new SlaPolicy(Map.of(), Map.of(), 100, List.of(), null))
                .hasMessage("warnAtPercent '100' is not 1 to 99");
    }
}
