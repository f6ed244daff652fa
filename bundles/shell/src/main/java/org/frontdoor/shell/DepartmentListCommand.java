package org.frontdoor.shell;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;

@Command(scope = "frontdoor", name = "department-list", description = "Lists the departments: those configured in "
        + "etc/org.frontdoor.department-<id>.cfg and those only seen in routing")
@Service
public class DepartmentListCommand extends DepartmentAction {

    /** The longest note shown: enough for the file and what to fix (department-show has it whole). */
    static final int NOTE = 200;

    @Override
    void execute(Departments departments) {
        table(departments.list(), clock.instant()).print(System.out);
    }

    static ShellTable table(List<Department> departments, Instant now) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Status");
        table.column("Zone");
        table.column("Open now");
        table.column("SLA");
        table.column("Note");
        table.emptyTableText("No department: add etc/org.frontdoor.department-<id>.cfg (see docs/departments.md)");
        for (Department d : departments) {
            table.addRow().addContent(Text.oneLine(d.id(), 40), Text.oneLine(d.name(), 40), d.status().name(),
                    d.zone() == null ? "" : d.zone().getId(), d.hours() == null ? "" : d.isOpen(now) ? "yes" : "no",
                    sla(d), Text.oneLine(note(d), NOTE));
        }
        return table;
    }

    /** "first 30m, resolve 8h"; empty when it has none. */
    static String sla(Department d) {
        if (d.status() != Department.Status.CONFIGURED) {
            return "";
        }
        return "first " + minutes(d.firstResponseMinutes()) + ", resolve " + minutes(d.resolutionMinutes());
    }

    static String minutes(int minutes) {
        if (minutes == 0) {
            return "none";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    static String note(Department d) {
        return switch (d.status()) {
            case INVALID -> d.reason();
            case SEEN_ONLY -> "no file: routing sent conversations here";
            case CONFIGURED -> "";
        };
    }
}
