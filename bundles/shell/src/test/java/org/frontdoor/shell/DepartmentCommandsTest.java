package org.frontdoor.shell;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.frontdoor.api.BusinessHours;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** department-list and department-show. */
class DepartmentCommandsTest {

    /** Tuesday 2026-12-01 at 10:00 in Paris. */
    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final String FILE = "/opt/frontdoor/etc/org.frontdoor.department-billing.cfg";

    static final Department BILLING = new Department("billing", "Billing", Department.Status.CONFIGURED, null, FILE,
            BusinessHours.parse("mon-fri 09:00-17:30", BusinessHours.zone("Europe/Paris"), List.of("2026-12-25")), 1, 30,
            480, Set.of("billing-agents"), true);
    static final Department NIGHT = new Department("night", "Night shift", Department.Status.CONFIGURED, null,
            "/etc/org.frontdoor.department-night.cfg",
            BusinessHours.parse("mon-fri 20:00-24:00", BusinessHours.zone("Europe/Paris"), List.of()), 0, 45, 0,
            Set.of(), false);
    static final Department BROKEN = new Department("legal", "legal", Department.Status.INVALID,
            "/etc/org.frontdoor.department-legal.cfg: timeZone 'CEST' is not an IANA zone id\n\u001b[31m", null, null,
            0, 0, 0, Set.of(), false);

    static Departments departments(Department... list) {
        return new Departments() {
            @Override
            public List<Department> list() {
                return List.of(list);
            }

            @Override
            public Optional<Department> get(String id) {
                return list().stream().filter(d -> d.id().equals(id)).findFirst();
            }
        };
    }

    private static <T extends DepartmentAction> T at(T command, Department... list) {
        command.departments = departments(list);
        command.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return command;
    }

    @Test
    void listsEachDepartmentWithItsStatusZoneOpeningAndSla() throws Exception {
        Console.Output output = Console.run(at(new DepartmentListCommand(), BILLING, BROKEN, NIGHT,
                Department.seenOnly("sales")));

        List<List<String>> table = output.table();
        assertThat(table.get(0)).containsExactly("Id", "Name", "Status", "Zone", "Open now", "SLA", "Note");
        assertThat(table.get(1)).containsExactly("billing", "Billing", "CONFIGURED", "Europe/Paris", "yes",
                "first 30m, resolve 8h", "");
        assertThat(table.get(2).get(2)).isEqualTo("INVALID");
        assertThat(table.get(2).get(6)).contains("timeZone 'CEST'").doesNotContain("\u001b");
        assertThat(table.get(3)).containsExactly("night", "Night shift", "CONFIGURED", "Europe/Paris", "no",
                "first 45m, resolve none", "");
        assertThat(table.get(4)).containsExactly("sales", "sales", "SEEN_ONLY", "", "", "",
                "no file: routing sent conversations here");
        assertThat(output.err()).isEmpty();
    }

    @Test
    void saysHowToAddOneWhenThereIsNoneAndWhenCoreIsStopped() throws Exception {
        assertThat(Console.run(at(new DepartmentListCommand())).out())
                .contains("add etc/org.frontdoor.department-<id>.cfg");
        DepartmentListCommand stopped = new DepartmentListCommand();
        assertThat(Console.run(stopped).err()).contains("core is not running");
    }

    @Test
    void showsADepartmentsSettingsAndWhenItOpens() throws Exception {
        DepartmentShowCommand show = at(new DepartmentShowCommand(), BILLING, NIGHT);
        show.id = "billing";
        assertThat(Console.run(show).out()).contains("Department billing", "Billing", "CONFIGURED", FILE,
                "Europe/Paris", "mon-fri 09:00-17:30", "2026-12-25", "Open now:         yes", "30m", "8h",
                "billing-agents");

        assertThat(Console.run(show).out()).contains("Warn at:          80 % of a target",
                "Escalation:       (none)", "Out of hours:     We are closed now; we will answer from {opening}.");

        show.id = "night";
        assertThat(Console.run(show).out()).contains("Open now:         no, opens 2026-12-01 20:00:00 Europe/Paris");
    }

    @Test
    void showsWhyAnInvalidDepartmentCannotBeUsedAndRefusesAnUnknownOne() throws Exception {
        DepartmentShowCommand show = at(new DepartmentShowCommand(), BROKEN);
        show.id = "legal";
        Console.Output output = Console.run(show);
        assertThat(output.out()).contains("INVALID", "Reason:", "timeZone 'CEST'").doesNotContain("\u001b")
                .doesNotContain("Business hours");

        show.id = "nope";
        assertThat(Console.run(show).err()).contains("No department nope");
    }
}
