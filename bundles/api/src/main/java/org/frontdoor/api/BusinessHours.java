package org.frontdoor.api;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a department answers: weekly opening ranges in its time zone, closed all day on its holidays. Pure: the same
 * question always gets the same answer, whatever the server's zone.
 *
 * @param zone     the department's time zone; wall-clock ranges follow it across daylight saving changes
 * @param openings the weekly ranges, sorted by day then start
 * @param holidays local dates (in {@code zone}) closed all day
 */
public record BusinessHours(ZoneId zone, List<Opening> openings, Set<LocalDate> holidays) {

    /** Every day, all day: what a department without configured hours is taken to be. */
    public static final String ALWAYS = "always";

    private static final Pattern ENTRY = Pattern.compile("([a-z]{3})(?:-([a-z]{3}))?((?:\\s+\\S+)+)");
    private static final Pattern RANGE = Pattern.compile("(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})");
    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
            "sun", DayOfWeek.SUNDAY);

    /**
     * One weekly range, from {@code fromMinute} (included) to {@code toMinute} (excluded) of a local day.
     *
     * @param fromMinute minutes after midnight, 0 to 1439
     * @param toMinute   minutes after midnight, after {@code fromMinute}, at most 1440 (24:00)
     */
    public record Opening(DayOfWeek day, int fromMinute, int toMinute) {
        public Opening {
            Objects.requireNonNull(day, "day");
            if (fromMinute < 0 || toMinute > 24 * 60 || fromMinute >= toMinute) {
                throw new IllegalArgumentException("an opening ends after it starts, within one day");
            }
        }

        @Override
        public String toString() {
            return day.name().substring(0, 3).toLowerCase(Locale.ROOT) + " " + time(fromMinute) + "-" + time(toMinute);
        }
    }

    public BusinessHours {
        Objects.requireNonNull(zone, "zone");
        List<Opening> sorted = new ArrayList<>(openings);
        sorted.sort(Comparator.comparing(Opening::day).thenComparingInt(Opening::fromMinute));
        openings = List.copyOf(sorted);
        holidays = Set.copyOf(holidays);
    }

    /**
     * Reads business hours such as {@code mon-fri 09:00-12:30 13:30-17:30, sat 10:00-14:00}: entries separated by
     * commas, each a day or a range of days ({@code fri-mon} wraps over the week end) and one or more ranges
     * {@code HH:MM-HH:MM} ({@code 24:00} ends at midnight). A range over midnight is refused: write it as two,
     * {@code fri 22:00-24:00, sat 00:00-06:00}. {@value #ALWAYS} is every day, all day.
     *
     * @param holidays ISO dates ({@code 2026-12-25}), each closed all day
     * @throws IllegalArgumentException naming the part that cannot be read and why
     */
    public static BusinessHours parse(String spec, ZoneId zone, Collection<String> holidays) {
        Objects.requireNonNull(zone, "zone");
        String text = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("businessHours is empty: give ranges such as 'mon-fri 09:00-17:00', "
                    + "or '" + ALWAYS + "'");
        }
        List<Opening> openings = new ArrayList<>();
        if (text.equals(ALWAYS)) {
            for (DayOfWeek day : DayOfWeek.values()) {
                openings.add(new Opening(day, 0, 24 * 60));
            }
        } else {
            for (String raw : text.split(",")) {
                String entry = raw.strip();
                Matcher m = ENTRY.matcher(entry);
                if (!m.matches()) {
                    throw new IllegalArgumentException("businessHours part '" + entry + "' is not '<day>[-<day>] "
                            + "HH:MM-HH:MM ...' (days: mon tue wed thu fri sat sun)");
                }
                DayOfWeek first = day(m.group(1), entry);
                DayOfWeek last = m.group(2) == null ? first : day(m.group(2), entry);
                for (String range : m.group(3).strip().split("\\s+")) {
                    int[] minutes = range(range, entry);
                    for (DayOfWeek d = first; ; d = d.plus(1)) {
                        openings.add(new Opening(d, minutes[0], minutes[1]));
                        if (d == last) {
                            break;
                        }
                    }
                }
            }
        }
        Set<LocalDate> dates = new TreeSet<>();
        for (String h : holidays == null ? List.<String>of() : holidays) {
            for (String part : h.split("[,\\s]+")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    dates.add(LocalDate.parse(part.strip()));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("holiday '" + part.strip() + "' is not an ISO date (2026-12-25)");
                }
            }
        }
        return new BusinessHours(zone, openings, dates);
    }

    /**
     * A time zone by its IANA id ({@code Europe/Paris}); fixed offsets and abbreviations are refused, as they do not
     * follow daylight saving.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ZoneId zone(String id) {
        String text = id == null ? "" : id.strip();
        if (!text.equals("UTC") && !text.matches("[A-Za-z][A-Za-z_+-]*(/[A-Za-z0-9_+-]+)+")) {
            throw new IllegalArgumentException("timeZone '" + text + "' is not an IANA zone id such as Europe/Paris, "
                    + "America/New_York or UTC");
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timeZone '" + text + "' is not a known IANA zone id");
        }
    }

    /** Whether it is open at this instant: within a range of its local weekday, on a day that is no holiday. */
    public boolean isOpen(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        if (holidays.contains(local.toLocalDate())) {
            return false;
        }
        int second = local.toLocalTime().toSecondOfDay();
        for (Opening o : openings) {
            if (o.day() == local.getDayOfWeek() && second >= o.fromMinute() * 60 && second < o.toMinute() * 60) {
                return true;
            }
        }
        return false;
    }

    /**
     * When it is next open: {@code at} itself when it is open then, else the start of the next range on a day that
     * is no holiday (a start that daylight saving skips opens when the clock reaches the range); empty when it never
     * opens (no range, or holidays on every day for a year and more).
     */
    public Optional<Instant> nextOpening(Instant at) {
        if (isOpen(at)) {
            return Optional.of(at);
        }
        if (openings.isEmpty()) {
            return Optional.empty();
        }
        LocalDate day = at.atZone(zone).toLocalDate();
        for (int i = 0; i <= 371 + holidays.size(); i++, day = day.plusDays(1)) {
            if (holidays.contains(day)) {
                continue;
            }
            for (Opening o : openings) {
                if (o.day() != day.getDayOfWeek()) {
                    continue;
                }
                Instant start = o.fromMinute() == 0 ? day.atStartOfDay(zone).toInstant()
                        : ZonedDateTime.of(day, LocalTime.ofSecondOfDay(o.fromMinute() * 60L), zone).toInstant();
                if (start.isAfter(at) && isOpen(start)) {
                    return Optional.of(start);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The instant {@code open} of open time after {@code start}: business time counts only while it is open, on no
     * holiday, in elapsed time (a range on the night clocks change lasts what it really lasts: {@code 00:00-24:00} is
     * 23 or 25 hours then). A start while closed counts from the next opening; a deadline that falls on the end of a
     * range is that end, not the next opening. Zero open time is {@code start} itself. Empty when it never opens long
     * enough (no range, or holidays on every day for a year and more).
     *
     * @throws IllegalArgumentException when {@code open} is negative
     */
    public Optional<Instant> plusOpenTime(Instant start, Duration open) {
        Objects.requireNonNull(start, "start");
        if (open.isNegative()) {
            throw new IllegalArgumentException("open time is 0 or more");
        }
        if (open.isZero()) {
            return Optional.of(start);
        }
        if (openings.isEmpty()) {
            return Optional.empty();
        }
        Duration left = open;
        Instant cursor = start;
        LocalDate day = start.atZone(zone).toLocalDate().minusDays(1);
        int closedDays = 0;
        while (closedDays <= 371 + holidays.size()) {
            boolean opened = false;
            if (!holidays.contains(day)) {
                for (Opening o : openings) {
                    if (o.day() != day.getDayOfWeek()) {
                        continue;
                    }
                    opened = true;
                    Instant from = localInstant(day, o.fromMinute());
                    Instant to = localInstant(day, o.toMinute());
                    Instant begin = from.isAfter(cursor) ? from : cursor;
                    if (!begin.isBefore(to)) {
                        continue;
                    }
                    Duration here = Duration.between(begin, to);
                    if (left.compareTo(here) <= 0) {
                        return Optional.of(begin.plus(left));
                    }
                    left = left.minus(here);
                    cursor = to;
                }
            }
            closedDays = opened ? 0 : closedDays + 1;
            day = day.plusDays(1);
        }
        return Optional.empty();
    }

    /** As {@link #plusOpenTime(Instant, Duration)}, in whole minutes of open time. */
    public Optional<Instant> plusOpenMinutes(Instant start, long minutes) {
        return plusOpenTime(start, Duration.ofMinutes(minutes));
    }

    /**
     * The instant a local minute of a day begins: midnight of the next day for 24:00, and when daylight saving skips
     * the minute, the moment the clock reaches it ({@code 02:30} on the night clocks go forward is 03:30).
     */
    private Instant localInstant(LocalDate day, int minute) {
        if (minute == 0) {
            return day.atStartOfDay(zone).toInstant();
        }
        if (minute == 24 * 60) {
            return day.plusDays(1).atStartOfDay(zone).toInstant();
        }
        return ZonedDateTime.of(day, LocalTime.ofSecondOfDay(minute * 60L), zone).toInstant();
    }

    /**
     * The hours as a department's file would say them, days with the same ranges together:
     * {@code mon-fri 09:00-12:30 13:30-17:30, sat 10:00-14:00}; empty when it has no range.
     */
    @Override
    public String toString() {
        List<String> entries = new ArrayList<>();
        DayOfWeek first = null;
        String ranges = "";
        for (DayOfWeek day : DayOfWeek.values()) {
            String today = String.join(" ", openings.stream().filter(o -> o.day() == day)
                    .map(o -> time(o.fromMinute()) + "-" + time(o.toMinute())).toList());
            if (first != null && !today.equals(ranges)) {
                entries.add(days(first, day.minus(1)) + " " + ranges);
                first = null;
            }
            if (first == null && !today.isEmpty()) {
                first = day;
                ranges = today;
            }
        }
        if (first != null) {
            entries.add(days(first, DayOfWeek.SUNDAY) + " " + ranges);
        }
        return String.join(", ", entries);
    }

    private static String days(DayOfWeek first, DayOfWeek last) {
        String from = first.name().substring(0, 3).toLowerCase(Locale.ROOT);
        return first == last ? from : from + "-" + last.name().substring(0, 3).toLowerCase(Locale.ROOT);
    }

    private static DayOfWeek day(String name, String entry) {
        DayOfWeek day = DAYS.get(name);
        if (day == null) {
            throw new IllegalArgumentException("businessHours part '" + entry + "': '" + name + "' is not a day (mon "
                    + "tue wed thu fri sat sun)");
        }
        return day;
    }

    private static int[] range(String range, String entry) {
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            throw new IllegalArgumentException("businessHours part '" + entry + "': '" + range + "' is not a range "
                    + "HH:MM-HH:MM");
        }
        int from = minute(m.group(1), m.group(2), range, entry, false);
        int to = minute(m.group(3), m.group(4), range, entry, true);
        if (to <= from) {
            throw new IllegalArgumentException("businessHours part '" + entry + "': '" + range + "' does not end after "
                    + "it starts; a range over midnight is written as two, 'fri 22:00-24:00, sat 00:00-06:00'");
        }
        return new int[] {from, to};
    }

    private static int minute(String hours, String minutes, String range, String entry, boolean end) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
            throw new IllegalArgumentException("businessHours part '" + entry + "': '" + range + "' has a time that "
                    + "does not exist (00:00 to 23:59, or 24:00 as an end)");
        }
        return h * 60 + m;
    }

    private static String time(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }
}
